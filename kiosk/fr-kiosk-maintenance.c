/* fr-kiosk-maintenance.c — outbox health and config check for the site maintainer */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-maintenance.h"

#define REFRESH_SECONDS 2

struct _FrKioskMaintenance
{
  GtkWidget       parent_instance;

  FrKioskContext *context;
  guint           refresh_source;

  GtkWidget      *scroller;
  GtkLabel       *status;
  GtkLabel       *fingerprint;
  GtkLabel       *check;
  GtkLabel       *delivery;
  gboolean        asked;     /* "Deliver now" was pressed: say how it went */
};

G_DEFINE_FINAL_TYPE (FrKioskMaintenance, fr_kiosk_maintenance, GTK_TYPE_WIDGET)

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_time <= 0)
    /* Translators: maintenance screen: no delivery yet */
    return g_strdup (_("never"));
  time = g_date_time_new_from_unix_local (unix_time);
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

void
fr_kiosk_maintenance_refresh (FrKioskMaintenance *self)
{
  g_autoptr(GError) error = NULL;
  FrOutboxStats stats = { 0 };
  g_autofree char *text = NULL;

  g_return_if_fail (FR_IS_KIOSK_MAINTENANCE (self));

  if (!fr_kiosk_context_get_outbox_stats (self->context, &stats, &error))
    {
      /* Translators: maintenance screen, the outbox could not be read */
      text = g_strdup_printf (_("The outbox cannot be read: %s"), error->message);
    }
  else
    {
      g_autofree char *last = format_time (stats.last_delivery);
      g_autofree char *oldest = format_time (stats.oldest_pending);

      /* Translators: maintenance screen; counts and times only */
      text = g_strdup_printf (_("Waiting to be delivered: %u\n"
                                "Refused by the queue (dead letter): %u\n"
                                "Oldest waiting since: %s\n"
                                "Last delivery: %s\n"
                                "Last error: %s\n"
                                "Delivering now: %s"),
                              stats.pending, stats.dead, stats.pending ? oldest : "—", last,
                              stats.last_error ? stats.last_error : "—",
                              fr_kiosk_context_is_delivering (self->context) ? _("yes") : _("no"));
      fr_outbox_stats_clear (&stats);
    }
  gtk_label_set_text (self->status, text);
}

static gboolean
refresh_tick (gpointer user_data)
{
  fr_kiosk_maintenance_refresh (user_data);
  return G_SOURCE_CONTINUE;
}

static void
show_delivery (FrKioskMaintenance *self,
               const char         *text)
{
  gtk_label_set_text (self->delivery, text);
  gtk_widget_set_visible (GTK_WIDGET (self->delivery), TRUE);
}

static void
on_delivered (FrKioskContext     *context,
              FrKioskMaintenance *self)
{
  FrKioskDelivery last;
  g_autofree char *text = NULL;

  fr_kiosk_maintenance_refresh (self);
  if (!self->asked || fr_kiosk_context_is_delivering (context))
    return;
  self->asked = FALSE;
  fr_kiosk_context_get_last_delivery (context, &last);
  if (!last.attempted)
    /* Translators: maintenance screen, after "Deliver now": nothing could be tried */
    text = g_strdup (_("Delivery could not start. See the last error above."));
  else if (last.delivered + last.retry + last.dead == 0)
    /* Translators: maintenance screen, after "Deliver now": the outbox had nothing due */
    text = g_strdup (_("Nothing to deliver: the outbox has nothing due now."));
  else
    /* Translators: maintenance screen, after "Deliver now"; counts of records */
    text = g_strdup_printf (_("Delivery done. Delivered: %u. Still waiting: %u. Refused by the queue: %u."),
                            last.delivered, last.retry, last.dead);
  show_delivery (self, text);
}

