/* fuzz-roster.c — the kiosk roster file and the export-kiosks list
 *
 * Every input goes through fr_roster_parse_list() (the unauthenticated import format) and
 * through _fr_roster_decode() with a fixed MAC key; errors must be one line. Whatever the
 * list parser accepts must format back to the same bytes, and must also decode once a
 * correct MAC line is appended.
 */
#define G_LOG_DOMAIN "fristad-fuzz"

#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "fr-error.h"
#include "fr-roster-private.h"
#include "fr-roster.h"
#include "fr-secret.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FrSecret) mac_key = NULL;
  g_autoptr(FrRoster) list = NULL;
  g_autoptr(FrRoster) decoded = NULL;
  g_autoptr(GError) error = NULL;

  if (!fr_init ())
    return 0;
  mac_key = fr_secret_new (32);
  memset (mac_key->data, 0x5a, mac_key->len);

  decoded = _fr_roster_decode (data, size, mac_key, "fuzz", &error);
  if (decoded == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == FR_ERROR);
      g_assert_null (strchr (error->message, '\n'));
      g_clear_error (&error);
    }
  g_clear_pointer (&decoded, fr_roster_free);

  list = fr_roster_parse_list ((const char *) data, size, "fuzz", &error);
  if (list == NULL)
    {
      g_assert_nonnull (error);
      g_assert_null (strchr (error->message, '\n'));
      return 0;
    }
  {
    g_autofree char *again = fr_roster_format_list (list);
    g_autofree char *file = NULL;
    gsize file_len = 0;

    g_assert_cmpuint (strlen (again), ==, size);
    g_assert_true (memcmp (again, data, size) == 0);
    file = _fr_roster_encode (list, mac_key, &file_len);
    decoded = _fr_roster_decode ((const guint8 *) file, file_len, mac_key, "fuzz", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (fr_roster_get_n_kiosks (decoded), ==, fr_roster_get_n_kiosks (list));
  }
  return 0;
}
