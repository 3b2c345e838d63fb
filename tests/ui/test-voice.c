/* test-voice.c — the voice question (issue 13), through the real wizard: a 5 s 440 Hz tone
 * from audiotestsrc is recorded, listened back, sent, and the sealed record's attachment
 * opens with the staff key and decodes to 5 s at 440 Hz, or at 440 × the disguise factor
 * when the disguise is on (and Listen played exactly that); nothing is opened for writing
 * anywhere while recording or listening, and no file appears in the state dir, HOME,
 * TMPDIR or the XDG dirs; quick exit during recording and during playback stops the
 * pipeline and wipes the buffers; Delete, Record again and Skip forget the message; the
 * site's maximum stops a recording by itself; the idle timeout waits while recording and
 * then wipes the message; every control is named and focusable. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "fr-kiosk-audio.h"
#include "fr-kiosk-playback.h"
#include "fr-kiosk-question.h"
#include "fr-kiosk-recorder.h"
#include "fr-kiosk-voice.h"
#include "fr-ogg.h"
#include "fr-secure-allocator.h"
#include "fr-test-tone.h"
#include "fr-test-util.h"
#include "kiosk-fixture.h"
#include "write-watch.h"

#define TONE_HZ      440.0
#define TONE_SECONDS 5.0
#define TONE_SOURCE  "audiotestsrc num-buffers=250 samplesperbuffer=960 freq=440 wave=sine" \
                     " ! audio/x-raw,rate=48000,channels=1"
#define LIVE_SOURCE  "audiotestsrc is-live=true samplesperbuffer=960 freq=440 wave=sine" \
                     " ! audio/x-raw,rate=48000,channels=1"
#define FAST_SINK    "fakesink name=testsink sync=false signal-handoffs=true"
#define REAL_SINK    "fakesink name=testsink sync=true"

static const char *const languages[] = { "en", "sv", NULL };
static FrTestRoots roots;   /* HOME, TMPDIR, the XDG directories: fresh for this process */

/* Under ASan: whole stacks for leaks (tests/ui/lsan.supp matches GLib's quark table by
 * its constructor frame, grown by GStreamer's quarks). */
const char *__asan_default_options (void);
const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

/* ---- what was played: zero crossings of the raw audio the sink got ---- */

typedef struct
{
  GMutex  lock;
  guint64 samples;
  guint64 crossings;
  double  last;
  guint   rate;
  guint   buffers;
  guint   insecure;   /* buffers with memory outside guarded pages */
} Heard;

static Heard heard;

static void
on_handoff (GstElement *sink,
            GstBuffer  *buffer,
            GstPad     *pad,
            gpointer    data)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const GstStructure *s = caps != NULL ? gst_caps_get_structure (caps, 0) : NULL;
  const char *format = s != NULL ? gst_structure_get_string (s, "format") : NULL;
  int channels = 0, rate = 0;
  GstMapInfo map;

  if (format == NULL || !gst_structure_get_int (s, "channels", &channels)
      || !gst_structure_get_int (s, "rate", &rate) || channels < 1
      || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return;
  g_mutex_lock (&heard.lock);
  heard.rate = rate;
  heard.buffers++;
  for (guint i = 0; i < gst_buffer_n_memory (buffer); i++)
    if (!fr_secure_memory_is_secure (gst_buffer_peek_memory (buffer, i)))
      {
        heard.insecure++;
        break;
      }
  if (g_str_equal (format, "S16LE") || g_str_equal (format, "F32LE"))
    {
      gboolean f32 = g_str_equal (format, "F32LE");
      gsize width = f32 ? 4 : 2;

      for (gsize i = 0; i + width * channels <= map.size; i += width * channels)
        {
          double v = f32 ? *(const float *) (map.data + i) : *(const gint16 *) (map.data + i);

          if ((heard.last < 0 && v >= 0) || (heard.last >= 0 && v < 0))
            heard.crossings++;
          heard.last = v;
          heard.samples++;
        }
    }
  g_mutex_unlock (&heard.lock);
  gst_buffer_unmap (buffer, &map);
}

