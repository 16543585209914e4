/* workflows/reconciliations_process.c: submitting and reopening a reconciliation, and the
 * processing job that computes the result and publishes the specification. */
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
#include "workflows/reconciliation_duplicates.h"

/* Names the rules' problems over l (found of them, at most cap) in o
 * (first OUTCOME_MAX_ERRORS) and the array all. */
static portal_result recon_list_rule_problems(const portal_actor *actor, const recon_loaded *l,
                                              civil_date today, size_t cap, portal_outcome *o,
                                              json_t *all)
{
    recon_rules_problem *list = calloc(cap, sizeof *list);
    if (!list)
        return PORTAL_ERR_MEMORY;
    size_t found = 0;
    portal_result rc = recon_rules_check(&l->params, today, l->employees, l->n_employees,
                                         l->reports, l->n_reports, list, cap, &found);
    for (size_t i = 0; rc == PORTAL_OK && i < cap && i < found; i++) {
        char pointer[160];
        recon_pointer(&list[i], l, pointer, sizeof pointer);
        const char *text = recon_rule_text(actor, list[i].rule);
        if (i < OUTCOME_MAX_ERRORS)
            outcome_add_error(o, pointer, list[i].rule->code, text);
        if (json_array_append_new(all, json_pack("{s:s, s:s, s:s}", "field", pointer, "code",
                                                 list[i].rule->code, "message", text)) != 0)
            rc = PORTAL_ERR_MEMORY;
    }
    free(list);
    return rc;
}

/* Runs the completeness checks over l and the likely duplicates of
 * reconciliation id: with problems fills o (first OUTCOME_MAX_ERRORS) and
 * *problems (all, capped) and returns PORTAL_ERR_INVALID; PORTAL_OK when
 * complete. */
/* Adds evidence_missing at /evidence/<kind> for each kind asked for on
 * reconciliation id without an upload, to o and to *all (created when
 * NULL; at most room entries listed); *count gets how many. */
static portal_result recon_evidence_problems(db_conn *db, const portal_actor *actor, const char *id,
                                             size_t room, portal_outcome *o, json_t **all,
                                             size_t *count)
{
    *count = 0;
    int missing[2] = {0, 0};
    portal_result rc = recon_store_evidence_missing(db, id, &missing[0], &missing[1]);
    static const char *const kinds[2] = {"payroll_summary", "absence_report"};
    int en = strcmp(workflow_lang(actor), "en") == 0;
    const char *text[2] = {en ? "The insurer asked for the payroll summary: upload it."
                              : "De verzekeraar vraagt om de verzamelloonstaat: upload die.",
                           en ? "The insurer asked for the occupational health report: upload it."
                              : "De verzekeraar vraagt om de arborapportage: upload die."};
    for (size_t k = 0; rc == PORTAL_OK && k < 2; k++) {
        if (!missing[k])
            continue;
        (*count)++;
        if (*count > room)
            continue;
        char pointer[48];
        snprintf(pointer, sizeof pointer, "/evidence/%s", kinds[k]);
        if (o->n_errors < OUTCOME_MAX_ERRORS)
            outcome_add_error(o, pointer, "evidence_missing", text[k]);
        if ((!*all && !(*all = json_array())) ||
            json_array_append_new(*all, json_pack("{s:s, s:s, s:s}", "field", pointer, "code",
                                                  "evidence_missing", "message", text[k])) != 0)
            rc = PORTAL_ERR_MEMORY;
    }
    return rc;
}

static portal_result recon_check_all(db_conn *db, const portal_actor *actor, const char *id,
                                     const recon_loaded *l, portal_outcome *o, json_t **problems)
{
    civil_date today;
    if (civil_date_amsterdam_today(time(NULL), &today) != PORTAL_OK)
        return PORTAL_ERR_INTERNAL;
    size_t found = 0;
    portal_result rc = recon_rules_check(&l->params, today, l->employees, l->n_employees,
                                         l->reports, l->n_reports, NULL, 0, &found);
    if (rc != PORTAL_OK)
        return rc;
    size_t cap = found > RECON_MAX_LISTED_PROBLEMS ? RECON_MAX_LISTED_PROBLEMS : found;
    json_t *all = json_array();
    if (!all)
        return PORTAL_ERR_MEMORY;
    if (cap)
        rc = recon_list_rule_problems(actor, l, today, cap, o, all);
    size_t duplicates = 0;
    if (rc == PORTAL_OK)
        rc = recon_duplicates_problems(db, actor, id, RECON_MAX_LISTED_PROBLEMS - cap, o, &all,
                                       &duplicates);
    size_t evidence = 0;
    if (rc == PORTAL_OK) {
        size_t listed = json_array_size(all);
        rc = recon_evidence_problems(
            db, actor, id,
            listed < RECON_MAX_LISTED_PROBLEMS ? RECON_MAX_LISTED_PROBLEMS - listed : 0, o, &all,
            &evidence);
    }
    if (rc != PORTAL_OK || found + duplicates + evidence == 0) {
        json_decref(all);
        return rc;
    }
    *problems = all;
    char detail[160];
    snprintf(detail, sizeof detail,
             strcmp(workflow_lang(actor), "en") == 0
                 ? "The reconciliation is not complete: %zu problem(s) to solve."
                 : "De naverrekening is niet compleet: %zu punt(en) op te lossen.",
             found + duplicates + evidence);
    outcome_set_detail(o, detail);
    return PORTAL_ERR_INVALID;
}

