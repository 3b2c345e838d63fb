#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fr-envelope.h"
#include "fr-error.h"
#include "fr-outbox.h"

/* The schema and the guarantees are written down in intake/OUTBOX.md. */

#define OUTBOX_SCHEMA_VERSION  1
#define OUTBOX_APPLICATION_ID  0x46525354   /* "FRST" */
#define OUTBOX_BUSY_TIMEOUT_MS 5000
#define OUTBOX_ERROR_TEXT_MAX  256          /* bytes kept of a transport error text */

#define META_LAST_DELIVERY "last_delivery"
#define META_LAST_ERROR    "last_error"

typedef enum
{
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_SELECT_ENVELOPE,
  STMT_INSERT,
  STMT_LIST_PENDING,
  STMT_LIST_DEAD,
  STMT_DELETE_PENDING,
  STMT_COUNT_PENDING,
  STMT_RECORD_FAILURE,
  STMT_MARK_DEAD,
  STMT_META_SET,
  STMT_META_DELETE,
  STMT_STATS,
  STMT_CHECKPOINT,
  N_STMTS
} OutboxStmt;

static const char * const stmt_sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_SELECT_ENVELOPE] = "SELECT envelope FROM outbox WHERE id = ?1",
  [STMT_INSERT] =
    "INSERT INTO outbox (id, envelope, enqueued_at, attempts, next_attempt, state, last_error)"
    " VALUES (?1, ?2, ?3, 0, 0, 0, NULL)",
  [STMT_LIST_PENDING] =
    "SELECT id, envelope, enqueued_at, attempts, next_attempt, state, last_error FROM outbox"
    " WHERE state = 0 AND next_attempt <= ?1 ORDER BY enqueued_at, rowid LIMIT ?2",
  [STMT_LIST_DEAD] =
    "SELECT id, envelope, enqueued_at, attempts, next_attempt, state, last_error FROM outbox"
    " WHERE state = 1 ORDER BY enqueued_at, rowid",
  [STMT_DELETE_PENDING] = "DELETE FROM outbox WHERE id = ?1 AND state = 0",
  [STMT_COUNT_PENDING] = "SELECT count(*) FROM outbox WHERE state = 0",
  [STMT_RECORD_FAILURE] =
    "UPDATE outbox SET attempts = attempts + 1, next_attempt = ?2, last_error = ?3"
    " WHERE id = ?1 AND state = 0",
  [STMT_MARK_DEAD] = "UPDATE outbox SET state = 1, last_error = ?2 WHERE id = ?1",
  [STMT_META_SET] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
  [STMT_META_DELETE] = "DELETE FROM meta WHERE key = ?1",
  [STMT_STATS] =
    "SELECT (SELECT count(*) FROM outbox WHERE state = 0),"
    " (SELECT count(*) FROM outbox WHERE state = 1),"
    " (SELECT value FROM meta WHERE key = '" META_LAST_DELIVERY "'),"
    " (SELECT min(enqueued_at) FROM outbox WHERE state = 0),"
    " (SELECT value FROM meta WHERE key = '" META_LAST_ERROR "')",
  [STMT_CHECKPOINT] = "PRAGMA wal_checkpoint(TRUNCATE)",
};

/* Schema v1, created in one transaction together with user_version. */
static const char * const schema_v1[] = {
  "CREATE TABLE outbox ("
  " id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),"
  " envelope BLOB NOT NULL,"
  " enqueued_at INTEGER NOT NULL,"
  " attempts INTEGER NOT NULL DEFAULT 0,"
  " next_attempt INTEGER NOT NULL DEFAULT 0,"
  " state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1)),"
  " last_error TEXT)",
  "CREATE INDEX outbox_by_state ON outbox (state, enqueued_at)",
  "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value)",
  "PRAGMA application_id = 1179800404",   /* OUTBOX_APPLICATION_ID */
  "PRAGMA user_version = 1",              /* OUTBOX_SCHEMA_VERSION */
};

G_STATIC_ASSERT (OUTBOX_APPLICATION_ID == 1179800404);
G_STATIC_ASSERT (OUTBOX_SCHEMA_VERSION == 1);

struct _FrOutbox
{
  sqlite3      *db;
  char         *path;
  sqlite3_stmt *stmts[N_STMTS];
};