static void
on_sink_made (GstElement *sink,
              gpointer    data)
{
  g_autoptr(GstElement) fakesink = gst_bin_get_by_name (GST_BIN (sink), "testsink");

  if (fakesink != NULL)
    g_signal_connect (fakesink, "handoff", G_CALLBACK (on_handoff), NULL);
}

static void
heard_reset (void)
{
  g_mutex_lock (&heard.lock);
  heard.samples = heard.crossings = 0;
  heard.buffers = heard.insecure = 0;
  heard.last = 0;
  g_mutex_unlock (&heard.lock);
}

static double
heard_hz (double *seconds)
{
  double s, hz;

  g_mutex_lock (&heard.lock);
  s = heard.rate > 0 ? (double) heard.samples / heard.rate : 0;
  hz = s > 0 ? heard.crossings / 2.0 / s : 0;
  g_mutex_unlock (&heard.lock);
  if (seconds != NULL)
    *seconds = s;
  return hz;
}

/* ---- files ---- */

/* Nothing opened for writing but devices (a sound card, /dev/null). */
static void
assert_nothing_written (GPtrArray  *written,
                        const char *when)
{
  for (guint i = 0; i < written->len; i++)
    {
      const char *path = g_ptr_array_index (written, i);

      if (!g_str_has_prefix (path, "/dev/") || g_str_has_prefix (path, "/dev/shm"))
        g_error ("%s: %s was opened for writing", when, path);
    }
}

/* ---- the kiosk ---- */

static KioskFixture *
fixture_at_voice (void)
{
  KioskFixture *fixture = kiosk_fixture_new_for_languages (TRUE, languages);

  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  g_assert_true (kiosk_wizard_go_to_kind (fixture, FR_QUESTION_VOICE, "hello"));
  return fixture;
}

static FrKioskVoice *
voice_of (KioskFixture *fixture)
{
  GtkWidget *voice = fr_kiosk_wizard_get_voice (kiosk_wizard (fixture));

  g_assert_true (FR_IS_KIOSK_VOICE (voice));
  return FR_KIOSK_VOICE (voice);
}

static gboolean
recorded (gpointer data)
{
  KioskFixture *fixture = data;

  return fr_kiosk_session_get_voice (fr_kiosk_window_get_session (fixture->window), NULL) != NULL
         && !fr_kiosk_voice_is_recording (voice_of (fixture));
}

static gboolean
playback_done (gpointer data)
{
  return !fr_kiosk_playback_is_active (data);
}

static gboolean
pipeline_is_null (gpointer data)
{
  GstState state = GST_STATE_VOID_PENDING;

  gst_element_get_state (GST_ELEMENT (data), &state, NULL, 0);
  return state == GST_STATE_NULL;
}

static gboolean
no_playback_copy (gpointer data)
{
  return fr_kiosk_playback_get_n_live_copies () == 0;
}

static gboolean
no_secure_block (gpointer data)
{
  return fr_secure_allocator_live_blocks () == 0;
}

/* A weak pointer's target is gone. A message the streaming thread posted before the
 * pipeline stopped may hold the last reference until the main loop hands it out; the
 * audio is already wiped by then (no_secure_block). */
static gboolean
weak_is_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Buffers through a pad, and those not in guarded memory. */
typedef struct
{
  gint buffers;
  gint insecure;
} Seen;

static GstPadProbeReturn
on_probe_buffer (GstPad          *pad,
                 GstPadProbeInfo *info,
                 gpointer         data)
{
  Seen *seen = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  g_atomic_int_inc (&seen->buffers);
  for (guint i = 0; i < gst_buffer_n_memory (buffer); i++)
    if (!fr_secure_memory_is_secure (gst_buffer_peek_memory (buffer, i)))
      {
        g_atomic_int_inc (&seen->insecure);
        break;
      }
  return GST_PAD_PROBE_OK;
}

