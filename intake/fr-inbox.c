/* fr-inbox.c — the staff inbox directory: envelope files, refused.tsv, fetch and ack
 *
 * Shared by fristad-staff (fetch, list, open, ack) and the fristad-inbox app, so the two
 * read and write the same inbox the same way. Format: fr-inbox.h.
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "fr-error.h"
#include "fr-http.h"
#include "fr-inbox.h"
#include "fr-queue.h"
#include "fr-reader-auth.h"

#define REFUSED_MAX_SIZE (4u * 1024u * 1024u)

/* ---- files ---- */

/**
 * fr_inbox_read_envelope:
 *
 * Maps a regular file of at most FR_ENVELOPE_MAX_SIZE bytes.
 */
GBytes *
fr_inbox_read_envelope (const char  *path,
                        GError     **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local = NULL;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);

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

  mapped = g_mapped_file_new (path, FALSE, &local);
  if (mapped == NULL)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_IO, local->message);
      return NULL;
    }
  return g_mapped_file_get_bytes (mapped);
}

/**
 * fr_inbox_write_private:
 * @replace: write NAME.part and rename it over NAME; otherwise NAME must not exist
 *
 * Writes DIR/NAME with mode 0600, fsynced, never following a link.
 */
gboolean
fr_inbox_write_private (const char    *dir,
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

/* ID.info's received_at, or 0 when there is none. */
gint64
fr_inbox_received_at (const char *inbox,
                      const char *id)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *name = g_strdup_printf ("%s.info", id);
  g_autofree char *path = g_build_filename (inbox, name, NULL);
  gint64 received_at;

  if (!g_key_file_load_from_file (info, path, G_KEY_FILE_NONE, NULL))
    return 0;
  received_at = g_key_file_get_int64 (info, "envelope", "received_at", NULL);
  return received_at > 0 ? received_at : 0;
}

/* ---- refused.tsv ---- */

FrInboxRefusal *
fr_inbox_refused_find (GArray     *refused,
                       const char *id)
{
  g_return_val_if_fail (refused != NULL && id != NULL, NULL);

  for (guint i = 0; i < refused->len; i++)
    if (g_str_equal (g_array_index (refused, FrInboxRefusal, i).id, id))
      return &g_array_index (refused, FrInboxRefusal, i);
  return NULL;
}

static gboolean
reason_is_valid (const char *reason)
{
  gsize len = strlen (reason);

  if (len == 0 || len >= sizeof ((FrInboxRefusal *) NULL)->reason)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (reason[i]) && reason[i] != '-')
      return FALSE;
  return TRUE;
}

static gboolean
parse_refusal (const char     *line,
               FrInboxRefusal *out)
{
  g_auto(GStrv) fields = g_strsplit (line, "\t", -1);
  guint8 raw[FR_RECORD_ID_SIZE], kid[FR_KID_SIZE];
  guint64 when = 0;

  if (g_strv_length (fields) != 4
      || !fr_uuid_parse (fields[0], raw)
      || !g_ascii_string_to_unsigned (fields[1], 10, 0, G_MAXINT64, &when, NULL)
      || (!g_str_equal (fields[2], "-") && !fr_kid_from_hex (fields[2], kid))
      || !reason_is_valid (fields[3]))
    return FALSE;
  g_strlcpy (out->id, fields[0], sizeof out->id);
  out->refused_at = (gint64) when;
  g_strlcpy (out->kiosk, fields[2], sizeof out->kiosk);
  g_strlcpy (out->reason, fields[3], sizeof out->reason);
  return TRUE;
}

