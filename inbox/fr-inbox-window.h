/* fr-inbox-window.h — the inbox window: the locked screen, or the list and a record */
#pragma once

#include <adwaita.h>

#include "fr-inbox-session.h"

G_BEGIN_DECLS

#define FR_TYPE_INBOX_WINDOW (fr_inbox_window_get_type ())

G_DECLARE_FINAL_TYPE (FrInboxWindow, fr_inbox_window, FR, INBOX_WINDOW, AdwApplicationWindow)

FrInboxWindow *fr_inbox_window_new              (GtkApplication *application,
                                                 FrInboxSession *session);
void           fr_inbox_window_lock             (FrInboxWindow  *self);

/* What tests look at. */
gboolean       fr_inbox_window_is_fetching      (FrInboxWindow  *self);
const char    *fr_inbox_window_get_status       (FrInboxWindow  *self);
GListModel    *fr_inbox_window_get_shown        (FrInboxWindow  *self);
gboolean       fr_inbox_window_open_record      (FrInboxWindow  *self,
                                                 const char     *id);
GtkWidget     *fr_inbox_window_get_unlock       (FrInboxWindow  *self);
GtkWidget     *fr_inbox_window_get_record_view  (FrInboxWindow  *self);
GtkWidget     *fr_inbox_window_get_search_entry (FrInboxWindow  *self);
GtkWidget     *fr_inbox_window_get_status_filter (FrInboxWindow *self);
const char    *fr_inbox_window_get_page         (FrInboxWindow  *self);
/* What the export file chooser does with the file picked. */
gboolean       fr_inbox_window_export_to        (FrInboxWindow  *self,
                                                 GFile          *file,
                                                 GError        **error);
gboolean       fr_inbox_window_is_acknowledging (FrInboxWindow  *self);

G_END_DECLS
