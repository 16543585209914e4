/* workflows/payroll_periods.c: see payroll_periods.h (receiving a period,
 * the list, one period, the job's part). */
#include "workflows/payroll_periods.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/uuid.h"
#include "domain/payroll_rules.h"
#include "store/jobs.h"
#include "store/participants.h"

/* Reads the period key and its window, and whether the scheme is locked
 * by a batch. Fills o on a refusal. */
static portal_result payroll_check(db_conn *db, const wf_payroll_input *in, payroll_period *p,
                                   portal_outcome *o)
{
    if (payroll_period_parse(in->period, p) != PORTAL_OK) {
        outcome_add_error(o, "/period", "invalid_format", NULL);
        return outcome_fail(o, PORTAL_ERR_INVALID, "invalid_period");
    }
    civil_date today;
    char today_text[CIVIL_DATE_TEXT_SIZE];
    if (wf_today(NULL, &today, today_text) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_INTERNAL, NULL);
    if (!payroll_period_allowed(p, today)) {
        outcome_add_error(o, "/period", "effective_date_out_of_range", NULL);
        return outcome_fail(o, PORTAL_ERR_INVALID, "effective_date_out_of_range");
    }
    int locked = 0;
    if (participants_scheme_locked(db, in->scheme_id, &locked) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    return locked ? outcome_fail(o, PORTAL_ERR_CONFLICT, "scheme_locked_by_batch") : PORTAL_OK;
}

/* Stores the next revision and processes it now or queues the job.
 * *queued tells which. */
static portal_result payroll_store_and_run(db_conn *db, const portal_actor *actor,
                                           const payroll_head *head, const char *hash,
                                           json_t *employments, int *queued)
{
    const portal_caller *c = actor ? actor->caller : NULL;
    payroll_sender sender = {.user_id = c && c->user_id[0] ? c->user_id : NULL,
                             .token_id = c && c->kind == CALLER_API_TOKEN ? c->token_id : NULL,
                             .lang = workflow_lang(actor)};
    char *rows = json_dumps(employments, JSON_COMPACT);
    if (!rows)
        return PORTAL_ERR_MEMORY;
    int n = (int)json_array_size(employments), revision = 0;
    portal_result rc = payroll_store_revision(db, head->id, hash, &sender, rows, n, &revision);
    free(rows);
    *queued = n > PAYROLL_SYNC_MAX_EMPLOYMENTS;
    if (rc != PORTAL_OK)
        return rc;
    if (!*queued)
        return wf_payroll_apply(db, actor, NULL, head, revision);
    char payload[128];
    snprintf(payload, sizeof payload, "{\"period_id\":\"%s\",\"revision\":%d}", head->id, revision);
    return jobs_enqueue(db, "payroll_period", payload);
}

/* The SHA-256 of the canonical body (sorted keys, compact), so the same
 * employments sent as JSON or CSV count as the same body. */
static portal_result payroll_hash(json_t *employments, char out[CRYPTO_SHA256_HEX_LEN + 1])
{
    char *text = json_dumps(employments, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text)
        return PORTAL_ERR_MEMORY;
    crypto_sha256_hex(text, out);
    free(text);
    return PORTAL_OK;
}

/* The receiving itself, inside the open transaction. */
static portal_result payroll_receive_tx(db_conn *db, const portal_actor *actor,
                                        const wf_payroll_input *in, payroll_head *head, int *queued,
                                        portal_outcome *o)
{
    payroll_period p;
    portal_result rc = payroll_check(db, in, &p, o);
    if (rc != PORTAL_OK)
        return rc;
    char hash[CRYPTO_SHA256_HEX_LEN + 1], start[CIVIL_DATE_TEXT_SIZE], end[CIVIL_DATE_TEXT_SIZE];
    if (payroll_hash(in->employments, hash) != PORTAL_OK ||
        civil_date_format(p.start, start, sizeof start) != PORTAL_OK ||
        civil_date_format(p.end, end, sizeof end) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_MEMORY, NULL);
    payroll_key k = {in->scheme_id, in->period, p.year, start, end, hash};
    rc = payroll_store_lock(db, &k, head);
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc, NULL);
    /* The same body again: nothing to do (a failed one is tried again). */
    if (head->revision > 0 && head->same_body && strcmp(head->status, "failed") != 0) {
        *queued = strcmp(head->status, "processing") == 0;
        return PORTAL_OK;
    }
    if (head->revision > 0 && strcmp(head->status, "processing") == 0)
        return outcome_fail(o, PORTAL_ERR_CONFLICT, "payroll_period_processing");
    rc = payroll_store_and_run(db, actor, head, hash, in->employments, queued);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result wf_payroll_receive(db_conn *db, const portal_actor *actor, const wf_payroll_input *in,
                                 wf_payroll_result *out, portal_outcome *o)
{
    memset(out, 0, sizeof *out);
    outcome_init(o);
    if (!in->scheme_id || !uuid_valid(in->scheme_id))
        return outcome_fail(o, PORTAL_ERR_NOT_FOUND, NULL);
    if (db_begin(db) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    portal_result rc = wf_scheme_access(db, actor, in->scheme_id, "payroll_sync", o);
    payroll_head head;
    int queued = 0;
    if (rc == PORTAL_OK)
        rc = payroll_receive_tx(db, actor, in, &head, &queued, o);
    if (rc == PORTAL_OK) {
        json_t *changes = json_pack("{s:{s:n, s:s}}", "period", "from", "to", in->period);
        rc = workflow_audit(db, actor, NULL, "payroll_period.received", "scheme", in->scheme_id,
                            head.organisation_id, changes);
        json_decref(changes);
    }
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        return o->rc != PORTAL_OK ? o->rc : outcome_fail(o, rc, NULL);
    }
    out->http_status = queued ? 202 : 200;
    rc = payroll_store_item_json(db, head.id, 0, PAYROLL_SYNC_MAX_EMPLOYMENTS, &out->json);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

void wf_payroll_result_free(wf_payroll_result *r)
{
    free(r->json);
    r->json = NULL;
}

portal_result wf_payroll_list(db_conn *db, const portal_actor *actor, const char *scheme_id,
                              const char *after_period, int limit, char **rows, portal_outcome *o)
{
    *rows = NULL;
    outcome_init(o);
    if (!scheme_id || !uuid_valid(scheme_id))
        return outcome_fail(o, PORTAL_ERR_NOT_FOUND, NULL);
    portal_result rc = wf_scheme_access(db, actor, scheme_id, "participants.read", o);
    if (rc != PORTAL_OK)
        return rc;
    rc = payroll_store_list_json(db, scheme_id, after_period, limit, rows);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result wf_payroll_get(db_conn *db, const portal_actor *actor, const char *scheme_id,
                             const char *period, int after_seq, int limit, char **json,
                             portal_outcome *o)
{
    *json = NULL;
    outcome_init(o);
    if (!scheme_id || !uuid_valid(scheme_id))
        return outcome_fail(o, PORTAL_ERR_NOT_FOUND, NULL);
    portal_result rc = wf_scheme_access(db, actor, scheme_id, "participants.read", o);
    if (rc != PORTAL_OK)
        return rc;
    payroll_period p;
    payroll_head head;
    if (payroll_period_parse(period, &p) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_NOT_FOUND, NULL);
    rc = payroll_store_head(db, scheme_id, period, NULL, 0, &head);
    if (rc == PORTAL_OK)
        rc = payroll_store_item_json(db, head.id, after_seq, limit, json);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result wf_payroll_process(db_conn *db, const char *id, int revision)
{
    if (!id || !uuid_valid(id))
        return PORTAL_ERR_INVALID;
    if (db_begin(db) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    payroll_head head;
    portal_result rc = payroll_store_head(db, NULL, NULL, id, 1, &head);
    if (rc == PORTAL_ERR_NOT_FOUND || (rc == PORTAL_OK && (strcmp(head.status, "processing") != 0 ||
                                                           head.revision != revision))) {
        db_rollback(db);
        return PORTAL_OK;
    }
    char label[64];
    snprintf(label, sizeof label, "Loonaangifte %s", head.period);
    wf_row_options opts = {.label = label};
    portal_actor actor = {
        .caller = NULL, .lang = head.lang, .client_address = "", .request_id = ""};
    if (rc == PORTAL_OK)
        rc = wf_payroll_apply(db, &actor, &opts, &head, revision);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK)
        db_rollback(db);
    return rc;
}

void wf_payroll_give_up(db_conn *db, const char *id)
{
    if (id && uuid_valid(id))
        (void)payroll_store_fail(db, id);
}
