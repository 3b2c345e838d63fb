/* fr-inbox-i18n.h — the inbox's own gettext domain, "fristad-inbox"
 *
 * The staff app is translated apart from the kiosk (inbox/po: English source, Swedish,
 * others when their po files are added), so its strings never count against the kiosk's
 * twelve languages. Every inbox .c includes this after config.h instead of <glib/gi18n.h>:
 * _(), C_() and g_dngettext (GETTEXT_PACKAGE, …) then look in "fristad-inbox", and the
 * widget templates name it too (<interface domain="fristad-inbox">).
 */
#pragma once

#define FR_INBOX_GETTEXT_DOMAIN "fristad-inbox"

#undef GETTEXT_PACKAGE
#define GETTEXT_PACKAGE FR_INBOX_GETTEXT_DOMAIN
#include <glib/gi18n-lib.h>
