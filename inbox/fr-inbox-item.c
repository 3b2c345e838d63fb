/* fr-inbox-item.c — one row of the inbox list */
#define G_LOG_DOMAIN "fristad-inbox"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sodium.h>

#include "fr-inbox-item.h"

struct _FrInboxItem
{
  GObject   parent_instance;

  char      id[FR_UUID_STRING_LEN + 1];
  gint64    received_at;
  gboolean  refused;
  char      reason[33];
  char      kiosk[FR_KID_HEX_LEN + 1];
  char     *site;
  char     *channel;
  char     *language;
  char      receipt[FR_RECEIPT_STRING_LEN + 1];
  FrSecret *needs;
  gboolean  not_safe;
  FrFollowupStatus status;
  guint32   reflection_start;
  gboolean  followup_ok;
};

G_DEFINE_FINAL_TYPE (FrInboxItem, fr_inbox_item, G_TYPE_OBJECT)

static void
fr_inbox_item_finalize (GObject *object)
{
  FrInboxItem *self = FR_INBOX_ITEM (object);

  g_free (self->site);
  g_free (self->channel);
  g_free (self->language);
  fr_secret_free (self->needs);
  G_OBJECT_CLASS (fr_inbox_item_parent_class)->finalize (object);
}

static void
fr_inbox_item_class_init (FrInboxItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fr_inbox_item_finalize;
}

static void
fr_inbox_item_init (FrInboxItem *self)
{
  self->followup_ok = TRUE;
}

/* "needs" (option ids) and "safe_now" from the record's answers. */
static void
read_answers (FrInboxItem    *self,
              const FrRecord *record)
{
  const FrSecret *json = fr_record_get_json (record);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GString) needs = g_string_new (NULL);
  JsonObject *root, *answers;
  JsonNode *node;

  if (json_parser_load_from_data (parser, (const char *) json->data, json->len, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      && (root = json_node_get_object (json_parser_get_root (parser))) != NULL
      && json_object_has_member (root, "answers")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "answers")))
    {
      answers = json_object_get_object_member (root, "answers");
      node = json_object_get_member (answers, "needs");
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (json_node_get_value_type (element) != G_TYPE_STRING)
                continue;
              if (needs->len > 0)
                g_string_append_c (needs, '\n');
              g_string_append (needs, json_node_get_string (element));
            }
        }
      node = json_object_get_member (answers, "safe_now");
      self->not_safe = node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN
                       && !json_node_get_boolean (node);
    }
  self->needs = fr_secret_new_from (needs->str, needs->len);
  sodium_memzero (needs->str, needs->len);
}

FrInboxItem *
fr_inbox_item_new_from_record (const FrRecord *record,
                               gint64          received_at)
{
  FrInboxItem *self = g_object_new (FR_TYPE_INBOX_ITEM, NULL);

  g_strlcpy (self->id, fr_record_get_id_string (record), sizeof self->id);
  self->received_at = received_at > 0 ? received_at : fr_record_get_created (record);
  self->site = g_strdup (fr_record_get_site (record));
  self->channel = g_strdup (fr_record_get_channel (record));
  self->language = g_strdup (fr_record_get_language (record));
  g_strlcpy (self->receipt, fr_record_get_receipt (record), sizeof self->receipt);
  read_answers (self, record);
  return self;
}

FrInboxItem *
fr_inbox_item_new_refused (const FrInboxRefusal *refusal)
{
  FrInboxItem *self = g_object_new (FR_TYPE_INBOX_ITEM, NULL);
  guint8 raw[FR_RECORD_ID_SIZE];

  g_strlcpy (self->id, refusal->id, sizeof self->id);
  self->received_at = refusal->refused_at;
  self->refused = TRUE;
  g_strlcpy (self->reason, refusal->reason, sizeof self->reason);
  g_strlcpy (self->kiosk, refusal->kiosk, sizeof self->kiosk);
  if (fr_uuid_parse (refusal->id, raw))
    fr_receipt_format (raw, self->receipt);
  self->needs = fr_secret_new (0);
  return self;
}

