/*
 * workflows/retention.h: a scheme's privacy retention settings (AVG): how
 * many months after the end of employment a former participant stays fully
 * visible to employer and office users (former_participant_months, default
 * 12), and after how many months personal data no rule requires to keep is
 * pseudonymised (pseudonymise_after_months; null, the default: never). The
 * rule itself is applied in the store (store/retention.h).
 */
#ifndef PORTAL_WORKFLOWS_RETENTION_H
#define PORTAL_WORKFLOWS_RETENTION_H

#include "workflows/workflow.h"

/* The settings of a scheme the actor sees (schemes.read): JSON text in
 * *json (caller frees). PORTAL_ERR_NOT_FOUND, PORTAL_ERR_DENIED. */
PORTAL_MUST_USE portal_result retention_settings_get(db_conn *db, const portal_actor *actor,
                                                     const char *scheme_id, portal_outcome *o,
                                                     char **json);

/* Insurer staff (schemes.manage) change them: months 0..1200, pseudonymise
 * NULL or 1..2400 and not before months; audited as scheme.retention_changed.
 * PORTAL_ERR_INVALID with field errors, PORTAL_ERR_DENIED, NOT_FOUND. */
PORTAL_MUST_USE portal_result retention_settings_set(db_conn *db, const portal_actor *actor,
                                                     const char *scheme_id, long long months,
                                                     int has_pseudonymise, long long pseudonymise,
                                                     portal_outcome *o, char **json);

#endif
