/* fr-queue-store.c — the queue store: opening, schema and migration, statements, envelopes */
#define G_LOG_DOMAIN "fristad-queue"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>

#include "fr-envelope.h"
#include "fr-error.h"
#include "fr-queue.h"
#include "fr-queue-store-private.h"

/* ------------------------------------------------------------------------------------ */
/* Store                                                                                 */
/* ------------------------------------------------------------------------------------ */


static const char * const stmt_sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
#define PRINCIPAL_COLUMNS "name, kind, kid, pk, enrolled_at, revoked_at, recipient_kid"
  [STMT_PRINCIPAL_BY_NAME] =
    "SELECT " PRINCIPAL_COLUMNS " FROM principals WHERE name = ?1",
  [STMT_PRINCIPAL_BY_KID] =
    "SELECT " PRINCIPAL_COLUMNS " FROM principals WHERE kid = ?1",
  [STMT_PRINCIPAL_BY_KIND_KID] =
    "SELECT " PRINCIPAL_COLUMNS " FROM principals WHERE kind = ?1 AND kid = ?2",
  [STMT_PRINCIPAL_INSERT] =
    "INSERT INTO principals (name, kind, kid, pk, enrolled_at, revoked_at, recipient_kid) "
    "VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6)",
  [STMT_PRINCIPAL_REVOKE] =
    "UPDATE principals SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
  [STMT_PRINCIPAL_LIST] =
    "SELECT " PRINCIPAL_COLUMNS " FROM principals ORDER BY enrolled_at, name",
  [STMT_PRINCIPAL_BIND] =
    "UPDATE principals SET recipient_kid = ?2 "
    "WHERE name = ?1 AND kind = 'reader' AND recipient_kid IS NULL",
  [STMT_SEEN] =
    "SELECT kiosk, hash FROM envelopes WHERE id = ?1 "
    "UNION ALL SELECT kiosk, hash FROM tombstones WHERE id = ?1 LIMIT 1",
  [STMT_KIOSK_USAGE] = "SELECT coalesce(sum(size), 0) FROM envelopes WHERE kiosk = ?1",
  [STMT_ENVELOPE_INSERT] =
    "INSERT INTO envelopes (id, kiosk, received_at, size, data, hash, recipients) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
  [STMT_RECIPIENT_INSERT] = "INSERT OR IGNORE INTO envelope_recipients (kid, seq) VALUES (?1, ?2)",
  [STMT_ENVELOPE_LIST] =
    "SELECT e.seq, e.id, e.kiosk, e.received_at, e.size "
    "FROM envelope_recipients r JOIN envelopes e ON e.seq = r.seq "
    "WHERE r.kid = ?3 AND r.seq > ?1 ORDER BY r.seq LIMIT ?2",
  [STMT_ENVELOPE_GET] = "SELECT data, recipients FROM envelopes WHERE id = ?1",
  [STMT_ENVELOPE_RECIPIENTS] = "SELECT seq, recipients FROM envelopes WHERE id = ?1",
  [STMT_ENVELOPE_DELETE] = "DELETE FROM envelopes WHERE seq = ?1",
  [STMT_RECIPIENTS_DELETE] = "DELETE FROM envelope_recipients WHERE seq = ?1",
  [STMT_TOMBSTONE_INSERT] =
    "INSERT OR IGNORE INTO tombstones (id, acked_at, kiosk, hash, recipients) "
    "SELECT id, ?2, kiosk, hash, recipients FROM envelopes WHERE seq = ?1",
  [STMT_TOMBSTONE_GET] = "SELECT recipients FROM tombstones WHERE id = ?1",
#undef PRINCIPAL_COLUMNS
};

