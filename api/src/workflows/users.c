/* workflows/users.c: see users.h. */
#include "workflows/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "auth/tokens.h"
#include "base/crypto.h"
#include "formats/mail_templates.h"
#include "store/credentials.h"
#include "store/organisations.h"
#include "store/outbox.h"
#include "store/pg_array.h"
#include "store/users.h"

/* Queues an invitation mail with a new link for user_id, in the caller's
 * transaction. */
static portal_result send_invitation(db_conn *db, const char *public_url, const char *user_id,
                                     const char *first_name, const char *email, const char *org_id)
{
    char token[80];
    char *org_json = NULL;
    mail_text mail;
    portal_result rc = crypto_random_token("inv_", 32, token, sizeof token);
    if (rc == PORTAL_OK) {
        char hash[65];
        tokens_hash(token, hash);
        rc = invitations_create(db, user_id, hash);
    }
    if (rc == PORTAL_OK)
        rc = organisations_get_json(db, org_id, &org_json, NULL);
    json_t *org = org_json ? json_loads(org_json, 0, NULL) : NULL;
    const char *org_name = json_string_value(json_object_get(org, "name"));
    if (rc == PORTAL_OK) {
        char link[800];
        snprintf(link, sizeof link, "%s/activate?token=%s", public_url ? public_url : "", token);
        rc = mail_invitation("nl", first_name, org_name ? org_name : "", link, &mail);
    }
    if (rc == PORTAL_OK)
        rc = outbox_mail(db, email, &mail);
    json_decref(org);
    free(org_json);
    return rc;
}

portal_result users_invite(const portal_actor *actor, db_conn *db, const user_invite_input *in,
                           user_invited *out, portal_outcome *o)
{
    memset(out, 0, sizeof *out);
    portal_result rc = users_create(db, in->organisation_id, in->first_name, in->last_name,
                                    in->email, in->mobile, NULL, out->id);
    if (rc == PORTAL_OK && in->rights)
        rc = user_admin_set_rights(db, out->id, in->rights);
    if (rc == PORTAL_OK)
        rc = user_admin_update(db, out->id, NULL, NULL, NULL, !in->scope_all,
                               in->scope_all ? NULL : in->scope, in->expires != NULL, in->expires);
    if (rc == PORTAL_OK)
        rc = send_invitation(db, in->public_url, out->id, in->first_name, in->email,
                             in->organisation_id);
    if (rc == PORTAL_OK)
        rc = user_admin_get(db, out->id, &out->json, &out->row);
    json_t *changes = out->json ? json_loads(out->json, 0, NULL) : NULL;
    if (rc == PORTAL_OK)
        rc = workflow_audit(db, actor, NULL, "user.invited", "user", out->id, in->organisation_id,
                            changes);
    json_decref(changes);
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    free(out->json);
    out->json = NULL;
    return outcome_fail(o, rc, NULL);
}

portal_result users_invite_staff(const portal_actor *actor, db_conn *db,
                                 const staff_invite_input *in, char user_id[PORTAL_ID_LEN],
                                 portal_outcome *o)
{
    char org[PORTAL_ID_LEN];
    rights_set rights;
    rights_set_init(&rights);
    portal_result rc = rights_set_add(&rights, "staff");
    if (rc == PORTAL_OK)
        rc = db_begin(db);
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc, NULL);
    rc = organisations_ensure_insurer(db, in->insurer_name, org);
    user_invited made;
    memset(&made, 0, sizeof made);
    if (rc == PORTAL_OK) {
        user_invite_input u = {.organisation_id = org,
                               .first_name = in->first_name,
                               .last_name = in->last_name,
                               .email = in->email,
                               .mobile = in->mobile,
                               .rights = &rights,
                               .scope_all = 1,
                               .public_url = in->public_url};
        rc = users_invite(actor, db, &u, &made, o);
    }
    free(made.json);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        return o->rc != PORTAL_OK ? o->rc : outcome_fail(o, rc, NULL);
    }
    snprintf(user_id, PORTAL_ID_LEN, "%s", made.id);
    return PORTAL_OK;
}

