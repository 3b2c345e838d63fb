/* fr-kiosk-topic.c — an information page: a topic, or the contacts of a home tile */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fr-kiosk-a11y.h"
#include "fr-kiosk-lockdown.h"
#include "fr-kiosk-topic.h"

struct _FrKioskTopic
{
  GtkWidget  parent_instance;
  GtkWidget *scroller;
  GtkWidget *box;
  GtkLabel  *title;
  GtkWidget *paragraphs;
  GtkWidget *contacts;
  GtkLabel  *footer;
};

G_DEFINE_FINAL_TYPE (FrKioskTopic, fr_kiosk_topic, GTK_TYPE_WIDGET)

static void
fr_kiosk_topic_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FR_TYPE_KIOSK_TOPIC);
  G_OBJECT_CLASS (fr_kiosk_topic_parent_class)->dispose (object);
}

static void
fr_kiosk_topic_class_init (FrKioskTopicClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = fr_kiosk_topic_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/se/fristad/kiosk/fr-kiosk-topic.ui");
  gtk_widget_class_bind_template_child (widget_class, FrKioskTopic, scroller);
  gtk_widget_class_bind_template_child (widget_class, FrKioskTopic, box);
  gtk_widget_class_bind_template_child (widget_class, FrKioskTopic, title);
  gtk_widget_class_bind_template_child (widget_class, FrKioskTopic, paragraphs);
  gtk_widget_class_bind_template_child (widget_class, FrKioskTopic, contacts);
  gtk_widget_class_bind_template_child (widget_class, FrKioskTopic, footer);
  gtk_widget_class_set_css_name (widget_class, "fr-topic");
}

static void
fr_kiosk_topic_init (FrKioskTopic *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fr_kiosk_lockdown_label (self->title);
  fr_kiosk_lockdown_label (self->footer);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->title), GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);
}

/**
 * fr_kiosk_topic_contact_card:
 *
 * Returns: (transfer floating): a contact: name, the phone number large, hours, note.
 */
GtkWidget *
fr_kiosk_topic_contact_card (FrKioskContext  *context,
                             const char      *lang,
                             const FrContact *contact)
{
  const FrSite *site = fr_kiosk_context_get_site (context);
  g_autofree char *name = fr_site_contact_text (site, contact, "name", lang);
  g_autofree char *hours = fr_site_contact_text (site, contact, "hours", lang);
  g_autofree char *note = fr_site_contact_text (site, contact, "note", lang);
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *phone;

  gtk_widget_add_css_class (card, "fr-contact");
  gtk_box_append (GTK_BOX (card), fr_kiosk_label_new (name, "fr-contact-name"));
  phone = fr_kiosk_label_new (contact->phone, "fr-contact-phone");
  /* Numbers read left to right in every language. */
  gtk_widget_set_direction (phone, GTK_TEXT_DIR_LTR);
  if (gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL)
    gtk_label_set_xalign (GTK_LABEL (phone), 1.0);
  gtk_box_append (GTK_BOX (card), phone);
  if (hours != NULL)
    gtk_box_append (GTK_BOX (card), fr_kiosk_label_new (hours, "fr-body"));
  if (note != NULL)
    gtk_box_append (GTK_BOX (card), fr_kiosk_label_new (note, "fr-note"));
  return card;
}

static void
add_contact_once (FrKioskTopic    *self,
                  FrKioskContext  *context,
                  const char      *lang,
                  const FrContact *contact,
                  GHashTable      *seen)
{
  if (contact == NULL || g_hash_table_contains (seen, contact))
    return;
  g_hash_table_add (seen, (gpointer) contact);
  gtk_box_append (GTK_BOX (self->contacts), fr_kiosk_topic_contact_card (context, lang, contact));
}

static void
add_contacts (FrKioskTopic       *self,
              FrKioskContext     *context,
              const char         *lang,
              const char *const  *ids)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (guint i = 0; ids && ids[i]; i++)
    {
      if (g_str_has_prefix (ids[i], FR_CONTENT_TILE_PREFIX))
        {
          g_autoptr(GPtrArray) tile = fr_kiosk_context_contacts_for_tile (context, ids[i] + strlen (FR_CONTENT_TILE_PREFIX));

          for (guint j = 0; j < tile->len; j++)
            add_contact_once (self, context, lang, g_ptr_array_index (tile, j), seen);
        }
      else
        add_contact_once (self, context, lang, fr_kiosk_context_find_contact (context, ids[i]), seen);
    }
  gtk_widget_set_visible (self->contacts, gtk_widget_get_first_child (self->contacts) != NULL);
}

static void
add_paragraphs (FrKioskTopic   *self,
                FrKioskContext *context,
                const char     *lang,
                const FrTopic  *topic)
{
  g_autofree char *site_name = fr_site_get_name (fr_kiosk_context_get_site (context), lang);
  const char *vars[] = { "site", site_name, NULL };

  for (guint i = 0; topic->paragraphs[i]; i++)
    {
      g_autofree char *text = fr_content_expand (topic->paragraphs[i], vars);
      GtkWidget *label = fr_kiosk_label_new (text, "fr-body");

      if (g_str_has_prefix (text, "• "))
        gtk_widget_add_css_class (label, "fr-list-item");
      gtk_box_append (GTK_BOX (self->paragraphs), label);
    }
}

