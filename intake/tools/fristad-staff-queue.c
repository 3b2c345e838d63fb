/* fristad-staff fetch and ack — talking to the queue
 *
 * fetch keeps an envelope only if it is signed by a kiosk in the roster and opens with our
 * key; anything else is refused, reported, and remembered in the inbox's refused.tsv so it
 * is not downloaded again (see 'list --refused'). The queue's error text is never shown
 * as it came: only the names intake/QUEUE.md documents, anything else escaped.
 */
#define G_LOG_DOMAIN "fristad-staff"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "fr-queue.h"
#include "fr-reader-auth.h"
#include "fristad-staff-private.h"

/* Every error name intake/QUEUE.md documents (and fr_error_code_name()'s envelope codes,
 * which the queue answers a malformed upload with). */
static const char * const queue_error_names[] = {
  "bad-id", "bad-query", "bad-signature", "expired-authorization", "id-conflict",
  "length-required", "malformed-authorization", "method-not-allowed", "missing-authorization",
  "not-found", "quota", "rate-limited", "revoked-kiosk", "revoked-reader", "shutting-down",
  "storage-unavailable", "too-large", "unknown-kiosk", "unknown-reader",
  "bad-magic", "unknown-version", "recipient-count", "truncated", "length-mismatch",
  "trailing-bytes", "chunk-after-final", "missing-final",
};

/* The queue's error as we show it: a documented name as it is, anything else marked as
 * not ours (and escaped, like every error line, by _staff_printerr()). */
static char *
queue_error_text (GBytes *body)
{
  g_autofree char *message = fr_http_error_message (body);

  for (guint i = 0; i < G_N_ELEMENTS (queue_error_names); i++)
    if (g_str_equal (message, queue_error_names[i]))
      return g_steal_pointer (&message);
  if (g_str_equal (message, "no error text"))
    return g_steal_pointer (&message);
  return g_strdup_printf ("undocumented error \"%s\"", message);
}

typedef struct
{
  SoupSession *session;
  char        *server;
  FrStaffKey  *key;
  FrRoster    *roster;
} Client;

static void
client_clear (Client *client)
{
  g_clear_object (&client->session);
  g_clear_pointer (&client->server, g_free);
  g_clear_pointer (&client->key, fr_staff_key_free);
  g_clear_pointer (&client->roster, fr_roster_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Client, client_clear)

static gboolean
client_init (Client      *client,
             const char  *server,
             const char  *ca,
             const char  *key_path,
             const char  *passphrase_file,
             gboolean     with_roster,
             GError     **error)
{
  client->session = fr_http_session_new (server, ca, error);
  if (client->session == NULL)
    return FALSE;
  client->server = g_strdup (server);
  client->key = _staff_unlock (key_path, passphrase_file, with_roster ? &client->roster : NULL, error);
  return client->key != NULL;
}

/* One signed request; anything but @expect_status is an error naming the status. */
static GBytes *
client_request (Client      *client,
                const char  *method,
                const char  *path_with_query,
                guint        expect_status,
                GError     **error)
{
  g_autofree char *url = fr_http_join (client->server, path_with_query);
  g_autofree char *auth = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local = NULL;
  guint status;

  if (msg == NULL)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "cannot make a request to %s", url);
      return NULL;
    }
  auth = fr_reader_auth_build (client->key->reader_pk, client->key->reader_sk, method, path_with_query,
                               g_get_real_time () / G_USEC_PER_SEC);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (g_str_equal (method, "POST"))
    soup_message_set_request_body_from_bytes (msg, "application/json", g_bytes_new_static ("{}", 2));

  body = soup_session_send_and_read (client->session, msg, NULL, &local);
  if (body == NULL)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_NETWORK, "%s: %s", client->server, local->message);
      return NULL;
    }
  status = soup_message_get_status (msg);
  if (status != expect_status)
    {
      g_autofree char *message = queue_error_text (body);

      g_set_error (error, FR_ERROR, FR_ERROR_REJECTED, "%s %s: HTTP %u: %s", method, path_with_query, status, message);
      return NULL;
    }
  return g_steal_pointer (&body);
}

