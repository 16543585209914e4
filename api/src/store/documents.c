/* store/documents.c: see documents.h. */
#include "store/documents.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"
#include "store/access.h"

/* The document as the API shows it; $1 is the viewer's user id. Times
 * carry microseconds, so the list's keyset cursor is exact. */
#define DOCUMENT_JSON                                                                              \
    "json_build_object('id', d.id, 'organisation_id', d.organisation_id, 'scheme_id',"             \
    " d.scheme_id, 'kind', d.kind, 'category', d.category, 'title', d.title, 'document_date',"     \
    " d.document_date, 'amount', d.amount::text, 'due_date', d.due_date, 'file_name',"             \
    " d.file_name, 'content_type', d.content_type, 'size', d.size_bytes, 'created_at',"            \
    " to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"              \
    " 'read_at', (SELECT to_char(r.read_at AT TIME ZONE 'UTC',"                                    \
    " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM document_reads r WHERE r.document_id = d.id"       \
    " AND r.user_id = $1::uuid), 'first_read', (SELECT json_build_object('by', u.first_name"       \
    " || ' ' || u.last_name, 'user_id', u.id, 'at', to_char(r.read_at AT TIME ZONE 'UTC',"         \
    " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')) FROM document_reads r JOIN users u"                    \
    " ON u.id = r.user_id WHERE r.document_id = d.id AND u.organisation_id = d.organisation_id"    \
    " ORDER BY r.read_at, r.user_id LIMIT 1))"

/* Visibility ($2 staff, $3 organisation, $4/$5 own financial/legal rights,
 * $6..$10 the arguments of portal_visible_schemes). */
#define DOCUMENT_VISIBLE                                                                           \
    " d.withdrawn_at IS NULL AND ($2::boolean"                                                     \
    " OR (d.scheme_id IS NULL AND d.organisation_id = $3::uuid AND CASE d.category"                \
    "     WHEN 'financial' THEN $4::boolean ELSE $5::boolean END)"                                 \
    " OR EXISTS (SELECT 1 FROM portal_visible_schemes($6::uuid, $7, $8::text[], $9::boolean,"      \
    "     $10::uuid[]) v JOIN rights rr ON rr.organisation_kind = v.rights_kind"                   \
    "     AND rr.id = ANY (v.rights) WHERE v.scheme_id = d.scheme_id"                              \
    "     AND ('documents.' || d.category) = ANY (rr.capabilities)))"

#define DOCUMENT_VIEWER_PARAMS 10

/* Fills the ten leading parameters for the viewer (vis must outlive the
 * query). Staff look past portal_visible_schemes altogether. */
static void documents_viewer_params(const document_viewer *v, access_visibility *vis,
                                    const char **params)
{
    access_visibility_of(v->caller, vis);
    const portal_caller *c = v->caller;
    params[0] = c->kind == CALLER_SESSION && uuid_valid(c->user_id) ? c->user_id : NULL;
    params[1] = v->staff ? "true" : "false";
    params[2] = uuid_valid(c->organisation_id) ? c->organisation_id : NULL;
    params[3] = v->own_financial ? "true" : "false";
    params[4] = v->own_legal ? "true" : "false";
    for (int i = 0; i < 5; i++)
        params[5 + i] = vis->param[i];
    if (v->staff)
        params[6] = "none";
}

portal_result documents_insert(db_conn *db, const document_new *d, char out_id[PORTAL_ID_LEN])
{
    char size[24];
    snprintf(size, sizeof size, "%lld", d->size);
    const char *params[] = {d->organisation_id, d->scheme_id, d->kind,     d->title,
                            d->document_date,   d->amount,    d->due_date, d->file_name,
                            d->content_type,    size,         d->sha256,   d->blob_id,
                            d->created_by};
    return db_query_copy(db,
                         "INSERT INTO documents (organisation_id, scheme_id, kind, title,"
                         " document_date, amount, due_date, file_name, content_type,"
                         " size_bytes, sha256, blob_id, created_by) VALUES ($1::uuid,"
                         " $2::uuid, $3, $4, $5::date, $6::numeric, $7::date, $8, $9,"
                         " $10::bigint, $11, $12::uuid, $13::uuid) RETURNING id",
                         13, params, out_id, PORTAL_ID_LEN);
}

