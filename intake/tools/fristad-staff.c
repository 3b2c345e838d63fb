/* fristad-staff — the social-services workstation tool
 *
 *   fristad-staff keygen --out FILE
 *   fristad-staff open ID|FILE --key FILE [--inbox DIR] [--out DIR]
 *   fristad-staff inspect FILE
 *   fristad-staff fetch --server URL --key FILE --inbox DIR [--ca FILE]
 *   fristad-staff list --inbox DIR --key FILE
 *   fristad-staff ack ID --server URL --key FILE [--ca FILE]
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

#include <json-glib/json-glib.h>

#include "fr-intake.h"
#include "fr-reader-auth.h"

enum
{
  EXIT_OK = 0,
  EXIT_FAILURE_OPERATIONAL = 1,
  EXIT_BAD_INPUT = 2,
};

typedef int (*CommandFunc) (int argc, char **argv);

/* Options several commands share. */
#define PASSPHRASE_FILE_OPTION(var) \
  { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &(var), \
    "Read the passphrase from the first line of F instead of the terminal", "F" }
#define KEY_OPTION(var) { "key", 0, 0, G_OPTION_ARG_FILENAME, &(var), "The staff secret key file", "FILE" }
#define SERVER_OPTION(var) { "server", 0, 0, G_OPTION_ARG_STRING, &(var), "The queue's URL", "URL" }
#define CA_OPTION(var) { "ca", 0, 0, G_OPTION_ARG_FILENAME, &(var), "The queue's pinned CA certificate", "FILE" }

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
    PASSPHRASE_FILE_OPTION (passphrase_file),
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

/* Writes DIR/NAME (mode 0600) and syncs it. With @replace the bytes go to NAME.part first
 * and are renamed into place, so a reader never sees half a file; without it an existing
 * NAME is never touched (O_EXCL). */
