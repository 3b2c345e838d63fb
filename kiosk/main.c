/* main.c — fristad-kiosk
 *
 *   fristad-kiosk [--config FILE] [--windowed] [--demo]
 *   fristad-kiosk [--config FILE] --submit FILE.json [--attach voice=FILE.ogg]
 *   fristad-kiosk [--config FILE] --flush | --print-kiosk-key | --check-config
 *   fristad-kiosk --hash-pin [--pin-file FILE]
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

#include "fr-headless.h"

#ifdef FR_KIOSK_HAVE_UI
#include "fr-kiosk-context.h"
#include "fr-kiosk-demo.h"
#include "fr-kiosk-i18n.h"
#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-window.h"

typedef struct
{
  const char *config;
  gboolean    windowed;
  int         status;
} UiRun;

static void
on_activate (GApplication *app,
             UiRun        *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrKioskContext) context = NULL;
  FrKioskWindow *window;

  fr_kiosk_ui_init ();
  context = fr_kiosk_context_new (run->config, NULL, &error);
  if (context == NULL)
    {
      g_printerr ("fristad-kiosk: %s\n", error->message);
      run->status = fr_headless_exit_status (error);
      return;
    }
  window = fr_kiosk_window_new (context, run->windowed);
  gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (app));
  if (!run->windowed)
    {
      fr_kiosk_window_size_to_monitor (window);
      gtk_window_fullscreen (GTK_WINDOW (window));
    }
  gtk_window_present (GTK_WINDOW (window));
  /* Every language's screens drawn once out of sight, so fonts are loaded now, not in
   * someone's first session (fr-kiosk-warmup.c). */
  fr_kiosk_window_warm_up (window);
  /* Starts delivering whatever an earlier run left in the outbox. */
  fr_kiosk_context_deliver_soon (context);
}

/* SIGTERM (the session supervisor) and SIGINT end the kiosk the orderly way: the session
 * is wiped and freed, and a --demo removes its throwaway keys and site. */
static gboolean
quit_on_signal (gpointer data)
{
  g_message ("signal received: quitting");
  g_application_quit (G_APPLICATION (data));
  return G_SOURCE_CONTINUE;
}

/* The touch interface. Nothing of GTK is touched before the environment is scrubbed. */
static int
run_ui (const char *config,
        gboolean    windowed,
        gboolean    demo)
{
  g_autoptr(AdwApplication) app = NULL;
  g_autoptr(FrKioskDemo) site = NULL;
  g_autoptr(GError) error = NULL;
  UiRun run = { config ? config : FR_SITE_DEFAULT_CONFIG, windowed, FR_EXIT_OK };
  char *app_argv[] = { (char *) "fristad-kiosk", NULL };
  int status;

  fr_kiosk_lockdown_scrub_environment ();
  fr_kiosk_i18n_init ();

  /* Before anything is created (a --demo's keys): without a display GTK would print
   * "cannot open display" and exit from inside g_application_run(). */
  if (!gtk_init_check ())
    {
      g_printerr ("fristad-kiosk: cannot open a display: run it in a graphical session, "
                  "or under xvfb-run -a (see README, Quick start)\n");
      return FR_EXIT_OPERATIONAL;
    }

  if (demo)
    {
      g_autofree char *content_dir = fr_kiosk_context_find_content_dir ();
      g_autoptr(FrContent) content = fr_content_load (content_dir, NULL, &error);
      g_autofree char *instructions = NULL;

      if (content == NULL)
        {
          g_printerr ("fristad-kiosk --demo: %s\n", error->message);
          return fr_headless_exit_status (error);
        }
      site = fr_kiosk_demo_new (fr_content_get_languages (content),
                                FR_KIOSK_DEMO_WITH_QUEUE | FR_KIOSK_DEMO_SAVE_STAFF_KEY
                                | FR_KIOSK_DEMO_REMOVE_ON_EXIT, &error);
      if (site == NULL)
        {
          g_printerr ("fristad-kiosk --demo: %s\n", error->message);
          return fr_headless_exit_status (error);
        }
      instructions = fr_kiosk_demo_instructions (site);
      g_print ("%s", instructions);
      fflush (stdout);
      run.config = site->config_path;
    }

  app = adw_application_new ("se.fristad.Kiosk", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), &run);
  g_unix_signal_add (SIGTERM, quit_on_signal, app);
  g_unix_signal_add (SIGINT, quit_on_signal, app);
  status = g_application_run (G_APPLICATION (app), 1, app_argv);
  return status != 0 ? status : run.status;
}
#endif

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
  g_autofree char *pin_file = NULL;
  g_auto(GStrv) attach = NULL;
  gboolean flush = FALSE, print_key = FALSE, check = FALSE, windowed = FALSE, demo = FALSE, hash_pin = FALSE;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Site config (default " FR_SITE_DEFAULT_CONFIG ")", "FILE" },
    { "windowed", 0, 0, G_OPTION_ARG_NONE, &windowed, "Run in a window (development)", NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Run with a throwaway site, demo keys and a local queue", NULL },
    { "submit", 0, 0, G_OPTION_ARG_FILENAME, &submit, "Complete, seal and enqueue a partial record, then try to deliver", "FILE.json" },
    { "attach", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &attach, "Attach a voice message to --submit", "voice=FILE.ogg" },
    { "flush", 0, 0, G_OPTION_ARG_NONE, &flush, "Deliver the outbox now and exit", NULL },
    { "print-kiosk-key", 0, 0, G_OPTION_ARG_NONE, &print_key, "Print this kiosk's fristad-kiosk: key", NULL },
    { "check-config", 0, 0, G_OPTION_ARG_NONE, &check, "Validate the site config and exit", NULL },
    { "hash-pin", 0, 0, G_OPTION_ARG_NONE, &hash_pin, "Print the hash of a PIN (6 to 12 digits) for kiosk.conf", NULL },
    { "pin-file", 0, 0, G_OPTION_ARG_FILENAME, &pin_file, "Read the PIN for --hash-pin from this file's first line", "FILE" },
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

  n_modes = (submit != NULL) + flush + print_key + check + hash_pin;
  if (n_modes > 1)
    return usage_error ("give only one of --submit, --flush, --print-kiosk-key, --check-config, --hash-pin");
  if (pin_file != NULL && !hash_pin)
    return usage_error ("--pin-file needs --hash-pin");
  if (hash_pin)
    return config != NULL ? usage_error ("--hash-pin needs no --config") : fr_headless_hash_pin (pin_file);
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
#ifdef FR_KIOSK_HAVE_UI
      if (demo && config != NULL)
        return usage_error ("--demo makes its own site; do not give --config");
      return run_ui (config, windowed, demo);
#else
      g_printerr ("fristad-kiosk: the touch interface is not in this build (-Dui=false); "
                  "use --submit, --flush, --print-kiosk-key or --check-config\n");
      return FR_EXIT_BAD_INPUT;
#endif
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
