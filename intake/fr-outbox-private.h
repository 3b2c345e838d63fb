/* fr-outbox-private.h — what the files of the outbox share (fr-outbox.c lists them)
 *
 * The schema and the guarantees are written down in intake/OUTBOX.md.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "fr-outbox.h"

G_BEGIN_DECLS

#define OUTBOX_SCHEMA_VERSION  1
#define OUTBOX_APPLICATION_ID  0x46525354   /* "FRST" */
#define OUTBOX_BUSY_TIMEOUT_MS 5000
#define OUTBOX_ERROR_TEXT_MAX  256          /* bytes kept of a transport error text */

#define META_LAST_DELIVERY "last_delivery"
#define META_LAST_ERROR    "last_error"

/* The statements, prepared once when the outbox is opened (their SQL is in fr-outbox.c). */
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

struct _FrOutbox
{
  sqlite3      *db;
  char         *path;
  sqlite3_stmt *stmts[N_STMTS];
};

void          _fr_outbox_set_db_error  (sqlite3     *db,
                                        GError     **error,
                                        const char  *operation);
/* @which, reset and without bindings. */
sqlite3_stmt *_fr_outbox_get_stmt      (FrOutbox   *outbox,
                                        OutboxStmt  which);
/* Ends the statement's read so it holds no snapshot and pins no pages. */
void          _fr_outbox_release_stmt  (sqlite3_stmt *stmt);
/* @rc is the bitwise OR of the sqlite3_bind_*() results for @stmt: zero only if every
 * one of them succeeded. */
gboolean      _fr_outbox_bind_ok       (FrOutbox      *outbox,
                                        sqlite3_stmt  *stmt,
                                        int            rc,
                                        const char    *operation,
                                        GError       **error);
/* Steps a statement that returns no rows; resets it afterwards. */
gboolean      _fr_outbox_step_done     (FrOutbox      *outbox,
                                        sqlite3_stmt  *stmt,
                                        const char    *operation,
                                        GError       **error);
gboolean      _fr_outbox_tx_begin      (FrOutbox    *outbox,
                                        const char  *operation,
                                        GError     **error);
void          _fr_outbox_tx_rollback   (FrOutbox *outbox);
gboolean      _fr_outbox_tx_commit     (FrOutbox    *outbox,
                                        const char  *operation,
                                        GError     **error);
/* A lowercase UUID, or FR_ERROR_RECORD_INVALID. */
gboolean      _fr_outbox_check_id      (const char  *id,
                                        GError     **error);

G_END_DECLS
