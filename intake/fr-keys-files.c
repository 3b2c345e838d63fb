/* fr-keys-files.c — reading and creating the key files
 *
 * Key files are read whole and must not change size while being read; a new one is
 * created mode 0600 and never replaces an existing file (intake/KEYS.md).
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1   /* renameat2 (), RENAME_NOREPLACE */
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "fr-error.h"
#include "fr-keys-private.h"

gboolean
_fr_keys_write_all (int           fd,
                    const guint8 *data,
                    gsize         len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = EIO;
          return FALSE;
        }
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Reads up to @cap bytes, until end of file. Sets *@got. */
static gboolean
read_upto (int     fd,
           guint8 *buf,
           gsize   cap,
           gsize  *got)
{
  gsize off = 0;

  while (off < cap)
    {
      ssize_t n = read (fd, buf + off, cap - off);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      off += (gsize) n;
    }
  *got = off;
  return TRUE;
}

/* Reads exactly @size bytes and makes sure the file ends there. */
gboolean
_fr_keys_read_exact_file (int          fd,
                          guint8      *buf,
                          gsize        size,
                          const char  *what,
                          const char  *path,
                          GError     **error)
{
  gsize got = 0;
  guint8 extra = 0;
  gsize got_extra = 0;

  if (!read_upto (fd, buf, size, &got) || (got == size && !read_upto (fd, &extra, 1, &got_extra)))
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot read %s %s: %s",
                   what, path, g_strerror (saved));
      return FALSE;
    }
  sodium_memzero (&extra, sizeof extra);
  if (got != size || got_extra != 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                   "%s %s changed size while being read; expected %" G_GSIZE_FORMAT " bytes",
                   what, path, size);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sync_directory (const char  *dir,
                GError     **error)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0 || (fsync (fd) < 0 && errno != EINVAL && errno != ENOTSUP))
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot sync directory %s: %s",
                   dir, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

void
_fr_keys_new_file_clear (FrKeysNewFile *nf)
{
  if (nf->fd >= 0)
    close (nf->fd);
  nf->fd = -1;
  if (nf->tmp != NULL)
    g_unlink (nf->tmp);
  g_clear_pointer (&nf->tmp, g_free);
  g_clear_pointer (&nf->dir, g_free);
  g_clear_pointer (&nf->path, g_free);
}

gboolean
_fr_keys_new_file_open (FrKeysNewFile     *nf,
                        const char  *path,
                        GError     **error)
{
  g_autofree char *base = g_path_get_basename (path);
  int saved;

  nf->path = g_strdup (path);
  nf->dir = g_path_get_dirname (path);
  nf->tmp = g_strdup_printf ("%s/.%s.XXXXXX", nf->dir, base);
  nf->fd = g_mkstemp_full (nf->tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (nf->fd < 0)
    {
      saved = errno;
      g_clear_pointer (&nf->tmp, g_free);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot create a file in %s: %s",
                   nf->dir, g_strerror (saved));
      return FALSE;
    }
  /* Whatever the umask. */
  if (fchmod (nf->fd, 0600) < 0)
    {
      saved = errno;
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot create a file in %s: %s",
                   nf->dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Writes @data, syncs, and puts the file in place. Sets *@exists if the path was taken. */
gboolean
_fr_keys_new_file_commit (FrKeysNewFile       *nf,
                          const guint8  *data,
                          gsize          len,
                          gboolean      *exists,
                          GError       **error)
{
  int fd = nf->fd;
  int saved;

  *exists = FALSE;
  g_return_val_if_fail (fd >= 0, FALSE);

  nf->fd = -1;
  if (!_fr_keys_write_all (fd, data, len) || fsync (fd) < 0)
    {
      saved = errno;
      close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot write %s: %s",
                   nf->path, g_strerror (saved));
      return FALSE;
    }
  if (close (fd) < 0)
    {
      saved = errno;
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot write %s: %s",
                   nf->path, g_strerror (saved));
      return FALSE;
    }

  if (link (nf->tmp, nf->path) == 0)
    {
      g_unlink (nf->tmp);
      g_clear_pointer (&nf->tmp, g_free);
      return sync_directory (nf->dir, error);
    }
  saved = errno;
  if (saved != EEXIST)
    {
      /* No hard links on this file system (vfat, some network file systems). */
      if (renameat2 (AT_FDCWD, nf->tmp, AT_FDCWD, nf->path, RENAME_NOREPLACE) == 0)
        {
          g_clear_pointer (&nf->tmp, g_free);
          return sync_directory (nf->dir, error);
        }
      if (errno == EEXIST)
        saved = EEXIST;
    }
  if (saved == EEXIST)
    {
      *exists = TRUE;
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s already exists", nf->path);
    }
  else
    g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot create %s: %s",
                 nf->path, g_strerror (saved));
  return FALSE;
}
