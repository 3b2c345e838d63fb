/* fr-record-validate.c — every field of a Record JSON v1 (intake/RECORD.md)
 *
 * Messages name the field, never its value.
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "fr-error.h"
#include "fr-record-private.h"

static const char *const top_level_fields[] = {
  "schema", "id", "created", "site", "channel", "volunteer", "language", "receipt",
  "answers", "consent", "attachments",
};

static const char *const channels[] = { "kiosk", "assisted", "hotline" };

G_GNUC_PRINTF (3, 4)
gboolean
_fr_record_invalid (GError    **error,
                    const char *field,
                    const char *format,
                    ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID, "field \"%s\": %s", field, problem);
  return FALSE;
}

gboolean
_fr_record_node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_boolean (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

static gboolean
node_is_integer (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
is_control (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

/* Valid UTF-8 of at most @max_bytes bytes without control characters other than
 * those in @allowed. */
static gboolean
is_clean_text (const char *s,
               gsize       max_bytes,
               const char *allowed)
{
  gsize len = strlen (s);

  if (len > max_bytes || !g_utf8_validate_len (s, len, NULL))
    return FALSE;
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_control (c) && (c == 0 || strchr (allowed, (int) c) == NULL))
        return FALSE;
    }
  return TRUE;
}

/* Looks up a required (or, with @optional, possibly absent) member. */
static gboolean
get_member (JsonObject  *object,
            const char  *name,
            const char  *field,
            gboolean     optional,
            JsonNode   **out,
            GError     **error)
{
  *out = json_object_get_member (object, name);
  if (*out == NULL && !optional)
    return _fr_record_invalid (error, field, "missing");
  return TRUE;
}

static gboolean
get_string (JsonObject  *object,
            const char  *name,
            const char  *field,
            const char **out,
            GError     **error)
{
  JsonNode *node;

  if (!get_member (object, name, field, FALSE, &node, error))
    return FALSE;
  if (!_fr_record_node_is_string (node))
    return _fr_record_invalid (error, field, "must be a string");
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
is_language_tag (const char *s)
{
  const char *p = s;
  gsize n = 0;

  if (strlen (s) > LANGUAGE_MAX_LEN)
    return FALSE;
  while (g_ascii_islower (p[n]))
    n++;
  if (n < 2 || n > 3)
    return FALSE;
  p += n;
  while (*p == '-')
    {
      p++;
      for (n = 0; g_ascii_isalnum (p[n]); n++)
        ;
      if (n < 2 || n > 8)
        return FALSE;
      p += n;
    }
  return *p == '\0';
}

static gboolean
is_printable_ascii (const char *s,
                    gsize       max)
{
  gsize n;

  for (n = 0; s[n] != '\0'; n++)
    if (n >= max || s[n] < 0x20 || s[n] > 0x7e)
      return FALSE;
  return n > 0;
}

static gboolean
is_answer_key (const char *s)
{
  gsize n;

  for (n = 0; s[n] != '\0'; n++)
    if (n >= ID_MAX_LEN || !(g_ascii_islower (s[n]) || g_ascii_isdigit (s[n])
                             || s[n] == '_' || s[n] == '-'))
      return FALSE;
  return n > 0;
}

static gboolean
validate_answers (JsonNode *node,
                  GError  **error)
{
  JsonObject *answers;
  g_autoptr(GList) names = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _fr_record_invalid (error, "answers", "must be an object");
  answers = json_node_get_object (node);
  if (json_object_get_size (answers) > ANSWERS_MAX_MEMBERS)
    return _fr_record_invalid (error, "answers", "at most %d answers", ANSWERS_MAX_MEMBERS);

  names = json_object_get_members (answers);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (answers, key);
      g_autofree char *field = NULL;

      if (!is_answer_key (key))
        return _fr_record_invalid (error, "answers", "keys must be 1..%d characters of a-z, 0-9, _ and -",
                                   ID_MAX_LEN);
      field = g_strconcat ("answers.", key, NULL);

      if (node_is_boolean (value))
        continue;
      if (_fr_record_node_is_string (value))
        {
          if (!is_clean_text (json_node_get_string (value), ANSWER_MAX_BYTES, "\n\t"))
            return _fr_record_invalid (error, field,
                                       "must be at most %u bytes without control characters other than newline and tab",
                                       ANSWER_MAX_BYTES);
          continue;
        }
      if (JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *items = json_node_get_array (value);
          guint n = json_array_get_length (items);

          if (n > ANSWER_MAX_ITEMS)
            return _fr_record_invalid (error, field, "at most %d items", ANSWER_MAX_ITEMS);
          for (guint i = 0; i < n; i++)
            {
              JsonNode *item = json_array_get_element (items, i);

              if (!_fr_record_node_is_string (item)
                  || !is_clean_text (json_node_get_string (item), ANSWER_ITEM_MAX_BYTES, ""))
                {
                  g_autofree char *item_field = g_strdup_printf ("%s[%u]", field, i);

                  return _fr_record_invalid (error, item_field,
                                             "must be a string of at most %d bytes without control characters",
                                             ANSWER_ITEM_MAX_BYTES);
                }
            }
          continue;
        }
      return _fr_record_invalid (error, field, "must be a string, a boolean or an array of strings");
    }
  return TRUE;
}

