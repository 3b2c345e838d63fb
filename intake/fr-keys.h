/* fr-keys.h — key ids, key strings, the staff secret key file and the kiosk signing key
 *
 * Key strings: "fristad-recipient:B64" (X25519), "fristad-kiosk:B64" (Ed25519, signs
 * envelopes), "fristad-reader:B64" (Ed25519, signs staff requests); B64 is RFC 4648 base64
 * with padding of the 32-byte public key. The file formats are in intake/KEYS.md.
 */
#pragma once

#include <glib.h>

#include "fr-secret.h"

G_BEGIN_DECLS

#define FR_KEY_SIZE         32
#define FR_KID_SIZE         8
#define FR_SIGN_SECRET_SIZE 64
#define FR_KID_HEX_LEN      16

typedef enum
{
  FR_KEY_KIND_RECIPIENT,
  FR_KEY_KIND_KIOSK,
  FR_KEY_KIND_READER,
} FrKeyKind;

/* Always allocated in guarded memory (sodium_malloc); free with the matching _free. */
typedef struct
{
  guint8 recipient_pk[FR_KEY_SIZE];
  guint8 recipient_sk[FR_KEY_SIZE];
  guint8 reader_pk[FR_KEY_SIZE];
  guint8 reader_sk[FR_SIGN_SECRET_SIZE];
} FrStaffKey;

typedef struct
{
  guint8 pk[FR_KEY_SIZE];
  guint8 sk[FR_SIGN_SECRET_SIZE];
} FrKioskKey;

void        fr_kid_compute              (const guint8        pk[FR_KEY_SIZE],
                                         guint8              kid[FR_KID_SIZE]);
void        fr_kid_to_hex               (const guint8        kid[FR_KID_SIZE],
                                         char                out[FR_KID_HEX_LEN + 1]);
gboolean    fr_kid_from_hex             (const char         *hex,
                                         guint8              kid[FR_KID_SIZE]);

gboolean    fr_key_string_parse         (const char         *str,
                                         FrKeyKind           kind,
                                         guint8              pk[FR_KEY_SIZE],
                                         GError            **error);
char       *fr_key_string_format        (FrKeyKind           kind,
                                         const guint8        pk[FR_KEY_SIZE]);
char       *fr_key_fingerprint          (const guint8        pk[FR_KEY_SIZE]);

FrStaffKey *fr_staff_key_generate       (void);
gboolean    fr_staff_key_save           (const FrStaffKey   *key,
                                         const char         *path,
                                         const FrSecret     *passphrase,
                                         GError            **error);
FrStaffKey *fr_staff_key_load           (const char         *path,
                                         const FrSecret     *passphrase,
                                         GError            **error);
FrStaffKey *fr_staff_key_copy           (const FrStaffKey   *key);
void        fr_staff_key_free           (FrStaffKey         *key);

FrKioskKey *fr_kiosk_key_generate       (void);
FrKioskKey *fr_kiosk_key_load_or_create (const char         *state_dir,
                                         GError            **error);
void        fr_kiosk_key_free           (FrKioskKey         *key);

FrSecret   *fr_passphrase_read          (const char         *prompt,
                                         const char         *passphrase_file,
                                         gboolean            confirm,
                                         GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrStaffKey, fr_staff_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrKioskKey, fr_kiosk_key_free)

G_END_DECLS
