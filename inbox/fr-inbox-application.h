/* fr-inbox-application.h — fristad-inbox: the staff inbox desktop app */
#pragma once

#include <adwaita.h>

#include "fr-inbox-session.h"

G_BEGIN_DECLS

#define FR_TYPE_INBOX_APPLICATION (fr_inbox_application_get_type ())

G_DECLARE_FINAL_TYPE (FrInboxApplication, fr_inbox_application, FR, INBOX_APPLICATION, AdwApplication)

FrInboxApplication *fr_inbox_application_new         (void);
FrInboxSession     *fr_inbox_application_get_session (FrInboxApplication *self);
/* Registers the resources and types; for tests that build windows themselves. */
void                fr_inbox_ui_init                 (void);

G_END_DECLS
