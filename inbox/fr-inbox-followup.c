/* fr-inbox-followup.c — the follow-up editor of an open record
 *
 * Loads and saves through intake/fr-followup (sealed to the staff key, never sent to the
 * queue). The follow-up itself stays in guarded memory; what GTK holds is what the
 * fields show, torn down by fr_inbox_followup_clear() when the record closes or the inbox
 * locks.
 */
#define G_LOG_DOMAIN "fristad-inbox"

#include "config.h"

#include "fr-inbox-i18n.h"
#include <sodium.h>
#include <string.h>

#include "fr-inbox-followup.h"

struct _FrInboxFollowup
{
  GtkWidget        parent_instance;

  GtkWidget       *box;
  AdwComboRow     *status_row;
  AdwEntryRow     *first_contact_row;
  AdwEntryRow     *reflection_row;
  AdwActionRow    *reflection_left_row;
  GtkTextView     *notes_view;
  GtkLabel        *message_label;

  FrInboxSession  *session;
  char            *id;
  FrFollowup      *followup;
  gboolean         refused;
};

enum { SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FrInboxFollowup, fr_inbox_followup, GTK_TYPE_WIDGET)

const char *
fr_inbox_followup_status_label (FrFollowupStatus status)
{
  switch (status)
    {
    /* Translators: follow-up statuses, in the order of the local way of working */
    case FR_FOLLOWUP_NEW: return C_("followup-status", "New");
    case FR_FOLLOWUP_CONTACTED: return C_("followup-status", "Contacted");
    case FR_FOLLOWUP_IN_SUPPORT: return C_("followup-status", "In support");
    case FR_FOLLOWUP_FOLLOW_UP: return C_("followup-status", "Follow-up");
    case FR_FOLLOWUP_CLOSED: return C_("followup-status", "Closed");
    case FR_FOLLOWUP_N_STATUS:
    default: return "?";
    }
}

char *
fr_inbox_followup_reflection_text (const FrFollowup *followup,
                                   guint32           today)
{
  int left = followup ? fr_followup_reflection_left (followup, today) : -1;

  if (left < 0)
    return NULL;
  if (left == 0)
    return g_strdup (_("Reflection period over"));
  /* Translators: days left of the 30-day reflection period */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day of reflection left", "%d days of reflection left",
                                       left), left);
}

static void
show_message (FrInboxFollowup *self,
              const char      *text,
              gboolean         is_error)
{
  gtk_label_set_text (self->message_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

static void
update_reflection_left (FrInboxFollowup *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->reflection_row));
  g_autofree char *left = NULL;
  guint32 start = 0;

  if (self->followup != NULL && fr_followup_parse_date (text, &start, NULL) && start != 0)
    {
      FrFollowup probe = *self->followup;

      probe.reflection_start = start;
      left = fr_inbox_followup_reflection_text (&probe, fr_followup_today ());
    }
  adw_action_row_set_subtitle (self->reflection_left_row, left ? left : _("Not started"));
}

static void
set_fields_sensitive (FrInboxFollowup *self,
                      gboolean         sensitive)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->status_row), sensitive);
  gtk_widget_set_sensitive (GTK_WIDGET (self->first_contact_row), sensitive);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reflection_row), sensitive);
  gtk_text_view_set_editable (self->notes_view, sensitive);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "followup.save", sensitive);
}

static void
wipe_notes_view (FrInboxFollowup *self)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), "", 0);
}

void
fr_inbox_followup_clear (FrInboxFollowup *self)
{
  g_return_if_fail (FR_IS_INBOX_FOLLOWUP (self));

  g_clear_pointer (&self->followup, fr_followup_free);
  g_clear_pointer (&self->id, g_free);
  g_clear_object (&self->session);
  self->refused = FALSE;
  adw_combo_row_set_selected (self->status_row, FR_FOLLOWUP_NEW);
  gtk_editable_set_text (GTK_EDITABLE (self->first_contact_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->reflection_row), "");
  wipe_notes_view (self);
  show_message (self, NULL, FALSE);
  update_reflection_left (self);
  set_fields_sensitive (self, FALSE);
}

static void
show_followup (FrInboxFollowup *self)
{
  g_autofree char *first = fr_followup_format_date (self->followup->first_contact);
  g_autofree char *reflect = fr_followup_format_date (self->followup->reflection_start);

  adw_combo_row_set_selected (self->status_row, self->followup->status);
  gtk_editable_set_text (GTK_EDITABLE (self->first_contact_row), first);
  gtk_editable_set_text (GTK_EDITABLE (self->reflection_row), reflect);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), (const char *) self->followup->notes->data,
                            (int) self->followup->notes->len);
  update_reflection_left (self);
}

