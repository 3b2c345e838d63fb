/* test-record.c — Record JSON v1: parsing, validation, completion, ids and times */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "fr-error.h"
#include "fr-record.h"

#define VECTOR_ID      "3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7f"
#define VECTOR_CREATED G_GINT64_CONSTANT (1795897376)   /* 2026-11-28T20:22:56Z */

/* A valid record with every field, in the DESIGN.md order. */
static const char base_record[] =
  "{\"schema\":\"fristad.intake.v1\","
  "\"id\":\"" VECTOR_ID "\","
  "\"created\":\"2026-11-28T20:22:56Z\","
  "\"site\":\"vector-site\","
  "\"channel\":\"kiosk\","
  "\"language\":\"th\","
  "\"receipt\":\"7XP2-N7MB\","
  "\"answers\":{\"needs\":[\"shelter\",\"health\"],\"safe_now\":\"no\",\"callback\":true},"
  "\"consent\":{\"share\":true,\"text_version\":\"consent-2026-11\"},"
  "\"attachments\":[{\"kind\":\"voice\",\"mime\":\"audio/ogg; codecs=opus\",\"size\":70000,\"duration_ms\":12000}]}";

/* A partial record as the kiosk UI hands it to fr_record_complete(). */
static const char base_partial[] =
  "{\"channel\":\"kiosk\",\"language\":\"pt-BR\","
  "\"answers\":{\"needs\":[\"shelter\"],\"message\":\"Preciso de ajuda\\nagora\",\"callback\":false},"
  "\"consent\":{\"share\":true,\"text_version\":\"consent-2026-11\"}}";

/* ------------------------------------------------------------------------------------ */
/* Helpers                                                                              */

static FrRecord *
parse_str (const char *json,
           GError    **error)
{
  return fr_record_parse (json, strlen (json), error);
}

static void
assert_valid (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRecord) record = parse_str (json, &error);

  if (record == NULL)
    g_test_message ("unexpected error: %s", error->message);
  g_assert_no_error (error);
  g_assert_nonnull (record);
}

static void
assert_error_names (const GError *error,
                    const char   *field)
{
  g_autofree char *named = g_strdup_printf ("field \"%s\"", field);

  if (strstr (error->message, named) == NULL)
    g_test_message ("expected %s in message: %s", named, error->message);
  g_assert_nonnull (strstr (error->message, named));
  g_assert_null (strchr (error->message, '\n'));
}

static void
assert_invalid (const char *json,
                const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRecord) record = parse_str (json, &error);

  g_assert_null (record);
  g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
  assert_error_names (error, field);
}

static void
assert_parse_error (const char *json,
                    gsize       len,
                    int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRecord) record = fr_record_parse (json, len, &error);

  g_assert_null (record);
  g_assert_error (error, FR_ERROR, code);
}

/* base_record with the member at @path ("consent.share", "attachments.0.size") set to
 * the JSON @value, or removed when @value is NULL. */
static char *
record_with (const char *base,
             const char *path,
             const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = json_from_string (base, &error);
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  guint n = g_strv_length (parts);
  JsonNode *node = root;
  JsonObject *object;

  g_assert_no_error (error);
  for (guint i = 0; i + 1 < n; i++)
    {
      if (JSON_NODE_HOLDS_ARRAY (node))
        node = json_array_get_element (json_node_get_array (node), (guint) g_ascii_strtoull (parts[i], NULL, 10));
      else
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      g_assert_nonnull (node);
    }
  object = json_node_get_object (node);
  if (value == NULL)
    json_object_remove_member (object, parts[n - 1]);
  else
    {
      JsonNode *v = json_from_string (value, &error);

      g_assert_no_error (error);
      json_object_set_member (object, parts[n - 1], v);
    }
  return json_to_string (root, FALSE);
}

/* @base with the first @needle replaced by @replacement, byte for byte. */
static char *
text_replace (const char *base,
              const char *needle,
              const char *replacement)
{
  const char *at = strstr (base, needle);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - base), base, replacement, at + strlen (needle));
}

static void
assert_invalid_with (const char *path,
                     const char *value,
                     const char *field)
{
  g_autofree char *json = record_with (base_record, path, value);

  g_test_message ("%s = %s", path, value != NULL ? value : "(removed)");
  assert_invalid (json, field);
}

static void
assert_valid_with (const char *path,
                   const char *value)
{
  g_autofree char *json = record_with (base_record, path, value);

  g_test_message ("%s = %s", path, value != NULL ? value : "(removed)");
  assert_valid (json);
}

static char *
repeat (const char *unit,
        guint       n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (out, unit);
  return g_string_free (out, FALSE);
}

/* A JSON string: @prefix then @unit @n times. */
static char *
quoted_repeat (const char *prefix,
               const char *unit,
               guint       n)
{
  g_autofree char *body = repeat (unit, n);

  return g_strdup_printf ("\"%s%s\"", prefix, body);
}

/* ------------------------------------------------------------------------------------ */
/* The shared vector                                                                    */

static void
test_vector (void)
{
  g_autofree char *path = g_build_filename (TEST_VECTORS_DIR, "record-expected.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRecord) record = NULL;
  const FrAttachmentInfo *info;
  const FrSecret *json;
  gsize len = 0;
  guint8 expected_id[FR_RECORD_ID_SIZE] = {
    0x3f, 0x6c, 0x2a, 0x9e, 0x8b, 0x1d, 0x4c, 0x7a, 0x9e, 0x2f, 0x5a, 0x1b, 0x0c, 0x9d, 0x8e, 0x7f,
  };

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);

  record = fr_record_parse (contents, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);

  g_assert_cmpmem (fr_record_get_id (record), FR_RECORD_ID_SIZE, expected_id, sizeof expected_id);
  g_assert_cmpstr (fr_record_get_id_string (record), ==, VECTOR_ID);
  g_assert_cmpint (fr_record_get_created (record), ==, VECTOR_CREATED);
  g_assert_cmpstr (fr_record_get_site (record), ==, "vector-site");
  g_assert_cmpstr (fr_record_get_channel (record), ==, "kiosk");
  g_assert_cmpstr (fr_record_get_language (record), ==, "th");
  g_assert_cmpstr (fr_record_get_receipt (record), ==, "7XP2-N7MB");
  g_assert_cmpuint (fr_record_get_n_attachments (record), ==, 1);
  info = fr_record_get_attachment (record, 0);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->kind, ==, "voice");
  g_assert_cmpstr (info->mime, ==, "audio/ogg; codecs=opus");
  g_assert_cmpuint (info->size, ==, 70000);
  g_assert_cmpuint (info->duration_ms, ==, 12000);

  /* get_json is exactly the bytes given, NUL-terminated for text use. */
  json = fr_record_get_json (record);
  g_assert_cmpmem (json->data, json->len, contents, len);
  g_assert_cmpint (json->data[json->len], ==, 0);
}

