/* fr-kiosk-keypad.c — a big on-screen number pad (phone numbers, PINs) */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-keypad.h"

struct _FrKioskKeypad
{
  GtkWidget  parent_instance;
  GtkWidget *grid;
};

enum { PRESSED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FrKioskKeypad, fr_kiosk_keypad, GTK_TYPE_WIDGET)

static void
fr_kiosk_keypad_dispose (GObject *object)
{
  FrKioskKeypad *self = FR_KIOSK_KEYPAD (object);

  g_clear_pointer (&self->grid, gtk_widget_unparent);
  G_OBJECT_CLASS (fr_kiosk_keypad_parent_class)->dispose (object);
}

static void
press_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  const char *key = g_variant_get_string (parameter, NULL);

  if (g_str_equal (key, FR_KIOSK_KEYPAD_DELETE) || g_str_equal (key, "+")
      || (key[0] >= '0' && key[0] <= '9' && key[1] == '\0'))
    g_signal_emit (widget, signals[PRESSED], 0, key);
}

static void
fr_kiosk_keypad_class_init (FrKioskKeypadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fr_kiosk_keypad_dispose;

  /**
   * FrKioskKeypad::pressed:
   * @key: "0"…"9", "+" or "delete"
   */
  signals[PRESSED] = g_signal_new ("pressed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "keypad.press", "s", press_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fr-keypad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fr_kiosk_keypad_init (FrKioskKeypad *self)
{
  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 12);
  gtk_grid_set_row_homogeneous (GTK_GRID (self->grid), TRUE);
  gtk_grid_set_column_homogeneous (GTK_GRID (self->grid), TRUE);
  gtk_widget_set_halign (self->grid, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (self->grid, GTK_WIDGET (self));
  /* Digits keep their phone-pad order in right-to-left languages too. */
  gtk_widget_set_direction (self->grid, GTK_TEXT_DIR_LTR);
}

static void
add_key (FrKioskKeypad *self,
         const char    *key,
         const char    *shown,
         const char    *name,
         int            column,
         int            row)
{
  GtkWidget *button = gtk_button_new_with_label (shown);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "keypad.press");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", key);
  gtk_widget_add_css_class (button, "fr-key");
  fr_kiosk_a11y_set_name (button, name);
  gtk_grid_attach (GTK_GRID (self->grid), button, column, row, 1, 1);
}

/**
 * fr_kiosk_keypad_new:
 * @with_plus: whether to offer "+" (phone numbers)
 */
GtkWidget *
fr_kiosk_keypad_new (gboolean with_plus)
{
  FrKioskKeypad *self = g_object_new (FR_TYPE_KIOSK_KEYPAD, NULL);

  for (int i = 1; i <= 9; i++)
    {
      char key[2] = { '0' + i, '\0' };

      add_key (self, key, key, key, (i - 1) % 3, (i - 1) / 3);
    }
  if (with_plus)
    /* Translators: the accessible name of the "+" key of the phone number pad */
    add_key (self, "+", "+", _("Plus"), 0, 3);
  add_key (self, "0", "0", "0", 1, 3);
  /* Translators: the accessible name of the key that removes the last digit */
  add_key (self, FR_KIOSK_KEYPAD_DELETE, "⌫", _("Delete the last digit"), 2, 3);
  return GTK_WIDGET (self);
}
