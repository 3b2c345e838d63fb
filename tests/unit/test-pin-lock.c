/* test-pin-lock.c — wrong-PIN lockouts: the steps, the state file across a restart, a
 * damaged state file, a clock set back (fr-pin-lock.h), with a clock the test sets */
#define G_LOG_DOMAIN "fristad-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fr-pin-lock.h"

#define START G_GINT64_CONSTANT (1795000000)

typedef struct
{
  char   *dir;
  char   *path;
  gint64  now;
} Fixture;

static gint64
test_clock (gpointer data)
{
  return ((Fixture *) data)->now;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("fristad-pin-lock-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, FR_PIN_LOCK_FILE_NAME, NULL);
  f->now = START;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      if (g_remove (path) != 0)
        g_rmdir (path);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static FrPinLock *
open_lock (Fixture *f)
{
  return fr_pin_lock_open (f->dir, test_clock, f);
}

/* @n wrong PINs; the pad must not lock before the last; returns the lock the last starts. */
static gint64
fail_round (Fixture      *f,
            FrPinLock    *lock,
            FrPinLockPad  pad)
{
  for (guint i = 0; i < FR_PIN_LOCK_TRIES - 1; i++)
    {
      g_assert_cmpint (fr_pin_lock_failed (lock, pad), ==, 0);
      g_assert_cmpint (fr_pin_lock_remaining (lock, pad), ==, 0);
    }
  return fr_pin_lock_failed (lock, pad);
}

/* 5 wrong PINs lock for 1 minute, each further round of 5 for 5, 15, then 60 minutes (and
 * 60 from then on); a right PIN starts again from nothing. */
static void
test_steps (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(FrPinLock) lock = open_lock (f);
  static const gint64 expected[] = { 60, 300, 900, 3600, 3600, 3600 };

  g_assert_cmpint (fr_pin_lock_remaining (lock, FR_PIN_LOCK_ASSISTED), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpint (fail_round (f, lock, FR_PIN_LOCK_ASSISTED), ==, expected[i]);
      g_assert_cmpuint (fr_pin_lock_get_failures (lock, FR_PIN_LOCK_ASSISTED), ==, 0);
      f->now += expected[i] - 1;
      g_assert_cmpint (fr_pin_lock_remaining (lock, FR_PIN_LOCK_ASSISTED), ==, 1);
      f->now += 1;
      g_assert_cmpint (fr_pin_lock_remaining (lock, FR_PIN_LOCK_ASSISTED), ==, 0);
    }

  /* The other pad has its own count. */
  g_assert_cmpint (fr_pin_lock_remaining (lock, FR_PIN_LOCK_MAINTENANCE), ==, 0);
  g_assert_cmpint (fail_round (f, lock, FR_PIN_LOCK_MAINTENANCE), ==, 60);

  /* Two wrong, then a right one: the next lock is the first again, after a full round. */
  fr_pin_lock_failed (lock, FR_PIN_LOCK_ASSISTED);
  fr_pin_lock_failed (lock, FR_PIN_LOCK_ASSISTED);
  fr_pin_lock_succeeded (lock, FR_PIN_LOCK_ASSISTED);
  g_assert_cmpuint (fr_pin_lock_get_failures (lock, FR_PIN_LOCK_ASSISTED), ==, 0);
  g_assert_cmpint (fail_round (f, lock, FR_PIN_LOCK_ASSISTED), ==, 60);
  /* ...and the maintenance pad's lock is untouched by it. */
  g_assert_cmpint (fr_pin_lock_remaining (lock, FR_PIN_LOCK_MAINTENANCE), ==, 60);
}

/* Failures, locks and the time a lock ends are in the state file: a restart (a new
 * FrPinLock on the same directory) changes nothing. */
static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(FrPinLock) first = open_lock (f);
  g_autoptr(FrPinLock) second = NULL;
  g_autoptr(FrPinLock) third = NULL;
  g_autoptr(FrPinLock) fourth = NULL;
  GStatBuf st;

  /* Nothing written until something happens. */
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (fail_round (f, first, FR_PIN_LOCK_ASSISTED), ==, 60);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);

  f->now += 10;
  second = open_lock (f);
  g_assert_cmpint (fr_pin_lock_remaining (second, FR_PIN_LOCK_ASSISTED), ==, 50);
  g_assert_cmpint (fr_pin_lock_remaining (second, FR_PIN_LOCK_MAINTENANCE), ==, 0);

  /* The second round after a restart locks for the second step. */
  f->now += 50;
  fr_pin_lock_failed (second, FR_PIN_LOCK_ASSISTED);
  fr_pin_lock_failed (second, FR_PIN_LOCK_ASSISTED);
  third = open_lock (f);
  g_assert_cmpuint (fr_pin_lock_get_failures (third, FR_PIN_LOCK_ASSISTED), ==, 2);
  g_assert_cmpint (fr_pin_lock_failed (third, FR_PIN_LOCK_ASSISTED), ==, 0);
  g_assert_cmpint (fr_pin_lock_failed (third, FR_PIN_LOCK_ASSISTED), ==, 0);
  g_assert_cmpint (fr_pin_lock_failed (third, FR_PIN_LOCK_ASSISTED), ==, 300);

  /* A right PIN is remembered too. */
  f->now += 300;
  fr_pin_lock_succeeded (third, FR_PIN_LOCK_ASSISTED);
  fourth = open_lock (f);
  g_assert_cmpint (fail_round (f, fourth, FR_PIN_LOCK_ASSISTED), ==, 60);
}

