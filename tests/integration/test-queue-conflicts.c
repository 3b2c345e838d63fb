/* Integration tests of what the queue does with an id it has seen (issue 11, point 3) and
 * of the per-kiosk storage quota (point 5): `200 duplicate` only for the same kiosk and
 * the same bytes, stored or acknowledged; otherwise `409 id-conflict`, which the kiosk's
 * sender keeps as a dead letter. `507 quota` is retried later. The kiosk counts
 * duplicates apart from deliveries. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include "fr-queue.h"
#include "queue-fixture.h"

static guint
post (SoupSession  *session,
      QueueProcess *server,
      GBytes       *envelope,
      char        **error_name)
{
  g_autoptr(QueueReply) reply = queue_request (session, "POST", server->base_url, "/v1/envelopes",
                                               envelope, NULL);

  if (error_name != NULL)
    *error_name = queue_reply_json_string (reply, reply->status >= 400 ? "error" : "status");
  return reply->status;
}

typedef struct
{
  char         *dir;
  char         *db;
  FrKioskKey   *kiosk1;
  FrKioskKey   *kiosk2;
  FrStaffKey   *staff;
  SoupSession  *session;
  QueueProcess *server;
} Ctx;

static Ctx *
ctx_new (const char * const *extra_args)
{
  Ctx *ctx = g_new0 (Ctx, 1);

  ctx->dir = queue_tmpdir ();
  ctx->db = g_build_filename (ctx->dir, "queue.db", NULL);
  ctx->kiosk1 = fr_kiosk_key_generate ();
  ctx->kiosk2 = fr_kiosk_key_generate ();
  ctx->staff = fr_staff_key_generate ();
  queue_enroll_kiosk (ctx->db, "kiosk-1", ctx->kiosk1);
  queue_enroll_kiosk (ctx->db, "kiosk-2", ctx->kiosk2);
  queue_enroll_reader (ctx->db, "staff-1", ctx->staff);
  ctx->session = queue_session_new (NULL);
  ctx->server = queue_start (ctx->db, "http", extra_args);
  return ctx;
}

static void
ctx_free (Ctx *ctx)
{
  g_assert_cmpint (queue_stop (ctx->server), ==, 0);
  queue_process_free (ctx->server);
  g_object_unref (ctx->session);
  fr_kiosk_key_free (ctx->kiosk1);
  fr_kiosk_key_free (ctx->kiosk2);
  fr_staff_key_free (ctx->staff);
  queue_rmtree (ctx->dir);
  g_free (ctx->db);
  g_free (ctx->dir);
  g_free (ctx);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ctx, ctx_free)

/* Same kiosk, same bytes: duplicate. Same kiosk, other bytes (sealed again), or another
 * kiosk with the same id: 409, and the stored envelope is untouched. The same after the
 * envelope was acknowledged (the tombstone keeps kiosk and hash). */
static void
test_duplicate_or_conflict (void)
{
  g_autoptr(Ctx) ctx = ctx_new (NULL);
  g_autoptr(FrRecord) record = queue_make_record ();
  const FrStaffKey *to[] = { ctx->staff };
  g_autoptr(GBytes) first = queue_seal (record, ctx->kiosk1, to, 1);
  g_autoptr(GBytes) resealed = queue_seal (record, ctx->kiosk1, to, 1);
  g_autoptr(GBytes) other_kiosk = queue_seal (record, ctx->kiosk2, to, 1);
  g_autofree char *get_path = g_strconcat ("/v1/envelopes/", fr_record_get_id_string (record), NULL);
  g_autofree char *ack_path = g_strconcat (get_path, "/ack", NULL);

  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *name = NULL;

      if (round == 0)
        {
          g_assert_cmpuint (post (ctx->session, ctx->server, first, &name), ==, 201);
          g_clear_pointer (&name, g_free);
        }
      g_assert_cmpuint (post (ctx->session, ctx->server, first, &name), ==, 200);
      g_assert_cmpstr (name, ==, "duplicate");
      g_clear_pointer (&name, g_free);
      g_assert_cmpuint (post (ctx->session, ctx->server, resealed, &name), ==, 409);
      g_assert_cmpstr (name, ==, "id-conflict");
      g_clear_pointer (&name, g_free);
      g_assert_cmpuint (post (ctx->session, ctx->server, other_kiosk, &name), ==, 409);
      g_assert_cmpstr (name, ==, "id-conflict");

      if (round == 0)
        {
          g_autoptr(QueueReply) get = queue_request_as_reader (ctx->session, "GET", ctx->server->base_url,
                                                               get_path, ctx->staff);
          g_autoptr(QueueReply) ack = NULL;

          g_assert_cmpuint (get->status, ==, 200);
          g_assert_true (g_bytes_equal (get->body, first));
          ack = queue_request_as_reader (ctx->session, "POST", ctx->server->base_url, ack_path, ctx->staff);
          g_assert_cmpuint (ack->status, ==, 200);
        }
    }
}

/* The kiosk side: a duplicate is counted as one (not as a delivery) and the row goes; a
 * 409 is kept as a dead letter with its reason. */
