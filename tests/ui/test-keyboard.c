/* test-keyboard.c — the kiosk's own on-screen keyboard: typing by taps in every script,
 * Chinese through pinyin and its candidate bar, a canary typed so arrives in the envelope,
 * nothing kept after a quick exit, Arabic mirrored, never over the field or the action
 * bar, a screenshot of every layout; and with on-screen-keyboard=never, no keyboard and a
 * physical one typing
 */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <string.h>
#include <X11/keysym.h>
#include <X11/extensions/XTest.h>

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-candidates.h"
#include "fr-kiosk-keyboard.h"
#include "fr-kiosk-pin.h"
#include "fr-kiosk-question.h"
#include "kiosk-fixture.h"

#define CANARY "kbdcanary"   /* typed key by key */

static void
start_wizard (KioskFixture *fixture,
              const char   *lang)
{
  kiosk_activate (fixture, NULL, "kiosk.language", lang);
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "wizard");
}

static FrKioskKeyboard *
wizard_keyboard (KioskFixture *fixture)
{
  GtkWidget *keyboard = fr_kiosk_wizard_get_keyboard (kiosk_wizard (fixture));

  g_assert_true (FR_IS_KIOSK_KEYBOARD (keyboard));
  return FR_KIOSK_KEYBOARD (keyboard);
}

/* The text question's field, with the keyboard shown under it and typing into it. */
static GtkWidget *
go_to_text (KioskFixture *fixture,
            int           kind)
{
  FrKioskKeyboard *keyboard;
  GtkWidget *page, *input;

  g_assert_true (kiosk_wizard_go_to_kind (fixture, kind, "x"));
  page = fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture));
  input = fr_kiosk_question_get_input (FR_KIOSK_QUESTION (page));
  keyboard = wizard_keyboard (fixture);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (keyboard)));
  g_assert_true (fr_kiosk_keyboard_get_target (keyboard) == input);
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  return input;
}

static char *
text_of (GtkWidget *input)
{
  if (GTK_IS_TEXT (input))
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (input)));
  else
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (input));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
}

/* A tap on the key on screen now ("clicked", as a finger's release gives). */
static void
tap (FrKioskKeyboard *keyboard,
     const char      *action,
     const char      *text)
{
  GtkWidget *key = fr_kiosk_keyboard_find_key (keyboard, action, text);

  if (key == NULL)
    g_error ("no key %s %s on the %s keyboard's page %d", action, text ? text : "",
             fr_kiosk_keyboard_get_layout_id (keyboard), fr_kiosk_keyboard_get_page (keyboard));
  g_assert_true (gtk_widget_get_mapped (key));
  g_signal_emit_by_name (key, "clicked");
}

/* A tap on @character in the pinyin candidate bar (NULL: the first shown). */
static void
tap_candidate (FrKioskKeyboard *keyboard,
               const char      *character)
{
  GtkWidget *bar = fr_kiosk_keyboard_get_candidates (keyboard);
  GtkWidget *key;

  g_assert_nonnull (bar);
  key = fr_kiosk_candidates_find (FR_KIOSK_CANDIDATES (bar), character);
  if (key == NULL)
    g_error ("no candidate %s in the bar", character ? character : "at all");
  g_assert_true (gtk_widget_get_mapped (key));
  g_signal_emit_by_name (key, "clicked");
}

/* Taps each of @keys: "⇧" Shift, " " the space bar, "⌫" Backspace, "abc" the switch to
 * Latin (and back), "=你" the candidate 你, anything else the key that types it. */
static void
tap_keys (FrKioskKeyboard   *keyboard,
          const char *const *keys)
{
  for (guint i = 0; keys[i]; i++)
    {
      if (g_str_equal (keys[i], "⇧"))
        tap (keyboard, "keyboard.shift", NULL);
      else if (g_str_equal (keys[i], " "))
        tap (keyboard, "keyboard.space", NULL);
      else if (g_str_equal (keys[i], "⌫"))
        tap (keyboard, "keyboard.backspace", NULL);
      else if (g_str_equal (keys[i], "abc"))
        tap (keyboard, "keyboard.latin", NULL);
      else if (keys[i][0] == '=' && keys[i][1] != '\0')
        tap_candidate (keyboard, keys[i] + 1);
      else
        tap (keyboard, "keyboard.type", keys[i]);
    }
}

