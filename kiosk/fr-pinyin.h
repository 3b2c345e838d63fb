/* fr-pinyin.h — the on-screen keyboard's pinyin table: syllables to characters
 *
 * A keyboard layout with `input=pinyin` (fr-keyboard-layout.h) reads `keyboards/ID.pinyin`
 * beside it. The format, read strictly:
 *
 *   # a comment, only at the start of a line
 *   hao 好号毫耗豪…        a syllable: 1-6 of a-z (ü written v, no tone); one space; then
 *   ni 你泥拟呢逆…         1-FR_PINYIN_MAX_CANDIDATES Han characters, no two the same,
 *                          most likely first. Syllables in strictly ascending byte order.
 *
 * At most FR_PINYIN_MAX_FILE_BYTES, UTF-8, no blank line, no space at the end of a line.
 * Any other line is an error naming the file and the line. The shipped table is made from
 * Unicode's Unihan data by i18n/tools/make-pinyin-table.py (kiosk/KIOSK.md says why a
 * table and not libpinyin).
 *
 * What a person typed never enters the table: a lookup or a split reads the letters where
 * they are (the keyboard keeps them in guarded memory) and answers with offsets into them
 * or pointers into the table. No GTK here: `--check-config` reads the table too.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FR_PINYIN_MAX_SYLLABLE     6
#define FR_PINYIN_MAX_CANDIDATES   1000      /* characters on one line */
#define FR_PINYIN_MAX_SYLLABLES    1000      /* lines */
#define FR_PINYIN_MAX_FILE_BYTES   (256 * 1024)
#define FR_PINYIN_MAX_LETTERS      48        /* letters the keyboard holds before a choice */

typedef struct _FrPinyinTable FrPinyinTable;

/* How typed letters divide into syllables: n_syllables whole ones (the first ending at
 * ends[0], …), then the rest, which is either the start of a syllable being typed ("zh")
 * or letters no syllable begins with. The fewest syllables win; between splits with as
 * many, the longer first syllable ("fangan" is fang an). */
typedef struct
{
  guint    n_syllables;
  guint8   ends[FR_PINYIN_MAX_LETTERS];
  gboolean rest_is_start;   /* the rest (possibly empty) begins some syllable */
} FrPinyinSplit;

FrPinyinTable *fr_pinyin_table_load        (const char          *path,
                                            GError             **error);
void           fr_pinyin_table_free        (FrPinyinTable       *table);
guint          fr_pinyin_table_get_n_syllables (const FrPinyinTable *table);
const char    *fr_pinyin_table_lookup      (const FrPinyinTable *table,
                                            const char          *letters,
                                            gsize                len);
void           fr_pinyin_split             (const FrPinyinTable *table,
                                            const char          *letters,
                                            gsize                len,
                                            FrPinyinSplit       *split);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrPinyinTable, fr_pinyin_table_free)

G_END_DECLS