static void
watch_pad (GstElement  *pipeline,
           const char  *element,
           const char  *pad_name,
           Seen        *seen)
{
  g_autoptr(GstElement) e = gst_bin_get_by_name (GST_BIN (pipeline), element);
  g_autoptr(GstPad) pad = e != NULL ? gst_element_get_static_pad (e, pad_name) : NULL;

  g_assert_nonnull (pad);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_probe_buffer, seen, NULL);
}

static gboolean
levels_seen (gpointer data)
{
  return *(guint *) data >= 3;
}

static void
count_level (FrKioskRecorder *recorder,
             double           db,
             guint           *n)
{
  (*n)++;
}

/* Records the tone through the Record button's action; returns when the message is in. */
static void
record_tone (KioskFixture *fixture)
{
  FrKioskVoice *voice = voice_of (fixture);

  kiosk_activate (fixture, GTK_WIDGET (voice), "voice.record", NULL);
  g_assert_true (kiosk_wait_until (recorded, fixture, 20000));
}

/* Listen: plays the message to its end (a fast sink); returns the frequency heard. */
static double
listen_back (KioskFixture *fixture,
             double       *seconds)
{
  FrKioskVoice *voice = voice_of (fixture);

  heard_reset ();
  kiosk_activate (fixture, GTK_WIDGET (voice), "voice.play", NULL);
  g_assert_true (fr_kiosk_playback_is_active (fr_kiosk_voice_get_playback (voice)));
  g_assert_true (kiosk_wait_until (playback_done, fr_kiosk_voice_get_playback (voice), 20000));
  return heard_hz (seconds);
}

static void
send_from_voice (KioskFixture *fixture,
                 const char   *review_line)
{
  GtkWidget *review;

  kiosk_activate (fixture, NULL, "wizard.next", NULL);
  while (kiosk_wizard_answer_step (fixture, "hello"))
    ;
  g_assert_cmpstr (fr_kiosk_wizard_get_step_name (kiosk_wizard (fixture)), ==, "consent");
  kiosk_activate (fixture, NULL, "wizard.agree", NULL);
  g_assert_cmpstr (fr_kiosk_wizard_get_step_name (kiosk_wizard (fixture)), ==, "review");
  review = fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture));
  if (!kiosk_tree_contains (review, review_line))
    g_error ("the review does not say \"%s\"", review_line);
  kiosk_activate (fixture, NULL, "wizard.send", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "receipt");
}

static FrOpenedEnvelope *
open_only_envelope (KioskFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (fixture->demo->state_dir, FR_KIOSK_OUTBOX_FILE, NULL);
  g_autoptr(FrOutbox) outbox = fr_outbox_open (db, &error);
  g_autoptr(GPtrArray) pending = NULL;
  FrOutboxItem *item;
  FrOpenedEnvelope *opened;

  g_assert_no_error (error);
  pending = fr_outbox_list_pending (outbox, G_MAXINT64 / 2, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 1);
  item = g_ptr_array_index (pending, 0);
  opened = fr_envelope_open (g_bytes_get_data (item->envelope, NULL), g_bytes_get_size (item->envelope),
                             fixture->demo->staff->recipient_pk, fixture->demo->staff->recipient_sk, NULL, &error);
  g_assert_no_error (error);
  return opened;
}

