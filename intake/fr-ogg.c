/* fr-ogg.c — walks every Ogg page (RFC 3533), checks each CRC, requires one logical
 * stream that starts with an OpusHead (RFC 7845) and ends with end-of-stream, and
 * computes the duration from the last granule position minus the pre-skip; then, for
 * playback, reads the stream's packets into guarded memory (fr_ogg_opus_read). */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <sodium.h>
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

/* ---- packets, for playback ---------------------------------------------------------- */

/* RFC 6716 §3.1: the samples (at 48 kHz) a packet decodes to, from its TOC byte and, for
 * code 3, its frame count; 0 if that is not a valid packet length. */
static guint
opus_packet_samples (const guint8 *packet,
                     gsize         len)
{
  /* Frame sizes by configuration: SILK 10/20/40/60 ms, hybrid 10/20 ms, CELT 2.5/5/10/20 ms. */
  static const guint16 frame_samples[32] = {
    480, 960, 1920, 2880, 480, 960, 1920, 2880, 480, 960, 1920, 2880,
    480, 960, 480, 960,
    120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960,
  };
  guint frames;

  if (len < 1)
    return 0;
  switch (packet[0] & 3)
    {
    case 0:
      frames = 1;
      break;
    case 1:
    case 2:
      frames = 2;
      break;
    default:
      if (len < 2)
        return 0;
      frames = packet[1] & 0x3f;
      break;
    }
  frames *= frame_samples[packet[0] >> 3];
  return frames <= 5760 ? frames : 0;   /* at most 120 ms; 0 frames is no packet */
}

typedef struct
{
  FrOggOpus *out;             /* NULL while counting */
  guint      n_packets;       /* audio packets */
  gsize      bytes;           /* audio packet bytes */
  guint64    samples;         /* audio samples so far */
  guint      pre_skip;
  guint      end_trim;
  guint      channels;
  guint8     head[FR_OPUS_HEAD_SIZE];
} Walk;

/* A complete packet: number @index in the stream (0 OpusHead, 1 OpusTags, then audio);
 * @lead holds its first MIN (len, FR_OPUS_HEAD_SIZE) bytes. */
static gboolean
take_packet (Walk          *w,
             guint64        index,
             const guint8  *lead,
             gsize          len,
             gsize          offset,
             GError       **error)
{
  guint samples;

  if (index == 0)
    {
      if (len < FR_OPUS_HEAD_SIZE || memcmp (lead, "OpusHead", 8) != 0)
        return fail (error, "the first packet is not an OpusHead");
      if (lead[8] != 1)
        return fail (error, "unsupported OpusHead version");
      if (lead[9] < 1 || lead[9] > 2 || lead[18] != 0)
        return fail (error, "only mono or stereo streams (channel mapping family 0) are played");
      if (len != FR_OPUS_HEAD_SIZE)
        return fail (error, "an OpusHead of channel mapping family 0 has 19 bytes");
      memcpy (w->head, lead, FR_OPUS_HEAD_SIZE);
      w->channels = lead[9];
      w->pre_skip = lead[10] | (lead[11] << 8);
      return TRUE;
    }
  if (index == 1)
    {
      if (len < 16 || memcmp (lead, "OpusTags", 8) != 0)
        return fail (error, "the second packet is not OpusTags");
      return TRUE;
    }

  if (len > FR_OPUS_MAX_PACKET)
    return fail (error, "an audio packet is too large");
  samples = opus_packet_samples (lead, len);
  if (samples == 0)
    return fail (error, "an audio packet has no valid duration");
  if (w->samples + samples > FR_OPUS_MAX_SAMPLES)
    return fail (error, "longer than an hour");
  if (w->out != NULL)
    {
      FrOpusPacket *packet = (FrOpusPacket *) w->out->index->data + w->n_packets;

      packet->offset = (guint32) offset;
      packet->len = (guint32) len;
      packet->start = (guint32) w->samples;
      packet->samples = samples;
    }
  w->samples += samples;
  w->n_packets++;
  w->bytes += len;
  return TRUE;
}

/* One pass over pages fr_ogg_opus_probe() accepted (sizes, CRCs, one stream, BOS, EOS);
 * with w->out set, copies the audio packets into it. */
