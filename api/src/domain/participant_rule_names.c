/*
 * domain/participant_rule_names.c: the wire names of the participant enums
 * (status, scheme kind, gender, relationship, change type) and their
 * parsers. See participant_rules.h for the contract; the checks themselves
 * are in participant_rules.c. Standard C only.
 */
#include "domain/participant_rules.h"

#include <stdbool.h>
#include <string.h>

static const char *const rule_status_names[] = {"pending_review", "active", "rejected", "dormant",
                                                "ended"};
static const char *const rule_scheme_kind_names[] = {"pension", "income"};
static const char *const rule_gender_names[] = {"male", "female", "unknown"};
static const char *const rule_relationship_names[] = {"married", "registered_partnership",
                                                      "cohabiting"};
static const char *const rule_change_type_names[] = {"registration",       "salary_change",
                                                     "termination",        "partner_registration",
                                                     "child_registration", "address_change"};

#define RULE_COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))

/* The name at index, or NULL past the end. */
static const char *rule_name_of(const char *const *names, size_t count, size_t index)
{
    return index < count ? names[index] : NULL;
}

/* Finds text among names: true and *index set, or false (text NULL or
 * unknown) with *index untouched. */
static bool rule_index_of(const char *const *names, size_t count, const char *text, size_t *index)
{
    if (text == NULL) {
        return false;
    }
    for (size_t i = 0; i < count; i++) {
        if (strcmp(names[i], text) == 0) {
            *index = i;
            return true;
        }
    }
    return false;
}

const char *rule_status_name(rule_participant_status status)
{
    return rule_name_of(rule_status_names, RULE_COUNT_OF(rule_status_names), (size_t)status);
}

portal_result rule_status_parse(const char *text, rule_participant_status *out)
{
    size_t index = 0;
    if (out == NULL ||
        !rule_index_of(rule_status_names, RULE_COUNT_OF(rule_status_names), text, &index)) {
        return PORTAL_ERR_INVALID;
    }
    *out = (rule_participant_status)index;
    return PORTAL_OK;
}

const char *rule_scheme_kind_name(rule_scheme_kind kind)
{
    return rule_name_of(rule_scheme_kind_names, RULE_COUNT_OF(rule_scheme_kind_names),
                        (size_t)kind);
}

portal_result rule_scheme_kind_parse(const char *text, rule_scheme_kind *out)
{
    size_t index = 0;
    if (out == NULL || !rule_index_of(rule_scheme_kind_names, RULE_COUNT_OF(rule_scheme_kind_names),
                                      text, &index)) {
        return PORTAL_ERR_INVALID;
    }
    *out = (rule_scheme_kind)index;
    return PORTAL_OK;
}

const char *rule_gender_name(rule_gender gender)
{
    return rule_name_of(rule_gender_names, RULE_COUNT_OF(rule_gender_names), (size_t)gender);
}

portal_result rule_gender_parse(const char *text, rule_gender *out)
{
    size_t index = 0;
    if (out == NULL ||
        !rule_index_of(rule_gender_names, RULE_COUNT_OF(rule_gender_names), text, &index)) {
        return PORTAL_ERR_INVALID;
    }
    *out = (rule_gender)index;
    return PORTAL_OK;
}

const char *rule_relationship_name(rule_relationship relationship)
{
    return rule_name_of(rule_relationship_names, RULE_COUNT_OF(rule_relationship_names),
                        (size_t)relationship);
}

portal_result rule_relationship_parse(const char *text, rule_relationship *out)
{
    size_t index = 0;
    if (out == NULL || !rule_index_of(rule_relationship_names,
                                      RULE_COUNT_OF(rule_relationship_names), text, &index)) {
        return PORTAL_ERR_INVALID;
    }
    *out = (rule_relationship)index;
    return PORTAL_OK;
}

const char *rule_change_type_name(rule_change_type type)
{
    return rule_name_of(rule_change_type_names, RULE_COUNT_OF(rule_change_type_names),
                        (size_t)type);
}

portal_result rule_change_type_parse(const char *text, rule_change_type *out)
{
    size_t index = 0;
    if (out == NULL || !rule_index_of(rule_change_type_names, RULE_COUNT_OF(rule_change_type_names),
                                      text, &index)) {
        return PORTAL_ERR_INVALID;
    }
    *out = (rule_change_type)index;
    return PORTAL_OK;
}
