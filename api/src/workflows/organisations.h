/*
 * workflows/organisations.h: the insurer registers employers and
 * intermediary offices and changes their details; any user changes the
 * postal address and contact person of their own organisation. The field
 * rules on the request and who may do which are the caller's; these make
 * the change, audit it and give the organisation back.
 */
#ifndef PORTAL_WORKFLOWS_ORGANISATIONS_H
#define PORTAL_WORKFLOWS_ORGANISATIONS_H

#include "store/organisations.h"
#include "workflows/workflow.h"

/*
 * organisation_register -- creates an organisation (kind and name required)
 * in the caller's open transaction and audits organisation.created. An
 * office registered without licences is licensed for every licensable
 * right. PORTAL_OK with id and *json (malloc'd; the caller frees it);
 * otherwise o.
 */
PORTAL_MUST_USE portal_result organisation_register(const portal_actor *actor, db_conn *db,
                                                    const organisation_fields *f,
                                                    char id[PORTAL_ID_LEN], char **json,
                                                    portal_outcome *o);

/*
 * organisation_change -- changes the fields of f that are not NULL, in its
 * own transaction, and audits `action` with `audit` (what the request said,
 * borrowed; may be NULL). expected_version >= 0: the version the caller saw
 * (If-Match); another one answers PORTAL_ERR_PRECONDITION. PORTAL_OK;
 * PORTAL_ERR_NOT_FOUND; PORTAL_ERR_DATABASE in o.
 */
PORTAL_MUST_USE portal_result organisation_change(const portal_actor *actor, db_conn *db,
                                                  const char *id, const organisation_fields *f,
                                                  int expected_version, const char *action,
                                                  json_t *audit, portal_outcome *o);

#endif
