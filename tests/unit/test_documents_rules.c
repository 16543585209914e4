/* Unit tests for the document rules without I/O beyond a temporary file:
 * content kinds by bytes, safe download names, and the digest mail text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "formats/content_kind.h"
#include "formats/notification_mail.h"
#include "workflows/documents.h"

/* The kind of a temporary file holding n bytes of data. */
static content_kind kind_of(const void *data, size_t n)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    if (n)
        assert_int_equal(fwrite(data, 1, n, f), n);
    content_kind k = content_kind_of_file(f);
    fclose(f);
    return k;
}

static void pdf_csv_and_empty_are_told_by_their_bytes(void **state)
{
    (void)state;
    assert_int_equal(kind_of("%PDF-1.7\n...", 12), CONTENT_PDF);
    assert_int_equal(kind_of("a;b\r\n\xc3\xa9\xc3\xa9n;2\r\n", 14), CONTENT_CSV);
    assert_int_equal(kind_of("\xef\xbb\xbfnaam\n", 8), CONTENT_CSV); /* with a BOM */
    assert_int_equal(kind_of("", 0), CONTENT_EMPTY);
    assert_string_equal(content_kind_media_type(CONTENT_PDF), "application/pdf");
    assert_null(content_kind_media_type(CONTENT_EMPTY));
}

static void executables_ole2_and_binary_are_refused(void **state)
{
    (void)state;
    assert_int_equal(kind_of("\x7f"
                             "ELF\x02\x01",
                             6),
                     CONTENT_UNKNOWN);
    assert_int_equal(kind_of("MZ\x90\x00", 4), CONTENT_UNKNOWN);
    assert_int_equal(kind_of("#!/bin/sh\necho\n", 15), CONTENT_UNKNOWN);
    assert_int_equal(kind_of("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", 9), CONTENT_UNKNOWN);
    assert_int_equal(kind_of("text\0more", 9), CONTENT_UNKNOWN);
    assert_int_equal(kind_of("caf\xc3", 4), CONTENT_UNKNOWN);      /* cut sequence */
    assert_int_equal(kind_of("\xed\xa0\x80", 3), CONTENT_UNKNOWN); /* surrogate */
    assert_int_equal(kind_of("PK\x03\x04garbage", 11), CONTENT_UNKNOWN);
}

static void safe_names_keep_plain_characters_and_the_real_extension(void **state)
{
    (void)state;
    char out[DOCUMENT_FILE_NAME_MAX + 8];
    document_safe_file_name("Factuur november.exe", "pdf", out, sizeof out);
    assert_string_equal(out, "Factuur november.pdf");
    document_safe_file_name("../../etc/\"passwd\";.csv", "csv", out, sizeof out);
    assert_string_equal(out, "passwd.csv");
    document_safe_file_name("C:\\map\\Overzicht 2026 (def).xlsx", "xlsx", out, sizeof out);
    assert_string_equal(out, "Overzicht 2026 _def.xlsx");
    document_safe_file_name("\xe2\x82\xac\xe2\x82\xac.pdf", "pdf", out, sizeof out);
    assert_string_equal(out, "document.pdf");
    document_safe_file_name(NULL, "pdf", out, sizeof out);
    assert_string_equal(out, "document.pdf");
    assert_string_equal(document_category_of("addendum"), "legal");
    assert_string_equal(document_category_of("reconciliation_specification"), "financial");
    assert_null(document_category_of("other"));
}

static void digest_lists_kinds_titles_and_links_in_both_languages(void **state)
{
    (void)state;
    notification_line lines[] = {{"document.invoice", "Factuur november", "/documents/financial"},
                                 {"document.addendum", "Addendum 2027", "/documents/legal"}};
    mail_text m;
    assert_int_equal(
        notification_digest_mail("Bakkerij B.V.", lines, 2, 2, "https://portal.example/", &m),
        PORTAL_OK);
    assert_non_null(strstr(m.subject, "2 nieuwe berichten"));
    assert_non_null(strstr(m.body, "- Factuur: Factuur november\n"
                                   "  https://portal.example/documents/financial\n"));
    assert_non_null(strstr(m.body, "- Invoice: Factuur november"));
    assert_non_null(
        strstr(m.body, "- Addendum: Addendum 2027\n  https://portal.example/documents/legal"));
    assert_non_null(strstr(m.body, "Bakkerij B.V."));
}

static void a_long_digest_names_the_rest_as_a_count(void **state)
{
    (void)state;
    notification_line lines[50];
    char title[201];
    memset(title, 'x', 200);
    title[200] = '\0';
    for (int i = 0; i < 50; i++)
        lines[i] = (notification_line){"document.invoice", title, "/documents/financial"};
    mail_text m;
    assert_int_equal(notification_digest_mail("Org", lines, 50, 60, "http://h", &m), PORTAL_OK);
    assert_non_null(strstr(m.body, "- en nog "));
    assert_non_null(strstr(m.body, "- and "));
    assert_non_null(strstr(m.body, "notification address"));
    assert_int_equal(notification_digest_mail("Org", lines, 0, 0, "http://h", &m),
                     PORTAL_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pdf_csv_and_empty_are_told_by_their_bytes),
        cmocka_unit_test(executables_ole2_and_binary_are_refused),
        cmocka_unit_test(safe_names_keep_plain_characters_and_the_real_extension),
        cmocka_unit_test(digest_lists_kinds_titles_and_links_in_both_languages),
        cmocka_unit_test(a_long_digest_names_the_rest_as_a_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
