/* fr-queue.h — the fristad-queue daemon: envelope store and HTTP API v1
 *
 * FrQueueStore is the SQLite database (WAL, synchronous=FULL, secure_delete, schema
 * versioned with PRAGMA user_version): enrolled principals (kiosks, and readers each
 * bound to one recipient key id), stored envelopes (with their sending kiosk, hash and
 * recipient key ids) and tombstones of acknowledged ids. FrQueueServer serves DESIGN.md
 * "Queue HTTP API v1" over a libsoup 3 SoupServer. Operator documentation: intake/QUEUE.md.
 */
#pragma once

#include <glib.h>
#include <gio/gio.h>

#include "fr-keys.h"
#include "fr-record.h"

G_BEGIN_DECLS

#define FR_QUEUE_SCHEMA_VERSION     2       /* 1 is migrated when opened */
#define FR_QUEUE_NAME_MAX           64
#define FR_QUEUE_LIST_DEFAULT_LIMIT 100
#define FR_QUEUE_LIST_MAX_LIMIT     1000
#define FR_QUEUE_DEFAULT_RATE       60      /* envelopes per minute per kiosk, burst the same */
#define FR_QUEUE_DEFAULT_QUOTA_MB   1024    /* MiB one kiosk may have stored (serve --quota-mb) */
#define FR_QUEUE_SMALL_BODY_MAX     4096    /* largest body accepted on any other request */
#define FR_QUEUE_SHUTDOWN_GRACE_MS  10000   /* longest wait for in-flight requests on SIGTERM */
#define FR_QUEUE_LISTEN_BACKLOG     4096    /* pending connections the kernel may queue (Linux caps it at net.core.somaxconn, 4096 by default) */

/* Connection limits (serve options; QUEUE.md "Connection limits"). */
#define FR_QUEUE_DEFAULT_MAX_CONNECTIONS  512   /* open at once, lowered to fit RLIMIT_NOFILE */
#define FR_QUEUE_DEFAULT_MAX_PER_ADDRESS  64    /* from one IPv4 address or IPv6 /64 */
#define FR_QUEUE_DEFAULT_HEADER_TIMEOUT   10    /* s from accept to the end of the request head */
#define FR_QUEUE_DEFAULT_BODY_TIMEOUT     10    /* s: longest pause while a body arrives */
#define FR_QUEUE_DEFAULT_MIN_BODY_RATE    4096  /* bytes/s a body must average (after the pause allowance) */
#define FR_QUEUE_DEFAULT_IDLE_TIMEOUT     30    /* s: longest pause while an answer is sent */
#define FR_QUEUE_DEFAULT_BODY_MEMORY_MB   128   /* MiB of request bodies held at once */
#define FR_QUEUE_BUSY_RETRY_AFTER         5     /* s, with 503 busy (body memory full) */
#define FR_QUEUE_NOFILE_RESERVE           64    /* descriptors kept for the database, logs, TLS */

typedef struct
{
  guint   max_connections;      /* total open connections */
  guint   max_per_address;      /* open connections from one address */
  guint   header_timeout_s;     /* accept (TLS handshake included) → request head complete */
  guint   body_timeout_s;       /* longest pause between two pieces of a body */
  guint   min_body_rate;        /* bytes/s: the body is due by head + body_timeout + length / rate */
  guint   idle_timeout_s;       /* longest pause while the answer is written */
  guint64 body_memory;          /* bytes of declared request bodies held at once */
} FrQueueLimits;

typedef struct _FrQueueStore  FrQueueStore;
typedef struct _FrQueueServer FrQueueServer;

typedef struct
{
  char      name[FR_QUEUE_NAME_MAX + 1];
  FrKeyKind kind;                          /* FR_KEY_KIND_KIOSK or FR_KEY_KIND_READER */
  guint8    kid[FR_KID_SIZE];
  guint8    pk[FR_KEY_SIZE];
  gint64    enrolled_at;                   /* Unix seconds */
  gint64    revoked_at;                    /* Unix seconds, 0 if not revoked */
  gboolean  bound;                         /* a reader with a recipient key id */
  guint8    recipient_kid[FR_KID_SIZE];    /* the one recipient a reader serves, if bound */
} FrQueuePrincipal;

typedef struct
{
  gint64  seq;
  char    id[FR_UUID_STRING_LEN + 1];
  char    kiosk[FR_QUEUE_NAME_MAX + 1];
  gint64  received_at;
  gint64  size;
} FrQueueItem;

