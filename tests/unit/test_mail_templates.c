/* Unit tests for the mail and SMS texts: values in their places, the
 * recipient's language, the signature, and the size caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "formats/mail_templates.h"

static void values_land_in_their_places(void **state)
{
    (void)state;
    mail_text m;
    assert_int_equal(mail_account_activated("nl", "Anna", "anna.j", "https://x/login", &m),
                     PORTAL_OK);
    assert_string_equal(m.subject, "Uw account is geactiveerd");
    assert_non_null(strstr(m.body, "Beste Anna,\n\nUw account is geactiveerd. U logt in als "
                                   "\"anna.j\" via:\n\nhttps://x/login\n\n"));
    assert_non_null(strstr(m.body, "\nMet vriendelijke groet,\nWerkgeversportaal\n"));
}

static void english_only_for_en(void **state)
{
    (void)state;
    mail_text m;
    assert_int_equal(mail_password_reset("en", "Anna", "https://x/r", &m), PORTAL_OK);
    assert_string_equal(m.subject, "Reset your password");
    assert_non_null(strstr(m.body, "Kind regards,\nEmployer portal"));
    /* Anything but "en" (missing, another language) is Dutch. */
    assert_int_equal(mail_password_reset(NULL, "Anna", "https://x/r", &m), PORTAL_OK);
    assert_string_equal(m.subject, "Wachtwoord opnieuw instellen");
    assert_int_equal(mail_password_reset("de", "Anna", "https://x/r", &m), PORTAL_OK);
    assert_string_equal(m.subject, "Wachtwoord opnieuw instellen");
}

static void a_value_is_never_read_as_a_template(void **state)
{
    (void)state;
    mail_text m;
    assert_int_equal(mail_activation_code("en", "{2} %s %n", "123456", &m), PORTAL_OK);
    assert_non_null(strstr(m.body, "Dear {2} %s %n,\n\nYour verification code is:\n\n    123456"));
}

static void every_security_event_has_its_sentence(void **state)
{
    (void)state;
    mail_text m;
    assert_int_equal(mail_security_notice("nl", "Anna", SECURITY_EMAIL_CHANGED, &m), PORTAL_OK);
    assert_non_null(strstr(m.body, "Het e-mailadres van uw account is gewijzigd."));
    assert_int_equal(mail_security_notice("en", "Anna", SECURITY_MFA_ENROLLED, &m), PORTAL_OK);
    assert_non_null(strstr(m.body, "A new authenticator app was linked"));
    assert_int_equal(mail_security_notice("en", "Anna", (security_event)99, &m),
                     PORTAL_ERR_INVALID);
}

static void caps_are_respected(void **state)
{
    (void)state;
    mail_text m;
    char big[MAIL_BODY_MAX + 1];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(mail_invitation("nl", big, "Org", "https://x", &m), PORTAL_ERR_TOO_LARGE);
    char sms[160];
    assert_int_equal(sms_activation_code("nl", "123456", sms, sizeof sms), PORTAL_OK);
    assert_string_equal(sms, "Uw verificatiecode voor het werkgeversportaal: 123456 "
                             "(10 minuten geldig)");
    assert_int_equal(sms_activation_code("en", "123456", sms, 20), PORTAL_ERR_TOO_LARGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_land_in_their_places),
        cmocka_unit_test(english_only_for_en),
        cmocka_unit_test(a_value_is_never_read_as_a_template),
        cmocka_unit_test(every_security_event_has_its_sentence),
        cmocka_unit_test(caps_are_respected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
