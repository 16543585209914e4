/*
 * auth/access.h: every permission check, in one place, driven by the rights
 * catalogue (table rights): a handler asks "may this caller do capability X"
 * or "... on scheme S", never inspects right names itself.
 *
 * Capabilities (strings in rights.capabilities): schemes.read,
 * schemes.manage, organisations.manage, users.manage, tokens.manage,
 * mandates.manage, audit.read, audit.read_all, reviews.manage,
 * participants.read, participants.write, participants.bsn, exports,
 * batches, reconciliation, documents.legal, documents.financial,
 * documents.manage, mandate.income, mandate.pension, rights.grant_all.
 *
 * Outcomes follow DESIGN.md §4: a scheme the caller may not see answers 404
 * (no existence leak); a visible scheme without the capability answers 403.
 */
#ifndef PORTAL_AUTH_ACCESS_H
#define PORTAL_AUTH_ACCESS_H

#include "domain/rights_rules.h"
#include "base/caller.h"
#include "store/db.h"

/* Loads the catalogue once at start-up. */
portal_result access_init(db_conn *db);

/* Frees the catalogue. */
void access_shutdown(void);

/* 1 when any of the rights (of an organisation kind) gives the capability. */
int access_rights_give(const char *organisation_kind, char (*rights)[CALLER_RIGHT_LEN],
                       int n_rights, const char *capability);

/* 1 when the caller's own rights give the capability (organisation level). */
int access_can(const portal_caller *caller, const char *capability);

/* The combination rules of an organisation kind (NULL for an unknown kind),
 * as loaded from right_rules at start-up. */
const rights_rules *access_rules_for(const char *organisation_kind);

/* 1 when the right is bounded by an intermediary office's licences. */
int access_right_licensable(const char *organisation_kind, const char *right);

/* Every right of the organisation kind's catalogue. */
void access_all_rights(const char *organisation_kind, rights_set *out);

/* 1 when the right id exists in the catalogue for that organisation kind. */
int access_right_exists(const char *organisation_kind, const char *right);

/* Checks a capability on a scheme. PORTAL_OK; PORTAL_ERR_NOT_FOUND when the
 * scheme is invisible to the caller; PORTAL_ERR_DENIED when visible but the
 * capability is missing; PORTAL_ERR_DATABASE. */
portal_result access_scheme(db_conn *db, const portal_caller *caller, const char *scheme_id,
                            const char *capability);

/*
 * access_schemes -- checks one capability on every scheme of a list, the way
 * access_scheme checks one.
 *
 * Ownership: borrows caller and ids (n entries of UUID text; anything else
 * counts as a scheme the caller cannot see) for the call only. Runs one
 * query per id on db, inside the caller's transaction when one is open.
 *
 * Returns PORTAL_OK when every scheme is visible and gives the capability
 * (also for n == 0). PORTAL_ERR_NOT_FOUND and PORTAL_ERR_DATABASE stop at
 * the first scheme that is invisible or whose query failed. PORTAL_ERR_DENIED
 * comes only after the whole list was checked: every scheme is visible, at
 * least one without the capability. So an invisible scheme answers 404 before
 * a missing capability answers 403, as for one scheme (no existence leak).
 */
portal_result access_schemes(db_conn *db, const portal_caller *caller, char (*ids)[PORTAL_ID_LEN],
                             int n, const char *capability);

/* The caller's scheme scope as a uuid[] literal in out (SCOPE_LITERAL_SIZE
 * bytes, store/access.h) for queries that keep to it; NULL when the caller
 * has no scope limit. */
const char *access_scope_limit(const portal_caller *caller, char *out, size_t size);

/* 1 when a user's, token's or mandate's schemes (all: every scheme of the
 * organisation; else ids, n of them) lie within the caller's own scope:
 * always for a caller without a scope limit. A caller limited to some
 * schemes manages only what stays inside them. No I/O. */
int access_scope_covers(const portal_caller *caller, int all, char (*ids)[PORTAL_ID_LEN], int n);

/* 1 when the caller's own scheme scope holds scheme_id (exact match), or the
 * caller has no scope limit. No I/O. */
int access_in_scope(const portal_caller *caller, const char *scheme_id);

#endif
