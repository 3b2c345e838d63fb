/* fr-kiosk-window.c — the kiosk's one window: the top bar, the screens, the safety rules */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#ifdef HAVE_MALLOC_TRIM
# include <malloc.h>
#endif

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-cover.h"
#include "fr-kiosk-home.h"
#include "fr-kiosk-i18n.h"
#include "fr-kiosk-listen.h"
#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-maintenance.h"
#include "fr-kiosk-pin.h"
#include "fr-kiosk-receipt.h"
#include "fr-kiosk-topic.h"
#include "fr-kiosk-warmup.h"
#include "fr-kiosk-welcome.h"
#include "fr-kiosk-window.h"
#include "fr-kiosk-wizard.h"
#include "fr-kiosk-resources.h"

#define IDLE_TICK_MS   250
#define CORNER_SIZE    120    /* px from a top corner where a long press unlocks */

struct _FrKioskWindow
{
  AdwWindow        parent_instance;

  FrKioskContext  *context;
  FrKioskSession  *session;        /* NULL between sessions */
  GtkWidget       *page;           /* the session screen shown, or NULL */
  const char      *page_name;
  gboolean         windowed;
  gboolean         large_text;
  gboolean         high_contrast;
  char            *lang_class;

  gint64           escape_times[FR_KIOSK_ESCAPE_PRESSES];
  guint            n_escapes;

  guint            idle_timeout_ms;
  gint64           last_activity;  /* monotonic µs */
  guint            idle_source;
  guint            trim_source;

  GtkWidget       *root;
  GtkWidget       *topbar;
  GtkWidget       *home_button;
  GtkLabel        *home_label;
  GtkWidget       *listen_button;
  GtkLabel        *listen_label;
  GtkLabel        *mode_label;
  GtkWidget       *large_text_button;
  GtkLabel        *large_text_symbol;
  GtkLabel        *large_text_label;
  GtkWidget       *contrast_button;
  GtkLabel        *contrast_label;
  GtkWidget       *exit_button;
  GtkLabel        *exit_label;
  GtkRevealer     *countdown_revealer;
  GtkLabel        *countdown_label;
  GtkStack        *screens;
  GtkStack        *warm_stage;
  FrKioskWarmup   *warmup;         /* NULL unless fr_kiosk_window_warm_up() was called */
  GtkWidget       *cover;
  GtkWidget       *welcome;

  FrKioskListen   *listen;         /* read-aloud */
  gboolean         welcome_listening;  /* Listen on the welcome screen: a touch speaks first */
  char            *welcome_spoken;     /* the language just spoken there */
};

G_DEFINE_FINAL_TYPE (FrKioskWindow, fr_kiosk_window, ADW_TYPE_WINDOW)

/* Listen is there only where there is a voice: in a session, its language's; before
 * one (the welcome screen's listen mode), any offered language's. */
