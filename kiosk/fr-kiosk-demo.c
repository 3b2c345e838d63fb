/* fr-kiosk-demo.c — `fristad-kiosk --demo`: a throwaway site with demo keys and a queue */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "fr-kiosk-demo.h"
#include "fr-queue.h"
#include "fr-roster.h"
#include "fr-site.h"

/* The demo contacts: Sweden's national numbers (shared/FACTS.md). */
static const char demo_contacts[] =
  "[contact emergency]\n"
  "name=Emergency: police, ambulance, fire\n"
  "name[sv]=Nödnummer: polis, ambulans, brandkår\n"
  "phone=112\n"
  "hours=Day and night\n"
  "hours[sv]=Dygnet runt\n"
  "tiles=help-now\n"
  "\n"
  "[contact police]\n"
  "name=Police, when it is not an emergency\n"
  "name[sv]=Polisen, när det inte är akut\n"
  "phone=114 14\n"
  "tiles=help-now\n"
  "\n"
  "[contact health-advice]\n"
  "name=Health-care advice by phone\n"
  "name[sv]=Sjukvårdsrådgivning\n"
  "phone=1177\n"
  "hours=Day and night\n"
  "hours[sv]=Dygnet runt\n"
  "tiles=talk\n"
  "\n"
  "[contact social-services]\n"
  "name=Social services (demo number)\n"
  "name[sv]=Socialtjänsten (demonummer)\n"
  "phone=+46 000-00 00 00\n"
  "note=This is a demo: a real site puts its own number here.\n"
  "tiles=talk\n"
  "\n"
  "[contact social-emergency]\n"
  "name=Social emergency service, evenings, nights and weekends (demo number)\n"
  "name[sv]=Socialjouren, kvällar, nätter och helger (demonummer)\n"
  "phone=+46 000-00 00 01\n"
  "note=This is a demo: a real site puts its own number here.\n";

void
fr_kiosk_rmtree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        fr_kiosk_rmtree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The watcher behind FR_KIOSK_DEMO_REMOVE_ON_EXIT. The demo's directory holds a staff key
 * and its passphrase; the kiosk removes it on an orderly quit, but GTK ends the process
 * itself when the display goes away, and a crash or SIGKILL runs no cleanup at all. So a
 * child process waits on a pipe whose only write end this process holds: the read returns
 * end-of-file when this process has ended, however it ended, and the child then runs
 * `rm -rf DIR`. Between fork() and exec() it makes only async-signal-safe calls. */
static void
run_reaper (int         pipe_read,
            const char *dir) G_GNUC_NORETURN;

static void
run_reaper (int         pipe_read,
            const char *dir)
{
  const char *argv[] = { "rm", "-rf", "--", dir, NULL };
  struct sigaction ignore = { .sa_handler = SIG_IGN };
  const int ignored[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };
  int null = open ("/dev/null", O_RDWR);
  char c;

  /* Ctrl+C at the terminal or a supervisor's SIGTERM to the process group must not take
   * the watcher down before it has done its one job. */
  for (gsize i = 0; i < G_N_ELEMENTS (ignored); i++)
    sigaction (ignored[i], &ignore, NULL);
  /* No inherited descriptor stays open: a caller reading the kiosk's output sees its end. */
  if (null >= 0)
    {
      dup2 (null, STDIN_FILENO);
      dup2 (null, STDOUT_FILENO);
      dup2 (null, STDERR_FILENO);
    }
  if (dup2 (pipe_read, 3) < 0)
    _exit (127);
  if (close_range (4, ~0U, 0) != 0)
    for (int fd = 4; fd < 65536; fd++)
      close (fd);
  for (;;)
    {
      ssize_t n = read (3, &c, 1);

      if (n == 0 || (n < 0 && errno != EINTR))
        break;
    }
  execv ("/bin/rm", (char **) argv);
  _exit (127);
}

static gboolean
start_reaper (FrKioskDemo  *demo,
              GError      **error)
{
  int fds[2];
  pid_t pid;

  if (!g_unix_open_pipe (fds, FD_CLOEXEC, error))
    return FALSE;
  pid = fork ();
  if (pid < 0)
    {
      int saved = errno;

      close (fds[0]);
      close (fds[1]);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot start the demo's clean-up watcher: %s", g_strerror (saved));
      return FALSE;
    }
  if (pid == 0)
    run_reaper (fds[0], demo->dir);
  close (fds[0]);
  demo->reaper_fd = fds[1];
  return TRUE;
}

