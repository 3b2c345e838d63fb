/* Tests of the reader Authorization header (intake/fr-reader-auth.c): building, strict
 * parsing, the time window and the order of the checks. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include "fr-intake.h"
#include "fr-reader-auth.h"

#define NOW G_GINT64_CONSTANT (1795000000)

typedef struct
{
  FrReaderLookupResult result;
  guint8               pk[FR_KEY_SIZE];
  guint8               kid[FR_KID_SIZE];
  guint                calls;
} Lookup;

static FrReaderLookupResult
lookup_fn (const guint8  kid[FR_KID_SIZE],
           guint8        pk[FR_KEY_SIZE],
           gpointer      user_data)
{
  Lookup *l = user_data;

  l->calls++;
  if (memcmp (kid, l->kid, FR_KID_SIZE) != 0)
    return FR_READER_LOOKUP_UNKNOWN;
  if (l->result == FR_READER_LOOKUP_FOUND || l->result == FR_READER_LOOKUP_REVOKED)
    memcpy (pk, l->pk, FR_KEY_SIZE);
  return l->result;
}

static void
lookup_init (Lookup           *l,
             const FrStaffKey *key,
             FrReaderLookupResult result)
{
  memset (l, 0, sizeof *l);
  l->result = result;
  memcpy (l->pk, key->reader_pk, FR_KEY_SIZE);
  fr_kid_compute (key->reader_pk, l->kid);
}

static void
test_build_format (void)
{
  g_autoptr(FrStaffKey) key = fr_staff_key_generate ();
  g_autofree char *header = fr_reader_auth_build (key->reader_pk, key->reader_sk, "GET",
                                                  "/v1/envelopes?after=0&limit=100", NOW);
  g_autoptr(GError) error = NULL;
  FrReaderAuth auth;
  guint8 kid[FR_KID_SIZE];
  char kid_hex[FR_KID_HEX_LEN + 1];
  g_autofree char *prefix = NULL;

  fr_kid_compute (key->reader_pk, kid);
  fr_kid_to_hex (kid, kid_hex);
  prefix = g_strdup_printf ("Fristad-Reader kid=%s,ts=1795000000,sig=", kid_hex);
  g_assert_true (g_str_has_prefix (header, prefix));
  g_assert_cmpuint (strlen (header), ==, strlen (prefix) + FR_READER_AUTH_SIG_B64LEN);

  g_assert_true (fr_reader_auth_parse (header, &auth, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (auth.kid, FR_KID_SIZE, kid, FR_KID_SIZE);
  g_assert_cmpint (auth.ts, ==, NOW);
  g_assert_cmpstr (auth.ts_text, ==, "1795000000");
}

static void
test_check (void)
{
  g_autoptr(FrStaffKey) key = fr_staff_key_generate ();
  g_autoptr(FrStaffKey) other = fr_staff_key_generate ();
  const char *path = "/v1/envelopes/0f8fad5b-d9cb-469f-a165-70867728950e/ack";
  g_autofree char *header = fr_reader_auth_build (key->reader_pk, key->reader_sk, "POST", path, NOW);
  g_autofree char *forged = fr_reader_auth_build (key->reader_pk, other->reader_sk, "POST", path, NOW);
  Lookup l;
  guint8 kid[FR_KID_SIZE];

  lookup_init (&l, key, FR_READER_LOOKUP_FOUND);
  g_assert_cmpint (fr_reader_auth_check (header, "POST", path, NOW, lookup_fn, &l, kid), ==, FR_READER_AUTH_OK);
  g_assert_cmpmem (kid, FR_KID_SIZE, l.kid, FR_KID_SIZE);

  /* The window is ±300 s inclusive. */
  g_assert_cmpint (fr_reader_auth_check (header, "POST", path, NOW + 300, lookup_fn, &l, NULL), ==, FR_READER_AUTH_OK);
  g_assert_cmpint (fr_reader_auth_check (header, "POST", path, NOW - 300, lookup_fn, &l, NULL), ==, FR_READER_AUTH_OK);
  l.calls = 0;
  g_assert_cmpint (fr_reader_auth_check (header, "POST", path, NOW + 301, lookup_fn, &l, NULL), ==, FR_READER_AUTH_EXPIRED);
  g_assert_cmpint (fr_reader_auth_check (header, "POST", path, NOW - 301, lookup_fn, &l, NULL), ==, FR_READER_AUTH_EXPIRED);
  g_assert_cmpuint (l.calls, ==, 0);   /* expired requests never reach the key store */

  /* Bound to method and path. */
  g_assert_cmpint (fr_reader_auth_check (header, "GET", path, NOW, lookup_fn, &l, NULL), ==, FR_READER_AUTH_BAD_SIGNATURE);
  g_assert_cmpint (fr_reader_auth_check (header, "POST", "/v1/envelopes/0f8fad5b-d9cb-469f-a165-70867728950f/ack",
                                         NOW, lookup_fn, &l, NULL), ==, FR_READER_AUTH_BAD_SIGNATURE);
  g_assert_cmpint (fr_reader_auth_check (forged, "POST", path, NOW, lookup_fn, &l, NULL), ==, FR_READER_AUTH_BAD_SIGNATURE);

  /* Missing, unknown, failed lookup. */
  g_assert_cmpint (fr_reader_auth_check (NULL, "POST", path, NOW, lookup_fn, &l, NULL), ==, FR_READER_AUTH_MISSING);
  lookup_init (&l, other, FR_READER_LOOKUP_FOUND);
  g_assert_cmpint (fr_reader_auth_check (header, "POST", path, NOW, lookup_fn, &l, NULL), ==, FR_READER_AUTH_UNKNOWN_READER);
  lookup_init (&l, key, FR_READER_LOOKUP_FAILED);
  g_assert_cmpint (fr_reader_auth_check (header, "POST", path, NOW, lookup_fn, &l, NULL), ==, FR_READER_AUTH_LOOKUP_FAILED);

  /* Revocation is told only to a correctly signed request. */
  lookup_init (&l, key, FR_READER_LOOKUP_REVOKED);
  g_assert_cmpint (fr_reader_auth_check (header, "POST", path, NOW, lookup_fn, &l, NULL), ==, FR_READER_AUTH_REVOKED_READER);
  g_assert_cmpint (fr_reader_auth_check (forged, "POST", path, NOW, lookup_fn, &l, NULL), ==, FR_READER_AUTH_BAD_SIGNATURE);

  g_assert_cmpuint (fr_reader_auth_status_http (FR_READER_AUTH_OK), ==, 200);
  g_assert_cmpuint (fr_reader_auth_status_http (FR_READER_AUTH_MISSING), ==, 401);
  g_assert_cmpuint (fr_reader_auth_status_http (FR_READER_AUTH_MALFORMED), ==, 401);
  g_assert_cmpuint (fr_reader_auth_status_http (FR_READER_AUTH_EXPIRED), ==, 401);
  g_assert_cmpuint (fr_reader_auth_status_http (FR_READER_AUTH_UNKNOWN_READER), ==, 403);
  g_assert_cmpuint (fr_reader_auth_status_http (FR_READER_AUTH_BAD_SIGNATURE), ==, 403);
  g_assert_cmpuint (fr_reader_auth_status_http (FR_READER_AUTH_REVOKED_READER), ==, 403);
  g_assert_cmpuint (fr_reader_auth_status_http (FR_READER_AUTH_LOOKUP_FAILED), ==, 503);
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
test_strict_parse (void)
{
  g_autoptr(FrStaffKey) key = fr_staff_key_generate ();
  g_autofree char *good = fr_reader_auth_build (key->reader_pk, key->reader_sk, "GET", "/v1/envelopes", NOW);
  const char *kid = strstr (good, "kid=") + 4;
  const char *sig = strstr (good, "sig=") + 4;
  g_autofree char *kid_text = g_strndup (kid, FR_KID_HEX_LEN);
  g_autofree char *sig_text = g_strdup (sig);
  g_autofree char *upper_kid = g_ascii_strup (kid_text, -1);
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func (g_free);
  char noncanonical[FR_READER_AUTH_SIG_B64LEN + 1];
  char *pos;

  g_assert_cmpuint (strlen (sig_text), ==, FR_READER_AUTH_SIG_B64LEN);
  g_assert_true (g_str_has_suffix (sig_text, "=="));

  /* The character before "==" carries 2 data bits and 4 zero bits: set a zero bit. */
  memcpy (noncanonical, sig_text, sizeof noncanonical);
  pos = noncanonical + FR_READER_AUTH_SIG_B64LEN - 3;
  *pos = *pos == 'A' ? 'B' : *pos == 'Q' ? 'R' : *pos == 'g' ? 'h' : 'x';

  g_ptr_array_add (bad, g_strdup (""));
  g_ptr_array_add (bad, g_strdup ("Fristad-Reader"));
  g_ptr_array_add (bad, g_strdup ("Fristad-Reader "));
  g_ptr_array_add (bad, g_strconcat (" ", good, NULL));
  g_ptr_array_add (bad, g_strconcat (good, " ", NULL));
  g_ptr_array_add (bad, g_strconcat (good, ",", NULL));
  g_ptr_array_add (bad, replace (good, "Fristad-Reader", "fristad-reader"));
  g_ptr_array_add (bad, replace (good, "Fristad-Reader ", "Fristad-Reader  "));
  g_ptr_array_add (bad, replace (good, "Fristad-Reader ", "Fristad-Reader\t"));
  g_ptr_array_add (bad, replace (good, kid_text, upper_kid));
  g_ptr_array_add (bad, replace (good, kid_text, "0123456789abcde"));
  g_ptr_array_add (bad, replace (good, kid_text, "0123456789abcdef0"));
  g_ptr_array_add (bad, replace (good, kid_text, "0123456789abcdeg"));
  g_ptr_array_add (bad, replace (good, "ts=1795000000", "ts=01795000000"));
  g_ptr_array_add (bad, replace (good, "ts=1795000000", "ts=-1795000000"));
  g_ptr_array_add (bad, replace (good, "ts=1795000000", "ts=+1795000000"));
  g_ptr_array_add (bad, replace (good, "ts=1795000000", "ts="));
  g_ptr_array_add (bad, replace (good, "ts=1795000000", "ts=1795000000.5"));
  g_ptr_array_add (bad, replace (good, "ts=1795000000", "ts=1234567890123456789"));
  g_ptr_array_add (bad, replace (good, ",ts=", ", ts="));
  g_ptr_array_add (bad, replace (good, ",ts=", ";ts="));
  g_ptr_array_add (bad, replace (good, "kid=", "KID="));
  g_ptr_array_add (bad, replace (good, sig_text, noncanonical));
  g_ptr_array_add (bad, replace (good, sig_text, "AAAA"));
  g_ptr_array_add (bad, replace (good, "==", "="));
  g_ptr_array_add (bad, replace (good, "==", "=\"=\""));
  g_ptr_array_add (bad, g_strdup_printf ("Fristad-Reader ts=1795000000,kid=%s,sig=%s", kid_text, sig_text));
  g_ptr_array_add (bad, g_strdup_printf ("Fristad-Reader kid=\"%s\",ts=1795000000,sig=%s", kid_text, sig_text));

  for (guint i = 0; i < bad->len; i++)
    {
      g_autoptr(GError) error = NULL;
      FrReaderAuth auth;
      Lookup l;

      lookup_init (&l, key, FR_READER_LOOKUP_FOUND);
      g_test_message ("case %u: %s", i, (const char *) bad->pdata[i]);
      g_assert_false (fr_reader_auth_parse (bad->pdata[i], &auth, &error));
      g_assert_error (error, FR_ERROR, FR_ERROR_REJECTED);
      g_assert_null (strchr (error->message, '\n'));
      g_assert_cmpint (fr_reader_auth_check (bad->pdata[i], "GET", "/v1/envelopes", NOW, lookup_fn, &l, NULL),
                       ==, FR_READER_AUTH_MALFORMED);
      g_assert_cmpuint (l.calls, ==, 0);
    }

  {
    Lookup l;

    lookup_init (&l, key, FR_READER_LOOKUP_FOUND);
    g_assert_cmpint (fr_reader_auth_check (good, "GET", "/v1/envelopes", NOW, lookup_fn, &l, NULL), ==, FR_READER_AUTH_OK);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());

  g_test_add_func ("/reader-auth/build-format", test_build_format);
  g_test_add_func ("/reader-auth/check", test_check);
  g_test_add_func ("/reader-auth/strict-parse", test_strict_parse);

  return g_test_run ();
}
