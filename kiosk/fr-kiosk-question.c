/* fr-kiosk-question.c — one question of the self-referral form, on its own screen */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-keypad.h"
#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-question.h"
#include "fr-kiosk-voice.h"

struct _FrKioskQuestion
{
  GtkWidget         parent_instance;

  const FrQuestion *question;    /* owned by the content, which outlives every session */
  FrKioskSession   *session;     /* weak: the wizard holds the session */
  GtkWidget        *box;
  GtkWidget        *input;       /* GtkText, GtkTextView or the phone display */
  GtkWidget        *voice;       /* voice kind: the recorder (FrKioskVoice) */
  guint             voice_max_seconds;
  GPtrArray        *options;     /* the answer buttons, in option order */
  FrSecret         *phone;       /* phone kind: the digits typed, FR_CONTENT_PHONE_MAX_LENGTH */
  gsize             phone_len;
};

enum { ANSWERED, CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FrKioskQuestion, fr_kiosk_question, GTK_TYPE_WIDGET)

static void
fr_kiosk_question_dispose (GObject *object)
{
  FrKioskQuestion *self = FR_KIOSK_QUESTION (object);

  if (self->box != NULL)
    fr_kiosk_wipe_text_widgets (self->box);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->options, g_ptr_array_unref);
  g_clear_pointer (&self->phone, fr_secret_free);
  self->session = NULL;
  G_OBJECT_CLASS (fr_kiosk_question_parent_class)->dispose (object);
}

static const FrOption *
find_option (FrKioskQuestion *self,
             const char      *id)
{
  for (guint i = 0; i < self->question->n_options; i++)
    if (g_str_equal (self->question->options[i].id, id))
      return &self->question->options[i];
  return NULL;
}

/* Shows the session's answer on the buttons. */
void
fr_kiosk_question_sync (FrKioskQuestion *self)
{
  g_return_if_fail (FR_IS_KIOSK_QUESTION (self));

  if (self->session == NULL || self->options == NULL)
    return;
  for (guint i = 0; i < self->options->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->options, i);
      gboolean on = fr_kiosk_session_answer_has (self->session, self->question->id, self->question->options[i].id);

      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), on);
    }
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FrKioskQuestion *self = FR_KIOSK_QUESTION (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  if (self->session == NULL || find_option (self, id) == NULL)
    return;
  if (self->question->kind == FR_QUESTION_MULTIPLE)
    {
      fr_kiosk_session_toggle_option (self->session, self->question->id, id);
      fr_kiosk_question_sync (self);
      g_signal_emit (self, signals[CHANGED], 0);
      return;
    }
  fr_kiosk_session_set_answer (self->session, self->question->id, id, strlen (id));
  fr_kiosk_question_sync (self);
  g_signal_emit (self, signals[CHANGED], 0);
  g_signal_emit (self, signals[ANSWERED], 0);
}

static void
fr_kiosk_question_class_init (FrKioskQuestionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fr_kiosk_question_dispose;

  /* A single or yes/no question was answered with a tap: the wizard moves on. */
  signals[ANSWERED] = g_signal_new ("answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The answer changed (the wizard updates Next). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "question.choose", "s", choose_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fr-question");
}

static void
fr_kiosk_question_init (FrKioskQuestion *self)
{
}

static void
update_phone_display (FrKioskQuestion *self)
{
  g_autofree char *shown = g_strndup ((const char *) self->phone->data, self->phone_len);

  gtk_label_set_text (GTK_LABEL (self->input), shown);
  sodium_memzero (shown, self->phone_len);
}

