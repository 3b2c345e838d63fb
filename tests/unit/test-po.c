/* test-po.c — the interface translations (i18n/po) are complete, correct and discreet
 *
 * For every language in LINGUAS: a po file exists; it covers every string xgettext finds
 * through POTFILES.in (the same keywords as meson's glib preset), with nothing untranslated
 * or fuzzy; `msgfmt --check` passes; printf and {name} placeholders match the English;
 * Plural-Forms is the language's rule; the review status is recorded; no string names
 * trafficking or prostitution. POTFILES.in is sorted and lists every source file with a
 * translatable string. The same checks run on broken fixtures (tests/po) to show that
 * each of them can fail.
 */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "fr-test-util.h"

/* ---- po parsing ---- */

typedef struct
{
  char      *msgctxt;
  char      *msgid;
  char      *msgid_plural;
  GPtrArray *msgstr;        /* char *, one per form */
  gboolean   fuzzy;
  gboolean   obsolete;
  char      *comments;      /* "# " translator comments, joined */
} PoEntry;

static void
po_entry_free (gpointer data)
{
  PoEntry *e = data;

  g_free (e->msgctxt);
  g_free (e->msgid);
  g_free (e->msgid_plural);
  g_ptr_array_unref (e->msgstr);
  g_free (e->comments);
  g_free (e);
}

static PoEntry *
po_entry_new (void)
{
  PoEntry *e = g_new0 (PoEntry, 1);

  e->msgstr = g_ptr_array_new_with_free_func (g_free);
  return e;
}

/* "…" with C escapes → the string; NULL if @s is not one quoted string. */
static char *
unquote (const char *s)
{
  g_autofree char *inner = NULL;
  gsize len;

  while (*s == ' ' || *s == '\t')
    s++;
  len = strlen (s);
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
    len--;
  if (len < 2 || s[0] != '"' || s[len - 1] != '"')
    return NULL;
  inner = g_strndup (s + 1, len - 2);
  return g_strcompress (inner);
}

static gboolean
is_blank (const char *line)
{
  for (; *line != '\0'; line++)
    if (!g_ascii_isspace (*line))
      return FALSE;
  return TRUE;
}

/* g_ptr_array_sort passes pointers to the elements. */
static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static gboolean
entry_is_empty (const PoEntry *e)
{
  return e->msgid == NULL && e->msgstr->len == 0 && e->comments == NULL && !e->fuzzy;
}

/**
 * parse_po:
 * Reads a po or pot file into PoEntry records (the header is the entry with msgid "").
 * Returns: (transfer full): the entries, or %NULL with @error set.
 */
static GPtrArray *
parse_po (const char  *path,
          GError     **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (po_entry_free);
  g_autoptr(GString) comments = g_string_new (NULL);
  PoEntry *cur = po_entry_new ();
  char **target = NULL;     /* the string continuation lines append to */

  if (!g_file_get_contents (path, &text, NULL, error))
    {
      po_entry_free (cur);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gboolean obsolete = FALSE;
      g_autofree char *value = NULL;
      const char *rest;

      if (g_str_has_prefix (line, "#~"))
        {
          obsolete = TRUE;
          line += 2;
          while (*line == ' ')
            line++;
          if (*line == '|')
            continue;
        }
      if (is_blank (line))
        {
          if (!entry_is_empty (cur))
            {
              if (comments->len > 0)
                cur->comments = g_strdup (comments->str);
              g_ptr_array_add (entries, cur);
              cur = po_entry_new ();
            }
          g_string_truncate (comments, 0);
          target = NULL;
          continue;
        }
      if (obsolete)
        cur->obsolete = TRUE;
      if (line[0] == '#')
        {
          if (line[1] == ',' && strstr (line, "fuzzy") != NULL)
            cur->fuzzy = TRUE;
          else if (line[1] == ' ' || line[1] == '\0')
            g_string_append_printf (comments, "%s\n", line);
          continue;
        }
      if (line[0] == '"')
        {
          g_autofree char *more = unquote (line);
          char *joined;

          if (more == NULL || target == NULL)
            goto bad_line;
          joined = g_strconcat (*target, more, NULL);
          g_free (*target);
          *target = joined;
          continue;
        }
      if ((rest = g_str_has_prefix (line, "msgctxt ") ? line + 8 : NULL) != NULL)
        target = &cur->msgctxt;
      else if ((rest = g_str_has_prefix (line, "msgid_plural ") ? line + 13 : NULL) != NULL)
        target = &cur->msgid_plural;
      else if ((rest = g_str_has_prefix (line, "msgid ") ? line + 6 : NULL) != NULL)
        target = &cur->msgid;
      else if (g_str_has_prefix (line, "msgstr"))
        {
          const char *p = line + 6;
          guint index = 0;

          if (*p == '[')
            {
              char *end = NULL;

              index = (guint) g_ascii_strtoull (p + 1, &end, 10);
              if (end == NULL || *end != ']')
                goto bad_line;
              p = end + 1;
            }
          if (index != cur->msgstr->len)
            goto bad_line;
          g_ptr_array_add (cur->msgstr, NULL);
          target = (char **) &cur->msgstr->pdata[index];
          rest = p;
        }
      else
        goto bad_line;

      value = unquote (rest);
      if (value == NULL || *target != NULL)
        goto bad_line;
      *target = g_steal_pointer (&value);
      continue;

    bad_line:
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%u: cannot parse this line", path, i + 1);
      po_entry_free (cur);
      return NULL;
    }
  if (!entry_is_empty (cur))
    {
      if (comments->len > 0)
        cur->comments = g_strdup (comments->str);
      g_ptr_array_add (entries, cur);
    }
  else
    po_entry_free (cur);
  return g_steal_pointer (&entries);
}

