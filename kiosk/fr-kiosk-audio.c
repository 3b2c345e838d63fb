/* fr-kiosk-audio.c — plays spoken clips from memory, one after another */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>

#include <gst/app/gstappsrc.h>

#include "fr-clips.h"
#include "fr-kiosk-audio.h"
#include "fr-kiosk-headphones.h"

#define PLAYBIN_FLAG_AUDIO (1 << 1)   /* GstPlayFlags: audio only, no video or subtitles */

typedef struct
{
  char  *path;
  int    mark;
  guint  pause_ms;
} Item;

struct _FrKioskAudio
{
  GObject     parent_instance;

  GQueue      queue;        /* Item */
  Item       *current;
  GBytes     *bytes;        /* the clip playing now */
  GstElement *pipeline;     /* playbin, NULL when stopped */
  guint       bus_watch;
  guint       pause_source;
  int         mark;
  gboolean    playing;
  double      volume;       /* playbin's, 1.0 unless quieter */
  FrKioskHeadphones *headphones;   /* set: plays only into headphones */
};

enum { SIGNAL_MARK, SIGNAL_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static char *test_sink;
static FrKioskAudioSinkHook test_sink_hook;
static gpointer test_sink_hook_data;

G_DEFINE_FINAL_TYPE (FrKioskAudio, fr_kiosk_audio, G_TYPE_OBJECT)

static void
item_free (Item *item)
{
  if (item == NULL)
    return;
  g_free (item->path);
  g_free (item);
}

void
fr_kiosk_audio_set_test_sink_hook (FrKioskAudioSinkHook hook,
                                   gpointer             data)
{
  test_sink_hook = hook;
  test_sink_hook_data = data;
}

void
fr_kiosk_audio_set_test_sink (const char *description)
{
  g_free (test_sink);
  test_sink = g_strdup (description);
}

/**
 * fr_kiosk_audio_make_sink:
 *
 * Returns: (transfer floating) (nullable): the audio sink a new pipeline plays into:
 * the tests' sink if one was set, else autoaudiosink.
 */
GstElement *
fr_kiosk_audio_make_sink (void)
{
  g_autoptr(GError) error = NULL;
  GstElement *sink;

  if (test_sink != NULL)
    {
      sink = gst_parse_bin_from_description (test_sink, TRUE, &error);
      if (sink != NULL && test_sink_hook != NULL)
        test_sink_hook (sink, test_sink_hook_data);
    }
  else
    sink = gst_element_factory_make ("autoaudiosink", NULL);
  if (sink == NULL)
    g_warning ("no audio sink: %s", error != NULL ? error->message : "autoaudiosink missing");
  return sink;
}

static void
set_null_and_unref (GstElement *element,
                    gpointer    user_data)
{
  gst_element_set_state (element, GST_STATE_NULL);
  gst_object_unref (element);   /* the reference fr_kiosk_audio_stop() handed over */
}

/* Drops the pipeline: to NULL on GStreamer's thread pool, never blocking the caller. */
static void
drop_pipeline (FrKioskAudio *self)
{
  GstElement *pipeline = g_steal_pointer (&self->pipeline);

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
on_source_setup (GstElement   *playbin,
                 GstElement   *source,
                 FrKioskAudio *self)
{
  if (!GST_IS_APP_SRC (source) || self->bytes == NULL)
    return;
  g_object_set (source, "format", GST_FORMAT_BYTES, "size", (gint64) g_bytes_get_size (self->bytes), NULL);
  gst_app_src_push_buffer (GST_APP_SRC (source), gst_buffer_new_wrapped_bytes (self->bytes));
  gst_app_src_end_of_stream (GST_APP_SRC (source));
}

static gboolean play_next (gpointer data);

static gboolean
on_bus (GstBus       *bus,
        GstMessage   *message,
        gpointer      data)
{
  FrKioskAudio *self = data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;

        gst_message_parse_error (message, &error, NULL);
        g_warning ("a clip did not play: %s", error->message);
      }
      G_GNUC_FALLTHROUGH;
    case GST_MESSAGE_EOS:
      if (self->pause_source == 0)
        {
          guint pause = self->current != NULL ? self->current->pause_ms : 0;

          gst_element_set_state (self->pipeline, GST_STATE_READY);
          if (pause > 0)
            self->pause_source = g_timeout_add (pause, play_next, self);
          else
            self->pause_source = g_idle_add (play_next, self);
        }
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
ensure_pipeline (FrKioskAudio *self)
{
  GstElement *sink;
  GstBus *bus;

  if (self->pipeline != NULL)
    return TRUE;
  /* GStreamer starts with the first clip: a kiosk nobody listens to never loads it. */
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  self->pipeline = gst_element_factory_make ("playbin", NULL);
  sink = self->headphones != NULL ? fr_kiosk_headphones_create_sink (self->headphones)
                                   : fr_kiosk_audio_make_sink ();
  if (self->pipeline == NULL || sink == NULL)
    {
      g_warning ("no audio pipeline");
      if (sink != NULL)
        gst_object_unref (gst_object_ref_sink (sink));
      g_clear_pointer (&self->pipeline, gst_object_unref);
      return FALSE;
    }
  gst_object_ref_sink (self->pipeline);
  g_object_set (self->pipeline, "audio-sink", sink, "flags", PLAYBIN_FLAG_AUDIO, "uri", "appsrc://",
                "volume", self->volume, NULL);
  g_signal_connect (self->pipeline, "source-setup", G_CALLBACK (on_source_setup), self);
  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus, self);
  gst_object_unref (bus);
  return TRUE;
}

static void
finish (FrKioskAudio *self)
{
  gboolean was_playing = self->playing;

  g_clear_handle_id (&self->pause_source, g_source_remove);
  g_clear_pointer (&self->current, item_free);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_queue_clear_full (&self->queue, (GDestroyNotify) item_free);
  drop_pipeline (self);
  self->playing = FALSE;
  self->mark = -1;
  if (was_playing)
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static gboolean
play_next (gpointer data)
{
  FrKioskAudio *self = data;

  self->pause_source = 0;
  for (;;)
    {
      g_autoptr(GError) error = NULL;

      g_clear_pointer (&self->current, item_free);
      g_clear_pointer (&self->bytes, g_bytes_unref);
      self->current = g_queue_pop_head (&self->queue);
      if (self->current == NULL)
        {
          finish (self);
          return G_SOURCE_REMOVE;
        }
      self->bytes = fr_clips_read (self->current->path, &error);
      if (self->bytes != NULL)
        break;
      g_warning ("%s", error->message);
    }
  if (!ensure_pipeline (self))
    {
      finish (self);
      return G_SOURCE_REMOVE;
    }
  if (self->current->mark != self->mark)
    {
      self->mark = self->current->mark;
      g_signal_emit (self, signals[SIGNAL_MARK], 0, self->mark);
      /* A handler may have stopped us. */
      if (!self->playing)
        return G_SOURCE_REMOVE;
    }
  gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  return G_SOURCE_REMOVE;
}

static void
fr_kiosk_audio_dispose (GObject *object)
{
  FrKioskAudio *self = FR_KIOSK_AUDIO (object);

  self->playing = FALSE;
  finish (self);
  g_clear_object (&self->headphones);
  G_OBJECT_CLASS (fr_kiosk_audio_parent_class)->dispose (object);
}

static void
fr_kiosk_audio_class_init (FrKioskAudioClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fr_kiosk_audio_dispose;
  signals[SIGNAL_MARK] = g_signal_new ("mark", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fr_kiosk_audio_init (FrKioskAudio *self)
{
  g_queue_init (&self->queue);
  self->mark = -1;
  self->volume = 1.0;
}

FrKioskAudio *
fr_kiosk_audio_new (void)
{
  return g_object_new (FR_TYPE_KIOSK_AUDIO, NULL);
}

void
fr_kiosk_audio_add (FrKioskAudio *self,
                    const char   *path,
                    int           mark,
                    guint         pause_after_ms)
{
  Item *item;

  g_return_if_fail (FR_IS_KIOSK_AUDIO (self));
  g_return_if_fail (path != NULL);

  item = g_new0 (Item, 1);
  item->path = g_strdup (path);
  item->mark = mark;
  item->pause_ms = pause_after_ms;
  g_queue_push_tail (&self->queue, item);
}

static char *
describe_item (const Item *item)
{
  g_autofree char *dir = g_path_get_dirname (item->path);
  g_autofree char *lang = g_path_get_basename (dir);
  g_autofree char *file = g_path_get_basename (item->path);
  char *dot = strrchr (file, '.');

  if (dot != NULL)
    *dot = '\0';
  return g_strdup_printf ("%s/%s %u", lang, file, item->pause_ms);
}

GPtrArray *
fr_kiosk_audio_dup_queue (FrKioskAudio *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (FR_IS_KIOSK_AUDIO (self), out);
  if (self->current != NULL)
    g_ptr_array_add (out, describe_item (self->current));
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    g_ptr_array_add (out, describe_item (l->data));
  return out;
}

void
fr_kiosk_audio_play (FrKioskAudio *self)
{
  g_return_if_fail (FR_IS_KIOSK_AUDIO (self));

  if (self->playing || g_queue_is_empty (&self->queue))
    return;
  self->playing = TRUE;
  self->mark = G_MININT;
  play_next (self);
}

/**
 * fr_kiosk_audio_stop:
 *
 * Stops at once: the queue is dropped and the pipeline set to NULL asynchronously.
 * ::finished is emitted if something was playing.
 */
void
fr_kiosk_audio_stop (FrKioskAudio *self)
{
  g_return_if_fail (FR_IS_KIOSK_AUDIO (self));
  finish (self);
}

gboolean
fr_kiosk_audio_is_playing (FrKioskAudio *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_AUDIO (self), FALSE);
  return self->playing;
}

int
fr_kiosk_audio_get_mark (FrKioskAudio *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_AUDIO (self), -1);
  return self->mark;
}

/* Quieter (0.0 to 1.0) from the next clip on. */
void
fr_kiosk_audio_set_volume (FrKioskAudio *self,
                           double        volume)
{
  g_return_if_fail (FR_IS_KIOSK_AUDIO (self));
  self->volume = CLAMP (volume, 0.0, 1.0);
}

/* Plays only into headphones (a pipeline without them plays nothing). */
void
fr_kiosk_audio_set_headphones (FrKioskAudio      *self,
                               FrKioskHeadphones *headphones)
{
  g_return_if_fail (FR_IS_KIOSK_AUDIO (self));
  g_set_object (&self->headphones, headphones);
}

GstElement *
fr_kiosk_audio_get_pipeline (FrKioskAudio *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_AUDIO (self), NULL);
  return self->pipeline;
}
