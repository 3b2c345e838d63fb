/* test-kiosk-cli.c — fristad-kiosk's headless commands: usage, --check-config,
 * --print-kiosk-key and --submit refusals (delivery itself is in the integration suite) */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "fr-intake.h"
#include "fr-test-util.h"

#define RECIPIENT "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhBA="

static char *tmpdir;

static char *
write_config (const char *name,
              const char *content_dir,
              gboolean    all_contacts)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *state = g_build_filename (tmpdir, "state", NULL);
  g_autofree char *text = g_strdup_printf (
    "[site]\nid=test-kommun\nname=Test kommun\nlanguages=sv;en;th\nstate-dir=%s\ncontent-dir=%s\n\n"
    "[queue]\nurl=http://127.0.0.1:9\n\n[recipients]\nkeys=" RECIPIENT "\n\n"
    "[contact emergency]\nname=Emergency\nphone=112\ntiles=help-now;talk\n%s",
    state, content_dir,
    all_contacts ? "\n[contact social-services]\nname=Social services\nphone=0000 00 00\ntiles=talk\n"
                   "\n[contact health-advice]\nname=Health-care advice\nphone=1177\n"
                   "\n[contact police]\nname=Police\nphone=114 14\n"
                   "\n[contact social-emergency]\nname=Social emergency service\nphone=0000 00 01\n" : "");

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  return path;
}

static void
test_usage (void)
{
  g_auto(FrTestRun) a;
  g_auto(FrTestRun) b;
  g_auto(FrTestRun) c;
  g_auto(FrTestRun) d;

  fr_test_run_tool (&a, "FRISTAD_KIOSK", "--flush", "--print-kiosk-key", NULL);
  g_assert_cmpint (a.status, ==, 2);
  fr_test_assert_one_line (a.err);
  fr_test_run_tool (&b, "FRISTAD_KIOSK", "--attach", "voice=x.ogg", "--flush", NULL);
  g_assert_cmpint (b.status, ==, 2);
  fr_test_assert_one_line (b.err);
  fr_test_run_tool (&c, "FRISTAD_KIOSK", "--no-such-option", NULL);
  g_assert_cmpint (c.status, ==, 2);
  fr_test_assert_one_line (c.err);
  fr_test_run_tool (&d, "FRISTAD_KIOSK", "--config", "/nonexistent/kiosk.conf", "--check-config", NULL);
  g_assert_cmpint (d.status, ==, 2);
  fr_test_assert_one_line (d.err);
  g_assert_nonnull (strstr (d.err, "kiosk.conf"));
}

static void
test_check_config (void)
{
  g_autofree char *complete = write_config ("complete.conf", "/nonexistent-site-content", TRUE);
  g_autofree char *incomplete = write_config ("incomplete.conf", "/nonexistent-site-content", FALSE);
  g_autofree char *override_dir = g_build_filename (TEST_CONTENT_DIR, "site-override", NULL);
  g_autofree char *overriding = write_config ("override.conf", override_dir, TRUE);
  g_auto(FrTestRun) ok;
  g_auto(FrTestRun) missing;
  g_auto(FrTestRun) over;

  fr_test_run_tool (&ok, "FRISTAD_KIOSK", "--config", complete, "--check-config", NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_nonnull (strstr (ok.out, "site: test-kommun (Test kommun)"));
  g_assert_nonnull (strstr (ok.out, "config OK"));
  /* Every offered language's review status (issue 18). */
  g_assert_nonnull (strstr (ok.out, "\nreview: en (English): machine-drafted "));
  g_assert_nonnull (strstr (ok.out, "\nreview: sv (Swedish): machine-drafted "));
  g_assert_null (strstr (ok.out, "missing:"));

  fr_test_run_tool (&missing, "FRISTAD_KIOSK", "--config", incomplete, "--check-config", NULL);
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (missing.out, "missing: contact social-services"));
  g_assert_nonnull (strstr (missing.out, "missing: contact health-advice"));
  fr_test_assert_one_line (missing.err);

  /* The test site drops a question and replaces a topic: the report names both. */
  fr_test_run_tool (&over, "FRISTAD_KIOSK", "--config", overriding, "--check-config", NULL);
  g_assert_cmpint (over.status, ==, 0);
  g_assert_nonnull (strstr (over.out, "override: "));
  g_assert_nonnull (strstr (over.out, "shelter"));
  g_assert_nonnull (strstr (over.out, "code_word"));
}