static void
set_db_error (sqlite3     *db,
              GError     **error,
              const char  *operation)
{
  g_set_error (error, FR_ERROR, FR_ERROR_DATABASE, "outbox: %s failed: %s (SQLite code %d)",
               operation,
               db != NULL ? sqlite3_errmsg (db) : "out of memory",
               db != NULL ? sqlite3_extended_errcode (db) : SQLITE_NOMEM);
}

/* Runs a statement that is not cached (set-up only) to completion. When @out_text or
 * @out_int are given, the first column of the first row is returned through them. */
static gboolean
exec_once (sqlite3     *db,
           const char  *sql,
           const char  *operation,
           char       **out_text,
           gint64      *out_int,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean first = TRUE;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (db, error, operation);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (first && out_text != NULL)
        *out_text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (first && out_int != NULL)
        *out_int = sqlite3_column_int64 (stmt, 0);
      first = FALSE;
    }

  if (rc != SQLITE_DONE)
    {
      set_db_error (db, error, operation);
      sqlite3_finalize (stmt);
      if (out_text != NULL)
        g_clear_pointer (out_text, g_free);
      return FALSE;
    }

  sqlite3_finalize (stmt);
  return TRUE;
}

static sqlite3_stmt *
get_stmt (FrOutbox   *outbox,
          OutboxStmt  which)
{
  sqlite3_stmt *stmt = outbox->stmts[which];

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

static void
release_stmt (sqlite3_stmt *stmt)
{
  /* Ends the statement's read so it holds no snapshot and pins no pages. */
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/* @rc is the bitwise OR of the sqlite3_bind_*() results for @stmt: zero only if every
 * one of them succeeded. */
static gboolean
bind_ok (FrOutbox      *outbox,
         sqlite3_stmt  *stmt,
         int            rc,
         const char    *operation,
         GError       **error)
{
  if (rc == SQLITE_OK)
    return TRUE;
  set_db_error (outbox->db, error, operation);
  release_stmt (stmt);
  return FALSE;
}

/* Steps a statement that returns no rows; resets it afterwards. */
static gboolean
step_done (FrOutbox      *outbox,
           sqlite3_stmt  *stmt,
           const char    *operation,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  while (rc == SQLITE_ROW)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (outbox->db, error, operation);
      release_stmt (stmt);
      return FALSE;
    }
  release_stmt (stmt);
  return TRUE;
}

static gboolean
tx_begin (FrOutbox    *outbox,
          const char  *operation,
          GError     **error)
{
  return step_done (outbox, get_stmt (outbox, STMT_BEGIN), operation, error);
}

static void
tx_rollback (FrOutbox *outbox)
{
  /* A failed statement may already have rolled the transaction back. */
  if (sqlite3_get_autocommit (outbox->db))
    return;
  if (sqlite3_step (get_stmt (outbox, STMT_ROLLBACK)) != SQLITE_DONE)
    g_warning ("outbox: rollback failed: %s", sqlite3_errmsg (outbox->db));
  release_stmt (outbox->stmts[STMT_ROLLBACK]);
}

static gboolean
tx_commit (FrOutbox    *outbox,
           const char  *operation,
           GError     **error)
{
  if (!step_done (outbox, get_stmt (outbox, STMT_COMMIT), operation, error))
    {
      tx_rollback (outbox);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_id (const char  *id,
          GError     **error)
{
  guint8 raw[FR_RECORD_ID_SIZE];

  if (strlen (id) != FR_UUID_STRING_LEN || !fr_uuid_parse (id, raw))
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_RECORD_INVALID,
                           "outbox: record ID is not a lowercase UUID");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_envelope (const char  *id,
                GBytes      *envelope,
                GError     **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (envelope, &len);
  guint8 raw_id[FR_RECORD_ID_SIZE];

  if (len < FR_ENVELOPE_MAGIC_SIZE
      || memcmp (data, FR_ENVELOPE_MAGIC, FR_ENVELOPE_MAGIC_SIZE - 1) != 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_BAD_MAGIC,
                           "outbox: data is not an envelope (no FRSTENV magic)");
      return FALSE;
    }
  if (data[FR_ENVELOPE_MAGIC_SIZE - 1] != FR_ENVELOPE_VERSION)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_UNKNOWN_VERSION,
                   "outbox: envelope format version %u is not supported",
                   data[FR_ENVELOPE_MAGIC_SIZE - 1]);
      return FALSE;
    }
  if (len > FR_ENVELOPE_MAX_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TOO_LARGE,
                   "outbox: envelope of %" G_GSIZE_FORMAT " bytes is over the %u-byte limit",
                   len, FR_ENVELOPE_MAX_SIZE);
      return FALSE;
    }
  if (len < FR_ENVELOPE_FIXED_SIZE)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_TRUNCATED,
                           "outbox: envelope ends inside its fixed header");
      return FALSE;
    }

  /* magic 8 | kiosk_kid 8 | record_id 16: the row is filed under the envelope's own id */
  if (!fr_uuid_parse (id, raw_id)
      || memcmp (data + FR_ENVELOPE_MAGIC_SIZE + FR_KID_SIZE, raw_id, FR_RECORD_ID_SIZE) != 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_ID_MISMATCH,
                           "outbox: record ID is not the envelope's record_id");
      return FALSE;
    }
  return TRUE;
}

