#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "fr-reader-auth.h"
#include "queue-fixture.h"

/* A partial record as the kiosk UI hands it to fr_record_complete(). */
static const char partial_record[] =
  "{\"channel\":\"kiosk\",\"language\":\"sv\","
  "\"answers\":{\"needs\":[\"shelter\"],\"callback\":false},"
  "\"consent\":{\"share\":true,\"text_version\":\"consent-test\"}}";

const char *
queue_binary (void)
{
  const char *env = g_getenv ("FRISTAD_QUEUE");

  if (env != NULL && *env != '\0')
    return env;
#ifdef FRISTAD_QUEUE_BIN
  return FRISTAD_QUEUE_BIN;
#else
  return "fristad-queue";
#endif
}

char *
queue_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("fristad-queue-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
queue_rmtree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        queue_rmtree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
queue_cli (char       **out_stdout,
           char       **out_stderr,
           const char  *first_arg,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, (gpointer) queue_binary ());
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &wait_status, &error);
  g_assert_no_error (error);
  if (err != NULL && *err != '\0')
    g_test_message ("fristad-queue %s: stderr: %s", first_arg, err);

  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

static QueueProcess *
read_listening_line (GSubprocess *process,
                     const char  *db,
                     const char  *scheme)
{
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  QueueProcess *server;
  const char *port_text;
  guint64 port = 0;

  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on 127.0.0.1:"));
  port_text = line + strlen ("listening on 127.0.0.1:");
  g_assert_true (g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL));

  server = g_new0 (QueueProcess, 1);
  server->process = g_object_ref (process);
  server->db = g_strdup (db);
  server->port = (guint16) port;
  server->pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);
  server->base_url = g_strdup_printf ("%s://127.0.0.1:%u", scheme, server->port);
  return server;
}

/* A server must never outlive its test: an orphan would hold the test's stderr open. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

GSubprocessLauncher *
queue_launcher_new (void)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return launcher;
}

QueueProcess *
queue_start (const char          *db,
             const char          *scheme,
             const char * const  *extra_args)
{
  return queue_start_env (db, scheme, extra_args, NULL);
}

QueueProcess *
queue_start_env (const char          *db,
                 const char          *scheme,
                 const char * const  *extra_args,
                 const char * const  *env)
{
  g_autoptr(GSubprocessLauncher) launcher = queue_launcher_new ();

  for (guint i = 0; env != NULL && env[i] != NULL && env[i + 1] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  return queue_start_with_launcher (launcher, db, scheme, extra_args);
}

QueueProcess *
queue_start_with_launcher (GSubprocessLauncher *launcher,
                           const char          *db,
                           const char          *scheme,
                           const char * const  *extra_args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) queue_binary ());
  g_ptr_array_add (argv, (gpointer) "serve");
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, (gpointer) db);
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1:0");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GSubprocess) process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);

    g_assert_no_error (error);
    return read_listening_line (process, db, scheme != NULL ? scheme : "http");
  }
}

QueueProcess *
queue_start_from_launcher (GSubprocessLauncher *launcher,
                           const char * const  *argv,
                           const char          *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_launcher_spawnv (launcher, argv, &error);

  g_assert_no_error (error);
  return read_listening_line (process, db, "http");
}

int
queue_stop (QueueProcess *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_if_exited (server->process))
    return g_subprocess_get_exit_status (server->process);
  return 128 + g_subprocess_get_term_sig (server->process);
}

void
queue_kill (QueueProcess *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
}

void
queue_process_free (QueueProcess *server)
{
  if (server == NULL)
    return;
  if (g_subprocess_get_identifier (server->process) != NULL)
    {
      g_subprocess_force_exit (server->process);
      g_subprocess_wait (server->process, NULL, NULL);
    }
  g_object_unref (server->process);
  g_free (server->db);
  g_free (server->base_url);
  g_free (server);
}

static void
enroll (const char   *command,
        const char   *db,
        const char   *name,
        const char   *key_string,
        const char   *recipient)
{
  g_autofree char *err = NULL;
  int status = recipient != NULL
               ? queue_cli (NULL, &err, command, "--db", db, "--name", name,
                            "--recipient", recipient, key_string, NULL)
               : queue_cli (NULL, &err, command, "--db", db, "--name", name, key_string, NULL);

  g_assert_cmpint (status, ==, 0);
}

void
queue_enroll_kiosk (const char       *db,
                    const char       *name,
                    const FrKioskKey *kiosk)
{
  g_autofree char *key = fr_key_string_format (FR_KEY_KIND_KIOSK, kiosk->pk);

  enroll ("enroll-kiosk", db, name, key, NULL);
}

void
queue_enroll_reader (const char       *db,
                     const char       *name,
                     const FrStaffKey *staff)
{
  g_autofree char *key = fr_key_string_format (FR_KEY_KIND_READER, staff->reader_pk);
  g_autofree char *recipient = fr_key_string_format (FR_KEY_KIND_RECIPIENT, staff->recipient_pk);

  /* The reader is bound to the same staff key's recipient: it sees what is sealed to it. */
  enroll ("enroll-reader", db, name, key, recipient);
}

