/* test-demo.c — `fristad-kiosk --demo --windowed` as the README's quick start runs it:
 * it starts, prints how to reach its queue, and the printed fristad-staff commands fetch,
 * list and open a record sent to it. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>

#include "fr-test-util.h"

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
  const char *canary = "CANARY-DEMO-5e1f";

  g_assert_no_error (error);
  kiosk = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                            g_getenv ("FRISTAD_KIOSK"), "--demo", "--windowed", NULL);
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
  g_assert_false (g_file_test (ins.site_dir, G_FILE_TEST_EXISTS));

  fr_test_remove_tree (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/demo/round-trip", test_demo_round_trip);
  return g_test_run ();
}
