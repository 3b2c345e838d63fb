/* test-content.c — the shipped content in 12 languages and the content loader
 *
 * CONTENT_DIR is i18n/content (the shipped content), TEST_CONTENT_DIR is tests/content
 * (site fixtures). Malformed inputs are written to a temporary site folder per case.
 */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "fr-content.h"
#include "fr-error.h"

static const char *const shipped_languages[] = {
  "en", "sv", "th", "ro", "bg", "uk", "ru", "pl", "es", "vi", "zh_CN", "ar", NULL,
};

static const char *const native_names[] = {
  "English", "Svenska", "ไทย", "Română", "Български", "Українська", "Русский", "Polski",
  "Español", "Tiếng Việt", "中文（简体）", "العربية", NULL,
};

static const char *const shipped_topics[] = {
  "rights", "social-services", "shelter", "health", "work", "selling-sex", "going-home",
  "after-sending", "emergency", NULL,
};

static const char *const shipped_questions[] = {
  "needs", "safe_now", "contact_method", "phone", "safe_times", "voicemail_ok", "code_word",
  "interpreter_language", "name", "message", "voice", "s_documents", "s_debt", "s_movement",
  "s_threats", "s_wages", "s_deception", NULL,
};

/* The contact ids the shipped topics name (documented in i18n/CONTENT.md). */
static const char *const conventional_contacts[] = {
  "emergency", "social-services", "health-advice", "police", "social-emergency", NULL,
};

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */

static FrContent *
load_shipped (void)
{
  g_autoptr(GError) error = NULL;
  FrContent *content = fr_content_load (CONTENT_DIR, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (content);
  return content;
}

static FrContent *
load_with_fixture (const char *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = g_build_filename (TEST_CONTENT_DIR, fixture, NULL);
  FrContent *content = fr_content_load (CONTENT_DIR, site, &error);

  g_assert_no_error (error);
  g_assert_nonnull (content);
  return content;
}

static gboolean
lines_contain (GPtrArray  *lines,
               const char *line)
{
  for (guint i = 0; i < lines->len; i++)
    if (strcmp (g_ptr_array_index (lines, i), line) == 0)
      return TRUE;
  return FALSE;
}

static guint
lines_with_prefix (GPtrArray  *lines,
                   const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < lines->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (lines, i), prefix))
      n++;
  return n;
}

static void
print_lines (GPtrArray *lines)
{
  for (guint i = 0; i < lines->len; i++)
    g_test_message ("check: %s", (char *) g_ptr_array_index (lines, i));
}

static gboolean
is_blank (const char *s)
{
  if (s == NULL)
    return TRUE;
  for (; *s != '\0'; s = g_utf8_next_char (s))
    if (!g_unichar_isspace (g_utf8_get_char (s)))
      return FALSE;
  return TRUE;
}

static guint
count_strv (const char *const *strv)
{
  guint n = 0;

  while (strv[n] != NULL)
    n++;
  return n;
}

/* Everything the completeness rule asks of language @lang, counted: every topic, every
 * form label and option, the consent text and its answers exist in @lang itself (no
 * English fallback) and are not empty, and the check names no gap for it. */
static guint
count_incomplete (const FrContent *content,
                  const char      *lang)
{
  const char *const offered[] = { lang, NULL };
  const FrTopic *const *topics = fr_content_get_topics (content, lang);
  const FrQuestion *const *form = fr_content_get_form (content, lang);
  const FrTopic *consent = fr_content_get_consent (content, lang);
  g_autoptr(GPtrArray) lines = NULL;
  guint problems = 0;
  guint n_missing = 0;

  g_assert_nonnull (topics);
  g_assert_nonnull (form);
  g_assert_nonnull (consent);

  for (guint i = 0; topics[i] != NULL; i++)
    {
      const FrTopic *topic = topics[i];

      if (g_strcmp0 (topic->language, lang) != 0 || is_blank (topic->title)
          || topic->paragraphs[0] == NULL)
        {
          g_test_message ("%s: topic %s incomplete", lang, topic->id);
          problems++;
        }
      for (guint j = 0; topic->paragraphs[j] != NULL; j++)
        if (is_blank (topic->paragraphs[j]))
          problems++;
    }
  for (guint i = 0; form[i] != NULL; i++)
    {
      const FrQuestion *q = form[i];

      if (is_blank (q->label))
        problems++;
      if (q->help != NULL && is_blank (q->help))
        problems++;
      for (guint j = 0; j < q->n_options; j++)
        if (is_blank (q->options[j].label))
          problems++;
      if (is_blank (fr_content_get_group_title (content, lang, q->group)))
        problems++;
    }
  if (g_strcmp0 (consent->language, lang) != 0 || is_blank (consent->title))
    problems++;
  if (is_blank (fr_content_get_consent_agree (content, lang))
      || is_blank (fr_content_get_consent_decline (content, lang)))
    problems++;
  if (is_blank (fr_content_get_language_name (content, lang)))
    problems++;

  lines = fr_content_check (content, offered, NULL, &n_missing);
  print_lines (lines);
  problems += n_missing;
  return problems;
}

/* ---- placeholders, numbers, words ---- */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* "{name}", "%s", "%d", "%u", "%i", "%1$s" in @text, sorted, joined by spaces. */
static char *
placeholders_of (const char *text)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  for (const char *p = text; *p != '\0'; p++)
    {
      const char *end = p + 1;

      if (*p == '{')
        {
          while (g_ascii_isalnum (*end) || *end == '_' || *end == '-')
            end++;
          if (*end == '}' && end > p + 1)
            {
              g_ptr_array_add (found, g_strndup (p, (gsize) (end - p + 1)));
              p = end;
            }
        }
      else if (*p == '%')
        {
          while (g_ascii_isdigit (*end))
            end++;
          end = *end == '$' ? end + 1 : p + 1;
          if (*end != '\0' && strchr ("sdui", *end) != NULL)
            {
              g_ptr_array_add (found, g_strndup (p, (gsize) (end - p + 1)));
              p = end;
            }
        }
    }
  g_ptr_array_sort (found, compare_strings);
  g_ptr_array_add (found, NULL);
  return g_strjoinv (" ", (char **) found->pdata);
}

static void
add_doc (GHashTable    *items,
         const FrTopic *doc)
{
  g_autoptr(GString) text = g_string_new (doc->title);

  for (guint j = 0; doc->paragraphs[j] != NULL; j++)
    g_string_append_printf (text, "\n%s", doc->paragraphs[j]);
  g_hash_table_insert (items, g_strconcat ("doc ", doc->id, NULL),
                       g_string_free (g_steal_pointer (&text), FALSE));
}

/* Each string shown for @lang under a name that is the same in every language. */
static GHashTable *
items_of (const FrContent *content,
          const char      *lang)
{
  GHashTable *items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const FrTopic *const *topics = fr_content_get_topics (content, lang);
  const FrQuestion *const *form = fr_content_get_form (content, lang);

  for (guint i = 0; topics[i] != NULL; i++)
    add_doc (items, topics[i]);
  add_doc (items, fr_content_get_consent (content, lang));
  g_hash_table_insert (items, g_strdup ("agree"), g_strdup (fr_content_get_consent_agree (content, lang)));
  g_hash_table_insert (items, g_strdup ("decline"), g_strdup (fr_content_get_consent_decline (content, lang)));
  for (guint i = 0; form[i] != NULL; i++)
    {
      const FrQuestion *q = form[i];
      const char *intro = fr_content_get_group_intro (content, lang, q->group);

      g_hash_table_insert (items, g_strconcat ("group title ", q->group, NULL),
                           g_strdup (fr_content_get_group_title (content, lang, q->group)));
      if (intro != NULL)
        g_hash_table_insert (items, g_strconcat ("group intro ", q->group, NULL), g_strdup (intro));
      g_hash_table_insert (items, g_strconcat (q->id, " label", NULL), g_strdup (q->label));
      if (q->help != NULL)
        g_hash_table_insert (items, g_strconcat (q->id, " help", NULL), g_strdup (q->help));
      for (guint j = 0; j < q->n_options; j++)
        g_hash_table_insert (items, g_strconcat (q->id, " option ", q->options[j].id, NULL),
                             g_strdup (q->options[j].label));
    }
  return items;
}

