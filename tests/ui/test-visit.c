/* test-visit.c — one visit in real hands (issue 19): progress that never goes back, no
 * voice question, a receipt with Done and the number to call, A+ and contrast labelled,
 * working on the start screen and reset for the next person. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-question.h"
#include "kiosk-fixture.h"

static GtkWidget *
find_with_class (GtkWidget  *root,
                 GType       type,
                 const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (css_class == NULL || gtk_widget_has_css_class (root, css_class)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_with_class (child, type, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Through the whole form with the answers that bring in the conditional questions (a
 * phone number: four more): the bar never goes back and "of N" never changes. */
static void
test_progress (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  double last = -1.0;
  g_autofree char *total = NULL;
  guint steps = 0;
  gboolean phone_seen = FALSE;

  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  for (;;)
    {
      FrKioskWizard *wizard = kiosk_wizard (fixture);
      GtkWidget *page = fr_kiosk_wizard_get_current_page (wizard);
      GtkProgressBar *bar = GTK_PROGRESS_BAR (find_with_class (GTK_WIDGET (wizard), GTK_TYPE_PROGRESS_BAR, NULL));
      GtkLabel *label = GTK_LABEL (find_with_class (GTK_WIDGET (wizard), GTK_TYPE_LABEL, "fr-progress-label"));
      double fraction = gtk_progress_bar_get_fraction (bar);

      g_test_message ("%s: %s, %.3f", fr_kiosk_wizard_get_step_name (wizard), gtk_label_get_text (label), fraction);
      g_assert_cmpfloat (fraction, >=, last);
      last = fraction;
      if (!FR_IS_KIOSK_QUESTION (page))
        break;
      /* No voice question until voice messages exist. */
      g_assert_cmpint (fr_kiosk_question_get_question (FR_KIOSK_QUESTION (page))->kind, !=, FR_QUESTION_VOICE);
      if (fr_kiosk_question_get_question (FR_KIOSK_QUESTION (page))->kind == FR_QUESTION_PHONE)
        phone_seen = TRUE;
      {
        const char *of = strstr (gtk_label_get_text (label), " of ");

        g_assert_nonnull (of);
        if (total == NULL)
          total = g_strdup (of);
        g_assert_cmpstr (of, ==, total);
      }
      steps++;
      kiosk_wizard_answer_step (fixture, "A message");
    }
  g_assert_true (phone_seen);
  g_assert_cmpuint (steps, >, 10);
  g_assert_false (kiosk_tree_contains (GTK_WIDGET (fixture->window), "Voice messages come in a later version"));
  kiosk_fixture_free (fixture);
}

static gboolean
on_home (gpointer data)
{
  return g_strcmp0 (fr_kiosk_window_get_screen_name (((KioskFixture *) data)->window), "home") == 0;
}

/* After sending: the code, the number to say it to, and Done on screen. */
static void
test_receipt (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  const FrContact *call = fr_kiosk_context_find_contact (fixture->context, "social-services");
  GtkWidget *done;

  g_assert_nonnull (call);
  kiosk_activate (fixture, NULL, "kiosk.language", "sv");
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  while (kiosk_wizard_answer_step (fixture, "A message"))
    ;
  kiosk_activate (fixture, NULL, "wizard.agree", NULL);
  kiosk_activate (fixture, fr_kiosk_window_get_screen (fixture->window), "wizard.send", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "receipt");
  g_assert_true (kiosk_tree_contains (fr_kiosk_window_get_screen (fixture->window), call->phone));
  done = find_action_button (fr_kiosk_window_get_screen (fixture->window), "kiosk.home");
  g_assert_nonnull (done);
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_true (gtk_widget_get_mapped (done));
  /* GtkButton shows itself pressed for a moment before it emits "clicked". */
  g_assert_true (gtk_widget_activate (done));
  g_assert_true (kiosk_wait_until (on_home, fixture, 5000));
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  kiosk_fixture_free (fixture);
}

static int
natural_height (GtkWidget *widget)
{
  int natural = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, 1000, NULL, &natural, NULL, NULL);
  return natural;
}

/* A+ and contrast say what they do; A+ shows on the start screen at once; both are off
 * again for the next person, whether the last one left by Exit or after sending. */
static void
test_display_toggles (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *large = find_action_button (window, "kiosk.large-text");
  GtkWidget *contrast = find_action_button (window, "kiosk.high-contrast");
  GtkWidget *greeting;
  g_autofree char *large_text = NULL, *contrast_text = NULL;
  int before;

  g_assert_nonnull (large);
  g_assert_nonnull (contrast);
  large_text = fr_kiosk_a11y_text_of (large);
  contrast_text = fr_kiosk_a11y_text_of (contrast);
  g_assert_true (strstr (large_text, "Larger text") != NULL);
  g_assert_true (strstr (contrast_text, "High contrast") != NULL);

  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  greeting = find_with_class (fr_kiosk_window_get_screen (fixture->window), GTK_TYPE_LABEL, "fr-greeting");
  g_assert_nonnull (greeting);
  kiosk_wait_frames (window, 2);
  before = natural_height (greeting);
  kiosk_activate (fixture, NULL, "kiosk.large-text", NULL);
  kiosk_activate (fixture, NULL, "kiosk.high-contrast", NULL);
  kiosk_wait_frames (window, 2);
  g_assert_cmpint (natural_height (greeting), >, before);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (large)));

  /* The person sends a message and leaves from the receipt with Exit. */
  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  while (kiosk_wizard_answer_step (fixture, "A message"))
    ;
  kiosk_activate (fixture, NULL, "wizard.agree", NULL);
  kiosk_activate (fixture, fr_kiosk_window_get_screen (fixture->window), "wizard.send", NULL);
  g_assert_true (gtk_widget_has_css_class (window, "large-text"));
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  g_assert_false (gtk_widget_has_css_class (window, "large-text"));
  g_assert_false (gtk_widget_has_css_class (window, "high-contrast"));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (large)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (contrast)));

  /* Pressed on the start screen and left there: the idle reset clears it too. */
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  kiosk_activate (fixture, NULL, "kiosk.large-text", NULL);
  g_assert_true (gtk_widget_has_css_class (window, "large-text"));
  fr_kiosk_window_set_idle_timeout_ms (fixture->window, 1000);
  kiosk_wait (1800);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "cover");
  g_assert_false (gtk_widget_has_css_class (window, "large-text"));
  kiosk_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  kiosk_test_init (&argc, &argv);

  g_test_add_func ("/kiosk/visit/progress", test_progress);
  g_test_add_func ("/kiosk/visit/receipt", test_receipt);
  g_test_add_func ("/kiosk/visit/display-toggles", test_display_toggles);
  return g_test_run ();
}
