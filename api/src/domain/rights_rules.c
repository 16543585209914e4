/*
 * domain/rights_rules.c: bounded right-id sets and the data-driven checks on
 * combinations of rights. See rights_rules.h for the contract and decisions.
 * Standard C only.
 */
#include "domain/rights_rules.h"

#include <string.h>

static const char *const rights_reason_names[] = {"bundle_incomplete", "requirement_unmet",
                                                  "never_grantable", "not_licensed",
                                                  "not_held_by_granter"};

bool rights_id_is_valid(const char *id)
{
    if (id == NULL || id[0] == '\0') {
        return false;
    }
    for (size_t i = 0; i <= RIGHTS_ID_MAX_LEN; i++) {
        char c = id[i];
        if (c == '\0') {
            return true;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return false; /* longer than RIGHTS_ID_MAX_LEN */
}

void rights_set_init(rights_set *set)
{
    if (set != NULL) {
        set->count = 0;
    }
}

bool rights_set_contains(const rights_set *set, const char *id)
{
    if (set == NULL || id == NULL) {
        return false;
    }
    for (size_t i = 0; i < set->count; i++) {
        if (strcmp(set->ids[i], id) == 0) {
            return true;
        }
    }
    return false;
}

portal_result rights_set_add(rights_set *set, const char *id)
{
    if (set == NULL || !rights_id_is_valid(id)) {
        return PORTAL_ERR_INVALID;
    }
    if (rights_set_contains(set, id)) {
        return PORTAL_OK;
    }
    if (set->count >= RIGHTS_SET_MAX) {
        return PORTAL_ERR_TOO_LARGE;
    }
    size_t len = strlen(id); /* bounded by rights_id_is_valid */
    memcpy(set->ids[set->count], id, len + 1);
    set->count++;
    return PORTAL_OK;
}

portal_result rights_set_from_list(rights_set *set, const char *const *ids, size_t count)
{
    if (set == NULL || (ids == NULL && count > 0)) {
        return PORTAL_ERR_INVALID;
    }
    rights_set built;
    rights_set_init(&built);
    for (size_t i = 0; i < count; i++) {
        portal_result rc = rights_set_add(&built, ids[i]);
        if (rc != PORTAL_OK) {
            return rc;
        }
    }
    memcpy(set, &built, sizeof(built));
    return PORTAL_OK;
}

/* Removes id from *set, keeping the order of the others. */
static void rights_set_remove(rights_set *set, const char *id)
{
    for (size_t i = 0; i < set->count; i++) {
        if (strcmp(set->ids[i], id) == 0) {
            for (size_t k = i + 1; k < set->count; k++) {
                memcpy(set->ids[k - 1], set->ids[k], RIGHTS_ID_SIZE);
            }
            set->count--;
            return;
        }
    }
}

static bool rights_list_is_valid(const char *const *ids, size_t count)
{
    if (ids == NULL) {
        return count == 0;
    }
    for (size_t i = 0; i < count; i++) {
        if (!rights_id_is_valid(ids[i])) {
            return false;
        }
    }
    return true;
}

static bool rights_list_contains(const char *const *ids, size_t count, const char *id)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(ids[i], id) == 0) {
            return true;
        }
    }
    return false;
}

static bool rights_rules_are_valid(const rights_rules *rules)
{
    if (rules == NULL || (rules->bundles == NULL && rules->bundle_count > 0) ||
        (rules->requirements == NULL && rules->requirement_count > 0) ||
        !rights_list_is_valid(rules->never_grantable, rules->never_grantable_count)) {
        return false;
    }
    for (size_t b = 0; b < rules->bundle_count; b++) {
        if (!rights_list_is_valid(rules->bundles[b].members, rules->bundles[b].member_count)) {
            return false;
        }
    }
    for (size_t r = 0; r < rules->requirement_count; r++) {
        const rights_requirement *req = &rules->requirements[r];
        if (!rights_id_is_valid(req->right) ||
            !rights_list_is_valid(req->any_of, req->any_of_count)) {
            return false;
        }
    }
    return true;
}

/* True when at least one of ids[0..count) is in *set. */
static bool rights_set_holds_any(const rights_set *set, const char *const *ids, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (rights_set_contains(set, ids[i])) {
            return true;
        }
    }
    return false;
}

/* The first member of a bundle that *set holds, or NULL. */
static const char *rights_bundle_first_held(const rights_bundle *bundle, const rights_set *set)
{
    for (size_t i = 0; i < bundle->member_count; i++) {
        if (rights_set_contains(set, bundle->members[i])) {
            return bundle->members[i];
        }
    }
    return NULL;
}

/* Appends a problem unless the same right with the same reason is listed. */
static portal_result rights_problem_add(rights_problem *list, size_t *count, const char *right,
                                        rights_reason reason, const char *related,
                                        size_t rule_index)
{
    for (size_t i = 0; i < *count; i++) {
        if (list[i].reason == reason && strcmp(list[i].right, right) == 0) {
            return PORTAL_OK;
        }
    }
    if (*count >= RIGHTS_SET_MAX) {
        return PORTAL_ERR_TOO_LARGE;
    }
    rights_problem *p = &list[*count];
    memset(p, 0, sizeof(*p));
    /* Both ids were checked by rights_id_is_valid, so they fit. */
    memcpy(p->right, right, strlen(right) + 1);
    if (related != NULL) {
        memcpy(p->related, related, strlen(related) + 1);
    }
    p->reason = reason;
    p->rule_index = rule_index;
    (*count)++;
    return PORTAL_OK;
}

