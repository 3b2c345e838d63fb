/* What the reader Authorization header signs (intake/fr-reader-auth.c): a known answer
 * for the message "METHOD\nPATH_WITH_QUERY\nTS" written out literally, and the fields an
 * attacker could edit without the key (the ts above all). The parsing and the order of
 * the checks are tested in tests/integration/test-reader-auth.c. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "fr-intake.h"
#include "fr-reader-auth.h"

#define NOW G_GINT64_CONSTANT (1795000000)
#define DAY G_GINT64_CONSTANT (86400)

/* The known answer was computed outside libsodium and outside Fristad, with Python's
 * cryptography package (OpenSSL's Ed25519):
 *
 *   from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
 *   k = Ed25519PrivateKey.from_private_bytes (bytes (range (32)))
 *   base64.b64encode (k.sign (b"GET\n/v1/envelopes?after=0&limit=100\n1795000000"))
 *
 * and the kid as hashlib.blake2b (pk, digest_size=32).digest ()[:8].hex (). */
#define KAT_PK_HEX  "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
#define KAT_KID_HEX "9d24e2eeaf27c2a0"
#define KAT_METHOD  "GET"
#define KAT_PATH    "/v1/envelopes?after=0&limit=100"
#define KAT_MESSAGE "GET\n/v1/envelopes?after=0&limit=100\n1795000000"
#define KAT_SIG_B64 "xwS+CVSzpATCCpT72Jo9KDs46Zsou/lrvXMxZA4TjUTvFoA4nJaxBq7AG9cTVQNazuPBVZFi3sPVpotUJanXBQ=="

typedef struct
{
  guint8 pk[FR_KEY_SIZE];
  guint8 kid[FR_KID_SIZE];
} Reader;

static FrReaderLookupResult
lookup_fn (const guint8  kid[FR_KID_SIZE],
           guint8        pk[FR_KEY_SIZE],
           gpointer      user_data)
{
  Reader *r = user_data;

  if (memcmp (kid, r->kid, FR_KID_SIZE) != 0)
    return FR_READER_LOOKUP_UNKNOWN;
  memcpy (pk, r->pk, FR_KEY_SIZE);
  return FR_READER_LOOKUP_FOUND;
}

/* The fixed reader key: the Ed25519 seed 00 01 02 .. 1f. */
static void
kat_key (guint8  pk[FR_KEY_SIZE],
         guint8 *sk)
{
  guint8 seed[crypto_sign_SEEDBYTES];

  for (guint i = 0; i < sizeof seed; i++)
    seed[i] = (guint8) i;
  g_assert_cmpint (crypto_sign_seed_keypair (pk, sk, seed), ==, 0);
  sodium_memzero (seed, sizeof seed);
}

static char *
replace (const char *s,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (s, from, 2);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  return g_strjoin (to, parts[0], parts[1], NULL);
}

static void
test_known_answer (void)
{
  guint8 pk[FR_KEY_SIZE];
  guint8 *sk = sodium_malloc (FR_SIGN_SECRET_SIZE);
  guint8 expected_pk[FR_KEY_SIZE];
  guint8 sig[crypto_sign_BYTES];
  gsize sig_len = 0;
  guint8 kid[FR_KID_SIZE];
  char kid_hex[FR_KID_HEX_LEN + 1];
  g_autofree char *header = NULL;
  Reader r;

  G_STATIC_ASSERT (FR_SIGN_SECRET_SIZE == crypto_sign_SECRETKEYBYTES);
  g_assert_nonnull (sk);
  kat_key (pk, sk);
  g_assert_cmpint (sodium_hex2bin (expected_pk, sizeof expected_pk, KAT_PK_HEX, strlen (KAT_PK_HEX),
                                   NULL, NULL, NULL), ==, 0);
  g_assert_cmpmem (pk, sizeof pk, expected_pk, sizeof expected_pk);
  fr_kid_compute (pk, kid);
  fr_kid_to_hex (kid, kid_hex);
  g_assert_cmpstr (kid_hex, ==, KAT_KID_HEX);

  /* The header is exactly the known answer ... */
  header = fr_reader_auth_build (pk, sk, KAT_METHOD, KAT_PATH, NOW);
  g_assert_cmpstr (header, ==, "Fristad-Reader kid=" KAT_KID_HEX ",ts=1795000000,sig=" KAT_SIG_B64);

  /* ... whose signature is over the message as the protocol writes it ... */
  g_assert_cmpint (sodium_base642bin (sig, sizeof sig, KAT_SIG_B64, strlen (KAT_SIG_B64), NULL, &sig_len,
                                      NULL, sodium_base64_VARIANT_ORIGINAL), ==, 0);
  g_assert_cmpuint (sig_len, ==, sizeof sig);
  g_assert_cmpint (crypto_sign_verify_detached (sig, (const guint8 *) KAT_MESSAGE, strlen (KAT_MESSAGE), pk), ==, 0);

  /* ... and the server accepts it, knowing only the public key. */
  memcpy (r.pk, pk, sizeof r.pk);
  memcpy (r.kid, kid, sizeof r.kid);
  g_assert_cmpint (fr_reader_auth_check ("Fristad-Reader kid=" KAT_KID_HEX ",ts=1795000000,sig=" KAT_SIG_B64,
                                         KAT_METHOD, KAT_PATH, NOW, lookup_fn, &r, NULL), ==, FR_READER_AUTH_OK);

  sodium_free (sk);
}

/* A header captured a day ago, with its ts edited to now: inside the window, but the
 * signature covers the ts as written, so it must not verify. */
static void
test_edited_ts (void)
{
  g_autoptr(FrStaffKey) key = fr_staff_key_generate ();
  const char *path = "/v1/envelopes?after=0&limit=100";
  g_autofree char *old = fr_reader_auth_build (key->reader_pk, key->reader_sk, "GET", path, NOW - DAY);
  g_autofree char *old_ts = g_strdup_printf ("ts=%" G_GINT64_FORMAT ",", NOW - DAY);
  g_autofree char *now_ts = g_strdup_printf ("ts=%" G_GINT64_FORMAT ",", NOW);
  g_autofree char *edited = replace (old, old_ts, now_ts);
  g_autofree char *fresh = fr_reader_auth_build (key->reader_pk, key->reader_sk, "GET", path, NOW);
  g_autofree char *edited_near = replace (fresh, "ts=1795000000,", "ts=1795000001,");
  Reader r;

  memcpy (r.pk, key->reader_pk, sizeof r.pk);
  fr_kid_compute (key->reader_pk, r.kid);

  /* As captured it is expired; as edited it is well-formed and in time, yet refused. */
  g_assert_cmpint (fr_reader_auth_check (old, "GET", path, NOW, lookup_fn, &r, NULL), ==, FR_READER_AUTH_EXPIRED);
  g_assert_cmpint (fr_reader_auth_check (old, "GET", path, NOW - DAY, lookup_fn, &r, NULL), ==, FR_READER_AUTH_OK);
  g_assert_cmpint (fr_reader_auth_check (edited, "GET", path, NOW, lookup_fn, &r, NULL), ==, FR_READER_AUTH_BAD_SIGNATURE);

  /* The same for a one-second edit inside the window. */
  g_assert_cmpint (fr_reader_auth_check (edited_near, "GET", path, NOW, lookup_fn, &r, NULL), ==, FR_READER_AUTH_BAD_SIGNATURE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());

  g_test_add_func ("/reader-signature/known-answer", test_known_answer);
  g_test_add_func ("/reader-signature/edited-ts", test_edited_ts);

  return g_test_run ();
}
