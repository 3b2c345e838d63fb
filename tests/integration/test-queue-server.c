/* Integration tests of fristad-queue serve: the real binary on 127.0.0.1, a random port,
 * SoupSession (or a raw socket where HTTP framing itself is under test) as the client. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "fr-reader-auth.h"
#include "fr-queue.h"
#include "queue-fixture.h"

static QueueReply *
post_envelope (QueueCtx    *ctx,
               GBytes *envelope)
{
  return queue_request (ctx->session, "POST", ctx->server->base_url, "/v1/envelopes", envelope, NULL);
}

static void
assert_error (QueueReply *reply,
              guint       status,
              const char *name)
{
  g_autofree char *error = NULL;

  g_assert_cmpuint (reply->status, ==, status);
  error = queue_reply_json_string (reply, "error");
  g_assert_cmpstr (error, ==, name);
}

static JsonNode *
reply_json (QueueReply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (reply->body, &len);

  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Lists every stored envelope (following "next") as id → seq. */
static GHashTable *
list_all (QueueCtx *ctx)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 after = 0;

  while (TRUE)
    {
      g_autofree char *path = g_strdup_printf ("/v1/envelopes?after=%" G_GINT64_FORMAT "&limit=1000", after);
      g_autoptr(QueueReply) reply = queue_request_as_reader (ctx->session, "GET", ctx->server->base_url, path, ctx->staff);
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object;
      JsonArray *items;

      g_assert_cmpuint (reply->status, ==, 200);
      root = reply_json (reply);
      object = json_node_get_object (root);
      items = json_object_get_array_member (object, "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          const char *id = json_object_get_string_member (item, "id");

          /* Exactly once. */
          g_assert_false (g_hash_table_contains (ids, id));
          g_hash_table_insert (ids, g_strdup (id), GINT_TO_POINTER ((int) json_object_get_int_member (item, "seq")));
        }
      if (json_array_get_length (items) == 0)
        {
          g_assert_cmpint (json_object_get_int_member (object, "next"), ==, after);
          break;
        }
      after = json_object_get_int_member (object, "next");
    }
  return ids;
}

/* ------------------------------------------------------------------------------------ */