static void
test_base_record (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRecord) record = parse_str (base_record, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (fr_record_get_n_attachments (record), ==, 1);

  /* Key order, whitespace and optional members do not matter. */
  assert_valid ("\n { \"receipt\" : \"7XP2-N7MB\" ,\t\"language\":\"th\",\"channel\":\"hotline\","
                "\"volunteer\":\"vol-7\",\"site\":\"s\",\"created\":\"2000-01-01T00:00:00Z\","
                "\"id\":\"" VECTOR_ID "\",\"schema\":\"fristad.intake.v1\",\"answers\":{},"
                "\"consent\":{\"text_version\":\"v1\",\"share\":true},\"attachments\":[]}\r\n");
  assert_valid_with ("attachments", NULL);
}

/* ------------------------------------------------------------------------------------ */
/* Receipts                                                                             */

static void
check_receipt (const guint8 *first5,
               guint8        rest,
               const char   *expected)
{
  guint8 id[FR_RECORD_ID_SIZE];
  char out[FR_RECEIPT_STRING_LEN + 1];

  memset (id, rest, sizeof id);
  memcpy (id, first5, 5);
  memset (out, 'x', sizeof out);
  fr_receipt_format (id, out);
  g_assert_cmpstr (out, ==, expected);
}

static void
test_receipt (void)
{
  static const guint8 vector[5] = { 0x3f, 0x6c, 0x2a, 0x9e, 0x8b };
  static const guint8 zero[5] = { 0, 0, 0, 0, 0 };
  static const guint8 ones[5] = { 0xff, 0xff, 0xff, 0xff, 0xff };
  static const guint8 last_bit[5] = { 0, 0, 0, 0, 0x01 };
  static const guint8 first_bit[5] = { 0x80, 0, 0, 0, 0 };
  /* 00001 repeated eight times */
  static const guint8 all_one_digits[5] = { 0x08, 0x42, 0x10, 0x84, 0x21 };
  /* 00000 00100 10001 10100 01010 11001 11100 01001 = 0 4 H M A S W 9 */
  static const guint8 counting[5] = { 0x01, 0x23, 0x45, 0x67, 0x89 };

  check_receipt (vector, 0x00, "7XP2-N7MB");
  check_receipt (zero, 0x00, "0000-0000");
  check_receipt (zero, 0xff, "0000-0000");     /* only the first 5 bytes count */
  check_receipt (ones, 0xff, "ZZZZ-ZZZZ");
  check_receipt (ones, 0x00, "ZZZZ-ZZZZ");
  check_receipt (last_bit, 0x00, "0000-0001");
  check_receipt (first_bit, 0x00, "G000-0000");
  check_receipt (all_one_digits, 0x00, "1111-1111");
  check_receipt (counting, 0x00, "04HM-ASW9");
}

/* ------------------------------------------------------------------------------------ */
/* Field rules                                                                          */

static void
test_missing (void)
{
  static const char *const required[] = {
    "schema", "id", "created", "site", "channel", "language", "receipt", "answers", "consent",
    "consent.share", "consent.text_version",
    "attachments.0.kind", "attachments.0.mime", "attachments.0.size", "attachments.0.duration_ms",
  };
  static const char *const named[] = {
    "schema", "id", "created", "site", "channel", "language", "receipt", "answers", "consent",
    "consent.share", "consent.text_version",
    "attachments[0].kind", "attachments[0].mime", "attachments[0].size", "attachments[0].duration_ms",
  };

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    assert_invalid_with (required[i], NULL, named[i]);
}

