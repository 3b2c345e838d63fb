/* fr-kiosk-keypad.h — a big on-screen number pad (phone numbers, PINs)
 *
 * No system keyboard is needed. A tap activates "keypad.press" with the key ("0"…"9",
 * "+", or "delete"); the keypad emits ::pressed with it.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FR_KIOSK_KEYPAD_DELETE "delete"

#define FR_TYPE_KIOSK_KEYPAD (fr_kiosk_keypad_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskKeypad, fr_kiosk_keypad, FR, KIOSK_KEYPAD, GtkWidget)

GtkWidget *fr_kiosk_keypad_new (gboolean with_plus);

G_END_DECLS
