/* http/payroll_body.c: see payroll_body.h. */
#include "http/payroll_body.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats/csv_reader.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/upload.h"

/* The keys of one employment, in column order. */
static const char *const payroll_keys[] = {"personnel_number",
                                           "employment_number",
                                           "bsn",
                                           "first_name",
                                           "initials",
                                           "surname_prefix",
                                           "surname",
                                           "birth_date",
                                           "gender",
                                           "street",
                                           "house_number",
                                           "postal_code",
                                           "city",
                                           "country",
                                           "start_date",
                                           "end_date",
                                           "salary",
                                           "parttime_percentage",
                                           "hours",
                                           "insured_wage",
                                           NULL};
static const char *const payroll_address_keys[] = {"street", "house_number", "postal_code",
                                                   "city",   "country",      NULL};
#define PAYROLL_N_KEYS 20

/* Index of key in payroll_keys, -1 when unknown. */
static int payroll_key_index(const char *key, size_t len)
{
    for (int i = 0; payroll_keys[i]; i++)
        if (strlen(payroll_keys[i]) == len && strncasecmp(payroll_keys[i], key, len) == 0)
            return i;
    return -1;
}

/* 1 for keys holding decimals, 2 for dates, 0 else. */
static int payroll_key_kind(int i)
{
    const char *k = payroll_keys[i];
    if (strcmp(k, "salary") == 0 || strcmp(k, "parttime_percentage") == 0 ||
        strcmp(k, "hours") == 0 || strcmp(k, "insured_wage") == 0)
        return 1;
    return strcmp(k, "birth_date") == 0 || strcmp(k, "start_date") == 0 ||
                   strcmp(k, "end_date") == 0
               ? 2
               : 0;
}

/* Copies the string members named by keys from src into row; a member
 * that is neither a string nor null adds an invalid_type error at
 * prefix/key. Blank strings are left out. */
static void payroll_copy_members(json_t *row, json_t *src, const char *const *keys,
                                 const char *prefix, problem *p, const char *lang)
{
    for (int i = 0; keys[i]; i++) {
        json_t *v = json_object_get(src, keys[i]);
        if (!v || json_is_null(v))
            continue;
        if (!json_is_string(v)) {
            char field[128];
            snprintf(field, sizeof field, "%s/%s", prefix, keys[i]);
            problem_add(p, lang, field, "invalid_type", NULL);
            continue;
        }
        if (json_string_length(v) > 0)
            json_object_set(row, keys[i], v);
    }
}

/* The canonical rows of a JSON body; NULL after adding the errors to p. */
static json_t *payroll_from_json(json_t *body, problem *p, const char *lang)
{
    json_t *list = json_object_get(body, "employments");
    if (!json_is_array(list)) {
        problem_add(p, lang, "/employments", list ? "invalid_type" : "required", NULL);
        return NULL;
    }
    if (json_array_size(list) > PAYROLL_BODY_MAX_ROWS) {
        problem_add(p, lang, "/employments", "too_long", NULL);
        return NULL;
    }
    json_t *rows = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "/employments/%zu", i);
        json_t *row = json_object();
        json_t *address = json_object_get(e, "address");
        if (!json_is_object(e))
            problem_add(p, lang, prefix, "invalid_type", NULL);
        else
            payroll_copy_members(row, e, payroll_keys, prefix, p, lang);
        char aprefix[80];
        snprintf(aprefix, sizeof aprefix, "%s/address", prefix);
        if (json_is_object(address))
            payroll_copy_members(row, address, payroll_address_keys, aprefix, p, lang);
        else if (address && !json_is_null(address))
            problem_add(p, lang, aprefix, "invalid_type", NULL);
        json_array_append_new(rows, row);
        if (p->n_errors >= PROBLEM_MAX_ERRORS)
            break;
    }
    if (p->n_errors) {
        json_decref(rows);
        return NULL;
    }
    return rows;
}

/* A CSV being read: the columns from the header, the rows so far. */
typedef struct {
    int columns[64]; /* column -> key index, -1: none */
    size_t n_columns;
    int has_bsn;
    json_t *rows;
    csv_reader *reader;
    problem *p;
    const char *lang;
} payroll_csv;

/* The header row: every column must be a known key, bsn among them. */
static portal_result payroll_csv_header(payroll_csv *c, const sheet_row *row)
{
    c->n_columns = row->n_cells < 64 ? row->n_cells : 64;
    for (size_t i = 0; i < c->n_columns; i++) {
        const char *t = row->cells[i].text;
        size_t n = row->cells[i].len;
        while (n && *t == ' ')
            t++, n--;
        while (n && t[n - 1] == ' ')
            n--;
        c->columns[i] = payroll_key_index(t, n);
        c->has_bsn |= c->columns[i] == 2;
        if (c->columns[i] < 0 && n) {
            char field[32];
            snprintf(field, sizeof field, "/columns/%zu", i + 1);
            problem_add(c->p, c->lang, field, "invalid_value", NULL);
        }
    }
    if (!c->has_bsn)
        problem_add(c->p, c->lang, "/columns/bsn", "required", NULL);
    return c->p->n_errors ? PORTAL_ERR_INVALID : PORTAL_OK;
}

/* One cell into row: decimal commas and DD-MM-YYYY dates of a semicolon
 * file made canonical where they can be (else kept as written, so the
 * rules refuse them with their own codes). */
static void payroll_csv_cell(payroll_csv *c, json_t *row, int key, const sheet_cell *cell)
{
    char text[64];
    const char *value = cell->text;
    int kind = payroll_key_kind(key);
    civil_date d;
    if (kind == 1 && csv_reader_separator(c->reader) == ';' &&
        csv_decimal_comma_to_point(cell->text, cell->len, text, sizeof text) == PORTAL_OK)
        value = text;
    else if (kind == 2 && csv_parse_date(cell->text, cell->len, &d) == PORTAL_OK &&
             civil_date_format(d, text, sizeof text) == PORTAL_OK)
        value = text;
    json_object_set_new(row, payroll_keys[key], json_string(value));
}

