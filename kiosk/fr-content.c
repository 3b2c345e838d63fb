/* fr-content.c — loading and checking the kiosk's content
 *
 * Everything is read and validated in fr_content_load(): the metadata (content.ini), the
 * form (form.json), and per language its description (language.ini), its labels
 * (form.ini), its topics (topics/ID.txt) and its consent text (consent.txt). Each text is
 * looked up in the site folder first, then in the shipped folder, then — only for what a
 * site added without a translation — in English, which must have everything. Every such
 * English fallback is remembered and reported by fr_content_check().
 *
 * The formats are described in i18n/CONTENT.md. Error messages name the file and the
 * problem in one line; they quote keys and ids, never text.
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "fr-content.h"
#include "fr-error.h"

#define CONTENT_FORMAT      "1"
#define FORM_FORMAT         "fristad.form.v1"
#define ID_MAX_LEN          64
#define TITLE_MAX_BYTES     300
#define PARAGRAPH_MAX_BYTES 4000
#define PARAGRAPHS_MAX      64
#define LABEL_MAX_BYTES     2000
#define SHORT_TEXT_DEFAULT  100
#define CONSENT_ID          "consent"

/* Placeholders the kiosk fills in; anything else in braces is reported. */
static const char *const known_placeholders[] = { "site", NULL };

/* Home-screen tiles a topic may name (kiosk/SITE.md). */
static const char *const known_tiles[] = { "help-now", "talk", NULL };

static const char *const kind_names[] = {
  [FR_QUESTION_SINGLE] = "single",
  [FR_QUESTION_MULTIPLE] = "multiple",
  [FR_QUESTION_YESNO] = "yesno",
  [FR_QUESTION_PHONE] = "phone",
  [FR_QUESTION_SHORT_TEXT] = "short-text",
  [FR_QUESTION_LONG_TEXT] = "long-text",
  [FR_QUESTION_VOICE] = "voice",
};

static const char *const yesno_options[] = { FR_YESNO_YES, FR_YESNO_NO, FR_YESNO_PREFER_NOT, NULL };

/* ------------------------------------------------------------------------------------ */
/* Data                                                                                 */

typedef struct
{
  char      *title;
  GPtrArray *paragraphs;   /* char *, NULL-terminated */
} Doc;

typedef struct
{
  char      *id;
  guint      version;
  char      *reviewed;
  GPtrArray *contacts;     /* char *, NULL-terminated */
  gboolean   shipped;      /* the shipped content.ini has it */
  gboolean   site_details; /* the site's content.ini has a group for it */
} TopicMeta;

typedef struct
{
  char          *id;
  FrQuestionKind kind;
  gboolean       optional;
  char          *group;
  guint          max_length;
  char          *show_if_question;
  GStrv          show_if_values;  /* never NULL */
  GStrv          options;         /* choice kinds (yesno: the three answers); else NULL */
  GStrv          volunteer_hide;  /* options not offered when a volunteer takes the call; never NULL */
} QuestionDef;

typedef struct
{
  char           *code;
  char           *record_code;
  char           *name;
  char           *english_name;
  char           *review;
  FrTextDirection direction;
  gboolean        site_added;

  GKeyFile       *site_labels;     /* site LANG/form.ini, or NULL */
  GKeyFile       *shipped_labels;  /* shipped LANG/form.ini, or NULL */

  GPtrArray      *topics;          /* FrTopic *, NULL-terminated */
  GPtrArray      *form;            /* FrQuestion *, enabled questions, NULL-terminated */
  GPtrArray      *all_questions;   /* FrQuestion *, every question */
  FrTopic        *consent;
  const char     *consent_agree;
  const char     *consent_decline;
  GHashTable     *group_titles;    /* group id → label (borrowed) */
  GHashTable     *group_intros;    /* group id → label (borrowed), only where one exists */
  GPtrArray      *volunteer_form;  /* the form worded for a volunteer taking the intake */
  GHashTable     *volunteer_group_titles;
  GHashTable     *volunteer_group_intros;
  GPtrArray      *missing;         /* char *: what is shown in English */
} Language;

struct _FrContent
{
  GStringChunk *strings;
  GPtrArray    *allocations;    /* g_free'd on free: FrOption arrays, FrTopic, ... */
  GPtrArray    *languages;      /* Language * */
  GPtrArray    *codes;          /* const char *, NULL-terminated */
  GPtrArray    *topics;         /* TopicMeta *, display order */
  GPtrArray    *form;           /* QuestionDef *, the form in use */
  GPtrArray    *shipped_form;   /* QuestionDef *, the shipped form */
  GPtrArray    *groups;         /* char *, group ids in order of first use */
  GHashTable   *disabled_groups;
  GPtrArray    *discreet_words; /* char *, case-folded: words no home tile title may hold */
  char         *consent_version;
  GHashTable   *docs;           /* path → Doc *, every text file read */
  GPtrArray    *report;         /* char *: override / add / warning lines from loading */
};

static void
doc_free (gpointer data)
{
  Doc *doc = data;

  g_free (doc->title);
  g_ptr_array_unref (doc->paragraphs);
  g_free (doc);
}

static void
topic_meta_free (gpointer data)
{
  TopicMeta *meta = data;

  if (meta == NULL)
    return;
  g_free (meta->id);
  g_free (meta->reviewed);
  g_ptr_array_unref (meta->contacts);
  g_free (meta);
}

static void
question_def_free (gpointer data)
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Doc, doc_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TopicMeta, topic_meta_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuestionDef, question_def_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Language, language_free)

static Language *
language_new (const char *code)
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
/* Small helpers                                                                        */

G_GNUC_PRINTF (2, 3)
static gboolean
config_error (GError    **error,
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

static gboolean
strv_has (const char *const *strv,
          const char        *str)
{
  return strv != NULL && g_strv_contains (strv, str);
}

/* Ids of questions, options, groups and topics: 1..64 of a-z, 0-9, '_' and '-' (question
 * ids are record answer keys). */
static gboolean
is_id (const char *s)
{
  gsize n;

  for (n = 0; s[n] != '\0'; n++)
    if (n >= ID_MAX_LEN || !(g_ascii_islower (s[n]) || g_ascii_isdigit (s[n])
                             || s[n] == '_' || s[n] == '-'))
      return FALSE;
  return n > 0;
}

/* Consent versions and contact ids: 1..64 of A-Z, a-z, 0-9, '.', '_' and '-'. */
static gboolean
is_name (const char *s)
{
  gsize n;

  for (n = 0; s[n] != '\0'; n++)
    if (n >= ID_MAX_LEN || !(g_ascii_isalnum (s[n]) || s[n] == '.' || s[n] == '_' || s[n] == '-'))
      return FALSE;
  return n > 0;
}

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

/* Text shown to a person: no control characters (newline only where @newlines), no
 * byte-order mark, not empty. @s is valid UTF-8. */
static gboolean
is_clean_text (const char *s,
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

const char *
fr_question_kind_to_string (FrQuestionKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

static gboolean
kind_from_string (const char     *str,
                  FrQuestionKind *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (kind_names[i], str) == 0)
      {
        *out = (FrQuestionKind) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
kind_has_options (FrQuestionKind kind)
{
  return kind == FR_QUESTION_SINGLE || kind == FR_QUESTION_MULTIPLE || kind == FR_QUESTION_YESNO;
}

/* ------------------------------------------------------------------------------------ */
/* Files                                                                                */

/* Reads @path into *@out (NUL-terminated). An absent file is *@out = NULL and TRUE
 * unless @required. Only regular files of at most FR_CONTENT_MAX_FILE_SIZE bytes of
 * UTF-8 without NUL are read. */
static gboolean
read_text_file (const char *path,
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
      return config_error (error, "%s: %s", path, g_strerror (saved_errno));
    }
  if (!S_ISREG (st.st_mode))
    return config_error (error, "%s: not a regular file", path);
  if (st.st_size > (goffset) FR_CONTENT_MAX_FILE_SIZE)
    return config_error (error, "%s: larger than %u KiB", path, FR_CONTENT_MAX_FILE_SIZE / 1024);
  if (!g_file_get_contents (path, &data, &len, &local_error))
    return config_error (error, "%s: cannot read", path);
  if (len > FR_CONTENT_MAX_FILE_SIZE)
    return config_error (error, "%s: larger than %u KiB", path, FR_CONTENT_MAX_FILE_SIZE / 1024);
  if (!g_utf8_validate (data, (gssize) len, NULL))
    return config_error (error, "%s: not UTF-8 text (or contains a NUL byte)", path);
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    return config_error (error, "%s: starts with a byte-order mark", path);

  *out = g_steal_pointer (&data);
  if (out_len != NULL)
    *out_len = len;
  return TRUE;
}

static gboolean
is_directory (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_DIR);
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
            return config_error (error, "%s: line %u: group %s appears twice", path, i + 1, line);
          g_hash_table_remove_all (keys);
          continue;
        }
      eq = strchr (line, '=');
      if (eq == NULL)
        continue;   /* GKeyFile reports it */
      {
        g_autofree char *key = g_strstrip (g_strndup (line, (gsize) (eq - line)));

        if (g_hash_table_contains (keys, key))
          return config_error (error, "%s: line %u: key %s appears twice in its group", path,
                               i + 1, key);
        g_hash_table_add (keys, g_steal_pointer (&key));
      }
    }
  return TRUE;
}

