/* fr-kiosk-lockdown.h — the kiosk's escape routes, closed
 *
 * No inspector, no clipboard, no context menus, no emoji chooser, no links to other
 * programs; text widgets are emptied before they are destroyed.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void  fr_kiosk_lockdown_scrub_environment (void);
void  fr_kiosk_lockdown_settings          (void);
void  fr_kiosk_lockdown_window            (GtkWindow *window);
void  fr_kiosk_lockdown_text              (GtkWidget *text);
void  fr_kiosk_lockdown_label             (GtkLabel  *label);
void  fr_kiosk_wipe_text_widgets          (GtkWidget *root);

G_END_DECLS
