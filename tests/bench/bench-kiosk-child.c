/* bench-kiosk-child.c — bench-kiosk --session-child: the kiosk built in this process as
 * kiosk/main.c builds it, driven through the actions a tap activates */
#define G_LOG_DOMAIN "fristad-bench"

#include "config.h"

#include <adwaita.h>
#include <malloc.h>
#include <string.h>
#include <time.h>

#include <gdk/x11/gdkx.h>
#include <X11/extensions/XTest.h>

#include "fr-kiosk-context.h"
#include "fr-kiosk-i18n.h"
#include "fr-kiosk-keypad.h"
#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-question.h"
#include "fr-kiosk-warmup.h"
#include "fr-kiosk-window.h"
#include "fr-kiosk-wizard.h"

#include "bench-kiosk.h"
#include "fr-test-util.h"

/* CPU time of this process (every thread), µs: what a tap cost, whatever else the
 * machine was doing meanwhile. */
static gint64
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* ---------------------------------------------------------------------------------------
 * The session child: the kiosk in this process, reset again and again
 */

typedef struct
{
  const char     *config;
  const char     *language;       /* NULL: every offered language in turn */
  guint           resets;
  guint           warm_taps;      /* real taps (XTest) on the welcome screen during the warm-up */
  int             status;
  FrKioskContext *context;
  FrKioskWindow  *window;
  guint64         paints;
  gint64          painted_at;     /* the last after-paint, after an XSync */
  gint64          painted_cpu;    /* this process's CPU time then (µs) */
  gint64          layout_cpu;     /* ... at the end of the last frame's layout phase */
  gint64          exit_phases[3]; /* the last quick exit's CPU time: action, layout, paint */
  gint64          paint_cpu;      /* ... at the end of its paint phase (snapshot, render) */
  gboolean        want_cover;
  gint64          cover_painted;
  Grabber         grabber;
  GArray         *cover_reference;
  guint           frames_at_press;  /* the warm-up's frames when a real press was handled */
  gint64          press_handled_at;
} Child;

