/* Integration tests of `fristad-queue backup` (intake/QUEUE.md "Backup"): an online copy of
 * a real SQLite queue database while another connection keeps committing envelopes, the
 * copy consistent as of one moment; retention in a directory; one-line errors. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fr-queue.h"
#include "queue-fixture.h"

#define PREFILL        150            /* envelopes in the database before the backups */
#define PREFILL_SIZE   (48 * 1024)    /* so each copy takes a moment (~7 MiB) */
#define WRITER_POOL    200
#define N_BACKUPS      5
#define KEEP           3

typedef struct
{
  char        *dir;
  char        *db;
  char        *out;
  FrKioskKey  *kiosk;
  FrStaffKey  *staff;
} Fixture;

typedef struct
{
  const char    *db;
  GBytes       **pool;             /* WRITER_POOL envelopes, each stored once */
  char         (*ids)[FR_UUID_STRING_LEN + 1];
  gint           stop;
  guint          written;
} Writer;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  fx->dir = queue_tmpdir ();
  fx->db = g_build_filename (fx->dir, "queue.db", NULL);
  fx->out = g_build_filename (fx->dir, "backups", NULL);
  g_assert_cmpint (g_mkdir (fx->out, 0700), ==, 0);
  fx->kiosk = fr_kiosk_key_generate ();
  fx->staff = fr_staff_key_generate ();
  queue_enroll_kiosk (fx->db, "kiosk-1", fx->kiosk);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  queue_rmtree (fx->dir);
  g_free (fx->dir);
  g_free (fx->db);
  g_free (fx->out);
  fr_kiosk_key_free (fx->kiosk);
  fr_staff_key_free (fx->staff);
}

static void
store_envelopes (const char  *db,
                 GBytes     **envelopes,
                 char       (*ids)[FR_UUID_STRING_LEN + 1],
                 guint        n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrQueueStore) store = fr_queue_store_open (db, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      FrQueuePutResult result;
      gint64 seq;
      gsize len;
      const guint8 *data = g_bytes_get_data (envelopes[i], &len);

      g_assert_true (fr_queue_store_put (store, ids[i], "kiosk-1", g_get_real_time () / G_USEC_PER_SEC,
                                         data, len, &result, &seq, &error));
      g_assert_no_error (error);
      g_assert_cmpint (result, ==, FR_QUEUE_PUT_STORED);
    }
}

/* Commits one envelope per transaction on its own connection until told to stop. */
static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FrQueueStore) store = fr_queue_store_open (w->db, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < WRITER_POOL && !g_atomic_int_get (&w->stop); i++)
    {
      FrQueuePutResult result;
      gint64 seq;
      gsize len;
      const guint8 *bytes = g_bytes_get_data (w->pool[i], &len);

      if (!fr_queue_store_put (store, w->ids[i], "kiosk-1", g_get_real_time () / G_USEC_PER_SEC,
                               bytes, len, &result, &seq, &error))
        g_error ("writer: put failed during a backup: %s", error->message);
      g_assert_cmpint (result, ==, FR_QUEUE_PUT_STORED);
      g_atomic_int_inc (&w->written);
      g_usleep (30 * 1000);          /* lasts through all the backups */
    }
  return NULL;
}

static gint64
count_envelopes (const char *db,
                 gint64     *max_seq)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *s = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  /* Like every client of a database another connection is writing (the writer thread):
   * wait for a lock rather than fail with SQLITE_BUSY (seen under ASan in CI). */
  sqlite3_busy_timeout (handle, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT count(*), coalesce(max(seq), 0) FROM envelopes",
                                       -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (s, 0);
  if (max_seq != NULL)
    *max_seq = sqlite3_column_int64 (s, 1);
  sqlite3_finalize (s);
  sqlite3_close (handle);
  return count;
}

static void
assert_backup_sound (const char *path)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *s = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));   /* one self-contained file */

  g_assert_cmpint (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "PRAGMA integrity_check", -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (s, 0), ==, "ok");
  sqlite3_finalize (s);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "PRAGMA journal_mode", -1, &s, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (s, 0), ==, "delete");
  sqlite3_finalize (s);
  sqlite3_close (handle);
}

static guint
count_backups (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_assert_false (g_str_has_prefix (name, "."));      /* no temporary file left */
      if (g_str_has_prefix (name, "queue-") && g_str_has_suffix (name, ".db"))
        n++;
    }
  return n;
}

/* Backups while a writer commits: every copy is sound and is the database as of one
 * moment (seqs 1..N with nothing missing, N between the counts before and after), the
 * writer is never refused, and the directory keeps the --keep newest. */
