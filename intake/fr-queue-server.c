#define G_LOG_DOMAIN "fristad-queue"

#include "config.h"

#include <string.h>

#include <netinet/in.h>

#include <libsoup/soup.h>

#include "fr-envelope.h"
#include "fr-error.h"
#include "fr-queue.h"
#include "fr-queue-private.h"
#include "fr-reader-auth.h"

/* ------------------------------------------------------------------------------------ */
/* Server                                                                                */
/* ------------------------------------------------------------------------------------ */

#define STATUS_TOO_MANY_REQUESTS 429   /* libsoup 3.2 has no name for it */

/* Counts requests between "headers received" and the message being released; shared
 * with the messages so that a message outliving the server cannot touch freed memory. */
typedef struct
{
  gatomicrefcount ref;
  guint           count;
  guint64         body_reserved;   /* bytes of request bodies admitted and not yet released */
} InFlight;

/* A message's share of the body memory budget, given back when the message goes. */
typedef struct
{
  InFlight *in_flight;
  guint64   bytes;
} BodyReservation;

typedef struct
{
  double tokens;
  gint64 last_us;
} Bucket;

struct _FrQueueServer
{
  SoupServer   *soup;
  FrQueueStore *store;
  guint         rate;
  GHashTable   *buckets;        /* kiosk name → Bucket */
  InFlight     *in_flight;
  gboolean      shutting_down;
  GSourceFunc   shutdown_done;
  gpointer      shutdown_data;
  guint         shutdown_source;
  gint64        shutdown_deadline;
  GPtrArray    *pending;        /* PendingPut: verified uploads waiting for the group commit */
  guint         flush_source;
  FrQueueLimits limits;
  FrQueueConnections *connections;
  gint64        busy_logged_us;   /* 503 busy is logged once per 5 s, with a count */
  guint         busy_unlogged;
};

/* A verified upload, paused until the next group commit has made it durable. */
typedef struct
{
  SoupServerMessage *msg;
  GBytes            *bytes;
  char               id[FR_UUID_STRING_LEN + 1];
  char               kiosk[FR_QUEUE_NAME_MAX + 1];
} PendingPut;

static void
pending_put_free (gpointer data)
{
  PendingPut *p = data;

  g_clear_object (&p->msg);
  g_clear_pointer (&p->bytes, g_bytes_unref);
  g_free (p);
}

static GQuark
in_flight_quark (void)
{
  static GQuark q;

  if (q == 0)
    q = g_quark_from_static_string ("fr-queue-in-flight");
  return q;
}

static GQuark
body_reservation_quark (void)
{
  static GQuark q;

  if (q == 0)
    q = g_quark_from_static_string ("fr-queue-body-reservation");
  return q;
}

static InFlight *
in_flight_ref (InFlight *f)
{
  g_atomic_ref_count_inc (&f->ref);
  return f;
}

static void
in_flight_unref (InFlight *f)
{
  if (g_atomic_ref_count_dec (&f->ref))
    g_free (f);
}

static void
in_flight_release (gpointer data)
{
  InFlight *f = data;

  g_assert (f->count > 0);
  f->count--;
  in_flight_unref (f);
}

static void
body_reservation_release (gpointer data)
{
  BodyReservation *r = data;

  g_assert (r->in_flight->body_reserved >= r->bytes);
  r->in_flight->body_reserved -= r->bytes;
  in_flight_unref (r->in_flight);
  g_free (r);
}

/* Bodies are held in memory until answered: their declared lengths share one budget.
 * An upload over 1 MiB may take only three quarters of it, so small ones (a record
 * without a recording, a reader request) always find room. */
#define BODY_LARGE  (1024 * 1024)

static gboolean
body_reserve (FrQueueServer     *self,
              SoupServerMessage *msg,
              goffset            length)
{
  guint64 budget = self->limits.body_memory;
  guint64 allowed = (guint64) length > BODY_LARGE ? budget / 4 * 3 : budget;
  BodyReservation *r;

  if (self->in_flight->body_reserved + (guint64) length > allowed)
    return FALSE;
  r = g_new0 (BodyReservation, 1);
  r->in_flight = in_flight_ref (self->in_flight);
  r->bytes = (guint64) length;
  r->in_flight->body_reserved += r->bytes;
  g_object_set_qdata_full (G_OBJECT (msg), body_reservation_quark (), r, body_reservation_release);
  return TRUE;
}

