/* test-warmup.c — every language drawn once at start, out of sight, out of the way */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>

#include "fr-kiosk-warmup.h"
#include "kiosk-fixture.h"

static FrKioskWarmup *
warmup_of (KioskFixture *fixture)
{
  FrKioskWarmup *warmup = fr_kiosk_window_get_warmup (fixture->window);

  g_assert_nonnull (warmup);
  return warmup;
}

static gboolean
warm_up_done (gpointer data)
{
  return fr_kiosk_warmup_is_done (warmup_of (data));
}

static gboolean
screen_on_stage (gpointer data)
{
  return fr_kiosk_warmup_get_step_name (warmup_of (data)) != NULL;
}

typedef struct
{
  KioskFixture *fixture;
  guint         frames;
} FrameWait;

static gboolean
drew_more (gpointer data)
{
  FrameWait *w = data;

  return fr_kiosk_warmup_get_n_frames (warmup_of (w->fixture)) > w->frames;
}

typedef struct
{
  KioskFixture *fixture;
  char          prefix[32];
} StepWait;

static gboolean
step_has_prefix (gpointer data)
{
  StepWait *w = data;
  const char *name = fr_kiosk_warmup_get_step_name (warmup_of (w->fixture));

  return name != NULL && g_str_has_prefix (name, w->prefix);
}

/* The stage: the GtkStack under the screens, found as the warm-up's styled stack. */
static GtkWidget *
find_stage (GtkWidget *root)
{
  if (GTK_IS_STACK (root) && gtk_widget_has_css_class (root, "fr-warm-stage"))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_stage (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
n_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static gboolean
is_ancestor_or_self (GtkWidget *widget,
                     GtkWidget *ancestor)
{
  return widget != NULL && (widget == ancestor || gtk_widget_is_ancestor (widget, ancestor));
}

/* Every screen of every offered language: afterwards the stage is empty, gettext speaks
 * English again, and the welcome screen is still the one on screen. */
static void
test_complete (void)
{
  KioskFixture *fixture = kiosk_fixture_new (FALSE);
  const FrContent *content = fr_kiosk_context_get_content (fixture->context);
  const char *const *langs = fr_kiosk_context_get_languages (fixture->context);
  GtkWidget *stage = find_stage (GTK_WIDGET (fixture->window));
  guint screens = 0;
  FrKioskWarmup *warmup;

  g_assert_nonnull (stage);
  fr_kiosk_window_warm_up (fixture->window);
  warmup = warmup_of (fixture);
  g_assert_true (kiosk_wait_until (warm_up_done, fixture, 280000));

  /* At least a frame for each screen: home, topics, two contact pages, two receipts,
   * each question and consent; in normal and in large text. */
  for (guint i = 0; langs[i]; i++)
    {
      const FrTopic *const *topics = fr_content_get_topics (content, langs[i]);
      const FrQuestion *const *form = fr_content_get_form (content, langs[i]);

      screens += 1 + 2 + 2 + 1;
      for (guint t = 0; topics && topics[t]; t++)
        screens++;
      for (guint q = 0; form && form[q]; q++)
        screens++;
    }
  screens *= 2;
  g_test_message ("%u languages, %u screens, %u frames", g_strv_length ((char **) langs), screens,
                  fr_kiosk_warmup_get_n_frames (warmup));
  g_assert_cmpuint (fr_kiosk_warmup_get_n_frames (warmup), >=, screens);

  g_assert_cmpuint (n_children (stage), ==, 0);
  g_assert_null (fr_kiosk_warmup_get_step_name (warmup));
  g_assert_false (gtk_widget_has_css_class (stage, "large-text"));
  for (guint i = 0; langs[i]; i++)
    {
      g_autofree char *class = g_strconcat ("lang-", langs[i], NULL);

      g_assert_false (gtk_widget_has_css_class (stage, class));
    }
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "en");
  g_assert_cmpint (gtk_widget_get_default_direction (), ==, GTK_TEXT_DIR_LTR);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "welcome");
  g_assert_null (fr_kiosk_window_get_session (fixture->window));
  kiosk_fixture_free (fixture);
}

