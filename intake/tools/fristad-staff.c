/* fristad-staff — the social-services workstation tool
 *
 *   fristad-staff keygen --out FILE
 *   fristad-staff open ID|FILE --key FILE [--inbox DIR] [--out DIR] [--kiosk KEY]
 *   fristad-staff inspect FILE
 *   fristad-staff fetch --server URL --key FILE --inbox DIR [--ca FILE]
 *   fristad-staff list --inbox DIR --key FILE | list --refused --inbox DIR
 *   fristad-staff ack ID --server URL --key FILE [--ca FILE]
 *   fristad-staff kiosks add NAME KEY | remove NAME | list | import FILE  --key FILE
 *
 * Commands that make or use the secret key read the passphrase from the terminal, or from
 * the first line of --passphrase-file F. open, fetch and list accept only envelopes signed
 * by a kiosk in the staff key's kiosk roster (KEYFILE.kiosks, intake/KEYS.md). Exit status:
 * 0 success, 1 operational failure, 2 bad usage or bad input; every error is one line on
 * stderr, with anything that is not our own text escaped (fr-escape.h).
 */
#define G_LOG_DOMAIN "fristad-staff"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fristad-staff-private.h"

typedef int (*CommandFunc) (int argc, char **argv);

int
_staff_usage_error (const char *command,
                    const char *message)
{
  g_autofree char *safe = fr_escape_text (message, -1);

  g_printerr ("fristad-staff%s%s: %s (see 'fristad-staff --help')\n",
              command ? " " : "", command ? command : "", safe);
  return EXIT_BAD_INPUT;
}

/* One line on stderr, escaped whatever it holds (paths, peers' text). */
void
_staff_printerr (const char *command,
                 const char *format,
                 ...)
{
  g_autofree char *text = NULL;
  g_autofree char *safe = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  safe = fr_escape_text (text, -1);
  g_printerr ("fristad-staff %s: %s\n", command, safe);
}

/* Operational failures (files, network, storage) exit 1; bad input of any kind exits 2. */
int
_staff_report (const char   *command,
               const GError *error)
{
  gboolean operational = error->domain != FR_ERROR
                         || error->code == FR_ERROR_IO
                         || error->code == FR_ERROR_DATABASE
                         || error->code == FR_ERROR_NETWORK
                         || error->code == FR_ERROR_NOT_FOUND
                         || error->code == FR_ERROR_REJECTED;

  _staff_printerr (command, "%s", error->message);
  return operational ? EXIT_FAILURE_OPERATIONAL : EXIT_BAD_INPUT;
}

gboolean
_staff_parse_options (const char    *command,
                      const char    *parameter,
                      GOptionEntry  *entries,
                      int           *argc,
                      char        ***argv,
                      int           *status)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = g_strdup_printf ("fristad-staff %s", command);

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = _staff_usage_error (command, error->message);
      return FALSE;
    }
  return TRUE;
}

FrStaffKey *
_staff_unlock (const char  *key_path,
               const char  *passphrase_file,
               FrRoster   **roster,
               GError     **error)
{
  g_autoptr(FrSecret) passphrase = NULL;
  g_autoptr(FrStaffKey) key = NULL;
  g_autofree char *roster_path = NULL;

  passphrase = fr_passphrase_read ("Passphrase for the staff key: ", passphrase_file, FALSE, error);
  if (passphrase == NULL)
    return NULL;
  key = fr_staff_key_load (key_path, passphrase, error);
  if (key == NULL)
    return NULL;
  if (roster != NULL)
    {
      roster_path = fr_roster_path_for_key (key_path);
      *roster = fr_roster_load (roster_path, key, error);
      if (*roster == NULL)
        return NULL;
    }
  return g_steal_pointer (&key);
}

