/* fr-content.c — loading and checking the kiosk's content
 *
 * Everything is read and validated in fr_content_load(): the metadata (content.ini), the
 * form (form.json), and per language its description (language.ini), its labels
 * (form.ini), its topics (topics/ID.txt) and its consent text (consent.txt). Each text is
 * looked up in the site folder first, then in the shipped folder, then — only for what a
 * site added without a translation — in English, which must have everything. Every such
 * English fallback is remembered and reported by fr_content_check().
 *
 * This file holds the data, fr_content_load() in order and the lookups; each kind of file
 * has a loader of its own (fr-content-private.h lists them).
 *
 * The formats are described in i18n/CONTENT.md. Error messages name the file and the
 * problem in one line; they quote keys and ids, never text.
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>

#include "fr-content-private.h"

/* ------------------------------------------------------------------------------------ */
/* Data                                                                                 */

void
_fr_content_doc_free (gpointer data)
{
  Doc *doc = data;

  g_free (doc->title);
  g_ptr_array_unref (doc->paragraphs);
  g_free (doc);
}

void
_fr_content_topic_meta_free (gpointer data)
{
  TopicMeta *meta = data;

  if (meta == NULL)
    return;
  g_free (meta->id);
  g_free (meta->reviewed);
  g_ptr_array_unref (meta->contacts);
  g_free (meta);
}

void
_fr_content_question_def_free (gpointer data)
{
  QuestionDef *def = data;

  g_free (def->id);
  g_free (def->group);
  g_free (def->show_if_question);
  g_strfreev (def->show_if_values);
  g_strfreev (def->options);
  g_strfreev (def->volunteer_hide);
  g_free (def);
}

static void
language_free (gpointer data)
{
  Language *lang = data;

  g_free (lang->code);
  g_free (lang->record_code);
  g_free (lang->name);
  g_free (lang->english_name);
  g_free (lang->review);
  g_clear_pointer (&lang->site_labels, g_key_file_unref);
  g_clear_pointer (&lang->shipped_labels, g_key_file_unref);
  g_ptr_array_unref (lang->topics);
  g_ptr_array_unref (lang->form);
  g_ptr_array_unref (lang->all_questions);
  g_hash_table_unref (lang->group_titles);
  g_hash_table_unref (lang->group_intros);
  g_ptr_array_unref (lang->volunteer_form);
  g_hash_table_unref (lang->volunteer_group_titles);
  g_hash_table_unref (lang->volunteer_group_intros);
  g_ptr_array_unref (lang->missing);
  g_free (lang);
}

Language *
_fr_content_language_new (const char *code)
{
  Language *lang = g_new0 (Language, 1);

  lang->code = g_strdup (code);
  lang->topics = g_ptr_array_new ();
  lang->form = g_ptr_array_new ();
  lang->all_questions = g_ptr_array_new ();
  lang->group_titles = g_hash_table_new (g_str_hash, g_str_equal);
  lang->group_intros = g_hash_table_new (g_str_hash, g_str_equal);
  lang->volunteer_form = g_ptr_array_new ();
  lang->volunteer_group_titles = g_hash_table_new (g_str_hash, g_str_equal);
  lang->volunteer_group_intros = g_hash_table_new (g_str_hash, g_str_equal);
  lang->missing = g_ptr_array_new_with_free_func (g_free);
  return lang;
}

void
fr_content_free (FrContent *content)
{
  if (content == NULL)
    return;
  g_clear_pointer (&content->languages, g_ptr_array_unref);
  g_clear_pointer (&content->codes, g_ptr_array_unref);
  g_clear_pointer (&content->topics, g_ptr_array_unref);
  g_clear_pointer (&content->form, g_ptr_array_unref);
  g_clear_pointer (&content->shipped_form, g_ptr_array_unref);
  g_clear_pointer (&content->groups, g_ptr_array_unref);
  g_clear_pointer (&content->disabled_groups, g_hash_table_unref);
  g_clear_pointer (&content->discreet_words, g_ptr_array_unref);
  g_clear_pointer (&content->docs, g_hash_table_unref);
  g_clear_pointer (&content->report, g_ptr_array_unref);
  g_clear_pointer (&content->allocations, g_ptr_array_unref);
  g_clear_pointer (&content->strings, g_string_chunk_free);
  g_free (content->consent_version);
  g_free (content);
}

/* ------------------------------------------------------------------------------------ */
/* Loading                                                                              */

G_GNUC_PRINTF (2, 3)
void
_fr_content_report (FrContent  *content,
                    const char *format,
                    ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (content->report, g_strdup_vprintf (format, args));
  va_end (args);
}

const char *
_fr_content_intern (FrContent  *content,
                    const char *str)
{
  return str == NULL ? NULL : g_string_chunk_insert_const (content->strings, str);
}

gpointer
_fr_content_allocate (FrContent *content,
                      gsize      size)
{
  gpointer mem = g_malloc0 (size);

  g_ptr_array_add (content->allocations, mem);
  return mem;
}

