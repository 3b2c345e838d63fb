/* fr-kiosk-context.c — what the kiosk app runs on: site, content, sealing, delivery */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include "fr-kiosk-context.h"

struct _FrKioskContext
{
  GObject      parent_instance;

  char        *config_path;
  FrHeadless  *headless;      /* main thread: sealing */
  FrHeadless  *deliverer;     /* delivery thread only, one task at a time */
  FrContent   *content;
  FrKeyboards *keyboards;     /* the on-screen keyboard's layouts */
  GStrv        languages;     /* offered ∩ content */
  char        *fingerprint;
  guint        delivery_source;
  gboolean     delivering;
  gboolean     again;         /* a delivery was asked for while one was running */
  gboolean     delivery_enabled;
  FrKioskDelivery last;       /* the last delivery's counts (main thread) */
};

enum { SIGNAL_DELIVERED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FrKioskContext, fr_kiosk_context, G_TYPE_OBJECT)

static void
fr_kiosk_context_dispose (GObject *object)
{
  FrKioskContext *self = (FrKioskContext *) object;

  g_clear_handle_id (&self->delivery_source, g_source_remove);
  G_OBJECT_CLASS (fr_kiosk_context_parent_class)->dispose (object);
}

static void
fr_kiosk_context_finalize (GObject *object)
{
  FrKioskContext *self = (FrKioskContext *) object;

  /* A running delivery task holds a reference, so the deliverer is idle here. */
  g_clear_pointer (&self->deliverer, fr_headless_free);
  g_clear_pointer (&self->headless, fr_headless_free);
  g_clear_pointer (&self->content, fr_content_free);
  g_clear_pointer (&self->languages, g_strfreev);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->config_path, g_free);
  g_clear_pointer (&self->keyboards, fr_keyboards_free);
  G_OBJECT_CLASS (fr_kiosk_context_parent_class)->finalize (object);
}

static void
fr_kiosk_context_class_init (FrKioskContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fr_kiosk_context_dispose;
  object_class->finalize = fr_kiosk_context_finalize;

  /**
   * FrKioskContext::delivered:
   *
   * A background delivery has ended (fr_kiosk_context_get_last_delivery() says how it
   * went). Emitted on the main thread.
   */
  signals[SIGNAL_DELIVERED] = g_signal_new ("delivered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                            NULL, NULL, G_TYPE_NONE, 0);
}

static void
fr_kiosk_context_init (FrKioskContext *self)
{
  self->delivery_enabled = TRUE;
}

/**
 * fr_kiosk_context_find_content_dir:
 *
 * The shipped content (see fr_site_shipped_content_dir()).
 *
 * Returns: (transfer full): a directory path.
 */
char *
fr_kiosk_context_find_content_dir (void)
{
  return g_strdup (fr_site_shipped_content_dir ());
}

static gboolean
delivery_tick (gpointer user_data)
{
  fr_kiosk_context_deliver_soon (user_data);
  return G_SOURCE_CONTINUE;
}

FrKioskContext *
fr_kiosk_context_new (const char  *config_path,
                      const char  *shipped_content_dir,
                      GError     **error)
{
  g_autoptr(FrKioskContext) self = g_object_new (FR_TYPE_KIOSK_CONTEXT, NULL);
  g_autoptr(FrKioskKey) kiosk = NULL;
  g_autoptr(GStrvBuilder) languages = g_strv_builder_new ();
  g_autofree char *content_dir = NULL;
  const FrSite *site;

  g_return_val_if_fail (config_path != NULL, NULL);

  self->config_path = g_strdup (config_path);
  self->headless = fr_headless_new (config_path, error);
  if (self->headless == NULL)
    return NULL;
  self->deliverer = fr_headless_new (config_path, error);
  if (self->deliverer == NULL)
    return NULL;
  site = self->headless->site;

  content_dir = shipped_content_dir ? g_strdup (shipped_content_dir) : fr_kiosk_context_find_content_dir ();
  self->content = fr_content_load (content_dir, site->content_dir, error);
  if (self->content == NULL)
    return NULL;
  self->keyboards = fr_keyboards_load (content_dir, site->content_dir, error);
  if (self->keyboards == NULL)
    return NULL;

  for (guint i = 0; site->languages[i]; i++)
    if (fr_content_has_language (self->content, site->languages[i]))
      g_strv_builder_add (languages, site->languages[i]);
  self->languages = g_strv_builder_end (languages);
  if (self->languages[0] == NULL)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s: [site] languages: none of them is in the content", site->path);
      return NULL;
    }

  /* The signing key is made on first start, so the maintainer can enroll the kiosk
   * before the first record. */
  kiosk = fr_kiosk_key_load_or_create (site->state_dir, error);
  if (kiosk == NULL)
    return NULL;
  self->fingerprint = fr_key_fingerprint (kiosk->pk);

  self->delivery_source = g_timeout_add_seconds (FR_KIOSK_DELIVERY_INTERVAL, delivery_tick, self);
  return g_steal_pointer (&self);
}

