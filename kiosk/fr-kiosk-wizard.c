/* fr-kiosk-wizard.c — the self-referral: one question a screen, consent, review, send */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-keyboard.h"
#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-question.h"
#include "fr-kiosk-voice.h"
#include "fr-kiosk-wizard.h"

struct _FrKioskWizard
{
  GtkWidget                parent_instance;

  FrKioskContext          *context;
  FrKioskSession          *session;
  const FrQuestion *const *form;
  GArray                  *slots;        /* Slot: the questions a screen each, in form order */
  GPtrArray               *questions;    /* FrKioskQuestion or NULL: built when first shown */
  GtkWidget               *consent_page;
  GtkWidget               *review_page;  /* rebuilt each time it is shown */
  int                      current;      /* index into questions, or CONSENT / REVIEW */
  gboolean                 sending;
  GtkWidget               *leave_page;   /* "Leave without sending?", while it is asked */
  GtkWidget               *before_leave; /* the page to go back to */

  GtkWidget               *outer;
  GtkWidget               *progress_row;
  GtkWidget               *nav_row;
  GtkLabel                *progress_label;
  GtkProgressBar          *progress_bar;
  GtkScrolledWindow       *scroller;
  GtkStack                *pages;
  GtkLabel                *error_label;
  GtkWidget               *back_button;
  GtkWidget               *skip_button;
  GtkWidget               *next_button;
  GtkWidget               *decline_button;  /* consent's answers and Send: in the action */
  GtkWidget               *agree_button;    /* bar, always on screen (nav_row) */
  GtkWidget               *send_button;
  GtkWidget               *keyboard;        /* above the action bar, for text questions */
  gboolean                 reveal_field;    /* scroll the field into view once laid out */
  guint                    reveal_frames;   /* frames waited for that, at most a few */
};

enum { STEP_CONSENT = -1, STEP_REVIEW = -2 };

/* A question's screen is built the first time it is shown (KIOSK.md, "Speed"): opening the
 * wizard built all of them, about a tenth of a second before the first question showed. */
typedef struct
{
  const FrQuestion *question;
  const char       *group_title;   /* the content's strings, NULL if none */
  const char       *group_intro;
} Slot;

enum { SENT, DECLINED, STEP_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FrKioskWizard, fr_kiosk_wizard, GTK_TYPE_WIDGET)

static const char *
language (FrKioskWizard *self)
{
  return fr_kiosk_session_get_language (self->session);
}

static const FrContent *
content (FrKioskWizard *self)
{
  return fr_kiosk_context_get_content (self->context);
}

static const FrQuestion *
slot_question (FrKioskWizard *self,
               guint          index)
{
  return g_array_index (self->slots, Slot, index).question;
}

static gboolean
is_shown (FrKioskWizard *self,
          guint          index)
{
  return fr_kiosk_session_question_shown (self->session, self->form, slot_question (self, index));
}

static void on_question_changed (FrKioskWizard *self);
static void on_question_answered (FrKioskWizard *self);

