/* workflows/documents.c: see documents.h. */
#include "workflows/documents.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "auth/access.h"
#include "base/uuid.h"
#include "domain/civil_date.h"
#include "domain/decimal.h"
#include "store/audit.h"
#include "store/blob_storage.h"
#include "store/notifications.h"

typedef struct {
    const char *kind;
    const char *category;
    int staff_may_publish; /* 0: made by the portal itself */
} document_kind_info;

static const document_kind_info document_kinds[] = {
    {"invoice", "financial", 1},   {"booking_overview", "financial", 1},
    {"reminder", "financial", 1},  {"reconciliation_specification", "financial", 0},
    {"pension_rules", "legal", 1}, {"execution_agreement", "legal", 1},
    {"addendum", "legal", 1},
};

static const document_kind_info *document_kind_find(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof document_kinds / sizeof document_kinds[0]; i++)
        if (strcmp(document_kinds[i].kind, kind) == 0)
            return &document_kinds[i];
    return NULL;
}

const char *document_category_of(const char *kind)
{
    const document_kind_info *k = document_kind_find(kind);
    return k ? k->category : NULL;
}

void document_safe_file_name(const char *name, const char *extension, char *out, size_t size)
{
    char stem[DOCUMENT_FILE_NAME_MAX + 1] = "";
    size_t n = 0;
    const char *base = name ? name : "";
    /* The last path element only ("C:\\x\\a.pdf", "../a.pdf"). */
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    const char *dot = strrchr(base, '.');
    size_t len = dot ? (size_t)(dot - base) : strlen(base);
    size_t max = DOCUMENT_FILE_NAME_MAX - 6; /* room for ".xlsx" */
    for (size_t i = 0; i < len && n < max; i++) {
        unsigned char c = (unsigned char)base[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c == ' ' || c == '.';
        if (ok)
            stem[n++] = (char)c;
        else if (n > 0 && stem[n - 1] != '_')
            stem[n++] = '_';
    }
    while (n > 0 && (stem[n - 1] == ' ' || stem[n - 1] == '.' || stem[n - 1] == '_'))
        n--;
    size_t start = 0;
    while (start < n && (stem[start] == ' ' || stem[start] == '.' || stem[start] == '_'))
        start++;
    stem[n] = '\0';
    snprintf(out, size, "%s.%s", start < n ? stem + start : "document",
             extension ? extension : "bin");
}

/* The viewer for the store's visibility rule. */
static void documents_viewer(const portal_actor *actor, document_viewer *v)
{
    const portal_caller *c = actor->caller;
    v->caller = c;
    v->staff = access_can(c, "documents.manage");
    v->own_financial = access_can(c, "documents.financial");
    v->own_legal = access_can(c, "documents.legal");
}

/* Records an audit event of the actor on a document in the organisation's
 * log (the caller's transaction). */
static portal_result documents_audit(db_conn *db, const portal_actor *actor, const char *action,
                                     const char *id, const char *organisation_id, json_t *changes)
{
    const portal_caller *c = actor->caller;
    audit_entry e;
    memset(&e, 0, sizeof e);
    if (c && c->kind == CALLER_SESSION) {
        e.actor_user_id = c->user_id;
        e.actor_label = caller_has_right(c, "staff") ? "staff" : "user";
    } else if (c && c->kind == CALLER_API_TOKEN) {
        e.actor_user_id = c->user_id;
        e.actor_token_id = c->token_id;
        e.actor_label = "api_token";
    } else {
        e.actor_label = "system";
    }
    e.organisation_id = organisation_id;
    e.action = action;
    e.target_type = "document";
    e.target_id = id;
    e.request_id = actor->request_id;
    e.client_address = actor->client_address;
    e.changes = changes;
    return audit_record(db, &e);
}

/* Checks the publish fields; adds every broken rule to o. */
static void documents_check(db_conn *db, const document_publish_input *in, portal_outcome *o,
                            char scheme_owner[PORTAL_ID_LEN], portal_result *db_rc)
{
    const document_kind_info *k = document_kind_find(in->kind);
    civil_date date;
    int64_t cents;
    char org_kind[16] = "";
    if (!in->organisation_id)
        outcome_add_error(o, "/organisation_id", "required", NULL);
    else if (!uuid_valid(in->organisation_id))
        outcome_add_error(o, "/organisation_id", "invalid_format", NULL);
    else {
        portal_result rc = documents_organisation_kind(db, in->organisation_id, org_kind);
        if (rc == PORTAL_ERR_DATABASE)
            *db_rc = rc;
        else if (rc != PORTAL_OK || strcmp(org_kind, "employer") != 0)
            outcome_add_error(o, "/organisation_id", "unknown_id", NULL);
    }
    if (!in->kind)
        outcome_add_error(o, "/kind", "required", NULL);
    else if (!k || !k->staff_may_publish)
        outcome_add_error(o, "/kind", "invalid_value", NULL);
    size_t title_len = in->title ? strlen(in->title) : 0;
    if (title_len == 0)
        outcome_add_error(o, "/title", "required", NULL);
    else if (title_len > DOCUMENT_TITLE_MAX)
        outcome_add_error(o, "/title", "too_long", NULL);
    if (!in->document_date)
        outcome_add_error(o, "/document_date", "required", NULL);
    else if (civil_date_parse(in->document_date, &date) != PORTAL_OK)
        outcome_add_error(o, "/document_date", "invalid_date", NULL);
    int invoice = in->kind && strcmp(in->kind, "invoice") == 0;
    if (in->amount && !invoice)
        outcome_add_error(o, "/amount", "invalid_value", NULL);
    else if (in->amount && decimal_parse(in->amount, &decimal_spec_money, &cents) != PORTAL_OK)
        outcome_add_error(o, "/amount", "invalid_format", NULL);
    if (in->due_date && !invoice)
        outcome_add_error(o, "/due_date", "invalid_value", NULL);
    else if (in->due_date && civil_date_parse(in->due_date, &date) != PORTAL_OK)
        outcome_add_error(o, "/due_date", "invalid_date", NULL);
    scheme_owner[0] = '\0';
    if (in->scheme_id) {
        portal_result rc = documents_scheme_owner(db, in->scheme_id, scheme_owner);
        if (rc == PORTAL_ERR_DATABASE)
            *db_rc = rc;
        else if (rc != PORTAL_OK ||
                 (in->organisation_id && strcmp(scheme_owner, in->organisation_id) != 0))
            outcome_add_error(o, "/scheme_id", "unknown_id", NULL);
    }
}

/* Copies the file into a new blob, hashing it; fills blob id and hex hash. */
static portal_result documents_store_file(db_conn *db, FILE *file, char blob_id[PORTAL_ID_LEN],
                                          char sha_hex[65], long long *size)
{
    blob_writer *w = NULL;
    portal_result rc = blob_create(db, &w);
    if (rc != PORTAL_OK)
        return rc;
    snprintf(blob_id, PORTAL_ID_LEN, "%s", blob_writer_id(w));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 || fseek(file, 0, SEEK_SET) != 0) {
        EVP_MD_CTX_free(md);
        blob_writer_free(w);
        return PORTAL_ERR_INTERNAL;
    }
    char *buf = malloc(64 * 1024);
    if (!buf)
        rc = PORTAL_ERR_MEMORY;
    size_t n;
    while (rc == PORTAL_OK && (n = fread(buf, 1, 64 * 1024, file)) > 0) {
        if (EVP_DigestUpdate(md, buf, n) != 1)
            rc = PORTAL_ERR_INTERNAL;
        else
            rc = blob_write(w, buf, n);
    }
    if (rc == PORTAL_OK && ferror(file))
        rc = PORTAL_ERR_IO;
    free(buf);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (rc == PORTAL_OK && EVP_DigestFinal_ex(md, digest, &dlen) != 1)
        rc = PORTAL_ERR_INTERNAL;
    EVP_MD_CTX_free(md);
    if (rc != PORTAL_OK) {
        blob_writer_free(w);
        return rc;
    }
    for (unsigned int i = 0; i < dlen && i < 32; i++)
        snprintf(sha_hex + 2 * i, 3, "%02x", digest[i]);
    return blob_finish(w, size);
}

