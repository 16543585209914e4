/* workflows/schemes.c: see schemes.h. */
#include "workflows/schemes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/uuid.h"
#include "domain/civil_date.h"
#include "store/audit.h"

/* The fields an audit event compares, in the scheme's JSON. */
static const char *const SCHEME_AUDITED[] = {"organisation_id",   "name",      "number",  "kind",
                                             "start_date",        "coverages", "premium", "variant",
                                             "insured_wage_type", NULL};

static const char *tr(const portal_actor *actor, const char *nl, const char *en)
{
    return strcmp(workflow_lang(actor), "en") == 0 ? en : nl;
}

int scheme_one_of(const char *v, const char *const *allowed)
{
    for (int i = 0; allowed[i]; i++)
        if (strcmp(v, allowed[i]) == 0)
            return 1;
    return 0;
}

const char *const SCHEME_KINDS[] = {"pension", "income", NULL};
static const char *const VARIANTS[] = {"stop_loss", "no_claim", NULL};
static const char *const WAGE_TYPES[] = {"uniform_wage", "uniform_wage_excl_car",
                                         "pensionable_salary", NULL};

void scheme_input_free(scheme_input *s)
{
    json_decref(s->coverages);
    json_decref(s->premium);
    s->coverages = s->premium = NULL;
}

static int blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

/* The rules of a PATCH on fields that cannot change or be emptied. */
static void scheme_change_rules(const portal_actor *actor, const scheme_input *s,
                                const json_t *current, const char *kind, portal_outcome *p)
{
    const char *org = json_string_value(json_object_get(current, "organisation_id"));
    const char *msg = tr(actor, "Dit gegeven van een regeling kan niet worden gewijzigd.",
                         "This field of a scheme cannot be changed.");
    if (s->has_organisation_id &&
        (!s->organisation_id || !org || strcasecmp(s->organisation_id, org) != 0))
        outcome_add_error(p, "/organisation_id", "immutable", msg);
    if (s->has_kind && (!s->kind || !kind || strcmp(s->kind, kind) != 0))
        outcome_add_error(p, "/kind", "immutable", msg);
    /* Explicit nulls and blanks of required fields. */
    if (s->has_name && blank(s->name))
        outcome_add_error(p, "/name", "required", NULL);
    if (s->has_number && blank(s->number))
        outcome_add_error(p, "/number", "required", NULL);
    if (s->has_start_date && !s->start_date)
        outcome_add_error(p, "/start_date", "required", NULL);
}

/* The rules that depend on the scheme's kind (income or pension). */
static void scheme_kind_rules(const portal_actor *actor, const scheme_input *s,
                              const json_t *current, const char *kind, portal_outcome *p)
{
    if (kind && strcmp(kind, "income") == 0) {
        /* Required for income schemes: given now, or kept from before. */
        int variant_set = s->has_variant
                              ? s->variant != NULL
                              : current && json_is_string(json_object_get(current, "variant"));
        int wage_set =
            s->has_wage_type
                ? s->wage_type != NULL
                : current && json_is_string(json_object_get(current, "insured_wage_type"));
        if (!variant_set)
            outcome_add_error(p, "/variant", "required", NULL);
        if (!wage_set)
            outcome_add_error(p, "/insured_wage_type", "required", NULL);
    } else if (kind && strcmp(kind, "pension") == 0) {
        const char *msg = tr(actor, "Alleen een inkomensregeling heeft dit gegeven.",
                             "Only income schemes have this field.");
        if (s->variant)
            outcome_add_error(p, "/variant", "not_allowed", msg);
        if (s->wage_type)
            outcome_add_error(p, "/insured_wage_type", "not_allowed", msg);
    }
}

/* The rules (422) on what was read. current is the scheme before a PATCH
 * (NULL when creating). Writes the field errors into p. */
