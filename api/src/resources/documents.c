/* resources/documents.c: see documents.h. */
#include "resources/documents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"
#include "formats/content_kind.h"
#include "http/call.h"
#include "http/blob_stream.h"
#include "http/outcome.h"
#include "http/pagination.h"
#include "http/query_ids.h"
#include "http/problem.h"
#include "http/resource_item.h"
#include "http/request.h"
#include "http/response.h"
#include "http/upload.h"
#include "workflows/documents.h"

void documents_create_handler(const struct _u_request *request, struct _u_response *response,
                              http_ctx *ctx)
{
    const http_upload_file *up = NULL;
    content_kind kind = CONTENT_EMPTY;
    if (http_upload_document(request, response, ctx, (unsigned long long)DOCUMENT_MAX_SIZE, &up,
                             &kind) == HTTP_ANSWERED)
        return;
    http_call c;
    http_idempotency idem;
    if (http_call_begin_write(request, response, ctx, NULL, NULL, &c, &idem) == HTTP_ANSWERED)
        return;
    document_publish_input in = {.organisation_id = http_upload_form(request, "organisation_id"),
                                 .scheme_id = http_upload_form(request, "scheme_id"),
                                 .kind = http_upload_form(request, "kind"),
                                 .title = http_upload_form(request, "title"),
                                 .document_date = http_upload_form(request, "document_date"),
                                 .amount = http_upload_form(request, "amount"),
                                 .due_date = http_upload_form(request, "due_date"),
                                 .file_name = up->file_name,
                                 .content_type = content_kind_media_type(kind),
                                 .extension = content_kind_extension(kind),
                                 .file = up->file,
                                 .size = (long long)up->size};
    char *json = NULL;
    portal_result rc = documents_publish(c.db, &c.actor, &in, &c.o, &json);
    http_call_finish_created(response, ctx, &c, &idem, rc, json, "/api/v1/documents/");
}

/* Sends one page of documents from rows (JSON array text, limit + 1 rows at
 * most, owned by the caller): the extra row becomes the next cursor. The
 * parsed items are kept by ctx; a row set that does not parse answers 500. */
static void documents_send_page(struct _u_response *response, http_ctx *ctx, const char *rows,
                                int limit, long long total)
{
    json_t *items = json_loads(rows, 0, NULL);
    if (!items) {
        http_answer_result(response, ctx, PORTAL_ERR_INTERNAL);
        return;
    }
    http_ctx_keep_json(ctx, items);
    char *next = NULL;
    if (json_array_size(items) > (size_t)limit) {
        json_array_remove(items, (size_t)limit);
        json_t *last = json_array_get(items, (size_t)limit - 1);
        json_t *k =
            json_pack("[O, O]", json_object_get(last, "created_at"), json_object_get(last, "id"));
        next = http_cursor_encode("documents:created", k);
        json_decref(k);
    }
    http_page_send(response, items, next, total);
    free(next);
}

void documents_list_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    char kind_v[HTTP_QUERY_VALUE_LEN], cat_v[HTTP_QUERY_VALUE_LEN], org_v[HTTP_QUERY_VALUE_LEN],
        unread_v[HTTP_QUERY_VALUE_LEN];
    const char *kind, *category, *org, *unread;
    if (!http_query_one(request, ctx, response, "kind", kind_v, &kind) ||
        !http_query_one(request, ctx, response, "category", cat_v, &category) ||
        !http_query_one(request, ctx, response, "organisation_id", org_v, &org) ||
        !http_query_one(request, ctx, response, "unread", unread_v, &unread))
        return;
    if (unread && strcmp(unread, "true") != 0 && strcmp(unread, "false") != 0) {
        http_field_problem(response, ctx, 400, "invalid_request", "unread", "invalid_value", NULL);
        return;
    }
    char literal[HTTP_QUERY_IDS_LITERAL];
    int n_schemes = 0;
    if (!http_query_ids(request, ctx, response, "scheme_id", literal, &n_schemes))
        return;
    json_t *keys = NULL;
    if (!http_page_cursor_keys(ctx, response, &page, "documents:created", 2, &keys))
        return;
    http_ctx_keep_json(ctx, keys);
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    document_list_input in = {.organisation_id = org,
                              .kind = kind,
                              .category = category,
                              .scheme_ids = n_schemes ? literal : NULL,
                              .unread = unread && strcmp(unread, "true") == 0,
                              .after_created =
                                  keys ? json_string_value(json_array_get(keys, 0)) : NULL,
                              .after_id = keys ? json_string_value(json_array_get(keys, 1)) : NULL,
                              .limit = page.limit};
    portal_actor actor = http_actor(ctx);
    portal_outcome o;
    char *rows = NULL;
    long long total = 0;
    if (documents_list_visible(db, &actor, &in, &o, &rows, &total) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &o);
        return;
    }
    http_ctx_keep(ctx, rows);
    documents_send_page(response, ctx, rows, page.limit, total);
}

