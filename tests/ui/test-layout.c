/* test-layout.c — right-to-left sessions, accessible names, touch target sizes */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include "fr-kiosk-a11y.h"
#include "kiosk-fixture.h"

static void
test_arabic_rtl (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  GtkWidget *home;

  kiosk_activate (fixture, NULL, "kiosk.language", "ar");
  home = fr_kiosk_window_get_screen (fixture->window);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "home");
  g_assert_cmpint (gtk_widget_get_direction (home), ==, GTK_TEXT_DIR_RTL);
  g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (fixture->window)), ==, GTK_TEXT_DIR_RTL);

  /* The next session starts left to right again. */
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  kiosk_activate (fixture, NULL, "kiosk.language", "sv");
  g_assert_cmpint (gtk_widget_get_direction (fr_kiosk_window_get_screen (fixture->window)), ==, GTK_TEXT_DIR_LTR);
  kiosk_fixture_free (fixture);
}

typedef struct
{
  guint checked;
  guint problems;
} Check;

static void
check_tree (GtkWidget  *widget,
            const char *screen,
            Check      *check)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (fr_kiosk_a11y_is_interactive (widget))
    {
      gboolean named = gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL)
                       || gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      int width = gtk_widget_get_width (widget);
      int height = gtk_widget_get_height (widget);

      check->checked++;
      if (!named)
        {
          g_test_message ("%s: a %s has no accessible name", screen, G_OBJECT_TYPE_NAME (widget));
          check->problems++;
        }
      if (GTK_IS_BUTTON (widget) && (width < 48 || height < 48))
        {
          g_autofree char *text = fr_kiosk_a11y_text_of (widget);

          g_test_message ("%s: %s \"%s\" is %d×%d", screen, G_OBJECT_TYPE_NAME (widget), text, width, height);
          check->problems++;
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    check_tree (child, screen, check);
}

static void
check_screen (KioskFixture *fixture,
              const char   *screen,
              gpointer      data)
{
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 3);
  check_tree (GTK_WIDGET (fixture->window), screen, data);
}

static void
test_names_and_sizes (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  Check check = { 0 };

  kiosk_visit_screens (fixture, NULL, check_screen, &check);
  kiosk_visit_screens (fixture, "en", check_screen, &check);
  kiosk_visit_screens (fixture, "ar", check_screen, &check);
  g_assert_cmpuint (check.checked, >, 100);
  g_assert_cmpuint (check.problems, ==, 0);
  kiosk_fixture_free (fixture);
}

/* Every interactive widget on screen that can be used (mapped, sensitive, its action
 * enabled) is reached by Tab: the whole kiosk works from a keyboard. */
static void
collect_usable (GtkWidget *widget,
                GPtrArray *usable)
{
  if (!gtk_widget_get_mapped (widget) || !gtk_widget_is_sensitive (widget))
    return;
  if (fr_kiosk_a11y_is_interactive (widget))
    {
      g_ptr_array_add (usable, widget);
      return;   /* a button's own children are not separate targets */
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_usable (child, usable);
}

static gboolean
reached (GHashTable *focused,
         GtkWidget  *widget)
{
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_contains (focused, widget))
    return TRUE;
  /* A text entry is focused through its inner GtkText. */
  g_hash_table_iter_init (&iter, focused);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (gtk_widget_is_ancestor (key, widget))
      return TRUE;
  return FALSE;
}

static void
check_keyboard (KioskFixture *fixture,
                const char   *screen,
                gpointer      data)
{
  Check *check = data;
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autoptr(GPtrArray) usable = g_ptr_array_new ();
  g_autoptr(GHashTable) focused = g_hash_table_new (NULL, NULL);

  kiosk_wait_frames (window, 2);
  collect_usable (window, usable);
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  for (guint i = 0; i < usable->len * 2 + 8; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD))
        gtk_window_set_focus (GTK_WINDOW (window), NULL);   /* wrapped around */
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus != NULL)
        g_hash_table_add (focused, focus);
    }
  for (guint i = 0; i < usable->len; i++)
    {
      GtkWidget *widget = usable->pdata[i];

      check->checked++;
      if (!reached (focused, widget))
        {
          g_autofree char *text = fr_kiosk_a11y_text_of (widget);

          g_test_message ("%s: %s \"%s\" cannot be reached with Tab", screen, G_OBJECT_TYPE_NAME (widget), text);
          check->problems++;
        }
    }
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
}

static void
test_keyboard (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  Check check = { 0 };

  kiosk_visit_screens (fixture, NULL, check_keyboard, &check);
  kiosk_visit_screens (fixture, "en", check_keyboard, &check);
  g_assert_cmpuint (check.checked, >, 60);
  g_assert_cmpuint (check.problems, ==, 0);
  kiosk_fixture_free (fixture);
}

