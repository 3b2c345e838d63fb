/* test-site.c — kiosk.conf parsing, the Ogg Opus probe and the sender's backoff */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "fr-site.h"

#define RECIPIENT "fristad-recipient:YDRufJEaX2uhVBKRdMr+dbKUrDu9VUljL0jOxiZvhBA="
#define RECIPIENT2 "fristad-recipient:deJw3ylSxXuoNnuoYYwXj5/lDbJ5nTBOdOkY2YVoYUY="

#define GOOD_CONFIG \
  "[site]\n" \
  "id=demo-kommun\n" \
  "name=Demo kommun\n" \
  "name[en]=Demo Municipality\n" \
  "languages=sv;en;th;zh_CN\n" \
  "state-dir=state\n" \
  "\n" \
  "[queue]\n" \
  "url=http://127.0.0.1:8080\n" \
  "\n" \
  "[recipients]\n" \
  "keys=" RECIPIENT ";" RECIPIENT2 "\n" \
  "\n" \
  "[kiosk]\n" \
  "idle-timeout=120\n" \
  "\n" \
  "[contact emergency]\n" \
  "name=Emergency\n" \
  "name[sv]=Nödnummer\n" \
  "phone=112\n" \
  "tiles=help-now;talk\n" \
  "\n" \
  "[contact socialjour]\n" \
  "name=Social emergency service\n" \
  "phone=+46 42-10 50 00\n" \
  "hours=Day and night\n" \
  "languages=sv;en\n" \
  "tiles=talk\n"

static char *tmpdir;

static char *
write_config (const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, "kiosk.conf", NULL);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  return path;
}

static void
test_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_config (GOOD_CONFIG);
  g_autoptr(FrSite) site = fr_site_load (path, &error);
  g_autofree char *expected_state = g_build_filename (tmpdir, "state", NULL);
  g_autofree char *name_sv = NULL, *name_th = NULL, *hours = NULL;
  guint8 pk[FR_KEY_SIZE];
  const FrContact *emergency, *socialjour;

  g_assert_no_error (error);
  g_assert_cmpstr (site->id, ==, "demo-kommun");
  g_assert_cmpstr (site->name, ==, "Demo kommun");
  {
    g_autofree char *en = fr_site_get_name (site, "en");
    g_autofree char *th = fr_site_get_name (site, "th");

    g_assert_cmpstr (en, ==, "Demo Municipality");
    g_assert_cmpstr (th, ==, "Demo kommun");
  }
  g_assert_cmpuint (g_strv_length (site->languages), ==, 4);
  g_assert_cmpstr (site->languages[3], ==, "zh_CN");
  g_assert_cmpstr (site->state_dir, ==, expected_state);
  g_assert_cmpstr (site->queue_url, ==, "http://127.0.0.1:8080");
  g_assert_null (site->queue_ca);
  g_assert_cmpuint (site->n_recipients, ==, 2);
  g_assert_true (fr_key_string_parse (RECIPIENT2, FR_KEY_KIND_RECIPIENT, pk, NULL));
  g_assert_cmpmem (site->recipients[1], FR_KEY_SIZE, pk, FR_KEY_SIZE);
  g_assert_cmpuint (site->idle_timeout, ==, 120);
  g_assert_cmpuint (site->voice_max_seconds, ==, 180);
  g_assert_false (site->headphones_first);
  g_assert_null (site->assisted_pin);

  g_assert_cmpuint (site->contacts->len, ==, 2);
  emergency = g_ptr_array_index (site->contacts, 0);
  socialjour = g_ptr_array_index (site->contacts, 1);
  g_assert_cmpstr (emergency->id, ==, "emergency");
  g_assert_cmpstr (emergency->phone, ==, "112");
  g_assert_true (g_strv_contains ((const char * const *) emergency->tiles, "help-now"));
  name_sv = fr_site_contact_text (site, emergency, "name", "sv");
  name_th = fr_site_contact_text (site, emergency, "name", "th");
  g_assert_cmpstr (name_sv, ==, "Nödnummer");
  g_assert_cmpstr (name_th, ==, "Emergency");
  hours = fr_site_contact_text (site, socialjour, "hours", "sv");
  g_assert_cmpstr (hours, ==, "Day and night");
  g_assert_cmpstr (socialjour->phone, ==, "+46 42-10 50 00");

  /* The voice message's length and headphones-only read-aloud. */
  {
    g_autoptr(GString) text = g_string_new (GOOD_CONFIG);
    g_autofree char *audio_path = NULL;
    g_autoptr(FrSite) audio = NULL;

    g_string_replace (text, "idle-timeout=120", "idle-timeout=120\nvoice-max-seconds=60\nread-aloud=headphones", 1);
    audio_path = write_config (text->str);
    audio = fr_site_load (audio_path, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (audio->voice_max_seconds, ==, 60);
    g_assert_true (audio->headphones_first);
  }
}

