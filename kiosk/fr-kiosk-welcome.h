/* fr-kiosk-welcome.h — the language picker
 *
 * A discreet greeting ("Help and information") that cycles through the offered
 * languages, and one big button per language, labelled with its own name in its own
 * script (no flags). A tap activates "kiosk.language" with the language code.
 */
#pragma once

#include <gtk/gtk.h>

#include "fr-kiosk-context.h"

G_BEGIN_DECLS

#define FR_KIOSK_WELCOME_CYCLE_SECONDS 3

#define FR_TYPE_KIOSK_WELCOME (fr_kiosk_welcome_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskWelcome, fr_kiosk_welcome, FR, KIOSK_WELCOME, GtkWidget)

GtkWidget *fr_kiosk_welcome_new (FrKioskContext *context);

G_END_DECLS
