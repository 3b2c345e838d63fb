/* fr-kiosk-headphones.c — are headphones plugged in? (the site's read-aloud=headphones) */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <string.h>

#include "fr-kiosk-audio.h"
#include "fr-kiosk-headphones.h"

struct _FrKioskHeadphones
{
  GObject           parent_instance;

  GstDeviceMonitor *monitor;    /* started on first use */
  guint             bus_watch;
  gboolean          started;
  gboolean          present;
};

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static FrKioskHeadphonesTestState test_state = FR_KIOSK_HEADPHONES_DETECT;
static GPtrArray *test_instances;   /* to tell them of a new test state */

G_DEFINE_FINAL_TYPE (FrKioskHeadphones, fr_kiosk_headphones, G_TYPE_OBJECT)

static const char *const form_factors[] = { "headphone", "headset", "hands-free", "handset", NULL };

gboolean
fr_kiosk_headphones_is_headphones (const GstStructure *properties)
{
  const char *keys[] = { "device.form_factor", "device.form-factor" };
  const char *icon;

  if (properties == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *value = gst_structure_get_string (properties, keys[i]);

      if (value != NULL && g_strv_contains (form_factors, value))
        return TRUE;
    }
  icon = gst_structure_get_string (properties, "device.icon_name");
  if (icon == NULL)
    icon = gst_structure_get_string (properties, "device.icon-name");
  return icon != NULL && (strstr (icon, "headphone") != NULL || strstr (icon, "headset") != NULL);
}

/* The first headphones device the monitor knows, or NULL. */
static GstDevice *
find_device (FrKioskHeadphones *self)
{
  GList *devices;
  GstDevice *found = NULL;

  if (self->monitor == NULL)
    return NULL;
  devices = gst_device_monitor_get_devices (self->monitor);
  for (GList *l = devices; l != NULL && found == NULL; l = l->next)
    {
      GstStructure *props = gst_device_get_properties (l->data);

      if (fr_kiosk_headphones_is_headphones (props))
        found = gst_object_ref (l->data);
      g_clear_pointer (&props, gst_structure_free);
    }
  g_list_free_full (devices, gst_object_unref);
  return found;
}

static void
set_present (FrKioskHeadphones *self,
             gboolean           present)
{
  if (self->present == present)
    return;
  self->present = present;
  g_message ("headphones %s", present ? "plugged in" : "unplugged");
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static gboolean
on_bus (GstBus     *bus,
        GstMessage *message,
        gpointer    data)
{
  FrKioskHeadphones *self = data;
  g_autoptr(GstDevice) device = NULL;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_DEVICE_ADDED:
    case GST_MESSAGE_DEVICE_REMOVED:
    case GST_MESSAGE_DEVICE_CHANGED:
      if (test_state == FR_KIOSK_HEADPHONES_DETECT)
        {
          device = find_device (self);
          set_present (self, device != NULL);
        }
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
ensure_started (FrKioskHeadphones *self)
{
  g_autoptr(GstDevice) device = NULL;
  GstBus *bus;

  if (self->started || test_state != FR_KIOSK_HEADPHONES_DETECT)
    return;
  self->started = TRUE;
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  self->monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (self->monitor, "Audio/Sink", NULL);
  bus = gst_device_monitor_get_bus (self->monitor);
  self->bus_watch = gst_bus_add_watch (bus, on_bus, self);
  gst_object_unref (bus);
  if (!gst_device_monitor_start (self->monitor))
    g_message ("no audio devices to watch for headphones");
  device = find_device (self);
  self->present = device != NULL;
}

static void
fr_kiosk_headphones_dispose (GObject *object)
{
  FrKioskHeadphones *self = FR_KIOSK_HEADPHONES (object);

  if (test_instances != NULL)
    g_ptr_array_remove (test_instances, self);
  if (self->monitor != NULL)
    {
      GstBus *bus = gst_device_monitor_get_bus (self->monitor);

      if (self->bus_watch != 0)
        gst_bus_remove_watch (bus);
      self->bus_watch = 0;
      gst_object_unref (bus);
      gst_device_monitor_stop (self->monitor);
    }
  g_clear_object (&self->monitor);
  G_OBJECT_CLASS (fr_kiosk_headphones_parent_class)->dispose (object);
}

static void
fr_kiosk_headphones_class_init (FrKioskHeadphonesClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fr_kiosk_headphones_dispose;
  /* Headphones were plugged in or taken out. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fr_kiosk_headphones_init (FrKioskHeadphones *self)
{
  if (test_instances == NULL)
    test_instances = g_ptr_array_new ();
  g_ptr_array_add (test_instances, self);
}

FrKioskHeadphones *
fr_kiosk_headphones_new (void)
{
  return g_object_new (FR_TYPE_KIOSK_HEADPHONES, NULL);
}

gboolean
fr_kiosk_headphones_present (FrKioskHeadphones *self)
{
  g_return_val_if_fail (FR_IS_KIOSK_HEADPHONES (self), FALSE);

  if (test_state != FR_KIOSK_HEADPHONES_DETECT)
    return test_state == FR_KIOSK_HEADPHONES_PRESENT;
  ensure_started (self);
  return self->present;
}

GstElement *
fr_kiosk_headphones_create_sink (FrKioskHeadphones *self)
{
  g_autoptr(GstDevice) device = NULL;

  g_return_val_if_fail (FR_IS_KIOSK_HEADPHONES (self), NULL);

  if (test_state != FR_KIOSK_HEADPHONES_DETECT)
    return test_state == FR_KIOSK_HEADPHONES_PRESENT ? fr_kiosk_audio_make_sink () : NULL;
  ensure_started (self);
  device = find_device (self);
  return device != NULL ? gst_device_create_element (device, NULL) : NULL;
}

void
fr_kiosk_headphones_set_test_state (FrKioskHeadphonesTestState state)
{
  if (test_state == state)
    return;
  test_state = state;
  /* Plugged in or out, as far as every kiosk in this process knows. */
  for (guint i = 0; test_instances != NULL && i < test_instances->len; i++)
    {
      FrKioskHeadphones *self = g_ptr_array_index (test_instances, i);

      self->present = state == FR_KIOSK_HEADPHONES_PRESENT;
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
    }
}
