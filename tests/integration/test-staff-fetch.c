/* test-staff-fetch.c — fristad-staff fetch against a real fristad-queue on loopback: the
 * kiosk roster decides what is kept (issue 11), refusals are remembered and listed, and
 * the queue's error text never reaches the terminal raw. Also fristad-queue export-kiosks. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fr-queue.h"
#include "fr-test-util.h"
#include "queue-fixture.h"

#define PASSPHRASE "integration staff passphrase"

typedef struct
{
  char         *dir;
  char         *db;
  char         *key;
  char         *pass;
  char         *inbox;
  FrStaffKey   *staff;
  FrKioskKey   *a;        /* enrolled at the queue, in the staff roster */
  FrKioskKey   *b;        /* enrolled at the queue, not in the roster */
  QueueProcess *queue;
  SoupSession  *session;
} Fixture;

#define run_staff(run, ...) fr_test_run_tool (run, "FRISTAD_STAFF", __VA_ARGS__, NULL)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrSecret) passphrase = fr_secret_new_from (PASSPHRASE, strlen (PASSPHRASE));

  f->dir = queue_tmpdir ();
  f->db = g_build_filename (f->dir, "queue.db", NULL);
  f->key = g_build_filename (f->dir, "staff.key", NULL);
  f->pass = g_build_filename (f->dir, "pass", NULL);
  f->inbox = g_build_filename (f->dir, "inbox", NULL);
  g_assert_true (g_file_set_contents (f->pass, PASSPHRASE "\n", -1, &error));
  f->staff = fr_staff_key_generate ();
  g_assert_true (fr_staff_key_save (f->staff, f->key, passphrase, &error));
  g_assert_no_error (error);
  f->a = fr_kiosk_key_generate ();
  f->b = fr_kiosk_key_generate ();
  f->session = queue_session_new (NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->queue)
    queue_stop (f->queue);
  g_clear_pointer (&f->queue, queue_process_free);
  g_clear_object (&f->session);
  fr_staff_key_free (f->staff);
  fr_kiosk_key_free (f->a);
  fr_kiosk_key_free (f->b);
  queue_rmtree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->key);
  g_free (f->pass);
  g_free (f->inbox);
}

static char *
upload (Fixture          *f,
        const FrKioskKey *kiosk)
{
  char id[FR_UUID_STRING_LEN + 1];
  g_autoptr(GBytes) env = queue_make_envelope (kiosk, f->staff, 0, id);
  g_autoptr(QueueReply) reply = queue_request (f->session, "POST", f->queue->base_url, "/v1/envelopes", env, NULL);

  g_assert_cmpuint (reply->status, ==, 201);
  return g_strdup (id);
}

