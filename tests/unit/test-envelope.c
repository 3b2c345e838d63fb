/* test-envelope.c — Envelope v1: vectors, round trips, and every malformed case */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "fr-bytes-private.h"
#include "fr-envelope-private.h"
#include "fr-error.h"

#define VECTOR_KIOSK   "fristad-kiosk:iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="
#define VECTOR_RECIP1  "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhBA="
#define VECTOR_SK1     "aa3c626bc9c38c8c201878ebb1d5b0b50ac40e8986c78793db1d4ef369fca1ce"
#define VECTOR_RECIP2  "fristad-recipient:deJw3ylSxXuoNnuoYYwXj5/lDbJ5nTBOdOkY2YVoYUY="
#define VECTOR_SK2     "98aebbb178a551876bfaf8e1e530dac6aaf6c2ea1c8f8406a3ab37dfb40fbc25"
#define VECTOR_ID      "3f6c2a9e-8b1d-4c7a-9e2f-5a1b0c9d8e7f"
#define ROUND_TRIP_TEXT "round trip ✓ ฉัน"

typedef struct
{
  FrKioskKey *kiosk;
  FrStaffKey *staff[FR_ENVELOPE_MAX_RECIPIENTS];
  guint8      pks[FR_ENVELOPE_MAX_RECIPIENTS][FR_KEY_SIZE];
} Keys;

static Keys *
keys_new (void)
{
  Keys *keys = g_new0 (Keys, 1);

  keys->kiosk = fr_kiosk_key_generate ();
  for (guint i = 0; i < FR_ENVELOPE_MAX_RECIPIENTS; i++)
    {
      keys->staff[i] = fr_staff_key_generate ();
      memcpy (keys->pks[i], keys->staff[i]->recipient_pk, FR_KEY_SIZE);
    }
  return keys;
}

static void
keys_free (Keys *keys)
{
  fr_kiosk_key_free (keys->kiosk);
  for (guint i = 0; i < FR_ENVELOPE_MAX_RECIPIENTS; i++)
    fr_staff_key_free (keys->staff[i]);
  g_free (keys);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Keys, keys_free)

static char *
vector_path (const char *name)
{
  return g_build_filename (TEST_VECTORS_DIR, name, NULL);
}

static GBytes *
read_vector (const char *name)
{
  g_autofree char *path = vector_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static void
hex_to_bin (const char *hex,
            guint8     *out,
            gsize       out_len)
{
  gsize bin_len = 0;

  g_assert_cmpint (sodium_hex2bin (out, out_len, hex, strlen (hex), NULL, &bin_len, NULL), ==, 0);
  g_assert_cmpuint (bin_len, ==, out_len);
}

/* A record with one text answer of @text and attachments of the given sizes. */
static FrRecord *
make_record (const char    *text,
             const guint64 *sizes,
             guint          n_sizes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  FrAttachmentInfo infos[FR_RECORD_MAX_ATTACHMENTS] = { 0 };
  FrRecord *record;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "channel");
  json_builder_add_string_value (builder, "kiosk");
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, "sv");
  json_builder_set_member_name (builder, "answers");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "needs");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "shelter");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "consent");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "share");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "text_version");
  json_builder_add_string_value (builder, "consent-1");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  json = json_generator_to_data (gen, NULL);

  for (guint i = 0; i < n_sizes; i++)
    {
      g_strlcpy (infos[i].kind, "voice", sizeof infos[i].kind);
      g_strlcpy (infos[i].mime, "audio/ogg; codecs=opus", sizeof infos[i].mime);
      infos[i].size = sizes[i];
      infos[i].duration_ms = 1000;
    }
  record = fr_record_complete (json, strlen (json), "test-site", g_get_real_time () / G_USEC_PER_SEC,
                               infos, n_sizes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

static FrSecret *
random_secret (gsize len)
{
  FrSecret *secret = fr_secret_new (len);

  randombytes_buf (secret->data, len);
  return secret;
}

static void
assert_one_line_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_assert_null (strchr (error->message, '\n'));
}

/* --- The shared vector, made by an independent implementation ------------------------- */

static void
test_vector_inspect (void)
{
  g_autoptr(GBytes) env = read_vector ("envelope-1.frs");
  g_autoptr(GError) error = NULL;
  FrEnvelopeInfo info;
  char id[FR_UUID_STRING_LEN + 1], receipt[FR_RECEIPT_STRING_LEN + 1], kid[FR_KID_HEX_LEN + 1];

  g_assert_true (fr_envelope_inspect (g_bytes_get_data (env, NULL), g_bytes_get_size (env), &info, &error));
  g_assert_no_error (error);
  fr_uuid_format (info.record_id, id);
  fr_receipt_format (info.record_id, receipt);
  fr_kid_to_hex (info.kiosk_kid, kid);
  g_assert_cmpstr (id, ==, VECTOR_ID);
  g_assert_cmpstr (receipt, ==, "7XP2-N7MB");
  g_assert_cmpstr (kid, ==, "c5e21ab1c9f6022d");
  g_assert_cmpuint (info.n_recipients, ==, 2);
  fr_kid_to_hex (info.recipient_kids[0], kid);
  g_assert_cmpstr (kid, ==, "bc7259ff4b4ff126");
  g_assert_cmpuint (info.n_chunks, ==, 2);
  g_assert_cmpuint (info.total_len, ==, g_bytes_get_size (env));
}

