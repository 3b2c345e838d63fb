/* fr-content-check.c — what the loaded content says about itself
 *
 * The strings each language shows, their placeholders against English's, the check
 * report (--check-config and the maintenance screen), the review lines, the
 * discreet-title test and placeholder expansion.
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>

#include "fr-content-private.h"

/* Placeholders the kiosk fills in; anything else in braces is reported. */
static const char *const known_placeholders[] = { "site", NULL };

/* ------------------------------------------------------------------------------------ */
/* Strings, placeholders, the check report                                              */

typedef void (*ItemFunc) (const char *item,
                          const char *text,
                          gpointer    user_data);

/* Every string shown for @l, each with a name that is the same in every language. */
static void
foreach_item (const FrContent *content,
              Language        *l,
              ItemFunc         func,
              gpointer         user_data)
{
  func ("language name", l->name, user_data);
  for (guint i = 0; i + 1 < l->topics->len; i++)
    {
      const FrTopic *topic = g_ptr_array_index (l->topics, i);
      g_autofree char *item = g_strconcat ("topic ", topic->id, NULL);

      func (item, topic->title, user_data);
      for (guint j = 0; topic->paragraphs[j] != NULL; j++)
        func (item, topic->paragraphs[j], user_data);
    }
  func ("consent text", l->consent->title, user_data);
  for (guint j = 0; l->consent->paragraphs[j] != NULL; j++)
    func ("consent text", l->consent->paragraphs[j], user_data);
  func ("label [consent] agree", l->consent_agree, user_data);
  func ("label [consent] decline", l->consent_decline, user_data);
  for (guint i = 0; i < content->groups->len; i++)
    {
      const char *group = g_ptr_array_index (content->groups, i);
      const char *title = g_hash_table_lookup (l->group_titles, group);
      const char *intro = g_hash_table_lookup (l->group_intros, group);
      g_autofree char *title_item = g_strdup_printf ("label [group %s] title", group);
      g_autofree char *intro_item = g_strdup_printf ("label [group %s] intro", group);

      if (title != NULL)
        func (title_item, title, user_data);
      if (intro != NULL)
        func (intro_item, intro, user_data);
    }
  for (guint i = 0; i + 1 < l->form->len; i++)
    {
      const FrQuestion *q = g_ptr_array_index (l->form, i);
      g_autofree char *label_item = g_strdup_printf ("label [question %s] label", q->id);
      g_autofree char *help_item = g_strdup_printf ("label [question %s] help", q->id);

      func (label_item, q->label, user_data);
      if (q->help != NULL)
        func (help_item, q->help, user_data);
      for (guint j = 0; j < q->n_options; j++)
        {
          g_autofree char *option_item = g_strdup_printf ("label [question %s] option.%s", q->id,
                                                          q->options[j].id);

          func (option_item, q->options[j].label, user_data);
        }
    }
}

static void
add_string (const char *item,
            const char *text,
            gpointer    user_data)
{
  g_ptr_array_add (user_data, (gpointer) text);
}

GPtrArray *
fr_content_list_strings (const FrContent *content,
                         const char      *lang)
{
  GPtrArray *strings;
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (lang != NULL, NULL);

  strings = g_ptr_array_new ();
  l = _fr_content_find_language (content, lang);
  if (l != NULL)
    foreach_item (content, l, add_string, strings);
  return strings;
}

/* The placeholders in @text ({name}, %s, %d, %u, %i, %N$s ...), one per line, sorted. */
static void
append_placeholders (GPtrArray  *out,
                     const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '{')
        {
          const char *end = p + 1;

          while (g_ascii_isalnum (*end) || *end == '_' || *end == '-')
            end++;
          if (*end == '}' && end > p + 1)
            {
              g_ptr_array_add (out, g_strndup (p, (gsize) (end - p + 1)));
              p = end;
            }
        }
      else if (*p == '%')
        {
          const char *end = p + 1;

          if (*end == '%')
            {
              p = end;
              continue;
            }
          while (g_ascii_isdigit (*end))
            end++;
          if (*end == '$')
            end++;
          else
            end = p + 1;
          if (*end != '\0' && strchr ("sdui", *end) != NULL)
            {
              g_ptr_array_add (out, g_strndup (p, (gsize) (end - p + 1)));
              p = end;
            }
        }
    }
}