QueueCtx *
queue_ctx_new_unstarted (void)
{
  QueueCtx *ctx = g_new0 (QueueCtx, 1);

  ctx->dir = queue_tmpdir ();
  ctx->db = g_build_filename (ctx->dir, "queue.db", NULL);
  ctx->kiosk = fr_kiosk_key_generate ();
  ctx->staff = fr_staff_key_generate ();
  queue_enroll_kiosk (ctx->db, "kiosk-1", ctx->kiosk);
  queue_enroll_reader (ctx->db, "staff-1", ctx->staff);
  ctx->session = queue_session_new (NULL);
  return ctx;
}

QueueCtx *
queue_ctx_new (const char * const *extra_args)
{
  QueueCtx *ctx = queue_ctx_new_unstarted ();

  ctx->server = queue_start (ctx->db, "http", extra_args);
  return ctx;
}

void
queue_ctx_free (QueueCtx *ctx)
{
  if (ctx->server != NULL)
    g_assert_cmpint (queue_stop (ctx->server), ==, 0);
  g_clear_pointer (&ctx->server, queue_process_free);
  g_clear_object (&ctx->session);
  fr_kiosk_key_free (ctx->kiosk);
  fr_staff_key_free (ctx->staff);
  queue_rmtree (ctx->dir);
  g_free (ctx->db);
  g_free (ctx->dir);
  g_free (ctx);
}