static void
on_key_pressed (FrKioskKeypad   *keypad,
                const char      *key,
                FrKioskQuestion *self)
{
  if (g_str_equal (key, FR_KIOSK_KEYPAD_DELETE))
    {
      if (self->phone_len > 0)
        self->phone->data[--self->phone_len] = '\0';
    }
  else if (self->phone_len < FR_CONTENT_PHONE_MAX_LENGTH)
    {
      /* "+" only as the first character. */
      if (key[0] == '+' && self->phone_len > 0)
        return;
      self->phone->data[self->phone_len++] = key[0];
    }
  update_phone_display (self);
  fr_kiosk_question_commit (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_text_changed (FrKioskQuestion *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static GtkWidget *
build_options (FrKioskQuestion *self)
{
  const FrQuestion *q = self->question;
  GtkWidget *flow = gtk_flow_box_new ();
  GtkToggleButton *group = NULL;
  guint columns = q->n_options > 4 ? 3 : q->n_options > 2 ? 2 : 1;

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), columns);
  /* As many columns whatever the text size (the flow box would go by the labels' natural
   * widths, one column in large text, and put the last options below the fold). */
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), columns);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 8);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 12);
  gtk_widget_add_css_class (flow, "fr-options");

  self->options = g_ptr_array_new ();
  for (guint i = 0; i < q->n_options; i++)
    {
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *label = fr_kiosk_label_new (q->options[i].label, "fr-answer-label");

      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_widget_add_css_class (button, "fr-answer");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "question.choose");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", q->options[i].id);
      fr_kiosk_a11y_set_name (button, q->options[i].label);
      if (q->kind != FR_QUESTION_MULTIPLE)
        {
          if (group == NULL)
            group = GTK_TOGGLE_BUTTON (button);
          else
            gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
        }
      gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
      /* The flow box child is not a control of its own: keep focus on the button. */
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
      g_ptr_array_add (self->options, button);
    }
  return flow;
}

static GtkWidget *
build_phone (FrKioskQuestion *self)
{
  /* The number beside the keypad, not over it: the keypad's last row (+ 0 ⌫) stays above
   * the fold in every language. */
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 32);
  GtkWidget *keypad = fr_kiosk_keypad_new (TRUE);
  const FrSecret *answer = fr_kiosk_session_get_answer (self->session, self->question->id);

  self->phone = fr_secret_new (FR_CONTENT_PHONE_MAX_LENGTH);
  if (answer != NULL && answer->len <= FR_CONTENT_PHONE_MAX_LENGTH)
    {
      memcpy (self->phone->data, answer->data, answer->len);
      self->phone_len = answer->len;
    }
  self->input = gtk_label_new (NULL);
  fr_kiosk_lockdown_label (GTK_LABEL (self->input));
  gtk_widget_add_css_class (self->input, "fr-phone-display");
  gtk_widget_add_css_class (self->input, "fr-typed");
  gtk_widget_set_direction (self->input, GTK_TEXT_DIR_LTR);
  gtk_widget_set_hexpand (self->input, TRUE);
  gtk_widget_set_valign (self->input, GTK_ALIGN_START);
  update_phone_display (self);
  g_signal_connect (keypad, "pressed", G_CALLBACK (on_key_pressed), self);
  gtk_box_append (GTK_BOX (box), self->input);
  gtk_box_append (GTK_BOX (box), keypad);
  return box;
}

static GtkWidget *
build_short_text (FrKioskQuestion *self)
{
  GtkWidget *text = gtk_text_new ();
  const FrSecret *answer = fr_kiosk_session_get_answer (self->session, self->question->id);

  gtk_text_set_max_length (GTK_TEXT (text), self->question->max_length ? self->question->max_length : 100);
  gtk_text_set_input_purpose (GTK_TEXT (text), GTK_INPUT_PURPOSE_FREE_FORM);
  gtk_text_set_input_hints (GTK_TEXT (text), GTK_INPUT_HINT_NO_SPELLCHECK);
  fr_kiosk_lockdown_text (text);
  gtk_widget_add_css_class (text, "fr-text-input");
  gtk_widget_set_hexpand (text, TRUE);
  if (answer != NULL)
    gtk_editable_set_text (GTK_EDITABLE (text), (const char *) answer->data);
  g_signal_connect_swapped (text, "changed", G_CALLBACK (on_text_changed), self);
  self->input = text;
  return text;
}

