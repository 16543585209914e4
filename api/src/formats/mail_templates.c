/* formats/mail_templates.c: see mail_templates.h. */
#include "formats/mail_templates.h"

#include <stdio.h>
#include <string.h>

/* A text in both languages. Bodies hold placeholders {1} to {3} for the
 * builder's values (in the order the builder passes them); the signature is
 * appended to every body. Placeholders, not printf formats: a value is never
 * read as a format. */
typedef struct {
    const char *subject[2]; /* [0] Dutch, [1] English */
    const char *body[2];
} mail_template;

static const char *const SIGNATURE[2] = {
    "\nMet vriendelijke groet,\nWerkgeversportaal\n\n"
    "Dit bericht is automatisch verstuurd; u kunt er niet op antwoorden.\n",
    "\nKind regards,\nEmployer portal\n\n"
    "This message was sent automatically; please do not reply.\n",
};

static int lang_index(const char *lang)
{
    return lang && strcmp(lang, "en") == 0;
}

/* Appends len bytes to out (size bytes, holding *at of them); 0 when they
 * do not fit (out then holds what did). */
static int append(char *out, size_t size, size_t *at, const char *s, size_t len)
{
    if (*at + len >= size)
        return 0;
    memcpy(out + *at, s, len);
    *at += len;
    out[*at] = '\0';
    return 1;
}

/* Writes text into out with {1}..{3} replaced by values[0..2] (NULL: empty)
 * and `tail` appended; PORTAL_ERR_TOO_LARGE when it does not fit. */
static portal_result expand(char *out, size_t size, const char *text, const char *const *values,
                            const char *tail)
{
    size_t at = 0;
    int ok = 1;
    out[0] = '\0';
    for (const char *p = text; ok && *p;) {
        if (p[0] == '{' && p[1] >= '1' && p[1] <= '3' && p[2] == '}') {
            const char *v = values[p[1] - '1'];
            ok = v ? append(out, size, &at, v, strlen(v)) : 1;
            p += 3;
            continue;
        }
        size_t run = strcspn(p + 1, "{") + 1;
        ok = append(out, size, &at, p, run);
        p += run;
    }
    if (ok && tail)
        ok = append(out, size, &at, tail, strlen(tail));
    return ok ? PORTAL_OK : PORTAL_ERR_TOO_LARGE;
}

/* Renders template t in lang with up to three values into out. */
static portal_result render(mail_text *out, const char *lang, const mail_template *t,
                            const char *v1, const char *v2, const char *v3)
{
    const char *values[3] = {v1, v2, v3};
    int i = lang_index(lang);
    portal_result rc = expand(out->subject, sizeof out->subject, t->subject[i], values, NULL);
    return rc == PORTAL_OK ? expand(out->body, sizeof out->body, t->body[i], values, SIGNATURE[i])
                           : rc;
}

static const mail_template INVITATION = {
    {"Activeer uw account voor het werkgeversportaal", "Activate your employer portal account"},
    {"Beste {1},\n\nEr is een account voor u aangemaakt in het werkgeversportaal van {2}.\n"
     "Activeer het binnen 7 dagen via deze link:\n\n{3}\n\n"
     "U vult daarna uw e-mailadres in, een verificatiecode die wij u sturen, en een "
     "zelfgekozen gebruikersnaam en wachtwoord.\n",
     "Dear {1},\n\nAn account has been created for you in the employer portal for {2}.\n"
     "Activate it within 7 days with this link:\n\n{3}\n\n"
     "You will be asked for your e-mail address, a verification code that we send you, and a "
     "username and password of your choice.\n"},
};

static const mail_template ACTIVATION_CODE = {
    {"Uw verificatiecode", "Your verification code"},
    {"Beste {1},\n\nUw verificatiecode is:\n\n    {2}\n\n"
     "De code is 10 minuten geldig. Heeft u deze code niet aangevraagd? Dan kunt u dit bericht "
     "negeren.\n",
     "Dear {1},\n\nYour verification code is:\n\n    {2}\n\n"
     "It is valid for 10 minutes. Did you not ask for it? Then you can ignore this message.\n"},
};

static const mail_template ACCOUNT_ACTIVATED = {
    {"Uw account is geactiveerd", "Your account has been activated"},
    {"Beste {1},\n\nUw account is geactiveerd. U logt in als \"{2}\" via:\n\n{3}\n\n"
     "Bij de eerste keer inloggen stelt u twee-factor-authenticatie in met een "
     "authenticator-app.\n",
     "Dear {1},\n\nYour account has been activated. You log in as \"{2}\" at:\n\n{3}\n\n"
     "At your first login you set up two-factor authentication with an authenticator app.\n"},
};

