/* fr-followup.h — a record's follow-up (case data), sealed to the staff key
 *
 * Kept by fristad-inbox beside the envelope, as ID.follow in the inbox directory (0600,
 * written to ID.follow.part and renamed). Never sent to the queue. The header *is* the file
 * format (intake/KEYS.md "Follow-up file"); all integers little-endian:
 *
 *   magic        8   "FRSTFUP" then 0x01 (format version)
 *   algorithm    4   u32 = 1: key = crypto_kdf_derive_from_key(32, FR_FOLLOWUP_KDF_ID,
 *                    "frfollow", recipient_sk); XChaCha20-Poly1305-IETF
 *                    (crypto_aead_xchacha20poly1305_ietf) with the 56-byte header as
 *                    additional data
 *   record_id   16   the record this follows up (binds the file to its name)
 *   nonce       24   random
 *   ct_len       4   u32, length of the ciphertext (plaintext + 16), checked against the
 *                    file size and FR_FOLLOWUP_MAX_CT before any crypto
 *   ciphertext  ct_len
 *
 * Plaintext (also checked field by field after it opens):
 *   status            1   FrFollowupStatus, 0..4
 *   first_contact     4   u32, GDate Julian day of the first contact, 0 = not yet
 *   reflection_start  4   u32, Julian day the 30-day reflection period starts, 0 = none
 *   updated_at        8   u64, Unix seconds of the last save
 *   notes_len         2   u16, 0..FR_FOLLOWUP_NOTES_MAX
 *   notes             notes_len bytes of UTF-8, no NUL
 */
#pragma once

#include <glib.h>

#include "fr-record.h"
#include "fr-keys.h"
#include "fr-secret.h"

G_BEGIN_DECLS

#define FR_FOLLOWUP_EXT              ".follow"
#define FR_FOLLOWUP_MAGIC            "FRSTFUP\x01"
#define FR_FOLLOWUP_MAGIC_SIZE       8
#define FR_FOLLOWUP_ALG_KDF_XCHACHA  1
#define FR_FOLLOWUP_KDF_ID           2          /* the roster's MAC key is subkey 1 */
#define FR_FOLLOWUP_KDF_CONTEXT      "frfollow"
#define FR_FOLLOWUP_NONCE_SIZE       24
#define FR_FOLLOWUP_MAC_SIZE         16
#define FR_FOLLOWUP_HEADER_SIZE      (8 + 4 + 16 + 24 + 4)
#define FR_FOLLOWUP_PLAIN_FIXED      (1 + 4 + 4 + 8 + 2)
#define FR_FOLLOWUP_NOTES_MAX        4000       /* bytes: short notes, not a case file */
#define FR_FOLLOWUP_MAX_CT           (FR_FOLLOWUP_PLAIN_FIXED + FR_FOLLOWUP_NOTES_MAX + FR_FOLLOWUP_MAC_SIZE)
#define FR_FOLLOWUP_MAX_FILE         (FR_FOLLOWUP_HEADER_SIZE + FR_FOLLOWUP_MAX_CT)
#define FR_FOLLOWUP_REFLECTION_DAYS  30

G_STATIC_ASSERT (FR_FOLLOWUP_HEADER_SIZE == 56);

/* The local way of working, in order. */
typedef enum
{
  FR_FOLLOWUP_NEW = 0,
  FR_FOLLOWUP_CONTACTED,
  FR_FOLLOWUP_IN_SUPPORT,
  FR_FOLLOWUP_FOLLOW_UP,
  FR_FOLLOWUP_CLOSED,
  FR_FOLLOWUP_N_STATUS,
} FrFollowupStatus;

typedef struct
{
  guint8            record_id[FR_RECORD_ID_SIZE];
  FrFollowupStatus  status;
  guint32           first_contact;      /* Julian day, 0 = not set */
  guint32           reflection_start;   /* Julian day, 0 = not set */
  gint64            updated_at;
  FrSecret         *notes;              /* UTF-8, guarded memory; never NULL */
} FrFollowup;

FrFollowup  *fr_followup_new                (const guint8       record_id[FR_RECORD_ID_SIZE]);
void         fr_followup_free               (FrFollowup        *followup);
gboolean     fr_followup_set_notes          (FrFollowup        *followup,
                                             const char        *notes,
                                             gsize              len,
                                             GError           **error);

/* ID.follow in @inbox: a new follow-up (status new, nothing set) when there is none. */
FrFollowup  *fr_followup_load               (const char        *inbox,
                                             const char        *id,
                                             const FrStaffKey  *key,
                                             GError           **error);
gboolean     fr_followup_save               (const char        *inbox,
                                             FrFollowup        *followup,
                                             const FrStaffKey  *key,
                                             GError           **error);

/* "new", "contacted", "in-support", "follow-up", "closed" (stable, not translated). */
const char  *fr_followup_status_name        (FrFollowupStatus   status);
/* Days left of the reflection period on Julian day @today: FR_FOLLOWUP_REFLECTION_DAYS on
 * its first day, 0 once it is over; -1 when no start is set. */
int          fr_followup_reflection_left    (const FrFollowup  *followup,
                                             guint32            today);
guint32      fr_followup_today              (void);
/* "YYYY-MM-DD" (strict) to a Julian day; "" is 0 (not set). */
gboolean     fr_followup_parse_date         (const char        *text,
                                             guint32           *julian,
                                             GError           **error);
char        *fr_followup_format_date        (guint32            julian);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrFollowup, fr_followup_free)

G_END_DECLS
