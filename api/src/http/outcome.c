/* http/outcome.c: see outcome.h. */
#include "http/outcome.h"

#include "http/problem.h"

int http_status_of(portal_result rc)
{
    switch (rc) {
    case PORTAL_OK:
        return 200;
    case PORTAL_ERR_MALFORMED:
        return 400;
    case PORTAL_ERR_DENIED:
        return 403;
    case PORTAL_ERR_NOT_FOUND:
        return 404;
    case PORTAL_ERR_CONFLICT:
        return 409;
    case PORTAL_ERR_EXPIRED:
        return 410;
    case PORTAL_ERR_PRECONDITION:
        return 412;
    case PORTAL_ERR_TOO_LARGE:
        return 413;
    case PORTAL_ERR_INVALID:
        return 422;
    case PORTAL_ERR_THROTTLED:
        return 429;
    case PORTAL_ERR_BUSY:
    case PORTAL_ERR_DATABASE:
        return 503;
    case PORTAL_ERR_MEMORY:
    case PORTAL_ERR_IO:
    case PORTAL_ERR_CRYPTO:
    case PORTAL_ERR_INTERNAL:
        break;
    }
    return 500;
}

const char *http_code_of(portal_result rc)
{
    switch (rc) {
    case PORTAL_OK:
        return "";
    case PORTAL_ERR_MALFORMED:
        return "invalid_request";
    case PORTAL_ERR_DENIED:
        return "forbidden";
    case PORTAL_ERR_NOT_FOUND:
        return "not_found";
    case PORTAL_ERR_CONFLICT:
        return "conflict";
    case PORTAL_ERR_EXPIRED:
        return "gone";
    case PORTAL_ERR_PRECONDITION:
        return "precondition_failed";
    case PORTAL_ERR_TOO_LARGE:
        return "payload_too_large";
    case PORTAL_ERR_INVALID:
        return "validation_failed";
    case PORTAL_ERR_THROTTLED:
        return "too_many_attempts";
    case PORTAL_ERR_BUSY:
    case PORTAL_ERR_DATABASE:
        return "service_unavailable";
    case PORTAL_ERR_MEMORY:
    case PORTAL_ERR_IO:
    case PORTAL_ERR_CRYPTO:
    case PORTAL_ERR_INTERNAL:
        break;
    }
    return "internal_error";
}

void http_answer_outcome(struct _u_response *response, const http_ctx *ctx, const portal_outcome *o)
{
    portal_result rc = o->rc == PORTAL_OK ? PORTAL_ERR_INTERNAL : o->rc;
    int status = http_status_of(rc);
    problem p;
    problem_init(&p, status,
                 status == 500 ? "internal_error"
                 : o->code[0]  ? o->code
                               : http_code_of(rc));
    if (status != 500 && o->detail[0])
        problem_set_detail(&p, o->detail);
    for (int i = 0; status != 500 && i < o->n_errors; i++)
        problem_add(&p, ctx->lang, o->errors[i].field, o->errors[i].code,
                    o->errors[i].message[0] ? o->errors[i].message : NULL);
    if (o->retry_after > 0)
        p.retry_after = o->retry_after;
    else if (rc == PORTAL_ERR_THROTTLED || rc == PORTAL_ERR_BUSY)
        p.retry_after = 1;
    else if (rc == PORTAL_ERR_DATABASE)
        p.retry_after = 5;
    problem_send(response, ctx, &p);
}

void http_answer_result(struct _u_response *response, const http_ctx *ctx, portal_result rc)
{
    portal_outcome o;
    outcome_init(&o);
    o.rc = rc;
    http_answer_outcome(response, ctx, &o);
}

void http_answer_rollback(struct _u_response *response, const http_ctx *ctx, db_conn *db,
                          const portal_outcome *o)
{
    db_rollback(db);
    http_answer_outcome(response, ctx, o);
}
