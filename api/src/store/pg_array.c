/* store/pg_array.c: see pg_array.h. */
#include "store/pg_array.h"

#include <string.h>

/* The next element at *p: its start and length; advances *p past it. */
static int next_element(const char **p, const char **start, size_t *len)
{
    while (**p == ',' || **p == ' ')
        (*p)++;
    if (**p == '\0' || **p == '}')
        return 0;
    if (**p == '"') {
        (*p)++;
        *start = *p;
        *len = strcspn(*p, "\"");
        *p += *len;
        if (**p == '"')
            (*p)++;
        return 1;
    }
    *start = *p;
    *len = strcspn(*p, ",}");
    *p += *len;
    return 1;
}

int pg_array_split(const char *text, char *out, size_t item_size, int max)
{
    int n = 0;
    const char *p = text, *start;
    size_t len;
    if (!p || *p++ != '{')
        return 0;
    while (n < max && next_element(&p, &start, &len)) {
        if (len > 0 && len < item_size) {
            memcpy(out + (size_t)n * item_size, start, len);
            out[(size_t)n * item_size + len] = '\0';
            n++;
        }
    }
    return n;
}

int pg_array_contains(const char *text, const char *element)
{
    const char *p = text, *start;
    size_t len, want = strlen(element);
    if (!p || *p++ != '{')
        return 0;
    while (next_element(&p, &start, &len))
        if (len == want && strncmp(start, element, len) == 0)
            return 1;
    return 0;
}
