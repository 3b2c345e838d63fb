/* fr-kiosk-keyboard.c — the kiosk's own on-screen keyboard */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-candidates.h"
#include "fr-kiosk-keyboard.h"
#include "fr-secret.h"

#define DOTTED_CIRCLE "◌"

struct _FrKioskKeyboard
{
  GtkWidget               parent_instance;

  const FrKeyboards      *keyboards;   /* the context's, which outlives every screen */
  const FrKeyboardLayout *native;      /* the session language's layout */
  const FrKeyboardLayout *layout;      /* on screen: native or Latin */
  FrKeyboardPage          page;
  gboolean                hidden;

  GtkWidget              *target;      /* weak */
  GtkWidget              *box;
  GtkWidget              *keys;        /* the rows; rebuilt on every change of page */
  GtkWidget              *show_button; /* while hidden */
  GtkWidget              *candidates;  /* a pinyin layout's bar, or NULL */

  /* Pinyin typed and not yet chosen (a-z, ü as v): guarded memory, wiped as it goes. */
  FrSecret               *letters;     /* FR_PINYIN_MAX_LETTERS bytes */
  gsize                   n_letters;
};

G_DEFINE_FINAL_TYPE (FrKioskKeyboard, fr_kiosk_keyboard, GTK_TYPE_WIDGET)

static void rebuild (FrKioskKeyboard *self);

static void
clear_target (FrKioskKeyboard *self)
{
  if (self->target != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->target), (gpointer *) &self->target);
  self->target = NULL;
}

static void
fr_kiosk_keyboard_dispose (GObject *object)
{
  FrKioskKeyboard *self = FR_KIOSK_KEYBOARD (object);

  clear_target (self);
  self->keys = NULL;
  self->show_button = NULL;
  self->candidates = NULL;
  self->n_letters = 0;
  g_clear_pointer (&self->letters, fr_secret_free);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (fr_kiosk_keyboard_parent_class)->dispose (object);
}

/* Text widget editing, as a typed key would do it. ---------------------------------- */

static void
insert (FrKioskKeyboard *self,
        const char      *text)
{
  if (GTK_IS_TEXT (self->target))
    {
      GtkEditable *editable = GTK_EDITABLE (self->target);
      int position = gtk_editable_get_position (editable);

      gtk_editable_insert_text (editable, text, -1, &position);
      gtk_editable_set_position (editable, position);
    }
  else if (GTK_IS_TEXT_VIEW (self->target))
    {
      GtkTextView *view = GTK_TEXT_VIEW (self->target);
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);

      gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, TRUE);
      gtk_text_view_scroll_mark_onscreen (view, gtk_text_buffer_get_insert (buffer));
    }
}

/* A combining key on a layout with marks=combine: the letter before the cursor, with
 * its marks, is replaced by the letter with the new mark (fr_keyboard_combine()). After
 * no letter, the key does nothing: a mark on its own is no character of the language. */
static void
combine (FrKioskKeyboard *self,
         const char      *mark)
{
  char *before = NULL;
  char *combined = NULL;

  if (GTK_IS_TEXT (self->target))
    {
      GtkEditable *editable = GTK_EDITABLE (self->target);
      int end = gtk_editable_get_position (editable);
      int start = end;
      const char *text = gtk_editable_get_text (editable);

      while (start > 0 && g_unichar_ismark (g_utf8_get_char (g_utf8_offset_to_pointer (text, start - 1))))
        start--;
      if (start == 0)
        return;
      start--;
      before = gtk_editable_get_chars (editable, start, end);
      combined = fr_keyboard_combine (before, mark);
      if (combined != NULL)
        {
          gtk_editable_delete_text (editable, start, end);
          gtk_editable_insert_text (editable, combined, -1, &start);
          gtk_editable_set_position (editable, start);
        }
    }
  else if (GTK_IS_TEXT_VIEW (self->target))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->target));
      GtkTextIter start, end;

      gtk_text_buffer_get_iter_at_mark (buffer, &end, gtk_text_buffer_get_insert (buffer));
      start = end;
      while (gtk_text_iter_backward_char (&start) && g_unichar_ismark (gtk_text_iter_get_char (&start)))
        ;
      if (gtk_text_iter_equal (&start, &end))
        return;
      before = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      combined = fr_keyboard_combine (before, mark);
      if (combined != NULL)
        {
          gtk_text_buffer_delete (buffer, &start, &end);
          gtk_text_buffer_insert (buffer, &start, combined, -1);
        }
    }
  else
    return;

  /* What was typed is not left in freed memory. */
  sodium_memzero (before, strlen (before));
  g_free (before);
  if (combined != NULL)
    sodium_memzero (combined, strlen (combined));
  g_free (combined);
}

