/* workflows/reconciliations_entries.c: the employees, sick reports and evidence files an employer
 * enters into an open reconciliation. */
#include "workflows/reconciliations.h"
#include "workflows/reconciliations_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "auth/access.h"
#include "base/log.h"
#include "base/uuid.h"
#include "domain/bsn.h"
#include "domain/civil_date.h"
#include "domain/decimal.h"
#include "domain/wage_caps.h"
#include "formats/recon_specification.h"
#include "store/audit.h"
#include "store/blob_storage.h"
#include "store/documents.h"
#include "store/jobs.h"
#include "store/notifications.h"

/* 1 when the actor sees BSNs in full on the scheme. */
static int recon_full_bsn(db_conn *db, const portal_actor *actor, const recon_head *h)
{
    return !actor->caller ||
           access_scheme(db, actor->caller, h->scheme_id, "participants.bsn") == PORTAL_OK;
}

portal_result recon_employees(db_conn *db, const portal_actor *actor, const char *id,
                              long long after_seq, int limit, portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    recon_head h;
    portal_result rc = recon_access(db, actor, id, "participants.read", 0, &h, o);
    if (rc != PORTAL_OK)
        return rc;
    rc = recon_store_employees_json(db, id, recon_full_bsn(db, actor, &h), after_seq, limit, json);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

/* Checks the employments and wage of an employee input into o. */
static void recon_check_employee_facts(const recon_employee_input *in, portal_outcome *o)
{
    int64_t wage;
    if (in->has_insured_wage && in->insured_wage)
        recon_check_decimal(o, "/insured_wage", in->insured_wage, 0, &decimal_spec_salary, &wage);
    if (!in->has_employments)
        return;
    if (in->n_employments > RECON_STORE_MAX_EMPLOYMENTS) {
        outcome_add_error(o, "/employments", "too_many_employments", NULL);
        return;
    }
    for (size_t i = 0; i < in->n_employments; i++) {
        char field[64];
        civil_date d;
        snprintf(field, sizeof field, "/employments/%zu/start_date", i);
        recon_check_date(o, field, in->employments[i].start_date, 1, &d);
        snprintf(field, sizeof field, "/employments/%zu/end_date", i);
        recon_check_date(o, field, in->employments[i].end_date, 0, &d);
    }
}

/* Checks a person added by hand into o. */
static void recon_check_person(const recon_person *p, portal_outcome *o)
{
    civil_date d;
    if (!p->initials)
        outcome_add_error(o, "/person/initials", "required", NULL);
    if (!p->surname)
        outcome_add_error(o, "/person/surname", "required", NULL);
    recon_check_date(o, "/person/birth_date", p->birth_date, 1, &d);
    if (!p->gender)
        outcome_add_error(o, "/person/gender", "required", NULL);
    else if (strcmp(p->gender, "male") != 0 && strcmp(p->gender, "female") != 0 &&
             strcmp(p->gender, "unknown") != 0)
        outcome_add_error(o, "/person/gender", "invalid_value", NULL);
    if (!p->bsn)
        outcome_add_error(o, "/person/bsn", "required", NULL);
    else if (!bsn_is_valid(p->bsn))
        outcome_add_error(o, "/person/bsn", "invalid_bsn", NULL);
}

/* Ends an edit: bumps the version, audits, answers the employee. */
static portal_result recon_finish_employee_edit(db_conn *db, int own, const portal_actor *actor,
                                                const recon_head *h, const char *action,
                                                const char *employee_id, char **json)
{
    portal_result rc = recon_store_touch(db, h->id);
    if (rc == PORTAL_OK) {
        json_t *changes = json_pack("{s:s}", "employee_id", employee_id);
        rc = changes ? recon_audit(db, actor, action, h, changes) : PORTAL_ERR_MEMORY;
        json_decref(changes);
    }
    if (rc == PORTAL_OK)
        rc = recon_store_employee_json(db, h->id, employee_id, recon_full_bsn(db, actor, h), json);
    if (rc == PORTAL_OK)
        rc = recon_commit(db, own);
    return rc;
}

portal_result recon_employee_add(db_conn *db, const portal_actor *actor, const char *id,
                                 const recon_employee_input *in, portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    recon_check_person(&in->person, o);
    recon_check_employee_facts(in, o);
    int own = 0;
    recon_head h;
    portal_result rc = recon_open_change(db, actor, id, &h, &own, o);
    if (rc != PORTAL_OK)
        return rc;
    recon_person p = in->person;
    p.insured_wage = in->has_insured_wage ? in->insured_wage : NULL;
    char emp[PORTAL_ID_LEN];
    rc = recon_store_employee_insert(db, id, &p, emp);
    if (rc == PORTAL_OK && in->has_employments)
        rc = recon_store_employments_replace(db, emp, in->employments, in->n_employments);
    if (rc == PORTAL_OK)
        rc = recon_finish_employee_edit(db, own, actor, &h, "reconciliation.employee_added", emp,
                                        json);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        free(*json);
        *json = NULL;
        return outcome_fail(o, rc, rc == PORTAL_ERR_CONFLICT ? "employee_exists" : NULL);
    }
    return PORTAL_OK;
}

