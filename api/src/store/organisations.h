/*
 * store/organisations.h: customer organisations (employers, intermediary
 * offices) and the insurer itself. Reads return JSON text built by
 * PostgreSQL, so a resource can pass it through.
 */
#ifndef PORTAL_STORE_ORGANISATIONS_H
#define PORTAL_STORE_ORGANISATIONS_H

#include "base/caller.h"
#include "store/db.h"

typedef struct {
    const char *kind;
    const char *name;
    const char *registration_number;
    const char *postal_address;   /* JSON text or NULL */
    const char *visiting_address; /* JSON text or NULL */
    const char *contact_person;   /* JSON text or NULL */
    const char *notification_email;
    const char *advisor_id; /* "" clears, NULL leaves as is */
    const char *licences;   /* PostgreSQL array literal or NULL */
} organisation_fields;

/* Creates an organisation; out_id receives its id. */
portal_result organisations_create(db_conn *db, const organisation_fields *f,
                                   char out_id[PORTAL_ID_LEN]);

/* Changes the fields that are not NULL. PORTAL_ERR_NOT_FOUND when absent. */
portal_result organisations_update(db_conn *db, const char *id, const organisation_fields *f);

/* The organisation as JSON text (malloc'd; caller frees) with advisor,
 * administrators and version. PORTAL_ERR_NOT_FOUND when absent. */
portal_result organisations_get_json(db_conn *db, const char *id, char **json, int *version);

/* Its kind ("employer", ...) or PORTAL_ERR_NOT_FOUND. */
portal_result organisations_kind(db_conn *db, const char *id, char kind[16]);

/* Its licences as a PostgreSQL array literal ("{}" when none). */
portal_result organisations_licences(db_conn *db, const char *id, char *out, size_t size);

/* A page of organisations (kind and name search optional), sorted by name
 * then id, after the keyset (after_name, after_id) when given. Returns the
 * JSON array text of at most limit+1 rows (the extra one tells there is a
 * next page). */
portal_result organisations_list_json(db_conn *db, const char *kind, const char *q,
                                      const char *after_name, const char *after_id, int limit,
                                      char **json);

/* 1 when the organisation has an active administrator (user_management). */
portal_result organisations_has_administrator(db_conn *db, const char *id, int *has);

#endif
