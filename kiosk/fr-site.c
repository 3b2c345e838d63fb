/* fr-site.c — strict loading of kiosk.conf
 *
 * Every group and key is known; anything unknown, missing or out of range is an error
 * that names the file, the group and the key. See kiosk/SITE.md.
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "fr-config-error.h"
#include "fr-site.h"

#define CONTACT_PREFIX "contact "

static const char * const site_keys[] = { "id", "name", "languages", "state-dir", "content-dir", NULL };
static const char * const queue_keys[] = { "url", "ca", NULL };
static const char * const recipients_keys[] = { "keys", NULL };
static const char * const kiosk_keys[] = { "idle-timeout", "assisted-pin", "maintenance-pin", "on-screen-keyboard",
                                                  "voice-max-seconds", "read-aloud", NULL };
static const char * const contact_keys[] = { "name", "phone", "hours", "note", "languages", "tiles", NULL };
static const char * const known_tiles[] = { "help-now", "talk", NULL };

static void
contact_free (gpointer data)
{
  FrContact *contact = data;

  g_free (contact->id);
  g_free (contact->phone);
  g_strfreev (contact->languages);
  g_strfreev (contact->tiles);
  g_free (contact);
}

void
fr_site_free (FrSite *site)
{
  if (site == NULL)
    return;
  g_free (site->path);
  g_free (site->dir);
  g_free (site->id);
  g_free (site->name);
  g_strfreev (site->languages);
  g_free (site->state_dir);
  g_free (site->content_dir);
  g_free (site->queue_url);
  g_free (site->queue_ca);
  g_free (site->assisted_pin);
  g_free (site->maintenance_pin);
  g_clear_pointer (&site->contacts, g_ptr_array_unref);
  g_clear_pointer (&site->keyfile, g_key_file_unref);
  g_free (site);
}

/* Base name of a localized key: "name[sv]" → "name". */
static char *
key_base (const char *key)
{
  const char *bracket = strchr (key, '[');

  return bracket ? g_strndup (key, bracket - key) : g_strdup (key);
}

static gboolean
check_keys (FrSite             *site,
            const char         *group,
            const char * const *allowed,
            gboolean            localizable,
            GError            **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (site->keyfile, group, NULL, NULL);

  for (guint i = 0; keys && keys[i]; i++)
    {
      g_autofree char *base = key_base (keys[i]);

      if (!g_strv_contains (allowed, base))
        return fr_config_error (error, site->path, "[%s] has an unknown key \"%s\"", group, keys[i]);
      if (strchr (keys[i], '[') && (!localizable || !(g_str_equal (base, "name") || g_str_equal (base, "hours")
                                                        || g_str_equal (base, "note"))))
        return fr_config_error (error, site->path, "[%s] key \"%s\" cannot be localized", group, keys[i]);
    }
  return TRUE;
}

static char *
get_string (FrSite      *site,
            const char  *group,
            const char  *key,
            gboolean     required,
            GError     **error)
{
  g_autoptr(GError) local = NULL;
  char *value = g_key_file_get_string (site->keyfile, group, key, &local);

  if (value == NULL)
    {
      if (required)
        fr_config_error (error, site->path, "[%s] %s is missing", group, key);
      return NULL;
    }
  g_strstrip (value);
  if (*value == '\0')
    {
      g_free (value);
      if (required)
        fr_config_error (error, site->path, "[%s] %s is empty", group, key);
      return NULL;
    }
  return value;
}

static gboolean
valid_site_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > 64)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

/* Language codes as gettext names them: "sv", "zh_CN", "pt_BR". */
static gboolean
valid_language (const char *code)
{
  gsize n = 0;

  while (g_ascii_islower (code[n]))
    n++;
  if (n < 2 || n > 3)
    return FALSE;
  if (code[n] == '\0')
    return TRUE;
  if (code[n] != '_' || !g_ascii_isupper (code[n + 1]) || !g_ascii_isupper (code[n + 2]) || code[n + 3] != '\0')
    return FALSE;
  return TRUE;
}

static gboolean
valid_phone (const char *phone)
{
  guint digits = 0;

  for (const char *p = phone; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p != ' ' && *p != '-' && !(*p == '+' && p == phone))
        return FALSE;
    }
  return digits >= 2 && digits <= 20;
}

static char *
resolve_path (const FrSite *site,
              const char   *path)
{
  if (g_path_is_absolute (path))
    return g_canonicalize_filename (path, NULL);
  return g_canonicalize_filename (path, site->dir);
}

