/* fr-test-util.h — what the command-line tests share: run a tool as a person would (no
 * terminal, no standard input), check one-line errors, scan a tree for a canary. */
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

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FrTestRun, fr_test_run_clear)

G_END_DECLS
