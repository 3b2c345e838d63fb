/* test-audio.c — read-aloud (issue 13): Listen on a topic plays its clips (through a
 * fakesink) and highlights the paragraph being read; quick exit, Home, the idle reset and a new screen
 * stop it at once; a language without a voice has no Listen; on the welcome screen
 * Listen makes a touch on a language speak it before choosing it; "read every screen
 * aloud" plays each screen as it opens and stops on navigation; headphones first plays
 * nothing without headphones and shows (and says quietly, once) how to ask for them. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include "fr-kiosk-audio.h"
#include "fr-kiosk-headphones.h"
#include "fr-kiosk-listen.h"
#include "fr-kiosk-question.h"
#include "fr-kiosk-topic.h"
#include "fr-clips.h"
#include "fr-kiosk-wizard.h"
#include "fr-kiosk-receipt.h"
#include "fr-test-util.h"
#include "kiosk-fixture.h"

static GArray *marks;

/* Under ASan: whole stacks for leaks, so lsan.supp can tell GLib's quark table (grown
 * past its first block by GStreamer's quarks) by its constructor frame. */
const char *__asan_default_options (void);
const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

static void
on_mark (FrKioskAudio *audio,
         int           mark,
         gpointer      data)
{
  g_array_append_val (marks, mark);
}

static gboolean
reading (gpointer data)
{
  GtkWidget *label = data;

  return gtk_widget_has_css_class (label, "fr-reading");
}

static gboolean
sink_has_sample (gpointer data)
{
  FrKioskAudio *audio = data;
  GstElement *pipeline = fr_kiosk_audio_get_pipeline (audio);
  g_autoptr(GstElement) sink = pipeline ? gst_bin_get_by_name (GST_BIN (pipeline), "testsink") : NULL;
  g_autoptr(GstSample) sample = NULL;

  if (sink == NULL)
    return FALSE;
  g_object_get (sink, "last-sample", &sample, NULL);
  return sample != NULL;
}

static gboolean
pipeline_is_null (gpointer data)
{
  GstState state = GST_STATE_VOID_PENDING;

  gst_element_get_state (GST_ELEMENT (data), &state, NULL, 0);
  return state == GST_STATE_NULL;
}

static gboolean
on_cover (gpointer data)
{
  KioskFixture *fixture = data;

  return g_strcmp0 (fr_kiosk_window_get_screen_name (fixture->window), "cover") == 0;
}

static void
open_topic (KioskFixture *fixture,
            const char   *lang,
            const char   *topic)
{
  kiosk_activate (fixture, NULL, "kiosk.language", lang);
  kiosk_activate (fixture, NULL, "kiosk.topic", topic);
  g_assert_true (FR_IS_KIOSK_TOPIC (fr_kiosk_window_get_screen (fixture->window)));
}

