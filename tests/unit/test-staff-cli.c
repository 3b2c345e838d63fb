/* test-staff-cli.c — fristad-staff keygen, open and inspect, as a person runs them */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fr-intake.h"
#include "fr-test-util.h"

#define PASSPHRASE "correct horse battery staple"

typedef struct
{
  char *dir;
  char *key;
  char *pass;
  char *recipient;   /* fristad-recipient: string keygen printed */
  char *reader;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(FrTestRun) run;
  g_auto(GStrv) lines = NULL;
  struct stat st;

  f->dir = g_dir_make_tmp ("fristad-staff-XXXXXX", &error);
  g_assert_no_error (error);
  f->key = g_build_filename (f->dir, "staff.key", NULL);
  f->pass = g_build_filename (f->dir, "pass", NULL);
  g_assert_true (g_file_set_contents (f->pass, PASSPHRASE "\nsecond line ignored\n", -1, &error));

  fr_test_run_tool (&run, "FRISTAD_STAFF", "keygen", "--out", f->key, "--passphrase-file", f->pass, NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "fristad-recipient:"));
  g_assert_true (g_str_has_prefix (lines[1], "fristad-reader:"));
  g_assert_cmpstr (lines[2], ==, "");
  f->recipient = g_strdup (lines[0]);
  f->reader = g_strdup (lines[1]);

  g_assert_cmpint (g_stat (f->key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fr_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->key);
  g_free (f->pass);
  g_free (f->recipient);
  g_free (f->reader);
}

/* Seals a record with a canary message and one voice attachment to @recipient. */
static GBytes *
seal_for (const char  *recipient,
          FrKioskKey  *kiosk,
          const char  *canary,
          FrRecord   **out_record,
          FrSecret   **out_voice)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *partial = g_strdup_printf ("{\"channel\":\"kiosk\",\"language\":\"th\","
                                              "\"answers\":{\"message\":\"%s\",\"safe_now\":false},"
                                              "\"consent\":{\"share\":true,\"text_version\":\"c1\"}}",
                                              canary);
  FrAttachmentInfo info = { .kind = "voice", .mime = "audio/ogg; codecs=opus", .size = 5000, .duration_ms = 3000 };
  guint8 pk[FR_KEY_SIZE];
  FrSecret *voice = fr_secret_new (5000);
  FrRecord *record;
  const FrSecret *atts[1] = { voice };
  GBytes *env;

  for (gsize i = 0; i < voice->len; i++)
    voice->data[i] = (guint8) (i * 7);
  g_assert_true (fr_key_string_parse (recipient, FR_KEY_KIND_RECIPIENT, pk, &error));
  record = fr_record_complete (partial, strlen (partial), "test-site", g_get_real_time () / G_USEC_PER_SEC,
                               &info, 1, &error);
  g_assert_no_error (error);
  env = fr_envelope_seal (record, atts, 1, (const guint8 (*)[FR_KEY_SIZE]) pk, 1, kiosk, &error);
  g_assert_no_error (error);
  *out_record = record;
  *out_voice = voice;
  return env;
}

static void
test_keygen_refuses_overwrite (Fixture       *f,
                               gconstpointer  data)
{
  g_auto(FrTestRun) run;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;

  g_assert_true (g_file_get_contents (f->key, &before, NULL, &error));
  fr_test_run_tool (&run, "FRISTAD_STAFF", "keygen", "--out", f->key, "--passphrase-file", f->pass, NULL);
  g_assert_cmpint (run.status, ==, 1);
  fr_test_assert_one_line (run.err);
  g_assert_nonnull (strstr (run.err, "already exists"));
  g_assert_true (g_file_get_contents (f->key, &after, NULL, &error));
  g_assert_cmpstr (before, ==, after);
}

static void
test_usage_errors (void)
{
  g_auto(FrTestRun) a;
  g_auto(FrTestRun) b;
  g_auto(FrTestRun) c;
  g_auto(FrTestRun) d;
  g_auto(FrTestRun) e;

  fr_test_run_tool (&a, "FRISTAD_STAFF", "keygen", NULL);
  g_assert_cmpint (a.status, ==, 2);
  fr_test_assert_one_line (a.err);
  fr_test_run_tool (&b, "FRISTAD_STAFF", "frobnicate", NULL);
  g_assert_cmpint (b.status, ==, 2);
  fr_test_assert_one_line (b.err);
  fr_test_run_tool (&c, "FRISTAD_STAFF", "open", "x.frs", NULL);
  g_assert_cmpint (c.status, ==, 2);
  fr_test_assert_one_line (c.err);
  fr_test_run_tool (&d, "FRISTAD_STAFF", "inspect", NULL);
  g_assert_cmpint (d.status, ==, 2);
  fr_test_run_tool (&e, "FRISTAD_STAFF", "open", "--no-such-option", NULL);
  g_assert_cmpint (e.status, ==, 2);
  fr_test_assert_one_line (e.err);
}

