/* fr-kiosk-pin.c — unlocking assisted mode or the maintenance screen with a PIN */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-keyboard.h"
#include "fr-kiosk-keypad.h"
#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-pin.h"
#include "fr-pin-lock.h"

struct _FrKioskPin
{
  GtkWidget       parent_instance;

  FrKioskContext *context;
  FrKioskPinMode  mode;
  FrSecret       *pin;       /* FR_KIOSK_PIN_MAX_LENGTH digits */
  gsize           pin_len;
  const char     *channel;   /* chosen: FR_KIOSK_CHANNEL_ASSISTED or _HOTLINE */

  GtkStack       *stack;
  GtkLabel       *pin_title;
  GtkLabel       *dots;
  GtkLabel       *pin_error;
  GtkWidget      *keypad_box;
  GtkWidget      *volunteer;
  GtkWidget      *assisted_button;
  GtkWidget      *hotline_button;
  GtkLabel       *volunteer_error;
  GtkWidget      *keyboard;  /* under the volunteer id, or NULL (on-screen-keyboard=never) */

  GCancellable   *checking;  /* while a PIN is being checked, in a worker thread */
  FrPinLock      *lock;      /* wrong PINs and lockouts, kept in the state directory */
  guint           countdown; /* while locked: the message updated every second */
  gboolean        locked_shown;
};

enum { ASSISTED, MAINTENANCE, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FrKioskPin, fr_kiosk_pin, GTK_TYPE_WIDGET)

static void
update_dots (FrKioskPin *self)
{
  g_autoptr(GString) dots = g_string_new (NULL);

  for (gsize i = 0; i < self->pin_len; i++)
    g_string_append (dots, "●");
  gtk_label_set_text (self->dots, dots->str);
}

static void
clear_pin (FrKioskPin *self)
{
  sodium_memzero (self->pin->data, self->pin->len);
  self->pin_len = 0;
  update_dots (self);
}

static void
on_key (FrKioskKeypad *keypad,
        const char    *key,
        FrKioskPin    *self)
{
  if (g_str_equal (key, FR_KIOSK_KEYPAD_DELETE))
    {
      if (self->pin_len > 0)
        self->pin->data[--self->pin_len] = 0;
    }
  else if (key[0] >= '0' && key[0] <= '9' && self->pin_len < FR_KIOSK_PIN_MAX_LENGTH)
    self->pin->data[self->pin_len++] = key[0];
  gtk_label_set_text (self->pin_error, "");
  update_dots (self);
}

/* A PIN on its way to Argon2id: a copy in guarded memory, and the site's hash. */
typedef struct
{
  FrSecret *pin;
  gsize     pin_len;
  char     *hash;
} PinCheck;

static void
pin_check_free (PinCheck *check)
{
  fr_secret_free (check->pin);
  g_free (check->hash);
  g_free (check);
}

static void
check_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  PinCheck *check = data;

  g_task_return_boolean (task, fr_site_check_pin (check->hash, (const char *) check->pin->data, check->pin_len));
}

static FrPinLockPad
lock_pad (FrKioskPin *self)
{
  return self->mode == FR_KIOSK_PIN_MAINTENANCE ? FR_PIN_LOCK_MAINTENANCE : FR_PIN_LOCK_ASSISTED;
}

static gboolean update_lock (FrKioskPin *self);

static gboolean
on_countdown (gpointer data)
{
  FrKioskPin *self = data;

  if (update_lock (self))
    return G_SOURCE_CONTINUE;
  self->countdown = 0;
  return G_SOURCE_REMOVE;
}

/* Keypad and Unlock off while a PIN is checked or the pad is locked; while locked, the
 * time left is shown and counted down. Returns whether the pad is locked. */
