/* fr-inbox-session.c — the unlocked staff key, its roster and the settings file */
#define G_LOG_DOMAIN "fristad-inbox"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "fr-inbox-session.h"

#define CONFIG_GROUP         "inbox"
#define DEFAULT_IDLE_MINUTES 10

struct _FrInboxSession
{
  GObject     parent_instance;

  char       *config_path;
  char       *key_path;
  char       *inbox_dir;
  char       *server;
  char       *ca;
  guint       idle_minutes;

  FrStaffKey *key;      /* NULL while locked */
  FrRoster   *roster;
  guint       generation;   /* bumped by every lock: an unlock that answers late is dropped */
};

G_DEFINE_FINAL_TYPE (FrInboxSession, fr_inbox_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_LOCKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
config_string (GKeyFile   *file,
               const char *name)
{
  g_autofree char *value = g_key_file_get_string (file, CONFIG_GROUP, name, NULL);

  if (value == NULL || *g_strstrip (value) == '\0')
    return NULL;
  return g_steal_pointer (&value);
}

static void
load_config (FrInboxSession *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  gint64 idle;

  self->idle_minutes = DEFAULT_IDLE_MINUTES;
  if (!g_key_file_load_from_file (file, self->config_path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_message ("%s cannot be read (%s); using the defaults", self->config_path, error->message);
    }
  else
    {
      self->key_path = config_string (file, "key");
      self->inbox_dir = config_string (file, "inbox");
      self->server = config_string (file, "server");
      self->ca = config_string (file, "ca");
      idle = g_key_file_get_int64 (file, CONFIG_GROUP, "idle-minutes", NULL);
      if (idle >= 1 && idle <= 1440)
        self->idle_minutes = (guint) idle;
    }
  if (self->inbox_dir == NULL)
    self->inbox_dir = g_build_filename (g_get_user_data_dir (), "fristad", "inbox", NULL);
}

static void
fr_inbox_session_finalize (GObject *object)
{
  FrInboxSession *self = FR_INBOX_SESSION (object);

  g_clear_pointer (&self->key, fr_staff_key_free);
  g_clear_pointer (&self->roster, fr_roster_free);
  g_free (self->config_path);
  g_free (self->key_path);
  g_free (self->inbox_dir);
  g_free (self->server);
  g_free (self->ca);
  G_OBJECT_CLASS (fr_inbox_session_parent_class)->finalize (object);
}

static void
fr_inbox_session_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FrInboxSession *self = FR_INBOX_SESSION (object);

  switch (prop_id)
    {
    case PROP_LOCKED:
      g_value_set_boolean (value, fr_inbox_session_get_locked (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fr_inbox_session_class_init (FrInboxSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fr_inbox_session_finalize;
  object_class->get_property = fr_inbox_session_get_property;

  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fr_inbox_session_init (FrInboxSession *self)
{
  self->config_path = g_build_filename (g_get_user_config_dir (), "fristad", "inbox.conf", NULL);
  load_config (self);
}

FrInboxSession *
fr_inbox_session_new (void)
{
  return g_object_new (FR_TYPE_INBOX_SESSION, NULL);
}

const char *
fr_inbox_session_get_key_path (FrInboxSession *self)
{
  g_return_val_if_fail (FR_IS_INBOX_SESSION (self), NULL);
  return self->key_path;
}

/* Remembers @path as the key file in inbox.conf (0600; the other settings kept). */
gboolean
fr_inbox_session_set_key_path (FrInboxSession  *self,
                               const char      *path,
                               GError         **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *dir = NULL, *text = NULL, *base = NULL;
  gsize len = 0;

  g_return_val_if_fail (FR_IS_INBOX_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s is not a file", path);
      return FALSE;
    }
  g_key_file_load_from_file (file, self->config_path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  g_key_file_set_string (file, CONFIG_GROUP, "key", path);
  text = g_key_file_to_data (file, &len, NULL);
  dir = g_path_get_dirname (self->config_path);
  base = g_path_get_basename (self->config_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot create %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  if (!fr_inbox_write_private (dir, base, (const guint8 *) text, len, TRUE, error))
    return FALSE;
  g_free (self->key_path);
  self->key_path = g_strdup (path);
  return TRUE;
}

const char *
fr_inbox_session_get_inbox_dir (FrInboxSession *self)
{
  g_return_val_if_fail (FR_IS_INBOX_SESSION (self), NULL);
  return self->inbox_dir;
}

const char *
fr_inbox_session_get_server (FrInboxSession *self)
{
  g_return_val_if_fail (FR_IS_INBOX_SESSION (self), NULL);
  return self->server;
}

const char *
fr_inbox_session_get_ca (FrInboxSession *self)
{
  g_return_val_if_fail (FR_IS_INBOX_SESSION (self), NULL);
  return self->ca;
}

guint
fr_inbox_session_get_idle_minutes (FrInboxSession *self)
{
  g_return_val_if_fail (FR_IS_INBOX_SESSION (self), DEFAULT_IDLE_MINUTES);
  return self->idle_minutes;
}

gboolean
fr_inbox_session_get_locked (FrInboxSession *self)
{
  g_return_val_if_fail (FR_IS_INBOX_SESSION (self), TRUE);
  return self->key == NULL;
}

const FrStaffKey *
fr_inbox_session_get_key (FrInboxSession *self)
{
  g_return_val_if_fail (FR_IS_INBOX_SESSION (self), NULL);
  return self->key;
}

const FrRoster *
fr_inbox_session_get_roster (FrInboxSession *self)
{
  g_return_val_if_fail (FR_IS_INBOX_SESSION (self), NULL);
  return self->roster;
}

typedef struct
{
  char       *key_path;
  FrSecret   *passphrase;
  guint       generation;
  FrStaffKey *key;
  FrRoster   *roster;
} UnlockData;

static void
unlock_data_free (UnlockData *data)
{
  g_free (data->key_path);
  fr_secret_free (data->passphrase);
  fr_staff_key_free (data->key);
  fr_roster_free (data->roster);
  g_free (data);
}

static void
unlock_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  UnlockData *data = task_data;
  GError *error = NULL;

  data->key = fr_inbox_unlock (data->key_path, data->passphrase, &data->roster, &error);
  g_clear_pointer (&data->passphrase, fr_secret_free);
  if (data->key == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
fr_inbox_session_unlock_async (FrInboxSession      *self,
                               FrSecret            *passphrase,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  UnlockData *data;

  g_return_if_fail (FR_IS_INBOX_SESSION (self));
  g_return_if_fail (passphrase != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fr_inbox_session_unlock_async);
  if (self->key_path == NULL)
    {
      fr_secret_free (passphrase);
      g_task_return_new_error (task, FR_ERROR, FR_ERROR_CONFIG, "no staff key file chosen");
      return;
    }
  data = g_new0 (UnlockData, 1);
  data->key_path = g_strdup (self->key_path);
  data->passphrase = passphrase;
  data->generation = self->generation;
  g_task_set_task_data (task, data, (GDestroyNotify) unlock_data_free);
  g_task_run_in_thread (task, unlock_thread);
}

gboolean
fr_inbox_session_unlock_finish (FrInboxSession  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  UnlockData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (data->generation != self->generation)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "locked while unlocking");
      return FALSE;
    }
  g_clear_pointer (&self->key, fr_staff_key_free);
  g_clear_pointer (&self->roster, fr_roster_free);
  self->key = g_steal_pointer (&data->key);
  self->roster = g_steal_pointer (&data->roster);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
  return TRUE;
}

/* Wipes the key (sodium_free zeroes it) and forgets the roster. */
void
fr_inbox_session_lock (FrInboxSession *self)
{
  gboolean was_unlocked;

  g_return_if_fail (FR_IS_INBOX_SESSION (self));

  was_unlocked = self->key != NULL;
  self->generation++;
  g_clear_pointer (&self->key, fr_staff_key_free);
  g_clear_pointer (&self->roster, fr_roster_free);
  if (was_unlocked)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}
