#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1   /* renameat2 (), RENAME_NOREPLACE */
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "fr-bytes-private.h"
#include "fr-error.h"
#include "fr-keys-private.h"
#include "fr-keys.h"

/* Key strings, key ids and key files: see intake/KEYS.md. */

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

static void
keys_init (void)
{
  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
}

static gpointer
guarded_alloc (gsize size)
{
  gpointer p;

  keys_init ();
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

  keys_init ();
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

  keys_init ();
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

  keys_init ();
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

/* File helpers */

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = EIO;
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Reads up to @cap bytes, until end of file. Sets *@got. */
static gboolean
read_upto (int     fd,
           guint8 *buf,
           gsize   cap,
           gsize  *got)
{
  gsize off = 0;

  while (off < cap)
    {
      ssize_t n = read (fd, buf + off, cap - off);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      off += (gsize) n;
    }
  *got = off;
  return TRUE;
}

/* Reads exactly @size bytes and makes sure the file ends there. */
static gboolean
read_exact_file (int          fd,
                 guint8      *buf,
                 gsize        size,
                 const char  *what,
                 const char  *path,
                 GError     **error)
{
  gsize got = 0;
  guint8 extra = 0;
  gsize got_extra = 0;

  if (!read_upto (fd, buf, size, &got) || (got == size && !read_upto (fd, &extra, 1, &got_extra)))
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot read %s %s: %s",
                   what, path, g_strerror (saved));
      return FALSE;
    }
  sodium_memzero (&extra, sizeof extra);
  if (got != size || got_extra != 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "%s %s changed size while being read; expected %" G_GSIZE_FORMAT " bytes",
                   what, path, size);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sync_directory (const char  *dir,
                GError     **error)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0 || (fsync (fd) < 0 && errno != EINVAL && errno != ENOTSUP))
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot sync directory %s: %s",
                   dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* A new file, mode 0600, that never replaces an existing one: the data goes to a temporary
 * file in the same directory (O_EXCL, fsync) which is then hard-linked into place, or
 * renamed with RENAME_NOREPLACE where the file system has no hard links. The temporary
 * file is made first, so that an unwritable directory fails before any slow work. */
typedef struct
{
  char *path;
  char *dir;
  char *tmp;    /* set while the temporary file exists */
  int   fd;
} NewFile;

#define NEW_FILE_INIT { NULL, NULL, NULL, -1 }

static void
new_file_clear (NewFile *nf)
{
  if (nf->fd >= 0)
    close (nf->fd);
  nf->fd = -1;
  if (nf->tmp != NULL)
    g_unlink (nf->tmp);
  g_clear_pointer (&nf->tmp, g_free);
  g_clear_pointer (&nf->dir, g_free);
  g_clear_pointer (&nf->path, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NewFile, new_file_clear)

static gboolean
new_file_open (NewFile     *nf,
               const char  *path,
               GError     **error)
{
  g_autofree char *base = g_path_get_basename (path);
  int saved;

  nf->path = g_strdup (path);
  nf->dir = g_path_get_dirname (path);
  nf->tmp = g_strdup_printf ("%s/.%s.XXXXXX", nf->dir, base);
  nf->fd = g_mkstemp_full (nf->tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (nf->fd < 0)
    {
      saved = errno;
      g_clear_pointer (&nf->tmp, g_free);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot create a file in %s: %s",
                   nf->dir, g_strerror (saved));
      return FALSE;
    }
  /* Whatever the umask. */
  if (fchmod (nf->fd, 0600) < 0)
    {
      saved = errno;
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot create a file in %s: %s",
                   nf->dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Writes @data, syncs, and puts the file in place. Sets *@exists if the path was taken. */
static gboolean
new_file_commit (NewFile       *nf,
                 const guint8  *data,
                 gsize          len,
                 gboolean      *exists,
                 GError       **error)
{
  int fd = nf->fd;
  int saved;

  *exists = FALSE;
  g_return_val_if_fail (fd >= 0, FALSE);

  nf->fd = -1;
  if (!write_all (fd, data, len) || fsync (fd) < 0)
    {
      saved = errno;
      close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot write %s: %s",
                   nf->path, g_strerror (saved));
      return FALSE;
    }
  if (close (fd) < 0)
    {
      saved = errno;
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot write %s: %s",
                   nf->path, g_strerror (saved));
      return FALSE;
    }

  if (link (nf->tmp, nf->path) == 0)
    {
      g_unlink (nf->tmp);
      g_clear_pointer (&nf->tmp, g_free);
      return sync_directory (nf->dir, error);
    }
  saved = errno;
  if (saved != EEXIST)
    {
      /* No hard links on this file system (vfat, some network file systems). */
      if (renameat2 (AT_FDCWD, nf->tmp, AT_FDCWD, nf->path, RENAME_NOREPLACE) == 0)
        {
          g_clear_pointer (&nf->tmp, g_free);
          return sync_directory (nf->dir, error);
        }
      if (errno == EEXIST)
        saved = EEXIST;
    }
  if (saved == EEXIST)
    {
      *exists = TRUE;
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s already exists", nf->path);
    }
  else
    g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot create %s: %s",
                 nf->path, g_strerror (saved));
  return FALSE;
}