static gboolean
walk_packets (Walk          *w,
              const guint8  *data,
              gsize          len,
              GError       **error)
{
  gsize pos = 0, write = 0;
  guint32 sequence = 0;
  guint64 index = 0;                 /* packets completed so far, headers included */
  gboolean pending = FALSE;          /* a packet is open (it may continue onto the next page) */
  guint8 lead[FR_OPUS_HEAD_SIZE];    /* the open packet's first bytes */
  gsize lead_len = 0, packet_len = 0, packet_offset = 0;
  gboolean ok = FALSE;

  while (pos < len)
    {
      const guint8 *page = data + pos;
      guint8 flags = page[5];
      guint n_segments = page[26];
      const guint8 *body = page + PAGE_HEADER_SIZE + n_segments;
      gsize body_pos = 0;
      guint64 granule = _fr_load_u64_le (page + 6);
      guint completed = 0, audio_completed = 0;
      gboolean tags_ended = FALSE;
      guint64 samples_before = w->samples;

      if (flags & ~(FLAG_CONTINUED | FLAG_BOS | FLAG_EOS))
        {
          fail (error, "unknown page flags");
          goto out;
        }
      if (_fr_load_u32_le (page + 18) != sequence++)
        {
          fail (error, "a page is missing or out of order");
          goto out;
        }
      if (!!(flags & FLAG_CONTINUED) != pending)
        {
          fail (error, pending ? "a packet does not continue" : "a page continues no packet");
          goto out;
        }

      for (guint i = 0; i < n_segments; i++)
        {
          guint segment = page[PAGE_HEADER_SIZE + i];

          if (!pending)
            {
              lead_len = 0;
              packet_len = 0;
              packet_offset = write;
              pending = TRUE;
            }
          if (lead_len < sizeof lead)
            {
              gsize take = MIN (segment, sizeof lead - lead_len);

              memcpy (lead + lead_len, body + body_pos, take);
              lead_len += take;
            }
          if (index >= 2 && w->out != NULL)
            {
              g_assert (segment <= w->out->data->len - write);   /* the counting pass sized it */
              memcpy (w->out->data->data + write, body + body_pos, segment);
              write += segment;
            }
          packet_len += segment;
          body_pos += segment;
          if (index != 1 && packet_len > FR_OPUS_MAX_PACKET)
            {
              fail (error, "a packet is too large");
              goto out;
            }
          if (segment == 255)
            continue;
          if (!take_packet (w, index, lead, packet_len, packet_offset, error))
            goto out;
          tags_ended = tags_ended || index == 1;
          audio_completed += index >= 2;
          index++;
          completed++;
          pending = FALSE;
        }

      /* RFC 7845 §3: the OpusHead alone on the first page; the comment header ends a page of
       * its own, so audio starts on a fresh page; header pages have granule position 0,
       * pages that end no packet have none (-1), an audio page the samples of every packet
       * it ends, the last one possibly fewer (end trimming, at most its own samples). */
      if (sequence == 1 && (completed != 1 || pending))
        {
          fail (error, "the OpusHead is not alone on the first page");
          goto out;
        }
      if (tags_ended && (completed != 1 || pending))
        {
          fail (error, "audio data on the comment header's last page");
          goto out;
        }
      if (completed == 0 ? granule != G_MAXUINT64
          : audio_completed == 0 ? granule != 0
          : (flags & FLAG_EOS) ? granule > w->samples || granule < samples_before
          : granule != w->samples)
        {
          fail (error, "a granule position does not match the packets on its page");
          goto out;
        }
      if (audio_completed > 0 && (flags & FLAG_EOS))
        w->end_trim = (guint) (w->samples - granule);

      pos += PAGE_HEADER_SIZE + n_segments + body_pos;
    }
  if (pending)
    fail (error, "the last packet is truncated");
  else if (w->n_packets == 0)
    fail (error, "no audio packets");
  else if (w->samples - w->end_trim < w->pre_skip)
    fail (error, "negative duration");
  else
    ok = TRUE;

out:
  sodium_memzero (lead, sizeof lead);
  return ok;
}

/**
 * fr_ogg_opus_read:
 *
 * Checks @data as fr_ogg_opus_probe() does, and more strictly (see fr-ogg.h), and copies
 * its audio packets into guarded memory. @data itself is not kept.
 */
FrOggOpus *
fr_ogg_opus_read (const guint8  *data,
                  gsize          len,
                  GError       **error)
{
  g_autoptr(FrOggOpus) opus = NULL;
  Walk count = { 0 }, fill = { 0 };
  guint64 probed_ms = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (!fr_ogg_opus_probe (data, len, &probed_ms, error))
    return NULL;
  if (!walk_packets (&count, data, len, error))
    return NULL;

  opus = g_new0 (FrOggOpus, 1);
  opus->data = fr_secret_new (count.bytes);
  /* sodium_malloc puts a block against its guard page, so its start is only as aligned as
   * its size: fr_secret_new (len) takes len + 1 bytes, a multiple of 16 here. */
  G_STATIC_ASSERT (sizeof (FrOpusPacket) == 16);
  opus->index = fr_secret_new (count.n_packets * sizeof (FrOpusPacket) + 15);
  g_assert (((guintptr) opus->index->data & (G_ALIGNOF (FrOpusPacket) - 1)) == 0);
  fill.out = opus;
  if (!walk_packets (&fill, data, len, error))
    return NULL;
  g_assert (fill.n_packets == count.n_packets && fill.bytes == count.bytes);

  opus->packets = (const FrOpusPacket *) opus->index->data;
  opus->n_packets = fill.n_packets;
  memcpy (opus->head, fill.head, FR_OPUS_HEAD_SIZE);
  opus->channels = fill.channels;
  opus->pre_skip = fill.pre_skip;
  opus->end_trim = fill.end_trim;
  opus->total_samples = fill.samples;
  opus->duration_ms = (fill.samples - fill.end_trim - fill.pre_skip) / 48;
  g_assert (opus->duration_ms == probed_ms);
  return g_steal_pointer (&opus);
}

void
fr_ogg_opus_free (FrOggOpus *opus)
{
  if (opus == NULL)
    return;
  g_clear_pointer (&opus->data, fr_secret_free);
  g_clear_pointer (&opus->index, fr_secret_free);
  g_free (opus);
}