static const char schema_v1[] =
  "CREATE TABLE principals ("
  "  name        TEXT PRIMARY KEY NOT NULL,"
  "  kind        TEXT NOT NULL CHECK (kind IN ('kiosk', 'reader')),"
  "  kid         BLOB NOT NULL UNIQUE CHECK (length(kid) = 8),"
  "  pk          BLOB NOT NULL CHECK (length(pk) = 32),"
  "  enrolled_at INTEGER NOT NULL,"
  "  revoked_at  INTEGER"
  ");"
  "CREATE TABLE envelopes ("
  "  seq         INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id          TEXT NOT NULL UNIQUE CHECK (length(id) = 36),"
  "  kiosk       TEXT NOT NULL,"
  "  received_at INTEGER NOT NULL,"
  "  size        INTEGER NOT NULL,"
  "  data        BLOB NOT NULL"
  ");"
  "CREATE TABLE tombstones ("
  "  id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),"
  "  acked_at    INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "PRAGMA user_version = 1;";

/* Version 2: readers are bound to one recipient key id; every envelope keeps the kids of
 * its recipient slots (a blob of n × 8 bytes, and one row each in envelope_recipients for
 * listing) and a BLAKE2b-256 hash of its bytes; tombstones keep kiosk, hash and
 * recipients. Rows of version 1 have NULL there: a reader without a binding sees
 * nothing, and a version 1 tombstone matches no retry (id-conflict, never duplicate). */
static const char schema_v2[] =
  "ALTER TABLE principals ADD COLUMN recipient_kid BLOB"
  "  CHECK (recipient_kid IS NULL OR length(recipient_kid) = 8);"
  "ALTER TABLE envelopes ADD COLUMN hash BLOB CHECK (hash IS NULL OR length(hash) = 32);"
  "ALTER TABLE envelopes ADD COLUMN recipients BLOB;"
  "ALTER TABLE tombstones ADD COLUMN kiosk TEXT;"
  "ALTER TABLE tombstones ADD COLUMN hash BLOB;"
  "ALTER TABLE tombstones ADD COLUMN recipients BLOB;"
  "CREATE TABLE envelope_recipients ("
  "  kid         BLOB NOT NULL CHECK (length(kid) = 8),"
  "  seq         INTEGER NOT NULL,"
  "  PRIMARY KEY (kid, seq)"
  ") WITHOUT ROWID;"
  "CREATE INDEX envelopes_by_kiosk ON envelopes (kiosk);";


gboolean
_fr_queue_store_db_error (FrQueueStore  *store,
          GError       **error,
          const char    *what)
{
  g_set_error (error, FR_ERROR, FR_ERROR_DATABASE, "queue database: %s: %s",
               what, sqlite3_errmsg (store->db));
  return FALSE;
}

sqlite3_stmt *
_fr_queue_store_stmt (FrQueueStore  *store,
      StmtId         id,
      GError       **error)
{
  if (store->stmts[id] == NULL
      && sqlite3_prepare_v3 (store->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                             &store->stmts[id], NULL) != SQLITE_OK)
    {
      _fr_queue_store_db_error (store, error, "prepare");
      return NULL;
    }
  return store->stmts[id];
}

void
_fr_queue_store_stmt_done (sqlite3_stmt *s)
{
  if (s != NULL)
    {
      sqlite3_reset (s);
      sqlite3_clear_bindings (s);
    }
}


static gboolean
run_simple (FrQueueStore  *store,
            StmtId         id,
            GError       **error)
{
  g_autoptr(sqlite3_stmt) s = _fr_queue_store_stmt (store, id, error);

  if (s == NULL)
    return FALSE;
  if (sqlite3_step (s) != SQLITE_DONE)
    return _fr_queue_store_db_error (store, error, stmt_sql[id]);
  return TRUE;
}

gboolean
_fr_queue_store_tx_begin (FrQueueStore  *store,
          GError       **error)
{
  return run_simple (store, STMT_BEGIN, error);
}

gboolean
_fr_queue_store_tx_commit (FrQueueStore  *store,
           GError       **error)
{
  return run_simple (store, STMT_COMMIT, error);
}

