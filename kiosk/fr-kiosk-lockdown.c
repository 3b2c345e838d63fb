/* fr-kiosk-lockdown.c — the kiosk's escape routes, closed */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>

#include "fr-kiosk-keyboard.h"
#include "fr-kiosk-lockdown.h"

/* What the kiosk keeps of GTK_*, GDK_* and GSK_*: the backend and renderer choices
 * (tests and the cage session set them) and the accessibility backend. */
static const char * const allowed_variables[] = {
  "GDK_BACKEND",
  "GSK_RENDERER",
  "GTK_A11Y",
  NULL
};

/**
 * fr_kiosk_lockdown_scrub_environment:
 *
 * Call before gtk_init(): removes GTK_DEBUG (GTK_DEBUG=interactive opens the inspector),
 * GTK_MODULES, GTK_THEME, GTK_IM_MODULE, GDK_DEBUG, GSK_DEBUG and every other GTK_*,
 * GDK_* and GSK_* variable except the allow-list, and LD_PRELOAD.
 *
 * GStreamer (the voice message, read-aloud) gets nothing that writes a file or loads
 * foreign code: GST_DEBUG_FILE, GST_DEBUG_DUMP_DOT_DIR, GST_TRACERS and the plugin paths
 * are removed, and ORC_CODE=backup makes ORC run its plain C code instead of compiling
 * at run time — ORC puts its compiled code in a file in XDG_RUNTIME_DIR, HOME or /tmp
 * when it cannot map it anonymously (seen under AddressSanitizer).
 *
 * Then chooses the renderer: software (cairo) unless the deployer set GSK_RENDERER to a
 * GPU renderer. With cairo, OpenGL is never initialised (GDK_DEBUG=gl-disable, the one
 * value the kiosk sets itself): on X11, GTK 4.8 otherwise loads the GL driver at start
 * just to pick a visual, and with Mesa that maps libLLVM, about 55 MiB of the kiosk's
 * 100 MiB, for screens of text and buttons that cairo draws as well.
 */
static const char *const gst_removed[] = {
  "GST_DEBUG_FILE", "GST_DEBUG_DUMP_DOT_DIR", "GST_TRACERS", "GST_PLUGIN_PATH",
  "GST_PLUGIN_PATH_1_0", "GST_PLUGIN_SYSTEM_PATH", "GST_PLUGIN_SYSTEM_PATH_1_0", NULL
};

void
fr_kiosk_lockdown_scrub_environment (void)
{
  g_auto(GStrv) names = g_listenv ();

  for (guint i = 0; names[i]; i++)
    {
      const char *name = names[i];

      if (g_str_equal (name, "LD_PRELOAD") || g_str_equal (name, "GTK_MODULES")
          || g_str_equal (name, "GTK_PATH") || g_str_equal (name, "GTK_EXE_PREFIX"))
        {
          g_unsetenv (name);
          continue;
        }
      if ((g_str_has_prefix (name, "GTK_") || g_str_has_prefix (name, "GDK_") || g_str_has_prefix (name, "GSK_"))
          && !g_strv_contains (allowed_variables, name))
        g_unsetenv (name);
    }

  for (guint i = 0; gst_removed[i]; i++)
    g_unsetenv (gst_removed[i]);
  g_setenv ("ORC_CODE", "backup", TRUE);

  if (g_getenv ("GSK_RENDERER") == NULL || g_str_equal (g_getenv ("GSK_RENDERER"), "cairo"))
    {
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
    }
}

/* GTK 4.8's GtkScrolledWindow connects to GtkSettings' notify::gtk-overlay-scrolling when
 * it is realized and never disconnects: every screen with a scroller left a handler behind
 * on the display's settings, pointing at the freed widget — about 0.3 KiB a session, a
 * handler list that grows for months, and a use after free should that setting ever change.
 * Any widget being unrealized that is a scrolled window drops it here (realizing again
 * connects it again). */
static gboolean
on_unrealize_hook (GSignalInvocationHint *hint,
                   guint                  n_params,
                   const GValue          *params,
                   gpointer               data)
{
  GObject *widget = g_value_get_object (&params[0]);

  if (GTK_IS_SCROLLED_WINDOW (widget))
    g_signal_handlers_disconnect_matched (gtk_widget_get_settings (GTK_WIDGET (widget)),
                                          G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DETAIL | G_SIGNAL_MATCH_DATA,
                                          g_signal_lookup ("notify", G_TYPE_OBJECT),
                                          g_quark_from_static_string ("gtk-overlay-scrolling"), NULL, NULL, widget);
  return TRUE;
}

