/*
 * http/upload.h: file uploads (multipart/form-data) received without ever
 * holding the file in memory.
 *
 * ulfius hands every block of a file part to one callback while the body
 * arrives, before any route runs. For a route that accepts uploads (its
 * body_limit in the route table, http/router.h) the blocks are spooled to
 * an anonymous temporary file, up to the route's limit; past it the upload
 * is marked too large and the rest is dropped. Other routes drop file parts
 * altogether, and so does a route that asks for authentication when the
 * request's credentials do not pass it (checked on the first block, before
 * anything reaches the disk; the handler is then never reached: 401).
 * The spool belongs to the request and is released when the request ends
 * (http_upload_release, from the server's completion hook), also when the
 * client went away mid-upload.
 */
#ifndef PORTAL_HTTP_UPLOAD_H
#define PORTAL_HTTP_UPLOAD_H

#include <stdio.h>

#include <ulfius.h>

#include "formats/content_kind.h"
#include "http/context.h"

#define HTTP_UPLOAD_NAME_MAX 255

/* What arrived in a request's file part. */
typedef struct {
    FILE *file;                               /* the spooled bytes (owned by the upload) */
    unsigned long long size;                  /* bytes received, also past the limit */
    int too_large;                            /* more than the route's limit arrived */
    int failed;                               /* the spool could not be written */
    int parts;                                /* file parts seen (only the first is kept) */
    char field[64];                           /* the form field of the kept part */
    char file_name[HTTP_UPLOAD_NAME_MAX + 1]; /* as the client named it (untrusted) */
} http_upload_file;

/* Installs the upload callback on the instance (before it starts). */
void http_upload_install(struct _u_instance *instance);

/* The file part of request (borrowed until the request ends), or NULL when
 * none arrived. */
const http_upload_file *http_upload_of(const struct _u_request *request);

/* Since start: spool files opened, and uploads refused before any byte was
 * spooled because they were not authenticated (GET /metrics). */
void http_upload_counts(unsigned long long *spooled, unsigned long long *refused);

/* Releases the request's spool, if any. Safe to call for every request. */
void http_upload_release(const struct _u_request *request);

/* A text field of the multipart body, or NULL when absent or empty
 * (borrowed from the request). */
const char *http_upload_form(const struct _u_request *request, const char *name);

/*
 * http_upload_document -- the checks every upload of a stored file shares
 * (a document, reconciliation evidence): the body is multipart/form-data,
 * its one file part is named "file", at most max_size bytes arrived, the
 * spool holds it whole, and its bytes are PDF, XLSX or CSV.
 *
 * Returns HTTP_GO_ON with *up (borrowed until the request ends) and *kind,
 * or HTTP_ANSWERED after answering 415 unsupported_media_type (not
 * multipart), 413 payload_too_large, 400 invalid_request on /file (missing
 * or more than one), 500 (the spool failed) or 415 unsupported_file_type
 * (empty_file or unsupported_content on /file).
 */
http_step http_upload_document(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx, unsigned long long max_size,
                               const http_upload_file **up, content_kind *kind);

/* Releases every spool left (at shutdown). */
void http_upload_shutdown(void);

#endif