/* Creates the file with mode 0600 (SQLite gives the -wal and -shm files the database
 * file's mode) and refuses anything that is not a regular file. Returns whether the file
 * existed; an existing file is not modified here. */
static gboolean
prepare_file (const char  *path,
              gboolean    *out_existed,
              mode_t      *out_mode,
              GError     **error)
{
  struct stat st;
  gboolean existed = FALSE;
  int saved_errno;
  int fd;

  fd = open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, S_IRUSR | S_IWUSR);
  if (fd < 0 && errno == EEXIST)
    {
      existed = TRUE;
      fd = open (path, O_RDWR | O_CLOEXEC | O_NOCTTY);
    }
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "outbox: cannot open %s: %s",
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  if (fstat (fd, &st) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "outbox: cannot stat %s: %s",
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "outbox: %s is not a regular file", path);
      return FALSE;
    }
  /* The umask may have taken bits away, never added any; make it exactly 0600. */
  if (!existed && fchmod (fd, S_IRUSR | S_IWUSR) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "outbox: cannot set the mode of %s: %s",
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  /* Closed before SQLite opens the file: closing another descriptor of a file would drop
   * SQLite's POSIX locks on it. */
  close (fd);
  *out_existed = existed;
  *out_mode = existed ? st.st_mode : (S_IFREG | S_IRUSR | S_IWUSR);
  return TRUE;
}

/* Existing files from an older install may be readable by others; the database, its
 * -wal and -shm files are narrowed to 0600. Only called once the file is known to be an
 * outbox. */
static gboolean
tighten_mode (const char  *path,
              GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      struct stat st;
      int saved_errno;

      if (g_stat (file, &st) != 0)
        continue;
      if ((st.st_mode & 0177) == 0)
        continue;
      if (g_chmod (file, S_IRUSR | S_IWUSR) != 0)
        {
          saved_errno = errno;
          g_set_error (error, FR_ERROR, FR_ERROR_IO, "outbox: cannot set the mode of %s: %s",
                       file, g_strerror (saved_errno));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_pragma_int (sqlite3     *db,
                  const char  *sql,
                  gint64       expected,
                  const char  *name,
                  GError     **error)
{
  gint64 value = -1;

  if (!exec_once (db, sql, name, NULL, &value, error))
    return FALSE;
  if (value != expected)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_DATABASE,
                   "outbox: %s is %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT,
                   name, value, expected);
      return FALSE;
    }
  return TRUE;
}

static gboolean
configure_connection (sqlite3     *db,
                      GError     **error)
{
  /* Connection settings: these write nothing to the file. */
  if (!exec_once (db, "PRAGMA trusted_schema = OFF", "setting trusted_schema", NULL, NULL, error)
      || !exec_once (db, "PRAGMA secure_delete = ON", "setting secure_delete", NULL, NULL, error)
      || !exec_once (db, "PRAGMA synchronous = FULL", "setting synchronous", NULL, NULL, error))
    return FALSE;

  return check_pragma_int (db, "PRAGMA secure_delete", 1, "secure_delete", error)
         && check_pragma_int (db, "PRAGMA synchronous", 2, "synchronous", error);
}

