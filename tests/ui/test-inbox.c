/* test-inbox.c — fristad-inbox against a real queue on 127.0.0.1 fed by
 * `fristad-kiosk --submit`: a wrong passphrase is refused clearly; fetch shows the
 * records and a record from a kiosk not in the roster as refused; opening a record shows
 * the canary text and the "not safe" mark; searching by receipt finds it; an unreachable
 * queue leaves the inbox intact; locking wipes the key and the next open needs the
 * passphrase; a follow-up (status, dates, notes) survives a restart of the app, is filtered
 * by status and is not plaintext on disk; the open record exports as a PDF holding its text
 * and is acknowledged on the queue only after a confirmation. The cases run in order on one set of keys, queue and window; a screenshot of
 * each screen goes to screens/inbox-*.png in the build directory. */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include <sys/stat.h>

#include "fr-inbox-application.h"
#include "fr-inbox-followup.h"
#include "fr-inbox-item.h"
#include "fr-inbox-record-view.h"
#include "fr-inbox-unlock.h"
#include "fr-inbox-window.h"
#include "fr-test-util.h"
#include "queue-world.h"

#define PASSPHRASE "inbox test passphrase"

#define run_kiosk(run, ...) fr_test_run_tool (run, "FRISTAD_KIOSK", __VA_ARGS__, NULL)
#define run_staff(run, ...) fr_test_run_tool (run, "FRISTAD_STAFF", __VA_ARGS__, NULL)

static struct
{
  char           *dir;
  QueueWorld      w;
  char           *canary;
  char           *good_id;
  char           *good_receipt;
  char           *stranger_id;
  FrInboxSession *session;
  FrInboxWindow  *window;
} t;

/* ---- waiting, looking, screenshots ---- */

