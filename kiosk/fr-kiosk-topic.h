/* fr-kiosk-topic.h — an information page: a topic, or the contacts of a home tile
 *
 * Large type, one paragraph a line as the content has it, scrollable; the contacts the
 * topic names (name, phone, hours, note from kiosk.conf, localized) below the text; the
 * review date and version at the bottom.
 */
#pragma once

#include <gtk/gtk.h>

#include "fr-kiosk-context.h"

G_BEGIN_DECLS

#define FR_TYPE_KIOSK_TOPIC (fr_kiosk_topic_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskTopic, fr_kiosk_topic, FR, KIOSK_TOPIC, GtkWidget)

GtkWidget *fr_kiosk_topic_new          (FrKioskContext *context,
                                        const char     *lang,
                                        const FrTopic  *topic);
GtkWidget *fr_kiosk_topic_new_for_tile (FrKioskContext *context,
                                        const char     *lang,
                                        const char     *tile);
void       fr_kiosk_topic_set_embedded (FrKioskTopic   *self);
void       fr_kiosk_topic_set_reading  (FrKioskTopic   *self,
                                        int             paragraph);
GtkWidget *fr_kiosk_topic_get_paragraph (FrKioskTopic  *self,
                                        guint           index);
GtkWidget *fr_kiosk_topic_contact_card (FrKioskContext  *context,
                                        const char      *lang,
                                        const FrContact *contact);

G_END_DECLS
