/* test-demo.c — `fristad-kiosk --demo --windowed` as the README's quick start runs it:
 * it starts, prints how to reach its queue, and the printed fristad-staff commands fetch,
 * list and open a record sent to it; its interface speaks the language a person chooses
 * (driven through AT-SPI as a screen-reader user would, in an environment holding nothing
 * the README does not set); and its throwaway keys are gone after every way it can end. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <atspi/atspi.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>

#include "fr-kiosk-i18n.h"
#include "fr-test-util.h"

/* Whole leak stacks for this test driver, so that tests/ui/lsan.supp can recognise what
 * libatspi keeps (with fast unwinding the stack stops at g_malloc). */
const char *__asan_default_options (void);
const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

/* libatspi 2.46 declares no autoptr cleanups; its interfaces are the accessible's object. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiAccessible, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiStateSet, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiComponent, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiAction, g_object_unref)

/* Under the sanitizers everything is several times slower. */
#define WAIT_SECONDS 60

typedef struct
{
  char *site_dir;
  char *fetch;
  char *list;
  char *open;
} Instructions;

static void
instructions_clear (Instructions *ins)
{
  g_free (ins->site_dir);
  g_free (ins->fetch);
  g_free (ins->list);
  g_free (ins->open);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Instructions, instructions_clear)

static void
read_instructions (GSubprocess  *kiosk,
                   Instructions *ins)
{
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (kiosk));
  g_autoptr(GError) error = NULL;

  while (ins->open == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
      const char *p;

      g_assert_no_error (error);
      g_assert_nonnull (line);      /* the demo must not exit before printing everything */
      p = g_strstrip (line);
      if (g_str_has_prefix (p, "site directory:"))
        ins->site_dir = g_strdup (g_strstrip ((char *) p + strlen ("site directory:")));
      else if (strstr (p, "fristad-staff fetch ") != NULL)
        ins->fetch = g_strdup (p);
      else if (strstr (p, "fristad-staff list ") != NULL)
        ins->list = g_strdup (p);
      else if (strstr (p, "fristad-staff open ID ") != NULL)
        ins->open = g_strdup (p);
    }
  g_assert_nonnull (ins->site_dir);
  g_assert_nonnull (ins->fetch);
  g_assert_nonnull (ins->list);
}

/* Runs a command line exactly as the demo printed it. */
static char *
run_printed (const char *command_line)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_shell_parse_argv (command_line, NULL, &argv, &error));
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("\"%s\" failed: %s", command_line, err);
  return out;
}

/* The README's demo command, as a newcomer runs it: no FRISTAD_* variable, no GTK_* or
 * G_DEBUG, nothing but what a terminal on a fresh machine has (the display and session bus
 * the harness made, HOME, PATH) plus the sanitizers' own options. TMPDIR points at
 * @tmpdir so that the test sees exactly which demo directories the kiosk made.
 * @display: the X display, or NULL for none at all. Its log goes to the test's stderr
 * unless @capture_stderr. */
static GSubprocess *
spawn_demo (const char  *display,
            const char  *tmpdir,
            gboolean     capture_stderr,
            GError     **error)
{
  static const char *const passed[] = {
    "HOME", "PATH", "DBUS_SESSION_BUS_ADDRESS", "XAUTHORITY",
    "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS", NULL
  };
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | (capture_stderr ? G_SUBPROCESS_FLAGS_STDERR_PIPE : G_SUBPROCESS_FLAGS_NONE));
  g_auto(GStrv) env = NULL;

  for (guint i = 0; passed[i]; i++)
    if (g_getenv (passed[i]) != NULL)
      env = g_environ_setenv (env, passed[i], g_getenv (passed[i]), TRUE);
  if (display != NULL)
    env = g_environ_setenv (env, "DISPLAY", display, TRUE);
  env = g_environ_setenv (env, "TMPDIR", tmpdir, TRUE);
  g_subprocess_launcher_set_environ (launcher, env);
  return g_subprocess_launcher_spawn (launcher, error, g_getenv ("FRISTAD_KIOSK"), "--demo", "--windowed", NULL);
}

