/* formats/notification_mail.c: see notification_mail.h. */
#include "formats/notification_mail.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *kind;
    const char *nl;
    const char *en;
} kind_label;

static const kind_label notification_labels[] = {
    {"document.invoice", "Factuur", "Invoice"},
    {"document.booking_overview", "Boekingsoverzicht", "Booking overview"},
    {"document.reminder", "Herinnering", "Reminder"},
    {"document.reconciliation_specification", "Specificatie naverrekening",
     "Reconciliation specification"},
    {"document.pension_rules", "Pensioenreglement", "Pension rules"},
    {"document.execution_agreement", "Uitvoeringsovereenkomst", "Execution agreement"},
    {"document.addendum", "Addendum", "Addendum"},
    {"batch.attention", "Collectieve wijziging vraagt aandacht",
     "Collective change needs attention"},
    {"reconciliation.due", "Naverrekening aanleveren", "Reconciliation to hand in"},
};

const char *notification_kind_label(const char *lang, const char *kind)
{
    int en = lang && strcmp(lang, "en") == 0;
    for (size_t i = 0; kind && i < sizeof notification_labels / sizeof notification_labels[0]; i++)
        if (strcmp(notification_labels[i].kind, kind) == 0)
            return en ? notification_labels[i].en : notification_labels[i].nl;
    return en ? "Message" : "Bericht";
}

/* Appends formatted text at *at; 0 when it did not fit. */
static int digest_put(char *buf, size_t size, size_t *at, const char *a, const char *b,
                      const char *c, const char *d)
{
    int w = snprintf(buf + *at, size - *at, "%s%s%s%s", a, b, c, d);
    if (w < 0 || (size_t)w >= size - *at)
        return 0;
    *at += (size_t)w;
    return 1;
}

/* One language's part of the body: heading, lines, remainder, link. */
static int digest_part(char *buf, size_t size, size_t *at, size_t limit, const char *lang,
                       const char *organisation, const notification_line *lines, int n, int total,
                       const char *base)
{
    int en = strcmp(lang, "en") == 0;
    if (!digest_put(buf, size, at,
                    en ? "There is something new for " : "Er staat iets nieuws klaar voor ",
                    organisation,
                    en ? " in the employer portal:\n\n" : " in het werkgeversportaal:\n\n", ""))
        return 0;
    /* Lines stop at limit, leaving room for the closing lines. */
    int shown = 0;
    for (int i = 0; i < n; i++) {
        size_t before = *at;
        if (!digest_put(buf, size, at, "- ", notification_kind_label(lang, lines[i].kind), ": ",
                        lines[i].title) ||
            !digest_put(buf, size, at, "\n  ", base, lines[i].link, "\n") || *at > limit) {
            *at = before;
            buf[*at] = '\0';
            break;
        }
        shown++;
    }
    if (total > shown) {
        char more[64];
        snprintf(more, sizeof more, en ? "- and %d more\n" : "- en nog %d\n", total - shown);
        if (!digest_put(buf, size, at, more, "", "", ""))
            return 0;
    }
    return digest_put(buf, size, at,
                      en ? "\nSign in to read the details: " : "\nLog in om de details te lezen: ",
                      base, "/\n", "");
}

portal_result notification_digest_mail(const char *organisation, const notification_line *lines,
                                       int n, int total, const char *base_url, mail_text *out)
{
    if (n < 1 || total < n || !organisation || !base_url)
        return PORTAL_ERR_INVALID;
    char base[256];
    snprintf(base, sizeof base, "%s", base_url);
    size_t bl = strlen(base);
    while (bl > 0 && base[bl - 1] == '/')
        base[--bl] = '\0';
    if (total == 1)
        snprintf(out->subject, sizeof out->subject,
                 "Nieuw in het werkgeversportaal / New in the employer portal");
    else
        snprintf(out->subject, sizeof out->subject,
                 "%d nieuwe berichten in het werkgeversportaal / %d new items in the employer "
                 "portal",
                 total, total);
    size_t at = 0;
    out->body[0] = '\0';
    if (!digest_part(out->body, sizeof out->body, &at, sizeof out->body / 2 - 300, "nl",
                     organisation, lines, n, total, base) ||
        !digest_put(out->body, sizeof out->body, &at, "\n-- \n\n", "", "", "") ||
        !digest_part(out->body, sizeof out->body, &at, sizeof out->body - 500, "en", organisation,
                     lines, n, total, base) ||
        !digest_put(out->body, sizeof out->body, &at,
                    "\nDeze e-mail gaat naar het meldingsadres van uw organisatie. / This mail "
                    "goes to your organisation's notification address.\n",
                    "", "", ""))
        return PORTAL_ERR_TOO_LARGE;
    return PORTAL_OK;
}
