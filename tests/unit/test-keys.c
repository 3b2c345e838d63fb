/* test-keys.c — key ids, key strings, the staff key file, the kiosk key, passphrases
 *
 * Argon2id MODERATE costs about a second per derivation, so one staff key file is made
 * once and shared; the whole file runs six derivations.
 */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1   /* memmem (), posix_openpt () */
#endif

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "fr-bytes-private.h"
#include "fr-error.h"
#include "fr-keys-private.h"
#include "fr-keys.h"
#include "fr-secret.h"

/* tests/vectors/keys.txt */
#define KIOSK_STRING       "fristad-kiosk:iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="
#define KIOSK_KID          "c5e21ab1c9f6022d"
#define RECIP1_STRING      "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhBA="
#define RECIP1_SECRET_HEX  "aa3c626bc9c38c8c201878ebb1d5b0b50ac40e8986c78793db1d4ef369fca1ce"
#define RECIP1_KID         "bc7259ff4b4ff126"
#define RECIP2_STRING      "fristad-recipient:deJw3ylSxXuoNnuoYYwXj5/lDbJ5nTBOdOkY2YVoYUY="
#define RECIP2_SECRET_HEX  "98aebbb178a551876bfaf8e1e530dac6aaf6c2ea1c8f8406a3ab37dfb40fbc25"

#define PASSPHRASE         "correct horse battery staple"

static char *tmp_root;

static void
hex_to_bytes (const char *hex,
              guint8     *out,
              gsize       len)
{
  size_t got = 0;

  g_assert_cmpint (sodium_hex2bin (out, len, hex, strlen (hex), NULL, &got, NULL), ==, 0);
  g_assert_cmpuint (got, ==, len);
}

static char *
make_tmp_dir (const char *name)
{
  g_autofree char *base = g_strconcat (name, "-XXXXXX", NULL);
  g_autofree char *tmpl = g_build_filename (tmp_root, base, NULL);

  g_assert_nonnull (g_mkdtemp (tmpl));
  return g_steal_pointer (&tmpl);
}