typedef struct
{
  const char *lang;
  const char *layout;
  const char *keys[24];
  const char *expected;
} Typing;

static const Typing typings[] = {
  { "th", "th", { "ส", "ว", "ั", "ส", "ด", "ี", NULL }, "สวัสดี" },
  /* Tones after the shape, and once before it: ế is e ◌̂ ◌́ and e ◌́ ◌̂ alike. */
  { "vi", "vi", { "⇧", "T", "i", "e", "\u0302", "\u0301", "n", "g", " ", "⇧", "V", "i", "e", "\u0323", "\u0302", "t", NULL },
    "Tiếng Việt" },
  { "ar", "ar", { "م", "ر", "ح", "ب", "ا", NULL }, "مرحبا" },
  { "uk", "uk", { "⇧", "П", "р", "и", "в", "і", "т", " ", "ґ", NULL }, "Привіт ґ" },
  { "ro", "ro", { "⇧", "Ș", "t", "e", "f", "a", "n", NULL }, "Ștefan" },
  { "pl", "pl", { "⇧", "Z", "a", "ż", "ó", "ł", "ć", "x", "⌫", NULL }, "Zażółć" },
  /* Pinyin: the letters wait in the bar; a tap on a character types it. */
  { "zh_CN", "zh", { "n", "i", "h", "a", "o", "=你", "=好", NULL }, "你好" },
  /* Latin from a Thai session, and back. */
  { "th", "th", { "abc", "⇧", "O", "k", "abc", "ก", NULL }, "Okก" },
};

static void
test_typing (gconstpointer data)
{
  const Typing *typing = data;
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  FrKioskKeyboard *keyboard;
  g_autofree char *typed = NULL;

  for (int kind = FR_QUESTION_SHORT_TEXT; kind <= FR_QUESTION_LONG_TEXT; kind++)
    {
      GtkWidget *input;

      g_clear_pointer (&typed, g_free);
      start_wizard (fixture, typing->lang);
      input = go_to_text (fixture, kind);
      keyboard = wizard_keyboard (fixture);
      g_assert_cmpstr (fr_kiosk_keyboard_get_layout_id (keyboard), ==, typing->layout);
      tap_keys (keyboard, typing->keys);
      typed = text_of (input);
      g_assert_cmpstr (typed, ==, typing->expected);
      /* Next is on once something is typed. */
      g_assert_true (gtk_widget_is_sensitive (fr_kiosk_keyboard_find_key (keyboard, "keyboard.space", NULL)));
      kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
    }
  kiosk_fixture_free (fixture);
}

/* Every key on every page of every layout is at least 48 × 48 and named: a combining
 * mark on a dotted circle, the rest by what they type. */
static void
check_keys (FrKioskKeyboard *keyboard)
{
  GtkWidget *keys = fr_kiosk_keyboard_get_keys (keyboard);

  for (GtkWidget *row = gtk_widget_get_first_child (keys); row; row = gtk_widget_get_next_sibling (row))
    for (GtkWidget *key = gtk_widget_get_first_child (row); key; key = gtk_widget_get_next_sibling (key))
      {
        g_assert_cmpint (gtk_widget_get_width (key), >=, 48);
        g_assert_cmpint (gtk_widget_get_height (key), >=, 48);
        g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (key), GTK_ACCESSIBLE_PROPERTY_LABEL));
        if (g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (key)), "keyboard.type") == 0)
          {
            const char *typed = g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (key)), NULL);
            g_autofree char *name = fr_keyboard_is_mark (typed) ? g_strconcat ("◌", typed, NULL) : g_strdup (typed);
            g_autofree char *wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (key), GTK_ACCESSIBLE_PROPERTY_LABEL, name);

            g_assert_null (wrong);
          }
      }
}

