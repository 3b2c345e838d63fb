#define G_LOG_DOMAIN "fristad-queue"

#include "config.h"

#include <string.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <libsoup/soup.h>

#include "fr-error.h"
#include "fr-queue-private.h"

/* ------------------------------------------------------------------------------------ */
/* Connections: our own accept loop and a record of every open connection               */
/* ------------------------------------------------------------------------------------ */

/* libsoup 3.2's listener stops accepting for good after one failed accept() (EMFILE) and
 * its server has no timeouts, so the queue accepts connections itself and hands each to
 * SoupServer with soup_server_accept_iostream() (after the TLS handshake, done here for
 * HTTPS: a stream given to libsoup is used as it is). Each connection is tracked from
 * accept to close: its source address (caps), its phase and the time of its last
 * progress (deadlines). A connection is closed by shutting its socket down: libsoup (or
 * the handshake, or an early refusal) then sees end-of-file and releases it as it would
 * any client that went away. QUEUE.md "Connection limits". */

#define SWEEP_MS          200    /* how often deadlines are checked */
#define ACCEPT_BATCH      256    /* accepts per main-loop turn, so closes get their turn too */
#define ACCEPT_PAUSE_MS   100    /* after accept() failed for lack of descriptors or memory */
#define EMFILE_EVICT      64     /* connections without a request closed per failed accept */
#define LOG_EVERY_US      (5 * G_USEC_PER_SEC)

typedef enum
{
  PHASE_HANDSHAKE,              /* TLS handshake (ours) */
  PHASE_HEAD,                   /* waiting for the request head */
  PHASE_BODY,                   /* reading the request body */
  PHASE_HANDLING,               /* the server's own work (group commit): no deadline */
  PHASE_ANSWER,                 /* writing the answer; closed by libsoup once written */
} Phase;

typedef enum
{
  CLOSED_HEADER_TIMEOUT,
  CLOSED_BODY_TIMEOUT,
  CLOSED_IDLE_TIMEOUT,
  CLOSED_EVICTED,               /* the oldest without a request, to make room */
  CLOSED_PER_ADDRESS,           /* refused at accept: too many from that address */
  CLOSED_FULL,                  /* refused at accept: full of connections with requests */
  CLOSED_OUT_OF_DESCRIPTORS,    /* closed to free descriptors after EMFILE */
  CLOSED_SHUTDOWN,              /* the server is stopping */
  N_CLOSED
} ClosedReason;

static const char * const closed_names[N_CLOSED] = {
  "header-timeout", "body-timeout", "idle-timeout", "evicted (connection cap)",
  "refused (per-address cap)", "refused (connection cap, all busy)", "closed (out of descriptors)",
  "closed (shutting down)",
};

typedef struct _Conn Conn;

struct _Conn
{
  FrQueueConnections *owner;    /* NULL once the owner is gone (a handshake may outlive it) */
  GSocketConnection  *base;     /* weak: the record goes when libsoup lets go of it */
  GSocketConnection  *held;     /* strong, until its first bytes arrive */
  GSource            *wait_source;
  GIOStream          *tls;      /* strong, during our handshake only */
  GCancellable       *cancellable;
  GSocketAddress     *remote;   /* strong; its qdata points back here (message → conn) */
  GSocketAddress     *local;
  char               *key;      /* per-address key */
  GList               link;     /* in owner->conns, oldest first */
  Phase               phase;
  gint64              accepted_us;
  gint64              progress_us;
  gint64              body_due_us;
  gboolean            closing;  /* shut down by us, waiting for the close */
  gboolean            counted;  /* in the totals */
  gboolean            listed;   /* in owner->conns */
};

struct _FrQueueConnections
{
  SoupServer      *soup;
  GTlsCertificate *certificate;
  FrQueueLimits    limits;
  GSocket         *listener;
  GSource         *accept_source;
  guint            resume_id;
  guint            sweep_id;
  GQueue           conns;         /* Conn, oldest first */
  GHashTable      *per_address;   /* key → count (GUINT_TO_POINTER) */
  guint            n_open;
  guint            n_closing;
  guint            closed[N_CLOSED];
  guint            accept_failures;
  gint64           last_log_us;
};

static GQuark
conn_quark (void)
{
  static GQuark q;

  if (q == 0)
    q = g_quark_from_static_string ("fr-queue-conn");
  return q;
}

