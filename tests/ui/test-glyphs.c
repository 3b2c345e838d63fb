/* test-glyphs.c — every content string renders with the kiosk's fonts, no missing glyphs */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include "kiosk-fixture.h"

/* The families of style.css, in its order, and the per-language first choices. */
static const char *
families_for (const char *lang)
{
  if (g_str_equal (lang, "zh_CN"))
    return "Noto Sans CJK SC, Noto Sans, sans-serif";
  if (g_str_equal (lang, "ar"))
    return "Noto Sans Arabic, Noto Naskh Arabic, Noto Sans, sans-serif";
  if (g_str_equal (lang, "th"))
    return "Noto Sans Thai, Noto Sans, sans-serif";
  return "Noto Sans, Noto Sans Thai, Noto Sans Arabic, Noto Sans CJK SC, sans-serif";
}

static void
test_glyph_coverage (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = fr_kiosk_context_find_content_dir ();
  g_autoptr(FrContent) content = fr_content_load (dir, NULL, &error);
  GtkWidget *widget;
  const char *const *langs;
  guint total = 0, missing = 0;

  g_assert_no_error (error);
  widget = g_object_ref_sink (gtk_label_new (NULL));
  langs = fr_content_get_languages (content);
  for (guint i = 0; langs[i]; i++)
    {
      g_autoptr(GPtrArray) strings = fr_content_list_strings (content, langs[i]);
      g_autofree char *font = g_strdup_printf ("%s 20px", families_for (langs[i]));
      PangoFontDescription *desc = pango_font_description_from_string (font);
      g_autofree char *bcp47 = fr_language_record_code (langs[i]);

      g_assert_cmpuint (strings->len, >, 10);
      for (guint j = 0; j < strings->len; j++)
        {
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, g_ptr_array_index (strings, j));
          PangoContext *context = pango_layout_get_context (layout);
          int unknown;

          pango_context_set_language (context, pango_language_from_string (bcp47));
          pango_layout_set_font_description (layout, desc);
          pango_layout_context_changed (layout);
          unknown = pango_layout_get_unknown_glyphs_count (layout);
          total++;
          if (unknown > 0)
            {
              missing++;
              g_test_message ("%s: %d unknown glyph(s) in string %u", langs[i], unknown, j);
            }
        }
      pango_font_description_free (desc);
    }
  g_object_unref (widget);
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
  GtkWidget *widget;
  guint total = 0, missing = 0;

  g_assert_nonnull (po_dir);
  linguas_path = g_build_filename (po_dir, "LINGUAS", NULL);
  g_assert_true (g_file_get_contents (linguas_path, &linguas, NULL, NULL));
  langs = g_strsplit (linguas, "\n", -1);   /* one code per line; # starts a comment line */
  widget = g_object_ref_sink (gtk_label_new (NULL));
  for (guint i = 0; langs[i]; i++)
    {
      g_autofree char *name = NULL, *path = NULL, *font = NULL, *bcp47 = NULL;
      g_autoptr(GPtrArray) strings = NULL;
      PangoFontDescription *desc;

      g_strstrip (langs[i]);
      if (langs[i][0] == '\0' || langs[i][0] == '#')
        continue;
      name = g_strdup_printf ("%s.po", langs[i]);
      path = g_build_filename (po_dir, name, NULL);
      strings = po_translations (path);
      font = g_strdup_printf ("%s 20px", families_for (langs[i]));
      desc = pango_font_description_from_string (font);
      bcp47 = fr_language_record_code (langs[i]);
      g_assert_cmpuint (strings->len, >, 20);
      for (guint j = 0; j < strings->len; j++)
        {
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, g_ptr_array_index (strings, j));
          int unknown;

          pango_context_set_language (pango_layout_get_context (layout), pango_language_from_string (bcp47));
          pango_layout_set_font_description (layout, desc);
          pango_layout_context_changed (layout);
          unknown = pango_layout_get_unknown_glyphs_count (layout);
          total++;
          if (unknown > 0)
            {
              missing++;
              g_test_message ("%s.po: %d unknown glyph(s) in \"%s\"", langs[i], unknown,
                              (const char *) g_ptr_array_index (strings, j));
            }
        }
      pango_font_description_free (desc);
    }
  g_object_unref (widget);
  g_test_message ("%u interface strings checked", total);
  g_assert_cmpuint (total, >, 500);
  g_assert_cmpuint (missing, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  kiosk_test_init (&argc, &argv);
  g_test_add_func ("/kiosk/glyphs", test_glyph_coverage);
  g_test_add_func ("/kiosk/glyphs/interface", test_glyph_coverage_interface);
  return g_test_run ();
}
