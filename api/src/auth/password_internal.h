/* auth/password_internal.h: what the parts of auth/password share, not for
 * callers outside auth/password*.c (they use auth/password.h). password.c
 * hashes, verifies and applies the policy; password_list.c holds the
 * common-password list the policy consults. */
#ifndef PORTAL_AUTH_PASSWORD_INTERNAL_H
#define PORTAL_AUTH_PASSWORD_INTERNAL_H

#include "auth/password.h"

/* One code point is at most 4 bytes of UTF-8. */
#define POLICY_MAX_BYTES (PASSWORD_MAX_CHARS * 4)

/* Lower-cases the ASCII letters of s in place; other bytes stay. */
void password_ascii_lower(char *s);

/* Loads the common-password file at path (one entry a line, '#' lines
 * skipped, lower-cased, sorted, duplicates dropped); a list loaded before is
 * not freed here: call
 * password_list_free first. PORTAL_ERR_IO, _TOO_LARGE, _MEMORY, or
 * _INVALID when the file holds no entry; nothing is kept on failure. */
portal_result password_list_load(const char *path);

/* Frees the loaded list, if any. */
void password_list_free(void);

/* 1 when lower (already lower-cased) is on the list; 0 when not or when no
 * list is loaded. */
int password_list_contains(const char *lower);

#endif
