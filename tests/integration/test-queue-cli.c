/* Integration tests of the fristad-queue enrollment and usage contract (exit status 0/1/2,
 * one line on stderr for every error). */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "queue-fixture.h"

typedef struct
{
  char *dir;
  char *db;
} Dir;

static Dir *
dir_new (void)
{
  Dir *d = g_new0 (Dir, 1);

  d->dir = queue_tmpdir ();
  d->db = g_build_filename (d->dir, "queue.db", NULL);
  return d;
}

static void
dir_free (Dir *d)
{
  queue_rmtree (d->dir);
  g_free (d->db);
  g_free (d->dir);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Dir, dir_free)

static void
assert_one_error_line (const char *err)
{
  g_assert_nonnull (err);
  g_assert_true (g_str_has_prefix (err, "fristad-queue: "));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);   /* exactly one line */
  g_assert_cmpuint (strlen (err), >, strlen ("fristad-queue: \n"));
}

/* Runs the CLI with a NULL-terminated argv and checks a failure is reported in one line. */
static int
run (char       **out,
     const char  *const *argv)
{
  g_autoptr(GPtrArray) full = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *stdout_text = NULL;
  int wait_status = 0;

  g_ptr_array_add (full, (gpointer) queue_binary ());
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, (gpointer) argv[i]);
  g_ptr_array_add (full, NULL);

  g_spawn_sync (NULL, (char **) full->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &stdout_text, &err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  g_test_message ("%s %s → %d %s", argv[0], argv[1] != NULL ? argv[1] : "", WEXITSTATUS (wait_status), err);
  if (WEXITSTATUS (wait_status) != 0)
    assert_one_error_line (err);
  else
    g_assert_cmpstr (err, ==, "");
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  return WEXITSTATUS (wait_status);
}

