/* fr-kiosk-listen.c — read-aloud: what the Listen button says on each screen */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>

#include "fr-clips.h"
#include "fr-kiosk-headphones.h"
#include "fr-kiosk-home.h"
#include "fr-kiosk-i18n.h"
#include "fr-kiosk-listen.h"
#include "fr-kiosk-question.h"
#include "fr-kiosk-receipt.h"
#include "fr-kiosk-topic.h"
#include "fr-kiosk-wizard.h"

#define PAUSE_PARAGRAPH_MS 400
#define PAUSE_DIGIT_MS     250
#define PAUSE_CODE_CHAR_MS 700   /* the receipt code: slowly */
#define PAUSE_CODE_MS      1500  /* between its two readings */
#define MARK_NONE          (-1)
#define NOTICE_VOLUME      0.3   /* "ask for headphones", said quietly */

struct _FrKioskListen
{
  GObject         parent_instance;

  FrKioskContext *context;
  FrClips        *clips;
  FrKioskAudio   *audio;
  FrKioskAudio   *notice;       /* "use headphones", quietly, wherever sound goes */
  FrKioskHeadphones *headphones; /* NULL unless the site reads aloud only into headphones */
  gboolean        read_all;     /* this session: every screen is read as it opens */
  gboolean        told;         /* this session: the headphones notice was said */
  FrKioskAudio   *target;       /* where say() queues: audio, or notice */
  GtkWidget      *topic;        /* weak: the topic page being read */
  GtkStack       *wizard_pages; /* weak: the wizard's pages while one is read */
  gulong          wizard_handler;
};

enum { SIGNAL_NEEDS_HEADPHONES, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FrKioskListen, fr_kiosk_listen, G_TYPE_OBJECT)

static void
forget_page (FrKioskListen *self)
{
  if (self->topic != NULL)
    {
      fr_kiosk_topic_set_reading (FR_KIOSK_TOPIC (self->topic), -1);
      g_object_remove_weak_pointer (G_OBJECT (self->topic), (gpointer *) &self->topic);
      self->topic = NULL;
    }
  if (self->wizard_pages != NULL)
    {
      g_clear_signal_handler (&self->wizard_handler, self->wizard_pages);
      g_object_remove_weak_pointer (G_OBJECT (self->wizard_pages), (gpointer *) &self->wizard_pages);
      self->wizard_pages = NULL;
    }
}

static void
on_mark (FrKioskAudio  *audio,
         int            mark,
         FrKioskListen *self)
{
  if (self->topic != NULL)
    fr_kiosk_topic_set_reading (FR_KIOSK_TOPIC (self->topic), mark);
}

static void
on_finished (FrKioskAudio  *audio,
             FrKioskListen *self)
{
  forget_page (self);
}

static void
fr_kiosk_listen_dispose (GObject *object)
{
  FrKioskListen *self = FR_KIOSK_LISTEN (object);

  if (self->audio != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->audio, self);
      fr_kiosk_audio_stop (self->audio);
    }
  if (self->notice != NULL)
    fr_kiosk_audio_stop (self->notice);
  if (self->headphones != NULL)
    g_signal_handlers_disconnect_by_data (self->headphones, self);
  forget_page (self);
  g_clear_object (&self->audio);
  g_clear_object (&self->notice);
  g_clear_object (&self->headphones);
  g_clear_pointer (&self->clips, fr_clips_free);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (fr_kiosk_listen_parent_class)->dispose (object);
}

static void
fr_kiosk_listen_class_init (FrKioskListenClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fr_kiosk_listen_dispose;
  /* Read-aloud was asked for without headphones on a headphones-only site: the window
   * shows how to ask for them (the notice has been said quietly, once a session). */
  signals[SIGNAL_NEEDS_HEADPHONES] = g_signal_new ("needs-headphones", G_TYPE_FROM_CLASS (klass),
                                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                   G_TYPE_NONE, 0);
}

static void
on_headphones_changed (FrKioskHeadphones *headphones,
                       FrKioskListen     *self)
{
  /* Taken out while reading: not one more word out of a speaker. */
  if (!fr_kiosk_headphones_present (headphones))
    fr_kiosk_audio_stop (self->audio);
}

