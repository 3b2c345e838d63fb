/* fr-sender.h — store-and-forward delivery of the kiosk's outbox to fristad-queue
 *
 * Oldest first. A row is deleted only after the queue answered 201 "stored" or 200
 * "duplicate" for that id. Network errors, 5xx and 429 are retried with exponential
 * backoff and jitter; a permanent refusal (any other 4xx) moves the row to dead-letter,
 * where the maintainer sees it: nothing is ever dropped silently.
 */
#pragma once

#include <glib.h>

#include "fr-outbox.h"

G_BEGIN_DECLS

#define FR_SENDER_BACKOFF_BASE 15      /* seconds before the first retry */
#define FR_SENDER_BACKOFF_MAX  3600    /* never wait longer than this */

typedef struct _FrSender FrSender;

typedef struct
{
  guint  delivered;     /* 201 stored */
  guint  duplicates;    /* 200 duplicate: the queue had it already */
  guint  retry;         /* failed for now, will be retried */
  guint  dead;          /* refused permanently, moved to dead-letter */
  gint64 next_attempt;  /* earliest next_attempt among rows left pending, 0 if none */
  char  *last_error;    /* status or transport text only; NULL if none */
} FrSenderReport;

FrSender *fr_sender_new          (FrOutbox        *outbox,
                                  const char      *queue_url,
                                  const char      *ca_file,
                                  GError         **error);
void      fr_sender_free         (FrSender        *sender);
void      fr_sender_set_backoff  (FrSender        *sender,
                                  guint            base_seconds,
                                  guint            max_seconds);
gboolean  fr_sender_deliver      (FrSender        *sender,
                                  gboolean         ignore_schedule,
                                  FrSenderReport  *report,
                                  GError         **error);
gint64    fr_sender_backoff      (guint            base_seconds,
                                  guint            max_seconds,
                                  guint            attempts);
void      fr_sender_report_clear (FrSenderReport  *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrSender, fr_sender_free)

G_END_DECLS
