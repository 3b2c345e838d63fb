/* fr-kiosk-session.c — one person's visit: language, channel and answers */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "fr-kiosk-session.h"

struct _FrKioskSession
{
  GObject     parent_instance;

  char       *language;
  const char *channel;      /* one of the FR_KIOSK_CHANNEL_* literals */
  FrSecret   *volunteer;    /* NULL in kiosk mode */
  GHashTable *answers;      /* question id → FrSecret (multiple: option ids, one a line) */
  FrSecret   *voice[FR_KIOSK_VOICE_N_VARIANTS];   /* the voice message as recorded, disguised */
  guint64     voice_ms[FR_KIOSK_VOICE_N_VARIANTS];
  gboolean    voice_disguised;                    /* the disguised one is the one sent */
};

G_DEFINE_FINAL_TYPE (FrKioskSession, fr_kiosk_session, G_TYPE_OBJECT)

static void
fr_kiosk_session_finalize (GObject *object)
{
  FrKioskSession *self = (FrKioskSession *) object;

  g_clear_pointer (&self->answers, g_hash_table_unref);
  fr_kiosk_session_clear_voice (self);
  g_clear_pointer (&self->volunteer, fr_secret_free);
  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (fr_kiosk_session_parent_class)->finalize (object);
}

static void
fr_kiosk_session_class_init (FrKioskSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fr_kiosk_session_finalize;
}

static void
fr_kiosk_session_init (FrKioskSession *self)
{
  self->channel = FR_KIOSK_CHANNEL_KIOSK;
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) fr_secret_free);
}

FrKioskSession *
fr_kiosk_session_new (void)
{
  return g_object_new (FR_TYPE_KIOSK_SESSION, NULL);
}

const char *
fr_kiosk_session_get_language (FrKioskSession *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_SESSION (self), NULL);
  return self->language;
}

void
fr_kiosk_session_set_language (FrKioskSession *self,
                               const char     *lang)
{
  g_return_if_fail (FR_IS_KIOSK_SESSION (self));
  g_free (self->language);
  self->language = g_strdup (lang);
}

const char *
fr_kiosk_session_get_channel (FrKioskSession *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_SESSION (self), NULL);
  return self->channel;
}

gboolean
fr_kiosk_session_is_assisted (FrKioskSession *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_SESSION (self), FALSE);
  return self->volunteer != NULL;
}

/* A volunteer id: 1..64 characters, no control characters (Record JSON v1). */
static gboolean
volunteer_is_valid (const char *text,
                    gsize       len)
{
  const char *p = text;
  glong n = 0;

  if (len == 0 || !g_utf8_validate_len (text, len, NULL))
    return FALSE;
  while (p < text + len)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_CONTROL)
        return FALSE;
      p = g_utf8_next_char (p);
      n++;
    }
  return n <= FR_KIOSK_VOLUNTEER_MAX;
}

/**
 * fr_kiosk_session_set_assisted:
 * @channel: %FR_KIOSK_CHANNEL_ASSISTED or %FR_KIOSK_CHANNEL_HOTLINE
 * @volunteer: the volunteer's id as typed (not NUL-terminated necessarily)
 *
 * Returns: %FALSE if the channel or the volunteer id is not acceptable.
 */
gboolean
fr_kiosk_session_set_assisted (FrKioskSession *self,
                               const char     *channel,
                               const char     *volunteer,
                               gsize           volunteer_len)
{
  g_return_val_if_fail (FR_IS_KIOSK_SESSION (self), FALSE);
  g_return_val_if_fail (channel != NULL, FALSE);

  if (g_str_equal (channel, FR_KIOSK_CHANNEL_ASSISTED))
    self->channel = FR_KIOSK_CHANNEL_ASSISTED;
  else if (g_str_equal (channel, FR_KIOSK_CHANNEL_HOTLINE))
    self->channel = FR_KIOSK_CHANNEL_HOTLINE;
  else
    return FALSE;
  if (volunteer == NULL || !volunteer_is_valid (volunteer, volunteer_len))
    {
      self->channel = FR_KIOSK_CHANNEL_KIOSK;
      return FALSE;
    }
  g_clear_pointer (&self->volunteer, fr_secret_free);
  self->volunteer = fr_secret_new_from (volunteer, volunteer_len);
  return TRUE;
}

