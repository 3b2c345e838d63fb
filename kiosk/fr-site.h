/* fr-site.h — one city's site configuration (kiosk.conf, see kiosk/SITE.md) */
#pragma once

#include <glib.h>

#include "fr-intake.h"

G_BEGIN_DECLS

#define FR_SITE_DEFAULT_CONFIG       "/etc/fristad/kiosk.conf"
#define FR_SITE_DEFAULT_STATE_DIR    "/var/lib/fristad"
#define FR_SITE_DEFAULT_IDLE_TIMEOUT 90
#define FR_SITE_MIN_IDLE_TIMEOUT     30
#define FR_SITE_MAX_IDLE_TIMEOUT     600
#define FR_SITE_MAX_CONFIG_SIZE      (256 * 1024)
/* The longest voice message a person can record ([kiosk] voice-max-seconds). */
#define FR_SITE_DEFAULT_VOICE_MAX    180
#define FR_SITE_MIN_VOICE_MAX        10
#define FR_SITE_MAX_VOICE_MAX        600
/* Assisted and maintenance PINs: digits only, this many (see kiosk/SITE.md). */
#define FR_SITE_PIN_MIN_DIGITS       6
#define FR_SITE_PIN_MAX_DIGITS       12
/* A PIN hash costs at least libsodium's interactive limits (crypto_pwhash_*_INTERACTIVE:
 * t=2, m=64 MiB) and at most what a kiosk can afford on every try. */
#define FR_SITE_PIN_HASH_MAX_OPSLIMIT 16
#define FR_SITE_PIN_HASH_MAX_MEMLIMIT (1024 * 1024 * 1024)

typedef struct
{
  char  *id;          /* the group name after "contact " */
  char  *phone;
  char **languages;   /* spoken languages, may be NULL */
  char **tiles;       /* "help-now", "talk"; may be NULL */
} FrContact;

typedef struct
{
  char       *path;            /* kiosk.conf, absolute */
  char       *dir;             /* its directory */
  char       *id;
  char       *name;            /* the municipality's name as people read it ({site} in content) */
  char      **languages;       /* offered, in order */
  char       *state_dir;       /* absolute */
  char       *content_dir;     /* absolute; may not exist */
  char       *queue_url;
  char       *queue_ca;        /* absolute, NULL for http:// on loopback */
  guint       n_recipients;
  guint8      recipients[FR_ENVELOPE_MAX_RECIPIENTS][FR_KEY_SIZE];
  guint       idle_timeout;    /* seconds */
  char       *assisted_pin;    /* crypto_pwhash_str hash, or NULL */
  char       *maintenance_pin; /* crypto_pwhash_str hash, or NULL */
  GPtrArray  *contacts;        /* FrContact, in file order */
  GKeyFile   *keyfile;         /* for localized names, hours and notes */
  gboolean    on_screen_keyboard; /* [kiosk] on-screen-keyboard=always (TRUE, default) or never */
  guint       voice_max_seconds;  /* [kiosk] voice-max-seconds, FR_SITE_DEFAULT_VOICE_MAX */
  gboolean    headphones_first;   /* [kiosk] read-aloud=headphones (TRUE) or anywhere (default) */
} FrSite;

FrSite     *fr_site_load              (const char       *path,
                                       GError          **error);
void        fr_site_free              (FrSite           *site);
const char *fr_site_shipped_content_dir (void);
const char *fr_site_shipped_locale_dir  (void);
char       *fr_site_get_name          (const FrSite     *site,
                                       const char       *language);
char       *fr_site_contact_text      (const FrSite     *site,
                                       const FrContact  *contact,
                                       const char       *key,
                                       const char       *language);
gboolean    fr_site_check_pin         (const char       *hash,
                                       const char       *pin,
                                       gsize             pin_len);
char       *fr_site_hash_pin          (const char       *pin,
                                       gsize             pin_len,
                                       GError          **error);
gboolean    fr_site_pin_is_well_formed (const char      *pin,
                                       gsize             pin_len);
gboolean    fr_site_check_pin_hash    (const char       *hash,
                                       GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrSite, fr_site_free)

G_END_DECLS
