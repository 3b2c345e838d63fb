/* test-keyboard-layout.c — the on-screen keyboard's layouts: the shipped ones load, a bad
 * file is refused with its name, a site's layout adds or replaces, Vietnamese marks combine
 */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fr-error.h"
#include "fr-keyboard-layout.h"

static void
test_shipped (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrKeyboards) keyboards = fr_keyboards_load (CONTENT_DIR, NULL, &error);
  const char *langs[] = { "sv", "ro", "pl", "es", "vi", "ru", "uk", "bg", "th", "ar", NULL };

  g_assert_no_error (error);
  g_assert_cmpuint (fr_keyboards_get_n_layouts (keyboards), ==, 12);
  for (guint i = 0; langs[i]; i++)
    g_assert_cmpstr (fr_keyboards_for_language (keyboards, langs[i])->id, ==, langs[i]);
  g_assert_cmpstr (fr_keyboards_for_language (keyboards, "en")->id, ==, FR_KEYBOARD_LATIN);
  /* Chinese: pinyin, with its table; no other layout has one. */
  g_assert_cmpstr (fr_keyboards_for_language (keyboards, "zh_CN")->id, ==, "zh");
  g_assert_true (fr_keyboards_for_language (keyboards, "zh_CN")->input_pinyin);
  g_assert_nonnull (fr_keyboards_for_language (keyboards, "zh_CN")->pinyin);
  g_assert_null (fr_keyboards_for_language (keyboards, "sv")->pinyin);
  g_assert_null (fr_keyboards_get_latin (keyboards)->pinyin);
  g_assert_true (fr_keyboards_for_language (keyboards, "ar")->rtl);
  g_assert_true (fr_keyboards_for_language (keyboards, "vi")->combine_marks);
  /* Every page of every layout has rows; the shift page of ro upper-cases ș to Ș. */
  for (guint i = 0; i < fr_keyboards_get_n_layouts (keyboards); i++)
    for (guint p = 0; p < FR_KEYBOARD_N_PAGES; p++)
      g_assert_cmpuint (fr_keyboards_get_layout (keyboards, i)->n_rows[p], >, 0);
  g_assert_cmpstr (fr_keyboards_for_language (keyboards, "ro")->rows[FR_KEYBOARD_PAGE_SHIFT][1][9], ==, "Ș");
}

