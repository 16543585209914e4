/*
 * formats/notification_mail.h: the text of the digest mail that tells an
 * employer's notification address (a distribution list, so Dutch first and
 * English below) what is new in the portal. It names only the kind and
 * title of each item and links into the portal: no personal data.
 */
#ifndef PORTAL_FORMATS_NOTIFICATION_MAIL_H
#define PORTAL_FORMATS_NOTIFICATION_MAIL_H

#include "formats/mail_templates.h"

typedef struct {
    const char *kind;  /* "document.invoice", "batch.attention", ... */
    const char *title; /* short, no personal data */
    const char *link;  /* path in the web app ("/documents/financial") */
} notification_line;

/* The label of a notification kind in lang ("nl" or "en"): "Factuur" for
 * "document.invoice"; "Bericht"/"Message" for an unknown kind. */
const char *notification_kind_label(const char *lang, const char *kind);

/*
 * notification_digest_mail -- writes the digest for organisation (its
 * name) with n lines (more than fit are summed up as "and N more"; total
 * counts every item, total >= n) and links built on base_url (the public
 * URL, no trailing slash needed) into *out. PORTAL_ERR_INVALID for n < 1.
 */
portal_result notification_digest_mail(const char *organisation, const notification_line *lines,
                                       int n, int total, const char *base_url, mail_text *out);

#endif
