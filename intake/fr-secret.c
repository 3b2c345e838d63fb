#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <malloc.h>
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "fr-secret.h"

/**
 * fr_init:
 *
 * Initialises libsodium. Safe to call more than once.
 *
 * Returns: %FALSE if libsodium could not be initialised.
 */
gboolean
fr_init (void)
{
  return sodium_init () >= 0;
}

/**
 * fr_harden_process:
 *
 * For programs that hold plaintext (the kiosk, the staff tool): no core dumps, not
 * ptrace-able by other processes of the same user, and glibc's allocator overwrites every
 * freed heap block (M_PERTURB), so copies that libraries such as json-glib make on the
 * ordinary heap do not outlive their free(). Guarded FrSecret memory is wiped anyway.
 */
#if defined(__SANITIZE_ADDRESS__)
# define FR_SANITIZED 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define FR_SANITIZED 1
# endif
#endif

void
fr_harden_process (void)
{
  struct rlimit no_core = { 0, 0 };

  setrlimit (RLIMIT_CORE, &no_core);
#ifndef FR_SANITIZED
  /* LeakSanitizer stops the world by tracing its own threads, which a non-dumpable
   * process cannot do: sanitizer test builds stay dumpable (still without core files). */
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
  mallopt (M_PERTURB, 0x5a);
}

/**
 * fr_secret_new:
 * @len: number of bytes
 *
 * Allocates @len zeroed bytes (plus a NUL terminator) in guarded memory.
 * Aborts like g_malloc() when memory is exhausted.
 */
FrSecret *
fr_secret_new (gsize len)
{
  FrSecret *secret;

  g_return_val_if_fail (len < G_MAXSIZE - 1, NULL);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  /* Only the bytes are secret; the pointer and length live on the ordinary heap, which
   * saves a guarded allocation (several system calls) per buffer. */
  secret = g_new0 (FrSecret, 1);
  secret->len = len;
  secret->data = sodium_malloc (len + 1);
  if (secret->data == NULL)
    g_error ("out of guarded memory (%" G_GSIZE_FORMAT " bytes)", len + 1);
  sodium_memzero (secret->data, len + 1);
  return secret;
}

FrSecret *
fr_secret_new_from (const void *data,
                    gsize       len)
{
  FrSecret *secret = fr_secret_new (len);

  if (len > 0)
    memcpy (secret->data, data, len);
  return secret;
}

void
fr_secret_free (FrSecret *secret)
{
  if (secret == NULL)
    return;
  sodium_free (secret->data);
  g_free (secret);
}

gboolean
fr_secret_equal (const FrSecret *a,
                 const FrSecret *b)
{
  if (a->len != b->len)
    return FALSE;
  return a->len == 0 || sodium_memcmp (a->data, b->data, a->len) == 0;
}
