/* fr-queue-store-private.h — internals shared by the queue store's files
 *
 * fr-queue-store.c             opening, schema and migration, the statements, envelopes
 * fr-queue-store-principals.c  kiosks and readers: enroll, revoke, list, look up
 * fr-queue-store-backup.c      the online backup (SQLite's backup API)
 */
#pragma once

#include <sqlite3.h>

#include "fr-queue.h"

G_BEGIN_DECLS

typedef enum
{
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_PRINCIPAL_BY_NAME,
  STMT_PRINCIPAL_BY_KID,
  STMT_PRINCIPAL_BY_KIND_KID,
  STMT_PRINCIPAL_INSERT,
  STMT_PRINCIPAL_REVOKE,
  STMT_PRINCIPAL_LIST,
  STMT_PRINCIPAL_BIND,
  STMT_SEEN,
  STMT_KIOSK_USAGE,
  STMT_ENVELOPE_INSERT,
  STMT_RECIPIENT_INSERT,
  STMT_ENVELOPE_LIST,
  STMT_ENVELOPE_GET,
  STMT_ENVELOPE_RECIPIENTS,
  STMT_ENVELOPE_DELETE,
  STMT_RECIPIENTS_DELETE,
  STMT_TOMBSTONE_INSERT,
  STMT_TOMBSTONE_GET,
  N_STMTS
} StmtId;

struct _FrQueueStore
{
  sqlite3      *db;
  sqlite3_stmt *stmts[N_STMTS];
  guint64       quota;          /* bytes stored per kiosk, 0 = no limit */
};

#define HASH_SIZE 32

gboolean       _fr_queue_store_db_error    (FrQueueStore  *store,
                                            GError       **error,
                                            const char    *what);
sqlite3_stmt  *_fr_queue_store_stmt        (FrQueueStore  *store,
                                            StmtId         id,
                                            GError       **error);
void           _fr_queue_store_stmt_done   (sqlite3_stmt  *s);
gboolean       _fr_queue_store_tx_begin    (FrQueueStore  *store,
                                            GError       **error);
gboolean       _fr_queue_store_tx_commit   (FrQueueStore  *store,
                                            GError       **error);
void           _fr_queue_store_tx_rollback (FrQueueStore  *store);

/* A prepared statement borrowed for one use: reset and unbound when it goes out of scope. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, _fr_queue_store_stmt_done)

G_END_DECLS
