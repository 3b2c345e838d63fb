/* fr-inbox-followup.h — the follow-up editor of an open record
 *
 * Status (new → contacted → in support → follow-up → closed), the date of first contact,
 * the start of the 30-day reflection period with the days left, and short notes; saved
 * with Save (Ctrl+S) to ID.follow in the inbox, sealed to the staff key
 * (intake/fr-followup.h). A follow-up file that does not open is shown as refused and is
 * never overwritten. Nothing of it is logged or put in a property.
 */
#pragma once

#include <adwaita.h>

#include "fr-inbox-session.h"
#include "fr-intake.h"

G_BEGIN_DECLS

#define FR_TYPE_INBOX_FOLLOWUP (fr_inbox_followup_get_type ())

G_DECLARE_FINAL_TYPE (FrInboxFollowup, fr_inbox_followup, FR, INBOX_FOLLOWUP, GtkWidget)

/* Loads record @id's follow-up with @session's key; FALSE (and the editor shows why,
 * read-only) when its file does not open. */
gboolean          fr_inbox_followup_load         (FrInboxFollowup *self,
                                                  FrInboxSession  *session,
                                                  const char      *id);
/* Drops the follow-up and empties every field. */
void              fr_inbox_followup_clear        (FrInboxFollowup *self);
/* The follow-up as last loaded or saved (NULL when none is loaded). */
const FrFollowup *fr_inbox_followup_get          (FrInboxFollowup *self);
/* The message under the editor ("Saved.", or what was wrong), or NULL. */
const char       *fr_inbox_followup_get_message  (FrInboxFollowup *self);

/* Shared with the list: the translated name of a status. */
const char       *fr_inbox_followup_status_label (FrFollowupStatus status);
/* "12 days of reflection left" and friends; NULL when no period is set. */
char             *fr_inbox_followup_reflection_text (const FrFollowup *followup,
                                                     guint32           today);

G_END_DECLS
