/* test-glyphs.c — every content string renders with the kiosk's fonts, no missing glyphs
 *
 * "The kiosk's fonts" are the families its style.css names (read from the GResource the
 * kiosk loads), and only those: the layouts use a font map whose fontconfig knows the
 * files of those families and nothing else, so Pango cannot fall back to some other font
 * that happens to be installed where the test runs. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <string.h>

#include "kiosk-fixture.h"

#define STYLE_CSS "/se/fristad/kiosk/style.css"

/* The font-family lists of style.css. */
static struct
{
  GHashTable *by_lang;    /* language code (selector ".lang-CODE"), or "" for window.fr-kiosk,
                           * -> the list as written, e.g. "Noto Sans Thai, Noto Sans, sans-serif" */
  GPtrArray  *families;   /* every family named anywhere, once, generic names left out */
} fonts;

/* A font map that has only the files of fonts.families. */
static PangoFontMap *kiosk_font_map;

static gboolean
is_generic (const char *family)
{
  static const char *const generic[] = { "serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", NULL };

  return g_strv_contains (generic, family);
}

/* The selectors of the rule whose block @decl is in. */
static char *
rule_selectors (const char *css,
                const char *decl)
{
  const char *open = decl, *sel;

  while (open > css && *open != '{')
    open--;
  g_assert_true (*open == '{');
  for (sel = open; sel > css && sel[-1] != '}'; sel--)
    ;
  return g_strndup (sel, open - sel);
}

static void
read_style_css (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data (STYLE_CSS, 0, &error);
  g_autoptr(GString) css = NULL;
  char *c;

  g_assert_no_error (error);
  css = g_string_new_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  while ((c = strstr (css->str, "/*")) != NULL)
    {
      char *end = strstr (c + 2, "*/");

      g_assert_nonnull (end);
      g_string_erase (css, c - css->str, end + 2 - c);
    }

  fonts.by_lang = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fonts.families = g_ptr_array_new_with_free_func (g_free);
  for (const char *p = strstr (css->str, "font-family:"); p != NULL; p = strstr (p + 1, "font-family:"))
    {
      const char *start = p + strlen ("font-family:");
      const char *end = strpbrk (start, ";}");
      g_autofree char *value = NULL, *selectors = rule_selectors (css->str, p);
      g_auto(GStrv) names = NULL, sels = NULL;
      g_autoptr(GString) list = g_string_new (NULL);

      g_assert_nonnull (end);
      value = g_strndup (start, end - start);
      names = g_strsplit (value, ",", -1);
      for (guint i = 0; names[i]; i++)
        {
          char *name = g_strstrip (names[i]);
          gsize len = strlen (name);

          if (len >= 2 && (name[0] == '"' || name[0] == '\'') && name[len - 1] == name[0])
            {
              name[len - 1] = '\0';
              name++;
            }
          g_assert_cmpstr (name, !=, "");
          g_string_append_printf (list, "%s%s", list->len ? ", " : "", name);
          if (!is_generic (name)
              && !g_ptr_array_find_with_equal_func (fonts.families, name, g_str_equal, NULL))
            g_ptr_array_add (fonts.families, g_strdup (name));
        }

      sels = g_strsplit (selectors, ",", -1);
      for (guint i = 0; sels[i]; i++)
        {
          const char *sel = g_strstrip (sels[i]);
          const char *lang = strstr (sel, ".lang-");

          if (lang != NULL)
            {
              lang += strlen (".lang-");
              g_hash_table_replace (fonts.by_lang, g_strndup (lang, strcspn (lang, " .:>[")),
                                    g_strdup (list->str));
            }
          else if (g_str_equal (sel, "window.fr-kiosk"))
            g_hash_table_replace (fonts.by_lang, g_strdup (""), g_strdup (list->str));
        }
    }
  g_assert_true (g_hash_table_contains (fonts.by_lang, ""));
  g_assert_cmpuint (fonts.families->len, >, 0);
}

/* The families style.css gives @lang, in its order. */
static const char *
families_for (const char *lang)
{
  const char *families = g_hash_table_lookup (fonts.by_lang, lang);

  return families != NULL ? families : g_hash_table_lookup (fonts.by_lang, "");
}