static void
test_store_flow (void)
{
  g_autoptr(QueueCtx) ctx = queue_ctx_new (NULL);
  char id[FR_UUID_STRING_LEN + 1];
  g_autoptr(GBytes) envelope = queue_make_envelope (ctx->kiosk, ctx->staff, 0, id);
  g_autofree char *item_path = g_strdup_printf ("/v1/envelopes/%s", id);
  g_autofree char *ack_path = g_strdup_printf ("/v1/envelopes/%s/ack", id);

  /* Stored, then the same envelope again is a duplicate. */
  {
    g_autoptr(QueueReply) reply = post_envelope (ctx, envelope);
    g_autofree char *got_id = NULL;
    g_autofree char *status = NULL;

    g_assert_cmpuint (reply->status, ==, 201);
    got_id = queue_reply_json_string (reply, "id");
    status = queue_reply_json_string (reply, "status");
    g_assert_cmpstr (got_id, ==, id);
    g_assert_cmpstr (status, ==, "stored");
  }
  queue_assert_healthy (ctx->session, ctx->server);
  {
    g_autoptr(QueueReply) reply = post_envelope (ctx, envelope);
    g_autofree char *status = NULL;

    g_assert_cmpuint (reply->status, ==, 200);
    status = queue_reply_json_string (reply, "status");
    g_assert_cmpstr (status, ==, "duplicate");
    g_assert_null (queue_reply_json_string (reply, "id"));
  }
  queue_assert_healthy (ctx->session, ctx->server);

  /* Listed with its metadata. */
  {
    g_autoptr(QueueReply) reply = queue_request_as_reader (ctx->session, "GET", ctx->server->base_url,
                                                           "/v1/envelopes?after=0&limit=100", ctx->staff);
    g_autoptr(JsonNode) root = NULL;
    JsonObject *object, *item;
    JsonArray *items;

    g_assert_cmpuint (reply->status, ==, 200);
    root = reply_json (reply);
    object = json_node_get_object (root);
    items = json_object_get_array_member (object, "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    item = json_array_get_object_element (items, 0);
    g_assert_cmpstr (json_object_get_string_member (item, "id"), ==, id);
    g_assert_cmpstr (json_object_get_string_member (item, "kiosk"), ==, "kiosk-1");
    g_assert_cmpint (json_object_get_int_member (item, "size"), ==, g_bytes_get_size (envelope));
    g_assert_cmpint (json_object_get_int_member (item, "seq"), >=, 1);
    g_assert_cmpint (ABS (json_object_get_int_member (item, "received_at") - g_get_real_time () / G_USEC_PER_SEC), <=, 600);
    g_assert_cmpint (json_object_get_int_member (object, "next"), ==, json_object_get_int_member (item, "seq"));
  }
  queue_assert_healthy (ctx->session, ctx->server);

  /* Fetched byte for byte. */
  {
    g_autoptr(QueueReply) reply = queue_request_as_reader (ctx->session, "GET", ctx->server->base_url, item_path, ctx->staff);

    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==, "application/octet-stream");
    g_assert_true (g_bytes_equal (reply->body, envelope));
  }
  queue_assert_healthy (ctx->session, ctx->server);

  /* Acknowledged: gone, acking again is fine, a replay is a duplicate and not stored again. */
  {
    g_autoptr(QueueReply) reply = queue_request_as_reader (ctx->session, "POST", ctx->server->base_url, ack_path, ctx->staff);
    g_autofree char *status = NULL;

    g_assert_cmpuint (reply->status, ==, 200);
    status = queue_reply_json_string (reply, "status");
    g_assert_cmpstr (status, ==, "acked");
  }
  {
    g_autoptr(QueueReply) reply = queue_request_as_reader (ctx->session, "POST", ctx->server->base_url, ack_path, ctx->staff);

    g_assert_cmpuint (reply->status, ==, 200);
  }
  {
    g_autoptr(QueueReply) reply = queue_request_as_reader (ctx->session, "GET", ctx->server->base_url, item_path, ctx->staff);

    assert_error (reply, 404, "not-found");
  }
  {
    g_autoptr(QueueReply) reply = post_envelope (ctx, envelope);
    g_autofree char *status = NULL;

    g_assert_cmpuint (reply->status, ==, 200);
    status = queue_reply_json_string (reply, "status");
    g_assert_cmpstr (status, ==, "duplicate");
  }
  {
    g_autoptr(GHashTable) ids = list_all (ctx);

    g_assert_cmpuint (g_hash_table_size (ids), ==, 0);
  }
  queue_assert_healthy (ctx->session, ctx->server);

  /* Unknown and malformed ids. */
  {
    const char *unknown = "/v1/envelopes/00000000-0000-4000-8000-000000000000";
    g_autofree char *unknown_ack = g_strconcat (unknown, "/ack", NULL);
    g_autoptr(QueueReply) get = queue_request_as_reader (ctx->session, "GET", ctx->server->base_url, unknown, ctx->staff);
    g_autoptr(QueueReply) ack = queue_request_as_reader (ctx->session, "POST", ctx->server->base_url, unknown_ack, ctx->staff);
    g_autoptr(QueueReply) upper = queue_request_as_reader (ctx->session, "GET", ctx->server->base_url,
                                                           "/v1/envelopes/0000000A-0000-4000-8000-000000000000", ctx->staff);
    g_autoptr(QueueReply) junk = queue_request_as_reader (ctx->session, "GET", ctx->server->base_url,
                                                          "/v1/envelopes/not-a-uuid", ctx->staff);
    g_autoptr(QueueReply) junk_ack = queue_request_as_reader (ctx->session, "POST", ctx->server->base_url,
                                                              "/v1/envelopes/123/ack", ctx->staff);

    assert_error (get, 404, "not-found");
    assert_error (ack, 404, "not-found");
    assert_error (upper, 400, "bad-id");
    assert_error (junk, 400, "bad-id");
    assert_error (junk_ack, 400, "bad-id");
  }
  queue_assert_healthy (ctx->session, ctx->server);

  /* Other paths and methods. */
  {
    g_autoptr(QueueReply) nowhere = queue_request (ctx->session, "GET", ctx->server->base_url, "/v2/envelopes", NULL, NULL);
    g_autoptr(QueueReply) put = queue_request (ctx->session, "PUT", ctx->server->base_url, "/v1/envelopes", NULL, NULL);
    g_autoptr(QueueReply) post_health = queue_request (ctx->session, "POST", ctx->server->base_url, "/v1/health", NULL, NULL);
    g_autoptr(QueueReply) deep = queue_request (ctx->session, "GET", ctx->server->base_url,
                                                "/v1/envelopes/00000000-0000-4000-8000-000000000000/x", NULL, NULL);

    assert_error (nowhere, 404, "not-found");
    assert_error (put, 405, "method-not-allowed");
    assert_error (post_health, 405, "method-not-allowed");
    assert_error (deep, 404, "not-found");
  }
  queue_assert_healthy (ctx->session, ctx->server);
}

static void
test_list_query (void)
{
  g_autoptr(QueueCtx) ctx = queue_ctx_new (NULL);
  char ids[3][FR_UUID_STRING_LEN + 1];
  const char *bad[] = {
    "/v1/envelopes?after=abc", "/v1/envelopes?after=-1", "/v1/envelopes?after=01",
    "/v1/envelopes?after=+1", "/v1/envelopes?limit=0", "/v1/envelopes?limit=1001",
    "/v1/envelopes?limit=", "/v1/envelopes?after=1&after=2", "/v1/envelopes?cursor=1",
    "/v1/envelopes?", "/v1/envelopes?after=1&", "/v1/envelopes?after=99999999999999999999",
  };

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GBytes) envelope = queue_make_envelope (ctx->kiosk, ctx->staff, 0, ids[i]);
      g_autoptr(QueueReply) reply = post_envelope (ctx, envelope);

      g_assert_cmpuint (reply->status, ==, 201);
    }

  /* Paging with limit and next. */
  {
    g_autoptr(QueueReply) first = queue_request_as_reader (ctx->session, "GET", ctx->server->base_url,
                                                           "/v1/envelopes?limit=2", ctx->staff);
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *path = NULL;
    JsonArray *items;
    gint64 next;

    g_assert_cmpuint (first->status, ==, 200);
    root = reply_json (first);
    items = json_object_get_array_member (json_node_get_object (root), "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "id"), ==, ids[0]);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 1), "id"), ==, ids[1]);
    next = json_object_get_int_member (json_node_get_object (root), "next");

    path = g_strdup_printf ("/v1/envelopes?limit=2&after=%" G_GINT64_FORMAT, next);
    {
      g_autoptr(QueueReply) second = queue_request_as_reader (ctx->session, "GET", ctx->server->base_url, path, ctx->staff);
      g_autoptr(JsonNode) root2 = NULL;
      JsonArray *items2;

      g_assert_cmpuint (second->status, ==, 200);
      root2 = reply_json (second);
      items2 = json_object_get_array_member (json_node_get_object (root2), "items");
      g_assert_cmpuint (json_array_get_length (items2), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items2, 0), "id"), ==, ids[2]);
    }
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(QueueReply) reply = queue_request_as_reader (ctx->session, "GET", ctx->server->base_url, bad[i], ctx->staff);

      g_test_message ("query %s", bad[i]);
      assert_error (reply, 400, "bad-query");
    }
  queue_assert_healthy (ctx->session, ctx->server);
}

