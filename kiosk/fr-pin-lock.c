/* fr-pin-lock.c — wrong-PIN lockouts that grow and survive a restart (format in the header) */
#define G_LOG_DOMAIN "fristad-kiosk"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fr-pin-lock.h"

#define MAGIC_LINE "fristad-pin-lock 1\n"
/* Far beyond any real clock, short enough that no sum overflows. */
#define MAX_TIME G_GINT64_CONSTANT (999999999999)

static const gint64 step_seconds[FR_PIN_LOCK_N_STEPS] = { 60, 5 * 60, 15 * 60, 60 * 60 };
static const char * const pad_names[FR_PIN_LOCK_N_PADS] = { "assisted", "maintenance" };

typedef struct
{
  guint  failures;
  guint  locks;
  gint64 locked_until;
} PadState;

struct _FrPinLock
{
  char           *path;
  FrPinLockClock  clock;
  gpointer        clock_data;
  PadState        pads[FR_PIN_LOCK_N_PADS];
};

static gint64
real_clock (gpointer data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gint64
now (FrPinLock *lock)
{
  return lock->clock (lock->clock_data);
}

/**
 * fr_pin_lock_step_seconds:
 * @locks: the how-manieth lock since the last success, from 1
 *
 * Returns: how long that lock lasts: 60, 300, 900, then 3600 seconds.
 */
gint64
fr_pin_lock_step_seconds (guint locks)
{
  g_return_val_if_fail (locks >= 1, step_seconds[0]);
  return step_seconds[MIN (locks, FR_PIN_LOCK_N_STEPS) - 1];
}

/* A decimal number without sign or leading zero, at most @max; advances *p past it. */
static gboolean
parse_number (const char **p,
              gint64       max,
              gint64      *value)
{
  const char *s = *p;
  gsize n = 0;

  *value = 0;
  while (s[n] >= '0' && s[n] <= '9' && n < 13)
    *value = *value * 10 + (s[n++] - '0');
  if (n == 0 || n > 12 || (n > 1 && s[0] == '0') || *value > max)
    return FALSE;
  *p = s + n;
  return TRUE;
}

/* The whole file, strictly (see the header); NUL-terminated by the caller. */
static gboolean
parse_state (const char *text,
             PadState   *pads)
{
  const char *p = text;

  if (strncmp (p, MAGIC_LINE, strlen (MAGIC_LINE)) != 0)
    return FALSE;
  p += strlen (MAGIC_LINE);
  for (guint i = 0; i < FR_PIN_LOCK_N_PADS; i++)
    {
      gint64 failures, locks, until;

      if (strncmp (p, pad_names[i], strlen (pad_names[i])) != 0)
        return FALSE;
      p += strlen (pad_names[i]);
      if (*p++ != ' ' || !parse_number (&p, FR_PIN_LOCK_TRIES - 1, &failures)
          || *p++ != ' ' || !parse_number (&p, FR_PIN_LOCK_N_STEPS, &locks)
          || *p++ != ' ' || !parse_number (&p, MAX_TIME, &until)
          || *p++ != '\n')
        return FALSE;
      if (until != 0 && locks == 0)
        return FALSE;
      pads[i].failures = failures;
      pads[i].locks = locks;
      pads[i].locked_until = until;
    }
  return *p == '\0';
}

/* Reads STATE_DIR/pin-lock. TRUE with *missing set if there is none; FALSE if it is there
 * and anything but a well-formed state file (the reason in *why, for the log). */
static gboolean
read_state (const char  *path,
            PadState    *pads,
            gboolean    *missing,
            const char **why)
{
  char buf[FR_PIN_LOCK_MAX_FILE_SIZE + 2];
  struct stat st;
  gsize done = 0;
  int fd;

  *missing = FALSE;
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0)
    {
      *missing = errno == ENOENT;
      *why = "cannot be opened";
      return *missing;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      *why = "is not a regular file";
      return FALSE;
    }
  /* Read one byte more than allowed, to see a file that is too large. */
  while (done < FR_PIN_LOCK_MAX_FILE_SIZE + 1)
    {
      ssize_t n = read (fd, buf + done, FR_PIN_LOCK_MAX_FILE_SIZE + 1 - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          close (fd);
          *why = "cannot be read";
          return FALSE;
        }
      if (n == 0)
        break;
      done += n;
    }
  close (fd);
  if (done > FR_PIN_LOCK_MAX_FILE_SIZE)
    {
      *why = "is too large";
      return FALSE;
    }
  buf[done] = '\0';
  if (memchr (buf, '\0', done) != NULL || !parse_state (buf, pads))
    {
      *why = "is malformed";
      return FALSE;
    }
  return TRUE;
}

static void
save (FrPinLock *lock)
{
  g_autoptr(GString) text = g_string_new (MAGIC_LINE);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < FR_PIN_LOCK_N_PADS; i++)
    g_string_append_printf (text, "%s %u %u %" G_GINT64_FORMAT "\n", pad_names[i], lock->pads[i].failures,
                            lock->pads[i].locks, lock->pads[i].locked_until);
  /* A temporary file in the same directory, fsynced, renamed over the old one. */
  if (!g_file_set_contents_full (lock->path, text->str, text->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, &error))
    g_warning ("PIN lock state not saved (it holds until the kiosk restarts): %s", error->message);
}

