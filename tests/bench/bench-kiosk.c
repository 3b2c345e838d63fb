/* bench-kiosk — fristad-kiosk against Debian's Chromium in kiosk mode, in one run
 *
 *   bench-kiosk --kiosk PATH/fristad-kiosk --page welcome.html [--chromium PATH]
 *               [--runs N] [--resets N] [--a11y bus|none|both] [--warm-taps N]
 *               [--quota-us US] [--quota-resets N] [--renderer NAME] [--settle-ms MS]
 *               [--strict] [--language LANG] [--no-chromium] [--keep]
 *
 * Needs an X server and a D-Bus session bus: bench-kiosk.sh runs it under xvfb-run
 * (1280x800x24) and dbus-run-session. Prints the figures, the ratios and the targets
 * (start and memory at most a third of Chromium's; every tap on screen within 100 ms, 50
 * ms median; quick exit under 100 ms; no warm-up frame between a press and its screen; at a
 * quarter core the welcome screen within 1 s and every tap within 300 ms). Exits 1 if the
 * anonymous memory after the first round of languages grows by 1 MiB or more (from eight
 * rounds on), 1 with --strict if a timing target was missed, 77 (skipped) when Chromium
 * is not installed (packaging/install-deps.sh --bench installs it), else 0.
 *
 * Where each part lives: bench-kiosk.c the driver (cold starts, first taps, memory, the
 * report), bench-kiosk-child.c the session child, bench-kiosk-sessions.c its figures,
 * bench-kiosk-cgroup.c the quarter core, bench-kiosk-screen.c and bench-kiosk-memory.c
 * what they share (bench-kiosk.h).
 *
 * How each figure is measured
 *
 * Cold start (process spawn -> welcome screen on screen). Both programs are started the
 * same way on the same X server: CLOCK_MONOTONIC is read just before the fork, then this
 * process grabs the whole root window (MIT-SHM, every POLL_MS) and looks at its colours.
 * The welcome screen counts as shown when the screen has the page background #fafafa
 * (>= 30 % of the pixels), the language buttons #e6e6e6 (>= 8 %), the red Exit button
 * #b00020 (>= 0.2 %) and dark text in its lower 60 % (>= 0.3 % there): the kiosk's own
 * colours, which welcome.html copies. A black root, an empty white window, a background
 * without text all fail the test, so a half-drawn page does not count. The time is the
 * moment the first grab that shows the page returned: an upper bound, at most POLL_MS
 * plus one grab (about 1 ms) late, the same for both. Why the screen and not the
 * programs' own word: Chromium's logs have no reliable "painted" line, --headless is not
 * kiosk mode, and the DevTools protocol would need a client inside the measurement; the
 * screen is what a person sees, and one method for both keeps the comparison fair.
 * Each program is started --runs times (alternating) with a fresh profile; the median is
 * the figure, first/min/max are printed too.
 *
 * Self-reported first frame, for comparison: fristad-kiosk prints "first-frame <µs>" on
 * stderr after the frame clock's first after-paint when FRISTAD_KIOSK_BENCH is set
 * (kiosk/fr-kiosk-window.c); welcome.html puts Chromium's first-contentful-paint
 * (performance.timeOrigin + startTime, epoch ms) into its title, read here from
 * _NET_WM_NAME.
 *
 * Warm-up. Once its welcome screen is up, fristad-kiosk draws every screen of every offered
 * language once, out of sight (kiosk/fr-kiosk-warmup.c), so that fonts and glyphs are
 * loaded at start and not in the first session of each language; it logs "warm-up done"
 * when that is over. Start time is still the welcome screen on screen (the kiosk is
 * usable from then on); the time to "warm-up done" is printed beside it.
 *
 * Memory. --settle-ms (2 s) after the page is on screen (for the kiosk: after its
 * warm-up is done), over every process of the started
 * program (the child calls setsid(): its session, plus Chromium's crashpad handlers, which
 * double-fork out of it and are found by the run directory on their command line):
 *   in RAM  the distinct physical pages of all those processes, each counted once
 *           (/proc/PID/pagemap frame numbers, readable by root): the program's real
 *           footprint, shared libraries once. The memory target is judged on this;
 *   RSS     summed from /proc/PID/smaps_rollup: a library counts once per process, which
 *           inflates Chromium's 11 processes (the ratio the brief names, printed too);
 *   PSS     summed: shared pages split with every process on the machine that maps them,
 *           so a GTK app's PSS drops while other GTK programs run beside it.
 * GTK's accessibility bus (at-spi-bus-launcher, its dbus-daemon, at-spi2-registryd) is
 * started by D-Bus activation, not by the kiosk, and is printed apart, not counted.
 *
 * Rendering: both in software. The kiosk gets GSK_RENDERER=cairo (--renderer to change it;
 * GTK's default GL renderer runs on llvmpipe under Xvfb), Chromium --disable-gpu.
 *
 * Navigation. Each tap in a session is the action its button activates, timed from just
 * before it to the end of the first frame painted after it (after-paint, then XSync), with
 * the process's CPU time and its split: the action, the frame's layout, its paint. Taps
 * during the warm-up are real: a thread with its own X connection presses a language button
 * (XTest) at a random moment, lifts 60 ms later; the child counts the warm-up frames drawn
 * between the press being handled and the home screen painted. The first tap after a cold
 * start is real too, from this process, on a language button found by its colour once the
 * screen is still, timed to the first grab that differs from it in 15 % of its pixels
 * (Chromium's welcome.html answers a tap with a home screen the same way).
 *
 * Memory over the sessions: after every round of languages, the anonymous memory and
 * malloc's in-use heap; each round against the first round of its kind (large text
 * alternates by round). The sessions run with GTK's accessibility bus (the real session)
 * and with GTK_A11Y=test (as the ui tests; no bus).
 *
 * A quarter core (--quota-us, default 25000 per 100 ms): a cgroup v1 "cpu" group made for
 * the run (CGROUP_DIR) that the programs join between fork and exec; one cold start and one
 * first tap of each, the session child, then the group is removed.
 *
 * Session resets and quick exit. fristad-kiosk has no remote control (and must not have
 * one), so the resets run in a second process, `bench-kiosk --session-child`, that builds
 * the app exactly as kiosk/main.c does (environment scrub, gettext, AdwApplication, the
 * same site config, a fullscreen window sized to the monitor) and drives it through the
 * actions a tap activates, like tests/ui does. Each reset: kiosk.start, kiosk.language
 * (cycling through every offered language), home (every other session then turns on large
 * text and high contrast), kiosk.wizard, answers up to the first
 * text question, 23 characters typed one at a time (GtkEditable / GtkTextBuffer inserts
 * with the main loop run between them), each screen painted, then kiosk.quick-exit (what
 * the Exit button activates). Quick-exit time: from just before the action to the end of
 * the first frame whose after-paint finds the cover visible, plus an XSync (so the X
 * server has the pixels). That frame is then checked on screen: the root window must
 * match the cover as painted before the first session (>= 99.5 % of the sampled pixels).
 * RSS/PSS come from /proc/self/smaps_rollup after start (warm-up done, as above), after
 * the first round of languages and after all resets, each after 500 ms on the cover. The
 * child grabs the screen once before the first reading, so the buffers its own grabs take
 * are in every reading.
 */
