/* bench-keyboard — the on-screen keyboard: key tap to glyph on screen, and memory
 *
 *   bench-keyboard [--rounds N]        (under xvfb-run + dbus-run-session: run-ui-test.sh)
 *
 * Prints figures; asserts nothing about them (tests assert behaviour, benchmarks print).
 * Exits non-zero only if something could not be measured (a key that is not there, a tap
 * that never reached the screen within 2 s).
 *
 * Tap to glyph. The kiosk is built in-process as the ui tests build it (a demo site with
 * every shipped language, the window full screen on Xvfb's 1280x800 screen, GSK_RENDERER
 * cairo). Each tap is a real one through the X server (XTest: pointer to the middle of the
 * key, button press, release — the release is GTK's click), as test-touch does. The clock
 * (CLOCK_MONOTONIC) starts just before the press is sent and stops at the end of the
 * first frame whose after-paint finds the change on screen — the field's text, or for a
 * pinyin letter the candidate bar's letters — plus an XSync, so the X server has the
 * pixels (bench-kiosk measures its quick exit the same way). Taps that type nothing
 * (Shift) are made but not timed. Each script is typed --rounds times (default 10), each
 * time in a new session (language, wizard, the code-word question, then quick exit):
 *   th  ส ว ั ส ด ี          vowels and tone marks on their consonant
 *   vi  ⇧ T i e ◌̂ ◌́ n g       marks combining into ế
 *   ar  م ر ح ب ا            joining, right to left
 *   uk  ⇧ П р и в і т ґ
 *   zh  n i h a o 你 好      pinyin held in the bar, then two candidates tapped
 *   en  k b d c a n a r y
 * The first round of each script is printed apart ("first"): this process has no warm-up
 * (the kiosk draws every screen once at start, kiosk/fr-kiosk-warmup.c), so its first taps
 * may load glyphs. The figure is the later rounds ("warm"): p50, p95, max, per script and
 * together, against the target of p95 under 50 ms.
 *
 * Memory. The keyboard's data: the heap that fr_keyboards_load() takes for the 12 shipped
 * layouts and the pinyin table (mallinfo2 before and after, the table also alone) and the
 * time it takes. The process: the same sessions are run in two child processes on the
 * same display, one with the site's on-screen-keyboard=always (typing the scripts above
 * by taps) and one with never (the same questions, no keyboard on screen; the layouts
 * are loaded either way, and their heap is the figure above); after each child's last
 * session, malloc_trim (0) (as the kiosk does after a reset) and 500 ms on the cover, Rss
 * and Pss from /proc/self/smaps_rollup.
 */
#define G_LOG_DOMAIN "fristad-bench"

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <X11/extensions/XTest.h>

#include "fr-keyboard-layout.h"
#include "fr-kiosk-candidates.h"
#include "fr-kiosk-context.h"
#include "fr-kiosk-keyboard.h"
#include "fr-kiosk-question.h"
#include "fr-pinyin.h"
#include "kiosk-fixture.h"

#define TAP_TIMEOUT_US (2 * G_USEC_PER_SEC)

typedef struct
{
  const char *lang;
  const char *keys[16];   /* "⇧" Shift, "=你" a candidate, else the key that types it */
} Script;

static const Script scripts[] = {
  { "th", { "ส", "ว", "ั", "ส", "ด", "ี", NULL } },
  { "vi", { "⇧", "T", "i", "e", "\u0302", "\u0301", "n", "g", NULL } },
  { "ar", { "م", "ر", "ح", "ب", "ا", NULL } },
  { "uk", { "⇧", "П", "р", "и", "в", "і", "т", "ґ", NULL } },
  { "zh_CN", { "n", "i", "h", "a", "o", "=你", "=好", NULL } },
  { "en", { "k", "b", "d", "c", "a", "n", "a", "r", "y", NULL } },
};

/* Waiting for a tap's change to be painted. */
typedef struct
{
  GtkWidget       *window;
  GtkWidget       *input;
  FrKioskKeyboard *keyboard;
  char            *before;     /* the field's text and the bar's letters before the tap */
  gboolean         waiting;
  gint64           t0, t1;
} Probe;