static gboolean
parse_listing (GBytes      *body,
               JsonParser  *parser,
               JsonArray  **items,
               gint64      *next,
               GError     **error)
{
  JsonNode *root;
  JsonObject *object;
  JsonNode *items_node, *next_node;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL)
      || !JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))))
    goto bad;
  object = json_node_get_object (root);
  items_node = json_object_get_member (object, "items");
  next_node = json_object_get_member (object, "next");
  if (items_node == NULL || !JSON_NODE_HOLDS_ARRAY (items_node) || next_node == NULL
      || json_node_get_value_type (next_node) != G_TYPE_INT64)
    goto bad;
  *items = json_node_get_array (items_node);
  *next = json_node_get_int (next_node);
  return TRUE;

bad:
  g_set_error_literal (error, FR_ERROR, FR_ERROR_REJECTED, "the queue's envelope list is malformed");
  return FALSE;
}

/* Checks a downloaded envelope before it is kept: its structure, that it is the record the
 * queue said it is, that a kiosk in the roster signed it, and that it opens with our key.
 * Sets @kid_hex to the signing kiosk's key id once the header is readable. */
static gboolean
check_download (Client      *client,
                const char  *id,
                GBytes      *envelope,
                char         kid_hex[FR_KID_HEX_LEN + 1],
                GError     **error)
{
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  const FrRosterEntry *entry;
  FrEnvelopeInfo info;
  char header_id[FR_UUID_STRING_LEN + 1];

  if (!fr_envelope_inspect (g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope), &info, error))
    return FALSE;
  fr_kid_to_hex (info.kiosk_kid, kid_hex);
  fr_uuid_format (info.record_id, header_id);
  if (!g_str_equal (header_id, id))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_ID_MISMATCH, "the queue sent envelope %s for %s", header_id, id);
      return FALSE;
    }
  entry = fr_roster_check_envelope (client->roster, g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope),
                                    error);
  if (entry == NULL)
    return FALSE;
  opened = fr_envelope_open (g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope),
                             client->key->recipient_pk, client->key->recipient_sk, entry->pk, error);
  return opened != NULL;
}

/* A refusal is remembered for good, except "unknown-kiosk" once that kiosk is in the
 * roster: adding a kiosk after the fact must not lose its records. */
static gboolean
refusal_still_holds (Client             *client,
                     const StaffRefusal *refusal)
{
  guint8 kid[FR_KID_SIZE];

  if (!g_str_equal (refusal->reason, "unknown-kiosk"))
    return TRUE;
  return !fr_kid_from_hex (refusal->kiosk, kid) || fr_roster_find_kid (client->roster, kid) == NULL;
}

