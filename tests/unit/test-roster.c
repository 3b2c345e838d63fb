/* test-roster.c — the staff kiosk roster: format, authentication, atomic writes, and
 * checking an envelope's kiosk against it (intake/KEYS.md "Kiosk roster") */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "fr-intake.h"
#include "fr-roster-private.h"
#include "fr-test-util.h"

typedef struct
{
  char       *dir;
  char       *path;
  FrStaffKey *staff;
  FrKioskKey *a;
  FrKioskKey *b;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("fristad-roster-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "staff.key" FR_ROSTER_SUFFIX, NULL);
  f->staff = fr_staff_key_generate ();
  f->a = fr_kiosk_key_generate ();
  f->b = fr_kiosk_key_generate ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fr_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  fr_staff_key_free (f->staff);
  fr_kiosk_key_free (f->a);
  fr_kiosk_key_free (f->b);
}

static void
save_a_and_b (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRoster) roster = fr_roster_new ();

  g_assert_true (fr_roster_add (roster, "kiosk-a", f->a->pk, &error));
  g_assert_true (fr_roster_add (roster, "kiosk.b_2", f->b->pk, &error));
  g_assert_true (fr_roster_save (roster, f->path, f->staff, &error));
  g_assert_no_error (error);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRoster) roster = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key_a = fr_key_string_format (FR_KEY_KIND_KIOSK, f->a->pk);
  g_autofree char *first = g_strdup_printf ("%s kiosk-a\n", key_a);
  g_auto(GStrv) lines = NULL;
  guint8 kid[FR_KID_SIZE];
  struct stat st;

  umask (022);
  save_a_and_b (f);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The documented form: kiosk lines, then the MAC line. */
  g_assert_true (g_file_get_contents (f->path, &text, NULL, &error));
  g_assert_true (g_str_has_prefix (text, first));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_true (g_str_has_prefix (lines[2], FR_ROSTER_MAC_PREFIX));
  g_assert_cmpuint (strlen (lines[2]), ==, FR_ROSTER_MAC_LINE_LEN - 1);
  g_assert_cmpstr (lines[3], ==, "");

  roster = fr_roster_load (f->path, f->staff, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fr_roster_get_n_kiosks (roster), ==, 2);
  g_assert_cmpstr (fr_roster_get_kiosk (roster, 1)->name, ==, "kiosk.b_2");
  g_assert_cmpmem (fr_roster_get_kiosk (roster, 1)->pk, FR_KEY_SIZE, f->b->pk, FR_KEY_SIZE);
  fr_kid_compute (f->a->pk, kid);
  g_assert_nonnull (fr_roster_find_kid (roster, kid));
  g_assert_cmpstr (fr_roster_find_kid (roster, kid)->name, ==, "kiosk-a");

  /* Remove, save, load. */
  g_assert_true (fr_roster_remove (roster, "kiosk-a"));
  g_assert_false (fr_roster_remove (roster, "kiosk-a"));
  g_assert_true (fr_roster_save (roster, f->path, f->staff, &error));
  g_clear_pointer (&roster, fr_roster_free);
  roster = fr_roster_load (f->path, f->staff, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fr_roster_get_n_kiosks (roster), ==, 1);
  g_assert_null (fr_roster_find_kid (roster, kid));
}

static void
test_missing_is_empty (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRoster) roster = fr_roster_load (f->path, f->staff, &error);
  g_autofree char *expected = g_build_filename (f->dir, "staff.key.kiosks", NULL);
  g_autofree char *key_path = g_build_filename (f->dir, "staff.key", NULL);
  g_autofree char *derived = fr_roster_path_for_key (key_path);

  g_assert_no_error (error);
  g_assert_nonnull (roster);
  g_assert_cmpuint (fr_roster_get_n_kiosks (roster), ==, 0);
  g_assert_cmpstr (derived, ==, expected);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

