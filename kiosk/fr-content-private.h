/* fr-content-private.h — what the content loader's files share
 *
 * fr-content.c        the data, fr_content_load() in order, the lookups
 * fr-content-files.c  strict file reading: text files, key files, keys, values, ids
 * fr-content-meta.c   content.ini: topics and their contacts, languages, consent version,
 *                     discreet titles, the site's order and turned-off groups
 * fr-content-form.c   form.json: the questions, the site's form over the shipped one
 * fr-content-language.c  per language: language.ini, then every text resolved
 * fr-content-labels.c form.ini and form-volunteer.ini: the labels and their fallback
 * fr-content-topics.c topics/ID.txt and consent.txt
 * fr-content-check.c  the strings, placeholders, the check and review reports, expansion
 *
 * Nothing here is API: fr-content.h is.
 */
#pragma once

#include <glib.h>

#include "fr-content.h"

G_BEGIN_DECLS

#define ID_MAX_LEN          64
#define LABEL_MAX_BYTES     2000
#define CONSENT_ID          "consent"

/* ------------------------------------------------------------------------------------ */
/* Data                                                                                 */

typedef struct
{
  char      *title;
  GPtrArray *paragraphs;   /* char *, NULL-terminated */
} Doc;

typedef struct
{
  char      *id;
  guint      version;
  char      *reviewed;
  GPtrArray *contacts;     /* char *, NULL-terminated */
  gboolean   shipped;      /* the shipped content.ini has it */
  gboolean   site_details; /* the site's content.ini has a group for it */
} TopicMeta;

typedef struct
{
  char          *id;
  FrQuestionKind kind;
  gboolean       optional;
  char          *group;
  guint          max_length;
  char          *show_if_question;
  GStrv          show_if_values;  /* never NULL */
  GStrv          options;         /* choice kinds (yesno: the three answers); else NULL */
  GStrv          volunteer_hide;  /* options not offered when a volunteer takes the call; never NULL */
} QuestionDef;

typedef struct
{
  char           *code;
  char           *record_code;
  char           *name;
  char           *english_name;
  char           *review;
  FrTextDirection direction;
  gboolean        site_added;

  GKeyFile       *site_labels;     /* site LANG/form.ini, or NULL */
  GKeyFile       *shipped_labels;  /* shipped LANG/form.ini, or NULL */

  GPtrArray      *topics;          /* FrTopic *, NULL-terminated */
  GPtrArray      *form;            /* FrQuestion *, enabled questions, NULL-terminated */
  GPtrArray      *all_questions;   /* FrQuestion *, every question */
  FrTopic        *consent;
  const char     *consent_agree;
  const char     *consent_decline;
  GHashTable     *group_titles;    /* group id → label (borrowed) */
  GHashTable     *group_intros;    /* group id → label (borrowed), only where one exists */
  GPtrArray      *volunteer_form;  /* the form worded for a volunteer taking the intake */
  GHashTable     *volunteer_group_titles;
  GHashTable     *volunteer_group_intros;
  GPtrArray      *missing;         /* char *: what is shown in English */
} Language;

struct _FrContent
{
  GStringChunk *strings;
  GPtrArray    *allocations;    /* g_free'd on free: FrOption arrays, FrTopic, ... */
  GPtrArray    *languages;      /* Language * */
  GPtrArray    *codes;          /* const char *, NULL-terminated */
  GPtrArray    *topics;         /* TopicMeta *, display order */
  GPtrArray    *form;           /* QuestionDef *, the form in use */
  GPtrArray    *shipped_form;   /* QuestionDef *, the shipped form */
  GPtrArray    *groups;         /* char *, group ids in order of first use */
  GHashTable   *disabled_groups;
  GPtrArray    *discreet_words; /* char *, case-folded: words no home tile title may hold */
  char         *consent_version;
  GHashTable   *docs;           /* path → Doc *, every text file read */
  GPtrArray    *report;         /* char *: override / add / warning lines from loading */
};

/* The state of one fr_content_load(). */
typedef struct
{
  FrContent  *content;
  const char *shipped_dir;
  const char *site_dir;       /* NULL: no site overrides */
  GKeyFile   *shipped_meta;
  GKeyFile   *site_meta;      /* NULL if the site has no content.ini */
  char       *shipped_meta_path;
  char       *site_meta_path;
  Language   *english;
} Loader;