portal_result recon_employee_update(db_conn *db, const portal_actor *actor, const char *id,
                                    const char *employee_id, const recon_employee_input *in,
                                    portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    if (in->has_person)
        recon_check_person(&in->person, o);
    recon_check_employee_facts(in, o);
    int own = 0;
    if (recon_begin(db, &own) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    recon_head h;
    char *current = NULL;
    portal_result rc = recon_access(db, actor, id, "reconciliation", 1, &h, o);
    if (rc == PORTAL_OK) {
        rc = employee_id && uuid_valid(employee_id)
                 ? recon_store_employee_json(db, id, employee_id, 0, &current)
                 : PORTAL_ERR_NOT_FOUND;
        free(current);
        if (rc != PORTAL_OK)
            outcome_fail(o, rc, NULL);
    }
    if (rc == PORTAL_OK)
        rc = recon_require_open(&h, o);
    if (rc == PORTAL_OK && o->n_errors)
        rc = outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        return rc;
    }
    if (in->has_person)
        rc = recon_store_employee_set_person(db, employee_id, &in->person);
    if (rc == PORTAL_OK && in->has_insured_wage)
        rc = recon_store_employee_set_wage(db, employee_id, in->insured_wage);
    if (rc == PORTAL_OK && in->has_employments)
        rc = recon_store_employments_replace(db, employee_id, in->employments, in->n_employments);
    if (rc == PORTAL_OK)
        rc = recon_finish_employee_edit(db, own, actor, &h, "reconciliation.employee_changed",
                                        employee_id, json);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        free(*json);
        *json = NULL;
        return outcome_fail(o, rc, rc == PORTAL_ERR_CONFLICT ? "employee_exists" : NULL);
    }
    return PORTAL_OK;
}

portal_result recon_sick_reports(db_conn *db, const portal_actor *actor, const char *id,
                                 portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    recon_head h;
    portal_result rc = recon_access(db, actor, id, "participants.read", 0, &h, o);
    if (rc != PORTAL_OK)
        return rc;
    rc = recon_store_sick_reports_json(db, id, json);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

/* Checks a sick report's fields into o. */
static void recon_check_report(const recon_sick_report_new *in, portal_outcome *o)
{
    civil_date d;
    int64_t pct;
    if (!in->employee_id)
        outcome_add_error(o, "/employee_id", "required", NULL);
    else if (!uuid_valid(in->employee_id))
        outcome_add_error(o, "/employee_id", "sick_report_employee_unknown", NULL);
    recon_check_date(o, "/first_sick_day", in->first_sick_day, 1, &d);
    recon_check_date(o, "/report_date", in->report_date, 1, &d);
    recon_check_date(o, "/recovery_date", in->recovery_date, 0, &d);
    int before = o->n_errors;
    recon_check_decimal(o, "/ao_percentage", in->ao_percentage, 1, &decimal_spec_percentage, &pct);
    if (in->ao_percentage && o->n_errors == before &&
        (pct < 1 || pct > DECIMAL_PERCENT_ONE_HUNDRED))
        outcome_add_error(o, "/ao_percentage", "ao_percentage_invalid", NULL);
    recon_check_decimal(o, "/atw_percentage", in->atw_percentage, 0, &decimal_spec_percentage,
                        &pct);
    if (in->atw_percentage && pct > DECIMAL_PERCENT_ONE_HUNDRED)
        outcome_add_error(o, "/atw_percentage", "atw_percentage_invalid", NULL);
}

portal_result recon_sick_report_add(db_conn *db, const portal_actor *actor, const char *id,
                                    const recon_sick_report_new *in, portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    int own = 0;
    recon_head h;
    portal_result rc = recon_open_change(db, actor, id, &h, &own, o);
    if (rc != PORTAL_OK)
        return rc;
    if (rc == PORTAL_OK && strcmp(h.variant, "stop_loss") != 0)
        rc = outcome_fail(o, PORTAL_ERR_CONFLICT, "sick_reports_closed");
    if (rc == PORTAL_OK) {
        recon_check_report(in, o);
        if (o->n_errors)
            rc = outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    }
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        return rc;
    }
    recon_sick_report_new r = *in;
    r.created_by = recon_user(actor);
    rc = recon_store_sick_report_insert(db, id, &r, json);
    if (rc == PORTAL_ERR_NOT_FOUND) {
        recon_abort(db, own);
        outcome_add_error(o, "/employee_id", "sick_report_employee_unknown", NULL);
        return outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    }
    if (rc == PORTAL_OK)
        rc = recon_touch_audit(db, actor, "reconciliation.sick_report_added", &h,
                               json_pack("{s:s}", "employee_id", in->employee_id));
    return recon_end_change(db, own, rc, json, o, NULL);
}

