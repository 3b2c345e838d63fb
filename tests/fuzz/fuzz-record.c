/* fuzz-record.c — Record JSON v1 parser, completion, uuid and timestamp parsers
 *
 * Besides "no crash, no leak", checks the invariants callers rely on: a parsed record's
 * JSON parses again to the same fields, a completed record is always valid, and ids and
 * times that parse format back to the same text.
 */
#define G_LOG_DOMAIN "fristad-fuzz"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "fr-error.h"
#include "fr-record.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_reparse (const FrRecord *record)
{
  const FrSecret *json = fr_record_get_json (record);
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRecord) again = fr_record_parse ((const char *) json->data, json->len, &error);
  char receipt[FR_RECEIPT_STRING_LEN + 1];

  g_assert_no_error (error);
  g_assert_cmpmem (fr_record_get_id (again), FR_RECORD_ID_SIZE, fr_record_get_id (record), FR_RECORD_ID_SIZE);
  g_assert_cmpint (fr_record_get_created (again), ==, fr_record_get_created (record));
  g_assert_cmpstr (fr_record_get_site (again), ==, fr_record_get_site (record));
  g_assert_cmpstr (fr_record_get_channel (again), ==, fr_record_get_channel (record));
  g_assert_cmpstr (fr_record_get_language (again), ==, fr_record_get_language (record));
  g_assert_cmpuint (fr_record_get_n_attachments (again), ==, fr_record_get_n_attachments (record));
  g_assert_cmpuint (fr_record_get_n_attachments (record), <=, FR_RECORD_MAX_ATTACHMENTS);
  fr_receipt_format (fr_record_get_id (record), receipt);
  g_assert_cmpstr (fr_record_get_receipt (record), ==, receipt);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const FrAttachmentInfo voice = { "voice", "audio/ogg; codecs=opus", 1000, 500 };
  g_autoptr(FrRecord) record = NULL;
  g_autoptr(FrRecord) completed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) complete_error = NULL;
  g_autofree char *text = NULL;
  guint8 id[FR_RECORD_ID_SIZE];
  gint64 t = 0;

  record = fr_record_parse ((const char *) data, size, &error);
  g_assert_true ((record == NULL) == (error != NULL));
  if (record != NULL)
    check_reparse (record);

  completed = fr_record_complete ((const char *) data, size, "fuzz-site", G_GINT64_CONSTANT (1795897376),
                                  &voice, 1, &complete_error);
  g_assert_true ((completed == NULL) == (complete_error != NULL));
  if (completed != NULL)
    {
      g_assert_cmpstr (fr_record_get_site (completed), ==, "fuzz-site");
      check_reparse (completed);
    }

  text = g_malloc (size + 1);
  if (size > 0)
    memcpy (text, data, size);
  text[size] = '\0';

  if (fr_uuid_parse (text, id))
    {
      char out[FR_UUID_STRING_LEN + 1];

      fr_uuid_format (id, out);
      g_assert_cmpstr (out, ==, text);
    }
  if (fr_timestamp_parse (text, &t))
    {
      char out[FR_TIMESTAMP_STRING_LEN + 1];

      fr_timestamp_format (t, out);
      g_assert_cmpstr (out, ==, text);
    }
  return 0;
}
