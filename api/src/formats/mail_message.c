/* formats/mail_message.c: see mail_message.h. */
#include "formats/mail_message.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"

static int header_safe(const char *v)
{
    return v && !strchr(v, '\r') && !strchr(v, '\n');
}

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

portal_result mail_address_only(const char *mailbox, char *out, size_t size)
{
    const char *lt = strrchr(mailbox, '<');
    const char *start = lt ? lt + 1 : mailbox;
    const char *end = lt ? strchr(start, '>') : start + strlen(start);
    if (!end)
        return PORTAL_ERR_INVALID;
    while (start < end && *start == ' ')
        start++;
    while (end > start && end[-1] == ' ')
        end--;
    size_t len = (size_t)(end - start);
    if (len == 0 || len >= size || !memchr(start, '@', len))
        return PORTAL_ERR_INVALID;
    memcpy(out, start, len);
    out[len] = '\0';
    return PORTAL_OK;
}

/* RFC 2047 encoded-word for a non-ASCII subject, split to keep lines short. */
static portal_result append_subject(buf *b, const char *subject)
{
    if (is_ascii(subject))
        return buf_printf(b, "Subject: %s\r\n", subject);
    portal_result rc = buf_append_str(b, "Subject:");
    size_t len = strlen(subject);
    size_t i = 0;
    while (rc == PORTAL_OK && i < len) {
        /* 45 bytes per word, not splitting a UTF-8 sequence. */
        size_t n = len - i < 45 ? len - i : 45;
        while (n > 0 && i + n < len && ((unsigned char)subject[i + n] & 0xC0) == 0x80)
            n--;
        char enc[80];
        crypto_base64url_encode((const unsigned char *)subject + i, n, enc, sizeof enc);
        /* base64url differs from MIME base64 in two characters and padding. */
        size_t el = strlen(enc);
        for (size_t k = 0; k < el; k++)
            enc[k] = enc[k] == '-' ? '+' : enc[k] == '_' ? '/' : enc[k];
        while (el % 4)
            enc[el++] = '=';
        enc[el] = '\0';
        rc = buf_printf(b, " =?UTF-8?B?%s?=\r\n", enc);
        i += n; /* the next word goes on a folded line starting with a space */
    }
    return rc;
}

portal_result mail_message_build(const char *from, const char *to, const char *subject,
                                 const char *body, time_t date, const char *message_id_domain,
                                 char **out)
{
    *out = NULL;
    char addr[320];
    if (!header_safe(from) || !header_safe(to) || !header_safe(subject) ||
        mail_address_only(to, addr, sizeof addr) != PORTAL_OK)
        return PORTAL_ERR_INVALID;
    char datebuf[64];
    struct tm tm;
    gmtime_r(&date, &tm);
    strftime(datebuf, sizeof datebuf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    unsigned char rnd[12];
    char id[24];
    if (crypto_random_bytes(rnd, sizeof rnd) != PORTAL_OK)
        return PORTAL_ERR_CRYPTO;
    crypto_base64url_encode(rnd, sizeof rnd, id, sizeof id);

    buf b;
    buf_init(&b, MAIL_MAX_MESSAGE);
    portal_result rc = buf_printf(&b,
                                  "From: %s\r\nTo: %s\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\n"
                                  "MIME-Version: 1.0\r\n"
                                  "Content-Type: text/plain; charset=UTF-8\r\n"
                                  "Content-Transfer-Encoding: 8bit\r\n",
                                  from, to, datebuf, id, message_id_domain);
    if (rc == PORTAL_OK)
        rc = append_subject(&b, subject);
    if (rc == PORTAL_OK)
        rc = buf_append_str(&b, "\r\n");
    /* Body: normalise line ends to CRLF; a line of a single "." is escaped
     * by the SMTP client, not here. */
    for (const char *p = body; rc == PORTAL_OK && *p; p++) {
        if (*p == '\r')
            continue;
        if (*p == '\n')
            rc = buf_append(&b, "\r\n", 2);
        else
            rc = buf_append(&b, p, 1);
    }
    if (rc == PORTAL_OK)
        rc = buf_append_str(&b, "\r\n");
    if (rc != PORTAL_OK) {
        buf_free(&b);
        return rc;
    }
    *out = buf_detach(&b);
    return *out ? PORTAL_OK : PORTAL_ERR_MEMORY;
}