static gboolean
load_site_group (FrSite  *site,
                 GError **error)
{
  g_autofree char *state_dir = NULL;
  g_autofree char *content_dir = NULL;
  gsize n_languages = 0;

  if (!g_key_file_has_group (site->keyfile, "site"))
    return fr_config_error (error, site->path, "the [site] group is missing");
  if (!check_keys (site, "site", site_keys, TRUE, error))
    return FALSE;

  site->id = get_string (site, "site", "id", TRUE, error);
  if (site->id == NULL)
    return FALSE;
  if (!valid_site_id (site->id))
    return fr_config_error (error, site->path, "[site] id must be 1-64 of A-Z a-z 0-9 . _ -");
  site->name = get_string (site, "site", "name", TRUE, error);
  if (site->name == NULL)
    return FALSE;

  site->languages = g_key_file_get_string_list (site->keyfile, "site", "languages", &n_languages, NULL);
  if (site->languages == NULL || n_languages == 0)
    return fr_config_error (error, site->path, "[site] languages is missing: list at least one language");
  for (gsize i = 0; i < n_languages; i++)
    {
      g_strstrip (site->languages[i]);
      if (!valid_language (site->languages[i]))
        return fr_config_error (error, site->path, "[site] languages: \"%s\" is not a language code like sv or zh_CN",
                                site->languages[i]);
      for (gsize j = 0; j < i; j++)
        if (g_str_equal (site->languages[i], site->languages[j]))
          return fr_config_error (error, site->path, "[site] languages lists \"%s\" twice", site->languages[i]);
    }

  state_dir = get_string (site, "site", "state-dir", FALSE, NULL);
  site->state_dir = resolve_path (site, state_dir ? state_dir : FR_SITE_DEFAULT_STATE_DIR);
  content_dir = get_string (site, "site", "content-dir", FALSE, NULL);
  site->content_dir = resolve_path (site, content_dir ? content_dir : "content");
  return TRUE;
}

static gboolean
load_queue_group (FrSite  *site,
                  GError **error)
{
  g_autofree char *ca = NULL;
  g_autoptr(GError) local = NULL;

  if (!g_key_file_has_group (site->keyfile, "queue"))
    return fr_config_error (error, site->path, "the [queue] group is missing");
  if (!check_keys (site, "queue", queue_keys, FALSE, error))
    return FALSE;
  site->queue_url = get_string (site, "queue", "url", TRUE, error);
  if (site->queue_url == NULL)
    return FALSE;
  ca = get_string (site, "queue", "ca", FALSE, NULL);
  if (ca != NULL)
    {
      site->queue_ca = resolve_path (site, ca);
      if (!g_file_test (site->queue_ca, G_FILE_TEST_IS_REGULAR))
        return fr_config_error (error, site->path, "[queue] ca: %s does not exist", site->queue_ca);
    }
  if (!fr_http_check_url (site->queue_url, site->queue_ca, &local))
    return fr_config_error (error, site->path, "[queue] %s", local->message);
  return TRUE;
}

static gboolean
load_recipients_group (FrSite  *site,
                       GError **error)
{
  g_auto(GStrv) keys = NULL;
  gsize n = 0;

  if (!g_key_file_has_group (site->keyfile, "recipients"))
    return fr_config_error (error, site->path, "the [recipients] group is missing");
  if (!check_keys (site, "recipients", recipients_keys, FALSE, error))
    return FALSE;
  keys = g_key_file_get_string_list (site->keyfile, "recipients", "keys", &n, NULL);
  if (keys == NULL || n == 0)
    return fr_config_error (error, site->path, "[recipients] keys is missing: records need at least one staff key");
  if (n > FR_ENVELOPE_MAX_RECIPIENTS)
    return fr_config_error (error, site->path, "[recipients] keys lists %" G_GSIZE_FORMAT " keys; at most %d are allowed",
                            n, FR_ENVELOPE_MAX_RECIPIENTS);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GError) local = NULL;

      g_strstrip (keys[i]);
      if (!fr_key_string_parse (keys[i], FR_KEY_KIND_RECIPIENT, site->recipients[i], &local))
        return fr_config_error (error, site->path, "[recipients] key %" G_GSIZE_FORMAT ": %s", i + 1, local->message);
      for (gsize j = 0; j < i; j++)
        if (memcmp (site->recipients[i], site->recipients[j], FR_KEY_SIZE) == 0)
          return fr_config_error (error, site->path, "[recipients] key %" G_GSIZE_FORMAT " is listed twice", i + 1);
    }
  site->n_recipients = n;
  return TRUE;
}

