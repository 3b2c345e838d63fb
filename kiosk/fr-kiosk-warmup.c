/* fr-kiosk-warmup.c — every screen of every offered language drawn once, out of sight
 *
 * The first person to choose Thai, Arabic or Chinese would otherwise make the kiosk load
 * that script's fonts and shape and rasterise its glyphs (Pango's and cairo's caches,
 * the X server's glyph sets) during their session: a slower first screen for them, and
 * about 30 MiB of growth spread over the first session of each of twelve languages. A
 * kiosk short of memory would then fail in front of that person, days after boot,
 * instead of in front of the maintainer at boot. So right after start, while the
 * welcome screen is up and nobody is using the kiosk, every screen of every offered
 * language (home, each topic, the two contact pages, the receipt, each question and the
 * consent), in normal and then in large text, is built and drawn once on the "stage": a stack *under* the screens, which
 * are opaque, so nothing of it is ever seen. The stage takes no pointer or touch input,
 * no focus, and is hidden from assistive technology. Long screens are scrolled through,
 * one frame a page, so that all of their text is drawn.
 *
 * One frame a step, each step from an idle callback at low priority, so the welcome
 * screen stays responsive: a step builds one screen (the wizard one question at a time)
 * and the frame draws it. Input comes first: the moment a press, a touch or a key
 * arrives the stage is emptied (the frame that answers it draws nothing of the warm-up)
 * and the warm-up holds until no input came for HOLD_MS. When someone starts a session the
 * stage is emptied at once and the warm-up waits; it goes on after the reset. When it is done the stage is empty
 * and every object it built is finalized: what stays is what the kiosk would have kept
 * anyway after those sessions (fonts, glyph caches).
 *
 * Only content and interface strings are ever on the stage, never anything of a session:
 * the wizard here has its own throwaway FrKioskSession, which is never sent.
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>

#include "fr-kiosk-home.h"
#include "fr-kiosk-i18n.h"
#include "fr-kiosk-receipt.h"
#include "fr-kiosk-session.h"
#include "fr-kiosk-topic.h"
#include "fr-kiosk-warmup.h"
#include "fr-kiosk-wizard.h"

/* At most this many frames of scrolling for one screen (a topic is 3 to 6). */
#define MAX_SCROLL_FRAMES 24

/* After the last input, the warm-up waits this long before its next step. */
#define HOLD_MS 1500

typedef enum
{
  PHASE_HOME,
  PHASE_TOPIC,
  PHASE_TILE,
  PHASE_RECEIPT,
  PHASE_WIZARD,
} Phase;

static const char * const tiles[] = { "help-now", "talk" };

/* Two receipts, so that every character a receipt code can have is drawn (RECORD.md). */
static const char * const receipts[] = { "0123-4567-89AB-CDEF", "GHJK-MNPQ-RSTV-WXYZ" };

struct _FrKioskWarmup
{
  GObject          parent_instance;

  FrKioskContext  *context;
  GtkStack        *stage;          /* weak: the window owns it */
  GdkFrameClock   *clock;          /* weak: the stage's, while realized */
  gulong           paint_handler;
  GtkWidget       *root;           /* weak: the window, while the stage is realized */
  GtkEventController *input;       /* on it: input holds the warm-up (fr_kiosk_warmup_hold) */

  guint            lang;           /* index into the offered languages */
  gboolean         large_text;     /* the second round: every screen again in large text */
  Phase            phase;
  guint            index;          /* within the phase */
  char            *lang_class;

  GtkWidget       *shown;          /* on the stage now, or NULL */
  Phase            shown_phase;    /* what it is, and where to go back to if interrupted */
  guint            shown_index;
  FrKioskSession  *session;        /* the wizard's, throwaway */
  guint            scroll_frames;

  gboolean         allowed;
  gboolean         painted_once;   /* the window's first frame is out: start after it */
  gboolean         waiting_paint;
  gboolean         done;
  guint            step_source;
  guint            hold_source;    /* input came: no step until it fires */
  guint            n_frames;
  gint64           started;
};

enum { SIGNAL_DONE, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FrKioskWarmup, fr_kiosk_warmup, G_TYPE_OBJECT)

