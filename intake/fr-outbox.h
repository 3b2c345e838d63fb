/* fr-outbox.h — the kiosk's store-and-forward queue of sealed envelopes
 *
 * SQLite in WAL mode with synchronous=FULL and secure_delete=ON; the schema is versioned
 * with PRAGMA user_version. Only envelopes ever go in: never plaintext.
 */
#pragma once

#include <glib.h>

#include "fr-record.h"

G_BEGIN_DECLS

typedef struct _FrOutbox FrOutbox;

typedef enum
{
  FR_OUTBOX_STATE_PENDING,
  FR_OUTBOX_STATE_DEAD,       /* permanently refused by the queue; kept for the maintainer */
} FrOutboxState;

typedef struct
{
  char          id[FR_UUID_STRING_LEN + 1];
  GBytes       *envelope;
  gint64        enqueued_at;   /* Unix seconds */
  guint         attempts;
  gint64        next_attempt;  /* Unix seconds */
  FrOutboxState state;
  char         *last_error;    /* transport or HTTP status text only, never content */
} FrOutboxItem;

typedef struct
{
  guint  pending;
  guint  dead;
  gint64 last_delivery;        /* Unix seconds, 0 if never */
  gint64 oldest_pending;       /* Unix seconds, 0 if none */
  char  *last_error;           /* NULL if none */
} FrOutboxStats;

FrOutbox  *fr_outbox_open            (const char     *path,
                                      GError        **error);
void       fr_outbox_close           (FrOutbox       *outbox);
gboolean   fr_outbox_enqueue         (FrOutbox       *outbox,
                                      const char     *id,
                                      GBytes         *envelope,
                                      GError        **error);
GPtrArray *fr_outbox_list_pending    (FrOutbox       *outbox,
                                      gint64          now,
                                      guint           limit,
                                      GError        **error);
GPtrArray *fr_outbox_list_dead       (FrOutbox       *outbox,
                                      GError        **error);
gboolean   fr_outbox_mark_delivered  (FrOutbox       *outbox,
                                      const char     *id,
                                      gint64          now,
                                      GError        **error);
gboolean   fr_outbox_record_failure  (FrOutbox       *outbox,
                                      const char     *id,
                                      gint64          next_attempt,
                                      const char     *error_text,
                                      GError        **error);
gboolean   fr_outbox_mark_dead       (FrOutbox       *outbox,
                                      const char     *id,
                                      const char     *reason,
                                      GError        **error);
gboolean   fr_outbox_get_stats       (FrOutbox       *outbox,
                                      FrOutboxStats  *stats,
                                      GError        **error);
void       fr_outbox_stats_clear     (FrOutboxStats  *stats);
void       fr_outbox_item_free       (FrOutboxItem   *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrOutbox, fr_outbox_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrOutboxItem, fr_outbox_item_free)

G_END_DECLS