portal_result rights_check_grant(const rights_rules *rules, const rights_set *requested,
                                 const rights_set *current, const rights_set *licensed,
                                 const rights_set *granter, rights_verdict *out)
{
    if (requested == NULL || licensed == NULL || granter == NULL || out == NULL ||
        !rights_rules_are_valid(rules)) {
        return PORTAL_ERR_INVALID;
    }
    rights_verdict verdict;
    memset(&verdict, 0, sizeof(verdict));
    portal_result rc = PORTAL_OK;

    for (size_t b = 0; b < rules->bundle_count && rc == PORTAL_OK; b++) {
        const rights_bundle *bundle = &rules->bundles[b];
        const char *held = rights_bundle_first_held(bundle, requested);
        for (size_t i = 0; held != NULL && i < bundle->member_count && rc == PORTAL_OK; i++) {
            if (!rights_set_contains(requested, bundle->members[i])) {
                rc = rights_problem_add(verdict.missing, &verdict.missing_count, bundle->members[i],
                                        RIGHTS_BUNDLE_INCOMPLETE, held, b);
            }
        }
    }
    for (size_t r = 0; r < rules->requirement_count && rc == PORTAL_OK; r++) {
        const rights_requirement *req = &rules->requirements[r];
        if (rights_set_contains(requested, req->right) &&
            !rights_set_holds_any(requested, req->any_of, req->any_of_count)) {
            rc = rights_problem_add(verdict.missing, &verdict.missing_count, req->right,
                                    RIGHTS_REQUIREMENT_UNMET, NULL, r);
        }
    }
    bool invalid = verdict.missing_count > 0;
    bool denied = false;
    for (size_t i = 0; i < requested->count && rc == PORTAL_OK; i++) {
        const char *id = requested->ids[i];
        rights_reason reason;
        if (rights_list_contains(rules->never_grantable, rules->never_grantable_count, id)) {
            reason = RIGHTS_NEVER_GRANTABLE;
        } else if (!rights_set_contains(licensed, id)) {
            reason = RIGHTS_NOT_LICENSED;
        } else if (!rights_set_contains(granter, id) && !rights_set_contains(current, id)) {
            reason = RIGHTS_NOT_HELD_BY_GRANTER;
        } else {
            continue;
        }
        if (reason == RIGHTS_NOT_HELD_BY_GRANTER) {
            denied = true;
        } else {
            invalid = true;
        }
        rc = rights_problem_add(verdict.forbidden, &verdict.forbidden_count, id, reason, NULL, 0);
    }
    if (rc != PORTAL_OK) {
        return rc;
    }
    verdict.kind = invalid  ? RIGHTS_VERDICT_INVALID
                   : denied ? RIGHTS_VERDICT_DENIED
                            : RIGHTS_VERDICT_OK;
    memcpy(out, &verdict, sizeof(verdict));
    return PORTAL_OK;
}

/* One pruning pass; true when it removed anything. */
static bool rights_prune_once(const rights_rules *rules, rights_set *set)
{
    bool changed = false;
    for (size_t b = 0; b < rules->bundle_count; b++) {
        const rights_bundle *bundle = &rules->bundles[b];
        if (rights_bundle_first_held(bundle, set) == NULL) {
            continue;
        }
        bool complete = true;
        for (size_t i = 0; i < bundle->member_count; i++) {
            if (!rights_set_contains(set, bundle->members[i])) {
                complete = false;
                break;
            }
        }
        if (!complete) {
            for (size_t i = 0; i < bundle->member_count; i++) {
                rights_set_remove(set, bundle->members[i]);
            }
            changed = true;
        }
    }
    for (size_t r = 0; r < rules->requirement_count; r++) {
        const rights_requirement *req = &rules->requirements[r];
        if (rights_set_contains(set, req->right) &&
            !rights_set_holds_any(set, req->any_of, req->any_of_count)) {
            rights_set_remove(set, req->right);
            changed = true;
        }
    }
    return changed;
}

portal_result rights_first_administrator(const rights_rules *rules, const rights_set *licensed,
                                         const char *const *always, size_t always_count,
                                         rights_set *out)
{
    if (licensed == NULL || out == NULL || !rights_rules_are_valid(rules) ||
        !rights_list_is_valid(always, always_count)) {
        return PORTAL_ERR_INVALID;
    }
    rights_set result;
    rights_set_init(&result);
    for (size_t i = 0; i < licensed->count + always_count; i++) {
        const char *id = i < licensed->count ? licensed->ids[i] : always[i - licensed->count];
        if (rights_list_contains(rules->never_grantable, rules->never_grantable_count, id)) {
            continue;
        }
        portal_result rc = rights_set_add(&result, id);
        if (rc != PORTAL_OK) {
            return rc;
        }
    }
    /* Every pass that changes anything removes at least one id, so this
     * ends within RIGHTS_SET_MAX + 1 passes. */
    for (size_t pass = 0; pass <= RIGHTS_SET_MAX; pass++) {
        if (!rights_prune_once(rules, &result)) {
            break;
        }
    }
    memcpy(out, &result, sizeof(result));
    return PORTAL_OK;
}

const char *rights_reason_name(rights_reason reason)
{
    size_t index = (size_t)reason;
    return index < sizeof(rights_reason_names) / sizeof(rights_reason_names[0])
               ? rights_reason_names[index]
               : NULL;
}
