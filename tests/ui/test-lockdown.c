/* test-lockdown.c — no inspector, no closing, no clipboard, no context menu, no emoji */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-question.h"
#include "fr-test-util.h"
#include "kiosk-fixture.h"

static void
test_environment_scrubbed (void)
{
  /* main() set these before kiosk_test_init(); the scrub removed all but the allow-list. */
  g_assert_null (g_getenv ("GTK_DEBUG"));
  g_assert_null (g_getenv ("GTK_MODULES"));
  g_assert_null (g_getenv ("LD_PRELOAD"));
  g_assert_cmpstr (g_getenv ("GDK_BACKEND"), ==, "x11");
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
  /* GDK_DEBUG=events is gone; the one flag left is the kiosk's own. */
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "gl-disable");
  /* GStreamer writes nothing and loads nothing from elsewhere; ORC compiles nothing. */
  g_assert_null (g_getenv ("GST_DEBUG_DUMP_DOT_DIR"));
  g_assert_null (g_getenv ("GST_PLUGIN_PATH"));
  g_assert_cmpstr (g_getenv ("ORC_CODE"), ==, "backup");
}

/* Drawn in software, the kiosk never loads an OpenGL driver (Mesa's maps libLLVM). */
static void
test_no_gl (void)
{
  KioskFixture *fixture = kiosk_fixture_new (FALSE);

  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_wait (200);
  g_assert_false (fr_test_proc_maps_contain (0, "libGL"));
  g_assert_false (fr_test_proc_maps_contain (0, "libEGL"));
  g_assert_false (fr_test_proc_maps_contain (0, "_dri.so"));
  g_assert_false (fr_test_proc_maps_contain (0, "libLLVM"));
  kiosk_fixture_free (fixture);
}

/* The scrub keeps a GPU renderer a deployer chose and then leaves OpenGL alone. Checked
 * on the scrub itself, in this process: starting GTK with GSK_RENDERER=ngl would load
 * Mesa's DRI driver only to test an environment decision, and that driver leaks a few
 * bytes from a module it unloads before LeakSanitizer reports (the ASan run aborted on
 * "Direct leak … (<unknown module>)", none of it ours). */
static void
test_gpu_renderer_kept (void)
{
  g_autofree char *renderer = g_strdup (g_getenv ("GSK_RENDERER"));
  g_autofree char *debug = g_strdup (g_getenv ("GDK_DEBUG"));

  g_setenv ("GSK_RENDERER", "ngl", TRUE);
  g_setenv ("GDK_DEBUG", "interactive", TRUE);
  fr_kiosk_lockdown_scrub_environment ();
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "ngl");
  g_assert_null (g_getenv ("GDK_DEBUG"));

  /* And the default stays software, with OpenGL off. */
  g_unsetenv ("GSK_RENDERER");
  fr_kiosk_lockdown_scrub_environment ();
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "gl-disable");

  g_setenv ("GSK_RENDERER", renderer ? renderer : "cairo", TRUE);
  if (debug != NULL)
    g_setenv ("GDK_DEBUG", debug, TRUE);
  else
    g_unsetenv ("GDK_DEBUG");
}

static gboolean
count_after (GtkWindow *window,
             gboolean   toggle,
             gpointer   data)
{
  (*(guint *) data)++;
  return FALSE;
}

static void
test_no_inspector (void)
{
  KioskFixture *fixture = kiosk_fixture_new (FALSE);
  GListModel *toplevels;   /* owned by GTK */
  gboolean handled = FALSE;
  guint after = 0;

  kiosk_wait (200);
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      g_test_message ("toplevel %u: %s", i, G_OBJECT_TYPE_NAME (w));
    }
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, 1);

  /* Ctrl+Shift+I / Ctrl+Shift+D go through ::enable-debugging: refused, and the emission
   * stopped before GtkWindow's own handler (which opens the inspector where GTK's setting
   * allows it), seen here as a handler connected after it that never runs. */
  g_signal_connect_after (fixture->window, "enable-debugging", G_CALLBACK (count_after), &after);
  g_signal_emit_by_name (fixture->window, "enable-debugging", TRUE, &handled);
  g_assert_true (handled);
  g_signal_emit_by_name (fixture->window, "enable-debugging", FALSE, &handled);
  kiosk_wait (100);
  g_assert_cmpuint (after, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, 1);
  kiosk_fixture_free (fixture);
}

