/*
 * workflows/account_care.h: what an organisation's administrators (and
 * insurer staff) do for the accounts they look after (seed 002 §4-5, seed
 * 003), each audited in the user's organisation and told to the user by
 * mail:
 *   - reset a user's second factor: the user links a new authenticator at
 *     the next login, and their open sessions end;
 *   - release a user held back by the sign-in throttle;
 *   - hand the main administrator role to another administrator (only the
 *     main administrator, or staff);
 *   - hand the responsibility for an external user to another administrator
 *     (the main administrator, the one responsible now, or staff).
 *
 * Who may: staff for every user; otherwise an administrator (users.manage)
 * of the user's organisation whose scheme scope covers the user's. Another
 * organisation's user, or one outside the caller's scope, is "not found";
 * a caller of the organisation without users.manage is "denied".
 */
#ifndef PORTAL_WORKFLOWS_ACCOUNT_CARE_H
#define PORTAL_WORKFLOWS_ACCOUNT_CARE_H

#include "workflows/workflow.h"

typedef enum {
    CARE_RESET_SECOND_FACTOR,
    CARE_RELEASE_LOGIN,
    CARE_MAKE_MAIN_ADMINISTRATOR
} care_action;

/*
 * account_care_apply -- runs action on user_id in its own transaction.
 * login_url is the portal's address for the mail. PORTAL_ERR_NOT_FOUND,
 * PORTAL_ERR_DENIED, PORTAL_ERR_CONFLICT ("main_administrator_ineligible":
 * the user is not an active, internal administrator), PORTAL_ERR_DATABASE.
 */
PORTAL_MUST_USE portal_result account_care_apply(db_conn *db, const portal_actor *actor,
                                                 care_action action, const char *user_id,
                                                 const char *login_url, portal_outcome *o);

/* Who invited the user, who answers for them (external users) and who is the
 * main administrator, as JSON text (*json, caller frees). Same access as
 * above. */
PORTAL_MUST_USE portal_result account_care_responsibility(db_conn *db, const portal_actor *actor,
                                                          const char *user_id, portal_outcome *o,
                                                          char **json);

/* The same for every external user of the caller's organisation (staff:
 * of organisation_id, required for them). Needs users.manage. */
PORTAL_MUST_USE portal_result account_care_external_users(db_conn *db, const portal_actor *actor,
                                                          const char *organisation_id,
                                                          portal_outcome *o, char **json);

/* Hands the responsibility for external user user_id to responsible_id.
 * PORTAL_ERR_CONFLICT "not_external_user"; PORTAL_ERR_INVALID with
 * /responsible_user_id unknown_id (not an active internal administrator
 * of the organisation); as above otherwise. */
PORTAL_MUST_USE portal_result account_care_hand_over(db_conn *db, const portal_actor *actor,
                                                     const char *user_id,
                                                     const char *responsible_id,
                                                     const char *login_url, portal_outcome *o,
                                                     char **json);

#endif
