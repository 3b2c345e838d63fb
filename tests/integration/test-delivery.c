/* test-delivery.c — the whole path with real processes on 127.0.0.1:
 * fristad-kiosk --submit → fristad-queue → fristad-staff fetch/open/ack, and what happens
 * when the queue is down, when the connection is cut after the queue committed, with TLS
 * pinned to the right and to the wrong CA, and when the queue refuses for good. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

#include "fr-test-util.h"
#include "queue-fixture.h"

#define PASSPHRASE "integration passphrase"

typedef struct
{
  char         *dir;          /* everything of this test */
  char         *kiosk_dir;    /* kiosk.conf and the state dir: scanned for the canary */
  char         *state_dir;
  char         *queue_dir;    /* queue db: scanned for the canary */
  char         *staff_dir;    /* staff key, inbox, opened output */
  char         *input_dir;    /* the person's input files (plaintext by design) */
  char         *db;
  char         *key;
  char         *pass;
  char         *recipient;
  char         *reader;
  FrStaffKey   *staff;        /* the same key, loaded, for fixture requests */
  QueueProcess *queue;
  SoupSession  *session;
} Fixture;

#define run_kiosk(run, ...) fr_test_run_tool (run, "FRISTAD_KIOSK", __VA_ARGS__, NULL)
#define run_staff(run, ...) fr_test_run_tool (run, "FRISTAD_STAFF", __VA_ARGS__, NULL)

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
write_config (Fixture    *f,
              const char *name,
              const char *url,
              const char *ca)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->kiosk_dir, name, NULL);
  g_autofree char *text = g_strdup_printf ("[site]\nid=test-kommun\nname=Test kommun\nlanguages=sv;en;th\n"
                                           "state-dir=%s\n\n[queue]\nurl=%s\n%s%s%s\n"
                                           "[recipients]\nkeys=%s\n\n"
                                           "[contact emergency]\nname=Emergency\nphone=112\ntiles=help-now\n",
                                           f->state_dir, url, ca ? "ca=" : "", ca ? ca : "", ca ? "\n" : "",
                                           f->recipient);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
}

