/* workflows/batches_internal.h: the steps that batches.c and batches_process.c share; not for use
 * outside them. */
#ifndef PORTAL_WORKFLOWS_BATCHES_INTERNAL_H
#define PORTAL_WORKFLOWS_BATCHES_INTERNAL_H

#include "workflows/batches.h"

#include "store/batches.h"

/* Records action on batch id for the actor (or the system when it has no
 * caller) in the scheme owner's audit log. */
portal_result batch_audit(db_conn *db, const portal_actor *actor, const char *action,
                          const char *id, const char *organisation_id, json_t *changes);

/* Maps an access result onto the outcome; PORTAL_OK passes. */
portal_result batch_access_outcome(portal_result rc, portal_outcome *o);

/* Loads a batch the actor may see with capability batches. */
portal_result batch_load(db_conn *db, const portal_actor *actor, const char *id, int lock,
                         batch_meta *meta, portal_outcome *o);

#endif