static void
test_wrong_type (void)
{
  static const struct { const char *path, *value, *field; } cases[] = {
    { "schema", "1", "schema" },
    { "id", "[]", "id" },
    { "created", "1795897376", "created" },
    { "site", "null", "site" },
    { "channel", "true", "channel" },
    { "language", "{}", "language" },
    { "receipt", "7", "receipt" },
    { "answers", "\"yes\"", "answers" },
    { "answers", "[]", "answers" },
    { "consent", "true", "consent" },
    { "consent", "[]", "consent" },
    { "consent.share", "\"true\"", "consent.share" },
    { "consent.share", "1", "consent.share" },
    { "consent.text_version", "3", "consent.text_version" },
    { "attachments", "{}", "attachments" },
    { "attachments", "\"voice\"", "attachments" },
    { "attachments", "[\"voice\"]", "attachments[0]" },
    { "attachments", "[[]]", "attachments[0]" },
    { "attachments.0.kind", "1", "attachments[0].kind" },
    { "attachments.0.mime", "null", "attachments[0].mime" },
    { "attachments.0.size", "\"70000\"", "attachments[0].size" },
    { "attachments.0.duration_ms", "true", "attachments[0].duration_ms" },
    /* answers: only strings, booleans and arrays of strings */
    { "answers.age", "33", "answers.age" },
    { "answers.age", "3.5", "answers.age" },
    { "answers.age", "null", "answers.age" },
    { "answers.age", "{\"a\":\"b\"}", "answers.age" },
    { "answers.needs", "[[\"a\"]]", "answers.needs[0]" },
    { "answers.needs", "[\"a\",1]", "answers.needs[1]" },
    { "answers.needs", "[\"a\",true]", "answers.needs[1]" },
    { "answers.needs", "[null]", "answers.needs[0]" },
    { "answers.needs", "[{}]", "answers.needs[0]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid_with (cases[i].path, cases[i].value, cases[i].field);
}

static void
test_bad_values (void)
{
  static const struct { const char *path, *value, *field; } cases[] = {
    { "schema", "\"fristad.intake.v2\"", "schema" },
    { "schema", "\"\"", "schema" },
    /* id: lowercase 8-4-4-4-12, version 4, RFC 4122 variant */
    { "id", "\"3F6C2A9E-8B1D-4C7A-9E2F-5A1B0C9D8E7F\"", "id" },
    { "id", "\"3f6c2a9e8b1d4c7a9e2f5a1b0c9d8e7f\"", "id" },
    { "id", "\"3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7\"", "id" },
    { "id", "\"3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7f0\"", "id" },
    { "id", "\"3f6c2a9e-8b1d-1c7a-9e2f-5a1b0c9d8e7f\"", "id" },   /* version 1 */
    { "id", "\"3f6c2a9e-8b1d-4c7a-7e2f-5a1b0c9d8e7f\"", "id" },   /* NCS variant */
    { "id", "\"3f6c2a9e-8b1d-4c7a-ce2f-5a1b0c9d8e7f\"", "id" },   /* Microsoft variant */
    { "id", "\"{3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7f}\"", "id" },
    /* created: exact form, real time, 2000..9999 */
    { "created", "\"2026-11-28T20:22:56\"", "created" },
    { "created", "\"2026-11-28T20:22:56+00:00\"", "created" },
    { "created", "\"2026-11-28 20:22:56Z\"", "created" },
    { "created", "\"2026-11-28T20:22:56.000Z\"", "created" },
    { "created", "\"2026-11-28t20:22:56z\"", "created" },
    { "created", "\"2026-02-30T20:22:56Z\"", "created" },
    { "created", "\"2026-13-01T00:00:00Z\"", "created" },
    { "created", "\"2026-11-28T24:00:00Z\"", "created" },
    { "created", "\"2026-12-31T23:59:60Z\"", "created" },
    { "created", "\"1999-12-31T23:59:59Z\"", "created" },
    { "created", "\"0001-01-01T00:00:00Z\"", "created" },
    /* site */
    { "site", "\"\"", "site" },
    { "site", "\"vector site\"", "site" },
    { "site", "\"göteborg\"", "site" },
    { "site", "\"a/b\"", "site" },
    /* channel */
    { "channel", "\"web\"", "channel" },
    { "channel", "\"Kiosk\"", "channel" },
    { "channel", "\"\"", "channel" },
    /* language */
    { "language", "\"t\"", "language" },
    { "language", "\"thai\"", "language" },
    { "language", "\"TH\"", "language" },
    { "language", "\"pt_BR\"", "language" },
    { "language", "\"pt-B\"", "language" },
    { "language", "\"pt-\"", "language" },
    { "language", "\"zh-Hans-abcdefghi\"", "language" },
    { "language", "\"sv-aa-bb-cc-dd-ee-ff-gg-hh-ii-jj-kkk\"", "language" },  /* 36 chars */
    { "language", "\"\"", "language" },
    /* receipt must match the id */
    { "receipt", "\"7XP2-N7MC\"", "receipt" },
    { "receipt", "\"7xp2-n7mb\"", "receipt" },
    { "receipt", "\"7XP2N7MB\"", "receipt" },
    /* answers keys */
    { "answers.Needs", "\"x\"", "answers" },
    { "answers.needs now", "\"x\"", "answers" },
    { "answers.", "\"x\"", "answers" },
    /* answers texts */
    { "answers.message", "\"line\\r\\nbreak\"", "answers.message" },
    { "answers.message", "\"bell\\u0007\"", "answers.message" },
    { "answers.message", "\"del\\u007f\"", "answers.message" },
    { "answers.message", "\"c1\\u0085\"", "answers.message" },
    { "answers.needs", "[\"a\\nb\"]", "answers.needs[0]" },
    { "answers.needs", "[\"a\\tb\"]", "answers.needs[0]" },
    /* consent */
    { "consent.share", "false", "consent.share" },
    { "consent.text_version", "\"\"", "consent.text_version" },
    { "consent.text_version", "\"v 1\"", "consent.text_version" },
    /* attachments */
    { "attachments.0.kind", "\"photo\"", "attachments[0].kind" },
    { "attachments.0.kind", "\"\"", "attachments[0].kind" },
    { "attachments.0.mime", "\"\"", "attachments[0].mime" },
    { "attachments.0.mime", "\"audio/ögg\"", "attachments[0].mime" },
    { "attachments.0.mime", "\"audio/ogg\\n\"", "attachments[0].mime" },
    { "attachments.0.size", "0", "attachments[0].size" },
    { "attachments.0.size", "-1", "attachments[0].size" },
    { "attachments.0.size", "8388609", "attachments[0].size" },
    { "attachments.0.duration_ms", "-1", "attachments[0].duration_ms" },
    { "attachments.0.duration_ms", "86400001", "attachments[0].duration_ms" },
  };
  g_autofree char *mime127 = quoted_repeat ("audio/x-", "a", 127 - 8);
  g_autofree char *mime128 = quoted_repeat ("audio/x-", "a", 128 - 8);
  g_autofree char *site64 = quoted_repeat ("", "s", 64);
  g_autofree char *site65 = quoted_repeat ("", "s", 65);
  g_autofree char *key64 = repeat ("k", 64);
  g_autofree char *key65 = repeat ("k", 65);
  g_autofree char *key64_path = g_strconcat ("answers.", key64, NULL);
  g_autofree char *key65_path = g_strconcat ("answers.", key65, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid_with (cases[i].path, cases[i].value, cases[i].field);

  g_assert_cmpuint (strlen (mime127), ==, 127 + 2);
  assert_valid_with ("attachments.0.mime", mime127);
  assert_invalid_with ("attachments.0.mime", mime128, "attachments[0].mime");

  /* The edges that are allowed. */
  assert_valid_with ("created", "\"2000-01-01T00:00:00Z\"");
  assert_valid_with ("created", "\"9999-12-31T23:59:59Z\"");
  assert_valid_with ("created", "\"2028-02-29T12:00:00Z\"");
  assert_valid_with ("site", "\"A.b_c-9\"");
  assert_valid_with ("site", site64);
  assert_invalid_with ("site", site65, "site");
  assert_valid_with ("language", "\"zh-Hans\"");
  assert_valid_with ("language", "\"pt-BR\"");
  assert_valid_with ("language", "\"ckb\"");
  assert_valid_with ("language", "\"sr-Latn-RS\"");
  assert_valid_with ("language", "\"de-CH-1901\"");
  assert_valid_with ("language", "\"sv-aa-bb-cc-dd-ee-ff-gg-hh-ii-jj-k1\"");   /* 35 chars */
  assert_valid_with ("answers.a", "\"\"");
  assert_valid_with ("answers.a_b-9", "false");
  assert_valid_with (key64_path, "true");
  assert_invalid_with (key65_path, "true", "answers");
  assert_valid_with ("answers.message", "\"Hej!\\n\\tJag behöver hjälp. 我需要帮助 😀\"");
  assert_valid_with ("answers.needs", "[]");
  assert_valid_with ("consent.text_version", "\"A.b_c-9\"");
  assert_valid_with ("attachments.0.size", "1");
  assert_valid_with ("attachments.0.size", "8388608");
  assert_valid_with ("attachments.0.duration_ms", "0");
  assert_valid_with ("attachments.0.duration_ms", "86400000");
  assert_valid_with ("attachments.0.mime", "\"a\"");
}

static void
test_numbers (void)
{
  static const char *const size_texts[] = {
    "70000.0", "7e4", "7E4", "70000e0", "7.0e4", "99999999999999999999", "18446744073709621616",
    "-70000", "-0",
  };

  for (guint i = 0; i < G_N_ELEMENTS (size_texts); i++)
    {
      g_autofree char *replacement = g_strdup_printf ("\"size\":%s", size_texts[i]);
      g_autofree char *json = text_replace (base_record, "\"size\":70000", replacement);

      g_test_message ("size %s", size_texts[i]);
      assert_invalid (json, "attachments[0].size");
    }

  {
    g_autofree char *json = text_replace (base_record, "\"duration_ms\":12000", "\"duration_ms\":12000.5");

    assert_invalid (json, "attachments[0].duration_ms");
  }
  {
    g_autofree char *json = text_replace (base_record, "\"duration_ms\":12000", "\"duration_ms\":-0");

    assert_valid (json);   /* -0 is the integer 0 */
  }
}

static void
test_unknown_field (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRecord) record = NULL;
  g_autofree char *json = NULL;

  assert_invalid_with ("extra", "1", "extra");
  assert_invalid_with ("Schema", "\"fristad.intake.v1\"", "Schema");
  assert_invalid_with ("consent.extra", "true", "consent");
  assert_invalid_with ("attachments.0.sha256", "\"00\"", "attachments[0]");

  /* A key that is not an id is not repeated in the message. */
  json = record_with (base_record, "Mitt namn är Anna", "1");
  record = parse_str (json, &error);
  g_assert_null (record);
  g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
  g_assert_null (strstr (error->message, "Anna"));
}

static void
test_duplicate_key (void)
{
  static const struct { const char *needle, *replacement, *field; } cases[] = {
    { "\"site\":\"vector-site\",", "\"site\":\"vector-site\",\"site\":\"other\",", "site" },
    /* the same key written with an escape */
    { "\"site\":\"vector-site\",", "\"site\":\"vector-site\",\"\\u0073ite\":\"vector-site\",", "site" },
    { "\"channel\":\"kiosk\",", "\"channel\":\"kiosk\",\"channel\":\"kiosk\",", "channel" },
    { "\"safe_now\":\"no\"", "\"safe_now\":\"no\",\"safe_now\":\"yes\"", "answers.safe_now" },
    { "\"share\":true", "\"share\":false,\"share\":true", "consent.share" },
    { "\"size\":70000", "\"size\":70000,\"size\":70000", "attachments[0].size" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = text_replace (base_record, cases[i].needle, cases[i].replacement);

      g_test_message ("%s", json);
      assert_invalid (json, cases[i].field);
    }
}

static void
test_volunteer (void)
{
  g_autofree char *assisted = record_with (base_record, "channel", "\"assisted\"");
  g_autofree char *hotline = record_with (base_record, "channel", "\"hotline\"");
  g_autofree char *assisted_ok = record_with (assisted, "volunteer", "\"vol-7\"");
  g_autofree char *hotline_ok = record_with (hotline, "volunteer", "\"Åsa Nilsson\"");
  g_autofree char *long64 = quoted_repeat ("", "å", 64);
  g_autofree char *long65 = quoted_repeat ("", "å", 65);
  g_autofree char *with64 = record_with (hotline, "volunteer", long64);
  g_autofree char *with65 = record_with (hotline, "volunteer", long65);
  g_autofree char *empty = record_with (hotline, "volunteer", "\"\"");
  g_autofree char *control = record_with (hotline, "volunteer", "\"vol\\t7\"");
  g_autofree char *number = record_with (hotline, "volunteer", "7");

  g_assert_cmpint (g_utf8_strlen (long64, -1), ==, 64 + 2);
  g_assert_cmpint (strlen (long64), ==, 128 + 2);   /* 64 characters, 128 bytes */

  /* kiosk: forbidden */
  assert_invalid_with ("volunteer", "\"vol-7\"", "volunteer");
  /* assisted and hotline: required */
  assert_invalid (assisted, "volunteer");
  assert_invalid (hotline, "volunteer");
  assert_valid (assisted_ok);
  assert_valid (hotline_ok);
  /* 1..64 characters, no control characters */
  assert_valid (with64);
  assert_invalid (with65, "volunteer");
  assert_invalid (empty, "volunteer");
  assert_invalid (control, "volunteer");
  assert_invalid (number, "volunteer");

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrRecord) record = parse_str (hotline_ok, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (fr_record_get_channel (record), ==, "hotline");
  }
}

/* ------------------------------------------------------------------------------------ */
/* Syntax and size                                                                      */

static void
test_syntax (void)
{
  static const char *const not_json[] = {
    "", " ", "{", "}", "{\"schema\"", "{\"schema\":}", "{,}", "{\"a\":1,}", "{\"a\":[1,]}",
    "[]", "[{}]", "\"text\"", "42", "true", "null",
    "{\"a\":1}{}", "{\"a\":1} x",
    "{/* comment */}", "{\"a\":1 // comment\n}",
    "{'a':1}", "{a:1}", "{\"a\":'x'}",
    "{\"a\":0x10}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":1.}", "{\"a\":+1}", "{\"a\":- 1}",
    "{\"a\":1e}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":tru}", "{\"a\":True}",
    "var x = {};", "x = {}",
    "{\"a\":\"\\q\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"\\x41\"}",
    "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"\\ud83dx\"}", "{\"a\":\"\\ud83d\\u0041\"}",
    "{\"a\":\"raw\ttab\"}", "{\"a\":\"raw\nnewline\"}", "{\"a\":\"unterminated}",
    "\xef\xbb\xbf{}",          /* byte order mark */
    "\x0b{}",                  /* not JSON whitespace */
  };
  static const char not_utf8[] = "{\"a\":\"\xff\"}";
  static const char overlong[] = "{\"a\":\"\xc0\xaf\"}";
  static const char surrogate_utf8[] = "{\"a\":\"\xed\xa0\x80\"}";
  static const char with_nul[] = "{\"a\":\"b\0c\"}";
  static const char nul_after[] = "{}\0";

  for (guint i = 0; i < G_N_ELEMENTS (not_json); i++)
    {
      g_test_message ("syntax: %s", not_json[i]);
      assert_parse_error (not_json[i], strlen (not_json[i]), FR_ERROR_RECORD_SYNTAX);
    }

  assert_parse_error (not_utf8, sizeof not_utf8 - 1, FR_ERROR_RECORD_SYNTAX);
  assert_parse_error (overlong, sizeof overlong - 1, FR_ERROR_RECORD_SYNTAX);
  assert_parse_error (surrogate_utf8, sizeof surrogate_utf8 - 1, FR_ERROR_RECORD_SYNTAX);
  assert_parse_error (with_nul, sizeof with_nul - 1, FR_ERROR_RECORD_SYNTAX);
  assert_parse_error (nul_after, sizeof nul_after - 1, FR_ERROR_RECORD_SYNTAX);
  /* The length is what counts, not a NUL terminator. */
  assert_parse_error (base_record, strlen (base_record) - 1, FR_ERROR_RECORD_SYNTAX);

  /* Syntactically fine JSON that is not a record is invalid, not a syntax error. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrRecord) record = parse_str ("{}", &error);

    g_assert_null (record);
    g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
  }
  /* A string with \u0000 is never a valid record. */
  {
    g_autofree char *json = text_replace (base_record, "\"safe_now\":\"no\"", "\"safe_now\":\"no\\u0000yes\"");

    assert_invalid (json, "answers.safe_now");
  }
  /* A syntax error after an invalid value is still a syntax error. */
  assert_parse_error ("{\"a\":\"\\u0000\",}", strlen ("{\"a\":\"\\u0000\",}"), FR_ERROR_RECORD_SYNTAX);
}

static void
test_syntax_errors_do_not_echo (void)
{
  static const char *const inputs[] = {
    "{\"message\":\"Jag heter Anna\" \"x\"}",
    "{\"message\":\"Jag heter Anna\\q\"}",
    "{\"message\":Anna}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FrRecord) record = parse_str (inputs[i], &error);

      g_assert_null (record);
      g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_SYNTAX);
      g_assert_null (strstr (error->message, "Anna"));
    }
  /* Nor do validation errors. */
  {
    g_autofree char *json = record_with (base_record, "answers.message", "\"Jag heter Anna\\r\"");
    g_autoptr(GError) error = NULL;
    g_autoptr(FrRecord) record = parse_str (json, &error);

    g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
    g_assert_null (strstr (error->message, "Anna"));
  }
}

static void
test_too_large (void)
{
  g_autoptr(GString) json = g_string_new (base_record);
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRecord) record = NULL;

  /* Exactly the limit, padded with whitespace: fine. */
  g_string_truncate (json, json->len - 1);
  while (json->len < FR_RECORD_MAX_JSON - 1)
    g_string_append_c (json, ' ');
  g_string_append_c (json, '}');
  g_assert_cmpuint (json->len, ==, FR_RECORD_MAX_JSON);
  record = fr_record_parse (json->str, json->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_clear_pointer (&record, fr_record_free);

  /* One byte more: too large, before any parsing (this is not even valid JSON). */
  g_string_append_c (json, '}');
  record = fr_record_parse (json->str, json->len, &error);
  g_assert_null (record);
  g_assert_error (error, FR_ERROR, FR_ERROR_TOO_LARGE);
}

static void
test_limits (void)
{
  g_autoptr(GString) answers = g_string_new ("{");
  g_autoptr(GString) items = g_string_new ("[");
  g_autoptr(GString) attachments = g_string_new ("[");
  g_autofree char *text = NULL;
  g_autofree char *value = NULL;

  /* 200 answers, then 201 */
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (answers, "%s\"q%u\":true", i > 0 ? "," : "", i);
  g_string_append_c (answers, '}');
  assert_valid_with ("answers", answers->str);
  g_string_truncate (answers, answers->len - 1);
  g_string_append (answers, ",\"q200\":true}");
  assert_invalid_with ("answers", answers->str, "answers");

  /* 64 items, then 65 */
  for (guint i = 0; i < 64; i++)
    g_string_append_printf (items, "%s\"item-%u\"", i > 0 ? "," : "", i);
  g_string_append_c (items, ']');
  assert_valid_with ("answers.needs", items->str);
  g_string_truncate (items, items->len - 1);
  g_string_append (items, ",\"one-more\"]");
  assert_invalid_with ("answers.needs", items->str, "answers.needs");

  /* an item of 256 bytes, then 257 */
  text = g_strnfill (254, 'x');
  value = g_strdup_printf ("[\"%sö\"]", text);   /* ö is 2 bytes */
  assert_valid_with ("answers.needs", value);
  g_free (value);
  value = g_strdup_printf ("[\"%sö!\"]", text);
  assert_invalid_with ("answers.needs", value, "answers.needs[0]");
  g_free (value);
  g_free (text);

  /* a text of 64 KiB, then one byte more */
  text = g_strnfill (64 * 1024, 'y');
  value = g_strdup_printf ("\"%s\"", text);
  assert_valid_with ("answers.message", value);
  g_free (value);
  value = g_strdup_printf ("\"%s!\"", text);
  assert_invalid_with ("answers.message", value, "answers.message");

  /* 4 attachments, then 5 */
  for (guint i = 0; i < FR_RECORD_MAX_ATTACHMENTS; i++)
    g_string_append_printf (attachments, "%s{\"kind\":\"voice\",\"mime\":\"audio/ogg\",\"size\":%u,\"duration_ms\":%u}",
                            i > 0 ? "," : "", 1000 + i, 100 * i);
  g_string_append_c (attachments, ']');
  {
    g_autofree char *json = record_with (base_record, "attachments", attachments->str);
    g_autoptr(GError) error = NULL;
    g_autoptr(FrRecord) record = parse_str (json, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (fr_record_get_n_attachments (record), ==, FR_RECORD_MAX_ATTACHMENTS);
    for (guint i = 0; i < FR_RECORD_MAX_ATTACHMENTS; i++)
      {
        const FrAttachmentInfo *info = fr_record_get_attachment (record, i);

        g_assert_cmpuint (info->size, ==, 1000 + i);
        g_assert_cmpuint (info->duration_ms, ==, 100 * i);
        g_assert_cmpstr (info->mime, ==, "audio/ogg");
      }
  }
  g_string_truncate (attachments, attachments->len - 1);
  g_string_append (attachments, ",{\"kind\":\"voice\",\"mime\":\"audio/ogg\",\"size\":1,\"duration_ms\":1}]");
  assert_invalid_with ("attachments", attachments->str, "attachments");
}

static void
test_nesting (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRecord) record = NULL;

  static const char *const too_deep[] = {
    "[[[[[[[[[\"x\"]]]]]]]]]",
    "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{}}}}}}}",
  };

  /* Nesting a little too deep names where. */
  for (guint i = 0; i < G_N_ELEMENTS (too_deep); i++)
    {
      g_autofree char *text = record_with (base_record, "answers.deep", too_deep[i]);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(FrRecord) local_record = parse_str (text, &local_error);

      g_assert_null (local_record);
      g_assert_error (local_error, FR_ERROR, FR_ERROR_RECORD_INVALID);
      g_assert_nonnull (strstr (local_error->message, "field \"answers.deep"));
      g_assert_nonnull (strstr (local_error->message, "nested more than 8 levels"));
    }
  /* Nesting that a record could hold is fine as far as the scanner goes. */
  assert_invalid_with ("answers.deep", "[[[[[[\"x\"]]]]]]", "answers.deep[0]");

  /* Nesting 100000 levels deep fails cleanly (json-glib is never asked to recurse). */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  json = text_replace (base_record, "[\"shelter\",\"health\"]", deep->str);
  record = parse_str (json, &error);
  g_assert_null (record);
  g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
  g_assert_nonnull (strstr (error->message, "nested more than 8 levels"));
}

/* ------------------------------------------------------------------------------------ */
/* Completion                                                                           */

static FrRecord *
complete_str (const char             *partial,
              const char             *site,
              gint64                  now,
              const FrAttachmentInfo *attachments,
              guint                   n_attachments,
              GError                **error)
{
  return fr_record_complete (partial, strlen (partial), site, now, attachments, n_attachments, error);
}

static gboolean
is_v4_uuid (const char *s)
{
  guint8 id[FR_RECORD_ID_SIZE];

  return fr_uuid_parse (s, id) && s[14] == '4' && strchr ("89ab", s[19]) != NULL
         && (id[6] >> 4) == 4 && (id[8] >> 6) == 2;
}

static void
test_complete (void)
{
  FrAttachmentInfo voice = { "voice", "audio/ogg; codecs=opus", 70000, 12000 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRecord) record = NULL;
  g_autoptr(FrRecord) again = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *answers;
  const FrSecret *json;
  char receipt[FR_RECEIPT_STRING_LEN + 1];

  record = complete_str (base_partial, "malmo-central", VECTOR_CREATED, &voice, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);

  g_assert_true (is_v4_uuid (fr_record_get_id_string (record)));
  fr_receipt_format (fr_record_get_id (record), receipt);
  g_assert_cmpstr (fr_record_get_receipt (record), ==, receipt);
  g_assert_cmpint (fr_record_get_created (record), ==, VECTOR_CREATED);
  g_assert_cmpstr (fr_record_get_site (record), ==, "malmo-central");
  g_assert_cmpstr (fr_record_get_channel (record), ==, "kiosk");
  g_assert_cmpstr (fr_record_get_language (record), ==, "pt-BR");
  g_assert_cmpuint (fr_record_get_n_attachments (record), ==, 1);
  g_assert_cmpuint (fr_record_get_attachment (record, 0)->size, ==, 70000);
  g_assert_cmpuint (fr_record_get_attachment (record, 0)->duration_ms, ==, 12000);

  /* The JSON says the same, carries the answers unchanged, and is compact. */
  json = fr_record_get_json (record);
  g_assert_null (memchr (json->data, '\n', json->len));
  root = json_from_string ((const char *) json->data, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "schema"), ==, FR_RECORD_SCHEMA);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, fr_record_get_id_string (record));
  g_assert_cmpstr (json_object_get_string_member (object, "created"), ==, "2026-11-28T20:22:56Z");
  g_assert_cmpstr (json_object_get_string_member (object, "receipt"), ==, receipt);
  g_assert_false (json_object_has_member (object, "volunteer"));
  answers = json_object_get_object_member (object, "answers");
  g_assert_cmpstr (json_object_get_string_member (answers, "message"), ==, "Preciso de ajuda\nagora");
  g_assert_false (json_object_get_boolean_member (answers, "callback"));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (answers, "needs"), 0), ==,
                   "shelter");

  /* Round trip: parsing get_json gives the same fields. */
  again = fr_record_parse ((const char *) json->data, json->len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (fr_record_get_id (again), FR_RECORD_ID_SIZE, fr_record_get_id (record), FR_RECORD_ID_SIZE);
  g_assert_cmpstr (fr_record_get_id_string (again), ==, fr_record_get_id_string (record));
  g_assert_cmpint (fr_record_get_created (again), ==, fr_record_get_created (record));
  g_assert_cmpstr (fr_record_get_site (again), ==, fr_record_get_site (record));
  g_assert_cmpstr (fr_record_get_channel (again), ==, fr_record_get_channel (record));
  g_assert_cmpstr (fr_record_get_language (again), ==, fr_record_get_language (record));
  g_assert_cmpstr (fr_record_get_receipt (again), ==, fr_record_get_receipt (record));
  g_assert_cmpuint (fr_record_get_n_attachments (again), ==, 1);
  g_assert_cmpmem (fr_record_get_attachment (again, 0), sizeof (FrAttachmentInfo),
                   fr_record_get_attachment (record, 0), sizeof (FrAttachmentInfo));
  g_assert_true (fr_secret_equal (fr_record_get_json (again), json));
}

