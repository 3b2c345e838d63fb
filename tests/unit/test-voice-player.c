/* test-voice-player.c — FrVoicePlayer (audio/): a 2 s 440 Hz tone made in memory plays to
 * the end into a fakesink with its length and frequency; every buffer that reaches the
 * sink is guarded memory (FrSecureMemory) and none is left once it ends; pause holds the
 * position, seeking moves it (before play too), stop wipes the decoded audio; a stream
 * that is not Ogg Opus and a missing element are refused clearly. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <gst/audio/audio.h>
#include <math.h>
#include <string.h>

#include "fr-intake.h"
#include "fr-secure-allocator.h"
#include "fr-test-tone.h"
#include "fr-voice-player.h"

#define TONE_HZ 440.0

/* What reached the sink, counted on the streaming thread. */
typedef struct
{
  GMutex          lock;
  FrTestToneCount tone;
  guint           buffers;
  guint           insecure;      /* buffers with memory that is not FrSecureMemory */
  GstClockTime    first_pts;
  guint           most_blocks;   /* the most secure blocks alive while playing */
} Seen;

/* fakesink's handoff: a buffer rendered (played), not one only prerolled. */
static void
on_handoff (GstElement *sink,
            GstBuffer  *buffer,
            GstPad     *pad,
            gpointer    data)
{
  Seen *seen = data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  GstAudioInfo audio;
  GstMapInfo map;

  g_assert_true (gst_audio_info_from_caps (&audio, caps));
  g_assert_cmpint (GST_AUDIO_INFO_FORMAT (&audio), ==, GST_AUDIO_FORMAT_S16);
  g_assert_cmpint (GST_AUDIO_INFO_RATE (&audio), ==, 48000);
  g_mutex_lock (&seen->lock);
  for (guint i = 0; i < gst_buffer_n_memory (buffer); i++)
    if (!fr_secure_memory_is_secure (gst_buffer_peek_memory (buffer, i)))
      seen->insecure++;
  if (seen->buffers++ == 0)
    seen->first_pts = GST_BUFFER_PTS (buffer);
  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  fr_test_tone_count (&seen->tone, (const gint16 *) map.data, map.size / GST_AUDIO_INFO_BPF (&audio),
                      GST_AUDIO_INFO_CHANNELS (&audio));
  gst_buffer_unmap (buffer, &map);
  seen->most_blocks = MAX (seen->most_blocks, fr_secure_allocator_live_blocks ());
  g_mutex_unlock (&seen->lock);
}

static void
seen_reset (Seen *seen)
{
  g_mutex_lock (&seen->lock);
  memset (&seen->tone, 0, sizeof seen->tone);
  seen->buffers = 0;
  seen->insecure = 0;
  seen->first_pts = GST_CLOCK_TIME_NONE;
  seen->most_blocks = 0;
  g_mutex_unlock (&seen->lock);
}

/* Watches the test sink of the player's pipeline (there is one while it plays). */
static void
watch_sink (FrVoicePlayer *player,
            Seen          *seen)
{
  GstElement *pipeline = fr_voice_player_get_pipeline (player);
  g_autoptr(GstElement) sink = NULL;

  g_assert_nonnull (pipeline);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "testsink");
  g_assert_nonnull (sink);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), seen);
}

