/* bench-queue — fristad-queue upload throughput against the storage limit
 *
 *   bench-queue [SECONDS] [--clients N] [--size BYTES] [--storage-seconds S] [--dir DIR]
 *
 * Starts a real fristad-queue on 127.0.0.1 (rate limit lifted), has N concurrent clients
 * (default 32) POST pre-sealed envelopes of about BYTES (default 2048, distinct ids) for
 * SECONDS (default 20), and reports envelopes/s, p50/p99 latency and the server's peak
 * RSS (VmHWM). In the same run and directory it measures plain durable SQLite inserts of
 * the same blobs (WAL, synchronous=FULL, one transaction per insert): the storage limit
 * the server cannot beat, and prints the ratio.
 */
#define G_LOG_DOMAIN "fristad-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fr-test-util.h"
#include "queue-fixture.h"

typedef struct
{
  SoupSession  *session;
  GMainLoop    *loop;
  char         *url;
  GPtrArray    *envelopes;
  guint         next;
  guint         in_flight;
  gint64        deadline;
  GArray       *latencies_us;
  guint         stored;
  guint         other;
  guint         failed;
  char         *first_error;
} Bench;

typedef struct
{
  Bench       *bench;
  SoupMessage *msg;
  gint64       started;
} Upload;

static void send_next (Bench *b);

static void
upload_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Upload *u = data;
  Bench *b = u->bench;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  gint64 latency = g_get_monotonic_time () - u->started;

  if (body == NULL)
    {
      b->failed++;
      if (b->first_error == NULL)
        b->first_error = g_strdup (error->message);
    }
  else if (soup_message_get_status (u->msg) == 201)
    {
      b->stored++;
      g_array_append_val (b->latencies_us, latency);
    }
  else
    b->other++;

  g_object_unref (u->msg);
  g_free (u);
  b->in_flight--;
  send_next (b);
  if (b->in_flight == 0)
    g_main_loop_quit (b->loop);
}

static void
send_next (Bench *b)
{
  Upload *u;

  if (g_get_monotonic_time () >= b->deadline || b->next >= b->envelopes->len)
    return;

  u = g_new0 (Upload, 1);
  u->bench = b;
  u->msg = soup_message_new ("POST", b->url);
  soup_message_set_request_body_from_bytes (u->msg, "application/octet-stream", b->envelopes->pdata[b->next++]);
  u->started = g_get_monotonic_time ();
  b->in_flight++;
  soup_session_send_and_read_async (b->session, u->msg, G_PRIORITY_DEFAULT, NULL, upload_done, u);
}

typedef struct
{
  const FrKioskKey *kiosk;
  const FrStaffKey *staff;
  gsize             attachment;
  GBytes          **out;
  guint             first;
  guint             count;
} SealJob;

static gpointer
seal_slice (gpointer data)
{
  SealJob *job = data;

  for (guint i = 0; i < job->count; i++)
    job->out[job->first + i] = queue_make_envelope (job->kiosk, job->staff, job->attachment, NULL);
  return NULL;
}

/* Seals @count envelopes on every core: it is set-up, not what is measured. */
static void
seal_many (GPtrArray        *envelopes,
           const FrKioskKey *kiosk,
           const FrStaffKey *staff,
           gsize             attachment,
           guint             count)
{
  guint n_threads = MAX (1, g_get_num_processors ());
  g_autofree GBytes **out = g_new0 (GBytes *, count);
  g_autofree SealJob *jobs = g_new0 (SealJob, n_threads);
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);
  guint per = count / n_threads;

  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t] = (SealJob) { kiosk, staff, attachment, out, t * per, t + 1 == n_threads ? count - t * per : per };
      threads[t] = g_thread_new ("seal", seal_slice, &jobs[t]);
    }
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (envelopes, out[i]);
}

static int
cmp_gint64 (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *sorted,
               double  p)
{
  guint index;

  if (sorted->len == 0)
    return 0;
  index = (guint) MIN ((double) sorted->len - 1, p * sorted->len);
  return g_array_index (sorted, gint64, index) / 1000.0;
}

static double
peak_rss_mib (GSubprocess *process)
{
  const char *id = g_subprocess_get_identifier (process);
  guint64 kib = id != NULL ? fr_test_proc_status_kib ((GPid) g_ascii_strtoll (id, NULL, 10), "VmHWM") : 0;

  return kib > 0 ? kib / 1024.0 : -1;
}

