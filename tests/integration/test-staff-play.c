/* test-staff-play.c — fristad-staff play (issue 13, issue 15) on a record fetched through
 * a real fristad-queue on 127.0.0.1: a 5 s 440 Hz tone made in memory is attached with
 * `fristad-kiosk --submit --attach voice=`, fetched, and played into a fakesink
 * (FRISTAD_AUDIO_SINK=fakesink) to the end with its duration, exit 0; while it plays the
 * process holds no file open for writing and nothing new appears in HOME, TMPDIR or the
 * XDG dirs; Ctrl+C stops it (130); a record without a voice message exits 3 and the other
 * failures as documented; `open --out DIR` still writes the voice message as a file. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "fr-test-tone.h"
#include "fr-test-util.h"
#include "queue-world.h"

#define PASSPHRASE   "integration passphrase"
#define TONE_SECONDS 5.0

#define run_kiosk(run, ...) fr_test_run_tool (run, "FRISTAD_KIOSK", __VA_ARGS__, NULL)
#define run_staff(run, ...) fr_test_run_tool (run, "FRISTAD_STAFF", __VA_ARGS__, NULL)

static struct
{
  char         *dir;
  QueueWorld    w;
  FrTestRoots   roots;   /* fresh and empty for the tools */
  char         *voice_id;
  char         *voice_receipt;
  char         *plain_id;
  GBytes       *tone;
} t;

/* ---- no new files --------------------------------------------------------------------- */

/* Every file @pid holds open: none is a regular file open for writing, but the stderr
 * file @ours this test gave it. */
static guint
assert_nothing_open_for_writing (GPid        pid,
                                 const char *ours)
{
  g_autofree char *fd_dir = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) d = g_dir_open (fd_dir, 0, NULL);
  const char *name;
  guint files = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *link = g_build_filename (fd_dir, name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);
      g_autofree char *info_path = g_strdup_printf ("/proc/%d/fdinfo/%s", (int) pid, name);
      g_autofree char *info = NULL;
      const char *flags_line;
      GStatBuf st;

      if (target == NULL || g_stat (link, &st) != 0 || !S_ISREG (st.st_mode) || g_str_equal (target, ours))
        continue;   /* gone meanwhile, or a pipe, socket, device, eventfd … */
      if (!g_file_get_contents (info_path, &info, NULL, NULL))
        continue;
      files++;
      flags_line = strstr (info, "flags:");
      g_assert_nonnull (flags_line);
      if ((strtoul (flags_line + strlen ("flags:"), NULL, 8) & O_ACCMODE) != O_RDONLY)
        g_error ("fristad-staff play has %s open for writing", target);
    }
  return files;
}

/* ---- the world: keys, a kiosk, a queue, two records fetched ------------------------- */

static void
world_setup (void)
{
  g_autofree char *config = NULL, *with = NULL, *without = NULL;
  g_auto(GStrv) parts = NULL;

  queue_world_init (&t.w, t.dir, PASSPHRASE);
  config = queue_world_add_kiosk (&t.w, "kiosk-1", TRUE);
  /* The tone, made in memory, handed to the kiosk as the person's voice message. */
  t.tone = fr_test_tone_ogg (440.0, TONE_SECONDS);
  with = queue_world_submit_bytes (&t.w, config, "{\"channel\":\"kiosk\",\"language\":\"sv\",\"answers\":{\"needs\":[\"shelter\"]},"
                                                 "\"consent\":{\"share\":true,\"text_version\":\"consent-1\"}}", t.tone);
  parts = g_strsplit (with, " ", 2);
  t.voice_id = g_strdup (parts[0]);
  t.voice_receipt = g_strdup (parts[1]);
  without = queue_world_submit (&t.w, config, "{\"channel\":\"kiosk\",\"language\":\"sv\",\"answers\":{\"needs\":[\"work\"]},"
                                              "\"consent\":{\"share\":true,\"text_version\":\"consent-1\"}}", NULL);
  g_clear_pointer (&parts, g_strfreev);
  parts = g_strsplit (without, " ", 2);
  t.plain_id = g_strdup (parts[0]);
  queue_world_fetch (&t.w);
}

static void
world_teardown (void)
{
  queue_world_clear (&t.w);
  fr_test_roots_clear (&t.roots);
  g_free (t.dir);
  g_free (t.voice_id);
  g_free (t.voice_receipt);
  g_free (t.plain_id);
  g_bytes_unref (t.tone);
}

