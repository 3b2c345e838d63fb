/* fr-kiosk-window.h — the kiosk's one window: the top bar, the screens, the safety rules
 *
 * The top bar has the same controls in the same places on every screen: home (also how
 * to change language) and listen at the start, large text, high contrast and quick exit
 * at the end. Quick exit, Escape pressed three times within two seconds, and the idle
 * timeout (with a visible countdown for the last 15 seconds) all wipe the session and
 * show the neutral cover screen.
 *
 * Screens are GtkStack children named "cover", "welcome", "home", "topic", "wizard",
 * "receipt", "pin" and "maintenance". Everything but the cover and the welcome screen
 * is built for one session and destroyed when it ends.
 */
#pragma once

#include <adwaita.h>

#include "fr-kiosk-context.h"
#include "fr-kiosk-listen.h"
#include "fr-kiosk-warmup.h"
#include "fr-kiosk-session.h"

G_BEGIN_DECLS

#define FR_KIOSK_ESCAPE_PRESSES     3
#define FR_KIOSK_ESCAPE_WINDOW_MS   2000
#define FR_KIOSK_IDLE_WARNING_MS    15000

#define FR_TYPE_KIOSK_WINDOW (fr_kiosk_window_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskWindow, fr_kiosk_window, FR, KIOSK_WINDOW, AdwWindow)

void             fr_kiosk_ui_init                    (void);
void             fr_kiosk_window_size_to_monitor     (FrKioskWindow  *self);
FrKioskWindow   *fr_kiosk_window_new                 (FrKioskContext *context,
                                                      gboolean        windowed);
const char      *fr_kiosk_window_get_screen_name     (FrKioskWindow  *self);
GtkWidget       *fr_kiosk_window_get_screen          (FrKioskWindow  *self);
FrKioskSession  *fr_kiosk_window_get_session         (FrKioskWindow  *self);
FrKioskContext  *fr_kiosk_window_get_context         (FrKioskWindow  *self);
void             fr_kiosk_window_reset               (FrKioskWindow  *self);
void             fr_kiosk_window_warm_up             (FrKioskWindow  *self);
FrKioskWarmup   *fr_kiosk_window_get_warmup          (FrKioskWindow  *self);
gboolean         fr_kiosk_window_is_counting_down    (FrKioskWindow  *self);
GtkWidget       *fr_kiosk_window_get_exit_button     (FrKioskWindow  *self);
FrKioskListen   *fr_kiosk_window_get_listen          (FrKioskWindow  *self);
GtkWidget       *fr_kiosk_window_get_listen_button   (FrKioskWindow  *self);

/* For tests only: a shorter idle timeout than kiosk.conf allows. */
void             fr_kiosk_window_set_idle_timeout_ms (FrKioskWindow  *self,
                                                      guint           timeout_ms);

GtkWidget      *fr_kiosk_window_get_notice          (FrKioskWindow  *self);
GtkWidget      *fr_kiosk_window_get_read_all_button (FrKioskWindow  *self);

G_END_DECLS
