/*
 * workflows/documents.h: the use cases of financial and legal documents
 * (DESIGN.md §4.5): publish, list, show, open the file, withdraw.
 *
 * Rights: staff (documents.manage) publish and withdraw and see everything;
 * others see what store/documents.h's visibility rule allows (finance the
 * financial, hr and hr_read the legal, user_management both; offices under
 * their mandate). A document the caller may not see is "not found".
 * Publishing queues a notification for the employer (store/notifications.h).
 */
#ifndef PORTAL_WORKFLOWS_DOCUMENTS_H
#define PORTAL_WORKFLOWS_DOCUMENTS_H

#include <stdio.h>

#include "store/documents.h"
#include "workflows/workflow.h"

#define DOCUMENT_MAX_SIZE (20LL * 1024 * 1024) /* 20 MiB, DESIGN.md §4 */

/* What staff send to publish a document (strings borrowed; NULL: absent). */
typedef struct {
    const char *organisation_id;
    const char *scheme_id;
    const char *kind;
    const char *title;
    const char *document_date;
    const char *amount;
    const char *due_date;
    const char *file_name;    /* as the client named it; made safe here */
    const char *content_type; /* from the bytes (formats/content_kind.h) */
    const char *extension;    /* of that content type: "pdf", "xlsx", "csv" */
    FILE *file;               /* the content, read from its start (borrowed) */
    long long size;
} document_publish_input;

/* The category ("financial" or "legal") of a document kind, or NULL for an
 * unknown kind. */
const char *document_category_of(const char *kind);

/* A file name safe for Content-Disposition and any file system: letters,
 * digits, '.', '-', '_' and spaces only, at most DOCUMENT_FILE_NAME_MAX
 * bytes, ending in "." extension; "document" when nothing is left. */
void document_safe_file_name(const char *name, const char *extension, char *out, size_t size);

/*
 * documents_publish -- staff publish a document: checks the fields (every
 * broken rule at once, 422), stores the file in chunks, records the
 * document, its audit event in the employer's log and the notification,
 * in the caller's open transaction (which also holds the request's
 * Idempotency-Key; on failure the caller rolls back, on success it commits).
 * *json (malloc'd, caller frees) gets the new
 * document. PORTAL_ERR_DENIED without documents.manage; PORTAL_ERR_INVALID;
 * PORTAL_ERR_TOO_LARGE past DOCUMENT_MAX_SIZE; PORTAL_ERR_DATABASE.
 */
PORTAL_MUST_USE portal_result documents_publish(db_conn *db, const portal_actor *actor,
                                                const document_publish_input *in, portal_outcome *o,
                                                char **json);

/* What a list asks for (strings borrowed; NULL: no filter). */
typedef struct {
    const char *organisation_id; /* staff only */
    const char *kind;
    const char *category;
    const char *scheme_ids; /* uuid[] literal */
    int unread;
    const char *after_created;
    const char *after_id;
    int limit;
} document_list_input;

/* A page of the documents the actor may see (limit + 1 rows, JSON array
 * text in *json, caller frees) and the count of all that match. Unknown
 * kind or category: PORTAL_ERR_MALFORMED (400) naming the parameter. */
PORTAL_MUST_USE portal_result documents_list_visible(db_conn *db, const portal_actor *actor,
                                                     const document_list_input *in,
                                                     portal_outcome *o, char **json,
                                                     long long *total);

/* One document the actor may see: JSON text into *json (caller frees).
 * PORTAL_ERR_NOT_FOUND otherwise. */
PORTAL_MUST_USE portal_result documents_show(db_conn *db, const portal_actor *actor, const char *id,
                                             portal_outcome *o, char **json);

/*
 * documents_open -- the actor opens a document's file: checks it is visible
 * (else PORTAL_ERR_NOT_FOUND), records the signed-in user's first reading,
 * and fills *row (the blob to stream, its type, size, name and hash).
 */
PORTAL_MUST_USE portal_result documents_open(db_conn *db, const portal_actor *actor, const char *id,
                                             portal_outcome *o, document_row *row);

/* Staff withdraw a document: it disappears for users, the file is deleted,
 * the audit log keeps the fact. PORTAL_ERR_NOT_FOUND (absent, withdrawn or
 * invisible), PORTAL_ERR_DENIED (visible without documents.manage). */
PORTAL_MUST_USE portal_result documents_withdraw_one(db_conn *db, const portal_actor *actor,
                                                     const char *id, portal_outcome *o);

#endif
