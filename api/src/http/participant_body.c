/* http/participant_body.c: see participant_body.h. */
#include "http/participant_body.h"

#include <stdio.h>
#include <string.h>

#include "domain/participant_format.h"

int pbody_address(input *in, const json_t *obj, const char *parent, int required,
                  participant_address_input *out)
{
    memset(out, 0, sizeof *out);
    char at[96];
    const char *slash = strrchr(parent, '/');
    snprintf(at, sizeof at, "%.*s", (int)(slash ? slash - parent : 0), parent);
    json_t *a = input_object(in, obj, at, slash ? slash + 1 : parent, required);
    if (!a)
        return 0;
    out->street = input_string(in, a, parent, "street", INPUT_REQUIRED, 200);
    out->house_number = input_string(in, a, parent, "house_number", INPUT_REQUIRED, 20);
    out->postal_code = input_string(in, a, parent, "postal_code", INPUT_REQUIRED, 16);
    out->city = input_string(in, a, parent, "city", INPUT_REQUIRED, 100);
    out->country = input_string(in, a, parent, "country", INPUT_OPTIONAL, 8);
    return !input_failed(in);
}

int pbody_family_member(input *in, const json_t *body, int partner, participant_family_input *out)
{
    memset(out, 0, sizeof *out);
    const char *parent = partner ? "/partner" : "/child";
    json_t *m = input_object(in, body, "", parent + 1, INPUT_REQUIRED);
    if (!m)
        return 0;
    out->first_name =
        input_string(in, m, parent, "first_name", INPUT_REQUIRED, PARTICIPANT_NAME_MAX);
    out->surname_prefix =
        input_string(in, m, parent, "surname_prefix", INPUT_OPTIONAL, PARTICIPANT_PREFIX_MAX);
    out->surname = input_string(in, m, parent, "surname", INPUT_REQUIRED, PARTICIPANT_NAME_MAX);
    out->birth_date = input_string(in, m, parent, "birth_date", INPUT_REQUIRED, 32);
    out->bsn = input_string(in, m, parent, "bsn", INPUT_REQUIRED, 32);
    if (partner)
        out->relationship = input_string(in, m, parent, "relationship", INPUT_REQUIRED, 32);
    return !input_failed(in);
}
