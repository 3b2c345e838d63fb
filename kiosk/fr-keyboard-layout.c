/* fr-keyboard-layout.c — strict loading of the on-screen keyboard's layouts */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>

#include "fr-config-error.h"
#include "fr-error.h"
#include "fr-keyboard-layout.h"

#define KEYBOARDS_DIR   "keyboards"
#define PINYIN_SUFFIX   ".pinyin"
#define MAX_LAYOUTS     64
#define MAX_FILE_BYTES  (64 * 1024)
#define MAX_ID_LENGTH   32

/* In load_layout(): the error, then free the half-read layout. */
#define FAIL(...) G_STMT_START { fr_config_error (error, path, __VA_ARGS__); goto fail; } G_STMT_END

struct _FrKeyboards
{
  GPtrArray *layouts;   /* FrKeyboardLayout, sorted by id */
};

/* NULL-terminated for g_strv_contains(). */
static const char * const page_groups[FR_KEYBOARD_N_PAGES + 1] = { "letters", "shift", "symbols", NULL };
static const char * const keyboard_keys[] = { "label", "languages", "direction", "marks", "input", NULL };

static void
layout_free (gpointer data)
{
  FrKeyboardLayout *layout = data;

  g_free (layout->id);
  g_free (layout->label);
  g_strfreev (layout->languages);
  fr_pinyin_table_free (layout->pinyin);
  for (guint p = 0; p < FR_KEYBOARD_N_PAGES; p++)
    for (guint r = 0; r < FR_KEYBOARD_MAX_ROWS; r++)
      g_strfreev (layout->rows[p][r]);
  g_free (layout);
}

void
fr_keyboards_free (FrKeyboards *keyboards)
{
  if (keyboards == NULL)
    return;
  g_clear_pointer (&keyboards->layouts, g_ptr_array_unref);
  g_free (keyboards);
}

static gboolean
valid_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > MAX_ID_LENGTH)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (id[i]) && !g_ascii_isdigit (id[i]) && id[i] != '_' && id[i] != '-')
      return FALSE;
  return TRUE;
}

static gboolean
valid_key (const char *key)
{
  gsize len = strlen (key);

  if (len == 0 || len > FR_KEYBOARD_MAX_KEY_BYTES || !g_utf8_validate (key, len, NULL))
    return FALSE;
  for (const char *p = key; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        return FALSE;
    }
  return TRUE;
}

/* A key that is one combining mark (◌́, ◌ั): shown on a dotted circle. */
gboolean
fr_keyboard_is_mark (const char *key)
{
  g_return_val_if_fail (key != NULL, FALSE);
  return *key != '\0' && g_unichar_ismark (g_utf8_get_char (key)) && *g_utf8_next_char (key) == '\0';
}

static gboolean
load_page (FrKeyboardLayout *layout,
           GKeyFile         *file,
           const char       *path,
           FrKeyboardPage    page,
           GError          **error)
{
  const char *group = page_groups[page];
  g_auto(GStrv) keys = g_key_file_get_keys (file, group, NULL, NULL);
  guint n = keys ? g_strv_length (keys) : 0;

  if (n == 0 || n > FR_KEYBOARD_MAX_ROWS)
    return fr_config_error (error, path, "[%s] must have 1 to %d rows", group, FR_KEYBOARD_MAX_ROWS);
  for (guint r = 0; r < n; r++)
    {
      g_autofree char *name = g_strdup_printf ("row%u", r + 1);
      g_autofree char *value = NULL;
      char **row;
      guint n_keys;

      if (!g_strv_contains ((const char * const *) keys, name))
        return fr_config_error (error, path, "[%s] has no %s (rows are row1 to row%u, in order)", group, name, n);
      value = g_key_file_get_string (file, group, name, NULL);
      if (value == NULL || !g_utf8_validate (value, -1, NULL))
        return fr_config_error (error, path, "[%s] %s is not UTF-8", group, name);
      row = g_strsplit (value, " ", -1);
      layout->rows[page][r] = row;
      n_keys = g_strv_length (row);
      if (n_keys == 0 || n_keys > FR_KEYBOARD_MAX_KEYS)
        return fr_config_error (error, path, "[%s] %s must have 1 to %d keys", group, name, FR_KEYBOARD_MAX_KEYS);
      for (guint k = 0; k < n_keys; k++)
        if (!valid_key (row[k]))
          return fr_config_error (error, path, "[%s] %s key %u is not 1-%d bytes of printable UTF-8 "
                                  "(keys are separated by one space)", group, name, k + 1, FR_KEYBOARD_MAX_KEY_BYTES);
    }
  layout->n_rows[page] = n;
  return TRUE;
}

