/* fr-inbox-item.h — one row of the inbox list: a record's summary, or a refused envelope
 *
 * The summary is what the list shows (received, site, channel, language, receipt, the
 * needs chosen, whether the person said they are not safe right now). It is held in plain
 * fields, not GObject properties, and dropped with the list on lock; the needs, which are
 * answers, are kept in guarded memory. The record itself is decrypted again when opened.
 * Of the follow-up (intake/fr-followup.h) an item keeps the status and the reflection
 * start only, for the list and its status filter.
 */
#pragma once

#include <gio/gio.h>

#include "fr-inbox.h"
#include "fr-intake.h"

G_BEGIN_DECLS

#define FR_TYPE_INBOX_ITEM (fr_inbox_item_get_type ())

G_DECLARE_FINAL_TYPE (FrInboxItem, fr_inbox_item, FR, INBOX_ITEM, GObject)

FrInboxItem *fr_inbox_item_new_from_record  (const FrRecord       *record,
                                             gint64                received_at);
FrInboxItem *fr_inbox_item_new_refused      (const FrInboxRefusal *refusal);

const char  *fr_inbox_item_get_id           (FrInboxItem *self);
gint64       fr_inbox_item_get_received_at  (FrInboxItem *self);
gboolean     fr_inbox_item_is_refused       (FrInboxItem *self);
const char  *fr_inbox_item_get_reason       (FrInboxItem *self);   /* refused only */
const char  *fr_inbox_item_get_kiosk        (FrInboxItem *self);   /* refused only: kid hex */
const char  *fr_inbox_item_get_site         (FrInboxItem *self);
const char  *fr_inbox_item_get_channel      (FrInboxItem *self);
const char  *fr_inbox_item_get_language     (FrInboxItem *self);
const char  *fr_inbox_item_get_receipt      (FrInboxItem *self);
/* Option ids of "needs", separated by '\n' (guarded memory), or "" */
const char  *fr_inbox_item_get_needs        (FrInboxItem *self);
gboolean     fr_inbox_item_get_not_safe     (FrInboxItem *self);
gboolean     fr_inbox_item_matches_receipt  (FrInboxItem *self,
                                             const char  *query);
/* The follow-up's status and reflection start, as the list shows them (not the notes). */
FrFollowupStatus fr_inbox_item_get_status   (FrInboxItem *self);
/* Julian day the reflection period starts, 0 when none is set. */
guint32      fr_inbox_item_get_reflection_start (FrInboxItem *self);
/* FALSE when the record's follow-up file did not open. */
gboolean     fr_inbox_item_get_followup_ok  (FrInboxItem *self);
void         fr_inbox_item_set_followup     (FrInboxItem      *self,
                                             const FrFollowup *followup);

/* Every record in the inbox that opens (roster, key) with its follow-up, and every
 * refusal, newest first.
 * @n_unreadable: records in the inbox that did not open. */
GListStore  *fr_inbox_item_load_all         (const char       *inbox,
                                             const FrStaffKey *key,
                                             const FrRoster   *roster,
                                             guint            *n_unreadable,
                                             GError          **error);

G_END_DECLS