/* How many fristad-demo-* directories are in @tmpdir. */
static guint
count_demo_dirs (const char *tmpdir)
{
  g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "fristad-demo-"))
      n++;
  return n;
}

/* The demo's directory is removed by a watcher once the kiosk has ended, however it ended;
 * it may take the watcher a moment after the kiosk's exit. */
static void
assert_demo_dir_removed (const char *site_dir,
                         const char *tmpdir)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (g_file_test (site_dir, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  g_assert_false (g_file_test (site_dir, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_demo_dirs (tmpdir), ==, 0);
}

/* --- AT-SPI: the kiosk driven as a screen-reader or switch user would ------------------ */

static AtspiAccessible *
find_application (GPid pid)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(AtspiAccessible) desktop = atspi_get_desktop (0);
      int n = atspi_accessible_get_child_count (desktop, NULL);

      for (int i = 0; i < n; i++)
        {
          g_autoptr(AtspiAccessible) app = atspi_accessible_get_child_at_index (desktop, i, NULL);

          if (app != NULL && atspi_accessible_get_process_id (app, NULL) == (guint) pid)
            return g_steal_pointer (&app);
        }
      g_usleep (200 * 1000);
    }
  g_error ("the kiosk (pid %d) never appeared on the accessibility bus", pid);
}

/* GTK 4.8 sets no SHOWING state: a node is on screen when VISIBLE with non-empty extents. */
static gboolean
is_on_screen (AtspiAccessible *node)
{
  g_autoptr(AtspiStateSet) states = atspi_accessible_get_state_set (node);
  g_autoptr(AtspiComponent) component = NULL;
  g_autofree AtspiRect *extents = NULL;

  if (states == NULL || !atspi_state_set_contains (states, ATSPI_STATE_VISIBLE))
    return FALSE;
  component = atspi_accessible_get_component_iface (node);
  if (component == NULL)
    return FALSE;
  extents = atspi_component_get_extents (component, ATSPI_COORD_TYPE_WINDOW, NULL);
  return extents != NULL && extents->width > 0 && extents->height > 0;
}

/* The first node on screen whose name starts with @prefix and whose role is @role
 * (ATSPI_ROLE_INVALID: any). */
static AtspiAccessible *
find_named (AtspiAccessible *node,
            const char      *prefix,
            AtspiRole        role,
            guint            depth)
{
  g_autofree char *name = atspi_accessible_get_name (node, NULL);
  int n;

  if (name != NULL && g_str_has_prefix (name, prefix)
      && (role == ATSPI_ROLE_INVALID || atspi_accessible_get_role (node, NULL) == role)
      && is_on_screen (node))
    return g_object_ref (node);
  if (depth > 64)
    return NULL;
  n = atspi_accessible_get_child_count (node, NULL);
  for (int i = 0; i < n; i++)
    {
      g_autoptr(AtspiAccessible) child = atspi_accessible_get_child_at_index (node, i, NULL);
      AtspiAccessible *found = child ? find_named (child, prefix, role, depth + 1) : NULL;

      if (found != NULL)
        return found;
    }
  return NULL;
}

static AtspiAccessible *
wait_for_named (AtspiAccessible *app,
                const char      *prefix,
                AtspiRole        role)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      AtspiAccessible *found;

      atspi_accessible_clear_cache (app);
      found = find_named (app, prefix, role, 0);
      if (found != NULL)
        return found;
      g_usleep (200 * 1000);
    }
  g_error ("nothing named \"%s…\" came on screen", prefix);
}

/* Presses the button whose accessible name starts with @prefix. */
static void
press (AtspiAccessible *app,
       const char      *prefix)
{
  g_autoptr(AtspiAccessible) button = wait_for_named (app, prefix, ATSPI_ROLE_PUSH_BUTTON);
  g_autoptr(AtspiAction) action = atspi_accessible_get_action_iface (button);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (action);
  g_assert_true (atspi_action_do_action (action, 0, &error));
  g_assert_no_error (error);
}