void
fr_kiosk_session_set_answer (FrKioskSession *self,
                             const char     *question_id,
                             const char     *value,
                             gsize           len)
{
  g_return_if_fail (FR_IS_KIOSK_SESSION (self));
  g_return_if_fail (question_id != NULL);

  if (value == NULL || len == 0)
    {
      g_hash_table_remove (self->answers, question_id);
      return;
    }
  g_hash_table_replace (self->answers, g_strdup (question_id), fr_secret_new_from (value, len));
}

const FrSecret *
fr_kiosk_session_get_answer (FrKioskSession *self,
                             const char     *question_id)
{
  g_return_val_if_fail (FR_IS_KIOSK_SESSION (self), NULL);
  return g_hash_table_lookup (self->answers, question_id);
}

void
fr_kiosk_session_clear_answer (FrKioskSession *self,
                               const char     *question_id)
{
  g_return_if_fail (FR_IS_KIOSK_SESSION (self));
  g_hash_table_remove (self->answers, question_id);
}

void
fr_kiosk_session_clear_answers (FrKioskSession *self)
{
  g_return_if_fail (FR_IS_KIOSK_SESSION (self));
  g_hash_table_remove_all (self->answers);
  fr_kiosk_session_clear_voice (self);
}

/* Answers given, the voice message counted as one. */
guint
fr_kiosk_session_get_n_answers (FrKioskSession *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_SESSION (self), 0);
  return g_hash_table_size (self->answers) + (self->voice[FR_KIOSK_VOICE_PLAIN] != NULL ? 1 : 0);
}

/**
 * fr_kiosk_session_set_voice:
 * @plain: (transfer full): the voice message as recorded (Ogg Opus)
 * @disguised: (transfer full) (nullable): the same message disguised
 *
 * Keeps a new voice message (the last one is wiped); not disguised until said so.
 */
void
fr_kiosk_session_set_voice (FrKioskSession *self,
                            FrSecret       *plain,
                            guint64         plain_ms,
                            FrSecret       *disguised,
                            guint64         disguised_ms)
{
  g_return_if_fail (FR_IS_KIOSK_SESSION (self));
  g_return_if_fail (plain != NULL);

  fr_kiosk_session_clear_voice (self);
  self->voice[FR_KIOSK_VOICE_PLAIN] = plain;
  self->voice_ms[FR_KIOSK_VOICE_PLAIN] = plain_ms;
  self->voice[FR_KIOSK_VOICE_DISGUISED] = disguised;
  self->voice_ms[FR_KIOSK_VOICE_DISGUISED] = disguised != NULL ? disguised_ms : 0;
}

/* Delete, Record again, Skip, the end of the session: both versions wiped. */
void
fr_kiosk_session_clear_voice (FrKioskSession *self)
{
  g_return_if_fail (FR_IS_KIOSK_SESSION (self));

  for (guint i = 0; i < FR_KIOSK_VOICE_N_VARIANTS; i++)
    {
      g_clear_pointer (&self->voice[i], fr_secret_free);   /* sodium_free wipes it */
      self->voice_ms[i] = 0;
    }
  self->voice_disguised = FALSE;
}

/* Which version is sent (and played back); FALSE if there is no disguised one. */
gboolean
fr_kiosk_session_set_voice_disguised (FrKioskSession *self,
                                      gboolean        disguised)
{
  g_return_val_if_fail (FR_IS_KIOSK_SESSION (self), FALSE);

  if (disguised && self->voice[FR_KIOSK_VOICE_DISGUISED] == NULL)
    return FALSE;
  self->voice_disguised = disguised;
  return TRUE;
}

gboolean
fr_kiosk_session_get_voice_disguised (FrKioskSession *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_SESSION (self), FALSE);
  return self->voice_disguised;
}

gboolean
fr_kiosk_session_can_disguise_voice (FrKioskSession *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_SESSION (self), FALSE);
  return self->voice[FR_KIOSK_VOICE_DISGUISED] != NULL;
}

/**
 * fr_kiosk_session_get_voice:
 * @duration_ms: (out) (optional): its length
 *
 * Returns: (transfer none) (nullable): the voice message that is played back and sent:
 * the disguised version if the disguise is on, else the one as recorded.
 */