static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static FrSecret *
secret_from_string (const char *s)
{
  return fr_secret_new_from (s, strlen (s));
}

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
write_file_mode (const char   *path,
                 const guint8 *data,
                 gsize         len,
                 int           mode)
{
  g_autoptr(GError) error = NULL;

  g_unlink (path);
  g_assert_true (g_file_set_contents_full (path, (const char *) data, (gssize) len,
                                           G_FILE_SET_CONTENTS_NONE, mode, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

/* Key ids and key strings */

static void
test_vectors (void)
{
  guint8 pk[FR_KEY_SIZE], sk[FR_KEY_SIZE], derived[FR_KEY_SIZE], kid[FR_KID_SIZE];
  char hex[FR_KID_HEX_LEN + 1];
  g_autoptr(GError) error = NULL;
  g_autofree char *kiosk_str = NULL;
  g_autofree char *recip1_str = NULL;
  g_autofree char *recip2_str = NULL;
  g_autofree char *fingerprint = NULL;

  g_assert_true (fr_key_string_parse (KIOSK_STRING, FR_KEY_KIND_KIOSK, pk, &error));
  g_assert_no_error (error);
  fr_kid_compute (pk, kid);
  fr_kid_to_hex (kid, hex);
  g_assert_cmpstr (hex, ==, KIOSK_KID);
  kiosk_str = fr_key_string_format (FR_KEY_KIND_KIOSK, pk);
  g_assert_cmpstr (kiosk_str, ==, KIOSK_STRING);
  fingerprint = fr_key_fingerprint (pk);
  g_assert_cmpstr (fingerprint, ==, "c5e2 1ab1 c9f6 022d");

  g_assert_true (fr_key_string_parse (RECIP1_STRING, FR_KEY_KIND_RECIPIENT, pk, &error));
  g_assert_no_error (error);
  fr_kid_compute (pk, kid);
  fr_kid_to_hex (kid, hex);
  g_assert_cmpstr (hex, ==, RECIP1_KID);
  recip1_str = fr_key_string_format (FR_KEY_KIND_RECIPIENT, pk);
  g_assert_cmpstr (recip1_str, ==, RECIP1_STRING);
  hex_to_bytes (RECIP1_SECRET_HEX, sk, sizeof sk);
  g_assert_cmpint (crypto_scalarmult_base (derived, sk), ==, 0);
  g_assert_cmpmem (derived, sizeof derived, pk, sizeof pk);

  g_assert_true (fr_key_string_parse (RECIP2_STRING, FR_KEY_KIND_RECIPIENT, pk, &error));
  g_assert_no_error (error);
  recip2_str = fr_key_string_format (FR_KEY_KIND_RECIPIENT, pk);
  g_assert_cmpstr (recip2_str, ==, RECIP2_STRING);
  hex_to_bytes (RECIP2_SECRET_HEX, sk, sizeof sk);
  g_assert_cmpint (crypto_scalarmult_base (derived, sk), ==, 0);
  g_assert_cmpmem (derived, sizeof derived, pk, sizeof pk);
}

static void
test_key_string_round_trip (void)
{
  const FrKeyKind kinds[] = { FR_KEY_KIND_RECIPIENT, FR_KEY_KIND_KIOSK, FR_KEY_KIND_READER };
  const char *prefixes[] = { "fristad-recipient:", "fristad-kiosk:", "fristad-reader:" };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    for (guint round = 0; round < 20; round++)
      {
        g_autoptr(GError) error = NULL;
        guint8 pk[FR_KEY_SIZE], sk[FR_SIGN_SECRET_SIZE], parsed[FR_KEY_SIZE];
        g_autofree char *str = NULL;
        g_autofree char *with_lf = NULL;
        g_autofree char *with_crlf = NULL;

        if (kinds[i] == FR_KEY_KIND_RECIPIENT)
          crypto_box_keypair (pk, sk);
        else
          crypto_sign_keypair (pk, sk);
        str = fr_key_string_format (kinds[i], pk);
        g_assert_true (g_str_has_prefix (str, prefixes[i]));
        g_assert_cmpuint (strlen (str), ==, strlen (prefixes[i]) + 44);
        g_assert_true (g_str_has_suffix (str, "="));
        g_assert_false (g_str_has_suffix (str, "=="));

        memset (parsed, 0, sizeof parsed);
        g_assert_true (fr_key_string_parse (str, kinds[i], parsed, &error));
        g_assert_no_error (error);
        g_assert_cmpmem (parsed, sizeof parsed, pk, sizeof pk);

        /* One line ending is tolerated. */
        with_lf = g_strconcat (str, "\n", NULL);
        memset (parsed, 0, sizeof parsed);
        g_assert_true (fr_key_string_parse (with_lf, kinds[i], parsed, &error));
        g_assert_no_error (error);
        g_assert_cmpmem (parsed, sizeof parsed, pk, sizeof pk);
        with_crlf = g_strconcat (str, "\r\n", NULL);
        memset (parsed, 0, sizeof parsed);
        g_assert_true (fr_key_string_parse (with_crlf, kinds[i], parsed, &error));
        g_assert_no_error (error);
        g_assert_cmpmem (parsed, sizeof parsed, pk, sizeof pk);
      }
}

static char *
b64_key_string (const char   *prefix,
                const guint8  bytes[FR_KEY_SIZE])
{
  char b64[45];

  sodium_bin2base64 (b64, sizeof b64, bytes, FR_KEY_SIZE, sodium_base64_VARIANT_ORIGINAL);
  return g_strconcat (prefix, b64, NULL);
}

static void
test_key_string_rejections (void)
{
  static const guint8 zeros[FR_KEY_SIZE] = { 0 };
  static const guint8 one[FR_KEY_SIZE] = { 1 };   /* X25519 u = 1; Ed25519 identity */
  guint8 ff[FR_KEY_SIZE];
  guint8 not_on_curve[FR_KEY_SIZE];
  g_autofree char *recip_zero = b64_key_string ("fristad-recipient:", zeros);
  g_autofree char *recip_one = b64_key_string ("fristad-recipient:", one);
  g_autofree char *kiosk_zero = b64_key_string ("fristad-kiosk:", zeros);
  g_autofree char *reader_one = b64_key_string ("fristad-reader:", one);
  g_autofree char *kiosk_ff = NULL;
  g_autofree char *reader_off_curve = NULL;
  g_autofree char *reader_vector = g_strdup ("fristad-reader:iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=");
  char embedded_nul[] = RECIP1_STRING;
  struct
  {
    const char *str;
    FrKeyKind   kind;
    const char *message;
  } cases[] = {
    { "", FR_KEY_KIND_RECIPIENT, "expected a fristad-recipient: key" },
    { "fristad-recipient:", FR_KEY_KIND_RECIPIENT, "must be 44 base64 characters, got 0" },
    { "fristad-recipent:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhBA=", FR_KEY_KIND_RECIPIENT,
      "expected a fristad-recipient: key" },
    { "Fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhBA=", FR_KEY_KIND_RECIPIENT,
      "expected a fristad-recipient: key" },
    { " " RECIP1_STRING, FR_KEY_KIND_RECIPIENT, "expected a fristad-recipient: key" },
    { "YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhBA=", FR_KEY_KIND_RECIPIENT,
      "expected a fristad-recipient: key" },
    /* wrong kind */
    { KIOSK_STRING, FR_KEY_KIND_RECIPIENT,
      "expected a fristad-recipient: key, got fristad-kiosk:" },
    { RECIP1_STRING, FR_KEY_KIND_KIOSK, "expected a fristad-kiosk: key, got fristad-recipient:" },
    { KIOSK_STRING, FR_KEY_KIND_READER, "expected a fristad-reader: key, got fristad-kiosk:" },
    { reader_vector, FR_KEY_KIND_KIOSK, "expected a fristad-kiosk: key, got fristad-reader:" },
    /* length */
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhBA", FR_KEY_KIND_RECIPIENT,
      "must be 44 base64 characters, got 43" },
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhB=", FR_KEY_KIND_RECIPIENT,
      "must be 44 base64 characters, got 43" },
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhBAA=", FR_KEY_KIND_RECIPIENT,
      "must be 44 base64 characters, got 45" },
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhBA==", FR_KEY_KIND_RECIPIENT,
      "must be 44 base64 characters, got 45" },
    { RECIP1_STRING "\n\n", FR_KEY_KIND_RECIPIENT, "must be 44 base64 characters, got 46" },
    { RECIP1_STRING " ", FR_KEY_KIND_RECIPIENT, "must be 44 base64 characters, got 45" },
    { RECIP1_STRING " \n", FR_KEY_KIND_RECIPIENT, "must be 44 base64 characters, got 46" },
    { RECIP1_STRING "\r", FR_KEY_KIND_RECIPIENT, "must be 44 base64 characters, got 45" },
    { RECIP1_STRING "\n\r", FR_KEY_KIND_RECIPIENT, "must be 44 base64 characters, got 46" },
    { embedded_nul, FR_KEY_KIND_RECIPIENT, "must be 44 base64 characters, got 20" },
    /* padding */
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhBAA", FR_KEY_KIND_RECIPIENT,
      "must end with one '=' of base64 padding" },
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhB==", FR_KEY_KIND_RECIPIENT,
      "has padding at position 43" },
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKU=Du9VUljL0jOxiZvhBA=", FR_KEY_KIND_RECIPIENT,
      "has padding at position 25" },
    /* non-canonical last character: 'A' is 0, 'B' is 1, 'D' is 3 */
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhBB=", FR_KEY_KIND_RECIPIENT,
      "not canonical base64" },
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhBD=", FR_KEY_KIND_RECIPIENT,
      "not canonical base64" },
    { "fristad-kiosk:iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1x=", FR_KEY_KIND_KIOSK,
      "not canonical base64" },
    /* alphabet */
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr*dbKUrDu9VUljL0jOxiZvhBA=", FR_KEY_KIND_RECIPIENT,
      "invalid base64 character at position 20" },
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr-dbKUrDu9VUljL0jOxiZvhBA=", FR_KEY_KIND_RECIPIENT,
      "invalid base64 character at position 20" },
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZ_hBA=", FR_KEY_KIND_RECIPIENT,
      "invalid base64 character at position 40" },
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvh\xc3\xa9=", FR_KEY_KIND_RECIPIENT,
      "invalid base64 character at position 42" },
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZv\xc3\xa9=", FR_KEY_KIND_RECIPIENT,
      "must be 44 base64 characters, got 43" },
    /* whitespace inside */
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+ bKUrDu9VUljL0jOxiZvhBA=", FR_KEY_KIND_RECIPIENT,
      "contains whitespace at position 21" },
    { "fristad-recipient: DRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhBA=", FR_KEY_KIND_RECIPIENT,
      "contains whitespace at position 1" },
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvh\tA=", FR_KEY_KIND_RECIPIENT,
      "contains whitespace at position 42" },
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOx\niZvhBA=", FR_KEY_KIND_RECIPIENT,
      "must be 44 base64 characters, got 45" },
    { "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOx\nZvhBA=", FR_KEY_KIND_RECIPIENT,
      "contains whitespace at position 38" },
    /* key values */
    { recip_zero, FR_KEY_KIND_RECIPIENT, "fristad-recipient: key is all zeros" },
    { recip_one, FR_KEY_KIND_RECIPIENT, "fristad-recipient: key is a point of small order" },
    { kiosk_zero, FR_KEY_KIND_KIOSK, "not a valid Ed25519 public key" },
    { reader_one, FR_KEY_KIND_READER, "not a valid Ed25519 public key" },
    { NULL, FR_KEY_KIND_KIOSK, "not a valid Ed25519 public key" },
    { NULL, FR_KEY_KIND_READER, "not a valid Ed25519 public key" },
  };

  /* A C string cannot hide bytes after a NUL: the key simply looks short. */
  embedded_nul[strlen ("fristad-recipient:") + 20] = '\0';

  /* y = 2^255 - 1 is not a canonical field element. */
  memset (ff, 0xff, sizeof ff);
  kiosk_ff = b64_key_string ("fristad-kiosk:", ff);
  cases[G_N_ELEMENTS (cases) - 2].str = kiosk_ff;
  /* y = 2: (y^2 - 1) / (d y^2 + 1) is not a square, so there is no such point. */
  memset (not_on_curve, 0, sizeof not_on_curve);
  not_on_curve[0] = 2;
  g_assert_false (crypto_core_ed25519_is_valid_point (not_on_curve));
  reader_off_curve = b64_key_string ("fristad-reader:", not_on_curve);
  cases[G_N_ELEMENTS (cases) - 1].str = reader_off_curve;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      guint8 pk[FR_KEY_SIZE];
      guint8 untouched[FR_KEY_SIZE];

      memset (pk, 0x5a, sizeof pk);
      memset (untouched, 0x5a, sizeof untouched);
      g_test_message ("case %u", i);
      g_assert_false (fr_key_string_parse (cases[i].str, cases[i].kind, pk, &error));
      g_assert_error (error, FR_ERROR, FR_ERROR_BAD_KEY);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: message \"%s\" lacks \"%s\"", i, error->message, cases[i].message);
      g_assert_null (strchr (error->message, '\n'));
      g_assert_cmpmem (pk, sizeof pk, untouched, sizeof untouched);
    }
}

