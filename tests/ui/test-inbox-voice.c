/* test-inbox-voice.c — the voice message in fristad-inbox's record view (issue 13, issue
 * 15), against a real queue on 127.0.0.1 fed by `fristad-kiosk --submit --attach voice=`
 * with a 3 s 440 Hz tone made in memory: the player shows only for the record with a
 * voice message, with accessible names; play reaches the end (3 s of a 440 Hz tone into a
 * fakesink); the bar follows, and moving it with the keys seeks; closing the record,
 * locking on demand and locking with the session (what the idle lock does) wipe the
 * player and every decoded buffer; nothing new appears in HOME, TMPDIR or the XDG dirs
 * while it plays. A screenshot of the record view with the player goes to
 * screens/inbox-voice.png in the build directory. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fr-inbox-application.h"
#include "fr-inbox-record-view.h"
#include "fr-inbox-unlock.h"
#include "fr-inbox-voice.h"
#include "fr-inbox-window.h"
#include "fr-secure-allocator.h"
#include "fr-test-tone.h"
#include "fr-test-util.h"
#include "queue-world.h"

#define PASSPHRASE   "inbox voice passphrase"
#define TONE_HZ      440.0
#define TONE_SECONDS 3.0

/* LeakSanitizer sees GLib's quark table block (GTK plus GStreamer's quarks grow it) only
 * with whole stacks: tests/ui/lsan.supp matches it by its constructor frame. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

#define run_kiosk(run, ...) fr_test_run_tool (run, "FRISTAD_KIOSK", __VA_ARGS__, NULL)
#define run_staff(run, ...) fr_test_run_tool (run, "FRISTAD_STAFF", __VA_ARGS__, NULL)

/* What the fakesink rendered, counted on the streaming thread. */
typedef struct
{
  GMutex          lock;
  FrTestToneCount tone;
  guint           insecure;
} Heard;

static struct
{
  char           *dir;
  QueueWorld      w;
  FrTestRoots     roots;
  char           *voice_id;
  char           *plain_id;
  FrInboxSession *session;
  FrInboxWindow  *window;
  Heard           heard;
} t;

/* ---- waiting, looking, screenshots ---- */

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0 && gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
screenshot (const char *name)
{
  GtkWidget *widget = GTK_WIDGET (t.window);
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                           "screens", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = 0, height = 0;

  g_mkdir_with_parents (dir, 0755);
  for (guint tries = 0; node == NULL && tries < 50; tries++)
    {
      fr_test_wait_ms (200);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (t.window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* ---- no new files ---- */

/* ---- the world: keys, a kiosk, a queue, a record with a voice message and one without ---- */

static void
world_setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) tone = NULL;
  g_autofree char *config = NULL, *config_dir = NULL, *conf = NULL, *inbox_conf = NULL;
  g_autofree char *with = NULL, *without = NULL;

  queue_world_init (&t.w, t.dir, PASSPHRASE);
  config = queue_world_add_kiosk (&t.w, "kiosk-1", TRUE);
  tone = fr_test_tone_ogg (TONE_HZ, TONE_SECONDS);
  with = queue_world_submit_bytes (&t.w, config, "{\"channel\":\"kiosk\",\"language\":\"sv\",\"answers\":{\"needs\":[\"shelter\"],"
                                                       "\"contact_method\":\"phone\",\"phone\":\"+46700000002\"},"
                                                       "\"consent\":{\"share\":true,\"text_version\":\"consent-1\"}}", tone);
  without = queue_world_submit (&t.w, config, "{\"channel\":\"kiosk\",\"language\":\"sv\",\"answers\":{\"needs\":[\"work\"]},"
                                                 "\"consent\":{\"share\":true,\"text_version\":\"consent-1\"}}", NULL);
  /* "ID RECEIPT": the IDs. */
  t.voice_id = g_strndup (with, strcspn (with, " "));
  t.plain_id = g_strndup (without, strcspn (without, " "));

  /* The app's settings: this queue, this inbox, this key (XDG_CONFIG_HOME/fristad/inbox.conf). */
  config_dir = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "fristad", NULL);
  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  inbox_conf = g_build_filename (config_dir, "inbox.conf", NULL);
  conf = g_strdup_printf ("[inbox]\ninbox=%s\nserver=%s\n", t.w.inbox, t.w.queue->base_url);
  g_assert_true (g_file_set_contents (inbox_conf, conf, -1, &error));

  t.session = fr_inbox_session_new ();
  t.window = fr_inbox_window_new (NULL, t.session);
  gtk_window_present (GTK_WINDOW (t.window));
}