/**
 * fr_kiosk_lockdown_settings:
 *
 * Call after gtk_init(): no inspector, no primary-selection paste, no drag-and-drop
 * between text widgets; and no settings handler left behind by a scrolled window.
 */
void
fr_kiosk_lockdown_settings (void)
{
  GtkSettings *settings = gtk_settings_get_default ();
  static gsize hooked;

  if (g_once_init_enter (&hooked))
    {
      /* The signal exists once the class does (it is kept for the program's life). */
      g_type_class_ref (GTK_TYPE_WIDGET);
      g_signal_add_emission_hook (g_signal_lookup ("unrealize", GTK_TYPE_WIDGET), 0, on_unrealize_hook, NULL, NULL);
      g_once_init_leave (&hooked, 1);
    }
  gtk_window_set_interactive_debugging (FALSE);
  if (settings != NULL)
    g_object_set (settings,
                  "gtk-enable-primary-paste", FALSE,
                  "gtk-entry-select-on-focus", FALSE,
                  NULL);
}

static gboolean
on_enable_debugging (GtkWindow *window,
                     gboolean   toggle,
                     gpointer   user_data)
{
  /* Ctrl+Shift+I / Ctrl+Shift+D: refused. (Calling gtk_window_set_interactive_debugging()
   * here would itself create the inspector's windows, hidden.) GtkWindow's own handler
   * runs after this one whatever it returns, so stop the emission. */
  g_signal_stop_emission_by_name (window, "enable-debugging");
  return TRUE;
}

void
fr_kiosk_lockdown_window (GtkWindow *window)
{
  g_return_if_fail (GTK_IS_WINDOW (window));

  g_signal_connect (window, "enable-debugging", G_CALLBACK (on_enable_debugging), NULL);
  gtk_window_set_interactive_debugging (FALSE);
  gtk_window_set_decorated (window, FALSE);
  gtk_window_set_deletable (window, FALSE);
}

static void
stop_clipboard (GtkWidget  *widget,
                const char *signal)
{
  g_signal_stop_emission_by_name (widget, signal);
}

static void
on_copy (GtkWidget *widget,
         gpointer   user_data)
{
  stop_clipboard (widget, "copy-clipboard");
}

static void
on_cut (GtkWidget *widget,
        gpointer   user_data)
{
  stop_clipboard (widget, "cut-clipboard");
}

static void
on_paste (GtkWidget *widget,
          gpointer   user_data)
{
  stop_clipboard (widget, "paste-clipboard");
}

static void
on_insert_emoji (GtkWidget *widget,
                 gpointer   user_data)
{
  g_signal_stop_emission_by_name (widget, "insert-emoji");
}