static void
test_kiosk_unknown (void)
{
  g_autoptr(QueueCtx) ctx = queue_ctx_new (NULL);
  g_autoptr(FrKioskKey) stranger = fr_kiosk_key_generate ();
  g_autoptr(GBytes) envelope = queue_make_envelope (stranger, ctx->staff, 0, NULL);
  g_autoptr(QueueReply) reply = post_envelope (ctx, envelope);

  assert_error (reply, 403, "unknown-kiosk");
  queue_assert_healthy (ctx->session, ctx->server);
}

static void
test_kiosk_revoked (void)
{
  g_autoptr(QueueCtx) ctx = queue_ctx_new (NULL);
  g_autoptr(GBytes) before = queue_make_envelope (ctx->kiosk, ctx->staff, 0, NULL);
  g_autoptr(GBytes) after = queue_make_envelope (ctx->kiosk, ctx->staff, 0, NULL);

  {
    g_autoptr(QueueReply) reply = post_envelope (ctx, before);

    g_assert_cmpuint (reply->status, ==, 201);
  }
  /* Revoked while the server runs: takes effect at once. */
  g_assert_cmpint (queue_cli (NULL, NULL, "revoke", "--db", ctx->db, "kiosk-1", NULL), ==, 0);
  {
    g_autoptr(QueueReply) reply = post_envelope (ctx, after);

    assert_error (reply, 403, "revoked-kiosk");
  }
  queue_assert_healthy (ctx->session, ctx->server);
}

/* Runs one SQL statement on the queue database beside the running server. */
static void
exec_sql (const char *db_path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* An upload the store could not write is answered 503 storage-unavailable, never 201, and
 * is not there afterwards; once the store works again the same upload is stored. */
static void
test_storage_failure (void)
{
  g_autoptr(QueueCtx) ctx = queue_ctx_new (NULL);
  char id[FR_UUID_STRING_LEN + 1];
  g_autoptr(GBytes) envelope = queue_make_envelope (ctx->kiosk, ctx->staff, 100, id);
  g_autofree char *path = g_strdup_printf ("/v1/envelopes/%s", id);

  exec_sql (ctx->db, "CREATE TRIGGER fail_insert BEFORE INSERT ON envelopes "
                     "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
  {
    g_autoptr(QueueReply) reply = post_envelope (ctx, envelope);

    assert_error (reply, 503, "storage-unavailable");
  }
  {
    g_autoptr(QueueReply) fetched = queue_request_as_reader (ctx->session, "GET", ctx->server->base_url,
                                                             path, ctx->staff);

    g_assert_cmpuint (fetched->status, ==, 404);
  }
  exec_sql (ctx->db, "DROP TRIGGER fail_insert;");
  {
    g_autoptr(QueueReply) reply = post_envelope (ctx, envelope);

    g_assert_cmpuint (reply->status, ==, 201);
  }
  queue_assert_healthy (ctx->session, ctx->server);
}

static void
test_kiosk_bad_signature (void)
{
  g_autoptr(QueueCtx) ctx = queue_ctx_new (NULL);
  g_autoptr(GBytes) envelope = queue_make_envelope (ctx->kiosk, ctx->staff, 0, NULL);
  gsize len = 0;
  guint8 *data = g_memdup2 (g_bytes_get_data (envelope, &len), g_bytes_get_size (envelope));
  g_autoptr(GBytes) forged = NULL;

  data[len - 1] ^= 0x01;   /* last byte of the signature */
  forged = g_bytes_new_take (data, len);
  {
    g_autoptr(QueueReply) reply = post_envelope (ctx, forged);

    assert_error (reply, 403, "bad-signature");
  }
  queue_assert_healthy (ctx->session, ctx->server);
}

static GBytes *
mutate (GBytes *envelope,
        gsize   keep,
        gsize   at,
        guint8  value,
        gsize   append)
{
  gsize len = g_bytes_get_size (envelope);
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, g_bytes_get_data (envelope, NULL), MIN (keep, len));
  if (at < out->len)
    out->data[at] = value;
  for (gsize i = 0; i < append; i++)
    g_byte_array_append (out, (const guint8 *) "\0", 1);
  return g_byte_array_free_to_bytes (out);
}

static void
test_malformed (void)
{
  g_autoptr(QueueCtx) ctx = queue_ctx_new (NULL);
  g_autoptr(GBytes) envelope = queue_make_envelope (ctx->kiosk, ctx->staff, 0, NULL);
  gsize len = g_bytes_get_size (envelope);
  struct
  {
    const char *what;
    GBytes     *bytes;
    const char *error;
  } cases[] = {
    { "bad magic", mutate (envelope, len, 0, 'X', 0), "bad-magic" },
    { "unknown version", mutate (envelope, len, 7, 0x02, 0), "unknown-version" },
    { "truncated header", mutate (envelope, 60, G_MAXSIZE, 0, 0), "truncated" },
    { "trailing bytes", mutate (envelope, len, G_MAXSIZE, 0, 1), "trailing-bytes" },
    { "zero recipients", mutate (envelope, len, FR_ENVELOPE_FIXED_SIZE - 1, 0, 0), "recipient-count" },
    { "too many recipients", mutate (envelope, len, FR_ENVELOPE_FIXED_SIZE - 1, 17, 0), "recipient-count" },
    { "one byte", mutate (envelope, 1, G_MAXSIZE, 0, 0), "truncated" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(QueueReply) reply = post_envelope (ctx, cases[i].bytes);

      g_test_message ("malformed: %s", cases[i].what);
      assert_error (reply, 400, cases[i].error);
      queue_assert_healthy (ctx->session, ctx->server);
      g_bytes_unref (cases[i].bytes);
    }

  /* An empty body (Content-Length: 0). */
  {
    g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
    g_autoptr(QueueReply) reply = post_envelope (ctx, empty);

    g_assert_cmpuint (reply->status, ==, 400);
  }
  /* Nothing was stored. */
  {
    g_autoptr(GHashTable) ids = list_all (ctx);

    g_assert_cmpuint (g_hash_table_size (ids), ==, 0);
  }
  queue_assert_healthy (ctx->session, ctx->server);
}

/* Sends @head and @body_bytes zero bytes on a plain connection, closes the sending side
 * and returns everything the server answers. */
static char *
raw_exchange (guint16     port,
              const char *head,
              gsize       body_bytes)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autofree guint8 *zeros = g_malloc0 (MAX (body_bytes, 1));
  GSocket *socket;
  char buf[4096];
  gssize n;

  g_socket_client_set_timeout (client, 30);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  socket = g_socket_connection_get_socket (conn);
  g_socket_set_timeout (socket, 30);

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);
  if (body_bytes > 0)
    {
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), zeros, body_bytes, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_socket_shutdown (socket, FALSE, TRUE, &error);
  g_assert_no_error (error);

  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf, sizeof buf, NULL, &error)) > 0)
    g_string_append_len (answer, buf, n);
  /* A reset after the answer is fine; a timeout is not. */
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  return g_string_free (g_steal_pointer (&answer), FALSE);
}

