/* auth/jwt_internal.h: what the parts of auth/jwt share, not for callers
 * outside auth/jwt*.c (they use auth/jwt.h). jwt.c signs and verifies;
 * jwt_verified.c remembers which token texts already verified. */
#ifndef PORTAL_AUTH_JWT_INTERNAL_H
#define PORTAL_AUTH_JWT_INTERNAL_H

/* 1 when the token whose SHA-256 is digest verified before and has not
 * expired at now; 0 otherwise. Thread-safe. */
int authjwt_verified_contains(const unsigned char *digest, long long now);

/* Remembers a verified token's digest until exp, replacing whatever held
 * its slot. Thread-safe. */
void authjwt_verified_add(const unsigned char *digest, long long exp);

/* Forgets every remembered token (the keys changed). Thread-safe. */
void authjwt_verified_clear(void);

#endif
