/* fr-kiosk-cover.h — the neutral screen shown after quick exit and idle timeout
 *
 * It says only "Help and information" and "Touch to start": nothing on it hints at what
 * was on the screen before, or at what the kiosk is about.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FR_TYPE_KIOSK_COVER (fr_kiosk_cover_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskCover, fr_kiosk_cover, FR, KIOSK_COVER, GtkWidget)

GtkWidget *fr_kiosk_cover_new (void);

G_END_DECLS