/* Every answer closes its connection: libsoup 3.2 never notices that a client closed an
 * idle keep-alive connection and keeps its descriptor forever (fixed upstream in 3.3),
 * which would let anyone exhaust the server's file descriptors. */
void
_fr_queue_add_common_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (h, "Cache-Control", "no-store");
  soup_message_headers_replace (h, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (h, "Connection", "close");
}

void
_fr_queue_respond_json (SoupServerMessage *msg,
              guint              status,
              const char        *json)
{
  _fr_queue_add_common_headers (msg);
  soup_server_message_set_status (msg, status, status == STATUS_TOO_MANY_REQUESTS ? "Too Many Requests" : NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    json, strlen (json));
}

/* @name is always one of our fixed error names: nothing from the request. */
void
_fr_queue_respond_error (SoupServerMessage *msg,
                         guint              status,
                         const char        *name)
{
  g_autofree char *json = g_strdup_printf ("{\"error\":\"%s\"}", name);

  _fr_queue_respond_json (msg, status, json);
}

static const char *
envelope_error_name (const GError *error)
{
  if (error != NULL && error->domain == FR_ERROR)
    return fr_error_code_name (error->code);
  return "malformed";
}

gboolean
_fr_queue_is_lowercase_uuid (const char *s,
                   gsize       len)
{
  if (len != FR_UUID_STRING_LEN)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (s[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isdigit (s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
        return FALSE;
    }
  return TRUE;
}

/* Whole seconds until one token has accrued to a bucket holding @tokens, rounded up
 * (no libm needed), at least 1. */
static guint
rate_retry_after (double tokens,
                  double rate)
{
  double wait = (1.0 - tokens) * 60.0 / rate;
  guint retry_after = (guint) wait;

  if ((double) retry_after < wait)
    retry_after++;
  return MAX (retry_after, 1);
}

/* Whether @kiosk's bucket holds a whole token now, without taking it or changing the
 * bucket in any way: used before the envelope's signature is known to be good, so that
 * whoever claims a kiosk's kid cannot use up that kiosk's allowance. */
static gboolean
rate_peek (FrQueueServer *self,
           const char    *kiosk,
           guint         *retry_after)
{
  Bucket *b = g_hash_table_lookup (self->buckets, kiosk);
  double rate = self->rate;
  double tokens;

  if (b == NULL)
    return TRUE;   /* a new bucket starts full, and rate >= 1 */
  tokens = MIN (rate, b->tokens + (double) (g_get_monotonic_time () - b->last_us) / G_USEC_PER_SEC * rate / 60.0);
  if (tokens >= 1.0)
    return TRUE;
  *retry_after = rate_retry_after (tokens, rate);
  return FALSE;
}

static gboolean
rate_take (FrQueueServer *self,
           const char    *kiosk,
           guint         *retry_after)
{
  gint64 now = g_get_monotonic_time ();
  Bucket *b = g_hash_table_lookup (self->buckets, kiosk);
  double rate = self->rate;

  if (b == NULL)
    {
      b = g_new0 (Bucket, 1);
      b->tokens = rate;
      b->last_us = now;
      g_hash_table_insert (self->buckets, g_strdup (kiosk), b);
    }

  b->tokens = MIN (rate, b->tokens + (double) (now - b->last_us) / G_USEC_PER_SEC * rate / 60.0);
  b->last_us = now;
  if (b->tokens >= 1.0)
    {
      b->tokens -= 1.0;
      return TRUE;
    }
  *retry_after = rate_retry_after (b->tokens, rate);
  return FALSE;
}

/* The group commit: one transaction for every upload verified since the last one. Each
 * is answered only after COMMIT returned: 201 stored, 200 duplicate, or 503 for all if
 * the transaction failed (then none of them is stored). */
static gboolean
flush_pending (gpointer data)
{
  FrQueueServer *self = data;
  g_autoptr(GPtrArray) batch = g_steal_pointer (&self->pending);
  g_autoptr(GError) error = NULL;
  g_autofree FrQueuePut *puts = NULL;
  gboolean ok;

  self->pending = g_ptr_array_new_with_free_func (pending_put_free);
  self->flush_source = 0;
  if (batch->len == 0)
    return G_SOURCE_REMOVE;

  puts = g_new0 (FrQueuePut, batch->len);
  for (guint i = 0; i < batch->len; i++)
    {
      PendingPut *p = g_ptr_array_index (batch, i);

      puts[i].id = p->id;
      puts[i].kiosk = p->kiosk;
      puts[i].data = g_bytes_get_data (p->bytes, &puts[i].len);
    }
  ok = fr_queue_store_put_batch (self->store, puts, batch->len, g_get_real_time () / G_USEC_PER_SEC, &error);
  if (!ok)
    g_message ("POST /v1/envelopes 503 storage-unavailable (%u uploads): %s", batch->len, error->message);

  for (guint i = 0; i < batch->len; i++)
    {
      PendingPut *p = g_ptr_array_index (batch, i);

      if (!ok)
        _fr_queue_respond_error (p->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "storage-unavailable");
      else if (puts[i].result == FR_QUEUE_PUT_CONFLICT)
        {
          g_message ("POST /v1/envelopes 409 id-conflict id=%s kiosk=%s size=%" G_GSIZE_FORMAT,
                     p->id, p->kiosk, puts[i].len);
          _fr_queue_respond_error (p->msg, SOUP_STATUS_CONFLICT, "id-conflict");
        }
      else if (puts[i].result == FR_QUEUE_PUT_QUOTA)
        {
          g_message ("POST /v1/envelopes 507 quota id=%s kiosk=%s size=%" G_GSIZE_FORMAT,
                     p->id, p->kiosk, puts[i].len);
          _fr_queue_respond_error (p->msg, SOUP_STATUS_INSUFFICIENT_STORAGE, "quota");
        }
      else if (puts[i].result == FR_QUEUE_PUT_DUPLICATE)
        {
          g_message ("POST /v1/envelopes 200 duplicate id=%s kiosk=%s size=%" G_GSIZE_FORMAT,
                     p->id, p->kiosk, puts[i].len);
          _fr_queue_respond_json (p->msg, SOUP_STATUS_OK, "{\"status\":\"duplicate\"}");
        }
      else
        {
          g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"status\":\"stored\"}", p->id);

          g_message ("POST /v1/envelopes 201 stored id=%s kiosk=%s size=%" G_GSIZE_FORMAT " seq=%" G_GINT64_FORMAT,
                     p->id, p->kiosk, puts[i].len, puts[i].seq);
          _fr_queue_respond_json (p->msg, SOUP_STATUS_CREATED, json);
        }
      soup_server_message_unpause (p->msg);
    }
  return G_SOURCE_REMOVE;
}

static void
handle_post_envelope (FrQueueServer     *self,
                      SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize len;
  FrEnvelopeInfo info;
  FrQueuePrincipal kiosk;
  char id[FR_UUID_STRING_LEN + 1];
  char kid_hex[FR_KID_HEX_LEN + 1];
  guint retry_after = 0;

  data = g_bytes_get_data (bytes, &len);
  if (len > FR_ENVELOPE_MAX_SIZE)
    {
      g_message ("POST /v1/envelopes 413 too-large size=%" G_GSIZE_FORMAT, len);
      _fr_queue_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large");
      return;
    }
  if (len == 0 || data == NULL)
    {
      g_message ("POST /v1/envelopes 400 truncated size=0");
      _fr_queue_respond_error (msg, SOUP_STATUS_BAD_REQUEST, fr_error_code_name (FR_ERROR_TRUNCATED));
      return;
    }

  if (!fr_envelope_inspect (data, len, &info, &error))
    {
      g_message ("POST /v1/envelopes 400 %s size=%" G_GSIZE_FORMAT, envelope_error_name (error), len);
      _fr_queue_respond_error (msg, SOUP_STATUS_BAD_REQUEST, envelope_error_name (error));
      return;
    }
  fr_kid_to_hex (info.kiosk_kid, kid_hex);

  if (!fr_queue_store_find_principal (self->store, FR_KEY_KIND_KIOSK, info.kiosk_kid, &kiosk, &error))
    {
      if (g_error_matches (error, FR_ERROR, FR_ERROR_NOT_FOUND))
        {
          g_message ("POST /v1/envelopes 403 unknown-kiosk kid=%s size=%" G_GSIZE_FORMAT, kid_hex, len);
          _fr_queue_respond_error (msg, SOUP_STATUS_FORBIDDEN, "unknown-kiosk");
        }
      else
        {
          g_message ("POST /v1/envelopes 503 storage-unavailable: %s", error->message);
          _fr_queue_respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "storage-unavailable");
        }
      return;
    }

  if (!fr_envelope_verify (data, len, kiosk.pk, &info, &error))
    {
      gboolean forbidden = g_error_matches (error, FR_ERROR, FR_ERROR_BAD_SIGNATURE)
                           || g_error_matches (error, FR_ERROR, FR_ERROR_UNKNOWN_KIOSK);
      const char *name = envelope_error_name (error);
      guint status = forbidden ? SOUP_STATUS_FORBIDDEN : SOUP_STATUS_BAD_REQUEST;

      g_message ("POST /v1/envelopes %u %s kiosk=%s size=%" G_GSIZE_FORMAT, status, name, kiosk.name, len);
      _fr_queue_respond_error (msg, status, name);
      return;
    }

  if (kiosk.revoked_at != 0)
    {
      g_message ("POST /v1/envelopes 403 revoked-kiosk kiosk=%s size=%" G_GSIZE_FORMAT, kiosk.name, len);
      _fr_queue_respond_error (msg, SOUP_STATUS_FORBIDDEN, "revoked-kiosk");
      return;
    }

  if (!rate_take (self, kiosk.name, &retry_after))
    {
      g_autofree char *value = g_strdup_printf ("%u", retry_after);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", value);
      g_message ("POST /v1/envelopes 429 rate-limited kiosk=%s retry-after=%u", kiosk.name, retry_after);
      _fr_queue_respond_error (msg, STATUS_TOO_MANY_REQUESTS, "rate-limited");
      return;
    }

  /* Verified: it waits (paused) for the group commit, which answers it after COMMIT. */
  fr_uuid_format (info.record_id, id);
  {
    PendingPut *p = g_new0 (PendingPut, 1);

    p->msg = g_object_ref (msg);
    p->bytes = g_bytes_ref (bytes);
    g_strlcpy (p->id, id, sizeof p->id);
    g_strlcpy (p->kiosk, kiosk.name, sizeof p->kiosk);
    g_ptr_array_add (self->pending, p);
    soup_server_message_pause (msg);
    if (self->flush_source == 0)
      {
        /* Default priority: runs in the same main-loop turn as the uploads that arrived
         * together, so they share one transaction and one fsync. */
        self->flush_source = g_idle_add_full (G_PRIORITY_DEFAULT, flush_pending, self, NULL);
      }
  }
}

