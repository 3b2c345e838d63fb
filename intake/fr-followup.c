/* fr-followup.c — a record's follow-up, sealed to the staff key (format in fr-followup.h)
 *
 * The file is authenticated as well as encrypted: the key is derived from the staff
 * recipient *secret* key, so only a holder of the staff key can write a follow-up the app
 * accepts (a box sealed to the public key could be written by anyone who has it, and every
 * kiosk does). The record id in the authenticated header binds a file to its record.
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fr-bytes-private.h"
#include "fr-error.h"
#include "fr-followup-private.h"
#include "fr-inbox.h"

G_STATIC_ASSERT (sizeof FR_FOLLOWUP_KDF_CONTEXT - 1 == crypto_kdf_CONTEXTBYTES);
G_STATIC_ASSERT (sizeof FR_FOLLOWUP_MAGIC - 1 == FR_FOLLOWUP_MAGIC_SIZE);
G_STATIC_ASSERT (FR_FOLLOWUP_NONCE_SIZE == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
G_STATIC_ASSERT (FR_FOLLOWUP_MAC_SIZE == crypto_aead_xchacha20poly1305_ietf_ABYTES);
G_STATIC_ASSERT (FR_FOLLOWUP_NOTES_MAX <= G_MAXUINT16);

/* Header offsets */
#define OFF_MAGIC   0
#define OFF_ALG     8
#define OFF_ID      12
#define OFF_NONCE   28
#define OFF_CTLEN   52
G_STATIC_ASSERT (OFF_CTLEN + 4 == FR_FOLLOWUP_HEADER_SIZE);

/* Plaintext offsets */
#define P_STATUS    0
#define P_FIRST     1
#define P_REFLECT   5
#define P_UPDATED   9
#define P_NOTESLEN  17
G_STATIC_ASSERT (P_NOTESLEN + 2 == FR_FOLLOWUP_PLAIN_FIXED);

/* 9999-12-31: no date after it is accepted. */
#define JULIAN_MAX  3652059u

FrFollowup *
fr_followup_new (const guint8 record_id[FR_RECORD_ID_SIZE])
{
  FrFollowup *followup = g_new0 (FrFollowup, 1);

  memcpy (followup->record_id, record_id, FR_RECORD_ID_SIZE);
  followup->status = FR_FOLLOWUP_NEW;
  followup->notes = fr_secret_new (0);
  return followup;
}

void
fr_followup_free (FrFollowup *followup)
{
  if (followup == NULL)
    return;
  fr_secret_free (followup->notes);
  sodium_memzero (followup, sizeof *followup);
  g_free (followup);
}

static gboolean
notes_valid (const char *notes,
             gsize       len,
             GError    **error)
{
  if (len > FR_FOLLOWUP_NOTES_MAX)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TOO_LARGE, "notes are %" G_GSIZE_FORMAT " bytes; at most %d",
                   len, FR_FOLLOWUP_NOTES_MAX);
      return FALSE;
    }
  /* With a length, a NUL byte is invalid too. */
  if (len > 0 && !g_utf8_validate_len (notes, len, NULL))
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_RECORD_INVALID, "notes are not UTF-8 text");
      return FALSE;
    }
  return TRUE;
}

gboolean
fr_followup_set_notes (FrFollowup *followup,
                       const char *notes,
                       gsize       len,
                       GError    **error)
{
  g_return_val_if_fail (followup != NULL, FALSE);
  g_return_val_if_fail (notes != NULL || len == 0, FALSE);

  if (!notes_valid (notes, len, error))
    return FALSE;
  fr_secret_free (followup->notes);
  followup->notes = fr_secret_new_from (notes, len);
  return TRUE;
}

static gboolean
date_valid (guint32 julian)
{
  return julian == 0 || (julian <= JULIAN_MAX && g_date_valid_julian (julian));
}

/* ---- the key ---- */

