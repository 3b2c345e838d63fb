/* fristad-inbox — the staff inbox: fetch, read and follow up records on a workstation
 *
 * Same inbox directory, key file and kiosk roster as fristad-staff (intake/fr-inbox.h);
 * settings in ~/.config/fristad/inbox.conf (fr-inbox-session.h).
 */
#define G_LOG_DOMAIN "fristad-inbox"

#include "config.h"

#include <locale.h>

#include "fr-inbox-i18n.h"

#include "fr-inbox-application.h"
#include "fr-intake.h"
#include "fr-site.h"

/* Where LANG/LC_MESSAGES/fristad-inbox.mo are: $FRISTAD_INBOX_LOCALEDIR if set; the build
 * tree's inbox/po when this binary is the build tree's; else LOCALEDIR. */
static char *
inbox_locale_dir (void)
{
  const char *env = g_getenv ("FRISTAD_INBOX_LOCALEDIR");
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self ? g_path_get_dirname (self) : NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (dir != NULL && g_str_equal (dir, FR_INBOX_BUILD_DIR))
    return g_build_filename (FR_INBOX_BUILD_DIR, "po", NULL);
  return g_strdup (LOCALEDIR);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(FrInboxApplication) app = NULL;
  g_autofree char *locale_dir = NULL;
  const char *locale = setlocale (LC_ALL, "");

  /* In C or POSIX gettext ignores LANGUAGE; C.UTF-8 is always there and does not. */
  if (locale == NULL || g_str_equal (locale, "C") || g_str_equal (locale, "POSIX"))
    setlocale (LC_ALL, "C.UTF-8");
  locale_dir = inbox_locale_dir ();
  bindtextdomain (FR_INBOX_GETTEXT_DOMAIN, locale_dir);
  bind_textdomain_codeset (FR_INBOX_GETTEXT_DOMAIN, "UTF-8");
  textdomain (FR_INBOX_GETTEXT_DOMAIN);
  if (!fr_init ())
    {
      g_printerr ("fristad-inbox: libsodium cannot be initialised\n");
      return 1;
    }
  fr_harden_process ();
  app = fr_inbox_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
