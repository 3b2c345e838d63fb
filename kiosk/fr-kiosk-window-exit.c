/* fr-kiosk-window-exit.c — the way out of a session
 *
 * Quick exit (the top bar's Exit, kiosk.quick-exit), Escape pressed three times within
 * two seconds, and the idle timeout with its countdown all end in fr_kiosk_window_reset():
 * the cover at once, then everything of the session wiped and freed, then the heap
 * trimmed. Any input restarts the idle time; a press only dismisses the countdown.
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>
#ifdef HAVE_MALLOC_TRIM
# include <malloc.h>
#endif

#include "fr-kiosk-i18n.h"
#include "fr-kiosk-window-private.h"
#include "fr-kiosk-wizard.h"

/* The countdown bar takes no room unless it is counting down: a hidden GtkRevealer in
 * GTK 4.8 still reserved its child's height above every screen. */
void
_fr_kiosk_window_show_countdown (FrKioskWindow *self,
                                 gboolean       show)
{
  gtk_widget_set_visible (GTK_WIDGET (self->countdown_revealer), show);
  gtk_revealer_set_reveal_child (self->countdown_revealer, show);
}

/* Any use restarts the idle time. Only a press dismisses the countdown (_fr_kiosk_window_idle_tick() takes
 * it away for the rest): a pointer that moves before it taps must not uncover what the
 * tap then lands on. */
void
_fr_kiosk_window_note_activity (FrKioskWindow *self)
{
  self->last_activity = g_get_monotonic_time ();
}

static void
dismiss_countdown (FrKioskWindow *self)
{
  _fr_kiosk_window_note_activity (self);
  _fr_kiosk_window_show_countdown (self, FALSE);
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

gboolean
_fr_kiosk_window_on_any_event (GtkEventControllerLegacy *controller,
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
      _fr_kiosk_window_note_activity (self);
      break;
    case GDK_KEY_PRESS:
      if (gtk_revealer_get_reveal_child (self->countdown_revealer))
        dismiss_countdown (self);
      _fr_kiosk_window_note_activity (self);
      break;
    case GDK_TOUCH_UPDATE:
    case GDK_SCROLL:
    case GDK_MOTION_NOTIFY:
      _fr_kiosk_window_note_activity (self);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
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

void
_fr_kiosk_window_schedule_trim (FrKioskWindow *self)
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
  _fr_kiosk_window_stop_listening (self);
  if (self->listen != NULL)
    fr_kiosk_listen_end_session (self->listen);
  self->welcome_listening = FALSE;
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  _fr_kiosk_window_drop_page_after_paint (self);
  if (self->session != NULL)
    fr_kiosk_session_clear_answers (self->session);
  g_clear_object (&self->session);

  fr_kiosk_i18n_reset ();
  _fr_kiosk_window_set_lang_class (self, NULL);
  _fr_kiosk_window_set_large_text (self, FALSE);
  _fr_kiosk_window_set_high_contrast (self, FALSE);
  _fr_kiosk_window_show_countdown (self, FALSE);
  self->n_escapes = 0;
  _fr_kiosk_window_update_topbar (self);
  _fr_kiosk_window_note_activity (self);
  _fr_kiosk_window_schedule_trim (self);
  _fr_kiosk_window_update_warm_up (self);
  g_message ("session reset");
}

gboolean
_fr_kiosk_window_on_key_pressed (GtkEventControllerKey *controller,
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

gboolean
_fr_kiosk_window_idle_tick (gpointer user_data)
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
      _fr_kiosk_window_show_countdown (self, FALSE);
      return G_SOURCE_CONTINUE;
    }
  /* Someone recording or listening to their voice message is there, touching or not. */
  if (self->page != NULL && FR_IS_KIOSK_WIZARD (self->page) && fr_kiosk_wizard_is_busy (FR_KIOSK_WIZARD (self->page)))
    _fr_kiosk_window_note_activity (self);
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
      _fr_kiosk_window_show_countdown (self, TRUE);
    }
  else if (gtk_revealer_get_reveal_child (self->countdown_revealer))
    _fr_kiosk_window_show_countdown (self, FALSE);
  return G_SOURCE_CONTINUE;
}
