/* resources/exports.c: see exports.h. */
#include "resources/exports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "base/uuid.h"
#include "http/call.h"
#include "http/idempotency.h"
#include "http/input.h"
#include "http/outcome.h"
#include "http/pagination.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/resource_item.h"
#include "http/response.h"
#include "store/exports.h"
#include "store/pg_array.h"
#include "workflows/exports.h"

/* Checks the capability on every scheme; answers 404 (any invisible), 403
 * or 503 otherwise. */
static http_step check_schemes(http_ctx *ctx, struct _u_response *response, db_conn *db,
                               char (*ids)[PORTAL_ID_LEN], int n, const char *capability)
{
    portal_result rc = access_schemes(db, &ctx->caller, ids, n, capability);
    if (rc == PORTAL_OK)
        return HTTP_GO_ON;
    http_answer_result(response, ctx, rc);
    return HTTP_ANSWERED;
}

/* Reads the body into e (strings and the id list owned by the request);
 * what cannot be read answers 400. */
static http_step export_read(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx, wf_export_input *e)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return HTTP_ANSWERED;
    input in;
    input_init(&in, ctx->lang);
    json_t *schemes =
        input_array(&in, body, "", "scheme_ids", INPUT_REQUIRED, WF_EXPORT_MAX_SCHEMES);
    e->as_of = input_string(&in, body, "", "as_of", INPUT_REQUIRED, 10);
    e->format = input_string(&in, body, "", "format", INPUT_OPTIONAL, 8);
    const char **ids = http_ctx_keep(ctx, calloc(WF_EXPORT_MAX_SCHEMES + 1, sizeof *ids));
    if (!ids) {
        http_answer_result(response, ctx, PORTAL_ERR_MEMORY);
        return HTTP_ANSWERED;
    }
    size_t i;
    json_t *v;
    json_array_foreach(schemes, i, v)
    {
        if (!json_is_string(v)) {
            char pointer[40];
            snprintf(pointer, sizeof pointer, "/scheme_ids/%zu", i);
            problem_add(&in.p, ctx->lang, pointer, "invalid_type", NULL);
        } else if (e->n_schemes < WF_EXPORT_MAX_SCHEMES) {
            ids[e->n_schemes++] = json_string_value(v);
        }
    }
    e->scheme_ids = ids;
    if (!input_failed(&in))
        return HTTP_GO_ON;
    input_send(&in, response, ctx);
    return HTTP_ANSWERED;
}

void exports_create_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    wf_export_input e;
    memset(&e, 0, sizeof e);
    if (export_read(request, response, ctx, &e) == HTTP_ANSWERED)
        return;
    http_call hc;
    http_idempotency idem;
    if (http_call_begin_write(request, response, ctx, NULL, NULL, &hc, &idem) == HTTP_ANSWERED)
        return;
    wf_export_result res;
    if (wf_export_request(hc.db, &hc.actor, &e, &res, &hc.o) != PORTAL_OK) {
        http_answer_rollback(response, ctx, hc.db, &hc.o);
        return;
    }
    http_ctx_keep(ctx, res.json);
    char location[96];
    snprintf(location, sizeof location, "/api/v1/exports/%s", res.id);
    http_item_answer a = {.status = 202, .json = res.json, .location = location, .etag = NULL};
    portal_result rc = http_item_finish(response, hc.db, &idem, PORTAL_OK, &a);
    if (rc != PORTAL_OK)
        http_answer_result(response, ctx, rc);
}

void exports_list_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx)
{
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    json_t *keys = NULL;
    if (!http_page_cursor_keys(ctx, response, &page, "exports:created", 2, &keys))
        return;
    http_ctx_keep_json(ctx, keys);
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    int staff = access_can(&ctx->caller, "audit.read_all");
    char *rows = NULL;
    portal_result rc =
        exports_list(db, staff ? NULL : ctx->caller.organisation_id, &ctx->caller,
                     keys ? json_string_value(json_array_get(keys, 0)) : NULL,
                     keys ? json_string_value(json_array_get(keys, 1)) : NULL, page.limit, &rows);
    http_ctx_keep(ctx, rows);
    if (rc == PORTAL_OK) {
        static const char *const key_fields[] = {"created_at", "id", NULL};
        http_page_send_rows(response, ctx, &page, rows, "exports:created", key_fields);
    } else {
        http_answer_result(response, ctx, rc);
    }
}

/* check_schemes over the export's own schemes. */
static http_step export_schemes_allow(http_ctx *ctx, struct _u_response *response, db_conn *db,
                                      const export_row *row, const char *capability)
{
    char ids[CALLER_MAX_SCOPE][PORTAL_ID_LEN];
    int n = pg_array_split(row->scheme_ids, &ids[0][0], PORTAL_ID_LEN, CALLER_MAX_SCOPE);
    return check_schemes(ctx, response, db, ids, n, capability);
}

