/* fr-kiosk-window.c — the kiosk's one window: the top bar, the screens, the safety rules
 *
 * This file builds the window and switches its screens; fr-kiosk-window-actions.c has
 * what its buttons and screens ask for (kiosk.* actions), fr-kiosk-window-exit.c the way
 * out: quick exit, Escape three times, the idle countdown, and giving memory back.
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-cover.h"
#include "fr-kiosk-i18n.h"
#include "fr-kiosk-keyboard.h"
#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-welcome.h"
#include "fr-kiosk-window-private.h"
#include "fr-kiosk-wizard.h"
#include "fr-kiosk-resources.h"

#define IDLE_TICK_MS   250
#define NOTICE_SECONDS 12   /* the headphones notice stays this long */

G_DEFINE_FINAL_TYPE (FrKioskWindow, fr_kiosk_window, ADW_TYPE_WINDOW)

/* Listen is there only where there is a voice: in a session, its language's; before
 * one (the welcome screen's listen mode), any offered language's. */
void
_fr_kiosk_window_update_listen (FrKioskWindow *self)
{
  const char *lang = self->session != NULL ? fr_kiosk_session_get_language (self->session) : NULL;
  gboolean voice = self->listen != NULL
                   && (lang != NULL ? fr_kiosk_listen_has_voice (self->listen, lang)
                                    : fr_kiosk_listen_any_voice (self->listen));

  gtk_widget_set_visible (self->listen_button, voice);
  /* Read every screen: in a session whose language has a voice. */
  gtk_widget_set_visible (self->read_all_button, voice && lang != NULL);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->read_all_button),
                                voice && lang != NULL && fr_kiosk_listen_get_read_all (self->listen));
  if (lang != NULL || !voice)
    self->welcome_listening = FALSE;
  if (self->welcome_listening)
    gtk_widget_add_css_class (self->listen_button, "fr-listening");
  else
    gtk_widget_remove_css_class (self->listen_button, "fr-listening");
  if (!self->welcome_listening)
    g_clear_pointer (&self->welcome_spoken, g_free);
}

static void
hide_notice (FrKioskWindow *self)
{
  g_clear_handle_id (&self->notice_source, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), FALSE);
}

void
_fr_kiosk_window_stop_listening (FrKioskWindow *self)
{
  hide_notice (self);
  if (self->listen != NULL)
    fr_kiosk_listen_stop (self->listen);
}

static gboolean
notice_timeout (gpointer data)
{
  FrKioskWindow *self = data;

  self->notice_source = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), FALSE);
  return G_SOURCE_REMOVE;
}

/* Headphones first, and none plugged in: how to ask for them, for a while. */
static void
on_needs_headphones (FrKioskListen *listen,
                     FrKioskWindow *self)
{
  /* Translators: shown (and said quietly once) when read-aloud needs headphones */
  gtk_label_set_text (self->notice_label, _("To listen, please use headphones. Plug them in, or ask a member of staff for a pair."));
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), TRUE);
  g_clear_handle_id (&self->notice_source, g_source_remove);
  self->notice_source = g_timeout_add_seconds (NOTICE_SECONDS, notice_timeout, self);
}

/* A screen (or a step of the form) opened: read it if the session reads every screen. */
void
_fr_kiosk_window_read_if_all (FrKioskWindow *self,
                              GtkWidget     *page)
{
  const char *lang = self->session != NULL ? fr_kiosk_session_get_language (self->session) : NULL;

  if (self->listen != NULL && page != NULL)
    fr_kiosk_listen_screen_opened (self->listen, page, lang);
}

