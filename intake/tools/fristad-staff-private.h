/* fristad-staff-private.h — what the fristad-staff command files share
 *
 * fristad-staff.c          main, shared helpers, keygen, inspect
 * fristad-staff-open.c     open (and the attachment check)
 * fristad-staff-queue.c    fetch, ack (talking to the queue)
 * fristad-staff-inbox.c    list, the inbox's refused.tsv
 * fristad-staff-kiosks.c   kiosks add|remove|list|import (the kiosk roster)
 */
#pragma once

#include <glib.h>

#include "fr-intake.h"

G_BEGIN_DECLS

enum
{
  EXIT_OK = 0,
  EXIT_FAILURE_OPERATIONAL = 1,
  EXIT_BAD_INPUT = 2,
};

/* Options several commands share. */
#define PASSPHRASE_FILE_OPTION(var) \
  { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &(var), \
    "Read the passphrase from the first line of F instead of the terminal", "F" }
#define KEY_OPTION(var) { "key", 0, 0, G_OPTION_ARG_FILENAME, &(var), "The staff secret key file", "FILE" }
#define SERVER_OPTION(var) { "server", 0, 0, G_OPTION_ARG_STRING, &(var), "The queue's URL", "URL" }
#define CA_OPTION(var) { "ca", 0, 0, G_OPTION_ARG_FILENAME, &(var), "The queue's pinned CA certificate", "FILE" }

#define STAFF_REFUSED_FILE "refused.tsv"

int         _staff_usage_error      (const char    *command,
                                     const char    *message);
int         _staff_report           (const char    *command,
                                     const GError  *error);
void        _staff_printerr         (const char    *command,
                                     const char    *format,
                                     ...) G_GNUC_PRINTF (2, 3);
gboolean    _staff_parse_options    (const char    *command,
                                     const char    *parameter,
                                     GOptionEntry  *entries,
                                     int           *argc,
                                     char        ***argv,
                                     int           *status);
GBytes     *_staff_read_envelope    (const char    *path,
                                     GError       **error);
gboolean    _staff_write_private    (const char    *dir,
                                     const char    *name,
                                     const guint8  *data,
                                     gsize          len,
                                     gboolean       replace,
                                     GError       **error);
/* Reads the passphrase, unlocks the key, loads its roster (KEYFILE.kiosks). */
FrStaffKey *_staff_unlock           (const char    *key_path,
                                     const char    *passphrase_file,
                                     FrRoster     **roster,
                                     GError       **error);

/* The inbox's record of refused envelopes: id → (refused_at, kiosk kid hex or "-", reason). */
typedef struct
{
  char   id[FR_UUID_STRING_LEN + 1];
  gint64 refused_at;
  char   kiosk[FR_KID_HEX_LEN + 1];
  char   reason[33];
} StaffRefusal;

GArray     *_staff_refused_load     (const char    *inbox,
                                     GError       **error);
gboolean    _staff_refused_save     (const char    *inbox,
                                     GArray        *refused,
                                     GError       **error);
StaffRefusal *_staff_refused_find   (GArray        *refused,
                                     const char    *id);

int         _staff_cmd_open         (int argc, char **argv);
int         _staff_cmd_fetch        (int argc, char **argv);
int         _staff_cmd_ack          (int argc, char **argv);
int         _staff_cmd_list         (int argc, char **argv);
int         _staff_cmd_kiosks       (int argc, char **argv);

G_END_DECLS
