/*
 * resources/participant_input.h: what the participant, change and review
 * resources share: reading person, address and family fields out of a body
 * (400 for what cannot be read, 422 for what breaks a rule), turning the
 * domain's rule reports into problems with JSON-pointer field errors, the
 * caller as recorded actor, today's date in Europe/Amsterdam, the
 * participant's ETag, keyset-cursor checks and the review reasons shown
 * with a change.
 */
#ifndef PORTAL_RESOURCES_PARTICIPANT_INPUT_H
#define PORTAL_RESOURCES_PARTICIPANT_INPUT_H

#include <jansson.h>
#include <ulfius.h>

#include "domain/civil_date.h"
#include "domain/participant_rules.h"
#include "http/context.h"
#include "http/etag.h"
#include "http/input.h"
#include "http/problem.h"
#include "store/participants.h"

/* Today in Europe/Amsterdam, as a date and as "YYYY-MM-DD". */
void pinput_today(civil_date *today, char text[CIVIL_DATE_TEXT_SIZE]);

/* The caller as the store records it: api_token for a token, staff for the
 * insurer's users, else user. Pointers borrow from ctx. */
void pinput_actor(const http_ctx *ctx, participant_actor *out);

/* The participant's ETag from its version. */
void pinput_etag(const char *participant_id, long long version, char etag[HTTP_ETAG_LEN]);

/* NULL for NULL or a string of only spaces, else s. */
const char *pinput_present(const char *s);

/* Rule breaks collected for one 422 (or 409) answer: JSON-pointer field
 * errors plus the problem code they share (validation_failed when they
 * differ; a conflict's code wins and makes the answer 409). */
typedef struct {
    problem p;
    char code[48]; /* "" while empty */
    int mixed;
    int conflict;
} prules;

void prules_init(prules *r);

/* Adds a field error with its field code and the problem code it implies;
 * message NULL takes the catalogue's text for field_code. */
void prules_add(prules *r, const char *lang, const char *field, const char *field_code,
                const char *problem_code, const char *message);

/* Adds every refusing finding of report: field code the rule's API code
 * (invalid_bsn, effective_date_out_of_range), or for validation_failed rules
 * the rule id (gender_invalid, ...), "required" for field_required; message
 * the rule's description in lang. */
void prules_add_report(prules *r, const char *lang, const rule_report *report);

/* Adds one field error for a refusing verdict (field: a JSON pointer). */
void prules_add_verdict(prules *r, const char *lang, const rule_verdict *verdict,
                        const char *field);

/* 1 when any error was added. */
int prules_failed(const prules *r);

/* Sends the 422 (409 for a conflict) problem. */
void prules_send(prules *r, struct _u_response *response, const http_ctx *ctx);

/* Reads an address object at pointer `parent` ("/person/address",
 * "/address"): street, house_number, postal_code, city required, country
 * optional (default NL). Unreadable or missing fields go to in (400); rule
 * breaks (country, postal code) to rules (422, code validation_failed).
 * Returns a new normalised object, or NULL when something was wrong (or
 * the object is absent and not required). */
json_t *pinput_address(input *in, prules *rules, const json_t *obj, const char *parent,
                       int required);

/* Reads a partner (type RULE_CHANGE_PARTNER, under "/partner") or child
 * (under "/child"): first_name, surname_prefix (optional), surname,
 * birth_date, bsn and, for a partner, relationship. Unreadable fields go to
 * in (400); rule breaks to rules (422) via rule_check_family_member with
 * today. Returns a new normalised object, or NULL when something was wrong. */
json_t *pinput_family_member(input *in, prules *rules, const json_t *body, rule_change_type type,
                             civil_date today);

/* Trims spaces around s into a new JSON string (NULL when s is NULL). */
json_t *pinput_trimmed(const char *s);

/* Expands "review_reasons" (rule ids) into [{id, message}] in a change
 * object, or in every change of an array, in lang. Returns a new JSON text
 * (malloc'd) or NULL on malformed input or memory. */
char *pinput_expand_reasons(const char *json_text, const char *lang);

/* Cursor key checks (a forged cursor must not reach SQL as garbage). */
int pinput_key_is_date(const char *s);
int pinput_key_is_timestamp(const char *s);
int pinput_key_is_digits(const char *s);

/* Reads ?scheme_id= (one or more, comma-separated or repeated) into a
 * uuid[] literal of distinct ids (NULL when none given) and their count.
 * A malformed id answers 404 (an id that cannot exist); too many answer 400.
 * Returns 1 to go on, 0 after answering. *literal is malloc'd. */
int pinput_scheme_ids(const struct _u_request *request, http_ctx *ctx, struct _u_response *response,
                      char **literal, int *count);

#endif
