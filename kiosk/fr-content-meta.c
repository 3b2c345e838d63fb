/* fr-content-meta.c — content.ini: the topics and their contacts, the languages, the
 * consent version and the discreet-title words
 *
 * The shipped content.ini is required and names the topics in display order; the site's
 * may add topics and languages, change a topic's details, reorder or leave out topics,
 * turn question groups off and set a new consent version. Each change is reported.
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>

#include "fr-content-private.h"

#define CONTENT_FORMAT      "1"

/* Home-screen tiles a topic may name (kiosk/SITE.md). */
static const char *const known_tiles[] = { "help-now", "talk", NULL };

static gboolean
is_date (const char *s)
{
  guint year, month, day;

  if (strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  year = (guint) g_ascii_strtoull (s, NULL, 10);
  month = (guint) g_ascii_strtoull (s + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (s + 8, NULL, 10);
  return year >= 2000 && g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

static gboolean
is_language_code (const char *s)
{
  g_autofree char *code = fr_language_record_code (s);

  return code != NULL;
}

static gboolean
is_contact (const char *s)
{
  if (g_str_has_prefix (s, FR_CONTENT_TILE_PREFIX))
    return _fr_content_strv_has (known_tiles, s + strlen (FR_CONTENT_TILE_PREFIX));
  return _fr_content_is_name (s);
}

/* One [topic ID] group of content.ini onto @meta; @is_new requires version and reviewed. */
static gboolean
apply_topic_group (GKeyFile   *keyfile,
                   const char *path,
                   const char *group,
                   TopicMeta  *meta,
                   gboolean    is_new,
                   GError    **error)
{
  static const char *const allowed[] = { "version", "reviewed", "contacts", NULL };
  g_autofree char *version = NULL;
  g_autofree char *reviewed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) contacts = NULL;

  if (!_fr_content_check_keys (keyfile, path, group, allowed, error))
    return FALSE;

  if (g_key_file_has_key (keyfile, group, "version", NULL))
    {
      guint64 value;

      version = g_key_file_get_value (keyfile, group, "version", NULL);
      if (version == NULL
          || !g_ascii_string_to_unsigned (version, 10, 1, G_MAXINT, &value, NULL))
        return _fr_content_error (error, "%s: [%s]: version must be a whole number from 1", path, group);
      meta->version = (guint) value;
    }
  else if (is_new)
    return _fr_content_error (error, "%s: [%s]: version is missing", path, group);

  if (g_key_file_has_key (keyfile, group, "reviewed", NULL))
    {
      reviewed = g_key_file_get_value (keyfile, group, "reviewed", NULL);
      if (reviewed == NULL || !is_date (reviewed))
        return _fr_content_error (error, "%s: [%s]: reviewed must be a date YYYY-MM-DD", path, group);
      g_free (meta->reviewed);
      meta->reviewed = g_steal_pointer (&reviewed);
    }
  else if (is_new)
    return _fr_content_error (error, "%s: [%s]: reviewed is missing", path, group);

  contacts = _fr_content_get_list (keyfile, path, group, "contacts", is_contact, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (contacts != NULL || is_new)
    {
      g_ptr_array_set_size (meta->contacts, 0);
      for (guint i = 0; contacts != NULL && contacts[i] != NULL; i++)
        g_ptr_array_add (meta->contacts, g_strdup (contacts[i]));
      g_ptr_array_add (meta->contacts, NULL);
    }
  return TRUE;
}

TopicMeta *
_fr_content_find_topic_meta (GPtrArray  *topics,
                             const char *id)
{
  for (guint i = 0; i < topics->len; i++)
    {
      TopicMeta *meta = g_ptr_array_index (topics, i);

      if (strcmp (meta->id, id) == 0)
        return meta;
    }
  return NULL;
}

/* content.ini: shipped (required) and the site's (optional). */
static gboolean
is_discreet_word (const char *s)
{
  return _fr_content_is_clean_text (s, FALSE) && g_utf8_strlen (s, -1) <= 64;
}

/* [discreet-titles] words=…: words no title drawn large (a home tile) may contain, in any
 * language; the site's list adds to the shipped one. */
static gboolean
add_discreet_words (FrContent  *content,
                    GKeyFile   *keyfile,
                    const char *path,
                    guint      *n_added,
                    GError    **error)
{
  static const char *const keys[] = { "words", NULL };
  g_auto(GStrv) words = NULL;
  GError *local_error = NULL;

  if (!_fr_content_check_keys (keyfile, path, "discreet-titles", keys, error))
    return FALSE;
  words = _fr_content_get_list (keyfile, path, "discreet-titles", "words", is_discreet_word, &local_error);
  if (local_error != NULL)
    return g_propagate_error (error, local_error), FALSE;
  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    {
      g_autofree char *folded = g_utf8_casefold (words[i], -1);
      gboolean known = FALSE;

      for (guint j = 0; j < content->discreet_words->len && !known; j++)
        known = strcmp (g_ptr_array_index (content->discreet_words, j), folded) == 0;
      if (known)
        continue;
      g_ptr_array_add (content->discreet_words, g_steal_pointer (&folded));
      (*n_added)++;
    }
  return TRUE;
}

gboolean
_fr_content_load_meta (Loader  *ld,
                       GError **error)
{
  static const char *const shipped_content_keys[] = { "format", "languages", NULL };
  static const char *const site_content_keys[] = {
    "format", "languages", "topics", "disable-groups", NULL,
  };
  static const char *const consent_keys[] = { "version", NULL };
  FrContent *content = ld->content;
  g_autoptr(GPtrArray) all_topics = g_ptr_array_new_with_free_func (_fr_content_topic_meta_free);
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) shipped_languages = NULL;
  g_autofree char *format = NULL;
  g_autofree char *version = NULL;
  GError *local_error = NULL;

  ld->shipped_meta_path = g_build_filename (ld->shipped_dir, "content.ini", NULL);
  ld->shipped_meta = _fr_content_load_keyfile (ld->shipped_meta_path, TRUE, error);
  if (ld->shipped_meta == NULL)
    return FALSE;

  /* Shipped: [content], [consent], then [topic ID] in display order. */
  groups = g_key_file_get_groups (ld->shipped_meta, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];

      if (strcmp (group, "content") == 0)
        {
          if (!_fr_content_check_keys (ld->shipped_meta, ld->shipped_meta_path, group, shipped_content_keys, error))
            return FALSE;
        }
      else if (strcmp (group, "consent") == 0)
        {
          if (!_fr_content_check_keys (ld->shipped_meta, ld->shipped_meta_path, group, consent_keys, error))
            return FALSE;
        }
      else if (strcmp (group, "discreet-titles") == 0)
        {
          guint n = 0;

          if (!add_discreet_words (content, ld->shipped_meta, ld->shipped_meta_path, &n, error))
            return FALSE;
        }
      else if (g_str_has_prefix (group, "topic "))
        {
          g_autoptr(TopicMeta) meta = g_new0 (TopicMeta, 1);
          const char *id = group + strlen ("topic ");

          if (!_fr_content_is_id (id) || strcmp (id, CONSENT_ID) == 0)
            return _fr_content_error (error, "%s: [%s]: not a valid topic id", ld->shipped_meta_path, group);
          if (_fr_content_find_topic_meta (all_topics, id) != NULL)
            return _fr_content_error (error, "%s: [%s] appears twice", ld->shipped_meta_path, group);
          meta->id = g_strdup (id);
          meta->shipped = TRUE;
          meta->contacts = g_ptr_array_new_with_free_func (g_free);
          if (!apply_topic_group (ld->shipped_meta, ld->shipped_meta_path, group, meta, TRUE, error))
            return FALSE;
          if (all_topics->len >= FR_CONTENT_MAX_TOPICS)
            return _fr_content_error (error, "%s: more than %d topics", ld->shipped_meta_path,
                                      FR_CONTENT_MAX_TOPICS);
          g_ptr_array_add (all_topics, g_steal_pointer (&meta));
        }
      else
        return _fr_content_error (error, "%s: unknown group [%s]", ld->shipped_meta_path, group);
    }

  format = g_key_file_get_value (ld->shipped_meta, "content", "format", NULL);
  if (g_strcmp0 (format, CONTENT_FORMAT) != 0)
    return _fr_content_error (error, "%s: [content]: format must be %s", ld->shipped_meta_path, CONTENT_FORMAT);
  shipped_languages = _fr_content_get_list (ld->shipped_meta, ld->shipped_meta_path, "content", "languages",
                                            is_language_code, &local_error);
  if (local_error != NULL)
    return g_propagate_error (error, local_error), FALSE;
  if (shipped_languages == NULL || shipped_languages[0] == NULL)
    return _fr_content_error (error, "%s: [content]: languages is missing", ld->shipped_meta_path);
  if (!_fr_content_strv_has ((const char *const *) shipped_languages, FR_CONTENT_SOURCE_LANGUAGE))
    return _fr_content_error (error, "%s: [content]: languages must include %s", ld->shipped_meta_path,
                              FR_CONTENT_SOURCE_LANGUAGE);
  for (guint i = 0; shipped_languages[i] != NULL; i++)
    {
      Language *lang = _fr_content_language_new (shipped_languages[i]);

      g_ptr_array_add (content->languages, lang);
    }
  version = g_key_file_get_value (ld->shipped_meta, "consent", "version", NULL);
  if (version == NULL || !_fr_content_is_name (version))
    return _fr_content_error (error, "%s: [consent]: version must be 1..%d of A-Z, a-z, 0-9, ., _ and -",
                              ld->shipped_meta_path, ID_MAX_LEN);
  content->consent_version = g_steal_pointer (&version);
  if (all_topics->len == 0)
    return _fr_content_error (error, "%s: no [topic ...] groups", ld->shipped_meta_path);

  /* The site's content.ini. */
  if (ld->site_dir != NULL)
    {
      ld->site_meta_path = g_build_filename (ld->site_dir, "content.ini", NULL);
      ld->site_meta = _fr_content_load_keyfile (ld->site_meta_path, FALSE, &local_error);
      if (local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
    }

  if (ld->site_meta != NULL)
    {
      const char *path = ld->site_meta_path;
      g_auto(GStrv) site_groups = g_key_file_get_groups (ld->site_meta, NULL);
      g_auto(GStrv) added_languages = NULL;
      g_auto(GStrv) order = NULL;
      g_auto(GStrv) disabled = NULL;

      for (guint i = 0; site_groups[i] != NULL; i++)
        {
          const char *group = site_groups[i];

          if (strcmp (group, "content") == 0)
            {
              if (!_fr_content_check_keys (ld->site_meta, path, group, site_content_keys, error))
                return FALSE;
            }
          else if (strcmp (group, "consent") == 0)
            {
              g_autofree char *site_version = NULL;

              if (!_fr_content_check_keys (ld->site_meta, path, group, consent_keys, error))
                return FALSE;
              site_version = g_key_file_get_value (ld->site_meta, group, "version", NULL);
              if (site_version == NULL || !_fr_content_is_name (site_version))
                return _fr_content_error (error, "%s: [consent]: version must be 1..%d of A-Z, a-z, 0-9, "
                                          "., _ and -", path, ID_MAX_LEN);
              if (strcmp (site_version, content->consent_version) != 0)
                _fr_content_report (content, "override: consent version %s (shipped: %s)", site_version,
                                    content->consent_version);
              g_free (content->consent_version);
              content->consent_version = g_steal_pointer (&site_version);
            }
          else if (strcmp (group, "discreet-titles") == 0)
            {
              guint n = 0;

              if (!add_discreet_words (content, ld->site_meta, path, &n, error))
                return FALSE;
              _fr_content_report (content, "add: %u discreet-title word%s", n, n == 1 ? "" : "s");
            }
          else if (g_str_has_prefix (group, "topic "))
            {
              const char *id = group + strlen ("topic ");
              TopicMeta *meta;

              if (!_fr_content_is_id (id) || strcmp (id, CONSENT_ID) == 0)
                return _fr_content_error (error, "%s: [%s]: not a valid topic id", path, group);
              meta = _fr_content_find_topic_meta (all_topics, id);
              if (meta == NULL)
                {
                  meta = g_new0 (TopicMeta, 1);
                  meta->id = g_strdup (id);
                  meta->contacts = g_ptr_array_new_with_free_func (g_free);
                  g_ptr_array_add (all_topics, meta);
                  if (!apply_topic_group (ld->site_meta, path, group, meta, TRUE, error))
                    return FALSE;
                  if (all_topics->len > FR_CONTENT_MAX_TOPICS)
                    return _fr_content_error (error, "%s: more than %d topics", path, FR_CONTENT_MAX_TOPICS);
                  _fr_content_report (content, "add: topic %s", id);
                }
              else
                {
                  if (!apply_topic_group (ld->site_meta, path, group, meta, FALSE, error))
                    return FALSE;
                  meta->site_details = TRUE;
                  _fr_content_report (content, "override: topic %s details (version %u, reviewed %s)", id,
                                      meta->version, meta->reviewed);
                }
            }
          else
            return _fr_content_error (error, "%s: unknown group [%s]", path, group);
        }

      if (g_key_file_has_key (ld->site_meta, "content", "format", NULL))
        {
          g_autofree char *site_format = g_key_file_get_value (ld->site_meta, "content", "format", NULL);

          if (g_strcmp0 (site_format, CONTENT_FORMAT) != 0)
            return _fr_content_error (error, "%s: [content]: format must be %s", path, CONTENT_FORMAT);
        }

      added_languages = _fr_content_get_list (ld->site_meta, path, "content", "languages", is_language_code,
                                              &local_error);
      if (local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
      for (guint i = 0; added_languages != NULL && added_languages[i] != NULL; i++)
        {
          Language *lang;

          if (_fr_content_find_language (content, added_languages[i]) != NULL)
            return _fr_content_error (error, "%s: [content]: languages: %s is shipped already; override "
                                      "its files instead", path, added_languages[i]);
          lang = _fr_content_language_new (added_languages[i]);
          lang->site_added = TRUE;
          g_ptr_array_add (content->languages, lang);
        }

      order = _fr_content_get_list (ld->site_meta, path, "content", "topics", _fr_content_is_id, &local_error);
      if (local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
      if (order != NULL)
        {
          g_autoptr(GPtrArray) ordered = g_ptr_array_new_with_free_func (_fr_content_topic_meta_free);
          g_autoptr(GString) dropped = g_string_new (NULL);
          g_autofree char *joined = g_strjoinv (", ", order);

          if (order[0] == NULL)
            return _fr_content_error (error, "%s: [content]: topics must name at least one topic", path);
          for (guint i = 0; order[i] != NULL; i++)
            if (_fr_content_find_topic_meta (all_topics, order[i]) == NULL)
              return _fr_content_error (error, "%s: [content]: topics: unknown topic %s", path, order[i]);
          /* Move the listed ones over in the listed order; drop the rest. */
          for (guint i = 0; order[i] != NULL; i++)
            {
              guint index;
              TopicMeta *meta = _fr_content_find_topic_meta (all_topics, order[i]);

              g_ptr_array_find (all_topics, meta, &index);
              g_ptr_array_add (ordered, g_ptr_array_steal_index (all_topics, index));
            }
          for (guint i = 0; i < all_topics->len; i++)
            {
              TopicMeta *meta = g_ptr_array_index (all_topics, i);

              g_string_append_printf (dropped, "%s%s", dropped->len > 0 ? ", " : "", meta->id);
            }
          _fr_content_report (content, "override: topic order: %s%s%s%s", joined,
                              dropped->len > 0 ? " (left out: " : "", dropped->str, dropped->len > 0 ? ")" : "");
          g_ptr_array_unref (all_topics);
          all_topics = g_steal_pointer (&ordered);
        }

      disabled = _fr_content_get_list (ld->site_meta, path, "content", "disable-groups", _fr_content_is_id, &local_error);
      if (local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
      for (guint i = 0; disabled != NULL && disabled[i] != NULL; i++)
        g_hash_table_add (content->disabled_groups, g_strdup (disabled[i]));
    }

  if (content->languages->len > FR_CONTENT_MAX_LANGUAGES)
    return _fr_content_error (error, "more than %d languages", FR_CONTENT_MAX_LANGUAGES);
  content->topics = g_steal_pointer (&all_topics);
  return TRUE;
}