/* The first run of digits in @text (joined by single spaces, no-break spaces or
 * hyphens) that looks like a phone number: three digits or more, other than 112. */
static char *
phone_like_run (const char *text)
{
  const char *p = text;

  while (*p != '\0')
    {
      g_autoptr(GString) digits = g_string_new (NULL);

      while (*p != '\0' && !g_unichar_isdigit (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      while (*p != '\0')
        {
          gunichar c = g_utf8_get_char (p);
          const char *next = g_utf8_next_char (p);

          if (g_unichar_isdigit (c))
            {
              g_string_append_c (digits, (char) ('0' + g_unichar_digit_value (c)));
              p = next;
            }
          else if ((c == ' ' || c == 0x00A0 || c == '-' || c == 0x2011 || c == 0x2013)
                   && *next != '\0' && g_unichar_isdigit (g_utf8_get_char (next)))
            p = next;
          else
            break;
        }
      if (digits->len >= 3 && strcmp (digits->str, "112") != 0)
        return g_string_free (g_steal_pointer (&digits), FALSE);
    }
  return NULL;
}

/* Words that must never be in a title (someone may be watching the screen), in any of
 * the shipped languages; compared case-folded. */
static const char *const hidden_words[] = {
  "traffick", "prostitut", "människohandel", "trafik", "trafic", "tráfico", "trata de personas",
  "ค้ามนุษย์", "ค้าประเวณี", "โสเภณี", "трафик", "проститу", "торговл", "торгівл", "prostytu",
  "handel ludźmi", "buôn bán người", "mại dâm", "贩卖", "拐卖", "卖淫", "娼", "الاتجار", "دعارة",
  NULL,
};

/* Words for "victim", which no shipped string uses. */
static const char *const victim_words[] = {
  "victim", "offer", "เหยื่อ", "ผู้เสียหาย", "жертв", "ofiar", "víctima", "nạn nhân", "受害", "ضحي",
  "ضحايا", NULL,
};

static const char *
find_word (const char        *text,
           const char *const *words)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *word = g_utf8_casefold (words[i], -1);

      if (strstr (folded, word) != NULL)
        return words[i];
    }
  return NULL;
}

/* ---- temporary site folders ---- */

