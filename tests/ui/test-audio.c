/* test-audio.c — read-aloud (issue 13): Listen on a topic plays its clips (through a
 * fakesink) and highlights the paragraph being read; quick exit, Home and a new screen
 * stop it at once; a language without a voice has no Listen; on the welcome screen
 * Listen makes a touch on a language speak it before choosing it. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include "fr-kiosk-audio.h"
#include "fr-kiosk-listen.h"
#include "fr-kiosk-topic.h"
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
  g_test_message ("quick exit while reading aloud: %.1f ms", took / 1000.0);
  g_assert_cmpint (took, <, 100 * 1000);
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
  g_assert_false (fr_kiosk_listen_is_playing (listen));
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
  return g_test_run ();
}