static GKeyFile *
load_keyfile (const char *path,
              gboolean    required,
              GError    **error)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!read_text_file (path, required, &data, &len, error))
    return NULL;
  if (data == NULL)
    return NULL;
  if (!check_keyfile_duplicates (path, data, error))
    return NULL;
  keyfile = g_key_file_new ();
  /* Without KEEP_TRANSLATIONS, GKeyFile silently drops "key[xx]=" lines, or keeps them,
   * depending on the process locale; keep them all so check_keys() rejects them. */
  if (!g_key_file_load_from_data (keyfile, data, len, G_KEY_FILE_KEEP_TRANSLATIONS, &local_error))
    {
      config_error (error, "%s: %s", path, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&keyfile);
}

/* @group must only have keys from @allowed (NULL-terminated). */
static gboolean
check_keys (GKeyFile          *keyfile,
            const char        *path,
            const char        *group,
            const char *const *allowed,
            GError           **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (keyfile, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!strv_has (allowed, keys[i]))
      return config_error (error, "%s: [%s]: unknown key %s", path, group, keys[i]);
  return TRUE;
}

/* A string value that must be a clean, non-empty line. NULL and no error if absent and
 * !@required. */
static char *
get_text (GKeyFile   *keyfile,
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
        config_error (error, "%s: [%s]: %s is missing", path, group, key);
      return NULL;
    }
  value = g_key_file_get_string (keyfile, group, key, NULL);
  if (value == NULL)
    {
      config_error (error, "%s: [%s]: %s is not a valid string", path, group, key);
      return NULL;
    }
  g_strstrip (value);
  if (!is_clean_text (value, FALSE) || strlen (value) > LABEL_MAX_BYTES)
    {
      config_error (error, "%s: [%s]: %s must be 1..%d bytes of text without control characters",
                    path, group, key, LABEL_MAX_BYTES);
      return NULL;
    }
  return g_steal_pointer (&value);
}

/* A list value; every item must pass @valid. Absent: NULL, no error. */
static GStrv
get_list (GKeyFile   *keyfile,
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
          config_error (error, "%s: [%s]: %s: item %" G_GSIZE_FORMAT " is not a valid name",
                        path, group, key, i + 1);
          return NULL;
        }
      for (gsize j = 0; j < i; j++)
        if (strcmp (list[i], list[j]) == 0)
          {
            config_error (error, "%s: [%s]: %s: %s appears twice", path, group, key, list[i]);
            return NULL;
          }
    }
  return g_steal_pointer (&list);
}

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
        return config_error (error, "%s: line %u: carriage return (use Unix line ends)", path, i + 1),
               NULL;
      if (line[0] == '#')
        continue;
      g_strstrip (line);
      if (line[0] == '\0')
        continue;
      if (!is_clean_text (line, FALSE))
        return config_error (error, "%s: line %u: control character", path, i + 1), NULL;
      if (doc->title == NULL)
        {
          if (strlen (line) > TITLE_MAX_BYTES)
            return config_error (error, "%s: line %u: title longer than %d bytes", path, i + 1,
                                 TITLE_MAX_BYTES), NULL;
          doc->title = g_strdup (line);
          continue;
        }
      if (strlen (line) > PARAGRAPH_MAX_BYTES)
        return config_error (error, "%s: line %u: paragraph longer than %d bytes", path, i + 1,
                             PARAGRAPH_MAX_BYTES), NULL;
      if (doc->paragraphs->len >= PARAGRAPHS_MAX)
        return config_error (error, "%s: more than %d paragraphs", path, PARAGRAPHS_MAX), NULL;
      g_ptr_array_add (doc->paragraphs, g_strdup (line));
    }
  if (doc->title == NULL)
    return config_error (error, "%s: no title", path), NULL;
  if (doc->paragraphs->len == 0)
    return config_error (error, "%s: no text after the title", path), NULL;
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
  if (!read_text_file (path, FALSE, &data, NULL, error) || data == NULL)
    return NULL;
  doc = parse_doc (path, data, error);
  if (doc != NULL)
    g_hash_table_insert (content->docs, g_strdup (path), doc);
  return doc;
}

/* ------------------------------------------------------------------------------------ */
/* form.json                                                                            */

/* json-glib keeps the last of duplicate members; count them while parsing instead. */
typedef struct
{
  GHashTable *counts;   /* JsonObject * → members seen */
  gboolean    duplicate;
} DupCheck;

static void
on_object_member (JsonParser *parser,
                  JsonObject *object,
                  const char *member_name,
                  gpointer    user_data)
{
  DupCheck *check = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (check->counts, object)) + 1;

  g_hash_table_insert (check->counts, object, GUINT_TO_POINTER (n));
  if (json_object_get_size (object) != n)
    check->duplicate = TRUE;
}

static gboolean
check_members (JsonObject        *object,
               const char        *path,
               const char        *where,
               const char *const *allowed,
               GError           **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!strv_has (allowed, l->data))
      return config_error (error, "%s: %s: unknown member \"%s\"", path, where, (char *) l->data);
  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* An array of distinct ids; NULL and an error otherwise. */
static GStrv
id_array (JsonNode   *node,
          const char *path,
          const char *where,
          guint       min,
          guint       max,
          GError    **error)
{
  JsonArray *array;
  guint n;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return config_error (error, "%s: %s must be an array", path, where), NULL;
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n < min || n > max)
    return config_error (error, "%s: %s must have %u to %u items", path, where, min, max), NULL;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *id;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING
          || !is_id (id = json_node_get_string (item)))
        return config_error (error, "%s: %s: item %u must be an id (1..%d of a-z, 0-9, _ and -)",
                             path, where, i + 1, ID_MAX_LEN), NULL;
      if (!g_hash_table_add (seen, (gpointer) id))
        return config_error (error, "%s: %s: \"%s\" appears twice", path, where, id), NULL;
      g_strv_builder_add (builder, id);
    }
  return g_strv_builder_end (builder);
}

