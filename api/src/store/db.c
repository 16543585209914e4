/* store/db.c: see db.h. */
#include "store/db.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "store/db_internal.h"

_Static_assert(DB_GUARD_MAX_PARAMS == 4, "db_guard_flush and db_pipeline pass four");

void db_forget_statements(db_conn *c)
{
    for (int i = 0; i < DB_STMT_SLOTS; i++) {
        free(c->stmts[i].copy);
        c->stmts[i].copy = NULL;
        c->stmts[i].sql = NULL;
    }
    c->stmt_count = 0;
}

PGconn *db_open(const char *url, int standby)
{
    const char *keys[] = {"dbname", "connect_timeout", "application_name", NULL};
    /* A standby that is away must not hold a read up for long: the read
     * goes to the primary instead (store/db_replica.c). */
    const char *vals[] = {url, standby ? "2" : "5", "portal-api", NULL};
    PGconn *pg = PQconnectdbParams(keys, vals, 1);
    if (!pg)
        return NULL;
    if (PQstatus(pg) != CONNECTION_OK) {
        log_warning("event=db_connect_failed error=\"%.200s\"", PQerrorMessage(pg));
        PQfinish(pg);
        return NULL;
    }
    /* Terse errors carry no DETAIL: a constraint failure would otherwise
     * print the row, BSNs included, into the log. */
    PQsetErrorVerbosity(pg, PQERRORS_TERSE);
    return pg;
}

portal_result db_ensure_connected(db_conn *c)
{
    if (c->pg && PQstatus(c->pg) == CONNECTION_OK)
        return PORTAL_OK;
    if (c->pg) {
        PQfinish(c->pg);
        c->pg = NULL;
    }
    db_forget_statements(c);
    c->replayed = 0;
    c->pg = db_open(c->url, c->standby);
    return c->pg ? PORTAL_OK : PORTAL_ERR_DATABASE;
}

db_conn *db_connect_dedicated(const char *database_url)
{
    db_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->url = strdup(database_url);
    if (!c->url) {
        free(c);
        return NULL;
    }
    c->pg = db_open(c->url, 0);
    if (!c->pg) {
        free(c->url);
        free(c);
        return NULL;
    }
    return c;
}

void db_close_dedicated(db_conn *c)
{
    if (!c)
        return;
    if (c->pg)
        PQfinish(c->pg);
    db_forget_statements(c);
    free(c->url);
    free(c);
}

PGconn *db_pg(db_conn *c)
{
    db_guard_flush(c); /* a refusal stays recorded for the request's end */
    return c->pg;
}

static void db_record_error(db_conn *c, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(c->pg);
    snprintf(c->sqlstate, sizeof c->sqlstate, "%s", state ? state : "08000");
    snprintf(c->error, sizeof c->error, "%s", msg ? msg : "unknown error");
    size_t l = strlen(c->error);
    while (l > 0 && (c->error[l - 1] == '\n' || c->error[l - 1] == ' '))
        c->error[--l] = '\0';
    /* Unique violations and serialization failures are expected outcomes the
     * caller handles; everything else is worth an operator's attention. */
    if (strcmp(c->sqlstate, "23505") && strcmp(c->sqlstate, "40001") &&
        strcmp(c->sqlstate, "40P01"))
        log_error("event=db_error sqlstate=%s error=\"%s\"", c->sqlstate, c->error);
}

static uint32_t db_hash_ptr(const void *p)
{
    uintptr_t v = (uintptr_t)p;
    v ^= v >> 17;
    v *= 0x9E3779B1u;
    return (uint32_t)(v ^ (v >> 15));
}

