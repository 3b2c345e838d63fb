/* bench-kiosk-sessions.c — one run of the session child (bench-kiosk-child.c), its lines
 * read back and reported: navigation, the memory over the sessions, quick exit, real taps
 * during the warm-up */
#define G_LOG_DOMAIN "fristad-bench"

#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include <gio/gio.h>

#include "bench-kiosk.h"

static const char * const nav_kinds[N_NAV] = { "start", "home", "topic", "back", "wizard", "next" };
static const char * const nav_labels[N_NAV] = {
  "cover -> welcome", "language -> home", "home -> topic", "topic -> home (Home)",
  "home -> first question", "next question",
};

static int
nav_index (const char *kind)
{
  for (int i = 0; i < N_NAV; i++)
    if (g_str_equal (nav_kinds[i], kind))
      return i;
  return -1;
}

void
sessions_init (Sessions   *s,
               const char *label)
{
  memset (s, 0, sizeof *s);
  s->label = label;
  s->exit_ms = g_array_new (FALSE, FALSE, sizeof (double));
  s->exit_large_ms = g_array_new (FALSE, FALSE, sizeof (double));
  s->reset_call_ms = g_array_new (FALSE, FALSE, sizeof (double));
  for (int p = 0; p < 3; p++)
    s->exit_phase[p] = g_array_new (FALSE, FALSE, sizeof (double));
  s->round_anon_kb = g_array_new (FALSE, FALSE, sizeof (double));
  s->round_heap_kb = g_array_new (FALSE, FALSE, sizeof (double));
  s->wtap_ms = g_array_new (FALSE, FALSE, sizeof (double));
  s->wtap_wait_ms = g_array_new (FALSE, FALSE, sizeof (double));
  for (int k = 0; k < N_NAV; k++)
    {
      for (int l = 0; l < 2; l++)
        s->nav[k][l] = g_array_new (FALSE, FALSE, sizeof (double));
      s->nav_cpu[k] = g_array_new (FALSE, FALSE, sizeof (double));
      for (int p = 0; p < 3; p++)
        s->nav_phase[k][p] = g_array_new (FALSE, FALSE, sizeof (double));
    }
  s->nav_lang_max = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  s->languages = g_ptr_array_new_with_free_func (g_free);
}

void
sessions_clear (Sessions *s)
{
  g_array_unref (s->exit_ms);
  g_array_unref (s->exit_large_ms);
  g_array_unref (s->reset_call_ms);
  for (int p = 0; p < 3; p++)
    g_array_unref (s->exit_phase[p]);
  g_array_unref (s->round_anon_kb);
  g_array_unref (s->round_heap_kb);
  g_array_unref (s->wtap_ms);
  g_array_unref (s->wtap_wait_ms);
  for (int k = 0; k < N_NAV; k++)
    {
      for (int l = 0; l < 2; l++)
        g_array_unref (s->nav[k][l]);
      g_array_unref (s->nav_cpu[k]);
      for (int p = 0; p < 3; p++)
        g_array_unref (s->nav_phase[k][p]);
    }
  g_hash_table_unref (s->nav_lang_max);
  g_ptr_array_unref (s->languages);
}

static void
add_nav (Sessions   *s,
         int         kind,
         const char *lang,
         gboolean    large,
         double      ms,
         double      cpu_ms)
{
  g_autofree char *key = g_strdup_printf ("%s %s", nav_kinds[kind], lang);
  double *max = g_hash_table_lookup (s->nav_lang_max, key);

  push (s->nav[kind][large ? 1 : 0], ms);
  push (s->nav_cpu[kind], cpu_ms);
  if (max == NULL)
    {
      max = g_new (double, 1);
      *max = ms;
      g_hash_table_insert (s->nav_lang_max, g_steal_pointer (&key), max);
    }
  else
    *max = MAX (*max, ms);
  for (guint i = 0; i < s->languages->len; i++)
    if (g_str_equal (s->languages->pdata[i], lang))
      return;
  g_ptr_array_add (s->languages, g_strdup (lang));
}

