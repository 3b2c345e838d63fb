/* test-touch.c — real taps through the X server (XTest), the way a touch screen's
 * pointer emulation delivers them: the tap that dismisses the idle countdown does nothing
 * else, the countdown moves nothing, Exit works in one tap even then; and a second X
 * client, which must never read what was typed from PRIMARY, CLIPBOARD or a drag. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <string.h>
#include <X11/Xatom.h>
#include <X11/keysym.h>
#include <X11/extensions/XTest.h>

#include "fr-kiosk-question.h"
#include "fr-kiosk-warmup.h"
#include "kiosk-fixture.h"

/* Where the middle of @widget is on the X screen. */
static void
root_position (KioskFixture *fixture,
               GtkWidget    *widget,
               int          *root_x,
               int          *root_y)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  Display *dpy = gdk_x11_display_get_xdisplay (gtk_widget_get_display (window));
  graphene_rect_t bounds;
  double dx, dy;
  Window child;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &dx, &dy);
  XTranslateCoordinates (dpy, gdk_x11_surface_get_xid (surface), DefaultRootWindow (dpy),
                         (int) (dx + bounds.origin.x + bounds.size.width / 2),
                         (int) (dy + bounds.origin.y + bounds.size.height / 2), root_x, root_y, &child);
}

/* Taps the middle of @widget: pointer there, press, release, as one touch. */
static void
tap (KioskFixture *fixture,
     GtkWidget    *widget)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gtk_widget_get_display (GTK_WIDGET (fixture->window)));
  int root_x, root_y;

  root_position (fixture, widget, &root_x, &root_y);
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

#define CANARY "CANARY-SEL-9090"

/* A second client on the display: its own connection and window. */
typedef struct
{
  Display *dpy;
  Window   win;
} Reader;

static void
reader_open (Reader *reader)
{
  reader->dpy = XOpenDisplay (NULL);
  g_assert_nonnull (reader->dpy);
  reader->win = XCreateSimpleWindow (reader->dpy, DefaultRootWindow (reader->dpy), 0, 0, 1, 1, 0, 0, 0);
}

static void
reader_close (Reader *reader)
{
  XDestroyWindow (reader->dpy, reader->win);
  XCloseDisplay (reader->dpy);
}

/* Asks the owner of @selection for UTF8_STRING, as any client may; runs the kiosk's main
 * loop meanwhile so it can answer. Returns the text, or NULL if none came. */
static char *
reader_read (Reader     *reader,
             const char *selection)
{
  Atom sel = XInternAtom (reader->dpy, selection, False);
  Atom utf8 = XInternAtom (reader->dpy, "UTF8_STRING", False);
  Atom prop = XInternAtom (reader->dpy, "FR_TEST_READ", False);
  gint64 until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  char *text = NULL;

  if (XGetSelectionOwner (reader->dpy, sel) == None)
    return NULL;
  XConvertSelection (reader->dpy, sel, utf8, prop, reader->win, CurrentTime);
  XFlush (reader->dpy);
  while (g_get_monotonic_time () < until)
    {
      XEvent event;

      g_main_context_iteration (NULL, FALSE);
      if (!XCheckTypedWindowEvent (reader->dpy, reader->win, SelectionNotify, &event))
        {
          g_usleep (5000);
          continue;
        }
      if (event.xselection.property != None)
        {
          Atom type;
          int format;
          unsigned long n, after;
          unsigned char *data = NULL;

          if (XGetWindowProperty (reader->dpy, reader->win, prop, 0, 65536, True, AnyPropertyType, &type, &format,
                                  &n, &after, &data) == Success && data != NULL)
            {
              text = g_strndup ((const char *) data, n);
              XFree (data);
            }
        }
      break;
    }
  return text;
}

static gboolean
reader_sees_canary (Reader     *reader,
                    const char *selection)
{
  g_autofree char *text = reader_read (reader, selection);

  if (text != NULL && strstr (text, CANARY) != NULL)
    {
      g_test_message ("another client read the typed text from %s: %s", selection, text);
      return TRUE;
    }
  return FALSE;
}