#define G_LOG_DOMAIN "fristad-bench"

#include "config.h"

#include <adwaita.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gdk/x11/gdkx.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/XTest.h>

#include "fr-kiosk-context.h"
#include "fr-kiosk-demo.h"
#include "fr-kiosk-i18n.h"
#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-window.h"
#include "bench-kiosk.h"

#define START_TIMEOUT_MS 30000
#define EXIT_TARGET_MS   100.0
#define NAV_MEDIAN_MS    50.0
#define NAV_MAX_MS       100.0
#define SLOW_TAP_MS      300.0
#define SLOW_USABLE_MS   1000.0
#define RATIO_TARGET     (1.0 / 3.0)
/* ---------------------------------------------------------------------------------------
 * The driver: cold starts and memory of fristad-kiosk and Chromium
 */

/* Set before each launch: whether the child joins the bench's CPU cgroup. */
static gboolean child_in_cgroup;

static void
child_new_session (gpointer data)
{
  setsid ();
  if (child_in_cgroup)
    cgroup_join ();
}

gboolean
launch (Launch      *l,
        char       **argv,
        char       **envp,
        gboolean     in_cgroup,
        const char  *out_path,
        const char  *err_path,
        GError     **error)
{
  int out = open (out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int err = open (err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  gboolean ok;

  memset (l, 0, sizeof *l);
  if (out < 0 || err < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot create the log files", out_path);
      if (out >= 0)
        close (out);
      if (err >= 0)
        close (err);
      return FALSE;
    }
  child_in_cgroup = in_cgroup;
  l->spawned_real = g_get_real_time ();
  l->spawned_mono = g_get_monotonic_time ();
  ok = g_spawn_async_with_fds (NULL, argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, child_new_session, NULL,
                               &l->pid, -1, out, err, error);
  close (out);
  close (err);
  return ok;
}

gboolean
launch_exited (Launch *l)
{
  if (!l->reaped && waitpid (l->pid, &l->status, WNOHANG) == l->pid)
    l->reaped = TRUE;
  return l->reaped;
}

/* SIGTERM to the program's process group, SIGKILL after 5 s, then to whatever of its
 * session is left (processes that made their own group). */
void
terminate (Launch *l)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  if (!l->reaped)
    kill (-l->pid, SIGTERM);
  while (!launch_exited (l) && g_get_monotonic_time () < deadline)
    g_usleep (10000);
  if (!l->reaped)
    {
      kill (-l->pid, SIGKILL);
      waitpid (l->pid, &l->status, 0);
      l->reaped = TRUE;
    }
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(GArray) left = program_processes (l->pid, l->marker);

      if (left->len == 0 || g_get_monotonic_time () >= deadline)
        break;
      for (guint i = 0; i < left->len; i++)
        kill (g_array_index (left, pid_t, i), SIGKILL);
      g_usleep (20000);
    }
}

/* Milliseconds from the spawn to the first grab that shows the welcome screen; < 0 when
 * the program exited or the timeout passed first. */
static double
wait_for_welcome (Driver *d,
                  Launch *l)
{
  for (;;)
    {
      gint64 now;
      Look look;

      grabber_grab (&d->grabber);
      now = g_get_monotonic_time ();
      look = grabber_look (&d->grabber);
      if (look_is_welcome (&look))
        return (now - l->spawned_mono) / 1000.0;
      if (launch_exited (l) || now - l->spawned_mono > (gint64) START_TIMEOUT_MS * 1000)
        return -1;
      g_usleep (POLL_MS * 1000);
    }
}