/* The screen of question @index, built now if it never was shown. */
static FrKioskQuestion *
ensure_page (FrKioskWizard *self,
             guint          index)
{
  const Slot *slot = &g_array_index (self->slots, Slot, index);
  GtkWidget *page = g_ptr_array_index (self->questions, index);

  if (page != NULL)
    return FR_KIOSK_QUESTION (page);
  page = fr_kiosk_question_new (slot->question, self->session, slot->group_title, slot->group_intro,
                                fr_kiosk_context_get_site (self->context)->voice_max_seconds);
  g_signal_connect_object (page, "changed", G_CALLBACK (on_question_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "answered", G_CALLBACK (on_question_answered), self, G_CONNECT_SWAPPED);
  g_ptr_array_index (self->questions, index) = page;
  gtk_stack_add_named (self->pages, page, slot->question->id);
  return FR_KIOSK_QUESTION (page);
}

/* The voice message to seal: only if a voice question is in the form and shown. */
static const FrSecret *
voice_to_send (FrKioskWizard *self)
{
  for (guint i = 0; i < self->slots->len; i++)
    if (slot_question (self, i)->kind == FR_QUESTION_VOICE && is_shown (self, i))
      return fr_kiosk_session_get_voice (self->session, NULL);
  return NULL;
}

static FrKioskQuestion *
current_question (FrKioskWizard *self)
{
  if (self->current < 0)
    return NULL;
  return g_ptr_array_index (self->questions, self->current);
}

/* The current question's text field (GtkText or GtkTextView), if it has one. */
static GtkWidget *
text_input (FrKioskWizard *self)
{
  FrKioskQuestion *page = current_question (self);
  GtkWidget *input = page != NULL ? fr_kiosk_question_get_input (page) : NULL;

  if (self->leave_page != NULL || !(GTK_IS_TEXT (input) || GTK_IS_TEXT_VIEW (input)))
    return NULL;
  return input;
}

/* The on-screen keyboard: under a text question's screen, typing into its field. */
static void
update_keyboard (FrKioskWizard *self)
{
  GtkWidget *input = text_input (self);

  if (self->keyboard == NULL)
    return;
  fr_kiosk_keyboard_set_target (FR_KIOSK_KEYBOARD (self->keyboard), input);
  gtk_widget_set_visible (self->keyboard, input != NULL);
}

/* Progress counts every question of the form, shown or not, so it never goes back: a
 * question that an answer brings in was counted from the start ("4 of 16" does not become
 * "4 of 17"), and one an answer leaves out is passed over (3, then 8). */
static void
update_controls (FrKioskWizard *self)
{
  FrKioskQuestion *page = current_question (self);
  guint shown = self->questions->len;
  guint position = self->current >= 0 ? (guint) self->current + 1 : shown;
  gboolean first = TRUE;

  for (int i = 0; i < self->current; i++)
    if (is_shown (self, i))
      first = FALSE;

  if (page != NULL)
    {
      const FrQuestion *q = fr_kiosk_question_get_question (page);
      gboolean answered = fr_kiosk_question_is_answered (page);
      g_autofree char *text = NULL;

      /* Translators: progress through the questions, e.g. "3 of 9" */
      text = g_strdup_printf (_("%u of %u"), position, shown);
      gtk_label_set_text (self->progress_label, text);
      gtk_progress_bar_set_fraction (self->progress_bar, shown ? (double) (position - 1) / (shown + 1) : 0.0);
      gtk_widget_set_visible (self->skip_button, q->optional || q->kind == FR_QUESTION_VOICE);
      gtk_widget_set_visible (self->next_button, TRUE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", answered);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.skip", q->optional || q->kind == FR_QUESTION_VOICE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", !first);
    }
  else
    {
      /* Translators: progress label on the consent and review screens */
      gtk_label_set_text (self->progress_label, _("Almost done"));
      gtk_progress_bar_set_fraction (self->progress_bar, self->current == STEP_CONSENT ? (double) shown / (shown + 1) : 1.0);
      gtk_widget_set_visible (self->skip_button, FALSE);
      gtk_widget_set_visible (self->next_button, FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.skip", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", TRUE);
    }
  gtk_widget_set_visible (self->agree_button, self->current == STEP_CONSENT);
  gtk_widget_set_visible (self->decline_button, self->current == STEP_CONSENT);
  gtk_widget_set_visible (self->send_button, self->current == STEP_REVIEW);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.agree", self->current == STEP_CONSENT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.decline", self->current == STEP_CONSENT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.send", self->current == STEP_REVIEW && !self->sending);
  update_keyboard (self);
}

/* With the keyboard under it, a text question's field may be below the visible part of
 * the question: scroll just enough to show it whole (the title may go up a little).
 * Called on the frames after the page is shown, until it is laid out. */
static void
reveal_field (FrKioskWizard *self)
{
  GtkWidget *input, *field, *child;
  GtkAdjustment *adj;
  graphene_rect_t bounds;
  double bottom;

  if (!self->reveal_field || self->keyboard == NULL)
    return;
  input = fr_kiosk_keyboard_get_target (FR_KIOSK_KEYBOARD (self->keyboard));
  child = gtk_scrolled_window_get_child (self->scroller);
  if (input == NULL || child == NULL)
    return;
  field = GTK_IS_TEXT_VIEW (input) ? gtk_widget_get_ancestor (input, GTK_TYPE_SCROLLED_WINDOW) : input;
  if (field == NULL || !gtk_widget_get_mapped (field) || gtk_widget_get_width (field) < 1
      || !gtk_widget_compute_bounds (field, child, &bounds))
    return;
  adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  if (gtk_adjustment_get_page_size (adj) < 1)
    return;
  self->reveal_field = FALSE;
  bottom = bounds.origin.y + MIN (bounds.size.height, gtk_adjustment_get_page_size (adj)) + 8;
  if (bottom > gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj))
    gtk_adjustment_set_value (adj, bottom - gtk_adjustment_get_page_size (adj));
}

/* A frame's tick comes before its layout: the previous frame's allocation is there. */
static gboolean
reveal_field_tick (GtkWidget     *widget,
                   GdkFrameClock *clock,
                   gpointer       data)
{
  FrKioskWizard *self = FR_KIOSK_WIZARD (widget);

  reveal_field (self);
  /* Not laid out within a few frames (a page out of sight): no frames spent waiting. */
  if (self->reveal_field && ++self->reveal_frames > 8)
    self->reveal_field = FALSE;
  return self->reveal_field ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
scroll_to_top (FrKioskWizard *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  gtk_adjustment_set_value (adj, gtk_adjustment_get_lower (adj));
}

/* A summary line: the question, then the answer in words. */
static void
add_review_item (FrKioskWizard    *self,
                 GtkBox           *box,
                 const FrQuestion *q)
{
  const FrSecret *answer = fr_kiosk_session_get_answer (self->session, q->id);
  g_autoptr(GString) shown = g_string_new (NULL);
  GtkWidget *value;

  if (answer == NULL)
    return;
  if (q->options != NULL)
    {
      for (guint i = 0; i < q->n_options; i++)
        if (fr_kiosk_session_answer_has (self->session, q->id, q->options[i].id))
          {
            if (shown->len > 0)
              g_string_append (shown, "\n");
            g_string_append (shown, q->options[i].label);
          }
    }
  else
    g_string_append_len (shown, (const char *) answer->data, answer->len);

  gtk_box_append (box, fr_kiosk_label_new (q->label, "fr-review-question"));
  value = fr_kiosk_label_new (shown->str, "fr-body");
  gtk_widget_add_css_class (value, "fr-typed");
  gtk_box_append (box, value);
  /* The GString is plain heap memory: wipe before it is freed. */
  sodium_memzero (shown->str, shown->len);
}

/* The voice message, if one is recorded and its question is on the way: its length, and
 * whether the disguised version is the one sent. */
static void
add_review_voice (FrKioskWizard *self,
                  GtkBox        *box)
{
  guint64 ms = 0;
  g_autofree char *length = NULL;
  g_autofree char *text = NULL;

  if (voice_to_send (self) == NULL)
    return;
  fr_kiosk_session_get_voice (self->session, &ms);
  length = fr_kiosk_voice_format_time (ms);
  /* Translators: on the review screen; the question heading above a voice message */
  gtk_box_append (box, fr_kiosk_label_new (_("Voice message"), "fr-review-question"));
  if (fr_kiosk_session_get_voice_disguised (self->session))
    /* Translators: on the review screen; %s is the message's length, "0:42" */
    text = g_strdup_printf (_("A voice message is attached (%s), with your voice disguised."), length);
  else
    /* Translators: on the review screen; %s is the message's length, "0:42" */
    text = g_strdup_printf (_("A voice message is attached (%s)."), length);
  gtk_box_append (box, fr_kiosk_label_new (text, "fr-body"));
}

static void
build_review (FrKioskWizard *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *title;

  if (self->review_page != NULL)
    {
      fr_kiosk_wipe_text_widgets (self->review_page);
      gtk_stack_remove (self->pages, self->review_page);
    }
  /* Translators: title of the screen that shows the answers before sending */
  title = fr_kiosk_label_new (_("Check your message"), "fr-title");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box),
                  /* Translators: explains the review screen */
                  fr_kiosk_label_new (_("This is what will be sent to social services. Use Back to change something."), "fr-body"));
  for (guint i = 0; i < self->slots->len; i++)
    if (is_shown (self, i))
      add_review_item (self, GTK_BOX (box), slot_question (self, i));
  add_review_voice (self, GTK_BOX (box));
  if (fr_kiosk_session_is_assisted (self->session))
    gtk_box_append (GTK_BOX (box),
                    /* Translators: shown on the review screen in assisted/hotline mode */
                    fr_kiosk_label_new (_("Taken by a volunteer: the record names the volunteer and the channel."), "fr-note"));
  self->review_page = box;
  gtk_stack_add_named (self->pages, box, "review");
}

