/* fr-test-tone.h — a known tone as a voice message, made in memory by GStreamer as the
 * kiosk's recorder makes one (audiotestsrc ! opusenc ! oggmux ! appsink), and a look at
 * decoded audio: how long, and at what frequency. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Ogg Opus, mono, 48 kHz: a sine at @hz for @seconds (a multiple of 20 ms). */
GBytes *fr_test_tone_ogg        (double        hz,
                                 double        seconds);

/* Counts interleaved S16 samples of the first channel: their number and sign changes. */
typedef struct
{
  guint64 frames;
  guint64 crossings;
  gint16  last;
} FrTestToneCount;

void    fr_test_tone_count      (FrTestToneCount *count,
                                 const gint16    *samples,
                                 gsize            n_frames,
                                 guint            channels);
double  fr_test_tone_seconds    (const FrTestToneCount *count);
double  fr_test_tone_hz         (const FrTestToneCount *count);

/* Decodes Ogg Opus bytes (decodebin) to 48 kHz mono and counts them: how long, and at what
 * frequency. */
void    fr_test_tone_analyse    (const guint8    *data,
                                 gsize            len,
                                 double          *seconds,
                                 double          *hz);

G_END_DECLS