/* A canary typed on the keyboard is in the envelope the staff open. */
static void
test_canary (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  g_autofree char *db = NULL;
  g_autoptr(FrOutbox) outbox = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(FrOpenedEnvelope) opened = NULL;
  g_autoptr(GError) error = NULL;
  const char *keys[] = { "k", "b", "d", "c", "a", "n", "a", "r", "y", NULL };
  const FrSecret *json;
  FrOutboxItem *item;

  start_wizard (fixture, "en");
  go_to_text (fixture, FR_QUESTION_LONG_TEXT);
  tap_keys (wizard_keyboard (fixture), keys);
  check_keys (wizard_keyboard (fixture));
  kiosk_activate (fixture, NULL, "wizard.next", NULL);
  while (kiosk_wizard_answer_step (fixture, "x"))
    ;
  /* No keyboard on the consent screen. */
  g_assert_false (gtk_widget_get_visible (fr_kiosk_wizard_get_keyboard (kiosk_wizard (fixture))));
  kiosk_activate (fixture, NULL, "wizard.agree", NULL);
  kiosk_activate (fixture, NULL, "wizard.send", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "receipt");

  db = g_build_filename (fixture->demo->state_dir, FR_KIOSK_OUTBOX_FILE, NULL);
  outbox = fr_outbox_open (db, &error);
  g_assert_no_error (error);
  pending = fr_outbox_list_pending (outbox, G_MAXINT64 / 2, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 1);
  item = g_ptr_array_index (pending, 0);
  opened = fr_envelope_open (g_bytes_get_data (item->envelope, NULL), g_bytes_get_size (item->envelope),
                             fixture->demo->staff->recipient_pk, fixture->demo->staff->recipient_sk, NULL, &error);
  g_assert_no_error (error);
  json = fr_record_get_json (opened->record);
  g_assert_nonnull (memmem (json->data, json->len, CANARY, strlen (CANARY)));
  kiosk_fixture_free (fixture);
}

/* A quick exit in the middle of a word: shift on, Latin on, half a Vietnamese letter —
 * the keyboard is reset by the session's wipe, and the next session's is new. */
static void
test_quick_exit (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  g_autoptr(FrKioskKeyboard) old = NULL;
  const char *keys[] = { "t", "e", "\u0302", NULL };
  FrKioskKeyboard *keyboard;

  start_wizard (fixture, "vi");
  go_to_text (fixture, FR_QUESTION_SHORT_TEXT);
  keyboard = wizard_keyboard (fixture);
  tap_keys (keyboard, keys);
  tap (keyboard, "keyboard.latin", NULL);
  tap (keyboard, "keyboard.shift", NULL);
  g_assert_false (fr_kiosk_keyboard_is_initial (keyboard));
  g_assert_cmpstr (fr_kiosk_keyboard_get_layout_id (keyboard), ==, "latin");
  old = g_object_ref (keyboard);

  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  g_assert_true (fr_kiosk_keyboard_is_initial (old));
  g_assert_null (fr_kiosk_keyboard_get_target (old));

  start_wizard (fixture, "vi");
  go_to_text (fixture, FR_QUESTION_SHORT_TEXT);
  keyboard = wizard_keyboard (fixture);
  g_assert_true (keyboard != old);
  g_assert_true (fr_kiosk_keyboard_is_initial (keyboard));
  g_assert_cmpstr (fr_kiosk_keyboard_get_layout_id (keyboard), ==, "vi");
  g_assert_cmpint (fr_kiosk_keyboard_get_page (keyboard), ==, FR_KEYBOARD_PAGE_LETTERS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fr_kiosk_keyboard_get_target (keyboard))), ==, "");

  /* Hidden, then Home: shown again for the next person. */
  tap (keyboard, "keyboard.hide", NULL);
  g_assert_true (fr_kiosk_keyboard_is_hidden (keyboard));
  g_clear_object (&old);
  old = g_object_ref (keyboard);
  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  g_assert_true (fr_kiosk_keyboard_is_initial (old));
  kiosk_fixture_free (fixture);
}

static graphene_rect_t
bounds_of (KioskFixture *fixture,
           GtkWidget    *widget)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (fixture->window), &bounds));
  return bounds;
}