static void
test_kid_hex (void)
{
  const guint8 kid[FR_KID_SIZE] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff };
  guint8 back[FR_KID_SIZE];
  guint8 untouched[FR_KID_SIZE];
  char hex[FR_KID_HEX_LEN + 1];
  const char *bad[] = {
    "", "00017f80abcdefF", "00017f80ABCDEFFF", "00017f80abcdefff0", "00017f80abcdeff",
    " 00017f80abcdefff", "00017f80abcdefff ", "00017f80abcdefff\n", "00017f80abcdefgf",
    "0x017f80abcdefff", "00017f80-abcdeff",
  };

  fr_kid_to_hex (kid, hex);
  g_assert_cmpstr (hex, ==, "00017f80abcdefff");
  g_assert_true (fr_kid_from_hex (hex, back));
  g_assert_cmpmem (back, sizeof back, kid, sizeof kid);
  g_assert_true (fr_kid_from_hex (KIOSK_KID, back));
  fr_kid_to_hex (back, hex);
  g_assert_cmpstr (hex, ==, KIOSK_KID);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      memset (back, 0x5a, sizeof back);
      memset (untouched, 0x5a, sizeof untouched);
      g_test_message ("bad kid %u", i);
      g_assert_false (fr_kid_from_hex (bad[i], back));
      g_assert_cmpmem (back, sizeof back, untouched, sizeof untouched);
    }
}

static void
test_generate (void)
{
  g_autoptr(FrStaffKey) staff = fr_staff_key_generate ();
  g_autoptr(FrStaffKey) other = fr_staff_key_generate ();
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  guint8 pk[FR_KEY_SIZE];
  guint8 sig[crypto_sign_BYTES];
  const guint8 msg[] = "GET\n/v1/envelopes\n1700000000";

  g_assert_cmpint (crypto_scalarmult_base (pk, staff->recipient_sk), ==, 0);
  g_assert_cmpmem (pk, sizeof pk, staff->recipient_pk, sizeof staff->recipient_pk);
  crypto_sign_ed25519_sk_to_pk (pk, staff->reader_sk);
  g_assert_cmpmem (pk, sizeof pk, staff->reader_pk, sizeof staff->reader_pk);
  crypto_sign_detached (sig, NULL, msg, sizeof msg, staff->reader_sk);
  g_assert_cmpint (crypto_sign_verify_detached (sig, msg, sizeof msg, staff->reader_pk), ==, 0);
  g_assert_true (memcmp (staff->recipient_sk, other->recipient_sk, FR_KEY_SIZE) != 0);
  g_assert_true (memcmp (staff->reader_sk, other->reader_sk, FR_SIGN_SECRET_SIZE) != 0);

  crypto_sign_detached (sig, NULL, msg, sizeof msg, kiosk->sk);
  g_assert_cmpint (crypto_sign_verify_detached (sig, msg, sizeof msg, kiosk->pk), ==, 0);

  /* The NULL-safe frees. */
  fr_staff_key_free (NULL);
  fr_kiosk_key_free (NULL);
}

/* The staff key file */

typedef struct
{
  char       *dir;
  char       *path;
  FrStaffKey *key;
  GBytes     *contents;
} SharedStaffFile;

static SharedStaffFile shared;

static const SharedStaffFile *
shared_staff_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrSecret) pass = NULL;
  char *contents = NULL;
  gsize len = 0;
  mode_t old_umask;

  if (shared.path != NULL)
    return &shared;

  shared.dir = make_tmp_dir ("staff");
  shared.path = g_build_filename (shared.dir, "staff.key", NULL);
  shared.key = fr_staff_key_generate ();
  pass = secret_from_string (PASSPHRASE);

  /* The file must come out 0600 whatever the umask, even one that takes the owner's
   * write bit away. */
  old_umask = umask (0277);
  g_assert_true (fr_staff_key_save (shared.key, shared.path, pass, &error));
  umask (old_umask);
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (shared.path, &contents, &len, &error));
  g_assert_no_error (error);
  shared.contents = g_bytes_new_take (contents, len);
  return &shared;
}