FrSecret *
_fr_followup_derive_key (const FrStaffKey *key)
{
  FrSecret *file_key = fr_secret_new (crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

  G_STATIC_ASSERT (crypto_aead_xchacha20poly1305_ietf_KEYBYTES >= crypto_kdf_BYTES_MIN);
  crypto_kdf_derive_from_key (file_key->data, file_key->len, FR_FOLLOWUP_KDF_ID, FR_FOLLOWUP_KDF_CONTEXT,
                              key->recipient_sk);
  return file_key;
}

/* ---- encode / decode ---- */

GBytes *
_fr_followup_encode (const FrFollowup *followup,
                     const FrSecret   *file_key)
{
  gsize plain_len = FR_FOLLOWUP_PLAIN_FIXED + followup->notes->len;
  gsize ct_len = plain_len + FR_FOLLOWUP_MAC_SIZE;
  g_autoptr(FrSecret) plain = NULL;
  guint8 *out;
  unsigned long long written = 0;

  g_return_val_if_fail (followup->notes->len <= FR_FOLLOWUP_NOTES_MAX, NULL);
  g_return_val_if_fail ((guint) followup->status < FR_FOLLOWUP_N_STATUS, NULL);

  plain = fr_secret_new (plain_len);
  plain->data[P_STATUS] = (guint8) followup->status;
  _fr_store_u32_le (plain->data + P_FIRST, followup->first_contact);
  _fr_store_u32_le (plain->data + P_REFLECT, followup->reflection_start);
  _fr_store_u64_le (plain->data + P_UPDATED, (guint64) MAX (followup->updated_at, 0));
  plain->data[P_NOTESLEN] = followup->notes->len & 0xff;
  plain->data[P_NOTESLEN + 1] = (followup->notes->len >> 8) & 0xff;
  if (followup->notes->len > 0)
    memcpy (plain->data + FR_FOLLOWUP_PLAIN_FIXED, followup->notes->data, followup->notes->len);

  out = g_malloc (FR_FOLLOWUP_HEADER_SIZE + ct_len);
  memcpy (out + OFF_MAGIC, FR_FOLLOWUP_MAGIC, FR_FOLLOWUP_MAGIC_SIZE);
  _fr_store_u32_le (out + OFF_ALG, FR_FOLLOWUP_ALG_KDF_XCHACHA);
  memcpy (out + OFF_ID, followup->record_id, FR_RECORD_ID_SIZE);
  randombytes_buf (out + OFF_NONCE, FR_FOLLOWUP_NONCE_SIZE);
  _fr_store_u32_le (out + OFF_CTLEN, (guint32) ct_len);
  crypto_aead_xchacha20poly1305_ietf_encrypt (out + FR_FOLLOWUP_HEADER_SIZE, &written, plain->data, plain_len,
                                              out, FR_FOLLOWUP_HEADER_SIZE, NULL, out + OFF_NONCE,
                                              file_key->data);
  g_assert (written == ct_len);
  return g_bytes_new_take (out, FR_FOLLOWUP_HEADER_SIZE + ct_len);
}

FrFollowup *
_fr_followup_parse_plain (const guint8  *plain,
                          gsize          len,
                          const guint8   record_id[FR_RECORD_ID_SIZE],
                          GError       **error)
{
  g_autoptr(FrFollowup) followup = NULL;
  guint32 first, reflect;
  guint64 updated;
  gsize notes_len;

  if (len < FR_FOLLOWUP_PLAIN_FIXED || len > FR_FOLLOWUP_PLAIN_FIXED + FR_FOLLOWUP_NOTES_MAX)
    goto bad;
  notes_len = plain[P_NOTESLEN] | ((gsize) plain[P_NOTESLEN + 1] << 8);
  first = _fr_load_u32_le (plain + P_FIRST);
  reflect = _fr_load_u32_le (plain + P_REFLECT);
  updated = _fr_load_u64_le (plain + P_UPDATED);
  if (plain[P_STATUS] >= FR_FOLLOWUP_N_STATUS || !date_valid (first) || !date_valid (reflect)
      || updated > G_MAXINT64 || notes_len != len - FR_FOLLOWUP_PLAIN_FIXED
      || !notes_valid ((const char *) plain + FR_FOLLOWUP_PLAIN_FIXED, notes_len, NULL))
    goto bad;
  followup = fr_followup_new (record_id);
  followup->status = plain[P_STATUS];
  followup->first_contact = first;
  followup->reflection_start = reflect;
  followup->updated_at = (gint64) updated;
  fr_secret_free (followup->notes);
  followup->notes = fr_secret_new_from (plain + FR_FOLLOWUP_PLAIN_FIXED, notes_len);
  return g_steal_pointer (&followup);

bad:
  g_set_error_literal (error, FR_ERROR, FR_ERROR_RECORD_INVALID, "follow-up file opens but is not well-formed");
  return NULL;
}

FrFollowup *
_fr_followup_decode (const guint8   *data,
                     gsize           len,
                     const guint8    record_id[FR_RECORD_ID_SIZE],
                     const FrSecret *file_key,
                     GError        **error)
{
  g_autoptr(FrSecret) plain = NULL;
  guint32 alg, ct_len;

  /* Structure and lengths, before any crypto. */
  if (len < FR_FOLLOWUP_HEADER_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TRUNCATED, "follow-up file has %" G_GSIZE_FORMAT " bytes; "
                   "the header alone is %d", len, FR_FOLLOWUP_HEADER_SIZE);
      return NULL;
    }
  if (len > FR_FOLLOWUP_MAX_FILE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TOO_LARGE, "follow-up file has %" G_GSIZE_FORMAT " bytes; "
                   "at most %d", len, FR_FOLLOWUP_MAX_FILE);
      return NULL;
    }
  if (memcmp (data + OFF_MAGIC, FR_FOLLOWUP_MAGIC, FR_FOLLOWUP_MAGIC_SIZE - 1) != 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_BAD_MAGIC, "not a follow-up file (bad magic)");
      return NULL;
    }
  if (data[OFF_MAGIC + FR_FOLLOWUP_MAGIC_SIZE - 1] != 0x01)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_UNKNOWN_VERSION, "follow-up file version %u; expected 1",
                   data[OFF_MAGIC + FR_FOLLOWUP_MAGIC_SIZE - 1]);
      return NULL;
    }
  alg = _fr_load_u32_le (data + OFF_ALG);
  if (alg != FR_FOLLOWUP_ALG_KDF_XCHACHA)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_UNKNOWN_VERSION, "follow-up file algorithm %u; expected 1", alg);
      return NULL;
    }
  if (sodium_memcmp (data + OFF_ID, record_id, FR_RECORD_ID_SIZE) != 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_ID_MISMATCH, "follow-up file belongs to another record");
      return NULL;
    }
  ct_len = _fr_load_u32_le (data + OFF_CTLEN);
  if (ct_len < FR_FOLLOWUP_PLAIN_FIXED + FR_FOLLOWUP_MAC_SIZE || ct_len > FR_FOLLOWUP_MAX_CT
      || ct_len != len - FR_FOLLOWUP_HEADER_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_LENGTH_MISMATCH, "follow-up file announces %u bytes of ciphertext "
                   "and has %" G_GSIZE_FORMAT, ct_len, len - FR_FOLLOWUP_HEADER_SIZE);
      return NULL;
    }

  plain = fr_secret_new (ct_len - FR_FOLLOWUP_MAC_SIZE);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt (plain->data, NULL, NULL, data + FR_FOLLOWUP_HEADER_SIZE, ct_len,
                                                  data, FR_FOLLOWUP_HEADER_SIZE, data + OFF_NONCE,
                                                  file_key->data) != 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_DECRYPT,
                           "follow-up file does not open with this staff key (changed, or another key's)");
      return NULL;
    }

  return _fr_followup_parse_plain (plain->data, plain->len, record_id, error);
}

