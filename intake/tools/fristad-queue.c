/* fristad-queue — the queue daemon and its enrollment commands (see intake/QUEUE.md)
 *
 *   fristad-queue serve --db PATH --listen HOST:PORT [--tls-cert F --tls-key F] [--rate N]
 *                       [--quota-mb N] [connection limits: see usage]
 *   fristad-queue enroll-kiosk --db PATH --name NAME fristad-kiosk:KEY
 *   fristad-queue enroll-reader --db PATH --name NAME --recipient fristad-recipient:KEY
 *                               fristad-reader:KEY
 *   fristad-queue revoke --db PATH NAME
 *   fristad-queue list --db PATH
 *   fristad-queue export-kiosks --db PATH
 *   fristad-queue backup --db PATH [--keep N] OUT
 *
 * Exit status: 0 success, 1 operational failure, 2 bad usage or bad input.
 */
#define G_LOG_DOMAIN "fristad-queue"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "fr-error.h"
#include "fr-keys.h"
#include "fr-queue.h"
#include "fr-record.h"
#include "fr-secret.h"

#define EXIT_OPERATIONAL 1
#define EXIT_USAGE       2
#define SD_LISTEN_FDS_START 3

static const char usage[] =
  "Usage:\n"
  "  fristad-queue serve --db PATH --listen HOST:PORT [--tls-cert FILE --tls-key FILE] [--rate N]\n"
  "                      [--quota-mb N] [--max-connections N] [--max-per-address N]\n"
  "                      [--header-timeout S] [--body-timeout S] [--min-body-rate BYTES]\n"
  "                      [--idle-timeout S] [--body-memory-mb N]\n"
  "  fristad-queue enroll-kiosk --db PATH --name NAME fristad-kiosk:KEY\n"
  "  fristad-queue enroll-reader --db PATH --name NAME --recipient fristad-recipient:KEY fristad-reader:KEY\n"
  "  fristad-queue revoke --db PATH NAME\n"
  "  fristad-queue list --db PATH\n"
  "  fristad-queue export-kiosks --db PATH\n"
  "  fristad-queue backup --db PATH [--keep N] OUT\n";

static int G_GNUC_PRINTF (2, 3)
fail (int         status,
      const char *format,
      ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  /* One line, whatever the message held. */
  g_strdelimit (text, "\r\n", ' ');
  g_printerr ("fristad-queue: %s\n", text);
  return status;
}

/* Parses the options of one command; argv[0] is the command name. */
static int
parse_options (const char    *command,
               const char    *parameters,
               GOptionEntry  *entries,
               int           *argc,
               char        ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, argc, argv, &error))
    return fail (EXIT_USAGE, "%s: %s", command, error->message);
  return 0;
}

/* Remaining arguments after option parsing; a lone "--" is dropped. */
static guint
count_args (int    argc,
            char **argv)
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--") != 0)
      n++;
  return n;
}

static const char *
nth_arg (int    argc,
         char **argv,
         guint  index)
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        continue;
      if (n++ == index)
        return argv[i];
    }
  return NULL;
}

/* serve and enroll-* create the database; list and revoke need an existing one. */
static FrQueueStore *
open_store (const char *path,
            gboolean    create,
            int        *status)
{
  g_autoptr(GError) error = NULL;
  FrQueueStore *store;

  if (!create && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      *status = fail (EXIT_OPERATIONAL, "--db %s: no such database", path);
      return NULL;
    }
  store = fr_queue_store_open (path, &error);

  if (store == NULL)
    *status = fail (EXIT_OPERATIONAL, "--db %s: %s", path, error->message);
  return store;
}

/* enroll-kiosk, enroll-reader ------------------------------------------------------- */

