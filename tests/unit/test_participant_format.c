/* tests/unit/test_participant_format.c: display names ("Assob, G., ter"),
 * initials, participant numbers, postal codes, countries and e-mail shapes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/participant_format.h"

static void assert_initials(const char *initials, const char *first, const char *expected)
{
    char out[PARTICIPANT_INITIALS_SIZE];
    assert_int_equal(participant_format_initials(initials, first, out, sizeof(out)), PORTAL_OK);
    assert_string_equal(out, expected);
}

static void assert_initials_fail(const char *initials, const char *first, portal_result rc)
{
    char out[PARTICIPANT_INITIALS_SIZE] = "untouched";
    assert_int_equal(participant_format_initials(initials, first, out, sizeof(out)), rc);
    assert_string_equal(out, "untouched");
}

static void test_display_name(void **state)
{
    (void)state;
    char out[PARTICIPANT_DISPLAY_NAME_SIZE];
    assert_int_equal(participant_format_display_name("Assob", "G.", "ter", out, sizeof(out)),
                     PORTAL_OK);
    assert_string_equal(out, "Assob, G., ter");
    assert_int_equal(participant_format_display_name("Jansen", "P.J.", NULL, out, sizeof(out)),
                     PORTAL_OK);
    assert_string_equal(out, "Jansen, P.J.");
    assert_int_equal(participant_format_display_name("Jansen", "P.J.", "", out, sizeof(out)),
                     PORTAL_OK);
    assert_string_equal(out, "Jansen, P.J.");
    assert_int_equal(participant_format_display_name("Berg", NULL, "van den", out, sizeof(out)),
                     PORTAL_OK);
    assert_string_equal(out, "Berg, van den");
    assert_int_equal(participant_format_display_name("Öztürk", "Ö.", NULL, out, sizeof(out)),
                     PORTAL_OK);
    assert_string_equal(out, "Öztürk, Ö.");
}

static void test_display_name_failures(void **state)
{
    (void)state;
    char out[8] = "keep";
    assert_int_equal(participant_format_display_name(NULL, "G.", "ter", out, sizeof(out)),
                     PORTAL_ERR_INVALID);
    assert_int_equal(participant_format_display_name("", "G.", "ter", out, sizeof(out)),
                     PORTAL_ERR_INVALID);
    assert_string_equal(out, "keep");
    /* "Assob, G., ter" needs 15 bytes. */
    char small[14] = "keep";
    assert_int_equal(participant_format_display_name("Assob", "G.", "ter", small, sizeof(small)),
                     PORTAL_ERR_TOO_LARGE);
    assert_string_equal(small, "keep");
    char exact[15];
    assert_int_equal(participant_format_display_name("Assob", "G.", "ter", exact, sizeof(exact)),
                     PORTAL_OK);
    assert_string_equal(exact, "Assob, G., ter");
}

static void test_initials_normalised(void **state)
{
    (void)state;
    assert_initials("G.", NULL, "G.");
    assert_initials("g", NULL, "G.");
    assert_initials("GJ", NULL, "G.J.");
    assert_initials("g.j.", NULL, "G.J.");
    assert_initials("G. J.", NULL, "G.J.");
    assert_initials("G J.", NULL, "G.J.");
    assert_initials("Th.J.", NULL, "Th.J.");
    assert_initials(" th. ", NULL, "Th.");
    assert_initials("Ö.", NULL, "Ö.");
    assert_initials("éa", NULL, "é.A.");
    /* Given initials win over first names. */
    assert_initials("P.", "Gerrit", "P.");
}

static void test_initials_derived(void **state)
{
    (void)state;
    assert_initials(NULL, "Gerrit", "G.");
    assert_initials("", "Gerrit Jan", "G.J.");
    assert_initials("  ", "Jan-Willem gerrit", "J.W.G.");
    assert_initials(NULL, "Özlem", "Ö.");
}

static void test_initials_failures(void **state)
{
    (void)state;
    assert_initials_fail(NULL, NULL, PORTAL_ERR_INVALID);
    assert_initials_fail("", " ", PORTAL_ERR_INVALID);
    assert_initials_fail("G1", NULL, PORTAL_ERR_INVALID);
    assert_initials_fail("G.-", NULL, PORTAL_ERR_INVALID);
    assert_initials_fail("...", NULL, PORTAL_ERR_INVALID);
    assert_initials_fail(NULL, "123", PORTAL_ERR_INVALID);
    /* A broken UTF-8 sequence is not a letter. */
    assert_initials_fail("\xC3", NULL, PORTAL_ERR_INVALID);
    char small[5] = "keep";
    assert_int_equal(participant_format_initials("ABC", NULL, small, sizeof(small)),
                     PORTAL_ERR_TOO_LARGE);
    assert_string_equal(small, "keep");
}