static void
parse_line (Sessions  *s,
            char     **f)
{
  guint n = g_strv_length (f);

  if (n < 2)
    return;
  if (g_str_equal (f[0], "mem") && n >= 6)
    {
      Memory m = { 1, g_ascii_strtoull (f[2], NULL, 10), g_ascii_strtoull (f[3], NULL, 10),
                   g_ascii_strtoull (f[4], NULL, 10) };

      if (g_str_equal (f[1], "start"))
        s->start = m;
      else if (g_str_equal (f[1], "first-frame"))
        s->first_frame = m;
      else if (g_str_equal (f[1], "warm"))
        {
          s->warm = m;
          s->warm_after = (guint) g_ascii_strtoull (f[5], NULL, 10);
        }
      else if (g_str_equal (f[1], "round"))
        {
          push (s->round_anon_kb, (double) m.anon_kb);
          push (s->round_heap_kb, n >= 7 ? g_ascii_strtod (f[6], NULL) : NAN);
        }
      else if (g_str_equal (f[1], "end"))
        s->end = m;
    }
  else if (g_str_equal (f[0], "languages"))
    s->n_languages = (guint) g_ascii_strtoull (f[1], NULL, 10);
  else if (g_str_equal (f[0], "resets"))
    s->resets = (guint) g_ascii_strtoull (f[1], NULL, 10);
  else if (g_str_equal (f[0], "verified"))
    s->verified = (guint) g_ascii_strtoull (f[1], NULL, 10);
  else if (g_str_equal (f[0], "first-frame-at"))
    s->first_frame_ms = (g_ascii_strtoll (f[1], NULL, 10) - s->spawned_mono) / 1000.0;
  else if (g_str_equal (f[0], "warm-up-done-at"))
    s->warm_done_ms = (g_ascii_strtoll (f[1], NULL, 10) - s->spawned_mono) / 1000.0;
  else if (g_str_equal (f[0], "nav") && n >= 6 && nav_index (f[1]) >= 0)
    {
      int k = nav_index (f[1]);

      add_nav (s, k, f[2], g_str_equal (f[3], "1"), g_ascii_strtod (f[4], NULL) / 1000.0,
               g_ascii_strtod (f[5], NULL) / 1000.0);
      for (guint p = 0; p < 3 && n >= 9; p++)
        push (s->nav_phase[k][p], g_ascii_strtod (f[6 + p], NULL) / 1000.0);
    }
  else if (g_str_equal (f[0], "wtap") && n >= 4)
    {
      guint frames = (guint) g_ascii_strtoull (f[3], NULL, 10);

      push (s->wtap_ms, g_ascii_strtod (f[1], NULL) / 1000.0);
      push (s->wtap_wait_ms, g_ascii_strtod (f[2], NULL) / 1000.0);
      s->wtap_frames_max = MAX (s->wtap_frames_max, frames);
    }
  else if (g_str_equal (f[0], "exit") && n >= 6)
    {
      push (s->exit_ms, g_ascii_strtod (f[1], NULL) / 1000.0);
      push (s->reset_call_ms, g_ascii_strtod (f[2], NULL) / 1000.0);
      if (g_str_equal (f[5], "1"))
        push (s->exit_large_ms, g_ascii_strtod (f[1], NULL) / 1000.0);
      for (guint p = 0; p < 3 && n >= 9; p++)
        push (s->exit_phase[p], g_ascii_strtod (f[6 + p], NULL) / 1000.0);
    }
}

/* Runs `bench-kiosk --session-child` with @extra_env on top of the driver's environment
 * (in the bench's CPU cgroup if @in_cgroup) and reads its lines back. */