static gboolean
write_private_file (const char    *dir,
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
  int fd;

  fd = g_open (target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (replace ? O_TRUNC : O_EXCL), 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: %s", target, g_strerror (saved));
      return FALSE;
    }
  while (done < len)
    {
      ssize_t n = write (fd, data + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
  if (done != len || fsync (fd) != 0 || close (fd) != 0 || (replace && g_rename (tmp, path) != 0))
    {
      int saved = errno ? errno : EIO;

      g_unlink (target);
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
    KEY_OPTION (key_path),
    { "inbox", 0, 0, G_OPTION_ARG_FILENAME, &inbox, "Inbox directory to find ID in", "DIR" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_dir, "Write attachments into DIR", "DIR" },
    { "kiosk", 0, 0, G_OPTION_ARG_STRING, &kiosk,
      "Also verify the kiosk signature with this fristad-kiosk: key", "KEY" },
    PASSPHRASE_FILE_OPTION (passphrase_file),
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

          if (!write_private_file (out_dir, name, opened->attachments[i]->data, opened->attachments[i]->len, FALSE, &error))
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

/* --- talking to the queue: fetch, ack ------------------------------------------------ */

typedef struct
{
  SoupSession *session;
  char        *server;
  FrStaffKey  *key;
} Client;

static void
client_clear (Client *client)
{
  g_clear_object (&client->session);
  g_clear_pointer (&client->server, g_free);
  g_clear_pointer (&client->key, fr_staff_key_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Client, client_clear)

static gboolean
client_init (Client      *client,
             const char  *server,
             const char  *ca,
             const char  *key_path,
             const char  *passphrase_file,
             GError     **error)
{
  g_autoptr(FrSecret) passphrase = NULL;

  client->session = fr_http_session_new (server, ca, error);
  if (client->session == NULL)
    return FALSE;
  client->server = g_strdup (server);
  passphrase = fr_passphrase_read ("Passphrase for the staff key: ", passphrase_file, FALSE, error);
  if (passphrase == NULL)
    return FALSE;
  client->key = fr_staff_key_load (key_path, passphrase, error);
  return client->key != NULL;
}

/* One signed request; anything but @expect_status is an error naming the status. */
static GBytes *
client_request (Client      *client,
                const char  *method,
                const char  *path_with_query,
                guint        expect_status,
                guint       *out_status,
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
  if (out_status != NULL)
    *out_status = status;
  if (status != expect_status)
    {
      g_autofree char *message = fr_http_error_message (body);

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
 * queue said it is, and that it opens with our key (which authenticates every byte). */
static gboolean
check_download (Client      *client,
                const char  *id,
                GBytes      *envelope,
                GError     **error)
{
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  FrEnvelopeInfo info;
  char header_id[FR_UUID_STRING_LEN + 1];

  if (!fr_envelope_inspect (g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope), &info, error))
    return FALSE;
  fr_uuid_format (info.record_id, header_id);
  if (!g_str_equal (header_id, id))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_ID_MISMATCH, "the queue sent envelope %s for %s", header_id, id);
      return FALSE;
    }
  opened = fr_envelope_open (g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope),
                             client->key->recipient_pk, client->key->recipient_sk, NULL, error);
  return opened != NULL;
}

static int
cmd_fetch (int    argc,
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
  gint64 after = 0;
  guint fetched = 0, present = 0, refused = 0;
  int status = EXIT_OK;

  if (!parse_options ("fetch", "— download new records into the inbox", entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return usage_error ("fetch", "unexpected argument");
  if (server == NULL || key_path == NULL || inbox == NULL)
    return usage_error ("fetch", "--server URL, --key FILE and --inbox DIR are required");
  if (g_mkdir_with_parents (inbox, 0700) != 0)
    {
      g_printerr ("fristad-staff fetch: cannot create %s: %s\n", inbox, g_strerror (errno));
      return EXIT_FAILURE_OPERATIONAL;
    }
  if (!client_init (&client, server, ca, key_path, passphrase_file, &error))
    return report ("fetch", error);

  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("/v1/envelopes?after=%" G_GINT64_FORMAT "&limit=%d", after, 100);
      g_autoptr(GBytes) body = client_request (&client, "GET", path, 200, NULL, &error);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonArray *items = NULL;
      gint64 next = 0;

      if (body == NULL || !parse_listing (body, parser, &items, &next, &error))
        return report ("fetch", error);

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonNode *node = json_array_get_element (items, i);
          JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *id = item ? json_object_get_string_member_with_default (item, "id", NULL) : NULL;
          guint8 raw[FR_RECORD_ID_SIZE];
          g_autofree char *name = NULL, *file = NULL, *info_name = NULL, *info = NULL, *get_path = NULL;
          g_autoptr(GBytes) envelope = NULL;
          g_autoptr(GError) item_error = NULL;

          if (id == NULL || !fr_uuid_parse (id, raw))
            {
              g_set_error_literal (&error, FR_ERROR, FR_ERROR_REJECTED, "the queue listed an item without a valid id");
              return report ("fetch", error);
            }
          name = g_strdup_printf ("%s.frs", id);
          file = g_build_filename (inbox, name, NULL);
          if (g_file_test (file, G_FILE_TEST_EXISTS))
            {
              present++;
              continue;
            }

          get_path = g_strdup_printf ("/v1/envelopes/%s", id);
          envelope = client_request (&client, "GET", get_path, 200, NULL, &error);
          if (envelope == NULL)
            return report ("fetch", error);
          if (!check_download (&client, id, envelope, &item_error))
            {
              /* Not ours or damaged: say so, keep nothing, go on with the rest. */
              g_printerr ("fristad-staff fetch: %s refused: %s\n", id, item_error->message);
              refused++;
              continue;
            }
          info_name = g_strdup_printf ("%s.info", id);
          info = g_strdup_printf ("[envelope]\nid=%s\nreceived_at=%" G_GINT64_FORMAT "\nkiosk=%s\nsize=%" G_GSIZE_FORMAT "\n",
                                  id, json_object_get_int_member_with_default (item, "received_at", 0),
                                  json_object_get_string_member_with_default (item, "kiosk", ""),
                                  g_bytes_get_size (envelope));
          if (!write_private_file (inbox, info_name, (const guint8 *) info, strlen (info), TRUE, &error)
              || !write_private_file (inbox, name, g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope), TRUE, &error))
            return report ("fetch", error);
          fetched++;
        }

      if (json_array_get_length (items) == 0 || next <= after)
        break;
      after = next;
    }

  g_print ("fetched %u new, %u already in the inbox, %u refused\n", fetched, present, refused);
  return refused > 0 ? EXIT_FAILURE_OPERATIONAL : EXIT_OK;
}

static int
cmd_ack (int    argc,
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

  if (!parse_options ("ack", "ID — delete a fetched record from the queue", entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return usage_error ("ack", "give exactly one record ID");
  if (!fr_uuid_parse (argv[1], raw))
    return usage_error ("ack", "the record ID must be a lowercase UUID");
  if (server == NULL || key_path == NULL)
    return usage_error ("ack", "--server URL and --key FILE are required");
  if (!client_init (&client, server, ca, key_path, passphrase_file, &error))
    return report ("ack", error);

  path = g_strdup_printf ("/v1/envelopes/%s/ack", argv[1]);
  body = client_request (&client, "POST", path, 200, NULL, &error);
  if (body == NULL)
    return report ("ack", error);
  g_print ("acknowledged %s\n", argv[1]);
  return EXIT_OK;
}

/* --- list -------------------------------------------------------------------------------- */

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

static int
cmd_list (int    argc,
          char **argv)
{
  g_autofree char *inbox = NULL, *key_path = NULL, *passphrase_file = NULL;
  GOptionEntry entries[] = {
    { "inbox", 0, 0, G_OPTION_ARG_FILENAME, &inbox, "The inbox directory", "DIR" },
    KEY_OPTION (key_path),
    PASSPHRASE_FILE_OPTION (passphrase_file),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(FrSecret) passphrase = NULL;
  g_autoptr(FrStaffKey) key = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (list_row_free);
  const char *name;
  guint unreadable = 0;
  int status = EXIT_OK;

  if (!parse_options ("list", "— list the records in the inbox", entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return usage_error ("list", "unexpected argument");
  if (inbox == NULL || key_path == NULL)
    return usage_error ("list", "--inbox DIR and --key FILE are required");

  dir = g_dir_open (inbox, 0, &error);
  if (dir == NULL)
    {
      g_printerr ("fristad-staff list: %s\n", error->message);
      return EXIT_FAILURE_OPERATIONAL;
    }
  passphrase = fr_passphrase_read ("Passphrase for the staff key: ", passphrase_file, FALSE, &error);
  if (passphrase == NULL)
    return report ("list", error);
  key = fr_staff_key_load (key_path, passphrase, &error);
  if (key == NULL)
    return report ("list", error);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL, *info_path = NULL, *id = NULL;
      g_autoptr(GBytes) envelope = NULL;
      g_autoptr(FrOpenedEnvelope) opened = NULL;
      g_autoptr(GKeyFile) info = g_key_file_new ();
      g_autoptr(GError) item_error = NULL;
      g_autoptr(GDateTime) received = NULL;
      g_autofree char *received_str = NULL;
      ListRow *row;
      gint64 received_at = 0;

      if (!g_str_has_suffix (name, ".frs"))
        continue;
      path = g_build_filename (inbox, name, NULL);
      id = g_strndup (name, strlen (name) - 4);
      envelope = read_envelope_file (path, &item_error);
      if (envelope != NULL)
        opened = fr_envelope_open (g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope),
                                   key->recipient_pk, key->recipient_sk, NULL, &item_error);
      if (opened == NULL)
        {
          g_printerr ("fristad-staff list: %s: %s\n", name, item_error->message);
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
      row->line = g_strdup_printf ("%s\t%s\t%s\t%s\t%s\t%s", fr_record_get_id_string (opened->record),
                                   received_str, fr_record_get_site (opened->record),
                                   fr_record_get_language (opened->record), fr_record_get_receipt (opened->record),
                                   fr_record_get_channel (opened->record));
      g_ptr_array_add (rows, row);
    }

  g_ptr_array_sort (rows, compare_rows);
  g_print ("id\treceived\tsite\tlanguage\treceipt\tchannel\n");
  for (guint i = 0; i < rows->len; i++)
    g_print ("%s\n", ((ListRow *) g_ptr_array_index (rows, i))->line);
  return unreadable > 0 ? EXIT_BAD_INPUT : EXIT_OK;
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
  { "fetch", cmd_fetch, "fetch --server URL --key FILE --inbox DIR [--ca FILE]   download new records (kept encrypted)" },
  { "list", cmd_list, "list --inbox DIR --key FILE           id, received, site, language, receipt, channel" },
  { "ack", cmd_ack, "ack ID --server URL --key FILE [--ca FILE]   delete a fetched record from the queue" },
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