/* A button of the action bar (after Back, Skip and Next), its label wrapping. */
static GtkWidget *
nav_button_new (FrKioskWizard *self,
                const char    *text,
                const char    *action,
                gboolean       suggested)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *label = fr_kiosk_label_new (text, NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.5);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  fr_kiosk_a11y_set_name (button, text);
  gtk_widget_add_css_class (button, "fr-nav-button");
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_visible (button, FALSE);
  gtk_box_append (GTK_BOX (self->nav_row), button);
  return button;
}

static void
build_consent (FrKioskWizard *self)
{
  const FrTopic *consent = fr_content_get_consent (content (self), language (self));
  const FrSite *site = fr_kiosk_context_get_site (self->context);
  g_autofree char *site_name = fr_site_get_name (site, language (self));
  const char *vars[] = { "site", site_name, NULL };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_box_append (GTK_BOX (box), fr_kiosk_label_new (consent->title, "fr-title"));
  for (guint i = 0; consent->paragraphs[i]; i++)
    {
      g_autofree char *text = fr_content_expand (consent->paragraphs[i], vars);

      gtk_box_append (GTK_BOX (box), fr_kiosk_label_new (text, "fr-body"));
    }
  /* The two answers are in the action bar, under the text: never scrolled away. */
  self->decline_button = nav_button_new (self, fr_content_get_consent_decline (content (self), language (self)),
                                         "wizard.decline", FALSE);
  self->agree_button = nav_button_new (self, fr_content_get_consent_agree (content (self), language (self)),
                                       "wizard.agree", TRUE);
  self->consent_page = box;
  gtk_stack_add_named (self->pages, box, "consent");
}