/* The method as a log may show it: a client can send any token. */
static const char *
method_for_log (SoupServerMessage *msg)
{
  static const char * const known[] = { "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH" };
  const char *method = soup_server_message_get_method (msg);

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_strcmp0 (method, known[i]) == 0)
      return known[i];
  return "(other method)";
}

static void
method_not_allowed (SoupServerMessage *msg,
                    const char        *route,
                    const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  g_message ("%s %s 405 method-not-allowed", method_for_log (msg), route);
  _fr_queue_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed");
}

static void
server_callback (SoupServer        *soup,
                 SoupServerMessage *msg,
                 const char        *unused_path,
                 GHashTable        *unused_query,
                 gpointer           user_data)
{
  FrQueueServer *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *path = g_uri_get_path (uri);
  const char *query = g_uri_get_query (uri);
  gboolean is_get = g_strcmp0 (method, SOUP_METHOD_GET) == 0;
  gboolean is_post = g_strcmp0 (method, SOUP_METHOD_POST) == 0;
  static const char collection[] = "/v1/envelopes/";

  if (g_strcmp0 (path, "/v1/health") == 0)
    {
      if (!is_get)
        {
          method_not_allowed (msg, "/v1/health", "GET");
          return;
        }
      _fr_queue_respond_json (msg, SOUP_STATUS_OK, "{\"status\":\"ok\"}");
      return;
    }

  if (g_strcmp0 (path, "/v1/envelopes") == 0)
    {
      if (is_post)
        {
          if (query != NULL)
            {
              g_message ("POST /v1/envelopes 400 bad-query");
              _fr_queue_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-query");
              return;
            }
          handle_post_envelope (self, msg);
        }
      else if (is_get)
        {
          FrQueuePrincipal reader;

          if (_fr_queue_check_reader (self->store, msg, path, query, "/v1/envelopes", &reader))
            _fr_queue_handle_list (self->store, msg, &reader, query);
        }
      else
        method_not_allowed (msg, "/v1/envelopes", "GET, POST");
      return;
    }

  if (path != NULL && g_str_has_prefix (path, collection))
    {
      const char *rest = path + strlen (collection);
      const char *slash = strchr (rest, '/');
      gsize id_len = slash != NULL ? (gsize) (slash - rest) : strlen (rest);
      gboolean is_ack = slash != NULL && strcmp (slash, "/ack") == 0;
      char id[FR_UUID_STRING_LEN + 1];
      const char *route = is_ack ? "/v1/envelopes/{id}/ack" : "/v1/envelopes/{id}";
      FrQueuePrincipal reader;

      if (slash == NULL || is_ack)
        {
          if ((is_ack && !is_post) || (!is_ack && !is_get))
            {
              method_not_allowed (msg, route, is_ack ? "POST" : "GET");
              return;
            }
          if (!_fr_queue_check_reader (self->store, msg, path, query, route, &reader))
            return;
          if (query != NULL)
            {
              g_message ("%s %s 400 bad-query", method, route);
              _fr_queue_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-query");
              return;
            }
          if (!_fr_queue_is_lowercase_uuid (rest, id_len))
            {
              g_message ("%s %s 400 bad-id", method, route);
              _fr_queue_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-id");
              return;
            }
          memcpy (id, rest, FR_UUID_STRING_LEN);
          id[FR_UUID_STRING_LEN] = '\0';
          if (is_ack)
            _fr_queue_handle_ack (self->store, msg, &reader, id);
          else
            _fr_queue_handle_get (self->store, msg, &reader, id);
          return;
        }
    }

  g_message ("%s (unknown path) 404 not-found", method_for_log (msg));
  _fr_queue_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found");
}