const FrSite *
fr_kiosk_context_get_site (FrKioskContext *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (self), NULL);
  return self->headless->site;
}

/* The on-screen keyboard's layouts, shipped and the site's. */
const FrKeyboards *
fr_kiosk_context_get_keyboards (FrKioskContext *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (self), NULL);
  return self->keyboards;
}

const FrContent *
fr_kiosk_context_get_content (FrKioskContext *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (self), NULL);
  return self->content;
}

const char *const *
fr_kiosk_context_get_languages (FrKioskContext *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (self), NULL);
  return (const char *const *) self->languages;
}

const char *
fr_kiosk_context_get_fingerprint (FrKioskContext *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (self), NULL);
  return self->fingerprint;
}

const FrContact *
fr_kiosk_context_find_contact (FrKioskContext *self,
                               const char     *id)
{
  const FrSite *site = fr_kiosk_context_get_site (self);

  for (guint i = 0; i < site->contacts->len; i++)
    {
      const FrContact *contact = g_ptr_array_index (site->contacts, i);

      if (g_str_equal (contact->id, id))
        return contact;
    }
  return NULL;
}

/**
 * fr_kiosk_context_contacts_for_tile:
 * @tile: "help-now" or "talk"
 *
 * Returns: (transfer container) (element-type FrContact): the contacts shown on that
 *   home-screen tile, in file order.
 */
GPtrArray *
fr_kiosk_context_contacts_for_tile (FrKioskContext *self,
                                    const char     *tile)
{
  const FrSite *site = fr_kiosk_context_get_site (self);
  GPtrArray *result = g_ptr_array_new ();

  for (guint i = 0; i < site->contacts->len; i++)
    {
      FrContact *contact = g_ptr_array_index (site->contacts, i);

      if (contact->tiles != NULL && g_strv_contains ((const char *const *) contact->tiles, tile))
        g_ptr_array_add (result, contact);
    }
  return result;
}

/**
 * fr_kiosk_context_seal:
 * @partial: the partial record
 * @voice: (nullable): the voice message (Ogg Opus), sealed as the record's attachment
 * @out_receipt: (out): FR_RECEIPT_STRING_LEN + 1 bytes
 *
 * Seals and enqueues the record through the same path as `--submit --attach voice=`
 * (fr_headless_seal_and_enqueue(): the voice is probed, its size and duration go into
 * the record's attachments), then asks for a delivery.
 */
gboolean
fr_kiosk_context_seal (FrKioskContext  *self,
                       const FrSecret  *partial,
                       const FrSecret  *voice,
                       char            *out_receipt,
                       GError         **error)
{
  char id[FR_UUID_STRING_LEN + 1];

  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (self), FALSE);
  g_return_val_if_fail (partial != NULL && out_receipt != NULL, FALSE);

  if (!fr_headless_seal_and_enqueue (self->headless, partial, voice, id, out_receipt, error))
    return FALSE;
  fr_kiosk_context_deliver_soon (self);
  return TRUE;
}

void
fr_kiosk_context_set_delivery_enabled (FrKioskContext *self,
                                       gboolean        enabled)
{
  g_return_if_fail (FR_IS_KIOSK_CONTEXT (self));
  self->delivery_enabled = enabled;
}

