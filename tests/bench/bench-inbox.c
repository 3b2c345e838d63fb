/* bench-inbox — fristad-inbox against fristad-staff on the same 1,000 records
 *
 *   bench-inbox [N]        (default 1000; run under Xvfb: meson test --benchmark inbox)
 *
 * Starts a real fristad-queue on 127.0.0.1 (rate limit lifted), uploads N sealed records
 * from one kiosk to one staff key, then, in the same run and each as its own process under
 * /usr/bin/time (wall time and peak RSS):
 *   fristad-inbox   the app's own window in a child process: unlock, Fetch until the list
 *                   shows all N rows, then open one record (the record view and its
 *                   follow-up), timed inside the child per step;
 *   fristad-staff   fetch, list and open of the same records into its own inbox.
 * Every fristad-staff command unlocks the key (Argon2id, MODERATE) again; the app unlocks
 * once. The unlock alone is timed here too, so it can be told apart.
 */
#define G_LOG_DOMAIN "fristad-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fr-inbox-application.h"
#include "fr-inbox-item.h"
#include "fr-inbox-window.h"
#include "queue-fixture.h"

#define PASSPHRASE "bench inbox passphrase"

/* ---- the child: the app ---- */

static gboolean
unlocked (gpointer data)
{
  return !fr_inbox_session_get_locked (data);
}

static gboolean
fetched (gpointer data)
{
  return !fr_inbox_window_is_fetching (data);
}

static void
spin_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  while (!done (data))
    g_main_context_iteration (NULL, TRUE);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
unlock_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!fr_inbox_session_unlock_finish (FR_INBOX_SESSION (object), result, &error))
    g_error ("unlock: %s", error->message);
}

