/* fr-keys-passphrase.c — reading a passphrase into guarded memory
 *
 * From the first line of a file, or from the terminal with echo off; a signal while echo
 * is off restores the terminal before it is delivered again.
 */
#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "fr-error.h"
#include "fr-keys-private.h"
#include "fr-keys.h"

static volatile sig_atomic_t caught_signal;

static void
on_signal (int signum)
{
  caught_signal = signum;
}

static const int tty_signals[] = { SIGINT, SIGHUP, SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU };

typedef enum
{
  LINE_OK,
  LINE_TOO_LONG,
  LINE_ERROR,   /* errno is set; EINTR if caught_signal was set */
} LineResult;

/* Reads one line, byte by byte, into guarded memory. Stops at "\n" or end of file and
 * strips one "\r" before the end. A line longer than FR_PASSPHRASE_MAX fails; with @drain
 * (a terminal) the rest of the line is read and dropped first, so that its tail is not left
 * for the shell to read. */
static LineResult
read_secret_line (int        fd,
                  gboolean   drain,
                  FrSecret **out)
{
  g_autoptr(FrSecret) buf = fr_secret_new (FR_PASSPHRASE_MAX + 2);
  gsize n = 0;
  gboolean too_long = FALSE;

  for (;;)
    {
      guint8 *slot = too_long ? buf->data + FR_PASSPHRASE_MAX + 1 : buf->data + n;
      ssize_t r = read (fd, slot, 1);

      if (r < 0)
        {
          if (errno == EINTR && caught_signal == 0)
            continue;
          return LINE_ERROR;
        }
      if (r == 0 || *slot == '\n')
        break;
      if (!too_long)
        {
          n++;
          if (n == buf->len)
            {
              too_long = TRUE;
              if (!drain)
                break;
            }
        }
    }
  if (n > 0 && buf->data[n - 1] == '\r')
    n--;
  if (too_long || n > FR_PASSPHRASE_MAX)
    return LINE_TOO_LONG;
  *out = fr_secret_new_from (buf->data, n);
  return LINE_OK;
}

static FrSecret *
passphrase_from_file (const char  *path,
                      GError     **error)
{
  g_autoptr(FrSecret) secret = NULL;
  LineResult res;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot open passphrase file %s: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  res = read_secret_line (fd, FALSE, &secret);
  if (res == LINE_ERROR)
    {
      int saved = errno;

      close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot read passphrase file %s: %s",
                   path, g_strerror (saved));
      return NULL;
    }
  close (fd);
  if (res == LINE_TOO_LONG)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE,
                   "passphrase in %s is longer than %d bytes", path, FR_PASSPHRASE_MAX);
      return NULL;
    }
  if (secret->len == 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE,
                   "first line of passphrase file %s is empty", path);
      return NULL;
    }
  return g_steal_pointer (&secret);
}

static gboolean
tty_prompt_line (int         fd,
                 const char *prompt,
                 FrSecret  **out,
                 GError    **error)
{
  g_autoptr(FrSecret) secret = NULL;
  LineResult res;

  if (!_fr_keys_write_all (fd, (const guint8 *) prompt, strlen (prompt)))
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot write to the terminal: %s",
                   g_strerror (saved));
      return FALSE;
    }
  res = read_secret_line (fd, TRUE, &secret);
  /* Echo is off, so the user's Enter did not move the cursor. */
  (void) _fr_keys_write_all (fd, (const guint8 *) "\n", 1);
  if (res == LINE_ERROR)
    {
      int saved = errno;

      if (caught_signal != 0)
        g_set_error (error, FR_ERROR, FR_ERROR_IO, "passphrase entry interrupted");
      else
        g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot read from the terminal: %s",
                     g_strerror (saved));
      return FALSE;
    }
  if (res == LINE_TOO_LONG)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE,
                   "passphrase is longer than %d bytes", FR_PASSPHRASE_MAX);
      return FALSE;
    }
  if (secret->len == 0)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE, "no passphrase entered");
      return FALSE;
    }
  *out = g_steal_pointer (&secret);
  return TRUE;
}

static FrSecret *
passphrase_from_tty (const char  *prompt,
                     gboolean     confirm,
                     GError     **error)
{
  g_autoptr(FrSecret) first = NULL;
  g_autoptr(FrSecret) second = NULL;
  struct sigaction old_actions[G_N_ELEMENTS (tty_signals)];
  struct sigaction action;
  struct termios saved_termios, quiet;
  gboolean ok;
  int signum;
  int fd;

  fd = g_open ("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0 || tcgetattr (fd, &saved_termios) < 0)
    {
      if (fd >= 0)
        close (fd);
      g_set_error (error, FR_ERROR, FR_ERROR_IO,
                   "no terminal to read the passphrase from; use --passphrase-file");
      return NULL;
    }

  /* A signal while echo is off must not leave the terminal silent: catch it (without
   * SA_RESTART, so read() returns), restore the terminal, then deliver it again. */
  caught_signal = 0;
  memset (&action, 0, sizeof action);
  action.sa_handler = on_signal;
  sigemptyset (&action.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (tty_signals); i++)
    sigaction (tty_signals[i], &action, &old_actions[i]);

  quiet = saved_termios;
  quiet.c_lflag &= ~(tcflag_t) (ECHO | ECHOE | ECHOK | ECHONL);
  quiet.c_lflag |= ICANON;
  if (tcsetattr (fd, TCSAFLUSH, &quiet) < 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "cannot turn off echo on the terminal: %s",
                   g_strerror (saved));
      ok = FALSE;
    }
  else
    {
      ok = tty_prompt_line (fd, prompt, &first, error);
      if (ok && confirm)
        ok = tty_prompt_line (fd, "Repeat the passphrase: ", &second, error);
    }

  while (tcsetattr (fd, TCSANOW, &saved_termios) < 0 && errno == EINTR)
    ;
  close (fd);
  signum = caught_signal;
  for (guint i = 0; i < G_N_ELEMENTS (tty_signals); i++)
    sigaction (tty_signals[i], &old_actions[i], NULL);
  if (signum != 0)
    {
      raise (signum);
      if (ok)
        {
          ok = FALSE;
          g_set_error (error, FR_ERROR, FR_ERROR_IO, "passphrase entry interrupted");
        }
    }

  if (!ok)
    return NULL;
  if (confirm && !fr_secret_equal (first, second))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_WRONG_PASSPHRASE, "passphrases do not match");
      return NULL;
    }
  return g_steal_pointer (&first);
}

/**
 * fr_passphrase_read:
 * @prompt: shown on the terminal
 * @passphrase_file: (nullable): read the first line of this file instead of the terminal
 * @confirm: on the terminal, ask twice and require the same answer
 * @error: FR_ERROR_IO (no terminal, unreadable file), FR_ERROR_WRONG_PASSPHRASE (empty,
 *   longer than 1024 bytes, or the two answers differ)
 *
 * Reads a passphrase into guarded memory, byte by byte; from the terminal with echo off.
 * The file's first line ends at "\n" (a "\r" before it is dropped); the rest is ignored.
 *
 * Returns: (transfer full): the passphrase, without its line ending
 */
FrSecret *
fr_passphrase_read (const char  *prompt,
                    const char  *passphrase_file,
                    gboolean     confirm,
                    GError     **error)
{
  g_return_val_if_fail (prompt != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  _fr_keys_init ();
  if (passphrase_file != NULL)
    return passphrase_from_file (passphrase_file, error);
  return passphrase_from_tty (prompt, confirm, error);
}