static char *
config_path (Fixture    *f,
             const char *name)
{
  return g_build_filename (f->kiosk_dir, name, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrSecret) passphrase = NULL;
  g_auto(FrTestRun) run;
  g_auto(GStrv) lines = NULL;

  f->dir = queue_tmpdir ();
  f->kiosk_dir = g_build_filename (f->dir, "kiosk", NULL);
  f->state_dir = g_build_filename (f->kiosk_dir, "state", NULL);
  f->queue_dir = g_build_filename (f->dir, "queue", NULL);
  f->staff_dir = g_build_filename (f->dir, "staff", NULL);
  f->input_dir = g_build_filename (f->dir, "input", NULL);
  g_assert_cmpint (g_mkdir (f->kiosk_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (f->queue_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (f->staff_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (f->input_dir, 0700), ==, 0);
  f->db = g_build_filename (f->queue_dir, "queue.db", NULL);
  f->key = g_build_filename (f->staff_dir, "staff.key", NULL);
  f->pass = g_build_filename (f->input_dir, "pass", NULL);
  g_assert_true (g_file_set_contents (f->pass, PASSPHRASE "\n", -1, &error));

  run_staff (&run, "keygen", "--out", f->key, "--passphrase-file", f->pass);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  f->recipient = g_strdup (lines[0]);
  f->reader = g_strdup (lines[1]);
  passphrase = fr_secret_new_from (PASSPHRASE, strlen (PASSPHRASE));
  f->staff = fr_staff_key_load (f->key, passphrase, &error);
  g_assert_no_error (error);
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
  queue_rmtree (f->dir);
  g_free (f->dir);
  g_free (f->kiosk_dir);
  g_free (f->state_dir);
  g_free (f->queue_dir);
  g_free (f->staff_dir);
  g_free (f->input_dir);
  g_free (f->db);
  g_free (f->key);
  g_free (f->pass);
  g_free (f->recipient);
  g_free (f->reader);
}

/* Enrolls this kiosk (its key from --print-kiosk-key) and the staff reader, and puts the
 * kiosk in the staff key's roster. */
static void
enroll (Fixture    *f,
        const char *config)
{
  g_auto(FrTestRun) key;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *kiosk_key = NULL;

  run_kiosk (&key, "--config", config, "--print-kiosk-key");
  g_assert_cmpint (key.status, ==, 0);
  kiosk_key = g_strstrip (g_strdup (key.out));
  g_assert_true (g_str_has_prefix (kiosk_key, "fristad-kiosk:"));
  g_assert_cmpint (queue_cli (&out, &err, "enroll-kiosk", "--db", f->db, "--name", "kiosk-1", kiosk_key, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (queue_cli (&out, &err, "enroll-reader", "--db", f->db, "--name", "staff-1",
                                   "--recipient", f->recipient, f->reader, NULL), ==, 0);
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "kiosks", "add", "kiosk-1", kiosk_key, "--key", f->key, "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 0);
  }
}

static char *
write_input (Fixture    *f,
             const char *canary)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("%s.json", canary);
  char *path = g_build_filename (f->input_dir, name, NULL);
  g_autofree char *json = g_strdup_printf ("{\"channel\":\"kiosk\",\"language\":\"th\","
                                           "\"answers\":{\"needs\":[\"shelter\"],\"message\":\"%s ฉันต้องการความช่วยเหลือ\"},"
                                           "\"consent\":{\"share\":true,\"text_version\":\"consent-1\"}}", canary);

  g_assert_true (g_file_set_contents (path, json, -1, &error));
  return path;
}

/* "ID RECEIPT\n" → ID */
static char *
submitted_id (const FrTestRun *run)
{
  g_auto(GStrv) parts = g_strsplit (run->out, " ", 2);
  guint8 raw[FR_RECORD_ID_SIZE];

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  g_assert_true (fr_uuid_parse (parts[0], raw));
  g_assert_cmpuint (strlen (g_strstrip (parts[1])), ==, FR_RECEIPT_STRING_LEN);
  return g_strdup (parts[0]);
}

static guint
queue_count (Fixture *f)
{
  g_autoptr(QueueReply) reply = queue_request_as_reader (f->session, "GET", f->queue->base_url,
                                                         "/v1/envelopes?after=0&limit=1000", f->staff);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL),
                                             g_bytes_get_size (reply->body), NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  return json_array_get_length (json_object_get_array_member (object, "items"));
}

static void
outbox_stats (Fixture       *f,
              FrOutboxStats *stats)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->state_dir, "outbox.db", NULL);
  g_autoptr(FrOutbox) outbox = fr_outbox_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (fr_outbox_get_stats (outbox, stats, &error));
}

