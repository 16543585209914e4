/*
 * http/idempotency.h: the Idempotency-Key header on POSTs that create
 * something (DESIGN.md §4). Keys are scoped to the caller ("user:<id>",
 * "token:<id>", or "anon:<client address>" before authentication); a retry
 * with the same key and the same request replays the first answer, the same
 * key with another request answers 422 idempotency_key_reused. The SQL is in
 * store/idempotency.h.
 *
 * Usage, inside the resource's own transaction (body parsing and other
 * checks that need no database may come first):
 *
 *   db_conn *db = http_require_db(ctx, response);   // NULL: 503 written
 *   if (!db) return;
 *   if (db_begin(db) != PORTAL_OK) { 500; return; }
 *   http_idempotency idem;
 *   if (!http_idempotency_begin(ctx, request, response, db, &idem)) {
 *       db_rollback(db);                     // replayed or problem written
 *       return;
 *   }
 *   ... validate, change, audit; on any problem: db_rollback(db); return ...
 *   char *text = json_dumps(answer, JSON_COMPACT);
 *   if (!text || http_idempotency_finish(&idem, db, 201, text, location) != PORTAL_OK ||
 *       db_commit(db) != PORTAL_OK) { free(text); db_rollback(db); 500; return; }
 *   http_send_json_text(response, 201, text, strlen(text));
 *   http_set_header(response, "Location", location);
 *   free(text);
 *
 * A rolled-back transaction leaves no key behind, so a request that failed
 * validation may be retried with the same key once corrected. A replay
 * carries status, body and Location only (no ETag or other headers).
 */
#ifndef PORTAL_HTTP_IDEMPOTENCY_H
#define PORTAL_HTTP_IDEMPOTENCY_H

#include <stddef.h>

#include <ulfius.h>

#include "base/result.h"
#include "http/context.h"
#include "store/db.h"

#define HTTP_IDEMPOTENCY_KEY_MAX 255
#define HTTP_IDEMPOTENCY_CALLER_LEN 80
#define HTTP_IDEMPOTENCY_HASH_LEN 64 /* hex SHA-256 */

typedef enum {
    HTTP_IDEMPOTENCY_NONE = 0, /* no header: go ahead, nothing is stored */
    HTTP_IDEMPOTENCY_PROCEED,  /* key claimed: go ahead, call finish before commit */
    HTTP_IDEMPOTENCY_REPLAYED, /* the first answer was written to the response */
    HTTP_IDEMPOTENCY_REFUSED   /* a problem (400/409/422/500) was written */
} http_idempotency_status;

typedef struct {
    http_idempotency_status status;
    char caller[HTTP_IDEMPOTENCY_CALLER_LEN];
    char key[HTTP_IDEMPOTENCY_KEY_MAX + 1];
} http_idempotency;

/* The request hash: hex SHA-256 over method, NUL, path, NUL and the body
 * bytes (body may be NULL when len is 0) into out. No I/O; PORTAL_ERR_CRYPTO
 * (out left empty) when OpenSSL fails. */
portal_result http_idempotency_hash(const char *method, const char *path, const void *body,
                                    size_t len, char out[HTTP_IDEMPOTENCY_HASH_LEN + 1]);

/* The caller scope for keys: "user:<user_id>" for a session,
 * "token:<token_id>" for an API token, "anon:<client address>" otherwise.
 * PORTAL_ERR_TOO_LARGE when it does not fit out_size (out left empty). */
portal_result http_idempotency_scope(const http_ctx *ctx, char *out, size_t out_size);

/* Reads Idempotency-Key and claims it in db's open transaction. Returns 1
 * with state NONE (no header) or PROCEED (claimed; call finish before
 * committing). Returns 0 after writing the response, with state REPLAYED
 * (same request answered before: its status, body and Location, plus
 * Idempotent-Replayed: true) or REFUSED: 400 invalid_request on field
 * "Idempotency-Key" (empty, over 255 characters, or not printable ASCII),
 * 422 idempotency_key_reused (another request), 409 conflict (claimed but
 * unanswered: cannot happen after a commit), 500 on a database error. On 0
 * the caller rolls back and returns. db may be NULL only when the request
 * has no key. */
int http_idempotency_begin(http_ctx *ctx, const struct _u_request *request,
                           struct _u_response *response, db_conn *db, http_idempotency *state);

/* Stores the answer for a PROCEED state in the same transaction, before
 * commit: status, JSON body text (or NULL for none) and Location (or NULL).
 * PORTAL_OK without touching db for any other state. Errors as
 * store_idempotency_save; the caller then rolls back and answers 500. */
portal_result http_idempotency_finish(const http_idempotency *state, db_conn *db, int status,
                                      const char *body_text, const char *location);

#endif
