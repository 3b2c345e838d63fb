/* fr-kiosk-a11y.h — accessible names and the kiosk's big buttons */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void        fr_kiosk_a11y_set_name       (GtkWidget   *widget,
                                          const char  *name);
void        fr_kiosk_a11y_ensure_names   (GtkWidget   *root);
gboolean    fr_kiosk_a11y_is_interactive (GtkWidget   *widget);
char       *fr_kiosk_a11y_text_of        (GtkWidget   *widget);
GtkWidget  *fr_kiosk_button_new          (const char  *label,
                                          const char  *icon_name,
                                          const char  *action_name,
                                          GVariant    *target);
GtkWidget  *fr_kiosk_label_new           (const char  *text,
                                          const char  *css_class);

G_END_DECLS
