/* fr-record.c — Record JSON v1: strict parsing, validation and completion
 *
 * A record is read in three steps: byte-level checks (size, NUL, UTF-8), a strict
 * RFC 8259 scan of our own (json-glib is lenient: it accepts comments, single quotes,
 * hex numbers, "var x =", lone surrogates, silently wraps huge integers and keeps the
 * last of duplicate keys), then json-glib builds the tree and validate_record() checks
 * every field. The choices are written down in intake/RECORD.md.
 *
 * Error messages name a field or a byte offset, never a value.
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sodium.h>

#include "fr-error.h"
#include "fr-record.h"

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

static const char *const top_level_fields[] = {
  "schema", "id", "created", "site", "channel", "volunteer", "language", "receipt",
  "answers", "consent", "attachments",
};

static const char *const channels[] = { "kiosk", "assisted", "hotline" };

/* Fields the kiosk fills in fr_record_complete(); a partial record must not have them. */
static const char *const kiosk_fields[] = { "id", "created", "receipt", "site", "attachments" };

static const char crockford32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* ------------------------------------------------------------------------------------ */
/* Identifiers and times                                                                */

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static gboolean
is_uuid_dash (guint i)
{
  return i == 8 || i == 13 || i == 18 || i == 23;
}

/**
 * fr_uuid_parse:
 * @str: a NUL-terminated string
 * @id: (out): the 16 bytes
 *
 * Accepts exactly 36 characters: lowercase hex in 8-4-4-4-12 groups. Any version and
 * variant; the record validator checks those. @id is untouched on failure.
 */
gboolean
fr_uuid_parse (const char *str,
               guint8      id[FR_RECORD_ID_SIZE])
{
  guint8 tmp[FR_RECORD_ID_SIZE];
  guint n = 0;

  g_return_val_if_fail (str != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < FR_UUID_STRING_LEN; )
    {
      int hi, lo;

      if (is_uuid_dash (i))
        {
          if (str[i] != '-')
            return FALSE;
          i++;
          continue;
        }
      /* A NUL stops here, so nothing past the string is read. */
      hi = hex_value (str[i]);
      if (hi < 0)
        return FALSE;
      lo = hex_value (str[i + 1]);
      if (lo < 0)
        return FALSE;
      tmp[n++] = (guint8) (hi << 4 | lo);
      i += 2;
    }
  if (str[FR_UUID_STRING_LEN] != '\0')
    return FALSE;
  memcpy (id, tmp, sizeof tmp);
  return TRUE;
}

void
fr_uuid_format (const guint8 id[FR_RECORD_ID_SIZE],
                char         out[FR_UUID_STRING_LEN + 1])
{
  static const char hex[] = "0123456789abcdef";
  guint n = 0;

  g_return_if_fail (id != NULL);
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < FR_UUID_STRING_LEN; )
    {
      if (is_uuid_dash (i))
        {
          out[i++] = '-';
          continue;
        }
      out[i++] = hex[id[n] >> 4];
      out[i++] = hex[id[n] & 0x0f];
      n++;
    }
  out[FR_UUID_STRING_LEN] = '\0';
}

/**
 * fr_uuid_generate:
 * @id: (out): 16 random bytes with the version 4 and RFC 4122 variant bits set
 */
void
fr_uuid_generate (guint8 id[FR_RECORD_ID_SIZE])
{
  g_return_if_fail (id != NULL);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
  randombytes_buf (id, FR_RECORD_ID_SIZE);
  id[6] = (id[6] & 0x0f) | 0x40;
  id[8] = (id[8] & 0x3f) | 0x80;
}

/**
 * fr_receipt_format:
 * @id: a record id
 * @out: (out): "XXXX-XXXX"
 *
 * The first 40 bits of @id (its first 5 bytes, big-endian) as 8 Crockford base32
 * digits, most significant first.
 */
void
fr_receipt_format (const guint8 id[FR_RECORD_ID_SIZE],
                   char         out[FR_RECEIPT_STRING_LEN + 1])
{
  guint64 bits = 0;
  guint n = 0;

  g_return_if_fail (id != NULL);
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < 5; i++)
    bits = bits << 8 | id[i];
  for (guint digit = 0; digit < 8; digit++)
    {
      if (digit == 4)
        out[n++] = '-';
      out[n++] = crockford32[(bits >> (35 - 5 * digit)) & 0x1f];
    }
  out[n] = '\0';
}

/**
 * fr_timestamp_parse:
 * @str: a NUL-terminated string
 * @out_unix: (out) (optional): Unix seconds
 *
 * Accepts exactly "YYYY-MM-DDTHH:MM:SSZ" naming a real UTC date and time in the years
 * 0001..9999 (no leap second). The record validator further requires 2000..9999.
 */