static void
test_keygen_needs_terminal_or_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fristad-staff-XXXXXX", &error);
  g_autofree char *key = g_build_filename (dir, "k", NULL);
  g_auto(FrTestRun) run;

  fr_test_run_tool (&run, "FRISTAD_STAFF", "keygen", "--out", key, NULL);
  g_assert_cmpint (run.status, ==, 1);
  fr_test_assert_one_line (run.err);
  g_assert_nonnull (strstr (run.err, "--passphrase-file"));
  g_assert_false (g_file_test (key, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

static void
test_open_by_id_and_file (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autoptr(FrRecord) record = NULL;
  g_autoptr(FrSecret) voice = NULL;
  g_autoptr(GBytes) env = seal_for (f->recipient, kiosk, "CANARY-7f3a9e", &record, &voice);
  g_autofree char *inbox = g_build_filename (f->dir, "inbox", NULL);
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  g_autofree char *name = g_strdup_printf ("%s.frs", fr_record_get_id_string (record));
  g_autofree char *path = g_build_filename (inbox, name, NULL);
  g_autofree char *att_name = g_strdup_printf ("%s-1-voice.ogg", fr_record_get_id_string (record));
  g_autofree char *att_path = g_build_filename (out, att_name, NULL);
  g_autofree char *att = NULL;
  g_autofree char *kiosk_str = fr_key_string_format (FR_KEY_KIND_KIOSK, kiosk->pk);
  g_autofree char *expected = g_strdup_printf ("%.*s\n", (int) fr_record_get_json (record)->len,
                                               (const char *) fr_record_get_json (record)->data);
  gsize att_len = 0;
  struct stat st;

  g_assert_cmpint (g_mkdir (inbox, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (env, NULL), g_bytes_get_size (env), &error));

  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "open", fr_record_get_id_string (record), "--inbox", inbox, "--key", f->key,
               "--passphrase-file", f->pass, "--out", out, "--kiosk", kiosk_str, NULL);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, expected);
    g_assert_nonnull (strstr (run.out, "CANARY-7f3a9e"));
  }

  g_assert_true (g_file_get_contents (att_path, &att, &att_len, &error));
  g_assert_cmpmem (att, att_len, voice->data, voice->len);
  g_assert_cmpint (g_stat (att_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* By path, without --out: the JSON still comes, and a note says what was not written. */
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "open", path, "--key", f->key, "--passphrase-file", f->pass, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, expected);
    g_assert_nonnull (strstr (run.err, "--out"));
    g_assert_null (strstr (run.err, "CANARY"));
  }

  /* Writing the attachment again refuses to overwrite it: exit 1, one line. */
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "open", path, "--key", f->key, "--passphrase-file", f->pass, "--out", out, NULL);
    g_assert_cmpint (run.status, ==, 1);
    fr_test_assert_one_line (run.err);
    g_assert_null (strstr (run.err, "CANARY"));
  }
}

