/* test-staff-cli.c — fristad-staff keygen, open, inspect, kiosks and list --refused, as a
 * person runs them */
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

static GBytes *seal_with_voice (const char *recipient, FrKioskKey *kiosk, const char *canary,
                                FrSecret *voice, FrRecord **out_record);

/* Seals a record with a canary message and one voice attachment (5000 bytes that are not
 * Ogg) to @recipient. */
static GBytes *
seal_for (const char  *recipient,
          FrKioskKey  *kiosk,
          const char  *canary,
          FrRecord   **out_record,
          FrSecret   **out_voice)
{
  FrSecret *voice = fr_secret_new (5000);

  for (gsize i = 0; i < voice->len; i++)
    voice->data[i] = (guint8) (i * 7);
  *out_voice = voice;
  return seal_with_voice (recipient, kiosk, canary, voice, out_record);
}

static GBytes *
seal_with_voice (const char  *recipient,
                 FrKioskKey  *kiosk,
                 const char  *canary,
                 FrSecret    *voice,
                 FrRecord   **out_record)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *partial = g_strdup_printf ("{\"channel\":\"kiosk\",\"language\":\"th\","
                                              "\"answers\":{\"message\":\"%s\",\"safe_now\":false},"
                                              "\"consent\":{\"share\":true,\"text_version\":\"c1\"}}",
                                              canary);
  FrAttachmentInfo info = { .kind = "voice", .mime = "audio/ogg; codecs=opus", .size = voice->len, .duration_ms = 3000 };
  guint8 pk[FR_KEY_SIZE];
  FrRecord *record;
  const FrSecret *atts[1] = { voice };
  GBytes *env;

  g_assert_true (fr_key_string_parse (recipient, FR_KEY_KIND_RECIPIENT, pk, &error));
  record = fr_record_complete (partial, strlen (partial), "test-site", g_get_real_time () / G_USEC_PER_SEC,
                               &info, 1, &error);
  g_assert_no_error (error);
  env = fr_envelope_seal (record, atts, 1, (const guint8 (*)[FR_KEY_SIZE]) pk, 1, kiosk, &error);
  g_assert_no_error (error);
  *out_record = record;
  return env;
}

/* fristad-staff kiosks add NAME KEY, as staff run it. */
static void
roster_add (Fixture          *f,
            const char       *name,
            const FrKioskKey *kiosk)
{
  g_auto(FrTestRun) run;
  g_autofree char *key = fr_key_string_format (FR_KEY_KIND_KIOSK, kiosk->pk);

  fr_test_run_tool (&run, "FRISTAD_STAFF", "kiosks", "add", name, key, "--key", f->key, "--passphrase-file", f->pass, NULL);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
}