static void
show_step (FrKioskWizard *self,
           int            step)
{
  self->current = step;
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  if (step == STEP_CONSENT)
    gtk_stack_set_visible_child (self->pages, self->consent_page);
  else if (step == STEP_REVIEW)
    {
      build_review (self);
      gtk_stack_set_visible_child (self->pages, self->review_page);
    }
  else
    {
      FrKioskQuestion *page = ensure_page (self, (guint) step);

      fr_kiosk_question_sync (page);
      gtk_stack_set_visible_child (self->pages, GTK_WIDGET (page));
    }
  update_controls (self);
  scroll_to_top (self);
  /* The field being typed into has the cursor (and a physical keyboard, if any, with or
   * without the on-screen one), and is in view above the keyboard. */
  if (text_input (self) != NULL && self->keyboard == NULL)
    gtk_widget_grab_focus (text_input (self));
  if (self->keyboard != NULL && fr_kiosk_keyboard_get_target (FR_KIOSK_KEYBOARD (self->keyboard)) != NULL)
    {
      gtk_widget_grab_focus (fr_kiosk_keyboard_get_target (FR_KIOSK_KEYBOARD (self->keyboard)));
      if (!self->reveal_field)
        gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_field_tick, NULL, NULL);
      self->reveal_field = TRUE;
      self->reveal_frames = 0;
    }
  fr_kiosk_a11y_ensure_names (GTK_WIDGET (self));
  g_signal_emit (self, signals[STEP_CHANGED], 0);
}

static void
commit_current (FrKioskWizard *self)
{
  FrKioskQuestion *page = current_question (self);

  /* Pinyin letters not yet turned into characters go into the field as typed. */
  if (self->keyboard != NULL)
    fr_kiosk_keyboard_commit_letters (FR_KIOSK_KEYBOARD (self->keyboard));
  if (page != NULL)
    fr_kiosk_question_commit (page);
}

static void
go_forward (FrKioskWizard *self)
{
  int start = self->current < 0 ? (int) self->questions->len : self->current + 1;

  for (guint i = start; i < self->questions->len; i++)
    if (is_shown (self, i))
      {
        show_step (self, i);
        return;
      }
  show_step (self, self->current == STEP_CONSENT ? STEP_REVIEW : STEP_CONSENT);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FrKioskWizard *self = FR_KIOSK_WIZARD (widget);
  FrKioskQuestion *page = current_question (self);

  if (page == NULL || !fr_kiosk_question_is_answered (page))
    return;
  commit_current (self);
  go_forward (self);
}