GArray *
fr_inbox_refused_load (const char  *inbox,
                       GError     **error)
{
  g_autoptr(GArray) refused = g_array_new (FALSE, TRUE, sizeof (FrInboxRefusal));
  g_autofree char *path = g_build_filename (inbox, FR_INBOX_REFUSED_FILE, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) local = NULL;
  GStatBuf st;
  gsize len = 0;

  if (g_lstat (path, &st) != 0)
    {
      int saved = errno;

      if (saved == ENOENT)
        return g_steal_pointer (&refused);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode) || st.st_size > REFUSED_MAX_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s is not a regular file of at most %u bytes",
                   path, REFUSED_MAX_SIZE);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s", local->message);
      return NULL;
    }
  if (len > 0 && (text[len - 1] != '\n' || strlen (text) != len))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE, "%s is damaged; remove it to fetch refused envelopes again",
                   path);
      return NULL;
    }
  text[len > 0 ? len - 1 : 0] = '\0';
  lines = len > 0 ? g_strsplit (text, "\n", -1) : g_new0 (char *, 1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      FrInboxRefusal refusal = { 0 };

      if (!parse_refusal (lines[i], &refusal))
        {
          g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE,
                       "%s: line %u is malformed; remove the file to fetch refused envelopes again", path, i + 1);
          return NULL;
        }
      if (fr_inbox_refused_find (refused, refusal.id) == NULL)
        g_array_append_val (refused, refusal);
    }
  return g_steal_pointer (&refused);
}

gboolean
fr_inbox_refused_save (const char  *inbox,
                       GArray      *refused,
                       GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < refused->len; i++)
    {
      const FrInboxRefusal *r = &g_array_index (refused, FrInboxRefusal, i);

      g_string_append_printf (text, "%s\t%" G_GINT64_FORMAT "\t%s\t%s\n", r->id, r->refused_at, r->kiosk, r->reason);
    }
  return fr_inbox_write_private (inbox, FR_INBOX_REFUSED_FILE, (const guint8 *) text->str, text->len, TRUE, error);
}

/* ---- the key ---- */

FrStaffKey *
fr_inbox_unlock (const char      *key_path,
                 const FrSecret  *passphrase,
                 FrRoster       **roster,
                 GError         **error)
{
  g_autoptr(FrStaffKey) key = NULL;
  g_autofree char *roster_path = NULL;

  g_return_val_if_fail (key_path != NULL && passphrase != NULL, NULL);

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

FrOpenedEnvelope *
fr_inbox_open (const char        *inbox,
               const char        *id,
               const FrStaffKey  *key,
               const FrRoster    *roster,
               GError           **error)
{
  g_autofree char *name = g_strconcat (id, FR_INBOX_ENVELOPE_EXT, NULL);
  g_autofree char *path = g_build_filename (inbox, name, NULL);
  g_autoptr(GBytes) envelope = NULL;
  const FrRosterEntry *entry;

  g_return_val_if_fail (inbox != NULL && id != NULL && key != NULL && roster != NULL, NULL);

  envelope = fr_inbox_read_envelope (path, error);
  if (envelope == NULL)
    return NULL;
  entry = fr_roster_check_envelope (roster, g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope), error);
  if (entry == NULL)
    return NULL;
  return fr_envelope_open (g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope),
                           key->recipient_pk, key->recipient_sk, entry->pk, error);
}

/* ---- the queue ---- */

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

/* The queue's error as we pass it on: a documented name as it is, anything else marked as
 * not ours (callers escape every error line they show). */
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

struct _FrInboxClient
{
  SoupSession *session;
  char        *server;
  FrStaffKey  *key;      /* its own guarded copy */
  FrRoster    *roster;   /* its own copy, or NULL */
};

/**
 * fr_inbox_client_new:
 * @roster: (nullable): needed by fr_inbox_fetch() only
 *
 * A client with its own copies of @key and @roster, so it can run in a worker thread while
 * the caller locks (wipes) its own.
 */
FrInboxClient *
fr_inbox_client_new (const char        *server,
                     const char        *ca_file,
                     const FrStaffKey  *key,
                     const FrRoster    *roster,
                     GError           **error)
{
  g_autoptr(FrInboxClient) client = g_new0 (FrInboxClient, 1);

  g_return_val_if_fail (server != NULL && key != NULL, NULL);

  client->session = fr_http_session_new (server, ca_file, error);
  if (client->session == NULL)
    return NULL;
  client->server = g_strdup (server);
  client->key = fr_staff_key_copy (key);
  if (roster != NULL)
    {
      client->roster = fr_roster_new ();
      for (guint i = 0; i < fr_roster_get_n_kiosks (roster); i++)
        {
          const FrRosterEntry *entry = fr_roster_get_kiosk (roster, i);

          if (!fr_roster_add (client->roster, entry->name, entry->pk, error))
            return NULL;
        }
    }
  return g_steal_pointer (&client);
}