static gboolean
overlap (const graphene_rect_t *a,
         const graphene_rect_t *b)
{
  graphene_rect_t both;

  return graphene_rect_intersection (a, b, &both) && both.size.width > 0.5 && both.size.height > 0.5;
}

/* Every mapped button of the action bar (Back, Skip, Next). */
static void
collect_nav (GtkWidget *root,
             GPtrArray *out)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_get_mapped (root) && gtk_widget_has_css_class (root, "fr-nav-button"))
    g_ptr_array_add (out, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    collect_nav (child, out);
}

static void
check_layout (KioskFixture *fixture,
              GtkWidget    *input)
{
  FrKioskKeyboard *keyboard = wizard_keyboard (fixture);
  GtkWidget *field = GTK_IS_TEXT_VIEW (input) ? gtk_widget_get_parent (input) : input;
  GtkWidget *scroller = gtk_widget_get_ancestor (gtk_widget_get_parent (field), GTK_TYPE_SCROLLED_WINDOW);
  g_autoptr(GPtrArray) nav = g_ptr_array_new ();
  graphene_rect_t kb = bounds_of (fixture, GTK_WIDGET (keyboard));
  graphene_rect_t f = bounds_of (fixture, field);
  graphene_rect_t view = bounds_of (fixture, scroller);
  int height = gtk_widget_get_height (GTK_WIDGET (fixture->window));

  /* The window is the screen (less GTK's few pixels of window edge). */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), >=, 1260);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 1280);
  g_assert_cmpint (height, >=, 780);
  g_assert_cmpint (height, <=, 800);
  /* The keyboard is on screen, whole, under the scrolled question; the field is in view
   * above it: a one-line field whole, a long one at least two lines' worth. */
  g_assert_cmpfloat (kb.origin.y + kb.size.height, <=, height);
  g_assert_false (overlap (&kb, &view));
  g_assert_cmpfloat (f.origin.y, >=, view.origin.y - 0.5);
  g_assert_cmpfloat (f.origin.y + (GTK_IS_TEXT (input) ? f.size.height : MIN (f.size.height, 96)), <=,
                     view.origin.y + view.size.height + 0.5);
  g_assert_cmpfloat (f.origin.y + (GTK_IS_TEXT (input) ? f.size.height : 96), <=, kb.origin.y);
  collect_nav (GTK_WIDGET (kiosk_wizard (fixture)), nav);
  g_assert_cmpuint (nav->len, >, 0);
  for (guint i = 0; i < nav->len; i++)
    {
      graphene_rect_t b = bounds_of (fixture, g_ptr_array_index (nav, i));

      g_assert_false (overlap (&kb, &b));
      g_assert_cmpfloat (b.origin.y + b.size.height, <=, height);
    }
  check_keys (keyboard);
}

/* 1280 × 800, normal and large text, short and long text, every shipped layout. */
static void
test_never_covers (void)
{
  /* Full screen, as on a kiosk: the window is the 1280 × 800 screen of run-ui-test.sh. */
  KioskFixture *fixture = kiosk_fixture_new (FALSE);
  const char *langs[] = { "en", "th", "ar", "vi", "pl", "uk", "zh_CN", NULL };

  for (guint large = 0; large < 2; large++)
    for (guint i = 0; langs[i]; i++)
      for (int kind = FR_QUESTION_SHORT_TEXT; kind <= FR_QUESTION_LONG_TEXT; kind++)
        {
          GtkWidget *input;

          start_wizard (fixture, langs[i]);
          if (large)
            kiosk_activate (fixture, NULL, "kiosk.large-text", NULL);
          input = go_to_text (fixture, kind);
          kiosk_wait_frames (GTK_WIDGET (fixture->window), 3);
          check_layout (fixture, input);
          kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
        }
  kiosk_fixture_free (fixture);
}

/* Arabic's keys run right to left: the row's first key is at its right end; its Latin
 * letters left to right. */