static void
update_listen (FrKioskWindow *self)
{
  const char *lang = self->session != NULL ? fr_kiosk_session_get_language (self->session) : NULL;
  gboolean voice = self->listen != NULL
                   && (lang != NULL ? fr_kiosk_listen_has_voice (self->listen, lang)
                                    : fr_kiosk_listen_any_voice (self->listen));

  gtk_widget_set_visible (self->listen_button, voice);
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
stop_listening (FrKioskWindow *self)
{
  if (self->listen != NULL)
    fr_kiosk_listen_stop (self->listen);
}

/* The top bar speaks the session's language. */
static void
update_topbar (FrKioskWindow *self)
{
  /* Translators: top bar: back to the home screen (also how to change language) */
  gtk_label_set_text (self->home_label, _("Home"));
  fr_kiosk_a11y_set_name (self->home_button, _("Home"));
  /* Translators: top bar: read the screen aloud */
  gtk_label_set_text (self->listen_label, _("Listen"));
  fr_kiosk_a11y_set_name (self->listen_button, _("Listen"));
  update_listen (self);
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

/* The countdown bar takes no room unless it is counting down: a hidden GtkRevealer in
 * GTK 4.8 still reserved its child's height above every screen. */
static void
show_countdown (FrKioskWindow *self,
                gboolean       show)
{
  gtk_widget_set_visible (GTK_WIDGET (self->countdown_revealer), show);
  gtk_revealer_set_reveal_child (self->countdown_revealer, show);
}

/* Any use restarts the idle time. Only a press dismisses the countdown (idle_tick() takes
 * it away for the rest): a pointer that moves before it taps must not uncover what the
 * tap then lands on. */
static void
note_activity (FrKioskWindow *self)
{
  self->last_activity = g_get_monotonic_time ();
}

static void
dismiss_countdown (FrKioskWindow *self)
{
  note_activity (self);
  show_countdown (self, FALSE);
}

/* Whether a press at the event's position lands on Exit: Exit works in one touch, even
 * while the countdown is up. */
static gboolean
event_on_exit (FrKioskWindow *self,
               GdkEvent      *event)
{
  double x, y, dx, dy;
  GtkWidget *target;

  if (!gdk_event_get_position (event, &x, &y))
    return FALSE;
  gtk_native_get_surface_transform (GTK_NATIVE (self), &dx, &dy);
  target = gtk_widget_pick (GTK_WIDGET (self), x - dx, y - dy, GTK_PICK_DEFAULT);
  return target != NULL && (target == self->exit_button || gtk_widget_is_ancestor (target, self->exit_button));
}

static gboolean
on_any_event (GtkEventControllerLegacy *controller,
              GdkEvent                 *event,
              FrKioskWindow            *self)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
      /* The tap that dismisses the countdown does only that: it does not also press
       * what is under the bar or under the finger (Skip moved the form on). */
      if (gtk_revealer_get_reveal_child (self->countdown_revealer))
        {
          dismiss_countdown (self);
          if (!event_on_exit (self, event))
            return GDK_EVENT_STOP;
        }
      note_activity (self);
      break;
    case GDK_KEY_PRESS:
      if (gtk_revealer_get_reveal_child (self->countdown_revealer))
        dismiss_countdown (self);
      note_activity (self);
      break;
    case GDK_TOUCH_UPDATE:
    case GDK_SCROLL:
    case GDK_MOTION_NOTIFY:
      note_activity (self);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

/* Removes the session screen, emptying its text widgets first. */
static void
drop_page (FrKioskWindow *self)
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

/* The warm-up draws only while nobody uses the kiosk: welcome or cover, no session. */
static void
update_warm_up (FrKioskWindow *self)
{
  GtkWidget *visible;

  if (self->warmup == NULL)
    return;
  visible = gtk_stack_get_visible_child (self->screens);
  fr_kiosk_warmup_set_allowed (self->warmup,
                               (visible == self->cover || visible == self->welcome)
                               && (self->session == NULL || fr_kiosk_session_get_language (self->session) == NULL));
}

static void
show_static (FrKioskWindow *self,
             GtkWidget     *screen)
{
  stop_listening (self);
  gtk_stack_set_visible_child (self->screens, screen);
  drop_page (self);
  update_warm_up (self);
}

static void
show_page (FrKioskWindow *self,
           const char    *name,
           GtkWidget     *page)
{
  GtkWidget *old = g_steal_pointer (&self->page);

  stop_listening (self);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  fr_kiosk_a11y_ensure_names (page);
  gtk_stack_add_named (self->screens, page, NULL);
  gtk_stack_set_visible_child (self->screens, page);
  self->page = page;
  self->page_name = name;
  update_warm_up (self);
  if (old != NULL)
    {
      if (FR_IS_KIOSK_WIZARD (old))
        fr_kiosk_wizard_wipe (FR_KIOSK_WIZARD (old));
      fr_kiosk_wipe_text_widgets (old);
      gtk_stack_remove (self->screens, old);
    }
}

static void
set_lang_class (FrKioskWindow *self,
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

static void
set_large_text (FrKioskWindow *self,
                gboolean       on)
{
  self->large_text = on;
  if (on)
    gtk_widget_add_css_class (GTK_WIDGET (self), "large-text");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "large-text");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->large_text_button), on);
}

