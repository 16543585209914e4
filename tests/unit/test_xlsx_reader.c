/* Unit tests for the XLSX reader: the same rows from files made by
 * openpyxl and laid out as Excel and LibreOffice do, every cell kind, and
 * every hostile kind of file refused with its own reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "formats/xlsx_reader.h"
#include "formats_test_util.h"

static const char EXPECTED[] =
    "1:participant_number|display_name|birth_date|salary|parttime_percentage|new_salary|new_"
    "parttime_percentage\n"
    "2:2001681|Assob, G., ter|D1970-05-17|N52242.28|N100|N53000\n"
    "3:2001682|=SUM(A1)|D1900-03-01|N41000.5|N80.5|N41820.51|N90\n"
    "5:2001683|Jansen|01-02-1990|||Btrue\n";

/* Reads a checked-in fixture and compares its rows with EXPECTED. */
static void check_fixture(const char *name, const char *tag)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/%s", PORTAL_SOURCE_DIR, name);
    size_t len = 0;
    char *data = test_read_file(path, &len);
    assert_non_null(data);
    test_rows t;
    test_rows_init(&t);
    xlsx_info info;
    assert_int_equal(xlsx_read_buffer(data, len, NULL, test_rows_fn, &t, &info), PORTAL_OK);
    assert_string_equal(t.out.data, EXPECTED);
    assert_string_equal(info.sheet_name, "Salarissen");
    assert_string_equal(info.template_tag, tag);
    assert_int_equal(info.reason, XLSX_REASON_NONE);
    buf_free(&t.out);
    /* The same from the path. */
    test_rows_init(&t);
    assert_int_equal(xlsx_read_file(path, NULL, test_rows_fn, &t, &info), PORTAL_OK);
    assert_string_equal(t.out.data, EXPECTED);
    buf_free(&t.out);
    free(data);
}

static void openpyxl_excel_and_libreoffice_files_read_alike(void **state)
{
    (void)state;
    check_fixture("salary_openpyxl.xlsx", "");
    check_fixture("salary_excel_style.xlsx", "");
    check_fixture("salary_libreoffice_style.xlsx", "salary_change/1");
    check_fixture("salary_libreoffice.xlsx", ""); /* saved by LibreOffice Calc 7.4 */
}

static void a_template_saved_by_libreoffice_keeps_its_tag(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/template_salary_libreoffice.xlsx",
             PORTAL_SOURCE_DIR);
    test_rows t;
    test_rows_init(&t);
    xlsx_info info;
    assert_int_equal(xlsx_read_file(path, NULL, test_rows_fn, &t, &info), PORTAL_OK);
    assert_string_equal(info.template_tag, "salary_change/1");
    assert_non_null(strstr(t.out.data, "\n3:007|=HYPERLINK(\"x\")|D1985-12-31|N41000.5|N80.5\n"));
    buf_free(&t.out);
}

/* Builds a workbook from its sheet, styles and shared strings (NULL: left
 * out) and reads it; returns the result, the rows in t. */
static portal_result read_parts(const char *sheet, const char *styles, const char *sst,
                                const char *workbook, const xlsx_limits *lim, test_rows *t,
                                xlsx_info *info)
{
    test_zip_member m[6] = {
        {"[Content_Types].xml", TEST_CT, 0},
        {"xl/workbook.xml", workbook ? workbook : TEST_WORKBOOK, 0},
        {"xl/_rels/workbook.xml.rels", NULL, 0},
        {"xl/worksheets/sheet1.xml", sheet, 0},
    };
    char rels[1024];
    snprintf(rels, sizeof rels, "%s%s%s%s</Relationships>", TEST_RELS_OPEN, TEST_REL_SHEET,
             styles ? TEST_REL_STYLES : "", sst ? TEST_REL_SST : "");
    m[2].text = rels;
    size_t n = 4;
    if (styles)
        m[n++] = (test_zip_member){"xl/styles.xml", styles, 0};
    if (sst)
        m[n++] = (test_zip_member){"xl/sharedStrings.xml", sst, 0};
    size_t len = 0;
    char *data = test_zip_build(m, n, NULL, &len);
    assert_non_null(data);
    test_rows_init(t);
    portal_result rc = xlsx_read_buffer(data, len, lim, test_rows_fn, t, info);
    free(data);
    return rc;
}

