/*
 * workflows/users.h: inviting users into an organisation, for the users
 * resource (an administrator or staff member invites someone) and the
 * command line (create-staff invites insurer staff). An invitation is a new
 * user with status "invited", its rights, scheme scope and expiry, a
 * single-use link mailed to it (<public_url>/activate?token=T, valid seven
 * days) and the audit event user.invited. The access checks (who may grant
 * which rights) are the caller's: the resource has made them first.
 */
#ifndef PORTAL_WORKFLOWS_USERS_H
#define PORTAL_WORKFLOWS_USERS_H

#include "domain/rights_rules.h"
#include "store/user_admin.h"
#include "workflows/workflow.h"

typedef struct {
    const char *organisation_id;
    const char *first_name;
    const char *last_name;
    const char *email;
    const char *mobile; /* or NULL */
    const rights_set *rights;
    int scope_all;          /* 1: every scheme of the organisation */
    const char *scope;      /* a uuid[] literal when !scope_all */
    const char *expires;    /* an RFC 3339 instant, or NULL: no expiry */
    const char *public_url; /* base of the activation link */
} user_invite_input;

/* What an invitation made: the user's id, its JSON text (malloc'd, the
 * caller frees it) and key facts. */
typedef struct {
    char id[PORTAL_ID_LEN];
    char *json;
    user_admin_row row;
} user_invited;

/*
 * users_invite -- invites a user, in the caller's open transaction (which
 * the caller commits or rolls back). PORTAL_OK with *out filled (free
 * out->json). PORTAL_ERR_CONFLICT (an e-mail address or name the store
 * refuses), PORTAL_ERR_DATABASE, PORTAL_ERR_INTERNAL in o.
 */
PORTAL_MUST_USE portal_result users_invite(const portal_actor *actor, db_conn *db,
                                           const user_invite_input *in, user_invited *out,
                                           portal_outcome *o);

typedef struct {
    const char *insurer_name; /* the insurer organisation, made when missing */
    const char *first_name;
    const char *last_name;
    const char *email;
    const char *mobile; /* or NULL */
    const char *public_url;
} staff_invite_input;

/* Invites an insurer staff member (right "staff", every scheme) in its own
 * transaction, making the insurer organisation first when there is none.
 * PORTAL_OK with user_id; otherwise o says why (nothing is left behind). */
PORTAL_MUST_USE portal_result users_invite_staff(const portal_actor *actor, db_conn *db,
                                                 const staff_invite_input *in,
                                                 char user_id[PORTAL_ID_LEN], portal_outcome *o);

/* Mails user_id a fresh invitation (earlier links die) in its own
 * transaction and audits user.invitation_resent. PORTAL_ERR_CONFLICT when
 * the user is no longer invited; PORTAL_ERR_NOT_FOUND; PORTAL_ERR_DATABASE. */
PORTAL_MUST_USE portal_result users_resend_invitation(const portal_actor *actor, db_conn *db,
                                                      const char *user_id, const char *public_url,
                                                      portal_outcome *o);

/*
 * users_check_grant -- may caller grant `requested` to a user of organisation
 * org_id (of kind) whose rights are now `current` (NULL for a new user)?
 * The organisation may hold only its licensed rights; staff and holders of
 * rights.grant_all grant any of those, others only their own; the kind's
 * combination rules apply. The first administrator of an office gets the
 * maximum: requested is widened, and the verdict is OK. PORTAL_OK with
 * *verdict; PORTAL_ERR_DATABASE or PORTAL_ERR_INTERNAL.
 */
PORTAL_MUST_USE portal_result users_check_grant(const portal_caller *caller, db_conn *db,
                                                const char *org_id, const char *kind,
                                                rights_set *requested, const rights_set *current,
                                                int new_user, rights_verdict *verdict);

/* The changes a PATCH of a user asks for; NULL / 0: unchanged. */
typedef struct {
    const rights_set *rights;
    const char *first_name;
    const char *last_name;
    const char *mobile;
    int scope_present, scope_all;
    const char *scope; /* a uuid[] literal when scope_present && !scope_all */
    int expiry_present;
    const char *expires; /* NULL: no expiry */
    const char *status;  /* active | locked */
    json_t *audit;       /* what the request said, for the audit event (borrowed) */
} user_change_input;

/* PORTAL_ERR_CONFLICT with code last_administrator when row is the last
 * active administrator (user_management) of its organisation (also when
 * that cannot be told); PORTAL_OK otherwise. */
PORTAL_MUST_USE portal_result users_keep_an_admin(db_conn *db, const user_admin_row *row,
                                                  portal_outcome *o);

/* Applies a change to the user row (already checked by the caller), in its
 * own transaction, and audits user.changed. */
PORTAL_MUST_USE portal_result users_change(const portal_actor *actor, db_conn *db,
                                           const user_admin_row *row, const user_change_input *in,
                                           portal_outcome *o);

/* Deletes the user row (its history stays), in its own transaction, and
 * audits user.deleted. */
PORTAL_MUST_USE portal_result users_remove(const portal_actor *actor, db_conn *db,
                                           const user_admin_row *row, portal_outcome *o);

#endif