/* @object must have exactly the members @names. */
static gboolean
check_exact_members (JsonObject        *object,
                     const char        *field,
                     const char *const *names,
                     guint              n_names,
                     const char        *list,
                     GError           **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < n_names && !known; i++)
        known = strcmp (l->data, names[i]) == 0;
      if (!known)
        return _fr_record_invalid (error, field, "only %s are allowed", list);
    }
  return TRUE;
}

static gboolean
validate_consent (JsonNode *node,
                  GError  **error)
{
  static const char *const names[] = { "share", "text_version" };
  JsonObject *consent;
  JsonNode *share;
  const char *text_version;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _fr_record_invalid (error, "consent", "must be an object");
  consent = json_node_get_object (node);
  if (!check_exact_members (consent, "consent", names, G_N_ELEMENTS (names),
                            "share and text_version", error))
    return FALSE;
  if (!get_member (consent, "share", "consent.share", FALSE, &share, error))
    return FALSE;
  if (!node_is_boolean (share) || !json_node_get_boolean (share))
    return _fr_record_invalid (error, "consent.share", "must be true");
  if (!get_string (consent, "text_version", "consent.text_version", &text_version, error))
    return FALSE;
  if (!_fr_record_is_plain_id (text_version, ID_MAX_LEN))
    return _fr_record_invalid (error, "consent.text_version", "must be 1..%d characters of A-Z, a-z, 0-9, '.', '_' and '-'",
                               ID_MAX_LEN);
  return TRUE;
}

static gboolean
validate_attachments (JsonNode *node,
                      FrRecord *record,
                      GError  **error)
{
  static const char *const names[] = { "kind", "mime", "size", "duration_ms" };
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return _fr_record_invalid (error, "attachments", "must be an array");
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > FR_RECORD_MAX_ATTACHMENTS)
    return _fr_record_invalid (error, "attachments", "at most %d attachments", FR_RECORD_MAX_ATTACHMENTS);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      FrAttachmentInfo *info = &record->attachments[i];
      g_autofree char *field = g_strdup_printf ("attachments[%u]", i);
      g_autofree char *kind_field = g_strconcat (field, ".kind", NULL);
      g_autofree char *mime_field = g_strconcat (field, ".mime", NULL);
      g_autofree char *size_field = g_strconcat (field, ".size", NULL);
      g_autofree char *duration_field = g_strconcat (field, ".duration_ms", NULL);
      JsonObject *object;
      JsonNode *member;
      const char *kind, *mime;
      gint64 v;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return _fr_record_invalid (error, field, "must be an object");
      object = json_node_get_object (element);
      if (!check_exact_members (object, field, names, G_N_ELEMENTS (names),
                                "kind, mime, size and duration_ms", error))
        return FALSE;

      if (!get_string (object, "kind", kind_field, &kind, error))
        return FALSE;
      if (strcmp (kind, "voice") != 0)
        return _fr_record_invalid (error, kind_field, "must be voice");

      if (!get_string (object, "mime", mime_field, &mime, error))
        return FALSE;
      if (!is_printable_ascii (mime, MIME_MAX_LEN))
        return _fr_record_invalid (error, mime_field, "must be 1..%d printable ASCII characters", MIME_MAX_LEN);

      if (!get_member (object, "size", size_field, FALSE, &member, error))
        return FALSE;
      v = node_is_integer (member) ? json_node_get_int (member) : 0;
      if (v < 1 || v > ATTACHMENT_MAX_SIZE)
        return _fr_record_invalid (error, size_field, "must be an integer 1..%d", ATTACHMENT_MAX_SIZE);
      info->size = (guint64) v;

      if (!get_member (object, "duration_ms", duration_field, FALSE, &member, error))
        return FALSE;
      v = node_is_integer (member) ? json_node_get_int (member) : -1;
      if (v < 0 || v > DURATION_MAX_MS)
        return _fr_record_invalid (error, duration_field, "must be an integer 0..%d", DURATION_MAX_MS);
      info->duration_ms = (guint64) v;

      g_strlcpy (info->kind, kind, sizeof info->kind);
      g_strlcpy (info->mime, mime, sizeof info->mime);
    }
  record->n_attachments = n;
  return TRUE;
}

