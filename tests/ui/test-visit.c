/* test-visit.c — one visit in real hands (issue 19): progress that never goes back, the
 * voice question shown and skippable, a receipt with Done and the number to call, A+ and contrast labelled,
 * working on the start screen and reset for the next person. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-maintenance.h"
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
      /* The voice question is on the way, skippable (test-voice records on it). */
      if (fr_kiosk_question_get_question (FR_KIOSK_QUESTION (page))->kind == FR_QUESTION_VOICE)
        g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fr_kiosk_wizard_get_voice (wizard))));
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

/* A volunteer taking a call gets the form worded for that (content data, every language:
 * form-volunteer.ini), without "I will come back here later"; the person at the kiosk
 * keeps their own wording. */
static const FrQuestion *
first_question (KioskFixture *fixture,
                const char   *lang,
                const char   *channel,
                const char   *id)
{
  g_autoptr(FrKioskSession) session = fr_kiosk_session_new ();
  GtkWidget *wizard;
  const FrQuestion *found = NULL;

  fr_kiosk_session_set_language (session, lang);
  if (channel != NULL)
    g_assert_true (fr_kiosk_session_set_assisted (session, channel, "v-17", 4));
  wizard = g_object_ref_sink (fr_kiosk_wizard_new (fixture->context, session));
  found = fr_kiosk_wizard_get_question (FR_KIOSK_WIZARD (wizard), id);
  fr_kiosk_wizard_wipe (FR_KIOSK_WIZARD (wizard));
  g_object_unref (wizard);
  g_assert_nonnull (found);
  return found;
}

static gboolean
has_option (const FrQuestion *q,
            const char       *id)
{
  for (guint i = 0; i < q->n_options; i++)
    if (g_str_equal (q->options[i].id, id))
      return TRUE;
  return FALSE;
}

static void
test_volunteer_wording (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  const char *const *langs = fr_kiosk_context_get_languages (fixture->context);
  const FrContent *content = fr_kiosk_context_get_content (fixture->context);

  g_assert_cmpstr (first_question (fixture, "en", FR_KIOSK_CHANNEL_HOTLINE, "needs")->label, ==,
                   "What does the caller need help with?");
  g_assert_cmpstr (first_question (fixture, "en", NULL, "needs")->label, ==, "What do you need help with?");
  for (guint i = 0; langs[i]; i++)
    {
      const FrQuestion *const *person = fr_content_get_form_for (content, langs[i], FALSE);
      const FrQuestion *const *volunteer = fr_content_get_form_for (content, langs[i], TRUE);
      guint n = 0;

      /* Every question worded for the volunteer in every language (none left in the
       * person's own wording), the same ids, kinds and conditions. */
      for (n = 0; person[n] != NULL; n++)
        {
          g_assert_nonnull (volunteer[n]);
          g_assert_cmpstr (volunteer[n]->id, ==, person[n]->id);
          g_assert_cmpint (volunteer[n]->kind, ==, person[n]->kind);
          g_assert_cmpstr (volunteer[n]->show_if_question, ==, person[n]->show_if_question);
          if (person[n]->kind != FR_QUESTION_VOICE)
            {
              if (g_str_equal (volunteer[n]->label, person[n]->label))
                g_test_message ("%s: %s has no volunteer wording", langs[i], person[n]->id);
              g_assert_cmpstr (volunteer[n]->label, !=, person[n]->label);
            }
        }
      g_assert_null (volunteer[n]);
      g_assert_cmpstr (fr_content_get_group_title_for (content, langs[i], "needs", TRUE), !=,
                       fr_content_get_group_title_for (content, langs[i], "needs", FALSE));
    }
  for (guint i = 0; langs[i]; i++)
    {
      const FrQuestion *kiosk = first_question (fixture, langs[i], NULL, "contact_method");
      const FrQuestion *assisted = first_question (fixture, langs[i], FR_KIOSK_CHANNEL_ASSISTED, "contact_method");
      const FrQuestion *hotline = first_question (fixture, langs[i], FR_KIOSK_CHANNEL_HOTLINE, "contact_method");

      g_assert_true (has_option (kiosk, "i-will-come-back"));
      g_assert_false (has_option (assisted, "i-will-come-back"));
      g_assert_false (has_option (hotline, "i-will-come-back"));
      g_assert_true (has_option (hotline, "phone"));
      g_assert_cmpstr (hotline->label, !=, kiosk->label);
    }
  kiosk_fixture_free (fixture);
}

