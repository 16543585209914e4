/*
 * store/blob_storage.h: the storage interface for files the portal keeps
 * (documents now; export files could move onto it): write a file in pieces,
 * read any byte range back in pieces, delete it. The file is never held
 * whole in memory on either side.
 *
 * This implementation keeps a file in PostgreSQL (tables blobs and
 * blob_chunks, migration 0012) as numbered chunks of BLOB_CHUNK bytes
 * (only the last may be shorter), so every instance serves every file and
 * chunk seq holds bytes [seq * BLOB_CHUNK, (seq + 1) * BLOB_CHUNK). An
 * object store could replace it behind the same functions.
 */
#ifndef PORTAL_STORE_BLOB_STORAGE_H
#define PORTAL_STORE_BLOB_STORAGE_H

#include <stddef.h>

#include "base/caller.h"
#include "store/db.h"

#define BLOB_CHUNK (512 * 1024)

typedef struct blob_writer blob_writer;

/*
 * blob_create -- starts a new, empty file in db's current transaction (the
 * caller commits or rolls back the file together with what refers to it).
 * *out is a writer the caller ends with blob_finish or blob_writer_free; it
 * borrows db until then and buffers at most one chunk. PORTAL_ERR_MEMORY,
 * PORTAL_ERR_DATABASE.
 */
portal_result blob_create(db_conn *db, blob_writer **out);

/* The new file's id (a UUID in text form), valid while the writer lives. */
const char *blob_writer_id(const blob_writer *w);

/* Appends len bytes, writing every full chunk to the database.
 * PORTAL_ERR_DATABASE (the transaction is then aborted). */
portal_result blob_write(blob_writer *w, const void *data, size_t len);

/* Writes the last chunk, records the size (into *size when not NULL) and
 * frees the writer whatever the result. */
portal_result blob_finish(blob_writer *w, long long *size);

/* Frees a writer without finishing (the caller rolls back). NULL is fine. */
void blob_writer_free(blob_writer *w);

/*
 * blob_read_chunk -- chunk seq of file id into a malloc'd buffer (*data,
 * *len; the caller frees *data). PORTAL_ERR_NOT_FOUND past the end or for
 * an unknown file, PORTAL_ERR_DATABASE, PORTAL_ERR_MEMORY. Needs no
 * transaction: a reader may borrow a connection for one chunk at a time.
 */
portal_result blob_read_chunk(db_conn *db, const char *id, int seq, char **data, size_t *len);

/* Deletes the file and its chunks (in the caller's transaction).
 * PORTAL_OK also when it did not exist. */
portal_result blob_delete(db_conn *db, const char *id);

#endif
