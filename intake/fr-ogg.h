/* fr-ogg.h — a strict check of an Ogg Opus voice message, its duration, and its packets
 *
 * fr_ogg_opus_probe() checks the container (RFC 3533: every page's CRC, one logical
 * stream from an OpusHead to end-of-stream) and gives the duration. fr_ogg_opus_read()
 * checks the rest of what a player relies on (RFC 7845: page sequence, header pages,
 * packet continuation, each page's granule position against its packets' TOC durations,
 * RFC 6716 §3.1) and copies the audio packets into guarded memory, back to back, with an
 * index; fr-voice-player.h plays them from there.
 */
#pragma once

#include <glib.h>

#include "fr-secret.h"

G_BEGIN_DECLS

#define FR_OGG_MIME "audio/ogg; codecs=opus"

#define FR_OPUS_HEAD_SIZE        19                 /* OpusHead, channel mapping family 0 */
#define FR_OPUS_RATE             48000              /* granule positions count 48 kHz samples */
#define FR_OPUS_MAX_PACKET       (64u * 1024u)      /* RFC 6716 allows at most 48 × 1275 bytes and a header */
#define FR_OPUS_MAX_SAMPLES      (60u * 60u * 48000u) /* an hour: far past any voice message */

gboolean fr_ogg_opus_probe (const guint8  *data,
                            gsize          len,
                            guint64       *duration_ms,
                            GError       **error);

/* One audio packet, in stream order. */
typedef struct
{
  guint32 offset;    /* into FrOggOpus.data */
  guint32 len;       /* 1 … FR_OPUS_MAX_PACKET bytes */
  guint32 start;     /* 48 kHz samples of the packets before it (pre-skip included) */
  guint32 samples;   /* 48 kHz samples it decodes to: 120 … 5760 */
} FrOpusPacket;

typedef struct
{
  FrSecret           *data;          /* the audio packets, back to back (guarded memory) */
  FrSecret           *index;         /* the FrOpusPacket array behind packets */
  const FrOpusPacket *packets;
  guint               n_packets;     /* at least 1 */
  guint8              head[FR_OPUS_HEAD_SIZE];   /* the OpusHead packet */
  guint               channels;      /* 1 or 2 */
  guint               pre_skip;      /* samples to drop at the start */
  guint               end_trim;      /* samples the last granule position drops at the end */
  guint64             total_samples; /* every packet's samples, pre-skip and end trim included */
  guint64             duration_ms;   /* what fr_ogg_opus_probe() gives */
} FrOggOpus;

FrOggOpus *fr_ogg_opus_read (const guint8  *data,
                             gsize          len,
                             GError       **error);
void       fr_ogg_opus_free (FrOggOpus     *opus);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrOggOpus, fr_ogg_opus_free)

G_END_DECLS