/* The installed files of @family, by the system's fontconfig. */
static GPtrArray *
family_files (FcConfig   *system,
              const char *family)
{
  FcPattern *pattern = FcPatternCreate ();
  FcObjectSet *objects = FcObjectSetBuild (FC_FILE, NULL);
  FcFontSet *set;
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  FcPatternAddString (pattern, FC_FAMILY, (const FcChar8 *) family);
  set = FcFontList (system, pattern, objects);
  for (int i = 0; set != NULL && i < set->nfont; i++)
    {
      FcChar8 *file = NULL;

      if (FcPatternGetString (set->fonts[i], FC_FILE, 0, &file) == FcResultMatch
          && !g_ptr_array_find_with_equal_func (files, file, g_str_equal, NULL))
        g_ptr_array_add (files, g_strdup ((const char *) file));
    }
  if (set != NULL)
    FcFontSetDestroy (set);
  FcObjectSetDestroy (objects);
  FcPatternDestroy (pattern);
  return files;
}

static void
make_kiosk_font_map (void)
{
  FcConfig *system = FcInitLoadConfigAndFonts ();
  FcConfig *config = FcConfigCreate ();

  g_assert_nonnull (system);
  for (guint i = 0; i < fonts.families->len; i++)
    {
      g_autoptr(GPtrArray) files = family_files (system, fonts.families->pdata[i]);

      for (guint j = 0; j < files->len; j++)
        g_assert_true (FcConfigAppFontAddFile (config, (const FcChar8 *) files->pdata[j]));
    }
  FcConfigDestroy (system);

  kiosk_font_map = pango_cairo_font_map_new_for_font_type (CAIRO_FONT_TYPE_FT);
  g_assert_nonnull (kiosk_font_map);
  pango_fc_font_map_set_config (PANGO_FC_FONT_MAP (kiosk_font_map), config);
  FcConfigDestroy (config);   /* the font map keeps its own reference */
}

/* How many glyphs of @text @font_map cannot draw with @families, in language @bcp47. */
static int
unknown_glyphs (PangoFontMap *font_map,
                const char   *families,
                const char   *bcp47,
                const char   *text)
{
  PangoContext *context = pango_font_map_create_context (font_map);
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *font = g_strdup_printf ("%s 20px", families);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int unknown;

  pango_context_set_language (context, pango_language_from_string (bcp47));
  layout = pango_layout_new (context);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  unknown = pango_layout_get_unknown_glyphs_count (layout);
  pango_font_description_free (desc);
  g_object_unref (context);
  return unknown;
}

/* Every family style.css names is installed (the font map would silently lack it). */
static void
test_fonts_installed (void)
{
  g_autoptr(GString) absent = g_string_new (NULL);
  FcConfig *system = FcInitLoadConfigAndFonts ();

  for (guint i = 0; i < fonts.families->len; i++)
    {
      g_autoptr(GPtrArray) files = family_files (system, fonts.families->pdata[i]);

      g_test_message ("%s: %u file(s)", (const char *) fonts.families->pdata[i], files->len);
      if (files->len == 0)
        g_string_append_printf (absent, " \"%s\"", (const char *) fonts.families->pdata[i]);
    }
  FcConfigDestroy (system);
  if (absent->len > 0)
    g_error ("style.css names font families that are not installed:%s", absent->str);
}

/* The check can fail for font reasons: Ethiopic is in no family style.css names, so the
 * kiosk's font map draws none of it, whatever else the machine has installed. */
static void
test_font_map_is_restricted (void)
{
  const char *ethiopic = "\xe1\x88\xb0\xe1\x88\x8b\xe1\x88\x9d";   /* "ሰላም", 3 characters */

  g_assert_cmpint (unknown_glyphs (kiosk_font_map, families_for (""), "am", ethiopic), ==, 3);
  g_assert_cmpint (unknown_glyphs (kiosk_font_map, families_for (""), "en", "Hello"), ==, 0);
  if (unknown_glyphs (pango_cairo_font_map_get_default (), families_for (""), "am", ethiopic) == 0)
    g_test_message ("this machine has an Ethiopic font; the kiosk's font map does not use it");
}

