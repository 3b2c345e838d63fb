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
#include "fr-secure-allocator.h"
#include "fr-ogg.h"

#define BYTES_PER_SAMPLE 2   /* S16LE mono, fixed by the caps after the source */

/* What the streaming threads write into: shared (refcounted) with the recorder, so a
 * recorder disposed while the pipeline winds down on GStreamer's thread pool leaves the
 * callbacks nothing freed to write to. */
typedef struct
{
  GMutex    lock;
  FrSecret *buffer[FR_KIOSK_VOICE_N_VARIANTS];   /* capacity for max_seconds, never reallocated */
  gsize     used[FR_KIOSK_VOICE_N_VARIANTS];
  gboolean  overflow[FR_KIOSK_VOICE_N_VARIANTS];
  guint64   samples;        /* raw samples let through so far */
  guint64   max_samples;
  gboolean  cut;            /* the maximum was reached: the rest is dropped */
} Shared;

/* One appsink's share: which buffer it writes. */
typedef struct
{
  Shared              *shared;
  FrKioskVoiceVariant  variant;
} Branch;

static gint n_live_buffers;

static void
free_buffer (FrSecret **buffer)
{
  if (*buffer == NULL)
    return;
  g_clear_pointer (buffer, fr_secret_free);   /* sodium_free wipes it */
  g_atomic_int_add (&n_live_buffers, -1);
}

static void
shared_clear (gpointer data)
{
  Shared *s = data;

  for (guint i = 0; i < FR_KIOSK_VOICE_N_VARIANTS; i++)
    free_buffer (&s->buffer[i]);
  g_mutex_clear (&s->lock);
}

static Shared *
shared_ref (Shared *s)
{
  return g_atomic_rc_box_acquire (s);
}

static void
shared_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, shared_clear);
}

static void
branch_free (gpointer data)
{
  Branch *branch = data;

  shared_unref (branch->shared);
  g_free (branch);
}

struct _FrKioskRecorder
{
  GObject     parent_instance;