static int
cmd_enroll (FrKeyKind   kind,
            const char *command,
            int         argc,
            char      **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *name = NULL;
  g_autofree char *recipient = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Queue database", "PATH" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Name of the kiosk or reader", "NAME" },
    { "recipient", 0, 0, G_OPTION_ARG_STRING, &recipient,
      "enroll-reader: the one recipient key whose envelopes the reader may see", "fristad-recipient:KEY" },
    { NULL }
  };
  g_autoptr(FrQueueStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint8 pk[FR_KEY_SIZE];
  guint8 recipient_pk[FR_KEY_SIZE];
  guint8 recipient_kid[FR_KID_SIZE];
  const char *key;
  int status;

  if ((status = parse_options (command, kind == FR_KEY_KIND_KIOSK ? "fristad-kiosk:KEY" : "fristad-reader:KEY",
                               entries, &argc, &argv)) != 0)
    return status;
  if (kind == FR_KEY_KIND_KIOSK && recipient != NULL)
    return fail (EXIT_USAGE, "%s: --recipient is only for enroll-reader", command);
  if (kind == FR_KEY_KIND_READER && recipient == NULL)
    return fail (EXIT_USAGE, "%s: --recipient fristad-recipient:KEY is required", command);
  if (db == NULL)
    return fail (EXIT_USAGE, "%s: --db PATH is required", command);
  if (name == NULL)
    return fail (EXIT_USAGE, "%s: --name NAME is required", command);
  if (!fr_queue_name_is_valid (name))
    return fail (EXIT_USAGE, "%s: --name must be 1 to %d characters of A-Z a-z 0-9 . _ -",
                 command, FR_QUEUE_NAME_MAX);
  if (count_args (argc, argv) != 1)
    return fail (EXIT_USAGE, "%s: expected exactly one key string (%s)", command,
                 kind == FR_KEY_KIND_KIOSK ? "fristad-kiosk:KEY" : "fristad-reader:KEY");
  key = nth_arg (argc, argv, 0);

  if (!fr_key_string_parse (key, kind, pk, &error))
    return fail (EXIT_USAGE, "%s: key string: %s", command, error->message);
  if (recipient != NULL)
    {
      if (!fr_key_string_parse (recipient, FR_KEY_KIND_RECIPIENT, recipient_pk, &error))
        return fail (EXIT_USAGE, "%s: --recipient: %s", command, error->message);
      fr_kid_compute (recipient_pk, recipient_kid);
    }

  status = 0;
  store = open_store (db, TRUE, &status);
  if (store == NULL)
    return status;

  if (!fr_queue_store_enroll (store, name, kind, pk, recipient != NULL ? recipient_kid : NULL,
                              g_get_real_time () / G_USEC_PER_SEC, &error))
    return fail (EXIT_OPERATIONAL, "%s: %s", command, error->message);

  return 0;
}

/* revoke ----------------------------------------------------------------------------- */

static int
cmd_revoke (int    argc,
            char **argv)
{
  g_autofree char *db = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Queue database", "PATH" },
    { NULL }
  };
  g_autoptr(FrQueueStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  int status;

  if ((status = parse_options ("revoke", "NAME", entries, &argc, &argv)) != 0)
    return status;
  if (db == NULL)
    return fail (EXIT_USAGE, "revoke: --db PATH is required");
  if (count_args (argc, argv) != 1)
    return fail (EXIT_USAGE, "revoke: expected exactly one NAME");
  name = nth_arg (argc, argv, 0);
  if (!fr_queue_name_is_valid (name))
    return fail (EXIT_USAGE, "revoke: NAME must be 1 to %d characters of A-Z a-z 0-9 . _ -",
                 FR_QUEUE_NAME_MAX);

  status = 0;
  store = open_store (db, FALSE, &status);
  if (store == NULL)
    return status;

  if (!fr_queue_store_revoke (store, name, g_get_real_time () / G_USEC_PER_SEC, &error))
    return fail (EXIT_OPERATIONAL, "revoke: %s", error->message);
  return 0;
}

/* list ------------------------------------------------------------------------------- */