static const QuestionDef *
find_def (GPtrArray  *defs,
          const char *id)
{
  for (guint i = 0; i < defs->len; i++)
    {
      const QuestionDef *def = g_ptr_array_index (defs, i);

      if (strcmp (def->id, id) == 0)
        return def;
    }
  return NULL;
}

static QuestionDef *
parse_question (JsonNode   *node,
                guint       index,
                GPtrArray  *earlier,
                const char *path,
                GError    **error)
{
  static const char *const allowed[] = {
    "id", "kind", "options", "optional", "show-if", "max-length", "group", "volunteer-hide", NULL,
  };
  static const char *const show_if_allowed[] = { "question", "values", NULL };
  g_autoptr(QuestionDef) def = g_new0 (QuestionDef, 1);
  g_autofree char *where = g_strdup_printf ("question %u", index + 1);
  JsonObject *object;
  JsonNode *member;
  const char *id, *kind, *group;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return config_error (error, "%s: %s must be an object", path, where), NULL;
  object = json_node_get_object (node);

  id = member_string (object, "id");
  if (id == NULL || !is_id (id))
    return config_error (error, "%s: %s: \"id\" must be 1..%d of a-z, 0-9, _ and -", path, where,
                         ID_MAX_LEN), NULL;
  def->id = g_strdup (id);
  g_free (where);
  where = g_strdup_printf ("question %s", id);
  if (find_def (earlier, id) != NULL)
    return config_error (error, "%s: %s appears twice", path, where), NULL;
  if (!check_members (object, path, where, allowed, error))
    return NULL;

  kind = member_string (object, "kind");
  if (kind == NULL)
    return config_error (error, "%s: %s: \"kind\" is missing", path, where), NULL;
  if (!kind_from_string (kind, &def->kind))
    return config_error (error, "%s: %s: unknown kind \"%s\" (single, multiple, yesno, phone, "
                         "short-text, long-text, voice)", path, where, kind), NULL;

  group = member_string (object, "group");
  if (group == NULL || !is_id (group))
    return config_error (error, "%s: %s: \"group\" must be an id", path, where), NULL;
  def->group = g_strdup (group);

  member = json_object_get_member (object, "optional");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        return config_error (error, "%s: %s: \"optional\" must be true or false", path, where), NULL;
      def->optional = json_node_get_boolean (member);
    }

  member = json_object_get_member (object, "options");
  if (def->kind == FR_QUESTION_SINGLE || def->kind == FR_QUESTION_MULTIPLE)
    {
      g_autofree char *options_where = g_strconcat (where, ": \"options\"", NULL);

      if (member == NULL)
        return config_error (error, "%s: %s: a %s question needs \"options\"", path, where, kind), NULL;
      def->options = id_array (member, path, options_where, 2, FR_CONTENT_MAX_OPTIONS, error);
      if (def->options == NULL)
        return NULL;
    }
  else if (member != NULL)
    return config_error (error, "%s: %s: a %s question has no \"options\"", path, where, kind), NULL;
  else if (def->kind == FR_QUESTION_YESNO)
    def->options = g_strdupv ((char **) yesno_options);

  /* Options that do not fit when a volunteer takes the intake (assisted, hotline). */
  member = json_object_get_member (object, "volunteer-hide");
  if (member != NULL)
    {
      g_autofree char *hide_where = g_strconcat (where, ": \"volunteer-hide\"", NULL);

      if (def->kind != FR_QUESTION_SINGLE && def->kind != FR_QUESTION_MULTIPLE)
        return config_error (error, "%s: %s: only single and multiple questions have \"volunteer-hide\"", path,
                             where), NULL;
      def->volunteer_hide = id_array (member, path, hide_where, 1, FR_CONTENT_MAX_OPTIONS, error);
      if (def->volunteer_hide == NULL)
        return NULL;
      for (guint i = 0; def->volunteer_hide[i] != NULL; i++)
        if (!strv_has ((const char *const *) def->options, def->volunteer_hide[i]))
          return config_error (error, "%s: %s: \"volunteer-hide\" value \"%s\" is not an option", path, where,
                               def->volunteer_hide[i]), NULL;
      if (g_strv_length (def->options) - g_strv_length (def->volunteer_hide) < 2)
        return config_error (error, "%s: %s: \"volunteer-hide\" must leave at least two options", path, where), NULL;
    }
  else
    def->volunteer_hide = g_new0 (char *, 1);

  member = json_object_get_member (object, "max-length");
  if (def->kind == FR_QUESTION_SHORT_TEXT || def->kind == FR_QUESTION_LONG_TEXT)
    {
      def->max_length = def->kind == FR_QUESTION_SHORT_TEXT ? SHORT_TEXT_DEFAULT
                                                            : FR_CONTENT_MAX_TEXT_LENGTH;
      if (member != NULL)
        {
          gint64 value;

          if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64
              || (value = json_node_get_int (member)) < 1 || value > FR_CONTENT_MAX_TEXT_LENGTH)
            return config_error (error, "%s: %s: \"max-length\" must be a whole number from 1 to %d",
                                 path, where, FR_CONTENT_MAX_TEXT_LENGTH), NULL;
          def->max_length = (guint) value;
        }
    }
  else if (member != NULL)
    return config_error (error, "%s: %s: only text questions have \"max-length\"", path, where), NULL;
  else if (def->kind == FR_QUESTION_PHONE)
    def->max_length = FR_CONTENT_PHONE_MAX_LENGTH;

  member = json_object_get_member (object, "show-if");
  def->show_if_values = g_new0 (char *, 1);
  if (member != NULL)
    {
      JsonObject *show_if;
      const char *target_id;
      const QuestionDef *target;
      JsonNode *values;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        return config_error (error, "%s: %s: \"show-if\" must be an object", path, where), NULL;
      show_if = json_node_get_object (member);
      if (!check_members (show_if, path, where, show_if_allowed, error))
        return NULL;
      target_id = member_string (show_if, "question");
      if (target_id == NULL)
        return config_error (error, "%s: %s: \"show-if\" needs \"question\"", path, where), NULL;
      target = find_def (earlier, target_id);
      if (target == NULL)
        {
          if (strcmp (target_id, id) == 0)
            return config_error (error, "%s: %s: \"show-if\" refers to itself", path, where), NULL;
          return config_error (error, "%s: %s: \"show-if\" refers to unknown question \"%s\" "
                               "(it must come earlier in the form)", path, where, target_id), NULL;
        }
      def->show_if_question = g_strdup (target_id);
      values = json_object_get_member (show_if, "values");
      if (values != NULL)
        {
          g_autofree char *values_where = g_strconcat (where, ": \"show-if\" \"values\"", NULL);

          g_strfreev (def->show_if_values);
          def->show_if_values = id_array (values, path, values_where, 1, FR_CONTENT_MAX_OPTIONS, error);
          if (def->show_if_values == NULL)
            return NULL;
          if (!kind_has_options (target->kind))
            return config_error (error, "%s: %s: \"show-if\" \"values\" need a choice question, "
                                 "and %s is %s", path, where, target->id,
                                 kind_names[target->kind]), NULL;
          for (guint i = 0; def->show_if_values[i] != NULL; i++)
            if (!strv_has ((const char *const *) target->options, def->show_if_values[i]))
              return config_error (error, "%s: %s: \"show-if\" value \"%s\" is not an option of %s",
                                   path, where, def->show_if_values[i], target->id), NULL;
        }
    }
  return g_steal_pointer (&def);
}