static void
set_high_contrast (FrKioskWindow *self,
                   gboolean       on)
{
  self->high_contrast = on;
  if (on)
    gtk_widget_add_css_class (GTK_WIDGET (self), "high-contrast");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "high-contrast");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->contrast_button), on);
}

/* After a reset, once the cover has been drawn: the heap the session used (its screens,
 * text layouts, answers) goes back to the system instead of staying in malloc's free
 * lists, so a kiosk that has served a thousand people is the size of one that served
 * one. A few milliseconds, never on the quick-exit path. */
static gboolean
trim_memory (gpointer data)
{
  FrKioskWindow *self = data;

  self->trim_source = 0;
#ifdef HAVE_MALLOC_TRIM
  malloc_trim (0);
#endif
  return G_SOURCE_REMOVE;
}

static void
schedule_trim (FrKioskWindow *self)
{
  if (self->trim_source == 0)
    self->trim_source = g_timeout_add_full (G_PRIORITY_LOW, 300, trim_memory, self, NULL);
}

/**
 * fr_kiosk_window_reset:
 *
 * Quick exit: shows the cover at once, then wipes and frees everything of the session —
 * its screen and text widgets, its answers, its language and display settings.
 */
void
fr_kiosk_window_reset (FrKioskWindow *self)
{
  g_return_if_fail (FR_IS_KIOSK_WINDOW (self));

  gtk_stack_set_visible_child (self->screens, self->cover);
  /* Silence first: the queue is dropped and the pipeline goes to NULL off this thread. */
  stop_listening (self);
  self->welcome_listening = FALSE;
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  drop_page (self);
  if (self->session != NULL)
    fr_kiosk_session_clear_answers (self->session);
  g_clear_object (&self->session);

  fr_kiosk_i18n_reset ();
  set_lang_class (self, NULL);
  set_large_text (self, FALSE);
  set_high_contrast (self, FALSE);
  show_countdown (self, FALSE);
  self->n_escapes = 0;
  update_topbar (self);
  note_activity (self);
  schedule_trim (self);
  update_warm_up (self);
  g_message ("session reset");
}

static void
quick_exit_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  fr_kiosk_window_reset (FR_KIOSK_WINDOW (widget));
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);

  show_static (self, self->welcome);
}

static void
show_home (FrKioskWindow *self)
{
  const char *lang = fr_kiosk_session_get_language (self->session);

  show_page (self, "home", fr_kiosk_home_new (self->context, lang));
}

static void
home_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);

  if (self->session == NULL || fr_kiosk_session_get_language (self->session) == NULL)
    {
      show_static (self, self->welcome);
      return;
    }
  /* Home in the middle of the message asks first; pressed again, or "Leave and delete"
   * while it asks, it leaves. */
  if (self->page != NULL && FR_IS_KIOSK_WIZARD (self->page)
      && !fr_kiosk_wizard_is_asking_leave (FR_KIOSK_WIZARD (self->page))
      && fr_kiosk_wizard_has_progress (FR_KIOSK_WIZARD (self->page)))
    {
      fr_kiosk_wizard_ask_leave (FR_KIOSK_WIZARD (self->page));
      return;
    }
  fr_kiosk_session_clear_answers (self->session);
  show_home (self);
}