void documents_get_handler(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx)
{
    http_call_show(request, response, ctx, "id", documents_show);
}

void documents_delete_handler(const struct _u_request *request, struct _u_response *response,
                              http_ctx *ctx)
{
    http_call c;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED ||
        http_call_failed(response, ctx,
                         documents_withdraw_one(c.db, &c.actor, http_param(request, "id"), &c.o),
                         &c.o))
        return;
    http_send_empty(response, 204);
}

/* Parses a Range header for one range of a file of size bytes: 1 with
 * [*from, *to] (inclusive) for a satisfiable single range, 0 when the
 * header is absent, malformed or asks several ranges (the whole file is
 * sent), -1 when it cannot be satisfied. */
static int documents_range(const char *h, unsigned long long size, unsigned long long *from,
                           unsigned long long *to)
{
    if (!h || strncmp(h, "bytes=", 6) != 0 || strchr(h, ','))
        return 0;
    const char *p = h + 6;
    char *end = NULL;
    if (*p == '-') {
        unsigned long long n = strtoull(p + 1, &end, 10);
        if (end == p + 1 || *end)
            return 0;
        if (n == 0 || size == 0)
            return -1;
        *from = n >= size ? 0 : size - n;
        *to = size - 1;
        return 1;
    }
    if (*p < '0' || *p > '9')
        return 0;
    unsigned long long a = strtoull(p, &end, 10);
    if (*end != '-')
        return 0;
    const char *q = end + 1;
    unsigned long long b = size ? size - 1 : 0;
    if (*q) {
        if (*q < '0' || *q > '9')
            return 0;
        b = strtoull(q, &end, 10);
        if (*end || b < a)
            return 0;
        if (b >= size)
            b = size - 1;
    }
    if (a >= size)
        return -1;
    *from = a;
    *to = b;
    return 1;
}

void documents_file_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    http_call c;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED)
        return;
    document_row row;
    if (documents_open(c.db, &c.actor, http_param(request, "id"), &c.o, &row) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &c.o);
        return;
    }
    char etag[80], disposition[sizeof row.file_name + 48];
    snprintf(etag, sizeof etag, "\"%s\"", row.sha256);
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", row.file_name);
    http_set_header(response, "ETag", etag);
    http_set_header(response, "Accept-Ranges", "bytes");
    /* A private file: the browser may keep it, no shared cache may. */
    http_set_header(response, "Cache-Control", "private, no-cache");
    const char *inm = http_header(request, "If-None-Match");
    if (inm && (strcmp(inm, etag) == 0 || strcmp(inm, "*") == 0)) {
        http_send_empty(response, 304);
        return;
    }
    unsigned long long size = (unsigned long long)row.size, from = 0, to = size ? size - 1 : 0;
    const char *if_range = http_header(request, "If-Range");
    int ranged = documents_range(http_header(request, "Range"), size, &from, &to);
    if (ranged != 0 && if_range && strcmp(if_range, etag) != 0)
        ranged = 0, from = 0, to = size ? size - 1 : 0;
    if (ranged < 0) {
        char cr[48];
        snprintf(cr, sizeof cr, "bytes */%llu", size);
        http_set_header(response, "Content-Range", cr);
        http_problem(response, ctx, 416, "range_not_satisfiable");
        return;
    }
    http_set_header(response, "Content-Type", row.content_type);
    http_set_header(response, "Content-Disposition", disposition);
    if (ranged > 0) {
        char cr[80];
        snprintf(cr, sizeof cr, "bytes %llu-%llu/%llu", from, to, size);
        http_set_header(response, "Content-Range", cr);
    }
    if (http_blob_stream_send(response, ranged > 0 ? 206 : 200, row.blob_id, from,
                              size ? to + 1 : 0) != PORTAL_OK)
        http_answer_result(response, ctx, PORTAL_ERR_MEMORY);
}