static const PoEntry *
find_header (GPtrArray *entries)
{
  for (guint i = 0; i < entries->len; i++)
    {
      const PoEntry *e = g_ptr_array_index (entries, i);

      if (!e->obsolete && e->msgctxt == NULL && g_strcmp0 (e->msgid, "") == 0)
        return e;
    }
  return NULL;
}

/* The value of "Field: value" in the header, or NULL. */
static char *
header_field (const PoEntry *header,
              const char    *field)
{
  g_auto(GStrv) lines = NULL;
  g_autofree char *prefix = g_strconcat (field, ":", NULL);

  if (header == NULL || header->msgstr->len == 0)
    return NULL;
  lines = g_strsplit (g_ptr_array_index (header->msgstr, 0), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strstrip (g_strdup (lines[i] + strlen (prefix)));
  return NULL;
}

static char *
entry_key (const PoEntry *e)
{
  return g_strconcat (e->msgctxt ? e->msgctxt : "", "\004", e->msgid, NULL);
}

/* ---- placeholders ---- */

/* The printf directives ("1:u", "2:s", position by order unless numbered) and {name}
 * placeholders of @s, sorted: equal lists mean the translation fits the code. */
static char *
placeholders (const char *s)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  guint next = 1;

  for (const char *p = s; *p != '\0'; p++)
    {
      if (*p == '%')
        {
          const char *q = p + 1;
          guint position = 0;
          g_autoptr(GString) length = g_string_new (NULL);

          if (*q == '%')
            {
              p = q;
              continue;
            }
          if (g_ascii_isdigit (*q))
            {
              const char *r = q;
              guint n = 0;

              while (g_ascii_isdigit (*r))
                n = n * 10 + (guint) (*r++ - '0');
              if (*r == '$')
                {
                  position = n;
                  q = r + 1;
                }
            }
          while (*q != '\0' && strchr ("-+ #0'I", *q) != NULL)
            q++;
          while (g_ascii_isdigit (*q) || *q == '*')
            q++;
          if (*q == '.')
            {
              q++;
              while (g_ascii_isdigit (*q) || *q == '*')
                q++;
            }
          while (*q != '\0' && strchr ("hlLqjzt", *q) != NULL)
            g_string_append_c (length, *q++);
          if (*q == '\0' || strchr ("diouxXeEfFgGaAcspnm", *q) == NULL)
            {
              g_ptr_array_add (found, g_strdup_printf ("?:%%%.*s", (int) (q - p), p + 1));
              continue;
            }
          if (position == 0)
            position = next++;
          g_ptr_array_add (found, g_strdup_printf ("%u:%s%c", position, length->str, *q));
          p = q;
        }
      else if (*p == '{')
        {
          const char *q = p + 1;

          while (g_ascii_isalnum (*q) || *q == '_' || *q == '-')
            q++;
          if (*q == '}' && q > p + 1)
            {
              g_ptr_array_add (found, g_strndup (p, (gsize) (q - p + 1)));
              p = q;
            }
        }
    }
  g_ptr_array_sort (found, compare_strings);
  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "", (char *) g_ptr_array_index (found, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- plural expressions (the gettext grammar, evaluated for a given n) ---- */

typedef struct
{
  const char *p;
  gulong      n;
  gboolean    ok;
} PluralParser;

static gulong plural_cond (PluralParser *pp);

static void
plural_skip (PluralParser *pp)
{
  while (*pp->p == ' ' || *pp->p == '\t' || *pp->p == '\n')
    pp->p++;
}

static gboolean
plural_accept (PluralParser *pp,
               const char   *token)
{
  plural_skip (pp);
  if (!g_str_has_prefix (pp->p, token))
    return FALSE;
  /* "<" must not swallow the first half of "<=", "!" not that of "!=". */
  if (strlen (token) == 1 && strchr ("<>!=", token[0]) != NULL && pp->p[1] == '=')
    return FALSE;
  pp->p += strlen (token);
  return TRUE;
}

static gulong
plural_primary (PluralParser *pp)
{
  plural_skip (pp);
  if (plural_accept (pp, "!"))
    return !plural_primary (pp);
  if (plural_accept (pp, "("))
    {
      gulong v = plural_cond (pp);

      if (!plural_accept (pp, ")"))
        pp->ok = FALSE;
      return v;
    }
  if (*pp->p == 'n')
    {
      pp->p++;
      return pp->n;
    }
  if (g_ascii_isdigit (*pp->p))
    {
      char *end = NULL;
      gulong v = (gulong) g_ascii_strtoull (pp->p, &end, 10);

      pp->p = end;
      return v;
    }
  pp->ok = FALSE;
  return 0;
}

static gulong
plural_mul (PluralParser *pp)
{
  gulong v = plural_primary (pp);

  for (;;)
    {
      if (plural_accept (pp, "*"))
        v *= plural_primary (pp);
      else if (plural_accept (pp, "/") || plural_accept (pp, "%"))
        {
          char op = pp->p[-1];
          gulong r = plural_primary (pp);

          if (r == 0)
            {
              pp->ok = FALSE;
              return 0;
            }
          v = op == '/' ? v / r : v % r;
        }
      else
        return v;
    }
}

static gulong
plural_add (PluralParser *pp)
{
  gulong v = plural_mul (pp);

  for (;;)
    {
      if (plural_accept (pp, "+"))
        v += plural_mul (pp);
      else if (plural_accept (pp, "-"))
        v -= plural_mul (pp);
      else
        return v;
    }
}

static gulong
plural_rel (PluralParser *pp)
{
  gulong v = plural_add (pp);

  for (;;)
    {
      if (plural_accept (pp, "<="))
        v = v <= plural_add (pp);
      else if (plural_accept (pp, ">="))
        v = v >= plural_add (pp);
      else if (plural_accept (pp, "<"))
        v = v < plural_add (pp);
      else if (plural_accept (pp, ">"))
        v = v > plural_add (pp);
      else
        return v;
    }
}

static gulong
plural_eq (PluralParser *pp)
{
  gulong v = plural_rel (pp);

  for (;;)
    {
      if (plural_accept (pp, "=="))
        v = v == plural_rel (pp);
      else if (plural_accept (pp, "!="))
        v = v != plural_rel (pp);
      else
        return v;
    }
}

static gulong
plural_and (PluralParser *pp)
{
  gulong v = plural_eq (pp);

  while (plural_accept (pp, "&&"))
    {
      gulong r = plural_eq (pp);

      v = v && r;
    }
  return v;
}

static gulong
plural_or (PluralParser *pp)
{
  gulong v = plural_and (pp);

  while (plural_accept (pp, "||"))
    {
      gulong r = plural_and (pp);

      v = v || r;
    }
  return v;
}

static gulong
plural_cond (PluralParser *pp)
{
  gulong v = plural_or (pp);

  if (plural_accept (pp, "?"))
    {
      gulong a = plural_cond (pp);
      gulong b;

      if (!plural_accept (pp, ":"))
        pp->ok = FALSE;
      b = plural_cond (pp);
      return v ? a : b;
    }
  return v;
}

/* Evaluates the C expression @expr for @n; FALSE if it does not parse. */
static gboolean
plural_eval (const char *expr,
             gulong      n,
             gulong     *result)
{
  PluralParser pp = { expr, n, TRUE };

  *result = plural_cond (&pp);
  plural_skip (&pp);
  if (*pp.p == ';')
    pp.p++;
  plural_skip (&pp);
  return pp.ok && *pp.p == '\0';
}

/* "nplurals=N; plural=EXPR;" → N and EXPR; FALSE if malformed. */
static gboolean
parse_plural_forms (const char  *value,
                    guint       *nplurals,
                    char       **expr)
{
  const char *np = value ? strstr (value, "nplurals=") : NULL;
  const char *pl = value ? strstr (value, "plural=") : NULL;
  char *end = NULL;

  if (np == NULL || pl == NULL)
    return FALSE;
  *nplurals = (guint) g_ascii_strtoull (np + 9, &end, 10);
  if (end == np + 9 || *nplurals == 0 || *nplurals > 6)
    return FALSE;
  *expr = g_strdup (pl + 7);
  return TRUE;
}

/* The gettext manual's rules ("Plural forms") for the shipped languages. A language not
 * listed is checked against msginit's built-in table. */
static const struct
{
  const char *lang;
  const char *forms;
} plural_rules[] = {
  { "ar", "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;" },
  { "bg", "nplurals=2; plural=n != 1;" },
  { "es", "nplurals=2; plural=n != 1;" },
  { "pl", "nplurals=3; plural=n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;" },
  { "ro", "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;" },
  { "ru", "nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;" },
  { "sv", "nplurals=2; plural=n != 1;" },
  { "th", "nplurals=1; plural=0;" },
  { "uk", "nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;" },
  { "vi", "nplurals=1; plural=0;" },
  { "zh_CN", "nplurals=1; plural=0;" },
};

/* ---- running the gettext tools ---- */

/* Tool output as one line. */
static char *
one_line (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text ? text : ""));

  return g_strdelimit (g_strdup (copy), "\n", ';');
}

