/* jobs/payroll_job.c: see payroll_job.h. */
#include "jobs/payroll_job.h"

#include <jansson.h>

#include "workflows/payroll_periods.h"

portal_result payroll_job_run(db_conn *db, const portal_config *cfg, const char *payload)
{
    (void)cfg;
    json_t *root = json_loads(payload ? payload : "", JSON_REJECT_DUPLICATES, NULL);
    const char *id = json_string_value(json_object_get(root, "period_id"));
    json_t *revision = json_object_get(root, "revision");
    portal_result rc = id && json_is_integer(revision)
                           ? wf_payroll_process(db, id, (int)json_integer_value(revision))
                           : PORTAL_ERR_INVALID;
    json_decref(root);
    return rc;
}

void payroll_job_give_up(db_conn *db, const portal_config *cfg, const char *payload)
{
    (void)cfg;
    json_t *root = json_loads(payload ? payload : "", JSON_REJECT_DUPLICATES, NULL);
    wf_payroll_give_up(db, json_string_value(json_object_get(root, "period_id")));
    json_decref(root);
}
