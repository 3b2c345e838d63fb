/* kiosk-fixture.c — drive the kiosk in-process under Xvfb, the way a tap would */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "fr-kiosk-i18n.h"
#include "fr-kiosk-keypad.h"
#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-pin.h"
#include "fr-kiosk-question.h"
#include "fr-test-util.h"
#include "kiosk-fixture.h"

/* As main() does it: scrub, gettext, then GTK. */
void
kiosk_test_init (int    *argc,
                 char ***argv)
{
  fr_kiosk_lockdown_scrub_environment ();
  fr_kiosk_i18n_init ();
  g_test_init (argc, argv, NULL);
  g_assert_true (fr_init ());
  gtk_init ();
  adw_init ();
  fr_kiosk_ui_init ();
}

KioskFixture *
kiosk_fixture_new (gboolean windowed)
{
  return kiosk_fixture_new_for_languages (windowed, NULL);
}

/* A demo site offering @languages (NULL: every language of the shipped content), with
 * [@group] @key=@value set in its kiosk.conf if @key is not NULL. */
KioskFixture *
kiosk_fixture_new_with_setting (gboolean            windowed,
                                const char *const  *languages,
                                const char         *group,
                                const char         *key,
                                const char         *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *content_dir = fr_kiosk_context_find_content_dir ();
  g_autoptr(FrContent) content = fr_content_load (content_dir, NULL, &error);
  KioskFixture *fixture = g_new0 (KioskFixture, 1);

  g_assert_no_error (error);
  fixture->demo = fr_kiosk_demo_new (languages ? languages : fr_content_get_languages (content),
                                     FR_KIOSK_DEMO_FLAGS_NONE, &error);
  g_assert_no_error (error);
  if (key != NULL)
    {
      g_autoptr(GKeyFile) config = g_key_file_new ();

      g_assert_true (g_key_file_load_from_file (config, fixture->demo->config_path, G_KEY_FILE_KEEP_COMMENTS, &error));
      g_key_file_set_string (config, group, key, value);
      g_assert_true (g_key_file_save_to_file (config, fixture->demo->config_path, &error));
    }
  fixture->context = fr_kiosk_context_new (fixture->demo->config_path, NULL, &error);
  g_assert_no_error (error);
  /* The envelopes must stay in the outbox for the test to open them. */
  fr_kiosk_context_set_delivery_enabled (fixture->context, FALSE);
  fixture->window = fr_kiosk_window_new (fixture->context, windowed);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  kiosk_wait (100);
  return fixture;
}

/* A site offering only @languages (NULL: every language of the shipped content). */
KioskFixture *
kiosk_fixture_new_for_languages (gboolean            windowed,
                                 const char *const  *languages)
{
  return kiosk_fixture_new_with_setting (windowed, languages, NULL, NULL, NULL);
}

/* The demo site with one [kiosk] key set, e.g. on-screen-keyboard=never. */
KioskFixture *
kiosk_fixture_new_with_kiosk_key (gboolean    windowed,
                                  const char *key,
                                  const char *value)
{
  return kiosk_fixture_new_with_setting (windowed, NULL, "kiosk", key, value);
}

void
kiosk_fixture_free (KioskFixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  kiosk_wait (20);
  g_clear_object (&fixture->context);
  g_clear_pointer (&fixture->demo, fr_kiosk_demo_free);
  g_free (fixture);
}

/* Runs the main loop for about @ms milliseconds. */
void
kiosk_wait (guint ms)
{
  fr_test_wait_ms (ms);
}

/* Runs the main loop until @done says so; FALSE if @timeout_ms passed first. */
gboolean
kiosk_wait_until (gboolean (*done) (gpointer),
                  gpointer  data,
                  guint     timeout_ms)
{
  return fr_test_wait_until (done, data, timeout_ms, 20);
}

/* Activates an action the way a button with action-name/action-target would. */
void
kiosk_activate (KioskFixture *fixture,
                GtkWidget    *widget,
                const char   *action,
                const char   *string_target)
{
  gboolean ok;

  if (widget == NULL)
    widget = g_str_has_prefix (action, "kiosk.") ? GTK_WIDGET (fixture->window)
                                                 : fr_kiosk_window_get_screen (fixture->window);
  if (string_target != NULL)
    ok = gtk_widget_activate_action (widget, action, "s", string_target);
  else
    ok = gtk_widget_activate_action (widget, action, NULL);
  if (!ok)
    g_error ("action %s could not be activated", action);
  kiosk_wait (10);
}