/* Loads the export the path names, when the caller may see it: own
 * organisation (or staff), every scheme still visible (else 404) and the
 * right to make exports on each of them now (else 403). Returns the
 * request's connection, or NULL after answering (503 when there is none or
 * the rights cannot be checked). *json is owned by the request. */
static db_conn *export_load(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx, char **json, export_row *row)
{
    *json = NULL;
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return NULL;
    portal_result rc = exports_get(db, http_param(request, "id"), json, row);
    http_ctx_keep(ctx, *json);
    if (rc == PORTAL_OK && !access_can(&ctx->caller, "audit.read_all") &&
        strcmp(row->organisation_id, ctx->caller.organisation_id) != 0)
        rc = PORTAL_ERR_NOT_FOUND;
    if (rc == PORTAL_OK)
        return export_schemes_allow(ctx, response, db, row, "exports") == HTTP_GO_ON ? db : NULL;
    http_answer_result(response, ctx, rc == PORTAL_ERR_DATABASE ? rc : PORTAL_ERR_NOT_FOUND);
    return NULL;
}

void exports_get_handler(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx)
{
    char *json;
    export_row row;
    if (export_load(request, response, ctx, &json, &row))
        http_send_json_text(response, 200, json, strlen(json));
}

typedef struct {
    char id[PORTAL_ID_LEN];
    int seq;
    char *chunk;
    size_t chunk_len;
    size_t chunk_pos;
} export_stream;

/* Streams the stored chunks; each is read with a connection borrowed only
 * for that read, so a slow download never holds one. */
static ssize_t export_stream_read(void *user, uint64_t offset, char *out, size_t max)
{
    (void)offset;
    export_stream *s = user;
    if (s->chunk_pos >= s->chunk_len) {
        free(s->chunk);
        s->chunk = NULL;
        s->chunk_len = s->chunk_pos = 0;
        db_conn *db = db_acquire(10000);
        if (!db)
            return U_STREAM_ERROR;
        portal_result rc = exports_read_chunk(db, s->id, s->seq, &s->chunk, &s->chunk_len);
        db_release(db);
        if (rc == PORTAL_ERR_NOT_FOUND)
            return U_STREAM_END;
        if (rc != PORTAL_OK)
            return U_STREAM_ERROR;
        s->seq++;
    }
    size_t n = s->chunk_len - s->chunk_pos < max ? s->chunk_len - s->chunk_pos : max;
    memcpy(out, s->chunk + s->chunk_pos, n);
    s->chunk_pos += n;
    return (ssize_t)n;
}

/* Frees a stream when ulfius is done with it. */
static void export_stream_free(void *user)
{
    export_stream *s = user;
    free(s->chunk);
    free(s);
}

/* Whether the file may be downloaded now: a file with full BSNs also takes
 * the right to see BSNs on every one of its schemes; an expired one answers
 * 410, one not ready 409 export_not_ready (Retry-After while pending). */
static http_step export_may_download(http_ctx *ctx, struct _u_response *response, db_conn *db,
                                     const export_row *row)
{
    if (row->full_bsn &&
        export_schemes_allow(ctx, response, db, row, "participants.bsn") == HTTP_ANSWERED)
        return HTTP_ANSWERED;
    if (row->expired || strcmp(row->status, "expired") == 0) {
        http_answer_result(response, ctx, PORTAL_ERR_EXPIRED);
        return HTTP_ANSWERED;
    }
    if (strcmp(row->status, "ready") != 0) {
        portal_outcome o;
        outcome_init(&o);
        outcome_fail(&o, PORTAL_ERR_CONFLICT, "export_not_ready");
        if (strcmp(row->status, "pending") == 0)
            o.retry_after = 2;
        http_answer_outcome(response, ctx, &o);
        return HTTP_ANSWERED;
    }
    return HTTP_GO_ON;
}

void exports_file_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx)
{
    char *json;
    export_row row;
    db_conn *db = export_load(request, response, ctx, &json, &row);
    if (!db || export_may_download(ctx, response, db, &row) == HTTP_ANSWERED)
        return;
    portal_actor actor = http_actor(ctx);
    if (wf_export_audit(db, &actor, "export.downloaded", row.id, row.scheme_ids, NULL) !=
        PORTAL_OK) {
        http_answer_result(response, ctx, PORTAL_ERR_INTERNAL);
        return;
    }
    export_stream *s = calloc(1, sizeof *s);
    if (!s) {
        http_answer_result(response, ctx, PORTAL_ERR_MEMORY);
        return;
    }
    snprintf(s->id, sizeof s->id, "%s", row.id);
    int xlsx = strcmp(row.format, "xlsx") == 0;
    char disposition[128];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s-%s.%s\"",
             strcmp(row.language, "en") == 0 ? "participants" : "deelnemers", row.as_of,
             row.format);
    http_set_header(response, "Content-Type",
                    xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                         : "text/csv; charset=utf-8");
    http_set_header(response, "Content-Disposition", disposition);
    ulfius_set_stream_response(response, 200, export_stream_read, export_stream_free,
                               (uint64_t)row.size_bytes, 64 * 1024, s);
}