static char *
site_with (const char *name,
           const char *text)
{
  g_autofree char *dir = g_dir_make_tmp ("fristad-kbd-XXXXXX", NULL);
  g_autofree char *kbd = g_build_filename (dir, "keyboards", NULL);
  g_autofree char *path = g_build_filename (kbd, name, NULL);

  g_assert_cmpint (g_mkdir (kbd, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return g_steal_pointer (&dir);
}

static void
remove_site (const char *dir,
             const char *name)
{
  g_autofree char *kbd = g_build_filename (dir, "keyboards", NULL);
  g_autofree char *path = g_build_filename (kbd, name, NULL);

  g_unlink (path);
  g_rmdir (kbd);
  g_rmdir (dir);
}

#define GOOD_HEAD "[keyboard]\nlabel=äö\nlanguages=fi\ndirection=ltr\n"

static void
test_site (void)
{
  static const struct { const char *name, *text, *needle; } bad[] = {
    { "fi.ini", GOOD_HEAD "[letters]\nrow1=a b\nrow3=c\n", "row2" },
    { "fi.ini", GOOD_HEAD "[letters]\nrow1=a  b\n", "key 2" },
    { "fi.ini", GOOD_HEAD "[letters]\nrow1=a b c d e f g h i j k l m n o\n", "1 to 14 keys" },
    { "fi.ini", GOOD_HEAD "colour=red\n[letters]\nrow1=a\n", "unknown key colour" },
    { "fi.ini", GOOD_HEAD "[numbers]\nrow1=1\n", "unknown group" },
    { "fi.ini", "[keyboard]\nlabel=a\nlanguages=fi\ndirection=up\n[letters]\nrow1=a\n", "direction" },
    { "fi.ini", "[keyboard]\nlabel=a\nlanguages=sv\ndirection=ltr\n[letters]\nrow1=a\n", "both for language sv" },
    { "fi.ini", GOOD_HEAD, "no [letters]" },
    { "Fi.txt", GOOD_HEAD "[letters]\nrow1=a\n", "not a keyboard layout" },
    { "fi.ini", GOOD_HEAD "input=strokes\n[letters]\nrow1=a\n", "input must be keys or pinyin" },
    /* A pinyin layout without its table; a table no layout reads; a table's bad line. */
    { "fi.ini", GOOD_HEAD "input=pinyin\n[letters]\nrow1=a\n", "needs its table, keyboards/fi.pinyin" },
    { "fi.pinyin", "ni 你\n", "no keyboards/fi.ini with input=pinyin" },
    { "latin.pinyin", "ni 你\n", "no keyboards/latin.ini with input=pinyin" },
    { "zh.pinyin", "ni 你\nhao 好\n", "zh.pinyin:2: syllables must be in ascending order" },
    { "Zh.pinyin", "ni 你\n", "not a pinyin table" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *dir = site_with (bad[i].name, bad[i].text);
      g_autoptr(GError) error = NULL;
      g_autoptr(FrKeyboards) keyboards = fr_keyboards_load (CONTENT_DIR, dir, &error);

      g_assert_null (keyboards);
      g_assert_error (error, FR_ERROR, FR_ERROR_CONFIG);
      if (strstr (error->message, bad[i].needle) == NULL)
        g_error ("case %u: %s", i, error->message);
      remove_site (dir, bad[i].name);
    }

  /* A site's layout is added; one named like a shipped one replaces it. */
  {
    g_autofree char *dir = site_with ("fi.ini", GOOD_HEAD "[letters]\nrow1=a ä ö\n");
    g_autoptr(GError) error = NULL;
    g_autoptr(FrKeyboards) keyboards = fr_keyboards_load (CONTENT_DIR, dir, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (fr_keyboards_for_language (keyboards, "fi")->rows[FR_KEYBOARD_PAGE_SHIFT][0][1], ==, "Ä");
    remove_site (dir, "fi.ini");
  }
  /* A site's zh.pinyin replaces the shipped table under the shipped zh.ini. */
  {
    g_autofree char *dir = site_with ("zh.pinyin", "hao 号好\nni 泥你\n");
    g_autoptr(GError) error = NULL;
    g_autoptr(FrKeyboards) keyboards = fr_keyboards_load (CONTENT_DIR, dir, &error);
    const FrKeyboardLayout *zh;

    g_assert_no_error (error);
    zh = fr_keyboards_for_language (keyboards, "zh_CN");
    g_assert_false (zh->from_site);
    g_assert_cmpstr (fr_pinyin_table_lookup (zh->pinyin, "ni", 2), ==, "泥你");
    g_assert_null (fr_pinyin_table_lookup (zh->pinyin, "wo", 2));
    remove_site (dir, "zh.pinyin");
  }
  {
    g_autofree char *dir = site_with ("sv.ini", "[keyboard]\nlabel=x\nlanguages=sv\ndirection=ltr\n[letters]\nrow1=x\n");
    g_autoptr(GError) error = NULL;
    g_autoptr(FrKeyboards) keyboards = fr_keyboards_load (CONTENT_DIR, dir, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (fr_keyboards_for_language (keyboards, "sv")->label, ==, "x");
    g_assert_true (fr_keyboards_for_language (keyboards, "sv")->from_site);
    remove_site (dir, "sv.ini");
  }
}

static void
test_combine (void)
{
  static const struct { const char *letter, *mark, *expected; } cases[] = {
    { "e", "\u0302", "ê" },
    { "ê", "\u0301", "ế" },
    { "é", "\u0302", "ế" },             /* tone first, shape after: the same letter */
    { "ế", "\u0300", "ề" },             /* a tone replaces the tone */
    { "ế", "\u0301", "ê" },             /* the same tone again takes it off */
    { "e", "\u0323", "ẹ" },
    { "ẹ", "\u0302", "ệ" },
    { "u", "\u031B", "ư" },
    { "ư", "\u0303", "ữ" },
    { "A", "\u0306", "Ă" },
    { "Ă", "\u0309", "Ẳ" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = fr_keyboard_combine (cases[i].letter, cases[i].mark);

      g_assert_cmpstr (out, ==, cases[i].expected);
    }
  g_assert_null (fr_keyboard_combine ("1", "\u0301"));
  g_assert_null (fr_keyboard_combine (" ", "\u0301"));
  g_assert_true (fr_keyboard_is_mark ("\u0E31"));
  g_assert_false (fr_keyboard_is_mark ("ก"));
  g_assert_false (fr_keyboard_is_mark ("\u0301\u0301"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/keyboard-layout/shipped", test_shipped);
  g_test_add_func ("/keyboard-layout/site", test_site);
  g_test_add_func ("/keyboard-layout/combine", test_combine);
  return g_test_run ();
}
