/* base/openapi_document.h: the API contract (openapi.yaml) as the build
 * embeds it: compact JSON and its info.version. Defined in a source the
 * build generates (scripts/openapi_embed.py); read-only, never freed. */
#ifndef PORTAL_BASE_OPENAPI_DOCUMENT_H
#define PORTAL_BASE_OPENAPI_DOCUMENT_H

#include <stddef.h>

/* The full semantic version of the API (info.version), sent as API-Version. */
extern const char openapi_api_version[];
/* The document as UTF-8 JSON, openapi_json_length bytes (NUL after them). */
extern const unsigned char openapi_json[];
extern const size_t openapi_json_length;

#endif
