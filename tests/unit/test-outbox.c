#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>

#include "fr-intake.h"

/* Test-only: the crash tests re-execute this binary as
 *   test-outbox --child DBPATH RECIPIENT_PK_HEX KIOSK_SK_HEX CANARY
 * which seals and enqueues canary records in a loop and writes each ID to stdout
 * only after fr_outbox_enqueue() returned TRUE, until it is killed. */
#define CHILD_ARG "--child"

static char *self_exe;

/* ------------------------------------------------------------------ helpers */

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("fristad-outbox-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_assert_cmpint (g_unlink (child), ==, 0);
        }
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
new_id (char out[FR_UUID_STRING_LEN + 1])
{
  guint8 raw[FR_RECORD_ID_SIZE];

  fr_uuid_generate (raw);
  fr_uuid_format (raw, out);
}

/* Envelope-shaped bytes: the magic, a kiosk kid, the record ID, then random filler. Only
 * the tests that are about the store itself use these; the crash and plaintext tests
 * use real sealed envelopes. */
static GBytes *
fake_envelope (const char *id,
               gsize       size)
{
  guint8 *data;

  g_assert_cmpuint (size, >=, FR_ENVELOPE_FIXED_SIZE);
  data = g_malloc (size);
  randombytes_buf (data, size);
  memcpy (data, FR_ENVELOPE_MAGIC, FR_ENVELOPE_MAGIC_SIZE);
  g_assert_true (fr_uuid_parse (id, data + FR_ENVELOPE_MAGIC_SIZE + FR_KID_SIZE));
  return g_bytes_new_take (data, size);
}

static FrOutbox *
open_outbox (const char *path)
{
  g_autoptr(GError) error = NULL;
  FrOutbox *outbox = fr_outbox_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (outbox);
  return outbox;
}

static void
enqueue_ok (FrOutbox   *outbox,
            const char *id,
            GBytes     *envelope)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fr_outbox_enqueue (outbox, id, envelope, &error));
  g_assert_no_error (error);
}

static GPtrArray *
list_pending (FrOutbox *outbox,
              gint64    now,
              guint     limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items = fr_outbox_list_pending (outbox, now, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

static GPtrArray *
list_dead (FrOutbox *outbox)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items = fr_outbox_list_dead (outbox, &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

static FrOutboxItem *
item_at (GPtrArray *items,
         guint      i)
{
  return g_ptr_array_index (items, i);
}

static void
get_stats (FrOutbox      *outbox,
           FrOutboxStats *stats)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fr_outbox_get_stats (outbox, stats, &error));
  g_assert_no_error (error);
}

static GBytes *
read_file_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static gboolean
file_exists (const char *path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static char *
sibling (const char *db,
         const char *suffix)
{
  return g_strconcat (db, suffix, NULL);
}

/* Direct SQLite access, to look at the file the way the outbox module does not. */
static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static char *
raw_query_text (sqlite3    *db,
                const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *out = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return out;
}

static gint64
raw_query_int (sqlite3    *db,
               const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 out;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  out = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return out;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
}

static gsize
count_occurrences (const guint8 *hay,
                   gsize         hay_len,
                   const guint8 *needle,
                   gsize         needle_len)
{
  gsize n = 0;

  g_assert_cmpuint (needle_len, >, 0);
  for (gsize i = 0; i + needle_len <= hay_len; i++)
    {
      const guint8 *hit = memchr (hay + i, needle[0], hay_len - needle_len + 1 - i);

      if (hit == NULL)
        break;
      i = hit - hay;
      if (memcmp (hit, needle, needle_len) == 0)
        n++;
    }
  return n;
}

/* Every byte of every file under @path; returns how many files contain @needle. */
static guint
scan_tree (const char   *path,
           const guint8 *needle,
           gsize         needle_len)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint hits = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autoptr(GBytes) bytes = NULL;
      gsize len = 0;
      const guint8 *data;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          hits += scan_tree (child, needle, needle_len);
          continue;
        }
      bytes = read_file_bytes (child);
      data = g_bytes_get_data (bytes, &len);
      if (count_occurrences (data, len, needle, needle_len) > 0)
        hits++;
    }
  return hits;
}

/* ------------------------------------------------------------ real envelopes */

typedef struct
{
  FrStaffKey *staff;
  FrKioskKey *kiosk;
} Keys;

static void
keys_init (Keys *keys)
{
  keys->staff = fr_staff_key_generate ();
  keys->kiosk = fr_kiosk_key_generate ();
  g_assert_nonnull (keys->staff);
  g_assert_nonnull (keys->kiosk);
}

static void
keys_clear (Keys *keys)
{
  g_clear_pointer (&keys->staff, fr_staff_key_free);
  g_clear_pointer (&keys->kiosk, fr_kiosk_key_free);
}

static char *
make_canary (void)
{
  guint8 raw[12];
  char hex[sizeof raw * 2 + 1];

  randombytes_buf (raw, sizeof raw);
  sodium_bin2hex (hex, sizeof hex, raw, sizeof raw);
  return g_strconcat ("CANARY-", hex, NULL);
}

/* Completes and seals a small record carrying @canary in a text answer. */
static GBytes *
seal_canary_record (const char       *canary,
                    const guint8      recipient_pk[FR_KEY_SIZE],
                    const FrKioskKey *kiosk,
                    char              id_out[FR_UUID_STRING_LEN + 1],
                    GError          **error)
{
  g_autoptr(FrRecord) record = NULL;
  g_autoptr(FrSecret) partial = NULL;
  g_autofree char *json = NULL;
  const guint8 (*pks)[FR_KEY_SIZE] = (const guint8 (*)[FR_KEY_SIZE]) recipient_pk;
  GBytes *sealed;

  json = g_strdup_printf ("{\"channel\":\"kiosk\",\"language\":\"sv\","
                          "\"answers\":{\"message\":\"%s\",\"needs\":[\"shelter\",\"health\"],"
                          "\"safe-to-call\":true},"
                          "\"consent\":{\"share\":true,\"text_version\":\"consent-1\"}}",
                          canary);
  partial = fr_secret_new_from (json, strlen (json));
  sodium_memzero (json, strlen (json));

  record = fr_record_complete ((const char *) partial->data, partial->len, "test-site",
                               g_get_real_time () / G_USEC_PER_SEC, NULL, 0, error);
  if (record == NULL)
    return NULL;
  sealed = fr_envelope_seal (record, NULL, 0, pks, 1, kiosk, error);
  if (sealed == NULL)
    return NULL;
  g_strlcpy (id_out, fr_record_get_id_string (record), FR_UUID_STRING_LEN + 1);
  return sealed;
}

/* Opens @envelope with the staff key and checks it is the record @id with @canary. */
static void
assert_envelope_opens (GBytes     *envelope,
                       const char *id,
                       const Keys *keys,
                       const char *canary)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  const FrSecret *json;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (envelope, &len);

  opened = fr_envelope_open (data, len, keys->staff->recipient_pk, keys->staff->recipient_sk,
                             keys->kiosk->pk, &error);
  g_assert_no_error (error);
  g_assert_nonnull (opened);
  g_assert_cmpstr (fr_record_get_id_string (opened->record), ==, id);
  json = fr_record_get_json (opened->record);
  g_assert_cmpuint (count_occurrences (json->data, json->len,
                                       (const guint8 *) canary, strlen (canary)), ==, 1);
}

