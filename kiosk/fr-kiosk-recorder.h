/* fr-kiosk-recorder.h — a voice message, recorded into locked memory as Ogg Opus
 *
 * SOURCE ! audioconvert ! audioresample ! level ! opusenc ! oggmux ! appsink: the
 * encoded pages go straight into one FrSecret (sodium_malloc, wiped when freed) sized for
 * the longest message the site allows; no file, no temp dir, no element that writes to
 * disk. ::level reports the loudness (dB, 10 times a second) for the meter; ::stopped
 * comes when the message is complete (stop pressed, the maximum reached, or the source
 * ended). The message is an attachment of kind "voice", FR_OGG_MIME.
 */
#pragma once

#include <glib-object.h>

#include "fr-secret.h"

G_BEGIN_DECLS

#define FR_KIOSK_RECORDER_DEFAULT_MAX_SECONDS 180
#define FR_KIOSK_RECORDER_BITRATE             24000   /* speech, bits a second */

#define FR_TYPE_KIOSK_RECORDER (fr_kiosk_recorder_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskRecorder, fr_kiosk_recorder, FR, KIOSK_RECORDER, GObject)

FrKioskRecorder *fr_kiosk_recorder_new        (guint             max_seconds);
gboolean         fr_kiosk_recorder_start      (FrKioskRecorder  *self,
                                               GError          **error);
void             fr_kiosk_recorder_stop       (FrKioskRecorder  *self);
gboolean         fr_kiosk_recorder_is_recording (FrKioskRecorder *self);
/* The finished message (NULL while recording or if there is none) and its duration. */
FrSecret        *fr_kiosk_recorder_steal      (FrKioskRecorder  *self,
                                               guint64          *duration_ms);
/* Delete: wipes what was recorded and stops the pipeline. */
void             fr_kiosk_recorder_wipe       (FrKioskRecorder  *self);

/* Tests only: the source as a gst-launch description ("audiotestsrc …"); NULL for
 * autoaudiosrc. */
void             fr_kiosk_recorder_set_test_source (const char  *description);

G_END_DECLS
