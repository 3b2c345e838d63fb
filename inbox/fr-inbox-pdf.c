/* fr-inbox-pdf.c — one record as a PDF for the case file */
#define G_LOG_DOMAIN "fristad-inbox"

#include "config.h"

#include <cairo-pdf.h>
#include "fr-inbox-i18n.h"
#include <pango/pangocairo.h>
#include <sodium.h>
#include <string.h>

#include "fr-inbox-followup.h"
#include "fr-inbox-pdf.h"

/* A4 in points, 2 cm margins. */
#define PAGE_WIDTH   595.0
#define PAGE_HEIGHT  842.0
#define MARGIN        57.0

static void
append_escaped (GString    *markup,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append (markup, escaped);
}

/* The record view's widgets, in order: labels as paragraphs (headings bold), a question
 * and its answer as one line. */
static void
append_widget (GString   *markup,
               GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      if (gtk_widget_has_css_class (widget, "title-1"))
        g_string_append (markup, "<span size=\"x-large\" weight=\"bold\">");
      else if (gtk_widget_has_css_class (widget, "heading") || gtk_widget_has_css_class (widget, "title-3"))
        g_string_append (markup, "\n<b>");
      else
        g_string_append (markup, "<span>");
      append_escaped (markup, text);
      g_string_append (markup, gtk_widget_has_css_class (widget, "heading")
                               || gtk_widget_has_css_class (widget, "title-3") ? "</b>\n" : "</span>\n");
      return;
    }
  if (GTK_IS_BOX (widget) && gtk_orientable_get_orientation (GTK_ORIENTABLE (widget)) == GTK_ORIENTATION_HORIZONTAL)
    {
      GtkWidget *q = gtk_widget_get_first_child (widget);
      GtkWidget *a = q ? gtk_widget_get_next_sibling (q) : NULL;

      if (GTK_IS_LABEL (q) && GTK_IS_LABEL (a))
        {
          g_string_append (markup, "<span foreground=\"#555555\">");
          append_escaped (markup, gtk_label_get_text (GTK_LABEL (q)));
          g_string_append (markup, "</span>\t");
          append_escaped (markup, gtk_label_get_text (GTK_LABEL (a)));
          g_string_append (markup, "\n");
          return;
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    append_widget (markup, child);
}

static void
append_pair (GString    *markup,
             const char *question,
             const char *answer)
{
  g_string_append (markup, "<span foreground=\"#555555\">");
  append_escaped (markup, question);
  g_string_append (markup, "</span>\t");
  append_escaped (markup, answer);
  g_string_append (markup, "\n");
}

static void
append_followup (GString          *markup,
                 const FrFollowup *followup)
{
  g_autofree char *first = NULL, *reflect = NULL, *left = NULL;

  g_string_append (markup, "\n<b>");
  append_escaped (markup, _("Follow-up"));
  g_string_append (markup, "</b>\n");
  if (followup == NULL)
    {
      append_escaped (markup, _("The follow-up of this record does not open."));
      g_string_append (markup, "\n");
      return;
    }
  first = fr_followup_format_date (followup->first_contact);
  reflect = fr_followup_format_date (followup->reflection_start);
  left = fr_inbox_followup_reflection_text (followup, fr_followup_today ());
  append_pair (markup, _("Status"), fr_inbox_followup_status_label (followup->status));
  append_pair (markup, _("Date of first contact"), *first ? first : "—");
  append_pair (markup, _("Reflection period starts"), *reflect ? reflect : "—");
  if (left != NULL)
    append_pair (markup, _("Reflection period"), left);
  if (followup->notes->len > 0)
    append_pair (markup, _("Notes"), (const char *) followup->notes->data);
}

typedef struct
{
  GOutputStream *stream;
  GError        *error;
} Sink;

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  Sink *sink = closure;

  if (sink->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (sink->stream, data, length, NULL, NULL, &sink->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

/* Lays @layout out line by line over as many pages as it takes. */
static void
draw_pages (cairo_t     *cr,
            PangoLayout *layout)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  double page_top = 0;   /* layout y (points) at the top of the current page */

  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      PangoRectangle logical;
      double top, bottom, baseline;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      top = (double) logical.y / PANGO_SCALE;
      bottom = (double) (logical.y + logical.height) / PANGO_SCALE;
      if (bottom - page_top > PAGE_HEIGHT - 2 * MARGIN && top > page_top)
        {
          cairo_show_page (cr);
          page_top = top;
        }
      baseline = (double) pango_layout_iter_get_baseline (iter) / PANGO_SCALE;
      cairo_move_to (cr, MARGIN + (double) logical.x / PANGO_SCALE, MARGIN + baseline - page_top);
      pango_cairo_show_layout_line (cr, line);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

gboolean
fr_inbox_pdf_write (GtkWidget        *record_body,
                    const char       *receipt,
                    const FrFollowup *followup,
                    GFile            *file,
                    GError          **error)
{
  g_autoptr(GString) markup = g_string_new (NULL);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *title = NULL;
  PangoFontDescription *font;
  PangoTabArray *tabs;
  cairo_surface_t *surface;
  cairo_t *cr;
  Sink sink = { 0 };
  cairo_status_t status;

  g_return_val_if_fail (GTK_IS_WIDGET (record_body), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  append_widget (markup, record_body);
  append_followup (markup, followup);

  /* Written beside the target and renamed over it when complete; private from the start. */
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (out == NULL)
    {
      sodium_memzero (markup->str, markup->len);
      return FALSE;
    }
  sink.stream = G_OUTPUT_STREAM (out);
  surface = cairo_pdf_surface_create_for_stream (write_cb, &sink, PAGE_WIDTH, PAGE_HEIGHT);
  /* Translators: the PDF's title; %s is the record's receipt code */
  title = g_strdup_printf (_("Record %s"), receipt);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "fristad-inbox");
  cr = cairo_create (surface);

  layout = pango_cairo_create_layout (cr);
  font = pango_font_description_from_string ("Sans 10");
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (layout, (int) ((PAGE_WIDTH - 2 * MARGIN) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  tabs = pango_tab_array_new_with_positions (1, TRUE, PANGO_TAB_LEFT, 190);
  pango_layout_set_tabs (layout, tabs);
  pango_tab_array_free (tabs);
  pango_layout_set_markup (layout, markup->str, (int) markup->len);
  sodium_memzero (markup->str, markup->len);

  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_pages (cr, layout);
  cairo_show_page (cr);
  g_clear_object (&layout);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (sink.error != NULL || status != CAIRO_STATUS_SUCCESS)
    {
      g_autoptr(GCancellable) cancel = g_cancellable_new ();

      /* A cancelled close drops the temporary file and leaves the target as it was. */
      g_cancellable_cancel (cancel);
      g_output_stream_close (G_OUTPUT_STREAM (out), cancel, NULL);
      if (sink.error != NULL)
        g_propagate_error (error, sink.error);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cairo: %s", cairo_status_to_string (status));
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}