static void
test_print_kiosk_key (void)
{
  g_autofree char *config = write_config ("key.conf", "/nonexistent-site-content", TRUE);
  g_autofree char *key_path = g_build_filename (tmpdir, "state", "kiosk.key", NULL);
  g_autofree char *state = g_build_filename (tmpdir, "state", NULL);
  g_auto(FrTestRun) first;
  g_auto(FrTestRun) again;
  guint8 pk[FR_KEY_SIZE];
  struct stat st;

  fr_test_run_tool (&first, "FRISTAD_KIOSK", "--config", config, "--print-kiosk-key", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_strstrip (first.out);
  g_assert_true (fr_key_string_parse (first.out, FR_KEY_KIND_KIOSK, pk, NULL));
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (state, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* The same key every time. */
  fr_test_run_tool (&again, "FRISTAD_KIOSK", "--config", config, "--print-kiosk-key", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_cmpstr (g_strstrip (again.out), ==, first.out);
}

static void
test_submit_refusals (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = write_config ("submit.conf", "/nonexistent-site-content", TRUE);
  g_autofree char *bad_json = g_build_filename (tmpdir, "bad.json", NULL);
  g_autofree char *no_consent = g_build_filename (tmpdir, "no-consent.json", NULL);
  g_autofree char *good = g_build_filename (tmpdir, "good.json", NULL);
  g_autofree char *not_ogg = g_build_filename (tmpdir, "voice.wav", NULL);
  g_autofree char *attach = g_strdup_printf ("voice=%s", not_ogg);
  g_autofree char *outbox = g_build_filename (tmpdir, "state", "outbox.db", NULL);

  g_assert_true (g_file_set_contents (bad_json, "{\"channel\":\"kiosk\",", -1, &error));
  g_assert_true (g_file_set_contents (no_consent, "{\"channel\":\"kiosk\",\"language\":\"sv\",\"answers\":{},"
                                      "\"consent\":{\"share\":false,\"text_version\":\"c\"}}", -1, &error));
  g_assert_true (g_file_set_contents (good, "{\"channel\":\"kiosk\",\"language\":\"sv\",\"answers\":{\"message\":\"CANARY-CLI\"},"
                                      "\"consent\":{\"share\":true,\"text_version\":\"c\"}}", -1, &error));
  g_assert_true (g_file_set_contents (not_ogg, "RIFF0000WAVEfmt ", -1, &error));

  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_KIOSK", "--config", config, "--submit", bad_json, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_cmpstr (run.out, ==, "");
  }
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_KIOSK", "--config", config, "--submit", no_consent, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "consent"));
  }
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_KIOSK", "--config", config, "--submit", good, "--attach", attach, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "Ogg"));
    g_assert_null (strstr (run.err, "CANARY"));
  }
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_KIOSK", "--config", config, "--submit", "/nonexistent.json", NULL);
    g_assert_cmpint (run.status, ==, 1);
    fr_test_assert_one_line (run.err);
  }
  /* Nothing refused was enqueued. */
  if (g_file_test (outbox, G_FILE_TEST_EXISTS))
    {
      g_autoptr(FrOutbox) box = fr_outbox_open (outbox, &error);
      FrOutboxStats stats = { 0 };

      g_assert_no_error (error);
      g_assert_true (fr_outbox_get_stats (box, &stats, &error));
      g_assert_cmpuint (stats.pending + stats.dead, ==, 0);
      fr_outbox_stats_clear (&stats);
    }
}