static void
shared_staff_file_clear (void)
{
  g_clear_pointer (&shared.key, fr_staff_key_free);
  g_clear_pointer (&shared.contents, g_bytes_unref);
  g_clear_pointer (&shared.path, g_free);
  g_clear_pointer (&shared.dir, g_free);
}

static void
test_staff_key_round_trip (void)
{
  const SharedStaffFile *f = shared_staff_file ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FrSecret) pass = secret_from_string (PASSPHRASE);
  g_autoptr(FrStaffKey) loaded = NULL;
  const guint8 *data;
  gsize len;
  guint8 sig[crypto_sign_BYTES];
  const guint8 msg[] = "POST\n/v1/envelopes/x/ack\n1700000000";
  guint8 file_key[32];
  guint8 sealed[32 + crypto_box_SEALBYTES];
  guint8 opened[32];

  /* Layout: fixed size, magic, algorithm and the MODERATE limits. */
  data = g_bytes_get_data (f->contents, &len);
  g_assert_cmpuint (len, ==, 180);
  g_assert_cmpmem (data, 8, "FRSTKEY\x01", 8);
  g_assert_cmpuint (_fr_load_u32_le (data + 8), ==, 1);
  g_assert_cmpuint (_fr_load_u64_le (data + 12), ==, crypto_pwhash_OPSLIMIT_MODERATE);
  g_assert_cmpuint (_fr_load_u64_le (data + 20), ==, crypto_pwhash_MEMLIMIT_MODERATE);
  g_assert_cmpuint (mode_of (f->path), ==, 0600);
  /* No temporary file left behind. */
  g_assert_cmpuint (count_entries (f->dir), ==, 1);
  /* The secret keys are not in the file in the clear. */
  g_assert_null (memmem (data, len, f->key->recipient_sk, 8));
  g_assert_null (memmem (data, len, f->key->reader_sk, 8));

  loaded = fr_staff_key_load (f->path, pass, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpmem (loaded, sizeof *loaded, f->key, sizeof *f->key);

  crypto_sign_detached (sig, NULL, msg, sizeof msg, loaded->reader_sk);
  g_assert_cmpint (crypto_sign_verify_detached (sig, msg, sizeof msg, loaded->reader_pk), ==, 0);
  g_assert_cmpint (crypto_sign_verify_detached (sig, msg, sizeof msg, f->key->reader_pk), ==, 0);

  randombytes_buf (file_key, sizeof file_key);
  g_assert_cmpint (crypto_box_seal (sealed, file_key, sizeof file_key, loaded->recipient_pk), ==, 0);
  g_assert_cmpint (crypto_box_seal_open (opened, sealed, sizeof sealed,
                                         f->key->recipient_pk, loaded->recipient_sk), ==, 0);
  g_assert_cmpmem (opened, sizeof opened, file_key, sizeof file_key);
}

static void
test_staff_key_wrong_passphrase (void)
{
  const SharedStaffFile *f = shared_staff_file ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FrSecret) pass = secret_from_string (PASSPHRASE "!");
  g_autoptr(FrStaffKey) loaded = NULL;
  g_autofree char *expected = g_strdup_printf ("wrong passphrase for key file %s", f->path);

  loaded = fr_staff_key_load (f->path, pass, &error);
  g_assert_null (loaded);
  g_assert_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_null (strstr (error->message, PASSPHRASE));
}

static void
test_staff_key_save_refusals (void)
{
  const SharedStaffFile *f = shared_staff_file ();
  g_autofree char *dir = make_tmp_dir ("save");
  g_autofree char *path = g_build_filename (dir, "staff.key", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "staff.key", NULL);
  g_autofree char *dangling = g_build_filename (dir, "dangling.key", NULL);
  g_autoptr(FrSecret) good = secret_from_string (PASSPHRASE);
  g_autoptr(FrSecret) empty = fr_secret_new (0);
  g_autoptr(FrSecret) seven = secret_from_string ("1234567");
  g_autofree char *expected = NULL;
  g_autofree char *contents = NULL;

  /* Never overwrite: neither the shared key file nor any other file. */
  {
    g_autoptr(GError) error = NULL;

    expected = g_strdup_printf ("%s already exists", f->path);
    g_assert_false (fr_staff_key_save (f->key, f->path, good, &error));
    g_assert_error (error, FR_ERROR, FR_ERROR_IO);
    g_assert_cmpstr (error->message, ==, expected);
    g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
    g_assert_cmpmem (contents, 180, g_bytes_get_data (f->contents, NULL), 180);
    g_clear_pointer (&contents, g_free);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (g_file_set_contents (path, "precious", -1, NULL));
    g_assert_false (fr_staff_key_save (f->key, path, good, &error));
    g_assert_error (error, FR_ERROR, FR_ERROR_IO);
    g_assert_true (g_str_has_suffix (error->message, "already exists"));
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "precious");
    g_clear_pointer (&contents, g_free);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (symlink ("nowhere", dangling), ==, 0);
    g_assert_false (fr_staff_key_save (f->key, dangling, good, &error));
    g_assert_error (error, FR_ERROR, FR_ERROR_IO);
    g_assert_true (g_str_has_suffix (error->message, "already exists"));
  }

  /* Passphrases shorter than 8 bytes, empty included, are refused before any work. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fr_staff_key_save (f->key, path, empty, &error));
    g_assert_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE);
    g_assert_nonnull (strstr (error->message, "at least 8 bytes"));
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fr_staff_key_save (f->key, path, seven, &error));
    g_assert_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE);
    g_assert_nonnull (strstr (error->message, "at least 8 bytes"));
  }
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* A directory that does not exist: an I/O error, before any key derivation. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *missing_dir = g_path_get_dirname (missing);

    g_assert_false (fr_staff_key_save (f->key, missing, good, &error));
    g_assert_error (error, FR_ERROR, FR_ERROR_IO);
    g_assert_nonnull (strstr (error->message, missing_dir));
  }
  /* Nothing left behind but the dangling symbolic link. */
  g_assert_cmpuint (count_entries (dir), ==, 1);
}

