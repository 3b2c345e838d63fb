#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fr-test-util.h"

void
fr_test_run_clear (FrTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
detach_from_terminal (gpointer data)
{
  setsid ();
}

/**
 * fr_test_run_tool:
 * @run: (out caller-allocates): exit status and output
 * @env_var: the environment variable holding the binary's path (set by meson)
 * @first_arg: the arguments, NULL-terminated
 *
 * Runs the tool in its own session (no controlling terminal), with no standard input and
 * no display, and fails the test if it did not exit normally (a crash or an abort).
 */
void
fr_test_run_tool (FrTestRun  *run,
                  const char *env_var,
                  const char *first_arg,
                  ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = NULL;
  const char *binary = g_getenv (env_var);
  const char *arg;
  va_list ap;
  int wait_status = 0;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (char *) binary);
  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  envp = g_environ_unsetenv (g_get_environ (), "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");

  memset (run, 0, sizeof *run);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_STDIN_FROM_DEV_NULL, detach_from_terminal, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  if (!WIFEXITED (wait_status))
    g_error ("%s %s did not exit normally: %s", binary, first_arg ? first_arg : "", run->err);
  run->status = WEXITSTATUS (wait_status);
}

/* An error is exactly one line on stderr, and says something. */
void
fr_test_assert_one_line (const char *err)
{
  g_assert_nonnull (err);
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_cmpuint (strlen (err), >, 15);
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

/* Files under @path (a file or a directory) that hold @needle; @n_files counts the files
 * read. A path that cannot be read fails the test rather than counting as clean. */
guint
fr_test_count_in_tree (const char *path,
                       const char *needle,
                       guint      *n_files)
{
  g_autoptr(GDir) d = NULL;
  const char *name;
  guint hits = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &contents, &len, NULL))
        g_error ("cannot read %s", path);
      (*n_files)++;
      return memmem (contents, len, needle, strlen (needle)) != NULL ? 1 : 0;
    }
  d = g_dir_open (path, 0, NULL);
  if (d == NULL)
    g_error ("cannot open the directory %s", path);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      hits += fr_test_count_in_tree (child, needle, n_files);
    }
  return hits;
}

/* The canary's bytes are in no file under @dir, which exists and holds at least one file. */
void
fr_test_assert_no_canary (const char *dir,
                          const char *canary)
{
  guint n_files = 0;

  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  if (fr_test_count_in_tree (dir, canary, &n_files) > 0)
    g_error ("plaintext canary found at rest under %s", dir);
  if (n_files == 0)
    g_error ("no file under %s: nothing was checked for the canary", dir);
}

void
fr_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      fr_test_remove_tree (child);
    }
  g_rmdir (path);
}

static char *
proc_path (GPid        pid,
           const char *file)
{
  if (pid == 0)
    return g_strdup_printf ("/proc/self/%s", file);
  return g_strdup_printf ("/proc/%d/%s", (int) pid, file);
}

/**
 * fr_test_proc_status_kib:
 * @pid: a process, or 0 for this one
 * @field: a /proc/PID/status field counted in kB: "VmRSS", "VmHWM" …
 *
 * Returns: its value, or 0 if the process is gone or has no such field
 */
guint64
fr_test_proc_status_kib (GPid        pid,
                         const char *field)
{
  g_autofree char *path = proc_path (pid, "status");
  g_autofree char *needle = g_strdup_printf ("\n%s:", field);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  line = strstr (text, needle);
  return line != NULL ? g_ascii_strtoull (line + strlen (needle), NULL, 10) : 0;
}

/**
 * fr_test_proc_maps_contain:
 * @pid: a process, or 0 for this one
 * @needle: part of a mapped file's path: "libGL", "/sv/LC_MESSAGES/fristad.mo" …
 *
 * Fails the test if the process's /proc/PID/maps cannot be read.
 *
 * Returns: whether a line of it contains @needle
 */
gboolean
fr_test_proc_maps_contain (GPid        pid,
                           const char *needle)
{
  g_autofree char *path = proc_path (pid, "maps");
  g_autofree char *maps = NULL;

  g_assert_true (g_file_get_contents (path, &maps, NULL, NULL));
  return strstr (maps, needle) != NULL;
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for about @ms milliseconds. */
void
fr_test_wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * fr_test_wait_until:
 * @done: asked after every main loop iteration
 * @timeout_ms: how long to wait at most
 * @wake_ms: the loop wakes at least this often to ask @done
 *
 * Runs the main loop until @done says so.
 *
 * Returns: %FALSE if @timeout_ms passed first
 */
gboolean
fr_test_wait_until (gboolean (*done) (gpointer),
                    gpointer  data,
                    guint     timeout_ms,
                    guint     wake_ms)
{
  gboolean timed_out = FALSE;
  guint wake = g_timeout_add (wake_ms, keep_waking, NULL);
  guint timer = g_timeout_add (timeout_ms, set_flag, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  if (!timed_out)
    g_source_remove (timer);
  return done (data);
}

/* ---- fresh homes, and no new file in them ------------------------------------------- */

static const char *root_vars[FR_TEST_N_ROOTS] = {
  "HOME", "TMPDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR",
};

void
fr_test_roots_init (FrTestRoots *roots,
                    const char  *parent)
{
  for (guint i = 0; i < FR_TEST_N_ROOTS; i++)
    {
      roots->dirs[i] = g_build_filename (parent, "roots", root_vars[i], NULL);
      g_assert_cmpint (g_mkdir_with_parents (roots->dirs[i], 0700), ==, 0);
      g_setenv (root_vars[i], roots->dirs[i], TRUE);
    }
}

void
fr_test_roots_clear (FrTestRoots *roots)
{
  for (guint i = 0; i < FR_TEST_N_ROOTS; i++)
    g_clear_pointer (&roots->dirs[i], g_free);
}

static void
list_files (const char *dir,
            GPtrArray  *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        list_files (path, out);
      g_ptr_array_add (out, g_steal_pointer (&path));
    }
}

GPtrArray *
fr_test_roots_snapshot (const FrTestRoots *roots,
                        const char        *also)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < FR_TEST_N_ROOTS; i++)
    list_files (roots->dirs[i], files);
  if (also != NULL)
    list_files (also, files);
  return files;
}

void
fr_test_roots_assert_no_new_file (const FrTestRoots *roots,
                                  GPtrArray         *before,
                                  const char        *also,
                                  const char        *when)
{
  g_autoptr(GPtrArray) now = fr_test_roots_snapshot (roots, also);

  for (guint i = 0; i < now->len; i++)
    if (!g_ptr_array_find_with_equal_func (before, g_ptr_array_index (now, i), g_str_equal, NULL))
      g_error ("%s: a new file %s", when, (char *) g_ptr_array_index (now, i));
}
