/* formats/mail_templates.c: see mail_templates.h. */
#include "formats/mail_templates.h"

#include <stdio.h>
#include <string.h>

static int en(const char *lang)
{
    return lang && strcmp(lang, "en") == 0;
}

static portal_result fill(mail_text *out, int subject_len, int body_len)
{
    if (subject_len < 0 || body_len < 0 || (size_t)subject_len >= sizeof out->subject ||
        (size_t)body_len >= sizeof out->body)
        return PORTAL_ERR_TOO_LARGE;
    return PORTAL_OK;
}

static const char SIGNATURE_NL[] = "\nMet vriendelijke groet,\nWerkgeversportaal\n\n"
                                   "Dit bericht is automatisch verstuurd; u kunt er niet op "
                                   "antwoorden.\n";
static const char SIGNATURE_EN[] = "\nKind regards,\nEmployer portal\n\n"
                                   "This message was sent automatically; please do not reply.\n";

portal_result mail_invitation(const char *lang, const char *first_name, const char *organisation,
                              const char *link, mail_text *out)
{
    int s, b;
    if (en(lang)) {
        s = snprintf(out->subject, sizeof out->subject, "Activate your employer portal account");
        b = snprintf(out->body, sizeof out->body,
                     "Dear %s,\n\nAn account has been created for you in the employer portal "
                     "for %s.\nActivate it within 7 days with this link:\n\n%s\n\n"
                     "You will be asked for your e-mail address, a verification code that we "
                     "send you, and a username and password of your choice.\n%s",
                     first_name, organisation, link, SIGNATURE_EN);
    } else {
        s = snprintf(out->subject, sizeof out->subject,
                     "Activeer uw account voor het "
                     "werkgeversportaal");
        b = snprintf(out->body, sizeof out->body,
                     "Beste %s,\n\nEr is een account voor u aangemaakt in het werkgeversportaal "
                     "van %s.\nActiveer het binnen 7 dagen via deze link:\n\n%s\n\n"
                     "U vult daarna uw e-mailadres in, een verificatiecode die wij u sturen, en "
                     "een zelfgekozen gebruikersnaam en wachtwoord.\n%s",
                     first_name, organisation, link, SIGNATURE_NL);
    }
    return fill(out, s, b);
}

portal_result mail_activation_code(const char *lang, const char *first_name, const char *code,
                                   mail_text *out)
{
    int s, b;
    if (en(lang)) {
        s = snprintf(out->subject, sizeof out->subject, "Your verification code");
        b = snprintf(out->body, sizeof out->body,
                     "Dear %s,\n\nYour verification code is:\n\n    %s\n\n"
                     "It is valid for 10 minutes. Did you not ask for it? Then you can ignore "
                     "this message.\n%s",
                     first_name, code, SIGNATURE_EN);
    } else {
        s = snprintf(out->subject, sizeof out->subject, "Uw verificatiecode");
        b = snprintf(out->body, sizeof out->body,
                     "Beste %s,\n\nUw verificatiecode is:\n\n    %s\n\n"
                     "De code is 10 minuten geldig. Heeft u deze code niet aangevraagd? Dan kunt "
                     "u dit bericht negeren.\n%s",
                     first_name, code, SIGNATURE_NL);
    }
    return fill(out, s, b);
}

portal_result mail_account_activated(const char *lang, const char *first_name, const char *username,
                                     const char *login_url, mail_text *out)
{
    int s, b;
    if (en(lang)) {
        s = snprintf(out->subject, sizeof out->subject, "Your account has been activated");
        b = snprintf(out->body, sizeof out->body,
                     "Dear %s,\n\nYour account has been activated. You log in as \"%s\" at:\n\n"
                     "%s\n\nAt your first login you set up two-factor authentication with an "
                     "authenticator app.\n%s",
                     first_name, username, login_url, SIGNATURE_EN);
    } else {
        s = snprintf(out->subject, sizeof out->subject, "Uw account is geactiveerd");
        b = snprintf(out->body, sizeof out->body,
                     "Beste %s,\n\nUw account is geactiveerd. U logt in als \"%s\" via:\n\n%s\n\n"
                     "Bij de eerste keer inloggen stelt u twee-factor-authenticatie in met een "
                     "authenticator-app.\n%s",
                     first_name, username, login_url, SIGNATURE_NL);
    }
    return fill(out, s, b);
}