static void
key_chord (KioskFixture *fixture,
           KeySym        modifier,
           KeySym        key)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gtk_widget_get_display (GTK_WIDGET (fixture->window)));

  XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, modifier), True, 0);
  XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, key), True, 0);
  XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, key), False, 0);
  XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, modifier), False, 0);
  XFlush (dpy);
  kiosk_wait (200);
}

/* Presses on the text in @widget (near its start) and drags 200 px, holding: a drag of
 * selected text would have started now. */
static void
drag_start (KioskFixture *fixture,
            GtkWidget    *widget)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gtk_widget_get_display (GTK_WIDGET (fixture->window)));
  int x, y;

  root_position (fixture, widget, &x, &y);
  x -= gtk_widget_get_width (widget) / 2 - 40;
  if (GTK_IS_TEXT_VIEW (widget))
    y -= gtk_widget_get_height (widget) / 2 - 24;
  XTestFakeMotionEvent (dpy, -1, x, y, 0);
  XTestFakeButtonEvent (dpy, 1, True, 0);
  XFlush (dpy);
  kiosk_wait (100);
  for (int i = 1; i <= 20; i++)
    {
      XTestFakeMotionEvent (dpy, -1, x + i * 10, y + i * 10, 0);
      XFlush (dpy);
      kiosk_wait (20);
    }
  kiosk_wait (200);
}

static void
drag_end (KioskFixture *fixture)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gtk_widget_get_display (GTK_WIDGET (fixture->window)));

  XTestFakeButtonEvent (dpy, 1, False, 0);
  XFlush (dpy);
  kiosk_wait (300);
}

/* What another client could read: 1 PRIMARY, 2 CLIPBOARD, 4 a drag. */
static guint
selection_leaks (KioskFixture *fixture,
                 Reader       *reader,
                 GtkWidget    *input)
{
  guint leaked = 0;

  /* Select all (a tap gives the field focus and the X pointer focus), then copy. */
  tap (fixture, input);
  key_chord (fixture, XK_Control_L, XK_a);
  leaked |= reader_sees_canary (reader, "PRIMARY") ? 1 : 0;
  key_chord (fixture, XK_Control_L, XK_c);
  leaked |= reader_sees_canary (reader, "CLIPBOARD") ? 2 : 0;
  /* Drag the selected text out. */
  key_chord (fixture, XK_Control_L, XK_a);
  drag_start (fixture, input);
  leaked |= reader_sees_canary (reader, "XdndSelection") ? 4 : 0;
  leaked |= reader_sees_canary (reader, "PRIMARY") ? 1 : 0;
  drag_end (fixture);
  leaked |= reader_sees_canary (reader, "PRIMARY") ? 1 : 0;
  leaked |= reader_sees_canary (reader, "CLIPBOARD") ? 2 : 0;
  return leaked;
}

static void
test_selection (void)
{
  KioskFixture *fixture = kiosk_fixture_new (FALSE);
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (fixture->window));
  GtkWidget *page, *input;
  Reader reader;

  reader_open (&reader);

  /* The reader works: text this process puts on PRIMARY is read by the other client. */
  gdk_clipboard_set_text (gdk_display_get_primary_clipboard (display), "control " CANARY);
  g_assert_true (reader_sees_canary (&reader, "PRIMARY"));
  gdk_clipboard_set_content (gdk_display_get_primary_clipboard (display), NULL);

  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  g_assert_true (kiosk_wizard_go_to_kind (fixture, FR_QUESTION_SHORT_TEXT, "A message"));
  page = fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture));
  input = fr_kiosk_question_get_input (FR_KIOSK_QUESTION (page));
  gtk_editable_set_text (GTK_EDITABLE (input), CANARY " " CANARY);
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_cmpuint (selection_leaks (fixture, &reader, input), ==, 0);

  kiosk_activate (fixture, page, "wizard.next", NULL);
  g_assert_true (kiosk_wizard_go_to_kind (fixture, FR_QUESTION_LONG_TEXT, "A message"));
  page = fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture));
  input = fr_kiosk_question_get_input (FR_KIOSK_QUESTION (page));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (input)), CANARY "\n" CANARY "\n" CANARY, -1);
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_cmpuint (selection_leaks (fixture, &reader, input), ==, 0);

  reader_close (&reader);
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_fixture_free (fixture);
}

