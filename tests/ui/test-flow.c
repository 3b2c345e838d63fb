/* test-flow.c — the whole self-referral, quick exit, Escape×3 and the idle timeout */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <sys/wait.h>
#include <string.h>

#include "fr-kiosk-pin.h"
#include "fr-kiosk-question.h"
#include "fr-kiosk-receipt.h"
#include "fr-pin-lock.h"
#include "kiosk-fixture.h"

#define CANARY "Canary-7f3a9c-Message-Only-Here"

/* Whether any file under @path holds @needle; @n_files counts the files read. A path that
 * cannot be read fails the test rather than counting as clean. */
static gboolean
file_tree_contains (const char *path,
                    const char *needle,
                    guint      *n_files)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *data = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &data, &len, NULL))
        g_error ("cannot read %s", path);
      (*n_files)++;
      return memmem (data, len, needle, strlen (needle)) != NULL;
    }
  dir = g_dir_open (path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (file_tree_contains (child, needle, n_files))
        return TRUE;
    }
  return FALSE;
}

static void
start_wizard (KioskFixture *fixture,
              const char   *lang)
{
  kiosk_activate (fixture, NULL, "kiosk.language", lang);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "wizard");
}

/* The envelopes waiting in the kiosk's outbox (the outbox is closed again). */
static GPtrArray *
pending_envelopes (KioskFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (fixture->demo->state_dir, FR_KIOSK_OUTBOX_FILE, NULL);
  g_autoptr(FrOutbox) outbox = fr_outbox_open (db, &error);
  GPtrArray *pending;

  g_assert_no_error (error);
  pending = fr_outbox_list_pending (outbox, G_MAXINT64 / 2, 100, &error);
  g_assert_no_error (error);
  return pending;
}

/* The one envelope in the outbox, opened with the demo staff key. */
static FrOpenedEnvelope *
open_only_envelope (KioskFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = pending_envelopes (fixture);
  FrOutboxItem *item;
  FrOpenedEnvelope *opened;

  g_assert_cmpuint (pending->len, ==, 1);
  item = g_ptr_array_index (pending, 0);
  opened = fr_envelope_open (g_bytes_get_data (item->envelope, NULL), g_bytes_get_size (item->envelope),
                             fixture->demo->staff->recipient_pk, fixture->demo->staff->recipient_sk, NULL, &error);
  g_assert_no_error (error);
  return opened;
}

static void
test_full_flow (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  g_autoptr(GPtrArray) held = NULL;
  const FrSecret *json;
  GtkWidget *screen;
  const char *receipt;
  guint steps = 0;

  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "welcome");
  start_wizard (fixture, "en");

  while (kiosk_wizard_answer_step (fixture, CANARY))
    g_assert_cmpuint (++steps, <, 64);
  g_assert_cmpuint (steps, >, 3);

  g_assert_cmpstr (fr_kiosk_wizard_get_step_name (kiosk_wizard (fixture)), ==, "consent");
  kiosk_activate (fixture, NULL, "wizard.agree", NULL);
  g_assert_cmpstr (fr_kiosk_wizard_get_step_name (kiosk_wizard (fixture)), ==, "review");
  /* The review shows the answers, the message among them. */
  g_assert_true (kiosk_tree_contains (GTK_WIDGET (fixture->window), CANARY));
  held = kiosk_hold_text (GTK_WIDGET (kiosk_wizard (fixture)));
  g_assert_cmpuint (kiosk_held_text_count (held, CANARY), >, 0);
  kiosk_activate (fixture, fr_kiosk_window_get_screen (fixture->window), "wizard.send", NULL);

  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "receipt");
  screen = fr_kiosk_window_get_screen (fixture->window);
  receipt = fr_kiosk_receipt_get_code (FR_KIOSK_RECEIPT (screen));
  g_assert_cmpuint (strlen (receipt), ==, FR_RECEIPT_STRING_LEN);
  g_assert_cmpint (receipt[4], ==, '-');
  /* Nothing entered is shown again after sending. */
  kiosk_wait (50);
  g_assert_false (kiosk_tree_contains (GTK_WIDGET (fixture->window), CANARY));
  kiosk_held_text_assert_empty (held);
  g_assert_cmpuint (fr_kiosk_session_get_n_answers (fr_kiosk_window_get_session (fixture->window)), ==, 0);

  /* One envelope in the outbox; it opens with the staff key and holds the message. */
  opened = open_only_envelope (fixture);
  json = fr_record_get_json (opened->record);
  g_assert_nonnull (memmem (json->data, json->len, CANARY, strlen (CANARY)));
  g_assert_cmpstr (fr_record_get_channel (opened->record), ==, "kiosk");
  g_assert_cmpstr (fr_record_get_language (opened->record), ==, "en");
  g_assert_cmpstr (fr_record_get_receipt (opened->record), ==, receipt);
  g_assert_nonnull (memmem (json->data, json->len, "\"text_version\"", 14));

  /* The plaintext never reached the disk: the state directory exists and its files (the
   * outbox among them) are read; positive control: the same scan finds the canary once a
   * file there holds it. */
  {
    guint n_files = 0;
    g_autofree char *control = g_build_filename (fixture->demo->state_dir, "control", NULL);

    g_assert_false (file_tree_contains (fixture->demo->state_dir, CANARY, &n_files));
    g_assert_cmpuint (n_files, >, 0);
    g_assert_true (g_file_set_contents (control, "before " CANARY " after", -1, NULL));
    n_files = 0;
    g_assert_true (file_tree_contains (fixture->demo->state_dir, CANARY, &n_files));
    g_assert_cmpint (g_unlink (control), ==, 0);
  }

  kiosk_fixture_free (fixture);
}

