/* fr-voice-player.c — plays a voice message (Ogg Opus) from guarded memory */
#define G_LOG_DOMAIN "fristad-audio"

#include "config.h"

#include <gst/app/gstappsrc.h>
#include <gst/audio/audio.h>

#include "fr-intake.h"
#include "fr-secure-allocator.h"
#include "fr-voice-player.h"

#define PUSH_PACKETS   25                          /* per need-data: half a second of 20 ms packets */
#define PREROLL        (80 * FR_OPUS_RATE / 1000)  /* RFC 7845 §4.6: decode 80 ms before a seek target */
#define TEARDOWN_WAIT  GST_SECOND                  /* pausing before teardown waits at most this */

G_DEFINE_QUARK (fr-audio-error-quark, fr_audio_error)

/* The packets and where the source is in them; shared (refcounted) by the player, the
 * source's callbacks and every buffer lent to GStreamer, so none outlives the bytes. */
typedef struct
{
  GMutex     lock;
  FrOggOpus *opus;
  guint      cursor;       /* the next packet to push */
} Feed;

struct _FrVoicePlayer
{
  GObject             parent_instance;

  Feed               *feed;
  GstElement         *pipeline;
  guint               bus_watch;
  FrVoicePlayerState  state;
  guint64             start_ms;       /* without a pipeline: where play starts */
  guint64             end_ms;         /* FINISHED: the position the sink reached */
  gboolean            prerolled;      /* the pipeline has reached PAUSED once */
  gboolean            seeking;        /* a seek to seek_ms is under way */
  guint64             seek_ms;
  gboolean            pending_seek;   /* to do once prerolled */
  guint64             pending_ms;
  GError             *error;
};

enum { SIGNAL_STATE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static char *test_sink;

G_DEFINE_FINAL_TYPE (FrVoicePlayer, fr_voice_player, G_TYPE_OBJECT)

void
fr_voice_player_set_test_sink (const char *description)
{
  g_free (test_sink);
  test_sink = g_strdup (description);
}

/* ---- the feed --------------------------------------------------------------------- */

static void
feed_clear (gpointer data)
{
  Feed *feed = data;

  g_clear_pointer (&feed->opus, fr_ogg_opus_free);   /* guarded memory, wiped */
  g_mutex_clear (&feed->lock);
}

static Feed *
feed_ref (Feed *feed)
{
  return g_atomic_rc_box_acquire (feed);
}

static void
feed_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, feed_clear);
}

/* Packet @i as a buffer lent from guarded memory: timestamps from its place in the
 * stream, the pre-skip and the end trim as clipping (opusdec drops those samples). */
static GstBuffer *
packet_buffer (Feed  *feed,
               guint  i)
{
  const FrOggOpus *opus = feed->opus;
  const FrOpusPacket *p = &opus->packets[i];
  GstBuffer *buffer = gst_buffer_new ();
  gint64 at = (gint64) p->start - opus->pre_skip;
  guint64 end = (guint64) p->start + p->samples;
  guint64 keep_end = opus->total_samples - opus->end_trim;
  guint clip_start = p->start < opus->pre_skip ? MIN (opus->pre_skip - p->start, p->samples) : 0;
  guint clip_end = end > keep_end ? (guint) MIN (end - keep_end, p->samples) : 0;

  gst_buffer_append_memory (buffer, fr_secure_memory_new_wrapped (opus->data->data + p->offset, p->len,
                                                                  feed_ref (feed), feed_unref));
  GST_BUFFER_PTS (buffer) = at > 0 ? gst_util_uint64_scale (at, GST_SECOND, FR_OPUS_RATE) : 0;
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (p->samples, GST_SECOND, FR_OPUS_RATE);
  if (clip_start > 0 || clip_end > 0)
    gst_buffer_add_audio_clipping_meta (buffer, GST_FORMAT_DEFAULT, clip_start, clip_end);
  return buffer;
}

