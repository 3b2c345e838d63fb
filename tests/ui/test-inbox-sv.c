/* test-inbox-sv.c — fristad-inbox speaks Swedish: with LANGUAGE=sv and the inbox's own
 * catalogue (gettext domain "fristad-inbox", inbox/po), the locked screen, the inbox, the
 * empty record view, the follow-up editor and the status filter are in Swedish and none
 * of their English strings is left; the catalogue itself is complete (msgfmt --check
 * --statistics: no untranslated or fuzzy message). */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "fr-inbox-application.h"
#include "fr-inbox-i18n.h"
#include "fr-inbox-record-view.h"
#include "fr-inbox-unlock.h"
#include "fr-inbox-window.h"
#include "fr-test-util.h"

#define PASSPHRASE "inbox test passphrase"

static char *dir;

/* Every text a person sees or hears in @root: labels, editables, buttons' and rows'
 * titles, tooltips, and the items of drop-downs and combo rows. */
static void
collect_texts (GtkWidget *root,
               GString   *out)
{
  const char *tooltip = gtk_widget_get_tooltip_text (root);

  if (GTK_IS_LABEL (root))
    g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (root)));
  if (ADW_IS_PREFERENCES_ROW (root))
    g_string_append_printf (out, "%s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)));
  if (ADW_IS_PREFERENCES_GROUP (root))
    g_string_append_printf (out, "%s\n%s\n", adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (root)),
                            adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (root)));
  if (ADW_IS_STATUS_PAGE (root))
    g_string_append_printf (out, "%s\n%s\n", adw_status_page_get_title (ADW_STATUS_PAGE (root)),
                            adw_status_page_get_description (ADW_STATUS_PAGE (root)));
  if (GTK_IS_DROP_DOWN (root) || ADW_IS_COMBO_ROW (root))
    {
      GListModel *model = GTK_IS_DROP_DOWN (root) ? gtk_drop_down_get_model (GTK_DROP_DOWN (root))
                                                  : adw_combo_row_get_model (ADW_COMBO_ROW (root));

      for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

          g_string_append_printf (out, "%s\n", gtk_string_object_get_string (item));
        }
    }
  if (tooltip != NULL)
    g_string_append_printf (out, "%s\n", tooltip);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    collect_texts (child, out);
}

static gboolean
unlock_answered (gpointer data)
{
  return !fr_inbox_unlock_is_busy (FR_INBOX_UNLOCK (data));
}

static gboolean
wait_until (gboolean (*done) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (10000), TRUE);
  return done (data);
}

