/* http/resource_rules.c: see resource_rules.h. */
#include "http/resource_rules.h"

int http_rules_answer(struct _u_response *response, const http_ctx *ctx, problem *invalid,
                      const problem *denied)
{
    if (invalid->n_errors) {
        for (int i = 0; i < denied->n_errors; i++)
            problem_add(invalid, ctx->lang, denied->errors[i].field, denied->errors[i].code,
                        denied->errors[i].message);
        problem_send(response, ctx, invalid);
        return 1;
    }
    if (denied->n_errors) {
        problem_send(response, ctx, denied);
        return 1;
    }
    return 0;
}
