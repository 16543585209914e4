/* Unit tests for the security settings of base/config: PORTAL_SMTP_TLS
 * (required in production, opportunistic in development, and what libcurl
 * is told for each) and PORTAL_CONNECTIONS_PER_ADDRESS. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include <curl/curl.h>

#include "base/config.h"
#include "jobs/mail_delivery.h"

static void clear_env(void)
{
    unsetenv("PORTAL_ENV");
    unsetenv("PORTAL_SMTP_TLS");
    unsetenv("PORTAL_CONNECTIONS_PER_ADDRESS");
    unsetenv("PORTAL_DRAIN_SECONDS");
}

static void test_smtp_tls_defaults(void **state)
{
    (void)state;
    portal_config cfg;
    clear_env();
    assert_int_equal(config_load(&cfg), PORTAL_OK);
    assert_int_equal(cfg.smtp_tls, CONFIG_SMTP_TLS_REQUIRED); /* production */
    setenv("PORTAL_ENV", "development", 1);
    assert_int_equal(config_load(&cfg), PORTAL_OK);
    assert_int_equal(cfg.smtp_tls, CONFIG_SMTP_TLS_OPPORTUNISTIC);
    clear_env();
}

static void test_smtp_tls_values(void **state)
{
    (void)state;
    portal_config cfg;
    clear_env();
    setenv("PORTAL_SMTP_TLS", "off", 1);
    assert_int_equal(config_load(&cfg), PORTAL_OK);
    assert_int_equal(cfg.smtp_tls, CONFIG_SMTP_TLS_OFF);
    setenv("PORTAL_SMTP_TLS", "opportunistic", 1);
    assert_int_equal(config_load(&cfg), PORTAL_OK);
    assert_int_equal(cfg.smtp_tls, CONFIG_SMTP_TLS_OPPORTUNISTIC);
    setenv("PORTAL_ENV", "development", 1);
    setenv("PORTAL_SMTP_TLS", "required", 1);
    assert_int_equal(config_load(&cfg), PORTAL_OK);
    assert_int_equal(cfg.smtp_tls, CONFIG_SMTP_TLS_REQUIRED);
    static const char *const bad[] = {"yes", "REQUIRED", "starttls", "1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("PORTAL_SMTP_TLS", bad[i], 1);
        assert_int_equal(config_load(&cfg), PORTAL_ERR_INVALID);
    }
    clear_env();
}

static void test_smtp_tls_to_curl(void **state)
{
    (void)state;
    assert_int_equal(mail_delivery_use_ssl(CONFIG_SMTP_TLS_REQUIRED), (long)CURLUSESSL_ALL);
    assert_int_equal(mail_delivery_use_ssl(CONFIG_SMTP_TLS_OPPORTUNISTIC), (long)CURLUSESSL_TRY);
    assert_int_equal(mail_delivery_use_ssl(CONFIG_SMTP_TLS_OFF), (long)CURLUSESSL_NONE);
}

static void test_connections_per_address(void **state)
{
    (void)state;
    portal_config cfg;
    clear_env();
    assert_int_equal(config_load(&cfg), PORTAL_OK);
    assert_int_equal(cfg.connections_per_address, 64);
    setenv("PORTAL_CONNECTIONS_PER_ADDRESS", "0", 1);
    assert_int_equal(config_load(&cfg), PORTAL_OK);
    assert_int_equal(cfg.connections_per_address, 0);
    setenv("PORTAL_CONNECTIONS_PER_ADDRESS", "8", 1);
    assert_int_equal(config_load(&cfg), PORTAL_OK);
    assert_int_equal(cfg.connections_per_address, 8);
    setenv("PORTAL_CONNECTIONS_PER_ADDRESS", "-1", 1);
    assert_int_equal(config_load(&cfg), PORTAL_ERR_INVALID);
    setenv("PORTAL_CONNECTIONS_PER_ADDRESS", "many", 1);
    assert_int_equal(config_load(&cfg), PORTAL_ERR_INVALID);
    clear_env();
}

/* The drain on SIGTERM: 10 s by default, 0 (stop at once) to 120 s. */
static void test_drain_seconds(void **state)
{
    (void)state;
    portal_config cfg;
    clear_env();
    assert_int_equal(config_load(&cfg), PORTAL_OK);
    assert_int_equal(cfg.drain_seconds, 10);
    setenv("PORTAL_DRAIN_SECONDS", "0", 1);
    assert_int_equal(config_load(&cfg), PORTAL_OK);
    assert_int_equal(cfg.drain_seconds, 0);
    setenv("PORTAL_DRAIN_SECONDS", "120", 1);
    assert_int_equal(config_load(&cfg), PORTAL_OK);
    assert_int_equal(cfg.drain_seconds, 120);
    setenv("PORTAL_DRAIN_SECONDS", "121", 1);
    assert_int_equal(config_load(&cfg), PORTAL_ERR_INVALID);
    setenv("PORTAL_DRAIN_SECONDS", "-1", 1);
    assert_int_equal(config_load(&cfg), PORTAL_ERR_INVALID);
    clear_env();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smtp_tls_defaults), cmocka_unit_test(test_smtp_tls_values),
        cmocka_unit_test(test_smtp_tls_to_curl),  cmocka_unit_test(test_connections_per_address),
        cmocka_unit_test(test_drain_seconds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
