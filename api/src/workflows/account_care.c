/* workflows/account_care.c: see account_care.h. */
#include "workflows/account_care.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "auth/access.h"
#include "base/uuid.h"
#include "formats/account_care_mail.h"
#include "store/account_care.h"
#include "store/audit.h"
#include "store/outbox.h"

static int care_is_staff(const portal_caller *c)
{
    return c && access_can(c, "organisations.manage");
}

/* Loads the target and checks the actor may look after it. */
static portal_result care_open(db_conn *db, const portal_actor *actor, const char *user_id,
                               care_user *u, portal_outcome *o)
{
    const portal_caller *c = actor->caller;
    portal_result rc = care_user_get(db, user_id, u);
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc, NULL);
    if (care_is_staff(c))
        return PORTAL_OK;
    if (!c || strcmp(u->organisation_id, c->organisation_id) != 0 ||
        !access_scope_covers(c, u->all_schemes, u->scheme_ids, u->n_schemes))
        return outcome_fail(o, PORTAL_ERR_NOT_FOUND, NULL);
    if (!access_can(c, "users.manage"))
        return outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    return PORTAL_OK;
}

/* Records action on the user in the user's organisation's audit log. */
static portal_result care_audit(db_conn *db, const portal_actor *actor, const char *action,
                                const care_user *u, json_t *changes)
{
    const portal_caller *c = actor->caller;
    audit_entry e;
    memset(&e, 0, sizeof e);
    if (c && c->kind != CALLER_NONE) {
        e.actor_user_id = c->user_id;
        e.actor_label = care_is_staff(c) ? "staff" : "user";
    } else {
        e.actor_label = "system";
    }
    e.organisation_id = u->organisation_id;
    e.action = action;
    e.target_type = "user";
    e.target_id = u->id;
    e.request_id = actor->request_id;
    e.client_address = actor->client_address;
    e.changes = changes;
    return audit_record(db, &e);
}

/* Queues the mail of kind to u. */
static portal_result care_notify(db_conn *db, const care_user *u, care_mail_kind kind,
                                 const char *other, const char *organisation, const char *login_url)
{
    mail_text *m = calloc(1, sizeof *m);
    if (!m)
        return PORTAL_ERR_MEMORY;
    portal_result rc =
        care_mail(u->language, kind, u->first_name, other, organisation, login_url, m);
    if (rc == PORTAL_OK)
        rc = outbox_mail(db, u->email, m);
    free(m);
    return rc;
}

/* "First Last" of u into out. */
static void care_name(const care_user *u, char *out, size_t size)
{
    snprintf(out, size, "%s %s", u->first_name, u->last_name);
}

/* The main-administrator handover inside the open transaction. */
static portal_result care_main_admin(db_conn *db, const portal_actor *actor, const care_user *u,
                                     const char *organisation, const char *login_url,
                                     portal_outcome *o)
{
    char current[PORTAL_ID_LEN];
    portal_result rc = care_main_administrator(db, u->organisation_id, current);
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc, NULL);
    if (!care_is_staff(actor->caller) && strcmp(current, actor->caller->user_id) != 0)
        return outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    if (!u->administrator || u->external || strcmp(u->status, "active") != 0)
        return outcome_fail(o, PORTAL_ERR_CONFLICT, "main_administrator_ineligible");
    if (strcmp(current, u->id) == 0)
        return PORTAL_OK;
    rc = care_set_main_administrator(db, u->organisation_id, u->id);
    json_t *changes = json_pack("{s:{s:s?, s:s}}", "main_administrator", "from",
                                current[0] ? current : NULL, "to", u->id);
    if (rc == PORTAL_OK)
        rc = changes ? care_audit(db, actor, "organisation.main_administrator_changed", u, changes)
                     : PORTAL_ERR_MEMORY;
    json_decref(changes);
    char new_name[300], old_name[300] = "";
    care_name(u, new_name, sizeof new_name);
    care_user old;
    int have_old = current[0] && care_user_get(db, current, &old) == PORTAL_OK;
    if (have_old)
        care_name(&old, old_name, sizeof old_name);
    if (rc == PORTAL_OK)
        rc = care_notify(db, u, CARE_MAIL_MAIN_ADMIN_GIVEN, have_old ? old_name : "-", organisation,
                         login_url);
    if (rc == PORTAL_OK && have_old)
        rc = care_notify(db, &old, CARE_MAIL_MAIN_ADMIN_HANDED, new_name, organisation, login_url);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result account_care_apply(db_conn *db, const portal_actor *actor, care_action action,
                                 const char *user_id, const char *login_url, portal_outcome *o)
{
    outcome_init(o);
    care_user u;
    if (care_open(db, actor, user_id, &u, o) != PORTAL_OK)
        return o->rc;
    char organisation[400];
    if (care_organisation_name(db, u.organisation_id, organisation, sizeof organisation) !=
            PORTAL_OK ||
        db_begin(db) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    portal_result rc = PORTAL_OK;
    switch (action) {
    case CARE_RESET_SECOND_FACTOR:
        rc = care_reset_second_factor(db, u.id);
        if (rc == PORTAL_OK)
            rc = care_audit(db, actor, "user.second_factor_reset", &u, NULL);
        if (rc == PORTAL_OK)
            rc = care_notify(db, &u, CARE_MAIL_SECOND_FACTOR_RESET, NULL, organisation, login_url);
        if (rc != PORTAL_OK)
            outcome_fail(o, rc, NULL);
        break;
    case CARE_RELEASE_LOGIN: {
        int released = 0;
        rc = u.username[0] ? care_release_throttle(db, u.username, &released) : PORTAL_OK;
        json_t *changes = json_pack("{s:b}", "released", released);
        if (rc == PORTAL_OK)
            rc = changes ? care_audit(db, actor, "user.login_released", &u, changes)
                         : PORTAL_ERR_MEMORY;
        json_decref(changes);
        if (rc == PORTAL_OK && released)
            rc = care_notify(db, &u, CARE_MAIL_LOGIN_RELEASED, NULL, organisation, login_url);
        if (rc != PORTAL_OK)
            outcome_fail(o, rc, NULL);
        break;
    }
    case CARE_MAKE_MAIN_ADMINISTRATOR:
        rc = care_main_admin(db, actor, &u, organisation, login_url, o);
        break;
    }
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        if (o->rc == PORTAL_OK)
            outcome_fail(o, rc, NULL);
        return o->rc;
    }
    return PORTAL_OK;
}