static portal_result scheme_rules(const portal_actor *actor, db_conn *db, const scheme_input *s,
                                  const json_t *current, portal_outcome *p)
{
    const char *kind = current ? json_string_value(json_object_get(current, "kind")) : s->kind;
    if (current) {
        scheme_change_rules(actor, s, current, kind, p);
    } else {
        int is_employer = 0;
        if (s->organisation_id && uuid_valid(s->organisation_id) &&
            schemes_employer_exists(db, s->organisation_id, &is_employer) != PORTAL_OK)
            return PORTAL_ERR_DATABASE;
        if (!is_employer)
            outcome_add_error(p, "/organisation_id", "unknown_id", NULL);
        if (!scheme_one_of(s->kind, SCHEME_KINDS)) {
            outcome_add_error(p, "/kind", "invalid_value", NULL);
            kind = NULL;
        }
    }
    civil_date d;
    if (s->start_date && civil_date_parse(s->start_date, &d) != PORTAL_OK)
        outcome_add_error(p, "/start_date", "invalid_date", NULL);
    if (s->variant && !scheme_one_of(s->variant, VARIANTS))
        outcome_add_error(p, "/variant", "invalid_value", NULL);
    if (s->wage_type && !scheme_one_of(s->wage_type, WAGE_TYPES))
        outcome_add_error(p, "/insured_wage_type", "invalid_value", NULL);
    scheme_kind_rules(actor, s, current, kind, p);
    return PORTAL_OK;
}

/* Adds {"field": {"from","to"}} for every audited field that differs. */
static json_t *scheme_diff(const json_t *before, const json_t *after)
{
    json_t *changes = json_object();
    for (int i = 0; changes && SCHEME_AUDITED[i]; i++) {
        const json_t *from = before ? json_object_get(before, SCHEME_AUDITED[i]) : NULL;
        const json_t *to = after ? json_object_get(after, SCHEME_AUDITED[i]) : NULL;
        if (from && json_is_null(from))
            from = NULL;
        if (to && json_is_null(to))
            to = NULL;
        if (audit_change(changes, SCHEME_AUDITED[i], from, to) != PORTAL_OK) {
            json_decref(changes);
            changes = NULL;
        }
    }
    return changes;
}

/* The scheme a PATCH would produce: current with the given fields. */
static json_t *scheme_proposed(const json_t *current, const scheme_input *s)
{
    json_t *p = json_deep_copy(current);
    if (!p)
        return NULL;
    if (s->name)
        json_object_set_new(p, "name", json_string(s->name));
    if (s->number)
        json_object_set_new(p, "number", json_string(s->number));
    if (s->start_date)
        json_object_set_new(p, "start_date", json_string(s->start_date));
    if (s->coverages)
        json_object_set(p, "coverages", s->coverages);
    if (s->premium)
        json_object_set(p, "premium", s->premium);
    if (s->has_variant)
        json_object_set_new(p, "variant", s->variant ? json_string(s->variant) : json_null());
    if (s->has_wage_type)
        json_object_set_new(p, "insured_wage_type",
                            s->wage_type ? json_string(s->wage_type) : json_null());
    return p;
}

/* Field texts for the store (owned by the caller: free). */
typedef struct {
    char *coverages;
    char *premium;
} scheme_texts;

static portal_result scheme_texts_make(const scheme_input *s, scheme_texts *t)
{
    t->coverages = s->coverages ? json_dumps(s->coverages, JSON_COMPACT) : NULL;
    t->premium = s->premium ? json_dumps(s->premium, JSON_COMPACT) : NULL;
    if ((s->coverages && !t->coverages) || (s->premium && !t->premium))
        return PORTAL_ERR_MEMORY;
    return PORTAL_OK;
}

static void scheme_texts_free(scheme_texts *t)
{
    free(t->coverages);
    free(t->premium);
}

/* The store fields of what s gives (organisation and kind left out, both
 * set only when creating), their texts made into t (the caller frees t,
 * also on failure). PORTAL_ERR_MEMORY when a text cannot be made. */
static portal_result scheme_fields_make(const scheme_input *s, scheme_texts *t, scheme_fields *f)
{
    portal_result rc = scheme_texts_make(s, t);
    *f = (scheme_fields){.name = s->name,
                         .number = s->number,
                         .start_date = s->start_date,
                         .coverages = t->coverages,
                         .premium = t->premium,
                         .variant = s->variant,
                         .insured_wage_type = s->wage_type};
    return rc;
}