/* Staff secret key */

/**
 * fr_staff_key_generate:
 *
 * A fresh X25519 recipient key pair and Ed25519 reader key pair, in guarded memory.
 *
 * Returns: (transfer full): the key, to free with fr_staff_key_free()
 */
FrStaffKey *
fr_staff_key_generate (void)
{
  FrStaffKey *key = guarded_alloc (sizeof *key);

  crypto_box_keypair (key->recipient_pk, key->recipient_sk);
  crypto_sign_keypair (key->reader_pk, key->reader_sk);
  return key;
}

/**
 * fr_staff_key_copy:
 *
 * Returns: (transfer full): a copy of @key in its own guarded memory, for a worker that
 * may outlive the caller's copy; free with fr_staff_key_free()
 */
FrStaffKey *
fr_staff_key_copy (const FrStaffKey *key)
{
  FrStaffKey *copy;

  g_return_val_if_fail (key != NULL, NULL);
  copy = guarded_alloc (sizeof *copy);
  memcpy (copy, key, sizeof *copy);
  return copy;
}

void
fr_staff_key_free (FrStaffKey *key)
{
  if (key == NULL)
    return;
  sodium_free (key);
}

gboolean
_fr_staff_key_file_check_header (const guint8  *data,
                                 gsize          len,
                                 const char    *name,
                                 GError       **error)
{
  guint32 alg;
  guint64 ops, mem;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (len != FR_STAFF_KEY_FILE_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "key file %s has %" G_GSIZE_FORMAT " bytes; expected %d",
                   name, len, FR_STAFF_KEY_FILE_SIZE);
      return FALSE;
    }
  if (memcmp (data, FR_STAFF_KEY_FILE_MAGIC, FR_KEY_FILE_MAGIC_SIZE - 1) != 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "%s is not a Fristad staff key file (bad magic)", name);
      return FALSE;
    }
  if (data[FR_KEY_FILE_MAGIC_SIZE - 1] != FR_STAFF_KEY_FILE_VERSION)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "key file %s has unsupported version %u; expected %u",
                   name, data[FR_KEY_FILE_MAGIC_SIZE - 1], FR_STAFF_KEY_FILE_VERSION);
      return FALSE;
    }
  alg = _fr_load_u32_le (data + FR_STAFF_KEY_FILE_ALG_OFFSET);
  if (alg != FR_STAFF_KEY_FILE_ALG)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "key file %s uses unknown algorithm %u; expected %u",
                   name, alg, FR_STAFF_KEY_FILE_ALG);
      return FALSE;
    }
  ops = _fr_load_u64_le (data + FR_STAFF_KEY_FILE_OPS_OFFSET);
  if (ops < crypto_pwhash_argon2id_OPSLIMIT_MODERATE || ops > crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "key file %s has opslimit %" G_GUINT64_FORMAT
                   " outside %u..%u", name, ops,
                   (guint) crypto_pwhash_argon2id_OPSLIMIT_MODERATE,
                   (guint) crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE);
      return FALSE;
    }
  mem = _fr_load_u64_le (data + FR_STAFF_KEY_FILE_MEM_OFFSET);
  if (mem < crypto_pwhash_argon2id_MEMLIMIT_MODERATE || mem > crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "key file %s has memlimit %" G_GUINT64_FORMAT
                   " outside %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT, name, mem,
                   (guint64) crypto_pwhash_argon2id_MEMLIMIT_MODERATE,
                   (guint64) crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE);
      return FALSE;
    }
  return TRUE;
}

