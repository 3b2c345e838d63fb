#define G_LOG_DOMAIN "fristad-queue"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "fr-queue-private.h"

/* An early refusal: the connection is taken from libsoup, the answer written by hand
 * and the connection closed after a short, bounded drain of what the client is still
 * sending (so that it can read the answer rather than see a reset). */
typedef struct
{
  GIOStream    *stream;
  GBytes       *answer;
  GCancellable *cancellable;
  guint         timeout_id;
  gsize         drained;
} EarlyRefusal;

#define DRAIN_MAX      (1024 * 1024)
#define DRAIN_SECONDS  2

static void
early_refusal_finish (EarlyRefusal *r)
{
  if (r->timeout_id != 0)
    g_source_remove (r->timeout_id);
  g_io_stream_close (r->stream, NULL, NULL);
  g_object_unref (r->stream);
  g_bytes_unref (r->answer);
  g_object_unref (r->cancellable);
  g_free (r);
}

static gboolean
early_refusal_timeout (gpointer data)
{
  EarlyRefusal *r = data;

  r->timeout_id = 0;
  g_cancellable_cancel (r->cancellable);
  return G_SOURCE_REMOVE;
}

static void early_refusal_drain (EarlyRefusal *r);

static void
early_refusal_drained (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  EarlyRefusal *r = data;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (chunk == NULL || g_bytes_get_size (chunk) == 0)
    {
      early_refusal_finish (r);
      return;
    }
  r->drained += g_bytes_get_size (chunk);
  if (r->drained >= DRAIN_MAX)
    {
      early_refusal_finish (r);
      return;
    }
  early_refusal_drain (r);
}

static void
early_refusal_drain (EarlyRefusal *r)
{
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (r->stream), 64 * 1024,
                                   G_PRIORITY_DEFAULT, r->cancellable,
                                   early_refusal_drained, r);
}

static void
early_refusal_written (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  EarlyRefusal *r = data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL)
      || !g_output_stream_flush (G_OUTPUT_STREAM (source), NULL, NULL))
    {
      early_refusal_finish (r);
      return;
    }
  early_refusal_drain (r);
}

void
_fr_queue_refuse_early (SoupServerMessage *msg,
                        guint              status,
                        const char        *name,
                        guint              retry_after)
{
  g_autofree char *body = g_strdup_printf ("{\"error\":\"%s\"}", name);
  g_autofree char *head = NULL;
  gsize head_len;
  g_autofree char *retry = retry_after > 0 ? g_strdup_printf ("Retry-After: %u\r\n", retry_after) : g_strdup ("");
  EarlyRefusal *r;
  GIOStream *stream;

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    {
      /* Cannot happen with HTTP/1.1; answer normally (the body is then read and dropped). */
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      if (retry_after > 0)
        {
          g_autofree char *value = g_strdup_printf ("%u", retry_after);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Retry-After", value);
        }
      _fr_queue_respond_error (msg, status, name);
      return;
    }

  head = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Cache-Control: no-store\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "Connection: close\r\n"
                          "%s"
                          "\r\n%s",
                          status, status == 429 ? "Too Many Requests" : soup_status_get_phrase (status),
                          strlen (body), retry, body);

  r = g_new0 (EarlyRefusal, 1);
  r->stream = stream;
  /* The length first: the order in which arguments are evaluated is unspecified, and
   * g_steal_pointer() clears head (clang evaluates left to right). */
  head_len = strlen (head);
  r->answer = g_bytes_new_take (g_steal_pointer (&head), head_len);
  r->cancellable = g_cancellable_new ();
  r->timeout_id = g_timeout_add_seconds (DRAIN_SECONDS, early_refusal_timeout, r);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (r->answer, NULL),
                                   g_bytes_get_size (r->answer),
                                   G_PRIORITY_DEFAULT, r->cancellable,
                                   early_refusal_written, r);
}
