/* fr-voice-player.h — plays a voice message (Ogg Opus) from guarded memory
 *
 * The message is read strictly (fr_ogg_opus_read) into guarded memory, and its Opus
 * packets go from there, without a copy, through
 *
 *   appsrc ! opusdec ! audioconvert ! audioresample ! autoaudiosink
 *
 * Nothing is written anywhere; every buffer GStreamer allocates for it is FrSecureMemory
 * (fr-secure-allocator.h), wiped when freed. The pipeline exists only while the message
 * plays or is paused: stop, the end, an error and dispose take it down synchronously and
 * silence the audio sink's ring buffer first, so no decoded audio is left when they
 * return. The player keeps the packets (guarded) until it is disposed.
 *
 * Tests only: the sink can be replaced, as the kiosk's read-aloud does it
 * (fr_voice_player_set_test_sink), and in a tool run by a test FRISTAD_AUDIO_SINK=fakesink
 * plays into a fakesink in real time; no other value is accepted (audio/AUDIO.md).
 */
#pragma once

#include <gst/gst.h>
#include <glib-object.h>

G_BEGIN_DECLS

#define FR_AUDIO_ERROR (fr_audio_error_quark ())

typedef enum
{
  FR_AUDIO_ERROR_MISSING_ELEMENT = 1,   /* a GStreamer element is not installed */
  FR_AUDIO_ERROR_PLAYBACK,              /* GStreamer stopped with an error (no audio device …) */
} FrAudioError;

GQuark fr_audio_error_quark (void);

typedef enum
{
  FR_VOICE_PLAYER_STOPPED,    /* nothing decoded; play starts at the position set by seek */
  FR_VOICE_PLAYER_PLAYING,
  FR_VOICE_PLAYER_PAUSED,
  FR_VOICE_PLAYER_FINISHED,   /* played to the end; play starts again from the start */
  FR_VOICE_PLAYER_FAILED,     /* fr_voice_player_get_error() says why; play tries again */
} FrVoicePlayerState;

#define FR_TYPE_VOICE_PLAYER (fr_voice_player_get_type ())
G_DECLARE_FINAL_TYPE (FrVoicePlayer, fr_voice_player, FR, VOICE_PLAYER, GObject)

/* Reads @ogg (not kept); FR_ERROR_RECORD_INVALID if it is not a playable Ogg Opus stream. */
FrVoicePlayer      *fr_voice_player_new           (const guint8   *ogg,
                                                   gsize           len,
                                                   GError        **error);
void                fr_voice_player_play          (FrVoicePlayer  *self);
void                fr_voice_player_pause         (FrVoicePlayer  *self);
/* Back to the start; the decoded audio is wiped. */
void                fr_voice_player_stop          (FrVoicePlayer  *self);
void                fr_voice_player_seek          (FrVoicePlayer  *self,
                                                   guint64         position_ms);
guint64             fr_voice_player_get_position  (FrVoicePlayer  *self);
guint64             fr_voice_player_get_duration  (FrVoicePlayer  *self);
FrVoicePlayerState  fr_voice_player_get_state     (FrVoicePlayer  *self);
const GError       *fr_voice_player_get_error     (FrVoicePlayer  *self);

/* Tests only: the pipeline while there is one. */
GstElement         *fr_voice_player_get_pipeline  (FrVoicePlayer  *self);
/* Tests only: the sink every new pipeline gets, a gst-launch description
 * ("fakesink sync=true"); NULL for the default (autoaudiosink). */
void                fr_voice_player_set_test_sink (const char     *description);

G_END_DECLS