static int
run_app (guint expected)
{
  g_autoptr(FrInboxSession) session = NULL;
  g_autoptr(FrSecret) passphrase = fr_secret_new_from (PASSPHRASE, strlen (PASSPHRASE));
  g_autoptr(FrInboxItem) item = NULL;
  FrInboxWindow *window;
  GListModel *shown;
  gint64 t0, t1, t2, t3, t4;

  gtk_init ();
  adw_init ();
  fr_inbox_ui_init ();
  session = fr_inbox_session_new ();
  window = fr_inbox_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  drain ();

  t0 = g_get_monotonic_time ();
  fr_inbox_session_unlock_async (session, g_steal_pointer (&passphrase), NULL, unlock_cb, NULL);
  spin_until (unlocked, session);
  drain ();
  t1 = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.fetch", NULL));
  spin_until (fetched, window);
  drain ();
  t2 = g_get_monotonic_time ();
  shown = fr_inbox_window_get_shown (window);
  if (g_list_model_get_n_items (shown) != expected)
    g_error ("the list shows %u records, not %u (%s)", g_list_model_get_n_items (shown), expected,
             fr_inbox_window_get_status (window));
  item = g_list_model_get_item (shown, expected / 2);
  t3 = g_get_monotonic_time ();
  g_assert_true (fr_inbox_window_open_record (window, fr_inbox_item_get_id (item)));
  drain ();
  t4 = g_get_monotonic_time ();
  printf ("app-unlock %.3f\napp-fetch-list %.3f\napp-open %.4f\n", (t1 - t0) / 1e6, (t2 - t1) / 1e6,
          (t4 - t3) / 1e6);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

/* ---- the parent ---- */

typedef struct
{
  double seconds;
  double peak_mib;
  char  *out;
} Timed;

/* Runs argv under /usr/bin/time; its "%e %M" line is the last of stderr. */
static Timed
timed_run (const char * const *argv)
{
  g_autoptr(GPtrArray) full = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  Timed t = { 0 };
  int status = 0;
  guint n;
  double kib = 0;

  g_ptr_array_add (full, (gpointer) "/usr/bin/time");
  g_ptr_array_add (full, (gpointer) "-f");
  g_ptr_array_add (full, (gpointer) "TIME %e %M");
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, (gpointer) argv[i]);
  g_ptr_array_add (full, NULL);
  if (!g_spawn_sync (NULL, (char **) full->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &t.out, &err, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s %s failed: %s", argv[0], argv[1], err);
  lines = g_strsplit (g_strstrip (err), "\n", -1);
  n = g_strv_length (lines);
  if (n == 0 || sscanf (lines[n - 1], "TIME %lf %lf", &t.seconds, &kib) != 2)
    g_error ("no time line from %s: %s", argv[0], err);
  t.peak_mib = kib / 1024.0;
  return t;
}

static double
child_value (const char *out,
             const char *name)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], name) && lines[i][strlen (name)] == ' ')
      return g_ascii_strtod (lines[i] + strlen (name) + 1, NULL);
  g_error ("the app did not report %s", name);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrKioskKey) kiosk = NULL;
  g_autoptr(FrStaffKey) staff = NULL;
  g_autoptr(FrRoster) roster = NULL;
  g_autoptr(FrSecret) passphrase = NULL;
  g_autoptr(SoupSession) http = NULL;
  g_autofree char *dir = NULL, *key = NULL, *pass = NULL, *db = NULL, *inbox = NULL, *staff_inbox = NULL;
  g_autofree char *conf_dir = NULL, *conf = NULL, *conf_text = NULL, *expected_str = NULL, *self = NULL;
  char some_id[FR_UUID_STRING_LEN + 1] = "";
  QueueProcess *server;
  guint n = 1000;
  gint64 t0;
  double unlock_s;
  Timed app, fetch, list, open;

  if (argc == 3 && g_str_equal (argv[1], "--app"))
    {
      if (!fr_init ())
        return 1;
      return run_app ((guint) g_ascii_strtoull (argv[2], NULL, 10));
    }
  if (argc == 2)
    n = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  if (n == 0 || n > 100000 || !fr_init ())
    {
      g_printerr ("usage: bench-inbox [N]\n");
      return 2;
    }

  dir = queue_tmpdir ();
  key = g_build_filename (dir, "staff.key", NULL);
  pass = g_build_filename (dir, "pass", NULL);
  db = g_build_filename (dir, "queue.db", NULL);
  inbox = g_build_filename (dir, "inbox-app", NULL);
  staff_inbox = g_build_filename (dir, "inbox-staff", NULL);
  g_assert_true (g_file_set_contents (pass, PASSPHRASE "\n", -1, &error));
  passphrase = fr_secret_new_from (PASSPHRASE, strlen (PASSPHRASE));
  kiosk = fr_kiosk_key_generate ();
  staff = fr_staff_key_generate ();
  g_assert_true (fr_staff_key_save (staff, key, passphrase, &error));
  roster = fr_roster_new ();
  g_assert_true (fr_roster_add (roster, "kiosk-bench", kiosk->pk, &error));
  {
    g_autofree char *roster_path = fr_roster_path_for_key (key);

    g_assert_true (fr_roster_save (roster, roster_path, staff, &error));
  }
  /* The unlock both sides pay: Argon2id MODERATE and the roster. */
  t0 = g_get_monotonic_time ();
  {
    g_autoptr(FrStaffKey) again = fr_staff_key_load (key, passphrase, &error);

    g_assert_nonnull (again);
  }
  unlock_s = (g_get_monotonic_time () - t0) / 1e6;

  {
    const char *server_argv[] = { queue_binary (), "serve", "--db", db, "--listen", "127.0.0.1:0",
                                  "--rate", "1000000", NULL };
    g_autoptr(GSubprocessLauncher) launcher = queue_launcher_new ();

    server = queue_start_from_launcher (launcher, server_argv, db);
  }
  queue_enroll_kiosk (db, "kiosk-bench", kiosk);
  queue_enroll_reader (db, "staff-bench", staff);
  http = queue_session_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      char id[FR_UUID_STRING_LEN + 1];
      g_autoptr(GBytes) envelope = queue_make_envelope (kiosk, staff, 0, id);
      g_autoptr(QueueReply) reply = queue_request (http, "POST", server->base_url, "/v1/envelopes", envelope, NULL);

      if (reply->status != 201)
        g_error ("upload %u: HTTP %u", i, reply->status);
      if (i == n / 2)
        memcpy (some_id, id, sizeof some_id);
    }

  /* The app's settings: this queue, its own inbox. */
  conf_dir = g_build_filename (dir, "fristad", NULL);
  g_assert_cmpint (g_mkdir_with_parents (conf_dir, 0700), ==, 0);
  conf = g_build_filename (conf_dir, "inbox.conf", NULL);
  conf_text = g_strdup_printf ("[inbox]\nkey=%s\ninbox=%s\nserver=%s\n", key, inbox, server->base_url);
  g_assert_true (g_file_set_contents (conf, conf_text, -1, &error));
  g_setenv ("XDG_CONFIG_HOME", dir, TRUE);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);

  self = g_file_read_link ("/proc/self/exe", NULL);
  expected_str = g_strdup_printf ("%u", n);
  {
    const char *app_argv[] = { self, "--app", expected_str, NULL };

    app = timed_run (app_argv);
  }
  {
    const char *staff_bin = g_getenv ("FRISTAD_STAFF");
    const char *fetch_argv[] = { staff_bin, "fetch", "--server", server->base_url, "--key", key, "--inbox",
                                 staff_inbox, "--passphrase-file", pass, NULL };
    const char *list_argv[] = { staff_bin, "list", "--inbox", staff_inbox, "--key", key, "--passphrase-file", pass,
                                NULL };
    const char *open_argv[] = { staff_bin, "open", some_id, "--inbox", staff_inbox, "--key", key,
                                "--passphrase-file", pass, NULL };

    fetch = timed_run (fetch_argv);
    list = timed_run (list_argv);
    open = timed_run (open_argv);
    {
      guint lines = 0;

      for (const char *p = list.out; *p != '\0'; p++)
        lines += *p == '\n';
      if (lines < n)
        g_error ("fristad-staff list shows %u lines, fewer than %u records", lines, n);
    }
  }

  printf ("bench-inbox: %u records of one kiosk, one staff key, fristad-queue on 127.0.0.1\n", n);
  printf ("  unlock alone (Argon2id MODERATE + roster)  %.2f s   (each fristad-staff command pays it)\n", unlock_s);
  printf ("  fristad-inbox (one process, its window under Xvfb)\n");
  printf ("    unlock                  %.2f s\n", child_value (app.out, "app-unlock"));
  printf ("    fetch + list %u rows  %.2f s\n", n, child_value (app.out, "app-fetch-list"));
  printf ("    open one record         %.1f ms\n", child_value (app.out, "app-open") * 1000);
  printf ("    whole process           %.2f s, peak RSS %.0f MiB\n", app.seconds, app.peak_mib);
  printf ("  fristad-staff (a process per command)\n");
  printf ("    fetch                   %.2f s, peak RSS %.0f MiB\n", fetch.seconds, fetch.peak_mib);
  printf ("    list                    %.2f s, peak RSS %.0f MiB\n", list.seconds, list.peak_mib);
  printf ("    fetch + list            %.2f s\n", fetch.seconds + list.seconds);
  printf ("    open one record         %.2f s, peak RSS %.0f MiB\n", open.seconds, open.peak_mib);

  g_free (app.out);
  g_free (fetch.out);
  g_free (list.out);
  g_free (open.out);
  queue_stop (server);
  queue_process_free (server);
  queue_rmtree (dir);
  return 0;
}