/* Whether the kiosk has @lang's interface catalogue open (the welcome screen's greetings
 * and the warm-up open every one at start; an uninstalled build that looked in LOCALEDIR
 * opened none). */
static gboolean
catalogue_mapped (GPid        pid,
                  const char *lang)
{
  g_autofree char *needle = g_strdup_printf ("/%s/LC_MESSAGES/fristad.mo", lang);

  return fr_test_proc_maps_contain (pid, needle);
}

/* Chooses @lang by its own name on the welcome screen and checks that the home screen's
 * interface strings, and the Exit button, are in @lang; then leaves with Exit and comes
 * back to the welcome screen from the neutral cover. */
static void
choose_language_and_check (AtspiAccessible *app,
                           GPid             pid,
                           const char      *lang,
                           const char      *own_name)
{
  /* Two home tiles, and the top bar's Exit button (its accessible name). */
  static const char *const home_strings[] = {
    "I need help now", "Send a message to social services", "Exit now and clear the screen"
  };
  g_autofree char *exit_name = NULL;

  press (app, own_name);
  for (guint i = 0; i < G_N_ELEMENTS (home_strings); i++)
    {
      g_autofree char *translated = fr_kiosk_i18n_translate_for (lang, home_strings[i]);
      g_autoptr(AtspiAccessible) found = NULL;

      /* The test's own catalogues are the build tree's: it must have a translation. */
      g_assert_nonnull (translated);
      g_assert_cmpstr (translated, !=, home_strings[i]);
      found = wait_for_named (app, translated, ATSPI_ROLE_INVALID);
      g_test_message ("%s: \"%s\" is on screen as \"%s\"", lang, home_strings[i], translated);
      if (i == G_N_ELEMENTS (home_strings) - 1)
        exit_name = g_steal_pointer (&translated);
    }
  g_assert_true (catalogue_mapped (pid, lang));

  press (app, exit_name);
  press (app, "Help and information");
}

/* Reads the demo's instructions up to its site directory line. */
static char *
read_site_dir (GSubprocess *kiosk)
{
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (kiosk));
  g_autoptr(GError) error = NULL;

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
      const char *p;

      g_assert_no_error (error);
      g_assert_nonnull (line);
      p = g_strstrip (line);
      if (g_str_has_prefix (p, "site directory:"))
        return g_strdup (g_strstrip ((char *) p + strlen ("site directory:")));
    }
}

static void
wait_exit (GSubprocess *kiosk,
           int          expected_status)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_wait (kiosk, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (kiosk));
  g_assert_cmpint (g_subprocess_get_exit_status (kiosk), ==, expected_status);
}

static void
test_demo_translated (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("fristad-demo-tmp-XXXXXX", &error);
  g_autoptr(GSubprocess) kiosk = NULL;
  g_autoptr(AtspiAccessible) app = NULL;
  g_autofree char *site_dir = NULL;
  GPid pid;

  g_assert_no_error (error);
  kiosk = spawn_demo (g_getenv ("DISPLAY"), tmpdir, FALSE, &error);
  g_assert_no_error (error);
  site_dir = read_site_dir (kiosk);
  pid = (GPid) atoi (g_subprocess_get_identifier (kiosk));
  app = find_application (pid);

  choose_language_and_check (app, pid, "th", "ไทย");
  choose_language_and_check (app, pid, "ar", "العربية");

  /* Ctrl+C in the terminal: an orderly quit, exit 0, and the throwaway keys are gone. */
  g_subprocess_send_signal (kiosk, SIGINT);
  wait_exit (kiosk, 0);
  assert_demo_dir_removed (site_dir, tmpdir);
  g_rmdir (tmpdir);
}

