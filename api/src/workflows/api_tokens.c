/* workflows/api_tokens.c: see api_tokens.h. */
#include "workflows/api_tokens.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth/tokens.h"
#include "base/crypto.h"
#include "store/audit.h"

#define API_TOKEN_PREFIX_CHARS 8 /* shown after "pat_" */

/* The audit record of a new token: what it may do, never its secret. */
static json_t *token_created_changes(const char *json)
{
    json_t *token = json_loads(json, 0, NULL);
    json_t *changes = json_object();
    static const char *const fields[] = {"name",       "prefix",     "rights",
                                         "scheme_ids", "expires_at", NULL};
    for (int i = 0; token && changes && fields[i]; i++) {
        json_t *v = json_object_get(token, fields[i]);
        if (audit_change(changes, fields[i], NULL, json_is_null(v) ? NULL : v) != PORTAL_OK) {
            json_decref(changes);
            changes = NULL;
        }
    }
    json_decref(token);
    return changes;
}

portal_result api_token_issue(const portal_actor *actor, db_conn *db, const api_token_input *in,
                              api_token_issued *out, portal_outcome *o)
{
    memset(out, 0, sizeof *out);
    const portal_caller *c = actor ? actor->caller : NULL;
    if (!c || !c->user_id[0])
        return outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    char hash[65], prefix[API_TOKEN_PREFIX_CHARS + 1];
    portal_result rc = crypto_random_token("pat_", 32, out->secret, sizeof out->secret);
    if (rc == PORTAL_OK) {
        tokens_hash(out->secret, hash);
        memcpy(prefix, out->secret + 4, API_TOKEN_PREFIX_CHARS); /* the characters after pat_ */
        prefix[API_TOKEN_PREFIX_CHARS] = '\0';
        api_token_new row = {.organisation_id = c->organisation_id,
                             .created_by = c->user_id,
                             .name = in->name,
                             .prefix = prefix,
                             .token_hash = hash,
                             .rights = in->rights,
                             .scheme_ids = in->scheme_ids,
                             .expires_at = in->expires_at};
        rc = api_tokens_create(db, &row, out->id);
    }
    if (rc == PORTAL_OK)
        rc =
            api_tokens_get_json(db, out->id, c->organisation_id, NULL, 0, &out->json, out->version);
    if (rc == PORTAL_OK) {
        json_t *changes = token_created_changes(out->json);
        rc = changes ? workflow_audit(db, actor, NULL, "api_token.created", "api_token", out->id,
                                      NULL, changes)
                     : PORTAL_ERR_MEMORY;
        json_decref(changes);
    }
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

void api_token_issued_clear(api_token_issued *out)
{
    free(out->json);
    out->json = NULL;
    OPENSSL_cleanse(out->secret, sizeof out->secret);
}
