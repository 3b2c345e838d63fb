/* fr-keys.c — key ids and key strings, and what the key files share
 *
 * Key strings, key ids and key files: see intake/KEYS.md. The files are
 *   fr-keys.c             key ids, key strings, fingerprints; guarded memory
 *   fr-keys-files.c       reading and creating private files (0600, never replaced)
 *   fr-keys-staff.c       the staff secret key and its passphrase-protected file
 *   fr-keys-kiosk.c       the kiosk signing key and STATE_DIR/kiosk.key
 *   fr-keys-passphrase.c  reading a passphrase from a file or the terminal
 * sharing fr-keys-private.h.
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "fr-error.h"
#include "fr-keys-private.h"
#include "fr-keys.h"

#define KEY_B64_LEN 44   /* base64 of 32 bytes, with one '=' of padding */

G_STATIC_ASSERT (crypto_generichash_BYTES == 32);
G_STATIC_ASSERT (crypto_box_PUBLICKEYBYTES == FR_KEY_SIZE);
G_STATIC_ASSERT (crypto_box_SECRETKEYBYTES == FR_KEY_SIZE);
G_STATIC_ASSERT (crypto_sign_PUBLICKEYBYTES == FR_KEY_SIZE);
G_STATIC_ASSERT (crypto_sign_SECRETKEYBYTES == FR_SIGN_SECRET_SIZE);
G_STATIC_ASSERT (crypto_sign_SEEDBYTES == FR_KEY_SIZE);
G_STATIC_ASSERT (crypto_pwhash_SALTBYTES == FR_STAFF_KEY_FILE_SALT_SIZE);
G_STATIC_ASSERT (crypto_secretbox_NONCEBYTES == FR_STAFF_KEY_FILE_NONCE_SIZE);
G_STATIC_ASSERT (crypto_secretbox_KEYBYTES == FR_STAFF_KEY_DERIVED_SIZE);
G_STATIC_ASSERT (crypto_secretbox_MACBYTES + FR_STAFF_KEY_FILE_PLAIN_SIZE == FR_STAFF_KEY_FILE_BOX_SIZE);
G_STATIC_ASSERT (FR_STAFF_KEY_FILE_SIZE == 180);
G_STATIC_ASSERT (FR_KIOSK_KEY_FILE_SIZE == 72);

static const char * const key_prefixes[] = {
  [FR_KEY_KIND_RECIPIENT] = "fristad-recipient:",
  [FR_KEY_KIND_KIOSK] = "fristad-kiosk:",
  [FR_KEY_KIND_READER] = "fristad-reader:",
};

void
_fr_keys_init (void)
{
  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
}

gpointer
_fr_keys_guarded_alloc (gsize size)
{
  gpointer p;

  _fr_keys_init ();
  p = sodium_malloc (size);
  if (p == NULL)
    g_error ("out of guarded memory (%" G_GSIZE_FORMAT " bytes)", size);
  sodium_memzero (p, size);
  return p;
}

static gboolean
key_kind_is_valid (FrKeyKind kind)
{
  return kind == FR_KEY_KIND_RECIPIENT || kind == FR_KEY_KIND_KIOSK || kind == FR_KEY_KIND_READER;
}

/* Key ids */

/**
 * fr_kid_compute:
 * @pk: a 32-byte public key
 * @kid: (out): the first 8 bytes of BLAKE2b-256 (unkeyed) of @pk
 */
void
fr_kid_compute (const guint8 pk[FR_KEY_SIZE],
                guint8       kid[FR_KID_SIZE])
{
  guint8 hash[crypto_generichash_BYTES];

  g_return_if_fail (pk != NULL);
  g_return_if_fail (kid != NULL);

  _fr_keys_init ();
  crypto_generichash (hash, sizeof hash, pk, FR_KEY_SIZE, NULL, 0);
  memcpy (kid, hash, FR_KID_SIZE);
}

/**
 * fr_kid_to_hex:
 * @kid: a key id
 * @out: (out): 16 lowercase hex digits and a NUL
 */
void
fr_kid_to_hex (const guint8 kid[FR_KID_SIZE],
               char         out[FR_KID_HEX_LEN + 1])
{
  static const char digits[] = "0123456789abcdef";

  g_return_if_fail (kid != NULL);
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < FR_KID_SIZE; i++)
    {
      out[2 * i] = digits[kid[i] >> 4];
      out[2 * i + 1] = digits[kid[i] & 0x0f];
    }
  out[FR_KID_HEX_LEN] = '\0';
}

