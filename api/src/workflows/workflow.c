/* workflows/workflow.c: see workflow.h. */
#include "workflows/workflow.h"

#include <string.h>

const char *workflow_lang(const portal_actor *actor)
{
    return actor && actor->lang && strcmp(actor->lang, "en") == 0 ? "en" : "nl";
}