/* Finds or prepares the statement for sql; returns its name or NULL. */
static const char *db_statement(db_conn *c, const char *sql, int nparams)
{
    uint32_t h = db_hash_ptr(sql) % DB_STMT_SLOTS;
    for (int probe = 0; probe < DB_STMT_SLOTS; probe++) {
        db_stmt *s = &c->stmts[(h + (uint32_t)probe) % DB_STMT_SLOTS];
        if (s->sql == sql && strcmp(s->copy, sql) == 0)
            return s->name;
        if (s->sql == NULL) {
            if (c->stmt_count >= DB_STMT_SLOTS * 3 / 4)
                return NULL; /* full: the caller runs it unprepared */
            char name[16];
            snprintf(name, sizeof name, "s%u", c->next_stmt++);
            c->round_trips++;
            PGresult *res = PQprepare(c->pg, name, sql, nparams, NULL);
            if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
                db_record_error(c, res);
                PQclear(res);
                return NULL;
            }
            PQclear(res);
            s->copy = strdup(sql);
            if (!s->copy)
                return NULL;
            s->sql = sql;
            memcpy(s->name, name, sizeof name);
            c->stmt_count++;
            return s->name;
        }
    }
    return NULL;
}

static PGresult *db_pipeline(db_conn *c, int generic, const char *sql, int nparams,
                             const char *const *params, int *fallback);