static void
fr_kiosk_listen_init (FrKioskListen *self)
{
}

FrKioskListen *
fr_kiosk_listen_new (FrKioskContext *context)
{
  FrKioskListen *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (context), NULL);

  self = g_object_new (FR_TYPE_KIOSK_LISTEN, NULL);
  self->context = g_object_ref (context);
  self->clips = fr_clips_load (fr_clips_shipped_dir (), fr_kiosk_context_get_site (context)->content_dir,
                               fr_kiosk_context_get_languages (context), &error);
  if (self->clips == NULL)
    {
      const char *none[] = { NULL };

      /* A broken manifest costs read-aloud, never the kiosk. */
      g_warning ("read-aloud is off: %s", error->message);
      self->clips = fr_clips_load (NULL, NULL, none, NULL);
    }
  self->audio = fr_kiosk_audio_new ();
  self->notice = fr_kiosk_audio_new ();
  fr_kiosk_audio_set_volume (self->notice, NOTICE_VOLUME);
  if (fr_kiosk_context_get_site (context)->headphones_first)
    {
      self->headphones = fr_kiosk_headphones_new ();
      fr_kiosk_audio_set_headphones (self->audio, self->headphones);
      g_signal_connect (self->headphones, "changed", G_CALLBACK (on_headphones_changed), self);
    }
  self->target = self->audio;
  g_signal_connect (self->audio, "mark", G_CALLBACK (on_mark), self);
  g_signal_connect (self->audio, "finished", G_CALLBACK (on_finished), self);
  return self;
}

gboolean
fr_kiosk_listen_has_voice (FrKioskListen *self,
                           const char    *lang)
{
  g_return_val_if_fail (FR_IS_KIOSK_LISTEN (self), FALSE);
  return fr_clips_has_voice (self->clips, lang);
}

gboolean
fr_kiosk_listen_any_voice (FrKioskListen *self)
{
  const char *const *langs = fr_kiosk_context_get_languages (self->context);

  for (guint i = 0; langs[i]; i++)
    if (fr_clips_has_voice (self->clips, langs[i]))
      return TRUE;
  return FALSE;
}

/* Queues the clips of @text under @key ({site} as the site's own recording, if any). */
static guint
say (FrKioskListen *self,
     const char    *lang,
     const char    *key,
     const char    *text,
     int            mark,
     guint          pause_ms)
{
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  guint n = 0;

  if (text == NULL || *text == '\0')
    return 0;
  keys = fr_clips_split (key, text, &texts);
  for (guint i = 0; i < keys->len; i++)
    {
      gboolean stale = FALSE;
      const char *path = fr_clips_lookup (self->clips, lang, g_ptr_array_index (keys, i),
                                          g_ptr_array_index (texts, i), &stale);

      if (stale)
        g_message ("clip %s is stale: not played", (char *) g_ptr_array_index (keys, i));
      if (path == NULL)
        continue;
      fr_kiosk_audio_add (self->target, path, mark, i + 1 == keys->len ? pause_ms : 0);
      n++;
    }
  return n;
}

static guint
say_ui (FrKioskListen *self,
        const char    *lang,
        const char    *key,
        guint          pause_ms)
{
  for (guint i = 0; fr_clips_ui_keys[i]; i++)
    if (g_str_equal (fr_clips_ui_keys[i], key))
      {
        g_autofree char *text = fr_kiosk_i18n_translate_for (lang, fr_clips_ui_msgids[i]);

        return say (self, lang, key, text, MARK_NONE, pause_ms);
      }
  return 0;
}

/* Digits and letters one by one (phone numbers, the receipt code). */
static guint
say_chars (FrKioskListen *self,
           const char    *lang,
           const char    *chars,
           guint          pause_ms,
           guint          pause_end_ms)
{
  guint n = 0;

  for (const char *c = chars; *c; c++)
    {
      char key[] = "char.X";
      char text[] = "X";

      if (strchr (FR_CLIPS_RECEIPT_CHARS, g_ascii_toupper (*c)) == NULL || *c == '\0')
        continue;
      key[5] = text[0] = g_ascii_toupper (*c);
      n += say (self, lang, key, text, MARK_NONE, c[1] == '\0' ? pause_end_ms : pause_ms);
    }
  return n;
}