/* The first bytes of an envelope upload, gathered from its first chunks (which may be
 * shorter) until the kiosk's key id is known. */
#define EARLY_HEAD_SIZE (FR_ENVELOPE_MAGIC_SIZE + FR_KID_SIZE)

typedef struct
{
  guint8 head[EARLY_HEAD_SIZE];
  gsize  have;
} EarlyHead;

static GQuark
early_head_quark (void)
{
  static GQuark q;

  if (q == 0)
    q = g_quark_from_static_string ("fr-queue-early-head");
  return q;
}

/* The early rate check (QUEUE.md "POST /v1/envelopes"): once the magic and kiosk_kid
 * have arrived, an enrolled, non-revoked kiosk whose bucket holds no whole token is
 * answered 429 at once, without reading the rest of the body. The bucket is only
 * peeked at: the token is taken after the signature is verified, as before. libsoup 3.2
 * emits "got-chunk" from its read loop, which stops as soon as the connection has been
 * stolen, so the connection is taken here the same way as at "got-headers". */
static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  FrQueueServer *self = user_data;
  EarlyHead *e = g_object_get_qdata (G_OBJECT (msg), early_head_quark ());
  FrQueuePrincipal kiosk;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize len, n;
  guint retry_after = 0;

  if (e == NULL || e->have >= EARLY_HEAD_SIZE)
    return;
  data = g_bytes_get_data (chunk, &len);
  n = MIN (len, EARLY_HEAD_SIZE - e->have);
  if (n > 0)
    memcpy (e->head + e->have, data, n);
  e->have += n;
  if (e->have < EARLY_HEAD_SIZE)
    return;
  g_signal_handlers_disconnect_by_func (msg, got_chunk_cb, user_data);

  /* Bad magic or an unknown or revoked kiosk: nothing early; the whole body is read
   * and answered as before. */
  if (memcmp (e->head, FR_ENVELOPE_MAGIC, FR_ENVELOPE_MAGIC_SIZE) != 0)
    return;
  if (!fr_queue_store_find_principal (self->store, FR_KEY_KIND_KIOSK, e->head + FR_ENVELOPE_MAGIC_SIZE,
                                      &kiosk, &error)
      || kiosk.revoked_at != 0)
    return;
  if (rate_peek (self, kiosk.name, &retry_after))
    return;

  g_message ("POST /v1/envelopes 429 rate-limited kiosk=%s retry-after=%u (unverified kid, refused before the rest of the body)",
             kiosk.name, retry_after);
  _fr_queue_refuse_early (msg, STATUS_TOO_MANY_REQUESTS, "rate-limited", retry_after);
}

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  FrQueueServer *self = user_data;
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  gboolean envelope_post;
  goffset limit;
  SoupEncoding encoding;

  if (g_object_get_qdata (G_OBJECT (msg), in_flight_quark ()) == NULL)
    {
      self->in_flight->count++;
      g_object_set_qdata_full (G_OBJECT (msg), in_flight_quark (),
                               in_flight_ref (self->in_flight), in_flight_release);
    }

  if (soup_server_message_get_status (msg) != 0 || uri == NULL)
    return;

  /* Requests that arrive after SIGTERM are refused; those in flight finish. */
  if (self->shutting_down)
    {
      g_message ("request 503 shutting-down");
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      _fr_queue_respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "shutting-down");
      return;
    }

  envelope_post = g_strcmp0 (method, SOUP_METHOD_POST) == 0
                  && g_strcmp0 (g_uri_get_path (uri), "/v1/envelopes") == 0;
  limit = envelope_post ? FR_ENVELOPE_MAX_SIZE : FR_QUEUE_SMALL_BODY_MAX;
  encoding = soup_message_headers_get_encoding (h);

  switch (encoding)
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if (soup_message_headers_get_content_length (h) > limit)
        {
          g_message ("%s 413 too-large (Content-Length %" G_GOFFSET_FORMAT ", refused before the body)",
                     envelope_post ? "POST /v1/envelopes" : "request",
                     soup_message_headers_get_content_length (h));
          _fr_queue_refuse_early (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", 0);
        }
      else if (soup_message_headers_get_content_length (h) > 0
               && !body_reserve (self, msg, soup_message_headers_get_content_length (h)))
        {
          gint64 now = g_get_monotonic_time ();

          if (now - self->busy_logged_us >= 5 * G_USEC_PER_SEC)
            {
              g_message ("%s 503 busy (Content-Length %" G_GOFFSET_FORMAT ", body memory in use %" G_GUINT64_FORMAT
                         " of %" G_GUINT64_FORMAT " bytes, refused before the body; %u more since the last such line)",
                         envelope_post ? "POST /v1/envelopes" : "request",
                         soup_message_headers_get_content_length (h), self->in_flight->body_reserved,
                         self->limits.body_memory, self->busy_unlogged);
              self->busy_logged_us = now;
              self->busy_unlogged = 0;
            }
          else
            self->busy_unlogged++;
          _fr_queue_refuse_early (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy", FR_QUEUE_BUSY_RETRY_AFTER);
        }
      else if (envelope_post && soup_message_headers_get_content_length (h) > 0
               && g_object_get_qdata (G_OBJECT (msg), early_head_quark ()) == NULL)
        {
          g_object_set_qdata_full (G_OBJECT (msg), early_head_quark (), g_new0 (EarlyHead, 1), g_free);
          g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self);
        }
      break;

    case SOUP_ENCODING_NONE:
      if (envelope_post)
        {
          g_message ("POST /v1/envelopes 411 length-required");
          _fr_queue_respond_error (msg, SOUP_STATUS_LENGTH_REQUIRED, "length-required");
        }
      break;

    case SOUP_ENCODING_CHUNKED:
    case SOUP_ENCODING_EOF:
    case SOUP_ENCODING_BYTERANGES:
    case SOUP_ENCODING_UNRECOGNIZED:
    default:
      g_message ("%s 411 length-required (body without Content-Length, refused before the body)",
                 envelope_post ? "POST /v1/envelopes" : "request");
      _fr_queue_refuse_early (msg, SOUP_STATUS_LENGTH_REQUIRED, "length-required", 0);
      break;
    }
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), user_data);
  _fr_queue_connections_watch_message (msg);
}