void
fr_kiosk_demo_free (FrKioskDemo *demo)
{
  if (demo == NULL)
    return;
  g_clear_pointer (&demo->server, fr_queue_server_free);
  g_clear_pointer (&demo->store, fr_queue_store_close);
  g_clear_pointer (&demo->staff, fr_staff_key_free);
  if (demo->dir != NULL)
    fr_kiosk_rmtree (demo->dir);
  g_free (demo->dir);
  g_free (demo->config_path);
  g_free (demo->state_dir);
  g_free (demo->staff_key_path);
  g_free (demo->passphrase_path);
  g_free (demo->queue_url);
  /* The directory is gone already; the watcher's rm finds nothing. */
  if (demo->reaper_fd >= 0)
    close (demo->reaper_fd);
  g_free (demo);
}

static gboolean
write_private_file (const char  *path,
                    const char  *text,
                    gsize        len,
                    GError     **error)
{
  if (!g_file_set_contents_full (path, text, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  return TRUE;
}

static gboolean
save_staff_key (FrKioskDemo  *demo,
                GError      **error)
{
  g_autoptr(FrSecret) passphrase = fr_secret_new (24);
  g_autoptr(FrSecret) line = NULL;
  guint8 raw[16];

  /* A random passphrase, written as base64 so it is one printable line. */
  randombytes_buf (raw, sizeof raw);
  sodium_bin2base64 ((char *) passphrase->data, passphrase->len + 1, raw, sizeof raw,
                     sodium_base64_VARIANT_ORIGINAL);
  sodium_memzero (raw, sizeof raw);
  passphrase->len = strlen ((char *) passphrase->data);

  demo->staff_key_path = g_build_filename (demo->dir, "staff.key", NULL);
  demo->passphrase_path = g_build_filename (demo->dir, "staff.passphrase", NULL);
  line = fr_secret_new (passphrase->len + 1);
  memcpy (line->data, passphrase->data, passphrase->len);
  line->data[passphrase->len] = '\n';
  if (!write_private_file (demo->passphrase_path, (const char *) line->data, line->len, error))
    return FALSE;
  return fr_staff_key_save (demo->staff, demo->staff_key_path, passphrase, error);
}

/* The staff key's kiosk roster (KEYFILE.kiosks) with the demo kiosk in it, so the printed
 * fristad-staff commands accept its records. */
static gboolean
save_staff_roster (FrKioskDemo       *demo,
                   const FrKioskKey  *kiosk,
                   GError           **error)
{
  g_autoptr(FrRoster) roster = fr_roster_new ();
  g_autofree char *path = fr_roster_path_for_key (demo->staff_key_path);

  return fr_roster_add (roster, "demo-kiosk", kiosk->pk, error)
         && fr_roster_save (roster, path, demo->staff, error);
}

static gboolean
start_queue (FrKioskDemo       *demo,
             const FrKioskKey  *kiosk,
             GError           **error)
{
  g_autofree char *db = g_build_filename (demo->dir, "queue.db", NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint8 recipient_kid[FR_KID_SIZE];

  demo->store = fr_queue_store_open (db, error);
  if (demo->store == NULL)
    return FALSE;
  /* The demo reader sees what is sealed to the demo staff's own recipient key. */
  fr_kid_compute (demo->staff->recipient_pk, recipient_kid);
  if (!fr_queue_store_enroll (demo->store, "demo-kiosk", FR_KEY_KIND_KIOSK, kiosk->pk, NULL, now, error)
      || !fr_queue_store_enroll (demo->store, "demo-staff", FR_KEY_KIND_READER, demo->staff->reader_pk,
                                 recipient_kid, now, error))
    return FALSE;
  demo->server = fr_queue_server_new (demo->store, FR_QUEUE_DEFAULT_RATE, NULL, error);
  if (demo->server == NULL)
    return FALSE;
  if (!fr_queue_server_listen (demo->server, address, error))
    return FALSE;
  bound = fr_queue_server_get_address (demo->server);
  demo->queue_url = g_strdup_printf ("http://127.0.0.1:%u",
                                     g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  return TRUE;
}

/**
 * fr_kiosk_demo_new:
 * @languages: the languages to offer, in order
 * @flags: what to set up
 *
 * Returns: (transfer full): the demo site, or %NULL with an error.
 */
FrKioskDemo *
fr_kiosk_demo_new (const char *const  *languages,
                   FrKioskDemoFlags    flags,
                   GError            **error)
{
  g_autoptr(FrKioskDemo) demo = g_new0 (FrKioskDemo, 1);
  g_autoptr(FrKioskKey) kiosk = NULL;
  g_autofree char *recipient = NULL;
  g_autofree char *pin_hash = NULL;
  g_autofree char *maintenance_hash = NULL;
  g_autofree char *langs = NULL;
  g_autofree char *conf = NULL;

  g_return_val_if_fail (languages != NULL && languages[0] != NULL, NULL);

  demo->reaper_fd = -1;
  demo->dir = g_dir_make_tmp ("fristad-demo-XXXXXX", error);
  if (demo->dir == NULL)
    return NULL;
  if ((flags & FR_KIOSK_DEMO_REMOVE_ON_EXIT) && !start_reaper (demo, error))
    return NULL;
  demo->config_path = g_build_filename (demo->dir, "kiosk.conf", NULL);
  demo->state_dir = g_build_filename (demo->dir, "state", NULL);
  if (g_mkdir (demo->state_dir, 0700) != 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: cannot create the demo state directory", demo->state_dir);
      return NULL;
    }

  demo->staff = fr_staff_key_generate ();
  if ((flags & FR_KIOSK_DEMO_SAVE_STAFF_KEY) && !save_staff_key (demo, error))
    return NULL;
  kiosk = fr_kiosk_key_load_or_create (demo->state_dir, error);
  if (kiosk == NULL)
    return NULL;
  if ((flags & FR_KIOSK_DEMO_SAVE_STAFF_KEY) && !save_staff_roster (demo, kiosk, error))
    return NULL;

  if (flags & FR_KIOSK_DEMO_WITH_QUEUE)
    {
      if (!start_queue (demo, kiosk, error))
        return NULL;
    }
  else
    demo->queue_url = g_strdup ("http://127.0.0.1:9");   /* discard port: nothing listens */

  recipient = fr_key_string_format (FR_KEY_KIND_RECIPIENT, demo->staff->recipient_pk);
  pin_hash = fr_site_hash_pin (FR_KIOSK_DEMO_PIN, strlen (FR_KIOSK_DEMO_PIN), error);
  if (pin_hash == NULL)
    return NULL;
  maintenance_hash = fr_site_hash_pin (FR_KIOSK_DEMO_MAINTENANCE_PIN, strlen (FR_KIOSK_DEMO_MAINTENANCE_PIN), error);
  if (maintenance_hash == NULL)
    return NULL;
  langs = g_strjoinv (";", (char **) languages);
  conf = g_strdup_printf ("[site]\n"
                          "id=demo-kommun\n"
                          "name=Demo kommun\n"
                          "name[en]=Demo Municipality\n"
                          "languages=%s\n"
                          "state-dir=state\n"
                          "\n"
                          "[queue]\n"
                          "url=%s\n"
                          "\n"
                          "[recipients]\n"
                          "keys=%s\n"
                          "\n"
                          "[kiosk]\n"
                          "idle-timeout=%d\n"
                          "assisted-pin=%s\n"
                          "maintenance-pin=%s\n"
                          "\n"
                          "%s",
                          langs, demo->queue_url, recipient, FR_SITE_DEFAULT_IDLE_TIMEOUT,
                          pin_hash, maintenance_hash, demo_contacts);
  if (!write_private_file (demo->config_path, conf, strlen (conf), error))
    return NULL;
  return g_steal_pointer (&demo);
}

/**
 * fr_kiosk_demo_instructions:
 *
 * Returns: (transfer full): how to fetch and open the demo records, for stdout.
 */
/* The staff tool beside this kiosk binary when running from a build tree
 * (build/kiosk/fristad-kiosk → build/intake/tools/fristad-staff), else the installed one. */
static char *
staff_command (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname (exe) : NULL;
  g_autofree char *beside = dir ? g_build_filename (dir, "..", "intake", "tools", "fristad-staff", NULL) : NULL;

  if (beside != NULL && g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
    return g_canonicalize_filename (beside, NULL);
  return g_strdup ("fristad-staff");
}

char *
fr_kiosk_demo_instructions (FrKioskDemo *demo)
{
  g_autofree char *inbox = g_build_filename (demo->dir, "inbox", NULL);
  g_autofree char *staff = staff_command ();

  return g_strdup_printf ("Fristad demo\n"
                          "  site directory:   %s\n"
                          "  queue:            %s (in this process, until the kiosk exits)\n"
                          "  assisted PIN:     %s (long-press the top right corner of the welcome or start screen, or Ctrl+Alt+A)\n"
                          "  maintenance PIN:  %s (long-press the top left corner, or Ctrl+Alt+M)\n"
                          "\n"
                          "Send a message from the kiosk, then fetch and open it as social services staff:\n"
                          "  %s fetch --server %s --key %s --passphrase-file %s --inbox %s\n"
                          "  %s list --inbox %s --key %s --passphrase-file %s\n"
                          "  %s open ID --inbox %s --key %s --passphrase-file %s\n",
                          demo->dir, demo->queue_url, FR_KIOSK_DEMO_PIN, FR_KIOSK_DEMO_MAINTENANCE_PIN,
                          staff, demo->queue_url, demo->staff_key_path ? demo->staff_key_path : "(not saved)",
                          demo->passphrase_path ? demo->passphrase_path : "(not saved)", inbox,
                          staff, inbox, demo->staff_key_path, demo->passphrase_path,
                          staff, inbox, demo->staff_key_path, demo->passphrase_path);
}
