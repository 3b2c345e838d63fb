/* fr-kiosk-voice.h — the voice question's recorder: record, stop, listen back, disguise
 *
 * One big Record button; while recording, a large level meter, the time recorded against
 * the site's maximum (recording stops by itself there) and Stop; then Listen (play and
 * pause), "Disguise my voice" (where GStreamer has the pitch element), Record again and
 * Delete. The message goes into the session (both versions, fr_kiosk_session_set_voice);
 * what Listen plays is what Send seals. Leaving the screen while recording throws the
 * unfinished recording away; leaving it stops playback. Actions: voice.record,
 * voice.stop, voice.play, voice.again, voice.delete, voice.disguise.
 */
#pragma once

#include <gtk/gtk.h>

#include "fr-kiosk-playback.h"
#include "fr-kiosk-recorder.h"
#include "fr-kiosk-session.h"

G_BEGIN_DECLS

#define FR_TYPE_KIOSK_VOICE (fr_kiosk_voice_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskVoice, fr_kiosk_voice, FR, KIOSK_VOICE, GtkWidget)

GtkWidget       *fr_kiosk_voice_new          (FrKioskSession *session,
                                              guint           max_seconds);
/* Recording, or playing back (or paused): the screen is in use though nobody touches it. */
gboolean         fr_kiosk_voice_is_busy      (FrKioskVoice   *self);
gboolean         fr_kiosk_voice_is_recording (FrKioskVoice   *self);
/* Stops playback and throws away a recording in progress (the page is left). */
void             fr_kiosk_voice_stop_all     (FrKioskVoice   *self);
/* Delete: nothing recorded any more, in the session either. */
void             fr_kiosk_voice_delete       (FrKioskVoice   *self);
FrKioskRecorder *fr_kiosk_voice_get_recorder (FrKioskVoice   *self);
FrKioskPlayback *fr_kiosk_voice_get_playback (FrKioskVoice   *self);
/* "M:SS" */
char            *fr_kiosk_voice_format_time  (guint64         ms);

G_END_DECLS