static gboolean
update_lock (FrKioskPin *self)
{
  gint64 remaining = fr_pin_lock_remaining (self->lock, lock_pad (self));
  gboolean usable = remaining == 0 && self->checking == NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_sensitive (self->keypad_box, usable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pin.unlock", usable);
  if (remaining == 0)
    {
      if (self->locked_shown)
        gtk_label_set_text (self->pin_error, "");
      self->locked_shown = FALSE;
      return FALSE;
    }
  /* Translators: the PIN pad is locked after wrong PINs; %u:%02u is minutes:seconds left, e.g. 14:59 */
  text = g_strdup_printf (_("Too many wrong PINs. Try again in %u:%02u."),
                          (guint) (remaining / 60), (guint) (remaining % 60));
  gtk_label_set_text (self->pin_error, text);
  self->locked_shown = TRUE;
  /* Stops itself once the lock is over (on_countdown). */
  if (self->countdown == 0)
    self->countdown = g_timeout_add (1000, on_countdown, self);
  return TRUE;
}

static void
set_checking (FrKioskPin *self,
              gboolean    checking)
{
  if (!checking)
    g_clear_object (&self->checking);
  update_lock (self);
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  FrKioskPin *self = FR_KIOSK_PIN (source);
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  /* Cancelled, or no longer on screen: it was left (quick exit) while the PIN was checked. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;
  if (!ok)
    {
      /* Counted (and saved) before anything on screen says the PIN was wrong. */
      gint64 locked = fr_pin_lock_failed (self->lock, lock_pad (self));

      g_message ("%s PIN refused", self->mode == FR_KIOSK_PIN_MAINTENANCE ? "maintenance" : "assisted");
      set_checking (self, FALSE);
      if (locked == 0)
        /* Translators: the PIN was wrong */
        gtk_label_set_text (self->pin_error, _("That PIN is not right."));
      return;
    }
  fr_pin_lock_succeeded (self->lock, lock_pad (self));
  set_checking (self, FALSE);
  if (self->mode == FR_KIOSK_PIN_MAINTENANCE)
    {
      g_message ("maintenance screen unlocked");
      g_signal_emit (self, signals[MAINTENANCE], 0);
      return;
    }
  g_message ("assisted mode unlocked");
  gtk_stack_set_visible_child_name (self->stack, "volunteer");
  gtk_widget_grab_focus (self->volunteer);
}

/* Argon2id takes a noticeable fraction of a second: it runs in a worker thread, so the
 * window (and its quick exit) never waits for it. */
static void
unlock_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FrKioskPin *self = FR_KIOSK_PIN (widget);
  const FrSite *site = fr_kiosk_context_get_site (self->context);
  const char *hash = self->mode == FR_KIOSK_PIN_MAINTENANCE ? site->maintenance_pin : site->assisted_pin;
  g_autoptr(GTask) task = NULL;
  PinCheck *check;

  if (self->checking != NULL)
    return;
  if (update_lock (self))
    {
      clear_pin (self);
      return;
    }
  /* Too short, too long or not digits: no site hash is of such a PIN. Not counted, as no
   * hash was tried. */
  if (hash == NULL || !fr_site_pin_is_well_formed ((const char *) self->pin->data, self->pin_len))
    {
      clear_pin (self);
      gtk_label_set_text (self->pin_error, _("That PIN is not right."));
      return;
    }
  check = g_new0 (PinCheck, 1);
  check->pin = fr_secret_new (FR_KIOSK_PIN_MAX_LENGTH);
  memcpy (check->pin->data, self->pin->data, self->pin_len);
  check->pin_len = self->pin_len;
  check->hash = g_strdup (hash);
  clear_pin (self);

  self->checking = g_cancellable_new ();
  set_checking (self, TRUE);
  task = g_task_new (self, self->checking, on_checked, NULL);
  g_task_set_source_tag (task, unlock_action);
  g_task_set_task_data (task, check, (GDestroyNotify) pin_check_free);
  g_task_run_in_thread (task, check_in_thread);
}

/**
 * fr_kiosk_pin_is_checking:
 *
 * Returns: whether a PIN is being checked now (the keypad is off meanwhile).
 */
gboolean
fr_kiosk_pin_is_checking (FrKioskPin *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_PIN (self), FALSE);
  return self->checking != NULL;
}