static void
test_topic_highlight (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  FrKioskListen *listen = fr_kiosk_window_get_listen (fixture->window);
  FrKioskAudio *audio = fr_kiosk_listen_get_audio (listen);
  FrKioskTopic *topic;
  GtkWidget *first, *second;
  gint64 start;

  open_topic (fixture, "en", "rights");
  topic = FR_KIOSK_TOPIC (fr_kiosk_window_get_screen (fixture->window));
  first = fr_kiosk_topic_get_paragraph (topic, 0);
  second = fr_kiosk_topic_get_paragraph (topic, 1);
  g_assert_true (gtk_widget_get_visible (fr_kiosk_window_get_listen_button (fixture->window)));
  marks = g_array_new (FALSE, FALSE, sizeof (int));
  g_signal_connect (audio, "mark", G_CALLBACK (on_mark), NULL);

  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.listen", NULL);
  g_assert_true (fr_kiosk_listen_is_playing (listen));
  /* Touch to sound: the first decoded buffer at the sink. */
  g_assert_true (kiosk_wait_until (sink_has_sample, audio, 5000));
  g_test_message ("touch-to-sound latency: %.1f ms (clip read, playbin, decodebin, first buffer at the sink)",
                  (g_get_monotonic_time () - start) / 1000.0);
  /* The title, then paragraph 1 highlighted, then paragraph 2 and 1 no longer. */
  g_assert_true (kiosk_wait_until (reading, first, 20000));
  g_assert_false (gtk_widget_has_css_class (second, "fr-reading"));
  g_assert_true (kiosk_wait_until (reading, second, 30000));
  g_assert_false (gtk_widget_has_css_class (first, "fr-reading"));
  g_assert_cmpuint (marks->len, >=, 3);
  g_assert_cmpint (g_array_index (marks, int, 0), ==, -1);
  g_assert_cmpint (g_array_index (marks, int, 1), ==, 0);
  g_assert_cmpint (g_array_index (marks, int, 2), ==, 1);

  /* Listen again while it reads: it stops, and the highlight goes. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.listen", NULL);
  g_assert_false (fr_kiosk_listen_is_playing (listen));
  g_assert_false (gtk_widget_has_css_class (second, "fr-reading"));
  g_signal_handlers_disconnect_by_func (audio, on_mark, NULL);
  g_clear_pointer (&marks, g_array_unref);
  kiosk_fixture_free (fixture);
}

static void
test_quick_exit_stops (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  FrKioskListen *listen = fr_kiosk_window_get_listen (fixture->window);
  FrKioskAudio *audio = fr_kiosk_listen_get_audio (listen);
  g_autoptr(GstElement) pipeline = NULL;
  gint64 start, took;

  open_topic (fixture, "sv", "rights");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.listen", NULL);
  g_assert_true (kiosk_wait_until (sink_has_sample, audio, 5000));
  pipeline = gst_object_ref (fr_kiosk_audio_get_pipeline (audio));

  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.quick-exit", NULL);
  took = g_get_monotonic_time () - start;
  /* How long it takes is the audio benchmark's (meson test --benchmark audio). */
  g_test_message ("quick exit while reading aloud: %.1f ms", took / 1000.0);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "cover");
  g_assert_false (fr_kiosk_listen_is_playing (listen));
  g_assert_null (fr_kiosk_audio_get_pipeline (audio));
  /* The pipeline itself reaches NULL (on GStreamer's thread pool). */
  g_assert_true (kiosk_wait_until (pipeline_is_null, pipeline, 2000));
  kiosk_fixture_free (fixture);
}

static void
test_navigation_stops (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  FrKioskListen *listen = fr_kiosk_window_get_listen (fixture->window);

  open_topic (fixture, "en", "work");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.listen", NULL);
  g_assert_true (fr_kiosk_listen_is_playing (listen));
  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  g_assert_false (fr_kiosk_listen_is_playing (listen));

  /* The home screen reads the topics' titles; a topic opened stops it. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.listen", NULL);
  g_assert_true (fr_kiosk_listen_is_playing (listen));
  kiosk_activate (fixture, NULL, "kiosk.topic", "health");
  g_assert_false (fr_kiosk_listen_is_playing (listen));

  /* A question of the form: Next stops it. */
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.listen", NULL);
  g_assert_true (fr_kiosk_listen_is_playing (listen));
  g_assert_true (kiosk_wizard_answer_step (fixture, NULL));
  g_assert_false (fr_kiosk_listen_is_playing (listen));

  /* The idle reset: left alone while a topic is read, the session ends and the reading
   * with it. */
  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  kiosk_activate (fixture, NULL, "kiosk.topic", "rights");
  fr_kiosk_window_set_idle_timeout_ms (fixture->window, 2000);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.listen", NULL);
  g_assert_true (fr_kiosk_listen_is_playing (listen));
  g_assert_true (kiosk_wait_until (on_cover, fixture, 10000));
  g_assert_false (fr_kiosk_listen_is_playing (listen));
  g_assert_null (fr_kiosk_audio_get_pipeline (fr_kiosk_listen_get_audio (listen)));
  kiosk_fixture_free (fixture);
}

static void
test_no_voice (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  GtkWidget *button = fr_kiosk_window_get_listen_button (fixture->window);

  kiosk_activate (fixture, NULL, "kiosk.language", "zh_CN");
  g_assert_false (gtk_widget_get_visible (button));
  kiosk_activate (fixture, NULL, "kiosk.change-language", NULL);
  kiosk_activate (fixture, NULL, "kiosk.language", "th");
  g_assert_true (gtk_widget_get_visible (button));
  kiosk_fixture_free (fixture);
}