#define STYLES_DATE                                                                                \
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"             \
    "<numFmts><numFmt numFmtId=\"164\" formatCode=\"[h]:mm\"/>"                                    \
    "<numFmt numFmtId=\"165\" formatCode=\"&quot;day&quot; 0\"/>"                                  \
    "<numFmt numFmtId=\"166\" formatCode=\"yyyy\\-mm\\-dd\"/></numFmts>"                           \
    "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"                     \
    "<xf numFmtId=\"165\"/><xf numFmtId=\"166\"/><xf numFmtId=\"22\"/></cellXfs></styleSheet>"

static void dates_come_from_serials_and_date_styles(void **state)
{
    (void)state;
    test_rows t;
    xlsx_info info;
    const char *sheet = TEST_SHEET_OPEN "<row r=\"1\">"
                                        "<c r=\"A1\" s=\"1\"><v>59</v></c>"
                                        "<c r=\"B1\" s=\"1\"><v>60</v></c>"
                                        "<c r=\"C1\" s=\"1\"><v>61</v></c>"
                                        "<c r=\"D1\" s=\"1\"><v>45291.75</v></c>"
                                        "<c r=\"E1\" s=\"2\"><v>1.5</v></c>"
                                        "<c r=\"F1\" s=\"3\"><v>7</v></c>"
                                        "<c r=\"G1\" s=\"4\"><v>1</v></c>"
                                        "<c r=\"H1\" s=\"5\"><v>36526</v></c>"
                                        "<c r=\"I1\"><v>36526</v></c>"
                                        "<c r=\"J1\" t=\"d\"><v>2024-02-29T00:00:00</v></c>"
                                        "<c r=\"K1\" s=\"1\"><v>0</v></c>"
                                        "</row>" TEST_SHEET_CLOSE;
    assert_int_equal(read_parts(sheet, STYLES_DATE, NULL, NULL, NULL, &t, &info), PORTAL_OK);
    assert_string_equal(t.out.data, "1:D1900-02-28|N60|D1900-03-01|D2023-12-31|N1.5|N7|"
                                    "D1900-01-01|D2000-01-01|N36526|D2024-02-29|N0\n");
    buf_free(&t.out);
    /* The 1904 date system. */
    const char *wb1904 =
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<workbookPr date1904=\"1\"/><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
        "</sheets></workbook>";
    const char *sheet2 =
        TEST_SHEET_OPEN "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v></c>"
                        "<c r=\"B1\" s=\"1\"><v>34795</v></c></row>" TEST_SHEET_CLOSE;
    assert_int_equal(read_parts(sheet2, STYLES_DATE, NULL, wb1904, NULL, &t, &info), PORTAL_OK);
    assert_int_equal(info.date1904, 1);
    assert_string_equal(t.out.data, "1:D1904-01-01|D1999-04-07\n");
    buf_free(&t.out);
}

static void cells_of_every_kind(void **state)
{
    (void)state;
    test_rows t;
    xlsx_info info;
    const char *sst = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                      "<si><t>een</t></si><si><r><t>t</t></r><r><t>wee</t></r>"
                      "<rPh><t>PHONETIC</t></rPh></si><si><t/></si>"
                      "<si><t>&lt;&amp;&gt; &#233;</t></si></sst>";
    const char *sheet = TEST_SHEET_OPEN
        "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\" t=\"s\"><v>1</v></c>"
        "<c r=\"C2\" t=\"s\"><v>2</v></c><c r=\"D2\" t=\"s\"><v>3</v></c>"
        "<c r=\"E2\"><f>1/0</f><v>#DIV/0!</v></c>"
        "<c r=\"F2\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c>"
        "<c r=\"G2\"><f>SUM(A1:A9)</f></c>"
        "<c r=\"H2\" t=\"b\"><v>0</v></c>"
        "<c r=\"I2\"><v>-0</v></c><c r=\"J2\"><v>1.0000000000000002</v></c>"
        "<c r=\"K2\"><v>1E-3</v></c><c r=\"L2\"><v>0x10</v></c><c r=\"M2\"><v>inf</v></c>"
        "<c r=\"AA2\" t=\"inlineStr\"><is><t>ver</t></is></c></row>"
        "<row r=\"3\"><c r=\"C3\" s=\"7\"/><c r=\"D3\" t=\"s\"><v>2</v></c></row>"
        "<row><c><v>1</v></c><c><v>2</v></c></row>" TEST_SHEET_CLOSE;
    assert_int_equal(read_parts(sheet, NULL, sst, NULL, NULL, &t, &info), PORTAL_OK);
    assert_string_equal(t.out.data, "2:een|twee||<&> \xC3\xA9|#DIV/0!|E#DIV/0!||Bfalse|N0|N1|"
                                    "N0.001|0x10|inf||||||||||||||ver\n"
                                    "4:N1|N2\n");
    buf_free(&t.out);
}