gboolean
fr_timestamp_parse (const char *str,
                    gint64     *out_unix)
{
  static const char pattern[] = "dddd-dd-ddTdd:dd:ddZ";
  g_autoptr(GDateTime) dt = NULL;
  int year, month, day, hour, minute, second;

  g_return_val_if_fail (str != NULL, FALSE);

  for (guint i = 0; i < FR_TIMESTAMP_STRING_LEN; i++)
    {
      /* A NUL fails both tests, so nothing past the string is read. */
      if (pattern[i] == 'd' ? !g_ascii_isdigit (str[i]) : str[i] != pattern[i])
        return FALSE;
    }
  if (str[FR_TIMESTAMP_STRING_LEN] != '\0')
    return FALSE;

#define DIGITS2(p) (((p)[0] - '0') * 10 + ((p)[1] - '0'))
  year = DIGITS2 (str) * 100 + DIGITS2 (str + 2);
  month = DIGITS2 (str + 5);
  day = DIGITS2 (str + 8);
  hour = DIGITS2 (str + 11);
  minute = DIGITS2 (str + 14);
  second = DIGITS2 (str + 17);
#undef DIGITS2

  /* g_date_time_new_utc() returns NULL for any field out of range (Feb 30, 24:00,
   * second 60, year 0) without a warning. */
  dt = g_date_time_new_utc (year, month, day, hour, minute, (gdouble) second);
  if (dt == NULL)
    return FALSE;
  if (out_unix != NULL)
    *out_unix = g_date_time_to_unix (dt);
  return TRUE;
}

/**
 * fr_timestamp_format:
 * @unix_time: Unix seconds
 * @out: (out): "YYYY-MM-DDTHH:MM:SSZ" in UTC
 *
 * Times outside the years 0001..9999 are written as "0000-00-00T00:00:00Z", which no
 * parser accepts.
 */
void
fr_timestamp_format (gint64 unix_time,
                     char   out[FR_TIMESTAMP_STRING_LEN + 1])
{
  g_autoptr(GDateTime) dt = NULL;

  g_return_if_fail (out != NULL);

  dt = g_date_time_new_from_unix_utc (unix_time);
  if (dt == NULL)
    {
      memcpy (out, "0000-00-00T00:00:00Z", FR_TIMESTAMP_STRING_LEN + 1);
      return;
    }
  g_snprintf (out, FR_TIMESTAMP_STRING_LEN + 1, "%04d-%02d-%02dT%02d:%02d:%02dZ",
              g_date_time_get_year (dt), g_date_time_get_month (dt),
              g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
              g_date_time_get_minute (dt), g_date_time_get_second (dt));
}

/* ------------------------------------------------------------------------------------ */
/* Strict scan: RFC 8259 syntax, duplicate keys, depth, integer range, \u0000            */

typedef struct
{
  const char *text;
  gsize       len;
  gsize       pos;
  GString    *path;       /* field path of what is being scanned, for messages */
  GError     *invalid;    /* first validity problem; a later syntax error wins */
} Scanner;

static gboolean
is_id_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '_' || c == '-';
}

/* 1..max characters of [A-Za-z0-9._-]: site ids, text versions, and keys safe to name
 * in a message. */
static gboolean
is_plain_id (const char *s,
             gsize       max)
{
  gsize n;

  for (n = 0; s[n] != '\0'; n++)
    if (n >= max || !is_id_char (s[n]))
      return FALSE;
  return n > 0;
}

static void
path_append_key (GString    *path,
                 const char *key)
{
  if (path->len > 0)
    g_string_append_c (path, '.');
  /* Only ids are named; anything else could be text a person typed. */
  g_string_append (path, is_plain_id (key, ID_MAX_LEN) ? key : "?");
}

static gboolean
scan_fail (Scanner    *s,
           const char *what,
           GError    **error)
{
  g_set_error (error, FR_ERROR, FR_ERROR_RECORD_SYNTAX,
               "not valid JSON at byte %" G_GSIZE_FORMAT ": %s", s->pos, what);
  return FALSE;
}

static void
scan_note_invalid (Scanner    *s,
                   const char *problem)
{
  if (s->invalid != NULL)
    return;
  s->invalid = g_error_new (FR_ERROR, FR_ERROR_RECORD_INVALID, "field \"%s\": %s",
                            s->path->len > 0 ? s->path->str : "(top level)", problem);
}

static void
scan_skip_ws (Scanner *s)
{
  while (s->pos < s->len)
    {
      char c = s->text[s->pos];

      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      s->pos++;
    }
}

static gboolean
scan_hex4 (Scanner  *s,
           gunichar *out)
{
  gunichar u = 0;

  if (s->len - s->pos < 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      int v = g_ascii_xdigit_value (s->text[s->pos + i]);

      if (v < 0)
        return FALSE;
      u = u << 4 | (gunichar) v;
    }
  s->pos += 4;
  *out = u;
  return TRUE;
}