static gboolean
read_schema_state (sqlite3     *db,
                   gint64      *out_version,
                   gint64      *out_app_id,
                   gint64      *out_n_objects,
                   GError     **error)
{
  /* The first statement to read the file: a file that is not a database fails here
   * with SQLITE_NOTADB, before anything has been written to it. */
  if (!exec_once (db, "PRAGMA user_version", "reading the schema version", NULL, out_version, error))
    return FALSE;
  if (!exec_once (db, "PRAGMA application_id", "reading the application id", NULL, out_app_id, error))
    return FALSE;
  return exec_once (db, "SELECT count(*) FROM sqlite_schema", "reading the schema",
                    NULL, out_n_objects, error);
}

static gboolean
check_schema_state (const char  *path,
                    gint64       version,
                    gint64       app_id,
                    gint64       n_objects,
                    GError     **error)
{
  if (app_id != 0 && app_id != OUTBOX_APPLICATION_ID)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_DATABASE,
                   "outbox: %s is an SQLite database but not an outbox", path);
      return FALSE;
    }
  if (version > OUTBOX_SCHEMA_VERSION)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_DATABASE,
                   "outbox schema version %" G_GINT64_FORMAT " is newer than this program (%d)",
                   version, OUTBOX_SCHEMA_VERSION);
      return FALSE;
    }
  if (version < 0
      || (version == 0 && (n_objects != 0 || app_id != 0))
      || (version > 0 && app_id != OUTBOX_APPLICATION_ID))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_DATABASE,
                   "outbox: %s is an SQLite database but not an outbox", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_wal_mode (sqlite3     *db,
              GError     **error)
{
  g_autofree char *mode = NULL;

  if (!exec_once (db, "PRAGMA journal_mode = WAL", "setting journal_mode", &mode, NULL, error))
    return FALSE;
  if (g_strcmp0 (mode, "wal") != 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_DATABASE,
                   "outbox: journal_mode is %s, not wal", mode != NULL ? mode : "unknown");
      return FALSE;
    }
  return TRUE;
}

static gboolean
create_schema (sqlite3     *db,
               const char  *path,
               GError     **error)
{
  gint64 version = -1, app_id = -1, n_objects = -1;

  if (!exec_once (db, "BEGIN IMMEDIATE", "starting the schema transaction", NULL, NULL, error))
    return FALSE;

  /* Another process may have created the schema since we looked. */
  if (!read_schema_state (db, &version, &app_id, &n_objects, error)
      || !check_schema_state (path, version, app_id, n_objects, error))
    goto fail;

  if (version == 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (schema_v1); i++)
        if (!exec_once (db, schema_v1[i], "creating the schema", NULL, NULL, error))
          goto fail;
    }

  if (!exec_once (db, "COMMIT", "committing the schema", NULL, NULL, error))
    goto fail;
  return TRUE;

fail:
  if (!sqlite3_get_autocommit (db))
    exec_once (db, "ROLLBACK", "rolling back the schema", NULL, NULL, NULL);
  return FALSE;
}

/**
 * fr_outbox_open:
 * @path: the database file; its directory must exist
 * @error: return location for a #GError
 *
 * Opens (creating if needed, mode 0600) the outbox at @path. Refuses a file that is not
 * an SQLite database, an SQLite database that is not an outbox, and an outbox whose
 * schema is newer than this program, without changing the file. Opening never alters
 * existing rows.
 *
 * The returned handle uses an SQLite connection without its own mutex: use it from one
 * thread at a time. Several handles, also in several processes, may share one file.
 *
 * Returns: (transfer full): the outbox, or %NULL with @error set
 */
FrOutbox *
fr_outbox_open (const char  *path,
                GError     **error)
{
  g_autoptr(FrOutbox) outbox = NULL;
  gint64 version = -1, app_id = -1, n_objects = -1;
  gboolean existed = FALSE;
  mode_t mode = 0;
  int flags;
  int rc;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!prepare_file (path, &existed, &mode, error))
    return NULL;

  outbox = g_new0 (FrOutbox, 1);
  outbox->path = g_strdup (path);

  flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
#ifdef SQLITE_OPEN_EXRESCODE
  flags |= SQLITE_OPEN_EXRESCODE;