static gboolean
run_tool (const char *const *argv,
          char              **out,
          char              **err)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, &status, &error))
    g_error ("%s: %s (gettext tools are needed by the build too)", argv[0], error->message);
  return g_spawn_check_wait_status (status, NULL);
}

static char *
msginit_plural_forms (const char *lang,
                      const char *pot,
                      const char *tmpdir)
{
  g_autofree char *out_path = g_build_filename (tmpdir, "msginit.po", NULL);
  g_autofree char *locale = g_strconcat ("--locale=", lang, NULL);
  g_autofree char *input = g_strconcat ("--input=", pot, NULL);
  g_autofree char *output = g_strconcat ("--output-file=", out_path, NULL);
  const char *argv[] = { "msginit", "--no-translator", locale, input, output, NULL };
  g_autofree char *o = NULL, *e = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  char *forms;

  if (!run_tool (argv, &o, &e))
    return NULL;
  entries = parse_po (out_path, NULL);
  g_unlink (out_path);
  if (entries == NULL)
    return NULL;
  forms = header_field (find_header (entries), "Plural-Forms");
  if (forms != NULL && strstr (forms, "INTEGER") != NULL)
    g_clear_pointer (&forms, g_free);
  return forms;
}

/* Runs xgettext on @potfiles (paths relative to @root) with the keywords of meson's glib
 * preset; returns the path of the template written into @tmpdir. */
