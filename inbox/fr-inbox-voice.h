/* fr-inbox-voice.h — the voice message of an open record: play/pause and a position bar
 *
 * A play/pause button, a seekable position bar (arrow keys move a second, Page Up/Down
 * five, Home/End to either end) and the elapsed and total time. The message plays from
 * guarded memory through FrVoicePlayer (audio/): nothing is written to disk, and
 * fr_inbox_voice_clear() — called when the record view closes the record, when the inbox
 * locks (on demand, when idle, with the session) and on dispose — wipes the message and
 * everything decoded from it at once.
 */
#pragma once

#include <adwaita.h>

#include "fr-voice-player.h"

G_BEGIN_DECLS

#define FR_TYPE_INBOX_VOICE (fr_inbox_voice_get_type ())

G_DECLARE_FINAL_TYPE (FrInboxVoice, fr_inbox_voice, FR, INBOX_VOICE, GtkWidget)

GtkWidget     *fr_inbox_voice_new         (void);
/* Takes a copy of @ogg (into guarded memory); FALSE, with the reason shown, when it is
 * not a voice message that can be played. */
gboolean       fr_inbox_voice_set_message (FrInboxVoice  *self,
                                           const guint8  *ogg,
                                           gsize          len,
                                           GError       **error);
/* Stops, and wipes the message and what was decoded of it. */
void           fr_inbox_voice_clear       (FrInboxVoice  *self);
/* Tests: the player (NULL once cleared). */
FrVoicePlayer *fr_inbox_voice_get_player  (FrInboxVoice  *self);

G_END_DECLS