/* On the streaming thread, whenever the source has nothing queued. */
static void
on_need_data (GstAppSrc *source,
              guint      length,
              gpointer   data)
{
  Feed *feed = data;
  guint first, last, n = feed->opus->n_packets;

  g_mutex_lock (&feed->lock);
  first = feed->cursor;
  last = MIN (first + PUSH_PACKETS, n);
  feed->cursor = last;
  g_mutex_unlock (&feed->lock);

  for (guint i = first; i < last; i++)
    if (gst_app_src_push_buffer (source, packet_buffer (feed, i)) != GST_FLOW_OK)
      return;   /* flushing: a seek will say where to go on */
  if (last == n)
    gst_app_src_end_of_stream (source);
}

/* In the thread that seeks, with the stream stopped; @position is in nanoseconds. */
static gboolean
on_seek_data (GstAppSrc *source,
              guint64    position,
              gpointer   data)
{
  Feed *feed = data;
  const FrOggOpus *opus = feed->opus;
  guint64 target = gst_util_uint64_scale (position, FR_OPUS_RATE, GST_SECOND) + opus->pre_skip;
  guint low = 0, high = opus->n_packets - 1;

  target = target > PREROLL ? target - PREROLL : 0;
  /* The packet holding the target: the last one starting at or before it. */
  while (low < high)
    {
      guint mid = low + (high - low + 1) / 2;

      if (opus->packets[mid].start <= target)
        low = mid;
      else
        high = mid - 1;
    }
  g_mutex_lock (&feed->lock);
  feed->cursor = low;
  g_mutex_unlock (&feed->lock);
  return TRUE;
}

/* ---- the pipeline ----------------------------------------------------------------- */

/* audio/x-opus with the OpusHead and an empty comment header as stream headers. */
static GstCaps *
opus_caps (const FrOggOpus *opus)
{
  static const guint8 comments[16] = { 'O', 'p', 'u', 's', 'T', 'a', 'g', 's' };   /* no vendor, no tags */
  GstBuffer *headers[2] = { gst_buffer_new_memdup (opus->head, FR_OPUS_HEAD_SIZE),
                            gst_buffer_new_memdup (comments, sizeof comments) };
  GstCaps *caps = gst_caps_new_simple ("audio/x-opus", "channel-mapping-family", G_TYPE_INT, 0, NULL);
  GValue array = G_VALUE_INIT;

  g_value_init (&array, GST_TYPE_ARRAY);
  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      GValue value = G_VALUE_INIT;

      GST_BUFFER_FLAG_SET (headers[i], GST_BUFFER_FLAG_HEADER);
      g_value_init (&value, GST_TYPE_BUFFER);
      gst_value_take_buffer (&value, headers[i]);
      gst_value_array_append_and_take_value (&array, &value);
    }
  gst_caps_set_value (caps, "streamheader", &array);
  g_value_unset (&array);
  return caps;
}

static GstElement *
make_sink (GError **error)
{
  const char *env = g_getenv ("FRISTAD_AUDIO_SINK");

  if (test_sink != NULL)
    return gst_parse_bin_from_description (test_sink, TRUE, error);
  /* A tool run by a test: a fakesink, in real time, and nothing else. */
  if (env != NULL && g_str_equal (env, "fakesink"))
    return gst_parse_bin_from_description ("fakesink sync=true", TRUE, error);
  if (env != NULL && *env != '\0')
    g_warning ("FRISTAD_AUDIO_SINK may only be “fakesink”; playing to the audio device");
  return gst_element_factory_make ("autoaudiosink", NULL);
}

static gboolean on_bus (GstBus *bus, GstMessage *message, gpointer data);