static int
cmd_list (int    argc,
          char **argv)
{
  g_autofree char *db = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Queue database", "PATH" },
    { NULL }
  };
  g_autoptr(FrQueueStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) list = NULL;
  int status;

  if ((status = parse_options ("list", "", entries, &argc, &argv)) != 0)
    return status;
  if (db == NULL)
    return fail (EXIT_USAGE, "list: --db PATH is required");
  if (count_args (argc, argv) != 0)
    return fail (EXIT_USAGE, "list: takes no arguments");

  status = 0;
  store = open_store (db, FALSE, &status);
  if (store == NULL)
    return status;

  list = fr_queue_store_list_principals (store, &error);
  if (list == NULL)
    return fail (EXIT_OPERATIONAL, "list: %s", error->message);

  for (guint i = 0; i < list->len; i++)
    {
      const FrQueuePrincipal *p = &g_array_index (list, FrQueuePrincipal, i);
      char kid_hex[FR_KID_HEX_LEN + 1];
      char recipient_hex[FR_KID_HEX_LEN + 1] = "-";
      char enrolled[FR_TIMESTAMP_STRING_LEN + 1];
      char revoked[FR_TIMESTAMP_STRING_LEN + 1];

      fr_kid_to_hex (p->kid, kid_hex);
      fr_timestamp_format (p->enrolled_at, enrolled);
      if (p->revoked_at != 0)
        fr_timestamp_format (p->revoked_at, revoked);
      if (p->kind == FR_KEY_KIND_READER && p->bound)
        fr_kid_to_hex (p->recipient_kid, recipient_hex);
      else if (p->kind == FR_KEY_KIND_READER)
        g_strlcpy (recipient_hex, "unbound", sizeof recipient_hex);
      g_print ("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p->name,
               p->kind == FR_KEY_KIND_KIOSK ? "kiosk" : "reader",
               kid_hex, enrolled,
               p->revoked_at != 0 ? "revoked" : "active",
               p->revoked_at != 0 ? revoked : "-",
               recipient_hex);
      if (p->kind == FR_KEY_KIND_READER && !p->bound && p->revoked_at == 0)
        g_printerr ("fristad-queue: list: reader %s is bound to no recipient key and sees nothing; "
                    "enroll it again with --recipient\n", p->name);
    }
  return 0;
}

/* export-kiosks ----------------------------------------------------------------------- */

/* One "fristad-kiosk:B64 NAME" line per enrolled, not revoked kiosk: the list staff
 * import into their kiosk roster (fristad-staff kiosks import FILE). */
static int
cmd_export_kiosks (int    argc,
                   char **argv)
{
  g_autofree char *db = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Queue database", "PATH" },
    { NULL }
  };
  g_autoptr(FrQueueStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) list = NULL;
  int status;

  if ((status = parse_options ("export-kiosks", "", entries, &argc, &argv)) != 0)
    return status;
  if (db == NULL)
    return fail (EXIT_USAGE, "export-kiosks: --db PATH is required");
  if (count_args (argc, argv) != 0)
    return fail (EXIT_USAGE, "export-kiosks: takes no arguments");

  status = 0;
  store = open_store (db, FALSE, &status);
  if (store == NULL)
    return status;

  list = fr_queue_store_list_principals (store, &error);
  if (list == NULL)
    return fail (EXIT_OPERATIONAL, "export-kiosks: %s", error->message);

  for (guint i = 0; i < list->len; i++)
    {
      const FrQueuePrincipal *p = &g_array_index (list, FrQueuePrincipal, i);
      g_autofree char *key = NULL;

      if (p->kind != FR_KEY_KIND_KIOSK || p->revoked_at != 0)
        continue;
      key = fr_key_string_format (FR_KEY_KIND_KIOSK, p->pk);
      g_print ("%s %s\n", key, p->name);
    }
  return 0;
}

/* backup ----------------------------------------------------------------------------- */

#define BACKUP_DEFAULT_KEEP 14
#define BACKUP_PREFIX       "queue-"
#define BACKUP_SUFFIX       ".db"
#define BACKUP_STAMP_LEN    16       /* YYYYMMDDTHHMMSSZ */

