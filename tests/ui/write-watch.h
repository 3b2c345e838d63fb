/* write-watch.h — which files this process opens for writing, while a test watches
 *
 * The test executable defines open(), openat(), creat(), fopen() and their 64-bit names,
 * so every library it loads (GStreamer and its plugins, GLib, SQLite) calls these first;
 * each passes the call on to the C library unchanged, and while watching notes the path
 * of every open that can write (O_WRONLY, O_RDWR, O_CREAT, O_TMPFILE; fopen modes w, a, +).
 * This catches a file written anywhere — /tmp, $HOME, a cache — not only in the
 * directories a test lists.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void       write_watch_start (void);
/* Stops watching; the paths opened for writing meanwhile (free with g_ptr_array_unref). */
GPtrArray *write_watch_stop  (void);

G_END_DECLS
