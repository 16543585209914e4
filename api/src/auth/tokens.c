/* auth/tokens.c: see tokens.h. */
#include "auth/tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "base/crypto.h"
#include "store/sessions.h"

void tokens_hash(const char *token, char out[65])
{
    crypto_sha256_hex(token, out);
}

void tokens_clear(token_set *t)
{
    free(t->access_token);
    OPENSSL_cleanse(t, sizeof *t);
}

static portal_result tokens_sign_access(const char *user_id, const char *organisation_id,
                                        const char *session_id, char **out)
{
    authjwt_claims c;
    memset(&c, 0, sizeof c);
    snprintf(c.sub, sizeof c.sub, "%s", user_id);
    snprintf(c.org, sizeof c.org, "%s", organisation_id);
    snprintf(c.sid, sizeof c.sid, "%s", session_id);
    snprintf(c.typ, sizeof c.typ, "%s", AUTHJWT_TYP_ACCESS);
    c.iat = (long long)time(NULL);
    c.exp = c.iat + TOKENS_ACCESS_SECONDS;
    return authjwt_sign(&c, out);
}

portal_result tokens_for_session(db_conn *db, const char *user_id, const char *organisation_id,
                                 const char *session_id, int with_csrf, token_set *out)
{
    memset(out, 0, sizeof *out);
    char hash[65];
    portal_result rc =
        crypto_random_token("rt_", 32, out->refresh_token, sizeof out->refresh_token);
    if (rc == PORTAL_OK) {
        tokens_hash(out->refresh_token, hash);
        rc = sessions_add_refresh(db, session_id, hash);
    }
    if (rc == PORTAL_OK && with_csrf) {
        rc = crypto_random_token("", 24, out->csrf_token, sizeof out->csrf_token);
        if (rc == PORTAL_OK) {
            tokens_hash(out->csrf_token, hash);
            rc = sessions_set_csrf(db, session_id, hash);
        }
    }
    if (rc == PORTAL_OK)
        rc = tokens_sign_access(user_id, organisation_id, session_id, &out->access_token);
    out->expires_in = TOKENS_ACCESS_SECONDS;
    if (rc != PORTAL_OK)
        tokens_clear(out);
    return rc;
}

portal_result tokens_open_session(db_conn *db, const char *user_id, const char *organisation_id,
                                  const char *client_address, int with_csrf, token_set *out,
                                  char session_id[64])
{
    portal_result rc = sessions_create(db, user_id, client_address, NULL, session_id);
    if (rc != PORTAL_OK)
        return rc;
    return tokens_for_session(db, user_id, organisation_id, session_id, with_csrf, out);
}

portal_result tokens_mfa(const char *user_id, const char *challenge_id, char **token)
{
    authjwt_claims c;
    memset(&c, 0, sizeof c);
    snprintf(c.sub, sizeof c.sub, "%s", user_id);
    snprintf(c.jti, sizeof c.jti, "%s", challenge_id);
    snprintf(c.typ, sizeof c.typ, "%s", AUTHJWT_TYP_MFA);
    c.iat = (long long)time(NULL);
    c.exp = c.iat + TOKENS_MFA_SECONDS;
    return authjwt_sign(&c, token);
}
