#define G_LOG_DOMAIN "fristad-sender"

#include "config.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "fr-error.h"
#include "fr-http.h"
#include "fr-sender.h"

struct _FrSender
{
  FrOutbox    *outbox;   /* not owned */
  SoupSession *session;
  char        *envelopes_url;
  guint        backoff_base;
  guint        backoff_max;
};

typedef enum
{
  OUTCOME_DONE,        /* stored: delete the row */
  OUTCOME_DUPLICATE,   /* the queue had these very bytes from this kiosk: delete the row */
  OUTCOME_RETRY,       /* network, 5xx, 429, odd answers: try again later */
  OUTCOME_DEAD,        /* permanent refusal */
} Outcome;

FrSender *
fr_sender_new (FrOutbox    *outbox,
               const char  *queue_url,
               const char  *ca_file,
               GError     **error)
{
  FrSender *sender;
  SoupSession *session;

  g_return_val_if_fail (outbox != NULL, NULL);
  g_return_val_if_fail (queue_url != NULL, NULL);

  session = fr_http_session_new (queue_url, ca_file, error);
  if (session == NULL)
    return NULL;

  sender = g_new0 (FrSender, 1);
  sender->outbox = outbox;
  sender->session = session;
  sender->envelopes_url = fr_http_join (queue_url, "/v1/envelopes");
  sender->backoff_base = FR_SENDER_BACKOFF_BASE;
  sender->backoff_max = FR_SENDER_BACKOFF_MAX;
  return sender;
}

void
fr_sender_free (FrSender *sender)
{
  if (sender == NULL)
    return;
  g_clear_object (&sender->session);
  g_free (sender->envelopes_url);
  g_free (sender);
}

void
fr_sender_set_backoff (FrSender *sender,
                       guint     base_seconds,
                       guint     max_seconds)
{
  g_return_if_fail (sender != NULL);
  g_return_if_fail (base_seconds > 0 && max_seconds >= base_seconds);

  sender->backoff_base = base_seconds;
  sender->backoff_max = max_seconds;
}

/**
 * fr_sender_backoff:
 * @base_seconds: delay before the first retry
 * @max_seconds: the cap
 * @attempts: failed attempts so far, counting the one that just failed (≥ 1)
 *
 * Exponential backoff with jitter: a delay drawn uniformly from [d/2, d] where
 * d = min(max, base × 2^(attempts−1)), so kiosks that lost the queue together do not
 * all come back in the same second.
 *
 * Returns: seconds to wait, at least 1.
 */
gint64
fr_sender_backoff (guint base_seconds,
                   guint max_seconds,
                   guint attempts)
{
  guint64 delay = base_seconds;
  guint64 half;

  for (guint i = 1; i < attempts && delay < max_seconds; i++)
    delay *= 2;
  delay = MIN (delay, max_seconds);
  half = delay / 2;
  delay = half + randombytes_uniform ((guint32) (delay - half + 1));
  return MAX ((gint64) delay, 1);
}

void
fr_sender_report_clear (FrSenderReport *report)
{
  g_clear_pointer (&report->last_error, g_free);
  memset (report, 0, sizeof *report);
}

/* Reads the queue's answer for @id. Only 201 {"id":ID,"status":"stored"} and
 * 200 {"status":"duplicate"} mean the queue holds the envelope. 409 id-conflict (the id
 * is taken by other bytes or another kiosk) is permanent: the row is kept as a dead
 * letter for the maintainer, never dropped. 507 quota is retried later like any 5xx. */