static void
test_complete_variants (void)
{
  FrAttachmentInfo many[FR_RECORD_MAX_ATTACHMENTS + 1];
  g_autofree char *hotline = record_with (base_partial, "channel", "\"hotline\"");
  g_autofree char *hotline_vol = record_with (hotline, "volunteer", "\"vol-7\"");
  g_autofree char *with_schema = record_with (base_partial, "schema", "\"fristad.intake.v1\"");

  for (guint i = 0; i < G_N_ELEMENTS (many); i++)
    many[i] = (FrAttachmentInfo) { "voice", "audio/ogg", 100 + i, 1000 * i };

  /* schema may be given if it is right; no attachments means none in the JSON. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrRecord) record = complete_str (with_schema, "s1", VECTOR_CREATED, NULL, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (fr_record_get_n_attachments (record), ==, 0);
    g_assert_null (strstr ((const char *) fr_record_get_json (record)->data, "attachments"));
  }
  /* hotline with a volunteer; the most attachments. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrRecord) record = complete_str (hotline_vol, "s1", VECTOR_CREATED, many,
                                               FR_RECORD_MAX_ATTACHMENTS, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (fr_record_get_channel (record), ==, "hotline");
    g_assert_cmpuint (fr_record_get_n_attachments (record), ==, FR_RECORD_MAX_ATTACHMENTS);
    g_assert_cmpuint (fr_record_get_attachment (record, 3)->size, ==, 103);
    g_assert_cmpuint (fr_record_get_attachment (record, 3)->duration_ms, ==, 3000);
  }
  /* The edges of the clock. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrRecord) record = complete_str (base_partial, "s1", G_GINT64_CONSTANT (253402300799), NULL, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpint (fr_record_get_created (record), ==, G_GINT64_CONSTANT (253402300799));
  }
}

static void
assert_complete_invalid (const char             *partial,
                         const char             *site,
                         gint64                  now,
                         const FrAttachmentInfo *attachments,
                         guint                   n_attachments,
                         const char             *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRecord) record = complete_str (partial, site, now, attachments, n_attachments, &error);

  g_test_message ("complete: %s", partial);
  g_assert_null (record);
  g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
  assert_error_names (error, field);
}

static void
test_complete_rejects (void)
{
  static const struct { const char *path, *value; } filled[] = {
    { "id", "\"" VECTOR_ID "\"" },
    { "created", "\"2026-11-28T20:22:56Z\"" },
    { "receipt", "\"7XP2-N7MB\"" },
    { "site", "\"vector-site\"" },
    { "attachments", "[]" },
  };
  FrAttachmentInfo many[FR_RECORD_MAX_ATTACHMENTS + 1];
  FrAttachmentInfo bad;
  g_autofree char *hotline = record_with (base_partial, "channel", "\"hotline\"");
  g_autofree char *kiosk_vol = record_with (base_partial, "volunteer", "\"vol-7\"");
  g_autofree char *bad_schema = record_with (base_partial, "schema", "\"fristad.intake.v0\"");
  g_autofree char *no_consent = record_with (base_partial, "consent", NULL);
  g_autofree char *no_share = record_with (base_partial, "consent.share", "false");
  g_autofree char *unknown = record_with (base_partial, "notes", "\"x\"");
  g_autofree char *bad_answer = record_with (base_partial, "answers.age", "33");

  for (guint i = 0; i < G_N_ELEMENTS (filled); i++)
    {
      g_autofree char *partial = record_with (base_partial, filled[i].path, filled[i].value);

      assert_complete_invalid (partial, "s1", VECTOR_CREATED, NULL, 0, filled[i].path);
    }
  assert_complete_invalid (bad_schema, "s1", VECTOR_CREATED, NULL, 0, "schema");
  assert_complete_invalid (hotline, "s1", VECTOR_CREATED, NULL, 0, "volunteer");
  assert_complete_invalid (kiosk_vol, "s1", VECTOR_CREATED, NULL, 0, "volunteer");
  assert_complete_invalid (no_consent, "s1", VECTOR_CREATED, NULL, 0, "consent");
  assert_complete_invalid (no_share, "s1", VECTOR_CREATED, NULL, 0, "consent.share");
  assert_complete_invalid (unknown, "s1", VECTOR_CREATED, NULL, 0, "notes");
  assert_complete_invalid (bad_answer, "s1", VECTOR_CREATED, NULL, 0, "answers.age");
  assert_complete_invalid (base_partial, "bad site", VECTOR_CREATED, NULL, 0, "site");
  assert_complete_invalid (base_partial, "", VECTOR_CREATED, NULL, 0, "site");
  assert_complete_invalid (base_partial, "s1", G_GINT64_CONSTANT (946684799), NULL, 0, "created");
  assert_complete_invalid (base_partial, "s1", G_GINT64_CONSTANT (253402300800), NULL, 0, "created");
  assert_complete_invalid (base_partial, "s1", G_MININT64, NULL, 0, "created");

  for (guint i = 0; i < G_N_ELEMENTS (many); i++)
    many[i] = (FrAttachmentInfo) { "voice", "audio/ogg", 100, 1000 };
  assert_complete_invalid (base_partial, "s1", VECTOR_CREATED, many, G_N_ELEMENTS (many), "attachments");

  bad = (FrAttachmentInfo) { "photo", "image/jpeg", 100, 0 };
  assert_complete_invalid (base_partial, "s1", VECTOR_CREATED, &bad, 1, "attachments[0].kind");
  bad = (FrAttachmentInfo) { "voice", "audio/ogg", 0, 0 };
  assert_complete_invalid (base_partial, "s1", VECTOR_CREATED, &bad, 1, "attachments[0].size");
  bad = (FrAttachmentInfo) { "voice", "audio/ogg", G_MAXUINT64, 0 };
  assert_complete_invalid (base_partial, "s1", VECTOR_CREATED, &bad, 1, "attachments[0].size");
  bad = (FrAttachmentInfo) { "voice", "audio/ogg", 100, 86400001 };
  assert_complete_invalid (base_partial, "s1", VECTOR_CREATED, &bad, 1, "attachments[0].duration_ms");
  bad = (FrAttachmentInfo) { "voice", "", 100, 0 };
  assert_complete_invalid (base_partial, "s1", VECTOR_CREATED, &bad, 1, "attachments[0].mime");
  memset (&bad, 'a', sizeof bad);   /* kind and mime not NUL-terminated */
  assert_complete_invalid (base_partial, "s1", VECTOR_CREATED, &bad, 1, "attachments[0]");

  /* The partial obeys the same syntax rules. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrRecord) record = complete_str ("{\"channel\":\"kiosk\",\"channel\":\"kiosk\"}", "s1",
                                               VECTOR_CREATED, NULL, 0, &error);

    g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
    assert_error_names (error, "channel");
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrRecord) record = complete_str ("[]", "s1", VECTOR_CREATED, NULL, 0, &error);

    g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_SYNTAX);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrRecord) record = complete_str ("{/**/}", "s1", VECTOR_CREATED, NULL, 0, &error);

    g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_SYNTAX);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *big = g_malloc0 (FR_RECORD_MAX_JSON + 1);
    g_autoptr(FrRecord) record = NULL;

    memset (big, ' ', FR_RECORD_MAX_JSON + 1);
    big[0] = '{';
    big[FR_RECORD_MAX_JSON] = '}';
    record = fr_record_complete (big, FR_RECORD_MAX_JSON + 1, "s1", VECTOR_CREATED, NULL, 0, &error);
    g_assert_error (error, FR_ERROR, FR_ERROR_TOO_LARGE);
  }
}