static void
drain (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* Connected after GTK's own handlers: the end of each phase. */
static void
on_layout (GdkFrameClock *clock,
           Child         *c)
{
  c->layout_cpu = cpu_now ();
}

static void
on_paint (GdkFrameClock *clock,
          Child         *c)
{
  c->paint_cpu = cpu_now ();
}

/* Every frame: the X server is given the frame's pixels (XSync) before the time is taken,
 * so "painted" means on screen, for the quick exit and for every navigation alike. */
static void
on_after_paint (GdkFrameClock *clock,
                Child         *c)
{
  gdk_display_sync (gdk_display_get_default ());
  c->painted_at = g_get_monotonic_time ();
  c->painted_cpu = cpu_now ();
  c->paints++;
  if (c->want_cover && g_strcmp0 (fr_kiosk_window_get_screen_name (c->window), "cover") == 0)
    {
      c->cover_painted = c->painted_at;
      c->want_cover = FALSE;
    }
}

typedef struct
{
  Child  *child;
  guint64 paints;
} PaintWait;

static gboolean
painted_since (gpointer data)
{
  PaintWait *w = data;

  return w->child->paints > w->paints;
}

/* Redraws the window and waits until that frame has been painted. */
static gboolean
wait_painted (Child *c)
{
  PaintWait w = { c, c->paints };

  gtk_widget_queue_draw (GTK_WIDGET (c->window));
  return fr_test_wait_until (painted_since, &w, 3000, 5);
}

/* Waits for the next frame, whatever queued it. */
static gboolean
wait_next_paint (Child *c)
{
  PaintWait w = { c, c->paints };

  return fr_test_wait_until (painted_since, &w, 10000, 5);
}

static gboolean
activate (GtkWidget  *widget,
          const char *action,
          const char *target)
{
  gboolean ok = target != NULL ? gtk_widget_activate_action (widget, action, "s", target)
                               : gtk_widget_activate_action (widget, action, NULL);

  drain ();
  return ok;
}

/* A tap, timed: the action is activated (what the button's click does) and the time runs
 * to the end of the first frame painted after it, which shows its result (the action
 * changed the screen synchronously). Prints "nav KIND LANG LARGE µs". */
static gboolean
timed_activate (Child      *c,
                const char *kind,
                const char *lang,
                gboolean    large,
                GtkWidget  *widget,
                const char *action,
                const char *target)
{
  gint64 cpu0 = cpu_now (), t0 = g_get_monotonic_time (), acted;
  gboolean ok = target != NULL ? gtk_widget_activate_action (widget, action, "s", target)
                               : gtk_widget_activate_action (widget, action, NULL);

  acted = cpu_now ();
  if (!ok || !wait_next_paint (c))
    return FALSE;
  /* Wall time, CPU time, and the CPU time of the action (building the screen), of the
   * frame's layout and of its paint (snapshot and render). */
  g_print ("nav %s %s %d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
           " %" G_GINT64_FORMAT "\n", kind, lang, large, c->painted_at - t0, c->painted_cpu - cpu0, acted - cpu0,
           c->layout_cpu - acted, c->paint_cpu - c->layout_cpu);
  return TRUE;
}

typedef struct
{
  Child      *child;
  const char *step;
} StepWait;

static gboolean
step_changed (gpointer data)
{
  StepWait *w = data;
  GtkWidget *screen = fr_kiosk_window_get_screen (w->child->window);

  return !FR_IS_KIOSK_WIZARD (screen) || g_strcmp0 (fr_kiosk_wizard_get_step_name (FR_KIOSK_WIZARD (screen)), w->step) != 0;
}

static GtkWidget *
find_descendant (GtkWidget *root,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Answers the wizard's questions as tests/ui does (first option, a phone number, skip
 * voice) until a text question is on screen; returns its input, or NULL. Each answer is
 * timed to the next question painted ("nav next"): from the tap that moves on (the
 * option of a single-choice question, which moves on by itself once its press is drawn;
 * Next after a multiple choice or a phone number; Skip) to the frame that shows the next
 * question. */
static GtkWidget *
answer_until_text (Child      *c,
                   const char *lang,
                   gboolean    large)
{
  for (guint guard = 0; guard < 64; guard++)
    {
      GtkWidget *screen = fr_kiosk_window_get_screen (c->window);
      g_autofree char *step = NULL;
      const FrQuestion *q;
      GtkWidget *page;
      StepWait w;
      gint64 t0, cpu0;

      if (!FR_IS_KIOSK_WIZARD (screen))
        return NULL;
      page = fr_kiosk_wizard_get_current_page (FR_KIOSK_WIZARD (screen));
      if (!FR_IS_KIOSK_QUESTION (page))
        return NULL;
      q = fr_kiosk_question_get_question (FR_KIOSK_QUESTION (page));
      if (q->kind == FR_QUESTION_SHORT_TEXT || q->kind == FR_QUESTION_LONG_TEXT)
        return fr_kiosk_question_get_input (FR_KIOSK_QUESTION (page));
      step = g_strdup (fr_kiosk_wizard_get_step_name (FR_KIOSK_WIZARD (screen)));
      cpu0 = cpu_now ();
      switch (q->kind)
        {
        case FR_QUESTION_SINGLE:
        case FR_QUESTION_YESNO:
          t0 = g_get_monotonic_time ();
          gtk_widget_activate_action (page, "question.choose", "s", q->options[0].id);
          break;
        case FR_QUESTION_MULTIPLE:
          activate (page, "question.choose", q->options[0].id);
          wait_painted (c);
          cpu0 = cpu_now ();
          t0 = g_get_monotonic_time ();
          gtk_widget_activate_action (page, "wizard.next", NULL);
          break;
        case FR_QUESTION_PHONE:
          {
            GtkWidget *keypad = find_descendant (page, FR_TYPE_KIOSK_KEYPAD);
            const char *digits[] = { "+", "4", "6", "7", "0", "1", "2", NULL };

            for (guint i = 0; keypad != NULL && digits[i]; i++)
              activate (keypad, "keypad.press", digits[i]);
            wait_painted (c);
            cpu0 = cpu_now ();
            t0 = g_get_monotonic_time ();
            gtk_widget_activate_action (page, "wizard.next", NULL);
          }
          break;
        case FR_QUESTION_SHORT_TEXT:
        case FR_QUESTION_LONG_TEXT:
        case FR_QUESTION_VOICE:
        default:
          t0 = g_get_monotonic_time ();
          gtk_widget_activate_action (page, "wizard.skip", NULL);
          break;
        }
      w.child = c;
      w.step = step;
      if (!fr_test_wait_until (step_changed, &w, 5000, 5) || !wait_next_paint (c))
        return NULL;
      g_print ("nav next %s %d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", lang, large, c->painted_at - t0,
               c->painted_cpu - cpu0);
    }
  return NULL;
}

/* One character at a time, with the main loop run between, as keystrokes would come. */
static void
type_text (GtkWidget  *input,
           const char *text)
{
  gtk_widget_grab_focus (input);
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      int len = (int) (g_utf8_next_char (p) - p);

      if (GTK_IS_TEXT_VIEW (input))
        gtk_text_buffer_insert_at_cursor (gtk_text_view_get_buffer (GTK_TEXT_VIEW (input)), p, len);
      else if (GTK_IS_EDITABLE (input))
        {
          int position = gtk_editable_get_position (GTK_EDITABLE (input));

          gtk_editable_insert_text (GTK_EDITABLE (input), p, len, &position);
          gtk_editable_set_position (GTK_EDITABLE (input), position);
        }
      drain ();
    }
}

