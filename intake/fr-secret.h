/* fr-secret.h — a length-tagged buffer in libsodium guarded memory
 *
 * Plaintext records, attachments, passphrases and secret keys live only in FrSecret
 * buffers: sodium_malloc'd (guard pages, mlock where allowed), wiped by sodium_free.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FrSecret FrSecret;

struct _FrSecret
{
  guint8 *data;   /* len bytes, plus one NUL byte after them for text use */
  gsize   len;
};

gboolean  fr_init            (void);
void      fr_harden_process  (void);
FrSecret *fr_secret_new      (gsize len);
FrSecret *fr_secret_new_from (const void *data, gsize len);
void      fr_secret_free     (FrSecret *secret);
gboolean  fr_secret_equal    (const FrSecret *a, const FrSecret *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FrSecret, fr_secret_free)

G_END_DECLS