static void
language_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);
  const FrContent *content = fr_kiosk_context_get_content (self->context);
  const char *lang = g_variant_get_string (parameter, NULL);

  if (!g_strv_contains (fr_kiosk_context_get_languages (self->context), lang))
    return;
  /* Listen mode: the first touch on a language says its name and greeting; touching
   * it again chooses it. Without Listen a touch chooses at once. */
  if (self->welcome_listening && g_strcmp0 (self->welcome_spoken, lang) != 0
      && fr_kiosk_listen_language (self->listen, lang))
    {
      g_free (self->welcome_spoken);
      self->welcome_spoken = g_strdup (lang);
      return;
    }
  stop_listening (self);
  self->welcome_listening = FALSE;
  if (self->session == NULL)
    self->session = fr_kiosk_session_new ();
  fr_kiosk_session_set_language (self->session, lang);
  fr_kiosk_i18n_set_language (lang, fr_content_get_language_direction (content, lang) == FR_TEXT_DIRECTION_RTL);
  set_lang_class (self, lang);
  update_topbar (self);
  /* Not even the language: a log line must not tell who used the kiosk when. */
  g_message ("session started (channel %s)", fr_kiosk_session_get_channel (self->session));
  show_home (self);
}

static void
change_language_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);

  if (self->session != NULL)
    fr_kiosk_session_clear_answers (self->session);
  show_static (self, self->welcome);
}

static void
topic_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);
  const char *lang;
  const FrTopic *topic;

  if (self->session == NULL || (lang = fr_kiosk_session_get_language (self->session)) == NULL)
    return;
  topic = fr_content_get_topic (fr_kiosk_context_get_content (self->context), lang, g_variant_get_string (parameter, NULL));
  if (topic != NULL)
    show_page (self, "topic", fr_kiosk_topic_new (self->context, lang, topic));
}

static void
contacts_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);
  const char *tile = g_variant_get_string (parameter, NULL);
  const char *lang;

  if (self->session == NULL || (lang = fr_kiosk_session_get_language (self->session)) == NULL)
    return;
  if (!g_str_equal (tile, "help-now") && !g_str_equal (tile, "talk"))
    return;
  show_page (self, "topic", fr_kiosk_topic_new_for_tile (self->context, lang, tile));
}

static void
on_wizard_sent (FrKioskWizard *wizard,
                const char    *receipt,
                FrKioskWindow *self)
{
  const char *lang = fr_kiosk_session_get_language (self->session);

  g_message ("record sent from a %s session", fr_kiosk_session_get_channel (self->session));
  show_page (self, "receipt", fr_kiosk_receipt_new (self->context, lang, receipt));
}

static void
on_wizard_declined (FrKioskWizard *wizard,
                    FrKioskWindow *self)
{
  g_message ("consent declined: nothing sent");
  show_home (self);
}

static void
wizard_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);
  GtkWidget *wizard;

  if (self->session == NULL || fr_kiosk_session_get_language (self->session) == NULL)
    return;
  fr_kiosk_session_clear_answers (self->session);
  wizard = fr_kiosk_wizard_new (self->context, self->session);
  g_signal_connect_object (wizard, "sent", G_CALLBACK (on_wizard_sent), self, 0);
  g_signal_connect_object (wizard, "declined", G_CALLBACK (on_wizard_declined), self, 0);
  show_page (self, "wizard", wizard);
}

static void
on_pin_assisted (FrKioskPin    *pin,
                 FrKioskWindow *self)
{
  g_autoptr(FrKioskSession) session = fr_kiosk_session_new ();

  if (!fr_kiosk_pin_apply (pin, session))
    return;
  g_clear_object (&self->session);
  self->session = g_steal_pointer (&session);
  g_message ("assisted session prepared (channel %s)", fr_kiosk_session_get_channel (self->session));
  update_topbar (self);
  show_static (self, self->welcome);
}

static void
on_pin_maintenance (FrKioskPin    *pin,
                    FrKioskWindow *self)
{
  show_page (self, "maintenance", fr_kiosk_maintenance_new (self->context));
}