static void
test_vector_verify (void)
{
  g_autoptr(GBytes) env = read_vector ("envelope-1.frs");
  g_autoptr(GError) error = NULL;
  g_autoptr(FrKioskKey) other = fr_kiosk_key_generate ();
  guint8 kiosk_pk[FR_KEY_SIZE];
  const guint8 *data = g_bytes_get_data (env, NULL);
  gsize len = g_bytes_get_size (env);

  g_assert_true (fr_key_string_parse (VECTOR_KIOSK, FR_KEY_KIND_KIOSK, kiosk_pk, &error));
  g_assert_true (fr_envelope_verify (data, len, kiosk_pk, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (fr_envelope_verify (data, len, other->pk, NULL, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_UNKNOWN_KIOSK);
}

static void
open_vector_with (const char *recipient,
                  const char *secret_hex)
{
  g_autoptr(GBytes) env = read_vector ("envelope-1.frs");
  g_autoptr(GBytes) expected_att = read_vector ("attachment-0.bin");
  g_autoptr(GBytes) expected_json = read_vector ("record-expected.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  g_autoptr(JsonNode) got = NULL;
  g_autoptr(JsonNode) want = NULL;
  guint8 pk[FR_KEY_SIZE], kiosk_pk[FR_KEY_SIZE], derived[FR_KEY_SIZE];
  FrSecret *sk = fr_secret_new (FR_KEY_SIZE);

  g_assert_true (fr_key_string_parse (recipient, FR_KEY_KIND_RECIPIENT, pk, &error));
  g_assert_true (fr_key_string_parse (VECTOR_KIOSK, FR_KEY_KIND_KIOSK, kiosk_pk, &error));
  hex_to_bin (secret_hex, sk->data, FR_KEY_SIZE);
  crypto_scalarmult_base (derived, sk->data);
  g_assert_cmpmem (derived, sizeof derived, pk, sizeof pk);

  opened = fr_envelope_open (g_bytes_get_data (env, NULL), g_bytes_get_size (env), pk, sk->data, kiosk_pk, &error);
  g_assert_no_error (error);
  g_assert_nonnull (opened);

  got = json_from_string ((const char *) fr_record_get_json (opened->record)->data, &error);
  g_assert_no_error (error);
  want = json_from_string (g_bytes_get_data (expected_json, NULL), &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (got, want));
  g_assert_cmpstr (fr_record_get_receipt (opened->record), ==, "7XP2-N7MB");

  g_assert_cmpuint (opened->n_attachments, ==, 1);
  g_assert_cmpmem (opened->attachments[0]->data, opened->attachments[0]->len,
                   g_bytes_get_data (expected_att, NULL), g_bytes_get_size (expected_att));
  fr_secret_free (sk);
}

static void
test_vector_open (void)
{
  open_vector_with (VECTOR_RECIP1, VECTOR_SK1);
  open_vector_with (VECTOR_RECIP2, VECTOR_SK2);
}

/* Our own committed vector: fixed keys, a record and the exact envelope bytes. */
static void
test_own_vector (void)
{
  g_autoptr(GBytes) env = read_vector ("fristad-envelope-1.frs");
  g_autoptr(GBytes) keyfile_bytes = read_vector ("fristad-envelope-1.keys");
  g_autoptr(GBytes) expected_json = read_vector ("fristad-record-1.json");
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  g_autofree char *kiosk = NULL, *recipient = NULL, *secret = NULL;
  guint8 kiosk_pk[FR_KEY_SIZE], pk[FR_KEY_SIZE];
  g_autoptr(FrSecret) sk = fr_secret_new (FR_KEY_SIZE);

  g_key_file_load_from_data (keyfile, g_bytes_get_data (keyfile_bytes, NULL), g_bytes_get_size (keyfile_bytes),
                             G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  kiosk = g_key_file_get_string (keyfile, "vector", "kiosk-public", &error);
  recipient = g_key_file_get_string (keyfile, "vector", "recipient-public", &error);
  secret = g_key_file_get_string (keyfile, "vector", "recipient-secret-hex", &error);
  g_assert_no_error (error);
  g_assert_true (fr_key_string_parse (kiosk, FR_KEY_KIND_KIOSK, kiosk_pk, &error));
  g_assert_true (fr_key_string_parse (recipient, FR_KEY_KIND_RECIPIENT, pk, &error));
  hex_to_bin (secret, sk->data, FR_KEY_SIZE);

  opened = fr_envelope_open (g_bytes_get_data (env, NULL), g_bytes_get_size (env), pk, sk->data, kiosk_pk, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (fr_record_get_json (opened->record)->data, fr_record_get_json (opened->record)->len,
                   g_bytes_get_data (expected_json, NULL), g_bytes_get_size (expected_json));
  g_assert_cmpuint (opened->n_attachments, ==, 0);
}

/* --- Round trips ------------------------------------------------------------------------ */

static void
round_trip (guint          n_recipients,
            const guint64 *sizes,
            guint          n_sizes,
            gboolean       open_with_all)
{
  g_autoptr(Keys) keys = keys_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRecord) record = make_record (ROUND_TRIP_TEXT, sizes, n_sizes);
  g_autoptr(GBytes) env = NULL;
  FrSecret *atts[FR_RECORD_MAX_ATTACHMENTS] = { NULL };
  FrEnvelopeInfo info;
  const guint8 *data;
  gsize len, plaintext_len = 4 + fr_record_get_json (record)->len;

  for (guint i = 0; i < n_sizes; i++)
    {
      atts[i] = random_secret (sizes[i]);
      plaintext_len += sizes[i];
    }

  env = fr_envelope_seal (record, (const FrSecret * const *) atts, n_sizes,
                          (const guint8 (*)[FR_KEY_SIZE]) keys->pks, n_recipients, keys->kiosk, &error);
  g_assert_no_error (error);
  g_assert_nonnull (env);
  data = g_bytes_get_data (env, &len);
  g_assert_cmpuint (len, ==, fr_envelope_sealed_size (n_recipients, plaintext_len));

  g_assert_true (fr_envelope_verify (data, len, keys->kiosk->pk, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (info.n_recipients, ==, n_recipients);
  g_assert_cmpmem (info.record_id, FR_RECORD_ID_SIZE, fr_record_get_id (record), FR_RECORD_ID_SIZE);
  g_assert_cmpuint (info.created_at, ==, fr_record_get_created (record));
  g_assert_cmpuint (info.n_chunks, ==, (plaintext_len + FR_ENVELOPE_CHUNK_MAX - 1) / FR_ENVELOPE_CHUNK_MAX);

  for (guint r = 0; r < n_recipients; r++)
    {
      g_autoptr(FrOpenedEnvelope) opened = NULL;

      if (!open_with_all && r != 0 && r != n_recipients - 1)
        continue;
      opened = fr_envelope_open (data, len, keys->staff[r]->recipient_pk, keys->staff[r]->recipient_sk,
                                 keys->kiosk->pk, &error);
      g_assert_no_error (error);
      g_assert_nonnull (opened);
      g_assert_true (fr_secret_equal (fr_record_get_json (opened->record), fr_record_get_json (record)));
      g_assert_cmpuint (opened->n_attachments, ==, n_sizes);
      for (guint i = 0; i < n_sizes; i++)
        g_assert_true (fr_secret_equal (opened->attachments[i], atts[i]));
    }

  /* A key that is not among the recipients cannot open it. */
  {
    g_autoptr(FrStaffKey) stranger = fr_staff_key_generate ();
    g_autoptr(FrOpenedEnvelope) opened = NULL;

    opened = fr_envelope_open (data, len, stranger->recipient_pk, stranger->recipient_sk, NULL, &error);
    g_assert_null (opened);
    g_assert_error (error, FR_ERROR, FR_ERROR_NOT_RECIPIENT);
  }

  for (guint i = 0; i < n_sizes; i++)
    fr_secret_free (atts[i]);
}

static void
test_round_trip_one_recipient (void)
{
  round_trip (1, NULL, 0, TRUE);
}

static void
test_round_trip_sixteen_recipients (void)
{
  static const guint64 sizes[] = { 1000 };

  round_trip (16, NULL, 0, TRUE);
  round_trip (16, sizes, 1, TRUE);
}

static void
test_round_trip_attachments (void)
{
  static const guint64 one[] = { 1 };
  static const guint64 several[] = { 70000, 3, 65536, 200000 };

  round_trip (2, one, 1, TRUE);
  round_trip (3, several, G_N_ELEMENTS (several), TRUE);
}

/* Plaintext lengths exactly at, one under and one over a chunk boundary. */
static void
test_round_trip_chunk_boundaries (void)
{
  static const gsize targets[] = { 65535, 65536, 65537, 2 * 65536, 2 * 65536 + 1 };

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autoptr(FrRecord) probe = make_record (ROUND_TRIP_TEXT, (guint64[]) { 1 }, 1);
      gsize json_len = fr_record_get_json (probe)->len;
      guint64 size[1];

      /* The JSON length does not depend on the attachment size's digit count here only if
       * we compute it with the same number of digits, so iterate until it fits. */
      size[0] = targets[t] - 4 - json_len;
      for (guint tries = 0; tries < 4; tries++)
        {
          g_autoptr(FrRecord) r = make_record (ROUND_TRIP_TEXT, size, 1);
          gsize jl = fr_record_get_json (r)->len;

          if (4 + jl + size[0] == targets[t])
            break;
          size[0] = targets[t] - 4 - jl;
        }
      round_trip (1, size, 1, TRUE);
    }
}

static void
test_round_trip_near_limit (void)
{
  g_autoptr(FrRecord) probe = make_record (ROUND_TRIP_TEXT, (guint64[]) { 8000000 }, 1);
  gsize json_len = fr_record_get_json (probe)->len;
  /* Largest attachment that still fits 8 MiB with one recipient. */
  guint64 att = FR_ENVELOPE_MAX_SIZE - json_len - 128 * 21;

  while (fr_envelope_sealed_size (1, 4 + json_len + att) > FR_ENVELOPE_MAX_SIZE)
    att--;
  g_assert_cmpuint (att, >, 8000000);
  g_assert_cmpuint (fr_envelope_sealed_size (1, 4 + json_len + att), <=, FR_ENVELOPE_MAX_SIZE);
  g_assert_cmpuint (fr_envelope_sealed_size (1, 4 + json_len + att + 1), >, FR_ENVELOPE_MAX_SIZE);
  round_trip (1, (guint64[]) { att }, 1, TRUE);

  /* One byte more than fits is refused as too large, before anything is sealed. */
  {
    g_autoptr(Keys) keys = keys_new ();
    g_autoptr(GError) error = NULL;
    guint64 over = att + 1;
    g_autoptr(FrRecord) record = make_record (ROUND_TRIP_TEXT, &over, 1);
    g_autoptr(FrSecret) blob = fr_secret_new (over);
    const FrSecret *atts[1] = { blob };
    g_autoptr(GBytes) env = NULL;

    env = fr_envelope_seal (record, atts, 1, (const guint8 (*)[FR_KEY_SIZE]) keys->pks, 1, keys->kiosk, &error);
    g_assert_null (env);
    g_assert_error (error, FR_ERROR, FR_ERROR_TOO_LARGE);
  }
}

static void
test_seal_refusals (void)
{
  g_autoptr(Keys) keys = keys_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FrRecord) record = make_record ("x", (guint64[]) { 10 }, 1);
  g_autoptr(FrSecret) wrong = fr_secret_new (11);
  g_autoptr(FrSecret) right = fr_secret_new (10);
  const FrSecret *atts[1] = { wrong };
  const FrSecret *good[1] = { right };
  GBytes *env;

  env = fr_envelope_seal (record, good, 1, (const guint8 (*)[FR_KEY_SIZE]) keys->pks, 0, keys->kiosk, &error);
  g_assert_null (env);
  g_assert_error (error, FR_ERROR, FR_ERROR_RECIPIENT_COUNT);
  g_clear_error (&error);

  env = fr_envelope_seal (record, good, 1, (const guint8 (*)[FR_KEY_SIZE]) keys->pks, 17, keys->kiosk, &error);
  g_assert_null (env);
  g_assert_error (error, FR_ERROR, FR_ERROR_RECIPIENT_COUNT);
  g_clear_error (&error);

  env = fr_envelope_seal (record, atts, 1, (const guint8 (*)[FR_KEY_SIZE]) keys->pks, 1, keys->kiosk, &error);
  g_assert_null (env);
  g_assert_error (error, FR_ERROR, FR_ERROR_ATTACHMENT_SIZE);
  g_clear_error (&error);

  env = fr_envelope_seal (record, NULL, 0, (const guint8 (*)[FR_KEY_SIZE]) keys->pks, 1, keys->kiosk, &error);
  g_assert_null (env);
  g_assert_error (error, FR_ERROR, FR_ERROR_ATTACHMENT_SIZE);
}

/* --- Malformed envelopes ---------------------------------------------------------------- */

typedef struct
{
  Keys     *keys;
  FrRecord *record;
  GBytes   *env;
} Small;

static void
small_init (Small *s)
{
  g_autoptr(GError) error = NULL;
  guint64 size = 100;
  g_autoptr(FrSecret) att = random_secret (size);
  const FrSecret *atts[1] = { att };

  s->keys = keys_new ();
  s->record = make_record ("small", &size, 1);
  s->env = fr_envelope_seal (s->record, atts, 1, (const guint8 (*)[FR_KEY_SIZE]) s->keys->pks, 1,
                             s->keys->kiosk, &error);
  g_assert_no_error (error);
}

static void
small_clear (Small *s)
{
  keys_free (s->keys);
  fr_record_free (s->record);
  g_bytes_unref (s->env);
}

static void
test_truncation_every_offset (void)
{
  Small s;
  const guint8 *data;
  gsize len;

  small_init (&s);
  data = g_bytes_get_data (s.env, &len);
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FrOpenedEnvelope) opened = NULL;
      FrEnvelopeInfo info;
      g_autofree guint8 *copy = g_memdup2 (data, cut ? cut : 1);

      g_assert_false (fr_envelope_inspect (copy, cut, &info, &error));
      g_assert_error (error, FR_ERROR, FR_ERROR_TRUNCATED);
      assert_one_line_error (error);
      g_clear_error (&error);

      g_assert_false (fr_envelope_verify (copy, cut, s.keys->kiosk->pk, &info, &error));
      g_assert_error (error, FR_ERROR, FR_ERROR_TRUNCATED);
      g_clear_error (&error);

      opened = fr_envelope_open (copy, cut, s.keys->staff[0]->recipient_pk, s.keys->staff[0]->recipient_sk,
                                 NULL, &error);
      g_assert_null (opened);
      g_assert_error (error, FR_ERROR, FR_ERROR_TRUNCATED);
    }
  small_clear (&s);
}

static gboolean
code_in (int code,
         const int *codes)
{
  for (; *codes; codes++)
    if (*codes == code)
      return TRUE;
  return FALSE;
}

/* Every single-bit flip anywhere is refused, with the error that names its region. */
static void
test_bit_flips (void)
{
  static const int magic[] = { FR_ERROR_BAD_MAGIC, 0 };
  static const int version[] = { FR_ERROR_UNKNOWN_VERSION, 0 };
  static const int kiosk[] = { FR_ERROR_UNKNOWN_KIOSK, 0 };
  static const int signature[] = { FR_ERROR_BAD_SIGNATURE, 0 };
  static const int count[] = { FR_ERROR_RECIPIENT_COUNT, FR_ERROR_TRUNCATED, FR_ERROR_LENGTH_MISMATCH,
                               FR_ERROR_TOO_LARGE, FR_ERROR_TRAILING_BYTES, 0 };
  static const int lengths[] = { FR_ERROR_TRUNCATED, FR_ERROR_LENGTH_MISMATCH, FR_ERROR_TOO_LARGE,
                                 FR_ERROR_TRAILING_BYTES, 0 };
  static const int open_header[] = { FR_ERROR_DECRYPT, 0 };
  static const int open_slot[] = { FR_ERROR_NOT_RECIPIENT, 0 };
  Small s;
  const guint8 *data;
  gsize len, hlen, body_end;
  FrEnvelopeInfo info;
  g_autoptr(GError) error = NULL;

  small_init (&s);
  data = g_bytes_get_data (s.env, &len);
  g_assert_true (fr_envelope_inspect (data, len, &info, &error));
  hlen = info.header_len;
  body_end = hlen + info.body_len;

  for (gsize byte = 0; byte < len; byte++)
    for (guint bit = 0; bit < 8; bit++)
      {
        g_autofree guint8 *copy = g_memdup2 (data, len);
        g_autoptr(FrOpenedEnvelope) opened = NULL;
        const int *want;
        const int *want_open = NULL;

        copy[byte] ^= 1u << bit;

        if (byte < 7)
          want = magic;
        else if (byte == 7)
          want = version;
        else if (byte < 16)
          want = kiosk, want_open = open_header;
        else if (byte < 40)
          want = signature, want_open = open_header;
        else if (byte == 40)
          want = count;
        else if (byte < 41 + FR_KID_SIZE)
          want = signature, want_open = open_slot;
        else if (byte < 41 + FR_ENVELOPE_RECIPIENT_SIZE)
          want = signature, want_open = open_slot;
        else if (byte < hlen - 8)
          want = signature, want_open = open_header;
        else if (byte < hlen)
          want = lengths;
        else if (byte < body_end)
          {
            /* chunk length fields or ciphertext */
            gsize pos = hlen;
            gboolean in_len = FALSE;

            while (pos < body_end)
              {
                guint32 clen = _fr_load_u32_le (data + pos);

                if (byte >= pos && byte < pos + 4)
                  in_len = TRUE;
                pos += 4 + clen;
              }
            want = in_len ? lengths : signature;
            want_open = in_len ? lengths : open_header;
          }
        else
          want = signature;

        g_assert_false (fr_envelope_verify (copy, len, s.keys->kiosk->pk, &info, &error));
        if (!code_in (error->code, want))
          g_error ("flip of byte %" G_GSIZE_FORMAT " bit %u gave %s (%s)", byte, bit,
                   fr_error_code_name (error->code), error->message);
        assert_one_line_error (error);
        g_clear_error (&error);

        opened = fr_envelope_open (copy, len, s.keys->staff[0]->recipient_pk, s.keys->staff[0]->recipient_sk,
                                   s.keys->kiosk->pk, &error);
        g_assert_null (opened);
        g_assert_true (code_in (error->code, want));
        g_clear_error (&error);

        /* Without the kiosk key the signature is not checked, but nothing else slips by. */
        opened = fr_envelope_open (copy, len, s.keys->staff[0]->recipient_pk, s.keys->staff[0]->recipient_sk,
                                   NULL, &error);
        if (byte >= body_end)
          {
            g_assert_no_error (error);
            g_assert_nonnull (opened);
          }
        else
          {
            g_assert_null (opened);
            if (!code_in (error->code, want_open ? want_open : want))
              g_error ("open: flip of byte %" G_GSIZE_FORMAT " bit %u gave %s (%s)", byte, bit,
                       fr_error_code_name (error->code), error->message);
          }
        g_clear_error (&error);
      }
  small_clear (&s);
}

static GBytes *
seal_raw (Keys                *keys,
          const guint8        *record_id,
          guint64              created_at,
          const guint8        *plaintext,
          gsize                len,
          const FrSealOptions *opts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrSecret) pt = fr_secret_new_from (plaintext, len);
  GBytes *env;

  env = _fr_envelope_seal_raw (record_id, created_at, pt, (const guint8 (*)[FR_KEY_SIZE]) keys->pks, 1,
                               keys->kiosk, opts, &error);
  g_assert_no_error (error);
  return env;
}

/* Plaintext for a record: u32 json_len, JSON, then @extra bytes of attachment data. */
static GByteArray *
plaintext_for (FrRecord *record,
               gsize     extra)
{
  const FrSecret *json = fr_record_get_json (record);
  GByteArray *pt = g_byte_array_new ();
  guint8 len_le[4];

  _fr_store_u32_le (len_le, json->len);
  g_byte_array_append (pt, len_le, 4);
  g_byte_array_append (pt, json->data, json->len);
  for (gsize i = 0; i < extra; i++)
    g_byte_array_append (pt, (const guint8 *) "\xa5", 1);
  return pt;
}

static void
expect_open_error (Keys   *keys,
                   GBytes *env,
                   int     code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (env, &len);

  /* Well signed: the queue accepts it; only opening finds the problem. */
  g_assert_true (fr_envelope_verify (data, len, keys->kiosk->pk, NULL, &error));
  g_assert_no_error (error);
  opened = fr_envelope_open (data, len, keys->staff[0]->recipient_pk, keys->staff[0]->recipient_sk,
                             keys->kiosk->pk, &error);
  g_assert_null (opened);
  g_assert_error (error, FR_ERROR, code);
  assert_one_line_error (error);
}

static void
test_crafted (void)
{
  g_autoptr(Keys) keys = keys_new ();
  g_autoptr(FrRecord) record = make_record ("crafted", (guint64[]) { 300 }, 1);
  g_autoptr(GByteArray) pt = plaintext_for (record, 300);
  const guint8 *id = fr_record_get_id (record);
  guint64 created = fr_record_get_created (record);
  FrSealOptions small_chunks = { .chunk_size = 100 };
  FrSealOptions early_final = { .chunk_size = 100, .final_chunk = 2 };
  FrSealOptions no_final = { .chunk_size = 100, .final_chunk = -1 };
  g_autoptr(GBytes) good = seal_raw (keys, id, created, pt->data, pt->len, &small_chunks);
  g_autoptr(GBytes) after_final = seal_raw (keys, id, created, pt->data, pt->len, &early_final);
  g_autoptr(GBytes) missing_final = seal_raw (keys, id, created, pt->data, pt->len, &no_final);
  g_autoptr(GError) error = NULL;
  guint8 other_id[FR_RECORD_ID_SIZE];

  /* Small chunks are legal: any chunking of 1..65536 bytes opens. */
  {
    g_autoptr(FrOpenedEnvelope) opened = NULL;

    opened = fr_envelope_open (g_bytes_get_data (good, NULL), g_bytes_get_size (good),
                               keys->staff[0]->recipient_pk, keys->staff[0]->recipient_sk, keys->kiosk->pk, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (opened->n_attachments, ==, 1);
    g_assert_cmpuint (opened->attachments[0]->len, ==, 300);
  }

  expect_open_error (keys, after_final, FR_ERROR_CHUNK_AFTER_FINAL);
  expect_open_error (keys, missing_final, FR_ERROR_MISSING_FINAL);

  /* JSON id ≠ record_id; created ≠ created_at */
  memcpy (other_id, id, sizeof other_id);
  other_id[15] ^= 1;
  {
    g_autoptr(GBytes) env = seal_raw (keys, other_id, created, pt->data, pt->len, NULL);
    expect_open_error (keys, env, FR_ERROR_ID_MISMATCH);
  }
  {
    g_autoptr(GBytes) env = seal_raw (keys, id, created + 1, pt->data, pt->len, NULL);
    expect_open_error (keys, env, FR_ERROR_CREATED_MISMATCH);
  }
  /* Attachment sizes that do not add up: one byte short and one byte over. */
  {
    g_autoptr(GBytes) env = seal_raw (keys, id, created, pt->data, pt->len - 1, NULL);
    expect_open_error (keys, env, FR_ERROR_ATTACHMENT_SIZE);
  }
  {
    g_autoptr(GByteArray) longer = plaintext_for (record, 301);
    g_autoptr(GBytes) env = seal_raw (keys, id, created, longer->data, longer->len, NULL);
    expect_open_error (keys, env, FR_ERROR_ATTACHMENT_SIZE);
  }
  /* JSON length larger than the body, over the limit, zero; the body ending inside JSON. */
  {
    g_autoptr(GByteArray) bad = g_byte_array_new ();
    guint8 len_le[4];

    _fr_store_u32_le (len_le, 1000);
    g_byte_array_append (bad, len_le, 4);
    g_byte_array_append (bad, (const guint8 *) "{}", 2);
    {
      g_autoptr(GBytes) env = seal_raw (keys, id, created, bad->data, bad->len, NULL);
      expect_open_error (keys, env, FR_ERROR_LENGTH_MISMATCH);
    }
    _fr_store_u32_le (bad->data, FR_ENVELOPE_MAX_JSON + 1);
    {
      g_autoptr(GBytes) env = seal_raw (keys, id, created, bad->data, bad->len, NULL);
      expect_open_error (keys, env, FR_ERROR_TOO_LARGE);
    }
    _fr_store_u32_le (bad->data, 0);
    {
      g_autoptr(GBytes) env = seal_raw (keys, id, created, bad->data, bad->len, NULL);
      expect_open_error (keys, env, FR_ERROR_LENGTH_MISMATCH);
    }
    g_byte_array_set_size (bad, 2);
    {
      g_autoptr(GBytes) env = seal_raw (keys, id, created, bad->data, bad->len, NULL);
      expect_open_error (keys, env, FR_ERROR_LENGTH_MISMATCH);
    }
  }
  /* JSON that is not a valid record. */
  {
    static const char junk[] = "{\"schema\":\"something-else\"}";
    g_autoptr(GByteArray) bad = g_byte_array_new ();
    guint8 len_le[4];

    _fr_store_u32_le (len_le, sizeof junk - 1);
    g_byte_array_append (bad, len_le, 4);
    g_byte_array_append (bad, (const guint8 *) junk, sizeof junk - 1);
    {
      g_autoptr(GBytes) env = seal_raw (keys, id, created, bad->data, bad->len, NULL);
      expect_open_error (keys, env, FR_ERROR_RECORD_INVALID);
    }
  }
}

static void
expect_structure_error (const guint8 *data,
                        gsize         len,
                        int           code)
{
  g_autoptr(GError) error = NULL;
  FrEnvelopeInfo info;

  g_assert_false (fr_envelope_inspect (data, len, &info, &error));
  g_assert_error (error, FR_ERROR, code);
  assert_one_line_error (error);
}

static void
test_structure (void)
{
  Small s;
  const guint8 *data;
  gsize len;

  small_init (&s);
  data = g_bytes_get_data (s.env, &len);

  /* trailing bytes */
  {
    g_autofree guint8 *longer = g_malloc (len + 1);

    memcpy (longer, data, len);
    longer[len] = 0;
    expect_structure_error (longer, len + 1, FR_ERROR_TRAILING_BYTES);
  }
  /* zero and seventeen recipients */
  {
    g_autofree guint8 *copy = g_memdup2 (data, len);

    copy[40] = 0;
    expect_structure_error (copy, len, FR_ERROR_RECIPIENT_COUNT);
    copy[40] = 17;
    expect_structure_error (copy, len, FR_ERROR_RECIPIENT_COUNT);
    copy[40] = 255;
    expect_structure_error (copy, len, FR_ERROR_RECIPIENT_COUNT);
  }
  /* bad magic, other version */
  {
    g_autofree guint8 *copy = g_memdup2 (data, len);

    copy[0] = 'X';
    expect_structure_error (copy, len, FR_ERROR_BAD_MAGIC);
    copy[0] = 'F';
    copy[7] = 2;
    expect_structure_error (copy, len, FR_ERROR_UNKNOWN_VERSION);
    expect_structure_error ((const guint8 *) "GIF89a", 6, FR_ERROR_BAD_MAGIC);
  }
  /* over the 8 MiB limit */
  {
    gsize big = FR_ENVELOPE_MAX_SIZE + 1;
    g_autofree guint8 *huge = g_malloc0 (big);

    memcpy (huge, data, len);
    expect_structure_error (huge, big, FR_ERROR_TOO_LARGE);
  }
  /* a chunk length over 64 KiB + tag, and one too small to hold data */
  {
    g_autofree guint8 *copy = g_memdup2 (data, len);
    FrEnvelopeInfo info;

    g_assert_true (fr_envelope_inspect (data, len, &info, NULL));
    _fr_store_u32_le (copy + info.header_len, FR_ENVELOPE_CHUNK_MAX + FR_ENVELOPE_CHUNK_OVERHEAD + 1);
    expect_structure_error (copy, len, FR_ERROR_TOO_LARGE);
    _fr_store_u32_le (copy + info.header_len, FR_ENVELOPE_CHUNK_OVERHEAD);
    expect_structure_error (copy, len, FR_ERROR_LENGTH_MISMATCH);
  }
  small_clear (&s);
}

/* Bytes that never were an envelope: none crashes, each is refused. */
static void
test_random_garbage (void)
{
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autoptr(FrStaffKey) staff = fr_staff_key_generate ();

  for (guint i = 0; i < 2000; i++)
    {
      gsize len = g_test_rand_int_range (0, 600);
      g_autofree guint8 *buf = g_malloc (len + 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(FrOpenedEnvelope) opened = NULL;
      FrEnvelopeInfo info;

      randombytes_buf (buf, len);
      if (i % 2 == 0 && len >= 8)
        memcpy (buf, FR_ENVELOPE_MAGIC, 8);
      if (i % 4 == 0 && len > 40)
        buf[40] = 1 + i % 16;
      g_assert_false (fr_envelope_verify (buf, len, kiosk->pk, &info, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
      opened = fr_envelope_open (buf, len, staff->recipient_pk, staff->recipient_sk, NULL, &error);
      g_assert_null (opened);
      g_assert_nonnull (error);
    }
}

#define OWN_VECTOR_RECORD \
  "{\"schema\":\"fristad.intake.v1\",\"id\":\"0b7e5f1c-2d3a-4e8b-9c6f-1a2b3c4d5e6f\"," \
  "\"created\":\"2026-11-28T21:00:00Z\",\"site\":\"demo-kommun\",\"channel\":\"hotline\"," \
  "\"volunteer\":\"vol-7\",\"language\":\"ro\",\"receipt\":\"1DZ5-Y71D\"," \
  "\"answers\":{\"needs\":[\"work\",\"documents\"],\"safe_now\":\"yes\"," \
  "\"contact\":\"phone\",\"message\":\"Am nevoie de ajutor. Pașaportul meu este la șef.\"}," \
  "\"consent\":{\"share\":true,\"text_version\":\"consent-2026-11\"}}"

/* FRISTAD_WRITE_VECTORS=DIR test-envelope: writes our own committed vector (fixed keys,
 * a record, the envelope) into DIR. Run once by hand; the test then checks the files. */
static int
write_own_vector (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autoptr(FrStaffKey) staff = fr_staff_key_generate ();
  g_autoptr(FrRecord) record = fr_record_parse (OWN_VECTOR_RECORD, strlen (OWN_VECTOR_RECORD), &error);
  g_autoptr(GBytes) env = NULL;
  g_autoptr(GString) keys = g_string_new ("# Test-only keys for fristad-envelope-1.frs. Never use them for anything else.\n[vector]\n");
  g_autofree char *kiosk_str = fr_key_string_format (FR_KEY_KIND_KIOSK, kiosk->pk);
  g_autofree char *recip_str = fr_key_string_format (FR_KEY_KIND_RECIPIENT, staff->recipient_pk);
  char hex[2 * FR_SIGN_SECRET_SIZE + 1];
  g_autofree char *p1 = g_build_filename (dir, "fristad-envelope-1.frs", NULL);
  g_autofree char *p2 = g_build_filename (dir, "fristad-envelope-1.keys", NULL);
  g_autofree char *p3 = g_build_filename (dir, "fristad-record-1.json", NULL);

  if (record == NULL)
    g_error ("%s", error->message);
  env = fr_envelope_seal (record, NULL, 0, (const guint8 (*)[FR_KEY_SIZE]) staff->recipient_pk, 1, kiosk, &error);
  if (env == NULL)
    g_error ("%s", error->message);
  g_string_append_printf (keys, "kiosk-public=%s\n", kiosk_str);
  g_string_append_printf (keys, "kiosk-secret-hex=%s\n",
                          sodium_bin2hex (hex, sizeof hex, kiosk->sk, FR_SIGN_SECRET_SIZE));
  g_string_append_printf (keys, "recipient-public=%s\n", recip_str);
  g_string_append_printf (keys, "recipient-secret-hex=%s\n",
                          sodium_bin2hex (hex, sizeof hex, staff->recipient_sk, FR_KEY_SIZE));
  if (!g_file_set_contents (p1, g_bytes_get_data (env, NULL), g_bytes_get_size (env), &error)
      || !g_file_set_contents (p2, keys->str, keys->len, &error)
      || !g_file_set_contents (p3, OWN_VECTOR_RECORD, strlen (OWN_VECTOR_RECORD), &error))
    g_error ("%s", error->message);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_assert_true (fr_init ());
  if (g_getenv ("FRISTAD_WRITE_VECTORS"))
    return write_own_vector (g_getenv ("FRISTAD_WRITE_VECTORS"));
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/envelope/vector/inspect", test_vector_inspect);
  g_test_add_func ("/envelope/vector/verify", test_vector_verify);
  g_test_add_func ("/envelope/vector/open", test_vector_open);
  g_test_add_func ("/envelope/vector/own", test_own_vector);
  g_test_add_func ("/envelope/round-trip/one-recipient", test_round_trip_one_recipient);
  g_test_add_func ("/envelope/round-trip/sixteen-recipients", test_round_trip_sixteen_recipients);
  g_test_add_func ("/envelope/round-trip/attachments", test_round_trip_attachments);
  g_test_add_func ("/envelope/round-trip/chunk-boundaries", test_round_trip_chunk_boundaries);
  g_test_add_func ("/envelope/round-trip/near-limit", test_round_trip_near_limit);
  g_test_add_func ("/envelope/seal/refusals", test_seal_refusals);
  g_test_add_func ("/envelope/malformed/truncation", test_truncation_every_offset);
  g_test_add_func ("/envelope/malformed/bit-flips", test_bit_flips);
  g_test_add_func ("/envelope/malformed/crafted", test_crafted);
  g_test_add_func ("/envelope/malformed/structure", test_structure);
  g_test_add_func ("/envelope/malformed/garbage", test_random_garbage);

  return g_test_run ();
}