portal_result mail_password_reset(const char *lang, const char *first_name, const char *link,
                                  mail_text *out)
{
    int s, b;
    if (en(lang)) {
        s = snprintf(out->subject, sizeof out->subject, "Reset your password");
        b = snprintf(out->body, sizeof out->body,
                     "Dear %s,\n\nWe received a request to reset your password. Choose a new "
                     "password within one hour with this link:\n\n%s\n\n"
                     "Did you not ask for this? Then ignore this message; your password stays "
                     "as it is.\n%s",
                     first_name, link, SIGNATURE_EN);
    } else {
        s = snprintf(out->subject, sizeof out->subject, "Wachtwoord opnieuw instellen");
        b = snprintf(out->body, sizeof out->body,
                     "Beste %s,\n\nWij ontvingen een verzoek om uw wachtwoord opnieuw in te "
                     "stellen. Kies binnen een uur een nieuw wachtwoord via deze link:\n\n%s\n\n"
                     "Heeft u dit niet gevraagd? Negeer dan dit bericht; uw wachtwoord blijft "
                     "ongewijzigd.\n%s",
                     first_name, link, SIGNATURE_NL);
    }
    return fill(out, s, b);
}

portal_result mail_username_reminder(const char *lang, const char *usernames, const char *login_url,
                                     mail_text *out)
{
    int s, b;
    if (en(lang)) {
        s = snprintf(out->subject, sizeof out->subject, "Your username");
        b = snprintf(out->body, sizeof out->body,
                     "Hello,\n\nYou asked for your username. The accounts with this e-mail "
                     "address are:\n\n%s\nLog in at %s\n%s",
                     usernames, login_url, SIGNATURE_EN);
    } else {
        s = snprintf(out->subject, sizeof out->subject, "Uw gebruikersnaam");
        b = snprintf(out->body, sizeof out->body,
                     "Beste gebruiker,\n\nU vroeg om uw gebruikersnaam. De accounts met dit "
                     "e-mailadres zijn:\n\n%s\nInloggen kan via %s\n%s",
                     usernames, login_url, SIGNATURE_NL);
    }
    return fill(out, s, b);
}

portal_result mail_security_notice(const char *lang, const char *first_name, security_event ev,
                                   mail_text *out)
{
    static const char *const what_nl[] = {
        "Uw wachtwoord is gewijzigd.",
        "Uw wachtwoord is opnieuw ingesteld via de link in onze e-mail.",
        "Er is een nieuwe authenticator-app gekoppeld voor twee-factor-authenticatie.",
        "Er zijn nieuwe herstelcodes aangemaakt; de oude werken niet meer.",
        "Het e-mailadres van uw account is gewijzigd.",
    };
    static const char *const what_en[] = {
        "Your password was changed.",
        "Your password was reset with the link in our e-mail.",
        "A new authenticator app was linked for two-factor authentication.",
        "New recovery codes were created; the old ones no longer work.",
        "The e-mail address of your account was changed.",
    };
    int s, b;
    if (en(lang)) {
        s = snprintf(out->subject, sizeof out->subject, "Security notice for your account");
        b = snprintf(out->body, sizeof out->body,
                     "Dear %s,\n\n%s\n\nWas this you? Then there is nothing to do. If not, "
                     "reset your password at once and contact your administrator.\n%s",
                     first_name, what_en[ev], SIGNATURE_EN);
    } else {
        s = snprintf(out->subject, sizeof out->subject, "Beveiligingsmelding voor uw account");
        b = snprintf(out->body, sizeof out->body,
                     "Beste %s,\n\n%s\n\nWas u dit zelf? Dan hoeft u niets te doen. Zo niet, "
                     "stel dan direct een nieuw wachtwoord in en neem contact op met uw "
                     "beheerder.\n%s",
                     first_name, what_nl[ev], SIGNATURE_NL);
    }
    return fill(out, s, b);
}

portal_result mail_email_change_code(const char *lang, const char *first_name, const char *code,
                                     mail_text *out)
{
    int s, b;
    if (en(lang)) {
        s = snprintf(out->subject, sizeof out->subject, "Confirm your new e-mail address");
        b = snprintf(out->body, sizeof out->body,
                     "Dear %s,\n\nConfirm this new e-mail address for your account with the "
                     "code:\n\n    %s\n\nThe code is valid for 10 minutes.\n%s",
                     first_name, code, SIGNATURE_EN);
    } else {
        s = snprintf(out->subject, sizeof out->subject, "Bevestig uw nieuwe e-mailadres");
        b = snprintf(out->body, sizeof out->body,
                     "Beste %s,\n\nBevestig dit nieuwe e-mailadres voor uw account met de "
                     "code:\n\n    %s\n\nDe code is 10 minuten geldig.\n%s",
                     first_name, code, SIGNATURE_NL);
    }
    return fill(out, s, b);
}

portal_result sms_activation_code(const char *lang, const char *code, char *out, size_t size)
{
    int n = en(lang) ? snprintf(out, size,
                                "Your employer portal verification code: %s "
                                "(valid 10 minutes)",
                                code)
                     : snprintf(out, size,
                                "Uw verificatiecode voor het werkgeversportaal: %s "
                                "(10 minuten geldig)",
                                code);
    return n < 0 || (size_t)n >= size ? PORTAL_ERR_TOO_LARGE : PORTAL_OK;
}
