/* formats/csv.c: see csv.h. */
#include "formats/csv.h"

#include <string.h>

int csv_is_formula_like(const char *value)
{
    return value && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                     value[0] == '\t' || value[0] == '\r');
}

portal_result csv_append_field(buf *out, const char *value, int first, int is_text)
{
    portal_result rc = first ? PORTAL_OK : buf_append(out, ",", 1);
    if (rc != PORTAL_OK || !value)
        return rc;
    int neutralise = is_text && csv_is_formula_like(value);
    int quote = neutralise || strpbrk(value, ",\"\r\n") != NULL;
    if (!quote)
        return buf_append_str(out, value);
    rc = buf_append(out, "\"", 1);
    if (rc == PORTAL_OK && neutralise)
        rc = buf_append(out, "'", 1);
    for (const char *p = value; rc == PORTAL_OK && *p; p++)
        rc = *p == '"' ? buf_append(out, "\"\"", 2) : buf_append(out, p, 1);
    return rc == PORTAL_OK ? buf_append(out, "\"", 1) : rc;
}

portal_result csv_end_row(buf *out)
{
    return buf_append(out, "\r\n", 2);
}
