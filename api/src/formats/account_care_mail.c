/* formats/account_care_mail.c: see account_care_mail.h. */
#include "formats/account_care_mail.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *subject[2];
    const char *intro[2]; /* after "Beste {name},\n\n" */
} care_text;

static const care_text care_texts[] = {
    [CARE_MAIL_SECOND_FACTOR_RESET] =
        {{"Uw tweede inlogstap is opnieuw ingesteld", "Your second sign-in step was reset"},
         {"Een beheerder van {org} heeft uw authenticator-app losgekoppeld. Bij uw volgende "
          "inlog koppelt u een nieuwe app: scan de QR-code die u dan ziet.\n\nHeeft u hier niet "
          "om gevraagd? Neem dan contact op met uw beheerder.",
          "An administrator of {org} has unlinked your authenticator app. At your next sign-in you "
          "link a new app: scan the QR code you will see.\n\nDid you not ask for this? Contact "
          "your administrator."}},
    [CARE_MAIL_LOGIN_RELEASED] =
        {{"U kunt weer inloggen", "You can sign in again"},
         {"Een beheerder van {org} heeft de wachttijd na mislukte inlogpogingen opgeheven. U kunt "
          "direct weer inloggen.",
          "An administrator of {org} has lifted the wait after failed sign-in attempts. You can "
          "sign in again right away."}},
    [CARE_MAIL_MAIN_ADMIN_GIVEN] =
        {{"U bent nu hoofdbeheerder", "You are now the main administrator"},
         {"U bent nu de hoofdbeheerder van {org} in het werkgeversportaal (overgedragen door "
          "{other}). "
          "U bent aanspreekpunt voor de gebruikers en de externe gebruikers die u uitnodigt.",
          "You are now the main administrator of {org} in the employer portal (handed over by "
          "{other}). "
          "You answer for its users and the external users you invite."}},
    [CARE_MAIL_MAIN_ADMIN_HANDED] =
        {{"Hoofdbeheer overgedragen", "Main administration handed over"},
         {"Het hoofdbeheer van {org} in het werkgeversportaal is overgedragen aan {other}.",
          "The main administration of {org} in the employer portal was handed over to {other}."}},
    [CARE_MAIL_RESPONSIBLE_GIVEN] =
        {{"U bent verantwoordelijk voor een externe gebruiker",
          "You now answer for an external user"},
         {"U bent binnen {org} nu verantwoordelijk voor de externe gebruiker {other}.",
          "Within {org} you now answer for the external user {other}."}},
};

/* Copies text into out with {org} and {other} replaced; 0 when it does not
 * fit. */
static int care_fill(const char *text, const char *org, const char *other, char *out, size_t size)
{
    size_t o = 0;
    for (const char *p = text; *p;) {
        const char *with = NULL;
        if (strncmp(p, "{org}", 5) == 0) {
            with = org;
            p += 5;
        } else if (strncmp(p, "{other}", 7) == 0) {
            with = other;
            p += 7;
        }
        if (with) {
            size_t n = strlen(with);
            if (o + n >= size)
                return 0;
            memcpy(out + o, with, n);
            o += n;
            continue;
        }
        if (o + 1 >= size)
            return 0;
        out[o++] = *p++;
    }
    out[o] = '\0';
    return 1;
}

portal_result care_mail(const char *lang, care_mail_kind kind, const char *first_name,
                        const char *other, const char *organisation, const char *login_url,
                        mail_text *out)
{
    int en = lang && strcmp(lang, "en") == 0;
    if ((unsigned)kind >= sizeof care_texts / sizeof care_texts[0])
        return PORTAL_ERR_INVALID;
    const care_text *t = &care_texts[kind];
    char intro[1200];
    if (!care_fill(t->intro[en], organisation ? organisation : "", other ? other : "", intro,
                   sizeof intro))
        return PORTAL_ERR_TOO_LARGE;
    int w;
    snprintf(out->subject, sizeof out->subject, "%s", t->subject[en]);
    w = snprintf(out->body, sizeof out->body, "%s %s,\n\n%s\n\n%s %s\n\n%s\n",
                 en ? "Dear" : "Beste", first_name ? first_name : "", intro,
                 en ? "Sign in at" : "Inloggen:", login_url ? login_url : "",
                 en ? "Kind regards,\nThe employer portal"
                    : "Met vriendelijke groet,\nHet "
                      "werkgeversportaal");
    return w < 0 || (size_t)w >= sizeof out->body ? PORTAL_ERR_TOO_LARGE : PORTAL_OK;
}
