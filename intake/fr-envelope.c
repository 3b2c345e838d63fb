/* fr-envelope.c — Envelope v1: seal, sign, inspect, verify, open
 *
 * Every length is checked by fr_envelope_inspect() before any crypto runs. Sealing writes
 * each chunk straight into the one output buffer; opening decrypts each chunk into a
 * 64 KiB guarded buffer and distributes its bytes to the record JSON and the attachments,
 * so neither direction ever holds more than the envelope and its plaintext once.
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "fr-bytes-private.h"
#include "fr-envelope-private.h"
#include "fr-error.h"

G_STATIC_ASSERT (FR_ENVELOPE_CHUNK_OVERHEAD == crypto_secretstream_xchacha20poly1305_ABYTES);
G_STATIC_ASSERT (FR_ENVELOPE_SS_HEADER_SIZE == crypto_secretstream_xchacha20poly1305_HEADERBYTES);
G_STATIC_ASSERT (FR_ENVELOPE_RECIPIENT_SIZE == FR_KID_SIZE + crypto_box_SEALBYTES + 32);
G_STATIC_ASSERT (FR_ENVELOPE_SIGNATURE_SIZE == crypto_sign_BYTES);
G_STATIC_ASSERT (crypto_secretstream_xchacha20poly1305_KEYBYTES == 32);

#define FILE_KEY_SIZE       crypto_secretstream_xchacha20poly1305_KEYBYTES
#define SEALED_KEY_SIZE     (crypto_box_SEALBYTES + FILE_KEY_SIZE)
#define OFFSET_KIOSK_KID    8
#define OFFSET_RECORD_ID    16
#define OFFSET_CREATED_AT   32
#define OFFSET_N_RECIPS     40
#define OFFSET_RECIPIENTS   41
#define MIN_CHUNK_LEN       (1 + FR_ENVELOPE_CHUNK_OVERHEAD)
#define MAX_CHUNK_LEN       (FR_ENVELOPE_CHUNK_MAX + FR_ENVELOPE_CHUNK_OVERHEAD)
#define JSON_LEN_SIZE       4

/* Per-thread scratch space in guarded memory for the file key and one chunk of plaintext:
 * allocated once (sodium_malloc costs several system calls), wiped after every use. */
typedef struct
{
  guint8 file_key[FILE_KEY_SIZE];
  guint8 chunk[FR_ENVELOPE_CHUNK_MAX + FR_ENVELOPE_CHUNK_OVERHEAD];
} Scratch;

static void
scratch_free (gpointer data)
{
  sodium_free (data);
}

static GPrivate scratch_private = G_PRIVATE_INIT (scratch_free);

static Scratch *
scratch_get (void)
{
  Scratch *scratch = g_private_get (&scratch_private);

  if (scratch == NULL)
    {
      scratch = sodium_malloc (sizeof *scratch);
      if (scratch == NULL)
        g_error ("out of guarded memory");
      g_private_set (&scratch_private, scratch);
    }
  return scratch;
}

static void
scratch_wipe (Scratch *scratch)
{
  sodium_memzero (scratch, sizeof *scratch);
}

static gsize
header_size (guint n_recipients)
{
  return FR_ENVELOPE_FIXED_SIZE
         + (gsize) n_recipients * FR_ENVELOPE_RECIPIENT_SIZE
         + FR_ENVELOPE_SS_HEADER_SIZE
         + FR_ENVELOPE_BODY_LEN_SIZE;
}

static guint64
body_size (guint64 plaintext_len)
{
  guint64 n_chunks = (plaintext_len + FR_ENVELOPE_CHUNK_MAX - 1) / FR_ENVELOPE_CHUNK_MAX;

  return plaintext_len + n_chunks * (FR_ENVELOPE_CHUNK_LEN_SIZE + FR_ENVELOPE_CHUNK_OVERHEAD);
}

