/* fr-secure-allocator.c — GStreamer memory in libsodium guarded pages, wiped when freed
 *
 * Shaped like GStreamer's own system memory allocator (gstallocator.c): a memory object
 * points at a block; shares (sub-buffers) point at the same block; the block is freed —
 * sodium_free() wipes it — when the last memory on it goes.
 */
#define G_LOG_DOMAIN "fristad-audio"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "fr-secure-allocator.h"

typedef struct
{
  gatomicrefcount  ref;
  guint8          *raw;       /* sodium_malloc'd, or NULL when lent */
  gsize            size;
  gpointer         owner;     /* lent: whoever keeps the bytes */
  GDestroyNotify   release;
} Block;

typedef struct
{
  GstMemory  mem;
  Block     *block;
  guint8    *data;            /* where maxsize starts */
} SecureMemory;

#define FR_TYPE_SECURE_ALLOCATOR (fr_secure_allocator_get_type ())
G_DECLARE_FINAL_TYPE (FrSecureAllocator, fr_secure_allocator, FR, SECURE_ALLOCATOR, GstAllocator)

struct _FrSecureAllocator
{
  GstAllocator parent_instance;
};

G_DEFINE_FINAL_TYPE (FrSecureAllocator, fr_secure_allocator, GST_TYPE_ALLOCATOR)

static GstAllocator *the_allocator;
static gint live_blocks;
static gsize live_bytes;
G_LOCK_DEFINE_STATIC (live);

static void
count (gint  blocks,
       gssize bytes)
{
  G_LOCK (live);
  live_blocks += blocks;
  live_bytes += bytes;
  G_UNLOCK (live);
}

static Block *
block_ref (Block *block)
{
  g_atomic_ref_count_inc (&block->ref);
  return block;
}

static void
block_unref (Block *block)
{
  if (!g_atomic_ref_count_dec (&block->ref))
    return;
  if (block->raw != NULL)
    {
      sodium_free (block->raw);   /* wipes it */
      count (-1, -(gssize) block->size);
    }
  else
    {
      if (block->release != NULL)
        block->release (block->owner);
      count (-1, 0);
    }
  g_free (block);
}

static SecureMemory *
memory_new (GstAllocator *allocator,
            GstMemory    *parent,
            GstMemoryFlags flags,
            Block        *block,
            guint8       *data,
            gsize         maxsize,
            gsize         align,
            gsize         offset,
            gsize         size)
{
  SecureMemory *mem = g_new0 (SecureMemory, 1);

  gst_memory_init (GST_MEMORY_CAST (mem), flags, allocator, parent, maxsize, align, offset, size);
  mem->block = block;
  mem->data = data;
  return mem;
}

static GstMemory *
secure_alloc (GstAllocator        *allocator,
              gsize                size,
              GstAllocationParams *params)
{
  gsize align = params->align | gst_memory_alignment;
  gsize maxsize, total, skew;
  Block *block;
  guint8 *raw;

  if (!g_size_checked_add (&maxsize, size, params->prefix)
      || !g_size_checked_add (&maxsize, maxsize, params->padding)
      || !g_size_checked_add (&total, maxsize, align))
    return NULL;
  /* sodium_malloc puts the block against its guard page: a size that is a multiple of 16
   * keeps the start aligned too; the skew below covers any larger alignment. */
  total = (total + 15) & ~(gsize) 15;
  if (total == 0)
    total = 16;
  raw = sodium_malloc (total);
  if (raw == NULL)
    return NULL;
  memset (raw, 0, total);
  skew = ((guintptr) raw & align) ? (align + 1) - ((guintptr) raw & align) : 0;

  block = g_new0 (Block, 1);
  g_atomic_ref_count_init (&block->ref);
  block->raw = raw;
  block->size = total;
  count (1, (gssize) total);
  return GST_MEMORY_CAST (memory_new (allocator, NULL, params->flags, block, raw + skew,
                                      maxsize, align, params->prefix, size));
}

static void
secure_free (GstAllocator *allocator,
             GstMemory    *memory)
{
  SecureMemory *mem = (SecureMemory *) memory;

  block_unref (mem->block);
  g_free (mem);
}

static gpointer
secure_map (GstMemory   *memory,
            gsize        maxsize,
            GstMapFlags  flags)
{
  return ((SecureMemory *) memory)->data;
}

static void
secure_unmap (GstMemory *memory)
{
}