FrSecret *
_fr_staff_key_file_derive (const guint8    *data,
                           const FrSecret  *passphrase,
                           GError         **error)
{
  g_autoptr(FrSecret) derived = NULL;
  guint64 ops, mem;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);

  ops = _fr_load_u64_le (data + FR_STAFF_KEY_FILE_OPS_OFFSET);
  mem = _fr_load_u64_le (data + FR_STAFF_KEY_FILE_MEM_OFFSET);
  /* Callers checked the header; this keeps a wrong call from allocating 2^64 bytes. */
  g_return_val_if_fail (ops <= crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE, NULL);
  g_return_val_if_fail (mem <= crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE, NULL);

  derived = fr_secret_new (FR_STAFF_KEY_DERIVED_SIZE);
  if (crypto_pwhash (derived->data, derived->len,
                     (const char *) passphrase->data, passphrase->len,
                     data + FR_STAFF_KEY_FILE_SALT_OFFSET,
                     (unsigned long long) ops, (size_t) mem,
                     crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_IO,
                   "cannot derive the key file's key: out of memory (%" G_GUINT64_FORMAT
                   " MiB needed)", mem / (1024 * 1024));
      return NULL;
    }
  return g_steal_pointer (&derived);
}

/* Rebuilds the Ed25519 key pair from the seed in @sk and checks it is @sk. */
static gboolean
sign_key_is_consistent (const guint8 sk[FR_SIGN_SECRET_SIZE],
                        guint8       pk_out[FR_KEY_SIZE],
                        guint8       sk_out[FR_SIGN_SECRET_SIZE])
{
  crypto_sign_seed_keypair (pk_out, sk_out, sk);
  return sodium_memcmp (sk_out, sk, FR_SIGN_SECRET_SIZE) == 0;
}

FrStaffKey *
_fr_staff_key_file_decrypt (const guint8    *data,
                            gsize            len,
                            const FrSecret  *derived,
                            const char      *name,
                            GError         **error)
{
  g_autoptr(FrSecret) plain = NULL;
  g_autoptr(FrStaffKey) key = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (derived != NULL && derived->len == FR_STAFF_KEY_DERIVED_SIZE, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (len != FR_STAFF_KEY_FILE_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "key file %s has %" G_GSIZE_FORMAT " bytes; expected %d",
                   name, len, FR_STAFF_KEY_FILE_SIZE);
      return NULL;
    }

  keys_init ();
  plain = fr_secret_new (FR_STAFF_KEY_FILE_PLAIN_SIZE);
  if (crypto_secretbox_open_easy (plain->data, data + FR_STAFF_KEY_FILE_BOX_OFFSET,
                                  FR_STAFF_KEY_FILE_BOX_SIZE,
                                  data + FR_STAFF_KEY_FILE_NONCE_OFFSET,
                                  derived->data) != 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE,
                   "wrong passphrase for key file %s", name);
      return NULL;
    }

  key = guarded_alloc (sizeof *key);
  memcpy (key->recipient_sk, plain->data, FR_KEY_SIZE);
  if (crypto_scalarmult_base (key->recipient_pk, key->recipient_sk) != 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "key file %s holds an unusable recipient key", name);
      return NULL;
    }
  if (!sign_key_is_consistent (plain->data + FR_KEY_SIZE, key->reader_pk, key->reader_sk))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "key file %s holds a reader key whose public half does not match", name);
      return NULL;
    }
  return g_steal_pointer (&key);
}

/**
 * fr_staff_key_save:
 * @key: the staff key
 * @path: where to create the key file; must not exist
 * @passphrase: at least 8 bytes
 * @error: FR_ERROR_WRONG_PASSPHRASE if the passphrase is too short, FR_ERROR_IO otherwise
 *
 * Writes the staff secret key file (intake/KEYS.md), mode 0600. Refuses to replace an
 * existing file: a lost staff key means lost records.
 */
