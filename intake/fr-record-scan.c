/* fr-record-scan.c — the strict scan of a record's JSON, before json-glib sees it
 *
 * Strict RFC 8259 syntax, no duplicate keys, a depth limit, integers that fit, no
 * \u0000; then json-glib builds the tree (_fr_record_parse_text()).
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sodium.h>

#include "fr-error.h"
#include "fr-record-private.h"

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
gboolean
_fr_record_is_plain_id (const char *s,
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
  g_string_append (path, _fr_record_is_plain_id (key, ID_MAX_LEN) ? key : "?");
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

/* After a member or an element: ',' (another follows: *@closed is %FALSE) or @close (the
 * container ends: *@closed is %TRUE); anything else fails. */
static gboolean
scan_after_item (Scanner  *s,
                 char      close,
                 gboolean *closed,
                 GError  **error)
{
  scan_skip_ws (s);
  *closed = FALSE;
  if (s->pos < s->len && s->text[s->pos] == ',')
    {
      s->pos++;
      return TRUE;
    }
  if (s->pos < s->len && s->text[s->pos] == close)
    {
      s->pos++;
      *closed = TRUE;
      return TRUE;
    }
  return scan_fail (s, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'", error);
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
      gboolean closed;

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
      if (!scan_after_item (s, '}', &closed, error))
        return FALSE;
      if (closed)
        return TRUE;
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
      gboolean closed;

      g_string_append_printf (s->path, "[%u]", i);
      if (!scan_value (s, depth, error))
        return FALSE;
      g_string_truncate (s->path, path_len);
      if (!scan_after_item (s, ']', &closed, error))
        return FALSE;
      if (closed)
        return TRUE;
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
JsonParser *
_fr_record_parse_text (const char *text,
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