static void test_participant_number(void **state)
{
    (void)state;
    assert_true(participant_number_is_valid("2001681"));
    assert_true(participant_number_is_valid("A-12"));
    assert_true(participant_number_is_valid("12345678901234567890"));
    assert_false(participant_number_is_valid("123456789012345678901"));
    assert_false(participant_number_is_valid(""));
    assert_false(participant_number_is_valid(NULL));
    assert_false(participant_number_is_valid("-12"));
    assert_false(participant_number_is_valid("12 34"));
    assert_false(participant_number_is_valid("12/34"));
}

static void assert_postal(const char *country, const char *in, const char *expected)
{
    char out[PARTICIPANT_POSTAL_CODE_SIZE];
    assert_int_equal(participant_postal_code_normalize(country, in, out, sizeof(out)), PORTAL_OK);
    assert_string_equal(out, expected);
}

static void assert_postal_invalid(const char *country, const char *in)
{
    char out[PARTICIPANT_POSTAL_CODE_SIZE] = "keep";
    assert_int_equal(participant_postal_code_normalize(country, in, out, sizeof(out)),
                     PORTAL_ERR_INVALID);
    assert_string_equal(out, "keep");
}

static void test_postal_codes(void **state)
{
    (void)state;
    assert_postal("NL", "3011 AA", "3011 AA");
    assert_postal("NL", "3011aa", "3011 AA");
    assert_postal("NL", "9999 zz", "9999 ZZ");
    assert_postal("BE", "1000", "1000");
    assert_postal("GB", "SW1A 1AA", "SW1A 1AA");
    assert_postal_invalid("NL", "0123 AB");
    assert_postal_invalid("NL", "123 AB");
    assert_postal_invalid("NL", "1234  AB");
    assert_postal_invalid("NL", "1234 A");
    assert_postal_invalid("NL", "1234 ABC");
    assert_postal_invalid("NL", "1234 SS");
    assert_postal_invalid("NL", "1234 sa");
    assert_postal_invalid("NL", "1234 SD");
    assert_postal_invalid("NL", "");
    assert_postal_invalid("BE", "");
    assert_postal_invalid("BE", " 1000");
    assert_postal_invalid("BE", "10_00");
    assert_postal_invalid("BE", "12345678901234567");
    assert_postal_invalid("nl", "3011 AA");
    assert_postal_invalid(NULL, "3011 AA");
    assert_postal_invalid("NL", NULL);
    char small[7];
    assert_int_equal(participant_postal_code_normalize("NL", "3011AA", small, sizeof(small)),
                     PORTAL_ERR_TOO_LARGE);
}

static void test_country(void **state)
{
    (void)state;
    assert_true(participant_country_is_valid("NL"));
    assert_true(participant_country_is_valid("DE"));
    assert_false(participant_country_is_valid("nl"));
    assert_false(participant_country_is_valid("NLD"));
    assert_false(participant_country_is_valid("N"));
    assert_false(participant_country_is_valid(NULL));
}

static void test_email(void **state)
{
    (void)state;
    assert_true(participant_email_is_valid("g.ter.assob@example.nl"));
    assert_true(participant_email_is_valid("a@b.nl"));
    assert_false(participant_email_is_valid("a@b"));
    assert_false(participant_email_is_valid("@b.nl"));
    assert_false(participant_email_is_valid("a@@b.nl"));
    assert_false(participant_email_is_valid("a@b@c.nl"));
    assert_false(participant_email_is_valid("a b@c.nl"));
    assert_false(participant_email_is_valid("a@.nl"));
    assert_false(participant_email_is_valid("a@b.nl."));
    assert_false(participant_email_is_valid("a@b..nl"));
    assert_false(participant_email_is_valid(NULL));
    char longer[400];
    memset(longer, 'a', sizeof(longer));
    memcpy(longer + 380, "@example.nl", 12);
    assert_false(participant_email_is_valid(longer));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_display_name),
        cmocka_unit_test(test_display_name_failures),
        cmocka_unit_test(test_initials_normalised),
        cmocka_unit_test(test_initials_derived),
        cmocka_unit_test(test_initials_failures),
        cmocka_unit_test(test_participant_number),
        cmocka_unit_test(test_postal_codes),
        cmocka_unit_test(test_country),
        cmocka_unit_test(test_email),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
