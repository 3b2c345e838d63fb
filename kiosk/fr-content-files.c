/* fr-content-files.c — strict reading of the content's files
 *
 * Every content file is read here: a regular file of at most FR_CONTENT_MAX_FILE_SIZE
 * bytes of UTF-8, no NUL, no byte-order mark; key files without duplicate groups or keys,
 * with only the keys each group allows; values that are clean text, lists of valid names.
 * Error messages are one line naming the file (_fr_content_error).
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "fr-content-private.h"
#include "fr-error.h"

/* ------------------------------------------------------------------------------------ */
/* Small helpers                                                                        */

G_GNUC_PRINTF (2, 3)
gboolean
_fr_content_error (GError    **error,
                   const char *format,
                   ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* One line, whatever a json-glib or GKeyFile message brought along. */
  g_strdelimit (message, "\r\n", ' ');
  g_set_error_literal (error, FR_ERROR, FR_ERROR_CONFIG, message);
  return FALSE;
}

gboolean
_fr_content_strv_has (const char *const *strv,
                      const char        *str)
{
  return strv != NULL && g_strv_contains (strv, str);
}

/* Ids of questions, options, groups and topics: 1..64 of a-z, 0-9, '_' and '-' (question
 * ids are record answer keys). */
gboolean
_fr_content_is_id (const char *s)
{
  gsize n;

  for (n = 0; s[n] != '\0'; n++)
    if (n >= ID_MAX_LEN || !(g_ascii_islower (s[n]) || g_ascii_isdigit (s[n])
                             || s[n] == '_' || s[n] == '-'))
      return FALSE;
  return n > 0;
}

/* Consent versions and contact ids: 1..64 of A-Z, a-z, 0-9, '.', '_' and '-'. */
gboolean
_fr_content_is_name (const char *s)
{
  gsize n;

  for (n = 0; s[n] != '\0'; n++)
    if (n >= ID_MAX_LEN || !(g_ascii_isalnum (s[n]) || s[n] == '.' || s[n] == '_' || s[n] == '-'))
      return FALSE;
  return n > 0;
}

/* Text shown to a person: no control characters (newline only where @newlines), no
 * byte-order mark, not empty. @s is valid UTF-8. */
gboolean
_fr_content_is_clean_text (const char *s,
                           gboolean    newlines)
{
  if (*s == '\0')
    return FALSE;
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' && newlines)
        continue;
      if (g_unichar_iscntrl (c) || c == 0xFEFF)
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Files                                                                                */

/* Reads @path into *@out (NUL-terminated). An absent file is *@out = NULL and TRUE
 * unless @required. Only regular files of at most FR_CONTENT_MAX_FILE_SIZE bytes of
 * UTF-8 without NUL are read. */
gboolean
_fr_content_read_text_file (const char *path,
                            gboolean    required,
                            char      **out,
                            gsize      *out_len,
                            GError    **error)
{
  GStatBuf st;
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;

  *out = NULL;
  if (out_len != NULL)
    *out_len = 0;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if ((saved_errno == ENOENT || saved_errno == ENOTDIR) && !required)
        return TRUE;
      return _fr_content_error (error, "%s: %s", path, g_strerror (saved_errno));
    }
  if (!S_ISREG (st.st_mode))
    return _fr_content_error (error, "%s: not a regular file", path);
  if (st.st_size > (goffset) FR_CONTENT_MAX_FILE_SIZE)
    return _fr_content_error (error, "%s: larger than %u KiB", path, FR_CONTENT_MAX_FILE_SIZE / 1024);
  if (!g_file_get_contents (path, &data, &len, &local_error))
    return _fr_content_error (error, "%s: cannot read", path);
  if (len > FR_CONTENT_MAX_FILE_SIZE)
    return _fr_content_error (error, "%s: larger than %u KiB", path, FR_CONTENT_MAX_FILE_SIZE / 1024);
  if (!g_utf8_validate (data, (gssize) len, NULL))
    return _fr_content_error (error, "%s: not UTF-8 text (or contains a NUL byte)", path);
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    return _fr_content_error (error, "%s: starts with a byte-order mark", path);

  *out = g_steal_pointer (&data);
  if (out_len != NULL)
    *out_len = len;
  return TRUE;
}

/* GKeyFile keeps the last of duplicate keys and merges duplicate groups silently; a
 * translator's copy-paste mistake must not pass, so look for both first. */