static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FrKioskWizard *self = FR_KIOSK_WIZARD (widget);
  FrKioskQuestion *page = current_question (self);

  if (page == NULL)
    return;
  /* Skipped means not answered: forget anything typed, chosen or recorded. */
  fr_kiosk_question_forget (page);
  go_forward (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FrKioskWizard *self = FR_KIOSK_WIZARD (widget);
  int from;

  commit_current (self);
  if (self->current == STEP_REVIEW)
    {
      show_step (self, STEP_CONSENT);
      return;
    }
  from = self->current == STEP_CONSENT ? (int) self->questions->len : self->current;
  for (int i = from - 1; i >= 0; i--)
    if (is_shown (self, i))
      {
        show_step (self, i);
        return;
      }
}

static void
agree_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FrKioskWizard *self = FR_KIOSK_WIZARD (widget);

  if (self->current == STEP_CONSENT)
    show_step (self, STEP_REVIEW);
}

static void
decline_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FrKioskWizard *self = FR_KIOSK_WIZARD (widget);

  fr_kiosk_wizard_wipe (self);
  g_signal_emit (self, signals[DECLINED], 0);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FrKioskWizard *self = FR_KIOSK_WIZARD (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(FrSecret) partial = NULL;
  g_autofree char *record_language = NULL;
  char receipt[FR_RECEIPT_STRING_LEN + 1] = { 0 };

  if (self->current != STEP_REVIEW || self->sending)
    return;
  self->sending = TRUE;
  update_controls (self);

  record_language = g_strdup (fr_content_get_language_record_code (content (self), language (self)));
  partial = fr_kiosk_session_build_partial (self->session, self->form, record_language,
                                            fr_content_get_consent_version (content (self)), &error);
  if (partial == NULL || !fr_kiosk_context_seal (self->context, partial, voice_to_send (self), receipt, &error))
    {
      /* The error names a field or a file, never an answer. */
      g_message ("sending failed: %s", error->message);
      /* Translators: shown if the message could not be stored on this kiosk */
      gtk_label_set_text (self->error_label, _("The message could not be saved. Please ask a member of staff for help, or call one of the numbers on the home screen."));
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      self->sending = FALSE;
      update_controls (self);
      return;
    }
  g_clear_pointer (&partial, fr_secret_free);
  fr_kiosk_wizard_wipe (self);
  g_signal_emit (self, signals[SENT], 0, receipt);
}

static void
fr_kiosk_wizard_dispose (GObject *object)
{
  FrKioskWizard *self = FR_KIOSK_WIZARD (object);

  if (self->outer != NULL)
    fr_kiosk_wipe_text_widgets (self->outer);
  gtk_widget_dispose_template (GTK_WIDGET (self), FR_TYPE_KIOSK_WIZARD);
  self->outer = NULL;
  g_clear_pointer (&self->questions, g_ptr_array_unref);
  g_clear_pointer (&self->slots, g_array_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (fr_kiosk_wizard_parent_class)->dispose (object);
}

/* "Go back to my message": the question (or consent, or review) as it was. */
static void
stay_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FrKioskWizard *self = FR_KIOSK_WIZARD (widget);
  GtkWidget *leave = g_steal_pointer (&self->leave_page);

  if (leave == NULL)
    return;
  gtk_stack_set_visible_child (self->pages, self->before_leave);
  self->before_leave = NULL;
  gtk_stack_remove (self->pages, leave);
  gtk_widget_set_visible (self->progress_row, TRUE);
  gtk_widget_set_visible (self->nav_row, TRUE);
  update_controls (self);
  g_signal_emit (self, signals[STEP_CHANGED], 0);
}