/**
 * fr_queue_limits_init:
 *
 * Fills @limits with the production defaults (QUEUE.md "Connection limits").
 */
void
fr_queue_limits_init (FrQueueLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->max_connections = FR_QUEUE_DEFAULT_MAX_CONNECTIONS;
  limits->max_per_address = FR_QUEUE_DEFAULT_MAX_PER_ADDRESS;
  limits->header_timeout_s = FR_QUEUE_DEFAULT_HEADER_TIMEOUT;
  limits->body_timeout_s = FR_QUEUE_DEFAULT_BODY_TIMEOUT;
  limits->min_body_rate = FR_QUEUE_DEFAULT_MIN_BODY_RATE;
  limits->idle_timeout_s = FR_QUEUE_DEFAULT_IDLE_TIMEOUT;
  limits->body_memory = (guint64) FR_QUEUE_DEFAULT_BODY_MEMORY_MB * 1024 * 1024;
}

/**
 * fr_queue_server_set_limits:
 *
 * Replaces the connection limits (every field > 0); takes effect for new connections
 * and requests.
 */
void
fr_queue_server_set_limits (FrQueueServer       *self,
                            const FrQueueLimits *limits)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (limits != NULL);
  g_return_if_fail (limits->max_connections > 0 && limits->max_per_address > 0);
  g_return_if_fail (limits->header_timeout_s > 0 && limits->body_timeout_s > 0 && limits->idle_timeout_s > 0);
  g_return_if_fail (limits->min_body_rate > 0 && limits->body_memory > 0);

  self->limits = *limits;
  _fr_queue_connections_set_limits (self->connections, limits);
}