static char *
state_of (Probe *probe)
{
  GtkWidget *bar = fr_kiosk_keyboard_get_candidates (probe->keyboard);
  const char *letters = bar ? gtk_label_get_text (GTK_LABEL (fr_kiosk_candidates_get_typed (FR_KIOSK_CANDIDATES (bar)))) : "";

  return g_strconcat (gtk_editable_get_text (GTK_EDITABLE (probe->input)), "\n", letters, NULL);
}

static void
on_after_paint (GdkFrameClock *clock,
                Probe         *probe)
{
  g_autofree char *now = NULL;

  if (!probe->waiting || probe->input == NULL)
    return;
  now = state_of (probe);
  if (g_str_equal (now, probe->before))
    return;
  XSync (gdk_x11_display_get_xdisplay (gtk_widget_get_display (probe->window)), False);
  probe->t1 = g_get_monotonic_time ();
  probe->waiting = FALSE;
}

static void
root_position (GtkWidget *window,
               GtkWidget *widget,
               int       *root_x,
               int       *root_y)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  Display *dpy = gdk_x11_display_get_xdisplay (gtk_widget_get_display (window));
  graphene_rect_t bounds;
  double dx, dy;
  Window child;

  if (!gtk_widget_compute_bounds (widget, window, &bounds))
    g_error ("a key is not on screen");
  gtk_native_get_surface_transform (GTK_NATIVE (window), &dx, &dy);
  XTranslateCoordinates (dpy, gdk_x11_surface_get_xid (surface), DefaultRootWindow (dpy),
                         (int) (dx + bounds.origin.x + bounds.size.width / 2),
                         (int) (dy + bounds.origin.y + bounds.size.height / 2), root_x, root_y, &child);
}

static GtkWidget *
find_key (FrKioskKeyboard *keyboard,
          const char      *key)
{
  GtkWidget *widget;

  if (g_str_equal (key, "⇧"))
    widget = fr_kiosk_keyboard_find_key (keyboard, "keyboard.shift", NULL);
  else if (key[0] == '=')
    widget = fr_kiosk_candidates_find (FR_KIOSK_CANDIDATES (fr_kiosk_keyboard_get_candidates (keyboard)), key + 1);
  else
    widget = fr_kiosk_keyboard_find_key (keyboard, "keyboard.type", key);
  if (widget == NULL || !gtk_widget_get_mapped (widget))
    g_error ("no key %s on the %s keyboard", key, fr_kiosk_keyboard_get_layout_id (keyboard));
  return widget;
}

/* A real tap on @key; returns the microseconds to the glyph on screen, or -1 untimed. */
static gint64
tap (Probe      *probe,
     const char *key)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gtk_widget_get_display (probe->window));
  gboolean timed = !g_str_equal (key, "⇧");
  int x, y;

  root_position (probe->window, find_key (probe->keyboard, key), &x, &y);
  XTestFakeMotionEvent (dpy, -1, x, y, 0);
  XSync (dpy, False);
  g_free (probe->before);
  probe->before = state_of (probe);
  probe->waiting = timed;
  probe->t0 = g_get_monotonic_time ();
  XTestFakeButtonEvent (dpy, 1, True, 0);
  XTestFakeButtonEvent (dpy, 1, False, 0);
  XFlush (dpy);
  if (!timed)
    {
      kiosk_wait_frames (probe->window, 3);
      return -1;
    }
  while (probe->waiting && g_get_monotonic_time () - probe->t0 < TAP_TIMEOUT_US)
    g_main_context_iteration (NULL, TRUE);
  if (probe->waiting)
    g_error ("the tap on %s did not reach the screen in 2 s", key);
  /* The next key where it now is (a page may have changed). */
  kiosk_wait_frames (probe->window, 2);
  return probe->t1 - probe->t0;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
print_latencies (const char *name,
                 GArray     *us)
{
  gint64 *v;
  guint n = us->len;

  if (n == 0)
    return;
  g_array_sort (us, compare_gint64);
  v = (gint64 *) us->data;
  g_print ("  %-12s %4u taps  p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms\n", name, n,
           v[(n - 1) / 2] / 1000.0, v[MIN (n - 1, (guint) (0.95 * n))] / 1000.0, v[n - 1] / 1000.0);
}