static FrSecret *
voice_vector (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (TEST_VECTORS_DIR, "voice-hej.ogg", NULL);
  g_autofree char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  return fr_secret_new_from (data, len);
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
  g_autoptr(FrSecret) voice = voice_vector ();
  g_autoptr(GBytes) env = seal_with_voice (f->recipient, kiosk, "CANARY-7f3a9e", voice, &record);
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

  /* By path, without --out, checked against the roster: the JSON still comes, and a note
   * says what was not written. */
  roster_add (f, "kiosk-1", kiosk);
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
  roster_add (f, "kiosk-1", kiosk);

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

/* kiosks add, list, remove and import, and their refusals. */
static void
test_kiosks (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrKioskKey) a = fr_kiosk_key_generate ();
  g_autoptr(FrKioskKey) b = fr_kiosk_key_generate ();
  g_autofree char *key_a = fr_key_string_format (FR_KEY_KIND_KIOSK, a->pk);
  g_autofree char *key_b = fr_key_string_format (FR_KEY_KIND_KIOSK, b->pk);
  g_autofree char *fp_a = fr_key_fingerprint (a->pk);
  g_autofree char *roster = g_strconcat (f->key, ".kiosks", NULL);
  g_autofree char *export = g_build_filename (f->dir, "export.txt", NULL);
  g_autofree char *export_text = g_strdup_printf ("%s kiosk-b\n", key_b);
  struct stat st;

  roster_add (f, "kiosk-a", a);
  g_assert_cmpint (g_stat (roster, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  {
    g_auto(FrTestRun) run;
    g_autofree char *row = g_strdup_printf ("kiosk-a\t%s\t%s\n", fp_a, key_a);

    fr_test_run_tool (&run, "FRISTAD_STAFF", "kiosks", "list", "--key", f->key, "--passphrase-file", f->pass, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, row));
  }
  /* The same name again, a bad name, a reader key, no key file option: exit 2, one line. */
  {
    const char *bad[][2] = { { "kiosk-a", key_b }, { "kiosk a", key_b }, { "kiosk-c", f->reader }, { "x;y", key_b } };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_auto(FrTestRun) run;

        fr_test_run_tool (&run, "FRISTAD_STAFF", "kiosks", "add", bad[i][0], bad[i][1], "--key", f->key,
                          "--passphrase-file", f->pass, NULL);
        g_assert_cmpint (run.status, ==, 2);
        fr_test_assert_one_line (run.err);
      }
  }
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "kiosks", "add", "kiosk-b", key_b, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
  }
  /* import replaces the roster with the queue's list and says what changed. */
  g_assert_true (g_file_set_contents (export, export_text, -1, &error));
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "kiosks", "import", export, "--key", f->key, "--passphrase-file", f->pass, NULL);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "removed kiosk-a\n"));
    g_assert_nonnull (strstr (run.out, "added kiosk-b\n"));
  }
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "kiosks", "remove", "kiosk-b", "--key", f->key, "--passphrase-file", f->pass, NULL);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "kiosks", "remove", "kiosk-b", "--key", f->key, "--passphrase-file", f->pass, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
  }
  /* An import file that is not the export format is refused before the passphrase. */
  {
    g_auto(FrTestRun) run;

    g_assert_true (g_file_set_contents (export, "kiosk-b fristad-kiosk:AAAA\n", -1, &error));
    fr_test_run_tool (&run, "FRISTAD_STAFF", "kiosks", "import", export, "--key", f->key, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "line 1"));
  }
}

/* open checks the kiosk signature against the roster by default: an unknown kiosk, a
 * forged envelope claiming a known kiosk's key id, an empty roster and a roster changed
 * behind the staff's back are all refused with exit 2 and one line. */
static void
test_open_roster (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrKioskKey) real = fr_kiosk_key_generate ();
  g_autoptr(FrKioskKey) forger = fr_kiosk_key_generate ();
  g_autoptr(FrRecord) record = NULL;
  g_autoptr(FrSecret) voice = NULL;
  g_autoptr(GBytes) env = seal_for (f->recipient, forger, "CANARY-forged", &record, &voice);
  g_autofree guint8 *forged = g_memdup2 (g_bytes_get_data (env, NULL), g_bytes_get_size (env));
  g_autofree char *unknown_path = g_build_filename (f->dir, "unknown.frs", NULL);
  g_autofree char *forged_path = g_build_filename (f->dir, "forged.frs", NULL);
  g_autofree char *roster = g_strconcat (f->key, ".kiosks", NULL);
  g_autofree char *forger_key = fr_key_string_format (FR_KEY_KIND_KIOSK, forger->pk);

  /* The forger's envelope, relabelled with the real kiosk's key id. */
  fr_kid_compute (real->pk, forged + FR_ENVELOPE_MAGIC_SIZE);
  g_assert_true (g_file_set_contents (unknown_path, g_bytes_get_data (env, NULL), g_bytes_get_size (env), &error));
  g_assert_true (g_file_set_contents (forged_path, (const char *) forged, g_bytes_get_size (env), &error));

  /* No roster yet: refused, and the error says how to fill it. */
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "open", unknown_path, "--key", f->key, "--passphrase-file", f->pass, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "fristad-staff kiosks import"));
    g_assert_cmpstr (run.out, ==, "");
  }
  roster_add (f, "kiosk-real", real);
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "open", unknown_path, "--key", f->key, "--passphrase-file", f->pass, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "not in the kiosk roster"));
    g_assert_cmpstr (run.out, ==, "");
  }
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "open", forged_path, "--key", f->key, "--passphrase-file", f->pass, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "signature"));
    g_assert_cmpstr (run.out, ==, "");
  }
  /* --kiosk KEY verifies against that one key instead of the roster. */
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "open", unknown_path, "--key", f->key, "--passphrase-file", f->pass,
                      "--kiosk", forger_key, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "CANARY-forged"));
  }
  /* Someone adds the forger to the roster file by hand: the roster is refused. */
  {
    g_auto(FrTestRun) run;
    g_autofree char *text = NULL;
    g_autofree char *tampered = NULL;

    g_assert_true (g_file_get_contents (roster, &text, NULL, &error));
    tampered = g_strdup_printf ("%s evil\n%s", forger_key, text);
    g_assert_true (g_file_set_contents (roster, tampered, -1, &error));
    fr_test_run_tool (&run, "FRISTAD_STAFF", "open", unknown_path, "--key", f->key, "--passphrase-file", f->pass, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "kiosk roster"));
    g_assert_nonnull (strstr (run.err, "changed"));
    g_assert_cmpstr (run.out, ==, "");
  }
}

