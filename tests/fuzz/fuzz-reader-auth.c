/* fuzz-reader-auth.c — the reader Authorization header (intake/fr-reader-auth.c)
 *
 * Input byte 0 picks the mode:
 *   even: the rest (up to a NUL) is a header value. Whatever parses must be the one
 *         canonical text of its fields, and a header the check accepts must carry a
 *         signature that verifies over METHOD "\n" PATH "\n" TS, checked here without
 *         the library's own signed_message().
 *   odd:  a valid header is built with a fixed test reader key; the rest is (position,
 *         byte) edits applied to it. The check accepts it only if the edits left it
 *         exactly as built, and reports a revoked reader only for that same text.
 * In the replay build fuzz_replay_check() fails unless the seeds include a header that
 * parses, one whose signature verifies, an unedited built header and a refused edit.
 */
#define G_LOG_DOMAIN "fristad-fuzz"

#include "config.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "fr-intake.h"
#include "fr-reader-auth.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int fuzz_replay_check (void);

/* What the seeds reached, for fuzz_replay_check(). */
static guint n_parsed, n_signed, n_edits_accepted, n_edits_refused;

#define METHOD "GET"
#define PATH   "/v1/envelopes?after=0&limit=100"
#define NOW    G_GINT64_CONSTANT (1800000000)

static guint8 reader_pk[FR_KEY_SIZE];
static guint8 reader_sk[FR_SIGN_SECRET_SIZE];

static void
setup (void)
{
  static gboolean done;
  guint8 seed[crypto_sign_SEEDBYTES];

  if (done)
    return;
  g_assert_true (fr_init ());
  memset (seed, 0x5a, sizeof seed);
  crypto_sign_seed_keypair (reader_pk, reader_sk, seed);
  done = TRUE;
}

static FrReaderLookupResult
lookup_found (const guint8 kid[FR_KID_SIZE],
              guint8       pk[FR_KEY_SIZE],
              gpointer     user_data)
{
  gboolean revoked = GPOINTER_TO_INT (user_data);
  guint8 want[FR_KID_SIZE];

  fr_kid_compute (reader_pk, want);
  if (memcmp (kid, want, FR_KID_SIZE) != 0)
    return FR_READER_LOOKUP_UNKNOWN;
  memcpy (pk, reader_pk, FR_KEY_SIZE);
  return revoked ? FR_READER_LOOKUP_REVOKED : FR_READER_LOOKUP_FOUND;
}

/* Any key id is "enrolled" with the test key: the signature is what decides. */
static FrReaderLookupResult
lookup_any (const guint8 kid[FR_KID_SIZE],
            guint8       pk[FR_KEY_SIZE],
            gpointer     user_data)
{
  memcpy (pk, reader_pk, FR_KEY_SIZE);
  return FR_READER_LOOKUP_FOUND;
}

static void
check_raw (const char *header)
{
  FrReaderAuth auth;
  GError *error = NULL;
  FrReaderAuthStatus status;

  if (fr_reader_auth_parse (header, &auth, &error))
    {
      char kid_hex[FR_KID_HEX_LEN + 1];
      char sig_b64[FR_READER_AUTH_SIG_B64LEN + 1];
      g_autofree char *canonical = NULL;

      g_assert_no_error (error);
      n_parsed++;
      g_assert_cmpint (auth.ts, >=, 0);
      for (guint i = 0; i < FR_KID_SIZE; i++)
        g_snprintf (kid_hex + 2 * i, 3, "%02x", auth.kid[i]);
      sodium_bin2base64 (sig_b64, sizeof sig_b64, auth.sig, sizeof auth.sig,
                         sodium_base64_VARIANT_ORIGINAL);
      canonical = g_strdup_printf ("Fristad-Reader kid=%s,ts=%" G_GINT64_FORMAT ",sig=%s",
                                   kid_hex, auth.ts, sig_b64);
      g_assert_cmpstr (canonical, ==, header);

      /* At the header's own time, with its key id known: only a real signature passes. */
      status = fr_reader_auth_check (header, METHOD, PATH, auth.ts, lookup_any, NULL, NULL);
      if (status == FR_READER_AUTH_OK)
        {
          g_autofree char *msg = g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT, METHOD, PATH, auth.ts);

          g_assert_cmpint (crypto_sign_verify_detached (auth.sig, (const guint8 *) msg, strlen (msg),
                                                        reader_pk), ==, 0);
          n_signed++;
        }
      else
        g_assert_cmpint (status, ==, FR_READER_AUTH_BAD_SIGNATURE);
    }
  else
    {
      g_assert_error (error, FR_ERROR, FR_ERROR_REJECTED);
      g_clear_error (&error);
      status = fr_reader_auth_check (header, METHOD, PATH, NOW, lookup_any, NULL, NULL);
      g_assert_cmpint (status, ==, FR_READER_AUTH_MALFORMED);
      g_assert_cmpuint (fr_reader_auth_status_http (status), ==, 401);
    }
}