static void the_callback_can_stop_the_reader(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/salary_excel_style.xlsx", PORTAL_SOURCE_DIR);
    test_rows t;
    test_rows_init(&t);
    t.stop_at = 3;
    xlsx_info info;
    assert_int_equal(xlsx_read_file(path, NULL, test_rows_fn, &t, &info), PORTAL_ERR_CONFLICT);
    assert_int_equal(info.reason, XLSX_REASON_CALLBACK);
    assert_int_equal(info.row, 3);
    assert_int_equal(xlsx_reason_problem(info.reason, NULL), 0);
    buf_free(&t.out);
}

/* Reads parts expecting refusal with `reason`. */
static void expect_refused(const char *sheet, const char *sst, const xlsx_limits *lim,
                           xlsx_reason reason)
{
    test_rows t;
    xlsx_info info;
    assert_int_not_equal(read_parts(sheet, NULL, sst, NULL, lim, &t, &info), PORTAL_OK);
    assert_string_equal(xlsx_reason_name(info.reason), xlsx_reason_name(reason));
    buf_free(&t.out);
}

static void external_entities_are_refused(void **state)
{
    (void)state;
    expect_refused(
        "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "
        "\"file:///etc/passwd\">]>" TEST_SHEET_OPEN
        "<row r=\"1\"><c t=\"inlineStr\"><is><t>&xxe;</t></is></c></row>" TEST_SHEET_CLOSE,
        NULL, NULL, XLSX_REASON_DTD);
    /* Even a DOCTYPE with nothing in it. */
    expect_refused("<!DOCTYPE worksheet>" TEST_SHEET_OPEN TEST_SHEET_CLOSE, NULL, NULL,
                   XLSX_REASON_DTD);
}

static void billion_laughs_are_refused(void **state)
{
    (void)state;
    const char *sst = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                      "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                      "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
                      "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
                      "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                      "<si><t>&lol3;</t></si></sst>";
    expect_refused(TEST_SHEET_OPEN "<row r=\"1\"><c t=\"s\"><v>0</v></c></row>" TEST_SHEET_CLOSE,
                   sst, NULL, XLSX_REASON_DTD);
}

static void malformed_xml_and_dangling_references_are_refused(void **state)
{
    (void)state;
    expect_refused(TEST_SHEET_OPEN "<row r=\"1\"><c><v>1</v></row>" TEST_SHEET_CLOSE, NULL, NULL,
                   XLSX_REASON_XML);
    expect_refused(TEST_SHEET_OPEN "<row r=\"1\"><c t=\"inlineStr\"><is><t>&undefined;</t></is>"
                                   "</c></row>" TEST_SHEET_CLOSE,
                   NULL, NULL, XLSX_REASON_XML);
    /* A shared string index past the table. */
    expect_refused(TEST_SHEET_OPEN "<row r=\"1\"><c t=\"s\"><v>5</v></c></row>" TEST_SHEET_CLOSE,
                   NULL, NULL, XLSX_REASON_XML);
}

