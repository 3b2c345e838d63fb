/* fr-config-error.c — the one-line error of a broken configuration file */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include "fr-config-error.h"
#include "fr-error.h"

/**
 * fr_config_error:
 * @error: return location for a #GError, or %NULL
 * @path: the file that is broken
 * @format: what is wrong with it, printf-style
 *
 * Sets @error to FR_ERROR_CONFIG "@path: message".
 *
 * Returns: %FALSE, so that a loader can `return fr_config_error (…);`
 */
gboolean
fr_config_error (GError    **error,
                 const char *path,
                 const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s: %s", path, message);
  return FALSE;
}