static void
test_whole_path (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = config_path (f, "kiosk.conf");
  g_autofree char *canary = g_strdup_printf ("CANARY-%08x", g_test_rand_int ());
  g_autofree char *input = write_input (f, canary);
  g_autofree char *voice = g_build_filename (TEST_VECTORS_DIR, "voice-hej.ogg", NULL);
  g_autofree char *inbox = g_build_filename (f->staff_dir, "inbox", NULL);
  g_autofree char *out_dir = g_build_filename (f->staff_dir, "out", NULL);
  g_autofree char *id = NULL;
  g_autofree char *attach = g_strdup_printf ("voice=%s", voice);

  f->queue = queue_start (f->db, "http", NULL);
  write_config (f, "kiosk.conf", f->queue->base_url, NULL);
  enroll (f, config);

  {
    g_auto(FrTestRun) run;

    run_kiosk (&run, "--config", config, "--submit", input, "--attach", attach);
    g_assert_cmpint (run.status, ==, 0);
    id = submitted_id (&run);
    g_assert_null (strstr (run.err, canary));
  }
  g_assert_cmpuint (queue_count (f), ==, 1);
  {
    FrOutboxStats stats = { 0 };

    outbox_stats (f, &stats);
    g_assert_cmpuint (stats.pending, ==, 0);
    g_assert_cmpuint (stats.dead, ==, 0);
    g_assert_cmpint (stats.last_delivery, >, 0);
    fr_outbox_stats_clear (&stats);
  }

  /* Staff: fetch, list, open (the canary and the voice come back), ack. */
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "fetch", "--server", f->queue->base_url, "--key", f->key, "--inbox", inbox,
               "--passphrase-file", f->pass);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "fetched 1 new"));
  }
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "list", "--inbox", inbox, "--key", f->key, "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, id));
    g_assert_nonnull (strstr (run.out, "\ttest-kommun\tth\t"));
    g_assert_nonnull (strstr (run.out, "\tkiosk\n"));
    g_assert_null (strstr (run.out, canary));
  }
  g_assert_cmpint (g_mkdir (out_dir, 0700), ==, 0);
  {
    g_auto(FrTestRun) run;
    g_autofree char *att_name = g_strdup_printf ("%s-1-voice.ogg", id);
    g_autofree char *att_path = g_build_filename (out_dir, att_name, NULL);
    g_autofree char *got = NULL, *want = NULL;
    gsize got_len = 0, want_len = 0;

    run_staff (&run, "open", id, "--inbox", inbox, "--key", f->key, "--out", out_dir, "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, canary));
    g_assert_nonnull (strstr (run.out, "\"site\":\"test-kommun\""));
    g_assert_true (g_file_get_contents (att_path, &got, &got_len, &error));
    g_assert_true (g_file_get_contents (voice, &want, &want_len, &error));
    g_assert_cmpmem (got, got_len, want, want_len);
  }
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "ack", id, "--server", f->queue->base_url, "--key", f->key, "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 0);
  }
  g_assert_cmpuint (queue_count (f), ==, 0);

  /* A replay of the same envelope is a duplicate and is not stored again. */
  {
    g_autofree char *name = g_strdup_printf ("%s.frs", id);
    g_autofree char *path = g_build_filename (inbox, name, NULL);
    g_autofree char *bytes = NULL;
    gsize len = 0;
    g_autoptr(GBytes) body = NULL;
    g_autoptr(QueueReply) reply = NULL;
    g_autofree char *status = NULL;

    g_assert_true (g_file_get_contents (path, &bytes, &len, &error));
    body = g_bytes_new (bytes, len);
    reply = queue_request (f->session, "POST", f->queue->base_url, "/v1/envelopes", body, NULL);
    g_assert_cmpuint (reply->status, ==, 200);
    status = queue_reply_json_string (reply, "status");
    g_assert_cmpstr (status, ==, "duplicate");
  }
  g_assert_cmpuint (queue_count (f), ==, 0);

  /* No plaintext at rest on the kiosk or the queue. Positive control: the same scan finds
   * the canary in the input file the kiosk was given. */
  fr_test_assert_no_canary (f->kiosk_dir, canary);
  fr_test_assert_no_canary (f->queue_dir, canary);
  {
    guint n_files = 0;

    g_assert_cmpuint (fr_test_count_in_tree (input, canary, &n_files), ==, 1);
    g_assert_cmpuint (n_files, ==, 1);
  }
}