static void
on_buffer_changed (GtkTextBuffer   *buffer,
                   FrKioskQuestion *self)
{
  guint max = self->question->max_length ? self->question->max_length : FR_CONTENT_MAX_TEXT_LENGTH;

  if ((guint) gtk_text_buffer_get_char_count (buffer) > max)
    {
      GtkTextIter start, end;

      gtk_text_buffer_get_iter_at_offset (buffer, &start, max);
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_delete (buffer, &start, &end);
      return;
    }
  on_text_changed (self);
}

static GtkWidget *
build_long_text (FrKioskQuestion *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  const FrSecret *answer = fr_kiosk_session_get_answer (self->session, self->question->id);

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_input_hints (GTK_TEXT_VIEW (view), GTK_INPUT_HINT_NO_SPELLCHECK);
  fr_kiosk_lockdown_text (view);
  gtk_widget_add_css_class (view, "fr-text-input");
  if (answer != NULL)
    gtk_text_buffer_set_text (buffer, (const char *) answer->data, answer->len);
  g_signal_connect (buffer, "changed", G_CALLBACK (on_buffer_changed), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 200);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  self->input = view;
  return scroller;
}

static GtkWidget *
build_voice (FrKioskQuestion *self)
{
  self->voice = fr_kiosk_voice_new (self->session, self->voice_max_seconds);
  g_signal_connect_swapped (self->voice, "changed", G_CALLBACK (on_text_changed), self);
  return self->voice;
}

/**
 * fr_kiosk_question_new:
 * @question: the question (from fr_content_get_form())
 * @session: where the answer goes
 * @group_title: (nullable): the title of the question's group
 * @group_intro: (nullable): the group's introduction (on its first question)
 * @voice_max_seconds: the longest voice message (voice kind; the site's setting)
 */
GtkWidget *
fr_kiosk_question_new (const FrQuestion *question,
                       FrKioskSession   *session,
                       const char       *group_title,
                       const char       *group_intro,
                       guint             voice_max_seconds)
{
  FrKioskQuestion *self = g_object_new (FR_TYPE_KIOSK_QUESTION, NULL);
  GtkWidget *label;
  GtkWidget *answer = NULL;

  g_return_val_if_fail (question != NULL, NULL);
  g_return_val_if_fail (FR_IS_KIOSK_SESSION (session), NULL);

  self->question = question;
  self->session = session;
  self->voice_max_seconds = voice_max_seconds;
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  if (group_title != NULL)
    gtk_box_append (GTK_BOX (self->box), fr_kiosk_label_new (group_title, "fr-group-title"));
  if (group_intro != NULL)
    gtk_box_append (GTK_BOX (self->box), fr_kiosk_label_new (group_intro, "fr-note"));
  label = fr_kiosk_label_new (question->label, "fr-title");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);
  gtk_box_append (GTK_BOX (self->box), label);
  if (question->help != NULL)
    gtk_box_append (GTK_BOX (self->box), fr_kiosk_label_new (question->help, "fr-body"));

  switch (question->kind)
    {
    case FR_QUESTION_SINGLE:
    case FR_QUESTION_MULTIPLE:
    case FR_QUESTION_YESNO:
      answer = build_options (self);
      break;
    case FR_QUESTION_PHONE:
      answer = build_phone (self);
      break;
    case FR_QUESTION_SHORT_TEXT:
      answer = build_short_text (self);
      break;
    case FR_QUESTION_LONG_TEXT:
      answer = build_long_text (self);
      break;
    case FR_QUESTION_VOICE:
    default:
      answer = build_voice (self);
      break;
    }
  gtk_box_append (GTK_BOX (self->box), answer);
  if (self->input != NULL && !GTK_IS_LABEL (self->input))
    fr_kiosk_a11y_set_name (self->input, question->label);
  fr_kiosk_question_sync (self);
  return GTK_WIDGET (self);
}

