/* fr-keys-staff.c — the staff secret key and its file
 *
 * The file (fr-keys-private.h, intake/KEYS.md) holds the recipient and reader secret keys
 * in a secretbox under a key that Argon2id derives from the passphrase.
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "fr-bytes-private.h"
#include "fr-error.h"
#include "fr-keys-private.h"
#include "fr-keys.h"

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
  FrStaffKey *key = _fr_keys_guarded_alloc (sizeof *key);

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
  copy = _fr_keys_guarded_alloc (sizeof *copy);
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

  _fr_keys_init ();
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

  key = _fr_keys_guarded_alloc (sizeof *key);
  memcpy (key->recipient_sk, plain->data, FR_KEY_SIZE);
  if (crypto_scalarmult_base (key->recipient_pk, key->recipient_sk) != 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "key file %s holds an unusable recipient key", name);
      return NULL;
    }
  if (!_fr_keys_sign_key_is_consistent (plain->data + FR_KEY_SIZE, key->reader_pk, key->reader_sk))
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
  g_auto(FrKeysNewFile) nf = FR_KEYS_NEW_FILE_INIT;
  GStatBuf st;
  gboolean exists;
  gboolean ok;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (passphrase != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  _fr_keys_init ();

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

  if (!_fr_keys_new_file_open (&nf, path, error))
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

  ok = _fr_keys_new_file_commit (&nf, file, sizeof file, &exists, error);
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

  _fr_keys_init ();

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
  ok = _fr_keys_read_exact_file (fd, file, sizeof file, "key file", path, error);
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
