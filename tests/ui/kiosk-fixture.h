/* kiosk-fixture.h — drive the kiosk in-process under Xvfb, the way a tap would */
#pragma once

#include <gtk/gtk.h>

#include "fr-kiosk-context.h"
#include "fr-kiosk-demo.h"
#include "fr-kiosk-window.h"
#include "fr-kiosk-wizard.h"

G_BEGIN_DECLS

typedef struct
{
  FrKioskDemo    *demo;
  FrKioskContext *context;
  FrKioskWindow  *window;
} KioskFixture;

void            kiosk_test_init          (int           *argc,
                                          char        ***argv);
KioskFixture   *kiosk_fixture_new        (gboolean       windowed);
KioskFixture   *kiosk_fixture_new_for_languages (gboolean            windowed,
                                                 const char *const  *languages);
KioskFixture   *kiosk_fixture_new_with_setting (gboolean            windowed,
                                                const char *const  *languages,
                                                const char         *group,
                                                const char         *key,
                                                const char         *value);
KioskFixture   *kiosk_fixture_new_with_kiosk_key (gboolean    windowed,
                                                  const char *key,
                                                  const char *value);
void            kiosk_fixture_free       (KioskFixture  *fixture);
void            kiosk_wait               (guint          ms);
void            kiosk_wait_frames        (GtkWidget     *widget,
                                          guint          n);
gboolean        kiosk_wait_until         (gboolean     (*done) (gpointer),
                                          gpointer       data,
                                          guint          timeout_ms);
void            kiosk_activate           (KioskFixture  *fixture,
                                          GtkWidget     *widget,
                                          const char    *action,
                                          const char    *string_target);
void            kiosk_show_screen        (KioskFixture  *fixture,
                                          const char    *name);
FrKioskWizard  *kiosk_wizard             (KioskFixture  *fixture);
GtkWidget      *kiosk_find_descendant    (GtkWidget     *root,
                                          GType          type);
gboolean        kiosk_tree_contains      (GtkWidget     *root,
                                          const char    *needle);
GPtrArray      *kiosk_hold_text          (GtkWidget     *root);
guint           kiosk_held_text_count    (GPtrArray     *held,
                                          const char    *needle);
void            kiosk_held_text_assert_empty (GPtrArray *held);
gboolean        kiosk_wizard_answer_step (KioskFixture  *fixture,
                                          const char    *long_text);
gboolean        kiosk_wizard_go_to_kind  (KioskFixture  *fixture,
                                          int            kind,
                                          const char    *long_text);
void            kiosk_press_escape       (KioskFixture  *fixture);
void            kiosk_enter_pin          (KioskFixture  *fixture,
                                          const char    *digits);
GBytes         *kiosk_render             (KioskFixture  *fixture);
char           *kiosk_screenshot         (KioskFixture  *fixture,
                                          const char    *name);

G_END_DECLS

G_BEGIN_DECLS
typedef void (*KioskScreenFunc) (KioskFixture *fixture,
                                 const char   *screen,
                                 gpointer      data);
void kiosk_visit_screens (KioskFixture    *fixture,
                          const char      *lang,
                          KioskScreenFunc  func,
                          gpointer         data);
G_END_DECLS