static const mail_template PASSWORD_RESET = {
    {"Wachtwoord opnieuw instellen", "Reset your password"},
    {"Beste {1},\n\nWij ontvingen een verzoek om uw wachtwoord opnieuw in te stellen. Kies "
     "binnen een uur een nieuw wachtwoord via deze link:\n\n{2}\n\n"
     "Heeft u dit niet gevraagd? Negeer dan dit bericht; uw wachtwoord blijft ongewijzigd.\n",
     "Dear {1},\n\nWe received a request to reset your password. Choose a new password within "
     "one hour with this link:\n\n{2}\n\n"
     "Did you not ask for this? Then ignore this message; your password stays as it is.\n"},
};

static const mail_template ACCOUNT_UNLOCK = {
    {"Inloggen op uw account is tijdelijk geblokkeerd", "Signing in to your account is paused"},
    {"Beste {1},\n\nEr is een aantal keer met een verkeerd wachtwoord of een verkeerde code "
     "geprobeerd in te loggen op uw account. Daarom moet elke nieuwe poging nu even wachten.\n\n"
     "Was u dit zelf? Heft u de blokkade binnen een uur op via deze link:\n\n{2}\n\n"
     "Was u dit niet? Dan hoeft u niets te doen: uw wachtwoord is niet geraden. Stel voor de "
     "zekerheid een nieuw wachtwoord in.\n",
     "Dear {1},\n\nSomeone tried to sign in to your account several times with a wrong password "
     "or code, so each new attempt must now wait a while.\n\n"
     "Was this you? Lift the pause within one hour with this link:\n\n{2}\n\n"
     "Was this not you? Then there is nothing to do: your password was not guessed. To be safe, "
     "choose a new password.\n"},
};

static const mail_template USERNAME_REMINDER = {
    {"Uw gebruikersnaam", "Your username"},
    {"Beste gebruiker,\n\nU vroeg om uw gebruikersnaam. De accounts met dit e-mailadres "
     "zijn:\n\n{1}\nInloggen kan via {2}\n",
     "Hello,\n\nYou asked for your username. The accounts with this e-mail address are:\n\n"
     "{1}\nLog in at {2}\n"},
};

static const mail_template SECURITY_NOTICE = {
    {"Beveiligingsmelding voor uw account", "Security notice for your account"},
    {"Beste {1},\n\n{2}\n\nWas u dit zelf? Dan hoeft u niets te doen. Zo niet, stel dan direct "
     "een nieuw wachtwoord in en neem contact op met uw beheerder.\n",
     "Dear {1},\n\n{2}\n\nWas this you? Then there is nothing to do. If not, reset your "
     "password at once and contact your administrator.\n"},
};

static const mail_template EMAIL_CHANGE_CODE = {
    {"Bevestig uw nieuwe e-mailadres", "Confirm your new e-mail address"},
    {"Beste {1},\n\nBevestig dit nieuwe e-mailadres voor uw account met de code:\n\n    {2}\n\n"
     "De code is 10 minuten geldig.\n",
     "Dear {1},\n\nConfirm this new e-mail address for your account with the code:\n\n    "
     "{2}\n\nThe code is valid for 10 minutes.\n"},
};

portal_result mail_invitation(const char *lang, const char *first_name, const char *organisation,
                              const char *link, mail_text *out)
{
    return render(out, lang, &INVITATION, first_name, organisation, link);
}

portal_result mail_activation_code(const char *lang, const char *first_name, const char *code,
                                   mail_text *out)
{
    return render(out, lang, &ACTIVATION_CODE, first_name, code, NULL);
}

portal_result mail_account_activated(const char *lang, const char *first_name, const char *username,
                                     const char *login_url, mail_text *out)
{
    return render(out, lang, &ACCOUNT_ACTIVATED, first_name, username, login_url);
}

portal_result mail_password_reset(const char *lang, const char *first_name, const char *link,
                                  mail_text *out)
{
    return render(out, lang, &PASSWORD_RESET, first_name, link, NULL);
}

portal_result mail_account_unlock(const char *lang, const char *first_name, const char *link,
                                  mail_text *out)
{
    return render(out, lang, &ACCOUNT_UNLOCK, first_name, link, NULL);
}

portal_result mail_username_reminder(const char *lang, const char *usernames, const char *login_url,
                                     mail_text *out)
{
    return render(out, lang, &USERNAME_REMINDER, usernames, login_url, NULL);
}

