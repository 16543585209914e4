/* formats/recon_specification.c: see recon_specification.h. */
#include "formats/recon_specification.h"

#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#define SPEC_PAGE_W 595.0 /* A4 in points */
#define SPEC_PAGE_H 842.0
#define SPEC_MARGIN 40.0
#define SPEC_ROW_H 13.0
#define SPEC_COLS 7

struct recon_spec_pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoFontMap *fontmap; /* its own per document: nothing lingers per thread */
    PangoContext *context;
    PangoLayout *layout;
    const char *lang;
    double y;
    int page;
};

/* Column left edges and widths of the table (points). */
static const double spec_col_x[SPEC_COLS] = {40, 190, 255, 295, 370, 445, 520};
static const double spec_col_w[SPEC_COLS] = {145, 60, 35, 70, 70, 70, 35};

static int spec_en(const char *lang)
{
    return lang && strcmp(lang, "en") == 0;
}

void recon_spec_amount(const char *money, const char *lang, char *out, size_t size)
{
    if (size < 2)
        return;
    if (!money || !money[0]) {
        snprintf(out, size, "-");
        return;
    }
    char sep = spec_en(lang) ? ',' : '.';
    char point = spec_en(lang) ? '.' : ',';
    const char *s = money;
    size_t at = 0;
    if (*s == '-' && at + 1 < size) {
        out[at++] = '-';
        s++;
    }
    const char *dot = strchr(s, '.');
    size_t int_len = dot ? (size_t)(dot - s) : strlen(s);
    for (size_t i = 0; i < int_len && at + 1 < size; i++) {
        if (i > 0 && (int_len - i) % 3 == 0 && at + 2 < size)
            out[at++] = sep;
        out[at++] = s[i];
    }
    if (dot && at + 1 < size) {
        out[at++] = point;
        for (const char *f = dot + 1; *f && at + 1 < size; f++)
            out[at++] = *f;
    }
    out[at] = 0;
}