static void
test_complete_unique (void)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FrRecord) record = complete_str (base_partial, "s1", VECTOR_CREATED + i, NULL, 0, &error);
      char receipt[FR_RECEIPT_STRING_LEN + 1];

      g_assert_no_error (error);
      g_assert_true (is_v4_uuid (fr_record_get_id_string (record)));
      fr_receipt_format (fr_record_get_id (record), receipt);
      g_assert_cmpstr (fr_record_get_receipt (record), ==, receipt);
      g_assert_cmpint (fr_record_get_created (record), ==, VECTOR_CREATED + i);
      g_assert_true (g_hash_table_add (ids, g_strdup (fr_record_get_id_string (record))));
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, 1000);
}

/* ------------------------------------------------------------------------------------ */
/* Ids and times                                                                        */

static void
test_uuid (void)
{
  static const char *const bad[] = {
    "", "3f6c2a9e", "3F6C2A9E-8B1D-4C7A-9E2F-5A1B0C9D8E7F", "3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8E7f",
    "3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7", "3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7f0",
    "3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7f ", " 3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7f",
    "3f6c2a9e8b1d4c7a9e2f5a1b0c9d8e7f", "3f6c2a9e-8b1d-4c7a-9e2f5a1b0c9d8e7f-",
    "3f6c2a9e_8b1d_4c7a_9e2f_5a1b0c9d8e7f", "3f6c2a9-e8b1d-4c7a-9e2f-5a1b0c9d8e7f",
    "3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7g", "{3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7}",
  };
  guint8 id[FR_RECORD_ID_SIZE], untouched[FR_RECORD_ID_SIZE];
  char out[FR_UUID_STRING_LEN + 1];

  g_assert_true (fr_uuid_parse (VECTOR_ID, id));
  g_assert_cmpint (id[0], ==, 0x3f);
  g_assert_cmpint (id[15], ==, 0x7f);
  fr_uuid_format (id, out);
  g_assert_cmpstr (out, ==, VECTOR_ID);

  /* any version and variant */
  g_assert_true (fr_uuid_parse ("00000000-0000-0000-0000-000000000000", id));
  fr_uuid_format (id, out);
  g_assert_cmpstr (out, ==, "00000000-0000-0000-0000-000000000000");
  g_assert_true (fr_uuid_parse ("ffffffff-ffff-ffff-ffff-ffffffffffff", id));
  for (guint i = 0; i < FR_RECORD_ID_SIZE; i++)
    g_assert_cmpint (id[i], ==, 0xff);

  memset (untouched, 0xa5, sizeof untouched);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      memcpy (id, untouched, sizeof id);
      g_test_message ("uuid: '%s'", bad[i]);
      g_assert_false (fr_uuid_parse (bad[i], id));
      g_assert_cmpmem (id, sizeof id, untouched, sizeof untouched);
    }

  /* generate: version 4, RFC 4122 variant, formats to what parses back */
  for (guint i = 0; i < 64; i++)
    {
      guint8 again[FR_RECORD_ID_SIZE];

      fr_uuid_generate (id);
      g_assert_cmpint (id[6] >> 4, ==, 4);
      g_assert_cmpint (id[8] >> 6, ==, 2);
      fr_uuid_format (id, out);
      g_assert_true (is_v4_uuid (out));
      g_assert_true (fr_uuid_parse (out, again));
      g_assert_cmpmem (again, sizeof again, id, sizeof id);
    }
}

