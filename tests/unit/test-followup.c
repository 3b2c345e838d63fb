/* test-followup.c — the follow-up store (intake/fr-followup.h, intake/KEYS.md "Follow-up
 * file"): round trip, tamper refused, another key refused, another record's file refused,
 * strict lengths before crypto, not plaintext on disk, 0600, dates and the reflection period */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fr-followup-private.h"
#include "fr-intake.h"
#include "fr-test-util.h"

typedef struct
{
  char       *dir;
  FrStaffKey *staff;
  guint8      raw[FR_RECORD_ID_SIZE];
  char        id[FR_UUID_STRING_LEN + 1];
  char       *path;
  char       *canary;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  f->dir = g_dir_make_tmp ("fristad-followup-XXXXXX", &error);
  g_assert_no_error (error);
  f->staff = fr_staff_key_generate ();
  fr_uuid_generate (f->raw);
  fr_uuid_format (f->raw, f->id);
  name = g_strconcat (f->id, FR_FOLLOWUP_EXT, NULL);
  f->path = g_build_filename (f->dir, name, NULL);
  f->canary = g_strdup_printf ("CANARY-NOTE-%08x", g_test_rand_int ());
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fr_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->canary);
  fr_staff_key_free (f->staff);
}

static void
save_one (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrFollowup) followup = fr_followup_new (f->raw);
  g_autofree char *notes = g_strdup_printf ("Ringde 10:15, %s — tolk behövs (thai)", f->canary);

  followup->status = FR_FOLLOWUP_IN_SUPPORT;
  g_assert_true (fr_followup_parse_date ("2026-11-30", &followup->first_contact, &error));
  g_assert_true (fr_followup_parse_date ("2026-12-01", &followup->reflection_start, &error));
  g_assert_true (fr_followup_set_notes (followup, notes, strlen (notes), &error));
  g_assert_true (fr_followup_save (f->dir, followup, f->staff, &error));
  g_assert_no_error (error);
  g_assert_cmpint (followup->updated_at, >, 0);
}

static void
test_none_is_new (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrFollowup) followup = fr_followup_load (f->dir, f->id, f->staff, &error);

  g_assert_no_error (error);
  g_assert_nonnull (followup);
  g_assert_cmpint (followup->status, ==, FR_FOLLOWUP_NEW);
  g_assert_cmpuint (followup->first_contact, ==, 0);
  g_assert_cmpuint (followup->reflection_start, ==, 0);
  g_assert_cmpuint (followup->notes->len, ==, 0);
  g_assert_cmpint (fr_followup_reflection_left (followup, fr_followup_today ()), ==, -1);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrFollowup) back = NULL;
  g_autofree char *first = NULL, *reflect = NULL;
  struct stat st;

  save_one (f);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  back = fr_followup_load (f->dir, f->id, f->staff, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->status, ==, FR_FOLLOWUP_IN_SUPPORT);
  first = fr_followup_format_date (back->first_contact);
  reflect = fr_followup_format_date (back->reflection_start);
  g_assert_cmpstr (first, ==, "2026-11-30");
  g_assert_cmpstr (reflect, ==, "2026-12-01");
  g_assert_nonnull (strstr ((const char *) back->notes->data, f->canary));
  g_assert_nonnull (strstr ((const char *) back->notes->data, "tolk behövs"));
  g_assert_cmpint (back->updated_at, >, 0);

  /* Saved again: replaced whole, still one file, no .part left behind. */
  back->status = FR_FOLLOWUP_CLOSED;
  g_assert_true (fr_followup_save (f->dir, back, f->staff, &error));
  g_clear_pointer (&back, fr_followup_free);
  back = fr_followup_load (f->dir, f->id, f->staff, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->status, ==, FR_FOLLOWUP_CLOSED);
  {
    g_autofree char *part = g_strconcat (f->path, ".part", NULL);

    g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  }
}

static void
test_not_plaintext (Fixture       *f,
                    gconstpointer  data)
{
  save_one (f);
  fr_test_assert_no_canary (f->dir, f->canary);
  fr_test_assert_no_canary (f->dir, "tolk");
}

