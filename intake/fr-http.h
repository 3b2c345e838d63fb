/* fr-http.h — HTTP client sessions for the kiosk sender and the staff tool
 *
 * One rule for every client: https:// with the queue's CA pinned (only that CA is trusted),
 * or plain http:// to a loopback address only (tests, the demo, a local relay).
 */
#pragma once

#include <glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define FR_HTTP_TIMEOUT_SECONDS 30

gboolean     fr_http_check_url     (const char  *url,
                                    const char  *ca_file,
                                    GError     **error);
SoupSession *fr_http_session_new   (const char  *url,
                                    const char  *ca_file,
                                    GError     **error);
char        *fr_http_join          (const char  *base_url,
                                    const char  *path);
char        *fr_http_error_message (GBytes      *body);

G_END_DECLS
