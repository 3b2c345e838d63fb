/* fr-inbox-voice.c — the voice message of an open record: play/pause and a position bar */
#define G_LOG_DOMAIN "fristad-inbox"

#include "config.h"

#include "fr-inbox-i18n.h"

#include "fr-inbox-voice.h"

#define TICK_MS      100     /* how often the bar follows the playback */
#define STEP_MS      1000    /* arrow keys */
#define PAGE_MS      5000    /* Page Up, Page Down */

struct _FrInboxVoice
{
  GtkWidget      parent_instance;

  GtkButton     *play_button;
  GtkScale      *position;
  GtkLabel      *time_label;
  GtkLabel      *message;
  FrVoicePlayer *player;
  guint          tick;
};

G_DEFINE_FINAL_TYPE (FrInboxVoice, fr_inbox_voice, GTK_TYPE_WIDGET)

/* 65000 → "1:05" */
static char *
format_time (guint64 ms)
{
  return g_strdup_printf ("%u:%02u", (guint) (ms / 60000), (guint) (ms / 1000 % 60));
}

static void
show_position (FrInboxVoice *self,
               guint64       position)
{
  guint64 duration = fr_voice_player_get_duration (self->player);
  g_autofree char *at = format_time (position);
  g_autofree char *total = format_time (duration);
  /* Translators: the voice message's elapsed and total time, e.g. "0:12 / 1:05" */
  g_autofree char *text = g_strdup_printf (C_("voice-time", "%s / %s"), at, total);
  /* Translators: the position bar's value for screen readers, e.g. "0:12 of 1:05" */
  g_autofree char *spoken = g_strdup_printf (_("%s of %s"), at, total);

  gtk_range_set_value (GTK_RANGE (self->position), (double) position);
  gtk_label_set_text (self->time_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->position),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, spoken, -1);
}

static gboolean
on_tick (gpointer data)
{
  FrInboxVoice *self = data;

  show_position (self, fr_voice_player_get_position (self->player));
  return G_SOURCE_CONTINUE;
}

static void
show_state (FrInboxVoice *self)
{
  FrVoicePlayerState state = fr_voice_player_get_state (self->player);
  gboolean playing = state == FR_VOICE_PLAYER_PLAYING;
  const char *label = playing ? _("Pause the voice message") : _("Play the voice message");

  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  if (playing && self->tick == 0)
    self->tick = g_timeout_add (TICK_MS, on_tick, self);
  else if (!playing)
    g_clear_handle_id (&self->tick, g_source_remove);
  if (state == FR_VOICE_PLAYER_FAILED)
    {
      /* Translators: %s is GStreamer's reason, e.g. "Could not open audio device for playback." */
      g_autofree char *text = g_strdup_printf (_("The voice message cannot be played: %s"),
                                               fr_voice_player_get_error (self->player)->message);

      gtk_label_set_text (self->message, text);
      gtk_widget_set_visible (GTK_WIDGET (self->message), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->message), FALSE);
  /* Played to the end: the bar full (the sink may have stopped a frame short of it). */
  show_position (self, state == FR_VOICE_PLAYER_FINISHED ? fr_voice_player_get_duration (self->player)
                                                         : fr_voice_player_get_position (self->player));
}

/* The person moved the bar (pointer or keys): go there. */
static gboolean
on_change_value (GtkRange      *range,
                 GtkScrollType  scroll,
                 double         value,
                 FrInboxVoice  *self)
{
  guint64 duration;

  if (self->player == NULL)
    return TRUE;
  duration = fr_voice_player_get_duration (self->player);
  value = CLAMP (value, 0, (double) duration);
  fr_voice_player_seek (self->player, (guint64) value);
  show_position (self, (guint64) value);
  return TRUE;
}

static void
play_pause_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FrInboxVoice *self = FR_INBOX_VOICE (widget);

  if (self->player == NULL)
    return;
  if (fr_voice_player_get_state (self->player) == FR_VOICE_PLAYER_PLAYING)
    fr_voice_player_pause (self->player);
  else
    fr_voice_player_play (self->player);
}

gboolean
fr_inbox_voice_set_message (FrInboxVoice  *self,
                            const guint8  *ogg,
                            gsize          len,
                            GError       **error)
{
  g_autoptr(GError) local = NULL;
  guint64 duration;

  g_return_val_if_fail (FR_IS_INBOX_VOICE (self), FALSE);

  fr_inbox_voice_clear (self);
  self->player = fr_voice_player_new (ogg, len, &local);
  if (self->player == NULL)
    {
      /* Translators: %s says what is wrong with it, in English, e.g. "page checksum mismatch" */
      g_autofree char *text = g_strdup_printf (_("This voice message cannot be played: %s"), local->message);

      gtk_label_set_text (self->message, text);
      gtk_widget_set_visible (GTK_WIDGET (self->message), TRUE);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  duration = fr_voice_player_get_duration (self->player);
  gtk_range_set_range (GTK_RANGE (self->position), 0, (double) MAX (duration, 1));
  gtk_range_set_increments (GTK_RANGE (self->position), STEP_MS, PAGE_MS);
  g_signal_connect_swapped (self->player, "state-changed", G_CALLBACK (show_state), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "voice.play-pause", TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->position), TRUE);
  show_state (self);
  return TRUE;
}

/**
 * fr_inbox_voice_clear:
 *
 * Disposes the player now: its pipeline is taken down (every decoded buffer wiped) and
 * its copy of the message, in guarded memory, is wiped.
 */
void
fr_inbox_voice_clear (FrInboxVoice *self)
{
  g_return_if_fail (FR_IS_INBOX_VOICE (self));

  g_clear_handle_id (&self->tick, g_source_remove);
  if (self->player != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->player, self);
      g_object_run_dispose (G_OBJECT (self->player));   /* even if a test holds a reference */
      g_clear_object (&self->player);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "voice.play-pause", FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->position), FALSE);
  gtk_range_set_value (GTK_RANGE (self->position), 0);
  gtk_label_set_text (self->time_label, "");
}

FrVoicePlayer *
fr_inbox_voice_get_player (FrInboxVoice *self)
{
  g_return_val_if_fail (FR_IS_INBOX_VOICE (self), NULL);
  return self->player;
}

GtkWidget *
fr_inbox_voice_new (void)
{
  return g_object_new (FR_TYPE_INBOX_VOICE, NULL);
}

static void
fr_inbox_voice_dispose (GObject *object)
{
  FrInboxVoice *self = FR_INBOX_VOICE (object);
  GtkWidget *child;

  if (self->position != NULL)
    fr_inbox_voice_clear (self);
  gtk_widget_dispose_template (GTK_WIDGET (object), FR_TYPE_INBOX_VOICE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (fr_inbox_voice_parent_class)->dispose (object);
}

static void
fr_inbox_voice_class_init (FrInboxVoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fr_inbox_voice_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/se/fristad/Inbox/fr-inbox-voice.ui");
  gtk_widget_class_bind_template_child (widget_class, FrInboxVoice, play_button);
  gtk_widget_class_bind_template_child (widget_class, FrInboxVoice, position);
  gtk_widget_class_bind_template_child (widget_class, FrInboxVoice, time_label);
  gtk_widget_class_bind_template_child (widget_class, FrInboxVoice, message);
  gtk_widget_class_bind_template_callback (widget_class, on_change_value);
  gtk_widget_class_install_action (widget_class, "voice.play-pause", NULL, play_pause_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fr_inbox_voice_init (FrInboxVoice *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "voice.play-pause", FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->position), FALSE);
}
