/* fr-envelope.h — Envelope v1: seal, sign, inspect, verify, open
 *
 * The header is the file format (DESIGN.md "Envelope v1"; choices it leaves open are in
 * intake/ENVELOPE.md):
 *
 *   magic 8 | kiosk_kid 8 | record_id 16 | created_at 8 | n_recips 1
 *   | n × (kid 8 | crypto_box_seal(file_key) 80) | ss_header 24 | body_len 8
 *   body: chunks of (u32 clen | clen bytes of secretstream ciphertext)
 *   signature 64 (Ed25519 over header | body)
 *
 * Every length is checked before any crypto runs. The body is processed in chunks of at
 * most 64 KiB of plaintext, written straight into the destination buffer, so an envelope
 * is never held in memory more than once beside its plaintext.
 */
#pragma once

#include <glib.h>

#include "fr-keys.h"
#include "fr-record.h"
#include "fr-secret.h"

G_BEGIN_DECLS

#define FR_ENVELOPE_MAGIC            "FRSTENV\x01"
#define FR_ENVELOPE_MAGIC_SIZE       8
#define FR_ENVELOPE_VERSION          0x01
#define FR_ENVELOPE_FIXED_SIZE       41   /* magic, kiosk_kid, record_id, created_at, n_recips */
#define FR_ENVELOPE_RECIPIENT_SIZE   88   /* kid 8 + crypto_box_seal of a 32-byte key (80) */
#define FR_ENVELOPE_SS_HEADER_SIZE   24
#define FR_ENVELOPE_BODY_LEN_SIZE    8
#define FR_ENVELOPE_CHUNK_LEN_SIZE   4
#define FR_ENVELOPE_CHUNK_MAX        65536u
#define FR_ENVELOPE_CHUNK_OVERHEAD   17   /* crypto_secretstream_xchacha20poly1305_ABYTES */
#define FR_ENVELOPE_SIGNATURE_SIZE   64
#define FR_ENVELOPE_MAX_RECIPIENTS   16
#define FR_ENVELOPE_MAX_SIZE         (8u * 1024u * 1024u)
#define FR_ENVELOPE_MAX_JSON         FR_RECORD_MAX_JSON

typedef struct
{
  guint8  kiosk_kid[FR_KID_SIZE];
  guint8  record_id[FR_RECORD_ID_SIZE];
  guint64 created_at;
  guint   n_recipients;
  guint8  recipient_kids[FR_ENVELOPE_MAX_RECIPIENTS][FR_KID_SIZE];
  gsize   header_len;   /* bytes from magic to body_len inclusive */
  guint64 body_len;     /* bytes of body (chunk lengths and ciphertext) */
  guint   n_chunks;
  gsize   total_len;    /* header + body + signature */
} FrEnvelopeInfo;

typedef struct
{
  FrRecord *record;                                 /* validated, id and created checked */
  guint     n_attachments;
  FrSecret *attachments[FR_RECORD_MAX_ATTACHMENTS]; /* in the order the JSON lists them */
} FrOpenedEnvelope;

gsize             fr_envelope_sealed_size   (guint                    n_recipients,
                                             gsize                    plaintext_len);

GBytes           *fr_envelope_seal          (const FrRecord          *record,
                                             const FrSecret * const  *attachments,
                                             guint                    n_attachments,
                                             const guint8           (*recipient_pks)[FR_KEY_SIZE],
                                             guint                    n_recipients,
                                             const FrKioskKey        *kiosk,
                                             GError                 **error);

gboolean          fr_envelope_inspect       (const guint8            *data,
                                             gsize                    len,
                                             FrEnvelopeInfo          *info,
                                             GError                 **error);

gboolean          fr_envelope_verify        (const guint8            *data,
                                             gsize                    len,
                                             const guint8             kiosk_pk[FR_KEY_SIZE],
                                             FrEnvelopeInfo          *info,
                                             GError                 **error);

FrOpenedEnvelope *fr_envelope_open          (const guint8            *data,
                                             gsize                    len,
                                             const guint8             recipient_pk[FR_KEY_SIZE],
                                             const guint8             recipient_sk[FR_KEY_SIZE],
                                             const guint8            *kiosk_pk,
                                             GError                 **error);

void              fr_opened_envelope_free   (FrOpenedEnvelope        *opened);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrOpenedEnvelope, fr_opened_envelope_free)

G_END_DECLS