static void
test_welcome_listen (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  FrKioskListen *listen = fr_kiosk_window_get_listen (fixture->window);
  GtkWidget *button = fr_kiosk_window_get_listen_button (fixture->window);

  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "welcome");
  g_assert_true (gtk_widget_get_visible (button));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.listen", NULL);
  g_assert_true (gtk_widget_has_css_class (button, "fr-listening"));
  /* A touch speaks the language's name and greeting; the next touch on it chooses it. */
  kiosk_activate (fixture, NULL, "kiosk.language", "ar");
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "welcome");
  g_assert_true (fr_kiosk_listen_is_playing (listen));
  kiosk_activate (fixture, NULL, "kiosk.language", "sv");
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "welcome");
  kiosk_activate (fixture, NULL, "kiosk.language", "sv");
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  /* Chosen by ear: the session reads every screen (test_read_all_by_ear). */
  g_assert_true (fr_kiosk_listen_get_read_all (listen));
  g_assert_false (gtk_widget_has_css_class (button, "fr-listening"));
  /* Mandarin has no voice: a touch chooses it even in listen mode. */
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.listen", NULL);
  kiosk_activate (fixture, NULL, "kiosk.language", "zh_CN");
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  /* Without listen mode one touch chooses, as before. */
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  g_assert_false (gtk_widget_has_css_class (button, "fr-listening"));
  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  kiosk_fixture_free (fixture);
}

static gboolean
playing (gpointer data)
{
  return fr_kiosk_listen_is_playing (data);
}

/* "Read every screen aloud": each screen plays as it opens; a new screen stops the last
 * one's reading at once (its pipeline goes to NULL) and reads its own; the quick exit
 * stops it and ends the mode with the session. */
static void
test_read_every_screen (void)
{
  const char *const langs[] = { "en", "sv", NULL };
  KioskFixture *fixture = kiosk_fixture_new_for_languages (TRUE, langs);
  FrKioskListen *listen = fr_kiosk_window_get_listen (fixture->window);
  FrKioskAudio *audio = fr_kiosk_listen_get_audio (listen);
  GtkWidget *toggle = fr_kiosk_window_get_read_all_button (fixture->window);
  g_autoptr(GstElement) reading_home = NULL;
  g_autoptr(GstElement) reading_topic = NULL;

  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  g_assert_true (gtk_widget_get_visible (toggle));
  g_assert_false (fr_kiosk_listen_is_playing (listen));   /* off by default */
  kiosk_activate (fixture, NULL, "kiosk.read-all", NULL);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  /* On: the screen on show is read at once. */
  g_assert_true (fr_kiosk_listen_is_playing (listen));
  g_assert_true (kiosk_wait_until (sink_has_sample, audio, 5000));
  reading_home = gst_object_ref (fr_kiosk_audio_get_pipeline (audio));

  /* A topic opens: the home screen's reading stops, the topic's plays. */
  kiosk_activate (fixture, NULL, "kiosk.topic", "rights");
  g_assert_true (kiosk_wait_until (pipeline_is_null, reading_home, 2000));
  g_assert_true (fr_kiosk_listen_is_playing (listen));
  g_assert_true (kiosk_wait_until (sink_has_sample, audio, 5000));
  reading_topic = gst_object_ref (fr_kiosk_audio_get_pipeline (audio));
  g_assert_true (reading_topic != reading_home);

  /* Home: the topic's reading stops; home is read again. */
  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  g_assert_true (kiosk_wait_until (pipeline_is_null, reading_topic, 2000));
  g_assert_true (fr_kiosk_listen_is_playing (listen));

  /* The form: each question as it comes. */
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  g_assert_true (fr_kiosk_listen_is_playing (listen));
  g_assert_true (kiosk_wizard_answer_step (fixture, NULL));
  g_assert_true (kiosk_wait_until (playing, listen, 2000));
  /* The voice question is read with how to record. */
  g_assert_true (kiosk_wizard_go_to_kind (fixture, FR_QUESTION_VOICE, "hello"));
  g_assert_true (fr_kiosk_listen_is_playing (listen));

  /* Quick exit: silence, and the next person starts without the mode. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.quick-exit", NULL);
  g_assert_false (fr_kiosk_listen_is_playing (listen));
  g_assert_false (fr_kiosk_listen_get_read_all (listen));
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  g_assert_false (fr_kiosk_listen_is_playing (listen));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));

  /* Off again: nothing plays as screens open. */
  kiosk_activate (fixture, NULL, "kiosk.read-all", NULL);
  kiosk_activate (fixture, NULL, "kiosk.read-all", NULL);
  g_assert_false (fr_kiosk_listen_is_playing (listen));
  kiosk_activate (fixture, NULL, "kiosk.topic", "rights");
  g_assert_false (fr_kiosk_listen_is_playing (listen));
  kiosk_fixture_free (fixture);
}

