/* Unit tests for the pure parts of request handling: language choice,
 * client address behind trusted proxies, body size, CIDR parsing
 * (base/config), route matching (http/router) and mail message building
 * (formats/mail_message). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ulfius.h>

#include "base/config.h"
#include "base/crypto.h"
#include "formats/mail_message.h"
#include "http/request.h"
#include "http/router.h"

/* ---- Accept-Language --------------------------------------------------- */

static void test_pick_language(void **state)
{
    (void)state;
    static const struct {
        const char *header;
        const char *lang;
    } cases[] = {
        {NULL, "nl"},
        {"", "nl"},
        {"en", "en"},
        {"EN", "en"},
        {"nl", "nl"},
        {"en-GB", "en"},
        {"en-US,en;q=0.9", "en"},
        {"nl-NL", "nl"},
        {"nl-BE,nl;q=0.9,en;q=0.8", "nl"},
        {"en-GB,en;q=0.9,nl;q=0.8", "en"},
        {"nl;q=0.5, en;q=0.9", "en"},
        {"en;q=0.5,nl", "nl"},
        {"de-DE,de;q=0.9,en;q=0.7", "en"},
        {"de,fr", "nl"},
        {"*", "nl"},
        {"en-US;q=0.8, nl-NL;q=0.8", "en"}, /* a tie goes to the first */
        {"english", "nl"},                  /* not the tag "en" */
        {"nederlands", "nl"},
        {"e", "nl"},
        {";;;,,,q=", "nl"},
        {",,, ,", "nl"},
        {"fr;q=1, en;q=0.1", "en"},
        {"\xC3\xA9\xFF, en", "en"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = http_pick_language(cases[i].header);
        if (strcmp(got, cases[i].lang) != 0)
            fail_msg("Accept-Language \"%s\": got %s, expected %s",
                     cases[i].header ? cases[i].header : "(null)", got, cases[i].lang);
    }
}

/* ---- client address ---------------------------------------------------- */

static void addr(const char *text, unsigned char out[16])
{
    unsigned char v4[4];
    memset(out, 0, 16);
    if (inet_pton(AF_INET, text, v4) == 1) {
        out[10] = 0xff;
        out[11] = 0xff;
        memcpy(out + 12, v4, 4);
        return;
    }
    assert_int_equal(inet_pton(AF_INET6, text, out), 1);
}

static void check_client(const char *peer, const char *xff, const config_cidr *proxies, int n,
                         const char *expect)
{
    unsigned char p[16];
    char out[64];
    addr(peer, p);
    http_client_address(p, xff, proxies, n, out, sizeof out);
    if (strcmp(out, expect) != 0)
        fail_msg("peer %s, X-Forwarded-For \"%s\": got %s, expected %s", peer, xff ? xff : "(null)",
                 out, expect);
}

static void test_client_address(void **state)
{
    (void)state;
    config_cidr proxies[3];
    assert_int_equal(config_parse_cidr("10.0.0.0/8", &proxies[0]), PORTAL_OK);
    assert_int_equal(config_parse_cidr("2001:db8::/32", &proxies[1]), PORTAL_OK);
    assert_int_equal(config_parse_cidr("127.0.0.1", &proxies[2]), PORTAL_OK);

    /* no proxies configured, or an untrusted peer: X-Forwarded-For ignored */
    check_client("203.0.113.9", "1.2.3.4", NULL, 0, "203.0.113.9");
    check_client("203.0.113.9", "1.2.3.4", proxies, 3, "203.0.113.9");
    check_client("127.0.0.2", "1.2.3.4", proxies, 3, "127.0.0.2");
    /* trusted peer without the header */
    check_client("10.0.0.1", NULL, proxies, 3, "10.0.0.1");
    check_client("10.0.0.1", "", proxies, 3, "10.0.0.1");
    /* trusted peer: the rightmost untrusted address */
    check_client("10.0.0.1", "1.2.3.4", proxies, 3, "1.2.3.4");
    check_client("127.0.0.1", " 1.2.3.4 ", proxies, 3, "1.2.3.4");
    check_client("10.0.0.1", "5.6.7.8, 1.2.3.4", proxies, 3, "1.2.3.4");
    /* a chain of trusted proxies is walked through */
    check_client("10.0.0.1", "5.6.7.8, 1.2.3.4, 10.0.0.5, 10.9.9.9", proxies, 3, "1.2.3.4");
    check_client("10.0.0.1", "1.2.3.4,10.0.0.5,127.0.0.1", proxies, 3, "1.2.3.4");
    /* every hop trusted: the leftmost one is the best we know */
    check_client("10.0.0.1", "10.0.0.7, 10.0.0.5", proxies, 3, "10.0.0.7");
    /* garbage stops the walk at the last address a trusted hop vouched for */
    check_client("10.0.0.1", "1.2.3.4, garbage", proxies, 3, "10.0.0.1");
    check_client("10.0.0.1", "garbage, 1.2.3.4", proxies, 3, "1.2.3.4");
    check_client("10.0.0.1", "1.2.3.4, 10.0.0.5, not-an-ip, 10.0.0.6", proxies, 3, "10.0.0.6");
    check_client("10.0.0.1", "1.2.3.4:5678", proxies, 3, "10.0.0.1");
    check_client("10.0.0.1", ",", proxies, 3, "10.0.0.1");
    check_client("10.0.0.1", "1.2.3.4,", proxies, 3, "10.0.0.1");
    /* IPv6 peers, proxies and clients */
    check_client("::1", "1.2.3.4", proxies, 3, "::1");
    check_client("2001:db8::1", "2a00:1450:4001::5", proxies, 3, "2a00:1450:4001::5");
    check_client("2001:db8::1", "198.51.100.4, 2001:db8:ffff::2", proxies, 3, "198.51.100.4");
    check_client("10.0.0.1", "2a00:1450::1, 2001:db8::9", proxies, 3, "2a00:1450::1");
    check_client("2001:db9::1", "1.2.3.4", proxies, 3, "2001:db9::1");

    /* A long header is read whole: the address our proxy appended at the
     * right still wins, however much the client put in front of it. */
    for (size_t pad = 1000; pad <= 9000; pad += 4000) {
        size_t cap = pad + 64;
        char *big = malloc(cap);
        assert_non_null(big);
        size_t used = 0;
        while (used + 9 < pad) {
            memcpy(big + used, "1.2.3.4, ", 9);
            used += 9;
        }
        /* the client's own last word, then what nginx appends */
        snprintf(big + used, cap - used, "6.6.6.6, 198.51.100.7");
        check_client("10.0.0.1", big, proxies, 3, "198.51.100.7");
        /* garbage of any length in front changes nothing either */
        memset(big, 'x', pad);
        snprintf(big + pad, cap - pad, ", 198.51.100.8");
        check_client("10.0.0.1", big, proxies, 3, "198.51.100.8");
        /* one over-long item is garbage, not cut into an address */
        memset(big, '1', pad);
        snprintf(big + pad, cap - pad, ".2.3.4");
        check_client("10.0.0.1", big, proxies, 3, "10.0.0.1");
        free(big);
    }
    /* a 1,023-character spoof (the size of the old copy) before the real one */
    {
        char spoof[1100];
        memset(spoof, ' ', 1016);
        snprintf(spoof + 1016, sizeof spoof - 1016, "6.6.6.6, 198.51.100.9");
        check_client("10.0.0.1", spoof, proxies, 3, "198.51.100.9");
    }
}

/* ---- body size --------------------------------------------------------- */

static void test_body_too_large(void **state)
{
    (void)state;
    struct _u_request req;
    assert_int_equal(ulfius_init_request(&req), U_OK);
    char body[64] = "{}";

    /* no Content-Length: decided from what was received */
    req.binary_body = body;
    req.binary_body_length = 10;
    assert_int_equal(http_body_too_large(&req, 10), 0);
    req.binary_body_length = 11;
    assert_int_equal(http_body_too_large(&req, 10), 1);

    /* Content-Length decides when given */
    req.binary_body_length = 2;
    u_map_put(req.map_header, "Content-Length", "2000000");
    assert_int_equal(http_body_too_large(&req, HTTP_MAX_JSON_BODY), 1);
    u_map_put(req.map_header, "Content-Length", "1048576");
    assert_int_equal(http_body_too_large(&req, HTTP_MAX_JSON_BODY), 0);
    u_map_put(req.map_header, "Content-Length", "1048577");
    assert_int_equal(http_body_too_large(&req, HTTP_MAX_JSON_BODY), 1);
    u_map_put(req.map_header, "Content-Length", "99999999999999999999999");
    assert_int_equal(http_body_too_large(&req, HTTP_MAX_JSON_BODY), 1);
    /* a small or unreadable Content-Length does not hide a big body */
    u_map_put(req.map_header, "Content-Length", "2");
    req.binary_body_length = 11;
    assert_int_equal(http_body_too_large(&req, 10), 1);
    u_map_put(req.map_header, "Content-Length", "abc");
    assert_int_equal(http_body_too_large(&req, 10), 1);
    req.binary_body_length = 3;
    assert_int_equal(http_body_too_large(&req, 10), 0);

    req.binary_body = NULL; /* not ours to free */
    req.binary_body_length = 0;
    ulfius_clean_request(&req);
}

/* ---- CIDRs ------------------------------------------------------------- */

static int contains(const char *cidr, const char *address)
{
    config_cidr c;
    unsigned char a[16];
    assert_int_equal(config_parse_cidr(cidr, &c), PORTAL_OK);
    addr(address, a);
    return config_cidr_contains(&c, a);
}

static void test_cidr(void **state)
{
    (void)state;
    config_cidr c;
    assert_int_equal(config_parse_cidr("10.0.0.0/8", &c), PORTAL_OK);
    assert_int_equal(c.prefix_len, 96 + 8);
    assert_int_equal(config_parse_cidr("192.0.2.7", &c), PORTAL_OK);
    assert_int_equal(c.prefix_len, 128);
    assert_int_equal(config_parse_cidr("::1", &c), PORTAL_OK);
    assert_int_equal(c.prefix_len, 128);
    assert_int_equal(config_parse_cidr("2001:db8::/32", &c), PORTAL_OK);
    assert_int_equal(c.prefix_len, 32);
    assert_int_equal(config_parse_cidr("0.0.0.0/0", &c), PORTAL_OK);
    assert_int_equal(c.prefix_len, 96);
    assert_int_equal(config_parse_cidr("::/0", &c), PORTAL_OK);
    assert_int_equal(c.prefix_len, 0);

    static const char *const bad[] = {
        "",
        "/8",
        "10.0.0.0/",
        "10.0.0.0/33",
        "10.0.0.0/-1",
        "10.0.0.0/8x",
        "abc",
        "1.2.3.4.5",
        "256.0.0.1",
        "::/129",
        "2001:db8::/",
        "10.0.0.0//8",
        "10.0.0.0/8/8",
        "1234567890123456789012345678901234567890123456789012345678901234567890"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (config_parse_cidr(bad[i], &c) != PORTAL_ERR_INVALID)
            fail_msg("\"%s\" was accepted", bad[i]);

    assert_true(contains("10.0.0.0/8", "10.1.2.3"));
    assert_true(contains("10.0.0.0/8", "10.255.255.255"));
    assert_false(contains("10.0.0.0/8", "11.0.0.1"));
    assert_false(contains("10.0.0.0/8", "9.255.255.255"));
    assert_true(contains("192.168.1.0/25", "192.168.1.127"));
    assert_false(contains("192.168.1.0/25", "192.168.1.128"));
    assert_true(contains("192.0.2.7", "192.0.2.7"));
    assert_false(contains("192.0.2.7", "192.0.2.8"));
    assert_true(contains("2001:db8::/32", "2001:db8:1::1"));
    assert_false(contains("2001:db8::/32", "2001:db9::1"));
    assert_true(contains("fe80::/10", "febf::1"));
    assert_false(contains("fe80::/10", "fec0::1"));
    /* IPv4 ranges hold only IPv4 addresses, even /0 */
    assert_true(contains("0.0.0.0/0", "8.8.8.8"));
    assert_false(contains("0.0.0.0/0", "2001:db8::1"));
    assert_true(contains("::/0", "8.8.8.8"));
    assert_true(contains("::/0", "2001:db8::1"));
    /* an IPv4-mapped IPv6 range matches the IPv4 address */
    assert_true(contains("::ffff:10.0.0.0/104", "10.2.3.4"));
}

/* ---- route matching ---------------------------------------------------- */

static void test_route_matches(void **state)
{
    (void)state;
    static const struct {
        const char *pattern;
        const char *path;
        int match;
    } cases[] = {
        {"/api/v1/users", "/api/v1/users", 1},
        {"/api/v1/users", "/api/v1/users/", 1},
        {"/api/v1/users", "/api/v1/users//", 0},
        {"/api/v1/users", "/api/v1/usersx", 0},
        {"/api/v1/users", "/api/v1/user", 0},
        {"/api/v1/users", "/api/v1/users/123", 0},
        {"/api/v1/users", "/api/v1", 0},
        {"/api/v1/users", "/API/v1/users", 0},
        {"/api/v1/users/:id", "/api/v1/users/123", 1},
        {"/api/v1/users/:id", "/api/v1/users/0b7c3e9e-6c55-4a7e-9d5b-1f1f3c0e2a11/", 1},
        {"/api/v1/users/:id", "/api/v1/users/", 0},
        {"/api/v1/users/:id", "/api/v1/users", 0},
        {"/api/v1/users/:id", "/api/v1/users//", 0},
        {"/api/v1/users/:id", "/api/v1/users/1/2", 0},
        {"/api/v1/users/:id/invitation", "/api/v1/users/abc/invitation", 1},
        {"/api/v1/users/:id/invitation", "/api/v1/users/abc/invitations", 0},
        {"/api/v1/users/:id/invitation", "/api/v1/users/abc", 0},
        {"/api/v1/participants/:id/changes", "/api/v1/participants/7/changes/", 1},
        {"/api/v1/files/@path", "/api/v1/files/x", 1},
        {"/", "/", 1},
        {"/healthz", "/healthz", 1},
        {"/healthz", "/readyz", 0},
        {"/api//v1", "/api/v1", 0},
        {"/api/v1", "/api//v1", 0},
        {"/api/v1", "", 0},
        {"/api/v1", "api/v1", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (http_route_matches(cases[i].pattern, cases[i].path) != cases[i].match)
            fail_msg("pattern %s, path \"%s\": expected %d", cases[i].pattern, cases[i].path,
                     cases[i].match);
}

/* ---- mail messages ----------------------------------------------------- */

/* The value of header name (first occurrence, unfolded lines kept) or NULL;
 * returns a pointer into msg just past "Name: ". */
static const char *header_start(const char *msg, const char *name)
{
    size_t n = strlen(name);
    const char *p = msg;
    while (p && *p && strncmp(p, "\r\n", 2) != 0) {
        if (strncmp(p, name, n) == 0 && p[n] == ':')
            return p + n + 1;
        p = strstr(p, "\r\n");
        if (p)
            p += 2;
    }
    return NULL;
}

static void assert_crlf_only(const char *msg)
{
    for (const char *p = msg; *p; p++) {
        if (*p == '\n')
            assert_true(p > msg && p[-1] == '\r');
        if (*p == '\r')
            assert_int_equal(p[1], '\n');
    }
}

/* Decodes the RFC 2047 words of the Subject header into out. */
static void decode_subject(const char *msg, char *out, size_t size)
{
    const char *p = header_start(msg, "Subject");
    assert_non_null(p);
    size_t o = 0;
    for (;;) {
        const char *w = strstr(p, "=?UTF-8?B?");
        const char *body = strstr(msg, "\r\n\r\n");
        if (!w || w > body)
            break;
        w += 10;
        const char *end = strstr(w, "?=");
        assert_non_null(end);
        /* an encoded word is at most 75 characters (RFC 2047 §2) */
        assert_true((size_t)(end - w) + 12 <= 75);
        char b64[128];
        size_t len = (size_t)(end - w);
        assert_true(len < sizeof b64);
        for (size_t i = 0; i < len; i++)
            b64[i] = w[i] == '+' ? '-' : w[i] == '/' ? '_' : w[i];
        long n = crypto_base64url_decode(b64, len, (unsigned char *)out + o, size - o - 1);
        assert_true(n >= 0);
        /* each word holds whole characters */
        assert_true(n == 0 || ((unsigned char)out[o] & 0xC0) != 0x80);
        o += (size_t)n;
        p = end + 2;
    }
    out[o] = '\0';
}

static void test_mail_message(void **state)
{
    (void)state;
    char *msg = NULL;
    assert_int_equal(mail_message_build("Portal <noreply@example.nl>", "Jan <jan@example.nl>",
                                        "Welkom", "Regel 1\nRegel 2\r\nRegel 3", 0, "example.nl",
                                        &msg),
                     PORTAL_OK);
    assert_non_null(msg);
    assert_crlf_only(msg);
    assert_non_null(strstr(msg, "\r\nSubject: Welkom\r\n"));
    assert_non_null(strstr(msg, "From: Portal <noreply@example.nl>\r\n"));
    assert_non_null(strstr(msg, "\r\nTo: Jan <jan@example.nl>\r\n"));
    assert_non_null(strstr(msg, "\r\nDate: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
    assert_non_null(strstr(msg, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
    assert_non_null(strstr(msg, "@example.nl>\r\n"));
    const char *body = strstr(msg, "\r\n\r\n");
    assert_non_null(body);
    assert_string_equal(body + 4, "Regel 1\r\nRegel 2\r\nRegel 3\r\n");
    free(msg);

    /* UTF-8 subjects are RFC 2047 encoded, split between characters */
    const char *subject = "Uw verificatiecode voor het werkgeversportaal \xE2\x80\x93 "
                          "\xC3\xA9\xC3\xA9n keer geldig, d\xC3\xA9\xC3\xA9 \xE2\x82\xAC";
    assert_int_equal(
        mail_message_build("noreply@example.nl", "jan@example.nl", subject, "x", 0, "d", &msg),
        PORTAL_OK);
    assert_crlf_only(msg);
    assert_non_null(strstr(msg, "\r\nSubject: =?UTF-8?B?"));
    char decoded[512];
    decode_subject(msg, decoded, sizeof decoded);
    assert_string_equal(decoded, subject);
    /* continuation lines are folded (start with a space) */
    const char *second = strstr(strstr(msg, "Subject:"), "?=\r\n") + 4;
    assert_int_equal(second[0], ' ');
    /* no raw 8-bit byte in the header block */
    for (const char *p = msg; p < strstr(msg, "\r\n\r\n"); p++)
        assert_true((unsigned char)*p < 0x80);
    free(msg);

    /* header injection is refused, whatever the header */
    msg = (char *)1;
    assert_int_equal(mail_message_build("a@example.nl", "b@example.nl", "Hi\r\nBcc: x@evil.test",
                                        "x", 0, "d", &msg),
                     PORTAL_ERR_INVALID);
    assert_null(msg);
    assert_int_equal(mail_message_build("a@example.nl", "b@example.nl\nBcc: x@evil.test", "Hi", "x",
                                        0, "d", &msg),
                     PORTAL_ERR_INVALID);
    assert_int_equal(mail_message_build("a@example.nl\r", "b@example.nl", "Hi", "x", 0, "d", &msg),
                     PORTAL_ERR_INVALID);
    assert_int_equal(mail_message_build("a@example.nl", "b@example.nl", "Hi\n", "x", 0, "d", &msg),
                     PORTAL_ERR_INVALID);
    /* the recipient must be an address */
    assert_int_equal(mail_message_build("a@example.nl", "nobody", "Hi", "x", 0, "d", &msg),
                     PORTAL_ERR_INVALID);
    assert_null(msg);
    /* a body with CR/LF in it is fine and normalised */
    assert_int_equal(
        mail_message_build("a@example.nl", "b@example.nl", "Hi", "a\r\rb\n\nc", 0, "d", &msg),
        PORTAL_OK);
    assert_string_equal(strstr(msg, "\r\n\r\n") + 4, "ab\r\n\r\nc\r\n");
    assert_crlf_only(msg);
    free(msg);
}

static void test_mail_address_only(void **state)
{
    (void)state;
    char out[64];
    static const struct {
        const char *in;
        const char *out;
    } good[] = {{"jan@example.nl", "jan@example.nl"},
                {"Jan Jansen <jan@example.nl>", "jan@example.nl"},
                {"\"Jansen, Jan\" <jan@example.nl>", "jan@example.nl"},
                {"  <jan@example.nl>  ", "jan@example.nl"},
                {"< jan@example.nl >", "jan@example.nl"},
                {"  jan@example.nl  ", "jan@example.nl"},
                {"A <b> <c@d.nl>", "c@d.nl"}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(mail_address_only(good[i].in, out, sizeof out), PORTAL_OK);
        assert_string_equal(out, good[i].out);
    }
    static const char *const bad[] = {"",    "jan",      "Jan <jan@example.nl", "<>", "Jan <>",
                                      "   ", "Jan <jan>"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (mail_address_only(bad[i], out, sizeof out) != PORTAL_ERR_INVALID)
            fail_msg("\"%s\" was accepted", bad[i]);
    /* the output buffer is a hard cap */
    char tiny[8];
    assert_int_equal(mail_address_only("jan@example.nl", tiny, sizeof tiny), PORTAL_ERR_INVALID);
    assert_int_equal(mail_address_only("a@b.nl", tiny, sizeof tiny), PORTAL_OK);
    assert_string_equal(tiny, "a@b.nl");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pick_language),     cmocka_unit_test(test_client_address),
        cmocka_unit_test(test_body_too_large),    cmocka_unit_test(test_cidr),
        cmocka_unit_test(test_route_matches),     cmocka_unit_test(test_mail_message),
        cmocka_unit_test(test_mail_address_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