/* The queue is down: every record stays in the outbox and all arrive when it returns. */
static void
test_queue_down (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *config = config_path (f, "kiosk.conf");
  guint16 port = free_port ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  const char *extra[] = { "--listen", listen, NULL };

  write_config (f, "kiosk.conf", url, NULL);
  enroll (f, config);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *canary = g_strdup_printf ("CANARY-DOWN-%u-%08x", i, g_test_rand_int ());
      g_autofree char *input = write_input (f, canary);
      g_auto(FrTestRun) run;

      run_kiosk (&run, "--config", config, "--submit", input);
      g_assert_cmpint (run.status, ==, 0);
      g_ptr_array_add (ids, submitted_id (&run));
      g_assert_nonnull (strstr (run.err, "will be retried"));
    }
  {
    FrOutboxStats stats = { 0 };
    g_auto(FrTestRun) run;

    outbox_stats (f, &stats);
    g_assert_cmpuint (stats.pending, ==, 5);
    fr_outbox_stats_clear (&stats);

    run_kiosk (&run, "--config", config, "--flush");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "pending"));
  }

  /* The queue comes back on the same port. */
  f->queue = queue_start (f->db, "http", extra);
  {
    g_auto(FrTestRun) run;
    FrOutboxStats stats = { 0 };

    run_kiosk (&run, "--config", config, "--flush");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "delivered 5"));
    outbox_stats (f, &stats);
    g_assert_cmpuint (stats.pending, ==, 0);
    fr_outbox_stats_clear (&stats);
  }
  g_assert_cmpuint (queue_count (f), ==, 5);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/v1/envelopes/%s", (char *) g_ptr_array_index (ids, i));
      g_autoptr(QueueReply) reply = queue_request_as_reader (f->session, "GET", f->queue->base_url, path, f->staff);

      g_assert_cmpuint (reply->status, ==, 200);
    }
}

/* A proxy that forwards to the queue but, the first time, closes the client's connection
 * as soon as the queue's answer arrives: the queue has committed, the kiosk never hears. */
typedef struct
{
  GSocketService *service;
  guint16         port;
  guint16         upstream;
  gint            drops_left;
  GThread        *thread;
  GMainContext   *context;
  GMainLoop      *loop;
  GMutex          lock;
  GPtrArray      *workers;   /* GThread, joined by proxy_stop() */
} CutProxy;