static gboolean
tree_contains (GtkWidget  *root,
               const char *needle)
{
  const char *text = NULL;

  if (GTK_IS_LABEL (root))
    text = gtk_label_get_text (GTK_LABEL (root));
  else if (GTK_IS_EDITABLE (root))
    text = gtk_editable_get_text (GTK_EDITABLE (root));
  if (text != NULL && strstr (text, needle) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    if (tree_contains (child, needle))
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0 && gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
screenshot (const char *name)
{
  GtkWidget *widget = GTK_WIDGET (t.window);
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                           "screens", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = 0, height = 0;

  /* Drawn at least once since the last change: under the sanitizers that can take a while. */
  paintable = gtk_widget_paintable_new (widget);
  g_mkdir_with_parents (dir, 0755);
  for (guint tries = 0; node == NULL && tries < 50; tries++)
    {
      fr_test_wait_ms (200);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (t.window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* ---- the world: keys, two kiosks (one in the roster), a queue ---- */

static void
world_setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config_dir = NULL, *conf = NULL, *conf_text = NULL;
  g_autofree char *good = NULL, *stranger = NULL;
  g_autofree char *good_out = NULL, *stranger_out = NULL, *json = NULL;
  g_auto(GStrv) parts = NULL;

  t.canary = g_strdup_printf ("CANARY-%08x", g_test_rand_int ());
  queue_world_init (&t.w, t.dir, PASSPHRASE);
  /* Only the good kiosk is in the staff roster. */
  good = queue_world_add_kiosk (&t.w, "kiosk-good", TRUE);
  stranger = queue_world_add_kiosk (&t.w, "kiosk-stranger", FALSE);

  json = g_strdup_printf ("{\"channel\":\"kiosk\",\"language\":\"th\","
                          "\"answers\":{\"needs\":[\"shelter\",\"health\"],\"safe_now\":false,"
                          "\"contact_method\":\"phone\",\"phone\":\"+46700000001\",\"voicemail_ok\":false,"
                          "\"message\":\"%s ฉันต้องการความช่วยเหลือ\"},"
                          "\"consent\":{\"share\":true,\"text_version\":\"consent-1\"}}", t.canary);
  good_out = queue_world_submit (&t.w, good, json, NULL);
  parts = g_strsplit (good_out, " ", 2);
  t.good_id = g_strdup (parts[0]);
  t.good_receipt = g_strdup (parts[1]);
  g_clear_pointer (&json, g_free);
  json = g_strdup ("{\"channel\":\"kiosk\",\"language\":\"sv\",\"answers\":{\"needs\":[\"work\"]},"
                   "\"consent\":{\"share\":true,\"text_version\":\"consent-1\"}}");
  stranger_out = queue_world_submit (&t.w, stranger, json, NULL);
  g_clear_pointer (&parts, g_strfreev);
  parts = g_strsplit (stranger_out, " ", 2);
  t.stranger_id = g_strdup (parts[0]);

  /* The app's settings (its config home is t.dir, see main): this queue, this inbox. */
  config_dir = g_build_filename (t.dir, "fristad", NULL);
  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  conf = g_build_filename (config_dir, "inbox.conf", NULL);
  conf_text = g_strdup_printf ("[inbox]\ninbox=%s\nserver=%s\n", t.w.inbox, t.w.queue->base_url);
  g_assert_true (g_file_set_contents (conf, conf_text, -1, &error));

  t.session = fr_inbox_session_new ();
  t.window = fr_inbox_window_new (NULL, t.session);
  gtk_window_present (GTK_WINDOW (t.window));
}

static void
world_teardown (void)
{
  gtk_window_destroy (GTK_WINDOW (t.window));
  g_clear_object (&t.session);
  queue_world_clear (&t.w);
  g_free (t.dir);
  g_free (t.canary);
  g_free (t.good_id);
  g_free (t.good_receipt);
  g_free (t.stranger_id);
}

/* ---- steps ---- */

static gboolean
unlock_answered (gpointer data)
{
  return !fr_inbox_unlock_is_busy (FR_INBOX_UNLOCK (fr_inbox_window_get_unlock (t.window)));
}

static gboolean
fetch_done (gpointer data)
{
  return !fr_inbox_window_is_fetching (t.window);
}

static void
type_passphrase_and_unlock (const char *passphrase)
{
  GtkWidget *unlock = fr_inbox_window_get_unlock (t.window);
  GtkWidget *entry = find_named (unlock, "passphrase");

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), passphrase);
  g_assert_true (gtk_widget_activate_action (unlock, "unlock.unlock", NULL));
  g_assert_true (fr_test_wait_until (unlock_answered, NULL, 60000, 20));
}

static void
test_wrong_passphrase (void)
{
  FrInboxUnlock *unlock = FR_INBOX_UNLOCK (fr_inbox_window_get_unlock (t.window));

  g_assert_cmpstr (fr_inbox_window_get_page (t.window), ==, "locked");
  g_assert_null (fr_inbox_session_get_key_path (t.session));
  screenshot ("inbox-choose-key");
  /* What the file chooser does with the file picked; remembered in inbox.conf. */
  g_assert_true (fr_inbox_unlock_use_key_file (unlock, t.w.key));
  {
    g_autoptr(FrInboxSession) again = fr_inbox_session_new ();

    g_assert_cmpstr (fr_inbox_session_get_key_path (again), ==, t.w.key);
  }

  type_passphrase_and_unlock ("not the passphrase");
  g_assert_cmpstr (fr_inbox_unlock_get_error (unlock), ==, "Wrong passphrase. The inbox stays locked.");
  g_assert_true (fr_inbox_session_get_locked (t.session));
  g_assert_null (fr_inbox_session_get_key (t.session));
  g_assert_cmpstr (fr_inbox_window_get_page (t.window), ==, "locked");
  screenshot ("inbox-wrong-passphrase");
}

static void
test_fetch (void)
{
  GListModel *shown;
  gboolean saw_good = FALSE, saw_refused = FALSE;
  const char *status;

  type_passphrase_and_unlock (PASSPHRASE);
  g_assert_false (fr_inbox_session_get_locked (t.session));
  g_assert_cmpstr (fr_inbox_window_get_page (t.window), ==, "inbox");
  shown = fr_inbox_window_get_shown (t.window);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t.window), "win.fetch", NULL));
  g_assert_true (fr_inbox_window_is_fetching (t.window));
  g_assert_true (fr_test_wait_until (fetch_done, NULL, 60000, 20));

  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(FrInboxItem) item = g_list_model_get_item (shown, i);

      if (g_str_equal (fr_inbox_item_get_id (item), t.good_id))
        {
          saw_good = TRUE;
          g_assert_false (fr_inbox_item_is_refused (item));
          g_assert_true (fr_inbox_item_get_not_safe (item));
          g_assert_cmpstr (fr_inbox_item_get_receipt (item), ==, t.good_receipt);
          g_assert_cmpstr (fr_inbox_item_get_needs (item), ==, "shelter\nhealth");
        }
      else
        {
          g_assert_cmpstr (fr_inbox_item_get_id (item), ==, t.stranger_id);
          saw_refused = TRUE;
          g_assert_true (fr_inbox_item_is_refused (item));
          g_assert_cmpstr (fr_inbox_item_get_reason (item), ==, "unknown-kiosk");
        }
    }
  g_assert_true (saw_good && saw_refused);
  status = fr_inbox_window_get_status (t.window);
  g_assert_nonnull (status);
  g_assert_nonnull (strstr (status, "Fetched 1 new record."));
  g_assert_nonnull (strstr (status, t.stranger_id));
  g_assert_nonnull (strstr (status, "unknown-kiosk"));
  /* The list shows the refused one as refused, and the mark on the one not safe. */
  g_assert_true (tree_contains (GTK_WIDGET (t.window), "Refused: unknown-kiosk"));
  g_assert_true (tree_contains (GTK_WIDGET (t.window), "NOT SAFE NOW"));
  /* fristad-staff sees the very same inbox. */
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "list", "--inbox", t.w.inbox, "--key", t.w.key, "--passphrase-file", t.w.pass);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, t.good_id));
  }
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "list", "--refused", "--inbox", t.w.inbox);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, t.stranger_id));
  }
  /* Only ciphertext on disk. */
  fr_test_assert_no_canary (t.w.inbox, t.canary);
  screenshot ("inbox-list");
}

