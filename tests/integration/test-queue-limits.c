/* Integration tests of fristad-queue serve's connection limits (intake/QUEUE.md
 * "Connection limits"): the real binary with RLIMIT_NOFILE 1024 (systemd's default) and
 * short deadlines, attacked over raw sockets from 127.0.0.2 and up, while a real client
 * on 127.0.0.1 uses it. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "fr-queue.h"
#include "fr-test-util.h"
#include "queue-fixture.h"

#define SERVER_NOFILE   1024
#define CLIENT_NOFILE   4096
#define BIG_BODY        (8 * 1024 * 1024)   /* FR_ENVELOPE_MAX_SIZE */

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

/* Under AddressSanitizer the server's RSS is not bounded: shadow memory and the
 * quarantine of freed blocks come on top. */

static void
server_child_setup (gpointer user_data)
{
  struct rlimit limit = { SERVER_NOFILE, SERVER_NOFILE };

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  setrlimit (RLIMIT_NOFILE, &limit);
}

/* The queue under attack: --rate 100000 (the rate limit is not under test here), and
 * systemd's default RLIMIT_NOFILE. */
static QueueCtx *
ctx_new (const char * const *extra_args)
{
  QueueCtx *ctx = queue_ctx_new_unstarted ();
  g_autoptr(GSubprocessLauncher) launcher = queue_launcher_new ();
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  soup_session_set_timeout (ctx->session, 10);
  /* In place of queue_launcher_new()'s: dies with the test too, and sets the limit. */
  g_subprocess_launcher_set_child_setup (launcher, server_child_setup, NULL, NULL);
  g_strv_builder_add_many (args, "--rate", "100000", NULL);
  if (extra_args != NULL)
    g_strv_builder_addv (args, (const char **) extra_args);
  argv = g_strv_builder_end (args);
  ctx->server = queue_start_with_launcher (launcher, ctx->db, "http", (const char * const *) argv);
  return ctx;
}

/* This process holds thousands of sockets: raise its own limit (the hard limit allows
 * it as root and on most desktops); FALSE if it cannot. */
static gboolean
raise_own_nofile (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return FALSE;
  if (limit.rlim_cur >= CLIENT_NOFILE)
    return TRUE;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < CLIENT_NOFILE)
    return FALSE;
  limit.rlim_cur = CLIENT_NOFILE;
  return setrlimit (RLIMIT_NOFILE, &limit) == 0;
}

static guint
server_rss_kib (GPid pid)
{
  return (guint) fr_test_proc_status_kib (pid, "VmRSS");
}

static guint
server_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* A non-blocking TCP socket from 127.0.0.@host to the server, connecting. */
static int
raw_connect (guint8  host,
             guint16 port)
{
  struct sockaddr_in from = { .sin_family = AF_INET };
  struct sockaddr_in to = { .sin_family = AF_INET };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  from.sin_addr.s_addr = htonl ((127u << 24) | host);
  to.sin_addr.s_addr = htonl ((127u << 24) | 1);
  to.sin_port = htons (port);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &from, sizeof from), ==, 0);
  if (connect (fd, (struct sockaddr *) &to, sizeof to) != 0)
    g_assert_cmpint (errno, ==, EINPROGRESS);
  return fd;
}

/* Reads what the server sends on @fd for up to @ms, appending it to @answer (if not
 * NULL), until the server closes the connection (end-of-file or reset) or, with
 * @until_answer, until @answer holds a whole JSON answer (ends in "}"); whether that
 * happened. */
static gboolean
wait_read (int      fd,
           int      ms,
           GString *answer,
           gboolean until_answer)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      struct pollfd p = { fd, POLLIN, 0 };
      char buf[4096];
      ssize_t n;

      if (poll (&p, 1, 50) <= 0)
        continue;
      n = read (fd, buf, sizeof buf);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        return !until_answer || g_str_has_suffix (answer->str, "}");
      if (n > 0 && answer != NULL)
        g_string_append_len (answer, buf, n);
      if (until_answer && g_str_has_suffix (answer->str, "}"))
        return TRUE;
    }
  return until_answer && g_str_has_suffix (answer->str, "}");
}

/* Waits up to @ms for the server to close @fd (end-of-file or reset); what it answered
 * before is appended to @answer. */
static gboolean
wait_closed (int      fd,
             int      ms,
             GString *answer)
{
  return wait_read (fd, ms, answer, FALSE);
}