static void
world_teardown (void)
{
  if (t.window != NULL)
    gtk_window_destroy (GTK_WINDOW (t.window));
  g_clear_object (&t.session);
  queue_world_clear (&t.w);
  fr_test_roots_clear (&t.roots);
  g_free (t.dir);
  g_free (t.voice_id);
  g_free (t.plain_id);
  g_mutex_clear (&t.heard.lock);
}

/* ---- helpers ---- */

static gboolean
unlock_answered (gpointer data)
{
  return !fr_inbox_unlock_is_busy (FR_INBOX_UNLOCK (fr_inbox_window_get_unlock (t.window)));
}

static gboolean
fetch_done (gpointer data)
{
  return !fr_inbox_window_is_fetching (t.window);
}

static void
unlock (void)
{
  GtkWidget *widget = fr_inbox_window_get_unlock (t.window);
  GtkWidget *entry = find_named (widget, "passphrase");

  g_assert_nonnull (entry);
  if (fr_inbox_session_get_key_path (t.session) == NULL)
    g_assert_true (fr_inbox_unlock_use_key_file (FR_INBOX_UNLOCK (widget), t.w.key));   /* what the file chooser does */
  gtk_editable_set_text (GTK_EDITABLE (entry), PASSPHRASE);
  g_assert_true (gtk_widget_activate_action (widget, "unlock.unlock", NULL));
  g_assert_true (fr_test_wait_until (unlock_answered, NULL, 60000, 20));
  g_assert_false (fr_inbox_session_get_locked (t.session));
}

static FrInboxVoice *
voice_widget (void)
{
  return fr_inbox_record_view_get_voice (FR_INBOX_RECORD_VIEW (fr_inbox_window_get_record_view (t.window)));
}

static FrVoicePlayer *
player (void)
{
  FrInboxVoice *voice = voice_widget ();

  g_assert_nonnull (voice);
  return fr_inbox_voice_get_player (voice);
}

static gboolean
player_in_state (gpointer data)
{
  return fr_voice_player_get_state (player ()) == GPOINTER_TO_UINT (data);
}

static gboolean
player_past (gpointer data)
{
  return fr_voice_player_get_position (player ()) >= GPOINTER_TO_UINT (data);
}

static void
assert_accessible_label (GtkWidget  *widget,
                         const char *label)
{
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (widget), ==, label);
}

static void
on_handoff (GstElement *sink,
            GstBuffer  *buffer,
            GstPad     *pad,
            gpointer    data)
{
  Heard *heard = data;
  GstMapInfo map;

  g_mutex_lock (&heard->lock);
  for (guint i = 0; i < gst_buffer_n_memory (buffer); i++)
    if (!fr_secure_memory_is_secure (gst_buffer_peek_memory (buffer, i)))
      heard->insecure++;
  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  fr_test_tone_count (&heard->tone, (const gint16 *) map.data, map.size / 2, 1);
  gst_buffer_unmap (buffer, &map);
  g_mutex_unlock (&heard->lock);
}

/* Listens to the fakesink of the pipeline playing now. */
static void
listen (void)
{
  GstElement *pipeline = fr_voice_player_get_pipeline (player ());
  g_autoptr(GstElement) sink = NULL;

  g_assert_nonnull (pipeline);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "testsink");
  g_assert_nonnull (sink);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), &t.heard);
  g_mutex_lock (&t.heard.lock);
  memset (&t.heard.tone, 0, sizeof t.heard.tone);
  t.heard.insecure = 0;
  g_mutex_unlock (&t.heard.lock);
}

static gboolean
player_not_in_state (gpointer data)
{
  return !player_in_state (data);
}

/* Space or Enter on the button: GtkButton shows itself pressed a moment, then clicks. */
static void
press_play_pause (void)
{
  GtkWidget *button = find_named (GTK_WIDGET (voice_widget ()), "voice-play");
  FrVoicePlayerState before = fr_voice_player_get_state (player ());

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (fr_test_wait_until (player_not_in_state, GUINT_TO_POINTER (before), 5000, 20));
}

/* ---- steps ---- */

