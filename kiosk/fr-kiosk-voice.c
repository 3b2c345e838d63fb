/* fr-kiosk-voice.c — the voice question's recorder: record, stop, listen back, disguise */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-voice.h"

#define TICK_MS       100
#define METER_FLOOR_DB (-60.0)   /* the meter's empty end; 0 dB is full */

typedef enum { STATE_EMPTY, STATE_RECORDING, STATE_RECORDED } State;

struct _FrKioskVoice
{
  GtkWidget        parent_instance;

  FrKioskSession  *session;
  FrKioskRecorder *recorder;
  FrKioskPlayback *playback;
  guint            max_seconds;
  State            state;
  gboolean         disguise_wanted;   /* kept across Record again */
  guint            tick;

  GtkWidget       *box;
  GtkWidget       *record_button;
  GtkWidget       *recording_box;
  GtkLevelBar     *meter;
  GtkLabel        *elapsed_label;
  GtkWidget       *stop_button;
  GtkWidget       *recorded_box;
  GtkLabel        *summary_label;
  GtkWidget       *play_button;
  GtkLabel        *play_label;
  GtkImage        *play_icon;
  GtkLabel        *position_label;
  GtkWidget       *disguise_button;
  GtkLabel        *disguise_label;
  GtkWidget       *disguise_note;
  GtkWidget       *again_button;
  GtkWidget       *delete_button;
  GtkWidget       *error_label;
};

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FrKioskVoice, fr_kiosk_voice, GTK_TYPE_WIDGET)

char *
fr_kiosk_voice_format_time (guint64 ms)
{
  guint64 seconds = ms / 1000;

  return g_strdup_printf ("%" G_GUINT64_FORMAT ":%02u", seconds / 60, (guint) (seconds % 60));
}

static void
update (FrKioskVoice *self)
{
  gboolean recording = self->state == STATE_RECORDING;
  gboolean recorded = self->state == STATE_RECORDED;
  gboolean playing = fr_kiosk_playback_is_active (self->playback) && !fr_kiosk_playback_is_paused (self->playback);
  gboolean disguised = recorded && fr_kiosk_session_get_voice_disguised (self->session);
  g_autofree char *max = fr_kiosk_voice_format_time ((guint64) self->max_seconds * 1000);

  gtk_widget_set_visible (self->record_button, self->state == STATE_EMPTY);
  gtk_widget_set_visible (self->recording_box, recording);
  gtk_widget_set_visible (self->recorded_box, recorded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "voice.record", self->state == STATE_EMPTY);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "voice.stop", recording);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "voice.play", recorded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "voice.again", recorded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "voice.delete", recorded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "voice.disguise",
                                 recorded && fr_kiosk_session_can_disguise_voice (self->session));

  if (recording)
    {
      g_autofree char *now = fr_kiosk_voice_format_time (fr_kiosk_recorder_get_elapsed_ms (self->recorder));
      /* Translators: time recorded against the longest message allowed, e.g. "0:12 of 3:00" */
      g_autofree char *text = g_strdup_printf (_("%s of %s"), now, max);

      gtk_label_set_text (self->elapsed_label, text);
    }
  if (recorded)
    {
      guint64 ms = 0;
      g_autofree char *length = NULL;
      g_autofree char *summary = NULL;
      g_autofree char *position = NULL;

      fr_kiosk_session_get_voice (self->session, &ms);
      length = fr_kiosk_voice_format_time (ms);
      /* Translators: on the voice question once a message is recorded; %s is its length, "0:42" */
      summary = g_strdup_printf (_("Your voice message: %s"), length);
      gtk_label_set_text (self->summary_label, summary);
      if (fr_kiosk_playback_is_active (self->playback))
        {
          g_autofree char *now = fr_kiosk_voice_format_time (MIN (fr_kiosk_playback_get_position_ms (self->playback), ms));

          /* Translators: how far the message has played, e.g. "0:05 of 0:42" */
          position = g_strdup_printf (_("%s of %s"), now, length);
        }
      gtk_label_set_text (self->position_label, position != NULL ? position : "");
      gtk_widget_set_visible (GTK_WIDGET (self->position_label), position != NULL);
      /* Translators: button: pauses the voice message while it plays */
      gtk_label_set_text (self->play_label, playing ? _("Pause")
                          /* Translators: button: plays the recorded voice message back */
                                                 : _("Listen to your message"));
      fr_kiosk_a11y_set_name (self->play_button, gtk_label_get_text (self->play_label));
      gtk_image_set_from_icon_name (self->play_icon, playing ? "media-playback-pause-symbolic"
                                                             : "media-playback-start-symbolic");
      gtk_widget_set_visible (self->disguise_button, fr_kiosk_session_can_disguise_voice (self->session));
      gtk_widget_set_visible (self->disguise_note, fr_kiosk_session_can_disguise_voice (self->session));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->disguise_button), disguised);
      gtk_label_set_text (self->disguise_label, disguised
                          /* Translators: toggle button, on: the disguised voice is the one sent */
                          ? _("Voice disguise is on")
                          /* Translators: toggle button, off: makes the recorded voice sound different */
                          : _("Disguise my voice"));
    }
}

