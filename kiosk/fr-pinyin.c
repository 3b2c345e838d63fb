/* fr-pinyin.c — strict reading of the pinyin table, lookups and syllable splits */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>

#include "fr-error.h"
#include "fr-pinyin.h"

typedef struct
{
  const char *syllable;    /* in the table's data, NUL-terminated */
  gsize       len;
  const char *characters;  /* likewise */
} Entry;

struct _FrPinyinTable
{
  char   *data;            /* the file, its spaces and line ends turned into NULs */
  Entry  *entries;         /* sorted by syllable */
  guint   n_entries;
};

void
fr_pinyin_table_free (FrPinyinTable *table)
{
  if (table == NULL)
    return;
  g_free (table->data);
  g_free (table->entries);
  g_free (table);
}

static gboolean
line_error (GError     **error,
            const char  *path,
            guint        line,
            const char  *message)
{
  g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s:%u: %s", path, line, message);
  return FALSE;
}

/* The characters of one line: Han, none twice, 1 to FR_PINYIN_MAX_CANDIDATES. */
static gboolean
check_characters (const char  *chars,
                  GHashTable  *seen,
                  const char  *path,
                  guint        line,
                  GError     **error)
{
  guint n = 0;

  g_hash_table_remove_all (seen);
  if (*chars == '\0')
    return line_error (error, path, line, "no characters after the syllable");
  for (const char *p = chars; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_get_script (c) != G_UNICODE_SCRIPT_HAN || !g_unichar_isdefined (c))
        return line_error (error, path, line, "a character that is not a Han character "
                           "(characters follow the syllable and one space, with nothing between them)");
      if (!g_hash_table_add (seen, GUINT_TO_POINTER (c)))
        return line_error (error, path, line, "a character listed twice for the syllable");
      if (++n > FR_PINYIN_MAX_CANDIDATES)
        return line_error (error, path, line, "more than " G_STRINGIFY (FR_PINYIN_MAX_CANDIDATES) " characters");
    }
  return TRUE;
}

/**
 * fr_pinyin_table_load:
 * @path: a keyboards/ID.pinyin file (format in fr-pinyin.h)
 *
 * Returns: (transfer full): the table, or %NULL with an FR_ERROR_CONFIG error naming
 *   @path and the line (a file that cannot be read: its own error, with the path).
 */
FrPinyinTable *
fr_pinyin_table_load (const char  *path,
                      GError     **error)
{
  g_autoptr(FrPinyinTable) table = g_new0 (FrPinyinTable, 1);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  gsize len = 0;
  char *p, *end, *next;
  guint line = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &table->data, &len, error))
    return NULL;
  if (len > FR_PINYIN_MAX_FILE_BYTES)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s: larger than %d bytes", path, FR_PINYIN_MAX_FILE_BYTES);
      return NULL;
    }
  if (memchr (table->data, '\0', len) != NULL || !g_utf8_validate (table->data, len, NULL))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s: not UTF-8 text", path);
      return NULL;
    }
  if (len == 0 || table->data[len - 1] != '\n')
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s: the last line does not end with a line feed", path);
      return NULL;
    }

  for (p = table->data, end = table->data + len; p < end; p = next)
    {
      char *nl = memchr (p, '\n', end - p);
      char *space;
      Entry entry;

      line++;
      next = nl + 1;
      *nl = '\0';
      if (*p == '#')
        continue;
      if (*p == '\0')
        return line_error (error, path, line, "an empty line"), NULL;
      if (nl > p && (nl[-1] == ' ' || nl[-1] == '\r' || nl[-1] == '\t'))
        return line_error (error, path, line, "white space at the end of the line"), NULL;
      space = strchr (p, ' ');
      if (space == NULL)
        return line_error (error, path, line, "no space between the syllable and its characters"), NULL;
      entry.syllable = p;
      entry.len = space - p;
      if (entry.len == 0 || entry.len > FR_PINYIN_MAX_SYLLABLE)
        return line_error (error, path, line, "a syllable must be 1-" G_STRINGIFY (FR_PINYIN_MAX_SYLLABLE) " letters"), NULL;
      for (gsize i = 0; i < entry.len; i++)
        if (p[i] < 'a' || p[i] > 'z')
          return line_error (error, path, line, "a syllable is written in a-z only (ü as v, no tone)"), NULL;
      *space = '\0';
      entry.characters = space + 1;
      if (!check_characters (entry.characters, seen, path, line, error))
        return NULL;
      if (entries->len > 0 && strcmp (g_array_index (entries, Entry, entries->len - 1).syllable, entry.syllable) >= 0)
        return line_error (error, path, line, "syllables must be in ascending order, each once"), NULL;
      if (entries->len >= FR_PINYIN_MAX_SYLLABLES)
        return line_error (error, path, line, "more than " G_STRINGIFY (FR_PINYIN_MAX_SYLLABLES) " syllables"), NULL;
      g_array_append_val (entries, entry);
    }
  if (entries->len == 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s: no syllables", path);
      return NULL;
    }
  table->n_entries = entries->len;
  table->entries = (Entry *) g_array_free (g_steal_pointer (&entries), FALSE);
  return g_steal_pointer (&table);
}