const FrSecret *
fr_kiosk_session_get_voice (FrKioskSession *self,
                            guint64        *duration_ms)
{
  FrKioskVoiceVariant v;

  g_return_val_if_fail (FR_IS_KIOSK_SESSION (self), NULL);

  v = self->voice_disguised ? FR_KIOSK_VOICE_DISGUISED : FR_KIOSK_VOICE_PLAIN;
  if (duration_ms != NULL)
    *duration_ms = self->voice_ms[v];
  return self->voice[v];
}

/* Whether the answer (one option id, or option ids one a line) holds @option_id. */
gboolean
fr_kiosk_session_answer_has (FrKioskSession *self,
                             const char     *question_id,
                             const char     *option_id)
{
  const FrSecret *answer = fr_kiosk_session_get_answer (self, question_id);
  gsize n = strlen (option_id);
  const char *p, *end;

  if (answer == NULL)
    return FALSE;
  p = (const char *) answer->data;
  end = p + answer->len;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl ? nl : end;

      if ((gsize) (line_end - p) == n && memcmp (p, option_id, n) == 0)
        return TRUE;
      p = line_end + 1;
    }
  return FALSE;
}

void
fr_kiosk_session_toggle_option (FrKioskSession *self,
                                const char     *question_id,
                                const char     *option_id)
{
  const FrSecret *answer;
  g_autoptr(FrSecret) updated = NULL;
  gboolean had;
  gsize n = strlen (option_id), out = 0;
  const char *p, *end;

  g_return_if_fail (FR_IS_KIOSK_SESSION (self));

  had = fr_kiosk_session_answer_has (self, question_id, option_id);
  answer = fr_kiosk_session_get_answer (self, question_id);
  updated = fr_secret_new ((answer ? answer->len + 1 : 0) + n);
  if (answer != NULL)
    {
      p = (const char *) answer->data;
      end = p + answer->len;
      while (p < end)
        {
          const char *nl = memchr (p, '\n', end - p);
          const char *line_end = nl ? nl : end;
          gsize line_len = line_end - p;

          if (!(line_len == n && memcmp (p, option_id, n) == 0))
            {
              if (out > 0)
                updated->data[out++] = '\n';
              memcpy (updated->data + out, p, line_len);
              out += line_len;
            }
          p = line_end + 1;
        }
    }
  if (!had)
    {
      if (out > 0)
        updated->data[out++] = '\n';
      memcpy (updated->data + out, option_id, n);
      out += n;
    }
  fr_kiosk_session_set_answer (self, question_id, (const char *) updated->data, out);
}

static const FrQuestion *
find_question (const FrQuestion *const *form,
               const char              *id)
{
  for (guint i = 0; form[i]; i++)
    if (g_str_equal (form[i]->id, id))
      return form[i];
  return NULL;
}

/**
 * fr_kiosk_session_question_shown:
 *
 * Applies the question's show_if to the answers given so far (fr-content.h).
 */
gboolean
fr_kiosk_session_question_shown (FrKioskSession          *self,
                                 const FrQuestion *const *form,
                                 const FrQuestion        *question)
{
  const FrQuestion *ref;

  g_return_val_if_fail (FR_IS_KIOSK_SESSION (self), FALSE);

  if (question->show_if_question == NULL)
    return TRUE;
  ref = find_question (form, question->show_if_question);
  if (ref == NULL || !fr_kiosk_session_question_shown (self, form, ref))
    return FALSE;
  if (question->show_if_values == NULL || question->show_if_values[0] == NULL)
    return fr_kiosk_session_get_answer (self, ref->id) != NULL;
  for (guint i = 0; question->show_if_values[i]; i++)
    if (fr_kiosk_session_answer_has (self, ref->id, question->show_if_values[i]))
      return TRUE;
  return FALSE;
}

/* The partial record is written twice: once to measure, once into guarded memory. */
typedef struct
{
  guint8 *out;   /* NULL while measuring */
  gsize   len;
} Writer;

static void
put (Writer     *w,
     const void *data,
     gsize       n)
{
  if (w->out != NULL)
    memcpy (w->out + w->len, data, n);
  w->len += n;
}

static void
put_str (Writer     *w,
         const char *s)
{
  put (w, s, strlen (s));
}

