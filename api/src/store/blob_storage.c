/* store/blob_storage.c: see blob_storage.h. */
#include "store/blob_storage.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"

struct blob_writer {
    db_conn *db;
    char id[PORTAL_ID_LEN];
    int seq;
    long long size;
    size_t used;
    char buf[BLOB_CHUNK];
};

portal_result blob_create(db_conn *db, blob_writer **out)
{
    char chunk[16];
    snprintf(chunk, sizeof chunk, "%d", BLOB_CHUNK);
    const char *params[] = {chunk};
    *out = NULL;
    blob_writer *w = calloc(1, sizeof *w);
    if (!w)
        return PORTAL_ERR_MEMORY;
    if (db_query_copy(db, "INSERT INTO blobs (chunk_size) VALUES ($1::int) RETURNING id", 1, params,
                      w->id, sizeof w->id) != PORTAL_OK) {
        free(w);
        return PORTAL_ERR_DATABASE;
    }
    w->db = db;
    *out = w;
    return PORTAL_OK;
}

const char *blob_writer_id(const blob_writer *w)
{
    return w->id;
}

/* Inserts the buffered bytes as the next chunk. */
static portal_result blob_flush(blob_writer *w)
{
    if (w->used == 0)
        return PORTAL_OK;
    portal_result rc = db_chunk_write(w->db,
                                      "INSERT INTO blob_chunks (blob_id, seq, data)"
                                      " VALUES ($1::uuid, $2::int, $3::bytea)",
                                      w->id, w->seq, w->buf, w->used);
    if (rc == PORTAL_OK) {
        w->seq++;
        w->used = 0;
    }
    return rc;
}

portal_result blob_write(blob_writer *w, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        size_t n = BLOB_CHUNK - w->used < len ? BLOB_CHUNK - w->used : len;
        memcpy(w->buf + w->used, p, n);
        w->used += n;
        w->size += (long long)n;
        p += n;
        len -= n;
        if (w->used == BLOB_CHUNK) {
            portal_result rc = blob_flush(w);
            if (rc != PORTAL_OK)
                return rc;
        }
    }
    return PORTAL_OK;
}

portal_result blob_finish(blob_writer *w, long long *size)
{
    portal_result rc = blob_flush(w);
    if (rc == PORTAL_OK) {
        char s[24];
        snprintf(s, sizeof s, "%lld", w->size);
        const char *params[] = {w->id, s};
        rc = db_exec(w->db, "UPDATE blobs SET size_bytes = $2::bigint WHERE id = $1::uuid", 2,
                     params);
    }
    if (rc == PORTAL_OK && size)
        *size = w->size;
    free(w);
    return rc;
}

void blob_writer_free(blob_writer *w)
{
    free(w);
}

portal_result blob_read_chunk(db_conn *db, const char *id, int seq, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    if (!uuid_valid(id) || seq < 0)
        return PORTAL_ERR_NOT_FOUND;
    return db_chunk_read(db,
                         "SELECT data FROM blob_chunks WHERE blob_id = $1::uuid AND seq = $2::int",
                         id, seq, data, len);
}

portal_result blob_delete(db_conn *db, const char *id)
{
    if (!uuid_valid(id))
        return PORTAL_OK;
    const char *params[] = {id};
    return db_exec(db, "DELETE FROM blobs WHERE id = $1::uuid", 1, params);
}