#endif
  rc = sqlite3_open_v2 (path, &outbox->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_DATABASE, "outbox: cannot open %s: %s",
                   path, outbox->db != NULL ? sqlite3_errmsg (outbox->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (outbox->db, 1);

  if (sqlite3_busy_timeout (outbox->db, OUTBOX_BUSY_TIMEOUT_MS) != SQLITE_OK)
    {
      set_db_error (outbox->db, error, "setting busy_timeout");
      return NULL;
    }

  if (!read_schema_state (outbox->db, &version, &app_id, &n_objects, error))
    {
      if ((sqlite3_errcode (outbox->db) & 0xff) == SQLITE_NOTADB)
        {
          g_clear_error (error);
          g_set_error (error, FR_ERROR, FR_ERROR_DATABASE,
                       "outbox: %s is not an SQLite database", path);
        }
      return NULL;
    }
  if (!check_schema_state (path, version, app_id, n_objects, error))
    return NULL;

  if (!configure_connection (outbox->db, error))
    return NULL;

  /* From here on the file is ours to write. */
  if (existed && (mode & 0177) != 0 && !tighten_mode (path, error))
    return NULL;
  if (!set_wal_mode (outbox->db, error))
    return NULL;
  if (version < OUTBOX_SCHEMA_VERSION && !create_schema (outbox->db, path, error))
    return NULL;

  for (guint i = 0; i < N_STMTS; i++)
    {
      if (sqlite3_prepare_v3 (outbox->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                              &outbox->stmts[i], NULL) != SQLITE_OK)
        {
          set_db_error (outbox->db, error, "preparing statements");
          return NULL;
        }
    }

  return g_steal_pointer (&outbox);
}

/**
 * fr_outbox_close:
 * @outbox: (nullable): an outbox
 *
 * Closes the outbox. Everything enqueued is already durable; closing only finalises
 * statements and lets SQLite checkpoint and remove the -wal file if it is the last
 * connection.
 */
void
fr_outbox_close (FrOutbox *outbox)
{
  if (outbox == NULL)
    return;

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&outbox->stmts[i], sqlite3_finalize);
  if (outbox->db != NULL && sqlite3_close (outbox->db) != SQLITE_OK)
    {
      g_warning ("outbox: close failed: %s", sqlite3_errmsg (outbox->db));
      sqlite3_close_v2 (outbox->db);
    }
  g_free (outbox->path);
  g_free (outbox);
}

/**
 * fr_outbox_enqueue:
 * @outbox: an outbox
 * @id: the record ID (lowercase UUID), which must be the envelope's record_id
 * @envelope: a sealed envelope (Envelope v1, at most 8 MiB)
 * @error: return location for a #GError
 *
 * Stores @envelope as pending. When this returns %TRUE the row is committed with
 * synchronous=FULL. Enqueuing an ID that is already there succeeds without any change
 * if the bytes are identical and fails otherwise: a stored envelope is never replaced.
 *
 * Returns: %TRUE once the envelope is durably enqueued
 */
gboolean
fr_outbox_enqueue (FrOutbox    *outbox,
                   const char  *id,
                   GBytes      *envelope,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  gsize len = 0;
  const guint8 *data;
  int rc;

  g_return_val_if_fail (outbox != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (envelope != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_id (id, error) || !check_envelope (id, envelope, error))
    return FALSE;
  data = g_bytes_get_data (envelope, &len);

  if (!tx_begin (outbox, "enqueue (begin)", error))
    return FALSE;

  stmt = get_stmt (outbox, STMT_SELECT_ENVELOPE);
  if (!bind_ok (outbox, stmt, sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC),
                "enqueue (lookup)", error))
    {
      tx_rollback (outbox);
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const void *stored = sqlite3_column_blob (stmt, 0);
      gsize stored_len = (gsize) sqlite3_column_bytes (stmt, 0);
      gboolean same = stored_len == len && stored != NULL && memcmp (stored, data, len) == 0;

      release_stmt (stmt);
      tx_rollback (outbox);
      if (!same)
        {
          g_set_error_literal (error, FR_ERROR, FR_ERROR_DATABASE,
                               "outbox: record ID is already in the outbox");
          return FALSE;
        }
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (outbox->db, error, "enqueue (lookup)");
      release_stmt (stmt);
      tx_rollback (outbox);
      return FALSE;
    }
  release_stmt (stmt);

  stmt = get_stmt (outbox, STMT_INSERT);
  if (!bind_ok (outbox, stmt,
                sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC)
                | sqlite3_bind_blob64 (stmt, 2, data, len, SQLITE_STATIC)
                | sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC),
                "enqueue (insert)", error)
      || !step_done (outbox, stmt, "enqueue (insert)", error))
    {
      tx_rollback (outbox);
      return FALSE;
    }

  return tx_commit (outbox, "enqueue (commit)", error);
}

