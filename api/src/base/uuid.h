/* base/uuid.h: the shape check every id from outside goes through before it
 * reaches SQL (a malformed id is simply "not found", never a database error). */
#ifndef PORTAL_BASE_UUID_H
#define PORTAL_BASE_UUID_H

/* 1 when s is a UUID in its 36-character text form (any hex case). */
int uuid_valid(const char *s);

#endif