static char *
extract_template (const char *root,
                  const char *potfiles,
                  const char *tmpdir)
{
  char *pot = g_build_filename (tmpdir, "template.pot", NULL);
  g_autofree char *files_from = g_strconcat ("--files-from=", potfiles, NULL);
  g_autofree char *output = g_strconcat ("--output=", pot, NULL);
  const char *argv[] = {
    "xgettext", "--package-name=fristad", "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--directory", root, files_from, output, NULL,
  };
  g_autofree char *out = NULL, *err = NULL;

  if (!run_tool (argv, &out, &err))
    g_error ("xgettext failed: %s", err);
  return pot;
}

/* ---- the checks; each problem is one line starting with the file or language ---- */

static const char *const hidden_words[] = {
  "traffick", "prostitut", "människohandel", "trafik", "trafic", "tráfico", "trata de personas",
  "ค้ามนุษย์", "ค้าประเวณี", "โสเภณี", "трафик", "проститу", "торговл", "торгівл", "prostytu",
  "handel ludźmi", "buôn bán người", "mại dâm", "贩卖", "拐卖", "卖淫", "娼", "الاتجار", "دعارة",
  "victim", "เหยื่อ", "жертв", "ofiar", "víctima", "nạn nhân", "受害", "ضحي", "ضحايا",
  NULL,
};

static const char *
find_hidden_word (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);

  for (guint i = 0; hidden_words[i] != NULL; i++)
    {
      g_autofree char *word = g_utf8_casefold (hidden_words[i], -1);

      if (strstr (folded, word) != NULL)
        return hidden_words[i];
    }
  return NULL;
}

static GPtrArray *
read_list (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *list;

  if (path == NULL || !g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  list = g_ptr_array_new_with_free_func (g_free);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;

      g_strstrip (lines[i]);
      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      words = g_strsplit_set (lines[i], " \t", -1);
      for (guint j = 0; words[j] != NULL; j++)
        if (words[j][0] != '\0')
          g_ptr_array_add (list, g_strdup (words[j]));
    }
  return list;
}

static gboolean
list_contains (GPtrArray  *list,
               const char *item)
{
  return list != NULL && g_ptr_array_find_with_equal_func (list, item, g_str_equal, NULL);
}

static void
check_plural_rule (const char    *lang,
                   const PoEntry *header,
                   const char    *pot,
                   const char    *tmpdir,
                   GPtrArray     *problems)
{
  g_autofree char *forms = header_field (header, "Plural-Forms");
  g_autofree char *expr = NULL, *ref_expr = NULL, *ref_forms = NULL;
  guint nplurals = 0, ref_nplurals = 0;
  gboolean seen[6] = { FALSE };

  if (!parse_plural_forms (forms, &nplurals, &expr))
    {
      g_ptr_array_add (problems, g_strdup_printf ("%s: Plural-Forms is missing or malformed", lang));
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (plural_rules); i++)
    if (g_str_equal (plural_rules[i].lang, lang))
      ref_forms = g_strdup (plural_rules[i].forms);
  if (ref_forms == NULL)
    ref_forms = msginit_plural_forms (lang, pot, tmpdir);
  if (ref_forms == NULL)
    g_ptr_array_add (problems, g_strdup_printf ("%s: no known plural rule to compare with; add the gettext "
                                                "manual's rule to plural_rules in tests/unit/test-po.c", lang));
  else
    g_assert_true (parse_plural_forms (ref_forms, &ref_nplurals, &ref_expr));

  for (gulong n = 0; n <= 1000; n++)
    {
      gulong form = 0, ref_form = 0;

      if (!plural_eval (expr, n, &form))
        {
          g_ptr_array_add (problems, g_strdup_printf ("%s: the Plural-Forms expression does not parse", lang));
          return;
        }
      if (form >= nplurals)
        {
          g_ptr_array_add (problems, g_strdup_printf ("%s: Plural-Forms gives form %lu for n=%lu but nplurals=%u",
                                                      lang, form, n, nplurals));
          return;
        }
      seen[form] = TRUE;
      if (ref_expr != NULL && (!plural_eval (ref_expr, n, &ref_form) || ref_form != form || ref_nplurals != nplurals))
        {
          g_ptr_array_add (problems, g_strdup_printf ("%s: Plural-Forms differs from the language's rule "
                                                      "\"%s\" (first at n=%lu)", lang, ref_forms, n));
          return;
        }
    }
  for (guint i = 0; i < nplurals; i++)
    if (!seen[i])
      g_ptr_array_add (problems, g_strdup_printf ("%s: plural form %u is never used", lang, i));
}