/* Pinyin (input=pinyin layouts). -------------------------------------------------------- *
 *
 * The letters a-z (and ü) on the letters page are held, not typed: the bar above the keys
 * shows them split into syllables and the characters of the first syllable. A character
 * tapped is typed and its syllable's letters dropped; Space takes the first character;
 * Backspace drops the last letter. Any other key, the Latin key, Hide and the wizard's
 * Next or Back first type the letters as they were typed (nothing typed is lost, and
 * nothing but a tap chooses a character). A new field, Skip and the session's wipe drop
 * them. They live only in self->letters; the bar's label shows them ("fr-typed"). */

/* The letter a pinyin key holds ('v' for ü), or 0 for a key typed as it is. */
static char
pinyin_letter (FrKioskKeyboard *self,
               const char      *key)
{
  if (self->layout->pinyin == NULL || self->page != FR_KEYBOARD_PAGE_LETTERS)
    return 0;
  if (key[0] >= 'a' && key[0] <= 'z' && key[1] == '\0')
    return key[0];
  if (g_str_equal (key, "ü"))
    return 'v';
  return 0;
}

static void
wipe_letters (FrKioskKeyboard *self)
{
  sodium_memzero (self->letters->data, self->letters->len);
  self->n_letters = 0;
}

/* The letters as the person sees them, v as ü, a space after each whole syllable if
 * @split is given, into @out (FR_PINYIN_MAX_LETTERS * 3 + 1 bytes). */
static void
letters_shown (FrKioskKeyboard     *self,
               const FrPinyinSplit *split,
               char                *out)
{
  const char *letters = (const char *) self->letters->data;
  guint syllable = 0;
  gsize o = 0;

  for (gsize i = 0; i < self->n_letters; i++)
    {
      if (split != NULL && syllable < split->n_syllables && i == split->ends[syllable])
        {
          out[o++] = ' ';
          syllable++;
        }
      if (letters[i] == 'v')
        {
          memcpy (out + o, "ü", 2);
          o += 2;
        }
      else
        out[o++] = letters[i];
    }
  out[o] = '\0';
}

/* Where the first whole syllable ends (0: none yet), from the letters where they are. */
static gsize
first_syllable (FrKioskKeyboard *self)
{
  FrPinyinSplit split;

  if (self->layout->pinyin == NULL || self->n_letters == 0)
    return 0;
  fr_pinyin_split (self->layout->pinyin, (const char *) self->letters->data, self->n_letters, &split);
  return split.n_syllables > 0 ? split.ends[0] : 0;
}

static void
update_candidates (FrKioskKeyboard *self)
{
  char shown[FR_PINYIN_MAX_LETTERS * 3 + 1];
  FrPinyinSplit split;
  const char *characters = NULL;

  if (self->candidates == NULL)
    return;
  if (self->n_letters == 0)
    {
      fr_kiosk_candidates_clear (FR_KIOSK_CANDIDATES (self->candidates));
      return;
    }
  fr_pinyin_split (self->layout->pinyin, (const char *) self->letters->data, self->n_letters, &split);
  if (split.n_syllables > 0)
    characters = fr_pinyin_table_lookup (self->layout->pinyin, (const char *) self->letters->data, split.ends[0]);
  letters_shown (self, &split, shown);
  fr_kiosk_candidates_set (FR_KIOSK_CANDIDATES (self->candidates), shown, characters);
  sodium_memzero (shown, sizeof shown);
}