static GBytes *
tampered (GBytes *orig,
          gsize   offset,
          guint8  xor_mask)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (orig, &len);
  guint8 *copy = g_memdup2 (data, len);

  g_assert_cmpuint (offset, <, len);
  copy[offset] ^= xor_mask;
  return g_bytes_new_take (copy, len);
}

static GBytes *
with_u64 (GBytes  *orig,
          gsize    offset,
          guint64  value)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (orig, &len);
  guint8 *copy = g_memdup2 (data, len);

  _fr_store_u64_le (copy + offset, value);
  return g_bytes_new_take (copy, len);
}

static void
assert_load_fails (const char *dir,
                   GBytes     *contents,
                   int         code,
                   const char *message)
{
  g_autofree char *path = g_build_filename (dir, "bad.key", NULL);
  g_autoptr(FrSecret) pass = secret_from_string (PASSPHRASE);
  g_autoptr(FrStaffKey) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (contents, &len);

  write_file_mode (path, data, len, 0600);
  loaded = fr_staff_key_load (path, pass, &error);
  g_assert_null (loaded);
  g_assert_error (error, FR_ERROR, code);
  if (strstr (error->message, message) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, message);
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_staff_key_file_header (void)
{
  const SharedStaffFile *f = shared_staff_file ();
  g_autofree char *dir = make_tmp_dir ("header");
  gsize len;
  const guint8 *data = g_bytes_get_data (f->contents, &len);
  g_autoptr(GError) error = NULL;
  struct
  {
    GBytes     *contents;
    const char *message;
  } cases[] = {
    { g_bytes_new (data, 0), "has 0 bytes; expected 180" },
    { g_bytes_new (data, 8), "has 8 bytes; expected 180" },
    { g_bytes_new (data, 179), "has 179 bytes; expected 180" },
    { NULL, "has 181 bytes; expected 180" },
    { tampered (f->contents, 0, 0x01), "not a Fristad staff key file (bad magic)" },
    { tampered (f->contents, 6, 0x20), "not a Fristad staff key file (bad magic)" },
    { tampered (f->contents, 7, 0x03), "unsupported version 2" },
    { tampered (f->contents, 7, 0x01), "unsupported version 0" },
    { tampered (f->contents, 8, 0x03), "unknown algorithm 2" },
    { tampered (f->contents, 11, 0x80), "unknown algorithm" },
    { with_u64 (f->contents, 12, 2), "opslimit 2 outside 3..4" },
    { with_u64 (f->contents, 12, 5), "opslimit 5 outside 3..4" },
    { with_u64 (f->contents, 12, G_MAXUINT64), "opslimit 18446744073709551615" },
    { with_u64 (f->contents, 20, crypto_pwhash_MEMLIMIT_MODERATE - 1), "memlimit 268435455 outside" },
    { with_u64 (f->contents, 20, 8192), "memlimit 8192 outside" },
    { with_u64 (f->contents, 20, crypto_pwhash_MEMLIMIT_SENSITIVE + 1), "memlimit 1073741825 outside" },
    { with_u64 (f->contents, 20, G_GUINT64_CONSTANT (100) << 30), "memlimit 107374182400 outside" },
  };
  g_autoptr(GBytes) sensitive_ops = with_u64 (f->contents, 12, crypto_pwhash_OPSLIMIT_SENSITIVE);
  g_autoptr(GBytes) sensitive = with_u64 (sensitive_ops, 20, crypto_pwhash_MEMLIMIT_SENSITIVE);
  {
    guint8 *longer = g_malloc (len + 1);

    memcpy (longer, data, len);
    longer[len] = 0;
    cases[3].contents = g_bytes_new_take (longer, len + 1);
  }

  /* The file as written passes, and so do the strongest limits we accept. */
  g_assert_true (_fr_staff_key_file_check_header (data, len, "x", &error));
  g_assert_no_error (error);
  g_assert_true (_fr_staff_key_file_check_header (g_bytes_get_data (sensitive, NULL),
                                                  g_bytes_get_size (sensitive), "x", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) header_error = NULL;
      gsize clen;
      const guint8 *cdata = g_bytes_get_data (cases[i].contents, &clen);

      g_test_message ("case %u", i);
      g_assert_false (_fr_staff_key_file_check_header (cdata, clen, "x", &header_error));
      g_assert_error (header_error, FR_ERROR, FR_ERROR_BAD_KEY_FILE);
      /* Through the public function too: rejected before any key derivation. */
      assert_load_fails (dir, cases[i].contents, FR_ERROR_BAD_KEY_FILE, cases[i].message);
      g_bytes_unref (cases[i].contents);
    }

  /* A missing file and a directory. */
  {
    g_autoptr(FrSecret) pass = secret_from_string (PASSPHRASE);
    g_autofree char *missing = g_build_filename (dir, "missing.key", NULL);
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;

    g_assert_null (fr_staff_key_load (missing, pass, &e1));
    g_assert_error (e1, FR_ERROR, FR_ERROR_IO);
    g_assert_null (fr_staff_key_load (dir, pass, &e2));
    g_assert_error (e2, FR_ERROR, FR_ERROR_BAD_KEY_FILE);
  }
}

static void
test_staff_key_file_ciphertext (void)
{
  const SharedStaffFile *f = shared_staff_file ();
  g_autofree char *dir = make_tmp_dir ("cipher");
  g_autoptr(FrSecret) pass = secret_from_string (PASSPHRASE);
  g_autoptr(FrSecret) derived = NULL;
  g_autoptr(FrStaffKey) ok = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (f->contents, &len);

  /* Derive once, then flip every bit position class in every nonce and ciphertext byte. */
  derived = _fr_staff_key_file_derive (data, pass, &error);
  g_assert_no_error (error);
  g_assert_nonnull (derived);
  g_assert_cmpuint (derived->len, ==, 32);

  ok = _fr_staff_key_file_decrypt (data, len, derived, "x", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (ok, sizeof *ok, f->key, sizeof *f->key);

  for (gsize off = FR_STAFF_KEY_FILE_NONCE_OFFSET; off < FR_STAFF_KEY_FILE_SIZE; off++)
    for (guint bit = 0; bit < 8; bit += 3)
      {
        g_autoptr(GBytes) bad = tampered (f->contents, off, (guint8) (1u << bit));
        g_autoptr(GError) e = NULL;
        g_autoptr(FrStaffKey) k = NULL;

        k = _fr_staff_key_file_decrypt (g_bytes_get_data (bad, NULL), len, derived, "x", &e);
        g_assert_null (k);
        g_assert_error (e, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE);
      }

  /* A box that opens but holds a reader key whose public half was changed. */
  {
    g_autoptr(FrSecret) plain = fr_secret_new (FR_STAFF_KEY_FILE_PLAIN_SIZE);
    guint8 *copy = g_memdup2 (data, len);
    g_autoptr(GError) e = NULL;
    g_autoptr(FrStaffKey) k = NULL;

    memcpy (plain->data, f->key->recipient_sk, FR_KEY_SIZE);
    memcpy (plain->data + FR_KEY_SIZE, f->key->reader_sk, FR_SIGN_SECRET_SIZE);
    plain->data[FR_STAFF_KEY_FILE_PLAIN_SIZE - 1] ^= 0x01;
    crypto_secretbox_easy (copy + FR_STAFF_KEY_FILE_BOX_OFFSET, plain->data, plain->len,
                           copy + FR_STAFF_KEY_FILE_NONCE_OFFSET, derived->data);
    k = _fr_staff_key_file_decrypt (copy, len, derived, "x", &e);
    g_assert_null (k);
    g_assert_error (e, FR_ERROR, FR_ERROR_BAD_KEY_FILE);
    g_assert_nonnull (strstr (e->message, "does not match"));
    g_free (copy);
  }

  /* Through the public function: a flipped ciphertext byte and a flipped salt byte (each
   * one more derivation). A damaged box cannot be told from a wrong passphrase. */
  {
    g_autoptr(GBytes) bad_box = tampered (f->contents, FR_STAFF_KEY_FILE_SIZE - 1, 0x80);
    g_autoptr(GBytes) bad_salt = tampered (f->contents, FR_STAFF_KEY_FILE_SALT_OFFSET, 0x01);

    assert_load_fails (dir, bad_box, FR_ERROR_WRONG_PASSPHRASE, "wrong passphrase for key file");
    assert_load_fails (dir, bad_salt, FR_ERROR_WRONG_PASSPHRASE, "wrong passphrase for key file");
  }
}

/* The kiosk key */

static void
test_kiosk_key (void)
{
  g_autofree char *root = make_tmp_dir ("kiosk");
  g_autofree char *state = g_build_filename (root, "var", "lib", "fristad", NULL);
  g_autofree char *path = g_build_filename (state, "kiosk.key", NULL);
  g_autoptr(FrKioskKey) created = NULL;
  g_autoptr(FrKioskKey) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  guint8 pk[FR_KEY_SIZE];
  mode_t old_umask;

  old_umask = umask (0);
  created = fr_kiosk_key_load_or_create (state, &error);
  umask (old_umask);
  g_assert_no_error (error);
  g_assert_nonnull (created);
  crypto_sign_ed25519_sk_to_pk (pk, created->sk);
  g_assert_cmpmem (pk, sizeof pk, created->pk, sizeof created->pk);

  g_assert_cmpuint (mode_of (state), ==, 0700);
  g_assert_cmpuint (mode_of (path), ==, 0600);
  g_assert_cmpuint (count_entries (state), ==, 1);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, 72);
  g_assert_cmpmem (contents, 8, "FRSTKSK\x01", 8);
  g_assert_cmpmem (contents + 8, 64, created->sk, 64);

  reloaded = fr_kiosk_key_load_or_create (state, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reloaded);
  g_assert_cmpmem (reloaded, sizeof *reloaded, created, sizeof *created);
  g_clear_pointer (&reloaded, fr_kiosk_key_free);

  /* Readable or writable by others: refused. */
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  {
    g_autoptr(GError) e = NULL;
    g_autofree char *expected = g_strdup_printf ("kiosk key file %s is readable by others "
                                                 "(mode 0644); expected 0600", path);

    g_assert_null (fr_kiosk_key_load_or_create (state, &e));
    g_assert_error (e, FR_ERROR, FR_ERROR_BAD_KEY_FILE);
    g_assert_cmpstr (e->message, ==, expected);
  }
  g_assert_cmpint (g_chmod (path, 0620), ==, 0);
  {
    g_autoptr(GError) e = NULL;

    g_assert_null (fr_kiosk_key_load_or_create (state, &e));
    g_assert_error (e, FR_ERROR, FR_ERROR_BAD_KEY_FILE);
    g_assert_nonnull (strstr (e->message, "(mode 0620); expected 0600"));
  }
  /* The refusal left the file as it was. */
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  reloaded = fr_kiosk_key_load_or_create (state, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (reloaded, sizeof *reloaded, created, sizeof *created);
  g_clear_pointer (&reloaded, fr_kiosk_key_free);

  /* Malformed files: size, magic, version, a key that does not match its public half. */
  {
    struct
    {
      gsize       len;
      gsize       flip;   /* G_MAXSIZE: none */
      const char *message;
    } cases[] = {
      { 0, G_MAXSIZE, "has 0 bytes; expected 72" },
      { 71, G_MAXSIZE, "has 71 bytes; expected 72" },
      { 73, G_MAXSIZE, "has 73 bytes; expected 72" },
      { 72, 0, "not a Fristad kiosk key file (bad magic)" },
      { 72, 5, "not a Fristad kiosk key file (bad magic)" },
      { 72, 7, "unsupported version 0" },
      { 72, 8, "does not match" },    /* seed */
      { 72, 71, "does not match" },   /* embedded public key */
    };
    guint8 buf[73];

    memcpy (buf, contents, 72);
    buf[72] = 0;
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GError) e = NULL;
        guint8 copy[73];

        g_test_message ("kiosk case %u", i);
        memcpy (copy, buf, sizeof copy);
        if (cases[i].flip != G_MAXSIZE)
          copy[cases[i].flip] ^= 0x01;
        write_file_mode (path, copy, cases[i].len, 0600);
        g_assert_null (fr_kiosk_key_load_or_create (state, &e));
        g_assert_error (e, FR_ERROR, FR_ERROR_BAD_KEY_FILE);
        if (strstr (e->message, cases[i].message) == NULL)
          g_error ("message \"%s\" lacks \"%s\"", e->message, cases[i].message);
        /* Never replaced by a new key. */
        g_assert_cmpuint (g_file_test (path, G_FILE_TEST_IS_REGULAR), ==, TRUE);
      }
  }

  /* kiosk.key as a directory: an error, not a new key. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  {
    g_autoptr(GError) e = NULL;

    g_assert_null (fr_kiosk_key_load_or_create (state, &e));
    g_assert_error (e, FR_ERROR, FR_ERROR_BAD_KEY_FILE);
  }
  g_assert_cmpint (g_rmdir (path), ==, 0);

  /* Gone: a new, different key is made, 0600 even under a umask that would make it 0400. */
  old_umask = umask (0277);
  reloaded = fr_kiosk_key_load_or_create (state, &error);
  umask (old_umask);
  g_assert_no_error (error);
  g_assert_true (memcmp (reloaded->pk, created->pk, FR_KEY_SIZE) != 0);
  g_assert_cmpuint (mode_of (path), ==, 0600);

  /* A state directory that is a file. */
  {
    g_autoptr(GError) e = NULL;
    g_autofree char *file = g_build_filename (root, "plain-file", NULL);

    g_assert_true (g_file_set_contents (file, "x", -1, NULL));
    g_assert_null (fr_kiosk_key_load_or_create (file, &e));
    g_assert_error (e, FR_ERROR, FR_ERROR_IO);
  }
}