/* Any change made without the staff key is refused, in one line. */
static void
test_tampered_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autofree char *key_c = NULL;
  g_autoptr(FrKioskKey) c = fr_kiosk_key_generate ();
  g_autoptr(FrStaffKey) other = fr_staff_key_generate ();
  gsize len = 0;
  struct
  {
    const char *what;
    char       *text;
  } cases[4];

  save_a_and_b (f);
  g_assert_true (g_file_get_contents (f->path, &text, &len, NULL));
  key_c = fr_key_string_format (FR_KEY_KIND_KIOSK, c->pk);

  cases[0].what = "renamed kiosk";
  cases[0].text = g_strdup (text);
  cases[0].text[strchr (text, ' ') - text + 1] = 'x';
  cases[1].what = "added kiosk";
  cases[1].text = g_strdup_printf ("%s evil\n%s", key_c, text);
  cases[2].what = "removed MAC";
  cases[2].text = g_strndup (text, len - FR_ROSTER_MAC_LINE_LEN);
  cases[3].what = "swapped key";
  cases[3].text = g_strdup (text);
  memcpy (cases[3].text + strlen (FR_ROSTER_KEY_PREFIX), key_c + strlen (FR_ROSTER_KEY_PREFIX), FR_ROSTER_B64_LEN);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FrRoster) roster = NULL;

      g_test_message ("%s", cases[i].what);
      g_assert_true (g_file_set_contents (f->path, cases[i].text, -1, NULL));
      roster = fr_roster_load (f->path, f->staff, &error);
      g_assert_null (roster);
      g_assert_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE);
      g_assert_null (strchr (error->message, '\n'));
      g_assert_nonnull (strstr (error->message, f->path));
      g_free (cases[i].text);
    }

  /* The untouched roster of another staff key does not open with ours either. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrRoster) roster = NULL;

    g_assert_true (g_file_set_contents (f->path, text, len, NULL));
    roster = fr_roster_load (f->path, other, &error);
    g_assert_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE);
    g_assert_nonnull (strstr (error->message, "another staff key"));
  }
  /* Not a regular file, or a symbolic link. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrRoster) roster = NULL;
    g_autofree char *target = g_build_filename (f->dir, "elsewhere", NULL);

    g_assert_true (g_file_set_contents (target, text, len, NULL));
    g_assert_cmpint (g_unlink (f->path), ==, 0);
    g_assert_cmpint (symlink (target, f->path), ==, 0);
    roster = fr_roster_load (f->path, f->staff, &error);
    g_assert_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE);
  }
}

static void
test_add_rules (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(FrRoster) roster = fr_roster_new ();
  const char *bad_names[] = { "", "has space", "ä", "a/b", "x\n",
                              "12345678901234567890123456789012345678901234567890123456789012345" };
  guint8 zero[FR_KEY_SIZE] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (fr_roster_add (roster, bad_names[i], f->a->pk, &error));
      g_assert_error (error, FR_ERROR, FR_ERROR_BAD_KEY);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (fr_roster_add (roster, "1234567890123456789012345678901234567890123456789012345678901234",
                                  f->a->pk, &error));
    g_assert_false (fr_roster_add (roster, "again", f->a->pk, &error));
    g_assert_error (error, FR_ERROR, FR_ERROR_BAD_KEY);
    g_clear_error (&error);
    g_assert_false (fr_roster_add (roster, "1234567890123456789012345678901234567890123456789012345678901234",
                                   f->b->pk, &error));
    g_assert_error (error, FR_ERROR, FR_ERROR_BAD_KEY);
    g_clear_error (&error);
    g_assert_false (fr_roster_add (roster, "zero", zero, &error));
    g_assert_error (error, FR_ERROR, FR_ERROR_BAD_KEY);
  }
}

static void
test_parse_list (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *key_a = fr_key_string_format (FR_KEY_KIND_KIOSK, f->a->pk);
  g_autofree char *key_b = fr_key_string_format (FR_KEY_KIND_KIOSK, f->b->pk);
  g_autofree char *good = g_strdup_printf ("%s kiosk-a\n%s kiosk-b\n", key_a, key_b);
  g_autofree char *reader = g_strdup_printf ("fristad-reader:%s kiosk-a\n", key_a + strlen ("fristad-kiosk:"));
  g_autofree char *no_newline = g_strdup_printf ("%s kiosk-a", key_a);
  g_autofree char *crlf = g_strdup_printf ("%s kiosk-a\r\n", key_a);
  g_autofree char *two_spaces = g_strdup_printf ("%s  kiosk-a\n", key_a);
  g_autofree char *no_name = g_strdup_printf ("%s \n", key_a);
  g_autofree char *dup = g_strdup_printf ("%s kiosk-a\n%s kiosk-a\n", key_a, key_b);
  g_autofree char *blank = g_strdup_printf ("%s kiosk-a\n\n", key_a);
  const char *bad[] = { reader, no_newline, crlf, two_spaces, no_name, dup, blank, "# comment\n" };
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRoster) roster = fr_roster_parse_list (good, strlen (good), "FILE", &error);
  g_autofree char *again = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (fr_roster_get_n_kiosks (roster), ==, 2);
  again = fr_roster_format_list (roster);
  g_assert_cmpstr (again, ==, good);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(FrRoster) none = fr_roster_parse_list (bad[i], strlen (bad[i]), "FILE", &bad_error);

      g_test_message ("bad list %u", i);
      g_assert_null (none);
      g_assert_error (bad_error, FR_ERROR, FR_ERROR_BAD_KEY_FILE);
      g_assert_true (g_str_has_prefix (bad_error->message, "FILE: line "));
      g_assert_null (strchr (bad_error->message, '\n'));
    }
}

/* A write that fails (here: the file size limit) leaves the old roster as it was and no
 * temporary file behind. */
