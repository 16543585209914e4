#include "http/blob_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"
#include "store/blob_storage.h"
#include "store/db.h"

/* A download in progress: bytes [pos, end) of the blob; buf holds chunk
 * seq (-1: none), malloc'd by blob_read_chunk. */
typedef struct {
    char blob_id[PORTAL_ID_LEN];
    unsigned long long pos, end;
    int seq;
    char *buf;
    size_t len;
} blob_stream;

/* ulfius' stream callback: copies the next bytes into out, reading the
 * chunk that holds them first when it is not the one held.
 * U_STREAM_ERROR when no connection is free or the chunk is short. */
static ssize_t blob_stream_read(void *user, uint64_t offset, char *out, size_t max)
{
    (void)offset;
    blob_stream *s = user;
    if (s->pos >= s->end)
        return U_STREAM_END;
    int seq = (int)(s->pos / BLOB_CHUNK);
    if (seq != s->seq) {
        free(s->buf);
        s->buf = NULL;
        s->len = 0;
        s->seq = -1;
        db_conn *db = db_acquire(10000);
        if (!db)
            return U_STREAM_ERROR;
        portal_result rc = blob_read_chunk(db, s->blob_id, seq, &s->buf, &s->len);
        db_release(db);
        if (rc != PORTAL_OK)
            return U_STREAM_ERROR;
        s->seq = seq;
    }
    size_t in_chunk = (size_t)(s->pos % BLOB_CHUNK);
    if (in_chunk >= s->len)
        return U_STREAM_ERROR;
    size_t n = s->len - in_chunk;
    if (n > max)
        n = max;
    if (n > s->end - s->pos)
        n = (size_t)(s->end - s->pos);
    memcpy(out, s->buf + in_chunk, n);
    s->pos += n;
    return (ssize_t)n;
}

/* ulfius' stream release: frees the state and its chunk. */
static void blob_stream_free(void *user)
{
    blob_stream *s = user;
    free(s->buf);
    free(s);
}

portal_result http_blob_stream_send(struct _u_response *response, int status, const char *blob_id,
                                    unsigned long long from, unsigned long long end)
{
    blob_stream *s = calloc(1, sizeof *s);
    if (!s)
        return PORTAL_ERR_MEMORY;
    snprintf(s->blob_id, sizeof s->blob_id, "%s", blob_id);
    s->seq = -1;
    s->pos = from;
    s->end = end > from ? end : from;
    ulfius_set_stream_response(response, (unsigned int)status, blob_stream_read, blob_stream_free,
                               (uint64_t)(s->end - s->pos), 64 * 1024, s);
    return PORTAL_OK;
}