/* ---- files ---- */

static gboolean
parse_id (const char *id,
          guint8      raw[FR_RECORD_ID_SIZE],
          GError    **error)
{
  if (id == NULL || strlen (id) != FR_UUID_STRING_LEN || !fr_uuid_parse (id, raw))
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_RECORD_INVALID, "not a record id (lowercase UUID)");
      return FALSE;
    }
  return TRUE;
}

/* Reads INBOX/ID.follow, never through a link; *out = NULL when there is none. */
static gboolean
read_file (const char *path,
           GBytes    **out,
           GError    **error)
{
  g_autofree guint8 *data = NULL;
  struct stat st;
  gsize done = 0;
  int fd, saved;

  *out = NULL;
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
  if (fd < 0)
    {
      saved = errno;
      if (saved == ENOENT)
        return TRUE;
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > FR_FOLLOWUP_MAX_FILE)
    {
      close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: not a regular file of at most %d bytes", path,
                   FR_FOLLOWUP_MAX_FILE);
      return FALSE;
    }
  data = g_malloc (MAX (st.st_size, 1));
  while (done < (gsize) st.st_size)
    {
      ssize_t n = read (fd, data + done, st.st_size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
  saved = errno;
  close (fd);
  if (done != (gsize) st.st_size)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: %s", path, done < (gsize) st.st_size ? "short read"
                                                                                         : g_strerror (saved));
      return FALSE;
    }
  *out = g_bytes_new_take (g_steal_pointer (&data), done);
  return TRUE;
}