/* queue-YYYYMMDDTHHMMSSZ.db: the names backup writes into a directory, which sort by time. */
static gboolean
backup_name_is_ours (const char *name)
{
  gsize len = strlen (name);

  if (len != strlen (BACKUP_PREFIX) + BACKUP_STAMP_LEN + strlen (BACKUP_SUFFIX)
      || !g_str_has_prefix (name, BACKUP_PREFIX) || !g_str_has_suffix (name, BACKUP_SUFFIX))
    return FALSE;
  for (gsize i = 0; i < BACKUP_STAMP_LEN; i++)
    {
      char c = name[strlen (BACKUP_PREFIX) + i];

      if (i == 8 ? c != 'T' : i == 15 ? c != 'Z' : !g_ascii_isdigit (c))
        return FALSE;
    }
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Removes all but the @keep newest backups in @dir; other files are left alone. */
static gboolean
backup_prune (const char  *dir,
              guint        keep,
              guint       *removed,
              GError     **error)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  *removed = 0;
  if (d == NULL)
    return FALSE;
  while ((name = g_dir_read_name (d)) != NULL)
    if (backup_name_is_ours (name))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i + keep < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

      if (g_unlink (path) != 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s",
                       path, g_strerror (saved));
          return FALSE;
        }
      (*removed)++;
    }
  return TRUE;
}

/* OUT is a directory: OUT/queue-YYYYMMDDTHHMMSSZ.db, then the --keep newest are kept.
 * Otherwise OUT is the backup file itself (replaced atomically). */
static int
cmd_backup (int    argc,
            char **argv)
{
  g_autofree char *db = NULL;
  int keep = BACKUP_DEFAULT_KEEP;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Queue database", "PATH" },
    { "keep", 0, 0, G_OPTION_ARG_INT, &keep,
      "When OUT is a directory: how many backups to keep, 0 for all (default 14)", "N" },
    { NULL }
  };
  g_autoptr(FrQueueStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = NULL;
  const char *out;
  gboolean into_dir;
  guint removed = 0;
  int status;

  if ((status = parse_options ("backup", "OUT", entries, &argc, &argv)) != 0)
    return status;
  if (db == NULL)
    return fail (EXIT_USAGE, "backup: --db PATH is required");
  if (count_args (argc, argv) != 1)
    return fail (EXIT_USAGE, "backup: expected exactly one OUT (a directory or a file)");
  if (keep < 0 || keep > 100000)
    return fail (EXIT_USAGE, "backup: --keep must be 0 to 100000");
  out = nth_arg (argc, argv, 0);
  into_dir = g_file_test (out, G_FILE_TEST_IS_DIR);

  if (into_dir)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
      g_autofree char *file = g_strconcat (BACKUP_PREFIX, stamp, BACKUP_SUFFIX, NULL);

      dest = g_build_filename (out, file, NULL);
    }
  else
    dest = g_strdup (out);

  status = 0;
  store = open_store (db, FALSE, &status);
  if (store == NULL)
    return status;

  if (!fr_queue_store_backup (store, dest, &error))
    return fail (EXIT_OPERATIONAL, "%s", error->message);
  if (into_dir && keep > 0 && !backup_prune (out, (guint) keep, &removed, &error))
    return fail (EXIT_OPERATIONAL, "backup: written to %s, but old backups not removed: %s",
                 dest, error->message);

  /* The file written and how many old ones went, for scripts and the journal. */
  g_print ("%s\n", dest);
  if (removed > 0)
    g_print ("removed %u older backups (--keep %d)\n", removed, keep);
  return 0;
}

/* serve ------------------------------------------------------------------------------ */

typedef struct
{
  GMainLoop     *loop;
  FrQueueServer *server;
  gboolean       stopping;
} ServeState;

static gboolean
serve_stopped (gpointer data)
{
  ServeState *state = data;

  g_main_loop_quit (state->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
serve_signal (gpointer data)
{
  ServeState *state = data;

  if (!state->stopping)
    {
      state->stopping = TRUE;
      g_message ("signal received: finishing requests in flight, then stopping");
      fr_queue_server_shutdown (state->server, serve_stopped, state);
    }
  return G_SOURCE_CONTINUE;
}

/* HOST:PORT with a numeric IPv4 address, [IPv6]:PORT, or localhost:PORT. */
static GSocketAddress *
parse_listen (const char *text)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *colon = strrchr (text, ':');
  const char *port_text;
  guint64 port;
  char *end = NULL;

  if (colon == NULL || colon == text)
    return NULL;
  host = g_strndup (text, colon - text);
  port_text = colon + 1;
  if (*port_text == '\0' || !g_ascii_isdigit (*port_text))
    return NULL;
  errno = 0;
  port = g_ascii_strtoull (port_text, &end, 10);
  if (errno != 0 || *end != '\0' || port > 65535 || strlen (port_text) > 5)
    return NULL;

  if (host[0] == '[')
    {
      gsize len = strlen (host);

      if (len < 3 || host[len - 1] != ']')
        return NULL;
      host[len - 1] = '\0';
      address = g_inet_address_new_from_string (host + 1);
      if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
        return NULL;
    }
  else if (g_ascii_strcasecmp (host, "localhost") == 0)
    address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    {
      address = g_inet_address_new_from_string (host);
      if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV4)
        return NULL;
    }

  return g_inet_socket_address_new (address, (guint16) port);
}

