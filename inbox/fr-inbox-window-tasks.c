/* fr-inbox-window-tasks.c — what the inbox window does with the queue and a record
 *
 * Fetch and Acknowledge each run in a worker thread with the worker's own guarded copy
 * of the key (fr_inbox_client_new), wiped as soon as the request ends; a lock cancels
 * them. Export writes the open record and its follow-up as a PDF where the user says.
 */
#define G_LOG_DOMAIN "fristad-inbox"

#include "config.h"

#include "fr-inbox-i18n.h"

#include "fr-inbox-followup.h"
#include "fr-inbox-item.h"
#include "fr-inbox-pdf.h"
#include "fr-inbox-record-view.h"
#include "fr-inbox-window-private.h"

/* ---- the queue ---- */

/* The queue client a worker takes, with its own guarded copy of the key; %NULL, with the
 * reason in the status line, if no queue is configured, if @need_roster and the roster
 * is empty, or if the client cannot be made. */
static FrInboxClient *
new_worker_client (FrInboxWindow *self,
                   gboolean       need_roster)
{
  g_autoptr(GError) error = NULL;
  FrInboxClient *client;

  if (fr_inbox_session_get_server (self->session) == NULL)
    {
      _fr_inbox_window_set_status (self, _("No queue is configured: set server= (and ca=) in ~/.config/fristad/inbox.conf."), TRUE);
      return NULL;
    }
  if (need_roster && fr_roster_get_n_kiosks (fr_inbox_session_get_roster (self->session)) == 0)
    {
      _fr_inbox_window_set_status (self, _("Your kiosk roster is empty, so every record would be refused. Import it with “fristad-staff kiosks import”."), TRUE);
      return NULL;
    }
  client = fr_inbox_client_new (fr_inbox_session_get_server (self->session), fr_inbox_session_get_ca (self->session),
                                fr_inbox_session_get_key (self->session), fr_inbox_session_get_roster (self->session),
                                &error);
  if (client == NULL)
    {
      g_autofree char *safe = fr_escape_text (error->message, -1);

      _fr_inbox_window_set_status (self, safe, TRUE);
    }
  return client;
}

/* Ends a worker: its copy of the key is wiped as soon as the request is done, then the
 * result (TRUE, or @error) goes to the main thread. */
static void
worker_return (GTask          *task,
               FrInboxClient **client,
               gboolean        ok,
               GError         *error)
{
  g_clear_pointer (client, fr_inbox_client_free);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* ---- fetch ---- */

typedef struct
{
  FrInboxClient      *client;
  char               *inbox;
  GMutex              lock;
  GPtrArray          *refused;   /* "ID: reason" lines, no record content */
  FrInboxFetchCounts  counts;
  GTask              *task;      /* not a reference: the task owns this */
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  fr_inbox_client_free (data->client);
  g_free (data->inbox);
  g_mutex_clear (&data->lock);
  g_ptr_array_unref (data->refused);
  g_free (data);
}

static void
fetch_refused (const char   *id,
               const GError *reason,
               gpointer      user_data)
{
  FetchData *data = user_data;
  const char *name = reason->domain == FR_ERROR ? fr_error_code_name (reason->code) : NULL;

  g_mutex_lock (&data->lock);
  g_ptr_array_add (data->refused, g_strdup_printf ("%s (%s)", id, name ? name : "refused"));
  g_mutex_unlock (&data->lock);
}

/* Each update holds the task (and so the window) until the main thread has shown it. */
typedef struct
{
  GTask              *task;
  FrInboxFetchCounts  counts;
} ProgressUpdate;

static gboolean
show_progress (gpointer user_data)
{
  ProgressUpdate *update = user_data;
  FrInboxWindow *self = g_task_get_source_object (update->task);

  if (!g_task_get_completed (update->task) && self->fetch_cancellable != NULL
      && g_task_get_cancellable (update->task) == self->fetch_cancellable)
    {
      /* Translators: progress of a fetch: %u envelopes looked at so far, %u of them new */
      g_autofree char *text = g_strdup_printf (_("%u looked at, %u new"), update->counts.listed, update->counts.fetched);

      gtk_progress_bar_pulse (self->progress);
      gtk_progress_bar_set_text (self->progress, text);
    }
  g_object_unref (update->task);
  g_free (update);
  return G_SOURCE_REMOVE;
}

static void
fetch_progress (const FrInboxFetchCounts *counts,
                gpointer                  user_data)
{
  FetchData *data = user_data;
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

  update->task = g_object_ref (data->task);
  update->counts = *counts;
  g_main_context_invoke (NULL, show_progress, update);
}

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  FetchData *data = task_data;
  GError *error = NULL;

  gboolean ok = fr_inbox_fetch (data->client, data->inbox, fetch_refused, fetch_progress, data, cancellable,
                                &data->counts, &error);

  worker_return (task, &data->client, ok, error);
}

