/* fr-inbox-window.c — the inbox window
 *
 * Locked: the unlock screen. Unlocked: the list (newest first, search by receipt code,
 * filter by follow-up status) beside the open record and its follow-up; the open record
 * can be acknowledged on the queue (after a confirmation) and exported as a PDF to a place
 * the user picks. Fetch runs in a worker thread with its own guarded copy of the
 * key (fr_inbox_client_new), reports progress, and reloads the list when done; a queue
 * that cannot be reached leaves the inbox as it was and says so. Locking (on demand,
 * after the idle time, when the desktop session locks) wipes the key, drops the list and
 * the open record, and cancels a fetch in progress.
 *
 * This file has the window, its list and locking; fr-inbox-window-tasks.c has fetch,
 * acknowledge and export.
 */
#define G_LOG_DOMAIN "fristad-inbox"

#include "config.h"

#include "fr-inbox-i18n.h"

#include "fr-content.h"
#include "fr-inbox-followup.h"
#include "fr-inbox-item.h"
#include "fr-inbox-record-view.h"
#include "fr-inbox-unlock.h"
#include "fr-inbox-window-private.h"
#include "fr-site.h"

#define IDLE_CHECK_SECONDS 5

G_DEFINE_FINAL_TYPE (FrInboxWindow, fr_inbox_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- status line ---- */

void
_fr_inbox_window_set_status (FrInboxWindow *self,
                             const char    *text,
                             gboolean       is_error)
{
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

/* ---- the list ---- */

static const char *
need_label (FrInboxWindow *self,
            const char    *id)
{
  const FrQuestion *question = self->content ? fr_content_get_question (self->content, self->staff_lang, "needs") : NULL;

  if (question != NULL)
    for (guint i = 0; i < question->n_options; i++)
      if (g_str_equal (question->options[i].id, id))
        return question->options[i].label;
  return id;
}

static GtkWidget *
row_label (GtkBox     *box,
           const char *text,
           const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  gtk_box_append (box, label);
  return label;
}

/* "In support · 12 days of reflection left" */
static char *
followup_summary (FrInboxItem *item)
{
  FrFollowup probe = { .reflection_start = fr_inbox_item_get_reflection_start (item) };
  g_autofree char *reflection = fr_inbox_followup_reflection_text (&probe, fr_followup_today ());

  if (!fr_inbox_item_get_followup_ok (item))
    return g_strdup (_("Follow-up does not open"));
  if (reflection == NULL)
    return g_strdup (fr_inbox_followup_status_label (fr_inbox_item_get_status (item)));
  /* Translators: a record's follow-up status · days left of its reflection period */
  return g_strdup_printf (_("%s · %s"), fr_inbox_followup_status_label (fr_inbox_item_get_status (item)), reflection);
}

static GtkWidget *
create_row (gpointer item_ptr,
            gpointer user_data)
{
  FrInboxWindow *self = user_data;
  FrInboxItem *item = item_ptr;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (fr_inbox_item_get_received_at (item));
  g_autofree char *when_str = g_date_time_format (when, "%Y-%m-%d %H:%M");
  g_autofree char *accessible = NULL;
  GtkWidget *receipt;

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), top);
  receipt = row_label (GTK_BOX (top), fr_inbox_item_get_receipt (item), "heading");
  gtk_widget_set_hexpand (receipt, TRUE);
  if (fr_inbox_item_get_not_safe (item))
    {
      /* Translators: a mark in the list: the person said they are not safe right now */
      GtkWidget *mark = row_label (GTK_BOX (top), _("⚠ NOT SAFE NOW"), "error");

      gtk_widget_add_css_class (mark, "heading");
      gtk_widget_set_name (mark, "not-safe-mark");
    }
  row_label (GTK_BOX (top), when_str, "dim-label");

  if (fr_inbox_item_is_refused (item))
    {
      /* Translators: a refused envelope in the list; %s is the reason, e.g. unknown-kiosk,
       * and %s the kiosk's key id */
      g_autofree char *text = g_strdup_printf (_("Refused: %s (kiosk %s)"), fr_inbox_item_get_reason (item),
                                               fr_inbox_item_get_kiosk (item));
      GtkWidget *label = row_label (GTK_BOX (box), text, "warning");

      gtk_widget_set_name (label, "refused");
      /* Translators: accessible name of a refused envelope's row; %s its receipt code */
      accessible = g_strdup_printf (_("Refused envelope %s"), fr_inbox_item_get_receipt (item));
    }
  else
    {
      g_auto(GStrv) needs = g_strsplit (fr_inbox_item_get_needs (item), "\n", -1);
      g_autoptr(GString) needs_text = g_string_new (NULL);
      /* Translators: site · channel · language of a record in the list */
      g_autofree char *meta = g_strdup_printf (_("%s · %s · %s"), fr_inbox_item_get_site (item),
                                               fr_inbox_item_get_channel (item), fr_inbox_item_get_language (item));

      row_label (GTK_BOX (box), meta, "dim-label");
      for (guint i = 0; needs[i] != NULL; i++)
        if (*needs[i] != '\0')
          g_string_append_printf (needs_text, "%s%s", needs_text->len ? ", " : "", need_label (self, needs[i]));
      if (needs_text->len > 0)
        row_label (GTK_BOX (box), needs_text->str, NULL);
      {
        g_autofree char *followup = followup_summary (item);
        GtkWidget *label = row_label (GTK_BOX (box), followup, fr_inbox_item_get_followup_ok (item) ? "caption" : "error");

        gtk_widget_set_name (label, "followup-summary");
      }
      /* Translators: accessible name of a record's row; %s its receipt code */
      accessible = fr_inbox_item_get_not_safe (item)
                   ? g_strdup_printf (_("Record %s, not safe right now"), fr_inbox_item_get_receipt (item))
                   : g_strdup_printf (_("Record %s"), fr_inbox_item_get_receipt (item));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "fr-inbox-item", g_object_ref (item), g_object_unref);
  return row;
}