static void
collect_placeholders (const char *item,
                      const char *text,
                      gpointer    user_data)
{
  GHashTable *table = user_data;
  GPtrArray *list = g_hash_table_lookup (table, item);

  if (list == NULL)
    {
      list = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (table, g_strdup (item), list);
    }
  append_placeholders (list, text);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static char *
placeholder_key (GPtrArray *list)
{
  g_autoptr(GPtrArray) copy = g_ptr_array_new ();

  if (list == NULL)
    return g_strdup ("");
  for (guint i = 0; i < list->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (list, i));
  g_ptr_array_sort (copy, compare_strings);
  g_ptr_array_add (copy, NULL);
  return g_strjoinv (" ", (char **) copy->pdata);
}

static GHashTable *
placeholder_table (const FrContent *content,
                   Language        *l)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);

  foreach_item (content, l, collect_placeholders, table);
  return table;
}

static void
check_placeholders (const FrContent *content,
                    Language        *l,
                    GHashTable      *english,
                    GPtrArray       *lines)
{
  g_autoptr(GHashTable) table = placeholder_table (content, l);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (items, key);
  g_ptr_array_sort (items, compare_strings);

  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);
      GPtrArray *list = g_hash_table_lookup (table, item);
      g_autofree char *mine = placeholder_key (list);
      g_autofree char *theirs = placeholder_key (g_hash_table_lookup (english, item));

      for (guint j = 0; j < list->len; j++)
        {
          const char *ph = g_ptr_array_index (list, j);

          if (ph[0] == '{')
            {
              g_autofree char *name = g_strndup (ph + 1, strlen (ph) - 2);

              if (!_fr_content_strv_has (known_placeholders, name))
                g_ptr_array_add (lines, g_strdup_printf ("warning: %s: %s: unknown placeholder %s",
                                                         l->code, item, ph));
            }
        }
      if (l != _fr_content_find_language (content, FR_CONTENT_SOURCE_LANGUAGE) && strcmp (mine, theirs) != 0)
        g_ptr_array_add (lines, g_strdup_printf ("warning: %s: %s: placeholders differ from English "
                                                 "(%s: \"%s\", en: \"%s\")", l->code, item, l->code,
                                                 mine, theirs));
    }
}

GPtrArray *
fr_content_check (const FrContent   *content,
                  const char *const *offered_languages,
                  const char *const *contact_ids,
                  guint             *n_missing)
{
  GPtrArray *lines;
  g_autoptr(GHashTable) english = NULL;
  guint missing = 0;

  g_return_val_if_fail (content != NULL, NULL);

  lines = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < content->report->len; i++)
    g_ptr_array_add (lines, g_strdup (g_ptr_array_index (content->report, i)));

  /* A site that changes the consent text should give it a new version. */
  {
    gboolean consent_changed = FALSE;

    for (guint i = 0; i < content->report->len; i++)
      if (g_str_has_prefix (g_ptr_array_index (content->report, i), "override: ")
          && g_str_has_suffix (g_ptr_array_index (content->report, i), ": consent text"))
        consent_changed = TRUE;
    for (guint i = 0; consent_changed && i < content->report->len; i++)
      if (g_str_has_prefix (g_ptr_array_index (content->report, i), "override: consent version"))
        consent_changed = FALSE;
    if (consent_changed)
      g_ptr_array_add (lines, g_strdup_printf ("warning: the site changes the consent text but keeps "
                                               "consent version %s; set a new [consent] version in "
                                               "its content.ini", content->consent_version));
  }

  for (guint i = 0; offered_languages != NULL && offered_languages[i] != NULL; i++)
    if (_fr_content_find_language (content, offered_languages[i]) == NULL)
      {
        g_ptr_array_add (lines, g_strdup_printf ("missing: language %s is offered but has no content",
                                                 offered_languages[i]));
        missing++;
      }

  english = placeholder_table (content, _fr_content_find_language (content, FR_CONTENT_SOURCE_LANGUAGE));
  for (guint i = 0; i < content->languages->len; i++)
    {
      Language *l = g_ptr_array_index (content->languages, i);

      if (offered_languages != NULL && !_fr_content_strv_has (offered_languages, l->code))
        continue;
      for (guint j = 0; j < l->missing->len; j++)
        {
          g_ptr_array_add (lines, g_strdup_printf ("missing: %s: %s (English shown)", l->code,
                                                   (char *) g_ptr_array_index (l->missing, j)));
          missing++;
        }
      check_placeholders (content, l, english, lines);
      for (guint j = 0; l->topics != NULL && j + 1 < l->topics->len; j++)
        {
          const FrTopic *topic = g_ptr_array_index (l->topics, j);
          const char *word = fr_content_find_indiscreet_word (content, topic->title);

          if (word != NULL)
            g_ptr_array_add (lines, g_strdup_printf ("warning: %s: topic %s: its home tile \"%s\" "
                                                     "contains \"%s\" (discreet-titles); give the "
                                                     "topic a title that is safe to read from afar",
                                                     l->code, topic->id, topic->title, word));
        }
    }

  if (contact_ids != NULL)
    {
      /* One line per contact, naming every topic that shows it. */
      g_autoptr(GPtrArray) absent = g_ptr_array_new ();
      g_autoptr(GHashTable) named_by = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                              (GDestroyNotify) g_ptr_array_unref);

      for (guint i = 0; i < content->topics->len; i++)
        {
          TopicMeta *meta = g_ptr_array_index (content->topics, i);

          for (guint j = 0; j + 1 < meta->contacts->len; j++)
            {
              const char *contact = g_ptr_array_index (meta->contacts, j);
              GPtrArray *topics;

              if (g_str_has_prefix (contact, FR_CONTENT_TILE_PREFIX) || _fr_content_strv_has (contact_ids, contact))
                continue;
              topics = g_hash_table_lookup (named_by, contact);
              if (topics == NULL)
                {
                  topics = g_ptr_array_new ();
                  g_hash_table_insert (named_by, (gpointer) contact, topics);
                  g_ptr_array_add (absent, (gpointer) contact);
                }
              g_ptr_array_add (topics, meta->id);
            }
        }
      for (guint i = 0; i < absent->len; i++)
        {
          const char *contact = g_ptr_array_index (absent, i);
          GPtrArray *topics = g_hash_table_lookup (named_by, contact);
          g_autofree char *joined = NULL;

          g_ptr_array_add (topics, NULL);
          joined = g_strjoinv (", ", (char **) topics->pdata);
          g_ptr_array_add (lines, g_strdup_printf ("missing: contact %s (shown under topic%s %s) is not "
                                                   "in kiosk.conf", contact,
                                                   topics->len > 2 ? "s" : "", joined));
          missing++;
        }
    }

  if (n_missing != NULL)
    *n_missing = missing;
  return lines;
}