/* Each broken config is refused with one line that names the problem. */
static void
test_broken (void)
{
  static const struct
  {
    const char *find;
    const char *replace;
    const char *message;
  } cases[] = {
    { "id=demo-kommun\n", "", "[site] id is missing" },
    { "id=demo-kommun", "id=demo kommun", "[site] id must be" },
    { "languages=sv;en;th;zh_CN", "languages=sv;english", "\"english\" is not a language code" },
    { "languages=sv;en;th;zh_CN", "languages=sv;en;sv", "lists \"sv\" twice" },
    { "languages=sv;en;th;zh_CN\n", "", "[site] languages is missing" },
    { "url=http://127.0.0.1:8080", "url=http://queue.example.org", "not loopback" },
    { "url=http://127.0.0.1:8080", "url=https://queue.example.org", "no CA certificate is pinned" },
    { "url=http://127.0.0.1:8080", "url=ftp://127.0.0.1", "must be https://" },
    { "url=http://127.0.0.1:8080\n", "url=http://127.0.0.1:8080\nca=missing.pem\n", "does not exist" },
    { "keys=" RECIPIENT ";" RECIPIENT2, "keys=fristad-kiosk:iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w=", "[recipients] key 1" },
    { "keys=" RECIPIENT ";" RECIPIENT2, "keys=" RECIPIENT ";" RECIPIENT, "listed twice" },
    { "keys=" RECIPIENT ";" RECIPIENT2 "\n", "", "[recipients] keys is missing" },
    { "idle-timeout=120", "idle-timeout=5", "idle-timeout must be" },
    { "idle-timeout=120", "idle-timeout=ninety", "idle-timeout must be" },
    { "idle-timeout=120", "idle-timeout=120\nassisted-pin=1234", "Argon2id hash" },
    { "idle-timeout=120", "idle-tmeout=120", "unknown key \"idle-tmeout\"" },
    { "idle-timeout=120", "idle-timeout=120\nvoice-max-seconds=5", "voice-max-seconds must be 10 to 600 seconds" },
    { "idle-timeout=120", "idle-timeout=120\nvoice-max-seconds=3m", "voice-max-seconds must be 10 to 600 seconds" },
    { "idle-timeout=120", "idle-timeout=120\nvoice-max-seconds=601", "voice-max-seconds must be 10 to 600 seconds" },
    { "idle-timeout=120", "idle-timeout=120\nread-aloud=yes", "read-aloud must be anywhere or headphones" },
    { "id=demo-kommun", "id[sv]=demo-kommun", "cannot be localized" },
    { "[kiosk]", "[kiosc]", "unknown group [kiosc]" },
    { "phone=112", "phone=call us", "is not a phone number" },
    { "phone=112\n", "", "[contact emergency] phone is missing" },
    { "tiles=help-now;talk", "tiles=help-now;home", "\"home\" is not one of" },
    { "phone=112", "phone[sv]=112", "cannot be localized" },
    { "[contact socialjour]", "[contact emergency]", "appears twice" },
    { "phone=112\n", "phone=112\nphone=113\n", "key \"phone\" appears twice" },
    { "[queue]", "[queue\n", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) text = g_string_new (GOOD_CONFIG);
      g_autofree char *path = NULL;
      g_autoptr(FrSite) site = NULL;

      g_assert_nonnull (strstr (text->str, cases[i].find));
      g_string_replace (text, cases[i].find, cases[i].replace, 1);
      path = write_config (text->str);
      site = fr_site_load (path, &error);
      if (site != NULL)
        g_error ("case %u (%s) was accepted", i, cases[i].replace);
      g_assert_error (error, FR_ERROR, FR_ERROR_CONFIG);
      g_assert_null (strchr (error->message, '\n'));
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: \"%s\" does not say \"%s\"", i, error->message, cases[i].message);
    }
}