/* A language found by ear (the welcome screen's listen mode) reads every screen. */
static void
test_read_all_by_ear (void)
{
  const char *const langs[] = { "en", "sv", NULL };
  KioskFixture *fixture = kiosk_fixture_new_for_languages (TRUE, langs);
  FrKioskListen *listen = fr_kiosk_window_get_listen (fixture->window);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.listen", NULL);
  kiosk_activate (fixture, NULL, "kiosk.language", "sv");
  kiosk_activate (fixture, NULL, "kiosk.language", "sv");
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  g_assert_true (fr_kiosk_listen_get_read_all (listen));
  g_assert_true (fr_kiosk_listen_is_playing (listen));
  kiosk_fixture_free (fixture);
}

/* The same kiosk with [kiosk] read-aloud=headphones. */
static KioskFixture *
fixture_headphones_first (void)
{
  const char *const langs[] = { "en", "sv", NULL };

  return kiosk_fixture_new_with_setting (TRUE, langs, "kiosk", "read-aloud", "headphones");
}

/* Headphones first: without headphones Listen plays nothing, the screen says how to ask
 * for them and says it quietly, once a session; with them it plays; taken out, it stops. */
static void
test_headphones_first (void)
{
  KioskFixture *fixture;
  FrKioskListen *listen;
  FrKioskAudio *notice_audio;
  GtkWidget *notice;
  double volume = 0;

  fr_kiosk_headphones_set_test_state (FR_KIOSK_HEADPHONES_ABSENT);
  fixture = fixture_headphones_first ();
  listen = fr_kiosk_window_get_listen (fixture->window);
  notice_audio = fr_kiosk_listen_get_notice_audio (listen);
  notice = fr_kiosk_window_get_notice (fixture->window);
  open_topic (fixture, "en", "rights");
  g_assert_false (gtk_widget_get_visible (notice));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.listen", NULL);
  g_assert_false (fr_kiosk_listen_is_playing (listen));
  g_assert_true (gtk_widget_get_visible (notice));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (notice)), ==,
                   "To listen, please use headphones. Plug them in, or ask a member of staff for a pair.");
  /* Said once, quietly. */
  g_assert_true (fr_kiosk_audio_is_playing (notice_audio));
  g_object_get (fr_kiosk_audio_get_pipeline (notice_audio), "volume", &volume, NULL);
  g_assert_cmpfloat (volume, <, 0.5);
  g_assert_true (kiosk_wait_until (sink_has_sample, notice_audio, 5000));
  fr_kiosk_audio_stop (notice_audio);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.listen", NULL);
  g_assert_true (gtk_widget_get_visible (notice));
  g_assert_false (fr_kiosk_audio_is_playing (notice_audio));
  g_assert_false (fr_kiosk_listen_is_playing (listen));
  /* Read every screen: nothing either. */
  kiosk_activate (fixture, NULL, "kiosk.read-all", NULL);
  kiosk_activate (fixture, NULL, "kiosk.topic", "health");
  g_assert_false (fr_kiosk_listen_is_playing (listen));
  g_assert_true (gtk_widget_get_visible (notice));

  /* Plugged in: the screen is read (into them); the notice goes with the next screen. */
  fr_kiosk_headphones_set_test_state (FR_KIOSK_HEADPHONES_PRESENT);
  kiosk_activate (fixture, NULL, "kiosk.topic", "rights");
  g_assert_false (gtk_widget_get_visible (notice));
  g_assert_true (fr_kiosk_listen_is_playing (listen));
  /* Taken out while reading: it stops at once. */
  fr_kiosk_headphones_set_test_state (FR_KIOSK_HEADPHONES_ABSENT);
  g_assert_false (fr_kiosk_listen_is_playing (listen));

  /* A new session is told again. */
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  g_assert_false (gtk_widget_get_visible (notice));
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  open_topic (fixture, "sv", "rights");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.listen", NULL);
  g_assert_true (fr_kiosk_audio_is_playing (notice_audio));
  kiosk_fixture_free (fixture);
  fr_kiosk_headphones_set_test_state (FR_KIOSK_HEADPHONES_DETECT);
}

