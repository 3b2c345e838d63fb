/* fr-roster.c — the staff kiosk roster (KEYFILE.kiosks): strict reading, authenticated
 * writing, and checking an envelope's kiosk signature against it. Format: intake/KEYS.md. */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fr-envelope.h"
#include "fr-error.h"
#include "fr-queue.h"
#include "fr-roster-private.h"
#include "fr-roster.h"

G_STATIC_ASSERT (sizeof FR_ROSTER_KEY_PREFIX - 1 == 14);
G_STATIC_ASSERT (sizeof FR_ROSTER_MAC_PREFIX - 1 == 19);
G_STATIC_ASSERT (sizeof FR_ROSTER_KDF_CONTEXT - 1 == crypto_kdf_CONTEXTBYTES);
G_STATIC_ASSERT (FR_ROSTER_NAME_MAX == FR_QUEUE_NAME_MAX);
G_STATIC_ASSERT (FR_ROSTER_MAC_SIZE == crypto_generichash_BYTES);
G_STATIC_ASSERT (FR_KEY_SIZE == crypto_kdf_KEYBYTES);

struct _FrRoster
{
  GArray *kiosks;   /* FrRosterEntry, in the order they were added */
};

FrRoster *
fr_roster_new (void)
{
  FrRoster *roster = g_new0 (FrRoster, 1);

  roster->kiosks = g_array_new (FALSE, TRUE, sizeof (FrRosterEntry));
  return roster;
}

void
fr_roster_free (FrRoster *roster)
{
  if (roster == NULL)
    return;
  g_array_unref (roster->kiosks);
  g_free (roster);
}

/**
 * fr_roster_path_for_key:
 *
 * Returns: (transfer full): KEYFILE.kiosks, where the roster of that staff key lives.
 */
char *
fr_roster_path_for_key (const char *key_path)
{
  g_return_val_if_fail (key_path != NULL, NULL);
  return g_strconcat (key_path, FR_ROSTER_SUFFIX, NULL);
}

guint
fr_roster_get_n_kiosks (const FrRoster *roster)
{
  g_return_val_if_fail (roster != NULL, 0);
  return roster->kiosks->len;
}

const FrRosterEntry *
fr_roster_get_kiosk (const FrRoster *roster,
                     guint           index)
{
  g_return_val_if_fail (roster != NULL && index < roster->kiosks->len, NULL);
  return &g_array_index (roster->kiosks, FrRosterEntry, index);
}

const FrRosterEntry *
fr_roster_find_kid (const FrRoster *roster,
                    const guint8    kid[FR_KID_SIZE])
{
  g_return_val_if_fail (roster != NULL && kid != NULL, NULL);
  for (guint i = 0; i < roster->kiosks->len; i++)
    {
      const FrRosterEntry *e = &g_array_index (roster->kiosks, FrRosterEntry, i);

      if (memcmp (e->kid, kid, FR_KID_SIZE) == 0)
        return e;
    }
  return NULL;
}

const FrRosterEntry *
fr_roster_find_name (const FrRoster *roster,
                     const char     *name)
{
  g_return_val_if_fail (roster != NULL && name != NULL, NULL);
  for (guint i = 0; i < roster->kiosks->len; i++)
    {
      const FrRosterEntry *e = &g_array_index (roster->kiosks, FrRosterEntry, i);

      if (strcmp (e->name, name) == 0)
        return e;
    }
  return NULL;
}

/**
 * fr_roster_add:
 *
 * Adds a kiosk. Refused (%FR_ERROR_BAD_KEY): a name outside the name rule, a name or a
 * key (key id) already in the roster, a full roster.
 */
gboolean
fr_roster_add (FrRoster      *roster,
               const char    *name,
               const guint8   pk[FR_KEY_SIZE],
               GError       **error)
{
  FrRosterEntry entry = { 0 };
  const FrRosterEntry *same;

  g_return_val_if_fail (roster != NULL && name != NULL && pk != NULL, FALSE);

  if (!fr_queue_name_is_valid (name))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY,
                   "a kiosk name must be 1 to %d characters of A-Z a-z 0-9 . _ -", FR_ROSTER_NAME_MAX);
      return FALSE;
    }
  if (!crypto_core_ed25519_is_valid_point (pk))
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_BAD_KEY, "not a valid fristad-kiosk: key");
      return FALSE;
    }
  if (fr_roster_find_name (roster, name) != NULL)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY, "kiosk %s is already in the roster", name);
      return FALSE;
    }
  fr_kid_compute (pk, entry.kid);
  if ((same = fr_roster_find_kid (roster, entry.kid)) != NULL)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY, "that key is already in the roster as %s", same->name);
      return FALSE;
    }
  if (roster->kiosks->len >= FR_ROSTER_MAX_KIOSKS)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY, "the roster is full (%d kiosks)", FR_ROSTER_MAX_KIOSKS);
      return FALSE;
    }
  g_strlcpy (entry.name, name, sizeof entry.name);
  memcpy (entry.pk, pk, FR_KEY_SIZE);
  g_array_append_val (roster->kiosks, entry);
  return TRUE;
}