/**
 * fr_envelope_sealed_size:
 * @n_recipients: 1..16
 * @plaintext_len: bytes of body plaintext (u32 json_len, JSON, attachments)
 *
 * Returns: the exact size of the envelope fr_envelope_seal() writes for this plaintext,
 *   or 0 if @plaintext_len is 0 or the result would overflow.
 */
gsize
fr_envelope_sealed_size (guint n_recipients,
                         gsize plaintext_len)
{
  if (plaintext_len == 0 || plaintext_len > G_MAXSIZE / 2)
    return 0;
  return header_size (n_recipients) + body_size (plaintext_len) + FR_ENVELOPE_SIGNATURE_SIZE;
}

/* A plaintext body, in pieces: the 4-byte JSON length, the JSON, each attachment. */
typedef struct
{
  guint         n_pieces;
  const guint8 *data[2 + FR_RECORD_MAX_ATTACHMENTS];
  gsize         len[2 + FR_RECORD_MAX_ATTACHMENTS];
  guint         piece;
  gsize         offset;
} PieceReader;

static gsize
piece_reader_read (PieceReader *reader,
                   guint8      *out,
                   gsize        want)
{
  gsize done = 0;

  while (done < want && reader->piece < reader->n_pieces)
    {
      gsize left = reader->len[reader->piece] - reader->offset;
      gsize take = MIN (left, want - done);

      if (take > 0)
        memcpy (out + done, reader->data[reader->piece] + reader->offset, take);
      done += take;
      reader->offset += take;
      if (reader->offset == reader->len[reader->piece])
        {
          reader->piece++;
          reader->offset = 0;
        }
    }
  return done;
}

/* The one sealing implementation. @opts may change chunking and tags so tests can build
 * envelopes that are well signed but malformed inside. */