/* Record, listen, send; the opened attachment is what was heard. */
static void
record_and_send (gboolean disguise)
{
  KioskFixture *fixture;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) written = NULL;
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  const FrAttachmentInfo *info;
  FrKioskVoice *voice;
  double expected = disguise ? TONE_HZ * FR_KIOSK_RECORDER_DISGUISE_PITCH : TONE_HZ;
  double seconds, hz, heard_seconds, heard_at;
  guint levels = 0;
  g_autofree char *review = NULL;

  fr_kiosk_recorder_set_test_source (TONE_SOURCE);
  fr_kiosk_audio_set_test_sink (FAST_SINK);
  fixture = fixture_at_voice ();
  voice = voice_of (fixture);
  g_signal_connect (fr_kiosk_voice_get_recorder (voice), "level", G_CALLBACK (count_level), &levels);
  /* Nothing recorded yet: Next is off, Skip on (the question is optional). */
  g_assert_false (fr_kiosk_question_is_answered (FR_KIOSK_QUESTION (fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture)))));

  before = fr_test_roots_snapshot (&roots, fixture->demo->state_dir);
  write_watch_start ();
  record_tone (fixture);
  written = write_watch_stop ();
  assert_nothing_written (written, "while recording");
  fr_test_roots_assert_no_new_file (&roots, before, fixture->demo->state_dir, "after recording");
  g_assert_cmpuint (levels, >=, 10);   /* the meter moved, 10 times a second of sound */
  g_assert_cmpuint (fr_kiosk_recorder_get_n_live_buffers (), ==, 0);
  g_assert_true (fr_kiosk_question_is_answered (FR_KIOSK_QUESTION (fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture)))));

  if (disguise)
    kiosk_activate (fixture, GTK_WIDGET (voice), "voice.disguise", NULL);
  g_assert_cmpint (fr_kiosk_session_get_voice_disguised (fr_kiosk_window_get_session (fixture->window)), ==, disguise);

  /* Listen back: what is played. */
  g_clear_pointer (&written, g_ptr_array_unref);
  write_watch_start ();
  heard_at = listen_back (fixture, &heard_seconds);
  written = write_watch_stop ();
  assert_nothing_written (written, "while listening back");
  g_test_message ("listen back%s: %.3f s at %.1f Hz", disguise ? " (disguised)" : "", heard_seconds, heard_at);
  g_assert_cmpfloat (fabs (heard_seconds - TONE_SECONDS) / TONE_SECONDS, <, 0.05);
  g_assert_cmpfloat (fabs (heard_at - expected) / expected, <, 0.03);
  /* Every decoded buffer played was in guarded memory. */
  g_assert_cmpuint (heard.buffers, >, 0);
  g_assert_cmpuint (heard.insecure, ==, 0);
  g_assert_true (kiosk_wait_until (no_playback_copy, NULL, 5000));
  g_assert_true (kiosk_wait_until (no_secure_block, NULL, 5000));
  fr_test_roots_assert_no_new_file (&roots, before, fixture->demo->state_dir, "after listening back");

  review = g_strdup (disguise ? "A voice message is attached (0:05), with your voice disguised."
                              : "A voice message is attached (0:05).");
  send_from_voice (fixture, review);
  /* Sent: nothing of it is left in the session. */
  g_assert_null (fr_kiosk_session_get_voice (fr_kiosk_window_get_session (fixture->window), NULL));

  opened = open_only_envelope (fixture);
  g_assert_cmpuint (opened->n_attachments, ==, 1);
  info = fr_record_get_attachment (opened->record, 0);
  g_assert_cmpstr (info->kind, ==, "voice");
  g_assert_cmpstr (info->mime, ==, FR_OGG_MIME);
  g_assert_cmpuint (info->size, ==, opened->attachments[0]->len);
  g_assert_cmpfloat (fabs (info->duration_ms - TONE_SECONDS * 1000) / (TONE_SECONDS * 1000), <, 0.05);
  fr_test_tone_analyse (opened->attachments[0]->data, opened->attachments[0]->len, &seconds, &hz);
  g_test_message ("sent%s: %" G_GSIZE_FORMAT " bytes, %" G_GUINT64_FORMAT " ms in the record, %.3f s decoded at %.1f Hz",
                  disguise ? " (disguised)" : "", opened->attachments[0]->len, info->duration_ms, seconds, hz);
  g_assert_cmpfloat (fabs (seconds - TONE_SECONDS) / TONE_SECONDS, <, 0.05);
  g_assert_cmpfloat (fabs (hz - expected) / expected, <, 0.03);
  /* What was heard is what was sent. */
  g_assert_cmpfloat (fabs (hz - heard_at) / expected, <, 0.01);
  kiosk_fixture_free (fixture);
}