/* Passphrases */

static FrSecret *
passphrase_from_bytes (const char  *dir,
                       const char  *bytes,
                       gssize       len,
                       GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "pass", NULL);

  g_unlink (path);
  g_assert_true (g_file_set_contents (path, bytes, len, NULL));
  return fr_passphrase_read ("unused: ", path, TRUE, error);
}

static void
test_passphrase_file (void)
{
  g_autofree char *dir = make_tmp_dir ("pass");
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *max = NULL;
  g_autofree char *max_crlf = NULL;
  g_autofree char *over = NULL;
  struct
  {
    const char *bytes;
    gssize      len;
    const char *expected;
    gsize       expected_len;
  } good[] = {
    { "correct horse\nsecond line\n", -1, "correct horse", 13 },
    { "correct horse\r\nsecond line\r\n", -1, "correct horse", 13 },
    { "no newline", -1, "no newline", 10 },
    { " spaces kept \n", -1, " spaces kept ", 13 },
    { "nul\0inside\n", 11, "nul\0inside", 10 },
    { "x\n\n", -1, "x", 1 },
  };
  struct
  {
    const char *bytes;
    gssize      len;
    int         code;
  } bad[] = {
    { "", 0, FR_ERROR_WRONG_PASSPHRASE },
    { "\n", -1, FR_ERROR_WRONG_PASSPHRASE },
    { "\r\n", -1, FR_ERROR_WRONG_PASSPHRASE },
    { "\nsecond line\n", -1, FR_ERROR_WRONG_PASSPHRASE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FrSecret) s = passphrase_from_bytes (dir, good[i].bytes, good[i].len, &error);

      g_assert_no_error (error);
      g_assert_nonnull (s);
      g_assert_cmpmem (s->data, s->len, good[i].expected, good[i].expected_len);
      g_assert_cmpint (s->data[s->len], ==, '\0');
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FrSecret) s = passphrase_from_bytes (dir, bad[i].bytes, bad[i].len, &error);

      g_assert_null (s);
      g_assert_error (error, FR_ERROR, bad[i].code);
      g_assert_nonnull (strstr (error->message, "is empty"));
    }

  /* 1024 bytes is the most. */
  max = g_strnfill (1024, 'p');
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrSecret) s = passphrase_from_bytes (dir, max, -1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (s->len, ==, 1024);
  }
  max_crlf = g_strconcat (max, "\r\n", NULL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrSecret) s = passphrase_from_bytes (dir, max_crlf, -1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (s->len, ==, 1024);
  }
  over = g_strnfill (1025, 'p');
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrSecret) s = passphrase_from_bytes (dir, over, -1, &error);

    g_assert_null (s);
    g_assert_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE);
    g_assert_nonnull (strstr (error->message, "longer than 1024 bytes"));
    g_assert_null (strstr (error->message, "pppp"));
  }
  {
    g_autofree char *huge = g_strnfill (100000, 'p');
    g_autoptr(GError) error = NULL;
    g_autoptr(FrSecret) s = passphrase_from_bytes (dir, huge, -1, &error);

    g_assert_null (s);
    g_assert_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE);
  }

  {
    g_autoptr(GError) error = NULL;

    g_assert_null (fr_passphrase_read ("unused: ", missing, FALSE, &error));
    g_assert_error (error, FR_ERROR, FR_ERROR_IO);
    g_assert_nonnull (strstr (error->message, missing));
  }
}

