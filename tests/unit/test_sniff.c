/* Unit tests for content sniffing: each kind from its bytes, XLSX decided
 * from the zip's entries, and the verdict per use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "formats/sniff.h"
#include "formats_test_util.h"

static void check(const void *data, size_t len, int complete, sniff_kind want)
{
    assert_string_equal(sniff_kind_name(sniff_bytes(data, len, complete)), sniff_kind_name(want));
}

static void magic_numbers(void **state)
{
    (void)state;
    check(NULL, 0, 1, SNIFF_EMPTY);
    check("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", 14, 1, SNIFF_PDF);
    check("\x7F"
          "ELF\x02\x01\x01",
          7, 1, SNIFF_EXECUTABLE);
    check("MZ\x90\x00\x03", 5, 1, SNIFF_EXECUTABLE);
    check("\xFF\xFEp\x00", 4, 1, SNIFF_TEXT_UTF16);
    unsigned char ole[1024] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    check(ole, sizeof ole, 1, SNIFF_OLE2);
    /* A password-protected XLSX: OLE2 with an EncryptedPackage stream. */
    const char *name = "EncryptedPackage";
    for (size_t i = 0; name[i]; i++)
        ole[600 + 2 * i] = (unsigned char)name[i];
    check(ole, sizeof ole, 1, SNIFF_OLE2_ENCRYPTED);
    /* A real .xls saved by LibreOffice Calc. */
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/salary_libreoffice.xls", PORTAL_SOURCE_DIR);
    size_t len = 0;
    char *xls = test_read_file(path, &len);
    assert_non_null(xls);
    check(xls, len, 1, SNIFF_OLE2);
    free(xls);
}

static void zips_are_decided_by_their_entries(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/salary_openpyxl.xlsx", PORTAL_SOURCE_DIR);
    size_t len = 0;
    char *xlsx = test_read_file(path, &len);
    assert_non_null(xlsx);
    check(xlsx, len, 1, SNIFF_XLSX);
    check(xlsx, 512, 0, SNIFF_ZIP_UNDECIDED);
    check(xlsx, len / 2, 1, SNIFF_ZIP_BROKEN);
    free(xlsx);
    /* A Word document has content types but no workbook; a jar neither. */
    test_zip_member docx[] = {{"[Content_Types].xml", TEST_CT, 0},
                              {"word/document.xml", "<w:document/>", 0}};
    test_zip_member jar[] = {{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n", 0},
                             {"xl/workbook.xml", TEST_WORKBOOK, 0}};
    char *zip = test_zip_build(docx, 2, NULL, &len);
    check(zip, len, 1, SNIFF_ZIP_OTHER);
    free(zip);
    zip = test_zip_build(jar, 2, NULL, &len);
    check(zip, len, 1, SNIFF_ZIP_OTHER);
    free(zip);
    check("PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 22, 1, SNIFF_ZIP_BROKEN);
}

static void text_is_utf8_or_windows_1252(void **state)
{
    (void)state;
    check("a;b\r\n1;2\r\n", 10, 1, SNIFF_TEXT_UTF8);
    check("\xEF\xBB\xBFnaam;caf\xC3\xA9\n", 13, 1, SNIFF_TEXT_UTF8);
    check("naam;caf\xE9\n", 10, 1, SNIFF_TEXT_WINDOWS_1252);
    check("bedrag;\x80 5\n", 11, 1, SNIFF_TEXT_WINDOWS_1252);
    /* A UTF-8 sequence cut by the end of a prefix is fine, not of a file. */
    check("caf\xC3", 4, 0, SNIFF_TEXT_UTF8);
    check("caf\xC3", 4, 1, SNIFF_TEXT_WINDOWS_1252);
    check("a\0b", 3, 1, SNIFF_BINARY);
    check("a\x01"
          "b",
          3, 1, SNIFF_BINARY);
    check("caf\x81", 4, 1, SNIFF_BINARY);
    assert_true(sniff_is_utf8((const unsigned char *)"\xF0\x9F\x98\x80", 4, 0));
    assert_false(sniff_is_utf8((const unsigned char *)"\xED\xA0\x80", 3, 0)); /* surrogate */
    assert_false(sniff_is_utf8((const unsigned char *)"\xE0\x80\xAF", 3, 0)); /* overlong */
    assert_false(sniff_is_utf8((const unsigned char *)"\xF4\x90\x80\x80", 4, 0));
}

static void verdicts_per_use(void **state)
{
    (void)state;
    const char *code = NULL, *type = NULL;
    assert_int_equal(sniff_verdict(SNIFF_XLSX, SNIFF_USE_BATCH, &code, &type), 0);
    assert_null(code);
    assert_string_equal(type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_int_equal(sniff_verdict(SNIFF_TEXT_UTF8, SNIFF_USE_BATCH, &code, &type), 0);
    assert_string_equal(type, "text/csv");
    assert_int_equal(sniff_verdict(SNIFF_PDF, SNIFF_USE_DOCUMENT, &code, &type), 0);
    assert_string_equal(type, "application/pdf");
    assert_int_equal(sniff_verdict(SNIFF_PDF, SNIFF_USE_BATCH, &code, &type), 415);
    assert_string_equal(code, "unsupported_media_type");
    sniff_kind refused[] = {SNIFF_OLE2, SNIFF_OLE2_ENCRYPTED, SNIFF_ZIP_OTHER, SNIFF_EXECUTABLE,
                            SNIFF_BINARY};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        assert_int_equal(sniff_verdict(refused[i], SNIFF_USE_DOCUMENT, &code, NULL), 415);
        assert_int_equal(sniff_verdict(refused[i], SNIFF_USE_BATCH, &code, NULL), 415);
        assert_string_equal(code, "unsupported_media_type");
    }
    sniff_kind unreadable[] = {SNIFF_EMPTY, SNIFF_ZIP_BROKEN, SNIFF_TEXT_WINDOWS_1252,
                               SNIFF_TEXT_UTF16};
    for (size_t i = 0; i < sizeof unreadable / sizeof unreadable[0]; i++) {
        assert_int_equal(sniff_verdict(unreadable[i], SNIFF_USE_BATCH, &code, NULL), 422);
        assert_string_equal(code, "file_unreadable");
    }
    assert_non_null(strstr(sniff_detail(SNIFF_TEXT_WINDOWS_1252, "nl"), "CSV UTF-8"));
    assert_non_null(strstr(sniff_detail(SNIFF_TEXT_WINDOWS_1252, "en"), "CSV UTF-8"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(magic_numbers),
        cmocka_unit_test(zips_are_decided_by_their_entries),
        cmocka_unit_test(text_is_utf8_or_windows_1252),
        cmocka_unit_test(verdicts_per_use),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