static PGresult *db_query_once(db_conn *c, const char *sql, int nparams, const char *const *params)
{
    PGresult *res;
    c->sqlstate[0] = '\0';
    c->error[0] = '\0';
    if (c->guard == DB_GUARD_ARMED && PQtransactionStatus(c->pg) == PQTRANS_IDLE) {
        int fallback = 0;
        res = db_pipeline(c, 0, sql, nparams, params, &fallback);
        if (!fallback)
            return res;
    }
    if (db_guard_flush(c) != PORTAL_OK)
        return NULL;
    const char *name = db_statement(c, sql, nparams);
    if (!name && c->sqlstate[0])
        return NULL; /* preparing failed: a syntax error or a lost connection */
    c->round_trips++;
    if (name)
        res = PQexecPrepared(c->pg, name, nparams, params, NULL, NULL, 0);
    else
        res = PQexecParams(c->pg, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
        return res;
    db_record_error(c, res);
    PQclear(res);
    return NULL;
}

PGresult *db_query(db_conn *c, const char *sql, int nparams, const char *const *params)
{
    int idle = PQtransactionStatus(c->pg) == PQTRANS_IDLE;
    PGresult *res = db_query_once(c, sql, nparams, params);
    /* Outside a transaction a statement can be retried safely once the
     * connection is back: this hides a database restart from the caller. */
    if (!res && idle && PQstatus(c->pg) != CONNECTION_OK && db_ensure_connected(c) == PORTAL_OK)
        res = db_query_once(c, sql, nparams, params);
    return res;
}

static const char DB_GENERIC_SETTINGS[] =
    "SELECT set_config('plan_cache_mode', 'force_generic_plan', true),"
    " set_config('jit', 'off', true)";

/* Collects the results of one pipelined statement: the last tuples result
 * (or NULL after an error, recorded), up to the NULL that ends it. */
static PGresult *db_pipeline_result(db_conn *c, int *failed)
{
    PGresult *kept = NULL, *res;
    while ((res = PQgetResult(c->pg)) != NULL) {
        ExecStatusType st = PQresultStatus(res);
        if ((st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) && !*failed) {
            PQclear(kept);
            kept = res;
            continue;
        }
        if (!*failed && st != PGRES_PIPELINE_ABORTED)
            db_record_error(c, res);
        if (!*failed && st == PGRES_PIPELINE_ABORTED)
            snprintf(c->sqlstate, sizeof c->sqlstate, "%s", "08000");
        *failed = 1;
        PQclear(res);
    }
    if (*failed) {
        PQclear(kept);
        kept = NULL;
    }
    return kept;
}

/* Sets the refusal of a guard that did not pass: SQLSTATE 28000, no log
 * (an ended session is an expected outcome). */
static void db_guard_refused(db_conn *c, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (!res || (state && strncmp(state, "08", 2) == 0))
        db_record_error(c, res); /* the connection, not the guard */
    else
        snprintf(c->sqlstate, sizeof c->sqlstate, "%s", "28000");
    c->guard = DB_GUARD_FAILED;
}

/* One round trip: [the armed guard,] [the generic-plan settings,] the
 * statement, sync. A guard that fails aborts the rest of the pipeline, so the
 * statement does not run. *fallback = 1 (and NULL) when the statements cannot
 * be prepared or pipelined: the caller runs them one by one. */
static PGresult *db_pipeline(db_conn *c, int generic, const char *sql, int nparams,
                             const char *const *params, int *fallback)
{
    int guarded = c->guard == DB_GUARD_ARMED;
    const char *guard = guarded ? db_statement(c, c->guard_sql, c->guard_nparams) : NULL;
    const char *settings = generic ? db_statement(c, DB_GENERIC_SETTINGS, 0) : NULL;
    const char *name = db_statement(c, sql, nparams);
    if ((guarded && !guard) || (generic && !settings) || !name || c->sqlstate[0] ||
        !PQenterPipelineMode(c->pg)) {
        *fallback = !c->sqlstate[0];
        return NULL;
    }
    const char *gp[DB_GUARD_MAX_PARAMS] = {c->guard_params[0], c->guard_params[1],
                                           c->guard_params[2], c->guard_params[3]};
    c->round_trips++;
    int sent =
        (!guarded || PQsendQueryPrepared(c->pg, guard, c->guard_nparams, gp, NULL, NULL, 0)) &&
        (!generic || PQsendQueryPrepared(c->pg, settings, 0, NULL, NULL, NULL, 0)) &&
        PQsendQueryPrepared(c->pg, name, nparams, params, NULL, NULL, 0) && PQpipelineSync(c->pg);
    int failed = !sent;
    PGresult *res = NULL;
    if (sent) {
        if (guarded) {
            PGresult *g;
            int refused = 0;
            while ((g = PQgetResult(c->pg)) != NULL) {
                if (PQresultStatus(g) != PGRES_TUPLES_OK && !refused) {
                    refused = 1;
                    db_guard_refused(c, g);
                }
                PQclear(g);
            }
            failed = refused;
            if (!refused)
                c->guard = DB_GUARD_NONE;
        }
        if (generic)
            PQclear(db_pipeline_result(c, &failed));
        res = db_pipeline_result(c, &failed);
        PGresult *sync = PQgetResult(c->pg);
        if (!sync || PQresultStatus(sync) != PGRES_PIPELINE_SYNC)
            failed = 1;
        PQclear(sync);
    } else {
        db_record_error(c, NULL);
        if (guarded)
            c->guard = DB_GUARD_FAILED;
    }
    if (!PQexitPipelineMode(c->pg) && PQstatus(c->pg) == CONNECTION_OK) {
        /* Results still queued: the connection is in an unknown state. */
        PQreset(c->pg);
        db_forget_statements(c);
        failed = 1;
    }
    if (failed) {
        PQclear(res);
        return NULL;
    }
    return res;
}

static PGresult *db_query_generic_once(db_conn *c, const char *sql, int nparams,
                                       const char *const *params)
{
    c->sqlstate[0] = '\0';
    c->error[0] = '\0';
    int fallback = 0;
    PGresult *res = db_pipeline(c, 1, sql, nparams, params, &fallback);
    return fallback ? db_query(c, sql, nparams, params) : res;
}

PGresult *db_query_generic(db_conn *c, const char *sql, int nparams, const char *const *params)
{
    if (!c->pg || PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        return db_query(c, sql, nparams, params);
    PGresult *res = db_query_generic_once(c, sql, nparams, params);
    /* As db_query: once the connection is back, run it again (plainly). */
    if (!res && PQstatus(c->pg) != CONNECTION_OK && db_ensure_connected(c) == PORTAL_OK)
        res = db_query(c, sql, nparams, params);
    return res;
}

portal_result db_exec(db_conn *c, const char *sql, int nparams, const char *const *params)
{
    PGresult *res = db_query(c, sql, nparams, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    PQclear(res);
    return PORTAL_OK;
}

portal_result db_exec_script(db_conn *c, const char *sql)
{
    c->sqlstate[0] = '\0';
    c->error[0] = '\0';
    if (db_guard_flush(c) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    c->round_trips++;
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK || st == PGRES_EMPTY_QUERY) {
        PQclear(res);
        return PORTAL_OK;
    }
    db_record_error(c, res);
    PQclear(res);
    return PORTAL_ERR_DATABASE;
}

portal_result db_begin(db_conn *c)
{
    return db_exec_script(c, "BEGIN");
}

portal_result db_commit(db_conn *c)
{
    return db_exec_script(c, "COMMIT");
}

void db_rollback(db_conn *c)
{
    if (c->pg && PQtransactionStatus(c->pg) != PQTRANS_IDLE) {
        c->round_trips++;
        PGresult *res = PQexec(c->pg, "ROLLBACK");
        PQclear(res);
    }
}

const char *db_sqlstate(const db_conn *c)
{
    return c->sqlstate;
}

const char *db_error_message(const db_conn *c)
{
    return c->error;
}

int db_is_unique_violation(const db_conn *c)
{
    return strcmp(c->sqlstate, "23505") == 0;
}

unsigned db_round_trips(const db_conn *c)
{
    return c ? c->round_trips : 0;
}

int db_connection_lost(const db_conn *c)
{
    if (!c->pg || PQstatus(c->pg) != CONNECTION_OK)
        return 1;
    return strncmp(c->sqlstate, "08", 2) == 0 || strncmp(c->sqlstate, "57P0", 4) == 0;
}

portal_result db_ping(db_conn *c)
{
    if (db_ensure_connected(c) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    if (db_exec_script(c, "SELECT 1") == PORTAL_OK)
        return PORTAL_OK;
    /* The server may have restarted since the last use: try once more. */
    if (PQstatus(c->pg) != CONNECTION_OK && db_ensure_connected(c) == PORTAL_OK)
        return db_exec_script(c, "SELECT 1");
    return PORTAL_ERR_DATABASE;
}

portal_result db_guard_arm(db_conn *c, const char *sql, int nparams, const char *const *params)
{
    if (nparams < 0 || nparams > DB_GUARD_MAX_PARAMS)
        return PORTAL_ERR_INVALID;
    for (int i = 0; i < nparams; i++)
        if (!params[i] || strlen(params[i]) >= DB_GUARD_PARAM_LEN)
            return PORTAL_ERR_INVALID;
    for (int i = 0; i < nparams; i++)
        snprintf(c->guard_params[i], DB_GUARD_PARAM_LEN, "%s", params[i]);
    c->guard_sql = sql;
    c->guard_nparams = nparams;
    c->guard = DB_GUARD_ARMED;
    return PORTAL_OK;
}

portal_result db_guard_flush(db_conn *c)
{
    if (c->guard == DB_GUARD_FAILED) {
        snprintf(c->sqlstate, sizeof c->sqlstate, "%s", "28000");
        return PORTAL_ERR_DENIED;
    }
    if (c->guard != DB_GUARD_ARMED)
        return PORTAL_OK;
    const char *gp[DB_GUARD_MAX_PARAMS] = {c->guard_params[0], c->guard_params[1],
                                           c->guard_params[2], c->guard_params[3]};
    const char *name = db_statement(c, c->guard_sql, c->guard_nparams);
    c->round_trips += name != NULL;
    PGresult *res = name ? PQexecPrepared(c->pg, name, c->guard_nparams, gp, NULL, NULL, 0) : NULL;
    if (res && PQresultStatus(res) == PGRES_TUPLES_OK) {
        c->guard = DB_GUARD_NONE;
        PQclear(res);
        return PORTAL_OK;
    }
    db_guard_refused(c, res);
    PQclear(res);
    return PORTAL_ERR_DENIED;
}

void db_guard_clear(db_conn *c)
{
    c->guard = DB_GUARD_NONE;
}
