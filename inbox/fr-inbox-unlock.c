/* fr-inbox-unlock.c — the locked screen
 *
 * The passphrase is copied out of the GtkPasswordEntry (whose buffer is GTK's
 * non-pageable one) into guarded memory and the entry is cleared at once; the staff key
 * is unlocked in a worker thread (Argon2id). A wrong passphrase says so in one line.
 */
#define G_LOG_DOMAIN "fristad-inbox"

#include "config.h"

#include "fr-inbox-i18n.h"
#include <string.h>

#include "fr-inbox-unlock.h"

struct _FrInboxUnlock
{
  GtkWidget       parent_instance;

  GtkWidget      *status_page;
  GtkLabel       *key_label;
  GtkWidget      *passphrase_entry;
  GtkLabel       *error_label;
  GtkWidget      *unlock_button;
  GtkWidget      *spinner;

  FrInboxSession *session;
  GCancellable   *cancellable;
  GtkNativeDialog *chooser;
  gboolean        busy;
};

G_DEFINE_FINAL_TYPE (FrInboxUnlock, fr_inbox_unlock, GTK_TYPE_WIDGET)

static void
show_error (FrInboxUnlock *self,
            const char    *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_key_label (FrInboxUnlock *self)
{
  const char *path = self->session ? fr_inbox_session_get_key_path (self->session) : NULL;

  if (path == NULL)
    gtk_label_set_text (self->key_label, _("No key file chosen"));
  else
    {
      g_autofree char *base = g_path_get_basename (path);
      /* Translators: %s is the file name of the staff key */
      g_autofree char *text = g_strdup_printf (_("Key file: %s"), base);

      gtk_label_set_text (self->key_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->key_label), path);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "unlock.unlock", path != NULL && !self->busy);
}

static void
set_busy (FrInboxUnlock *self,
          gboolean       busy)
{
  self->busy = busy;
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  /* The entry stays sensitive (insensitive, it would lose focus mid-blink); unlock.unlock
   * is what is disabled while busy. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "unlock.choose-key", !busy);
  update_key_label (self);
}

static void
unlocked_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FrInboxUnlock) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fr_inbox_session_unlock_finish (FR_INBOX_SESSION (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_busy (self, FALSE);
          return;
        }
      if (g_error_matches (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE))
        show_error (self, _("Wrong passphrase. The inbox stays locked."));
      else
        {
          g_autofree char *safe = fr_escape_text (error->message, -1);
          /* Translators: %s names what was wrong (a file, the roster), in English */
          g_autofree char *text = g_strdup_printf (_("Cannot unlock: %s"), safe);

          show_error (self, text);
        }
      set_busy (self, FALSE);
      gtk_widget_grab_focus (self->passphrase_entry);
      return;
    }
  set_busy (self, FALSE);
  show_error (self, NULL);
}

static void
unlock_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FrInboxUnlock *self = FR_INBOX_UNLOCK (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_entry));
  FrSecret *passphrase;

  if (self->busy || self->session == NULL)
    return;
  if (fr_inbox_session_get_key_path (self->session) == NULL)
    {
      show_error (self, _("Choose your staff key file first."));
      return;
    }
  if (text == NULL || *text == '\0')
    {
      show_error (self, _("Enter the passphrase of your staff key."));
      gtk_widget_grab_focus (self->passphrase_entry);
      return;
    }
  passphrase = fr_secret_new_from (text, strlen (text));
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_entry), "");
  show_error (self, NULL);
  set_busy (self, TRUE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  fr_inbox_session_unlock_async (self->session, passphrase, self->cancellable, unlocked_cb, g_object_ref (self));
}

gboolean
fr_inbox_unlock_use_key_file (FrInboxUnlock *self,
                              const char    *path)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (FR_IS_INBOX_UNLOCK (self), FALSE);

  if (!fr_inbox_session_set_key_path (self->session, path, &error))
    {
      g_autofree char *safe = fr_escape_text (error->message, -1);

      show_error (self, safe);
      return FALSE;
    }
  show_error (self, NULL);
  update_key_label (self);
  gtk_widget_grab_focus (self->passphrase_entry);
  return TRUE;
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  FrInboxUnlock *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        fr_inbox_unlock_use_key_file (self, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

static void
choose_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FrInboxUnlock *self = FR_INBOX_UNLOCK (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->chooser != NULL)
    return;
  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Choose Your Staff Key File"),
                                                                  GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                  GTK_FILE_CHOOSER_ACTION_OPEN,
                                                                  _("_Choose"), _("_Cancel")));
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (self->chooser);
}

static void
fr_inbox_unlock_dispose (GObject *object)
{
  FrInboxUnlock *self = FR_INBOX_UNLOCK (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), FR_TYPE_INBOX_UNLOCK);
  G_OBJECT_CLASS (fr_inbox_unlock_parent_class)->dispose (object);
}

static void
fr_inbox_unlock_class_init (FrInboxUnlockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fr_inbox_unlock_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/se/fristad/Inbox/fr-inbox-unlock.ui");
  gtk_widget_class_bind_template_child (widget_class, FrInboxUnlock, status_page);
  gtk_widget_class_bind_template_child (widget_class, FrInboxUnlock, key_label);
  gtk_widget_class_bind_template_child (widget_class, FrInboxUnlock, passphrase_entry);
  gtk_widget_class_bind_template_child (widget_class, FrInboxUnlock, error_label);
  gtk_widget_class_bind_template_child (widget_class, FrInboxUnlock, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, FrInboxUnlock, spinner);
  gtk_widget_class_install_action (widget_class, "unlock.unlock", NULL, unlock_action);
  gtk_widget_class_install_action (widget_class, "unlock.choose-key", NULL, choose_key_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
passphrase_activate_cb (FrInboxUnlock *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "unlock.unlock", NULL);
}

static void
fr_inbox_unlock_init (FrInboxUnlock *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->passphrase_entry, "activate", G_CALLBACK (passphrase_activate_cb), self);
}

void
fr_inbox_unlock_set_session (FrInboxUnlock  *self,
                             FrInboxSession *session)
{
  g_return_if_fail (FR_IS_INBOX_UNLOCK (self));

  g_set_object (&self->session, session);
  update_key_label (self);
}

/* Back to a fresh locked screen: no passphrase typed, no error, focus in the entry. */
void
fr_inbox_unlock_reset (FrInboxUnlock *self)
{
  g_return_if_fail (FR_IS_INBOX_UNLOCK (self));

  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_entry), "");
  update_key_label (self);
  gtk_widget_grab_focus (fr_inbox_session_get_key_path (self->session) ? self->passphrase_entry
                                                                         : self->unlock_button);
}

gboolean
fr_inbox_unlock_is_busy (FrInboxUnlock *self)
{
  return self->busy;
}

const char *
fr_inbox_unlock_get_error (FrInboxUnlock *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}
