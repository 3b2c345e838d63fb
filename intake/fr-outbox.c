/* fr-outbox.c — the kiosk outbox: the database, its statements and transactions
 *
 * The schema and the guarantees are written down in intake/OUTBOX.md. The files:
 *   fr-outbox.c           opening (file mode, schema, connection), the statements,
 *                         transactions
 *   fr-outbox-store.c     enqueuing sealed envelopes and listing them
 *   fr-outbox-delivery.c  what the sender reports: delivered, failed, dead; statistics
 * sharing fr-outbox-private.h.
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fr-error.h"
#include "fr-outbox-private.h"
#include "fr-record.h"

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

void
_fr_outbox_set_db_error (sqlite3     *db,
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
      _fr_outbox_set_db_error (db, error, operation);
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
      _fr_outbox_set_db_error (db, error, operation);
      sqlite3_finalize (stmt);
      if (out_text != NULL)
        g_clear_pointer (out_text, g_free);
      return FALSE;
    }

  sqlite3_finalize (stmt);
  return TRUE;
}

sqlite3_stmt *
_fr_outbox_get_stmt (FrOutbox   *outbox,
                     OutboxStmt  which)
{
  sqlite3_stmt *stmt = outbox->stmts[which];

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

void
_fr_outbox_release_stmt (sqlite3_stmt *stmt)
{
  /* Ends the statement's read so it holds no snapshot and pins no pages. */
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/* @rc is the bitwise OR of the sqlite3_bind_*() results for @stmt: zero only if every
 * one of them succeeded. */
gboolean
_fr_outbox_bind_ok (FrOutbox      *outbox,
                    sqlite3_stmt  *stmt,
                    int            rc,
                    const char    *operation,
                    GError       **error)
{
  if (rc == SQLITE_OK)
    return TRUE;
  _fr_outbox_set_db_error (outbox->db, error, operation);
  _fr_outbox_release_stmt (stmt);
  return FALSE;
}

/* Steps a statement that returns no rows; resets it afterwards. */
gboolean
_fr_outbox_step_done (FrOutbox      *outbox,
                      sqlite3_stmt  *stmt,
                      const char    *operation,
                      GError       **error)
{
  int rc = sqlite3_step (stmt);

  while (rc == SQLITE_ROW)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      _fr_outbox_set_db_error (outbox->db, error, operation);
      _fr_outbox_release_stmt (stmt);
      return FALSE;
    }
  _fr_outbox_release_stmt (stmt);
  return TRUE;
}

gboolean
_fr_outbox_tx_begin (FrOutbox    *outbox,
                     const char  *operation,
                     GError     **error)
{
  return _fr_outbox_step_done (outbox, _fr_outbox_get_stmt (outbox, STMT_BEGIN), operation, error);
}

void
_fr_outbox_tx_rollback (FrOutbox *outbox)
{
  /* A failed statement may already have rolled the transaction back. */
  if (sqlite3_get_autocommit (outbox->db))
    return;
  if (sqlite3_step (_fr_outbox_get_stmt (outbox, STMT_ROLLBACK)) != SQLITE_DONE)
    g_warning ("outbox: rollback failed: %s", sqlite3_errmsg (outbox->db));
  _fr_outbox_release_stmt (outbox->stmts[STMT_ROLLBACK]);
}

gboolean
_fr_outbox_tx_commit (FrOutbox    *outbox,
                      const char  *operation,
                      GError     **error)
{
  if (!_fr_outbox_step_done (outbox, _fr_outbox_get_stmt (outbox, STMT_COMMIT), operation, error))
    {
      _fr_outbox_tx_rollback (outbox);
      return FALSE;
    }
  return TRUE;
}

gboolean
_fr_outbox_check_id (const char  *id,
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
      _fr_outbox_set_db_error (outbox->db, error, "setting busy_timeout");
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
          _fr_outbox_set_db_error (outbox->db, error, "preparing statements");
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
