/* fr-test-util.h — what the command-line tests share: run a tool as a person would (no
 * terminal, no standard input), check one-line errors, scan a tree for a canary; and what
 * tests and benchmarks read of a process in /proc (its memory, its mappings). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int   status;   /* exit status */
  char *out;
  char *err;
} FrTestRun;

void fr_test_run_clear       (FrTestRun   *run);
void fr_test_run_tool        (FrTestRun   *run,
                              const char  *env_var,
                              const char  *first_arg,
                              ...) G_GNUC_NULL_TERMINATED;
void fr_test_assert_one_line (const char  *err);
guint fr_test_count_in_tree  (const char  *path,
                              const char  *needle,
                              guint       *n_files);
void fr_test_assert_no_canary (const char *dir,
                               const char *canary);
void fr_test_remove_tree     (const char  *path);

/* The main loop, run by a test (a UI test, a benchmark). */
void     fr_test_wait_ms           (guint       ms);
gboolean fr_test_wait_until        (gboolean  (*done) (gpointer),
                                    gpointer    data,
                                    guint       timeout_ms,
                                    guint       wake_ms);

/* /proc of process @pid (0: this process). */
guint64  fr_test_proc_status_kib   (GPid        pid,
                                    const char *field);
gboolean fr_test_proc_maps_contain (GPid        pid,
                                    const char *needle);

/* Fresh, empty homes for a test that checks that nothing is written: HOME, TMPDIR and the
 * XDG directories, made (0700) under @parent and set in the environment. Call before GLib
 * or GStreamer reads them. A snapshot lists every path under them (and under @also, if
 * not NULL); a path in a later snapshot and not in @before fails the test, naming it. */
#define FR_TEST_N_ROOTS 7
typedef struct
{
  char *dirs[FR_TEST_N_ROOTS];
} FrTestRoots;

void       fr_test_roots_init               (FrTestRoots       *roots,
                                             const char        *parent);
void       fr_test_roots_clear              (FrTestRoots       *roots);
GPtrArray *fr_test_roots_snapshot           (const FrTestRoots *roots,
                                             const char        *also);
void       fr_test_roots_assert_no_new_file (const FrTestRoots *roots,
                                             GPtrArray         *before,
                                             const char        *also,
                                             const char        *when);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FrTestRun, fr_test_run_clear)

G_END_DECLS