/* cairo's write callback: appends to the caller's FILE. */
static cairo_status_t spec_write(void *closure, const unsigned char *data, unsigned int length)
{
    return fwrite(data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS
                                                      : CAIRO_STATUS_WRITE_ERROR;
}

/* Draws text at (x, y) in a box of width w (0: no wrapping), aligned. */
static void spec_text(recon_spec_pdf *p, double x, double y, double w, const char *text,
                      PangoAlignment align, int bold)
{
    PangoFontDescription *font =
        pango_font_description_from_string(bold ? "Sans Bold 8" : "Sans 8");
    pango_layout_set_font_description(p->layout, font);
    pango_font_description_free(font);
    pango_layout_set_width(p->layout, w > 0 ? (int)(w * PANGO_SCALE) : -1);
    pango_layout_set_ellipsize(p->layout, w > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
    pango_layout_set_alignment(p->layout, align);
    pango_layout_set_text(p->layout, text ? text : "", -1);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, p->layout);
}

/* The table heading at the current position. */
static void spec_table_heading(recon_spec_pdf *p)
{
    static const char *const nl[SPEC_COLS] = {"Naam",    "Geboortedatum", "Dagen", "Verzekerd loon",
                                              "Maximum", "Premieloon",    "Premie"};
    static const char *const en[SPEC_COLS] = {
        "Name", "Birth date", "Days", "Insured wage", "Prorated cap", "Capped wage", "Premium"};
    const char *const *t = spec_en(p->lang) ? en : nl;
    for (int i = 0; i < SPEC_COLS; i++)
        spec_text(p, spec_col_x[i], p->y, i == SPEC_COLS - 1 ? 75 : spec_col_w[i], t[i],
                  i < 2 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT, 1);
    p->y += SPEC_ROW_H + 4;
}

/* One label and value line of the calculation page. */
static void spec_pair(recon_spec_pdf *p, const char *label, const char *value)
{
    spec_text(p, SPEC_MARGIN, p->y, 250, label, PANGO_ALIGN_LEFT, 0);
    spec_text(p, 300, p->y, 150, value, PANGO_ALIGN_RIGHT, 0);
    p->y += SPEC_ROW_H + 2;
}

/* A money pair, shown in the reader's style. */
static void spec_money(recon_spec_pdf *p, const char *label, const char *money)
{
    char text[48];
    recon_spec_amount(money, p->lang, text, sizeof text);
    spec_pair(p, label, text);
}

/* A percentage pair ("2.000" shown as "2,000%"). */
static void spec_percent(recon_spec_pdf *p, const char *label, const char *pct)
{
    char num[40], text[48];
    recon_spec_amount(pct, p->lang, num, sizeof num);
    snprintf(text, sizeof text, "%s%s", num, pct && pct[0] ? "%" : "");
    spec_pair(p, label, text);
}

/* The calculation at the top of page 1. */
static void spec_first_page(recon_spec_pdf *p, const recon_spec_header *h)
{
    int en = spec_en(h->lang);
    char title[160], line[320];
    snprintf(title, sizeof title,
             en ? "Reconciliation specification %d" : "Specificatie naverrekening %d", h->year);
    spec_text(p, SPEC_MARGIN, p->y, 0, title, PANGO_ALIGN_LEFT, 1);
    p->y += 22;
    snprintf(line, sizeof line, "%s - %s %s", h->organisation_name ? h->organisation_name : "",
             h->scheme_number ? h->scheme_number : "", h->scheme_name ? h->scheme_name : "");
    spec_text(p, SPEC_MARGIN, p->y, 515, line, PANGO_ALIGN_LEFT, 0);
    p->y += 20;
    int stop_loss = h->variant && strcmp(h->variant, "stop_loss") == 0;
    spec_pair(p, "Variant", stop_loss ? "Stop-loss" : "No-claim");
    spec_pair(p, en ? "Policy start" : "Ingangsdatum polis", h->policy_start);
    snprintf(line, sizeof line, "%lld", h->employee_count);
    spec_pair(p, en ? "Employees" : "Werknemers", line);
    spec_percent(p, en ? "Premium rate" : "Premiepercentage", h->premium_rate);
    spec_money(p, en ? "Wage cap (full year)" : "Maximum premieloon (heel jaar)", h->wage_cap);
    spec_money(p, en ? "Sum of capped wages" : "Som van de premielonen", h->capped_wage_total);
    spec_money(p, en ? "Definitive premium" : "Definitieve premie", h->definitive_premium);
    spec_money(p, en ? "Provisional premium" : "Voorlopige premie", h->provisional_premium);
    spec_money(p, en ? "Settlement (positive: to pay)" : "Verrekening (positief: te betalen)",
               h->settlement);
    if (stop_loss) {
        p->y += 6;
        if (h->own_risk_amount)
            spec_money(p, en ? "Own risk (amount)" : "Eigen risico (bedrag)", h->own_risk_amount);
        else
            spec_percent(p, en ? "Own risk (percentage)" : "Eigen risico (percentage)",
                         h->own_risk_percentage);
        spec_percent(p, en ? "Continued pay" : "Loondoorbetaling", h->continued_pay_percentage);
        spec_money(p, en ? "Maximum reimbursement" : "Maximale uitkering",
                   h->maximum_reimbursement);
        spec_money(p, en ? "Own risk" : "Eigen risico", h->own_risk);
        spec_money(p, en ? "Sick-pay cost" : "Kosten loondoorbetaling", h->sick_pay_cost);
        spec_money(p, en ? "Reimbursement" : "Uitkering", h->reimbursement);
    }
    p->y += 16;
    spec_text(p, SPEC_MARGIN, p->y, 0,
              en ? "Wages and premium per employee" : "Lonen en premie per werknemer",
              PANGO_ALIGN_LEFT, 1);
    p->y += 18;
    spec_table_heading(p);
}

portal_result recon_spec_pdf_open(FILE *out, const recon_spec_header *h, recon_spec_pdf **pdf)
{
    *pdf = NULL;
    recon_spec_pdf *p = calloc(1, sizeof *p);
    if (!p)
        return PORTAL_ERR_MEMORY;
    p->lang = h->lang;
    p->surface = cairo_pdf_surface_create_for_stream(spec_write, out, SPEC_PAGE_W, SPEC_PAGE_H);
    p->cr = cairo_create(p->surface);
    p->fontmap = pango_cairo_font_map_new();
    p->context = p->fontmap ? pango_font_map_create_context(p->fontmap) : NULL;
    if (p->context) {
        pango_cairo_update_context(p->cr, p->context);
        p->layout = pango_layout_new(p->context);
    }
    if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS ||
        cairo_status(p->cr) != CAIRO_STATUS_SUCCESS || !p->layout) {
        (void)recon_spec_pdf_close(p);
        return PORTAL_ERR_IO;
    }
    p->y = SPEC_MARGIN;
    p->page = 1;
    spec_first_page(p, h);
    *pdf = p;
    return PORTAL_OK;
}

