/*
 * http/static_files.h: serves the built single-page app (frontend/dist).
 *
 * Existing files are served with a content type from their extension;
 * hashed assets (under /assets/) are cacheable for a year, everything else
 * is revalidated. Any other path falls back to index.html so that the SPA's
 * own routes (/login, /participants/...) work on reload.
 */
#ifndef PORTAL_HTTP_STATIC_FILES_H
#define PORTAL_HTTP_STATIC_FILES_H

#include <ulfius.h>

#define STATIC_MAX_FILE (8 * 1024 * 1024)

/* Serves url_path from dir into response. Returns 1 when something was
 * served, 0 when dir or its index.html is missing (the caller answers 404). */
int http_static_serve(struct _u_response *response, const char *dir, const char *url_path);

/* The content type for a file name by extension (never NULL). */
const char *http_static_content_type(const char *name);

#endif