gboolean
sessions_run (Driver             *d,
              Sessions           *s,
              const char *const  *extra_env,
              gboolean            in_cgroup,
              guint               resets,
              guint               warm_taps,
              GError            **error)
{
  g_autofree char *name = g_strdup_printf ("sessions-%p", (void *) s);
  g_autofree char *out_path = g_strdup_printf ("%s/%s.out", d->work_dir, name);
  g_autofree char *err_path = g_strdup_printf ("%s/%s.err", d->work_dir, name);
  g_autofree char *resets_arg = g_strdup_printf ("%u", resets);
  g_autofree char *taps_arg = g_strdup_printf ("%u", warm_taps);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) envp = g_strdupv (d->envp);
  char *argv[] = { d->self_exe, (char *) "--session-child", (char *) "--config", d->config,
                   (char *) "--resets", resets_arg, (char *) "--warm-taps", taps_arg,
                   d->language ? (char *) "--language" : NULL, d->language, NULL };
  gint64 deadline;
  Launch l;

  for (guint i = 0; extra_env != NULL && extra_env[i] && extra_env[i + 1]; i += 2)
    envp = g_environ_setenv (envp, extra_env[i], extra_env[i + 1], TRUE);
  if (!launch (&l, argv, envp, in_cgroup, out_path, err_path, error))
    return FALSE;
  s->spawned_mono = l.spawned_mono;
  /* A bound, not a target: a quarter core and a loaded machine are slow. */
  deadline = g_get_monotonic_time () + ((gint64) resets * (in_cgroup ? 20 : 4) + 1500) * G_USEC_PER_SEC;
  while (!launch_exited (&l) && g_get_monotonic_time () < deadline)
    g_usleep (50000);
  if (!l.reaped || !WIFEXITED (l.status) || WEXITSTATUS (l.status) != 0)
    {
      terminate (&l);
      print_log_tail (err_path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the session child (%s) failed", s->label);
      return FALSE;
    }
  terminate (&l);
  if (!g_file_get_contents (out_path, &text, NULL, error))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);

      parse_line (s, f);
    }
  if (s->resets == 0 || s->exit_ms->len != s->resets)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the session child (%s) reported %u of %u resets",
                   s->label, s->exit_ms->len, s->resets);
      return FALSE;
    }
  return TRUE;
}

static void
print_memory_row (const char   *label,
                  const Memory *m)
{
  g_print ("  %-22s %6.1f MiB %6.1f MiB %6.1f MiB %8.1f MiB\n", label, mib ((double) m->rss_kb),
           mib ((double) m->pss_kb), mib ((double) m->anon_kb), mib ((double) (m->rss_kb - m->anon_kb)));
}

static double
round_kb (GArray *a,
          guint   i)
{
  return g_array_index (a, double, i);
}

/* The memory over the sessions. Large text alternates by round (a language is in large
 * text every other round), and what a round ends with differs by that (the font caches
 * hold the last sizes): so each round is compared with the first round of the same kind,
 * the first two rounds being every language once in each size. Returns whether the
 * sustained growth of the anonymous memory stayed under SOAK_GROWTH_MIB. */
gboolean
sessions_print_memory (Sessions *s)
{
  double growth = (double) s->end.rss_kb / s->start.rss_kb - 1.0;
  double anon_peak = -G_MAXDOUBLE, heap_peak = -G_MAXDOUBLE, naive_peak = -G_MAXDOUBLE, sustained;
  guint n_rounds = s->round_anon_kb->len, every;
  gboolean met;

  g_print ("  %-22s %10s %10s %10s %12s\n", "", "RSS", "PSS", "anonymous", "file-backed");
  if (s->first_frame.rss_kb > 0)
    print_memory_row ("at first frame", &s->first_frame);
  print_memory_row ("after start", &s->start);
  if (s->warm_after > 0 && s->warm_after < s->resets)
    {
      g_autofree char *label = g_strdup_printf ("after %u sessions", s->warm_after);

      print_memory_row (label, &s->warm);
    }
  {
    g_autofree char *label = g_strdup_printf ("after %u sessions", s->resets);

    print_memory_row (label, &s->end);
  }
  g_print ("  RSS growth since start: %+.2f %% (anonymous %+.2f MiB, file-backed %+.2f MiB)\n", growth * 100,
           mib ((double) s->end.anon_kb - s->start.anon_kb),
           mib (((double) s->end.rss_kb - s->end.anon_kb) - ((double) s->start.rss_kb - s->start.anon_kb)));
  if (n_rounds < 3)
    {
      g_print ("  (fewer than three rounds of languages: no growth after the first to measure)\n");
      return TRUE;
    }
  every = MAX (1, n_rounds / 10);
  g_print ("  after each round of %u languages (sessions: anonymous MiB / malloc in use MiB):\n   ", s->n_languages);
  for (guint i = 0; i < n_rounds; i += every)
    g_print (" %u: %.2f/%.2f", (i + 1) * s->n_languages, mib (round_kb (s->round_anon_kb, i)),
             mib (round_kb (s->round_heap_kb, i)));
  if ((n_rounds - 1) % every != 0)
    g_print (" %u: %.2f/%.2f", n_rounds * s->n_languages, mib (round_kb (s->round_anon_kb, n_rounds - 1)),
             mib (round_kb (s->round_heap_kb, n_rounds - 1)));
  g_print ("\n");
  for (guint i = 2; i < n_rounds; i++)
    {
      anon_peak = MAX (anon_peak, round_kb (s->round_anon_kb, i) - round_kb (s->round_anon_kb, i % 2));
      heap_peak = MAX (heap_peak, round_kb (s->round_heap_kb, i) - round_kb (s->round_heap_kb, i % 2));
    }
  for (guint i = 1; i < n_rounds; i++)
    naive_peak = MAX (naive_peak, round_kb (s->round_anon_kb, i) - round_kb (s->round_anon_kb, 0));
  /* Growth is what stays: the median of the last five readings (each against the first
   * round of its kind). A single reading can catch memory freed but not yet given back. */
  {
    g_autoptr(GArray) last = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint i = MAX (2, n_rounds >= 5 ? n_rounds - 5 : 2); i < n_rounds; i++)
      push (last, round_kb (s->round_anon_kb, i) - round_kb (s->round_anon_kb, i % 2));
    sustained = median (last);
  }
  /* A few rounds say nothing of months: judged from eight rounds on (the soak is 2,000). */
  met = sustained < SOAK_GROWTH_MIB * 1024 || n_rounds < 8;
  g_print ("  anonymous growth after the first round (each round against the first of its kind), over %u sessions:\n"
           "    %+.2f MiB sustained (median of the last readings; %+.2f KiB a session), %+.2f MiB at the highest\n"
           "    reading; malloc in use at most %+.2f MiB; against the very first round at most %+.2f MiB\n"
           "    (target < %.0f MiB: %s)\n",
           (n_rounds - 2) * s->n_languages, mib (sustained), sustained / ((n_rounds - 2) * s->n_languages),
           mib (anon_peak), mib (heap_peak), mib (naive_peak), SOAK_GROWTH_MIB,
           n_rounds < 8 ? "not judged under 8 rounds" : met ? "met" : "MISSED");
  return met;
}