static GBytes *
seal_pieces (const guint8              record_id[FR_RECORD_ID_SIZE],
             guint64                   created_at,
             PieceReader              *reader,
             guint64                   plaintext_len,
             const guint8            (*recipient_pks)[FR_KEY_SIZE],
             guint                     n_recipients,
             const FrKioskKey         *kiosk,
             const FrSealOptions      *opts,
             GError                  **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  gsize chunk_size = opts && opts->chunk_size ? opts->chunk_size : FR_ENVELOPE_CHUNK_MAX;
  guint64 n_chunks, body_len;
  Scratch *scratch;
  guint8 *file_key;
  guint8 *chunk;
  guint8 *out = NULL;
  gsize hlen, total, pos;
  GBytes *result = NULL;

  g_assert (chunk_size > 0 && chunk_size <= FR_ENVELOPE_CHUNK_MAX);

  if (n_recipients == 0 || n_recipients > FR_ENVELOPE_MAX_RECIPIENTS)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_RECIPIENT_COUNT,
                   "an envelope needs 1 to %d recipients, not %u",
                   FR_ENVELOPE_MAX_RECIPIENTS, n_recipients);
      return NULL;
    }

  hlen = header_size (n_recipients);
  n_chunks = (plaintext_len + chunk_size - 1) / chunk_size;
  body_len = plaintext_len + n_chunks * (FR_ENVELOPE_CHUNK_LEN_SIZE + FR_ENVELOPE_CHUNK_OVERHEAD);
  if (plaintext_len == 0 || plaintext_len > FR_ENVELOPE_MAX_SIZE
      || hlen + body_len + FR_ENVELOPE_SIGNATURE_SIZE > FR_ENVELOPE_MAX_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TOO_LARGE,
                   "the envelope would be larger than the limit of %u bytes",
                   FR_ENVELOPE_MAX_SIZE);
      return NULL;
    }
  total = hlen + body_len + FR_ENVELOPE_SIGNATURE_SIZE;

  out = g_malloc (total);
  scratch = scratch_get ();
  file_key = scratch->file_key;
  chunk = scratch->chunk;
  crypto_secretstream_xchacha20poly1305_keygen (file_key);

  /* Header */
  memcpy (out, FR_ENVELOPE_MAGIC, FR_ENVELOPE_MAGIC_SIZE);
  fr_kid_compute (kiosk->pk, out + OFFSET_KIOSK_KID);
  memcpy (out + OFFSET_RECORD_ID, record_id, FR_RECORD_ID_SIZE);
  _fr_store_u64_le (out + OFFSET_CREATED_AT, created_at);
  out[OFFSET_N_RECIPS] = (guint8) n_recipients;
  pos = OFFSET_RECIPIENTS;
  for (guint i = 0; i < n_recipients; i++)
    {
      fr_kid_compute (recipient_pks[i], out + pos);
      if (crypto_box_seal (out + pos + FR_KID_SIZE, file_key, FILE_KEY_SIZE, recipient_pks[i]) != 0)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY,
                       "recipient key %u cannot be used for sealing", i + 1);
          goto out;
        }
      pos += FR_ENVELOPE_RECIPIENT_SIZE;
    }
  crypto_secretstream_xchacha20poly1305_init_push (&state, out + pos, file_key);
  pos += FR_ENVELOPE_SS_HEADER_SIZE;
  _fr_store_u64_le (out + pos, body_len);
  pos += FR_ENVELOPE_BODY_LEN_SIZE;
  g_assert (pos == hlen);

  /* Body: the first chunk's additional data is the whole header. */
  for (guint64 left = plaintext_len, index = 0; left > 0; index++)
    {
      gsize plen = MIN (left, chunk_size);
      gboolean first = pos == hlen;
      unsigned long long clen = 0;
      gboolean final;

      if (piece_reader_read (reader, chunk, plen) != plen)
        g_assert_not_reached ();
      left -= plen;
      if (opts != NULL && opts->final_chunk != 0)
        final = opts->final_chunk > 0 && index + 1 == (guint64) opts->final_chunk;
      else
        final = left == 0;
      crypto_secretstream_xchacha20poly1305_push (&state,
                                                  out + pos + FR_ENVELOPE_CHUNK_LEN_SIZE, &clen,
                                                  chunk, plen,
                                                  first ? out : NULL, first ? hlen : 0,
                                                  final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                                        : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
      g_assert (clen == plen + FR_ENVELOPE_CHUNK_OVERHEAD);
      _fr_store_u32_le (out + pos, (guint32) clen);
      pos += FR_ENVELOPE_CHUNK_LEN_SIZE + clen;
    }

  /* Signature over header ‖ body */
  crypto_sign_detached (out + pos, NULL, out, pos, kiosk->sk);
  pos += FR_ENVELOPE_SIGNATURE_SIZE;
  g_assert (pos == total);

  result = g_bytes_new_take (g_steal_pointer (&out), total);

out:
  sodium_memzero (&state, sizeof state);
  scratch_wipe (scratch);
  g_free (out);
  return result;
}

GBytes *
_fr_envelope_seal_raw (const guint8              record_id[FR_RECORD_ID_SIZE],
                       guint64                   created_at,
                       const FrSecret           *plaintext,
                       const guint8            (*recipient_pks)[FR_KEY_SIZE],
                       guint                     n_recipients,
                       const FrKioskKey         *kiosk,
                       const FrSealOptions      *opts,
                       GError                  **error)
{
  PieceReader reader = { 0 };

  reader.data[0] = plaintext->data;
  reader.len[0] = plaintext->len;
  reader.n_pieces = 1;
  return seal_pieces (record_id, created_at, &reader, plaintext->len,
                      recipient_pks, n_recipients, kiosk, opts, error);
}

/**
 * fr_envelope_seal:
 * @record: a validated record
 * @attachments: (array length=n_attachments): the attachment bytes, in the record's order
 * @n_attachments: must equal the record's attachment count
 * @recipient_pks: (array length=n_recipients): X25519 public keys of the staff recipients
 * @n_recipients: 1..16
 * @kiosk: the kiosk's signing key
 * @error: return location for a #GError
 *
 * Encrypts the record and its attachments to every recipient and signs the result.
 *
 * Returns: (transfer full): the envelope bytes, or %NULL with @error set.
 */