static gboolean
filter_item (gpointer item,
             gpointer user_data)
{
  FrInboxWindow *self = user_data;
  guint wanted = gtk_drop_down_get_selected (self->status_filter);

  /* 0 is every status; then the statuses in order. Refused envelopes have none. */
  if (wanted != 0 && wanted != GTK_INVALID_LIST_POSITION
      && (fr_inbox_item_is_refused (item) || !fr_inbox_item_get_followup_ok (item)
          || (guint) fr_inbox_item_get_status (item) != wanted - 1))
    return FALSE;
  return fr_inbox_item_matches_receipt (item, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
search_changed_cb (FrInboxWindow *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

void
_fr_inbox_window_reload_list (FrInboxWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) store = NULL;
  guint unreadable = 0;

  store = fr_inbox_item_load_all (fr_inbox_session_get_inbox_dir (self->session),
                                  fr_inbox_session_get_key (self->session),
                                  fr_inbox_session_get_roster (self->session), &unreadable, &error);
  if (store == NULL)
    {
      g_autofree char *safe = fr_escape_text (error->message, -1);
      /* Translators: %s names what was wrong, in English */
      g_autofree char *text = g_strdup_printf (_("Cannot read the inbox: %s"), safe);

      _fr_inbox_window_set_status (self, text, TRUE);
      return;
    }
  g_list_store_remove_all (self->store);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_list_store_append (self->store, item);
    }
  if (unreadable > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u record in the inbox does not open with your key and roster.",
                                                            "%u records in the inbox do not open with your key and roster.",
                                                            unreadable), unreadable);

      _fr_inbox_window_set_status (self, text, TRUE);
    }
}

/* The record shown: what Acknowledge and Export act on. */
void
_fr_inbox_window_set_open_item (FrInboxWindow *self,
                                FrInboxItem   *item)
{
  g_set_object (&self->open_item, item);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.ack", item != NULL && self->ack_cancellable == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", item != NULL);
}

