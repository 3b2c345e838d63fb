/* fr-escape.h — text from records and peers made safe to show on a terminal
 *
 * fr_escape_text() writes C0 controls, DEL and invalid UTF-8 bytes as \xHH, a backslash as
 * \\, and C1 controls (U+0080–U+009F), the bidi controls (U+061C, U+200E, U+200F,
 * U+202A–U+202E, U+2066–U+2069) and the line and paragraph separators (U+2028, U+2029) as
 * \uXXXX; everything else is copied. fr_escape_json() writes the same code points as JSON
 * \uXXXX escapes, which leaves the parsed value of valid JSON unchanged (they can only
 * occur inside strings).
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

gboolean  fr_escape_is_unsafe (gunichar      c);
char     *fr_escape_text      (const char   *text,
                               gssize        len);
gboolean  fr_escape_json      (FILE         *stream,
                               const guint8 *json,
                               gsize         len);

G_END_DECLS