static gboolean
cover_painted (gpointer data)
{
  return !((Child *) data)->want_cover;
}

/* kiosk.quick-exit, timed to the painted cover; FALSE if no such frame came. */
static gboolean
time_quick_exit (Child  *c,
            gint64 *exit_us,
            gint64 *call_us)
{
  gint64 t0, cpu0, acted;

  c->want_cover = TRUE;
  c->cover_painted = 0;
  cpu0 = cpu_now ();
  t0 = g_get_monotonic_time ();
  if (!gtk_widget_activate_action (GTK_WIDGET (c->window), "kiosk.quick-exit", NULL))
    return FALSE;
  *call_us = g_get_monotonic_time () - t0;
  acted = cpu_now ();
  if (!fr_test_wait_until (cover_painted, c, 5000, 5))
    {
      c->want_cover = FALSE;
      return FALSE;
    }
  *exit_us = c->cover_painted - t0;
  c->exit_phases[0] = acted - cpu0;
  c->exit_phases[1] = c->layout_cpu - acted;
  c->exit_phases[2] = c->paint_cpu - c->layout_cpu;
  return TRUE;
}

static gboolean
cover_on_screen (Child *c)
{
  g_autoptr(GArray) now = NULL;

  if (!grabber_grab (&c->grabber))
    return FALSE;
  now = grabber_samples (&c->grabber);
  return samples_difference (now, c->cover_reference) <= 0.005;
}

