/* http/idempotency.c: see idempotency.h. */
#include "http/idempotency.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "base/crypto.h"
#include "base/log.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "http/upload.h"
#include "store/idempotency.h"

portal_result http_idempotency_hash(const char *method, const char *path, const void *body,
                                    size_t len, char out[HTTP_IDEMPOTENCY_HASH_LEN + 1])
{
    out[0] = '\0';
    const char *m = method ? method : "";
    const char *p = path ? path : "";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
             EVP_DigestUpdate(md, m, strlen(m) + 1) == 1 &&
             EVP_DigestUpdate(md, p, strlen(p) + 1) == 1 &&
             (len == 0 || EVP_DigestUpdate(md, body, len) == 1) &&
             EVP_DigestFinal_ex(md, digest, &digest_len) == 1 && digest_len == CRYPTO_SHA256_LEN;
    EVP_MD_CTX_free(md);
    if (!ok)
        return PORTAL_ERR_CRYPTO;
    crypto_hex_encode(digest, CRYPTO_SHA256_LEN, out);
    return PORTAL_OK;
}

/* Feeds the form fields and the spooled file of an upload to md (the
 * multipart body itself never stays in memory, so the key's request hash is
 * taken from what was parsed out of it). The spool's position is kept.
 * Returns 1, or 0 when the spool cannot be read or OpenSSL fails. */
static int idem_hash_upload(EVP_MD_CTX *md, const struct _u_request *request,
                            const http_upload_file *up)
{
    const char **keys = u_map_enum_keys(request->map_post_body);
    for (size_t i = 0; keys && keys[i]; i++) {
        const char *v = u_map_get(request->map_post_body, keys[i]);
        if (EVP_DigestUpdate(md, keys[i], strlen(keys[i]) + 1) != 1 ||
            EVP_DigestUpdate(md, v ? v : "", v ? strlen(v) + 1 : 1) != 1)
            return 0;
    }
    if (EVP_DigestUpdate(md, up->file_name, strlen(up->file_name) + 1) != 1)
        return 0;
    if (!up->file)
        return 1;
    long at = ftell(up->file);
    if (at < 0 || fseek(up->file, 0, SEEK_SET) != 0)
        return 0;
    unsigned char block[16384];
    size_t n;
    int ok = 1;
    while (ok && (n = fread(block, 1, sizeof block, up->file)) > 0)
        ok = EVP_DigestUpdate(md, block, n) == 1;
    ok = ok && !ferror(up->file);
    return fseek(up->file, at, SEEK_SET) == 0 && ok;
}

/* The request hash of an Idempotency-Key: http_idempotency_hash over the
 * body; for an upload over method, path, its form fields and its file. */
static portal_result idem_request_hash(const struct _u_request *request,
                                       char out[HTTP_IDEMPOTENCY_HASH_LEN + 1])
{
    const http_upload_file *up = http_upload_of(request);
    if (!up)
        return http_idempotency_hash(request->http_verb, request->url_path, request->binary_body,
                                     request->binary_body_length, out);
    /* Not the raw body: it carries a boundary the client picks anew. */
    char head[HTTP_IDEMPOTENCY_HASH_LEN + 1];
    portal_result rc = http_idempotency_hash(request->http_verb, request->url_path, NULL, 0, head);
    if (rc != PORTAL_OK)
        return rc;
    out[0] = '\0';
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
             EVP_DigestUpdate(md, head, sizeof head) == 1 && idem_hash_upload(md, request, up) &&
             EVP_DigestFinal_ex(md, digest, &digest_len) == 1 && digest_len == CRYPTO_SHA256_LEN;
    EVP_MD_CTX_free(md);
    if (!ok)
        return PORTAL_ERR_CRYPTO;
    crypto_hex_encode(digest, CRYPTO_SHA256_LEN, out);
    return PORTAL_OK;
}

portal_result http_idempotency_scope(const http_ctx *ctx, char *out, size_t out_size)
{
    int n;
    if (ctx->caller.kind == CALLER_SESSION && ctx->caller.user_id[0])
        n = snprintf(out, out_size, "user:%s", ctx->caller.user_id);
    else if (ctx->caller.kind == CALLER_API_TOKEN && ctx->caller.token_id[0])
        n = snprintf(out, out_size, "token:%s", ctx->caller.token_id);
    else
        n = snprintf(out, out_size, "anon:%s", ctx->client_address);
    if (n < 0 || (size_t)n >= out_size) {
        if (out_size > 0)
            out[0] = '\0';
        return PORTAL_ERR_TOO_LARGE;
    }
    return PORTAL_OK;
}