static void
test_only_with_voice (void)
{
  GtkWidget *view = fr_inbox_window_get_record_view (t.window);
  GtkWidget *button, *scale, *time;

  unlock ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t.window), "win.fetch", NULL));
  g_assert_true (fr_test_wait_until (fetch_done, NULL, 60000, 20));
  g_assert_cmpuint (g_list_model_get_n_items (fr_inbox_window_get_shown (t.window)), ==, 2);

  /* No voice message: no player. */
  g_assert_true (fr_inbox_window_open_record (t.window, t.plain_id));
  g_assert_null (voice_widget ());
  g_assert_null (find_named (view, "voice-play"));
  g_assert_null (find_named (view, "voice-position"));

  /* With one: the button, the bar and the times, each with its accessible name. */
  g_assert_true (fr_inbox_window_open_record (t.window, t.voice_id));
  g_assert_nonnull (voice_widget ());
  fr_test_wait_ms (100);
  button = find_named (view, "voice-play");
  scale = find_named (view, "voice-position");
  time = find_named (view, "voice-time");
  g_assert_nonnull (button);
  g_assert_nonnull (scale);
  g_assert_nonnull (time);
  assert_accessible_label (button, "Play the voice message");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Position in the voice message");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, "0:00 of 0:03");
  g_assert_true (gtk_widget_get_focusable (button) || gtk_widget_get_focusable (gtk_widget_get_first_child (button)));
  g_assert_true (gtk_widget_get_focusable (scale));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (time)), ==, "0:00 / 0:03");
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_range_get_adjustment (GTK_RANGE (scale))), ==, 3000);
  g_assert_cmpuint (fr_voice_player_get_state (player ()), ==, FR_VOICE_PLAYER_STOPPED);
  /* Nothing decoded until it is played. */
  g_assert_null (fr_voice_player_get_pipeline (player ()));
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), ==, 0);
}

static void
test_plays_to_the_end (void)
{
  GtkWidget *view = fr_inbox_window_get_record_view (t.window);
  GtkWidget *scale = find_named (view, "voice-position");
  GtkWidget *time = find_named (view, "voice-time");
  g_autoptr(GPtrArray) before = fr_test_roots_snapshot (&t.roots, NULL);
  double seconds, hz;

  press_play_pause ();
  g_assert_cmpuint (fr_voice_player_get_state (player ()), ==, FR_VOICE_PLAYER_PLAYING);
  assert_accessible_label (find_named (view, "voice-play"), "Pause the voice message");
  listen ();
  /* While it plays (three seconds, in real time), look for new files again and again. */
  for (guint looks = 0; !player_in_state (GUINT_TO_POINTER (FR_VOICE_PLAYER_FINISHED)); looks++)
    {
      g_assert_cmpuint (looks, <, 1200);   /* a minute */
      fr_test_wait_ms (50);
      fr_test_roots_assert_no_new_file (&t.roots, before, NULL, "while playing");
    }
  fr_test_roots_assert_no_new_file (&t.roots, before, NULL, "after playing");

  g_mutex_lock (&t.heard.lock);
  seconds = fr_test_tone_seconds (&t.heard.tone);
  hz = fr_test_tone_hz (&t.heard.tone);
  g_assert_cmpuint (t.heard.insecure, ==, 0);
  g_mutex_unlock (&t.heard.lock);
  g_test_message ("the inbox played %.3f s at %.1f Hz", seconds, hz);
  g_assert_cmpfloat (seconds, >, TONE_SECONDS * 0.95);
  g_assert_cmpfloat (seconds, <, TONE_SECONDS * 1.05);
  g_assert_cmpfloat (hz, >, TONE_HZ * 0.95);
  g_assert_cmpfloat (hz, <, TONE_HZ * 1.05);
  /* At the end: the bar full, the time says so, the button offers to play again, and
   * nothing decoded is left. */
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (scale)), >=, 2900);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (time)), ==, "0:03 / 0:03");
  assert_accessible_label (find_named (view, "voice-play"), "Play the voice message");
  g_assert_null (fr_voice_player_get_pipeline (player ()));
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), ==, 0);
}

static void
test_keys_seek (void)
{
  GtkWidget *view = fr_inbox_window_get_record_view (t.window);
  GtkWidget *scale = find_named (view, "voice-position");
  GtkWidget *time = find_named (view, "voice-time");
  guint64 at;
  double shown;

  /* Home, then Page Down (forward five seconds, so to the end of three), then back:
   * what the keys on the focused bar do (GtkRange's move-slider bindings). */
  gtk_widget_grab_focus (scale);
  g_signal_emit_by_name (scale, "move-slider", GTK_SCROLL_START);
  g_assert_cmpuint (fr_voice_player_get_position (player ()), ==, 0);
  g_signal_emit_by_name (scale, "move-slider", GTK_SCROLL_STEP_FORWARD);   /* → */
  g_assert_cmpuint (fr_voice_player_get_position (player ()), ==, 1000);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (time)), ==, "0:01 / 0:03");
  g_assert_cmpuint (fr_voice_player_get_state (player ()), ==, FR_VOICE_PLAYER_STOPPED);   /* nothing decoded yet */
  g_assert_null (fr_voice_player_get_pipeline (player ()));

  /* Play from there, pause, and seek while paused: the position moves and stays. */
  press_play_pause ();
  listen ();
  g_assert_true (fr_test_wait_until (player_past, GUINT_TO_POINTER (1300), 30000, 20));
  press_play_pause ();
  g_assert_true (player_in_state (GUINT_TO_POINTER (FR_VOICE_PLAYER_PAUSED)));
  g_assert_cmpuint (fr_voice_player_get_position (player ()), >=, 1300);
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), >, 0);   /* paused: still decoded */
  shown = gtk_range_get_value (GTK_RANGE (scale));
  g_assert_cmpfloat (shown, >=, 1300);
  g_signal_emit_by_name (scale, "move-slider", GTK_SCROLL_STEP_BACKWARD);   /* ← */
  at = (guint64) shown - 1000;
  g_assert_cmpuint (fr_voice_player_get_position (player ()), ==, at);
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (scale)), ==, (double) at);
  fr_test_wait_ms (300);
  /* The seek done, paused there. */
  g_assert_cmpuint (fr_voice_player_get_position (player ()), >=, at - 20);
  g_assert_cmpuint (fr_voice_player_get_position (player ()), <=, at + 20);
  g_assert_true (player_in_state (GUINT_TO_POINTER (FR_VOICE_PLAYER_PAUSED)));
  screenshot ("inbox-voice");
  g_signal_emit_by_name (scale, "move-slider", GTK_SCROLL_END);
  g_assert_cmpuint (fr_voice_player_get_position (player ()), ==, 3000);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (time)), ==, "0:03 / 0:03");
  /* And back to the start, paused. */
  g_signal_emit_by_name (scale, "move-slider", GTK_SCROLL_START);
  g_assert_cmpuint (fr_voice_player_get_position (player ()), ==, 0);
}