/* An X server of the test's own, so that it can be taken away. */
static GSubprocess *
start_xvfb (char **display)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GDataInputStream) data = NULL;
  g_autofree char *number = NULL;
  GSubprocess *xvfb;
  int fds[2];

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  xvfb = g_subprocess_launcher_spawn (launcher, &error, "Xvfb", "-displayfd", "3", "-nolisten", "tcp",
                                      "-screen", "0", "1280x800x24", NULL);
  g_assert_no_error (error);
  in = g_unix_input_stream_new (fds[0], TRUE);
  data = g_data_input_stream_new (in);
  number = g_data_input_stream_read_line_utf8 (data, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (number);
  *display = g_strdup_printf (":%s", g_strstrip (number));
  return xvfb;
}

/* The display goes away under a running demo (the session ends, xvfb-run's timeout):
 * GTK ends the process itself, and the demo's keys must still not stay behind. */
static void
test_demo_lost_display (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("fristad-demo-tmp-XXXXXX", &error);
  g_autofree char *display = NULL;
  g_autoptr(GSubprocess) xvfb = start_xvfb (&display);
  g_autoptr(GSubprocess) kiosk = NULL;
  g_autoptr(AtspiAccessible) app = NULL;
  g_autofree char *site_dir = NULL;

  g_assert_no_error (error);
  kiosk = spawn_demo (display, tmpdir, FALSE, &error);
  g_assert_no_error (error);
  site_dir = read_site_dir (kiosk);
  g_assert_true (g_file_test (site_dir, G_FILE_TEST_IS_DIR));
  /* Up and drawing: its window is on the accessibility bus. */
  app = find_application ((GPid) atoi (g_subprocess_get_identifier (kiosk)));
  g_clear_object (&app);

  g_subprocess_send_signal (xvfb, SIGKILL);
  g_assert_true (g_subprocess_wait (xvfb, NULL, NULL));
  g_assert_true (g_subprocess_wait (kiosk, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_successful (kiosk));
  assert_demo_dir_removed (site_dir, tmpdir);
  g_rmdir (tmpdir);
}

/* No display at all: one line naming the fix, and nothing created, nothing printed. */
static void
test_demo_no_display (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("fristad-demo-tmp-XXXXXX", &error);
  g_autoptr(GSubprocess) kiosk = NULL;
  g_autoptr(GBytes) out = NULL, err = NULL;
  const char *err_text;

  g_assert_no_error (error);
  kiosk = spawn_demo (NULL, tmpdir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (kiosk, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (kiosk));
  g_assert_cmpint (g_subprocess_get_exit_status (kiosk), ==, 1);
  g_assert_cmpuint (g_bytes_get_size (out), ==, 0);
  err_text = g_bytes_get_data (err, NULL);
  g_assert_nonnull (err_text);
  {
    g_autofree char *text = g_strndup (err_text, g_bytes_get_size (err));

    fr_test_assert_one_line (text);
    g_assert_nonnull (strstr (text, "display"));
    g_assert_nonnull (strstr (text, "xvfb-run"));
  }
  g_assert_cmpuint (count_demo_dirs (tmpdir), ==, 0);
  g_rmdir (tmpdir);
}

static void
test_demo_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) kiosk = NULL;
  g_auto(Instructions) ins = { 0 };
  g_autofree char *config = NULL;
  g_autofree char *input = NULL;
  g_autofree char *fetched = NULL, *listed = NULL, *opened = NULL;
  g_autofree char *open_cmd = NULL;
  g_autofree char *id = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("fristad-demo-test-XXXXXX", &error);
  g_autofree char *tmpdir = g_dir_make_tmp ("fristad-demo-tmp-XXXXXX", &error);
  const char *canary = "CANARY-DEMO-5e1f";

  g_assert_no_error (error);
  kiosk = spawn_demo (g_getenv ("DISPLAY"), tmpdir, FALSE, &error);
  g_assert_no_error (error);
  read_instructions (kiosk, &ins);

  /* A record for the demo site, sent headless with the demo's own config and kiosk key. */
  config = g_build_filename (ins.site_dir, "kiosk.conf", NULL);
  input = g_build_filename (tmp, "record.json", NULL);
  {
    g_autofree char *json = g_strdup_printf ("{\"channel\":\"kiosk\",\"language\":\"th\",\"answers\":{\"message\":\"%s\"},"
                                             "\"consent\":{\"share\":true,\"text_version\":\"consent-1\"}}", canary);
    g_auto(FrTestRun) run;

    g_assert_true (g_file_set_contents (input, json, -1, &error));
    fr_test_run_tool (&run, "FRISTAD_KIOSK", "--config", config, "--submit", input, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_null (strstr (run.err, "will be retried"));
    id = g_strndup (run.out, 36);
  }

  /* The printed staff commands, as printed. */
  fetched = run_printed (ins.fetch);
  g_assert_nonnull (strstr (fetched, "fetched 1 new"));
  listed = run_printed (ins.list);
  g_assert_nonnull (strstr (listed, id));
  g_assert_nonnull (strstr (listed, "\tdemo"));
  {
    g_autoptr(GString) cmd = g_string_new (ins.open);
    g_autofree char *with_id = g_strdup_printf (" open %s ", id);

    g_assert_cmpuint (g_string_replace (cmd, " open ID ", with_id, 1), ==, 1);
    open_cmd = g_string_free (g_steal_pointer (&cmd), FALSE);
  }
  opened = run_printed (open_cmd);
  g_assert_nonnull (strstr (opened, canary));

  /* The demo ends on SIGTERM the way a supervisor ends a kiosk: orderly, exit 0. */
  g_subprocess_send_signal (kiosk, SIGTERM);
  g_assert_true (g_subprocess_wait (kiosk, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (kiosk));
  g_assert_cmpint (g_subprocess_get_exit_status (kiosk), ==, 0);
  /* The throwaway site, with its staff key and passphrase, is gone. */
  assert_demo_dir_removed (ins.site_dir, tmpdir);

  g_rmdir (tmpdir);
  fr_test_remove_tree (tmp);
}

/* libatspi asks every application for the AT-SPI cache object, which GTK 4.8 does not
 * implement, and warns when it is missing: the client library's complaint about the peer,
 * not something the kiosk did wrong. That one warning is dropped; every other stays fatal.
 * The writer covers structured logging; the domain handler and the fatal handler the
 * classic g_logv() path. */
static gboolean
is_missing_atspi_cache (const char *log_domain,
                        const char *message)
{
  return g_strcmp0 (log_domain, "dbind") == 0 && message != NULL
         && strstr (message, "/org/a11y/atspi/cache") != NULL;
}

static GLogWriterOutput
drop_missing_atspi_cache (GLogLevelFlags   log_level,
                          const GLogField *fields,
                          gsize            n_fields,
                          gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length != -1)
        continue;
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }
  if ((log_level & G_LOG_LEVEL_WARNING) && is_missing_atspi_cache (domain, message))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
dbind_handler (const char     *log_domain,
               GLogLevelFlags  log_level,
               const char     *message,
               gpointer        user_data)
{
  if (!is_missing_atspi_cache (log_domain, message))
    g_log_default_handler (log_domain, log_level, message, user_data);
}

static gboolean
ignore_missing_atspi_cache (const char     *log_domain,
                            GLogLevelFlags  log_level,
                            const char     *message,
                            gpointer        user_data)
{
  return !((log_level & G_LOG_LEVEL_WARNING) && is_missing_atspi_cache (log_domain, message));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_log_set_writer_func (drop_missing_atspi_cache, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  /* The test's own catalogues, for the strings it expects to see translated. */
  fr_kiosk_i18n_init ();
  g_log_set_handler ("dbind", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION, dbind_handler, NULL);
  g_test_log_set_fatal_handler (ignore_missing_atspi_cache, NULL);
  g_assert_cmpint (atspi_init (), >=, 0);
  g_test_add_func ("/kiosk/demo/round-trip", test_demo_round_trip);
  g_test_add_func ("/kiosk/demo/translated", test_demo_translated);
  g_test_add_func ("/kiosk/demo/lost-display", test_demo_lost_display);
  g_test_add_func ("/kiosk/demo/no-display", test_demo_no_display);
  status = g_test_run ();
  /* The accessibility bus connection and the caches libatspi keeps. */
  atspi_exit ();
  return status;
}
