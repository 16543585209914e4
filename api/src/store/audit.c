/* store/audit.c: see audit.h. */
#include "store/audit.h"

#include "base/uuid.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int audit_field_is_secret(const char *name)
{
    static const char *const exact[] = {"password",       "password_hash", "token",
                                        "secret",         "code",          "totp_secret",
                                        "recovery_codes", "recovery_code", "bsn"};
    static const char *const suffix[] = {"_hash", "_token", "_secret", "_password", "_bsn"};
    if (!name)
        return 0;
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strcasecmp(name, exact[i]) == 0)
            return 1;
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        size_t s = strlen(suffix[i]);
        if (n > s && strcasecmp(name + n - s, suffix[i]) == 0)
            return 1;
    }
    return 0;
}

/* Copies value; with `all` every non-null leaf becomes "[redacted]",
 * otherwise only those under secret keys. */
static json_t *redact_copy(const json_t *value, int all)
{
    if (!value || json_is_null(value))
        return json_null();
    if (json_is_object(value)) {
        json_t *out = json_object();
        const char *key;
        json_t *item;
        /* json_object_foreach wants a non-const object; it only reads it. */
        json_t *src = (json_t *)value;
        json_object_foreach(src, key, item)
        {
            json_t *copy = redact_copy(item, all || audit_field_is_secret(key));
            if (!out || !copy || json_object_set_new(out, key, copy) != 0) {
                json_decref(out);
                return NULL;
            }
        }
        return out;
    }
    if (json_is_array(value)) {
        if (all)
            return json_string(AUDIT_REDACTED);
        json_t *out = json_array();
        for (size_t i = 0; out && i < json_array_size(value); i++) {
            json_t *copy = redact_copy(json_array_get(value, i), 0);
            if (!copy || json_array_append_new(out, copy) != 0) {
                json_decref(out);
                return NULL;
            }
        }
        return out;
    }
    if (all)
        return json_string(AUDIT_REDACTED);
    return json_deep_copy(value);
}

json_t *audit_redact(const json_t *value)
{
    return redact_copy(value, 0);
}

portal_result audit_change(json_t *changes, const char *field, const json_t *from, const json_t *to)
{
    if (!json_is_object(changes) || !field || !*field)
        return PORTAL_ERR_INVALID;
    json_t *null_value = json_null();
    const json_t *a = from ? from : null_value;
    const json_t *b = to ? to : null_value;
    if (json_equal(a, b))
        return PORTAL_OK;
    int secret = audit_field_is_secret(field);
    json_t *entry = json_object();
    json_t *fc = redact_copy(a, secret);
    json_t *tc = redact_copy(b, secret);
    if (!entry || !fc || !tc || json_object_set_new(entry, "from", fc) != 0) {
        json_decref(entry);
        json_decref(fc);
        json_decref(tc);
        return PORTAL_ERR_MEMORY;
    }
    if (json_object_set_new(entry, "to", tc) != 0) {
        json_decref(entry);
        return PORTAL_ERR_MEMORY;
    }
    /* set_new takes entry over, also when it fails */
    return json_object_set_new(changes, field, entry) == 0 ? PORTAL_OK : PORTAL_ERR_MEMORY;
}

portal_result audit_change_str(json_t *changes, const char *field, const char *from, const char *to)
{
    json_t *a = from ? json_string(from) : json_null();
    json_t *b = to ? json_string(to) : json_null();
    portal_result rc = (!a || !b) ? PORTAL_ERR_INVALID : audit_change(changes, field, a, b);
    json_decref(a);
    json_decref(b);
    return rc;
}

/* NULL for NULL or ""; the text otherwise. */
static const char *or_null(const char *s)
{
    return s && *s ? s : NULL;
}

/* NULL is fine (an absent id); anything else must be UUID-shaped. */
static int uuid_ok(const char *s)
{
    return !s || uuid_valid(s);
}

portal_result audit_record(db_conn *db, const audit_entry *e)
{
    const char *params[10] = {or_null(e->actor_user_id),  or_null(e->actor_token_id),
                              or_null(e->actor_label),    or_null(e->organisation_id),
                              or_null(e->action),         or_null(e->target_type),
                              or_null(e->target_id),      or_null(e->request_id),
                              or_null(e->client_address), NULL};
    if (!params[4] || !uuid_ok(params[0]) || !uuid_ok(params[1]) || !uuid_ok(params[3]))
        return PORTAL_ERR_INVALID;
    for (size_t i = 0; i < 9; i++)
        if (params[i] && strlen(params[i]) > AUDIT_MAX_TEXT)
            return PORTAL_ERR_TOO_LARGE;
    if (e->changes && !json_is_object(e->changes))
        return PORTAL_ERR_INVALID;
    char *changes = NULL;
    if (e->changes) {
        json_t *safe = audit_redact(e->changes);
        changes = safe ? json_dumps(safe, JSON_COMPACT) : NULL;
        json_decref(safe);
        if (!changes)
            return PORTAL_ERR_MEMORY;
        if (strlen(changes) > AUDIT_MAX_CHANGES) {
            free(changes);
            return PORTAL_ERR_TOO_LARGE;
        }
    }
    params[9] = changes ? changes : "{}";
    portal_result rc = db_exec(db,
                               "INSERT INTO audit_events (actor_user_id, actor_token_id,"
                               " actor_label, organisation_id, action, target_type, target_id,"
                               " request_id, client_address, changes)"
                               " VALUES ($1::uuid, $2::uuid, $3, $4::uuid, $5, $6, $7, $8, $9,"
                               " $10::jsonb)",
                               10, params);
    free(changes);
    return rc;
}
