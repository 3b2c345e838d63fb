/* fr-record.h — Record JSON v1: strict parsing, validation and completion
 *
 * The contract is DESIGN.md "Record JSON v1"; the choices it leaves open are written
 * down in intake/RECORD.md. A parsed record keeps its JSON text in guarded memory.
 */
#pragma once

#include <glib.h>

#include "fr-secret.h"

G_BEGIN_DECLS

#define FR_RECORD_SCHEMA          "fristad.intake.v1"
#define FR_RECORD_ID_SIZE         16
#define FR_RECORD_MAX_JSON        (256u * 1024u)
#define FR_RECORD_MAX_ATTACHMENTS 4
#define FR_UUID_STRING_LEN        36   /* 8-4-4-4-12, no NUL */
#define FR_RECEIPT_STRING_LEN     9    /* XXXX-XXXX, no NUL */
#define FR_TIMESTAMP_STRING_LEN   20   /* 2026-11-28T20:15:00Z, no NUL */

typedef struct
{
  char    kind[16];      /* "voice" */
  char    mime[128];     /* "audio/ogg; codecs=opus" */
  guint64 size;          /* bytes, > 0 */
  guint64 duration_ms;
} FrAttachmentInfo;

typedef struct _FrRecord FrRecord;

FrRecord               *fr_record_parse             (const char              *json,
                                                     gsize                    len,
                                                     GError                 **error);
FrRecord               *fr_record_parse_secret      (FrSecret                *json,
                                                     GError                 **error);
FrRecord               *fr_record_complete          (const char              *partial_json,
                                                     gsize                    len,
                                                     const char              *site_id,
                                                     gint64                   now_unix,
                                                     const FrAttachmentInfo  *attachments,
                                                     guint                    n_attachments,
                                                     GError                 **error);
void                    fr_record_free              (FrRecord                *record);
const FrSecret         *fr_record_get_json          (const FrRecord          *record);
const guint8           *fr_record_get_id            (const FrRecord          *record);
const char             *fr_record_get_id_string     (const FrRecord          *record);
gint64                  fr_record_get_created       (const FrRecord          *record);
const char             *fr_record_get_site          (const FrRecord          *record);
const char             *fr_record_get_channel       (const FrRecord          *record);
const char             *fr_record_get_language      (const FrRecord          *record);
const char             *fr_record_get_receipt       (const FrRecord          *record);
guint                   fr_record_get_n_attachments (const FrRecord          *record);
const FrAttachmentInfo *fr_record_get_attachment    (const FrRecord          *record,
                                                     guint                    index);

/* Identifiers and times as DESIGN.md writes them. Parsers are strict: lowercase
 * 8-4-4-4-12 hex, Crockford base32 receipts, "YYYY-MM-DDTHH:MM:SSZ". */
gboolean                fr_uuid_parse               (const char              *str,
                                                     guint8                   id[FR_RECORD_ID_SIZE]);
void                    fr_uuid_format              (const guint8             id[FR_RECORD_ID_SIZE],
                                                     char                     out[FR_UUID_STRING_LEN + 1]);
void                    fr_uuid_generate            (guint8                   id[FR_RECORD_ID_SIZE]);
void                    fr_receipt_format           (const guint8             id[FR_RECORD_ID_SIZE],
                                                     char                     out[FR_RECEIPT_STRING_LEN + 1]);
gboolean                fr_timestamp_parse          (const char              *str,
                                                     gint64                  *out_unix);
void                    fr_timestamp_format         (gint64                   unix_time,
                                                     char                     out[FR_TIMESTAMP_STRING_LEN + 1]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrRecord, fr_record_free)

G_END_DECLS