static gboolean
load_kiosk_group (FrSite  *site,
                  GError **error)
{
  site->idle_timeout = FR_SITE_DEFAULT_IDLE_TIMEOUT;
  site->on_screen_keyboard = TRUE;
  site->voice_max_seconds = FR_SITE_DEFAULT_VOICE_MAX;
  site->headphones_first = FALSE;
  if (!g_key_file_has_group (site->keyfile, "kiosk"))
    return TRUE;
  if (!check_keys (site, "kiosk", kiosk_keys, FALSE, error))
    return FALSE;

  if (g_key_file_has_key (site->keyfile, "kiosk", "idle-timeout", NULL))
    {
      g_autofree char *text = get_string (site, "kiosk", "idle-timeout", TRUE, error);
      guint64 value = 0;

      if (text == NULL)
        return FALSE;
      if (!g_ascii_string_to_unsigned (text, 10, FR_SITE_MIN_IDLE_TIMEOUT, FR_SITE_MAX_IDLE_TIMEOUT, &value, NULL))
        return fr_config_error (error, site->path, "[kiosk] idle-timeout must be %d to %d seconds",
                                FR_SITE_MIN_IDLE_TIMEOUT, FR_SITE_MAX_IDLE_TIMEOUT);
      site->idle_timeout = value;
    }

  if (g_key_file_has_key (site->keyfile, "kiosk", "on-screen-keyboard", NULL))
    {
      g_autofree char *text = get_string (site, "kiosk", "on-screen-keyboard", TRUE, error);

      if (text == NULL)
        return FALSE;
      if (!g_str_equal (text, "always") && !g_str_equal (text, "never"))
        return fr_config_error (error, site->path, "[kiosk] on-screen-keyboard must be always or never");
      site->on_screen_keyboard = g_str_equal (text, "always");
    }

  if (g_key_file_has_key (site->keyfile, "kiosk", "voice-max-seconds", NULL))
    {
      g_autofree char *text = get_string (site, "kiosk", "voice-max-seconds", TRUE, error);
      guint64 value = 0;

      if (text == NULL)
        return FALSE;
      if (!g_ascii_string_to_unsigned (text, 10, FR_SITE_MIN_VOICE_MAX, FR_SITE_MAX_VOICE_MAX, &value, NULL))
        return fr_config_error (error, site->path, "[kiosk] voice-max-seconds must be %d to %d seconds",
                             FR_SITE_MIN_VOICE_MAX, FR_SITE_MAX_VOICE_MAX);
      site->voice_max_seconds = value;
    }

  if (g_key_file_has_key (site->keyfile, "kiosk", "read-aloud", NULL))
    {
      g_autofree char *text = get_string (site, "kiosk", "read-aloud", TRUE, error);

      if (text == NULL)
        return FALSE;
      if (!g_str_equal (text, "anywhere") && !g_str_equal (text, "headphones"))
        return fr_config_error (error, site->path, "[kiosk] read-aloud must be anywhere or headphones");
      site->headphones_first = g_str_equal (text, "headphones");
    }

  site->assisted_pin = get_string (site, "kiosk", "assisted-pin", FALSE, NULL);
  site->maintenance_pin = get_string (site, "kiosk", "maintenance-pin", FALSE, NULL);
  for (guint i = 0; i < 2; i++)
    {
      const char *key = i == 0 ? "assisted-pin" : "maintenance-pin";
      const char *hash = i == 0 ? site->assisted_pin : site->maintenance_pin;
      g_autoptr(GError) local = NULL;

      if (hash != NULL && !fr_site_check_pin_hash (hash, &local))
        return fr_config_error (error, site->path, "[kiosk] %s %s", key, local->message);
    }
  return TRUE;
}