static void
unlock_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);
  const char *mode = g_variant_get_string (parameter, NULL);
  GtkWidget *visible = gtk_stack_get_visible_child (self->screens);
  GtkWidget *pin;

  /* Only from the neutral screens, never in the middle of someone's session. */
  if (visible != self->cover && visible != self->welcome)
    return;
  if (self->session != NULL && fr_kiosk_session_get_language (self->session) != NULL)
    return;
  pin = fr_kiosk_pin_new (self->context, g_str_equal (mode, "maintenance") ? FR_KIOSK_PIN_MAINTENANCE : FR_KIOSK_PIN_ASSISTED);
  g_signal_connect_object (pin, "assisted", G_CALLBACK (on_pin_assisted), self, 0);
  g_signal_connect_object (pin, "maintenance", G_CALLBACK (on_pin_maintenance), self, 0);
  show_page (self, "pin", pin);
}

static void
large_text_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);

  set_large_text (self, !self->large_text);
}

static void
high_contrast_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);

  set_high_contrast (self, !self->high_contrast);
}

static void
listen_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);
  const char *lang = self->session != NULL ? fr_kiosk_session_get_language (self->session) : NULL;

  if (self->listen == NULL)
    return;
  /* Pressed while reading: stop. */
  if (fr_kiosk_listen_is_playing (self->listen))
    {
      fr_kiosk_listen_stop (self->listen);
      return;
    }
  if (lang == NULL)
    {
      /* Before a session: the welcome screen's listen mode, on and off. */
      self->welcome_listening = !self->welcome_listening;
      update_listen (self);
      return;
    }
  if (self->page != NULL)
    fr_kiosk_listen_screen (self->listen, self->page, lang);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                FrKioskWindow         *self)
{
  gint64 now;

  if (keyval != GDK_KEY_Escape)
    return GDK_EVENT_PROPAGATE;
  now = g_get_monotonic_time ();
  /* Keep the times of the last presses; three within the window is a quick exit. */
  if (self->n_escapes == FR_KIOSK_ESCAPE_PRESSES)
    {
      memmove (self->escape_times, self->escape_times + 1, sizeof (gint64) * (FR_KIOSK_ESCAPE_PRESSES - 1));
      self->n_escapes--;
    }
  self->escape_times[self->n_escapes++] = now;
  if (self->n_escapes == FR_KIOSK_ESCAPE_PRESSES
      && now - self->escape_times[0] <= (gint64) FR_KIOSK_ESCAPE_WINDOW_MS * 1000)
    {
      fr_kiosk_window_reset (self);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
on_corner_long_press (GtkGestureLongPress *gesture,
                      double               x,
                      double               y,
                      FrKioskWindow       *self)
{
  GtkWidget *visible = gtk_stack_get_visible_child (self->screens);
  int width = gtk_widget_get_width (GTK_WIDGET (self->screens));
  gboolean right;

  if ((visible != self->cover && visible != self->welcome) || y > CORNER_SIZE)
    return;
  if (x > CORNER_SIZE && x < width - CORNER_SIZE)
    return;
  right = x >= width - CORNER_SIZE;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_activate_action (GTK_WIDGET (self), "kiosk.unlock", "s", right ? "assisted" : "maintenance");
}

static gboolean
idle_tick (gpointer user_data)
{
  FrKioskWindow *self = user_data;
  GtkWidget *visible = gtk_stack_get_visible_child (self->screens);
  gint64 idle_ms, left_ms, warning_ms;

  /* Nothing to clear on the cover, or on the welcome screen before anyone started
   * anything: no countdown there, so a person walking up is never met by one that eats
   * their first tap. */
  if (visible == self->cover
      || (visible == self->welcome && self->session == NULL && !self->large_text && !self->high_contrast))
    {
      show_countdown (self, FALSE);
      return G_SOURCE_CONTINUE;
    }
  idle_ms = (g_get_monotonic_time () - self->last_activity) / 1000;
  left_ms = (gint64) self->idle_timeout_ms - idle_ms;
  warning_ms = MIN (FR_KIOSK_IDLE_WARNING_MS, self->idle_timeout_ms / 2);
  if (left_ms <= 0)
    {
      g_message ("idle timeout");
      fr_kiosk_window_reset (self);
    }
  else if (left_ms <= warning_ms)
    {
      g_autofree char *text = NULL;
      guint seconds = (guint) ((left_ms + 999) / 1000);

      /* Translators: shown for the last seconds before an unused screen is cleared */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Still there? Touch the screen. It clears in %u second.",
                                           "Still there? Touch the screen. It clears in %u seconds.", seconds),
                              seconds);
      gtk_label_set_text (self->countdown_label, text);
      show_countdown (self, TRUE);
    }
  else if (gtk_revealer_get_reveal_child (self->countdown_revealer))
    show_countdown (self, FALSE);
  return G_SOURCE_CONTINUE;
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
  if (self->warmup != NULL)
    fr_kiosk_warmup_stop (self->warmup);
  g_clear_object (&self->warmup);
  if (self->screens != NULL)
    drop_page (self);
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

  gtk_widget_class_install_action (widget_class, "kiosk.quick-exit", NULL, quick_exit_action);
  gtk_widget_class_install_action (widget_class, "kiosk.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "kiosk.home", NULL, home_action);
  gtk_widget_class_install_action (widget_class, "kiosk.language", "s", language_action);
  gtk_widget_class_install_action (widget_class, "kiosk.change-language", NULL, change_language_action);
  gtk_widget_class_install_action (widget_class, "kiosk.topic", "s", topic_action);
  gtk_widget_class_install_action (widget_class, "kiosk.contacts", "s", contacts_action);
  gtk_widget_class_install_action (widget_class, "kiosk.wizard", NULL, wizard_action);
  gtk_widget_class_install_action (widget_class, "kiosk.unlock", "s", unlock_action);
  gtk_widget_class_install_action (widget_class, "kiosk.large-text", NULL, large_text_action);
  gtk_widget_class_install_action (widget_class, "kiosk.high-contrast", NULL, high_contrast_action);
  gtk_widget_class_install_action (widget_class, "kiosk.listen", NULL, listen_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_ALT_MASK,
                                       "kiosk.unlock", "s", "assisted");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK | GDK_ALT_MASK,
                                       "kiosk.unlock", "s", "maintenance");
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
  fr_kiosk_lockdown_label (self->exit_label);
  fr_kiosk_lockdown_label (self->large_text_symbol);
  fr_kiosk_lockdown_label (self->large_text_label);
  fr_kiosk_lockdown_label (self->contrast_label);
  fr_kiosk_lockdown_label (self->mode_label);
  fr_kiosk_lockdown_label (self->countdown_label);

  legacy = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (legacy, GTK_PHASE_CAPTURE);
  g_signal_connect (legacy, "event", G_CALLBACK (on_any_event), self);
  gtk_widget_add_controller (GTK_WIDGET (self), legacy);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  long_press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), FALSE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (long_press), GTK_PHASE_CAPTURE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (on_corner_long_press), self);
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
  update_topbar (self);
  fr_kiosk_a11y_ensure_names (GTK_WIDGET (self));

  self->idle_timeout_ms = fr_kiosk_context_get_site (context)->idle_timeout * 1000;
  note_activity (self);
  self->idle_source = g_timeout_add (IDLE_TICK_MS, idle_tick, self);
  if (g_getenv ("FRISTAD_KIOSK_BENCH") != NULL)
    g_signal_connect (self, "realize", G_CALLBACK (bench_on_realize), NULL);
  return self;
}

static void
on_warm_up_done (FrKioskWarmup *warmup,
                 FrKioskWindow *self)
{
  /* What building and drawing every screen left in malloc's free lists goes back too. */
  schedule_trim (self);
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
  update_warm_up (self);
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
  note_activity (self);
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