static void
test_timestamp (void)
{
  static const struct { const char *text; gint64 unix_time; } good[] = {
    { "1970-01-01T00:00:00Z", 0 },
    { "2026-11-28T20:22:56Z", G_GINT64_CONSTANT (1795897376) },
    { "2000-01-01T00:00:00Z", G_GINT64_CONSTANT (946684800) },
    { "2028-02-29T23:59:59Z", G_GINT64_CONSTANT (1835481599) },
    { "2000-02-29T00:00:00Z", G_GINT64_CONSTANT (951782400) },
    { "9999-12-31T23:59:59Z", G_GINT64_CONSTANT (253402300799) },
    { "1969-12-31T23:59:59Z", -1 },
  };
  static const char *const bad[] = {
    "", "2026-11-28", "2026-11-28T20:22:56", "2026-11-28T20:22:56z", "2026-11-28t20:22:56Z",
    "2026-11-28 20:22:56Z", "2026-11-28T20:22:56+00:00", "2026-11-28T20:22:56.5Z",
    "2026-11-28T20:22:56Z ", " 2026-11-28T20:22:56Z", "26-11-28T20:22:56Z", "2026-1-28T20:22:56Z",
    "2026/11/28T20:22:56Z", "2026-11-28T20-22-56Z", "+026-11-28T20:22:56Z", "2026-11-2aT20:22:56Z",
    "2026-02-30T00:00:00Z", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
    "2026-00-10T00:00:00Z", "2026-13-10T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-28T24:00:00Z",
    "2026-11-28T20:60:00Z", "2026-12-31T23:59:60Z", "0000-01-01T00:00:00Z",
  };
  char out[FR_TIMESTAMP_STRING_LEN + 1];

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      gint64 t = 12345;

      g_test_message ("timestamp: %s", good[i].text);
      g_assert_true (fr_timestamp_parse (good[i].text, &t));
      g_assert_cmpint (t, ==, good[i].unix_time);
      fr_timestamp_format (good[i].unix_time, out);
      g_assert_cmpstr (out, ==, good[i].text);
    }
  g_assert_true (fr_timestamp_parse ("2026-11-28T20:22:56Z", NULL));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gint64 t = 12345;

      g_test_message ("timestamp: '%s'", bad[i]);
      g_assert_false (fr_timestamp_parse (bad[i], &t));
      g_assert_cmpint (t, ==, 12345);
    }

  /* Times no 4-digit year can hold are written so that they never parse. */
  fr_timestamp_format (G_GINT64_CONSTANT (253402300800), out);
  g_assert_cmpstr (out, ==, "0000-00-00T00:00:00Z");
  g_assert_false (fr_timestamp_parse (out, NULL));
  fr_timestamp_format (G_MININT64, out);
  g_assert_cmpstr (out, ==, "0000-00-00T00:00:00Z");
  fr_timestamp_format (G_MAXINT64, out);
  g_assert_cmpstr (out, ==, "0000-00-00T00:00:00Z");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());

  g_test_add_func ("/record/vector", test_vector);
  g_test_add_func ("/record/base", test_base_record);
  g_test_add_func ("/record/receipt", test_receipt);
  g_test_add_func ("/record/missing", test_missing);
  g_test_add_func ("/record/wrong-type", test_wrong_type);
  g_test_add_func ("/record/bad-values", test_bad_values);
  g_test_add_func ("/record/numbers", test_numbers);
  g_test_add_func ("/record/unknown-field", test_unknown_field);
  g_test_add_func ("/record/duplicate-key", test_duplicate_key);
  g_test_add_func ("/record/volunteer", test_volunteer);
  g_test_add_func ("/record/syntax", test_syntax);
  g_test_add_func ("/record/no-echo", test_syntax_errors_do_not_echo);
  g_test_add_func ("/record/too-large", test_too_large);
  g_test_add_func ("/record/limits", test_limits);
  g_test_add_func ("/record/nesting", test_nesting);
  g_test_add_func ("/record/complete", test_complete);
  g_test_add_func ("/record/complete-variants", test_complete_variants);
  g_test_add_func ("/record/complete-rejects", test_complete_rejects);
  g_test_add_func ("/record/complete-unique", test_complete_unique);
  g_test_add_func ("/uuid/parse-format", test_uuid);
  g_test_add_func ("/timestamp/parse-format", test_timestamp);

  return g_test_run ();
}