static const char *
current_language (FrKioskWarmup *self)
{
  const char *const *langs = fr_kiosk_context_get_languages (self->context);

  return self->lang < g_strv_length ((char **) langs) ? langs[self->lang] : NULL;
}

static void
set_stage_language (FrKioskWarmup *self,
                    const char    *lang)
{
  if (self->lang_class != NULL && self->stage != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->stage), self->lang_class);
  g_clear_pointer (&self->lang_class, g_free);
  if (lang != NULL && self->stage != NULL)
    {
      self->lang_class = g_strconcat ("lang-", lang, NULL);
      gtk_widget_add_css_class (GTK_WIDGET (self->stage), self->lang_class);
    }
}

/* Takes the screen off the stage and lets it go (it is finalized with its children). */
static void
clear_shown (FrKioskWarmup *self)
{
  GtkWidget *shown = g_steal_pointer (&self->shown);

  if (shown != NULL && self->stage != NULL && gtk_widget_get_parent (shown) == GTK_WIDGET (self->stage))
    gtk_stack_remove (self->stage, shown);
  g_clear_object (&self->session);
  self->scroll_frames = 0;
  self->waiting_paint = FALSE;
}

/* Empties the stage; the screen that was on it is built and drawn again next time. */
static void
rewind_stage (FrKioskWarmup *self)
{
  if (self->shown != NULL)
    {
      self->phase = self->shown_phase;
      self->index = self->shown_index;
    }
  clear_shown (self);
}

static void
show (FrKioskWarmup *self,
      GtkWidget     *screen)
{
  self->shown_phase = self->phase;
  self->shown_index = self->index;
  self->shown = screen;
  gtk_stack_add_child (self->stage, screen);
  gtk_stack_set_visible_child (self->stage, screen);
}

static void
next_phase (FrKioskWarmup *self,
            Phase          phase)
{
  self->phase = phase;
  self->index = 0;
}

/* Builds and shows the next screen in the current language; FALSE when the language has
 * no screen left. Called with gettext answering in that language. */
static gboolean
show_next (FrKioskWarmup *self,
           const char    *lang)
{
  const FrContent *content = fr_kiosk_context_get_content (self->context);

  for (;;)
    switch (self->phase)
      {
      case PHASE_HOME:
        show (self, fr_kiosk_home_new (self->context, lang));
        next_phase (self, PHASE_TOPIC);
        return TRUE;

      case PHASE_TOPIC:
        {
          const FrTopic *const *topics = fr_content_get_topics (content, lang);

          if (topics != NULL && topics[self->index] != NULL)
            {
              show (self, fr_kiosk_topic_new (self->context, lang, topics[self->index]));
              self->index++;
              return TRUE;
            }
          next_phase (self, PHASE_TILE);
        }
        break;

      case PHASE_TILE:
        if (self->index < G_N_ELEMENTS (tiles))
          {
            show (self, fr_kiosk_topic_new_for_tile (self->context, lang, tiles[self->index]));
            self->index++;
            return TRUE;
          }
        next_phase (self, PHASE_RECEIPT);
        break;

      case PHASE_RECEIPT:
        if (self->index < G_N_ELEMENTS (receipts))
          {
            show (self, fr_kiosk_receipt_new (self->context, lang, receipts[self->index]));
            self->index++;
            return TRUE;
          }
        next_phase (self, PHASE_WIZARD);
        break;

      case PHASE_WIZARD:
        if (self->shown == NULL)
          {
            /* The wizard is built once a language; its steps are shown one by one. */
            self->session = fr_kiosk_session_new ();
            fr_kiosk_session_set_language (self->session, lang);
            show (self, fr_kiosk_wizard_new (self->context, self->session));
          }
        if (self->index < fr_kiosk_wizard_get_n_steps (FR_KIOSK_WIZARD (self->shown)))
          {
            self->shown_index = self->index;
            fr_kiosk_wizard_show_step_at (FR_KIOSK_WIZARD (self->shown), self->index);
            self->index++;
            return TRUE;
          }
        clear_shown (self);
        return FALSE;

      default:
        g_assert_not_reached ();
      }
}