/**
 * fr_kiosk_topic_new:
 * @lang: the session's language
 * @topic: the topic in that language
 */
GtkWidget *
fr_kiosk_topic_new (FrKioskContext *context,
                    const char     *lang,
                    const FrTopic  *topic)
{
  FrKioskTopic *self;
  g_autofree char *footer = NULL;

  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (context), NULL);
  g_return_val_if_fail (topic != NULL, NULL);

  self = g_object_new (FR_TYPE_KIOSK_TOPIC, NULL);
  gtk_label_set_text (self->title, topic->title);
  add_paragraphs (self, context, lang, topic);
  add_contacts (self, context, lang, topic->contacts);
  /* Translators: under a topic: the date its facts were checked, and its version */
  footer = g_strdup_printf (_("Checked %s · version %u"), topic->reviewed ? topic->reviewed : "", topic->version);
  gtk_label_set_text (self->footer, footer);
  gtk_widget_set_name (GTK_WIDGET (self), topic->id);
  return GTK_WIDGET (self);
}

/**
 * fr_kiosk_topic_new_for_tile:
 * @tile: "help-now" or "talk"
 *
 * The page behind a contact tile of the home screen: for "help-now" the emergency
 * topic's text if the content has one, then the tile's contacts, and a reminder that
 * the staff on site can help too.
 */
GtkWidget *
fr_kiosk_topic_new_for_tile (FrKioskContext *context,
                             const char     *lang,
                             const char     *tile)
{
  const FrContent *content = fr_kiosk_context_get_content (context);
  g_autofree char *tile_id = g_strconcat (FR_CONTENT_TILE_PREFIX, tile, NULL);
  const char *ids[] = { tile_id, NULL };
  const FrTopic *emergency = NULL;
  FrKioskTopic *self;

  g_return_val_if_fail (FR_IS_KIOSK_CONTEXT (context), NULL);

  self = g_object_new (FR_TYPE_KIOSK_TOPIC, NULL);
  if (g_str_equal (tile, "help-now"))
    {
      emergency = fr_content_get_topic (content, lang, "emergency");
      /* Translators: title of the page behind the "I need help now" tile */
      gtk_label_set_text (self->title, emergency ? emergency->title : _("Help now"));
      if (emergency != NULL)
        add_paragraphs (self, context, lang, emergency);
      gtk_box_append (GTK_BOX (self->paragraphs),
                      /* Translators: on the "I need help now" page */
                      fr_kiosk_label_new (_("You can also ask a member of staff here for help."), "fr-body"));
    }
  else
    {
      /* Translators: title of the page behind the "Talk to someone" tile */
      gtk_label_set_text (self->title, _("Talk to someone"));
      gtk_box_append (GTK_BOX (self->paragraphs),
                      /* Translators: on the "Talk to someone" page */
                      fr_kiosk_label_new (_("You can call these numbers. Ask for an interpreter if you need one."), "fr-body"));
    }
  add_contacts (self, context, lang, ids);
  if (emergency != NULL)
    {
      g_autofree char *footer = g_strdup_printf (_("Checked %s · version %u"), emergency->reviewed ? emergency->reviewed : "", emergency->version);

      gtk_label_set_text (self->footer, footer);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->footer), FALSE);
  gtk_widget_set_name (GTK_WIDGET (self), tile);
  return GTK_WIDGET (self);
}

/**
 * fr_kiosk_topic_set_embedded:
 *
 * For a topic shown inside another scrolling page: no scrolling of its own.
 */
void
fr_kiosk_topic_set_embedded (FrKioskTopic *self)
{
  g_return_if_fail (FR_IS_KIOSK_TOPIC (self));

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
}

/**
 * fr_kiosk_topic_set_reading:
 * @paragraph: the index of the paragraph being read aloud, or -1 for none
 *
 * Highlights the paragraph being read (read-aloud, FrKioskListen).
 */
void
fr_kiosk_topic_set_reading (FrKioskTopic *self,
                            int           paragraph)
{
  int i = 0;

  g_return_if_fail (FR_IS_KIOSK_TOPIC (self));

  for (GtkWidget *child = gtk_widget_get_first_child (self->paragraphs); child; child = gtk_widget_get_next_sibling (child), i++)
    {
      if (i == paragraph)
        gtk_widget_add_css_class (child, "fr-reading");
      else
        gtk_widget_remove_css_class (child, "fr-reading");
    }
}

/* The label of paragraph @index, or NULL (tests). */
GtkWidget *
fr_kiosk_topic_get_paragraph (FrKioskTopic *self,
                              guint         index)
{
  GtkWidget *child;

  g_return_val_if_fail (FR_IS_KIOSK_TOPIC (self), NULL);

  child = gtk_widget_get_first_child (self->paragraphs);
  for (guint i = 0; child != NULL && i < index; i++)
    child = gtk_widget_get_next_sibling (child);
  return child;
}
