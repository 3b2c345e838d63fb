/* fr-kiosk-a11y.c — accessible names and the kiosk's big buttons */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-lockdown.h"

#define NAMED_KEY "fr-kiosk-a11y-named"

/**
 * fr_kiosk_a11y_set_name:
 *
 * Sets the accessible name (what a screen reader says) of @widget.
 */
void
fr_kiosk_a11y_set_name (GtkWidget  *widget,
                        const char *name)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data (G_OBJECT (widget), NAMED_KEY, GINT_TO_POINTER (TRUE));
}

gboolean
fr_kiosk_a11y_is_interactive (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_TEXT (widget) || GTK_IS_TEXT_VIEW (widget)
         || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_SCALE (widget);
}

static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      if (text != NULL && *text != '\0')
        {
          if (out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append (out, text);
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

/**
 * fr_kiosk_a11y_text_of:
 *
 * Returns: (transfer full): the visible text of the labels inside @widget.
 */
char *
fr_kiosk_a11y_text_of (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_text (widget, out);
  return g_string_free (out, FALSE);
}

/**
 * fr_kiosk_a11y_ensure_names:
 *
 * Gives every button under @root that has no accessible name yet the text it shows
 * (the name a screen reader should say is what a sighted person reads).
 */
void
fr_kiosk_a11y_ensure_names (GtkWidget *root)
{
  if (GTK_IS_BUTTON (root) && g_object_get_data (G_OBJECT (root), NAMED_KEY) == NULL)
    {
      g_autofree char *text = fr_kiosk_a11y_text_of (root);

      if (*text != '\0')
        fr_kiosk_a11y_set_name (root, text);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    fr_kiosk_a11y_ensure_names (child);
}

/**
 * fr_kiosk_button_new:
 * @label: the visible (and accessible) text
 * @icon_name: (nullable): an icon shown before the text
 * @action_name: (nullable): the action a tap activates
 * @target: (nullable) (transfer floating): its parameter
 *
 * Returns: (transfer floating): a big button with a wrapping label.
 */
GtkWidget *
fr_kiosk_button_new (const char *label,
                     const char *icon_name,
                     const char *action_name,
                     GVariant   *target)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *text = fr_kiosk_label_new (label, NULL);

  gtk_label_set_xalign (GTK_LABEL (text), 0.0);
  if (icon_name != NULL)
    {
      GtkWidget *grid = gtk_grid_new ();
      GtkWidget *image = gtk_image_new_from_icon_name (icon_name);

      gtk_image_set_icon_size (GTK_IMAGE (image), GTK_ICON_SIZE_LARGE);
      gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
      gtk_widget_set_valign (grid, GTK_ALIGN_CENTER);
      gtk_widget_set_hexpand (text, TRUE);
      gtk_grid_attach (GTK_GRID (grid), image, 0, 0, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), text, 1, 0, 1, 1);
      gtk_button_set_child (GTK_BUTTON (button), grid);
    }
  else
    gtk_button_set_child (GTK_BUTTON (button), text);
  if (action_name != NULL)
    gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  if (target != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  fr_kiosk_a11y_set_name (button, label);
  gtk_widget_add_css_class (button, "fr-big-button");
  return button;
}

/**
 * fr_kiosk_label_new:
 *
 * Returns: (transfer floating): a wrapping, non-selectable label without markup.
 */
GtkWidget *
fr_kiosk_label_new (const char *text,
                    const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  fr_kiosk_lockdown_label (GTK_LABEL (label));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}