static gboolean
on_tick (gpointer data)
{
  FrKioskVoice *self = data;

  update (self);
  if (self->state == STATE_RECORDING || fr_kiosk_playback_is_active (self->playback))
    return G_SOURCE_CONTINUE;
  self->tick = 0;
  return G_SOURCE_REMOVE;
}

static void
start_ticking (FrKioskVoice *self)
{
  if (self->tick == 0)
    self->tick = g_timeout_add (TICK_MS, on_tick, self);
}

static void
set_state (FrKioskVoice *self,
           State         state)
{
  self->state = state;
  update (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
show_error (FrKioskVoice *self,
            gboolean      show)
{
  gtk_widget_set_visible (self->error_label, show);
}

static void
on_level (FrKioskRecorder *recorder,
          double           db,
          FrKioskVoice    *self)
{
  double value = (CLAMP (db, METER_FLOOR_DB, 0.0) - METER_FLOOR_DB) / -METER_FLOOR_DB;

  gtk_level_bar_set_value (self->meter, value);
}

static void
on_stopped (FrKioskRecorder *recorder,
            FrKioskVoice    *self)
{
  FrSecret *plain, *disguised;
  guint64 plain_ms = 0, disguised_ms = 0;

  gtk_level_bar_set_value (self->meter, 0.0);
  if (self->state != STATE_RECORDING)
    return;
  disguised = fr_kiosk_recorder_steal (recorder, FR_KIOSK_VOICE_DISGUISED, &disguised_ms);
  plain = fr_kiosk_recorder_steal (recorder, FR_KIOSK_VOICE_PLAIN, &plain_ms);
  fr_kiosk_recorder_wipe (recorder);
  if (plain == NULL)
    {
      g_clear_pointer (&disguised, fr_secret_free);
      show_error (self, TRUE);
      set_state (self, STATE_EMPTY);
      return;
    }
  /* Counts only: never anything of the message itself. */
  g_message ("voice message recorded (%" G_GUINT64_FORMAT " ms%s)", plain_ms, disguised ? ", disguise available" : "");
  fr_kiosk_session_set_voice (self->session, plain, plain_ms, disguised, disguised_ms);
  fr_kiosk_session_set_voice_disguised (self->session, self->disguise_wanted);
  set_state (self, STATE_RECORDED);
  gtk_widget_grab_focus (self->play_button);
}

static void
stop_playback (FrKioskVoice *self)
{
  fr_kiosk_playback_stop (self->playback);
}

/* Nothing recorded, in the recorder or the session (Delete, Record again, Skip). */
static void
forget (FrKioskVoice *self)
{
  stop_playback (self);
  fr_kiosk_recorder_wipe (self->recorder);
  fr_kiosk_session_clear_voice (self->session);
  gtk_level_bar_set_value (self->meter, 0.0);
}

static void
record (FrKioskVoice *self)
{
  g_autoptr(GError) error = NULL;

  forget (self);
  show_error (self, FALSE);
  /* Read-aloud stops first: the microphone must not record the kiosk's own voice. */
  gtk_widget_activate_action (GTK_WIDGET (self), "kiosk.silence", NULL);
  if (!fr_kiosk_recorder_start (self->recorder, &error))
    {
      g_message ("recording did not start: %s", error->message);
      show_error (self, TRUE);
      set_state (self, STATE_EMPTY);
      return;
    }
  set_state (self, STATE_RECORDING);
  start_ticking (self);
  gtk_widget_grab_focus (self->stop_button);
}

static void
record_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  record (FR_KIOSK_VOICE (widget));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FrKioskVoice *self = FR_KIOSK_VOICE (widget);

  fr_kiosk_recorder_stop (self->recorder);
}

static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FrKioskVoice *self = FR_KIOSK_VOICE (widget);
  const FrSecret *message = fr_kiosk_session_get_voice (self->session, NULL);

  if (self->state != STATE_RECORDED || message == NULL)
    return;
  if (fr_kiosk_playback_is_active (self->playback))
    {
      if (fr_kiosk_playback_is_paused (self->playback))
        fr_kiosk_playback_resume (self->playback);
      else
        fr_kiosk_playback_pause (self->playback);
    }
  else
    {
      gtk_widget_activate_action (widget, "kiosk.silence", NULL);
      fr_kiosk_playback_play (self->playback, message);
    }
  update (self);
  start_ticking (self);
}

