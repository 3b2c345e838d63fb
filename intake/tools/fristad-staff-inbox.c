/* fristad-staff list — what is in the inbox; and the inbox's refused.tsv
 *
 * list opens every ID.frs (signed by a kiosk in the roster, addressed to our key) and shows
 * id, received, site, language, receipt and channel, each field escaped (fr-escape.h).
 * list --refused shows what fetch refused and remembered: id, when, kiosk key id, reason
 * (refused.tsv, its format in intake/fr-inbox.h).
 */
#define G_LOG_DOMAIN "fristad-staff"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fristad-staff-private.h"

static int
list_refused (const char *inbox)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) refused = fr_inbox_refused_load (inbox, &error);

  if (refused == NULL)
    return _staff_report ("list", error);
  g_print ("id\trefused\tkiosk\treason\n");
  for (guint i = 0; i < refused->len; i++)
    {
      const FrInboxRefusal *r = &g_array_index (refused, FrInboxRefusal, i);
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (r->refused_at);
      g_autofree char *when_str = when ? g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("-");

      /* Every field was checked on reading: nothing here needs escaping. */
      g_print ("%s\t%s\t%s\t%s\n", r->id, when_str, r->kiosk, r->reason);
    }
  return EXIT_OK;
}

typedef struct
{
  gint64 received_at;
  char  *line;
} ListRow;

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const ListRow *ra = *(ListRow * const *) a, *rb = *(ListRow * const *) b;

  return (ra->received_at > rb->received_at) - (ra->received_at < rb->received_at);
}

static void
list_row_free (gpointer data)
{
  ListRow *row = data;

  g_free (row->line);
  g_free (row);
}

/* Fields joined by tabs, each escaped, so no field can end the line, split a column or
 * turn the text around on a terminal. */
static char *
row_line (const char * const *fields)
{
  GString *line = g_string_new (NULL);

  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *safe = fr_escape_text (fields[i], -1);

      if (i > 0)
        g_string_append_c (line, '\t');
      g_string_append (line, safe);
    }
  return g_string_free (line, FALSE);
}

int
_staff_cmd_list (int    argc,
                 char **argv)
{
  g_autofree char *inbox = NULL, *key_path = NULL, *passphrase_file = NULL;
  gboolean show_refused = FALSE;
  GOptionEntry entries[] = {
    { "inbox", 0, 0, G_OPTION_ARG_FILENAME, &inbox, "The inbox directory", "DIR" },
    KEY_OPTION (key_path),
    PASSPHRASE_FILE_OPTION (passphrase_file),
    { "refused", 0, 0, G_OPTION_ARG_NONE, &show_refused, "List the envelopes fetch refused, and why (no key needed)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(FrStaffKey) key = NULL;
  g_autoptr(FrRoster) roster = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (list_row_free);
  const char *name;
  guint unreadable = 0;
  int status = EXIT_OK;

  if (!_staff_parse_options ("list", "— list the records in the inbox", entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return _staff_usage_error ("list", "unexpected argument");
  if (show_refused)
    {
      if (inbox == NULL)
        return _staff_usage_error ("list", "--inbox DIR is required");
      return list_refused (inbox);
    }
  if (inbox == NULL || key_path == NULL)
    return _staff_usage_error ("list", "--inbox DIR and --key FILE are required");

  dir = g_dir_open (inbox, 0, &error);
  if (dir == NULL)
    {
      _staff_printerr ("list", "%s", error->message);
      return EXIT_FAILURE_OPERATIONAL;
    }
  key = _staff_unlock (key_path, passphrase_file, &roster, &error);
  if (key == NULL)
    return _staff_report ("list", error);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL, *info_path = NULL, *id = NULL;
      g_autoptr(GBytes) envelope = NULL;
      g_autoptr(FrOpenedEnvelope) opened = NULL;
      g_autoptr(GKeyFile) info = g_key_file_new ();
      g_autoptr(GError) item_error = NULL;
      g_autoptr(GDateTime) received = NULL;
      g_autofree char *received_str = NULL;
      const FrRosterEntry *entry = NULL;
      ListRow *row;
      gint64 received_at = 0;

      if (!g_str_has_suffix (name, ".frs"))
        continue;
      path = g_build_filename (inbox, name, NULL);
      id = g_strndup (name, strlen (name) - 4);
      envelope = fr_inbox_read_envelope (path, &item_error);
      if (envelope != NULL)
        entry = fr_roster_check_envelope (roster, g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope),
                                          &item_error);
      if (entry != NULL)
        opened = fr_envelope_open (g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope),
                                   key->recipient_pk, key->recipient_sk, entry->pk, &item_error);
      if (opened == NULL)
        {
          _staff_printerr ("list", "%s: %s", name, item_error->message);
          unreadable++;
          continue;
        }
      info_path = g_strdup_printf ("%s/%s.info", inbox, id);
      if (g_key_file_load_from_file (info, info_path, G_KEY_FILE_NONE, NULL))
        received_at = g_key_file_get_int64 (info, "envelope", "received_at", NULL);
      received = received_at > 0 ? g_date_time_new_from_unix_utc (received_at) : NULL;
      received_str = received ? g_date_time_format (received, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("-");

      row = g_new0 (ListRow, 1);
      row->received_at = received_at;
      row->line = row_line ((const char * const[]) {
        fr_record_get_id_string (opened->record), received_str, fr_record_get_site (opened->record),
        fr_record_get_language (opened->record), fr_record_get_receipt (opened->record),
        fr_record_get_channel (opened->record), NULL });
      g_ptr_array_add (rows, row);
    }

  g_ptr_array_sort (rows, compare_rows);
  g_print ("id\treceived\tsite\tlanguage\treceipt\tchannel\n");
  for (guint i = 0; i < rows->len; i++)
    g_print ("%s\n", ((ListRow *) g_ptr_array_index (rows, i))->line);
  return unreadable > 0 ? EXIT_BAD_INPUT : EXIT_OK;
}
