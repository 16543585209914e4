/* jobs/batch_job.c: see batch_job.h. */
#include "jobs/batch_job.h"

#include "base/caller.h"
#include "jobs/payload.h"
#include "workflows/batches.h"

portal_result batch_job_run(db_conn *db, const portal_config *cfg, const char *payload)
{
    char id[PORTAL_ID_LEN];
    if (!job_payload_id(payload, "batch_id", id))
        return PORTAL_ERR_INVALID;
    return batch_process(db, cfg, id);
}

void batch_job_give_up(db_conn *db, const portal_config *cfg, const char *payload)
{
    char id[PORTAL_ID_LEN];
    if (job_payload_id(payload, "batch_id", id))
        batch_give_up(db, cfg, id);
}