/* Between runs: the screen must be back to the bare root. */
static gboolean
wait_for_empty_screen (Driver *d)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      Look look;

      grabber_grab (&d->grabber);
      look = grabber_look (&d->grabber);
      if (look_is_empty (&look))
        return TRUE;
      g_usleep (20000);
    }
  return FALSE;
}

void
print_log_tail (const char *path)
{
  g_autofree char *text = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &text, &len, NULL))
    return;
  g_printerr ("--- %s (last 2000 bytes) ---\n%s\n---\n", path, len > 2000 ? text + len - 2000 : text);
}

static double
kiosk_first_frame_ms (const char *err_path,
                      Launch     *l)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (err_path, &text, NULL, NULL))
    return NAN;
  line = strstr (text, "first-frame ");
  if (line == NULL)
    return NAN;
  return (g_ascii_strtoll (line + strlen ("first-frame "), NULL, 10) - l->spawned_mono) / 1000.0;
}

/* Chromium's first-contentful-paint (epoch ms) from welcome.html's title, searched in
 * every window's _NET_WM_NAME. */
static gboolean
find_fcp_title (Display *display,
                Window   window,
                double  *fcp_epoch_ms)
{
  Atom net_wm_name = XInternAtom (display, "_NET_WM_NAME", False);
  Atom utf8 = XInternAtom (display, "UTF8_STRING", False);
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  Window root, parent, *children = NULL;
  unsigned int n_children = 0;
  gboolean found = FALSE;

  if (XGetWindowProperty (display, window, net_wm_name, 0, 256, False, utf8, &type, &format, &n, &after, &data) == Success
      && data != NULL)
    {
      if (g_str_has_prefix ((const char *) data, "fcp "))
        {
          *fcp_epoch_ms = g_ascii_strtod ((const char *) data + 4, NULL);
          found = TRUE;
        }
      XFree (data);
    }
  if (found || !XQueryTree (display, window, &root, &parent, &children, &n_children))
    return found;
  for (unsigned int i = 0; i < n_children && !found; i++)
    found = find_fcp_title (display, children[i], fcp_epoch_ms);
  if (children != NULL)
    XFree (children);
  return found;
}

/* Waits until the kiosk logs that its warm-up (fr-kiosk-warmup.c) is done; returns the
 * time since spawn in ms, or -1 after @timeout_s. */
static double
wait_for_warm_up (Launch     *l,
                  const char *err_path,
                  int         timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline && !launch_exited (l))
    {
      g_autofree char *text = NULL;

      if (g_file_get_contents (err_path, &text, NULL, NULL) && strstr (text, "warm-up done") != NULL)
        return (g_get_monotonic_time () - l->spawned_mono) / 1000.0;
      g_usleep (20000);
    }
  return -1;
}

/* A real tap (XTest: press, 60 ms, release) on the first language button found on the
 * screen by its colour, as soon as the welcome screen shows and is still; the time from the finger
 * lifted to the first grab that differs from the welcome screen in 15 % of its pixels
 * (the next screen; a pressed button alone changes about 1 %). < 0: no answer in 30 s. */
static double
tap_first_language (Driver *d,
                    Launch *l)
{
  g_autoptr(GArray) before = NULL;
  gint64 released;
  int x, y;

  /* What a person sees: the screen once it stopped changing (two grabs a frame apart
   * within 0.5 %, at most 2 s), else a page still being drawn counts as answered. */
  grabber_grab (&d->grabber);
  before = grabber_samples (&d->grabber);
  for (gint64 until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC; g_get_monotonic_time () < until;)
    {
      g_autoptr(GArray) again = NULL;

      g_usleep (16000);
      grabber_grab (&d->grabber);
      again = grabber_samples (&d->grabber);
      if (samples_difference (before, again) < 0.005)
        break;
      g_array_unref (before);
      before = g_steal_pointer (&again);
    }
  if (!grabber_find_button (&d->grabber, &x, &y))
    return -1;
  XTestFakeMotionEvent (d->display, -1, x, y, 0);
  XSync (d->display, False);
  XTestFakeButtonEvent (d->display, 1, True, 0);
  XSync (d->display, False);
  g_usleep (60000);
  released = g_get_monotonic_time ();
  XTestFakeButtonEvent (d->display, 1, False, 0);
  XSync (d->display, False);
  while (g_get_monotonic_time () - released < 30 * G_USEC_PER_SEC && !launch_exited (l))
    {
      g_autoptr(GArray) now = NULL;
      gint64 at;

      grabber_grab (&d->grabber);
      at = g_get_monotonic_time ();
      now = grabber_samples (&d->grabber);
      if (samples_difference (before, now) > 0.15)
        return (at - released) / 1000.0;
      g_usleep (POLL_MS * 1000 / 2);
    }
  return -1;
}

static int run_number;

/* One cold start of fristad-kiosk: to the welcome screen, then either a first tap, or the
 * warm-up and the memory. */
