/* fr-inbox-unlock.h — the locked screen: the key file (chosen once) and its passphrase */
#pragma once

#include <adwaita.h>

#include "fr-inbox-session.h"

G_BEGIN_DECLS

#define FR_TYPE_INBOX_UNLOCK (fr_inbox_unlock_get_type ())

G_DECLARE_FINAL_TYPE (FrInboxUnlock, fr_inbox_unlock, FR, INBOX_UNLOCK, GtkWidget)

void        fr_inbox_unlock_set_session  (FrInboxUnlock *self,
                                          FrInboxSession *session);
/* What the file chooser does with the file picked; public for tests. */
gboolean    fr_inbox_unlock_use_key_file (FrInboxUnlock *self,
                                          const char    *path);
void        fr_inbox_unlock_reset        (FrInboxUnlock *self);
gboolean    fr_inbox_unlock_is_busy      (FrInboxUnlock *self);
const char *fr_inbox_unlock_get_error    (FrInboxUnlock *self);

G_END_DECLS