/* ------------------------------------------------------------------- child */

static int
child_main (int    argc,
            char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrOutbox) outbox = NULL;
  g_autoptr(FrKioskKey) kiosk = NULL;
  guint8 recipient_pk[FR_KEY_SIZE];
  const char *db_path, *pk_hex, *sk_hex, *canary;
  gsize bin_len = 0;

  if (argc != 6)
    {
      g_printerr ("usage: %s " CHILD_ARG " DBPATH RECIPIENT_PK_HEX KIOSK_SK_HEX CANARY\n", argv[0]);
      return 2;
    }
  db_path = argv[2];
  pk_hex = argv[3];
  sk_hex = argv[4];
  canary = argv[5];

  if (!fr_init ())
    return 1;

  kiosk = fr_kiosk_key_generate ();
  if (sodium_hex2bin (recipient_pk, sizeof recipient_pk, pk_hex, strlen (pk_hex),
                      NULL, &bin_len, NULL) != 0 || bin_len != FR_KEY_SIZE
      || sodium_hex2bin (kiosk->sk, sizeof kiosk->sk, sk_hex, strlen (sk_hex),
                         NULL, &bin_len, NULL) != 0 || bin_len != FR_SIGN_SECRET_SIZE)
    {
      g_printerr ("child: bad key arguments\n");
      return 2;
    }
  crypto_sign_ed25519_sk_to_pk (kiosk->pk, kiosk->sk);

  outbox = fr_outbox_open (db_path, &error);
  if (outbox == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  if (write (STDOUT_FILENO, "ready\n", 6) != 6)
    return 1;

  for (;;)
    {
      g_autoptr(GBytes) envelope = NULL;
      char id[FR_UUID_STRING_LEN + 2];

      envelope = seal_canary_record (canary, recipient_pk, kiosk, id, &error);
      if (envelope == NULL)
        {
          g_printerr ("child: seal: %s\n", error->message);
          return 1;
        }
      if (!fr_outbox_enqueue (outbox, id, envelope, &error))
        {
          g_printerr ("child: enqueue: %s\n", error->message);
          return 1;
        }
      /* Reported only once committed. One write of 37 bytes to a pipe is atomic. */
      id[FR_UUID_STRING_LEN] = '\n';
      if (write (STDOUT_FILENO, id, FR_UUID_STRING_LEN + 1) != FR_UUID_STRING_LEN + 1)
        return 1;
    }
}

typedef struct
{
  GPid  pid;
  FILE *out;
} Child;

static void
child_spawn (Child      *child,
             const char *db_path,
             const Keys *keys,
             const char *canary)
{
  g_autoptr(GError) error = NULL;
  char pk_hex[FR_KEY_SIZE * 2 + 1];
  char sk_hex[FR_SIGN_SECRET_SIZE * 2 + 1];
  char *argv[7];
  int out_fd = -1;

  sodium_bin2hex (pk_hex, sizeof pk_hex, keys->staff->recipient_pk, FR_KEY_SIZE);
  sodium_bin2hex (sk_hex, sizeof sk_hex, keys->kiosk->sk, FR_SIGN_SECRET_SIZE);
  argv[0] = self_exe;
  argv[1] = (char *) CHILD_ARG;
  argv[2] = (char *) db_path;
  argv[3] = pk_hex;
  argv[4] = sk_hex;
  argv[5] = (char *) canary;
  argv[6] = NULL;

  g_assert_true (g_spawn_async_with_pipes (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &child->pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  sodium_memzero (sk_hex, sizeof sk_hex);
  child->out = fdopen (out_fd, "r");
  g_assert_nonnull (child->out);
}

static gboolean
child_read_line (Child *child,
                 char  *line,
                 int    size)
{
  if (fgets (line, size, child->out) == NULL)
    return FALSE;
  return strchr (line, '\n') != NULL;
}

/* Kills the child with SIGKILL and collects the IDs it reported after the kill. */
/* A line the child printed: the id of an envelope it says is enqueued. */
static void
record_reported (char       *line,
                 GHashTable *reported,
                 GPtrArray  *fresh)
{
  line[strcspn (line, "\n")] = '\0';
  g_assert_cmpuint (strlen (line), ==, FR_UUID_STRING_LEN);
  g_assert_false (g_hash_table_contains (reported, line));
  g_hash_table_add (reported, g_strdup (line));
  g_ptr_array_add (fresh, g_strdup (line));
}

static void
child_kill (Child      *child,
            GHashTable *reported,
            GPtrArray  *fresh)
{
  char line[128];
  int status = 0;

  g_assert_cmpint (kill (child->pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (child->pid, &status, 0), ==, child->pid);
  g_spawn_close_pid (child->pid);
  /* The child must have been busy, not stopped on an error of its own. */
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  while (child_read_line (child, line, sizeof line))
    record_reported (line, reported, fresh);
  fclose (child->out);
  child->out = NULL;
}

/* Runs @rounds children that enqueue canary records into @db_path and kills each at a
 * random moment 1–30 ms after it reported its first envelope. After each kill: the canary is in no file,
 * integrity_check is ok, every reported envelope is stored exactly once and opens, and
 * every row in the table is a whole envelope that opens. */
static void
run_kill_rounds (const char *dir,
                 const char *db_path,
                 guint       rounds)
{
  g_autoptr(GHashTable) reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) verified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *canary = make_canary ();
  Keys keys;
  guint killed_with_work = 0;

  keys_init (&keys);

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(FrOutbox) outbox = NULL;
      g_autofree char *check = NULL;
      FrOutboxStats stats;
      Child child = { 0, };
      char line[128];
      sqlite3 *db;
      sqlite3_stmt *stmt = NULL;
      guint rows = 0;

      child_spawn (&child, db_path, &keys, canary);
      g_assert_true (child_read_line (&child, line, sizeof line));
      g_assert_cmpstr (line, ==, "ready\n");
      /* The kill must land while the child is enqueuing, or this tests nothing: wait for
       * its first envelope (it enqueues in a loop from then on), then 1–30 ms more. On a
       * loaded or sanitized build a fixed wait after "ready" often killed it before it had
       * begun. */
      g_assert_true (child_read_line (&child, line, sizeof line));
      record_reported (line, reported, fresh);
      g_usleep (g_test_rand_int_range (1, 31) * 1000);
      child_kill (&child, reported, fresh);
      if (fresh->len > 1)
        killed_with_work++;

      /* The files exactly as the killed process left them. */
      g_assert_cmpuint (scan_tree (dir, (const guint8 *) canary, strlen (canary)), ==, 0);

      db = raw_open (db_path);
      check = raw_query_text (db, "PRAGMA integrity_check");
      g_assert_cmpstr (check, ==, "ok");
      for (guint i = 0; i < fresh->len; i++)
        {
          g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM outbox WHERE id = ?1",
                                               -1, &stmt, NULL), ==, SQLITE_OK);
          sqlite3_bind_text (stmt, 1, g_ptr_array_index (fresh, i), -1, SQLITE_STATIC);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
          sqlite3_finalize (stmt);
        }
      g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

      outbox = open_outbox (db_path);
      items = list_pending (outbox, G_MAXINT64, 0);
      for (guint i = 0; i < items->len; i++)
        {
          FrOutboxItem *item = item_at (items, i);

          if (g_hash_table_contains (verified, item->id))
            continue;
          /* Also the rows committed just before the kill but never reported. */
          assert_envelope_opens (item->envelope, item->id, &keys, canary);
          g_hash_table_add (verified, g_strdup (item->id));
        }
      rows = items->len;
      g_assert_cmpuint (rows, ==, g_hash_table_size (verified));
      g_assert_cmpuint (rows, >=, g_hash_table_size (reported));
      get_stats (outbox, &stats);
      g_assert_cmpuint (stats.pending, ==, rows);
      fr_outbox_stats_clear (&stats);

      {
        GHashTableIter iter;
        gpointer key;

        g_hash_table_iter_init (&iter, reported);
        while (g_hash_table_iter_next (&iter, &key, NULL))
          g_assert_true (g_hash_table_contains (verified, key));
      }
    }

  /* Every kill lands inside the enqueue loop (after its first envelope); how many also
   * came after a further envelope is shown for scale, not judged (it depends on speed). */
  g_test_message ("%u kills, all inside the enqueue loop, %u after more than one envelope, %u envelopes reported",
                  rounds, killed_with_work, g_hash_table_size (reported));
  g_assert_cmpuint (scan_tree (dir, (const guint8 *) canary, strlen (canary)), ==, 0);
  keys_clear (&keys);
}

