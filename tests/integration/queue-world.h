/* queue-world.h — the whole chain through the real tools, for tests that start from
 * nothing as a city does: a staff key made by `fristad-staff keygen`, a queue with that
 * reader enrolled, kiosks (fristad-kiosk configs) enrolled in it and, if asked, in the
 * staff roster, records submitted by `fristad-kiosk --submit`. */
#pragma once

#include "queue-fixture.h"

G_BEGIN_DECLS

typedef struct
{
  char         *dir;          /* everything lives under it */
  char         *key;          /* the staff key and its passphrase file */
  char         *pass;
  char         *inbox;        /* where fetch writes */
  char         *db;
  char         *recipient;    /* the key's recipient and reader public keys */
  char         *reader;
  QueueProcess *queue;
} QueueWorld;

void  queue_world_init      (QueueWorld *world,
                             const char *dir,
                             const char *passphrase);
/* A kiosk named @name (languages sv, en, th) enrolled in the queue and, if @in_roster, in
 * the staff roster; returns its kiosk.conf. */
char *queue_world_add_kiosk (QueueWorld *world,
                             const char *name,
                             gboolean    in_roster);
/* Submits @json from the kiosk @config, with @voice (an Ogg Opus file, or NULL) attached
 * as the voice message; returns "ID RECEIPT". */
char *queue_world_submit    (QueueWorld *world,
                             const char *config,
                             const char *json,
                             const char *voice);
/* Submits with @voice (NULL: none) in memory, written to a file only for the kiosk's
 * command line and removed; returns "ID RECEIPT". */
char *queue_world_submit_bytes (QueueWorld *world,
                                const char *config,
                                const char *json,
                                GBytes     *voice);
void  queue_world_fetch     (QueueWorld *world);
/* Stops the queue and removes @dir with everything in it. */
void  queue_world_clear     (QueueWorld *world);

G_END_DECLS
