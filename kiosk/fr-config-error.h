/* fr-config-error.h — the one-line error of a broken configuration file
 *
 * Loaders of the kiosk's configuration (kiosk.conf, keyboard layouts) report a broken file
 * as FR_ERROR_CONFIG with the message "PATH: what is wrong".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

G_GNUC_PRINTF (3, 4)
gboolean fr_config_error (GError    **error,
                          const char *path,
                          const char *format,
                          ...);

G_END_DECLS