/* The top bar speaks the session's language. */
void
_fr_kiosk_window_update_topbar (FrKioskWindow *self)
{
  /* Translators: top bar: back to the home screen (also how to change language) */
  gtk_label_set_text (self->home_label, _("Home"));
  fr_kiosk_a11y_set_name (self->home_button, _("Home"));
  /* Translators: top bar: read the screen aloud */
  gtk_label_set_text (self->listen_label, _("Listen"));
  fr_kiosk_a11y_set_name (self->listen_button, _("Listen"));
  _fr_kiosk_window_update_listen (self);
  /* Translators: top bar: a toggle, read every screen aloud as it opens (this visit) */
  gtk_label_set_text (self->read_all_label, _("Read every screen"));
  /* Translators: accessible name of the top bar's "Read every screen" toggle */
  fr_kiosk_a11y_set_name (self->read_all_button, _("Read every screen aloud"));
  /* Translators: top bar: quick exit, clears the screen at once */
  gtk_label_set_text (self->exit_label, _("Exit"));
  fr_kiosk_a11y_set_name (self->exit_button, _("Exit now and clear the screen"));
  /* Translators: top bar: toggles larger text */
  gtk_label_set_text (self->large_text_label, _("Larger text"));
  fr_kiosk_a11y_set_name (self->large_text_button, _("Larger text"));
  /* Translators: top bar: toggles high contrast */
  gtk_label_set_text (self->contrast_label, _("High contrast"));
  fr_kiosk_a11y_set_name (self->contrast_button, _("High contrast"));

  if (self->session != NULL && fr_kiosk_session_is_assisted (self->session))
    {
      const char *channel = fr_kiosk_session_get_channel (self->session);

      gtk_label_set_text (self->mode_label, g_str_equal (channel, FR_KIOSK_CHANNEL_HOTLINE)
                          /* Translators: top bar in assisted mode, channel hotline */
                          ? _("Volunteer · hotline")
                          /* Translators: top bar in assisted mode, channel assisted */
                          : _("Volunteer · assisted"));
      gtk_widget_set_visible (GTK_WIDGET (self->mode_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->mode_label), FALSE);
}

/* Removes the session screen, emptying its text widgets first. */
void
_fr_kiosk_window_drop_page (FrKioskWindow *self)
{
  GtkWidget *page = g_steal_pointer (&self->page);

  self->page_name = NULL;
  if (page == NULL)
    return;
  if (FR_IS_KIOSK_WIZARD (page))
    fr_kiosk_wizard_wipe (FR_KIOSK_WIZARD (page));
  fr_kiosk_wipe_text_widgets (page);
  gtk_stack_remove (self->screens, page);
}

static gboolean
remove_dropped (gpointer data)
{
  FrKioskWindow *self = data;

  self->dropped_source = 0;
  while (self->dropped != NULL && self->dropped->len > 0)
    {
      GtkWidget *page = g_ptr_array_steal_index (self->dropped, self->dropped->len - 1);

      if (gtk_widget_get_parent (page) == GTK_WIDGET (self->screens))
        gtk_stack_remove (self->screens, page);
      g_object_unref (page);
    }
  return G_SOURCE_REMOVE;
}

static void
on_dropped_painted (GdkFrameClock *clock,
                    FrKioskWindow *self)
{
  g_clear_signal_handler (&self->dropped_paint, clock);
  if (self->dropped_source == 0)
    self->dropped_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, remove_dropped, self, NULL);
}

/* The quick exit's way (KIOSK.md, "Speed"): the session screen is emptied at once (its
 * text widgets, the wizard's answers) and hidden, so the cover's frame neither lays it out
 * nor draws it; it is removed right after that frame is painted. Removing it — unrealizing
 * and finalizing a wizard's few hundred widgets — was most of the exit's own time. */
