/* fr-kiosk-recorder.c — a voice message, recorded into locked memory as Ogg Opus */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <math.h>
#include <sodium.h>
#include <string.h>

#include "fr-error.h"
#include "fr-kiosk-recorder.h"
#include "fr-ogg.h"

/* What the appsink writes into, on its streaming thread: shared (refcounted) with the
 * recorder, so a recorder disposed while the pipeline winds down on GStreamer's thread
 * pool leaves the callback nothing freed to write to. */
typedef struct
{
  GMutex    lock;
  FrSecret *buffer;      /* capacity for max_seconds, never reallocated */
  gsize     used;
  gboolean  overflow;
} Capture;

static void
capture_clear (gpointer data)
{
  Capture *c = data;

  g_clear_pointer (&c->buffer, fr_secret_free);   /* sodium_free wipes it */
  g_mutex_clear (&c->lock);
}

static void
capture_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, capture_clear);
}

struct _FrKioskRecorder
{
  GObject     parent_instance;

  guint       max_seconds;
  GstElement *pipeline;
  guint       bus_watch;
  guint       limit_source;
  Capture    *capture;
  gboolean    recording;
  gboolean    complete;
};

enum { SIGNAL_LEVEL, SIGNAL_STOPPED, N_SIGNALS };
static guint signals[N_SIGNALS];

static char *test_source;

G_DEFINE_FINAL_TYPE (FrKioskRecorder, fr_kiosk_recorder, G_TYPE_OBJECT)

void
fr_kiosk_recorder_set_test_source (const char *description)
{
  g_free (test_source);
  test_source = g_strdup (description);
}

static gsize
capacity_for (guint seconds)
{
  /* The bitrate, twice over for Ogg pages and a louder-than-planned encoder, plus headers. */
  return (gsize) seconds * (FR_KIOSK_RECORDER_BITRATE / 8) * 2 + 64 * 1024;
}

static void
set_null_and_unref (GstElement *element,
                    gpointer    user_data)
{
  gst_element_set_state (element, GST_STATE_NULL);
  gst_object_unref (element);
}

static void
drop_pipeline (FrKioskRecorder *self)
{
  GstElement *pipeline = g_steal_pointer (&self->pipeline);

  g_clear_handle_id (&self->limit_source, g_source_remove);
  if (pipeline == NULL)
    return;
  if (self->bus_watch != 0)
    {
      GstBus *bus = gst_element_get_bus (pipeline);

      gst_bus_remove_watch (bus);
      gst_object_unref (bus);
      self->bus_watch = 0;
    }
  gst_element_call_async (pipeline, set_null_and_unref, NULL, NULL);
}