portal_result recon_spec_pdf_line(recon_spec_pdf *p, const recon_spec_line *l)
{
    if (p->y + SPEC_ROW_H > SPEC_PAGE_H - SPEC_MARGIN) {
        cairo_show_page(p->cr);
        p->page++;
        p->y = SPEC_MARGIN;
        spec_table_heading(p);
    }
    char wage[48], cap[48], capped[48], premium[48];
    recon_spec_amount(l->insured_wage, p->lang, wage, sizeof wage);
    recon_spec_amount(l->prorated_cap, p->lang, cap, sizeof cap);
    recon_spec_amount(l->capped_wage, p->lang, capped, sizeof capped);
    recon_spec_amount(l->premium, p->lang, premium, sizeof premium);
    const char *cells[SPEC_COLS] = {l->display_name, l->birth_date, l->days, wage, cap,
                                    capped,          premium};
    for (int i = 0; i < SPEC_COLS; i++)
        spec_text(p, spec_col_x[i], p->y, i == SPEC_COLS - 1 ? 75 : spec_col_w[i], cells[i],
                  i < 2 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT, 0);
    p->y += SPEC_ROW_H;
    return cairo_status(p->cr) == CAIRO_STATUS_SUCCESS ? PORTAL_OK : PORTAL_ERR_IO;
}

portal_result recon_spec_pdf_close(recon_spec_pdf *p)
{
    if (!p)
        return PORTAL_OK;
    portal_result rc = PORTAL_OK;
    if (p->layout)
        g_object_unref(p->layout);
    if (p->context)
        g_object_unref(p->context);
    if (p->fontmap)
        g_object_unref(p->fontmap);
    if (p->cr) {
        cairo_show_page(p->cr);
        cairo_destroy(p->cr);
    }
    if (p->surface) {
        cairo_surface_finish(p->surface);
        if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS)
            rc = PORTAL_ERR_IO;
        cairo_surface_destroy(p->surface);
    }
    free(p);
    return rc;
}

static const xlsx_column spec_xlsx_columns[] = {
    {"display_name", "Naam", "Name", XLSX_TEXT, 32},
    {"birth_date", "Geboortedatum", "Birth date", XLSX_DATE, 14},
    {"days", "Dagen", "Days", XLSX_INTEGER, 8},
    {"insured_wage", "Verzekerd loon", "Insured wage", XLSX_MONEY, 16},
    {"prorated_cap", "Maximum", "Prorated cap", XLSX_MONEY, 16},
    {"capped_wage", "Premieloon", "Capped wage", XLSX_MONEY, 16},
    {"premium", "Premie", "Premium", XLSX_MONEY, 14},
};

portal_result recon_spec_xlsx_open(const char *path, const char *lang, xlsx_export **x)
{
    return xlsx_export_open(path, spec_en(lang) ? "Specification" : "Specificatie",
                            spec_xlsx_columns,
                            (int)(sizeof spec_xlsx_columns / sizeof spec_xlsx_columns[0]), lang, x);
}

portal_result recon_spec_xlsx_line(xlsx_export *x, const recon_spec_line *l)
{
    const char *values[] = {l->display_name, l->birth_date,  l->days,   l->insured_wage,
                            l->prorated_cap, l->capped_wage, l->premium};
    return xlsx_export_row(x, values);
}

portal_result recon_spec_xlsx_close(xlsx_export *x)
{
    return xlsx_export_close(x);
}

void recon_spec_shutdown(void)
{
    FcFini();
}