static void
row_activated_cb (FrInboxWindow *self,
                  GtkListBoxRow *row)
{
  FrInboxItem *item = g_object_get_data (G_OBJECT (row), "fr-inbox-item");
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  g_autoptr(GError) error = NULL;

  if (item == NULL || fr_inbox_session_get_locked (self->session))
    return;
  _fr_inbox_window_set_open_item (self, NULL);
  if (fr_inbox_item_is_refused (item))
    {
      fr_inbox_record_view_clear (self->record_view);
      return;
    }
  opened = fr_inbox_open (fr_inbox_session_get_inbox_dir (self->session), fr_inbox_item_get_id (item),
                          fr_inbox_session_get_key (self->session), fr_inbox_session_get_roster (self->session),
                          &error);
  if (opened == NULL)
    {
      g_autofree char *safe = fr_escape_text (error->message, -1);

      fr_inbox_record_view_clear (self->record_view);
      _fr_inbox_window_set_status (self, safe, TRUE);
      return;
    }
  fr_inbox_record_view_show (self->record_view, opened, fr_inbox_item_get_received_at (item), self->content,
                             self->staff_lang);
  fr_inbox_followup_load (FR_INBOX_FOLLOWUP (fr_inbox_record_view_get_followup (self->record_view)), self->session,
                          fr_inbox_item_get_id (item));
  _fr_inbox_window_set_open_item (self, item);
}

/* A follow-up was saved: its row shows the new status and days left. */
static void
followup_saved_cb (FrInboxWindow   *self,
                   FrInboxFollowup *editor)
{
  const FrFollowup *followup = fr_inbox_followup_get (editor);
  char id[FR_UUID_STRING_LEN + 1];
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  if (followup == NULL)
    return;
  fr_uuid_format (followup->record_id, id);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FrInboxItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (!g_str_equal (fr_inbox_item_get_id (item), id))
        continue;
      fr_inbox_item_set_followup (item, followup);
      /* The row is made again; it stays the selected one without opening the record anew. */
      self->reselecting = TRUE;
      g_list_store_splice (self->store, i, 1, (gpointer *) &item, 1);
      for (guint r = 0;; r++)
        {
          GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, (int) r);

          if (row == NULL)
            break;
          if (g_object_get_data (G_OBJECT (row), "fr-inbox-item") == (gpointer) item)
            {
              gtk_list_box_select_row (self->list, row);
              break;
            }
        }
      self->reselecting = FALSE;
      break;
    }
}

static void
row_selected_cb (FrInboxWindow *self,
                 GtkListBoxRow *row)
{
  if (row != NULL && !self->reselecting)
    row_activated_cb (self, row);
}

/* ---- locking ---- */

static void
show_page (FrInboxWindow *self)
{
  gboolean locked = fr_inbox_session_get_locked (self->session);

  gtk_stack_set_visible_child_name (self->pages, locked ? "locked" : "inbox");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.fetch", !locked && self->fetch_cancellable == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", !locked);
  if (locked)
    {
      if (self->fetch_cancellable != NULL)
        {
          g_cancellable_cancel (self->fetch_cancellable);
          g_clear_object (&self->fetch_cancellable);
          gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
        }
      if (self->ack_cancellable != NULL)
        {
          g_cancellable_cancel (self->ack_cancellable);
          g_clear_object (&self->ack_cancellable);
        }
      if (self->export_chooser != NULL)
        gtk_native_dialog_destroy (self->export_chooser);
      g_clear_object (&self->export_chooser);
      _fr_inbox_window_set_open_item (self, NULL);
      fr_inbox_record_view_clear (self->record_view);
      g_list_store_remove_all (self->store);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_drop_down_set_selected (self->status_filter, 0);
      _fr_inbox_window_set_status (self, NULL, FALSE);
      fr_inbox_unlock_reset (self->unlock);
    }
  else
    {
      self->last_activity = g_get_monotonic_time ();
      _fr_inbox_window_reload_list (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
    }
}

static void
locked_changed_cb (FrInboxWindow *self)
{
  show_page (self);
}