/* Nothing of the stage can be seen, touched, focused or found by assistive technology. */
static void
test_out_of_sight (void)
{
  KioskFixture *fixture = kiosk_fixture_new (FALSE);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *stage = find_stage (window);
  GtkWidget *on_stage, *screens;
  g_autoptr(GBytes) with_stage = NULL;
  g_autoptr(GBytes) without_stage = NULL;
  StepWait w = { fixture, "th/topic" };
  int width, height;

  /* The cover: a screen that does not change by itself (the welcome greeting cycles). */
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  fr_kiosk_window_warm_up (fixture->window);
  g_assert_true (kiosk_wait_until (step_has_prefix, &w, 120000));
  on_stage = gtk_stack_get_visible_child (GTK_STACK (stage));
  g_assert_nonnull (on_stage);
  g_assert_true (gtk_widget_get_mapped (on_stage));
  g_assert_true (gtk_widget_has_css_class (stage, "lang-th"));
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "cover");

  /* Drawn, under the cover: the window looks the same as with the stage empty. */
  kiosk_wait_frames (window, 1);
  with_stage = kiosk_render (fixture);
  gtk_widget_set_visible (stage, FALSE);
  kiosk_wait_frames (window, 2);
  without_stage = kiosk_render (fixture);
  gtk_widget_set_visible (stage, TRUE);
  g_assert_true (g_bytes_equal (with_stage, without_stage));

  /* And the check can fail: with the screens no longer opaque, the stage shows through. */
  screens = gtk_widget_get_parent (fr_kiosk_window_get_screen (fixture->window));
  gtk_widget_remove_css_class (screens, "fr-screens-front");
  kiosk_wait_frames (window, 2);
  {
    g_autoptr(GBytes) bare = kiosk_render (fixture);

    g_assert_false (g_bytes_equal (bare, without_stage));
  }
  gtk_widget_add_css_class (screens, "fr-screens-front");

  /* No touch, no focus, hidden from assistive technology. */
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  for (int y = 60; y < height; y += 37)
    for (int x = 5; x < width; x += 41)
      g_assert_false (is_ancestor_or_self (gtk_widget_pick (window, x, y, GTK_PICK_DEFAULT), stage));
  g_assert_false (gtk_widget_get_can_target (stage));
  g_assert_false (gtk_widget_get_can_focus (stage));
  g_assert_true (gtk_test_accessible_has_state (GTK_ACCESSIBLE (stage), GTK_ACCESSIBLE_STATE_HIDDEN));
  for (guint i = 0; i < 40; i++)
    {
      gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD);
      g_assert_false (is_ancestor_or_self (gtk_root_get_focus (GTK_ROOT (window)), stage));
    }
  kiosk_fixture_free (fixture);
}

/* Someone starts a session: the stage is emptied at once and nothing is drawn on it until
 * the session is over; then the warm-up goes on and finishes. Three languages are enough
 * to pause in and finish (the tests above walk all of them). */
static void
test_waits_for_sessions (void)
{
  static const char *const languages[] = { "en", "th", "sv", NULL };
  KioskFixture *fixture = kiosk_fixture_new_for_languages (FALSE, languages);
  GtkWidget *stage = find_stage (GTK_WIDGET (fixture->window));
  FrKioskWarmup *warmup;
  guint frames;

  fr_kiosk_window_warm_up (fixture->window);
  warmup = warmup_of (fixture);
  g_assert_true (kiosk_wait_until (screen_on_stage, fixture, 60000));

  kiosk_activate (fixture, NULL, "kiosk.language", "sv");
  g_assert_cmpuint (n_children (stage), ==, 0);
  g_assert_null (fr_kiosk_warmup_get_step_name (warmup));
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "sv");

  frames = fr_kiosk_warmup_get_n_frames (warmup);
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  kiosk_wizard_answer_step (fixture, "A message");
  kiosk_wait (1000);
  g_assert_cmpuint (fr_kiosk_warmup_get_n_frames (warmup), ==, frames);
  g_assert_cmpuint (n_children (stage), ==, 0);
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "sv");

  /* Also while a volunteer types the PIN. */
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_activate (fixture, NULL, "kiosk.unlock", "assisted");
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "pin");
  frames = fr_kiosk_warmup_get_n_frames (warmup);
  kiosk_wait (500);
  g_assert_cmpuint (fr_kiosk_warmup_get_n_frames (warmup), ==, frames);
  g_assert_cmpuint (n_children (stage), ==, 0);

  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  {
    FrameWait w = { fixture, frames };

    g_assert_true (kiosk_wait_until (drew_more, &w, 60000));
  }
  g_assert_true (kiosk_wait_until (warm_up_done, fixture, 280000));
  g_assert_cmpuint (n_children (stage), ==, 0);
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "en");
  kiosk_fixture_free (fixture);
}

