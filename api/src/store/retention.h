/*
 * store/retention.h: privacy retention of former participants (AVG,
 * migration 0013). A dormant (pension) or ended (income) participant stays
 * fully visible to employer and office users for the scheme's
 * former_participant_months after the end of employment; after it they see
 * only participant_number, display_name, birth_date, employment_start,
 * employment_end and status (insurer staff still see everything). The
 * housekeeping job records when each participant passed the limit, and,
 * when the scheme states a legal period (pseudonymise_after_months),
 * pseudonymises the personal data no rule requires to keep.
 */
#ifndef PORTAL_STORE_RETENTION_H
#define PORTAL_STORE_RETENTION_H

#include "store/db.h"

/* Replaces *json (a participant's detail, malloc'd) by its reduced form when
 * the participant is past the limit now; leaves it otherwise. On failure
 * *json is left as it was and the caller must not send it. */
portal_result retention_reduce_detail(db_conn *db, const char *participant_id, char **json);

/* The same for changes: *json (malloc'd) is one change or an array of them
 * (PSQL_CHANGE_JSON); each change of a participant past the limit now keeps
 * of its data only what the reduced detail shows (a registration's display
 * name and dates of employment; no salary, address or family) and gains
 * "restricted": true. Left as it is when none is; on failure left as it was
 * and the caller must not send it. */
portal_result retention_reduce_changes(db_conn *db, char **json);

/*
 * retention_run -- one housekeeping pass (its own statements, each atomic):
 * marks participants that passed their scheme's limit (retention_limited_at,
 * audit event participant.retention_limited in the employer's log), then
 * pseudonymises those past the scheme's legal period that have no change
 * waiting for review (e-mail, address, first name, partner and children in
 * every period and change; audit participant.pseudonymised). Counts into
 * *limited and *pseudonymised.
 */
portal_result retention_run(db_conn *db, long long *limited, long long *pseudonymised);

/* A scheme's retention settings as JSON text {scheme_id,
 * former_participant_months, pseudonymise_after_months} (malloc'd).
 * PORTAL_ERR_NOT_FOUND. */
portal_result retention_scheme_get(db_conn *db, const char *scheme_id, char **json);

/* Sets them (pseudonymise NULL: never). PORTAL_ERR_NOT_FOUND. */
portal_result retention_scheme_set(db_conn *db, const char *scheme_id, const char *months,
                                   const char *pseudonymise);

#endif
