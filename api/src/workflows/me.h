/*
 * workflows/me.h: what signed-in users change about their own account:
 * profile and preferences, a new e-mail address (confirmed with a mailed
 * code), the password, and new recovery codes. The actor's caller is the
 * user; every step audits on the user and queues a security notice where
 * DESIGN.md asks for one. Password and code checks keep the sign-in
 * throttle (signin_guard.h).
 */
#ifndef PORTAL_WORKFLOWS_ME_H
#define PORTAL_WORKFLOWS_ME_H

#include "auth/recovery.h"
#include "auth/tokens.h"
#include "workflows/workflow.h"

typedef struct {
    const char *first_name; /* NULL: unchanged (each of them) */
    const char *last_name;
    const char *language; /* nl | en */
    const char *theme;    /* light | dark */
    const char *email;    /* a new address gets a confirmation code */
} me_profile_input;

/* Checks every field at once and changes the profile; a new e-mail address
 * is only pending (*email_pending set) until confirmed. PORTAL_OK;
 * validation_failed with every field error, too_many_attempts (e-mail code
 * limit: nothing changes), unauthorized, service_unavailable in o. Its own
 * transaction. */
PORTAL_MUST_USE portal_result me_profile_change(const portal_actor *actor, db_conn *db,
                                                const me_profile_input *in, int *email_pending,
                                                portal_outcome *o);

/* Confirms a pending e-mail address with its code (the old address hears
 * of it). PORTAL_OK; code_invalid (/code) in o. Its own transaction. */
PORTAL_MUST_USE portal_result me_email_confirm(const portal_actor *actor, db_conn *db,
                                               const char *code, portal_outcome *o);

typedef struct {
    const char *current_password;
    const char *new_password;
    int cookie; /* the session keeps its refresh token in a cookie */
} me_password_input;

/* Changes the password, ends the user's other sessions and gives this one
 * fresh tokens (*tokens, cleared by the caller). PORTAL_OK;
 * invalid_credentials (/current_password), password_rejected
 * (/new_password), too_many_attempts in o. Its own transaction. */
PORTAL_MUST_USE portal_result me_password_change(const portal_actor *actor, db_conn *db,
                                                 const me_password_input *in, token_set *tokens,
                                                 portal_outcome *o);

/* Replaces the recovery codes after a valid TOTP code; the new ones go to
 * codes. PORTAL_OK; mfa_invalid (/code), too_many_attempts in o. */
PORTAL_MUST_USE portal_result
me_recovery_codes_renew(const portal_actor *actor, db_conn *db, const char *code,
                        char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE], portal_outcome *o);

#endif