static double
self_cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* User + system CPU seconds the process has used so far. */
static double
cpu_seconds (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (process));
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_comm;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after_comm = strrchr (stat, ')')) == NULL)
    return -1;
  fields = g_strsplit (after_comm + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return -1;
  /* After "(comm) " the fields start at state (3); utime is 14, stime 15. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

/* Plain durable inserts: the most a server that commits each envelope before answering
 * can do on this disk. */
static double
storage_rate (const char *dir,
              const char *name,
              GPtrArray  *blobs,
              double      seconds,
              guint      *count)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *begin = NULL, *insert = NULL, *commit = NULL;
  gint64 start, end, deadline;
  guint n = 0;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                 "CREATE TABLE blobs (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                                 " id TEXT NOT NULL UNIQUE, data BLOB NOT NULL)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "BEGIN IMMEDIATE", -1, &begin, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO blobs (id, data) VALUES (?1, ?2)", -1, &insert, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "COMMIT", -1, &commit, NULL), ==, SQLITE_OK);

  start = g_get_monotonic_time ();
  deadline = start + (gint64) (seconds * G_USEC_PER_SEC);
  while (g_get_monotonic_time () < deadline)
    {
      GBytes *blob = blobs->pdata[n % blobs->len];
      char id[48];
      gsize len;
      const void *data = g_bytes_get_data (blob, &len);

      g_snprintf (id, sizeof id, "blob-%u", n);
      g_assert_cmpint (sqlite3_step (begin), ==, SQLITE_DONE);
      sqlite3_reset (begin);
      sqlite3_bind_text (insert, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_blob (insert, 2, data, (int) len, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
      g_assert_cmpint (sqlite3_step (commit), ==, SQLITE_DONE);
      sqlite3_reset (commit);
      n++;
    }
  end = g_get_monotonic_time ();

  sqlite3_finalize (begin);
  sqlite3_finalize (insert);
  sqlite3_finalize (commit);
  sqlite3_close (db);
  *count = n;
  return n / ((end - start) / (double) G_USEC_PER_SEC);
}

static const char *
fs_name (const char *dir)
{
  struct statfs st;

  if (statfs (dir, &st) != 0)
    return "unknown file system";
  switch ((unsigned long) st.f_type)
    {
    case 0xEF53UL: return "ext4";
    case 0x01021994UL: return "tmpfs (no real fsync: the figures are not a disk's)";
    case 0x9123683EUL: return "btrfs";
    case 0x58465342UL: return "xfs";
    case 0x794C7630UL: return "overlayfs";
    default: return "other file system";
    }
}

int
main (int    argc,
      char **argv)
{
  int clients = 32;
  int size = 2048;
  double storage_seconds = 5;
  g_autofree char *dir_arg = NULL;
  GOptionEntry entries[] = {
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, "Concurrent clients (default 32)", "N" },
    { "size", 0, 0, G_OPTION_ARG_INT, &size, "Envelope size in bytes (default 2048)", "BYTES" },
    { "storage-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &storage_seconds, "Length of the SQLite measurement (default 5)", "S" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir_arg, "Directory for the databases (default: a new one in the current directory)", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[SECONDS]");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autoptr(FrKioskKey) kiosk = NULL;
  g_autoptr(FrStaffKey) staff = NULL;
  g_autoptr(GPtrArray) envelopes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(QueueProcess) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) probe = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  double seconds = 20, elapsed, limit, rss, rate, cpu_before, cpu, client_before, client_cpu;
  gsize attachment = 1500, envelope_size;
  guint storage_count = 0, to_seal;
  gint64 start, seal_start;
  double seal_seconds;
  Bench b = { 0, };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-queue: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    seconds = g_ascii_strtod (argv[1], NULL);
  if (seconds <= 0 || clients < 1 || clients > 1000 || size < 1024 || size > (int) FR_ENVELOPE_MAX_SIZE)
    {
      g_printerr ("bench-queue: SECONDS > 0, 1 <= --clients <= 1000, 1024 <= --size <= 8 MiB\n");
      return 2;
    }
  g_assert_true (fr_init ());

  if (dir_arg != NULL)
    dir = g_strdup (dir_arg);
  else
    {
      dir = g_build_filename (g_get_current_dir (), "bench-queue-XXXXXX", NULL);
      g_assert_nonnull (g_mkdtemp (dir));
    }
  db = g_build_filename (dir, "queue.db", NULL);
  kiosk = fr_kiosk_key_generate ();
  staff = fr_staff_key_generate ();

  /* Size the attachment so the whole envelope is --size bytes. */
  {
    g_autoptr(GBytes) one = queue_make_envelope (kiosk, staff, attachment, NULL);

    envelope_size = g_bytes_get_size (one);
    attachment = attachment + size - envelope_size;
    g_ptr_array_add (probe, queue_make_envelope (kiosk, staff, attachment, NULL));
    envelope_size = g_bytes_get_size (probe->pdata[0]);
  }

  /* A first, short look at the disk says how many envelopes to seal; the storage limit
   * proper is measured right after the server run, under the same conditions. */
  for (guint i = 1; i < 64; i++)
    g_ptr_array_add (probe, queue_make_envelope (kiosk, staff, attachment, NULL));
  limit = storage_rate (dir, "storage-probe.db", probe, 1.0, &storage_count);

  /* The server cannot store faster than the disk: twice the probed rate leaves room for
   * a noisy probe (a run that used them all says so in its report). */
  to_seal = (guint) MIN (2000000.0, limit * seconds * 2.0 + 4 * clients + 1000);
  seal_start = g_get_monotonic_time ();
  seal_many (envelopes, kiosk, staff, attachment, to_seal);
  seal_seconds = (g_get_monotonic_time () - seal_start) / (double) G_USEC_PER_SEC;

  queue_enroll_kiosk (db, "bench-kiosk", kiosk);
  launcher = queue_launcher_new ();
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  {
    const char *server_argv[] = { queue_binary (), "serve", "--db", db, "--listen", "127.0.0.1:0",
                                  "--rate", "1000000", NULL };

    server = queue_start_from_launcher (launcher, server_argv, db);
  }

  loop = g_main_loop_new (NULL, FALSE);
  session = soup_session_new_with_options ("max-conns", clients, "max-conns-per-host", clients, NULL);
  soup_session_set_timeout (session, 120);
  b.session = session;
  b.loop = loop;
  b.url = g_strconcat (server->base_url, "/v1/envelopes", NULL);
  b.envelopes = envelopes;
  b.latencies_us = latencies;

  cpu_before = cpu_seconds (server->process);
  client_before = self_cpu_seconds ();
  start = g_get_monotonic_time ();
  b.deadline = start + (gint64) (seconds * G_USEC_PER_SEC);
  for (int i = 0; i < clients; i++)
    send_next (&b);
  g_main_loop_run (loop);
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  rss = peak_rss_mib (server->process);
  cpu = cpu_seconds (server->process) - cpu_before;
  client_cpu = self_cpu_seconds () - client_before;
  g_assert_cmpint (queue_stop (server), ==, 0);

  limit = storage_rate (dir, "storage-limit.db", probe, storage_seconds, &storage_count);

  g_array_sort (latencies, cmp_gint64);
  rate = b.stored / elapsed;

  printf ("fristad-queue upload benchmark\n");
  printf ("  setup            %d concurrent clients, %" G_GSIZE_FORMAT "-byte envelopes (distinct ids), %.0f s\n",
          clients, envelope_size, seconds);
  printf ("  database dir     %s (%s)\n", dir, fs_name (dir));
  printf ("  prepared         %u envelopes sealed in %.1f s before the run\n", to_seal, seal_seconds);
  printf ("  uploads          %u stored (201), %u other status, %u transport errors%s\n",
          b.stored, b.other, b.failed, b.next >= envelopes->len ? " (ran out of sealed envelopes)" : "");
  if (b.first_error != NULL)
    printf ("  first error      %s\n", b.first_error);
  printf ("  throughput       %.1f envelopes/s\n", rate);
  printf ("  latency          p50 %.2f ms   p99 %.2f ms   max %.2f ms\n",
          percentile_ms (latencies, 0.50), percentile_ms (latencies, 0.99), percentile_ms (latencies, 1.0));
  printf ("  server peak RSS  %.1f MiB (VmHWM)\n", rss);
  printf ("  CPU              server %.0f%%, clients %.0f%% of one core (%d cores, shared)\n",
          100.0 * cpu / elapsed, 100.0 * client_cpu / elapsed, (int) g_get_num_processors ());
  printf ("  storage limit    %.1f inserts/s (plain SQLite, WAL, synchronous=FULL, one transaction per insert; %u in %.0f s)\n",
          limit, storage_count, storage_seconds);
  printf ("  ratio            %.2f of the storage limit\n", limit > 0 ? rate / limit : 0);
  fflush (stdout);

  g_free (b.url);
  g_free (b.first_error);
  if (dir_arg == NULL)
    queue_rmtree (dir);
  return b.stored > 0 && b.failed == 0 && b.other == 0 ? 0 : 1;
}