/* Exit stays where it is, fully on screen, in every frame the warm-up draws, and again
 * after the reset that follows a send: a warm-up screen wider than the window must not
 * widen the window (it did: the stage was measured with the screens). */
typedef struct
{
  KioskFixture    *fixture;
  graphene_rect_t  first;
  gboolean         have_first;
  graphene_rect_t  languages;
  gboolean         have_languages;
  guint            frames;
  guint            problems;
} ExitWatch;

static void
on_exit_frame (GdkFrameClock *clock,
               ExitWatch     *watch)
{
  GtkWidget *window = GTK_WIDGET (watch->fixture->window);
  GtkWidget *exit = fr_kiosk_window_get_exit_button (watch->fixture->window);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  graphene_rect_t bounds;
  double dx, dy;

  if (!gtk_widget_get_mapped (exit) || !gtk_widget_compute_bounds (exit, window, &bounds))
    {
      watch->problems++;
      return;
    }
  /* Where it is on the screen (1280×800): in the surface, past any window margin. */
  gtk_native_get_surface_transform (GTK_NATIVE (window), &dx, &dy);
  graphene_rect_offset (&bounds, (float) dx, (float) dy);
  watch->frames++;
  /* On the welcome screen, the languages stay where they are: a tap lands on the one it
   * was aimed at (the first tap after a start was lost while the window changed width). */
  if (g_strcmp0 (fr_kiosk_window_get_screen_name (watch->fixture->window), "welcome") == 0)
    {
      GtkWidget *flow = kiosk_find_descendant (fr_kiosk_window_get_screen (watch->fixture->window), GTK_TYPE_FLOW_BOX);
      graphene_rect_t languages;

      g_assert_nonnull (flow);
      if (!gtk_widget_compute_bounds (flow, window, &languages))
        watch->problems++;
      else if (!watch->have_languages)
        {
          watch->languages = languages;
          watch->have_languages = TRUE;
        }
      else if (!graphene_rect_equal (&languages, &watch->languages))
        {
          if (watch->problems++ < 5)
            g_test_message ("frame %u: the languages moved to %.0f,%.0f %.0f×%.0f", watch->frames, languages.origin.x,
                            languages.origin.y, languages.size.width, languages.size.height);
        }
    }
  if (gdk_surface_get_width (surface) > 1280 || gdk_surface_get_height (surface) > 800
      || bounds.origin.x < 0 || bounds.origin.y < 0
      || bounds.origin.x + bounds.size.width > 1280 || bounds.origin.y + bounds.size.height > 800)
    {
      if (watch->problems++ < 5)
        g_test_message ("frame %u (%s): window %d×%d, Exit at %.0f,%.0f %.0f×%.0f", watch->frames,
                        fr_kiosk_warmup_get_step_name (warmup_of (watch->fixture)),
                        gdk_surface_get_width (surface), gdk_surface_get_height (surface),
                        bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height);
      return;
    }
  if (!watch->have_first)
    {
      watch->first = bounds;
      watch->have_first = TRUE;
    }
  /* Its right edge and top: the label's width is the language's. */
  else if (bounds.origin.x + bounds.size.width != watch->first.origin.x + watch->first.size.width
           || bounds.origin.y != watch->first.origin.y)
    {
      if (watch->problems++ < 5)
        g_test_message ("frame %u (%s): Exit moved to %.0f,%.0f", watch->frames,
                        fr_kiosk_warmup_get_step_name (warmup_of (watch->fixture)), bounds.origin.x, bounds.origin.y);
    }
}

static void
test_exit_in_every_frame (void)
{
  KioskFixture *fixture = kiosk_fixture_new (FALSE);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (fixture->window));
  ExitWatch watch = { fixture };
  StepWait w = { fixture, "large/" };
  gulong handler;

  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_exit_frame), &watch);
  fr_kiosk_window_warm_up (fixture->window);
  /* Halfway (large text has the widest screens), someone sends a message; after the
   * reset the warm-up goes on to the end. */
  g_assert_true (kiosk_wait_until (step_has_prefix, &w, 280000));
  kiosk_activate (fixture, NULL, "kiosk.language", "ar");
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  while (kiosk_wizard_answer_step (fixture, "A message"))
    ;
  kiosk_activate (fixture, NULL, "wizard.agree", NULL);
  kiosk_activate (fixture, fr_kiosk_window_get_screen (fixture->window), "wizard.send", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "receipt");
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  g_assert_true (kiosk_wait_until (warm_up_done, fixture, 280000));
  g_signal_handler_disconnect (clock, handler);
  g_test_message ("%u frames watched", watch.frames);
  g_assert_cmpuint (watch.frames, >, 100);
  g_assert_cmpuint (watch.problems, ==, 0);
  kiosk_fixture_free (fixture);
}

