/* fr-queue-store-principals.c — the queue store: kiosks and readers (enroll, revoke, list, look up) */
#define G_LOG_DOMAIN "fristad-queue"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "fr-error.h"
#include "fr-queue.h"
#include "fr-queue-store-private.h"

static const char *
kind_to_text (FrKeyKind kind)
{
  return kind == FR_KEY_KIND_KIOSK ? "kiosk" : "reader";
}

static void
read_principal (sqlite3_stmt     *s,
                FrQueuePrincipal *out)
{
  const char *name = (const char *) sqlite3_column_text (s, 0);
  const char *kind = (const char *) sqlite3_column_text (s, 1);

  memset (out, 0, sizeof *out);
  g_strlcpy (out->name, name != NULL ? name : "", sizeof out->name);
  out->kind = g_strcmp0 (kind, "kiosk") == 0 ? FR_KEY_KIND_KIOSK : FR_KEY_KIND_READER;
  if (sqlite3_column_bytes (s, 2) == FR_KID_SIZE)
    memcpy (out->kid, sqlite3_column_blob (s, 2), FR_KID_SIZE);
  if (sqlite3_column_bytes (s, 3) == FR_KEY_SIZE)
    memcpy (out->pk, sqlite3_column_blob (s, 3), FR_KEY_SIZE);
  out->enrolled_at = sqlite3_column_int64 (s, 4);
  out->revoked_at = sqlite3_column_type (s, 5) == SQLITE_NULL ? 0 : sqlite3_column_int64 (s, 5);
  if (sqlite3_column_bytes (s, 6) == FR_KID_SIZE)
    {
      memcpy (out->recipient_kid, sqlite3_column_blob (s, 6), FR_KID_SIZE);
      out->bound = TRUE;
    }
}

/**
 * fr_queue_store_enroll:
 * @recipient_kid: (nullable): for a reader, the key id of the one recipient key whose
 *   envelopes it may list, download and acknowledge; %NULL for a kiosk
 *
 * Enrolls a kiosk or reader key under @name. Fails with %FR_ERROR_REJECTED if the name
 * or the key is enrolled already (revoked or not), except that a reader enrolled before
 * readers had a recipient (schema version 1) is bound by enrolling it again under the
 * same name with the same key.
 */