void
_fr_queue_store_tx_rollback (FrQueueStore *store)
{
  if (!sqlite3_get_autocommit (store->db))
    run_simple (store, STMT_ROLLBACK, NULL);
}

static gboolean
exec_pragma (FrQueueStore  *store,
             const char    *sql,
             GError       **error)
{
  if (sqlite3_exec (store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _fr_queue_store_db_error (store, error, sql);
  return TRUE;
}

/* The recipient kids (n × 8 bytes, in slot order) and the BLAKE2b-256 hash of an
 * envelope whose header the server has already verified. */
static gboolean
envelope_facts (const guint8  *data,
                gsize          len,
                guint8        *recipients,
                gsize         *recipients_len,
                guint8         hash[HASH_SIZE],
                GError       **error)
{
  FrEnvelopeInfo info;

  if (!fr_envelope_inspect (data, len, &info, error))
    return FALSE;
  for (guint i = 0; i < info.n_recipients; i++)
    memcpy (recipients + i * FR_KID_SIZE, info.recipient_kids[i], FR_KID_SIZE);
  *recipients_len = (gsize) info.n_recipients * FR_KID_SIZE;
  crypto_generichash (hash, HASH_SIZE, data, len, NULL, 0);
  return TRUE;
}

/* Whether @kid is one of the 8-byte kids in @recipients (aligned; NULL: none). */
static gboolean
recipients_contain (const void   *recipients,
                    gsize         len,
                    const guint8  kid[FR_KID_SIZE])
{
  const guint8 *r = recipients;

  if (r == NULL || kid == NULL || len % FR_KID_SIZE != 0)
    return FALSE;
  for (gsize i = 0; i < len; i += FR_KID_SIZE)
    if (memcmp (r + i, kid, FR_KID_SIZE) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
insert_recipients (FrQueueStore  *store,
                   gint64         seq,
                   const guint8  *recipients,
                   gsize          len,
                   GError       **error)
{
  for (gsize i = 0; i + FR_KID_SIZE <= len; i += FR_KID_SIZE)
    {
      sqlite3_stmt *s = _fr_queue_store_stmt (store, STMT_RECIPIENT_INSERT, error);
      int rc;

      if (s == NULL)
        return FALSE;
      sqlite3_bind_blob (s, 1, recipients + i, FR_KID_SIZE, SQLITE_STATIC);
      sqlite3_bind_int64 (s, 2, seq);
      rc = sqlite3_step (s);
      _fr_queue_store_stmt_done (s);
      if (rc != SQLITE_DONE)
        return _fr_queue_store_db_error (store, error, "record recipients");
    }
  return TRUE;
}

/* Version 1 → 2 inside the caller's transaction: the new columns, and the recipients and
 * hash of every stored envelope, read from its own header. */
static gboolean
migrate_v2 (FrQueueStore  *store,
            GError       **error)
{
  sqlite3_stmt *rows = NULL;
  sqlite3_stmt *update = NULL;
  gboolean ok = FALSE;
  int rc;

  if (!exec_pragma (store, schema_v2, error))
    return FALSE;
  if (sqlite3_prepare_v2 (store->db, "SELECT seq, data FROM envelopes", -1, &rows, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (store->db, "UPDATE envelopes SET hash = ?2, recipients = ?3 WHERE seq = ?1",
                             -1, &update, NULL) != SQLITE_OK)
    {
      _fr_queue_store_db_error (store, error, "migrate to version 2");
      goto out;
    }
  while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (rows, 0);
      const guint8 *data = sqlite3_column_blob (rows, 1);
      gsize len = (gsize) sqlite3_column_bytes (rows, 1);
      guint8 recipients[FR_ENVELOPE_MAX_RECIPIENTS * FR_KID_SIZE];
      gsize recipients_len = 0;
      guint8 hash[HASH_SIZE];

      if (data == NULL || !envelope_facts (data, len, recipients, &recipients_len, hash, NULL))
        {
          g_message ("queue database: envelope seq=%" G_GINT64_FORMAT " has no readable header; "
                     "no reader will see it", seq);
          continue;
        }
      sqlite3_bind_int64 (update, 1, seq);
      sqlite3_bind_blob (update, 2, hash, HASH_SIZE, SQLITE_STATIC);
      sqlite3_bind_blob (update, 3, recipients, (int) recipients_len, SQLITE_STATIC);
      rc = sqlite3_step (update);
      sqlite3_reset (update);
      if (rc != SQLITE_DONE
          || !insert_recipients (store, seq, recipients, recipients_len, error))
        {
          if (rc != SQLITE_DONE)
            _fr_queue_store_db_error (store, error, "migrate envelope");
          goto out;
        }
    }
  if (rc != SQLITE_DONE)
    {
      _fr_queue_store_db_error (store, error, "migrate envelopes");
      goto out;
    }
  ok = exec_pragma (store, "PRAGMA user_version = 2", error);

out:
  sqlite3_finalize (rows);
  sqlite3_finalize (update);
  return ok;
}

/**
 * fr_queue_name_is_valid:
 *
 * Returns: %TRUE if @name is 1..64 characters of [A-Za-z0-9._-].
 */
gboolean
fr_queue_name_is_valid (const char *name)
{
  gsize len;

  if (name == NULL)
    return FALSE;
  len = strlen (name);
  if (len == 0 || len > FR_QUEUE_NAME_MAX)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '.' && name[i] != '_' && name[i] != '-')
      return FALSE;
  return TRUE;
}

/**
 * fr_queue_store_open:
 * @path: the database file; created if missing
 * @error: return location for a #GError
 *
 * Opens (and creates or checks the schema of) the queue database.
 */
FrQueueStore *
fr_queue_store_open (const char  *path,
                     GError     **error)
{
  g_autoptr(FrQueueStore) store = NULL;
  sqlite3_stmt *s = NULL;
  int version;
  gboolean wal;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Created 0600 whatever the umask; SQLite gives the -wal and -shm files the mode of
   * the database file. Only a file that does not exist yet is opened here: closing a
   * descriptor of a database this process already has open through SQLite would drop
   * every POSIX lock the process holds on it (another store's, another thread's), and the
   * next reader gets "disk I/O error". */
  {
    int fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

    if (fd < 0 && errno != EEXIST)
      {
        int saved = errno;

        g_set_error (error, FR_ERROR, FR_ERROR_DATABASE, "queue database: open: %s",
                     g_strerror (saved));
        return NULL;
      }
    if (fd >= 0)
      close (fd);
  }

  store = g_new0 (FrQueueStore, 1);
  if (sqlite3_open_v2 (path, &store->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      if (store->db == NULL)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_DATABASE, "queue database: out of memory");
          return NULL;
        }
      _fr_queue_store_db_error (store, error, "open");
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, 5000);

  if (sqlite3_prepare_v2 (store->db, "PRAGMA journal_mode = WAL", -1, &s, NULL) != SQLITE_OK)
    {
      _fr_queue_store_db_error (store, error, "journal_mode");
      return NULL;
    }
  wal = sqlite3_step (s) == SQLITE_ROW
        && g_ascii_strcasecmp ((const char *) sqlite3_column_text (s, 0), "wal") == 0;
  sqlite3_finalize (s);
  if (!wal)
    {
      _fr_queue_store_db_error (store, error, "cannot switch to WAL journal mode");
      return NULL;
    }

  if (!exec_pragma (store, "PRAGMA synchronous = FULL", error)
      || !exec_pragma (store, "PRAGMA secure_delete = ON", error)
      || !exec_pragma (store, "PRAGMA foreign_keys = ON", error))
    return NULL;

  if (sqlite3_prepare_v2 (store->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK
      || sqlite3_step (s) != SQLITE_ROW)
    {
      sqlite3_finalize (s);
      _fr_queue_store_db_error (store, error, "user_version");
      return NULL;
    }
  version = sqlite3_column_int (s, 0);
  sqlite3_finalize (s);

  if (version < FR_QUEUE_SCHEMA_VERSION)
    {
      if (!_fr_queue_store_tx_begin (store, error))
        return NULL;
      /* Another process may have changed the schema between the check and the lock. */
      if (sqlite3_prepare_v2 (store->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK
          || sqlite3_step (s) != SQLITE_ROW)
        {
          sqlite3_finalize (s);
          _fr_queue_store_db_error (store, error, "user_version");
          _fr_queue_store_tx_rollback (store);
          return NULL;
        }
      version = sqlite3_column_int (s, 0);
      sqlite3_finalize (s);
      if (version == 0)
        {
          if (!exec_pragma (store, schema_v1, error))
            {
              _fr_queue_store_tx_rollback (store);
              return NULL;
            }
          version = 1;
        }
      if (version == 1)
        {
          if (!migrate_v2 (store, error))
            {
              _fr_queue_store_tx_rollback (store);
              return NULL;
            }
          version = 2;
        }
      if (!_fr_queue_store_tx_commit (store, error))
        {
          _fr_queue_store_tx_rollback (store);
          return NULL;
        }
    }

  if (version != FR_QUEUE_SCHEMA_VERSION)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_DATABASE,
                   "queue database: schema version %d is not %d (made by another version of fristad-queue)",
                   version, FR_QUEUE_SCHEMA_VERSION);
      return NULL;
    }

  return g_steal_pointer (&store);
}

void
fr_queue_store_close (FrQueueStore *store)
{
  if (store == NULL)
    return;
  for (guint i = 0; i < N_STMTS; i++)
    sqlite3_finalize (store->stmts[i]);
  if (store->db != NULL && sqlite3_close (store->db) != SQLITE_OK)
    g_message ("queue database did not close cleanly: %s", sqlite3_errmsg (store->db));
  g_free (store);
}

/**
 * fr_queue_store_set_quota:
 * @bytes: the most envelope bytes one kiosk may have stored (not yet acknowledged);
 *   0 for no limit
 */
void
fr_queue_store_set_quota (FrQueueStore *store,
                          guint64       bytes)
{
  g_return_if_fail (store != NULL);
  store->quota = bytes;
}

/**
 * fr_queue_store_put:
 * @result: (out): stored, duplicate, id conflict or over quota
 * @seq: (out) (optional): the new sequence number, when stored
 *
 * fr_queue_store_put_batch() for one envelope. Returns only after COMMIT has returned.
 */
gboolean
fr_queue_store_put (FrQueueStore      *store,
                    const char        *id,
                    const char        *kiosk,
                    gint64             now,
                    const guint8      *data,
                    gsize              len,
                    FrQueuePutResult  *result,
                    gint64            *seq,
                    GError           **error)
{
  FrQueuePut put = { id, kiosk, data, len, FR_QUEUE_PUT_FAILED, 0 };

  g_return_val_if_fail (result != NULL, FALSE);

  if (!fr_queue_store_put_batch (store, &put, 1, now, error))
    return FALSE;
  *result = put.result;
  if (seq != NULL)
    *seq = put.seq;
  return TRUE;
}

typedef struct
{
  guint8 recipients[FR_ENVELOPE_MAX_RECIPIENTS * FR_KID_SIZE];
  gsize  recipients_len;
  guint8 hash[HASH_SIZE];
} PutFacts;

/**
 * fr_queue_store_put_batch:
 * @store: the store
 * @puts: (array length=n_puts): envelopes whose header and signature the caller has
 *   verified; result and seq are filled in
 * @n_puts: how many
 * @now: received_at, Unix seconds
 * @error: return location for a #GError
 *
 * Group commit, in ONE transaction (one fsync for the whole batch), for each envelope:
 * - its id was stored or acknowledged before (or earlier in the batch) by the same kiosk
 *   with the same bytes: %FR_QUEUE_PUT_DUPLICATE;
 * - by another kiosk or with other bytes: %FR_QUEUE_PUT_CONFLICT;
 * - the kiosk's stored bytes would pass the quota: %FR_QUEUE_PUT_QUOTA;
 * - otherwise it is stored with its recipient key ids (from its header) and hash.
 * All or nothing: on failure no envelope of the batch is stored.
 *
 * Returns: %TRUE once the transaction is committed.
 */
gboolean
fr_queue_store_put_batch (FrQueueStore  *store,
                          FrQueuePut    *puts,
                          guint          n_puts,
                          gint64         now,
                          GError       **error)
{
  g_autofree PutFacts *facts = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (puts != NULL || n_puts == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_puts; i++)
    {
      g_return_val_if_fail (puts[i].id != NULL && strlen (puts[i].id) == FR_UUID_STRING_LEN, FALSE);
      g_return_val_if_fail (puts[i].kiosk != NULL, FALSE);
      g_return_val_if_fail (puts[i].data != NULL && puts[i].len > 0, FALSE);
      puts[i].result = FR_QUEUE_PUT_FAILED;
      puts[i].seq = 0;
    }
  if (n_puts == 0)
    return TRUE;

  facts = g_new0 (PutFacts, n_puts);
  for (guint i = 0; i < n_puts; i++)
    if (!envelope_facts (puts[i].data, puts[i].len, facts[i].recipients,
                         &facts[i].recipients_len, facts[i].hash, error))
      return FALSE;

  if (!_fr_queue_store_tx_begin (store, error))
    return FALSE;

  for (guint i = 0; i < n_puts; i++)
    {
      FrQueuePut *put = &puts[i];
      sqlite3_stmt *s;
      int rc;

      s = _fr_queue_store_stmt (store, STMT_SEEN, error);
      if (s == NULL)
        goto fail;
      sqlite3_bind_text (s, 1, put->id, -1, SQLITE_STATIC);
      rc = sqlite3_step (s);
      if (rc == SQLITE_ROW)
        {
          const char *kiosk = (const char *) sqlite3_column_text (s, 0);
          gboolean same = g_strcmp0 (kiosk, put->kiosk) == 0
                          && sqlite3_column_bytes (s, 1) == HASH_SIZE
                          && sodium_memcmp (sqlite3_column_blob (s, 1), facts[i].hash, HASH_SIZE) == 0;

          _fr_queue_store_stmt_done (s);
          put->result = same ? FR_QUEUE_PUT_DUPLICATE : FR_QUEUE_PUT_CONFLICT;
          continue;
        }
      _fr_queue_store_stmt_done (s);
      if (rc != SQLITE_DONE)
        {
          _fr_queue_store_db_error (store, error, "look up id");
          goto fail;
        }

      if (store->quota > 0)
        {
          gint64 used;

          s = _fr_queue_store_stmt (store, STMT_KIOSK_USAGE, error);
          if (s == NULL)
            goto fail;
          sqlite3_bind_text (s, 1, put->kiosk, -1, SQLITE_STATIC);
          rc = sqlite3_step (s);
          used = sqlite3_column_int64 (s, 0);
          _fr_queue_store_stmt_done (s);
          if (rc != SQLITE_ROW)
            {
              _fr_queue_store_db_error (store, error, "kiosk usage");
              goto fail;
            }
          if ((guint64) MAX (used, 0) + put->len > store->quota)
            {
              put->result = FR_QUEUE_PUT_QUOTA;
              continue;
            }
        }

      s = _fr_queue_store_stmt (store, STMT_ENVELOPE_INSERT, error);
      if (s == NULL)
        goto fail;
      sqlite3_bind_text (s, 1, put->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (s, 2, put->kiosk, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (s, 3, now);
      sqlite3_bind_int64 (s, 4, (sqlite3_int64) put->len);
      sqlite3_bind_blob64 (s, 5, put->data, put->len, SQLITE_STATIC);
      sqlite3_bind_blob (s, 6, facts[i].hash, HASH_SIZE, SQLITE_STATIC);
      sqlite3_bind_blob (s, 7, facts[i].recipients, (int) facts[i].recipients_len, SQLITE_STATIC);
      rc = sqlite3_step (s);
      _fr_queue_store_stmt_done (s);
      if (rc != SQLITE_DONE)
        {
          _fr_queue_store_db_error (store, error, "store envelope");
          goto fail;
        }
      put->seq = sqlite3_last_insert_rowid (store->db);
      if (!insert_recipients (store, put->seq, facts[i].recipients, facts[i].recipients_len, error))
        goto fail;
      put->result = FR_QUEUE_PUT_STORED;
    }

  if (!_fr_queue_store_tx_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _fr_queue_store_tx_rollback (store);
  for (guint i = 0; i < n_puts; i++)
    {
      puts[i].result = FR_QUEUE_PUT_FAILED;
      puts[i].seq = 0;
    }
  return FALSE;
}

/**
 * fr_queue_store_list:
 * @recipient_kid: (nullable): list only envelopes with a slot for this recipient key id;
 *   %NULL (a reader bound to no recipient) lists nothing
 *
 * Returns: (transfer full): a #GArray of #FrQueueItem with seq > @after, at most @limit.
 */
GArray *
fr_queue_store_list (FrQueueStore  *store,
                     const guint8  *recipient_kid,
                     gint64         after,
                     guint          limit,
                     GError       **error)
{
  g_autoptr(GArray) list = NULL;
  g_autoptr(sqlite3_stmt) s = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  list = g_array_new (FALSE, TRUE, sizeof (FrQueueItem));
  if (recipient_kid == NULL)
    return g_steal_pointer (&list);

  s = _fr_queue_store_stmt (store, STMT_ENVELOPE_LIST, error);
  if (s == NULL)
    return NULL;
  sqlite3_bind_int64 (s, 1, after);
  sqlite3_bind_int64 (s, 2, limit);
  sqlite3_bind_blob (s, 3, recipient_kid, FR_KID_SIZE, SQLITE_STATIC);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      FrQueueItem item = { 0, };
      const char *id = (const char *) sqlite3_column_text (s, 1);
      const char *kiosk = (const char *) sqlite3_column_text (s, 2);

      item.seq = sqlite3_column_int64 (s, 0);
      g_strlcpy (item.id, id != NULL ? id : "", sizeof item.id);
      g_strlcpy (item.kiosk, kiosk != NULL ? kiosk : "", sizeof item.kiosk);
      item.received_at = sqlite3_column_int64 (s, 3);
      item.size = sqlite3_column_int64 (s, 4);
      g_array_append_val (list, item);
    }
  if (rc != SQLITE_DONE)
    {
      _fr_queue_store_db_error (store, error, "list envelopes");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * fr_queue_store_get:
 * @recipient_kid: (nullable): the reader's recipient key id
 *
 * Returns: (transfer full): the stored envelope, or %NULL with %FR_ERROR_NOT_FOUND if
 *   there is none with this id or it has no slot for @recipient_kid.
 */
GBytes *
fr_queue_store_get (FrQueueStore  *store,
                    const guint8  *recipient_kid,
                    const char    *id,
                    GError       **error)
{
  g_autoptr(sqlite3_stmt) s = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  s = _fr_queue_store_stmt (store, STMT_ENVELOPE_GET, error);
  if (s == NULL)
    return NULL;
  sqlite3_bind_text (s, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW
      && recipients_contain (sqlite3_column_blob (s, 1), sqlite3_column_bytes (s, 1), recipient_kid))
    return g_bytes_new (sqlite3_column_blob (s, 0), sqlite3_column_bytes (s, 0));
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_NOT_FOUND, "no envelope with this id");
      return NULL;
    }
  _fr_queue_store_db_error (store, error, "read envelope");
  return NULL;
}

/**
 * fr_queue_store_ack:
 * @recipient_kid: (nullable): the reader's recipient key id
 * @already_acked: (out) (optional): %TRUE if @id was acknowledged before
 *
 * In one transaction deletes the envelope and records a tombstone for @id (keeping its
 * kiosk, hash and recipients). Acking an acknowledged id succeeds; an id never stored,
 * or one without a slot for @recipient_kid, fails with %FR_ERROR_NOT_FOUND.
 */
gboolean
fr_queue_store_ack (FrQueueStore  *store,
                    const guint8  *recipient_kid,
                    const char    *id,
                    gint64         now,
                    gboolean      *already_acked,
                    GError       **error)
{
  sqlite3_stmt *s;
  gint64 seq = 0;
  gboolean found = FALSE, addressed = FALSE;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (id != NULL && strlen (id) == FR_UUID_STRING_LEN, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (already_acked != NULL)
    *already_acked = FALSE;

  if (!_fr_queue_store_tx_begin (store, error))
    return FALSE;

  s = _fr_queue_store_stmt (store, STMT_ENVELOPE_RECIPIENTS, error);
  if (s == NULL)
    goto fail;
  sqlite3_bind_text (s, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      found = TRUE;
      seq = sqlite3_column_int64 (s, 0);
      addressed = recipients_contain (sqlite3_column_blob (s, 1), sqlite3_column_bytes (s, 1), recipient_kid);
    }
  _fr_queue_store_stmt_done (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _fr_queue_store_db_error (store, error, "look up envelope");
      goto fail;
    }

  if (!found)
    {
      s = _fr_queue_store_stmt (store, STMT_TOMBSTONE_GET, error);
      if (s == NULL)
        goto fail;
      sqlite3_bind_text (s, 1, id, -1, SQLITE_STATIC);
      rc = sqlite3_step (s);
      addressed = rc == SQLITE_ROW
                  && recipients_contain (sqlite3_column_blob (s, 0), sqlite3_column_bytes (s, 0), recipient_kid);
      _fr_queue_store_stmt_done (s);
      _fr_queue_store_tx_rollback (store);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return _fr_queue_store_db_error (store, error, "look up tombstone");
      if (addressed)
        {
          if (already_acked != NULL)
            *already_acked = TRUE;
          return TRUE;
        }
      g_set_error (error, FR_ERROR, FR_ERROR_NOT_FOUND, "no envelope with this id");
      return FALSE;
    }
  if (!addressed)
    {
      _fr_queue_store_tx_rollback (store);
      g_set_error (error, FR_ERROR, FR_ERROR_NOT_FOUND, "no envelope with this id");
      return FALSE;
    }

  /* The tombstone is copied from the row before the row goes. */
  s = _fr_queue_store_stmt (store, STMT_TOMBSTONE_INSERT, error);
  if (s == NULL)
    goto fail;
  sqlite3_bind_int64 (s, 1, seq);
  sqlite3_bind_int64 (s, 2, now);
  rc = sqlite3_step (s);
  _fr_queue_store_stmt_done (s);
  if (rc != SQLITE_DONE)
    {
      _fr_queue_store_db_error (store, error, "record tombstone");
      goto fail;
    }

  for (guint i = 0; i < 2; i++)
    {
      s = _fr_queue_store_stmt (store, i == 0 ? STMT_RECIPIENTS_DELETE : STMT_ENVELOPE_DELETE, error);
      if (s == NULL)
        goto fail;
      sqlite3_bind_int64 (s, 1, seq);
      rc = sqlite3_step (s);
      _fr_queue_store_stmt_done (s);
      if (rc != SQLITE_DONE)
        {
          _fr_queue_store_db_error (store, error, "delete envelope");
          goto fail;
        }
    }

  if (!_fr_queue_store_tx_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _fr_queue_store_tx_rollback (store);
  return FALSE;
}