/* How a device is told to be headphones, from its properties as PulseAudio and PipeWire
 * give them. */
static void
test_headphones_properties (void)
{
  const struct { const char *props; gboolean headphones; } cases[] = {
    { "p, device.form_factor=(string)headphone", TRUE },
    { "p, device.form_factor=(string)headset", TRUE },
    { "p, device.form-factor=(string)headset", TRUE },
    { "p, device.form_factor=(string)hands-free", TRUE },
    { "p, device.icon_name=(string)audio-headphones-usb", TRUE },
    { "p, device.form_factor=(string)speaker", FALSE },
    { "p, device.form_factor=(string)internal, device.icon_name=(string)audio-card-pci", FALSE },
    { "p, device.api=(string)alsa", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GstStructure *s = gst_structure_from_string (cases[i].props, NULL);

      g_assert_nonnull (s);
      g_assert_cmpint (fr_kiosk_headphones_is_headphones (s), ==, cases[i].headphones);
      gst_structure_free (s);
    }
  g_assert_false (fr_kiosk_headphones_is_headphones (NULL));
}

/* ---- what each screen says ---- */

/* Listen on the screen on show; returns what was queued ("LANG/KEY PAUSE" each) and stops. */
static GPtrArray *
listen_queue (KioskFixture *fixture)
{
  FrKioskListen *listen = fr_kiosk_window_get_listen (fixture->window);
  GPtrArray *queue;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.listen", NULL);
  g_assert_true (fr_kiosk_listen_is_playing (listen));
  queue = fr_kiosk_audio_dup_queue (fr_kiosk_listen_get_audio (listen));
  for (guint i = 0; i < queue->len; i++)
    g_test_message ("  %s", (char *) g_ptr_array_index (queue, i));
  fr_kiosk_listen_stop (listen);
  return queue;
}

static void
assert_item (GPtrArray  *queue,
             guint       index,
             const char *want)
{
  g_assert_cmpuint (index, <, queue->len);
  g_assert_cmpstr (g_ptr_array_index (queue, index), ==, want);
}

/* @code's letters and digits, each "en/char.X PAUSE", the last with @pause_end. */
static guint
assert_chars (GPtrArray  *queue,
              guint       at,
              const char *code,
              guint       pause,
              guint       pause_end)
{
  for (const char *c = code; *c; c++)
    {
      g_autofree char *want = NULL;

      if (strchr (FR_CLIPS_RECEIPT_CHARS, *c) == NULL)
        continue;
      want = g_strdup_printf ("en/char.%c %u", *c, c[1] == '\0' ? pause_end : pause);
      assert_item (queue, at++, want);
    }
  return at;
}

/* Every kind of screen says what it shows, in order: a topic its title and paragraphs and
 * then the site's phone numbers digit by digit (the help-now and talk pages too); a question its label, help and options;
 * consent its text and both answers; the review its title, note, each answer's question
 * and chosen options, and for a typed answer only that it is on the screen (never the
 * typed text); the receipt its title, the code letter by letter, slowly, twice, and the
 * hint. */
static void
test_what_is_said (void)
{
  const char *const langs[] = { "en", "sv", NULL };
  KioskFixture *fixture = kiosk_fixture_new_for_languages (TRUE, langs);
  const FrTopic *topic = fr_content_get_topic (fr_kiosk_context_get_content (fixture->context), "en", "emergency");
  g_autoptr(GPtrArray) queue = NULL;
  const FrQuestion *q;
  const char *code;
  guint at = 0, n_paragraphs = g_strv_length ((char **) topic->paragraphs), written = 0, labels = 0;

  /* The help-now page: the emergency topic and its contacts (112, 114 14). */
  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_activate (fixture, NULL, "kiosk.contacts", "help-now");
  queue = listen_queue (fixture);
  assert_item (queue, at++, "en/topic.emergency.title 400");
  for (guint i = 0; i < n_paragraphs; i++)
    {
      g_autofree char *want = g_strdup_printf ("en/topic.emergency.p%u 400", i + 1);

      assert_item (queue, at++, want);
    }
  assert_item (queue, at++, "en/ui.help-now-staff 400");
  /* No clip of the contacts' names (a site records them): their numbers. */
  at = assert_chars (queue, at, "112", 250, 800);
  at = assert_chars (queue, at, "11414", 250, 800);
  g_assert_cmpuint (at, ==, queue->len);
  g_clear_pointer (&queue, g_ptr_array_unref);

  /* The talk page: its title and note, then the talk tile's numbers. */
  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  kiosk_activate (fixture, NULL, "kiosk.contacts", "talk");
  queue = listen_queue (fixture);
  at = 0;
  assert_item (queue, at++, "en/ui.talk-title 400");
  assert_item (queue, at++, "en/ui.talk-intro 400");
  at = assert_chars (queue, at, "1177", 250, 800);
  at = assert_chars (queue, at, "46000000000", 250, 800);   /* "+46 000-00 00 00" */
  g_assert_cmpuint (at, ==, queue->len);
  g_clear_pointer (&queue, g_ptr_array_unref);

  /* The first question: label, help, every option. */
  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  q = fr_kiosk_question_get_question (FR_KIOSK_QUESTION (fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture))));
  g_assert_cmpuint (q->n_options, >, 1);
  queue = listen_queue (fixture);
  at = 0;
  {
    g_autofree char *label = g_strdup_printf ("en/question.%s.label 400", q->id);

    assert_item (queue, at++, label);
  }
  if (q->help != NULL && *q->help != '\0')
    {
      g_autofree char *help = g_strdup_printf ("en/question.%s.help 400", q->id);

      assert_item (queue, at++, help);
    }
  for (guint i = 0; i < q->n_options; i++)
    {
      g_autofree char *option = g_strdup_printf ("en/question.%s.option.%s 400", q->id, q->options[i].id);

      assert_item (queue, at++, option);
    }
  g_assert_cmpuint (at, ==, queue->len);
  g_clear_pointer (&queue, g_ptr_array_unref);

  /* Consent: its title, paragraphs, agree and decline. */
  while (kiosk_wizard_answer_step (fixture, "CANARY-typed-words"))
    ;
  g_assert_cmpstr (fr_kiosk_wizard_get_step_name (kiosk_wizard (fixture)), ==, "consent");
  queue = listen_queue (fixture);
  assert_item (queue, 0, "en/consent.title 400");
  /* (Its first paragraph names the site: "{site}" splits it, consent.p1 and consent.p1.1.) */
  g_assert_true (g_str_has_prefix (g_ptr_array_index (queue, 1), "en/consent.p1 "));
  assert_item (queue, queue->len - 2, "en/consent.agree 400");
  assert_item (queue, queue->len - 1, "en/consent.decline 400");
  g_clear_pointer (&queue, g_ptr_array_unref);

  /* The review: what was answered, the typed text never. */
  kiosk_activate (fixture, NULL, "wizard.agree", NULL);
  g_assert_cmpstr (fr_kiosk_wizard_get_step_name (kiosk_wizard (fixture)), ==, "review");
  queue = listen_queue (fixture);
  assert_item (queue, 0, "en/ui.review-title 400");
  assert_item (queue, 1, "en/ui.review-intro 400");
  for (guint i = 2; i < queue->len; i++)
    {
      const char *item = g_ptr_array_index (queue, i);

      g_assert_null (strstr (item, "CANARY"));
      g_assert_true (g_str_has_prefix (item, "en/question.") || g_str_equal (item, "en/ui.review-written 400"));
      if (g_str_has_suffix (item, ".label 250"))
        labels++;
      if (g_str_equal (item, "en/ui.review-written 400"))
        {
          /* Said right after the question it answers. */
          g_assert_true (g_str_has_suffix (g_ptr_array_index (queue, i - 1), ".label 250"));
          written++;
        }
    }
  g_assert_cmpuint (labels, >, 3);
  g_assert_cmpuint (written, >=, 1);   /* the long text, at least */
  g_clear_pointer (&queue, g_ptr_array_unref);

  /* The receipt: the code, letter by letter, slowly, twice. */
  kiosk_activate (fixture, fr_kiosk_window_get_screen (fixture->window), "wizard.send", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "receipt");
  code = fr_kiosk_receipt_get_code (FR_KIOSK_RECEIPT (fr_kiosk_window_get_screen (fixture->window)));
  queue = listen_queue (fixture);
  at = 0;
  assert_item (queue, at++, "en/ui.receipt-title 400");
  assert_item (queue, at++, "en/ui.receipt-intro 400");
  at = assert_chars (queue, at, code, 700, 1500);
  at = assert_chars (queue, at, code, 700, 1500);
  assert_item (queue, at++, "en/ui.receipt-hint 0");
  g_assert_cmpuint (at, ==, queue->len);
  g_assert_cmpuint (at, ==, 3 + 2 * (strlen (code) - 1));   /* the code without its '-' */
  kiosk_fixture_free (fixture);
}

