/* fr-kiosk-playback.h — plays the person's own voice message back, from locked memory
 *
 * "Listen back" on the voice question: one Ogg Opus message, copied into a fresh FrSecret
 * that the pipeline's only buffer wraps (FrSecureMemory, audio/fr-secure-allocator.h:
 * freed — wiped by sodium_free — when GStreamer lets go of it), fed to a playbin through
 * appsrc://; what it decodes is guarded too (GStreamer's default allocator). Play, pause, play on; stop is
 * immediate (the pipeline goes to NULL on GStreamer's thread pool). ::finished when the
 * message has played to its end or playback stopped.
 */
#pragma once

#include <gst/gst.h>
#include <glib-object.h>

#include "fr-secret.h"

G_BEGIN_DECLS

#define FR_TYPE_KIOSK_PLAYBACK (fr_kiosk_playback_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskPlayback, fr_kiosk_playback, FR, KIOSK_PLAYBACK, GObject)

FrKioskPlayback *fr_kiosk_playback_new          (void);
/* Plays @message from its start (a copy is made; @message may be freed at once). */
gboolean         fr_kiosk_playback_play         (FrKioskPlayback *self,
                                                 const FrSecret  *message);
void             fr_kiosk_playback_pause        (FrKioskPlayback *self);
void             fr_kiosk_playback_resume       (FrKioskPlayback *self);
void             fr_kiosk_playback_stop         (FrKioskPlayback *self);
gboolean         fr_kiosk_playback_is_active    (FrKioskPlayback *self);   /* playing or paused */
gboolean         fr_kiosk_playback_is_paused    (FrKioskPlayback *self);
/* Where it is, in milliseconds (0 if unknown). */
guint64          fr_kiosk_playback_get_position_ms (FrKioskPlayback *self);
/* For tests: the pipeline (NULL when stopped), and how many message copies are alive. */
GstElement      *fr_kiosk_playback_get_pipeline (FrKioskPlayback *self);
guint            fr_kiosk_playback_get_n_live_copies (void);

G_END_DECLS