static void
test_open_refusals (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autoptr(FrKioskKey) other_kiosk = fr_kiosk_key_generate ();
  g_autoptr(FrStaffKey) other = fr_staff_key_generate ();
  g_autoptr(FrRecord) record = NULL;
  g_autoptr(FrSecret) voice = NULL;
  g_autoptr(FrRecord) record2 = NULL;
  g_autoptr(FrSecret) voice2 = NULL;
  g_autofree char *other_recipient = fr_key_string_format (FR_KEY_KIND_RECIPIENT, other->recipient_pk);
  g_autoptr(GBytes) env = seal_for (f->recipient, kiosk, "CANARY-1", &record, &voice);
  g_autoptr(GBytes) env_other = seal_for (other_recipient, kiosk, "CANARY-2", &record2, &voice2);
  g_autofree char *path = g_build_filename (f->dir, "a.frs", NULL);
  g_autofree char *path_other = g_build_filename (f->dir, "b.frs", NULL);
  g_autofree char *path_bad = g_build_filename (f->dir, "c.frs", NULL);
  g_autofree char *wrong = g_build_filename (f->dir, "wrong", NULL);
  g_autofree char *other_kiosk_str = fr_key_string_format (FR_KEY_KIND_KIOSK, other_kiosk->pk);
  g_autofree guint8 *flipped = g_memdup2 (g_bytes_get_data (env, NULL), g_bytes_get_size (env));

  flipped[g_bytes_get_size (env) / 2] ^= 0x10;
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (env, NULL), g_bytes_get_size (env), &error));
  g_assert_true (g_file_set_contents (path_other, g_bytes_get_data (env_other, NULL), g_bytes_get_size (env_other), &error));
  g_assert_true (g_file_set_contents (path_bad, (const char *) flipped, g_bytes_get_size (env), &error));
  g_assert_true (g_file_set_contents (wrong, "not the passphrase\n", -1, &error));

  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "open", path, "--key", f->key, "--passphrase-file", wrong, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "passphrase"));
    g_assert_cmpstr (run.out, ==, "");
  }
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "open", path_other, "--key", f->key, "--passphrase-file", f->pass, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "not addressed"));
    g_assert_cmpstr (run.out, ==, "");
  }
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "open", path, "--key", f->key, "--passphrase-file", f->pass, "--kiosk", other_kiosk_str, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "kiosk"));
    g_assert_cmpstr (run.out, ==, "");
  }
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "open", path_bad, "--key", f->key, "--passphrase-file", f->pass, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_null (strstr (run.err, "CANARY"));
    g_assert_cmpstr (run.out, ==, "");
  }
  /* Malformed input is refused before the passphrase is even asked for. */
  {
    g_auto(FrTestRun) run;
    g_autofree char *junk = g_build_filename (f->dir, "junk", NULL);

    g_assert_true (g_file_set_contents (junk, "hello", -1, &error));
    fr_test_run_tool (&run, "FRISTAD_STAFF", "open", junk, "--key", f->key, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "bad magic"));
  }
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "open", "/nonexistent/x.frs", "--key", f->key, NULL);
    g_assert_cmpint (run.status, ==, 1);
    fr_test_assert_one_line (run.err);
  }
}

static void
test_inspect_vector (void)
{
  g_autofree char *path = g_build_filename (TEST_VECTORS_DIR, "envelope-1.frs", NULL);
  g_auto(FrTestRun) run;
  g_auto(FrTestRun) missing;
  g_auto(FrTestRun) junk;

  fr_test_run_tool (&run, "FRISTAD_STAFF", "inspect", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "id: 3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7f\n"));
  g_assert_nonnull (strstr (run.out, "receipt: 7XP2-N7MB\n"));
  g_assert_nonnull (strstr (run.out, "kiosk: c5e21ab1c9f6022d\n"));
  g_assert_nonnull (strstr (run.out, "recipients: 2\n"));
  g_assert_nonnull (strstr (run.out, "recipient: bc7259ff4b4ff126\n"));
  g_assert_nonnull (strstr (run.out, "created: 2026-11-28T20:22:56Z\n"));

  fr_test_run_tool (&missing, "FRISTAD_STAFF", "inspect", "/nonexistent.frs", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  fr_test_assert_one_line (missing.err);

  fr_test_run_tool (&junk, "FRISTAD_STAFF", "inspect", TEST_VECTORS_DIR "/keys.txt", NULL);
  g_assert_cmpint (junk.status, ==, 2);
  fr_test_assert_one_line (junk.err);
}

int
main (int   argc,
      char *argv[])
{
  g_assert_true (fr_init ());
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/staff-cli/usage", test_usage_errors);
  g_test_add_func ("/staff-cli/keygen/needs-passphrase-source", test_keygen_needs_terminal_or_file);
  g_test_add ("/staff-cli/keygen/refuses-overwrite", Fixture, NULL, fixture_setup,
              test_keygen_refuses_overwrite, fixture_teardown);
  g_test_add ("/staff-cli/open/by-id-and-file", Fixture, NULL, fixture_setup,
              test_open_by_id_and_file, fixture_teardown);
  g_test_add ("/staff-cli/open/refusals", Fixture, NULL, fixture_setup,
              test_open_refusals, fixture_teardown);
  g_test_add_func ("/staff-cli/inspect", test_inspect_vector);

  return g_test_run ();
}
