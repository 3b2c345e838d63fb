/* fr-kiosk-i18n.h — gettext for the kiosk's interface strings, switched per session
 *
 * The interface strings (buttons, screen titles) come from gettext (i18n/po); topics,
 * the form and consent come from FrContent. A session's language is set with LANGUAGE,
 * which gettext honours in any locale but C/POSIX — so the kiosk runs in C.UTF-8 (always
 * present) when the system locale is C, and never needs generated system locales.
 */
#pragma once

#include <glib.h>
#include <glib/gi18n.h>

G_BEGIN_DECLS

void   fr_kiosk_i18n_init           (void);
void   fr_kiosk_i18n_set_language   (const char *lang,
                                     gboolean    rtl);
void   fr_kiosk_i18n_set_messages   (const char *lang);
void   fr_kiosk_i18n_reset          (void);
char  *fr_kiosk_i18n_translate_for  (const char *lang,
                                     const char *msgid);

G_END_DECLS
