/* test-clips.c — the spoken clips: every text the content can read aloud has a clip in
 * every language with a voice, each clip decodes to sound that is not silent and matches
 * its text's hash; a stale or malformed manifest is refused; a site's clip wins */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <glib/gstdio.h>
#include <libintl.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "fr-clips.h"
#include "fr-content.h"
#include "fr-error.h"
#include "fr-site.h"
#include "fr-test-util.h"

extern int _nl_msg_cat_cntr;

/* Under ASan: whole stacks for leaks, so tests/lsan.supp can tell GLib's quark table
 * (grown past its first block by GStreamer's registry) by its constructor frame. */
const char *__asan_default_options (void);
const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

static FrContent *content;

static char *
translate (const char *lang,
           const char *msgid)
{
  const char *t;

  g_setenv ("LANGUAGE", lang, TRUE);
  ++_nl_msg_cat_cntr;
  t = dgettext (GETTEXT_PACKAGE, msgid);
  if (t == msgid && !g_str_equal (lang, "en"))
    return NULL;
  return g_strdup (t);
}

/* Decodes Ogg Opus bytes (decodebin) to mono S16 and gives the duration and the RMS. */
static gboolean
decode (GBytes  *ogg,
        double  *seconds,
        double  *rms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (
      "appsrc name=src ! decodebin ! audioconvert ! audioresample"
      " ! audio/x-raw,format=S16LE,channels=1,rate=16000 ! appsink name=sink sync=false", &error);
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;
  GstSample *sample;
  guint64 n = 0;
  double sum = 0;

  g_assert_no_error (error);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  gst_app_src_push_buffer (GST_APP_SRC (src), gst_buffer_new_wrapped_bytes (ogg));
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL)
    {
      GstMapInfo map;

      if (gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
        {
          const gint16 *s = (const gint16 *) map.data;

          for (gsize i = 0; i < map.size / 2; i++)
            sum += (double) s[i] * s[i];
          n += map.size / 2;
          gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
        }
      gst_sample_unref (sample);
    }
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  *seconds = n / 16000.0;
  *rms = n > 0 ? sqrt (sum / n) / 32768.0 : 0;
  return msg == NULL && n > 0;
}

/* Under AddressSanitizer every clip is still looked up and its text's hash checked, but
 * only every DECODE_EVERY-th is decoded: decoding is GStreamer's own code, which is not
 * instrumented, and 2,000 pipelines took almost four minutes of CI under ASan. The normal
 * build decodes every clip. */
#if defined(__SANITIZE_ADDRESS__)
#define DECODE_EVERY 8
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DECODE_EVERY 8
#endif
#endif
#ifndef DECODE_EVERY
#define DECODE_EVERY 1
#endif

static void
test_every_clip (void)
{
  const char *const *langs = fr_content_get_languages (content);
  g_autoptr(GError) error = NULL;
  g_autoptr(FrClips) clips = fr_clips_load (CLIPS_DIR, NULL, langs, &error);
  guint checked = 0, decoded = 0;

  g_assert_no_error (error);
  for (guint i = 0; langs[i]; i++)
    {
      g_autoptr(GPtrArray) texts = NULL;

      g_assert_cmpint (fr_clips_has_voice (clips, langs[i]), ==, fr_clips_espeak_voice (langs[i]) != NULL);
      if (!fr_clips_has_voice (clips, langs[i]))
        continue;
      texts = fr_clips_texts (content, langs[i], translate);
      /* The language name, its greeting, the receipt screen, topics, form, consent, code. */
      g_assert_cmpuint (texts->len, >, 100);
      for (guint j = 0; j < texts->len; j++)
        {
          FrClipText *t = g_ptr_array_index (texts, j);
          gboolean stale = TRUE;
          const char *path = fr_clips_lookup (clips, langs[i], t->key, t->text, &stale);
          g_autoptr(GBytes) ogg = NULL;
          double seconds = 0, rms = 0;

          if (path == NULL)
            g_error ("%s %s: %s clip (\"%s\")", langs[i], t->key, stale ? "stale" : "no", t->text);
          ogg = fr_clips_read (path, &error);
          g_assert_no_error (error);
          checked++;
          if (checked % DECODE_EVERY != 0)
            continue;
          decoded++;
          if (!decode (ogg, &seconds, &rms))
            g_error ("%s %s: does not decode", langs[i], t->key);
          if (seconds < 0.15 || seconds > 120 || rms < 0.01)
            g_error ("%s %s: %.2f s, RMS %.4f: silent or broken", langs[i], t->key, seconds, rms);
        }
    }
  g_test_message ("%u clips found with their text's hash, %u decoded", checked, decoded);
  g_assert_cmpuint (checked, >, 1000);
  g_assert_cmpuint (decoded, >=, checked / DECODE_EVERY);
}