static void
again_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  record (FR_KIOSK_VOICE (widget));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FrKioskVoice *self = FR_KIOSK_VOICE (widget);

  fr_kiosk_voice_delete (self);
  gtk_widget_grab_focus (self->record_button);
}

static void
disguise_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FrKioskVoice *self = FR_KIOSK_VOICE (widget);
  gboolean on = !fr_kiosk_session_get_voice_disguised (self->session);

  if (!fr_kiosk_session_set_voice_disguised (self->session, on))
    return;
  self->disguise_wanted = on;
  /* Listen now plays the other version: what will be sent. */
  stop_playback (self);
  update (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_playback_finished (FrKioskPlayback *playback,
                      FrKioskVoice    *self)
{
  update (self);
}

static void
fr_kiosk_voice_unmap (GtkWidget *widget)
{
  /* Another page, Home, the quick exit: nothing goes on playing or recording unseen. */
  fr_kiosk_voice_stop_all (FR_KIOSK_VOICE (widget));
  GTK_WIDGET_CLASS (fr_kiosk_voice_parent_class)->unmap (widget);
}

static void
fr_kiosk_voice_dispose (GObject *object)
{
  FrKioskVoice *self = FR_KIOSK_VOICE (object);

  g_clear_handle_id (&self->tick, g_source_remove);
  if (self->recorder != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->recorder, self);
      fr_kiosk_recorder_wipe (self->recorder);
    }
  if (self->playback != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->playback, self);
      fr_kiosk_playback_stop (self->playback);
    }
  g_clear_object (&self->recorder);
  g_clear_object (&self->playback);
  g_clear_object (&self->session);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (fr_kiosk_voice_parent_class)->dispose (object);
}