static FrOutboxItem *
item_from_row (sqlite3_stmt *stmt)
{
  FrOutboxItem *item = g_new0 (FrOutboxItem, 1);
  const char *id = (const char *) sqlite3_column_text (stmt, 0);
  const void *blob = sqlite3_column_blob (stmt, 1);
  gsize blob_len = (gsize) sqlite3_column_bytes (stmt, 1);
  const char *last_error = (const char *) sqlite3_column_text (stmt, 6);

  g_strlcpy (item->id, id != NULL ? id : "", sizeof item->id);
  item->envelope = g_bytes_new (blob_len > 0 ? blob : NULL, blob_len);
  item->enqueued_at = sqlite3_column_int64 (stmt, 2);
  item->attempts = (guint) CLAMP (sqlite3_column_int64 (stmt, 3), 0, G_MAXUINT);
  item->next_attempt = sqlite3_column_int64 (stmt, 4);
  item->state = sqlite3_column_int (stmt, 5) == 1 ? FR_OUTBOX_STATE_DEAD : FR_OUTBOX_STATE_PENDING;
  item->last_error = g_strdup (last_error);
  return item;
}

static GPtrArray *
collect_items (FrOutbox      *outbox,
               sqlite3_stmt  *stmt,
               const char    *operation,
               GError       **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fr_outbox_item_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, item_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      set_db_error (outbox->db, error, operation);
      release_stmt (stmt);
      return NULL;
    }
  release_stmt (stmt);
  return g_steal_pointer (&items);
}

/**
 * fr_outbox_list_pending:
 * @outbox: an outbox
 * @now: Unix seconds
 * @limit: the most items to return, 0 for no limit
 * @error: return location for a #GError
 *
 * Lists pending items whose next attempt is due at @now, oldest first. Each item holds
 * its envelope: use @limit to bound memory.
 *
 * Returns: (transfer full) (element-type FrOutboxItem): the items, or %NULL with @error set
 */
GPtrArray *
fr_outbox_list_pending (FrOutbox  *outbox,
                        gint64     now,
                        guint      limit,
                        GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (outbox != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = get_stmt (outbox, STMT_LIST_PENDING);
  if (!bind_ok (outbox, stmt,
                sqlite3_bind_int64 (stmt, 1, now)
                | sqlite3_bind_int64 (stmt, 2, limit == 0 ? -1 : (gint64) limit),
                "listing pending records", error))
    return NULL;
  return collect_items (outbox, stmt, "listing pending records", error);
}

/**
 * fr_outbox_list_dead:
 * @outbox: an outbox
 * @error: return location for a #GError
 *
 * Lists the dead-lettered items (refused permanently by the queue), oldest first.
 *
 * Returns: (transfer full) (element-type FrOutboxItem): the items, or %NULL with @error set
 */
GPtrArray *
fr_outbox_list_dead (FrOutbox  *outbox,
                     GError   **error)
{
  g_return_val_if_fail (outbox != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return collect_items (outbox, get_stmt (outbox, STMT_LIST_DEAD), "listing dead records", error);
}

static gboolean
meta_set_int (FrOutbox    *outbox,
              const char  *key,
              gint64       value,
              const char  *operation,
              GError     **error)
{
  sqlite3_stmt *stmt = get_stmt (outbox, STMT_META_SET);

  return bind_ok (outbox, stmt,
                  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC)
                  | sqlite3_bind_int64 (stmt, 2, value),
                  operation, error)
         && step_done (outbox, stmt, operation, error);
}

static gboolean
meta_set_text (FrOutbox    *outbox,
               const char  *key,
               const char  *value,
               const char  *operation,
               GError     **error)
{
  sqlite3_stmt *stmt = get_stmt (outbox, STMT_META_SET);

  return bind_ok (outbox, stmt,
                  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC)
                  | sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC),
                  operation, error)
         && step_done (outbox, stmt, operation, error);
}