/* A config like write_config()'s complete one, with [kiosk] maintenance-pin=@hash. */
static char *
write_config_with_pin (const char *name,
                       const char *hash)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_config (name, "/nonexistent-site-content", TRUE);
  g_autofree char *text = NULL;
  g_autofree char *with_pin = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  with_pin = g_strdup_printf ("%s\n[kiosk]\nmaintenance-pin=%s\n", text, hash);
  g_assert_true (g_file_set_contents (path, with_pin, -1, &error));
  return g_steal_pointer (&path);
}

/* --check-config refuses a PIN hash weaker than libsodium's interactive limits (one line,
 * exit 2), and accepts one made with them. */
static void
test_check_config_pin_hash (void)
{
  g_autoptr(GError) error = NULL;
  char weak[crypto_pwhash_STRBYTES];
  char strong[crypto_pwhash_STRBYTES];
  g_autofree char *weak_conf = NULL;
  g_autofree char *strong_conf = NULL;
  g_auto(FrTestRun) refused;
  g_auto(FrTestRun) accepted;

  /* m=32 MiB, t=2: half the interactive memory. */
  g_assert_cmpint (crypto_pwhash_str_alg (weak, "471100", 6, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          crypto_pwhash_MEMLIMIT_INTERACTIVE / 2, crypto_pwhash_ALG_ARGON2ID13), ==, 0);
  g_assert_cmpint (crypto_pwhash_str_alg (strong, "471100", 6, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13), ==, 0);
  weak_conf = write_config_with_pin ("weak-pin.conf", weak);
  strong_conf = write_config_with_pin ("strong-pin.conf", strong);

  fr_test_run_tool (&refused, "FRISTAD_KIOSK", "--config", weak_conf, "--check-config", NULL);
  g_assert_cmpint (refused.status, ==, 2);
  fr_test_assert_one_line (refused.err);
  g_assert_nonnull (strstr (refused.err, "[kiosk] maintenance-pin is weaker than libsodium's interactive limits (m=32768,t=2"));
  g_assert_null (strstr (refused.out, "config OK"));

  fr_test_run_tool (&accepted, "FRISTAD_KIOSK", "--config", strong_conf, "--check-config", NULL);
  g_assert_cmpint (accepted.status, ==, 0);
  g_assert_nonnull (strstr (accepted.out, "maintenance screen: PIN set"));
}

