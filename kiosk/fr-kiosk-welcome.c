/* fr-kiosk-welcome.c — the language picker */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-i18n.h"
#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-welcome.h"

/* Discreet on purpose: someone across the room may be watching. */
static const char greeting_msgid[] = N_("Help and information");
static const char subtitle_msgid[] = N_("Choose your language");

typedef struct
{
  char           *greeting;
  char           *subtitle;
  FrTextDirection direction;
} Greeting;

struct _FrKioskWelcome
{
  GtkWidget   parent_instance;

  GArray     *greetings;   /* Greeting, one per offered language with a translation */
  guint       shown;
  guint       cycle_source;

  GtkWidget  *scroller;
  GtkStack   *greetings_stack;   /* a page per greeting */
  GtkFlowBox *languages;
};

G_DEFINE_FINAL_TYPE (FrKioskWelcome, fr_kiosk_welcome, GTK_TYPE_WIDGET)

static void
greeting_clear (gpointer data)
{
  Greeting *g = data;

  g_free (g->greeting);
  g_free (g->subtitle);
}

static GtkWidget *
greeting_label (const char     *text,
                const char     *css_class,
                FrTextDirection direction)
{
  GtkWidget *label = gtk_label_new (text);

  fr_kiosk_lockdown_label (GTK_LABEL (label));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (label, css_class);
  gtk_widget_set_direction (label, direction == FR_TEXT_DIRECTION_RTL ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
  return label;
}

static void
add_greeting_page (FrKioskWelcome *self,
                   const Greeting *g)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), greeting_label (g->greeting, "fr-greeting", g->direction));
  gtk_box_append (GTK_BOX (box), greeting_label (g->subtitle, "fr-greeting-sub", g->direction));
  gtk_stack_add_child (self->greetings_stack, box);
}

static void
show_greeting (FrKioskWelcome *self)
{
  GtkWidget *page = gtk_widget_get_first_child (GTK_WIDGET (self->greetings_stack));

  if (self->greetings->len == 0)
    return;
  for (guint i = 0; page != NULL && i < self->shown % self->greetings->len; i++)
    page = gtk_widget_get_next_sibling (page);
  if (page != NULL)
    gtk_stack_set_visible_child (self->greetings_stack, page);
}

static gboolean
cycle (gpointer user_data)
{
  FrKioskWelcome *self = user_data;

  self->shown++;
  show_greeting (self);
  return G_SOURCE_CONTINUE;
}

static void
fr_kiosk_welcome_dispose (GObject *object)
{
  FrKioskWelcome *self = FR_KIOSK_WELCOME (object);

  g_clear_handle_id (&self->cycle_source, g_source_remove);
  g_clear_pointer (&self->greetings, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), FR_TYPE_KIOSK_WELCOME);
  G_OBJECT_CLASS (fr_kiosk_welcome_parent_class)->dispose (object);
}

static void
fr_kiosk_welcome_class_init (FrKioskWelcomeClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = fr_kiosk_welcome_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/se/fristad/kiosk/fr-kiosk-welcome.ui");
  gtk_widget_class_bind_template_child (widget_class, FrKioskWelcome, scroller);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWelcome, greetings_stack);
  gtk_widget_class_bind_template_child (widget_class, FrKioskWelcome, languages);
  gtk_widget_class_set_css_name (widget_class, "fr-welcome");
}

static void
fr_kiosk_welcome_init (FrKioskWelcome *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->greetings = g_array_new (FALSE, TRUE, sizeof (Greeting));
  g_array_set_clear_func (self->greetings, greeting_clear);
}

GtkWidget *
fr_kiosk_welcome_new (FrKioskContext *context)
{
  FrKioskWelcome *self;
  const FrContent *content;
  const char *const *langs;

  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (context), NULL);

  self = g_object_new (FR_TYPE_KIOSK_WELCOME, NULL);
  content = fr_kiosk_context_get_content (context);
  langs = fr_kiosk_context_get_languages (context);

  for (guint i = 0; langs[i]; i++)
    {
      const char *name = fr_content_get_language_name (content, langs[i]);
      const char *english = fr_content_get_language_english_name (content, langs[i]);
      FrTextDirection direction = fr_content_get_language_direction (content, langs[i]);
      GtkWidget *button = gtk_button_new ();
      GtkWidget *label = fr_kiosk_label_new (name, "fr-language-name");
      g_autofree char *accessible = NULL;
      Greeting g = { 0 };

      gtk_label_set_xalign (GTK_LABEL (label), 0.5);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_widget_set_direction (label, direction == FR_TEXT_DIRECTION_RTL ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "kiosk.language");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", langs[i]);
      gtk_widget_add_css_class (button, "fr-language-button");
      accessible = g_strcmp0 (name, english) == 0 ? g_strdup (name) : g_strdup_printf ("%s (%s)", name, english);
      fr_kiosk_a11y_set_name (button, accessible);
      gtk_widget_set_name (button, langs[i]);
      gtk_flow_box_append (self->languages, button);
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);

      g.greeting = fr_kiosk_i18n_translate_for (langs[i], greeting_msgid);
      g.subtitle = fr_kiosk_i18n_translate_for (langs[i], subtitle_msgid);
      g.direction = direction;
      if (g.greeting != NULL && g.subtitle != NULL)
        g_array_append_val (self->greetings, g);
      else
        greeting_clear (&g);
    }
  if (self->greetings->len == 0)
    {
      Greeting g = { g_strdup (greeting_msgid), g_strdup (subtitle_msgid), FR_TEXT_DIRECTION_LTR };

      g_array_append_val (self->greetings, g);
    }
  for (guint i = 0; i < self->greetings->len; i++)
    add_greeting_page (self, &g_array_index (self->greetings, Greeting, i));
  show_greeting (self);
  if (self->greetings->len > 1)
    self->cycle_source = g_timeout_add_seconds (FR_KIOSK_WELCOME_CYCLE_SECONDS, cycle, self);
  return GTK_WIDGET (self);
}