/* One contact: its name, if there is a clip for it (a site records "contact.ID.name", its
 * hash that of the name the screen shows), then its number digit by digit. */
static guint
say_contact (FrKioskListen   *self,
             const char      *lang,
             const FrContact *contact)
{
  const FrSite *site = fr_kiosk_context_get_site (self->context);
  g_autofree char *name = fr_site_contact_text (site, contact, "name", lang);
  g_autofree char *key = g_strdup_printf ("contact.%s.name", contact->id);
  guint n = 0;

  n += say (self, lang, key, name, MARK_NONE, PAUSE_DIGIT_MS);
  if (contact->phone != NULL)
    n += say_chars (self, lang, contact->phone, PAUSE_DIGIT_MS, PAUSE_PARAGRAPH_MS * 2);
  return n;
}

/* The contacts a page lists: contact ids, or tile:help-now / tile:talk for a tile's. */
static guint
say_contacts (FrKioskListen     *self,
              const char        *lang,
              const char *const *ids)
{
  guint n = 0;

  for (guint i = 0; ids && ids[i]; i++)
    {
      if (g_str_has_prefix (ids[i], FR_CONTENT_TILE_PREFIX))
        {
          g_autoptr(GPtrArray) contacts = fr_kiosk_context_contacts_for_tile (self->context,
                                                                             ids[i] + strlen (FR_CONTENT_TILE_PREFIX));

          for (guint j = 0; j < contacts->len; j++)
            n += say_contact (self, lang, g_ptr_array_index (contacts, j));
        }
      else
        {
          const FrContact *contact = fr_kiosk_context_find_contact (self->context, ids[i]);

          if (contact != NULL)
            n += say_contact (self, lang, contact);
        }
    }
  return n;
}

/* The page behind a home tile (fr_kiosk_topic_new_for_tile()): for help-now the emergency
 * topic and that staff can help, for talk its title and note; then the tile's contacts. */
static guint
say_tile (FrKioskListen *self,
          const char    *lang,
          const char    *tile)
{
  const FrTopic *emergency = fr_content_get_topic (fr_kiosk_context_get_content (self->context), lang, "emergency");
  g_autofree char *tile_id = g_strconcat (FR_CONTENT_TILE_PREFIX, tile, NULL);
  const char *ids[] = { tile_id, NULL };
  guint n = 0;

  if (g_str_equal (tile, "help-now"))
    {
      if (emergency != NULL)
        {
          n += say (self, lang, "topic.emergency.title", emergency->title, MARK_NONE, PAUSE_PARAGRAPH_MS);
          for (guint i = 0; emergency->paragraphs[i]; i++)
            {
              g_autofree char *key = g_strdup_printf ("topic.emergency.p%u", i + 1);

              n += say (self, lang, key, emergency->paragraphs[i], (int) i, PAUSE_PARAGRAPH_MS);
            }
        }
      n += say_ui (self, lang, "ui.help-now-staff", PAUSE_PARAGRAPH_MS);
    }
  else
    {
      n += say_ui (self, lang, "ui.talk-title", PAUSE_PARAGRAPH_MS);
      n += say_ui (self, lang, "ui.talk-intro", PAUSE_PARAGRAPH_MS);
    }
  return n + say_contacts (self, lang, ids);
}

