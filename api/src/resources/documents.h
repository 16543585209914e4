/*
 * resources/documents.h: /api/v1/documents (DESIGN.md §4.5): staff publish
 * (multipart upload) and withdraw; users list, show and download (streamed,
 * with ETag and single byte ranges). The use cases are in
 * workflows/documents.h.
 */
#ifndef PORTAL_RESOURCES_DOCUMENTS_H
#define PORTAL_RESOURCES_DOCUMENTS_H

#include "http/router.h"

/* The body limit of the upload route in MiB: a 20 MiB file plus its form
 * fields (the file's own limit is checked by itself). */
#define DOCUMENTS_UPLOAD_MIB 21

void documents_create_handler(const struct _u_request *request, struct _u_response *response,
                              http_ctx *ctx);
void documents_list_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);
void documents_get_handler(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx);
void documents_file_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);
void documents_delete_handler(const struct _u_request *request, struct _u_response *response,
                              http_ctx *ctx);

#endif