static void
collect_scrollers (GtkWidget *widget,
                   GPtrArray *scrollers)
{
  if (!gtk_widget_get_child_visible (widget) || !gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_SCROLLED_WINDOW (widget))
    g_ptr_array_add (scrollers, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_scrollers (child, scrollers);
}

/* Scrolls every scrolled part of the screen on by a page; FALSE if all were at the end. */
static gboolean
scroll_on (FrKioskWarmup *self)
{
  g_autoptr(GPtrArray) scrollers = g_ptr_array_new ();
  gboolean moved = FALSE;

  if (self->scroll_frames >= MAX_SCROLL_FRAMES)
    return FALSE;
  collect_scrollers (self->shown, scrollers);
  for (guint i = 0; i < scrollers->len; i++)
    {
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (scrollers->pdata[i]);
      double value = gtk_adjustment_get_value (adj);
      double page = gtk_adjustment_get_page_size (adj);
      double upper = gtk_adjustment_get_upper (adj);

      if (page > 0 && value + page < upper - 1)
        {
          gtk_adjustment_set_value (adj, MIN (value + page, upper - page));
          moved = TRUE;
        }
    }
  if (moved)
    self->scroll_frames++;
  return moved;
}

static void wait_for_paint (FrKioskWarmup *self);
static void schedule (FrKioskWarmup *self);
static void disconnect_input (FrKioskWarmup *self);

static void
set_stage_large_text (FrKioskWarmup *self,
                      gboolean       large_text)
{
  self->large_text = large_text;
  if (self->stage == NULL)
    return;
  if (large_text)
    gtk_widget_add_css_class (GTK_WIDGET (self->stage), "large-text");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->stage), "large-text");
}

static void
finish (FrKioskWarmup *self)
{
  set_stage_language (self, NULL);
  set_stage_large_text (self, FALSE);
  disconnect_input (self);
  self->done = TRUE;
  g_message ("warm-up done: %u languages in both text sizes, %u frames, %.1f s", self->lang, self->n_frames,
             (double) (g_get_monotonic_time () - self->started) / G_USEC_PER_SEC);
  g_signal_emit (self, signals[SIGNAL_DONE], 0);
}

static gboolean
step (gpointer data)
{
  FrKioskWarmup *self = data;
  const char *lang;
  gboolean shown;

  self->step_source = 0;
  if (!self->allowed || self->done || self->stage == NULL || self->clock == NULL)
    return G_SOURCE_REMOVE;

  /* The screen on the stage has been drawn: scroll it on, or go to the next one (the
   * wizard stays for its next step). */
  if (self->shown != NULL)
    {
      if (scroll_on (self))
        {
          wait_for_paint (self);
          return G_SOURCE_REMOVE;
        }
      if (!FR_IS_KIOSK_WIZARD (self->shown))
        clear_shown (self);
    }
  self->scroll_frames = 0;

  for (;;)
    {
      lang = current_language (self);
      if (lang == NULL && !self->large_text)
        {
          /* Every language again with the large-text toggle on: other sizes, other glyphs. */
          set_stage_large_text (self, TRUE);
          self->lang = 0;
          continue;
        }
      if (lang == NULL)
        {
          finish (self);
          return G_SOURCE_REMOVE;
        }
      if (self->lang_class == NULL || !g_str_equal (self->lang_class + strlen ("lang-"), lang))
        set_stage_language (self, lang);
      fr_kiosk_i18n_set_messages (lang);
      shown = show_next (self, lang);
      fr_kiosk_i18n_reset ();
      if (shown)
        break;
      self->lang++;
      next_phase (self, PHASE_HOME);
    }
  wait_for_paint (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (FrKioskWarmup *self)
{
  if (self->step_source == 0 && self->hold_source == 0 && !self->waiting_paint && self->painted_once
      && self->allowed && !self->done && self->clock != NULL)
    self->step_source = g_idle_add_full (G_PRIORITY_LOW, step, self, NULL);
}

static void
wait_for_paint (FrKioskWarmup *self)
{
  self->waiting_paint = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self->stage));
}

