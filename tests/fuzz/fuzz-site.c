/* fuzz-site.c — kiosk.conf parsing (written to a temporary file, as the kiosk reads it) */
#define G_LOG_DOMAIN "fristad-fuzz"

#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <unistd.h>

#include "fr-site.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *path;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GError *error = NULL;
  FrSite *site;

  if (path == NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("fristad-fuzz-site-XXXXXX", NULL);

      g_assert_nonnull (dir);
      path = g_build_filename (dir, "kiosk.conf", NULL);
    }
  g_assert_true (g_file_set_contents (path, (const char *) data, size, NULL));
  site = fr_site_load (path, &error);
  g_assert_true ((site == NULL) == (error != NULL));
  if (site != NULL)
    {
      g_assert_nonnull (site->id);
      g_assert_cmpuint (site->n_recipients, >=, 1);
      for (guint i = 0; i < site->contacts->len; i++)
        g_free (fr_site_contact_text (site, g_ptr_array_index (site->contacts, i), "name", "sv"));
    }
  g_clear_pointer (&site, fr_site_free);
  g_clear_error (&error);
  return 0;
}