static void caps_on_rows_columns_and_cells(void **state)
{
    (void)state;
    xlsx_limits lim = {.max_rows = 2, .max_columns = 3, .max_cell_bytes = 8};
    expect_refused(TEST_SHEET_OPEN "<row r=\"3\"><c><v>1</v></c></row>" TEST_SHEET_CLOSE, NULL,
                   &lim, XLSX_REASON_TOO_MANY_ROWS);
    expect_refused(TEST_SHEET_OPEN "<row r=\"1\"><c r=\"D1\"><v>1</v></c></row>" TEST_SHEET_CLOSE,
                   NULL, &lim, XLSX_REASON_TOO_MANY_COLUMNS);
    expect_refused(TEST_SHEET_OPEN "<row r=\"1\"><c t=\"inlineStr\"><is><t>123456789</t></is>"
                                   "</c></row>" TEST_SHEET_CLOSE,
                   NULL, &lim, XLSX_REASON_CELL_TOO_LONG);
    /* One column given over and over: the row's text is capped too. */
    buf row;
    buf_init(&row, 1u << 16);
    buf_append_str(&row, TEST_SHEET_OPEN "<row r=\"1\">");
    for (int i = 0; i < 100; i++)
        buf_append_str(&row, "<c r=\"A1\" t=\"inlineStr\"><is><t>12345678</t></is></c>");
    buf_append_str(&row, "</row>" TEST_SHEET_CLOSE);
    expect_refused(row.data, NULL, &lim, XLSX_REASON_TOO_MANY_COLUMNS);
    buf_free(&row);
    xlsx_limits strings = {.max_shared_bytes = 10};
    expect_refused(TEST_SHEET_OPEN TEST_SHEET_CLOSE,
                   "<sst><si><t>123456</t></si><si><t>123456</t></si></sst>", &strings,
                   XLSX_REASON_TOO_MANY_STRINGS);
    /* Formatting far to the right or below is no value and no row. */
    test_rows t;
    xlsx_info info;
    assert_int_equal(
        read_parts(TEST_SHEET_OPEN
                   "<row r=\"1\"><c r=\"A1\"><v>1</v></c>"
                   "<c r=\"XFD1\" s=\"0\"/></row><row r=\"1048576\"/>" TEST_SHEET_CLOSE,
                   NULL, NULL, NULL, &lim, &t, &info),
        PORTAL_OK);
    assert_string_equal(t.out.data, "1:N1\n");
    buf_free(&t.out);
}

static void missing_parts_are_refused(void **state)
{
    (void)state;
    test_zip_member no_rels[] = {{"[Content_Types].xml", TEST_CT, 0},
                                 {"xl/workbook.xml", TEST_WORKBOOK, 0},
                                 {"xl/worksheets/sheet1.xml", TEST_SHEET_OPEN TEST_SHEET_CLOSE, 0}};
    test_zip_member no_types[] = {
        {"xl/workbook.xml", TEST_WORKBOOK, 0},
        {"xl/_rels/workbook.xml.rels", TEST_RELS, 0},
        {"xl/worksheets/sheet1.xml", TEST_SHEET_OPEN TEST_SHEET_CLOSE, 0}};
    test_zip_member no_sheet[] = {{"[Content_Types].xml", TEST_CT, 0},
                                  {"xl/workbook.xml", TEST_WORKBOOK, 0},
                                  {"xl/_rels/workbook.xml.rels", TEST_RELS, 0}};
    const test_zip_member *cases[] = {no_rels, no_types, no_sheet};
    const char *parts[] = {"xl/_rels/workbook.xml.rels", "[Content_Types].xml",
                           "xl/worksheets/sheet1.xml"};
    for (size_t i = 0; i < 3; i++) {
        size_t len = 0;
        char *data = test_zip_build(cases[i], 3, NULL, &len);
        assert_non_null(data);
        xlsx_info info;
        assert_int_equal(xlsx_read_buffer(data, len, NULL, test_rows_fn, NULL, &info),
                         PORTAL_ERR_INVALID);
        assert_int_equal(info.reason, XLSX_REASON_MISSING_PART);
        assert_string_equal(info.part, parts[i]);
        const char *code = NULL;
        assert_int_equal(xlsx_reason_problem(info.reason, &code), 422);
        assert_string_equal(code, "file_unreadable");
        free(data);
    }
}

