#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "fr-error.h"
#include "fr-reader-auth.h"

#define PREFIX     FR_READER_AUTH_SCHEME " kid="
#define TS_MAX_LEN 18   /* keeps every accepted value far inside gint64 */

static char *
signed_message (const char *method,
                const char *path_with_query,
                const char *ts_text,
                gsize      *len)
{
  char *msg = g_strconcat (method, "\n", path_with_query, "\n", ts_text, NULL);

  *len = strlen (msg);
  return msg;
}

/**
 * fr_reader_auth_build:
 * @reader_pk: the reader's Ed25519 public key
 * @reader_sk: the reader's Ed25519 secret key
 * @method: the request method, e.g. "GET"
 * @path_with_query: the request target exactly as it will be sent
 * @now: the client clock, Unix seconds
 *
 * Returns: (transfer full): the value of the Authorization header, starting with
 *   "Fristad-Reader ".
 */
char *
fr_reader_auth_build (const guint8  reader_pk[FR_KEY_SIZE],
                      const guint8  reader_sk[FR_SIGN_SECRET_SIZE],
                      const char   *method,
                      const char   *path_with_query,
                      gint64        now)
{
  guint8 kid[FR_KID_SIZE];
  char kid_hex[FR_KID_HEX_LEN + 1];
  char ts_text[24];
  guint8 sig[crypto_sign_BYTES];
  char sig_b64[FR_READER_AUTH_SIG_B64LEN + 1];
  g_autofree char *msg = NULL;
  gsize msg_len;

  g_return_val_if_fail (reader_pk != NULL, NULL);
  g_return_val_if_fail (reader_sk != NULL, NULL);
  g_return_val_if_fail (method != NULL && *method != '\0' && strchr (method, '\n') == NULL, NULL);
  g_return_val_if_fail (path_with_query != NULL && path_with_query[0] == '/', NULL);
  g_return_val_if_fail (strchr (path_with_query, '\n') == NULL, NULL);
  g_return_val_if_fail (now >= 0, NULL);

  if (sodium_init () < 0)
    return NULL;

  fr_kid_compute (reader_pk, kid);
  for (guint i = 0; i < FR_KID_SIZE; i++)
    g_snprintf (kid_hex + 2 * i, 3, "%02x", kid[i]);
  g_snprintf (ts_text, sizeof ts_text, "%" G_GINT64_FORMAT, now);

  msg = signed_message (method, path_with_query, ts_text, &msg_len);
  crypto_sign_detached (sig, NULL, (const guint8 *) msg, msg_len, reader_sk);
  sodium_bin2base64 (sig_b64, sizeof sig_b64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);

  return g_strconcat (PREFIX, kid_hex, ",ts=", ts_text, ",sig=", sig_b64, NULL);
}

static gboolean
malformed (GError    **error,
           const char *what)
{
  g_set_error (error, FR_ERROR, FR_ERROR_REJECTED,
               "Authorization header: %s", what);
  return FALSE;
}

/**
 * fr_reader_auth_parse:
 * @header_value: the whole Authorization header value
 * @auth: (out caller-allocates): the parsed fields
 * @error: return location for a #GError (%FR_ERROR_REJECTED)
 *
 * Strictly parses a reader Authorization header; checks neither time nor signature.
 */
