/* fr-inbox-pdf.h — one record as a PDF for the case file (cairo, pango)
 *
 * The PDF holds what the record view shows, in the same order and the staff member's
 * language (taken from the view's own widgets, so the two never disagree), then the saved
 * follow-up. It is written only where the user chose, replaced atomically and created
 * private (0600): it is the record in clear.
 */
#pragma once

#include <gtk/gtk.h>

#include "fr-intake.h"

G_BEGIN_DECLS

gboolean fr_inbox_pdf_write (GtkWidget        *record_body,
                             const char       *receipt,
                             const FrFollowup *followup,
                             GFile            *file,
                             GError          **error);

G_END_DECLS
