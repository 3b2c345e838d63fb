/* fr-pin-lock.h — wrong-PIN lockouts that grow and survive a restart of the kiosk
 *
 * Each PIN pad (assisted, maintenance) has its own count, so a volunteer who knows the
 * assisted PIN cannot reset the maintenance pad's count by unlocking assisted mode.
 * FR_PIN_LOCK_TRIES wrong PINs in a row lock the pad for 1 minute; each further round of
 * FR_PIN_LOCK_TRIES wrong PINs locks it for 5, 15, then 60 minutes (and 60 from then on).
 * A right PIN resets that pad. See kiosk/KIOSK.md, "PIN lockouts".
 *
 * The state is the file STATE_DIR/pin-lock (mode 0600, replaced atomically on every
 * change), ASCII, exactly:
 *
 *   fristad-pin-lock 1\n
 *   assisted FAILURES LOCKS LOCKED_UNTIL\n
 *   maintenance FAILURES LOCKS LOCKED_UNTIL\n
 *
 * FAILURES  wrong PINs since the last lock or success, 0 to FR_PIN_LOCK_TRIES - 1
 * LOCKS     locks since the last success, 0 to FR_PIN_LOCK_N_STEPS (the last step repeats)
 * LOCKED_UNTIL  Unix seconds (UTC) when the current lock ends, 0 for none; not 0 only
 *           with LOCKS ≥ 1
 *
 * Numbers are decimal without sign or leading zeros. A missing file is a first start (no
 * failures). A file that is anything else — unreadable, not a regular file, larger than
 * FR_PIN_LOCK_MAX_FILE_SIZE, or not exactly this format — fails safe: both pads are
 * locked for the longest step from now, and the file is rewritten so.
 *
 * Times are wall-clock UTC, so a lock survives a power cut. If the clock is set back
 * while a lock runs (more than the lock's length is left), the lock starts again with its
 * full length from the new time: never longer, never ended early by it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FR_PIN_LOCK_TRIES          5
#define FR_PIN_LOCK_N_STEPS        4
#define FR_PIN_LOCK_FILE_NAME      "pin-lock"
#define FR_PIN_LOCK_MAX_FILE_SIZE  256

typedef enum
{
  FR_PIN_LOCK_ASSISTED,
  FR_PIN_LOCK_MAINTENANCE,
  FR_PIN_LOCK_N_PADS,
} FrPinLockPad;

/* Unix seconds, UTC. The tests give their own. */
typedef gint64 (*FrPinLockClock) (gpointer data);

typedef struct _FrPinLock FrPinLock;

FrPinLock *fr_pin_lock_open          (const char      *state_dir,
                                      FrPinLockClock   clock,
                                      gpointer         clock_data);
void       fr_pin_lock_free          (FrPinLock       *lock);
gint64     fr_pin_lock_remaining     (FrPinLock       *lock,
                                      FrPinLockPad     pad);
gint64     fr_pin_lock_failed        (FrPinLock       *lock,
                                      FrPinLockPad     pad);
void       fr_pin_lock_succeeded     (FrPinLock       *lock,
                                      FrPinLockPad     pad);
guint      fr_pin_lock_get_failures  (FrPinLock       *lock,
                                      FrPinLockPad     pad);
gint64     fr_pin_lock_step_seconds  (guint            locks);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrPinLock, fr_pin_lock_free)

G_END_DECLS