GBytes *
fr_envelope_seal (const FrRecord          *record,
                  const FrSecret * const  *attachments,
                  guint                    n_attachments,
                  const guint8           (*recipient_pks)[FR_KEY_SIZE],
                  guint                    n_recipients,
                  const FrKioskKey        *kiosk,
                  GError                 **error)
{
  const FrSecret *json;
  PieceReader reader = { 0 };
  guint8 json_len_le[JSON_LEN_SIZE];
  guint64 plaintext_len;
  GBytes *result;

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (n_attachments == 0 || attachments != NULL, NULL);
  g_return_val_if_fail (recipient_pks != NULL || n_recipients == 0, NULL);
  g_return_val_if_fail (kiosk != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  json = fr_record_get_json (record);
  if (json->len == 0 || json->len > FR_ENVELOPE_MAX_JSON)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TOO_LARGE,
                   "record JSON is %" G_GSIZE_FORMAT " bytes; the limit is %u",
                   json->len, FR_ENVELOPE_MAX_JSON);
      return NULL;
    }

  if (n_attachments != fr_record_get_n_attachments (record))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_ATTACHMENT_SIZE,
                   "the record lists %u attachments but %u were given",
                   fr_record_get_n_attachments (record), n_attachments);
      return NULL;
    }

  _fr_store_u32_le (json_len_le, (guint32) json->len);
  plaintext_len = JSON_LEN_SIZE + json->len;
  reader.data[0] = json_len_le;
  reader.len[0] = JSON_LEN_SIZE;
  reader.data[1] = json->data;
  reader.len[1] = json->len;
  reader.n_pieces = 2;

  for (guint i = 0; i < n_attachments; i++)
    {
      const FrAttachmentInfo *info = fr_record_get_attachment (record, i);

      if (attachments[i] == NULL || attachments[i]->len != info->size)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_ATTACHMENT_SIZE,
                       "attachment %u is %" G_GSIZE_FORMAT " bytes but the record says %" G_GUINT64_FORMAT,
                       i + 1, attachments[i] ? attachments[i]->len : 0, info->size);
          return NULL;
        }
      plaintext_len += attachments[i]->len;
      reader.data[reader.n_pieces] = attachments[i]->data;
      reader.len[reader.n_pieces] = attachments[i]->len;
      reader.n_pieces++;
    }

  result = seal_pieces (fr_record_get_id (record), (guint64) fr_record_get_created (record),
                        &reader, plaintext_len, recipient_pks, n_recipients, kiosk, NULL, error);
  sodium_memzero (json_len_le, sizeof json_len_le);
  return result;
}

/**
 * fr_envelope_inspect:
 * @data: envelope bytes
 * @len: length of @data
 * @info: (out): the header fields and layout
 * @error: return location for a #GError
 *
 * Checks the envelope's structure — magic, version, recipient count, every length, the
 * chunk layout, trailing bytes — without any key and without any crypto.
 *
 * Returns: %TRUE if the structure is sound.
 */
