/* fr-inbox.h — the staff inbox directory, shared by fristad-staff and fristad-inbox
 *
 * An inbox is a directory (0700) holding, per fetched record:
 *   ID.frs    the envelope exactly as the queue sent it (encrypted; mode 0600)
 *   ID.info   GKeyFile [envelope] id, received_at (Unix s), kiosk (queue name or "-"), size
 * and refused.tsv, the envelopes fetch refused and remembers, one line each:
 *   "ID\tREFUSED_AT\tKIOSK\tREASON\n" — a lowercase UUID, Unix seconds, 16 hex digits of
 *   kiosk key id or "-", and an error name (fr_error_code_name()). Replaced whole.
 *
 * fr_inbox_fetch() keeps an envelope only if it is the record the queue named, signed by a
 * kiosk in the roster, and opens with the staff key; anything else is refused, reported
 * through the callback and remembered (a refusal for "unknown-kiosk" no longer holds once
 * that kiosk is in the roster). The queue's error text is never passed on as it came: only
 * the names intake/QUEUE.md documents, anything else marked as undocumented.
 */
#pragma once

#include <gio/gio.h>

#include "fr-envelope.h"
#include "fr-keys.h"
#include "fr-roster.h"

G_BEGIN_DECLS

#define FR_INBOX_REFUSED_FILE   "refused.tsv"
#define FR_INBOX_ENVELOPE_EXT   ".frs"
#define FR_INBOX_PAGE_SIZE      100

typedef struct
{
  char   id[FR_UUID_STRING_LEN + 1];
  gint64 refused_at;
  char   kiosk[FR_KID_HEX_LEN + 1];
  char   reason[33];
} FrInboxRefusal;

/* Files */
GBytes         *fr_inbox_read_envelope   (const char      *path,
                                          GError         **error);
gboolean        fr_inbox_write_private   (const char      *dir,
                                          const char      *name,
                                          const guint8    *data,
                                          gsize            len,
                                          gboolean         replace,
                                          GError         **error);
gint64          fr_inbox_received_at     (const char      *inbox,
                                          const char      *id);

/* refused.tsv: no file is no refusals; a malformed one is refused, naming the line. */
GArray         *fr_inbox_refused_load    (const char      *inbox,
                                          GError         **error);
gboolean        fr_inbox_refused_save    (const char      *inbox,
                                          GArray          *refused,
                                          GError         **error);
FrInboxRefusal *fr_inbox_refused_find    (GArray          *refused,
                                          const char      *id);

/* The staff key and its roster (KEYFILE.kiosks), unlocked with @passphrase. */
FrStaffKey     *fr_inbox_unlock          (const char      *key_path,
                                          const FrSecret  *passphrase,
                                          FrRoster       **roster,
                                          GError         **error);

/* Talking to the queue (reader-signed requests). */
typedef struct _FrInboxClient FrInboxClient;

FrInboxClient  *fr_inbox_client_new      (const char      *server,
                                          const char      *ca_file,
                                          const FrStaffKey *key,
                                          const FrRoster  *roster,
                                          GError         **error);
void            fr_inbox_client_free     (FrInboxClient   *client);

typedef struct
{
  guint fetched;          /* new envelopes kept */
  guint present;          /* already in the inbox */
  guint refused;          /* refused in this fetch */
  guint refused_before;   /* refused by an earlier fetch, not downloaded again */
  guint listed;           /* items the queue listed so far */
} FrInboxFetchCounts;

/* Called for each envelope refused in this fetch; @code is its FR_ERROR code (or 0). */
typedef void (*FrInboxRefusedFunc) (const char   *id,
                                    const GError *reason,
                                    gpointer      user_data);
/* Called after every listed item with the counts so far. */
typedef void (*FrInboxProgressFunc) (const FrInboxFetchCounts *counts,
                                     gpointer                  user_data);

gboolean        fr_inbox_fetch           (FrInboxClient        *client,
                                          const char           *inbox,
                                          FrInboxRefusedFunc    refused_func,
                                          FrInboxProgressFunc   progress_func,
                                          gpointer              user_data,
                                          GCancellable         *cancellable,
                                          FrInboxFetchCounts   *counts,
                                          GError              **error);
gboolean        fr_inbox_ack             (FrInboxClient   *client,
                                          const char      *id,
                                          GError         **error);

/* Opens ID.frs in @inbox: signed by a kiosk in @roster, addressed to @key. */
FrOpenedEnvelope *fr_inbox_open          (const char      *inbox,
                                          const char      *id,
                                          const FrStaffKey *key,
                                          const FrRoster  *roster,
                                          GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrInboxClient, fr_inbox_client_free)

G_END_DECLS
