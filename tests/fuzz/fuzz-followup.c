/* fuzz-followup.c — the follow-up file (intake/fr-followup.h)
 *
 * Every input goes through _fr_followup_decode() with a fixed key and record id (the
 * header and length checks before any crypto), and through _fr_followup_parse_plain() (the
 * plaintext's fields, which random bytes cannot reach through the AEAD). Errors must be
 * one line; whatever is accepted must encode and decode back to the same follow-up.
 */
#define G_LOG_DOMAIN "fristad-fuzz"

#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "fr-error.h"
#include "fr-followup-private.h"
#include "fr-secret.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int fuzz_replay_check (void);

/* The seed corpus's file-valid* seeds were sealed with this key and id (0x5a…, 0x11…). */
static guint n_opened;

static void
check_round_trip (const FrFollowup *followup,
                  const FrSecret   *file_key)
{
  g_autoptr(GBytes) again = _fr_followup_encode (followup, file_key);
  g_autoptr(GError) error = NULL;
  g_autoptr(FrFollowup) back = NULL;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (again, &len);

  back = _fr_followup_decode (bytes, len, followup->record_id, file_key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->status, ==, followup->status);
  g_assert_cmpuint (back->first_contact, ==, followup->first_contact);
  g_assert_cmpuint (back->reflection_start, ==, followup->reflection_start);
  g_assert_cmpint (back->updated_at, ==, followup->updated_at);
  g_assert_cmpmem (back->notes->data, back->notes->len, followup->notes->data, followup->notes->len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FrSecret) file_key = NULL;
  g_autoptr(FrFollowup) decoded = NULL;
  g_autoptr(FrFollowup) parsed = NULL;
  g_autoptr(GError) error = NULL;
  guint8 record_id[16];

  if (!fr_init ())
    return 0;
  file_key = fr_secret_new (32);
  memset (file_key->data, 0x5a, file_key->len);
  memset (record_id, 0x11, sizeof record_id);

  decoded = _fr_followup_decode (data, size, record_id, file_key, &error);
  if (decoded == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == FR_ERROR);
      g_assert_null (strchr (error->message, '\n'));
      g_clear_error (&error);
    }
  else
    {
      n_opened++;
      check_round_trip (decoded, file_key);
    }

  parsed = _fr_followup_parse_plain (data, size, record_id, &error);
  if (parsed == NULL)
    {
      g_assert_nonnull (error);
      g_assert_null (strchr (error->message, '\n'));
    }
  else
    check_round_trip (parsed, file_key);
  return 0;
}

/* Replay: the sealed seeds must open, or the corpus no longer reaches the plaintext. */
int
fuzz_replay_check (void)
{
  return n_opened > 0 ? 0 : 1;
}
