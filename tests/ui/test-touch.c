/* test-touch.c — real taps through the X server (XTest), the way a touch screen's
 * pointer emulation delivers them: the tap that dismisses the idle countdown does nothing
 * else, the countdown moves nothing, Exit works in one tap even then. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>

#include "fr-kiosk-question.h"
#include "kiosk-fixture.h"

/* Taps the middle of @widget: pointer there, press, release, as one touch. */
static void
tap (KioskFixture *fixture,
     GtkWidget    *widget)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  Display *dpy = gdk_x11_display_get_xdisplay (gtk_widget_get_display (window));
  graphene_rect_t bounds;
  double dx, dy;
  int root_x, root_y;
  Window child;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &dx, &dy);
  XTranslateCoordinates (dpy, gdk_x11_surface_get_xid (surface), DefaultRootWindow (dpy),
                         (int) (dx + bounds.origin.x + bounds.size.width / 2),
                         (int) (dy + bounds.origin.y + bounds.size.height / 2), &root_x, &root_y, &child);
  XTestFakeMotionEvent (dpy, -1, root_x, root_y, 0);
  XTestFakeButtonEvent (dpy, 1, True, 0);
  XTestFakeButtonEvent (dpy, 1, False, 0);
  XFlush (dpy);
  kiosk_wait (300);
}

static gboolean
counting_down (gpointer data)
{
  return fr_kiosk_window_is_counting_down (((KioskFixture *) data)->window);
}

static GtkWidget *
first_option (KioskFixture *fixture)
{
  GtkWidget *page = fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture));

  g_assert_true (FR_IS_KIOSK_QUESTION (page));
  return kiosk_find_descendant (page, GTK_TYPE_TOGGLE_BUTTON);
}

static void
test_countdown_tap (void)
{
  KioskFixture *fixture = kiosk_fixture_new (FALSE);
  GtkWidget *screen, *option;
  graphene_rect_t before, during;
  g_autofree char *step = NULL;

  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 3);
  screen = fr_kiosk_window_get_screen (fixture->window);
  step = g_strdup (fr_kiosk_wizard_get_step_name (kiosk_wizard (fixture)));
  option = first_option (fixture);
  g_assert_nonnull (option);
  g_assert_true (gtk_widget_compute_bounds (option, GTK_WIDGET (fixture->window), &before));

  /* The countdown comes (the last half of a 4 s timeout) and moves nothing. */
  fr_kiosk_window_set_idle_timeout_ms (fixture->window, 4000);
  g_assert_true (kiosk_wait_until (counting_down, fixture, 10000));
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_true (gtk_widget_compute_bounds (option, GTK_WIDGET (fixture->window), &during));
  g_assert_true (graphene_rect_equal (&before, &during));

  /* The tap that dismisses it chooses nothing. */
  tap (fixture, option);
  g_assert_false (fr_kiosk_window_is_counting_down (fixture->window));
  g_assert_true (fr_kiosk_window_get_screen (fixture->window) == screen);
  g_assert_cmpstr (fr_kiosk_wizard_get_step_name (kiosk_wizard (fixture)), ==, step);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (option)));

  /* The same tap without the countdown does choose: the check can fail. */
  fr_kiosk_window_set_idle_timeout_ms (fixture->window, 600000);
  tap (fixture, option);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (option))
                 || g_strcmp0 (fr_kiosk_wizard_get_step_name (kiosk_wizard (fixture)), step) != 0);

  /* Exit works in one tap, countdown or not. */
  fr_kiosk_window_set_idle_timeout_ms (fixture->window, 4000);
  g_assert_true (kiosk_wait_until (counting_down, fixture, 10000));
  tap (fixture, fr_kiosk_window_get_exit_button (fixture->window));
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "cover");
  kiosk_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  kiosk_test_init (&argc, &argv);

  g_test_add_func ("/kiosk/touch/countdown-tap", test_countdown_tap);
  return g_test_run ();
}
