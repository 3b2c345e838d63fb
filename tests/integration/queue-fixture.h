/* queue-fixture.h — helpers shared by the fristad-queue integration tests and benchmark:
 * a real fristad-queue process on 127.0.0.1, enrollment through its CLI, sealed test
 * envelopes and a small synchronous HTTP client. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "fr-intake.h"

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *process;
  char        *db;
  char        *base_url;   /* http(s)://127.0.0.1:PORT */
  guint16      port;
  GPid         pid;
} QueueProcess;

typedef struct
{
  guint               status;       /* 0 on a transport error */
  GBytes             *body;
  SoupMessageHeaders *headers;
  char               *error;        /* transport error text, or NULL */
} QueueReply;

const char   *queue_binary              (void);
char         *queue_tmpdir              (void);
void          queue_rmtree              (const char *path);

int           queue_cli                 (char       **out_stdout,
                                         char       **out_stderr,
                                         const char  *first_arg,
                                         ...) G_GNUC_NULL_TERMINATED;

QueueProcess *queue_start               (const char  *db,
                                         const char  *scheme,
                                         const char * const *extra_args);
QueueProcess *queue_start_env           (const char  *db,
                                         const char  *scheme,
                                         const char * const *extra_args,
                                         const char * const *env);   /* NAME, VALUE, …, NULL */
GSubprocessLauncher *queue_launcher_new   (void);   /* stdout piped; child dies with the test */
/* `fristad-queue serve --db DB --listen 127.0.0.1:0 EXTRA_ARGS…` from @launcher (stdout piped). */
QueueProcess *queue_start_with_launcher (GSubprocessLauncher *launcher,
                                         const char          *db,
                                         const char          *scheme,
                                         const char * const  *extra_args);
QueueProcess *queue_start_from_launcher (GSubprocessLauncher *launcher,
                                         const char * const  *argv,
                                         const char          *db);
int           queue_stop                (QueueProcess *server);   /* SIGTERM; returns the exit status */
void          queue_kill                (QueueProcess *server);   /* SIGKILL */
void          queue_process_free        (QueueProcess *server);

void          queue_enroll_kiosk        (const char       *db,
                                         const char       *name,
                                         const FrKioskKey *kiosk);
void          queue_enroll_reader       (const char       *db,
                                         const char       *name,
                                         const FrStaffKey *staff);

FrRecord     *queue_make_record         (void);
GBytes       *queue_seal                (const FrRecord   *record,
                                         const FrKioskKey *kiosk,
                                         const FrStaffKey *const *staff,
                                         guint             n_staff);
GBytes       *queue_make_envelope       (const FrKioskKey *kiosk,
                                         const FrStaffKey *staff,
                                         gsize             attachment_size,
                                         char              id_out[FR_UUID_STRING_LEN + 1]);

SoupSession  *queue_session_new         (GTlsDatabase     *ca);
QueueReply   *queue_request             (SoupSession      *session,
                                         const char       *method,
                                         const char       *base_url,
                                         const char       *path_with_query,
                                         GBytes           *body,
                                         const char       *authorization);
QueueReply   *queue_request_as_reader   (SoupSession      *session,
                                         const char       *method,
                                         const char       *base_url,
                                         const char       *path_with_query,
                                         const FrStaffKey *reader);
void          queue_reply_free          (QueueReply       *reply);
char         *queue_reply_json_string   (QueueReply       *reply,
                                         const char       *member);
void          queue_assert_healthy      (SoupSession      *session,
                                         QueueProcess     *server);

/* A test's queue: a fresh database in a temporary folder with kiosk-1 (@kiosk) and
 * staff-1 (@staff, also a reader) enrolled, a client session, and the server. */
typedef struct
{
  char         *dir;
  char         *db;
  FrKioskKey   *kiosk;
  FrStaffKey   *staff;
  SoupSession  *session;
  QueueProcess *server;
} QueueCtx;

QueueCtx     *queue_ctx_new_unstarted   (void);   /* @server NULL: the test starts it */
QueueCtx     *queue_ctx_new             (const char * const *extra_args);   /* http */
void          queue_ctx_free            (QueueCtx *ctx);   /* the server must exit with 0 */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QueueReply, queue_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QueueCtx, queue_ctx_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QueueProcess, queue_process_free)

G_END_DECLS
