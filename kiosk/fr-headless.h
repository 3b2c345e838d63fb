/* fr-headless.h — the kiosk's commands that need no display */
#pragma once

#include <glib.h>

#include "fr-intake.h"
#include "fr-sender.h"
#include "fr-site.h"

G_BEGIN_DECLS

enum
{
  FR_EXIT_OK = 0,
  FR_EXIT_OPERATIONAL = 1,
  FR_EXIT_BAD_INPUT = 2,
};

typedef struct
{
  FrSite     *site;
  FrKioskKey *kiosk;    /* loaded on first use */
  FrOutbox   *outbox;   /* opened on first use */
} FrHeadless;

FrHeadless *fr_headless_new               (const char      *config_path,
                                           GError         **error);
void        fr_headless_free              (FrHeadless      *self);
gboolean    fr_headless_seal_and_enqueue  (FrHeadless      *self,
                                           const FrSecret  *partial_json,
                                           const FrSecret  *voice,
                                           char            *out_id,
                                           char            *out_receipt,
                                           GError         **error);
gboolean    fr_headless_deliver           (FrHeadless      *self,
                                           gboolean         everything,
                                           FrSenderReport  *report,
                                           GError         **error);
int         fr_headless_submit            (FrHeadless      *self,
                                           const char      *json_path,
                                           const char      *voice_path);
int         fr_headless_flush             (FrHeadless      *self);
int         fr_headless_print_kiosk_key   (FrHeadless      *self);
int         fr_headless_check_config      (FrHeadless      *self);
int         fr_headless_hash_pin          (const char      *pin_file);
int         fr_headless_exit_status       (const GError    *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrHeadless, fr_headless_free)

G_END_DECLS
