/* test-ogg.c — fr_ogg_opus_read(): the packets of a voice message, read strictly into
 * guarded memory. The committed vector reads with the duration fr_ogg_opus_probe() gives
 * and every packet in place; each broken variant (CRC recomputed, so only the stricter
 * reading can refuse it) is refused with a message naming what is wrong. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include "fr-intake.h"

typedef struct
{
  guint8 *data;
  gsize   len;
  gsize   pages[16];   /* offsets of the pages */
  guint   n_pages;
} Vector;

static guint32
ogg_crc (const guint8 *page,
         gsize         len)
{
  guint32 crc = 0;

  for (gsize i = 0; i < len; i++)
    {
      guint8 byte = (i >= 22 && i < 26) ? 0 : page[i];

      crc ^= (guint32) byte << 24;
      for (int j = 0; j < 8; j++)
        crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04c11db7u : crc << 1;
    }
  return crc;
}

static gsize
page_len (const guint8 *page)
{
  gsize len = 27 + page[26];

  for (guint i = 0; i < page[26]; i++)
    len += page[27 + i];
  return len;
}

/* After a change to page @n: its checksum made right again. */
static void
reseal (Vector *v,
        guint   n)
{
  guint8 *page = v->data + v->pages[n];
  guint32 crc = ogg_crc (page, page_len (page));

  page[22] = crc & 0xff;
  page[23] = (crc >> 8) & 0xff;
  page[24] = (crc >> 16) & 0xff;
  page[25] = (crc >> 24) & 0xff;
}

static void
vector_load (Vector *v)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (TEST_VECTORS_DIR, "voice-hej.ogg", NULL);
  gsize pos = 0;

  g_assert_true (g_file_get_contents (path, (char **) &v->data, &v->len, &error));
  v->n_pages = 0;
  while (pos < v->len)
    {
      g_assert_cmpuint (v->n_pages, <, G_N_ELEMENTS (v->pages));
      v->pages[v->n_pages++] = pos;
      pos += page_len (v->data + pos);
    }
  g_assert_cmpuint (pos, ==, v->len);
  g_assert_cmpuint (v->n_pages, ==, 6);   /* head, tags, four audio pages (the last one EOS) */
}

static void
vector_clear (Vector *v)
{
  g_free (v->data);
}

static void
set_u64 (guint8  *p,
         guint64  value)
{
  for (guint i = 0; i < 8; i++)
    p[i] = (value >> (8 * i)) & 0xff;
}

static guint64
get_u64 (const guint8 *p)
{
  guint64 value = 0;

  for (guint i = 0; i < 8; i++)
    value |= (guint64) p[i] << (8 * i);
  return value;
}