static void
test_decline (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) held = NULL;

  start_wizard (fixture, "sv");
  while (kiosk_wizard_answer_step (fixture, CANARY))
    ;
  held = kiosk_hold_text (GTK_WIDGET (kiosk_wizard (fixture)));
  g_assert_cmpuint (kiosk_held_text_count (held, CANARY), >, 0);
  kiosk_activate (fixture, NULL, "wizard.decline", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  g_assert_false (kiosk_tree_contains (GTK_WIDGET (fixture->window), CANARY));
  kiosk_held_text_assert_empty (held);
  pending = pending_envelopes (fixture);
  g_assert_cmpuint (pending->len, ==, 0);
  kiosk_fixture_free (fixture);
}

/* The mapped button that activates @action, as a tap would find it. */
static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_get_mapped (root)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef enum { EXIT_BUTTON, EXIT_ESCAPE, EXIT_IDLE } ExitKind;

static gboolean
on_cover (gpointer data)
{
  KioskFixture *fixture = data;

  return g_strcmp0 (fr_kiosk_window_get_screen_name (fixture->window), "cover") == 0;
}

static gboolean
counting_down (gpointer data)
{
  KioskFixture *fixture = data;

  return fr_kiosk_window_is_counting_down (fixture->window) || on_cover (data);
}

static gboolean
all_null (gpointer data)
{
  GPtrArray *pointers = data;

  for (guint i = 0; i < pointers->len; i++)
    if (*(gpointer *) g_ptr_array_index (pointers, i) != NULL)
      return FALSE;
  return TRUE;
}