static gboolean
keep_going (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for_state (FrVoicePlayer      *player,
                FrVoicePlayerState  state)
{
  gboolean late = FALSE;
  guint timer = g_timeout_add_seconds (60, timed_out, &late);

  while (fr_voice_player_get_state (player) != state && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (timer);
}

/* Runs the main loop until the position passes @ms (a tick wakes it to look). */
static void
wait_for_position (FrVoicePlayer *player,
                   guint64        ms)
{
  gboolean late = FALSE;
  guint timer = g_timeout_add_seconds (60, timed_out, &late);
  guint tick = g_timeout_add (10, keep_going, NULL);

  while (fr_voice_player_get_position (player) < ms && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (timer);
  g_source_remove (tick);
}

/* Runs the main loop for @ms. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timed_out, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static FrVoicePlayer *
tone_player (double seconds)
{
  g_autoptr(GBytes) ogg = fr_test_tone_ogg (TONE_HZ, seconds);
  g_autoptr(GError) error = NULL;
  FrVoicePlayer *player = fr_voice_player_new (g_bytes_get_data (ogg, NULL), g_bytes_get_size (ogg), &error);

  g_assert_no_error (error);
  g_assert_nonnull (player);
  g_assert_cmpuint (fr_voice_player_get_state (player), ==, FR_VOICE_PLAYER_STOPPED);
  g_assert_cmpuint (fr_voice_player_get_duration (player), ==, (guint64) (seconds * 1000));
  return player;
}

static void
assert_near (double got,
             double want)
{
  if (fabs (got - want) / want >= 0.05)
    g_error ("%.3f is not within 5 %% of %.3f", got, want);
}

static void
test_plays_to_the_end (void)
{
  g_autoptr(FrVoicePlayer) player = tone_player (2.0);
  Seen seen = { 0 };

  g_mutex_init (&seen.lock);
  seen_reset (&seen);
  fr_voice_player_set_test_sink ("fakesink name=testsink sync=false signal-handoffs=true");
  fr_voice_player_play (player);
  g_assert_cmpuint (fr_voice_player_get_state (player), ==, FR_VOICE_PLAYER_PLAYING);
  watch_sink (player, &seen);
  wait_for_state (player, FR_VOICE_PLAYER_FINISHED);

  g_test_message ("played %.3f s at %.1f Hz in %u buffers; at most %u guarded blocks alive",
                  fr_test_tone_seconds (&seen.tone), fr_test_tone_hz (&seen.tone), seen.buffers, seen.most_blocks);
  assert_near (fr_test_tone_seconds (&seen.tone), 2.0);
  assert_near (fr_test_tone_hz (&seen.tone), TONE_HZ);
  assert_near (fr_voice_player_get_position (player), 2000);
  /* Every decoded buffer was guarded memory, and none is left now that it has ended. */
  g_assert_cmpuint (seen.buffers, >, 0);
  g_assert_cmpuint (seen.insecure, ==, 0);
  g_assert_cmpuint (seen.most_blocks, >, 0);
  g_assert_null (fr_voice_player_get_pipeline (player));
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), ==, 0);
  g_assert_null (fr_voice_player_get_error (player));

  /* Again, from the start. */
  seen_reset (&seen);
  fr_voice_player_play (player);
  watch_sink (player, &seen);
  wait_for_state (player, FR_VOICE_PLAYER_FINISHED);
  assert_near (fr_test_tone_seconds (&seen.tone), 2.0);
  g_mutex_clear (&seen.lock);
}

static void
test_pause_and_seek (void)
{
  g_autoptr(FrVoicePlayer) player = tone_player (3.0);
  Seen seen = { 0 };
  guint64 paused_at;

  g_mutex_init (&seen.lock);
  seen_reset (&seen);
  fr_voice_player_set_test_sink ("fakesink name=testsink sync=true signal-handoffs=true");
  fr_voice_player_play (player);
  watch_sink (player, &seen);
  wait_for_position (player, 300);

  fr_voice_player_pause (player);
  g_assert_cmpuint (fr_voice_player_get_state (player), ==, FR_VOICE_PLAYER_PAUSED);
  spin (100);
  paused_at = fr_voice_player_get_position (player);
  spin (300);
  g_assert_cmpuint (fr_voice_player_get_position (player), ==, paused_at);   /* paused: it stays */
  g_assert_cmpuint (paused_at, <, 1500);

  /* Seek while paused: the position moves there and stays. */
  fr_voice_player_seek (player, 2500);
  g_assert_cmpuint (fr_voice_player_get_position (player), ==, 2500);
  spin (300);
  g_assert_cmpuint (fr_voice_player_get_position (player), >=, 2480);
  g_assert_cmpuint (fr_voice_player_get_position (player), <=, 2520);
  g_assert_cmpuint (fr_voice_player_get_state (player), ==, FR_VOICE_PLAYER_PAUSED);

  fr_voice_player_play (player);
  wait_for_state (player, FR_VOICE_PLAYER_FINISHED);
  /* What was skipped was not played: about 0.3 s, then the last 0.5 s. */
  g_test_message ("played %.3f s of a 3 s tone around a seek", fr_test_tone_seconds (&seen.tone));
  g_assert_cmpfloat (fr_test_tone_seconds (&seen.tone), <, 2.0);
  g_assert_cmpfloat (fr_test_tone_seconds (&seen.tone), >, 0.7);
  g_assert_cmpuint (seen.insecure, ==, 0);
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), ==, 0);
  g_mutex_clear (&seen.lock);
}