gboolean
fr_inbox_followup_load (FrInboxFollowup *self,
                        FrInboxSession  *session,
                        const char      *id)
{
  g_autoptr(GError) error = NULL;
  FrFollowup *followup;

  g_return_val_if_fail (FR_IS_INBOX_FOLLOWUP (self), FALSE);
  g_return_val_if_fail (FR_IS_INBOX_SESSION (session), FALSE);

  fr_inbox_followup_clear (self);
  if (fr_inbox_session_get_locked (session))
    return FALSE;
  followup = fr_followup_load (fr_inbox_session_get_inbox_dir (session), id, fr_inbox_session_get_key (session),
                               &error);
  if (followup == NULL)
    {
      g_autofree char *safe = fr_escape_text (error->message, -1);
      /* Translators: %s names what was wrong, in English */
      g_autofree char *text = g_strdup_printf (_("The follow-up of this record does not open (%s). It is left as it is."),
                                               safe);

      self->refused = TRUE;
      g_message ("the follow-up of %s does not open: %s", id, fr_error_code_name (error->code));
      show_message (self, text, TRUE);
      return FALSE;
    }
  self->followup = followup;
  self->session = g_object_ref (session);
  self->id = g_strdup (id);
  show_followup (self);
  set_fields_sensitive (self, TRUE);
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FrInboxFollowup *self = FR_INBOX_FOLLOWUP (widget);
  g_autoptr(FrFollowup) edited = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *notes = NULL;
  gsize notes_len;
  guint selected;

  if (self->followup == NULL || self->refused || self->session == NULL
      || fr_inbox_session_get_locked (self->session))
    return;
  edited = fr_followup_new (self->followup->record_id);
  selected = adw_combo_row_get_selected (self->status_row);
  edited->status = selected < FR_FOLLOWUP_N_STATUS ? (FrFollowupStatus) selected : FR_FOLLOWUP_NEW;
  if (!fr_followup_parse_date (gtk_editable_get_text (GTK_EDITABLE (self->first_contact_row)),
                               &edited->first_contact, NULL))
    {
      show_message (self, _("The date of first contact is written YYYY-MM-DD, e.g. 2026-12-01."), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->first_contact_row));
      return;
    }
  if (!fr_followup_parse_date (gtk_editable_get_text (GTK_EDITABLE (self->reflection_row)),
                               &edited->reflection_start, NULL))
    {
      show_message (self, _("The start of the reflection period is written YYYY-MM-DD, e.g. 2026-12-01."), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->reflection_row));
      return;
    }
  buffer = gtk_text_view_get_buffer (self->notes_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  notes_len = strlen (notes);
  if (!fr_followup_set_notes (edited, notes, notes_len, NULL))
    {
      /* Translators: %d is the most bytes the notes can have */
      g_autofree char *text = g_strdup_printf (_("The notes are too long: keep them under %d characters (bytes)."),
                                               FR_FOLLOWUP_NOTES_MAX);

      sodium_memzero (notes, notes_len);
      show_message (self, text, TRUE);
      return;
    }
  sodium_memzero (notes, notes_len);
  if (!fr_followup_save (fr_inbox_session_get_inbox_dir (self->session), edited,
                         fr_inbox_session_get_key (self->session), &error))
    {
      g_autofree char *safe = fr_escape_text (error->message, -1);
      /* Translators: %s names what was wrong, in English */
      g_autofree char *text = g_strdup_printf (_("The follow-up was not saved: %s"), safe);

      show_message (self, text, TRUE);
      return;
    }
  fr_followup_free (self->followup);
  self->followup = g_steal_pointer (&edited);
  update_reflection_left (self);
  show_message (self, _("Saved."), FALSE);
  g_signal_emit (self, signals[SAVED], 0);
}

const FrFollowup *
fr_inbox_followup_get (FrInboxFollowup *self)
{
  g_return_val_if_fail (FR_IS_INBOX_FOLLOWUP (self), NULL);
  return self->followup;
}

const char *
fr_inbox_followup_get_message (FrInboxFollowup *self)
{
  g_return_val_if_fail (FR_IS_INBOX_FOLLOWUP (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->message_label)) ? gtk_label_get_text (self->message_label) : NULL;
}

static void
fr_inbox_followup_dispose (GObject *object)
{
  FrInboxFollowup *self = FR_INBOX_FOLLOWUP (object);

  g_clear_pointer (&self->followup, fr_followup_free);
  g_clear_pointer (&self->id, g_free);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (object), FR_TYPE_INBOX_FOLLOWUP);
  G_OBJECT_CLASS (fr_inbox_followup_parent_class)->dispose (object);
}

static void
fr_inbox_followup_class_init (FrInboxFollowupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fr_inbox_followup_dispose;
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class, "/se/fristad/Inbox/fr-inbox-followup.ui");
  gtk_widget_class_bind_template_child (widget_class, FrInboxFollowup, box);
  gtk_widget_class_bind_template_child (widget_class, FrInboxFollowup, status_row);
  gtk_widget_class_bind_template_child (widget_class, FrInboxFollowup, first_contact_row);
  gtk_widget_class_bind_template_child (widget_class, FrInboxFollowup, reflection_row);
  gtk_widget_class_bind_template_child (widget_class, FrInboxFollowup, reflection_left_row);
  gtk_widget_class_bind_template_child (widget_class, FrInboxFollowup, notes_view);
  gtk_widget_class_bind_template_child (widget_class, FrInboxFollowup, message_label);
  gtk_widget_class_install_action (widget_class, "followup.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "followup.save", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fr_inbox_followup_init (FrInboxFollowup *self)
{
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < FR_FOLLOWUP_N_STATUS; i++)
    gtk_string_list_append (statuses, fr_inbox_followup_status_label (i));
  adw_combo_row_set_model (self->status_row, G_LIST_MODEL (statuses));
  g_signal_connect_swapped (self->reflection_row, "changed", G_CALLBACK (update_reflection_left), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Follow-up"), -1);
  set_fields_sensitive (self, FALSE);
}