static GtkWidget *
find_language_button (GtkWidget  *root,
                      const char *lang)
{
  if (GTK_IS_ACTIONABLE (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), "kiosk.language") == 0)
    {
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (root));

      if (target != NULL && g_str_equal (g_variant_get_string (target, NULL), lang))
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_language_button (child, lang);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The pointer to the middle of @widget, then the button pressed or released, through the
 * X server as a touch screen's pointer emulation does; XSync, so the events are queued
 * for the kiosk before this returns. */
static void
x_button (KioskFixture *fixture,
          GtkWidget    *widget,
          gboolean      press)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  Display *dpy = gdk_x11_display_get_xdisplay (gtk_widget_get_display (window));
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  graphene_rect_t bounds;
  double dx, dy;
  int x, y;
  Window child;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &dx, &dy);
  XTranslateCoordinates (dpy, gdk_x11_surface_get_xid (surface), DefaultRootWindow (dpy),
                         (int) (dx + bounds.origin.x + bounds.size.width / 2),
                         (int) (dy + bounds.origin.y + bounds.size.height / 2), &x, &y, &child);
  XTestFakeMotionEvent (dpy, -1, x, y, 0);
  XTestFakeButtonEvent (dpy, 1, press, 0);
  XSync (dpy, False);
}

static gboolean
on_home (gpointer data)
{
  return g_strcmp0 (fr_kiosk_window_get_screen_name (((KioskFixture *) data)->window), "home") == 0;
}

/* A finger on a language while the warm-up draws: from the moment the press is handled
 * not one more warm-up frame is drawn (the stage is emptied, so the frame that shows the
 * pressed button draws nothing of it) while the finger stays down, nor before the home
 * screen the tap opens is painted; after the session the warm-up goes on. */
static void
test_yields_to_a_tap (void)
{
  static const char *const languages[] = { "en", "th", "sv", NULL };
  KioskFixture *fixture = kiosk_fixture_new_for_languages (FALSE, languages);
  GtkWidget *stage = find_stage (GTK_WIDGET (fixture->window));
  GtkWidget *button = find_language_button (fr_kiosk_window_get_screen (fixture->window), "sv");
  FrKioskWarmup *warmup;
  guint frames;

  g_assert_nonnull (button);
  fr_kiosk_window_warm_up (fixture->window);
  warmup = warmup_of (fixture);
  g_assert_true (kiosk_wait_until (screen_on_stage, fixture, 60000));
  {
    /* Well into it: a few frames drawn. */
    FrameWait w = { fixture, fr_kiosk_warmup_get_n_frames (warmup) + 3 };

    g_assert_true (kiosk_wait_until (drew_more, &w, 60000));
  }

  /* The finger goes down and stays for 400 ms, as a slow tap does. */
  frames = fr_kiosk_warmup_get_n_frames (warmup);
  x_button (fixture, button, TRUE);
  kiosk_wait (400);
  g_assert_cmpuint (fr_kiosk_warmup_get_n_frames (warmup), ==, frames);
  g_assert_cmpuint (n_children (stage), ==, 0);
  g_assert_null (fr_kiosk_warmup_get_step_name (warmup));
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "welcome");

  /* Lifted: the home screen, painted, with still no warm-up frame in between. */
  x_button (fixture, button, FALSE);
  g_assert_true (kiosk_wait_until (on_home, fixture, 10000));
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_cmpuint (fr_kiosk_warmup_get_n_frames (warmup), ==, frames);
  g_assert_cmpuint (n_children (stage), ==, 0);

  /* After the session, once no input came for a while, it goes on. */
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  {
    FrameWait w = { fixture, frames };

    g_assert_true (kiosk_wait_until (drew_more, &w, 60000));
  }
  kiosk_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  kiosk_test_init (&argc, &argv);

  g_test_add_func ("/kiosk/warmup/complete", test_complete);
  g_test_add_func ("/kiosk/warmup/exit-in-every-frame", test_exit_in_every_frame);
  g_test_add_func ("/kiosk/warmup/out-of-sight", test_out_of_sight);
  g_test_add_func ("/kiosk/warmup/waits-for-sessions", test_waits_for_sessions);
  g_test_add_func ("/kiosk/warmup/yields-to-a-tap", test_yields_to_a_tap);
  return g_test_run ();
}