void
_fr_kiosk_window_drop_page_after_paint (FrKioskWindow *self)
{
  GtkWidget *page = g_steal_pointer (&self->page);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  self->page_name = NULL;
  if (page == NULL)
    return;
  if (FR_IS_KIOSK_WIZARD (page))
    {
      GtkWidget *keyboard = fr_kiosk_wizard_get_keyboard (FR_KIOSK_WIZARD (page));

      fr_kiosk_wizard_wipe (FR_KIOSK_WIZARD (page));
      /* Types into nothing any more, as when the wizard was finalized at once. */
      if (keyboard != NULL)
        fr_kiosk_keyboard_set_target (FR_KIOSK_KEYBOARD (keyboard), NULL);
    }
  fr_kiosk_wipe_text_widgets (page);
  if (clock == NULL)
    {
      gtk_stack_remove (self->screens, page);
      return;
    }
  gtk_widget_set_visible (page, FALSE);
  if (self->dropped == NULL)
    self->dropped = g_ptr_array_new ();
  g_ptr_array_add (self->dropped, g_object_ref (page));
  if (self->dropped_paint == 0)
    self->dropped_paint = g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_dropped_painted), self, 0);
}

/* The warm-up draws only while nobody uses the kiosk: welcome or cover, no session. */
void
_fr_kiosk_window_update_warm_up (FrKioskWindow *self)
{
  GtkWidget *visible;

  if (self->warmup == NULL)
    return;
  visible = gtk_stack_get_visible_child (self->screens);
  fr_kiosk_warmup_set_allowed (self->warmup,
                               (visible == self->cover || visible == self->welcome)
                               && (self->session == NULL || fr_kiosk_session_get_language (self->session) == NULL));
}

void
_fr_kiosk_window_show_static (FrKioskWindow *self,
                              GtkWidget     *screen)
{
  _fr_kiosk_window_stop_listening (self);
  gtk_stack_set_visible_child (self->screens, screen);
  _fr_kiosk_window_drop_page (self);
  _fr_kiosk_window_update_warm_up (self);
}

void
_fr_kiosk_window_show_page (FrKioskWindow *self,
                            const char    *name,
                            GtkWidget     *page)
{
  GtkWidget *old = g_steal_pointer (&self->page);

  _fr_kiosk_window_stop_listening (self);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  fr_kiosk_a11y_ensure_names (page);
  gtk_stack_add_named (self->screens, page, NULL);
  gtk_stack_set_visible_child (self->screens, page);
  self->page = page;
  self->page_name = name;
  _fr_kiosk_window_update_warm_up (self);
  if (old != NULL)
    {
      if (FR_IS_KIOSK_WIZARD (old))
        fr_kiosk_wizard_wipe (FR_KIOSK_WIZARD (old));
      fr_kiosk_wipe_text_widgets (old);
      gtk_stack_remove (self->screens, old);
    }
  _fr_kiosk_window_read_if_all (self, page);
}

void
_fr_kiosk_window_set_lang_class (FrKioskWindow *self,
                                 const char    *lang)
{
  if (self->lang_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self), self->lang_class);
  g_clear_pointer (&self->lang_class, g_free);
  if (lang != NULL)
    {
      self->lang_class = g_strconcat ("lang-", lang, NULL);
      gtk_widget_add_css_class (GTK_WIDGET (self), self->lang_class);
    }
}

void
_fr_kiosk_window_set_large_text (FrKioskWindow *self,
                                 gboolean       on)
{
  self->large_text = on;
  if (on)
    gtk_widget_add_css_class (GTK_WIDGET (self), "large-text");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "large-text");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->large_text_button), on);
}

void
_fr_kiosk_window_set_high_contrast (FrKioskWindow *self,
                                    gboolean       on)
{
  self->high_contrast = on;
  if (on)
    gtk_widget_add_css_class (GTK_WIDGET (self), "high-contrast");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "high-contrast");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->contrast_button), on);
}

static gboolean
fr_kiosk_window_close_request (GtkWindow *window)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (window);

  if (self->windowed)
    return GTK_WINDOW_CLASS (fr_kiosk_window_parent_class)->close_request (window);
  return TRUE;   /* a kiosk window cannot be closed */
}

