/* fr-kiosk-home.c — the home screen of a session: big tiles */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-home.h"
#include "fr-kiosk-lockdown.h"

struct _FrKioskHome
{
  GtkWidget   parent_instance;
  GtkWidget  *scroller;
  GtkLabel   *title;
  GtkFlowBox *tiles;
};

G_DEFINE_FINAL_TYPE (FrKioskHome, fr_kiosk_home, GTK_TYPE_WIDGET)

static void
fr_kiosk_home_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FR_TYPE_KIOSK_HOME);
  G_OBJECT_CLASS (fr_kiosk_home_parent_class)->dispose (object);
}

static void
fr_kiosk_home_class_init (FrKioskHomeClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = fr_kiosk_home_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/se/fristad/kiosk/fr-kiosk-home.ui");
  gtk_widget_class_bind_template_child (widget_class, FrKioskHome, scroller);
  gtk_widget_class_bind_template_child (widget_class, FrKioskHome, title);
  gtk_widget_class_bind_template_child (widget_class, FrKioskHome, tiles);
  gtk_widget_class_set_css_name (widget_class, "fr-home");
}

static void
fr_kiosk_home_init (FrKioskHome *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fr_kiosk_lockdown_label (self->title);
}

static GtkWidget *
add_tile (FrKioskHome *self,
          const char  *label,
          const char  *icon,
          const char  *action,
          GVariant    *target,
          const char  *css_class)
{
  GtkWidget *button = fr_kiosk_button_new (label, icon, action, target);

  gtk_widget_add_css_class (button, "fr-tile");
  if (css_class != NULL)
    gtk_widget_add_css_class (button, css_class);
  gtk_flow_box_append (self->tiles, button);
  gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
  return button;
}

/**
 * fr_kiosk_home_new:
 * @lang: the session's language (gettext is already switched to it)
 */
GtkWidget *
fr_kiosk_home_new (FrKioskContext *context,
                   const char     *lang)
{
  FrKioskHome *self;
  const FrTopic *const *topics;
  g_autoptr(GPtrArray) help_now = NULL;
  g_autoptr(GPtrArray) talk = NULL;

  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (context), NULL);

  self = g_object_new (FR_TYPE_KIOSK_HOME, NULL);
  help_now = fr_kiosk_context_contacts_for_tile (context, "help-now");
  talk = fr_kiosk_context_contacts_for_tile (context, "talk");

  /* Translators: home tile: phone numbers for urgent help */
  add_tile (self, _("I need help now"), "dialog-warning-symbolic", "kiosk.contacts",
            g_variant_new_string ("help-now"), "fr-tile-urgent");
  topics = fr_content_get_topics (fr_kiosk_context_get_content (context), lang);
  for (guint i = 0; topics && topics[i]; i++)
    {
      /* What happens after sending is shown after sending (and from the wizard). */
      if (g_str_equal (topics[i]->id, "after-sending") || g_str_equal (topics[i]->id, "emergency"))
        continue;
      add_tile (self, topics[i]->title, NULL, "kiosk.topic", g_variant_new_string (topics[i]->id), NULL);
    }
  if (talk->len > 0)
    /* Translators: home tile: phone numbers of people to talk to */
    add_tile (self, _("Talk to someone"), "call-start-symbolic", "kiosk.contacts", g_variant_new_string ("talk"), NULL);
  /* Translators: home tile: starts the self-referral form */
  add_tile (self, _("Send a message to social services"), "mail-send-symbolic", "kiosk.wizard", NULL, "fr-tile-message");
  /* Translators: home tile: back to the language picker */
  add_tile (self, _("Change language"), "preferences-desktop-locale-symbolic", "kiosk.change-language", NULL, NULL);
  return GTK_WIDGET (self);
}
