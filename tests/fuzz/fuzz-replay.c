/* fuzz-replay.c — runs every file of a corpus directory through a fuzz target
 *
 * Linked instead of libFuzzer in builds without -Dfuzzing, so every seed is exercised by
 * gcc and the sanitizer build too. Exit 0 when every input ran and, if the target defines
 * fuzz_replay_check(), it returns 0: a target uses it to show that its seeds reach the code
 * they are there for.
 */
#define G_LOG_DOMAIN "fristad-fuzz"

#include "config.h"

#include <glib.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int fuzz_replay_check (void) __attribute__ ((weak));

int
main (int   argc,
      char *argv[])
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = g_dir_open (argv[i], 0, &error);
      const char *name;

      if (dir == NULL)
        {
          g_printerr ("fuzz-replay: %s\n", error->message);
          return 1;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);
          g_autofree char *contents = NULL;
          gsize len = 0;

          if (!g_file_get_contents (path, &contents, &len, &error))
            {
              g_printerr ("fuzz-replay: %s\n", error->message);
              return 1;
            }
          LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
          n++;
        }
    }
  if (n == 0)
    {
      g_printerr ("fuzz-replay: no inputs found\n");
      return 1;
    }
  g_print ("fuzz-replay: %u inputs ran\n", n);
  if (fuzz_replay_check != NULL && fuzz_replay_check () != 0)
    return 1;
  return 0;
}