static void
test_record_send (void)
{
  record_and_send (FALSE);
}

static void
test_disguise_send (void)
{
  record_and_send (TRUE);
}

/* Quick exit while recording: the pipeline goes to NULL, the capture buffers are wiped at
 * once, the recorder and the voice screen are gone. */
static void
test_quick_exit_recording (void)
{
  KioskFixture *fixture;
  FrKioskVoice *voice;
  g_autoptr(GstElement) pipeline = NULL;
  gpointer weak_voice, weak_recorder;
  guint levels = 0;
  Seen raw = { 0 }, encoded = { 0 };

  fr_kiosk_recorder_set_test_source (LIVE_SOURCE);
  fr_kiosk_audio_set_test_sink (FAST_SINK);
  fixture = fixture_at_voice ();
  voice = voice_of (fixture);
  g_signal_connect (fr_kiosk_voice_get_recorder (voice), "level", G_CALLBACK (count_level), &levels);
  kiosk_activate (fixture, GTK_WIDGET (voice), "voice.record", NULL);
  g_assert_true (fr_kiosk_voice_is_recording (voice));
  g_assert_true (fr_kiosk_voice_is_busy (voice));
  /* The samples and the encoded pages on their way: all in guarded memory. */
  watch_pad (fr_kiosk_recorder_get_pipeline (fr_kiosk_voice_get_recorder (voice)), "level", "src", &raw);
  watch_pad (fr_kiosk_recorder_get_pipeline (fr_kiosk_voice_get_recorder (voice)), "plain", "sink", &encoded);
  g_assert_true (kiosk_wait_until (levels_seen, &levels, 5000));
  g_assert_cmpuint (fr_kiosk_recorder_get_n_live_buffers (), >, 0);
  g_assert_cmpint (g_atomic_int_get (&raw.buffers), >, 0);
  g_assert_cmpint (g_atomic_int_get (&raw.insecure), ==, 0);
  g_assert_cmpint (g_atomic_int_get (&encoded.insecure), ==, 0);
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), >, 0);
  pipeline = gst_object_ref (fr_kiosk_recorder_get_pipeline (fr_kiosk_voice_get_recorder (voice)));
  weak_voice = voice;
  weak_recorder = fr_kiosk_voice_get_recorder (voice);
  g_object_add_weak_pointer (G_OBJECT (weak_voice), &weak_voice);
  g_object_add_weak_pointer (G_OBJECT (weak_recorder), &weak_recorder);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.quick-exit", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "cover");
  /* Wiped at once, not when GStreamer gets round to it. */
  g_assert_cmpuint (fr_kiosk_recorder_get_n_live_buffers (), ==, 0);
  g_assert_true (kiosk_wait_until (pipeline_is_null, pipeline, 5000));
  g_clear_pointer (&pipeline, gst_object_unref);
  /* Every buffer GStreamer had is freed, so wiped. */
  g_assert_true (kiosk_wait_until (no_secure_block, NULL, 5000));
  g_assert_true (kiosk_wait_until (weak_is_cleared, &weak_voice, 5000));
  g_assert_true (kiosk_wait_until (weak_is_cleared, &weak_recorder, 5000));
  g_assert_null (fr_kiosk_window_get_session (fixture->window));
  kiosk_fixture_free (fixture);
}

/* Quick exit while the message plays back: the pipeline goes to NULL and its copy of the
 * message is wiped; the session's message with it. */