/* Checks @root against Record JSON v1 and fills everything in @record but its JSON. */
gboolean
_fr_record_validate (JsonObject *root,
                     FrRecord   *record,
                     GError    **error)
{
  g_autoptr(GList) names = json_object_get_members (root);
  const char *schema, *id, *created, *site, *channel, *language, *receipt;
  JsonNode *node;

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (top_level_fields) && !known; i++)
        known = strcmp (name, top_level_fields[i]) == 0;
      if (!known && _fr_record_is_plain_id (name, ID_MAX_LEN))
        return _fr_record_invalid (error, name, "not allowed in a record");
      if (!known)
        return _fr_record_invalid (error, "?", "not allowed in a record");
    }

  if (!get_string (root, "schema", "schema", &schema, error))
    return FALSE;
  if (strcmp (schema, FR_RECORD_SCHEMA) != 0)
    return _fr_record_invalid (error, "schema", "must be %s", FR_RECORD_SCHEMA);

  if (!get_string (root, "id", "id", &id, error))
    return FALSE;
  if (!fr_uuid_parse (id, record->id))
    return _fr_record_invalid (error, "id", "must be a lowercase UUID (8-4-4-4-12 hex digits)");
  if (id[14] != '4')
    return _fr_record_invalid (error, "id", "must be a version 4 UUID");
  if (_fr_record_hex_value (id[19]) < 8 || _fr_record_hex_value (id[19]) > 11)
    return _fr_record_invalid (error, "id", "must have the RFC 4122 variant");
  fr_uuid_format (record->id, record->id_string);

  if (!get_string (root, "created", "created", &created, error))
    return FALSE;
  if (!fr_timestamp_parse (created, &record->created))
    return _fr_record_invalid (error, "created", "must be a real UTC time written YYYY-MM-DDTHH:MM:SSZ");
  if (record->created < CREATED_MIN_UNIX || record->created > CREATED_MAX_UNIX)
    return _fr_record_invalid (error, "created", "must be in the years 2000..9999");

  if (!get_string (root, "site", "site", &site, error))
    return FALSE;
  if (!_fr_record_is_plain_id (site, ID_MAX_LEN))
    return _fr_record_invalid (error, "site", "must be 1..%d characters of A-Z, a-z, 0-9, '.', '_' and '-'",
                               ID_MAX_LEN);
  g_strlcpy (record->site, site, sizeof record->site);

  if (!get_string (root, "channel", "channel", &channel, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    if (strcmp (channel, channels[i]) == 0)
      record->channel = channels[i];
  if (record->channel == NULL)
    return _fr_record_invalid (error, "channel", "must be one of kiosk, assisted, hotline");

  if (!get_member (root, "volunteer", "volunteer", TRUE, &node, error))
    return FALSE;
  if (node == NULL && strcmp (record->channel, "kiosk") != 0)
    return _fr_record_invalid (error, "volunteer", "required for channel %s", record->channel);
  if (node != NULL && strcmp (record->channel, "kiosk") == 0)
    return _fr_record_invalid (error, "volunteer", "not allowed for channel kiosk");
  if (node != NULL)
    {
      const char *volunteer;

      if (!_fr_record_node_is_string (node))
        return _fr_record_invalid (error, "volunteer", "must be a string");
      volunteer = json_node_get_string (node);
      if (volunteer[0] == '\0' || g_utf8_strlen (volunteer, -1) > ID_MAX_LEN
          || !is_clean_text (volunteer, G_MAXSIZE, ""))
        return _fr_record_invalid (error, "volunteer", "must be 1..%d characters without control characters",
                                   ID_MAX_LEN);
    }

  if (!get_string (root, "language", "language", &language, error))
    return FALSE;
  if (!is_language_tag (language))
    return _fr_record_invalid (error, "language", "must be a language tag such as th, pt-BR or zh-Hans");
  g_strlcpy (record->language, language, sizeof record->language);

  if (!get_string (root, "receipt", "receipt", &receipt, error))
    return FALSE;
  fr_receipt_format (record->id, record->receipt);
  if (strcmp (receipt, record->receipt) != 0)
    return _fr_record_invalid (error, "receipt", "does not match the id");

  if (!get_member (root, "answers", "answers", FALSE, &node, error)
      || !validate_answers (node, error))
    return FALSE;

  if (!get_member (root, "consent", "consent", FALSE, &node, error)
      || !validate_consent (node, error))
    return FALSE;

  if (!get_member (root, "attachments", "attachments", TRUE, &node, error))
    return FALSE;
  if (node != NULL && !validate_attachments (node, record, error))
    return FALSE;

  return TRUE;
}
