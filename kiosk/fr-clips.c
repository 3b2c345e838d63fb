/* fr-clips.c — spoken clips: keys, manifests, the hash check (format in fr-clips.h) */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fr-clips.h"
#include "fr-error.h"

typedef struct
{
  char *path;     /* absolute */
  char *sha256;   /* 64 lowercase hex digits */
} Clip;

typedef struct
{
  GHashTable *clips;   /* key → Clip */
} Voice;

struct _FrClips
{
  GHashTable *voices;  /* lang → Voice; only languages with a manifest */
};

/* The interface strings with clips: the welcome greeting and the receipt screen. Their
 * msgids are the ones those screens show (fr-kiosk-welcome.c, fr-kiosk-receipt.ui). */
const char *const fr_clips_ui_keys[] = {
  "ui.greeting",
  "ui.receipt-title",
  "ui.receipt-intro",
  "ui.receipt-hint",
  "ui.voice-instructions",
  "ui.headphones",
  "ui.review-title",
  "ui.review-intro",
  "ui.review-written",
  "ui.review-voice",
  "ui.help-now-staff",
  "ui.talk-title",
  "ui.talk-intro",
  NULL,
};
const char *const fr_clips_ui_msgids[] = {
  /* Translators: the same strings as on the welcome and receipt screens, spoken */
  N_("Help and information"),
  N_("Your message is on its way"),
  N_("Your receipt code. Say it when you call social services:"),
  N_("You can write the code down or remember it. The code does not show your name or your message."),
  /* Translators: the same strings as on the voice question and the headphones notice, spoken */
  N_("Press Record and speak. Press Stop when you have finished. You can listen to your message before you send it."),
  N_("To listen, please use headphones. Plug them in, or ask a member of staff for a pair."),
  /* Translators: the same strings as on the review screen, spoken */
  N_("Check your message"),
  N_("This is what will be sent to social services. Use Back to change something."),
  /* Translators: spoken on the review screen where the person typed an answer; what they
   * typed is never read aloud (someone nearby could hear it) */
  N_("You wrote an answer here. It is shown on the screen and is not read aloud."),
  N_("Voice message"),
  /* Translators: the same strings as on the pages behind the "I need help now" and
   * "Talk to someone" tiles, spoken */
  N_("You can also ask a member of staff here for help."),
  N_("Talk to someone"),
  N_("You can call these numbers. Ask for an interpreter if you need one."),
  NULL,
};

/* espeak-ng voices for the shipped languages. Mandarin has none: espeak-ng's cmn voice
 * reads hanzi poorly and its pinyin voice needs a hanzi → pinyin converter the build does
 * not have; a zh_CN session shows no Listen until a site records clips (CONTENT.md). */
static const struct { const char *lang; const char *voice; } espeak_voices[] = {
  { "en", "en-gb" }, { "sv", "sv" }, { "th", "th" }, { "ro", "ro" }, { "bg", "bg" },
  { "uk", "uk" }, { "ru", "ru" }, { "pl", "pl" }, { "es", "es" }, { "vi", "vi" },
  { "ar", "ar" },
};

const char *
fr_clips_espeak_voice (const char *lang)
{
  for (guint i = 0; i < G_N_ELEMENTS (espeak_voices); i++)
    if (g_strcmp0 (espeak_voices[i].lang, lang) == 0)
      return espeak_voices[i].voice;
  return NULL;
}

static gboolean
running_uninstalled (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  return exe != NULL && g_str_has_prefix (exe, FRISTAD_BUILD_ROOT "/");
}

const char *
fr_clips_shipped_dir (void)
{
  const char *env = g_getenv ("FRISTAD_CLIPS_DIR");

  if (env != NULL && *env != '\0')
    return env;
  if (running_uninstalled ())
    return FRISTAD_BUILD_ROOT "/i18n/clips";
  return DATADIR "/clips";
}

void
fr_clip_text_free (FrClipText *clip)
{
  if (clip == NULL)
    return;
  g_free (clip->key);
  g_free (clip->text);
  g_free (clip);
}

char *
fr_clips_text_hash (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

GPtrArray *
fr_clips_split (const char *key,
                const char *text,
                GPtrArray **texts)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) pieces = NULL;
  guint n = 0;

  g_return_val_if_fail (key != NULL && text != NULL, keys);

  if (texts != NULL)
    *texts = g_ptr_array_new_with_free_func (g_free);
  pieces = g_strsplit (text, "{site}", -1);
  for (guint i = 0; pieces[i]; i++)
    {
      g_autofree char *piece = g_strstrip (g_strdup (pieces[i]));

      if (i > 0)
        {
          g_ptr_array_add (keys, g_strdup (FR_CLIPS_SITE_NAME_KEY));
          if (texts != NULL)
            g_ptr_array_add (*texts, NULL);
        }
      /* Nothing to say but punctuation: no clip. */
      if (strspn (piece, ".,:;!?-–— ") == strlen (piece))
        continue;
      g_ptr_array_add (keys, n == 0 ? g_strdup (key) : g_strdup_printf ("%s.%u", key, n));
      n++;
      if (texts != NULL)
        g_ptr_array_add (*texts, g_steal_pointer (&piece));
    }
  return keys;
}