static gboolean
in_inbox (Fixture    *f,
          const char *id)
{
  g_autofree char *name = g_strdup_printf ("%s.frs", id);
  g_autofree char *path = g_build_filename (f->inbox, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
fetch (Fixture   *f,
       FrTestRun *run)
{
  run_staff (run, "fetch", "--server", f->queue->base_url, "--key", f->key, "--inbox", f->inbox,
             "--passphrase-file", f->pass);
}

/* export-kiosks prints the enrolled, not revoked kiosks; staff import them. */
static void
test_export_and_import (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *key_a = fr_key_string_format (FR_KEY_KIND_KIOSK, f->a->pk);
  g_autofree char *key_b = fr_key_string_format (FR_KEY_KIND_KIOSK, f->b->pk);
  g_autofree char *line_a = g_strdup_printf ("%s kiosk-a\n", key_a);
  g_autofree char *line_b = g_strdup_printf ("%s kiosk-b\n", key_b);
  g_autofree char *both = g_strconcat (line_a, line_b, NULL);
  g_autofree char *export = g_build_filename (f->dir, "kiosks.txt", NULL);

  queue_enroll_kiosk (f->db, "kiosk-a", f->a);
  queue_enroll_kiosk (f->db, "kiosk-b", f->b);
  queue_enroll_reader (f->db, "staff-1", f->staff);
  g_assert_cmpint (queue_cli (&out, &err, "export-kiosks", "--db", f->db, NULL), ==, 0);
  g_assert_cmpstr (out, ==, both);   /* readers are not listed */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (queue_cli (&out, &err, "revoke", "--db", f->db, "kiosk-b", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (queue_cli (&out, &err, "export-kiosks", "--db", f->db, NULL), ==, 0);
  g_assert_cmpstr (out, ==, line_a);
  g_assert_true (g_file_set_contents (export, out, -1, NULL));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (queue_cli (&out, &err, "export-kiosks", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  {
    g_auto(FrTestRun) run;

    run_staff (&run, "kiosks", "import", export, "--key", f->key, "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "added kiosk-a\n"));
  }
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "kiosks", "list", "--key", f->key, "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, key_a));
    g_assert_null (strstr (run.out, key_b));
  }
}

/* fetch keeps only envelopes from kiosks in the roster; the others are not stored, are
 * reported, remembered (list --refused) and not downloaded again — until their kiosk is
 * added. A forged envelope put into the queue's store under a real kiosk's key id is
 * refused too. */
static void
test_fetch_roster (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id_a = NULL, *id_b = NULL;
  g_autofree char *key_a = fr_key_string_format (FR_KEY_KIND_KIOSK, f->a->pk);
  g_autofree char *key_b = fr_key_string_format (FR_KEY_KIND_KIOSK, f->b->pk);
  g_autoptr(FrKioskKey) forger = fr_kiosk_key_generate ();
  char id_forged[FR_UUID_STRING_LEN + 1];

  queue_enroll_kiosk (f->db, "kiosk-a", f->a);
  queue_enroll_kiosk (f->db, "kiosk-b", f->b);
  queue_enroll_reader (f->db, "staff-1", f->staff);
  f->queue = queue_start (f->db, "http", NULL);
  id_a = upload (f, f->a);
  id_b = upload (f, f->b);
  /* Whoever controls the queue seals a record with its own key and labels it kiosk-a's. */
  {
    g_autoptr(GBytes) env = queue_make_envelope (forger, f->staff, 0, id_forged);
    g_autofree guint8 *forged = g_memdup2 (g_bytes_get_data (env, NULL), g_bytes_get_size (env));
    g_autoptr(FrQueueStore) store = fr_queue_store_open (f->db, &error);
    FrQueuePutResult result;
    gint64 seq = 0;

    g_assert_no_error (error);
    fr_kid_compute (f->a->pk, forged + FR_ENVELOPE_MAGIC_SIZE);
    g_assert_true (fr_queue_store_put (store, id_forged, "kiosk-a", g_get_real_time () / G_USEC_PER_SEC,
                                       forged, g_bytes_get_size (env), &result, &seq, &error));
    g_assert_no_error (error);
    g_assert_cmpint (result, ==, FR_QUEUE_PUT_STORED);
  }

  /* No roster: nothing is downloaded, and the error says what to do. */
  {
    g_auto(FrTestRun) run;

    fetch (f, &run);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "fristad-staff kiosks import"));
    g_assert_false (in_inbox (f, id_a));
  }
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "kiosks", "add", "kiosk-a", key_a, "--key", f->key, "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(FrTestRun) run;

    fetch (f, &run);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.out, "fetched 1 new, 0 already in the inbox, 2 refused"));
    g_assert_true (in_inbox (f, id_a));
    g_assert_false (in_inbox (f, id_b));
    g_assert_false (in_inbox (f, id_forged));
    g_assert_nonnull (strstr (run.err, id_b));
    g_assert_nonnull (strstr (run.err, "not in the kiosk roster"));
    g_assert_nonnull (strstr (run.err, id_forged));
    g_assert_nonnull (strstr (run.err, "signature"));
  }
  /* Remembered: the next fetch does not download them again. */
  {
    g_auto(FrTestRun) run;

    fetch (f, &run);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "fetched 0 new, 1 already in the inbox, 0 refused, 2 refused before"));
  }
  {
    g_auto(FrTestRun) run;
    g_autofree char *row_b = g_strdup_printf ("%s\t", id_b);
    g_autofree char *refused = g_build_filename (f->inbox, "refused.tsv", NULL);
    GStatBuf st;

    run_staff (&run, "list", "--refused", "--inbox", f->inbox);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, row_b));
    g_assert_nonnull (strstr (run.out, "\tunknown-kiosk\n"));
    g_assert_nonnull (strstr (run.out, id_forged));
    g_assert_nonnull (strstr (run.out, "\tbad-signature\n"));
    g_assert_cmpint (g_stat (refused, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
  /* list verifies against the roster too. */
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "list", "--inbox", f->inbox, "--key", f->key, "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, id_a));
  }
  /* Once kiosk-b is in the roster its record is fetched after all; the forgery never is. */
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "kiosks", "add", "kiosk-b", key_b, "--key", f->key, "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(FrTestRun) run;

    fetch (f, &run);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "fetched 1 new, 1 already in the inbox, 0 refused, 1 refused before"));
    g_assert_true (in_inbox (f, id_b));
    g_assert_false (in_inbox (f, id_forged));
  }
  /* A record in the inbox from a kiosk since removed from the roster: list refuses it. */
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "kiosks", "remove", "kiosk-b", "--key", f->key, "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "list", "--inbox", f->inbox, "--key", f->key, "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "not in the kiosk roster"));
    g_assert_nonnull (strstr (run.out, id_a));
    g_assert_null (strstr (run.out, id_b));
  }
}