/* At the opening quote. Appends the decoded string to @decoded if not NULL. */
static gboolean
scan_string (Scanner *s,
             GString *decoded,
             GError **error)
{
  s->pos++;
  for (;;)
    {
      guchar c;

      if (s->pos >= s->len)
        return scan_fail (s, "unterminated string", error);
      c = (guchar) s->text[s->pos];
      if (c == '"')
        {
          s->pos++;
          return TRUE;
        }
      if (c < 0x20)
        return scan_fail (s, "control character in a string", error);
      if (c != '\\')
        {
          if (decoded != NULL)
            g_string_append_c (decoded, (char) c);
          s->pos++;
          continue;
        }

      s->pos++;
      if (s->pos >= s->len)
        return scan_fail (s, "unterminated string", error);
      c = (guchar) s->text[s->pos++];
      switch (c)
        {
        case '"': case '\\': case '/':
          break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u':
          {
            gunichar u, low;

            if (!scan_hex4 (s, &u))
              return scan_fail (s, "malformed \\u escape", error);
            if (u >= 0xdc00 && u <= 0xdfff)
              return scan_fail (s, "unpaired surrogate escape", error);
            if (u >= 0xd800 && u <= 0xdbff)
              {
                if (s->len - s->pos < 2 || s->text[s->pos] != '\\' || s->text[s->pos + 1] != 'u')
                  return scan_fail (s, "unpaired surrogate escape", error);
                s->pos += 2;
                if (!scan_hex4 (s, &low))
                  return scan_fail (s, "malformed \\u escape", error);
                if (low < 0xdc00 || low > 0xdfff)
                  return scan_fail (s, "unpaired surrogate escape", error);
                u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
              }
            if (u == 0)
              scan_note_invalid (s, "must not contain \\u0000");
            if (decoded != NULL)
              g_string_append_unichar (decoded, u);
            continue;
          }
        default:
          s->pos--;
          return scan_fail (s, "unknown escape", error);
        }
      if (decoded != NULL)
        g_string_append_c (decoded, (char) c);
    }
}

static gboolean
scan_digits (Scanner *s,
             guint   *n_digits)
{
  gsize start = s->pos;

  while (s->pos < s->len && g_ascii_isdigit (s->text[s->pos]))
    s->pos++;
  if (n_digits != NULL)
    *n_digits = (guint) MIN (s->pos - start, G_MAXUINT);
  return s->pos > start;
}

static gboolean
scan_number (Scanner *s,
             GError **error)
{
  gboolean is_integer = TRUE;
  guint n_digits = 0;

  if (s->text[s->pos] == '-')
    s->pos++;
  if (s->pos < s->len && s->text[s->pos] == '0')
    {
      s->pos++;
      n_digits = 1;
    }
  else if (!scan_digits (s, &n_digits))
    return scan_fail (s, "malformed number", error);

  if (s->pos < s->len && s->text[s->pos] == '.')
    {
      is_integer = FALSE;
      s->pos++;
      if (!scan_digits (s, NULL))
        return scan_fail (s, "malformed number", error);
    }
  if (s->pos < s->len && (s->text[s->pos] == 'e' || s->text[s->pos] == 'E'))
    {
      is_integer = FALSE;
      s->pos++;
      if (s->pos < s->len && (s->text[s->pos] == '+' || s->text[s->pos] == '-'))
        s->pos++;
      if (!scan_digits (s, NULL))
        return scan_fail (s, "malformed number", error);
    }
  /* json-glib wraps integers that do not fit a gint64 without telling. */
  if (is_integer && n_digits > SCAN_MAX_INT_DIGITS)
    scan_note_invalid (s, "number out of range");
  return TRUE;
}

static gboolean
scan_literal (Scanner    *s,
              const char *word,
              GError    **error)
{
  gsize n = strlen (word);

  if (s->len - s->pos < n || memcmp (s->text + s->pos, word, n) != 0)
    return scan_fail (s, "unexpected character", error);
  s->pos += n;
  return TRUE;
}

static gboolean scan_value (Scanner *s, guint depth, GError **error);

static void
wipe_free (gpointer p)
{
  sodium_memzero (p, strlen (p));
  g_free (p);
}

static gboolean
scan_too_deep (Scanner *s,
               GError **error)
{
  g_set_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID,
               "field \"%s\": nested more than %d levels deep",
               s->path->len > 0 ? s->path->str : "(top level)", SCAN_MAX_DEPTH);
  return FALSE;
}

/* At the opening brace. */
static gboolean
scan_object (Scanner *s,
             guint    depth,
             GError **error)
{
  g_autoptr(GHashTable) keys = NULL;
  gsize path_len = s->path->len;

  if (depth > SCAN_MAX_DEPTH)
    return scan_too_deep (s, error);
  s->pos++;
  scan_skip_ws (s);
  if (s->pos < s->len && s->text[s->pos] == '}')
    {
      s->pos++;
      return TRUE;
    }

  for (;;)
    {
      GString *key;

      scan_skip_ws (s);
      if (s->pos >= s->len || s->text[s->pos] != '"')
        return scan_fail (s, "expected a string key", error);
      key = g_string_new (NULL);
      if (!scan_string (s, key, error))
        {
          wipe_free (g_string_free (key, FALSE));
          return FALSE;
        }
      path_append_key (s->path, key->str);
      if (keys == NULL)
        keys = g_hash_table_new_full (g_str_hash, g_str_equal, wipe_free, NULL);
      if (g_hash_table_contains (keys, key->str))
        {
          scan_note_invalid (s, "appears more than once");
          wipe_free (g_string_free (key, FALSE));
        }
      else
        g_hash_table_add (keys, g_string_free (key, FALSE));

      scan_skip_ws (s);
      if (s->pos >= s->len || s->text[s->pos] != ':')
        return scan_fail (s, "expected ':'", error);
      s->pos++;
      if (!scan_value (s, depth, error))
        return FALSE;
      g_string_truncate (s->path, path_len);

      scan_skip_ws (s);
      if (s->pos < s->len && s->text[s->pos] == ',')
        {
          s->pos++;
          continue;
        }
      if (s->pos < s->len && s->text[s->pos] == '}')
        {
          s->pos++;
          return TRUE;
        }
      return scan_fail (s, "expected ',' or '}'", error);
    }
}

