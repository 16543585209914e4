/* store/access.c: see access.h. */
#include "store/access.h"

#include "base/uuid.h"
#include "store/pg_array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fills the element `out` from row `row` of a loader's answer. */
typedef void (*access_row_fill)(const PGresult *res, int row, void *out);

/* Runs sql (no parameters) and fills one element of elem_size bytes per
 * row of its answer into *rows (calloc'd, the caller frees; never NULL on
 * success) and their number into *count. On failure *rows is NULL and
 * *count 0: PORTAL_ERR_DATABASE or PORTAL_ERR_MEMORY. */
static portal_result access_load(db_conn *db, const char *sql, size_t elem_size,
                                 access_row_fill fill, void **rows, int *count)
{
    *rows = NULL;
    *count = 0;
    PGresult *res = db_query(db, sql, 0, NULL);
    if (!res)
        return PORTAL_ERR_DATABASE;
    int n = PQntuples(res);
    char *mem = calloc((size_t)(n > 0 ? n : 1), elem_size);
    if (!mem) {
        PQclear(res);
        return PORTAL_ERR_MEMORY;
    }
    for (int i = 0; i < n; i++)
        fill(res, i, mem + (size_t)i * elem_size);
    *rows = mem;
    *count = n;
    PQclear(res);
    return PORTAL_OK;
}

static void access_right_fill(const PGresult *res, int i, void *out)
{
    access_right_row *r = out;
    snprintf(r->organisation_kind, sizeof r->organisation_kind, "%s", PQgetvalue(res, i, 0));
    snprintf(r->id, sizeof r->id, "%s", PQgetvalue(res, i, 1));
    r->n_caps =
        pg_array_split(PQgetvalue(res, i, 2), &r->caps[0][0], ACCESS_CAP_LEN, ACCESS_MAX_CAPS);
    r->licensable = PQgetvalue(res, i, 3)[0] == 't';
}

portal_result access_load_catalogue(db_conn *db, access_right_row **rows, int *count)
{
    void *mem;
    portal_result rc =
        access_load(db,
                    "SELECT organisation_kind, id, capabilities::text, licensable FROM rights"
                    " ORDER BY organisation_kind, sort_order",
                    sizeof **rows, access_right_fill, &mem, count);
    *rows = mem;
    return rc;
}

static void access_rule_fill(const PGresult *res, int i, void *out)
{
    access_rule_row *r = out;
    snprintf(r->organisation_kind, sizeof r->organisation_kind, "%s", PQgetvalue(res, i, 0));
    snprintf(r->kind, sizeof r->kind, "%s", PQgetvalue(res, i, 1));
    r->n_rights = pg_array_split(PQgetvalue(res, i, 2), &r->rights[0][0], CALLER_RIGHT_LEN,
                                 ACCESS_RULE_MAX_RIGHTS);
    r->n_requires = pg_array_split(PQgetvalue(res, i, 3), &r->requires[0][0], CALLER_RIGHT_LEN,
                                   ACCESS_RULE_MAX_RIGHTS);
}

portal_result access_load_rules(db_conn *db, access_rule_row **rows, int *count)
{
    void *mem;
    portal_result rc = access_load(db,
                                   "SELECT organisation_kind, kind, rights::text, requires::text"
                                   " FROM right_rules ORDER BY id",
                                   sizeof **rows, access_rule_fill, &mem, count);
    *rows = mem;
    return rc;
}

/* Writes n items of item_size bytes each (laid out one after another) as
 * the text of a PostgreSQL array ({a,b}) into out, cut to fit size. */
static void access_literal(const char *items, size_t item_size, int n, char *out, size_t size)
{
    size_t o = (size_t)snprintf(out, size, "{");
    for (int i = 0; i < n && o < size; i++)
        o += (size_t)snprintf(out + o, size - o, "%s%s", i ? "," : "",
                              items + (size_t)i * item_size);
    if (o < size)
        snprintf(out + o, size - o, "}");
}

void access_rights_literal(const portal_caller *c, char *out, size_t size)
{
    access_literal(&c->rights[0][0], CALLER_RIGHT_LEN, c->n_rights, out, size);
}

void access_scope_literal(const portal_caller *c, char *out, size_t size)
{
    access_literal(&c->scheme_ids[0][0], PORTAL_ID_LEN, c->n_schemes, out, size);
}

void access_visibility_of(const portal_caller *c, access_visibility *v)
{
    access_rights_literal(c, v->rights, sizeof v->rights);
    access_scope_literal(c, v->scope, sizeof v->scope);
    v->param[0] = c->organisation_id;
    v->param[1] = c->organisation_kind;
    v->param[2] = v->rights;
    v->param[3] = c->all_schemes ? "true" : "false";
    v->param[4] = v->scope;
}

portal_result access_scheme_rights(db_conn *db, const portal_caller *c, const char *scheme_id,
                                   char (*rights)[CALLER_RIGHT_LEN], int max, int *n,
                                   char rights_kind[16])
{
    *n = 0;
    if (!uuid_valid(scheme_id))
        return PORTAL_ERR_NOT_FOUND;
    access_visibility vis;
    access_visibility_of(c, &vis);
    const char *params[] = {vis.param[0], vis.param[1], vis.param[2],
                            vis.param[3], vis.param[4], scheme_id};
    PGresult *res = db_query(db,
                             "SELECT rights::text, rights_kind FROM portal_visible_schemes("
                             "$1::uuid, $2, $3::text[], $4::boolean, $5::uuid[])"
                             " WHERE scheme_id = $6::uuid",
                             6, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) < 1) {
        PQclear(res);
        return PORTAL_ERR_NOT_FOUND;
    }
    *n = pg_array_split(PQgetvalue(res, 0, 0), &rights[0][0], CALLER_RIGHT_LEN, max);
    snprintf(rights_kind, 16, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    return PORTAL_OK;
}