static guint
say_topic (FrKioskListen *self,
           GtkWidget     *page,
           const char    *lang)
{
  const FrContent *content = fr_kiosk_context_get_content (self->context);
  const char *name = gtk_widget_get_name (page);
  const FrTopic *topic;
  g_autofree char *prefix = NULL;
  g_autofree char *title = NULL;
  guint n = 0;

  if (g_strcmp0 (name, "help-now") == 0 || g_strcmp0 (name, "talk") == 0)
    {
      n = say_tile (self, lang, name);
      if (n > 0)
        {
          self->topic = page;
          g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &self->topic);
        }
      return n;
    }
  topic = fr_content_get_topic (content, lang, name);
  if (topic == NULL)
    return 0;
  prefix = g_strconcat ("topic.", topic->id, NULL);
  title = g_strconcat (prefix, ".title", NULL);
  n += say (self, lang, title, topic->title, MARK_NONE, PAUSE_PARAGRAPH_MS);
  for (guint i = 0; topic->paragraphs[i]; i++)
    {
      g_autofree char *key = g_strdup_printf ("%s.p%u", prefix, i + 1);

      n += say (self, lang, key, topic->paragraphs[i], (int) i, PAUSE_PARAGRAPH_MS);
    }
  n += say_contacts (self, lang, topic->contacts);
  if (n > 0)
    {
      self->topic = page;
      g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &self->topic);
    }
  return n;
}

static guint
say_home (FrKioskListen *self,
          const char    *lang)
{
  const FrTopic *const *topics = fr_content_get_topics (fr_kiosk_context_get_content (self->context), lang);
  guint n = 0;

  for (guint i = 0; topics && topics[i]; i++)
    {
      g_autofree char *key = g_strconcat ("topic.", topics[i]->id, ".title", NULL);

      n += say (self, lang, key, topics[i]->title, MARK_NONE, PAUSE_PARAGRAPH_MS);
    }
  return n;
}

static guint
say_question (FrKioskListen    *self,
              const char       *lang,
              const FrQuestion *q)
{
  g_autofree char *label = g_strdup_printf ("question.%s.label", q->id);
  g_autofree char *help = g_strdup_printf ("question.%s.help", q->id);
  guint n = 0;

  n += say (self, lang, label, q->label, MARK_NONE, PAUSE_PARAGRAPH_MS);
  n += say (self, lang, help, q->help, MARK_NONE, PAUSE_PARAGRAPH_MS);
  for (guint i = 0; i < q->n_options; i++)
    {
      g_autofree char *key = g_strdup_printf ("question.%s.option.%s", q->id, q->options[i].id);

      n += say (self, lang, key, q->options[i].label, MARK_NONE, PAUSE_PARAGRAPH_MS);
    }
  /* The voice question: how to record. */
  if (q->kind == FR_QUESTION_VOICE)
    n += say_ui (self, lang, "ui.voice-instructions", 0);
  return n;
}

static guint
say_consent (FrKioskListen *self,
             const char    *lang)
{
  const FrContent *content = fr_kiosk_context_get_content (self->context);
  const FrTopic *consent = fr_content_get_consent (content, lang);
  guint n = 0;

  if (consent == NULL)
    return 0;
  n += say (self, lang, "consent.title", consent->title, MARK_NONE, PAUSE_PARAGRAPH_MS);
  for (guint i = 0; consent->paragraphs[i]; i++)
    {
      g_autofree char *key = g_strdup_printf ("consent.p%u", i + 1);

      n += say (self, lang, key, consent->paragraphs[i], MARK_NONE, PAUSE_PARAGRAPH_MS);
    }
  n += say (self, lang, "consent.agree", fr_content_get_consent_agree (content, lang), MARK_NONE, PAUSE_PARAGRAPH_MS);
  n += say (self, lang, "consent.decline", fr_content_get_consent_decline (content, lang), MARK_NONE, PAUSE_PARAGRAPH_MS);
  return n;
}

/* The review: its title and note, then each answer as the screen lists it — the question,
 * and the options chosen. What the person typed is never spoken: a bystander would hear
 * it (and there is no voice for it: clips are made before, not from what is typed); for
 * such an answer a clip says that it is on the screen. Last, a voice message that will be
 * sent. */
