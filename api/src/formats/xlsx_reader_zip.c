/* formats/xlsx_reader_zip.c: the zip guards and the streaming of one part
 * of an XLSX file through expat for formats/xlsx_reader.c: the checks on
 * every entry's header (count, encryption, size, compression ratio), the
 * caps while a part is read, the refusal of any DTD or entity, and the
 * dispatch of expat's events to the handlers of the part being read. Also
 * the reader's shared helpers (first failure, names, attributes). See
 * xlsx_reader_internal.h. */
#include "formats/xlsx_reader_internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* Records the first failure and stops the parser, if one runs. */
void xlsx_fail(xlsx_reader *x, xlsx_reason reason, portal_result rc)
{
    if (x->rc == PORTAL_OK) {
        x->rc = rc;
        x->info->reason = reason;
    }
    if (x->parser)
        XML_StopParser(x->parser, XML_FALSE);
}

/* The local part of an expat namespace-qualified name. */
const char *xlsx_local(const char *name)
{
    const char *sep = strrchr(name, XLSX_NS_SEP);
    return sep ? sep + 1 : name;
}

/* The value of attribute `local` (any namespace), or NULL. */
const char *xlsx_attr(const char **atts, const char *local)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(xlsx_local(atts[i]), local) == 0)
            return atts[i + 1];
    return NULL;
}

/* Copies src into dst[size], truncating; always NUL-terminated. */
void xlsx_copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ---- security handlers: any DTD or entity declaration stops the parse. */

static void XMLCALL xlsx_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                                 const XML_Char *pubid, int has_internal_subset)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal_subset;
    xlsx_fail(ud, XLSX_REASON_DTD, PORTAL_ERR_INVALID);
}

static void XMLCALL xlsx_entity_decl(void *ud, const XML_Char *name, int is_param,
                                     const XML_Char *value, int value_len, const XML_Char *base,
                                     const XML_Char *sysid, const XML_Char *pubid,
                                     const XML_Char *notation)
{
    (void)name;
    (void)is_param;
    (void)value;
    (void)value_len;
    (void)base;
    (void)sysid;
    (void)pubid;
    (void)notation;
    xlsx_fail(ud, XLSX_REASON_DTD, PORTAL_ERR_INVALID);
}

static int XMLCALL xlsx_external_entity(XML_Parser p, const XML_Char *context, const XML_Char *base,
                                        const XML_Char *sysid, const XML_Char *pubid)
{
    (void)p;
    (void)context;
    (void)base;
    (void)sysid;
    (void)pubid;
    return XML_STATUS_ERROR;
}

/* ---- expat glue */

static void XMLCALL xlsx_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx_reader *x = ud;
    const char *el = xlsx_local(name);
    if (++x->depth > 64) {
        xlsx_fail(x, XLSX_REASON_XML, PORTAL_ERR_INVALID);
        return;
    }
    switch (x->kind) {
    case XLSX_PART_RELS:
        xlsx_rels_start(x, el, atts);
        break;
    case XLSX_PART_WORKBOOK:
        xlsx_workbook_start(x, el, atts);
        break;
    case XLSX_PART_STYLES:
        xlsx_styles_start(x, el, atts);
        break;
    case XLSX_PART_SST:
        xlsx_sst_start(x, el);
        break;
    case XLSX_PART_SHEET:
        xlsx_sheet_start(x, el, atts);
        break;
    }
}

static void XMLCALL xlsx_end(void *ud, const XML_Char *name)
{
    xlsx_reader *x = ud;
    const char *el = xlsx_local(name);
    x->depth--;
    switch (x->kind) {
    case XLSX_PART_WORKBOOK:
        xlsx_workbook_end(x, el);
        break;
    case XLSX_PART_STYLES:
        xlsx_styles_end(x, el);
        break;
    case XLSX_PART_SST:
        xlsx_sst_end(x, el);
        break;
    case XLSX_PART_SHEET:
        xlsx_sheet_end(x, el);
        break;
    case XLSX_PART_RELS:
        break;
    }
}

static void XMLCALL xlsx_text(void *ud, const XML_Char *s, int len)
{
    xlsx_reader *x = ud;
    if (x->rc || len <= 0)
        return;
    if (x->kind == XLSX_PART_SST && x->in_si && x->in_t && !x->in_rph) {
        if (x->sst_text.len - x->si_start + (size_t)len > x->lim.max_cell_bytes)
            xlsx_fail(x, XLSX_REASON_CELL_TOO_LONG, PORTAL_ERR_TOO_LARGE);
        else if (buf_append(&x->sst_text, s, (size_t)len) != PORTAL_OK)
            xlsx_fail(x, XLSX_REASON_TOO_MANY_STRINGS, PORTAL_ERR_TOO_LARGE);
    } else if (x->kind == XLSX_PART_SHEET && x->in_cell &&
               (x->in_v || (x->in_is && x->in_t && !x->in_rph))) {
        xlsx_row_append(x, s, (size_t)len);
    } else if (x->kind == XLSX_PART_WORKBOOK && x->in_defined_name) {
        if (buf_append(&x->defined_name, s, (size_t)len) != PORTAL_OK)
            xlsx_fail(x, XLSX_REASON_XML, PORTAL_ERR_INVALID);
    }
}

