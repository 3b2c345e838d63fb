/* fr-kiosk-window-private.h — what the files of the kiosk window share
 *
 * fr-kiosk-window.c          the window, its top bar and screens
 * fr-kiosk-window-actions.c  the kiosk.* actions and the unlock gestures
 * fr-kiosk-window-exit.c     quick exit, Escape ×3, the idle countdown, the heap trim
 */
#pragma once

#include "fr-kiosk-window.h"

G_BEGIN_DECLS

struct _FrKioskWindow
{
  AdwWindow        parent_instance;

  FrKioskContext  *context;
  FrKioskSession  *session;        /* NULL between sessions */
  GtkWidget       *page;           /* the session screen shown, or NULL */
  const char      *page_name;
  gboolean         windowed;
  gboolean         large_text;
  gboolean         high_contrast;
  char            *lang_class;

  gint64           escape_times[FR_KIOSK_ESCAPE_PRESSES];
  guint            n_escapes;

  guint            idle_timeout_ms;
  gint64           last_activity;  /* monotonic µs */
  guint            idle_source;
  guint            trim_source;
  GPtrArray       *dropped;        /* session screens emptied and hidden by a quick exit, */
  gulong           dropped_paint;  /* removed once the cover's frame is painted */
  guint            dropped_source;

  GtkWidget       *root;
  GtkWidget       *topbar;
  GtkWidget       *home_button;
  GtkLabel        *home_label;
  GtkWidget       *listen_button;
  GtkLabel        *listen_label;
  GtkWidget       *read_all_button;   /* "Read every screen aloud", this session */
  GtkLabel        *read_all_label;
  GtkLabel        *notice_label;      /* headphones first: how to ask for them */
  guint            notice_source;
  GtkLabel        *mode_label;
  GtkWidget       *large_text_button;
  GtkLabel        *large_text_symbol;
  GtkLabel        *large_text_label;
  GtkWidget       *contrast_button;
  GtkLabel        *contrast_label;
  GtkWidget       *exit_button;
  GtkLabel        *exit_label;
  GtkRevealer     *countdown_revealer;
  GtkLabel        *countdown_label;
  GtkStack        *screens;
  GtkStack        *warm_stage;
  FrKioskWarmup   *warmup;         /* NULL unless fr_kiosk_window_warm_up() was called */
  GtkWidget       *cover;
  GtkWidget       *welcome;

  FrKioskListen   *listen;         /* read-aloud */
  gboolean         welcome_listening;  /* Listen on the welcome screen: a touch speaks first */
  char            *welcome_spoken;     /* the language just spoken there */
};

/* fr-kiosk-window.c: the top bar and the screens */
void     _fr_kiosk_window_update_listen     (FrKioskWindow *self);
void     _fr_kiosk_window_stop_listening    (FrKioskWindow *self);
void     _fr_kiosk_window_read_if_all       (FrKioskWindow *self,
                                             GtkWidget     *page);
void     _fr_kiosk_window_update_topbar     (FrKioskWindow *self);
void     _fr_kiosk_window_drop_page         (FrKioskWindow *self);
void     _fr_kiosk_window_drop_page_after_paint (FrKioskWindow *self);
void     _fr_kiosk_window_update_warm_up    (FrKioskWindow *self);
void     _fr_kiosk_window_show_static       (FrKioskWindow *self,
                                             GtkWidget     *screen);
void     _fr_kiosk_window_show_page         (FrKioskWindow *self,
                                             const char    *name,
                                             GtkWidget     *page);
void     _fr_kiosk_window_set_lang_class    (FrKioskWindow *self,
                                             const char    *lang);
void     _fr_kiosk_window_set_large_text    (FrKioskWindow *self,
                                             gboolean       on);
void     _fr_kiosk_window_set_high_contrast (FrKioskWindow *self,
                                             gboolean       on);

/* fr-kiosk-window-actions.c */
void     _fr_kiosk_window_class_actions_init   (GtkWidgetClass *widget_class);
void     _fr_kiosk_window_on_corner_long_press (GtkGestureLongPress *gesture,
                                                double               x,
                                                double               y,
                                                FrKioskWindow       *self);

/* fr-kiosk-window-exit.c */
void     _fr_kiosk_window_show_countdown  (FrKioskWindow *self,
                                           gboolean       show);
void     _fr_kiosk_window_note_activity   (FrKioskWindow *self);
void     _fr_kiosk_window_schedule_trim   (FrKioskWindow *self);
gboolean _fr_kiosk_window_on_any_event    (GtkEventControllerLegacy *controller,
                                           GdkEvent                 *event,
                                           FrKioskWindow            *self);
gboolean _fr_kiosk_window_on_key_pressed  (GtkEventControllerKey *controller,
                                           guint                  keyval,
                                           guint                  keycode,
                                           GdkModifierType        state,
                                           FrKioskWindow         *self);
gboolean _fr_kiosk_window_idle_tick       (gpointer user_data);

G_END_DECLS