static GstMemory *
secure_share (GstMemory *memory,
              gssize     offset,
              gssize     size)
{
  SecureMemory *mem = (SecureMemory *) memory;
  GstMemory *parent = memory->parent != NULL ? memory->parent : memory;

  if (size == -1)
    size = memory->size > (gsize) offset ? (gssize) (memory->size - offset) : 0;
  return GST_MEMORY_CAST (memory_new (memory->allocator, parent,
                                      GST_MINI_OBJECT_FLAGS (parent) | GST_MINI_OBJECT_FLAG_LOCK_READONLY,
                                      block_ref (mem->block), mem->data, memory->maxsize, memory->align,
                                      memory->offset + offset, size));
}

static GstMemory *
secure_copy (GstMemory *memory,
             gssize     offset,
             gssize     size)
{
  SecureMemory *mem = (SecureMemory *) memory;
  GstAllocationParams params = { 0, memory->align, 0, 0 };
  GstMemory *copy;
  GstMapInfo map;

  if (size == -1)
    size = memory->size > (gsize) offset ? (gssize) (memory->size - offset) : 0;
  copy = secure_alloc (memory->allocator, size, &params);
  if (copy == NULL)
    return NULL;
  if (!gst_memory_map (copy, &map, GST_MAP_WRITE))
    {
      gst_memory_unref (copy);
      return NULL;
    }
  memcpy (map.data, mem->data + memory->offset + offset, size);
  gst_memory_unmap (copy, &map);
  return copy;
}

static gboolean
secure_is_span (GstMemory *memory1,
                GstMemory *memory2,
                gsize     *offset)
{
  SecureMemory *mem1 = (SecureMemory *) memory1;
  SecureMemory *mem2 = (SecureMemory *) memory2;

  if (offset != NULL)
    *offset = memory1->offset - memory1->parent->offset;
  return mem1->data + memory1->offset + memory1->size == mem2->data + memory2->offset;
}

static void
fr_secure_allocator_class_init (FrSecureAllocatorClass *klass)
{
  GstAllocatorClass *allocator_class = GST_ALLOCATOR_CLASS (klass);

  allocator_class->alloc = secure_alloc;
  allocator_class->free = secure_free;
}

static void
fr_secure_allocator_init (FrSecureAllocator *self)
{
  GstAllocator *allocator = GST_ALLOCATOR_CAST (self);

  allocator->mem_type = FR_SECURE_MEMORY_TYPE;
  allocator->mem_map = secure_map;
  allocator->mem_unmap = secure_unmap;
  allocator->mem_share = secure_share;
  allocator->mem_copy = secure_copy;
  allocator->mem_is_span = secure_is_span;
}

void
fr_secure_allocator_install (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      GstAllocator *allocator = g_object_new (FR_TYPE_SECURE_ALLOCATOR, NULL);

      gst_object_ref_sink (allocator);
      gst_allocator_register (FR_SECURE_MEMORY_TYPE, gst_object_ref (allocator));
      gst_allocator_set_default (gst_object_ref (allocator));
      the_allocator = allocator;   /* kept for the process */
      g_once_init_leave (&done, 1);
    }
}

GstAllocator *
fr_secure_allocator_get (void)
{
  fr_secure_allocator_install ();
  return the_allocator;
}

GstMemory *
fr_secure_memory_new_wrapped (const guint8   *data,
                              gsize           size,
                              gpointer        owner,
                              GDestroyNotify  release)
{
  Block *block;

  g_return_val_if_fail (data != NULL, NULL);

  block = g_new0 (Block, 1);
  g_atomic_ref_count_init (&block->ref);
  block->owner = owner;
  block->release = release;
  count (1, 0);
  return GST_MEMORY_CAST (memory_new (fr_secure_allocator_get (), NULL, GST_MEMORY_FLAG_READONLY, block,
                                      (guint8 *) data, size, 0, 0, size));
}

gboolean
fr_secure_memory_is_secure (GstMemory *memory)
{
  return memory != NULL && gst_memory_is_type (memory, FR_SECURE_MEMORY_TYPE);
}

guint
fr_secure_allocator_live_blocks (void)
{
  guint blocks;

  G_LOCK (live);
  blocks = (guint) live_blocks;
  G_UNLOCK (live);
  return blocks;
}

gsize
fr_secure_allocator_live_bytes (void)
{
  gsize bytes;

  G_LOCK (live);
  bytes = live_bytes;
  G_UNLOCK (live);
  return bytes;
}