static void
channel_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FrKioskPin *self = FR_KIOSK_PIN (widget);
  const char *channel = g_variant_get_string (parameter, NULL);

  if (g_str_equal (channel, FR_KIOSK_CHANNEL_HOTLINE))
    self->channel = FR_KIOSK_CHANNEL_HOTLINE;
  else
    self->channel = FR_KIOSK_CHANNEL_ASSISTED;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->assisted_button), g_str_equal (self->channel, FR_KIOSK_CHANNEL_ASSISTED));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->hotline_button), g_str_equal (self->channel, FR_KIOSK_CHANNEL_HOTLINE));
  /* The error asked for this: it no longer applies. */
  gtk_label_set_text (self->volunteer_error, "");
}

/* Typing the volunteer id answers "give your volunteer id": the error goes. */
static void
on_volunteer_changed (FrKioskPin *self)
{
  gtk_label_set_text (self->volunteer_error, "");
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FrKioskPin *self = FR_KIOSK_PIN (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->volunteer));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "volunteer") != 0)
    return;
  if (self->channel == NULL || text[0] == '\0')
    {
      /* Translators: the volunteer id or the channel is missing */
      gtk_label_set_text (self->volunteer_error, _("Give your volunteer id and choose who the intake is for."));
      return;
    }
  g_signal_emit (self, signals[ASSISTED], 0);
}

static void
fr_kiosk_pin_dispose (GObject *object)
{
  FrKioskPin *self = FR_KIOSK_PIN (object);

  if (self->checking != NULL)
    g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);
  g_clear_handle_id (&self->countdown, g_source_remove);
  g_clear_pointer (&self->lock, fr_pin_lock_free);
  if (self->volunteer != NULL)
    fr_kiosk_wipe_text_widgets (self->volunteer);
  gtk_widget_dispose_template (GTK_WIDGET (object), FR_TYPE_KIOSK_PIN);
  self->volunteer = NULL;
  g_clear_pointer (&self->pin, fr_secret_free);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (fr_kiosk_pin_parent_class)->dispose (object);
}

/* Taken off the screen: a check still running is forgotten. */
static void
fr_kiosk_pin_unroot (GtkWidget *widget)
{
  FrKioskPin *self = FR_KIOSK_PIN (widget);

  if (self->checking != NULL)
    g_cancellable_cancel (self->checking);
  GTK_WIDGET_CLASS (fr_kiosk_pin_parent_class)->unroot (widget);
}

