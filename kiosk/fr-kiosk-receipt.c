/* fr-kiosk-receipt.c — after sending: the receipt code, large, and what happens next */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-receipt.h"
#include "fr-kiosk-topic.h"

struct _FrKioskReceipt
{
  GtkWidget  parent_instance;
  GtkWidget *outer;
  GtkWidget *scroller;
  GtkWidget *box;
  GtkLabel  *title;
  GtkLabel  *code_intro;
  GtkLabel  *code;
  GtkLabel  *code_hint;
  GtkWidget *call;
  GtkWidget *next_steps;
  GtkWidget *done;
};

G_DEFINE_FINAL_TYPE (FrKioskReceipt, fr_kiosk_receipt, GTK_TYPE_WIDGET)

static void
fr_kiosk_receipt_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FR_TYPE_KIOSK_RECEIPT);
  G_OBJECT_CLASS (fr_kiosk_receipt_parent_class)->dispose (object);
}

static void
fr_kiosk_receipt_class_init (FrKioskReceiptClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = fr_kiosk_receipt_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/se/fristad/kiosk/fr-kiosk-receipt.ui");
  gtk_widget_class_bind_template_child (widget_class, FrKioskReceipt, outer);
  gtk_widget_class_bind_template_child (widget_class, FrKioskReceipt, scroller);
  gtk_widget_class_bind_template_child (widget_class, FrKioskReceipt, box);
  gtk_widget_class_bind_template_child (widget_class, FrKioskReceipt, title);
  gtk_widget_class_bind_template_child (widget_class, FrKioskReceipt, code_intro);
  gtk_widget_class_bind_template_child (widget_class, FrKioskReceipt, code);
  gtk_widget_class_bind_template_child (widget_class, FrKioskReceipt, code_hint);
  gtk_widget_class_bind_template_child (widget_class, FrKioskReceipt, call);
  gtk_widget_class_bind_template_child (widget_class, FrKioskReceipt, next_steps);
  gtk_widget_class_bind_template_child (widget_class, FrKioskReceipt, done);
  gtk_widget_class_set_css_name (widget_class, "fr-receipt");
}

static void
fr_kiosk_receipt_init (FrKioskReceipt *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fr_kiosk_lockdown_label (self->title);
  fr_kiosk_lockdown_label (self->code_intro);
  fr_kiosk_lockdown_label (self->code);
  fr_kiosk_lockdown_label (self->code_hint);
  /* The code reads left to right in every language. */
  gtk_widget_set_direction (GTK_WIDGET (self->code), GTK_TEXT_DIR_LTR);
}

GtkWidget *
fr_kiosk_receipt_new (FrKioskContext *context,
                      const char     *lang,
                      const char     *receipt)
{
  FrKioskReceipt *self;
  const FrTopic *after;
  const FrContact *call;

  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (context), NULL);
  g_return_val_if_fail (receipt != NULL, NULL);

  self = g_object_new (FR_TYPE_KIOSK_RECEIPT, NULL);
  gtk_label_set_text (self->code, receipt);
  /* The number to say the code to, right under it (from the site's contacts). */
  call = fr_kiosk_context_find_contact (context, "social-services");
  if (call != NULL)
    gtk_box_append (GTK_BOX (self->call), fr_kiosk_topic_contact_card (context, lang, call));
  gtk_widget_set_visible (self->call, call != NULL);
  after = fr_content_get_topic (fr_kiosk_context_get_content (context), lang, "after-sending");
  if (after != NULL)
    {
      GtkWidget *topic = fr_kiosk_topic_new (context, lang, after);

      fr_kiosk_topic_set_embedded (FR_KIOSK_TOPIC (topic));
      gtk_box_append (GTK_BOX (self->next_steps), topic);
    }
  return GTK_WIDGET (self);
}

const char *
fr_kiosk_receipt_get_code (FrKioskReceipt *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_RECEIPT (self), NULL);
  return gtk_label_get_text (self->code);
}
