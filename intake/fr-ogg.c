/* fr-ogg.c — walks every Ogg page (RFC 3533), checks each CRC, requires one logical
 * stream that starts with an OpusHead (RFC 7845) and ends with end-of-stream, and
 * computes the duration from the last granule position minus the pre-skip. */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <string.h>

#include "fr-bytes-private.h"
#include "fr-error.h"
#include "fr-ogg.h"

#define PAGE_HEADER_SIZE 27
#define OPUS_HEAD_SIZE   19
#define FLAG_CONTINUED   0x01
#define FLAG_BOS         0x02
#define FLAG_EOS         0x04

static guint32 crc_table[256];

static void
crc_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint32 i = 0; i < 256; i++)
        {
          guint32 r = i << 24;

          for (int j = 0; j < 8; j++)
            r = (r & 0x80000000u) ? (r << 1) ^ 0x04c11db7u : r << 1;
          crc_table[i] = r;
        }
      g_once_init_leave (&done, 1);
    }
}

static guint32
page_crc (const guint8 *page,
          gsize         len)
{
  guint32 crc = 0;

  for (gsize i = 0; i < len; i++)
    {
      guint8 byte = (i >= 22 && i < 26) ? 0 : page[i];   /* the CRC field counts as zero */

      crc = (crc << 8) ^ crc_table[((crc >> 24) & 0xff) ^ byte];
    }
  return crc;
}

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_set_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID, "voice message is not Ogg Opus: %s", message);
  return FALSE;
}

gboolean
fr_ogg_opus_probe (const guint8  *data,
                   gsize          len,
                   guint64       *duration_ms,
                   GError       **error)
{
  gsize pos = 0;
  guint n_pages = 0;
  guint32 serial = 0;
  guint16 pre_skip = 0;
  guint64 granule = 0;
  gboolean eos = FALSE;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  crc_init ();
  while (pos < len)
    {
      const guint8 *page = data + pos;
      gsize header_len, body_len = 0;
      guint8 flags, n_segments;

      if (eos)
        return fail (error, "data after the end of the stream");
      if (len - pos < PAGE_HEADER_SIZE)
        return fail (error, "truncated page header");
      if (memcmp (page, "OggS", 4) != 0 || page[4] != 0)
        return fail (error, "bad page signature");
      flags = page[5];
      n_segments = page[26];
      header_len = PAGE_HEADER_SIZE + n_segments;
      if (len - pos < header_len)
        return fail (error, "truncated segment table");
      for (guint i = 0; i < n_segments; i++)
        body_len += page[PAGE_HEADER_SIZE + i];
      if (len - pos - header_len < body_len)
        return fail (error, "truncated page");
      if (page_crc (page, header_len + body_len) != _fr_load_u32_le (page + 22))
        return fail (error, "page checksum mismatch");

      if (n_pages == 0)
        {
          const guint8 *head = page + header_len;

          if (!(flags & FLAG_BOS) || body_len < OPUS_HEAD_SIZE || memcmp (head, "OpusHead", 8) != 0)
            return fail (error, "the first page is not an OpusHead");
          if (head[8] != 1 || head[9] == 0)
            return fail (error, "unsupported OpusHead");
          serial = _fr_load_u32_le (page + 14);
          pre_skip = head[10] | (head[11] << 8);
        }
      else
        {
          if (flags & FLAG_BOS)
            return fail (error, "more than one stream");
          if (_fr_load_u32_le (page + 14) != serial)
            return fail (error, "more than one stream");
        }
      if (_fr_load_u64_le (page + 6) != G_MAXUINT64)
        granule = _fr_load_u64_le (page + 6);
      eos = (flags & FLAG_EOS) != 0;
      pos += header_len + body_len;
      n_pages++;
    }

  if (n_pages < 2)
    return fail (error, "no audio pages");
  if (!eos)
    return fail (error, "the stream has no end (truncated?)");
  if (granule < pre_skip)
    return fail (error, "negative duration");
  if (duration_ms != NULL)
    *duration_ms = (granule - pre_skip) / 48;
  return TRUE;
}