/* ---- playing ---------------------------------------------------------------------- */

static GSubprocess *
spawn_play (const char *stderr_path)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_stderr_file_path (launcher, stderr_path);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("FRISTAD_STAFF"), "play", t.voice_id,
                                         "--inbox", t.w.inbox, "--key", t.w.key, "--passphrase-file", t.w.pass, NULL);
  g_assert_no_error (error);
  return process;
}

static char *
read_text (const char *path)
{
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

/* "… (5000 ms)" and "played to the end (0:05.0)" → milliseconds. */
static guint64
parse_ms_after (const char *text,
                const char *marker)
{
  const char *at = strstr (text, marker);
  guint minutes = 0, seconds = 0, tenths = 0;

  g_assert_nonnull (at);
  g_assert_cmpint (sscanf (at + strlen (marker), "%u:%u.%u", &minutes, &seconds, &tenths), ==, 3);
  return (guint64) minutes * 60000 + seconds * 1000 + tenths * 100;
}

static void
assert_near (double got,
             double want)
{
  if (got < want * 0.95 || got > want * 1.05)
    g_error ("%.0f is not within 5 %% of %.0f", got, want);
}

static void
test_plays_to_the_end (void)
{
  g_autofree char *err_path = g_build_filename (t.dir, "play.err", NULL);
  g_autoptr(GPtrArray) before = fr_test_roots_snapshot (&t.roots, NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *err = NULL, *header = NULL, *lead = NULL;
  g_autoptr(GError) error = NULL;
  guint samples = 0, open_files = 0, progress_lines = 0;
  guint64 declared_ms = 0;
  g_auto(GStrv) lines = NULL;

  process = spawn_play (err_path);
  /* While it plays (five seconds in real time into the fakesink), look again and again. */
  while (TRUE)
    {
      GPid pid;
      const char *id = g_subprocess_get_identifier (process);

      if (id == NULL)
        break;   /* exited */
      pid = (GPid) g_ascii_strtoll (id, NULL, 10);
      open_files = MAX (open_files, assert_nothing_open_for_writing (pid, err_path));
      fr_test_roots_assert_no_new_file (&t.roots, before, NULL, "while playing");
      samples++;
      g_usleep (50 * 1000);
    }
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  err = read_text (err_path);
  g_test_message ("fristad-staff play (%u looks at it while it played):\n%s", samples, err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  fr_test_roots_assert_no_new_file (&t.roots, before, NULL, "after playing");
  g_assert_cmpuint (samples, >, 10);

  /* The length it announced, the progress, and how far the sink got. */
  header = g_strdup_printf ("voice message of record %s: ", t.voice_receipt);
  g_assert_nonnull (strstr (err, header));
  declared_ms = parse_ms_after (err, header);
  assert_near (declared_ms, TONE_SECONDS * 1000);
  lead = g_strdup_printf ("(%" G_GUINT64_FORMAT " ms)", (guint64) (TONE_SECONDS * 1000));
  g_assert_nonnull (strstr (err, lead));
  assert_near (parse_ms_after (err, "played to the end ("), TONE_SECONDS * 1000);
  lines = g_strsplit (err, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "  0:0") && strstr (lines[i], " / 0:05.0") != NULL)
      progress_lines++;
  g_assert_cmpuint (progress_lines, >=, 5);   /* a line a second, and the last one */
  g_unlink (err_path);
}

static void
test_ctrl_c_stops (void)
{
  g_autofree char *err_path = g_build_filename (t.dir, "stop.err", NULL);
  g_autoptr(GSubprocess) process = spawn_play (err_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  /* Once a second has been played: Ctrl+C. */
  while (g_get_monotonic_time () < deadline)
    {
      g_free (err);
      err = read_text (err_path);
      if (strstr (err, "  0:01") != NULL)
        break;
      g_usleep (20 * 1000);
    }
  g_assert_nonnull (strstr (err, "  0:01"));
  g_subprocess_send_signal (process, SIGINT);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_free (err);
  err = read_text (err_path);
  g_test_message ("%s", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
  g_assert_nonnull (strstr (err, "stopped at 0:0"));
  g_assert_null (strstr (err, "played to the end"));
  g_unlink (err_path);
}

static void
test_no_voice (void)
{
  g_autofree char *want = g_strdup_printf ("fristad-staff play: record %s has no voice message\n", t.plain_id);
  g_auto(FrTestRun) run;

  run_staff (&run, "play", t.plain_id, "--inbox", t.w.inbox, "--key", t.w.key, "--passphrase-file", t.w.pass);
  g_assert_cmpint (run.status, ==, 3);
  fr_test_assert_one_line (run.err);
  g_assert_cmpstr (run.err, ==, want);
}

static void
test_failures (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wrong = g_build_filename (t.dir, "wrong-pass", NULL);
  g_autofree char *name = g_strconcat (t.voice_id, ".frs", NULL);
  g_autofree char *envelope = g_build_filename (t.w.inbox, name, NULL);
  g_autofree char *junk = g_build_filename (t.dir, "junk.frs", NULL);

  g_assert_true (g_file_set_contents (wrong, "not the passphrase\n", -1, &error));
  g_assert_true (g_file_set_contents (junk, "FRSTENV but not really an envelope", -1, &error));
  {
    g_auto(FrTestRun) run;   /* wrong passphrase: bad input */

    run_staff (&run, "play", t.voice_id, "--inbox", t.w.inbox, "--key", t.w.key, "--passphrase-file", wrong);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
    g_assert_nonnull (strstr (run.err, "passphrase"));
  }
  {
    g_auto(FrTestRun) run;   /* an ID that is not in the inbox: operational */

    run_staff (&run, "play", "00000000-0000-4000-8000-000000000000", "--inbox", t.w.inbox, "--key", t.w.key,
               "--passphrase-file", t.w.pass);
    g_assert_cmpint (run.status, ==, 1);
    fr_test_assert_one_line (run.err);
  }
  {
    g_auto(FrTestRun) run;   /* not an envelope: bad input, before any passphrase */

    run_staff (&run, "play", junk, "--key", t.w.key);
    g_assert_cmpint (run.status, ==, 2);
    fr_test_assert_one_line (run.err);
  }
  {
    g_auto(FrTestRun) run;   /* an ID without --inbox, no --key, two records: usage */

    run_staff (&run, "play", t.voice_id, "--key", t.w.key, "--passphrase-file", t.w.pass);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "--inbox"));
  }
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "play", envelope);
    g_assert_cmpint (run.status, ==, 2);
    g_assert_nonnull (strstr (run.err, "--key FILE is required"));
  }
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "play", envelope, envelope, "--key", t.w.key);
    g_assert_cmpint (run.status, ==, 2);
  }
  {
    g_auto(FrTestRun) run;   /* the envelope's path works as well as its ID */

    run_staff (&run, "play", envelope, "--key", t.w.key, "--passphrase-file", t.w.pass);
    g_assert_cmpint (run.status, ==, 0);
  }
}