static void
run_exit (ExitKind kind)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  g_autoptr(GPtrArray) pointers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  GtkWidget *input;
  gpointer *slot;

  start_wizard (fixture, "en");
  g_assert_true (kiosk_wizard_go_to_kind (fixture, FR_QUESTION_LONG_TEXT, CANARY));
  input = fr_kiosk_question_get_input (FR_KIOSK_QUESTION (fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture))));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (input)), CANARY, -1);
  g_assert_true (kiosk_tree_contains (GTK_WIDGET (fixture->window), CANARY));

  /* References to every text holder of the session, readable after they left the tree:
   * the wipe must empty them, not only drop them. The message is in one of them now. */
  held = kiosk_hold_text (GTK_WIDGET (kiosk_wizard (fixture)));
  g_assert_cmpuint (kiosk_held_text_count (held, CANARY), >, 0);

  /* Weak pointers on the session, the wizard and every question screen (built as shown). */
  slot = g_new0 (gpointer, 1);
  *slot = fr_kiosk_window_get_session (fixture->window);
  g_object_add_weak_pointer (*slot, slot);
  g_ptr_array_add (pointers, slot);
  slot = g_new0 (gpointer, 1);
  *slot = kiosk_wizard (fixture);
  g_object_add_weak_pointer (*slot, slot);
  g_ptr_array_add (pointers, slot);
  pages = fr_kiosk_wizard_get_pages (kiosk_wizard (fixture));
  for (guint i = 0; i < pages->len; i++)
    {
      slot = g_new0 (gpointer, 1);
      *slot = g_ptr_array_index (pages, i);
      g_object_add_weak_pointer (*slot, slot);
      g_ptr_array_add (pointers, slot);
    }

  switch (kind)
    {
    case EXIT_BUTTON:
      {
        /* The Exit button of the bar, pressed: its own activate signal and action binding. */
        GtkWidget *button = find_action_button (GTK_WIDGET (fixture->window), "kiosk.quick-exit");

        g_assert_nonnull (button);
        g_assert_true (gtk_widget_has_css_class (button, "fr-exit-button"));
        g_assert_true (gtk_widget_is_sensitive (button));
        g_assert_false (on_cover (fixture));
        /* GtkButton shows itself pressed for a moment before it emits "clicked". */
        g_assert_true (gtk_widget_activate (button));
        g_assert_true (kiosk_wait_until (on_cover, fixture, 5000));
      }
      break;
    case EXIT_ESCAPE:
      kiosk_press_escape (fixture);
      kiosk_press_escape (fixture);
      g_assert_false (on_cover (fixture));
      kiosk_press_escape (fixture);
      g_assert_true (on_cover (fixture));
      break;
    case EXIT_IDLE:
      fr_kiosk_window_set_idle_timeout_ms (fixture->window, 2000);
      g_assert_true (kiosk_wait_until (counting_down, fixture, 10000));
      g_assert_true (kiosk_wait_until (on_cover, fixture, 10000));
      g_assert_false (fr_kiosk_window_is_counting_down (fixture->window));
      break;
    }

  g_assert_null (fr_kiosk_window_get_session (fixture->window));
  g_assert_false (kiosk_tree_contains (GTK_WIDGET (fixture->window), CANARY));
  kiosk_held_text_assert_empty (held);
  g_assert_true (kiosk_wait_until (all_null, pointers, 5000));
  for (guint i = 0; i < pointers->len; i++)
    g_assert_null (*(gpointer *) g_ptr_array_index (pointers, i));

  /* After the cover, a new visit starts clean, in the neutral language. */
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "welcome");
  g_assert_cmpint (gtk_widget_get_default_direction (), ==, GTK_TEXT_DIR_LTR);
  kiosk_fixture_free (fixture);
}

static void
test_quick_exit_button (void)
{
  run_exit (EXIT_BUTTON);
}

static void
test_quick_exit_escape (void)
{
  run_exit (EXIT_ESCAPE);
}

static void
test_idle_timeout (void)
{
  run_exit (EXIT_IDLE);
}

static void
test_escape_slow_is_not_exit (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);

  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_press_escape (fixture);
  kiosk_press_escape (fixture);
  kiosk_wait (FR_KIOSK_ESCAPE_WINDOW_MS + 200);
  kiosk_press_escape (fixture);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  kiosk_fixture_free (fixture);
}

static void
test_assisted (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  GtkWidget *pin;

  kiosk_activate (fixture, NULL, "kiosk.unlock", "assisted");
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "pin");
  pin = fr_kiosk_window_get_screen (fixture->window);
  /* A wrong PIN first. */
  kiosk_enter_pin (fixture, "999999");
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "pin");
  g_assert_true (kiosk_tree_contains (pin, "That PIN is not right."));
  kiosk_enter_pin (fixture, FR_KIOSK_DEMO_PIN);
  /* Start without an id: the pad says what is missing, and the error goes as soon as the
   * id is typed; it does not stay on screen once it no longer applies (issue 19). */
  kiosk_activate (fixture, pin, "pin.start", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "pin");
  g_assert_true (kiosk_tree_contains (pin, "Give your volunteer id and choose who the intake is for."));
  gtk_editable_set_text (GTK_EDITABLE (fr_kiosk_pin_get_volunteer_entry (FR_KIOSK_PIN (pin))), "vol-17");
  g_assert_false (kiosk_tree_contains (pin, "Give your volunteer id and choose who the intake is for."));
  kiosk_activate (fixture, pin, "pin.channel", "hotline");
  kiosk_activate (fixture, pin, "pin.start", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "welcome");
  g_assert_true (fr_kiosk_session_is_assisted (fr_kiosk_window_get_session (fixture->window)));

  start_wizard (fixture, "th");
  while (kiosk_wizard_answer_step (fixture, CANARY))
    ;
  kiosk_activate (fixture, NULL, "wizard.agree", NULL);
  kiosk_activate (fixture, fr_kiosk_window_get_screen (fixture->window), "wizard.send", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "receipt");

  opened = open_only_envelope (fixture);
  g_assert_cmpstr (fr_record_get_channel (opened->record), ==, "hotline");
  g_assert_cmpstr (fr_record_get_language (opened->record), ==, "th");
  g_assert_nonnull (memmem (fr_record_get_json (opened->record)->data, fr_record_get_json (opened->record)->len,
                            "\"volunteer\":\"vol-17\"", 20));

  /* The end of the visit ends assisted mode too. */
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  g_assert_null (fr_kiosk_window_get_session (fixture->window));
  kiosk_fixture_free (fixture);
}

