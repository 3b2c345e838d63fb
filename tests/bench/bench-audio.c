/* bench-audio.c — the kiosk's audio (issue 13), printed, not asserted:
 *
 *   touch-to-sound   Listen on a topic → the first decoded buffer at the sink, cold (the
 *                    first touch loads GStreamer) and warm (median of the next ones)
 *   recording CPU    user + system time of this process per second of a live 20 s
 *                    recording (both versions: as recorded and disguised), % of one core
 *   60 s message     the Ogg Opus size of 60 s of a tone, of pink noise and, per second,
 *                    of the longest shipped English speech clip
 *   memory           VmRSS of the kiosk's window before GStreamer, after read-aloud, and
 *                    after a recording and its playback
 *
 * Runs under Xvfb (run-ui-test.sh) with a fakesink and audiotestsrc in place of the sound
 * card: what it measures is GStreamer's and the kiosk's own work, not a device's latency.
 */
#define G_LOG_DOMAIN "fristad-bench"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "fr-clips.h"
#include "fr-kiosk-audio.h"
#include "fr-kiosk-context.h"
#include "fr-kiosk-demo.h"
#include "fr-kiosk-i18n.h"
#include "fr-kiosk-listen.h"
#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-playback.h"
#include "fr-kiosk-recorder.h"
#include "fr-kiosk-window.h"
#include "fr-test-util.h"

static double
rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtod (line + 6, NULL) / 1024.0;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static gboolean
sink_has_sample (FrKioskAudio *audio)
{
  GstElement *pipeline = fr_kiosk_audio_get_pipeline (audio);
  g_autoptr(GstElement) sink = pipeline ? gst_bin_get_by_name (GST_BIN (pipeline), "testsink") : NULL;
  g_autoptr(GstSample) sample = NULL;

  if (sink == NULL)
    return FALSE;
  g_object_get (sink, "last-sample", &sample, NULL);
  return sample != NULL;
}