portal_result mail_security_notice(const char *lang, const char *first_name, security_event ev,
                                   mail_text *out)
{
    static const char *const what[][2] = {
        {"Uw wachtwoord is gewijzigd.", "Your password was changed."},
        {"Uw wachtwoord is opnieuw ingesteld via de link in onze e-mail.",
         "Your password was reset with the link in our e-mail."},
        {"Er is een nieuwe authenticator-app gekoppeld voor twee-factor-authenticatie.",
         "A new authenticator app was linked for two-factor authentication."},
        {"Er zijn nieuwe herstelcodes aangemaakt; de oude werken niet meer.",
         "New recovery codes were created; the old ones no longer work."},
        {"Het e-mailadres van uw account is gewijzigd.",
         "The e-mail address of your account was changed."},
    };
    if ((size_t)ev >= sizeof what / sizeof what[0])
        return PORTAL_ERR_INVALID;
    return render(out, lang, &SECURITY_NOTICE, first_name, what[ev][lang_index(lang)], NULL);
}

portal_result mail_email_change_code(const char *lang, const char *first_name, const char *code,
                                     mail_text *out)
{
    return render(out, lang, &EMAIL_CHANGE_CODE, first_name, code, NULL);
}

static const mail_template BATCH_PROCESSED = {
    {"Uw collectieve wijziging is verwerkt", "Your collective change has been processed"},
    {"Beste {1},\n\nUw collectieve wijziging is verwerkt.\n\n{2}\n\n"
     "U ziet de details in het werkgeversportaal:\n\n{3}\n",
     "Dear {1},\n\nYour collective change has been processed.\n\n{2}\n\n"
     "You can see the details in the employer portal:\n\n{3}\n"},
};

static const mail_template BATCH_FAILED = {
    {"Uw collectieve wijziging is niet volledig verwerkt",
     "Your collective change was not fully processed"},
    {"Beste {1},\n\nBij het verwerken van uw collectieve wijziging ging iets mis. "
     "Wat al verwerkt was, blijft staan.\n\n{2}\n\n"
     "Bekijk de details en neem zo nodig contact met ons op:\n\n{3}\n",
     "Dear {1},\n\nSomething went wrong while processing your collective change. "
     "What was processed stays in place.\n\n{2}\n\n"
     "See the details and contact us if needed:\n\n{3}\n"},
};

portal_result mail_batch_finished(const char *lang, const char *first_name, int failed,
                                  const char *summary, const char *link, mail_text *out)
{
    return render(out, lang, failed ? &BATCH_FAILED : &BATCH_PROCESSED, first_name, summary, link);
}

static const mail_template RECONCILIATION_REMINDER = {
    {"Herinnering: lever uw naverrekening aan", "Reminder: hand in your reconciliation"},
    {"Beste {1},\n\n{2}\n\nVul de naverrekening aan en kies \"Klaar en verzenden\" in het "
     "werkgeversportaal:\n\n{3}\n\nHebt u de naverrekening al verzonden? Dan kunt u dit bericht "
     "negeren.\n",
     "Dear {1},\n\n{2}\n\nComplete the reconciliation and choose \"Done and send\" in the "
     "employer portal:\n\n{3}\n\nHave you sent the reconciliation already? Then you can ignore "
     "this message.\n"},
};

portal_result mail_reconciliation_reminder(const char *lang, const char *name, int year,
                                           const char *scheme_name, const char *deadline,
                                           int days_left, const char *link, mail_text *out)
{
    int i = lang_index(lang);
    char date[16], line[512];
    if (i == 0 && deadline && strlen(deadline) == 10)
        snprintf(date, sizeof date, "%.2s-%.2s-%.4s", deadline + 8, deadline + 5, deadline);
    else
        snprintf(date, sizeof date, "%s", deadline ? deadline : "");
    const char *scheme = scheme_name ? scheme_name : "";
    int n = i ? snprintf(line, sizeof line,
                         "The %d reconciliation of scheme %s is due on %s (%d day(s) from now).",
                         year, scheme, date, days_left)
              : snprintf(line, sizeof line,
                         "De naverrekening %d van regeling %s moet uiterlijk %s zijn aangeleverd "
                         "(nog %d dag(en)).",
                         year, scheme, date, days_left);
    if (n < 0 || (size_t)n >= sizeof line)
        return PORTAL_ERR_TOO_LARGE;
    return render(out, lang, &RECONCILIATION_REMINDER, name, line, link);
}

portal_result sms_activation_code(const char *lang, const char *code, char *out, size_t size)
{
    static const char *const text[2] = {
        "Uw verificatiecode voor het werkgeversportaal: {1} (10 minuten geldig)",
        "Your employer portal verification code: {1} (valid 10 minutes)",
    };
    const char *values[3] = {code, NULL, NULL};
    return size ? expand(out, size, text[lang_index(lang)], values, NULL) : PORTAL_ERR_TOO_LARGE;
}