static void broken_and_truncated_zips_are_refused(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/salary_openpyxl.xlsx", PORTAL_SOURCE_DIR);
    size_t len = 0;
    char *data = test_read_file(path, &len);
    assert_non_null(data);
    xlsx_info info;
    size_t cuts[] = {len - 1, len / 2, 10, 3, 0};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        assert_int_equal(xlsx_read_buffer(data, cuts[i], NULL, test_rows_fn, NULL, &info),
                         PORTAL_ERR_INVALID);
        assert_int_equal(info.reason, XLSX_REASON_BROKEN_ZIP);
    }
    /* A flipped byte inside the compressed sheet: the CRC or inflate fails. */
    size_t len2 = 0;
    test_zip_member m[] = {
        {"[Content_Types].xml", TEST_CT, 0},
        {"xl/workbook.xml", TEST_WORKBOOK, 0},
        {"xl/_rels/workbook.xml.rels", TEST_RELS, 0},
        {"xl/worksheets/sheet1.xml",
         TEST_SHEET_OPEN "<row r=\"1\"><c><v>12345678901234567890</v></c></row>" TEST_SHEET_CLOSE,
         0}};
    char *zip = test_zip_build(m, 4, NULL, &len2);
    assert_non_null(zip);
    char *at = NULL;
    for (size_t i = 0; i + 24 < len2; i++)
        if (memcmp(zip + i, "xl/worksheets/sheet1.xml", 24) == 0) {
            at = zip + i + 24; /* the first local header's name is followed by the data */
            break;
        }
    assert_non_null(at);
    at[4] ^= 0x55;
    at[5] ^= 0x55;
    assert_int_not_equal(xlsx_read_buffer(zip, len2, NULL, test_rows_fn, NULL, &info), PORTAL_OK);
    assert_true(info.reason == XLSX_REASON_BROKEN_ZIP || info.reason == XLSX_REASON_XML);
    free(zip);
    free(data);
}

static void legacy_and_encrypted_workbooks_are_refused(void **state)
{
    (void)state;
    unsigned char ole[512] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    xlsx_info info;
    assert_int_equal(xlsx_read_buffer(ole, sizeof ole, NULL, test_rows_fn, NULL, &info),
                     PORTAL_ERR_INVALID);
    assert_int_equal(info.reason, XLSX_REASON_OLE2);
    const char *code = NULL;
    assert_int_equal(xlsx_reason_problem(info.reason, &code), 415);
    assert_string_equal(code, "unsupported_media_type");
    assert_non_null(strstr(xlsx_reason_detail(info.reason, "en"), "password"));
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/salary_libreoffice.xls", PORTAL_SOURCE_DIR);
    assert_int_equal(xlsx_read_file(path, NULL, test_rows_fn, NULL, &info), PORTAL_ERR_INVALID);
    assert_int_equal(info.reason, XLSX_REASON_OLE2);
    /* A zip whose entries are encrypted. */
    test_zip_member m[] = {{"[Content_Types].xml", TEST_CT, 0},
                           {"xl/workbook.xml", TEST_WORKBOOK, 0},
                           {"xl/_rels/workbook.xml.rels", TEST_RELS, 0},
                           {"xl/worksheets/sheet1.xml", TEST_SHEET_OPEN TEST_SHEET_CLOSE, 0}};
    size_t len = 0;
    char *zip = test_zip_build(m, 4, "geheim", &len);
    assert_non_null(zip);
    assert_int_equal(xlsx_read_buffer(zip, len, NULL, test_rows_fn, NULL, &info),
                     PORTAL_ERR_INVALID);
    assert_int_equal(info.reason, XLSX_REASON_ENCRYPTED_ENTRY);
    free(zip);
}

/* A workbook whose sheet part is `zeros` zero bytes. */
static char *bomb(zip_uint64_t zeros, size_t *len)
{
    test_zip_member m[] = {{"[Content_Types].xml", TEST_CT, 0},
                           {"xl/workbook.xml", TEST_WORKBOOK, 0},
                           {"xl/_rels/workbook.xml.rels", TEST_RELS, 0},
                           {"xl/worksheets/sheet1.xml", NULL, zeros}};
    char *zip = test_zip_build(m, 4, NULL, len);
    assert_non_null(zip);
    return zip;
}

