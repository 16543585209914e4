/* base/caller.c: see caller.h. */
#include "base/caller.h"

#include <string.h>

int caller_has_right(const portal_caller *caller, const char *right)
{
    for (int i = 0; i < caller->n_rights; i++)
        if (strcmp(caller->rights[i], right) == 0)
            return 1;
    return 0;
}
