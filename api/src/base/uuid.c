/* base/uuid.c: see uuid.h. */
#include "base/uuid.h"

#include <ctype.h>
#include <string.h>

int uuid_valid(const char *s)
{
    if (!s || strlen(s) != 36)
        return 0;
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!isxdigit((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}
