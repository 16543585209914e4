/* Unit tests for the reconciliation specification: amounts for people in
 * Dutch and English, and a PDF of several pages written line by line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/recon_specification.h"

static void amount(const char *money, const char *lang, const char *want)
{
    char out[48];
    recon_spec_amount(money, lang, out, sizeof out);
    assert_string_equal(out, want);
}

static void test_amounts_follow_the_language(void **state)
{
    (void)state;
    amount("41000.00", "nl", "41.000,00");
    amount("41000.00", "en", "41,000.00");
    amount("-819.28", "nl", "-819,28");
    amount("1234567.5", "en", "1,234,567.5");
    amount("100.000", "nl", "100,000");
    amount("0.00", "nl", "0,00");
    amount("999", "en", "999");
    amount(NULL, "nl", "-");
    amount("", "en", "-");
}

static void test_amount_never_overflows(void **state)
{
    (void)state;
    char small[6];
    recon_spec_amount("123456789.00", "nl", small, sizeof small);
    assert_true(strlen(small) < sizeof small);
}

/* A PDF of 200 lines spans several pages and is a complete document. */
static void test_pdf_of_many_lines(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    recon_spec_header h = {.lang = "nl",
                           .organisation_name = "Bakkerij De Korenbloem B.V.",
                           .scheme_number = "VZ-3001",
                           .scheme_name = "Verzuim",
                           .year = 2025,
                           .variant = "stop_loss",
                           .policy_start = "2025-04-01",
                           .premium_rate = "2.000",
                           .provisional_premium = "3000.00",
                           .wage_cap = "75864.00",
                           .own_risk_percentage = "5.000",
                           .continued_pay_percentage = "70.000",
                           .maximum_reimbursement = "5000.00",
                           .capped_wage_total = "109035.92",
                           .definitive_premium = "2180.72",
                           .settlement = "-819.28",
                           .own_risk = "5451.80",
                           .sick_pay_cost = "9189.50",
                           .reimbursement = "3737.70",
                           .employee_count = 200};
    recon_spec_pdf *pdf = NULL;
    assert_int_equal(recon_spec_pdf_open(f, &h, &pdf), PORTAL_OK);
    recon_spec_line line = {"Claassen, C.", "1980-01-01", "183",   "60000.00",
                            "38035.92",     "38035.92",   "760.72"};
    for (int i = 0; i < 200; i++)
        assert_int_equal(recon_spec_pdf_line(pdf, &line), PORTAL_OK);
    assert_int_equal(recon_spec_pdf_close(pdf), PORTAL_OK);
    long size = ftell(f);
    assert_true(size > 1000);
    char head[8] = {0};
    rewind(f);
    assert_int_equal(fread(head, 1, 5, f), 5);
    assert_string_equal(head, "%PDF-");
    /* Several pages: the page tree counts more than one. */
    char *all = malloc((size_t)size + 1);
    assert_non_null(all);
    rewind(f);
    assert_int_equal(fread(all, 1, (size_t)size, f), (size_t)size);
    all[size] = 0;
    int pages = 0;
    for (long i = 0; i + 12 <= size; i++)
        if (memcmp(all + i, "/Type /Page", 11) == 0 && all[i + 11] != 's')
            pages++;
    assert_true(pages >= 4);
    free(all);
    fclose(f);
    recon_spec_shutdown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amounts_follow_the_language),
        cmocka_unit_test(test_amount_never_overflows),
        cmocka_unit_test(test_pdf_of_many_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