static void
write_file (const char *dir,
            const char *relpath,
            const char *data,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, relpath, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static char *
make_site (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("fristad-content-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* ---- issue 18: wording that misleads ---- */

/* "If you do not have a home in Sweden" reads as homelessness; the fact is about not
 * living (being resident) in Sweden. No shipped string may say it the old way. */
static const struct { const char *lang; const char *const phrases[6]; } no_home_phrases[] = {
  { "en", { "have a home", "no home", "homeless", "without a home", NULL } },
  { "sv", { "har ett hem", "inget hem", "hemlös", "utan hem", NULL } },
  { "th", { "ไม่มีบ้าน", "ไร้บ้าน", "คนจรจัด", NULL } },
  { "ro", { "nu ai o locuință", "nu au o locuință", "fără locuință", "fără adăpost", NULL } },
  { "bg", { "нямате дом", "нямат дом", "бездом", NULL } },
  { "uk", { "немає дому", "не мають дому", "бездомн", "безпритульн", NULL } },
  { "ru", { "нет дома", "бездомн", NULL } },
  { "pl", { "nie masz domu", "nie mają domu", "bezdomn", NULL } },
  { "es", { "no tienes un hogar", "no tienen un hogar", "sin hogar", "sin techo", NULL } },
  { "vi", { "không có nhà", "vô gia cư", NULL } },
  { "zh_CN", { "没有住处", "无家可归", "没有家", NULL } },
  { "ar", { "مسكن في السويد", "ليس لديهم مسكن", "بلا مأوى", "مشرد", NULL } },
};

/* Negations that make "No" ambiguous in an English yes/no question. */
static const char *const negation_words[] = {
  "not", "no", "never", "nothing", "none", "nobody", "neither", "nor", "without", "cannot",
  "unable", "n't", NULL,
};

/* The first negation in @text (whole words, and the "n't" ending), or NULL. */
static const char *
find_negation (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_auto(GStrv) words = NULL;

  for (char *p = folded; *p != '\0'; p++)
    if (!g_ascii_isalpha (*p) && *p != '\'' && (guchar) *p < 0x80)
      *p = ' ';
  words = g_strsplit (folded, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    for (guint j = 0; negation_words[j] != NULL; j++)
      if (strcmp (words[i], negation_words[j]) == 0
          || (strcmp (negation_words[j], "n't") == 0 && g_str_has_suffix (words[i], "n't")))
        return negation_words[j];
  return NULL;
}

static void
test_shipped_no_home (void)
{
  g_autoptr(FrContent) content = load_shipped ();

  /* The old wording is caught. */
  g_assert_cmpstr (find_word ("If you do not have a home in Sweden, they help.",
                              no_home_phrases[0].phrases), ==, "have a home");
  g_assert_cmpstr (find_word ("如果您在瑞典没有住处，他们会提供帮助。", no_home_phrases[10].phrases), ==, "没有住处");

  for (guint i = 0; i < G_N_ELEMENTS (no_home_phrases); i++)
    {
      g_autoptr(GPtrArray) strings = fr_content_list_strings (content, no_home_phrases[i].lang);

      g_assert_cmpuint (strings->len, >, 100);
      for (guint j = 0; j < strings->len; j++)
        {
          const char *word = find_word (g_ptr_array_index (strings, j), no_home_phrases[i].phrases);

          if (word != NULL)
            g_error ("%s: \"%s\" says \"%s\": say 'live in another country', not 'no home'",
                     no_home_phrases[i].lang, (char *) g_ptr_array_index (strings, j), word);
        }
    }
  /* Every shipped language has its list. */
  for (guint i = 0; shipped_languages[i] != NULL; i++)
    {
      gboolean listed = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (no_home_phrases); j++)
        listed |= strcmp (no_home_phrases[j].lang, shipped_languages[i]) == 0;
      g_assert_true (listed);
    }
}

static void
test_shipped_yesno (void)
{
  g_autoptr(FrContent) content = load_shipped ();
  guint n_yesno = 0;

  /* The scanner, on the wording issue 18 found. */
  g_assert_cmpstr (find_negation ("Are you paid less than you were promised, or not paid at all?"), ==, "not");
  g_assert_cmpstr (find_negation ("Do you owe money that you cannot pay back?"), ==, "cannot");
  g_assert_cmpstr (find_negation ("Isn't it safe?"), ==, "n't");
  g_assert_null (find_negation ("Is your pay lower than what you were promised?"));
  g_assert_null (find_negation ("Does someone know your address?"));

  for (const FrQuestion *const *form = fr_content_get_form (content, "en"); *form != NULL; form++)
    {
      const FrQuestion *q = *form;
      g_autofree char *group = g_strconcat ("question ", q->id, NULL);

      if (q->kind != FR_QUESTION_YESNO)
        continue;
      n_yesno++;
      if (find_negation (q->label) != NULL)
        g_error ("en: yes/no question %s has a negation (\"%s\"): \"%s\"", q->id,
                 find_negation (q->label), q->label);
      /* (The help under it may say "nothing is sent": it is not what yes or no answer.) */

      /* A note on what yes and no mean in every language's form.ini, and in every
       * translation a back-translation. */
      for (guint i = 0; shipped_languages[i] != NULL; i++)
        {
          g_autoptr(GKeyFile) keyfile = g_key_file_new ();
          g_autoptr(GError) error = NULL;
          g_autofree char *path = g_build_filename (CONTENT_DIR, shipped_languages[i], "form.ini", NULL);
          g_autofree char *comment = NULL;

          g_key_file_load_from_file (keyfile, path, G_KEY_FILE_KEEP_COMMENTS, &error);
          g_assert_no_error (error);
          comment = g_key_file_get_comment (keyfile, group, NULL, NULL);
          if (comment == NULL || strstr (comment, "Note: yes/no. YES = ") == NULL
              || strstr (comment, " NO = ") == NULL)
            g_error ("%s: [%s] has no \"# Note: yes/no. YES = … NO = …\" line above it", path, group);
          if (strcmp (shipped_languages[i], "en") != 0 && strstr (comment, "Back-translation: ") == NULL)
            g_error ("%s: [%s] has no \"# Back-translation: …\" line above it", path, group);
        }
    }
  g_assert_cmpuint (n_yesno, >=, 8);
}

static void
test_shipped_discreet_tiles (void)
{
  g_autoptr(FrContent) content = load_shipped ();
  g_autoptr(FrContent) extended = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_site ();
  const char *const sv_only[] = { "sv", NULL };

  /* The list catches the old titles and the words the test used to hold. */
  g_assert_cmpstr (fr_content_find_indiscreet_word (content, "Selling sex"), ==, "sex");
  g_assert_cmpstr (fr_content_find_indiscreet_word (content, "Sälja sex"), ==, "sex");
  g_assert_cmpstr (fr_content_find_indiscreet_word (content, "Help for Human Trafficking"), ==, "traffick");
  g_assert_null (fr_content_find_indiscreet_word (content, "Your body and your safety"));
  for (guint i = 0; hidden_words[i] != NULL; i++)
    g_assert_nonnull (fr_content_find_indiscreet_word (content, hidden_words[i]));

  /* Every topic title (each one is a home tile) passes, in every language. */
  for (guint i = 0; shipped_languages[i] != NULL; i++)
    {
      const FrTopic *const *topics = fr_content_get_topics (content, shipped_languages[i]);

      for (guint j = 0; topics[j] != NULL; j++)
        if (fr_content_find_indiscreet_word (content, topics[j]->title) != NULL)
          g_error ("%s: the home tile \"%s\" contains \"%s\"", shipped_languages[i], topics[j]->title,
                   fr_content_find_indiscreet_word (content, topics[j]->title));
    }

  /* A site extends the list, and the check names the tile that fails it. */
  write_file (dir, "content.ini", "[discreet-titles]\nwords=kropp;SEX\n", -1);
  extended = fr_content_load (CONTENT_DIR, dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fr_content_find_indiscreet_word (extended, "Din KROPP och din trygghet"), ==, "kropp");
  g_assert_null (fr_content_find_indiscreet_word (content, "Din kropp och din trygghet"));
  lines = fr_content_check (extended, sv_only, NULL, NULL);
  print_lines (lines);
  g_assert_true (lines_contain (lines, "add: 1 discreet-title word"));
  g_assert_true (lines_contain (lines, "warning: sv: topic selling-sex: its home tile \"Din kropp och din "
                                       "trygghet\" contains \"kropp\" (discreet-titles); give the topic a "
                                       "title that is safe to read from afar"));
  g_assert_cmpuint (lines_with_prefix (lines, "warning: sv: topic "), ==, 1);
  remove_tree (dir);
}

/* ------------------------------------------------------------------------------------ */
/* Shipped content                                                                      */

static void
test_languages (void)
{
  g_autoptr(FrContent) content = load_shipped ();
  const char *const *languages = fr_content_get_languages (content);

  g_assert_cmpstrv (languages, shipped_languages);
  for (guint i = 0; shipped_languages[i] != NULL; i++)
    {
      const char *lang = shipped_languages[i];
      g_autofree char *record_code = fr_language_record_code (lang);
      const char *review = fr_content_get_language_review (content, lang);

      g_assert_true (fr_content_has_language (content, lang));
      g_assert_cmpstr (fr_content_get_language_name (content, lang), ==, native_names[i]);
      g_assert_false (is_blank (fr_content_get_language_english_name (content, lang)));
      g_assert_cmpstr (fr_content_get_language_record_code (content, lang), ==, record_code);
      g_assert_cmpint (fr_content_get_language_direction (content, lang), ==,
                       strcmp (lang, "ar") == 0 ? FR_TEXT_DIRECTION_RTL : FR_TEXT_DIRECTION_LTR);
      g_assert_nonnull (review);
      g_assert_nonnull (strstr (review, "review"));
    }
  g_assert_cmpstr (fr_content_get_language_record_code (content, "zh_CN"), ==, "zh-CN");
  g_assert_false (fr_content_has_language (content, "fi"));
  g_assert_null (fr_content_get_topics (content, "fi"));
  g_assert_null (fr_content_get_form (content, "fi"));
  g_assert_null (fr_content_get_language_name (content, "fi"));
}

static void
test_record_code (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "en", "en" }, { "zh_CN", "zh-CN" }, { "es_419", "es-419" }, { "sr_Latn", "sr-Latn" },
    { "fil", "fil" }, { "", NULL }, { "e", NULL }, { "engl", NULL }, { "EN", NULL },
    { "zh-CN", NULL }, { "zh_cn", NULL }, { "zh_CN_x", NULL }, { "../en", NULL },
    { "sr@latin", NULL }, { "en_", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *code = fr_language_record_code (cases[i].in);

      g_assert_cmpstr (code, ==, cases[i].out);
    }
  g_assert_cmpstr (fr_question_kind_to_string (FR_QUESTION_SHORT_TEXT), ==, "short-text");
  g_assert_cmpstr (fr_question_kind_to_string (FR_QUESTION_YESNO), ==, "yesno");
}

static void
test_shipped_complete (void)
{
  g_autoptr(FrContent) content = load_shipped ();
  g_autoptr(GPtrArray) lines = NULL;
  guint n_missing = 99;

  /* No site: the check has nothing to say, with every language offered and the
   * conventional contacts defined. */
  lines = fr_content_check (content, shipped_languages, conventional_contacts, &n_missing);
  print_lines (lines);
  g_assert_cmpuint (n_missing, ==, 0);
  g_assert_cmpuint (lines->len, ==, 0);

  for (guint i = 0; shipped_languages[i] != NULL; i++)
    {
      const char *lang = shipped_languages[i];
      const FrTopic *const *topics = fr_content_get_topics (content, lang);
      const FrQuestion *const *form = fr_content_get_form (content, lang);
      const FrQuestion *const *english = fr_content_get_form (content, "en");

      g_test_message ("language %s", lang);
      g_assert_cmpuint (count_incomplete (content, lang), ==, 0);

      g_assert_cmpuint (count_strv ((const char *const *) topics), ==, count_strv (shipped_topics));
      for (guint j = 0; shipped_topics[j] != NULL; j++)
        {
          g_assert_cmpstr (topics[j]->id, ==, shipped_topics[j]);
          g_assert_cmpuint (topics[j]->version, >=, 1);
          g_assert_cmpuint (strlen (topics[j]->reviewed), ==, 10);
          g_assert_true (topics[j] == fr_content_get_topic (content, lang, shipped_topics[j]));
        }
      for (guint j = 0; shipped_questions[j] != NULL; j++)
        {
          g_assert_nonnull (form[j]);
          g_assert_cmpstr (form[j]->id, ==, shipped_questions[j]);
          g_assert_cmpuint (form[j]->n_options, ==, english[j]->n_options);
          g_assert_true ((form[j]->help == NULL) == (english[j]->help == NULL));
          for (guint k = 0; k < form[j]->n_options; k++)
            g_assert_cmpstr (form[j]->options[k].id, ==, english[j]->options[k].id);
        }
      g_assert_null (form[count_strv (shipped_questions)]);
    }
}

static void
test_shipped_structure (void)
{
  g_autoptr(FrContent) content = load_shipped ();
  const FrQuestion *q;
  const FrTopic *topic;

  g_assert_cmpstr (fr_content_get_consent_version (content), ==, "consent-2");

  q = fr_content_get_question (content, "en", "needs");
  g_assert_cmpint (q->kind, ==, FR_QUESTION_MULTIPLE);
  g_assert_cmpuint (q->n_options, ==, 9);
  g_assert_cmpstr (q->options[6].id, ==, "going-home");

  q = fr_content_get_question (content, "th", "safe_now");
  g_assert_cmpint (q->kind, ==, FR_QUESTION_YESNO);
  g_assert_cmpuint (q->n_options, ==, 3);
  g_assert_cmpstr (q->options[0].id, ==, FR_YESNO_YES);
  g_assert_cmpstr (q->options[1].id, ==, FR_YESNO_NO);
  g_assert_cmpstr (q->options[2].id, ==, FR_YESNO_PREFER_NOT);
  g_assert_cmpstr (q->options[0].label, ==, "ใช่");

  q = fr_content_get_question (content, "en", "contact_method");
  g_assert_cmpint (q->kind, ==, FR_QUESTION_SINGLE);
  g_assert_false (q->optional);
  g_assert_null (q->show_if_question);
  g_assert_null (q->show_if_values[0]);

  q = fr_content_get_question (content, "en", "phone");
  g_assert_cmpint (q->kind, ==, FR_QUESTION_PHONE);
  g_assert_cmpstr (q->show_if_question, ==, "contact_method");
  g_assert_cmpstr (q->show_if_values[0], ==, "phone");
  g_assert_null (q->show_if_values[1]);
  g_assert_cmpuint (q->max_length, ==, FR_CONTENT_PHONE_MAX_LENGTH);

  for (guint i = 0; i < 3; i++)
    {
      const char *ids[] = { "safe_times", "voicemail_ok", "code_word" };

      q = fr_content_get_question (content, "en", ids[i]);
      g_assert_cmpstr (q->show_if_question, ==, "phone");
      g_assert_null (q->show_if_values[0]);
    }
  g_assert_true (fr_content_get_question (content, "en", "code_word")->optional);
  g_assert_cmpstr (fr_content_get_question (content, "en", "voicemail_ok")->label, ==,
                   "Is it safe to leave a voicemail?");

  q = fr_content_get_question (content, "en", "message");
  g_assert_cmpint (q->kind, ==, FR_QUESTION_LONG_TEXT);
  g_assert_cmpuint (q->max_length, ==, 4000);
  g_assert_true (q->optional);
  g_assert_cmpint (fr_content_get_question (content, "en", "voice")->kind, ==, FR_QUESTION_VOICE);
  g_assert_cmpint (fr_content_get_question (content, "en", "name")->kind, ==, FR_QUESTION_SHORT_TEXT);

  g_assert_true (fr_content_group_enabled (content, "screening"));
  g_assert_false (fr_content_group_enabled (content, "no-such-group"));
  for (guint i = 11; shipped_questions[i] != NULL; i++)
    {
      q = fr_content_get_question (content, "en", shipped_questions[i]);
      g_assert_cmpstr (q->group, ==, "screening");
      g_assert_cmpint (q->kind, ==, FR_QUESTION_YESNO);
      g_assert_true (q->optional);
    }

  /* Numbers are contacts: the topics name them, kiosk.conf has them. */
  topic = fr_content_get_topic (content, "en", "emergency");
  g_assert_cmpstr (topic->contacts[0], ==, FR_CONTENT_TILE_PREFIX "help-now");
  topic = fr_content_get_topic (content, "sv", "health");
  g_assert_true (g_strv_contains (topic->contacts, "health-advice"));
  g_assert_true (g_strv_contains (fr_content_get_topic (content, "ar", "after-sending")->contacts,
                                  "social-services"));
  g_assert_null (fr_content_get_consent (content, "en")->contacts[0]);
}

static void
test_shipped_review_headers (void)
{
  /* Every shipped language file says its review status in its first line. */
  for (guint i = 0; shipped_languages[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
      const char *lang = shipped_languages[i];

      g_ptr_array_add (paths, g_build_filename (CONTENT_DIR, lang, "language.ini", NULL));
      g_ptr_array_add (paths, g_build_filename (CONTENT_DIR, lang, "form.ini", NULL));
      g_ptr_array_add (paths, g_build_filename (CONTENT_DIR, lang, "consent.txt", NULL));
      for (guint j = 0; shipped_topics[j] != NULL; j++)
        {
          g_autofree char *name = g_strconcat (shipped_topics[j], ".txt", NULL);

          g_ptr_array_add (paths, g_build_filename (CONTENT_DIR, lang, "topics", name, NULL));
        }
      for (guint j = 0; j < paths->len; j++)
        {
          const char *path = g_ptr_array_index (paths, j);
          g_autofree char *data = NULL;
          g_autoptr(GError) error = NULL;

          g_file_get_contents (path, &data, NULL, &error);
          g_assert_no_error (error);
          if (!g_str_has_prefix (data, "# Review: "))
            g_error ("%s does not start with a \"# Review: \" line", path);
        }
    }
}

static void
test_shipped_placeholders (void)
{
  g_autoptr(FrContent) content = load_shipped ();
  g_autoptr(GHashTable) english = items_of (content, "en");
  g_autofree char *consent = placeholders_of (g_hash_table_lookup (english, "doc consent"));
  g_autofree char *after = placeholders_of (g_hash_table_lookup (english, "doc after-sending"));
  g_autofree char *self_test = placeholders_of ("a {site} %s b %1$d {x} {} %%");

  /* The scan finds what it must, and English has placeholders to compare. */
  g_assert_cmpstr (self_test, ==, "%1$d %s {site} {x}");
  g_assert_cmpstr (consent, ==, "{site}");
  g_assert_cmpstr (after, ==, "{site}");

  for (guint i = 1; shipped_languages[i] != NULL; i++)
    {
      g_autoptr(GHashTable) items = items_of (content, shipped_languages[i]);
      GHashTableIter iter;
      gpointer key, value;

      g_assert_cmpuint (g_hash_table_size (items), ==, g_hash_table_size (english));
      g_hash_table_iter_init (&iter, english);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          const char *translation = g_hash_table_lookup (items, key);
          g_autofree char *theirs = NULL;
          g_autofree char *ours = NULL;

          g_assert_nonnull (translation);
          theirs = placeholders_of (translation);
          ours = placeholders_of (value);
          if (strcmp (theirs, ours) != 0)
            g_error ("%s: %s: placeholders \"%s\", English has \"%s\"", shipped_languages[i],
                     (char *) key, theirs, ours);
        }
    }
}

static void
test_shipped_numbers (void)
{
  g_autoptr(FrContent) content = load_shipped ();
  g_autofree char *a = phone_like_run ("Call 1177 for advice");
  g_autofree char *b = phone_like_run ("Ring 08-562 282 00.");
  g_autofree char *c = phone_like_run ("Police: 114 14");
  g_autofree char *d = phone_like_run ("Ring ١١٧٧");
  g_autofree char *e = phone_like_run ("Call 112. It is 30 days, 2 people.");
  gboolean saw_112 = FALSE;

  /* The scanner itself. */
  g_assert_cmpstr (a, ==, "1177");
  g_assert_cmpstr (b, ==, "0856228200");
  g_assert_cmpstr (c, ==, "11414");
  g_assert_cmpstr (d, ==, "1177");
  g_assert_null (e);

  for (guint i = 0; shipped_languages[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) strings = fr_content_list_strings (content, shipped_languages[i]);

      g_assert_cmpuint (strings->len, >, 100);
      for (guint j = 0; j < strings->len; j++)
        {
          const char *text = g_ptr_array_index (strings, j);
          g_autofree char *run = phone_like_run (text);

          if (run != NULL)
            g_error ("%s: a phone-number-like run %s in \"%s\"; numbers come from kiosk.conf",
                     shipped_languages[i], run, text);
          saw_112 |= strstr (text, "112") != NULL;
        }
    }
  g_assert_true (saw_112);
}

static void
test_shipped_words (void)
{
  g_autoptr(FrContent) content = load_shipped ();

  g_assert_cmpstr (find_word ("Help for Human Trafficking", hidden_words), ==, "traffick");
  g_assert_cmpstr (find_word ("Stöd mot MÄNNISKOHANDEL", hidden_words), ==, "människohandel");
  g_assert_null (find_word ("Your rights in Sweden", hidden_words));

  for (guint i = 0; shipped_languages[i] != NULL; i++)
    {
      const char *lang = shipped_languages[i];
      const FrTopic *const *topics = fr_content_get_topics (content, lang);
      const FrQuestion *needs = fr_content_get_question (content, lang, "needs");
      g_autoptr(GPtrArray) titles = g_ptr_array_new ();
      g_autoptr(GPtrArray) strings = fr_content_list_strings (content, lang);

      /* What a person across the room might read: titles, the language name, the
       * choices of the first question. */
      g_ptr_array_add (titles, (gpointer) fr_content_get_language_name (content, lang));
      g_ptr_array_add (titles, (gpointer) fr_content_get_consent (content, lang)->title);
      for (guint j = 0; topics[j] != NULL; j++)
        g_ptr_array_add (titles, (gpointer) topics[j]->title);
      for (guint j = 0; j < needs->n_options; j++)
        g_ptr_array_add (titles, (gpointer) needs->options[j].label);
      for (const FrQuestion *const *form = fr_content_get_form (content, lang); *form != NULL; form++)
        g_ptr_array_add (titles, (gpointer) fr_content_get_group_title (content, lang, (*form)->group));

      for (guint j = 0; j < titles->len; j++)
        {
          const char *word = find_word (g_ptr_array_index (titles, j), hidden_words);

          if (word != NULL)
            g_error ("%s: the title \"%s\" contains \"%s\"", lang, (char *) g_ptr_array_index (titles, j), word);
        }
      for (guint j = 0; j < strings->len; j++)
        {
          const char *word = find_word (g_ptr_array_index (strings, j), victim_words);

          if (word != NULL)
            g_error ("%s: \"%s\" contains \"%s\"", lang, (char *) g_ptr_array_index (strings, j), word);
        }
    }
}

static void
test_list_strings (void)
{
  g_autoptr(FrContent) content = load_shipped ();
  g_autoptr(GPtrArray) en = fr_content_list_strings (content, "en");
  g_autoptr(GPtrArray) sv = fr_content_list_strings (content, "sv");
  g_autoptr(GPtrArray) none = fr_content_list_strings (content, "fi");
  gboolean has_name = FALSE, has_title = FALSE, has_agree = FALSE, has_option = FALSE;

  g_assert_cmpuint (sv->len, ==, en->len);
  g_assert_cmpuint (none->len, ==, 0);
  for (guint i = 0; i < sv->len; i++)
    {
      const char *s = g_ptr_array_index (sv, i);

      g_assert_false (is_blank (s));
      has_name |= strcmp (s, "Svenska") == 0;
      has_title |= strcmp (s, fr_content_get_topic (content, "sv", "rights")->title) == 0;
      has_agree |= strcmp (s, fr_content_get_consent_agree (content, "sv")) == 0;
      has_option |= strcmp (s, fr_content_get_question (content, "sv", "safe_times")->options[3].label) == 0;
    }
  g_assert_true (has_name && has_title && has_agree && has_option);
}

static void
test_expand (void)
{
  const char *const vars[] = { "site", "Demo kommun", "n", "3", NULL };
  g_autofree char *a = fr_content_expand ("Social services in {site}.", vars);
  g_autofree char *b = fr_content_expand ("{site}{site} {n} {other} {site", vars);
  g_autofree char *c = fr_content_expand ("{site}", NULL);
  g_autoptr(FrContent) content = load_shipped ();
  g_autofree char *d = fr_content_expand (fr_content_get_consent (content, "sv")->paragraphs[0], vars);

  g_assert_cmpstr (a, ==, "Social services in Demo kommun.");
  g_assert_cmpstr (b, ==, "Demo kommunDemo kommun 3 {other} {site");
  g_assert_cmpstr (c, ==, "{site}");
  g_assert_cmpstr (d, ==, "Dina svar och ditt meddelande går till socialtjänsten i Demo kommun.");
}

/* ------------------------------------------------------------------------------------ */
/* Site overrides                                                                       */

static gboolean
topics_equal (const FrTopic *a,
              const FrTopic *b)
{
  return strcmp (a->id, b->id) == 0 && strcmp (a->title, b->title) == 0
         && g_strv_equal (a->paragraphs, b->paragraphs) && g_strv_equal (a->contacts, b->contacts)
         && a->version == b->version && g_strcmp0 (a->reviewed, b->reviewed) == 0;
}

static gboolean
questions_equal (const FrQuestion *a,
                 const FrQuestion *b)
{
  if (strcmp (a->id, b->id) != 0 || a->kind != b->kind || a->optional != b->optional
      || strcmp (a->label, b->label) != 0 || g_strcmp0 (a->help, b->help) != 0
      || a->n_options != b->n_options || a->max_length != b->max_length
      || g_strcmp0 (a->show_if_question, b->show_if_question) != 0
      || !g_strv_equal (a->show_if_values, b->show_if_values) || strcmp (a->group, b->group) != 0)
    return FALSE;
  for (guint i = 0; i < a->n_options; i++)
    if (strcmp (a->options[i].id, b->options[i].id) != 0
        || strcmp (a->options[i].label, b->options[i].label) != 0)
      return FALSE;
  return TRUE;
}

static void
test_site_override (void)
{
  g_autoptr(FrContent) shipped = load_shipped ();
  g_autoptr(FrContent) site = load_with_fixture ("site-override");
  g_autoptr(GPtrArray) lines = NULL;
  guint n_missing = 99;

  g_assert_cmpstrv (fr_content_get_languages (site), shipped_languages);
  g_assert_cmpstr (fr_content_get_consent_version (site), ==, "consent-2");

  for (guint i = 0; shipped_languages[i] != NULL; i++)
    {
      const char *lang = shipped_languages[i];
      const FrQuestion *const *form = fr_content_get_form (site, lang);
      const FrQuestion *const *shipped_form = fr_content_get_form (shipped, lang);
      const FrTopic *const *topics = fr_content_get_topics (site, lang);
      const FrTopic *const *shipped_topics_ = fr_content_get_topics (shipped, lang);
      guint k = 0;

      /* The form: every shipped question but code_word, in order, unchanged. */
      for (guint j = 0; shipped_form[j] != NULL; j++)
        {
          if (strcmp (shipped_form[j]->id, "code_word") == 0)
            continue;
          g_assert_nonnull (form[k]);
          g_assert_true (questions_equal (form[k], shipped_form[j]));
          k++;
        }
      g_assert_null (form[k]);
      g_assert_cmpuint (k, ==, count_strv (shipped_questions) - 1);
      g_assert_null (fr_content_get_question (site, lang, "code_word"));

      /* Topics: the same, but Swedish "shelter". */
      for (guint j = 0; shipped_topics_[j] != NULL; j++)
        {
          g_assert_nonnull (topics[j]);
          if (strcmp (lang, "sv") == 0 && strcmp (topics[j]->id, "shelter") == 0)
            {
              g_assert_cmpstr (topics[j]->title, ==, "Tak över huvudet i testkommunen");
              g_assert_cmpuint (count_strv (topics[j]->paragraphs), ==, 2);
              g_assert_cmpstr (topics[j]->language, ==, "sv");
              g_assert_false (topics_equal (topics[j], shipped_topics_[j]));
              g_assert_cmpuint (topics[j]->version, ==, shipped_topics_[j]->version);
            }
          else
            g_assert_true (topics_equal (topics[j], shipped_topics_[j]));
        }
      g_assert_null (topics[count_strv (shipped_topics)]);

      g_assert_true (topics_equal (fr_content_get_consent (site, lang), fr_content_get_consent (shipped, lang)));
      g_assert_cmpstr (fr_content_get_consent_agree (site, lang), ==, fr_content_get_consent_agree (shipped, lang));
      g_assert_cmpuint (count_incomplete (site, lang), ==, 0);
    }

  /* The report names both changes, and nothing else. */
  lines = fr_content_check (site, shipped_languages, conventional_contacts, &n_missing);
  print_lines (lines);
  g_assert_cmpuint (n_missing, ==, 0);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_true (lines_contain (lines, "override: form.json replaces the shipped form: 16 questions; "
                                       "dropped: code_word; added: none; changed: none"));
  g_assert_true (lines_contain (lines, "override: sv: topic shelter text"));
}

static void
test_site_language (void)
{
  g_autoptr(FrContent) site = load_with_fixture ("site-language");
  const char *const offered[] = { "sv", "fi", "en", NULL };
  const char *const expected[] = { "en", "sv", "th", "ro", "bg", "uk", "ru", "pl", "es", "vi",
                                   "zh_CN", "ar", "fi", NULL };
  g_autoptr(GPtrArray) lines = NULL;
  const FrTopic *const *topics;
  const FrQuestion *const *form;
  guint n_missing = 99;

  g_assert_cmpstrv (fr_content_get_languages (site), expected);
  g_assert_cmpstr (fr_content_get_language_name (site, "fi"), ==, "Suomi");
  g_assert_cmpstr (fr_content_get_language_record_code (site, "fi"), ==, "fi");
  g_assert_cmpint (fr_content_get_language_direction (site, "fi"), ==, FR_TEXT_DIRECTION_LTR);

  topics = fr_content_get_topics (site, "fi");
  g_assert_cmpstr (topics[0]->id, ==, "emergency");
  g_assert_cmpstr (topics[0]->title, ==, "Hätätilanne");
  g_assert_cmpstr (topics[0]->language, ==, "fi");
  g_assert_null (topics[1]);
  g_assert_null (fr_content_get_topic (site, "sv", "rights"));

  form = fr_content_get_form (site, "fi");
  g_assert_cmpstr (form[0]->id, ==, "safe_now");
  g_assert_cmpstr (form[0]->options[2].label, ==, "En halua vastata");
  g_assert_cmpstr (form[1]->label, ==, "Viestisi");
  g_assert_null (form[2]);
  g_assert_cmpuint (count_incomplete (site, "fi"), ==, 0);
  g_assert_cmpuint (count_incomplete (site, "sv"), ==, 0);

  lines = fr_content_check (site, offered, conventional_contacts, &n_missing);
  print_lines (lines);
  g_assert_cmpuint (n_missing, ==, 0);
  g_assert_true (lines_contain (lines, "add: language fi (Suomi)"));
  g_assert_true (lines_contain (lines, "override: topic order: emergency (left out: rights, social-services, shelter, "
                                       "health, work, selling-sex, going-home, after-sending)"));
  g_assert_cmpuint (lines_with_prefix (lines, "override: form.json replaces the shipped form: 2 questions;"), ==, 1);
  g_assert_cmpuint (lines->len, ==, 3);
}

static void
test_site_incomplete (void)
{
  g_autoptr(FrContent) site = load_with_fixture ("site-incomplete");
  const char *const offered[] = { "sv", "fi", NULL };
  const char *const only_sv[] = { "sv", NULL };
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) sv_lines = NULL;
  const FrQuestion *message;
  guint n_missing = 0;

  /* The language loads, shows English where its label is missing, and the
   * completeness rule the shipped languages pass fails for it. */
  message = fr_content_get_question (site, "fi", "message");
  g_assert_cmpstr (message->label, ==, "Your message");
  g_assert_cmpstr (message->help, ==, "Kirjoita, mitä haluat sosiaalipalvelujen tietävän. Voit ohittaa tämän.");
  g_assert_cmpuint (count_incomplete (site, "fi"), >, 0);
  g_assert_cmpuint (count_incomplete (site, "sv"), ==, 0);

  lines = fr_content_check (site, offered, NULL, &n_missing);
  print_lines (lines);
  g_assert_cmpuint (n_missing, ==, 1);
  g_assert_true (lines_contain (lines, "missing: fi: label [question message] label (English shown)"));
  g_assert_true (lines_contain (lines, "add: language fi (Suomi)"));

  /* Gaps are reported for the offered languages only. */
  sv_lines = fr_content_check (site, only_sv, NULL, &n_missing);
  g_assert_cmpuint (n_missing, ==, 0);
}

static void
test_site_settings (void)
{
  g_autofree char *dir = make_site ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FrContent) content = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  const char *const offered[] = { "sv", "xx", NULL };
  const char *const contacts[] = { "emergency", NULL };
  const FrQuestion *const *form;
  guint n_missing = 0;

  /* Screening off, a site topic, a new consent text and version, a relabelled option. */
  write_file (dir, "content.ini",
              "[content]\ndisable-groups=screening\n"
              "[consent]\nversion=consent-demo-1\n"
              "[topic local-help]\nversion=2\nreviewed=2026-12-01\ncontacts=partner-x;tile:talk\n"
              "[topic rights]\nreviewed=2026-12-02\n", -1);
  write_file (dir, "en/topics/local-help.txt", "Local help\n\nA partner in town can help.\n", -1);
  write_file (dir, "sv/consent.txt", "Innan du skickar\n\nDitt meddelande går till socialtjänsten.\n", -1);
  write_file (dir, "sv/form.ini", "[question needs]\noption.money=Pengar eller mat\n", -1);
  write_file (dir, "sv/notes.txt", "a stray file\n", -1);

  content = fr_content_load (CONTENT_DIR, dir, &error);
  g_assert_no_error (error);

  form = fr_content_get_form (content, "sv");
  g_assert_cmpuint (count_strv ((const char *const *) form), ==, 11);
  for (guint i = 0; form[i] != NULL; i++)
    g_assert_cmpstr (form[i]->group, !=, "screening");
  g_assert_null (fr_content_get_question (content, "sv", "s_debt"));
  g_assert_false (fr_content_group_enabled (content, "screening"));
  g_assert_true (fr_content_group_enabled (content, "contact"));
  g_assert_null (fr_content_get_group_title (content, "sv", "screening"));
  g_assert_cmpstr (fr_content_get_question (content, "sv", "needs")->options[3].label, ==, "Pengar eller mat");
  g_assert_cmpstr (fr_content_get_question (content, "en", "needs")->options[3].label, ==, "Money");
  g_assert_cmpstr (fr_content_get_consent_version (content), ==, "consent-demo-1");
  g_assert_cmpstr (fr_content_get_topic (content, "en", "rights")->reviewed, ==, "2026-12-02");
  g_assert_cmpuint (fr_content_get_topic (content, "en", "rights")->version, ==, 2);

  /* The added topic comes last; without a translation, English is shown. */
  g_assert_cmpstr (fr_content_get_topics (content, "sv")[9]->id, ==, "local-help");
  g_assert_cmpstr (fr_content_get_topic (content, "sv", "local-help")->language, ==, "en");
  g_assert_cmpstr (fr_content_get_topic (content, "sv", "local-help")->title, ==, "Local help");
  g_assert_cmpuint (fr_content_get_topic (content, "sv", "local-help")->version, ==, 2);

  lines = fr_content_check (content, offered, contacts, &n_missing);
  print_lines (lines);
  g_assert_true (lines_contain (lines, "override: question group screening is turned off"));
  g_assert_true (lines_contain (lines, "add: topic local-help"));
  g_assert_true (lines_contain (lines, "override: consent version consent-demo-1 (shipped: consent-2)"));
  g_assert_true (lines_contain (lines, "override: topic rights details (version 2, reviewed 2026-12-02)"));
  g_assert_true (lines_contain (lines, "override: sv: consent text"));
  g_assert_true (lines_contain (lines, "override: sv: labels [question needs] option.money"));
  g_assert_true (lines_contain (lines, "missing: sv: topic local-help text (English shown)"));
  g_assert_true (lines_contain (lines, "missing: language xx is offered but has no content"));
  g_assert_true (lines_contain (lines, "missing: contact partner-x (shown under topic local-help) is not in kiosk.conf"));
  g_assert_true (lines_contain (lines, "missing: contact social-services (shown under topics rights, social-services, "
                                       "shelter, work, selling-sex, going-home, after-sending) is not in kiosk.conf"));
  g_assert_true (lines_contain (lines, "missing: contact police (shown under topic rights) is not in kiosk.conf"));
  g_assert_true (lines_contain (lines, "missing: contact social-emergency (shown under topic social-services) is not in kiosk.conf"));
  g_assert_true (lines_contain (lines, "missing: contact health-advice (shown under topic health) is not in kiosk.conf"));
  g_assert_cmpuint (lines_with_prefix (lines, "missing: contact "), ==, 5);
  g_assert_cmpuint (lines_with_prefix (lines, "warning: sv: consent text: placeholders differ from English"), ==, 1);
  g_assert_cmpuint (lines_with_prefix (lines, "warning: site file "), ==, 1);
  g_assert_cmpuint (n_missing, ==, lines_with_prefix (lines, "missing: "));

  /* Same consent text version while the text changed: a warning. */
  g_clear_pointer (&content, fr_content_free);
  g_clear_pointer (&lines, g_ptr_array_unref);
  write_file (dir, "content.ini", "[content]\ndisable-groups=screening\n", -1);
  {
    g_autofree char *stale = g_build_filename (dir, "en", "topics", "local-help.txt", NULL);

    g_assert_cmpint (g_unlink (stale), ==, 0);
  }
  content = fr_content_load (CONTENT_DIR, dir, &error);
  g_assert_no_error (error);
  lines = fr_content_check (content, NULL, NULL, &n_missing);
  print_lines (lines);
  g_assert_cmpuint (lines_with_prefix (lines, "warning: the site changes the consent text but keeps consent version consent-2"), ==, 1);
  g_assert_cmpuint (lines_with_prefix (lines, "warning: site file "), ==, 1);

  remove_tree (dir);
}

