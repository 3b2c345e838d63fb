#define G_LOG_DOMAIN "fristad-queue"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "fr-error.h"
#include "fr-queue.h"
#include "fr-queue-private.h"
#include "fr-reader-auth.h"

/* ------------------------------------------------------------------------------------ */
/* Reader requests: authentication, list, download, acknowledge (QUEUE.md)              */
/* ------------------------------------------------------------------------------------ */

/* Strict decimal: digits only, no sign, no leading zeros, at most 18 digits. */
static gboolean
parse_decimal (const char *s,
               gsize       len,
               gint64     *out)
{
  gint64 v = 0;

  if (len == 0 || len > 18 || (s[0] == '0' && len > 1))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

/* after=SEQ&limit=N, each at most once, in any order, nothing else. */
static gboolean
parse_list_query (const char *query,
                  gint64     *after,
                  guint      *limit)
{
  gboolean seen_after = FALSE, seen_limit = FALSE;
  const char *p = query;

  *after = 0;
  *limit = FR_QUEUE_LIST_DEFAULT_LIMIT;
  if (query == NULL)
    return TRUE;
  if (*query == '\0')
    return FALSE;

  while (TRUE)
    {
      const char *end = strchr (p, '&');
      gsize len = end != NULL ? (gsize) (end - p) : strlen (p);
      gint64 v;

      if (len > 6 && strncmp (p, "after=", 6) == 0 && !seen_after)
        {
          if (!parse_decimal (p + 6, len - 6, &v))
            return FALSE;
          *after = v;
          seen_after = TRUE;
        }
      else if (len > 6 && strncmp (p, "limit=", 6) == 0 && !seen_limit)
        {
          if (!parse_decimal (p + 6, len - 6, &v) || v < 1 || v > FR_QUEUE_LIST_MAX_LIMIT)
            return FALSE;
          *limit = (guint) v;
          seen_limit = TRUE;
        }
      else
        return FALSE;

      if (end == NULL)
        return TRUE;
      p = end + 1;
    }
}

typedef struct
{
  FrQueueStore     *store;
  FrQueuePrincipal *reader;
} ReaderLookup;

static FrReaderLookupResult
lookup_reader (const guint8  kid[FR_KID_SIZE],
               guint8        pk[FR_KEY_SIZE],
               gpointer      user_data)
{
  ReaderLookup *lookup = user_data;
  FrQueuePrincipal *p = lookup->reader;
  g_autoptr(GError) error = NULL;

  if (!fr_queue_store_find_principal (lookup->store, FR_KEY_KIND_READER, kid, p, &error))
    {
      if (g_error_matches (error, FR_ERROR, FR_ERROR_NOT_FOUND))
        return FR_READER_LOOKUP_UNKNOWN;
      g_message ("reader lookup failed: %s", error->message);
      return FR_READER_LOOKUP_FAILED;
    }
  memcpy (pk, p->pk, FR_KEY_SIZE);
  return p->revoked_at != 0 ? FR_READER_LOOKUP_REVOKED : FR_READER_LOOKUP_FOUND;
}

/* Returns TRUE if the request is from an enrolled reader, filling in @reader; otherwise
 * answers it. */
gboolean
_fr_queue_check_reader (FrQueueStore      *store,
              SoupServerMessage *msg,
              const char        *path,
              const char        *query,
              const char        *route,
              FrQueuePrincipal  *reader)
{
  ReaderLookup lookup = { store, reader };
  /* Signed: the normalised path libsoup parsed (dot segments removed, unreserved
   * characters decoded) that the routing acts on, and the query as sent; QUEUE.md. */
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_list (h, "Authorization");
  g_autofree char *target = query != NULL ? g_strconcat (path, "?", query, NULL) : g_strdup (path);
  guint8 kid[FR_KID_SIZE] = { 0, };
  char kid_hex[FR_KID_HEX_LEN + 1];
  FrReaderAuthStatus status;
  guint http;

  status = fr_reader_auth_check (value, soup_server_message_get_method (msg), target,
                                 g_get_real_time () / G_USEC_PER_SEC,
                                 lookup_reader, &lookup, kid);
  if (status == FR_READER_AUTH_OK)
    return TRUE;

  http = fr_reader_auth_status_http (status);
  if (status == FR_READER_AUTH_MISSING || status == FR_READER_AUTH_MALFORMED)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", FR_READER_AUTH_SCHEME);
      g_message ("%s %s %u %s", soup_server_message_get_method (msg), route, http,
                 fr_reader_auth_status_name (status));
    }
  else
    {
      fr_kid_to_hex (kid, kid_hex);
      g_message ("%s %s %u %s kid=%s", soup_server_message_get_method (msg), route, http,
                 fr_reader_auth_status_name (status), kid_hex);
    }
  _fr_queue_respond_error (msg, http, fr_reader_auth_status_name (status));
  return FALSE;
}