static void
test_no_mandarin_voice (void)
{
  g_autoptr(GError) error = NULL;
  const char *langs[] = { "zh_CN", "en", NULL };
  g_autoptr(FrClips) clips = fr_clips_load (CLIPS_DIR, NULL, langs, &error);

  g_assert_no_error (error);
  g_assert_null (fr_clips_espeak_voice ("zh_CN"));
  g_assert_false (fr_clips_has_voice (clips, "zh_CN"));
  g_assert_true (fr_clips_has_voice (clips, "en"));
}

static char *
make_site (const char *manifest)
{
  g_autoptr(GError) error = NULL;
  char *site = g_dir_make_tmp ("fr-clips-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (site, "en", "clips", NULL);
  g_autofree char *ini = g_build_filename (dir, FR_CLIPS_MANIFEST, NULL);
  g_autofree char *shipped = g_build_filename (CLIPS_DIR, "en", "char.K.opus", NULL);
  g_autofree char *copy = g_build_filename (dir, "human.opus", NULL);
  g_autofree char *data = NULL;
  gsize len;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_get_contents (shipped, &data, &len, NULL));
  g_assert_true (g_file_set_contents (copy, data, len, NULL));
  g_assert_true (g_file_set_contents (ini, manifest, -1, NULL));
  return site;
}

static void
remove_site (const char *site)
{
  g_autofree char *dir = g_build_filename (site, "en", "clips", NULL);
  g_autofree char *ini = g_build_filename (dir, FR_CLIPS_MANIFEST, NULL);
  g_autofree char *copy = g_build_filename (dir, "human.opus", NULL);
  g_autofree char *en = g_build_filename (site, "en", NULL);

  g_remove (ini);
  g_remove (copy);
  g_rmdir (dir);
  g_rmdir (en);
  g_rmdir (site);
}

static void
test_stale_refused (void)
{
  const FrTopic *rights = fr_content_get_topic (content, "en", "rights");
  g_autofree char *hash = fr_clips_text_hash (rights->paragraphs[0]);
  g_autofree char *changed = g_strconcat (rights->paragraphs[0], " Changed.", NULL);
  g_autofree char *manifest = g_strdup_printf ("[clip topic.rights.p1]\nfile=human.opus\nsha256=%s\n", hash);
  g_autofree char *site = make_site (manifest);
  g_autoptr(GError) error = NULL;
  const char *langs[] = { "en", NULL };
  g_autoptr(FrClips) clips = fr_clips_load (CLIPS_DIR, site, langs, &error);
  gboolean stale = FALSE;
  const char *path;

  g_assert_no_error (error);
  /* The site's recording wins over the shipped clip… */
  path = fr_clips_lookup (clips, "en", "topic.rights.p1", rights->paragraphs[0], &stale);
  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, site));
  g_assert_false (stale);
  /* …and a changed text plays nothing, rather than the clip of the old one. */
  g_assert_null (fr_clips_lookup (clips, "en", "topic.rights.p1", changed, &stale));
  g_assert_true (stale);
  /* Shipped clips still serve the keys the site does not replace. */
  g_assert_nonnull (fr_clips_lookup (clips, "en", "char.K", "K", NULL));
  g_assert_null (fr_clips_lookup (clips, "en", "char.K", "Q", &stale));
  g_assert_true (stale);
  remove_site (site);
}

static void
test_malformed_refused (void)
{
  const char *bad[] = {
    "[clip a]\nfile=human.opus\nsha256=00\n",
    "[clip a]\nfile=../human.opus\nsha256=" "0000000000000000000000000000000000000000000000000000000000000000\n",
    "[clip a]\nfile=missing.opus\nsha256=" "0000000000000000000000000000000000000000000000000000000000000000\n",
    "[clip a]\nfile=human.opus\nsha256=" "0000000000000000000000000000000000000000000000000000000000000000\nvolume=2\n",
    "[clips]\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *site = make_site (bad[i]);
      g_autoptr(GError) error = NULL;
      const char *langs[] = { "en", NULL };
      g_autoptr(FrClips) clips = fr_clips_load (CLIPS_DIR, site, langs, &error);

      g_assert_null (clips);
      g_assert_error (error, FR_ERROR, FR_ERROR_CONFIG);
      g_assert_nonnull (strstr (error->message, "clips.ini"));
      remove_site (site);
    }
}