gboolean
fr_roster_remove (FrRoster   *roster,
                  const char *name)
{
  g_return_val_if_fail (roster != NULL && name != NULL, FALSE);
  for (guint i = 0; i < roster->kiosks->len; i++)
    if (strcmp (g_array_index (roster->kiosks, FrRosterEntry, i).name, name) == 0)
      {
        g_array_remove_index (roster->kiosks, i);
        return TRUE;
      }
  return FALSE;
}

/* --- the lines ------------------------------------------------------------------------ */

/* Parses "fristad-kiosk:B64 NAME\n" lines, all of @data, strictly. */
static gboolean
parse_lines (FrRoster     *roster,
             const char   *data,
             gsize         len,
             const char   *name,
             GError      **error)
{
  gsize off = 0;
  guint line_no = 0;

  while (off < len)
    {
      const char *line = data + off;
      const char *nl = memchr (line, '\n', len - off);
      gsize line_len, name_len;
      char key[sizeof FR_ROSTER_KEY_PREFIX - 1 + FR_ROSTER_B64_LEN + 1];
      char kiosk_name[FR_ROSTER_NAME_MAX + 1];
      guint8 pk[FR_KEY_SIZE];
      g_autoptr(GError) local = NULL;

      line_no++;
      if (nl == NULL)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE, "%s: line %u does not end with a newline", name, line_no);
          return FALSE;
        }
      line_len = (gsize) (nl - line);
      if (line_len < sizeof key + 1 || line_len > FR_ROSTER_LINE_MAX - 1)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                       "%s: line %u is not 'fristad-kiosk:KEY NAME'", name, line_no);
          return FALSE;
        }
      if (memcmp (line, FR_ROSTER_KEY_PREFIX, sizeof FR_ROSTER_KEY_PREFIX - 1) != 0
          || line[sizeof key - 1] != ' ')
        {
          g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                       "%s: line %u is not 'fristad-kiosk:KEY NAME'", name, line_no);
          return FALSE;
        }
      memcpy (key, line, sizeof key - 1);
      key[sizeof key - 1] = '\0';
      name_len = line_len - sizeof key;
      memcpy (kiosk_name, line + sizeof key, name_len);
      kiosk_name[name_len] = '\0';
      if (memchr (kiosk_name, '\0', name_len) != NULL || !fr_queue_name_is_valid (kiosk_name))
        {
          g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                       "%s: line %u: the name must be 1 to %d characters of A-Z a-z 0-9 . _ -",
                       name, line_no, FR_ROSTER_NAME_MAX);
          return FALSE;
        }
      if (!fr_key_string_parse (key, FR_KEY_KIND_KIOSK, pk, &local)
          || !fr_roster_add (roster, kiosk_name, pk, &local))
        {
          g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE, "%s: line %u: %s", name, line_no, local->message);
          return FALSE;
        }
      off += line_len + 1;
    }
  return TRUE;
}

/**
 * fr_roster_parse_list:
 * @name: names the input in error messages
 *
 * Parses the unauthenticated list form (what `fristad-queue export-kiosks` prints): one
 * "fristad-kiosk:B64 NAME\n" line per kiosk, nothing else.
 */
FrRoster *
fr_roster_parse_list (const char  *data,
                      gsize        len,
                      const char  *name,
                      GError     **error)
{
  g_autoptr(FrRoster) roster = fr_roster_new ();

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  if (len > FR_ROSTER_MAX_FILE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE, "%s is too large for a kiosk list", name);
      return NULL;
    }
  if (!parse_lines (roster, data, len, name, error))
    return NULL;
  return g_steal_pointer (&roster);
}

char *
fr_roster_format_list (const FrRoster *roster)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (roster != NULL, NULL);
  for (guint i = 0; i < roster->kiosks->len; i++)
    {
      const FrRosterEntry *e = &g_array_index (roster->kiosks, FrRosterEntry, i);
      g_autofree char *key = fr_key_string_format (FR_KEY_KIND_KIOSK, e->pk);

      g_string_append_printf (out, "%s %s\n", key, e->name);
    }
  return g_string_free (out, FALSE);
}

/* --- the MAC -------------------------------------------------------------------------- */

FrSecret *
_fr_roster_derive_key (const FrStaffKey *key)
{
  FrSecret *mac_key = fr_secret_new (crypto_generichash_KEYBYTES);

  G_STATIC_ASSERT (crypto_generichash_KEYBYTES >= crypto_kdf_BYTES_MIN);
  crypto_kdf_derive_from_key (mac_key->data, mac_key->len, FR_ROSTER_KDF_ID, FR_ROSTER_KDF_CONTEXT,
                              key->recipient_sk);
  return mac_key;
}