static void
test_quick_exit_playback (void)
{
  KioskFixture *fixture;
  FrKioskVoice *voice;
  FrKioskPlayback *playback;
  g_autoptr(GstElement) pipeline = NULL;
  gpointer weak_playback;

  fr_kiosk_recorder_set_test_source (TONE_SOURCE);
  fr_kiosk_audio_set_test_sink (REAL_SINK);
  fixture = fixture_at_voice ();
  voice = voice_of (fixture);
  record_tone (fixture);
  playback = fr_kiosk_voice_get_playback (voice);
  kiosk_activate (fixture, GTK_WIDGET (voice), "voice.play", NULL);
  kiosk_wait (300);
  g_assert_true (fr_kiosk_playback_is_active (playback));
  g_assert_true (fr_kiosk_voice_is_busy (voice));
  /* Pause and play on. */
  kiosk_activate (fixture, GTK_WIDGET (voice), "voice.play", NULL);
  g_assert_true (fr_kiosk_playback_is_paused (playback));
  kiosk_activate (fixture, GTK_WIDGET (voice), "voice.play", NULL);
  g_assert_false (fr_kiosk_playback_is_paused (playback));
  g_assert_cmpuint (fr_kiosk_playback_get_n_live_copies (), <=, 1);
  pipeline = gst_object_ref (fr_kiosk_playback_get_pipeline (playback));
  weak_playback = playback;
  g_object_add_weak_pointer (G_OBJECT (weak_playback), &weak_playback);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.quick-exit", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "cover");
  g_assert_true (kiosk_wait_until (pipeline_is_null, pipeline, 5000));
  g_clear_pointer (&pipeline, gst_object_unref);
  g_assert_true (kiosk_wait_until (no_playback_copy, NULL, 5000));
  g_assert_true (kiosk_wait_until (no_secure_block, NULL, 5000));
  g_assert_true (kiosk_wait_until (weak_is_cleared, &weak_playback, 5000));
  g_assert_null (fr_kiosk_window_get_session (fixture->window));
  kiosk_fixture_free (fixture);
}

static gboolean
on_cover (gpointer data)
{
  KioskFixture *fixture = data;

  return g_strcmp0 (fr_kiosk_window_get_screen_name (fixture->window), "cover") == 0;
}

/* The idle timeout waits while someone records (they talk, they do not touch); once the
 * message is recorded and nobody touches, the idle reset wipes it with the session. */
static void
test_idle (void)
{
  KioskFixture *fixture;
  FrKioskVoice *voice;

  fr_kiosk_recorder_set_test_source (LIVE_SOURCE);
  fr_kiosk_audio_set_test_sink (FAST_SINK);
  fixture = fixture_at_voice ();
  voice = voice_of (fixture);
  fr_kiosk_window_set_idle_timeout_ms (fixture->window, 800);
  kiosk_activate (fixture, GTK_WIDGET (voice), "voice.record", NULL);
  kiosk_wait (2500);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "wizard");
  g_assert_true (fr_kiosk_voice_is_recording (voice));
  kiosk_activate (fixture, GTK_WIDGET (voice), "voice.stop", NULL);
  g_assert_true (kiosk_wait_until (recorded, fixture, 5000));
  g_assert_true (kiosk_wait_until (on_cover, fixture, 5000));
  g_assert_null (fr_kiosk_window_get_session (fixture->window));
  g_assert_cmpuint (fr_kiosk_recorder_get_n_live_buffers (), ==, 0);
  kiosk_fixture_free (fixture);
}

/* Delete and Record again wipe the message; Skip forgets it and moves on; Back to the
 * question shows it again. */