static void
check_one_po (const char *po_dir,
              const char *lang,
              GPtrArray  *template,
              const char *pot,
              const char *tmpdir,
              GPtrArray  *problems)
{
  g_autofree char *file = g_strconcat (lang, ".po", NULL);
  g_autofree char *path = g_build_filename (po_dir, file, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *language = NULL, *review = NULL, *out = NULL, *err = NULL;
  const PoEntry *header;
  const char *msgfmt[] = { "msgfmt", "--check", "--statistics", "--output-file=/dev/null", path, NULL };
  guint nplurals = 0;
  g_autofree char *expr = NULL, *forms = NULL;

  if (!run_tool (msgfmt, &out, &err))
    {
      g_autofree char *line = one_line (err);

      g_ptr_array_add (problems, g_strdup_printf ("%s: msgfmt --check failed: %s", lang, line));
    }
  else if (strstr (err, "untranslated") != NULL || strstr (err, "fuzzy") != NULL)
    {
      g_autofree char *line = one_line (err);

      g_ptr_array_add (problems, g_strdup_printf ("%s: msgfmt --statistics: %s", lang, line));
    }

  entries = parse_po (path, &error);
  if (entries == NULL)
    {
      g_ptr_array_add (problems, g_strdup_printf ("%s: %s", lang, error->message));
      return;
    }
  header = find_header (entries);
  if (header == NULL)
    {
      g_ptr_array_add (problems, g_strdup_printf ("%s: no header entry", lang));
      return;
    }
  language = header_field (header, "Language");
  if (g_strcmp0 (language, lang) != 0)
    g_ptr_array_add (problems, g_strdup_printf ("%s: the header says Language: %s", lang, language ? language : "(none)"));
  if (header->fuzzy)
    g_ptr_array_add (problems, g_strdup_printf ("%s: the header is marked fuzzy", lang));
  review = header_field (header, "X-Review-Status");
  if (review == NULL || !(g_str_has_prefix (review, "machine-drafted") || g_str_has_prefix (review, "reviewed")))
    g_ptr_array_add (problems, g_strdup_printf ("%s: X-Review-Status must start with machine-drafted or reviewed", lang));
  if (header->comments == NULL || strstr (header->comments, "# Review status: ") == NULL)
    g_ptr_array_add (problems, g_strdup_printf ("%s: no \"# Review status:\" comment above the header", lang));
  check_plural_rule (lang, header, pot, tmpdir, problems);
  forms = header_field (header, "Plural-Forms");
  if (!parse_plural_forms (forms, &nplurals, &expr))
    nplurals = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      const PoEntry *e = g_ptr_array_index (entries, i);
      g_autofree char *want = NULL, *want_plural = NULL;

      if (e->obsolete || e == header || e->msgid == NULL)
        continue;
      g_hash_table_insert (by_key, entry_key (e), (gpointer) e);
      if (e->fuzzy)
        g_ptr_array_add (problems, g_strdup_printf ("%s: fuzzy: \"%s\"", lang, e->msgid));
      if (e->msgid_plural != NULL && nplurals != 0 && e->msgstr->len != nplurals)
        g_ptr_array_add (problems, g_strdup_printf ("%s: %u plural forms instead of %u: \"%s\"",
                                                    lang, e->msgstr->len, nplurals, e->msgid));
      want = placeholders (e->msgid);
      want_plural = placeholders (e->msgid_plural ? e->msgid_plural : e->msgid);
      for (guint j = 0; j < e->msgstr->len; j++)
        {
          const char *str = g_ptr_array_index (e->msgstr, j);
          g_autofree char *got = NULL;
          const char *word;

          if (str == NULL || *str == '\0')
            {
              g_ptr_array_add (problems, g_strdup_printf ("%s: untranslated: \"%s\"", lang, e->msgid));
              continue;
            }
          got = placeholders (str);
          if (!g_str_equal (got, want_plural) && !g_str_equal (got, want))
            g_ptr_array_add (problems, g_strdup_printf ("%s: placeholders differ (%s instead of %s): \"%s\"",
                                                        lang, *got ? got : "none", *want_plural ? want_plural : "none",
                                                        e->msgid));
          if ((word = find_hidden_word (str)) != NULL)
            g_ptr_array_add (problems, g_strdup_printf ("%s: \"%s\" says \"%s\"; the interface stays discreet",
                                                        lang, str, word));
        }
    }

  for (guint i = 0; i < template->len; i++)
    {
      const PoEntry *t = g_ptr_array_index (template, i);
      g_autofree char *key = NULL;

      if (t->msgid == NULL || *t->msgid == '\0')
        continue;
      key = entry_key (t);
      if (!g_hash_table_remove (by_key, key))
        g_ptr_array_add (problems, g_strdup_printf ("%s: missing (run ninja fristad-update-po): \"%s\"", lang, t->msgid));
    }
  if (g_hash_table_size (by_key) > 0)
    g_ptr_array_add (problems, g_strdup_printf ("%s: %u messages are no longer in the sources (run ninja fristad-update-po)",
                                                lang, g_hash_table_size (by_key)));
}