/* One IPv4 address, or one IPv6 /64 (what one subscriber usually gets). */
static char *
address_key (GSocketAddress *address)
{
  GInetAddress *inet;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("other");
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    {
      const guint8 *b = g_inet_address_to_bytes (inet);

      return g_strdup_printf ("%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64",
                              b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
    }
  return g_inet_address_to_string (inet);
}

static guint
address_count (FrQueueConnections *self,
               const char         *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, key));
}

static void
note_closed (FrQueueConnections *self,
             ClosedReason        reason)
{
  self->closed[reason]++;
}

/* One line per few seconds at most, however hard the server is pushed. */
static void
maybe_log (FrQueueConnections *self,
           gboolean            force)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GString) line = NULL;

  if (!force && now - self->last_log_us < LOG_EVERY_US)
    return;
  for (guint i = 0; i < N_CLOSED; i++)
    {
      if (self->closed[i] == 0)
        continue;
      if (line == NULL)
        line = g_string_new ("connections:");
      g_string_append_printf (line, " %u %s,", self->closed[i], closed_names[i]);
      self->closed[i] = 0;
    }
  if (self->accept_failures > 0)
    {
      if (line == NULL)
        line = g_string_new ("connections:");
      g_string_append_printf (line, " accept failed %u times (out of descriptors or memory), retried,",
                              self->accept_failures);
      self->accept_failures = 0;
    }
  if (line == NULL)
    return;
  g_string_append_printf (line, " %u open", self->n_open);
  self->last_log_us = now;
  g_message ("%s", line->str);
}

static void
conn_uncount (Conn *conn)
{
  FrQueueConnections *self = conn->owner;
  guint n;

  if (!conn->counted || self == NULL)
    return;
  conn->counted = FALSE;
  self->n_open--;
  if (conn->closing)
    self->n_closing--;
  n = address_count (self, conn->key);
  if (n <= 1)
    g_hash_table_remove (self->per_address, conn->key);
  else
    g_hash_table_insert (self->per_address, g_strdup (conn->key), GUINT_TO_POINTER (n - 1));
  if (conn->listed)
    {
      g_queue_unlink (&self->conns, &conn->link);
      conn->listed = FALSE;
    }
  /* No longer ours: the record only waits for the base to go. */
  conn->owner = NULL;
}

static void
conn_free (Conn *conn)
{
  conn_uncount (conn);
  if (conn->wait_source != NULL)
    {
      g_source_destroy (conn->wait_source);
      g_clear_pointer (&conn->wait_source, g_source_unref);
    }
  g_clear_object (&conn->held);
  if (conn->remote != NULL)
    g_object_set_qdata (G_OBJECT (conn->remote), conn_quark (), NULL);
  g_clear_object (&conn->remote);
  g_clear_object (&conn->local);
  g_clear_object (&conn->cancellable);
  g_free (conn->key);
  g_free (conn);
}

/* The base connection is finalized: libsoup (or the refusal, or the handshake) let go. */
static void
conn_base_gone (gpointer  data,
                GObject  *where_the_object_was)
{
  Conn *conn = data;

  conn->base = NULL;
  conn_free (conn);
}

static void
conn_close (Conn         *conn,
            ClosedReason  reason)
{
  FrQueueConnections *self = conn->owner;

  if (conn->closing || conn->base == NULL)
    return;
  conn->closing = TRUE;
  if (conn->counted && self != NULL)
    self->n_closing++;
  if (self != NULL)
    note_closed (self, reason);
  g_cancellable_cancel (conn->cancellable);
  if (conn->held != NULL)
    {
      /* Still only ours (nothing arrived yet): closed at once, and the record with it. */
      g_autoptr(GSocketConnection) held = g_steal_pointer (&conn->held);

      g_source_destroy (conn->wait_source);
      g_clear_pointer (&conn->wait_source, g_source_unref);
      g_socket_close (g_socket_connection_get_socket (held), NULL);
      return;   /* @conn is freed when @held goes */
    }
  /* Not closed here: whoever reads it next sees end-of-file and closes it the usual way. */
  g_socket_shutdown (g_socket_connection_get_socket (conn->base), TRUE, TRUE, NULL);
}

static void
hand_to_soup (Conn      *conn,
              GIOStream *stream)
{
  g_autoptr(GError) error = NULL;

  conn->phase = PHASE_HEAD;
  if (!soup_server_accept_iostream (conn->owner->soup, stream, conn->local, conn->remote, &error))
    {
      g_message ("connection not accepted: %s", error->message);
      g_io_stream_close (stream, NULL, NULL);
    }
}

