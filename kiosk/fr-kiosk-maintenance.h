/* fr-kiosk-maintenance.h — outbox health and config check for the site maintainer
 *
 * Pending and dead-letter counts, last delivery, last error, the kiosk key fingerprint
 * and the content/config check lines. Never any record content: the kiosk cannot read
 * its records anyway.
 */
#pragma once

#include <gtk/gtk.h>

#include "fr-kiosk-context.h"

G_BEGIN_DECLS

#define FR_TYPE_KIOSK_MAINTENANCE (fr_kiosk_maintenance_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskMaintenance, fr_kiosk_maintenance, FR, KIOSK_MAINTENANCE, GtkWidget)

GtkWidget *fr_kiosk_maintenance_new     (FrKioskContext     *context);
void       fr_kiosk_maintenance_refresh (FrKioskMaintenance *self);

G_END_DECLS