/* The inspector key bindings (Ctrl+Shift+I / D) end here and do nothing. */
static gboolean
fr_kiosk_window_enable_debugging (GtkWindow *window,
                                  gboolean   toggle)
{
  return TRUE;
}

static void
fr_kiosk_window_dispose (GObject *object)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->trim_source, g_source_remove);
  g_clear_handle_id (&self->notice_source, g_source_remove);
  if (self->dropped_paint != 0 && gtk_widget_get_frame_clock (GTK_WIDGET (self)) != NULL)
    g_clear_signal_handler (&self->dropped_paint, gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  self->dropped_paint = 0;   /* else gone with this object (g_signal_connect_object) */
  g_clear_handle_id (&self->dropped_source, g_source_remove);
  if (self->screens != NULL)
    remove_dropped (self);
  g_clear_pointer (&self->dropped, g_ptr_array_unref);
  if (self->warmup != NULL)
    fr_kiosk_warmup_stop (self->warmup);
  g_clear_object (&self->warmup);
  if (self->screens != NULL)
    _fr_kiosk_window_drop_page (self);
  g_clear_object (&self->session);
  g_clear_object (&self->listen);
  g_clear_pointer (&self->welcome_spoken, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), FR_TYPE_KIOSK_WINDOW);
  self->screens = NULL;
  g_clear_object (&self->context);
  g_clear_pointer (&self->lang_class, g_free);
  G_OBJECT_CLASS (fr_kiosk_window_parent_class)->dispose (object);
}

static void
fr_kiosk_window_class_init (FrKioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = fr_kiosk_window_dispose;
  window_class->close_request = fr_kiosk_window_close_request;
  window_class->enable_debugging = fr_kiosk_window_enable_debugging;

  gtk_widget_class_set_template_from_resource (widget_class, "/se/fristad/kiosk/fr-kiosk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, root);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, topbar);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, home_button);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, home_label);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, listen_button);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, listen_label);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, read_all_button);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, read_all_label);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, notice_label);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, mode_label);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, large_text_button);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, large_text_symbol);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, large_text_label);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, contrast_button);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, contrast_label);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, exit_button);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, exit_label);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, countdown_revealer);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, screens);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWindow, warm_stage);

  _fr_kiosk_window_class_actions_init (widget_class);
}

static void
fr_kiosk_window_init (FrKioskWindow *self)
{
  GtkEventController *legacy;
  GtkEventController *keys;
  GtkGesture *long_press;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The screens, over the warm-up stage, size the window as they did alone. */
  gtk_overlay_set_measure_overlay (GTK_OVERLAY (gtk_widget_get_parent (GTK_WIDGET (self->screens))),
                                   GTK_WIDGET (self->screens), TRUE);
  /* Exit stays at the top right in every language (DESIGN.md): the bar's outer box is
   * left to right always; the part beside Exit follows the session and mirrors. */
  gtk_widget_set_direction (self->topbar, GTK_TEXT_DIR_LTR);
  /* "A+" is a symbol, not text: keep it left to right in right-to-left sessions too. */
  gtk_widget_set_direction (GTK_WIDGET (self->large_text_symbol), GTK_TEXT_DIR_LTR);
  fr_kiosk_lockdown_window (GTK_WINDOW (self));
  fr_kiosk_lockdown_label (self->home_label);
  fr_kiosk_lockdown_label (self->listen_label);
  fr_kiosk_lockdown_label (self->read_all_label);
  fr_kiosk_lockdown_label (self->notice_label);
  fr_kiosk_lockdown_label (self->exit_label);
  fr_kiosk_lockdown_label (self->large_text_symbol);
  fr_kiosk_lockdown_label (self->large_text_label);
  fr_kiosk_lockdown_label (self->contrast_label);
  fr_kiosk_lockdown_label (self->mode_label);
  fr_kiosk_lockdown_label (self->countdown_label);

  legacy = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (legacy, GTK_PHASE_CAPTURE);
  g_signal_connect (legacy, "event", G_CALLBACK (_fr_kiosk_window_on_any_event), self);
  gtk_widget_add_controller (GTK_WIDGET (self), legacy);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (_fr_kiosk_window_on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  long_press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), FALSE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (long_press), GTK_PHASE_CAPTURE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (_fr_kiosk_window_on_corner_long_press), self);
  gtk_widget_add_controller (GTK_WIDGET (self->screens), GTK_EVENT_CONTROLLER (long_press));
}

