/*
 * workflows/workflow.h: the conventions every use case in this folder keeps.
 *
 * One function per use case (register a participant, submit a change,
 * decide a review, request an export, invite a user, sign in ...). HTTP
 * resources, background jobs, the command line and the demo seeder all call
 * the same function, so a rule, a history row, an audit event or a mail
 * happens the same way whoever asks. A use case:
 *
 *   - takes a portal_actor (base/caller.h: who asks, in which language) and
 *     a plain input struct of its own (already parsed: strings, dates,
 *     decimals), plus a db_conn;
 *   - runs in a transaction: when the caller has one open (a batch job
 *     applying rows) it works inside it, otherwise it opens and ends its own
 *     (see each function's contract: "in the caller's transaction" or "its
 *     own transaction");
 *   - returns a portal_result (marked PORTAL_MUST_USE) and fills a
 *     portal_outcome (base/outcome.h) with the stable problem code and every
 *     rule it found broken at once, plus the created or changed object in an
 *     output struct or JSON value the caller owns;
 *   - never includes ulfius or anything under http/ or resources/, never
 *     writes a response; SQL stays in store/, pure rules in domain/.
 *
 * Layer order (arrows point down only; scripts/check_layers.py keeps them,
 * with the table of what each folder may include):
 *   main.c, server.c, routes.c, cli.c
 *     -> resources/ (with http/), jobs/, demo/
 *       -> workflows/
 *         -> auth/ -> store/ -> formats/ -> domain/ -> base/
 * A resource file includes no other resource file; what several share
 * lives in http/ (HTTP side) or in a workflow (the use case side).
 */
#ifndef PORTAL_WORKFLOWS_WORKFLOW_H
#define PORTAL_WORKFLOWS_WORKFLOW_H

#include <jansson.h>

#include "base/caller.h"
#include "base/outcome.h"
#include "base/result.h"
#include "store/db.h"

/* The language of the actor, "nl" when none is set. */
const char *workflow_lang(const portal_actor *actor);

/*
 * workflow_audit -- records action on a target in db's open transaction,
 * as the actor: its user and API token, "staff", "user" or "api_token" as
 * label (label_override instead when given, e.g. "batch"; "system" when the
 * actor has no caller), its request id and client address. organisation_id
 * NULL means the caller's organisation. changes is borrowed (may be NULL).
 * Returns audit_record's result (the caller rolls back on failure).
 */
PORTAL_MUST_USE portal_result workflow_audit(db_conn *db, const portal_actor *actor,
                                             const char *label_override, const char *action,
                                             const char *target_type, const char *target_id,
                                             const char *organisation_id, json_t *changes);

#endif
