#define G_LOG_DOMAIN "fristad-intake"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "fr-error.h"
#include "fr-http.h"

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * fr_http_check_url:
 * @url: the queue's base URL
 * @ca_file: (nullable): the pinned CA certificate (PEM)
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @url is https:// with a CA file, or http:// to a loopback address.
 */
gboolean
fr_http_check_url (const char  *url,
                   const char  *ca_file,
                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local = NULL;
  const char *scheme, *host;

  g_return_val_if_fail (url != NULL, FALSE);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &local);
  if (uri == NULL)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "queue URL \"%s\" is not a URL: %s", url, local->message);
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "queue URL \"%s\" has no host", url);
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, FR_ERROR, FR_ERROR_CONFIG,
                   "queue URL \"%s\" may not carry user info, a query or a fragment", url);
      return FALSE;
    }
  if (g_strcmp0 (scheme, "https") == 0)
    {
      if (ca_file == NULL)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_CONFIG,
                       "queue URL \"%s\" is https but no CA certificate is pinned", url);
          return FALSE;
        }
      return TRUE;
    }
  if (g_strcmp0 (scheme, "http") == 0)
    {
      if (!host_is_loopback (host))
        {
          g_set_error (error, FR_ERROR, FR_ERROR_CONFIG,
                       "queue URL \"%s\" is plain http to a host that is not loopback; use https", url);
          return FALSE;
        }
      return TRUE;
    }
  g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "queue URL \"%s\" must be https:// (or http:// on loopback)", url);
  return FALSE;
}

/**
 * fr_http_session_new:
 * @url: the queue's base URL
 * @ca_file: (nullable): the pinned CA certificate; required for https://
 * @error: return location for a #GError
 *
 * Makes a session that trusts only @ca_file, never the system store, and does not keep
 * cookies, caches or proxies from the environment.
 *
 * Returns: (transfer full): the session, or %NULL.
 */
SoupSession *
fr_http_session_new (const char  *url,
                     const char  *ca_file,
                     GError     **error)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) local = NULL;
  SoupSession *session;

  if (!fr_http_check_url (url, ca_file, error))
    return NULL;

  if (ca_file != NULL)
    {
      database = g_tls_file_database_new (ca_file, &local);
      if (database == NULL)
        {
          g_set_error (error, FR_ERROR, FR_ERROR_CONFIG, "cannot load the pinned CA %s: %s", ca_file, local->message);
          return NULL;
        }
    }

  session = soup_session_new_with_options ("timeout", FR_HTTP_TIMEOUT_SECONDS,
                                           "idle-timeout", FR_HTTP_TIMEOUT_SECONDS,
                                           "user-agent", "fristad/" PACKAGE_VERSION,
                                           "proxy-resolver", NULL,
                                           NULL);
  if (database != NULL)
    soup_session_set_tls_database (session, database);
  return session;
}

/* Joins "https://host:port/base" and "/v1/…" without doubling or losing a slash. */
char *
fr_http_join (const char *base_url,
              const char *path)
{
  gsize len = strlen (base_url);

  while (len > 0 && base_url[len - 1] == '/')
    len--;
  return g_strdup_printf ("%.*s%s", (int) len, base_url, path);
}

/* The "error" member of a JSON error body, or a short description of the body. */
char *
fr_http_error_message (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;
  JsonNode *root;

  if (data == NULL || len == 0 || len > 4096 || !json_parser_load_from_data (parser, data, len, NULL))
    return g_strdup ("no error text");
  root = json_parser_get_root (parser);
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      const char *message = json_object_get_string_member_with_default (json_node_get_object (root), "error", NULL);

      if (message != NULL && g_utf8_validate (message, -1, NULL) && strlen (message) < 200)
        return g_strdup (message);
    }
  return g_strdup ("no error text");
}
