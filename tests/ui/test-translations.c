/* test-translations.c — a session in Thai, Arabic or Chinese shows its interface strings
 * translated (i18n/po, found through FRISTAD_LOCALEDIR in the build tree), never the
 * English msgid, and an English session after it is English again.
 *
 * The expected text is read from the catalogue (fr_kiosk_i18n_translate_for) so that a
 * reviewer's rewording does not break the test; the test also asserts it is in the
 * language's own script, so an English "translation" or a missing catalogue fails.
 */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include "fr-kiosk-i18n.h"
#include "kiosk-fixture.h"

/* What a person sees on the home screen: the top bar (C code), the title (a .ui
 * template) and a tile. */
static const char *const home_strings[] = {
  N_("Home"),
  N_("Exit"),
  N_("How can we help?"),
  N_("Send a message to social services"),
  NULL,
};

typedef struct
{
  const char *lang;
  gunichar    script_first;
  gunichar    script_last;
} Script;

static const Script scripts[] = {
  { "th", 0x0E00, 0x0E7F },
  { "ar", 0x0600, 0x06FF },
  { "zh_CN", 0x4E00, 0x9FFF },
};

/* The mapped label whose whole text is @text, or NULL. */
static GtkWidget *
find_shown_label (GtkWidget  *root,
                  const char *text)
{
  if (!gtk_widget_get_mapped (root))
    return NULL;
  if (GTK_IS_LABEL (root) && g_str_equal (gtk_label_get_text (GTK_LABEL (root)), text))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_shown_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
in_script (const char    *text,
           const Script  *script)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= script->script_first && c <= script->script_last)
        return TRUE;
    }
  return FALSE;
}

static void
start_session (KioskFixture *fixture,
               const char   *lang)
{
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  kiosk_activate (fixture, NULL, "kiosk.language", lang);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
}

static void
test_translated_home (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  GtkWidget *window = GTK_WIDGET (fixture->window);

  for (guint i = 0; i < G_N_ELEMENTS (scripts); i++)
    {
      const Script *script = &scripts[i];

      start_session (fixture, script->lang);
      for (guint j = 0; home_strings[j] != NULL; j++)
        {
          const char *msgid = home_strings[j];
          g_autofree char *translated = fr_kiosk_i18n_translate_for (script->lang, msgid);

          if (translated == NULL)
            g_error ("%s: no translation of \"%s\" (is FRISTAD_LOCALEDIR the build tree's i18n/po?)",
                     script->lang, msgid);
          g_assert_cmpstr (translated, !=, msgid);
          g_assert_true (in_script (translated, script));
          if (find_shown_label (window, translated) == NULL)
            g_error ("%s: \"%s\" (for \"%s\") is not on the home screen", script->lang, translated, msgid);
          g_assert_null (find_shown_label (window, msgid));
        }
    }

  /* The next session, in English, is English again: nothing of the last one stays. */
  start_session (fixture, "en");
  for (guint j = 0; home_strings[j] != NULL; j++)
    g_assert_nonnull (find_shown_label (window, home_strings[j]));
  kiosk_fixture_free (fixture);
}

/* The cover (what shows between sessions) is in the neutral language whatever the last
 * session was: someone watching learns nothing from it. */
static void
test_cover_neutral (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  GtkWidget *window = GTK_WIDGET (fixture->window);

  start_session (fixture, "ar");
  g_assert_true (gtk_widget_get_direction (window) == GTK_TEXT_DIR_RTL
                 || gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL);
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_wait_frames (window, 2);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "cover");
  g_assert_nonnull (find_shown_label (window, "Help and information"));
  g_assert_true (gtk_widget_get_default_direction () == GTK_TEXT_DIR_LTR);
  kiosk_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  kiosk_test_init (&argc, &argv);
  g_test_add_func ("/kiosk/translations/home", test_translated_home);
  g_test_add_func ("/kiosk/translations/cover-neutral", test_cover_neutral);
  return g_test_run ();
}