static void
test_maintenance (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);

  kiosk_activate (fixture, NULL, "kiosk.unlock", "maintenance");
  /* The demo, like a real site, has two PINs: a volunteer's does not open maintenance. */
  g_assert_cmpstr (FR_KIOSK_DEMO_PIN, !=, FR_KIOSK_DEMO_MAINTENANCE_PIN);
  kiosk_enter_pin (fixture, FR_KIOSK_DEMO_PIN);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "pin");
  g_assert_true (kiosk_tree_contains (fr_kiosk_window_get_screen (fixture->window), "That PIN is not right."));
  kiosk_enter_pin (fixture, FR_KIOSK_DEMO_MAINTENANCE_PIN);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "maintenance");
  g_assert_true (kiosk_tree_contains (GTK_WIDGET (fixture->window), fr_kiosk_context_get_fingerprint (fixture->context)));
  g_assert_true (kiosk_tree_contains (GTK_WIDGET (fixture->window), "Waiting to be delivered: 0"));
  /* Each offered language's review status (issue 18). */
  g_assert_true (kiosk_tree_contains (GTK_WIDGET (fixture->window), "review: th (Thai): machine-drafted"));
  g_assert_true (kiosk_tree_contains (GTK_WIDGET (fixture->window), "review: ar (Arabic): "));

  /* Unlocking is not possible in the middle of a session. */
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_activate (fixture, NULL, "kiosk.unlock", "maintenance");
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  kiosk_fixture_free (fixture);
}

/* Runs the window's own keyboard shortcut for @accelerator, as the key press would. */
static gboolean
press_shortcut (KioskFixture *fixture,
                const char   *accelerator)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accelerator);

  g_assert_nonnull (wanted);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            {
              gboolean done = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                            window, gtk_shortcut_get_arguments (shortcut));

              kiosk_wait (10);
              return done;
            }
        }
    }
  return FALSE;
}

/* Ctrl+Alt+M and Ctrl+Alt+A open the maintenance and volunteer PIN pads from the neutral
 * screens, and do nothing during a session. */
static void
test_unlock_shortcuts (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);

  g_assert_true (press_shortcut (fixture, "<Control><Alt>m"));
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "pin");
  g_assert_true (kiosk_tree_contains (fr_kiosk_window_get_screen (fixture->window), "Maintenance PIN"));
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  g_assert_true (press_shortcut (fixture, "<Control><Alt>a"));
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "pin");
  g_assert_true (kiosk_tree_contains (fr_kiosk_window_get_screen (fixture->window), "Volunteer PIN"));
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);

  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  press_shortcut (fixture, "<Control><Alt>m");
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  kiosk_fixture_free (fixture);
}

/* The cover after a quick exit is the same, pixel for pixel, whatever the session looked
 * like: no fading out of its high contrast, large text or pressed buttons. */
static void
test_cover_shows_nothing_of_the_session (void)
{
  KioskFixture *fixture = kiosk_fixture_new (FALSE);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) during = NULL;
  g_autoptr(GBytes) after = NULL;

  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_wait_frames (window, 3);
  before = kiosk_render (fixture);

  /* Positive control: the comparison sees a change of screen at the same size (the
   * welcome screen is not the cover). */
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  kiosk_wait_frames (window, 3);
  during = kiosk_render (fixture);
  g_assert_cmpuint (g_bytes_get_size (during), ==, g_bytes_get_size (before));
  g_assert_false (g_bytes_equal (before, during));

  kiosk_activate (fixture, NULL, "kiosk.language", "ar");
  kiosk_activate (fixture, NULL, "kiosk.large-text", NULL);
  kiosk_activate (fixture, NULL, "kiosk.high-contrast", NULL);
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  kiosk_wait_frames (window, 2);
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_wait_frames (window, 1);   /* the first frame after the exit */
  after = kiosk_render (fixture);
  g_assert_true (g_bytes_equal (before, after));
  kiosk_fixture_free (fixture);
}

