/* Unit tests for the reminder mails before a reconciliation's deadline:
 * PORTAL_RECONCILIATION_REMINDER_DAYS (base/config.h) and the mail text
 * (formats/mail_templates.h). Which reminder applies and that it goes once
 * is tested through the API (tests/api/test_reconciliation_staff.py). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "formats/mail_templates.h"

static void reminder_days_default_to_14_and_3(void **state)
{
    (void)state;
    portal_config cfg;
    unsetenv("PORTAL_RECONCILIATION_REMINDER_DAYS");
    assert_int_equal(config_load(&cfg), PORTAL_OK);
    assert_int_equal(cfg.reconciliation_reminder_count, 2);
    assert_int_equal(cfg.reconciliation_reminder_days[0], 14);
    assert_int_equal(cfg.reconciliation_reminder_days[1], 3);
}

static void reminder_days_are_configured(void **state)
{
    (void)state;
    portal_config cfg;
    setenv("PORTAL_RECONCILIATION_REMINDER_DAYS", "30,7,0", 1);
    assert_int_equal(config_load(&cfg), PORTAL_OK);
    assert_int_equal(cfg.reconciliation_reminder_count, 3);
    assert_int_equal(cfg.reconciliation_reminder_days[0], 30);
    assert_int_equal(cfg.reconciliation_reminder_days[2], 0);
    setenv("PORTAL_RECONCILIATION_REMINDER_DAYS", "none", 1);
    assert_int_equal(config_load(&cfg), PORTAL_OK);
    assert_int_equal(cfg.reconciliation_reminder_count, 0);
    unsetenv("PORTAL_RECONCILIATION_REMINDER_DAYS");
}

static void bad_reminder_days_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {"14,x", "-1", "367", "3,3", "1,2,3,4,5,6,7,8,9", "7;3", ","};
    portal_config cfg;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("PORTAL_RECONCILIATION_REMINDER_DAYS", bad[i], 1);
        assert_int_equal(config_load(&cfg), PORTAL_ERR_INVALID);
    }
    unsetenv("PORTAL_RECONCILIATION_REMINDER_DAYS");
}

static void reminder_mail_names_year_scheme_deadline_and_link(void **state)
{
    (void)state;
    mail_text t;
    assert_int_equal(mail_reconciliation_reminder("nl", "Bakkerij B.V.", 2025, "Verzuim VZ-3001",
                                                  "2026-03-31", 14,
                                                  "https://portaal.example/reconciliations/1", &t),
                     PORTAL_OK);
    assert_string_equal(t.subject, "Herinnering: lever uw naverrekening aan");
    assert_non_null(strstr(t.body, "Beste Bakkerij B.V.,"));
    assert_non_null(strstr(t.body, "De naverrekening 2025 van regeling Verzuim VZ-3001 moet "
                                   "uiterlijk 31-03-2026 zijn aangeleverd (nog 14 dag(en))."));
    assert_non_null(strstr(t.body, "https://portaal.example/reconciliations/1"));
    assert_int_equal(
        mail_reconciliation_reminder("en", "Anna", 2025, "S", "2026-03-31", 3, "https://x/r", &t),
        PORTAL_OK);
    assert_string_equal(t.subject, "Reminder: hand in your reconciliation");
    assert_non_null(strstr(t.body, "is due on 2026-03-31 (3 day(s) from now)."));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reminder_days_default_to_14_and_3),
        cmocka_unit_test(reminder_days_are_configured),
        cmocka_unit_test(bad_reminder_days_are_refused),
        cmocka_unit_test(reminder_mail_names_year_scheme_deadline_and_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
