/* fr-secure-allocator.h — GStreamer memory in libsodium guarded pages, wiped when freed
 *
 * Once fr_secure_allocator_install() has run, every buffer GStreamer allocates with the
 * default allocator (decoders' output, converters, adapters, pools that were given no
 * allocator) lives in sodium_malloc memory: guard pages, mlock where the limit allows,
 * and wiped by sodium_free the moment its last reference goes. Copies of such memory are
 * made in the same kind of memory. fr_secure_memory_new_wrapped() lends GStreamer bytes
 * that already live in guarded memory (a voice message's packets) without copying them.
 *
 * The counts are there for tests: how many blocks (allocated or lent) are alive.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define FR_SECURE_MEMORY_TYPE "FrSecureMemory"

/* Registers the allocator and makes it GStreamer's default; once per process, after
 * gst_init() and fr_init(). */
void       fr_secure_allocator_install      (void);
/* (transfer none) */
GstAllocator *fr_secure_allocator_get       (void);

/* Read-only memory over @size bytes at @data, which @owner keeps alive: @release (@owner)
 * runs when GStreamer no longer holds any of it. */
GstMemory *fr_secure_memory_new_wrapped     (const guint8   *data,
                                             gsize           size,
                                             gpointer        owner,
                                             GDestroyNotify  release);
gboolean   fr_secure_memory_is_secure       (GstMemory      *memory);

/* Tests: blocks alive now (allocated and lent), and bytes allocated and alive. */
guint      fr_secure_allocator_live_blocks  (void);
gsize      fr_secure_allocator_live_bytes   (void);

G_END_DECLS