/* Home in the middle of the message asks before anything is deleted; the quick exit never
 * asks. */
static void
test_home_asks_first (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  FrKioskSession *session;
  g_autofree char *step = NULL;
  g_autoptr(GPtrArray) held = NULL;
  FrKioskWizard *wizard;
  gpointer weak;

  /* Nothing given yet: Home goes home. */
  start_wizard (fixture, "en");
  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");

  /* With an answer given: asked, and "Go back to my message" keeps everything. */
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  session = fr_kiosk_window_get_session (fixture->window);
  g_assert_true (kiosk_wizard_answer_step (fixture, CANARY));
  g_assert_true (kiosk_wizard_go_to_kind (fixture, FR_QUESTION_LONG_TEXT, CANARY));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (fr_kiosk_question_get_input (
                              FR_KIOSK_QUESTION (fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture)))))), CANARY, -1);
  step = g_strdup (fr_kiosk_wizard_get_step_name (kiosk_wizard (fixture)));
  g_assert_cmpuint (fr_kiosk_session_get_n_answers (session), >, 0);

  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  wizard = kiosk_wizard (fixture);
  g_assert_true (fr_kiosk_wizard_is_asking_leave (wizard));
  g_assert_true (kiosk_tree_contains (GTK_WIDGET (wizard), "Leave without sending?"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL) &&
                  !fr_kiosk_wizard_is_asking_leave (wizard));
  kiosk_activate (fixture, NULL, "wizard.stay", NULL);
  g_assert_false (fr_kiosk_wizard_is_asking_leave (wizard));
  g_assert_cmpstr (fr_kiosk_wizard_get_step_name (wizard), ==, step);
  g_assert_true (kiosk_tree_contains (GTK_WIDGET (wizard), CANARY));
  g_assert_false (kiosk_tree_contains (GTK_WIDGET (wizard), "Leave without sending?"));

  /* "Leave and delete": home, the answers and the text gone, the wizard finalized. */
  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  g_assert_true (fr_kiosk_wizard_is_asking_leave (wizard));
  weak = wizard;
  g_object_add_weak_pointer (G_OBJECT (wizard), &weak);
  held = kiosk_hold_text (GTK_WIDGET (wizard));
  g_assert_cmpuint (kiosk_held_text_count (held, CANARY), >, 0);
  g_signal_emit_by_name (find_action_button (GTK_WIDGET (wizard), "kiosk.home"), "clicked");
  kiosk_wait (10);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  g_assert_cmpuint (fr_kiosk_session_get_n_answers (session), ==, 0);
  g_assert_false (kiosk_tree_contains (GTK_WIDGET (fixture->window), CANARY));
  kiosk_held_text_assert_empty (held);
  kiosk_wait (50);
  g_assert_null (weak);

  /* While it asks, the quick exit is as quick as ever. */
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  g_assert_true (kiosk_wizard_answer_step (fixture, CANARY));
  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  g_assert_true (fr_kiosk_wizard_is_asking_leave (kiosk_wizard (fixture)));
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "cover");
  g_assert_null (fr_kiosk_window_get_session (fixture->window));
  kiosk_fixture_free (fixture);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* The PIN is checked in a worker thread: the window answers meanwhile, and a quick exit
 * during the check wins — the right PIN's answer arriving afterwards unlocks nothing. */