/**
 * check_translations:
 * @po_dir: a folder with LINGUAS, POTFILES.in and LANG.po files
 * @root: the folder the POTFILES.in paths are relative to
 *
 * Returns: (transfer full): the problems found, one line each; empty if none.
 */
static GPtrArray *
check_translations (const char *po_dir,
                    const char *root)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *linguas_path = g_build_filename (po_dir, "LINGUAS", NULL);
  g_autofree char *potfiles = g_build_filename (po_dir, "POTFILES.in", NULL);
  g_autoptr(GPtrArray) linguas = read_list (linguas_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("fristad-po-XXXXXX", &error);
  g_autofree char *pot = NULL;
  g_autoptr(GPtrArray) template = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_no_error (error);
  if (linguas == NULL || linguas->len == 0)
    {
      g_ptr_array_add (problems, g_strdup_printf ("%s: missing or empty", linguas_path));
      fr_test_remove_tree (tmpdir);
      return problems;
    }
  pot = extract_template (root, potfiles, tmpdir);
  template = parse_po (pot, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (template->len, >, 1);

  for (guint i = 0; i < linguas->len; i++)
    {
      const char *lang = g_ptr_array_index (linguas, i);
      g_autofree char *file = g_strconcat (lang, ".po", NULL);
      g_autofree char *path = g_build_filename (po_dir, file, NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (problems, g_strdup_printf ("%s: listed in LINGUAS but %s is missing", lang, file));
      else
        check_one_po (po_dir, lang, template, pot, tmpdir, problems);
    }

  dir = g_dir_open (po_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".po"))
      {
        g_autofree char *lang = g_strndup (name, strlen (name) - 3);

        if (!list_contains (linguas, lang))
          g_ptr_array_add (problems, g_strdup_printf ("%s: %s is not listed in LINGUAS", lang, name));
      }

  fr_test_remove_tree (tmpdir);
  return problems;
}

/* C/header text without its comments (so "N_()" in a comment is no marker). */
static char *
strip_c_comments (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (p[0] == '/' && p[1] == '*')
        {
          const char *end = strstr (p + 2, "*/");

          p = end ? end + 2 : p + strlen (p);
          g_string_append_c (out, ' ');
        }
      else if (p[0] == '/' && p[1] == '/')
        {
          while (*p != '\0' && *p != '\n')
            p++;
        }
      else if (*p == '"' || *p == '\'')
        {
          char quote = *p;

          g_string_append_c (out, *p++);
          while (*p != '\0' && *p != quote && *p != '\n')
            {
              if (*p == '\\' && p[1] != '\0')
                g_string_append_c (out, *p++);
              g_string_append_c (out, *p++);
            }
          if (*p == quote)
            g_string_append_c (out, *p++);
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* Whether a source file holds a string for xgettext. */
static gboolean
has_translatable (const char *path)
{
  static GRegex *c_marker, *ui_marker;
  g_autofree char *text = NULL;

  if (c_marker == NULL)
    {
      c_marker = g_regex_new ("(^|[^A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext|g_dpgettext2|g_dcgettext)\\s*\\(",
                              G_REGEX_OPTIMIZE, 0, NULL);
      ui_marker = g_regex_new ("translatable\\s*=\\s*[\"'](yes|true|1)[\"']", G_REGEX_OPTIMIZE, 0, NULL);
    }
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  if (g_str_has_suffix (path, ".ui"))
    return g_regex_match (ui_marker, text, 0, NULL);
  {
    g_autofree char *code = strip_c_comments (text);

    return g_regex_match (c_marker, code, 0, NULL);
  }
}

/* Source files under @root/@rel, relative to @root; skips hidden folders, build trees
 * (they hold meson-info), the top-level build*\/ and _build*\/ that .gitignore leaves out
 * (the mutation harness keeps a copy of the source in build-mutation/src) and tests/. */
static void
collect_sources (const char *root,
                 const char *rel,
                 GPtrArray  *found)
{
  g_autofree char *path = rel ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autofree char *meson_info = g_build_filename (path, "meson-info", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (meson_info, G_FILE_TEST_IS_DIR))
    return;
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_rel = rel ? g_build_filename (rel, name, NULL) : g_strdup (name);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);

      if (name[0] == '.'
          || (rel == NULL && (g_str_equal (name, "tests") || g_str_has_prefix (name, "build")
                              || g_str_has_prefix (name, "_build"))))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        collect_sources (root, child_rel, found);
      else if ((g_str_has_suffix (name, ".c") || g_str_has_suffix (name, ".h") || g_str_has_suffix (name, ".ui"))
               && has_translatable (child))
        g_ptr_array_add (found, g_steal_pointer (&child_rel));
    }
}

/**
 * check_potfiles:
 * @root: the source tree
 * @potfiles: its POTFILES.in; @skip: its POTFILES.skip (may not exist)
 *
 * Returns: (transfer full): problems: unsorted or missing entries, and source files with
 *   translatable strings that neither file lists.
 */
static GPtrArray *
check_potfiles (const char *root,
                const char *potfiles,
                const char *skip)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) listed = read_list (potfiles);
  g_autoptr(GPtrArray) skipped = read_list (skip);
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_free);

  if (listed == NULL || listed->len == 0)
    {
      g_ptr_array_add (problems, g_strdup_printf ("%s: missing or empty", potfiles));
      return problems;
    }
  for (guint i = 0; i < listed->len; i++)
    {
      const char *file = g_ptr_array_index (listed, i);
      g_autofree char *path = g_build_filename (root, file, NULL);

      if (i > 0 && strcmp (g_ptr_array_index (listed, i - 1), file) >= 0)
        g_ptr_array_add (problems, g_strdup_printf ("POTFILES.in: not sorted at %s", file));
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (problems, g_strdup_printf ("POTFILES.in: %s does not exist", file));
    }
  collect_sources (root, NULL, sources);
  g_ptr_array_sort (sources, compare_strings);
  for (guint i = 0; i < sources->len; i++)
    {
      const char *file = g_ptr_array_index (sources, i);

      if (!list_contains (listed, file) && !list_contains (skipped, file))
        g_ptr_array_add (problems, g_strdup_printf ("POTFILES.in: %s has translatable strings but is not listed", file));
    }
  return problems;
}