static int
lower_hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/**
 * fr_kid_from_hex:
 * @hex: exactly 16 lowercase hex digits, nothing before or after
 * @kid: (out): the key id; left untouched on failure
 *
 * Returns: %TRUE if @hex is a well-formed key id.
 */
gboolean
fr_kid_from_hex (const char *hex,
                 guint8      kid[FR_KID_SIZE])
{
  guint8 tmp[FR_KID_SIZE];

  g_return_val_if_fail (hex != NULL, FALSE);
  g_return_val_if_fail (kid != NULL, FALSE);

  for (guint i = 0; i < FR_KID_SIZE; i++)
    {
      int hi, lo;

      /* A NUL ends the string early and is not a hex digit, so reading stops there. */
      hi = lower_hex_value (hex[2 * i]);
      if (hi < 0)
        return FALSE;
      lo = lower_hex_value (hex[2 * i + 1]);
      if (lo < 0)
        return FALSE;
      tmp[i] = (guint8) ((hi << 4) | lo);
    }
  if (hex[FR_KID_HEX_LEN] != '\0')
    return FALSE;
  memcpy (kid, tmp, FR_KID_SIZE);
  return TRUE;
}

/* Key strings */

static int
base64_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

static gboolean
x25519_is_usable (const guint8 pk[FR_KEY_SIZE])
{
  /* Any clamped scalar is a multiple of 8, so it maps every point of small order (and the
   * all-zero key) to the identity, which crypto_scalarmult() reports as a failure. */
  static const guint8 scalar[crypto_scalarmult_SCALARBYTES] = {
    0x48, 0x1f, 0x3a, 0x5c, 0x6d, 0x7e, 0x8f, 0x90, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07, 0x18,
    0x29, 0x3a, 0x4b, 0x5c, 0x6d, 0x7e, 0x8f, 0x90, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07, 0x58,
  };
  guint8 q[crypto_scalarmult_BYTES];

  return crypto_scalarmult (q, scalar, pk) == 0;
}

/**
 * fr_key_string_parse:
 * @str: a key string such as "fristad-recipient:B64"
 * @kind: the kind of key expected
 * @pk: (out): the 32-byte public key; left untouched on failure
 * @error: FR_ERROR_BAD_KEY naming what is wrong
 *
 * Strict: the exact prefix of @kind, then exactly 44 characters of canonical RFC 4648
 * base64 (with its one '=') of 32 bytes. One trailing "\n" or "\r\n" is tolerated, nothing
 * else. Ed25519 keys (kiosk, reader) must be valid points of the prime-order subgroup;
 * recipient (X25519) keys must not be all zeros nor of small order.
 */
