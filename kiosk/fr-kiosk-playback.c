/* fr-kiosk-playback.c — plays the person's own voice message back, from locked memory */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <gst/app/gstappsrc.h>

#include "fr-kiosk-audio.h"
#include "fr-kiosk-playback.h"
#include "fr-secure-allocator.h"

#define PLAYBIN_FLAG_AUDIO (1 << 1)   /* GstPlayFlags: audio only */

struct _FrKioskPlayback
{
  GObject     parent_instance;

  GstElement *pipeline;     /* playbin, NULL when stopped */
  GstBuffer  *pending;      /* the message, until appsrc takes it */
  guint       bus_watch;
  gboolean    paused;
};

enum { SIGNAL_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static gint n_live_copies;

G_DEFINE_FINAL_TYPE (FrKioskPlayback, fr_kiosk_playback, G_TYPE_OBJECT)

guint
fr_kiosk_playback_get_n_live_copies (void)
{
  return (guint) g_atomic_int_get (&n_live_copies);
}

static void
copy_free (gpointer data)
{
  fr_secret_free (data);   /* sodium_free wipes it */
  g_atomic_int_add (&n_live_copies, -1);
}

static void
set_null_and_unref (GstElement *element,
                    gpointer    user_data)
{
  gst_element_set_state (element, GST_STATE_NULL);
  gst_object_unref (element);
}

static void
drop_pipeline (FrKioskPlayback *self)
{
  GstElement *pipeline = g_steal_pointer (&self->pipeline);

  g_clear_pointer (&self->pending, gst_buffer_unref);
  self->paused = FALSE;
  if (pipeline == NULL)
    return;
  g_signal_handlers_disconnect_by_data (pipeline, self);
  if (self->bus_watch != 0)
    {
      GstBus *bus = gst_element_get_bus (pipeline);

      gst_bus_remove_watch (bus);
      gst_object_unref (bus);
      self->bus_watch = 0;
    }
  gst_element_call_async (pipeline, set_null_and_unref, NULL, NULL);
}

static void
finish (FrKioskPlayback *self)
{
  gboolean was = self->pipeline != NULL;

  drop_pipeline (self);
  if (was)
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
on_source_setup (GstElement      *playbin,
                 GstElement      *source,
                 FrKioskPlayback *self)
{
  GstBuffer *buffer = g_steal_pointer (&self->pending);

  if (!GST_IS_APP_SRC (source) || buffer == NULL)
    {
      g_clear_pointer (&buffer, gst_buffer_unref);
      return;
    }
  g_object_set (source, "format", GST_FORMAT_BYTES, "size", (gint64) gst_buffer_get_size (buffer), NULL);
  gst_app_src_push_buffer (GST_APP_SRC (source), buffer);
  gst_app_src_end_of_stream (GST_APP_SRC (source));
}

static gboolean
on_bus (GstBus     *bus,
        GstMessage *message,
        gpointer    data)
{
  FrKioskPlayback *self = data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;

        gst_message_parse_error (message, &error, NULL);
        g_warning ("the voice message did not play: %s", error->message);
      }
      G_GNUC_FALLTHROUGH;
    case GST_MESSAGE_EOS:
      self->bus_watch = 0;
      finish (self);
      return G_SOURCE_REMOVE;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
fr_kiosk_playback_dispose (GObject *object)
{
  drop_pipeline (FR_KIOSK_PLAYBACK (object));
  G_OBJECT_CLASS (fr_kiosk_playback_parent_class)->dispose (object);
}

static void
fr_kiosk_playback_class_init (FrKioskPlaybackClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fr_kiosk_playback_dispose;
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fr_kiosk_playback_init (FrKioskPlayback *self)
{
}

FrKioskPlayback *
fr_kiosk_playback_new (void)
{
  return g_object_new (FR_TYPE_KIOSK_PLAYBACK, NULL);
}

gboolean
fr_kiosk_playback_play (FrKioskPlayback *self,
                        const FrSecret  *message)
{
  FrSecret *copy;
  GstElement *sink;
  GstBus *bus;

  g_return_val_if_fail (FR_IS_KIOSK_PLAYBACK (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  drop_pipeline (self);
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  /* The decoded voice, and every other buffer, in guarded memory wiped when freed. */
  fr_secure_allocator_install ();
  sink = fr_kiosk_audio_make_sink ();
  self->pipeline = gst_element_factory_make ("playbin", NULL);
  if (self->pipeline == NULL || sink == NULL)
    {
      g_warning ("no playback pipeline");
      if (sink != NULL)
        gst_object_unref (gst_object_ref_sink (sink));
      g_clear_pointer (&self->pipeline, gst_object_unref);
      return FALSE;
    }
  gst_object_ref_sink (self->pipeline);
  /* The pipeline's only copy of the message: locked memory, wiped when GStreamer frees
   * the buffer (also after a quick exit, once the pipeline is down). */
  copy = fr_secret_new_from (message->data, message->len);
  g_atomic_int_inc (&n_live_copies);
  self->pending = gst_buffer_new ();
  gst_buffer_append_memory (self->pending, fr_secure_memory_new_wrapped (copy->data, copy->len, copy, copy_free));
  g_object_set (self->pipeline, "audio-sink", sink, "flags", PLAYBIN_FLAG_AUDIO, "uri", "appsrc://", NULL);
  g_signal_connect (self->pipeline, "source-setup", G_CALLBACK (on_source_setup), self);
  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus, self);
  gst_object_unref (bus);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_warning ("the voice message did not start playing");
      drop_pipeline (self);
      return FALSE;
    }
  return TRUE;
}

void
fr_kiosk_playback_pause (FrKioskPlayback *self)
{
  g_return_if_fail (FR_IS_KIOSK_PLAYBACK (self));

  if (self->pipeline == NULL || self->paused)
    return;
  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  self->paused = TRUE;
}

void
fr_kiosk_playback_resume (FrKioskPlayback *self)
{
  g_return_if_fail (FR_IS_KIOSK_PLAYBACK (self));

  if (self->pipeline == NULL || !self->paused)
    return;
  gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  self->paused = FALSE;
}

void
fr_kiosk_playback_stop (FrKioskPlayback *self)
{
  g_return_if_fail (FR_IS_KIOSK_PLAYBACK (self));
  finish (self);
}

gboolean
fr_kiosk_playback_is_active (FrKioskPlayback *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_PLAYBACK (self), FALSE);
  return self->pipeline != NULL;
}

gboolean
fr_kiosk_playback_is_paused (FrKioskPlayback *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_PLAYBACK (self), FALSE);
  return self->pipeline != NULL && self->paused;
}

guint64
fr_kiosk_playback_get_position_ms (FrKioskPlayback *self)
{
  gint64 position = 0;

  g_return_val_if_fail (FR_IS_KIOSK_PLAYBACK (self), 0);

  if (self->pipeline == NULL || !gst_element_query_position (self->pipeline, GST_FORMAT_TIME, &position) || position < 0)
    return 0;
  return (guint64) position / GST_MSECOND;
}

GstElement *
fr_kiosk_playback_get_pipeline (FrKioskPlayback *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_PLAYBACK (self), NULL);
  return self->pipeline;
}