/* A JSON string. Control characters other than LF and tab (not allowed in an answer)
 * are dropped; the input is valid UTF-8 (GTK hands out nothing else). */
static void
put_json_string (Writer       *w,
                 const guint8 *s,
                 gsize         n,
                 gboolean      keep_newlines)
{
  put (w, "\"", 1);
  for (gsize i = 0; i < n; i++)
    {
      guint8 c = s[i];

      if (c == '"')
        put (w, "\\\"", 2);
      else if (c == '\\')
        put (w, "\\\\", 2);
      else if (c == '\n' && keep_newlines)
        put (w, "\\n", 2);
      else if (c == '\t' && keep_newlines)
        put (w, "\\t", 2);
      else if (c < 0x20 || c == 0x7f)
        continue;
      else if (c == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
        i++;
      else
        put (w, &c, 1);
    }
  put (w, "\"", 1);
}

static void
write_partial (Writer                  *w,
               FrKioskSession          *self,
               const FrQuestion *const *form,
               const char              *record_language,
               const char              *consent_version)
{
  gboolean first = TRUE;

  put_str (w, "{\"channel\":\"");
  put_str (w, self->channel);
  put_str (w, "\",");
  if (self->volunteer != NULL)
    {
      put_str (w, "\"volunteer\":");
      put_json_string (w, self->volunteer->data, self->volunteer->len, FALSE);
      put_str (w, ",");
    }
  put_str (w, "\"language\":\"");
  put_str (w, record_language);
  put_str (w, "\",\"answers\":{");
  for (guint i = 0; form[i]; i++)
    {
      const FrQuestion *q = form[i];
      const FrSecret *answer = fr_kiosk_session_get_answer (self, q->id);

      if (answer == NULL || q->kind == FR_QUESTION_VOICE || !fr_kiosk_session_question_shown (self, form, q))
        continue;
      if (!first)
        put_str (w, ",");
      first = FALSE;
      put_str (w, "\"");
      put_str (w, q->id);
      put_str (w, "\":");
      if (q->kind == FR_QUESTION_MULTIPLE)
        {
          const guint8 *p = answer->data, *end = answer->data + answer->len;
          gboolean first_option = TRUE;

          put_str (w, "[");
          while (p < end)
            {
              const guint8 *nl = memchr (p, '\n', end - p);
              const guint8 *line_end = nl ? nl : end;

              if (!first_option)
                put_str (w, ",");
              first_option = FALSE;
              put_json_string (w, p, line_end - p, FALSE);
              p = line_end + 1;
            }
          put_str (w, "]");
        }
      else
        put_json_string (w, answer->data, answer->len, q->kind == FR_QUESTION_LONG_TEXT);
    }
  put_str (w, "},\"consent\":{\"share\":true,\"text_version\":\"");
  put_str (w, consent_version);
  put_str (w, "\"}}");
}

/**
 * fr_kiosk_session_build_partial:
 * @form: the form the answers belong to
 * @record_language: the BCP-47 language of the record ("zh-CN")
 * @consent_version: the consent text version shown
 *
 * Writes the partial record (channel, volunteer, language, answers of the questions that
 * are shown, consent) as JSON into guarded memory, for fr_headless_seal_and_enqueue().
 *
 * Returns: (transfer full): the partial record.
 */
FrSecret *
fr_kiosk_session_build_partial (FrKioskSession          *self,
                                const FrQuestion *const *form,
                                const char              *record_language,
                                const char              *consent_version,
                                GError                 **error)
{
  Writer measure = { NULL, 0 };
  Writer write = { NULL, 0 };
  FrSecret *secret;

  g_return_val_if_fail (FR_IS_KIOSK_SESSION (self), NULL);
  g_return_val_if_fail (form != NULL && record_language != NULL && consent_version != NULL, NULL);

  write_partial (&measure, self, form, record_language, consent_version);
  if (measure.len > FR_RECORD_MAX_JSON)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TOO_LARGE, "the answers are larger than a record may be");
      return NULL;
    }
  secret = fr_secret_new (measure.len);
  write.out = secret->data;
  write_partial (&write, self, form, record_language, consent_version);
  g_assert (write.len == measure.len);
  return secret;
}