portal_result documents_scheme_owner(db_conn *db, const char *scheme_id, char out[PORTAL_ID_LEN])
{
    if (!uuid_valid(scheme_id))
        return PORTAL_ERR_NOT_FOUND;
    const char *params[] = {scheme_id};
    PGresult *res =
        db_query(db, "SELECT organisation_id FROM schemes WHERE id = $1::uuid", 1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    portal_result rc = PQntuples(res) == 1 ? PORTAL_OK : PORTAL_ERR_NOT_FOUND;
    if (rc == PORTAL_OK)
        snprintf(out, PORTAL_ID_LEN, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

portal_result documents_organisation_kind(db_conn *db, const char *id, char out[16])
{
    if (!uuid_valid(id))
        return PORTAL_ERR_NOT_FOUND;
    const char *params[] = {id};
    PGresult *res = db_query(db, "SELECT kind FROM organisations WHERE id = $1::uuid", 1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    portal_result rc = PQntuples(res) == 1 ? PORTAL_OK : PORTAL_ERR_NOT_FOUND;
    if (rc == PORTAL_OK)
        snprintf(out, 16, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

portal_result documents_get(db_conn *db, const document_viewer *v, const char *id, char **json,
                            document_row *row)
{
    if (json)
        *json = NULL;
    if (!uuid_valid(id))
        return PORTAL_ERR_NOT_FOUND;
    access_visibility vis;
    const char *params[DOCUMENT_VIEWER_PARAMS + 1];
    documents_viewer_params(v, &vis, params);
    params[DOCUMENT_VIEWER_PARAMS] = id;
    PGresult *res;
    portal_result rc = db_query_row(db,
                                    "SELECT " DOCUMENT_JSON "::text, d.organisation_id,"
                                    " coalesce(d.blob_id::text, ''), d.category, d.kind, d.title,"
                                    " d.file_name, d.content_type, d.sha256, d.size_bytes"
                                    " FROM documents d WHERE d.id = $11::uuid AND" DOCUMENT_VISIBLE,
                                    DOCUMENT_VIEWER_PARAMS + 1, params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    if (row) {
        memset(row, 0, sizeof *row);
        snprintf(row->id, sizeof row->id, "%s", id);
        snprintf(row->organisation_id, sizeof row->organisation_id, "%s", PQgetvalue(res, 0, 1));
        snprintf(row->blob_id, sizeof row->blob_id, "%s", PQgetvalue(res, 0, 2));
        snprintf(row->category, sizeof row->category, "%s", PQgetvalue(res, 0, 3));
        snprintf(row->kind, sizeof row->kind, "%s", PQgetvalue(res, 0, 4));
        snprintf(row->title, sizeof row->title, "%s", PQgetvalue(res, 0, 5));
        snprintf(row->file_name, sizeof row->file_name, "%s", PQgetvalue(res, 0, 6));
        snprintf(row->content_type, sizeof row->content_type, "%s", PQgetvalue(res, 0, 7));
        snprintf(row->sha256, sizeof row->sha256, "%s", PQgetvalue(res, 0, 8));
        row->size = atoll(PQgetvalue(res, 0, 9));
    }
    rc = PORTAL_OK;
    if (json) {
        *json = strdup(PQgetvalue(res, 0, 0));
        if (!*json)
            rc = PORTAL_ERR_MEMORY;
    }
    PQclear(res);
    return rc;
}

portal_result documents_list(db_conn *db, const document_viewer *v, const document_filter *f,
                             char **json, long long *total)
{
    access_visibility vis;
    char lim[16];
    snprintf(lim, sizeof lim, "%d", f->limit + 1);
    const char *params[DOCUMENT_VIEWER_PARAMS + 8];
    documents_viewer_params(v, &vis, params);
    params[10] = f->organisation_id;
    params[11] = f->kind;
    params[12] = f->category;
    params[13] = f->scheme_ids;
    params[14] = f->unread ? "true" : "false";
    params[15] = f->after_created;
    params[16] = f->after_id;
    params[17] = lim;
    *json = NULL;
    *total = 0;
    PGresult *res =
        db_query(db,
                 "WITH matching AS (SELECT d.* FROM documents d WHERE" DOCUMENT_VISIBLE
                 " AND ($11::uuid IS NULL OR d.organisation_id = $11::uuid)"
                 " AND ($12::text IS NULL OR d.kind = $12)"
                 " AND ($13::text IS NULL OR d.category = $13)"
                 " AND ($14::uuid[] IS NULL OR d.scheme_id = ANY ($14::uuid[]))"
                 " AND (NOT $15::boolean OR NOT EXISTS (SELECT 1 FROM document_reads r"
                 "      WHERE r.document_id = d.id AND r.user_id = $1::uuid)))"
                 " SELECT (SELECT count(*) FROM matching),"
                 " (SELECT coalesce(json_agg(j ORDER BY c DESC, i DESC), '[]')::text FROM ("
                 "  SELECT " DOCUMENT_JSON " AS j, d.created_at AS c, d.id AS i FROM matching d"
                 "  WHERE ($16::timestamptz IS NULL OR (d.created_at, d.id) < ($16::timestamptz,"
                 "  $17::uuid)) ORDER BY d.created_at DESC, d.id DESC LIMIT $18::int) page)",
                 DOCUMENT_VIEWER_PARAMS + 8, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    *total = atoll(PQgetvalue(res, 0, 0));
    *json = strdup(PQgetvalue(res, 0, 1));
    PQclear(res);
    return *json ? PORTAL_OK : PORTAL_ERR_MEMORY;
}

portal_result documents_mark_read(db_conn *db, const char *id, const char *user_id)
{
    if (!uuid_valid(id) || !uuid_valid(user_id))
        return PORTAL_OK;
    const char *params[] = {id, user_id};
    return db_exec(db,
                   "INSERT INTO document_reads (document_id, user_id) VALUES ($1::uuid,"
                   " $2::uuid) ON CONFLICT DO NOTHING",
                   2, params);
}

portal_result documents_withdraw(db_conn *db, const char *id, const char *user_id,
                                 char blob_id[PORTAL_ID_LEN])
{
    blob_id[0] = '\0';
    if (!uuid_valid(id))
        return PORTAL_ERR_NOT_FOUND;
    const char *params[] = {id, uuid_valid(user_id) ? user_id : NULL};
    PGresult *res = db_query(db,
                             "UPDATE documents SET withdrawn_at = now(), withdrawn_by = $2::uuid"
                             " WHERE id = $1::uuid AND withdrawn_at IS NULL"
                             " RETURNING coalesce(blob_id::text, '')",
                             2, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    portal_result rc = PQntuples(res) == 1 ? PORTAL_OK : PORTAL_ERR_NOT_FOUND;
    if (rc == PORTAL_OK)
        snprintf(blob_id, PORTAL_ID_LEN, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}