static Outcome
classify (SoupMessage  *msg,
          GBytes       *body,
          const char   *id,
          char        **error_text,
          gint64       *retry_after)
{
  guint status = soup_message_get_status (msg);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object = NULL;
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  if (status == SOUP_STATUS_CREATED || status == SOUP_STATUS_OK)
    {
      const char *answer_status = NULL;

      parser = json_parser_new ();
      if (data != NULL && len > 0 && len < 4096 && json_parser_load_from_data (parser, data, len, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        object = json_node_get_object (json_parser_get_root (parser));
      if (object != NULL)
        answer_status = json_object_get_string_member_with_default (object, "status", NULL);

      if (status == SOUP_STATUS_CREATED && g_strcmp0 (answer_status, "stored") == 0
          && g_strcmp0 (json_object_get_string_member_with_default (object, "id", NULL), id) == 0)
        return OUTCOME_DONE;
      if (status == SOUP_STATUS_OK && g_strcmp0 (answer_status, "duplicate") == 0)
        return OUTCOME_DUPLICATE;
      *error_text = g_strdup_printf ("HTTP %u with an unexpected answer", status);
      return OUTCOME_RETRY;
    }

  {
    g_autofree char *message = fr_http_error_message (body);

    *error_text = g_strdup_printf ("HTTP %u: %s", status, message);
  }

  if (status == 429 /* Too Many Requests */)
    {
      const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
      guint64 seconds = 0;

      if (value != NULL && g_ascii_string_to_unsigned (value, 10, 1, 86400, &seconds, NULL))
        *retry_after = (gint64) seconds;
      return OUTCOME_RETRY;
    }
  if (status == SOUP_STATUS_CONFLICT)
    return OUTCOME_DEAD;
  if (status >= 400 && status < 500 && status != SOUP_STATUS_REQUEST_TIMEOUT)
    return OUTCOME_DEAD;
  return OUTCOME_RETRY;
}

static Outcome
send_one (FrSender     *sender,
          FrOutboxItem *item,
          char        **error_text,
          gint64       *retry_after)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_POST, sender->envelopes_url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", item->envelope);
  body = soup_session_send_and_read (sender->session, msg, NULL, &local);
  if (body == NULL)
    {
      *error_text = g_strdup_printf ("network: %s", local->message);
      return OUTCOME_RETRY;
    }
  return classify (msg, body, item->id, error_text, retry_after);
}

/**
 * fr_sender_deliver:
 * @sender: a #FrSender
 * @ignore_schedule: %TRUE to try every pending row now (`--flush`), %FALSE to try only
 *   rows whose next attempt is due
 * @report: (out caller-allocates): what happened
 * @error: return location for a #GError (outbox failures only)
 *
 * Delivers pending envelopes oldest first. After a network failure the round stops: the
 * queue is unreachable and the rest would fail the same way.
 *
 * Returns: %FALSE only if the outbox itself failed; delivery failures are in @report.
 */
gboolean
fr_sender_deliver (FrSender        *sender,
                   gboolean         ignore_schedule,
                   FrSenderReport  *report,
                   GError         **error)
{
  g_autoptr(GPtrArray) items = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (sender != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  memset (report, 0, sizeof *report);
  items = fr_outbox_list_pending (sender->outbox, ignore_schedule ? G_MAXINT64 : now, 0, error);
  if (items == NULL)
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      FrOutboxItem *item = g_ptr_array_index (items, i);
      g_autofree char *error_text = NULL;
      gint64 retry_after = 0;
      Outcome outcome;

      outcome = send_one (sender, item, &error_text, &retry_after);
      switch (outcome)
        {
        case OUTCOME_DONE:
        case OUTCOME_DUPLICATE:
          if (!fr_outbox_mark_delivered (sender->outbox, item->id, g_get_real_time () / G_USEC_PER_SEC, error))
            return FALSE;
          if (outcome == OUTCOME_DUPLICATE)
            report->duplicates++;
          else
            report->delivered++;
          g_debug ("delivered %s (%" G_GSIZE_FORMAT " bytes)%s", item->id, g_bytes_get_size (item->envelope),
                   outcome == OUTCOME_DUPLICATE ? ", the queue had it already" : "");
          break;

        case OUTCOME_DEAD:
          if (!fr_outbox_mark_dead (sender->outbox, item->id, error_text, error))
            return FALSE;
          report->dead++;
          g_message ("queue refused %s permanently: %s; kept as dead-letter", item->id, error_text);
          break;

        case OUTCOME_RETRY:
          {
            gint64 delay = fr_sender_backoff (sender->backoff_base, sender->backoff_max, item->attempts + 1);
            gint64 next = g_get_real_time () / G_USEC_PER_SEC + MAX (delay, retry_after);

            if (!fr_outbox_record_failure (sender->outbox, item->id, next, error_text, error))
              return FALSE;
            report->retry++;
            if (report->next_attempt == 0 || next < report->next_attempt)
              report->next_attempt = next;
            g_message ("delivery of %s failed (%s); next attempt in %" G_GINT64_FORMAT " s",
                       item->id, error_text, next - g_get_real_time () / G_USEC_PER_SEC);
          }
          break;

        default:
          g_assert_not_reached ();
        }

      if (error_text != NULL)
        {
          g_free (report->last_error);
          report->last_error = g_steal_pointer (&error_text);
        }
      /* The queue is unreachable or overloaded: stop this round. */
      if (outcome == OUTCOME_RETRY)
        break;
    }

  /* Rows left pending after an early stop: report the earliest time anything is due. */
  {
    FrOutboxStats stats = { 0 };

    if (!fr_outbox_get_stats (sender->outbox, &stats, error))
      return FALSE;
    if (stats.pending > report->retry && report->next_attempt == 0)
      report->next_attempt = now;
    fr_outbox_stats_clear (&stats);
  }
  return TRUE;
}