/* A site that recorded a contact's name: it is said before the number. */
static void
test_contact_name_recorded (void)
{
  const char *const langs[] = { "en", "sv", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  g_autofree char *site_dir = g_dir_make_tmp ("fr-site-content-XXXXXX", NULL);
  g_autofree char *clips_dir = g_build_filename (site_dir, "en", "clips", NULL);
  g_autofree char *shipped = g_build_filename (g_getenv ("FRISTAD_CLIPS_DIR"), "en", "char.K.opus", NULL);
  g_autofree char *manifest = NULL, *hash = NULL, *data = NULL, *copy = NULL, *ini = NULL;
  KioskFixture *fixture;
  gsize len;
  guint at;

  /* The site's recording of "Emergency: police, ambulance, fire" (the demo's name). */
  g_assert_cmpint (g_mkdir_with_parents (clips_dir, 0700), ==, 0);
  g_assert_true (g_file_get_contents (shipped, &data, &len, NULL));
  copy = g_build_filename (clips_dir, "emergency-name.opus", NULL);
  g_assert_true (g_file_set_contents (copy, data, len, NULL));
  hash = fr_clips_text_hash ("Emergency: police, ambulance, fire");
  manifest = g_strdup_printf ("[clip contact.emergency.name]\nfile=emergency-name.opus\nsha256=%s\n", hash);
  ini = g_build_filename (clips_dir, FR_CLIPS_MANIFEST, NULL);
  g_assert_true (g_file_set_contents (ini, manifest, -1, &error));
  fixture = kiosk_fixture_new_with_setting (TRUE, langs, "site", "content-dir", site_dir);

  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_activate (fixture, NULL, "kiosk.contacts", "help-now");
  queue = listen_queue (fixture);
  for (at = 0; at < queue->len && !g_str_has_prefix (g_ptr_array_index (queue, at), "clips/"); at++)
    ;
  /* The recording, then 112; the police (not recorded): its number alone. */
  assert_item (queue, at++, "clips/emergency-name 250");
  at = assert_chars (queue, at, "112", 250, 800);
  at = assert_chars (queue, at, "11414", 250, 800);
  g_assert_cmpuint (at, ==, queue->len);
  kiosk_fixture_free (fixture);
  fr_test_remove_tree (site_dir);
}

int
main (int    argc,
      char **argv)
{
  kiosk_test_init (&argc, &argv);
  /* Tests only: a sink that plays in real time into nothing. */
  fr_kiosk_audio_set_test_sink ("fakesink name=testsink sync=true");
  g_test_add_func ("/audio/topic-highlight", test_topic_highlight);
  g_test_add_func ("/audio/quick-exit-stops", test_quick_exit_stops);
  g_test_add_func ("/audio/navigation-stops", test_navigation_stops);
  g_test_add_func ("/audio/no-voice", test_no_voice);
  g_test_add_func ("/audio/welcome-listen", test_welcome_listen);
  g_test_add_func ("/audio/read-every-screen", test_read_every_screen);
  g_test_add_func ("/audio/read-all-by-ear", test_read_all_by_ear);
  g_test_add_func ("/audio/headphones-first", test_headphones_first);
  g_test_add_func ("/audio/headphones-properties", test_headphones_properties);
  g_test_add_func ("/audio/what-is-said", test_what_is_said);
  g_test_add_func ("/audio/contact-name-recorded", test_contact_name_recorded);
  return g_test_run ();
}
