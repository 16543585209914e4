/* resources/exports.c: see exports.h. */
#include "resources/exports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "base/uuid.h"
#include "domain/civil_date.h"
#include "http/audit.h"
#include "http/idempotency.h"
#include "http/input.h"
#include "http/pagination.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/export_limit.h"
#include "store/exports.h"
#include "store/jobs.h"
#include "store/pg_array.h"
#include "store/users.h"

#define EXPORT_MAX_SCHEMES 32

/* Checks the capability on every scheme; 1 when all pass, else 0 after
 * answering 404 (any invisible), 403 or 503. */
static int check_schemes(http_ctx *ctx, struct _u_response *response, db_conn *db,
                         char (*ids)[PORTAL_ID_LEN], int n, const char *capability)
{
    portal_result rc = access_schemes(db, &ctx->caller, ids, n, capability);
    if (rc == PORTAL_ERR_NOT_FOUND)
        http_problem(response, ctx, 404, "not_found");
    else if (rc == PORTAL_ERR_DENIED)
        http_problem(response, ctx, 403, "forbidden");
    else if (rc != PORTAL_OK)
        http_problem_for(response, ctx, rc);
    return rc == PORTAL_OK;
}

/* Records action on export id in the caller's organisation and, when an
 * office acts under a mandate, in each employer whose schemes it covers, so
 * the employer's audit log shows who took their participants' data.
 * Returns the first failure. */
static portal_result export_audit(http_ctx *ctx, db_conn *db, const char *action, const char *id,
                                  const char *scheme_ids, json_t *changes)
{
    portal_result rc = http_audit(ctx, db, action, "export", id, NULL, changes);
    if (rc != PORTAL_OK || strcmp(ctx->caller.organisation_kind, "intermediary") != 0)
        return rc;
    char owners[EXPORT_MAX_SCHEMES][PORTAL_ID_LEN];
    int n = 0;
    rc = exports_scheme_owners(db, scheme_ids, ctx->caller.organisation_id, owners,
                               EXPORT_MAX_SCHEMES, &n);
    for (int i = 0; rc == PORTAL_OK && i < n; i++)
        rc = http_audit(ctx, db, action, "export", id, owners[i], changes);
    return rc;
}

void exports_create_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    json_t *schemes = input_array(&in, body, "", "scheme_ids", INPUT_REQUIRED, EXPORT_MAX_SCHEMES);
    const char *as_of = input_string(&in, body, "", "as_of", INPUT_REQUIRED, 10);
    const char *format = input_string(&in, body, "", "format", INPUT_OPTIONAL, 8);
    char literal[EXPORT_MAX_SCHEMES * (PORTAL_ID_LEN + 1) + 4];
    size_t at = (size_t)snprintf(literal, sizeof literal, "{");
    size_t i;
    json_t *v;
    json_array_foreach(schemes, i, v)
    {
        if (!json_is_string(v)) {
            char pointer[40];
            snprintf(pointer, sizeof pointer, "/scheme_ids/%zu", i);
            problem_add(&in.p, ctx->lang, pointer, "invalid_type", NULL);
            continue;
        }
        at += (size_t)snprintf(literal + at, sizeof literal - at, "%s%s", at > 1 ? "," : "",
                               uuid_valid(json_string_value(v))
                                   ? json_string_value(v)
                                   : "00000000-0000-0000-0000-000000000000");
    }
    snprintf(literal + at, sizeof literal - at, "}");
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return;
    }
    problem p;
    problem_init(&p, 422, "validation_failed");
    civil_date date;
    if (civil_date_parse(as_of, &date) != PORTAL_OK)
        problem_add(&p, ctx->lang, "/as_of", "invalid_date", NULL);
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
        problem_add(&p, ctx->lang, "/format", "invalid_value", NULL);
    if (json_array_size(schemes) == 0)
        problem_add(&p, ctx->lang, "/scheme_ids", "too_short", NULL);
    if (p.n_errors) {
        problem_send(response, ctx, &p);
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    char ids[EXPORT_MAX_SCHEMES][PORTAL_ID_LEN];
    int n_ids = pg_array_split(literal, &ids[0][0], PORTAL_ID_LEN, EXPORT_MAX_SCHEMES);
    if (!db || !check_schemes(ctx, response, db, ids, n_ids, "exports") ||
        !export_limit_ok(ctx, response, db))
        return;
    /* The full BSN only for callers allowed to see it on every scheme. */
    int full_bsn = access_schemes(db, &ctx->caller, ids, n_ids, "participants.bsn") == PORTAL_OK;
    user_row user;
    char name[300] = "API token";
    if (users_get(db, ctx->caller.user_id, &user) == PORTAL_OK)
        snprintf(name, sizeof name, "%s %s%s", user.first_name, user.last_name,
                 ctx->caller.kind == CALLER_API_TOKEN ? " (API token)" : "");
    export_new e = {.organisation_id = ctx->caller.organisation_id,
                    .created_by = ctx->caller.user_id[0] ? ctx->caller.user_id : NULL,
                    .created_by_token = ctx->caller.token_id[0] ? ctx->caller.token_id : NULL,
                    .created_by_name = name,
                    .scheme_ids = literal,
                    .as_of = as_of,
                    .format = format ? format : "csv",
                    .language = ctx->lang,
                    .full_bsn = full_bsn};
    http_idempotency idem;
    if (db_begin(db) != PORTAL_OK) {
        http_problem_for(response, ctx, PORTAL_ERR_DATABASE);
        return;
    }
    if (!http_idempotency_begin(ctx, request, response, db, &idem)) {
        db_rollback(db);
        return;
    }
    char id[PORTAL_ID_LEN], location[96];
    char *json = NULL;
    export_row row;
    portal_result rc = exports_create(db, &e, id);
    if (rc == PORTAL_OK) {
        char payload[96];
        snprintf(payload, sizeof payload, "{\"export_id\":\"%s\"}", id);
        rc = jobs_enqueue(db, "export", payload);
    }
    json_t *changes =
        json_pack("{s:O, s:s, s:s}", "scheme_ids", schemes, "as_of", as_of, "format", e.format);
    if (rc == PORTAL_OK)
        rc = export_audit(ctx, db, "export.created", id, e.scheme_ids, changes);
    json_decref(changes);
    if (rc == PORTAL_OK)
        rc = exports_get(db, id, &json, &row);
    snprintf(location, sizeof location, "/api/v1/exports/%s", id);
    if (rc == PORTAL_OK)
        rc = http_idempotency_finish(&idem, db, 202, json, location);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        free(json);
        http_problem_for(response, ctx, rc);
        return;
    }
    http_set_header(response, "Location", location);
    http_send_json_text(response, 202, json, strlen(json));
    free(json);
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
    db_conn *db = http_require_db(ctx, response);
    if (db) {
        int staff = access_can(&ctx->caller, "audit.read_all");
        char *rows = NULL;
        portal_result rc = exports_list(
            db, staff ? NULL : ctx->caller.organisation_id, &ctx->caller,
            keys ? json_string_value(json_array_get(keys, 0)) : NULL,
            keys ? json_string_value(json_array_get(keys, 1)) : NULL, page.limit, &rows);
        if (rc == PORTAL_OK) {
            static const char *const key_fields[] = {"created_at", "id", NULL};
            http_page_send_rows(response, ctx, &page, rows, "exports:created", key_fields);
        } else {
            http_problem_for(response, ctx, rc);
        }
        free(rows);
    }
    json_decref(keys);
}

