/* fr-headless.c — the kiosk's commands that need no display
 *
 *   --submit FILE.json [--attach voice=FILE.ogg]   complete, seal, enqueue, try to deliver
 *   --flush                                         deliver the whole outbox
 *   --print-kiosk-key                               print this kiosk's fristad-kiosk: key
 *   --check-config                                  validate the site config
 *   --hash-pin [--pin-file F]                       a PIN's hash for kiosk.conf
 *
 * They are used by scripts, by the hotline desk and by the maintainer; they never print
 * anything a person wrote. Exit status: 0 success, 1 operational failure, 2 bad usage or
 * bad input.
 */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fr-content.h"
#include "fr-headless.h"
#include "fr-keyboard-layout.h"
#include "fr-ogg.h"
#include "fr-sender.h"

#define OUTBOX_FILE_NAME "outbox.db"

int
fr_headless_exit_status (const GError *error)
{
  if (error->domain != FR_ERROR)
    return FR_EXIT_OPERATIONAL;
  switch (error->code)
    {
    case FR_ERROR_IO:
    case FR_ERROR_DATABASE:
    case FR_ERROR_NETWORK:
    case FR_ERROR_NOT_FOUND:
    case FR_ERROR_REJECTED:
      return FR_EXIT_OPERATIONAL;
    default:
      return FR_EXIT_BAD_INPUT;
    }
}

static int
fail (const char   *what,
      const GError *error)
{
  g_printerr ("fristad-kiosk %s: %s\n", what, error->message);
  return fr_headless_exit_status (error);
}

/* Reads a whole file of at most @max bytes into guarded memory, checking the size first. */
static FrSecret *
read_secret_file (const char  *path,
                  gsize        max,
                  GError     **error)
{
  g_autoptr(FrSecret) secret = NULL;
  struct stat st;
  gsize done = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: not a regular file", path);
      return NULL;
    }
  if ((guint64) st.st_size > max)
    {
      close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_TOO_LARGE, "%s is %" G_GUINT64_FORMAT " bytes; the limit is %" G_GSIZE_FORMAT,
                   path, (guint64) st.st_size, max);
      return NULL;
    }
  secret = fr_secret_new (st.st_size);
  while (done < secret->len)
    {
      ssize_t n = read (fd, secret->data + done, secret->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          close (fd);
          g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: %s", path, n == 0 ? "changed while reading" : g_strerror (saved));
          return NULL;
        }
      done += n;
    }
  close (fd);
  return g_steal_pointer (&secret);
}

