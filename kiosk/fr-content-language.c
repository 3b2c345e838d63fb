/* fr-content-language.c — one language: its language.ini, then every text it shows
 *
 * language.ini names the language and its direction (the site's keys over the shipped
 * ones); its labels are read by fr-content-labels.c. Resolving a language makes its
 * topics, consent, group titles and questions, each text falling back to English.
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>

#include "fr-content-private.h"

char *
fr_language_record_code (const char *lang)
{
  const char *p = lang;
  gsize n = 0;
  char *code;

  g_return_val_if_fail (lang != NULL, NULL);

  while (g_ascii_islower (*p))
    p++, n++;
  if (n < 2 || n > 3)
    return NULL;
  if (*p == '_')
    {
      const char *region = p + 1;
      gsize len = strlen (region);
      gboolean ok = FALSE;

      if (len == 2)
        ok = g_ascii_isupper (region[0]) && g_ascii_isupper (region[1]);
      else if (len == 3)
        ok = g_ascii_isdigit (region[0]) && g_ascii_isdigit (region[1]) && g_ascii_isdigit (region[2]);
      else if (len == 4)
        ok = g_ascii_isupper (region[0]) && g_ascii_islower (region[1])
             && g_ascii_islower (region[2]) && g_ascii_islower (region[3]);
      if (!ok)
        return NULL;
    }
  else if (*p != '\0')
    return NULL;

  code = g_strdup (lang);
  g_strdelimit (code, "_", '-');
  return code;
}

gboolean
_fr_content_load_language_files (Loader   *ld,
                                 Language *lang,
                                 GError  **error)
{
  static const char *const language_keys[] = { "name", "english-name", "direction", "review", NULL };
  FrContent *content = ld->content;
  g_autofree char *shipped_info_path = NULL;
  g_autofree char *site_info_path = NULL;
  g_autoptr(GKeyFile) shipped_info = NULL;
  g_autoptr(GKeyFile) site_info = NULL;
  g_autofree char *direction = NULL;
  GError *local_error = NULL;
  GKeyFile *infos[2];
  const char *info_paths[2];
  guint n_infos = 0;

  lang->record_code = fr_language_record_code (lang->code);
  if (lang->record_code == NULL)
    return _fr_content_error (error, "language %s: not a language code such as sv or zh_CN", lang->code);

  /* language.ini: the site's keys over the shipped ones. */
  if (!lang->site_added)
    {
      shipped_info_path = g_build_filename (ld->shipped_dir, lang->code, "language.ini", NULL);
      shipped_info = _fr_content_load_keyfile (shipped_info_path, TRUE, error);
      if (shipped_info == NULL)
        return FALSE;
    }
  if (ld->site_dir != NULL)
    {
      site_info_path = g_build_filename (ld->site_dir, lang->code, "language.ini", NULL);
      site_info = _fr_content_load_keyfile (site_info_path, lang->site_added, &local_error);
      if (local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
    }
  if (site_info != NULL)
    infos[n_infos] = site_info, info_paths[n_infos++] = site_info_path;
  if (shipped_info != NULL)
    infos[n_infos] = shipped_info, info_paths[n_infos++] = shipped_info_path;
  if (n_infos == 0)
    return _fr_content_error (error, "language %s: language.ini is missing", lang->code);

  for (guint i = 0; i < n_infos; i++)
    {
      g_auto(GStrv) groups = g_key_file_get_groups (infos[i], NULL);

      for (guint j = 0; groups[j] != NULL; j++)
        if (strcmp (groups[j], "language") != 0)
          return _fr_content_error (error, "%s: unknown group [%s]", info_paths[i], groups[j]);
      if (!_fr_content_check_keys (infos[i], info_paths[i], "language", language_keys, error))
        return FALSE;
    }
  for (guint i = 0; i < n_infos; i++)
    {
      if (lang->name == NULL
          && (lang->name = _fr_content_get_text (infos[i], info_paths[i], "language", "name", FALSE, &local_error)) == NULL
          && local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
      if (lang->english_name == NULL
          && (lang->english_name = _fr_content_get_text (infos[i], info_paths[i], "language", "english-name",
                                                         FALSE, &local_error)) == NULL
          && local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
      if (lang->review == NULL
          && (lang->review = _fr_content_get_text (infos[i], info_paths[i], "language", "review", FALSE,
                                                   &local_error)) == NULL
          && local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
      if (direction == NULL)
        direction = g_key_file_get_value (infos[i], "language", "direction", NULL);
    }
  if (lang->name == NULL)
    return _fr_content_error (error, "%s: [language]: name is missing", info_paths[n_infos - 1]);
  if (lang->english_name == NULL)
    return _fr_content_error (error, "%s: [language]: english-name is missing", info_paths[n_infos - 1]);
  if (g_strcmp0 (direction, "ltr") == 0)
    lang->direction = FR_TEXT_DIRECTION_LTR;
  else if (g_strcmp0 (direction, "rtl") == 0)
    lang->direction = FR_TEXT_DIRECTION_RTL;
  else
    return _fr_content_error (error, "%s: [language]: direction must be ltr or rtl", info_paths[n_infos - 1]);
  if (site_info != NULL && !lang->site_added)
    _fr_content_report (content, "override: %s: language.ini", lang->code);
  if (lang->site_added)
    _fr_content_report (content, "add: language %s (%s)", lang->code, lang->name);

  return _fr_content_load_labels (ld, lang, error);
}

gboolean
_fr_content_resolve_language (Loader   *ld,
                              Language *lang,
                              GError  **error)
{
  FrContent *content = ld->content;

  /* Topics */
  for (guint i = 0; i < content->topics->len; i++)
    {
      TopicMeta *meta = g_ptr_array_index (content->topics, i);
      g_autofree char *file = g_strconcat ("topics" G_DIR_SEPARATOR_S, meta->id, ".txt", NULL);
      g_autofree char *what = g_strconcat ("topic ", meta->id, NULL);
      FrTopic *topic = _fr_content_make_topic (ld, lang, meta->id, file, what, error);

      if (topic == NULL)
        return FALSE;
      topic->version = meta->version;
      topic->reviewed = _fr_content_intern (content, meta->reviewed);
      topic->contacts = (const char *const *) meta->contacts->pdata;
      g_ptr_array_add (lang->topics, topic);
    }
  g_ptr_array_add (lang->topics, NULL);

  /* Consent */
  lang->consent = _fr_content_make_topic (ld, lang, CONSENT_ID, "consent.txt", "consent", error);
  if (lang->consent == NULL)
    return FALSE;
  lang->consent->contacts = (const char *const *) _fr_content_allocate (content, sizeof (char *));
  if ((lang->consent_agree = _fr_content_resolve_label (ld, lang, "consent", "agree", NULL, NULL, TRUE, error)) == NULL
      || (lang->consent_decline = _fr_content_resolve_label (ld, lang, "consent", "decline", NULL, NULL, TRUE, error)) == NULL)
    return FALSE;

  /* Groups */
  for (guint i = 0; i < content->groups->len; i++)
    {
      const char *group_id = g_ptr_array_index (content->groups, i);
      g_autofree char *group = g_strconcat ("group ", group_id, NULL);
      const char *title, *intro;
      GError *local_error = NULL;

      if (g_hash_table_contains (content->disabled_groups, group_id))
        continue;
      title = _fr_content_resolve_label (ld, lang, group, "title", NULL, NULL, TRUE, error);
      if (title == NULL)
        return FALSE;
      intro = _fr_content_resolve_label (ld, lang, group, "intro", NULL, NULL, FALSE, &local_error);
      g_hash_table_insert (lang->group_titles, (gpointer) _fr_content_intern (content, group_id), (gpointer) title);
      if (intro != NULL)
        g_hash_table_insert (lang->group_intros, (gpointer) _fr_content_intern (content, group_id), (gpointer) intro);
      g_clear_error (&local_error);
      g_hash_table_insert (lang->volunteer_group_titles, (gpointer) _fr_content_intern (content, group_id),
                           (gpointer) _fr_content_volunteer_label (ld, lang, group, "title", title));
      intro = _fr_content_volunteer_label (ld, lang, group, "intro", intro);
      if (intro != NULL)
        g_hash_table_insert (lang->volunteer_group_intros, (gpointer) _fr_content_intern (content, group_id), (gpointer) intro);
    }

  /* Questions */
  for (guint i = 0; i < content->form->len; i++)
    {
      const QuestionDef *def = g_ptr_array_index (content->form, i);
      g_autofree char *group = g_strconcat ("question ", def->id, NULL);
      FrQuestion *question = _fr_content_allocate (content, sizeof (FrQuestion));
      GError *local_error = NULL;

      question->id = _fr_content_intern (content, def->id);
      question->kind = def->kind;
      question->optional = def->optional;
      question->group = _fr_content_intern (content, def->group);
      question->max_length = def->max_length;
      question->show_if_question = _fr_content_intern (content, def->show_if_question);
      question->show_if_values = (const char *const *) def->show_if_values;
      question->label = _fr_content_resolve_label (ld, lang, group, "label", NULL, NULL, TRUE, error);
      if (question->label == NULL)
        return FALSE;
      question->help = _fr_content_resolve_label (ld, lang, group, "help", NULL, NULL, FALSE, &local_error);
      if (def->options != NULL)
        {
          FrOption *options;

          question->n_options = g_strv_length (def->options);
          options = _fr_content_allocate (content, question->n_options * sizeof (FrOption));
          for (guint j = 0; j < question->n_options; j++)
            {
              g_autofree char *key = g_strconcat ("option.", def->options[j], NULL);

              options[j].id = _fr_content_intern (content, def->options[j]);
              options[j].label = _fr_content_resolve_label (ld, lang, group, key,
                                                            def->kind == FR_QUESTION_YESNO ? "form" : NULL,
                                                            def->options[j], TRUE, error);
              if (options[j].label == NULL)
                return FALSE;
            }
          question->options = options;
        }
      g_ptr_array_add (lang->all_questions, question);
      if (!g_hash_table_contains (content->disabled_groups, def->group))
        {
          g_ptr_array_add (lang->form, question);
          g_ptr_array_add (lang->volunteer_form, _fr_content_volunteer_question (ld, lang, def, question));
        }
    }
  g_ptr_array_add (lang->form, NULL);
  g_ptr_array_add (lang->volunteer_form, NULL);

  _fr_content_report_label_overrides (ld, lang);
  return TRUE;
}