gboolean
fr_staff_key_save (const FrStaffKey  *key,
                   const char        *path,
                   const FrSecret    *passphrase,
                   GError           **error)
{
  guint8 file[FR_STAFF_KEY_FILE_SIZE];
  g_autoptr(FrSecret) plain = NULL;
  g_autoptr(FrSecret) derived = NULL;
  g_auto(NewFile) nf = NEW_FILE_INIT;
  GStatBuf st;
  gboolean exists;
  gboolean ok;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (passphrase != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  keys_init ();

  if (passphrase->len < FR_PASSPHRASE_MIN)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE,
                   "passphrase is too short; use at least %d bytes", FR_PASSPHRASE_MIN);
      return FALSE;
    }
  /* Checked again, atomically, when linking into place; this spares a useless Argon2 run. */
  if (g_lstat (path, &st) == 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s already exists", path);
      return FALSE;
    }

  if (!new_file_open (&nf, path, error))
    return FALSE;

  memcpy (file, FR_STAFF_KEY_FILE_MAGIC, FR_KEY_FILE_MAGIC_SIZE);
  _fr_store_u32_le (file + FR_STAFF_KEY_FILE_ALG_OFFSET, FR_STAFF_KEY_FILE_ALG);
  _fr_store_u64_le (file + FR_STAFF_KEY_FILE_OPS_OFFSET, crypto_pwhash_argon2id_OPSLIMIT_MODERATE);
  _fr_store_u64_le (file + FR_STAFF_KEY_FILE_MEM_OFFSET, crypto_pwhash_argon2id_MEMLIMIT_MODERATE);
  randombytes_buf (file + FR_STAFF_KEY_FILE_SALT_OFFSET, FR_STAFF_KEY_FILE_SALT_SIZE);
  randombytes_buf (file + FR_STAFF_KEY_FILE_NONCE_OFFSET, FR_STAFF_KEY_FILE_NONCE_SIZE);

  derived = _fr_staff_key_file_derive (file, passphrase, error);
  if (derived == NULL)
    return FALSE;

  plain = fr_secret_new (FR_STAFF_KEY_FILE_PLAIN_SIZE);
  memcpy (plain->data, key->recipient_sk, FR_KEY_SIZE);
  memcpy (plain->data + FR_KEY_SIZE, key->reader_sk, FR_SIGN_SECRET_SIZE);
  crypto_secretbox_easy (file + FR_STAFF_KEY_FILE_BOX_OFFSET, plain->data, plain->len,
                         file + FR_STAFF_KEY_FILE_NONCE_OFFSET, derived->data);

  ok = new_file_commit (&nf, file, sizeof file, &exists, error);
  sodium_memzero (file, sizeof file);
  return ok;
}

/**
 * fr_staff_key_load:
 * @path: a staff key file
 * @passphrase: its passphrase
 * @error: FR_ERROR_BAD_KEY_FILE if the file is malformed, FR_ERROR_WRONG_PASSPHRASE if it
 *   does not open (a wrong passphrase and a damaged ciphertext look the same), FR_ERROR_IO
 *
 * Returns: (transfer full): the key in guarded memory, or %NULL
 */
FrStaffKey *
fr_staff_key_load (const char      *path,
                   const FrSecret  *passphrase,
                   GError         **error)
{
  guint8 file[FR_STAFF_KEY_FILE_SIZE];
  g_autoptr(FrSecret) derived = NULL;
  FrStaffKey *key;
  GStatBuf st;
  int fd;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  keys_init ();

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot open key file %s: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE, "key file %s is not a regular file", path);
      return NULL;
    }
  if (st.st_size != FR_STAFF_KEY_FILE_SIZE)
    {
      close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "key file %s has %" G_GINT64_FORMAT " bytes; expected %d",
                   path, (gint64) st.st_size, FR_STAFF_KEY_FILE_SIZE);
      return NULL;
    }
  ok = read_exact_file (fd, file, sizeof file, "key file", path, error);
  close (fd);
  if (!ok || !_fr_staff_key_file_check_header (file, sizeof file, path, error))
    return NULL;

  derived = _fr_staff_key_file_derive (file, passphrase, error);
  if (derived == NULL)
    return NULL;
  key = _fr_staff_key_file_decrypt (file, sizeof file, derived, path, error);
  sodium_memzero (file, sizeof file);
  return key;
}

/* Kiosk signing key */