/* At the opening bracket. */
static gboolean
scan_array (Scanner *s,
            guint    depth,
            GError **error)
{
  gsize path_len = s->path->len;

  if (depth > SCAN_MAX_DEPTH)
    return scan_too_deep (s, error);
  s->pos++;
  scan_skip_ws (s);
  if (s->pos < s->len && s->text[s->pos] == ']')
    {
      s->pos++;
      return TRUE;
    }

  for (guint i = 0; ; i++)
    {
      g_string_append_printf (s->path, "[%u]", i);
      if (!scan_value (s, depth, error))
        return FALSE;
      g_string_truncate (s->path, path_len);

      scan_skip_ws (s);
      if (s->pos < s->len && s->text[s->pos] == ',')
        {
          s->pos++;
          continue;
        }
      if (s->pos < s->len && s->text[s->pos] == ']')
        {
          s->pos++;
          return TRUE;
        }
      return scan_fail (s, "expected ',' or ']'", error);
    }
}

/* @depth is the depth of the container holding the value. */
static gboolean
scan_value (Scanner *s,
            guint    depth,
            GError **error)
{
  scan_skip_ws (s);
  if (s->pos >= s->len)
    return scan_fail (s, "unexpected end", error);

  switch (s->text[s->pos])
    {
    case '{':
      return scan_object (s, depth + 1, error);
    case '[':
      return scan_array (s, depth + 1, error);
    case '"':
      return scan_string (s, NULL, error);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return scan_number (s, error);
    case 't':
      return scan_literal (s, "true", error);
    case 'f':
      return scan_literal (s, "false", error);
    case 'n':
      return scan_literal (s, "null", error);
    default:
      return scan_fail (s, "unexpected character", error);
    }
}

/* The checks every record and partial record passes before json-glib sees it. */
static gboolean
check_text (const char *text,
            gsize       len,
            GError    **error)
{
  Scanner s = { text, len, 0, NULL, NULL };
  gboolean ok;

  if (len > FR_RECORD_MAX_JSON)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TOO_LARGE,
                   "record JSON is larger than %u bytes", FR_RECORD_MAX_JSON);
      return FALSE;
    }
  if (len == 0)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_RECORD_SYNTAX, "record JSON is empty");
      return FALSE;
    }
  if (memchr (text, '\0', len) != NULL)
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_RECORD_SYNTAX,
                           "record JSON contains a NUL byte");
      return FALSE;
    }
  if (!g_utf8_validate_len (text, len, NULL))
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_RECORD_SYNTAX,
                           "record JSON is not valid UTF-8");
      return FALSE;
    }

  scan_skip_ws (&s);
  if (s.pos >= len || text[s.pos] != '{')
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_RECORD_SYNTAX,
                           "record JSON is not an object");
      return FALSE;
    }

  s.path = g_string_new (NULL);
  ok = scan_object (&s, 1, error);
  if (ok)
    {
      scan_skip_ws (&s);
      if (s.pos != len)
        ok = scan_fail (&s, "data after the object", error);
    }
  if (ok && s.invalid != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&s.invalid));
      ok = FALSE;
    }
  g_clear_error (&s.invalid);
  g_string_free (s.path, TRUE);
  return ok;
}

/* Returns a parser whose root is an object, or NULL. */
static JsonParser *
parse_text (const char *text,
            gsize       len,
            GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!check_text (text, len, error))
    return NULL;

  parser = json_parser_new ();
  /* json-glib's own messages may quote the input, so they are not passed on. */
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local_error))
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_RECORD_SYNTAX,
                           "record JSON could not be parsed");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, FR_ERROR, FR_ERROR_RECORD_SYNTAX,
                           "record JSON is not an object");
      return NULL;
    }
  return g_steal_pointer (&parser);
}

/* ------------------------------------------------------------------------------------ */
/* Field validation                                                                     */

