/* Integration tests of issue 11, point 5 (queue parts other than the quota): the queue
 * database and its -wal and -shm files are 0600 whatever the umask; the reader signature
 * covers the normalised path the server acts on (QUEUE.md "Reader requests"). */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "fr-queue.h"
#include "fr-reader-auth.h"
#include "queue-fixture.h"

static guint
file_mode (const char *path)
{
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

/* umask 022 would make SQLite's files 0644: every file of the queue is 0600, whether
 * enroll-kiosk or serve created the database. */
static void
test_database_mode (void)
{
  g_autofree char *dir = queue_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "queue.db", NULL);
  g_autofree char *db2 = g_build_filename (dir, "served.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *wal2 = g_strconcat (db2, "-wal", NULL);
  g_autofree char *shm2 = g_strconcat (db2, "-shm", NULL);
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autoptr(FrStaffKey) staff = fr_staff_key_generate ();
  g_autoptr(SoupSession) session = queue_session_new (NULL);
  g_autoptr(QueueProcess) server = NULL;
  g_autoptr(QueueProcess) server2 = NULL;
  g_autoptr(GBytes) envelope = queue_make_envelope (kiosk, staff, 0, NULL);
  mode_t old = umask (022);

  queue_enroll_kiosk (db, "kiosk-1", kiosk);
  g_assert_cmpuint (file_mode (db), ==, 0600);

  server = queue_start (db, "http", NULL);
  server2 = queue_start (db2, "http", NULL);
  {
    g_autoptr(QueueReply) reply = queue_request (session, "POST", server->base_url, "/v1/envelopes", envelope, NULL);

    g_assert_cmpuint (reply->status, ==, 201);
  }
  g_assert_cmpuint (file_mode (db), ==, 0600);
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);
  g_assert_cmpuint (file_mode (db2), ==, 0600);
  g_assert_cmpuint (file_mode (wal2), ==, 0600);
  g_assert_cmpuint (file_mode (shm2), ==, 0600);

  g_assert_cmpint (queue_stop (server), ==, 0);
  g_assert_cmpint (queue_stop (server2), ==, 0);
  umask (old);
  queue_rmtree (dir);
}

/* One request on its own connection; returns the status code of the answer. */
static guint
raw_status (guint16     port,
            const char *target,
            const char *authorization)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                           "Authorization: %s\r\nConnection: close\r\n\r\n",
                                           target, port, authorization);
  g_autoptr(GString) answer = g_string_new (NULL);
  char buf[4096];
  gssize n;
  guint status = 0;

  g_socket_client_set_timeout (client, 30);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), head, strlen (head),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf, sizeof buf,
                                   NULL, NULL)) > 0)
    g_string_append_len (answer, buf, n);
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 "));
  status = (guint) g_ascii_strtoull (answer->str + 9, NULL, 10);
  return status;
}

/* The signature is over METHOD "\n" PATH_WITH_QUERY "\n" TS where PATH_WITH_QUERY is the
 * normalised target the server acts on: a target with dot segments or a percent-encoded
 * unreserved character is verified in its normal form, so a signature over the raw
 * form is refused and one over the normal form is accepted. */
static void
test_signed_target (void)
{
  g_autofree char *dir = queue_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "queue.db", NULL);
  g_autoptr(FrStaffKey) staff = fr_staff_key_generate ();
  g_autoptr(QueueProcess) server = NULL;
  static const struct { const char *sent; const char *normal; } cases[] = {
    { "/v1/./envelopes?limit=5", "/v1/envelopes?limit=5" },
    { "/v1/x/../envelopes", "/v1/envelopes" },
    { "/v1/%65nvelopes", "/v1/envelopes" },
  };

  queue_enroll_reader (db, "staff-1", staff);
  server = queue_start (db, "http", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;
      g_autofree char *raw = fr_reader_auth_build (staff->reader_pk, staff->reader_sk, "GET", cases[i].sent, now);
      g_autofree char *normal = fr_reader_auth_build (staff->reader_pk, staff->reader_sk, "GET", cases[i].normal, now);

      g_test_message ("%s", cases[i].sent);
      g_assert_cmpuint (raw_status (server->port, cases[i].sent, raw), ==, 403);
      g_assert_cmpuint (raw_status (server->port, cases[i].sent, normal), ==, 200);
      g_assert_cmpuint (raw_status (server->port, cases[i].normal, normal), ==, 200);
    }

  g_assert_cmpint (queue_stop (server), ==, 0);
  queue_rmtree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());

  g_test_add_func ("/queue/hardening/database-mode", test_database_mode);
  g_test_add_func ("/queue/hardening/signed-target", test_signed_target);

  return g_test_run ();
}