/* Checks every entry's header: count, encryption, declared size, ratio. */
void xlsx_check_entries(xlsx_reader *x)
{
    zip_int64_t n = zip_get_num_entries(x->zip, 0);
    if (n < 0 || (zip_uint64_t)n > x->lim.max_entries) {
        xlsx_fail(x, XLSX_REASON_TOO_MANY_ENTRIES, PORTAL_ERR_TOO_LARGE);
        return;
    }
    for (zip_int64_t i = 0; i < n && !x->rc; i++) {
        zip_stat_t st;
        if (zip_stat_index(x->zip, (zip_uint64_t)i, 0, &st) != 0) {
            xlsx_fail(x, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
            return;
        }
        if (st.name)
            xlsx_copy(x->info->part, sizeof x->info->part, st.name);
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
            xlsx_fail(x, XLSX_REASON_ENCRYPTED_ENTRY, PORTAL_ERR_INVALID);
        else if ((st.valid & ZIP_STAT_SIZE) && st.size > x->lim.max_part_bytes)
            xlsx_fail(x, XLSX_REASON_PART_TOO_LARGE, PORTAL_ERR_TOO_LARGE);
        else if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) &&
                 st.size > XLSX_RATIO_FLOOR &&
                 (st.comp_size == 0 || st.size / st.comp_size > x->lim.max_ratio))
            xlsx_fail(x, XLSX_REASON_COMPRESSION_RATIO, PORTAL_ERR_INVALID);
    }
    if (!x->rc)
        x->info->part[0] = '\0';
}

/* Streams one part through expat as `kind`. A missing part is
 * XLSX_REASON_MISSING_PART when required, else quietly skipped. */
void xlsx_parse_part(xlsx_reader *x, const char *name, xlsx_part_kind kind, int required)
{
    if (x->rc)
        return;
    xlsx_copy(x->info->part, sizeof x->info->part, name);
    zip_stat_t st;
    zip_int64_t idx = zip_name_locate(x->zip, name, 0);
    if (idx < 0 || zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) != 0) {
        if (required)
            xlsx_fail(x, XLSX_REASON_MISSING_PART, PORTAL_ERR_INVALID);
        else
            x->info->part[0] = '\0';
        return;
    }
    zip_file_t *f = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!f) {
        xlsx_fail(x, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
        return;
    }
    XML_Parser p = XML_ParserCreateNS(NULL, XLSX_NS_SEP);
    char *chunk = malloc(XLSX_CHUNK);
    if (!p || !chunk) {
        if (p)
            XML_ParserFree(p);
        free(chunk);
        zip_fclose(f);
        xlsx_fail(x, XLSX_REASON_MEMORY, PORTAL_ERR_MEMORY);
        return;
    }
    x->parser = p;
    x->kind = kind;
    x->depth = 0;
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, xlsx_start, xlsx_end);
    XML_SetCharacterDataHandler(p, xlsx_text);
    XML_SetStartDoctypeDeclHandler(p, xlsx_doctype);
    XML_SetEntityDeclHandler(p, xlsx_entity_decl);
    XML_SetExternalEntityRefHandler(p, xlsx_external_entity);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    size_t part_read = 0;
    zip_uint64_t declared = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    zip_uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    for (;;) {
        zip_int64_t got = zip_fread(f, chunk, XLSX_CHUNK);
        if (got < 0) {
            xlsx_fail(x, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
            break;
        }
        part_read += (size_t)got;
        x->total_read += (size_t)got;
        if (part_read > x->lim.max_part_bytes || x->total_read > x->lim.max_total_bytes ||
            part_read > declared) {
            xlsx_fail(x, XLSX_REASON_READ_TOO_LARGE, PORTAL_ERR_TOO_LARGE);
            break;
        }
        if (part_read > XLSX_RATIO_FLOOR && (comp == 0 || part_read / comp > x->lim.max_ratio)) {
            xlsx_fail(x, XLSX_REASON_COMPRESSION_RATIO, PORTAL_ERR_INVALID);
            break;
        }
        if (XML_Parse(p, chunk, (int)got, got == 0) != XML_STATUS_OK) {
            if (!x->rc)
                xlsx_fail(x, XLSX_REASON_XML, PORTAL_ERR_INVALID);
            break;
        }
        if (x->rc || got == 0)
            break;
    }
    if (!x->rc && part_read != declared)
        xlsx_fail(x, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
    x->parser = NULL;
    XML_ParserFree(p);
    free(chunk);
    zip_fclose(f);
    if (!x->rc)
        x->info->part[0] = '\0';
}
