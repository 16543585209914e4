/*
 * store/schemes.h: an employer's pension and income schemes (table schemes,
 * migration 0003) and which of them a caller may see.
 *
 * Owns the SQL of schemes: create, change, read one or a keyset page as JSON
 * text built by PostgreSQL, and the visibility of scheme ids named in a
 * request body (for mandates and API tokens). Visibility always goes through
 * the SQL function portal_visible_schemes with the caller's rights and scope
 * (store/access.h). Every function runs in the caller's transaction when one
 * is open. Strings handed back are malloc'd; the caller frees them.
 */
#ifndef PORTAL_STORE_SCHEMES_H
#define PORTAL_STORE_SCHEMES_H

#include "base/caller.h"
#include "store/db.h"

#define SCHEMES_VERSION_LEN 64
#define SCHEMES_MAX_IDS 200 /* scheme ids one request may name */

/* The writable fields of a scheme as text (NULL = not given / unchanged).
 * coverages is a JSON array text, premium a JSON object text. On update,
 * set_variant / set_wage_type say that variant / insured_wage_type were given
 * (a NULL value then clears them). */
typedef struct {
    const char *organisation_id; /* create only */
    const char *kind;            /* create only: pension | income */
    const char *name;
    const char *number;
    const char *start_date; /* YYYY-MM-DD */
    const char *coverages;
    const char *premium;
    const char *variant;
    const char *insured_wage_type;
    int set_variant;
    int set_wage_type;
} scheme_fields;

/* Whether id names an employer organisation that is not deleted: *is_employer
 * 1 or 0. id must be UUID-shaped. PORTAL_ERR_DATABASE on error. */
portal_result schemes_employer_exists(db_conn *db, const char *id, int *is_employer);

/* Inserts a scheme and writes its id into out_id. PORTAL_ERR_CONFLICT when the
 * number is taken (the transaction is then aborted), PORTAL_ERR_DATABASE. */
portal_result schemes_create(db_conn *db, const scheme_fields *f, char out_id[PORTAL_ID_LEN]);

/* Changes the given fields, bumping version and updated_at.
 * PORTAL_ERR_NOT_FOUND, PORTAL_ERR_CONFLICT (number taken; transaction
 * aborted), PORTAL_ERR_DATABASE. */
portal_result schemes_update(db_conn *db, const char *id, const scheme_fields *f);

/* One scheme as JSON text (*json, malloc'd) and its version string for the
 * ETag (id:version). lock = 1 takes a row lock (FOR UPDATE) for a change.
 * id must be UUID-shaped. PORTAL_ERR_NOT_FOUND, PORTAL_ERR_MEMORY,
 * PORTAL_ERR_DATABASE. Visibility is the caller's business (auth/access.h). */
portal_result schemes_get_json(db_conn *db, const char *id, int lock, char **json,
                               char version[SCHEMES_VERSION_LEN]);

/* Filters of the scheme list (NULL = no filter). */
typedef struct {
    const char *organisation_id; /* UUID-shaped */
    const char *kind;            /* pension | income */
    const char *after_name;      /* keyset: the last row of the previous page */
    const char *after_id;
    int limit;
} scheme_list_query;

/* A page of the schemes visible to the caller on which the caller's rights
 * give `capability` (through the rights catalogue), sorted by name then id:
 * *items is a JSON array text of at most q->limit schemes, *next_keys the
 * JSON array text [name, id] of the last row when more follow, else NULL.
 * Both malloc'd. PORTAL_ERR_MEMORY, PORTAL_ERR_DATABASE. */
portal_result schemes_list_json(db_conn *db, const portal_caller *caller, const char *capability,
                                const scheme_list_query *q, char **items, char **next_keys);

/* How a scheme id named in a request relates to the caller. */
typedef enum {
    SCHEME_UNKNOWN = 0,  /* no such scheme, or one the organisation cannot see */
    SCHEME_OUT_OF_SCOPE, /* the organisation sees it, the caller's scope does not */
    SCHEME_IN_SCOPE      /* the caller sees it */
} scheme_visibility;

/* Classifies n UUID-shaped ids (out[i] for ids[i]) against the caller's
 * organisation, rights and scheme scope. PORTAL_ERR_TOO_LARGE for n over
 * SCHEMES_MAX_IDS, PORTAL_ERR_MEMORY, PORTAL_ERR_DATABASE. */
portal_result schemes_classify(db_conn *db, const portal_caller *caller,
                               const char (*ids)[PORTAL_ID_LEN], int n, scheme_visibility *out);

#endif