static void
test_pin_check_in_background (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  GtkWidget *pin, *keypad;
  gpointer weak;

  kiosk_activate (fixture, NULL, "kiosk.unlock", "maintenance");
  pin = fr_kiosk_window_get_screen (fixture->window);
  keypad = kiosk_find_descendant (pin, g_type_from_name ("FrKioskKeypad"));
  for (const char *p = FR_KIOSK_DEMO_MAINTENANCE_PIN; *p; p++)
    {
      char key[2] = { *p, 0 };

      kiosk_activate (fixture, keypad, "keypad.press", key);
    }
  g_assert_true (gtk_widget_activate_action (pin, "pin.unlock", NULL));
  g_assert_true (fr_kiosk_pin_is_checking (FR_KIOSK_PIN (pin)));
  g_assert_false (gtk_widget_is_sensitive (keypad));
  /* A second unlock while checking does nothing. */
  gtk_widget_activate_action (pin, "pin.unlock", NULL);

  /* The running check holds the PIN screen (its GTask's source) until its answer has been
   * delivered: wait for that, not for a guess at how long Argon2 takes. */
  weak = pin;
  g_object_add_weak_pointer (G_OBJECT (pin), &weak);
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "cover");
  g_assert_nonnull (weak);   /* the answer is still to come */
  g_assert_true (kiosk_wait_until (is_null, &weak, 30000));
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "cover");

  /* The same PIN, left to finish, unlocks. */
  kiosk_activate (fixture, NULL, "kiosk.unlock", "maintenance");
  kiosk_enter_pin (fixture, FR_KIOSK_DEMO_MAINTENANCE_PIN);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "maintenance");
  kiosk_fixture_free (fixture);
}

/* The kiosk as after a restart: a new context and window on the same site and state
 * directory (the demo's directory stays). */
static void
restart_kiosk (KioskFixture *fixture)
{
  g_autoptr(GError) error = NULL;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  kiosk_wait (20);
  g_clear_object (&fixture->context);
  fixture->context = fr_kiosk_context_new (fixture->demo->config_path, NULL, &error);
  g_assert_no_error (error);
  fr_kiosk_context_set_delivery_enabled (fixture->context, FALSE);
  fixture->window = fr_kiosk_window_new (fixture->context, TRUE);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  kiosk_wait (100);
}

/* The PIN pad on screen is locked: the countdown shows, the keypad is off, and Unlock
 * (even with a right PIN typed before) checks nothing. */
static void
assert_pin_locked (KioskFixture *fixture)
{
  GtkWidget *pin = fr_kiosk_window_get_screen (fixture->window);
  GtkWidget *keypad = kiosk_find_descendant (pin, g_type_from_name ("FrKioskKeypad"));

  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "pin");
  g_assert_true (kiosk_tree_contains (pin, "Too many wrong PINs. Try again in 1:00.")
                 || kiosk_tree_contains (pin, "Too many wrong PINs. Try again in 0:"));
  g_assert_false (gtk_widget_is_sensitive (keypad));
  gtk_widget_activate_action (pin, "pin.unlock", NULL);
  g_assert_false (fr_kiosk_pin_is_checking (FR_KIOSK_PIN (pin)));
  kiosk_wait (50);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "pin");
}

static gboolean
label_changed (gpointer data)
{
  GtkWidget *pin = data;

  return !kiosk_tree_contains (pin, "Try again in 1:00.") && !kiosk_tree_contains (pin, "Try again in 0:59.");
}

/* Five wrong PINs lock the pad for a minute, with a countdown; the lock holds when the
 * kiosk restarts (kept in the state directory); the other pad keeps its own count. */