static void
test_oversize (void)
{
  g_autoptr(QueueCtx) ctx = queue_ctx_new (NULL);
  g_autofree char *head = g_strdup_printf ("POST /v1/envelopes HTTP/1.1\r\n"
                                           "Host: 127.0.0.1:%u\r\n"
                                           "Content-Type: application/octet-stream\r\n"
                                           "Content-Length: %u\r\n\r\n",
                                           ctx->server->port, FR_ENVELOPE_MAX_SIZE + 1);
  g_autofree char *huge = g_strdup_printf ("POST /v1/envelopes HTTP/1.1\r\n"
                                           "Host: 127.0.0.1:%u\r\n"
                                           "Content-Length: 1099511627776\r\n\r\n",
                                           ctx->server->port);
  g_autofree char *ack = g_strdup_printf ("POST /v1/envelopes/00000000-0000-4000-8000-000000000000/ack HTTP/1.1\r\n"
                                          "Host: 127.0.0.1:%u\r\n"
                                          "Content-Length: 100000000\r\n\r\n",
                                          ctx->server->port);

  /* Only the headers and 4 KiB of the announced 8 MiB + 1 are ever sent: the answer
   * comes without the body having been read. */
  {
    g_autofree char *answer = raw_exchange (ctx->server->port, head, 4096);

    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 413 "));
    g_assert_nonnull (strstr (answer, "{\"error\":\"too-large\"}"));
  }
  queue_assert_healthy (ctx->session, ctx->server);
  {
    g_autofree char *answer = raw_exchange (ctx->server->port, huge, 100);

    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 413 "));
  }
  queue_assert_healthy (ctx->session, ctx->server);
  {
    g_autofree char *answer = raw_exchange (ctx->server->port, ack, 100);

    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 413 "));
  }
  queue_assert_healthy (ctx->session, ctx->server);
}

static void
test_length_required (void)
{
  g_autoptr(QueueCtx) ctx = queue_ctx_new (NULL);
  g_autofree char *chunked = g_strdup_printf ("POST /v1/envelopes HTTP/1.1\r\n"
                                              "Host: 127.0.0.1:%u\r\n"
                                              "Transfer-Encoding: chunked\r\n\r\n"
                                              "10\r\n0123456789abcdef\r\n",
                                              ctx->server->port);
  g_autofree char *no_length = g_strdup_printf ("POST /v1/envelopes HTTP/1.1\r\n"
                                                "Host: 127.0.0.1:%u\r\n\r\n",
                                                ctx->server->port);

  {
    g_autofree char *answer = raw_exchange (ctx->server->port, chunked, 0);

    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 411 "));
    g_assert_nonnull (strstr (answer, "{\"error\":\"length-required\"}"));
  }
  queue_assert_healthy (ctx->session, ctx->server);
  {
    g_autofree char *answer = raw_exchange (ctx->server->port, no_length, 0);

    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 411 "));
    g_assert_nonnull (strstr (answer, "{\"error\":\"length-required\"}"));
  }
  queue_assert_healthy (ctx->session, ctx->server);
}

