/* fr-content.h — the kiosk's content: languages, topics, the intake form, consent
 *
 * The shipped content (i18n/content/, installed to DATADIR/content) serves a generic
 * Swedish municipality; a site directory (kiosk.conf's content-dir) may override parts
 * of it. The formats, the override rules and how to add a language are written down in
 * i18n/CONTENT.md.
 *
 * fr_content_load() reads and validates everything once; the result is immutable and
 * every string and struct it hands out stays valid until fr_content_free(). Broken files
 * are a one-line FR_ERROR_CONFIG error naming the file and the problem. Gaps that can be
 * shown in English instead (a site added a question without translating it) do not
 * fail: they are listed by fr_content_check().
 *
 * No GTK here: the kiosk shows what this returns.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FR_CONTENT_MAX_FILE_SIZE    (64u * 1024u)   /* any one content file */
#define FR_CONTENT_MAX_LANGUAGES    32
#define FR_CONTENT_MAX_TOPICS       32
#define FR_CONTENT_MAX_QUESTIONS    64
#define FR_CONTENT_MAX_OPTIONS      32
#define FR_CONTENT_MAX_TEXT_LENGTH  4000            /* max-length of a text question, characters */
#define FR_CONTENT_PHONE_MAX_LENGTH 32              /* characters of a phone answer */
#define FR_CONTENT_SOURCE_LANGUAGE  "en"            /* everything exists in English */

/* Answers of a yesno question (the option ids recorded). */
#define FR_YESNO_YES                "yes"
#define FR_YESNO_NO                 "no"
#define FR_YESNO_PREFER_NOT         "prefer-not-to-say"

/* A topic contact that starts with this names a home-screen tile ("tile:help-now"). */
#define FR_CONTENT_TILE_PREFIX      "tile:"

typedef struct _FrContent FrContent;

typedef enum
{
  FR_TEXT_DIRECTION_LTR,
  FR_TEXT_DIRECTION_RTL,
} FrTextDirection;

typedef enum
{
  FR_QUESTION_SINGLE,        /* one of options; answer: option id string */
  FR_QUESTION_MULTIPLE,      /* any of options; answer: array of option ids */
  FR_QUESTION_YESNO,         /* options yes, no, prefer-not-to-say; answer: option id */
  FR_QUESTION_PHONE,         /* answer: string of digits, spaces, + and - */
  FR_QUESTION_SHORT_TEXT,    /* answer: string, one line, at most max_length characters */
  FR_QUESTION_LONG_TEXT,     /* answer: string, may hold newlines, at most max_length */
  FR_QUESTION_VOICE,         /* an attachment of kind "voice"; no answer member */
} FrQuestionKind;

/* A document in one language: a topic page or the consent text. */
typedef struct
{
  const char        *id;          /* topic id ("rights"); "consent" for the consent text */
  guint              version;     /* topics: integer >= 1; consent: 0 (see consent_version) */
  const char        *reviewed;    /* topics: "YYYY-MM-DD", shown under the text; consent: NULL */
  const char        *title;
  const char *const *paragraphs;  /* NULL-terminated, at least one; one paragraph per entry */
  const char *const *contacts;    /* NULL-terminated, may be empty: contact ids from
                                   * kiosk.conf or "tile:NAME"; shown under the text */
  const char        *language;    /* language the text is in: the one asked for, or "en"
                                   * where a site-added topic has no translation */
} FrTopic;

typedef struct
{
  const char *id;                 /* the value that goes into the record */
  const char *label;
} FrOption;

typedef struct
{
  const char        *id;          /* the answer key in the record */
  FrQuestionKind     kind;
  gboolean           optional;    /* may be skipped */
  const char        *group;       /* group id, e.g. "screening" */
  guint              max_length;  /* text and phone kinds: characters; 0 for the others */
  /* Shown only if question show_if_question is shown and its answer is one of
   * show_if_values (single, yesno), contains one of them (multiple), or — when
   * show_if_values is empty — is not empty. NULL: always shown. The referenced question
   * always comes earlier in the form. */
  const char        *show_if_question;
  const char *const *show_if_values;  /* NULL-terminated; never NULL */
  const char        *label;
  const char        *help;        /* NULL if none */
  const FrOption    *options;     /* single, multiple, yesno; NULL for the others */
  guint              n_options;
} FrQuestion;

/* @shipped_dir: DATADIR/content (i18n/content in the source tree).
 * @site_dir: the site's content folder, or NULL. A path that does not exist means no
 * overrides (fr_content_check() then says so); anything else broken is an error. */
