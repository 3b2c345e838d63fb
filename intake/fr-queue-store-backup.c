/* fr-queue-store-backup.c — the queue store: an online backup with SQLite's backup API */
#define G_LOG_DOMAIN "fristad-queue"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fr-error.h"
#include "fr-queue.h"
#include "fr-queue-store-private.h"

/* Backup ----------------------------------------------------------------------------- */

#define BACKUP_BUSY_TRIES 50        /* × 100 ms: how long a backup waits for a read lock */

static void
backup_remove_temporary (const char *tmp)
{
  static const char * const suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (tmp, suffixes[i], NULL);

      (void) g_unlink (path);
    }
}

static gboolean
backup_fsync_path (const char  *path,
                   int          flags,
                   GError     **error)
{
  int fd = g_open (path, flags | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "backup: %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Copies into the open temporary database @copy and checks the copy. */
static gboolean
backup_copy (FrQueueStore  *store,
             sqlite3       *copy,
             GError       **error)
{
  sqlite3_backup *backup;
  sqlite3_stmt *s = NULL;
  gboolean ok;
  int rc;

  backup = sqlite3_backup_init (copy, "main", store->db, "main");
  if (backup == NULL)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_DATABASE, "backup: %s", sqlite3_errmsg (copy));
      return FALSE;
    }
  /* All pages in one step: one read transaction on the source, which under WAL never
   * blocks the server's writes, and no restart when another connection writes meanwhile
   * (copying in slices would start over after every commit of a busy server). */
  for (guint tries = 0; ; tries++)
    {
      rc = sqlite3_backup_step (backup, -1);
      if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || tries >= BACKUP_BUSY_TRIES)
        break;
      sqlite3_sleep (100);
    }
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_DATABASE, "backup: copy: %s", sqlite3_errstr (rc));
      return FALSE;
    }

  /* One self-contained file (no -wal beside it), checked before it replaces anything. */
  if (sqlite3_exec (copy, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (copy, "PRAGMA quick_check", -1, &s, NULL) != SQLITE_OK)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_DATABASE, "backup: copy: %s", sqlite3_errmsg (copy));
      return FALSE;
    }
  ok = sqlite3_step (s) == SQLITE_ROW
       && g_strcmp0 ((const char *) sqlite3_column_text (s, 0), "ok") == 0;
  sqlite3_finalize (s);
  if (!ok)
    g_set_error (error, FR_ERROR, FR_ERROR_DATABASE, "backup: the copy fails SQLite's quick_check");
  return ok;
}

/**
 * fr_queue_store_backup:
 * @store: an open store
 * @dest: the backup file; replaced if it exists
 * @error: return location for a #GError
 *
 * Writes a consistent copy of the database, as of one moment, while the server goes on
 * writing (SQLite's online backup API). The copy is made in a temporary file beside
 * @dest (mode 0600), checked (`PRAGMA quick_check`), fsynced and renamed over @dest, so
 * @dest is always either the old backup or a complete new one. The copy is in rollback
 * journal mode: one file, nothing beside it.
 */
gboolean
fr_queue_store_backup (FrQueueStore  *store,
                       const char    *dest,
                       GError       **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  sqlite3 *copy = NULL;
  gboolean ok;
  int fd;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (dest != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  dir = g_path_get_dirname (dest);
  base = g_path_get_basename (dest);
  tmp = g_strdup_printf ("%s/.%s.tmp-XXXXXX", dir, base);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "backup: %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  if (sqlite3_open_v2 (tmp, &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_DATABASE, "backup: %s",
                   copy != NULL ? sqlite3_errmsg (copy) : "out of memory");
      ok = FALSE;
    }
  else
    ok = backup_copy (store, copy, error);
  if (copy != NULL && sqlite3_close (copy) != SQLITE_OK && ok)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_DATABASE, "backup: close: %s", sqlite3_errmsg (copy));
      ok = FALSE;
    }

  ok = ok && backup_fsync_path (tmp, O_RDONLY, error);
  if (ok && g_rename (tmp, dest) != 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "backup: %s: %s", dest, g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    {
      backup_remove_temporary (tmp);
      return FALSE;
    }
  return backup_fsync_path (dir, O_RDONLY | O_DIRECTORY, error);
}
