/* fristad-staff open — decrypt one record: its JSON on stdout, attachments to --out DIR
 *
 * The envelope must be signed by a kiosk in the roster (or by --kiosk KEY). An attachment
 * declared audio/ogg; codecs=opus is written as .ogg only if it really is Ogg Opus
 * (fr_ogg_opus_probe); anything else is written as .bin, and a note says so.
 */
#define G_LOG_DOMAIN "fristad-staff"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fristad-staff-private.h"

/* "ogg" for a checked Ogg Opus voice message; "bin" for everything else. */
static const char *
attachment_extension (const FrAttachmentInfo *info,
                      const FrSecret         *data,
                      guint                   index)
{
  g_autoptr(GError) error = NULL;
  guint64 duration_ms = 0;

  if (g_ascii_strncasecmp (info->mime, "audio/ogg", strlen ("audio/ogg")) != 0)
    return "bin";
  if (fr_ogg_opus_probe (data->data, data->len, &duration_ms, &error))
    return "ogg";
  _staff_printerr ("open", "attachment %u is declared %s but is not Ogg Opus (%s); written as .bin",
                   index + 1, info->mime, error->message);
  return "bin";
}

void
_staff_record_args_clear (StaffRecordArgs *args)
{
  g_clear_pointer (&args->key_path, g_free);
  g_clear_pointer (&args->inbox, g_free);
  g_clear_pointer (&args->kiosk, g_free);
  g_clear_pointer (&args->passphrase_file, g_free);
}

int
_staff_record_args_check (const char            *command,
                          const StaffRecordArgs *args,
                          int                    argc)
{
  if (argc != 2)
    return _staff_usage_error (command, "give exactly one record ID or envelope FILE");
  if (args->key_path == NULL)
    return _staff_usage_error (command, "--key FILE is required");
  return EXIT_OK;
}

/**
 * _staff_open_record:
 *
 * The record @id_or_file names (ID.frs in --inbox, or a file), checked before the
 * passphrase is asked for, from a kiosk in the key's roster (or the one --kiosk key),
 * opened. Prints the error and sets *@status on failure.
 */
FrOpenedEnvelope *
_staff_open_record (const char            *command,
                    const char            *id_or_file,
                    const StaffRecordArgs *args,
                    int                   *status)
{
  const char *inbox = args->inbox;
  const char *kiosk = args->kiosk;
  g_autoptr(GError) error = NULL;
  g_autoptr(FrStaffKey) key = NULL;
  g_autoptr(FrRoster) roster = NULL;
  g_autoptr(GBytes) envelope = NULL;
  g_autofree char *path = NULL;
  FrOpenedEnvelope *opened;
  FrEnvelopeInfo info;
  guint8 kiosk_pk[FR_KEY_SIZE];
  guint8 id[FR_RECORD_ID_SIZE];

  if (kiosk != NULL && !fr_key_string_parse (kiosk, FR_KEY_KIND_KIOSK, kiosk_pk, &error))
    {
      *status = _staff_report (command, error);
      return NULL;
    }
  if (fr_uuid_parse (id_or_file, id))
    {
      g_autofree char *name = g_strdup_printf ("%s.frs", id_or_file);

      if (inbox == NULL)
        {
          *status = _staff_usage_error (command, "a record ID needs --inbox DIR");
          return NULL;
        }
      path = g_build_filename (inbox, name, NULL);
    }
  else
    path = g_strdup (id_or_file);

  /* Check the envelope before asking for the passphrase: no point unlocking a key for junk. */
  envelope = fr_inbox_read_envelope (path, &error);
  if (envelope == NULL)
    {
      *status = _staff_report (command, error);
      return NULL;
    }
  if (!fr_envelope_inspect (g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope), &info, &error))
    {
      g_prefix_error (&error, "%s: ", path);
      *status = _staff_report (command, error);
      return NULL;
    }

  key = _staff_unlock (args->key_path, args->passphrase_file, kiosk ? NULL : &roster, &error);
  if (key == NULL)
    {
      *status = _staff_report (command, error);
      return NULL;
    }

  /* Where it came from, before anything is decrypted: the roster, or the one --kiosk key. */
  if (roster != NULL)
    {
      const FrRosterEntry *entry = fr_roster_check_envelope (roster, g_bytes_get_data (envelope, NULL),
                                                             g_bytes_get_size (envelope), &error);

      if (entry == NULL)
        {
          g_prefix_error (&error, "%s: ", path);
          *status = _staff_report (command, error);
          return NULL;
        }
      memcpy (kiosk_pk, entry->pk, FR_KEY_SIZE);
    }

  opened = fr_envelope_open (g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope),
                             key->recipient_pk, key->recipient_sk, kiosk_pk, &error);
  if (opened == NULL)
    {
      g_prefix_error (&error, "%s: ", path);
      *status = _staff_report (command, error);
    }
  return opened;
}

int
_staff_cmd_open (int    argc,
                 char **argv)
{
  g_auto(StaffRecordArgs) args = { 0 };
  g_autofree char *out_dir = NULL;
  GOptionEntry entries[] = {
    RECORD_OPTIONS (args),
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_dir, "Write attachments into DIR", "DIR" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  const FrSecret *json;
  int status = EXIT_OK;

  if (!_staff_parse_options ("open", "ID|FILE — decrypt a record", entries, &argc, &argv, &status))
    return status;
  if ((status = _staff_record_args_check ("open", &args, argc)) != EXIT_OK)
    return status;
  if (out_dir != NULL && !g_file_test (out_dir, G_FILE_TEST_IS_DIR))
    {
      _staff_printerr ("open", "%s is not a directory", out_dir);
      return EXIT_FAILURE_OPERATIONAL;
    }

  opened = _staff_open_record ("open", argv[1], &args, &status);
  if (opened == NULL)
    return status;

  if (out_dir != NULL)
    {
      for (guint i = 0; i < opened->n_attachments; i++)
        {
          const FrAttachmentInfo *info = fr_record_get_attachment (opened->record, i);
          const char *ext = attachment_extension (info, opened->attachments[i], i);
          g_autofree char *name = g_strdup_printf ("%s-%u-%s.%s", fr_record_get_id_string (opened->record),
                                                   i + 1, info->kind, ext);

          if (!fr_inbox_write_private (out_dir, name, opened->attachments[i]->data, opened->attachments[i]->len,
                                     FALSE, &error))
            return _staff_report ("open", error);
        }
    }
  else if (opened->n_attachments > 0)
    _staff_printerr ("open", "%u attachment(s) not written; use --out DIR", opened->n_attachments);

  /* The JSON as it came, except that controls and bidi controls inside its strings are
   * written as \uXXXX escapes: the same JSON value, nothing a terminal acts on. */
  json = fr_record_get_json (opened->record);
  if (!fr_escape_json (stdout, json->data, json->len) || fputc ('\n', stdout) == EOF || fflush (stdout) != 0)
    {
      _staff_printerr ("open", "cannot write to standard output");
      return EXIT_FAILURE_OPERATIONAL;
    }
  return EXIT_OK;
}
