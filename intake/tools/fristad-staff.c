/* fristad-staff — the social-services workstation tool
 *
 *   fristad-staff keygen --out FILE
 *   fristad-staff open ID|FILE --key FILE [--inbox DIR] [--out DIR]
 *   fristad-staff inspect FILE
 *
 * Commands that make or use the secret key read the passphrase from the terminal, or from
 * the first line of --passphrase-file F. Exit status: 0 success, 1 operational failure,
 * 2 bad usage or bad input; every error is one line on stderr.
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

#include "fr-intake.h"

enum
{
  EXIT_OK = 0,
  EXIT_FAILURE_OPERATIONAL = 1,
  EXIT_BAD_INPUT = 2,
};

typedef int (*CommandFunc) (int argc, char **argv);

static int
usage_error (const char *command,
             const char *message)
{
  g_printerr ("fristad-staff%s%s: %s (see 'fristad-staff --help')\n",
              command ? " " : "", command ? command : "", message);
  return EXIT_BAD_INPUT;
}

/* Operational failures (files, network, storage) exit 1; bad input of any kind exits 2. */
static int
report (const char   *command,
        const GError *error)
{
  gboolean operational = error->domain != FR_ERROR
                         || error->code == FR_ERROR_IO
                         || error->code == FR_ERROR_DATABASE
                         || error->code == FR_ERROR_NETWORK
                         || error->code == FR_ERROR_NOT_FOUND
                         || error->code == FR_ERROR_REJECTED;

  g_printerr ("fristad-staff %s: %s\n", command, error->message);
  return operational ? EXIT_FAILURE_OPERATIONAL : EXIT_BAD_INPUT;
}

static gboolean
parse_options (const char    *command,
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
      *status = usage_error (command, error->message);
      return FALSE;
    }
  return TRUE;
}