gboolean
fr_envelope_inspect (const guint8    *data,
                     gsize            len,
                     FrEnvelopeInfo  *info,
                     GError         **error)
{
  gsize hlen, pos, body_end;
  guint64 body_len;
  guint n;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (info, 0, sizeof *info);

  if (len == 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_TRUNCATED, "envelope is empty");
      return FALSE;
    }
  if (memcmp (data, FR_ENVELOPE_MAGIC, MIN (len, FR_ENVELOPE_MAGIC_SIZE - 1)) != 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_BAD_MAGIC,
                           "not a Fristad envelope (bad magic)");
      return FALSE;
    }
  if (len >= FR_ENVELOPE_MAGIC_SIZE && data[FR_ENVELOPE_MAGIC_SIZE - 1] != FR_ENVELOPE_VERSION)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_UNKNOWN_VERSION,
                   "unknown envelope version %u (this program reads version %u)",
                   data[FR_ENVELOPE_MAGIC_SIZE - 1], FR_ENVELOPE_VERSION);
      return FALSE;
    }
  if (len > FR_ENVELOPE_MAX_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TOO_LARGE,
                   "envelope is %" G_GSIZE_FORMAT " bytes; the limit is %u",
                   len, FR_ENVELOPE_MAX_SIZE);
      return FALSE;
    }
  if (len < FR_ENVELOPE_FIXED_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TRUNCATED,
                   "envelope is truncated in its header (%" G_GSIZE_FORMAT " bytes)", len);
      return FALSE;
    }

  n = data[OFFSET_N_RECIPS];
  if (n == 0 || n > FR_ENVELOPE_MAX_RECIPIENTS)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_RECIPIENT_COUNT,
                   "envelope names %u recipients; 1 to %d are allowed",
                   n, FR_ENVELOPE_MAX_RECIPIENTS);
      return FALSE;
    }

  hlen = header_size (n);
  if (len < hlen)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TRUNCATED,
                   "envelope is truncated in its header (%" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes)",
                   len, hlen);
      return FALSE;
    }

  body_len = _fr_load_u64_le (data + hlen - FR_ENVELOPE_BODY_LEN_SIZE);
  if (body_len > FR_ENVELOPE_MAX_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_LENGTH_MISMATCH,
                   "body length %" G_GUINT64_FORMAT " is larger than any envelope may be", body_len);
      return FALSE;
    }
  if (body_len < FR_ENVELOPE_CHUNK_LEN_SIZE + MIN_CHUNK_LEN)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_LENGTH_MISMATCH,
                   "body length %" G_GUINT64_FORMAT " is too small for one chunk", body_len);
      return FALSE;
    }
  if (len - hlen < body_len + FR_ENVELOPE_SIGNATURE_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TRUNCATED,
                   "envelope is truncated (%" G_GSIZE_FORMAT " of %" G_GUINT64_FORMAT " bytes)",
                   len, hlen + body_len + FR_ENVELOPE_SIGNATURE_SIZE);
      return FALSE;
    }

  /* Walk the chunk lengths: they must tile the body exactly. */
  body_end = hlen + (gsize) body_len;
  pos = hlen;
  info->n_chunks = 0;
  while (pos < body_end)
    {
      guint32 clen;

      if (body_end - pos < FR_ENVELOPE_CHUNK_LEN_SIZE)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_LENGTH_MISMATCH,
                       "chunk %u's length field crosses the end of the body", info->n_chunks + 1);
          return FALSE;
        }
      clen = _fr_load_u32_le (data + pos);
      if (clen > MAX_CHUNK_LEN)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_TOO_LARGE,
                       "chunk %u is %u bytes; the limit is %u",
                       info->n_chunks + 1, clen, MAX_CHUNK_LEN);
          return FALSE;
        }
      if (clen < MIN_CHUNK_LEN)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_LENGTH_MISMATCH,
                       "chunk %u is %u bytes, too small to hold any data",
                       info->n_chunks + 1, clen);
          return FALSE;
        }
      pos += FR_ENVELOPE_CHUNK_LEN_SIZE;
      if (body_end - pos < clen)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_LENGTH_MISMATCH,
                       "chunk %u runs past the end of the body", info->n_chunks + 1);
          return FALSE;
        }
      pos += clen;
      info->n_chunks++;
    }

  if (len - body_end > FR_ENVELOPE_SIGNATURE_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TRAILING_BYTES,
                   "%" G_GSIZE_FORMAT " unexpected bytes after the signature",
                   len - body_end - FR_ENVELOPE_SIGNATURE_SIZE);
      return FALSE;
    }

  memcpy (info->kiosk_kid, data + OFFSET_KIOSK_KID, FR_KID_SIZE);
  memcpy (info->record_id, data + OFFSET_RECORD_ID, FR_RECORD_ID_SIZE);
  info->created_at = _fr_load_u64_le (data + OFFSET_CREATED_AT);
  info->n_recipients = n;
  for (guint i = 0; i < n; i++)
    memcpy (info->recipient_kids[i], data + OFFSET_RECIPIENTS + (gsize) i * FR_ENVELOPE_RECIPIENT_SIZE,
            FR_KID_SIZE);
  info->header_len = hlen;
  info->body_len = body_len;
  info->total_len = len;
  return TRUE;
}