Language *
_fr_content_find_language (const FrContent *content,
                           const char      *code)
{
  if (code == NULL)
    return NULL;
  for (guint i = 0; i < content->languages->len; i++)
    {
      Language *lang = g_ptr_array_index (content->languages, i);

      if (strcmp (lang->code, code) == 0)
        return lang;
    }
  return NULL;
}

static gboolean
is_directory (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_DIR);
}

/* Site files that nothing reads are most likely typos: say so. */
static void
report_unused_site_files (Loader *ld)
{
  FrContent *content = ld->content;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  dir = g_dir_open (ld->site_dir, 0, NULL);
  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (ld->site_dir, name, NULL);
      g_autofree char *topics_path = NULL;
      g_autoptr(GDir) topics_dir = NULL;
      const char *topic_name;

      /* keyboards/: read by fr_keyboards_load(). */
      if (strcmp (name, "content.ini") == 0 || strcmp (name, "form.json") == 0 || strcmp (name, "keyboards") == 0)
        continue;
      if (!is_directory (path) || _fr_content_find_language (content, name) == NULL)
        {
          _fr_content_report (content, "warning: site file %s is not used (not a content language: list it in "
                              "content.ini [content] languages)", path);
          continue;
        }
      {
        static const char *const known[] = { "language.ini", "form.ini", "form-volunteer.ini", "consent.txt", "topics",
                                             NULL };
        g_autoptr(GDir) lang_dir = g_dir_open (path, 0, NULL);
        const char *file;

        while (lang_dir != NULL && (file = g_dir_read_name (lang_dir)) != NULL)
          if (!_fr_content_strv_has (known, file))
            _fr_content_report (content, "warning: site file %s" G_DIR_SEPARATOR_S "%s is not used", path, file);
      }
      topics_path = g_build_filename (path, "topics", NULL);
      topics_dir = g_dir_open (topics_path, 0, NULL);
      while (topics_dir != NULL && (topic_name = g_dir_read_name (topics_dir)) != NULL)
        {
          g_autofree char *id = NULL;

          if (g_str_has_suffix (topic_name, ".txt"))
            id = g_strndup (topic_name, strlen (topic_name) - 4);
          if (id == NULL || _fr_content_find_topic_meta (content->topics, id) == NULL)
            _fr_content_report (content, "warning: site file %s" G_DIR_SEPARATOR_S "%s is not used (no such topic "
                                "in the topic list)", topics_path, topic_name);
        }
    }
}

FrContent *
fr_content_load (const char *shipped_dir,
                 const char *site_dir,
                 GError    **error)
{
  g_autoptr(FrContent) content = NULL;
  Loader ld = { 0 };
  gboolean site_missing = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (shipped_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!is_directory (shipped_dir))
    return _fr_content_error (error, "%s: the shipped content folder does not exist", shipped_dir), NULL;
  if (site_dir != NULL && !g_file_test (site_dir, G_FILE_TEST_EXISTS))
    site_missing = TRUE;
  else if (site_dir != NULL && !is_directory (site_dir))
    return _fr_content_error (error, "%s: the site content folder is not a folder", site_dir), NULL;

  content = g_new0 (FrContent, 1);
  content->strings = g_string_chunk_new (4096);
  content->allocations = g_ptr_array_new_with_free_func (g_free);
  content->languages = g_ptr_array_new_with_free_func (language_free);
  content->codes = g_ptr_array_new ();
  content->groups = g_ptr_array_new_with_free_func (g_free);
  content->disabled_groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  content->discreet_words = g_ptr_array_new_with_free_func (g_free);
  content->docs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, _fr_content_doc_free);
  content->report = g_ptr_array_new_with_free_func (g_free);

  ld.content = content;
  ld.shipped_dir = shipped_dir;
  ld.site_dir = site_missing ? NULL : site_dir;
  if (site_missing)
    _fr_content_report (content, "warning: the site content folder %s does not exist; showing the shipped "
                        "content only", site_dir);

  if (!_fr_content_load_meta (&ld, error) || !_fr_content_load_forms (&ld, error))
    goto out;

  for (guint i = 0; i < content->languages->len; i++)
    {
      Language *lang = g_ptr_array_index (content->languages, i);

      if (!_fr_content_load_language_files (&ld, lang, error))
        goto out;
      g_ptr_array_add (content->codes, lang->code);
    }
  g_ptr_array_add (content->codes, NULL);

  /* English first: everything else falls back to it. */
  ld.english = _fr_content_find_language (content, FR_CONTENT_SOURCE_LANGUAGE);
  if (!_fr_content_resolve_language (&ld, ld.english, error))
    goto out;
  for (guint i = 0; i < content->languages->len; i++)
    {
      Language *lang = g_ptr_array_index (content->languages, i);

      if (lang != ld.english && !_fr_content_resolve_language (&ld, lang, error))
        goto out;
    }

  if (ld.site_dir != NULL)
    report_unused_site_files (&ld);
  ok = TRUE;

out:
  g_clear_pointer (&ld.shipped_meta, g_key_file_unref);
  g_clear_pointer (&ld.site_meta, g_key_file_unref);
  g_free (ld.shipped_meta_path);
  g_free (ld.site_meta_path);
  return ok ? g_steal_pointer (&content) : NULL;
}

