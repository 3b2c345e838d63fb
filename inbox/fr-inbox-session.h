/* fr-inbox-session.h — the unlocked staff key, its roster and where things are
 *
 * Settings come from $XDG_CONFIG_HOME/fristad/inbox.conf (GKeyFile, group [inbox]):
 *   key=PATH          the staff secret key file (chosen once in the app, then remembered)
 *   inbox=DIR         the inbox directory (default $XDG_DATA_HOME/fristad/inbox), the same
 *                     one `fristad-staff fetch --inbox DIR` uses
 *   server=URL        the queue; ca=FILE its pinned CA certificate
 *   idle-minutes=N    lock after N minutes without input (default 10, 1..1440)
 * The secret key and roster exist only between unlock and lock; the key is in guarded
 * memory (sodium_malloc) and wiped on lock.
 */
#pragma once

#include <gio/gio.h>

#include "fr-inbox.h"
#include "fr-intake.h"

G_BEGIN_DECLS

#define FR_TYPE_INBOX_SESSION (fr_inbox_session_get_type ())

G_DECLARE_FINAL_TYPE (FrInboxSession, fr_inbox_session, FR, INBOX_SESSION, GObject)

FrInboxSession   *fr_inbox_session_new              (void);
const char       *fr_inbox_session_get_key_path     (FrInboxSession       *self);
gboolean          fr_inbox_session_set_key_path     (FrInboxSession       *self,
                                                     const char           *path,
                                                     GError              **error);
const char       *fr_inbox_session_get_inbox_dir    (FrInboxSession       *self);
const char       *fr_inbox_session_get_server       (FrInboxSession       *self);
const char       *fr_inbox_session_get_ca           (FrInboxSession       *self);
guint             fr_inbox_session_get_idle_minutes (FrInboxSession       *self);

gboolean          fr_inbox_session_get_locked       (FrInboxSession       *self);
const FrStaffKey *fr_inbox_session_get_key          (FrInboxSession       *self);
const FrRoster   *fr_inbox_session_get_roster       (FrInboxSession       *self);

/* Argon2id takes a while: the unlock runs in a worker thread. Takes @passphrase. */
void              fr_inbox_session_unlock_async     (FrInboxSession       *self,
                                                     FrSecret             *passphrase,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          fr_inbox_session_unlock_finish    (FrInboxSession       *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void              fr_inbox_session_lock             (FrInboxSession       *self);

G_END_DECLS
