/* fr-kiosk-wizard.h — the self-referral: one question a screen, consent, review, send
 *
 * Built per session and destroyed after sending, declining or leaving. Progress ("3 of
 * 9" and a bar), Back, Skip (optional questions) and Next are always in the same place.
 * After consent and review, "Send" seals the record (fr_kiosk_context_seal) and emits
 * ::sent with the receipt code only.
 */
#pragma once

#include <gtk/gtk.h>

#include "fr-kiosk-context.h"
#include "fr-kiosk-session.h"

G_BEGIN_DECLS

#define FR_TYPE_KIOSK_WIZARD (fr_kiosk_wizard_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskWizard, fr_kiosk_wizard, FR, KIOSK_WIZARD, GtkWidget)

GtkWidget  *fr_kiosk_wizard_new               (FrKioskContext *context,
                                               FrKioskSession *session);
const char *fr_kiosk_wizard_get_step_name     (FrKioskWizard  *self);
GtkWidget  *fr_kiosk_wizard_get_current_page  (FrKioskWizard  *self);
GPtrArray  *fr_kiosk_wizard_get_pages         (FrKioskWizard  *self);
const FrQuestion *fr_kiosk_wizard_get_question (FrKioskWizard *self,
                                               const char     *id);
GtkWidget  *fr_kiosk_wizard_get_keyboard      (FrKioskWizard  *self);
gboolean    fr_kiosk_wizard_has_progress      (FrKioskWizard  *self);
void        fr_kiosk_wizard_ask_leave         (FrKioskWizard  *self);
gboolean    fr_kiosk_wizard_is_asking_leave   (FrKioskWizard  *self);
guint       fr_kiosk_wizard_get_n_steps       (FrKioskWizard  *self);
void        fr_kiosk_wizard_show_step_at      (FrKioskWizard  *self,
                                               guint           index);
void        fr_kiosk_wizard_wipe              (FrKioskWizard  *self);
GtkWidget  *fr_kiosk_wizard_get_voice         (FrKioskWizard  *self);
FrKioskSession *fr_kiosk_wizard_get_session   (FrKioskWizard  *self);
gboolean    fr_kiosk_wizard_is_busy           (FrKioskWizard  *self);

G_END_DECLS