static int
natural_height (GtkWidget *widget)
{
  int natural = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, 1000, NULL, &natural, NULL, NULL);
  return natural;
}

static GdkRGBA
label_color (GtkWidget *widget)
{
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return color;
}

/* The large-text toggle really makes text larger, high contrast really changes colours,
 * and neither outlives the session. */
static void
test_large_text_and_contrast (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  GtkWidget *label;
  int before, after;
  GdkRGBA normal, contrast;

  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  label = kiosk_find_descendant (fr_kiosk_window_get_screen (fixture->window), GTK_TYPE_LABEL);
  g_assert_nonnull (label);
  before = natural_height (label);
  normal = label_color (label);

  kiosk_activate (fixture, NULL, "kiosk.large-text", NULL);
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (fixture->window), "large-text"));
  after = natural_height (label);
  g_assert_cmpint (after, >, before);

  kiosk_activate (fixture, NULL, "kiosk.high-contrast", NULL);
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (fixture->window), "high-contrast"));
  contrast = label_color (label);
  g_assert_false (gdk_rgba_equal (&normal, &contrast));

  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (fixture->window), "large-text"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (fixture->window), "high-contrast"));
  kiosk_fixture_free (fixture);
}

/* Thai has no spaces between words: the kiosk's own labels, laid out on its screens in a
 * Thai session, must still break lines only between words. Where a break may go is taken
 * from Pango's Thai segmentation of each label's text, computed apart from the widget; the
 * same text broken at any character (PANGO_WRAP_CHAR) is the positive control. */
typedef struct
{
  guint labels;          /* mapped labels with Thai text */
  guint wrapped;         /* of those, laid out on more than one line */
  guint lines;           /* line starts checked */
  guint problems;        /* line starts inside a word */
  guint control_caught;  /* labels whose character-wrapped copy breaks inside a word */
} ThaiCheck;

static gboolean
has_thai (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x0E00 && c <= 0x0E7F)
        return TRUE;
    }
  return FALSE;
}

/* Byte offsets in @text before which Thai segmentation allows a line break. */
static GHashTable *
thai_break_offsets (const char *text)
{
  GHashTable *breaks = g_hash_table_new (NULL, NULL);
  glong n = g_utf8_strlen (text, -1);
  g_autofree PangoLogAttr *attrs = g_new0 (PangoLogAttr, n + 1);
  const char *p = text;

  pango_get_log_attrs (text, -1, -1, pango_language_from_string ("th"), attrs, (int) n + 1);
  for (glong i = 0; i <= n; i++, p = g_utf8_next_char (p))
    {
      if (attrs[i].is_line_break)
        g_hash_table_add (breaks, GINT_TO_POINTER ((int) (p - text)));
      if (*p == '\0')
        break;
    }
  return breaks;
}

/* Lines of @layout after the first that start where no break is allowed. */
static guint
bad_line_starts (PangoLayout *layout,
                 GHashTable  *breaks,
                 guint       *n_lines)
{
  guint bad = 0;

  for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
    {
      PangoLayoutLine *line = l->data;

      if (line->start_index == 0)
        continue;
      if (n_lines != NULL)
        (*n_lines)++;
      if (!g_hash_table_contains (breaks, GINT_TO_POINTER (line->start_index)))
        bad++;
    }
  return bad;
}

static void
check_thai_labels (GtkWidget  *widget,
                   const char *screen,
                   ThaiCheck  *check)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && has_thai (gtk_label_get_text (GTK_LABEL (widget))))
    {
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (widget));
      const char *text = pango_layout_get_text (layout);

      check->labels++;
      if (pango_layout_get_line_count (layout) > 1)
        {
          g_autoptr(GHashTable) breaks = thai_break_offsets (text);
          g_autoptr(PangoLayout) control = pango_layout_copy (layout);

          check->wrapped++;
          if (bad_line_starts (layout, breaks, &check->lines) > 0)
            {
              g_test_message ("%s: \"%s\" breaks a line inside a word", screen, text);
              check->problems++;
            }
          pango_layout_set_wrap (control, PANGO_WRAP_CHAR);
          if (bad_line_starts (control, breaks, NULL) > 0)
            check->control_caught++;
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    check_thai_labels (child, screen, check);
}

static void
check_thai_screen (KioskFixture *fixture,
                   const char   *screen,
                   gpointer      data)
{
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 3);
  check_thai_labels (GTK_WIDGET (fixture->window), screen, data);
}

