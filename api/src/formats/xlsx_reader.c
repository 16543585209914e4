/* formats/xlsx_reader.c: see xlsx_reader.h. The entry points, the walk
 * from the package relationships to the sheet, and the reason names and
 * texts. The zip guards and part streaming are in xlsx_reader_zip.c, the
 * workbook, styles and shared strings in xlsx_reader_parts.c, the sheet in
 * xlsx_reader_sheet.c; what they share is in xlsx_reader_internal.h. */
#include "formats/xlsx_reader.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "base/buf.h"
#include "formats/xlsx_reader_internal.h"

/* Resolves a relationship target against the part it belongs to (its
 * folder), dropping "." and ".." segments: "worksheets/sheet1.xml" from
 * "xl/workbook.xml" is "xl/worksheets/sheet1.xml". 0 when it does not fit. */
static int xlsx_resolve(const char *base_part, const char *target, char *out, size_t size)
{
    char tmp[2 * XLSX_NAME_MAX];
    size_t n = 0;
    if (target[0] == '/') {
        target++;
    } else {
        const char *slash = strrchr(base_part, '/');
        n = slash ? (size_t)(slash - base_part) + 1 : 0;
        if (n >= sizeof tmp)
            return 0;
        memcpy(tmp, base_part, n);
    }
    size_t tl = strlen(target);
    if (n + tl >= sizeof tmp)
        return 0;
    memcpy(tmp + n, target, tl + 1);
    /* Normalise the segments into out. */
    size_t o = 0;
    const char *p = tmp;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t sl = e ? (size_t)(e - p) : strlen(p);
        if (sl == 0 || (sl == 1 && p[0] == '.')) {
            /* skip */
        } else if (sl == 2 && p[0] == '.' && p[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the slash */
            while (o > 0 && out[o - 1] != '/')
                o--;
        } else {
            if (o + sl + 2 > size)
                return 0;
            memcpy(out + o, p, sl);
            o += sl;
            if (e)
                out[o++] = '/';
        }
        p = e ? e + 1 : p + sl;
    }
    if (o > 0 && out[o - 1] == '/')
        o--;
    out[o] = '\0';
    return o > 0;
}

/* The rels file of a part: "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels". */
static int xlsx_rels_name(const char *part, char *out, size_t size)
{
    const char *slash = strrchr(part, '/');
    size_t dir = slash ? (size_t)(slash - part) + 1 : 0;
    int n = snprintf(out, size, "%.*s_rels/%s.rels", (int)dir, part, part + dir);
    return n > 0 && (size_t)n < size;
}

static const xlsx_rel *xlsx_find_rel(const xlsx_reader *x, const char *id, const char *type)
{
    for (size_t i = 0; i < x->n_rels; i++)
        if ((!id || strcmp(x->rels[i].id, id) == 0) &&
            (!type || strcmp(x->rels[i].type, type) == 0))
            return &x->rels[i];
    return NULL;
}

