/* bench-envelope.c — seal+sign+enqueue and verify+open, against gpg, and peak memory
 *
 *   bench-envelope [--seconds S] [--gpg-runs N]
 *
 * For a 2 KB record and for a record with a 500 KB attachment:
 *   - fristad: seal + sign (in memory), seal + sign + enqueue into a real outbox
 *     (SQLite WAL, synchronous=FULL, one durable transaction per record), verify + open;
 *   - gpg: `gpg --batch --encrypt --sign` and `gpg --batch --decrypt` of the same payload
 *     with pre-made keys, one process per record (the way SecureDrop-style systems call it);
 * then the ratios. Last, peak memory of sealing and of opening an 8 MiB envelope, as
 * growth of the process's peak RSS (VmHWM, reset through /proc/self/clear_refs) over the
 * RSS just before, in multiples of the envelope's size.
 */
#define G_LOG_DOMAIN "fristad-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fr-intake.h"
#include "fr-test-util.h"

#define PARTIAL_RECORD_FORMAT \
  "{\"channel\":\"kiosk\",\"language\":\"sv\",\"answers\":{\"needs\":[\"shelter\",\"work\"]," \
  "\"safe_now\":\"no\",\"message\":\"%s\"},\"consent\":{\"share\":true,\"text_version\":\"consent-1\"}}"

static double seconds = 2.0;
static int gpg_runs = 20;

typedef struct
{
  const char *name;
  FrRecord   *record;
  FrSecret   *attachment;   /* may be NULL */
  GBytes     *payload;      /* the same plaintext, for gpg: JSON + attachment bytes */
  char       *partial;      /* the partial record the kiosk completes */
  FrAttachmentInfo info;
} Payload;

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

static Payload
make_payload (const char *name,
              gsize       text_len,
              gsize       attachment_len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) partial = g_string_new (NULL);
  g_autoptr(GByteArray) plain = g_byte_array_new ();
  FrAttachmentInfo info = { .kind = "voice", .mime = "audio/ogg; codecs=opus", .duration_ms = 30000 };
  Payload p = { .name = name };
  g_autofree char *text = g_malloc (text_len + 1);

  for (gsize i = 0; i < text_len; i++)
    text[i] = "abcdefghij klmnopqrstuvwxyz"[i % 27];
  text[text_len] = '\0';
  g_string_printf (partial, PARTIAL_RECORD_FORMAT, text);
  info.size = attachment_len;
  p.record = fr_record_complete (partial->str, partial->len, "bench-site", g_get_real_time () / G_USEC_PER_SEC,
                                 &info, attachment_len ? 1 : 0, &error);
  p.partial = g_strdup (partial->str);
  p.info = info;
  g_assert_no_error (error);
  if (attachment_len)
    {
      p.attachment = fr_secret_new (attachment_len);
      randombytes_buf (p.attachment->data, attachment_len);
    }
  g_byte_array_append (plain, fr_record_get_json (p.record)->data, fr_record_get_json (p.record)->len);
  if (p.attachment)
    g_byte_array_append (plain, p.attachment->data, p.attachment->len);
  p.payload = g_byte_array_free_to_bytes (g_steal_pointer (&plain));
  return p;
}

static GBytes *
seal (Payload    *p,
      FrStaffKey *staff,
      FrKioskKey *kiosk)
{
  g_autoptr(GError) error = NULL;
  const FrSecret *atts[1] = { p->attachment };
  GBytes *env;

  env = fr_envelope_seal (p->record, atts, p->attachment ? 1 : 0,
                          (const guint8 (*)[FR_KEY_SIZE]) staff->recipient_pk, 1, kiosk, &error);
  g_assert_no_error (error);
  return env;
}

/* Runs @func until @seconds have passed; returns microseconds per call. */
typedef void (*BenchFunc) (gpointer data);

static double
time_loop (BenchFunc func,
           gpointer  data,
           guint    *out_n)
{
  gint64 start = now_us (), end;
  guint n = 0;

  do
    {
      func (data);
      n++;
      end = now_us ();
    }
  while (end - start < seconds * G_USEC_PER_SEC);
  *out_n = n;
  return (double) (end - start) / n;
}

typedef struct
{
  Payload    *p;
  FrStaffKey *staff;
  FrKioskKey *kiosk;
  FrOutbox   *outbox;
  GBytes     *env;
} Ctx;

static void
do_seal (gpointer data)
{
  Ctx *ctx = data;

  g_bytes_unref (seal (ctx->p, ctx->staff, ctx->kiosk));
}

