/* fr-kiosk-pin.h — unlocking assisted mode or the maintenance screen with a PIN
 *
 * Reached discreetly (long-press on a top corner of the start or welcome screen, or
 * Ctrl+Alt+A / Ctrl+Alt+M). The PIN is typed on the built-in keypad, kept in guarded
 * memory and checked with fr_site_check_pin(). Wrong PINs lock the pad for longer and
 * longer, across restarts (fr-pin-lock.h); the pad counts the time down. For assisted mode the volunteer then
 * gives their id and the channel (assisted: at the kiosk with the person; hotline: a
 * caller), and ::assisted is emitted; for maintenance, ::maintenance.
 */
#pragma once

#include <gtk/gtk.h>

#include "fr-kiosk-context.h"
#include "fr-kiosk-session.h"
#include "fr-site.h"

G_BEGIN_DECLS

#define FR_KIOSK_PIN_MAX_LENGTH FR_SITE_PIN_MAX_DIGITS

typedef enum
{
  FR_KIOSK_PIN_ASSISTED,
  FR_KIOSK_PIN_MAINTENANCE,
} FrKioskPinMode;

#define FR_TYPE_KIOSK_PIN (fr_kiosk_pin_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskPin, fr_kiosk_pin, FR, KIOSK_PIN, GtkWidget)

GtkWidget *fr_kiosk_pin_new            (FrKioskContext *context,
                                        FrKioskPinMode  mode);
gboolean   fr_kiosk_pin_apply          (FrKioskPin     *self,
                                        FrKioskSession *session);
GtkWidget *fr_kiosk_pin_get_volunteer_entry (FrKioskPin *self);
GtkWidget *fr_kiosk_pin_get_keyboard (FrKioskPin *self);
gboolean   fr_kiosk_pin_is_checking    (FrKioskPin     *self);

G_END_DECLS