static void
read_memory (guint64 *rss_kib,
             guint64 *pss_kib)
{
  g_autofree char *text = NULL;
  char *p;

  *rss_kib = *pss_kib = 0;
  if (!g_file_get_contents ("/proc/self/smaps_rollup", &text, NULL, NULL))
    return;
  if ((p = strstr (text, "\nRss:")) != NULL)
    *rss_kib = g_ascii_strtoull (p + 5, NULL, 10);
  if ((p = strstr (text, "\nPss:")) != NULL)
    *pss_kib = g_ascii_strtoull (p + 5, NULL, 10);
}

/* One child: sessions in every script's language, typing by taps if the keyboard is on. */
static int
run_child (gboolean keyboard_on,
           guint    rounds)
{
  KioskFixture *fixture = keyboard_on ? kiosk_fixture_new (FALSE)
                                      : kiosk_fixture_new_with_kiosk_key (FALSE, "on-screen-keyboard", "never");
  Probe probe = { GTK_WIDGET (fixture->window) };
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) warm = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  GdkFrameClock *clock;
  guint64 rss, pss;

  fr_kiosk_window_set_idle_timeout_ms (fixture->window, 600000);
  kiosk_wait_frames (probe.window, 3);
  clock = gtk_widget_get_frame_clock (probe.window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &probe);
  for (guint s = 0; s < G_N_ELEMENTS (scripts); s++)
    {
      g_ptr_array_add (first, g_array_new (FALSE, FALSE, sizeof (gint64)));
      g_ptr_array_add (warm, g_array_new (FALSE, FALSE, sizeof (gint64)));
    }

  for (guint round = 0; round < rounds; round++)
    for (guint s = 0; s < G_N_ELEMENTS (scripts); s++)
      {
        GtkWidget *page;

        kiosk_activate (fixture, NULL, "kiosk.language", scripts[s].lang);
        kiosk_activate (fixture, NULL, "kiosk.wizard", NULL);
        if (!kiosk_wizard_go_to_kind (fixture, FR_QUESTION_SHORT_TEXT, "x"))
          g_error ("no text question in %s", scripts[s].lang);
        kiosk_wait_frames (probe.window, 3);
        page = fr_kiosk_wizard_get_current_page (kiosk_wizard (fixture));
        probe.input = fr_kiosk_question_get_input (FR_KIOSK_QUESTION (page));
        if (keyboard_on)
          {
            probe.keyboard = FR_KIOSK_KEYBOARD (fr_kiosk_wizard_get_keyboard (kiosk_wizard (fixture)));
            for (guint k = 0; scripts[s].keys[k]; k++)
              {
                gint64 us = tap (&probe, scripts[s].keys[k]);

                if (us < 0)
                  continue;
                g_array_append_val (round == 0 ? g_ptr_array_index (first, s) : g_ptr_array_index (warm, s), us);
                if (round > 0)
                  g_array_append_val (all, us);
              }
          }
        probe.input = NULL;
        probe.keyboard = NULL;
        kiosk_activate (fixture, NULL, "kiosk.quick-exit", NULL);
        kiosk_wait_frames (probe.window, 2);
      }

  kiosk_wait (300);
  malloc_trim (0);
  kiosk_wait (500);
  read_memory (&rss, &pss);
  g_signal_handlers_disconnect_by_data (clock, &probe);

  if (keyboard_on)
    {
      g_print ("Tap to glyph on screen (XTest tap to the after-paint showing the change, + XSync), %u rounds:\n", rounds);
      g_print (" first round (no warm-up in this process):\n");
      for (guint s = 0; s < G_N_ELEMENTS (scripts); s++)
        print_latencies (scripts[s].lang, g_ptr_array_index (first, s));
      g_print (" warm (rounds 2-%u):\n", rounds);
      for (guint s = 0; s < G_N_ELEMENTS (scripts); s++)
        print_latencies (scripts[s].lang, g_ptr_array_index (warm, s));
      print_latencies ("all", all);
      if (all->len > 0)
        g_print ("  target p95 < 50 ms: %s\n",
                 g_array_index (all, gint64, MIN (all->len - 1, (guint) (0.95 * all->len))) < 50000 ? "met" : "MISSED");
    }
  g_print ("memory %s: rss %" G_GUINT64_FORMAT " KiB pss %" G_GUINT64_FORMAT " KiB\n",
           keyboard_on ? "always" : "never", rss, pss);
  g_free (probe.before);
  kiosk_fixture_free (fixture);
  return 0;
}