static void
test_glyph_coverage (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = fr_kiosk_context_find_content_dir ();
  g_autoptr(FrContent) content = fr_content_load (dir, NULL, &error);
  const char *const *langs;
  guint total = 0, missing = 0;

  g_assert_no_error (error);
  langs = fr_content_get_languages (content);
  for (guint i = 0; langs[i]; i++)
    {
      g_autoptr(GPtrArray) strings = fr_content_list_strings (content, langs[i]);
      g_autofree char *bcp47 = fr_language_record_code (langs[i]);

      g_assert_cmpuint (strings->len, >, 10);
      for (guint j = 0; j < strings->len; j++)
        {
          int unknown = unknown_glyphs (kiosk_font_map, families_for (langs[i]), bcp47,
                                        g_ptr_array_index (strings, j));

          total++;
          if (unknown > 0)
            {
              missing++;
              g_test_message ("%s: %d unknown glyph(s) in string %u", langs[i], unknown, j);
            }
        }
    }
  g_test_message ("%u strings checked", total);
  g_assert_cmpuint (total, >, 100);
  g_assert_cmpuint (missing, ==, 0);
}

/* The msgstr texts of a po file (continuation lines joined, C escapes undone). */
static GPtrArray *
po_translations (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  GString *current = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      const char *line = lines[i];
      const char *quote = strchr (line, '"');

      if (g_str_has_prefix (line, "msgstr"))
        {
          if (current != NULL)
            g_ptr_array_add (out, g_string_free (current, FALSE));
          current = g_string_new (NULL);
        }
      else if (line[0] != '"')
        {
          if (current != NULL)
            g_ptr_array_add (out, g_string_free (current, FALSE));
          current = NULL;
          continue;
        }
      if (current != NULL && quote != NULL)
        {
          g_autofree char *inner = g_strndup (quote + 1, strlen (quote + 1) - 1);
          g_autofree char *text = g_strcompress (inner);

          g_string_append (current, text);
        }
    }
  if (current != NULL)
    g_ptr_array_add (out, g_string_free (current, FALSE));
  return out;
}

/* The interface translations render with the kiosk's fonts too. */
static void
test_glyph_coverage_interface (void)
{
  const char *po_dir = g_getenv ("FRISTAD_PO_DIR");
  g_autofree char *linguas_path = NULL;
  g_autofree char *linguas = NULL;
  g_auto(GStrv) langs = NULL;
  guint total = 0, missing = 0;

  g_assert_nonnull (po_dir);
  linguas_path = g_build_filename (po_dir, "LINGUAS", NULL);
  g_assert_true (g_file_get_contents (linguas_path, &linguas, NULL, NULL));
  langs = g_strsplit (linguas, "\n", -1);   /* one code per line; # starts a comment line */
  for (guint i = 0; langs[i]; i++)
    {
      g_autofree char *name = NULL, *path = NULL, *bcp47 = NULL;
      g_autoptr(GPtrArray) strings = NULL;

      g_strstrip (langs[i]);
      if (langs[i][0] == '\0' || langs[i][0] == '#')
        continue;
      name = g_strdup_printf ("%s.po", langs[i]);
      path = g_build_filename (po_dir, name, NULL);
      strings = po_translations (path);
      bcp47 = fr_language_record_code (langs[i]);
      g_assert_cmpuint (strings->len, >, 20);
      for (guint j = 0; j < strings->len; j++)
        {
          int unknown = unknown_glyphs (kiosk_font_map, families_for (langs[i]), bcp47,
                                        g_ptr_array_index (strings, j));

          total++;
          if (unknown > 0)
            {
              missing++;
              g_test_message ("%s.po: %d unknown glyph(s) in \"%s\"", langs[i], unknown,
                              (const char *) g_ptr_array_index (strings, j));
            }
        }
    }
  g_test_message ("%u interface strings checked", total);
  g_assert_cmpuint (total, >, 500);
  g_assert_cmpuint (missing, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  kiosk_test_init (&argc, &argv);
  read_style_css ();
  make_kiosk_font_map ();
  g_test_add_func ("/kiosk/glyphs/fonts-installed", test_fonts_installed);
  g_test_add_func ("/kiosk/glyphs/font-map-is-restricted", test_font_map_is_restricted);
  g_test_add_func ("/kiosk/glyphs", test_glyph_coverage);
  g_test_add_func ("/kiosk/glyphs/interface", test_glyph_coverage_interface);
  status = g_test_run ();

  g_clear_object (&kiosk_font_map);
  g_clear_pointer (&fonts.by_lang, g_hash_table_unref);
  g_clear_pointer (&fonts.families, g_ptr_array_unref);
  return status;
}
