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

/* bench-kiosk-child.c */
int      run_session_child  (const char *config, const char *language, guint resets);
