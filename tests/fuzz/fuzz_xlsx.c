/* tests/fuzz/fuzz_xlsx.c: libFuzzer target for the XLSX reader (and the
 * header mapping of its first row), with caps small enough that one input
 * stays fast. An input starting with an even byte is read as a whole zip
 * (mutations mostly break its checksums); with an odd byte the rest is
 * wrapped, uncompressed, into a valid workbook as worksheet XML, a NUL
 * byte separating it from the shared strings XML, so the XML handlers get
 * the mutations. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "formats/sheet_columns.h"
#include "formats/xlsx_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static portal_result fuzz_row(void *ctx, const sheet_row *row)
{
    (void)ctx;
    for (size_t i = 0; i < row->n_cells; i++)
        if (strlen(row->cells[i].text) != row->cells[i].len)
            __builtin_trap();
    sheet_header_map map;
    (void)sheet_columns_map(SHEET_TEMPLATE_SALARY_CHANGE, row, &map);
    return PORTAL_OK;
}

static const char CT[] = "<Types/>";
static const char WORKBOOK[] =
    "<workbook xmlns:r=\"urn:r\"><workbookPr date1904=\"0\"/><sheets>"
    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char RELS[] =
    "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"s.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"ss.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"st.xml\"/></Relationships>";
static const char STYLES[] =
    "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts>"
    "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs>"
    "</styleSheet>";

/* Adds one stored member; 0 on failure. */
static int fuzz_add(zip_t *z, const char *name, const void *data, size_t len)
{
    zip_source_t *s = zip_source_buffer(z, data, len, 0);
    if (!s)
        return 0;
    zip_int64_t i = zip_file_add(z, name, s, 0);
    if (i < 0) {
        zip_source_free(s);
        return 0;
    }
    zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0);
    return 1;
}

/* Builds the workbook around sheet and shared strings; NULL on failure. */
static char *fuzz_wrap(const uint8_t *sheet, size_t sheet_len, const uint8_t *sst, size_t sst_len,
                       size_t *out_len)
{
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &err);
    zip_t *z = mem ? zip_open_from_source(mem, ZIP_TRUNCATE, &err) : NULL;
    zip_error_fini(&err);
    if (!z) {
        if (mem)
            zip_source_free(mem);
        return NULL;
    }
    zip_source_keep(mem);
    int ok = fuzz_add(z, "[Content_Types].xml", CT, sizeof CT - 1) &&
             fuzz_add(z, "xl/workbook.xml", WORKBOOK, sizeof WORKBOOK - 1) &&
             fuzz_add(z, "xl/_rels/workbook.xml.rels", RELS, sizeof RELS - 1) &&
             fuzz_add(z, "xl/st.xml", STYLES, sizeof STYLES - 1) &&
             fuzz_add(z, "xl/s.xml", sheet, sheet_len) && fuzz_add(z, "xl/ss.xml", sst, sst_len);
    if (!ok || zip_close(z) != 0) {
        if (!ok)
            zip_discard(z);
        zip_source_free(mem);
        return NULL;
    }
    char *out = NULL;
    zip_stat_t st;
    if (zip_source_stat(mem, &st) == 0 && zip_source_open(mem) == 0) {
        out = malloc(st.size ? st.size : 1);
        if (out && zip_source_read(mem, out, st.size) != (zip_int64_t)st.size) {
            free(out);
            out = NULL;
        }
        zip_source_close(mem);
        *out_len = st.size;
    }
    zip_source_free(mem);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    xlsx_limits lim = {.max_part_bytes = 4u << 20,
                       .max_total_bytes = 8u << 20,
                       .max_columns = 32,
                       .max_rows = 10000,
                       .max_shared_bytes = 1u << 20};
    xlsx_info info;
    if ((data[0] & 1) == 0) {
        portal_result rc = xlsx_read_buffer(data + 1, size - 1, &lim, fuzz_row, NULL, &info);
        /* Now and then the same bytes from a file, as an upload's spool is
         * read: the same end. */
        FILE *f = (data[0] & 6) == 6 ? tmpfile() : NULL;
        if (f) {
            xlsx_info stream_info;
            if (fwrite(data + 1, 1, size - 1, f) == size - 1 && fflush(f) == 0) {
                portal_result stream_rc = xlsx_read_stream(f, &lim, fuzz_row, NULL, &stream_info);
                if (stream_rc != rc || stream_info.reason != info.reason)
                    __builtin_trap();
            }
            fclose(f);
        }
    } else {
        const uint8_t *sheet = data + 1;
        const uint8_t *nul = memchr(sheet, 0, size - 1);
        size_t sheet_len = nul ? (size_t)(nul - sheet) : size - 1;
        const uint8_t *sst = nul ? nul + 1 : (const uint8_t *)"<sst/>";
        size_t sst_len = nul ? size - 1 - sheet_len - 1 : 6;
        size_t len = 0;
        char *zip = fuzz_wrap(sheet, sheet_len, sst, sst_len, &len);
        if (!zip)
            return 0;
        (void)xlsx_read_buffer(zip, len, &lim, fuzz_row, NULL, &info);
        free(zip);
    }
    (void)xlsx_reason_problem(info.reason, NULL);
    return 0;
}