static void
test_close_refused (void)
{
  KioskFixture *fixture = kiosk_fixture_new (FALSE);
  gpointer window = fixture->window;

  g_object_add_weak_pointer (window, &window);
  gtk_window_close (GTK_WINDOW (fixture->window));
  kiosk_wait (50);
  g_assert_nonnull (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
  g_assert_false (gtk_window_get_deletable (GTK_WINDOW (fixture->window)));
  g_assert_false (gtk_window_get_decorated (GTK_WINDOW (fixture->window)));
  g_object_remove_weak_pointer (window, &window);
  kiosk_fixture_free (fixture);
}

static void
test_windowed_may_close (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  gpointer window = g_object_ref (fixture->window);

  gtk_window_close (GTK_WINDOW (fixture->window));
  kiosk_wait (50);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  kiosk_fixture_free (fixture);
  g_object_unref (window);
}

static GtkWidget *
text_widget_on_screen (KioskFixture *fixture,
                       int           kind)
{
  GtkWidget *page;

  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  g_assert_true (kiosk_wizard_go_to_kind (fixture, kind, "x"));
  page = fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture));
  return fr_kiosk_question_get_input (FR_KIOSK_QUESTION (page));
}

/* Whether a context menu or the emoji chooser (both popovers) is on screen. */
static gboolean
popover_shown (GtkWidget *root)
{
  if (GTK_IS_POPOVER (root) && gtk_widget_get_visible (root))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    if (popover_shown (child))
      return TRUE;
  return FALSE;
}

static void
check_no_clipboard (GtkWidget *text)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (text);
  GdkContentProvider *before;

  gdk_clipboard_set_text (clipboard, "from-outside");
  before = gdk_clipboard_get_content (clipboard);
  g_assert_nonnull (before);

  /* Paste: the text stays empty. */
  g_signal_emit_by_name (text, "paste-clipboard");
  gtk_widget_activate_action (text, "clipboard.paste", NULL);
  kiosk_wait (50);
  if (GTK_IS_EDITABLE (text))
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (text)), ==, "");
  else
    g_assert_cmpint (gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text))), ==, 0);

  /* Copy and cut: the clipboard keeps what it had. */
  if (GTK_IS_EDITABLE (text))
    {
      gtk_editable_set_text (GTK_EDITABLE (text), "typed-secret");
      gtk_editable_select_region (GTK_EDITABLE (text), 0, -1);
    }
  else
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text));
      GtkTextIter start, end;

      gtk_text_buffer_set_text (buffer, "typed-secret", -1);
      gtk_text_buffer_get_bounds (buffer, &start, &end);
      gtk_text_buffer_select_range (buffer, &start, &end);
    }
  g_signal_emit_by_name (text, "copy-clipboard");
  g_signal_emit_by_name (text, "cut-clipboard");
  gtk_widget_activate_action (text, "clipboard.copy", NULL);
  gtk_widget_activate_action (text, "clipboard.cut", NULL);
  kiosk_wait (50);
  g_assert_true (gdk_clipboard_get_content (clipboard) == before);

  /* No context menu, no emoji chooser. */
  gtk_widget_activate_action (text, "menu.popup", NULL);
  gtk_widget_activate_action (text, "misc.insert-emoji", NULL);
  kiosk_wait (100);
  g_assert_false (popover_shown (text));
  if (GTK_IS_TEXT (text))
    {
      g_assert_true (gtk_text_get_input_hints (GTK_TEXT (text)) & GTK_INPUT_HINT_NO_EMOJI);
      g_assert_null (gtk_text_get_extra_menu (GTK_TEXT (text)));
      g_assert_false (gtk_editable_get_enable_undo (GTK_EDITABLE (text)));
    }
  else
    {
      g_assert_true (gtk_text_view_get_input_hints (GTK_TEXT_VIEW (text)) & GTK_INPUT_HINT_NO_EMOJI);
      g_assert_null (gtk_text_view_get_extra_menu (GTK_TEXT_VIEW (text)));
      g_assert_false (gtk_text_buffer_get_enable_undo (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text))));
    }
}

