/*
 * http/blob_stream.h: sends a stored file (store/blob_storage.h) as the
 * answer's body, one chunk at a time, with a database connection borrowed
 * only for the read of each chunk, so a slow download holds no connection
 * and at most one chunk in memory. Documents and reconciliation evidence
 * use it.
 */
#ifndef PORTAL_HTTP_BLOB_STREAM_H
#define PORTAL_HTTP_BLOB_STREAM_H

#include <ulfius.h>

#include "base/result.h"

/* Sets bytes [from, end) of blob blob_id as the body of response with the
 * given status (headers are the caller's). The stream state is owned by
 * ulfius from here and freed when the answer ends. PORTAL_ERR_MEMORY (the
 * answer untouched) when the state cannot be allocated; a chunk that
 * cannot be read later ends the connection early. */
portal_result http_blob_stream_send(struct _u_response *response, int status, const char *blob_id,
                                    unsigned long long from, unsigned long long end);

#endif
