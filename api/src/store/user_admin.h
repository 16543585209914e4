/*
 * store/user_admin.h: what administrators do with users (DESIGN.md §4.2):
 * list and search, read, change rights, scope and expiry, delete, and the
 * checks those need (last administrator, schemes of an organisation).
 * User JSON: {id, organisation_id, first_name, last_name, email, mobile,
 * username, status, rights, scheme_ids, expires_at, created_at, updated_at}.
 */
#ifndef PORTAL_STORE_USER_ADMIN_H
#define PORTAL_STORE_USER_ADMIN_H

#include "base/caller.h"
#include "domain/rights_rules.h"
#include "store/db.h"

typedef struct {
    char id[PORTAL_ID_LEN];
    char organisation_id[PORTAL_ID_LEN];
    char status[16];
    int version;
    rights_set rights;
    int all_schemes; /* no scope limit */
    int n_schemes;
    char scheme_ids[CALLER_MAX_SCOPE][PORTAL_ID_LEN];
} user_admin_row;

/* The user (not deleted) as JSON text (malloc'd) plus its key facts.
 * PORTAL_ERR_NOT_FOUND when absent. */
portal_result user_admin_get(db_conn *db, const char *id, char **json, user_admin_row *row);

/* A page of users of one organisation (NULL: all organisations), matching
 * q on first and/or last name, sorted by last name, first name, id, after
 * the given keyset; at most limit+1 rows as a JSON array text. within (a
 * uuid[] literal, or NULL for no limit) keeps only users whose own scope
 * lies inside it. */
portal_result user_admin_list(db_conn *db, const char *organisation_id, const char *q,
                              const char *after_last, const char *after_first, const char *after_id,
                              int limit, const char *within, char **json);

/* Replaces the user's rights with the set. */
portal_result user_admin_set_rights(db_conn *db, const char *id, const rights_set *rights);

/* Sets names and mobile (NULL leaves as is), scope (set_scope: NULL
 * literal = all schemes) and expiry (set_expiry: NULL = none). */
portal_result user_admin_update(db_conn *db, const char *id, const char *first_name,
                                const char *last_name, const char *mobile, int set_scope,
                                const char *scope_literal, int set_expiry, const char *expires_at);

/* Locks ("locked": every session ends) or unlocks ("active") a user who
 * has activated the account. PORTAL_ERR_CONFLICT for an invited user. */
portal_result user_admin_set_status(db_conn *db, const char *id, const char *status);

/* Marks the user deleted and ends every session. */
portal_result user_admin_delete(db_conn *db, const char *id);

/* Active or invited administrators (user_management) of the organisation
 * other than except_id. */
portal_result user_admin_other_admins(db_conn *db, const char *organisation_id,
                                      const char *except_id, int *count);

/* How many of the listed scheme ids (array literal) belong to the
 * organisation. */
portal_result user_admin_schemes_in_org(db_conn *db, const char *organisation_id,
                                        const char *scope_literal, int *count);

#endif