/* ------------------------------------------------------------------------------------ */
/* Malformed input                                                                      */

#define FORM_HEAD "{\"format\":\"fristad.form.v1\",\"questions\":["
#define FORM_TAIL "]}"
#define Q_NEEDS   "{\"id\":\"needs\",\"kind\":\"multiple\",\"group\":\"needs\",\"options\":[\"shelter\",\"health\"]}"
#define Q_SAFE    "{\"id\":\"safe_now\",\"kind\":\"yesno\",\"group\":\"needs\"}"

typedef struct
{
  const char *name;
  const char *file;      /* relative to the site folder */
  const char *data;      /* NULL: a file of FR_CONTENT_MAX_FILE_SIZE + 1 bytes */
  const char *expect_1;  /* substrings of the error message */
  const char *expect_2;
} Malformed;

static const Malformed malformed[] = {
  { "bad-json", "form.json", FORM_HEAD Q_NEEDS ",", "form.json: not valid JSON", NULL },
  { "not-object", "form.json", "[1,2]", "form.json: must be a JSON object", NULL },
  { "wrong-format", "form.json", "{\"format\":\"fristad.form.v9\",\"questions\":[" Q_SAFE "]}",
    "form.json: \"format\" must be", NULL },
  { "unknown-kind", "form.json",
    FORM_HEAD "{\"id\":\"safe_now\",\"kind\":\"slider\",\"group\":\"needs\"}" FORM_TAIL,
    "form.json: question safe_now: unknown kind \"slider\"", NULL },
  { "duplicate-id", "form.json", FORM_HEAD Q_NEEDS "," Q_SAFE "," Q_NEEDS FORM_TAIL,
    "form.json: question needs appears twice", NULL },
  { "duplicate-member", "form.json",
    FORM_HEAD "{\"id\":\"safe_now\",\"kind\":\"yesno\",\"kind\":\"phone\",\"group\":\"needs\"}" FORM_TAIL,
    "form.json: an object has the same member twice", NULL },
  { "unknown-member", "form.json",
    FORM_HEAD "{\"id\":\"safe_now\",\"kind\":\"yesno\",\"group\":\"needs\",\"colour\":\"red\"}" FORM_TAIL,
    "form.json: question safe_now: unknown member \"colour\"", NULL },
  { "show-if-unknown", "form.json",
    FORM_HEAD Q_NEEDS ",{\"id\":\"safe_now\",\"kind\":\"yesno\",\"group\":\"needs\","
    "\"show-if\":{\"question\":\"nope\"}}" FORM_TAIL,
    "form.json: question safe_now: \"show-if\" refers to unknown question \"nope\"", NULL },
  { "show-if-later", "form.json",
    FORM_HEAD "{\"id\":\"safe_now\",\"kind\":\"yesno\",\"group\":\"needs\","
    "\"show-if\":{\"question\":\"needs\"}}," Q_NEEDS FORM_TAIL,
    "refers to unknown question \"needs\" (it must come earlier", NULL },
  { "show-if-bad-value", "form.json",
    FORM_HEAD Q_NEEDS ",{\"id\":\"safe_now\",\"kind\":\"yesno\",\"group\":\"needs\","
    "\"show-if\":{\"question\":\"needs\",\"values\":[\"money\"]}}" FORM_TAIL,
    "\"show-if\" value \"money\" is not an option of needs", NULL },
  /* A site that drops contact_method but keeps the phone question that depends on it. */
  { "show-if-dropped", "form.json",
    FORM_HEAD Q_NEEDS ",{\"id\":\"phone\",\"kind\":\"phone\",\"group\":\"contact\","
    "\"show-if\":{\"question\":\"contact_method\",\"values\":[\"phone\"]}}" FORM_TAIL,
    "form.json: question phone: \"show-if\" refers to unknown question \"contact_method\"", NULL },
  { "options-on-text", "form.json",
    FORM_HEAD "{\"id\":\"name\",\"kind\":\"short-text\",\"group\":\"contact\",\"options\":[\"a\",\"b\"]}" FORM_TAIL,
    "question name: a short-text question has no \"options\"", NULL },
  { "max-length-too-big", "form.json",
    FORM_HEAD "{\"id\":\"message\",\"kind\":\"long-text\",\"group\":\"message\",\"max-length\":5000}" FORM_TAIL,
    "question message: \"max-length\" must be a whole number from 1 to 4000", NULL },
  { "bad-question-id", "form.json",
    FORM_HEAD "{\"id\":\"Safe Now\",\"kind\":\"yesno\",\"group\":\"needs\"}" FORM_TAIL,
    "form.json: question 1: \"id\" must be", NULL },
  { "no-english-label", "form.json",
    FORM_HEAD "{\"id\":\"new_question\",\"kind\":\"yesno\",\"group\":\"needs\"}" FORM_TAIL,
    "no English label [question new_question] label", NULL },
  { "oversize-form", "form.json", NULL, "form.json: larger than 64 KiB", NULL },
  { "oversize-topic", "sv/topics/rights.txt", NULL, "rights.txt: larger than 64 KiB", NULL },
  { "topic-not-utf8", "sv/topics/rights.txt", "Titel\n\nText \xff\xfe.\n", "rights.txt: not UTF-8", NULL },
  { "topic-nul", "sv/topics/rights.txt", "Titel\n\nText\0.\n", "rights.txt: not UTF-8", NULL },
  { "topic-no-text", "sv/topics/rights.txt", "# comment\nOnly a title\n\n", "rights.txt: no text after the title", NULL },
  { "topic-crlf", "sv/topics/rights.txt", "Titel\r\n\r\nText.\r\n", "rights.txt: line 1: carriage return", NULL },
  { "topic-control", "sv/topics/rights.txt", "Titel\n\nText\x07.\n", "rights.txt: line 3: control character", NULL },
  { "topic-bom", "sv/topics/rights.txt", "\xef\xbb\xbfTitel\n\nText.\n", "rights.txt: starts with a byte-order mark", NULL },
  { "content-unknown-key", "content.ini", "[content]\nlanguage=fi\n", "content.ini: [content]: unknown key language", NULL },
  { "content-unknown-group", "content.ini", "[contents]\n", "content.ini: unknown group [contents]", NULL },
  { "content-bad-date", "content.ini", "[topic rights]\nreviewed=2026-02-30\n", "[topic rights]: reviewed must be a date", NULL },
  { "content-new-topic-no-version", "content.ini", "[topic extra]\nreviewed=2026-02-03\n", "[topic extra]: version is missing", NULL },
  { "content-bad-tile", "content.ini", "[topic rights]\ncontacts=tile:elsewhere\n", "[topic rights]: contacts: item 1 is not a valid name", NULL },
  { "content-order-unknown", "content.ini", "[content]\ntopics=rights;nope\n", "topics: unknown topic nope", NULL },
  { "content-disable-unknown", "content.ini", "[content]\ndisable-groups=screenig\n", "disable-groups: the form has no group screenig", NULL },
  { "content-language-no-folder", "content.ini", "[content]\nlanguages=fi\n", "fi/language.ini", NULL },
  { "content-language-bad-code", "content.ini", "[content]\nlanguages=Finnish\n", "languages: item 1 is not a valid name", NULL },
  { "content-language-twice", "content.ini", "[content]\nlanguages=sv\n", "languages: sv is shipped already", NULL },
  { "labels-unknown-question", "sv/form.ini", "[question nope]\nlabel=X\n", "form.ini: [question nope]: the form has no such question", NULL },
  { "labels-unknown-option", "sv/form.ini", "[question needs]\noption.car=Bil\n", "form.ini: [question needs]: unknown key option.car", NULL },
  { "labels-duplicate-key", "sv/form.ini", "[question needs]\nlabel=A\nlabel=B\n", "form.ini: line 3: key label appears twice", NULL },
  { "labels-duplicate-group", "sv/form.ini", "[form]\nyes=Ja\n[form]\nno=Nej\n", "form.ini: line 3: group [form] appears twice", NULL },
  { "labels-empty", "sv/form.ini", "[form]\nyes=\n", "form.ini: [form]: yes must be 1..", NULL },
  { "labels-locale-key", "sv/form.ini", "[form]\nyes[fi]=Kyllä\n", "form.ini: [form]: unknown key yes[fi]", NULL },
  { "labels-syntax", "sv/form.ini", "[form\nyes=Ja\n", "form.ini:", NULL },
  { "language-bad-direction", "sv/language.ini", "[language]\ndirection=up\n", "direction must be ltr or rtl", NULL },
};

