/* fr-reader-auth.h — the reader Authorization header of the queue HTTP API v1
 *
 *   Authorization: Fristad-Reader kid=HEX16,ts=UNIX,sig=B64
 *
 * kid is the reader key's key id in lowercase hex, ts the client's clock in Unix seconds
 * (decimal, no sign, no leading zeros), sig the Ed25519 signature (RFC 4648 base64 with
 * padding, 88 characters) over METHOD "\n" PATH_WITH_QUERY "\n" TS, where PATH_WITH_QUERY
 * is exactly the request target of the request line (e.g. "/v1/envelopes?after=0&limit=100")
 * and TS is the ts field as written. Parsing is strict: exactly this text, one space after
 * the scheme, the three fields in this order, nothing before or after. See intake/QUEUE.md.
 */
#pragma once

#include <glib.h>

#include "fr-keys.h"

G_BEGIN_DECLS

#define FR_READER_AUTH_SCHEME     "Fristad-Reader"
#define FR_READER_AUTH_WINDOW     300   /* seconds either side of the server clock */
#define FR_READER_AUTH_SIG_B64LEN 88    /* base64 of 64 bytes, with padding */

typedef enum
{
  FR_READER_AUTH_OK = 0,
  FR_READER_AUTH_MISSING,          /* 401: no Authorization header */
  FR_READER_AUTH_MALFORMED,        /* 401: not exactly the format above */
  FR_READER_AUTH_EXPIRED,          /* 401: ts more than 300 s from the server clock */
  FR_READER_AUTH_UNKNOWN_READER,   /* 403: kid is not an enrolled reader */
  FR_READER_AUTH_BAD_SIGNATURE,    /* 403: signature does not verify with the reader's key */
  FR_READER_AUTH_REVOKED_READER,   /* 403: correctly signed by a revoked reader */
  FR_READER_AUTH_LOOKUP_FAILED,    /* 503: the key store could not be read */
} FrReaderAuthStatus;

typedef enum
{
  FR_READER_LOOKUP_FOUND,
  FR_READER_LOOKUP_UNKNOWN,
  FR_READER_LOOKUP_REVOKED,        /* pk must still be filled in */
  FR_READER_LOOKUP_FAILED,
} FrReaderLookupResult;

typedef struct
{
  guint8 kid[FR_KID_SIZE];
  gint64 ts;
  char   ts_text[24];              /* the ts field exactly as written */
  guint8 sig[64];
} FrReaderAuth;

/* Finds the reader whose key id is @kid and copies its public key to @pk. */
typedef FrReaderLookupResult (*FrReaderLookupFunc) (const guint8  kid[FR_KID_SIZE],
                                                    guint8        pk[FR_KEY_SIZE],
                                                    gpointer      user_data);

char               *fr_reader_auth_build        (const guint8        reader_pk[FR_KEY_SIZE],
                                                 const guint8        reader_sk[FR_SIGN_SECRET_SIZE],
                                                 const char         *method,
                                                 const char         *path_with_query,
                                                 gint64              now);

gboolean            fr_reader_auth_parse        (const char         *header_value,
                                                 FrReaderAuth       *auth,
                                                 GError            **error);

FrReaderAuthStatus  fr_reader_auth_check        (const char         *header_value,
                                                 const char         *method,
                                                 const char         *path_with_query,
                                                 gint64              now,
                                                 FrReaderLookupFunc  lookup,
                                                 gpointer            user_data,
                                                 guint8              kid_out[FR_KID_SIZE]);

const char         *fr_reader_auth_status_name  (FrReaderAuthStatus  status);
guint               fr_reader_auth_status_http  (FrReaderAuthStatus  status);

G_END_DECLS