/**
 * fr_queue_server_new:
 * @store: (transfer none): the store; must outlive the server
 * @rate_per_minute: envelopes per minute per kiosk (also the burst), > 0
 * @certificate: (nullable): serve HTTPS with this certificate
 * @error: return location for a #GError
 */
FrQueueServer *
fr_queue_server_new (FrQueueStore     *store,
                     guint             rate_per_minute,
                     GTlsCertificate  *certificate,
                     GError          **error)
{
  FrQueueServer *self;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (rate_per_minute > 0, NULL);
  g_return_val_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate), NULL);

  self = g_new0 (FrQueueServer, 1);
  self->store = store;
  self->rate = rate_per_minute;
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->pending = g_ptr_array_new_with_free_func (pending_put_free);
  self->in_flight = g_new0 (InFlight, 1);
  g_atomic_ref_count_init (&self->in_flight->ref);
  fr_queue_limits_init (&self->limits);
  /* No "tls-certificate": connections are accepted, and their TLS set up, by
   * fr-queue-connections.c, which hands libsoup streams ready to use. */
  self->soup = soup_server_new ("server-header", "fristad-queue",
                                "raw-paths", TRUE,
                                NULL);
  if (self->soup == NULL)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_NETWORK, "cannot create the HTTP server");
      fr_queue_server_free (self);
      return NULL;
    }
  self->connections = _fr_queue_connections_new (self->soup, certificate, &self->limits);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  soup_server_add_handler (self->soup, NULL, server_callback, self, NULL);
  return self;
}

