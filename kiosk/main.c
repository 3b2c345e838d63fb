/* main.c — fristad-kiosk
 *
 *   fristad-kiosk [--config FILE] [--windowed] [--demo]
 *   fristad-kiosk [--config FILE] --submit FILE.json [--attach voice=FILE.ogg]
 *   fristad-kiosk [--config FILE] --flush | --print-kiosk-key | --check-config
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "fr-headless.h"

static int
usage_error (const char *message)
{
  g_printerr ("fristad-kiosk: %s (see 'fristad-kiosk --help')\n", message);
  return FR_EXIT_BAD_INPUT;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = NULL;
  g_autofree char *submit = NULL;
  g_auto(GStrv) attach = NULL;
  gboolean flush = FALSE, print_key = FALSE, check = FALSE, windowed = FALSE, demo = FALSE;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Site config (default " FR_SITE_DEFAULT_CONFIG ")", "FILE" },
    { "windowed", 0, 0, G_OPTION_ARG_NONE, &windowed, "Run in a window (development)", NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Run with a throwaway site, demo keys and a local queue", NULL },
    { "submit", 0, 0, G_OPTION_ARG_FILENAME, &submit, "Complete, seal and enqueue a partial record, then try to deliver", "FILE.json" },
    { "attach", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &attach, "Attach a voice message to --submit", "voice=FILE.ogg" },
    { "flush", 0, 0, G_OPTION_ARG_NONE, &flush, "Deliver the outbox now and exit", NULL },
    { "print-kiosk-key", 0, 0, G_OPTION_ARG_NONE, &print_key, "Print this kiosk's fristad-kiosk: key", NULL },
    { "check-config", 0, 0, G_OPTION_ARG_NONE, &check, "Validate the site config and exit", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the Fristad kiosk");
  g_autoptr(GError) error = NULL;
  g_autoptr(FrHeadless) headless = NULL;
  const char *voice = NULL;
  guint n_modes;

  setlocale (LC_ALL, "");
  fr_harden_process ();
  if (!fr_init ())
    {
      g_printerr ("fristad-kiosk: libsodium could not be initialised\n");
      return FR_EXIT_OPERATIONAL;
    }

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc > 1)
    return usage_error ("unexpected argument");

  n_modes = (submit != NULL) + flush + print_key + check;
  if (n_modes > 1)
    return usage_error ("give only one of --submit, --flush, --print-kiosk-key, --check-config");
  if (attach != NULL)
    {
      if (submit == NULL)
        return usage_error ("--attach needs --submit");
      if (g_strv_length (attach) > 1)
        return usage_error ("only one voice message can be attached");
      if (!g_str_has_prefix (attach[0], "voice=") || attach[0][6] == '\0')
        return usage_error ("--attach takes voice=FILE.ogg");
      voice = attach[0] + strlen ("voice=");
    }

  if (n_modes == 0)
    {
      /* The touch interface is the next piece of work (the kiosk issue); say so plainly. */
      g_printerr ("fristad-kiosk: the touch interface is not in this build yet; "
                  "use --submit, --flush, --print-kiosk-key or --check-config\n");
      return FR_EXIT_BAD_INPUT;
    }

  headless = fr_headless_new (config ? config : FR_SITE_DEFAULT_CONFIG, &error);
  if (headless == NULL)
    {
      g_printerr ("fristad-kiosk: %s\n", error->message);
      return fr_headless_exit_status (error);
    }

  if (submit != NULL)
    return fr_headless_submit (headless, submit, voice);
  if (flush)
    return fr_headless_flush (headless);
  if (print_key)
    return fr_headless_print_kiosk_key (headless);
  return fr_headless_check_config (headless);
}
