/* fuzz-ogg.c — the Ogg Opus voice-message probe */
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

  if (fr_ogg_opus_probe (data, size, &duration, &error))
    g_assert_no_error (error);
  else
    g_assert_nonnull (error);
  g_clear_error (&error);
  return 0;
}