FrRecord *
queue_make_record (void)
{
  g_autoptr(GError) error = NULL;
  FrRecord *record = fr_record_complete (partial_record, strlen (partial_record), "test-site",
                                         g_get_real_time () / G_USEC_PER_SEC, NULL, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

/* Seals @record again: the same id, other bytes (a fresh file key) every time. */
GBytes *
queue_seal (const FrRecord   *record,
            const FrKioskKey *kiosk,
            const FrStaffKey *const *staff,
            guint             n_staff)
{
  g_autoptr(GError) error = NULL;
  guint8 (*pks)[FR_KEY_SIZE] = g_malloc0_n (n_staff, FR_KEY_SIZE);
  GBytes *envelope;

  for (guint i = 0; i < n_staff; i++)
    memcpy (pks[i], staff[i]->recipient_pk, FR_KEY_SIZE);
  envelope = fr_envelope_seal (record, NULL, 0, (const guint8 (*)[FR_KEY_SIZE]) pks, n_staff,
                               kiosk, &error);
  g_free (pks);
  g_assert_no_error (error);
  g_assert_nonnull (envelope);
  return envelope;
}

GBytes *
queue_make_envelope (const FrKioskKey *kiosk,
                     const FrStaffKey *staff,
                     gsize             attachment_size,
                     char              id_out[FR_UUID_STRING_LEN + 1])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRecord) record = NULL;
  g_autoptr(FrSecret) attachment = NULL;
  FrAttachmentInfo info = { 0, };
  const FrSecret *attachments[1];
  GBytes *envelope;

  if (attachment_size > 0)
    {
      g_strlcpy (info.kind, "voice", sizeof info.kind);
      g_strlcpy (info.mime, "audio/ogg; codecs=opus", sizeof info.mime);
      info.size = attachment_size;
      info.duration_ms = 1000;
      attachment = fr_secret_new (attachment_size);
      randombytes_buf (attachment->data, attachment_size);
      attachments[0] = attachment;
    }

  record = fr_record_complete (partial_record, strlen (partial_record), "test-site",
                               g_get_real_time () / G_USEC_PER_SEC,
                               attachment_size > 0 ? &info : NULL, attachment_size > 0 ? 1 : 0,
                               &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);

  envelope = fr_envelope_seal (record, attachment_size > 0 ? attachments : NULL,
                               attachment_size > 0 ? 1 : 0,
                               (const guint8 (*)[FR_KEY_SIZE]) &staff->recipient_pk, 1,
                               kiosk, &error);
  g_assert_no_error (error);
  g_assert_nonnull (envelope);

  if (id_out != NULL)
    g_strlcpy (id_out, fr_record_get_id_string (record), FR_UUID_STRING_LEN + 1);
  return envelope;
}

SoupSession *
queue_session_new (GTlsDatabase *ca)
{
  SoupSession *session = soup_session_new ();

  /* The queue's WWW-Authenticate scheme is ours, not HTTP Basic/Digest. */
  soup_session_remove_feature_by_type (session, SOUP_TYPE_AUTH_MANAGER);
  soup_session_set_timeout (session, 60);
  if (ca != NULL)
    soup_session_set_tls_database (session, ca);
  return session;
}

QueueReply *
queue_request (SoupSession *session,
               const char  *method,
               const char  *base_url,
               const char  *path_with_query,
               GBytes      *body,
               const char  *authorization)
{
  g_autofree char *url = g_strconcat (base_url, path_with_query, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  QueueReply *reply = g_new0 (QueueReply, 1);

  g_assert_nonnull (msg);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/octet-stream", body);
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);

  reply->body = soup_session_send_and_read (session, msg, NULL, &error);
  if (reply->body == NULL)
    {
      reply->status = 0;
      reply->error = g_strdup (error->message);
      return reply;
    }
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return reply;
}

QueueReply *
queue_request_as_reader (SoupSession      *session,
                         const char       *method,
                         const char       *base_url,
                         const char       *path_with_query,
                         const FrStaffKey *reader)
{
  g_autofree char *auth = fr_reader_auth_build (reader->reader_pk, reader->reader_sk, method,
                                                path_with_query, g_get_real_time () / G_USEC_PER_SEC);

  return queue_request (session, method, base_url, path_with_query, NULL, auth);
}

void
queue_reply_free (QueueReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply->error);
  g_free (reply);
}

char *
queue_reply_json_string (QueueReply *reply,
                         const char *member)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data;
  JsonNode *root;
  JsonObject *object;

  g_assert_nonnull (reply->body);
  data = g_bytes_get_data (reply->body, &len);
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  if (!json_object_has_member (object, member))
    return NULL;
  return g_strdup (json_object_get_string_member (object, member));
}

void
queue_assert_healthy (SoupSession  *session,
                      QueueProcess *server)
{
  g_autoptr(QueueReply) reply = queue_request (session, "GET", server->base_url, "/v1/health", NULL, NULL);
  gsize len = 0;
  const char *data;

  g_assert_cmpuint (reply->status, ==, 200);
  data = g_bytes_get_data (reply->body, &len);
  g_assert_cmpmem (data, len, "{\"status\":\"ok\"}", strlen ("{\"status\":\"ok\"}"));
}