/**
 * fr_kiosk_key_generate:
 *
 * A fresh Ed25519 key pair in guarded memory, never written anywhere (tests, demo).
 *
 * Returns: (transfer full): the key, to free with fr_kiosk_key_free()
 */
FrKioskKey *
fr_kiosk_key_generate (void)
{
  FrKioskKey *key = guarded_alloc (sizeof *key);

  crypto_sign_keypair (key->pk, key->sk);
  return key;
}

void
fr_kiosk_key_free (FrKioskKey *key)
{
  if (key == NULL)
    return;
  sodium_free (key);
}

FrKioskKey *
_fr_kiosk_key_file_decode (const guint8  *data,
                           gsize          len,
                           const char    *name,
                           GError       **error)
{
  g_autoptr(FrKioskKey) key = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (len != FR_KIOSK_KEY_FILE_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "kiosk key file %s has %" G_GSIZE_FORMAT " bytes; expected %d",
                   name, len, FR_KIOSK_KEY_FILE_SIZE);
      return NULL;
    }
  if (memcmp (data, FR_KIOSK_KEY_FILE_MAGIC, FR_KEY_FILE_MAGIC_SIZE - 1) != 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "%s is not a Fristad kiosk key file (bad magic)", name);
      return NULL;
    }
  if (data[FR_KEY_FILE_MAGIC_SIZE - 1] != FR_KIOSK_KEY_FILE_VERSION)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "kiosk key file %s has unsupported version %u; expected %u",
                   name, data[FR_KEY_FILE_MAGIC_SIZE - 1], FR_KIOSK_KEY_FILE_VERSION);
      return NULL;
    }

  key = guarded_alloc (sizeof *key);
  if (!sign_key_is_consistent (data + FR_KEY_FILE_MAGIC_SIZE, key->pk, key->sk))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "kiosk key file %s holds a key whose public half does not match", name);
      return NULL;
    }
  return g_steal_pointer (&key);
}

static FrKioskKey *
kiosk_key_load_fd (int          fd,
                   const char  *path,
                   GError     **error)
{
  g_autoptr(FrSecret) buf = NULL;
  GStatBuf st;

  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "kiosk key file %s is not a regular file", path);
      return NULL;
    }
  if ((st.st_mode & 0077) != 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "kiosk key file %s is %s by others (mode %04o); expected 0600", path,
                   (st.st_mode & 0044) != 0 ? "readable" : "accessible",
                   (guint) (st.st_mode & 07777));
      return NULL;
    }
  if (st.st_size != FR_KIOSK_KEY_FILE_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "kiosk key file %s has %" G_GINT64_FORMAT " bytes; expected %d",
                   path, (gint64) st.st_size, FR_KIOSK_KEY_FILE_SIZE);
      return NULL;
    }

  buf = fr_secret_new (FR_KIOSK_KEY_FILE_SIZE);
  if (!read_exact_file (fd, buf->data, buf->len, "kiosk key file", path, error))
    return NULL;
  return _fr_kiosk_key_file_decode (buf->data, buf->len, path, error);
}

/**
 * fr_kiosk_key_load_or_create:
 * @state_dir: the kiosk's state directory; created with mode 0700 if missing
 * @error: FR_ERROR_BAD_KEY_FILE if STATE_DIR/kiosk.key is malformed or readable by
 *   others, FR_ERROR_IO
 *
 * Loads STATE_DIR/kiosk.key, or creates it (mode 0600) with a fresh key if it does not
 * exist yet.
 *
 * Returns: (transfer full): the key in guarded memory, or %NULL
 */