static gpointer
proxy_connection_thread (gpointer data)
{
  gpointer *args = data;
  CutProxy *proxy = args[0];
  GSocketConnection *client = args[1];
  g_autoptr(GSocketClient) connector = g_socket_client_new ();
  g_autoptr(GSocketConnection) server = NULL;
  GInputStream *cin = g_io_stream_get_input_stream (G_IO_STREAM (client));
  GOutputStream *cout = g_io_stream_get_output_stream (G_IO_STREAM (client));
  GInputStream *sin;
  GOutputStream *sout;
  g_autoptr(GByteArray) request = g_byte_array_new ();
  guint8 buf[65536];
  gssize n;
  gsize content_length = 0, header_end = 0;

  g_free (args);
  server = g_socket_client_connect_to_host (connector, "127.0.0.1", proxy->upstream, NULL, NULL);
  if (server == NULL)
    goto out;
  sin = g_io_stream_get_input_stream (G_IO_STREAM (server));
  sout = g_io_stream_get_output_stream (G_IO_STREAM (server));

  /* Read one whole request (headers + Content-Length body) and forward it. */
  for (;;)
    {
      n = g_input_stream_read (cin, buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        goto out;
      g_byte_array_append (request, buf, n);
      if (header_end == 0)
        {
          guint8 *end = memmem (request->data, request->len, "\r\n\r\n", 4);

          if (end != NULL)
            {
              g_autofree char *headers = g_strndup ((char *) request->data, end - request->data);
              g_autofree char *lower = g_ascii_strdown (headers, -1);
              const char *cl = strstr (lower, "content-length:");

              header_end = end - request->data + 4;
              content_length = cl ? g_ascii_strtoull (cl + 15, NULL, 10) : 0;
            }
        }
      if (header_end != 0 && request->len >= header_end + content_length)
        break;
    }
  if (!g_output_stream_write_all (sout, request->data, request->len, NULL, NULL, NULL))
    goto out;

  /* The queue's answer: drop it (once), or pass it on. */
  n = g_input_stream_read (sin, buf, sizeof buf, NULL, NULL);
  if (n > 0 && !g_atomic_int_dec_and_test (&proxy->drops_left) && g_atomic_int_get (&proxy->drops_left) < 0)
    {
      g_output_stream_write_all (cout, buf, n, NULL, NULL, NULL);
      while ((n = g_input_stream_read (sin, buf, sizeof buf, NULL, NULL)) > 0)
        if (!g_output_stream_write_all (cout, buf, n, NULL, NULL, NULL))
          break;
    }

out:
  g_io_stream_close (G_IO_STREAM (client), NULL, NULL);
  g_object_unref (client);
  return NULL;
}

static gboolean
proxy_incoming (GSocketService    *service,
                GSocketConnection *connection,
                GObject           *source,
                gpointer           data)
{
  gpointer *args = g_new (gpointer, 2);

  CutProxy *proxy = data;

  args[0] = data;
  args[1] = g_object_ref (connection);
  g_mutex_lock (&proxy->lock);
  g_ptr_array_add (proxy->workers, g_thread_new ("proxy", proxy_connection_thread, args));
  g_mutex_unlock (&proxy->lock);
  return TRUE;
}

static gpointer
proxy_main (gpointer data)
{
  CutProxy *proxy = data;

  g_main_context_push_thread_default (proxy->context);
  g_main_loop_run (proxy->loop);
  /* Let the cancelled accept finish, so none of its sources outlive the proxy. */
  while (g_main_context_pending (proxy->context))
    g_main_context_iteration (proxy->context, FALSE);
  g_main_context_pop_thread_default (proxy->context);
  return NULL;
}

static gboolean
proxy_shutdown (gpointer data)
{
  CutProxy *proxy = data;

  g_socket_service_stop (proxy->service);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  g_main_loop_quit (proxy->loop);
  return G_SOURCE_REMOVE;
}

static CutProxy *
proxy_start (guint16 upstream)
{
  CutProxy *proxy = g_new0 (CutProxy, 1);
  g_autoptr(GError) error = NULL;

  proxy->upstream = upstream;
  proxy->drops_left = 1;
  g_mutex_init (&proxy->lock);
  proxy->workers = g_ptr_array_new ();
  proxy->context = g_main_context_new ();
  proxy->loop = g_main_loop_new (proxy->context, FALSE);
  g_main_context_push_thread_default (proxy->context);
  proxy->service = g_socket_service_new ();
  {
    g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (lo, 0);
    g_autoptr(GSocketAddress) effective = NULL;

    g_socket_listener_add_address (G_SOCKET_LISTENER (proxy->service), address, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
    g_assert_no_error (error);
    proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  }
  g_signal_connect (proxy->service, "incoming", G_CALLBACK (proxy_incoming), proxy);
  g_socket_service_start (proxy->service);
  g_main_context_pop_thread_default (proxy->context);
  proxy->thread = g_thread_new ("proxy-main", proxy_main, proxy);
  return proxy;
}

static void
proxy_stop (CutProxy *proxy)
{
  /* The service belongs to the proxy's thread: stop it there. */
  g_main_context_invoke (proxy->context, proxy_shutdown, proxy);
  g_thread_join (proxy->thread);
  for (guint i = 0; i < proxy->workers->len; i++)
    g_thread_join (g_ptr_array_index (proxy->workers, i));
  g_ptr_array_unref (proxy->workers);
  g_mutex_clear (&proxy->lock);
  g_object_unref (proxy->service);
  g_main_loop_unref (proxy->loop);
  g_main_context_unref (proxy->context);
  g_free (proxy);
}

static void
test_cut_after_commit (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *config = config_path (f, "kiosk.conf");
  g_autofree char *canary = g_strdup_printf ("CANARY-CUT-%08x", g_test_rand_int ());
  g_autofree char *input = write_input (f, canary);
  g_autofree char *url = NULL;
  g_autofree char *id = NULL;
  CutProxy *proxy;

  f->queue = queue_start (f->db, "http", NULL);
  proxy = proxy_start (f->queue->port);
  url = g_strdup_printf ("http://127.0.0.1:%u", proxy->port);
  write_config (f, "kiosk.conf", url, NULL);
  enroll (f, config);

  {
    g_auto(FrTestRun) run;

    run_kiosk (&run, "--config", config, "--submit", input);
    g_assert_cmpint (run.status, ==, 0);
    id = submitted_id (&run);
    g_assert_nonnull (strstr (run.err, "will be retried"));
  }
  /* The queue committed it; the kiosk did not hear, so it keeps it. */
  g_assert_cmpuint (queue_count (f), ==, 1);
  {
    FrOutboxStats stats = { 0 };

    outbox_stats (f, &stats);
    g_assert_cmpuint (stats.pending, ==, 1);
    fr_outbox_stats_clear (&stats);
  }
  /* The retry is answered "duplicate": the row goes, and the queue still has one copy. */
  {
    g_auto(FrTestRun) run;
    FrOutboxStats stats = { 0 };

    run_kiosk (&run, "--config", config, "--flush");
    g_assert_cmpint (run.status, ==, 0);
    outbox_stats (f, &stats);
    g_assert_cmpuint (stats.pending, ==, 0);
    fr_outbox_stats_clear (&stats);
  }
  g_assert_cmpuint (queue_count (f), ==, 1);
  proxy_stop (proxy);
}

static void
make_tls (const char *dir,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_strdup_printf (
    "set -e; cd '%s';"
    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
    "  -subj '/CN=%s test CA' -keyout %s-ca.key -out %s-ca.pem 2>/dev/null;"
    "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj '/CN=127.0.0.1' "
    "  -keyout %s-server.key -out %s-server.csr 2>/dev/null;"
    "printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n' > %s-ext.cnf;"
    "openssl x509 -req -in %s-server.csr -CA %s-ca.pem -CAkey %s-ca.key -CAcreateserial -days 2 "
    "  -extfile %s-ext.cnf -out %s-server.pem 2>/dev/null",
    dir, name, name, name, name, name, name, name, name, name, name, name);
  const char *argv[] = { "sh", "-c", script, NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* TLS with the CA pinned: delivered. Pinned to another CA: refused, kept, nothing stored. */
static void
test_tls_pinning (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *good = config_path (f, "good.conf");
  g_autofree char *wrong = config_path (f, "wrong.conf");
  g_autofree char *cert = g_build_filename (f->queue_dir, "right-server.pem", NULL);
  g_autofree char *tls_key = g_build_filename (f->queue_dir, "right-server.key", NULL);
  g_autofree char *right_ca = g_build_filename (f->queue_dir, "right-ca.pem", NULL);
  g_autofree char *other_ca = g_build_filename (f->queue_dir, "other-ca.pem", NULL);
  g_autofree char *url = NULL;
  const char *extra[] = { "--tls-cert", cert, "--tls-key", tls_key, NULL };

  make_tls (f->queue_dir, "right");
  make_tls (f->queue_dir, "other");
  f->queue = queue_start (f->db, "https", extra);
  url = g_strdup_printf ("https://127.0.0.1:%u", f->queue->port);
  write_config (f, "good.conf", url, right_ca);
  write_config (f, "wrong.conf", url, other_ca);
  enroll (f, good);

  {
    g_autofree char *input = write_input (f, "CANARY-TLS-WRONG");
    g_auto(FrTestRun) run;
    FrOutboxStats stats = { 0 };

    run_kiosk (&run, "--config", wrong, "--submit", input);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.err, "will be retried"));
    outbox_stats (f, &stats);
    g_assert_cmpuint (stats.pending, ==, 1);
    fr_outbox_stats_clear (&stats);
  }
  {
    g_autoptr(GTlsDatabase) ca = g_tls_file_database_new (right_ca, NULL);
    g_autoptr(SoupSession) tls_session = queue_session_new (ca);
    g_autoptr(QueueReply) reply = queue_request_as_reader (tls_session, "GET", f->queue->base_url,
                                                           "/v1/envelopes?after=0&limit=10", f->staff);

    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body),
                                    "\"items\":[]"));
  }
  /* The same outbox, now through the right pin: the waiting record and a new one arrive. */
  {
    g_autofree char *input = write_input (f, "CANARY-TLS-RIGHT");
    g_auto(FrTestRun) run;
    g_auto(FrTestRun) flush;
    FrOutboxStats stats = { 0 };

    run_kiosk (&run, "--config", good, "--submit", input);
    g_assert_cmpint (run.status, ==, 0);
    run_kiosk (&flush, "--config", good, "--flush");
    g_assert_cmpint (flush.status, ==, 0);
    outbox_stats (f, &stats);
    g_assert_cmpuint (stats.pending, ==, 0);
    fr_outbox_stats_clear (&stats);
  }
  {
    g_autoptr(GTlsDatabase) ca = g_tls_file_database_new (right_ca, NULL);
    g_autoptr(SoupSession) tls_session = queue_session_new (ca);
    g_autoptr(QueueReply) reply = queue_request_as_reader (tls_session, "GET", f->queue->base_url,
                                                           "/v1/envelopes?after=0&limit=10", f->staff);
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL),
                                               g_bytes_get_size (reply->body), NULL));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (json_parser_get_root (parser)), "items")), ==, 2);
  }
  /* Staff fetch over TLS with the pinned CA. */
  {
    g_autofree char *inbox = g_build_filename (f->staff_dir, "inbox", NULL);
    g_auto(FrTestRun) run;

    run_staff (&run, "fetch", "--server", url, "--ca", right_ca, "--key", f->key, "--inbox", inbox,
               "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "fetched 2 new"));
  }
  {
    g_autofree char *inbox = g_build_filename (f->staff_dir, "inbox2", NULL);
    g_auto(FrTestRun) run;

    run_staff (&run, "fetch", "--server", url, "--ca", other_ca, "--key", f->key, "--inbox", inbox,
               "--passphrase-file", f->pass);
    g_assert_cmpint (run.status, ==, 1);
  }
}