static void
test_vector_reads (void)
{
  Vector v;
  g_autoptr(GError) error = NULL;
  g_autoptr(FrOggOpus) opus = NULL;
  guint64 probed = 0, samples = 0;
  gsize bytes = 0;

  vector_load (&v);
  g_assert_true (fr_ogg_opus_probe (v.data, v.len, &probed, &error));
  opus = fr_ogg_opus_read (v.data, v.len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (opus);
  g_assert_cmpuint (opus->duration_ms, ==, probed);
  g_assert_cmpuint (opus->channels, ==, 1);
  g_assert_cmpuint (opus->pre_skip, ==, 312);
  g_assert_cmpuint (opus->end_trim, ==, 121);      /* 96 packets of 20 ms, granule 92039 */
  g_assert_cmpuint (opus->n_packets, ==, 25 + 26 + 26 + 19);
  g_assert_cmpmem (opus->head, 8, "OpusHead", 8);
  for (guint i = 0; i < opus->n_packets; i++)
    {
      const FrOpusPacket *p = &opus->packets[i];

      g_assert_cmpuint (p->offset, ==, bytes);
      g_assert_cmpuint (p->start, ==, samples);
      g_assert_cmpuint (p->samples, ==, 960);
      g_assert_cmpuint (p->len, >, 0);
      bytes += p->len;
      samples += p->samples;
    }
  g_assert_cmpuint (bytes, ==, opus->data->len);
  g_assert_cmpuint (samples, ==, opus->total_samples);
  g_assert_cmpuint (samples - opus->end_trim, ==, get_u64 (v.data + v.pages[5] + 6));
  /* The first audio packet as it is on the third page, right after its lacing values. */
  {
    const guint8 *page = v.data + v.pages[2];

    g_assert_cmpmem (opus->data->data, opus->packets[0].len, page + 27 + page[26], opus->packets[0].len);
  }
  vector_clear (&v);
}

typedef void (*Breaker) (Vector *v);

static void
assert_refused (Breaker     breaker,
                const char *message)
{
  Vector v;
  g_autoptr(GError) error = NULL;
  g_autoptr(FrOggOpus) opus = NULL;

  vector_load (&v);
  breaker (&v);
  opus = fr_ogg_opus_read (v.data, v.len, &error);
  g_assert_null (opus);
  g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
  if (strstr (error->message, message) == NULL)
    g_error ("expected “%s”, got “%s”", message, error->message);
  vector_clear (&v);
}

static void
break_sequence (Vector *v)
{
  v->data[v->pages[3] + 18] ^= 1;
  reseal (v, 3);
}

static void
break_granule (Vector *v)
{
  guint8 *granule = v->data + v->pages[3] + 6;

  set_u64 (granule, get_u64 (granule) + 1);
  reseal (v, 3);
}

static void
break_last_granule (Vector *v)
{
  /* More samples than the packets hold. */
  guint8 *granule = v->data + v->pages[5] + 6;

  set_u64 (granule, get_u64 (granule) + 200);
  reseal (v, 5);
}

static void
break_trim (Vector *v)
{
  /* Trimming more than the last page holds. */
  guint8 *granule = v->data + v->pages[5] + 6;

  set_u64 (granule, get_u64 (v->data + v->pages[4] + 6) - 1);
  reseal (v, 5);
}

static void
break_header_granule (Vector *v)
{
  set_u64 (v->data + v->pages[1] + 6, 5);
  reseal (v, 1);
}

static void
break_channels (Vector *v)
{
  v->data[v->pages[0] + 28 + 9] = 3;
  reseal (v, 0);
}

static void
break_family (Vector *v)
{
  v->data[v->pages[0] + 28 + 18] = 1;
  reseal (v, 0);
}

static void
break_continued (Vector *v)
{
  v->data[v->pages[2] + 5] |= 0x01;
  reseal (v, 2);
}

static void
break_flags (Vector *v)
{
  v->data[v->pages[3] + 5] |= 0x08;
  reseal (v, 3);
}

static void
break_toc (Vector *v)
{
  /* Code 3 with no frames in it. */
  guint8 *page = v->data + v->pages[2];
  guint8 *packet = page + 27 + page[26];

  packet[0] |= 0x03;
  packet[1] = 0x00;
  reseal (v, 2);
}

static void
break_long_frames (Vector *v)
{
  /* Code 3 with 63 frames of 20 ms: 1.26 s, more than a packet may hold. */
  guint8 *page = v->data + v->pages[2];
  guint8 *packet = page + 27 + page[26];

  packet[0] |= 0x03;
  packet[1] = 63;
  reseal (v, 2);
}

static void
break_tags (Vector *v)
{
  guint8 *page = v->data + v->pages[1];

  memcpy (page + 27 + page[26], "OpusTagz", 8);
  reseal (v, 1);
}

static void
break_duration_mismatch (Vector *v)
{
  /* The first audio packet made 10 ms (config 0: SILK 10 ms): its page's granule no longer adds up. */
  guint8 *page = v->data + v->pages[2];
  guint8 *packet = page + 27 + page[26];

  packet[0] = (guint8) (packet[0] & 0x07);
  reseal (v, 2);
}

static void
test_refusals (void)
{
  assert_refused (break_sequence, "a page is missing or out of order");
  assert_refused (break_granule, "granule position does not match");
  assert_refused (break_last_granule, "granule position does not match");
  assert_refused (break_trim, "granule position does not match");
  assert_refused (break_header_granule, "granule position does not match");
  assert_refused (break_channels, "mono or stereo");
  assert_refused (break_family, "mono or stereo");
  assert_refused (break_continued, "a page continues no packet");
  assert_refused (break_flags, "unknown page flags");
  assert_refused (break_toc, "no valid duration");
  assert_refused (break_long_frames, "no valid duration");
  assert_refused (break_tags, "not OpusTags");
  assert_refused (break_duration_mismatch, "granule position does not match");
}

/* Every prefix is refused (the probe's own checks), and nothing reads past the end. */
static void
test_truncations (void)
{
  Vector v;

  vector_load (&v);
  for (gsize len = 0; len < v.len; len += 7)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *copy = g_memdup2 (v.data, len);
      g_autoptr(FrOggOpus) opus = fr_ogg_opus_read (copy, len, &error);

      g_assert_null (opus);
      g_assert_nonnull (error);
    }
  vector_clear (&v);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());
  g_test_add_func ("/ogg/read/vector", test_vector_reads);
  g_test_add_func ("/ogg/read/refusals", test_refusals);
  g_test_add_func ("/ogg/read/truncations", test_truncations);
  return g_test_run ();
}
