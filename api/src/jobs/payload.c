/* jobs/payload.c: see payload.h. */
#include "jobs/payload.h"

#include <stdio.h>

#include <jansson.h>

#include "base/uuid.h"

int job_payload_id(const char *payload, const char *field, char id[PORTAL_ID_LEN])
{
    json_t *p = payload ? json_loads(payload, JSON_REJECT_DUPLICATES, NULL) : NULL;
    const char *pid = json_string_value(json_object_get(p, field));
    int ok = pid && uuid_valid(pid);
    if (ok)
        snprintf(id, PORTAL_ID_LEN, "%s", pid);
    json_decref(p);
    return ok;
}

long long job_payload_number(const char *payload, const char *field)
{
    json_t *p = payload ? json_loads(payload, JSON_REJECT_DUPLICATES, NULL) : NULL;
    json_int_t n = p ? json_integer_value(json_object_get(p, field)) : 0;
    json_decref(p);
    return n > 0 ? (long long)n : 0;
}