  guint       max_seconds;
  GstElement *pipeline;
  guint       bus_watch;
  guint       limit_source;
  Shared     *shared;
  gboolean    recording;
  gboolean    complete;
  gboolean    disguised;   /* this recording has a disguise branch */
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

guint
fr_kiosk_recorder_get_n_live_buffers (void)
{
  return (guint) g_atomic_int_get (&n_live_buffers);
}

gboolean
fr_kiosk_recorder_can_disguise (void)
{
  g_autoptr(GstElementFactory) factory = NULL;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  factory = gst_element_factory_find ("pitch");
  return factory != NULL;
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

/* The pipeline goes to NULL on GStreamer's thread pool: stopping never waits for the
 * microphone. */
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
  Branch *branch = data;
  Shared *s = branch->shared;
  FrKioskVoiceVariant v = branch->variant;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  GstMapInfo map;

  if (sample == NULL)
    return GST_FLOW_EOS;
  if (gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
    {
      g_mutex_lock (&s->lock);
      if (s->buffer[v] != NULL && s->used[v] + map.size <= s->buffer[v]->len)
        {
          memcpy (s->buffer[v]->data + s->used[v], map.data, map.size);
          s->used[v] += map.size;
        }
      else
        s->overflow[v] = TRUE;
      g_mutex_unlock (&s->lock);
      gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    }
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

/* In the streaming thread, before the tee: counts the samples and, at the maximum, drops
 * the rest and ends the stream, so both versions end at the same sample. */
static GstPadProbeReturn
on_raw_buffer (GstPad          *pad,
               GstPadProbeInfo *info,
               gpointer         data)
{
  Shared *s = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  gboolean end = FALSE;

  g_mutex_lock (&s->lock);
  if (s->cut)
    {
      g_mutex_unlock (&s->lock);
      return GST_PAD_PROBE_DROP;
    }
  if (s->samples >= s->max_samples)
    s->cut = end = TRUE;
  else
    s->samples += gst_buffer_get_size (buffer) / BYTES_PER_SAMPLE;
  g_mutex_unlock (&s->lock);
  if (!end)
    return GST_PAD_PROBE_OK;
  gst_pad_push_event (pad, gst_event_new_eos ());
  return GST_PAD_PROBE_DROP;
}

static gboolean
usable (Shared             *s,
        FrKioskVoiceVariant v)
{
  return s->buffer[v] != NULL && !s->overflow[v] && s->used[v] > 0;
}

static void
finish (FrKioskRecorder *self,
        gboolean         complete)
{
  gboolean was = self->recording;

  drop_pipeline (self);
  self->recording = FALSE;
  g_mutex_lock (&self->shared->lock);
  self->complete = complete && usable (self->shared, FR_KIOSK_VOICE_PLAIN);
  g_mutex_unlock (&self->shared->lock);
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
            if (v != NULL && G_VALUE_HOLDS_DOUBLE (v))
              {
                double db = g_value_get_double (v);

                /* Digital silence is -inf dB: the meter's floor. */
                g_signal_emit (self, signals[SIGNAL_LEVEL], 0, isfinite (db) ? db : -100.0);
              }
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

/* A backstop only: the maximum is enforced in samples (on_raw_buffer). */
static gboolean
on_limit (gpointer data)
{
  FrKioskRecorder *self = data;

  self->limit_source = 0;
  fr_kiosk_recorder_stop (self);
  return G_SOURCE_REMOVE;
}

static void
wipe_buffers (FrKioskRecorder *self)
{
  g_mutex_lock (&self->shared->lock);
  for (guint i = 0; i < FR_KIOSK_VOICE_N_VARIANTS; i++)
    {
      free_buffer (&self->shared->buffer[i]);
      self->shared->used[i] = 0;
      self->shared->overflow[i] = FALSE;
    }
  self->shared->samples = 0;
  self->shared->cut = FALSE;
  g_mutex_unlock (&self->shared->lock);
  self->complete = FALSE;
}

static void
fr_kiosk_recorder_dispose (GObject *object)
{
  FrKioskRecorder *self = FR_KIOSK_RECORDER (object);

  drop_pipeline (self);
  self->recording = FALSE;
  if (self->shared != NULL)
    wipe_buffers (self);
  G_OBJECT_CLASS (fr_kiosk_recorder_parent_class)->dispose (object);
}

static void
fr_kiosk_recorder_finalize (GObject *object)
{
  g_clear_pointer (&FR_KIOSK_RECORDER (object)->shared, shared_unref);
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
  self->shared = g_atomic_rc_box_new0 (Shared);
  g_mutex_init (&self->shared->lock);
}

FrKioskRecorder *
fr_kiosk_recorder_new (guint max_seconds)
{
  FrKioskRecorder *self = g_object_new (FR_TYPE_KIOSK_RECORDER, NULL);

  self->max_seconds = CLAMP (max_seconds, 5, 600);
  return self;
}

static void
attach_sink (FrKioskRecorder     *self,
             const char          *name,
             FrKioskVoiceVariant  variant)
{
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (self->pipeline), name);
  Branch *branch = g_new0 (Branch, 1);

  branch->shared = shared_ref (self->shared);
  branch->variant = variant;
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, branch, branch_free);
}

gboolean
fr_kiosk_recorder_start (FrKioskRecorder *self,
                         GError         **error)
{
  g_autofree char *description = NULL;
  g_autofree char *encoder = NULL;
  g_autofree char *disguise = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GstElement) level = NULL;
  g_autoptr(GstPad) pad = NULL;
  GstBus *bus;

  g_return_val_if_fail (FR_IS_KIOSK_RECORDER (self), FALSE);

  if (self->recording)
    return TRUE;
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  /* Every buffer GStreamer allocates from here on — the microphone's samples, the
   * converters', the encoders' pages — in guarded memory, wiped when freed. */
  fr_secure_allocator_install ();
  /* Record again: the last message is wiped first. */
  wipe_buffers (self);
  self->disguised = fr_kiosk_recorder_can_disguise ();
  g_mutex_lock (&self->shared->lock);
  for (guint i = 0; i < (self->disguised ? 2u : 1u); i++)
    {
      self->shared->buffer[i] = fr_secret_new (capacity_for (self->max_seconds));
      g_atomic_int_inc (&n_live_buffers);
    }
  self->shared->max_samples = (guint64) self->max_seconds * FR_KIOSK_RECORDER_RATE;
  g_mutex_unlock (&self->shared->lock);

  encoder = g_strdup_printf ("opusenc audio-type=voice bitrate=%d ! oggmux", FR_KIOSK_RECORDER_BITRATE);
  if (self->disguised)
    disguise = g_strdup_printf (" t. ! queue ! audioconvert ! pitch pitch=%g ! audioconvert ! %s"
                                " ! appsink name=disguised sync=false emit-signals=false",
                                FR_KIOSK_RECORDER_DISGUISE_PITCH, encoder);
  description = g_strdup_printf ("%s ! audioconvert ! audioresample"
                                 " ! audio/x-raw,format=S16LE,channels=1,rate=%d"
                                 " ! level name=level interval=100000000 post-messages=true ! tee name=t"
                                 " t. ! queue ! %s ! appsink name=plain sync=false emit-signals=false%s",
                                 test_source != NULL ? test_source : "autoaudiosrc",
                                 FR_KIOSK_RECORDER_RATE, encoder, disguise != NULL ? disguise : "");
  self->pipeline = gst_parse_launch (description, &local);
  if (self->pipeline == NULL || local != NULL)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "no recording pipeline: %s", local ? local->message : "?");
      g_clear_pointer (&self->pipeline, gst_object_unref);
      wipe_buffers (self);
      return FALSE;
    }
  gst_object_ref_sink (self->pipeline);
  attach_sink (self, "plain", FR_KIOSK_VOICE_PLAIN);
  if (self->disguised)
    attach_sink (self, "disguised", FR_KIOSK_VOICE_DISGUISED);
  level = gst_bin_get_by_name (GST_BIN (self->pipeline), "level");
  pad = gst_element_get_static_pad (level, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_raw_buffer, shared_ref (self->shared), shared_unref);
  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus, self);
  gst_object_unref (bus);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "the microphone did not start");
      drop_pipeline (self);
      wipe_buffers (self);
      return FALSE;
    }
  self->recording = TRUE;
  self->limit_source = g_timeout_add_seconds (self->max_seconds + 5, on_limit, self);
  return TRUE;
}