/* An attachment declared Ogg Opus that is not is written as .bin, and stderr says so; the
 * record's JSON has bidi controls written as \u escapes. */
static void
test_open_sniff_and_escape (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autoptr(FrRecord) record = NULL;
  g_autoptr(FrSecret) voice = NULL;
  g_autoptr(GBytes) env = seal_for (f->recipient, kiosk, "CANARY \u202egpj.exe \u2066x\u2069", &record, &voice);
  g_autofree char *path = g_build_filename (f->dir, "r.frs", NULL);
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  g_autofree char *bin_name = g_strdup_printf ("%s-1-voice.bin", fr_record_get_id_string (record));
  g_autofree char *ogg_name = g_strdup_printf ("%s-1-voice.ogg", fr_record_get_id_string (record));
  g_autofree char *bin_path = g_build_filename (out, bin_name, NULL);
  g_autofree char *ogg_path = g_build_filename (out, ogg_name, NULL);
  g_autofree char *got = NULL;
  gsize got_len = 0;
  g_auto(FrTestRun) run;

  /* The record's JSON holds the raw characters (the kiosk wrote them as escapes in the
   * partial record; fr_record_complete normalises them). */
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (env, NULL), g_bytes_get_size (env), &error));
  roster_add (f, "kiosk-1", kiosk);

  fr_test_run_tool (&run, "FRISTAD_STAFF", "open", path, "--key", f->key, "--passphrase-file", f->pass, "--out", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  fr_test_assert_one_line (run.err);
  g_assert_nonnull (strstr (run.err, "not Ogg Opus"));
  g_assert_nonnull (strstr (run.err, ".bin"));
  g_assert_null (strstr (run.err, "CANARY"));
  g_assert_false (g_file_test (ogg_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (bin_path, &got, &got_len, &error));
  g_assert_cmpmem (got, got_len, voice->data, voice->len);

  g_assert_nonnull (strstr (run.out, "CANARY \\u202egpj.exe \\u2066x\\u2069"));
  g_assert_null (strstr (run.out, "\xe2\x80\xae"));
  g_assert_null (strstr (run.out, "\xe2\x81\xa6"));
}

/* list --refused shows what fetch refused, from the inbox's refused.tsv; a damaged file is
 * refused in one line. */
static void
test_list_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *inbox = g_build_filename (f->dir, "inbox", NULL);
  g_autofree char *refused = g_build_filename (inbox, "refused.tsv", NULL);

  g_assert_cmpint (g_mkdir (inbox, 0700), ==, 0);
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "list", "--refused", "--inbox", inbox, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "id\trefused\tkiosk\treason\n");
  }
  g_assert_true (g_file_set_contents (refused, "3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7f\t1764361376\tc5e21ab1c9f6022d\tbad-signature\n",
                                      -1, &error));
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "list", "--refused", "--inbox", inbox, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7f\t2025-11-28T20:22:56Z\tc5e21ab1c9f6022d\tbad-signature\n"));
  }
  g_assert_true (g_file_set_contents (refused, "3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7f\t1\t-\t\x1b[31mred\n", -1, &error));
  {
    g_auto(FrTestRun) run;

    fr_test_run_tool (&run, "FRISTAD_STAFF", "list", "--refused", "--inbox", inbox, NULL);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "line 1"));
    g_assert_null (strchr (run.err, 0x1b));
  }
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
  g_test_add ("/staff-cli/kiosks", Fixture, NULL, fixture_setup, test_kiosks, fixture_teardown);
  g_test_add ("/staff-cli/open/roster", Fixture, NULL, fixture_setup, test_open_roster, fixture_teardown);
  g_test_add ("/staff-cli/open/sniff-and-escape", Fixture, NULL, fixture_setup,
              test_open_sniff_and_escape, fixture_teardown);
  g_test_add ("/staff-cli/list/refused", Fixture, NULL, fixture_setup, test_list_refused, fixture_teardown);

  return g_test_run ();
}
