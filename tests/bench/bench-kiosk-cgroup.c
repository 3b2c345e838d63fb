/* bench-kiosk-cgroup.c — a low-end terminal emulated: the programs run in a cgroup v1
 * "cpu" controller group with a CFS quota (25 ms of CPU every 100 ms: a quarter of one
 * core), created for the run and removed after it */
#define G_LOG_DOMAIN "fristad-bench"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>

#include "bench-kiosk.h"

static gboolean
write_value (const char  *name,
             guint        value,
             GError     **error)
{
  g_autofree char *path = g_build_filename (CGROUP_DIR, name, NULL);
  g_autofree char *text = g_strdup_printf ("%u\n", value);

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, 0644, error);
}

gboolean
cgroup_create (guint    quota_us,
               guint    period_us,
               GError **error)
{
  if (mkdir (CGROUP_DIR, 0755) != 0 && errno != EEXIST)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s (the cgroup v1 cpu controller, as root)",
                   CGROUP_DIR, g_strerror (saved));
      return FALSE;
    }
  /* The period first: a quota above the old period's limits would be refused. */
  if (!write_value ("cpu.cfs_period_us", period_us, error) || !write_value ("cpu.cfs_quota_us", quota_us, error))
    {
      rmdir (CGROUP_DIR);
      return FALSE;
    }
  return TRUE;
}

void
cgroup_join (void)
{
  int fd = open (CGROUP_DIR "/cgroup.procs", O_WRONLY | O_CLOEXEC);

  if (fd >= 0)
    {
      /* "0": the writing process itself. */
      if (write (fd, "0\n", 2) != 2)
        _exit (125);
      close (fd);
    }
  else
    _exit (125);
}

char *
cgroup_describe (void)
{
  g_autofree char *quota = NULL, *period = NULL, *stat = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 periods = 0, throttled = 0, throttled_ns = 0;

  g_file_get_contents (CGROUP_DIR "/cpu.cfs_quota_us", &quota, NULL, NULL);
  g_file_get_contents (CGROUP_DIR "/cpu.cfs_period_us", &period, NULL, NULL);
  if (g_file_get_contents (CGROUP_DIR "/cpu.stat", &stat, NULL, NULL))
    {
      lines = g_strsplit (stat, "\n", -1);
      for (guint i = 0; lines[i]; i++)
        {
          if (g_str_has_prefix (lines[i], "nr_periods "))
            periods = g_ascii_strtoull (lines[i] + strlen ("nr_periods "), NULL, 10);
          else if (g_str_has_prefix (lines[i], "nr_throttled "))
            throttled = g_ascii_strtoull (lines[i] + strlen ("nr_throttled "), NULL, 10);
          else if (g_str_has_prefix (lines[i], "throttled_time "))
            throttled_ns = g_ascii_strtoull (lines[i] + strlen ("throttled_time "), NULL, 10);
        }
    }
  return g_strdup_printf ("cpu.cfs_quota_us=%s cpu.cfs_period_us=%s; throttled in %" G_GUINT64_FORMAT " of %"
                          G_GUINT64_FORMAT " periods, %.1f s in all",
                          quota ? g_strstrip (quota) : "?", period ? g_strstrip (period) : "?", throttled, periods,
                          throttled_ns / 1e9);
}

void
cgroup_remove (void)
{
  /* Its processes have exited (or been killed) by now; the kernel may take a moment. */
  for (int i = 0; i < 100; i++)
    {
      if (rmdir (CGROUP_DIR) == 0 || errno == ENOENT)
        return;
      g_usleep (50000);
    }
  g_printerr ("bench-kiosk: could not remove %s: %s\n", CGROUP_DIR, g_strerror (errno));
}
