/* tests/fuzz/fuzz_json_inputs.c: libFuzzer target for the JSON request
 * readers beneath the resources: the body is parsed as http_json_body does
 * (jansson, JSON_REJECT_DUPLICATES, objects only), then the first byte
 * chooses the reader:
 *   0  the generic field readers (input_string/object/array/bool) over
 *      the members a participant, user, scheme or token body has, with
 *      the domain checks the use cases apply to the strings read;
 *   1  the address objects (pbody_address at /address and
 *      /person/address);
 *   2  the partner and child objects (pbody_family_member);
 *   3  scheme id arrays (schemes_read_ids);
 *   4  a walk over every member with its JSON Pointer, as the
 *      organisation and scheme resources do for client-chosen keys.
 * Whatever was recorded is then rendered as the 400 problem, which must be
 * JSON with one entry per recorded field error. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>
#include <ulfius.h>

#include "domain/bsn.h"
#include "domain/civil_date.h"
#include "domain/decimal.h"
#include "domain/instant.h"
#include "domain/participant_format.h"
#include "http/input.h"
#include "http/participant_body.h"
#include "http/scheme_ids.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The domain checks the use cases run on strings read from a body. */
static void fuzz_domain(const char *s)
{
    if (!s)
        return;
    civil_date d;
    int64_t v;
    time_t t;
    int is_date;
    char out[64];
    (void)bsn_is_valid(s);
    (void)civil_date_parse(s, &d);
    (void)decimal_parse(s, &decimal_spec_salary, &v);
    (void)decimal_parse(s, &decimal_spec_percentage, &v);
    (void)instant_parse(s, &t, &is_date, &d);
    (void)participant_email_is_valid(s);
    (void)participant_postal_code_normalize("NL", s, out, sizeof out);
}

static void fuzz_fields(input *in, const json_t *body)
{
    static const char *const strings[] = {
        "first_name", "surname",        "birth_date", "bsn",  "salary", "parttime_percentage",
        "email",      "effective_date", "expires_at", "name", "status"};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        fuzz_domain(input_string(in, body, "", strings[i], (int)(i & 1), i * 16));
    json_t *person = input_object(in, body, "", "person", INPUT_OPTIONAL);
    if (person) {
        fuzz_domain(input_string(in, person, "/person", "bsn", INPUT_REQUIRED, 32));
        fuzz_domain(input_string(in, person, "/person", "birth_date", INPUT_REQUIRED, 32));
    }
    json_t *rights = input_array(in, body, "", "rights", INPUT_OPTIONAL, 16);
    size_t i;
    json_t *v;
    json_array_foreach(rights, i, v)
    {
        if (!json_is_string(v))
            input_error(in, "/rights", "0", "invalid_type");
    }
    (void)input_bool(in, body, "", "cookie", 0);
    (void)input_bool(in, body, "", "notify", 1);
}

static void fuzz_addresses(input *in, const json_t *body)
{
    participant_address_input a;
    char out[32];
    if (pbody_address(in, body, "/address", INPUT_OPTIONAL, &a)) {
        if (!a.street || !a.house_number || !a.postal_code || !a.city)
            __builtin_trap();
        (void)participant_country_is_valid(a.country);
        (void)participant_postal_code_normalize(a.country ? a.country : "NL", a.postal_code, out,
                                                sizeof out);
    }
    const json_t *person = json_object_get(body, "person");
    if (json_is_object(person))
        (void)pbody_address(in, person, "/person/address", INPUT_REQUIRED, &a);
}

static void fuzz_family(input *in, const json_t *body)
{
    participant_family_input f;
    for (int partner = 0; partner < 2; partner++) {
        if (pbody_family_member(in, body, partner, &f)) {
            if (!f.first_name || !f.surname || !f.birth_date || !f.bsn ||
                (partner && !f.relationship))
                __builtin_trap();
            fuzz_domain(f.birth_date);
            fuzz_domain(f.bsn);
        }
    }
}

static void fuzz_scheme_ids(input *in, const json_t *body)
{
    static scheme_id_list list;
    static const int maxes[] = {1, 50, SCHEMES_MAX_IDS, SCHEMES_MAX_IDS + 10};
    for (size_t m = 0; m < sizeof maxes / sizeof maxes[0]; m++) {
        (void)schemes_read_ids(in, body, "scheme_ids", maxes[m], &list);
        if (list.n < 0 || list.n > SCHEMES_MAX_IDS)
            __builtin_trap();
        for (int i = 0; i < list.n; i++) {
            if (list.ids[i][0] && !schemes_id_shaped(list.ids[i]))
                __builtin_trap();
            for (const char *c = list.ids[i]; *c; c++)
                if (*c >= 'A' && *c <= 'F')
                    __builtin_trap();
        }
    }
}

/* Every member (and one level below) with its pointer, as the resources
 * walk client-chosen keys. */
static void fuzz_walk(input *in, const json_t *body)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)body, key, value)
    {
        char pointer[80];
        input_pointer("", key, pointer, sizeof pointer);
        if (json_is_object(value)) {
            const char *inner;
            json_t *item;
            json_object_foreach(value, inner, item)
            {
                char ptr[128];
                input_pointer(pointer, inner, ptr, sizeof ptr);
                problem_add(&in->p, in->lang, ptr, "invalid_type", NULL);
            }
        } else {
            (void)input_string(in, body, "", key, INPUT_REQUIRED, 8);
        }
    }
}

/* Renders the problem; traps unless it is JSON with every field error. */
static void fuzz_render(const input *in)
{
    struct _u_response resp;
    if (ulfius_init_response(&resp) != U_OK)
        return;
    input_send(in, &resp, NULL);
    json_t *body = json_loadb(resp.binary_body, resp.binary_body_length, 0, NULL);
    const json_t *errors = json_object_get(body, "errors");
    if (!body || resp.status != 400 || (size_t)in->p.n_errors != json_array_size(errors))
        __builtin_trap();
    json_decref(body);
    ulfius_clean_response(&resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 65536)
        return 0;
    uint8_t mode = data[0] % 5;
    json_t *body = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(body)) {
        json_decref(body);
        return 0;
    }
    input in;
    input_init(&in, mode & 1 ? "en" : "nl");
    switch (mode) {
    case 0:
        fuzz_fields(&in, body);
        break;
    case 1:
        fuzz_addresses(&in, body);
        break;
    case 2:
        fuzz_family(&in, body);
        break;
    case 3:
        fuzz_scheme_ids(&in, body);
        break;
    default:
        fuzz_walk(&in, body);
        break;
    }
    if (input_failed(&in))
        fuzz_render(&in);
    json_decref(body);
    return 0;
}