FrHeadless *
fr_headless_new (const char  *config_path,
                 GError     **error)
{
  g_autoptr(FrHeadless) self = g_new0 (FrHeadless, 1);

  self->site = fr_site_load (config_path, error);
  if (self->site == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

void
fr_headless_free (FrHeadless *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->outbox, fr_outbox_close);
  g_clear_pointer (&self->kiosk, fr_kiosk_key_free);
  g_clear_pointer (&self->site, fr_site_free);
  g_free (self);
}

/* The kiosk key and the outbox live in the state directory, made on first use. */
static gboolean
open_state (FrHeadless  *self,
            GError     **error)
{
  g_autofree char *db = NULL;

  if (self->kiosk == NULL)
    {
      self->kiosk = fr_kiosk_key_load_or_create (self->site->state_dir, error);
      if (self->kiosk == NULL)
        return FALSE;
    }
  if (self->outbox == NULL)
    {
      db = g_build_filename (self->site->state_dir, OUTBOX_FILE_NAME, NULL);
      self->outbox = fr_outbox_open (db, error);
      if (self->outbox == NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * fr_headless_seal_and_enqueue:
 * @self: the headless kiosk
 * @partial_json: the partial record (answers, language, channel, consent, …)
 * @voice: (nullable): an Ogg Opus voice message
 * @out_id: (out): the record id
 * @out_receipt: (out): the receipt code
 * @error: return location for a #GError
 *
 * Completes the record (id, created, site, receipt), validates it, seals it to the site's
 * recipients, signs it with the kiosk key and commits it to the outbox.
 *
 * Returns: %TRUE once the envelope is durably in the outbox.
 */
gboolean
fr_headless_seal_and_enqueue (FrHeadless      *self,
                              const FrSecret  *partial_json,
                              const FrSecret  *voice,
                              char            *out_id,
                              char            *out_receipt,
                              GError         **error)
{
  g_autoptr(FrRecord) record = NULL;
  g_autoptr(GBytes) envelope = NULL;
  FrAttachmentInfo info = { .kind = "voice", .mime = FR_OGG_MIME };
  const FrSecret *attachments[1] = { voice };

  if (!open_state (self, error))
    return FALSE;

  if (voice != NULL)
    {
      if (!fr_ogg_opus_probe (voice->data, voice->len, &info.duration_ms, error))
        return FALSE;
      info.size = voice->len;
    }

  record = fr_record_complete ((const char *) partial_json->data, partial_json->len, self->site->id,
                               g_get_real_time () / G_USEC_PER_SEC, &info, voice ? 1 : 0, error);
  if (record == NULL)
    return FALSE;
  envelope = fr_envelope_seal (record, attachments, voice ? 1 : 0,
                               (const guint8 (*)[FR_KEY_SIZE]) self->site->recipients, self->site->n_recipients,
                               self->kiosk, error);
  if (envelope == NULL)
    return FALSE;
  if (!fr_outbox_enqueue (self->outbox, fr_record_get_id_string (record), envelope, error))
    return FALSE;

  g_strlcpy (out_id, fr_record_get_id_string (record), FR_UUID_STRING_LEN + 1);
  g_strlcpy (out_receipt, fr_record_get_receipt (record), FR_RECEIPT_STRING_LEN + 1);
  g_message ("enqueued %s (%" G_GSIZE_FORMAT " bytes)", out_id, g_bytes_get_size (envelope));
  return TRUE;
}

gboolean
fr_headless_deliver (FrHeadless      *self,
                     gboolean         everything,
                     FrSenderReport  *report,
                     GError         **error)
{
  g_autoptr(FrSender) sender = NULL;

  if (!open_state (self, error))
    return FALSE;
  sender = fr_sender_new (self->outbox, self->site->queue_url, self->site->queue_ca, error);
  if (sender == NULL)
    return FALSE;
  return fr_sender_deliver (sender, everything, report, error);
}

int
fr_headless_submit (FrHeadless  *self,
                    const char  *json_path,
                    const char  *voice_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrSecret) partial = NULL;
  g_autoptr(FrSecret) voice = NULL;
  FrSenderReport report = { 0 };
  char id[FR_UUID_STRING_LEN + 1];
  char receipt[FR_RECEIPT_STRING_LEN + 1];

  partial = read_secret_file (json_path, FR_RECORD_MAX_JSON, &error);
  if (partial == NULL)
    return fail ("--submit", error);
  if (voice_path != NULL)
    {
      voice = read_secret_file (voice_path, FR_ENVELOPE_MAX_SIZE, &error);
      if (voice == NULL)
        return fail ("--attach", error);
    }

  if (!fr_headless_seal_and_enqueue (self, partial, voice, id, receipt, &error))
    return fail ("--submit", error);
  g_clear_pointer (&partial, fr_secret_free);
  g_clear_pointer (&voice, fr_secret_free);

  /* Safely enqueued: from here on nothing is lost. Print, then try one delivery. */
  g_print ("%s %s\n", id, receipt);
  fflush (stdout);

  if (!fr_headless_deliver (self, FALSE, &report, &error))
    g_printerr ("fristad-kiosk --submit: enqueued; delivery not attempted: %s\n", error->message);
  else if (report.retry > 0 || report.dead > 0)
    g_printerr ("fristad-kiosk --submit: enqueued; delivery will be retried: %s\n",
                report.last_error ? report.last_error : "unknown error");
  fr_sender_report_clear (&report);
  return FR_EXIT_OK;
}

int
fr_headless_flush (FrHeadless *self)
{
  g_autoptr(GError) error = NULL;
  FrSenderReport report = { 0 };
  FrOutboxStats stats = { 0 };
  int status;

  if (!fr_headless_deliver (self, TRUE, &report, &error))
    return fail ("--flush", error);
  if (!fr_outbox_get_stats (self->outbox, &stats, &error))
    {
      fr_sender_report_clear (&report);
      return fail ("--flush", error);
    }

  g_print ("delivered %u, already at the queue %u, pending %u, dead-letter %u\n",
           report.delivered, report.duplicates, stats.pending, stats.dead);
  if (stats.pending > 0)
    g_printerr ("fristad-kiosk --flush: %u envelope(s) still pending: %s\n", stats.pending,
                report.last_error ? report.last_error : "not yet due");
  status = stats.pending > 0 ? FR_EXIT_OPERATIONAL : FR_EXIT_OK;
  fr_outbox_stats_clear (&stats);
  fr_sender_report_clear (&report);
  return status;
}

int
fr_headless_print_kiosk_key (FrHeadless *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  if (!open_state (self, &error))
    return fail ("--print-kiosk-key", error);
  key = fr_key_string_format (FR_KEY_KIND_KIOSK, self->kiosk->pk);
  g_print ("%s\n", key);
  return FR_EXIT_OK;
}

/* "keyboards: 12 layouts (site: fi)" */
static void
print_keyboards (const FrKeyboards *keyboards)
{
  g_autoptr(GString) site = g_string_new (NULL);
  guint n = fr_keyboards_get_n_layouts (keyboards);

  for (guint i = 0; i < n; i++)
    {
      const FrKeyboardLayout *layout = fr_keyboards_get_layout (keyboards, i);

      if (layout->from_site)
        g_string_append_printf (site, "%s%s", site->len ? ", " : "", layout->id);
    }
  g_print ("keyboards: %u layouts%s%s%s\n", n, site->len ? " (site: " : "", site->str, site->len ? ")" : "");
}

int
fr_headless_check_config (FrHeadless *self)
{
  const FrSite *site = self->site;
  g_autoptr(GError) error = NULL;
  g_autoptr(FrContent) content = NULL;
  g_autoptr(FrKeyboards) keyboards = NULL;
  g_autoptr(GPtrArray) report = NULL;
  g_autoptr(GPtrArray) contact_ids = g_ptr_array_new ();
  guint n_missing = 0;

  g_print ("site: %s (%s)\n", site->id, site->name);
  g_print ("config: %s\n", site->path);
  g_print ("languages: %u offered\n", g_strv_length (site->languages));
  g_print ("queue: %s%s\n", site->queue_url, site->queue_ca ? " (CA pinned)" : "");
  g_print ("recipients: %u staff key(s)\n", site->n_recipients);
  g_print ("contacts: %u\n", site->contacts->len);
  g_print ("idle timeout: %u s\n", site->idle_timeout);
  g_print ("voice messages: up to %u s\n", site->voice_max_seconds);
  g_print ("read-aloud: %s\n", site->headphones_first ? "only with headphones" : "speaker or headphones");
  g_print ("assisted mode: %s\n", site->assisted_pin ? "PIN set" : "off (no assisted-pin)");
  g_print ("maintenance screen: %s\n", site->maintenance_pin ? "PIN set" : "off (no maintenance-pin)");
  g_print ("state directory: %s\n", site->state_dir);
  g_print ("content: %s, site overrides in %s\n", fr_site_shipped_content_dir (), site->content_dir);

  content = fr_content_load (fr_site_shipped_content_dir (), site->content_dir, &error);
  if (content == NULL)
    return fail ("--check-config", error);
  /* The on-screen keyboard's layouts and pinyin tables, the site's too: a broken one is
   * one line naming the file and what is wrong (exit 2), as the kiosk would not start. */
  keyboards = fr_keyboards_load (fr_site_shipped_content_dir (), site->content_dir, &error);
  if (keyboards == NULL)
    return fail ("--check-config", error);
  print_keyboards (keyboards);
  for (guint i = 0; i < site->contacts->len; i++)
    g_ptr_array_add (contact_ids, ((FrContact *) g_ptr_array_index (site->contacts, i))->id);
  g_ptr_array_add (contact_ids, NULL);
  report = fr_content_check (content, (const char * const *) site->languages,
                             (const char * const *) contact_ids->pdata, &n_missing);
  for (guint i = 0; i < report->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (report, i));
  g_clear_pointer (&report, g_ptr_array_unref);
  report = fr_content_review_lines (content, (const char * const *) site->languages);
  for (guint i = 0; i < report->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (report, i));

  if (n_missing > 0)
    {
      g_printerr ("fristad-kiosk --check-config: %u thing(s) missing (lines starting \"missing:\" above)\n", n_missing);
      return FR_EXIT_BAD_INPUT;
    }
  g_print ("config OK\n");
  return FR_EXIT_OK;
}

/**
 * fr_headless_hash_pin:
 * @pin_file: (nullable): read the PIN from the first line of this file, else from the
 *   terminal (asked twice, not echoed)
 *
 * Prints the crypto_pwhash_str (Argon2id, libsodium's interactive limits) hash of a PIN of
 * FR_SITE_PIN_MIN_DIGITS to FR_SITE_PIN_MAX_DIGITS digits, for kiosk.conf's assisted-pin
 * or maintenance-pin. Needs no site config.
 */
int
fr_headless_hash_pin (const char *pin_file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrSecret) pin = NULL;
  g_autofree char *hash = NULL;

  if (pin_file == NULL)
    {
      int tty = g_open ("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY, 0);

      if (tty < 0)
        {
          g_printerr ("fristad-kiosk --hash-pin: no terminal to read the PIN from; use --pin-file FILE\n");
          return FR_EXIT_BAD_INPUT;
        }
      close (tty);
    }
  pin = fr_passphrase_read ("New PIN (" G_STRINGIFY (FR_SITE_PIN_MIN_DIGITS) " to "
                            G_STRINGIFY (FR_SITE_PIN_MAX_DIGITS) " digits): ", pin_file, TRUE, &error);
  if (pin == NULL)
    return fail ("--hash-pin", error);
  hash = fr_site_hash_pin ((const char *) pin->data, pin->len, &error);
  if (hash == NULL)
    return fail ("--hash-pin", error);
  g_print ("%s\n", hash);
  return FR_EXIT_OK;
}