static void
fr_kiosk_pin_class_init (FrKioskPinClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = fr_kiosk_pin_dispose;
  widget_class->unroot = fr_kiosk_pin_unroot;

  /* Assisted mode: the volunteer id and channel are ready (fr_kiosk_pin_apply). */
  signals[ASSISTED] = g_signal_new ("assisted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The maintenance PIN was right. */
  signals[MAINTENANCE] = g_signal_new ("maintenance", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/se/fristad/kiosk/fr-kiosk-pin.ui");
  gtk_widget_class_bind_template_child (widget_class, FrKioskPin, stack);
  gtk_widget_class_bind_template_child (widget_class, FrKioskPin, pin_title);
  gtk_widget_class_bind_template_child (widget_class, FrKioskPin, dots);
  gtk_widget_class_bind_template_child (widget_class, FrKioskPin, pin_error);
  gtk_widget_class_bind_template_child (widget_class, FrKioskPin, keypad_box);
  gtk_widget_class_bind_template_child (widget_class, FrKioskPin, volunteer);
  gtk_widget_class_bind_template_child (widget_class, FrKioskPin, assisted_button);
  gtk_widget_class_bind_template_child (widget_class, FrKioskPin, hotline_button);
  gtk_widget_class_bind_template_child (widget_class, FrKioskPin, volunteer_error);

  gtk_widget_class_install_action (widget_class, "pin.unlock", NULL, unlock_action);
  gtk_widget_class_install_action (widget_class, "pin.channel", "s", channel_action);
  gtk_widget_class_install_action (widget_class, "pin.start", NULL, start_action);
  gtk_widget_class_set_css_name (widget_class, "fr-pin");
}

static void
fr_kiosk_pin_init (FrKioskPin *self)
{
  GtkWidget *keypad;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->pin = fr_secret_new (FR_KIOSK_PIN_MAX_LENGTH);
  keypad = fr_kiosk_keypad_new (FALSE);
  g_signal_connect (keypad, "pressed", G_CALLBACK (on_key), self);
  gtk_box_append (GTK_BOX (self->keypad_box), keypad);
  gtk_widget_set_hexpand (keypad, TRUE);
  fr_kiosk_lockdown_text (self->volunteer);
  g_signal_connect_swapped (self->volunteer, "changed", G_CALLBACK (on_volunteer_changed), self);
  fr_kiosk_lockdown_label (self->pin_title);
  fr_kiosk_lockdown_label (self->dots);
  fr_kiosk_lockdown_label (self->pin_error);
  fr_kiosk_lockdown_label (self->volunteer_error);
}

GtkWidget *
fr_kiosk_pin_new (FrKioskContext *context,
                  FrKioskPinMode  mode)
{
  FrKioskPin *self;

  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (context), NULL);

  self = g_object_new (FR_TYPE_KIOSK_PIN, NULL);
  self->context = g_object_ref (context);
  self->mode = mode;
  self->lock = fr_pin_lock_open (fr_kiosk_context_get_site (context)->state_dir, NULL, NULL);
  update_lock (self);
  if (mode == FR_KIOSK_PIN_ASSISTED && fr_kiosk_context_get_site (context)->on_screen_keyboard)
    {
      GtkWidget *page = gtk_widget_get_parent (self->volunteer);
      GtkWidget *channels = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);

      /* The volunteer id is typed on the kiosk's keyboard, right under it (Latin
       * letters: no session language yet); the two channels side by side, so Start
       * stays on screen. */
      self->keyboard = fr_kiosk_keyboard_new (fr_kiosk_context_get_keyboards (context), NULL);
      fr_kiosk_keyboard_set_target (FR_KIOSK_KEYBOARD (self->keyboard), self->volunteer);
      gtk_widget_insert_after (self->keyboard, page, self->volunteer);
      gtk_box_set_homogeneous (GTK_BOX (channels), TRUE);
      gtk_widget_insert_before (channels, page, self->assisted_button);
      for (guint i = 0; i < 2; i++)
        {
          GtkWidget *button = g_object_ref (i == 0 ? self->assisted_button : self->hotline_button);

          gtk_box_remove (GTK_BOX (page), button);
          gtk_box_append (GTK_BOX (channels), button);
          g_object_unref (button);
        }
    }
  gtk_label_set_text (self->pin_title, mode == FR_KIOSK_PIN_MAINTENANCE
                      /* Translators: PIN screen title */
                      ? _("Maintenance PIN")
                      /* Translators: PIN screen title */
                      : _("Volunteer PIN"));
  return GTK_WIDGET (self);
}

/**
 * fr_kiosk_pin_apply:
 * @session: the session the volunteer takes
 *
 * Sets the channel and the volunteer id on @session and empties the entry.
 *
 * Returns: %FALSE if the volunteer id is not acceptable (the screen says so).
 */
gboolean
fr_kiosk_pin_apply (FrKioskPin     *self,
                    FrKioskSession *session)
{
  const char *text;
  gboolean ok;

  g_return_val_if_fail (FR_IS_KIOSK_PIN (self), FALSE);

  text = gtk_editable_get_text (GTK_EDITABLE (self->volunteer));
  ok = self->channel != NULL && fr_kiosk_session_set_assisted (session, self->channel, text, strlen (text));
  if (!ok)
    {
      /* Translators: the volunteer id is too long or has odd characters */
      gtk_label_set_text (self->volunteer_error, _("The volunteer id must be 1 to 64 characters."));
      return FALSE;
    }
  fr_kiosk_wipe_text_widgets (self->volunteer);
  gtk_label_set_text (self->volunteer_error, "");
  return TRUE;
}

/* The on-screen keyboard under the volunteer id (assisted mode), or %NULL. */
GtkWidget *
fr_kiosk_pin_get_keyboard (FrKioskPin *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_PIN (self), NULL);
  return self->keyboard;
}

GtkWidget *
fr_kiosk_pin_get_volunteer_entry (FrKioskPin *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_PIN (self), NULL);
  return self->volunteer;
}