static void
handshake_done (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  Conn *conn = data;
  GIOStream *tls = conn->tls;   /* still ours: the record cannot go before it is released */
  gboolean ok = g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, NULL);
  gboolean orphan = conn->owner == NULL;

  if (ok && !orphan && !conn->closing)
    hand_to_soup (conn, tls);
  else
    g_io_stream_close (tls, NULL, NULL);
  if (orphan && conn->base != NULL)
    {
      g_object_weak_unref (G_OBJECT (conn->base), conn_base_gone, conn);
      conn->base = NULL;
    }
  conn->tls = NULL;
  /* May finalize the base, and with it the record (conn_base_gone): @conn not used after. */
  g_object_unref (tls);
  if (orphan)
    conn_free (conn);
}

/* The connection to close to make room: the oldest that has sent nothing at all (its
 * socket not even readable), else the oldest still in its handshake or request head. */
static Conn *
oldest_without_request (FrQueueConnections *self)
{
  for (GList *l = self->conns.head; l != NULL; l = l->next)
    {
      Conn *conn = l->data;

      if (!conn->closing && conn->held != NULL
          && g_socket_condition_check (g_socket_connection_get_socket (conn->held), G_IO_IN) == 0)
        return conn;
    }
  for (GList *l = self->conns.head; l != NULL; l = l->next)
    {
      Conn *conn = l->data;

      if (!conn->closing && (conn->phase == PHASE_HEAD || conn->phase == PHASE_HANDSHAKE))
        return conn;
    }
  return NULL;
}

static gboolean first_bytes (GSocket *socket, GIOCondition condition, gpointer data);

static void
admit (FrQueueConnections *self,
       GSocket            *client)
{
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (client, NULL);
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (client, NULL);
  g_autoptr(GSocketConnection) base = NULL;
  g_autofree char *key = NULL;
  Conn *conn;

  if (remote == NULL || local == NULL)
    {
      g_socket_close (client, NULL);
      return;
    }
  key = address_key (remote);
  if (address_count (self, key) >= self->limits.max_per_address)
    {
      note_closed (self, CLOSED_PER_ADDRESS);
      g_socket_close (client, NULL);
      return;
    }
  if (self->n_open - self->n_closing >= self->limits.max_connections)
    {
      Conn *victim = oldest_without_request (self);

      if (victim == NULL)
        {
          note_closed (self, CLOSED_FULL);
          g_socket_close (client, NULL);
          return;
        }
      conn_close (victim, CLOSED_EVICTED);
    }

  g_socket_set_option (client, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  base = g_socket_connection_factory_create_connection (client);

  conn = g_new0 (Conn, 1);
  conn->owner = self;
  conn->base = base;
  conn->cancellable = g_cancellable_new ();
  conn->remote = g_object_ref (remote);
  conn->local = g_object_ref (local);
  conn->key = g_steal_pointer (&key);
  conn->link.data = conn;
  conn->accepted_us = conn->progress_us = g_get_monotonic_time ();
  conn->counted = conn->listed = TRUE;
  g_queue_push_tail_link (&self->conns, &conn->link);
  self->n_open++;
  g_hash_table_insert (self->per_address, g_strdup (conn->key),
                       GUINT_TO_POINTER (address_count (self, conn->key) + 1));
  g_object_set_qdata (G_OBJECT (remote), conn_quark (), conn);
  g_object_weak_ref (G_OBJECT (base), conn_base_gone, conn);

  /* Nothing is set up for it (no TLS, no libsoup) until it sends something: a connection
   * that never does costs a descriptor and this record, and closing it is immediate. */
  conn->phase = PHASE_HEAD;
  conn->held = g_steal_pointer (&base);
  conn->wait_source = g_socket_create_source (client, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (conn->wait_source, G_SOURCE_FUNC (first_bytes), conn, NULL);
  g_source_attach (conn->wait_source, NULL);
}

static gboolean
first_bytes (GSocket      *socket,
             GIOCondition  condition,
             gpointer      data)
{
  Conn *conn = data;
  FrQueueConnections *self = conn->owner;
  g_autoptr(GSocketConnection) base = g_steal_pointer (&conn->held);

  g_clear_pointer (&conn->wait_source, g_source_unref);
  if (self->certificate != NULL)
    {
      static const char * const protocols[] = { "http/1.1", "http/1.0", NULL };
      g_autoptr(GError) error = NULL;

      conn->phase = PHASE_HANDSHAKE;
      conn->tls = g_tls_server_connection_new (G_IO_STREAM (base), self->certificate, &error);
      if (conn->tls == NULL)
        {
          g_message ("TLS connection: %s", error->message);
          g_io_stream_close (G_IO_STREAM (base), NULL, NULL);
          return G_SOURCE_REMOVE;   /* the record goes with @base, below */
        }
      g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (conn->tls), FALSE);
      g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (conn->tls), protocols);
      g_tls_connection_handshake_async (G_TLS_CONNECTION (conn->tls), G_PRIORITY_DEFAULT,
                                        conn->cancellable, handshake_done, conn);
      return G_SOURCE_REMOVE;
    }
  hand_to_soup (conn, G_IO_STREAM (base));
  return G_SOURCE_REMOVE;   /* @base unreferenced: libsoup holds it now */
}