static gboolean
run_kiosk_once (Driver   *d,
                Subject  *s,
                gboolean  in_cgroup,
                gboolean  first_tap,
                GError  **error)
{
  int run = ++run_number;
  g_autofree char *out_path = g_strdup_printf ("%s/kiosk-%d.out", d->work_dir, run);
  g_autofree char *err_path = g_strdup_printf ("%s/kiosk-%d.err", d->work_dir, run);
  char *argv[] = { d->kiosk, (char *) "--config", d->config, NULL };
  Launch l;
  double shown, warm, tap;
  Memory m;

  if (!launch (&l, argv, d->envp, in_cgroup, out_path, err_path, error))
    return FALSE;
  shown = wait_for_welcome (d, &l);
  if (shown < 0)
    {
      terminate (&l);
      print_log_tail (err_path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "fristad-kiosk run %d: the welcome screen never showed", run);
      return FALSE;
    }
  push (s->shown_ms, shown);
  if (first_tap)
    {
      tap = tap_first_language (d, &l);
      terminate (&l);
      if (tap < 0)
        {
          print_log_tail (err_path);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "fristad-kiosk run %d: the first tap was not answered", run);
          return FALSE;
        }
      push (s->tap_ms, tap);
    }
  else
    {
      /* Start is over when the warm-up is: every language's fonts and glyphs are loaded. */
      warm = wait_for_warm_up (&l, err_path, in_cgroup ? 1200 : 300);
      if (warm < 0)
        {
          terminate (&l);
          print_log_tail (err_path);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "fristad-kiosk run %d: the warm-up never finished", run);
          return FALSE;
        }
      g_usleep ((gulong) d->settle_ms * 1000);
      m = program_memory (l.pid, l.marker);
      push (s->self_ms, kiosk_first_frame_ms (err_path, &l));
      push (s->warm_ms, warm);
      push (s->rss_kb, (double) m.rss_kb);
      push (s->pss_kb, (double) m.pss_kb);
      push (s->unique_kb, (double) m.unique_kb);
      s->n_processes = MAX (s->n_processes, m.n_processes);
      terminate (&l);
    }
  if (!wait_for_empty_screen (d))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "fristad-kiosk run %d: the screen did not clear after exit", run);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_chromium_once (Driver   *d,
                   Subject  *s,
                   gboolean  in_cgroup,
                   gboolean  first_tap,
                   GError  **error)
{
  int run = ++run_number;
  g_autofree char *out_path = g_strdup_printf ("%s/chromium-%d.out", d->work_dir, run);
  g_autofree char *err_path = g_strdup_printf ("%s/chromium-%d.err", d->work_dir, run);
  g_autofree char *home = g_strdup_printf ("%s/chromium-%d", d->work_dir, run);
  g_autofree char *profile = g_build_filename (home, "profile", NULL);
  g_autofree char *config_home = g_build_filename (home, "config", NULL);
  g_autofree char *cache_home = g_build_filename (home, "cache", NULL);
  g_autofree char *user_data = g_strconcat ("--user-data-dir=", profile, NULL);
  g_auto(GStrv) envp = g_strdupv (d->envp);
  g_autofree char *position = g_strdup ("--window-position=0,0");
  g_autofree char *size = g_strdup_printf ("--window-size=%d,%d", d->grabber.width, d->grabber.height);
  /* The brief's flags, plus: a window the size of the screen (there is no window manager
   * to honour --kiosk's fullscreen request, as there is none for the kiosk either, which
   * sizes itself to the monitor) and the basic password store (no keyring on the bus). */
  char *argv[] = {
    d->chromium, (char *) "--kiosk", (char *) "--no-first-run", user_data,
    (char *) "--disable-background-networking", (char *) "--disable-component-update",
    (char *) "--disable-sync", (char *) "--no-sandbox", (char *) "--disable-gpu",
    position, size, (char *) "--password-store=basic", (char *) "--noerrdialogs",
    d->page_uri, NULL
  };
  Launch l;
  double shown, tap, fcp_epoch_ms = NAN;
  Memory m;

  /* Everything Chromium writes stays in this run's directory: the profile, and the
   * crash-report database and caches it would otherwise put under $HOME. */
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", config_home, TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", cache_home, TRUE);
  if (!launch (&l, argv, envp, in_cgroup, out_path, err_path, error))
    return FALSE;
  l.marker = home;
  shown = wait_for_welcome (d, &l);
  if (shown < 0)
    {
      terminate (&l);
      print_log_tail (err_path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "chromium run %d: the page never showed", run);
      return FALSE;
    }
  push (s->shown_ms, shown);
  if (first_tap)
    {
      tap = tap_first_language (d, &l);
      if (tap >= 0)
        push (s->tap_ms, tap);
    }
  else
    {
      g_usleep ((gulong) d->settle_ms * 1000);
      m = program_memory (l.pid, l.marker);
      find_fcp_title (d->display, d->grabber.root, &fcp_epoch_ms);
      push (s->self_ms, fcp_epoch_ms - l.spawned_real / 1000.0);
      push (s->rss_kb, (double) m.rss_kb);
      push (s->pss_kb, (double) m.pss_kb);
      push (s->unique_kb, (double) m.unique_kb);
      s->n_processes = MAX (s->n_processes, m.n_processes);
    }
  terminate (&l);
  fr_kiosk_rmtree (home);
  if (!wait_for_empty_screen (d))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "chromium run %d: the screen did not clear after exit", run);
      return FALSE;
    }
  return TRUE;
}

static const char *
verdict (gboolean  met,
         gboolean *all_met)
{
  if (!met)
    *all_met = FALSE;
  return met ? "met" : "MISSED";
}

static void
print_times (const char *label,
             GArray     *ms)
{
  g_print ("  %-28s %9.1f ms %9.1f ms %9.1f ms %9.1f ms\n", label, median (ms), quantile (ms, 0), quantile (ms, 1), first (ms));
}

