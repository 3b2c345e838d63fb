/* fr-error.h — the intake library's error domain
 *
 * One code per distinct failure. Messages are one line, name what was wrong and never
 * contain record content, passphrases or secret keys.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FR_ERROR (fr_error_quark ())

typedef enum
{
  /* Envelope structure */
  FR_ERROR_BAD_MAGIC = 1,        /* first 7 bytes are not "FRSTENV" */
  FR_ERROR_UNKNOWN_VERSION,      /* format version byte is not 0x01 */
  FR_ERROR_RECIPIENT_COUNT,      /* n_recips is 0 or more than 16 */
  FR_ERROR_TRUNCATED,            /* input ends before a field it announces */
  FR_ERROR_LENGTH_MISMATCH,      /* body_len, chunk lengths or sizes do not add up */
  FR_ERROR_TRAILING_BYTES,       /* bytes after the signature */
  FR_ERROR_TOO_LARGE,            /* over 8 MiB envelope, 256 KiB JSON or a chunk over 64 KiB */
  FR_ERROR_CHUNK_AFTER_FINAL,    /* a chunk follows the one tagged FINAL */
  FR_ERROR_MISSING_FINAL,        /* the last chunk is not tagged FINAL */
  /* Envelope crypto */
  FR_ERROR_UNKNOWN_KIOSK,        /* kiosk_kid does not match the kiosk key given */
  FR_ERROR_BAD_SIGNATURE,        /* Ed25519 signature does not verify */
  FR_ERROR_NOT_RECIPIENT,        /* no recipient slot opens with this key */
  FR_ERROR_DECRYPT,              /* a chunk fails authentication */
  /* Envelope content */
  FR_ERROR_ID_MISMATCH,          /* JSON id is not record_id */
  FR_ERROR_CREATED_MISMATCH,     /* JSON created is not created_at */
  FR_ERROR_ATTACHMENT_SIZE,      /* attachment sizes do not add up to the body */
  /* Record JSON */
  FR_ERROR_RECORD_SYNTAX,        /* not JSON, not an object, not UTF-8 */
  FR_ERROR_RECORD_INVALID,       /* a field is missing, of the wrong type or not allowed */
  /* Keys */
  FR_ERROR_BAD_KEY,              /* key string malformed or of the wrong kind */
  FR_ERROR_BAD_KEY_FILE,         /* key file malformed */
  FR_ERROR_WRONG_PASSPHRASE,     /* key file does not open with this passphrase */
  /* Storage and I/O */
  FR_ERROR_DATABASE,             /* SQLite failure */
  FR_ERROR_NOT_FOUND,            /* no such record / row */
  FR_ERROR_IO,                   /* file system failure */
  FR_ERROR_CONFIG,               /* site configuration is broken */
  FR_ERROR_NETWORK,              /* HTTP transport failure */
  FR_ERROR_REJECTED,             /* the peer refused permanently */
} FrError;

GQuark fr_error_quark (void);

const char *fr_error_code_name (int code);

G_END_DECLS