static void accept_watch (FrQueueConnections *self);

static gboolean
accept_resume (gpointer data)
{
  FrQueueConnections *self = data;

  self->resume_id = 0;
  accept_watch (self);
  return G_SOURCE_REMOVE;
}

/* accept() failed for lack of descriptors (or memory): close the oldest connections that
 * have not sent a request, and try again shortly. Never give up. */
static void
accept_pause (FrQueueConnections *self)
{
  self->accept_failures++;
  for (guint i = 0; i < EMFILE_EVICT; i++)
    {
      Conn *victim = oldest_without_request (self);

      if (victim == NULL)
        break;
      conn_close (victim, CLOSED_OUT_OF_DESCRIPTORS);
    }
  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->resume_id == 0)
    self->resume_id = g_timeout_add (ACCEPT_PAUSE_MS, accept_resume, self);
  maybe_log (self, FALSE);
}

static gboolean
accept_ready (GSocket      *listener,
              GIOCondition  condition,
              gpointer      data)
{
  FrQueueConnections *self = data;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = g_socket_accept (listener, NULL, &error);

      if (client != NULL)
        {
          admit (self, client);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      /* The client gave up before we got to it: nothing to do. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        continue;
      /* EMFILE, ENFILE, ENOBUFS, ENOMEM and anything unexpected. */
      accept_pause (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
accept_watch (FrQueueConnections *self)
{
  if (self->listener == NULL || self->accept_source != NULL)
    return;
  self->accept_source = g_socket_create_source (self->listener, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (accept_ready), self, NULL);
  g_source_attach (self->accept_source, NULL);
}

static gboolean
sweep (gpointer data)
{
  FrQueueConnections *self = data;
  gint64 now = g_get_monotonic_time ();
  gint64 header_us = (gint64) self->limits.header_timeout_s * G_USEC_PER_SEC;
  gint64 body_us = (gint64) self->limits.body_timeout_s * G_USEC_PER_SEC;
  gint64 idle_us = (gint64) self->limits.idle_timeout_s * G_USEC_PER_SEC;
  GList *l = self->conns.head;

  while (l != NULL)
    {
      Conn *conn = l->data;

      l = l->next;
      /* Closed but still referenced (a message not yet released): no longer open. */
      if (conn->base == NULL || (conn->tls == NULL && g_io_stream_is_closed (G_IO_STREAM (conn->base))))
        {
          conn_uncount (conn);
          continue;
        }
      if (conn->closing)
        continue;
      switch (conn->phase)
        {
        case PHASE_HANDSHAKE:
        case PHASE_HEAD:
          if (now - conn->accepted_us > header_us)
            conn_close (conn, CLOSED_HEADER_TIMEOUT);
          break;
        case PHASE_BODY:
          if (now - conn->progress_us > body_us || now > conn->body_due_us)
            conn_close (conn, CLOSED_BODY_TIMEOUT);
          break;
        case PHASE_ANSWER:
          if (now - conn->progress_us > idle_us)
            conn_close (conn, CLOSED_IDLE_TIMEOUT);
          break;
        case PHASE_HANDLING:
        default:
          break;
        }
    }
  maybe_log (self, FALSE);
  return G_SOURCE_CONTINUE;
}

/* Message signals: the phase and progress of the connection it arrived on. ----------- */

static Conn *
conn_of_message (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_object_get_qdata (G_OBJECT (remote), conn_quark ()) : NULL;
}

static void
msg_got_headers (SoupServerMessage *msg,
                 gpointer           unused)
{
  Conn *conn = conn_of_message (msg);
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  goffset length = 0;

  if (conn == NULL || conn->owner == NULL)
    return;
  if (soup_message_headers_get_encoding (h) == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (h);
  conn->progress_us = g_get_monotonic_time ();
  if (length <= 0)
    {
      conn->phase = PHASE_HANDLING;
      return;
    }
  conn->phase = PHASE_BODY;
  conn->body_due_us = conn->progress_us
                      + (gint64) conn->owner->limits.body_timeout_s * G_USEC_PER_SEC
                      + (gint64) ((double) length / MAX (conn->owner->limits.min_body_rate, 1) * G_USEC_PER_SEC);
}

static void
msg_progress (SoupServerMessage *msg,
              gpointer           unused)
{
  Conn *conn = conn_of_message (msg);

  if (conn != NULL)
    conn->progress_us = g_get_monotonic_time ();
}

static void
msg_got_body (SoupServerMessage *msg,
              gpointer           unused)
{
  Conn *conn = conn_of_message (msg);

  if (conn != NULL)
    conn->phase = PHASE_HANDLING;
}

static void
msg_answering (SoupServerMessage *msg,
               gpointer           unused)
{
  Conn *conn = conn_of_message (msg);

  if (conn != NULL)
    {
      conn->phase = PHASE_ANSWER;
      conn->progress_us = g_get_monotonic_time ();
    }
}

void
_fr_queue_connections_watch_message (SoupServerMessage *msg)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (msg_got_headers), NULL);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (msg_progress), NULL);
  g_signal_connect (msg, "got-body", G_CALLBACK (msg_got_body), NULL);
  g_signal_connect (msg, "wrote-informational", G_CALLBACK (msg_answering), NULL);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (msg_answering), NULL);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (msg_progress), NULL);
  g_signal_connect (msg, "finished", G_CALLBACK (msg_answering), NULL);
}