static Subject
subject_init (const char *name)
{
  Subject s = { 0 };

  s.name = name;
  s.shown_ms = g_array_new (FALSE, FALSE, sizeof (double));
  s.self_ms = g_array_new (FALSE, FALSE, sizeof (double));
  s.rss_kb = g_array_new (FALSE, FALSE, sizeof (double));
  s.pss_kb = g_array_new (FALSE, FALSE, sizeof (double));
  s.unique_kb = g_array_new (FALSE, FALSE, sizeof (double));
  s.warm_ms = g_array_new (FALSE, FALSE, sizeof (double));
  s.tap_ms = g_array_new (FALSE, FALSE, sizeof (double));
  return s;
}

static void
subject_clear (Subject *s)
{
  g_array_unref (s->shown_ms);
  g_array_unref (s->self_ms);
  g_array_unref (s->rss_kb);
  g_array_unref (s->pss_kb);
  g_array_unref (s->unique_kb);
  g_array_unref (s->warm_ms);
  g_array_unref (s->tap_ms);
}

typedef struct
{
  gboolean bus;          /* a session child with GTK's accessibility bus */
  gboolean no_bus;       /* and one with GTK_A11Y=test, as without at-spi2-core */
  guint    warm_taps;
  guint    quota_us;     /* 0: no quarter-core run */
  guint    quota_resets;
} Plan;

static void
print_start_rows (Subject  *k,
                  Subject  *c,
                  gboolean  have_chromium)
{
  g_print ("  %-28s %12s %12s %12s %12s\n", "", "median", "min", "max", "first run");
  print_times (k->name, k->shown_ms);
  if (have_chromium)
    print_times (c->name, c->shown_ms);
}

static void
print_tap_rows (Subject  *k,
                Subject  *c,
                gboolean  have_chromium)
{
  g_print ("   first tap, on a language as soon as the welcome screen shows (XTest press, 60 ms, release;\n"
           "   finger lifted -> the next screen on screen, screen grabs):\n");
  print_times (k->name, k->tap_ms);
  if (have_chromium && c->tap_ms->len > 0)
    print_times (c->name, c->tap_ms);
}

static void
print_sessions (Sessions   *s,
                const char *title,
                double      nav_median,
                double      nav_max,
                double      tap_max,
                gboolean   *all_met,
                gboolean   *memory_met)
{
  g_print ("\n%s\n", title);
  g_print (" Navigation:\n");
  if (!sessions_print_navigation (s, nav_median, nav_max))
    *all_met = FALSE;
  sessions_print_languages (s);
  sessions_print_phases (s);
  g_print (" Quick exit:\n");
  if (!sessions_print_exit (s, EXIT_TARGET_MS))
    *all_met = FALSE;
  g_print (" The warm-up (child: first frame %.0f ms, warm-up done %.1f s after its spawn):\n", s->first_frame_ms,
           s->warm_done_ms / 1000.0);
  if (!sessions_print_warm_taps (s, tap_max))
    *all_met = FALSE;
  g_print (" Memory over the sessions:\n");
  if (!sessions_print_memory (s))
    *memory_met = FALSE;
}

