/* fr-content-topics.c — the topic and consent texts: LANG/topics/ID.txt, LANG/consent.txt
 *
 * Each file is read and parsed once (FrContent.docs); a language without its own text
 * shows the English one, which is noted as missing.
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>

#include "fr-content-private.h"

#define TITLE_MAX_BYTES     300
#define PARAGRAPH_MAX_BYTES 4000
#define PARAGRAPHS_MAX      64

/* ------------------------------------------------------------------------------------ */
/* Topic and consent text files                                                         */

/* Format: lines starting with '#' are comments; blank lines separate; the first other
 * line is the title and every further line is one paragraph. */
static Doc *
parse_doc (const char *path,
           const char *data,
           GError    **error)
{
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
  g_autoptr(Doc) doc = g_new0 (Doc, 1);

  doc->paragraphs = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];

      if (strchr (line, '\r') != NULL)
        return _fr_content_error (error, "%s: line %u: carriage return (use Unix line ends)", path, i + 1),
               NULL;
      if (line[0] == '#')
        continue;
      g_strstrip (line);
      if (line[0] == '\0')
        continue;
      if (!_fr_content_is_clean_text (line, FALSE))
        return _fr_content_error (error, "%s: line %u: control character", path, i + 1), NULL;
      if (doc->title == NULL)
        {
          if (strlen (line) > TITLE_MAX_BYTES)
            return _fr_content_error (error, "%s: line %u: title longer than %d bytes", path, i + 1,
                                      TITLE_MAX_BYTES), NULL;
          doc->title = g_strdup (line);
          continue;
        }
      if (strlen (line) > PARAGRAPH_MAX_BYTES)
        return _fr_content_error (error, "%s: line %u: paragraph longer than %d bytes", path, i + 1,
                                  PARAGRAPH_MAX_BYTES), NULL;
      if (doc->paragraphs->len >= PARAGRAPHS_MAX)
        return _fr_content_error (error, "%s: more than %d paragraphs", path, PARAGRAPHS_MAX), NULL;
      g_ptr_array_add (doc->paragraphs, g_strdup (line));
    }
  if (doc->title == NULL)
    return _fr_content_error (error, "%s: no title", path), NULL;
  if (doc->paragraphs->len == 0)
    return _fr_content_error (error, "%s: no text after the title", path), NULL;
  g_ptr_array_add (doc->paragraphs, NULL);
  return g_steal_pointer (&doc);
}

/* The parsed file at @path, read once; NULL without error if it does not exist. */
static Doc *
get_doc (FrContent  *content,
         const char *path,
         GError    **error)
{
  Doc *doc = g_hash_table_lookup (content->docs, path);
  g_autofree char *data = NULL;

  if (doc != NULL)
    return doc;
  if (!_fr_content_read_text_file (path, FALSE, &data, NULL, error) || data == NULL)
    return NULL;
  doc = parse_doc (path, data, error);
  if (doc != NULL)
    g_hash_table_insert (content->docs, g_strdup (path), doc);
  return doc;
}

/* The text of topic @id (or the consent) for @lang, with the same fallback. */
static Doc *
resolve_doc (Loader     *ld,
             Language   *lang,
             const char *file,
             const char *what,
             const char **out_language,
             GError    **error)
{
  const char *codes[2] = { lang->code, FR_CONTENT_SOURCE_LANGUAGE };
  const char *dirs[2] = { ld->site_dir, ld->shipped_dir };

  for (guint s = 0; s < G_N_ELEMENTS (codes); s++)
    {
      if (s == 1 && lang == ld->english)
        break;
      for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
        {
          g_autofree char *path = NULL;
          GError *local_error = NULL;
          Doc *doc;

          if (dirs[d] == NULL)
            continue;
          path = g_build_filename (dirs[d], codes[s], file, NULL);
          doc = get_doc (ld->content, path, &local_error);
          if (local_error != NULL)
            return g_propagate_error (error, local_error), NULL;
          if (doc == NULL)
            continue;
          if (s == 1)
            g_ptr_array_add (lang->missing, g_strdup_printf ("%s text", what));
          else if (d == 0 && !lang->site_added)
            {
              g_autofree char *shipped = g_build_filename (ld->shipped_dir, codes[s], file, NULL);

              if (g_file_test (shipped, G_FILE_TEST_EXISTS))
                _fr_content_report (ld->content, "override: %s: %s text", lang->code, what);
            }
          *out_language = codes[s];
          return doc;
        }
    }
  {
    g_autofree char *shipped = g_build_filename (ld->shipped_dir, FR_CONTENT_SOURCE_LANGUAGE, file, NULL);
    g_autofree char *site = ld->site_dir == NULL ? NULL
                            : g_build_filename (ld->site_dir, FR_CONTENT_SOURCE_LANGUAGE, file, NULL);

    return _fr_content_error (error, "no English text for %s (looked for %s%s%s)", what,
                              site != NULL ? site : "", site != NULL ? " and " : "", shipped), NULL;
  }
}

FrTopic *
_fr_content_make_topic (Loader     *ld,
                        Language   *lang,
                        const char *id,
                        const char *file,
                        const char *what,
                        GError    **error)
{
  const char *text_language = NULL;
  Doc *doc = resolve_doc (ld, lang, file, what, &text_language, error);
  FrTopic *topic;

  if (doc == NULL)
    return NULL;
  topic = _fr_content_allocate (ld->content, sizeof (FrTopic));
  topic->id = _fr_content_intern (ld->content, id);
  topic->title = doc->title;
  topic->paragraphs = (const char *const *) doc->paragraphs->pdata;
  topic->language = _fr_content_intern (ld->content, text_language);
  return topic;
}