FrKioskWizard *
kiosk_wizard (KioskFixture *fixture)
{
  GtkWidget *screen = fr_kiosk_window_get_screen (fixture->window);

  g_assert_true (FR_IS_KIOSK_WIZARD (screen));
  return FR_KIOSK_WIZARD (screen);
}

GtkWidget *
kiosk_find_descendant (GtkWidget *root,
                       GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kiosk_find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Every label, editable and text view under @root, visible or not. */
gboolean
kiosk_tree_contains (GtkWidget  *root,
                     const char *needle)
{
  const char *text = NULL;
  g_autofree char *owned = NULL;

  if (GTK_IS_LABEL (root))
    text = gtk_label_get_text (GTK_LABEL (root));
  else if (GTK_IS_EDITABLE (root))
    text = gtk_editable_get_text (GTK_EDITABLE (root));
  else if (GTK_IS_TEXT_VIEW (root))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (root));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = owned = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
    }
  if (text != NULL && strstr (text, needle) != NULL)
    return TRUE;
  if (GTK_IS_WIDGET (root) && gtk_widget_get_tooltip_text (root) != NULL
      && strstr (gtk_widget_get_tooltip_text (root), needle) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    if (kiosk_tree_contains (child, needle))
      return TRUE;
  return FALSE;
}

static void
hold_text (GtkWidget *root,
           GPtrArray *held)
{
  if (GTK_IS_TEXT (root))
    g_ptr_array_add (held, g_object_ref (root));
  else if (GTK_IS_TEXT_VIEW (root))
    g_ptr_array_add (held, g_object_ref (gtk_text_view_get_buffer (GTK_TEXT_VIEW (root))));
  else if (GTK_IS_LABEL (root) && gtk_widget_has_css_class (root, "fr-typed"))
    g_ptr_array_add (held, g_object_ref (root));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    hold_text (child, held);
}

/* A reference to everything under @root that holds typed text: each GtkText (the text of
 * every entry, PIN and search field), each text view's buffer and each "fr-typed" label.
 * Unlike kiosk_tree_contains(), these can still be read once they have left the tree, so
 * a test sees whether a wipe emptied them or only dropped them (anything else holding a
 * reference would keep the text). */
GPtrArray *
kiosk_hold_text (GtkWidget *root)
{
  GPtrArray *held = g_ptr_array_new_with_free_func (g_object_unref);

  hold_text (root, held);
  return held;
}

static char *
held_text (gpointer object)
{
  if (GTK_IS_TEXT_BUFFER (object))
    {
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (object), &start, &end);
      return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (object), &start, &end, TRUE);
    }
  if (GTK_IS_LABEL (object))
    return g_strdup (gtk_label_get_text (GTK_LABEL (object)));
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (object)));
}

/* How many of @held contain @needle. */
guint
kiosk_held_text_count (GPtrArray  *held,
                       const char *needle)
{
  guint n = 0;

  for (guint i = 0; i < held->len; i++)
    {
      g_autofree char *text = held_text (held->pdata[i]);

      if (strstr (text, needle) != NULL)
        n++;
    }
  return n;
}

/* Asserts that every one of @held is empty. */
void
kiosk_held_text_assert_empty (GPtrArray *held)
{
  for (guint i = 0; i < held->len; i++)
    {
      g_autofree char *text = held_text (held->pdata[i]);

      if (*text != '\0')
        g_error ("a %s still holds %" G_GSIZE_FORMAT " bytes of text after the wipe",
                 G_OBJECT_TYPE_NAME (held->pdata[i]), strlen (text));
    }
}

static gboolean
step_changed (gpointer data)
{
  gpointer *args = data;

  return !FR_IS_KIOSK_WIZARD (fr_kiosk_window_get_screen (((KioskFixture *) args[0])->window))
         || g_strcmp0 (fr_kiosk_wizard_get_step_name (FR_KIOSK_WIZARD (fr_kiosk_window_get_screen (((KioskFixture *) args[0])->window))),
                       args[1]) != 0;
}

/* Answers the question on screen by its kind: the first option, a phone number, a short
 * text, @long_text for long texts; voice is skipped. Returns FALSE on consent/review. */