gboolean
fr_queue_store_enroll (FrQueueStore  *store,
                       const char    *name,
                       FrKeyKind      kind,
                       const guint8   pk[FR_KEY_SIZE],
                       const guint8  *recipient_kid,
                       gint64         now,
                       GError       **error)
{
  guint8 kid[FR_KID_SIZE];
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (fr_queue_name_is_valid (name), FALSE);
  g_return_val_if_fail (kind == FR_KEY_KIND_KIOSK || kind == FR_KEY_KIND_READER, FALSE);
  g_return_val_if_fail (pk != NULL, FALSE);
  g_return_val_if_fail ((kind == FR_KEY_KIND_READER) == (recipient_kid != NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fr_kid_compute (pk, kid);

  if (!_fr_queue_store_tx_begin (store, error))
    return FALSE;

  {
    g_autoptr(sqlite3_stmt) q = _fr_queue_store_stmt (store, STMT_PRINCIPAL_BY_NAME, error);

    if (q == NULL)
      goto fail;
    sqlite3_bind_text (q, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step (q);
    if (rc == SQLITE_ROW)
      {
        FrQueuePrincipal old;

        read_principal (q, &old);
        if (kind == FR_KEY_KIND_READER && old.kind == FR_KEY_KIND_READER && !old.bound
            && memcmp (old.pk, pk, FR_KEY_SIZE) == 0)
          {
            g_clear_pointer (&q, _fr_queue_store_stmt_done);
            s = _fr_queue_store_stmt (store, STMT_PRINCIPAL_BIND, error);
            if (s == NULL)
              goto fail;
            sqlite3_bind_text (s, 1, name, -1, SQLITE_STATIC);
            sqlite3_bind_blob (s, 2, recipient_kid, FR_KID_SIZE, SQLITE_STATIC);
            rc = sqlite3_step (s);
            _fr_queue_store_stmt_done (s);
            if (rc != SQLITE_DONE)
              {
                _fr_queue_store_db_error (store, error, "bind reader");
                goto fail;
              }
            if (!_fr_queue_store_tx_commit (store, error))
              goto fail;
            return TRUE;
          }
        g_set_error (error, FR_ERROR, FR_ERROR_REJECTED,
                     "name %s is already enrolled", name);
        goto fail;
      }
    if (rc != SQLITE_DONE)
      {
        _fr_queue_store_db_error (store, error, "look up name");
        goto fail;
      }
  }

  {
    g_autoptr(sqlite3_stmt) q = _fr_queue_store_stmt (store, STMT_PRINCIPAL_BY_KID, error);

    if (q == NULL)
      goto fail;
    sqlite3_bind_blob (q, 1, kid, FR_KID_SIZE, SQLITE_STATIC);
    rc = sqlite3_step (q);
    if (rc == SQLITE_ROW)
      {
        FrQueuePrincipal other;

        read_principal (q, &other);
        g_set_error (error, FR_ERROR, FR_ERROR_REJECTED,
                     "this key is already enrolled as %s", other.name);
        goto fail;
      }
    if (rc != SQLITE_DONE)
      {
        _fr_queue_store_db_error (store, error, "look up key");
        goto fail;
      }
  }

  s = _fr_queue_store_stmt (store, STMT_PRINCIPAL_INSERT, error);
  if (s == NULL)
    goto fail;
  sqlite3_bind_text (s, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, kind_to_text (kind), -1, SQLITE_STATIC);
  sqlite3_bind_blob (s, 3, kid, FR_KID_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (s, 4, pk, FR_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 5, now);
  if (recipient_kid != NULL)
    sqlite3_bind_blob (s, 6, recipient_kid, FR_KID_SIZE, SQLITE_STATIC);
  else
    sqlite3_bind_null (s, 6);
  rc = sqlite3_step (s);
  _fr_queue_store_stmt_done (s);
  if (rc != SQLITE_DONE)
    {
      _fr_queue_store_db_error (store, error, "enroll");
      goto fail;
    }

  if (!_fr_queue_store_tx_commit (store, error))
    goto fail;
  return TRUE;

fail:
  _fr_queue_store_tx_rollback (store);
  return FALSE;
}

/**
 * fr_queue_store_revoke:
 *
 * Marks @name revoked. Revoking a revoked principal succeeds and keeps the first time.
 * Fails with %FR_ERROR_NOT_FOUND if no principal has that name.
 */
gboolean
fr_queue_store_revoke (FrQueueStore  *store,
                       const char    *name,
                       gint64         now,
                       GError       **error)
{
  g_autoptr(sqlite3_stmt) q = NULL;
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_fr_queue_store_tx_begin (store, error))
    return FALSE;

  s = _fr_queue_store_stmt (store, STMT_PRINCIPAL_REVOKE, error);
  if (s == NULL)
    goto fail;
  sqlite3_bind_text (s, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, now);
  rc = sqlite3_step (s);
  _fr_queue_store_stmt_done (s);
  if (rc != SQLITE_DONE)
    {
      _fr_queue_store_db_error (store, error, "revoke");
      goto fail;
    }

  if (sqlite3_changes (store->db) == 0)
    {
      q = _fr_queue_store_stmt (store, STMT_PRINCIPAL_BY_NAME, error);
      if (q == NULL)
        goto fail;
      sqlite3_bind_text (q, 1, name, -1, SQLITE_STATIC);
      rc = sqlite3_step (q);
      if (rc == SQLITE_DONE)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_NOT_FOUND,
                       "no kiosk or reader is enrolled as %s", name);
          goto fail;
        }
      if (rc != SQLITE_ROW)
        {
          _fr_queue_store_db_error (store, error, "look up name");
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

/**
 * fr_queue_store_list_principals:
 *
 * Returns: (transfer full): a #GArray of #FrQueuePrincipal, oldest enrollment first.
 */
GArray *
fr_queue_store_list_principals (FrQueueStore  *store,
                                GError       **error)
{
  g_autoptr(GArray) list = NULL;
  g_autoptr(sqlite3_stmt) s = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  s = _fr_queue_store_stmt (store, STMT_PRINCIPAL_LIST, error);
  if (s == NULL)
    return NULL;
  list = g_array_new (FALSE, TRUE, sizeof (FrQueuePrincipal));
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      FrQueuePrincipal p;

      read_principal (s, &p);
      g_array_append_val (list, p);
    }
  if (rc != SQLITE_DONE)
    {
      _fr_queue_store_db_error (store, error, "list principals");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * fr_queue_store_find_principal:
 *
 * Finds the kiosk or reader (by @kind) whose key id is @kid, revoked or not.
 * Fails with %FR_ERROR_NOT_FOUND if there is none.
 */
gboolean
fr_queue_store_find_principal (FrQueueStore      *store,
                               FrKeyKind          kind,
                               const guint8       kid[FR_KID_SIZE],
                               FrQueuePrincipal  *out,
                               GError           **error)
{
  g_autoptr(sqlite3_stmt) s = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (kid != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  s = _fr_queue_store_stmt (store, STMT_PRINCIPAL_BY_KIND_KID, error);
  if (s == NULL)
    return FALSE;
  sqlite3_bind_text (s, 1, kind_to_text (kind), -1, SQLITE_STATIC);
  sqlite3_bind_blob (s, 2, kid, FR_KID_SIZE, SQLITE_STATIC);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      read_principal (s, out);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_NOT_FOUND, "no %s with this key id", kind_to_text (kind));
      return FALSE;
    }
  return _fr_queue_store_db_error (store, error, "look up key id");
}
