/* fristad-staff kiosks — the kiosk roster beside the staff key (KEYFILE.kiosks)
 *
 *   kiosks add NAME fristad-kiosk:KEY   kiosks remove NAME
 *   kiosks list                         kiosks import FILE (fristad-queue export-kiosks)
 *
 * Every subcommand unlocks the staff key: the roster is authenticated with a key derived
 * from it (intake/KEYS.md "Kiosk roster"), and a roster changed by anyone else is refused.
 */
#define G_LOG_DOMAIN "fristad-staff"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fr-queue.h"
#include "fristad-staff-private.h"

static const char kiosks_usage[] = "expected add NAME KEY, remove NAME, list or import FILE";

/* Reads an export-kiosks FILE, refusing anything larger than a full roster before reading. */
static FrRoster *
read_import (const char  *path,
             GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  GStatBuf st;
  gsize len = 0;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s: %s", path, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode) || st.st_size > FR_ROSTER_MAX_FILE)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_BAD_KEY_FILE, "%s is not a kiosk list (at most %d kiosks)",
                   path, FR_ROSTER_MAX_KIOSKS);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, FR_ERROR, FR_ERROR_IO, "%s", local->message);
      return NULL;
    }
  return fr_roster_parse_list (text, len, path, error);
}

static void
print_roster (const FrRoster *roster)
{
  g_print ("name\tkey id\tkey\n");
  for (guint i = 0; i < fr_roster_get_n_kiosks (roster); i++)
    {
      const FrRosterEntry *e = fr_roster_get_kiosk (roster, i);
      g_autofree char *fingerprint = fr_key_fingerprint (e->pk);
      g_autofree char *key = fr_key_string_format (FR_KEY_KIND_KIOSK, e->pk);

      g_print ("%s\t%s\t%s\n", e->name, fingerprint, key);
    }
}

int
_staff_cmd_kiosks (int    argc,
                   char **argv)
{
  g_autofree char *key_path = NULL, *passphrase_file = NULL;
  GOptionEntry entries[] = {
    KEY_OPTION (key_path),
    PASSPHRASE_FILE_OPTION (passphrase_file),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(FrStaffKey) key = NULL;
  g_autoptr(FrRoster) roster = NULL;
  g_autoptr(FrRoster) imported = NULL;
  g_autofree char *roster_path = NULL;
  guint8 pk[FR_KEY_SIZE];
  const char *sub;
  int status = EXIT_OK;

  if (!_staff_parse_options ("kiosks", "add NAME KEY | remove NAME | list | import FILE — the kiosk roster",
                             entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return _staff_usage_error ("kiosks", kiosks_usage);
  sub = argv[1];
  if (key_path == NULL)
    return _staff_usage_error ("kiosks", "--key FILE is required");

  /* Check the arguments before asking for the passphrase. */
  if (g_str_equal (sub, "add"))
    {
      if (argc != 4)
        return _staff_usage_error ("kiosks", "add takes NAME and a fristad-kiosk: KEY");
      if (!fr_queue_name_is_valid (argv[2]))
        return _staff_usage_error ("kiosks", "NAME must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
      if (!fr_key_string_parse (argv[3], FR_KEY_KIND_KIOSK, pk, &error))
        return _staff_report ("kiosks", error);
    }
  else if (g_str_equal (sub, "remove"))
    {
      if (argc != 3)
        return _staff_usage_error ("kiosks", "remove takes one NAME");
      if (!fr_queue_name_is_valid (argv[2]))
        return _staff_usage_error ("kiosks", "NAME must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
    }
  else if (g_str_equal (sub, "list"))
    {
      if (argc != 2)
        return _staff_usage_error ("kiosks", "list takes no arguments");
    }
  else if (g_str_equal (sub, "import"))
    {
      if (argc != 3)
        return _staff_usage_error ("kiosks", "import takes one FILE (from fristad-queue export-kiosks)");
      imported = read_import (argv[2], &error);
      if (imported == NULL)
        return _staff_report ("kiosks", error);
      if (fr_roster_get_n_kiosks (imported) == 0)
        {
          _staff_printerr ("kiosks", "%s lists no kiosks; nothing imported", argv[2]);
          return EXIT_BAD_INPUT;
        }
    }
  else
    return _staff_usage_error ("kiosks", kiosks_usage);

  key = _staff_unlock (key_path, passphrase_file, &roster, &error);
  if (key == NULL)
    return _staff_report ("kiosks", error);
  roster_path = fr_roster_path_for_key (key_path);

  if (g_str_equal (sub, "list"))
    {
      print_roster (roster);
      return EXIT_OK;
    }
  if (g_str_equal (sub, "add"))
    {
      if (!fr_roster_add (roster, argv[2], pk, &error))
        return _staff_report ("kiosks", error);
    }
  else if (g_str_equal (sub, "remove"))
    {
      if (!fr_roster_remove (roster, argv[2]))
        {
          _staff_printerr ("kiosks", "no kiosk named %s in the roster", argv[2]);
          return EXIT_BAD_INPUT;
        }
    }
  else
    {
      /* The export is the queue's current list: it replaces the roster, so a kiosk revoked
       * at the queue is no longer trusted here either. Say what changed. */
      for (guint i = 0; i < fr_roster_get_n_kiosks (roster); i++)
        {
          const FrRosterEntry *e = fr_roster_get_kiosk (roster, i);
          const FrRosterEntry *now = fr_roster_find_name (imported, e->name);

          if (now == NULL || memcmp (now->pk, e->pk, FR_KEY_SIZE) != 0)
            g_print ("removed %s\n", e->name);
        }
      for (guint i = 0; i < fr_roster_get_n_kiosks (imported); i++)
        {
          const FrRosterEntry *e = fr_roster_get_kiosk (imported, i);
          const FrRosterEntry *was = fr_roster_find_name (roster, e->name);

          if (was == NULL || memcmp (was->pk, e->pk, FR_KEY_SIZE) != 0)
            g_print ("added %s\n", e->name);
        }
      g_clear_pointer (&roster, fr_roster_free);
      roster = g_steal_pointer (&imported);
    }
  if (!fr_roster_save (roster, roster_path, key, &error))
    return _staff_report ("kiosks", error);
  g_print ("%u kiosk(s) in the roster %s\n", fr_roster_get_n_kiosks (roster), roster_path);
  return EXIT_OK;
}
