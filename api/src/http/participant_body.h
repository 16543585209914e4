/*
 * http/participant_body.h: reading the address and family-member objects
 * of a participant request body into plain strings
 * (domain/participant_input.h). What cannot be read (a wrong type, a
 * missing required field, a string too long) goes to the input's 400
 * problem; the rules (country, postal code, BSN, dates) are the use case's
 * (workflows/participant_rules.h).
 */
#ifndef PORTAL_HTTP_PARTICIPANT_BODY_H
#define PORTAL_HTTP_PARTICIPANT_BODY_H

#include <jansson.h>

#include "domain/participant_input.h"
#include "http/input.h"

/* Reads the address object at pointer parent ("/person/address",
 * "/address") of obj: street, house_number, postal_code, city required,
 * country optional. Returns 1 when it is there and readable (out borrows
 * from obj), 0 when absent or unreadable (errors in in). */
int pbody_address(input *in, const json_t *obj, const char *parent, int required,
                  participant_address_input *out);

/* Reads "partner" (partner = 1: with relationship) or "child" of body:
 * first_name, surname_prefix (optional), surname, birth_date, bsn. Returns
 * 1 when readable (out borrows from body), 0 after adding errors to in. */
int pbody_family_member(input *in, const json_t *body, int partner, participant_family_input *out);

#endif