/* Stores a PATCH that changes something, audits it and reads the scheme
 * again into *json (replacing it) and version, in the open transaction. */
static portal_result scheme_apply(const portal_actor *actor, db_conn *db, const char *id,
                                  const scheme_input *s, const json_t *current, json_t *changes,
                                  scheme_texts *t, char **json, char *version)
{
    scheme_fields f;
    portal_result rc = scheme_fields_make(s, t, &f);
    f.set_variant = s->has_variant;
    f.set_wage_type = s->has_wage_type;
    if (rc == PORTAL_OK)
        rc = schemes_update(db, id, &f);
    if (rc == PORTAL_OK)
        rc =
            workflow_audit(db, actor, NULL, "scheme.updated", "scheme", id,
                           json_string_value(json_object_get(current, "organisation_id")), changes);
    free(*json);
    *json = NULL;
    if (rc == PORTAL_OK)
        rc = schemes_get_json(db, id, 0, json, version);
    return rc;
}

/* A refused number: conflict on /number. */
static portal_result number_taken(const portal_actor *actor, portal_outcome *o)
{
    outcome_add_error(o, "/number", "already_exists",
                      tr(actor, "Er bestaat al een regeling met dit nummer.",
                         "A scheme with this number already exists."));
    return outcome_fail(o, PORTAL_ERR_CONFLICT, "conflict");
}

/* Fails o with rc, or with every rule broken when p holds any. */
static portal_result scheme_refused(const portal_actor *actor, portal_result rc, portal_outcome *o)
{
    if (rc == PORTAL_OK && o->n_errors)
        return outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    if (rc == PORTAL_ERR_CONFLICT)
        return number_taken(actor, o);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result scheme_create(const portal_actor *actor, db_conn *db, const scheme_input *s,
                            char id[PORTAL_ID_LEN], char **json, char version[SCHEMES_VERSION_LEN],
                            portal_outcome *o)
{
    *json = NULL;
    id[0] = version[0] = '\0';
    portal_result rc = scheme_rules(actor, db, s, NULL, o);
    if (rc != PORTAL_OK || o->n_errors)
        return scheme_refused(actor, rc, o);
    scheme_texts t = {NULL, NULL};
    scheme_fields f;
    rc = scheme_fields_make(s, &t, &f);
    f.organisation_id = s->organisation_id;
    f.kind = s->kind;
    if (rc == PORTAL_OK)
        rc = schemes_create(db, &f, id);
    if (rc == PORTAL_OK)
        rc = schemes_get_json(db, id, 0, json, version);
    json_t *created = rc == PORTAL_OK ? json_loads(*json, 0, NULL) : NULL;
    json_t *changes = created ? scheme_diff(NULL, created) : NULL;
    if (rc == PORTAL_OK)
        rc = changes ? workflow_audit(db, actor, NULL, "scheme.created", "scheme", id,
                                      s->organisation_id, changes)
                     : PORTAL_ERR_MEMORY;
    json_decref(created);
    json_decref(changes);
    scheme_texts_free(&t);
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    free(*json);
    *json = NULL;
    return scheme_refused(actor, rc, o);
}

portal_result scheme_change(const portal_actor *actor, db_conn *db, const char *id,
                            const scheme_input *s, const json_t *current, char **json,
                            char version[SCHEMES_VERSION_LEN], portal_outcome *o)
{
    portal_result rc = scheme_rules(actor, db, s, current, o);
    if (rc != PORTAL_OK || o->n_errors)
        return scheme_refused(actor, rc, o);
    json_t *proposed = scheme_proposed(current, s);
    json_t *changes = proposed ? scheme_diff(current, proposed) : NULL;
    scheme_texts t = {NULL, NULL};
    if (!changes)
        rc = PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK && json_object_size(changes) > 0)
        rc = scheme_apply(actor, db, id, s, current, changes, &t, json, version);
    json_decref(proposed);
    json_decref(changes);
    scheme_texts_free(&t);
    return scheme_refused(actor, rc, o);
}