static void
roster_mac (const FrSecret *mac_key,
            const char     *lines,
            gsize           len,
            guint8          mac[FR_ROSTER_MAC_SIZE])
{
  crypto_generichash_state state;

  crypto_generichash_init (&state, mac_key->data, mac_key->len, FR_ROSTER_MAC_SIZE);
  crypto_generichash_update (&state, (const guint8 *) FR_ROSTER_MAC_DOMAIN, sizeof FR_ROSTER_MAC_DOMAIN - 1);
  crypto_generichash_update (&state, (const guint8 *) lines, len);
  crypto_generichash_final (&state, mac, FR_ROSTER_MAC_SIZE);
  sodium_memzero (&state, sizeof state);
}

char *
_fr_roster_encode (const FrRoster *roster,
                   const FrSecret *mac_key,
                   gsize          *len)
{
  g_autofree char *lines = fr_roster_format_list (roster);
  guint8 mac[FR_ROSTER_MAC_SIZE];
  char b64[FR_ROSTER_B64_LEN + 1];
  char *out;

  roster_mac (mac_key, lines, strlen (lines), mac);
  sodium_bin2base64 (b64, sizeof b64, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
  out = g_strconcat (lines, FR_ROSTER_MAC_PREFIX, b64, "\n", NULL);
  *len = strlen (out);
  return out;
}

FrRoster *
_fr_roster_decode (const guint8    *data,
                   gsize            len,
                   const FrSecret  *mac_key,
                   const char      *name,
                   GError         **error)
{
  g_autoptr(FrRoster) roster = fr_roster_new ();
  const char *text = (const char *) data;
  const char *mac_line;
  guint8 mac[FR_ROSTER_MAC_SIZE], want[FR_ROSTER_MAC_SIZE];
  char b64[FR_ROSTER_B64_LEN + 1];
  size_t mac_len = 0;
  const char *b64_end = NULL;
  gsize lines_len;

  /* Structure first, no crypto: size, the MAC line at the end and its encoding. */
  if (len > FR_ROSTER_MAX_FILE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE, "kiosk roster %s is too large (%" G_GSIZE_FORMAT " bytes)",
                   name, len);
      return NULL;
    }
  if (len < FR_ROSTER_MAC_LINE_LEN)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE, "kiosk roster %s has no fristad-roster-mac: line", name);
      return NULL;
    }
  lines_len = len - FR_ROSTER_MAC_LINE_LEN;
  mac_line = text + lines_len;
  if ((lines_len > 0 && text[lines_len - 1] != '\n')
      || memcmp (mac_line, FR_ROSTER_MAC_PREFIX, sizeof FR_ROSTER_MAC_PREFIX - 1) != 0
      || mac_line[FR_ROSTER_MAC_LINE_LEN - 1] != '\n')
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE, "kiosk roster %s does not end with a fristad-roster-mac: line",
                   name);
      return NULL;
    }
  memcpy (b64, mac_line + sizeof FR_ROSTER_MAC_PREFIX - 1, FR_ROSTER_B64_LEN);
  b64[FR_ROSTER_B64_LEN] = '\0';
  if (sodium_base642bin (mac, sizeof mac, b64, FR_ROSTER_B64_LEN, NULL, &mac_len, &b64_end,
                         sodium_base64_VARIANT_ORIGINAL) != 0
      || mac_len != sizeof mac || b64_end != b64 + FR_ROSTER_B64_LEN)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE, "kiosk roster %s: the fristad-roster-mac: line is malformed",
                   name);
      return NULL;
    }

  /* Then the MAC, before anything of the lines is believed. */
  roster_mac (mac_key, text, lines_len, want);
  if (sodium_memcmp (mac, want, sizeof mac) != 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "kiosk roster %s was changed outside fristad-staff or belongs to another staff key; "
                   "remove it and add the kiosks again", name);
      return NULL;
    }
  if (!parse_lines (roster, text, lines_len, name, error))
    return NULL;
  return g_steal_pointer (&roster);
}

/* --- files ---------------------------------------------------------------------------- */

/**
 * fr_roster_load:
 *
 * Reads and authenticates the roster at @path with @key. A roster that does not exist is
 * an empty roster. Anything else that is wrong — not a regular file, too large, malformed,
 * or a MAC that does not match (changed, or made with another staff key) — is
 * %FR_ERROR_BAD_KEY_FILE; a file that cannot be read is %FR_ERROR_IO.
 */