static void
check_edited (const uint8_t *edits,
              size_t         n)
{
  g_autofree char *built = fr_reader_auth_build (reader_pk, reader_sk, METHOD, PATH, NOW);
  g_autofree char *header = g_strdup (built);
  gsize len = strlen (header);
  FrReaderAuthStatus status, revoked;

  for (size_t i = 0; i + 1 < n; i += 2)
    header[edits[i] % len] = (char) edits[i + 1];

  status = fr_reader_auth_check (header, METHOD, PATH, NOW, lookup_found, GINT_TO_POINTER (FALSE), NULL);
  revoked = fr_reader_auth_check (header, METHOD, PATH, NOW, lookup_found, GINT_TO_POINTER (TRUE), NULL);
  if (strcmp (header, built) == 0)
    {
      g_assert_cmpint (status, ==, FR_READER_AUTH_OK);
      g_assert_cmpint (revoked, ==, FR_READER_AUTH_REVOKED_READER);
      n_edits_accepted++;
      /* The same header for another request, or far from its time, is refused. */
      g_assert_cmpint (fr_reader_auth_check (header, "POST", PATH, NOW, lookup_found, NULL, NULL),
                       ==, FR_READER_AUTH_BAD_SIGNATURE);
      g_assert_cmpint (fr_reader_auth_check (header, METHOD, "/v1/envelopes", NOW, lookup_found, NULL, NULL),
                       ==, FR_READER_AUTH_BAD_SIGNATURE);
      g_assert_cmpint (fr_reader_auth_check (header, METHOD, PATH, NOW + FR_READER_AUTH_WINDOW + 1,
                                             lookup_found, NULL, NULL), ==, FR_READER_AUTH_EXPIRED);
    }
  else
    {
      g_assert_cmpint (status, !=, FR_READER_AUTH_OK);
      g_assert_cmpint (revoked, !=, FR_READER_AUTH_OK);
      n_edits_refused++;
      g_assert_cmpint (revoked, !=, FR_READER_AUTH_REVOKED_READER);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  setup ();
  if (size == 0)
    {
      g_assert_cmpint (fr_reader_auth_check (NULL, METHOD, PATH, NOW, lookup_any, NULL, NULL),
                       ==, FR_READER_AUTH_MISSING);
      return 0;
    }
  if ((data[0] & 1) == 0)
    {
      g_autofree char *header = g_strndup ((const char *) data + 1, size - 1);

      check_raw (header);
    }
  else
    check_edited (data + 1, size - 1);
  return 0;
}

int
fuzz_replay_check (void)
{
  g_print ("fuzz-reader-auth: %u parsed, %u signed, %u built accepted, %u edits refused\n",
           n_parsed, n_signed, n_edits_accepted, n_edits_refused);
  return n_parsed > 0 && n_signed > 0 && n_edits_accepted > 0 && n_edits_refused > 0 ? 0 : 1;
}