static gboolean
has_problem (GPtrArray  *problems,
             const char *prefix,
             const char *needle)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const char *line = g_ptr_array_index (problems, i);

      if (g_str_has_prefix (line, prefix) && (needle == NULL || strstr (line, needle) != NULL))
        return TRUE;
    }
  return FALSE;
}

static void
assert_no_problems (GPtrArray *problems)
{
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (char *) g_ptr_array_index (problems, i));
  if (problems->len > 0)
    g_error ("%u problems, the first: %s", problems->len, (char *) g_ptr_array_index (problems, 0));
}

/* ---- tests ---- */

static void
test_placeholders (void)
{
  g_autofree char *a = placeholders ("%u of %u");
  g_autofree char *b = placeholders ("%2$u中的第%1$u");
  g_autofree char *c = placeholders ("Checked %s · version %u, 100%% {site}");
  g_autofree char *d = placeholders ("{site}: %lu and %d");

  g_assert_cmpstr (a, ==, "1:u 2:u");
  g_assert_cmpstr (b, ==, "1:u 2:u");
  g_assert_cmpstr (c, ==, "1:s 2:u {site}");
  g_assert_cmpstr (d, ==, "1:lu 2:d {site}");
}

static void
test_plural_eval (void)
{
  const char *ru = "n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;";
  const gulong ns[] = { 0, 1, 2, 5, 11, 21, 22, 25, 111, 112 };
  const gulong want[] = { 2, 0, 1, 2, 2, 0, 1, 2, 2, 2 };
  gulong v;

  for (guint i = 0; i < G_N_ELEMENTS (ns); i++)
    {
      g_assert_true (plural_eval (ru, ns[i], &v));
      g_assert_cmpuint (v, ==, want[i]);
    }
  g_assert_true (plural_eval ("(n != 1)", 1, &v));
  g_assert_cmpuint (v, ==, 0);
  g_assert_true (plural_eval ("!(n <= 1)", 2, &v));
  g_assert_cmpuint (v, ==, 1);
  g_assert_false (plural_eval ("n == ", 1, &v));
  g_assert_false (plural_eval ("n % 0", 1, &v));
}

/* The shipped translations: every language complete and correct. */
static void
test_shipped (void)
{
  g_autoptr(GPtrArray) problems = check_translations (PO_DIR, SOURCE_ROOT);
  g_autofree char *linguas_path = g_build_filename (PO_DIR, "LINGUAS", NULL);
  g_autoptr(GPtrArray) linguas = read_list (linguas_path);
  const char *const shipped[] = { "sv", "th", "ro", "bg", "uk", "ru", "pl", "es", "vi", "zh_CN", "ar", NULL };

  assert_no_problems (problems);
  for (guint i = 0; shipped[i] != NULL; i++)
    g_assert_true (list_contains (linguas, shipped[i]));
}

