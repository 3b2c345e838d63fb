/* bench-kiosk.h — what the parts of bench-kiosk share: screen grabs, memory, statistics */
#pragma once

#include <glib.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>

#define POLL_MS          8       /* screen grabs while waiting for a page */
#define SAMPLE_STEP      4       /* every 4th pixel in x and y is looked at */
#define TYPED_TEXT       "Bench typing 0123456789"

typedef struct
{
  Display         *display;
  Window           root;
  int              width;
  int              height;
  XImage          *image;
  XShmSegmentInfo  shm;
  gboolean         use_shm;
} Grabber;

typedef struct
{
  double background;   /* #fafafa, the page */
  double buttons;      /* #e6e6e6, the language buttons */
  double exit_red;     /* #b00020, the Exit button */
  double ink;          /* dark text in the lower 60 % of the screen */
} Look;

typedef struct
{
  guint   n_processes;
  guint64 rss_kb;
  guint64 pss_kb;
  guint64 anon_kb;   /* of the RSS: anonymous (heap, stacks); the rest is file-backed */
  guint64 unique_kb; /* distinct physical pages of all the processes (0: not readable) */
} Memory;

/* bench-kiosk-screen.c */
extern int x_errors;
int      count_x_error      (Display *display, XErrorEvent *event);
gboolean grabber_init       (Grabber *g, Display *display, gboolean try_shm, GError **error);
void     grabber_clear      (Grabber *g);
gboolean grabber_grab       (Grabber *g);
Look     grabber_look       (const Grabber *g);
gboolean look_is_welcome    (const Look *look);
gboolean look_is_empty      (const Look *look);
GArray  *grabber_samples    (const Grabber *g);
double   samples_difference (GArray *a, GArray *b);
gboolean grabber_find_button (const Grabber *g, int *x, int *y);

/* bench-kiosk-memory.c */
void     memory_add_process (Memory *m, pid_t pid);
gboolean process_info       (pid_t pid, int *session, char **comm);
GArray  *list_processes     (void);
gboolean cmdline_contains   (pid_t pid, const char *needle);
GArray  *program_processes  (GPid sid, const char *marker);
Memory   program_memory     (GPid sid, const char *marker);
Memory   a11y_bus_memory    (void);
Memory   self_memory        (void);
int      compare_doubles    (gconstpointer a, gconstpointer b);
double   quantile           (GArray *values, double q);
double   median             (GArray *values);
double   first              (GArray *values);
void     push               (GArray *values, double value);
double   mib                (double kb);

/* bench-kiosk.c: the driver */
typedef struct
{
  GPid     pid;
  gint64   spawned_mono;   /* µs */
  gint64   spawned_real;   /* µs since the epoch */
  gboolean reaped;
  int      status;
  char    *marker;         /* see program_processes() */
} Launch;

typedef struct
{
  const char *name;
  GArray     *shown_ms;
  GArray     *self_ms;
  GArray     *rss_kb;
  GArray     *pss_kb;
  GArray     *unique_kb;
  GArray     *warm_ms;        /* fristad-kiosk: spawn -> "warm-up done" in its log */
  GArray     *tap_ms;         /* first tap on the welcome screen -> the next screen on screen */
  guint       n_processes;
} Subject;

typedef struct
{
  char     *kiosk;
  char     *chromium;
  char     *page_uri;
  char     *self_exe;
  char     *work_dir;
  char     *config;
  char    **envp;
  char     *language;
  int       runs;
  int       resets;
  int       settle_ms;
  char     *renderer;
  Display  *display;
  Grabber   grabber;
  Subject   kiosk_subject;
  Subject   chromium_subject;
} Driver;

gboolean launch         (Launch *l, char **argv, char **envp, gboolean in_cgroup, const char *out_path,
                         const char *err_path, GError **error);
gboolean launch_exited  (Launch *l);
void     terminate      (Launch *l);
void     print_log_tail (const char *path);

/* bench-kiosk-cgroup.c: a CPU quota (cgroup v1 "cpu" controller) for the low-end runs */
#define CGROUP_DIR "/sys/fs/cgroup/cpu/fristad-bench"
gboolean cgroup_create     (guint quota_us, guint period_us, GError **error);
void     cgroup_join       (void);   /* async-signal-safe: for a child between fork and exec */
char    *cgroup_describe   (void);   /* its quota and throttling so far */
void     cgroup_remove     (void);

/* bench-kiosk-sessions.c */
enum { NAV_START, NAV_HOME, NAV_TOPIC, NAV_BACK, NAV_WIZARD, NAV_NEXT, N_NAV };
#define SOAK_GROWTH_MIB 1.0

typedef struct
{
  const char *label;
  gint64      spawned_mono;
  Memory      first_frame;     /* right after the first frame, the warm-up just begun */
  Memory      start;
  Memory      warm;            /* after the first round of languages */
  Memory      end;
  guint       warm_after;
  guint       n_languages;     /* the languages the sessions cycle through */
  guint       resets;
  guint       verified;
  double      first_frame_ms;  /* since the child's spawn */
  double      warm_done_ms;
  GArray     *exit_ms;
  GArray     *exit_large_ms;   /* of those: sessions with large text and high contrast */
  GArray     *reset_call_ms;
  GArray     *exit_phase[3];   /* the kiosk's CPU time of each exit: action, layout, paint */
  GArray     *nav[N_NAV][2];   /* ms, normal and large text */
  GArray     *nav_cpu[N_NAV];  /* the kiosk's CPU time for each of those taps, ms */
  GArray     *nav_phase[N_NAV][3];  /* of it: the action, the layout, the paint */
  GHashTable *nav_lang_max;    /* "KIND LANG" -> the slowest (double *) */
  GPtrArray  *languages;
  GArray     *round_anon_kb;   /* after each round of languages */
  GArray     *round_heap_kb;   /* malloc's in-use heap then */
  GArray     *wtap_ms;         /* real taps during the warm-up: finger lifted -> painted */
  GArray     *wtap_wait_ms;    /* press sent -> handled */
  guint       wtap_frames_max;
} Sessions;

void     sessions_init             (Sessions *s, const char *label);
void     sessions_clear            (Sessions *s);
gboolean sessions_run              (Driver *d, Sessions *s, const char *const *extra_env, gboolean in_cgroup,
                                    guint resets, guint warm_taps, GError **error);
gboolean sessions_print_memory     (Sessions *s);
gboolean sessions_print_navigation (Sessions *s, double median_ms, double max_ms);
void     sessions_print_languages  (Sessions *s);
void     sessions_print_phases     (Sessions *s);
gboolean sessions_print_exit       (Sessions *s, double max_ms);
gboolean sessions_print_warm_taps  (Sessions *s, double max_ms);

/* bench-kiosk-child.c */
int      run_session_child  (const char *config, const char *language, guint resets, guint warm_taps);