static void
test_open_record (void)
{
  GtkWidget *view = fr_inbox_window_get_record_view (t.window);

  g_assert_false (tree_contains (view, t.canary));
  g_assert_true (fr_inbox_window_open_record (t.window, t.good_id));
  g_assert_true (tree_contains (view, t.canary));
  g_assert_true (tree_contains (view, "ฉันต้องการความช่วยเหลือ"));
  /* The person's language is named, answers are shown in the staff language. */
  g_assert_true (tree_contains (view, "Thai"));
  g_assert_true (tree_contains (view, "Before you call"));
  g_assert_true (tree_contains (view, "+46700000001"));
  g_assert_true (tree_contains (view, "Do not leave a voicemail."));
  g_assert_true (tree_contains (view, "NOT safe right now"));
  g_assert_false (tree_contains (view, "shelter"));   /* option ids are translated */
  screenshot ("inbox-record");
}

static void
test_search (void)
{
  GtkWidget *entry = fr_inbox_window_get_search_entry (t.window);
  GListModel *shown = fr_inbox_window_get_shown (t.window);
  g_autofree char *spoken = g_ascii_strdown (t.good_receipt, -1);
  g_autoptr(FrInboxItem) item = NULL;

  /* As read out on the phone: lower case, no dash. */
  memmove (spoken + 4, spoken + 5, strlen (spoken + 5) + 1);
  gtk_editable_set_text (GTK_EDITABLE (entry), spoken);
  fr_test_wait_ms (400);   /* search-changed is delayed */
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  item = g_list_model_get_item (shown, 0);
  g_assert_cmpstr (fr_inbox_item_get_id (item), ==, t.good_id);
  screenshot ("inbox-search");
  gtk_editable_set_text (GTK_EDITABLE (entry), "ZZZZ-ZZZZ");
  fr_test_wait_ms (400);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  fr_test_wait_ms (400);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
}


static GtkWidget *
followup_field (const char *name)
{
  GtkWidget *editor = fr_inbox_record_view_get_followup (FR_INBOX_RECORD_VIEW (fr_inbox_window_get_record_view (t.window)));
  GtkWidget *field = find_named (editor, name);

  g_assert_nonnull (field);
  return field;
}

