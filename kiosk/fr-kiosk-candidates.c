/* fr-kiosk-candidates.c — the pinyin keyboard's candidate bar */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-candidates.h"

struct _FrKioskCandidates
{
  GtkWidget   parent_instance;

  GtkWidget  *box;
  GtkWidget  *typed;        /* the letters, split into syllables */
  GtkWidget  *less;
  GtkWidget  *keys;         /* this page's characters */
  GtkWidget  *more;

  const char *characters;   /* the pinyin table's, which outlives every keyboard; or NULL */
  guint       n_characters;
  guint       page;
};

G_DEFINE_FINAL_TYPE (FrKioskCandidates, fr_kiosk_candidates, GTK_TYPE_WIDGET)

static void
fr_kiosk_candidates_dispose (GObject *object)
{
  FrKioskCandidates *self = FR_KIOSK_CANDIDATES (object);

  if (self->typed != NULL)
    gtk_label_set_text (GTK_LABEL (self->typed), "");
  self->typed = self->less = self->keys = self->more = NULL;
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (fr_kiosk_candidates_parent_class)->dispose (object);
}

static guint
n_pages (FrKioskCandidates *self)
{
  return (self->n_characters + FR_KIOSK_CANDIDATES_PER_PAGE - 1) / FR_KIOSK_CANDIDATES_PER_PAGE;
}

/* This page's characters, each a key that types it. */
static void
rebuild (FrKioskCandidates *self)
{
  GtkWidget *child;
  const char *p = self->characters;
  guint first = self->page * FR_KIOSK_CANDIDATES_PER_PAGE;

  while ((child = gtk_widget_get_first_child (self->keys)) != NULL)
    gtk_box_remove (GTK_BOX (self->keys), child);
  for (guint i = 0; p != NULL && *p && i < first + FR_KIOSK_CANDIDATES_PER_PAGE; i++, p = g_utf8_next_char (p))
    {
      char character[8] = { 0 };
      GtkWidget *key;

      if (i < first)
        continue;
      memcpy (character, p, g_utf8_next_char (p) - p);
      key = gtk_button_new_with_label (character);
      /* The field keeps its cursor, as with every key. */
      gtk_widget_set_focus_on_click (key, FALSE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (key), "keyboard.choose");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (key), "s", character);
      gtk_widget_add_css_class (key, "fr-kbd-key");
      gtk_widget_add_css_class (key, "fr-kbd-candidate");
      fr_kiosk_a11y_set_name (key, character);
      gtk_box_append (GTK_BOX (self->keys), key);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "candidates.less", self->page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "candidates.more", self->page + 1 < n_pages (self));
  /* The page keys only when there is more than one page. */
  gtk_widget_set_visible (self->less, n_pages (self) > 1);
  gtk_widget_set_visible (self->more, n_pages (self) > 1);
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FrKioskCandidates *self = FR_KIOSK_CANDIDATES (widget);

  if (g_str_equal (action_name, "candidates.more") && self->page + 1 < n_pages (self))
    self->page++;
  else if (g_str_equal (action_name, "candidates.less") && self->page > 0)
    self->page--;
  rebuild (self);
}

static void
fr_kiosk_candidates_class_init (FrKioskCandidatesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fr_kiosk_candidates_dispose;

  gtk_widget_class_install_action (widget_class, "candidates.less", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "candidates.more", NULL, page_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fr-candidates");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
page_key_new (const char *shown,
              const char *name,
              const char *action)
{
  GtkWidget *key = gtk_button_new_with_label (shown);

  gtk_widget_set_focus_on_click (key, FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (key), action);
  gtk_widget_add_css_class (key, "fr-kbd-key");
  fr_kiosk_a11y_set_name (key, name);
  return key;
}

static void
fr_kiosk_candidates_init (FrKioskCandidates *self)
{
  /* The letters at the start, the characters after them, the page keys at the end: each
   * stays where it is as characters come and go. */
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (self->box, "fr-kbd-row");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->typed = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (self->typed), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (self->typed), PANGO_ELLIPSIZE_START);
  gtk_label_set_width_chars (GTK_LABEL (self->typed), 10);
  gtk_label_set_max_width_chars (GTK_LABEL (self->typed), 10);
  /* Emptied by the session's wipe (fr_kiosk_wipe_text_widgets()), as a field is. */
  gtk_widget_add_css_class (self->typed, "fr-typed");
  gtk_widget_add_css_class (self->typed, "fr-kbd-typed");
  gtk_box_append (GTK_BOX (self->box), self->typed);

  /* Translators: accessible name of the key that shows the previous characters to choose
   * from, on the Chinese (pinyin) keyboard */
  self->less = page_key_new ("‹", _("Previous characters"), "candidates.less");
  self->keys = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_hexpand (self->keys, TRUE);
  gtk_box_append (GTK_BOX (self->box), self->keys);
  gtk_box_append (GTK_BOX (self->box), self->less);
  /* Translators: accessible name of the key that shows more characters to choose from,
   * on the Chinese (pinyin) keyboard */
  self->more = page_key_new ("›", _("More characters"), "candidates.more");
  gtk_box_append (GTK_BOX (self->box), self->more);

  /* Translators: accessible name of the row of Chinese characters to choose from, above
   * the keys of the pinyin keyboard */
  fr_kiosk_a11y_set_name (GTK_WIDGET (self), _("Characters to choose"));
  rebuild (self);
}

GtkWidget *
fr_kiosk_candidates_new (void)
{
  return g_object_new (FR_TYPE_KIOSK_CANDIDATES, NULL);
}

/**
 * fr_kiosk_candidates_set:
 * @shown: (nullable): the letters typed, as the person should see them
 * @characters: (nullable): the characters to choose from, most likely first; must outlive
 *   the bar (the pinyin table's)
 *
 * Shows them from the first page.
 */
void
fr_kiosk_candidates_set (FrKioskCandidates *self,
                         const char        *shown,
                         const char        *characters)
{
  g_return_if_fail (FR_IS_KIOSK_CANDIDATES (self));

  gtk_label_set_text (GTK_LABEL (self->typed), shown ? shown : "");
  self->characters = characters;
  self->n_characters = characters ? g_utf8_strlen (characters, -1) : 0;
  self->page = 0;
  rebuild (self);
}

/* Nothing typed, nothing to choose. */
void
fr_kiosk_candidates_clear (FrKioskCandidates *self)
{
  fr_kiosk_candidates_set (self, NULL, NULL);
}

guint
fr_kiosk_candidates_get_page (FrKioskCandidates *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_CANDIDATES (self), 0);
  return self->page;
}

/* The label with the letters typed. */
GtkWidget *
fr_kiosk_candidates_get_typed (FrKioskCandidates *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_CANDIDATES (self), NULL);
  return self->typed;
}

/**
 * fr_kiosk_candidates_find:
 * @character: (nullable): a character, or %NULL for the first on this page
 *
 * Returns: (transfer none) (nullable): its key on this page.
 */
GtkWidget *
fr_kiosk_candidates_find (FrKioskCandidates *self,
                          const char        *character)
{
  g_return_val_if_fail (FR_IS_KIOSK_CANDIDATES (self), NULL);

  for (GtkWidget *key = gtk_widget_get_first_child (self->keys); key; key = gtk_widget_get_next_sibling (key))
    {
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (key));

      if (character == NULL || g_str_equal (g_variant_get_string (target, NULL), character))
        return key;
    }
  return NULL;
}