static void
fetch_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FrInboxWindow *self = FR_INBOX_WINDOW (object);
  FetchData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* locked meanwhile */
  g_clear_object (&self->fetch_cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.fetch", TRUE);
  if (fr_inbox_session_get_locked (self->session))
    return;

  if (!ok)
    {
      g_autofree char *safe = fr_escape_text (error->message, -1);

      if (g_error_matches (error, FR_ERROR, FR_ERROR_NETWORK))
        /* Translators: %s is the transport error, in English */
        g_string_append_printf (text, _("The queue cannot be reached (%s). Nothing in the inbox has changed."), safe);
      else
        /* Translators: %s names what was wrong, in English */
        g_string_append_printf (text, _("The fetch stopped: %s. What was fetched before is kept."), safe);
    }
  else
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Fetched %u new record.", "Fetched %u new records.",
                                               data->counts.fetched), data->counts.fetched);
  if (data->refused->len > 0)
    {
      g_string_append (text, " ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u envelope refused — not from a kiosk in your roster, or not intact:",
                                                 "%u envelopes refused — not from a kiosk in your roster, or not intact:",
                                                 data->refused->len), data->refused->len);
      for (guint i = 0; i < data->refused->len; i++)
        g_string_append_printf (text, " %s", (const char *) g_ptr_array_index (data->refused, i));
    }
  _fr_inbox_window_reload_list (self);
  _fr_inbox_window_set_status (self, text->str, !ok || data->refused->len > 0);
}

void
_fr_inbox_window_fetch_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  FrInboxWindow *self = FR_INBOX_WINDOW (widget);
  g_autoptr(GTask) task = NULL;
  FetchData *data;
  FrInboxClient *client;

  if (self->fetch_cancellable != NULL || fr_inbox_session_get_locked (self->session))
    return;
  client = new_worker_client (self, TRUE);
  if (client == NULL)
    return;
  data = g_new0 (FetchData, 1);
  data->client = client;
  data->inbox = g_strdup (fr_inbox_session_get_inbox_dir (self->session));
  g_mutex_init (&data->lock);
  data->refused = g_ptr_array_new_with_free_func (g_free);

  self->fetch_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->fetch_cancellable, fetch_done_cb, NULL);
  data->task = task;
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);
  gtk_widget_action_set_enabled (widget, "win.fetch", FALSE);
  gtk_progress_bar_set_text (self->progress, _("Connecting to the queue…"));
  gtk_widget_set_visible (GTK_WIDGET (self->progress), TRUE);
  _fr_inbox_window_set_status (self, NULL, FALSE);
  g_task_run_in_thread (task, fetch_thread);
}

/* ---- acknowledge ---- */

typedef struct
{
  FrInboxClient *client;
  char           id[FR_UUID_STRING_LEN + 1];
  char           receipt[FR_RECEIPT_STRING_LEN + 1];
} AckData;

static void
ack_data_free (AckData *data)
{
  fr_inbox_client_free (data->client);
  g_free (data);
}

static void
ack_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  AckData *data = task_data;
  GError *error = NULL;
  gboolean ok = fr_inbox_ack (data->client, data->id, &error);

  worker_return (task, &data->client, ok, error);
}