static void
test_thai_word_wrap (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  ThaiCheck check = { 0 };

  kiosk_visit_screens (fixture, "th", check_thai_screen, &check);
  /* Again on a narrow, portrait screen, where most paragraphs wrap. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 720, 1280);
  kiosk_wait_frames (GTK_WIDGET (fixture->window), 3);
  kiosk_visit_screens (fixture, "th", check_thai_screen, &check);
  g_test_message ("%u Thai labels, %u wrapped, %u line starts checked, %u control layouts caught",
                  check.labels, check.wrapped, check.lines, check.control_caught);
  g_assert_cmpuint (check.labels, >, 10);
  g_assert_cmpuint (check.wrapped, >, 0);
  g_assert_cmpuint (check.control_caught, >, 0);
  g_assert_cmpuint (check.problems, ==, 0);
  kiosk_fixture_free (fixture);
}

/* Exit is at the top right in every language, right-to-left ones included (DESIGN.md),
 * on every screen; the rest of the bar mirrors: Home is at the start of the reading
 * direction. */
/* The first button, depth first, whose action is @action. */
static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
exit_place (KioskFixture    *fixture,
            graphene_rect_t *bounds)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);

  kiosk_wait_frames (window, 2);
  g_assert_true (gtk_widget_compute_bounds (fr_kiosk_window_get_exit_button (fixture->window), window, bounds));
}

typedef struct
{
  graphene_rect_t first;
  gboolean        have_first;
  guint           checked;
  guint           problems;
} ExitCheck;

static void
check_exit_place (KioskFixture *fixture,
                  const char   *screen,
                  gpointer      data)
{
  ExitCheck *check = data;
  graphene_rect_t bounds;
  int width = gtk_widget_get_width (GTK_WIDGET (fixture->window));
  float right;

  exit_place (fixture, &bounds);
  right = bounds.origin.x + bounds.size.width;
  check->checked++;
  if (!check->have_first)
    {
      check->first = bounds;
      check->have_first = TRUE;
    }
  if (right < width - 32 || right > width || bounds.origin.y > 24
      || right != check->first.origin.x + check->first.size.width || bounds.origin.y != check->first.origin.y)
    {
      g_test_message ("%s: Exit at %.0f,%.0f %.0f×%.0f (window %d wide)", screen, bounds.origin.x,
                      bounds.origin.y, bounds.size.width, bounds.size.height, width);
      check->problems++;
    }
}

static void
test_exit_top_right (void)
{
  KioskFixture *fixture = kiosk_fixture_new (TRUE);
  const char *const *langs = fr_kiosk_context_get_languages (fixture->context);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  ExitCheck check = { 0 };
  GtkWidget *home_button;
  graphene_rect_t home;

  kiosk_visit_screens (fixture, NULL, check_exit_place, &check);
  for (guint i = 0; langs[i]; i++)
    {
      kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
      kiosk_activate (fixture, NULL, "kiosk.start", NULL);
      kiosk_activate (fixture, NULL, "kiosk.language", langs[i]);
      check_exit_place (fixture, langs[i], &check);
      kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
      check_exit_place (fixture, langs[i], &check);
    }
  kiosk_visit_screens (fixture, "ar", check_exit_place, &check);
  g_assert_cmpuint (check.checked, >, 30);
  g_assert_cmpuint (check.problems, ==, 0);

  /* Mirrored around it: Home on the left in English, on the right in Arabic. */
  home_button = find_action_button (window, "kiosk.home");
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  kiosk_activate (fixture, NULL, "kiosk.language", "en");
  kiosk_wait_frames (window, 2);
  g_assert_nonnull (home_button);
  g_assert_true (gtk_widget_compute_bounds (home_button, window, &home));
  g_assert_cmpfloat (home.origin.x, <, gtk_widget_get_width (window) / 2);
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  kiosk_activate (fixture, NULL, "kiosk.language", "ar");
  kiosk_wait_frames (window, 2);
  g_assert_true (gtk_widget_compute_bounds (home_button, window, &home));
  g_assert_cmpfloat (home.origin.x, >, gtk_widget_get_width (window) / 2);
  kiosk_fixture_free (fixture);
}

/* Nothing the person needs below the fold: at 1280×800, in every language, in normal and
 * in large text, every button on every screen — the wizard's actions, consent's two
 * answers, Send, every answer option and keypad key, the home tiles, Done — is wholly
 * inside the window and inside every scrolled area it is in, without scrolling. */
typedef struct
{
  const char *lang;
  gboolean    large;
  guint       checked;
  guint       problems;
} FoldCheck;

