/* fr-kiosk-keyboard.h — the kiosk's own on-screen keyboard
 *
 * The kiosk runs on a touch screen with no physical keyboard and no system keyboard.
 * This one lives in the page's layout (above the action bar, never over the field or the
 * buttons) and types into one target, a GtkText or GtkTextView, through the widget's own
 * editing API: no clipboard, no input method. Layouts are data (fr-keyboard-layout.h).
 *
 * Taps activate "keyboard.type" (the key's text), "keyboard.shift", "keyboard.backspace",
 * "keyboard.space", "keyboard.page" ("letters" or "symbols"), "keyboard.latin" (to the
 * Latin letters and back), "keyboard.hide", "keyboard.show" and, on a pinyin layout's
 * candidate bar (fr-kiosk-candidates.h), "keyboard.choose" (a character).
 *
 * Nothing learned, nothing kept: no prediction, no history; its only state is the page,
 * shift, Latin or not, hidden or not and the pinyin letters held (in guarded memory),
 * which fr_kiosk_keyboard_reset() clears (the session's wipe,
 * fr_kiosk_wipe_text_widgets(), calls it). Keys are never logged.
 */
#pragma once

#include <gtk/gtk.h>

#include "fr-keyboard-layout.h"

G_BEGIN_DECLS

#define FR_TYPE_KIOSK_KEYBOARD (fr_kiosk_keyboard_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskKeyboard, fr_kiosk_keyboard, FR, KIOSK_KEYBOARD, GtkWidget)

GtkWidget      *fr_kiosk_keyboard_new           (const FrKeyboards *keyboards,
                                                 const char        *language);
void            fr_kiosk_keyboard_set_target    (FrKioskKeyboard   *self,
                                                 GtkWidget         *text);
GtkWidget      *fr_kiosk_keyboard_get_target    (FrKioskKeyboard   *self);
void            fr_kiosk_keyboard_reset         (FrKioskKeyboard   *self);
void            fr_kiosk_keyboard_commit_letters (FrKioskKeyboard  *self);

/* For tests and the gallery. */
const char     *fr_kiosk_keyboard_get_layout_id (FrKioskKeyboard   *self);
FrKeyboardPage  fr_kiosk_keyboard_get_page      (FrKioskKeyboard   *self);
gboolean        fr_kiosk_keyboard_is_hidden     (FrKioskKeyboard   *self);
gboolean        fr_kiosk_keyboard_is_initial    (FrKioskKeyboard   *self);
GtkWidget      *fr_kiosk_keyboard_find_key      (FrKioskKeyboard   *self,
                                                 const char        *action,
                                                 const char        *text);
GtkWidget      *fr_kiosk_keyboard_get_keys      (FrKioskKeyboard   *self);
gsize           fr_kiosk_keyboard_get_n_letters (FrKioskKeyboard   *self);
GtkWidget      *fr_kiosk_keyboard_get_candidates (FrKioskKeyboard  *self);

G_END_DECLS