/* Secondary clicks never reach the text widget: no context menu. */
static void
on_secondary_pressed (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      gpointer         user_data)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* No selection, ever: GTK puts selected text on the display's PRIMARY selection, where
 * every other client can read it (X11, and Wayland's primary selection under cage), and
 * selected text can be dragged out to another client. A selection is collapsed to the
 * cursor as soon as it is made (Ctrl+A, a drag, a double tap), before the main loop can
 * answer any request for it; with nothing selected there is nothing to claim or drag. */
static void
on_text_selection (GtkEditable *editable,
                   GParamSpec  *pspec,
                   gpointer     user_data)
{
  int start, end;

  if (gtk_editable_get_selection_bounds (editable, &start, &end))
    gtk_editable_select_region (editable, gtk_editable_get_position (editable), gtk_editable_get_position (editable));
}

static void
on_buffer_mark_set (GtkTextBuffer     *buffer,
                    const GtkTextIter *location,
                    GtkTextMark       *mark,
                    gpointer           user_data)
{
  GtkTextIter insert, bound;

  if (!gtk_text_buffer_get_has_selection (buffer))
    return;
  gtk_text_buffer_get_iter_at_mark (buffer, &insert, gtk_text_buffer_get_insert (buffer));
  gtk_text_buffer_get_iter_at_mark (buffer, &bound, gtk_text_buffer_get_selection_bound (buffer));
  if (!gtk_text_iter_equal (&insert, &bound))
    gtk_text_buffer_select_range (buffer, &insert, &insert);
}

static void
disable_actions (GtkWidget *text)
{
  static const char * const actions[] = {
    "clipboard.copy", "clipboard.cut", "clipboard.paste", "menu.popup",
    "misc.insert-emoji", "selection.delete", NULL
  };

  for (guint i = 0; actions[i]; i++)
    gtk_widget_action_set_enabled (text, actions[i], FALSE);
}

/**
 * fr_kiosk_lockdown_text:
 * @text: a #GtkText or #GtkTextView
 *
 * No clipboard, context menu or emoji chooser; no undo history to recover text from; no
 * selection (so nothing on PRIMARY and nothing to drag out).
 */
void
fr_kiosk_lockdown_text (GtkWidget *text)
{
  GtkGesture *secondary;

  g_return_if_fail (GTK_IS_TEXT (text) || GTK_IS_TEXT_VIEW (text));

  g_signal_connect (text, "copy-clipboard", G_CALLBACK (on_copy), NULL);
  g_signal_connect (text, "cut-clipboard", G_CALLBACK (on_cut), NULL);
  g_signal_connect (text, "paste-clipboard", G_CALLBACK (on_paste), NULL);
  g_signal_connect (text, "insert-emoji", G_CALLBACK (on_insert_emoji), NULL);

  secondary = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (secondary), GDK_BUTTON_SECONDARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (secondary), GTK_PHASE_CAPTURE);
  g_signal_connect (secondary, "pressed", G_CALLBACK (on_secondary_pressed), NULL);
  gtk_widget_add_controller (text, GTK_EVENT_CONTROLLER (secondary));

  if (GTK_IS_TEXT (text))
    {
      gtk_text_set_extra_menu (GTK_TEXT (text), NULL);
      gtk_text_set_input_hints (GTK_TEXT (text), gtk_text_get_input_hints (GTK_TEXT (text)) | GTK_INPUT_HINT_NO_EMOJI);
      gtk_text_set_enable_emoji_completion (GTK_TEXT (text), FALSE);
      gtk_editable_set_enable_undo (GTK_EDITABLE (text), FALSE);
      g_signal_connect (text, "notify::selection-bound", G_CALLBACK (on_text_selection), NULL);
      g_signal_connect (text, "notify::cursor-position", G_CALLBACK (on_text_selection), NULL);
    }
  else
    {
      GtkTextView *view = GTK_TEXT_VIEW (text);

      gtk_text_view_set_extra_menu (view, NULL);
      gtk_text_view_set_input_hints (view, gtk_text_view_get_input_hints (view) | GTK_INPUT_HINT_NO_EMOJI);
      gtk_text_buffer_set_enable_undo (gtk_text_view_get_buffer (view), FALSE);
      g_signal_connect (gtk_text_view_get_buffer (view), "mark-set", G_CALLBACK (on_buffer_mark_set), NULL);
    }
  disable_actions (text);
}

static gboolean
on_activate_link (GtkLabel   *label,
                  const char *uri,
                  gpointer    user_data)
{
  return TRUE;   /* never open another program */
}

void
fr_kiosk_lockdown_label (GtkLabel *label)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_use_markup (label, FALSE);
  gtk_label_set_selectable (label, FALSE);
  g_signal_connect (label, "activate-link", G_CALLBACK (on_activate_link), NULL);
}

/**
 * fr_kiosk_wipe_text_widgets:
 * @root: a widget tree about to be destroyed
 *
 * Empties every text widget under @root, with undo off so no history keeps the text.
 */
void
fr_kiosk_wipe_text_widgets (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_TEXT (root))
    {
      gtk_editable_set_enable_undo (GTK_EDITABLE (root), FALSE);
      gtk_editable_set_text (GTK_EDITABLE (root), "");
    }
  else if (GTK_IS_TEXT_VIEW (root))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (root));

      gtk_text_buffer_set_enable_undo (buffer, FALSE);
      gtk_text_buffer_set_text (buffer, "", 0);
    }
  else if (GTK_IS_LABEL (root) && gtk_widget_has_css_class (root, "fr-typed"))
    gtk_label_set_text (GTK_LABEL (root), "");
  else if (FR_IS_KIOSK_KEYBOARD (root))
    {
      /* Shift, the page, Latin or not: the next person finds the keyboard as new. */
      fr_kiosk_keyboard_reset (FR_KIOSK_KEYBOARD (root));
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    fr_kiosk_wipe_text_widgets (child);
}