static void
fr_kiosk_voice_class_init (FrKioskVoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fr_kiosk_voice_dispose;
  widget_class->unmap = fr_kiosk_voice_unmap;

  /* A message was recorded, deleted, or the disguise switched: the wizard updates Next. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "voice.record", NULL, record_action);
  gtk_widget_class_install_action (widget_class, "voice.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "voice.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "voice.again", NULL, again_action);
  gtk_widget_class_install_action (widget_class, "voice.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "voice.disguise", NULL, disguise_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fr-voice");
}

static void
fr_kiosk_voice_init (FrKioskVoice *self)
{
}

/* A big button: an icon and a label; the label is returned for later changes. */
static GtkWidget *
voice_button_new (const char  *text,
                  const char  *icon_name,
                  const char  *action,
                  const char  *css_class,
                  GtkLabel   **label_out,
                  GtkImage   **icon_out)
{
  GtkWidget *button = fr_kiosk_button_new (text, icon_name, action, NULL);
  GtkWidget *box = gtk_button_get_child (GTK_BUTTON (button));
  GtkWidget *first = gtk_widget_get_first_child (box);

  gtk_widget_add_css_class (button, "fr-voice-button");
  if (css_class != NULL)
    gtk_widget_add_css_class (button, css_class);
  if (label_out != NULL)
    *label_out = GTK_LABEL (gtk_widget_get_last_child (box));
  if (icon_out != NULL)
    *icon_out = GTK_IMAGE (first);
  return button;
}

/**
 * fr_kiosk_voice_new:
 * @session: where the message goes
 * @max_seconds: the site's longest message ([kiosk] voice-max-seconds)
 */
GtkWidget *
fr_kiosk_voice_new (FrKioskSession *session,
                    guint           max_seconds)
{
  FrKioskVoice *self;
  GtkWidget *row, *limit, *toggle_box, *mark;
  g_autofree char *limit_text = NULL;

  g_return_val_if_fail (FR_IS_KIOSK_SESSION (session), NULL);

  self = g_object_new (FR_TYPE_KIOSK_VOICE, NULL);
  self->session = g_object_ref (session);
  self->max_seconds = max_seconds;
  self->recorder = fr_kiosk_recorder_new (max_seconds);
  self->playback = fr_kiosk_playback_new ();
  g_signal_connect (self->recorder, "level", G_CALLBACK (on_level), self);
  g_signal_connect (self->recorder, "stopped", G_CALLBACK (on_stopped), self);
  g_signal_connect (self->playback, "finished", G_CALLBACK (on_playback_finished), self);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_box_append (GTK_BOX (self->box),
                  /* Translators: how to record, on the voice question (also spoken) */
                  fr_kiosk_label_new (_("Press Record and speak. Press Stop when you have finished. "
                                        "You can listen to your message before you send it."), "fr-body"));
  if (max_seconds % 60 == 0)
    /* Translators: the longest voice message, in whole minutes */
    limit_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "You can speak for up to %u minute.",
                                               "You can speak for up to %u minutes.", max_seconds / 60),
                                  max_seconds / 60);
  else
    /* Translators: the longest voice message, in seconds */
    limit_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "You can speak for up to %u second.",
                                               "You can speak for up to %u seconds.", max_seconds),
                                  max_seconds);
  limit = fr_kiosk_label_new (limit_text, "fr-note");
  gtk_box_append (GTK_BOX (self->box), limit);

  /* Translators: the big button that starts recording a voice message */
  self->record_button = voice_button_new (_("Record"), "media-record-symbolic", "voice.record",
                                          "fr-record-button", NULL, NULL);
  /* Translators: accessible name of the Record button */
  fr_kiosk_a11y_set_name (self->record_button, _("Record a voice message"));
  gtk_box_append (GTK_BOX (self->box), self->record_button);

  /* While recording: the meter, the time, Stop. */
  self->recording_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  self->meter = GTK_LEVEL_BAR (gtk_level_bar_new_for_interval (0.0, 1.0));
  gtk_level_bar_set_mode (self->meter, GTK_LEVEL_BAR_MODE_CONTINUOUS);
  gtk_widget_add_css_class (GTK_WIDGET (self->meter), "fr-voice-meter");
  gtk_widget_set_hexpand (GTK_WIDGET (self->meter), TRUE);
  /* Translators: accessible name of the level meter shown while recording */
  fr_kiosk_a11y_set_name (GTK_WIDGET (self->meter), _("How loud your voice is"));
  gtk_box_append (GTK_BOX (self->recording_box), GTK_WIDGET (self->meter));
  self->elapsed_label = GTK_LABEL (fr_kiosk_label_new (NULL, "fr-voice-time"));
  gtk_box_append (GTK_BOX (self->recording_box), GTK_WIDGET (self->elapsed_label));
  /* Translators: the big button that ends the recording */
  self->stop_button = voice_button_new (_("Stop"), "media-playback-stop-symbolic", "voice.stop",
                                        "fr-record-button", NULL, NULL);
  /* Translators: accessible name of the Stop button while recording */
  fr_kiosk_a11y_set_name (self->stop_button, _("Stop recording"));
  gtk_box_append (GTK_BOX (self->recording_box), self->stop_button);
  gtk_box_append (GTK_BOX (self->box), self->recording_box);

  /* Recorded: the length, Listen, the disguise, Record again, Delete. */
  self->recorded_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  self->summary_label = GTK_LABEL (fr_kiosk_label_new (NULL, "fr-voice-summary"));
  gtk_box_append (GTK_BOX (self->recorded_box), GTK_WIDGET (self->summary_label));
  self->play_button = voice_button_new (_("Listen to your message"), "media-playback-start-symbolic",
                                        "voice.play", "suggested-action", &self->play_label, &self->play_icon);
  gtk_box_append (GTK_BOX (self->recorded_box), self->play_button);
  self->position_label = GTK_LABEL (fr_kiosk_label_new (NULL, "fr-voice-time"));
  gtk_box_append (GTK_BOX (self->recorded_box), GTK_WIDGET (self->position_label));

  self->disguise_button = gtk_toggle_button_new ();
  toggle_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  mark = gtk_image_new_from_icon_name ("audio-input-microphone-symbolic");
  gtk_image_set_icon_size (GTK_IMAGE (mark), GTK_ICON_SIZE_LARGE);
  gtk_box_append (GTK_BOX (toggle_box), mark);
  self->disguise_label = GTK_LABEL (fr_kiosk_label_new (_("Disguise my voice"), NULL));
  gtk_widget_set_hexpand (GTK_WIDGET (self->disguise_label), TRUE);
  gtk_box_append (GTK_BOX (toggle_box), GTK_WIDGET (self->disguise_label));
  gtk_button_set_child (GTK_BUTTON (self->disguise_button), toggle_box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->disguise_button), "voice.disguise");
  gtk_widget_add_css_class (self->disguise_button, "fr-big-button");
  gtk_widget_add_css_class (self->disguise_button, "fr-voice-button");
  /* Translators: accessible name of the voice disguise toggle */
  fr_kiosk_a11y_set_name (self->disguise_button, _("Disguise my voice"));
  gtk_box_append (GTK_BOX (self->recorded_box), self->disguise_button);
  self->disguise_note = fr_kiosk_label_new (
      /* Translators: under the voice disguise toggle */
      _("Makes your voice lower, so it is harder to recognise. "
        "Listen to your message to hear it: what you hear is what is sent."), "fr-note");
  gtk_box_append (GTK_BOX (self->recorded_box), self->disguise_note);

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_set_homogeneous (GTK_BOX (row), TRUE);
  /* Translators: button: deletes the message and records a new one at once */
  self->again_button = voice_button_new (_("Record again"), "media-record-symbolic", "voice.again", NULL, NULL, NULL);
  /* Translators: button: deletes the recorded voice message */
  self->delete_button = voice_button_new (_("Delete"), "edit-delete-symbolic", "voice.delete",
                                          "destructive-action", NULL, NULL);
  /* Translators: accessible name of the Delete button on the voice question */
  fr_kiosk_a11y_set_name (self->delete_button, _("Delete the voice message"));
  gtk_box_append (GTK_BOX (row), self->again_button);
  gtk_box_append (GTK_BOX (row), self->delete_button);
  gtk_box_append (GTK_BOX (self->recorded_box), row);
  gtk_box_append (GTK_BOX (self->box), self->recorded_box);

  self->error_label = fr_kiosk_label_new (
      /* Translators: shown if the microphone does not work */
      _("The microphone is not working. You can write your message instead, or skip this step."), "fr-error");
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->error_label);

  /* A message already in the session (Back to this page): shown as recorded. */
  self->state = fr_kiosk_session_get_voice (session, NULL) != NULL ? STATE_RECORDED : STATE_EMPTY;
  self->disguise_wanted = fr_kiosk_session_get_voice_disguised (session);
  update (self);
  return GTK_WIDGET (self);
}