static int refuse(http_idempotency *state, struct _u_response *response, const http_ctx *ctx,
                  int status, const char *code)
{
    state->status = HTTP_IDEMPOTENCY_REFUSED;
    http_problem(response, ctx, status, code);
    return 0;
}

/* 400 with a field error on the header; field_code from the catalogue. */
static int refuse_key(http_idempotency *state, struct _u_response *response, const http_ctx *ctx,
                      const char *field_code)
{
    state->status = HTTP_IDEMPOTENCY_REFUSED;
    problem p;
    problem_init(&p, 400, "invalid_request");
    problem_add(&p, ctx->lang, "Idempotency-Key", field_code, NULL);
    problem_send(response, ctx, &p);
    return 0;
}

static void replay(struct _u_response *response, const store_idempotency_row *row)
{
    if (row->response_body)
        http_send_json_text(response, (unsigned)row->status_code, row->response_body,
                            strlen(row->response_body));
    else
        http_send_empty(response, (unsigned)row->status_code);
    if (row->location)
        http_set_header(response, "Location", row->location);
    http_set_header(response, "Idempotent-Replayed", "true");
}

int http_idempotency_begin(http_ctx *ctx, const struct _u_request *request,
                           struct _u_response *response, db_conn *db, http_idempotency *state)
{
    memset(state, 0, sizeof *state);
    const char *key = http_header(request, "Idempotency-Key");
    if (!key)
        return 1;
    size_t len = strnlen(key, HTTP_IDEMPOTENCY_KEY_MAX + 1);
    if (len == 0)
        return refuse_key(state, response, ctx, "required");
    if (len > HTTP_IDEMPOTENCY_KEY_MAX)
        return refuse_key(state, response, ctx, "too_long");
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)key[i] < 0x20 || (unsigned char)key[i] >= 0x7f)
            return refuse_key(state, response, ctx, "invalid_format");
    memcpy(state->key, key, len + 1);

    char hash[HTTP_IDEMPOTENCY_HASH_LEN + 1];
    if (http_idempotency_scope(ctx, state->caller, sizeof state->caller) != PORTAL_OK ||
        idem_request_hash(request, hash) != PORTAL_OK || !db) {
        log_error("event=idempotency_failed stage=prepare request_id=%s", ctx->request_id);
        return refuse(state, response, ctx, 500, "internal_error");
    }

    int claimed = 0;
    portal_result rc = store_idempotency_claim(db, state->caller, state->key, hash, &claimed);
    if (rc != PORTAL_OK) {
        log_error("event=idempotency_failed stage=claim result=%s request_id=%s",
                  portal_result_name(rc), ctx->request_id);
        return refuse(state, response, ctx, 500, "internal_error");
    }
    if (claimed) {
        state->status = HTTP_IDEMPOTENCY_PROCEED;
        return 1;
    }

    store_idempotency_row row;
    rc = store_idempotency_get(db, state->caller, state->key, &row);
    if (rc == PORTAL_ERR_NOT_FOUND) {
        refuse(state, response, ctx, 409, "conflict");
    } else if (rc != PORTAL_OK) {
        log_error("event=idempotency_failed stage=read result=%s request_id=%s",
                  portal_result_name(rc), ctx->request_id);
        refuse(state, response, ctx, 500, "internal_error");
    } else if (strcmp(row.request_hash, hash) != 0) {
        refuse(state, response, ctx, 422, "idempotency_key_reused");
    } else if (!row.has_answer || row.status_code < 100 || row.status_code > 599) {
        refuse(state, response, ctx, 409, "conflict");
    } else {
        state->status = HTTP_IDEMPOTENCY_REPLAYED;
        replay(response, &row);
        log_info("event=idempotency_replayed status=%d request_id=%s", row.status_code,
                 ctx->request_id);
    }
    store_idempotency_row_free(&row);
    return 0;
}

portal_result http_idempotency_finish(const http_idempotency *state, db_conn *db, int status,
                                      const char *body_text, const char *location)
{
    if (state->status != HTTP_IDEMPOTENCY_PROCEED)
        return PORTAL_OK;
    if (!db)
        return PORTAL_ERR_INVALID;
    return store_idempotency_save(db, state->caller, state->key, status, body_text, location);
}