G_GNUC_PRINTF (3, 4)
static gboolean
invalid (GError    **error,
         const char *field,
         const char *format,
         ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, FR_ERROR, FR_ERROR_RECORD_INVALID, "field \"%s\": %s", field, problem);
  return FALSE;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_boolean (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

static gboolean
node_is_integer (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
is_control (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

/* Valid UTF-8 of at most @max_bytes bytes without control characters other than
 * those in @allowed. */
static gboolean
is_clean_text (const char *s,
               gsize       max_bytes,
               const char *allowed)
{
  gsize len = strlen (s);

  if (len > max_bytes || !g_utf8_validate_len (s, len, NULL))
    return FALSE;
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_control (c) && (c == 0 || strchr (allowed, (int) c) == NULL))
        return FALSE;
    }
  return TRUE;
}

/* Looks up a required (or, with @optional, possibly absent) member. */
static gboolean
get_member (JsonObject  *object,
            const char  *name,
            const char  *field,
            gboolean     optional,
            JsonNode   **out,
            GError     **error)
{
  *out = json_object_get_member (object, name);
  if (*out == NULL && !optional)
    return invalid (error, field, "missing");
  return TRUE;
}

static gboolean
get_string (JsonObject  *object,
            const char  *name,
            const char  *field,
            const char **out,
            GError     **error)
{
  JsonNode *node;

  if (!get_member (object, name, field, FALSE, &node, error))
    return FALSE;
  if (!node_is_string (node))
    return invalid (error, field, "must be a string");
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
is_language_tag (const char *s)
{
  const char *p = s;
  gsize n = 0;

  if (strlen (s) > LANGUAGE_MAX_LEN)
    return FALSE;
  while (g_ascii_islower (p[n]))
    n++;
  if (n < 2 || n > 3)
    return FALSE;
  p += n;
  while (*p == '-')
    {
      p++;
      for (n = 0; g_ascii_isalnum (p[n]); n++)
        ;
      if (n < 2 || n > 8)
        return FALSE;
      p += n;
    }
  return *p == '\0';
}

static gboolean
is_printable_ascii (const char *s,
                    gsize       max)
{
  gsize n;

  for (n = 0; s[n] != '\0'; n++)
    if (n >= max || s[n] < 0x20 || s[n] > 0x7e)
      return FALSE;
  return n > 0;
}

static gboolean
is_answer_key (const char *s)
{
  gsize n;

  for (n = 0; s[n] != '\0'; n++)
    if (n >= ID_MAX_LEN || !(g_ascii_islower (s[n]) || g_ascii_isdigit (s[n])
                             || s[n] == '_' || s[n] == '-'))
      return FALSE;
  return n > 0;
}

static gboolean
validate_answers (JsonNode *node,
                  GError  **error)
{
  JsonObject *answers;
  g_autoptr(GList) names = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "answers", "must be an object");
  answers = json_node_get_object (node);
  if (json_object_get_size (answers) > ANSWERS_MAX_MEMBERS)
    return invalid (error, "answers", "at most %d answers", ANSWERS_MAX_MEMBERS);

  names = json_object_get_members (answers);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (answers, key);
      g_autofree char *field = NULL;

      if (!is_answer_key (key))
        return invalid (error, "answers", "keys must be 1..%d characters of a-z, 0-9, _ and -",
                        ID_MAX_LEN);
      field = g_strconcat ("answers.", key, NULL);

      if (node_is_boolean (value))
        continue;
      if (node_is_string (value))
        {
          if (!is_clean_text (json_node_get_string (value), ANSWER_MAX_BYTES, "\n\t"))
            return invalid (error, field,
                            "must be at most %u bytes without control characters other than newline and tab",
                            ANSWER_MAX_BYTES);
          continue;
        }
      if (JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *items = json_node_get_array (value);
          guint n = json_array_get_length (items);

          if (n > ANSWER_MAX_ITEMS)
            return invalid (error, field, "at most %d items", ANSWER_MAX_ITEMS);
          for (guint i = 0; i < n; i++)
            {
              JsonNode *item = json_array_get_element (items, i);

              if (!node_is_string (item)
                  || !is_clean_text (json_node_get_string (item), ANSWER_ITEM_MAX_BYTES, ""))
                {
                  g_autofree char *item_field = g_strdup_printf ("%s[%u]", field, i);

                  return invalid (error, item_field,
                                  "must be a string of at most %d bytes without control characters",
                                  ANSWER_ITEM_MAX_BYTES);
                }
            }
          continue;
        }
      return invalid (error, field, "must be a string, a boolean or an array of strings");
    }
  return TRUE;
}

/* @object must have exactly the members @names. */
static gboolean
check_exact_members (JsonObject        *object,
                     const char        *field,
                     const char *const *names,
                     guint              n_names,
                     const char        *list,
                     GError           **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < n_names && !known; i++)
        known = strcmp (l->data, names[i]) == 0;
      if (!known)
        return invalid (error, field, "only %s are allowed", list);
    }
  return TRUE;
}

static gboolean
validate_consent (JsonNode *node,
                  GError  **error)
{
  static const char *const names[] = { "share", "text_version" };
  JsonObject *consent;
  JsonNode *share;
  const char *text_version;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "consent", "must be an object");
  consent = json_node_get_object (node);
  if (!check_exact_members (consent, "consent", names, G_N_ELEMENTS (names),
                            "share and text_version", error))
    return FALSE;
  if (!get_member (consent, "share", "consent.share", FALSE, &share, error))
    return FALSE;
  if (!node_is_boolean (share) || !json_node_get_boolean (share))
    return invalid (error, "consent.share", "must be true");
  if (!get_string (consent, "text_version", "consent.text_version", &text_version, error))
    return FALSE;
  if (!is_plain_id (text_version, ID_MAX_LEN))
    return invalid (error, "consent.text_version", "must be 1..%d characters of A-Z, a-z, 0-9, '.', '_' and '-'",
                    ID_MAX_LEN);
  return TRUE;
}

