/* fr-inbox-application.c — one session (one unlocked key) for the app; app.lock locks it
 * in every window, app.quit wipes it and quits. */
#define G_LOG_DOMAIN "fristad-inbox"

#include "config.h"

#include "fr-inbox-application.h"
#include "fr-inbox-record-view.h"
#include "fr-inbox-resources.h"
#include "fr-inbox-unlock.h"
#include "fr-inbox-window.h"

struct _FrInboxApplication
{
  AdwApplication  parent_instance;

  FrInboxSession *session;
};

G_DEFINE_FINAL_TYPE (FrInboxApplication, fr_inbox_application, ADW_TYPE_APPLICATION)

void
fr_inbox_ui_init (void)
{
  g_resources_register (fr_inbox_get_resource ());
  g_type_ensure (FR_TYPE_INBOX_UNLOCK);
  g_type_ensure (FR_TYPE_INBOX_RECORD_VIEW);
  g_type_ensure (FR_TYPE_INBOX_WINDOW);
}

static void
lock_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  fr_inbox_session_lock (FR_INBOX_APPLICATION (user_data)->session);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  FrInboxApplication *self = user_data;

  fr_inbox_session_lock (self->session);
  g_application_quit (G_APPLICATION (self));
}

static void
fr_inbox_application_activate (GApplication *application)
{
  FrInboxApplication *self = FR_INBOX_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (fr_inbox_window_new (GTK_APPLICATION (self), self->session));
  gtk_window_present (window);
}

static void
fr_inbox_application_startup (GApplication *application)
{
  FrInboxApplication *self = FR_INBOX_APPLICATION (application);
  static const GActionEntry entries[] = {
    { "lock", lock_activated, NULL, NULL, NULL, { 0 } },
    { "quit", quit_activated, NULL, NULL, NULL, { 0 } },
  };

  G_APPLICATION_CLASS (fr_inbox_application_parent_class)->startup (application);
  fr_inbox_ui_init ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", (const char *[]) { "<Control>q", NULL });
  self->session = fr_inbox_session_new ();
}

static void
fr_inbox_application_shutdown (GApplication *application)
{
  FrInboxApplication *self = FR_INBOX_APPLICATION (application);

  if (self->session != NULL)
    fr_inbox_session_lock (self->session);
  G_APPLICATION_CLASS (fr_inbox_application_parent_class)->shutdown (application);
  g_clear_object (&self->session);
}

static void
fr_inbox_application_class_init (FrInboxApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = fr_inbox_application_activate;
  app_class->startup = fr_inbox_application_startup;
  app_class->shutdown = fr_inbox_application_shutdown;
}

static void
fr_inbox_application_init (FrInboxApplication *self)
{
}

FrInboxApplication *
fr_inbox_application_new (void)
{
  /* register-session: GTK then tells us when the desktop session locks (screensaver-active). */
  return g_object_new (FR_TYPE_INBOX_APPLICATION,
                       "application-id", "se.fristad.Inbox",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "register-session", TRUE,
                       NULL);
}

FrInboxSession *
fr_inbox_application_get_session (FrInboxApplication *self)
{
  g_return_val_if_fail (FR_IS_INBOX_APPLICATION (self), NULL);
  return self->session;
}
