/* fr-outbox-delivery.c — what the sender reports back, and the statistics
 *
 * A delivered envelope is deleted (secure_delete) and the WAL truncated when the outbox
 * is empty; a failure is counted with its next attempt time; a refused one is kept as
 * dead. The last delivery time and the last error are kept in the meta table.
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "fr-error.h"
#include "fr-outbox-private.h"

static gboolean
meta_set_int (FrOutbox    *outbox,
              const char  *key,
              gint64       value,
              const char  *operation,
              GError     **error)
{
  sqlite3_stmt *stmt = _fr_outbox_get_stmt (outbox, STMT_META_SET);

  return _fr_outbox_bind_ok (outbox, stmt,
                             sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC)
                             | sqlite3_bind_int64 (stmt, 2, value),
                             operation, error)
         && _fr_outbox_step_done (outbox, stmt, operation, error);
}

static gboolean
meta_set_text (FrOutbox    *outbox,
               const char  *key,
               const char  *value,
               const char  *operation,
               GError     **error)
{
  sqlite3_stmt *stmt = _fr_outbox_get_stmt (outbox, STMT_META_SET);

  return _fr_outbox_bind_ok (outbox, stmt,
                             sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC)
                             | sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC),
                             operation, error)
         && _fr_outbox_step_done (outbox, stmt, operation, error);
}

static gboolean
meta_delete (FrOutbox    *outbox,
             const char  *key,
             const char  *operation,
             GError     **error)
{
  sqlite3_stmt *stmt = _fr_outbox_get_stmt (outbox, STMT_META_DELETE);

  return _fr_outbox_bind_ok (outbox, stmt, sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC),
                             operation, error)
         && _fr_outbox_step_done (outbox, stmt, operation, error);
}

/* Checkpoints the WAL into the database file and truncates it to zero bytes, so the
 * pages that held deleted envelopes do not linger in the -wal file. A checkpoint that
 * cannot complete (another connection is reading) is not an error: the rows are
 * already deleted and zeroed, and a later checkpoint finishes the job. */
static void
checkpoint_if_idle (FrOutbox *outbox)
{
  sqlite3_stmt *stmt = _fr_outbox_get_stmt (outbox, STMT_COUNT_PENDING);
  gint64 pending = -1;
  int rc;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    pending = sqlite3_column_int64 (stmt, 0);
  _fr_outbox_release_stmt (stmt);
  if (pending != 0)
    return;

  stmt = _fr_outbox_get_stmt (outbox, STMT_CHECKPOINT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0)
    g_debug ("outbox: WAL checkpoint could not complete (busy)");
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    g_debug ("outbox: WAL checkpoint failed: %s", sqlite3_errmsg (outbox->db));
  _fr_outbox_release_stmt (stmt);
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

  if (!_fr_outbox_check_id (id, error))
    return FALSE;
  if (!_fr_outbox_tx_begin (outbox, "mark delivered (begin)", error))
    return FALSE;

  stmt = _fr_outbox_get_stmt (outbox, STMT_DELETE_PENDING);
  if (!_fr_outbox_bind_ok (outbox, stmt, sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC),
                           "mark delivered (delete)", error)
      || !_fr_outbox_step_done (outbox, stmt, "mark delivered (delete)", error))
    goto fail;
  if (sqlite3_changes (outbox->db) == 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_NOT_FOUND,
                           "outbox: no pending record with this ID");
      goto fail;
    }
  if (!meta_set_int (outbox, META_LAST_DELIVERY, now, "mark delivered (last delivery)", error)
      || !meta_delete (outbox, META_LAST_ERROR, "mark delivered (last error)", error)
      || !_fr_outbox_tx_commit (outbox, "mark delivered (commit)", error))
    goto fail;

  checkpoint_if_idle (outbox);
  return TRUE;

fail:
  _fr_outbox_tx_rollback (outbox);
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

/* The start of a delivery state change: @id checked, @raw_text made the clean one-line
 * text to keep (*@text, set even on failure), the transaction begun. */
static gboolean
begin_state_change (FrOutbox    *outbox,
                    const char  *id,
                    const char  *raw_text,
                    const char  *what,
                    char       **text,
                    GError     **error)
{
  g_autofree char *begin = g_strdup_printf ("%s (begin)", what);

  if (!_fr_outbox_check_id (id, error))
    return FALSE;
  *text = clean_error_text (raw_text);
  return _fr_outbox_tx_begin (outbox, begin, error);
}

/* The rest of a delivery state change, in the transaction its caller began, with @stmt
 * bound (@bind_rc, the bind calls' results or'd): run it, require that it changed an item
 * (else @not_found, %FR_ERROR_NOT_FOUND), keep @text as the outbox's last error, commit.
 * Rolled back on any failure. @what names the change in error messages. */
static gboolean
finish_state_change (FrOutbox      *outbox,
                     sqlite3_stmt  *stmt,
                     int            bind_rc,
                     const char    *what,
                     const char    *not_found,
                     const char    *text,
                     GError       **error)
{
  g_autofree char *update = g_strdup_printf ("%s (update)", what);
  g_autofree char *last_error = g_strdup_printf ("%s (last error)", what);
  g_autofree char *commit = g_strdup_printf ("%s (commit)", what);

  if (!_fr_outbox_bind_ok (outbox, stmt, bind_rc, update, error)
      || !_fr_outbox_step_done (outbox, stmt, update, error))
    goto fail;
  if (sqlite3_changes (outbox->db) == 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_NOT_FOUND, not_found);
      goto fail;
    }
  if (!meta_set_text (outbox, META_LAST_ERROR, text, last_error, error)
      || !_fr_outbox_tx_commit (outbox, commit, error))
    goto fail;
  return TRUE;

fail:
  _fr_outbox_tx_rollback (outbox);
  return FALSE;
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

  if (!begin_state_change (outbox, id, error_text, "record failure", &text, error))
    return FALSE;

  stmt = _fr_outbox_get_stmt (outbox, STMT_RECORD_FAILURE);
  return finish_state_change (outbox, stmt,
                              sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC)
                              | sqlite3_bind_int64 (stmt, 2, next_attempt)
                              | sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC),
                              "record failure", "outbox: no pending record with this ID",
                              text, error);
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

  if (!begin_state_change (outbox, id, reason, "mark dead", &text, error))
    return FALSE;

  stmt = _fr_outbox_get_stmt (outbox, STMT_MARK_DEAD);
  return finish_state_change (outbox, stmt,
                              sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC)
                              | sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC),
                              "mark dead", "outbox: no record with this ID", text, error);
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

  stmt = _fr_outbox_get_stmt (outbox, STMT_STATS);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _fr_outbox_set_db_error (outbox->db, error, "reading statistics");
      _fr_outbox_release_stmt (stmt);
      return FALSE;
    }

  stats->pending = (guint) CLAMP (sqlite3_column_int64 (stmt, 0), 0, G_MAXUINT);
  stats->dead = (guint) CLAMP (sqlite3_column_int64 (stmt, 1), 0, G_MAXUINT);
  stats->last_delivery = sqlite3_column_int64 (stmt, 2);   /* NULL reads as 0 */
  stats->oldest_pending = sqlite3_column_int64 (stmt, 3);
  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    stats->last_error = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  _fr_outbox_release_stmt (stmt);
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