/* Benchmark hook (tests/bench/bench-kiosk): with FRISTAD_KIOSK_BENCH set in the
 * environment, the monotonic time (µs) at the end of the first painted frame is printed
 * once to stderr as "first-frame <µs>". Nothing else is printed, and nothing of a
 * session. */
static void
bench_after_paint (GdkFrameClock *clock,
                   gpointer       user_data)
{
  g_printerr ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_handlers_disconnect_by_func (clock, bench_after_paint, user_data);
}

static void
bench_on_realize (GtkWidget *widget,
                  gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint", G_CALLBACK (bench_after_paint), NULL);
}

/**
 * fr_kiosk_window_size_to_monitor:
 * @self: the kiosk window
 *
 * Sizes the window to the first monitor: without a window manager (bare Xvfb, cage)
 * a fullscreen request alone may not size it.
 */
void
fr_kiosk_window_size_to_monitor (FrKioskWindow *self)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle geometry;

  g_return_if_fail (FR_IS_KIOSK_WINDOW (self));

  if (monitor == NULL)
    return;
  gdk_monitor_get_geometry (monitor, &geometry);
  gtk_window_set_default_size (GTK_WINDOW (self), geometry.width, geometry.height);
}

/**
 * fr_kiosk_window_new:
 * @context: the kiosk
 * @windowed: development mode: the window may be closed
 */
FrKioskWindow *
fr_kiosk_window_new (FrKioskContext *context,
                     gboolean        windowed)
{
  FrKioskWindow *self;

  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (context), NULL);

  self = g_object_new (FR_TYPE_KIOSK_WINDOW, NULL);
  self->context = g_object_ref (context);
  self->windowed = windowed;
  gtk_window_set_deletable (GTK_WINDOW (self), windowed);
  gtk_window_set_decorated (GTK_WINDOW (self), windowed);

  fr_kiosk_i18n_reset ();
  self->cover = fr_kiosk_cover_new ();
  gtk_stack_add_named (self->screens, self->cover, "cover");
  self->welcome = fr_kiosk_welcome_new (context);
  gtk_stack_add_named (self->screens, self->welcome, "welcome");
  gtk_stack_set_visible_child (self->screens, self->welcome);
  self->listen = fr_kiosk_listen_new (context);
  g_signal_connect_object (self->listen, "needs-headphones", G_CALLBACK (on_needs_headphones), self, 0);
  _fr_kiosk_window_update_topbar (self);
  fr_kiosk_a11y_ensure_names (GTK_WIDGET (self));

  self->idle_timeout_ms = fr_kiosk_context_get_site (context)->idle_timeout * 1000;
  _fr_kiosk_window_note_activity (self);
  self->idle_source = g_timeout_add (IDLE_TICK_MS, _fr_kiosk_window_idle_tick, self);
  if (g_getenv ("FRISTAD_KIOSK_BENCH") != NULL)
    g_signal_connect (self, "realize", G_CALLBACK (bench_on_realize), NULL);
  return self;
}

static void
on_warm_up_done (FrKioskWarmup *warmup,
                 FrKioskWindow *self)
{
  /* What building and drawing every screen left in malloc's free lists goes back too. */
  _fr_kiosk_window_schedule_trim (self);
}

