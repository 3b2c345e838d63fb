#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include "fr-error.h"

G_DEFINE_QUARK (fristad-error-quark, fr_error)

const char *
fr_error_code_name (int code)
{
  switch ((FrError) code)
    {
    case FR_ERROR_BAD_MAGIC: return "bad-magic";
    case FR_ERROR_UNKNOWN_VERSION: return "unknown-version";
    case FR_ERROR_RECIPIENT_COUNT: return "recipient-count";
    case FR_ERROR_TRUNCATED: return "truncated";
    case FR_ERROR_LENGTH_MISMATCH: return "length-mismatch";
    case FR_ERROR_TRAILING_BYTES: return "trailing-bytes";
    case FR_ERROR_TOO_LARGE: return "too-large";
    case FR_ERROR_CHUNK_AFTER_FINAL: return "chunk-after-final";
    case FR_ERROR_MISSING_FINAL: return "missing-final";
    case FR_ERROR_UNKNOWN_KIOSK: return "unknown-kiosk";
    case FR_ERROR_BAD_SIGNATURE: return "bad-signature";
    case FR_ERROR_NOT_RECIPIENT: return "not-recipient";
    case FR_ERROR_DECRYPT: return "decrypt";
    case FR_ERROR_ID_MISMATCH: return "id-mismatch";
    case FR_ERROR_CREATED_MISMATCH: return "created-mismatch";
    case FR_ERROR_ATTACHMENT_SIZE: return "attachment-size";
    case FR_ERROR_RECORD_SYNTAX: return "record-syntax";
    case FR_ERROR_RECORD_INVALID: return "record-invalid";
    case FR_ERROR_BAD_KEY: return "bad-key";
    case FR_ERROR_BAD_KEY_FILE: return "bad-key-file";
    case FR_ERROR_WRONG_PASSPHRASE: return "wrong-passphrase";
    case FR_ERROR_DATABASE: return "database";
    case FR_ERROR_NOT_FOUND: return "not-found";
    case FR_ERROR_IO: return "io";
    case FR_ERROR_CONFIG: return "config";
    case FR_ERROR_NETWORK: return "network";
    case FR_ERROR_REJECTED: return "rejected";
    default: return "unknown";
    }
}