static void
test_short_text_locked (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);

  check_no_clipboard (text_widget_on_screen (fixture, FR_QUESTION_SHORT_TEXT));
  kiosk_fixture_free (fixture);
}

static void
test_long_text_locked (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);

  check_no_clipboard (text_widget_on_screen (fixture, FR_QUESTION_LONG_TEXT));
  kiosk_fixture_free (fixture);
}

static gboolean
no_markup (GtkWidget *root)
{
  /* GTK's tooltip window shows gtk_widget_set_tooltip_text() text, escaped. */
  if (g_str_equal (G_OBJECT_TYPE_NAME (root), "GtkTooltipWindow"))
    return TRUE;
  if (GTK_IS_LABEL (root) && (gtk_label_get_use_markup (GTK_LABEL (root)) || gtk_label_get_selectable (GTK_LABEL (root))))
    {
      g_test_message ("label with markup or selectable: \"%s\" in a %s", gtk_label_get_text (GTK_LABEL (root)),
                      G_OBJECT_TYPE_NAME (gtk_widget_get_parent (root)));
      return FALSE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    if (!no_markup (child))
      return FALSE;
  return TRUE;
}

static void
test_labels_plain (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);

  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_activate (fixture, NULL, "kiosk.topic", "rights");
  /* Labels without markup cannot hold links that start other programs. */
  g_assert_true (no_markup (GTK_WIDGET (fixture->window)));
  kiosk_fixture_free (fixture);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static guint
overlay_scrolling_handler (gpointer scrolled)
{
  /* Compares the data pointer only: safe for a widget already finalized. */
  return g_signal_handler_find (gtk_settings_get_default (),
                                G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DETAIL | G_SIGNAL_MATCH_DATA,
                                g_signal_lookup ("notify", G_TYPE_OBJECT),
                                g_quark_from_static_string ("gtk-overlay-scrolling"), NULL, NULL, scrolled);
}

/* A screen that scrolls, shown and then left: GTK 4.8's scrolled window leaves a handler on
 * the display's GtkSettings (pointing at the freed widget) unless the kiosk drops it. */
static void
test_no_settings_handler_left (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  gpointer scrolled, weak;

  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_activate (fixture, NULL, "kiosk.topic", "rights");
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  scrolled = kiosk_find_descendant (fr_kiosk_window_get_screen (fixture->window), GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (scrolled);
  g_assert_true (gtk_widget_get_realized (scrolled));
  /* GTK's handler is there while it is realized: the check can fail. */
  g_assert_cmpuint (overlay_scrolling_handler (scrolled), !=, 0);
  weak = scrolled;
  g_object_add_weak_pointer (weak, &weak);

  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_true (kiosk_wait_until (is_null, &weak, 5000));
  g_assert_cmpuint (overlay_scrolling_handler (scrolled), ==, 0);
  kiosk_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  /* What an attacker (or a careless maintainer) could leave in the kiosk's environment. */
  g_setenv ("GTK_DEBUG", "interactive", TRUE);
  g_setenv ("GTK_MODULES", "nonexistent-module", TRUE);
  g_setenv ("GDK_DEBUG", "events", TRUE);
  g_setenv ("GST_DEBUG_DUMP_DOT_DIR", "/tmp", TRUE);
  g_setenv ("GST_PLUGIN_PATH", "/tmp", TRUE);
  kiosk_test_init (&argc, &argv);

  g_test_add_func ("/kiosk/lockdown/environment", test_environment_scrubbed);
  g_test_add_func ("/kiosk/lockdown/no-gl", test_no_gl);
  g_test_add_func ("/kiosk/lockdown/gpu-renderer-kept", test_gpu_renderer_kept);
  g_test_add_func ("/kiosk/lockdown/no-inspector", test_no_inspector);
  g_test_add_func ("/kiosk/lockdown/close-refused", test_close_refused);
  g_test_add_func ("/kiosk/lockdown/windowed-may-close", test_windowed_may_close);
  g_test_add_func ("/kiosk/lockdown/short-text", test_short_text_locked);
  g_test_add_func ("/kiosk/lockdown/long-text", test_long_text_locked);
  g_test_add_func ("/kiosk/lockdown/labels", test_labels_plain);
  g_test_add_func ("/kiosk/lockdown/no-settings-handler-left", test_no_settings_handler_left);
  return g_test_run ();
}