static int
run_driver (Driver      *d,
            const Plan  *plan,
            gboolean     strict)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *content_dir = fr_kiosk_context_find_content_dir ();
  g_autoptr(FrContent) content = NULL;
  g_autoptr(FrKioskDemo) site = NULL;
  Sessions bus, no_bus, slow;
  Subject *k = &d->kiosk_subject, *c = &d->chromium_subject;
  Subject slow_k = subject_init ("fristad-kiosk"), slow_c = subject_init ("chromium --kiosk");
  Memory a11y;
  Look look;
  gboolean all_met = TRUE, memory_met = TRUE, have_chromium = d->chromium != NULL, quota = plan->quota_us > 0;
  g_autofree char *cgroup_figures = NULL;
  const char *const no_bus_env[] = { "GTK_A11Y", "test", NULL };
  double start_ratio, rss_ratio, pss_ratio, ram_ratio;
  gint64 began = g_get_monotonic_time ();

  d->display = XOpenDisplay (NULL);
  if (d->display == NULL)
    {
      g_printerr ("bench-kiosk: no X display (run it through bench-kiosk.sh)\n");
      return 1;
    }
  XSetErrorHandler (count_x_error);
  if (!grabber_init (&d->grabber, d->display, TRUE, &error))
    {
      g_printerr ("bench-kiosk: %s\n", error->message);
      return 1;
    }
  grabber_grab (&d->grabber);
  look = grabber_look (&d->grabber);
  if (!look_is_empty (&look))
    {
      g_printerr ("bench-kiosk: the screen is not empty before the first start\n");
      return 1;
    }

  /* One site for every start: what kiosk.conf would be on a real kiosk (no queue). */
  content = fr_content_load (content_dir, NULL, &error);
  if (content == NULL)
    {
      g_printerr ("bench-kiosk: %s\n", error->message);
      return 1;
    }
  site = fr_kiosk_demo_new (fr_content_get_languages (content), FR_KIOSK_DEMO_FLAGS_NONE, &error);
  if (site == NULL)
    {
      g_printerr ("bench-kiosk: %s\n", error->message);
      return 1;
    }
  d->config = g_strdup (site->config_path);
  *k = subject_init ("fristad-kiosk");
  *c = subject_init ("chromium --kiosk");
  sessions_init (&bus, "with the accessibility bus");
  sessions_init (&no_bus, "without the accessibility bus");
  sessions_init (&slow, "a quarter core");

  g_print ("bench-kiosk: X screen %dx%d, %s grabs every %d ms, GSK_RENDERER=%s, %d runs, %d sessions, settle %d ms\n",
           d->grabber.width, d->grabber.height, d->grabber.use_shm ? "MIT-SHM" : "XGetImage", POLL_MS,
           d->renderer, d->runs, d->resets, d->settle_ms);
  g_print ("bench-kiosk: %s\n", d->kiosk);
  g_print ("bench-kiosk: %s %s\n", have_chromium ? d->chromium : "chromium: not measured", d->page_uri);

  for (int run = 1; run <= d->runs; run++)
    {
      if (!run_kiosk_once (d, k, FALSE, FALSE, &error)
          || (have_chromium && !run_chromium_once (d, c, FALSE, FALSE, &error))
          || !run_kiosk_once (d, k, FALSE, TRUE, &error)
          || (have_chromium && !run_chromium_once (d, c, FALSE, TRUE, &error)))
        {
          g_printerr ("bench-kiosk: %s\n", error->message);
          return 1;
        }
    }
  a11y = a11y_bus_memory ();
  if ((plan->bus && !sessions_run (d, &bus, NULL, FALSE, (guint) d->resets, plan->warm_taps, &error))
      || (plan->no_bus && !sessions_run (d, &no_bus, no_bus_env, FALSE, (guint) d->resets, plan->warm_taps, &error)))
    {
      g_printerr ("bench-kiosk: %s\n", error->message);
      return 1;
    }
  if (quota)
    {
      gboolean ok;

      if (!cgroup_create (plan->quota_us, 100000, &error))
        {
          /* Not root, or no cgroup v1 cpu controller: everything else still counts. */
          g_printerr ("bench-kiosk: no low-end run: %s\n", error->message);
          g_clear_error (&error);
          quota = FALSE;
          goto report;
        }
      ok = run_kiosk_once (d, &slow_k, TRUE, FALSE, &error)
           && (!have_chromium || run_chromium_once (d, &slow_c, TRUE, FALSE, &error))
           && run_kiosk_once (d, &slow_k, TRUE, TRUE, &error)
           && (!have_chromium || run_chromium_once (d, &slow_c, TRUE, TRUE, &error))
           && sessions_run (d, &slow, NULL, TRUE, plan->quota_resets, plan->warm_taps, &error);
      cgroup_figures = cgroup_describe ();
      cgroup_remove ();
      if (!ok)
        {
          g_printerr ("bench-kiosk: at a quarter core: %s\n", error->message);
          return 1;
        }
    }

report:
  if (d->runs == 0)
    goto sessions;
  g_print ("\n1. Cold start: process spawn -> welcome screen on screen (screen grabs)\n");
  print_start_rows (k, c, have_chromium);
  g_print ("   self-reported, same spawn time:\n");
  print_times ("fristad-kiosk first frame", k->self_ms);
  if (have_chromium)
    print_times ("chromium first-contentful-p.", c->self_ms);
  g_print ("   warm-up (fristad-kiosk draws every language's screens out of sight while the welcome\n"
           "   screen is up and usable; start counts as over when it logs \"warm-up done\"):\n");
  print_times ("fristad-kiosk warm-up done", k->warm_ms);
  print_tap_rows (k, c, have_chromium);

  g_print ("\n2. Memory %d ms after the page is on screen, for fristad-kiosk %d ms after its warm-up\n"
           "   (median of %d runs)\n", d->settle_ms, d->settle_ms, d->runs);
  g_print ("  %-20s %9s %12s %12s %12s\n", "", "processes", "RSS (sum)", "PSS (sum)", "in RAM");
  g_print ("  %-20s %9u %8.1f MiB %8.1f MiB %8.1f MiB\n", k->name, k->n_processes,
           mib (median (k->rss_kb)), mib (median (k->pss_kb)), mib (median (k->unique_kb)));
  if (have_chromium)
    g_print ("  %-20s %9u %8.1f MiB %8.1f MiB %8.1f MiB\n", c->name,
             c->n_processes, mib (median (c->rss_kb)), mib (median (c->pss_kb)), mib (median (c->unique_kb)));
  g_print ("  (in RAM: the distinct physical pages of all the program's processes, shared libraries once;\n"
           "  RSS sums count a library once per process, PSS splits it with every other process on the\n"
           "  machine that maps it, so it flatters a GTK app on a desktop shared with other GTK apps)\n");
  g_print ("  not counted: GTK's accessibility bus (%u processes, D-Bus activated, shared): RSS %.1f MiB, PSS %.1f MiB\n",
           a11y.n_processes, mib ((double) a11y.rss_kb), mib ((double) a11y.pss_kb));