static void
test_rate_limit (void)
{
  const char *args[] = { "--rate", "3", NULL };
  g_autoptr(QueueCtx) ctx = queue_ctx_new (args);

  /* Strangers cannot drain the kiosk's bucket: forged envelopes come before the limit. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GBytes) envelope = queue_make_envelope (ctx->kiosk, ctx->staff, 0, NULL);
      gsize len = 0;
      guint8 *data = g_memdup2 (g_bytes_get_data (envelope, &len), g_bytes_get_size (envelope));
      g_autoptr(GBytes) forged = NULL;
      g_autoptr(QueueReply) reply = NULL;

      data[len - 10] ^= 0x40;
      forged = g_bytes_new_take (data, len);
      reply = post_envelope (ctx, forged);
      assert_error (reply, 403, "bad-signature");
    }

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GBytes) envelope = queue_make_envelope (ctx->kiosk, ctx->staff, 0, NULL);
      g_autoptr(QueueReply) reply = post_envelope (ctx, envelope);

      g_assert_cmpuint (reply->status, ==, 201);
    }
  {
    g_autoptr(GBytes) envelope = queue_make_envelope (ctx->kiosk, ctx->staff, 0, NULL);
    g_autoptr(QueueReply) reply = post_envelope (ctx, envelope);
    const char *retry_after;
    guint64 seconds = 0;

    assert_error (reply, 429, "rate-limited");
    retry_after = soup_message_headers_get_one (reply->headers, "Retry-After");
    g_assert_nonnull (retry_after);
    g_assert_true (g_ascii_string_to_unsigned (retry_after, 10, 1, 60, &seconds, NULL));
  }
  queue_assert_healthy (ctx->session, ctx->server);
}

static void
test_reader_auth (void)
{
  g_autoptr(QueueCtx) ctx = queue_ctx_new (NULL);
  g_autoptr(FrStaffKey) stranger = fr_staff_key_generate ();
  g_autoptr(FrStaffKey) former = fr_staff_key_generate ();
  const char *path = "/v1/envelopes?after=0&limit=100";
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *base = ctx->server->base_url;

  queue_enroll_reader (ctx->db, "staff-former", former);
  g_assert_cmpint (queue_cli (NULL, NULL, "revoke", "--db", ctx->db, "staff-former", NULL), ==, 0);

  /* A good request. */
  {
    g_autoptr(QueueReply) reply = queue_request_as_reader (ctx->session, "GET", base, path, ctx->staff);

    g_assert_cmpuint (reply->status, ==, 200);
  }

  /* Missing: 401 on every reader route. */
  {
    g_autoptr(QueueReply) list = queue_request (ctx->session, "GET", base, path, NULL, NULL);
    g_autoptr(QueueReply) get = queue_request (ctx->session, "GET", base, "/v1/envelopes/00000000-0000-4000-8000-000000000000", NULL, NULL);
    g_autoptr(QueueReply) ack = queue_request (ctx->session, "POST", base, "/v1/envelopes/00000000-0000-4000-8000-000000000000/ack", NULL, NULL);

    assert_error (list, 401, "missing-authorization");
    assert_error (get, 401, "missing-authorization");
    assert_error (ack, 401, "missing-authorization");
    g_assert_cmpstr (soup_message_headers_get_one (list->headers, "WWW-Authenticate"), ==, FR_READER_AUTH_SCHEME);
  }
  queue_assert_healthy (ctx->session, ctx->server);

  /* Malformed: 401. */
  {
    g_autofree char *good = fr_reader_auth_build (ctx->staff->reader_pk, ctx->staff->reader_sk, "GET", path, now);
    g_autofree char *lower_scheme = g_strdup (good);
    g_autofree char *extra = g_strconcat (good, ",x=1", NULL);
    g_autofree char *two_spaces = g_strdup_printf ("Fristad-Reader  %s", good + strlen ("Fristad-Reader "));
    const char *bad[] = { "Basic dXNlcjpwYXNz", "Fristad-Reader", "Fristad-Reader kid=zz,ts=1,sig=AA==",
                          NULL, NULL, NULL };

    lower_scheme[0] = 'f';
    bad[3] = lower_scheme;
    bad[4] = extra;
    bad[5] = two_spaces;
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(QueueReply) reply = queue_request (ctx->session, "GET", base, path, NULL, bad[i]);

        g_test_message ("malformed authorization %u", i);
        assert_error (reply, 401, "malformed-authorization");
      }
  }
  queue_assert_healthy (ctx->session, ctx->server);

  /* Expired, either side of the window: 401. */
  {
    g_autofree char *old = fr_reader_auth_build (ctx->staff->reader_pk, ctx->staff->reader_sk, "GET", path, now - 1000);
    g_autofree char *future = fr_reader_auth_build (ctx->staff->reader_pk, ctx->staff->reader_sk, "GET", path, now + 1000);
    g_autoptr(QueueReply) r1 = queue_request (ctx->session, "GET", base, path, NULL, old);
    g_autoptr(QueueReply) r2 = queue_request (ctx->session, "GET", base, path, NULL, future);

    assert_error (r1, 401, "expired-authorization");
    assert_error (r2, 401, "expired-authorization");
  }
  queue_assert_healthy (ctx->session, ctx->server);

  /* Badly signed: 403. Signed for another request, another method, or a flipped byte. */
  {
    g_autofree char *other_path = fr_reader_auth_build (ctx->staff->reader_pk, ctx->staff->reader_sk, "GET",
                                                        "/v1/envelopes?after=1&limit=100", now);
    g_autofree char *other_method = fr_reader_auth_build (ctx->staff->reader_pk, ctx->staff->reader_sk, "POST", path, now);
    g_autofree char *flipped = fr_reader_auth_build (ctx->staff->reader_pk, ctx->staff->reader_sk, "GET", path, now);
    char *sig = strstr (flipped, ",sig=") + strlen (",sig=");
    g_autoptr(QueueReply) r1 = queue_request (ctx->session, "GET", base, path, NULL, other_path);
    g_autoptr(QueueReply) r2 = queue_request (ctx->session, "GET", base, path, NULL, other_method);
    g_autoptr(QueueReply) r3 = NULL;

    sig[0] = sig[0] == 'A' ? 'B' : 'A';
    r3 = queue_request (ctx->session, "GET", base, path, NULL, flipped);
    assert_error (r1, 403, "bad-signature");
    assert_error (r2, 403, "bad-signature");
    assert_error (r3, 403, "bad-signature");
  }
  queue_assert_healthy (ctx->session, ctx->server);

  /* Unknown reader, a kiosk key used as a reader, a revoked reader: 403. */
  {
    g_autofree char *kiosk_auth = fr_reader_auth_build (ctx->kiosk->pk, ctx->kiosk->sk, "GET", path, now);
    g_autoptr(QueueReply) r1 = queue_request_as_reader (ctx->session, "GET", base, path, stranger);
    g_autoptr(QueueReply) r2 = queue_request (ctx->session, "GET", base, path, NULL, kiosk_auth);
    g_autoptr(QueueReply) r3 = queue_request_as_reader (ctx->session, "GET", base, path, former);

    assert_error (r1, 403, "unknown-reader");
    assert_error (r2, 403, "unknown-reader");
    assert_error (r3, 403, "revoked-reader");
  }
  queue_assert_healthy (ctx->session, ctx->server);
}

