/*
 * http/participant_query.h: the HTTP side the participant, change and
 * review resources share: today's date for "as of" queries, the
 * participant's ETag and the If-Match check the change use cases call back,
 * keyset-cursor checks, the ?scheme_id= and ?type= filters, and sending
 * changes with their review reasons expanded into the caller's language.
 */
#ifndef PORTAL_HTTP_PARTICIPANT_QUERY_H
#define PORTAL_HTTP_PARTICIPANT_QUERY_H

#include <ulfius.h>

#include "domain/civil_date.h"
#include "domain/participant_input.h"
#include "http/context.h"
#include "http/etag.h"
#include "http/idempotency.h"

/* Today in Europe/Amsterdam, as a date and as "YYYY-MM-DD". */
void pquery_today(civil_date *today, char text[CIVIL_DATE_TEXT_SIZE]);

/* The participant's ETag from its version. */
void pquery_etag(const char *participant_id, long long version, char etag[HTTP_ETAG_LEN]);

/* A precondition for the change use cases (workflows/changes.h): arg is
 * the request's If-Match header (borrowed, NULL: none); 1 when it matches
 * the participant's ETag at version, or is absent. */
int pquery_if_match(void *arg, const char *participant_id, long long version);

/* Cursor key checks (a forged cursor must not reach SQL as garbage). */
int pquery_key_is_date(const char *s);
int pquery_key_is_timestamp(const char *s);
int pquery_key_is_digits(const char *s);

/* Reads ?scheme_id= (one or more, comma-separated or repeated) into a
 * uuid[] literal of distinct ids (NULL when none given) and their count.
 * A malformed id answers 404 (an id that cannot exist); too many answer 400.
 * *literal is owned by the request (http_ctx_keep). */
http_step pquery_scheme_ids(const struct _u_request *request, http_ctx *ctx,
                            struct _u_response *response, const char **literal, int *count);

/* Reads the optional ?type= filter (a change type) into *type: NULL when
 * absent or empty, else borrowed from the request; an unknown type answers
 * 400 invalid_request on type. */
http_step pquery_type_filter(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx, const char **type);

/* Expands "review_reasons" (rule ids) into [{id, message}] in a change
 * object, or in every change of an array, in lang. Returns a new JSON text
 * (malloc'd) or NULL on malformed input or memory. */
char *pquery_expand_reasons(const char *json_text, const char *lang);

/* Answers status with a change JSON text, reasons expanded (500 when they
 * cannot be). Location and ETag are set by the caller beforehand. */
void pquery_send_change(struct _u_response *response, http_ctx *ctx, unsigned status,
                        const char *json);

/* Ends the transaction of a change use case that succeeded in it: keeps
 * the change (json, reasons expanded) as the answer to the Idempotency-Key,
 * commits and answers status with Location (NULL: none). A failure rolls
 * back and answers 500. Borrows everything. */
void pquery_finish_change(struct _u_response *response, http_ctx *ctx, db_conn *db,
                          const http_idempotency *idem, unsigned status, const char *json,
                          const char *location);

/* Answers the store's page of changes: rc the store's result, items its
 * JSON array text, sent with reasons expanded, and next_cursor encoded
 * under tag from next_keys (NULL: the last page). Anything but PORTAL_OK
 * answers through http_answer_result; reasons that cannot be expanded 500. */
void pquery_send_page(struct _u_response *response, http_ctx *ctx, portal_result rc,
                      const char *tag, const char *items, const char *next_keys);

#endif
