/* fr-record.c — Record JSON v1: strict parsing, validation and completion
 *
 * A record is read in three steps: byte-level checks (size, NUL, UTF-8), a strict
 * RFC 8259 scan of our own (json-glib is lenient: it accepts comments, single quotes,
 * hex numbers, "var x =", lone surrogates, silently wraps huge integers and keeps the
 * last of duplicate keys), then json-glib builds the tree and validate_record() checks
 * every field. The choices are written down in intake/RECORD.md.
 *
 * The files: fr-record.c (records: parsing, the accessors), fr-record-ids.c (uuids,
 * receipt codes, times), fr-record-scan.c (the strict scan), fr-record-validate.c (every
 * field), fr-record-build.c (a kiosk completing a record), sharing fr-record-private.h.
 *
 * Error messages name a field or a byte offset, never a value.
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sodium.h>

#include "fr-error.h"
#include "fr-record-private.h"

static FrRecord *
record_alloc (void)
{
  FrRecord *record;

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
  /* The extracted fields (language, site, ...) are record content too. */
  record = sodium_malloc (sizeof *record);
  if (record == NULL)
    g_error ("out of guarded memory (%" G_GSIZE_FORMAT " bytes)", sizeof *record);
  sodium_memzero (record, sizeof *record);
  return record;
}

/* Takes @json. The one path every record comes through. */
FrRecord *
_fr_record_new_take_json (FrSecret *json,
                          GError  **error)
{
  g_autoptr(FrSecret) owned = json;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(FrRecord) record = NULL;

  parser = _fr_record_parse_text ((const char *) owned->data, owned->len, error);
  if (parser == NULL)
    return NULL;

  record = record_alloc ();
  if (!_fr_record_validate (json_node_get_object (json_parser_get_root (parser)), record, error))
    return NULL;
  record->json = g_steal_pointer (&owned);
  return g_steal_pointer (&record);
}

/**
 * fr_record_parse:
 * @json: record JSON (not NUL-terminated)
 * @len: its length in bytes
 * @error: return location for a #GError
 *
 * Parses and validates a Record JSON v1. The record keeps a copy of exactly these
 * bytes (see fr_record_get_json()).
 *
 * Returns: (transfer full): the record, or %NULL with %FR_ERROR_TOO_LARGE,
 *   %FR_ERROR_RECORD_SYNTAX or %FR_ERROR_RECORD_INVALID.
 */
FrRecord *
fr_record_parse (const char *json,
                 gsize       len,
                 GError    **error)
{
  g_return_val_if_fail (json != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Checked here too so an oversized input is never copied. */
  if (len > FR_RECORD_MAX_JSON)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TOO_LARGE,
                   "record JSON is larger than %u bytes", FR_RECORD_MAX_JSON);
      return NULL;
    }
  return _fr_record_new_take_json (fr_secret_new_from (json, len), error);
}

/**
 * fr_record_parse_secret:
 * @json: (transfer full): record JSON in guarded memory
 * @error: return location for a #GError
 *
 * Like fr_record_parse(), but takes @json instead of copying it: the opened envelope's
 * JSON never exists twice.
 *
 * Returns: (transfer full): the record, or %NULL (then @json has been freed).
 */
FrRecord *
fr_record_parse_secret (FrSecret  *json,
                        GError   **error)
{
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The size and every other text check happen in check_text() (fr-record-scan.c),
   * before json-glib. */
  return _fr_record_new_take_json (json, error);
}

/**
 * fr_record_free:
 * @record: (nullable): a record
 *
 * Wipes and frees the record and its JSON.
 */
void
fr_record_free (FrRecord *record)
{
  if (record == NULL)
    return;
  fr_secret_free (record->json);
  sodium_free (record);
}

const FrSecret *
fr_record_get_json (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->json;
}

const guint8 *
fr_record_get_id (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->id;
}

const char *
fr_record_get_id_string (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->id_string;
}

gint64
fr_record_get_created (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);
  return record->created;
}

const char *
fr_record_get_site (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->site;
}

const char *
fr_record_get_channel (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->channel;
}

const char *
fr_record_get_language (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->language;
}

const char *
fr_record_get_receipt (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->receipt;
}

guint
fr_record_get_n_attachments (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);
  return record->n_attachments;
}

const FrAttachmentInfo *
fr_record_get_attachment (const FrRecord *record,
                          guint           index)
{
  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (index < record->n_attachments, NULL);
  return &record->attachments[index];
}
