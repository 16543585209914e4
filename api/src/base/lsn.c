/* base/lsn.c: see lsn.h. */
#include "base/lsn.h"

#include <stdio.h>

/* Reads 1..8 hex digits from *p up to stop; advances *p past them.
 * Returns 1 and sets *out, or 0 when there are none, too many or another
 * character comes first. */
static int lsn_hex32(const char **p, char stop, uint32_t *out)
{
    uint32_t v = 0;
    int digits = 0;
    const char *s = *p;
    for (; *s && *s != stop; s++) {
        char ch = *s;
        uint32_t d;
        if (ch >= '0' && ch <= '9')
            d = (uint32_t)(ch - '0');
        else if (ch >= 'a' && ch <= 'f')
            d = (uint32_t)(ch - 'a' + 10);
        else if (ch >= 'A' && ch <= 'F')
            d = (uint32_t)(ch - 'A' + 10);
        else
            return 0;
        if (++digits > 8)
            return 0;
        v = (v << 4) | d;
    }
    if (digits == 0 || *s != stop)
        return 0;
    *p = s;
    *out = v;
    return 1;
}

int lsn_parse(const char *text, uint64_t *out)
{
    uint32_t hi = 0, lo = 0;
    const char *p = text;
    *out = 0;
    if (!p || !lsn_hex32(&p, '/', &hi))
        return 0;
    p++; /* the slash */
    if (!lsn_hex32(&p, '\0', &lo))
        return 0;
    *out = ((uint64_t)hi << 32) | lo;
    return 1;
}

void lsn_format(uint64_t lsn, char out[LSN_TEXT_SIZE])
{
    snprintf(out, LSN_TEXT_SIZE, "%X/%X", (unsigned)(lsn >> 32), (unsigned)(lsn & 0xFFFFFFFFu));
}

int lsn_compare(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b ? 1 : 0;
}
