/*
 * formats/mail_templates.h: the texts of every mail and SMS the portal
 * sends, in Dutch and English (the recipient's language).
 *
 * Each builder writes a subject and a plain-text body into caller-owned
 * buffers; PORTAL_ERR_TOO_LARGE when they do not fit.
 */
#ifndef PORTAL_FORMATS_MAIL_TEMPLATES_H
#define PORTAL_FORMATS_MAIL_TEMPLATES_H

#include <stddef.h>

#include "base/result.h"

#define MAIL_SUBJECT_MAX 200
#define MAIL_BODY_MAX 4096

typedef struct {
    char subject[MAIL_SUBJECT_MAX];
    char body[MAIL_BODY_MAX];
} mail_text;

typedef enum {
    SECURITY_PASSWORD_CHANGED,
    SECURITY_PASSWORD_RESET,
    SECURITY_MFA_ENROLLED,
    SECURITY_RECOVERY_CODES_REGENERATED,
    SECURITY_EMAIL_CHANGED
} security_event;

portal_result mail_invitation(const char *lang, const char *first_name, const char *organisation,
                              const char *link, mail_text *out);
portal_result mail_activation_code(const char *lang, const char *first_name, const char *code,
                                   mail_text *out);
portal_result mail_account_activated(const char *lang, const char *first_name, const char *username,
                                     const char *login_url, mail_text *out);
portal_result mail_password_reset(const char *lang, const char *first_name, const char *link,
                                  mail_text *out);
/* The link that lifts the sign-in wait of an account after failed attempts. */
portal_result mail_account_unlock(const char *lang, const char *first_name, const char *link,
                                  mail_text *out);
portal_result mail_username_reminder(const char *lang, const char *usernames, const char *login_url,
                                     mail_text *out);
portal_result mail_security_notice(const char *lang, const char *first_name, security_event ev,
                                   mail_text *out);
portal_result mail_email_change_code(const char *lang, const char *first_name, const char *code,
                                     mail_text *out);

/* A collective change has been processed (or failed): counts and a link,
 * no personal data. summary is the counts line, link the batch's page. */
portal_result mail_batch_finished(const char *lang, const char *first_name, int failed,
                                  const char *summary, const char *link, mail_text *out);

/* A reminder that a reconciliation (naverrekening) is due: to a user with
 * the right (name: their first name) or the organisation's notification
 * address (name: the organisation's name). deadline is YYYY-MM-DD (written
 * as DD-MM-YYYY in Dutch), days_left the days until it, link the
 * reconciliation's page. */
portal_result mail_reconciliation_reminder(const char *lang, const char *name, int year,
                                           const char *scheme_name, const char *deadline,
                                           int days_left, const char *link, mail_text *out);

/* The SMS text carrying a verification code. */
portal_result sms_activation_code(const char *lang, const char *code, char *out, size_t size);

#endif