void
fr_inbox_window_lock (FrInboxWindow *self)
{
  g_return_if_fail (FR_IS_INBOX_WINDOW (self));
  fr_inbox_session_lock (self->session);
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  fr_inbox_window_lock (FR_INBOX_WINDOW (widget));
}

static void
activity_cb (FrInboxWindow *self)
{
  self->last_activity = g_get_monotonic_time ();
}

static gboolean
key_activity_cb (FrInboxWindow *self)
{
  activity_cb (self);
  return GDK_EVENT_PROPAGATE;
}

static gboolean
idle_check_cb (gpointer user_data)
{
  FrInboxWindow *self = user_data;
  gint64 limit = (gint64) fr_inbox_session_get_idle_minutes (self->session) * 60 * G_USEC_PER_SEC;

  if (!fr_inbox_session_get_locked (self->session) && g_get_monotonic_time () - self->last_activity > limit)
    {
      g_message ("locked after %u idle minutes", fr_inbox_session_get_idle_minutes (self->session));
      fr_inbox_session_lock (self->session);
    }
  return G_SOURCE_CONTINUE;
}

static void
screensaver_cb (FrInboxWindow  *self,
                GParamSpec     *pspec,
                GtkApplication *application)
{
  gboolean active = FALSE;

  g_object_get (application, "screensaver-active", &active, NULL);
  if (active)
    fr_inbox_session_lock (self->session);
}

/* ---- the rest ---- */

static char *
pick_staff_language (const FrContent *content)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; content != NULL && names[i] != NULL; i++)
    if (fr_content_has_language (content, names[i]))
      return g_strdup (names[i]);
  return g_strdup ("en");
}

static void
fr_inbox_window_dispose (GObject *object)
{
  FrInboxWindow *self = FR_INBOX_WINDOW (object);

  if (self->fetch_cancellable != NULL)
    g_cancellable_cancel (self->fetch_cancellable);
  g_clear_object (&self->fetch_cancellable);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->ack_cancellable != NULL)
    g_cancellable_cancel (self->ack_cancellable);
  g_clear_object (&self->ack_cancellable);
  if (self->export_chooser != NULL)
    gtk_native_dialog_destroy (self->export_chooser);
  g_clear_object (&self->export_chooser);
  g_clear_object (&self->open_item);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->filtered);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), FR_TYPE_INBOX_WINDOW);
  G_OBJECT_CLASS (fr_inbox_window_parent_class)->dispose (object);
}

static void
fr_inbox_window_finalize (GObject *object)
{
  FrInboxWindow *self = FR_INBOX_WINDOW (object);

  g_clear_pointer (&self->content, fr_content_free);
  g_free (self->staff_lang);
  G_OBJECT_CLASS (fr_inbox_window_parent_class)->finalize (object);
}

static void
fr_inbox_window_class_init (FrInboxWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fr_inbox_window_dispose;
  object_class->finalize = fr_inbox_window_finalize;

  g_type_ensure (FR_TYPE_INBOX_UNLOCK);
  g_type_ensure (FR_TYPE_INBOX_RECORD_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/se/fristad/Inbox/fr-inbox-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FrInboxWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, FrInboxWindow, unlock);
  gtk_widget_class_bind_template_child (widget_class, FrInboxWindow, fetch_button);
  gtk_widget_class_bind_template_child (widget_class, FrInboxWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FrInboxWindow, status_filter);
  gtk_widget_class_bind_template_child (widget_class, FrInboxWindow, progress);
  gtk_widget_class_bind_template_child (widget_class, FrInboxWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, FrInboxWindow, list);
  gtk_widget_class_bind_template_child (widget_class, FrInboxWindow, record_view);

  gtk_widget_class_install_action (widget_class, "win.fetch", NULL, _fr_inbox_window_fetch_action);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "win.ack", NULL, _fr_inbox_window_ack_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, _fr_inbox_window_export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.fetch", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lock", NULL);
}

