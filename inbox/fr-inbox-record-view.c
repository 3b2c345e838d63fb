/* fr-inbox-record-view.c — one record, decrypted while it is shown
 *
 * Built from the record JSON each time a record is opened and torn down when another is
 * opened or the inbox locks. Question labels and option labels come from the site's form
 * (FrContent) in the staff member's language; ids the form does not know are shown as
 * they are. Nothing of the record is logged.
 */
#define G_LOG_DOMAIN "fristad-inbox"

#include "config.h"

#include "fr-inbox-i18n.h"
#include <json-glib/json-glib.h>

#include "fr-inbox-followup.h"
#include "fr-inbox-record-view.h"
#include "fr-inbox-voice.h"

struct _FrInboxRecordView
{
  GtkWidget  parent_instance;

  GtkStack        *stack;
  GtkBox          *body;
  FrInboxFollowup *followup;
  FrInboxVoice    *voice;      /* in body, when the record has a voice message */
};

G_DEFINE_FINAL_TYPE (FrInboxRecordView, fr_inbox_record_view, GTK_TYPE_WIDGET)

/* Free-text answers: the person's own words, shown as written. */
static const char * const own_text_ids[] = { "message", "name", "code_word", "interpreter_language", NULL };
/* The contact instructions, in the order a caller needs them. */
static const char * const contact_ids[] = { "contact_method", "phone", "safe_times", "voicemail_ok", "code_word",
                                            "interpreter_language", "name", NULL };

static void
clear_body (FrInboxRecordView *self)
{
  GtkWidget *child;

  /* The voice message and what was decoded of it go first, and at once. */
  if (self->voice != NULL)
    {
      fr_inbox_voice_clear (self->voice);
      self->voice = NULL;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->body))) != NULL)
    gtk_box_remove (self->body, child);
}

static GtkWidget *
add_label (GtkBox     *box,
           const char *text,
           const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  gtk_box_append (box, label);
  return label;
}

/* A question and its answer side by side; the row's accessible name is the question. */
static void
add_pair (GtkBox     *box,
          const char *question,
          const char *answer)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *q = gtk_label_new (question);
  GtkWidget *a = gtk_label_new (answer);

  gtk_label_set_wrap (GTK_LABEL (q), TRUE);
  gtk_label_set_xalign (GTK_LABEL (q), 0);
  gtk_label_set_yalign (GTK_LABEL (q), 0);
  gtk_label_set_width_chars (GTK_LABEL (q), 24);
  gtk_label_set_max_width_chars (GTK_LABEL (q), 30);
  gtk_widget_add_css_class (q, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (a), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (a), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (a), 0);
  gtk_widget_set_hexpand (a, TRUE);
  gtk_box_append (GTK_BOX (row), q);
  gtk_box_append (GTK_BOX (row), a);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (a), GTK_ACCESSIBLE_RELATION_LABELLED_BY, q, NULL, -1);
  gtk_box_append (box, row);
}

static GtkBox *
add_section (GtkBox     *body,
             const char *title,
             gboolean    card)
{
  GtkWidget *section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (heading), GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
  gtk_box_append (body, heading);
  if (card)
    {
      gtk_widget_add_css_class (section, "card");
      gtk_widget_set_margin_start (section, 0);
      g_object_set (section, "margin-top", 0, NULL);
    }
  gtk_accessible_update_relation (GTK_ACCESSIBLE (section), GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL, -1);
  gtk_box_append (body, section);
  return GTK_BOX (section);
}

static const char *
option_label (const FrQuestion *question,
              const char       *id)
{
  if (question != NULL)
    for (guint i = 0; i < question->n_options; i++)
      if (g_str_equal (question->options[i].id, id))
        return question->options[i].label;
  return id;
}

static gboolean
is_own_text (const char *id)
{
  return g_strv_contains (own_text_ids, id);
}

/* An answer as the staff member reads it: option ids translated, yes/no in their
 * language, free text as written. */
static char *
answer_text (const FrQuestion *question,
             JsonNode         *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (json_node_get_value_type (element) != G_TYPE_STRING)
            continue;
          if (text->len > 0)
            g_string_append (text, "\n");
          g_string_append_printf (text, "• %s", option_label (question, json_node_get_string (element)));
        }
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (option_label (question, json_node_get_string (node)));
  return g_strdup ("—");
}

static const char *
question_label (const FrQuestion *question,
                const char       *id)
{
  return question != NULL && question->label != NULL ? question->label : id;
}

static char *
language_name (const FrContent *content,
               const char      *lang)
{
  const char *own = content ? fr_content_get_language_name (content, lang) : NULL;
  const char *english = content ? fr_content_get_language_english_name (content, lang) : NULL;

  if (own != NULL && english != NULL && !g_str_equal (own, english))
    return g_strdup_printf ("%s (%s)", own, english);
  if (own != NULL)
    return g_strdup (own);
  return g_strdup (lang);
}