static gboolean
build_pipeline (FrVoicePlayer  *self,
                GError        **error)
{
  const char *names[] = { "appsrc", "opusdec", "audioconvert", "audioresample" };
  GstElement *elements[G_N_ELEMENTS (names) + 1] = { NULL };
  g_autoptr(GError) sink_error = NULL;
  GstAppSrcCallbacks callbacks = { .need_data = on_need_data, .seek_data = on_seek_data };
  const FrOggOpus *opus = self->feed->opus;
  g_autoptr(GstCaps) caps = NULL;
  GstBus *bus;
  guint n = G_N_ELEMENTS (elements);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    elements[i] = gst_element_factory_make (names[i], NULL);
  elements[n - 1] = make_sink (&sink_error);
  for (guint i = 0; i < n; i++)
    if (elements[i] == NULL)
      {
        g_set_error (error, FR_AUDIO_ERROR, FR_AUDIO_ERROR_MISSING_ELEMENT,
                     "GStreamer's %s is missing%s%s", i < n - 1 ? names[i] : "audio sink",
                     sink_error ? ": " : "", sink_error ? sink_error->message : "");
        for (guint j = 0; j < n; j++)
          if (elements[j] != NULL)
            gst_object_unref (gst_object_ref_sink (elements[j]));
        return FALSE;
      }

  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("fristad-voice"));
  for (guint i = 0; i < n; i++)
    gst_bin_add (GST_BIN (self->pipeline), elements[i]);
  for (guint i = 0; i + 1 < n; i++)
    if (!gst_element_link (elements[i], elements[i + 1]))
      {
        g_set_error (error, FR_AUDIO_ERROR, FR_AUDIO_ERROR_MISSING_ELEMENT,
                     "GStreamer cannot link %s to the next element", GST_OBJECT_NAME (elements[i]));
        g_clear_pointer (&self->pipeline, gst_object_unref);
        return FALSE;
      }

  caps = opus_caps (opus);
  g_object_set (elements[0], "format", GST_FORMAT_TIME, "stream-type", GST_APP_STREAM_TYPE_SEEKABLE,
                "caps", caps, NULL);
  gst_app_src_set_duration (GST_APP_SRC (elements[0]),
                            gst_util_uint64_scale (opus->total_samples - opus->end_trim - opus->pre_skip,
                                                   GST_SECOND, FR_OPUS_RATE));
  g_mutex_lock (&self->feed->lock);
  self->feed->cursor = 0;
  g_mutex_unlock (&self->feed->lock);
  gst_app_src_set_callbacks (GST_APP_SRC (elements[0]), &callbacks, feed_ref (self->feed), feed_unref);

  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus, self);
  gst_object_unref (bus);
  self->prerolled = FALSE;
  self->seeking = FALSE;
  self->pending_seek = FALSE;
  return TRUE;
}

static void
silence_ring_buffer (const GValue *value,
                     gpointer      data)
{
  GstElement *element = g_value_get_object (value);
  GstAudioRingBuffer *ring = NULL;

  if (!GST_IS_AUDIO_BASE_SINK (element))
    return;
  GST_OBJECT_LOCK (element);
  if (GST_AUDIO_BASE_SINK (element)->ringbuffer != NULL)
    ring = gst_object_ref (GST_AUDIO_BASE_SINK (element)->ringbuffer);
  GST_OBJECT_UNLOCK (element);
  if (ring != NULL)
    {
      gst_audio_ring_buffer_clear_all (ring);
      gst_object_unref (ring);
    }
}

/* Takes the pipeline down now: paused, the audio sink's ring buffer silenced, then NULL
 * and unreferenced, so every decoded buffer has been freed (and wiped) on return. */