/* The letters held go into the field as they were typed. */
static void
flush_letters (FrKioskKeyboard *self)
{
  char shown[FR_PINYIN_MAX_LETTERS * 3 + 1];

  if (self->n_letters == 0)
    return;
  letters_shown (self, NULL, shown);
  wipe_letters (self);
  insert (self, shown);
  sodium_memzero (shown, sizeof shown);
  update_candidates (self);
}

/* Types @character for the first syllable held and drops that syllable's letters. */
static void
choose (FrKioskKeyboard *self,
        const char      *character)
{
  gsize end = first_syllable (self);
  const char *characters;

  if (end == 0)
    return;
  /* Only a character of that syllable (a key left from an earlier bar does nothing). */
  characters = fr_pinyin_table_lookup (self->layout->pinyin, (const char *) self->letters->data, end);
  if (characters == NULL || g_utf8_strlen (character, -1) != 1 || strstr (characters, character) == NULL)
    return;
  insert (self, character);
  memmove (self->letters->data, self->letters->data + end, self->n_letters - end);
  sodium_memzero (self->letters->data + self->n_letters - end, end);
  self->n_letters -= end;
  update_candidates (self);
}

/* Actions (what a tap activates). ----------------------------------------------------- */

static void
type_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FrKioskKeyboard *self = FR_KIOSK_KEYBOARD (widget);
  const char *key = g_variant_get_string (parameter, NULL);
  char letter;

  if (self->target == NULL)
    return;
  letter = pinyin_letter (self, key);
  if (letter != 0)
    {
      if (self->n_letters < self->letters->len)
        self->letters->data[self->n_letters++] = letter;
      update_candidates (self);
      return;
    }
  flush_letters (self);
  if (self->layout->combine_marks && self->page != FR_KEYBOARD_PAGE_SYMBOLS && fr_keyboard_is_mark (key))
    combine (self, key);
  else
    insert (self, key);
  /* Shift is for one key, as on a phone. */
  if (self->page == FR_KEYBOARD_PAGE_SHIFT)
    {
      self->page = FR_KEYBOARD_PAGE_LETTERS;
      rebuild (self);
    }
}

static void
space_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FrKioskKeyboard *self = FR_KIOSK_KEYBOARD (widget);

  if (self->target == NULL)
    return;
  if (self->n_letters > 0)
    {
      /* Space takes the first character, as on a phone's pinyin keyboard; letters that
       * are no syllable yet are typed as they are. */
      gsize end = first_syllable (self);
      const char *characters = end ? fr_pinyin_table_lookup (self->layout->pinyin, (const char *) self->letters->data, end) : NULL;

      if (characters != NULL)
        {
          char first[8] = { 0 };

          memcpy (first, characters, g_utf8_next_char (characters) - characters);
          choose (self, first);
        }
      else
        flush_letters (self);
      return;
    }
  insert (self, " ");
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FrKioskKeyboard *self = FR_KIOSK_KEYBOARD (widget);

  if (self->target != NULL)
    choose (self, g_variant_get_string (parameter, NULL));
}

static void
backspace_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FrKioskKeyboard *self = FR_KIOSK_KEYBOARD (widget);

  /* Pinyin held: its last letter. */
  if (self->n_letters > 0)
    {
      self->letters->data[--self->n_letters] = '\0';
      update_candidates (self);
      return;
    }
  /* The widget's own Backspace: one character (a Thai or Arabic mark on its own, as the
   * script's users expect), or the selection. */
  if (GTK_IS_TEXT (self->target) || GTK_IS_TEXT_VIEW (self->target))
    g_signal_emit_by_name (self->target, "backspace");
}

static void
shift_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FrKioskKeyboard *self = FR_KIOSK_KEYBOARD (widget);

  self->page = self->page == FR_KEYBOARD_PAGE_SHIFT ? FR_KEYBOARD_PAGE_LETTERS : FR_KEYBOARD_PAGE_SHIFT;
  rebuild (self);
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FrKioskKeyboard *self = FR_KIOSK_KEYBOARD (widget);
  const char *page = g_variant_get_string (parameter, NULL);

  self->page = g_str_equal (page, "symbols") ? FR_KEYBOARD_PAGE_SYMBOLS : FR_KEYBOARD_PAGE_LETTERS;
  rebuild (self);
}