/* check_schemes over the export's own schemes. */
static int export_schemes_allow(http_ctx *ctx, struct _u_response *response, db_conn *db,
                                const export_row *row, const char *capability)
{
    char ids[CALLER_MAX_SCOPE][PORTAL_ID_LEN];
    int n = pg_array_split(row->scheme_ids, &ids[0][0], PORTAL_ID_LEN, CALLER_MAX_SCOPE);
    return check_schemes(ctx, response, db, ids, n, capability);
}

/* Loads an export the caller may see: own organisation (or staff), every
 * scheme still visible (else 404) and the right to make exports on each of
 * them now (else 403); 503 when that cannot be checked. */
static int export_load(http_ctx *ctx, struct _u_response *response, db_conn *db, const char *id,
                       char **json, export_row *row)
{
    portal_result rc = exports_get(db, id, json, row);
    if (rc == PORTAL_OK && !access_can(&ctx->caller, "audit.read_all") &&
        strcmp(row->organisation_id, ctx->caller.organisation_id) != 0)
        rc = PORTAL_ERR_NOT_FOUND;
    if (rc == PORTAL_OK && export_schemes_allow(ctx, response, db, row, "exports"))
        return 1;
    if (rc == PORTAL_ERR_DATABASE)
        http_problem_for(response, ctx, rc);
    else if (rc != PORTAL_OK)
        http_problem(response, ctx, 404, "not_found");
    free(*json);
    *json = NULL;
    return 0;
}

void exports_get_handler(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx)
{
    db_conn *db = http_require_db(ctx, response);
    char *json = NULL;
    export_row row;
    if (!db || !export_load(ctx, response, db, http_param(request, "id"), &json, &row))
        return;
    http_send_json_text(response, 200, json, strlen(json));
    free(json);
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

static void export_stream_free(void *user)
{
    export_stream *s = user;
    free(s->chunk);
    free(s);
}

/* A file with full BSNs also takes the right to see BSNs on every one of its
 * schemes now. Answers and returns 0 otherwise. */
static int export_may_download(http_ctx *ctx, struct _u_response *response, db_conn *db,
                               const export_row *row)
{
    return !row->full_bsn || export_schemes_allow(ctx, response, db, row, "participants.bsn");
}

void exports_file_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx)
{
    db_conn *db = http_require_db(ctx, response);
    char *json = NULL;
    export_row row;
    if (!db || !export_load(ctx, response, db, http_param(request, "id"), &json, &row))
        return;
    free(json);
    if (!export_may_download(ctx, response, db, &row))
        return;
    if (row.expired || strcmp(row.status, "expired") == 0) {
        http_problem(response, ctx, 410, "gone");
        return;
    }
    if (strcmp(row.status, "ready") != 0) {
        problem p;
        problem_init(&p, 409, "export_not_ready");
        if (strcmp(row.status, "pending") == 0)
            p.retry_after = 2;
        problem_send(response, ctx, &p);
        return;
    }
    export_stream *s = calloc(1, sizeof *s);
    if (!s) {
        http_problem(response, ctx, 500, "internal_error");
        return;
    }
    snprintf(s->id, sizeof s->id, "%s", row.id);
    if (export_audit(ctx, db, "export.downloaded", row.id, row.scheme_ids, NULL) != PORTAL_OK) {
        free(s);
        http_problem(response, ctx, 500, "internal_error");
        return;
    }
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