/**
 * fr_kiosk_recorder_stop:
 *
 * Ends the message: the source sends end-of-stream, the encoders and muxers finish their
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

guint
fr_kiosk_recorder_get_max_seconds (FrKioskRecorder *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_RECORDER (self), 0);
  return self->max_seconds;
}

guint64
fr_kiosk_recorder_get_elapsed_ms (FrKioskRecorder *self)
{
  guint64 samples;

  g_return_val_if_fail (FR_IS_KIOSK_RECORDER (self), 0);

  g_mutex_lock (&self->shared->lock);
  samples = self->shared->samples;
  g_mutex_unlock (&self->shared->lock);
  return samples * 1000 / FR_KIOSK_RECORDER_RATE;
}

FrSecret *
fr_kiosk_recorder_steal (FrKioskRecorder     *self,
                         FrKioskVoiceVariant  variant,
                         guint64             *duration_ms)
{
  g_autoptr(GError) error = NULL;
  FrSecret *message = NULL;
  guint64 ms = 0;
  Shared *s;

  g_return_val_if_fail (FR_IS_KIOSK_RECORDER (self), NULL);
  g_return_val_if_fail (variant < FR_KIOSK_VOICE_N_VARIANTS, NULL);

  s = self->shared;
  if (self->recording || !self->complete)
    return NULL;
  /* The pipeline is gone (EOS): nothing writes to the buffers any more. */
  g_mutex_lock (&s->lock);
  if (usable (s, variant))
    {
      if (fr_ogg_opus_probe (s->buffer[variant]->data, s->used[variant], &ms, &error))
        message = fr_secret_new_from (s->buffer[variant]->data, s->used[variant]);
      else
        g_warning ("the recording is not a voice message: %s", error->message);
    }
  free_buffer (&s->buffer[variant]);
  s->used[variant] = 0;
  g_mutex_unlock (&s->lock);
  if (duration_ms != NULL)
    *duration_ms = message != NULL ? ms : 0;
  return message;
}

void
fr_kiosk_recorder_wipe (FrKioskRecorder *self)
{
  g_return_if_fail (FR_IS_KIOSK_RECORDER (self));

  drop_pipeline (self);
  self->recording = FALSE;
  wipe_buffers (self);
}

GstElement *
fr_kiosk_recorder_get_pipeline (FrKioskRecorder *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_RECORDER (self), NULL);
  return self->pipeline;
}