static void
test_tamper_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *bytes = NULL;
  gsize len = 0;

  save_one (f);
  g_assert_true (g_file_get_contents (f->path, &bytes, &len, NULL));
  /* Every single byte flipped, header and ciphertext alike, is refused. */
  for (gsize i = 0; i < len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FrFollowup) followup = NULL;

      bytes[i] ^= 0x01;
      g_assert_true (g_file_set_contents (f->path, bytes, len, NULL));
      followup = fr_followup_load (f->dir, f->id, f->staff, &error);
      g_assert_null (followup);
      g_assert_nonnull (error);
      g_assert_true (error->domain == FR_ERROR);
      g_assert_null (strchr (error->message, '\n'));
      g_assert_null (strstr (error->message, f->canary));
      bytes[i] ^= 0x01;
    }
  /* Truncated and extended. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (g_file_set_contents (f->path, bytes, len - 1, NULL));
    g_assert_null (fr_followup_load (f->dir, f->id, f->staff, &error));
    g_assert_error (error, FR_ERROR, FR_ERROR_LENGTH_MISMATCH);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *longer = g_malloc0 (len + 1);

    memcpy (longer, bytes, len);
    g_assert_true (g_file_set_contents (f->path, longer, len + 1, NULL));
    g_assert_null (fr_followup_load (f->dir, f->id, f->staff, &error));
    g_assert_error (error, FR_ERROR, FR_ERROR_LENGTH_MISMATCH);
  }
  /* Intact again: opens. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FrFollowup) followup = NULL;

    g_assert_true (g_file_set_contents (f->path, bytes, len, NULL));
    followup = fr_followup_load (f->dir, f->id, f->staff, &error);
    g_assert_no_error (error);
  }
}

static void
test_wrong_key_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(FrStaffKey) other = fr_staff_key_generate ();
  g_autoptr(GError) error = NULL;

  save_one (f);
  g_assert_null (fr_followup_load (f->dir, f->id, other, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_DECRYPT);
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_other_record_refused (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint8 raw[FR_RECORD_ID_SIZE];
  char id[FR_UUID_STRING_LEN + 1];
  g_autofree char *name = NULL, *path = NULL;

  /* A follow-up copied over another record's is refused before any crypto. */
  save_one (f);
  fr_uuid_generate (raw);
  fr_uuid_format (raw, id);
  name = g_strconcat (id, FR_FOLLOWUP_EXT, NULL);
  path = g_build_filename (f->dir, name, NULL);
  g_assert_cmpint (g_rename (f->path, path), ==, 0);
  g_assert_null (fr_followup_load (f->dir, id, f->staff, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_ID_MISMATCH);
  g_clear_error (&error);
  g_assert_null (fr_followup_load (f->dir, "../etc/passwd", f->staff, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
}

static void
test_link_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *elsewhere = g_build_filename (f->dir, "elsewhere", NULL);

  save_one (f);
  g_assert_cmpint (g_rename (f->path, elsewhere), ==, 0);
  g_assert_cmpint (symlink (elsewhere, f->path), ==, 0);
  g_assert_null (fr_followup_load (f->dir, f->id, f->staff, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_IO);
}

static void
test_decode_strict (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(FrSecret) file_key = _fr_followup_derive_key (f->staff);
  g_autoptr(FrFollowup) followup = fr_followup_new (f->raw);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FrFollowup) back = NULL;
  g_autofree guint8 *big = NULL;
  char *notes = g_malloc (FR_FOLLOWUP_NOTES_MAX + 1);
  const guint8 *data_ptr;
  gsize len;

  /* The longest notes round-trip; one byte more is refused when set. */
  memset (notes, 'a', FR_FOLLOWUP_NOTES_MAX + 1);
  g_assert_true (fr_followup_set_notes (followup, notes, FR_FOLLOWUP_NOTES_MAX, &error));
  g_assert_false (fr_followup_set_notes (followup, notes, FR_FOLLOWUP_NOTES_MAX + 1, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (fr_followup_set_notes (followup, "a\0b", 3, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
  g_clear_error (&error);
  g_free (notes);
  bytes = _fr_followup_encode (followup, file_key);
  data_ptr = g_bytes_get_data (bytes, &len);
  g_assert_cmpuint (len, ==, FR_FOLLOWUP_MAX_FILE);
  g_assert_true (memcmp (data_ptr, FR_FOLLOWUP_MAGIC, FR_FOLLOWUP_MAGIC_SIZE) == 0);
  back = _fr_followup_decode (data_ptr, len, f->raw, file_key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->notes->len, ==, FR_FOLLOWUP_NOTES_MAX);

  /* Too short for a header, too long for any follow-up. */
  g_assert_null (_fr_followup_decode (data_ptr, FR_FOLLOWUP_HEADER_SIZE - 1, f->raw, file_key, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_TRUNCATED);
  g_clear_error (&error);
  big = g_malloc0 (FR_FOLLOWUP_MAX_FILE + 1);
  memcpy (big, data_ptr, len);
  g_assert_null (_fr_followup_decode (big, FR_FOLLOWUP_MAX_FILE + 1, f->raw, file_key, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_TOO_LARGE);
  g_clear_error (&error);
  /* A version 2 file. */
  big[FR_FOLLOWUP_MAGIC_SIZE - 1] = 0x02;
  g_assert_null (_fr_followup_decode (big, len, f->raw, file_key, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_UNKNOWN_VERSION);
}

static void
test_dates (void)
{
  g_autoptr(GError) error = NULL;
  guint8 raw[FR_RECORD_ID_SIZE] = { 0 };
  g_autoptr(FrFollowup) followup = fr_followup_new (raw);
  guint32 j = 0, start = 0;
  const char *bad[] = { "2026-02-30", "2026-13-01", "26-01-01", "2026-1-01", "2026-01-01 ", "0000-01-01",
                        "2026/01/01", "２０２６-01-01", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_assert_false (fr_followup_parse_date (bad[i], &j, &error));
      g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
      g_clear_error (&error);
    }
  g_assert_true (fr_followup_parse_date ("", &j, &error));
  g_assert_cmpuint (j, ==, 0);
  g_assert_true (fr_followup_parse_date ("2024-02-29", &start, &error));
  {
    g_autofree char *back = fr_followup_format_date (start);

    g_assert_cmpstr (back, ==, "2024-02-29");
  }
  /* 30 days from the start: 30 left on its first day, 1 on the 30th, 0 after. */
  followup->reflection_start = start;
  g_assert_cmpint (fr_followup_reflection_left (followup, start), ==, 30);
  g_assert_cmpint (fr_followup_reflection_left (followup, start + 29), ==, 1);
  g_assert_cmpint (fr_followup_reflection_left (followup, start + 30), ==, 0);
  g_assert_cmpint (fr_followup_reflection_left (followup, start + 400), ==, 0);
  /* A start chosen in the future: the whole period is still ahead. */
  g_assert_cmpint (fr_followup_reflection_left (followup, start - 5), ==, 30);
  g_assert_cmpstr (fr_followup_status_name (FR_FOLLOWUP_IN_SUPPORT), ==, "in-support");
  g_assert_cmpstr (fr_followup_status_name (FR_FOLLOWUP_FOLLOW_UP), ==, "follow-up");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());

#define ADD(path, func) g_test_add ("/followup/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("none-is-new", test_none_is_new);
  ADD ("round-trip", test_round_trip);
  ADD ("not-plaintext-on-disk", test_not_plaintext);
  ADD ("tamper-refused", test_tamper_refused);
  ADD ("wrong-key-refused", test_wrong_key_refused);
  ADD ("other-record-refused", test_other_record_refused);
  ADD ("link-refused", test_link_refused);
  ADD ("decode-strict", test_decode_strict);
#undef ADD
  g_test_add_func ("/followup/dates", test_dates);
  return g_test_run ();
}