portal_result recon_submit(db_conn *db, const portal_actor *actor, const char *id,
                           portal_outcome *o, char **json, json_t **problems)
{
    outcome_init(o);
    *json = NULL;
    *problems = NULL;
    int own = 0;
    recon_head h;
    portal_result rc = recon_open_change(db, actor, id, &h, &own, o);
    if (rc != PORTAL_OK)
        return rc;
    recon_loaded l;
    rc = recon_store_load(db, id, &l);
    if (rc == PORTAL_OK) {
        rc = recon_check_all(db, actor, id, &l, o, problems);
        if (rc == PORTAL_ERR_INVALID) {
            recon_loaded_free(&l);
            recon_abort(db, own);
            return outcome_fail(o, rc, "reconciliation_incomplete");
        }
    }
    recon_loaded_free(&l);
    int version = 0;
    if (rc == PORTAL_OK)
        rc = recon_store_submit(db, id, recon_user(actor), &version);
    if (rc == PORTAL_OK) {
        char payload[128];
        snprintf(payload, sizeof payload, "{\"reconciliation_id\":\"%s\",\"version\":%d}", id,
                 version);
        rc = jobs_enqueue(db, RECON_JOB_KIND, payload);
    }
    if (rc == PORTAL_OK)
        rc = recon_audit(db, actor, "reconciliation.submitted", &h, NULL);
    if (rc == PORTAL_OK)
        rc = recon_store_json(db, id, json);
    return recon_end_change(db, own, rc, json, o,
                            rc == PORTAL_ERR_CONFLICT ? "reconciliation_submitted" : NULL);
}

portal_result recon_reopen(db_conn *db, const portal_actor *actor, const char *id,
                           const char *reason, portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    int own = 0;
    if (recon_begin(db, &own) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    recon_head h;
    portal_result rc = recon_access(db, actor, id, NULL, 1, &h, o);
    if (rc == PORTAL_OK && !recon_is_staff(actor))
        rc = outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    if (rc == PORTAL_OK && strcmp(h.status, "open") == 0)
        rc = outcome_fail(o, PORTAL_ERR_CONFLICT, "reconciliation_open");
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        return rc;
    }
    rc = recon_store_reopen(db, id, recon_user(actor), reason);
    if (rc == PORTAL_OK) {
        json_t *changes = json_pack("{s:s, s:s}", "status", h.status, "reason", reason);
        rc = changes ? recon_audit(db, actor, "reconciliation.reopened", &h, changes)
                     : PORTAL_ERR_MEMORY;
        json_decref(changes);
    }
    if (rc == PORTAL_OK) {
        char title[96], link[96];
        snprintf(title, sizeof title, "Naverrekening %d opnieuw aanleveren", h.year);
        snprintf(link, sizeof link, "/reconciliations/%s", id);
        rc = notify_employer(db, h.organisation_id, "reconciliation.reopened", title, link);
    }
    if (rc == PORTAL_OK)
        rc = recon_store_json(db, id, json);
    return recon_end_change(db, own, rc, json, o, NULL);
}

/* Where both specification files are written while the lines stream. */
typedef struct {
    recon_spec_pdf *pdf;
    xlsx_export *xlsx;
} recon_spec_sinks;

/* Writes one line into both files. */
static portal_result recon_spec_sink(void *closure, const recon_line_row *row)
{
    recon_spec_sinks *s = closure;
    recon_spec_line line = {row->display_name, row->birth_date,  row->days,   row->insured_wage,
                            row->prorated_cap, row->capped_wage, row->premium};
    portal_result rc = recon_spec_pdf_line(s->pdf, &line);
    return rc == PORTAL_OK ? recon_spec_xlsx_line(s->xlsx, &line) : rc;
}