static void
test_passphrase_no_terminal (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FrSecret) s = NULL;

      /* A new session has no controlling terminal. */
      if (setsid () < 0)
        g_error ("setsid: %s", g_strerror (errno));
      s = fr_passphrase_read ("Passphrase: ", NULL, FALSE, &error);
      g_assert_null (s);
      g_assert_error (error, FR_ERROR, FR_ERROR_IO);
      g_assert_cmpstr (error->message, ==,
                       "no terminal to read the passphrase from; use --passphrase-file");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Terminal sessions run in a child whose controlling terminal is a pseudo-terminal we
 * drive. The child reports on a pipe: code, echo-restored flag, then the passphrase or the
 * error message. The passphrases here are test data. */

typedef struct
{
  int      code;         /* 0 on success, else the FR_ERROR code */
  gboolean echo_restored;
  char    *text;         /* passphrase or error message */
  GString *screen;       /* everything the child wrote to the terminal */
} TtyResult;

static void
tty_result_clear (TtyResult *r)
{
  g_free (r->text);
  g_string_free (r->screen, TRUE);
}

static gboolean
read_until (int         master,
            GString    *screen,
            const char *want)
{
  while (strstr (screen->str, want) == NULL)
    {
      struct pollfd p = { .fd = master, .events = POLLIN };
      char buf[256];
      ssize_t n;

      /* A safety net against a hung child, not a timing assertion. */
      if (poll (&p, 1, 60000) <= 0)
        return FALSE;
      n = read (master, buf, sizeof buf);
      if (n <= 0)
        return FALSE;
      g_string_append_len (screen, buf, n);
    }
  return TRUE;
}

