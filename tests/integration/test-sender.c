/* test-sender.c — what the kiosk's sender makes of each answer the queue can give
 *
 * A stand-in queue (a SoupServer in its own thread) answers POST /v1/envelopes with a
 * scripted status and body. Only 201 {"id":ID,"status":"stored"} for this very id and
 * 200 {"status":"duplicate"} take a row out of the outbox; any other 2xx body, 429 and
 * every 5xx leave it pending for a retry; 4xx (but 408) keeps it as a dead letter.
 */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "fr-intake.h"
#include "fr-sender.h"
#include "queue-fixture.h"

typedef struct
{
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  SoupServer   *server;
  char         *url;
  GMutex        lock;
  GCond         ready;
  guint         status;        /* the scripted answer */
  char         *body;
  char         *retry_after;   /* NULL: no Retry-After header */
  guint         requests;
} FakeQueue;

static void
handle_envelopes (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  FakeQueue *fake = user_data;

  g_mutex_lock (&fake->lock);
  fake->requests++;
  soup_server_message_set_status (msg, fake->status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    fake->body, strlen (fake->body));
  if (fake->retry_after != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Retry-After", fake->retry_after);
  g_mutex_unlock (&fake->lock);
}

static gpointer
fake_queue_thread (gpointer data)
{
  FakeQueue *fake = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (fake->context);
  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, "/v1/envelopes", handle_envelopes, fake, NULL);
  g_assert_true (soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake->server);
  g_assert_nonnull (uris);

  g_mutex_lock (&fake->lock);
  fake->url = g_uri_to_string (uris->data);
  g_cond_signal (&fake->ready);
  g_mutex_unlock (&fake->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (fake->loop);
  soup_server_disconnect (fake->server);
  g_clear_object (&fake->server);
  g_main_context_pop_thread_default (fake->context);
  return NULL;
}

static FakeQueue *
fake_queue_start (void)
{
  FakeQueue *fake = g_new0 (FakeQueue, 1);

  g_mutex_init (&fake->lock);
  g_cond_init (&fake->ready);
  fake->context = g_main_context_new ();
  fake->loop = g_main_loop_new (fake->context, FALSE);
  fake->body = g_strdup ("{}");
  fake->status = 500;
  g_mutex_lock (&fake->lock);
  fake->thread = g_thread_new ("fake-queue", fake_queue_thread, fake);
  while (fake->url == NULL)
    g_cond_wait (&fake->ready, &fake->lock);
  g_mutex_unlock (&fake->lock);
  return fake;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
fake_queue_stop (FakeQueue *fake)
{
  g_main_context_invoke (fake->context, quit_loop, fake->loop);
  g_thread_join (fake->thread);
  g_main_loop_unref (fake->loop);
  g_main_context_unref (fake->context);
  g_mutex_clear (&fake->lock);
  g_cond_clear (&fake->ready);
  g_free (fake->url);
  g_free (fake->body);
  g_free (fake->retry_after);
  g_free (fake);
}

static void
fake_queue_answer (FakeQueue  *fake,
                   guint       status,
                   const char *body,
                   const char *retry_after)
{
  g_mutex_lock (&fake->lock);
  fake->status = status;
  g_free (fake->body);
  fake->body = g_strdup (body);
  g_free (fake->retry_after);
  fake->retry_after = g_strdup (retry_after);
  fake->requests = 0;
  g_mutex_unlock (&fake->lock);
}

typedef enum { KEPT_PENDING, DELIVERED, DEAD } Fate;

typedef struct
{
  const char *what;
  guint       status;
  const char *body;          /* "@ID@" is replaced by the envelope's id */
  const char *retry_after;
  Fate        fate;
} Case;

static const Case cases[] = {
  { "201 stored, this id", 201, "{\"id\":\"@ID@\",\"status\":\"stored\"}", NULL, DELIVERED },
  { "200 duplicate", 200, "{\"status\":\"duplicate\"}", NULL, DELIVERED },
  { "201 without stored", 201, "{\"id\":\"@ID@\",\"status\":\"queued\"}", NULL, KEPT_PENDING },
  { "201 with no status", 201, "{\"id\":\"@ID@\"}", NULL, KEPT_PENDING },
  { "201 stored, another id", 201, "{\"id\":\"00000000-0000-4000-8000-000000000000\",\"status\":\"stored\"}",
    NULL, KEPT_PENDING },
  { "201 stored, no id", 201, "{\"status\":\"stored\"}", NULL, KEPT_PENDING },
  { "201 not JSON", 201, "stored", NULL, KEPT_PENDING },
  { "200 stored", 200, "{\"id\":\"@ID@\",\"status\":\"stored\"}", NULL, KEPT_PENDING },
  { "202 accepted", 202, "{\"id\":\"@ID@\",\"status\":\"stored\"}", NULL, KEPT_PENDING },
  { "429 rate-limited", 429, "{\"error\":\"rate-limited\"}", "120", KEPT_PENDING },
  { "500", 500, "{\"error\":\"internal\"}", NULL, KEPT_PENDING },
  { "503 storage-unavailable", 503, "{\"error\":\"storage-unavailable\"}", NULL, KEPT_PENDING },
  { "507 quota", 507, "{\"error\":\"quota\"}", NULL, KEPT_PENDING },
  { "408 request timeout", 408, "{\"error\":\"timeout\"}", NULL, KEPT_PENDING },
  { "409 id-conflict", 409, "{\"error\":\"id-conflict\"}", NULL, DEAD },
  { "400 malformed", 400, "{\"error\":\"bad-magic\"}", NULL, DEAD },
  { "403 revoked-kiosk", 403, "{\"error\":\"revoked-kiosk\"}", NULL, DEAD },
};

static void
test_answers (void)
{
  FakeQueue *fake = fake_queue_start ();
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autoptr(FrStaffKey) staff = fr_staff_key_generate ();
  g_autofree char *dir = queue_tmpdir ();

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const Case *k = &cases[c];
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_strdup_printf ("%s/outbox-%u.db", dir, c);
      g_autoptr(FrOutbox) outbox = fr_outbox_open (path, &error);
      g_autoptr(FrSender) sender = NULL;
      g_autoptr(GPtrArray) pending = NULL;
      g_autoptr(GPtrArray) dead = NULL;
      g_autoptr(GString) body = g_string_new (k->body);
      char id[FR_UUID_STRING_LEN + 1];
      g_autoptr(GBytes) envelope = queue_make_envelope (kiosk, staff, 0, id);
      FrSenderReport report = { 0, };
      gint64 before = g_get_real_time () / G_USEC_PER_SEC;

      g_test_message ("%s", k->what);
      g_assert_no_error (error);
      g_assert_true (fr_outbox_enqueue (outbox, id, envelope, &error));
      g_assert_no_error (error);
      g_string_replace (body, "@ID@", id, 0);
      fake_queue_answer (fake, k->status, body->str, k->retry_after);

      sender = fr_sender_new (outbox, fake->url, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (fr_sender_deliver (sender, TRUE, &report, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (fake->requests, ==, 1);

      pending = fr_outbox_list_pending (outbox, G_MAXINT64, 0, &error);
      g_assert_no_error (error);
      dead = fr_outbox_list_dead (outbox, &error);
      g_assert_no_error (error);
      switch (k->fate)
        {
        case DELIVERED:
          g_assert_cmpuint (report.delivered + report.duplicates, ==, 1);
          g_assert_cmpuint (pending->len, ==, 0);
          g_assert_cmpuint (dead->len, ==, 0);
          break;
        case KEPT_PENDING:
          g_assert_cmpuint (report.retry, ==, 1);
          g_assert_cmpuint (report.delivered + report.duplicates + report.dead, ==, 0);
          g_assert_cmpuint (pending->len, ==, 1);
          g_assert_cmpuint (((FrOutboxItem *) pending->pdata[0])->attempts, ==, 1);
          g_assert_true (g_bytes_equal (((FrOutboxItem *) pending->pdata[0])->envelope, envelope));
          g_assert_cmpuint (dead->len, ==, 0);
          if (k->retry_after != NULL)
            g_assert_cmpint (report.next_attempt, >=, before + g_ascii_strtoll (k->retry_after, NULL, 10));
          break;
        case DEAD:
          g_assert_cmpuint (report.dead, ==, 1);
          g_assert_cmpuint (pending->len, ==, 0);
          g_assert_cmpuint (dead->len, ==, 1);
          g_assert_true (g_bytes_equal (((FrOutboxItem *) dead->pdata[0])->envelope, envelope));
          break;
        }
      fr_sender_report_clear (&report);
    }

  queue_rmtree (dir);
  fake_queue_stop (fake);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());

  g_test_add_func ("/sender/answers", test_answers);
  return g_test_run ();
}