static GTlsDatabase *
make_certificate (const char *dir,
                  char      **cert_out,
                  char      **key_out)
{
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
    "-addext", "subjectAltName=IP:127.0.0.1", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  GTlsDatabase *db;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

  db = g_tls_file_database_new (cert, &error);
  g_assert_no_error (error);
  *cert_out = g_steal_pointer (&cert);
  *key_out = g_steal_pointer (&key);
  return db;
}

static void
test_tls (void)
{
  g_autofree char *dir = queue_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "queue.db", NULL);
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GTlsDatabase) ca = make_certificate (dir, &cert, &key);
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autoptr(FrStaffKey) staff = fr_staff_key_generate ();
  g_autoptr(SoupSession) session = queue_session_new (ca);
  g_autoptr(SoupSession) untrusting = queue_session_new (NULL);
  g_autoptr(QueueProcess) server = NULL;
  const char *args[] = { "--tls-cert", cert, "--tls-key", key, NULL };

  queue_enroll_kiosk (db, "kiosk-tls", kiosk);
  queue_enroll_reader (db, "staff-tls", staff);
  server = queue_start (db, "https", args);

  queue_assert_healthy (session, server);
  {
    char id[FR_UUID_STRING_LEN + 1];
    g_autoptr(GBytes) envelope = queue_make_envelope (kiosk, staff, 100, id);
    g_autoptr(QueueReply) reply = queue_request (session, "POST", server->base_url, "/v1/envelopes", envelope, NULL);
    g_autofree char *path = g_strdup_printf ("/v1/envelopes/%s", id);
    g_autoptr(QueueReply) fetched = NULL;

    g_assert_cmpuint (reply->status, ==, 201);
    fetched = queue_request_as_reader (session, "GET", server->base_url, path, staff);
    g_assert_cmpuint (fetched->status, ==, 200);
    g_assert_true (g_bytes_equal (fetched->body, envelope));
  }
  /* A client without the certificate's CA refuses the connection. */
  {
    g_autoptr(QueueReply) reply = queue_request (untrusting, "GET", server->base_url, "/v1/health", NULL, NULL);

    g_assert_cmpuint (reply->status, ==, 0);
    g_assert_nonnull (reply->error);
  }
  /* Plain HTTP to the TLS port gets no answer. */
  {
    g_autofree char *plain = g_strdup_printf ("http://127.0.0.1:%u", server->port);
    g_autoptr(QueueReply) reply = queue_request (untrusting, "GET", plain, "/v1/health", NULL, NULL);

    /* No HTTP status at all: the connection fails, with a transport error to say so. */
    g_assert_cmpuint (reply->status, ==, 0);
    g_assert_nonnull (reply->error);
    g_test_message ("plain HTTP to the TLS port: %s", reply->error);
  }
  queue_assert_healthy (session, server);

  g_assert_cmpint (queue_stop (server), ==, 0);
  queue_rmtree (dir);
}

