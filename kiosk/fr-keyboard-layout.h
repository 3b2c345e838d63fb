/* fr-keyboard-layout.h — the on-screen keyboard's layouts, read strictly from data files
 *
 * One file a layout, `keyboards/ID.ini` in the shipped content directory; a site's
 * content directory may add more, or replace a shipped one by using its name. The format
 * (kiosk/KIOSK.md, "The on-screen keyboard"):
 *
 *   [keyboard]
 *   label=ไทย              the key that switches to it, in its own script (1-16 bytes)
 *   languages=th           the session languages that get it (`latin` is every other one's)
 *   direction=ltr          or rtl: the order of the keys in a row
 *   marks=insert           or combine: a combining-mark key joins the letter before the
 *                          cursor (NFC; a second tone replaces the first) — Vietnamese
 *   input=keys             or pinyin: the letters a-z (and ü, as v) are held as pinyin
 *                          and turned into characters from a candidate bar; the table is
 *                          `keyboards/ID.pinyin` (fr-pinyin.h), the site's if it has one
 *   [letters]              row1= … row5=: keys separated by single spaces
 *   [shift]                optional; without it, the letters upper-cased
 *   [symbols]              optional; without it, latin.ini's
 *
 * A key is 1 to 16 bytes of UTF-8 with no space or control character. Anything else —
 * an unknown group or key, a missing row, too many keys, a language in two files — is an
 * error naming the file, and so is an ID.pinyin that no layout reads. No GTK here:
 * `--check-config` reads them too.
 */
#pragma once

#include <glib.h>

#include "fr-pinyin.h"

G_BEGIN_DECLS

#define FR_KEYBOARD_MAX_ROWS       5
#define FR_KEYBOARD_MAX_KEYS      14   /* in a row */
#define FR_KEYBOARD_MAX_KEY_BYTES 16
#define FR_KEYBOARD_LATIN         "latin"

typedef enum
{
  FR_KEYBOARD_PAGE_LETTERS,
  FR_KEYBOARD_PAGE_SHIFT,
  FR_KEYBOARD_PAGE_SYMBOLS,
  FR_KEYBOARD_N_PAGES
} FrKeyboardPage;

typedef struct
{
  char      *id;              /* the file name without .ini */
  char      *label;
  char     **languages;
  gboolean   rtl;
  gboolean   combine_marks;
  gboolean   from_site;       /* read from the site's content directory */
  gboolean   input_pinyin;    /* input=pinyin */
  FrPinyinTable *pinyin;      /* then its table; else NULL */
  guint      n_rows[FR_KEYBOARD_N_PAGES];
  char     **rows[FR_KEYBOARD_N_PAGES][FR_KEYBOARD_MAX_ROWS];   /* each a NULL-terminated strv */
} FrKeyboardLayout;

typedef struct _FrKeyboards FrKeyboards;

FrKeyboards            *fr_keyboards_load          (const char        *shipped_content_dir,
                                                    const char        *site_content_dir,
                                                    GError           **error);
void                    fr_keyboards_free          (FrKeyboards       *keyboards);
const FrKeyboardLayout *fr_keyboards_for_language  (const FrKeyboards *keyboards,
                                                    const char        *language);
const FrKeyboardLayout *fr_keyboards_get_latin     (const FrKeyboards *keyboards);
guint                   fr_keyboards_get_n_layouts (const FrKeyboards *keyboards);
const FrKeyboardLayout *fr_keyboards_get_layout    (const FrKeyboards *keyboards,
                                                    guint              index);

gboolean                fr_keyboard_is_mark        (const char        *key);
char                   *fr_keyboard_combine        (const char        *letter,
                                                    const char        *mark);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrKeyboards, fr_keyboards_free)

G_END_DECLS