static gboolean
meta_delete (FrOutbox    *outbox,
             const char  *key,
             const char  *operation,
             GError     **error)
{
  sqlite3_stmt *stmt = get_stmt (outbox, STMT_META_DELETE);

  return bind_ok (outbox, stmt, sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC),
                  operation, error)
         && step_done (outbox, stmt, operation, error);
}

/* Checkpoints the WAL into the database file and truncates it to zero bytes, so the
 * pages that held deleted envelopes do not linger in the -wal file. A checkpoint that
 * cannot complete (another connection is reading) is not an error: the rows are
 * already deleted and zeroed, and a later checkpoint finishes the job. */
static void
checkpoint_if_idle (FrOutbox *outbox)
{
  sqlite3_stmt *stmt = get_stmt (outbox, STMT_COUNT_PENDING);
  gint64 pending = -1;
  int rc;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    pending = sqlite3_column_int64 (stmt, 0);
  release_stmt (stmt);
  if (pending != 0)
    return;

  stmt = get_stmt (outbox, STMT_CHECKPOINT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0)
    g_debug ("outbox: WAL checkpoint could not complete (busy)");
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    g_debug ("outbox: WAL checkpoint failed: %s", sqlite3_errmsg (outbox->db));
  release_stmt (stmt);
}

/**
 * fr_outbox_mark_delivered:
 * @outbox: an outbox
 * @id: the record ID of a pending item
 * @now: Unix seconds, stored as the time of the last delivery
 * @error: return location for a #GError
 *
 * Deletes the delivered item (secure_delete zeroes its pages) and clears the last error.
 * When no pending item remains, the WAL is checkpointed and truncated.
 *
 * Returns: %TRUE on success; %FR_ERROR_NOT_FOUND if no pending item has @id
 */
gboolean
fr_outbox_mark_delivered (FrOutbox    *outbox,
                          const char  *id,
                          gint64       now,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (outbox != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_id (id, error))
    return FALSE;
  if (!tx_begin (outbox, "mark delivered (begin)", error))
    return FALSE;

  stmt = get_stmt (outbox, STMT_DELETE_PENDING);
  if (!bind_ok (outbox, stmt, sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC),
                "mark delivered (delete)", error)
      || !step_done (outbox, stmt, "mark delivered (delete)", error))
    goto fail;
  if (sqlite3_changes (outbox->db) == 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_NOT_FOUND,
                           "outbox: no pending record with this ID");
      goto fail;
    }
  if (!meta_set_int (outbox, META_LAST_DELIVERY, now, "mark delivered (last delivery)", error)
      || !meta_delete (outbox, META_LAST_ERROR, "mark delivered (last error)", error)
      || !tx_commit (outbox, "mark delivered (commit)", error))
    goto fail;

  checkpoint_if_idle (outbox);
  return TRUE;

fail:
  tx_rollback (outbox);
  return FALSE;
}

/* Transport and HTTP status texts only; bounded, valid UTF-8, one line. */
static char *
clean_error_text (const char *text)
{
  g_autofree char *valid = NULL;
  const char *end;
  char *out;

  valid = g_utf8_make_valid (text != NULL && *text != '\0' ? text : "unknown error", -1);
  end = valid;
  while (*end != '\0' && (gsize) (g_utf8_next_char (end) - valid) <= OUTBOX_ERROR_TEXT_MAX)
    end = g_utf8_next_char (end);

  out = g_strndup (valid, end - valid);
  for (char *p = out; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  return out;
}

/**
 * fr_outbox_record_failure:
 * @outbox: an outbox
 * @id: the record ID of a pending item
 * @next_attempt: Unix seconds before which the item is not listed as pending
 * @error_text: (nullable): transport or HTTP status text, never record content
 * @error: return location for a #GError
 *
 * Counts a failed delivery attempt. @error_text is kept (at most 256 bytes, one line)
 * on the item and as the outbox's last error.
 *
 * Returns: %TRUE on success; %FR_ERROR_NOT_FOUND if no pending item has @id
 */
gboolean
fr_outbox_record_failure (FrOutbox    *outbox,
                          const char  *id,
                          gint64       next_attempt,
                          const char  *error_text,
                          GError     **error)
{
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (outbox != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_id (id, error))
    return FALSE;
  text = clean_error_text (error_text);
  if (!tx_begin (outbox, "record failure (begin)", error))
    return FALSE;

  stmt = get_stmt (outbox, STMT_RECORD_FAILURE);
  if (!bind_ok (outbox, stmt,
                sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC)
                | sqlite3_bind_int64 (stmt, 2, next_attempt)
                | sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC),
                "record failure (update)", error)
      || !step_done (outbox, stmt, "record failure (update)", error))
    goto fail;
  if (sqlite3_changes (outbox->db) == 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_NOT_FOUND,
                           "outbox: no pending record with this ID");
      goto fail;
    }
  if (!meta_set_text (outbox, META_LAST_ERROR, text, "record failure (last error)", error)
      || !tx_commit (outbox, "record failure (commit)", error))
    goto fail;
  return TRUE;

