/* fr-record-private.h — what the files of fr-record share (fr-record.c lists them)
 *
 * The limits of Record JSON v1 (intake/RECORD.md), the record itself, and the steps every
 * record goes through: _fr_record_parse_text() (byte checks, the strict scan, json-glib),
 * then _fr_record_validate().
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "fr-record.h"
#include "fr-secret.h"

G_BEGIN_DECLS

#define SCAN_MAX_DEPTH       8      /* a valid record needs 3 */
#define SCAN_MAX_INT_DIGITS  18     /* always fits a gint64 */

#define ID_MAX_LEN           64     /* site, text_version, answer keys, volunteer */
#define LANGUAGE_MAX_LEN     35
#define ANSWERS_MAX_MEMBERS  200
#define ANSWER_MAX_BYTES     (64u * 1024u)
#define ANSWER_MAX_ITEMS     64
#define ANSWER_ITEM_MAX_BYTES 256
#define MIME_MAX_LEN         127
#define ATTACHMENT_MAX_SIZE  (8 * 1024 * 1024)
#define DURATION_MAX_MS      86400000
#define CREATED_MIN_UNIX     G_GINT64_CONSTANT (946684800)      /* 2000-01-01T00:00:00Z */
#define CREATED_MAX_UNIX     G_GINT64_CONSTANT (253402300799)   /* 9999-12-31T23:59:59Z */

struct _FrRecord
{
  FrSecret        *json;
  guint8           id[FR_RECORD_ID_SIZE];
  char             id_string[FR_UUID_STRING_LEN + 1];
  gint64           created;
  char             site[ID_MAX_LEN + 1];
  const char      *channel;                 /* one of the static channel names */
  char             language[LANGUAGE_MAX_LEN + 1];
  char             receipt[FR_RECEIPT_STRING_LEN + 1];
  guint            n_attachments;
  FrAttachmentInfo attachments[FR_RECORD_MAX_ATTACHMENTS];
};

/* fr-record.c: takes @json. The one path every record comes through. */
FrRecord   *_fr_record_new_take_json (FrSecret *json,
                                      GError  **error);

/* fr-record-ids.c: the value of a hex digit, or -1. */
int         _fr_record_hex_value     (char c);

/* fr-record-scan.c */
/* 1..max characters of [A-Za-z0-9._-]: site ids, text versions, and keys safe to name
 * in a message. */
gboolean    _fr_record_is_plain_id   (const char *s,
                                      gsize       max);
/* Returns a parser whose root is an object, or NULL. */
JsonParser *_fr_record_parse_text    (const char *text,
                                      gsize       len,
                                      GError    **error);

/* fr-record-validate.c */
G_GNUC_PRINTF (3, 4)
gboolean    _fr_record_invalid        (GError    **error,
                                       const char *field,
                                       const char *format,
                                       ...);
gboolean    _fr_record_node_is_string (JsonNode *node);
/* Checks @root against Record JSON v1 and fills everything in @record but its JSON. */
gboolean    _fr_record_validate       (JsonObject *root,
                                       FrRecord   *record,
                                       GError    **error);

G_END_DECLS