static void
fr_inbox_window_init (FrInboxWindow *self)
{
  g_autoptr(GError) error = NULL;
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.ack", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", FALSE);

  self->content = fr_content_load (fr_site_shipped_content_dir (), NULL, &error);
  if (self->content == NULL)
    g_message ("the form's labels are not available (%s); question ids are shown instead", error->message);
  self->staff_lang = pick_staff_language (self->content);

  self->store = g_list_store_new (FR_TYPE_INBOX_ITEM);
  self->filter = gtk_custom_filter_new (filter_item, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)), GTK_FILTER (self->filter));
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->filtered), create_row, self, NULL);
  g_signal_connect_swapped (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);
  g_signal_connect_swapped (self->list, "row-selected", G_CALLBACK (row_selected_cb), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  {
    g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);

    /* Translators: the status filter's first choice */
    gtk_string_list_append (statuses, _("All Statuses"));
    for (guint i = 0; i < FR_FOLLOWUP_N_STATUS; i++)
      gtk_string_list_append (statuses, fr_inbox_followup_status_label (i));
    gtk_drop_down_set_model (self->status_filter, G_LIST_MODEL (statuses));
    gtk_drop_down_set_selected (self->status_filter, 0);
    g_signal_connect_swapped (self->status_filter, "notify::selected", G_CALLBACK (search_changed_cb), self);
  }
  g_signal_connect_swapped (fr_inbox_record_view_get_followup (self->record_view), "saved",
                            G_CALLBACK (followup_saved_cb), self);

  /* Any key, click or pointer movement counts as activity for the idle lock. */
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "key-pressed", G_CALLBACK (key_activity_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  controller = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (activity_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (controller, "pressed", G_CALLBACK (activity_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  self->idle_source = g_timeout_add_seconds (IDLE_CHECK_SECONDS, idle_check_cb, self);
}

FrInboxWindow *
fr_inbox_window_new (GtkApplication *application,
                     FrInboxSession *session)
{
  FrInboxWindow *self = g_object_new (FR_TYPE_INBOX_WINDOW, "application", application, NULL);

  self->session = g_object_ref (session);
  fr_inbox_unlock_set_session (self->unlock, session);
  g_signal_connect_swapped (session, "notify::locked", G_CALLBACK (locked_changed_cb), self);
  if (application != NULL)
    g_signal_connect_object (application, "notify::screensaver-active", G_CALLBACK (screensaver_cb), self,
                             G_CONNECT_SWAPPED);
  show_page (self);
  return self;
}

gboolean
fr_inbox_window_is_fetching (FrInboxWindow *self)
{
  return self->fetch_cancellable != NULL;
}

const char *
fr_inbox_window_get_status (FrInboxWindow *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->status_label)) ? gtk_label_get_text (self->status_label) : NULL;
}

GListModel *
fr_inbox_window_get_shown (FrInboxWindow *self)
{
  return G_LIST_MODEL (self->filtered);
}

/* Selects the row of record @id (as a click would) and opens it. */
gboolean
fr_inbox_window_open_record (FrInboxWindow *self,
                             const char    *id)
{
  for (guint i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, (int) i);
      FrInboxItem *item;

      if (row == NULL)
        return FALSE;
      item = g_object_get_data (G_OBJECT (row), "fr-inbox-item");
      if (g_str_equal (fr_inbox_item_get_id (item), id))
        {
          gtk_list_box_select_row (self->list, row);
          gtk_widget_activate (GTK_WIDGET (row));
          return TRUE;
        }
    }
}

GtkWidget *fr_inbox_window_get_unlock (FrInboxWindow *self) { return GTK_WIDGET (self->unlock); }
GtkWidget *fr_inbox_window_get_record_view (FrInboxWindow *self) { return GTK_WIDGET (self->record_view); }
GtkWidget *fr_inbox_window_get_search_entry (FrInboxWindow *self) { return GTK_WIDGET (self->search_entry); }
GtkWidget *fr_inbox_window_get_status_filter (FrInboxWindow *self) { return GTK_WIDGET (self->status_filter); }
const char *fr_inbox_window_get_page (FrInboxWindow *self) { return gtk_stack_get_visible_child_name (self->pages); }

gboolean fr_inbox_window_is_acknowledging (FrInboxWindow *self) { return self->ack_cancellable != NULL; }