/* "Deliver now" on the maintenance screen says what happened. */
typedef struct
{
  GtkWidget  *widget;
  const char *text;
} TextWait;

static gboolean
shows_text (gpointer data)
{
  TextWait *w = data;

  return kiosk_tree_contains (w->widget, w->text);
}

static void
test_deliver_now (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  GtkWidget *maintenance;
  TextWait done;

  /* One record in the outbox, not delivered yet. */
  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  while (kiosk_wizard_answer_step (fixture, "A message"))
    ;
  kiosk_activate (fixture, NULL, "wizard.agree", NULL);
  kiosk_activate (fixture, fr_kiosk_window_get_screen (fixture->window), "wizard.send", NULL);
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);

  maintenance = g_object_ref_sink (fr_kiosk_maintenance_new (fixture->context));
  g_assert_true (gtk_widget_activate_action (maintenance, "maintenance.deliver", NULL));
  g_assert_true (kiosk_tree_contains (maintenance, "Delivery is turned off on this kiosk."));

  fr_kiosk_context_set_delivery_enabled (fixture->context, TRUE);
  g_assert_true (gtk_widget_activate_action (maintenance, "maintenance.deliver", NULL));
  g_assert_true (kiosk_tree_contains (maintenance, "Delivering…"));
  /* The fixture's site has no queue listening: the record stays, and it says so. */
  done = (TextWait) { maintenance, "Delivery done. Delivered: 0. Still waiting: 1. Refused by the queue: 0." };
  g_assert_true (kiosk_wait_until (shows_text, &done, 20000));

  /* Again at once: the record waits for its next attempt, nothing is due now. */
  g_assert_true (gtk_widget_activate_action (maintenance, "maintenance.deliver", NULL));
  done = (TextWait) { maintenance, "Nothing to deliver" };
  g_assert_true (kiosk_wait_until (shows_text, &done, 20000));
  g_object_unref (maintenance);
  fr_kiosk_context_set_delivery_enabled (fixture->context, FALSE);
  kiosk_fixture_free (fixture);
}

/* The PIN pad stays still: the error appearing and going moves neither Unlock nor the
 * keys (the Unlock tap missed by 30 px). */
static void
test_pin_pad_still (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *unlock;
  graphene_rect_t before, after;

  kiosk_activate (fixture, NULL, "kiosk.unlock", "maintenance");
  kiosk_wait_frames (window, 2);
  unlock = find_action_button (fr_kiosk_window_get_screen (fixture->window), "pin.unlock");
  g_assert_nonnull (unlock);
  g_assert_true (gtk_widget_compute_bounds (unlock, window, &before));
  kiosk_enter_pin (fixture, "000000");
  kiosk_wait_frames (window, 2);
  g_assert_true (kiosk_tree_contains (fr_kiosk_window_get_screen (fixture->window), "That PIN is not right."));
  g_assert_true (gtk_widget_compute_bounds (unlock, window, &after));
  g_assert_true (graphene_rect_equal (&before, &after));
  /* Four more: the pad locks, and the longer lockout message moves nothing either. */
  for (guint i = 0; i < 4; i++)
    kiosk_enter_pin (fixture, "000000");
  kiosk_wait_frames (window, 2);
  g_assert_true (kiosk_tree_contains (fr_kiosk_window_get_screen (fixture->window), "Too many wrong PINs"));
  g_assert_true (gtk_widget_compute_bounds (unlock, window, &after));
  g_assert_true (graphene_rect_equal (&before, &after));
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
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
  g_test_add_func ("/kiosk/visit/volunteer-wording", test_volunteer_wording);
  g_test_add_func ("/kiosk/visit/deliver-now", test_deliver_now);
  g_test_add_func ("/kiosk/visit/pin-pad-still", test_pin_pad_still);
  return g_test_run ();
}