static void
test_failed_write_keeps_old (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRoster) big = fr_roster_new ();
  g_autoptr(FrRoster) loaded = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GDir) dir = NULL;
  struct rlimit old_limit, limit;
  void (*old_handler) (int);
  gboolean saved;

  save_a_and_b (f);
  g_assert_true (g_file_get_contents (f->path, &before, NULL, NULL));
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(FrKioskKey) k = fr_kiosk_key_generate ();
      g_autofree char *name = g_strdup_printf ("kiosk-%u", i);

      g_assert_true (fr_roster_add (big, name, k->pk, NULL));
    }

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  limit = old_limit;
  limit.rlim_cur = 256;
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  saved = fr_roster_save (big, f->path, f->staff, &error);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  signal (SIGXFSZ, old_handler);

  g_assert_false (saved);
  g_assert_error (error, FR_ERROR, FR_ERROR_IO);
  g_assert_true (g_file_get_contents (f->path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  loaded = fr_roster_load (f->path, f->staff, NULL);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (fr_roster_get_n_kiosks (loaded), ==, 2);
  dir = g_dir_open (f->dir, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "staff.key.kiosks");
  g_assert_null (g_dir_read_name (dir));
}

static GBytes *
seal_from (FrKioskKey       *kiosk,
           const FrStaffKey *staff)
{
  g_autoptr(GError) error = NULL;
  const char *partial = "{\"channel\":\"kiosk\",\"language\":\"sv\",\"answers\":{},"
                        "\"consent\":{\"share\":true,\"text_version\":\"c1\"}}";
  g_autoptr(FrRecord) record = fr_record_complete (partial, strlen (partial), "test-site",
                                                   g_get_real_time () / G_USEC_PER_SEC, NULL, 0, &error);
  GBytes *env;

  g_assert_no_error (error);
  env = fr_envelope_seal (record, NULL, 0, (const guint8 (*)[FR_KEY_SIZE]) staff->recipient_pk, 1, kiosk, &error);
  g_assert_no_error (error);
  return env;
}

/* An envelope sealed by a kiosk not in the roster is refused, also when it claims the key
 * id of a kiosk that is. */
static void
test_check_envelope (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(FrKioskKey) stranger = fr_kiosk_key_generate ();
  g_autoptr(FrRoster) roster = fr_roster_new ();
  g_autoptr(FrRoster) empty = fr_roster_new ();
  g_autoptr(GBytes) good = seal_from (f->a, f->staff);
  g_autoptr(GBytes) unknown = seal_from (stranger, f->staff);
  g_autofree guint8 *forged = g_memdup2 (g_bytes_get_data (unknown, NULL), g_bytes_get_size (unknown));
  g_autoptr(GError) error = NULL;
  const FrRosterEntry *entry;

  g_assert_true (fr_roster_add (roster, "kiosk-a", f->a->pk, NULL));
  fr_kid_compute (f->a->pk, forged + FR_ENVELOPE_MAGIC_SIZE);

  entry = fr_roster_check_envelope (roster, g_bytes_get_data (good, NULL), g_bytes_get_size (good), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (entry->name, ==, "kiosk-a");

  entry = fr_roster_check_envelope (roster, g_bytes_get_data (unknown, NULL), g_bytes_get_size (unknown), &error);
  g_assert_null (entry);
  g_assert_error (error, FR_ERROR, FR_ERROR_UNKNOWN_KIOSK);
  g_assert_nonnull (strstr (error->message, "not in the kiosk roster"));
  g_clear_error (&error);

  entry = fr_roster_check_envelope (roster, forged, g_bytes_get_size (unknown), &error);
  g_assert_null (entry);
  g_assert_error (error, FR_ERROR, FR_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);

  entry = fr_roster_check_envelope (empty, g_bytes_get_data (good, NULL), g_bytes_get_size (good), &error);
  g_assert_null (entry);
  g_assert_error (error, FR_ERROR, FR_ERROR_UNKNOWN_KIOSK);
  g_assert_nonnull (strstr (error->message, "fristad-staff kiosks import"));
  g_clear_error (&error);

  entry = fr_roster_check_envelope (roster, (const guint8 *) "junk", 4, &error);
  g_assert_null (entry);
  g_assert_error (error, FR_ERROR, FR_ERROR_BAD_MAGIC);
}

static void
test_escape (void)
{
  struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "plain ÅÄÖ ภาษาไทย", "plain ÅÄÖ ภาษาไทย" },
    { "a\tb\nc\r", "a\\x09b\\x0ac\\x0d" },
    { "\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07" },
    { "back\\slash", "back\\\\slash" },
    { "\x7f", "\\x7f" },
    { "\xc2\x9b" "31m", "\\u009b31m" },
    { "abc\xe2\x80\xae" "fdp.exe", "abc\\u202efdp.exe" },
    { "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", "\\u202a\\u202b\\u202c\\u202d" },
    { "\xe2\x81\xa6x\xe2\x81\xa7x\xe2\x81\xa8x\xe2\x81\xa9", "\\u2066x\\u2067x\\u2068x\\u2069" },
    { "\xe2\x80\xa8\xe2\x80\x8f", "\\u2028\\u200f" },
    { "bad \xff\xfe utf8 \xe2\x80", "bad \\xff\\xfe utf8 \\xe2\\x80" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = fr_escape_text (cases[i].in, -1);

      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
test_escape_json (void)
{
  const char json[] = "{\"a\":\"x\xe2\x80\xaey\",\n\"b\":\"\xc2\x85\x7f\",\"c\":\"ok ä\"}";
  char *buf = NULL;
  size_t len = 0;
  FILE *stream = open_memstream (&buf, &len);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_true (fr_escape_json (stream, (const guint8 *) json, strlen (json)));
  fclose (stream);
  g_assert_cmpstr (buf, ==, "{\"a\":\"x\\u202ey\",\n\"b\":\"\\u0085\\u007f\",\"c\":\"ok ä\"}");
  /* The same JSON value. */
  g_assert_true (json_parser_load_from_data (parser, buf, len, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "a"), ==, "x\xe2\x80\xaey");
  free (buf);
}

int
main (int   argc,
      char *argv[])
{
  g_assert_true (fr_init ());
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/roster/round-trip", test_round_trip);
  ADD ("/roster/missing-is-empty", test_missing_is_empty);
  ADD ("/roster/tampered-refused", test_tampered_refused);
  ADD ("/roster/add-rules", test_add_rules);
  ADD ("/roster/parse-list", test_parse_list);
  ADD ("/roster/failed-write-keeps-old", test_failed_write_keeps_old);
  ADD ("/roster/check-envelope", test_check_envelope);
#undef ADD
  g_test_add_func ("/escape/text", test_escape);
  g_test_add_func ("/escape/json", test_escape_json);

  return g_test_run ();
}
