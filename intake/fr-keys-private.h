/* fr-keys-private.h — key file layouts and the steps of loading them, for tests and fuzzing
 *
 * Staff secret key file (intake/KEYS.md), 180 bytes, integers little-endian:
 *
 *   magic 8 "FRSTKEY" 0x01 | alg u32 = 1 | opslimit u64 | memlimit u64 | salt 16 | nonce 24
 *   | crypto_secretbox_easy (recipient_sk 32 | reader_sk 64) 112
 *
 * Kiosk signing key file, 72 bytes: magic 8 "FRSTKSK" 0x01 | Ed25519 secret key 64.
 *
 * Also what the files of fr-keys share (the end of this header).
 */
#pragma once

#include <glib.h>

#include "fr-keys.h"
#include "fr-secret.h"

G_BEGIN_DECLS

#define FR_KEY_FILE_MAGIC_SIZE          8

#define FR_STAFF_KEY_FILE_MAGIC         "FRSTKEY\x01"
#define FR_STAFF_KEY_FILE_VERSION       0x01
#define FR_STAFF_KEY_FILE_ALG           1u   /* Argon2id13 + XSalsa20-Poly1305 */
#define FR_STAFF_KEY_FILE_ALG_OFFSET    8
#define FR_STAFF_KEY_FILE_OPS_OFFSET    12
#define FR_STAFF_KEY_FILE_MEM_OFFSET    20
#define FR_STAFF_KEY_FILE_SALT_OFFSET   28
#define FR_STAFF_KEY_FILE_SALT_SIZE     16   /* crypto_pwhash_SALTBYTES */
#define FR_STAFF_KEY_FILE_NONCE_OFFSET  44
#define FR_STAFF_KEY_FILE_NONCE_SIZE    24   /* crypto_secretbox_NONCEBYTES */
#define FR_STAFF_KEY_FILE_BOX_OFFSET    68
#define FR_STAFF_KEY_FILE_PLAIN_SIZE    (FR_KEY_SIZE + FR_SIGN_SECRET_SIZE)        /* 96 */
#define FR_STAFF_KEY_FILE_BOX_SIZE      (FR_STAFF_KEY_FILE_PLAIN_SIZE + 16)        /* 112 */
#define FR_STAFF_KEY_FILE_SIZE          (FR_STAFF_KEY_FILE_BOX_OFFSET + FR_STAFF_KEY_FILE_BOX_SIZE)
#define FR_STAFF_KEY_DERIVED_SIZE       32   /* crypto_secretbox_KEYBYTES */

#define FR_KIOSK_KEY_FILE_MAGIC         "FRSTKSK\x01"
#define FR_KIOSK_KEY_FILE_VERSION       0x01
#define FR_KIOSK_KEY_FILE_SIZE          (FR_KEY_FILE_MAGIC_SIZE + FR_SIGN_SECRET_SIZE)  /* 72 */
#define FR_KIOSK_KEY_FILE_NAME          "kiosk.key"

#define FR_PASSPHRASE_MIN               8      /* bytes, enforced when saving */
#define FR_PASSPHRASE_MAX               1024   /* bytes, enforced when reading */

/* Checks size, magic, version, algorithm and KDF limits; no crypto. @name names the file
 * in error messages. */
gboolean    _fr_staff_key_file_check_header (const guint8     *data,
                                             gsize             len,
                                             const char       *name,
                                             GError          **error);
/* Runs Argon2id with the file's salt and limits; returns FR_STAFF_KEY_DERIVED_SIZE bytes.
 * @data must have passed _fr_staff_key_file_check_header(). */
FrSecret   *_fr_staff_key_file_derive       (const guint8     *data,
                                             const FrSecret   *passphrase,
                                             GError          **error);
/* Opens the secretbox with @derived and rebuilds the public keys. */
FrStaffKey *_fr_staff_key_file_decrypt      (const guint8     *data,
                                             gsize             len,
                                             const FrSecret   *derived,
                                             const char       *name,
                                             GError          **error);
/* Checks and decodes the bytes of a kiosk.key file. */
FrKioskKey *_fr_kiosk_key_file_decode       (const guint8     *data,
                                             gsize             len,
                                             const char       *name,
                                             GError          **error);

/* ------------------------------------------------------------------------------------ */
/* Between the files of fr-keys (fr-keys.c lists them)                                  */

/* sodium_init(), or abort. */
void      _fr_keys_init          (void);
/* @size zeroed bytes of sodium_malloc memory, or abort. */
gpointer  _fr_keys_guarded_alloc (gsize size);
/* Rebuilds the Ed25519 key pair from the seed in @sk and checks it is @sk. */
gboolean  _fr_keys_sign_key_is_consistent (const guint8 sk[FR_SIGN_SECRET_SIZE],
                                           guint8       pk_out[FR_KEY_SIZE],
                                           guint8       sk_out[FR_SIGN_SECRET_SIZE]);

/* fr-keys-files.c */
gboolean  _fr_keys_write_all      (int           fd,
                                   const guint8 *data,
                                   gsize         len);
/* Reads exactly @size bytes and makes sure the file ends there. */
gboolean  _fr_keys_read_exact_file (int          fd,
                                    guint8      *buf,
                                    gsize        size,
                                    const char  *what,
                                    const char  *path,
                                    GError     **error);

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
} FrKeysNewFile;

#define FR_KEYS_NEW_FILE_INIT { NULL, NULL, NULL, -1 }

void      _fr_keys_new_file_clear  (FrKeysNewFile *nf);
gboolean  _fr_keys_new_file_open   (FrKeysNewFile *nf,
                                    const char    *path,
                                    GError       **error);
/* Writes @data, syncs, and puts the file in place. Sets *@exists if the path was taken. */
gboolean  _fr_keys_new_file_commit (FrKeysNewFile *nf,
                                    const guint8  *data,
                                    gsize          len,
                                    gboolean      *exists,
                                    GError       **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FrKeysNewFile, _fr_keys_new_file_clear)

G_END_DECLS