const char *fr_inbox_item_get_id (FrInboxItem *self) { return self->id; }
gint64 fr_inbox_item_get_received_at (FrInboxItem *self) { return self->received_at; }
gboolean fr_inbox_item_is_refused (FrInboxItem *self) { return self->refused; }
const char *fr_inbox_item_get_reason (FrInboxItem *self) { return self->reason; }
const char *fr_inbox_item_get_kiosk (FrInboxItem *self) { return self->kiosk; }
const char *fr_inbox_item_get_site (FrInboxItem *self) { return self->site ? self->site : ""; }
const char *fr_inbox_item_get_channel (FrInboxItem *self) { return self->channel ? self->channel : ""; }
const char *fr_inbox_item_get_language (FrInboxItem *self) { return self->language ? self->language : ""; }
const char *fr_inbox_item_get_receipt (FrInboxItem *self) { return self->receipt; }
const char *fr_inbox_item_get_needs (FrInboxItem *self) { return (const char *) self->needs->data; }
gboolean fr_inbox_item_get_not_safe (FrInboxItem *self) { return self->not_safe; }
FrFollowupStatus fr_inbox_item_get_status (FrInboxItem *self) { return self->status; }
gboolean fr_inbox_item_get_followup_ok (FrInboxItem *self) { return self->followup_ok; }

guint32 fr_inbox_item_get_reflection_start (FrInboxItem *self) { return self->reflection_start; }

void
fr_inbox_item_set_followup (FrInboxItem      *self,
                            const FrFollowup *followup)
{
  g_return_if_fail (FR_IS_INBOX_ITEM (self));

  self->followup_ok = followup != NULL;
  self->status = followup ? followup->status : FR_FOLLOWUP_NEW;
  self->reflection_start = followup ? followup->reflection_start : 0;
}

/* The receipt as the person reads it out: case, spaces and the dash do not matter, and
 * Crockford's look-alikes (O→0, I/L→1) are folded. A prefix of four or more matches. */
gboolean
fr_inbox_item_matches_receipt (FrInboxItem *self,
                               const char  *query)
{
  char want[FR_RECEIPT_STRING_LEN + 1] = "", have[FR_RECEIPT_STRING_LEN + 1] = "";
  gsize n = 0, m = 0;

  for (const char *p = query; *p != '\0' && n < sizeof want - 1; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == ' ' || c == '-')
        continue;
      if (c == 'O')
        c = '0';
      else if (c == 'I' || c == 'L')
        c = '1';
      want[n++] = c;
    }
  for (const char *p = self->receipt; *p != '\0' && m < sizeof have - 1; p++)
    if (*p != '-')
      have[m++] = *p;
  if (n == 0)
    return TRUE;
  return n >= 4 && n <= m && strncmp (want, have, n) == 0;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  gint64 ta = FR_INBOX_ITEM ((gpointer) a)->received_at, tb = FR_INBOX_ITEM ((gpointer) b)->received_at;

  return (tb > ta) - (tb < ta);
}

GListStore *
fr_inbox_item_load_all (const char        *inbox,
                        const FrStaffKey  *key,
                        const FrRoster    *roster,
                        guint             *n_unreadable,
                        GError           **error)
{
  g_autoptr(GListStore) store = g_list_store_new (FR_TYPE_INBOX_ITEM);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GArray) refused = NULL;
  g_autoptr(GError) local = NULL;
  const char *name;

  *n_unreadable = 0;
  dir = g_dir_open (inbox, 0, &local);
  if (dir == NULL)
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&store);   /* nothing fetched yet */
      g_set_error_literal (error, FR_ERROR, FR_ERROR_IO, local->message);
      return NULL;
    }
  refused = fr_inbox_refused_load (inbox, error);
  if (refused == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *id = NULL;
      g_autoptr(FrOpenedEnvelope) opened = NULL;
      g_autoptr(GError) item_error = NULL;
      g_autoptr(FrFollowup) followup = NULL;
      g_autoptr(FrInboxItem) item = NULL;

      if (!g_str_has_suffix (name, FR_INBOX_ENVELOPE_EXT))
        continue;
      id = g_strndup (name, strlen (name) - strlen (FR_INBOX_ENVELOPE_EXT));
      opened = fr_inbox_open (inbox, id, key, roster, &item_error);
      if (opened == NULL)
        {
          /* The id and the error name only: never anything from inside. */
          g_message ("%s does not open: %s", name, fr_error_code_name (item_error->code) ?: "error");
          (*n_unreadable)++;
          continue;
        }
      item = fr_inbox_item_new_from_record (opened->record, fr_inbox_received_at (inbox, id));
      followup = fr_followup_load (inbox, id, key, &item_error);
      if (followup == NULL)
        g_message ("the follow-up of %s does not open: %s", id, fr_error_code_name (item_error->code));
      fr_inbox_item_set_followup (item, followup);
      g_ptr_array_add (items, g_steal_pointer (&item));
    }
  for (guint i = 0; i < refused->len; i++)
    g_ptr_array_add (items, fr_inbox_item_new_refused (&g_array_index (refused, FrInboxRefusal, i)));
  for (guint i = 0; i < items->len; i++)
    g_list_store_append (store, g_ptr_array_index (items, i));
  g_list_store_sort (store, compare_newest_first, NULL);
  return g_steal_pointer (&store);
}