/* Waits up to @ms for a whole JSON answer (ending in "}") on @fd, appended to @answer;
 * the connection may stay open after it. */
static gboolean
wait_answer (int      fd,
             int      ms,
             GString *answer)
{
  return wait_read (fd, ms, answer, TRUE);
}

static void
write_all (int         fd,
           const void *data,
           gsize       len)
{
  const guint8 *p = data;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);

      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        {
          struct pollfd pfd = { fd, POLLOUT, 0 };

          poll (&pfd, 1, 1000);
          continue;
        }
      g_assert_cmpint (n, >, 0);
      p += n;
      len -= (gsize) n;
    }
}

static gint64
timed_health (QueueCtx *ctx)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(QueueReply) reply = queue_request (ctx->session, "GET", ctx->server->base_url, "/v1/health", NULL, NULL);

  if (reply->status != 200)
    g_test_message ("health: %u %s", reply->status, reply->error != NULL ? reply->error : "");
  g_assert_cmpuint (reply->status, ==, 200);
  return g_get_monotonic_time () - start;
}

static gint64
timed_upload (QueueCtx *ctx)
{
  g_autoptr(GBytes) envelope = queue_make_envelope (ctx->kiosk, ctx->staff, 0, NULL);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(QueueReply) reply = queue_request (ctx->session, "POST", ctx->server->base_url, "/v1/envelopes", envelope, NULL);

  if (reply->status != 201)
    g_test_message ("upload: %u %s", reply->status, reply->error != NULL ? reply->error : "");
  g_assert_cmpuint (reply->status, ==, 201);
  return g_get_monotonic_time () - start;
}

static char *
big_post_head (void)
{
  return g_strdup_printf ("POST /v1/envelopes HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Content-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n",
                          BIG_BODY);
}

/* ------------------------------------------------------------------------------------ */

/* A connection that sends nothing is closed after --header-timeout; one that stops in
 * the middle of its body after --body-timeout. */
