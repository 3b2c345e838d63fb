/* fristad-inbox — the staff inbox: fetch, read and follow up records on a workstation
 *
 * Same inbox directory, key file and kiosk roster as fristad-staff (intake/fr-inbox.h);
 * settings in ~/.config/fristad/inbox.conf (fr-inbox-session.h).
 */
#define G_LOG_DOMAIN "fristad-inbox"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "fr-inbox-application.h"
#include "fr-intake.h"
#include "fr-site.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(FrInboxApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, fr_site_shipped_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (!fr_init ())
    {
      g_printerr ("fristad-inbox: libsodium cannot be initialised\n");
      return 1;
    }
  fr_harden_process ();
  app = fr_inbox_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
