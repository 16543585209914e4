/* auth/access.c: see access.h. */
#include "auth/access.h"

#include <stdlib.h>
#include <string.h>

#include "store/access.h"

static access_right_row *catalogue;
static int catalogue_size;
static access_rule_row *rules;
static int rules_size;

/* The rules of one organisation kind in the shape domain/rights_rules wants;
 * pointers point into `rules`, built once at start-up. */
#define ACCESS_KIND_RULES 16
typedef struct {
    const char *kind;
    rights_bundle bundles[ACCESS_KIND_RULES];
    const char *bundle_members[ACCESS_KIND_RULES][ACCESS_RULE_MAX_RIGHTS];
    rights_requirement requirements[ACCESS_KIND_RULES];
    const char *requirement_any[ACCESS_KIND_RULES][ACCESS_RULE_MAX_RIGHTS];
    const char *never[ACCESS_KIND_RULES * ACCESS_RULE_MAX_RIGHTS];
    rights_rules rules;
} access_kind_rules;

static access_kind_rules kind_rules[3] = {
    {.kind = "insurer"}, {.kind = "employer"}, {.kind = "intermediary"}};

static void access_build_rules(void)
{
    for (int k = 0; k < 3; k++) {
        access_kind_rules *kr = &kind_rules[k];
        size_t nb = 0, nr = 0, nn = 0;
        for (int i = 0; i < rules_size; i++) {
            const access_rule_row *r = &rules[i];
            if (strcmp(r->organisation_kind, kr->kind) != 0)
                continue;
            if (strcmp(r->kind, "bundle") == 0 && nb < ACCESS_KIND_RULES) {
                for (int m = 0; m < r->n_rights; m++)
                    kr->bundle_members[nb][m] = r->rights[m];
                kr->bundles[nb].members = kr->bundle_members[nb];
                kr->bundles[nb].member_count = (size_t)r->n_rights;
                nb++;
            } else if (strcmp(r->kind, "requires_any") == 0 && nr < ACCESS_KIND_RULES &&
                       r->n_rights > 0) {
                for (int m = 0; m < r->n_requires; m++)
                kr->requirement_any[nr][m] = r->requires[m];
                kr->requirements[nr].right = r->rights[0];
                kr->requirements[nr].any_of = kr->requirement_any[nr];
                kr->requirements[nr].any_of_count = (size_t)r->n_requires;
                nr++;
            } else if (strcmp(r->kind, "never") == 0) {
                for (int m = 0; m < r->n_rights && nn < ACCESS_KIND_RULES * ACCESS_RULE_MAX_RIGHTS;
                     m++)
                    kr->never[nn++] = r->rights[m];
            }
        }
        kr->rules.bundles = kr->bundles;
        kr->rules.bundle_count = nb;
        kr->rules.requirements = kr->requirements;
        kr->rules.requirement_count = nr;
        kr->rules.never_grantable = kr->never;
        kr->rules.never_grantable_count = nn;
    }
}

portal_result access_init(db_conn *db)
{
    access_shutdown();
    portal_result rc = access_load_catalogue(db, &catalogue, &catalogue_size);
    if (rc == PORTAL_OK)
        rc = access_load_rules(db, &rules, &rules_size);
    if (rc == PORTAL_OK)
        access_build_rules();
    return rc;
}

void access_shutdown(void)
{
    free(catalogue);
    catalogue = NULL;
    catalogue_size = 0;
    free(rules);
    rules = NULL;
    rules_size = 0;
}

const rights_rules *access_rules_for(const char *organisation_kind)
{
    for (int k = 0; k < 3; k++)
        if (strcmp(kind_rules[k].kind, organisation_kind) == 0)
            return &kind_rules[k].rules;
    return NULL;
}

int access_right_licensable(const char *organisation_kind, const char *right)
{
    const access_right_row *r = NULL;
    for (int i = 0; i < catalogue_size && !r; i++)
        if (strcmp(catalogue[i].organisation_kind, organisation_kind) == 0 &&
            strcmp(catalogue[i].id, right) == 0)
            r = &catalogue[i];
    return r && r->licensable;
}

void access_all_rights(const char *organisation_kind, rights_set *out)
{
    rights_set_init(out);
    for (int i = 0; i < catalogue_size; i++)
        if (strcmp(catalogue[i].organisation_kind, organisation_kind) == 0)
            rights_set_add(out, catalogue[i].id);
}

static const access_right_row *access_find(const char *kind, const char *right)
{
    for (int i = 0; i < catalogue_size; i++)
        if (strcmp(catalogue[i].organisation_kind, kind) == 0 &&
            strcmp(catalogue[i].id, right) == 0)
            return &catalogue[i];
    return NULL;
}

int access_right_exists(const char *organisation_kind, const char *right)
{
    return access_find(organisation_kind, right) != NULL;
}

int access_rights_give(const char *organisation_kind, char (*rights)[CALLER_RIGHT_LEN],
                       int n_rights, const char *capability)
{
    for (int i = 0; i < n_rights; i++) {
        const access_right_row *r = access_find(organisation_kind, rights[i]);
        for (int k = 0; r && k < r->n_caps; k++)
            if (strcmp(r->caps[k], capability) == 0)
                return 1;
    }
    return 0;
}

int access_can(const portal_caller *caller, const char *capability)
{
    char(*rights)[CALLER_RIGHT_LEN] = (char(*)[CALLER_RIGHT_LEN])caller->rights;
    return access_rights_give(caller->organisation_kind, rights, caller->n_rights, capability);
}

portal_result access_scheme(db_conn *db, const portal_caller *caller, const char *scheme_id,
                            const char *capability)
{
    char rights[CALLER_MAX_RIGHTS][CALLER_RIGHT_LEN];
    char kind[16];
    int n = 0;
    portal_result rc =
        access_scheme_rights(db, caller, scheme_id, rights, CALLER_MAX_RIGHTS, &n, kind);
    if (rc != PORTAL_OK)
        return rc;
    return access_rights_give(kind, rights, n, capability) ? PORTAL_OK : PORTAL_ERR_DENIED;
}

portal_result access_schemes(db_conn *db, const portal_caller *caller, char (*ids)[PORTAL_ID_LEN],
                             int n, const char *capability)
{
    int denied = 0;
    for (int i = 0; i < n; i++) {
        portal_result rc = access_scheme(db, caller, ids[i], capability);
        if (rc == PORTAL_ERR_DENIED)
            denied = 1;
        else if (rc != PORTAL_OK)
            return rc;
    }
    return denied ? PORTAL_ERR_DENIED : PORTAL_OK;
}

const char *access_scope_limit(const portal_caller *caller, char *out, size_t size)
{
    if (caller->all_schemes)
        return NULL;
    access_scope_literal(caller, out, size);
    return out;
}

int access_scope_covers(const portal_caller *caller, int all, char (*ids)[PORTAL_ID_LEN], int n)
{
    if (caller->all_schemes)
        return 1;
    if (all)
        return 0;
    for (int i = 0; i < n; i++)
        if (!access_in_scope(caller, ids[i]))
            return 0;
    return 1;
}

int access_in_scope(const portal_caller *caller, const char *scheme_id)
{
    if (caller->all_schemes)
        return 1;
    for (int i = 0; scheme_id && i < caller->n_schemes; i++)
        if (strcmp(caller->scheme_ids[i], scheme_id) == 0)
            return 1;
    return 0;
}