static void
on_after_paint (GdkFrameClock *clock,
                FrKioskWarmup *self)
{
  if (!self->painted_once)
    {
      self->painted_once = TRUE;
      schedule (self);
      return;
    }
  if (!self->waiting_paint)
    return;
  self->waiting_paint = FALSE;
  self->n_frames++;
  schedule (self);
}

static gboolean
on_input (GtkEventControllerLegacy *controller,
          GdkEvent                 *event,
          FrKioskWarmup            *self)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
    case GDK_KEY_PRESS:
    case GDK_SCROLL:
      fr_kiosk_warmup_hold (self);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
disconnect_input (FrKioskWarmup *self)
{
  if (self->root != NULL)
    {
      gtk_widget_remove_controller (self->root, self->input);
      g_object_remove_weak_pointer (G_OBJECT (self->root), (gpointer *) &self->root);
      self->root = NULL;
    }
  self->input = NULL;
}

/* A person first: on the window, before anything else sees the event (capture phase),
 * a press, a touch or a key stops the warm-up's drawing. */
static void
connect_input (FrKioskWarmup *self)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self->stage)));

  disconnect_input (self);
  if (root == NULL)
    return;
  self->input = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (self->input, GTK_PHASE_CAPTURE);
  g_signal_connect (self->input, "event", G_CALLBACK (on_input), self);
  gtk_widget_add_controller (root, self->input);
  self->root = root;
  g_object_add_weak_pointer (G_OBJECT (root), (gpointer *) &self->root);
}

static void
disconnect_clock (FrKioskWarmup *self)
{
  if (self->clock != NULL)
    {
      g_clear_signal_handler (&self->paint_handler, self->clock);
      g_object_remove_weak_pointer (G_OBJECT (self->clock), (gpointer *) &self->clock);
      self->clock = NULL;
    }
}

static void
on_stage_realize (GtkWidget     *stage,
                  FrKioskWarmup *self)
{
  disconnect_clock (self);
  self->clock = gtk_widget_get_frame_clock (stage);
  g_object_add_weak_pointer (G_OBJECT (self->clock), (gpointer *) &self->clock);
  self->paint_handler = g_signal_connect (self->clock, "after-paint", G_CALLBACK (on_after_paint), self);
  connect_input (self);
  schedule (self);
}

static void
on_stage_unrealize (GtkWidget     *stage,
                    FrKioskWarmup *self)
{
  disconnect_clock (self);
  disconnect_input (self);
  self->waiting_paint = FALSE;
}

/**
 * fr_kiosk_warmup_stop:
 *
 * Empties the stage and stops for good (the window calls it when it is disposed).
 */
void
fr_kiosk_warmup_stop (FrKioskWarmup *self)
{
  g_return_if_fail (FR_IS_KIOSK_WARMUP (self));

  self->allowed = FALSE;
  g_clear_handle_id (&self->step_source, g_source_remove);
  g_clear_handle_id (&self->hold_source, g_source_remove);
  clear_shown (self);
  set_stage_language (self, NULL);
  disconnect_clock (self);
  disconnect_input (self);
  if (self->stage != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->stage, self);
      g_object_remove_weak_pointer (G_OBJECT (self->stage), (gpointer *) &self->stage);
      self->stage = NULL;
    }
}

static void
fr_kiosk_warmup_dispose (GObject *object)
{
  FrKioskWarmup *self = FR_KIOSK_WARMUP (object);

  fr_kiosk_warmup_stop (self);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (fr_kiosk_warmup_parent_class)->dispose (object);
}

static void
fr_kiosk_warmup_class_init (FrKioskWarmupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fr_kiosk_warmup_dispose;

  /**
   * FrKioskWarmup::done:
   *
   * Every screen of every offered language has been drawn; the stage is empty.
   */
  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                       NULL, G_TYPE_NONE, 0);
}

static void
fr_kiosk_warmup_init (FrKioskWarmup *self)
{
}

/**
 * fr_kiosk_warmup_new:
 * @context: the kiosk
 * @stage: an empty stack under the (opaque) screens, styled like them
 *
 * Makes @stage inert (no input, no focus, hidden from assistive technology) and starts
 * once it is drawn and fr_kiosk_warmup_set_allowed() says so.
 */