/* A site content directory under tmpdir holding one keyboards/@name with @text. */
static char *
keyboard_site (const char *site,
               const char *name,
               const char *text)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_build_filename (tmpdir, site, NULL);
  g_autofree char *kbd = g_build_filename (dir, "keyboards", NULL);
  g_autofree char *path = g_build_filename (kbd, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (kbd, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  return dir;
}

/* --check-config reads the keyboard layouts and pinyin tables, the site's too (issue 12):
 * a broken one is one line naming the file and what is wrong, exit 2; a good site layout
 * is listed. */
static void
test_check_config_keyboards (void)
{
  static const struct { const char *name, *text, *problem; } broken[] = {
    { "fi.ini", "[keyboard]\nlabel=äö\nlanguages=fi\ndirection=ltr\n[letters]\nrow1=a b\nrow3=c\n",
      "[letters] has no row2" },
    { "fi.ini", "[keyboard\nlabel=äö\n", "fi.ini: " },
    { "fi.ini", "[keyboard]\nlabel=äö\nlanguages=fi\ndirection=ltr\ninput=pinyin\n[letters]\nrow1=a\n",
      "input=pinyin needs its table" },
    { "zh.pinyin", "ni 你\nhao 好\n", "zh.pinyin:2: syllables must be in ascending order" },
    { "fi.pinyin", "ni 你\n", "no keyboards/fi.ini with input=pinyin reads this table" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *site = g_strdup_printf ("kbd-broken-%u", i);
      g_autofree char *dir = keyboard_site (site, broken[i].name, broken[i].text);
      g_autofree char *conf_name = g_strconcat (site, ".conf", NULL);
      g_autofree char *conf = write_config (conf_name, dir, TRUE);
      g_autofree char *file = g_build_filename (dir, "keyboards", broken[i].name, NULL);
      g_auto(FrTestRun) run;

      fr_test_run_tool (&run, "FRISTAD_KIOSK", "--config", conf, "--check-config", NULL);
      g_assert_cmpint (run.status, ==, 2);
      fr_test_assert_one_line (run.err);
      if (!g_str_has_prefix (run.err, "fristad-kiosk --check-config: ")
          || (strstr (run.err, file) == NULL && strstr (run.err, "keyboards/fi.ini") == NULL)
          || strstr (run.err, broken[i].problem) == NULL)
        g_error ("case %u: %s", i, run.err);
      g_assert_null (strstr (run.out, "config OK"));
    }

  {
    g_autofree char *dir = keyboard_site ("kbd-good", "fi.ini",
                                          "[keyboard]\nlabel=äö\nlanguages=fi\ndirection=ltr\n[letters]\nrow1=a ä ö\n");
    g_autofree char *conf = write_config ("kbd-good.conf", dir, TRUE);
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_KIOSK", "--config", conf, "--check-config", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "\nkeyboards: 13 layouts (site: fi)\n"));
    g_assert_nonnull (strstr (run.out, "config OK"));
  }
}

/* --hash-pin makes a hash only of a PIN of 6 to 12 digits; the hash is one kiosk.conf takes. */
static void
test_hash_pin (void)
{
  static const char * const refused[] = { "4711\n", "47110\n", "47110a\n", "\n", "1234567890123\n" };
  g_autoptr(GError) error = NULL;
  g_autofree char *pin_file = g_build_filename (tmpdir, "pin", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_auto(FrTestRun) run;

      g_assert_true (g_file_set_contents (pin_file, refused[i], -1, &error));
      fr_test_run_tool (&run, "FRISTAD_KIOSK", "--hash-pin", "--pin-file", pin_file, NULL);
      g_assert_cmpint (run.status, ==, 2);
      fr_test_assert_one_line (run.err);
      g_assert_cmpstr (run.out, ==, "");
    }
  {
    g_auto(FrTestRun) run;
    g_auto(FrTestRun) check;
    g_autofree char *conf = NULL;

    g_assert_true (g_file_set_contents (pin_file, "471100\n", -1, &error));
    fr_test_run_tool (&run, "FRISTAD_KIOSK", "--hash-pin", "--pin-file", pin_file, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_strstrip (run.out);
    g_assert_true (g_str_has_prefix (run.out, "$argon2id$v=19$m=65536,t=2,p=1$"));
    g_assert_cmpint (crypto_pwhash_str_verify (run.out, "471100", 6), ==, 0);
    conf = write_config_with_pin ("hashed-pin.conf", run.out);
    fr_test_run_tool (&check, "FRISTAD_KIOSK", "--config", conf, "--check-config", NULL);
    g_assert_cmpint (check.status, ==, 0);
  }
  {
    g_auto(FrTestRun) no_tty;
    g_auto(FrTestRun) stray;

    /* No terminal and no --pin-file; --pin-file without --hash-pin. */
    fr_test_run_tool (&no_tty, "FRISTAD_KIOSK", "--hash-pin", NULL);
    g_assert_cmpint (no_tty.status, ==, 2);
    fr_test_assert_one_line (no_tty.err);
    g_assert_nonnull (strstr (no_tty.err, "--pin-file"));
    fr_test_run_tool (&stray, "FRISTAD_KIOSK", "--pin-file", pin_file, "--flush", NULL);
    g_assert_cmpint (stray.status, ==, 2);
    fr_test_assert_one_line (stray.err);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (fr_init ());
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("fristad-kiosk-cli-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/kiosk-cli/usage", test_usage);
  g_test_add_func ("/kiosk-cli/check-config", test_check_config);
  g_test_add_func ("/kiosk-cli/check-config-keyboards", test_check_config_keyboards);
  g_test_add_func ("/kiosk-cli/print-kiosk-key", test_print_kiosk_key);
  g_test_add_func ("/kiosk-cli/submit-refusals", test_submit_refusals);
  g_test_add_func ("/kiosk-cli/check-config-pin-hash", test_check_config_pin_hash);
  g_test_add_func ("/kiosk-cli/hash-pin", test_hash_pin);

  status = g_test_run ();
  fr_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return status;
}