static void
latin_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FrKioskKeyboard *self = FR_KIOSK_KEYBOARD (widget);
  const FrKeyboardLayout *latin = fr_keyboards_get_latin (self->keyboards);

  flush_letters (self);
  self->layout = self->layout == latin ? self->native : latin;
  self->page = FR_KEYBOARD_PAGE_LETTERS;
  rebuild (self);
}

static void
hide_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FrKioskKeyboard *self = FR_KIOSK_KEYBOARD (widget);

  flush_letters (self);
  self->hidden = g_str_equal (action_name, "keyboard.hide");
  rebuild (self);
}

static void
fr_kiosk_keyboard_class_init (FrKioskKeyboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fr_kiosk_keyboard_dispose;

  gtk_widget_class_install_action (widget_class, "keyboard.type", "s", type_action);
  gtk_widget_class_install_action (widget_class, "keyboard.space", NULL, space_action);
  gtk_widget_class_install_action (widget_class, "keyboard.choose", "s", choose_action);
  gtk_widget_class_install_action (widget_class, "keyboard.backspace", NULL, backspace_action);
  gtk_widget_class_install_action (widget_class, "keyboard.shift", NULL, shift_action);
  gtk_widget_class_install_action (widget_class, "keyboard.page", "s", page_action);
  gtk_widget_class_install_action (widget_class, "keyboard.latin", NULL, latin_action);
  gtk_widget_class_install_action (widget_class, "keyboard.hide", NULL, hide_action);
  gtk_widget_class_install_action (widget_class, "keyboard.show", NULL, hide_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fr-keyboard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fr_kiosk_keyboard_init (FrKioskKeyboard *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->letters = fr_secret_new (FR_PINYIN_MAX_LETTERS);
}

/* Building the keys. ------------------------------------------------------------------ */

/* A key: a tap does not take the focus, so the field keeps its cursor; Tab still
 * reaches it (switch access, the layout test). */
static GtkWidget *
key_new (const char *shown,
         const char *name,
         const char *action,
         const char *target,
         const char *css_class)
{
  GtkWidget *button = gtk_button_new_with_label (shown);

  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (target != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  gtk_widget_add_css_class (button, "fr-kbd-key");
  if (css_class != NULL)
    gtk_widget_add_css_class (button, css_class);
  fr_kiosk_a11y_set_name (button, name);
  return button;
}

static GtkWidget *
row_new (const FrKeyboardLayout *layout)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_set_halign (row, GTK_ALIGN_CENTER);
  /* The order of the keys follows the layout's script, not the session's. */
  gtk_widget_set_direction (row, layout->rtl ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
  gtk_widget_add_css_class (row, "fr-kbd-row");
  return row;
}

static void
build_keys (FrKioskKeyboard *self)
{
  const FrKeyboardLayout *layout = self->layout;
  const FrKeyboardLayout *latin = fr_keyboards_get_latin (self->keyboards);
  guint n_rows = layout->n_rows[self->page];
  GtkWidget *row, *key;

  for (guint r = 0; r < n_rows; r++)
    {
      char **keys = layout->rows[self->page][r];

      row = row_new (layout);
      if (r == n_rows - 1 && self->page != FR_KEYBOARD_PAGE_SYMBOLS)
        {
          /* Translators: accessible name of the on-screen keyboard's Shift key */
          key = key_new ("⇧", _("Shift"), "keyboard.shift", NULL, "fr-kbd-wide");
          if (self->page == FR_KEYBOARD_PAGE_SHIFT)
            gtk_widget_add_css_class (key, "fr-kbd-on");
          gtk_box_append (GTK_BOX (row), key);
        }
      for (guint k = 0; keys[k]; k++)
        {
          /* A combining mark is shown, and named, on a dotted circle: ◌ั. */
          g_autofree char *shown = fr_keyboard_is_mark (keys[k]) ? g_strconcat (DOTTED_CIRCLE, keys[k], NULL)
                                                                 : g_strdup (keys[k]);

          gtk_box_append (GTK_BOX (row), key_new (shown, shown, "keyboard.type", keys[k], NULL));
        }
      if (r == n_rows - 1)
        /* Translators: accessible name of the on-screen keyboard's Backspace key */
        gtk_box_append (GTK_BOX (row), key_new ("⌫", _("Backspace"), "keyboard.backspace", NULL, "fr-kbd-wide"));
      gtk_box_append (GTK_BOX (self->keys), row);
    }

  /* The bottom row: letters or digits, Latin or not, space, hide. */
  row = row_new (layout);
  if (self->page == FR_KEYBOARD_PAGE_SYMBOLS)
    /* Translators: accessible name of the key that goes back to the letters */
    key = key_new (layout->label, _("Letters"), "keyboard.page", "letters", "fr-kbd-wide");
  else
    /* Translators: accessible name of the key to the digits and punctuation */
    key = key_new ("123 ?!", _("Digits and punctuation"), "keyboard.page", "symbols", "fr-kbd-wide");
  gtk_box_append (GTK_BOX (row), key);
  if (self->native != latin)
    {
      if (layout == latin)
        gtk_box_append (GTK_BOX (row), key_new (self->native->label, self->native->label, "keyboard.latin", NULL, "fr-kbd-wide"));
      else
        /* Translators: accessible name of the key to the Latin letters (a b c) */
        gtk_box_append (GTK_BOX (row), key_new (latin->label, _("Latin letters"), "keyboard.latin", NULL, "fr-kbd-wide"));
    }
  /* Translators: accessible name of the on-screen keyboard's space bar */
  key = key_new ("", _("Space"), "keyboard.space", NULL, "fr-kbd-space");
  gtk_box_append (GTK_BOX (row), key);
  /* Translators: the key that hides the on-screen keyboard (it can be shown again) */
  key = key_new (_("Hide"), _("Hide the keyboard"), "keyboard.hide", NULL, "fr-kbd-wide");
  gtk_box_append (GTK_BOX (row), key);
  gtk_box_append (GTK_BOX (self->keys), row);
}

static void
rebuild (FrKioskKeyboard *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->box)) != NULL)
    gtk_box_remove (GTK_BOX (self->box), child);
  self->keys = NULL;
  self->show_button = NULL;
  self->candidates = NULL;

  if (self->hidden)
    {
      /* Translators: the button that shows the on-screen keyboard again */
      self->show_button = key_new (_("Keyboard"), _("Show the keyboard"), "keyboard.show", NULL, "fr-kbd-show");
      gtk_widget_set_halign (self->show_button, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (self->box), self->show_button);
      return;
    }
  if (self->layout->pinyin != NULL)
    {
      self->candidates = fr_kiosk_candidates_new ();
      gtk_box_append (GTK_BOX (self->box), self->candidates);
      update_candidates (self);
    }
  self->keys = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (self->keys, "fr-kbd-keys");
  build_keys (self);
  gtk_box_append (GTK_BOX (self->box), self->keys);
}

