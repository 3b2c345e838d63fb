/* fristad-staff fetch and ack — talking to the queue
 *
 * The work is fr_inbox_fetch() and fr_inbox_ack() (intake/fr-inbox.h, shared with the
 * fristad-inbox app): fetch keeps an envelope only if it is signed by a kiosk in the
 * roster and opens with our key; anything else is refused, reported here, and remembered
 * in the inbox's refused.tsv so it is not downloaded again (see 'list --refused').
 */
#define G_LOG_DOMAIN "fristad-staff"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fristad-staff-private.h"

/* Reads the passphrase, unlocks the key (and its roster) and makes a queue client. */
static FrInboxClient *
client_new (const char  *server,
            const char  *ca,
            const char  *key_path,
            const char  *passphrase_file,
            gboolean     with_roster,
            GError     **error)
{
  g_autoptr(FrStaffKey) key = NULL;
  g_autoptr(FrRoster) roster = NULL;

  if (!fr_http_check_url (server, ca, error))
    return NULL;
  key = _staff_unlock (key_path, passphrase_file, with_roster ? &roster : NULL, error);
  if (key == NULL)
    return NULL;
  if (with_roster && fr_roster_get_n_kiosks (roster) == 0)
    {
      g_autofree char *roster_path = fr_roster_path_for_key (key_path);

      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "the kiosk roster %s is empty, so every record would be refused; "
                   "add kiosks with 'fristad-staff kiosks import'", roster_path);
      return NULL;
    }
  return fr_inbox_client_new (server, ca, key, roster, error);
}

static void
print_refused (const char   *id,
               const GError *reason,
               gpointer      user_data)
{
  _staff_printerr ("fetch", "%s refused: %s", id, reason->message);
}

int
_staff_cmd_fetch (int    argc,
                  char **argv)
{
  g_autofree char *server = NULL, *key_path = NULL, *inbox = NULL, *ca = NULL, *passphrase_file = NULL;
  GOptionEntry entries[] = {
    SERVER_OPTION (server),
    KEY_OPTION (key_path),
    { "inbox", 0, 0, G_OPTION_ARG_FILENAME, &inbox, "Where envelopes are kept (encrypted)", "DIR" },
    CA_OPTION (ca),
    PASSPHRASE_FILE_OPTION (passphrase_file),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FrInboxClient) client = NULL;
  g_autoptr(GArray) refused = NULL;
  FrInboxFetchCounts counts = { 0 };
  int status = EXIT_OK;

  if (!_staff_parse_options ("fetch", "— download new records into the inbox", entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return _staff_usage_error ("fetch", "unexpected argument");
  if (server == NULL || key_path == NULL || inbox == NULL)
    return _staff_usage_error ("fetch", "--server URL, --key FILE and --inbox DIR are required");
  if (g_mkdir_with_parents (inbox, 0700) != 0)
    {
      int saved = errno;

      _staff_printerr ("fetch", "cannot create %s: %s", inbox, g_strerror (saved));
      return EXIT_FAILURE_OPERATIONAL;
    }
  /* A damaged refused.tsv is reported before the passphrase is asked for. */
  refused = fr_inbox_refused_load (inbox, &error);
  if (refused == NULL)
    return _staff_report ("fetch", error);
  client = client_new (server, ca, key_path, passphrase_file, TRUE, &error);
  if (client == NULL)
    return _staff_report ("fetch", error);   /* an empty roster is FR_ERROR_CONFIG: exit 2 */

  if (!fr_inbox_fetch (client, inbox, print_refused, NULL, NULL, NULL, &counts, &error))
    return _staff_report ("fetch", error);

  g_print ("fetched %u new, %u already in the inbox, %u refused", counts.fetched, counts.present, counts.refused);
  if (counts.refused_before > 0)
    g_print (", %u refused before (see 'fristad-staff list --refused')", counts.refused_before);
  g_print ("\n");
  return counts.refused > 0 ? EXIT_FAILURE_OPERATIONAL : EXIT_OK;
}

int
_staff_cmd_ack (int    argc,
                char **argv)
{
  g_autofree char *server = NULL, *key_path = NULL, *ca = NULL, *passphrase_file = NULL;
  GOptionEntry entries[] = {
    SERVER_OPTION (server),
    KEY_OPTION (key_path),
    CA_OPTION (ca),
    PASSPHRASE_FILE_OPTION (passphrase_file),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FrInboxClient) client = NULL;
  guint8 raw[FR_RECORD_ID_SIZE];
  int status = EXIT_OK;

  if (!_staff_parse_options ("ack", "ID — delete a fetched record from the queue", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return _staff_usage_error ("ack", "give exactly one record ID");
  if (!fr_uuid_parse (argv[1], raw))
    return _staff_usage_error ("ack", "the record ID must be a lowercase UUID");
  if (server == NULL || key_path == NULL)
    return _staff_usage_error ("ack", "--server URL and --key FILE are required");
  client = client_new (server, ca, key_path, passphrase_file, FALSE, &error);
  if (client == NULL || !fr_inbox_ack (client, argv[1], &error))
    return _staff_report ("ack", error);
  g_print ("acknowledged %s\n", argv[1]);
  return EXIT_OK;
}