static void
deliver_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  FrHeadless *deliverer = task_data;
  g_autoptr(GError) error = NULL;
  FrSenderReport report = { 0 };
  FrKioskDelivery *result = g_new0 (FrKioskDelivery, 1);

  if (!fr_headless_deliver (deliverer, FALSE, &report, &error))
    g_message ("delivery not attempted: %s", error->message);
  else
    {
      result->attempted = TRUE;
      result->delivered = report.delivered + report.duplicates;
      result->retry = report.retry;
      result->dead = report.dead;
      if (report.delivered + report.duplicates + report.retry + report.dead > 0)
        g_message ("delivery: %u delivered, %u duplicate, %u to retry, %u dead-letter",
                   report.delivered, report.duplicates, report.retry, report.dead);
    }
  fr_sender_report_clear (&report);
  g_task_return_pointer (task, result, g_free);
}

static void
deliver_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  FrKioskContext *self = FR_KIOSK_CONTEXT (source);
  g_autofree FrKioskDelivery *delivery = g_task_propagate_pointer (G_TASK (result), NULL);

  self->delivering = FALSE;
  if (delivery != NULL)
    self->last = *delivery;
  g_signal_emit (self, signals[SIGNAL_DELIVERED], 0);
  if (self->again)
    {
      self->again = FALSE;
      fr_kiosk_context_deliver_soon (self);
    }
}

/**
 * fr_kiosk_context_deliver_soon:
 *
 * Starts a background delivery of what is due in the outbox, or — if one is running —
 * one more right after it.
 */
void
fr_kiosk_context_deliver_soon (FrKioskContext *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FR_IS_KIOSK_CONTEXT (self));

  if (!self->delivery_enabled)
    return;
  if (self->delivering)
    {
      self->again = TRUE;
      return;
    }
  self->delivering = TRUE;
  task = g_task_new (self, NULL, deliver_done, NULL);
  g_task_set_task_data (task, self->deliverer, NULL);
  g_task_run_in_thread (task, deliver_thread);
}

/* Whether delivery runs at all on this kiosk (the tests turn it off). */
gboolean
fr_kiosk_context_get_delivery_enabled (FrKioskContext *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (self), FALSE);
  return self->delivery_enabled;
}

/* How the last background delivery went: counts only. */
void
fr_kiosk_context_get_last_delivery (FrKioskContext  *self,
                                    FrKioskDelivery *out)
{
  g_return_if_fail (FR_IS_KIOSK_CONTEXT (self));
  g_return_if_fail (out != NULL);
  *out = self->last;
}

gboolean
fr_kiosk_context_is_delivering (FrKioskContext *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (self), FALSE);
  return self->delivering;
}

/**
 * fr_kiosk_context_get_outbox_stats:
 *
 * Counts and times only, never content: for the maintenance screen. Opens its own
 * short-lived connection to the outbox.
 */
gboolean
fr_kiosk_context_get_outbox_stats (FrKioskContext  *self,
                                   FrOutboxStats   *stats,
                                   GError         **error)
{
  g_autofree char *db = NULL;
  g_autoptr(FrOutbox) outbox = NULL;

  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (self), FALSE);

  db = g_build_filename (fr_kiosk_context_get_site (self)->state_dir, FR_KIOSK_OUTBOX_FILE, NULL);
  outbox = fr_outbox_open (db, error);
  if (outbox == NULL)
    return FALSE;
  return fr_outbox_get_stats (outbox, stats, error);
}

/**
 * fr_kiosk_context_check:
 *
 * Returns: (transfer full) (element-type utf8): fr_content_check() lines for the
 *   offered languages and the site's contacts.
 */
GPtrArray *
fr_kiosk_context_check (FrKioskContext *self)
{
  const FrSite *site = fr_kiosk_context_get_site (self);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  guint n_missing = 0;

  for (guint i = 0; i < site->contacts->len; i++)
    g_ptr_array_add (ids, ((FrContact *) g_ptr_array_index (site->contacts, i))->id);
  g_ptr_array_add (ids, NULL);
  return fr_content_check (self->content, (const char *const *) site->languages,
                           (const char *const *) ids->pdata, &n_missing);
}
