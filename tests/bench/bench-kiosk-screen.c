/* bench-kiosk-screen.c — the whole X screen grabbed (MIT-SHM) and what is on it */
#define G_LOG_DOMAIN "fristad-bench"

#include "config.h"

#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include <gio/gio.h>

#include "bench-kiosk.h"

/* ---------------------------------------------------------------------------------------
 * The screen
 */

int x_errors;

int
count_x_error (Display     *display,
               XErrorEvent *event)
{
  x_errors++;   /* a window that went away while its title was read, a refused MIT-SHM */
  return 0;
}

gboolean
grabber_init (Grabber  *g,
              Display  *display,
              gboolean  try_shm,
              GError  **error)
{
  XWindowAttributes attrs;
  Visual *visual;

  memset (g, 0, sizeof *g);
  g->display = display;
  g->root = DefaultRootWindow (display);
  XGetWindowAttributes (display, g->root, &attrs);
  g->width = attrs.width;
  g->height = attrs.height;
  visual = attrs.visual;
  if (visual->class != TrueColor || visual->red_mask != 0xff0000 || visual->green_mask != 0xff00
      || visual->blue_mask != 0xff)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "the X screen is not 24-bit TrueColor");
      return FALSE;
    }
  if (try_shm && XShmQueryExtension (display))
    {
      g->image = XShmCreateImage (display, visual, attrs.depth, ZPixmap, NULL, &g->shm, g->width, g->height);
      if (g->image != NULL)
        {
          int before = x_errors;

          g->shm.shmid = shmget (IPC_PRIVATE, (size_t) g->image->bytes_per_line * g->height, IPC_CREAT | 0600);
          g->shm.shmaddr = g->image->data = g->shm.shmid >= 0 ? shmat (g->shm.shmid, NULL, 0) : (char *) -1;
          g->shm.readOnly = False;
          if (g->shm.shmaddr != (char *) -1)
            {
              XShmAttach (display, &g->shm);
              XSync (display, False);
              shmctl (g->shm.shmid, IPC_RMID, NULL);   /* gone once both sides detach */
              g->use_shm = x_errors == before;
            }
          if (!g->use_shm)
            {
              if (g->shm.shmaddr != (char *) -1)
                shmdt (g->shm.shmaddr);
              g->image->data = NULL;
              XDestroyImage (g->image);
              g->image = NULL;
            }
        }
    }
  return TRUE;
}

void
grabber_clear (Grabber *g)
{
  if (g->image == NULL)
    return;
  if (g->use_shm)
    {
      XShmDetach (g->display, &g->shm);
      XSync (g->display, False);
      shmdt (g->shm.shmaddr);
      g->image->data = NULL;
    }
  XDestroyImage (g->image);
  g->image = NULL;
}

gboolean
grabber_grab (Grabber *g)
{
  if (g->use_shm)
    return XShmGetImage (g->display, g->root, g->image, 0, 0, AllPlanes);
  if (g->image != NULL)
    XDestroyImage (g->image);
  g->image = XGetImage (g->display, g->root, 0, 0, g->width, g->height, AllPlanes, ZPixmap);
  return g->image != NULL;
}

static inline guint32
grabber_pixel (const Grabber *g,
               int            x,
               int            y)
{
  if (g->image->bits_per_pixel == 32 && g->image->byte_order == LSBFirst && G_BYTE_ORDER == G_LITTLE_ENDIAN)
    return ((const guint32 *) (gpointer) (g->image->data + (gsize) y * g->image->bytes_per_line))[x] & 0xffffff;
  return XGetPixel (g->image, x, y) & 0xffffff;
}

static inline gboolean
near (guint32 pixel,
      int     r,
      int     g,
      int     b,
      int     tolerance)
{
  return ABS ((int) (pixel >> 16 & 0xff) - r) <= tolerance
         && ABS ((int) (pixel >> 8 & 0xff) - g) <= tolerance
         && ABS ((int) (pixel & 0xff) - b) <= tolerance;
}

Look
grabber_look (const Grabber *g)
{
  Look look = { 0 };
  guint n = 0, n_lower = 0, background = 0, buttons = 0, red = 0, ink = 0;
  int lower_from = g->height * 2 / 5;

  for (int y = 0; y < g->height; y += SAMPLE_STEP)
    for (int x = 0; x < g->width; x += SAMPLE_STEP)
      {
        guint32 p = grabber_pixel (g, x, y);

        n++;
        background += near (p, 250, 250, 250, 2);
        buttons += near (p, 230, 230, 230, 2);
        red += near (p, 176, 0, 32, 8);
        if (y >= lower_from)
          {
            guint luma = (299 * (p >> 16 & 0xff) + 587 * (p >> 8 & 0xff) + 114 * (p & 0xff)) / 1000;

            n_lower++;
            ink += luma < 100;
          }
      }
  look.background = (double) background / n;
  look.buttons = (double) buttons / n;
  look.exit_red = (double) red / n;
  look.ink = n_lower ? (double) ink / n_lower : 0;
  return look;
}

gboolean
look_is_welcome (const Look *look)
{
  return look->background >= 0.30 && look->buttons >= 0.08 && look->exit_red >= 0.002 && look->ink >= 0.003;
}

gboolean
look_is_empty (const Look *look)
{
  return look->background < 0.05 && look->buttons < 0.02 && look->exit_red < 0.0005;
}

/* The sampled pixels, for comparing one screen with another. */
GArray *
grabber_samples (const Grabber *g)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (int y = 0; y < g->height; y += SAMPLE_STEP)
    for (int x = 0; x < g->width; x += SAMPLE_STEP)
      {
        guint32 p = grabber_pixel (g, x, y);

        g_array_append_val (samples, p);
      }
  return samples;
}

double
samples_difference (GArray *a,
                    GArray *b)
{
  guint differ = 0;

  if (a->len != b->len || a->len == 0)
    return 1.0;
  for (guint i = 0; i < a->len; i++)
    {
      guint32 p = g_array_index (a, guint32, i), q = g_array_index (b, guint32, i);

      differ += !near (p, (int) (q >> 16 & 0xff), (int) (q >> 8 & 0xff), (int) (q & 0xff), 8);
    }
  return (double) differ / a->len;
}

/* A point inside a language button (#e6e6e6, the lower 60 % of the screen): the left part
 * of the first row with 120 such pixels in a row, a little below that row. */
gboolean
grabber_find_button (const Grabber *g,
                     int           *x,
                     int           *y)
{
  for (int row = g->height * 2 / 5; row < g->height - 16; row += 2)
    {
      int run = 0;

      for (int col = 0; col < g->width; col++)
        {
          run = near (grabber_pixel (g, col, row), 230, 230, 230, 2) ? run + 1 : 0;
          if (run >= 120 && near (grabber_pixel (g, col - 100, row + 12), 230, 230, 230, 2))
            {
              *x = col - 100;
              *y = row + 12;
              return TRUE;
            }
        }
    }
  return FALSE;
}
