/* fr-keys-kiosk.c — the kiosk signing key and STATE_DIR/kiosk.key
 *
 * Made on first start, mode 0600, never replaced; a file readable by others or of the
 * wrong size is refused (intake/KEYS.md).
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

#include "fr-error.h"
#include "fr-keys-private.h"
#include "fr-keys.h"

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
  FrKioskKey *key = _fr_keys_guarded_alloc (sizeof *key);

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

  key = _fr_keys_guarded_alloc (sizeof *key);
  if (!_fr_keys_sign_key_is_consistent (data + FR_KEY_FILE_MAGIC_SIZE, key->pk, key->sk))
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
  if (!_fr_keys_read_exact_file (fd, buf->data, buf->len, "kiosk key file", path, error))
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

  _fr_keys_init ();

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
      g_auto(FrKeysNewFile) nf = FR_KEYS_NEW_FILE_INIT;
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
      if (!_fr_keys_new_file_open (&nf, path, error))
        return NULL;
      if (_fr_keys_new_file_commit (&nf, buf->data, buf->len, &exists, &local_error))
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