static gboolean
validate_attachments (JsonNode *node,
                      FrRecord *record,
                      GError  **error)
{
  static const char *const names[] = { "kind", "mime", "size", "duration_ms" };
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "attachments", "must be an array");
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > FR_RECORD_MAX_ATTACHMENTS)
    return invalid (error, "attachments", "at most %d attachments", FR_RECORD_MAX_ATTACHMENTS);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      FrAttachmentInfo *info = &record->attachments[i];
      g_autofree char *field = g_strdup_printf ("attachments[%u]", i);
      g_autofree char *kind_field = g_strconcat (field, ".kind", NULL);
      g_autofree char *mime_field = g_strconcat (field, ".mime", NULL);
      g_autofree char *size_field = g_strconcat (field, ".size", NULL);
      g_autofree char *duration_field = g_strconcat (field, ".duration_ms", NULL);
      JsonObject *object;
      JsonNode *member;
      const char *kind, *mime;
      gint64 v;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, field, "must be an object");
      object = json_node_get_object (element);
      if (!check_exact_members (object, field, names, G_N_ELEMENTS (names),
                                "kind, mime, size and duration_ms", error))
        return FALSE;

      if (!get_string (object, "kind", kind_field, &kind, error))
        return FALSE;
      if (strcmp (kind, "voice") != 0)
        return invalid (error, kind_field, "must be voice");

      if (!get_string (object, "mime", mime_field, &mime, error))
        return FALSE;
      if (!is_printable_ascii (mime, MIME_MAX_LEN))
        return invalid (error, mime_field, "must be 1..%d printable ASCII characters", MIME_MAX_LEN);

      if (!get_member (object, "size", size_field, FALSE, &member, error))
        return FALSE;
      v = node_is_integer (member) ? json_node_get_int (member) : 0;
      if (v < 1 || v > ATTACHMENT_MAX_SIZE)
        return invalid (error, size_field, "must be an integer 1..%d", ATTACHMENT_MAX_SIZE);
      info->size = (guint64) v;

      if (!get_member (object, "duration_ms", duration_field, FALSE, &member, error))
        return FALSE;
      v = node_is_integer (member) ? json_node_get_int (member) : -1;
      if (v < 0 || v > DURATION_MAX_MS)
        return invalid (error, duration_field, "must be an integer 0..%d", DURATION_MAX_MS);
      info->duration_ms = (guint64) v;

      g_strlcpy (info->kind, kind, sizeof info->kind);
      g_strlcpy (info->mime, mime, sizeof info->mime);
    }
  record->n_attachments = n;
  return TRUE;
}