static void
do_seal_enqueue (gpointer data)
{
  Ctx *ctx = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) env = NULL;
  g_autoptr(FrRecord) record = NULL;
  const FrSecret *atts[1] = { ctx->p->attachment };

  /* What the kiosk does on "send": complete the record (new id), seal, enqueue durably. */
  record = fr_record_complete (ctx->p->partial, strlen (ctx->p->partial), "bench-site",
                               g_get_real_time () / G_USEC_PER_SEC, &ctx->p->info,
                               ctx->p->attachment ? 1 : 0, &error);
  g_assert_no_error (error);
  env = fr_envelope_seal (record, atts, ctx->p->attachment ? 1 : 0,
                          (const guint8 (*)[FR_KEY_SIZE]) ctx->staff->recipient_pk, 1, ctx->kiosk, &error);
  g_assert_no_error (error);
  g_assert_true (fr_outbox_enqueue (ctx->outbox, fr_record_get_id_string (record), env, &error));
  g_assert_no_error (error);
}

static void
do_open (gpointer data)
{
  Ctx *ctx = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FrOpenedEnvelope) opened = NULL;

  opened = fr_envelope_open (g_bytes_get_data (ctx->env, NULL), g_bytes_get_size (ctx->env),
                             ctx->staff->recipient_pk, ctx->staff->recipient_sk, ctx->kiosk->pk, &error);
  g_assert_no_error (error);
}

static gboolean
run_quiet (const char * const *argv,
           const char         *gnupghome)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "GNUPGHOME", gnupghome, TRUE);
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL
                     | G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static char *
