/* jobs/batch_job.c: see batch_job.h. */
#include "jobs/batch_job.h"

#include <stdio.h>

#include <jansson.h>

#include "base/caller.h"
#include "base/uuid.h"
#include "workflows/batches.h"

/* Copies the payload's batch id into id; 0 when it has none. */
static int batch_payload_id(const char *payload, char id[PORTAL_ID_LEN])
{
    json_t *p = json_loads(payload, JSON_REJECT_DUPLICATES, NULL);
    const char *pid = json_string_value(json_object_get(p, "batch_id"));
    int ok = pid && uuid_valid(pid);
    if (ok)
        snprintf(id, PORTAL_ID_LEN, "%s", pid);
    json_decref(p);
    return ok;
}

portal_result batch_job_run(db_conn *db, const portal_config *cfg, const char *payload)
{
    char id[PORTAL_ID_LEN];
    if (!batch_payload_id(payload, id))
        return PORTAL_ERR_INVALID;
    return batch_process(db, cfg, id);
}

void batch_job_give_up(db_conn *db, const portal_config *cfg, const char *payload)
{
    char id[PORTAL_ID_LEN];
    if (batch_payload_id(payload, id))
        batch_give_up(db, cfg, id);
}