/* Checks @root against Record JSON v1 and fills everything in @record but its JSON. */
static gboolean
validate_record (JsonObject *root,
                 FrRecord   *record,
                 GError    **error)
{
  g_autoptr(GList) names = json_object_get_members (root);
  const char *schema, *id, *created, *site, *channel, *language, *receipt;
  JsonNode *node;

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (top_level_fields) && !known; i++)
        known = strcmp (name, top_level_fields[i]) == 0;
      if (!known && is_plain_id (name, ID_MAX_LEN))
        return invalid (error, name, "not allowed in a record");
      if (!known)
        return invalid (error, "?", "not allowed in a record");
    }

  if (!get_string (root, "schema", "schema", &schema, error))
    return FALSE;
  if (strcmp (schema, FR_RECORD_SCHEMA) != 0)
    return invalid (error, "schema", "must be %s", FR_RECORD_SCHEMA);

  if (!get_string (root, "id", "id", &id, error))
    return FALSE;
  if (!fr_uuid_parse (id, record->id))
    return invalid (error, "id", "must be a lowercase UUID (8-4-4-4-12 hex digits)");
  if (id[14] != '4')
    return invalid (error, "id", "must be a version 4 UUID");
  if (hex_value (id[19]) < 8 || hex_value (id[19]) > 11)
    return invalid (error, "id", "must have the RFC 4122 variant");
  fr_uuid_format (record->id, record->id_string);

  if (!get_string (root, "created", "created", &created, error))
    return FALSE;
  if (!fr_timestamp_parse (created, &record->created))
    return invalid (error, "created", "must be a real UTC time written YYYY-MM-DDTHH:MM:SSZ");
  if (record->created < CREATED_MIN_UNIX || record->created > CREATED_MAX_UNIX)
    return invalid (error, "created", "must be in the years 2000..9999");

  if (!get_string (root, "site", "site", &site, error))
    return FALSE;
  if (!is_plain_id (site, ID_MAX_LEN))
    return invalid (error, "site", "must be 1..%d characters of A-Z, a-z, 0-9, '.', '_' and '-'",
                    ID_MAX_LEN);
  g_strlcpy (record->site, site, sizeof record->site);

  if (!get_string (root, "channel", "channel", &channel, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    if (strcmp (channel, channels[i]) == 0)
      record->channel = channels[i];
  if (record->channel == NULL)
    return invalid (error, "channel", "must be one of kiosk, assisted, hotline");

  if (!get_member (root, "volunteer", "volunteer", TRUE, &node, error))
    return FALSE;
  if (node == NULL && strcmp (record->channel, "kiosk") != 0)
    return invalid (error, "volunteer", "required for channel %s", record->channel);
  if (node != NULL && strcmp (record->channel, "kiosk") == 0)
    return invalid (error, "volunteer", "not allowed for channel kiosk");
  if (node != NULL)
    {
      const char *volunteer;

      if (!node_is_string (node))
        return invalid (error, "volunteer", "must be a string");
      volunteer = json_node_get_string (node);
      if (volunteer[0] == '\0' || g_utf8_strlen (volunteer, -1) > ID_MAX_LEN
          || !is_clean_text (volunteer, G_MAXSIZE, ""))
        return invalid (error, "volunteer", "must be 1..%d characters without control characters",
                        ID_MAX_LEN);
    }

  if (!get_string (root, "language", "language", &language, error))
    return FALSE;
  if (!is_language_tag (language))
    return invalid (error, "language", "must be a language tag such as th, pt-BR or zh-Hans");
  g_strlcpy (record->language, language, sizeof record->language);

  if (!get_string (root, "receipt", "receipt", &receipt, error))
    return FALSE;
  fr_receipt_format (record->id, record->receipt);
  if (strcmp (receipt, record->receipt) != 0)
    return invalid (error, "receipt", "does not match the id");

  if (!get_member (root, "answers", "answers", FALSE, &node, error)
      || !validate_answers (node, error))
    return FALSE;

  if (!get_member (root, "consent", "consent", FALSE, &node, error)
      || !validate_consent (node, error))
    return FALSE;

  if (!get_member (root, "attachments", "attachments", TRUE, &node, error))
    return FALSE;
  if (node != NULL && !validate_attachments (node, record, error))
    return FALSE;

  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Records                                                                              */

static FrRecord *
record_alloc (void)
{
  FrRecord *record;

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
  /* The extracted fields (language, site, ...) are record content too. */
  record = sodium_malloc (sizeof *record);
  if (record == NULL)
    g_error ("out of guarded memory (%" G_GSIZE_FORMAT " bytes)", sizeof *record);
  sodium_memzero (record, sizeof *record);
  return record;
}

/* Takes @json. The one path every record comes through. */
static FrRecord *
record_new_take_json (FrSecret *json,
                      GError  **error)
{
  g_autoptr(FrSecret) owned = json;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(FrRecord) record = NULL;

  parser = parse_text ((const char *) owned->data, owned->len, error);
  if (parser == NULL)
    return NULL;

  record = record_alloc ();
  if (!validate_record (json_node_get_object (json_parser_get_root (parser)), record, error))
    return NULL;
  record->json = g_steal_pointer (&owned);
  return g_steal_pointer (&record);
}

/**
 * fr_record_parse:
 * @json: record JSON (not NUL-terminated)
 * @len: its length in bytes
 * @error: return location for a #GError
 *
 * Parses and validates a Record JSON v1. The record keeps a copy of exactly these
 * bytes (see fr_record_get_json()).
 *
 * Returns: (transfer full): the record, or %NULL with %FR_ERROR_TOO_LARGE,
 *   %FR_ERROR_RECORD_SYNTAX or %FR_ERROR_RECORD_INVALID.
 */
FrRecord *
fr_record_parse (const char *json,
                 gsize       len,
                 GError    **error)
{
  g_return_val_if_fail (json != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Checked here too so an oversized input is never copied. */
  if (len > FR_RECORD_MAX_JSON)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_TOO_LARGE,
                   "record JSON is larger than %u bytes", FR_RECORD_MAX_JSON);
      return NULL;
    }
  return record_new_take_json (fr_secret_new_from (json, len), error);
}

/**
 * fr_record_parse_secret:
 * @json: (transfer full): record JSON in guarded memory
 * @error: return location for a #GError
 *
 * Like fr_record_parse(), but takes @json instead of copying it: the opened envelope's
 * JSON never exists twice.
 *
 * Returns: (transfer full): the record, or %NULL (then @json has been freed).
 */
FrRecord *
fr_record_parse_secret (FrSecret  *json,
                        GError   **error)
{
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The size and every other text check happen in check_text(), before json-glib. */
  return record_new_take_json (json, error);
}

static void
object_move_member (JsonObject *from,
                    JsonObject *to,
                    const char *name)
{
  JsonNode *node = json_object_get_member (from, name);
  g_autofree char *key = NULL;

  if (node == NULL)
    return;
  /* @name may be @from's own copy, which removing the member frees. */
  key = g_strdup (name);
  json_node_ref (node);
  json_object_remove_member (from, key);
  json_node_set_parent (node, NULL);
  json_object_set_member (to, key, node);
}

/**
 * fr_record_complete:
 * @partial_json: a record without id, created, receipt, site and attachments
 * @len: its length in bytes
 * @site_id: the kiosk's site id
 * @now_unix: the creation time
 * @attachments: (array length=n_attachments) (nullable): what the body will carry
 * @n_attachments: how many
 * @error: return location for a #GError
 *
 * Fills in schema (if absent), a new version 4 id, created, receipt, site and the
 * attachment list, writes the record as compact JSON and validates it exactly as
 * fr_record_parse() would.
 *
 * Returns: (transfer full): the complete record, or %NULL.
 */
FrRecord *
fr_record_complete (const char             *partial_json,
                    gsize                   len,
                    const char             *site_id,
                    gint64                  now_unix,
                    const FrAttachmentInfo *attachments,
                    guint                   n_attachments,
                    GError                **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(JsonNode) out_node = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GList) rest = NULL;
  JsonObject *partial;
  JsonNode *schema;
  guint8 id[FR_RECORD_ID_SIZE];
  char id_string[FR_UUID_STRING_LEN + 1];
  char created[FR_TIMESTAMP_STRING_LEN + 1];
  char receipt[FR_RECEIPT_STRING_LEN + 1];
  char *text;
  gsize text_len = 0;
  FrSecret *json;

  g_return_val_if_fail (partial_json != NULL || len == 0, NULL);
  g_return_val_if_fail (site_id != NULL, NULL);
  g_return_val_if_fail (attachments != NULL || n_attachments == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser = parse_text (partial_json, len, error);
  if (parser == NULL)
    return NULL;
  partial = json_node_get_object (json_parser_get_root (parser));

  for (guint i = 0; i < G_N_ELEMENTS (kiosk_fields); i++)
    if (json_object_has_member (partial, kiosk_fields[i]))
      {
        invalid (error, kiosk_fields[i], "filled in by the kiosk, not allowed in a partial record");
        return NULL;
      }
  schema = json_object_get_member (partial, "schema");
  if (schema != NULL
      && (!node_is_string (schema) || strcmp (json_node_get_string (schema), FR_RECORD_SCHEMA) != 0))
    {
      invalid (error, "schema", "must be %s", FR_RECORD_SCHEMA);
      return NULL;
    }
  if (n_attachments > FR_RECORD_MAX_ATTACHMENTS)
    {
      invalid (error, "attachments", "at most %d attachments", FR_RECORD_MAX_ATTACHMENTS);
      return NULL;
    }
  if (now_unix < CREATED_MIN_UNIX || now_unix > CREATED_MAX_UNIX)
    {
      invalid (error, "created", "the clock is not in the years 2000..9999");
      return NULL;
    }

  fr_uuid_generate (id);
  fr_uuid_format (id, id_string);
  fr_receipt_format (id, receipt);
  fr_timestamp_format (now_unix, created);

  /* The members in the order DESIGN.md lists them; partial's own nodes are moved, not
   * copied. Unknown members go last so validation names them. */
  out = json_object_new ();
  json_object_set_string_member (out, "schema", FR_RECORD_SCHEMA);
  json_object_remove_member (partial, "schema");
  json_object_set_string_member (out, "id", id_string);
  json_object_set_string_member (out, "created", created);
  json_object_set_string_member (out, "site", site_id);
  object_move_member (partial, out, "channel");
  object_move_member (partial, out, "volunteer");
  object_move_member (partial, out, "language");
  json_object_set_string_member (out, "receipt", receipt);
  object_move_member (partial, out, "answers");
  object_move_member (partial, out, "consent");
  if (n_attachments > 0)
    {
      JsonArray *array = json_array_sized_new (n_attachments);

      for (guint i = 0; i < n_attachments; i++)
        {
          const FrAttachmentInfo *info = &attachments[i];
          JsonObject *object;

          if (memchr (info->kind, '\0', sizeof info->kind) == NULL
              || memchr (info->mime, '\0', sizeof info->mime) == NULL)
            {
              g_autofree char *field = g_strdup_printf ("attachments[%u]", i);

              json_array_unref (array);
              {
                invalid (error, field, "kind and mime must be NUL-terminated");
                return NULL;
              }
            }
          object = json_object_new ();
          json_object_set_string_member (object, "kind", info->kind);
          json_object_set_string_member (object, "mime", info->mime);
          json_object_set_int_member (object, "size", (gint64) MIN (info->size, (guint64) G_MAXINT64));
          json_object_set_int_member (object, "duration_ms",
                                      (gint64) MIN (info->duration_ms, (guint64) G_MAXINT64));
          json_array_add_object_element (array, object);
        }
      json_object_set_array_member (out, "attachments", array);
    }
  rest = json_object_get_members (partial);
  for (GList *l = rest; l != NULL; l = l->next)
    object_move_member (partial, out, l->data);

  out_node = json_node_init_object (json_node_alloc (), out);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, FALSE);
  json_generator_set_root (generator, out_node);
  text = json_generator_to_data (generator, &text_len);
  json = fr_secret_new_from (text, text_len);
  sodium_memzero (text, text_len);
  g_free (text);
  sodium_memzero (id, sizeof id);

  return record_new_take_json (json, error);
}

/**
 * fr_record_free:
 * @record: (nullable): a record
 *
 * Wipes and frees the record and its JSON.
 */
void
fr_record_free (FrRecord *record)
{
  if (record == NULL)
    return;
  fr_secret_free (record->json);
  sodium_free (record);
}

const FrSecret *
fr_record_get_json (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->json;
}

const guint8 *
fr_record_get_id (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->id;
}

const char *
fr_record_get_id_string (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->id_string;
}

gint64
fr_record_get_created (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);
  return record->created;
}

const char *
fr_record_get_site (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->site;
}

const char *
fr_record_get_channel (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->channel;
}

const char *
fr_record_get_language (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->language;
}

const char *
fr_record_get_receipt (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->receipt;
}

guint
fr_record_get_n_attachments (const FrRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);
  return record->n_attachments;
}

const FrAttachmentInfo *
fr_record_get_attachment (const FrRecord *record,
                          guint           index)
{
  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (index < record->n_attachments, NULL);
  return &record->attachments[index];
}