portal_result account_care_responsibility(db_conn *db, const portal_actor *actor,
                                          const char *user_id, portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    care_user u;
    if (care_open(db, actor, user_id, &u, o) != PORTAL_OK)
        return o->rc;
    portal_result rc = care_responsibility(db, u.id, json);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result account_care_external_users(db_conn *db, const portal_actor *actor,
                                          const char *organisation_id, portal_outcome *o,
                                          char **json)
{
    outcome_init(o);
    *json = NULL;
    const portal_caller *c = actor->caller;
    const char *org = c ? c->organisation_id : NULL;
    if (care_is_staff(c)) {
        if (!organisation_id) {
            outcome_add_error(o, "organisation_id", "required", NULL);
            return outcome_fail(o, PORTAL_ERR_MALFORMED, "invalid_request");
        }
        org = organisation_id;
    } else if (!c || !access_can(c, "users.manage")) {
        return outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    }
    portal_result rc = care_external_users(db, org, json);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result account_care_hand_over(db_conn *db, const portal_actor *actor, const char *user_id,
                                     const char *responsible_id, const char *login_url,
                                     portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    care_user u, to;
    if (care_open(db, actor, user_id, &u, o) != PORTAL_OK)
        return o->rc;
    if (!u.external)
        return outcome_fail(o, PORTAL_ERR_CONFLICT, "not_external_user");
    if (!responsible_id) {
        outcome_add_error(o, "/responsible_user_id", "required", NULL);
        return outcome_fail(o, PORTAL_ERR_MALFORMED, "invalid_request");
    }
    portal_result rc = care_user_get(db, responsible_id, &to);
    if (rc == PORTAL_ERR_DATABASE)
        return outcome_fail(o, rc, NULL);
    if (rc != PORTAL_OK || strcmp(to.organisation_id, u.organisation_id) != 0 ||
        !to.administrator || to.external || strcmp(to.status, "active") != 0) {
        outcome_add_error(o, "/responsible_user_id", "unknown_id", NULL);
        return outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    }
    char main_admin[PORTAL_ID_LEN], organisation[400];
    char *current = NULL;
    rc = care_main_administrator(db, u.organisation_id, main_admin);
    if (rc == PORTAL_OK)
        rc = care_responsibility(db, u.id, &current);
    if (rc == PORTAL_OK)
        rc = care_organisation_name(db, u.organisation_id, organisation, sizeof organisation);
    if (rc != PORTAL_OK) {
        free(current);
        return outcome_fail(o, rc, NULL);
    }
    json_t *now = json_loads(current, 0, NULL);
    free(current);
    const char *responsible =
        json_string_value(json_object_get(json_object_get(now, "responsible"), "id"));
    const char *me = actor->caller ? actor->caller->user_id : "";
    int allowed = care_is_staff(actor->caller) || strcmp(main_admin, me) == 0 ||
                  (responsible && strcmp(responsible, me) == 0);
    json_t *changes =
        json_pack("{s:{s:s?, s:s}}", "responsible_user_id", "from", responsible, "to", to.id);
    json_decref(now);
    if (!allowed) {
        json_decref(changes);
        return outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    }
    char name[300];
    care_name(&u, name, sizeof name);
    rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = care_set_responsible(db, u.id, to.id);
    if (rc == PORTAL_OK)
        rc = changes ? care_audit(db, actor, "user.responsibility_handed_over", &u, changes)
                     : PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK)
        rc = care_notify(db, &to, CARE_MAIL_RESPONSIBLE_GIVEN, name, organisation, login_url);
    if (rc == PORTAL_OK)
        rc = care_responsibility(db, u.id, json);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    json_decref(changes);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        free(*json);
        *json = NULL;
        return outcome_fail(o, rc, NULL);
    }
    return PORTAL_OK;
}