/* -------------------------------------------------------------------- tests */

static void
test_file_and_pragmas (void)
{
  /* A permissive umask must not make the files readable by others, and one that takes
   * the owner's write bit away must not leave an outbox it cannot write. */
  static const mode_t umasks[] = { 0, 022, 0277 };

  for (guint u = 0; u < G_N_ELEMENTS (umasks); u++)
    {
      g_autofree char *dir = make_tmpdir ();
      g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
      g_autofree char *wal = sibling (path, "-wal");
      g_autofree char *shm = sibling (path, "-shm");
      g_autoptr(FrOutbox) outbox = NULL;
      g_autoptr(GBytes) envelope = NULL;
      g_autofree char *mode = NULL;
      char id[FR_UUID_STRING_LEN + 1];
      struct stat st;
      mode_t old_umask;
      sqlite3 *db;

      old_umask = umask (umasks[u]);
      outbox = open_outbox (path);
      new_id (id);
      envelope = fake_envelope (id, 500);
      enqueue_ok (outbox, id, envelope);
      umask (old_umask);

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpuint (st.st_mode & 07777, ==, 0600);
      g_assert_cmpint (g_stat (wal, &st), ==, 0);
      g_assert_cmpuint (st.st_mode & 07777, ==, 0600);
      g_assert_cmpint (g_stat (shm, &st), ==, 0);
      g_assert_cmpuint (st.st_mode & 07777, ==, 0600);

      /* Persistent settings, seen by a second connection while the outbox is open. */
      db = raw_open (path);
      mode = raw_query_text (db, "PRAGMA journal_mode");
      g_assert_cmpstr (mode, ==, "wal");
      g_assert_cmpint (raw_query_int (db, "PRAGMA user_version"), ==, 1);
      g_assert_cmpint (raw_query_int (db, "SELECT count(*) FROM outbox"), ==, 1);
      g_assert_cmpint (raw_query_int (db, "SELECT count(*) FROM meta"), ==, 0);
      g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

      g_clear_pointer (&outbox, fr_outbox_close);
      remove_tree (dir);
    }
}

static void
test_existing_file_mode_tightened (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(FrOutbox) outbox = NULL;
  struct stat st;

  /* An empty file left by an earlier install, readable by everyone. */
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  outbox = open_outbox (path);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 07777, ==, 0600);

  g_clear_pointer (&outbox, fr_outbox_close);
  remove_tree (dir);
}

/* synchronous=FULL and secure_delete=ON are settings of the outbox's own connection, which
 * a second connection cannot query; these tests observe their effects instead. */

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;
  gboolean      is_wal;
} CountFile;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs count_vfs;
static guint wal_syncs;

/* Which WAL operation fails (with an I/O error, as a full or failing disk would). */
typedef enum
{
  WAL_FAIL_NONE,
  WAL_FAIL_SYNC,
  WAL_FAIL_WRITE,
} WalFail;

static WalFail wal_fail;
static guint wal_failures;

#define REAL(f) (((CountFile *) (f))->real)

static int cf_close (sqlite3_file *f) { return REAL (f)->pMethods->xClose (REAL (f)); }
static int cf_read (sqlite3_file *f, void *b, int n, sqlite3_int64 o) { return REAL (f)->pMethods->xRead (REAL (f), b, n, o); }
static int cf_truncate (sqlite3_file *f, sqlite3_int64 s) { return REAL (f)->pMethods->xTruncate (REAL (f), s); }
static int cf_file_size (sqlite3_file *f, sqlite3_int64 *s) { return REAL (f)->pMethods->xFileSize (REAL (f), s); }
static int cf_lock (sqlite3_file *f, int l) { return REAL (f)->pMethods->xLock (REAL (f), l); }
static int cf_unlock (sqlite3_file *f, int l) { return REAL (f)->pMethods->xUnlock (REAL (f), l); }
static int cf_check_reserved (sqlite3_file *f, int *r) { return REAL (f)->pMethods->xCheckReservedLock (REAL (f), r); }
static int cf_file_control (sqlite3_file *f, int op, void *a) { return REAL (f)->pMethods->xFileControl (REAL (f), op, a); }
static int cf_sector_size (sqlite3_file *f) { return REAL (f)->pMethods->xSectorSize (REAL (f)); }
static int cf_device_chars (sqlite3_file *f) { return REAL (f)->pMethods->xDeviceCharacteristics (REAL (f)); }
static int cf_shm_map (sqlite3_file *f, int p, int s, int e, void volatile **m) { return REAL (f)->pMethods->xShmMap (REAL (f), p, s, e, m); }
static int cf_shm_lock (sqlite3_file *f, int o, int n, int fl) { return REAL (f)->pMethods->xShmLock (REAL (f), o, n, fl); }
static void cf_shm_barrier (sqlite3_file *f) { REAL (f)->pMethods->xShmBarrier (REAL (f)); }
static int cf_shm_unmap (sqlite3_file *f, int d) { return REAL (f)->pMethods->xShmUnmap (REAL (f), d); }

static int
cf_write (sqlite3_file  *f,
          const void    *b,
          int            n,
          sqlite3_int64  o)
{
  if (((CountFile *) f)->is_wal && wal_fail == WAL_FAIL_WRITE)
    {
      wal_failures++;
      return SQLITE_IOERR_WRITE;
    }
  return REAL (f)->pMethods->xWrite (REAL (f), b, n, o);
}

static int
cf_sync (sqlite3_file *f,
         int           flags)
{
  if (((CountFile *) f)->is_wal)
    {
      wal_syncs++;
      if (wal_fail == WAL_FAIL_SYNC)
        {
          wal_failures++;
          return SQLITE_IOERR_FSYNC;
        }
    }
  return REAL (f)->pMethods->xSync (REAL (f), flags);
}