static GPtrArray *
load_form (const char *path,
           gboolean    required,
           GError    **error)
{
  static const char *const allowed[] = { "format", "questions", NULL };
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray) defs = NULL;
  DupCheck check;
  JsonNode *root;
  JsonObject *object;
  JsonNode *questions;
  const char *format;
  guint n;

  if (!read_text_file (path, required, &data, &len, error) || data == NULL)
    return NULL;

  counts = g_hash_table_new (NULL, NULL);
  check.counts = counts;
  check.duplicate = FALSE;
  parser = json_parser_new ();
  g_signal_connect (parser, "object-member", G_CALLBACK (on_object_member), &check);
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    return config_error (error, "%s: not valid JSON: %s", path, local_error->message), NULL;
  if (check.duplicate)
    return config_error (error, "%s: an object has the same member twice", path), NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return config_error (error, "%s: must be a JSON object", path), NULL;
  object = json_node_get_object (root);
  if (!check_members (object, path, "top level", allowed, error))
    return NULL;
  format = member_string (object, "format");
  if (g_strcmp0 (format, FORM_FORMAT) != 0)
    return config_error (error, "%s: \"format\" must be \"%s\"", path, FORM_FORMAT), NULL;
  questions = json_object_get_member (object, "questions");
  if (questions == NULL || !JSON_NODE_HOLDS_ARRAY (questions))
    return config_error (error, "%s: \"questions\" must be an array", path), NULL;
  n = json_array_get_length (json_node_get_array (questions));
  if (n < 1 || n > FR_CONTENT_MAX_QUESTIONS)
    return config_error (error, "%s: the form must have 1 to %d questions", path,
                         FR_CONTENT_MAX_QUESTIONS), NULL;

  defs = g_ptr_array_new_with_free_func (question_def_free);
  for (guint i = 0; i < n; i++)
    {
      QuestionDef *def = parse_question (json_array_get_element (json_node_get_array (questions), i),
                                         i, defs, path, error);

      if (def == NULL)
        return NULL;
      g_ptr_array_add (defs, def);
    }
  return g_steal_pointer (&defs);
}

static gboolean
defs_equal (const QuestionDef *a,
            const QuestionDef *b)
{
  if (a->kind != b->kind || a->optional != b->optional || a->max_length != b->max_length
      || g_strcmp0 (a->group, b->group) != 0 || g_strcmp0 (a->show_if_question, b->show_if_question) != 0)
    return FALSE;
  if (!g_strv_equal ((const char *const *) a->show_if_values, (const char *const *) b->show_if_values))
    return FALSE;
  if ((a->options == NULL) != (b->options == NULL))
    return FALSE;
  return a->options == NULL
         || g_strv_equal ((const char *const *) a->options, (const char *const *) b->options);
}

/* ------------------------------------------------------------------------------------ */
/* Loading                                                                              */

typedef struct
{
  FrContent  *content;
  const char *shipped_dir;
  const char *site_dir;       /* NULL: no site overrides */
  GKeyFile   *shipped_meta;
  GKeyFile   *site_meta;      /* NULL if the site has no content.ini */
  char       *shipped_meta_path;
  char       *site_meta_path;
  Language   *english;
} Loader;

G_GNUC_PRINTF (2, 3)
static void
report (FrContent  *content,
        const char *format,
        ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (content->report, g_strdup_vprintf (format, args));
  va_end (args);
}

static const char *
intern (FrContent  *content,
        const char *str)
{
  return str == NULL ? NULL : g_string_chunk_insert_const (content->strings, str);
}

static gpointer
allocate (FrContent *content,
          gsize      size)
{
  gpointer mem = g_malloc0 (size);

  g_ptr_array_add (content->allocations, mem);
  return mem;
}