static void
test_pin_lockout (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  g_autofree char *lock_path = g_build_filename (fixture->demo->state_dir, FR_PIN_LOCK_FILE_NAME, NULL);
  g_autofree char *state = NULL;
  GtkWidget *pin;
  GStatBuf st;

  kiosk_activate (fixture, NULL, "kiosk.unlock", "assisted");
  pin = fr_kiosk_window_get_screen (fixture->window);
  for (guint i = 0; i < FR_PIN_LOCK_TRIES - 1; i++)
    {
      kiosk_enter_pin (fixture, "999999");
      g_assert_true (kiosk_tree_contains (pin, "That PIN is not right."));
      g_assert_true (gtk_widget_is_sensitive (kiosk_find_descendant (pin, g_type_from_name ("FrKioskKeypad"))));
    }
  kiosk_enter_pin (fixture, "999999");
  assert_pin_locked (fixture);
  g_assert_false (kiosk_tree_contains (pin, "That PIN is not right."));
  /* It counts down. */
  g_assert_true (kiosk_wait_until (label_changed, pin, 5000));
  g_assert_true (kiosk_tree_contains (pin, "Too many wrong PINs. Try again in 0:5"));

  /* The state file: 0600, and no digit typed is in it. */
  g_assert_cmpint (g_stat (lock_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_true (g_file_get_contents (lock_path, &state, NULL, NULL));
  g_assert_true (g_str_has_prefix (state, "fristad-pin-lock 1\nassisted 0 1 "));
  g_assert_nonnull (strstr (state, "\nmaintenance 0 0 0\n"));

  /* Leaving and coming back: still locked. */
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_activate (fixture, NULL, "kiosk.unlock", "assisted");
  assert_pin_locked (fixture);

  /* A restart of the kiosk: still locked. */
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  restart_kiosk (fixture);
  kiosk_activate (fixture, NULL, "kiosk.unlock", "assisted");
  assert_pin_locked (fixture);

  /* The maintenance pad is not locked by the assisted pad's failures. */
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_activate (fixture, NULL, "kiosk.unlock", "maintenance");
  g_assert_false (kiosk_tree_contains (fr_kiosk_window_get_screen (fixture->window), "Too many wrong PINs"));
  kiosk_enter_pin (fixture, FR_KIOSK_DEMO_MAINTENANCE_PIN);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "maintenance");
  kiosk_fixture_free (fixture);
}

static gboolean
pin_usable (gpointer data)
{
  GtkWidget *pin = data;

  return gtk_widget_is_sensitive (kiosk_find_descendant (pin, g_type_from_name ("FrKioskKeypad")));
}

/* A lock that ends while the pad is on screen: the countdown goes, the pad works again. */
static void
test_pin_lock_ends (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  g_autofree char *lock_path = g_build_filename (fixture->demo->state_dir, FR_PIN_LOCK_FILE_NAME, NULL);
  g_autofree char *state = g_strdup_printf ("fristad-pin-lock 1\nassisted 0 0 0\nmaintenance 0 1 %" G_GINT64_FORMAT "\n",
                                            g_get_real_time () / G_USEC_PER_SEC + 2);
  g_autoptr(GError) error = NULL;
  GtkWidget *pin;

  g_assert_true (g_file_set_contents (lock_path, state, -1, &error));
  kiosk_activate (fixture, NULL, "kiosk.unlock", "maintenance");
  pin = fr_kiosk_window_get_screen (fixture->window);
  g_assert_true (kiosk_tree_contains (pin, "Too many wrong PINs. Try again in 0:0"));
  g_assert_false (pin_usable (pin));
  g_assert_true (kiosk_wait_until (pin_usable, pin, 5000));
  g_assert_false (kiosk_tree_contains (pin, "Too many wrong PINs"));
  kiosk_enter_pin (fixture, FR_KIOSK_DEMO_MAINTENANCE_PIN);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "maintenance");
  kiosk_fixture_free (fixture);
}

/* Runs the real fristad-kiosk (under this test's display) with @args; its exit status. */
static int
run_kiosk (char **err,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int status = 0;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("FRISTAD_KIOSK"));
  g_assert_nonnull (argv->pdata[0]);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* The kiosk will not start with a PIN hash weaker than libsodium's interactive limits:
 * the same one-line error as --check-config, exit 2. */
static void
test_weak_pin_hash_refused (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  g_autofree char *weak_path = g_build_filename (fixture->demo->dir, "weak.conf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *start_err = NULL;
  g_autofree char *check_err = NULL;
  g_autoptr(GString) weak_text = NULL;
  g_autoptr(GError) error = NULL;
  char weak[crypto_pwhash_STRBYTES];
  const char *line, *end;

  g_assert_cmpint (crypto_pwhash_str_alg (weak, FR_KIOSK_DEMO_MAINTENANCE_PIN, strlen (FR_KIOSK_DEMO_MAINTENANCE_PIN),
                                          crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE / 2,
                                          crypto_pwhash_ALG_ARGON2ID13), ==, 0);
  g_assert_true (g_file_get_contents (fixture->demo->config_path, &text, NULL, &error));
  line = strstr (text, "\nmaintenance-pin=");
  g_assert_nonnull (line);
  line += strlen ("\nmaintenance-pin=");
  end = strchr (line, '\n');
  weak_text = g_string_new_len (text, line - text);
  g_string_append (weak_text, weak);
  g_string_append (weak_text, end);
  g_assert_true (g_file_set_contents (weak_path, weak_text->str, -1, &error));

  g_assert_cmpint (run_kiosk (&start_err, "--windowed", "--config", weak_path, NULL), ==, 2);
  g_assert_cmpint (run_kiosk (&check_err, "--check-config", "--config", weak_path, NULL), ==, 2);
  g_assert_nonnull (strstr (start_err, "[kiosk] maintenance-pin is weaker than libsodium's interactive limits"));
  g_assert_cmpstr (start_err, ==, check_err);
  g_assert_nonnull (strchr (start_err, '\n'));
  g_assert_true (strchr (start_err, '\n')[1] == '\0');
  kiosk_fixture_free (fixture);
}

/* A PIN shorter than 6 digits is not right, and not counted: no hash was tried. */
static void
test_pin_too_short (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  GtkWidget *pin;

  kiosk_activate (fixture, NULL, "kiosk.unlock", "maintenance");
  pin = fr_kiosk_window_get_screen (fixture->window);
  for (guint i = 0; i < FR_PIN_LOCK_TRIES + 1; i++)
    {
      kiosk_enter_pin (fixture, "12345");
      g_assert_true (kiosk_tree_contains (pin, "That PIN is not right."));
    }
  g_assert_false (kiosk_tree_contains (pin, "Too many wrong PINs"));
  kiosk_enter_pin (fixture, FR_KIOSK_DEMO_MAINTENANCE_PIN);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "maintenance");
  kiosk_fixture_free (fixture);
}

