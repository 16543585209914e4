/*
 * auth/vcode.h: six-digit verification codes (activation, e-mail change)
 * and how they are stored: SHA-256 of "<user id>:<code>", so a code is only
 * worth anything for its own user and never stored in the clear.
 */
#ifndef PORTAL_AUTH_VCODE_H
#define PORTAL_AUTH_VCODE_H

#include "base/result.h"

/* A uniformly random code "000000".."999999" into out[7]. */
portal_result vcode_generate(char out[7]);

/* The stored hash of a code for a user (out[65]). Returns PORTAL_ERR_INVALID
 * when code is not six digits (after dropping spaces), leaving out empty. */
portal_result vcode_hash(const char *user_id, const char *code, char out[65]);

#endif
