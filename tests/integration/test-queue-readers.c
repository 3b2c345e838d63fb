/* Integration tests of readers bound to a recipient key (issue 11, point 2): a reader
 * lists, downloads and acknowledges only envelopes with a slot for its recipient key id;
 * anything else is 404 as if it did not exist. A version 1 database migrates: its readers
 * are unbound and see nothing until enrolled again with --recipient, and `list` says so. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "fr-queue.h"
#include "queue-fixture.h"

static guint
count_items (QueueReply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = g_bytes_get_data (reply->body, &len);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (json_parser_load_from_data (parser, data, len, NULL));
  return json_array_get_length (json_object_get_array_member (
           json_node_get_object (json_parser_get_root (parser)), "items"));
}

static void
assert_not_found (QueueReply *reply)
{
  g_autofree char *error = queue_reply_json_string (reply, "error");

  g_assert_cmpuint (reply->status, ==, 404);
  g_assert_cmpstr (error, ==, "not-found");
}

/* @id "" is the list; an id with method POST is its ack. */
static QueueReply *
as_reader (SoupSession      *session,
           QueueProcess     *server,
           const char       *method,
           const char       *id,
           const FrStaffKey *reader)
{
  g_autofree char *path = *id == '\0' ? g_strdup ("/v1/envelopes")
                          : g_strconcat ("/v1/envelopes/", id, strcmp (method, "POST") == 0 ? "/ack" : "", NULL);

  return queue_request_as_reader (session, method, server->base_url, path, reader);
}

/* Reader A sees what is sealed to A (also when B is a second recipient); reader B sees
 * nothing of what is sealed to A only: not in the list, 404 on GET and on ack, before and
 * after A acknowledged it. */
static void
test_bound_reader (void)
{
  g_autofree char *dir = queue_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "queue.db", NULL);
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autoptr(FrStaffKey) a = fr_staff_key_generate ();
  g_autoptr(FrStaffKey) b = fr_staff_key_generate ();
  g_autoptr(SoupSession) session = queue_session_new (NULL);
  g_autoptr(QueueProcess) server = NULL;
  g_autoptr(FrRecord) only_a = queue_make_record ();
  g_autoptr(FrRecord) both = queue_make_record ();
  const FrStaffKey *to_a[] = { a };
  const FrStaffKey *to_both[] = { b, a };
  g_autoptr(GBytes) env_a = queue_seal (only_a, kiosk, to_a, 1);
  g_autoptr(GBytes) env_both = queue_seal (both, kiosk, to_both, 2);
  const char *id_a = fr_record_get_id_string (only_a);
  const char *id_both = fr_record_get_id_string (both);

  queue_enroll_kiosk (db, "kiosk-1", kiosk);
  queue_enroll_reader (db, "staff-a", a);
  queue_enroll_reader (db, "staff-b", b);
  server = queue_start (db, "http", NULL);

  {
    g_autoptr(QueueReply) r1 = queue_request (session, "POST", server->base_url, "/v1/envelopes", env_a, NULL);
    g_autoptr(QueueReply) r2 = queue_request (session, "POST", server->base_url, "/v1/envelopes", env_both, NULL);

    g_assert_cmpuint (r1->status, ==, 201);
    g_assert_cmpuint (r2->status, ==, 201);
  }

  {
    g_autoptr(QueueReply) la = as_reader (session, server, "GET", "", a);
    g_autoptr(QueueReply) lb = as_reader (session, server, "GET", "", b);
    gsize len = 0;
    const char *data = g_bytes_get_data (lb->body, &len);
    g_autofree char *text = g_strndup (data, len);   /* the body is not NUL-terminated */

    g_assert_cmpuint (count_items (la), ==, 2);
    g_assert_cmpuint (count_items (lb), ==, 1);
    g_assert_nonnull (strstr (text, id_both));
    g_assert_null (strstr (text, id_a));
  }

  {
    g_autoptr(QueueReply) get_b = as_reader (session, server, "GET", id_a, b);
    g_autoptr(QueueReply) ack_b = as_reader (session, server, "POST", id_a, b);
    g_autoptr(QueueReply) get_a = as_reader (session, server, "GET", id_a, a);
    g_autoptr(QueueReply) get_both = as_reader (session, server, "GET", id_both, b);

    assert_not_found (get_b);
    assert_not_found (ack_b);
    g_assert_cmpuint (get_a->status, ==, 200);
    g_assert_true (g_bytes_equal (get_a->body, env_a));
    g_assert_cmpuint (get_both->status, ==, 200);
  }

  {
    g_autoptr(QueueReply) ack_a = as_reader (session, server, "POST", id_a, a);
    g_autoptr(QueueReply) again_a = as_reader (session, server, "POST", id_a, a);
    g_autoptr(QueueReply) ack_b = as_reader (session, server, "POST", id_a, b);

    g_assert_cmpuint (ack_a->status, ==, 200);
    g_assert_cmpuint (again_a->status, ==, 200);
    assert_not_found (ack_b);   /* the tombstone keeps the recipients too */
  }

  g_assert_cmpint (queue_stop (server), ==, 0);
  queue_rmtree (dir);
}