static void
test_malformed (gconstpointer data)
{
  const Malformed *m = data;
  g_autofree char *dir = make_site ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FrContent) content = NULL;

  if (m->data != NULL)
    write_file (dir, m->file, m->data, strcmp (m->name, "topic-nul") == 0 ? 14 : -1);
  else
    {
      g_autofree char *big = g_malloc (FR_CONTENT_MAX_FILE_SIZE + 1);

      memset (big, 'a', FR_CONTENT_MAX_FILE_SIZE + 1);
      write_file (dir, m->file, big, FR_CONTENT_MAX_FILE_SIZE + 1);
    }

  content = fr_content_load (CONTENT_DIR, dir, &error);
  g_assert_null (content);
  g_assert_error (error, FR_ERROR, FR_ERROR_CONFIG);
  g_test_message ("%s: %s", m->name, error->message);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_nonnull (strstr (error->message, m->expect_1));
  if (m->expect_2 != NULL)
    g_assert_nonnull (strstr (error->message, m->expect_2));

  remove_tree (dir);
}

static void
test_missing_dirs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrContent) content = NULL;
  g_autofree char *dir = make_site ();
  g_autofree char *absent = g_build_filename (dir, "absent", NULL);
  g_autoptr(GPtrArray) lines = NULL;
  guint n_missing = 0;

  content = fr_content_load (absent, NULL, &error);
  g_assert_null (content);
  g_assert_error (error, FR_ERROR, FR_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "shipped content folder does not exist"));
  g_clear_error (&error);

  /* A site without a content folder gets the shipped content, and the check says so. */
  content = fr_content_load (CONTENT_DIR, absent, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (fr_content_get_languages (content), shipped_languages);
  lines = fr_content_check (content, NULL, NULL, &n_missing);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, 0), "warning: the site content folder "));
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 0), "does not exist"));
  g_clear_pointer (&content, fr_content_free);

  /* A file where the folder should be is an error. */
  write_file (dir, "a-file", "x", -1);
  {
    g_autofree char *file = g_build_filename (dir, "a-file", NULL);

    content = fr_content_load (CONTENT_DIR, file, &error);
  }
  g_assert_null (content);
  g_assert_error (error, FR_ERROR, FR_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "is not a folder"));
  g_clear_error (&error);

  /* A shipped folder without content.ini. */
  content = fr_content_load (dir, NULL, &error);
  g_assert_null (content);
  g_assert_error (error, FR_ERROR, FR_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "content.ini"));

  remove_tree (dir);
}