static void
fr_kiosk_wizard_class_init (FrKioskWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fr_kiosk_wizard_dispose;

  /**
   * FrKioskWizard::sent:
   * @receipt: the receipt code (XXXX-XXXX)
   *
   * The record is sealed and in the outbox; the answers are wiped.
   */
  signals[SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The person declined consent: nothing is sent, the answers are wiped. */
  signals[DECLINED] = g_signal_new ("declined", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Another step of the form is on screen (read-aloud reads it when every screen is read). */
  signals[STEP_CHANGED] = g_signal_new ("step-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/se/fristad/kiosk/fr-kiosk-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, FrKioskWizard, outer);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWizard, progress_label);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWizard, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWizard, scroller);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWizard, progress_row);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWizard, nav_row);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWizard, pages);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWizard, error_label);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWizard, skip_button);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWizard, next_button);

  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "wizard.skip", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.agree", NULL, agree_action);
  gtk_widget_class_install_action (widget_class, "wizard.decline", NULL, decline_action);
  gtk_widget_class_install_action (widget_class, "wizard.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "wizard.stay", NULL, stay_action);
  gtk_widget_class_set_css_name (widget_class, "fr-wizard");
}

static void
fr_kiosk_wizard_init (FrKioskWizard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fr_kiosk_lockdown_label (self->progress_label);
  fr_kiosk_lockdown_label (self->error_label);
}

static void
on_question_changed (FrKioskWizard *self)
{
  update_controls (self);
}

static gboolean
advance_after_answer (gpointer user_data)
{
  FrKioskWizard *self = user_data;

  if (current_question (self) != NULL && fr_kiosk_question_is_answered (current_question (self)))
    go_forward (self);
  return G_SOURCE_REMOVE;
}

static void
on_question_answered (FrKioskWizard *self)
{
  /* Move on once the tap has been drawn, so the person sees what they chose. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, advance_after_answer, g_object_ref (self), g_object_unref);
}

/**
 * fr_kiosk_wizard_new:
 * @context: the kiosk
 * @session: the session the answers go into (its language must be set)
 */
GtkWidget *
fr_kiosk_wizard_new (FrKioskContext *context,
                     FrKioskSession *session)
{
  FrKioskWizard *self;
  const char *previous_group = NULL;
  const char *lang;
  gboolean volunteer;

  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (context), NULL);
  g_return_val_if_fail (FR_IS_KIOSK_SESSION (session), NULL);
  lang = fr_kiosk_session_get_language (session);
  g_return_val_if_fail (lang != NULL, NULL);

  self = g_object_new (FR_TYPE_KIOSK_WIZARD, NULL);
  self->context = g_object_ref (context);
  self->session = g_object_ref (session);
  /* A volunteer taking the intake (assisted, hotline) gets the form worded for that. */
  volunteer = fr_kiosk_session_is_assisted (session);
  self->form = fr_content_get_form_for (fr_kiosk_context_get_content (context), lang, volunteer);
  self->questions = g_ptr_array_new ();
  self->slots = g_array_new (FALSE, FALSE, sizeof (Slot));
  if (fr_kiosk_context_get_site (context)->on_screen_keyboard)
    {
      /* In the layout, between the scrolled question and the action bar: it never covers
       * the field or Back / Skip / Next. */
      self->keyboard = fr_kiosk_keyboard_new (fr_kiosk_context_get_keyboards (context), lang);
      gtk_widget_set_visible (self->keyboard, FALSE);
      gtk_widget_insert_before (self->keyboard, self->outer, GTK_WIDGET (self->error_label));
    }

  for (guint i = 0; self->form && self->form[i]; i++)
    {
      const FrQuestion *q = self->form[i];
      gboolean first_of_group;
      Slot slot = { q };

      first_of_group = q->group != NULL && g_strcmp0 (q->group, previous_group) != 0;
      slot.group_title = q->group ? fr_content_get_group_title_for (content (self), lang, q->group, volunteer) : NULL;
      slot.group_intro = first_of_group ? fr_content_get_group_intro_for (content (self), lang, q->group, volunteer) : NULL;
      previous_group = q->group;
      g_array_append_val (self->slots, slot);
      g_ptr_array_add (self->questions, NULL);
    }
  build_consent (self);
  /* Translators: the button that sends the message */
  self->send_button = nav_button_new (self, _("Send the message"), "wizard.send", TRUE);

  if (self->slots->len > 0)
    {
      self->current = 0;
      if (!is_shown (self, 0))
        go_forward (self);
      else
        show_step (self, 0);
    }
  else
    show_step (self, STEP_CONSENT);
  return GTK_WIDGET (self);
}

/**
 * fr_kiosk_wizard_get_step_name:
 *
 * Returns: the current question's id, "consent" or "review".
 */
const char *
fr_kiosk_wizard_get_step_name (FrKioskWizard *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WIZARD (self), NULL);

  if (self->current == STEP_CONSENT)
    return "consent";
  if (self->current == STEP_REVIEW)
    return "review";
  return fr_kiosk_question_get_question (current_question (self))->id;
}

GtkWidget *
fr_kiosk_wizard_get_current_page (FrKioskWizard *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WIZARD (self), NULL);
  return gtk_stack_get_visible_child (self->pages);
}

/**
 * fr_kiosk_wizard_get_keyboard:
 *
 * Returns: (transfer none) (nullable): the on-screen keyboard (%NULL if the site has
 * `on-screen-keyboard=never`); visible on text questions.
 */
GtkWidget *
fr_kiosk_wizard_get_keyboard (FrKioskWizard *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WIZARD (self), NULL);
  return self->keyboard;
}

/**
 * fr_kiosk_wizard_get_pages:
 *
 * Returns: (transfer container) (element-type FrKioskQuestion): the question screens
 *   built so far (each is built when it is first shown), in form order.
 */
GPtrArray *
fr_kiosk_wizard_get_pages (FrKioskWizard *self)
{
  GPtrArray *pages;

  g_return_val_if_fail (FR_IS_KIOSK_WIZARD (self), NULL);

  pages = g_ptr_array_new ();
  for (guint i = 0; i < self->questions->len; i++)
    if (self->questions->pdata[i] != NULL)
      g_ptr_array_add (pages, self->questions->pdata[i]);
  return pages;
}

/**
 * fr_kiosk_wizard_get_question:
 * @id: a question id
 *
 * Returns: (nullable): the question of this wizard's form (the volunteer's wording in an
 *   assisted session) with that id, whether or not its screen was built; %NULL if the
 *   form has none (or it is not asked, as the voice question).
 */
const FrQuestion *
fr_kiosk_wizard_get_question (FrKioskWizard *self,
                              const char    *id)
{
  g_return_val_if_fail (FR_IS_KIOSK_WIZARD (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->slots->len; i++)
    if (g_str_equal (slot_question (self, i)->id, id))
      return slot_question (self, i);
  return NULL;
}

/* The session whose answers the wizard shows (read-aloud reads the review from it). */
FrKioskSession *
fr_kiosk_wizard_get_session (FrKioskWizard *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WIZARD (self), NULL);
  return self->session;
}

/**
 * fr_kiosk_wizard_has_progress:
 *
 * Returns: whether leaving now would lose something: an answer given, something typed
 * or chosen on the question on screen, or the consent or review screen reached.
 */
gboolean
fr_kiosk_wizard_has_progress (FrKioskWizard *self)
{
  FrKioskQuestion *page;

  g_return_val_if_fail (FR_IS_KIOSK_WIZARD (self), FALSE);

  page = current_question (self);
  return fr_kiosk_session_get_n_answers (self->session) > 0 || page == NULL || fr_kiosk_question_is_answered (page);
}

/* Off while "Leave without sending?" is asked; update_controls() sets them again. */
static const char * const step_actions[] = {
  "wizard.next", "wizard.skip", "wizard.back", "wizard.agree", "wizard.decline", "wizard.send"
};

/**
 * fr_kiosk_wizard_ask_leave:
 *
 * Asks in place whether to leave (Home pressed in the middle of the message): "Go back
 * to my message" (`wizard.stay`) or "Leave and delete" (`kiosk.home`, which leaves
 * while this is asked). The quick exit is never asked.
 */
void
fr_kiosk_wizard_ask_leave (FrKioskWizard *self)
{
  GtkWidget *box, *stay, *leave;

  g_return_if_fail (FR_IS_KIOSK_WIZARD (self));

  if (self->leave_page != NULL)
    return;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  /* Translators: title when Home is pressed in the middle of the message. It asks
   * whether to go away from the message screen WITHOUT sending anything (never "submit"
   * or "leave behind" your message). Answered by two buttons: "Leave and delete" (yes,
   * leave; nothing is sent) and "Go back to my message" (no, stay). */
  gtk_box_append (GTK_BOX (box), fr_kiosk_label_new (_("Leave without sending?"), "fr-title"));
  gtk_box_append (GTK_BOX (box),
                  /* Translators: under "Leave without sending?" */
                  fr_kiosk_label_new (_("If you leave now, your answers are deleted and nothing is sent."), "fr-body"));
  /* Translators: button: back to the question, nothing lost */
  stay = fr_kiosk_button_new (_("Go back to my message"), NULL, "wizard.stay", NULL);
  gtk_widget_add_css_class (stay, "suggested-action");
  gtk_widget_set_margin_top (stay, 24);
  /* Translators: button: leave the message, the answers are deleted */
  leave = fr_kiosk_button_new (_("Leave and delete"), NULL, "kiosk.home", NULL);
  gtk_box_append (GTK_BOX (box), stay);
  gtk_box_append (GTK_BOX (box), leave);

  self->before_leave = gtk_stack_get_visible_child (self->pages);
  self->leave_page = box;
  gtk_stack_add_named (self->pages, box, "leave");
  gtk_stack_set_visible_child (self->pages, box);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_set_visible (self->progress_row, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (step_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), step_actions[i], FALSE);
  gtk_widget_set_visible (self->nav_row, FALSE);
  update_keyboard (self);
  scroll_to_top (self);
  fr_kiosk_a11y_ensure_names (GTK_WIDGET (self));
}

/**
 * fr_kiosk_wizard_is_asking_leave:
 *
 * Returns: whether "Leave without sending?" is on screen.
 */
gboolean
fr_kiosk_wizard_is_asking_leave (FrKioskWizard *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WIZARD (self), FALSE);
  return self->leave_page != NULL;
}

