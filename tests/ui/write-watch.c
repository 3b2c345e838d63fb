/* write-watch.c — which files this process opens for writing, while a test watches */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

/* These functions are defined under their plain names, whatever the build's large-file
 * and fortify settings would rename them to. */
#undef _FILE_OFFSET_BITS
#undef _FORTIFY_SOURCE

#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "write-watch.h"

static gint watching;
static GMutex lock;
static GPtrArray *written;

void
write_watch_start (void)
{
  g_mutex_lock (&lock);
  g_clear_pointer (&written, g_ptr_array_unref);
  written = g_ptr_array_new_with_free_func (g_free);
  g_mutex_unlock (&lock);
  g_atomic_int_set (&watching, 1);
}

GPtrArray *
write_watch_stop (void)
{
  GPtrArray *out;

  g_atomic_int_set (&watching, 0);
  g_mutex_lock (&lock);
  out = g_steal_pointer (&written);
  g_mutex_unlock (&lock);
  return out != NULL ? out : g_ptr_array_new_with_free_func (g_free);
}

static void
note (const char *path,
      gboolean    writes)
{
  if (!writes || path == NULL || !g_atomic_int_get (&watching))
    return;
  g_mutex_lock (&lock);
  if (written != NULL)
    g_ptr_array_add (written, g_strdup (path));
  g_mutex_unlock (&lock);
}

static gboolean
flags_write (int flags)
{
  return (flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT) != 0 || (flags & __O_TMPFILE) == __O_TMPFILE;
}

static gboolean
mode_writes (const char *mode)
{
  return mode != NULL && strpbrk (mode, "wa+") != NULL;
}

static mode_t
mode_arg (int      flags,
          va_list  ap)
{
  if ((flags & O_CREAT) != 0 || (flags & __O_TMPFILE) == __O_TMPFILE)
    return (mode_t) va_arg (ap, int);
  return 0;
}

#define REAL(name, type) \
  static type real_##name; \
  if (real_##name == NULL) \
    real_##name = (type) dlsym (RTLD_NEXT, #name)

typedef int   (*OpenFunc)   (const char *, int, ...);
typedef int   (*OpenatFunc) (int, const char *, int, ...);
typedef int   (*CreatFunc)  (const char *, mode_t);
typedef FILE *(*FopenFunc)  (const char *, const char *);
typedef int   (*MkstempFunc) (char *);
typedef int   (*MkostempFunc) (char *, int);
typedef FILE *(*TmpfileFunc) (void);

int open (const char *path, int flags, ...);
int open64 (const char *path, int flags, ...);
int openat (int dir, const char *path, int flags, ...);
int openat64 (int dir, const char *path, int flags, ...);
int creat (const char *path, mode_t mode);
int creat64 (const char *path, mode_t mode);
FILE *fopen (const char *path, const char *mode);
FILE *fopen64 (const char *path, const char *mode);
int mkstemp (char *template);
int mkstemp64 (char *template);
int mkostemp (char *template, int flags);
int mkostemp64 (char *template, int flags);
FILE *tmpfile (void);
FILE *tmpfile64 (void);

int
open (const char *path, int flags, ...)
{
  va_list ap;
  mode_t mode;
  REAL (open, OpenFunc);

  va_start (ap, flags);
  mode = mode_arg (flags, ap);
  va_end (ap);
  note (path, flags_write (flags));
  return real_open (path, flags, mode);
}

int
open64 (const char *path, int flags, ...)
{
  va_list ap;
  mode_t mode;
  REAL (open64, OpenFunc);

  va_start (ap, flags);
  mode = mode_arg (flags, ap);
  va_end (ap);
  note (path, flags_write (flags));
  return real_open64 (path, flags, mode);
}

int
openat (int dir, const char *path, int flags, ...)
{
  va_list ap;
  mode_t mode;
  REAL (openat, OpenatFunc);

  va_start (ap, flags);
  mode = mode_arg (flags, ap);
  va_end (ap);
  note (path, flags_write (flags));
  return real_openat (dir, path, flags, mode);
}

int
openat64 (int dir, const char *path, int flags, ...)
{
  va_list ap;
  mode_t mode;
  REAL (openat64, OpenatFunc);

  va_start (ap, flags);
  mode = mode_arg (flags, ap);
  va_end (ap);
  note (path, flags_write (flags));
  return real_openat64 (dir, path, flags, mode);
}

int
creat (const char *path, mode_t mode)
{
  REAL (creat, CreatFunc);

  note (path, TRUE);
  return real_creat (path, mode);
}

int
creat64 (const char *path, mode_t mode)
{
  REAL (creat64, CreatFunc);

  note (path, TRUE);
  return real_creat64 (path, mode);
}

FILE *
fopen (const char *path, const char *mode)
{
  REAL (fopen, FopenFunc);

  note (path, mode_writes (mode));
  return real_fopen (path, mode);
}

FILE *
fopen64 (const char *path, const char *mode)
{
  REAL (fopen64, FopenFunc);

  note (path, mode_writes (mode));
  return real_fopen64 (path, mode);
}

/* The C library's temporary files open without going through open(). */
int
mkstemp (char *template)
{
  REAL (mkstemp, MkstempFunc);

  note (template, TRUE);
  return real_mkstemp (template);
}

int
mkstemp64 (char *template)
{
  REAL (mkstemp64, MkstempFunc);

  note (template, TRUE);
  return real_mkstemp64 (template);
}

int
mkostemp (char *template, int flags)
{
  REAL (mkostemp, MkostempFunc);

  note (template, TRUE);
  return real_mkostemp (template, flags);
}

int
mkostemp64 (char *template, int flags)
{
  REAL (mkostemp64, MkostempFunc);

  note (template, TRUE);
  return real_mkostemp64 (template, flags);
}

FILE *
tmpfile (void)
{
  REAL (tmpfile, TmpfileFunc);

  note ("(tmpfile)", TRUE);
  return real_tmpfile ();
}

FILE *
tmpfile64 (void)
{
  REAL (tmpfile64, TmpfileFunc);

  note ("(tmpfile)", TRUE);
  return real_tmpfile64 ();
}
