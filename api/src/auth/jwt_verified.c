/* auth/jwt_verified.c: the cache of verified token signatures used by
 * auth/jwt.c (see jwt_internal.h). Owns the table and its locks; nothing
 * here allocates or fails. */
#include "auth/jwt_internal.h"

#include <pthread.h>
#include <string.h>

#include <openssl/crypto.h>

#include "base/crypto.h"

/* ---- verified signatures ----
 *
 * ES256 verification is most of what checking a token costs (about 50 us),
 * and parsing its header and claims most of the rest; a browser or a
 * script sends the same access token with every request until it is
 * refreshed. A bounded, direct-mapped table remembers the SHA-256 of token
 * texts that verified, with the claims they were accepted with, until their
 * exp: a hit skips the signature, the parsing and every check that depends
 * on the text alone; what depends on the moment (expiry) and on the caller
 * (the expected token type) is checked every time. Nobody can make a
 * different token text with the same digest, so a hit is as good as the
 * checks it stands for. Cleared whenever the keys change. About 3.5 MiB
 * when every slot is used. */
#define VERIFIED_SLOTS 4096 /* a power of two */
#define VERIFIED_LOCKS 16

static struct {
    pthread_mutex_t locks[VERIFIED_LOCKS];
    struct {
        unsigned char digest[CRYPTO_SHA256_LEN];
        authjwt_claims claims; /* claims.exp 0: empty */
    } slots[VERIFIED_SLOTS];
} g_verified;
static pthread_once_t g_verified_once = PTHREAD_ONCE_INIT;

static void verified_init_locks(void)
{
    for (int i = 0; i < VERIFIED_LOCKS; i++)
        pthread_mutex_init(&g_verified.locks[i], NULL);
}

/* The slot of a digest; makes sure the locks exist. */
static size_t verified_slot(const unsigned char *digest)
{
    pthread_once(&g_verified_once, verified_init_locks);
    return ((size_t)digest[0] | (size_t)digest[1] << 8) & (VERIFIED_SLOTS - 1);
}

/* 1 (and the claims in out) when the digest's token verified before and
 * has not expired at now. */
int authjwt_verified_lookup(const unsigned char *digest, long long now, authjwt_claims *out)
{
    size_t i = verified_slot(digest);
    pthread_mutex_t *lock = &g_verified.locks[i % VERIFIED_LOCKS];
    pthread_mutex_lock(lock);
    int hit = g_verified.slots[i].claims.exp > now &&
              CRYPTO_memcmp(g_verified.slots[i].digest, digest, CRYPTO_SHA256_LEN) == 0;
    if (hit)
        *out = g_verified.slots[i].claims;
    pthread_mutex_unlock(lock);
    return hit;
}

/* Remembers a verified token with its claims until their exp (replacing
 * whatever held its slot). */
void authjwt_verified_add(const unsigned char *digest, const authjwt_claims *claims)
{
    size_t i = verified_slot(digest);
    pthread_mutex_t *lock = &g_verified.locks[i % VERIFIED_LOCKS];
    pthread_mutex_lock(lock);
    memcpy(g_verified.slots[i].digest, digest, CRYPTO_SHA256_LEN);
    g_verified.slots[i].claims = *claims;
    pthread_mutex_unlock(lock);
}

/* Forgets every remembered token (the keys changed). */
void authjwt_verified_clear(void)
{
    pthread_once(&g_verified_once, verified_init_locks);
    for (size_t i = 0; i < VERIFIED_SLOTS; i++) {
        pthread_mutex_t *lock = &g_verified.locks[i % VERIFIED_LOCKS];
        pthread_mutex_lock(lock);
        g_verified.slots[i].claims.exp = 0;
        pthread_mutex_unlock(lock);
    }
}