static void
test_seek_before_play (void)
{
  g_autoptr(FrVoicePlayer) player = tone_player (2.0);
  Seen seen = { 0 };

  g_mutex_init (&seen.lock);
  seen_reset (&seen);
  fr_voice_player_set_test_sink ("fakesink name=testsink sync=false signal-handoffs=true");
  fr_voice_player_seek (player, 1500);
  g_assert_cmpuint (fr_voice_player_get_state (player), ==, FR_VOICE_PLAYER_STOPPED);
  g_assert_null (fr_voice_player_get_pipeline (player));   /* nothing decoded yet */
  g_assert_cmpuint (fr_voice_player_get_position (player), ==, 1500);

  fr_voice_player_play (player);
  watch_sink (player, &seen);
  wait_for_state (player, FR_VOICE_PLAYER_FINISHED);
  g_test_message ("from 1.5 s: %.3f s played, first buffer at %" GST_TIME_FORMAT,
                  fr_test_tone_seconds (&seen.tone), GST_TIME_ARGS (seen.first_pts));
  /* Only the seeked-to part sounds (the preroll before it is clipped away). */
  g_assert_cmpuint (seen.first_pts, >=, 1480 * GST_MSECOND);
  g_assert_cmpuint (seen.first_pts, <=, 1520 * GST_MSECOND);
  assert_near (fr_test_tone_seconds (&seen.tone), 0.5);
  g_mutex_clear (&seen.lock);
}

static void
test_stop_wipes (void)
{
  g_autoptr(FrVoicePlayer) player = tone_player (3.0);
  Seen seen = { 0 };

  g_mutex_init (&seen.lock);
  seen_reset (&seen);
  fr_voice_player_set_test_sink ("fakesink name=testsink sync=true signal-handoffs=true");
  fr_voice_player_play (player);
  watch_sink (player, &seen);
  wait_for_position (player, 200);
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), >, 0);

  fr_voice_player_stop (player);
  g_assert_cmpuint (fr_voice_player_get_state (player), ==, FR_VOICE_PLAYER_STOPPED);
  g_assert_null (fr_voice_player_get_pipeline (player));
  g_assert_cmpuint (fr_voice_player_get_position (player), ==, 0);
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), ==, 0);

  /* And disposing while it plays leaves nothing either. */
  fr_voice_player_play (player);
  wait_for_position (player, 100);
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), >, 0);
  g_clear_object (&player);
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), ==, 0);
  g_mutex_clear (&seen.lock);
}

static void
test_refusals (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrVoicePlayer) player = NULL;
  g_autofree char *vector = g_build_filename (TEST_VECTORS_DIR, "voice-hej.ogg", NULL);
  g_autofree char *ogg = NULL;
  gsize len = 0;

  player = fr_voice_player_new ((const guint8 *) "RIFF....WAVEfmt ", 16, &error);
  g_assert_null (player);
  g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
  g_clear_error (&error);

  /* The committed voice message plays; with a sink that does not exist it fails clearly. */
  g_assert_true (g_file_get_contents (vector, &ogg, &len, &error));
  player = fr_voice_player_new ((const guint8 *) ogg, len, &error);
  g_assert_no_error (error);
  fr_voice_player_set_test_sink ("nosuchsink");
  fr_voice_player_play (player);
  g_assert_cmpuint (fr_voice_player_get_state (player), ==, FR_VOICE_PLAYER_FAILED);
  g_assert_error (fr_voice_player_get_error (player), FR_AUDIO_ERROR, FR_AUDIO_ERROR_MISSING_ELEMENT);
  g_assert_nonnull (strstr (fr_voice_player_get_error (player)->message, "nosuchsink"));
  g_assert_null (fr_voice_player_get_pipeline (player));

  fr_voice_player_set_test_sink ("fakesink sync=false");
  fr_voice_player_play (player);
  wait_for_state (player, FR_VOICE_PLAYER_FINISHED);
  g_assert_null (fr_voice_player_get_error (player));
  assert_near (fr_voice_player_get_position (player), fr_voice_player_get_duration (player));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());
  gst_init (NULL, NULL);
  g_test_add_func ("/voice-player/plays-to-the-end", test_plays_to_the_end);
  g_test_add_func ("/voice-player/pause-and-seek", test_pause_and_seek);
  g_test_add_func ("/voice-player/seek-before-play", test_seek_before_play);
  g_test_add_func ("/voice-player/stop-wipes", test_stop_wipes);
  g_test_add_func ("/voice-player/refusals", test_refusals);
  return g_test_run ();
}
