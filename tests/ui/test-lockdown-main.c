/* test-lockdown-main.c — the lock-down as the real fristad-kiosk binary applies it
 *
 * test-lockdown.c drives the kiosk in-process, through a fixture that scrubs the
 * environment itself; here main()'s own scrub is what stands between GTK_DEBUG=interactive
 * and the GTK inspector. The binary ($FRISTAD_KIOSK) runs its demo site, windowed, on the
 * test's X server, and its toplevel windows are counted with Xlib: the inspector is a
 * toplevel of its own (on a second connection, 800×500), even before it is shown. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <gio/gio.h>
#include <signal.h>

typedef struct
{
  guint toplevels;   /* the process's toplevel windows, mapped or not */
  guint viewable;    /* of which mapped */
} Windows;

static gboolean
window_pid (Display *dpy,
            Window   w,
            gulong  *pid)
{
  Atom type = None;
  int format = 0;
  unsigned long n = 0, after = 0;
  unsigned char *data = NULL;
  gboolean found = FALSE;

  if (XGetWindowProperty (dpy, w, XInternAtom (dpy, "_NET_WM_PID", False), 0, 1, False, XA_CARDINAL,
                          &type, &format, &n, &after, &data) == Success
      && type == XA_CARDINAL && format == 32 && n == 1)
    {
      *pid = *(unsigned long *) data;
      found = TRUE;
    }
  if (data != NULL)
    XFree (data);
  return found;
}

/* GDK's client-leader windows are override-redirect 1×1 windows with the same pid; a
 * toplevel (a GtkWindow, the inspector's too) is any other child of the root. */
static Windows
count_windows (Display *dpy,
               GPid     pid)
{
  Window root, parent, *children = NULL;
  unsigned int n = 0;
  Windows out = { 0, 0 };

  g_assert_true (XQueryTree (dpy, DefaultRootWindow (dpy), &root, &parent, &children, &n));
  for (unsigned int i = 0; i < n; i++)
    {
      XWindowAttributes attrs;
      gulong owner = 0;

      if (!XGetWindowAttributes (dpy, children[i], &attrs) || attrs.override_redirect)
        continue;
      if (!window_pid (dpy, children[i], &owner) || owner != (gulong) pid)
        continue;
      out.toplevels++;
      if (attrs.map_state == IsViewable)
        out.viewable++;
    }
  if (children != NULL)
    XFree (children);
  return out;
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
test_main_scrubs_inspector (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) kiosk = NULL;
  const char *binary = g_getenv ("FRISTAD_KIOSK");
  Display *dpy = XOpenDisplay (NULL);
  GPid pid;
  Windows seen = { 0, 0 };
  guint most = 0;
  gint64 deadline, settled = 0;
  gboolean exited = FALSE;

  g_assert_nonnull (binary);
  g_assert_nonnull (dpy);

  /* What an attacker (or a careless maintainer) could leave in the kiosk's environment. */
  g_subprocess_launcher_setenv (launcher, "GTK_DEBUG", "interactive", TRUE);
  g_subprocess_launcher_setenv (launcher, "GTK_MODULES", "nonexistent-module", TRUE);
  kiosk = g_subprocess_launcher_spawn (launcher, &error, binary, "--demo", "--windowed", NULL);
  g_assert_no_error (error);
  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (kiosk), NULL, 10);
  g_assert_cmpint (pid, >, 0);
  g_subprocess_wait_async (kiosk, NULL, on_exited, &exited);

  /* Until the kiosk's window is on screen, then for a grace period after it: the inspector
   * would be realized together with the first window. The count is the most ever seen. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_false (exited);   /* the kiosk started and kept running */
      seen = count_windows (dpy, pid);
      most = MAX (most, seen.toplevels);
      if (seen.viewable > 0 && settled == 0)
        settled = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
      if (settled != 0 && g_get_monotonic_time () > settled)
        break;
      g_usleep (50 * 1000);
    }
  g_assert_cmpuint (seen.viewable, ==, 1);
  g_test_message ("toplevels of the kiosk: at most %u", most);
  g_assert_cmpuint (most, ==, 1);

  /* Ended the orderly way, so the demo removes its throwaway site. */
  g_subprocess_send_signal (kiosk, SIGTERM);
  while (!exited)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_exited (kiosk));
  g_assert_cmpint (g_subprocess_get_exit_status (kiosk), ==, 0);
  XCloseDisplay (dpy);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/lockdown-main/no-inspector", test_main_scrubs_inspector);
  return g_test_run ();
}
