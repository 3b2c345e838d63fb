/* fr-kiosk-question.h — one question of the self-referral form, on its own screen
 *
 * Built for one session from an FrQuestion; writes its answer into the session (never
 * anywhere else). Kinds: single and yesno (big answer buttons, a tap answers and moves
 * on), multiple (toggle buttons), phone (the built-in keypad), short and long text
 * (locked-down text widgets), voice (the recorder, fr-kiosk-voice.h; the message goes into
 * the session).
 */
#pragma once

#include <gtk/gtk.h>

#include "fr-content.h"
#include "fr-kiosk-session.h"

G_BEGIN_DECLS

#define FR_TYPE_KIOSK_QUESTION (fr_kiosk_question_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskQuestion, fr_kiosk_question, FR, KIOSK_QUESTION, GtkWidget)

GtkWidget        *fr_kiosk_question_new          (const FrQuestion *question,
                                                  FrKioskSession   *session,
                                                  const char       *group_title,
                                                  const char       *group_intro,
                                                  guint             voice_max_seconds);
const FrQuestion *fr_kiosk_question_get_question (FrKioskQuestion  *self);
void              fr_kiosk_question_commit       (FrKioskQuestion  *self);
gboolean          fr_kiosk_question_is_answered  (FrKioskQuestion  *self);
void              fr_kiosk_question_sync         (FrKioskQuestion  *self);
GtkWidget        *fr_kiosk_question_get_input    (FrKioskQuestion  *self);
GtkWidget        *fr_kiosk_question_get_voice    (FrKioskQuestion  *self);
void              fr_kiosk_question_forget       (FrKioskQuestion  *self);

G_END_DECLS