static void
test_sender (void)
{
  g_autoptr(Ctx) ctx = ctx_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *outbox_path = g_build_filename (ctx->dir, "outbox.db", NULL);
  g_autoptr(FrOutbox) outbox = fr_outbox_open (outbox_path, &error);
  g_autoptr(FrSender) sender = NULL;
  g_autoptr(FrRecord) at_queue = queue_make_record ();
  g_autoptr(FrRecord) taken = queue_make_record ();
  const FrStaffKey *to[] = { ctx->staff };
  g_autoptr(GBytes) already = queue_seal (at_queue, ctx->kiosk1, to, 1);
  g_autoptr(GBytes) by_other = queue_seal (taken, ctx->kiosk2, to, 1);
  g_autoptr(GBytes) mine = queue_seal (taken, ctx->kiosk1, to, 1);
  g_autoptr(GPtrArray) dead = NULL;
  FrSenderReport report = { 0, };

  g_assert_no_error (error);
  sender = fr_sender_new (outbox, ctx->server->base_url, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (post (ctx->session, ctx->server, already, NULL), ==, 201);
  g_assert_cmpuint (post (ctx->session, ctx->server, by_other, NULL), ==, 201);
  g_assert_true (fr_outbox_enqueue (outbox, fr_record_get_id_string (at_queue), already, &error));
  g_assert_true (fr_outbox_enqueue (outbox, fr_record_get_id_string (taken), mine, &error));

  g_assert_true (fr_sender_deliver (sender, TRUE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.delivered, ==, 0);
  g_assert_cmpuint (report.duplicates, ==, 1);
  g_assert_cmpuint (report.dead, ==, 1);
  g_assert_cmpuint (report.retry, ==, 0);
  fr_sender_report_clear (&report);

  dead = fr_outbox_list_dead (outbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dead->len, ==, 1);
  {
    FrOutboxItem *item = g_ptr_array_index (dead, 0);

    g_assert_cmpstr (item->id, ==, fr_record_get_id_string (taken));
    g_assert_true (g_bytes_equal (item->envelope, mine));
    g_assert_nonnull (strstr (item->last_error, "409"));
  }
}

/* --quota-mb 1: envelopes of ~300 KiB; the fourth is 507 quota, a retry of a stored one
 * is still a duplicate, another kiosk is not affected, and after an ack there is room
 * again. The kiosk's sender keeps a 507 pending (retry later). */
static void
test_quota (void)
{
  const char *args[] = { "--quota-mb", "1", NULL };
  g_autoptr(Ctx) ctx = ctx_new (args);
  g_autoptr(GError) error = NULL;
  GBytes *stored[3];
  char ids[3][FR_UUID_STRING_LEN + 1];
  char over_id[FR_UUID_STRING_LEN + 1];
  g_autoptr(GBytes) over = queue_make_envelope (ctx->kiosk1, ctx->staff, 300 * 1024, over_id);
  g_autoptr(GBytes) other = queue_make_envelope (ctx->kiosk2, ctx->staff, 300 * 1024, NULL);
  g_autofree char *name = NULL;

  for (guint i = 0; i < 3; i++)
    {
      stored[i] = queue_make_envelope (ctx->kiosk1, ctx->staff, 300 * 1024, ids[i]);
      g_assert_cmpuint (post (ctx->session, ctx->server, stored[i], NULL), ==, 201);
    }
  g_assert_cmpuint (post (ctx->session, ctx->server, over, &name), ==, 507);
  g_assert_cmpstr (name, ==, "quota");
  g_clear_pointer (&name, g_free);
  g_assert_cmpuint (post (ctx->session, ctx->server, stored[0], &name), ==, 200);
  g_assert_cmpuint (post (ctx->session, ctx->server, other, NULL), ==, 201);

  /* The kiosk's sender: 507 is "later", not dead. */
  {
    g_autofree char *outbox_path = g_build_filename (ctx->dir, "outbox.db", NULL);
    g_autoptr(FrOutbox) outbox = fr_outbox_open (outbox_path, &error);
    g_autoptr(FrSender) sender = fr_sender_new (outbox, ctx->server->base_url, NULL, &error);
    FrSenderReport report = { 0, };
    FrOutboxStats stats = { 0, };

    g_assert_no_error (error);
    g_assert_true (fr_outbox_enqueue (outbox, over_id, over, &error));
    g_assert_true (fr_sender_deliver (sender, TRUE, &report, &error));
    g_assert_cmpuint (report.retry, ==, 1);
    g_assert_cmpuint (report.dead, ==, 0);
    g_assert_nonnull (strstr (report.last_error, "507"));
    fr_sender_report_clear (&report);
    g_assert_true (fr_outbox_get_stats (outbox, &stats, &error));
    g_assert_cmpuint (stats.pending, ==, 1);
    g_assert_cmpuint (stats.dead, ==, 0);
    fr_outbox_stats_clear (&stats);
  }

  {
    g_autofree char *ack_path = g_strconcat ("/v1/envelopes/", ids[0], "/ack", NULL);
    g_autoptr(QueueReply) ack = queue_request_as_reader (ctx->session, "POST", ctx->server->base_url,
                                                         ack_path, ctx->staff);

    g_assert_cmpuint (ack->status, ==, 200);
  }
  g_assert_cmpuint (post (ctx->session, ctx->server, over, NULL), ==, 201);

  for (guint i = 0; i < 3; i++)
    g_bytes_unref (stored[i]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());

  g_test_add_func ("/queue/ids/duplicate-or-conflict", test_duplicate_or_conflict);
  g_test_add_func ("/queue/ids/sender", test_sender);
  g_test_add_func ("/queue/quota", test_quota);

  return g_test_run ();
}
