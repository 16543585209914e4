/*
 * tests/unit/formats_test_util.h: helpers shared by the file-format tests:
 * a row collector that turns reported rows into one comparable string, and
 * zip files built at test time with libzip.
 */
#ifndef PORTAL_TESTS_FORMATS_TEST_UTIL_H
#define PORTAL_TESTS_FORMATS_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "base/buf.h"
#include "formats/sheet_row.h"

/* Collects rows as "number:cell|cell|...\n"; non-text cells get a prefix
 * letter: D date, N number, B boolean, E error. */
typedef struct {
    buf out;
    unsigned long rows;
    unsigned long stop_at; /* return PORTAL_ERR_CONFLICT at this row number */
} test_rows;

static inline void test_rows_init(test_rows *t)
{
    memset(t, 0, sizeof *t);
    buf_init(&t->out, 1u << 20);
}

static inline portal_result test_rows_fn(void *ctx, const sheet_row *row)
{
    test_rows *t = ctx;
    if (!t)
        return PORTAL_OK; /* rows not wanted */
    t->rows++;
    if (t->stop_at && row->number == t->stop_at)
        return PORTAL_ERR_CONFLICT;
    if (t->rows > 50)
        return PORTAL_OK; /* large files: count only */
    buf_printf(&t->out, "%lu:", row->number);
    for (size_t i = 0; i < row->n_cells; i++) {
        const sheet_cell *c = &row->cells[i];
        static const char prefix[] = {0, 0, 'N', 'D', 'B', 'E'};
        if (i)
            buf_append_str(&t->out, "|");
        if (prefix[c->kind])
            buf_append(&t->out, &prefix[c->kind], 1);
        if (strlen(c->text) != c->len)
            buf_append_str(&t->out, "<len mismatch>");
        buf_append(&t->out, c->text, c->len);
    }
    buf_append_str(&t->out, "\n");
    return PORTAL_OK;
}

/* Reads a whole file into memory (malloc'd; *len its size); NULL on error. */
static inline char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return data;
}

/* One member of a zip built by test_zip_build: text, or `zeros` zero bytes
 * when text is NULL. */
typedef struct {
    const char *name;
    const char *text;
    zip_uint64_t zeros;
} test_zip_member;

typedef struct {
    zip_uint64_t left;
} test_zeros_state;

/* A libzip source callback producing zero bytes. */
static inline zip_int64_t test_zeros_cb(void *ud, void *data, zip_uint64_t len,
                                        zip_source_cmd_t cmd)
{
    test_zeros_state *s = ud;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_READ: {
        zip_uint64_t n = len < s->left ? len : s->left;
        memset(data, 0, (size_t)n);
        s->left -= n;
        return (zip_int64_t)n;
    }
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        zip_stat_init(st);
        return 0;
    }
    case ZIP_SOURCE_ERROR:
        return 0;
    case ZIP_SOURCE_FREE:
        free(s);
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
    default:
        return -1;
    }
}

/* Builds a zip of the members (deflated; encrypted with a password when
 * password is not NULL) and returns its bytes (malloc'd, *len). */
static inline char *test_zip_build(const test_zip_member *m, size_t n, const char *password,
                                   size_t *len)
{
    char path[] = "/tmp/portal-test-zip-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    close(fd);
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        zip_source_t *src;
        if (m[i].text) {
            src = zip_source_buffer(z, m[i].text, strlen(m[i].text), 0);
        } else {
            test_zeros_state *s = malloc(sizeof *s);
            s->left = m[i].zeros;
            src = zip_source_function(z, test_zeros_cb, s);
        }
        zip_int64_t idx = zip_file_add(z, m[i].name, src, ZIP_FL_ENC_UTF_8);
        if (idx < 0)
            return NULL;
        zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9);
        if (password &&
            zip_file_set_encryption(z, (zip_uint64_t)idx, ZIP_EM_AES_256, password) != 0)
            return NULL;
    }
    if (zip_close(z) != 0)
        return NULL;
    char *data = test_read_file(path, len);
    unlink(path);
    return data;
}

#define TEST_CT                                                                                    \
    "<?xml version=\"1.0\"?><Types "                                                               \
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"
#define TEST_WORKBOOK                                                                              \
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "               \
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"     \
    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define TEST_RELS_OPEN                                                                             \
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
#define TEST_REL_SHEET                                                                             \
    "<Relationship Id=\"rId1\" "                                                                   \
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "      \
    "Target=\"worksheets/sheet1.xml\"/>"
#define TEST_REL_STYLES                                                                            \
    "<Relationship Id=\"rId2\" "                                                                   \
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "         \
    "Target=\"styles.xml\"/>"
#define TEST_REL_SST                                                                               \
    "<Relationship Id=\"rId3\" "                                                                   \
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "  \
    "Target=\"sharedStrings.xml\"/>"
#define TEST_RELS TEST_RELS_OPEN TEST_REL_SHEET "</Relationships>"
#define TEST_SHEET_OPEN                                                                            \
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define TEST_SHEET_CLOSE "</sheetData></worksheet>"

#endif
