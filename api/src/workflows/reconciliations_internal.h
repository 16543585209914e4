/* workflows/reconciliations_internal.h: what the reconciliation use-case files (reconciliations.c,
 * reconciliations_entries.c, reconciliations_process.c) share; not for use outside them. */
#ifndef PORTAL_WORKFLOWS_RECONCILIATIONS_INTERNAL_H
#define PORTAL_WORKFLOWS_RECONCILIATIONS_INTERNAL_H

#include "workflows/reconciliations.h"
#include <stdio.h>
#include "domain/decimal.h"
#include "domain/civil_date.h"

/* Opens a transaction unless the caller holds one (*own tells which):
 * a resource that stores an idempotent answer or checks If-Match runs the
 * use case inside its own transaction and commits it itself. */
portal_result recon_begin(db_conn *db, int *own);

/* Commits a transaction this use case opened. */
portal_result recon_commit(db_conn *db, int own);

/* Rolls back a transaction this use case opened (the caller's is the
 * caller's to end). */
void recon_abort(db_conn *db, int own);

/* The opening of a change to an open reconciliation: begins (unless the
 * caller holds a transaction: *own tells), loads id locked with the
 * "reconciliation" capability, requires it open, and fails with
 * PORTAL_ERR_INVALID when o already holds field errors. PORTAL_OK with the
 * head in *h and the transaction open; otherwise rolled back, o filled. */
portal_result recon_open_change(db_conn *db, const portal_actor *actor, const char *id,
                                recon_head *h, int *own, portal_outcome *o);

/* The end of a change whose work returned rc: commits on PORTAL_OK;
 * otherwise, or when the commit fails, rolls back, frees *json (json may be
 * NULL) and records the failure in o with code (NULL: the default). */
portal_result recon_end_change(db_conn *db, int own, portal_result rc, char **json,
                               portal_outcome *o, const char *code);

/* Marks reconciliation h changed and records action with changes in the
 * audit log. Takes changes (NULL, from a json_pack that failed, gives
 * PORTAL_ERR_MEMORY). */
portal_result recon_touch_audit(db_conn *db, const portal_actor *actor, const char *action,
                                const recon_head *h, json_t *changes);

/* Records an audit event in the employer's log (changes borrowed). */
portal_result recon_audit(db_conn *db, const portal_actor *actor, const char *action,
                          const recon_head *h, json_t *changes);

/* The signed-in user's id, or NULL (API tokens and the system). */
const char *recon_user(const portal_actor *actor);

/* 1 when the actor is insurer staff (may open and reopen). */
int recon_is_staff(const portal_actor *actor);

/*
 * recon_access -- loads the head of reconciliation id (locked FOR UPDATE
 * when lock) and checks capability on its scheme: PORTAL_ERR_NOT_FOUND when
 * absent or invisible, PORTAL_ERR_DENIED when visible without it, recorded
 * in o. A NULL caller (a job) passes.
 */
portal_result recon_access(db_conn *db, const portal_actor *actor, const char *id,
                           const char *capability, int lock, recon_head *h, portal_outcome *o);

/* 409 reconciliation_submitted unless the reconciliation is open. */
portal_result recon_require_open(const recon_head *h, portal_outcome *o);

/* Checks a decimal field: absent and required gives "required", a value
 * that does not parse by spec "invalid_format"; *out gets the value. */
void recon_check_decimal(portal_outcome *o, const char *field, const char *text, int required,
                         const decimal_spec *spec, int64_t *out);

/* Checks a date field the same way. */
void recon_check_date(portal_outcome *o, const char *field, const char *text, int required,
                      civil_date *out);

/* The description of a rule in the actor's language. */
const char *recon_rule_text(const portal_actor *actor, const recon_rules_definition *d);

/* The JSON Pointer of a problem with employee and report indexes replaced
 * by their ids (l may be NULL for parameter problems only). */
void recon_pointer(const recon_rules_problem *p, const recon_loaded *l, char *out, size_t size);

/* Copies the file (from its start) into a new blob in the open
 * transaction; sha_hex (65 bytes, may be NULL) gets its SHA-256. */
portal_result recon_store_file(db_conn *db, FILE *f, char blob_id[PORTAL_ID_LEN], long long *size,
                               char *sha_hex);

#endif