void
fr_queue_server_free (FrQueueServer *self)
{
  if (self == NULL)
    return;
  /* Uploads already verified are committed and answered before the server goes. */
  if (self->pending != NULL && self->pending->len > 0)
    {
      g_source_remove (self->flush_source);
      flush_pending (self);
    }
  if (self->shutdown_source != 0)
    g_source_remove (self->shutdown_source);
  if (self->connections != NULL)
    _fr_queue_connections_stop (self->connections);
  if (self->soup != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
  g_clear_pointer (&self->connections, _fr_queue_connections_free);
  if (self->flush_source != 0)
    {
      g_source_remove (self->flush_source);
      self->flush_source = 0;
    }
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->buckets, g_hash_table_unref);
  g_clear_pointer (&self->in_flight, in_flight_unref);
  g_free (self);
}

/**
 * fr_queue_server_listen:
 *
 * Binds and listens on @address (port 0: any free port) with a backlog of
 * %FR_QUEUE_LISTEN_BACKLOG: GLib's default of 10 drops connection attempts (the client
 * retries after a second) as soon as a few dozen kiosks connect at once.
 */
gboolean
fr_queue_server_listen (FrQueueServer   *self,
                        GSocketAddress  *address,
                        GError         **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), FALSE);

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &local);
  if (socket != NULL)
    {
      g_socket_set_listen_backlog (socket, FR_QUEUE_LISTEN_BACKLOG);
      if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
        g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
    }
  if (socket == NULL
      || !g_socket_bind (socket, address, TRUE, &local)
      || !g_socket_listen (socket, &local))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_NETWORK, "cannot listen: %s", local->message);
      return FALSE;
    }
  return fr_queue_server_listen_socket (self, socket, error);
}