void
fr_inbox_client_free (FrInboxClient *client)
{
  if (client == NULL)
    return;
  g_clear_object (&client->session);
  g_clear_pointer (&client->server, g_free);
  g_clear_pointer (&client->key, fr_staff_key_free);
  g_clear_pointer (&client->roster, fr_roster_free);
  g_free (client);
}

/* One signed request; anything but @expect_status is an error naming the status. */
static GBytes *
client_request (FrInboxClient *client,
                const char    *method,
                const char    *path_with_query,
                guint          expect_status,
                GCancellable  *cancellable,
                GError       **error)
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

  body = soup_session_send_and_read (client->session, msg, cancellable, &local);
  if (body == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local));
      else
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
check_download (FrInboxClient *client,
                const char    *id,
                GBytes        *envelope,
                char           kid_hex[FR_KID_HEX_LEN + 1],
                GError       **error)
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
refusal_still_holds (FrInboxClient        *client,
                     const FrInboxRefusal *refusal)
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
  FrInboxRefusal *old = fr_inbox_refused_find (refused, id);
  FrInboxRefusal refusal = { 0 };
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

/* Downloads and keeps one listed item, or refuses it. FALSE with @error stops the fetch. */
static gboolean
fetch_item (FrInboxClient       *client,
            const char          *inbox,
            JsonNode            *node,
            GArray              *refused,
            FrInboxRefusedFunc   refused_func,
            gpointer             user_data,
            GCancellable        *cancellable,
            FrInboxFetchCounts  *counts,
            GError             **error)
{
  JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *id = item ? json_object_get_string_member_with_default (item, "id", NULL) : NULL;
  const char *kiosk_name = item ? json_object_get_string_member_with_default (item, "kiosk", "") : "";
  FrInboxRefusal *before;
  guint8 raw[FR_RECORD_ID_SIZE];
  g_autofree char *name = NULL, *file = NULL, *info_name = NULL, *info = NULL, *get_path = NULL;
  g_autoptr(GBytes) envelope = NULL;
  g_autoptr(GError) item_error = NULL;
  char kid_hex[FR_KID_HEX_LEN + 1] = "";

  if (id == NULL || !fr_uuid_parse (id, raw))
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_REJECTED, "the queue listed an item without a valid id");
      return FALSE;
    }
  name = g_strconcat (id, FR_INBOX_ENVELOPE_EXT, NULL);
  file = g_build_filename (inbox, name, NULL);
  if (g_file_test (file, G_FILE_TEST_EXISTS))
    {
      counts->present++;
      return TRUE;
    }
  before = fr_inbox_refused_find (refused, id);
  if (before != NULL && refusal_still_holds (client, before))
    {
      counts->refused_before++;
      return TRUE;
    }

  get_path = g_strdup_printf ("/v1/envelopes/%s", id);
  envelope = client_request (client, "GET", get_path, 200, cancellable, error);
  if (envelope == NULL)
    return FALSE;
  if (!check_download (client, id, envelope, kid_hex, &item_error))
    {
      /* Not ours, not from a kiosk we know, or damaged: say so, keep nothing but the
       * refusal, go on with the rest. */
      if (refused_func != NULL)
        refused_func (id, item_error, user_data);
      remember_refusal (refused, id, kid_hex, item_error->domain == FR_ERROR ? item_error->code : 0);
      counts->refused++;
      return TRUE;
    }
  info_name = g_strdup_printf ("%s.info", id);
  info = g_strdup_printf ("[envelope]\nid=%s\nreceived_at=%" G_GINT64_FORMAT "\nkiosk=%s\nsize=%" G_GSIZE_FORMAT "\n",
                          id, json_object_get_int_member_with_default (item, "received_at", 0),
                          fr_queue_name_is_valid (kiosk_name) ? kiosk_name : "-",
                          g_bytes_get_size (envelope));
  if (!fr_inbox_write_private (inbox, info_name, (const guint8 *) info, strlen (info), TRUE, error)
      || !fr_inbox_write_private (inbox, name, g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope),
                                  TRUE, error))
    return FALSE;
  if (before != NULL)
    g_array_remove_index (refused, (guint) (before - &g_array_index (refused, FrInboxRefusal, 0)));
  counts->fetched++;
  return TRUE;
}

