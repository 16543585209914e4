/* http/read_position.c: see read_position.h. */
#include "http/read_position.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/lsn.h"
#include "http/request.h"
#include "http/response.h"

#define READ_POSITION_KEY_LEN 40 /* kind, ':' and a 36-character id */
#define READ_POSITION_SETS (READ_POSITION_SLOTS / READ_POSITION_WAYS)

typedef struct {
    char key[READ_POSITION_KEY_LEN];
    uint64_t lsn;
} read_position_slot;

static struct {
    pthread_mutex_t lock;
    read_position_slot slots[READ_POSITION_SETS][READ_POSITION_WAYS];
    uint64_t floor; /* the highest position dropped from a full set */
} read_positions = {PTHREAD_MUTEX_INITIALIZER, {{{"", 0}}}, 0};

/* The table key of a caller into key; 0 when there is no id. */
static int read_position_key(char kind, const char *id, char key[READ_POSITION_KEY_LEN])
{
    if (!id || !id[0] || strlen(id) + 3 > READ_POSITION_KEY_LEN)
        return 0;
    snprintf(key, READ_POSITION_KEY_LEN, "%c:%s", kind, id);
    return 1;
}

/* The bucket of key (FNV-1a of its text); cannot fail. */
static unsigned read_position_set(const char *key)
{
    unsigned h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % READ_POSITION_SETS;
}

void read_position_remember(const char *key, uint64_t lsn)
{
    read_position_slot *set = read_positions.slots[read_position_set(key)];
    pthread_mutex_lock(&read_positions.lock);
    read_position_slot *target = NULL;
    for (int i = 0; i < READ_POSITION_WAYS && !target; i++)
        if (strcmp(set[i].key, key) == 0)
            target = &set[i];
    for (int i = 0; i < READ_POSITION_WAYS && !target; i++)
        if (!set[i].key[0])
            target = &set[i];
    if (!target) {
        target = &set[0];
        for (int i = 1; i < READ_POSITION_WAYS; i++)
            if (set[i].lsn < target->lsn)
                target = &set[i];
        if (target->lsn > read_positions.floor)
            read_positions.floor = target->lsn;
        target->lsn = 0;
    }
    snprintf(target->key, sizeof target->key, "%s", key);
    if (lsn > target->lsn)
        target->lsn = lsn;
    pthread_mutex_unlock(&read_positions.lock);
}

uint64_t read_position_recall(const char *key)
{
    read_position_slot *set = read_positions.slots[read_position_set(key)];
    pthread_mutex_lock(&read_positions.lock);
    uint64_t lsn = read_positions.floor;
    for (int i = 0; i < READ_POSITION_WAYS; i++)
        if (strcmp(set[i].key, key) == 0 && set[i].lsn > lsn)
            lsn = set[i].lsn;
    pthread_mutex_unlock(&read_positions.lock);
    return lsn;
}

void read_position_begin(http_ctx *ctx, const struct _u_request *request)
{
    uint64_t header = 0, cookie = 0;
    lsn_parse(http_header(request, READ_POSITION_HEADER), &header);
    lsn_parse(u_map_get(request->map_cookie, READ_POSITION_COOKIE), &cookie);
    ctx->read_after = header > cookie ? header : cookie;
    ctx->standby_read = 1;
}

void read_position_for_caller(http_ctx *ctx, char kind, const char *id)
{
    char key[READ_POSITION_KEY_LEN];
    if (!read_position_key(kind, id, key))
        return;
    uint64_t lsn = read_position_recall(key);
    if (lsn > ctx->read_after)
        ctx->read_after = lsn;
}

void read_position_leave_primary(http_ctx *ctx)
{
    db_release(ctx->db);
    ctx->db = NULL;
    ctx->standby_read = 1;
    read_position_for_caller(ctx, 't', ctx->caller.token_id);
}

void read_position_answer(struct _u_response *response, http_ctx *ctx)
{
    uint64_t lsn = 0;
    if (!ctx->db || db_is_standby(ctx->db) || db_commit_position(ctx->db, &lsn) != PORTAL_OK ||
        lsn == 0)
        return;
    char text[LSN_TEXT_SIZE];
    lsn_format(lsn, text);
    http_set_header(response, READ_POSITION_HEADER, text);
    /* Secure as the session cookies are (http/session_cookies.c). */
    const char *pub = ctx->config->public_url;
    int local =
        strncmp(pub, "http://localhost", 16) == 0 || strncmp(pub, "http://127.0.0.1", 16) == 0;
    ulfius_add_same_site_cookie_to_response(response, READ_POSITION_COOKIE, text, NULL,
                                            READ_POSITION_COOKIE_SECONDS, NULL, "/api/v1", !local,
                                            1, U_COOKIE_SAME_SITE_STRICT);
    char key[READ_POSITION_KEY_LEN];
    if (ctx->caller.kind == CALLER_SESSION && read_position_key('s', ctx->caller.session_id, key))
        read_position_remember(key, lsn);
    else if (ctx->caller.kind == CALLER_API_TOKEN &&
             read_position_key('t', ctx->caller.token_id, key))
        read_position_remember(key, lsn);
}