/* Median and max of each transition, in normal and in large text, and the slowest
 * language. Returns whether every tap met @max_ms and every median @median_ms. */
gboolean
sessions_print_navigation (Sessions *s,
                           double    median_ms,
                           double    max_ms)
{
  gboolean met = TRUE;

  g_print ("  %-24s %17s %17s %18s %13s\n", "", "normal text", "large + contrast", "slowest language", "CPU time");
  g_print ("  %-24s %4s %6s %6s %4s %6s %6s %18s %6s %6s\n", "", "n", "median", "max", "n", "median", "max", "", "median",
           "max");
  for (int k = 0; k < N_NAV; k++)
    {
      const char *worst = NULL;
      double worst_ms = -1;

      for (guint i = 0; i < s->languages->len; i++)
        {
          g_autofree char *key = g_strdup_printf ("%s %s", nav_kinds[k], (char *) s->languages->pdata[i]);
          double *max = g_hash_table_lookup (s->nav_lang_max, key);

          if (max != NULL && *max > worst_ms)
            {
              worst_ms = *max;
              worst = s->languages->pdata[i];
            }
        }
      g_print ("  %-24s", nav_labels[k]);
      for (int l = 0; l < 2; l++)
        {
          GArray *a = s->nav[k][l];

          if (a->len == 0)
            {
              g_print (" %4u %6s %6s", 0u, "-", "-");
              continue;
            }
          g_print (" %4u %6.1f %6.1f", a->len, median (a), quantile (a, 1));
          if (median (a) > median_ms || quantile (a, 1) > max_ms)
            met = FALSE;
        }
      if (worst != NULL)
        g_print ("   %-6s %6.1f ms", worst, worst_ms);
      else
        g_print ("   %-6s %6s   ", "-", "-");
      g_print (" %6.1f %6.1f\n", median (s->nav_cpu[k]), quantile (s->nav_cpu[k], 1));
    }
  g_print ("  (ms; tap = the action the button activates, painted = the end of the first frame after\n"
           "  it, XSync'd; CPU time: the kiosk process's, both sizes, the same whatever the machine's load;\n"
           "  target: median <= %.0f ms and every tap <= %.0f ms, in every language and size: %s)\n",
           median_ms, max_ms, met ? "met" : "MISSED");
  return met;
}

/* Where a tap's CPU time goes: the action (the new screen built, the old one removed),
 * the frame's layout (measuring and allocating) and its paint (snapshot, render). */