static char **
list_lines (const char *db)
{
  const char *argv[] = { "list", "--db", db, NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (run (&out, argv), ==, 0);
  g_assert_true (*out == '\0' || g_str_has_suffix (out, "\n"));
  if (*out == '\0')
    return g_new0 (char *, 1);
  out[strlen (out) - 1] = '\0';
  return g_strsplit (out, "\n", -1);
}

static void
test_enroll_and_list (void)
{
  g_autoptr(Dir) d = dir_new ();
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autoptr(FrStaffKey) staff = fr_staff_key_generate ();
  g_autofree char *kiosk_key = fr_key_string_format (FR_KEY_KIND_KIOSK, kiosk->pk);
  g_autofree char *reader_key = fr_key_string_format (FR_KEY_KIND_READER, staff->reader_pk);
  const char *enroll_kiosk[] = { "enroll-kiosk", "--db", d->db, "--name", "hbg-station.1", kiosk_key, NULL };
  g_autofree char *recipient_key = fr_key_string_format (FR_KEY_KIND_RECIPIENT, staff->recipient_pk);
  const char *enroll_reader[] = { "enroll-reader", "--db", d->db, "--name", "social_services-A",
                                  "--recipient", recipient_key, reader_key, NULL };
  const char *revoke[] = { "revoke", "--db", d->db, "hbg-station.1", NULL };
  guint8 kid[FR_KID_SIZE];
  char kiosk_kid[FR_KID_HEX_LEN + 1], reader_kid[FR_KID_HEX_LEN + 1];
  char recipient_kid[FR_KID_HEX_LEN + 1];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  fr_kid_compute (staff->recipient_pk, kid);
  fr_kid_to_hex (kid, recipient_kid);
  fr_kid_compute (kiosk->pk, kid);
  fr_kid_to_hex (kid, kiosk_kid);
  fr_kid_compute (staff->reader_pk, kid);
  fr_kid_to_hex (kid, reader_kid);

  g_assert_cmpint (run (NULL, enroll_kiosk), ==, 0);
  g_assert_cmpint (run (NULL, enroll_reader), ==, 0);

  {
    g_auto(GStrv) lines = list_lines (d->db);
    gboolean seen_kiosk = FALSE, seen_reader = FALSE;

    g_assert_cmpuint (g_strv_length (lines), ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
        gint64 enrolled = 0;

        g_assert_cmpuint (g_strv_length (f), ==, 7);
        g_assert_true (fr_timestamp_parse (f[3], &enrolled));
        g_assert_cmpint (ABS (enrolled - now), <=, 600);
        g_assert_cmpstr (f[4], ==, "active");
        g_assert_cmpstr (f[5], ==, "-");
        if (g_strcmp0 (f[0], "hbg-station.1") == 0)
          {
            g_assert_cmpstr (f[1], ==, "kiosk");
            g_assert_cmpstr (f[2], ==, kiosk_kid);
            g_assert_cmpstr (f[6], ==, "-");
            seen_kiosk = TRUE;
          }
        else
          {
            g_assert_cmpstr (f[0], ==, "social_services-A");
            g_assert_cmpstr (f[1], ==, "reader");
            g_assert_cmpstr (f[2], ==, reader_kid);
            g_assert_cmpstr (f[6], ==, recipient_kid);
            seen_reader = TRUE;
          }
      }
    g_assert_true (seen_kiosk && seen_reader);
  }

  g_assert_cmpint (run (NULL, revoke), ==, 0);
  g_assert_cmpint (run (NULL, revoke), ==, 0);   /* idempotent */
  {
    g_auto(GStrv) lines = list_lines (d->db);

    g_assert_cmpuint (g_strv_length (lines), ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
        gint64 revoked = 0;

        if (g_strcmp0 (f[0], "hbg-station.1") == 0)
          {
            g_assert_cmpstr (f[4], ==, "revoked");
            g_assert_true (fr_timestamp_parse (f[5], &revoked));
            g_assert_cmpint (ABS (revoked - now), <=, 600);
          }
        else
          g_assert_cmpstr (f[4], ==, "active");
      }
  }
}

static void
test_wrong_kind (void)
{
  g_autoptr(Dir) d = dir_new ();
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autoptr(FrStaffKey) staff = fr_staff_key_generate ();
  g_autofree char *kiosk_key = fr_key_string_format (FR_KEY_KIND_KIOSK, kiosk->pk);
  g_autofree char *reader_key = fr_key_string_format (FR_KEY_KIND_READER, staff->reader_pk);
  g_autofree char *recipient_key = fr_key_string_format (FR_KEY_KIND_RECIPIENT, staff->recipient_pk);
  const char *cases[][9] = {
    { "enroll-kiosk", "--db", d->db, "--name", "k", reader_key, NULL },
    { "enroll-kiosk", "--db", d->db, "--name", "k", recipient_key, NULL },
    { "enroll-reader", "--db", d->db, "--name", "r", "--recipient", recipient_key, kiosk_key, NULL },
    { "enroll-reader", "--db", d->db, "--name", "r", "--recipient", recipient_key, recipient_key, NULL },
    { "enroll-reader", "--db", d->db, "--name", "r", "--recipient", reader_key, reader_key, NULL },
    { "enroll-reader", "--db", d->db, "--name", "r", reader_key, NULL },
    { "enroll-kiosk", "--db", d->db, "--name", "k", "--recipient", recipient_key, kiosk_key, NULL },
    { "enroll-kiosk", "--db", d->db, "--name", "k", "fristad-kiosk:not-base64", NULL },
    { "enroll-kiosk", "--db", d->db, "--name", "k", "fristad-kiosk:AAAA", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (run (NULL, cases[i]), ==, 2);

  /* Refused before the database was even opened. */
  g_assert_false (g_file_test (d->db, G_FILE_TEST_EXISTS));
}

static void
test_duplicate (void)
{
  g_autoptr(Dir) d = dir_new ();
  g_autoptr(FrKioskKey) a = fr_kiosk_key_generate ();
  g_autoptr(FrKioskKey) b = fr_kiosk_key_generate ();
  g_autofree char *key_a = fr_key_string_format (FR_KEY_KIND_KIOSK, a->pk);
  g_autofree char *key_b = fr_key_string_format (FR_KEY_KIND_KIOSK, b->pk);
  const char *first[] = { "enroll-kiosk", "--db", d->db, "--name", "k1", key_a, NULL };
  const char *same_name[] = { "enroll-kiosk", "--db", d->db, "--name", "k1", key_b, NULL };
  const char *same_key[] = { "enroll-kiosk", "--db", d->db, "--name", "k2", key_a, NULL };
  const char *revoke[] = { "revoke", "--db", d->db, "k1", NULL };

  g_assert_cmpint (run (NULL, first), ==, 0);
  g_assert_cmpint (run (NULL, same_name), ==, 1);
  g_assert_cmpint (run (NULL, same_key), ==, 1);
  /* Revoked keys and names stay taken. */
  g_assert_cmpint (run (NULL, revoke), ==, 0);
  g_assert_cmpint (run (NULL, first), ==, 1);
  g_assert_cmpint (run (NULL, same_key), ==, 1);
  {
    g_auto(GStrv) lines = list_lines (d->db);

    g_assert_cmpuint (g_strv_length (lines), ==, 1);
  }
}

static void
test_bad_names (void)
{
  g_autoptr(Dir) d = dir_new ();
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autofree char *key = fr_key_string_format (FR_KEY_KIND_KIOSK, kiosk->pk);
  g_autofree char *long_name = g_strnfill (65, 'a');
  g_autofree char *max_name = g_strnfill (64, 'a');
  const char *names[] = { "", long_name, "a b", "a/b", "k\303\266k", "a\nb", "-" "\t" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *argv[] = { "enroll-kiosk", "--db", d->db, "--name", names[i], key, NULL };
      const char *revoke[] = { "revoke", "--db", d->db, names[i], NULL };

      g_assert_cmpint (run (NULL, argv), ==, 2);
      g_assert_cmpint (run (NULL, revoke), ==, 2);
    }
  {
    const char *argv[] = { "enroll-kiosk", "--db", d->db, "--name", max_name, key, NULL };

    g_assert_cmpint (run (NULL, argv), ==, 0);
  }
}

static void
test_revoke_unknown (void)
{
  g_autoptr(Dir) d = dir_new ();
  const char *argv[] = { "revoke", "--db", d->db, "nobody", NULL };

  g_assert_cmpint (run (NULL, argv), ==, 1);
}

static void
test_usage (void)
{
  g_autoptr(Dir) d = dir_new ();
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autofree char *key = fr_key_string_format (FR_KEY_KIND_KIOSK, kiosk->pk);
  const char *cases[][10] = {
    { NULL },
    { "frobnicate", NULL },
    { "enroll-kiosk", "--name", "k", key, NULL },
    { "enroll-kiosk", "--db", d->db, key, NULL },
    { "enroll-kiosk", "--db", d->db, "--name", "k", NULL },
    { "enroll-kiosk", "--db", d->db, "--name", "k", key, key, NULL },
    { "enroll-kiosk", "--db", d->db, "--name", "k", "--bogus", key, NULL },
    { "revoke", "--db", d->db, NULL },
    { "revoke", "--db", d->db, "a", "b", NULL },
    { "list", NULL },
    { "list", "--db", d->db, "extra", NULL },
    { "serve", "--db", d->db, NULL },
    { "serve", "--listen", "127.0.0.1:0", NULL },
    { "serve", "--db", d->db, "--listen", "127.0.0.1", NULL },
    { "serve", "--db", d->db, "--listen", "example.org:80", NULL },
    { "serve", "--db", d->db, "--listen", "127.0.0.1:99999", NULL },
    { "serve", "--db", d->db, "--listen", "127.0.0.1:-1", NULL },
    { "serve", "--db", d->db, "--listen", "[::1]80", NULL },
    { "serve", "--db", d->db, "--listen", "127.0.0.1:0", "--tls-cert", "c.pem", NULL },
    { "serve", "--db", d->db, "--listen", "127.0.0.1:0", "--rate", "0", NULL },
    { "serve", "--db", d->db, "--listen", "127.0.0.1:0", "--rate", "many", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("usage case %u", i);
      g_assert_cmpint (run (NULL, cases[i]), ==, 2);
    }

  {
    const char *help[] = { "--help", NULL };
    g_autofree char *out = NULL;

    g_assert_cmpint (run (&out, help), ==, 0);
    g_assert_nonnull (strstr (out, "enroll-kiosk"));
  }
  /* Nothing was created by the refused commands. */
  g_assert_false (g_file_test (d->db, G_FILE_TEST_EXISTS));
}

static void
test_unusable_files (void)
{
  g_autoptr(Dir) d = dir_new ();
  g_autofree char *missing_dir = g_build_filename (d->dir, "no-such-dir", "queue.db", NULL);
  g_autofree char *junk = g_build_filename (d->dir, "junk.db", NULL);
  g_autofree char *missing_cert = g_build_filename (d->dir, "cert.pem", NULL);
  const char *cases[][10] = {
    { "list", "--db", d->db, NULL },
    { "revoke", "--db", d->db, "k1", NULL },
    { "list", "--db", missing_dir, NULL },
    { "list", "--db", junk, NULL },
    { "serve", "--db", missing_dir, "--listen", "127.0.0.1:0", NULL },
    { "serve", "--db", d->db, "--listen", "127.0.0.1:0", "--tls-cert", missing_cert, "--tls-key", missing_cert, NULL },
  };

  g_assert_true (g_file_set_contents (junk, "this is not a database, not at all, no header here......................"
                                      "..............................................................", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("unusable case %u", i);
      g_assert_cmpint (run (NULL, cases[i]), ==, 1);
    }
  /* list and revoke never create a database. */
  g_assert_false (g_file_test (d->db, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());

  g_test_add_func ("/queue-cli/enroll-and-list", test_enroll_and_list);
  g_test_add_func ("/queue-cli/wrong-kind", test_wrong_kind);
  g_test_add_func ("/queue-cli/duplicate", test_duplicate);
  g_test_add_func ("/queue-cli/bad-names", test_bad_names);
  g_test_add_func ("/queue-cli/revoke-unknown", test_revoke_unknown);
  g_test_add_func ("/queue-cli/usage", test_usage);
  g_test_add_func ("/queue-cli/unusable-files", test_unusable_files);

  return g_test_run ();
}