/* Finds and reads the workbook, its styles, shared strings and sheet. */
static void xlsx_read_zip(xlsx_reader *x)
{
    xlsx_check_entries(x);
    if (x->rc)
        return;
    if (zip_name_locate(x->zip, "[Content_Types].xml", 0) < 0) {
        xlsx_copy(x->info->part, sizeof x->info->part, "[Content_Types].xml");
        xlsx_fail(x, XLSX_REASON_MISSING_PART, PORTAL_ERR_INVALID);
        return;
    }
    char workbook[XLSX_NAME_MAX] = "xl/workbook.xml", rels[XLSX_NAME_MAX + 16];
    xlsx_parse_part(x, "_rels/.rels", XLSX_PART_RELS, 0);
    const xlsx_rel *doc = xlsx_find_rel(x, NULL, "officeDocument");
    if (doc && !xlsx_resolve("", doc->target, workbook, sizeof workbook)) {
        xlsx_fail(x, XLSX_REASON_XML, PORTAL_ERR_INVALID);
        return;
    }
    x->n_rels = 0;
    xlsx_parse_part(x, workbook, XLSX_PART_WORKBOOK, 1);
    if (!xlsx_rels_name(workbook, rels, sizeof rels)) {
        xlsx_fail(x, XLSX_REASON_XML, PORTAL_ERR_INVALID);
        return;
    }
    xlsx_parse_part(x, rels, XLSX_PART_RELS, 1);
    if (x->rc)
        return;
    const xlsx_rel *sheet = NULL;
    for (int pass = 0; pass < 2 && !sheet; pass++)
        for (size_t i = 0; i < x->n_sheets && !sheet; i++) {
            if (pass == 0 && x->sheets[i].hidden)
                continue;
            sheet = xlsx_find_rel(x, x->sheets[i].rid, "worksheet");
            if (sheet)
                xlsx_copy(x->info->sheet_name, sizeof x->info->sheet_name, x->sheets[i].name);
        }
    char part[XLSX_NAME_MAX];
    if (!sheet || !xlsx_resolve(workbook, sheet->target, part, sizeof part)) {
        xlsx_copy(x->info->part, sizeof x->info->part, "worksheet");
        xlsx_fail(x, XLSX_REASON_MISSING_PART, PORTAL_ERR_INVALID);
        return;
    }
    char styles[XLSX_NAME_MAX], strings[XLSX_NAME_MAX];
    const xlsx_rel *st = xlsx_find_rel(x, NULL, "styles");
    const xlsx_rel *ss = xlsx_find_rel(x, NULL, "sharedStrings");
    if (st && xlsx_resolve(workbook, st->target, styles, sizeof styles))
        xlsx_parse_part(x, styles, XLSX_PART_STYLES, 1);
    if (ss && xlsx_resolve(workbook, ss->target, strings, sizeof strings))
        xlsx_parse_part(x, strings, XLSX_PART_SST, 1);
    xlsx_parse_part(x, part, XLSX_PART_SHEET, 1);
}

/* Allocates the reader's tables and runs it over an open zip. */
static portal_result xlsx_run(zip_t *zip, const xlsx_limits *limits, sheet_row_fn fn, void *ctx,
                              xlsx_info *info)
{
    xlsx_reader x;
    memset(&x, 0, sizeof x);
    if (limits)
        x.lim = *limits;
    if (!x.lim.max_entries)
        x.lim.max_entries = 1000;
    if (!x.lim.max_part_bytes)
        x.lim.max_part_bytes = 256u * 1024 * 1024;
    if (!x.lim.max_total_bytes)
        x.lim.max_total_bytes = 512u * 1024 * 1024;
    if (!x.lim.max_ratio)
        x.lim.max_ratio = 200;
    if (!x.lim.max_cell_bytes)
        x.lim.max_cell_bytes = 4096;
    if (!x.lim.max_columns)
        x.lim.max_columns = 64;
    if (!x.lim.max_rows)
        x.lim.max_rows = 1048576;
    if (!x.lim.max_shared_bytes)
        x.lim.max_shared_bytes = 64u * 1024 * 1024;
    if (x.lim.max_shared_bytes > UINT32_MAX)
        x.lim.max_shared_bytes = UINT32_MAX;
    x.info = info;
    x.zip = zip;
    x.fn = fn;
    x.ctx = ctx;
    buf_init(&x.defined_name, 256);
    buf_init(&x.sst_text, x.lim.max_shared_bytes);
    buf_init(&x.row_text, x.lim.max_columns * (x.lim.max_cell_bytes + 1) + 64);
    x.rels = calloc(XLSX_MAX_RELS, sizeof *x.rels);
    x.sheets = calloc(XLSX_MAX_SHEETS, sizeof *x.sheets);
    x.custom_fmt_id = calloc(XLSX_MAX_NUMFMTS, sizeof *x.custom_fmt_id);
    x.custom_fmt_date = calloc(XLSX_MAX_NUMFMTS, 1);
    x.xf_date = calloc(XLSX_MAX_XFS, 1);
    x.pending = calloc(x.lim.max_columns, sizeof *x.pending);
    x.cells = calloc(x.lim.max_columns, sizeof *x.cells);
    if (!x.rels || !x.sheets || !x.custom_fmt_id || !x.custom_fmt_date || !x.xf_date ||
        !x.pending || !x.cells)
        xlsx_fail(&x, XLSX_REASON_MEMORY, PORTAL_ERR_MEMORY);
    else
        xlsx_read_zip(&x);
    info->row = x.row_number;
    buf_free(&x.defined_name);
    buf_free(&x.sst_text);
    buf_free(&x.row_text);
    free(x.sst_off);
    free(x.rels);
    free(x.sheets);
    free(x.custom_fmt_id);
    free(x.custom_fmt_date);
    free(x.xf_date);
    free(x.pending);
    free(x.cells);
    return x.rc;
}

