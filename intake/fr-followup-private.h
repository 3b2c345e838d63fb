/* fr-followup-private.h — the steps of reading a follow-up file, for tests and fuzzing */
#pragma once

#include <glib.h>

#include "fr-followup.h"
#include "fr-secret.h"

G_BEGIN_DECLS

/* The follow-up key (32 bytes, guarded memory), derived from the recipient secret key. */
FrSecret   *_fr_followup_derive_key (const FrStaffKey *key);
/* Checks the bytes of a follow-up file for @record_id: the header and every length before
 * any crypto, then opens and checks the plaintext. */
FrFollowup *_fr_followup_decode     (const guint8     *data,
                                     gsize             len,
                                     const guint8      record_id[FR_RECORD_ID_SIZE],
                                     const FrSecret   *file_key,
                                     GError          **error);
/* The plaintext's fields, checked one by one (after it opened). */
FrFollowup *_fr_followup_parse_plain (const guint8    *plain,
                                      gsize            len,
                                      const guint8      record_id[FR_RECORD_ID_SIZE],
                                      GError         **error);
/* The whole file for @followup (a fresh random nonce each time). */
GBytes     *_fr_followup_encode     (const FrFollowup *followup,
                                     const FrSecret   *file_key);

G_END_DECLS