static gboolean
one_session (Child      *c,
             const char *lang,
             guint       number,
             gboolean    large,
             guint      *verified)
{
  GtkWidget *window = GTK_WIDGET (c->window);
  const FrTopic *const *topics = fr_content_get_topics (fr_kiosk_context_get_content (c->context), lang);
  guint n_topics = 0;
  GtkWidget *input;
  gint64 exit_us = 0, call_us = 0;
  gboolean ok;

  while (topics != NULL && topics[n_topics] != NULL)
    n_topics++;
  /* The cover's "Touch to start", then (every other session) large text and high
   * contrast turned on on the welcome screen, as some people need: every screen of that
   * session is then built and drawn in large text. */
  ok = timed_activate (c, "start", lang, large, window, "kiosk.start", NULL);
  if (ok && large)
    ok = activate (window, "kiosk.large-text", NULL) && activate (window, "kiosk.high-contrast", NULL)
         && wait_painted (c);
  ok = ok && timed_activate (c, "home", lang, large, window, "kiosk.language", lang)
       && g_strcmp0 (fr_kiosk_window_get_screen_name (c->window), "home") == 0;
  /* A topic (each in turn over the sessions), and Home again. */
  if (ok && n_topics > 0)
    ok = timed_activate (c, "topic", lang, large, window, "kiosk.topic", topics[number % n_topics]->id)
         && timed_activate (c, "back", lang, large, window, "kiosk.home", NULL);
  ok = ok && timed_activate (c, "wizard", lang, large, window, "kiosk.wizard", NULL);
  if (!ok)
    {
      g_printerr ("bench-kiosk: reset %u (%s): could not reach the wizard\n", number, lang);
      return FALSE;
    }
  input = answer_until_text (c, lang, large);
  if (input == NULL)
    {
      g_printerr ("bench-kiosk: reset %u (%s): no text question in the wizard\n", number, lang);
      return FALSE;
    }
  type_text (input, TYPED_TEXT);
  wait_painted (c);
  if (!time_quick_exit (c, &exit_us, &call_us))
    {
      g_printerr ("bench-kiosk: reset %u (%s): the cover was never painted\n", number, lang);
      return FALSE;
    }
  if (cover_on_screen (c))
    (*verified)++;
  else
    g_printerr ("bench-kiosk: reset %u (%s): the screen did not match the cover after the exit frame\n", number, lang);
  g_print ("exit %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " 0 0 %d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
           " %" G_GINT64_FORMAT "\n", exit_us, call_us, large, c->exit_phases[0], c->exit_phases[1], c->exit_phases[2]);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------
 * Real taps during the warm-up: a second X connection, in a thread, presses a language
 * button of the welcome screen at a random moment (the warm-up is then somewhere in a
 * step or a frame) and lifts the finger 60 ms later, as a tap does; the button's click
 * comes with the release.
 */

typedef struct
{
  Display        *dpy;
  int             x, y;
  gulong          delay_us;
  gint64          pressed_at;
  gint64          released_at;
} Tapper;

static gpointer
tap_thread (gpointer data)
{
  Tapper *t = data;

  g_usleep (t->delay_us);
  XTestFakeMotionEvent (t->dpy, -1, t->x, t->y, 0);
  XSync (t->dpy, False);
  t->pressed_at = g_get_monotonic_time ();
  XTestFakeButtonEvent (t->dpy, 1, True, 0);
  XFlush (t->dpy);
  g_usleep (60000);
  t->released_at = g_get_monotonic_time ();
  XTestFakeButtonEvent (t->dpy, 1, False, 0);
  XSync (t->dpy, False);
  return NULL;
}

static GtkWidget *
find_language_button (GtkWidget  *root,
                      const char *lang)
{
  if (GTK_IS_ACTIONABLE (root) && gtk_widget_get_mapped (root)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), "kiosk.language") == 0)
    {
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (root));

      if (target != NULL && g_variant_is_of_type (target, G_VARIANT_TYPE_STRING)
          && g_str_equal (g_variant_get_string (target, NULL), lang))
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

static gboolean
root_position (Child     *c,
               GtkWidget *widget,
               int       *root_x,
               int       *root_y)
{
  GtkWidget *window = GTK_WIDGET (c->window);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  Display *dpy = gdk_x11_display_get_xdisplay (gtk_widget_get_display (window));
  graphene_rect_t bounds;
  double dx, dy;
  Window child;

  if (!gtk_widget_compute_bounds (widget, window, &bounds))
    return FALSE;
  gtk_native_get_surface_transform (GTK_NATIVE (window), &dx, &dy);
  return XTranslateCoordinates (dpy, gdk_x11_surface_get_xid (surface), DefaultRootWindow (dpy),
                                (int) (dx + bounds.origin.x + bounds.size.width / 2),
                                (int) (dy + bounds.origin.y + bounds.size.height / 2), root_x, root_y, &child);
}

static gboolean
on_capture_event (GtkEventControllerLegacy *controller,
                  GdkEvent                 *event,
                  Child                    *c)
{
  FrKioskWarmup *warmup = fr_kiosk_window_get_warmup (c->window);

  if (gdk_event_get_event_type (event) == GDK_BUTTON_PRESS && warmup != NULL)
    {
      c->frames_at_press = fr_kiosk_warmup_get_n_frames (warmup);
      c->press_handled_at = g_get_monotonic_time ();
    }
  return GDK_EVENT_PROPAGATE;
}

static gboolean
on_home (gpointer data)
{
  return g_strcmp0 (fr_kiosk_window_get_screen_name (((Child *) data)->window), "home") == 0;
}

static gboolean
warm_up_done (gpointer data)
{
  return fr_kiosk_warmup_is_done (fr_kiosk_window_get_warmup (((Child *) data)->window));
}