/**
 * fr_kiosk_window_warm_up:
 *
 * Draws every screen of every offered language once, out of sight, while nobody uses
 * the kiosk (fr-kiosk-warmup.c): fonts and glyphs are loaded at start, not in the first
 * session of each language. kiosk/main.c calls it; the tests that do not need it don't.
 */
void
fr_kiosk_window_warm_up (FrKioskWindow *self)
{
  g_return_if_fail (FR_IS_KIOSK_WINDOW (self));

  if (self->warmup != NULL)
    return;
  self->warmup = fr_kiosk_warmup_new (self->context, self->warm_stage);
  g_signal_connect_object (self->warmup, "done", G_CALLBACK (on_warm_up_done), self, 0);
  _fr_kiosk_window_update_warm_up (self);
}

/**
 * fr_kiosk_window_get_warmup:
 *
 * Returns: (nullable) (transfer none): the warm-up, if fr_kiosk_window_warm_up() was called
 */
FrKioskWarmup *
fr_kiosk_window_get_warmup (FrKioskWindow *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WINDOW (self), NULL);
  return self->warmup;
}

const char *
fr_kiosk_window_get_screen_name (FrKioskWindow *self)
{
  GtkWidget *visible;

  g_return_val_if_fail (FR_IS_KIOSK_WINDOW (self), NULL);

  visible = gtk_stack_get_visible_child (self->screens);
  if (visible == self->cover)
    return "cover";
  if (visible == self->welcome)
    return "welcome";
  if (visible == self->page)
    return self->page_name;
  return NULL;
}

GtkWidget *
fr_kiosk_window_get_screen (FrKioskWindow *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WINDOW (self), NULL);
  return gtk_stack_get_visible_child (self->screens);
}

FrKioskSession *
fr_kiosk_window_get_session (FrKioskWindow *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WINDOW (self), NULL);
  return self->session;
}

FrKioskContext *
fr_kiosk_window_get_context (FrKioskWindow *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WINDOW (self), NULL);
  return self->context;
}

gboolean
fr_kiosk_window_is_counting_down (FrKioskWindow *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WINDOW (self), FALSE);
  return gtk_revealer_get_reveal_child (self->countdown_revealer);
}

/* The quick-exit button (tests check where it is, in every language and frame). */
GtkWidget *
fr_kiosk_window_get_exit_button (FrKioskWindow *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WINDOW (self), NULL);
  return self->exit_button;
}

void
fr_kiosk_window_set_idle_timeout_ms (FrKioskWindow *self,
                                     guint          timeout_ms)
{
  g_return_if_fail (FR_IS_KIOSK_WINDOW (self));
  self->idle_timeout_ms = timeout_ms;
  _fr_kiosk_window_note_activity (self);
}

/**
 * fr_kiosk_ui_init:
 *
 * Call once after gtk_init() and adw_init(): the kiosk's resources and style sheet, a
 * fixed light colour scheme (the kiosk has its own high-contrast mode), and the
 * GtkSettings lock-down.
 */
void
fr_kiosk_ui_init (void)
{
  static gboolean done;
  g_autoptr(GtkCssProvider) css = NULL;

  if (done)
    return;
  done = TRUE;
  g_resources_register (fr_kiosk_get_resource ());
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/se/fristad/kiosk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  fr_kiosk_lockdown_settings ();
}

/* Read-aloud and its top-bar button (tests). */
FrKioskListen *
fr_kiosk_window_get_listen (FrKioskWindow *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WINDOW (self), NULL);
  return self->listen;
}

GtkWidget *
fr_kiosk_window_get_listen_button (FrKioskWindow *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WINDOW (self), NULL);
  return self->listen_button;
}

/* The headphones notice (tests). */
GtkWidget *
fr_kiosk_window_get_notice (FrKioskWindow *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WINDOW (self), NULL);
  return GTK_WIDGET (self->notice_label);
}

GtkWidget *
fr_kiosk_window_get_read_all_button (FrKioskWindow *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WINDOW (self), NULL);
  return self->read_all_button;
}
