/* fuzz-envelope.c — Envelope v1 parsing and opening
 *
 * Input byte 0 picks the mode:
 *   even: the rest is an envelope — inspect, verify with the test kiosk key, open with the
 *         test recipient key with and without the kiosk key;
 *   odd:  the rest is body *plaintext* (u32 json_len, JSON, attachments), sealed with the
 *         test keys in chunks of (byte 1 × 257 + 1) bytes and opened again, which reaches
 *         the code past the AEAD that random envelopes cannot. The envelope's record_id and
 *         created_at are taken from the JSON when it parses as a record, so a well-formed
 *         plaintext gets past the id and created checks to the attachment sizes and bytes.
 * The keys are the test-only keys of tests/vectors/fristad-envelope-1.keys.
 *
 * In the replay build fuzz_replay_check() fails unless the seeds opened at least one
 * envelope whose attachments were all read back byte for byte.
 */
#define G_LOG_DOMAIN "fristad-fuzz"

#include "config.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "fr-envelope-private.h"
#include "fr-record.h"

#define KIOSK_SK_HEX "b67f82e595c75a64ed1953fb485995c680fba6d2a56b8a23c4e0e628751e09e0" \
                     "d017c7c2edfd822bb376a8123790ed067597f01df6680742d1eb1ec16f1bc744"
#define RECIPIENT_SK_HEX "7381c9a415f18dfbcfa5aae5122f9e28d874bfa98217f62cfa9ea534222dcf40"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int fuzz_replay_check (void);

/* What the plaintext mode reached, for fuzz_replay_check(). */
static guint n_plaintext_opened;
static guint n_attachments_matched;

static FrKioskKey *kiosk;
static guint8 recipient_pk[FR_KEY_SIZE];
static guint8 recipient_sk[FR_KEY_SIZE];

static void
setup (void)
{
  if (kiosk != NULL)
    return;
  g_assert_true (fr_init ());
  kiosk = fr_kiosk_key_generate ();
  g_assert_cmpint (sodium_hex2bin (kiosk->sk, sizeof kiosk->sk, KIOSK_SK_HEX, strlen (KIOSK_SK_HEX),
                                   NULL, NULL, NULL), ==, 0);
  crypto_sign_ed25519_sk_to_pk (kiosk->pk, kiosk->sk);
  g_assert_cmpint (sodium_hex2bin (recipient_sk, sizeof recipient_sk, RECIPIENT_SK_HEX,
                                   strlen (RECIPIENT_SK_HEX), NULL, NULL, NULL), ==, 0);
  crypto_scalarmult_base (recipient_pk, recipient_sk);
}

/* When @plaintext is given (the plaintext mode), an opened envelope's attachments must be
 * the bytes after the JSON, in order. */
static void
open_all_ways (const guint8   *data,
               gsize           size,
               const FrSecret *plaintext)
{
  FrEnvelopeInfo info;
  FrOpenedEnvelope *opened;
  GError *error = NULL;

  if (fr_envelope_inspect (data, size, &info, &error))
    g_assert_cmpuint (info.total_len, ==, size);
  else
    g_assert_nonnull (error);
  g_clear_error (&error);

  if (!fr_envelope_verify (data, size, kiosk->pk, &info, &error))
    g_assert_nonnull (error);
  g_clear_error (&error);

  opened = fr_envelope_open (data, size, recipient_pk, recipient_sk, kiosk->pk, &error);
  g_assert_true ((opened == NULL) == (error != NULL));
  if (opened != NULL && plaintext != NULL)
    {
      gsize pos = 4 + fr_record_get_json (opened->record)->len;

      n_plaintext_opened++;
      g_assert_cmpuint (opened->n_attachments, ==, fr_record_get_n_attachments (opened->record));
      for (guint i = 0; i < opened->n_attachments; i++)
        {
          g_assert_cmpuint (pos + opened->attachments[i]->len, <=, plaintext->len);
          g_assert_cmpmem (opened->attachments[i]->data, opened->attachments[i]->len,
                           plaintext->data + pos, opened->attachments[i]->len);
          pos += opened->attachments[i]->len;
          n_attachments_matched++;
        }
      g_assert_cmpuint (pos, ==, plaintext->len);
    }
  g_clear_pointer (&opened, fr_opened_envelope_free);
  g_clear_error (&error);

  opened = fr_envelope_open (data, size, recipient_pk, recipient_sk, NULL, &error);
  g_assert_true ((opened == NULL) == (error != NULL));
  g_clear_pointer (&opened, fr_opened_envelope_free);
  g_clear_error (&error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  setup ();
  if (size == 0)
    {
      open_all_ways (data, 0, NULL);
      return 0;
    }

  if ((data[0] & 1) == 0)
    open_all_ways (data + 1, size - 1, NULL);
  else if (size >= 2)
    {
      guint8 record_id[FR_RECORD_ID_SIZE] = { 0x0b, 0x7e, 0x5f, 0x1c, 0x2d, 0x3a, 0x4e, 0x8b,
                                              0x9c, 0x6f, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f };
      guint64 created_at = 1795892400;
      FrSealOptions opts = { .chunk_size = (gsize) data[1] * 257 + 1 };
      FrSecret *plaintext = fr_secret_new_from (data + 2, size - 2);
      GError *error = NULL;
      GBytes *env;

      /* The id and created time the JSON claims, so that the checks past them run. */
      if (plaintext->len >= 4)
        {
          guint32 json_len = (guint32) plaintext->data[0] | (guint32) plaintext->data[1] << 8
                             | (guint32) plaintext->data[2] << 16 | (guint32) plaintext->data[3] << 24;
          FrRecord *record = NULL;

          if (json_len > 0 && json_len <= plaintext->len - 4 && json_len <= FR_ENVELOPE_MAX_JSON)
            record = fr_record_parse ((const char *) plaintext->data + 4, json_len, NULL);
          if (record != NULL)
            {
              memcpy (record_id, fr_record_get_id (record), FR_RECORD_ID_SIZE);
              if (fr_record_get_created (record) >= 0)
                created_at = (guint64) fr_record_get_created (record);
            }
          g_clear_pointer (&record, fr_record_free);
        }

      env = _fr_envelope_seal_raw (record_id, created_at, plaintext, (const guint8 (*)[FR_KEY_SIZE]) recipient_pk,
                                   1, kiosk, &opts, &error);
      if (env != NULL)
        open_all_ways (g_bytes_get_data (env, NULL), g_bytes_get_size (env), plaintext);
      g_clear_error (&error);
      g_clear_pointer (&env, g_bytes_unref);
      fr_secret_free (plaintext);
    }
  return 0;
}

int
fuzz_replay_check (void)
{
  g_print ("fuzz-envelope: %u plaintext envelopes opened, %u attachments read back\n",
           n_plaintext_opened, n_attachments_matched);
  if (n_plaintext_opened == 0 || n_attachments_matched == 0)
    {
      g_printerr ("fuzz-envelope: no seed reached the attachment code\n");
      return 1;
    }
  return 0;
}