static guint
say_review (FrKioskListen *self,
            FrKioskWizard *wizard,
            const char    *lang)
{
  FrKioskSession *session = fr_kiosk_wizard_get_session (wizard);
  const FrQuestion *const *form = fr_content_get_form_for (fr_kiosk_context_get_content (self->context), lang,
                                                           fr_kiosk_session_is_assisted (session));
  gboolean voice = FALSE;
  guint n = 0;

  n += say_ui (self, lang, "ui.review-title", PAUSE_PARAGRAPH_MS);
  n += say_ui (self, lang, "ui.review-intro", PAUSE_PARAGRAPH_MS);
  for (guint i = 0; form && form[i]; i++)
    {
      const FrQuestion *q = form[i];
      g_autofree char *label = g_strdup_printf ("question.%s.label", q->id);

      if (!fr_kiosk_session_question_shown (session, form, q))
        continue;
      if (q->kind == FR_QUESTION_VOICE)
        voice = voice || fr_kiosk_session_get_voice (session, NULL) != NULL;
      if (fr_kiosk_session_get_answer (session, q->id) == NULL)
        continue;
      n += say (self, lang, label, q->label, MARK_NONE, PAUSE_DIGIT_MS);
      if (q->options == NULL)
        {
          n += say_ui (self, lang, "ui.review-written", PAUSE_PARAGRAPH_MS);
          continue;
        }
      for (guint j = 0; j < q->n_options; j++)
        if (fr_kiosk_session_answer_has (session, q->id, q->options[j].id))
          {
            g_autofree char *key = g_strdup_printf ("question.%s.option.%s", q->id, q->options[j].id);

            n += say (self, lang, key, q->options[j].label, MARK_NONE, PAUSE_PARAGRAPH_MS);
          }
    }
  if (voice)
    n += say_ui (self, lang, "ui.review-voice", 0);
  return n;
}

static void
on_wizard_page_changed (GtkStack      *pages,
                        GParamSpec    *pspec,
                        FrKioskListen *self)
{
  fr_kiosk_listen_stop (self);
}

static guint
say_wizard (FrKioskListen *self,
            FrKioskWizard *wizard,
            const char    *lang)
{
  GtkWidget *page = fr_kiosk_wizard_get_current_page (wizard);
  GtkWidget *stack = page != NULL ? gtk_widget_get_parent (page) : NULL;
  guint n = 0;

  if (page == NULL)
    return 0;
  if (FR_IS_KIOSK_QUESTION (page))
    n = say_question (self, lang, fr_kiosk_question_get_question (FR_KIOSK_QUESTION (page)));
  else if (g_strcmp0 (fr_kiosk_wizard_get_step_name (wizard), "consent") == 0)
    n = say_consent (self, lang);
  else if (g_strcmp0 (fr_kiosk_wizard_get_step_name (wizard), "review") == 0)
    n = say_review (self, wizard, lang);
  /* Next, Back, an answer: the page changes and the reading stops. */
  if (n > 0 && GTK_IS_STACK (stack))
    {
      self->wizard_pages = GTK_STACK (stack);
      g_object_add_weak_pointer (G_OBJECT (stack), (gpointer *) &self->wizard_pages);
      self->wizard_handler = g_signal_connect (stack, "notify::visible-child", G_CALLBACK (on_wizard_page_changed), self);
    }
  return n;
}

static guint
say_receipt (FrKioskListen  *self,
             FrKioskReceipt *receipt,
             const char     *lang)
{
  const char *code = fr_kiosk_receipt_get_code (receipt);
  guint n = 0;

  n += say_ui (self, lang, "ui.receipt-title", PAUSE_PARAGRAPH_MS);
  n += say_ui (self, lang, "ui.receipt-intro", PAUSE_PARAGRAPH_MS);
  for (guint twice = 0; twice < 2; twice++)
    n += say_chars (self, lang, code, PAUSE_CODE_CHAR_MS, PAUSE_CODE_MS);
  n += say_ui (self, lang, "ui.receipt-hint", 0);
  return n;
}

/* Headphones first: without them nothing is read; the person is told how to ask for
 * them — on screen each time (::needs-headphones), said quietly once a session. */
static gboolean
headphones_ok (FrKioskListen *self,
               const char    *lang)
{
  if (self->headphones == NULL || fr_kiosk_headphones_present (self->headphones))
    return TRUE;
  if (!self->told)
    {
      self->told = TRUE;
      self->target = self->notice;
      if (say_ui (self, lang, "ui.headphones", 0) > 0)
        fr_kiosk_audio_play (self->notice);
      self->target = self->audio;
    }
  g_signal_emit (self, signals[SIGNAL_NEEDS_HEADPHONES], 0);
  return FALSE;
}

