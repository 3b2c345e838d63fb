/* queue-world.c — the whole chain through the real tools (see queue-world.h). */
#include "config.h"

#include <glib/gstdio.h>

#include "fr-test-util.h"
#include "queue-world.h"

#define run_kiosk(run, ...) fr_test_run_tool (run, "FRISTAD_KIOSK", __VA_ARGS__, NULL)
#define run_staff(run, ...) fr_test_run_tool (run, "FRISTAD_STAFF", __VA_ARGS__, NULL)

void
queue_world_init (QueueWorld *world,
                  const char *dir,
                  const char *passphrase)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pass_text = g_strdup_printf ("%s\n", passphrase);
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(FrTestRun) run;

  world->dir = g_strdup (dir);
  world->key = g_build_filename (dir, "staff.key", NULL);
  world->pass = g_build_filename (dir, "pass", NULL);
  world->inbox = g_build_filename (dir, "inbox", NULL);
  world->db = g_build_filename (dir, "queue.db", NULL);
  g_assert_true (g_file_set_contents (world->pass, pass_text, -1, &error));

  run_staff (&run, "keygen", "--out", world->key, "--passphrase-file", world->pass);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 2);
  world->recipient = g_strdup (lines[0]);
  world->reader = g_strdup (lines[1]);

  world->queue = queue_start (world->db, "http", NULL);
  g_assert_cmpint (queue_cli (&out, &err, "enroll-reader", "--db", world->db, "--name", "staff-1",
                              "--recipient", world->recipient, world->reader, NULL), ==, 0);
}

char *
queue_world_add_kiosk (QueueWorld *world,
                       const char *name,
                       gboolean    in_roster)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kiosk_dir = g_build_filename (world->dir, name, NULL);
  g_autofree char *state_dir = g_build_filename (kiosk_dir, "state", NULL);
  g_autofree char *kiosk_key = NULL, *out = NULL, *err = NULL;
  char *config = g_build_filename (kiosk_dir, "kiosk.conf", NULL);
  g_autofree char *text = g_strdup_printf ("[site]\nid=test-kommun\nname=Test kommun\nlanguages=sv;en;th\n"
                                           "state-dir=%s\n\n[queue]\nurl=%s\n\n[recipients]\nkeys=%s\n\n"
                                           "[contact emergency]\nname=Emergency\nphone=112\ntiles=help-now\n",
                                           state_dir, world->queue->base_url, world->recipient);

  g_assert_cmpint (g_mkdir_with_parents (kiosk_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (config, text, -1, &error));
  {
    g_auto(FrTestRun) run;

    run_kiosk (&run, "--config", config, "--print-kiosk-key");
    g_assert_cmpint (run.status, ==, 0);
    kiosk_key = g_strstrip (g_strdup (run.out));
  }
  g_assert_cmpint (queue_cli (&out, &err, "enroll-kiosk", "--db", world->db, "--name", name, kiosk_key, NULL), ==, 0);
  if (in_roster)
    {
      g_auto(FrTestRun) run;

      run_staff (&run, "kiosks", "add", name, kiosk_key, "--key", world->key, "--passphrase-file", world->pass);
      g_assert_cmpint (run.status, ==, 0);
    }
  return config;
}

char *
queue_world_submit (QueueWorld *world,
                    const char *config,
                    const char *json,
                    const char *voice)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_build_filename (world->dir, "input.json", NULL);
  g_autofree char *attach = voice != NULL ? g_strdup_printf ("voice=%s", voice) : NULL;
  g_auto(FrTestRun) run;

  g_assert_true (g_file_set_contents (input, json, -1, &error));
  if (voice != NULL)
    run_kiosk (&run, "--config", config, "--submit", input, "--attach", attach);
  else
    run_kiosk (&run, "--config", config, "--submit", input);
  g_assert_cmpint (run.status, ==, 0);
  g_unlink (input);
  return g_strstrip (g_strdup (run.out));
}

char *
queue_world_submit_bytes (QueueWorld *world,
                          const char *config,
                          const char *json,
                          GBytes     *voice)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  char *out;

  if (voice == NULL)
    return queue_world_submit (world, config, json, NULL);
  path = g_build_filename (world->dir, "voice.ogg", NULL);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (voice, NULL), g_bytes_get_size (voice), &error));
  out = queue_world_submit (world, config, json, path);
  g_unlink (path);
  return out;
}

void
queue_world_fetch (QueueWorld *world)
{
  g_auto(FrTestRun) run;

  run_staff (&run, "fetch", "--server", world->queue->base_url, "--key", world->key, "--inbox", world->inbox,
             "--passphrase-file", world->pass);
  g_assert_cmpint (run.status, ==, 0);
}

void
queue_world_clear (QueueWorld *world)
{
  if (world->queue != NULL)
    queue_stop (world->queue);
  g_clear_pointer (&world->queue, queue_process_free);
  if (world->dir != NULL)
    queue_rmtree (world->dir);
  g_clear_pointer (&world->dir, g_free);
  g_clear_pointer (&world->key, g_free);
  g_clear_pointer (&world->pass, g_free);
  g_clear_pointer (&world->inbox, g_free);
  g_clear_pointer (&world->db, g_free);
  g_clear_pointer (&world->recipient, g_free);
  g_clear_pointer (&world->reader, g_free);
}