static char *
notes_text (void)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (followup_field ("followup-notes")));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_status_filter (guint position)
{
  gtk_drop_down_set_selected (GTK_DROP_DOWN (fr_inbox_window_get_status_filter (t.window)), position);
  fr_test_wait_ms (50);
}

static void
test_followup_restart (void)
{
  GtkWidget *editor = fr_inbox_record_view_get_followup (FR_INBOX_RECORD_VIEW (fr_inbox_window_get_record_view (t.window)));
  GListModel *shown = fr_inbox_window_get_shown (t.window);
  g_autofree char *note = g_strdup_printf ("NOTE-CANARY-%08x ringde via tolk, vill ha skyddat boende", g_test_rand_int ());
  g_autofree char *today = fr_followup_format_date (fr_followup_today ());
  g_autofree char *start = fr_followup_format_date (fr_followup_today () - 3);
  g_autofree char *name = g_strconcat (t.good_id, FR_FOLLOWUP_EXT, NULL);
  g_autofree char *path = g_build_filename (t.w.inbox, name, NULL);
  g_autofree char *notes = NULL;
  struct stat st;

  /* A new record: status new, nothing set. */
  g_assert_true (fr_inbox_window_open_record (t.window, t.good_id));
  g_assert_nonnull (fr_inbox_followup_get (FR_INBOX_FOLLOWUP (editor)));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (followup_field ("followup-status"))), ==, FR_FOLLOWUP_NEW);
  g_assert_true (tree_contains (GTK_WIDGET (t.window), "New"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* A date that is not YYYY-MM-DD is refused, and nothing is written. */
  gtk_editable_set_text (GTK_EDITABLE (followup_field ("followup-first-contact")), "1/12");
  g_assert_true (gtk_widget_activate_action (editor, "followup.save", NULL));
  g_assert_nonnull (strstr (fr_inbox_followup_get_message (FR_INBOX_FOLLOWUP (editor)), "YYYY-MM-DD"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  adw_combo_row_set_selected (ADW_COMBO_ROW (followup_field ("followup-status")), FR_FOLLOWUP_IN_SUPPORT);
  gtk_editable_set_text (GTK_EDITABLE (followup_field ("followup-first-contact")), today);
  gtk_editable_set_text (GTK_EDITABLE (followup_field ("followup-reflection-start")), start);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (followup_field ("followup-notes"))), note, -1);
  g_assert_true (gtk_widget_activate_action (editor, "followup.save", NULL));
  g_assert_cmpstr (fr_inbox_followup_get_message (FR_INBOX_FOLLOWUP (editor)), ==, "Saved.");
  g_assert_true (tree_contains (editor, "27 days of reflection left"));
  /* The list shows the status and the days left, and the record stays open. */
  g_assert_true (tree_contains (GTK_WIDGET (t.window), "In support · 27 days of reflection left"));
  g_assert_true (tree_contains (fr_inbox_window_get_record_view (t.window), t.canary));
  screenshot ("inbox-followup");

  /* On disk: 0600, sealed, no note in clear anywhere in the inbox. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  fr_test_assert_no_canary (t.w.inbox, note);
  fr_test_assert_no_canary (t.w.inbox, "skyddat boende");
  /* fristad-staff still reads the same inbox. */
  {
    g_auto(FrTestRun) run;

    run_staff (&run, "list", "--inbox", t.w.inbox, "--key", t.w.key, "--passphrase-file", t.w.pass);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, t.good_id));
  }

  /* The status filter: 0 is every status, then the statuses in order. */
  set_status_filter (1 + FR_FOLLOWUP_IN_SUPPORT);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  set_status_filter (1 + FR_FOLLOWUP_NEW);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);
  set_status_filter (0);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);

  /* Restart: a new session and window, as a new process would have. */
  gtk_window_destroy (GTK_WINDOW (t.window));
  g_clear_object (&t.session);
  t.session = fr_inbox_session_new ();
  t.window = fr_inbox_window_new (NULL, t.session);
  gtk_window_present (GTK_WINDOW (t.window));
  g_assert_cmpstr (fr_inbox_window_get_page (t.window), ==, "locked");
  type_passphrase_and_unlock (PASSPHRASE);
  g_assert_false (fr_inbox_session_get_locked (t.session));
  g_assert_true (tree_contains (GTK_WIDGET (t.window), "In support · 27 days of reflection left"));
  g_assert_true (fr_inbox_window_open_record (t.window, t.good_id));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (followup_field ("followup-status"))), ==,
                    FR_FOLLOWUP_IN_SUPPORT);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (followup_field ("followup-first-contact"))), ==, today);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (followup_field ("followup-reflection-start"))), ==, start);
  notes = notes_text ();
  g_assert_cmpstr (notes, ==, note);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* A count from the queue's database, read beside the running queue. */