static void
test_review_lines (void)
{
  g_autoptr(FrContent) content = load_with_fixture ("site-language");
  const char *const offered[] = { "fi", "sv", NULL };
  g_autoptr(GPtrArray) lines = fr_content_review_lines (content, offered);
  g_autoptr(GPtrArray) all = fr_content_review_lines (content, NULL);

  /* One line per offered language, in content order, with its language.ini status. */
  print_lines (lines);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==,
                   "review: sv (Swedish): machine-drafted 2026-11-28, revised 2026-12-05, awaiting native review");
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "review: fi (Finnish): test fixture");
  g_assert_cmpuint (all->len, ==, count_strv (shipped_languages) + 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/content/languages", test_languages);
  g_test_add_func ("/content/record-code", test_record_code);
  g_test_add_func ("/content/shipped/complete", test_shipped_complete);
  g_test_add_func ("/content/shipped/structure", test_shipped_structure);
  g_test_add_func ("/content/shipped/review-headers", test_shipped_review_headers);
  g_test_add_func ("/content/shipped/placeholders", test_shipped_placeholders);
  g_test_add_func ("/content/shipped/numbers", test_shipped_numbers);
  g_test_add_func ("/content/shipped/words", test_shipped_words);
  g_test_add_func ("/content/shipped/no-home", test_shipped_no_home);
  g_test_add_func ("/content/shipped/yesno", test_shipped_yesno);
  g_test_add_func ("/content/shipped/discreet-tiles", test_shipped_discreet_tiles);
  g_test_add_func ("/content/review-lines", test_review_lines);
  g_test_add_func ("/content/list-strings", test_list_strings);
  g_test_add_func ("/content/expand", test_expand);
  g_test_add_func ("/content/site/override", test_site_override);
  g_test_add_func ("/content/site/language", test_site_language);
  g_test_add_func ("/content/site/incomplete", test_site_incomplete);
  g_test_add_func ("/content/site/settings", test_site_settings);
  g_test_add_func ("/content/missing-dirs", test_missing_dirs);
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *path = g_strconcat ("/content/malformed/", malformed[i].name, NULL);

      g_test_add_data_func (path, &malformed[i], test_malformed);
    }

  return g_test_run ();
}