static void
add_text (GPtrArray  *out,
          const char *key,
          const char *text)
{
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) keys = NULL;

  if (text == NULL || *text == '\0')
    return;
  keys = fr_clips_split (key, text, &texts);
  for (guint i = 0; i < keys->len; i++)
    {
      FrClipText *clip;

      if (g_ptr_array_index (texts, i) == NULL)
        continue;
      clip = g_new0 (FrClipText, 1);
      clip->key = g_strdup (g_ptr_array_index (keys, i));
      clip->text = g_strdup (g_ptr_array_index (texts, i));
      g_ptr_array_add (out, clip);
    }
}

static void
add_document (GPtrArray     *out,
              const char    *prefix,
              const FrTopic *doc)
{
  g_autofree char *title = g_strconcat (prefix, ".title", NULL);

  if (doc == NULL)
    return;
  add_text (out, title, doc->title);
  for (guint i = 0; doc->paragraphs[i]; i++)
    {
      g_autofree char *key = g_strdup_printf ("%s.p%u", prefix, i + 1);

      add_text (out, key, doc->paragraphs[i]);
    }
}

GPtrArray *
fr_clips_site_texts (const FrSite *site,
                     const char   *lang)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) fr_clip_text_free);
  g_autofree char *name = NULL;

  g_return_val_if_fail (site != NULL && lang != NULL, out);

  name = fr_site_get_name (site, lang);
  add_text (out, FR_CLIPS_SITE_NAME_KEY, name);
  for (guint i = 0; i < site->contacts->len; i++)
    {
      const FrContact *contact = g_ptr_array_index (site->contacts, i);
      g_autofree char *key = g_strdup_printf ("contact.%s.name", contact->id);
      g_autofree char *text = fr_site_contact_text (site, contact, "name", lang);

      add_text (out, key, text);
    }
  return out;
}

GPtrArray *
fr_clips_texts (const FrContent  *content,
                const char       *lang,
                FrClipsTranslate  translate)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) fr_clip_text_free);
  const FrTopic *const *topics;
  const FrQuestion *const *form;
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (content != NULL && lang != NULL, out);

  add_text (out, "language.name", fr_content_get_language_name (content, lang));
  for (guint i = 0; translate != NULL && fr_clips_ui_keys[i]; i++)
    {
      g_autofree char *text = translate (lang, fr_clips_ui_msgids[i]);

      add_text (out, fr_clips_ui_keys[i], text);
    }
  topics = fr_content_get_topics (content, lang);
  for (guint i = 0; topics && topics[i]; i++)
    {
      g_autofree char *prefix = g_strconcat ("topic.", topics[i]->id, NULL);

      add_document (out, prefix, topics[i]);
    }
  form = fr_content_get_form (content, lang);
  for (guint i = 0; form && form[i]; i++)
    {
      const FrQuestion *q = form[i];
      g_autofree char *label = g_strdup_printf ("question.%s.label", q->id);
      g_autofree char *help = g_strdup_printf ("question.%s.help", q->id);

      if (q->kind == FR_QUESTION_VOICE)
        continue;
      if (q->group != NULL && !g_hash_table_contains (groups, q->group))
        {
          g_autofree char *title = g_strdup_printf ("group.%s.title", q->group);
          g_autofree char *intro = g_strdup_printf ("group.%s.intro", q->group);

          g_hash_table_add (groups, (gpointer) q->group);
          add_text (out, title, fr_content_get_group_title (content, lang, q->group));
          add_text (out, intro, fr_content_get_group_intro (content, lang, q->group));
        }
      add_text (out, label, q->label);
      add_text (out, help, q->help);
      for (guint j = 0; j < q->n_options; j++)
        {
          g_autofree char *key = g_strdup_printf ("question.%s.option.%s", q->id, q->options[j].id);

          add_text (out, key, q->options[j].label);
        }
    }
  add_document (out, "consent", fr_content_get_consent (content, lang));
  add_text (out, "consent.agree", fr_content_get_consent_agree (content, lang));
  add_text (out, "consent.decline", fr_content_get_consent_decline (content, lang));
  for (const char *c = FR_CLIPS_RECEIPT_CHARS; *c; c++)
    {
      char key[] = "char.X";
      char text[] = "X";

      key[5] = *c;
      text[0] = *c;
      add_text (out, key, text);
    }
  return out;
}

static void
clip_free (gpointer data)
{
  Clip *clip = data;

  g_free (clip->path);
  g_free (clip->sha256);
  g_free (clip);
}

static void
voice_free (gpointer data)
{
  Voice *voice = data;

  g_hash_table_unref (voice->clips);
  g_free (voice);
}

