/* fristad-staff-private.h — what the fristad-staff command files share
 *
 * fristad-staff.c          main, shared helpers, keygen, inspect
 * fristad-staff-open.c     open (and the attachment check); finding and opening a record
 * fristad-staff-play.c     play (a record's voice message, from memory: audio/)
 * fristad-staff-queue.c    fetch, ack (talking to the queue)
 * fristad-staff-inbox.c    list, list --refused
 *
 * The inbox itself (files, refused.tsv, fetch, ack) is intake/fr-inbox.h, shared with
 * the fristad-inbox app.
 * fristad-staff-kiosks.c   kiosks add|remove|list|import (the kiosk roster)
 */
#pragma once

#include <glib.h>

#include "fr-inbox.h"
#include "fr-intake.h"

G_BEGIN_DECLS

enum
{
  EXIT_OK = 0,
  EXIT_FAILURE_OPERATIONAL = 1,
  EXIT_BAD_INPUT = 2,
  EXIT_NO_VOICE = 3,            /* play: the record has no voice message */
  EXIT_SIGNAL_BASE = 128,       /* play: stopped by signal N exits 128 + N (Ctrl+C: 130) */
};

/* Options several commands share. */
#define PASSPHRASE_FILE_OPTION(var) \
  { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &(var), \
    "Read the passphrase from the first line of F instead of the terminal", "F" }
#define KEY_OPTION(var) { "key", 0, 0, G_OPTION_ARG_FILENAME, &(var), "The staff secret key file", "FILE" }
#define SERVER_OPTION(var) { "server", 0, 0, G_OPTION_ARG_STRING, &(var), "The queue's URL", "URL" }
#define KIOSK_OPTION(var) \
  { "kiosk", 0, 0, G_OPTION_ARG_STRING, &(var), \
    "Verify the kiosk signature with this fristad-kiosk: key instead of the roster", "KEY" }
#define CA_OPTION(var) { "ca", 0, 0, G_OPTION_ARG_FILENAME, &(var), "The queue's pinned CA certificate", "FILE" }

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
/* Reads the passphrase, unlocks the key, loads its roster (KEYFILE.kiosks). */
FrStaffKey *_staff_unlock           (const char    *key_path,
                                     const char    *passphrase_file,
                                     FrRoster     **roster,
                                     GError       **error);

/* What `open` and `play` take to find and open one record: RECORD_OPTIONS (args) in their
 * GOptionEntry list. */
typedef struct
{
  char *key_path;
  char *inbox;
  char *kiosk;
  char *passphrase_file;
} StaffRecordArgs;

#define RECORD_OPTIONS(args) \
  KEY_OPTION ((args).key_path), \
  { "inbox", 0, 0, G_OPTION_ARG_FILENAME, &(args).inbox, "Inbox directory to find ID in", "DIR" }, \
  KIOSK_OPTION ((args).kiosk), \
  PASSPHRASE_FILE_OPTION ((args).passphrase_file)

void        _staff_record_args_clear (StaffRecordArgs *args);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StaffRecordArgs, _staff_record_args_clear)

/* After the options are parsed: exactly one ID|FILE (@argc == 2) and --key. Returns
 * EXIT_OK, or prints the usage error and returns its status. */
int         _staff_record_args_check (const char            *command,
                                      const StaffRecordArgs *args,
                                      int                    argc);

/* The record ID|FILE names, from a kiosk in the roster (or --kiosk), opened; on failure
 * the error is printed and *status set. */
FrOpenedEnvelope *_staff_open_record (const char            *command,
                                      const char            *id_or_file,
                                      const StaffRecordArgs *args,
                                      int                   *status);

int         _staff_cmd_open         (int argc, char **argv);
int         _staff_cmd_play         (int argc, char **argv);
int         _staff_cmd_fetch        (int argc, char **argv);
int         _staff_cmd_ack          (int argc, char **argv);
int         _staff_cmd_list         (int argc, char **argv);
int         _staff_cmd_kiosks       (int argc, char **argv);

G_END_DECLS