/* The clock set back during a lock: the lock starts again with its own length, never
 * longer; a lock that is over stays over. */
static void
test_clock_back (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(FrPinLock) lock = open_lock (f);
  g_autoptr(FrPinLock) again = NULL;

  g_assert_cmpint (fail_round (f, lock, FR_PIN_LOCK_ASSISTED), ==, 60);
  f->now -= 86400;
  g_assert_cmpint (fr_pin_lock_remaining (lock, FR_PIN_LOCK_ASSISTED), ==, 60);
  again = open_lock (f);
  g_assert_cmpint (fr_pin_lock_remaining (again, FR_PIN_LOCK_ASSISTED), ==, 60);
  f->now += 60;
  g_assert_cmpint (fr_pin_lock_remaining (again, FR_PIN_LOCK_ASSISTED), ==, 0);
  f->now -= 86400;
  g_assert_cmpint (fr_pin_lock_remaining (again, FR_PIN_LOCK_ASSISTED), ==, 0);
  /* Forward: over. */
  g_assert_cmpint (fail_round (f, again, FR_PIN_LOCK_ASSISTED), ==, 300);
  f->now += 86400;
  g_assert_cmpint (fr_pin_lock_remaining (again, FR_PIN_LOCK_ASSISTED), ==, 0);
}

static void
assert_fail_safe (Fixture *f)
{
  g_autoptr(FrPinLock) lock = open_lock (f);
  g_autoptr(FrPinLock) reopened = NULL;

  for (guint pad = 0; pad < FR_PIN_LOCK_N_PADS; pad++)
    g_assert_cmpint (fr_pin_lock_remaining (lock, pad), ==, 3600);
  /* Rewritten well-formed, with the same end: a restart does not lengthen it. */
  f->now += 100;
  reopened = open_lock (f);
  for (guint pad = 0; pad < FR_PIN_LOCK_N_PADS; pad++)
    g_assert_cmpint (fr_pin_lock_remaining (reopened, pad), ==, 3500);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_IS_SYMLINK));
}

