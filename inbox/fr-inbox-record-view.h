/* fr-inbox-record-view.h — one record, decrypted while it is shown
 *
 * Contact instructions first (how and when it is safe to call, voicemail, code word), the
 * "not safe right now" mark, every answer beside its question in the staff member's
 * language, the person's own text as written with its language named, the voice message
 * with play/pause and a position bar (fr-inbox-voice.h), consent, and the follow-up
 * editor (fr-inbox-followup.h).
 */
#pragma once

#include <adwaita.h>

#include "fr-content.h"
#include "fr-inbox-voice.h"
#include "fr-intake.h"

G_BEGIN_DECLS

#define FR_TYPE_INBOX_RECORD_VIEW (fr_inbox_record_view_get_type ())

G_DECLARE_FINAL_TYPE (FrInboxRecordView, fr_inbox_record_view, FR, INBOX_RECORD_VIEW, GtkWidget)

void fr_inbox_record_view_show  (FrInboxRecordView      *self,
                                 const FrOpenedEnvelope *opened,
                                 gint64                  received_at,
                                 const FrContent        *content,
                                 const char             *staff_lang);
void fr_inbox_record_view_clear (FrInboxRecordView      *self);
/* The box that holds the record's own widgets (tests look inside it). */
GtkWidget *fr_inbox_record_view_get_body (FrInboxRecordView *self);
/* The follow-up editor (FrInboxFollowup) under the record. */
GtkWidget *fr_inbox_record_view_get_followup (FrInboxRecordView *self);
/* The voice message player (NULL when the open record has none). */
FrInboxVoice *fr_inbox_record_view_get_voice (FrInboxRecordView *self);

G_END_DECLS
