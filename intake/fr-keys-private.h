/* fr-keys-private.h — key file layouts and the steps of loading them, for tests and fuzzing
 *
 * Staff secret key file (intake/KEYS.md), 180 bytes, integers little-endian:
 *
 *   magic 8 "FRSTKEY" 0x01 | alg u32 = 1 | opslimit u64 | memlimit u64 | salt 16 | nonce 24
 *   | crypto_secretbox_easy (recipient_sk 32 | reader_sk 64) 112
 *
 * Kiosk signing key file, 72 bytes: magic 8 "FRSTKSK" 0x01 | Ed25519 secret key 64.
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

G_END_DECLS