/**
 * fr_kiosk_wizard_get_n_steps:
 *
 * Returns: how many screens fr_kiosk_wizard_show_step_at() can show: every question,
 * then consent (the review is built from answers, so it is not one of them).
 */
guint
fr_kiosk_wizard_get_n_steps (FrKioskWizard *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_WIZARD (self), 0);
  return self->questions->len + 1;
}

/**
 * fr_kiosk_wizard_show_step_at:
 * @index: below fr_kiosk_wizard_get_n_steps()
 *
 * Shows question @index (or consent, the last), whether or not earlier answers would
 * lead to it: for drawing every screen once (FrKioskWarmup), never in a session.
 */
void
fr_kiosk_wizard_show_step_at (FrKioskWizard *self,
                              guint          index)
{
  g_return_if_fail (FR_IS_KIOSK_WIZARD (self));
  g_return_if_fail (index <= self->questions->len);

  show_step (self, index == self->questions->len ? STEP_CONSENT : (int) index);
}

/**
 * fr_kiosk_wizard_wipe:
 *
 * Empties every text widget and the session's answers.
 */
void
fr_kiosk_wizard_wipe (FrKioskWizard *self)
{
  g_return_if_fail (FR_IS_KIOSK_WIZARD (self));

  if (self->outer != NULL)
    fr_kiosk_wipe_text_widgets (self->outer);
  if (self->session != NULL)
    fr_kiosk_session_clear_answers (self->session);
}

/**
 * fr_kiosk_wizard_get_voice:
 *
 * Returns: (transfer none) (nullable): the recorder (FrKioskVoice) of the voice question
 * on screen, or %NULL on any other screen.
 */
GtkWidget *
fr_kiosk_wizard_get_voice (FrKioskWizard *self)
{
  FrKioskQuestion *page;

  g_return_val_if_fail (FR_IS_KIOSK_WIZARD (self), NULL);

  page = current_question (self);
  if (page == NULL || self->leave_page != NULL)
    return NULL;
  return fr_kiosk_question_get_voice (page);
}

/**
 * fr_kiosk_wizard_is_busy:
 *
 * Returns: whether a voice message is being recorded or played back: the person is using
 * the kiosk though they do not touch it (the idle timeout waits).
 */
gboolean
fr_kiosk_wizard_is_busy (FrKioskWizard *self)
{
  GtkWidget *voice;

  g_return_val_if_fail (FR_IS_KIOSK_WIZARD (self), FALSE);

  voice = fr_kiosk_wizard_get_voice (self);
  return voice != NULL && fr_kiosk_voice_is_busy (FR_KIOSK_VOICE (voice));
}
