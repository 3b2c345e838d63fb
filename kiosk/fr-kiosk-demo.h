/* fr-kiosk-demo.h — `fristad-kiosk --demo`: a throwaway site with demo keys and a queue
 *
 * Everything lives in one temporary directory: a staff key (and, for the printed
 * instructions, the key file and a passphrase file), a kiosk.conf offering every content
 * language with the Swedish national numbers as contacts, the assisted PIN 123456 and the
 * maintenance PIN 246810 (two PINs, as a real site has), and an in-process
 * fristad-queue on 127.0.0.1 with the kiosk and the staff reader enrolled.
 */
#pragma once

#include <glib.h>

#include "fr-intake.h"

G_BEGIN_DECLS

#define FR_KIOSK_DEMO_PIN             "123456"   /* assisted (volunteers) */
#define FR_KIOSK_DEMO_MAINTENANCE_PIN "246810"

typedef enum
{
  FR_KIOSK_DEMO_FLAGS_NONE     = 0,
  FR_KIOSK_DEMO_WITH_QUEUE     = 1 << 0,  /* run an in-process queue (else the URL is a closed port) */
  FR_KIOSK_DEMO_SAVE_STAFF_KEY = 1 << 1,  /* write the staff key file + passphrase file (slow: Argon2id) */
  FR_KIOSK_DEMO_REMOVE_ON_EXIT = 1 << 2,  /* a watcher process removes the directory once this
                                           * process has ended, however it ends */
} FrKioskDemoFlags;

typedef struct _FrKioskDemo FrKioskDemo;

struct _FrKioskDemo
{
  char              *dir;
  char              *config_path;
  char              *state_dir;
  char              *staff_key_path;      /* NULL without FR_KIOSK_DEMO_SAVE_STAFF_KEY */
  char              *passphrase_path;
  char              *queue_url;
  int                reaper_fd;           /* write end of the watcher's pipe, or -1 */
  FrStaffKey        *staff;
  struct _FrQueueStore  *store;
  struct _FrQueueServer *server;
};

FrKioskDemo *fr_kiosk_demo_new                 (const char         *const *languages,
                                                FrKioskDemoFlags    flags,
                                                GError            **error);
void         fr_kiosk_demo_free                (FrKioskDemo        *demo);
char        *fr_kiosk_demo_instructions        (FrKioskDemo        *demo);
void         fr_kiosk_rmtree                   (const char         *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrKioskDemo, fr_kiosk_demo_free)

G_END_DECLS