static void
print_listening (FrQueueServer *server)
{
  g_autoptr(GSocketAddress) address = fr_queue_server_get_address (server);

  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);
      g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
      gboolean v6 = g_inet_address_get_family (g_inet_socket_address_get_address (inet)) == G_SOCKET_FAMILY_IPV6;

      g_print ("listening on %s%s%s:%u\n", v6 ? "[" : "", host, v6 ? "]" : "",
               g_inet_socket_address_get_port (inet));
    }
  else
    g_print ("listening on the socket passed by the service manager\n");
  fflush (stdout);
}

/* Returns 1 if a socket was passed (fd 3), 0 if not, -1 on a malformed environment. */
static int
socket_activation (void)
{
  const char *pid_text = g_getenv ("LISTEN_PID");
  const char *fds_text = g_getenv ("LISTEN_FDS");
  guint64 pid, fds;
  char *end = NULL;
  int result;

  if (pid_text == NULL || fds_text == NULL)
    return 0;

  pid = g_ascii_strtoull (pid_text, &end, 10);
  if (end == pid_text || *end != '\0' || pid != (guint64) getpid ())
    return 0;

  fds = g_ascii_strtoull (fds_text, &end, 10);
  result = (end != fds_text && *end == '\0' && fds == 1) ? 1 : -1;

  g_unsetenv ("LISTEN_PID");
  g_unsetenv ("LISTEN_FDS");
  g_unsetenv ("LISTEN_FDNAMES");
  return result;
}