void
_fr_queue_handle_list (FrQueueStore           *store,
             SoupServerMessage      *msg,
             const FrQueuePrincipal *reader,
             const char             *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) items = NULL;
  g_autoptr(GString) json = NULL;
  gint64 after, next;
  guint limit;

  if (!parse_list_query (query, &after, &limit))
    {
      g_message ("GET /v1/envelopes 400 bad-query");
      _fr_queue_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-query");
      return;
    }

  items = fr_queue_store_list (store, reader->bound ? reader->recipient_kid : NULL,
                               after, limit, &error);
  if (items == NULL)
    {
      g_message ("GET /v1/envelopes 503 storage-unavailable: %s", error->message);
      _fr_queue_respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "storage-unavailable");
      return;
    }

  /* Ids are lowercase UUIDs and kiosk names [A-Za-z0-9._-]: no escaping is needed. */
  json = g_string_new ("{\"items\":[");
  next = after;
  for (guint i = 0; i < items->len; i++)
    {
      const FrQueueItem *item = &g_array_index (items, FrQueueItem, i);

      if (!_fr_queue_is_lowercase_uuid (item->id, strlen (item->id)) || !fr_queue_name_is_valid (item->kiosk))
        {
          g_message ("GET /v1/envelopes 503 storage-unavailable: row seq=%" G_GINT64_FORMAT " is corrupt", item->seq);
          _fr_queue_respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "storage-unavailable");
          return;
        }
      g_string_append_printf (json,
                              "%s{\"seq\":%" G_GINT64_FORMAT ",\"id\":\"%s\",\"kiosk\":\"%s\","
                              "\"received_at\":%" G_GINT64_FORMAT ",\"size\":%" G_GINT64_FORMAT "}",
                              i > 0 ? "," : "", item->seq, item->id, item->kiosk,
                              item->received_at, item->size);
      next = item->seq;
    }
  g_string_append_printf (json, "],\"next\":%" G_GINT64_FORMAT "}", next);

  g_message ("GET /v1/envelopes 200 after=%" G_GINT64_FORMAT " limit=%u items=%u reader=%s%s",
             after, limit, items->len, reader->name, reader->bound ? "" : " (bound to no recipient)");
  _fr_queue_respond_json (msg, SOUP_STATUS_OK, json->str);
}

void
_fr_queue_handle_get (FrQueueStore           *store,
            SoupServerMessage      *msg,
            const FrQueuePrincipal *reader,
            const char             *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = fr_queue_store_get (store, reader->bound ? reader->recipient_kid : NULL,
                                                id, &error);

  if (bytes == NULL)
    {
      if (g_error_matches (error, FR_ERROR, FR_ERROR_NOT_FOUND))
        {
          g_message ("GET /v1/envelopes/%s 404 not-found", id);
          _fr_queue_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found");
        }
      else
        {
          g_message ("GET /v1/envelopes/%s 503 storage-unavailable: %s", id, error->message);
          _fr_queue_respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "storage-unavailable");
        }
      return;
    }

  g_message ("GET /v1/envelopes/%s 200 size=%" G_GSIZE_FORMAT, id, g_bytes_get_size (bytes));
  _fr_queue_add_common_headers (msg);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/octet-stream", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}

void
_fr_queue_handle_ack (FrQueueStore           *store,
            SoupServerMessage      *msg,
            const FrQueuePrincipal *reader,
            const char             *id)
{
  g_autoptr(GError) error = NULL;
  gboolean already = FALSE;

  if (!fr_queue_store_ack (store, reader->bound ? reader->recipient_kid : NULL, id,
                           g_get_real_time () / G_USEC_PER_SEC, &already, &error))
    {
      if (g_error_matches (error, FR_ERROR, FR_ERROR_NOT_FOUND))
        {
          g_message ("POST /v1/envelopes/%s/ack 404 not-found", id);
          _fr_queue_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found");
        }
      else
        {
          g_message ("POST /v1/envelopes/%s/ack 503 storage-unavailable: %s", id, error->message);
          _fr_queue_respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "storage-unavailable");
        }
      return;
    }

  g_message ("POST /v1/envelopes/%s/ack 200 %s", id, already ? "already-acked" : "acked");
  _fr_queue_respond_json (msg, SOUP_STATUS_OK, "{\"status\":\"acked\"}");
}