/* ------------------------------------------------------------------------------------ */
/* Lookups                                                                              */

const char *const *
fr_content_get_languages (const FrContent *content)
{
  g_return_val_if_fail (content != NULL, NULL);
  return (const char *const *) content->codes->pdata;
}

gboolean
fr_content_has_language (const FrContent *content,
                         const char      *lang)
{
  g_return_val_if_fail (content != NULL, FALSE);
  return _fr_content_find_language (content, lang) != NULL;
}

const char *
fr_content_get_language_name (const FrContent *content,
                              const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  return l != NULL ? l->name : NULL;
}

const char *
fr_content_get_language_english_name (const FrContent *content,
                                      const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  return l != NULL ? l->english_name : NULL;
}

FrTextDirection
fr_content_get_language_direction (const FrContent *content,
                                   const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, FR_TEXT_DIRECTION_LTR);
  l = _fr_content_find_language (content, lang);
  return l != NULL ? l->direction : FR_TEXT_DIRECTION_LTR;
}

const char *
fr_content_get_language_record_code (const FrContent *content,
                                     const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  return l != NULL ? l->record_code : NULL;
}

const char *
fr_content_get_language_review (const FrContent *content,
                                const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  return l != NULL ? l->review : NULL;
}

const FrTopic *const *
fr_content_get_topics (const FrContent *content,
                       const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  return l != NULL ? (const FrTopic *const *) l->topics->pdata : NULL;
}

const FrTopic *
fr_content_get_topic (const FrContent *content,
                      const char      *lang,
                      const char      *id)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  for (guint i = 0; l != NULL && i + 1 < l->topics->len; i++)
    {
      const FrTopic *topic = g_ptr_array_index (l->topics, i);

      if (strcmp (topic->id, id) == 0)
        return topic;
    }
  return NULL;
}

const FrQuestion *const *
fr_content_get_form (const FrContent *content,
                     const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  return l != NULL ? (const FrQuestion *const *) l->form->pdata : NULL;
}

/**
 * fr_content_get_form_for:
 * @volunteer: the form as a volunteer taking the intake sees it (assisted, hotline):
 *   worded for a call ("What does the caller need?"), without the options that do not
 *   fit one; the same question ids, kinds and conditions
 */
const FrQuestion *const *
fr_content_get_form_for (const FrContent *content,
                         const char      *lang,
                         gboolean         volunteer)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  if (!volunteer)
    return fr_content_get_form (content, lang);
  l = _fr_content_find_language (content, lang);
  return l != NULL ? (const FrQuestion *const *) l->volunteer_form->pdata : NULL;
}

const char *
fr_content_get_group_title_for (const FrContent *content,
                                const char      *lang,
                                const char      *group,
                                gboolean         volunteer)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (group != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  if (l == NULL)
    return NULL;
  return g_hash_table_lookup (volunteer ? l->volunteer_group_titles : l->group_titles, group);
}

const char *
fr_content_get_group_intro_for (const FrContent *content,
                                const char      *lang,
                                const char      *group,
                                gboolean         volunteer)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (group != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  if (l == NULL)
    return NULL;
  return g_hash_table_lookup (volunteer ? l->volunteer_group_intros : l->group_intros, group);
}

const FrQuestion *
fr_content_get_question (const FrContent *content,
                         const char      *lang,
                         const char      *id)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  for (guint i = 0; l != NULL && i + 1 < l->form->len; i++)
    {
      const FrQuestion *question = g_ptr_array_index (l->form, i);

      if (strcmp (question->id, id) == 0)
        return question;
    }
  return NULL;
}

gboolean
fr_content_group_enabled (const FrContent *content,
                          const char      *group)
{
  g_return_val_if_fail (content != NULL, FALSE);
  g_return_val_if_fail (group != NULL, FALSE);
  return g_ptr_array_find_with_equal_func (content->groups, group, g_str_equal, NULL)
         && !g_hash_table_contains (content->disabled_groups, group);
}

const char *
fr_content_get_group_title (const FrContent *content,
                            const char      *lang,
                            const char      *group)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (group != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  return l != NULL ? g_hash_table_lookup (l->group_titles, group) : NULL;
}

const char *
fr_content_get_group_intro (const FrContent *content,
                            const char      *lang,
                            const char      *group)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (group != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  return l != NULL ? g_hash_table_lookup (l->group_intros, group) : NULL;
}

const char *
fr_content_get_consent_version (const FrContent *content)
{
  g_return_val_if_fail (content != NULL, NULL);
  return content->consent_version;
}

const FrTopic *
fr_content_get_consent (const FrContent *content,
                        const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  return l != NULL ? l->consent : NULL;
}

const char *
fr_content_get_consent_agree (const FrContent *content,
                              const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  return l != NULL ? l->consent_agree : NULL;
}

const char *
fr_content_get_consent_decline (const FrContent *content,
                                const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = _fr_content_find_language (content, lang);
  return l != NULL ? l->consent_decline : NULL;
}