/**
 * fr_inbox_fetch:
 * @client: made with a roster
 * @counts: (out): what happened, also when the fetch stopped half-way
 *
 * Downloads every envelope the queue lists for this reader that is not in @inbox yet.
 * Returns FALSE when the fetch stopped (network, storage, the queue refusing, cancelled);
 * refused envelopes do not stop it. Refusals are saved either way.
 */
gboolean
fr_inbox_fetch (FrInboxClient        *client,
                const char           *inbox,
                FrInboxRefusedFunc    refused_func,
                FrInboxProgressFunc   progress_func,
                gpointer              user_data,
                GCancellable         *cancellable,
                FrInboxFetchCounts   *counts,
                GError              **error)
{
  g_autoptr(GArray) refused = NULL;
  g_autoptr(GError) local = NULL;
  gint64 after = 0;
  guint refused_at_start;

  g_return_val_if_fail (client != NULL && client->roster != NULL && inbox != NULL && counts != NULL, FALSE);

  memset (counts, 0, sizeof *counts);
  if (g_mkdir_with_parents (inbox, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot create %s: %s", inbox, g_strerror (saved));
      return FALSE;
    }
  refused = fr_inbox_refused_load (inbox, error);
  if (refused == NULL)
    return FALSE;
  refused_at_start = refused->len;

  while (local == NULL)
    {
      g_autofree char *path = g_strdup_printf ("/v1/envelopes?after=%" G_GINT64_FORMAT "&limit=%d",
                                               after, FR_INBOX_PAGE_SIZE);
      g_autoptr(GBytes) body = client_request (client, "GET", path, 200, cancellable, &local);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonArray *items = NULL;
      gint64 next = 0;

      if (body == NULL || !parse_listing (body, parser, &items, &next, &local))
        break;
      for (guint i = 0; i < json_array_get_length (items) && local == NULL; i++)
        {
          counts->listed++;
          if (fetch_item (client, inbox, json_array_get_element (items, i), refused, refused_func, user_data,
                          cancellable, counts, &local)
              && progress_func != NULL)
            progress_func (counts, user_data);
        }
      if (local == NULL)
        g_cancellable_set_error_if_cancelled (cancellable, &local);
      if (local != NULL || json_array_get_length (items) == 0 || next <= after)
        break;
      after = next;
    }

  /* Remember the refusals even when the fetch stopped half-way. */
  if (counts->refused > 0 || refused->len != refused_at_start)
    {
      g_autoptr(GError) save_error = NULL;

      if (!fr_inbox_refused_save (inbox, refused, &save_error) && local == NULL)
        local = g_steal_pointer (&save_error);
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

/* Tells the queue the record is safely in the inbox: it deletes it and keeps a tombstone. */
gboolean
fr_inbox_ack (FrInboxClient  *client,
              const char     *id,
              GError        **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) body = NULL;
  guint8 raw[FR_RECORD_ID_SIZE];

  g_return_val_if_fail (client != NULL && id != NULL, FALSE);

  if (!fr_uuid_parse (id, raw))
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_RECORD_INVALID, "the record ID must be a lowercase UUID");
      return FALSE;
    }
  path = g_strdup_printf ("/v1/envelopes/%s/ack", id);
  body = client_request (client, "POST", path, 200, NULL, error);
  return body != NULL;
}
