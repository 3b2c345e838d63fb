/* fr-kiosk-headphones.h — are headphones plugged in? (the site's read-aloud=headphones)
 *
 * A GstDeviceMonitor on "Audio/Sink" devices, started the first time it is asked (a site
 * that does not ask never starts it). A device counts as headphones when the sound
 * server says so in its properties: PulseAudio's and PipeWire's `device.form_factor` /
 * `device.form-factor` of headphone, headset, hands-free or handset, or a `device.icon_name`
 * that names headphones or a headset (a USB or Bluetooth headset is a device of its own;
 * a jack on the built-in card is seen as one when the sound server makes it one). Read-aloud
 * then plays into that device, not the default output, so it never comes out of a
 * speaker; when it goes away, ::changed is emitted and read-aloud stops.
 *
 * Tests swap the detection with fr_kiosk_headphones_set_test_state(): a setter only tests
 * call (like the audio test sink), so no environment variable can switch it in the field.
 */
#pragma once

#include <gst/gst.h>
#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  FR_KIOSK_HEADPHONES_DETECT = -1,   /* the real detection (default) */
  FR_KIOSK_HEADPHONES_ABSENT = 0,
  FR_KIOSK_HEADPHONES_PRESENT = 1,
} FrKioskHeadphonesTestState;

#define FR_TYPE_KIOSK_HEADPHONES (fr_kiosk_headphones_get_type ())
G_DECLARE_FINAL_TYPE (FrKioskHeadphones, fr_kiosk_headphones, FR, KIOSK_HEADPHONES, GObject)

FrKioskHeadphones *fr_kiosk_headphones_new          (void);
gboolean           fr_kiosk_headphones_present      (FrKioskHeadphones *self);
/* (transfer floating) (nullable): a sink playing into the headphones (the tests' sink in
 * a test state), or NULL without headphones. */
GstElement        *fr_kiosk_headphones_create_sink  (FrKioskHeadphones *self);
/* Whether @properties (a GstDevice's) describe headphones or a headset. */
gboolean           fr_kiosk_headphones_is_headphones (const GstStructure *properties);

/* Tests only. */
void               fr_kiosk_headphones_set_test_state (FrKioskHeadphonesTestState state);

G_END_DECLS
