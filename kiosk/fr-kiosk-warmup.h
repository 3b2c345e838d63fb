/* fr-kiosk-warmup.h — every screen of every offered language drawn once, out of sight
 *
 * See fr-kiosk-warmup.c.
 */
#pragma once

#include <gtk/gtk.h>

#include "fr-kiosk-context.h"

G_BEGIN_DECLS

#define FR_TYPE_KIOSK_WARMUP (fr_kiosk_warmup_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskWarmup, fr_kiosk_warmup, FR, KIOSK_WARMUP, GObject)

FrKioskWarmup *fr_kiosk_warmup_new            (FrKioskContext *context,
                                               GtkStack       *stage);
void           fr_kiosk_warmup_set_allowed    (FrKioskWarmup  *self,
                                               gboolean        allowed);
void           fr_kiosk_warmup_hold           (FrKioskWarmup  *self);
gboolean       fr_kiosk_warmup_is_done        (FrKioskWarmup  *self);
guint          fr_kiosk_warmup_get_n_frames   (FrKioskWarmup  *self);
const char    *fr_kiosk_warmup_get_step_name  (FrKioskWarmup  *self);
void           fr_kiosk_warmup_stop           (FrKioskWarmup  *self);

G_END_DECLS
