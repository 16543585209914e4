/*
 * domain/participant_format.c: display names, initials and the shape checks
 * of participant fields. See participant_format.h for the contract and the
 * decisions. Standard C only; no allocation.
 */
#include "domain/participant_format.h"

#include <string.h>

/* A small bounded writer: every append fails (and sets overflow) past cap. */
typedef struct {
    char *data;
    size_t size; /* bytes available, NUL included */
    size_t len;
    bool overflow;
} format_out;

static void format_put(format_out *o, const char *s, size_t n)
{
    if (o->overflow || o->len + n + 1 > o->size) {
        o->overflow = true;
        return;
    }
    memcpy(o->data + o->len, s, n);
    o->len += n;
    o->data[o->len] = '\0';
}

static bool format_is_ascii_letter(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool format_is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static unsigned char format_upper(unsigned char c)
{
    return (c >= 'a' && c <= 'z') ? (unsigned char)(c - 'a' + 'A') : c;
}

/* Length in bytes of the letter starting at s: 1 for an ASCII letter, 2..4
 * for a well-formed non-ASCII UTF-8 character, 0 for anything else. */
static size_t format_letter_len(const char *s)
{
    const unsigned char c = (unsigned char)s[0];
    if (format_is_ascii_letter(c)) {
        return 1;
    }
    size_t n = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            return 0;
        }
    }
    return n;
}

/* Appends one letter of n bytes, the first one upper-cased when ASCII. */
static void format_put_letter(format_out *o, const char *s, size_t n, bool capital)
{
    char first = capital ? (char)format_upper((unsigned char)s[0]) : s[0];
    format_put(o, &first, 1);
    if (n > 1) {
        format_put(o, s + 1, n - 1);
    }
}

static bool format_is_blank(const char *s)
{
    if (s == NULL) {
        return true;
    }
    for (; *s; s++) {
        if (*s != ' ' && *s != '\t') {
            return false;
        }
    }
    return true;
}

/* Initials from first names: the first letter of each name. */
static portal_result format_derive_initials(const char *names, format_out *o)
{
    bool at_start = true;
    size_t count = 0;
    for (const char *p = names; *p;) {
        if (*p == ' ' || *p == '-' || *p == '\t') {
            at_start = true;
            p++;
            continue;
        }
        size_t n = format_letter_len(p);
        if (at_start && n > 0) {
            format_put_letter(o, p, n, true);
            format_put(o, ".", 1);
            count++;
        }
        at_start = false;
        p += n > 0 ? n : 1;
    }
    return count > 0 ? PORTAL_OK : PORTAL_ERR_INVALID;
}

/* Initials as given: letters, dots and spaces only. With dots, a space or a
 * dot closes a group ("G J." -> "G.J."); without, every letter is one. */
static portal_result format_normalise_initials(const char *initials, format_out *o)
{
    const bool dotted = strchr(initials, '.') != NULL;
    bool group_open = false; /* dotted: inside a group that still needs its dot */
    size_t count = 0;
    for (const char *p = initials; *p;) {
        if (*p == ' ' || *p == '\t' || *p == '.') {
            if (group_open) {
                format_put(o, ".", 1);
                group_open = false;
            }
            p++;
            continue;
        }
        size_t n = format_letter_len(p);
        if (n == 0) {
            return PORTAL_ERR_INVALID;
        }
        if (!dotted) {
            format_put_letter(o, p, n, true);
            format_put(o, ".", 1);
            count++;
        } else {
            format_put_letter(o, p, n, !group_open);
            if (!group_open) {
                count++;
            }
            group_open = true;
        }
        p += n;
    }
    if (group_open) {
        format_put(o, ".", 1);
    }
    return count > 0 ? PORTAL_OK : PORTAL_ERR_INVALID;
}

portal_result participant_format_initials(const char *initials, const char *first_names, char *out,
                                          size_t size)
{
    if (out == NULL || size == 0) {
        return PORTAL_ERR_INVALID;
    }
    char tmp[PARTICIPANT_INITIALS_SIZE * 2];
    format_out o = {tmp, sizeof(tmp), 0, false};
    tmp[0] = '\0';
    portal_result rc;
    if (!format_is_blank(initials)) {
        rc = format_normalise_initials(initials, &o);
    } else if (!format_is_blank(first_names)) {
        rc = format_derive_initials(first_names, &o);
    } else {
        rc = PORTAL_ERR_INVALID;
    }
    if (rc != PORTAL_OK) {
        return rc;
    }
    if (o.overflow || o.len + 1 > size) {
        return PORTAL_ERR_TOO_LARGE;
    }
    memcpy(out, tmp, o.len + 1);
    return PORTAL_OK;
}