/* The heap fr_keyboards_load() and fr_pinyin_table_load() take, and their time. */
static void
print_data_cost (void)
{
  g_autofree char *content_dir = fr_kiosk_context_find_content_dir ();
  g_autofree char *table_path = g_build_filename (content_dir, "keyboards", "zh.pinyin", NULL);
  g_autoptr(GError) error = NULL;
  struct mallinfo2 before, after;
  FrKeyboards *keyboards;
  FrPinyinTable *table;
  gint64 t0, t1;

  malloc_trim (0);
  before = mallinfo2 ();
  t0 = g_get_monotonic_time ();
  keyboards = fr_keyboards_load (content_dir, NULL, &error);
  t1 = g_get_monotonic_time ();
  after = mallinfo2 ();
  g_assert_no_error (error);
  g_print ("Keyboard data: %u layouts with the pinyin table: %zu KiB of heap, loaded in %.1f ms\n",
           fr_keyboards_get_n_layouts (keyboards), (after.uordblks - before.uordblks) / 1024,
           (t1 - t0) / 1000.0);
  fr_keyboards_free (keyboards);

  malloc_trim (0);
  before = mallinfo2 ();
  t0 = g_get_monotonic_time ();
  table = fr_pinyin_table_load (table_path, &error);
  t1 = g_get_monotonic_time ();
  after = mallinfo2 ();
  g_assert_no_error (error);
  g_print ("  of which the pinyin table (%u syllables): %zu KiB, %.1f ms\n", fr_pinyin_table_get_n_syllables (table),
           (after.uordblks - before.uordblks) / 1024, (t1 - t0) / 1000.0);
  fr_pinyin_table_free (table);
}

/* A child's figures: its output less GTest's "# …" lines. */
static void
print_figures (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    if (lines[i][0] != '\0' && lines[i][0] != '#')
      g_print ("%s\n", lines[i]);
}

static guint64
memory_field (const char *out,
              const char *name)
{
  const char *p = strstr (out, name);

  return p ? g_ascii_strtoull (p + strlen (name), NULL, 10) : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *child = NULL;
  int rounds = 10;
  GOptionEntry entries[] = {
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Sessions per script (the first is printed apart)", "N" },
    { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &child, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("— the on-screen keyboard's tap-to-glyph time and memory");
  g_autoptr(GError) error = NULL;
  g_autofree char *out_on = NULL, *out_off = NULL;
  int status_on = 0, status_off = 0;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || rounds < 2)
    {
      g_printerr ("bench-keyboard: %s\n", error ? error->message : "--rounds must be at least 2");
      return 2;
    }
  if (child != NULL)
    {
      kiosk_test_init (&argc, &argv);
      return run_child (g_str_equal (child, "always"), (guint) rounds);
    }

  print_data_cost ();
  {
    g_autofree char *n = g_strdup_printf ("%d", rounds);
    const char *argv_on[] = { argv[0], "--child", "always", "--rounds", n, NULL };
    const char *argv_off[] = { argv[0], "--child", "never", "--rounds", n, NULL };

    if (!g_spawn_sync (NULL, (char **) argv_on, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out_on, NULL, &status_on, &error)
        || !g_spawn_sync (NULL, (char **) argv_off, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out_off, NULL, &status_off, &error))
      g_error ("bench-keyboard: %s", error->message);
  }
  print_figures (out_on);
  if (!g_spawn_check_wait_status (status_on, &error) || !g_spawn_check_wait_status (status_off, &error))
    {
      g_printerr ("bench-keyboard: a child failed: %s\n", error->message);
      return 1;
    }
  print_figures (out_off);
  g_print ("Kiosk process after the same %d sessions a script, then quick exit and malloc_trim:\n"
           "  keyboard always: rss %" G_GUINT64_FORMAT " KiB, pss %" G_GUINT64_FORMAT " KiB\n"
           "  keyboard never:  rss %" G_GUINT64_FORMAT " KiB, pss %" G_GUINT64_FORMAT " KiB (no keyboard widgets; the "
           "layouts are loaded either way)\n",
           rounds, memory_field (out_on, "memory always: rss "), memory_field (out_on, " KiB pss "),
           memory_field (out_off, "memory never: rss "), memory_field (out_off, " KiB pss "));
  return 0;
}