gboolean
fr_key_string_parse (const char  *str,
                     FrKeyKind    kind,
                     guint8       pk[FR_KEY_SIZE],
                     GError     **error)
{
  const char *prefix;
  const char *b64;
  gsize len;
  guint8 tmp[FR_KEY_SIZE];
  size_t bin_len = 0;
  const char *end = NULL;
  char again[KEY_B64_LEN + 1];

  g_return_val_if_fail (str != NULL, FALSE);
  g_return_val_if_fail (key_kind_is_valid (kind), FALSE);
  g_return_val_if_fail (pk != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  _fr_keys_init ();
  prefix = key_prefixes[kind];

  if (!g_str_has_prefix (str, prefix))
    {
      for (guint k = 0; k < G_N_ELEMENTS (key_prefixes); k++)
        if (g_str_has_prefix (str, key_prefixes[k]))
          {
            g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY,
                         "expected a %s key, got %s", prefix, key_prefixes[k]);
            return FALSE;
          }
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY, "expected a %s key", prefix);
      return FALSE;
    }

  b64 = str + strlen (prefix);
  len = strlen (b64);
  /* One line ending is tolerated, so that a key pasted from a file works. */
  if (len == KEY_B64_LEN + 1 && b64[KEY_B64_LEN] == '\n')
    len = KEY_B64_LEN;
  else if (len == KEY_B64_LEN + 2 && b64[KEY_B64_LEN] == '\r' && b64[KEY_B64_LEN + 1] == '\n')
    len = KEY_B64_LEN;

  if (len != KEY_B64_LEN)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY,
                   "%s key must be %d base64 characters, got %" G_GSIZE_FORMAT,
                   prefix, KEY_B64_LEN, len);
      return FALSE;
    }

  for (guint i = 0; i < KEY_B64_LEN - 1; i++)
    {
      if (base64_value (b64[i]) >= 0)
        continue;
      if (g_ascii_isspace (b64[i]))
        g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY,
                     "%s key contains whitespace at position %u", prefix, i + 1);
      else if (b64[i] == '=')
        g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY,
                     "%s key has padding at position %u; expected it only at the end",
                     prefix, i + 1);
      else
        g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY,
                     "%s key has an invalid base64 character at position %u", prefix, i + 1);
      return FALSE;
    }
  if (b64[KEY_B64_LEN - 1] != '=')
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY,
                   "%s key must end with one '=' of base64 padding", prefix);
      return FALSE;
    }
  /* 43 characters carry 258 bits for 256: the last one's low two bits must be zero. */
  if ((base64_value (b64[KEY_B64_LEN - 2]) & 0x03) != 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY,
                   "%s key is not canonical base64 (stray bits in the last character)", prefix);
      return FALSE;
    }

  if (sodium_base642bin (tmp, sizeof tmp, b64, KEY_B64_LEN, NULL, &bin_len, &end,
                         sodium_base64_VARIANT_ORIGINAL) != 0
      || bin_len != FR_KEY_SIZE
      || end != b64 + KEY_B64_LEN)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY,
                   "%s key is not base64 of %d bytes", prefix, FR_KEY_SIZE);
      return FALSE;
    }
  /* Belt and braces: the string must be exactly what we would write. */
  sodium_bin2base64 (again, sizeof again, tmp, sizeof tmp, sodium_base64_VARIANT_ORIGINAL);
  if (memcmp (again, b64, KEY_B64_LEN) != 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY,
                   "%s key is not canonical base64", prefix);
      return FALSE;
    }

  if (kind == FR_KEY_KIND_RECIPIENT)
    {
      if (sodium_is_zero (tmp, sizeof tmp))
        {
          g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY, "%s key is all zeros", prefix);
          return FALSE;
        }
      if (!x25519_is_usable (tmp))
        {
          g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY,
                       "%s key is a point of small order", prefix);
          return FALSE;
        }
    }
  else if (!crypto_core_ed25519_is_valid_point (tmp))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY,
                   "%s key is not a valid Ed25519 public key", prefix);
      return FALSE;
    }

  memcpy (pk, tmp, FR_KEY_SIZE);
  return TRUE;
}

/**
 * fr_key_string_format:
 * @kind: the kind of key
 * @pk: the 32-byte public key
 *
 * Returns: (transfer full): "PREFIX:B64", to free with g_free()
 */
char *
fr_key_string_format (FrKeyKind    kind,
                      const guint8 pk[FR_KEY_SIZE])
{
  char b64[KEY_B64_LEN + 1];

  g_return_val_if_fail (key_kind_is_valid (kind), NULL);
  g_return_val_if_fail (pk != NULL, NULL);

  _fr_keys_init ();
  sodium_bin2base64 (b64, sizeof b64, pk, FR_KEY_SIZE, sodium_base64_VARIANT_ORIGINAL);
  return g_strconcat (key_prefixes[kind], b64, NULL);
}

/**
 * fr_key_fingerprint:
 * @pk: the 32-byte public key
 *
 * The key id of @pk as four groups of four lowercase hex digits, e.g.
 * "c5e2 1ab1 c9f6 022d", for people to compare on the maintenance screen.
 *
 * Returns: (transfer full): the fingerprint, to free with g_free()
 */
char *
fr_key_fingerprint (const guint8 pk[FR_KEY_SIZE])
{
  guint8 kid[FR_KID_SIZE];
  char hex[FR_KID_HEX_LEN + 1];

  g_return_val_if_fail (pk != NULL, NULL);

  fr_kid_compute (pk, kid);
  fr_kid_to_hex (kid, hex);
  return g_strdup_printf ("%.4s %.4s %.4s %.4s", hex, hex + 4, hex + 8, hex + 12);
}

/* Rebuilds the Ed25519 key pair from the seed in @sk and checks it is @sk. */
gboolean
_fr_keys_sign_key_is_consistent (const guint8 sk[FR_SIGN_SECRET_SIZE],
                                 guint8       pk_out[FR_KEY_SIZE],
                                 guint8       sk_out[FR_SIGN_SECRET_SIZE])
{
  crypto_sign_seed_keypair (pk_out, sk_out, sk);
  return sodium_memcmp (sk_out, sk, FR_SIGN_SECRET_SIZE) == 0;
}