static gboolean
load_contact (FrSite      *site,
              const char  *group,
              GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *name = NULL;
  FrContact *contact;
  const char *id = group + strlen (CONTACT_PREFIX);

  if (!valid_site_id (id))
    return fr_config_error (error, site->path, "[%s]: a contact id is 1-64 of A-Z a-z 0-9 . _ -", group);
  for (guint i = 0; i < site->contacts->len; i++)
    if (g_str_equal (((FrContact *) g_ptr_array_index (site->contacts, i))->id, id))
      return fr_config_error (error, site->path, "[%s] appears twice", group);
  if (!check_keys (site, group, contact_keys, TRUE, error))
    return FALSE;
  name = get_string (site, group, "name", TRUE, error);
  if (name == NULL)
    return FALSE;

  contact = g_new0 (FrContact, 1);
  g_ptr_array_add (site->contacts, contact);
  contact->id = g_strdup (id);
  contact->phone = get_string (site, group, "phone", TRUE, error);
  if (contact->phone == NULL)
    return FALSE;
  if (!valid_phone (contact->phone))
    return fr_config_error (error, site->path, "[%s] phone \"%s\" is not a phone number (digits, spaces, - and a leading +)",
                            group, contact->phone);
  contact->languages = g_key_file_get_string_list (site->keyfile, group, "languages", NULL, NULL);
  for (guint i = 0; contact->languages && contact->languages[i]; i++)
    if (!valid_language (g_strstrip (contact->languages[i])))
      return fr_config_error (error, site->path, "[%s] languages: \"%s\" is not a language code", group, contact->languages[i]);
  contact->tiles = g_key_file_get_string_list (site->keyfile, group, "tiles", NULL, NULL);
  for (guint i = 0; contact->tiles && contact->tiles[i]; i++)
    if (!g_strv_contains (known_tiles, g_strstrip (contact->tiles[i])))
      return fr_config_error (error, site->path, "[%s] tiles: \"%s\" is not one of help-now, talk", group, contact->tiles[i]);
  return TRUE;
}

/* GKeyFile merges a repeated group and keeps the last of a repeated key without a word;
 * a config where one line silently overrides another is refused instead. */
static gboolean
check_repeats (FrSite      *site,
               const char  *contents,
               GError     **error)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  g_autofree char *group = NULL;

  for (guint i = 0; lines[i]; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *eq;

      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '[')
        {
          g_free (group);
          group = g_strdup (line);
          if (!g_hash_table_add (groups, g_strdup (line)))
            return fr_config_error (error, site->path, "line %u: group %s appears twice", i + 1, line);
          continue;
        }
      eq = strchr (line, '=');
      if (eq == NULL)
        continue;   /* GKeyFile reports it */
      *eq = '\0';
      g_strchomp (line);
      if (!g_hash_table_add (keys, g_strdup_printf ("%s\n%s", group ? group : "", line)))
        return fr_config_error (error, site->path, "line %u: key \"%s\" appears twice in %s", i + 1, line,
                                group ? group : "the file");
    }
  return TRUE;
}

/**
 * fr_site_load:
 * @path: kiosk.conf
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the site, or %NULL with a one-line error naming the file,
 *   group and key.
 */
FrSite *
fr_site_load (const char  *path,
              GError     **error)
{
  g_autoptr(FrSite) site = g_new0 (FrSite, 1);
  g_autoptr(GError) local = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) groups = NULL;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);

  site->path = g_canonicalize_filename (path, NULL);
  site->dir = g_path_get_dirname (site->path);
  site->contacts = g_ptr_array_new_with_free_func (contact_free);
  site->keyfile = g_key_file_new ();

  if (!g_file_get_contents (site->path, &contents, &len, &local))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "cannot read the site config: %s", local->message);
      return NULL;
    }
  if (len > FR_SITE_MAX_CONFIG_SIZE)
    {
      fr_config_error (error, site->path, "larger than %d bytes", FR_SITE_MAX_CONFIG_SIZE);
      return NULL;
    }
  if (!g_utf8_validate_len (contents, len, NULL))
    {
      fr_config_error (error, site->path, "not UTF-8 text");
      return NULL;
    }
  if (!check_repeats (site, contents, error))
    return NULL;
  if (!g_key_file_load_from_data (site->keyfile, contents, len, G_KEY_FILE_KEEP_TRANSLATIONS, &local))
    {
      fr_config_error (error, site->path, "%s", local->message);
      return NULL;
    }

  groups = g_key_file_get_groups (site->keyfile, NULL);
  for (guint i = 0; groups[i]; i++)
    {
      if (g_str_has_prefix (groups[i], CONTACT_PREFIX))
        {
          if (!load_contact (site, groups[i], error))
            return NULL;
        }
      else if (!g_str_equal (groups[i], "site") && !g_str_equal (groups[i], "queue")
               && !g_str_equal (groups[i], "recipients") && !g_str_equal (groups[i], "kiosk"))
        {
          fr_config_error (error, site->path, "unknown group [%s]", groups[i]);
          return NULL;
        }
    }

  if (!load_site_group (site, error) || !load_queue_group (site, error)
      || !load_recipients_group (site, error) || !load_kiosk_group (site, error))
    return NULL;

  return g_steal_pointer (&site);
}

