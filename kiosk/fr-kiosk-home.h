/* fr-kiosk-home.h — the home screen of a session: big tiles
 *
 * "I need help now" (kiosk.contacts help-now), one tile per information topic
 * (kiosk.topic ID), "Talk to someone" (kiosk.contacts talk), "Send a message to social
 * services" (kiosk.wizard) and "Change language" (kiosk.change-language).
 */
#pragma once

#include <gtk/gtk.h>

#include "fr-kiosk-context.h"

G_BEGIN_DECLS

#define FR_TYPE_KIOSK_HOME (fr_kiosk_home_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskHome, fr_kiosk_home, FR, KIOSK_HOME, GtkWidget)

GtkWidget *fr_kiosk_home_new (FrKioskContext *context,
                              const char     *lang);

G_END_DECLS