/**
 * fr_pin_lock_open:
 * @state_dir: the kiosk's state directory
 * @clock: (nullable): Unix seconds UTC; %NULL for the real clock
 *
 * Reads the lock state. Never fails: a damaged or unreadable state file locks both pads
 * for the longest step (and is rewritten so); a missing one is a first start.
 *
 * Returns: (transfer full): the lock state
 */
FrPinLock *
fr_pin_lock_open (const char     *state_dir,
                  FrPinLockClock  clock,
                  gpointer        clock_data)
{
  FrPinLock *lock;
  PadState pads[FR_PIN_LOCK_N_PADS] = { { 0 } };
  const char *why = NULL;
  gboolean missing;

  g_return_val_if_fail (state_dir != NULL, NULL);

  lock = g_new0 (FrPinLock, 1);
  lock->path = g_build_filename (state_dir, FR_PIN_LOCK_FILE_NAME, NULL);
  lock->clock = clock != NULL ? clock : real_clock;
  lock->clock_data = clock_data;
  if (read_state (lock->path, pads, &missing, &why))
    {
      if (!missing)
        memcpy (lock->pads, pads, sizeof pads);
      return lock;
    }

  g_message ("PIN lock state %s %s: both PIN pads locked for %" G_GINT64_FORMAT " min",
             lock->path, why, step_seconds[FR_PIN_LOCK_N_STEPS - 1] / 60);
  for (guint i = 0; i < FR_PIN_LOCK_N_PADS; i++)
    {
      lock->pads[i].failures = 0;
      lock->pads[i].locks = FR_PIN_LOCK_N_STEPS;
      lock->pads[i].locked_until = now (lock) + step_seconds[FR_PIN_LOCK_N_STEPS - 1];
    }
  /* Unlink first: g_file_set_contents() would write through a symlink's target. */
  g_unlink (lock->path);
  save (lock);
  return lock;
}

void
fr_pin_lock_free (FrPinLock *lock)
{
  if (lock == NULL)
    return;
  g_free (lock->path);
  g_free (lock);
}

/**
 * fr_pin_lock_remaining:
 *
 * Returns: the seconds until @pad may check a PIN again; 0 if it may now.
 */
gint64
fr_pin_lock_remaining (FrPinLock    *lock,
                       FrPinLockPad  pad)
{
  PadState *state;
  gint64 t, step;

  g_return_val_if_fail (lock != NULL && pad < FR_PIN_LOCK_N_PADS, 0);

  state = &lock->pads[pad];
  if (state->locked_until == 0)
    return 0;
  t = CLAMP (now (lock), 0, MAX_TIME);
  if (t >= state->locked_until)
    {
      /* Over: forgotten, so a clock set back later cannot bring it back. */
      state->locked_until = 0;
      save (lock);
      return 0;
    }
  step = fr_pin_lock_step_seconds (state->locks);
  if (state->locked_until - t > step)
    {
      g_message ("the clock went back during a %s PIN lock: it starts again", pad_names[pad]);
      state->locked_until = t + step;
      save (lock);
    }
  return state->locked_until - t;
}

/**
 * fr_pin_lock_failed:
 *
 * Counts a wrong PIN on @pad and saves the state; the FR_PIN_LOCK_TRIES-th in a row
 * starts the next lock.
 *
 * Returns: the seconds the pad is now locked for; 0 if it is not.
 */
gint64
fr_pin_lock_failed (FrPinLock    *lock,
                    FrPinLockPad  pad)
{
  PadState *state;

  g_return_val_if_fail (lock != NULL && pad < FR_PIN_LOCK_N_PADS, 0);

  state = &lock->pads[pad];
  if (++state->failures >= FR_PIN_LOCK_TRIES)
    {
      state->failures = 0;
      state->locks = MIN (state->locks + 1, FR_PIN_LOCK_N_STEPS);
      state->locked_until = CLAMP (now (lock), 0, MAX_TIME - 3600) + fr_pin_lock_step_seconds (state->locks);
      g_message ("%s PIN pad locked for %" G_GINT64_FORMAT " s (lock %u since the last right PIN)",
                 pad_names[pad], fr_pin_lock_step_seconds (state->locks), state->locks);
    }
  save (lock);
  return fr_pin_lock_remaining (lock, pad);
}

/**
 * fr_pin_lock_succeeded:
 *
 * A right PIN on @pad: its count and locks start again from nothing.
 */
void
fr_pin_lock_succeeded (FrPinLock    *lock,
                       FrPinLockPad  pad)
{
  PadState *state;

  g_return_if_fail (lock != NULL && pad < FR_PIN_LOCK_N_PADS);

  state = &lock->pads[pad];
  if (state->failures == 0 && state->locks == 0 && state->locked_until == 0)
    return;
  state->failures = 0;
  state->locks = 0;
  state->locked_until = 0;
  save (lock);
}

/**
 * fr_pin_lock_get_failures:
 *
 * Returns: the wrong PINs on @pad since its last lock or success.
 */
guint
fr_pin_lock_get_failures (FrPinLock    *lock,
                          FrPinLockPad  pad)
{
  g_return_val_if_fail (lock != NULL && pad < FR_PIN_LOCK_N_PADS, 0);
  return lock->pads[pad].failures;
}
