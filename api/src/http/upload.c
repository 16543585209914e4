/* http/upload.c: see upload.h. */
#include "http/upload.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/outcome.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/router.h"

typedef struct upload_entry {
    const struct _u_request *request;
    size_t limit;
    int refused; /* not authenticated: nothing is spooled */
    http_upload_file f;
    struct upload_entry *next;
} upload_entry;

static pthread_mutex_t upload_lock = PTHREAD_MUTEX_INITIALIZER;
static upload_entry *upload_head;
static atomic_ullong upload_spooled, upload_refused;

/* The entry of request, or NULL; upload_lock held. */
static upload_entry *upload_find_locked(const struct _u_request *request)
{
    for (upload_entry *e = upload_head; e; e = e->next)
        if (e->request == request)
            return e;
    return NULL;
}

static void upload_entry_free(upload_entry *e)
{
    if (e->f.file)
        fclose(e->f.file);
    free(e);
}

/* The entry of request, created (with the route's limit) on the first
 * block, after the route's authentication (an unauthenticated upload gets
 * an entry marked refused, so it is checked once); NULL when the route
 * takes no uploads or memory ran out. Each request is served by one
 * thread, so only the list needs the lock. */
static upload_entry *upload_entry_for(const struct _u_request *request)
{
    pthread_mutex_lock(&upload_lock);
    upload_entry *e = upload_find_locked(request);
    pthread_mutex_unlock(&upload_lock);
    if (e)
        return e;
    size_t limit = http_router_body_limit(request->http_verb, request->url_path);
    if (limit == 0)
        return NULL;
    e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->request = request;
    e->limit = limit;
    e->refused = !http_router_upload_allowed(request);
    if (e->refused)
        atomic_fetch_add_explicit(&upload_refused, 1, memory_order_relaxed);
    pthread_mutex_lock(&upload_lock);
    e->next = upload_head;
    upload_head = e;
    pthread_mutex_unlock(&upload_lock);
    return e;
}

/* ulfius's file-upload callback: spools the first file part, counts the
 * rest. Returning U_OK keeps the post processor going for the other
 * fields; U_ERROR stops it (routes without uploads). */
static int upload_receive(const struct _u_request *request, const char *key, const char *filename,
                          const char *content_type, const char *transfer_encoding, const char *data,
                          uint64_t off, size_t size, void *cls)
{
    (void)content_type;
    (void)transfer_encoding;
    (void)cls;
    upload_entry *e = upload_entry_for(request);
    if (!e || e->refused)
        return U_ERROR;
    http_upload_file *f = &e->f;
    if (off == 0 && (f->parts == 0 || strcmp(f->field, key ? key : "") != 0 ||
                     strncmp(f->file_name, filename ? filename : "", HTTP_UPLOAD_NAME_MAX) != 0)) {
        f->parts++;
        if (f->parts == 1) {
            snprintf(f->field, sizeof f->field, "%s", key ? key : "");
            snprintf(f->file_name, sizeof f->file_name, "%s", filename ? filename : "");
            f->file = tmpfile();
            if (!f->file)
                f->failed = 1;
            else
                atomic_fetch_add_explicit(&upload_spooled, 1, memory_order_relaxed);
        }
    }
    if (f->parts != 1 || f->failed || size == 0)
        return U_OK;
    f->size += size;
    if (f->size > e->limit) {
        f->too_large = 1;
        return U_OK;
    }
    if (fwrite(data, 1, size, f->file) != size)
        f->failed = 1;
    return U_OK;
}

void http_upload_counts(unsigned long long *spooled, unsigned long long *refused)
{
    *spooled = atomic_load_explicit(&upload_spooled, memory_order_relaxed);
    *refused = atomic_load_explicit(&upload_refused, memory_order_relaxed);
}

void http_upload_install(struct _u_instance *instance)
{
    ulfius_set_upload_file_callback_function(instance, upload_receive, NULL);
}

const http_upload_file *http_upload_of(const struct _u_request *request)
{
    pthread_mutex_lock(&upload_lock);
    upload_entry *e = upload_find_locked(request);
    pthread_mutex_unlock(&upload_lock);
    if (e && e->f.file)
        fflush(e->f.file);
    return e && e->f.parts > 0 ? &e->f : NULL;
}

void http_upload_release(const struct _u_request *request)
{
    if (!request)
        return;
    pthread_mutex_lock(&upload_lock);
    upload_entry **p = &upload_head;
    while (*p && (*p)->request != request)
        p = &(*p)->next;
    upload_entry *e = *p;
    if (e)
        *p = e->next;
    pthread_mutex_unlock(&upload_lock);
    if (e)
        upload_entry_free(e);
}

void http_upload_shutdown(void)
{
    pthread_mutex_lock(&upload_lock);
    upload_entry *e = upload_head;
    upload_head = NULL;
    pthread_mutex_unlock(&upload_lock);
    while (e) {
        upload_entry *next = e->next;
        upload_entry_free(e);
        e = next;
    }
}

const char *http_upload_form(const struct _u_request *request, const char *name)
{
    const char *v = u_map_get(request->map_post_body, name);
    return v && v[0] ? v : NULL;
}

http_step http_upload_document(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx, unsigned long long max_size,
                               const http_upload_file **out, content_kind *kind)
{
    const char *ct = http_header(request, "Content-Type");
    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0) {
        problem p;
        problem_init(&p, 415, "unsupported_media_type");
        problem_set_detail(&p, strcmp(ctx->lang, "en") == 0
                                   ? "Send the file as multipart/form-data."
                                   : "Stuur het bestand als multipart/form-data.");
        problem_send(response, ctx, &p);
        return HTTP_ANSWERED;
    }
    const http_upload_file *up = http_upload_of(request);
    if (up && (up->too_large || up->size > max_size)) {
        http_problem(response, ctx, 413, "payload_too_large");
        return HTTP_ANSWERED;
    }
    if (!up || strcmp(up->field, "file") != 0 || up->parts != 1) {
        http_field_problem(response, ctx, 400, "invalid_request", "/file",
                           up && up->parts > 1 ? "invalid_value" : "required", NULL);
        return HTTP_ANSWERED;
    }
    if (up->failed) {
        http_answer_result(response, ctx, PORTAL_ERR_IO);
        return HTTP_ANSWERED;
    }
    *kind = content_kind_of_file(up->file);
    if (!content_kind_media_type(*kind)) {
        http_field_problem(response, ctx, 415, "unsupported_file_type", "/file",
                           *kind == CONTENT_EMPTY ? "empty_file" : "unsupported_content", NULL);
        return HTTP_ANSWERED;
    }
    *out = up;
    return HTTP_GO_ON;
}