const FrQuestion *
fr_kiosk_question_get_question (FrKioskQuestion *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_QUESTION (self), NULL);
  return self->question;
}

GtkWidget *
fr_kiosk_question_get_input (FrKioskQuestion *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_QUESTION (self), NULL);
  return self->input;
}

/**
 * fr_kiosk_question_get_voice:
 *
 * Returns: (transfer none) (nullable): the recorder of a voice question (FrKioskVoice).
 */
GtkWidget *
fr_kiosk_question_get_voice (FrKioskQuestion *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_QUESTION (self), NULL);
  return self->voice;
}

/**
 * fr_kiosk_question_forget:
 *
 * Skipped: whatever was typed, chosen or recorded on this screen is forgotten (wiped).
 */
void
fr_kiosk_question_forget (FrKioskQuestion *self)
{
  g_return_if_fail (FR_IS_KIOSK_QUESTION (self));

  fr_kiosk_wipe_text_widgets (GTK_WIDGET (self));
  if (self->voice != NULL)
    fr_kiosk_voice_delete (FR_KIOSK_VOICE (self->voice));
  if (self->session != NULL)
    fr_kiosk_session_clear_answer (self->session, self->question->id);
}

/* Copies @len bytes of @text into the session with surrounding white space trimmed,
 * then wipes the caller's copy. */
static void
commit_text (FrKioskQuestion *self,
             char            *text,
             gsize            len)
{
  const char *start = text, *end = text + len;

  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  fr_kiosk_session_set_answer (self->session, self->question->id, start, end - start);
  sodium_memzero (text, len);
}

/**
 * fr_kiosk_question_commit:
 *
 * Moves what was typed into the session (the options write their answer at once).
 */
void
fr_kiosk_question_commit (FrKioskQuestion *self)
{
  g_return_if_fail (FR_IS_KIOSK_QUESTION (self));

  if (self->session == NULL)
    return;
  switch (self->question->kind)
    {
    case FR_QUESTION_PHONE:
      fr_kiosk_session_set_answer (self->session, self->question->id, (const char *) self->phone->data, self->phone_len);
      break;
    case FR_QUESTION_SHORT_TEXT:
      {
        char *text = gtk_editable_get_chars (GTK_EDITABLE (self->input), 0, -1);

        commit_text (self, text, strlen (text));
        g_free (text);
      }
      break;
    case FR_QUESTION_LONG_TEXT:
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->input));
        GtkTextIter start, end;
        char *text;

        gtk_text_buffer_get_bounds (buffer, &start, &end);
        text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
        commit_text (self, text, strlen (text));
        g_free (text);
      }
      break;
    case FR_QUESTION_SINGLE:
    case FR_QUESTION_MULTIPLE:
    case FR_QUESTION_YESNO:
    case FR_QUESTION_VOICE:
    default:
      break;
    }
}

/* Whether the screen holds an answer right now (typed text counts before commit). */
gboolean
fr_kiosk_question_is_answered (FrKioskQuestion *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_QUESTION (self), FALSE);

  switch (self->question->kind)
    {
    case FR_QUESTION_PHONE:
      return self->phone_len > 0;
    case FR_QUESTION_SHORT_TEXT:
      {
        const char *text = gtk_editable_get_text (GTK_EDITABLE (self->input));

        for (; *text; text++)
          if (!g_ascii_isspace (*text))
            return TRUE;
        return FALSE;
      }
    case FR_QUESTION_LONG_TEXT:
      return gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->input))) > 0;
    case FR_QUESTION_VOICE:
      return self->session != NULL && !fr_kiosk_voice_is_recording (FR_KIOSK_VOICE (self->voice))
             && fr_kiosk_session_get_voice (self->session, NULL) != NULL;
    case FR_QUESTION_SINGLE:
    case FR_QUESTION_MULTIPLE:
    case FR_QUESTION_YESNO:
    default:
      return self->session != NULL && fr_kiosk_session_get_answer (self->session, self->question->id) != NULL;
    }
}
