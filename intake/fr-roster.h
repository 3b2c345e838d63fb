/* fr-roster.h — the staff kiosk roster: which kiosks' signatures staff accept
 *
 * The roster lives beside the staff key file, as KEYFILE.kiosks, and is authenticated with
 * a key derived from the staff recipient secret key, so a roster changed by anyone without
 * the staff key is refused when the key is unlocked. Format (intake/KEYS.md "Kiosk roster"):
 *
 *   fristad-kiosk:B64 NAME\n        0..FR_ROSTER_MAX_KIOSKS lines, NAME 1..64 of [A-Za-z0-9._-]
 *   fristad-roster-mac:B64\n        keyed BLAKE2b-256 of "fristad-roster v1\n" ‖ the lines above
 *
 * The lines without the MAC line are also what `fristad-queue export-kiosks` prints and
 * `fristad-staff kiosks import` reads.
 */
#pragma once

#include <glib.h>

#include "fr-keys.h"

G_BEGIN_DECLS

#define FR_ROSTER_SUFFIX       ".kiosks"
#define FR_ROSTER_NAME_MAX     64
#define FR_ROSTER_MAX_KIOSKS   1024
#define FR_ROSTER_KEY_PREFIX   "fristad-kiosk:"
#define FR_ROSTER_MAC_PREFIX   "fristad-roster-mac:"
#define FR_ROSTER_MAC_SIZE     32
#define FR_ROSTER_B64_LEN      44
/* "fristad-kiosk:" 14 + 44 + " " + NAME + "\n" */
#define FR_ROSTER_LINE_MAX     (14 + FR_ROSTER_B64_LEN + 1 + FR_ROSTER_NAME_MAX + 1)
/* "fristad-roster-mac:" 19 + 44 + "\n" */
#define FR_ROSTER_MAC_LINE_LEN (19 + FR_ROSTER_B64_LEN + 1)
#define FR_ROSTER_MAX_FILE     (FR_ROSTER_MAX_KIOSKS * FR_ROSTER_LINE_MAX + FR_ROSTER_MAC_LINE_LEN)

typedef struct
{
  char   name[FR_ROSTER_NAME_MAX + 1];
  guint8 pk[FR_KEY_SIZE];
  guint8 kid[FR_KID_SIZE];
} FrRosterEntry;

typedef struct _FrRoster FrRoster;

FrRoster            *fr_roster_new            (void);
void                 fr_roster_free           (FrRoster            *roster);
char                *fr_roster_path_for_key   (const char          *key_path);

FrRoster            *fr_roster_load           (const char          *path,
                                               const FrStaffKey    *key,
                                               GError             **error);
gboolean             fr_roster_save           (const FrRoster      *roster,
                                               const char          *path,
                                               const FrStaffKey    *key,
                                               GError             **error);
FrRoster            *fr_roster_parse_list     (const char          *data,
                                               gsize                len,
                                               const char          *name,
                                               GError             **error);
char                *fr_roster_format_list    (const FrRoster      *roster);

gboolean             fr_roster_add            (FrRoster            *roster,
                                               const char          *name,
                                               const guint8         pk[FR_KEY_SIZE],
                                               GError             **error);
gboolean             fr_roster_remove         (FrRoster            *roster,
                                               const char          *name);
guint                fr_roster_get_n_kiosks   (const FrRoster      *roster);
const FrRosterEntry *fr_roster_get_kiosk      (const FrRoster      *roster,
                                               guint                index);
const FrRosterEntry *fr_roster_find_kid       (const FrRoster      *roster,
                                               const guint8         kid[FR_KID_SIZE]);
const FrRosterEntry *fr_roster_find_name      (const FrRoster      *roster,
                                               const char          *name);

const FrRosterEntry *fr_roster_check_envelope (const FrRoster      *roster,
                                               const guint8        *data,
                                               gsize                len,
                                               GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrRoster, fr_roster_free)

G_END_DECLS
