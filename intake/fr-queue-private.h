/* fr-queue-private.h — internals shared by the fristad-queue server files
 *
 * fr-queue-store*.c  the SQLite store (FrQueueStore, public API in fr-queue.h; its own
 *                    internals in fr-queue-store-private.h)
 * fr-queue-server.c  the HTTP API v1 on a libsoup 3 SoupServer (FrQueueServer)
 * fr-queue-refusal.c the early refusal: an answer written on a connection taken from
 *                    libsoup before the request body is read
 * fr-queue-readers.c the reader requests (Authorization, list, download, ack)
 * fr-queue-connections.c  the accept loop and every open connection: caps in total and
 *                    per address, deadlines, recovery from EMFILE
 */
#pragma once

#include <libsoup/soup.h>

#include "fr-queue.h"

G_BEGIN_DECLS

/* Cache-Control, nosniff and Connection: close, on every answer. */
void _fr_queue_add_common_headers (SoupServerMessage *msg);
void _fr_queue_respond_json   (SoupServerMessage *msg,
                               guint              status,
                               const char        *json);
gboolean _fr_queue_is_lowercase_uuid (const char *s,
                                      gsize       len);

/* Reader requests (fr-queue-readers.c). TRUE if the request is from an enrolled reader,
 * filling in @reader; otherwise it has been answered. */
gboolean _fr_queue_check_reader (FrQueueStore      *store,
                                 SoupServerMessage *msg,
                                 const char        *path,
                                 const char        *query,
                                 const char        *route,
                                 FrQueuePrincipal  *reader);
void     _fr_queue_handle_list  (FrQueueStore           *store,
                                 SoupServerMessage      *msg,
                                 const FrQueuePrincipal *reader,
                                 const char             *query);
void     _fr_queue_handle_get   (FrQueueStore           *store,
                                 SoupServerMessage      *msg,
                                 const FrQueuePrincipal *reader,
                                 const char             *id);
void     _fr_queue_handle_ack   (FrQueueStore           *store,
                                 SoupServerMessage      *msg,
                                 const FrQueuePrincipal *reader,
                                 const char             *id);

/* Answers {"error":"NAME"} through libsoup; @name is always one of our fixed names. */
void _fr_queue_respond_error (SoupServerMessage *msg,
                              guint              status,
                              const char        *name);

/* Takes the connection from libsoup, writes the answer (with Retry-After unless
 * @retry_after is 0) and closes it after a bounded drain (at most 1 MiB or 2 s) of what
 * the client is still sending. */
void _fr_queue_refuse_early  (SoupServerMessage *msg,
                              guint              status,
                              const char        *name,
                              guint              retry_after);

typedef struct _FrQueueConnections FrQueueConnections;

FrQueueConnections *_fr_queue_connections_new        (SoupServer          *soup,
                                                      GTlsCertificate     *certificate,
                                                      const FrQueueLimits *limits);
void                _fr_queue_connections_free       (FrQueueConnections  *connections);
void                _fr_queue_connections_set_limits (FrQueueConnections  *connections,
                                                      const FrQueueLimits *limits);
gboolean            _fr_queue_connections_listen     (FrQueueConnections  *connections,
                                                      GSocket             *listener,
                                                      GError             **error);
GSocketAddress     *_fr_queue_connections_get_address (FrQueueConnections *connections);
void                _fr_queue_connections_stop       (FrQueueConnections  *connections);
/* Follows the message's phases (head, body, answer) for the deadlines of its connection. */
void                _fr_queue_connections_watch_message (SoupServerMessage *msg);

G_END_DECLS