static void
test_split (void)
{
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) keys = fr_clips_split ("consent.p3", "Your answers go to social services in {site}. Only staff.", &texts);

  g_assert_cmpuint (keys->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (keys, 0), ==, "consent.p3");
  g_assert_cmpstr (g_ptr_array_index (keys, 1), ==, FR_CLIPS_SITE_NAME_KEY);
  g_assert_cmpstr (g_ptr_array_index (keys, 2), ==, "consent.p3.1");
  g_assert_cmpstr (g_ptr_array_index (texts, 0), ==, "Your answers go to social services in");
  g_assert_null (g_ptr_array_index (texts, 1));
  g_assert_cmpstr (g_ptr_array_index (texts, 2), ==, ". Only staff.");
}

/* Runs fristad-make-clips --site-config @config for sv and en: its exit status; its
 * standard error in @err. */
static int
make_site_clips (const char *config,
                 char      **err)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { MAKE_CLIPS, "--site-config", config, "--lang", "sv", "--lang", "en", NULL };
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* A site's own texts: fristad-make-clips --site-config speaks its contacts' names into its
 * content folder, where the kiosk's lookup finds them for the names the screen shows; a
 * folder holding the site's own recordings is left alone, with one line saying so. */
static void
test_site_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fr-site-clips-XXXXXX", &error);
  g_autofree char *config = g_build_filename (dir, "kiosk.conf", NULL);
  g_autofree char *text = NULL, *err = NULL, *name = NULL, *human = NULL, *after = NULL, *ini = NULL;
  g_autoptr(FrSite) site = NULL;
  g_autoptr(FrClips) clips = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *langs[] = { "sv", "en", NULL };
  const FrContact *emergency = NULL;
  const char *path;
  gboolean stale = TRUE;
  double seconds = 0, rms = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (EXAMPLE_SITE, &text, NULL, &error));
  g_assert_true (g_file_set_contents (config, text, -1, &error));
  g_assert_cmpint (make_site_clips (config, &err), ==, 0);

  site = fr_site_load (config, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < site->contacts->len; i++)
    if (g_str_equal (((FrContact *) g_ptr_array_index (site->contacts, i))->id, "emergency"))
      emergency = g_ptr_array_index (site->contacts, i);
  g_assert_nonnull (emergency);
  clips = fr_clips_load (CLIPS_DIR, site->content_dir, langs, &error);
  g_assert_no_error (error);
  name = fr_site_contact_text (site, emergency, "name", "sv");
  path = fr_clips_lookup (clips, "sv", "contact.emergency.name", name, &stale);
  g_assert_nonnull (path);
  g_assert_false (stale);
  g_assert_true (g_str_has_prefix (path, site->content_dir));
  bytes = fr_clips_read (path, &error);
  g_assert_no_error (error);
  g_assert_true (decode (bytes, &seconds, &rms));
  g_test_message ("sv contact.emergency.name: %.2f s, RMS %.3f", seconds, rms);
  g_assert_cmpfloat (seconds, >, 0.5);
  g_assert_cmpfloat (rms, >, 0.01);
  /* A name changed since: silent, not stale. */
  g_assert_null (fr_clips_lookup (clips, "sv", "contact.emergency.name", "Nödnummer", &stale));
  g_assert_true (stale);

  /* The site's own recordings in that folder: not touched. */
  ini = g_build_filename (site->content_dir, "en", "clips", FR_CLIPS_MANIFEST, NULL);
  human = g_strdup ("[clip contact.emergency.name]\nfile=ours.opus\nsha256=0000000000000000000000000000000000000000000000000000000000000000\n");
  g_assert_true (g_file_set_contents (ini, human, -1, &error));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (make_site_clips (config, &err), ==, 1);
  g_assert_nonnull (strstr (err, "holds the site's own recordings"));
  g_assert_cmpuint (strlen (err), ==, strcspn (err, "\n") + 1);   /* one line */
  g_assert_true (g_file_get_contents (ini, &after, NULL, &error));
  g_assert_cmpstr (after, ==, human);
  fr_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  setlocale (LC_ALL, "C.UTF-8");
  (void) dgettext (GETTEXT_PACKAGE, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALE_DIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);
  content = fr_content_load (CONTENT_DIR, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/clips/every-clip", test_every_clip);
  g_test_add_func ("/clips/no-mandarin-voice", test_no_mandarin_voice);
  g_test_add_func ("/clips/stale-refused", test_stale_refused);
  g_test_add_func ("/clips/malformed-refused", test_malformed_refused);
  g_test_add_func ("/clips/split", test_split);
  g_test_add_func ("/clips/site-names", test_site_names);
  ret = g_test_run ();
  fr_content_free (content);
  return ret;
}