typedef enum
{
  FR_QUEUE_PUT_FAILED = -1,                /* only while a batch is being written */
  FR_QUEUE_PUT_STORED,
  FR_QUEUE_PUT_DUPLICATE,                  /* same kiosk, same bytes stored or acknowledged before */
  FR_QUEUE_PUT_CONFLICT,                   /* the id was taken by other bytes or another kiosk */
  FR_QUEUE_PUT_QUOTA,                      /* the kiosk's storage quota is full */
} FrQueuePutResult;

gboolean          fr_queue_name_is_valid        (const char         *name);

/* Store */
FrQueueStore     *fr_queue_store_open           (const char         *path,
                                                 GError            **error);
void              fr_queue_store_close          (FrQueueStore       *store);
void              fr_queue_store_set_quota      (FrQueueStore       *store,
                                                 guint64             bytes);
gboolean          fr_queue_store_enroll         (FrQueueStore       *store,
                                                 const char         *name,
                                                 FrKeyKind           kind,
                                                 const guint8        pk[FR_KEY_SIZE],
                                                 const guint8       *recipient_kid,
                                                 gint64              now,
                                                 GError            **error);
gboolean          fr_queue_store_revoke         (FrQueueStore       *store,
                                                 const char         *name,
                                                 gint64              now,
                                                 GError            **error);
GArray           *fr_queue_store_list_principals (FrQueueStore      *store,
                                                 GError            **error);
gboolean          fr_queue_store_find_principal (FrQueueStore       *store,
                                                 FrKeyKind           kind,
                                                 const guint8        kid[FR_KID_SIZE],
                                                 FrQueuePrincipal   *out,
                                                 GError            **error);
gboolean          fr_queue_store_put            (FrQueueStore       *store,
                                                 const char         *id,
                                                 const char         *kiosk,
                                                 gint64              now,
                                                 const guint8       *data,
                                                 gsize               len,
                                                 FrQueuePutResult   *result,
                                                 gint64             *seq,
                                                 GError            **error);
/* One envelope of a group commit: every put of a batch lands in one transaction. */
typedef struct
{
  const char       *id;
  const char       *kiosk;
  const guint8     *data;
  gsize             len;
  FrQueuePutResult  result;                /* out */
  gint64            seq;                   /* out, for FR_QUEUE_PUT_STORED */
} FrQueuePut;

gboolean          fr_queue_store_put_batch      (FrQueueStore       *store,
                                                 FrQueuePut         *puts,
                                                 guint               n_puts,
                                                 gint64              now,
                                                 GError            **error);
GArray           *fr_queue_store_list           (FrQueueStore       *store,
                                                 const guint8       *recipient_kid,
                                                 gint64              after,
                                                 guint               limit,
                                                 GError            **error);
GBytes           *fr_queue_store_get            (FrQueueStore       *store,
                                                 const guint8       *recipient_kid,
                                                 const char         *id,
                                                 GError            **error);
gboolean          fr_queue_store_ack            (FrQueueStore       *store,
                                                 const guint8       *recipient_kid,
                                                 const char         *id,
                                                 gint64              now,
                                                 gboolean           *already_acked,
                                                 GError            **error);

/* An online copy of the database to @dest (SQLite's backup API; see QUEUE.md "Backup"). */
gboolean          fr_queue_store_backup         (FrQueueStore       *store,
                                                 const char         *dest,
                                                 GError            **error);

/* Server */
FrQueueServer    *fr_queue_server_new           (FrQueueStore       *store,
                                                 guint               rate_per_minute,
                                                 GTlsCertificate    *certificate,
                                                 GError            **error);
void              fr_queue_server_free          (FrQueueServer      *server);
void              fr_queue_limits_init          (FrQueueLimits      *limits);
void              fr_queue_server_set_limits    (FrQueueServer      *server,
                                                 const FrQueueLimits *limits);
gboolean          fr_queue_server_listen        (FrQueueServer      *server,
                                                 GSocketAddress     *address,
                                                 GError            **error);
gboolean          fr_queue_server_listen_socket (FrQueueServer      *server,
                                                 GSocket            *socket,
                                                 GError            **error);
GSocketAddress   *fr_queue_server_get_address   (FrQueueServer      *server);
void              fr_queue_server_shutdown      (FrQueueServer      *server,
                                                 GSourceFunc         done,
                                                 gpointer            user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrQueueStore, fr_queue_store_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrQueueServer, fr_queue_server_free)

G_END_DECLS