/* enroll-reader needs --recipient with a recipient key string. */
static void
test_enroll_needs_recipient (void)
{
  g_autofree char *dir = queue_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "queue.db", NULL);
  g_autoptr(FrStaffKey) staff = fr_staff_key_generate ();
  g_autofree char *reader = fr_key_string_format (FR_KEY_KIND_READER, staff->reader_pk);
  g_autofree char *err = NULL;

  g_assert_cmpint (queue_cli (NULL, &err, "enroll-reader", "--db", db, "--name", "r", reader, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--recipient"));
  g_assert_true (g_str_has_suffix (err, "\n") && strchr (err, '\n') == err + strlen (err) - 1);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  queue_rmtree (dir);
}

static const char schema_v1[] =
  "CREATE TABLE principals ("
  "  name TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'reader')),"
  "  kid BLOB NOT NULL UNIQUE CHECK (length(kid) = 8), pk BLOB NOT NULL CHECK (length(pk) = 32),"
  "  enrolled_at INTEGER NOT NULL, revoked_at INTEGER);"
  "CREATE TABLE envelopes ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),"
  "  kiosk TEXT NOT NULL, received_at INTEGER NOT NULL, size INTEGER NOT NULL, data BLOB NOT NULL);"
  "CREATE TABLE tombstones ("
  "  id TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36), acked_at INTEGER NOT NULL) WITHOUT ROWID;"
  "PRAGMA user_version = 1;";

static void
insert_principal (sqlite3          *db,
                  const char       *name,
                  const char       *kind,
                  const guint8      pk[FR_KEY_SIZE])
{
  sqlite3_stmt *s = NULL;
  guint8 kid[FR_KID_SIZE];

  fr_kid_compute (pk, kid);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO principals VALUES (?1, ?2, ?3, ?4, 1000, NULL)",
                                       -1, &s, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (s, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_blob (s, 3, kid, FR_KID_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (s, 4, pk, FR_KEY_SIZE, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (s), ==, SQLITE_DONE);
  sqlite3_finalize (s);
}

/* A version 1 database (as today's main writes it): its reader is unbound after the
 * migration, `list` says so, the reader sees nothing; enrolled again with --recipient
 * under the same name and key, it sees the envelope stored before the migration. */
static void
test_migration (void)
{
  g_autofree char *dir = queue_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "queue.db", NULL);
  g_autoptr(FrKioskKey) kiosk = fr_kiosk_key_generate ();
  g_autoptr(FrStaffKey) staff = fr_staff_key_generate ();
  g_autoptr(SoupSession) session = queue_session_new (NULL);
  g_autoptr(QueueProcess) server = NULL;
  char id[FR_UUID_STRING_LEN + 1];
  g_autoptr(GBytes) envelope = queue_make_envelope (kiosk, staff, 0, id);
  g_autofree char *reader = fr_key_string_format (FR_KEY_KIND_READER, staff->reader_pk);
  g_autofree char *recipient = fr_key_string_format (FR_KEY_KIND_RECIPIENT, staff->recipient_pk);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, schema_v1, NULL, NULL, NULL), ==, SQLITE_OK);
  insert_principal (db, "kiosk-1", "kiosk", kiosk->pk);
  insert_principal (db, "staff-1", "reader", staff->reader_pk);
  {
    sqlite3_stmt *s = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO envelopes (id, kiosk, received_at, size, data) "
                                         "VALUES (?1, 'kiosk-1', 1000, ?2, ?3)", -1, &s, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (s, 2, g_bytes_get_size (envelope));
    sqlite3_bind_blob (s, 3, g_bytes_get_data (envelope, NULL), g_bytes_get_size (envelope), SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (s), ==, SQLITE_DONE);
    sqlite3_finalize (s);
  }
  sqlite3_close (db);

  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (queue_cli (&out, &err, "list", "--db", path, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "staff-1\treader\t"));
    g_assert_nonnull (strstr (out, "\tunbound\n"));
    g_assert_nonnull (strstr (err, "staff-1 is bound to no recipient key and sees nothing"));
  }

  server = queue_start (path, "http", NULL);
  {
    g_autoptr(QueueReply) list = as_reader (session, server, "GET", "", staff);
    g_autoptr(QueueReply) get = as_reader (session, server, "GET", id, staff);
    g_autoptr(QueueReply) ack = as_reader (session, server, "POST", id, staff);

    g_assert_cmpuint (count_items (list), ==, 0);
    assert_not_found (get);
    assert_not_found (ack);
  }

  /* Another key under the same name is still refused; the same key binds. */
  {
    g_autoptr(FrStaffKey) other = fr_staff_key_generate ();
    g_autofree char *other_reader = fr_key_string_format (FR_KEY_KIND_READER, other->reader_pk);
    g_autofree char *err = NULL;

    g_assert_cmpint (queue_cli (NULL, &err, "enroll-reader", "--db", path, "--name", "staff-1",
                                "--recipient", recipient, other_reader, NULL), ==, 1);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (queue_cli (NULL, &err, "enroll-reader", "--db", path, "--name", "staff-1",
                                "--recipient", recipient, reader, NULL), ==, 0);
    g_clear_pointer (&err, g_free);
    /* Bound once: enrolling it again is "already enrolled" as before. */
    g_assert_cmpint (queue_cli (NULL, &err, "enroll-reader", "--db", path, "--name", "staff-1",
                                "--recipient", recipient, reader, NULL), ==, 1);
  }

  {
    g_autoptr(QueueReply) list = as_reader (session, server, "GET", "", staff);
    g_autoptr(QueueReply) get = as_reader (session, server, "GET", id, staff);

    g_assert_cmpuint (count_items (list), ==, 1);
    g_assert_cmpuint (get->status, ==, 200);
    g_assert_true (g_bytes_equal (get->body, envelope));
  }

  {
    g_autofree char *out = NULL, *err = NULL;
    char kid_hex[FR_KID_HEX_LEN + 1];
    guint8 kid[FR_KID_SIZE];
    g_autofree char *line = NULL;

    fr_kid_compute (staff->recipient_pk, kid);
    fr_kid_to_hex (kid, kid_hex);
    line = g_strdup_printf ("\t%s\n", kid_hex);
    g_assert_cmpint (queue_cli (&out, &err, "list", "--db", path, NULL), ==, 0);
    g_assert_nonnull (strstr (out, line));
    g_assert_null (strstr (err, "bound to no recipient"));
  }

  g_assert_cmpint (queue_stop (server), ==, 0);
  queue_rmtree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());

  g_test_add_func ("/queue/readers/bound", test_bound_reader);
  g_test_add_func ("/queue/readers/enroll-needs-recipient", test_enroll_needs_recipient);
  g_test_add_func ("/queue/readers/migration", test_migration);

  return g_test_run ();
}