static void
remember_refusal (GArray     *refused,
                  const char *id,
                  const char *kid_hex,
                  int         code)
{
  StaffRefusal *old = _staff_refused_find (refused, id);
  StaffRefusal refusal = { 0 };
  const char *reason = fr_error_code_name (code);

  g_strlcpy (refusal.id, id, sizeof refusal.id);
  refusal.refused_at = g_get_real_time () / G_USEC_PER_SEC;
  g_strlcpy (refusal.kiosk, kid_hex[0] ? kid_hex : "-", sizeof refusal.kiosk);
  g_strlcpy (refusal.reason, reason ? reason : "refused", sizeof refusal.reason);
  if (old != NULL)
    *old = refusal;
  else
    g_array_append_val (refused, refusal);
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
  g_auto(Client) client = { 0 };
  g_autoptr(GArray) refused = NULL;
  gint64 after = 0;
  guint fetched = 0, present = 0, n_refused = 0, refused_before = 0, refused_at_start;
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
  refused = _staff_refused_load (inbox, &error);
  if (refused == NULL)
    return _staff_report ("fetch", error);
  refused_at_start = refused->len;
  if (!client_init (&client, server, ca, key_path, passphrase_file, TRUE, &error))
    return _staff_report ("fetch", error);
  if (fr_roster_get_n_kiosks (client.roster) == 0)
    {
      g_autofree char *roster_path = fr_roster_path_for_key (key_path);

      _staff_printerr ("fetch", "the kiosk roster %s is empty, so every record would be refused; "
                       "add kiosks with 'fristad-staff kiosks import'", roster_path);
      return EXIT_BAD_INPUT;
    }

  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("/v1/envelopes?after=%" G_GINT64_FORMAT "&limit=%d", after, 100);
      g_autoptr(GBytes) body = client_request (&client, "GET", path, 200, &error);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonArray *items = NULL;
      gint64 next = 0;

      if (body == NULL || !parse_listing (body, parser, &items, &next, &error))
        break;

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonNode *node = json_array_get_element (items, i);
          JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *id = item ? json_object_get_string_member_with_default (item, "id", NULL) : NULL;
          const char *kiosk_name = item ? json_object_get_string_member_with_default (item, "kiosk", "") : "";
          const StaffRefusal *before;
          guint8 raw[FR_RECORD_ID_SIZE];
          g_autofree char *name = NULL, *file = NULL, *info_name = NULL, *info = NULL, *get_path = NULL;
          g_autoptr(GBytes) envelope = NULL;
          g_autoptr(GError) item_error = NULL;
          char kid_hex[FR_KID_HEX_LEN + 1] = "";

          if (id == NULL || !fr_uuid_parse (id, raw))
            {
              g_set_error_literal (&error, FR_ERROR, FR_ERROR_REJECTED, "the queue listed an item without a valid id");
              break;
            }
          name = g_strdup_printf ("%s.frs", id);
          file = g_build_filename (inbox, name, NULL);
          if (g_file_test (file, G_FILE_TEST_EXISTS))
            {
              present++;
              continue;
            }
          before = _staff_refused_find (refused, id);
          if (before != NULL && refusal_still_holds (&client, before))
            {
              refused_before++;
              continue;
            }

          get_path = g_strdup_printf ("/v1/envelopes/%s", id);
          envelope = client_request (&client, "GET", get_path, 200, &error);
          if (envelope == NULL)
            break;
          if (!check_download (&client, id, envelope, kid_hex, &item_error))
            {
              /* Not ours, not from a kiosk we know, or damaged: say so, keep nothing but
               * the refusal, go on with the rest. */
              _staff_printerr ("fetch", "%s refused: %s", id, item_error->message);
              remember_refusal (refused, id, kid_hex, item_error->domain == FR_ERROR ? item_error->code : 0);
              n_refused++;
              continue;
            }
          info_name = g_strdup_printf ("%s.info", id);
          info = g_strdup_printf ("[envelope]\nid=%s\nreceived_at=%" G_GINT64_FORMAT "\nkiosk=%s\nsize=%" G_GSIZE_FORMAT "\n",
                                  id, json_object_get_int_member_with_default (item, "received_at", 0),
                                  fr_queue_name_is_valid (kiosk_name) ? kiosk_name : "-",
                                  g_bytes_get_size (envelope));
          if (!_staff_write_private (inbox, info_name, (const guint8 *) info, strlen (info), TRUE, &error)
              || !_staff_write_private (inbox, name, g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope),
                                        TRUE, &error))
            break;
          if (before != NULL)
            g_array_remove_index (refused, (guint) (before - &g_array_index (refused, StaffRefusal, 0)));
          fetched++;
        }
      if (error != NULL || json_array_get_length (items) == 0 || next <= after)
        break;
      after = next;
    }

  /* Remember the refusals even when the fetch stopped half-way. */
  if (n_refused > 0 || refused->len != refused_at_start)
    {
      g_autoptr(GError) save_error = NULL;

      if (!_staff_refused_save (inbox, refused, &save_error) && error == NULL)
        g_propagate_error (&error, g_steal_pointer (&save_error));
    }
  if (error != NULL)
    return _staff_report ("fetch", error);

  g_print ("fetched %u new, %u already in the inbox, %u refused", fetched, present, n_refused);
  if (refused_before > 0)
    g_print (", %u refused before (see 'fristad-staff list --refused')", refused_before);
  g_print ("\n");
  return n_refused > 0 ? EXIT_FAILURE_OPERATIONAL : EXIT_OK;
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
  g_auto(Client) client = { 0 };
  g_autoptr(GBytes) body = NULL;
  g_autofree char *path = NULL;
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
  if (!client_init (&client, server, ca, key_path, passphrase_file, FALSE, &error))
    return _staff_report ("ack", error);

  path = g_strdup_printf ("/v1/envelopes/%s/ack", argv[1]);
  body = client_request (&client, "POST", path, 200, &error);
  if (body == NULL)
    return _staff_report ("ack", error);
  g_print ("acknowledged %s\n", argv[1]);
  return EXIT_OK;
}
