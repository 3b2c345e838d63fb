/* fr-test-tone.c — a known tone as a voice message, made in memory by GStreamer */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
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

void
fr_test_tone_analyse (const guint8 *data,
                      gsize         len,
                      double       *seconds,
                      double       *hz)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (
      "appsrc name=src ! decodebin ! audioconvert ! audioresample"
      " ! audio/x-raw,format=S16LE,channels=1,rate=48000 ! appsink name=sink sync=false", &error);
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) sink = NULL;
  FrTestToneCount count = { 0 };
  GstSample *sample;

  g_assert_no_error (error);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  gst_app_src_push_buffer (GST_APP_SRC (src), gst_buffer_new_memdup (data, len));
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL)
    {
      GstMapInfo map;

      g_assert_true (gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ));
      fr_test_tone_count (&count, (const gint16 *) map.data, map.size / 2, 1);
      gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
      gst_sample_unref (sample);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  *seconds = fr_test_tone_seconds (&count);
  *hz = fr_test_tone_hz (&count);
}