static int
queue_db_count (const char *sql,
                const char *id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int count;

  g_assert_cmpint (sqlite3_open_v2 (t.w.db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

static gboolean
ack_done (gpointer data)
{
  return !fr_inbox_window_is_acknowledging (t.window);
}

static void
test_export_pdf (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (t.dir, "case-file", NULL);
  g_autofree char *path = g_build_filename (dir, "record.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *bytes = NULL;
  gsize len = 0;
  struct stat st;
  g_auto(FrTestRun) run;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (fr_inbox_window_open_record (t.window, t.good_id));
  g_assert_true (fr_inbox_window_export_to (t.window, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &bytes, &len, &error));
  g_assert_cmpuint (len, >, 5);
  g_assert_cmpmem (bytes, 5, "%PDF-", 5);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  /* Its text: the receipt, the person's words, the contact warning and the follow-up. */
  fr_test_run_tool (&run, "FRISTAD_PDFTOTEXT", path, "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, t.good_receipt));
  g_assert_nonnull (strstr (run.out, t.canary));
  g_assert_nonnull (strstr (run.out, "Do not leave a voicemail."));
  g_assert_nonnull (strstr (run.out, "In support"));
  g_assert_nonnull (strstr (run.out, "NOTE-CANARY-"));
  fr_test_remove_tree (dir);
}

static void
test_acknowledge (void)
{
  AdwMessageDialog *dialog;
  const char *status;

  g_assert_true (fr_inbox_window_open_record (t.window, t.good_id));
  /* Cancel: nothing is sent. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t.window), "win.ack", NULL));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), t.good_receipt));
  screenshot ("inbox-acknowledge");
  adw_message_dialog_response (dialog, "cancel");
  fr_test_wait_ms (100);
  g_assert_false (fr_inbox_window_is_acknowledging (t.window));
  status = fr_inbox_window_get_status (t.window);
  g_assert_true (status == NULL || strstr (status, "acknowledged") == NULL);
  g_assert_cmpint (queue_db_count ("SELECT count(*) FROM envelopes WHERE id = ?1", t.good_id), ==, 1);

  /* Confirmed: the queue deletes it; the inbox keeps it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t.window), "win.ack", NULL));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "ack");
  g_assert_true (fr_test_wait_until (ack_done, NULL, 60000, 20));
  status = fr_inbox_window_get_status (t.window);
  g_assert_nonnull (status);
  g_assert_nonnull (strstr (status, "acknowledged: the queue has deleted its copy"));
  g_assert_cmpuint (g_list_model_get_n_items (fr_inbox_window_get_shown (t.window)), ==, 2);
  /* The queue no longer has it, only its tombstone. */
  g_assert_cmpint (queue_db_count ("SELECT count(*) FROM envelopes WHERE id = ?1", t.good_id), ==, 0);
  g_assert_cmpint (queue_db_count ("SELECT count(*) FROM tombstones WHERE id = ?1", t.good_id), ==, 1);
}

static void
test_unreachable (void)
{
  GListModel *shown = fr_inbox_window_get_shown (t.window);
  g_autofree char *before = NULL, *after = NULL;
  const char *status;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strconcat (t.good_id, ".frs", NULL);
  g_autofree char *path = g_build_filename (t.w.inbox, name, NULL);
  gsize len_before = 0, len_after = 0;

  g_assert_true (g_file_get_contents (path, &before, &len_before, &error));
  queue_stop (t.w.queue);
  g_clear_pointer (&t.w.queue, queue_process_free);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t.window), "win.fetch", NULL));
  g_assert_true (fr_test_wait_until (fetch_done, NULL, 60000, 20));
  status = fr_inbox_window_get_status (t.window);
  g_assert_nonnull (status);
  g_assert_nonnull (strstr (status, "The queue cannot be reached"));
  g_assert_nonnull (strstr (status, "Nothing in the inbox has changed."));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
  g_assert_true (g_file_get_contents (path, &after, &len_after, &error));
  g_assert_cmpmem (before, len_before, after, len_after);
  screenshot ("inbox-unreachable");
}

static void
test_lock (void)
{
  FrInboxUnlock *unlock = FR_INBOX_UNLOCK (fr_inbox_window_get_unlock (t.window));
  GtkWidget *view = fr_inbox_window_get_record_view (t.window);

  g_assert_true (fr_inbox_window_open_record (t.window, t.good_id));
  g_assert_true (tree_contains (view, t.canary));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (t.window), "win.lock", NULL));
  g_assert_true (fr_inbox_session_get_locked (t.session));
  g_assert_null (fr_inbox_session_get_key (t.session));
  g_assert_null (fr_inbox_session_get_roster (t.session));
  g_assert_cmpstr (fr_inbox_window_get_page (t.window), ==, "locked");
  g_assert_cmpuint (g_list_model_get_n_items (fr_inbox_window_get_shown (t.window)), ==, 0);
  g_assert_false (tree_contains (GTK_WIDGET (t.window), t.canary));
  g_assert_false (tree_contains (GTK_WIDGET (t.window), t.good_receipt));
  /* Nothing to do without the passphrase: the key file is remembered, the passphrase not. */
  g_assert_cmpstr (fr_inbox_session_get_key_path (t.session), ==, t.w.key);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (t.window), "win.fetch", NULL)
                  && !fr_inbox_session_get_locked (t.session));
  type_passphrase_and_unlock ("");
  g_assert_cmpstr (fr_inbox_unlock_get_error (unlock), ==, "Enter the passphrase of your staff key.");
  g_assert_true (fr_inbox_session_get_locked (t.session));
  screenshot ("inbox-locked");
  /* And the passphrase opens it again, with the inbox as it was. */
  type_passphrase_and_unlock (PASSPHRASE);
  g_assert_false (fr_inbox_session_get_locked (t.session));
  g_assert_cmpuint (g_list_model_get_n_items (fr_inbox_window_get_shown (t.window)), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* GLib reads these once: before anything asks for them. */
  t.dir = queue_tmpdir ();
  g_setenv ("XDG_CONFIG_HOME", t.dir, TRUE);
  g_setenv ("XDG_DATA_HOME", t.dir, TRUE);
  /* The ui suite draws with cairo; without this GTK 4.8 on X11 still loads the GL driver
   * at start to pick a visual, and Mesa's DRI driver leaks 128 bytes from a module it
   * unloads before LeakSanitizer reports (<unknown module>, none of it ours). */
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());
  gtk_init ();
  adw_init ();
  fr_inbox_ui_init ();
  world_setup ();

  g_test_add_func ("/inbox/unlock/wrong-passphrase", test_wrong_passphrase);
  g_test_add_func ("/inbox/fetch/list-and-refused", test_fetch);
  g_test_add_func ("/inbox/record/canary", test_open_record);
  g_test_add_func ("/inbox/search/receipt", test_search);
  g_test_add_func ("/inbox/followup/survives-restart", test_followup_restart);
  g_test_add_func ("/inbox/export/pdf", test_export_pdf);
  g_test_add_func ("/inbox/acknowledge/confirmed", test_acknowledge);
  g_test_add_func ("/inbox/unreachable/inbox-intact", test_unreachable);
  g_test_add_func ("/inbox/lock/wipes-key", test_lock);
  status = g_test_run ();
  world_teardown ();
  return status;
}