guint
fr_pinyin_table_get_n_syllables (const FrPinyinTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->n_entries;
}

/* Compares the entry's syllable with @len letters, as strcmp would. */
static int
compare (const Entry *entry,
         const char  *letters,
         gsize        len)
{
  int c = memcmp (entry->syllable, letters, MIN (entry->len, len));

  if (c != 0)
    return c;
  return entry->len < len ? -1 : entry->len > len ? 1 : 0;
}

/* The first entry not before @letters. */
static guint
lower_bound (const FrPinyinTable *table,
             const char          *letters,
             gsize                len)
{
  guint lo = 0, hi = table->n_entries;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare (&table->entries[mid], letters, len) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * fr_pinyin_table_lookup:
 * @letters: (array length=len): a syllable, not NUL-terminated
 *
 * Returns: (nullable): its characters, most likely first (the table's own memory), or
 *   %NULL if it is no syllable of the table.
 */
const char *
fr_pinyin_table_lookup (const FrPinyinTable *table,
                        const char          *letters,
                        gsize                len)
{
  guint i;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (letters != NULL || len == 0, NULL);

  if (len == 0 || len > FR_PINYIN_MAX_SYLLABLE)
    return NULL;
  i = lower_bound (table, letters, len);
  if (i < table->n_entries && compare (&table->entries[i], letters, len) == 0)
    return table->entries[i].characters;
  return NULL;
}

/* Whether some syllable begins with @len letters (the empty string begins every one). */
static gboolean
is_start (const FrPinyinTable *table,
          const char          *letters,
          gsize                len)
{
  guint i;

  if (len == 0)
    return TRUE;
  if (len > FR_PINYIN_MAX_SYLLABLE)
    return FALSE;
  i = lower_bound (table, letters, len);
  return i < table->n_entries && table->entries[i].len >= len
         && memcmp (table->entries[i].syllable, letters, len) == 0;
}

/**
 * fr_pinyin_split:
 * @letters: (array length=len): what was typed (a-z), not NUL-terminated
 * @split: (out caller-allocates): how it divides (FrPinyinSplit)
 *
 * The longest start of @letters that is whole syllables and leaves the start of one (or
 * nothing); failing that, the longest that is whole syllables. Letters past
 * FR_PINYIN_MAX_LETTERS are not looked at.
 */
void
fr_pinyin_split (const FrPinyinTable *table,
                 const char          *letters,
                 gsize                len,
                 FrPinyinSplit       *split)
{
  gboolean whole[FR_PINYIN_MAX_LETTERS + 1] = { TRUE };   /* [0, i) is whole syllables */
  guint cost[FR_PINYIN_MAX_LETTERS + 1];
  gsize covered = 0;
  gboolean found = FALSE;

  g_return_if_fail (table != NULL && split != NULL);
  g_return_if_fail (letters != NULL || len == 0);

  memset (split, 0, sizeof *split);
  len = MIN (len, FR_PINYIN_MAX_LETTERS);
  for (gsize i = 0; i < len; i++)
    for (gsize j = i + 1; whole[i] && j <= len && j - i <= FR_PINYIN_MAX_SYLLABLE; j++)
      if (fr_pinyin_table_lookup (table, letters + i, j - i) != NULL)
        whole[j] = TRUE;
  for (gsize e = len + 1; e-- > 0 && !found;)
    if (whole[e] && is_start (table, letters + e, len - e))
      {
        covered = e;
        found = TRUE;
      }
  if (!found)
    for (gsize e = len + 1; e-- > 0;)
      if (whole[e])
        {
          covered = e;
          break;
        }
  split->rest_is_start = found;

  /* The fewest syllables over [0, covered), from the end; then walk from the start,
   * taking the longest syllable that keeps to that count. */
  cost[covered] = 0;
  for (gsize i = covered; i-- > 0;)
    {
      cost[i] = G_MAXUINT;
      for (gsize j = i + 1; j <= covered && j - i <= FR_PINYIN_MAX_SYLLABLE; j++)
        if (cost[j] != G_MAXUINT && cost[j] + 1 < cost[i]
            && fr_pinyin_table_lookup (table, letters + i, j - i) != NULL)
          cost[i] = cost[j] + 1;
    }
  for (gsize i = 0; i < covered;)
    {
      gsize next = i;

      for (gsize j = MIN (covered, i + FR_PINYIN_MAX_SYLLABLE); j > i; j--)
        if (cost[j] != G_MAXUINT && cost[j] + 1 == cost[i]
            && fr_pinyin_table_lookup (table, letters + i, j - i) != NULL)
          {
            next = j;
            break;
          }
      g_assert (next > i);
      split->ends[split->n_syllables++] = (guint8) next;
      i = next;
    }
}