/* Where in the web app a category's documents are listed. */
static const char *documents_link(const char *category)
{
    return strcmp(category, "legal") == 0 ? "/documents/legal" : "/documents/financial";
}

portal_result documents_publish(db_conn *db, const portal_actor *actor,
                                const document_publish_input *in, portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    if (!actor->caller || !access_can(actor->caller, "documents.manage"))
        return outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    if (in->size > DOCUMENT_MAX_SIZE)
        return outcome_fail(o, PORTAL_ERR_TOO_LARGE, NULL);
    char owner[PORTAL_ID_LEN];
    portal_result rc = PORTAL_OK;
    documents_check(db, in, o, owner, &rc);
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc, NULL);
    if (o->n_errors)
        return outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    const char *category = document_category_of(in->kind);
    char name[DOCUMENT_FILE_NAME_MAX + 8], blob_id[PORTAL_ID_LEN], sha[65] = "", id[PORTAL_ID_LEN];
    document_safe_file_name(in->file_name, in->extension, name, sizeof name);
    long long size = 0;
    rc = documents_store_file(db, in->file, blob_id, sha, &size);
    if (rc == PORTAL_OK && size > DOCUMENT_MAX_SIZE)
        rc = PORTAL_ERR_TOO_LARGE;
    document_new d = {.organisation_id = in->organisation_id,
                      .scheme_id = in->scheme_id,
                      .kind = in->kind,
                      .title = in->title,
                      .document_date = in->document_date,
                      .amount = in->amount,
                      .due_date = in->due_date,
                      .file_name = name,
                      .content_type = in->content_type,
                      .size = size,
                      .sha256 = sha,
                      .blob_id = blob_id,
                      .created_by =
                          actor->caller->kind == CALLER_SESSION ? actor->caller->user_id : NULL};
    if (rc == PORTAL_OK)
        rc = documents_insert(db, &d, id);
    if (rc == PORTAL_OK) {
        json_t *changes = json_pack("{s:s, s:s, s:s, s:s?, s:I}", "kind", in->kind, "title",
                                    in->title, "document_date", in->document_date, "scheme_id",
                                    in->scheme_id, "size", (json_int_t)size);
        rc = changes ? documents_audit(db, actor, "document.published", id, in->organisation_id,
                                       changes)
                     : PORTAL_ERR_MEMORY;
        json_decref(changes);
    }
    if (rc == PORTAL_OK) {
        char kind[48];
        snprintf(kind, sizeof kind, "document.%s", in->kind);
        rc = notify_employer(db, in->organisation_id, kind, in->title, documents_link(category));
    }
    if (rc == PORTAL_OK) {
        document_viewer v;
        documents_viewer(actor, &v);
        rc = documents_get(db, &v, id, json, NULL);
    }
    if (rc != PORTAL_OK) {
        free(*json);
        *json = NULL;
        return outcome_fail(o, rc, NULL);
    }
    return PORTAL_OK;
}

