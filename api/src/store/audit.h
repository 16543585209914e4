/*
 * store/audit.h: the audit trail (table audit_events, migration 0001).
 *
 * Every change is recorded in the same transaction as the change itself, so
 * a rolled-back change leaves no audit row and a committed one always has
 * one. The table is append-only (a trigger refuses UPDATE and DELETE).
 *
 * `changes` lists changed fields as {"field": {"from": …, "to": …}}. Secrets
 * never reach the table: under a secret key (audit_field_is_secret) every
 * non-null value becomes "[redacted]", both in the helpers that build
 * changes and once more in audit_record itself.
 */
#ifndef PORTAL_STORE_AUDIT_H
#define PORTAL_STORE_AUDIT_H

#include <jansson.h>

#include "base/result.h"
#include "store/db.h"

#define AUDIT_REDACTED "[redacted]"
#define AUDIT_MAX_TEXT 512             /* any one text column */
#define AUDIT_MAX_CHANGES (256 * 1024) /* serialised changes */

/* One audit event. Every pointer is borrowed and only read during
 * audit_record. NULL or "" ids and texts are stored as SQL NULL; the ids are
 * UUIDs in text form. */
typedef struct {
    const char *actor_user_id;   /* acting user, or an API token's creator */
    const char *actor_token_id;  /* acting API token */
    const char *actor_label;     /* "system", "staff", "batch", "user", ... */
    const char *organisation_id; /* whose audit log shows the event */
    const char *action;          /* required: "user.created" */
    const char *target_type;     /* "user" */
    const char *target_id;       /* the target's id as text */
    const char *request_id;
    const char *client_address;
    json_t *changes; /* object or NULL (stored as {}); borrowed */
} audit_entry;

/* 1 when a field name holds a secret: password, password_hash, token,
 * secret, code, totp_secret, recovery_code(s), bsn, or a name ending in
 * _hash, _token, _secret, _password or _bsn (ASCII case-insensitive). */
int audit_field_is_secret(const char *name);

/* A new deep copy of value (borrowed, may be NULL: gives JSON null) in which
 * every non-null value under a secret key, at any depth, is "[redacted]"
 * (objects under a secret key keep their keys). NULL on allocation failure;
 * the caller json_decrefs the result. */
json_t *audit_redact(const json_t *value);

/* Adds changes[field] = {"from": from, "to": to} to the object changes
 * (from and to borrowed, NULL meaning JSON null), redacted as above, so a
 * secret field records only whether it was or became null. Adds nothing
 * when from and to are equal. PORTAL_ERR_INVALID when changes is not an
 * object or field is empty; PORTAL_ERR_MEMORY. */
portal_result audit_change(json_t *changes, const char *field, const json_t *from,
                           const json_t *to);

/* audit_change for C strings (NULL meaning JSON null). */
portal_result audit_change_str(json_t *changes, const char *field, const char *from,
                               const char *to);

/* Inserts the event in db's current transaction (or on its own). Returns
 * PORTAL_ERR_INVALID for a missing action, an id that is not a UUID or
 * changes that is not an object, PORTAL_ERR_TOO_LARGE past the caps,
 * PORTAL_ERR_MEMORY, PORTAL_ERR_DATABASE (the transaction is then aborted:
 * the caller rolls back). Nothing is written on error. */
portal_result audit_record(db_conn *db, const audit_entry *e);

#endif
