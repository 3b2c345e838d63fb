/* test-recorder.c — a voice message (issue 13): a 5 s tone from audiotestsrc, recorded
 * into locked memory, becomes a record's attachment that opens with the staff key, with
 * the duration and the frequency it was recorded with; no file appears anywhere the kiosk
 * could write while recording or after; the disguised version is as long and every
 * frequency is shifted by the disguise factor; delete wipes it; an endless source stops
 * at the maximum. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "fr-envelope.h"
#include "fr-keys.h"
#include "fr-ogg.h"
#include "fr-record.h"
#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-recorder.h"
#include "fr-test-tone.h"
#include "fr-test-util.h"

#define TONE_HZ      440.0
#define TONE_SECONDS 5.0
#define TONE_SOURCE  "audiotestsrc num-buffers=250 samplesperbuffer=960 freq=440 wave=sine" \
                     " ! audio/x-raw,rate=48000,channels=1"

static FrTestRoots roots;   /* HOME, TMPDIR, the XDG directories: fresh and empty */

/* Under ASan: whole stacks for leaks, so lsan.supp can tell GLib's quark table (grown
 * past its first block by GStreamer's quarks, the soundtouch plugin's among them) by its
 * constructor frame. */
const char *__asan_default_options (void);
const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

static void
on_stopped (FrKioskRecorder *recorder,
            gboolean        *stopped)
{
  *stopped = TRUE;
}

static void
on_level (FrKioskRecorder *recorder,
          double           db,
          double          *loudest)
{
  *loudest = MAX (*loudest, db);
}

static FrRecord *
make_record (gsize   size,
             guint64 duration_ms)
{
  const char *json = "{\"channel\":\"kiosk\",\"language\":\"sv\",\"answers\":{},"
                     "\"consent\":{\"share\":true,\"text_version\":\"consent-2\"}}";
  FrAttachmentInfo info = { 0 };
  g_autoptr(GError) error = NULL;
  FrRecord *record;

  g_strlcpy (info.kind, "voice", sizeof info.kind);
  g_strlcpy (info.mime, FR_OGG_MIME, sizeof info.mime);
  info.size = size;
  info.duration_ms = duration_ms;
  record = fr_record_complete (json, strlen (json), "test-site", g_get_real_time () / G_USEC_PER_SEC, &info, 1, &error);
  g_assert_no_error (error);
  return record;
}

static void
test_tone_becomes_attachment (void)
{
  g_autoptr(FrKioskRecorder) recorder = fr_kiosk_recorder_new (FR_KIOSK_RECORDER_DEFAULT_MAX_SECONDS);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(FrSecret) message = NULL;
  g_autoptr(FrSecret) disguised = NULL;
  g_autoptr(FrStaffKey) staff = fr_staff_key_generate ();
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) envelope = NULL;
  FrOpenedEnvelope *opened;
  FrRecord *record;
  const FrAttachmentInfo *info;
  const FrSecret *attachments[1];
  gboolean stopped = FALSE;
  double loudest = -200, seconds, hz;
  guint64 duration_ms = 0, probed_ms = 0, disguised_ms = 0;
  gint64 start;

  /* GStreamer's own registry cache is written at its first start: before the snapshot. */
  gst_init (NULL, NULL);
  before = fr_test_roots_snapshot (&roots, NULL);
  g_signal_connect (recorder, "stopped", G_CALLBACK (on_stopped), &stopped);
  g_signal_connect (recorder, "level", G_CALLBACK (on_level), &loudest);
  start = g_get_monotonic_time ();
  g_assert_true (fr_kiosk_recorder_start (recorder, &error));
  g_assert_no_error (error);
  g_assert_true (fr_kiosk_recorder_is_recording (recorder));
  while (!stopped && g_get_monotonic_time () - start < 30 * G_USEC_PER_SEC)
    {
      g_main_context_iteration (NULL, FALSE);
      fr_test_roots_assert_no_new_file (&roots, before, NULL, "while recording");
      g_usleep (1000);
    }
  g_assert_true (stopped);
  disguised = fr_kiosk_recorder_steal (recorder, FR_KIOSK_VOICE_DISGUISED, &disguised_ms);
  message = fr_kiosk_recorder_steal (recorder, FR_KIOSK_VOICE_PLAIN, &duration_ms);
  g_assert_nonnull (message);
  g_test_message ("5 s tone: %" G_GSIZE_FORMAT " bytes of Ogg Opus, %" G_GUINT64_FORMAT " ms, loudest %.1f dB",
                  message->len, duration_ms, loudest);
  g_assert_cmpfloat (loudest, >, -30.0);   /* the meter saw the tone */
  g_assert_cmpfloat (fabs (duration_ms - TONE_SECONDS * 1000) / (TONE_SECONDS * 1000), <, 0.05);
  /* What was recorded is gone from the recorder once handed over. */
  g_assert_null (fr_kiosk_recorder_steal (recorder, FR_KIOSK_VOICE_PLAIN, NULL));
  g_assert_null (fr_kiosk_recorder_steal (recorder, FR_KIOSK_VOICE_DISGUISED, NULL));
  g_assert_cmpuint (fr_kiosk_recorder_get_n_live_buffers (), ==, 0);

  /* The disguised version: as long, every frequency times the disguise factor. */
  g_assert_nonnull (disguised);
  g_assert_false (fr_secret_equal (disguised, message));
  fr_test_tone_analyse (disguised->data, disguised->len, &seconds, &hz);
  g_test_message ("disguised: %" G_GSIZE_FORMAT " bytes, %" G_GUINT64_FORMAT " ms, %.3f s decoded, %.1f Hz",
                  disguised->len, disguised_ms, seconds, hz);
  g_assert_cmpfloat (fabs (seconds - TONE_SECONDS) / TONE_SECONDS, <, 0.05);
  g_assert_cmpfloat (fabs (hz - TONE_HZ * FR_KIOSK_RECORDER_DISGUISE_PITCH) / (TONE_HZ * FR_KIOSK_RECORDER_DISGUISE_PITCH), <, 0.03);

  /* Sealed as the record's attachment, opened with the staff key. */
  record = make_record (message->len, duration_ms);
  attachments[0] = message;
  envelope = fr_envelope_seal (record, attachments, 1, (const guint8 (*)[FR_KEY_SIZE]) staff->recipient_pk, 1, kiosk, &error);
  g_assert_no_error (error);
  opened = fr_envelope_open (g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope),
                             staff->recipient_pk, staff->recipient_sk, kiosk->pk, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (opened->n_attachments, ==, 1);
  info = fr_record_get_attachment (opened->record, 0);
  g_assert_cmpstr (info->mime, ==, FR_OGG_MIME);
  g_assert_true (fr_secret_equal (opened->attachments[0], message));
  g_assert_true (fr_ogg_opus_probe (opened->attachments[0]->data, opened->attachments[0]->len, &probed_ms, &error));
  g_assert_no_error (error);
  fr_test_tone_analyse (opened->attachments[0]->data, opened->attachments[0]->len, &seconds, &hz);
  g_test_message ("opened: %.3f s decoded, %.1f Hz", seconds, hz);
  g_assert_cmpfloat (fabs (seconds - TONE_SECONDS) / TONE_SECONDS, <, 0.05);
  g_assert_cmpfloat (fabs (hz - TONE_HZ) / TONE_HZ, <, 0.05);
  fr_opened_envelope_free (opened);
  fr_record_free (record);

  /* Nothing written during or after. */
  g_object_unref (g_steal_pointer (&recorder));
  for (guint i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  fr_test_roots_assert_no_new_file (&roots, before, NULL, "after recording");
}