static GstFlowReturn
on_new_sample (GstAppSink *sink,
               gpointer    data)
{
  Capture *self = data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  GstMapInfo map;

  if (sample == NULL)
    return GST_FLOW_EOS;
  if (gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
    {
      g_mutex_lock (&self->lock);
      if (self->buffer != NULL && self->used + map.size <= self->buffer->len)
        {
          memcpy (self->buffer->data + self->used, map.data, map.size);
          self->used += map.size;
        }
      else
        self->overflow = TRUE;
      g_mutex_unlock (&self->lock);
      gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    }
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static void
finish (FrKioskRecorder *self,
        gboolean         complete)
{
  gboolean was = self->recording;

  drop_pipeline (self);
  self->recording = FALSE;
  g_mutex_lock (&self->capture->lock);
  self->complete = complete && !self->capture->overflow && self->capture->used > 0;
  g_mutex_unlock (&self->capture->lock);
  if (was)
    g_signal_emit (self, signals[SIGNAL_STOPPED], 0);
}

static gboolean
on_bus (GstBus     *bus,
        GstMessage *message,
        gpointer    data)
{
  FrKioskRecorder *self = data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ELEMENT:
      {
        const GstStructure *s = gst_message_get_structure (message);
        const GValue *rms, *v;

        /* level's "rms" is a GValueArray (one dB value a channel; mono here). */
        if (s != NULL && gst_structure_has_name (s, "level")
            && (rms = gst_structure_get_value (s, "rms")) != NULL
            && G_VALUE_HOLDS_BOXED (rms))
          {
            G_GNUC_BEGIN_IGNORE_DEPRECATIONS
            GValueArray *array = g_value_get_boxed (rms);
            v = array != NULL && array->n_values > 0 ? &array->values[0] : NULL;
            G_GNUC_END_IGNORE_DEPRECATIONS
            if (v != NULL && G_VALUE_HOLDS_DOUBLE (v) && isfinite (g_value_get_double (v)))
              g_signal_emit (self, signals[SIGNAL_LEVEL], 0, g_value_get_double (v));
          }
      }
      break;
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;

        gst_message_parse_error (message, &error, NULL);
        g_warning ("recording failed: %s", error->message);
        self->bus_watch = 0;
        finish (self, FALSE);
        return G_SOURCE_REMOVE;
      }
    case GST_MESSAGE_EOS:
      self->bus_watch = 0;
      finish (self, TRUE);
      return G_SOURCE_REMOVE;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_limit (gpointer data)
{
  FrKioskRecorder *self = data;

  self->limit_source = 0;
  fr_kiosk_recorder_stop (self);
  return G_SOURCE_REMOVE;
}

static void
wipe_buffer (FrKioskRecorder *self)
{
  g_mutex_lock (&self->capture->lock);
  g_clear_pointer (&self->capture->buffer, fr_secret_free);   /* sodium_free wipes it */
  self->capture->used = 0;
  self->capture->overflow = FALSE;
  g_mutex_unlock (&self->capture->lock);
  self->complete = FALSE;
}

static void
fr_kiosk_recorder_dispose (GObject *object)
{
  FrKioskRecorder *self = FR_KIOSK_RECORDER (object);

  drop_pipeline (self);
  self->recording = FALSE;
  if (self->capture != NULL)
    wipe_buffer (self);
  G_OBJECT_CLASS (fr_kiosk_recorder_parent_class)->dispose (object);
}

static void
fr_kiosk_recorder_finalize (GObject *object)
{
  g_clear_pointer (&FR_KIOSK_RECORDER (object)->capture, capture_unref);
  G_OBJECT_CLASS (fr_kiosk_recorder_parent_class)->finalize (object);
}

static void
fr_kiosk_recorder_class_init (FrKioskRecorderClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fr_kiosk_recorder_dispose;
  G_OBJECT_CLASS (klass)->finalize = fr_kiosk_recorder_finalize;
  signals[SIGNAL_LEVEL] = g_signal_new ("level", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);
  signals[SIGNAL_STOPPED] = g_signal_new ("stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fr_kiosk_recorder_init (FrKioskRecorder *self)
{
  self->capture = g_atomic_rc_box_new0 (Capture);
  g_mutex_init (&self->capture->lock);
}

FrKioskRecorder *
fr_kiosk_recorder_new (guint max_seconds)
{
  FrKioskRecorder *self = g_object_new (FR_TYPE_KIOSK_RECORDER, NULL);

  self->max_seconds = CLAMP (max_seconds, 5, 600);
  return self;
}

gboolean
fr_kiosk_recorder_start (FrKioskRecorder *self,
                         GError         **error)
{
  g_autofree char *description = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GstElement) sink = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };
  GstBus *bus;

  g_return_val_if_fail (FR_IS_KIOSK_RECORDER (self), FALSE);

  if (self->recording)
    return TRUE;
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  /* Record again: the last message is wiped first. */
  wipe_buffer (self);
  g_mutex_lock (&self->capture->lock);
  self->capture->buffer = fr_secret_new (capacity_for (self->max_seconds));
  g_mutex_unlock (&self->capture->lock);
  description = g_strdup_printf ("%s ! audioconvert ! audioresample ! audio/x-raw,channels=1"
                                 " ! level interval=100000000 post-messages=true"
                                 " ! opusenc audio-type=voice bitrate=%d ! oggmux"
                                 " ! appsink name=sink sync=false emit-signals=false",
                                 test_source != NULL ? test_source : "autoaudiosrc",
                                 FR_KIOSK_RECORDER_BITRATE);
  self->pipeline = gst_parse_launch (description, &local);
  if (self->pipeline == NULL)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "no recording pipeline: %s", local->message);
      wipe_buffer (self);
      return FALSE;
    }
  sink = gst_bin_get_by_name (GST_BIN (self->pipeline), "sink");
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks,
                              g_atomic_rc_box_acquire (self->capture), capture_unref);
  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus, self);
  gst_object_unref (bus);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "the microphone did not start");
      drop_pipeline (self);
      wipe_buffer (self);
      return FALSE;
    }
  self->recording = TRUE;
  self->limit_source = g_timeout_add_seconds (self->max_seconds, on_limit, self);
  return TRUE;
}

/**
 * fr_kiosk_recorder_stop:
 *
 * Ends the message: the source sends end-of-stream, the encoder and muxer finish their
 * last pages, and ::stopped follows.
 */
void
fr_kiosk_recorder_stop (FrKioskRecorder *self)
{
  g_return_if_fail (FR_IS_KIOSK_RECORDER (self));

  if (self->recording && self->pipeline != NULL)
    gst_element_send_event (self->pipeline, gst_event_new_eos ());
}

gboolean
fr_kiosk_recorder_is_recording (FrKioskRecorder *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_RECORDER (self), FALSE);
  return self->recording;
}

FrSecret *
fr_kiosk_recorder_steal (FrKioskRecorder *self,
                         guint64         *duration_ms)
{
  g_autoptr(GError) error = NULL;
  FrSecret *message;
  guint64 ms = 0;

  g_return_val_if_fail (FR_IS_KIOSK_RECORDER (self), NULL);

  if (self->recording || !self->complete)
    return NULL;
  /* The pipeline is gone (EOS): nothing writes to the capture any more. */
  if (!fr_ogg_opus_probe (self->capture->buffer->data, self->capture->used, &ms, &error))
    {
      g_warning ("the recording is not a voice message: %s", error->message);
      wipe_buffer (self);
      return NULL;
    }
  message = fr_secret_new_from (self->capture->buffer->data, self->capture->used);
  wipe_buffer (self);
  if (duration_ms != NULL)
    *duration_ms = ms;
  return message;
}

void
fr_kiosk_recorder_wipe (FrKioskRecorder *self)
{
  g_return_if_fail (FR_IS_KIOSK_RECORDER (self));

  drop_pipeline (self);
  self->recording = FALSE;
  wipe_buffer (self);
}