portal_result documents_list_visible(db_conn *db, const portal_actor *actor,
                                     const document_list_input *in, portal_outcome *o, char **json,
                                     long long *total)
{
    outcome_init(o);
    *json = NULL;
    *total = 0;
    if (in->kind && !document_kind_find(in->kind))
        outcome_add_error(o, "kind", "invalid_value", NULL);
    if (in->category && strcmp(in->category, "financial") != 0 &&
        strcmp(in->category, "legal") != 0)
        outcome_add_error(o, "category", "invalid_value", NULL);
    if (in->organisation_id && !uuid_valid(in->organisation_id))
        outcome_add_error(o, "organisation_id", "invalid_format", NULL);
    if (o->n_errors)
        return outcome_fail(o, PORTAL_ERR_MALFORMED, "invalid_request");
    document_viewer v;
    documents_viewer(actor, &v);
    document_filter f = {.organisation_id = v.staff ? in->organisation_id : NULL,
                         .kind = in->kind,
                         .category = in->category,
                         .scheme_ids = in->scheme_ids,
                         .unread = in->unread,
                         .after_created = in->after_created,
                         .after_id = in->after_id,
                         .limit = in->limit};
    portal_result rc = documents_list(db, &v, &f, json, total);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result documents_show(db_conn *db, const portal_actor *actor, const char *id,
                             portal_outcome *o, char **json)
{
    outcome_init(o);
    document_viewer v;
    documents_viewer(actor, &v);
    portal_result rc = documents_get(db, &v, id, json, NULL);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result documents_open(db_conn *db, const portal_actor *actor, const char *id,
                             portal_outcome *o, document_row *row)
{
    outcome_init(o);
    document_viewer v;
    documents_viewer(actor, &v);
    portal_result rc = documents_get(db, &v, id, NULL, row);
    if (rc == PORTAL_OK && !row->blob_id[0])
        rc = PORTAL_ERR_NOT_FOUND;
    if (rc == PORTAL_OK && actor->caller->kind == CALLER_SESSION)
        rc = documents_mark_read(db, id, actor->caller->user_id);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result documents_withdraw_one(db_conn *db, const portal_actor *actor, const char *id,
                                     portal_outcome *o)
{
    outcome_init(o);
    document_viewer v;
    documents_viewer(actor, &v);
    document_row row;
    portal_result rc = documents_get(db, &v, id, NULL, &row);
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc, NULL);
    if (!v.staff)
        return outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    char blob_id[PORTAL_ID_LEN];
    if (db_begin(db) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    rc = documents_withdraw(db, id, actor->caller->user_id, blob_id);
    if (rc == PORTAL_OK && blob_id[0])
        rc = blob_delete(db, blob_id);
    if (rc == PORTAL_OK) {
        json_t *changes = json_pack("{s:s, s:s}", "kind", row.kind, "title", row.title);
        rc = changes ? documents_audit(db, actor, "document.withdrawn", id, row.organisation_id,
                                       changes)
                     : PORTAL_ERR_MEMORY;
        json_decref(changes);
    }
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        return outcome_fail(o, rc, NULL);
    }
    return PORTAL_OK;
}
