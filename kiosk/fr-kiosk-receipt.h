/* fr-kiosk-receipt.h — after sending: the receipt code, large, and what happens next
 *
 * Nothing the person entered is shown here: only the receipt code and the content's
 * "after-sending" topic (with its contacts).
 */
#pragma once

#include <gtk/gtk.h>

#include "fr-kiosk-context.h"

G_BEGIN_DECLS

#define FR_TYPE_KIOSK_RECEIPT (fr_kiosk_receipt_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskReceipt, fr_kiosk_receipt, FR, KIOSK_RECEIPT, GtkWidget)

GtkWidget  *fr_kiosk_receipt_new      (FrKioskContext *context,
                                       const char     *lang,
                                       const char     *receipt);
const char *fr_kiosk_receipt_get_code (FrKioskReceipt *self);

G_END_DECLS