void      _fr_content_doc_free          (gpointer data);
void      _fr_content_topic_meta_free   (gpointer data);
void      _fr_content_question_def_free (gpointer data);
Language *_fr_content_language_new      (const char *code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Doc, _fr_content_doc_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TopicMeta, _fr_content_topic_meta_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuestionDef, _fr_content_question_def_free)

/* fr-content.c: what loading adds to the content. */
G_GNUC_PRINTF (2, 3)
void        _fr_content_report        (FrContent  *content,
                                       const char *format,
                                       ...);
const char *_fr_content_intern        (FrContent  *content,
                                       const char *str);
gpointer    _fr_content_allocate      (FrContent  *content,
                                       gsize       size);
Language   *_fr_content_find_language (const FrContent *content,
                                       const char      *code);

/* ------------------------------------------------------------------------------------ */
/* fr-content-files.c                                                                   */

G_GNUC_PRINTF (2, 3)
gboolean _fr_content_error         (GError    **error,
                                    const char *format,
                                    ...);
gboolean _fr_content_strv_has      (const char *const *strv,
                                    const char        *str);
gboolean _fr_content_is_id         (const char *s);
gboolean _fr_content_is_name       (const char *s);
gboolean _fr_content_is_clean_text (const char *s,
                                    gboolean    newlines);
gboolean _fr_content_read_text_file (const char *path,
                                     gboolean    required,
                                     char      **out,
                                     gsize      *out_len,
                                     GError    **error);
GKeyFile *_fr_content_load_keyfile (const char *path,
                                    gboolean    required,
                                    GError    **error);
gboolean _fr_content_check_keys    (GKeyFile          *keyfile,
                                    const char        *path,
                                    const char        *group,
                                    const char *const *allowed,
                                    GError           **error);
char    *_fr_content_get_text      (GKeyFile   *keyfile,
                                    const char *path,
                                    const char *group,
                                    const char *key,
                                    gboolean    required,
                                    GError    **error);
GStrv    _fr_content_get_list      (GKeyFile   *keyfile,
                                    const char *path,
                                    const char *group,
                                    const char *key,
                                    gboolean  (*valid) (const char *),
                                    GError    **error);

/* ------------------------------------------------------------------------------------ */
/* The loaders, in the order fr_content_load() calls them                               */

/* fr-content-meta.c */
gboolean   _fr_content_load_meta       (Loader     *ld,
                                        GError    **error);
TopicMeta *_fr_content_find_topic_meta (GPtrArray  *topics,
                                        const char *id);

/* fr-content-form.c */
gboolean           _fr_content_load_forms (Loader     *ld,
                                           GError    **error);
const QuestionDef *_fr_content_find_def   (GPtrArray  *defs,
                                           const char *id);

/* fr-content-language.c */
gboolean _fr_content_load_language_files (Loader   *ld,
                                          Language *lang,
                                          GError  **error);
gboolean _fr_content_resolve_language    (Loader   *ld,
                                          Language *lang,
                                          GError  **error);

/* fr-content-labels.c */
gboolean    _fr_content_load_labels            (Loader     *ld,
                                                Language   *lang,
                                                GError    **error);
const char *_fr_content_resolve_label          (Loader     *ld,
                                                Language   *lang,
                                                const char *group,
                                                const char *key,
                                                const char *alt_group,
                                                const char *alt_key,
                                                gboolean    required,
                                                GError    **error);
const char *_fr_content_volunteer_label        (Loader     *ld,
                                                Language   *lang,
                                                const char *group,
                                                const char *key,
                                                const char *fallback);
FrQuestion *_fr_content_volunteer_question     (Loader            *ld,
                                                Language          *lang,
                                                const QuestionDef *def,
                                                const FrQuestion  *question);
void        _fr_content_report_label_overrides (Loader     *ld,
                                                Language   *lang);

/* fr-content-topics.c */
FrTopic *_fr_content_make_topic (Loader     *ld,
                                 Language   *lang,
                                 const char *id,
                                 const char *file,
                                 const char *what,
                                 GError    **error);

G_END_DECLS