static void
test_delete_wipes (void)
{
  g_autoptr(FrKioskRecorder) recorder = fr_kiosk_recorder_new (FR_KIOSK_RECORDER_DEFAULT_MAX_SECONDS);
  gboolean stopped = FALSE;
  gint64 start = g_get_monotonic_time ();

  g_signal_connect (recorder, "stopped", G_CALLBACK (on_stopped), &stopped);
  g_assert_true (fr_kiosk_recorder_start (recorder, NULL));
  while (!stopped && g_get_monotonic_time () - start < 30 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  fr_kiosk_recorder_wipe (recorder);
  g_assert_null (fr_kiosk_recorder_steal (recorder, FR_KIOSK_VOICE_PLAIN, NULL));
  g_assert_cmpuint (fr_kiosk_recorder_get_n_live_buffers (), ==, 0);
  /* Record again after delete. */
  stopped = FALSE;
  g_assert_true (fr_kiosk_recorder_start (recorder, NULL));
  while (!stopped && g_get_monotonic_time () - start < 60 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  g_autoptr(FrSecret) again = fr_kiosk_recorder_steal (recorder, FR_KIOSK_VOICE_PLAIN, NULL);
  g_assert_nonnull (again);
}

/* An endless source stops by itself at the maximum, counted in samples: the message is
 * as long as allowed, never longer, however fast the source runs. */
static void
test_stops_at_maximum (void)
{
  g_autoptr(FrKioskRecorder) recorder = fr_kiosk_recorder_new (10);
  g_autoptr(FrSecret) message = NULL;
  gboolean stopped = FALSE;
  gint64 start = g_get_monotonic_time ();
  guint64 ms = 0;
  double seconds, hz;

  fr_kiosk_recorder_set_test_source ("audiotestsrc samplesperbuffer=960 freq=440 wave=sine"
                                     " ! audio/x-raw,rate=48000,channels=1");
  g_signal_connect (recorder, "stopped", G_CALLBACK (on_stopped), &stopped);
  g_assert_true (fr_kiosk_recorder_start (recorder, NULL));
  while (!stopped && g_get_monotonic_time () - start < 14 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (stopped);
  g_assert_cmpuint (fr_kiosk_recorder_get_elapsed_ms (recorder), >=, 10000);
  g_assert_cmpuint (fr_kiosk_recorder_get_elapsed_ms (recorder), <, 10100);
  message = fr_kiosk_recorder_steal (recorder, FR_KIOSK_VOICE_PLAIN, &ms);
  g_assert_nonnull (message);
  fr_test_tone_analyse (message->data, message->len, &seconds, &hz);
  g_test_message ("endless source, 10 s maximum: %" G_GUINT64_FORMAT " ms, %.3f s decoded", ms, seconds);
  g_assert_cmpfloat (fabs (seconds - 10.0) / 10.0, <, 0.05);
  fr_kiosk_recorder_set_test_source (TONE_SOURCE);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *base = g_dir_make_tmp ("fr-recorder-XXXXXX", NULL);

  /* Every place the kiosk could write, fresh and empty for this process. */
  fr_test_roots_init (&roots, base);
  /* As the kiosk's main() does: among others, ORC_CODE=backup (no compiled code in files). */
  fr_kiosk_lockdown_scrub_environment ();
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());
  /* Tests only: a 5 s tone, faster than real time. */
  fr_kiosk_recorder_set_test_source (TONE_SOURCE);
  g_test_add_func ("/recorder/tone-becomes-attachment", test_tone_becomes_attachment);
  g_test_add_func ("/recorder/delete-wipes", test_delete_wipes);
  g_test_add_func ("/recorder/stops-at-maximum", test_stops_at_maximum);
  return g_test_run ();
}