/* Reads an envelope file, refusing anything over the envelope limit before reading it. */
static GBytes *
read_envelope_file (const char  *path,
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

/* --- keygen ------------------------------------------------------------------------------ */

static int
cmd_keygen (int    argc,
            char **argv)
{
  g_autofree char *out = NULL;
  g_autofree char *passphrase_file = NULL;
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Write the secret key file to FILE (mode 0600)", "FILE" },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      "Read the passphrase from the first line of F instead of the terminal", "F" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FrStaffKey) key = NULL;
  g_autoptr(FrSecret) passphrase = NULL;
  g_autofree char *recipient = NULL;
  g_autofree char *reader = NULL;
  int status = EXIT_OK;

  if (!parse_options ("keygen", "— make a staff key pair", entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return usage_error ("keygen", "unexpected argument");
  if (out == NULL)
    return usage_error ("keygen", "--out FILE is required");
  if (g_file_test (out, G_FILE_TEST_EXISTS))
    {
      g_printerr ("fristad-staff keygen: %s already exists; refusing to overwrite a key\n", out);
      return EXIT_FAILURE_OPERATIONAL;
    }

  passphrase = fr_passphrase_read ("New passphrase for the staff key: ", passphrase_file, TRUE, &error);
  if (passphrase == NULL)
    return report ("keygen", error);

  key = fr_staff_key_generate ();
  if (!fr_staff_key_save (key, out, passphrase, &error))
    return report ("keygen", error);

  recipient = fr_key_string_format (FR_KEY_KIND_RECIPIENT, key->recipient_pk);
  reader = fr_key_string_format (FR_KEY_KIND_READER, key->reader_pk);
  g_print ("%s\n%s\n", recipient, reader);
  return EXIT_OK;
}

/* --- open -------------------------------------------------------------------------------- */

static const char *
extension_for_mime (const char *mime)
{
  if (g_str_has_prefix (mime, "audio/ogg"))
    return "ogg";
  if (g_str_has_prefix (mime, "audio/webm"))
    return "webm";
  if (g_str_has_prefix (mime, "audio/wav") || g_str_has_prefix (mime, "audio/x-wav"))
    return "wav";
  return "bin";
}

static gboolean
write_attachment (const char      *dir,
                  const char      *name,
                  const FrSecret  *data,
                  GError         **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize done = 0;
  int fd;

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  while (done < data->len)
    {
      ssize_t n = write (fd, data->data + done, data->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          close (fd);
          g_unlink (path);
          g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: %s", path, g_strerror (saved));
          return FALSE;
        }
      done += n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved = errno;

      g_unlink (path);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static int
cmd_open (int    argc,
          char **argv)
{
  g_autofree char *key_path = NULL;
  g_autofree char *inbox = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *passphrase_file = NULL;
  g_autofree char *kiosk = NULL;
  GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_path, "The staff secret key file", "FILE" },
    { "inbox", 0, 0, G_OPTION_ARG_FILENAME, &inbox, "Inbox directory to find ID in", "DIR" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_dir, "Write attachments into DIR", "DIR" },
    { "kiosk", 0, 0, G_OPTION_ARG_STRING, &kiosk,
      "Also verify the kiosk signature with this fristad-kiosk: key", "KEY" },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &passphrase_file,
      "Read the passphrase from the first line of F instead of the terminal", "F" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FrSecret) passphrase = NULL;
  g_autoptr(FrStaffKey) key = NULL;
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  g_autoptr(GBytes) envelope = NULL;
  g_autofree char *path = NULL;
  guint8 kiosk_pk[FR_KEY_SIZE];
  guint8 id[FR_RECORD_ID_SIZE];
  const FrSecret *json;
  int status = EXIT_OK;

  if (!parse_options ("open", "ID|FILE — decrypt a record", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return usage_error ("open", "give exactly one record ID or envelope FILE");
  if (key_path == NULL)
    return usage_error ("open", "--key FILE is required");
  if (kiosk != NULL && !fr_key_string_parse (kiosk, FR_KEY_KIND_KIOSK, kiosk_pk, &error))
    return report ("open", error);

  if (fr_uuid_parse (argv[1], id))
    {
      g_autofree char *name = g_strdup_printf ("%s.frs", argv[1]);

      if (inbox == NULL)
        return usage_error ("open", "a record ID needs --inbox DIR");
      path = g_build_filename (inbox, name, NULL);
    }
  else
    path = g_strdup (argv[1]);

  if (out_dir != NULL && !g_file_test (out_dir, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("fristad-staff open: %s is not a directory\n", out_dir);
      return EXIT_FAILURE_OPERATIONAL;
    }

  /* Check the envelope before asking for the passphrase: no point unlocking a key for junk. */
  envelope = read_envelope_file (path, &error);
  if (envelope == NULL)
    return report ("open", error);
  {
    FrEnvelopeInfo info;

    if (!fr_envelope_inspect (g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope), &info, &error))
      {
        g_prefix_error (&error, "%s: ", path);
        return report ("open", error);
      }
  }

  passphrase = fr_passphrase_read ("Passphrase for the staff key: ", passphrase_file, FALSE, &error);
  if (passphrase == NULL)
    return report ("open", error);
  key = fr_staff_key_load (key_path, passphrase, &error);
  if (key == NULL)
    return report ("open", error);
  g_clear_pointer (&passphrase, fr_secret_free);

  opened = fr_envelope_open (g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope),
                             key->recipient_pk, key->recipient_sk, kiosk ? kiosk_pk : NULL, &error);
  if (opened == NULL)
    {
      g_prefix_error (&error, "%s: ", path);
      return report ("open", error);
    }

  if (out_dir != NULL)
    {
      for (guint i = 0; i < opened->n_attachments; i++)
        {
          const FrAttachmentInfo *info = fr_record_get_attachment (opened->record, i);
          g_autofree char *name = g_strdup_printf ("%s-%u-%s.%s", fr_record_get_id_string (opened->record),
                                                   i + 1, info->kind, extension_for_mime (info->mime));

          if (!write_attachment (out_dir, name, opened->attachments[i], &error))
            return report ("open", error);
        }
    }
  else if (opened->n_attachments > 0)
    g_printerr ("fristad-staff open: %u attachment(s) not written; use --out DIR\n", opened->n_attachments);

  json = fr_record_get_json (opened->record);
  if (fwrite (json->data, 1, json->len, stdout) != json->len || fputc ('\n', stdout) == EOF
      || fflush (stdout) != 0)
    {
      g_printerr ("fristad-staff open: cannot write to standard output\n");
      return EXIT_FAILURE_OPERATIONAL;
    }
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

  if (!parse_options ("inspect", "FILE — show an envelope's header (no key needed)", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return usage_error ("inspect", "give exactly one envelope FILE");

  envelope = read_envelope_file (argv[1], &error);
  if (envelope == NULL)
    return report ("inspect", error);
  if (!fr_envelope_inspect (g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope), &info, &error))
    {
      g_prefix_error (&error, "%s: ", argv[1]);
      return report ("inspect", error);
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
  { "open", cmd_open, "open ID|FILE --key FILE [--inbox DIR] [--out DIR]   decrypt a record" },
  { "inspect", cmd_inspect, "inspect FILE                           show an envelope's header, no key needed" },
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

  return usage_error (NULL, "unknown command");
}