/**
 * fr_envelope_verify:
 * @data: envelope bytes
 * @len: length of @data
 * @kiosk_pk: the Ed25519 public key of the kiosk that should have signed it
 * @info: (out) (optional): the header fields
 * @error: return location for a #GError
 *
 * Checks the structure, that the envelope names this kiosk, and the kiosk's signature
 * over header and body. Needs no secret key: this is what the queue runs.
 *
 * Returns: %TRUE if the envelope is sound and signed by @kiosk_pk.
 */
gboolean
fr_envelope_verify (const guint8    *data,
                    gsize            len,
                    const guint8     kiosk_pk[FR_KEY_SIZE],
                    FrEnvelopeInfo  *info,
                    GError         **error)
{
  FrEnvelopeInfo local;
  guint8 kid[FR_KID_SIZE];
  gsize signed_len;

  g_return_val_if_fail (kiosk_pk != NULL, FALSE);

  if (info == NULL)
    info = &local;
  if (!fr_envelope_inspect (data, len, info, error))
    return FALSE;

  fr_kid_compute (kiosk_pk, kid);
  if (memcmp (kid, info->kiosk_kid, FR_KID_SIZE) != 0)
    {
      char want[FR_KID_HEX_LEN + 1], got[FR_KID_HEX_LEN + 1];

      fr_kid_to_hex (kid, want);
      fr_kid_to_hex (info->kiosk_kid, got);
      g_set_error (error, FR_ERROR, FR_ERROR_UNKNOWN_KIOSK,
                   "envelope was signed by kiosk key %s, not by %s", got, want);
      return FALSE;
    }

  signed_len = info->header_len + (gsize) info->body_len;
  if (crypto_sign_verify_detached (data + signed_len, data, signed_len, kiosk_pk) != 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_BAD_SIGNATURE,
                           "the kiosk signature does not verify: the envelope was altered or forged");
      return FALSE;
    }
  return TRUE;
}

/* Where decrypted body bytes go: the JSON length, the JSON, then each attachment. */
typedef struct
{
  FrOpenedEnvelope *opened;
  const FrEnvelopeInfo *info;
  guint64 plaintext_len;
  guint8 json_len_le[JSON_LEN_SIZE];
  gsize json_len_have;
  FrSecret *json;
  gsize json_have;
  guint attachment;
  gsize attachment_have;
} Sink;

static gboolean
sink_json_complete (Sink    *sink,
                    GError **error)
{
  FrRecord *record;
  guint64 attachments_len = 0;
  guint n;

  record = fr_record_parse_secret (g_steal_pointer (&sink->json), error);
  if (record == NULL)
    return FALSE;
  sink->opened->record = record;

  if (memcmp (fr_record_get_id (record), sink->info->record_id, FR_RECORD_ID_SIZE) != 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_ID_MISMATCH,
                           "the record's id is not the envelope's record_id");
      return FALSE;
    }
  if (fr_record_get_created (record) < 0
      || (guint64) fr_record_get_created (record) != sink->info->created_at)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_CREATED_MISMATCH,
                           "the record's created time is not the envelope's created_at");
      return FALSE;
    }

  n = fr_record_get_n_attachments (record);
  for (guint i = 0; i < n; i++)
    attachments_len += fr_record_get_attachment (record, i)->size;
  if (JSON_LEN_SIZE + (guint64) fr_record_get_json (record)->len + attachments_len != sink->plaintext_len)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_ATTACHMENT_SIZE,
                   "the record's %u attachment sizes do not add up to the body", n);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    sink->opened->attachments[i] = fr_secret_new (fr_record_get_attachment (record, i)->size);
  sink->opened->n_attachments = n;
  return TRUE;
}

