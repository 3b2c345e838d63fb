/* fuzz-ogg.c — the Ogg Opus voice-message probe, and the stricter packet reader that
 * playback uses: whatever the reader accepts, the probe accepts with the same duration,
 * and its packets lie inside what it copied. */
#define G_LOG_DOMAIN "fristad-fuzz"

#include "config.h"

#include <stdint.h>

#include "fr-intake.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GError *error = NULL;
  guint64 duration = 0;
  gboolean probed;
  FrOggOpus *opus;

  probed = fr_ogg_opus_probe (data, size, &duration, &error);
  if (probed)
    g_assert_no_error (error);
  else
    g_assert_nonnull (error);
  g_clear_error (&error);

  if (!fr_init ())
    return 0;
  opus = fr_ogg_opus_read (data, size, &error);
  if (opus != NULL)
    {
      guint64 samples = 0;

      g_assert_no_error (error);
      g_assert_true (probed);
      g_assert_cmpuint (opus->duration_ms, ==, duration);
      for (guint i = 0; i < opus->n_packets; i++)
        {
          g_assert_cmpuint ((guint64) opus->packets[i].offset + opus->packets[i].len, <=, opus->data->len);
          g_assert_cmpuint (opus->packets[i].start, ==, samples);
          samples += opus->packets[i].samples;
        }
      g_assert_cmpuint (samples, ==, opus->total_samples);
      fr_ogg_opus_free (opus);
    }
  else
    g_assert_nonnull (error);
  g_clear_error (&error);
  return 0;
}
