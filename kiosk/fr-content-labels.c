/* fr-content-labels.c — the labels: LANG/form.ini and LANG/form-volunteer.ini
 *
 * A label is looked up in the site's file, then the shipped one, then in English (noted
 * as missing); a volunteer's wording ("volunteer.KEY") falls back to the person's own.
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>

#include "fr-content-private.h"

/* Every [group] and key a label file may have, given the questions of both forms. */
static gboolean
check_label_file (Loader     *ld,
                  GKeyFile   *keyfile,
                  const char *path,
                  GError    **error)
{
  static const char *const form_keys[] = { "yes", "no", "prefer-not-to-say", NULL };
  static const char *const consent_keys[] = { "agree", "decline", NULL };
  static const char *const group_keys[] = { "title", "intro", "volunteer.title", "volunteer.intro", NULL };
  FrContent *content = ld->content;
  g_auto(GStrv) groups = g_key_file_get_groups (keyfile, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];

      if (strcmp (group, "form") == 0)
        {
          if (!_fr_content_check_keys (keyfile, path, group, form_keys, error))
            return FALSE;
        }
      else if (strcmp (group, "consent") == 0)
        {
          if (!_fr_content_check_keys (keyfile, path, group, consent_keys, error))
            return FALSE;
        }
      else if (g_str_has_prefix (group, "group "))
        {
          const char *id = group + strlen ("group ");
          gboolean known = g_ptr_array_find_with_equal_func (content->groups, id, g_str_equal, NULL);

          for (guint j = 0; !known && j < content->shipped_form->len; j++)
            known = strcmp (((QuestionDef *) g_ptr_array_index (content->shipped_form, j))->group, id) == 0;
          if (!known)
            return _fr_content_error (error, "%s: [%s]: no question uses this group", path, group);
          if (!_fr_content_check_keys (keyfile, path, group, group_keys, error))
            return FALSE;
        }
      else if (g_str_has_prefix (group, "question "))
        {
          const char *id = group + strlen ("question ");
          const QuestionDef *def = _fr_content_find_def (content->form, id);
          const QuestionDef *shipped = _fr_content_find_def (content->shipped_form, id);
          g_auto(GStrv) keys = g_key_file_get_keys (keyfile, group, NULL, NULL);

          if (def == NULL && shipped == NULL)
            return _fr_content_error (error, "%s: [%s]: the form has no such question", path, group);
          for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
            {
              const char *k = keys[j];

              /* volunteer.KEY: the same, worded for a volunteer taking the intake. */
              if (g_str_has_prefix (k, "volunteer."))
                k += strlen ("volunteer.");
              if (strcmp (k, "label") == 0 || strcmp (k, "help") == 0)
                continue;
              if (g_str_has_prefix (k, "option.")
                  && ((def != NULL && _fr_content_strv_has ((const char *const *) def->options, k + 7))
                      || (shipped != NULL && _fr_content_strv_has ((const char *const *) shipped->options, k + 7))))
                continue;
              return _fr_content_error (error, "%s: [%s]: unknown key %s", path, group, k);
            }
        }
      else
        return _fr_content_error (error, "%s: unknown group [%s]", path, group);

      /* Every value must be clean text. */
      {
        g_auto(GStrv) keys = g_key_file_get_keys (keyfile, group, NULL, NULL);

        for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
          {
            g_autofree char *value = _fr_content_get_text (keyfile, path, group, keys[j], TRUE, error);

            if (value == NULL)
              return FALSE;
          }
      }
    }
  return TRUE;
}

/* form-volunteer.ini: the form worded for a volunteer taking the intake (assisted,
 * hotline), with the groups and keys of form.ini ([group ID] title, intro; [question ID]
 * label, help, option.OPTION). Checked like form.ini, then kept in @labels as
 * "volunteer.KEY", where _fr_content_volunteer_label() looks first. */