static Language *
find_language (const FrContent *content,
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
is_language_code (const char *s)
{
  g_autofree char *code = fr_language_record_code (s);

  return code != NULL;
}

static gboolean
is_contact (const char *s)
{
  if (g_str_has_prefix (s, FR_CONTENT_TILE_PREFIX))
    return strv_has (known_tiles, s + strlen (FR_CONTENT_TILE_PREFIX));
  return is_name (s);
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

  if (!check_keys (keyfile, path, group, allowed, error))
    return FALSE;

  if (g_key_file_has_key (keyfile, group, "version", NULL))
    {
      guint64 value;

      version = g_key_file_get_value (keyfile, group, "version", NULL);
      if (version == NULL
          || !g_ascii_string_to_unsigned (version, 10, 1, G_MAXINT, &value, NULL))
        return config_error (error, "%s: [%s]: version must be a whole number from 1", path, group);
      meta->version = (guint) value;
    }
  else if (is_new)
    return config_error (error, "%s: [%s]: version is missing", path, group);

  if (g_key_file_has_key (keyfile, group, "reviewed", NULL))
    {
      reviewed = g_key_file_get_value (keyfile, group, "reviewed", NULL);
      if (reviewed == NULL || !is_date (reviewed))
        return config_error (error, "%s: [%s]: reviewed must be a date YYYY-MM-DD", path, group);
      g_free (meta->reviewed);
      meta->reviewed = g_steal_pointer (&reviewed);
    }
  else if (is_new)
    return config_error (error, "%s: [%s]: reviewed is missing", path, group);

  contacts = get_list (keyfile, path, group, "contacts", is_contact, &local_error);
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

static TopicMeta *
find_topic_meta (GPtrArray  *topics,
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
  return is_clean_text (s, FALSE) && g_utf8_strlen (s, -1) <= 64;
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

  if (!check_keys (keyfile, path, "discreet-titles", keys, error))
    return FALSE;
  words = get_list (keyfile, path, "discreet-titles", "words", is_discreet_word, &local_error);
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

static gboolean
load_meta (Loader  *ld,
           GError **error)
{
  static const char *const shipped_content_keys[] = { "format", "languages", NULL };
  static const char *const site_content_keys[] = {
    "format", "languages", "topics", "disable-groups", NULL,
  };
  static const char *const consent_keys[] = { "version", NULL };
  FrContent *content = ld->content;
  g_autoptr(GPtrArray) all_topics = g_ptr_array_new_with_free_func (topic_meta_free);
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) shipped_languages = NULL;
  g_autofree char *format = NULL;
  g_autofree char *version = NULL;
  GError *local_error = NULL;

  ld->shipped_meta_path = g_build_filename (ld->shipped_dir, "content.ini", NULL);
  ld->shipped_meta = load_keyfile (ld->shipped_meta_path, TRUE, error);
  if (ld->shipped_meta == NULL)
    return FALSE;

  /* Shipped: [content], [consent], then [topic ID] in display order. */
  groups = g_key_file_get_groups (ld->shipped_meta, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];

      if (strcmp (group, "content") == 0)
        {
          if (!check_keys (ld->shipped_meta, ld->shipped_meta_path, group, shipped_content_keys, error))
            return FALSE;
        }
      else if (strcmp (group, "consent") == 0)
        {
          if (!check_keys (ld->shipped_meta, ld->shipped_meta_path, group, consent_keys, error))
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

          if (!is_id (id) || strcmp (id, CONSENT_ID) == 0)
            return config_error (error, "%s: [%s]: not a valid topic id", ld->shipped_meta_path, group);
          if (find_topic_meta (all_topics, id) != NULL)
            return config_error (error, "%s: [%s] appears twice", ld->shipped_meta_path, group);
          meta->id = g_strdup (id);
          meta->shipped = TRUE;
          meta->contacts = g_ptr_array_new_with_free_func (g_free);
          if (!apply_topic_group (ld->shipped_meta, ld->shipped_meta_path, group, meta, TRUE, error))
            return FALSE;
          if (all_topics->len >= FR_CONTENT_MAX_TOPICS)
            return config_error (error, "%s: more than %d topics", ld->shipped_meta_path,
                                 FR_CONTENT_MAX_TOPICS);
          g_ptr_array_add (all_topics, g_steal_pointer (&meta));
        }
      else
        return config_error (error, "%s: unknown group [%s]", ld->shipped_meta_path, group);
    }

  format = g_key_file_get_value (ld->shipped_meta, "content", "format", NULL);
  if (g_strcmp0 (format, CONTENT_FORMAT) != 0)
    return config_error (error, "%s: [content]: format must be %s", ld->shipped_meta_path, CONTENT_FORMAT);
  shipped_languages = get_list (ld->shipped_meta, ld->shipped_meta_path, "content", "languages",
                                is_language_code, &local_error);
  if (local_error != NULL)
    return g_propagate_error (error, local_error), FALSE;
  if (shipped_languages == NULL || shipped_languages[0] == NULL)
    return config_error (error, "%s: [content]: languages is missing", ld->shipped_meta_path);
  if (!strv_has ((const char *const *) shipped_languages, FR_CONTENT_SOURCE_LANGUAGE))
    return config_error (error, "%s: [content]: languages must include %s", ld->shipped_meta_path,
                         FR_CONTENT_SOURCE_LANGUAGE);
  for (guint i = 0; shipped_languages[i] != NULL; i++)
    {
      Language *lang = language_new (shipped_languages[i]);

      g_ptr_array_add (content->languages, lang);
    }
  version = g_key_file_get_value (ld->shipped_meta, "consent", "version", NULL);
  if (version == NULL || !is_name (version))
    return config_error (error, "%s: [consent]: version must be 1..%d of A-Z, a-z, 0-9, ., _ and -",
                         ld->shipped_meta_path, ID_MAX_LEN);
  content->consent_version = g_steal_pointer (&version);
  if (all_topics->len == 0)
    return config_error (error, "%s: no [topic ...] groups", ld->shipped_meta_path);

  /* The site's content.ini. */
  if (ld->site_dir != NULL)
    {
      ld->site_meta_path = g_build_filename (ld->site_dir, "content.ini", NULL);
      ld->site_meta = load_keyfile (ld->site_meta_path, FALSE, &local_error);
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
              if (!check_keys (ld->site_meta, path, group, site_content_keys, error))
                return FALSE;
            }
          else if (strcmp (group, "consent") == 0)
            {
              g_autofree char *site_version = NULL;

              if (!check_keys (ld->site_meta, path, group, consent_keys, error))
                return FALSE;
              site_version = g_key_file_get_value (ld->site_meta, group, "version", NULL);
              if (site_version == NULL || !is_name (site_version))
                return config_error (error, "%s: [consent]: version must be 1..%d of A-Z, a-z, 0-9, "
                                     "., _ and -", path, ID_MAX_LEN);
              if (strcmp (site_version, content->consent_version) != 0)
                report (content, "override: consent version %s (shipped: %s)", site_version,
                        content->consent_version);
              g_free (content->consent_version);
              content->consent_version = g_steal_pointer (&site_version);
            }
          else if (strcmp (group, "discreet-titles") == 0)
            {
              guint n = 0;

              if (!add_discreet_words (content, ld->site_meta, path, &n, error))
                return FALSE;
              report (content, "add: %u discreet-title word%s", n, n == 1 ? "" : "s");
            }
          else if (g_str_has_prefix (group, "topic "))
            {
              const char *id = group + strlen ("topic ");
              TopicMeta *meta;

              if (!is_id (id) || strcmp (id, CONSENT_ID) == 0)
                return config_error (error, "%s: [%s]: not a valid topic id", path, group);
              meta = find_topic_meta (all_topics, id);
              if (meta == NULL)
                {
                  meta = g_new0 (TopicMeta, 1);
                  meta->id = g_strdup (id);
                  meta->contacts = g_ptr_array_new_with_free_func (g_free);
                  g_ptr_array_add (all_topics, meta);
                  if (!apply_topic_group (ld->site_meta, path, group, meta, TRUE, error))
                    return FALSE;
                  if (all_topics->len > FR_CONTENT_MAX_TOPICS)
                    return config_error (error, "%s: more than %d topics", path, FR_CONTENT_MAX_TOPICS);
                  report (content, "add: topic %s", id);
                }
              else
                {
                  if (!apply_topic_group (ld->site_meta, path, group, meta, FALSE, error))
                    return FALSE;
                  meta->site_details = TRUE;
                  report (content, "override: topic %s details (version %u, reviewed %s)", id,
                          meta->version, meta->reviewed);
                }
            }
          else
            return config_error (error, "%s: unknown group [%s]", path, group);
        }

      if (g_key_file_has_key (ld->site_meta, "content", "format", NULL))
        {
          g_autofree char *site_format = g_key_file_get_value (ld->site_meta, "content", "format", NULL);

          if (g_strcmp0 (site_format, CONTENT_FORMAT) != 0)
            return config_error (error, "%s: [content]: format must be %s", path, CONTENT_FORMAT);
        }

      added_languages = get_list (ld->site_meta, path, "content", "languages", is_language_code,
                                  &local_error);
      if (local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
      for (guint i = 0; added_languages != NULL && added_languages[i] != NULL; i++)
        {
          Language *lang;

          if (find_language (content, added_languages[i]) != NULL)
            return config_error (error, "%s: [content]: languages: %s is shipped already; override "
                                 "its files instead", path, added_languages[i]);
          lang = language_new (added_languages[i]);
          lang->site_added = TRUE;
          g_ptr_array_add (content->languages, lang);
        }

      order = get_list (ld->site_meta, path, "content", "topics", is_id, &local_error);
      if (local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
      if (order != NULL)
        {
          g_autoptr(GPtrArray) ordered = g_ptr_array_new_with_free_func (topic_meta_free);
          g_autoptr(GString) dropped = g_string_new (NULL);
          g_autofree char *joined = g_strjoinv (", ", order);

          if (order[0] == NULL)
            return config_error (error, "%s: [content]: topics must name at least one topic", path);
          for (guint i = 0; order[i] != NULL; i++)
            if (find_topic_meta (all_topics, order[i]) == NULL)
              return config_error (error, "%s: [content]: topics: unknown topic %s", path, order[i]);
          /* Move the listed ones over in the listed order; drop the rest. */
          for (guint i = 0; order[i] != NULL; i++)
            {
              guint index;
              TopicMeta *meta = find_topic_meta (all_topics, order[i]);

              g_ptr_array_find (all_topics, meta, &index);
              g_ptr_array_add (ordered, g_ptr_array_steal_index (all_topics, index));
            }
          for (guint i = 0; i < all_topics->len; i++)
            {
              TopicMeta *meta = g_ptr_array_index (all_topics, i);

              g_string_append_printf (dropped, "%s%s", dropped->len > 0 ? ", " : "", meta->id);
            }
          report (content, "override: topic order: %s%s%s%s", joined,
                  dropped->len > 0 ? " (left out: " : "", dropped->str, dropped->len > 0 ? ")" : "");
          g_ptr_array_unref (all_topics);
          all_topics = g_steal_pointer (&ordered);
        }

      disabled = get_list (ld->site_meta, path, "content", "disable-groups", is_id, &local_error);
      if (local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
      for (guint i = 0; disabled != NULL && disabled[i] != NULL; i++)
        g_hash_table_add (content->disabled_groups, g_strdup (disabled[i]));
    }

  if (content->languages->len > FR_CONTENT_MAX_LANGUAGES)
    return config_error (error, "more than %d languages", FR_CONTENT_MAX_LANGUAGES);
  content->topics = g_steal_pointer (&all_topics);
  return TRUE;
}

static gboolean
load_forms (Loader  *ld,
            GError **error)
{
  FrContent *content = ld->content;
  g_autofree char *shipped_path = g_build_filename (ld->shipped_dir, "form.json", NULL);
  g_autofree char *site_path = NULL;
  GError *local_error = NULL;
  GHashTableIter iter;
  gpointer key;

  content->shipped_form = load_form (shipped_path, TRUE, error);
  if (content->shipped_form == NULL)
    return FALSE;

  if (ld->site_dir != NULL)
    {
      site_path = g_build_filename (ld->site_dir, "form.json", NULL);
      content->form = load_form (site_path, FALSE, &local_error);
      if (local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
    }

  if (content->form == NULL)
    content->form = g_ptr_array_ref (content->shipped_form);
  else
    {
      g_autoptr(GString) dropped = g_string_new (NULL);
      g_autoptr(GString) added = g_string_new (NULL);
      g_autoptr(GString) changed = g_string_new (NULL);
      gboolean reordered = FALSE;
      guint last_index = 0;

      for (guint i = 0; i < content->shipped_form->len; i++)
        {
          const QuestionDef *def = g_ptr_array_index (content->shipped_form, i);

          if (find_def (content->form, def->id) == NULL)
            g_string_append_printf (dropped, "%s%s", dropped->len > 0 ? ", " : "", def->id);
        }
      for (guint i = 0; i < content->form->len; i++)
        {
          const QuestionDef *def = g_ptr_array_index (content->form, i);
          const QuestionDef *shipped = find_def (content->shipped_form, def->id);
          guint index;

          if (shipped == NULL)
            {
              g_string_append_printf (added, "%s%s", added->len > 0 ? ", " : "", def->id);
              continue;
            }
          if (!defs_equal (def, shipped))
            g_string_append_printf (changed, "%s%s", changed->len > 0 ? ", " : "", def->id);
          g_ptr_array_find (content->shipped_form, shipped, &index);
          if (index < last_index)
            reordered = TRUE;
          last_index = index;
        }
      report (content, "override: form.json replaces the shipped form: %u questions; dropped: %s; "
              "added: %s; changed: %s%s", content->form->len,
              dropped->len > 0 ? dropped->str : "none", added->len > 0 ? added->str : "none",
              changed->len > 0 ? changed->str : "none", reordered ? "; order changed" : "");
    }

  /* Groups in order of first use. */
  for (guint i = 0; i < content->form->len; i++)
    {
      const QuestionDef *def = g_ptr_array_index (content->form, i);

      if (!g_ptr_array_find_with_equal_func (content->groups, def->group, g_str_equal, NULL))
        g_ptr_array_add (content->groups, g_strdup (def->group));
    }

  g_hash_table_iter_init (&iter, content->disabled_groups);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (!g_ptr_array_find_with_equal_func (content->groups, key, g_str_equal, NULL))
        return config_error (error, "%s: [content]: disable-groups: the form has no group %s",
                             ld->site_meta_path, (char *) key);
      report (content, "override: question group %s is turned off", (char *) key);
    }

  /* A shown question must not depend on one that is turned off. */
  for (guint i = 0; i < content->form->len; i++)
    {
      const QuestionDef *def = g_ptr_array_index (content->form, i);
      const QuestionDef *target;

      if (def->show_if_question == NULL || g_hash_table_contains (content->disabled_groups, def->group))
        continue;
      target = find_def (content->form, def->show_if_question);
      if (g_hash_table_contains (content->disabled_groups, target->group))
        return config_error (error, "%s: [content]: disable-groups: question %s depends on %s, "
                             "which is turned off", ld->site_meta_path, def->id, target->id);
    }
  return TRUE;
}

/* ---- per language ---- */

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
          if (!check_keys (keyfile, path, group, form_keys, error))
            return FALSE;
        }
      else if (strcmp (group, "consent") == 0)
        {
          if (!check_keys (keyfile, path, group, consent_keys, error))
            return FALSE;
        }
      else if (g_str_has_prefix (group, "group "))
        {
          const char *id = group + strlen ("group ");
          gboolean known = g_ptr_array_find_with_equal_func (content->groups, id, g_str_equal, NULL);

          for (guint j = 0; !known && j < content->shipped_form->len; j++)
            known = strcmp (((QuestionDef *) g_ptr_array_index (content->shipped_form, j))->group, id) == 0;
          if (!known)
            return config_error (error, "%s: [%s]: no question uses this group", path, group);
          if (!check_keys (keyfile, path, group, group_keys, error))
            return FALSE;
        }
      else if (g_str_has_prefix (group, "question "))
        {
          const char *id = group + strlen ("question ");
          const QuestionDef *def = find_def (content->form, id);
          const QuestionDef *shipped = find_def (content->shipped_form, id);
          g_auto(GStrv) keys = g_key_file_get_keys (keyfile, group, NULL, NULL);

          if (def == NULL && shipped == NULL)
            return config_error (error, "%s: [%s]: the form has no such question", path, group);
          for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
            {
              const char *k = keys[j];

              /* volunteer.KEY: the same, worded for a volunteer taking the intake. */
              if (g_str_has_prefix (k, "volunteer."))
                k += strlen ("volunteer.");
              if (strcmp (k, "label") == 0 || strcmp (k, "help") == 0)
                continue;
              if (g_str_has_prefix (k, "option.")
                  && ((def != NULL && strv_has ((const char *const *) def->options, k + 7))
                      || (shipped != NULL && strv_has ((const char *const *) shipped->options, k + 7))))
                continue;
              return config_error (error, "%s: [%s]: unknown key %s", path, group, k);
            }
        }
      else
        return config_error (error, "%s: unknown group [%s]", path, group);

      /* Every value must be clean text. */
      {
        g_auto(GStrv) keys = g_key_file_get_keys (keyfile, group, NULL, NULL);

        for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
          {
            g_autofree char *value = get_text (keyfile, path, group, keys[j], TRUE, error);

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
 * "volunteer.KEY", where volunteer_label() looks first. */
static gboolean
merge_volunteer_labels (Loader     *ld,
                        GKeyFile  **labels,
                        const char *dir,
                        const char *code,
                        GError    **error)
{
  g_autofree char *path = g_build_filename (dir, code, "form-volunteer.ini", NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GKeyFile) volunteer = load_keyfile (path, FALSE, &local_error);
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
        return config_error (error, "%s: [%s]: only [group ID] and [question ID] can be worded for volunteers",
                             path, groups[i]);
      for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
        {
          g_autofree char *value = g_key_file_get_string (volunteer, groups[i], keys[j], NULL);
          g_autofree char *key = g_strconcat ("volunteer.", keys[j], NULL);

          if (g_str_has_prefix (keys[j], "volunteer."))
            return config_error (error, "%s: [%s]: %s: no \"volunteer.\" in this file", path, groups[i], keys[j]);
          g_key_file_set_string (*labels, groups[i], key, value);
        }
    }
  return TRUE;
}

static gboolean
load_language_files (Loader   *ld,
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
    return config_error (error, "language %s: not a language code such as sv or zh_CN", lang->code);

  /* language.ini: the site's keys over the shipped ones. */
  if (!lang->site_added)
    {
      shipped_info_path = g_build_filename (ld->shipped_dir, lang->code, "language.ini", NULL);
      shipped_info = load_keyfile (shipped_info_path, TRUE, error);
      if (shipped_info == NULL)
        return FALSE;
    }
  if (ld->site_dir != NULL)
    {
      site_info_path = g_build_filename (ld->site_dir, lang->code, "language.ini", NULL);
      site_info = load_keyfile (site_info_path, lang->site_added, &local_error);
      if (local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
    }
  if (site_info != NULL)
    infos[n_infos] = site_info, info_paths[n_infos++] = site_info_path;
  if (shipped_info != NULL)
    infos[n_infos] = shipped_info, info_paths[n_infos++] = shipped_info_path;
  if (n_infos == 0)
    return config_error (error, "language %s: language.ini is missing", lang->code);

  for (guint i = 0; i < n_infos; i++)
    {
      g_auto(GStrv) groups = g_key_file_get_groups (infos[i], NULL);

      for (guint j = 0; groups[j] != NULL; j++)
        if (strcmp (groups[j], "language") != 0)
          return config_error (error, "%s: unknown group [%s]", info_paths[i], groups[j]);
      if (!check_keys (infos[i], info_paths[i], "language", language_keys, error))
        return FALSE;
    }
  for (guint i = 0; i < n_infos; i++)
    {
      if (lang->name == NULL
          && (lang->name = get_text (infos[i], info_paths[i], "language", "name", FALSE, &local_error)) == NULL
          && local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
      if (lang->english_name == NULL
          && (lang->english_name = get_text (infos[i], info_paths[i], "language", "english-name",
                                             FALSE, &local_error)) == NULL
          && local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
      if (lang->review == NULL
          && (lang->review = get_text (infos[i], info_paths[i], "language", "review", FALSE,
                                       &local_error)) == NULL
          && local_error != NULL)
        return g_propagate_error (error, local_error), FALSE;
      if (direction == NULL)
        direction = g_key_file_get_value (infos[i], "language", "direction", NULL);
    }
  if (lang->name == NULL)
    return config_error (error, "%s: [language]: name is missing", info_paths[n_infos - 1]);
  if (lang->english_name == NULL)
    return config_error (error, "%s: [language]: english-name is missing", info_paths[n_infos - 1]);
  if (g_strcmp0 (direction, "ltr") == 0)
    lang->direction = FR_TEXT_DIRECTION_LTR;
  else if (g_strcmp0 (direction, "rtl") == 0)
    lang->direction = FR_TEXT_DIRECTION_RTL;
  else
    return config_error (error, "%s: [language]: direction must be ltr or rtl", info_paths[n_infos - 1]);
  if (site_info != NULL && !lang->site_added)
    report (content, "override: %s: language.ini", lang->code);
  if (lang->site_added)
    report (content, "add: language %s (%s)", lang->code, lang->name);

  /* form.ini: labels. */
  if (!lang->site_added)
    {
      g_autofree char *path = g_build_filename (ld->shipped_dir, lang->code, "form.ini", NULL);

      lang->shipped_labels = load_keyfile (path, FALSE, &local_error);
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

      lang->site_labels = load_keyfile (path, FALSE, &local_error);
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
static const char *
resolve_label (Loader     *ld,
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
              return intern (ld->content, value);
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

      config_error (error, "no English label [%s] %s (looked in %s%s%s)", group, key,
                    site != NULL ? site : "", site != NULL ? " and " : "", shipped);
    }
  return NULL;
}

/* A volunteer's wording: "volunteer.KEY" from @lang's own label files (site first), else
 * the person's own wording @fallback in @lang. Not in English as a fallback, and not
 * noted as missing: a language without form-volunteer.ini (a site's own language) is
 * complete with its form.ini; the shipped languages all have one (tests/ui/test-visit.c). */
static const char *
volunteer_label (Loader     *ld,
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
        return intern (ld->content, value);
      }
  return fallback;
}

/* The question as a volunteer sees it when taking the intake: their wording, and without
 * the options that do not fit (the ids and the order stay those of the form). */
static FrQuestion *
volunteer_question (Loader            *ld,
                    Language          *lang,
                    const QuestionDef *def,
                    const FrQuestion  *question)
{
  FrContent *content = ld->content;
  g_autofree char *group = g_strconcat ("question ", def->id, NULL);
  FrQuestion *copy = allocate (content, sizeof (FrQuestion));

  *copy = *question;
  copy->label = volunteer_label (ld, lang, group, "label", question->label);
  copy->help = volunteer_label (ld, lang, group, "help", question->help);
  if (question->options != NULL)
    {
      FrOption *options = allocate (content, question->n_options * sizeof (FrOption));
      guint n = 0;

      for (guint j = 0; j < question->n_options; j++)
        {
          g_autofree char *key = g_strconcat ("option.", question->options[j].id, NULL);

          if (strv_has ((const char *const *) def->volunteer_hide, question->options[j].id))
            continue;
          options[n].id = question->options[j].id;
          options[n].label = def->kind == FR_QUESTION_YESNO ? question->options[j].label
                             : volunteer_label (ld, lang, group, key, question->options[j].label);
          n++;
        }
      copy->options = options;
      copy->n_options = n;
    }
  return copy;
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
                report (ld->content, "override: %s: %s text", lang->code, what);
            }
          *out_language = codes[s];
          return doc;
        }
    }
  {
    g_autofree char *shipped = g_build_filename (ld->shipped_dir, FR_CONTENT_SOURCE_LANGUAGE, file, NULL);
    g_autofree char *site = ld->site_dir == NULL ? NULL
                            : g_build_filename (ld->site_dir, FR_CONTENT_SOURCE_LANGUAGE, file, NULL);

    return config_error (error, "no English text for %s (looked for %s%s%s)", what,
                         site != NULL ? site : "", site != NULL ? " and " : "", shipped), NULL;
  }
}

static FrTopic *
make_topic (Loader     *ld,
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
  topic = allocate (ld->content, sizeof (FrTopic));
  topic->id = intern (ld->content, id);
  topic->title = doc->title;
  topic->paragraphs = (const char *const *) doc->paragraphs->pdata;
  topic->language = intern (ld->content, text_language);
  return topic;
}

static void
report_label_overrides (Loader   *ld,
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
    report (ld->content, "override: %s: labels %s", lang->code, replaced->str);
  if (added->len > 0)
    report (ld->content, "add: %s: labels %s", lang->code, added->str);
}

static gboolean
resolve_language (Loader   *ld,
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
      FrTopic *topic = make_topic (ld, lang, meta->id, file, what, error);

      if (topic == NULL)
        return FALSE;
      topic->version = meta->version;
      topic->reviewed = intern (content, meta->reviewed);
      topic->contacts = (const char *const *) meta->contacts->pdata;
      g_ptr_array_add (lang->topics, topic);
    }
  g_ptr_array_add (lang->topics, NULL);

  /* Consent */
  lang->consent = make_topic (ld, lang, CONSENT_ID, "consent.txt", "consent", error);
  if (lang->consent == NULL)
    return FALSE;
  lang->consent->contacts = (const char *const *) allocate (content, sizeof (char *));
  if ((lang->consent_agree = resolve_label (ld, lang, "consent", "agree", NULL, NULL, TRUE, error)) == NULL
      || (lang->consent_decline = resolve_label (ld, lang, "consent", "decline", NULL, NULL, TRUE, error)) == NULL)
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
      title = resolve_label (ld, lang, group, "title", NULL, NULL, TRUE, error);
      if (title == NULL)
        return FALSE;
      intro = resolve_label (ld, lang, group, "intro", NULL, NULL, FALSE, &local_error);
      g_hash_table_insert (lang->group_titles, (gpointer) intern (content, group_id), (gpointer) title);
      if (intro != NULL)
        g_hash_table_insert (lang->group_intros, (gpointer) intern (content, group_id), (gpointer) intro);
      g_clear_error (&local_error);
      g_hash_table_insert (lang->volunteer_group_titles, (gpointer) intern (content, group_id),
                           (gpointer) volunteer_label (ld, lang, group, "title", title));
      intro = volunteer_label (ld, lang, group, "intro", intro);
      if (intro != NULL)
        g_hash_table_insert (lang->volunteer_group_intros, (gpointer) intern (content, group_id), (gpointer) intro);
    }

  /* Questions */
  for (guint i = 0; i < content->form->len; i++)
    {
      const QuestionDef *def = g_ptr_array_index (content->form, i);
      g_autofree char *group = g_strconcat ("question ", def->id, NULL);
      FrQuestion *question = allocate (content, sizeof (FrQuestion));
      GError *local_error = NULL;

      question->id = intern (content, def->id);
      question->kind = def->kind;
      question->optional = def->optional;
      question->group = intern (content, def->group);
      question->max_length = def->max_length;
      question->show_if_question = intern (content, def->show_if_question);
      question->show_if_values = (const char *const *) def->show_if_values;
      question->label = resolve_label (ld, lang, group, "label", NULL, NULL, TRUE, error);
      if (question->label == NULL)
        return FALSE;
      question->help = resolve_label (ld, lang, group, "help", NULL, NULL, FALSE, &local_error);
      if (def->options != NULL)
        {
          FrOption *options;

          question->n_options = g_strv_length (def->options);
          options = allocate (content, question->n_options * sizeof (FrOption));
          for (guint j = 0; j < question->n_options; j++)
            {
              g_autofree char *key = g_strconcat ("option.", def->options[j], NULL);

              options[j].id = intern (content, def->options[j]);
              options[j].label = resolve_label (ld, lang, group, key,
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
          g_ptr_array_add (lang->volunteer_form, volunteer_question (ld, lang, def, question));
        }
    }
  g_ptr_array_add (lang->form, NULL);
  g_ptr_array_add (lang->volunteer_form, NULL);

  report_label_overrides (ld, lang);
  return TRUE;
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
      if (!is_directory (path) || find_language (content, name) == NULL)
        {
          report (content, "warning: site file %s is not used (not a content language: list it in "
                  "content.ini [content] languages)", path);
          continue;
        }
      {
        static const char *const known[] = { "language.ini", "form.ini", "form-volunteer.ini", "consent.txt", "topics",
                                             NULL };
        g_autoptr(GDir) lang_dir = g_dir_open (path, 0, NULL);
        const char *file;

        while (lang_dir != NULL && (file = g_dir_read_name (lang_dir)) != NULL)
          if (!strv_has (known, file))
            report (content, "warning: site file %s" G_DIR_SEPARATOR_S "%s is not used", path, file);
      }
      topics_path = g_build_filename (path, "topics", NULL);
      topics_dir = g_dir_open (topics_path, 0, NULL);
      while (topics_dir != NULL && (topic_name = g_dir_read_name (topics_dir)) != NULL)
        {
          g_autofree char *id = NULL;

          if (g_str_has_suffix (topic_name, ".txt"))
            id = g_strndup (topic_name, strlen (topic_name) - 4);
          if (id == NULL || find_topic_meta (content->topics, id) == NULL)
            report (content, "warning: site file %s" G_DIR_SEPARATOR_S "%s is not used (no such topic "
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
    return config_error (error, "%s: the shipped content folder does not exist", shipped_dir), NULL;
  if (site_dir != NULL && !g_file_test (site_dir, G_FILE_TEST_EXISTS))
    site_missing = TRUE;
  else if (site_dir != NULL && !is_directory (site_dir))
    return config_error (error, "%s: the site content folder is not a folder", site_dir), NULL;

  content = g_new0 (FrContent, 1);
  content->strings = g_string_chunk_new (4096);
  content->allocations = g_ptr_array_new_with_free_func (g_free);
  content->languages = g_ptr_array_new_with_free_func (language_free);
  content->codes = g_ptr_array_new ();
  content->groups = g_ptr_array_new_with_free_func (g_free);
  content->disabled_groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  content->discreet_words = g_ptr_array_new_with_free_func (g_free);
  content->docs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, doc_free);
  content->report = g_ptr_array_new_with_free_func (g_free);

  ld.content = content;
  ld.shipped_dir = shipped_dir;
  ld.site_dir = site_missing ? NULL : site_dir;
  if (site_missing)
    report (content, "warning: the site content folder %s does not exist; showing the shipped "
            "content only", site_dir);

  if (!load_meta (&ld, error) || !load_forms (&ld, error))
    goto out;

  for (guint i = 0; i < content->languages->len; i++)
    {
      Language *lang = g_ptr_array_index (content->languages, i);

      if (!load_language_files (&ld, lang, error))
        goto out;
      g_ptr_array_add (content->codes, lang->code);
    }
  g_ptr_array_add (content->codes, NULL);

  /* English first: everything else falls back to it. */
  ld.english = find_language (content, FR_CONTENT_SOURCE_LANGUAGE);
  if (!resolve_language (&ld, ld.english, error))
    goto out;
  for (guint i = 0; i < content->languages->len; i++)
    {
      Language *lang = g_ptr_array_index (content->languages, i);

      if (lang != ld.english && !resolve_language (&ld, lang, error))
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
  return find_language (content, lang) != NULL;
}

const char *
fr_content_get_language_name (const FrContent *content,
                              const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = find_language (content, lang);
  return l != NULL ? l->name : NULL;
}

const char *
fr_content_get_language_english_name (const FrContent *content,
                                      const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = find_language (content, lang);
  return l != NULL ? l->english_name : NULL;
}

FrTextDirection
fr_content_get_language_direction (const FrContent *content,
                                   const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, FR_TEXT_DIRECTION_LTR);
  l = find_language (content, lang);
  return l != NULL ? l->direction : FR_TEXT_DIRECTION_LTR;
}

const char *
fr_content_get_language_record_code (const FrContent *content,
                                     const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = find_language (content, lang);
  return l != NULL ? l->record_code : NULL;
}

const char *
fr_content_get_language_review (const FrContent *content,
                                const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = find_language (content, lang);
  return l != NULL ? l->review : NULL;
}

const FrTopic *const *
fr_content_get_topics (const FrContent *content,
                       const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = find_language (content, lang);
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
  l = find_language (content, lang);
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
  l = find_language (content, lang);
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
  l = find_language (content, lang);
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
  l = find_language (content, lang);
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
  l = find_language (content, lang);
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
  l = find_language (content, lang);
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
  l = find_language (content, lang);
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
  l = find_language (content, lang);
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
  l = find_language (content, lang);
  return l != NULL ? l->consent : NULL;
}

const char *
fr_content_get_consent_agree (const FrContent *content,
                              const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = find_language (content, lang);
  return l != NULL ? l->consent_agree : NULL;
}

const char *
fr_content_get_consent_decline (const FrContent *content,
                                const char      *lang)
{
  Language *l;

  g_return_val_if_fail (content != NULL, NULL);
  l = find_language (content, lang);
  return l != NULL ? l->consent_decline : NULL;
}

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
  l = find_language (content, lang);
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

              if (!strv_has (known_placeholders, name))
                g_ptr_array_add (lines, g_strdup_printf ("warning: %s: %s: unknown placeholder %s",
                                                         l->code, item, ph));
            }
        }
      if (l != find_language (content, FR_CONTENT_SOURCE_LANGUAGE) && strcmp (mine, theirs) != 0)
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
    if (find_language (content, offered_languages[i]) == NULL)
      {
        g_ptr_array_add (lines, g_strdup_printf ("missing: language %s is offered but has no content",
                                                 offered_languages[i]));
        missing++;
      }

  english = placeholder_table (content, find_language (content, FR_CONTENT_SOURCE_LANGUAGE));
  for (guint i = 0; i < content->languages->len; i++)
    {
      Language *l = g_ptr_array_index (content->languages, i);

      if (offered_languages != NULL && !strv_has (offered_languages, l->code))
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

              if (g_str_has_prefix (contact, FR_CONTENT_TILE_PREFIX) || strv_has (contact_ids, contact))
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

      if (offered_languages != NULL && !strv_has (offered_languages, code))
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
