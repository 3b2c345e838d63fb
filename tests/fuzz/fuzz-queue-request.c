/* fuzz-queue-request.c — what the queue server reads from a connection
 *
 * The input is the raw bytes a client sends: request line, headers and body. They go to
 * a real FrQueueServer on 127.0.0.1 (one per process, a SQLite store in a temporary
 * directory, the test kiosk of tests/vectors/fristad-envelope-1.keys and one reader
 * enrolled) over a fresh connection whose sending side is then shut; the answer is read
 * to the end. That runs libsoup's request parsing, the got-headers checks and the early
 * refusal (intake/fr-queue-refusal.c), the routing and list-query parsing, the reader
 * Authorization check and, for POST /v1/envelopes, the envelope header parse and
 * signature check the server does before storing.
 *
 * Every occurrence of "@AUTH@" in the input is replaced by a valid reader Authorization
 * value for the request line's method and target at the current time, so seeds get past
 * the reader check. In the replay build fuzz_replay_check() fails unless the seeds got the
 * answers that show they reach each part: stored (201), listed and fetched by a reader (200),
 * a malformed envelope (400), each kind of refused reader (401, 403) and both early
 * refusals (411, 413). Every answer must be an HTTP/1.x status line with a status the API
 * documents, and the server must close the connection within a few seconds.
 */
#define G_LOG_DOMAIN "fristad-fuzz"

#include "config.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "fr-intake.h"
#include "fr-queue.h"
#include "fr-reader-auth.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int fuzz_replay_check (void);

#define KIOSK_PK_HEX "d017c7c2edfd822bb376a8123790ed067597f01df6680742d1eb1ec16f1bc744"
#define RECIPIENT_SK_HEX "7381c9a415f18dfbcfa5aae5122f9e28d874bfa98217f62cfa9ea534222dcf40"

static char *tmpdir;
static FrQueueStore *store;
static FrQueueServer *server;
static GSocketAddress *address;
static guint replies_by_status[600];   /* for fuzz_replay_check() */
static guint8 reader_pk[FR_KEY_SIZE];
static guint8 reader_sk[FR_SIGN_SECRET_SIZE];

static GLogWriterOutput
quiet_writer (GLogLevelFlags   level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  /* The server logs one line per request; keep warnings and worse. */
  if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
cleanup (void)
{
  g_clear_pointer (&server, fr_queue_server_free);
  g_clear_pointer (&store, fr_queue_store_close);
  g_clear_object (&address);
  if (tmpdir != NULL)
    {
      const char *names[] = { "queue.db", "queue.db-wal", "queue.db-shm", "queue.db-journal" };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (tmpdir, names[i], NULL);

          g_remove (path);
        }
      g_rmdir (tmpdir);
      g_clear_pointer (&tmpdir, g_free);
    }
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) any_port = NULL;
  g_autofree char *db = NULL;
  guint8 kiosk_pk[FR_KEY_SIZE];
  guint8 recipient_sk[FR_KEY_SIZE];
  guint8 recipient_pk[FR_KEY_SIZE];
  guint8 recipient_kid[FR_KID_SIZE];
  guint8 seed[crypto_sign_SEEDBYTES];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (server != NULL)
    return;
  g_log_set_writer_func (quiet_writer, NULL, NULL);
  g_assert_true (fr_init ());

  tmpdir = g_dir_make_tmp ("fuzz-queue-XXXXXX", &error);
  g_assert_no_error (error);
  atexit (cleanup);
  db = g_build_filename (tmpdir, "queue.db", NULL);
  store = fr_queue_store_open (db, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sodium_hex2bin (kiosk_pk, sizeof kiosk_pk, KIOSK_PK_HEX, strlen (KIOSK_PK_HEX),
                                   NULL, NULL, NULL), ==, 0);
  g_assert_true (fr_queue_store_enroll (store, "vector-kiosk", FR_KEY_KIND_KIOSK, kiosk_pk, NULL, now, &error));
  g_assert_no_error (error);
  /* The reader serves the vector's recipient key, so the vector envelope is listed to it. */
  g_assert_cmpint (sodium_hex2bin (recipient_sk, sizeof recipient_sk, RECIPIENT_SK_HEX,
                                   strlen (RECIPIENT_SK_HEX), NULL, NULL, NULL), ==, 0);
  crypto_scalarmult_base (recipient_pk, recipient_sk);
  sodium_memzero (recipient_sk, sizeof recipient_sk);
  fr_kid_compute (recipient_pk, recipient_kid);
  memset (seed, 0xa5, sizeof seed);
  crypto_sign_seed_keypair (reader_pk, reader_sk, seed);
  g_assert_true (fr_queue_store_enroll (store, "fuzz-reader", FR_KEY_KIND_READER, reader_pk, recipient_kid,
                                        now, &error));
  g_assert_no_error (error);

  server = fr_queue_server_new (store, 1000000, NULL, &error);
  g_assert_no_error (error);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  any_port = g_inet_socket_address_new (loopback, 0);
  g_assert_true (fr_queue_server_listen (server, any_port, &error));
  g_assert_no_error (error);
  address = fr_queue_server_get_address (server);
  g_assert_nonnull (address);
}