/* A permanent refusal (kiosk not enrolled: 403) moves the record to dead-letter: kept. */
static void
test_dead_letter (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *config = config_path (f, "kiosk.conf");
  g_autofree char *input = write_input (f, "CANARY-DEAD");
  g_auto(FrTestRun) run;
  g_auto(FrTestRun) flush;
  FrOutboxStats stats = { 0 };

  f->queue = queue_start (f->db, "http", NULL);
  write_config (f, "kiosk.conf", f->queue->base_url, NULL);

  run_kiosk (&run, "--config", config, "--submit", input);
  g_assert_cmpint (run.status, ==, 0);
  outbox_stats (f, &stats);
  g_assert_cmpuint (stats.pending, ==, 0);
  g_assert_cmpuint (stats.dead, ==, 1);
  g_assert_nonnull (stats.last_error);
  g_assert_nonnull (strstr (stats.last_error, "403"));
  fr_outbox_stats_clear (&stats);

  run_kiosk (&flush, "--config", config, "--flush");
  g_assert_cmpint (flush.status, ==, 0);
  g_assert_nonnull (strstr (flush.out, "dead-letter 1"));
}

int
main (int   argc,
      char *argv[])
{
  g_assert_true (fr_init ());
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/delivery/whole-path", Fixture, NULL, fixture_setup, test_whole_path, fixture_teardown);
  g_test_add ("/delivery/queue-down", Fixture, NULL, fixture_setup, test_queue_down, fixture_teardown);
  g_test_add ("/delivery/cut-after-commit", Fixture, NULL, fixture_setup, test_cut_after_commit, fixture_teardown);
  g_test_add ("/delivery/tls-pinning", Fixture, NULL, fixture_setup, test_tls_pinning, fixture_teardown);
  g_test_add ("/delivery/dead-letter", Fixture, NULL, fixture_setup, test_dead_letter, fixture_teardown);

  return g_test_run ();
}