/* Touch (the Listen action) to the first buffer at the sink, in ms. */
static double
touch_to_sound (FrKioskWindow *window,
                FrKioskAudio  *audio)
{
  gint64 start = g_get_monotonic_time ();

  gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.listen", NULL);
  while (!sink_has_sample (audio) && g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, FALSE);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
on_stopped (FrKioskRecorder *recorder,
            gboolean        *stopped)
{
  *stopped = TRUE;
}

/* Records @source until it ends (or @max_seconds); the plain version's size and length. */
static gsize
record (const char *source,
        guint       max_seconds,
        guint64    *ms,
        gsize      *disguised_size)
{
  g_autoptr(FrKioskRecorder) recorder = fr_kiosk_recorder_new (max_seconds);
  g_autoptr(FrSecret) plain = NULL;
  g_autoptr(FrSecret) disguised = NULL;
  gboolean stopped = FALSE;

  fr_kiosk_recorder_set_test_source (source);
  g_signal_connect (recorder, "stopped", G_CALLBACK (on_stopped), &stopped);
  if (!fr_kiosk_recorder_start (recorder, NULL))
    return 0;
  while (!stopped)
    g_main_context_iteration (NULL, TRUE);
  disguised = fr_kiosk_recorder_steal (recorder, FR_KIOSK_VOICE_DISGUISED, NULL);
  plain = fr_kiosk_recorder_steal (recorder, FR_KIOSK_VOICE_PLAIN, ms);
  if (disguised_size != NULL)
    *disguised_size = disguised != NULL ? disguised->len : 0;
  return plain != NULL ? plain->len : 0;
}

int
main (int    argc,
      char **argv)
{
  const char *const languages[] = { "en", "sv", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(FrKioskDemo) demo = NULL;
  g_autoptr(FrKioskContext) context = NULL;
  g_autofree char *clip_dir = NULL;
  g_autofree char *longest = NULL;
  g_autoptr(GDir) dir = NULL;
  FrKioskWindow *window;
  FrKioskAudio *audio;
  double cold, warm[7], rss_window, rss_read, rss_voice, cpu0, cpu1;
  gint64 wall0, wall1;
  guint64 ms = 0, speech_ms = 0;
  gsize size, disguised_size = 0, longest_size = 0, speech_size;
  const char *name;

  fr_kiosk_lockdown_scrub_environment ();
  fr_kiosk_i18n_init ();
  if (!fr_init ())
    return 1;
  gtk_init ();
  adw_init ();
  fr_kiosk_ui_init ();
  fr_kiosk_audio_set_test_sink ("fakesink name=testsink sync=true");

  demo = fr_kiosk_demo_new (languages, FR_KIOSK_DEMO_FLAGS_NONE, &error);
  if (demo == NULL || (context = fr_kiosk_context_new (demo->config_path, NULL, &error)) == NULL)
    {
      g_printerr ("bench-audio: %s\n", error->message);
      return 1;
    }
  fr_kiosk_context_set_delivery_enabled (context, FALSE);
  window = fr_kiosk_window_new (context, TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  fr_test_wait_ms (300);
  gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.language", "s", "en");
  gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.topic", "s", "rights");
  fr_test_wait_ms (300);
  rss_window = rss_mib ();
  audio = fr_kiosk_listen_get_audio (fr_kiosk_window_get_listen (window));

  /* Touch to sound: cold (GStreamer starts on this touch), then warm. */
  cold = touch_to_sound (window, audio);
  fr_test_wait_ms (1500);
  rss_read = rss_mib ();
  for (guint i = 0; i < G_N_ELEMENTS (warm); i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.listen", NULL);   /* stop */
      fr_test_wait_ms (200);
      warm[i] = touch_to_sound (window, audio);
      fr_test_wait_ms (300);
    }
  gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.listen", NULL);
  qsort (warm, G_N_ELEMENTS (warm), sizeof warm[0], compare_double);
  g_print ("touch-to-sound (Listen → first buffer at the sink): cold %.1f ms (GStreamer loaded on this touch), "
           "warm median %.1f ms (min %.1f, max %.1f, %u touches)\n",
           cold, warm[G_N_ELEMENTS (warm) / 2], warm[0], warm[G_N_ELEMENTS (warm) - 1], (guint) G_N_ELEMENTS (warm));

  /* The quick exit while a topic is read aloud (target: under 100 ms, as without audio). */
  {
    double exits[7];

    for (guint i = 0; i < G_N_ELEMENTS (exits); i++)
      {
        gint64 start;

        touch_to_sound (window, audio);
        start = g_get_monotonic_time ();
        gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.quick-exit", NULL);
        exits[i] = (g_get_monotonic_time () - start) / 1000.0;
        fr_test_wait_ms (200);
        gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.start", NULL);
        gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.language", "s", "en");
        gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.topic", "s", "rights");
        fr_test_wait_ms (300);
      }
    qsort (exits, G_N_ELEMENTS (exits), sizeof exits[0], compare_double);
    g_print ("quick exit while reading aloud: median %.1f ms, max %.1f ms (%u exits; target under 100 ms)\n",
             exits[G_N_ELEMENTS (exits) / 2], exits[G_N_ELEMENTS (exits) - 1], (guint) G_N_ELEMENTS (exits));
  }

  /* CPU while recording, in real time: both versions, as the kiosk records. */
  cpu0 = cpu_seconds ();
  wall0 = g_get_monotonic_time ();
  size = record ("audiotestsrc is-live=true samplesperbuffer=480 wave=pink-noise volume=0.3"
                 " ! audio/x-raw,rate=48000,channels=1", 20, &ms, &disguised_size);
  wall1 = g_get_monotonic_time ();
  cpu1 = cpu_seconds ();
  g_print ("recording CPU: %.1f %% of one core (%.2f s CPU over %.1f s, live 20 s of pink noise, "
           "as recorded + disguised; pitch element %s)\n",
           100.0 * (cpu1 - cpu0) / ((wall1 - wall0) / 1e6), cpu1 - cpu0, (wall1 - wall0) / 1e6,
           fr_kiosk_recorder_can_disguise () ? "present" : "absent");
  rss_voice = rss_mib ();

  /* Sizes of a 60 s message. */
  size = record ("audiotestsrc num-buffers=3000 samplesperbuffer=960 freq=440 wave=sine"
                 " ! audio/x-raw,rate=48000,channels=1", 180, &ms, &disguised_size);
  g_print ("60 s message, 440 Hz tone: %" G_GSIZE_FORMAT " bytes (%.1f KiB; disguised %.1f KiB), %" G_GUINT64_FORMAT " ms\n",
           size, size / 1024.0, disguised_size / 1024.0, ms);
  size = record ("audiotestsrc num-buffers=3000 samplesperbuffer=960 wave=pink-noise volume=0.3"
                 " ! audio/x-raw,rate=48000,channels=1", 180, &ms, &disguised_size);
  g_print ("60 s message, pink noise: %" G_GSIZE_FORMAT " bytes (%.1f KiB; disguised %.1f KiB), "
           "%" G_GUINT64_FORMAT " ms\n", size, size / 1024.0, disguised_size / 1024.0, ms);
  /* Speech: the longest shipped English clip, recorded through the same pipeline. */
  clip_dir = g_build_filename (fr_clips_shipped_dir (), "en", NULL);
  dir = g_dir_open (clip_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (clip_dir, name, NULL);
      GStatBuf st;

      if (g_str_has_suffix (name, ".opus") && g_stat (path, &st) == 0 && (gsize) st.st_size > longest_size)
        {
          longest_size = st.st_size;
          g_free (longest);
          longest = g_steal_pointer (&path);
        }
    }
  if (longest != NULL)
    {
      g_autofree char *source = g_strdup_printf ("filesrc location=\"%s\" ! oggdemux ! opusdec", longest);

      speech_size = record (source, 180, &speech_ms, NULL);
      if (speech_ms > 0)
        g_print ("speech (espeak-ng, %.1f s): %" G_GSIZE_FORMAT " bytes, so a 60 s message of speech ≈ %.1f KiB\n",
                 speech_ms / 1000.0, speech_size, speech_size * 60000.0 / speech_ms / 1024.0);
    }

  g_print ("kiosk memory (VmRSS): %.1f MiB with the window and a topic (no GStreamer), %.1f MiB after read-aloud "
           "(+%.1f), %.1f MiB after a 20 s recording (+%.1f)\n",
           rss_window, rss_read, rss_read - rss_window, rss_voice, rss_voice - rss_window);
  gtk_window_destroy (GTK_WINDOW (window));
  fr_test_wait_ms (50);
  return 0;
}