/* The input with every "@AUTH@" replaced by a header value signed for its request line. */
static GByteArray *
substitute_auth (const uint8_t *data,
                 size_t         size)
{
  static const char token[] = "@AUTH@";
  GByteArray *out = g_byte_array_sized_new (size);
  g_autofree char *auth = NULL;
  const uint8_t *line_end = memchr (data, '\r', size);
  const uint8_t *sp1 = memchr (data, ' ', size);
  const uint8_t *sp2 = sp1 != NULL ? memchr (sp1 + 1, ' ', size - (gsize) (sp1 + 1 - data)) : NULL;

  if (sp1 != NULL && sp2 != NULL && (line_end == NULL || sp2 < line_end) && sp2 > sp1 + 1
      && sp1[1] == '/')
    {
      g_autofree char *method = g_strndup ((const char *) data, (gsize) (sp1 - data));
      g_autofree char *target = g_strndup ((const char *) sp1 + 1, (gsize) (sp2 - sp1 - 1));

      if (*method != '\0' && strlen (method) == (gsize) (sp1 - data) && strchr (method, '\n') == NULL
          && strlen (target) == (gsize) (sp2 - sp1 - 1) && strchr (target, '\n') == NULL)
        auth = fr_reader_auth_build (reader_pk, reader_sk, method, target,
                                     g_get_real_time () / G_USEC_PER_SEC);
    }

  for (size_t i = 0; i < size; )
    {
      if (auth != NULL && size - i >= strlen (token) && memcmp (data + i, token, strlen (token)) == 0)
        {
          g_byte_array_append (out, (const guint8 *) auth, strlen (auth));
          i += strlen (token);
        }
      else
        g_byte_array_append (out, data + i++, 1);
    }
  return out;
}

static void
check_answer (const guint8 *answer,
              gsize         len)
{
  static const guint known[] = { 200, 201, 400, 401, 403, 404, 405, 409, 411, 413, 429, 503, 507,
                                 /* libsoup's own answers to requests it cannot parse */
                                 417, 431, 501, 505 };
  guint status;
  char *end = NULL;

  if (len == 0)
    return;   /* e.g. nothing sent but a half request; the server closed without answering */
  if (len < 12 || (memcmp (answer, "HTTP/1.1 ", 9) != 0 && memcmp (answer, "HTTP/1.0 ", 9) != 0))
    g_error ("not an HTTP status line: %.*s", (int) MIN (len, 40u), answer);
  status = (guint) g_ascii_strtoull ((const char *) answer + 9, &end, 10);
  g_assert_true (end == (const char *) answer + 12);
  if (status == 100)
    {
      /* "100 Continue" comes before the answer to a request with Expect. */
      const guint8 *next = memmem (answer, len, "\r\n\r\n", 4);

      g_assert_nonnull (next);
      next += 4;
      check_answer (next, len - (gsize) (next - answer));
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (status == known[i])
      {
        replies_by_status[status]++;
        return;
      }
  g_error ("unexpected status %u", status);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GByteArray) request = NULL;
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  gsize sent = 0;
  gboolean shut = FALSE;

  setup ();
  request = substitute_auth (data, size);

  client = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  /* Loopback: the kernel completes the connection from the listen backlog. */
  g_assert_true (g_socket_connect (client, address, NULL, &error));
  g_socket_set_blocking (client, FALSE);

  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      guint8 buf[4096];
      gssize n;

      if (sent < request->len)
        {
          n = g_socket_send (client, (const char *) request->data + sent, request->len - sent, NULL, &error);
          if (n > 0)
            sent += (gsize) n;
          else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            g_clear_error (&error);
          else
            {
              /* The server answered early and closed: stop sending, read the answer. */
              g_clear_error (&error);
              sent = request->len;
            }
        }
      if (sent == request->len && !shut)
        {
          g_socket_shutdown (client, FALSE, TRUE, NULL);
          shut = TRUE;
        }

      n = g_socket_receive (client, (char *) buf, sizeof buf, NULL, &error);
      if (n > 0)
        g_byte_array_append (answer, buf, (guint) n);
      else if (n == 0)
        break;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        g_clear_error (&error);
      else
        break;   /* reset by the server */

      if (!g_main_context_iteration (NULL, FALSE))
        g_socket_condition_timed_wait (client, G_IO_IN | G_IO_HUP | G_IO_ERR
                                               | (sent < request->len ? G_IO_OUT : 0),
                                       1000, NULL, NULL);
    }
  g_assert_true (g_get_monotonic_time () < deadline);
  g_socket_close (client, NULL);
  check_answer (answer->data, answer->len);

  /* Let the server finish with the connection before the next input. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}

int
fuzz_replay_check (void)
{
  static const guint wanted[] = { 200, 201, 400, 401, 403, 404, 405, 411, 413 };
  int missing = 0;

  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    {
      g_print ("fuzz-queue-request: %u answered %u\n", replies_by_status[wanted[i]], wanted[i]);
      if (replies_by_status[wanted[i]] == 0)
        {
          g_printerr ("fuzz-queue-request: no seed was answered %u\n", wanted[i]);
          missing++;
        }
    }
  return missing == 0 ? 0 : 1;
}