gboolean
kiosk_wizard_answer_step (KioskFixture *fixture,
                          const char   *long_text)
{
  FrKioskWizard *wizard = kiosk_wizard (fixture);
  GtkWidget *page = fr_kiosk_wizard_get_current_page (wizard);
  g_autofree char *step = g_strdup (fr_kiosk_wizard_get_step_name (wizard));
  gpointer args[2] = { fixture, step };
  const FrQuestion *q;

  if (!FR_IS_KIOSK_QUESTION (page))
    return FALSE;
  q = fr_kiosk_question_get_question (FR_KIOSK_QUESTION (page));
  switch (q->kind)
    {
    case FR_QUESTION_SINGLE:
    case FR_QUESTION_YESNO:
      kiosk_activate (fixture, page, "question.choose", q->options[0].id);
      break;
    case FR_QUESTION_MULTIPLE:
      kiosk_activate (fixture, page, "question.choose", q->options[0].id);
      kiosk_activate (fixture, page, "wizard.next", NULL);
      break;
    case FR_QUESTION_PHONE:
      {
        GtkWidget *keypad = kiosk_find_descendant (page, FR_TYPE_KIOSK_KEYPAD);
        const char *digits[] = { "+", "4", "6", "7", "0", "1", "2", NULL };

        for (guint i = 0; digits[i]; i++)
          kiosk_activate (fixture, keypad, "keypad.press", digits[i]);
        kiosk_activate (fixture, page, "wizard.next", NULL);
      }
      break;
    case FR_QUESTION_SHORT_TEXT:
      gtk_editable_set_text (GTK_EDITABLE (fr_kiosk_question_get_input (FR_KIOSK_QUESTION (page))), "blue");
      kiosk_activate (fixture, page, "wizard.next", NULL);
      break;
    case FR_QUESTION_LONG_TEXT:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (fr_kiosk_question_get_input (FR_KIOSK_QUESTION (page)))),
                                long_text, -1);
      kiosk_activate (fixture, page, "wizard.next", NULL);
      break;
    case FR_QUESTION_VOICE:
    default:
      kiosk_activate (fixture, page, "wizard.skip", NULL);
      break;
    }
  g_assert_true (kiosk_wait_until (step_changed, args, 5000));
  return TRUE;
}

/* Answers questions until one of @kind is on screen; FALSE if the form has none. */
gboolean
kiosk_wizard_go_to_kind (KioskFixture *fixture,
                         int           kind,
                         const char   *long_text)
{
  for (;;)
    {
      GtkWidget *page = fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture));

      if (!FR_IS_KIOSK_QUESTION (page))
        return FALSE;
      if ((int) fr_kiosk_question_get_question (FR_KIOSK_QUESTION (page))->kind == kind)
        return TRUE;
      kiosk_wizard_answer_step (fixture, long_text);
    }
}

/* Escape through the window's own key controller, as a keyboard press goes. */
void
kiosk_press_escape (KioskFixture *fixture)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->window));
  guint n = g_list_model_get_n_items (controllers);
  gboolean sent = FALSE;

  for (guint i = 0; i < n && !sent; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      gboolean handled = FALSE;

      if (!GTK_IS_EVENT_CONTROLLER_KEY (controller))
        continue;
      g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Escape, 9, 0, &handled);
      sent = TRUE;
    }
  g_assert_true (sent);
  kiosk_wait (10);
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
frames_done (gpointer data)
{
  guint *frames = data;

  return frames[0] >= frames[1];
}

void
kiosk_wait_frames (GtkWidget *widget,
             guint      n)
{
  guint frames[2] = { 0, n };
  guint id = gtk_widget_add_tick_callback (widget, count_frame, frames, NULL);

  gtk_widget_queue_draw (widget);
  kiosk_wait_until (frames_done, frames, 3000);
  gtk_widget_remove_tick_callback (widget, id);
}

/* The window as GTK last drew it, rendered again to a texture. */
static GdkTexture *
render_texture (KioskFixture *fixture)
{
  GtkWidget *widget = GTK_WIDGET (fixture->window);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (fixture->window)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/**
 * kiosk_render:
 *
 * Returns: (transfer full): the window as GTK last drew it, rendered to RGBA bytes.
 */
GBytes *
kiosk_render (KioskFixture *fixture)
{
  g_autoptr(GdkTexture) texture = render_texture (fixture);
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  guchar *pixels = g_malloc ((gsize) width * height * 4);

  gdk_texture_download (texture, pixels, (gsize) width * 4);
  return g_bytes_new_take (pixels, (gsize) width * height * 4);
}

/**
 * kiosk_screenshot:
 * @name: the file name without ".png"
 *
 * Renders the window to screens/NAME.png in the build directory.
 *
 * Returns: (transfer full): the path written.
 */
char *
kiosk_screenshot (KioskFixture *fixture,
                  const char   *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".", "screens", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkTexture) texture = NULL;

  g_mkdir_with_parents (dir, 0755);
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 3);   /* let layout and drawing happen */
  texture = render_texture (fixture);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return path;
}

