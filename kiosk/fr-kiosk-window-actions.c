/* fr-kiosk-window-actions.c — the kiosk window's actions
 *
 * What the top bar, the screens and the unlock gestures ask the window for: kiosk.start,
 * kiosk.home, kiosk.language, kiosk.topic, kiosk.wizard, kiosk.unlock, kiosk.listen …
 * (kiosk.quick-exit is fr_kiosk_window_reset(), in fr-kiosk-window-exit.c).
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include "fr-kiosk-home.h"
#include "fr-kiosk-i18n.h"
#include "fr-kiosk-maintenance.h"
#include "fr-kiosk-pin.h"
#include "fr-kiosk-receipt.h"
#include "fr-kiosk-topic.h"
#include "fr-kiosk-voice.h"
#include "fr-kiosk-window-private.h"
#include "fr-kiosk-wizard.h"

#define CORNER_SIZE    120    /* px from a top corner where a long press unlocks */

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

  _fr_kiosk_window_show_static (self, self->welcome);
}

static void
show_home (FrKioskWindow *self)
{
  const char *lang = fr_kiosk_session_get_language (self->session);

  _fr_kiosk_window_show_page (self, "home", fr_kiosk_home_new (self->context, lang));
}

static void
home_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);

  if (self->session == NULL || fr_kiosk_session_get_language (self->session) == NULL)
    {
      _fr_kiosk_window_show_static (self, self->welcome);
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
      && fr_kiosk_listen_has_voice (self->listen, lang))
    {
      /* Said, or (headphones first, none plugged in) how to ask for headphones. */
      fr_kiosk_listen_language (self->listen, lang);
      g_free (self->welcome_spoken);
      self->welcome_spoken = g_strdup (lang);
      return;
    }
  _fr_kiosk_window_stop_listening (self);
  /* Chosen by ear (listen mode, the language heard first): every screen is read. */
  if (self->welcome_listening && g_strcmp0 (self->welcome_spoken, lang) == 0)
    fr_kiosk_listen_set_read_all (self->listen, TRUE);
  self->welcome_listening = FALSE;
  if (self->session == NULL)
    self->session = fr_kiosk_session_new ();
  fr_kiosk_session_set_language (self->session, lang);
  fr_kiosk_i18n_set_language (lang, fr_content_get_language_direction (content, lang) == FR_TEXT_DIRECTION_RTL);
  _fr_kiosk_window_set_lang_class (self, lang);
  _fr_kiosk_window_update_topbar (self);
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
  _fr_kiosk_window_show_static (self, self->welcome);
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
    _fr_kiosk_window_show_page (self, "topic", fr_kiosk_topic_new (self->context, lang, topic));
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
  _fr_kiosk_window_show_page (self, "topic", fr_kiosk_topic_new_for_tile (self->context, lang, tile));
}

static void
on_wizard_sent (FrKioskWizard *wizard,
                const char    *receipt,
                FrKioskWindow *self)
{
  const char *lang = fr_kiosk_session_get_language (self->session);

  g_message ("record sent from a %s session", fr_kiosk_session_get_channel (self->session));
  _fr_kiosk_window_show_page (self, "receipt", fr_kiosk_receipt_new (self->context, lang, receipt));
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
  g_signal_connect_object (wizard, "step-changed", G_CALLBACK (_fr_kiosk_window_read_if_all), self, G_CONNECT_SWAPPED);
  _fr_kiosk_window_show_page (self, "wizard", wizard);
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
  _fr_kiosk_window_update_topbar (self);
  _fr_kiosk_window_show_static (self, self->welcome);
}

static void
on_pin_maintenance (FrKioskPin    *pin,
                    FrKioskWindow *self)
{
  _fr_kiosk_window_show_page (self, "maintenance", fr_kiosk_maintenance_new (self->context));
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
  _fr_kiosk_window_show_page (self, "pin", pin);
}

static void
large_text_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);

  _fr_kiosk_window_set_large_text (self, !self->large_text);
}

static void
high_contrast_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);

  _fr_kiosk_window_set_high_contrast (self, !self->high_contrast);
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
      _fr_kiosk_window_update_listen (self);
      return;
    }
  /* Not while a voice message is recorded: the microphone would take the kiosk's voice. */
  if (self->page != NULL && FR_IS_KIOSK_WIZARD (self->page) && fr_kiosk_wizard_get_voice (FR_KIOSK_WIZARD (self->page)) != NULL
      && fr_kiosk_voice_is_recording (FR_KIOSK_VOICE (fr_kiosk_wizard_get_voice (FR_KIOSK_WIZARD (self->page)))))
    return;
  if (self->page != NULL)
    fr_kiosk_listen_screen (self->listen, self->page, lang);
}

/* "Read every screen aloud" on and off, for this session; on, the screen is read now. */
static void
read_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FrKioskWindow *self = FR_KIOSK_WINDOW (widget);
  gboolean on;

  if (self->listen == NULL || self->session == NULL || fr_kiosk_session_get_language (self->session) == NULL)
    return;
  on = !fr_kiosk_listen_get_read_all (self->listen);
  fr_kiosk_listen_set_read_all (self->listen, on);
  _fr_kiosk_window_update_listen (self);
  _fr_kiosk_window_stop_listening (self);
  if (on)
    _fr_kiosk_window_read_if_all (self, self->page);
}

/* The voice question starts recording or playing back: read-aloud stops first. */
static void
silence_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  _fr_kiosk_window_stop_listening (FR_KIOSK_WINDOW (widget));
}

void
_fr_kiosk_window_on_corner_long_press (GtkGestureLongPress *gesture,
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

void
_fr_kiosk_window_class_actions_init (GtkWidgetClass *widget_class)
{
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
  gtk_widget_class_install_action (widget_class, "kiosk.silence", NULL, silence_action);
  gtk_widget_class_install_action (widget_class, "kiosk.read-all", NULL, read_all_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_ALT_MASK,
                                       "kiosk.unlock", "s", "assisted");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK | GDK_ALT_MASK,
                                       "kiosk.unlock", "s", "maintenance");
}