/* Opening another record closes this one: the player and what it decoded are gone. */
static void
test_close_wipes (void)
{
  FrVoicePlayer *weak;

  press_play_pause ();   /* from the start, where the keys left it */
  g_assert_true (fr_test_wait_until (player_past, GUINT_TO_POINTER (300), 30000, 20));
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), >, 0);
  weak = player ();
  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  g_assert_true (fr_inbox_window_open_record (t.window, t.plain_id));
  g_assert_null (voice_widget ());
  g_assert_null (weak);
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), ==, 0);
}

static void
lock_while_playing (void (*lock) (void))
{
  FrVoicePlayer *weak;

  g_assert_true (fr_inbox_window_open_record (t.window, t.voice_id));
  press_play_pause ();
  g_assert_true (fr_test_wait_until (player_past, GUINT_TO_POINTER (300), 30000, 20));
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), >, 0);
  weak = player ();
  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);

  lock ();
  g_assert_true (fr_inbox_session_get_locked (t.session));
  g_assert_cmpstr (fr_inbox_window_get_page (t.window), ==, "locked");
  g_assert_null (voice_widget ());
  g_assert_null (weak);
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), ==, 0);
  unlock ();
}

static void
lock_on_demand (void)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t.window), "win.lock", NULL));
}

/* What the idle timer and the desktop's screen lock do: lock the session. */
static void
lock_session (void)
{
  fr_inbox_session_lock (t.session);
}

static void
test_lock_wipes (void)
{
  lock_while_playing (lock_on_demand);
}

static void
test_session_lock_wipes (void)
{
  lock_while_playing (lock_session);
}

/* Closing the window while it plays: nothing decoded is left either. */
static void
test_window_close_wipes (void)
{
  g_assert_true (fr_inbox_window_open_record (t.window, t.voice_id));
  press_play_pause ();
  g_assert_true (fr_test_wait_until (player_past, GUINT_TO_POINTER (300), 30000, 20));
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), >, 0);
  gtk_window_destroy (GTK_WINDOW (t.window));
  t.window = NULL;
  g_assert_cmpuint (fr_secure_allocator_live_blocks (), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* Every place the app could write, fresh and empty; GLib reads these once: first. */
  t.dir = queue_tmpdir ();
  fr_test_roots_init (&t.roots, t.dir);
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  g_mutex_init (&t.heard.lock);
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());
  gtk_init ();
  adw_init ();
  fr_inbox_ui_init ();
  /* Tests only: a fakesink in real time, whose handoffs say what was played. */
  fr_voice_player_set_test_sink ("fakesink name=testsink sync=true signal-handoffs=true");
  world_setup ();   /* GStreamer starts here (the tone): its registry cache is written before any snapshot */

  g_test_add_func ("/inbox-voice/only-with-voice", test_only_with_voice);
  g_test_add_func ("/inbox-voice/plays-to-the-end", test_plays_to_the_end);
  g_test_add_func ("/inbox-voice/keys-seek", test_keys_seek);
  g_test_add_func ("/inbox-voice/close-wipes", test_close_wipes);
  g_test_add_func ("/inbox-voice/lock-wipes", test_lock_wipes);
  g_test_add_func ("/inbox-voice/session-lock-wipes", test_session_lock_wipes);
  g_test_add_func ("/inbox-voice/window-close-wipes", test_window_close_wipes);
  status = g_test_run ();
  world_teardown ();
  return status;
}
