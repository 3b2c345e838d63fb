/* fr-kiosk-context.h — what the kiosk app runs on: site, content, sealing, delivery
 *
 * One per process. Sealing happens on the main thread through its own FrHeadless; the
 * background delivery runs in a GTask thread with a second FrHeadless (its own outbox
 * connection: the outbox is NOMUTEX, so each connection stays on one thread), and at
 * most one delivery runs at a time.
 */
#pragma once

#include <gio/gio.h>

#include "fr-content.h"
#include "fr-headless.h"
#include "fr-keyboard-layout.h"
#include "fr-site.h"

G_BEGIN_DECLS

#define FR_KIOSK_DELIVERY_INTERVAL 60   /* seconds between background deliveries */
#define FR_KIOSK_OUTBOX_FILE       "outbox.db"   /* as fr-headless.c names it */

#define FR_TYPE_KIOSK_CONTEXT (fr_kiosk_context_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskContext, fr_kiosk_context, FR, KIOSK_CONTEXT, GObject)

FrKioskContext     *fr_kiosk_context_new                  (const char       *config_path,
                                                           const char       *shipped_content_dir,
                                                           GError          **error);
char               *fr_kiosk_context_find_content_dir     (void);
const FrSite       *fr_kiosk_context_get_site             (FrKioskContext   *self);
const FrContent    *fr_kiosk_context_get_content          (FrKioskContext   *self);
const FrKeyboards  *fr_kiosk_context_get_keyboards        (FrKioskContext   *self);
const char *const  *fr_kiosk_context_get_languages        (FrKioskContext   *self);
const char         *fr_kiosk_context_get_fingerprint      (FrKioskContext   *self);
const FrContact    *fr_kiosk_context_find_contact         (FrKioskContext   *self,
                                                           const char       *id);
GPtrArray          *fr_kiosk_context_contacts_for_tile    (FrKioskContext   *self,
                                                           const char       *tile);
gboolean            fr_kiosk_context_seal                 (FrKioskContext   *self,
                                                           const FrSecret   *partial,
                                                           const FrSecret   *voice,
                                                           char             *out_receipt,
                                                           GError          **error);
void                fr_kiosk_context_set_delivery_enabled (FrKioskContext   *self,
                                                           gboolean          enabled);
void                fr_kiosk_context_deliver_soon         (FrKioskContext   *self);
gboolean            fr_kiosk_context_is_delivering        (FrKioskContext   *self);
gboolean            fr_kiosk_context_get_delivery_enabled (FrKioskContext   *self);

/* How a delivery went (counts only). */
typedef struct
{
  gboolean attempted;   /* FALSE: the outbox or the queue settings could not be used */
  guint    delivered;   /* stored by the queue (or already there) */
  guint    retry;       /* still waiting: the queue could not be reached, or said later */
  guint    dead;        /* refused by the queue for good */
} FrKioskDelivery;

void                fr_kiosk_context_get_last_delivery    (FrKioskContext   *self,
                                                           FrKioskDelivery  *out);
gboolean            fr_kiosk_context_get_outbox_stats     (FrKioskContext   *self,
                                                           FrOutboxStats    *stats,
                                                           GError          **error);
GPtrArray          *fr_kiosk_context_check                (FrKioskContext   *self);

G_END_DECLS
