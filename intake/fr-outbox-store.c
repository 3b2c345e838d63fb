/* fr-outbox-store.c — enqueuing sealed envelopes and listing them
 *
 * An envelope is stored once and never replaced (intake/OUTBOX.md).
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "fr-envelope.h"
#include "fr-error.h"
#include "fr-outbox-private.h"

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

  if (!_fr_outbox_check_id (id, error) || !check_envelope (id, envelope, error))
    return FALSE;
  data = g_bytes_get_data (envelope, &len);

  if (!_fr_outbox_tx_begin (outbox, "enqueue (begin)", error))
    return FALSE;

  stmt = _fr_outbox_get_stmt (outbox, STMT_SELECT_ENVELOPE);
  if (!_fr_outbox_bind_ok (outbox, stmt, sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC),
                           "enqueue (lookup)", error))
    {
      _fr_outbox_tx_rollback (outbox);
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const void *stored = sqlite3_column_blob (stmt, 0);
      gsize stored_len = (gsize) sqlite3_column_bytes (stmt, 0);
      gboolean same = stored_len == len && stored != NULL && memcmp (stored, data, len) == 0;

      _fr_outbox_release_stmt (stmt);
      _fr_outbox_tx_rollback (outbox);
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
      _fr_outbox_set_db_error (outbox->db, error, "enqueue (lookup)");
      _fr_outbox_release_stmt (stmt);
      _fr_outbox_tx_rollback (outbox);
      return FALSE;
    }
  _fr_outbox_release_stmt (stmt);

  stmt = _fr_outbox_get_stmt (outbox, STMT_INSERT);
  if (!_fr_outbox_bind_ok (outbox, stmt,
                           sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC)
                           | sqlite3_bind_blob64 (stmt, 2, data, len, SQLITE_STATIC)
                           | sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC),
                           "enqueue (insert)", error)
      || !_fr_outbox_step_done (outbox, stmt, "enqueue (insert)", error))
    {
      _fr_outbox_tx_rollback (outbox);
      return FALSE;
    }

  return _fr_outbox_tx_commit (outbox, "enqueue (commit)", error);
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
      _fr_outbox_set_db_error (outbox->db, error, operation);
      _fr_outbox_release_stmt (stmt);
      return NULL;
    }
  _fr_outbox_release_stmt (stmt);
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

  stmt = _fr_outbox_get_stmt (outbox, STMT_LIST_PENDING);
  if (!_fr_outbox_bind_ok (outbox, stmt,
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

  return collect_items (outbox, _fr_outbox_get_stmt (outbox, STMT_LIST_DEAD), "listing dead records", error);
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