static gboolean
merge_volunteer_labels (Loader     *ld,
                        GKeyFile  **labels,
                        const char *dir,
                        const char *code,
                        GError    **error)
{
  g_autofree char *path = g_build_filename (dir, code, "form-volunteer.ini", NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GKeyFile) volunteer = _fr_content_load_keyfile (path, FALSE, &local_error);
  g_auto(GStrv) groups = NULL;

  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
  if (volunteer == NULL)
    return TRUE;
  if (!check_label_file (ld, volunteer, path, error))
    return FALSE;
  if (*labels == NULL)
    *labels = g_key_file_new ();
  groups = g_key_file_get_groups (volunteer, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (volunteer, groups[i], NULL, NULL);

      if (!g_str_has_prefix (groups[i], "group ") && !g_str_has_prefix (groups[i], "question "))
        return _fr_content_error (error, "%s: [%s]: only [group ID] and [question ID] can be worded for volunteers",
                                  path, groups[i]);
      for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
        {
          g_autofree char *value = g_key_file_get_string (volunteer, groups[i], keys[j], NULL);
          g_autofree char *key = g_strconcat ("volunteer.", keys[j], NULL);

          if (g_str_has_prefix (keys[j], "volunteer."))
            return _fr_content_error (error, "%s: [%s]: %s: no \"volunteer.\" in this file", path, groups[i], keys[j]);
          g_key_file_set_string (*labels, groups[i], key, value);
        }
    }
  return TRUE;
}

/* LANG/form.ini, then LANG/form-volunteer.ini: the shipped files (a language the site
 * added has none), then the site's. */
