/* formats/xlsx_reader_parts.c: the handlers for the parts of an XLSX file
 * read before its sheet, for formats/xlsx_reader.c: relationships, the
 * workbook (its sheets), the styles (which cell styles show a date) and
 * the shared strings (kept in one capped buffer). See
 * xlsx_reader_internal.h. */
#include "formats/xlsx_reader_internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* ---- rels */

void xlsx_rels_start(xlsx_reader *x, const char *el, const char **atts)
{
    if (strcmp(el, "Relationship") != 0)
        return;
    const char *id = xlsx_attr(atts, "Id"), *type = xlsx_attr(atts, "Type"),
               *target = xlsx_attr(atts, "Target"), *mode = xlsx_attr(atts, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (x->n_rels >= XLSX_MAX_RELS) {
        xlsx_fail(x, XLSX_REASON_TOO_MANY_ENTRIES, PORTAL_ERR_TOO_LARGE);
        return;
    }
    xlsx_rel *r = &x->rels[x->n_rels++];
    const char *slash = strrchr(type, '/');
    xlsx_copy(r->id, sizeof r->id, id);
    xlsx_copy(r->type, sizeof r->type, slash ? slash + 1 : type);
    xlsx_copy(r->target, sizeof r->target, target);
}

/* ---- workbook */

void xlsx_workbook_start(xlsx_reader *x, const char *el, const char **atts)
{
    if (strcmp(el, "sheet") == 0) {
        const char *rid = xlsx_attr(atts, "id"), *name = xlsx_attr(atts, "name"),
                   *state = xlsx_attr(atts, "state");
        if (!rid || x->n_sheets >= XLSX_MAX_SHEETS)
            return;
        xlsx_sheet *s = &x->sheets[x->n_sheets++];
        xlsx_copy(s->rid, sizeof s->rid, rid);
        xlsx_copy(s->name, sizeof s->name, name ? name : "");
        s->hidden = state && strcmp(state, "visible") != 0;
    } else if (strcmp(el, "workbookPr") == 0) {
        const char *d = xlsx_attr(atts, "date1904");
        x->info->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(el, "definedName") == 0) {
        const char *name = xlsx_attr(atts, "name");
        x->in_defined_name = name && strcmp(name, "portal_template") == 0;
        buf_free(&x->defined_name);
    }
}

void xlsx_workbook_end(xlsx_reader *x, const char *el)
{
    if (strcmp(el, "definedName") != 0 || !x->in_defined_name)
        return;
    x->in_defined_name = 0;
    /* The value is a formula: a string constant "salary_change/1". */
    const char *v = x->defined_name.data ? x->defined_name.data : "";
    size_t n = x->defined_name.len;
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
        v++;
        n -= 2;
    }
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < sizeof x->info->template_tag; i++) {
        if (v[i] == '"' && i + 1 < n && v[i + 1] == '"')
            i++;
        x->info->template_tag[o++] = v[i];
    }
    x->info->template_tag[o] = '\0';
}

/* ---- styles */

/* 1 when a custom number format code shows a date: d or y outside quoted
 * text, escapes and [brackets] (colours, conditions, elapsed time). */
static int xlsx_format_is_date(const char *code)
{
    int quoted = 0, bracket = 0;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (quoted) {
            quoted = c != '"';
            continue;
        }
        if (bracket) {
            bracket = c != ']';
            continue;
        }
        if (c == '"')
            quoted = 1;
        else if (c == '[')
            bracket = 1;
        else if (c == '\\' || c == '_' || c == '*') {
            if (p[1])
                p++;
        } else if (c == 'd' || c == 'D' || c == 'y' || c == 'Y')
            return 1;
    }
    return 0;
}

static int xlsx_builtin_date(long id)
{
    return id >= 14 && id <= 22;
}

void xlsx_styles_start(xlsx_reader *x, const char *el, const char **atts)
{
    if (strcmp(el, "numFmts") == 0)
        x->in_numfmts = 1;
    else if (strcmp(el, "cellXfs") == 0)
        x->in_cellxfs = 1;
    else if (x->in_numfmts && strcmp(el, "numFmt") == 0) {
        const char *id = xlsx_attr(atts, "numFmtId"), *code = xlsx_attr(atts, "formatCode");
        if (!id || !code || x->n_custom >= XLSX_MAX_NUMFMTS)
            return;
        x->custom_fmt_id[x->n_custom] = (int)strtol(id, NULL, 10);
        x->custom_fmt_date[x->n_custom++] = (unsigned char)xlsx_format_is_date(code);
    } else if (x->in_cellxfs && strcmp(el, "xf") == 0) {
        if (x->n_xf >= XLSX_MAX_XFS) {
            xlsx_fail(x, XLSX_REASON_XML, PORTAL_ERR_INVALID);
            return;
        }
        const char *idtext = xlsx_attr(atts, "numFmtId");
        long id = idtext ? strtol(idtext, NULL, 10) : 0;
        int date = xlsx_builtin_date(id);
        for (size_t i = 0; i < x->n_custom; i++)
            if (x->custom_fmt_id[i] == id)
                date = x->custom_fmt_date[i];
        x->xf_date[x->n_xf++] = (unsigned char)date;
    }
}

void xlsx_styles_end(xlsx_reader *x, const char *el)
{
    if (strcmp(el, "numFmts") == 0)
        x->in_numfmts = 0;
    else if (strcmp(el, "cellXfs") == 0)
        x->in_cellxfs = 0;
}

/* ---- shared strings */

void xlsx_sst_start(xlsx_reader *x, const char *el)
{
    if (strcmp(el, "si") == 0) {
        x->in_si = 1;
        x->si_start = x->sst_text.len;
    } else if (x->in_si && strcmp(el, "rPh") == 0)
        x->in_rph = 1;
    else if (x->in_si && !x->in_rph && strcmp(el, "t") == 0)
        x->in_t = 1;
}

void xlsx_sst_end(xlsx_reader *x, const char *el)
{
    if (strcmp(el, "t") == 0)
        x->in_t = 0;
    else if (strcmp(el, "rPh") == 0)
        x->in_rph = 0;
    else if (strcmp(el, "si") == 0 && x->in_si) {
        x->in_si = 0;
        if (x->sst_text.len - x->si_start > x->lim.max_cell_bytes) {
            xlsx_fail(x, XLSX_REASON_CELL_TOO_LONG, PORTAL_ERR_TOO_LARGE);
            return;
        }
        if (buf_append(&x->sst_text, "", 1) != PORTAL_OK) { /* the NUL */
            xlsx_fail(x, XLSX_REASON_TOO_MANY_STRINGS, PORTAL_ERR_TOO_LARGE);
            return;
        }
        if (x->n_sst == x->sst_cap) {
            size_t cap = x->sst_cap ? 2 * x->sst_cap : 1024;
            uint32_t *p = realloc(x->sst_off, cap * sizeof *p);
            if (!p) {
                xlsx_fail(x, XLSX_REASON_MEMORY, PORTAL_ERR_MEMORY);
                return;
            }
            x->sst_off = p;
            x->sst_cap = cap;
        }
        x->sst_off[x->n_sst++] = (uint32_t)x->si_start;
    }
}
