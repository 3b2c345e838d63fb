/* test-gallery.c — every screen in every language, rendered to screens/LANG-SCREEN.png
 *
 * The gallery is for people to look at (layout, scripts, right-to-left); the test
 * asserts that each screen rendered to a non-empty PNG of the window's size.
 */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include "kiosk-fixture.h"

typedef struct
{
  const char *lang;
  guint       written;
} Gallery;

static void
shoot (KioskFixture *fixture,
       const char   *screen,
       gpointer      data)
{
  Gallery *gallery = data;
  g_autofree char *name = g_strdup_printf ("%s-%s", gallery->lang ? gallery->lang : "any", screen);
  g_autofree char *path = kiosk_screenshot (fixture, name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, gtk_widget_get_width (GTK_WIDGET (fixture->window)));
  g_assert_cmpint (gdk_texture_get_height (texture), >, 100);
  gallery->written++;
}

static void
test_gallery (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  const char *const *langs = fr_kiosk_context_get_languages (fixture->context);
  Gallery gallery = { NULL, 0 };

  kiosk_visit_screens (fixture, NULL, shoot, &gallery);
  for (guint i = 0; langs[i]; i++)
    {
      gallery.lang = langs[i];
      kiosk_visit_screens (fixture, langs[i], shoot, &gallery);
    }
  g_test_message ("%u screenshots in %s/screens", gallery.written, g_getenv ("G_TEST_BUILDDIR"));
  g_assert_cmpuint (gallery.written, >=, 4 + 8 * g_strv_length ((char **) langs));
  kiosk_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  kiosk_test_init (&argc, &argv);
  g_test_add_func ("/kiosk/gallery", test_gallery);
  return g_test_run ();
}
