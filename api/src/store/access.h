/*
 * store/access.h: the data behind access checks: the rights catalogue with
 * each right's capabilities, and which schemes a caller may see with which
 * rights (SQL function portal_visible_schemes, migration 0003).
 */
#ifndef PORTAL_STORE_ACCESS_H
#define PORTAL_STORE_ACCESS_H

#include "base/caller.h"
#include "store/db.h"

#define ACCESS_MAX_CAPS 24
#define ACCESS_CAP_LEN 32

typedef struct {
    char organisation_kind[16];
    char id[CALLER_RIGHT_LEN];
    int n_caps;
    char caps[ACCESS_MAX_CAPS][ACCESS_CAP_LEN];
    int licensable;
} access_right_row;

/* Loads the whole catalogue (a few dozen rows) into a malloc'd array
 * (*rows, caller frees). */
portal_result access_load_catalogue(db_conn *db, access_right_row **rows, int *count);

#define ACCESS_RULE_MAX_RIGHTS 16

typedef struct {
    char organisation_kind[16];
    char kind[16]; /* bundle | requires_any | never */
    int n_rights;
    char rights[ACCESS_RULE_MAX_RIGHTS][CALLER_RIGHT_LEN];
    int n_requires;
    char requires[ACCESS_RULE_MAX_RIGHTS][CALLER_RIGHT_LEN];
} access_rule_row;

/* Loads every combination rule (table right_rules) into *rows (caller frees). */
portal_result access_load_rules(db_conn *db, access_rule_row **rows, int *count);

/* The caller's rights array and scheme scope as PostgreSQL array literals,
 * for parameters of queries that filter by visibility (buffers of these
 * sizes always hold them). */
#define RIGHTS_LITERAL_SIZE (CALLER_MAX_RIGHTS * (CALLER_RIGHT_LEN + 1) + 4)
#define SCOPE_LITERAL_SIZE (CALLER_MAX_SCOPE * (PORTAL_ID_LEN + 1) + 4)
void access_rights_literal(const portal_caller *c, char *out, size_t size);
void access_scope_literal(const portal_caller *c, char *out, size_t size);

/* The caller as the five leading arguments of portal_visible_schemes():
 * organisation, kind, rights literal, all-schemes flag and scope literal.
 * access_visibility_of fills it; param[] points into the struct and into
 * the caller, so both must outlive the query. */
typedef struct {
    char rights[RIGHTS_LITERAL_SIZE];
    char scope[SCOPE_LITERAL_SIZE];
    const char *param[5];
} access_visibility;
void access_visibility_of(const portal_caller *c, access_visibility *v);

/* The rights that apply to one scheme for the caller: PORTAL_ERR_NOT_FOUND
 * when the caller may not see it (or it does not exist). rights_kind tells
 * which catalogue the rights belong to (mandates give employer rights). */
portal_result access_scheme_rights(db_conn *db, const portal_caller *c, const char *scheme_id,
                                   char (*rights)[CALLER_RIGHT_LEN], int max, int *n,
                                   char rights_kind[16]);

#endif