static FrKeyboardLayout *
load_layout (const char  *path,
             const char  *id,
             GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *data = NULL;
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *direction = NULL;
  g_autofree char *marks = NULL;
  g_autofree char *input = NULL;
  g_autoptr(GError) parse_error = NULL;
  FrKeyboardLayout *layout;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  if (len > MAX_FILE_BYTES)
    return fr_config_error (error, path, "larger than %d bytes", MAX_FILE_BYTES), NULL;
  if (!g_key_file_load_from_data (file, data, len, G_KEY_FILE_NONE, &parse_error))
    return fr_config_error (error, path, "%s", parse_error->message), NULL;

  layout = g_new0 (FrKeyboardLayout, 1);
  layout->id = g_strdup (id);

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i]; i++)
    if (!g_str_equal (groups[i], "keyboard") && !g_strv_contains (page_groups, groups[i]))
      FAIL ("unknown group [%s]", groups[i]);
  keys = g_key_file_get_keys (file, "keyboard", NULL, NULL);
  if (keys == NULL)
    FAIL ("no [keyboard] group");
  for (guint i = 0; keys[i]; i++)
    if (!g_strv_contains (keyboard_keys, keys[i]))
      FAIL ("[keyboard] unknown key %s", keys[i]);

  layout->label = g_key_file_get_string (file, "keyboard", "label", NULL);
  if (layout->label == NULL || !valid_key (layout->label))
    FAIL ("[keyboard] label must be 1-%d bytes", FR_KEYBOARD_MAX_KEY_BYTES);
  layout->languages = g_key_file_get_string_list (file, "keyboard", "languages", NULL, NULL);
  if (layout->languages == NULL || layout->languages[0] == NULL)
    FAIL ("[keyboard] languages is missing");
  for (guint i = 0; layout->languages[i]; i++)
    if (!g_regex_match_simple ("^[a-z]{2,3}(_[A-Z]{2})?$", layout->languages[i], 0, 0))
      FAIL ("[keyboard] languages: %s is not a language code such as sv or zh_CN",
                                    layout->languages[i]);
  direction = g_key_file_get_string (file, "keyboard", "direction", NULL);
  if (direction == NULL || (!g_str_equal (direction, "ltr") && !g_str_equal (direction, "rtl")))
    FAIL ("[keyboard] direction must be ltr or rtl");
  layout->rtl = g_str_equal (direction, "rtl");
  marks = g_key_file_get_string (file, "keyboard", "marks", NULL);
  if (marks != NULL && !g_str_equal (marks, "insert") && !g_str_equal (marks, "combine"))
    FAIL ("[keyboard] marks must be insert or combine");
  layout->combine_marks = marks != NULL && g_str_equal (marks, "combine");
  input = g_key_file_get_string (file, "keyboard", "input", NULL);
  if (input != NULL && !g_str_equal (input, "keys") && !g_str_equal (input, "pinyin"))
    FAIL ("[keyboard] input must be keys or pinyin");
  /* Its table is read once every layout is known (fr_keyboards_load()). */
  layout->input_pinyin = input != NULL && g_str_equal (input, "pinyin");

  if (!g_key_file_has_group (file, "letters"))
    FAIL ("no [letters] group");
  for (guint p = 0; p < FR_KEYBOARD_N_PAGES; p++)
    if (g_key_file_has_group (file, page_groups[p]) && !load_page (layout, file, path, p, error))
      goto fail;
  return layout;

fail:
  layout_free (layout);
  return NULL;
}

/* Reads every ID.ini in @dir into @by_id (a later directory's file replaces an earlier
 * one of the same name) and notes every ID.pinyin's path in @tables (likewise). A
 * directory that does not exist holds none. */
static gboolean
load_dir (GHashTable  *by_id,
          GHashTable  *tables,
          const char  *content_dir,
          gboolean     site,
          GError     **error)
{
  g_autofree char *dir_path = g_build_filename (content_dir, KEYBOARDS_DIR, NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (dir_path, G_FILE_TEST_EXISTS))
    return TRUE;
  dir = g_dir_open (dir_path, 0, error);
  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *id = NULL;
      FrKeyboardLayout *layout;

      if (g_str_has_suffix (name, PINYIN_SUFFIX))
        {
          id = g_strndup (name, strlen (name) - strlen (PINYIN_SUFFIX));
          if (!valid_id (id))
            return fr_config_error (error, path, "not a pinyin table: tables are ID.pinyin, ID 1-%d of a-z 0-9 _ -",
                                    MAX_ID_LENGTH);
          g_hash_table_replace (tables, g_steal_pointer (&id), g_steal_pointer (&path));
          continue;
        }
      if (g_str_has_suffix (name, ".ini"))
        id = g_strndup (name, strlen (name) - 4);
      if (id == NULL || !valid_id (id))
        return fr_config_error (error, path, "not a keyboard layout: layouts are ID.ini (and pinyin tables ID.pinyin), "
                                "ID 1-%d of a-z 0-9 _ -", MAX_ID_LENGTH);
      if (g_hash_table_size (by_id) >= MAX_LAYOUTS && !g_hash_table_contains (by_id, id))
        return fr_config_error (error, path, "more than %d keyboard layouts", MAX_LAYOUTS);
      layout = load_layout (path, id, error);
      if (layout == NULL)
        return FALSE;
      layout->from_site = site;
      g_hash_table_replace (by_id, layout->id, layout);
    }
  return TRUE;
}