static const sqlite3_io_methods count_methods = {
  .iVersion = 2,   /* no xFetch: memory-mapped I/O off */
  .xClose = cf_close, .xRead = cf_read, .xWrite = cf_write, .xTruncate = cf_truncate,
  .xSync = cf_sync, .xFileSize = cf_file_size, .xLock = cf_lock, .xUnlock = cf_unlock,
  .xCheckReservedLock = cf_check_reserved, .xFileControl = cf_file_control,
  .xSectorSize = cf_sector_size, .xDeviceCharacteristics = cf_device_chars,
  .xShmMap = cf_shm_map, .xShmLock = cf_shm_lock, .xShmBarrier = cf_shm_barrier,
  .xShmUnmap = cf_shm_unmap,
};

static int
cf_open (sqlite3_vfs  *vfs,
         const char   *name,
         sqlite3_file *file,
         int           flags,
         int          *out_flags)
{
  CountFile *cf = (CountFile *) file;
  int rc;

  cf->base.pMethods = NULL;
  cf->real = (sqlite3_file *) (cf + 1);
  cf->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  rc = real_vfs->xOpen (real_vfs, name, cf->real, flags, out_flags);
  if (rc == SQLITE_OK)
    cf->base.pMethods = &count_methods;
  return rc;
}

static void
count_vfs_install (void)
{
  real_vfs = sqlite3_vfs_find (NULL);
  g_assert_nonnull (real_vfs);
  count_vfs = *real_vfs;
  count_vfs.zName = "fristad-test-count";
  count_vfs.szOsFile = sizeof (CountFile) + real_vfs->szOsFile;
  count_vfs.xOpen = cf_open;
  g_assert_cmpint (sqlite3_vfs_register (&count_vfs, 1), ==, SQLITE_OK);
}

static void
count_vfs_remove (void)
{
  g_assert_cmpint (sqlite3_vfs_register (real_vfs, 1), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_vfs_unregister (&count_vfs), ==, SQLITE_OK);
}

static void
test_commit_syncs_wal (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(FrOutbox) outbox = NULL;

  count_vfs_install ();
  outbox = open_outbox (path);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GBytes) envelope = NULL;
      char id[FR_UUID_STRING_LEN + 1];

      new_id (id);
      envelope = fake_envelope (id, 300);
      wal_syncs = 0;
      enqueue_ok (outbox, id, envelope);
      /* synchronous=FULL: every commit syncs the WAL before enqueue returns (NORMAL
       * would sync it only at checkpoints). */
      g_assert_cmpuint (wal_syncs, >=, 1);
    }

  g_clear_pointer (&outbox, fr_outbox_close);
  count_vfs_remove ();
  remove_tree (dir);
}

/* The COMMIT of an enqueue fails on the WAL (its write, or its sync): enqueue must say
 * so, and the envelope must not be there, neither to this connection nor after a reopen.
 * Only then may the kiosk keep the record for another try instead of forgetting it. */
static void
test_failed_commit_reported (void)
{
  static const WalFail modes[] = { WAL_FAIL_SYNC, WAL_FAIL_WRITE };

  count_vfs_install ();

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autofree char *dir = make_tmpdir ();
      g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
      g_autoptr(FrOutbox) outbox = NULL;
      g_autoptr(GBytes) kept = NULL;
      g_autoptr(GBytes) lost = NULL;
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;
      char kept_id[FR_UUID_STRING_LEN + 1], lost_id[FR_UUID_STRING_LEN + 1];

      g_test_message ("WAL %s fails during COMMIT", modes[m] == WAL_FAIL_SYNC ? "sync" : "write");
      outbox = open_outbox (path);
      new_id (kept_id);
      new_id (lost_id);
      kept = fake_envelope (kept_id, 300);
      lost = fake_envelope (lost_id, 300);
      enqueue_ok (outbox, kept_id, kept);

      wal_fail = modes[m];
      wal_failures = 0;
      g_assert_false (fr_outbox_enqueue (outbox, lost_id, lost, &error));
      wal_fail = WAL_FAIL_NONE;
      g_assert_error (error, FR_ERROR, FR_ERROR_DATABASE);
      g_assert_nonnull (strstr (error->message, "commit"));
      g_assert_cmpuint (wal_failures, >=, 1);   /* the failure was the injected one */
      g_clear_error (&error);

      /* Absent on this connection ... */
      items = list_pending (outbox, G_MAXINT64, 0);
      g_assert_cmpuint (items->len, ==, 1);
      g_assert_cmpstr (((FrOutboxItem *) items->pdata[0])->id, ==, kept_id);
      g_clear_pointer (&items, g_ptr_array_unref);

      /* ... and on disk. */
      g_clear_pointer (&outbox, fr_outbox_close);
      outbox = open_outbox (path);
      items = list_pending (outbox, G_MAXINT64, 0);
      g_assert_cmpuint (items->len, ==, 1);
      g_assert_cmpstr (((FrOutboxItem *) items->pdata[0])->id, ==, kept_id);
      g_clear_pointer (&items, g_ptr_array_unref);

      /* The kiosk's retry then stores it. */
      enqueue_ok (outbox, lost_id, lost);
      items = list_pending (outbox, G_MAXINT64, 0);
      g_assert_cmpuint (items->len, ==, 2);
      g_clear_pointer (&items, g_ptr_array_unref);

      g_clear_pointer (&outbox, fr_outbox_close);
      remove_tree (dir);
    }

  count_vfs_remove ();
}