static void
test_delete_again_skip (void)
{
  KioskFixture *fixture;
  FrKioskVoice *voice;
  FrKioskSession *session;
  const FrSecret *first;

  fr_kiosk_recorder_set_test_source (TONE_SOURCE);
  fr_kiosk_audio_set_test_sink (FAST_SINK);
  fixture = fixture_at_voice ();
  voice = voice_of (fixture);
  session = fr_kiosk_window_get_session (fixture->window);
  record_tone (fixture);
  kiosk_activate (fixture, GTK_WIDGET (voice), "voice.delete", NULL);
  g_assert_null (fr_kiosk_session_get_voice (session, NULL));
  g_assert_false (fr_kiosk_question_is_answered (FR_KIOSK_QUESTION (fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture)))));

  record_tone (fixture);
  first = fr_kiosk_session_get_voice (session, NULL);
  g_assert_nonnull (first);
  kiosk_activate (fixture, GTK_WIDGET (voice), "voice.again", NULL);
  /* Recording again: the first message is gone. */
  g_assert_null (fr_kiosk_session_get_voice (session, NULL));
  g_assert_true (fr_kiosk_voice_is_recording (voice));
  g_assert_true (kiosk_wait_until (recorded, fixture, 20000));

  /* Next, then Back: the message is still there. */
  kiosk_activate (fixture, NULL, "wizard.next", NULL);
  g_assert_null (fr_kiosk_wizard_get_voice (kiosk_wizard (fixture)));
  kiosk_activate (fixture, NULL, "wizard.back", NULL);
  g_assert_true (fr_kiosk_wizard_get_voice (kiosk_wizard (fixture)) == GTK_WIDGET (voice));
  g_assert_nonnull (fr_kiosk_session_get_voice (session, NULL));

  /* Skip: not answered, so nothing is kept. */
  kiosk_activate (fixture, NULL, "wizard.skip", NULL);
  g_assert_null (fr_kiosk_session_get_voice (session, NULL));
  g_assert_null (fr_kiosk_wizard_get_voice (kiosk_wizard (fixture)));
  kiosk_fixture_free (fixture);
}

/* Leaving the screen while recording throws the unfinished recording away. */
static void
test_leave_while_recording (void)
{
  KioskFixture *fixture;
  FrKioskVoice *voice;
  guint levels = 0;

  fr_kiosk_recorder_set_test_source (LIVE_SOURCE);
  fr_kiosk_audio_set_test_sink (FAST_SINK);
  fixture = fixture_at_voice ();
  voice = voice_of (fixture);
  g_signal_connect (fr_kiosk_voice_get_recorder (voice), "level", G_CALLBACK (count_level), &levels);
  kiosk_activate (fixture, GTK_WIDGET (voice), "voice.record", NULL);
  g_assert_true (kiosk_wait_until (levels_seen, &levels, 5000));
  kiosk_activate (fixture, NULL, "wizard.back", NULL);
  g_assert_false (fr_kiosk_voice_is_recording (voice));
  g_assert_cmpuint (fr_kiosk_recorder_get_n_live_buffers (), ==, 0);
  g_assert_null (fr_kiosk_session_get_voice (fr_kiosk_window_get_session (fixture->window), NULL));
  kiosk_fixture_free (fixture);
}

/* The site's maximum: an endless source stops by itself at voice-max-seconds. */
static void
test_site_maximum (void)
{
  /* The kiosk with [kiosk] voice-max-seconds=10. */
  KioskFixture *fixture = kiosk_fixture_new_with_setting (TRUE, languages, "kiosk", "voice-max-seconds", "10");
  FrKioskVoice *voice;
  guint64 ms = 0;

  fr_kiosk_recorder_set_test_source ("audiotestsrc samplesperbuffer=960 freq=440 wave=sine ! audio/x-raw,rate=48000,channels=1");
  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  g_assert_true (kiosk_wizard_go_to_kind (fixture, FR_QUESTION_VOICE, "hello"));
  voice = voice_of (fixture);
  g_assert_true (kiosk_tree_contains (GTK_WIDGET (voice), "You can speak for up to 10 seconds."));
  kiosk_activate (fixture, GTK_WIDGET (voice), "voice.record", NULL);
  g_assert_true (kiosk_wait_until (recorded, fixture, 20000));
  fr_kiosk_session_get_voice (fr_kiosk_window_get_session (fixture->window), &ms);
  g_test_message ("endless source, site maximum 10 s: a %" G_GUINT64_FORMAT " ms message", ms);
  g_assert_cmpuint (ms, >=, 9500);
  g_assert_cmpuint (ms, <=, 10500);
  g_assert_true (kiosk_tree_contains (GTK_WIDGET (voice), "Your voice message: 0:10"));
  kiosk_fixture_free (fixture);
}

static void
assert_control (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_focusable (button));
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL));
  /* The keyboard reaches it. */
  g_assert_true (gtk_widget_grab_focus (button));
  g_assert_true (gtk_widget_has_focus (button));
}

