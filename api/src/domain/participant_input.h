/*
 * domain/participant_input.h: an address and a family member as a request,
 * a file row or the demo seeder gives them: plain strings, NULL when
 * absent. Read by http/participant_body.c, checked by
 * workflows/participant_rules.c.
 */
#ifndef PORTAL_DOMAIN_PARTICIPANT_INPUT_H
#define PORTAL_DOMAIN_PARTICIPANT_INPUT_H

/* An address (all borrowed). */
typedef struct {
    const char *street;
    const char *house_number;
    const char *postal_code;
    const char *city;
    const char *country; /* NULL or blank: NL */
} participant_address_input;

/* A partner or child (all borrowed). */
typedef struct {
    const char *first_name;
    const char *surname_prefix;
    const char *surname;
    const char *birth_date;
    const char *bsn;
    const char *relationship; /* partner only */
} participant_family_input;

/* NULL for NULL or a string of only spaces and tabs, else s: an optional
 * field given as blank counts as absent. */
static inline const char *participant_present(const char *s)
{
    if (!s)
        return NULL;
    for (const char *p = s; *p; p++)
        if (*p != ' ' && *p != '\t')
            return s;
    return NULL;
}

#endif
