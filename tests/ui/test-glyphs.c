/* test-glyphs.c — every content string renders with the kiosk's fonts, no missing glyphs */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

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

int
main (int   argc,
      char *argv[])
{
  kiosk_test_init (&argc, &argv);
  g_test_add_func ("/kiosk/glyphs", test_glyph_coverage);
  return g_test_run ();
}