/* Reads an envelope file, refusing anything over the envelope limit before reading it. */
GBytes *
_staff_read_envelope (const char  *path,
                      GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: not a regular file", path);
      return NULL;
    }
  if ((guint64) st.st_size > FR_ENVELOPE_MAX_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TOO_LARGE,
                   "%s is %" G_GUINT64_FORMAT " bytes; an envelope is at most %u",
                   path, (guint64) st.st_size, FR_ENVELOPE_MAX_SIZE);
      return NULL;
    }
  if (st.st_size == 0)
    return g_bytes_new (NULL, 0);

  mapped = g_mapped_file_new (path, FALSE, error);
  if (mapped == NULL)
    {
      if (error && *error)
        {
          GError *wrapped = g_error_new_literal (FR_ERROR, FR_ERROR_IO, (*error)->message);

          g_clear_error (error);
          g_propagate_error (error, wrapped);
        }
      return NULL;
    }
  return g_mapped_file_get_bytes (mapped);
}

/* Writes DIR/NAME (mode 0600) and syncs it. With @replace the bytes go to NAME.part first
 * and are renamed into place, so a reader never sees half a file; without it an existing
 * NAME is never touched (O_EXCL). */
gboolean
_staff_write_private (const char    *dir,
                      const char    *name,
                      const guint8  *data,
                      gsize          len,
                      gboolean       replace,
                      GError       **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *tmp = replace ? g_strconcat (path, ".part", NULL) : NULL;
  const char *target = replace ? tmp : path;
  gsize done = 0;
  gboolean ok;
  int fd;

  fd = g_open (target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (replace ? O_TRUNC : O_EXCL), 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: %s", target, g_strerror (saved));
      return FALSE;
    }
  errno = 0;
  ok = fchmod (fd, 0600) == 0;   /* an old NAME.part keeps its mode otherwise */
  while (ok && done < len)
    {
      ssize_t n = write (fd, data + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
  if (!ok || done != len || fsync (fd) != 0)
    {
      int saved = errno ? errno : EIO;

      close (fd);
      g_unlink (target);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (close (fd) != 0 || (replace && g_rename (tmp, path) != 0))
    {
      int saved = errno ? errno : EIO;

      g_unlink (target);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* --- keygen ------------------------------------------------------------------------------ */

static int
cmd_keygen (int    argc,
            char **argv)
{
  g_autofree char *out = NULL;
  g_autofree char *passphrase_file = NULL;
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Write the secret key file to FILE (mode 0600)", "FILE" },
    PASSPHRASE_FILE_OPTION (passphrase_file),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FrStaffKey) key = NULL;
  g_autoptr(FrSecret) passphrase = NULL;
  g_autofree char *recipient = NULL;
  g_autofree char *reader = NULL;
  int status = EXIT_OK;

  if (!_staff_parse_options ("keygen", "— make a staff key pair", entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return _staff_usage_error ("keygen", "unexpected argument");
  if (out == NULL)
    return _staff_usage_error ("keygen", "--out FILE is required");
  if (g_file_test (out, G_FILE_TEST_EXISTS))
    {
      _staff_printerr ("keygen", "%s already exists; refusing to overwrite a key", out);
      return EXIT_FAILURE_OPERATIONAL;
    }

  passphrase = fr_passphrase_read ("New passphrase for the staff key: ", passphrase_file, TRUE, &error);
  if (passphrase == NULL)
    return _staff_report ("keygen", error);

  key = fr_staff_key_generate ();
  if (!fr_staff_key_save (key, out, passphrase, &error))
    return _staff_report ("keygen", error);

  recipient = fr_key_string_format (FR_KEY_KIND_RECIPIENT, key->recipient_pk);
  reader = fr_key_string_format (FR_KEY_KIND_READER, key->reader_pk);
  g_print ("%s\n%s\n", recipient, reader);
  return EXIT_OK;
}

/* --- inspect ----------------------------------------------------------------------------- */

static int
cmd_inspect (int    argc,
             char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) envelope = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autofree char *created_str = NULL;
  FrEnvelopeInfo info;
  char id[FR_UUID_STRING_LEN + 1];
  char receipt[FR_RECEIPT_STRING_LEN + 1];
  char kid[FR_KID_HEX_LEN + 1];
  int status = EXIT_OK;

  if (!_staff_parse_options ("inspect", "FILE — show an envelope's header (no key needed)", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return _staff_usage_error ("inspect", "give exactly one envelope FILE");

  envelope = _staff_read_envelope (argv[1], &error);
  if (envelope == NULL)
    return _staff_report ("inspect", error);
  if (!fr_envelope_inspect (g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope), &info, &error))
    {
      g_prefix_error (&error, "%s: ", argv[1]);
      return _staff_report ("inspect", error);
    }

  fr_uuid_format (info.record_id, id);
  fr_receipt_format (info.record_id, receipt);
  created = info.created_at <= G_MAXINT64 ? g_date_time_new_from_unix_utc ((gint64) info.created_at) : NULL;
  created_str = created ? g_date_time_format (created, "%Y-%m-%dT%H:%M:%SZ")
                        : g_strdup_printf ("%" G_GUINT64_FORMAT " (out of range)", info.created_at);

  g_print ("id: %s\n", id);
  g_print ("receipt: %s\n", receipt);
  g_print ("created: %s\n", created_str);
  fr_kid_to_hex (info.kiosk_kid, kid);
  g_print ("kiosk: %s\n", kid);
  g_print ("recipients: %u\n", info.n_recipients);
  for (guint i = 0; i < info.n_recipients; i++)
    {
      fr_kid_to_hex (info.recipient_kids[i], kid);
      g_print ("recipient: %s\n", kid);
    }
  g_print ("chunks: %u\n", info.n_chunks);
  g_print ("size: %" G_GSIZE_FORMAT "\n", info.total_len);
  return EXIT_OK;
}

/* --- main -------------------------------------------------------------------------------- */

static const struct
{
  const char  *name;
  CommandFunc  func;
  const char  *help;
} commands[] = {
  { "keygen", cmd_keygen, "keygen --out FILE                      make a passphrase-protected staff key" },
  { "open", _staff_cmd_open, "open ID|FILE --key FILE [--inbox DIR] [--out DIR] [--kiosk KEY]   decrypt a record" },
  { "inspect", cmd_inspect, "inspect FILE                           show an envelope's header, no key needed" },
  { "fetch", _staff_cmd_fetch, "fetch --server URL --key FILE --inbox DIR [--ca FILE]   download new records (kept encrypted)" },
  { "list", _staff_cmd_list, "list --inbox DIR --key FILE [--refused]   id, received, site, language, receipt, channel" },
  { "ack", _staff_cmd_ack, "ack ID --server URL --key FILE [--ca FILE]   delete a fetched record from the queue" },
  { "kiosks", _staff_cmd_kiosks, "kiosks add NAME KEY|remove NAME|list|import FILE --key FILE   the kiosk roster" },
};

static void
print_help (FILE *stream)
{
  fprintf (stream, "Usage: fristad-staff COMMAND [OPTIONS]\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %s\n", commands[i].help);
  fprintf (stream, "\nKey commands read the passphrase from the terminal, or from --passphrase-file F.\n"
                   "Exit status: 0 success, 1 operational failure, 2 bad usage or bad input.\n");
}

int
main (int   argc,
      char *argv[])
{
  fr_harden_process ();
  if (!fr_init ())
    {
      g_printerr ("fristad-staff: libsodium could not be initialised\n");
      return EXIT_FAILURE_OPERATIONAL;
    }

  if (argc < 2)
    {
      print_help (stderr);
      return EXIT_BAD_INPUT;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      print_help (stdout);
      return EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("fristad-staff %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].func (argc - 1, argv + 1);

  return _staff_usage_error (NULL, "unknown command");
}