/* sheet_row_fn of the CSV reader. */
static portal_result payroll_csv_row(void *ctx, const sheet_row *row)
{
    payroll_csv *c = ctx;
    if (row->number == 1)
        return payroll_csv_header(c, row);
    if (json_array_size(c->rows) >= PAYROLL_BODY_MAX_ROWS) {
        problem_add(c->p, c->lang, "/employments", "too_long", NULL);
        return PORTAL_ERR_TOO_LARGE;
    }
    json_t *out = json_object();
    for (size_t i = 0; i < row->n_cells && i < c->n_columns; i++)
        if (c->columns[i] >= 0 && row->cells[i].len > 0)
            payroll_csv_cell(c, out, c->columns[i], &row->cells[i]);
    return json_array_append_new(c->rows, out) == 0 ? PORTAL_OK : PORTAL_ERR_MEMORY;
}

/* The canonical rows of a CSV body; NULL with the problem to answer in p. */
static json_t *payroll_from_csv(const char *data, size_t len, http_ctx *ctx, problem *p)
{
    payroll_csv c;
    memset(&c, 0, sizeof c);
    c.rows = json_array();
    c.p = p;
    c.lang = ctx->lang;
    portal_result rc = csv_reader_new(NULL, payroll_csv_row, &c, &c.reader);
    if (rc == PORTAL_OK)
        rc = csv_reader_feed(c.reader, data, len);
    if (rc == PORTAL_OK)
        rc = csv_reader_finish(c.reader);
    csv_reason reason = c.reader ? csv_reader_reason(c.reader) : CSV_REASON_MEMORY;
    csv_reader_free(c.reader);
    if (rc == PORTAL_OK && json_array_size(c.rows) == 0 && !c.has_bsn)
        problem_add(p, ctx->lang, "/columns/bsn", "required", NULL);
    if (rc == PORTAL_OK && !p->n_errors)
        return c.rows;
    json_decref(c.rows);
    const char *code = NULL;
    if (!p->n_errors && csv_reason_problem(reason, &code) && code) {
        problem_init(p, 422, code);
        problem_set_detail(p, csv_reason_detail(reason, ctx->lang));
    } else if (!p->n_errors) {
        problem_init(p, 500, "internal_error");
    }
    return NULL;
}

/* The spooled 'file' part: JSON when it starts with '{', else CSV. NULL
 * with *answered set when it answered itself, else the problem is in p. */
static json_t *payroll_from_upload(const struct _u_request *request, struct _u_response *response,
                                   http_ctx *ctx, problem *p, int *answered)
{
    *answered = 1;
    const http_upload_file *up = http_upload_of(request);
    if (up && up->too_large) {
        http_problem(response, ctx, 413, "payload_too_large");
        return NULL;
    }
    if (!up || strcmp(up->field, "file") != 0 || up->parts != 1 || up->failed) {
        http_field_problem(response, ctx, 400, "invalid_request", "/file",
                           up && up->parts > 1 ? "invalid_value" : "required", NULL);
        return NULL;
    }
    size_t size = (size_t)up->size;
    char *bytes = http_ctx_keep(ctx, malloc(size ? size : 1));
    if (!bytes || fseek(up->file, 0, SEEK_SET) != 0 ||
        (size && fread(bytes, 1, size, up->file) != size)) {
        http_problem(response, ctx, 500, "internal_error");
        return NULL;
    }
    size_t at = 0;
    while (at < size && (bytes[at] == ' ' || bytes[at] == '\n' || bytes[at] == '\r'))
        at++;
    if (at < size && bytes[at] == '{') {
        json_t *body =
            http_ctx_keep_json(ctx, json_loadb(bytes, size, JSON_REJECT_DUPLICATES, NULL));
        if (!json_is_object(body)) {
            http_problem(response, ctx, 400, "invalid_request");
            return NULL;
        }
        *answered = 0;
        return payroll_from_json(body, p, ctx->lang);
    }
    *answered = 0;
    return payroll_from_csv(bytes, size, ctx, p);
}

/* 1 when the request's Content-Type is type (parameters ignored). */
static int payroll_content_type(const struct _u_request *request, const char *type)
{
    const char *ct = http_header(request, "Content-Type");
    size_t n = strlen(type);
    return ct && strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

http_step http_payroll_body(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx, json_t **rows)
{
    *rows = NULL;
    problem p;
    problem_init(&p, 400, "invalid_request");
    json_t *out = NULL;
    int answered = 0;
    if (payroll_content_type(request, "multipart/form-data")) {
        out = payroll_from_upload(request, response, ctx, &p, &answered);
    } else if (payroll_content_type(request, "text/csv")) {
        if (http_body_too_large(request, HTTP_MAX_JSON_BODY)) {
            http_problem(response, ctx, 413, "payload_too_large");
            return HTTP_ANSWERED;
        }
        out = payroll_from_csv(request->binary_body ? request->binary_body : "",
                               request->binary_body_length, ctx, &p);
    } else {
        json_t *body = http_json_body(ctx, request, response);
        if (!body)
            return HTTP_ANSWERED;
        out = payroll_from_json(body, &p, ctx->lang);
    }
    if (!out) {
        if (!answered)
            problem_send(response, ctx, &p);
        return HTTP_ANSWERED;
    }
    *rows = http_ctx_keep_json(ctx, out);
    return *rows ? HTTP_GO_ON : HTTP_ANSWERED;
}
