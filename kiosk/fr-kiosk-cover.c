/* fr-kiosk-cover.c — the neutral screen shown after quick exit and idle timeout */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include "fr-kiosk-cover.h"
#include "fr-kiosk-lockdown.h"

struct _FrKioskCover
{
  GtkWidget  parent_instance;
  GtkWidget *start_button;
  GtkLabel  *title_label;
  GtkLabel  *hint_label;
};

G_DEFINE_FINAL_TYPE (FrKioskCover, fr_kiosk_cover, GTK_TYPE_WIDGET)

static void
fr_kiosk_cover_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FR_TYPE_KIOSK_COVER);
  G_OBJECT_CLASS (fr_kiosk_cover_parent_class)->dispose (object);
}

static void
fr_kiosk_cover_class_init (FrKioskCoverClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = fr_kiosk_cover_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/se/fristad/kiosk/fr-kiosk-cover.ui");
  gtk_widget_class_bind_template_child (widget_class, FrKioskCover, start_button);
  gtk_widget_class_bind_template_child (widget_class, FrKioskCover, title_label);
  gtk_widget_class_bind_template_child (widget_class, FrKioskCover, hint_label);
  gtk_widget_class_set_css_name (widget_class, "fr-cover");
}

static void
fr_kiosk_cover_init (FrKioskCover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fr_kiosk_lockdown_label (self->title_label);
  fr_kiosk_lockdown_label (self->hint_label);
}

GtkWidget *
fr_kiosk_cover_new (void)
{
  return g_object_new (FR_TYPE_KIOSK_COVER, NULL);
}