static void
test_deadlines (void)
{
  const char *args[] = { "--header-timeout", "1", "--body-timeout", "1", NULL };
  g_autoptr(QueueCtx) ctx = ctx_new (args);
  static const char partial[] = "POST /v1/envelopes HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc";
  static const char partial_head[] = "GET /v1/health HTTP/1.1\r\nHost: x\r\n";
  int idle = raw_connect (2, ctx->server->port);
  int slow_head = raw_connect (2, ctx->server->port);
  int slow_body = raw_connect (3, ctx->server->port);
  gint64 start = g_get_monotonic_time ();

  write_all (slow_head, partial_head, strlen (partial_head));
  write_all (slow_body, partial, strlen (partial));
  /* Not before the deadline… */
  g_assert_false (wait_closed (idle, 500, NULL));
  /* …but soon after it (1 s, checked every 0.2 s). */
  g_assert_true (wait_closed (idle, 2500, NULL));
  g_assert_true (wait_closed (slow_head, 1000, NULL));
  g_assert_true (wait_closed (slow_body, 1000, NULL));
  g_test_message ("all three closed after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  close (idle);
  close (slow_head);
  close (slow_body);

  timed_health (ctx);
  timed_upload (ctx);
}

/* More connections from one address than --max-per-address: the newest are closed at
 * once, other addresses are served. */
static void
test_per_address (void)
{
  const char *args[] = { "--max-per-address", "8", "--header-timeout", "30", NULL };
  g_autoptr(QueueCtx) ctx = ctx_new (args);
  int fds[40];
  guint closed = 0;

  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    fds[i] = raw_connect (9, ctx->server->port);
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    if (wait_closed (fds[i], i < 8 ? 100 : 1000, NULL))
      closed++;
  /* The first 8 are held, the other 32 refused. */
  g_assert_cmpuint (closed, ==, 32);
  timed_health (ctx);
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    close (fds[i]);
}

/* Declared bodies share --body-memory-mb; a large upload gets three quarters of it at
 * most. Over it: 503 busy with Retry-After, before the body is read; small ones fit. */
static void
test_body_memory (void)
{
  const char *args[] = { "--body-memory-mb", "16", "--body-timeout", "30", NULL };
  g_autoptr(QueueCtx) ctx = ctx_new (args);
  g_autofree char *head = big_post_head ();
  g_autoptr(GString) answer = g_string_new (NULL);
  int first = raw_connect (2, ctx->server->port);
  int second;

  /* The first 8 MiB upload is admitted and stalls after its head and a few bytes. */
  write_all (first, head, strlen (head));
  write_all (first, "abcd", 4);
  g_assert_false (wait_closed (first, 500, NULL));

  second = raw_connect (3, ctx->server->port);
  write_all (second, head, strlen (head));
  g_assert_true (wait_closed (second, 5000, answer));
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 503 "));
  g_assert_nonnull (strstr (answer->str, "\r\nRetry-After: 5\r\n"));
  g_assert_true (g_str_has_suffix (answer->str, "{\"error\":\"busy\"}"));

  timed_upload (ctx);
  close (first);
  close (second);
}

/* The per-kiosk rate limit is checked (peeked) as soon as an upload's magic and kiosk_kid
 * have arrived: with --rate 1, a kiosk that has used its token and starts an 8 MiB
 * upload gets 429 with Retry-After at once, not after its body (it sends 64 bytes and
 * stalls). Before that, an upload claiming that kiosk's kid but not signed by it must
 * not use up the kiosk's token: the peek changes nothing, the token is taken only after
 * the signature is verified. */
static void
test_early_rate (void)
{
  const char *args[] = { "--rate", "1", "--body-timeout", "30", NULL };
  g_autoptr(QueueCtx) ctx = ctx_new (args);
  g_autofree char *head = big_post_head ();
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autoptr(GBytes) real = queue_make_envelope (ctx->kiosk, ctx->staff, 0, NULL);
  FrKioskKey *attacker = fr_kiosk_key_generate ();
  g_autoptr(GBytes) forged_src = queue_make_envelope (attacker, ctx->staff, 0, NULL);
  g_autoptr(GBytes) forged = NULL;
  g_autoptr(QueueReply) reply = NULL;
  const guint8 *real_data = g_bytes_get_data (real, NULL);
  guint8 *forged_data;
  gsize forged_len;
  guint rss_before, rss_after;
  gint64 start;
  int fd;

  g_assert_cmpuint (g_bytes_get_size (real), >=, 64);
  g_assert_true (memcmp (real_data, FR_ENVELOPE_MAGIC, FR_ENVELOPE_MAGIC_SIZE) == 0);

  /* Forged: the attacker's own envelope with kiosk-1's kid written over its own. The
   * bucket is full; it is refused for its signature and leaves the token alone. */
  forged_len = g_bytes_get_size (forged_src);
  forged_data = g_memdup2 (g_bytes_get_data (forged_src, NULL), forged_len);
  memcpy (forged_data + FR_ENVELOPE_MAGIC_SIZE, real_data + FR_ENVELOPE_MAGIC_SIZE, FR_KID_SIZE);
  forged = g_bytes_new_take (forged_data, forged_len);
  reply = queue_request (ctx->session, "POST", ctx->server->base_url, "/v1/envelopes", forged, NULL);
  g_assert_cmpuint (reply->status, ==, 403);
  g_clear_pointer (&reply, queue_reply_free);
  fr_kiosk_key_free (attacker);

  /* The real kiosk's upload is stored: its one token was still there. */
  reply = queue_request (ctx->session, "POST", ctx->server->base_url, "/v1/envelopes", real, NULL);
  g_assert_cmpuint (reply->status, ==, 201);
  g_clear_pointer (&reply, queue_reply_free);

  /* Its next upload declares 8 MiB, sends 64 bytes and stalls: 429 at once. */
  rss_before = server_rss_kib (ctx->server->pid);
  fd = raw_connect (2, ctx->server->port);
  start = g_get_monotonic_time ();
  write_all (fd, head, strlen (head));
  write_all (fd, real_data, 64);
  /* Answered while the body is still 8 MiB short, long before --body-timeout (30 s)
   * would end the connection: the server did not wait for the rest. */
  g_assert_true (wait_answer (fd, 10000, answer));
  g_test_message ("answered after %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  rss_after = server_rss_kib (ctx->server->pid);
  g_test_message ("server RSS %u KiB before, %u KiB after; answer: %s", rss_before, rss_after, answer->str);
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 429 "));
  g_assert_nonnull (strstr (answer->str, "\r\nRetry-After: "));
  g_assert_true (g_str_has_suffix (answer->str, "{\"error\":\"rate-limited\"}"));
#ifndef SANITIZED
  g_assert_cmpuint (rss_after, <, rss_before + 4 * 1024);
#endif
  /* The rest of the body is never read: the connection is closed after a short drain. */
  g_assert_true (wait_closed (fd, 5000, NULL));
  close (fd);

  timed_health (ctx);
}

/* Descriptors run out (--max-connections above what RLIMIT_NOFILE allows): accept()
 * fails with EMFILE; the server closes connections that sent nothing, keeps accepting,
 * and once the flood is gone serves as before. */
static void
test_out_of_descriptors (void)
{
  const char *args[] = { "--max-connections", "5000", "--max-per-address", "5000",
                         "--header-timeout", "60", NULL };
  g_autoptr(QueueCtx) ctx = NULL;
  g_autofree int *fds = NULL;
  guint n = 1200, peak = 0;
  gint64 deadline;

  if (!raise_own_nofile ())
    {
      g_test_skip ("cannot raise this process's RLIMIT_NOFILE to 4096");
      return;
    }
  ctx = ctx_new (args);
  fds = g_new (int, n);
  for (guint i = 0; i < n; i++)
    fds[i] = raw_connect (2 + i % 50, ctx->server->port);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (peak < SERVER_NOFILE - 8 && g_get_monotonic_time () < deadline)
    {
      peak = MAX (peak, server_fds (ctx->server->pid));
      g_usleep (20 * 1000);
    }
  g_test_message ("server descriptors: %u of %d", peak, SERVER_NOFILE);
  g_assert_cmpuint (peak, >=, SERVER_NOFILE - 8);

  /* While full: still answered. */
  timed_health (ctx);

  for (guint i = 0; i < n; i++)
    close (fds[i]);
  for (guint i = 0; i < 20; i++)
    timed_upload (ctx);
  timed_health (ctx);
}

/* The flood of issue 11: 2,000 idle connections and 100 slow 8 MiB uploads (each sends
 * all but the last byte), from 50 addresses, reconnecting whenever the server closes
 * them. */
typedef struct
{
  int     fd;
  guint8  host;
  gboolean slow;
  gboolean connected;
  gsize   sent;
  gint64  reopen_us;
} Attacker;

typedef struct
{
  guint16   port;
  GPid      pid;
  Attacker *a;
  guint     n;
  gint      stop;
  char     *head;
  guint8   *body;
  /* results, read after the thread ended */
  guint     connects;
  guint     closed_by_server;
  guint     peak_rss_kib;
  guint     peak_fds;
} Attack;

#define N_IDLE 2000
#define N_SLOW 100

static gpointer
attack_thread (gpointer data)
{
  Attack *at = data;
  gsize head_len = strlen (at->head);
  gsize total = head_len + BIG_BODY - 1;
  g_autofree struct pollfd *pfds = g_new0 (struct pollfd, at->n);
  gint64 next_sample = 0;

  while (!g_atomic_int_get (&at->stop))
    {
      gint64 now = g_get_monotonic_time ();

      if (now >= next_sample)
        {
          at->peak_rss_kib = MAX (at->peak_rss_kib, server_rss_kib (at->pid));
          at->peak_fds = MAX (at->peak_fds, server_fds (at->pid));
          next_sample = now + 100 * 1000;
        }
      for (guint i = 0; i < at->n; i++)
        {
          Attacker *a = &at->a[i];

          if (a->fd < 0 && now >= a->reopen_us)
            {
              a->fd = raw_connect (a->host, at->port);
              a->connected = FALSE;
              a->sent = 0;
              at->connects++;
            }
          pfds[i].fd = a->fd;
          pfds[i].events = POLLIN | ((!a->connected || (a->slow && a->sent < total)) ? POLLOUT : 0);
          pfds[i].revents = 0;
        }
      if (poll (pfds, at->n, 20) <= 0)
        continue;
      now = g_get_monotonic_time ();
      for (guint i = 0; i < at->n; i++)
        {
          Attacker *a = &at->a[i];
          gboolean gone = FALSE;

          if (a->fd < 0 || pfds[i].revents == 0)
            continue;
          if (pfds[i].revents & (POLLIN | POLLHUP | POLLERR))
            {
              char buf[4096];
              ssize_t r = read (a->fd, buf, sizeof buf);

              gone = r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR);
            }
          if (!gone && (pfds[i].revents & POLLOUT))
            {
              a->connected = TRUE;
              while (a->slow && a->sent < total)
                {
                  const guint8 *p = a->sent < head_len ? (const guint8 *) at->head + a->sent : at->body;
                  gsize len = a->sent < head_len ? head_len - a->sent : MIN (total - a->sent, 256 * 1024);
                  ssize_t w = write (a->fd, p, len);

                  if (w <= 0)
                    {
                      gone = w < 0 && errno != EAGAIN && errno != EINTR;
                      break;
                    }
                  a->sent += (gsize) w;
                }
            }
          if (gone)
            {
              close (a->fd);
              a->fd = -1;
              a->reopen_us = now + 100 * 1000;
              at->closed_by_server++;
            }
        }
    }
  for (guint i = 0; i < at->n; i++)
    if (at->a[i].fd >= 0)
      close (at->a[i].fd);
  return NULL;
}

static void
test_flood (void)
{
  const char *args[] = { "--max-connections", "600", "--max-per-address", "32",
                         "--header-timeout", "2", "--body-timeout", "2", "--idle-timeout", "2",
                         "--body-memory-mb", "64", NULL };
  g_autoptr(QueueCtx) ctx = NULL;
  Attack at = { 0, };
  GThread *thread;
  gint64 max_health = 0, max_upload = 0;

  if (!raise_own_nofile ())
    {
      g_test_skip ("cannot raise this process's RLIMIT_NOFILE to 4096");
      return;
    }
  ctx = ctx_new (args);
  g_test_message ("server RSS before: %u KiB", server_rss_kib (ctx->server->pid));

  at.port = ctx->server->port;
  at.pid = ctx->server->pid;
  at.n = N_IDLE + N_SLOW;
  at.a = g_new0 (Attacker, at.n);
  at.head = big_post_head ();
  at.body = g_malloc0 (BIG_BODY);
  for (guint i = 0; i < at.n; i++)
    {
      at.a[i].fd = -1;
      at.a[i].slow = i >= N_IDLE;
      /* 40 addresses for the idle ones (50 each), 10 for the slow ones (10 each). */
      at.a[i].host = at.a[i].slow ? 42 + (i - N_IDLE) % 10 : 2 + i % 40;
    }
  thread = g_thread_new ("attack", attack_thread, &at);

  /* Let the flood build up, then use the server as a kiosk would, for about 8 s. */
  g_usleep (2 * G_USEC_PER_SEC);
  for (guint round = 0; round < 8; round++)
    {
      gint64 health = timed_health (ctx);
      gint64 upload = timed_upload (ctx);

      g_test_message ("round %u: health %" G_GINT64_FORMAT " ms, upload %" G_GINT64_FORMAT " ms",
                      round, health / 1000, upload / 1000);
      max_health = MAX (max_health, health);
      max_upload = MAX (max_upload, upload);
      g_usleep (700 * 1000);
    }

  g_atomic_int_set (&at.stop, 1);
  g_thread_join (thread);
  g_test_message ("attack: %u connections opened, %u closed by the server; server peak %u descriptors, "
                  "peak RSS %u KiB; health max %" G_GINT64_FORMAT " ms, upload max %" G_GINT64_FORMAT " ms",
                  at.connects, at.closed_by_server, at.peak_fds, at.peak_rss_kib,
                  max_health / 1000, max_upload / 1000);

  /* The attack really was one: the server was full and kept closing connections. */
  g_assert_cmpuint (at.connects, >=, N_IDLE + N_SLOW);
  g_assert_cmpuint (at.closed_by_server, >=, N_IDLE);
  g_assert_cmpuint (at.peak_fds, >=, 500);
  /* Every health check and upload during the flood was answered (timed_health() and
   * timed_upload() assert 200 and 201); how fast is printed above, not asserted: tests
   * assert behaviour, and a loaded CI machine is not a kiosk's network. */
#ifndef SANITIZED
  g_assert_cmpuint (at.peak_rss_kib, <, 256 * 1024);
#endif

  /* After the attackers left: 100 normal uploads all succeed. */
  for (guint i = 0; i < 100; i++)
    timed_upload (ctx);
  timed_health (ctx);

  g_free (at.a);
  g_free (at.head);
  g_free (at.body);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
  g_assert_true (fr_init ());

  g_test_add_func ("/queue/limits/deadlines", test_deadlines);
  g_test_add_func ("/queue/limits/per-address", test_per_address);
  g_test_add_func ("/queue/limits/body-memory", test_body_memory);
  g_test_add_func ("/queue/limits/early-rate", test_early_rate);
  g_test_add_func ("/queue/limits/out-of-descriptors", test_out_of_descriptors);
  g_test_add_func ("/queue/limits/flood", test_flood);
  return g_test_run ();
}