gboolean
_fr_content_load_labels (Loader   *ld,
                         Language *lang,
                         GError  **error)
{
  GError *local_error = NULL;

  if (!lang->site_added)
    {
      g_autofree char *path = g_build_filename (ld->shipped_dir, lang->code, "form.ini", NULL);

      lang->shipped_labels = _fr_content_load_keyfile (path, FALSE, &local_error);
      if (local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
      if (lang->shipped_labels != NULL && !check_label_file (ld, lang->shipped_labels, path, error))
        return FALSE;
      if (!merge_volunteer_labels (ld, &lang->shipped_labels, ld->shipped_dir, lang->code, error))
        return FALSE;
    }
  if (ld->site_dir != NULL)
    {
      g_autofree char *path = g_build_filename (ld->site_dir, lang->code, "form.ini", NULL);

      lang->site_labels = _fr_content_load_keyfile (path, FALSE, &local_error);
      if (local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
      if (lang->site_labels != NULL && !check_label_file (ld, lang->site_labels, path, error))
        return FALSE;
      if (!merge_volunteer_labels (ld, &lang->site_labels, ld->site_dir, lang->code, error))
        return FALSE;
    }
  return TRUE;
}

/* Looks @key up in @group (or, failing that, @alt_key in @alt_group) in @lang's own
 * label files, then in English. A label found only in English is noted as missing in
 * @lang; one found nowhere is an error if @required. */
const char *
_fr_content_resolve_label (Loader     *ld,
                           Language   *lang,
                           const char *group,
                           const char *key,
                           const char *alt_group,
                           const char *alt_key,
                           gboolean    required,
                           GError    **error)
{
  Language *sources[2] = { lang, ld->english };

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      GKeyFile *files[2] = { sources[s]->site_labels, sources[s]->shipped_labels };

      if (s == 1 && lang == ld->english)
        break;
      for (guint pass = 0; pass < 2; pass++)
        {
          const char *g = pass == 0 ? group : alt_group;
          const char *k = pass == 0 ? key : alt_key;

          if (g == NULL)
            continue;
          for (guint f = 0; f < G_N_ELEMENTS (files); f++)
            {
              g_autofree char *value = NULL;

              if (files[f] == NULL || !g_key_file_has_key (files[f], g, k, NULL))
                continue;
              value = g_key_file_get_string (files[f], g, k, NULL);
              g_strstrip (value);   /* validated in check_label_file() */
              if (s == 1)
                {
                  /* Name the label that is missing once, even if many questions use it. */
                  g_autofree char *what = g_strdup_printf ("label [%s] %s", g, k);

                  if (!g_ptr_array_find_with_equal_func (lang->missing, what, g_str_equal, NULL))
                    g_ptr_array_add (lang->missing, g_steal_pointer (&what));
                }
              return _fr_content_intern (ld->content, value);
            }
        }
    }
  if (required)
    {
      g_autofree char *shipped = g_build_filename (ld->shipped_dir, FR_CONTENT_SOURCE_LANGUAGE,
                                                   "form.ini", NULL);
      g_autofree char *site = ld->site_dir == NULL ? NULL
                              : g_build_filename (ld->site_dir, FR_CONTENT_SOURCE_LANGUAGE,
                                                  "form.ini", NULL);

      _fr_content_error (error, "no English label [%s] %s (looked in %s%s%s)", group, key,
                         site != NULL ? site : "", site != NULL ? " and " : "", shipped);
    }
  return NULL;
}

/* A volunteer's wording: "volunteer.KEY" from @lang's own label files (site first), else
 * the person's own wording @fallback in @lang. Not in English as a fallback, and not
 * noted as missing: a language without form-volunteer.ini (a site's own language) is
 * complete with its form.ini; the shipped languages all have one (tests/ui/test-visit.c). */
const char *
_fr_content_volunteer_label (Loader     *ld,
                             Language   *lang,
                             const char *group,
                             const char *key,
                             const char *fallback)
{
  g_autofree char *volunteer_key = g_strconcat ("volunteer.", key, NULL);
  GKeyFile *files[2] = { lang->site_labels, lang->shipped_labels };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    if (files[f] != NULL && g_key_file_has_key (files[f], group, volunteer_key, NULL))
      {
        g_autofree char *value = g_key_file_get_string (files[f], group, volunteer_key, NULL);

        g_strstrip (value);   /* validated in check_label_file() */
        return _fr_content_intern (ld->content, value);
      }
  return fallback;
}

/* The question as a volunteer sees it when taking the intake: their wording, and without
 * the options that do not fit (the ids and the order stay those of the form). */
FrQuestion *
_fr_content_volunteer_question (Loader            *ld,
                                Language          *lang,
                                const QuestionDef *def,
                                const FrQuestion  *question)
{
  FrContent *content = ld->content;
  g_autofree char *group = g_strconcat ("question ", def->id, NULL);
  FrQuestion *copy = _fr_content_allocate (content, sizeof (FrQuestion));

  *copy = *question;
  copy->label = _fr_content_volunteer_label (ld, lang, group, "label", question->label);
  copy->help = _fr_content_volunteer_label (ld, lang, group, "help", question->help);
  if (question->options != NULL)
    {
      FrOption *options = _fr_content_allocate (content, question->n_options * sizeof (FrOption));
      guint n = 0;

      for (guint j = 0; j < question->n_options; j++)
        {
          g_autofree char *key = g_strconcat ("option.", question->options[j].id, NULL);

          if (_fr_content_strv_has ((const char *const *) def->volunteer_hide, question->options[j].id))
            continue;
          options[n].id = question->options[j].id;
          options[n].label = def->kind == FR_QUESTION_YESNO ? question->options[j].label
                             : _fr_content_volunteer_label (ld, lang, group, key, question->options[j].label);
          n++;
        }
      copy->options = options;
      copy->n_options = n;
    }
  return copy;
}

void
_fr_content_report_label_overrides (Loader   *ld,
                                    Language *lang)
{
  g_auto(GStrv) groups = NULL;
  g_autoptr(GString) replaced = g_string_new (NULL);
  g_autoptr(GString) added = g_string_new (NULL);

  if (lang->site_labels == NULL || lang->site_added)
    return;
  groups = g_key_file_get_groups (lang->site_labels, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (lang->site_labels, groups[i], NULL, NULL);

      for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
        {
          gboolean shipped = lang->shipped_labels != NULL
                             && g_key_file_has_key (lang->shipped_labels, groups[i], keys[j], NULL);
          GString *list = shipped ? replaced : added;

          g_string_append_printf (list, "%s[%s] %s", list->len > 0 ? ", " : "", groups[i], keys[j]);
        }
    }
  if (replaced->len > 0)
    _fr_content_report (ld->content, "override: %s: labels %s", lang->code, replaced->str);
  if (added->len > 0)
    _fr_content_report (ld->content, "add: %s: labels %s", lang->code, added->str);
}
