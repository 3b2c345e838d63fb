/* fr-kiosk-recorder.h — a voice message, recorded into locked memory as Ogg Opus
 *
 *   SOURCE ! audioconvert ! audioresample ! S16LE mono 48 kHz ! level ! tee
 *     tee. ! queue ! opusenc ! oggmux ! appsink                       (the voice as it is)
 *     tee. ! queue ! audioconvert ! pitch ! audioconvert ! opusenc ! oggmux ! appsink
 *                                                                      (the disguised voice)
 *
 * Each branch's pages go straight into its own FrSecret (sodium_malloc, wiped when freed)
 * sized for the longest message the site allows; no file, no temp dir, no element that
 * writes to disk. Before it records, GStreamer's default allocator becomes the guarded one
 * (audio/fr-secure-allocator.h): the raw samples and every buffer on the way are in
 * sodium_malloc memory too, wiped as each is freed. Both versions are recorded at once, so the person can switch the
 * disguise on and off after recording and hear each at once; what is sent is the very
 * bytes they heard. The disguise branch exists only where GStreamer has the `pitch`
 * element (soundtouch, gstreamer1.0-plugins-bad).
 *
 * The length is counted in samples, in the streaming thread: at the site's maximum the
 * rest is dropped and end-of-stream sent, so a message is never longer than allowed,
 * whatever the source's speed. ::level reports the loudness (dB, 10 times a second) for
 * the meter; ::stopped comes when the message is complete (stop pressed, the maximum
 * reached, or the source ended) or failed.
 */
#pragma once

#include <gst/gst.h>
#include <glib-object.h>

#include "fr-secret.h"

G_BEGIN_DECLS

#define FR_KIOSK_RECORDER_DEFAULT_MAX_SECONDS 180
#define FR_KIOSK_RECORDER_BITRATE             24000   /* speech, bits a second */
#define FR_KIOSK_RECORDER_RATE                48000   /* samples a second, mono */
/* The disguise: every frequency times this (about four semitones lower), tempo kept. */
#define FR_KIOSK_RECORDER_DISGUISE_PITCH      0.8

typedef enum
{
  FR_KIOSK_VOICE_PLAIN,
  FR_KIOSK_VOICE_DISGUISED,
  FR_KIOSK_VOICE_N_VARIANTS,
} FrKioskVoiceVariant;

#define FR_TYPE_KIOSK_RECORDER (fr_kiosk_recorder_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskRecorder, fr_kiosk_recorder, FR, KIOSK_RECORDER, GObject)

FrKioskRecorder *fr_kiosk_recorder_new            (guint                max_seconds);
gboolean         fr_kiosk_recorder_start          (FrKioskRecorder     *self,
                                                   GError             **error);
void             fr_kiosk_recorder_stop           (FrKioskRecorder     *self);
gboolean         fr_kiosk_recorder_is_recording   (FrKioskRecorder     *self);
guint            fr_kiosk_recorder_get_max_seconds (FrKioskRecorder    *self);
/* How much has been recorded so far (counted in samples), in milliseconds. */
guint64          fr_kiosk_recorder_get_elapsed_ms (FrKioskRecorder     *self);
/* Whether this GStreamer can disguise a voice (the pitch element is there). */
gboolean         fr_kiosk_recorder_can_disguise   (void);
/* The finished message as recorded or disguised (NULL while recording, if there is none,
 * or if that version failed) and its duration. Each version can be taken once. */
FrSecret        *fr_kiosk_recorder_steal          (FrKioskRecorder     *self,
                                                   FrKioskVoiceVariant  variant,
                                                   guint64             *duration_ms);
/* Delete: wipes what was recorded and stops the pipeline. */
void             fr_kiosk_recorder_wipe           (FrKioskRecorder     *self);
/* For tests: the pipeline recording now (NULL if none). */
GstElement      *fr_kiosk_recorder_get_pipeline   (FrKioskRecorder     *self);
/* For tests: how many capture buffers are allocated and not yet wiped, in all recorders. */
guint            fr_kiosk_recorder_get_n_live_buffers (void);

/* Tests only: the source as a gst-launch description ("audiotestsrc …"); NULL for
 * autoaudiosrc. */
void             fr_kiosk_recorder_set_test_source (const char  *description);

G_END_DECLS
