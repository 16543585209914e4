/*
 * domain/rights_rules.h: the rules for combining user rights, as data-driven
 * checks (DESIGN.md §4.2, seed 000 §7-8).
 *
 * Owns: a bounded set of right ids, the verdict on a set of rights an
 * administrator wants a user to hold (bundles that go together, requirements,
 * never-grantable rights, the organisation's licences, the granter's own
 * rights), and the maximal set a first administrator gets. The catalogue
 * itself lives in the database: callers pass its rules in as arrays of
 * structs whose strings they own. No allocation, no I/O; results are copied
 * into caller-owned structs, so they never point into the inputs.
 *
 * A right id is 1..63 characters of [a-z0-9_] ("premiepensioenvorderingen").
 * A set holds at most 64 ids; adding an id twice keeps one.
 *
 * Decisions (listed in the README):
 * - `requested` is the complete set the user will hold after the change.
 *   Rights in `current` (what the user already holds) are not checked
 *   against the granter, so a limited administrator can edit a colleague who
 *   holds more than they do without stripping it; everything else (bundles,
 *   requirements, never-grantable, licences) applies to the whole set.
 *   Removing a right is never checked against the granter.
 * - A forbidden right gets one reason, the first of: never grantable, not
 *   licensed, not held by the granter.
 * - The verdict is 422 (RIGHTS_VERDICT_INVALID) when anything is missing,
 *   never grantable or unlicensed, since the request fails whoever sends it;
 *   only when the sole problem is rights the granter lacks is it 403
 *   (RIGHTS_VERDICT_DENIED). All problems are listed either way.
 */
#ifndef PORTAL_DOMAIN_RIGHTS_RULES_H
#define PORTAL_DOMAIN_RIGHTS_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "base/result.h"

#define RIGHTS_SET_MAX 64
#define RIGHTS_ID_MAX_LEN 63
#define RIGHTS_ID_SIZE (RIGHTS_ID_MAX_LEN + 1)

/* A set of right ids, owned by value (about 4 KiB). Zero-initialised is empty. */
typedef struct {
    size_t count;
    char ids[RIGHTS_SET_MAX][RIGHTS_ID_SIZE];
} rights_set;

/* Rights that must be granted all together or not at all. */
typedef struct {
    const char *const *members;
    size_t member_count;
} rights_bundle;

/* `right` may only be granted with at least one of `any_of`. */
typedef struct {
    const char *right;
    const char *const *any_of;
    size_t any_of_count;
} rights_requirement;

/* The catalogue's combination rules. Arrays may be NULL when their count is 0. */
typedef struct {
    const rights_bundle *bundles;
    size_t bundle_count;
    const rights_requirement *requirements;
    size_t requirement_count;
    const char *const *never_grantable;
    size_t never_grantable_count;
} rights_rules;

typedef enum {
    RIGHTS_BUNDLE_INCOMPLETE =
        0,                     /* missing: `right` must come with `related` (bundle rule_index) */
    RIGHTS_REQUIREMENT_UNMET,  /* missing: `right` needs one of requirement rule_index's any_of */
    RIGHTS_NEVER_GRANTABLE,    /* forbidden: never granted to anyone */
    RIGHTS_NOT_LICENSED,       /* forbidden: outside the organisation's licences */
    RIGHTS_NOT_HELD_BY_GRANTER /* forbidden: the administrator lacks it */
} rights_reason;

typedef struct {
    char right[RIGHTS_ID_SIZE];
    rights_reason reason;
    char related[RIGHTS_ID_SIZE]; /* bundle: the requested member that needs `right`; else "" */
    size_t rule_index;            /* index into bundles or requirements; 0 for other reasons */
} rights_problem;

typedef enum {
    RIGHTS_VERDICT_OK = 0,
    RIGHTS_VERDICT_INVALID, /* 422 validation_failed */
    RIGHTS_VERDICT_DENIED   /* 403 forbidden: only rights the granter lacks */
} rights_verdict_kind;

typedef struct {
    rights_verdict_kind kind;
    size_t missing_count; /* bundle incomplete / requirement unmet */
    rights_problem missing[RIGHTS_SET_MAX];
    size_t forbidden_count; /* never grantable / not licensed / not held by the granter */
    rights_problem forbidden[RIGHTS_SET_MAX];
} rights_verdict;

/* True when id is 1..RIGHTS_ID_MAX_LEN characters of [a-z0-9_]. */
bool rights_id_is_valid(const char *id);

/* Empties *set. */
void rights_set_init(rights_set *set);

/* Adds a copy of id to *set; an id already present is kept once (PORTAL_OK).
 * Returns PORTAL_ERR_INVALID for NULL or an invalid id and
 * PORTAL_ERR_TOO_LARGE when the set already holds RIGHTS_SET_MAX ids; *set is
 * unchanged on failure. */
portal_result rights_set_add(rights_set *set, const char *id);

/* Replaces *set with ids[0..count) (duplicates kept once). Fails like
 * rights_set_add for any id, leaving *set untouched. */
portal_result rights_set_from_list(rights_set *set, const char *const *ids, size_t count);

/* True when *set (may be NULL) holds id. */
bool rights_set_contains(const rights_set *set, const char *id);

/* Judges `requested` (the complete set the user will hold) against the rules,
 * the organisation's `licensed` rights (every right that exists for it: its
 * licences plus the rights that need none) and the `granter`'s own rights
 * (pass `licensed` when insurer staff grant). `current` is what the user
 * holds now, NULL for a new user. Fills *out (kind, missing, forbidden).
 * Returns PORTAL_ERR_INVALID for a NULL argument other than current or a
 * rule holding an invalid id, and PORTAL_ERR_TOO_LARGE when more than
 * RIGHTS_SET_MAX problems of one kind arise; *out is untouched on failure. */
portal_result rights_check_grant(const rights_rules *rules, const rights_set *requested,
                                 const rights_set *current, const rights_set *licensed,
                                 const rights_set *granter, rights_verdict *out);

/* The rights of an office's first administrator: every right in `licensed`
 * plus every id in `always` (advieskansen: granted to the first
 * administrator even without a licence), minus never-grantable rights, then
 * repeatedly minus incomplete bundles and rights whose requirement is unmet,
 * so that the result passes rights_check_grant when the licensed set there
 * includes the `always` ids. Returns
 * PORTAL_ERR_INVALID for NULL arguments or invalid ids and
 * PORTAL_ERR_TOO_LARGE when the union exceeds RIGHTS_SET_MAX; *out is
 * untouched on failure. */
portal_result rights_first_administrator(const rights_rules *rules, const rights_set *licensed,
                                         const char *const *always, size_t always_count,
                                         rights_set *out);

/* Static English name of a reason for logs and JSON ("bundle_incomplete",
 * "requirement_unmet", "never_grantable", "not_licensed",
 * "not_held_by_granter"); NULL for a value outside the enum. */
const char *rights_reason_name(rights_reason reason);

#endif
