/*
 * workflows/activation.h: an invited user activates the account (DESIGN.md
 * §4.1): the invitation link's token and the e-mail address get a
 * verification code (by mail or SMS); the code, a username and a password
 * activate the account.
 *
 * Every answer a live code buys counts against it: a wrong code, and a
 * "username taken" (so the code cannot be used to probe usernames without
 * limit). After five such tries the code is dead.
 */
#ifndef PORTAL_WORKFLOWS_ACTIVATION_H
#define PORTAL_WORKFLOWS_ACTIVATION_H

#include "workflows/workflow.h"

typedef struct {
    const char *token; /* the invitation link's token */
    const char *email;
    int sms; /* send the code by SMS instead of mail */
} activation_code_input;

/* Sends a new verification code. PORTAL_OK; otherwise o: token_invalid
 * (/token), validation_failed (/email, /channel), too_many_attempts (the
 * account's message limit), service_unavailable. Its own transaction. */
PORTAL_MUST_USE portal_result activation_send_code(const portal_actor *actor, db_conn *db,
                                                   const activation_code_input *in,
                                                   portal_outcome *o);

typedef struct {
    const char *token;
    const char *code;
    const char *username;
    const char *password;
    const char *public_url; /* base of the login link in the mail */
} activation_input;

/* Activates the account: PORTAL_OK with user_id. Otherwise o: token_invalid,
 * code_invalid (/code), validation_failed (/username), password_rejected
 * (/password), username_taken (409, counted against the code). Its own
 * transaction. */
PORTAL_MUST_USE portal_result activation_complete(const portal_actor *actor, db_conn *db,
                                                  const activation_input *in,
                                                  char user_id[PORTAL_ID_LEN], portal_outcome *o);

/* 1 when a username is 3 to 64 of letters, digits and . _ - @. */
int activation_username_ok(const char *username);

#endif