FrKioskKey *
fr_kiosk_key_load_or_create (const char  *state_dir,
                             GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (state_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  keys_init ();

  if (!g_file_test (state_dir, G_FILE_TEST_IS_DIR))
    {
      if (g_mkdir_with_parents (state_dir, 0700) < 0 || g_chmod (state_dir, 0700) < 0)
        {
          int saved = errno;

          g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot create state directory %s: %s",
                       state_dir, g_strerror (saved));
          return NULL;
        }
    }

  path = g_build_filename (state_dir, FR_KIOSK_KEY_FILE_NAME, NULL);

  /* Two tries: if another process creates the key between our open and our link, the
   * second try loads the one it made. */
  for (guint attempt = 0; ; attempt++)
    {
      g_autoptr(FrKioskKey) key = NULL;
      g_autoptr(FrSecret) buf = NULL;
      g_autoptr(GError) local_error = NULL;
      g_auto(NewFile) nf = NEW_FILE_INIT;
      gboolean exists = FALSE;
      int fd;

      fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
      if (fd >= 0)
        {
          FrKioskKey *loaded = kiosk_key_load_fd (fd, path, error);

          close (fd);
          return loaded;
        }
      if (errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot open kiosk key file %s: %s",
                       path, g_strerror (saved));
          return NULL;
        }

      key = fr_kiosk_key_generate ();
      buf = fr_secret_new (FR_KIOSK_KEY_FILE_SIZE);
      memcpy (buf->data, FR_KIOSK_KEY_FILE_MAGIC, FR_KEY_FILE_MAGIC_SIZE);
      memcpy (buf->data + FR_KEY_FILE_MAGIC_SIZE, key->sk, FR_SIGN_SECRET_SIZE);
      if (!new_file_open (&nf, path, error))
        return NULL;
      if (new_file_commit (&nf, buf->data, buf->len, &exists, &local_error))
        {
          g_autofree char *fingerprint = fr_key_fingerprint (key->pk);

          g_info ("created a new kiosk signing key %s in %s", fingerprint, path);
          return g_steal_pointer (&key);
        }
      if (!exists || attempt > 0)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
}

/* Passphrases */

static volatile sig_atomic_t caught_signal;

static void
on_signal (int signum)
{
  caught_signal = signum;
}

static const int tty_signals[] = { SIGINT, SIGHUP, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU };

typedef enum
{
  LINE_OK,
  LINE_TOO_LONG,
  LINE_ERROR,   /* errno is set; EINTR if caught_signal was set */
} LineResult;

/* Reads one line, byte by byte, into guarded memory. Stops at "\n" or end of file and
 * strips one "\r" before the end. A line longer than FR_PASSPHRASE_MAX fails; with @drain
 * (a terminal) the rest of the line is read and dropped first, so that its tail is not left
 * for the shell to read. */
static LineResult
read_secret_line (int        fd,
                  gboolean   drain,
                  FrSecret **out)
{
  g_autoptr(FrSecret) buf = fr_secret_new (FR_PASSPHRASE_MAX + 2);
  gsize n = 0;
  gboolean too_long = FALSE;

  for (;;)
    {
      guint8 *slot = too_long ? buf->data + FR_PASSPHRASE_MAX + 1 : buf->data + n;
      ssize_t r = read (fd, slot, 1);

      if (r < 0)
        {
          if (errno == EINTR && caught_signal == 0)
            continue;
          return LINE_ERROR;
        }
      if (r == 0 || *slot == '\n')
        break;
      if (!too_long)
        {
          n++;
          if (n == buf->len)
            {
              too_long = TRUE;
              if (!drain)
                break;
            }
        }
    }
  if (n > 0 && buf->data[n - 1] == '\r')
    n--;
  if (too_long || n > FR_PASSPHRASE_MAX)
    return LINE_TOO_LONG;
  *out = fr_secret_new_from (buf->data, n);
  return LINE_OK;
}

static FrSecret *
passphrase_from_file (const char  *path,
                      GError     **error)
{
  g_autoptr(FrSecret) secret = NULL;
  LineResult res;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot open passphrase file %s: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  res = read_secret_line (fd, FALSE, &secret);
  if (res == LINE_ERROR)
    {
      int saved = errno;

      close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot read passphrase file %s: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  close (fd);
  if (res == LINE_TOO_LONG)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE,
                   "passphrase in %s is longer than %d bytes", path, FR_PASSPHRASE_MAX);
      return NULL;
    }
  if (secret->len == 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE,
                   "first line of passphrase file %s is empty", path);
      return NULL;
    }
  return g_steal_pointer (&secret);
}