static GtkGesture *
corner_gesture (KioskFixture *fixture)
{
  GtkWidget *screens = gtk_widget_get_parent (fr_kiosk_window_get_screen (fixture->window));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (screens);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_LONG_PRESS (controller))
        return GTK_GESTURE (controller);
    }
  g_assert_not_reached ();
}

/* A long press in a top corner of the neutral screens: left opens the maintenance PIN,
 * right the volunteer PIN; elsewhere, or during a session, nothing. */
static void
test_corners (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  GtkWidget *screens = gtk_widget_get_parent (fr_kiosk_window_get_screen (fixture->window));
  double width = gtk_widget_get_width (screens);
  GtkGesture *gesture = corner_gesture (fixture);

  g_signal_emit_by_name (gesture, "pressed", width / 2, 20.0);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "welcome");
  g_signal_emit_by_name (gesture, "pressed", 20.0, 400.0);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "welcome");

  g_signal_emit_by_name (gesture, "pressed", 20.0, 20.0);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "pin");
  g_assert_true (kiosk_tree_contains (fr_kiosk_window_get_screen (fixture->window), "Maintenance PIN"));
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);

  g_signal_emit_by_name (gesture, "pressed", width - 20.0, 20.0);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "pin");
  g_assert_true (kiosk_tree_contains (fr_kiosk_window_get_screen (fixture->window), "Volunteer PIN"));
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);

  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  g_signal_emit_by_name (gesture, "pressed", 20.0, 20.0);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  kiosk_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  kiosk_test_init (&argc, &argv);

  g_test_add_func ("/kiosk/flow/full", test_full_flow);
  g_test_add_func ("/kiosk/flow/decline", test_decline);
  g_test_add_func ("/kiosk/flow/home-asks-first", test_home_asks_first);
  g_test_add_func ("/kiosk/flow/cover-shows-nothing-of-the-session", test_cover_shows_nothing_of_the_session);
  g_test_add_func ("/kiosk/flow/pin-check-in-background", test_pin_check_in_background);
  g_test_add_func ("/kiosk/flow/corners", test_corners);
  g_test_add_func ("/kiosk/flow/unlock-shortcuts", test_unlock_shortcuts);
  g_test_add_func ("/kiosk/flow/quick-exit-button", test_quick_exit_button);
  g_test_add_func ("/kiosk/flow/quick-exit-escape", test_quick_exit_escape);
  g_test_add_func ("/kiosk/flow/escape-slow", test_escape_slow_is_not_exit);
  g_test_add_func ("/kiosk/flow/idle-timeout", test_idle_timeout);
  g_test_add_func ("/kiosk/flow/assisted", test_assisted);
  g_test_add_func ("/kiosk/flow/maintenance", test_maintenance);
  g_test_add_func ("/kiosk/flow/pin-lockout", test_pin_lockout);
  g_test_add_func ("/kiosk/flow/pin-lock-ends", test_pin_lock_ends);
  g_test_add_func ("/kiosk/flow/pin-too-short", test_pin_too_short);
  g_test_add_func ("/kiosk/flow/weak-pin-hash-refused", test_weak_pin_hash_refused);
  return g_test_run ();
}
