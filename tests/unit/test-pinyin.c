/* test-pinyin.c — the pinyin table: the shipped one loads and puts the common character
 * first, a broken table is refused naming its line, typed letters split into syllables
 */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fr-error.h"
#include "fr-pinyin.h"

static FrPinyinTable *
shipped (void)
{
  g_autofree char *path = g_build_filename (CONTENT_DIR, "keyboards", "zh.pinyin", NULL);
  g_autoptr(GError) error = NULL;
  FrPinyinTable *table = fr_pinyin_table_load (path, &error);

  g_assert_no_error (error);
  return table;
}

/* The first character of @syllable's candidates. */
static char *
first (const FrPinyinTable *table,
       const char          *syllable)
{
  const char *chars = fr_pinyin_table_lookup (table, syllable, strlen (syllable));

  g_assert_nonnull (chars);
  return g_strndup (chars, g_utf8_next_char (chars) - chars);
}

static void
test_shipped (void)
{
  g_autoptr(FrPinyinTable) table = shipped ();
  static const struct { const char *syllable, *first; } common[] = {
    { "ni", "你" }, { "hao", "好" }, { "wo", "我" }, { "shi", "是" }, { "de", "的" },
    { "zhong", "中" }, { "guo", "国" }, { "bu", "不" }, { "yi", "一" }, { "ren", "人" },
  };

  /* Every syllable of Mandarin is there (about 400 without tones). */
  g_assert_cmpuint (fr_pinyin_table_get_n_syllables (table), >=, 400);
  for (guint i = 0; i < G_N_ELEMENTS (common); i++)
    {
      g_autofree char *c = first (table, common[i].syllable);

      g_assert_cmpstr (c, ==, common[i].first);
    }
  /* ü is v; a character with two readings is under both (好 hao, 行 xing and hang). */
  g_assert_nonnull (strstr (fr_pinyin_table_lookup (table, "lv", 2), "绿"));
  g_assert_nonnull (strstr (fr_pinyin_table_lookup (table, "nv", 2), "女"));
  g_assert_nonnull (strstr (fr_pinyin_table_lookup (table, "xing", 4), "行"));
  g_assert_nonnull (strstr (fr_pinyin_table_lookup (table, "hang", 4), "行"));
  /* Not syllables: a prefix, a longer string, nothing; the lookup reads only len bytes. */
  g_assert_null (fr_pinyin_table_lookup (table, "zh", 2));
  g_assert_null (fr_pinyin_table_lookup (table, "haoo", 4));
  g_assert_null (fr_pinyin_table_lookup (table, "", 0));
  g_assert_cmpstr (fr_pinyin_table_lookup (table, "nihao", 2), ==, fr_pinyin_table_lookup (table, "ni", 2));
}

typedef struct
{
  const char *letters;
  const char *syllables;   /* the whole syllables, space-separated */
  gboolean    rest_is_start;
} Split;

static void
test_split (void)
{
  g_autoptr(FrPinyinTable) table = shipped ();
  static const Split cases[] = {
    { "nihao", "ni hao", TRUE },
    { "ni", "ni", TRUE },
    { "nih", "ni", TRUE },               /* h begins hao, he, … */
    { "zh", "", TRUE },
    { "xian", "xian", TRUE },            /* one syllable, not xi an */
    { "fangan", "fang an", TRUE },       /* as many either way: the longer first */
    { "zhongguo", "zhong guo", TRUE },
    { "lvse", "lv se", TRUE },
    { "", "", TRUE },
    { "iii", "", FALSE },                /* no syllable begins with i */
    { "nihaoiii", "ni hao", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FrPinyinSplit split;
      g_autoptr(GString) got = g_string_new (NULL);
      gsize start = 0;

      fr_pinyin_split (table, cases[i].letters, strlen (cases[i].letters), &split);
      for (guint s = 0; s < split.n_syllables; s++)
        {
          g_string_append_printf (got, "%s%.*s", s ? " " : "", (int) (split.ends[s] - start), cases[i].letters + start);
          start = split.ends[s];
        }
      if (!g_str_equal (got->str, cases[i].syllables) || split.rest_is_start != cases[i].rest_is_start)
        g_error ("%s: split as \"%s\" (rest %s a start)", cases[i].letters, got->str, split.rest_is_start ? "is" : "is not");
    }
  /* More letters than the keyboard holds: only the first FR_PINYIN_MAX_LETTERS count. */
  {
    g_autofree char *many = g_strnfill (FR_PINYIN_MAX_LETTERS * 2, 'a');
    FrPinyinSplit split;

    fr_pinyin_split (table, many, strlen (many), &split);
    g_assert_cmpuint (split.n_syllables, ==, FR_PINYIN_MAX_LETTERS);
  }
}

static void
test_bad (void)
{
  static const struct { const char *text, *needle; } bad[] = {
    { "ni 你\nhao 好", "line feed" },
    { "ni 你\n\nhao 好\n", ":2: an empty line" },
    { "ni 你 \n", ":1: white space at the end" },
    { "ni你\n", ":1: no space" },
    { "Ni 你\n", ":1: a syllable is written in a-z" },
    { "nü 女\n", ":1: a syllable is written in a-z" },
    { "zhuangg 壮\n", ":1: a syllable must be 1-6" },
    { "ni 你a\n", ":1: a character that is not a Han" },
    { "ni 你 泥\n", ":1: a character that is not a Han" },
    { "ni \n", ":1: white space" },
    { "ni 你你\n", ":1: a character listed twice" },
    { "# a comment\nni 你\nhao 好\n", ":3: syllables must be in ascending order" },
    { "ni 你\nni 泥\n", ":2: syllables must be in ascending order" },
    { "# only a comment\n", "no syllables" },
    { "ni \xe4\xbd\n", "not UTF-8" },
  };
  g_autofree char *dir = g_dir_make_tmp ("fristad-pinyin-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "zh.pinyin", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FrPinyinTable) table = NULL;

      g_assert_true (g_file_set_contents (path, bad[i].text, -1, NULL));
      table = fr_pinyin_table_load (path, &error);
      g_assert_null (table);
      g_assert_error (error, FR_ERROR, FR_ERROR_CONFIG);
      if (strstr (error->message, bad[i].needle) == NULL || strstr (error->message, path) == NULL)
        g_error ("case %u: %s", i, error->message);
    }
  /* The same lines, right, load. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrPinyinTable) table = NULL;

    g_assert_true (g_file_set_contents (path, "# a comment\nhao 好号\nni 你泥\n", -1, NULL));
    table = fr_pinyin_table_load (path, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (fr_pinyin_table_lookup (table, "hao", 3), ==, "好号");
  }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pinyin/shipped", test_shipped);
  g_test_add_func ("/pinyin/split", test_split);
  g_test_add_func ("/pinyin/bad", test_bad);
  return g_test_run ();
}