/* Each input=pinyin layout reads its ID.pinyin (the site's if it has one); a table that
 * no layout reads is an error, as a typo in its name would be. */
static gboolean
load_tables (GHashTable  *by_id,
             GHashTable  *tables,
             GError     **error)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, tables);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      FrKeyboardLayout *layout = g_hash_table_lookup (by_id, key);

      if (layout == NULL || !layout->input_pinyin)
        return fr_config_error (error, value, "no keyboards/%s.ini with input=pinyin reads this table", (char *) key);
    }
  g_hash_table_iter_init (&iter, by_id);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      FrKeyboardLayout *layout = value;
      const char *path;

      if (!layout->input_pinyin)
        continue;
      path = g_hash_table_lookup (tables, key);
      if (path == NULL)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "keyboards/%s.ini: input=pinyin needs its table, "
                       "keyboards/%s.pinyin, beside it or in the shipped content", (char *) key, (char *) key);
          return FALSE;
        }
      layout->pinyin = fr_pinyin_table_load (path, error);
      if (layout->pinyin == NULL)
        return FALSE;
    }
  return TRUE;
}

static int
compare_layouts (gconstpointer a,
                 gconstpointer b)
{
  const FrKeyboardLayout *la = *(const FrKeyboardLayout * const *) a;
  const FrKeyboardLayout *lb = *(const FrKeyboardLayout * const *) b;

  return strcmp (la->id, lb->id);
}

/* Without [shift]: the letters upper-cased, key by key. */
static void
fill_shift (FrKeyboardLayout *layout)
{
  for (guint r = 0; r < layout->n_rows[FR_KEYBOARD_PAGE_LETTERS]; r++)
    {
      char **letters = layout->rows[FR_KEYBOARD_PAGE_LETTERS][r];
      GStrvBuilder *builder = g_strv_builder_new ();

      for (guint k = 0; letters[k]; k++)
        {
          g_autofree char *upper = g_utf8_strup (letters[k], -1);

          g_strv_builder_add (builder, upper);
        }
      layout->rows[FR_KEYBOARD_PAGE_SHIFT][r] = g_strv_builder_end (builder);
      g_strv_builder_unref (builder);
    }
  layout->n_rows[FR_KEYBOARD_PAGE_SHIFT] = layout->n_rows[FR_KEYBOARD_PAGE_LETTERS];
}

/**
 * fr_keyboards_load:
 * @shipped_content_dir: DATADIR/fristad/content (i18n/content in the source tree)
 * @site_content_dir: (nullable): the site's content directory
 *
 * Reads `keyboards/ID.ini` from both, and the `ID.pinyin` tables of `input=pinyin`
 * layouts; `latin.ini` must be among them. Every error names the file.
 */
FrKeyboards *
fr_keyboards_load (const char  *shipped_content_dir,
                   const char  *site_content_dir,
                   GError     **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, layout_free);
  g_autoptr(GHashTable) tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) languages = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(FrKeyboards) keyboards = g_new0 (FrKeyboards, 1);
  const FrKeyboardLayout *latin;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (shipped_content_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!load_dir (by_id, tables, shipped_content_dir, FALSE, error))
    return NULL;
  if (site_content_dir != NULL && !load_dir (by_id, tables, site_content_dir, TRUE, error))
    return NULL;
  if (!load_tables (by_id, tables, error))
    return NULL;

  keyboards->layouts = g_ptr_array_new_with_free_func (layout_free);
  g_hash_table_iter_init (&iter, by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_hash_table_iter_steal (&iter);
      g_ptr_array_add (keyboards->layouts, value);
    }
  g_ptr_array_sort (keyboards->layouts, compare_layouts);

  latin = fr_keyboards_get_latin (keyboards);
  if (latin == NULL || latin->n_rows[FR_KEYBOARD_PAGE_SYMBOLS] == 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s/%s: no latin.ini with a [symbols] page",
                   shipped_content_dir, KEYBOARDS_DIR);
      return NULL;
    }
  for (guint i = 0; i < keyboards->layouts->len; i++)
    {
      FrKeyboardLayout *layout = g_ptr_array_index (keyboards->layouts, i);

      for (guint l = 0; layout->languages[l]; l++)
        {
          const FrKeyboardLayout *other = g_hash_table_lookup (languages, layout->languages[l]);

          if (other != NULL)
            {
              g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "keyboard layouts %s and %s are both for language %s",
                           other->id, layout->id, layout->languages[l]);
              return NULL;
            }
          g_hash_table_insert (languages, layout->languages[l], layout);
        }
      if (layout->n_rows[FR_KEYBOARD_PAGE_SHIFT] == 0)
        fill_shift (layout);
      if (layout->n_rows[FR_KEYBOARD_PAGE_SYMBOLS] == 0)
        {
          for (guint r = 0; r < latin->n_rows[FR_KEYBOARD_PAGE_SYMBOLS]; r++)
            layout->rows[FR_KEYBOARD_PAGE_SYMBOLS][r] = g_strdupv (latin->rows[FR_KEYBOARD_PAGE_SYMBOLS][r]);
          layout->n_rows[FR_KEYBOARD_PAGE_SYMBOLS] = latin->n_rows[FR_KEYBOARD_PAGE_SYMBOLS];
        }
    }
  return g_steal_pointer (&keyboards);
}