/**
 * fr_content_review_lines:
 * @offered_languages: (nullable): the site's languages; %NULL: every language
 *
 * Returns: (transfer full) (element-type utf8): one line per language, "review: th
 * (Thai): machine-drafted …" — its review status from language.ini (i18n/CONTENT.md),
 * for --check-config and the maintenance screen.
 */
GPtrArray *
fr_content_review_lines (const FrContent   *content,
                         const char *const *offered_languages)
{
  GPtrArray *lines;

  g_return_val_if_fail (content != NULL, NULL);

  lines = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < content->codes->len && content->codes->pdata[i] != NULL; i++)
    {
      const char *code = g_ptr_array_index (content->codes, i);
      const char *review = fr_content_get_language_review (content, code);
      const char *english = fr_content_get_language_english_name (content, code);

      if (offered_languages != NULL && !_fr_content_strv_has (offered_languages, code))
        continue;
      g_ptr_array_add (lines, g_strdup_printf ("review: %s (%s): %s", code, english ? english : code,
                                               review ? review : "not recorded (no review= in its language.ini)"));
    }
  return lines;
}

/**
 * fr_content_find_indiscreet_word:
 * @title: a title drawn large enough to read from across the room (a home tile)
 *
 * Returns: (nullable): the first word of the discreet-title list (shipped and site,
 * case-folded) that @title contains, or %NULL if it has none.
 */
const char *
fr_content_find_indiscreet_word (const FrContent *content,
                                 const char      *title)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  folded = g_utf8_casefold (title, -1);
  for (guint i = 0; i < content->discreet_words->len; i++)
    if (strstr (folded, g_ptr_array_index (content->discreet_words, i)) != NULL)
      return g_ptr_array_index (content->discreet_words, i);
  return NULL;
}

char *
fr_content_expand (const char        *text,
                   const char *const *vars)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; )
    {
      gboolean replaced = FALSE;

      if (*p == '{')
        for (guint i = 0; vars != NULL && vars[i] != NULL && vars[i + 1] != NULL; i += 2)
          {
            gsize len = strlen (vars[i]);

            if (strncmp (p + 1, vars[i], len) == 0 && p[len + 1] == '}')
              {
                g_string_append (out, vars[i + 1]);
                p += len + 2;
                replaced = TRUE;
                break;
              }
          }
      if (!replaced)
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}
