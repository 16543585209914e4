/* http/scheme_ids.c: see scheme_ids.h. */
#include "http/scheme_ids.h"

#include <stdio.h>
#include <string.h>

int schemes_id_shaped(const char *s)
{
    if (!s || strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        char ch = s[i];
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? ch != '-'
                 : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
                     (ch >= 'A' && ch <= 'F')))
            return 0;
    }
    return 1;
}

int schemes_read_ids(input *in, const json_t *body, const char *key, int max, scheme_id_list *out)
{
    memset(out, 0, sizeof *out);
    if (max > SCHEMES_MAX_IDS)
        max = SCHEMES_MAX_IDS;
    json_t *arr = input_array(in, body, "", key, INPUT_OPTIONAL, (size_t)max);
    if (!arr)
        return json_object_get(body, key) && !json_is_null(json_object_get(body, key));
    char parent[64];
    input_pointer("", key, parent, sizeof parent);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        char idx[24];
        snprintf(idx, sizeof idx, "%zu", i);
        if (!json_is_string(v)) {
            input_error(in, parent, idx, "invalid_type");
            continue;
        }
        const char *text = json_string_value(v);
        char id[PORTAL_ID_LEN] = "";
        if (schemes_id_shaped(text))
            for (int k = 0; k < 37; k++)
                id[k] = (char)((text[k] >= 'A' && text[k] <= 'F') ? text[k] - 'A' + 'a' : text[k]);
        int dup = 0;
        for (int k = 0; id[0] && k < out->n; k++)
            if (strcmp(out->ids[k], id) == 0)
                dup = 1;
        if (dup || out->n >= SCHEMES_MAX_IDS)
            continue;
        out->index[out->n] = (int)i;
        memcpy(out->ids[out->n], id, sizeof id);
        out->n++;
    }
    return 1;
}

portal_result schemes_check_ids(db_conn *db, const http_ctx *ctx, const scheme_id_list *list,
                                const char *pointer, problem *invalid, problem *denied)
{
    char shaped[SCHEMES_MAX_IDS][PORTAL_ID_LEN];
    int at[SCHEMES_MAX_IDS];
    int n = 0;
    for (int i = 0; i < list->n; i++) {
        char field[96];
        snprintf(field, sizeof field, "%s/%d", pointer, list->index[i]);
        if (!list->ids[i][0]) {
            problem_add(invalid, ctx->lang, field, "unknown_id", NULL);
            continue;
        }
        memcpy(shaped[n], list->ids[i], PORTAL_ID_LEN);
        at[n++] = list->index[i];
    }
    scheme_visibility vis[SCHEMES_MAX_IDS];
    portal_result rc =
        schemes_classify(db, &ctx->caller, (const char(*)[PORTAL_ID_LEN])shaped, n, vis);
    if (rc != PORTAL_OK)
        return rc;
    for (int i = 0; i < n; i++) {
        char field[96];
        snprintf(field, sizeof field, "%s/%d", pointer, at[i]);
        if (vis[i] == SCHEME_UNKNOWN)
            problem_add(invalid, ctx->lang, field, "unknown_id", NULL);
        else if (vis[i] == SCHEME_OUT_OF_SCOPE)
            problem_add(denied, ctx->lang, field, "not_allowed",
                        ctx->lang && strcmp(ctx->lang, "en") == 0
                            ? "This scheme is outside your scope."
                            : "Deze regeling valt buiten uw bereik.");
    }
    return PORTAL_OK;
}