gboolean
fr_queue_server_listen_socket (FrQueueServer  *self,
                               GSocket        *socket,
                               GError        **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (G_IS_SOCKET (socket), FALSE);

  if (!_fr_queue_connections_listen (self->connections, socket, &local))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_NETWORK, "cannot listen on the socket: %s", local->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * fr_queue_server_get_address:
 *
 * Returns: (transfer full) (nullable): the local address of the first listener.
 */
GSocketAddress *
fr_queue_server_get_address (FrQueueServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return _fr_queue_connections_get_address (self->connections);
}

static gboolean
shutdown_poll (gpointer data)
{
  FrQueueServer *self = data;

  if (self->in_flight->count > 0 && g_get_monotonic_time () < self->shutdown_deadline)
    return G_SOURCE_CONTINUE;

  if (self->in_flight->count > 0)
    g_message ("shutting down with %u requests still in flight", self->in_flight->count);
  self->shutdown_source = 0;
  _fr_queue_connections_stop (self->connections);
  soup_server_disconnect (self->soup);
  if (self->shutdown_done != NULL)
    self->shutdown_done (self->shutdown_data);
  return G_SOURCE_REMOVE;
}

/**
 * fr_queue_server_shutdown:
 * @done: called once the server has stopped
 *
 * New requests are answered 503 with "Connection: close"; once the requests in flight
 * have finished (or after %FR_QUEUE_SHUTDOWN_GRACE_MS) the listeners and connections
 * are closed and @done is called from the main loop.
 */
void
fr_queue_server_shutdown (FrQueueServer *self,
                          GSourceFunc    done,
                          gpointer       user_data)
{
  g_return_if_fail (self != NULL);

  if (self->shutting_down)
    return;
  self->shutting_down = TRUE;
  self->shutdown_done = done;
  self->shutdown_data = user_data;
  self->shutdown_deadline = g_get_monotonic_time () + FR_QUEUE_SHUTDOWN_GRACE_MS * 1000;
  self->shutdown_source = g_timeout_add (20, shutdown_poll, self);
}