/* A string member of obj, or NULL for null or absent. */
static const char *recon_member(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* Fills the specification's first page from the reconciliation's JSON
 * (borrowed: h points into it). */
static void recon_spec_header_of(const json_t *rec, recon_spec_header *h)
{
    const json_t *r = json_object_get(rec, "result");
    memset(h, 0, sizeof *h);
    h->lang = "nl";
    h->organisation_name = recon_member(rec, "organisation_name");
    h->scheme_number = recon_member(rec, "scheme_number");
    h->scheme_name = recon_member(rec, "scheme_name");
    h->year = (int)json_integer_value(json_object_get(rec, "year"));
    h->variant = recon_member(rec, "variant");
    h->policy_start = recon_member(rec, "policy_start");
    h->premium_rate = recon_member(rec, "premium_rate");
    h->provisional_premium = recon_member(rec, "provisional_premium");
    h->wage_cap = recon_member(rec, "wage_cap");
    h->own_risk_percentage = recon_member(rec, "own_risk_percentage");
    h->own_risk_amount = recon_member(rec, "own_risk_amount");
    h->continued_pay_percentage = recon_member(rec, "continued_pay_percentage");
    h->maximum_reimbursement = recon_member(rec, "maximum_reimbursement");
    h->capped_wage_total = recon_member(r, "capped_wage_total");
    h->definitive_premium = recon_member(r, "definitive_premium");
    h->settlement = recon_member(r, "settlement");
    h->own_risk = recon_member(r, "own_risk");
    h->sick_pay_cost = recon_member(r, "sick_pay_cost");
    h->reimbursement = recon_member(r, "reimbursement");
    h->employee_count = (long long)json_integer_value(json_object_get(rec, "employee_count"));
}

/* Stores one finished file as a reconciliation_specification document. */
static portal_result recon_spec_document(db_conn *db, const recon_head *h, const json_t *rec,
                                         FILE *f, const char *content_type, const char *ext)
{
    char blob_id[PORTAL_ID_LEN], sha[65] = "", title[160], name[160],
                                 today_text[CIVIL_DATE_TEXT_SIZE];
    long long size = 0;
    civil_date today;
    if (civil_date_amsterdam_today(time(NULL), &today) != PORTAL_OK ||
        civil_date_format(today, today_text, sizeof today_text) != PORTAL_OK)
        return PORTAL_ERR_INTERNAL;
    const char *number = recon_member(rec, "scheme_number");
    snprintf(title, sizeof title, "Specificatie naverrekening %d %s (%s)", h->year,
             number ? number : "", strcmp(ext, "pdf") == 0 ? "PDF" : "Excel");
    snprintf(name, sizeof name, "specificatie-naverrekening-%d.%s", h->year, ext);
    portal_result rc = recon_store_file(db, f, blob_id, &size, sha);
    document_new d = {.organisation_id = h->organisation_id,
                      .scheme_id = h->scheme_id,
                      .kind = "reconciliation_specification",
                      .title = title,
                      .document_date = today_text,
                      .amount = recon_member(json_object_get(rec, "result"), "settlement"),
                      .file_name = name,
                      .content_type = content_type,
                      .size = size,
                      .sha256 = sha,
                      .blob_id = blob_id,
                      .created_by = NULL};
    if (rc == PORTAL_OK) {
        char doc_id[PORTAL_ID_LEN];
        rc = documents_insert(db, &d, doc_id);
    }
    return rc;
}

/*
 * recon_publish_specification -- in the processing transaction: writes the
 * specification as PDF (a temporary file) and XLSX (a temporary file in
 * constant-memory mode) from one pass over the lines, then stores both as
 * documents of kind reconciliation_specification on the scheme. The
 * temporary files are removed whatever happens.
 */
static portal_result recon_publish_specification(db_conn *db, const recon_head *h)
{
    char *text = NULL;
    portal_result rc = recon_store_json(db, h->id, &text);
    json_t *rec = rc == PORTAL_OK ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (rc == PORTAL_OK && !rec)
        rc = PORTAL_ERR_INTERNAL;
    recon_spec_header hdr;
    if (rec)
        recon_spec_header_of(rec, &hdr);
    FILE *pdf_file = rc == PORTAL_OK ? tmpfile() : NULL;
    char xlsx_path[] = "/tmp/portal-spec-XXXXXX";
    int fd = rc == PORTAL_OK ? mkstemp(xlsx_path) : -1;
    if (fd >= 0)
        close(fd);
    if (rc == PORTAL_OK && (!pdf_file || fd < 0))
        rc = PORTAL_ERR_IO;
    recon_spec_sinks sinks = {NULL, NULL};
    if (rc == PORTAL_OK)
        rc = recon_spec_pdf_open(pdf_file, &hdr, &sinks.pdf);
    if (rc == PORTAL_OK)
        rc = recon_spec_xlsx_open(xlsx_path, "nl", &sinks.xlsx);
    if (rc == PORTAL_OK)
        rc = recon_store_each_line(db, h->id, recon_spec_sink, &sinks);
    portal_result closed = recon_spec_pdf_close(sinks.pdf);
    if (rc == PORTAL_OK)
        rc = closed;
    closed = sinks.xlsx ? recon_spec_xlsx_close(sinks.xlsx) : PORTAL_OK;
    if (rc == PORTAL_OK)
        rc = closed;
    if (rc == PORTAL_OK && fflush(pdf_file) != 0)
        rc = PORTAL_ERR_IO;
    if (rc == PORTAL_OK)
        rc = recon_spec_document(db, h, rec, pdf_file, "application/pdf", "pdf");
    FILE *xlsx_file = rc == PORTAL_OK ? fopen(xlsx_path, "rb") : NULL;
    if (rc == PORTAL_OK && !xlsx_file)
        rc = PORTAL_ERR_IO;
    if (rc == PORTAL_OK)
        rc = recon_spec_document(
            db, h, rec, xlsx_file,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx");
    if (xlsx_file)
        fclose(xlsx_file);
    if (fd >= 0)
        unlink(xlsx_path);
    if (pdf_file)
        fclose(pdf_file);
    json_decref(rec);
    return rc;
}

/* Milliseconds from a to b. */
static double recon_ms(struct timespec a, struct timespec b)
{
    return (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

/* Computes l and writes the result inside the open transaction. */
static portal_result recon_compute_and_write(db_conn *db, const char *id, int version,
                                             const recon_loaded *l)
{
    recon_rules_employee_line *lines = calloc(l->n_employees ? l->n_employees : 1, sizeof *lines);
    recon_rules_report_line *report_lines =
        calloc(l->n_reports ? l->n_reports : 1, sizeof *report_lines);
    recon_rules_totals totals;
    portal_result rc = lines && report_lines ? PORTAL_OK : PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK)
        rc = recon_rules_compute(&l->params, l->employees, l->n_employees, l->reports, l->n_reports,
                                 lines, report_lines, &totals);
    if (rc == PORTAL_OK)
        rc = recon_store_write_result(db, id, version, l, lines, report_lines, &totals);
    free(lines);
    free(report_lines);
    return rc;
}

portal_result recon_lock_version(db_conn *db, const portal_actor *actor, const char *id,
                                 const char *capability, portal_outcome *o, int *version)
{
    outcome_init(o);
    recon_head h;
    portal_result rc = recon_access(db, actor, id, capability, 1, &h, o);
    if (rc == PORTAL_OK)
        *version = h.version;
    return rc;
}

portal_result recon_process(db_conn *db, const char *id, int version)
{
    if (!id || !uuid_valid(id))
        return PORTAL_ERR_INVALID;
    if (db_begin(db) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    recon_head h;
    portal_result rc = recon_store_head(db, id, 1, &h);
    if (rc == PORTAL_ERR_NOT_FOUND ||
        (rc == PORTAL_OK && (strcmp(h.status, "submitted") != 0 || h.version != version))) {
        /* Reopened or processed since: this job has nothing left to do. */
        db_rollback(db);
        return PORTAL_OK;
    }
    recon_loaded l;
    memset(&l, 0, sizeof l);
    struct timespec t0, t1, t2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (rc == PORTAL_OK)
        rc = recon_store_load(db, id, &l);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc == PORTAL_OK)
        rc = recon_compute_and_write(db, id, version, &l);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    size_t employees = l.n_employees;
    recon_loaded_free(&l);
    portal_actor system = {.caller = NULL, .lang = "nl", .client_address = "", .request_id = ""};
    struct timespec t3;
    if (rc == PORTAL_OK)
        rc = recon_publish_specification(db, &h);
    clock_gettime(CLOCK_MONOTONIC, &t3);
    if (rc == PORTAL_OK)
        rc = recon_audit(db, &system, "reconciliation.processed", &h, NULL);
    if (rc == PORTAL_OK) {
        char title[96], link[96];
        snprintf(title, sizeof title, "Naverrekening %d verwerkt", h.year);
        snprintf(link, sizeof link, "/reconciliations/%s", id);
        rc = notify_employer(db, h.organisation_id, "reconciliation.processed", title, link);
    }
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        log_warning("event=reconciliation_failed reconciliation=%s error=%s", id,
                    portal_result_name(rc));
        return rc;
    }
    log_info("event=reconciliation_processed reconciliation=%s employees=%zu load_ms=%.1f"
             " compute_write_ms=%.1f specification_ms=%.1f",
             id, employees, recon_ms(t0, t1), recon_ms(t1, t2), recon_ms(t2, t3));
    return PORTAL_OK;
}