static void zip_bombs_are_refused(void **state)
{
    (void)state;
    xlsx_info info;
    size_t len = 0;
    /* 1 GiB of zeros (about 1 MiB compressed): its declared size is over the cap. */
    char *zip = bomb(1024u * 1024 * 1024, &len);
    assert_true(len < 4u * 1024 * 1024);
    assert_int_equal(xlsx_read_buffer(zip, len, NULL, test_rows_fn, NULL, &info),
                     PORTAL_ERR_TOO_LARGE);
    assert_int_equal(info.reason, XLSX_REASON_PART_TOO_LARGE);
    assert_string_equal(info.part, "xl/worksheets/sheet1.xml");
    free(zip);
    /* 16 MiB: under the size cap, but it expands a thousandfold. */
    zip = bomb(16u * 1024 * 1024, &len);
    assert_int_equal(xlsx_read_buffer(zip, len, NULL, test_rows_fn, NULL, &info),
                     PORTAL_ERR_INVALID);
    assert_int_equal(info.reason, XLSX_REASON_COMPRESSION_RATIO);
    /* The header lies about the size (central directory and local header
     * say 1,000 bytes): the bytes actually read are counted. */
    for (size_t i = 0; i + 46 <= len; i++) {
        if (memcmp(zip + i, "PK\x01\x02", 4) == 0 &&
            memcmp(zip + i + 46, "xl/worksheets/sheet1.xml", 24) == 0) {
            uint32_t lho;
            memcpy(&lho, zip + i + 42, 4);
            const unsigned char small[4] = {0xE8, 0x03, 0, 0};
            memcpy(zip + i + 24, small, 4);   /* central: uncompressed size */
            memcpy(zip + lho + 22, small, 4); /* local: uncompressed size */
        }
    }
    assert_int_not_equal(xlsx_read_buffer(zip, len, NULL, test_rows_fn, NULL, &info), PORTAL_OK);
    assert_true(info.reason == XLSX_REASON_READ_TOO_LARGE || info.reason == XLSX_REASON_BROKEN_ZIP);
    free(zip);
    /* A cap on the bytes read over all parts. */
    buf sheet;
    buf_init(&sheet, 1u << 20);
    buf_append_str(&sheet, TEST_SHEET_OPEN);
    for (int i = 1; i <= 5000; i++)
        buf_printf(&sheet, "<row r=\"%d\"><c><v>%d</v></c></row>", i, i);
    buf_append_str(&sheet, TEST_SHEET_CLOSE);
    test_zip_member m[] = {{"[Content_Types].xml", TEST_CT, 0},
                           {"xl/workbook.xml", TEST_WORKBOOK, 0},
                           {"xl/_rels/workbook.xml.rels", TEST_RELS, 0},
                           {"xl/worksheets/sheet1.xml", sheet.data, 0}};
    zip = test_zip_build(m, 4, NULL, &len);
    buf_free(&sheet);
    xlsx_limits lim = {.max_total_bytes = 100000};
    assert_int_equal(xlsx_read_buffer(zip, len, &lim, test_rows_fn, NULL, &info),
                     PORTAL_ERR_TOO_LARGE);
    assert_int_equal(info.reason, XLSX_REASON_READ_TOO_LARGE);
    free(zip);
}

static void too_many_entries_are_refused(void **state)
{
    (void)state;
    test_zip_member m[5] = {{"[Content_Types].xml", TEST_CT, 0},
                            {"xl/workbook.xml", TEST_WORKBOOK, 0},
                            {"xl/_rels/workbook.xml.rels", TEST_RELS, 0},
                            {"xl/worksheets/sheet1.xml", TEST_SHEET_OPEN TEST_SHEET_CLOSE, 0},
                            {"extra.xml", "<x/>", 0}};
    size_t len = 0;
    char *zip = test_zip_build(m, 5, NULL, &len);
    xlsx_limits lim = {.max_entries = 4};
    xlsx_info info;
    assert_int_equal(xlsx_read_buffer(zip, len, &lim, test_rows_fn, NULL, &info),
                     PORTAL_ERR_TOO_LARGE);
    assert_int_equal(info.reason, XLSX_REASON_TOO_MANY_ENTRIES);
    free(zip);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(openpyxl_excel_and_libreoffice_files_read_alike),
        cmocka_unit_test(a_template_saved_by_libreoffice_keeps_its_tag),
        cmocka_unit_test(dates_come_from_serials_and_date_styles),
        cmocka_unit_test(cells_of_every_kind),
        cmocka_unit_test(the_callback_can_stop_the_reader),
        cmocka_unit_test(external_entities_are_refused),
        cmocka_unit_test(billion_laughs_are_refused),
        cmocka_unit_test(malformed_xml_and_dangling_references_are_refused),
        cmocka_unit_test(caps_on_rows_columns_and_cells),
        cmocka_unit_test(missing_parts_are_refused),
        cmocka_unit_test(broken_and_truncated_zips_are_refused),
        cmocka_unit_test(legacy_and_encrypted_workbooks_are_refused),
        cmocka_unit_test(zip_bombs_are_refused),
        cmocka_unit_test(too_many_entries_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
