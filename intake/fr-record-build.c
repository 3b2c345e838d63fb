/* fr-record-build.c — a kiosk completing a record
 *
 * fr_record_complete() adds what only the kiosk knows (id, time, receipt, site, the
 * attachment list) to the form's partial record, writes compact JSON and reads it back
 * through the same checks as any received record.
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sodium.h>

#include "fr-error.h"
#include "fr-record-private.h"

/* Fields the kiosk fills in fr_record_complete(); a partial record must not have them. */
static const char *const kiosk_fields[] = { "id", "created", "receipt", "site", "attachments" };

static void
object_move_member (JsonObject *from,
                    JsonObject *to,
                    const char *name)
{
  JsonNode *node = json_object_get_member (from, name);
  g_autofree char *key = NULL;

  if (node == NULL)
    return;
  /* @name may be @from's own copy, which removing the member frees. */
  key = g_strdup (name);
  json_node_ref (node);
  json_object_remove_member (from, key);
  json_node_set_parent (node, NULL);
  json_object_set_member (to, key, node);
}

/**
 * fr_record_complete:
 * @partial_json: a record without id, created, receipt, site and attachments
 * @len: its length in bytes
 * @site_id: the kiosk's site id
 * @now_unix: the creation time
 * @attachments: (array length=n_attachments) (nullable): what the body will carry
 * @n_attachments: how many
 * @error: return location for a #GError
 *
 * Fills in schema (if absent), a new version 4 id, created, receipt, site and the
 * attachment list, writes the record as compact JSON and validates it exactly as
 * fr_record_parse() would.
 *
 * Returns: (transfer full): the complete record, or %NULL.
 */
FrRecord *
fr_record_complete (const char             *partial_json,
                    gsize                   len,
                    const char             *site_id,
                    gint64                  now_unix,
                    const FrAttachmentInfo *attachments,
                    guint                   n_attachments,
                    GError                **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(JsonNode) out_node = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GList) rest = NULL;
  JsonObject *partial;
  JsonNode *schema;
  guint8 id[FR_RECORD_ID_SIZE];
  char id_string[FR_UUID_STRING_LEN + 1];
  char created[FR_TIMESTAMP_STRING_LEN + 1];
  char receipt[FR_RECEIPT_STRING_LEN + 1];
  char *text;
  gsize text_len = 0;
  FrSecret *json;

  g_return_val_if_fail (partial_json != NULL || len == 0, NULL);
  g_return_val_if_fail (site_id != NULL, NULL);
  g_return_val_if_fail (attachments != NULL || n_attachments == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser = _fr_record_parse_text (partial_json, len, error);
  if (parser == NULL)
    return NULL;
  partial = json_node_get_object (json_parser_get_root (parser));

  for (guint i = 0; i < G_N_ELEMENTS (kiosk_fields); i++)
    if (json_object_has_member (partial, kiosk_fields[i]))
      {
        _fr_record_invalid (error, kiosk_fields[i], "filled in by the kiosk, not allowed in a partial record");
        return NULL;
      }
  schema = json_object_get_member (partial, "schema");
  if (schema != NULL
      && (!_fr_record_node_is_string (schema) || strcmp (json_node_get_string (schema), FR_RECORD_SCHEMA) != 0))
    {
      _fr_record_invalid (error, "schema", "must be %s", FR_RECORD_SCHEMA);
      return NULL;
    }
  if (n_attachments > FR_RECORD_MAX_ATTACHMENTS)
    {
      _fr_record_invalid (error, "attachments", "at most %d attachments", FR_RECORD_MAX_ATTACHMENTS);
      return NULL;
    }
  if (now_unix < CREATED_MIN_UNIX || now_unix > CREATED_MAX_UNIX)
    {
      _fr_record_invalid (error, "created", "the clock is not in the years 2000..9999");
      return NULL;
    }

  fr_uuid_generate (id);
  fr_uuid_format (id, id_string);
  fr_receipt_format (id, receipt);
  fr_timestamp_format (now_unix, created);

  /* The members in the order DESIGN.md lists them; partial's own nodes are moved, not
   * copied. Unknown members go last so validation names them. */
  out = json_object_new ();
  json_object_set_string_member (out, "schema", FR_RECORD_SCHEMA);
  json_object_remove_member (partial, "schema");
  json_object_set_string_member (out, "id", id_string);
  json_object_set_string_member (out, "created", created);
  json_object_set_string_member (out, "site", site_id);
  object_move_member (partial, out, "channel");
  object_move_member (partial, out, "volunteer");
  object_move_member (partial, out, "language");
  json_object_set_string_member (out, "receipt", receipt);
  object_move_member (partial, out, "answers");
  object_move_member (partial, out, "consent");
  if (n_attachments > 0)
    {
      JsonArray *array = json_array_sized_new (n_attachments);

      for (guint i = 0; i < n_attachments; i++)
        {
          const FrAttachmentInfo *info = &attachments[i];
          JsonObject *object;

          if (memchr (info->kind, '\0', sizeof info->kind) == NULL
              || memchr (info->mime, '\0', sizeof info->mime) == NULL)
            {
              g_autofree char *field = g_strdup_printf ("attachments[%u]", i);

              json_array_unref (array);
              {
                _fr_record_invalid (error, field, "kind and mime must be NUL-terminated");
                return NULL;
              }
            }
          object = json_object_new ();
          json_object_set_string_member (object, "kind", info->kind);
          json_object_set_string_member (object, "mime", info->mime);
          json_object_set_int_member (object, "size", (gint64) MIN (info->size, (guint64) G_MAXINT64));
          json_object_set_int_member (object, "duration_ms",
                                      (gint64) MIN (info->duration_ms, (guint64) G_MAXINT64));
          json_array_add_object_element (array, object);
        }
      json_object_set_array_member (out, "attachments", array);
    }
  rest = json_object_get_members (partial);
  for (GList *l = rest; l != NULL; l = l->next)
    object_move_member (partial, out, l->data);

  out_node = json_node_init_object (json_node_alloc (), out);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, FALSE);
  json_generator_set_root (generator, out_node);
  text = json_generator_to_data (generator, &text_len);
  json = fr_secret_new_from (text, text_len);
  sodium_memzero (text, text_len);
  g_free (text);
  sodium_memzero (id, sizeof id);

  return _fr_record_new_take_json (json, error);
}