void
fr_inbox_record_view_show (FrInboxRecordView      *self,
                           const FrOpenedEnvelope *opened,
                           gint64                  received_at,
                           const FrContent        *content,
                           const char             *staff_lang)
{
  const FrRecord *record;
  const FrSecret *json;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GDateTime) received = NULL;
  g_autofree char *received_str = NULL, *lang_name = NULL, *meta = NULL, *title = NULL;
  JsonObject *root, *answers = NULL, *consent = NULL;
  const FrQuestion *const *form;
  GtkBox *section;
  gboolean not_safe = FALSE;

  g_return_if_fail (FR_IS_INBOX_RECORD_VIEW (self));
  g_return_if_fail (opened != NULL);

  clear_body (self);
  fr_inbox_followup_clear (self->followup);
  record = opened->record;
  json = fr_record_get_json (record);
  if (!json_parser_load_from_data (parser, (const char *) json->data, json->len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;   /* cannot happen: fr_envelope_open() validated it */
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (root, "answers") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "answers")))
    answers = json_object_get_object_member (root, "answers");
  if (json_object_has_member (root, "consent") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "consent")))
    consent = json_object_get_object_member (root, "consent");
  form = content ? fr_content_get_form (content, staff_lang) : NULL;

  /* Heading: the receipt code the person quotes, and where it came from. */
  /* Translators: %s is the record's receipt code, e.g. K7Q2-M9XD */
  title = g_strdup_printf (_("Record %s"), fr_record_get_receipt (record));
  add_label (self->body, title, "title-1");
  received = g_date_time_new_from_unix_local (received_at > 0 ? received_at : fr_record_get_created (record));
  received_str = g_date_time_format (received, "%Y-%m-%d %H:%M");
  lang_name = language_name (content, fr_record_get_language (record));
  /* Translators: received date · site id · channel (kiosk, assisted, hotline) · language */
  meta = g_strdup_printf (_("Received %s · site %s · channel %s · language %s"), received_str,
                          fr_record_get_site (record), fr_record_get_channel (record), lang_name);
  add_label (self->body, meta, "dim-label");

  if (answers != NULL && json_object_has_member (answers, "safe_now"))
    {
      JsonNode *node = json_object_get_member (answers, "safe_now");

      not_safe = json_node_get_value_type (node) == G_TYPE_BOOLEAN && !json_node_get_boolean (node);
    }
  if (not_safe)
    {
      GtkWidget *mark = add_label (self->body, _("⚠ The person said they are NOT safe right now."), "title-3");

      gtk_widget_add_css_class (mark, "error");
      gtk_widget_add_css_class (mark, "fr-not-safe");
      gtk_widget_set_name (mark, "not-safe-mark");
    }

  /* Contact instructions: before anything else, so they cannot be missed before a call. */
  section = add_section (self->body, _("Before you call"), TRUE);
  {
    gboolean any = FALSE;

    for (guint i = 0; contact_ids[i] != NULL; i++)
      {
        JsonNode *node = answers ? json_object_get_member (answers, contact_ids[i]) : NULL;
        const FrQuestion *question = content ? fr_content_get_question (content, staff_lang, contact_ids[i]) : NULL;
        g_autofree char *answer = NULL;

        if (node == NULL)
          continue;
        answer = answer_text (is_own_text (contact_ids[i]) ? NULL : question, node);
        add_pair (section, question_label (question, contact_ids[i]), answer);
        any = TRUE;
      }
    if (answers != NULL && json_object_has_member (answers, "voicemail_ok"))
      {
        JsonNode *node = json_object_get_member (answers, "voicemail_ok");

        if (json_node_get_value_type (node) == G_TYPE_BOOLEAN && !json_node_get_boolean (node))
          {
            GtkWidget *warn = add_label (section, _("Do not leave a voicemail."), "heading");

            gtk_widget_add_css_class (warn, "warning");
          }
      }
    if (!any)
      add_label (section, _("The person gave no way to contact them. Wait for them to get in touch."), NULL);
  }

  /* Every other answer beside its question, in the form's order, then any the form does
   * not know. */
  section = add_section (self->body, _("Answers"), FALSE);
  if (answers != NULL)
    {
      g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GList) members = json_object_get_members (answers);

      for (guint i = 0; contact_ids[i] != NULL; i++)
        g_hash_table_add (shown, (gpointer) contact_ids[i]);
      for (guint i = 0; own_text_ids[i] != NULL; i++)
        g_hash_table_add (shown, (gpointer) own_text_ids[i]);
      for (guint i = 0; form != NULL && form[i] != NULL; i++)
        {
          JsonNode *node = json_object_get_member (answers, form[i]->id);
          g_autofree char *answer = NULL;

          if (node == NULL || g_hash_table_contains (shown, form[i]->id))
            continue;
          answer = answer_text (form[i], node);
          add_pair (section, question_label (form[i], form[i]->id), answer);
          g_hash_table_add (shown, (gpointer) form[i]->id);
        }
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *answer = NULL;

          if (g_hash_table_contains (shown, l->data))
            continue;
          answer = answer_text (NULL, json_object_get_member (answers, l->data));
          add_pair (section, l->data, answer);
        }
    }

  /* The person's own words, as written, with the language named. */
  if (answers != NULL && json_object_has_member (answers, "message")
      && json_node_get_value_type (json_object_get_member (answers, "message")) == G_TYPE_STRING)
    {
      /* Translators: %s names a language, e.g. "ไทย (Thai)" */
      g_autofree char *heading = g_strdup_printf (_("Their message, written in %s"), lang_name);
      GtkWidget *text;

      section = add_section (self->body, heading, TRUE);
      text = add_label (section, json_object_get_string_member (answers, "message"), "body");
      gtk_widget_set_name (text, "own-text");
      gtk_widget_set_margin_start (text, 12);
      gtk_widget_set_margin_end (text, 12);
      gtk_widget_set_margin_top (text, 12);
      gtk_widget_set_margin_bottom (text, 12);
    }

  /* The voice message: played from memory, never written (fr-inbox-voice.h). */
  for (guint i = 0; i < opened->n_attachments; i++)
    {
      const FrAttachmentInfo *info = fr_record_get_attachment (record, i);
      GtkWidget *voice;

      if (!g_str_equal (info->kind, "voice") || self->voice != NULL)
        continue;
      section = add_section (self->body, _("Voice message"), TRUE);
      voice = fr_inbox_voice_new ();
      gtk_widget_set_margin_start (voice, 12);
      gtk_widget_set_margin_end (voice, 12);
      gtk_widget_set_margin_top (voice, 12);
      gtk_widget_set_margin_bottom (voice, 12);
      gtk_box_append (section, voice);
      self->voice = FR_INBOX_VOICE (voice);
      fr_inbox_voice_set_message (self->voice, opened->attachments[i]->data, opened->attachments[i]->len, NULL);
    }

  section = add_section (self->body, _("Consent"), FALSE);
  if (consent != NULL)
    {
      gboolean share = json_object_get_boolean_member_with_default (consent, "share", FALSE);
      const char *version = json_object_get_string_member_with_default (consent, "text_version", "—");

      add_pair (section, _("Agreed to share with social services"), share ? _("Yes") : _("No"));
      add_pair (section, _("Consent text shown"), version);
    }

  gtk_stack_set_visible_child_name (self->stack, "record");
}