static gboolean
pin_checked (gpointer data)
{
  return !fr_kiosk_pin_is_checking (data);
}

/**
 * kiosk_enter_pin:
 * @digits: the PIN
 *
 * Types @digits on the PIN pad on screen and unlocks; returns when the check (in a worker
 * thread) has answered.
 */
void
kiosk_enter_pin (KioskFixture *fixture,
                 const char   *digits)
{
  /* Held: a right PIN replaces the PIN screen, which would be finalized meanwhile. */
  g_autoptr(GtkWidget) pin = g_object_ref (fr_kiosk_window_get_screen (fixture->window));
  GtkWidget *keypad;

  g_assert_true (FR_IS_KIOSK_PIN (pin));
  keypad = kiosk_find_descendant (pin, FR_TYPE_KIOSK_KEYPAD);
  for (const char *p = digits; *p; p++)
    {
      char key[2] = { *p, 0 };

      kiosk_activate (fixture, keypad, "keypad.press", key);
    }
  kiosk_activate (fixture, pin, "pin.unlock", NULL);
  g_assert_true (kiosk_wait_until (pin_checked, pin, 30000));
  kiosk_wait (10);
}

/* Shows a screen reachable without a session (test helper for the gallery). */
void
kiosk_show_screen (KioskFixture *fixture,
                   const char   *name)
{
  if (g_str_equal (name, "cover"))
    kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  else if (g_str_equal (name, "welcome"))
    kiosk_activate (fixture, NULL, "kiosk.start", NULL);
}

/**
 * kiosk_visit_screens:
 * @lang: (nullable): a language: its home, a topic, the help-now page, the first wizard
 *   step of each question kind, "Leave without sending?", consent, review and receipt; %NULL: the language-neutral
 *   screens (welcome, cover, the PIN pad, maintenance)
 *
 * Shows each screen in turn and calls @func on it.
 */
void
kiosk_visit_screens (KioskFixture    *fixture,
                     const char      *lang,
                     KioskScreenFunc  func,
                     gpointer         data)
{
  gboolean seen[FR_QUESTION_VOICE + 1] = { FALSE };
  const FrTopic *const *topics;

  if (lang == NULL)
    {
      kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
      func (fixture, "cover", data);
      kiosk_activate (fixture, NULL, "kiosk.start", NULL);
      func (fixture, "welcome", data);
      kiosk_activate (fixture, NULL, "kiosk.unlock", "maintenance");
      func (fixture, "pin", data);
      kiosk_enter_pin (fixture, FR_KIOSK_DEMO_MAINTENANCE_PIN);
      g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "maintenance");
      func (fixture, "maintenance", data);
      kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
      return;
    }

  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  kiosk_activate (fixture, NULL, "kiosk.language", lang);
  func (fixture, "home", data);
  topics = fr_content_get_topics (fr_kiosk_context_get_content (fixture->context), lang);
  kiosk_activate (fixture, NULL, "kiosk.topic", topics[0]->id);
  func (fixture, "topic", data);
  kiosk_activate (fixture, NULL, "kiosk.contacts", "help-now");
  func (fixture, "help-now", data);
  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  for (;;)
    {
      GtkWidget *page = fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture));
      const FrQuestion *q;

      if (!FR_IS_KIOSK_QUESTION (page))
        break;
      q = fr_kiosk_question_get_question (FR_KIOSK_QUESTION (page));
      if (!seen[q->kind])
        {
          g_autofree char *name = g_strconcat ("step-", fr_question_kind_to_string (q->kind), NULL);

          seen[q->kind] = TRUE;
          func (fixture, name, data);
        }
      kiosk_wizard_answer_step (fixture, "A message");
    }
  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  func (fixture, "leave", data);
  kiosk_activate (fixture, NULL, "wizard.stay", NULL);
  func (fixture, "consent", data);
  kiosk_activate (fixture, NULL, "wizard.agree", NULL);
  func (fixture, "review", data);
  kiosk_activate (fixture, fr_kiosk_window_get_screen (fixture->window), "wizard.send", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "receipt");
  func (fixture, "receipt", data);
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
}
