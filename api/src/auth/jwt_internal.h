/* auth/jwt_internal.h: what the parts of auth/jwt share, not for callers
 * outside auth/jwt*.c (they use auth/jwt.h). jwt.c signs and verifies;
 * jwt_verified.c remembers which token texts already verified. */
#ifndef PORTAL_AUTH_JWT_INTERNAL_H
#define PORTAL_AUTH_JWT_INTERNAL_H

#include "auth/jwt.h"

/* 1 when the token whose SHA-256 is digest verified before and has not
 * expired at now, with the claims it was accepted with copied to out; 0
 * otherwise (out untouched). Thread-safe. */
int authjwt_verified_lookup(const unsigned char *digest, long long now, authjwt_claims *out);

/* Remembers a verified token's digest with its checked claims until
 * claims->exp, replacing whatever held its slot. Thread-safe. */
void authjwt_verified_add(const unsigned char *digest, const authjwt_claims *claims);

/* Forgets every remembered token (the keys changed). Thread-safe. */
void authjwt_verified_clear(void);

#endif
