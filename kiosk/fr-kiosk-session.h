/* fr-kiosk-session.h — one person's visit: language, channel and answers
 *
 * A session starts when a language is chosen and ends with quick exit, idle timeout, or
 * going back to the language picker. Answers live only here, each in its own FrSecret
 * (guarded memory, wiped on free), and so does the voice message (both its versions:
 * as recorded and disguised); the partial record is built into an FrSecret too.
 * Nothing in here is ever logged or exposed as a GObject property.
 */
#pragma once

#include <glib-object.h>

#include "fr-content.h"
#include "fr-intake.h"
#include "fr-kiosk-recorder.h"

G_BEGIN_DECLS

#define FR_KIOSK_CHANNEL_KIOSK    "kiosk"
#define FR_KIOSK_CHANNEL_ASSISTED "assisted"
#define FR_KIOSK_CHANNEL_HOTLINE  "hotline"
#define FR_KIOSK_VOLUNTEER_MAX    64

#define FR_TYPE_KIOSK_SESSION (fr_kiosk_session_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskSession, fr_kiosk_session, FR, KIOSK_SESSION, GObject)

FrKioskSession  *fr_kiosk_session_new              (void);
const char      *fr_kiosk_session_get_language     (FrKioskSession   *self);
void             fr_kiosk_session_set_language     (FrKioskSession   *self,
                                                    const char       *lang);
const char      *fr_kiosk_session_get_channel      (FrKioskSession   *self);
gboolean         fr_kiosk_session_set_assisted     (FrKioskSession   *self,
                                                    const char       *channel,
                                                    const char       *volunteer,
                                                    gsize             volunteer_len);
gboolean         fr_kiosk_session_is_assisted      (FrKioskSession   *self);
void             fr_kiosk_session_set_answer       (FrKioskSession   *self,
                                                    const char       *question_id,
                                                    const char       *value,
                                                    gsize             len);
const FrSecret  *fr_kiosk_session_get_answer       (FrKioskSession   *self,
                                                    const char       *question_id);
void             fr_kiosk_session_clear_answer     (FrKioskSession   *self,
                                                    const char       *question_id);
void             fr_kiosk_session_clear_answers    (FrKioskSession   *self);
guint            fr_kiosk_session_get_n_answers    (FrKioskSession   *self);
void             fr_kiosk_session_set_voice        (FrKioskSession   *self,
                                                    FrSecret         *plain,
                                                    guint64           plain_ms,
                                                    FrSecret         *disguised,
                                                    guint64           disguised_ms);
void             fr_kiosk_session_clear_voice      (FrKioskSession   *self);
gboolean         fr_kiosk_session_set_voice_disguised (FrKioskSession *self,
                                                    gboolean          disguised);
gboolean         fr_kiosk_session_get_voice_disguised (FrKioskSession *self);
gboolean         fr_kiosk_session_can_disguise_voice (FrKioskSession *self);
const FrSecret  *fr_kiosk_session_get_voice        (FrKioskSession   *self,
                                                    guint64          *duration_ms);
gboolean         fr_kiosk_session_answer_has       (FrKioskSession   *self,
                                                    const char       *question_id,
                                                    const char       *option_id);
void             fr_kiosk_session_toggle_option    (FrKioskSession   *self,
                                                    const char       *question_id,
                                                    const char       *option_id);
gboolean         fr_kiosk_session_question_shown   (FrKioskSession   *self,
                                                    const FrQuestion *const *form,
                                                    const FrQuestion *question);
FrSecret        *fr_kiosk_session_build_partial    (FrKioskSession   *self,
                                                    const FrQuestion *const *form,
                                                    const char       *record_language,
                                                    const char       *consent_version,
                                                    GError          **error);

G_END_DECLS