static void
tty_child (const char *slave_name,
           gboolean    confirm,
           int         report)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrSecret) s = NULL;
  struct termios t;
  GString *out = g_string_new (NULL);
  int slave;
  int code;

  if (setsid () < 0)
    _exit (10);
  slave = open (slave_name, O_RDWR);
  if (slave < 0 || ioctl (slave, TIOCSCTTY, 0) < 0)
    _exit (11);
  s = fr_passphrase_read ("Passphrase: ", NULL, confirm, &error);
  if (tcgetattr (slave, &t) < 0)
    _exit (12);
  code = s != NULL ? 0 : error->code;
  g_string_append_printf (out, "%d %d ", code, (t.c_lflag & ECHO) != 0);
  if (s != NULL)
    g_string_append_len (out, (const char *) s->data, s->len);
  else
    g_string_append (out, error->message);
  if (write (report, out->str, out->len) != (ssize_t) out->len)
    _exit (13);
  _exit (0);
}

static void
run_tty_session (gboolean     confirm,
                 const char  *const *lines,
                 TtyResult   *result)
{
  g_autoptr(GString) report = g_string_new (NULL);
  const char *prompts[] = { "Passphrase: ", "Repeat the passphrase: " };
  char *slave_name;
  int pipefd[2];
  int master;
  int status;
  pid_t pid;
  char buf[256];
  ssize_t n;
  char **parts;

  master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  slave_name = g_strdup (ptsname (master));
  g_assert_nonnull (slave_name);
  g_assert_true (g_unix_open_pipe (pipefd, FD_CLOEXEC, NULL));

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (pipefd[0]);
      tty_child (slave_name, confirm, pipefd[1]);
    }
  close (pipefd[1]);

  result->screen = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_true (read_until (master, result->screen, prompts[i]));
      g_assert_cmpint (write (master, lines[i], strlen (lines[i])), ==, (ssize_t) strlen (lines[i]));
    }

  while ((n = read (pipefd[0], buf, sizeof buf)) > 0)
    g_string_append_len (report, buf, n);
  close (pipefd[0]);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  /* Whatever the child wrote after its last prompt. */
  while (TRUE)
    {
      struct pollfd p = { .fd = master, .events = POLLIN };

      if (poll (&p, 1, 0) <= 0 || (n = read (master, buf, sizeof buf)) <= 0)
        break;
      g_string_append_len (result->screen, buf, n);
    }
  close (master);
  g_free (slave_name);

  parts = g_strsplit (report->str, " ", 3);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  result->code = atoi (parts[0]);
  result->echo_restored = atoi (parts[1]) != 0;
  result->text = g_strdup (parts[2]);
  g_strfreev (parts);
}

static void
test_passphrase_terminal (void)
{
  {
    const char *lines[] = { "tty passphrase one\n", "tty passphrase one\n", NULL };
    TtyResult r = { 0 };

    run_tty_session (TRUE, lines, &r);
    g_assert_cmpint (r.code, ==, 0);
    g_assert_cmpstr (r.text, ==, "tty passphrase one");
    g_assert_true (r.echo_restored);
    g_assert_nonnull (strstr (r.screen->str, "Repeat the passphrase: "));
    /* Echo was off: the terminal never showed what was typed. */
    g_assert_null (strstr (r.screen->str, "tty passphrase"));
    tty_result_clear (&r);
  }
  {
    const char *lines[] = { "tty passphrase one\r\n", NULL };
    TtyResult r = { 0 };

    run_tty_session (FALSE, lines, &r);
    g_assert_cmpint (r.code, ==, 0);
    g_assert_cmpstr (r.text, ==, "tty passphrase one");
    g_assert_true (r.echo_restored);
    g_assert_null (strstr (r.screen->str, "Repeat"));
    tty_result_clear (&r);
  }
  {
    const char *lines[] = { "tty passphrase one\n", "tty passphrase two\n", NULL };
    TtyResult r = { 0 };

    run_tty_session (TRUE, lines, &r);
    g_assert_cmpint (r.code, ==, FR_ERROR_WRONG_PASSPHRASE);
    g_assert_cmpstr (r.text, ==, "passphrases do not match");
    g_assert_true (r.echo_restored);
    g_assert_null (strstr (r.screen->str, "tty passphrase"));
    tty_result_clear (&r);
  }
  {
    const char *lines[] = { "\n", NULL };
    TtyResult r = { 0 };

    run_tty_session (TRUE, lines, &r);
    g_assert_cmpint (r.code, ==, FR_ERROR_WRONG_PASSPHRASE);
    g_assert_cmpstr (r.text, ==, "no passphrase entered");
    g_assert_true (r.echo_restored);
    tty_result_clear (&r);
  }
  {
    g_autofree char *long_line = NULL;
    g_autofree char *too_long = g_strnfill (1500, 'q');
    const char *lines[2] = { NULL, NULL };
    TtyResult r = { 0 };

    long_line = g_strconcat (too_long, "\n", NULL);
    lines[0] = long_line;
    run_tty_session (FALSE, lines, &r);
    g_assert_cmpint (r.code, ==, FR_ERROR_WRONG_PASSPHRASE);
    g_assert_nonnull (strstr (r.text, "longer than 1024 bytes"));
    g_assert_true (r.echo_restored);
    g_assert_null (strstr (r.screen->str, "qqqq"));
    tty_result_clear (&r);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());

  tmp_root = g_dir_make_tmp ("fristad-test-keys-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/keys/vectors", test_vectors);
  g_test_add_func ("/keys/string/round-trip", test_key_string_round_trip);
  g_test_add_func ("/keys/string/rejections", test_key_string_rejections);
  g_test_add_func ("/keys/kid/hex", test_kid_hex);
  g_test_add_func ("/keys/generate", test_generate);
  g_test_add_func ("/keys/staff/round-trip", test_staff_key_round_trip);
  g_test_add_func ("/keys/staff/wrong-passphrase", test_staff_key_wrong_passphrase);
  g_test_add_func ("/keys/staff/save-refusals", test_staff_key_save_refusals);
  g_test_add_func ("/keys/staff/file-header", test_staff_key_file_header);
  g_test_add_func ("/keys/staff/file-ciphertext", test_staff_key_file_ciphertext);
  g_test_add_func ("/keys/kiosk", test_kiosk_key);
  g_test_add_func ("/keys/passphrase/file", test_passphrase_file);
  g_test_add_func ("/keys/passphrase/no-terminal", test_passphrase_no_terminal);
  g_test_add_func ("/keys/passphrase/terminal", test_passphrase_terminal);

  ret = g_test_run ();

  shared_staff_file_clear ();
  remove_tree (tmp_root);
  g_free (tmp_root);
  return ret;
}
