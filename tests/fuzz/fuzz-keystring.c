/* fuzz-keystring.c — key strings, key ids and the key file headers
 *
 * The input, NUL-terminated, goes through fr_key_string_parse() for every kind and through
 * fr_kid_from_hex(); whatever parses must format back to the same text. Inputs of exactly
 * a key file's size are also checked as a staff key file header (no Argon2 is run) and
 * decoded as a kiosk key file.
 */
#define G_LOG_DOMAIN "fristad-fuzz"

#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "fr-error.h"
#include "fr-keys-private.h"
#include "fr-keys.h"
#include "fr-secret.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_key_string (const char *str,
                  gsize       len,
                  FrKeyKind   kind)
{
  g_autoptr(GError) error = NULL;
  guint8 pk[FR_KEY_SIZE];
  g_autofree char *again = NULL;
  gsize again_len;

  if (!fr_key_string_parse (str, kind, pk, &error))
    {
      g_assert_nonnull (error);
      g_assert_true (g_error_matches (error, FR_ERROR, FR_ERROR_BAD_KEY));
      g_assert_null (strchr (error->message, '\n'));
      return;
    }
  g_assert_no_error (error);

  /* Strict parsing: the only text that parses is what we format, plus one line ending. */
  again = fr_key_string_format (kind, pk);
  again_len = strlen (again);
  g_assert_true (len == again_len
                 || (len == again_len + 1 && str[again_len] == '\n')
                 || (len == again_len + 2 && str[again_len] == '\r' && str[again_len + 1] == '\n'));
  g_assert_true (memcmp (str, again, again_len) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *str = NULL;
  gsize len;
  guint8 kid[FR_KID_SIZE];

  if (!fr_init ())
    return 0;

  str = g_malloc (size + 1);
  if (size > 0)
    memcpy (str, data, size);
  str[size] = '\0';
  len = strlen (str);

  check_key_string (str, len, FR_KEY_KIND_RECIPIENT);
  check_key_string (str, len, FR_KEY_KIND_KIOSK);
  check_key_string (str, len, FR_KEY_KIND_READER);

  if (fr_kid_from_hex (str, kid))
    {
      char hex[FR_KID_HEX_LEN + 1];

      fr_kid_to_hex (kid, hex);
      g_assert_cmpstr (hex, ==, str);
    }

  if (size == FR_STAFF_KEY_FILE_SIZE)
    {
      g_autoptr(GError) error = NULL;

      if (!_fr_staff_key_file_check_header (data, size, "fuzz", &error))
        g_assert_true (g_error_matches (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE));
    }

  if (size == FR_KIOSK_KEY_FILE_SIZE)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FrKioskKey) key = _fr_kiosk_key_file_decode (data, size, "fuzz", &error);

      if (key == NULL)
        g_assert_true (g_error_matches (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE));
      else
        g_assert_true (memcmp (key->sk, data + FR_KEY_FILE_MAGIC_SIZE, FR_SIGN_SECRET_SIZE) == 0);
    }

  return 0;
}