static void
test_arabic_mirrored (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  FrKioskKeyboard *keyboard;
  graphene_rect_t first, last;

  start_wizard (fixture, "ar");
  go_to_text (fixture, FR_QUESTION_SHORT_TEXT);
  keyboard = wizard_keyboard (fixture);
  first = bounds_of (fixture, fr_kiosk_keyboard_find_key (keyboard, "keyboard.type", "ض"));
  last = bounds_of (fixture, fr_kiosk_keyboard_find_key (keyboard, "keyboard.type", "د"));
  g_assert_cmpfloat (first.origin.x, >, last.origin.x + last.size.width);
  tap (keyboard, "keyboard.latin", NULL);
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  first = bounds_of (fixture, fr_kiosk_keyboard_find_key (keyboard, "keyboard.type", "q"));
  last = bounds_of (fixture, fr_kiosk_keyboard_find_key (keyboard, "keyboard.type", "p"));
  g_assert_cmpfloat (first.origin.x + first.size.width, <, last.origin.x);
  kiosk_fixture_free (fixture);
}

/* The volunteer id in assisted mode is typed on the keyboard too. */
static void
test_volunteer (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  const char *keys[] = { "v", "o", "l", NULL };
  GtkWidget *pin;
  FrKioskKeyboard *keyboard;

  kiosk_activate (fixture, NULL, "kiosk.unlock", "assisted");
  kiosk_enter_pin (fixture, FR_KIOSK_DEMO_PIN);
  pin = fr_kiosk_window_get_screen (fixture->window);
  keyboard = FR_KIOSK_KEYBOARD (fr_kiosk_pin_get_keyboard (FR_KIOSK_PIN (pin)));
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 3);
  tap_keys (keyboard, keys);
  tap (keyboard, "keyboard.page", "symbols");
  tap (keyboard, "keyboard.type", "7");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fr_kiosk_pin_get_volunteer_entry (FR_KIOSK_PIN (pin)))), ==, "vol7");
  g_free (kiosk_screenshot (fixture, "keyboard-volunteer"));
  kiosk_fixture_free (fixture);
}

static const char *
typed_letters (FrKioskKeyboard *keyboard)
{
  return gtk_label_get_text (GTK_LABEL (fr_kiosk_candidates_get_typed (
    FR_KIOSK_CANDIDATES (fr_kiosk_keyboard_get_candidates (keyboard)))));
}

/* The first character the bar offers now, or "" if none. */
static char *
first_candidate (FrKioskKeyboard *keyboard)
{
  GtkWidget *key = fr_kiosk_candidates_find (FR_KIOSK_CANDIDATES (fr_kiosk_keyboard_get_candidates (keyboard)), NULL);

  if (key == NULL)
    return g_strdup ("");
  return g_strdup (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (key)), NULL));
}

/* Chinese: pinyin held in the bar, split into syllables; a character tapped, Space,
 * Backspace on letters and on text, more characters, ü, a punctuation key, Next. */