gboolean
fr_reader_auth_parse (const char    *header_value,
                      FrReaderAuth  *auth,
                      GError       **error)
{
  const char *p;
  gsize ts_len = 0;
  gsize bin_len = 0;
  const char *b64_end = NULL;
  char check[FR_READER_AUTH_SIG_B64LEN + 1];

  g_return_val_if_fail (header_value != NULL, FALSE);
  g_return_val_if_fail (auth != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (auth, 0, sizeof *auth);

  if (!g_str_has_prefix (header_value, FR_READER_AUTH_SCHEME " "))
    return malformed (error, "scheme is not " FR_READER_AUTH_SCHEME);
  if (!g_str_has_prefix (header_value, PREFIX))
    return malformed (error, "kid field missing");
  p = header_value + strlen (PREFIX);

  for (guint i = 0; i < FR_KID_SIZE; i++)
    {
      int hi = g_ascii_isxdigit (p[0]) && !g_ascii_isupper (p[0]) ? g_ascii_xdigit_value (p[0]) : -1;
      int lo = hi >= 0 && g_ascii_isxdigit (p[1]) && !g_ascii_isupper (p[1]) ? g_ascii_xdigit_value (p[1]) : -1;

      if (hi < 0 || lo < 0)
        return malformed (error, "kid is not 16 lowercase hex digits");
      auth->kid[i] = (guint8) (hi << 4 | lo);
      p += 2;
    }

  if (!g_str_has_prefix (p, ",ts="))
    return malformed (error, "ts field missing");
  p += strlen (",ts=");
  while (g_ascii_isdigit (p[ts_len]))
    ts_len++;
  if (ts_len == 0 || ts_len > TS_MAX_LEN || (p[0] == '0' && ts_len > 1))
    return malformed (error, "ts is not a Unix time in decimal");
  memcpy (auth->ts_text, p, ts_len);
  auth->ts_text[ts_len] = '\0';
  auth->ts = g_ascii_strtoll (auth->ts_text, NULL, 10);
  p += ts_len;

  if (!g_str_has_prefix (p, ",sig="))
    return malformed (error, "sig field missing");
  p += strlen (",sig=");
  if (strlen (p) != FR_READER_AUTH_SIG_B64LEN)
    return malformed (error, "sig is not 88 characters of base64");
  if (sodium_base642bin (auth->sig, sizeof auth->sig, p, FR_READER_AUTH_SIG_B64LEN,
                         NULL, &bin_len, &b64_end, sodium_base64_VARIANT_ORIGINAL) != 0
      || bin_len != sizeof auth->sig
      || b64_end != p + FR_READER_AUTH_SIG_B64LEN)
    return malformed (error, "sig is not base64 of 64 bytes");

  /* Only the canonical encoding is accepted. */
  sodium_bin2base64 (check, sizeof check, auth->sig, sizeof auth->sig, sodium_base64_VARIANT_ORIGINAL);
  if (strcmp (check, p) != 0)
    return malformed (error, "sig is not canonical base64");

  return TRUE;
}

/**
 * fr_reader_auth_check:
 * @header_value: (nullable): the Authorization header value, %NULL if absent
 * @method: the request method
 * @path_with_query: the request target as received
 * @now: the server clock, Unix seconds
 * @lookup: finds a reader's public key by key id
 * @user_data: for @lookup
 * @kid_out: (out caller-allocates) (optional): the key id presented, once parsed
 *
 * Checks, in this order: present (401), well formed (401), ts within
 * %FR_READER_AUTH_WINDOW seconds of @now (401), kid enrolled (403), signature (403),
 * not revoked (403). Revocation is reported only for a correctly signed request.
 */
FrReaderAuthStatus
fr_reader_auth_check (const char         *header_value,
                      const char         *method,
                      const char         *path_with_query,
                      gint64              now,
                      FrReaderLookupFunc  lookup,
                      gpointer            user_data,
                      guint8              kid_out[FR_KID_SIZE])
{
  FrReaderAuth auth;
  guint8 pk[FR_KEY_SIZE];
  FrReaderLookupResult found;
  g_autofree char *msg = NULL;
  gsize msg_len;

  g_return_val_if_fail (method != NULL, FR_READER_AUTH_MALFORMED);
  g_return_val_if_fail (path_with_query != NULL, FR_READER_AUTH_MALFORMED);
  g_return_val_if_fail (lookup != NULL, FR_READER_AUTH_LOOKUP_FAILED);

  if (header_value == NULL)
    return FR_READER_AUTH_MISSING;
  if (!fr_reader_auth_parse (header_value, &auth, NULL))
    return FR_READER_AUTH_MALFORMED;
  if (kid_out != NULL)
    memcpy (kid_out, auth.kid, FR_KID_SIZE);

  if (auth.ts > now + FR_READER_AUTH_WINDOW || auth.ts < now - FR_READER_AUTH_WINDOW)
    return FR_READER_AUTH_EXPIRED;

  found = lookup (auth.kid, pk, user_data);
  switch (found)
    {
    case FR_READER_LOOKUP_FOUND:
    case FR_READER_LOOKUP_REVOKED:
      break;
    case FR_READER_LOOKUP_UNKNOWN:
      return FR_READER_AUTH_UNKNOWN_READER;
    case FR_READER_LOOKUP_FAILED:
    default:
      return FR_READER_AUTH_LOOKUP_FAILED;
    }

  if (sodium_init () < 0)
    return FR_READER_AUTH_LOOKUP_FAILED;

  msg = signed_message (method, path_with_query, auth.ts_text, &msg_len);
  if (crypto_sign_verify_detached (auth.sig, (const guint8 *) msg, msg_len, pk) != 0)
    return FR_READER_AUTH_BAD_SIGNATURE;

  return found == FR_READER_LOOKUP_REVOKED ? FR_READER_AUTH_REVOKED_READER : FR_READER_AUTH_OK;
}

/**
 * fr_reader_auth_status_name:
 *
 * Returns: the short name used in the JSON error body, e.g. "expired-authorization".
 */
const char *
fr_reader_auth_status_name (FrReaderAuthStatus status)
{
  switch (status)
    {
    case FR_READER_AUTH_OK: return "ok";
    case FR_READER_AUTH_MISSING: return "missing-authorization";
    case FR_READER_AUTH_MALFORMED: return "malformed-authorization";
    case FR_READER_AUTH_EXPIRED: return "expired-authorization";
    case FR_READER_AUTH_UNKNOWN_READER: return "unknown-reader";
    case FR_READER_AUTH_BAD_SIGNATURE: return "bad-signature";
    case FR_READER_AUTH_REVOKED_READER: return "revoked-reader";
    case FR_READER_AUTH_LOOKUP_FAILED: return "storage-unavailable";
    default: return "unknown";
    }
}

/**
 * fr_reader_auth_status_http:
 *
 * Returns: the HTTP status the queue answers with for @status (200 for OK).
 */
guint
fr_reader_auth_status_http (FrReaderAuthStatus status)
{
  switch (status)
    {
    case FR_READER_AUTH_OK: return 200;
    case FR_READER_AUTH_MISSING:
    case FR_READER_AUTH_MALFORMED:
    case FR_READER_AUTH_EXPIRED: return 401;
    case FR_READER_AUTH_UNKNOWN_READER:
    case FR_READER_AUTH_BAD_SIGNATURE:
    case FR_READER_AUTH_REVOKED_READER: return 403;
    case FR_READER_AUTH_LOOKUP_FAILED:
    default: return 503;
    }
}