FrContent            *fr_content_load                 (const char        *shipped_dir,
                                                       const char        *site_dir,
                                                       GError           **error);
void                  fr_content_free                 (FrContent         *content);

/* Languages: folder codes (gettext locale names such as "sv", "zh_CN"), shipped first,
 * then those the site adds. NULL-terminated. */
const char *const    *fr_content_get_languages        (const FrContent   *content);
gboolean              fr_content_has_language         (const FrContent   *content,
                                                       const char        *lang);
const char           *fr_content_get_language_name    (const FrContent   *content,
                                                       const char        *lang);
const char           *fr_content_get_language_english_name (const FrContent *content,
                                                       const char        *lang);
FrTextDirection       fr_content_get_language_direction (const FrContent *content,
                                                       const char        *lang);
const char           *fr_content_get_language_record_code (const FrContent *content,
                                                       const char        *lang);
const char           *fr_content_get_language_review  (const FrContent   *content,
                                                       const char        *lang);

/* Topics in display order, NULL-terminated; NULL if @lang is not a content language. */
const FrTopic *const *fr_content_get_topics           (const FrContent   *content,
                                                       const char        *lang);
const FrTopic        *fr_content_get_topic            (const FrContent   *content,
                                                       const char        *lang,
                                                       const char        *id);

/* The form in order, with the site's disabled groups left out, labels resolved for
 * @lang. NULL-terminated; NULL if @lang is not a content language. */
const FrQuestion *const *fr_content_get_form          (const FrContent   *content,
                                                       const char        *lang);
const FrQuestion     *fr_content_get_question         (const FrContent   *content,
                                                       const char        *lang,
                                                       const char        *id);
gboolean              fr_content_group_enabled        (const FrContent   *content,
                                                       const char        *group);
const FrQuestion *const *fr_content_get_form_for      (const FrContent   *content,
                                                       const char        *lang,
                                                       gboolean           volunteer);
const char           *fr_content_get_group_title_for  (const FrContent   *content,
                                                       const char        *lang,
                                                       const char        *group,
                                                       gboolean           volunteer);
const char           *fr_content_get_group_intro_for  (const FrContent   *content,
                                                       const char        *lang,
                                                       const char        *group,
                                                       gboolean           volunteer);
const char           *fr_content_get_group_title      (const FrContent   *content,
                                                       const char        *lang,
                                                       const char        *group);
const char           *fr_content_get_group_intro      (const FrContent   *content,
                                                       const char        *lang,
                                                       const char        *group);

/* Consent: the text shown before sending and the labels of the two answers. The
 * version goes into the record as consent.text_version. */
const char           *fr_content_get_consent_version  (const FrContent   *content);
const FrTopic        *fr_content_get_consent          (const FrContent   *content,
                                                       const char        *lang);
const char           *fr_content_get_consent_agree    (const FrContent   *content,
                                                       const char        *lang);
const char           *fr_content_get_consent_decline  (const FrContent   *content,
                                                       const char        *lang);

/* Every string the kiosk may show for @lang (native name, topics, form, consent), for
 * glyph-coverage and wording tests. The array does not own the strings. */
GPtrArray            *fr_content_list_strings         (const FrContent   *content,
                                                       const char        *lang);

/* For `fristad-kiosk --check-config`: lines, each starting with "override: ", "add: ",
 * "missing: " or "warning: ", naming what the site changes and what is incomplete.
 * @offered_languages (kiosk.conf languages) and @contact_ids (kiosk.conf contact group
 * names) may be NULL to skip those checks; with @offered_languages, translation gaps
 * are reported for those languages only. @n_missing counts the "missing: " lines. */
GPtrArray            *fr_content_check                (const FrContent   *content,
                                                       const char *const *offered_languages,
                                                       const char *const *contact_ids,
                                                       guint             *n_missing);
const char           *fr_content_find_indiscreet_word (const FrContent *content,
                                                      const char      *title);
GPtrArray            *fr_content_review_lines         (const FrContent   *content,
                                                      const char *const *offered_languages);

/* Replaces each {NAME} in @text whose NAME is in @vars (NULL-terminated name, value
 * pairs: { "site", "Demo kommun", NULL }); other text stays as it is. */
char                 *fr_content_expand               (const char        *text,
                                                       const char *const *vars);

/* Helpers that need no loaded content. */
char                 *fr_language_record_code         (const char        *lang);
const char           *fr_question_kind_to_string      (FrQuestionKind     kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrContent, fr_content_free)

G_END_DECLS