static void
ack_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  FrInboxWindow *self = FR_INBOX_WINDOW (object);
  AckData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (g_task_get_cancellable (G_TASK (result)) != self->ack_cancellable)
    return;   /* locked meanwhile */
  g_clear_object (&self->ack_cancellable);
  _fr_inbox_window_set_open_item (self, self->open_item);
  if (ok)
    {
      /* Translators: %s is the record's receipt code */
      g_autofree char *text = g_strdup_printf (_("Record %s acknowledged: the queue has deleted its copy. It stays in your inbox."),
                                               data->receipt);

      g_message ("acknowledged %s", data->id);
      _fr_inbox_window_set_status (self, text, FALSE);
    }
  else
    {
      g_autofree char *safe = fr_escape_text (error->message, -1);
      /* Translators: %s is the record's receipt code, then what was wrong, in English */
      g_autofree char *text = g_strdup_printf (_("Record %s was not acknowledged: %s. The queue keeps it."),
                                               data->receipt, safe);

      _fr_inbox_window_set_status (self, text, TRUE);
    }
}

static void
ack_response_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 FrInboxWindow    *self)
{
  g_autoptr(GTask) task = NULL;
  FrInboxClient *client;
  AckData *data;

  if (!g_str_equal (response, "ack") || self->open_item == NULL || self->ack_cancellable != NULL
      || fr_inbox_session_get_locked (self->session))
    return;
  client = new_worker_client (self, FALSE);
  if (client == NULL)
    return;
  data = g_new0 (AckData, 1);
  data->client = client;
  g_strlcpy (data->id, fr_inbox_item_get_id (self->open_item), sizeof data->id);
  g_strlcpy (data->receipt, fr_inbox_item_get_receipt (self->open_item), sizeof data->receipt);
  self->ack_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->ack_cancellable, ack_done_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) ack_data_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.ack", FALSE);
  _fr_inbox_window_set_status (self, _("Acknowledging…"), FALSE);
  g_task_run_in_thread (task, ack_thread);
}

void
_fr_inbox_window_ack_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  FrInboxWindow *self = FR_INBOX_WINDOW (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->open_item == NULL || self->ack_cancellable != NULL || fr_inbox_session_get_locked (self->session))
    return;
  /* Translators: %s is the record's receipt code */
  heading = g_strdup_printf (_("Acknowledge Record %s?"), fr_inbox_item_get_receipt (self->open_item));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("The queue deletes its copy and will not offer the record again. "
                                     "The record stays in your inbox, encrypted, with its follow-up."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "ack", _("_Acknowledge"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ack", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (ack_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- export ---- */

gboolean
fr_inbox_window_export_to (FrInboxWindow *self,
                           GFile         *file,
                           GError       **error)
{
  FrInboxFollowup *editor;

  g_return_val_if_fail (FR_IS_INBOX_WINDOW (self), FALSE);

  if (self->open_item == NULL || fr_inbox_session_get_locked (self->session))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no record is open");
      return FALSE;
    }
  editor = FR_INBOX_FOLLOWUP (fr_inbox_record_view_get_followup (self->record_view));
  return fr_inbox_pdf_write (fr_inbox_record_view_get_body (self->record_view),
                             fr_inbox_item_get_receipt (self->open_item), fr_inbox_followup_get (editor), file, error);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    FrInboxWindow   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;
      g_autofree char *name = file ? g_file_get_parse_name (file) : NULL;

      if (file != NULL && fr_inbox_window_export_to (self, file, &error))
        {
          /* Translators: %s is where the PDF was saved */
          g_autofree char *text = g_strdup_printf (_("Saved the record as %s."), name);

          _fr_inbox_window_set_status (self, text, FALSE);
        }
      else if (file != NULL)
        {
          g_autofree char *safe = fr_escape_text (error->message, -1);
          /* Translators: %s names what was wrong, in English */
          g_autofree char *text = g_strdup_printf (_("The PDF was not saved: %s"), safe);

          _fr_inbox_window_set_status (self, text, TRUE);
        }
    }
  g_clear_object (&self->export_chooser);
}

void
_fr_inbox_window_export_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  FrInboxWindow *self = FR_INBOX_WINDOW (widget);
  g_autofree char *name = NULL;

  if (self->open_item == NULL || self->export_chooser != NULL || fr_inbox_session_get_locked (self->session))
    return;
  self->export_chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Export the Record as PDF"), GTK_WINDOW (self),
                                                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                                                         _("_Cancel")));
  /* Translators: the suggested file name of an exported record; %s is its receipt code */
  name = g_strdup_printf (_("record-%s.pdf"), fr_inbox_item_get_receipt (self->open_item));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_chooser), name);
  gtk_native_dialog_set_modal (self->export_chooser, TRUE);
  g_signal_connect (self->export_chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (self->export_chooser);
}