FrKioskWarmup *
fr_kiosk_warmup_new (FrKioskContext *context,
                     GtkStack       *stage)
{
  FrKioskWarmup *self;

  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (context), NULL);
  g_return_val_if_fail (GTK_IS_STACK (stage), NULL);

  self = g_object_new (FR_TYPE_KIOSK_WARMUP, NULL);
  self->context = g_object_ref (context);
  self->stage = stage;
  g_object_add_weak_pointer (G_OBJECT (stage), (gpointer *) &self->stage);
  self->started = g_get_monotonic_time ();

  gtk_widget_set_can_target (GTK_WIDGET (stage), FALSE);
  gtk_widget_set_can_focus (GTK_WIDGET (stage), FALSE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (stage), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);

  g_signal_connect (stage, "realize", G_CALLBACK (on_stage_realize), self);
  g_signal_connect (stage, "unrealize", G_CALLBACK (on_stage_unrealize), self);
  if (gtk_widget_get_realized (GTK_WIDGET (stage)))
    {
      on_stage_realize (GTK_WIDGET (stage), self);
      gtk_widget_queue_draw (GTK_WIDGET (stage));   /* the "first" frame, for painted_once */
    }
  return self;
}

/**
 * fr_kiosk_warmup_set_allowed:
 * @allowed: %TRUE only while nobody uses the kiosk (welcome or cover, no session)
 *
 * Not allowed: the stage is emptied at once and the warm-up waits. Allowed again: it
 * goes on with the screen it was at.
 */
void
fr_kiosk_warmup_set_allowed (FrKioskWarmup *self,
                             gboolean       allowed)
{
  g_return_if_fail (FR_IS_KIOSK_WARMUP (self));

  if (self->done || self->stage == NULL)
    return;
  if (!allowed && self->allowed)
    {
      g_clear_handle_id (&self->step_source, g_source_remove);
      rewind_stage (self);
    }
  self->allowed = allowed;
  schedule (self);
}

static gboolean
hold_over (gpointer data)
{
  FrKioskWarmup *self = data;

  self->hold_source = 0;
  schedule (self);
  return G_SOURCE_REMOVE;
}

/**
 * fr_kiosk_warmup_hold:
 *
 * Input came (a press, a touch, a key): the stage is emptied at once, so the frame that
 * answers it draws nothing of the warm-up, and no step is taken until no input came for
 * a while. Called for every such event that reaches the window, before it is handled.
 */
void
fr_kiosk_warmup_hold (FrKioskWarmup *self)
{
  g_return_if_fail (FR_IS_KIOSK_WARMUP (self));

  if (self->done || self->stage == NULL)
    return;
  g_clear_handle_id (&self->step_source, g_source_remove);
  rewind_stage (self);
  g_clear_handle_id (&self->hold_source, g_source_remove);
  self->hold_source = g_timeout_add (HOLD_MS, hold_over, self);
}

gboolean
fr_kiosk_warmup_is_done (FrKioskWarmup *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WARMUP (self), FALSE);
  return self->done;
}

/* Frames drawn with a screen on the stage, scrolling included. */
guint
fr_kiosk_warmup_get_n_frames (FrKioskWarmup *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WARMUP (self), 0);
  return self->n_frames;
}

/**
 * fr_kiosk_warmup_get_step_name:
 *
 * Returns: (nullable): "LANG/home", "LANG/topic", "LANG/tile", "LANG/receipt" or
 * "LANG/wizard" for the screen on the stage ("large/LANG/…" in the large-text round),
 * %NULL when the stage is empty. For tests.
 */
const char *
fr_kiosk_warmup_get_step_name (FrKioskWarmup *self)
{
  static const char * const names[] = { "home", "topic", "tile", "receipt", "wizard" };
  static char name[64];

  g_return_val_if_fail (FR_IS_KIOSK_WARMUP (self), NULL);

  if (self->shown == NULL || current_language (self) == NULL)
    return NULL;
  g_snprintf (name, sizeof name, "%s%s/%s", self->large_text ? "large/" : "", current_language (self),
              names[self->shown_phase]);
  return name;
}