/* Prints "wtap RELEASE->PAINTED_µs PRESS_WAITED_µs FRAMES" for each tap: from the finger
 * lifted to the home screen painted, how long the press waited before the kiosk handled
 * it, and how many warm-up frames were drawn after the press was handled and before the
 * home screen was painted. Then Exit and the cover's start, and the warm-up goes on. */
static gboolean
warm_up_taps (Child             *c,
              const char *const *langs)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (16);
  FrKioskWarmup *warmup = fr_kiosk_window_get_warmup (c->window);
  Display *dpy = XOpenDisplay (NULL);
  GtkEventController *capture = gtk_event_controller_legacy_new ();
  guint n_langs = g_strv_length ((char **) langs);
  gboolean ok = TRUE;
  guint done = 0;
  gint64 exit_us, call_us;

  if (dpy == NULL)
    return FALSE;
  gtk_event_controller_set_propagation_phase (capture, GTK_PHASE_CAPTURE);
  g_signal_connect (capture, "event", G_CALLBACK (on_capture_event), c);
  gtk_widget_add_controller (GTK_WIDGET (c->window), capture);
  for (guint i = 0; i < c->warm_taps && ok && !fr_kiosk_warmup_is_done (warmup); i++)
    {
      GtkWidget *button = find_language_button (GTK_WIDGET (c->window), langs[i % n_langs]);
      Tapper t = { dpy, 0, 0, (gulong) g_rand_int_range (rand, 100000, 700000) };
      GThread *thread;

      if (button == NULL || !root_position (c, button, &t.x, &t.y))
        {
          g_printerr ("bench-kiosk: no %s button on the welcome screen\n", langs[i % n_langs]);
          ok = FALSE;
          break;
        }
      c->press_handled_at = 0;
      thread = g_thread_new ("tap", tap_thread, &t);
      ok = fr_test_wait_until (on_home, c, 30000, 5) && wait_next_paint (c);
      g_thread_join (thread);
      if (!ok)
        {
          g_printerr ("bench-kiosk: a tap on %s during the warm-up did not open the home screen\n", langs[i % n_langs]);
          break;
        }
      g_print ("wtap %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %u\n", c->painted_at - t.released_at,
               c->press_handled_at - t.pressed_at, fr_kiosk_warmup_get_n_frames (warmup) - c->frames_at_press);
      done++;
      ok = time_quick_exit (c, &exit_us, &call_us) && activate (GTK_WIDGET (c->window), "kiosk.start", NULL)
           && wait_painted (c);
    }
  gtk_widget_remove_controller (GTK_WIDGET (c->window), capture);
  XCloseDisplay (dpy);
  return ok;
}

static void
print_child_memory (const char   *label,
                    const Memory *m,
                    guint         resets)
{
  struct mallinfo2 heap = mallinfo2 ();

  /* The last field: what malloc has handed out and not got back (KiB), to tell a leak
   * from a heap that only grew fragmented. */
  g_print ("mem %s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %u %zu\n", label, m->rss_kb,
           m->pss_kb, m->anon_kb, resets, (heap.uordblks + heap.hblkhd) / 1024);
}

