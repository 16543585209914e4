/* resources/rights.c: see rights.h. */
#include "resources/rights.h"

#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "store/organisations.h"
#include "store/pg_array.h"
#include "store/rights_catalogue.h"

void rights_list_handler(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx)
{
    int staff = access_can(&ctx->caller, "organisations.manage");
    const char *org_id = ctx->caller.organisation_id;
    const char *asked = http_param(request, "organisation_id");
    if (asked && staff)
        org_id = asked;
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    char kind[16], licences[2048] = "{}";
    if (organisations_kind(db, org_id, kind) != PORTAL_OK) {
        http_problem(response, ctx, 404, "not_found");
        return;
    }
    if (strcmp(kind, "intermediary") == 0)
        organisations_licences(db, org_id, licences, sizeof licences);
    char *text = NULL;
    if (rights_catalogue_json(db, kind, &text) != PORTAL_OK) {
        http_problem(response, ctx, 500, "internal_error");
        return;
    }
    json_t *body = json_loads(text, 0, NULL);
    free(text);
    const rights_rules *rules = access_rules_for(kind);
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(body, "items"), i, item)
    {
        const char *id = json_string_value(json_object_get(item, "id"));
        int never = 0;
        for (size_t k = 0; rules && k < rules->never_grantable_count; k++)
            if (strcmp(rules->never_grantable[k], id) == 0)
                never = 1;
        int licensed = !json_is_true(json_object_get(item, "licensable")) ||
                       strcmp(kind, "intermediary") != 0 || pg_array_contains(licences, id);
        int held = staff || access_can(&ctx->caller, "rights.grant_all") ||
                   caller_has_right(&ctx->caller, id);
        int may_grant = access_can(&ctx->caller, "users.manage") && held && licensed && !never;
        json_object_set_new(item, "grantable", json_boolean(may_grant));
        json_object_set_new(item, "licensed", json_boolean(licensed));
    }
    json_object_set_new(body, "organisation_kind", json_string(kind));
    http_send_json(response, 200, body);
    json_decref(body);
}
