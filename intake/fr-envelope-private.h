/* fr-envelope-private.h — sealing with knobs, for tests and fuzzers only */
#pragma once

#include "fr-envelope.h"

G_BEGIN_DECLS

typedef struct
{
  gsize chunk_size;   /* plaintext bytes per chunk; 0 = FR_ENVELOPE_CHUNK_MAX */
  int   final_chunk;  /* 0 = the last chunk is FINAL (correct); N > 0 = chunk N (1-based) is
                       * FINAL instead; -1 = no chunk is FINAL */
} FrSealOptions;

GBytes *_fr_envelope_seal_raw (const guint8              record_id[FR_RECORD_ID_SIZE],
                               guint64                   created_at,
                               const FrSecret           *plaintext,
                               const guint8            (*recipient_pks)[FR_KEY_SIZE],
                               guint                     n_recipients,
                               const FrKioskKey         *kiosk,
                               const FrSealOptions      *opts,
                               GError                  **error);

G_END_DECLS