/**
 * fr_kiosk_keyboard_new:
 * @keyboards: the layouts (fr_kiosk_context_get_keyboards()); must outlive the keyboard
 * @language: (nullable): the session's language; %NULL for the Latin letters
 */
GtkWidget *
fr_kiosk_keyboard_new (const FrKeyboards *keyboards,
                       const char        *language)
{
  FrKioskKeyboard *self;

  g_return_val_if_fail (keyboards != NULL, NULL);

  self = g_object_new (FR_TYPE_KIOSK_KEYBOARD, NULL);
  self->keyboards = keyboards;
  self->native = fr_keyboards_for_language (keyboards, language);
  fr_kiosk_keyboard_reset (self);
  return GTK_WIDGET (self);
}

/**
 * fr_kiosk_keyboard_set_target:
 * @text: (nullable): the GtkText or GtkTextView the keys type into
 */
void
fr_kiosk_keyboard_set_target (FrKioskKeyboard *self,
                              GtkWidget       *text)
{
  g_return_if_fail (FR_IS_KIOSK_KEYBOARD (self));
  g_return_if_fail (text == NULL || GTK_IS_TEXT (text) || GTK_IS_TEXT_VIEW (text));

  if (text == self->target)
    return;
  /* Letters held for one field are never typed into another. */
  wipe_letters (self);
  update_candidates (self);
  clear_target (self);
  self->target = text;
  if (text != NULL)
    g_object_add_weak_pointer (G_OBJECT (text), (gpointer *) &self->target);
}