static void
test_unreadable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FrSite) missing = fr_site_load ("/nonexistent/kiosk.conf", &error);
  g_autofree char *path = NULL;
  g_autofree char *big = NULL;

  g_assert_null (missing);
  g_assert_error (error, FR_ERROR, FR_ERROR_CONFIG);
  g_clear_error (&error);

  path = write_config ("[site]\nname=\xff\xfe\n");
  g_assert_null (fr_site_load (path, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "UTF-8"));
  g_clear_error (&error);

  big = g_strnfill (FR_SITE_MAX_CONFIG_SIZE + 1, '#');
  g_free (path);
  path = write_config (big);
  g_assert_null (fr_site_load (path, &error));
  g_assert_error (error, FR_ERROR, FR_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "larger than"));
}

/* A PIN is 6 to 12 digits: nothing else is hashed, and nothing else is ever right. */
static void
test_pin (void)
{
  static const char * const refused[] = { "", "4711", "47110", "47 110", "4711a0", "47110\n", "1234567890123", "\xd9\xa1\xd9\xa2\xd9\xa3" };
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = fr_site_hash_pin ("471100", 6, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$v=19$m=65536,t=2,p=1$"));
  g_assert_true (fr_site_check_pin_hash (hash, NULL));
  g_assert_true (fr_site_check_pin (hash, "471100", 6));
  g_assert_false (fr_site_check_pin (hash, "471101", 6));
  g_assert_false (fr_site_check_pin (hash, "4711", 4));
  g_assert_false (fr_site_check_pin (hash, "", 0));
  g_assert_false (fr_site_check_pin (NULL, "471100", 6));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *none = fr_site_hash_pin (refused[i], strlen (refused[i]), &error);

      g_assert_null (none);
      g_assert_error (error, FR_ERROR, FR_ERROR_CONFIG);
      g_assert_nonnull (strstr (error->message, "6 to 12 digits"));
      g_clear_error (&error);
    }
  {
    g_autofree char *twelve = fr_site_hash_pin ("123456789012", 12, &error);

    g_assert_no_error (error);
    g_assert_true (fr_site_check_pin (twelve, "123456789012", 12));
  }
}

/* A PIN hash is read strictly as crypto_pwhash_str writes it; weaker than libsodium's
 * interactive limits is refused, and so is costlier than a kiosk can spend on a try. */
static void
test_pin_hash (void)
{
  static const struct
  {
    const char *find;
    const char *replace;
    const char *message;   /* NULL: accepted */
  } cases[] = {
    { "t=2,", "t=3,", NULL },
    { "m=65536,", "m=262144,", NULL },
    { "t=2,", "t=16,", NULL },
    { "m=65536,", "m=65535,", "weaker than libsodium's interactive limits (m=65535,t=2; at least m=65536,t=2)" },
    { "m=65536,", "m=8,", "weaker than libsodium's interactive limits" },
    { "t=2,", "t=1,", "weaker than libsodium's interactive limits (m=65536,t=1;" },
    { "m=65536,", "m=2097152,", "costs more than a kiosk" },
    { "t=2,", "t=17,", "costs more than a kiosk" },
    { "p=1$", "p=2$", "must be an Argon2id hash" },
    { "m=65536,", "m=065536,", "must be an Argon2id hash" },
    { "m=65536,", "m=+65536,", "must be an Argon2id hash" },
    { "m=65536,", "m=99999999999,", "must be an Argon2id hash" },
    { "m=65536,t=2,", "t=2,m=65536,", "must be an Argon2id hash" },
    { "$argon2id$", "$argon2i$", "must be an Argon2id hash" },
    { "$v=19$", "$v=16$", "must be an Argon2id hash" },
    { "$v=19$", "$", "must be an Argon2id hash" },
    { "p=1$", "p=1$$", "must be an Argon2id hash" },
    { "p=1$", "p=1$A", "must be an Argon2id hash" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = fr_site_hash_pin ("471100", 6, &error);
  char weak[crypto_pwhash_STRBYTES];

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) text = g_string_new (hash);

      g_assert_nonnull (strstr (text->str, cases[i].find));
      g_string_replace (text, cases[i].find, cases[i].replace, 1);
      if (cases[i].message == NULL)
        {
          if (!fr_site_check_pin_hash (text->str, &error))
            g_error ("case %u (%s) refused: %s", i, text->str, error->message);
          continue;
        }
      if (fr_site_check_pin_hash (text->str, &error))
        g_error ("case %u (%s) accepted", i, text->str);
      g_assert_error (error, FR_ERROR, FR_ERROR_CONFIG);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("case %u: \"%s\" does not say \"%s\"", i, error->message, cases[i].message);
      g_clear_error (&error);
    }

  /* A trailing newline, a cut-off hash, and one really made with libsodium's minimum. */
  {
    g_autofree char *newline = g_strconcat (hash, "\n", NULL);
    g_autofree char *cut = g_strndup (hash, strlen (hash) - 1);

    g_assert_false (fr_site_check_pin_hash (newline, NULL));
    g_assert_false (fr_site_check_pin_hash (cut, NULL));
  }
  g_assert_cmpint (crypto_pwhash_str_alg (weak, "471100", 6, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN,
                                          crypto_pwhash_ALG_ARGON2ID13), ==, 0);
  g_assert_false (fr_site_check_pin_hash (weak, &error));
  g_assert_nonnull (strstr (error->message, "weaker than libsodium's interactive limits"));
  g_clear_error (&error);

  /* In kiosk.conf: the whole site is refused, naming the key. */
  {
    g_autoptr(GString) text = g_string_new (GOOD_CONFIG);
    g_autofree char *line = g_strdup_printf ("idle-timeout=120\nmaintenance-pin=%s", weak);
    g_autofree char *path = NULL;
    g_autoptr(FrSite) site = NULL;

    g_string_replace (text, "idle-timeout=120", line, 1);
    path = write_config (text->str);
    site = fr_site_load (path, &error);
    g_assert_null (site);
    g_assert_error (error, FR_ERROR, FR_ERROR_CONFIG);
    g_assert_nonnull (strstr (error->message, "[kiosk] maintenance-pin is weaker than libsodium's interactive limits"));
  }
}

