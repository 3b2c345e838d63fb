/* fr-kiosk-i18n.c — gettext for the kiosk's interface strings, switched per session */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <gtk/gtk.h>
#include <libintl.h>
#include <locale.h>
#include <string.h>

#include "fr-kiosk-i18n.h"
#include "fr-site.h"

/* GNU gettext caches translations; bumping this counter makes it look again after
 * LANGUAGE changed (the documented way, see the gettext manual "Being a gettext grok"). */
extern int _nl_msg_cat_cntr;

static gboolean
locale_is_c (const char *name)
{
  return name == NULL || g_str_equal (name, "C") || g_str_equal (name, "POSIX");
}

/**
 * fr_kiosk_i18n_init:
 *
 * Sets up the locale and the gettext domain; call before gtk_init(). If the system
 * locale is C or POSIX (where gettext ignores LANGUAGE), switches to C.UTF-8, which every
 * glibc system has, and keeps GTK from switching back. The
 * catalogues are looked up where fr_site_shipped_locale_dir() says: $FRISTAD_LOCALEDIR
 * if set, the build tree's when running uninstalled, else LOCALEDIR.
 */
void
fr_kiosk_i18n_init (void)
{
  const char *current = setlocale (LC_ALL, "");

  if (locale_is_c (current) || locale_is_c (setlocale (LC_MESSAGES, NULL)))
    setlocale (LC_ALL, "C.UTF-8");
  /* gtk_init() would call setlocale (LC_ALL, "") again and, on a machine with no locale
   * in its environment (a fresh install, a minimal image), put back the C locale in which
   * gettext ignores LANGUAGE: every session would be in English. */
  gtk_disable_setlocale ();

  /* GLib decides once, on the first g_dgettext() call, whether to translate at all; it
   * says no for a non-English locale whose domain has no catalogue header, which C.UTF-8
   * with a per-session LANGUAGE would hit. Asking while the text domain is still the
   * default makes the answer yes; GtkBuilder templates depend on it. */
  (void) g_dgettext (GETTEXT_PACKAGE, "");

  bindtextdomain (GETTEXT_PACKAGE, fr_site_shipped_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static void
switch_language (const char *lang)
{
  if (lang != NULL)
    g_setenv ("LANGUAGE", lang, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  ++_nl_msg_cat_cntr;
}

/**
 * fr_kiosk_i18n_set_language:
 * @lang: a content language code ("th", "zh_CN")
 * @rtl: whether the language is written right to left
 *
 * Makes gettext answer in @lang from now on and sets the default text direction of
 * every widget that does not set its own.
 */
void
fr_kiosk_i18n_set_language (const char *lang,
                            gboolean    rtl)
{
  g_return_if_fail (lang != NULL);

  /* "en" is the source language: an English session must not pick up the system's. */
  switch_language (lang);
  gtk_widget_set_default_direction (rtl ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
}

/**
 * fr_kiosk_i18n_set_messages:
 * @lang: a content language code
 *
 * Makes gettext answer in @lang, leaving the text direction alone: for building a
 * screen out of sight (FrKioskWarmup) while the neutral screens stay as they are.
 */
void
fr_kiosk_i18n_set_messages (const char *lang)
{
  g_return_if_fail (lang != NULL);
  switch_language (lang);
}

/**
 * fr_kiosk_i18n_reset:
 *
 * Back to the neutral state between sessions: English interface, left to right.
 */
void
fr_kiosk_i18n_reset (void)
{
  switch_language ("en");
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

/**
 * fr_kiosk_i18n_translate_for:
 * @lang: a language code
 * @msgid: an English interface string (marked with N_())
 *
 * Returns: (transfer full): @msgid in @lang, or %NULL if there is no translation (the
 *   welcome screen then leaves that language out of its greeting cycle). For "en"
 *   returns @msgid itself.
 */
char *
fr_kiosk_i18n_translate_for (const char *lang,
                             const char *msgid)
{
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));
  const char *translated;
  char *result = NULL;

  g_return_val_if_fail (lang != NULL && msgid != NULL, NULL);

  if (g_str_equal (lang, "en"))
    return g_strdup (msgid);
  switch_language (lang);
  translated = dgettext (GETTEXT_PACKAGE, msgid);
  if (translated != msgid && strcmp (translated, msgid) != 0)
    result = g_strdup (translated);
  switch_language (saved);
  return result;
}
