/* fr-roster-private.h — the steps of reading a kiosk roster, for tests and fuzzing */
#pragma once

#include <glib.h>

#include "fr-roster.h"
#include "fr-secret.h"

G_BEGIN_DECLS

#define FR_ROSTER_KDF_CONTEXT  "frroster"   /* crypto_kdf context, 8 bytes */
#define FR_ROSTER_KDF_ID       1
#define FR_ROSTER_MAC_DOMAIN   "fristad-roster v1\n"

/* The roster MAC key (32 bytes, guarded memory), derived from the recipient secret key. */
FrSecret *_fr_roster_derive_key (const FrStaffKey *key);
/* Checks and decodes the bytes of a roster file: structure, then the MAC, then the lines.
 * @name names the file in error messages. */
FrRoster *_fr_roster_decode     (const guint8     *data,
                                 gsize             len,
                                 const FrSecret   *mac_key,
                                 const char       *name,
                                 GError          **error);
/* The whole file (lines and MAC line) for @roster. */
char     *_fr_roster_encode     (const FrRoster   *roster,
                                 const FrSecret   *mac_key,
                                 gsize            *len);

G_END_DECLS