static void
check_fold_tree (GtkWidget  *widget,
                 GtkWidget  *window,
                 const char *screen,
                 FoldCheck  *check)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_BUTTON (widget))
    {
      graphene_rect_t bounds;
      gboolean inside;

      g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
      inside = bounds.origin.x >= 0 && bounds.origin.y >= 0
               && bounds.origin.x + bounds.size.width <= gtk_widget_get_width (window)
               && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (window);
      for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL && inside; up = gtk_widget_get_parent (up))
        if (GTK_IS_SCROLLED_WINDOW (up))
          {
            graphene_rect_t area;

            g_assert_true (gtk_widget_compute_bounds (up, window, &area));
            inside = graphene_rect_contains_rect (&area, &bounds);
          }
      check->checked++;
      if (!inside)
        {
          g_autofree char *text = fr_kiosk_a11y_text_of (widget);

          if (check->problems++ < 40)
            g_test_message ("%s%s/%s: \"%s\" at %.0f,%.0f %.0f×%.0f is below the fold", check->large ? "large/" : "",
                            check->lang, screen, text, bounds.origin.x, bounds.origin.y, bounds.size.width,
                            bounds.size.height);
        }
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    check_fold_tree (child, window, screen, check);
}

static void
check_fold (KioskFixture *fixture,
            const char   *screen,
            FoldCheck    *check)
{
  guint before = check->problems;

  kiosk_wait_frames (GTK_WIDGET (fixture->window), 2);
  check_fold_tree (GTK_WIDGET (fixture->window), GTK_WIDGET (fixture->window), screen, check);
  /* A picture of each screen that fails, to look at (screens/fold-…png). */
  if (check->problems > before)
    {
      g_autofree char *name = g_strdup_printf ("fold-%s%s-%s", check->large ? "large-" : "", check->lang, screen);
      g_autofree char *path = kiosk_screenshot (fixture, name);

      g_test_message ("see %s", path);
    }
}

static void
fold_visit (KioskFixture *fixture,
            FoldCheck    *check)
{
  kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
  kiosk_activate (fixture, NULL, "kiosk.start", NULL);
  if (check->large)
    kiosk_activate (fixture, NULL, "kiosk.large-text", NULL);
  check_fold (fixture, "welcome", check);
  kiosk_activate (fixture, NULL, "kiosk.language", check->lang);
  check_fold (fixture, "home", check);
  kiosk_activate (fixture, NULL, "kiosk.contacts", "help-now");
  check_fold (fixture, "help-now", check);
  kiosk_activate (fixture, NULL, "kiosk.contacts", "talk");
  check_fold (fixture, "talk", check);
  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
  for (;;)
    {
      check_fold (fixture, fr_kiosk_wizard_get_step_name (kiosk_wizard (fixture)), check);
      if (!kiosk_wizard_answer_step (fixture, "A message"))
        break;
    }
  kiosk_activate (fixture, NULL, "kiosk.home", NULL);
  check_fold (fixture, "leave", check);
  kiosk_activate (fixture, NULL, "wizard.stay", NULL);
  kiosk_activate (fixture, NULL, "wizard.agree", NULL);
  check_fold (fixture, "review", check);
  kiosk_activate (fixture, fr_kiosk_window_get_screen (fixture->window), "wizard.send", NULL);
  g_assert_cmpstr (fr_kiosk_window_get_screen_name (fixture->window), ==, "receipt");
  check_fold (fixture, "receipt", check);
}

static void
test_above_the_fold (void)
{
  KioskFixture *fixture = kiosk_fixture_new (FALSE);
  const char *const *langs = fr_kiosk_context_get_languages (fixture->context);
  FoldCheck check = { 0 };

  for (guint i = 0; langs[i]; i++)
    for (int large = 0; large < 2; large++)
      {
        check.lang = langs[i];
        check.large = large;
        fold_visit (fixture, &check);
      }
  g_test_message ("%u buttons checked, %u below the fold", check.checked, check.problems);
  g_assert_cmpuint (check.checked, >, 1000);
  g_assert_cmpuint (check.problems, ==, 0);
  kiosk_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  kiosk_test_init (&argc, &argv);

  g_test_add_func ("/kiosk/layout/arabic-rtl", test_arabic_rtl);
  g_test_add_func ("/kiosk/layout/exit-top-right", test_exit_top_right);
  g_test_add_func ("/kiosk/layout/above-the-fold", test_above_the_fold);
  g_test_add_func ("/kiosk/layout/names-and-sizes", test_names_and_sizes);
  g_test_add_func ("/kiosk/layout/keyboard", test_keyboard);
  g_test_add_func ("/kiosk/layout/large-text-and-contrast", test_large_text_and_contrast);
  g_test_add_func ("/kiosk/layout/thai-word-wrap", test_thai_word_wrap);
  return g_test_run ();
}