static gboolean
tty_prompt_line (int         fd,
                 const char *prompt,
                 FrSecret  **out,
                 GError    **error)
{
  g_autoptr(FrSecret) secret = NULL;
  LineResult res;

  if (!write_all (fd, (const guint8 *) prompt, strlen (prompt)))
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot write to the terminal: %s",
                   g_strerror (saved));
      return FALSE;
    }
  res = read_secret_line (fd, TRUE, &secret);
  /* Echo is off, so the user's Enter did not move the cursor. */
  (void) write_all (fd, (const guint8 *) "\n", 1);
  if (res == LINE_ERROR)
    {
      int saved = errno;

      if (caught_signal != 0)
        g_set_error (error, FR_ERROR, FR_ERROR_IO, "passphrase entry interrupted");
      else
        g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot read from the terminal: %s",
                     g_strerror (saved));
      return FALSE;
    }
  if (res == LINE_TOO_LONG)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE,
                   "passphrase is longer than %d bytes", FR_PASSPHRASE_MAX);
      return FALSE;
    }
  if (secret->len == 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE, "no passphrase entered");
      return FALSE;
    }
  *out = g_steal_pointer (&secret);
  return TRUE;
}

static FrSecret *
passphrase_from_tty (const char  *prompt,
                     gboolean     confirm,
                     GError     **error)
{
  g_autoptr(FrSecret) first = NULL;
  g_autoptr(FrSecret) second = NULL;
  struct sigaction old_actions[G_N_ELEMENTS (tty_signals)];
  struct sigaction action;
  struct termios saved_termios, quiet;
  gboolean ok;
  int signum;
  int fd;

  fd = g_open ("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0 || tcgetattr (fd, &saved_termios) < 0)
    {
      if (fd >= 0)
        close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_IO,
                   "no terminal to read the passphrase from; use --passphrase-file");
      return NULL;
    }

  /* A signal while echo is off must not leave the terminal silent: catch it (without
   * SA_RESTART, so read() returns), restore the terminal, then deliver it again. */
  caught_signal = 0;
  memset (&action, 0, sizeof action);
  action.sa_handler = on_signal;
  sigemptyset (&action.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (tty_signals); i++)
    sigaction (tty_signals[i], &action, &old_actions[i]);

  quiet = saved_termios;
  quiet.c_lflag &= ~(tcflag_t) (ECHO | ECHOE | ECHOK | ECHONL);
  quiet.c_lflag |= ICANON;
  if (tcsetattr (fd, TCSAFLUSH, &quiet) < 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot turn off echo on the terminal: %s",
                   g_strerror (saved));
      ok = FALSE;
    }
  else
    {
      ok = tty_prompt_line (fd, prompt, &first, error);
      if (ok && confirm)
        ok = tty_prompt_line (fd, "Repeat the passphrase: ", &second, error);
    }

  while (tcsetattr (fd, TCSANOW, &saved_termios) < 0 && errno == EINTR)
    ;
  close (fd);
  signum = caught_signal;
  for (guint i = 0; i < G_N_ELEMENTS (tty_signals); i++)
    sigaction (tty_signals[i], &old_actions[i], NULL);
  if (signum != 0)
    {
      raise (signum);
      if (ok)
        {
          ok = FALSE;
          g_set_error (error, FR_ERROR, FR_ERROR_IO, "passphrase entry interrupted");
        }
    }

  if (!ok)
    return NULL;
  if (confirm && !fr_secret_equal (first, second))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE, "passphrases do not match");
      return NULL;
    }
  return g_steal_pointer (&first);
}

/**
 * fr_passphrase_read:
 * @prompt: shown on the terminal
 * @passphrase_file: (nullable): read the first line of this file instead of the terminal
 * @confirm: on the terminal, ask twice and require the same answer
 * @error: FR_ERROR_IO (no terminal, unreadable file), FR_ERROR_WRONG_PASSPHRASE (empty,
 *   longer than 1024 bytes, or the two answers differ)
 *
 * Reads a passphrase into guarded memory, byte by byte; from the terminal with echo off.
 * The file's first line ends at "\n" (a "\r" before it is dropped); the rest is ignored.
 *
 * Returns: (transfer full): the passphrase, without its line ending
 */
FrSecret *
fr_passphrase_read (const char  *prompt,
                    const char  *passphrase_file,
                    gboolean     confirm,
                    GError     **error)
{
  g_return_val_if_fail (prompt != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  keys_init ();
  if (passphrase_file != NULL)
    return passphrase_from_file (passphrase_file, error);
  return passphrase_from_tty (prompt, confirm, error);
}