portal_result participant_format_display_name(const char *surname, const char *initials,
                                              const char *surname_prefix, char *out, size_t size)
{
    if (surname == NULL || surname[0] == '\0' || out == NULL || size == 0) {
        return PORTAL_ERR_INVALID;
    }
    char tmp[PARTICIPANT_DISPLAY_NAME_SIZE];
    format_out o = {tmp, sizeof(tmp), 0, false};
    tmp[0] = '\0';
    format_put(&o, surname, strlen(surname));
    if (initials != NULL && initials[0] != '\0') {
        format_put(&o, ", ", 2);
        format_put(&o, initials, strlen(initials));
    }
    if (surname_prefix != NULL && surname_prefix[0] != '\0') {
        format_put(&o, ", ", 2);
        format_put(&o, surname_prefix, strlen(surname_prefix));
    }
    if (o.overflow || o.len + 1 > size) {
        return PORTAL_ERR_TOO_LARGE;
    }
    memcpy(out, tmp, o.len + 1);
    return PORTAL_OK;
}

bool participant_number_is_valid(const char *number)
{
    if (number == NULL || number[0] == '\0' || number[0] == '-') {
        return false;
    }
    size_t len = 0;
    for (const char *p = number; *p; p++, len++) {
        const unsigned char c = (unsigned char)*p;
        if (!format_is_ascii_letter(c) && !format_is_digit(c) && c != '-') {
            return false;
        }
    }
    return len <= PARTICIPANT_NUMBER_MAX;
}

bool participant_country_is_valid(const char *country)
{
    return country != NULL && country[0] >= 'A' && country[0] <= 'Z' && country[1] >= 'A' &&
           country[1] <= 'Z' && country[2] == '\0';
}

/* The Dutch rule: "1234AB" or "1234 AB" (letters in either case). */
static portal_result format_dutch_postal_code(const char *in, format_out *o)
{
    const unsigned char *p = (const unsigned char *)in;
    for (int i = 0; i < 4; i++) {
        if (!format_is_digit(p[i]) || (i == 0 && p[i] == '0')) {
            return PORTAL_ERR_INVALID;
        }
    }
    size_t at = 4;
    if (p[at] == ' ') {
        at++;
    }
    if (!format_is_ascii_letter(p[at]) || !format_is_ascii_letter(p[at + 1]) || p[at + 2] != '\0') {
        return PORTAL_ERR_INVALID;
    }
    char letters[2] = {(char)format_upper(p[at]), (char)format_upper(p[at + 1])};
    if (letters[0] == 'S' && (letters[1] == 'A' || letters[1] == 'D' || letters[1] == 'S')) {
        return PORTAL_ERR_INVALID;
    }
    format_put(o, in, 4);
    format_put(o, " ", 1);
    format_put(o, letters, 2);
    return PORTAL_OK;
}

portal_result participant_postal_code_normalize(const char *country, const char *postal_code,
                                                char *out, size_t size)
{
    if (!participant_country_is_valid(country) || postal_code == NULL || out == NULL) {
        return PORTAL_ERR_INVALID;
    }
    char tmp[PARTICIPANT_POSTAL_CODE_SIZE];
    format_out o = {tmp, sizeof(tmp), 0, false};
    tmp[0] = '\0';
    if (strcmp(country, "NL") == 0) {
        if (format_dutch_postal_code(postal_code, &o) != PORTAL_OK) {
            return PORTAL_ERR_INVALID;
        }
    } else {
        size_t len = strlen(postal_code);
        if (len == 0 || len > PARTICIPANT_POSTAL_CODE_MAX || postal_code[0] == ' ' ||
            postal_code[len - 1] == ' ') {
            return PORTAL_ERR_INVALID;
        }
        for (size_t i = 0; i < len; i++) {
            const unsigned char c = (unsigned char)postal_code[i];
            if (!format_is_ascii_letter(c) && !format_is_digit(c) && c != ' ' && c != '-') {
                return PORTAL_ERR_INVALID;
            }
        }
        format_put(&o, postal_code, len);
    }
    if (o.overflow || o.len + 1 > size) {
        return PORTAL_ERR_TOO_LARGE;
    }
    memcpy(out, tmp, o.len + 1);
    return PORTAL_OK;
}

bool participant_email_is_valid(const char *email)
{
    if (email == NULL) {
        return false;
    }
    size_t len = strlen(email);
    if (len < 3 || len > PARTICIPANT_EMAIL_MAX) {
        return false;
    }
    const char *at = strchr(email, '@');
    if (at == NULL || at == email || strchr(at + 1, '@') != NULL) {
        return false;
    }
    for (const char *p = email; *p; p++) {
        const unsigned char c = (unsigned char)*p;
        if (c <= ' ' || c == 0x7F) {
            return false;
        }
    }
    const char *domain = at + 1;
    const char *dot = strchr(domain, '.');
    size_t dlen = strlen(domain);
    return dot != NULL && domain[0] != '.' && dlen > 0 && domain[dlen - 1] != '.' &&
           strstr(domain, "..") == NULL;
}
