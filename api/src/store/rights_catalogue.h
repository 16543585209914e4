/*
 * store/rights_catalogue.h: the rights catalogue and its rules for one
 * organisation kind, as JSON text for GET /api/v1/rights.
 */
#ifndef PORTAL_STORE_RIGHTS_CATALOGUE_H
#define PORTAL_STORE_RIGHTS_CATALOGUE_H

#include "store/db.h"

/* {"items":[{id,label:{nl,en},description:{nl,en},licensable}],
 *  "rules":[{kind,rights,requires,description:{nl,en}}]} (malloc'd). */
portal_result rights_catalogue_json(db_conn *db, const char *organisation_kind, char **json);

#endif