static gboolean
child_run (gpointer data)
{
  Child *c = data;
  const char *const *langs = fr_kiosk_context_get_languages (c->context);
  const char *only[] = { c->language, NULL };
  guint n_langs;
  g_autoptr(GError) error = NULL;
  GdkDisplay *display = gdk_display_get_default ();
  gint64 exit_us, call_us;
  guint verified = 0;
  Memory m;

  c->status = 1;
  if (c->language != NULL)
    {
      if (!g_strv_contains (langs, c->language))
        {
          g_printerr ("bench-kiosk: %s is not an offered language\n", c->language);
          goto out;
        }
      langs = only;
    }
  n_langs = g_strv_length ((char **) langs);
  g_print ("languages %u\n", n_langs);
  if (!GDK_IS_X11_DISPLAY (display)
      || !grabber_init (&c->grabber, gdk_x11_display_get_xdisplay (display), TRUE, &error))
    {
      g_printerr ("bench-kiosk: %s\n", error ? error->message : "the session child needs GDK_BACKEND=x11");
      goto out;
    }
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (c->window)), "after-paint", G_CALLBACK (on_after_paint), c);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (c->window)), "layout", G_CALLBACK (on_layout), c);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (c->window)), "paint", G_CALLBACK (on_paint), c);
  if (!wait_painted (c))
    {
      g_printerr ("bench-kiosk: the window was never painted\n");
      goto out;
    }
  m = self_memory ();
  print_child_memory ("first-frame", &m, 0);
  g_print ("first-frame-at %" G_GINT64_FORMAT "\n", c->painted_at);
  if (c->warm_taps > 0 && !warm_up_taps (c, langs))
    goto out;
  /* Start is over when the warm-up is, as for the kiosk measured above. */
  if (!fr_test_wait_until (warm_up_done, c, 900000, 5))
    {
      g_printerr ("bench-kiosk: the warm-up never finished\n");
      goto out;
    }
  /* One grab first, so that what the grabs take in this process is in every reading, the
   * first one too (MIT-SHM: one shared segment, not 4 MiB of heap a grab). */
  if (grabber_grab (&c->grabber))
    g_array_unref (grabber_samples (&c->grabber));
  g_print ("warm-up-done-at %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fr_test_wait_ms (500);
  m = self_memory ();
  print_child_memory ("start", &m, 0);

  /* The cover as a person sees it before anyone used the kiosk: the reference. */
  if (!time_quick_exit (c, &exit_us, &call_us))
    {
      g_printerr ("bench-kiosk: the cover was never painted\n");
      goto out;
    }
  fr_test_wait_ms (300);
  wait_painted (c);
  grabber_grab (&c->grabber);
  c->cover_reference = grabber_samples (&c->grabber);

  for (guint i = 0; i < c->resets; i++)
    {
      /* Large text in turn, and in the next round of languages the other way round. */
      gboolean large = (i % n_langs + i / n_langs) % 2 == 1;

      if (!one_session (c, langs[i % n_langs], i + 1, large, &verified))
        goto out;
      /* After every round of languages: the anonymous memory, for the growth over the
       * soak (the first round loads what every language needs). */
      if ((i + 1) % n_langs == 0)
        {
          fr_test_wait_ms (400);
          m = self_memory ();
          if (i + 1 == n_langs)
            print_child_memory ("warm", &m, n_langs);
          print_child_memory ("round", &m, i + 1);
        }
    }
  fr_test_wait_ms (500);
  m = self_memory ();
  print_child_memory ("end", &m, c->resets);
  g_print ("resets %u\nverified %u\n", c->resets, verified);
  c->status = 0;

out:
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (GTK_WIDGET (c->window)), on_after_paint, c);
  g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (GTK_WIDGET (c->window)), on_layout, c);
  g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (GTK_WIDGET (c->window)), on_paint, c);
  g_clear_pointer (&c->cover_reference, g_array_unref);
  grabber_clear (&c->grabber);
  gtk_window_destroy (GTK_WINDOW (c->window));
  return G_SOURCE_REMOVE;
}

static void
child_activate (GApplication *app,
                Child        *c)
{
  g_autoptr(GError) error = NULL;

  fr_kiosk_ui_init ();
  c->context = fr_kiosk_context_new (c->config, NULL, &error);
  if (c->context == NULL)
    {
      g_printerr ("bench-kiosk: %s\n", error->message);
      return;
    }
  fr_kiosk_context_set_delivery_enabled (c->context, FALSE);
  c->window = fr_kiosk_window_new (c->context, FALSE);
  gtk_window_set_application (GTK_WINDOW (c->window), GTK_APPLICATION (app));
  fr_kiosk_window_size_to_monitor (c->window);
  gtk_window_fullscreen (GTK_WINDOW (c->window));
  gtk_window_present (GTK_WINDOW (c->window));
  fr_kiosk_window_warm_up (c->window);
  g_idle_add (child_run, c);
}

int
run_session_child (const char *config,
                   const char *language,
                   guint       resets,
                   guint       warm_taps)
{
  g_autoptr(AdwApplication) app = NULL;
  char *app_argv[] = { (char *) "bench-kiosk", NULL };
  Child c = { config, language, resets, warm_taps, 1 };

  fr_kiosk_lockdown_scrub_environment ();
  fr_kiosk_i18n_init ();
  app = adw_application_new ("se.fristad.KioskBench", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (child_activate), &c);
  g_application_run (G_APPLICATION (app), 1, app_argv);
  g_clear_object (&c.context);
  return c.status;
}
