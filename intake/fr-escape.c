/* fr-escape.c — terminal-safe text and JSON output (see fr-escape.h) */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <string.h>

#include "fr-escape.h"

/**
 * fr_escape_is_unsafe:
 *
 * Returns: %TRUE for the code points that can change how a terminal shows what follows
 * them: controls, bidi controls and the Unicode line breaks.
 */
gboolean
fr_escape_is_unsafe (gunichar c)
{
  return c < 0x20 || c == 0x7f
         || (c >= 0x80 && c <= 0x9f)
         || c == 0x061c || c == 0x200e || c == 0x200f
         || (c >= 0x2028 && c <= 0x202e)
         || (c >= 0x2066 && c <= 0x2069);
}

/**
 * fr_escape_text:
 * @len: bytes of @text, or -1 if NUL-terminated
 *
 * Returns: (transfer full): @text with every unsafe character and byte escaped.
 */
char *
fr_escape_text (const char *text,
                gssize      len)
{
  GString *out;
  const char *p, *end;

  if (text == NULL)
    return g_strdup ("");
  if (len < 0)
    len = (gssize) strlen (text);
  out = g_string_sized_new ((gsize) len + 1);
  p = text;
  end = text + len;
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guint) (guchar) *p);
          p++;
          continue;
        }
      if (c == '\\')
        g_string_append (out, "\\\\");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", (guint) c);
      else if (fr_escape_is_unsafe (c))
        g_string_append_printf (out, "\\u%04x", (guint) c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

/**
 * fr_escape_json:
 *
 * Writes @json (valid UTF-8 JSON) to @stream with every unsafe character that may appear
 * raw in JSON written as a \uXXXX escape. Nothing is copied: the plaintext stays where it
 * is. Invalid UTF-8 bytes are written as U+FFFD escapes.
 *
 * Returns: %FALSE if writing failed.
 */
gboolean
fr_escape_json (FILE         *stream,
                const guint8 *json,
                gsize         len)
{
  const char *p = (const char *) json, *end = p + len, *run = p;

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      gboolean bad = c == (gunichar) -1 || c == (gunichar) -2;

      /* ASCII controls other than DEL cannot be raw inside a JSON string; outside one they
       * are whitespace, which must stay as it is. */
      if (!bad && ((c < 0x80 && c != 0x7f) || !fr_escape_is_unsafe (c)))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      if (p > run && fwrite (run, 1, p - run, stream) != (gsize) (p - run))
        return FALSE;
      if (fprintf (stream, "\\u%04x", bad ? 0xfffd : (guint) c) < 0)
        return FALSE;
      p = bad ? p + 1 : g_utf8_next_char (p);
      run = p;
    }
  if (p > run && fwrite (run, 1, p - run, stream) != (gsize) (p - run))
    return FALSE;
  return TRUE;
}