gpg_setup (void)
{
  g_autoptr(GError) error = NULL;
  char *home = g_dir_make_tmp ("fristad-bench-gpg-XXXXXX", &error);
  const char *gen[] = { "gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                        "--quick-gen-key", "bench-staff <staff@bench.invalid>", "ed25519", "sign", "never", NULL };
  const char *add[] = { "sh", "-c",
                        "fpr=$(gpg --batch --with-colons --list-keys staff@bench.invalid | awk -F: '/^fpr/ {print $10; exit}');"
                        "gpg --batch --pinentry-mode loopback --passphrase '' --quick-add-key \"$fpr\" cv25519 encr never",
                        NULL };

  g_assert_no_error (error);
  if (!run_quiet (gen, home) || !run_quiet (add, home))
    {
      g_free (home);
      return NULL;
    }
  return home;
}

static double
gpg_encrypt_us (const char *home,
                const char *in,
                const char *out)
{
  const char *argv[] = { "gpg", "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", "",
                         "--trust-model", "always", "-r", "staff@bench.invalid", "--encrypt", "--sign",
                         "-o", out, in, NULL };
  gint64 start = now_us ();

  for (int i = 0; i < gpg_runs; i++)
    g_assert_true (run_quiet (argv, home));
  return (double) (now_us () - start) / gpg_runs;
}

static double
gpg_decrypt_us (const char *home,
                const char *in,
                const char *out)
{
  const char *argv[] = { "gpg", "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", "",
                         "-o", out, "--decrypt", in, NULL };
  gint64 start = now_us ();

  for (int i = 0; i < gpg_runs; i++)
    g_assert_true (run_quiet (argv, home));
  return (double) (now_us () - start) / gpg_runs;
}

static gboolean
reset_peak (void)
{
  FILE *f = fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (f == NULL)
    return FALSE;
  ok = fputs ("5", f) >= 0;
  return fclose (f) == 0 && ok;
}

static void
peak_memory (FrStaffKey *staff,
             FrKioskKey *kiosk)
{
  Payload p = make_payload ("8 MiB", 1000, 8 * 1024 * 1024 - 6000);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fristad-bench-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "big.frs", NULL);
  gsize before, peak, env_size;

  /* Sealing: the plaintext (record + voice) is already in memory, as in the kiosk. */
  if (!reset_peak ())
    {
      g_print ("peak memory: /proc/self/clear_refs not writable here; skipped\n");
      return;
    }
  before = (gsize) fr_test_proc_status_kib (0, "VmRSS");
  {
    g_autoptr(GBytes) env = seal (&p, staff, kiosk);

    env_size = g_bytes_get_size (env);
    peak = (gsize) fr_test_proc_status_kib (0, "VmHWM");
    g_assert_true (g_file_set_contents (path, g_bytes_get_data (env, NULL), env_size, &error));
  }
  g_print ("peak memory, seal 8 MiB envelope (%" G_GSIZE_FORMAT " bytes): +%.1f MiB = %.2fx the envelope "
           "(plaintext already in memory; target < 3x)\n",
           env_size, (peak - before) / 1024.0, (peak - before) * 1024.0 / env_size);

  /* Opening: from the file on disk to plaintext in guarded memory. */
  fr_record_free (p.record);
  g_free (p.partial);
  fr_secret_free (p.attachment);
  g_bytes_unref (p.payload);
  reset_peak ();
  before = (gsize) fr_test_proc_status_kib (0, "VmRSS");
  {
    g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, &error);
    g_autoptr(FrOpenedEnvelope) opened = NULL;

    g_assert_no_error (error);
    opened = fr_envelope_open ((const guint8 *) g_mapped_file_get_contents (mapped), g_mapped_file_get_length (mapped),
                               staff->recipient_pk, staff->recipient_sk, kiosk->pk, &error);
    g_assert_no_error (error);
    peak = (gsize) fr_test_proc_status_kib (0, "VmHWM");
  }
  g_print ("peak memory, open 8 MiB envelope (file -> plaintext): +%.1f MiB = %.2fx the envelope (target < 3x)\n",
           (peak - before) / 1024.0, (peak - before) * 1024.0 / env_size);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrStaffKey) staff = NULL;
  g_autoptr(FrKioskKey) kiosk = NULL;
  g_autoptr(FrOutbox) outbox = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *gpg_home = NULL;
  GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Seconds per fristad measurement", "S" },
    { "gpg-runs", 0, 0, G_OPTION_ARG_INT, &gpg_runs, "gpg processes per measurement", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— envelope benchmark");
  Payload payloads[2];

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-envelope: %s\n", error->message);
      return 2;
    }
  g_assert_true (fr_init ());
  staff = fr_staff_key_generate ();
  kiosk = fr_kiosk_key_generate ();
  dir = g_dir_make_tmp ("fristad-bench-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (dir, "outbox.db", NULL);
  outbox = fr_outbox_open (db, &error);
  g_assert_no_error (error);
  gpg_home = gpg_runs > 0 ? gpg_setup () : NULL;
  if (gpg_home == NULL)
    g_print ("gpg: could not make keys; the gpg comparison is skipped\n");

  payloads[0] = make_payload ("2 KB record", 1800, 0);
  payloads[1] = make_payload ("record + 500 KB attachment", 300, 500 * 1024);

  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      Payload *p = &payloads[i];
      Ctx ctx = { p, staff, kiosk, outbox, NULL };
      guint n_seal, n_enqueue, n_open;
      double us_seal, us_enqueue, us_open;

      ctx.env = seal (p, staff, kiosk);
      us_seal = time_loop (do_seal, &ctx, &n_seal);
      us_enqueue = time_loop (do_seal_enqueue, &ctx, &n_enqueue);
      us_open = time_loop (do_open, &ctx, &n_open);

      g_print ("\n== %s: plaintext %" G_GSIZE_FORMAT " bytes, envelope %" G_GSIZE_FORMAT " bytes ==\n",
               p->name, g_bytes_get_size (p->payload), g_bytes_get_size (ctx.env));
      g_print ("fristad seal+sign:            %9.1f us/record  %9.0f records/s  (n=%u)\n",
               us_seal, 1e6 / us_seal, n_seal);
      g_print ("fristad complete+seal+enqueue:%9.1f us/record  %9.0f records/s  (n=%u, durable SQLite commit each)\n",
               us_enqueue, 1e6 / us_enqueue, n_enqueue);
      g_print ("fristad verify+open:          %9.1f us/record  %9.0f records/s  (n=%u)\n",
               us_open, 1e6 / us_open, n_open);

      if (gpg_home)
        {
          g_autofree char *in = g_build_filename (dir, "payload", NULL);
          g_autofree char *enc = g_build_filename (dir, "payload.gpg", NULL);
          g_autofree char *dec = g_build_filename (dir, "payload.out", NULL);
          double us_gpg_enc, us_gpg_dec;

          g_assert_true (g_file_set_contents (in, g_bytes_get_data (p->payload, NULL),
                                              g_bytes_get_size (p->payload), &error));
          us_gpg_enc = gpg_encrypt_us (gpg_home, in, enc);
          us_gpg_dec = gpg_decrypt_us (gpg_home, enc, dec);
          g_print ("gpg --encrypt --sign:         %9.1f us/record  %9.0f records/s  (n=%d processes)\n",
                   us_gpg_enc, 1e6 / us_gpg_enc, gpg_runs);
          g_print ("gpg --decrypt (+verify):      %9.1f us/record  %9.0f records/s  (n=%d processes)\n",
                   us_gpg_dec, 1e6 / us_gpg_dec, gpg_runs);
          g_print ("ratio seal+sign+enqueue vs gpg encrypt+sign: %.1fx faster (seal+sign alone: %.1fx)\n",
                   us_gpg_enc / us_enqueue, us_gpg_enc / us_seal);
          g_print ("ratio verify+open vs gpg decrypt:            %.1fx faster\n", us_gpg_dec / us_open);
          g_unlink (in);
          g_unlink (enc);
          g_unlink (dec);
        }
      g_bytes_unref (ctx.env);
    }

  g_print ("\n");
  peak_memory (staff, kiosk);

  g_clear_pointer (&outbox, fr_outbox_close);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (db);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  if (gpg_home)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", gpg_home);
      int ignored = system (cmd);

      (void) ignored;
    }
  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      fr_record_free (payloads[i].record);
      g_free (payloads[i].partial);
      fr_secret_free (payloads[i].attachment);
      g_bytes_unref (payloads[i].payload);
    }
  return 0;
}
