/* test-layout.c — right-to-left sessions, accessible names, touch target sizes */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include "fr-kiosk-a11y.h"
#include "kiosk-fixture.h"

static void
test_arabic_rtl (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  GtkWidget *home;

  kiosk_activate (fixture, NULL, "kiosk.language", "ar");
  home = fr_kiosk_window_get_screen (fixture->window);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  g_assert_cmpint (gtk_widget_get_direction (home), ==, GTK_TEXT_DIR_RTL);
  g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (fixture->window)), ==, GTK_TEXT_DIR_RTL);

  /* The next session starts left to right again. */
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  kiosk_activate (fixture, NULL, "kiosk.language", "sv");
  g_assert_cmpint (gtk_widget_get_direction (fr_kiosk_window_get_screen (fixture->window)), ==, GTK_TEXT_DIR_LTR);
  kiosk_fixture_free (fixture);
}

typedef struct
{
  guint checked;
  guint problems;
} Check;

static void
check_tree (GtkWidget  *widget,
            const char *screen,
            Check      *check)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (fr_kiosk_a11y_is_interactive (widget))
    {
      gboolean named = gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL)
                       || gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      int width = gtk_widget_get_width (widget);
      int height = gtk_widget_get_height (widget);

      check->checked++;
      if (!named)
        {
          g_test_message ("%s: a %s has no accessible name", screen, G_OBJECT_TYPE_NAME (widget));
          check->problems++;
        }
      if (GTK_IS_BUTTON (widget) && (width < 48 || height < 48))
        {
          g_autofree char *text = fr_kiosk_a11y_text_of (widget);

          g_test_message ("%s: %s \"%s\" is %d×%d", screen, G_OBJECT_TYPE_NAME (widget), text, width, height);
          check->problems++;
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    check_tree (child, screen, check);
}

static void
check_screen (KioskFixture *fixture,
              const char   *screen,
              gpointer      data)
{
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 3);
  check_tree (GTK_WIDGET (fixture->window), screen, data);
}

static void
test_names_and_sizes (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  Check check = { 0 };

  kiosk_visit_screens (fixture, NULL, check_screen, &check);
  kiosk_visit_screens (fixture, "en", check_screen, &check);
  kiosk_visit_screens (fixture, "ar", check_screen, &check);
  g_assert_cmpuint (check.checked, >, 100);
  g_assert_cmpuint (check.problems, ==, 0);
  kiosk_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  kiosk_test_init (&argc, &argv);

  g_test_add_func ("/kiosk/layout/arabic-rtl", test_arabic_rtl);
  g_test_add_func ("/kiosk/layout/names-and-sizes", test_names_and_sizes);
  return g_test_run ();
}