static gboolean
sink_write (Sink          *sink,
            const guint8  *p,
            gsize          n,
            GError       **error)
{
  while (n > 0)
    {
      gsize take;

      if (sink->json_len_have < JSON_LEN_SIZE)
        {
          take = MIN (n, JSON_LEN_SIZE - sink->json_len_have);
          memcpy (sink->json_len_le + sink->json_len_have, p, take);
          sink->json_len_have += take;
          if (sink->json_len_have == JSON_LEN_SIZE)
            {
              guint32 json_len = _fr_load_u32_le (sink->json_len_le);

              if (json_len == 0)
                {
                  g_set_error_literal (error, FR_ERROR, FR_ERROR_LENGTH_MISMATCH,
                                       "the record JSON is empty");
                  return FALSE;
                }
              if (json_len > FR_ENVELOPE_MAX_JSON)
                {
                  g_set_error (error, FR_ERROR, FR_ERROR_TOO_LARGE,
                               "record JSON is %u bytes; the limit is %u",
                               json_len, FR_ENVELOPE_MAX_JSON);
                  return FALSE;
                }
              if (JSON_LEN_SIZE + (guint64) json_len > sink->plaintext_len)
                {
                  g_set_error (error, FR_ERROR, FR_ERROR_LENGTH_MISMATCH,
                               "record JSON length %u is longer than the body", json_len);
                  return FALSE;
                }
              sink->json = fr_secret_new (json_len);
            }
        }
      else if (sink->json != NULL)
        {
          take = MIN (n, sink->json->len - sink->json_have);
          memcpy (sink->json->data + sink->json_have, p, take);
          sink->json_have += take;
          if (sink->json_have == sink->json->len && !sink_json_complete (sink, error))
            return FALSE;
        }
      else
        {
          FrSecret *att;

          /* sink_json_complete() made the attachment sizes add up to the body. */
          g_assert (sink->attachment < sink->opened->n_attachments);
          att = sink->opened->attachments[sink->attachment];
          take = MIN (n, att->len - sink->attachment_have);
          memcpy (att->data + sink->attachment_have, p, take);
          sink->attachment_have += take;
          if (sink->attachment_have == att->len)
            {
              sink->attachment++;
              sink->attachment_have = 0;
            }
        }
      p += take;
      n -= take;
    }
  return TRUE;
}

static gboolean
open_file_key (const guint8          *data,
               const FrEnvelopeInfo  *info,
               const guint8           recipient_pk[FR_KEY_SIZE],
               const guint8           recipient_sk[FR_KEY_SIZE],
               guint8                *file_key,
               GError               **error)
{
  guint8 kid[FR_KID_SIZE];

  fr_kid_compute (recipient_pk, kid);
  for (guint i = 0; i < info->n_recipients; i++)
    {
      const guint8 *slot = data + OFFSET_RECIPIENTS + (gsize) i * FR_ENVELOPE_RECIPIENT_SIZE;

      if (memcmp (slot, kid, FR_KID_SIZE) != 0)
        continue;
      if (crypto_box_seal_open (file_key, slot + FR_KID_SIZE, SEALED_KEY_SIZE,
                                recipient_pk, recipient_sk) == 0)
        return TRUE;
    }

  {
    char hex[FR_KID_HEX_LEN + 1];

    fr_kid_to_hex (kid, hex);
    g_set_error (error, FR_ERROR, FR_ERROR_NOT_RECIPIENT,
                 "this envelope is not addressed to recipient key %s", hex);
  }
  return FALSE;
}

/**
 * fr_envelope_open:
 * @data: envelope bytes
 * @len: length of @data
 * @recipient_pk: the recipient's X25519 public key
 * @recipient_sk: the recipient's X25519 secret key
 * @kiosk_pk: (nullable): if given, the envelope is verified against this kiosk key first
 * @error: return location for a #GError
 *
 * Decrypts an envelope. The record JSON is validated and must carry the envelope's
 * record_id and created_at; the attachments must add up to the body exactly. Without
 * @kiosk_pk the header and body are still authenticated by the secretstream, but the
 * signature is not checked.
 *
 * Returns: (transfer full): the record and its attachments in guarded memory.
 */