FrFollowup *
fr_followup_load (const char       *inbox,
                  const char       *id,
                  const FrStaffKey *key,
                  GError          **error)
{
  guint8 raw[FR_RECORD_ID_SIZE];
  g_autofree char *name = NULL, *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(FrSecret) file_key = NULL;
  g_autoptr(GError) local = NULL;
  FrFollowup *followup;

  g_return_val_if_fail (inbox != NULL && key != NULL, NULL);

  if (!parse_id (id, raw, error))
    return NULL;
  name = g_strconcat (id, FR_FOLLOWUP_EXT, NULL);
  path = g_build_filename (inbox, name, NULL);
  if (!read_file (path, &bytes, error))
    return NULL;
  if (bytes == NULL)
    return fr_followup_new (raw);
  file_key = _fr_followup_derive_key (key);
  followup = _fr_followup_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), raw, file_key, &local);
  if (followup == NULL)
    g_set_error (error, FR_ERROR, local->code, "%s: %s", name, local->message);
  return followup;
}

gboolean
fr_followup_save (const char       *inbox,
                  FrFollowup       *followup,
                  const FrStaffKey *key,
                  GError          **error)
{
  char id[FR_UUID_STRING_LEN + 1];
  g_autofree char *name = NULL;
  g_autoptr(FrSecret) file_key = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (inbox != NULL && followup != NULL && key != NULL, FALSE);

  if ((guint) followup->status >= FR_FOLLOWUP_N_STATUS || !date_valid (followup->first_contact)
      || !date_valid (followup->reflection_start)
      || !notes_valid ((const char *) followup->notes->data, followup->notes->len, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, FR_ERROR, FR_ERROR_RECORD_INVALID, "follow-up has a bad status or date");
      return FALSE;
    }
  followup->updated_at = g_get_real_time () / G_USEC_PER_SEC;
  fr_uuid_format (followup->record_id, id);
  name = g_strconcat (id, FR_FOLLOWUP_EXT, NULL);
  file_key = _fr_followup_derive_key (key);
  bytes = _fr_followup_encode (followup, file_key);
  return fr_inbox_write_private (inbox, name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), TRUE,
                                 error);
}

/* ---- status and dates ---- */

const char *
fr_followup_status_name (FrFollowupStatus status)
{
  static const char * const names[] = { "new", "contacted", "in-support", "follow-up", "closed" };

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == FR_FOLLOWUP_N_STATUS);
  return (guint) status < FR_FOLLOWUP_N_STATUS ? names[status] : "unknown";
}

int
fr_followup_reflection_left (const FrFollowup *followup,
                             guint32           today)
{
  gint64 end;

  g_return_val_if_fail (followup != NULL, -1);

  if (followup->reflection_start == 0)
    return -1;
  end = (gint64) followup->reflection_start + FR_FOLLOWUP_REFLECTION_DAYS;
  return (int) CLAMP (end - (gint64) today, 0, FR_FOLLOWUP_REFLECTION_DAYS);
}

guint32
fr_followup_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  return g_date_get_julian (&date);
}

gboolean
fr_followup_parse_date (const char *text,
                        guint32    *julian,
                        GError    **error)
{
  int y = 0, m = 0, d = 0;
  GDate date;

  g_return_val_if_fail (text != NULL && julian != NULL, FALSE);

  if (*text == '\0')
    {
      *julian = 0;
      return TRUE;
    }
  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-'
      || !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) || !g_ascii_isdigit (text[2])
      || !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[5]) || !g_ascii_isdigit (text[6])
      || !g_ascii_isdigit (text[8]) || !g_ascii_isdigit (text[9]))
    goto bad;
  y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  m = (text[5] - '0') * 10 + (text[6] - '0');
  d = (text[8] - '0') * 10 + (text[9] - '0');
  if (y < 1 || !g_date_valid_dmy (d, m, y))
    goto bad;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  *julian = g_date_get_julian (&date);
  return TRUE;

bad:
  g_set_error_literal (error, FR_ERROR, FR_ERROR_RECORD_INVALID, "a date is written YYYY-MM-DD");
  return FALSE;
}

char *
fr_followup_format_date (guint32 julian)
{
  GDate date;
  char buf[16];

  if (julian == 0 || !date_valid (julian))
    return g_strdup ("");
  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  g_snprintf (buf, sizeof buf, "%04u-%02u-%02u", g_date_get_year (&date), g_date_get_month (&date),
              g_date_get_day (&date));
  return g_strdup (buf);
}