sessions:
  {
    g_autofree char *which = d->language ? g_strdup_printf ("language %s", d->language)
                                         : g_strdup_printf ("every offered language in turn");
    g_autofree char *title = NULL;

    g_print ("\n3. Sessions, in-process (bench-kiosk --session-child, built as kiosk/main.c builds the app):\n"
             "   cover -> welcome, %s (every other session with large text and high contrast\n"
             "   turned on first), a topic, Home, the wizard, answers up to the first text question,\n"
             "   %zu characters typed, Exit; %u real taps during the warm-up first. No Chromium peer:\n"
             "   its page has no such screens.\n", which, strlen (TYPED_TEXT), plan->warm_taps);
    if (plan->bus)
      {
        title = g_strdup_printf ("3a. %u sessions with GTK's accessibility bus (at-spi2-core, as on a real session)",
                                 bus.resets);
        print_sessions (&bus, title, NAV_MEDIAN_MS, NAV_MAX_MS, NAV_MAX_MS, &all_met, &memory_met);
        g_clear_pointer (&title, g_free);
      }
    if (plan->no_bus)
      {
        title = g_strdup_printf ("3b. %u sessions without the accessibility bus (GTK_A11Y=test, as the ui tests)",
                                 no_bus.resets);
        print_sessions (&no_bus, title, NAV_MEDIAN_MS, NAV_MAX_MS, NAV_MAX_MS, &all_met, &memory_met);
      }
  }

  if (quota)
    {
      g_autofree char *title = g_strdup_printf ("4b. The sessions at a quarter core (%u sessions, with the bus; targets:\n"
                                                "    every tap <= %.0f ms, quick exit < %.0f ms)",
                                                slow.resets, SLOW_TAP_MS, EXIT_TARGET_MS);
      gboolean shown_met = median (slow_k.shown_ms) <= SLOW_USABLE_MS && median (slow_k.tap_ms) <= SLOW_TAP_MS;
      gboolean slow_met = TRUE, slow_memory = TRUE;

      g_print ("\n4. A low-end terminal: every program in the cgroup %s\n   (%s)\n", CGROUP_DIR, cgroup_figures);
      g_print ("  cold start, spawn -> welcome on screen:\n");
      print_start_rows (&slow_k, &slow_c, have_chromium);
      print_tap_rows (&slow_k, &slow_c, have_chromium);
      g_print ("  warm-up done, since spawn:\n");
      print_times ("fristad-kiosk", slow_k.warm_ms);
      g_print ("  welcome usable: on screen <= %.0f ms and its first tap answered <= %.0f ms: %s\n", SLOW_USABLE_MS,
               SLOW_TAP_MS, shown_met ? "met" : "MISSED");
      if (!shown_met)
        all_met = FALSE;
      print_sessions (&slow, title, SLOW_TAP_MS, SLOW_TAP_MS, SLOW_TAP_MS, &slow_met, &slow_memory);
      if (!slow_met)
        all_met = FALSE;
    }

  g_print ("\nRatios and targets\n");
  if (have_chromium && d->runs > 0)
    {
      start_ratio = median (k->shown_ms) / median (c->shown_ms);
      rss_ratio = median (k->rss_kb) / median (c->rss_kb);
      pss_ratio = median (k->pss_kb) / median (c->pss_kb);
      ram_ratio = median (k->unique_kb) / median (c->unique_kb);
      g_print ("  start  fristad-kiosk / chromium      %.3f  (target <= 0.333: %s)\n", start_ratio,
               verdict (start_ratio <= RATIO_TARGET, &all_met));
      if (median (k->unique_kb) > 0 && median (c->unique_kb) > 0)
        g_print ("  memory fristad-kiosk / chromium in RAM %.3f  (target <= 0.333: %s)\n", ram_ratio,
                 verdict (ram_ratio <= RATIO_TARGET, &all_met));
      g_print ("  memory fristad-kiosk / chromium RSS    %.3f  (target <= 0.333: %s)\n", rss_ratio,
               verdict (rss_ratio <= RATIO_TARGET, &all_met));
      g_print ("  memory fristad-kiosk / chromium PSS    %.3f  (target <= 0.333: %s)\n", pss_ratio,
               verdict (pss_ratio <= RATIO_TARGET, &all_met));
    }
  g_print ("  navigation, quick exit and warm-up taps: %s (above)\n", all_met ? "met" : "MISSED somewhere");
  g_print ("  anonymous memory after the first round of languages grows < %.0f MiB: %s%s\n", SOAK_GROWTH_MIB,
           memory_met ? "met" : "MISSED", memory_met ? "" : " (this fails the bench)");
  g_print ("\nbench-kiosk: %.1f s in all\n", (g_get_monotonic_time () - began) / 1e6);

  subject_clear (k);
  subject_clear (c);
  subject_clear (&slow_k);
  subject_clear (&slow_c);
  sessions_clear (&bus);
  sessions_clear (&no_bus);
  sessions_clear (&slow);
  grabber_clear (&d->grabber);
  XCloseDisplay (d->display);
  /* The memory bound is behaviour, not a timing: it fails the run. */
  if (!memory_met)
    return 1;
  if (!have_chromium)
    {
      g_print ("bench-kiosk: no Chromium (--no-chromium, or not installed: packaging/install-deps.sh --bench): "
               "no comparison\n");
      return 77;
    }
  return strict && !all_met ? 1 : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *kiosk = NULL, *chromium = NULL, *page = NULL, *config = NULL, *renderer = NULL, *language = NULL;
  g_autofree char *a11y = NULL;
  gboolean session_child = FALSE, strict = FALSE, no_chromium = FALSE, keep = FALSE;
  int runs = 3, resets = 200, settle_ms = 2000, warm_taps = 12, quota_us = 25000, quota_resets = 24;
  Plan plan = { TRUE, TRUE };
  GOptionEntry entries[] = {
    { "kiosk", 0, 0, G_OPTION_ARG_FILENAME, &kiosk, "The fristad-kiosk to measure", "PATH" },
    { "chromium", 0, 0, G_OPTION_ARG_FILENAME, &chromium, "Chromium (default: chromium on PATH)", "PATH" },
    { "page", 0, 0, G_OPTION_ARG_FILENAME, &page, "The welcome page Chromium shows", "welcome.html" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Cold starts of each (default 3; 0: sessions only)", "N" },
    { "resets", 0, 0, G_OPTION_ARG_INT, &resets, "Sessions, each ended by Exit (default 200; the soak: 2000)", "N" },
    { "a11y", 0, 0, G_OPTION_ARG_STRING, &a11y,
      "Sessions with the accessibility bus, without (GTK_A11Y=test) or both (default)", "bus|none|both" },
    { "warm-taps", 0, 0, G_OPTION_ARG_INT, &warm_taps, "Real taps during the warm-up (default 12)", "N" },
    { "quota-us", 0, 0, G_OPTION_ARG_INT, &quota_us,
      "CPU quota of the low-end runs, µs per 100 ms (default 25000: a quarter core; 0: none)", "US" },
    { "quota-resets", 0, 0, G_OPTION_ARG_INT, &quota_resets, "Sessions at that quota (default 24)", "N" },
    { "settle-ms", 0, 0, G_OPTION_ARG_INT, &settle_ms, "Wait before reading memory (default 2000)", "MS" },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, "Every session in this language (default: all in turn)", "LANG" },
    { "renderer", 0, 0, G_OPTION_ARG_STRING, &renderer, "GSK_RENDERER for the kiosk (default cairo)", "NAME" },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, "Exit 1 when a target is missed", NULL },
    { "no-chromium", 0, 0, G_OPTION_ARG_NONE, &no_chromium, "Measure the kiosk only (exits 77)", NULL },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the programs' logs", NULL },
    { "session-child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &session_child, NULL, NULL },
    { "config", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &config, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— fristad-kiosk against Chromium in kiosk mode");
  g_autoptr(GError) error = NULL;
  g_autofree char *page_path = NULL;
  Driver d = { 0 };
  int status;

  setlocale (LC_ALL, "");
  if (!fr_init ())
    {
      g_printerr ("bench-kiosk: libsodium could not be initialised\n");
      return 1;
    }
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-kiosk: %s\n", error->message);
      return 2;
    }
  if (session_child)
    {
      if (config == NULL || resets < 1)
        {
          g_printerr ("bench-kiosk: --session-child needs --config and --resets\n");
          return 2;
        }
      return run_session_child (config, language, (guint) resets, (guint) MAX (warm_taps, 0));
    }
  if (a11y != NULL)
    {
      plan.bus = g_str_equal (a11y, "bus") || g_str_equal (a11y, "both");
      plan.no_bus = g_str_equal (a11y, "none") || g_str_equal (a11y, "both");
    }
  plan.warm_taps = (guint) MAX (warm_taps, 0);
  plan.quota_us = (guint) MAX (quota_us, 0);
  plan.quota_resets = (guint) MAX (quota_resets, 1);
  if (kiosk == NULL || page == NULL || runs < 0 || resets < 1 || settle_ms < 0 || (!plan.bus && !plan.no_bus)
      || (plan.quota_us > 0 && plan.quota_us < 1000))
    {
      g_printerr ("bench-kiosk: give --kiosk PATH and --page welcome.html (see --help)\n");
      return 2;
    }

  /* The same environment for both: X11, software rendering (Chromium runs --disable-gpu),
   * settings in memory, the kiosk's first-frame hook on. */
  d.renderer = g_strdup (renderer ? renderer : "cairo");
  d.envp = g_get_environ ();
  d.envp = g_environ_setenv (d.envp, "GDK_BACKEND", "x11", TRUE);
  d.envp = g_environ_setenv (d.envp, "GSK_RENDERER", d.renderer, TRUE);
  d.envp = g_environ_setenv (d.envp, "GSETTINGS_BACKEND", "memory", TRUE);
  d.envp = g_environ_setenv (d.envp, "FRISTAD_KIOSK_BENCH", "1", TRUE);
  d.kiosk = g_canonicalize_filename (kiosk, NULL);
  d.chromium = no_chromium ? NULL : chromium ? g_strdup (chromium) : g_find_program_in_path ("chromium");
  page_path = g_canonicalize_filename (page, NULL);
  d.page_uri = g_filename_to_uri (page_path, NULL, &error);
  d.self_exe = g_file_read_link ("/proc/self/exe", &error);
  d.work_dir = g_dir_make_tmp ("bench-kiosk-XXXXXX", &error);
  if (d.page_uri == NULL || d.self_exe == NULL || d.work_dir == NULL)
    {
      g_printerr ("bench-kiosk: %s\n", error->message);
      return 1;
    }
  d.runs = runs;
  d.language = language;
  d.resets = resets;
  d.settle_ms = settle_ms;

  status = run_driver (&d, &plan, strict);

  if ((status == 0 || status == 77) && !keep)
    fr_kiosk_rmtree (d.work_dir);
  else
    g_printerr ("bench-kiosk: logs kept in %s\n", d.work_dir);
  g_free (d.kiosk);
  g_free (d.chromium);
  g_free (d.page_uri);
  g_free (d.self_exe);
  g_free (d.work_dir);
  g_free (d.config);
  g_free (d.renderer);
  g_strfreev (d.envp);
  return status;
}