portal_result users_resend_invitation(const portal_actor *actor, db_conn *db, const char *user_id,
                                      const char *public_url, portal_outcome *o)
{
    char *json = NULL;
    user_admin_row row;
    portal_result rc = user_admin_get(db, user_id, &json, &row);
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc, NULL);
    json_t *user = json_loads(json, 0, NULL);
    free(json);
    if (strcmp(row.status, "invited") != 0) {
        json_decref(user);
        return outcome_fail(o, PORTAL_ERR_CONFLICT, NULL);
    }
    rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = send_invitation(
            db, public_url, row.id, json_string_value(json_object_get(user, "first_name")),
            json_string_value(json_object_get(user, "email")), row.organisation_id);
    json_decref(user);
    rc = workflow_finish(actor, db, rc, "user.invitation_resent", "user", row.id,
                         row.organisation_id, NULL);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result users_keep_an_admin(db_conn *db, const user_admin_row *row, portal_outcome *o)
{
    if (!rights_set_contains(&row->rights, "user_management") || strcmp(row->status, "active"))
        return PORTAL_OK;
    int others = 0;
    if (user_admin_other_admins(db, row->organisation_id, row->id, &others) != PORTAL_OK ||
        others == 0)
        return outcome_fail(o, PORTAL_ERR_CONFLICT, "last_administrator");
    return PORTAL_OK;
}

portal_result users_change(const portal_actor *actor, db_conn *db, const user_admin_row *row,
                           const user_change_input *in, portal_outcome *o)
{
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK && in->rights)
        rc = user_admin_set_rights(db, row->id, in->rights);
    if (rc == PORTAL_OK)
        rc = user_admin_update(db, row->id, in->first_name, in->last_name, in->mobile,
                               in->scope_present, in->scope_all ? NULL : in->scope,
                               in->expiry_present, in->expires);
    if (rc == PORTAL_OK && in->status && strcmp(in->status, row->status) != 0)
        rc = user_admin_set_status(db, row->id, in->status);
    rc = workflow_finish(actor, db, rc, "user.changed", "user", row->id, row->organisation_id,
                         in->audit ? json_deep_copy(in->audit) : NULL);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result users_remove(const portal_actor *actor, db_conn *db, const user_admin_row *row,
                           portal_outcome *o)
{
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = user_admin_delete(db, row->id);
    rc =
        workflow_finish(actor, db, rc, "user.deleted", "user", row->id, row->organisation_id, NULL);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

/* The rights an organisation may hold at all: the licences of an office
 * plus its rights that need no licence; every right of other kinds. */
static portal_result licensed_rights(db_conn *db, const char *org_id, const char *kind,
                                     rights_set *out)
{
    access_all_rights(kind, out);
    if (strcmp(kind, "intermediary") != 0)
        return PORTAL_OK;
    char lic[2048];
    portal_result rc = organisations_licences(db, org_id, lic, sizeof lic);
    if (rc != PORTAL_OK)
        return rc;
    rights_set all = *out;
    rights_set_init(out);
    for (size_t i = 0; i < all.count; i++)
        if (pg_array_contains(lic, all.ids[i]) || !access_right_licensable(kind, all.ids[i]))
            rights_set_add(out, all.ids[i]);
    return PORTAL_OK;
}

portal_result users_check_grant(const portal_caller *caller, db_conn *db, const char *org_id,
                                const char *kind, rights_set *requested, const rights_set *current,
                                int new_user, rights_verdict *verdict)
{
    memset(verdict, 0, sizeof *verdict);
    verdict->kind = RIGHTS_VERDICT_OK;
    rights_set licensed, granter;
    portal_result rc = licensed_rights(db, org_id, kind, &licensed);
    if (rc != PORTAL_OK)
        return rc;
    if (access_can(caller, "organisations.manage") || access_can(caller, "rights.grant_all")) {
        granter = licensed;
    } else {
        rights_set_init(&granter);
        for (int i = 0; i < caller->n_rights; i++)
            if (rights_set_add(&granter, caller->rights[i]) != PORTAL_OK)
                return PORTAL_ERR_INTERNAL;
    }
    const rights_rules *rules = access_rules_for(kind);
    /* The first administrator of an office gets the maximum (seed 000 §7). */
    int has_admin = 1;
    if (new_user && strcmp(kind, "intermediary") == 0 &&
        rights_set_contains(requested, "user_management") &&
        organisations_has_administrator(db, org_id, &has_admin) == PORTAL_OK && !has_admin) {
        static const char *const always[] = {"advieskansen"};
        rights_first_administrator(rules, &licensed, always, 1, requested);
        return rights_set_add(requested, "user_management") == PORTAL_OK ? PORTAL_OK
                                                                         : PORTAL_ERR_INTERNAL;
    }
    return rights_check_grant(rules, requested, current, &licensed, &granter, verdict);
}