static void
test_pinyin (void)
{
  KioskFixture *fixture = kiosk_fixture_new (FALSE);
  FrKioskKeyboard *keyboard;
  GtkWidget *input, *bar, *key;
  g_autofree char *typed = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  graphene_rect_t kb, b;

  start_wizard (fixture, "zh_CN");
  input = go_to_text (fixture, FR_QUESTION_SHORT_TEXT);
  keyboard = wizard_keyboard (fixture);
  g_assert_cmpstr (fr_kiosk_keyboard_get_layout_id (keyboard), ==, "zh");
  bar = fr_kiosk_keyboard_get_candidates (keyboard);
  g_assert_nonnull (bar);
  g_assert_true (gtk_widget_get_mapped (bar));
  /* The bar is part of the keyboard, above its keys, on screen. */
  kb = bounds_of (fixture, fr_kiosk_keyboard_get_keys (keyboard));
  b = bounds_of (fixture, bar);
  g_assert_cmpfloat (b.origin.y + b.size.height, <=, kb.origin.y + 0.5);

  /* Letters are held, not typed: the bar shows them, split, and 你 first. */
  tap_keys (keyboard, (const char *[]) { "n", "i", NULL });
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (input)), ==, "");
  g_assert_cmpuint (fr_kiosk_keyboard_get_n_letters (keyboard), ==, 2);
  g_assert_cmpstr (typed_letters (keyboard), ==, "ni");
  typed = first_candidate (keyboard);
  g_assert_cmpstr (typed, ==, "你");
  key = fr_kiosk_candidates_find (FR_KIOSK_CANDIDATES (bar), "你");
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (key), GTK_ACCESSIBLE_PROPERTY_LABEL, "你"));
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_cmpint (gtk_widget_get_width (key), >=, 48);
  g_assert_cmpint (gtk_widget_get_height (key), >=, 48);
  tap_keys (keyboard, (const char *[]) { "h", "a", "o", NULL });
  g_assert_cmpstr (typed_letters (keyboard), ==, "ni hao");
  g_free (kiosk_screenshot (fixture, "keyboard-zh_CN-candidates"));

  /* A character types itself and takes its syllable; Backspace takes a letter. */
  tap_candidate (keyboard, "你");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (input)), ==, "你");
  g_assert_cmpstr (typed_letters (keyboard), ==, "hao");
  tap_keys (keyboard, (const char *[]) { "⌫", NULL });
  g_assert_cmpstr (typed_letters (keyboard), ==, "ha");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (input)), ==, "你");
  /* Space takes the first character. */
  tap_keys (keyboard, (const char *[]) { "o", " ", NULL });
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (input)), ==, "你好");
  g_assert_cmpuint (fr_kiosk_keyboard_get_n_letters (keyboard), ==, 0);
  g_assert_cmpstr (typed_letters (keyboard), ==, "");
  g_assert_null (fr_kiosk_candidates_find (FR_KIOSK_CANDIDATES (bar), NULL));
  /* With nothing held, Backspace is the field's. */
  tap_keys (keyboard, (const char *[]) { "⌫", NULL });
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (input)), ==, "你");

  /* More characters: the next page, then one of them typed. */
  tap_keys (keyboard, (const char *[]) { "s", "h", "i", NULL });
  before = first_candidate (keyboard);
  g_assert_cmpstr (before, ==, "是");
  kiosk_activate (fixture, bar, "candidates.more", NULL);
  g_assert_cmpuint (fr_kiosk_candidates_get_page (FR_KIOSK_CANDIDATES (bar)), ==, 1);
  after = first_candidate (keyboard);
  g_assert_cmpstr (after, !=, before);
  g_assert_null (fr_kiosk_candidates_find (FR_KIOSK_CANDIDATES (bar), "是"));
  tap_candidate (keyboard, after);
  g_clear_pointer (&typed, g_free);
  typed = g_strconcat ("你", after, NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (input)), ==, typed);
  tap_keys (keyboard, (const char *[]) { "⌫", NULL });

  /* ü has its own key (and v is ü): lü → 绿 among them. */
  tap_keys (keyboard, (const char *[]) { "l", "ü", NULL });
  g_assert_cmpstr (typed_letters (keyboard), ==, "lü");
  g_assert_nonnull (fr_kiosk_candidates_find (FR_KIOSK_CANDIDATES (bar), "绿"));
  tap_keys (keyboard, (const char *[]) { "⌫", "v", "=绿", NULL });
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (input)), ==, "你绿");

  /* Any other key first types the letters as they were typed: nothing is lost. */
  tap_keys (keyboard, (const char *[]) { "z", "h", NULL });
  g_assert_null (fr_kiosk_candidates_find (FR_KIOSK_CANDIDATES (fr_kiosk_keyboard_get_candidates (keyboard)), NULL));
  tap (keyboard, "keyboard.page", "symbols");
  g_assert_cmpstr (typed_letters (keyboard), ==, "zh");
  tap_keys (keyboard, (const char *[]) { "，", NULL });
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (input)), ==, "你绿zh，");
  tap (keyboard, "keyboard.page", "letters");

  /* Next takes what is held as typed, too; the next field starts with nothing held. */
  tap_keys (keyboard, (const char *[]) { "m", "a", NULL });
  kiosk_activate (fixture, NULL, "wizard.next", NULL);
  g_assert_cmpuint (fr_kiosk_keyboard_get_n_letters (keyboard), ==, 0);
  kiosk_activate (fixture, NULL, "wizard.back", NULL);
  g_assert_true (fr_kiosk_keyboard_get_target (keyboard) == input);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (input)), ==, "你绿zh，ma");
  kiosk_fixture_free (fixture);
}