/* Every control of the voice screen is named and takes the keyboard focus, in each state;
 * Enter on a focused control activates it (GtkButton's own binding). */
static void
test_controls (void)
{
  KioskFixture *fixture;
  FrKioskVoice *voice;
  GtkWidget *button;

  fr_kiosk_recorder_set_test_source (LIVE_SOURCE);
  fr_kiosk_audio_set_test_sink (FAST_SINK);
  fixture = fixture_at_voice ();
  voice = voice_of (fixture);
  button = kiosk_find_descendant (GTK_WIDGET (voice), GTK_TYPE_BUTTON);
  g_assert_true (gtk_widget_get_visible (button));
  assert_control (button);
  /* Activated as Enter or Space would (GtkButton's "activate" keybinding signal). */
  g_signal_emit_by_name (button, "activate");
  kiosk_wait (400);   /* GtkButton shows the press for 250 ms, then clicks */
  g_assert_true (fr_kiosk_voice_is_recording (voice));
  kiosk_wait (1200);
  g_free (kiosk_screenshot (fixture, "en-voice-recording"));
  for (GtkWidget *w = gtk_window_get_focus (GTK_WINDOW (fixture->window)); w != NULL; w = NULL)
    assert_control (w);   /* focus went to Stop */
  g_signal_emit_by_name (gtk_window_get_focus (GTK_WINDOW (fixture->window)), "activate");
  g_assert_true (kiosk_wait_until (recorded, fixture, 20000));
  /* Recorded: Listen, the disguise, Record again, Delete. */
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    GtkWidget *w = GTK_WIDGET (voice);

    for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; )
      {
        if (GTK_IS_BUTTON (c) && gtk_widget_get_mapped (c))
          g_ptr_array_add (buttons, c);
        if (gtk_widget_get_first_child (c) != NULL && !GTK_IS_BUTTON (c))
          c = gtk_widget_get_first_child (c);
        else
          {
            while (c != NULL && gtk_widget_get_next_sibling (c) == NULL && c != w)
              c = gtk_widget_get_parent (c);
            c = (c == NULL || c == w) ? NULL : gtk_widget_get_next_sibling (c);
          }
      }
    g_assert_cmpuint (buttons->len, ==, fr_kiosk_recorder_can_disguise () ? 4 : 3);
    for (guint i = 0; i < buttons->len; i++)
      assert_control (g_ptr_array_index (buttons, i));
  }
  g_free (kiosk_screenshot (fixture, "en-voice-recorded"));
  kiosk_activate (fixture, GTK_WIDGET (voice), "voice.disguise", NULL);
  g_free (kiosk_screenshot (fixture, "en-voice-disguised"));
  kiosk_fixture_free (fixture);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *base = g_dir_make_tmp ("fr-voice-XXXXXX", NULL);

  /* Every place the kiosk could write, fresh and empty for this process. */
  fr_test_roots_init (&roots, base);
  kiosk_test_init (&argc, &argv);
  /* GStreamer's registry cache is written at its first start: before any watching. */
  gst_init (NULL, NULL);
  g_assert_true (fr_kiosk_recorder_can_disguise ());
  g_mutex_init (&heard.lock);
  fr_kiosk_audio_set_test_sink_hook (on_sink_made, NULL);
  g_test_add_func ("/voice/record-send", test_record_send);
  g_test_add_func ("/voice/disguise-send", test_disguise_send);
  g_test_add_func ("/voice/quick-exit-recording", test_quick_exit_recording);
  g_test_add_func ("/voice/quick-exit-playback", test_quick_exit_playback);
  g_test_add_func ("/voice/delete-again-skip", test_delete_again_skip);
  g_test_add_func ("/voice/leave-while-recording", test_leave_while_recording);
  g_test_add_func ("/voice/idle", test_idle);
  g_test_add_func ("/voice/site-maximum", test_site_maximum);
  g_test_add_func ("/voice/controls", test_controls);
  return g_test_run ();
}
