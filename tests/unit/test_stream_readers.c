/* Unit tests for reading an upload from its spooled file: the CSV and XLSX
 * readers, sniffing and SHA-256 read an open FILE and end exactly as they
 * do on the same bytes in memory (rows, result and reason), for the
 * workbooks of Excel, LibreOffice and openpyxl and for refused files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/crypto.h"
#include "formats/csv_reader.h"
#include "formats/sniff.h"
#include "formats/xlsx_reader.h"
#include "formats_test_util.h"

/* A temporary file holding data[0..len), positioned at its end (as the
 * upload leaves its spool). */
static FILE *spool_of(const void *data, size_t len)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    if (len)
        assert_int_equal(fwrite(data, 1, len, f), len);
    return f;
}

/* The XLSX reader, sniffing and SHA-256 from memory and from a file. */
static void check_xlsx_same(const void *data, size_t len)
{
    test_rows mem, file;
    test_rows_init(&mem);
    test_rows_init(&file);
    xlsx_info mem_info, file_info;
    portal_result mem_rc = xlsx_read_buffer(data, len, NULL, test_rows_fn, &mem, &mem_info);
    FILE *f = spool_of(data, len);
    portal_result file_rc = xlsx_read_stream(f, NULL, test_rows_fn, &file, &file_info);
    assert_int_equal(file_rc, mem_rc);
    assert_int_equal(file_info.reason, mem_info.reason);
    assert_int_equal(file.rows, mem.rows);
    assert_string_equal(file.out.data ? file.out.data : "", mem.out.data ? mem.out.data : "");
    sniff_kind kind;
    assert_int_equal(sniff_stream(f, &kind), 0);
    assert_string_equal(sniff_kind_name(kind), sniff_kind_name(sniff_bytes(data, len, 1)));
    unsigned char a[CRYPTO_SHA256_LEN], b[CRYPTO_SHA256_LEN];
    crypto_sha256(data, len, a);
    assert_int_equal(crypto_sha256_file(f, b), PORTAL_OK);
    assert_memory_equal(a, b, sizeof a);
    fclose(f);
    buf_free(&mem.out);
    buf_free(&file.out);
}

static void workbooks_read_the_same_from_a_file(void **state)
{
    (void)state;
    const char *names[] = {"salary_excel_style.xlsx",          "salary_libreoffice.xlsx",
                           "salary_libreoffice_style.xlsx",    "salary_openpyxl.xlsx",
                           "template_salary_libreoffice.xlsx", "salary_libreoffice.xls"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/tests/fixtures/%s", PORTAL_SOURCE_DIR, names[i]);
        size_t len = 0;
        char *data = test_read_file(path, &len);
        assert_non_null(data);
        check_xlsx_same(data, len);
        if (len > 64)
            check_xlsx_same(data, len / 2); /* truncated */
        free(data);
    }
}

static void refused_zips_are_refused_the_same(void **state)
{
    (void)state;
    /* A zip that is no workbook (a renamed .docx, say). */
    test_zip_member other[] = {{"[Content_Types].xml", "<Types/>", 0},
                               {"word/document.xml", "<w:document/>", 0}};
    size_t len = 0;
    char *zip = test_zip_build(other, 2, NULL, &len);
    assert_non_null(zip);
    check_xlsx_same(zip, len);
    FILE *f = spool_of(zip, len);
    sniff_kind kind;
    assert_int_equal(sniff_stream(f, &kind), 0);
    assert_int_equal(kind, SNIFF_ZIP_OTHER);
    fclose(f);
    free(zip);
    /* A bomb: one part far past the ratio cap. */
    test_zip_member bomb[] = {{"[Content_Types].xml", "<Types/>", 0},
                              {"xl/workbook.xml", "<workbook/>", 0},
                              {"xl/worksheets/sheet1.xml", NULL, 64u << 20}};
    zip = test_zip_build(bomb, 3, NULL, &len);
    assert_non_null(zip);
    check_xlsx_same(zip, len);
    free(zip);
}

/* The CSV reader from memory and from a file. */
static void check_csv_same(const char *data, size_t len)
{
    test_rows mem, file;
    test_rows_init(&mem);
    test_rows_init(&file);
    csv_reason mem_reason = CSV_REASON_NONE, file_reason = CSV_REASON_NONE;
    portal_result mem_rc = csv_read_buffer(data, len, NULL, test_rows_fn, &mem, &mem_reason, NULL);
    FILE *f = spool_of(data, len);
    portal_result file_rc = csv_read_stream(f, NULL, test_rows_fn, &file, &file_reason, NULL);
    fclose(f);
    assert_int_equal(file_rc, mem_rc);
    assert_int_equal(file_reason, mem_reason);
    assert_int_equal(file.rows, mem.rows);
    assert_string_equal(file.out.data ? file.out.data : "", mem.out.data ? mem.out.data : "");
    buf_free(&mem.out);
    buf_free(&file.out);
}

static void csv_reads_the_same_from_a_file(void **state)
{
    (void)state;
    check_csv_same("", 0);
    check_csv_same("a;b\r\n\"x;\"\"y\";2\r\n", 17);
    /* Larger than a block, a quoted line break across the boundary, and a
     * Windows-1252 byte past the prefix sniffing looks at. */
    size_t n = 3 * CSV_STREAM_BLOCK;
    char *big = malloc(n);
    assert_non_null(big);
    memcpy(big, "participant_number,new_salary\r\n", 31);
    for (size_t i = 31; i < n; i++)
        big[i] = (i % 40 == 39) ? '\n' : (char)('0' + i % 10);
    memcpy(big + CSV_STREAM_BLOCK - 3, "\"a\nb\"", 5);
    big[CSV_STREAM_BLOCK - 4] = ',';
    big[CSV_STREAM_BLOCK + 2] = ',';
    check_csv_same(big, n);
    big[2 * CSV_STREAM_BLOCK + 7] = (char)0xFC; /* ü in Windows-1252 */
    check_csv_same(big, n);
    FILE *f = spool_of(big, n);
    csv_reason reason = CSV_REASON_NONE;
    assert_int_equal(csv_read_stream(f, NULL, test_rows_fn, NULL, &reason, NULL),
                     PORTAL_ERR_INVALID);
    assert_int_equal(reason, CSV_REASON_NOT_UTF8);
    sniff_kind kind;
    assert_int_equal(sniff_stream(f, &kind), 0);
    assert_int_equal(kind, SNIFF_TEXT_UTF8); /* the prefix only */
    fclose(f);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(workbooks_read_the_same_from_a_file),
        cmocka_unit_test(refused_zips_are_refused_the_same),
        cmocka_unit_test(csv_reads_the_same_from_a_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
