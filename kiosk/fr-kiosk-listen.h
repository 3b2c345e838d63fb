/* fr-kiosk-listen.h — read-aloud: what the Listen button says on each screen
 *
 * Finds the clips of the screen shown (kiosk/fr-clips.h) and plays them with an
 * FrKioskAudio: a topic paragraph by paragraph, highlighting the one being read, then the
 * numbers of its contacts digit by digit; on the home screen the topics' titles; a
 * question with its help and options; consent with its two answers; the receipt code
 * character by character, slowly, twice. A language with no clips has no voice: the
 * window then shows no Listen button. "Read every screen aloud" (per session) reads each
 * screen as it opens. On a site with read-aloud=headphones nothing is read without
 * headphones (fr-kiosk-headphones.h, and then only into them); instead ::needs-headphones,
 * and the notice is said quietly once a session.
 */
#pragma once

#include <gtk/gtk.h>

#include "fr-kiosk-audio.h"
#include "fr-kiosk-context.h"

G_BEGIN_DECLS

#define FR_TYPE_KIOSK_LISTEN (fr_kiosk_listen_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskListen, fr_kiosk_listen, FR, KIOSK_LISTEN, GObject)

FrKioskListen *fr_kiosk_listen_new        (FrKioskContext *context);
gboolean       fr_kiosk_listen_has_voice  (FrKioskListen  *self,
                                           const char     *lang);
gboolean       fr_kiosk_listen_any_voice  (FrKioskListen  *self);
/* Reads @page (a session screen) aloud in @lang; FALSE if there is nothing to say. */
gboolean       fr_kiosk_listen_screen     (FrKioskListen  *self,
                                           GtkWidget      *page,
                                           const char     *lang);
/* The welcome screen's listen mode: @lang's own name and its greeting. */
gboolean       fr_kiosk_listen_language   (FrKioskListen  *self,
                                           const char     *lang);
void           fr_kiosk_listen_stop       (FrKioskListen  *self);
gboolean       fr_kiosk_listen_is_playing (FrKioskListen  *self);
FrKioskAudio  *fr_kiosk_listen_get_audio  (FrKioskListen  *self);
void           fr_kiosk_listen_set_read_all (FrKioskListen *self,
                                           gboolean        read_all);
gboolean       fr_kiosk_listen_get_read_all (FrKioskListen *self);
gboolean       fr_kiosk_listen_screen_opened (FrKioskListen *self,
                                           GtkWidget      *page,
                                           const char     *lang);
void           fr_kiosk_listen_end_session (FrKioskListen  *self);
FrKioskAudio  *fr_kiosk_listen_get_notice_audio (FrKioskListen *self);

G_END_DECLS
