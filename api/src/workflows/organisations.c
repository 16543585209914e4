/* workflows/organisations.c: see organisations.h. */
#include "workflows/organisations.h"

#include <stdlib.h>
#include <string.h>

/* Every licensable right: what an office registered without licences gets. */
static const char ALL_LICENCES[] = "{beleggingsobjecten,betaalrekeningen,consumptief_krediet,"
                                   "elektronisch_geld,hypothecair_krediet,inkomensverzekering,"
                                   "pensioenverzekering,premiepensioenvorderingen,"
                                   "schadeverzekeringen_particulier,schadeverzekeringen_zakelijk,"
                                   "spaarrekeningen,vermogen,zorgverzekeringen}";

portal_result organisation_register(const portal_actor *actor, db_conn *db,
                                    const organisation_fields *f, char id[PORTAL_ID_LEN],
                                    char **json, portal_outcome *o)
{
    *json = NULL;
    id[0] = '\0';
    organisation_fields fields = *f;
    if (fields.kind && strcmp(fields.kind, "intermediary") == 0 && !fields.licences)
        fields.licences = ALL_LICENCES;
    portal_result rc = organisations_create(db, &fields, id);
    json_t *changes = json_pack("{s:s?, s:s?}", "kind", fields.kind, "name", fields.name);
    if (rc == PORTAL_OK)
        rc = changes ? workflow_audit(db, actor, NULL, "organisation.created", "organisation", id,
                                      id, changes)
                     : PORTAL_ERR_MEMORY;
    json_decref(changes);
    if (rc == PORTAL_OK)
        rc = organisations_get_json(db, id, json, NULL);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result organisation_change(const portal_actor *actor, db_conn *db, const char *id,
                                  const organisation_fields *f, int expected_version,
                                  const char *action, json_t *audit, portal_outcome *o)
{
    char *json = NULL;
    int version = 0;
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = organisations_get_json(db, id, &json, &version);
    free(json);
    if (rc == PORTAL_OK && expected_version >= 0 && version != expected_version)
        rc = PORTAL_ERR_PRECONDITION;
    if (rc == PORTAL_OK)
        rc = organisations_update(db, id, f);
    rc = workflow_finish(actor, db, rc, action, "organisation", id, id,
                         audit ? json_deep_copy(audit) : NULL);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}