static void
test_delivered_bytes_erased (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autofree char *wal = sibling (path, "-wal");
  g_autoptr(FrOutbox) outbox = NULL;
  g_autoptr(GBytes) keep = NULL;
  g_autoptr(GBytes) gone = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  char keep_id[FR_UUID_STRING_LEN + 1], gone_id[FR_UUID_STRING_LEN + 1];
  guint8 marker[32];
  struct stat st;

  outbox = open_outbox (path);
  new_id (keep_id);
  new_id (gone_id);
  keep = fake_envelope (keep_id, 3000);
  gone = fake_envelope (gone_id, 3000);
  memcpy (marker, (const guint8 *) g_bytes_get_data (gone, NULL) + 1000, sizeof marker);
  enqueue_ok (outbox, keep_id, keep);
  enqueue_ok (outbox, gone_id, gone);

  /* Closing checkpoints: the envelopes are now in the database file itself. */
  g_clear_pointer (&outbox, fr_outbox_close);
  g_assert_false (file_exists (wal));
  g_assert_cmpuint (scan_tree (dir, marker, sizeof marker), ==, 1);
  outbox = open_outbox (path);

  /* One pending row left: deleted, and zeroed by secure_delete in the page images. */
  g_assert_true (fr_outbox_mark_delivered (outbox, gone_id, 1000, &error));
  g_assert_no_error (error);
  items = list_pending (outbox, G_MAXINT64, 0);
  g_assert_cmpuint (items->len, ==, 1);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* The outbox is now empty: the WAL is checkpointed and truncated, so neither the
   * database file nor the -wal holds the delivered envelope's bytes. */
  g_assert_true (fr_outbox_mark_delivered (outbox, keep_id, 1001, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 0);
  g_assert_cmpuint (scan_tree (dir, marker, sizeof marker), ==, 0);
  memcpy (marker, (const guint8 *) g_bytes_get_data (keep, NULL) + 1000, sizeof marker);
  g_assert_cmpuint (scan_tree (dir, marker, sizeof marker), ==, 0);

  g_clear_pointer (&outbox, fr_outbox_close);
  g_assert_cmpuint (scan_tree (dir, marker, sizeof marker), ==, 0);
  remove_tree (dir);
}

static void
test_enqueue_list_order (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(FrOutbox) outbox = NULL;
  g_autoptr(GPtrArray) envelopes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) items = NULL;
  char ids[5][FR_UUID_STRING_LEN + 1];
  gint64 before, after;

  outbox = open_outbox (path);
  items = list_pending (outbox, G_MAXINT64, 0);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);

  before = g_get_real_time () / G_USEC_PER_SEC;
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      new_id (ids[i]);
      g_ptr_array_add (envelopes, fake_envelope (ids[i], 100 + 37 * i));
      enqueue_ok (outbox, ids[i], g_ptr_array_index (envelopes, i));
    }
  after = g_get_real_time () / G_USEC_PER_SEC;

  /* Oldest first; new items are due at once. */
  items = list_pending (outbox, before, 0);
  g_assert_cmpuint (items->len, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < items->len; i++)
    {
      FrOutboxItem *item = item_at (items, i);

      g_assert_cmpstr (item->id, ==, ids[i]);
      g_assert_true (g_bytes_equal (item->envelope, g_ptr_array_index (envelopes, i)));
      g_assert_cmpint (item->enqueued_at, >=, before);
      g_assert_cmpint (item->enqueued_at, <=, after);
      g_assert_cmpint (item->enqueued_at, >=, item_at (items, i > 0 ? i - 1 : 0)->enqueued_at);
      g_assert_cmpuint (item->attempts, ==, 0);
      g_assert_cmpint (item->next_attempt, <=, before);
      g_assert_cmpint (item->state, ==, FR_OUTBOX_STATE_PENDING);
      g_assert_null (item->last_error);
    }
  g_clear_pointer (&items, g_ptr_array_unref);

  /* A limit takes the oldest. */
  items = list_pending (outbox, G_MAXINT64, 2);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (item_at (items, 0)->id, ==, ids[0]);
  g_assert_cmpstr (item_at (items, 1)->id, ==, ids[1]);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* Reopening changes nothing. */
  g_clear_pointer (&outbox, fr_outbox_close);
  outbox = open_outbox (path);
  items = list_pending (outbox, G_MAXINT64, 0);
  g_assert_cmpuint (items->len, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < items->len; i++)
    {
      g_assert_cmpstr (item_at (items, i)->id, ==, ids[i]);
      g_assert_true (g_bytes_equal (item_at (items, i)->envelope, g_ptr_array_index (envelopes, i)));
    }

  g_clear_pointer (&outbox, fr_outbox_close);
  remove_tree (dir);
}

