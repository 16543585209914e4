/*
 * formats/account_care_mail.h: the mails that tell a user what an
 * administrator did to their account (seed 002 §4-5, seed 003), in the
 * recipient's language. No codes, secrets or links that grant anything.
 */
#ifndef PORTAL_FORMATS_ACCOUNT_CARE_MAIL_H
#define PORTAL_FORMATS_ACCOUNT_CARE_MAIL_H

#include "formats/mail_templates.h"

typedef enum {
    CARE_MAIL_SECOND_FACTOR_RESET, /* enrol a new authenticator at the next login */
    CARE_MAIL_LOGIN_RELEASED,      /* the sign-in wait was lifted */
    CARE_MAIL_MAIN_ADMIN_GIVEN,    /* you are now the main administrator */
    CARE_MAIL_MAIN_ADMIN_HANDED,   /* you handed the role over to {other} */
    CARE_MAIL_RESPONSIBLE_GIVEN    /* you now answer for external user {other} */
} care_mail_kind;

/* Writes the mail for kind to first_name (other: the other person's name
 * where the kind names one; organisation: the organisation's name;
 * login_url: where to sign in). PORTAL_ERR_TOO_LARGE when it does not fit. */
portal_result care_mail(const char *lang, care_mail_kind kind, const char *first_name,
                        const char *other, const char *organisation, const char *login_url,
                        mail_text *out);

#endif
