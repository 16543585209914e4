/*
 * store/account_care.h: what administrators do for their users' accounts
 * (seed 002 §4-5, seed 003): reset a second factor, release a sign-in
 * throttle, name the main administrator, and who answers for an external
 * user (migration 0013).
 */
#ifndef PORTAL_STORE_ACCOUNT_CARE_H
#define PORTAL_STORE_ACCOUNT_CARE_H

#include "base/caller.h"
#include "store/db.h"

/* The facts of one account the workflows decide on. */
typedef struct {
    char id[PORTAL_ID_LEN];
    char organisation_id[PORTAL_ID_LEN];
    char first_name[128];
    char last_name[128];
    char email[320];
    char username[72];
    char language[4];
    char status[16];
    int external;      /* expires_at is set */
    int administrator; /* holds user_management (or staff) */
    int all_schemes;
    int n_schemes;
    char scheme_ids[CALLER_MAX_SCOPE][PORTAL_ID_LEN];
} care_user;

/* A user not deleted. PORTAL_ERR_NOT_FOUND. */
portal_result care_user_get(db_conn *db, const char *id, care_user *out);

/* The name of organisation id into out ("" when unknown). */
portal_result care_organisation_name(db_conn *db, const char *id, char *out, size_t size);

/* Forgets the user's authenticator (secret, counter, enrolment) so the next
 * login enrols a new one, and ends the user's open sessions. */
portal_result care_reset_second_factor(db_conn *db, const char *user_id);

/* Drops the sign-in throttle counter of the username (case-insensitive).
 * *released is 1 when there was one. */
portal_result care_release_throttle(db_conn *db, const char *username, int *released);

/* The organisation's main administrator into out ("" when it has no active
 * administrator): the one named, else the longest-serving active
 * administrator. */
portal_result care_main_administrator(db_conn *db, const char *organisation_id,
                                      char out[PORTAL_ID_LEN]);

/* Names user_id the organisation's main administrator. */
portal_result care_set_main_administrator(db_conn *db, const char *organisation_id,
                                          const char *user_id);

/* Sets who answers for an external user. */
portal_result care_set_responsible(db_conn *db, const char *user_id, const char *responsible_id);

/*
 * care_responsibility -- JSON text (malloc'd into *json, caller frees) of
 * {user_id, name, external, expires_at, invited_by, responsible,
 * main_administrator}, each person {id, name} or null. The responsible of an
 * external user is the one named, else the inviter when they belong to the
 * organisation, else the main administrator. PORTAL_ERR_NOT_FOUND.
 */
portal_result care_responsibility(db_conn *db, const char *user_id, char **json);

/* The same object for every external user of the organisation (not
 * deleted), by name, at most 500, as a JSON array text. */
portal_result care_external_users(db_conn *db, const char *organisation_id, char **json);

#endif
