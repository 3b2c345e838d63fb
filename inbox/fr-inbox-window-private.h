/* fr-inbox-window-private.h — what the files of the inbox window share
 *
 * fr-inbox-window.c        the window, its list of records, locking
 * fr-inbox-window-tasks.c  fetch, acknowledge (worker threads) and export
 */
#pragma once

#include "fr-content.h"
#include "fr-inbox-item.h"
#include "fr-inbox-record-view.h"
#include "fr-inbox-unlock.h"
#include "fr-inbox-window.h"

G_BEGIN_DECLS

struct _FrInboxWindow
{
  AdwApplicationWindow  parent_instance;

  GtkStack             *pages;
  FrInboxUnlock        *unlock;
  GtkWidget            *fetch_button;
  GtkSearchEntry       *search_entry;
  GtkDropDown          *status_filter;
  GtkProgressBar       *progress;
  GtkLabel             *status_label;
  GtkListBox           *list;
  FrInboxRecordView    *record_view;

  FrInboxSession       *session;
  FrContent            *content;
  char                 *staff_lang;
  GListStore           *store;
  GtkFilterListModel   *filtered;
  GtkCustomFilter      *filter;
  GCancellable         *fetch_cancellable;
  gint64                last_activity;
  guint                 idle_source;
  gboolean              reselecting;
  FrInboxItem          *open_item;      /* the record shown, or NULL */
  GCancellable         *ack_cancellable;
  GtkNativeDialog      *export_chooser;
};

/* fr-inbox-window.c */
void _fr_inbox_window_set_status    (FrInboxWindow *self,
                                     const char    *text,
                                     gboolean       is_error);
void _fr_inbox_window_reload_list   (FrInboxWindow *self);
/* The record shown: what Acknowledge and Export act on. */
void _fr_inbox_window_set_open_item (FrInboxWindow *self,
                                     FrInboxItem   *item);

/* fr-inbox-window-tasks.c: win.fetch, win.ack, win.export */
void _fr_inbox_window_fetch_action  (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);
void _fr_inbox_window_ack_action    (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);
void _fr_inbox_window_export_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);

G_END_DECLS