static gboolean
check_keyfile_duplicates (const char *path,
                          const char *data,
                          GError    **error)
{
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *eq;

      while (*line == ' ' || *line == '\t')
        line++;
      if (*line == '#' || *line == '\0')
        continue;
      if (*line == '[')
        {
          if (!g_hash_table_add (groups, (gpointer) line))
            return _fr_content_error (error, "%s: line %u: group %s appears twice", path, i + 1, line);
          g_hash_table_remove_all (keys);
          continue;
        }
      eq = strchr (line, '=');
      if (eq == NULL)
        continue;   /* GKeyFile reports it */
      {
        g_autofree char *key = g_strstrip (g_strndup (line, (gsize) (eq - line)));

        if (g_hash_table_contains (keys, key))
          return _fr_content_error (error, "%s: line %u: key %s appears twice in its group", path,
                                    i + 1, key);
        g_hash_table_add (keys, g_steal_pointer (&key));
      }
    }
  return TRUE;
}

GKeyFile *
_fr_content_load_keyfile (const char *path,
                          gboolean    required,
                          GError    **error)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!_fr_content_read_text_file (path, required, &data, &len, error))
    return NULL;
  if (data == NULL)
    return NULL;
  if (!check_keyfile_duplicates (path, data, error))
    return NULL;
  keyfile = g_key_file_new ();
  /* Without KEEP_TRANSLATIONS, GKeyFile silently drops "key[xx]=" lines, or keeps them,
   * depending on the process locale; keep them all so _fr_content_check_keys() rejects them. */
  if (!g_key_file_load_from_data (keyfile, data, len, G_KEY_FILE_KEEP_TRANSLATIONS, &local_error))
    {
      _fr_content_error (error, "%s: %s", path, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&keyfile);
}

/* @group must only have keys from @allowed (NULL-terminated). */
gboolean
_fr_content_check_keys (GKeyFile          *keyfile,
                        const char        *path,
                        const char        *group,
                        const char *const *allowed,
                        GError           **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (keyfile, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!_fr_content_strv_has (allowed, keys[i]))
      return _fr_content_error (error, "%s: [%s]: unknown key %s", path, group, keys[i]);
  return TRUE;
}

/* A string value that must be a clean, non-empty line. NULL and no error if absent and
 * !@required. */
char *
_fr_content_get_text (GKeyFile   *keyfile,
                      const char *path,
                      const char *group,
                      const char *key,
                      gboolean    required,
                      GError    **error)
{
  g_autofree char *value = NULL;

  if (!g_key_file_has_key (keyfile, group, key, NULL))
    {
      if (required)
        _fr_content_error (error, "%s: [%s]: %s is missing", path, group, key);
      return NULL;
    }
  value = g_key_file_get_string (keyfile, group, key, NULL);
  if (value == NULL)
    {
      _fr_content_error (error, "%s: [%s]: %s is not a valid string", path, group, key);
      return NULL;
    }
  g_strstrip (value);
  if (!_fr_content_is_clean_text (value, FALSE) || strlen (value) > LABEL_MAX_BYTES)
    {
      _fr_content_error (error, "%s: [%s]: %s must be 1..%d bytes of text without control characters",
                         path, group, key, LABEL_MAX_BYTES);
      return NULL;
    }
  return g_steal_pointer (&value);
}

/* A list value; every item must pass @valid. Absent: NULL, no error. */
GStrv
_fr_content_get_list (GKeyFile   *keyfile,
                      const char *path,
                      const char *group,
                      const char *key,
                      gboolean  (*valid) (const char *),
                      GError    **error)
{
  g_auto(GStrv) list = NULL;
  gsize n = 0;

  if (!g_key_file_has_key (keyfile, group, key, NULL))
    return NULL;
  list = g_key_file_get_string_list (keyfile, group, key, &n, NULL);
  if (list == NULL)
    list = g_new0 (char *, 1);
  for (gsize i = 0; i < n; i++)
    {
      g_strstrip (list[i]);
      if (!valid (list[i]))
        {
          _fr_content_error (error, "%s: [%s]: %s: item %" G_GSIZE_FORMAT " is not a valid name",
                             path, group, key, i + 1);
          return NULL;
        }
      for (gsize j = 0; j < i; j++)
        if (strcmp (list[i], list[j]) == 0)
          {
            _fr_content_error (error, "%s: [%s]: %s: %s appears twice", path, group, key, list[i]);
            return NULL;
          }
    }
  return g_steal_pointer (&list);
}