GtkWidget *
fr_kiosk_keyboard_get_target (FrKioskKeyboard *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_KEYBOARD (self), NULL);
  return self->target;
}

/**
 * fr_kiosk_keyboard_reset:
 *
 * Back to the session language's letters, no shift, shown: what the next person finds.
 */
void
fr_kiosk_keyboard_reset (FrKioskKeyboard *self)
{
  g_return_if_fail (FR_IS_KIOSK_KEYBOARD (self));

  wipe_letters (self);
  update_candidates (self);
  self->layout = self->native;
  self->page = FR_KEYBOARD_PAGE_LETTERS;
  self->hidden = FALSE;
  rebuild (self);
}

/**
 * fr_kiosk_keyboard_commit_letters:
 *
 * Types the pinyin letters held (none chosen yet) into the field as they were typed: the
 * wizard calls it before it takes the field's text (Next, Back), so nothing shown is lost.
 */
void
fr_kiosk_keyboard_commit_letters (FrKioskKeyboard *self)
{
  g_return_if_fail (FR_IS_KIOSK_KEYBOARD (self));
  flush_letters (self);
}

/* How many pinyin letters are held (tests). */
gsize
fr_kiosk_keyboard_get_n_letters (FrKioskKeyboard *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_KEYBOARD (self), 0);
  return self->n_letters;
}

/* The candidate bar of a pinyin layout, or %NULL. */
GtkWidget *
fr_kiosk_keyboard_get_candidates (FrKioskKeyboard *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_KEYBOARD (self), NULL);
  return self->candidates;
}

const char *
fr_kiosk_keyboard_get_layout_id (FrKioskKeyboard *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_KEYBOARD (self), NULL);
  return self->layout->id;
}

FrKeyboardPage
fr_kiosk_keyboard_get_page (FrKioskKeyboard *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_KEYBOARD (self), FR_KEYBOARD_PAGE_LETTERS);
  return self->page;
}

gboolean
fr_kiosk_keyboard_is_hidden (FrKioskKeyboard *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_KEYBOARD (self), FALSE);
  return self->hidden;
}

/* Whether the keyboard is as fr_kiosk_keyboard_reset() leaves it. */
gboolean
fr_kiosk_keyboard_is_initial (FrKioskKeyboard *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_KEYBOARD (self), FALSE);
  return self->layout == self->native && self->page == FR_KEYBOARD_PAGE_LETTERS && !self->hidden
         && self->n_letters == 0;
}

/**
 * fr_kiosk_keyboard_find_key:
 * @action: the key's action, e.g. "keyboard.type"
 * @text: (nullable): its target, e.g. "ก"
 *
 * Returns: (transfer none) (nullable): the key on screen now.
 */
GtkWidget *
fr_kiosk_keyboard_find_key (FrKioskKeyboard *self,
                            const char      *action,
                            const char      *text)
{
  g_return_val_if_fail (FR_IS_KIOSK_KEYBOARD (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (self->box); row; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *rows = GTK_IS_BUTTON (row) ? NULL : row;

      if (GTK_IS_BUTTON (row) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (row)), action) == 0)
        return row;
      for (GtkWidget *r = rows ? gtk_widget_get_first_child (rows) : NULL; r; r = gtk_widget_get_next_sibling (r))
        for (GtkWidget *key = gtk_widget_get_first_child (r); key; key = gtk_widget_get_next_sibling (key))
          {
            GVariant *target;

            if (!GTK_IS_BUTTON (key) || g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (key)), action) != 0)
              continue;
            target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (key));
            if (text == NULL || (target != NULL && g_str_equal (g_variant_get_string (target, NULL), text)))
              return key;
          }
    }
  return NULL;
}

/* The rows of keys, or %NULL while hidden. */
GtkWidget *
fr_kiosk_keyboard_get_keys (FrKioskKeyboard *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_KEYBOARD (self), NULL);
  return self->keys;
}
