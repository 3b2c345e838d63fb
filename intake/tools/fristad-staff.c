/* fristad-staff — the social-services workstation tool
 *
 *   fristad-staff keygen --out FILE
 *   fristad-staff open ID|FILE --key FILE [--inbox DIR] [--out DIR] [--kiosk KEY]
 *   fristad-staff play ID|FILE --key FILE [--inbox DIR] [--kiosk KEY]
 *   fristad-staff inspect FILE
 *   fristad-staff fetch --server URL --key FILE --inbox DIR [--ca FILE]
 *   fristad-staff list --inbox DIR --key FILE | list --refused --inbox DIR
 *   fristad-staff ack ID --server URL --key FILE [--ca FILE]
 *   fristad-staff kiosks add NAME KEY | remove NAME | list | import FILE  --key FILE
 *
 * Commands that make or use the secret key read the passphrase from the terminal, or from
 * the first line of --passphrase-file F. open, fetch and list accept only envelopes signed
 * by a kiosk in the staff key's kiosk roster (KEYFILE.kiosks, intake/KEYS.md). Exit status:
 * 0 success, 1 operational failure, 2 bad usage or bad input, and for play 3 when the
 * record has no voice message and 128 + N when signal N stopped it; every error is one
 * line on stderr, with anything that is not our own text escaped (fr-escape.h).
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

  passphrase = fr_passphrase_read ("Passphrase for the staff key: ", passphrase_file, FALSE, error);
  if (passphrase == NULL)
    return NULL;
  return fr_inbox_unlock (key_path, passphrase, roster, error);
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

  envelope = fr_inbox_read_envelope (argv[1], &error);
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
  { "play", _staff_cmd_play, "play ID|FILE --key FILE [--inbox DIR] [--kiosk KEY]   play its voice message from memory" },
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
                   "Exit status: 0 success, 1 operational failure, 2 bad usage or bad input;\n"
                   "play: 3 the record has no voice message, 128+N stopped by signal N (130: Ctrl+C).\n");
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