/* A quick exit with pinyin held: the letters, the bar's label and its characters are
 * gone, and the next session's keyboard holds nothing. */
static void
test_pinyin_quick_exit (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  g_autoptr(FrKioskKeyboard) old = NULL;
  g_autoptr(GPtrArray) held = NULL;
  FrKioskKeyboard *keyboard;

  start_wizard (fixture, "zh_CN");
  go_to_text (fixture, FR_QUESTION_LONG_TEXT);
  keyboard = wizard_keyboard (fixture);
  tap_keys (keyboard, (const char *[]) { "n", "i", "=你", "h", "a", "o", NULL });
  g_assert_cmpstr (typed_letters (keyboard), ==, "hao");
  held = kiosk_hold_text (GTK_WIDGET (fixture->window));
  g_assert_cmpuint (kiosk_held_text_count (held, "hao"), ==, 1);
  g_assert_cmpuint (kiosk_held_text_count (held, "你"), ==, 1);
  old = g_object_ref (keyboard);

  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_held_text_assert_empty (held);
  g_assert_true (fr_kiosk_keyboard_is_initial (old));
  g_assert_cmpuint (fr_kiosk_keyboard_get_n_letters (old), ==, 0);
  g_assert_cmpstr (typed_letters (old), ==, "");
  g_assert_null (fr_kiosk_candidates_find (FR_KIOSK_CANDIDATES (fr_kiosk_keyboard_get_candidates (old)), NULL));

  start_wizard (fixture, "zh_CN");
  go_to_text (fixture, FR_QUESTION_LONG_TEXT);
  keyboard = wizard_keyboard (fixture);
  g_assert_true (keyboard != old);
  g_assert_true (fr_kiosk_keyboard_is_initial (keyboard));
  g_assert_cmpstr (typed_letters (keyboard), ==, "");
  /* Skip drops what is held, too. */
  tap_keys (keyboard, (const char *[]) { "w", "o", NULL });
  kiosk_activate (fixture, NULL, "wizard.skip", NULL);
  g_assert_cmpuint (fr_kiosk_keyboard_get_n_letters (keyboard), ==, 0);
  kiosk_fixture_free (fixture);
}

/* Types @text on the X server's keyboard (XTest), as a physical keyboard does. */
static void
type_physical (KioskFixture *fixture,
               const char   *text)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gtk_widget_get_display (GTK_WIDGET (fixture->window)));

  for (const char *p = text; *p; p++)
    {
      KeyCode code = XKeysymToKeycode (dpy, (KeySym) *p);

      g_assert_cmpuint (code, !=, 0);
      XTestFakeKeyEvent (dpy, code, True, 0);
      XTestFakeKeyEvent (dpy, code, False, 0);
    }
  XFlush (dpy);
  kiosk_wait (300);
}

/* [kiosk] on-screen-keyboard=never: no keyboard under a text question, on the volunteer
 * pad or anywhere in the window; a physical keyboard types into the field, which has the
 * focus as soon as the question is shown. */