static void
assert_swedish (GtkWidget          *root,
                const char * const *swedish,
                const char * const *english)
{
  g_autoptr(GString) texts = g_string_new ("\n");

  collect_texts (root, texts);
  for (guint i = 0; swedish[i] != NULL; i++)
    if (strstr (texts->str, swedish[i]) == NULL)
      g_error ("Swedish '%s' is not shown; the texts are:%s", swedish[i], texts->str);
  for (guint i = 0; english[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup_printf ("\n%s\n", english[i]);

      if (strstr (texts->str, line) != NULL)
        g_error ("English '%s' is still shown", english[i]);
    }
}

static void
test_swedish_ui (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_build_filename (dir, "staff.key", NULL);
  g_autofree char *pass = g_build_filename (dir, "pass", NULL);
  g_autoptr(FrInboxSession) session = NULL;
  FrInboxWindow *window;
  GtkWidget *unlock, *entry;
  g_auto(FrTestRun) run;
  static const char * const locked_sv[] = { "Inkorgen är låst", "Din personalnyckel skyddar ärendena",
                                            "Lösenfras", "_Lås upp", "Nyckelfil: staff.key", NULL };
  static const char * const locked_en[] = { "Inbox locked", "Passphrase", "_Unlock", "No key file chosen", NULL };
  static const char * const inbox_sv[] = { "_Hämta", "Alla statusar", "Får stöd", "Avslutad", "Sök på kvittokod",
                                           "Lås inkorgen (Ctrl+L)", "_Kvittera…", "_Exportera PDF…",
                                           "Inget ärende öppet", "Välj ett ärende i listan för att läsa det.",
                                           "Uppföljning", "_Status", "Datum för _första kontakt (ÅÅÅÅ-MM-DD)",
                                           "_Betänketiden börjar (ÅÅÅÅ-MM-DD)", "Inte påbörjad", "_Anteckningar",
                                           "_Spara uppföljning", NULL };
  static const char * const inbox_en[] = { "_Fetch", "All Statuses", "In support", "Closed", "Search by receipt code",
                                           "_Acknowledge…", "_Export PDF…", "No Record Open", "Follow-up",
                                           "_Notes", "_Save Follow-up", "Not started", "Reflection period", NULL };

  g_assert_true (g_file_set_contents (pass, PASSPHRASE "\n", -1, &error));
  fr_test_run_tool (&run, "FRISTAD_STAFF", "keygen", "--out", key, "--passphrase-file", pass, NULL);
  g_assert_cmpint (run.status, ==, 0);

  session = fr_inbox_session_new ();
  window = fr_inbox_window_new (NULL, session);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Fristad inkorg");
  unlock = fr_inbox_window_get_unlock (window);
  g_assert_true (fr_inbox_unlock_use_key_file (FR_INBOX_UNLOCK (unlock), key));
  assert_swedish (unlock, locked_sv, locked_en);

  /* A wrong passphrase is refused in Swedish. */
  {
    GtkWidget *stack[64];
    guint n = 0;

    entry = NULL;
    stack[n++] = unlock;
    while (n > 0 && entry == NULL)
      {
        GtkWidget *w = stack[--n];

        if (g_strcmp0 (gtk_widget_get_name (w), "passphrase") == 0)
          entry = w;
        for (GtkWidget *c = gtk_widget_get_first_child (w); c && n < G_N_ELEMENTS (stack); c = gtk_widget_get_next_sibling (c))
          stack[n++] = c;
      }
  }
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "not the passphrase");
  g_assert_true (gtk_widget_activate_action (unlock, "unlock.unlock", NULL));
  g_assert_true (wait_until (unlock_answered, unlock, 60000));
  g_assert_cmpstr (fr_inbox_unlock_get_error (FR_INBOX_UNLOCK (unlock)), ==, "Fel lösenfras. Inkorgen förblir låst.");

  gtk_editable_set_text (GTK_EDITABLE (entry), PASSPHRASE);
  g_assert_true (gtk_widget_activate_action (unlock, "unlock.unlock", NULL));
  g_assert_true (wait_until (unlock_answered, unlock, 60000));
  g_assert_false (fr_inbox_session_get_locked (session));
  g_assert_cmpstr (fr_inbox_window_get_page (window), ==, "inbox");
  assert_swedish (GTK_WIDGET (window), inbox_sv, inbox_en);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_catalogue_complete (void)
{
  g_autofree char *po = g_build_filename (g_getenv ("FRISTAD_INBOX_PO_DIR"), "sv.po", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *argv[] = { "msgfmt", "--check", "--statistics", "-o", "/dev/null", po, NULL };
  int status = 0;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_environ_unsetenv (g_environ_setenv (g_get_environ (), "LC_ALL", "C", TRUE), "LANGUAGE");

  /* msgfmt's own messages in English, whatever this test's LANGUAGE. */
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "translated message"));
  g_assert_null (strstr (err, "untranslated"));
  g_assert_null (strstr (err, "fuzzy"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  dir = g_dir_make_tmp ("fristad-inbox-sv-XXXXXX", NULL);
  g_assert_nonnull (dir);
  g_setenv ("XDG_CONFIG_HOME", dir, TRUE);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  /* As a Swedish desktop would; C.UTF-8 (always there) so gettext honours LANGUAGE. */
  g_setenv ("LANGUAGE", "sv", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  gtk_disable_setlocale ();
  bindtextdomain (FR_INBOX_GETTEXT_DOMAIN, g_getenv ("FRISTAD_INBOX_LOCALEDIR"));
  bind_textdomain_codeset (FR_INBOX_GETTEXT_DOMAIN, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_assert_true (fr_init ());
  gtk_init ();
  adw_init ();
  fr_inbox_ui_init ();

  g_test_add_func ("/inbox-sv/catalogue-complete", test_catalogue_complete);
  g_test_add_func ("/inbox-sv/ui-in-swedish", test_swedish_ui);
  status = g_test_run ();
  fr_test_remove_tree (dir);
  g_free (dir);
  return status;
}