void
sessions_print_phases (Sessions *s)
{
  g_print ("  the kiosk's CPU time per tap, median ms: %8s %8s %8s\n", "action", "layout", "paint");
  for (int k = 0; k < N_NAV; k++)
    if (s->nav_phase[k][0]->len > 0)
      g_print ("    %-38s %8.1f %8.1f %8.1f\n", nav_labels[k], median (s->nav_phase[k][0]), median (s->nav_phase[k][1]),
               median (s->nav_phase[k][2]));
  g_print ("  (action: building the new screen and removing the old one; layout: measuring and\n"
           "  allocating; paint: snapshot and render; the X server's share of the render is not in it)\n");
}

/* Each language's slowest tap of each transition, both sizes. */
void
sessions_print_languages (Sessions *s)
{
  g_print ("  slowest tap per language (ms):\n  %-8s", "");
  for (int k = 0; k < N_NAV; k++)
    g_print (" %7s", nav_kinds[k]);
  g_print ("\n");
  for (guint i = 0; i < s->languages->len; i++)
    {
      g_print ("  %-8s", (char *) s->languages->pdata[i]);
      for (int k = 0; k < N_NAV; k++)
        {
          g_autofree char *key = g_strdup_printf ("%s %s", nav_kinds[k], (char *) s->languages->pdata[i]);
          double *max = g_hash_table_lookup (s->nav_lang_max, key);

          if (max != NULL)
            g_print (" %7.1f", *max);
          else
            g_print (" %7s", "-");
        }
      g_print ("\n");
    }
}

/* Returns whether the quick exit's max met @max_ms. */
gboolean
sessions_print_exit (Sessions *s,
                     double    max_ms)
{
  gboolean met = quantile (s->exit_ms, 1) < max_ms;

  g_print ("  quick exit (Exit action -> cover painted, XSync): median %.2f ms, p95 %.2f ms, max %.2f ms\n"
           "    (target < %.0f ms: %s)\n", median (s->exit_ms), quantile (s->exit_ms, 0.95), quantile (s->exit_ms, 1),
           max_ms, met ? "met" : "MISSED");
  if (s->exit_large_ms->len > 0)
    g_print ("    of which after large-text + high-contrast sessions (%u): median %.2f ms, max %.2f ms\n",
             s->exit_large_ms->len, median (s->exit_large_ms), quantile (s->exit_large_ms, 1));
  g_print ("    of which the action itself (wipe + cover, synchronous): median %.2f ms, max %.2f ms\n",
           median (s->reset_call_ms), quantile (s->reset_call_ms, 1));
  if (s->exit_phase[0]->len > 0)
    g_print ("    the kiosk's CPU time, median: action %.1f ms, layout %.1f ms, paint %.1f ms\n",
             median (s->exit_phase[0]), median (s->exit_phase[1]), median (s->exit_phase[2]));
  g_print ("  cover checked on screen after each exit: %u of %u matched\n", s->verified, s->resets);
  return met && s->verified == s->resets;
}

/* Real taps (XTest) on a language button while the warm-up runs. Returns whether every
 * tap met @max_ms and no warm-up frame came between a press and its screen. */
gboolean
sessions_print_warm_taps (Sessions *s,
                          double    max_ms)
{
  gboolean met;

  if (s->wtap_ms->len == 0)
    {
      g_print ("  no tap during the warm-up (it was over before the first)\n");
      return TRUE;
    }
  met = quantile (s->wtap_ms, 1) <= max_ms && s->wtap_frames_max == 0;
  g_print ("  %u real taps (XTest press, 60 ms, release) on a language button at random moments of the warm-up:\n"
           "    finger lifted -> home painted   median %6.1f ms, max %6.1f ms\n"
           "    press waited for the kiosk      median %6.1f ms, max %6.1f ms (a warm-up step in the way)\n"
           "    warm-up frames drawn after a press was handled, before its screen: at most %u\n"
           "    (target: every tap <= %.0f ms, no warm-up frame in between: %s)\n",
           s->wtap_ms->len, median (s->wtap_ms), quantile (s->wtap_ms, 1), median (s->wtap_wait_ms),
           quantile (s->wtap_wait_ms, 1), s->wtap_frames_max, max_ms, met ? "met" : "MISSED");
  return met;
}