/* Anything but a well-formed state file locks both pads for the longest step. */
static void
test_damaged (Fixture       *f,
              gconstpointer  data)
{
  static const char * const bad[] = {
    "",
    "garbage",
    "fristad-pin-lock 1\n",
    "fristad-pin-lock 2\nassisted 0 0 0\nmaintenance 0 0 0\n",
    "fristad-pin-lock 1\nassisted 0 0 0\nmaintenance 0 0 0",
    "fristad-pin-lock 1\nassisted 0 0 0\nmaintenance 0 0 0\n\n",
    "fristad-pin-lock 1\nmaintenance 0 0 0\nassisted 0 0 0\n",
    "fristad-pin-lock 1\nassisted 5 0 0\nmaintenance 0 0 0\n",
    "fristad-pin-lock 1\nassisted 0 5 0\nmaintenance 0 0 0\n",
    "fristad-pin-lock 1\nassisted 0 0 1795000060\nmaintenance 0 0 0\n",
    "fristad-pin-lock 1\nassisted 01 0 0\nmaintenance 0 0 0\n",
    "fristad-pin-lock 1\nassisted -1 0 0\nmaintenance 0 0 0\n",
    "fristad-pin-lock 1\nassisted +1 0 0\nmaintenance 0 0 0\n",
    "fristad-pin-lock 1\nassisted 0 1 9999999999999\nmaintenance 0 0 0\n",
    "fristad-pin-lock 1\nassisted 0  0 0\nmaintenance 0 0 0\n",
    "fristad-pin-lock 1\nassisted 0 0 0 \nmaintenance 0 0 0\n",
    "fristad-pin-lock 1\r\nassisted 0 0 0\r\nmaintenance 0 0 0\r\n",
    "fristad-pin-lock 1\nassisted 0 0 0\nmaintenance 0 0 0\n\0",
  };
  g_autofree char *big = g_strnfill (FR_PIN_LOCK_MAX_FILE_SIZE + 1, '\n');
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gsize len = strlen (bad[i]) + (i == G_N_ELEMENTS (bad) - 1);

      g_test_message ("case %u", i);
      g_assert_true (g_file_set_contents (f->path, bad[i], len, &error));
      assert_fail_safe (f);
      g_remove (f->path);
    }

  g_test_message ("too large");
  g_assert_true (g_file_set_contents (f->path, big, -1, &error));
  assert_fail_safe (f);
  g_remove (f->path);

  g_test_message ("a symlink to a good file");
  {
    g_autofree char *target = g_build_filename (f->dir, "elsewhere", NULL);

    g_assert_true (g_file_set_contents (target, "fristad-pin-lock 1\nassisted 0 0 0\nmaintenance 0 0 0\n", -1, &error));
    g_assert_cmpint (symlink (target, f->path), ==, 0);
    assert_fail_safe (f);
    g_remove (f->path);
  }

  g_test_message ("a directory: locked, though the state cannot be written");
  {
    g_autoptr(FrPinLock) lock = NULL;

    g_assert_cmpint (g_mkdir (f->path, 0700), ==, 0);
    g_test_expect_message ("fristad-kiosk", G_LOG_LEVEL_MESSAGE, "PIN lock state * is not a regular file*");
    g_test_expect_message ("fristad-kiosk", G_LOG_LEVEL_WARNING, "PIN lock state not saved*");
    lock = open_lock (f);
    g_test_assert_expected_messages ();
    g_assert_cmpint (fr_pin_lock_remaining (lock, FR_PIN_LOCK_ASSISTED), ==, 3600);
    g_assert_cmpint (fr_pin_lock_remaining (lock, FR_PIN_LOCK_MAINTENANCE), ==, 3600);
    g_rmdir (f->path);
  }

  /* A good file is read as it is. */
  f->now = START;
  g_assert_true (g_file_set_contents (f->path, "fristad-pin-lock 1\nassisted 3 2 0\nmaintenance 0 1 1795000030\n", -1, &error));
  {
    g_autoptr(FrPinLock) lock = open_lock (f);

    g_assert_cmpuint (fr_pin_lock_get_failures (lock, FR_PIN_LOCK_ASSISTED), ==, 3);
    g_assert_cmpint (fr_pin_lock_remaining (lock, FR_PIN_LOCK_ASSISTED), ==, 0);
    g_assert_cmpint (fr_pin_lock_remaining (lock, FR_PIN_LOCK_MAINTENANCE), ==, 30);
    g_assert_cmpint (fr_pin_lock_failed (lock, FR_PIN_LOCK_ASSISTED), ==, 0);
    /* Two locks before: this round's is the third step. */
    g_assert_cmpint (fr_pin_lock_failed (lock, FR_PIN_LOCK_ASSISTED), ==, 900);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/pin-lock/steps", Fixture, NULL, fixture_set_up, test_steps, fixture_tear_down);
  g_test_add ("/pin-lock/restart", Fixture, NULL, fixture_set_up, test_restart, fixture_tear_down);
  g_test_add ("/pin-lock/clock-back", Fixture, NULL, fixture_set_up, test_clock_back, fixture_tear_down);
  g_test_add ("/pin-lock/damaged", Fixture, NULL, fixture_set_up, test_damaged, fixture_tear_down);
  return g_test_run ();
}
