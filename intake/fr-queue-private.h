/* fr-queue-private.h — internals shared by the fristad-queue server files
 *
 * fr-queue-store.c   the SQLite store (FrQueueStore, public API in fr-queue.h)
 * fr-queue-server.c  the HTTP API v1 on a libsoup 3 SoupServer (FrQueueServer)
 * fr-queue-refusal.c the early refusal: an answer written on a connection taken from
 *                    libsoup before the request body is read
 */
#pragma once

#include <libsoup/soup.h>

#include "fr-queue.h"

G_BEGIN_DECLS

/* Answers {"error":"NAME"} through libsoup; @name is always one of our fixed names. */
void _fr_queue_respond_error (SoupServerMessage *msg,
                              guint              status,
                              const char        *name);

/* Takes the connection from libsoup, writes the answer and closes it after a bounded
 * drain (at most 1 MiB or 2 s) of what the client is still sending. */
void _fr_queue_refuse_early  (SoupServerMessage *msg,
                              guint              status,
                              const char        *name);

G_END_DECLS