/**
 * fr_site_contact_text:
 * @site: the site
 * @contact: one of its contacts
 * @key: "name", "hours" or "note"
 * @language: (nullable): a language code like "th" or "zh_CN"
 *
 * Returns: (transfer full) (nullable): the text in @language, falling back to the
 *   untranslated value, or %NULL if the contact has no such key.
 */
char *
fr_site_contact_text (const FrSite    *site,
                      const FrContact *contact,
                      const char      *key,
                      const char      *language)
{
  g_autofree char *group = g_strconcat (CONTACT_PREFIX, contact->id, NULL);
  char *value = NULL;

  if (language != NULL)
    value = g_key_file_get_locale_string (site->keyfile, group, key, language, NULL);
  if (value == NULL)
    value = g_key_file_get_string (site->keyfile, group, key, NULL);
  return value;
}

/* Whether this process runs from the build tree it was built in (the README's demo, the
 * tests): its executable lies under the build root meson configured. An installed kiosk
 * never does, and then uses only the installed paths. */
static gboolean
running_uninstalled (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  return exe != NULL && g_str_has_prefix (exe, FRISTAD_BUILD_ROOT "/");
}

/**
 * fr_site_shipped_content_dir:
 *
 * Where the shipped content is: $FRISTAD_CONTENT_DIR if set; the source tree's
 * i18n/content when running from the build tree; else the installed copy (or, if none is
 * installed, the source tree's).
 */
const char *
fr_site_shipped_content_dir (void)
{
  const char *env = g_getenv ("FRISTAD_CONTENT_DIR");

  if (env != NULL && *env != '\0')
    return env;
  if (!running_uninstalled () && g_file_test (FRISTAD_CONTENT_DIR "/content.ini", G_FILE_TEST_IS_REGULAR))
    return FRISTAD_CONTENT_DIR;
  return FRISTAD_SOURCE_CONTENT_DIR;
}

/**
 * fr_site_shipped_locale_dir:
 *
 * Where the interface catalogues (LANG/LC_MESSAGES/fristad.mo) are: $FRISTAD_LOCALEDIR if
 * set; the build tree's i18n/po when running from the build tree; else LOCALEDIR.
 */
const char *
fr_site_shipped_locale_dir (void)
{
  const char *env = g_getenv ("FRISTAD_LOCALEDIR");

  if (env != NULL && *env != '\0')
    return env;
  if (running_uninstalled ())
    return FRISTAD_BUILD_LOCALEDIR;
  return LOCALEDIR;
}

/**
 * fr_site_get_name:
 * @site: the site
 * @language: (nullable): a language code like "th" or "zh_CN"
 *
 * Returns: (transfer full): the municipality's name in @language ([site] name[LANG]),
 *   or the untranslated name.
 */
char *
fr_site_get_name (const FrSite *site,
                  const char   *language)
{
  char *value = NULL;

  if (language != NULL)
    value = g_key_file_get_locale_string (site->keyfile, "site", "name", language, NULL);
  return value ? value : g_strdup (site->name);
}

/* Constant-time check of a PIN against its Argon2id hash. */
gboolean
fr_site_check_pin (const char *hash,
                   const char *pin,
                   gsize       pin_len)
{
  if (hash == NULL || !fr_site_pin_is_well_formed (pin, pin_len))
    return FALSE;
  return crypto_pwhash_str_verify (hash, pin, pin_len) == 0;
}

char *
fr_site_hash_pin (const char  *pin,
                  gsize        pin_len,
                  GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (!fr_site_pin_is_well_formed (pin, pin_len))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "a PIN is %d to %d digits (0-9), nothing else",
                   FR_SITE_PIN_MIN_DIGITS, FR_SITE_PIN_MAX_DIGITS);
      return NULL;
    }
  if (crypto_pwhash_str_alg (hash, pin, pin_len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_IO, "out of memory while hashing the PIN");
      return NULL;
    }
  return g_strdup (hash);
}

/**
 * fr_site_pin_is_well_formed:
 *
 * Returns: whether @pin is FR_SITE_PIN_MIN_DIGITS to FR_SITE_PIN_MAX_DIGITS digits 0-9.
 * Says nothing about which digits (it is safe to call before any hashing).
 */
gboolean
fr_site_pin_is_well_formed (const char *pin,
                            gsize       pin_len)
{
  if (pin == NULL || pin_len < FR_SITE_PIN_MIN_DIGITS || pin_len > FR_SITE_PIN_MAX_DIGITS)
    return FALSE;
  for (gsize i = 0; i < pin_len; i++)
    if (pin[i] < '0' || pin[i] > '9')
      return FALSE;
  return TRUE;
}