static GBytes *
voice_fixture (void)
{
  g_autofree char *path = g_build_filename (TEST_VECTORS_DIR, "voice-hej.ogg", NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  return g_bytes_new_take (data, len);
}

static void
test_ogg (void)
{
  g_autoptr(GBytes) voice = voice_fixture ();
  gsize len;
  const guint8 *data = g_bytes_get_data (voice, &len);
  guint64 duration = 0;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *copy = NULL;

  /* espeak-ng saying one short sentence: a little under two seconds. */
  g_assert_true (fr_ogg_opus_probe (data, len, &duration, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (duration, >, 1000);
  g_assert_cmpuint (duration, <, 4000);

  /* Every truncation is refused. */
  for (gsize cut = 0; cut < len; cut += 97)
    {
      g_assert_false (fr_ogg_opus_probe (data, cut, NULL, &error));
      g_assert_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID);
      g_clear_error (&error);
    }
  /* A flipped byte fails the page checksum. */
  copy = g_memdup2 (data, len);
  copy[len / 2] ^= 0x01;
  g_assert_false (fr_ogg_opus_probe (copy, len, NULL, &error));
  g_assert_nonnull (strstr (error->message, "checksum"));
  g_clear_error (&error);
  /* Not Ogg at all; trailing bytes after the end of the stream. */
  g_assert_false (fr_ogg_opus_probe ((const guint8 *) "RIFF....WAVE", 12, NULL, &error));
  g_clear_error (&error);
  {
    g_autofree guint8 *longer = g_malloc (len + 4);

    memcpy (longer, data, len);
    memcpy (longer + len, "OggS", 4);
    g_assert_false (fr_ogg_opus_probe (longer, len + 4, NULL, &error));
    g_assert_nonnull (strstr (error->message, "after the end"));
  }
}

static void
test_backoff (void)
{
  for (guint attempts = 1; attempts < 40; attempts++)
    for (guint i = 0; i < 50; i++)
      {
        gint64 delay = fr_sender_backoff (15, 3600, attempts);
        guint64 full = MIN ((guint64) 15 << MIN (attempts - 1, 20), 3600);

        g_assert_cmpint (delay, >=, (gint64) full / 2);
        g_assert_cmpint (delay, <=, (gint64) full);
      }
  /* Jitter: a hundred kiosks do not all pick the same second. */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

    for (guint i = 0; i < 100; i++)
      g_hash_table_add (seen, GINT_TO_POINTER ((int) fr_sender_backoff (15, 3600, 6)));
    g_assert_cmpuint (g_hash_table_size (seen), >, 20);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (fr_init ());
  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("fristad-site-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/site/good", test_good);
  g_test_add_func ("/site/broken", test_broken);
  g_test_add_func ("/site/unreadable", test_unreadable);
  g_test_add_func ("/site/pin", test_pin);
  g_test_add_func ("/site/pin-hash", test_pin_hash);
  g_test_add_func ("/ogg/probe", test_ogg);
  g_test_add_func ("/sender/backoff", test_backoff);

  status = g_test_run ();
  {
    g_autofree char *conf = g_build_filename (tmpdir, "kiosk.conf", NULL);

    g_unlink (conf);
    g_rmdir (tmpdir);
  }
  return status;
}