static int
cmd_serve (int    argc,
           char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *listen_text = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  int rate = FR_QUEUE_DEFAULT_RATE;
  int quota_mb = FR_QUEUE_DEFAULT_QUOTA_MB;
  int max_connections = -1;
  int max_per_address = FR_QUEUE_DEFAULT_MAX_PER_ADDRESS;
  int header_timeout = FR_QUEUE_DEFAULT_HEADER_TIMEOUT;
  int body_timeout = FR_QUEUE_DEFAULT_BODY_TIMEOUT;
  int min_body_rate = FR_QUEUE_DEFAULT_MIN_BODY_RATE;
  int idle_timeout = FR_QUEUE_DEFAULT_IDLE_TIMEOUT;
  int body_memory_mb = FR_QUEUE_DEFAULT_BODY_MEMORY_MB;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Queue database", "PATH" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen_text, "Address to listen on (port 0: any free port)", "HOST:PORT" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "TLS certificate (PEM)", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "TLS private key (PEM)", "FILE" },
    { "rate", 0, 0, G_OPTION_ARG_INT, &rate, "Envelopes per minute per kiosk, also the burst (default 60)", "N" },
    { "quota-mb", 0, 0, G_OPTION_ARG_INT, &quota_mb, "MiB one kiosk may have stored, 0 for no limit (default 1024)", "N" },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections,
      "Connections open at once (default 512, lowered to fit the descriptor limit)", "N" },
    { "max-per-address", 0, 0, G_OPTION_ARG_INT, &max_per_address,
      "Connections open at once from one IPv4 address or IPv6 /64 (default 64)", "N" },
    { "header-timeout", 0, 0, G_OPTION_ARG_INT, &header_timeout,
      "Seconds from connect to the end of the request head (default 10)", "S" },
    { "body-timeout", 0, 0, G_OPTION_ARG_INT, &body_timeout,
      "Longest pause in seconds while a request body arrives (default 10)", "S" },
    { "min-body-rate", 0, 0, G_OPTION_ARG_INT, &min_body_rate,
      "Bytes per second a request body must average (default 4096)", "BYTES" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      "Longest pause in seconds while an answer is sent (default 30)", "S" },
    { "body-memory-mb", 0, 0, G_OPTION_ARG_INT, &body_memory_mb,
      "MiB of request bodies held at once (default 128)", "N" },
    { NULL }
  };
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(FrQueueStore) store = NULL;
  g_autoptr(FrQueueServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  FrQueueLimits limits;
  struct rlimit nofile = { 0, };
  guint fd_room;
  ServeState state = { 0, };
  guint sigterm_id, sigint_id;
  int activated;
  int status;

  if ((status = parse_options ("serve", "", entries, &argc, &argv)) != 0)
    return status;
  if (count_args (argc, argv) != 0)
    return fail (EXIT_USAGE, "serve: takes no arguments");
  if (db == NULL)
    return fail (EXIT_USAGE, "serve: --db PATH is required");
  if ((tls_cert == NULL) != (tls_key == NULL))
    return fail (EXIT_USAGE, "serve: --tls-cert and --tls-key go together");
  if (rate < 1 || rate > 1000000)
    return fail (EXIT_USAGE, "serve: --rate must be 1 to 1000000 envelopes per minute");
  if (quota_mb < 0 || quota_mb > 16 * 1024 * 1024)
    return fail (EXIT_USAGE, "serve: --quota-mb must be 0 to 16777216");
  if (max_connections != -1 && (max_connections < 1 || max_connections > 1000000))
    return fail (EXIT_USAGE, "serve: --max-connections must be 1 to 1000000");
  if (max_per_address < 1 || max_per_address > 1000000)
    return fail (EXIT_USAGE, "serve: --max-per-address must be 1 to 1000000");
  if (header_timeout < 1 || header_timeout > 3600 || body_timeout < 1 || body_timeout > 3600
      || idle_timeout < 1 || idle_timeout > 3600)
    return fail (EXIT_USAGE, "serve: --header-timeout, --body-timeout and --idle-timeout must be 1 to 3600 seconds");
  if (min_body_rate < 1 || min_body_rate > 1024 * 1024 * 1024)
    return fail (EXIT_USAGE, "serve: --min-body-rate must be 1 to 1073741824 bytes per second");
  /* Three quarters of it must hold one largest envelope (8 MiB). */
  if (body_memory_mb < 16 || body_memory_mb > 1024 * 1024)
    return fail (EXIT_USAGE, "serve: --body-memory-mb must be 16 to 1048576");

  /* Each connection is a descriptor; some are kept for the database and the rest. */
  fr_queue_limits_init (&limits);
  if (getrlimit (RLIMIT_NOFILE, &nofile) != 0 || nofile.rlim_cur == RLIM_INFINITY)
    nofile.rlim_cur = 1024 * 1024;
  fd_room = nofile.rlim_cur > 2 * FR_QUEUE_NOFILE_RESERVE ? (guint) MIN (nofile.rlim_cur, 1024 * 1024) - FR_QUEUE_NOFILE_RESERVE
                                                          : (guint) MAX (nofile.rlim_cur / 2, 1);
  if (max_connections == -1)
    limits.max_connections = MIN ((guint) FR_QUEUE_DEFAULT_MAX_CONNECTIONS, fd_room);
  else
    {
      limits.max_connections = (guint) max_connections;
      if (limits.max_connections > fd_room)
        g_message ("--max-connections %u is more than the descriptor limit leaves room for (%u): "
                   "when descriptors run out, connections without a request are closed",
                   limits.max_connections, fd_room);
    }
  limits.max_per_address = (guint) max_per_address;
  limits.header_timeout_s = (guint) header_timeout;
  limits.body_timeout_s = (guint) body_timeout;
  limits.min_body_rate = (guint) min_body_rate;
  limits.idle_timeout_s = (guint) idle_timeout;
  limits.body_memory = (guint64) body_memory_mb * 1024 * 1024;

  activated = socket_activation ();
  if (activated < 0)
    return fail (EXIT_USAGE, "serve: LISTEN_FDS must be 1 (one listening socket)");
  if (!activated)
    {
      if (listen_text == NULL)
        return fail (EXIT_USAGE, "serve: --listen HOST:PORT is required");
      address = parse_listen (listen_text);
      if (address == NULL)
        return fail (EXIT_USAGE, "serve: --listen must be IPV4:PORT, [IPV6]:PORT or localhost:PORT");
    }

  if (tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      if (certificate == NULL)
        return fail (EXIT_OPERATIONAL, "serve: TLS certificate or key: %s", error->message);
    }

  if (!fr_init ())
    return fail (EXIT_OPERATIONAL, "serve: libsodium could not be initialised");

  status = 0;
  store = open_store (db, TRUE, &status);
  if (store == NULL)
    return status;

  fr_queue_store_set_quota (store, (guint64) quota_mb * 1024 * 1024);
  server = fr_queue_server_new (store, (guint) rate, certificate, &error);
  if (server == NULL)
    return fail (EXIT_OPERATIONAL, "serve: %s", error->message);
  fr_queue_server_set_limits (server, &limits);

  if (activated)
    {
      g_autoptr(GSocket) socket = NULL;

      (void) fcntl (SD_LISTEN_FDS_START, F_SETFD, FD_CLOEXEC);
      socket = g_socket_new_from_fd (SD_LISTEN_FDS_START, &error);
      if (socket == NULL)
        return fail (EXIT_OPERATIONAL, "serve: passed socket (fd 3): %s", error->message);
      if (!fr_queue_server_listen_socket (server, socket, &error))
        return fail (EXIT_OPERATIONAL, "serve: %s", error->message);
      if (listen_text != NULL)
        g_message ("--listen ignored: serving on the socket passed by the service manager");
    }
  else if (!fr_queue_server_listen (server, address, &error))
    return fail (EXIT_OPERATIONAL, "serve: --listen %s: %s", listen_text, error->message);

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.server = server;
  sigterm_id = g_unix_signal_add (SIGTERM, serve_signal, &state);
  sigint_id = g_unix_signal_add (SIGINT, serve_signal, &state);

  print_listening (server);
  g_message ("serving (%s, rate %d per minute per kiosk; at most %u connections, %u per address; "
             "timeouts: head %u s, body pause %u s at %u B/s or more, answer %u s; %d MiB for bodies)",
             certificate != NULL ? "https" : "http", rate, limits.max_connections, limits.max_per_address,
             limits.header_timeout_s, limits.body_timeout_s, limits.min_body_rate, limits.idle_timeout_s,
             body_memory_mb);

  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  g_clear_pointer (&server, fr_queue_server_free);
  g_clear_pointer (&store, fr_queue_store_close);
  g_message ("stopped");
  return 0;
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  setlocale (LC_ALL, "");
  signal (SIGPIPE, SIG_IGN);

  if (argc < 2)
    return fail (EXIT_USAGE, "no command given (run fristad-queue --help)");
  command = argv[1];

  if (strcmp (command, "--help") == 0 || strcmp (command, "-h") == 0 || strcmp (command, "help") == 0)
    {
      g_print ("%s", usage);
      return 0;
    }
  if (strcmp (command, "serve") == 0)
    return cmd_serve (argc - 1, argv + 1);
  if (strcmp (command, "enroll-kiosk") == 0)
    return cmd_enroll (FR_KEY_KIND_KIOSK, command, argc - 1, argv + 1);
  if (strcmp (command, "enroll-reader") == 0)
    return cmd_enroll (FR_KEY_KIND_READER, command, argc - 1, argv + 1);
  if (strcmp (command, "revoke") == 0)
    return cmd_revoke (argc - 1, argv + 1);
  if (strcmp (command, "list") == 0)
    return cmd_list (argc - 1, argv + 1);
  if (strcmp (command, "export-kiosks") == 0)
    return cmd_export_kiosks (argc - 1, argv + 1);
  if (strcmp (command, "backup") == 0)
    return cmd_backup (argc - 1, argv + 1);

  return fail (EXIT_USAGE, "unknown command (expected serve, enroll-kiosk, enroll-reader, revoke, list, export-kiosks or backup)");
}