/* A decimal number without sign or leading zero, at most 10 digits; advances *p past it. */
static gboolean
parse_hash_number (const char **p,
                   guint64     *value)
{
  const char *s = *p;
  gsize n = 0;

  *value = 0;
  while (s[n] >= '0' && s[n] <= '9' && n <= 10)
    *value = *value * 10 + (guint64) (s[n++] - '0');
  if (n == 0 || n > 10 || (n > 1 && s[0] == '0'))
    return FALSE;
  *p = s + n;
  return TRUE;
}

/* @n characters of unpadded standard base64 (what crypto_pwhash_str writes); advances *p. */
static gboolean
skip_hash_base64 (const char **p,
                  gsize        n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum ((*p)[i]) && (*p)[i] != '+' && (*p)[i] != '/')
      return FALSE;
  *p += n;
  return TRUE;
}

/* crypto_pwhash_str writes a 16-byte salt and a 32-byte hash: 22 and 43 base64 characters. */
#define PIN_HASH_SALT_CHARS 22
#define PIN_HASH_HASH_CHARS 43

/**
 * fr_site_check_pin_hash:
 * @hash: a kiosk.conf assisted-pin or maintenance-pin value
 * @error: FR_ERROR_CONFIG, the message starts with a verb phrase ("must be …", "is …")
 *
 * Parses @hash strictly as crypto_pwhash_str writes it,
 * `$argon2id$v=19$m=KIB,t=PASSES,p=1$SALT$HASH`, and refuses parameters weaker than
 * libsodium's interactive limits (m ≥ 65536 KiB, t ≥ 2) or costlier than a kiosk can
 * spend on every try (m ≤ 1 GiB, t ≤ 16).
 *
 * Returns: whether the hash can be used
 */
gboolean
fr_site_check_pin_hash (const char  *hash,
                        GError     **error)
{
  static const char prefix[] = "$argon2id$v=19$m=";
  const char *p = hash;
  guint64 m = 0, t = 0, lanes = 0;

  g_return_val_if_fail (hash != NULL, FALSE);

  if (strncmp (p, prefix, strlen (prefix)) != 0
      || (p += strlen (prefix), !parse_hash_number (&p, &m))
      || strncmp (p, ",t=", 3) != 0 || (p += 3, !parse_hash_number (&p, &t))
      || strncmp (p, ",p=", 3) != 0 || (p += 3, !parse_hash_number (&p, &lanes))
      || *p++ != '$' || strlen (p) != PIN_HASH_SALT_CHARS + 1 + PIN_HASH_HASH_CHARS
      || !skip_hash_base64 (&p, PIN_HASH_SALT_CHARS) || *p++ != '$'
      || !skip_hash_base64 (&p, PIN_HASH_HASH_CHARS) || *p != '\0'
      || lanes != 1
      || crypto_pwhash_str_needs_rehash (hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                         crypto_pwhash_MEMLIMIT_INTERACTIVE) < 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG,
                   "must be an Argon2id hash made by fristad-kiosk --hash-pin "
                   "($argon2id$v=19$m=…,t=…,p=1$salt$hash)");
      return FALSE;
    }
  if (m * 1024 < crypto_pwhash_MEMLIMIT_INTERACTIVE || t < crypto_pwhash_OPSLIMIT_INTERACTIVE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG,
                   "is weaker than libsodium's interactive limits (m=%" G_GUINT64_FORMAT ",t=%" G_GUINT64_FORMAT
                   "; at least m=%u,t=%u): make it again with fristad-kiosk --hash-pin",
                   m, t, (guint) (crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024), (guint) crypto_pwhash_OPSLIMIT_INTERACTIVE);
      return FALSE;
    }
  if (m * 1024 > FR_SITE_PIN_HASH_MAX_MEMLIMIT || t > FR_SITE_PIN_HASH_MAX_OPSLIMIT)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG,
                   "costs more than a kiosk can spend on every try (m=%" G_GUINT64_FORMAT ",t=%" G_GUINT64_FORMAT
                   "; at most m=%u,t=%u)", m, t, (guint) (FR_SITE_PIN_HASH_MAX_MEMLIMIT / 1024),
                   (guint) FR_SITE_PIN_HASH_MAX_OPSLIMIT);
      return FALSE;
    }
  return TRUE;
}
