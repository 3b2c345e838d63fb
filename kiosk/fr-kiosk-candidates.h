/* fr-kiosk-candidates.h — the pinyin keyboard's candidate bar
 *
 * A row above the keys of an `input=pinyin` layout: the letters typed so far, split into
 * syllables ("ni hao", in an "fr-typed" label that the session's wipe empties), then the
 * characters of the first syllable, FR_KIOSK_CANDIDATES_PER_PAGE at a time, with keys for
 * the previous and the next ones. A character's key activates "keyboard.choose" with the
 * character (the keyboard, its ancestor, types it); its accessible name is the character.
 * The bar keeps its height while empty, so the keyboard does not jump as letters come.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FR_KIOSK_CANDIDATES_PER_PAGE 8

#define FR_TYPE_KIOSK_CANDIDATES (fr_kiosk_candidates_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskCandidates, fr_kiosk_candidates, FR, KIOSK_CANDIDATES, GtkWidget)

GtkWidget  *fr_kiosk_candidates_new        (void);
void        fr_kiosk_candidates_set        (FrKioskCandidates *self,
                                            const char        *shown,
                                            const char        *characters);
void        fr_kiosk_candidates_clear      (FrKioskCandidates *self);
guint       fr_kiosk_candidates_get_page   (FrKioskCandidates *self);
GtkWidget  *fr_kiosk_candidates_get_typed  (FrKioskCandidates *self);
GtkWidget  *fr_kiosk_candidates_find       (FrKioskCandidates *self,
                                            const char        *character);

G_END_DECLS