static void
drop_pipeline (FrVoicePlayer *self)
{
  GstElement *pipeline = g_steal_pointer (&self->pipeline);
  GstIterator *it;
  GstBus *bus;
  GstState state = GST_STATE_NULL;

  self->prerolled = FALSE;
  self->seeking = FALSE;
  self->pending_seek = FALSE;
  if (pipeline == NULL)
    return;
  bus = gst_element_get_bus (pipeline);
  gst_bus_set_flushing (bus, TRUE);
  if (self->bus_watch != 0)
    {
      gst_bus_remove_watch (bus);
      self->bus_watch = 0;
    }
  gst_object_unref (bus);

  gst_element_get_state (pipeline, &state, NULL, 0);
  if (state == GST_STATE_PLAYING)
    {
      gst_element_set_state (pipeline, GST_STATE_PAUSED);
      gst_element_get_state (pipeline, NULL, NULL, TEARDOWN_WAIT);
    }
  it = gst_bin_iterate_recurse (GST_BIN (pipeline));
  gst_iterator_foreach (it, silence_ring_buffer, NULL);
  gst_iterator_free (it);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

static void
set_state (FrVoicePlayer      *self,
           FrVoicePlayerState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
}

static void
do_seek (FrVoicePlayer *self,
         guint64        position_ms)
{
  if (!gst_element_seek_simple (self->pipeline, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                                position_ms * GST_MSECOND))
    {
      g_warning ("the voice message could not seek");
      return;
    }
  self->seeking = TRUE;
  self->seek_ms = position_ms;
}

static gboolean
on_bus (GstBus     *bus,
        GstMessage *message,
        gpointer    data)
{
  g_autoptr(FrVoicePlayer) self = g_object_ref (data);   /* a handler may drop the last reference */

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      {
        gint64 position = -1;

        self->end_ms = gst_element_query_position (self->pipeline, GST_FORMAT_TIME, &position) && position >= 0
                       ? MIN ((guint64) position / GST_MSECOND, fr_voice_player_get_duration (self))
                       : fr_voice_player_get_duration (self);
        drop_pipeline (self);
        self->start_ms = 0;
        set_state (self, FR_VOICE_PLAYER_FINISHED);
      }
      break;
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;

        gst_message_parse_error (message, &error, NULL);
        g_clear_error (&self->error);
        self->error = g_error_new (FR_AUDIO_ERROR, FR_AUDIO_ERROR_PLAYBACK, "%s", error->message);
        drop_pipeline (self);
        self->start_ms = 0;
        set_state (self, FR_VOICE_PLAYER_FAILED);
      }
      break;
    case GST_MESSAGE_ASYNC_DONE:
      if (GST_MESSAGE_SRC (message) != GST_OBJECT (self->pipeline))
        break;
      self->prerolled = TRUE;
      self->seeking = FALSE;
      if (self->pending_seek)
        {
          self->pending_seek = FALSE;
          do_seek (self, self->pending_ms);
          if (self->state == FR_VOICE_PLAYER_PLAYING)
            gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
        }
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/* ---- the object ------------------------------------------------------------------- */

static void
fr_voice_player_dispose (GObject *object)
{
  FrVoicePlayer *self = FR_VOICE_PLAYER (object);

  drop_pipeline (self);
  g_clear_pointer (&self->feed, feed_unref);
  G_OBJECT_CLASS (fr_voice_player_parent_class)->dispose (object);
}

static void
fr_voice_player_finalize (GObject *object)
{
  FrVoicePlayer *self = FR_VOICE_PLAYER (object);

  g_clear_error (&self->error);
  G_OBJECT_CLASS (fr_voice_player_parent_class)->finalize (object);
}

static void
fr_voice_player_class_init (FrVoicePlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fr_voice_player_dispose;
  object_class->finalize = fr_voice_player_finalize;

  /**
   * FrVoicePlayer::state-changed:
   *
   * The state changed: fr_voice_player_get_state() says to what.
   */
  signals[SIGNAL_STATE_CHANGED] = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fr_voice_player_init (FrVoicePlayer *self)
{
  self->state = FR_VOICE_PLAYER_STOPPED;
}

FrVoicePlayer *
fr_voice_player_new (const guint8  *ogg,
                     gsize          len,
                     GError       **error)
{
  g_autoptr(FrOggOpus) opus = NULL;
  FrVoicePlayer *self;

  g_return_val_if_fail (ogg != NULL || len == 0, NULL);

  opus = fr_ogg_opus_read (ogg, len, error);
  if (opus == NULL)
    return NULL;
  /* GStreamer starts with the first voice message; from then on every buffer it
   * allocates is guarded memory. */
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  fr_secure_allocator_install ();

  self = g_object_new (FR_TYPE_VOICE_PLAYER, NULL);
  self->feed = g_atomic_rc_box_new0 (Feed);
  g_mutex_init (&self->feed->lock);
  self->feed->opus = g_steal_pointer (&opus);
  return self;
}

void
fr_voice_player_play (FrVoicePlayer *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (FR_IS_VOICE_PLAYER (self));

  switch (self->state)
    {
    case FR_VOICE_PLAYER_PLAYING:
      return;
    case FR_VOICE_PLAYER_PAUSED:
      gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
      set_state (self, FR_VOICE_PLAYER_PLAYING);
      return;
    case FR_VOICE_PLAYER_FINISHED:
    case FR_VOICE_PLAYER_FAILED:
    case FR_VOICE_PLAYER_STOPPED:
    default:
      break;
    }

  g_clear_error (&self->error);
  if (!build_pipeline (self, &error))
    {
      self->error = g_steal_pointer (&error);
      set_state (self, FR_VOICE_PLAYER_FAILED);
      return;
    }
  /* From a position: preroll, seek there, then play (on_bus), so nothing before it sounds. */
  if (self->start_ms > 0)
    {
      self->pending_seek = TRUE;
      self->pending_ms = self->start_ms;
      gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
    }
  else
    gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  set_state (self, FR_VOICE_PLAYER_PLAYING);
}

void
fr_voice_player_pause (FrVoicePlayer *self)
{
  g_return_if_fail (FR_IS_VOICE_PLAYER (self));

  if (self->state != FR_VOICE_PLAYER_PLAYING)
    return;
  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  set_state (self, FR_VOICE_PLAYER_PAUSED);
}

void
fr_voice_player_stop (FrVoicePlayer *self)
{
  g_return_if_fail (FR_IS_VOICE_PLAYER (self));

  drop_pipeline (self);
  self->start_ms = 0;
  set_state (self, FR_VOICE_PLAYER_STOPPED);
}

void
fr_voice_player_seek (FrVoicePlayer *self,
                      guint64        position_ms)
{
  g_return_if_fail (FR_IS_VOICE_PLAYER (self));

  position_ms = MIN (position_ms, fr_voice_player_get_duration (self));
  if (self->pipeline == NULL)
    {
      self->start_ms = position_ms;
      set_state (self, FR_VOICE_PLAYER_STOPPED);
    }
  else if (!self->prerolled)
    {
      self->pending_seek = TRUE;
      self->pending_ms = position_ms;
    }
  else
    do_seek (self, position_ms);
}

guint64
fr_voice_player_get_position (FrVoicePlayer *self)
{
  gint64 position = -1;

  g_return_val_if_fail (FR_IS_VOICE_PLAYER (self), 0);

  if (self->pipeline == NULL)
    return self->state == FR_VOICE_PLAYER_FINISHED ? self->end_ms : self->start_ms;
  if (self->pending_seek)
    return self->pending_ms;
  if (self->seeking)
    return self->seek_ms;
  if (!self->prerolled || !gst_element_query_position (self->pipeline, GST_FORMAT_TIME, &position) || position < 0)
    return self->start_ms;
  return MIN ((guint64) position / GST_MSECOND, fr_voice_player_get_duration (self));
}

guint64
fr_voice_player_get_duration (FrVoicePlayer *self)
{
  g_return_val_if_fail (FR_IS_VOICE_PLAYER (self), 0);
  return self->feed->opus->duration_ms;
}

FrVoicePlayerState
fr_voice_player_get_state (FrVoicePlayer *self)
{
  g_return_val_if_fail (FR_IS_VOICE_PLAYER (self), FR_VOICE_PLAYER_FAILED);
  return self->state;
}

const GError *
fr_voice_player_get_error (FrVoicePlayer *self)
{
  g_return_val_if_fail (FR_IS_VOICE_PLAYER (self), NULL);
  return self->error;
}

GstElement *
fr_voice_player_get_pipeline (FrVoicePlayer *self)
{
  g_return_val_if_fail (FR_IS_VOICE_PLAYER (self), NULL);
  return self->pipeline;
}
