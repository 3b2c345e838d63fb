/* bench-kiosk-memory.c — the memory of a program's processes, and statistics */
#define G_LOG_DOMAIN "fristad-bench"

#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench-kiosk.h"

/* ---------------------------------------------------------------------------------------
 * Memory
 */

void
memory_add_process (Memory *m,
                    pid_t   pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/smaps_rollup", (int) pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return;
  lines = g_strsplit (text, "\n", -1);
  m->n_processes++;
  for (guint i = 0; lines[i]; i++)
    {
      if (g_str_has_prefix (lines[i], "Rss:"))
        m->rss_kb += g_ascii_strtoull (lines[i] + 4, NULL, 10);
      else if (g_str_has_prefix (lines[i], "Pss:"))
        m->pss_kb += g_ascii_strtoull (lines[i] + 4, NULL, 10);
      else if (g_str_has_prefix (lines[i], "Anonymous:"))
        m->anon_kb += g_ascii_strtoull (lines[i] + 10, NULL, 10);
    }
}

/* The session id (field 6 of /proc/PID/stat) and the command name of a process. */
gboolean
process_info (pid_t    pid,
              int     *session,
              char   **comm)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  const char *open, *close;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  open = strchr (text, '(');
  close = strrchr (text, ')');
  if (open == NULL || close == NULL || close < open)
    return FALSE;
  if (sscanf (close + 1, " %*c %*d %*d %d", session) != 1)
    return FALSE;
  if (comm != NULL)
    *comm = g_strndup (open + 1, close - open - 1);
  return TRUE;
}

GArray *
list_processes (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      char *end;
      guint64 pid = g_ascii_strtoull (name, &end, 10);

      if (*end == '\0' && pid > 0)
        {
          pid_t p = (pid_t) pid;

          g_array_append_val (pids, p);
        }
    }
  return pids;
}

gboolean
cmdline_contains (pid_t       pid,
                  const char *needle)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", (int) pid);
  g_autofree char *text = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &text, &len, NULL))
    return FALSE;
  return memmem (text, len, needle, strlen (needle)) != NULL;
}

/* Every process of a launched program: those in its session (@sid: the child called
 * setsid()), and those that left it but carry @marker on their command line (Chromium's
 * crashpad handlers double-fork into sessions of their own; their --database is in the
 * run's directory). */
GArray *
program_processes (GPid        sid,
                   const char *marker)
{
  g_autoptr(GArray) all = list_processes ();
  GArray *members = g_array_new (FALSE, FALSE, sizeof (pid_t));

  for (guint i = 0; i < all->len; i++)
    {
      pid_t pid = g_array_index (all, pid_t, i);
      int session;

      if (!process_info (pid, &session, NULL))
        continue;
      if (session == sid || (marker != NULL && pid != getpid () && cmdline_contains (pid, marker)))
        g_array_append_val (members, pid);
    }
  return members;
}

/* Adds the frame numbers of the resident pages of one process to @frames; FALSE if the
 * kernel hides them (they read as 0 without CAP_SYS_ADMIN). */
static gboolean
add_frames (GHashTable *frames,
            pid_t       pid)
{
  g_autofree char *smaps_path = g_strdup_printf ("/proc/%d/smaps", (int) pid);
  g_autofree char *pagemap_path = g_strdup_printf ("/proc/%d/pagemap", (int) pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 start = 0, end = 0, page = (guint64) sysconf (_SC_PAGESIZE);
  gboolean visible = TRUE;
  int fd;

  if (!g_file_get_contents (smaps_path, &text, NULL, NULL))
    return TRUE;   /* gone meanwhile */
  fd = open (pagemap_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return TRUE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] && visible; i++)
    {
      guint64 a, b;

      if (sscanf (lines[i], "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x", &a, &b) == 2)
        {
          start = a;
          end = b;
          continue;
        }
      if (!g_str_has_prefix (lines[i], "Rss:") || g_ascii_strtoull (lines[i] + 4, NULL, 10) == 0)
        continue;
      /* The pagemap entries of this mapping, a chunk at a time. */
      for (guint64 at = start / page; at < end / page && visible;)
        {
          guint64 entries[4096];
          guint64 want = MIN (G_N_ELEMENTS (entries), end / page - at);
          ssize_t got = pread (fd, entries, want * sizeof (guint64), (off_t) (at * sizeof (guint64)));

          if (got <= 0)
            break;
          for (gsize e = 0; e < (gsize) got / sizeof (guint64); e++)
            {
              guint64 frame = entries[e] & ((G_GUINT64_CONSTANT (1) << 55) - 1);

              if (!(entries[e] >> 63))
                continue;   /* not present */
              if (frame == 0)
                visible = FALSE;
              else
                g_hash_table_add (frames, GSIZE_TO_POINTER ((gsize) frame));
            }
          at += (guint64) got / sizeof (guint64);
        }
    }
  close (fd);
  return visible;
}

Memory
program_memory (GPid        sid,
                const char *marker)
{
  g_autoptr(GArray) members = program_processes (sid, marker);
  g_autoptr(GHashTable) frames = g_hash_table_new (g_direct_hash, g_direct_equal);
  gboolean visible = TRUE;
  Memory m = { 0 };

  for (guint i = 0; i < members->len; i++)
    {
      memory_add_process (&m, g_array_index (members, pid_t, i));
      visible = add_frames (frames, g_array_index (members, pid_t, i)) && visible;
    }
  if (visible)
    m.unique_kb = (guint64) g_hash_table_size (frames) * (guint64) sysconf (_SC_PAGESIZE) / 1024;
  return m;
}

/* GTK's accessibility bus: activated by D-Bus on the kiosk's first start, shared by every
 * accessible app of the session. */
Memory
a11y_bus_memory (void)
{
  g_autoptr(GArray) all = list_processes ();
  Memory m = { 0 };

  for (guint i = 0; i < all->len; i++)
    {
      pid_t pid = g_array_index (all, pid_t, i);
      g_autofree char *comm = NULL;
      int session;

      if (!process_info (pid, &session, &comm))
        continue;
      if (g_str_equal (comm, "at-spi-bus-laun") || g_str_equal (comm, "at-spi2-registr")
          || (g_str_equal (comm, "dbus-daemon") && cmdline_contains (pid, "at-spi2")))
        memory_add_process (&m, pid);
    }
  return m;
}

Memory
self_memory (void)
{
  Memory m = { 0 };

  memory_add_process (&m, getpid ());
  return m;
}

/* ---------------------------------------------------------------------------------------
 * Statistics
 */

int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
quantile (GArray *values,
          double  q)
{
  g_autoptr(GArray) sorted = NULL;
  double position;
  guint below;

  if (values->len == 0)
    return NAN;
  sorted = g_array_copy (values);
  g_array_sort (sorted, compare_doubles);
  position = q * (sorted->len - 1);
  below = (guint) position;
  if (below + 1 >= sorted->len)
    return g_array_index (sorted, double, sorted->len - 1);
  return g_array_index (sorted, double, below) * (below + 1 - position)
         + g_array_index (sorted, double, below + 1) * (position - below);
}

double
median (GArray *values)
{
  return quantile (values, 0.5);
}

double
first (GArray *values)
{
  return values->len ? g_array_index (values, double, 0) : NAN;
}

void
push (GArray *values,
      double  value)
{
  g_array_append_val (values, value);
}

double
mib (double kb)
{
  return kb / 1024.0;
}