/* Copies the file (from its start) into a new blob in the open
 * transaction; sha_hex (65 bytes, may be NULL) gets its SHA-256. */
portal_result recon_store_file(db_conn *db, FILE *f, char blob_id[PORTAL_ID_LEN], long long *size,
                               char *sha_hex)
{
    blob_writer *w = NULL;
    portal_result rc = blob_create(db, &w);
    if (rc != PORTAL_OK)
        return rc;
    snprintf(blob_id, PORTAL_ID_LEN, "%s", blob_writer_id(w));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    char *block = malloc(64 * 1024);
    if (!md || !block || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
        fseek(f, 0, SEEK_SET) != 0)
        rc = block ? PORTAL_ERR_INTERNAL : PORTAL_ERR_MEMORY;
    size_t got;
    while (rc == PORTAL_OK && (got = fread(block, 1, 64 * 1024, f)) > 0) {
        rc = EVP_DigestUpdate(md, block, got) == 1 ? PORTAL_OK : PORTAL_ERR_INTERNAL;
        if (rc == PORTAL_OK)
            rc = blob_write(w, block, got);
    }
    if (rc == PORTAL_OK && ferror(f))
        rc = PORTAL_ERR_IO;
    free(block);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (rc == PORTAL_OK && EVP_DigestFinal_ex(md, digest, &dlen) != 1)
        rc = PORTAL_ERR_INTERNAL;
    EVP_MD_CTX_free(md);
    if (rc != PORTAL_OK) {
        blob_writer_free(w);
        return rc;
    }
    for (unsigned int i = 0; sha_hex && i < dlen && i < 32; i++)
        snprintf(sha_hex + 2 * i, 3, "%02x", digest[i]);
    return blob_finish(w, size);
}

/* A file name safe to show and to send back: letters, digits, '.', '-',
 * '_' and spaces, at most 120 bytes; "bestand" when nothing is left. */
static void recon_safe_name(const char *name, char *out, size_t size)
{
    size_t at = 0;
    for (const char *s = name ? name : ""; *s && at + 1 < size && at < 120; s++) {
        char c = *s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '-' || c == '_' || c == ' ')
            out[at++] = c;
    }
    out[at] = 0;
    if (!at)
        snprintf(out, size, "bestand");
}

portal_result recon_evidence_add(db_conn *db, const portal_actor *actor, const char *id,
                                 const recon_evidence_input *in, portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    if (!in->kind)
        outcome_add_error(o, "/kind", "required", NULL);
    else if (strcmp(in->kind, "payroll_summary") != 0 && strcmp(in->kind, "absence_report") != 0)
        outcome_add_error(o, "/kind", "invalid_value", NULL);
    if (!in->checklist_confirmed || strcmp(in->checklist_confirmed, "true") != 0)
        outcome_add_error(o, "/checklist_confirmed", "checklist_not_confirmed", NULL);
    if (in->size > RECON_UPLOAD_MAX)
        return outcome_fail(o, PORTAL_ERR_TOO_LARGE, NULL);
    int own = 0;
    recon_head h;
    portal_result rc = recon_open_change(db, actor, id, &h, &own, o);
    if (rc != PORTAL_OK)
        return rc;
    char blob_id[PORTAL_ID_LEN], name[128];
    long long size = 0;
    recon_safe_name(in->file_name, name, sizeof name);
    rc = recon_store_file(db, in->file, blob_id, &size, NULL);
    if (rc == PORTAL_OK && size > RECON_UPLOAD_MAX)
        rc = PORTAL_ERR_TOO_LARGE;
    if (rc == PORTAL_OK)
        rc = recon_store_evidence_insert(db, id, in->kind, blob_id, name, in->content_type, size,
                                         recon_user(actor), json);
    if (rc == PORTAL_OK)
        rc = recon_touch_audit(db, actor, "reconciliation.evidence_added", &h,
                               json_pack("{s:s, s:I}", "kind", in->kind, "size", (json_int_t)size));
    return recon_end_change(db, own, rc, json, o, NULL);
}

portal_result recon_evidence_open(db_conn *db, const portal_actor *actor, const char *id,
                                  const char *evidence_id, portal_outcome *o,
                                  recon_evidence_file *out)
{
    outcome_init(o);
    memset(out, 0, sizeof *out);
    recon_head h;
    portal_result rc = recon_access(db, actor, id, NULL, 0, &h, o);
    if (rc != PORTAL_OK)
        return rc;
    rc = evidence_id && uuid_valid(evidence_id) ? recon_store_evidence_get(db, id, evidence_id, out)
                                                : PORTAL_ERR_NOT_FOUND;
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}