fail:
  tx_rollback (outbox);
  return FALSE;
}

/**
 * fr_outbox_mark_dead:
 * @outbox: an outbox
 * @id: the record ID of an item
 * @reason: (nullable): why the queue refused it (HTTP status text), never record content
 * @error: return location for a #GError
 *
 * Moves the item to the dead-letter state: it is kept, never listed as pending again and
 * never deleted by this module. @reason also becomes the outbox's last error.
 *
 * Returns: %TRUE on success; %FR_ERROR_NOT_FOUND if no item has @id
 */
gboolean
fr_outbox_mark_dead (FrOutbox    *outbox,
                     const char  *id,
                     const char  *reason,
                     GError     **error)
{
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (outbox != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_id (id, error))
    return FALSE;
  text = clean_error_text (reason);
  if (!tx_begin (outbox, "mark dead (begin)", error))
    return FALSE;

  stmt = get_stmt (outbox, STMT_MARK_DEAD);
  if (!bind_ok (outbox, stmt,
                sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC)
                | sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC),
                "mark dead (update)", error)
      || !step_done (outbox, stmt, "mark dead (update)", error))
    goto fail;
  if (sqlite3_changes (outbox->db) == 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_NOT_FOUND,
                           "outbox: no record with this ID");
      goto fail;
    }
  if (!meta_set_text (outbox, META_LAST_ERROR, text, "mark dead (last error)", error)
      || !tx_commit (outbox, "mark dead (commit)", error))
    goto fail;
  return TRUE;

fail:
  tx_rollback (outbox);
  return FALSE;
}

/**
 * fr_outbox_get_stats:
 * @outbox: an outbox
 * @stats: (out caller-allocates): filled in; free with fr_outbox_stats_clear()
 * @error: return location for a #GError
 *
 * Counts and times for the maintenance screen; never any record content. Read in one
 * statement, so the numbers are from one consistent snapshot.
 *
 * Returns: %TRUE on success; on failure @stats is zeroed
 */
gboolean
fr_outbox_get_stats (FrOutbox       *outbox,
                     FrOutboxStats  *stats,
                     GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (stats != NULL, FALSE);
  memset (stats, 0, sizeof *stats);
  g_return_val_if_fail (outbox != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = get_stmt (outbox, STMT_STATS);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (outbox->db, error, "reading statistics");
      release_stmt (stmt);
      return FALSE;
    }

  stats->pending = (guint) CLAMP (sqlite3_column_int64 (stmt, 0), 0, G_MAXUINT);
  stats->dead = (guint) CLAMP (sqlite3_column_int64 (stmt, 1), 0, G_MAXUINT);
  stats->last_delivery = sqlite3_column_int64 (stmt, 2);   /* NULL reads as 0 */
  stats->oldest_pending = sqlite3_column_int64 (stmt, 3);
  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    stats->last_error = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  release_stmt (stmt);
  return TRUE;
}

void
fr_outbox_stats_clear (FrOutboxStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_pointer (&stats->last_error, g_free);
  memset (stats, 0, sizeof *stats);
}

void
fr_outbox_item_free (FrOutboxItem *item)
{
  if (item == NULL)
    return;
  g_clear_pointer (&item->envelope, g_bytes_unref);
  g_clear_pointer (&item->last_error, g_free);
  g_free (item);
}