/* SIGTERM while a request is half sent: the request completes, then the server exits 0. */
static void
test_sigterm (void)
{
  g_autoptr(QueueCtx) ctx = queue_ctx_new (NULL);
  char id[FR_UUID_STRING_LEN + 1];
  g_autoptr(GBytes) envelope = queue_make_envelope (ctx->kiosk, ctx->staff, 1000, id);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (envelope, &len);
  g_autofree char *head = g_strdup_printf ("POST /v1/envelopes HTTP/1.1\r\n"
                                           "Host: 127.0.0.1:%u\r\n"
                                           "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                           ctx->server->port, len);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  GOutputStream *out;
  char buf[1024];
  gssize n;

  queue_assert_healthy (ctx->session, ctx->server);

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", ctx->server->port, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (conn), 30);
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (out, data, len / 2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_usleep (200 * 1000);

  g_subprocess_send_signal (ctx->server->process, SIGTERM);
  g_usleep (300 * 1000);
  g_assert_nonnull (g_subprocess_get_identifier (ctx->server->process));   /* still running */

  g_output_stream_write_all (out, data + len / 2, len - len / 2, NULL, NULL, &error);
  g_assert_no_error (error);
  while (strstr (answer->str, "\r\n\r\n") == NULL
         && (n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buf, sizeof buf, NULL, &error)) > 0)
    g_string_append_len (answer, buf, n);
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 201 "));

  g_subprocess_wait (ctx->server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (ctx->server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (ctx->server->process), ==, 0);

  /* Stored for good: a new server lists it. */
  g_clear_pointer (&ctx->server, queue_process_free);
  ctx->server = queue_start (ctx->db, "http", NULL);
  {
    g_autoptr(GHashTable) ids = list_all (ctx);

    g_assert_true (g_hash_table_contains (ids, id));
  }
  queue_assert_healthy (ctx->session, ctx->server);
}

static void
test_socket_activation (void)
{
  g_autofree char *dir = queue_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "queue.db", NULL);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSubprocessLauncher) launcher = queue_launcher_new ();
  g_autoptr(QueueProcess) server = NULL;
  g_autoptr(SoupSession) session = queue_session_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "/bin/sh", "-c", "LISTEN_PID=$$ exec \"$0\" serve --db \"$1\"",
                         queue_binary (), db, NULL };
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any_port, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  g_subprocess_launcher_take_fd (launcher, dup (g_socket_get_fd (socket)), 3);
  g_subprocess_launcher_setenv (launcher, "LISTEN_FDS", "1", TRUE);
  server = queue_start_from_launcher (launcher, argv, db);
  g_clear_object (&socket);

  /* It serves on the socket it was given, not on one of its own. */
  g_assert_cmpuint (server->port, ==, port);
  queue_assert_healthy (session, server);
  {
    g_autoptr(QueueReply) reply = queue_request (session, "GET", server->base_url, "/v1/envelopes", NULL, NULL);

    assert_error (reply, 401, "missing-authorization");
  }
  queue_assert_healthy (session, server);

  g_assert_cmpint (queue_stop (server), ==, 0);
  queue_rmtree (dir);
}

/* ------------------------------------------------------------------------------------ */
/* Fault: SIGKILL during a burst of uploads                                              */

#define BURST_SIZE    120
#define KILL_AFTER    30

typedef struct
{
  QueueCtx    *ctx;
  GMainLoop   *loop;
  GHashTable  *accepted;   /* ids answered 201 */
  guint        pending;
  gboolean     killed;
} Burst;

typedef struct
{
  Burst *burst;
  char   id[FR_UUID_STRING_LEN + 1];
} Upload;

static void
upload_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Upload *upload = data;
  Burst *burst = upload->burst;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  if (body != NULL && soup_message_get_status (msg) == 201)
    {
      g_hash_table_add (burst->accepted, g_strdup (upload->id));
      if (g_hash_table_size (burst->accepted) >= KILL_AFTER && !burst->killed)
        {
          burst->killed = TRUE;
          g_subprocess_send_signal (burst->ctx->server->process, SIGKILL);
        }
    }
  g_object_unref (msg);
  g_free (upload);
  if (--burst->pending == 0)
    g_main_loop_quit (burst->loop);
}

