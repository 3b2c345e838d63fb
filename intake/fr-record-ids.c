/* fr-record-ids.c — record ids, receipt codes and times
 *
 * Lowercase version 4 UUIDs, the Crockford base-32 receipt code derived from the id, and
 * UTC timestamps written YYYY-MM-DDTHH:MM:SSZ (intake/RECORD.md).
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "fr-record-private.h"

static const char crockford32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int
_fr_record_hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static gboolean
is_uuid_dash (guint i)
{
  return i == 8 || i == 13 || i == 18 || i == 23;
}

/**
 * fr_uuid_parse:
 * @str: a NUL-terminated string
 * @id: (out): the 16 bytes
 *
 * Accepts exactly 36 characters: lowercase hex in 8-4-4-4-12 groups. Any version and
 * variant; the record validator checks those. @id is untouched on failure.
 */
gboolean
fr_uuid_parse (const char *str,
               guint8      id[FR_RECORD_ID_SIZE])
{
  guint8 tmp[FR_RECORD_ID_SIZE];
  guint n = 0;

  g_return_val_if_fail (str != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < FR_UUID_STRING_LEN; )
    {
      int hi, lo;

      if (is_uuid_dash (i))
        {
          if (str[i] != '-')
            return FALSE;
          i++;
          continue;
        }
      /* A NUL stops here, so nothing past the string is read. */
      hi = _fr_record_hex_value (str[i]);
      if (hi < 0)
        return FALSE;
      lo = _fr_record_hex_value (str[i + 1]);
      if (lo < 0)
        return FALSE;
      tmp[n++] = (guint8) (hi << 4 | lo);
      i += 2;
    }
  if (str[FR_UUID_STRING_LEN] != '\0')
    return FALSE;
  memcpy (id, tmp, sizeof tmp);
  return TRUE;
}

void
fr_uuid_format (const guint8 id[FR_RECORD_ID_SIZE],
                char         out[FR_UUID_STRING_LEN + 1])
{
  static const char hex[] = "0123456789abcdef";
  guint n = 0;

  g_return_if_fail (id != NULL);
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < FR_UUID_STRING_LEN; )
    {
      if (is_uuid_dash (i))
        {
          out[i++] = '-';
          continue;
        }
      out[i++] = hex[id[n] >> 4];
      out[i++] = hex[id[n] & 0x0f];
      n++;
    }
  out[FR_UUID_STRING_LEN] = '\0';
}

/**
 * fr_uuid_generate:
 * @id: (out): 16 random bytes with the version 4 and RFC 4122 variant bits set
 */
void
fr_uuid_generate (guint8 id[FR_RECORD_ID_SIZE])
{
  g_return_if_fail (id != NULL);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
  randombytes_buf (id, FR_RECORD_ID_SIZE);
  id[6] = (id[6] & 0x0f) | 0x40;
  id[8] = (id[8] & 0x3f) | 0x80;
}

/**
 * fr_receipt_format:
 * @id: a record id
 * @out: (out): "XXXX-XXXX"
 *
 * The first 40 bits of @id (its first 5 bytes, big-endian) as 8 Crockford base32
 * digits, most significant first.
 */
void
fr_receipt_format (const guint8 id[FR_RECORD_ID_SIZE],
                   char         out[FR_RECEIPT_STRING_LEN + 1])
{
  guint64 bits = 0;
  guint n = 0;

  g_return_if_fail (id != NULL);
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < 5; i++)
    bits = bits << 8 | id[i];
  for (guint digit = 0; digit < 8; digit++)
    {
      if (digit == 4)
        out[n++] = '-';
      out[n++] = crockford32[(bits >> (35 - 5 * digit)) & 0x1f];
    }
  out[n] = '\0';
}

/**
 * fr_timestamp_parse:
 * @str: a NUL-terminated string
 * @out_unix: (out) (optional): Unix seconds
 *
 * Accepts exactly "YYYY-MM-DDTHH:MM:SSZ" naming a real UTC date and time in the years
 * 0001..9999 (no leap second). The record validator further requires 2000..9999.
 */
gboolean
fr_timestamp_parse (const char *str,
                    gint64     *out_unix)
{
  static const char pattern[] = "dddd-dd-ddTdd:dd:ddZ";
  g_autoptr(GDateTime) dt = NULL;
  int year, month, day, hour, minute, second;

  g_return_val_if_fail (str != NULL, FALSE);

  for (guint i = 0; i < FR_TIMESTAMP_STRING_LEN; i++)
    {
      /* A NUL fails both tests, so nothing past the string is read. */
      if (pattern[i] == 'd' ? !g_ascii_isdigit (str[i]) : str[i] != pattern[i])
        return FALSE;
    }
  if (str[FR_TIMESTAMP_STRING_LEN] != '\0')
    return FALSE;

#define DIGITS2(p) (((p)[0] - '0') * 10 + ((p)[1] - '0'))
  year = DIGITS2 (str) * 100 + DIGITS2 (str + 2);
  month = DIGITS2 (str + 5);
  day = DIGITS2 (str + 8);
  hour = DIGITS2 (str + 11);
  minute = DIGITS2 (str + 14);
  second = DIGITS2 (str + 17);
#undef DIGITS2

  /* g_date_time_new_utc() returns NULL for any field out of range (Feb 30, 24:00,
   * second 60, year 0) without a warning. */
  dt = g_date_time_new_utc (year, month, day, hour, minute, (gdouble) second);
  if (dt == NULL)
    return FALSE;
  if (out_unix != NULL)
    *out_unix = g_date_time_to_unix (dt);
  return TRUE;
}

/**
 * fr_timestamp_format:
 * @unix_time: Unix seconds
 * @out: (out): "YYYY-MM-DDTHH:MM:SSZ" in UTC
 *
 * Times outside the years 0001..9999 are written as "0000-00-00T00:00:00Z", which no
 * parser accepts.
 */
void
fr_timestamp_format (gint64 unix_time,
                     char   out[FR_TIMESTAMP_STRING_LEN + 1])
{
  g_autoptr(GDateTime) dt = NULL;

  g_return_if_fail (out != NULL);

  dt = g_date_time_new_from_unix_utc (unix_time);
  if (dt == NULL)
    {
      memcpy (out, "0000-00-00T00:00:00Z", FR_TIMESTAMP_STRING_LEN + 1);
      return;
    }
  g_snprintf (out, FR_TIMESTAMP_STRING_LEN + 1, "%04d-%02d-%02dT%02d:%02d:%02dZ",
              g_date_time_get_year (dt), g_date_time_get_month (dt),
              g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
              g_date_time_get_minute (dt), g_date_time_get_second (dt));
}