gboolean
fr_kiosk_voice_is_busy (FrKioskVoice *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_VOICE (self), FALSE);
  return self->state == STATE_RECORDING || fr_kiosk_playback_is_active (self->playback);
}

gboolean
fr_kiosk_voice_is_recording (FrKioskVoice *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_VOICE (self), FALSE);
  return self->state == STATE_RECORDING;
}

void
fr_kiosk_voice_stop_all (FrKioskVoice *self)
{
  g_return_if_fail (FR_IS_KIOSK_VOICE (self));

  stop_playback (self);
  if (self->state == STATE_RECORDING)
    {
      /* An unfinished recording is not kept. */
      fr_kiosk_recorder_wipe (self->recorder);
      gtk_level_bar_set_value (self->meter, 0.0);
      set_state (self, STATE_EMPTY);
    }
  update (self);
}

void
fr_kiosk_voice_delete (FrKioskVoice *self)
{
  g_return_if_fail (FR_IS_KIOSK_VOICE (self));

  forget (self);
  show_error (self, FALSE);
  set_state (self, STATE_EMPTY);
}

FrKioskRecorder *
fr_kiosk_voice_get_recorder (FrKioskVoice *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_VOICE (self), NULL);
  return self->recorder;
}

FrKioskPlayback *
fr_kiosk_voice_get_playback (FrKioskVoice *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_VOICE (self), NULL);
  return self->playback;
}