static void
test_fault_sigkill (void)
{
  const char *args[] = { "--rate", "1000000", NULL };
  g_autoptr(QueueCtx) ctx = queue_ctx_new (args);
  g_autoptr(GPtrArray) envelopes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GHashTable) accepted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(SoupSession) async_session = soup_session_new_with_options ("max-conns", 16, "max-conns-per-host", 8, NULL);
  Burst burst = { ctx, loop, accepted, 0, FALSE };
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < BURST_SIZE; i++)
    {
      char id[FR_UUID_STRING_LEN + 1];

      g_ptr_array_add (envelopes, queue_make_envelope (ctx->kiosk, ctx->staff, 200, id));
      g_ptr_array_add (ids, g_strdup (id));
    }

  for (guint i = 0; i < BURST_SIZE; i++)
    {
      g_autofree char *url = g_strconcat (ctx->server->base_url, "/v1/envelopes", NULL);
      SoupMessage *msg = soup_message_new ("POST", url);
      Upload *upload = g_new0 (Upload, 1);

      upload->burst = &burst;
      g_strlcpy (upload->id, ids->pdata[i], sizeof upload->id);
      soup_message_set_request_body_from_bytes (msg, "application/octet-stream", envelopes->pdata[i]);
      burst.pending++;
      soup_session_send_and_read_async (async_session, msg, G_PRIORITY_DEFAULT, NULL, upload_done, upload);
    }
  g_main_loop_run (loop);

  g_assert_true (burst.killed);
  g_assert_cmpuint (g_hash_table_size (accepted), >=, KILL_AFTER);
  {
    g_autoptr(GError) error = NULL;

    g_subprocess_wait (ctx->server->process, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (g_subprocess_get_if_exited (ctx->server->process));
    g_assert_cmpint (g_subprocess_get_term_sig (ctx->server->process), ==, SIGKILL);
  }
  g_test_message ("%u of %u uploads were answered 201 before SIGKILL", g_hash_table_size (accepted), BURST_SIZE);

  /* Restarted on the same database: every accepted envelope is there, once, intact. */
  g_clear_pointer (&ctx->server, queue_process_free);
  ctx->server = queue_start (ctx->db, "http", args);
  queue_assert_healthy (ctx->session, ctx->server);
  {
    g_autoptr(GHashTable) stored = list_all (ctx);

    g_hash_table_iter_init (&iter, accepted);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_assert_true (g_hash_table_contains (stored, key));
  }
  for (guint i = 0; i < BURST_SIZE; i++)
    {
      g_autofree char *path = NULL;
      g_autoptr(QueueReply) reply = NULL;

      if (!g_hash_table_contains (accepted, ids->pdata[i]))
        continue;
      path = g_strdup_printf ("/v1/envelopes/%s", (const char *) ids->pdata[i]);
      reply = queue_request_as_reader (ctx->session, "GET", ctx->server->base_url, path, ctx->staff);
      g_assert_cmpuint (reply->status, ==, 200);
      g_assert_true (g_bytes_equal (reply->body, envelopes->pdata[i]));
    }

  /* The kiosks retry everything: accepted ones are duplicates, the rest get stored. */
  for (guint i = 0; i < BURST_SIZE; i++)
    {
      g_autoptr(QueueReply) reply = post_envelope (ctx, envelopes->pdata[i]);

      if (g_hash_table_contains (accepted, ids->pdata[i]))
        g_assert_cmpuint (reply->status, ==, 200);
      else
        g_assert_true (reply->status == 201 || reply->status == 200);
    }
  {
    g_autoptr(GHashTable) stored = list_all (ctx);

    g_assert_cmpuint (g_hash_table_size (stored), ==, BURST_SIZE);
  }
  queue_assert_healthy (ctx->session, ctx->server);
  g_assert_cmpint (queue_stop (ctx->server), ==, 0);
  g_clear_pointer (&ctx->server, queue_process_free);

  /* The database itself is sound. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;

    g_assert_cmpint (sqlite3_open_v2 (ctx->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &s, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (s, 0), ==, "ok");
    sqlite3_finalize (s);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*), count(DISTINCT id) FROM envelopes", -1, &s, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (s, 0), ==, BURST_SIZE);
    g_assert_cmpint (sqlite3_column_int (s, 1), ==, BURST_SIZE);
    sqlite3_finalize (s);
    sqlite3_close (db);
  }
}

/* Group commit: a batch is one transaction; an id seen before, or earlier in the same
 * batch, is a duplicate; a tombstone makes a replay a duplicate too. */
static void
test_store_batch (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = queue_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "queue.db", NULL);
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autoptr(FrStaffKey) staff = fr_staff_key_generate ();
  FrQueueStore *store = fr_queue_store_open (db, &error);
  char id_a[FR_UUID_STRING_LEN + 1], id_b[FR_UUID_STRING_LEN + 1];
  g_autoptr(GBytes) a = queue_make_envelope (kiosk, staff, 0, id_a);
  g_autoptr(GBytes) b = queue_make_envelope (kiosk, staff, 0, id_b);
  FrQueuePut puts[3] = {
    { id_a, "kiosk-1", g_bytes_get_data (a, NULL), g_bytes_get_size (a), 0, 0 },
    { id_b, "kiosk-1", g_bytes_get_data (b, NULL), g_bytes_get_size (b), 0, 0 },
    { id_a, "kiosk-1", g_bytes_get_data (a, NULL), g_bytes_get_size (a), 0, 0 },
  };
  g_autoptr(GArray) items = NULL;
  gboolean already = FALSE;
  guint8 recipient_kid[FR_KID_SIZE];

  g_assert_no_error (error);
  g_assert_true (fr_queue_store_put_batch (store, puts, 3, 1000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (puts[0].result, ==, FR_QUEUE_PUT_STORED);
  g_assert_cmpint (puts[1].result, ==, FR_QUEUE_PUT_STORED);
  g_assert_cmpint (puts[2].result, ==, FR_QUEUE_PUT_DUPLICATE);
  g_assert_cmpint (puts[1].seq, >, puts[0].seq);
  fr_kid_compute (staff->recipient_pk, recipient_kid);
  items = fr_queue_store_list (store, recipient_kid, 0, 100, &error);
  g_assert_cmpuint (items->len, ==, 2);

  g_assert_true (fr_queue_store_ack (store, recipient_kid, id_a, 1001, &already, &error));
  g_assert_true (fr_queue_store_put_batch (store, puts, 1, 1002, &error));
  g_assert_cmpint (puts[0].result, ==, FR_QUEUE_PUT_DUPLICATE);
  g_assert_true (fr_queue_store_put_batch (store, puts, 0, 1002, &error));

  fr_queue_store_close (store);
  queue_rmtree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());

  g_test_add_func ("/queue/store-duplicate-list-get-ack", test_store_flow);
  g_test_add_func ("/queue/store/batch", test_store_batch);
  g_test_add_func ("/queue/list-query", test_list_query);
  g_test_add_func ("/queue/kiosk/unknown", test_kiosk_unknown);
  g_test_add_func ("/queue/kiosk/revoked", test_kiosk_revoked);
  g_test_add_func ("/queue/kiosk/bad-signature", test_kiosk_bad_signature);
  g_test_add_func ("/queue/storage-failure", test_storage_failure);
  g_test_add_func ("/queue/malformed", test_malformed);
  g_test_add_func ("/queue/oversize", test_oversize);
  g_test_add_func ("/queue/length-required", test_length_required);
  g_test_add_func ("/queue/rate-limit", test_rate_limit);
  g_test_add_func ("/queue/reader-auth", test_reader_auth);
  g_test_add_func ("/queue/tls", test_tls);
  g_test_add_func ("/queue/sigterm", test_sigterm);
  g_test_add_func ("/queue/socket-activation", test_socket_activation);
  g_test_add_func ("/queue/fault/sigkill-burst", test_fault_sigkill);

  return g_test_run ();
}