static void
test_concurrent_writer (Fixture       *fx,
                        gconstpointer  data)
{
  GBytes *prefill[PREFILL];
  char prefill_ids[PREFILL][FR_UUID_STRING_LEN + 1];
  GBytes *pool[WRITER_POOL];
  char pool_ids[WRITER_POOL][FR_UUID_STRING_LEN + 1];
  Writer w = { 0, };
  GThread *thread;
  gint64 last_count = 0;
  gboolean saw_writes_during = FALSE;

  for (guint i = 0; i < PREFILL; i++)
    prefill[i] = queue_make_envelope (fx->kiosk, fx->staff, PREFILL_SIZE, prefill_ids[i]);
  for (guint i = 0; i < WRITER_POOL; i++)
    pool[i] = queue_make_envelope (fx->kiosk, fx->staff, 4 * 1024, pool_ids[i]);
  store_envelopes (fx->db, prefill, prefill_ids, PREFILL);

  w.db = fx->db;
  w.pool = pool;
  w.ids = pool_ids;
  thread = g_thread_new ("writer", writer_thread, &w);

  for (guint b = 0; b < N_BACKUPS; b++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *path = NULL;
      gint64 before = count_envelopes (fx->db, NULL);
      gint64 after, count, max_seq;
      int status;

      status = queue_cli (&out, &err, "backup", "--db", fx->db, "--keep", G_STRINGIFY (KEEP),
                          fx->out, NULL);
      after = count_envelopes (fx->db, NULL);
      g_test_message ("backup %u: exit %d, %s%s", b, status, out, err);
      g_assert_cmpint (status, ==, 0);
      g_assert_cmpstr (err, ==, "");
      path = g_strndup (out, strcspn (out, "\n"));
      g_assert_true (g_str_has_prefix (path, fx->out));

      assert_backup_sound (path);
      count = count_envelopes (path, &max_seq);
      g_test_message ("backup %u: %" G_GINT64_FORMAT " envelopes (database: %" G_GINT64_FORMAT
                      " before, %" G_GINT64_FORMAT " after)", b, count, before, after);
      g_assert_cmpint (count, >=, before);
      g_assert_cmpint (count, <=, after);
      g_assert_cmpint (max_seq, ==, count);     /* a prefix: no commit half-copied or skipped */
      g_assert_cmpint (count, >=, last_count);
      last_count = count;
      if (after > before)
        saw_writes_during = TRUE;
      g_usleep (1100 * 1000);                    /* a new second: a new file name */
    }

  g_atomic_int_set (&w.stop, 1);
  g_thread_join (thread);
  g_assert_cmpuint (g_atomic_int_get (&w.written), >, 0);
  g_assert_true (saw_writes_during);             /* the writer really ran during backups */
  g_assert_cmpuint (count_backups (fx->out), ==, KEEP);

  for (guint i = 0; i < PREFILL; i++)
    g_bytes_unref (prefill[i]);
  for (guint i = 0; i < WRITER_POOL; i++)
    g_bytes_unref (pool[i]);
}

/* OUT a file: written there (replacing an older one); retention never touches other files. */
static void
test_file_and_retention (Fixture       *fx,
                         gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fx->dir, "copy.db", NULL);
  g_autofree char *notes = g_build_filename (fx->out, "notes.txt", NULL);
  g_autofree char *odd = g_build_filename (fx->out, "queue-2020.db", NULL);
  g_autofree char *old = g_build_filename (fx->out, "queue-20200101T000000Z.db", NULL);
  g_autofree char *older = g_build_filename (fx->out, "queue-20190101T000000Z.db", NULL);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_autofree char *expected = g_strconcat (file, "\n", NULL);

      g_assert_cmpint (queue_cli (&out, &err, "backup", "--db", fx->db, file, NULL), ==, 0);
      g_assert_cmpstr (out, ==, expected);
      assert_backup_sound (file);
    }

  g_assert_true (g_file_set_contents (notes, "keep me", -1, NULL));
  g_assert_true (g_file_set_contents (odd, "keep me", -1, NULL));
  g_assert_true (g_file_set_contents (old, "old", -1, NULL));
  g_assert_true (g_file_set_contents (older, "older", -1, NULL));
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (queue_cli (&out, &err, "backup", "--db", fx->db, "--keep", "2", fx->out, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "removed 1 older backups"));
  }
  g_assert_true (g_file_test (notes, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (odd, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (old, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (older, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_backups (fx->out), ==, 3);     /* the new one, old, queue-2020.db */
}

static void
assert_fails (int         expected,
              const char *needle,
              const char *first_arg,
              ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) queue_binary ());
  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("→ %d %s", g_subprocess_get_exit_status (process), err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, expected);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "fristad-queue: "));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
  g_assert_nonnull (strstr (err, needle));
}

static void
test_errors (Fixture       *fx,
             gconstpointer  data)
{
  g_autofree char *missing_dir = g_build_filename (fx->dir, "no-such-dir", "copy.db", NULL);
  g_autofree char *no_db = g_build_filename (fx->dir, "none.db", NULL);

  assert_fails (1, "no-such-dir", "backup", "--db", fx->db, missing_dir, NULL);
  assert_fails (1, "no such database", "backup", "--db", no_db, fx->out, NULL);
  g_assert_false (g_file_test (no_db, G_FILE_TEST_EXISTS));   /* not created */
  assert_fails (2, "OUT", "backup", "--db", fx->db, NULL);
  assert_fails (2, "OUT", "backup", "--db", fx->db, fx->out, fx->out, NULL);
  assert_fails (2, "--db", "backup", fx->out, NULL);
  assert_fails (2, "--keep", "backup", "--db", fx->db, "--keep", "-1", fx->out, NULL);
  assert_fails (2, "keep", "backup", "--db", fx->db, "--keep", "x", fx->out, NULL);
  g_assert_cmpuint (count_backups (fx->out), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());

  g_test_add ("/queue/backup/concurrent-writer", Fixture, NULL, fixture_set_up,
              test_concurrent_writer, fixture_tear_down);
  g_test_add ("/queue/backup/file-and-retention", Fixture, NULL, fixture_set_up,
              test_file_and_retention, fixture_tear_down);
  g_test_add ("/queue/backup/errors", Fixture, NULL, fixture_set_up,
              test_errors, fixture_tear_down);
  return g_test_run ();
}