static void
test_mark_delivered (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(FrOutbox) outbox = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  char a[FR_UUID_STRING_LEN + 1], b[FR_UUID_STRING_LEN + 1], unknown[FR_UUID_STRING_LEN + 1];
  FrOutboxStats stats;

  outbox = open_outbox (path);
  new_id (a);
  new_id (b);
  new_id (unknown);
  {
    g_autoptr(GBytes) ea = fake_envelope (a, 200);
    g_autoptr(GBytes) eb = fake_envelope (b, 200);

    enqueue_ok (outbox, a, ea);
    enqueue_ok (outbox, b, eb);
  }

  g_assert_true (fr_outbox_mark_delivered (outbox, a, 1700000000, &error));
  g_assert_no_error (error);
  items = list_pending (outbox, G_MAXINT64, 0);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (item_at (items, 0)->id, ==, b);
  g_clear_pointer (&items, g_ptr_array_unref);

  get_stats (outbox, &stats);
  g_assert_cmpuint (stats.pending, ==, 1);
  g_assert_cmpint (stats.last_delivery, ==, 1700000000);
  fr_outbox_stats_clear (&stats);

  /* Twice, unknown, malformed. */
  g_assert_false (fr_outbox_mark_delivered (outbox, a, 1700000001, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (fr_outbox_mark_delivered (outbox, unknown, 1700000001, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (fr_outbox_mark_delivered (outbox, "not-a-uuid", 1700000001, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
  g_clear_error (&error);

  /* Failed calls left everything as it was. */
  get_stats (outbox, &stats);
  g_assert_cmpuint (stats.pending, ==, 1);
  g_assert_cmpint (stats.last_delivery, ==, 1700000000);
  fr_outbox_stats_clear (&stats);

  g_clear_pointer (&outbox, fr_outbox_close);
  remove_tree (dir);
}

static void
test_record_failure (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(FrOutbox) outbox = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_text = NULL;
  char a[FR_UUID_STRING_LEN + 1], b[FR_UUID_STRING_LEN + 1], unknown[FR_UUID_STRING_LEN + 1];
  const gint64 now = 1800000000;
  FrOutboxStats stats;

  outbox = open_outbox (path);
  new_id (a);
  new_id (b);
  new_id (unknown);
  {
    g_autoptr(GBytes) ea = fake_envelope (a, 200);
    g_autoptr(GBytes) eb = fake_envelope (b, 200);

    enqueue_ok (outbox, a, ea);
    enqueue_ok (outbox, b, eb);
  }

  g_assert_true (fr_outbox_record_failure (outbox, a, now + 60, "HTTP 503 Service Unavailable", &error));
  g_assert_no_error (error);

  /* Not due before next_attempt, due from then on. */
  items = list_pending (outbox, now, 0);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (item_at (items, 0)->id, ==, b);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = list_pending (outbox, now + 59, 0);
  g_assert_cmpuint (items->len, ==, 1);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = list_pending (outbox, now + 60, 0);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (item_at (items, 0)->id, ==, a);
  g_assert_cmpuint (item_at (items, 0)->attempts, ==, 1);
  g_assert_cmpint (item_at (items, 0)->next_attempt, ==, now + 60);
  g_assert_cmpstr (item_at (items, 0)->last_error, ==, "HTTP 503 Service Unavailable");
  g_clear_pointer (&items, g_ptr_array_unref);

  get_stats (outbox, &stats);
  g_assert_cmpstr (stats.last_error, ==, "HTTP 503 Service Unavailable");
  g_assert_cmpuint (stats.pending, ==, 2);
  fr_outbox_stats_clear (&stats);
  g_assert_null (stats.last_error);

  /* A second failure counts up; the text is kept bounded and on one line. */
  long_text = g_strnfill (1000, 'x');
  long_text[3] = '\n';
  g_assert_true (fr_outbox_record_failure (outbox, a, now + 120, long_text, &error));
  g_assert_no_error (error);
  items = list_pending (outbox, now + 120, 1);
  g_assert_cmpuint (item_at (items, 0)->attempts, ==, 2);
  g_assert_cmpint (item_at (items, 0)->next_attempt, ==, now + 120);
  g_assert_cmpuint (strlen (item_at (items, 0)->last_error), <=, 256);
  g_assert_null (strchr (item_at (items, 0)->last_error, '\n'));
  g_clear_pointer (&items, g_ptr_array_unref);

  g_assert_false (fr_outbox_record_failure (outbox, unknown, now, "timeout", &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (fr_outbox_record_failure (outbox, "A", now, "timeout", &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
  g_clear_error (&error);

  /* A delivery clears the last error. */
  g_assert_true (fr_outbox_mark_delivered (outbox, b, now + 1, &error));
  g_assert_no_error (error);
  get_stats (outbox, &stats);
  g_assert_null (stats.last_error);
  g_assert_cmpuint (stats.pending, ==, 1);
  g_assert_cmpint (stats.last_delivery, ==, now + 1);
  fr_outbox_stats_clear (&stats);

  /* The failure count survives reopening. */
  g_clear_pointer (&outbox, fr_outbox_close);
  outbox = open_outbox (path);
  items = list_pending (outbox, G_MAXINT64, 0);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpuint (item_at (items, 0)->attempts, ==, 2);

  g_clear_pointer (&outbox, fr_outbox_close);
  remove_tree (dir);
}

static void
test_mark_dead (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(FrOutbox) outbox = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) dead_env = NULL;
  g_autoptr(GBytes) live_env = NULL;
  char dead[FR_UUID_STRING_LEN + 1], live[FR_UUID_STRING_LEN + 1], unknown[FR_UUID_STRING_LEN + 1];
  FrOutboxStats stats;

  outbox = open_outbox (path);
  new_id (dead);
  new_id (live);
  new_id (unknown);
  dead_env = fake_envelope (dead, 400);
  live_env = fake_envelope (live, 400);
  enqueue_ok (outbox, dead, dead_env);
  enqueue_ok (outbox, live, live_env);

  g_assert_true (fr_outbox_mark_dead (outbox, dead, "HTTP 403 Forbidden", &error));
  g_assert_no_error (error);
  g_assert_false (fr_outbox_mark_dead (outbox, unknown, "HTTP 403 Forbidden", &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Never pending again, whatever the time. */
  items = list_pending (outbox, G_MAXINT64, 0);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (item_at (items, 0)->id, ==, live);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* Delivery and failure bookkeeping do not apply to it, and do not remove it. */
  g_assert_false (fr_outbox_mark_delivered (outbox, dead, 1, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (fr_outbox_record_failure (outbox, dead, 1, "timeout", &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_NOT_FOUND);
  g_clear_error (&error);

  get_stats (outbox, &stats);
  g_assert_cmpuint (stats.pending, ==, 1);
  g_assert_cmpuint (stats.dead, ==, 1);
  g_assert_cmpstr (stats.last_error, ==, "HTTP 403 Forbidden");
  fr_outbox_stats_clear (&stats);

  /* Emptying the pending side (and its checkpoint) keeps the dead row. */
  g_assert_true (fr_outbox_mark_delivered (outbox, live, 5, &error));
  g_assert_no_error (error);

  /* Survives reopening, envelope intact; enqueuing it again changes nothing. */
  g_clear_pointer (&outbox, fr_outbox_close);
  outbox = open_outbox (path);
  enqueue_ok (outbox, dead, dead_env);
  items = list_dead (outbox);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (item_at (items, 0)->id, ==, dead);
  g_assert_cmpint (item_at (items, 0)->state, ==, FR_OUTBOX_STATE_DEAD);
  g_assert_cmpstr (item_at (items, 0)->last_error, ==, "HTTP 403 Forbidden");
  g_assert_true (g_bytes_equal (item_at (items, 0)->envelope, dead_env));
  g_clear_pointer (&items, g_ptr_array_unref);
  items = list_pending (outbox, G_MAXINT64, 0);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);

  get_stats (outbox, &stats);
  g_assert_cmpuint (stats.pending, ==, 0);
  g_assert_cmpuint (stats.dead, ==, 1);
  g_assert_cmpint (stats.oldest_pending, ==, 0);
  g_assert_cmpint (stats.last_delivery, ==, 5);
  fr_outbox_stats_clear (&stats);

  g_clear_pointer (&outbox, fr_outbox_close);
  remove_tree (dir);
}

static void
test_stats (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(FrOutbox) outbox = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  char ids[3][FR_UUID_STRING_LEN + 1];
  FrOutboxStats stats;

  outbox = open_outbox (path);
  get_stats (outbox, &stats);
  g_assert_cmpuint (stats.pending, ==, 0);
  g_assert_cmpuint (stats.dead, ==, 0);
  g_assert_cmpint (stats.last_delivery, ==, 0);
  g_assert_cmpint (stats.oldest_pending, ==, 0);
  g_assert_null (stats.last_error);
  fr_outbox_stats_clear (&stats);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GBytes) envelope = NULL;

      new_id (ids[i]);
      envelope = fake_envelope (ids[i], 64);
      enqueue_ok (outbox, ids[i], envelope);
    }
  g_assert_true (fr_outbox_mark_dead (outbox, ids[2], "HTTP 400 Bad Request", &error));
  g_assert_no_error (error);

  items = list_pending (outbox, G_MAXINT64, 0);
  get_stats (outbox, &stats);
  g_assert_cmpuint (stats.pending, ==, 2);
  g_assert_cmpuint (stats.dead, ==, 1);
  g_assert_cmpint (stats.oldest_pending, ==, MIN (item_at (items, 0)->enqueued_at,
                                                   item_at (items, 1)->enqueued_at));
  g_assert_cmpint (stats.last_delivery, ==, 0);
  g_assert_cmpstr (stats.last_error, ==, "HTTP 400 Bad Request");
  fr_outbox_stats_clear (&stats);
  g_assert_null (stats.last_error);
  g_assert_cmpuint (stats.pending, ==, 0);

  g_clear_pointer (&outbox, fr_outbox_close);
  remove_tree (dir);
}

static void
test_duplicate_id (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(FrOutbox) outbox = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) copy = NULL;
  g_autoptr(GBytes) other = NULL;
  char id[FR_UUID_STRING_LEN + 1];
  const gint64 now = 1900000000;

  outbox = open_outbox (path);
  new_id (id);
  first = fake_envelope (id, 700);
  copy = g_bytes_new (g_bytes_get_data (first, NULL), g_bytes_get_size (first));
  other = fake_envelope (id, 700);
  enqueue_ok (outbox, id, first);
  g_assert_true (fr_outbox_record_failure (outbox, id, now, "timeout", &error));
  g_assert_no_error (error);

  /* Identical bytes: success, and the row keeps its state. */
  enqueue_ok (outbox, id, copy);

  /* Different bytes under the same ID: refused, never replaced. */
  g_assert_false (fr_outbox_enqueue (outbox, id, other, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "record ID is already in the outbox"));
  g_clear_error (&error);

  items = list_pending (outbox, G_MAXINT64, 0);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (item_at (items, 0)->id, ==, id);
  g_assert_true (g_bytes_equal (item_at (items, 0)->envelope, first));
  g_assert_cmpuint (item_at (items, 0)->attempts, ==, 1);
  g_assert_cmpint (item_at (items, 0)->next_attempt, ==, now);
  g_assert_cmpstr (item_at (items, 0)->last_error, ==, "timeout");

  g_clear_pointer (&outbox, fr_outbox_close);
  remove_tree (dir);
}

static void
assert_refused (FrOutbox   *outbox,
                const char *id,
                GBytes     *envelope,
                int         code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (fr_outbox_enqueue (outbox, id, envelope, &error));
  g_assert_error (error, FR_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_null (strchr (error->message, '\n'));
}

static void
assert_empty (FrOutbox *outbox)
{
  FrOutboxStats stats;

  get_stats (outbox, &stats);
  g_assert_cmpuint (stats.pending, ==, 0);
  g_assert_cmpuint (stats.dead, ==, 0);
  fr_outbox_stats_clear (&stats);
}

static void
test_bad_id (void)
{
  static const char * const bad[] = {
    "",
    "not-a-uuid",
    "0F8C3C1A-6B1E-4D7A-9C2B-5E4F3A2B1C0D",      /* uppercase */
    "0f8c3c1a6b1e4d7a9c2b5e4f3a2b1c0d",          /* no dashes */
    "{0f8c3c1a-6b1e-4d7a-9c2b-5e4f3a2b1c0d}",
    "0f8c3c1a-6b1e-4d7a-9c2b-5e4f3a2b1c0",       /* short */
    "0f8c3c1a-6b1e-4d7a-9c2b-5e4f3a2b1c0dd",     /* long */
    "0f8c3c1a-6b1e-4d7a-9c2b-5e4f3a2b1c0g",
    "0f8c3c1a-6b1e-4d7a-9c2b-5e4f3a2b1c0d\n",
  };
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(FrOutbox) outbox = NULL;
  char good[FR_UUID_STRING_LEN + 1];

  outbox = open_outbox (path);
  new_id (good);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) envelope = fake_envelope (good, 200);

      assert_refused (outbox, bad[i], envelope, FR_ERROR_RECORD_INVALID);
    }
  assert_empty (outbox);

  g_clear_pointer (&outbox, fr_outbox_close);
  remove_tree (dir);
}

static void
test_not_envelope (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(FrOutbox) outbox = NULL;
  g_autoptr(GBytes) text = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(GBytes) magic_only = NULL;
  g_autoptr(GBytes) envelope = NULL;
  g_autoptr(GBytes) max = NULL;
  g_autoptr(GBytes) too_big = NULL;
  char id[FR_UUID_STRING_LEN + 1], other[FR_UUID_STRING_LEN + 1];
  const char *json = "{\"schema\":\"fristad.intake.v1\",\"answers\":{}}";
  guint8 *data;
  gsize len;

  outbox = open_outbox (path);
  new_id (id);
  new_id (other);

  /* Plaintext is never accepted. */
  text = g_bytes_new_static (json, strlen (json));
  assert_refused (outbox, id, text, FR_ERROR_BAD_MAGIC);
  empty = g_bytes_new_static ("", 0);
  assert_refused (outbox, id, empty, FR_ERROR_BAD_MAGIC);
  magic_only = g_bytes_new_static (FR_ENVELOPE_MAGIC, FR_ENVELOPE_MAGIC_SIZE);
  assert_refused (outbox, id, magic_only, FR_ERROR_TRUNCATED);

  /* Wrong magic, wrong version byte. */
  envelope = fake_envelope (id, 300);
  data = g_bytes_unref_to_data (g_steal_pointer (&envelope), &len);
  data[0] = 'X';
  envelope = g_bytes_new (data, len);
  assert_refused (outbox, id, envelope, FR_ERROR_BAD_MAGIC);
  g_clear_pointer (&envelope, g_bytes_unref);
  data[0] = 'F';
  data[FR_ENVELOPE_MAGIC_SIZE - 1] = 0x02;
  envelope = g_bytes_new (data, len);
  assert_refused (outbox, id, envelope, FR_ERROR_UNKNOWN_VERSION);
  g_clear_pointer (&envelope, g_bytes_unref);
  data[FR_ENVELOPE_MAGIC_SIZE - 1] = FR_ENVELOPE_VERSION;

  /* Filed under an ID that is not the envelope's record_id. */
  envelope = g_bytes_new_take (data, len);
  assert_refused (outbox, other, envelope, FR_ERROR_ID_MISMATCH);

  /* 8 MiB is the limit: exactly that is stored, one byte more is not. */
  too_big = fake_envelope (other, FR_ENVELOPE_MAX_SIZE + 1);
  assert_refused (outbox, other, too_big, FR_ERROR_TOO_LARGE);
  assert_empty (outbox);

  max = fake_envelope (other, FR_ENVELOPE_MAX_SIZE);
  enqueue_ok (outbox, other, max);
  enqueue_ok (outbox, id, envelope);
  {
    g_autoptr(GPtrArray) items = list_pending (outbox, G_MAXINT64, 0);

    g_assert_cmpuint (items->len, ==, 2);
    g_assert_true (g_bytes_equal (item_at (items, 0)->envelope, max));
  }

  g_clear_pointer (&outbox, fr_outbox_close);
  remove_tree (dir);
}

static void
assert_open_refused (const char *path,
                     const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrOutbox) outbox = fr_outbox_open (path, &error);

  g_assert_null (outbox);
  g_assert_error (error, FR_ERROR, FR_ERROR_DATABASE);
  if (strstr (error->message, message_part) == NULL)
    g_error ("\"%s\" does not say \"%s\"", error->message, message_part);
  g_assert_null (strchr (error->message, '\n'));
}

static void
assert_no_side_files (const char *path)
{
  static const char * const suffixes[] = { "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *side = sibling (path, suffixes[i]);

      g_assert_false (file_exists (side));
    }
}

static void
test_newer_schema (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(FrOutbox) outbox = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  char id[FR_UUID_STRING_LEN + 1];
  sqlite3 *db;

  outbox = open_outbox (path);
  new_id (id);
  {
    g_autoptr(GBytes) envelope = fake_envelope (id, 200);

    enqueue_ok (outbox, id, envelope);
  }
  g_clear_pointer (&outbox, fr_outbox_close);

  /* A later program version's outbox. */
  db = raw_open (path);
  raw_exec (db, "PRAGMA user_version = 2");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  assert_no_side_files (path);

  before = read_file_bytes (path);
  assert_open_refused (path, "outbox schema version 2 is newer than this program (1)");
  after = read_file_bytes (path);
  g_assert_true (g_bytes_equal (before, after));

  db = raw_open (path);
  g_assert_cmpint (raw_query_int (db, "PRAGMA user_version"), ==, 2);
  g_assert_cmpint (raw_query_int (db, "SELECT count(*) FROM outbox"), ==, 1);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  remove_tree (dir);
}

static void
test_garbage_file (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *big = g_build_filename (dir, "random.db", NULL);
  g_autofree char *small = g_build_filename (dir, "text.db", NULL);
  g_autofree char *foreign = g_build_filename (dir, "foreign.db", NULL);
  g_autofree char *missing_dir = g_build_filename (dir, "no-such-dir", "outbox.db", NULL);
  g_autofree char *other_app = g_build_filename (dir, "other-app.db", NULL);
  const char *files[] = { big, small, foreign, other_app };
  guint8 random_bytes[8192];
  sqlite3 *db;

  randombytes_buf (random_bytes, sizeof random_bytes);
  g_assert_true (g_file_set_contents (big, (const char *) random_bytes, sizeof random_bytes, NULL));
  g_assert_true (g_file_set_contents (small, "not a database\n", -1, NULL));
  g_assert_cmpint (sqlite3_open_v2 (foreign, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), ==, SQLITE_OK);
  raw_exec (db, "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('hello')");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  /* Another program's database, with a newer-looking user_version. */
  g_assert_cmpint (sqlite3_open_v2 (other_app, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), ==, SQLITE_OK);
  raw_exec (db, "PRAGMA application_id = 42; PRAGMA user_version = 7; CREATE TABLE outbox (x)");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GBytes) before = read_file_bytes (files[i]);
      g_autoptr(GBytes) after = NULL;
      struct stat st_before, st_after;

      g_assert_cmpint (g_stat (files[i], &st_before), ==, 0);
      assert_open_refused (files[i], i < 2 ? "is not an SQLite database" : "not an outbox");
      after = read_file_bytes (files[i]);
      g_assert_true (g_bytes_equal (before, after));
      g_assert_cmpint (g_stat (files[i], &st_after), ==, 0);
      g_assert_cmpuint (st_before.st_mode, ==, st_after.st_mode);
      assert_no_side_files (files[i]);
    }

  /* The caller's directory must exist; it is not created. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrOutbox) outbox = fr_outbox_open (missing_dir, &error);

    g_assert_null (outbox);
    g_assert_error (error, FR_ERROR, FR_ERROR_IO);
  }

  remove_tree (dir);
}

static void
test_two_handles (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autoptr(FrOutbox) kiosk = NULL;
  g_autoptr(FrOutbox) flusher = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GBytes) envelope = NULL;
  g_autoptr(GError) error = NULL;
  char id[FR_UUID_STRING_LEN + 1];
  FrOutboxStats stats;

  /* The kiosk and a `--flush` run may have the same file open. */
  kiosk = open_outbox (path);
  flusher = open_outbox (path);
  new_id (id);
  envelope = fake_envelope (id, 300);
  enqueue_ok (kiosk, id, envelope);

  items = list_pending (flusher, G_MAXINT64, 0);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_true (g_bytes_equal (item_at (items, 0)->envelope, envelope));
  g_assert_true (fr_outbox_mark_delivered (flusher, id, 77, &error));
  g_assert_no_error (error);

  get_stats (kiosk, &stats);
  g_assert_cmpuint (stats.pending, ==, 0);
  g_assert_cmpint (stats.last_delivery, ==, 77);
  fr_outbox_stats_clear (&stats);

  g_clear_pointer (&flusher, fr_outbox_close);
  g_clear_pointer (&kiosk, fr_outbox_close);
  remove_tree (dir);
}

static void
test_no_plaintext_at_rest (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *control_dir = make_tmpdir ();
  g_autofree char *control = g_build_filename (control_dir, "control", NULL);
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);
  g_autofree char *canary = make_canary ();
  g_autoptr(FrOutbox) outbox = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  Keys keys;

  keys_init (&keys);

  /* The scanner finds the canary where it is. */
  g_assert_true (g_file_set_contents (control, canary, -1, NULL));
  g_assert_cmpuint (scan_tree (control_dir, (const guint8 *) canary, strlen (canary)), ==, 1);
  remove_tree (control_dir);

  outbox = open_outbox (path);
  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(GBytes) envelope = NULL;
      char id[FR_UUID_STRING_LEN + 1];

      envelope = seal_canary_record (canary, keys.staff->recipient_pk, keys.kiosk, id, &error);
      g_assert_no_error (error);
      g_assert_nonnull (envelope);
      enqueue_ok (outbox, id, envelope);
      g_ptr_array_add (ids, g_strdup (id));
    }

  /* Everything the sender would do, with the outbox open and its -wal in use. */
  g_assert_true (fr_outbox_record_failure (outbox, g_ptr_array_index (ids, 0), 0, "HTTP 503", &error));
  g_assert_no_error (error);
  g_assert_true (fr_outbox_mark_dead (outbox, g_ptr_array_index (ids, 1), "HTTP 403", &error));
  g_assert_no_error (error);
  for (guint i = 2; i < 6; i++)
    {
      g_assert_true (fr_outbox_mark_delivered (outbox, g_ptr_array_index (ids, i), 1, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (scan_tree (dir, (const guint8 *) canary, strlen (canary)), ==, 0);

  /* The stored envelopes do carry the record: it is encrypted, not missing. */
  items = list_pending (outbox, G_MAXINT64, 0);
  g_assert_cmpuint (items->len, ==, 7);
  for (guint i = 0; i < items->len; i++)
    assert_envelope_opens (item_at (items, i)->envelope, item_at (items, i)->id, &keys, canary);

  g_clear_pointer (&outbox, fr_outbox_close);
  g_assert_cmpuint (scan_tree (dir, (const guint8 *) canary, strlen (canary)), ==, 0);

  keys_clear (&keys);
  remove_tree (dir);
}

static void
test_no_plaintext_when_killed (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);

  run_kill_rounds (dir, path, 20);
  remove_tree (dir);
}

static void
test_crash_safety (void)
{
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "outbox.db", NULL);

  run_kill_rounds (dir, path, 200);
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  if (argc >= 2 && strcmp (argv[1], CHILD_ARG) == 0)
    return child_main (argc, argv);

  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());
  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_assert_nonnull (self_exe);

  g_test_add_func ("/outbox/file-mode-and-pragmas", test_file_and_pragmas);
  g_test_add_func ("/outbox/existing-file-mode-tightened", test_existing_file_mode_tightened);
  g_test_add_func ("/outbox/commit-syncs-wal", test_commit_syncs_wal);
  g_test_add_func ("/outbox/failed-commit-reported", test_failed_commit_reported);
  g_test_add_func ("/outbox/delivered-bytes-erased", test_delivered_bytes_erased);
  g_test_add_func ("/outbox/enqueue-list-order", test_enqueue_list_order);
  g_test_add_func ("/outbox/mark-delivered", test_mark_delivered);
  g_test_add_func ("/outbox/record-failure", test_record_failure);
  g_test_add_func ("/outbox/mark-dead", test_mark_dead);
  g_test_add_func ("/outbox/stats", test_stats);
  g_test_add_func ("/outbox/duplicate-id", test_duplicate_id);
  g_test_add_func ("/outbox/bad-id", test_bad_id);
  g_test_add_func ("/outbox/not-envelope", test_not_envelope);
  g_test_add_func ("/outbox/newer-schema", test_newer_schema);
  g_test_add_func ("/outbox/garbage-file", test_garbage_file);
  g_test_add_func ("/outbox/two-handles", test_two_handles);
  g_test_add_func ("/outbox/no-plaintext-at-rest", test_no_plaintext_at_rest);
  g_test_add_func ("/outbox/no-plaintext-when-killed", test_no_plaintext_when_killed);
  g_test_add_func ("/outbox/crash-safety", test_crash_safety);

  return g_test_run ();
}