/* ------------------------------------------------------------------------------------ */

FrQueueConnections *
_fr_queue_connections_new (SoupServer          *soup,
                           GTlsCertificate     *certificate,
                           const FrQueueLimits *limits)
{
  FrQueueConnections *self = g_new0 (FrQueueConnections, 1);

  self->soup = soup;
  self->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;
  self->limits = *limits;
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->conns);
  return self;
}

void
_fr_queue_connections_set_limits (FrQueueConnections  *self,
                                  const FrQueueLimits *limits)
{
  self->limits = *limits;
}

gboolean
_fr_queue_connections_listen (FrQueueConnections  *self,
                              GSocket             *listener,
                              GError             **error)
{
  if (self->listener != NULL)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_NETWORK, "already listening");
      return FALSE;
    }
  g_socket_set_blocking (listener, FALSE);
  self->listener = g_object_ref (listener);
  accept_watch (self);
  if (self->sweep_id == 0)
    self->sweep_id = g_timeout_add (SWEEP_MS, sweep, self);
  return TRUE;
}

GSocketAddress *
_fr_queue_connections_get_address (FrQueueConnections *self)
{
  return self->listener != NULL ? g_socket_get_local_address (self->listener, NULL) : NULL;
}

/* Stops accepting and closes the connections libsoup does not know about yet (silent
 * ones, handshakes); libsoup's own are closed by soup_server_disconnect(). */
void
_fr_queue_connections_stop (FrQueueConnections *self)
{
  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->resume_id != 0)
    {
      g_source_remove (self->resume_id);
      self->resume_id = 0;
    }
  if (self->listener != NULL)
    {
      g_socket_close (self->listener, NULL);
      g_clear_object (&self->listener);
    }
  for (GList *l = self->conns.head, *next; l != NULL; l = next)
    {
      Conn *conn = l->data;

      next = l->next;
      if (conn->phase == PHASE_HANDSHAKE || conn->held != NULL)
        conn_close (conn, CLOSED_SHUTDOWN);
    }
}

void
_fr_queue_connections_free (FrQueueConnections *self)
{
  if (self == NULL)
    return;
  _fr_queue_connections_stop (self);
  if (self->sweep_id != 0)
    g_source_remove (self->sweep_id);
  maybe_log (self, TRUE);
  /* Records of connections still alive are detached: nothing of ours is touched later. */
  while (self->conns.head != NULL)
    {
      Conn *conn = self->conns.head->data;

      conn_uncount (conn);
      conn->owner = NULL;
      if (conn->tls != NULL)
        continue;   /* freed by handshake_done */
      if (conn->base != NULL)
        g_object_weak_unref (G_OBJECT (conn->base), conn_base_gone, conn);
      conn->base = NULL;
      conn_free (conn);
    }
  g_clear_pointer (&self->per_address, g_hash_table_unref);
  g_clear_object (&self->certificate);
  g_free (self);
}