/* A hostile queue answering with terminal control sequences. */
typedef struct
{
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  guint16       port;
  GMutex        lock;
  GCond         ready;
  gboolean      started;
} HostileQueue;

static void
hostile_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           data)
{
  static const char body[] = "{\"error\":\"\\u001b]0;pwned\\u0007\\u001b[2J \\u202eevil\"}";

  soup_server_message_set_status (msg, 403, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static gpointer
hostile_thread (gpointer data)
{
  HostileQueue *h = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (h->context);
  h->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (h->server, NULL, hostile_handler, NULL, NULL);
  g_assert_true (soup_server_listen_local (h->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (h->server);
  h->port = (guint16) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&h->lock);
  h->started = TRUE;
  g_cond_signal (&h->ready);
  g_mutex_unlock (&h->lock);

  g_main_loop_run (h->loop);
  soup_server_disconnect (h->server);
  g_clear_object (&h->server);
  g_main_context_pop_thread_default (h->context);
  return NULL;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
test_queue_error_escaped (Fixture       *f,
                          gconstpointer  data)
{
  HostileQueue h = { 0 };
  GThread *thread;
  g_autofree char *url = NULL;
  g_autofree char *key_a = fr_key_string_format (FR_KEY_KIND_KIOSK, f->a->pk);

  h.context = g_main_context_new ();
  h.loop = g_main_loop_new (h.context, FALSE);
  g_mutex_init (&h.lock);
  g_cond_init (&h.ready);
  thread = g_thread_new ("hostile-queue", hostile_thread, &h);
  g_mutex_lock (&h.lock);
  while (!h.started)
    g_cond_wait (&h.ready, &h.lock);
  g_mutex_unlock (&h.lock);
  url = g_strdup_printf ("http://127.0.0.1:%u", h.port);

  {
    g_auto(FrTestRun) run;

    run_staff (&run, "kiosks", "add", "kiosk-a", key_a, "--key", f->key, "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "fetch", "--server", url, "--key", f->key, "--inbox", f->inbox, "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 1);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "HTTP 403"));
    g_assert_null (strchr (run.err, 0x1b));
    g_assert_null (strchr (run.err, 0x07));
    g_assert_null (strstr (run.err, "\xe2\x80\xae"));
    g_assert_nonnull (strstr (run.err, "undocumented error"));
    g_assert_nonnull (strstr (run.err, "\\x1b]0;pwned\\x07"));
    g_assert_nonnull (strstr (run.err, "\\u202eevil"));
  }
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "ack", "3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7f", "--server", url, "--key", f->key,
               "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 1);
    fr_test_assert_one_line (run.err);
    g_assert_null (strchr (run.err, 0x1b));
    g_assert_null (strchr (run.err, 0x07));
  }

  g_main_context_invoke (h.context, quit_loop, h.loop);
  g_thread_join (thread);
  g_main_loop_unref (h.loop);
  g_main_context_unref (h.context);
  g_mutex_clear (&h.lock);
  g_cond_clear (&h.ready);
}

int
main (int   argc,
      char *argv[])
{
  g_assert_true (fr_init ());
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/staff-fetch/export-and-import", Fixture, NULL, fixture_setup, test_export_and_import, fixture_teardown);
  g_test_add ("/staff-fetch/roster", Fixture, NULL, fixture_setup, test_fetch_roster, fixture_teardown);
  g_test_add ("/staff-fetch/queue-error-escaped", Fixture, NULL, fixture_setup, test_queue_error_escaped,
              fixture_teardown);

  return g_test_run ();
}