static void
test_never (void)
{
  KioskFixture *fixture = kiosk_fixture_new_with_kiosk_key (FALSE, "on-screen-keyboard", "never");
  GtkWidget *page, *input, *pin;

  g_assert_false (fr_kiosk_context_get_site (fixture->context)->on_screen_keyboard);
  for (int kind = FR_QUESTION_SHORT_TEXT; kind <= FR_QUESTION_LONG_TEXT; kind++)
    {
      g_autofree char *typed = NULL;

      start_wizard (fixture, kind == FR_QUESTION_SHORT_TEXT ? "en" : "zh_CN");
      g_assert_true (kiosk_wizard_go_to_kind (fixture, kind, "x"));
      kiosk_wait_frames (GTK_WIDGET (fixture->window), 3);
      page = fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture));
      input = fr_kiosk_question_get_input (FR_KIOSK_QUESTION (page));
      g_assert_null (fr_kiosk_wizard_get_keyboard (kiosk_wizard (fixture)));
      g_assert_null (kiosk_find_descendant (GTK_WIDGET (fixture->window), FR_TYPE_KIOSK_KEYBOARD));
      g_assert_null (kiosk_find_descendant (GTK_WIDGET (fixture->window), FR_TYPE_KIOSK_CANDIDATES));
      g_assert_true (gtk_widget_has_focus (input));
      type_physical (fixture, "hej");
      typed = text_of (input);
      g_assert_cmpstr (typed, ==, "hej");
      kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
    }

  kiosk_activate (fixture, NULL, "kiosk.unlock", "assisted");
  kiosk_enter_pin (fixture, FR_KIOSK_DEMO_PIN);
  pin = fr_kiosk_window_get_screen (fixture->window);
  g_assert_null (fr_kiosk_pin_get_keyboard (FR_KIOSK_PIN (pin)));
  g_assert_null (kiosk_find_descendant (GTK_WIDGET (fixture->window), FR_TYPE_KIOSK_KEYBOARD));
  kiosk_fixture_free (fixture);
}

/* screens/keyboard-LANG[-large]-PAGE.png: every layout, each page, normal and large. */
static void
test_gallery (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  const char *langs[] = { "en", "sv", "ro", "pl", "es", "vi", "ru", "uk", "bg", "th", "ar", "zh_CN", NULL };
  guint written = 0;

  for (guint large = 0; large < 2; large++)
    for (guint i = 0; langs[i]; i++)
      {
        FrKioskKeyboard *keyboard;

        start_wizard (fixture, langs[i]);
        if (large)
          kiosk_activate (fixture, NULL, "kiosk.large-text", NULL);
        go_to_text (fixture, FR_QUESTION_SHORT_TEXT);
        keyboard = wizard_keyboard (fixture);
        for (guint page = 0; page < FR_KEYBOARD_N_PAGES; page++)
          {
            static const char * const names[] = { "letters", "shift", "symbols" };
            g_autofree char *name = g_strdup_printf ("keyboard-%s%s-%s", langs[i], large ? "-large" : "", names[page]);
            g_autofree char *path = NULL;

            if (page == FR_KEYBOARD_PAGE_SHIFT)
              tap (keyboard, "keyboard.shift", NULL);
            else if (page == FR_KEYBOARD_PAGE_SYMBOLS)
              tap (keyboard, "keyboard.page", "symbols");
            g_assert_cmpint (fr_kiosk_keyboard_get_page (keyboard), ==, page);
            path = kiosk_screenshot (fixture, name);
            g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
            written++;
          }
        kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
      }
  g_test_message ("%u keyboard screenshots in %s/screens", written, g_getenv ("G_TEST_BUILDDIR"));
  kiosk_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  kiosk_test_init (&argc, &argv);
  for (guint i = 0; i < G_N_ELEMENTS (typings); i++)
    {
      g_autofree char *path = g_strdup_printf ("/keyboard/typing/%s-%u", typings[i].lang, i);

      g_test_add_data_func (path, &typings[i], test_typing);
    }
  g_test_add_func ("/keyboard/canary", test_canary);
  g_test_add_func ("/keyboard/quick-exit", test_quick_exit);
  g_test_add_func ("/keyboard/pinyin", test_pinyin);
  g_test_add_func ("/keyboard/pinyin-quick-exit", test_pinyin_quick_exit);
  g_test_add_func ("/keyboard/never", test_never);
  g_test_add_func ("/keyboard/arabic-mirrored", test_arabic_mirrored);
  g_test_add_func ("/keyboard/never-covers", test_never_covers);
  g_test_add_func ("/keyboard/volunteer", test_volunteer);
  g_test_add_func ("/keyboard/gallery", test_gallery);
  return g_test_run ();
}