/* POTFILES.in of the project: sorted, existing, complete. */
static void
test_potfiles (void)
{
  g_autofree char *potfiles = g_build_filename (PO_DIR, "POTFILES.in", NULL);
  g_autofree char *skip = g_build_filename (PO_DIR, "POTFILES.skip", NULL);
  g_autoptr(GPtrArray) problems = check_potfiles (SOURCE_ROOT, potfiles, skip);
  g_autoptr(GPtrArray) listed = read_list (potfiles);
  g_autofree char *window_ui = g_build_filename (SOURCE_ROOT, "kiosk", "fr-kiosk-window.ui", NULL);
  g_autofree char *i18n_c = g_build_filename (SOURCE_ROOT, "kiosk", "fr-kiosk-i18n.c", NULL);

  assert_no_problems (problems);
  /* The scan sees .ui files, and "N_()" in a comment is not a marker. */
  g_assert_true (has_translatable (window_ui));
  g_assert_true (list_contains (listed, "kiosk/fr-kiosk-window.ui"));
  g_assert_false (has_translatable (i18n_c));
}

/* Broken translations must be caught, each for its own reason. */
static void
test_fixture_incomplete (void)
{
  g_autofree char *po_dir = g_build_filename (PO_FIXTURE_DIR, "incomplete", NULL);
  g_autoptr(GPtrArray) problems = check_translations (po_dir, PO_FIXTURE_DIR);

  for (guint i = 0; i < problems->len; i++)
    g_test_message ("fixture: %s", (char *) g_ptr_array_index (problems, i));

  /* sv.po is complete and right: the checks do not cry wolf. */
  g_assert_false (has_problem (problems, "sv:", NULL));
  /* de is listed but has no po file. */
  g_assert_true (has_problem (problems, "de: listed in LINGUAS but de.po is missing", NULL));
  /* pl.po: one empty, one fuzzy, one missing, one stale, a placeholder lost, plural
   * forms wrong, no review status. */
  g_assert_true (has_problem (problems, "pl: untranslated: ", "Good morning"));
  g_assert_true (has_problem (problems, "pl: fuzzy: ", "Good evening"));
  g_assert_true (has_problem (problems, "pl: missing (run ninja fristad-update-po): ", "See you"));
  g_assert_true (has_problem (problems, "pl: 1 messages are no longer in the sources", NULL));
  g_assert_true (has_problem (problems, "pl: placeholders differ", "%s is here"));
  g_assert_true (has_problem (problems, "pl: Plural-Forms differs", NULL));
  g_assert_true (has_problem (problems, "pl: msgfmt", NULL));
  g_assert_true (has_problem (problems, "pl: X-Review-Status", NULL));
  g_assert_true (has_problem (problems, "pl: no \"# Review status:\" comment", NULL));
  /* ru.po: complete, but says what the kiosk is about and has two forms, not three. */
  g_assert_true (has_problem (problems, "ru: ", "the interface stays discreet"));
  g_assert_true (has_problem (problems, "ru: 2 plural forms instead of 3", NULL));
  /* xx.po is there but not in LINGUAS. */
  g_assert_true (has_problem (problems, "xx: xx.po is not listed in LINGUAS", NULL));
}

static void
test_fixture_potfiles (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("fristad-potfiles-XXXXXX", &error);
  g_autofree char *potfiles = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) complete = NULL;

  g_assert_no_error (error);
  potfiles = g_build_filename (tmpdir, "POTFILES.in", NULL);

  /* Unsorted, a file that does not exist, and source/forgotten.ui left out. */
  g_assert_true (g_file_set_contents (potfiles, "# comment\nsource/sample.c\nsource/gone.c\n", -1, NULL));
  problems = check_potfiles (PO_FIXTURE_DIR, potfiles, NULL);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("fixture: %s", (char *) g_ptr_array_index (problems, i));
  g_assert_true (has_problem (problems, "POTFILES.in: not sorted at source/gone.c", NULL));
  g_assert_true (has_problem (problems, "POTFILES.in: source/gone.c does not exist", NULL));
  g_assert_true (has_problem (problems, "POTFILES.in: source/forgotten.ui has translatable strings", NULL));
  /* plain.c mentions _() only in a comment. */
  g_assert_false (has_problem (problems, "POTFILES.in: source/plain.c", NULL));
  g_assert_cmpuint (problems->len, ==, 3);

  /* Listing the forgotten file makes it pass. */
  g_assert_true (g_file_set_contents (potfiles, "source/forgotten.ui\nsource/sample.c\n", -1, NULL));
  complete = check_potfiles (PO_FIXTURE_DIR, potfiles, NULL);
  assert_no_problems (complete);

  fr_test_remove_tree (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/po/placeholders", test_placeholders);
  g_test_add_func ("/po/plural-eval", test_plural_eval);
  g_test_add_func ("/po/shipped", test_shipped);
  g_test_add_func ("/po/potfiles", test_potfiles);
  g_test_add_func ("/po/fixture/incomplete", test_fixture_incomplete);
  g_test_add_func ("/po/fixture/potfiles", test_fixture_potfiles);
  return g_test_run ();
}