static const unsigned char XLSX_OLE2_MAGIC[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* Fills info for a failure before any reading started. */
static portal_result xlsx_refuse(xlsx_info *info, xlsx_reason reason, portal_result rc)
{
    info->reason = reason;
    return rc;
}

portal_result xlsx_read_buffer(const void *data, size_t len, const xlsx_limits *limits,
                               sheet_row_fn fn, void *ctx, xlsx_info *info)
{
    xlsx_info scratch;
    if (!info)
        info = &scratch;
    memset(info, 0, sizeof *info);
    if (len >= 8 && memcmp(data, XLSX_OLE2_MAGIC, 8) == 0)
        return xlsx_refuse(info, XLSX_REASON_OLE2, PORTAL_ERR_INVALID);
    if (len < 4 || memcmp(data, "PK\x03\x04", 4) != 0)
        return xlsx_refuse(info, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
    zip_t *zip = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err) : NULL;
    zip_error_fini(&err);
    if (!zip) {
        if (src)
            zip_source_free(src);
        return xlsx_refuse(info, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
    }
    portal_result rc = xlsx_run(zip, limits, fn, ctx, info);
    zip_discard(zip);
    return rc;
}

portal_result xlsx_read_file(const char *path, const xlsx_limits *limits, sheet_row_fn fn,
                             void *ctx, xlsx_info *info)
{
    xlsx_info scratch;
    if (!info)
        info = &scratch;
    memset(info, 0, sizeof *info);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return PORTAL_ERR_IO;
    unsigned char head[8] = {0};
    ssize_t got = read(fd, head, sizeof head);
    close(fd);
    if (got == 8 && memcmp(head, XLSX_OLE2_MAGIC, 8) == 0)
        return xlsx_refuse(info, XLSX_REASON_OLE2, PORTAL_ERR_INVALID);
    if (got < 4 || memcmp(head, "PK\x03\x04", 4) != 0)
        return xlsx_refuse(info, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
    int err = 0;
    zip_t *zip = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (!zip)
        return xlsx_refuse(info, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
    portal_result rc = xlsx_run(zip, limits, fn, ctx, info);
    zip_discard(zip);
    return rc;
}

portal_result xlsx_read_stream(FILE *f, const xlsx_limits *limits, sheet_row_fn fn, void *ctx,
                               xlsx_info *info)
{
    xlsx_info scratch;
    if (!info)
        info = &scratch;
    memset(info, 0, sizeof *info);
    unsigned char head[8] = {0};
    if (fseek(f, 0, SEEK_SET) != 0)
        return PORTAL_ERR_IO;
    size_t got = fread(head, 1, sizeof head, f);
    if (got == 8 && memcmp(head, XLSX_OLE2_MAGIC, 8) == 0)
        return xlsx_refuse(info, XLSX_REASON_OLE2, PORTAL_ERR_INVALID);
    if (got < 4 || memcmp(head, "PK\x03\x04", 4) != 0)
        return xlsx_refuse(info, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
    /* libzip owns (and closes) a FILE of its own on a duplicate of f's
     * descriptor; f stays the caller's. */
    int fd = dup(fileno(f));
    FILE *copy = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (!copy) {
        if (fd >= 0)
            close(fd);
        return PORTAL_ERR_IO;
    }
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_filep_create(copy, 0, -1, &err);
    zip_t *zip = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err) : NULL;
    zip_error_fini(&err);
    if (!zip) {
        if (src)
            zip_source_free(src); /* closes copy */
        else
            fclose(copy);
        return xlsx_refuse(info, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
    }
    portal_result rc = xlsx_run(zip, limits, fn, ctx, info);
    zip_discard(zip);
    return rc;
}

const char *xlsx_reason_name(xlsx_reason reason)
{
    static const char *const names[] = {"none",
                                        "broken_zip",
                                        "ole2",
                                        "too_many_entries",
                                        "part_too_large",
                                        "read_too_large",
                                        "compression_ratio",
                                        "encrypted_entry",
                                        "missing_part",
                                        "dtd",
                                        "xml",
                                        "too_many_rows",
                                        "too_many_columns",
                                        "cell_too_long",
                                        "too_many_strings",
                                        "callback",
                                        "memory"};
    if ((size_t)reason < sizeof names / sizeof names[0])
        return names[reason];
    return "none";
}

int xlsx_reason_problem(xlsx_reason reason, const char **code)
{
    int status = 422;
    if (reason == XLSX_REASON_NONE || reason == XLSX_REASON_CALLBACK ||
        reason == XLSX_REASON_MEMORY)
        status = 0;
    else if (reason == XLSX_REASON_OLE2)
        status = 415;
    if (code)
        *code = status == 0 ? NULL : status == 415 ? "unsupported_media_type" : "file_unreadable";
    return status;
}

const char *xlsx_reason_detail(xlsx_reason reason, const char *lang)
{
    int en = lang && strcmp(lang, "en") == 0;
    switch (reason) {
    case XLSX_REASON_OLE2:
        return en ? "This is an old (.xls) or password-protected workbook. Save it as an Excel "
                    "workbook (.xlsx) without a password and upload it again."
                  : "Dit is een oude (.xls) of met een wachtwoord beveiligde werkmap. Sla hem op "
                    "als Excel-werkmap (.xlsx) zonder wachtwoord en upload hem opnieuw.";
    case XLSX_REASON_TOO_MANY_ENTRIES:
    case XLSX_REASON_PART_TOO_LARGE:
    case XLSX_REASON_READ_TOO_LARGE:
    case XLSX_REASON_COMPRESSION_RATIO:
        return en ? "The workbook is too large to read safely. Copy the rows into the template "
                    "and upload that."
                  : "De werkmap is te groot om veilig te lezen. Kopieer de rijen naar het "
                    "sjabloon en upload dat.";
    case XLSX_REASON_DTD:
        return en ? "The workbook contains XML declarations that are not allowed. Save it again "
                    "with Excel or LibreOffice."
                  : "De werkmap bevat XML-declaraties die niet zijn toegestaan. Sla hem opnieuw "
                    "op met Excel of LibreOffice.";
    case XLSX_REASON_TOO_MANY_ROWS:
    case XLSX_REASON_TOO_MANY_COLUMNS:
    case XLSX_REASON_CELL_TOO_LONG:
    case XLSX_REASON_TOO_MANY_STRINGS:
        return en ? "The worksheet has too many rows, columns or too long a cell. Use the "
                    "template's columns only."
                  : "Het werkblad heeft te veel rijen of kolommen, of een te lange cel. Gebruik "
                    "alleen de kolommen van het sjabloon.";
    case XLSX_REASON_ENCRYPTED_ENTRY:
    case XLSX_REASON_BROKEN_ZIP:
    case XLSX_REASON_MISSING_PART:
    case XLSX_REASON_XML:
    case XLSX_REASON_NONE:
    case XLSX_REASON_CALLBACK:
    case XLSX_REASON_MEMORY:
    default:
        return en ? "The workbook is damaged or incomplete. Open it in Excel or LibreOffice, save "
                    "it as .xlsx and upload it again."
                  : "De werkmap is beschadigd of onvolledig. Open hem in Excel of LibreOffice, "
                    "sla hem op als .xlsx en upload hem opnieuw.";
    }
}
