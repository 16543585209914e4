/* domain/throttle_rules.c: see throttle_rules.h. */
#include "domain/throttle_rules.h"

long throttle_user_wait(int failures)
{
    if (failures < THROTTLE_FREE_FAILURES)
        return 0;
    long wait = 1;
    for (int i = THROTTLE_FREE_FAILURES; i < failures && wait < THROTTLE_MAX_WAIT; i++)
        wait *= 2;
    return wait > THROTTLE_MAX_WAIT ? THROTTLE_MAX_WAIT : wait;
}

long throttle_user_retry_after(int failures, long long last_failure, long long now)
{
    if (now - last_failure >= THROTTLE_USER_RESET)
        return 0;
    long long until = last_failure + throttle_user_wait(failures);
    return until > now ? (long)(until - now) : 0;
}

long throttle_addr_retry_after(int failures, long long window_start, long long now)
{
    if (now - window_start >= THROTTLE_ADDR_WINDOW || failures < THROTTLE_ADDR_MAX_FAILURES)
        return 0;
    return (long)(window_start + THROTTLE_ADDR_WINDOW - now);
}