gboolean
fr_kiosk_listen_screen (FrKioskListen *self,
                        GtkWidget     *page,
                        const char    *lang)
{
  guint n = 0;

  g_return_val_if_fail (FR_IS_KIOSK_LISTEN (self), FALSE);

  fr_kiosk_listen_stop (self);
  if (page == NULL || !fr_clips_has_voice (self->clips, lang) || !headphones_ok (self, lang))
    return FALSE;
  if (FR_IS_KIOSK_TOPIC (page))
    n = say_topic (self, page, lang);
  else if (FR_IS_KIOSK_HOME (page))
    n = say_home (self, lang);
  else if (FR_IS_KIOSK_WIZARD (page))
    n = say_wizard (self, FR_KIOSK_WIZARD (page), lang);
  else if (FR_IS_KIOSK_RECEIPT (page))
    n = say_receipt (self, FR_KIOSK_RECEIPT (page), lang);
  if (n == 0)
    {
      forget_page (self);
      return FALSE;
    }
  fr_kiosk_audio_play (self->audio);
  return TRUE;
}

gboolean
fr_kiosk_listen_language (FrKioskListen *self,
                          const char    *lang)
{
  const FrContent *content = fr_kiosk_context_get_content (self->context);
  guint n = 0;

  g_return_val_if_fail (FR_IS_KIOSK_LISTEN (self), FALSE);

  fr_kiosk_listen_stop (self);
  if (!fr_clips_has_voice (self->clips, lang) || !headphones_ok (self, lang))
    return FALSE;
  n += say (self, lang, "language.name", fr_content_get_language_name (content, lang), MARK_NONE, PAUSE_PARAGRAPH_MS);
  n += say_ui (self, lang, "ui.greeting", 0);
  if (n > 0)
    fr_kiosk_audio_play (self->audio);
  return n > 0;
}

void
fr_kiosk_listen_stop (FrKioskListen *self)
{
  g_return_if_fail (FR_IS_KIOSK_LISTEN (self));
  fr_kiosk_audio_stop (self->audio);
  fr_kiosk_audio_stop (self->notice);
  forget_page (self);
}

gboolean
fr_kiosk_listen_is_playing (FrKioskListen *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_LISTEN (self), FALSE);
  return fr_kiosk_audio_is_playing (self->audio);
}

FrKioskAudio *
fr_kiosk_listen_get_audio (FrKioskListen *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_LISTEN (self), NULL);
  return self->audio;
}

/**
 * fr_kiosk_listen_set_read_all:
 *
 * "Read every screen aloud", for this session: each screen is read as it opens
 * (fr_kiosk_listen_screen_opened()).
 */
void
fr_kiosk_listen_set_read_all (FrKioskListen *self,
                              gboolean       read_all)
{
  g_return_if_fail (FR_IS_KIOSK_LISTEN (self));
  self->read_all = read_all;
}

gboolean
fr_kiosk_listen_get_read_all (FrKioskListen *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_LISTEN (self), FALSE);
  return self->read_all;
}

/* A screen (or a step of the form) has opened: read it if every screen is read. */
gboolean
fr_kiosk_listen_screen_opened (FrKioskListen *self,
                               GtkWidget     *page,
                               const char    *lang)
{
  g_return_val_if_fail (FR_IS_KIOSK_LISTEN (self), FALSE);

  if (!self->read_all || lang == NULL)
    return FALSE;
  return fr_kiosk_listen_screen (self, page, lang);
}

/* The session ended: silence, read-all off, the headphones notice may be said again. */
void
fr_kiosk_listen_end_session (FrKioskListen *self)
{
  g_return_if_fail (FR_IS_KIOSK_LISTEN (self));

  fr_kiosk_listen_stop (self);
  self->read_all = FALSE;
  self->told = FALSE;
}

/* The notice's audio (tests). */
FrKioskAudio *
fr_kiosk_listen_get_notice_audio (FrKioskListen *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_LISTEN (self), NULL);
  return self->notice;
}
