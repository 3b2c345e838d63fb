/* fr-ogg.h — a strict check of an Ogg Opus voice message, and its duration */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FR_OGG_MIME "audio/ogg; codecs=opus"

gboolean fr_ogg_opus_probe (const guint8  *data,
                            gsize          len,
                            guint64       *duration_ms,
                            GError       **error);

G_END_DECLS