/* The button whose action is @action with string target @target (or any, if NULL). */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *action,
             const char *target)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_get_mapped (root)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    {
      GVariant *value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (root));

      if (target == NULL || (value != NULL && g_str_equal (g_variant_get_string (value, NULL), target)))
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action, target);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  KioskFixture *fixture;
  const char   *screen;
} ScreenWait;

static gboolean
on_screen (gpointer data)
{
  ScreenWait *w = data;

  return g_strcmp0 (fr_kiosk_window_get_screen_name (w->fixture->window), w->screen) == 0;
}

static gboolean
warm_step_on (gpointer data)
{
  const char *name = fr_kiosk_warmup_get_step_name (fr_kiosk_window_get_warmup (((KioskFixture *) data)->window));

  return name != NULL && g_str_has_prefix (name, "large/");
}

/* The first tap after a fresh start, while the warm-up draws, is never lost: it lands on
 * the language it was aimed at (the warm-up used to widen and narrow the window under
 * the finger). And Next takes one tap. */
static void
test_no_lost_tap (void)
{
  KioskFixture *fixture = kiosk_fixture_new (FALSE);
  const char *langs[] = { "en", "ar", "th", "sv" };
  ScreenWait home = { fixture, "home" };
  ScreenWait welcome = { fixture, "welcome" };

  /* A fresh start, nobody there for a while: no countdown waits to eat the first tap. */
  fr_kiosk_window_set_idle_timeout_ms (fixture->window, 1000);
  kiosk_wait (1500);
  g_assert_false (fr_kiosk_window_is_counting_down (fixture->window));
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "welcome");
  fr_kiosk_window_set_idle_timeout_ms (fixture->window, 600000);

  fr_kiosk_window_warm_up (fixture->window);
  g_assert_true (kiosk_wait_until (warm_step_on, fixture, 120000));
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      FrKioskWarmup *warmup = fr_kiosk_window_get_warmup (fixture->window);
      guint frames = fr_kiosk_warmup_get_n_frames (warmup);

      /* A few frames in: the warm-up is drawing when the finger comes. */
      while (fr_kiosk_warmup_get_n_frames (warmup) < frames + 5 + i * 7 && !fr_kiosk_warmup_is_done (warmup))
        g_main_context_iteration (NULL, TRUE);
      tap (fixture, find_button (GTK_WIDGET (fixture->window), "kiosk.language", langs[i]));
      g_assert_true (kiosk_wait_until (on_screen, &home, 2000));
      g_assert_cmpstr (fr_kiosk_session_get_language (fr_kiosk_window_get_session (fixture->window)), ==, langs[i]);
      kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
      kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
      /* The cover: one tap back to the languages. */
      tap (fixture, fr_kiosk_window_get_screen (fixture->window));
      g_assert_true (kiosk_wait_until (on_screen, &welcome, 2000));
    }

  /* Next, in one tap, on a question where it is needed (several answers). */
  tap (fixture, find_button (GTK_WIDGET (fixture->window), "kiosk.language", "en"));
  g_assert_true (kiosk_wait_until (on_screen, &home, 2000));
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  tap (fixture, find_button (GTK_WIDGET (fixture->window), "kiosk.wizard", NULL));
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_true (kiosk_wizard_go_to_kind (fixture, FR_QUESTION_MULTIPLE, "A message"));
  {
    g_autofree char *step = g_strdup (fr_kiosk_wizard_get_step_name (kiosk_wizard (fixture)));

    kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
    tap (fixture, first_option (fixture));
    g_assert_cmpstr (fr_kiosk_wizard_get_step_name (kiosk_wizard (fixture)), ==, step);
    tap (fixture, find_button (GTK_WIDGET (fixture->window), "wizard.next", NULL));
    g_assert_cmpstr (fr_kiosk_wizard_get_step_name (kiosk_wizard (fixture)), !=, step);
  }
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  kiosk_test_init (&argc, &argv);

  g_test_add_func ("/kiosk/touch/countdown-tap", test_countdown_tap);
  g_test_add_func ("/kiosk/touch/selection", test_selection);
  g_test_add_func ("/kiosk/touch/no-lost-tap", test_no_lost_tap);
  return g_test_run ();
}