static void
deliver_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FrKioskMaintenance *self = FR_KIOSK_MAINTENANCE (widget);

  if (!fr_kiosk_context_get_delivery_enabled (self->context))
    {
      /* Translators: maintenance screen, after "Deliver now" on a kiosk that does not deliver */
      show_delivery (self, _("Delivery is turned off on this kiosk."));
      return;
    }
  self->asked = TRUE;
  /* Translators: maintenance screen, right after "Deliver now" */
  show_delivery (self, _("Delivering…"));
  fr_kiosk_context_deliver_soon (self->context);
  fr_kiosk_maintenance_refresh (self);
}

static void
fr_kiosk_maintenance_dispose (GObject *object)
{
  FrKioskMaintenance *self = FR_KIOSK_MAINTENANCE (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  gtk_widget_dispose_template (GTK_WIDGET (object), FR_TYPE_KIOSK_MAINTENANCE);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (fr_kiosk_maintenance_parent_class)->dispose (object);
}

static void
fr_kiosk_maintenance_class_init (FrKioskMaintenanceClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = fr_kiosk_maintenance_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/se/fristad/kiosk/fr-kiosk-maintenance.ui");
  gtk_widget_class_bind_template_child (widget_class, FrKioskMaintenance, scroller);
  gtk_widget_class_bind_template_child (widget_class, FrKioskMaintenance, status);
  gtk_widget_class_bind_template_child (widget_class, FrKioskMaintenance, fingerprint);
  gtk_widget_class_bind_template_child (widget_class, FrKioskMaintenance, check);
  gtk_widget_class_bind_template_child (widget_class, FrKioskMaintenance, delivery);
  gtk_widget_class_install_action (widget_class, "maintenance.deliver", NULL, deliver_action);
  gtk_widget_class_set_css_name (widget_class, "fr-maintenance");
}

static void
fr_kiosk_maintenance_init (FrKioskMaintenance *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fr_kiosk_lockdown_label (self->status);
  fr_kiosk_lockdown_label (self->fingerprint);
  fr_kiosk_lockdown_label (self->check);
  fr_kiosk_lockdown_label (self->delivery);
}

GtkWidget *
fr_kiosk_maintenance_new (FrKioskContext *context)
{
  FrKioskMaintenance *self;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *check = NULL;
  const FrSite *site;

  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (context), NULL);

  self = g_object_new (FR_TYPE_KIOSK_MAINTENANCE, NULL);
  self->context = g_object_ref (context);
  g_signal_connect (context, "delivered", G_CALLBACK (on_delivered), self);
  site = fr_kiosk_context_get_site (context);

  /* Translators: maintenance screen; %s are the site id, the kiosk key fingerprint and the queue URL */
  fingerprint = g_strdup_printf (_("Site: %s\nKiosk key fingerprint: %s\nQueue: %s"),
                                 site->id, fr_kiosk_context_get_fingerprint (context), site->queue_url);
  gtk_label_set_text (self->fingerprint, fingerprint);

  lines = fr_kiosk_context_check (context);
  if (lines->len == 0)
    /* Translators: maintenance screen, the configuration check found nothing */
    check = g_strdup (_("No problems found."));
  else
    {
      g_ptr_array_add (lines, NULL);
      check = g_strjoinv ("\n", (char **) lines->pdata);
    }
  /* Each language's review status (machine draft, or reviewed by whom and when). */
  {
    g_autoptr(GPtrArray) review = fr_content_review_lines (fr_kiosk_context_get_content (context),
                                                           (const char *const *) site->languages);
    g_autofree char *joined = NULL;
    g_autofree char *problems = NULL;

    g_ptr_array_add (review, NULL);
    joined = g_strjoinv ("\n", (char **) review->pdata);
    problems = g_steal_pointer (&check);
    check = g_strconcat (problems, "\n", joined, NULL);
  }
  gtk_label_set_text (self->check, check);

  fr_kiosk_maintenance_refresh (self);
  self->refresh_source = g_timeout_add_seconds (REFRESH_SECONDS, refresh_tick, self);
  return GTK_WIDGET (self);
}
