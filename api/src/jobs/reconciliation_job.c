/* jobs/reconciliation_job.c: see reconciliation_job.h. */
#include "jobs/reconciliation_job.h"

#include <jansson.h>

#include "workflows/reconciliations.h"

portal_result reconciliation_job_run(db_conn *db, const portal_config *cfg, const char *payload)
{
    (void)cfg;
    json_t *root = json_loads(payload ? payload : "", 0, NULL);
    const char *id = json_string_value(json_object_get(root, "reconciliation_id"));
    json_t *version = json_object_get(root, "version");
    portal_result rc = id && json_is_integer(version)
                           ? recon_process(db, id, (int)json_integer_value(version))
                           : PORTAL_ERR_INVALID;
    json_decref(root);
    return rc;
}