const FrKeyboardLayout *
fr_keyboards_get_latin (const FrKeyboards *keyboards)
{
  g_return_val_if_fail (keyboards != NULL, NULL);

  for (guint i = 0; i < keyboards->layouts->len; i++)
    {
      const FrKeyboardLayout *layout = g_ptr_array_index (keyboards->layouts, i);

      if (g_str_equal (layout->id, FR_KEYBOARD_LATIN))
        return layout;
    }
  return NULL;
}

/**
 * fr_keyboards_for_language:
 *
 * Returns: the layout that lists @language, else the Latin one.
 */
const FrKeyboardLayout *
fr_keyboards_for_language (const FrKeyboards *keyboards,
                           const char        *language)
{
  g_return_val_if_fail (keyboards != NULL, NULL);

  for (guint i = 0; language != NULL && i < keyboards->layouts->len; i++)
    {
      const FrKeyboardLayout *layout = g_ptr_array_index (keyboards->layouts, i);

      if (g_strv_contains ((const char * const *) layout->languages, language))
        return layout;
    }
  return fr_keyboards_get_latin (keyboards);
}

guint
fr_keyboards_get_n_layouts (const FrKeyboards *keyboards)
{
  g_return_val_if_fail (keyboards != NULL, 0);
  return keyboards->layouts->len;
}

const FrKeyboardLayout *
fr_keyboards_get_layout (const FrKeyboards *keyboards,
                         guint              index)
{
  g_return_val_if_fail (keyboards != NULL && index < keyboards->layouts->len, NULL);
  return g_ptr_array_index (keyboards->layouts, index);
}

/* Vietnamese tones: one a letter, written after the vowel's own marks. */
static gboolean
is_tone (gunichar c)
{
  return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323;
}

/**
 * fr_keyboard_combine:
 * @letter: a letter and any marks it has (one grapheme, any normalization)
 * @mark: one combining mark
 *
 * The letter with @mark added, in NFC: e + ◌̂ + ◌́ → ế. A tone replaces the letter's
 * tone, the same mark again takes it off (a correction), and the shape marks (◌̂ ◌̆ ◌̛)
 * come before the tone whatever the order they were typed in, so "e ◌́ ◌̂" is ế too.
 *
 * Returns: (transfer full): the new grapheme, or %NULL if @letter is not a letter.
 */
char *
fr_keyboard_combine (const char *letter,
                     const char *mark)
{
  g_autofree char *nfd = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gunichar added, base;
  gunichar marks[8];
  guint n_marks = 0;
  gboolean removed = FALSE;
  const char *p;

  g_return_val_if_fail (letter != NULL && mark != NULL, NULL);
  g_return_val_if_fail (fr_keyboard_is_mark (mark), NULL);

  added = g_utf8_get_char (mark);
  nfd = g_utf8_normalize (letter, -1, G_NORMALIZE_NFD);
  if (nfd == NULL || *nfd == '\0')
    return NULL;
  base = g_utf8_get_char (nfd);
  if (!g_unichar_isalpha (base))
    return NULL;
  for (p = g_utf8_next_char (nfd); *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == added)
        removed = TRUE;                          /* the same mark again: off */
      else if (is_tone (c) && is_tone (added))
        ;                                        /* the new tone replaces it */
      else if (n_marks < G_N_ELEMENTS (marks))
        marks[n_marks++] = c;
    }
  if (!removed && n_marks < G_N_ELEMENTS (marks))
    marks[n_marks++] = added;

  g_string_append_unichar (out, base);
  for (guint pass = 0; pass < 2; pass++)          /* shape marks first, then the tone */
    for (guint i = 0; i < n_marks; i++)
      if (is_tone (marks[i]) == (pass == 1))
        g_string_append_unichar (out, marks[i]);
  return g_utf8_normalize (out->str, out->len, G_NORMALIZE_NFC);
}
