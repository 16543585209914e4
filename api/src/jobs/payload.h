/*
 * jobs/payload.h: the one field a job's JSON payload names its work by: a
 * UUID (a batch, an export) or a positive whole number (a mail or SMS in
 * the outbox). A payload that is not a JSON object holding that field, or
 * holds a duplicate key, names nothing.
 */
#ifndef PORTAL_JOBS_PAYLOAD_H
#define PORTAL_JOBS_PAYLOAD_H

#include "base/caller.h"

/* Copies the UUID in payload's field into id; 1 when there is one, else 0
 * (id untouched). payload may be NULL. */
int job_payload_id(const char *payload, const char *field, char id[PORTAL_ID_LEN]);

/* The positive whole number in payload's field, or 0 when there is none
 * (no such field, not a number, zero or negative). payload may be NULL. */
long long job_payload_number(const char *payload, const char *field);

#endif