/* Staff may still choose to keep the voice message as a file. */
static void
test_open_out_writes_it (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (t.dir, "out", NULL);
  g_autofree char *name = g_strdup_printf ("%s-1-voice.ogg", t.voice_id);
  g_autofree char *path = g_build_filename (out, name, NULL);
  g_autofree char *bytes = NULL;
  gsize len = 0;
  GStatBuf st;
  g_auto(FrTestRun) run;

  g_assert_cmpint (g_mkdir_with_parents (out, 0700), ==, 0);
  run_staff (&run, "open", t.voice_id, "--inbox", t.w.inbox, "--key", t.w.key, "--passphrase-file", t.w.pass,
             "--out", out);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (path, &bytes, &len, &error));
  g_assert_cmpmem (bytes, len, g_bytes_get_data (t.tone, NULL), g_bytes_get_size (t.tone));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  fr_test_remove_tree (out);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());
  /* Every place the tools could write, fresh and empty (GLib reads these once: first). */
  t.dir = queue_tmpdir ();
  fr_test_roots_init (&t.roots, t.dir);
  /* Tests only: the tools play into a fakesink, in real time. */
  g_setenv ("FRISTAD_AUDIO_SINK", "fakesink", TRUE);
  world_setup ();   /* GStreamer's registry cache is written here, with the tone: before any snapshot */

  g_test_add_func ("/staff-play/tone-to-the-end", test_plays_to_the_end);
  g_test_add_func ("/staff-play/ctrl-c-stops", test_ctrl_c_stops);
  g_test_add_func ("/staff-play/no-voice", test_no_voice);
  g_test_add_func ("/staff-play/failures", test_failures);
  g_test_add_func ("/staff-play/open-out-writes-it", test_open_out_writes_it);
  status = g_test_run ();
  world_teardown ();
  return status;
}
