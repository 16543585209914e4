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

/* Whole seconds from now until `until`, rounded up; 0 when past. */
static long seconds_until(long long until_ms, long long now_ms)
{
    return until_ms > now_ms ? (long)((until_ms - now_ms + 999) / 1000) : 0;
}

long throttle_user_retry_after(int failures, long long last_failure_ms, long long now_ms)
{
    if (now_ms - last_failure_ms >= THROTTLE_USER_RESET * 1000LL)
        return 0;
    return seconds_until(last_failure_ms + throttle_user_wait(failures) * 1000LL, now_ms);
}

long throttle_addr_retry_after(int failures, long long window_start_ms, long long now_ms)
{
    if (now_ms - window_start_ms >= THROTTLE_ADDR_WINDOW * 1000LL ||
        failures < THROTTLE_ADDR_MAX_FAILURES)
        return 0;
    return seconds_until(window_start_ms + THROTTLE_ADDR_WINDOW * 1000LL, now_ms);
}

long throttle_known_retry_after(int own, long long own_last_ms, int foreign,
                                long long foreign_last_ms, long long now_ms)
{
    if (foreign > THROTTLE_FREE_FAILURES)
        foreign = THROTTLE_FREE_FAILURES;
    long mine = throttle_user_retry_after(own, own_last_ms, now_ms);
    long theirs = throttle_user_retry_after(foreign, foreign_last_ms, now_ms);
    return mine > theirs ? mine : theirs;
}
