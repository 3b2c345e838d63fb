/* fr-kiosk-audio.h — plays spoken clips from memory, one after another
 *
 * A queue of clips (Ogg Opus files, read into memory and fed to a playbin through
 * appsrc://: nothing is written anywhere), each with a mark — the paragraph or option it
 * speaks — and a pause after it. ::mark is emitted when a clip with a new mark starts,
 * ::finished when the queue is done. fr_kiosk_audio_stop() is immediate and cheap: the
 * queue is dropped at once and the pipeline goes to NULL on GStreamer's thread pool, so
 * a quick exit never waits for the audio device.
 */
#pragma once

#include <gst/gst.h>
#include <glib-object.h>

G_BEGIN_DECLS

#define FR_TYPE_KIOSK_AUDIO (fr_kiosk_audio_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskAudio, fr_kiosk_audio, FR, KIOSK_AUDIO, GObject)

FrKioskAudio *fr_kiosk_audio_new          (void);
/* Appends a clip: @path is read when its turn comes. */
void          fr_kiosk_audio_add          (FrKioskAudio *self,
                                           const char   *path,
                                           int           mark,
                                           guint         pause_after_ms);
void          fr_kiosk_audio_play         (FrKioskAudio *self);
void          fr_kiosk_audio_stop         (FrKioskAudio *self);
gboolean      fr_kiosk_audio_is_playing   (FrKioskAudio *self);
int           fr_kiosk_audio_get_mark     (FrKioskAudio *self);
/* For tests: what is playing and queued, one string each, "LANG/NAME pause-ms" (the
 * clip's directory and file name without .opus, and the pause after it). */
GPtrArray    *fr_kiosk_audio_dup_queue    (FrKioskAudio *self);
/* For tests: the pipeline playing now (NULL if none). */
GstElement   *fr_kiosk_audio_get_pipeline (FrKioskAudio *self);

GstElement   *fr_kiosk_audio_make_sink    (void);
void          fr_kiosk_audio_set_volume   (FrKioskAudio *self,
                                           double        volume);
struct _FrKioskHeadphones;
void          fr_kiosk_audio_set_headphones (FrKioskAudio *self,
                                             struct _FrKioskHeadphones *headphones);

/* Tests only: the audio sink every new pipeline gets, as a gst-launch description
 * ("fakesink sync=true"); NULL for the default (autoaudiosink). */
void          fr_kiosk_audio_set_test_sink (const char  *description);
/* Tests only: called with each test sink made (to watch what is played). */
typedef void (*FrKioskAudioSinkHook) (GstElement *sink,
                                      gpointer    data);
void          fr_kiosk_audio_set_test_sink_hook (FrKioskAudioSinkHook hook,
                                                 gpointer             data);

G_END_DECLS