static gboolean
is_sha256_hex (const char *s)
{
  if (s == NULL || strlen (s) != 64)
    return FALSE;
  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isxdigit (s[i]) || g_ascii_isupper (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_clip_file_name (const char *s)
{
  if (s == NULL || *s == '\0' || *s == '.' || strlen (s) > 128)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;
  return g_str_has_suffix (s, ".opus") || g_str_has_suffix (s, ".ogg");
}

/* Reads DIR/clips.ini into @voice (its entries replace earlier ones key by key). A
 * missing folder or manifest is not an error. */
static gboolean
read_manifest (Voice       *voice,
               const char  *dir,
               gboolean    *found,
               GError     **error)
{
  g_autofree char *path = g_build_filename (dir, FR_CLIPS_MANIFEST, NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) groups = NULL;

  *found = FALSE;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s: %s", path, local->message);
      return FALSE;
    }
  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i]; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (kf, groups[i], NULL, NULL);
      g_autofree char *file = NULL;
      g_autofree char *sha = NULL;
      Clip *clip;

      if (!g_str_has_prefix (groups[i], "clip ") || groups[i][5] == '\0')
        {
          g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s: unknown group [%s]", path, groups[i]);
          return FALSE;
        }
      for (guint j = 0; keys && keys[j]; j++)
        if (!g_str_equal (keys[j], "file") && !g_str_equal (keys[j], "sha256"))
          {
            g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s: [%s] unknown key %s", path, groups[i], keys[j]);
            return FALSE;
          }
      file = g_key_file_get_string (kf, groups[i], "file", NULL);
      sha = g_key_file_get_string (kf, groups[i], "sha256", NULL);
      if (!is_clip_file_name (file))
        {
          g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s: [%s] file must be a plain NAME.opus", path, groups[i]);
          return FALSE;
        }
      if (!is_sha256_hex (sha))
        {
          g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s: [%s] sha256 must be 64 lowercase hex digits", path, groups[i]);
          return FALSE;
        }
      clip = g_new0 (Clip, 1);
      clip->path = g_build_filename (dir, file, NULL);
      clip->sha256 = g_steal_pointer (&sha);
      if (!g_file_test (clip->path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s: [%s] %s is missing", path, groups[i], file);
          clip_free (clip);
          return FALSE;
        }
      g_hash_table_replace (voice->clips, g_strdup (groups[i] + 5), clip);
    }
  *found = TRUE;
  return TRUE;
}

FrClips *
fr_clips_load (const char        *shipped_dir,
               const char        *site_content_dir,
               const char *const *languages,
               GError           **error)
{
  g_autoptr(FrClips) clips = g_new0 (FrClips, 1);

  g_return_val_if_fail (languages != NULL, NULL);

  clips->voices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, voice_free);
  for (guint i = 0; languages[i]; i++)
    {
      Voice *voice = g_new0 (Voice, 1);
      gboolean shipped = FALSE, site = FALSE;

      voice->clips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, clip_free);
      if (shipped_dir != NULL)
        {
          g_autofree char *dir = g_build_filename (shipped_dir, languages[i], NULL);

          if (!read_manifest (voice, dir, &shipped, error))
            {
              voice_free (voice);
              return NULL;
            }
        }
      if (site_content_dir != NULL)
        {
          g_autofree char *dir = g_build_filename (site_content_dir, languages[i], "clips", NULL);

          if (!read_manifest (voice, dir, &site, error))
            {
              voice_free (voice);
              return NULL;
            }
        }
      if (shipped || site)
        g_hash_table_replace (clips->voices, g_strdup (languages[i]), voice);
      else
        voice_free (voice);
    }
  return g_steal_pointer (&clips);
}

void
fr_clips_free (FrClips *clips)
{
  if (clips == NULL)
    return;
  g_clear_pointer (&clips->voices, g_hash_table_unref);
  g_free (clips);
}

gboolean
fr_clips_has_voice (const FrClips *clips,
                    const char    *lang)
{
  g_return_val_if_fail (clips != NULL, FALSE);
  return lang != NULL && g_hash_table_contains (clips->voices, lang);
}

const char *
fr_clips_lookup (const FrClips *clips,
                 const char    *lang,
                 const char    *key,
                 const char    *text,
                 gboolean      *stale)
{
  Voice *voice;
  Clip *clip;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (clips != NULL && key != NULL, NULL);

  if (stale != NULL)
    *stale = FALSE;
  if (lang == NULL || (voice = g_hash_table_lookup (clips->voices, lang)) == NULL)
    return NULL;
  if ((clip = g_hash_table_lookup (voice->clips, key)) == NULL)
    return NULL;
  if (text == NULL)
    return clip->path;
  hash = fr_clips_text_hash (text);
  if (!g_str_equal (hash, clip->sha256))
    {
      if (stale != NULL)
        *stale = TRUE;
      return NULL;
    }
  return clip->path;
}

GBytes *
fr_clips_read (const char *path,
               GError    **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  if (len == 0 || len > FR_CLIPS_MAX_FILE_SIZE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "%s: a clip must be 1 byte to 2 MiB", path);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&data), len);
}
