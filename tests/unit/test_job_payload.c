/* Unit test for jobs/payload: a job's payload names its work by one UUID
 * or one positive whole number; anything else names nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>

#include "jobs/payload.h"

static void test_id(void **state)
{
    (void)state;
    char id[PORTAL_ID_LEN] = "untouched";
    assert_int_equal(
        job_payload_id("{\"batch_id\":\"0b7a3d52-3c1e-4c8e-9a57-6d0f1e2a3b4c\"}", "batch_id", id),
        1);
    assert_string_equal(id, "0b7a3d52-3c1e-4c8e-9a57-6d0f1e2a3b4c");
    snprintf(id, sizeof id, "untouched");
    assert_int_equal(job_payload_id("{\"batch_id\":\"not-a-uuid\"}", "batch_id", id), 0);
    assert_int_equal(
        job_payload_id("{\"export_id\":\"0b7a3d52-3c1e-4c8e-9a57-6d0f1e2a3b4c\"}", "batch_id", id),
        0);
    assert_int_equal(job_payload_id("{\"batch_id\":7}", "batch_id", id), 0);
    assert_int_equal(job_payload_id("not json", "batch_id", id), 0);
    assert_int_equal(job_payload_id(NULL, "batch_id", id), 0);
    /* A duplicate key is refused, not read as either value. */
    assert_int_equal(job_payload_id("{\"batch_id\":\"0b7a3d52-3c1e-4c8e-9a57-6d0f1e2a3b4c\","
                                    "\"batch_id\":\"0b7a3d52-3c1e-4c8e-9a57-6d0f1e2a3b4d\"}",
                                    "batch_id", id),
                     0);
    assert_string_equal(id, "untouched");
}

static void test_number(void **state)
{
    (void)state;
    assert_true(job_payload_number("{\"mail_id\":42}", "mail_id") == 42);
    assert_true(job_payload_number("{\"mail_id\":9007199254740993}", "mail_id") ==
                9007199254740993LL);
    assert_true(job_payload_number("{\"mail_id\":0}", "mail_id") == 0);
    assert_true(job_payload_number("{\"mail_id\":-3}", "mail_id") == 0);
    assert_true(job_payload_number("{\"mail_id\":\"42\"}", "mail_id") == 0);
    assert_true(job_payload_number("{\"sms_id\":42}", "mail_id") == 0);
    assert_true(job_payload_number("{\"mail_id\":1,\"mail_id\":2}", "mail_id") == 0);
    assert_true(job_payload_number("[]", "mail_id") == 0);
    assert_true(job_payload_number(NULL, "mail_id") == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id),
        cmocka_unit_test(test_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