FrOpenedEnvelope *
fr_envelope_open (const guint8    *data,
                  gsize            len,
                  const guint8     recipient_pk[FR_KEY_SIZE],
                  const guint8     recipient_sk[FR_KEY_SIZE],
                  const guint8    *kiosk_pk,
                  GError         **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  FrEnvelopeInfo info;
  Sink sink = { 0 };
  Scratch *scratch;
  guint8 *file_key;
  guint8 *chunk;
  gboolean ok = FALSE;
  gsize pos, body_end;
  guint index = 0;

  g_return_val_if_fail (recipient_pk != NULL, NULL);
  g_return_val_if_fail (recipient_sk != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (kiosk_pk != NULL)
    {
      if (!fr_envelope_verify (data, len, kiosk_pk, &info, error))
        return NULL;
    }
  else if (!fr_envelope_inspect (data, len, &info, error))
    return NULL;

  scratch = scratch_get ();
  file_key = scratch->file_key;
  chunk = scratch->chunk;

  if (!open_file_key (data, &info, recipient_pk, recipient_sk, file_key, error))
    goto out;

  if (crypto_secretstream_xchacha20poly1305_init_pull (&state,
                                                       data + info.header_len - FR_ENVELOPE_BODY_LEN_SIZE
                                                            - FR_ENVELOPE_SS_HEADER_SIZE,
                                                       file_key) != 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_DECRYPT, "the body's stream header is invalid");
      goto out;
    }

  opened = g_new0 (FrOpenedEnvelope, 1);
  sink.opened = opened;
  sink.info = &info;
  sink.plaintext_len = info.body_len
                       - (guint64) info.n_chunks * (FR_ENVELOPE_CHUNK_LEN_SIZE + FR_ENVELOPE_CHUNK_OVERHEAD);

  body_end = info.header_len + (gsize) info.body_len;
  for (pos = info.header_len; pos < body_end; index++)
    {
      guint32 clen = _fr_load_u32_le (data + pos);   /* checked by fr_envelope_inspect() */
      gboolean first = pos == info.header_len;
      gboolean last;
      unsigned long long plen = 0;
      guint8 tag = 0;

      if (crypto_secretstream_xchacha20poly1305_pull (&state, chunk, &plen, &tag,
                                                      data + pos + FR_ENVELOPE_CHUNK_LEN_SIZE, clen,
                                                      first ? data : NULL, first ? info.header_len : 0) != 0)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_DECRYPT,
                       "chunk %u does not authenticate: the envelope was altered", index + 1);
          goto out;
        }
      pos += FR_ENVELOPE_CHUNK_LEN_SIZE + clen;
      last = pos == body_end;

      if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL && !last)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_CHUNK_AFTER_FINAL,
                       "chunk %u follows the final chunk", index + 2);
          goto out;
        }
      if (last && tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        {
          g_set_error_literal (error, FR_ERROR, FR_ERROR_MISSING_FINAL,
                               "the body ends without its final chunk");
          goto out;
        }
      if (!sink_write (&sink, chunk, plen, error))
        goto out;
    }

  if (opened->record == NULL)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_LENGTH_MISMATCH,
                           "the body ends inside the record JSON");
      goto out;
    }
  ok = TRUE;

out:
  sodium_memzero (&state, sizeof state);
  scratch_wipe (scratch);
  g_clear_pointer (&sink.json, fr_secret_free);
  if (!ok)
    return NULL;
  return g_steal_pointer (&opened);
}

void
fr_opened_envelope_free (FrOpenedEnvelope *opened)
{
  if (opened == NULL)
    return;
  g_clear_pointer (&opened->record, fr_record_free);
  for (guint i = 0; i < G_N_ELEMENTS (opened->attachments); i++)
    g_clear_pointer (&opened->attachments[i], fr_secret_free);
  g_free (opened);
}