/* Tears the record's widgets down: nothing of it stays on screen. */
void
fr_inbox_record_view_clear (FrInboxRecordView *self)
{
  g_return_if_fail (FR_IS_INBOX_RECORD_VIEW (self));

  clear_body (self);
  fr_inbox_followup_clear (self->followup);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
fr_inbox_record_view_get_body (FrInboxRecordView *self)
{
  return GTK_WIDGET (self->body);
}

/* Tests: the voice message player, or NULL when the open record has none. */
FrInboxVoice *
fr_inbox_record_view_get_voice (FrInboxRecordView *self)
{
  g_return_val_if_fail (FR_IS_INBOX_RECORD_VIEW (self), NULL);
  return self->voice;
}

static void
fr_inbox_record_view_dispose (GObject *object)
{
  FrInboxRecordView *self = FR_INBOX_RECORD_VIEW (object);

  if (self->voice != NULL)
    {
      fr_inbox_voice_clear (self->voice);
      self->voice = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (object), FR_TYPE_INBOX_RECORD_VIEW);
  G_OBJECT_CLASS (fr_inbox_record_view_parent_class)->dispose (object);
}

GtkWidget *
fr_inbox_record_view_get_followup (FrInboxRecordView *self)
{
  return GTK_WIDGET (self->followup);
}

static void
fr_inbox_record_view_class_init (FrInboxRecordViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fr_inbox_record_view_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/se/fristad/Inbox/fr-inbox-record-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FrInboxRecordView, stack);
  gtk_widget_class_bind_template_child (widget_class, FrInboxRecordView, body);
  gtk_widget_class_bind_template_child (widget_class, FrInboxRecordView, followup);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fr_inbox_record_view_init (FrInboxRecordView *self)
{
  g_type_ensure (FR_TYPE_INBOX_FOLLOWUP);
  g_type_ensure (FR_TYPE_INBOX_VOICE);
  gtk_widget_init_template (GTK_WIDGET (self));
}