FrRoster *
fr_roster_load (const char        *path,
                const FrStaffKey  *key,
                GError           **error)
{
  g_autoptr(FrSecret) mac_key = NULL;
  g_autofree guint8 *data = NULL;
  struct stat st;
  gsize got = 0;
  int fd;

  g_return_val_if_fail (path != NULL && key != NULL, NULL);

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == ENOENT)
        return fr_roster_new ();
      g_set_error (error, FR_ERROR, saved == ELOOP ? FR_ERROR_BAD_KEY_FILE : FR_ERROR_IO,
                   "kiosk roster %s: %s", path, saved == ELOOP ? "is a symbolic link" : g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE, "kiosk roster %s is not a regular file", path);
      return NULL;
    }
  if (st.st_size > FR_ROSTER_MAX_FILE)
    {
      close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE, "kiosk roster %s is too large (%" G_GINT64_FORMAT " bytes)",
                   path, (gint64) st.st_size);
      return NULL;
    }
  /* One byte more than allowed, to notice a file that grew meanwhile. */
  data = g_malloc (FR_ROSTER_MAX_FILE + 1);
  while (got < FR_ROSTER_MAX_FILE + 1)
    {
      ssize_t n = read (fd, data + got, FR_ROSTER_MAX_FILE + 1 - got);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          close (fd);
          g_set_error (error, FR_ERROR, FR_ERROR_IO, "kiosk roster %s: %s", path, g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      got += (gsize) n;
    }
  close (fd);

  mac_key = _fr_roster_derive_key (key);
  return _fr_roster_decode (data, got, mac_key, path, error);
}

static gboolean
sync_directory (const char *dir)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0 || errno == EINVAL || errno == ENOTSUP;
  close (fd);
  return ok;
}

/**
 * fr_roster_save:
 *
 * Writes @roster to @path, authenticated with @key: to a temporary file in the same
 * directory (mode 0600 whatever the umask, fsync), renamed over @path, then the directory
 * synced. On any failure the old roster is left as it was.
 */
gboolean
fr_roster_save (const FrRoster    *roster,
                const char        *path,
                const FrStaffKey  *key,
                GError           **error)
{
  g_autoptr(FrSecret) mac_key = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  gsize len = 0, done = 0;
  int fd, saved = 0;

  g_return_val_if_fail (roster != NULL && path != NULL && key != NULL, FALSE);

  mac_key = _fr_roster_derive_key (key);
  text = _fr_roster_encode (roster, mac_key, &len);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot write kiosk roster %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (fchmod (fd, 0600) != 0)
    saved = errno;
  while (saved == 0 && done < len)
    {
      ssize_t n = write (fd, text + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        saved = n < 0 ? errno : EIO;
      else
        done += (gsize) n;
    }
  if (saved == 0 && fsync (fd) != 0)
    saved = errno;
  if (close (fd) != 0 && saved == 0)
    saved = errno;
  if (saved == 0 && g_rename (tmp, path) != 0)
    saved = errno;
  if (saved != 0)
    {
      g_unlink (tmp);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot write kiosk roster %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (!sync_directory (dir))
    {
      saved = errno;
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot sync directory %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* --- envelopes ------------------------------------------------------------------------ */

/**
 * fr_roster_check_envelope:
 *
 * Checks the envelope's structure, finds its kiosk in @roster and verifies the kiosk
 * signature. %FR_ERROR_UNKNOWN_KIOSK if the kiosk is not in the roster (an empty roster
 * says how to fill it), %FR_ERROR_BAD_SIGNATURE if the signature does not verify,
 * a structural error code otherwise.
 *
 * Returns: the roster entry of the signing kiosk, or %NULL.
 */
const FrRosterEntry *
fr_roster_check_envelope (const FrRoster  *roster,
                          const guint8    *data,
                          gsize            len,
                          GError         **error)
{
  const FrRosterEntry *entry;
  FrEnvelopeInfo info;
  char kid[FR_KID_HEX_LEN + 1];

  g_return_val_if_fail (roster != NULL, NULL);

  if (!fr_envelope_inspect (data, len, &info, error))
    return NULL;
  entry = fr_roster_find_kid (roster, info.kiosk_kid);
  if (entry == NULL)
    {
      fr_kid_to_hex (info.kiosk_kid, kid);
      if (roster->kiosks->len == 0)
        g_set_error (error, FR_ERROR, FR_ERROR_UNKNOWN_KIOSK,
                     "signed by kiosk %s, and the kiosk roster is empty; add kiosks with 'fristad-staff kiosks import'",
                     kid);
      else
        g_set_error (error, FR_ERROR, FR_ERROR_UNKNOWN_KIOSK,
                     "signed by kiosk %s, which is not in the kiosk roster", kid);
      return NULL;
    }
  if (!fr_envelope_verify (data, len, entry->pk, NULL, error))
    return NULL;
  return entry;
}
