/* fr-test-tone.c — a known tone as a voice message, made in memory by GStreamer */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>

#include "fr-test-tone.h"

GBytes *
fr_test_tone_ogg (double hz,
                  double seconds)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GByteArray) ogg = g_byte_array_new ();
  GstElement *pipeline, *sink;
  GstSample *sample;
  char freq[G_ASCII_DTOSTR_BUF_SIZE];

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  description = g_strdup_printf ("audiotestsrc num-buffers=%u samplesperbuffer=960 freq=%s wave=sine"
                                 " ! audio/x-raw,rate=48000,channels=1 ! opusenc ! oggmux"
                                 " ! appsink name=sink sync=false",
                                 (guint) (seconds * 50 + 0.5), g_ascii_dtostr (freq, sizeof freq, hz));
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL)
    {
      GstMapInfo map;

      g_assert_true (gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ));
      g_byte_array_append (ogg, map.data, map.size);
      gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
      gst_sample_unref (sample);
    }
  g_assert_true (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return g_byte_array_free_to_bytes (g_steal_pointer (&ogg));
}

void
fr_test_tone_count (FrTestToneCount *count,
                    const gint16    *samples,
                    gsize            n_frames,
                    guint            channels)
{
  for (gsize i = 0; i < n_frames; i++)
    {
      gint16 s = samples[i * channels];

      /* A sign change between samples clearly off zero: the tone, not dither near 0. */
      if ((s > 1000 && count->last < -1000) || (s < -1000 && count->last > 1000))
        count->crossings++;
      if (s > 1000 || s < -1000)
        count->last = s;
    }
  count->frames += n_frames;
}

double
fr_test_tone_seconds (const FrTestToneCount *count)
{
  return count->frames / 48000.0;
}

double
fr_test_tone_hz (const FrTestToneCount *count)
{
  return count->frames > 0 ? count->crossings / 2.0 / fr_test_tone_seconds (count) : 0;
}
