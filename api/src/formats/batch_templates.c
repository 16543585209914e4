/* formats/batch_templates.c: see batch_templates.h. */
#include "formats/batch_templates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "domain/civil_date.h"
#include "formats/csv.h"
#include "formats/sheet_columns.h"

#define TEMPLATE_MAX_ROWS 1048575u
#define TEMPLATE_VALIDATION_LAST 1048575u /* new participants: validation to the last row */
#define TEMPLATE_CSV_FLUSH 65536u

static const batch_new_participant_row EXAMPLE = {
    .participant_number = "",
    .first_name = "Jan",
    .initials = "J.",
    .surname_prefix = "de",
    .surname = "Vries",
    .birth_date = "1980-01-31",
    .gender = "male",
    .bsn = "111222333",
    .email = "jan.devries@example.nl",
    .street = "Voorbeeldstraat",
    .house_number = "1",
    .postal_code = "1234 AB",
    .city = "Amsterdam",
    .country = "NL",
    .start_date = "2025-01-01",
    .salary = "42000.00",
    .parttime_percentage = "100",
};

const batch_new_participant_row *batch_template_example(void)
{
    return &EXAMPLE;
}

/* The example's fields in template order. */
static void template_participant_values(const batch_new_participant_row *r, const char **v)
{
    const char *all[SHEET_MAX_FIELDS] = {r->participant_number,
                                         r->first_name,
                                         r->initials,
                                         r->surname_prefix,
                                         r->surname,
                                         r->birth_date,
                                         r->gender,
                                         r->bsn,
                                         r->email,
                                         r->street,
                                         r->house_number,
                                         r->postal_code,
                                         r->city,
                                         r->country,
                                         r->start_date,
                                         r->salary,
                                         r->parttime_percentage};
    memcpy(v, all, sizeof all);
}

/* Styles shared by both workbooks. */
typedef struct {
    lxw_workbook *book;
    lxw_worksheet *sheet;
    lxw_format *header, *text, *date, *money, *percent; /* locked */
    lxw_format *u_text, *u_date, *u_money, *u_percent;  /* unlocked */
    char path[256];
} template_book;

static lxw_format *template_format(lxw_workbook *b, const char *num, int unlocked)
{
    lxw_format *f = workbook_add_format(b);
    if (num)
        format_set_num_format(f, num);
    if (unlocked) {
        format_set_unlocked(f);
        format_set_bg_color(f, 0xFFF8DC);
    }
    return f;
}

/* Creates the workbook in a temporary file, its one sheet and the styles. */
static portal_result template_open(template_book *t, const char *sheet_name, sheet_template kind)
{
    memset(t, 0, sizeof *t);
    if (file_sink_temp_path(t->path, sizeof t->path) != PORTAL_OK)
        return PORTAL_ERR_IO;
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = 0};
    t->book = workbook_new_opt(t->path, &opts);
    if (!t->book) {
        unlink(t->path);
        return PORTAL_ERR_IO;
    }
    t->sheet = workbook_add_worksheet(t->book, sheet_name);
    t->header = workbook_add_format(t->book);
    format_set_bold(t->header);
    format_set_font_color(t->header, 0xFFFFFF);
    format_set_bg_color(t->header, 0x003781);
    format_set_bottom(t->header, LXW_BORDER_THIN);
    format_set_text_wrap(t->header);
    t->text = template_format(t->book, "@", 0);
    t->date = template_format(t->book, "dd-mm-yyyy", 0);
    t->money = template_format(t->book, "#,##0.00", 0);
    t->percent = template_format(t->book, "0.00", 0);
    t->u_text = template_format(t->book, "@", 1);
    t->u_date = template_format(t->book, "dd-mm-yyyy", 1);
    t->u_money = template_format(t->book, "#,##0.00", 1);
    t->u_percent = template_format(t->book, "0.00", 1);
    char tag[64];
    snprintf(tag, sizeof tag, "=\"%s/%d\"", sheet_template_name(kind), SHEET_TEMPLATE_VERSION);
    if (!t->sheet || workbook_define_name(t->book, "portal_template", tag) != LXW_NO_ERROR)
        return PORTAL_ERR_IO;
    return PORTAL_OK;
}

/* Closes the workbook and copies it into the sink (or drops it after a
 * failure rc). */
static portal_result template_close(template_book *t, portal_result rc, const file_sink *sink)
{
    lxw_error e = workbook_close(t->book);
    if (rc == PORTAL_OK && e != LXW_NO_ERROR)
        rc = PORTAL_ERR_IO;
    if (rc != PORTAL_OK) {
        unlink(t->path);
        return rc;
    }
    return file_sink_copy_file(sink, t->path);
}

/* The format for a column of `kind`, locked or not. */
static lxw_format *template_kind_format(template_book *t, sheet_value_kind kind, int unlocked)
{
    switch (kind) {
    case SHEET_VALUE_DATE:
        return unlocked ? t->u_date : t->date;
    case SHEET_VALUE_MONEY:
        return unlocked ? t->u_money : t->money;
    case SHEET_VALUE_PERCENT:
        return unlocked ? t->u_percent : t->percent;
    case SHEET_VALUE_TEXT:
    case SHEET_VALUE_GENDER:
    default:
        return unlocked ? t->u_text : t->text;
    }
}

/* A plain decimal ("-12.50"); 0 for anything else. */
static int template_number(const char *v, double *out)
{
    size_t n = strlen(v), i = v[0] == '-' ? 1 : 0;
    int digits = 0, points = 0;
    for (; i < n; i++) {
        if (v[i] >= '0' && v[i] <= '9')
            digits++;
        else if (v[i] == '.' && points++ == 0)
            continue;
        else
            return 0;
    }
    if (!digits)
        return 0;
    *out = strtod(v, NULL);
    return 1;
}

/* Writes one value as its kind (text when it does not parse). */
static lxw_error template_cell(template_book *t, lxw_row_t row, lxw_col_t col, const char *v,
                               sheet_value_kind kind, lxw_format *fmt)
{
    if (!v || !*v)
        return worksheet_write_blank(t->sheet, row, col, fmt);
    double num;
    civil_date d;
    if (kind == SHEET_VALUE_DATE && civil_date_parse(v, &d) == PORTAL_OK) {
        lxw_datetime dt = {.year = d.year, .month = d.month, .day = d.day};
        return worksheet_write_datetime(t->sheet, row, col, &dt, fmt);
    }
    if ((kind == SHEET_VALUE_MONEY || kind == SHEET_VALUE_PERCENT) && template_number(v, &num))
        return worksheet_write_number(t->sheet, row, col, num, fmt);
    return worksheet_write_string(t->sheet, row, col, v, fmt);
}

/* Sets widths and column formats and writes the label row. */
static lxw_error template_header(template_book *t, const sheet_column_def *cols, size_t n,
                                 const char *lang, int unlock_editable)
{
    int en = lang && strcmp(lang, "en") == 0;
    lxw_error e = LXW_NO_ERROR;
    for (size_t i = 0; i < n && !e; i++) {
        int unlocked = unlock_editable && cols[i].editable;
        e = worksheet_set_column(t->sheet, (lxw_col_t)i, (lxw_col_t)i, cols[i].width,
                                 template_kind_format(t, cols[i].kind, unlocked));
    }
    for (size_t i = 0; i < n && !e; i++)
        e = worksheet_write_string(t->sheet, 0, (lxw_col_t)i,
                                   en ? cols[i].label_en : cols[i].label_nl, t->header);
    if (!e)
        e = worksheet_set_row(t->sheet, 0, 30, NULL);
    worksheet_freeze_panes(t->sheet, 1, 0);
    return e;
}

/* A decimal validation on column col, rows first..last. */
static lxw_error template_decimal_rule(template_book *t, lxw_row_t first, lxw_row_t last,
                                       lxw_col_t col, int percent, int en)
{
    lxw_data_validation v;
    memset(&v, 0, sizeof v);
    v.validate = LXW_VALIDATION_TYPE_DECIMAL;
    v.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
    if (percent) {
        v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        v.minimum_number = 0;
        v.maximum_number = 100;
        v.error_title = en ? "Percentage" : "Percentage";
        v.error_message =
            en ? "Enter a number from 0 to 100." : "Vul een getal van 0 tot en met 100 in.";
    } else {
        v.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
        v.value_number = 0;
        v.error_title = en ? "Amount" : "Bedrag";
        v.error_message = en ? "Enter an amount of 0 or more." : "Vul een bedrag van 0 of meer in.";
    }
    return worksheet_data_validation_range(t->sheet, first, col, last, col, &v);
}

portal_result batch_template_salary_xlsx(const batch_salary_row *rows, size_t n, const char *lang,
                                         const file_sink *sink)
{
    if (n > TEMPLATE_MAX_ROWS - 1)
        return PORTAL_ERR_TOO_LARGE;
    int en = lang && strcmp(lang, "en") == 0;
    template_book t;
    portal_result rc =
        template_open(&t, en ? "Salaries" : "Salarissen", SHEET_TEMPLATE_SALARY_CHANGE);
    if (rc)
        return t.book ? template_close(&t, rc, sink) : rc;
    size_t ncols;
    const sheet_column_def *cols = sheet_template_columns(SHEET_TEMPLATE_SALARY_CHANGE, &ncols);
    lxw_error e = template_header(&t, cols, ncols, lang, 1);
    for (size_t r = 0; r < n && !e; r++) {
        lxw_row_t row = (lxw_row_t)(r + 1);
        const char *v[5] = {rows[r].participant_number, rows[r].display_name, rows[r].birth_date,
                            rows[r].salary, rows[r].parttime_percentage};
        for (size_t c = 0; c < 5 && !e; c++)
            e = template_cell(&t, row, (lxw_col_t)c, v[c], cols[c].kind,
                              template_kind_format(&t, cols[c].kind, 0));
        if (!e)
            e = worksheet_write_blank(t.sheet, row, 5, t.u_money);
        if (!e)
            e = worksheet_write_blank(t.sheet, row, 6, t.u_percent);
    }
    lxw_row_t last = (lxw_row_t)(n > 0 ? n : 1);
    if (!e)
        e = template_decimal_rule(&t, 1, last, 5, 0, en);
    if (!e)
        e = template_decimal_rule(&t, 1, last, 6, 1, en);
    lxw_protection prot;
    memset(&prot, 0, sizeof prot);
    prot.format_columns = 1; /* widths may change */
    worksheet_protect(t.sheet, NULL, &prot);
    return template_close(&t, e ? PORTAL_ERR_IO : PORTAL_OK, sink);
}

portal_result batch_template_new_participants_xlsx(const batch_new_participant_row *example,
                                                   const char *lang, const file_sink *sink)
{
    int en = lang && strcmp(lang, "en") == 0;
    template_book t;
    portal_result rc = template_open(&t, en ? "New participants" : "Nieuwe deelnemers",
                                     SHEET_TEMPLATE_NEW_PARTICIPANTS);
    if (rc)
        return t.book ? template_close(&t, rc, sink) : rc;
    size_t ncols;
    const sheet_column_def *cols = sheet_template_columns(SHEET_TEMPLATE_NEW_PARTICIPANTS, &ncols);
    const char *v[SHEET_MAX_FIELDS];
    template_participant_values(example ? example : &EXAMPLE, v);
    lxw_error e = template_header(&t, cols, ncols, lang, 0);
    lxw_format *fmt[SHEET_MAX_FIELDS];
    for (size_t c = 0; c < ncols; c++) {
        fmt[c] = workbook_add_format(t.book); /* the example row: italic grey */
        format_set_italic(fmt[c]);
        format_set_font_color(fmt[c], 0x7F7F7F);
        format_set_num_format(fmt[c], cols[c].kind == SHEET_VALUE_DATE      ? "dd-mm-yyyy"
                                      : cols[c].kind == SHEET_VALUE_MONEY   ? "#,##0.00"
                                      : cols[c].kind == SHEET_VALUE_PERCENT ? "0.00"
                                                                            : "@");
    }
    for (size_t c = 0; c < ncols && !e; c++)
        e = template_cell(&t, 1, (lxw_col_t)c, v[c], cols[c].kind, fmt[c]);
    for (size_t c = 0; c < ncols && !e; c++) {
        lxw_data_validation dv;
        memset(&dv, 0, sizeof dv);
        dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
        if (cols[c].kind == SHEET_VALUE_DATE) {
            dv.validate = LXW_VALIDATION_TYPE_DATE;
            dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
            dv.minimum_datetime = (lxw_datetime){.year = 1900, .month = 1, .day = 1};
            dv.maximum_datetime = (lxw_datetime){.year = 2200, .month = 12, .day = 31};
            dv.error_title = en ? "Date" : "Datum";
            dv.error_message = en ? "Enter a date, e.g. 31-01-1980."
                                  : "Vul een datum in, bijvoorbeeld 31-01-1980.";
        } else if (cols[c].kind == SHEET_VALUE_GENDER) {
            static const char *genders[] = {"male", "female", "unknown", NULL};
            dv.validate = LXW_VALIDATION_TYPE_LIST;
            dv.value_list = (char **)genders;
            dv.error_title = en ? "Gender" : "Geslacht";
            dv.error_message =
                en ? "Choose male, female or unknown." : "Kies male, female of unknown.";
        } else if (cols[c].kind == SHEET_VALUE_MONEY || cols[c].kind == SHEET_VALUE_PERCENT) {
            e = template_decimal_rule(&t, 1, TEMPLATE_VALIDATION_LAST, (lxw_col_t)c,
                                      cols[c].kind == SHEET_VALUE_PERCENT, en);
            continue;
        } else {
            continue;
        }
        e = worksheet_data_validation_range(t.sheet, 1, (lxw_col_t)c, TEMPLATE_VALIDATION_LAST,
                                            (lxw_col_t)c, &dv);
    }
    return template_close(&t, e ? PORTAL_ERR_IO : PORTAL_OK, sink);
}

/* CSV: rows collect in a small buffer flushed to the sink. */
typedef struct {
    buf b;
    const file_sink *sink;
    portal_result rc;
} template_csv;

static void template_csv_row(template_csv *c, const char *const *v, size_t n, int text_all)
{
    for (size_t i = 0; i < n && !c->rc; i++)
        c->rc = csv_append_field(&c->b, v[i], i == 0, text_all);
    if (!c->rc)
        c->rc = csv_end_row(&c->b);
    if (!c->rc && c->b.len >= TEMPLATE_CSV_FLUSH) {
        c->rc = file_sink_write(c->sink, c->b.data, c->b.len);
        c->b.len = 0;
    }
}

/* Writes the keys row of template kind. */
static void template_csv_header(template_csv *c, sheet_template kind)
{
    size_t n;
    const sheet_column_def *cols = sheet_template_columns(kind, &n);
    const char *keys[SHEET_MAX_FIELDS];
    for (size_t i = 0; i < n; i++)
        keys[i] = cols[i].key;
    template_csv_row(c, keys, n, 1);
}

static portal_result template_csv_finish(template_csv *c)
{
    if (!c->rc && c->b.len)
        c->rc = file_sink_write(c->sink, c->b.data, c->b.len);
    buf_free(&c->b);
    return c->rc;
}

portal_result batch_template_salary_csv(const batch_salary_row *rows, size_t n,
                                        const file_sink *sink)
{
    template_csv c = {.sink = sink, .rc = PORTAL_OK};
    buf_init(&c.b, 4 * TEMPLATE_CSV_FLUSH);
    template_csv_header(&c, SHEET_TEMPLATE_SALARY_CHANGE);
    for (size_t r = 0; r < n && !c.rc; r++) {
        const char *v[7] = {rows[r].participant_number,
                            rows[r].display_name,
                            rows[r].birth_date,
                            rows[r].salary,
                            rows[r].parttime_percentage,
                            NULL,
                            NULL};
        /* Numbers and dates as they are; names neutralised when formula-like. */
        for (size_t i = 0; i < 7 && !c.rc; i++)
            c.rc = csv_append_field(&c.b, v[i], i == 0, i <= 1);
        if (!c.rc)
            c.rc = csv_end_row(&c.b);
        if (!c.rc && c.b.len >= TEMPLATE_CSV_FLUSH) {
            c.rc = file_sink_write(sink, c.b.data, c.b.len);
            c.b.len = 0;
        }
    }
    return template_csv_finish(&c);
}

portal_result batch_template_new_participants_csv(const batch_new_participant_row *example,
                                                  const file_sink *sink)
{
    template_csv c = {.sink = sink, .rc = PORTAL_OK};
    buf_init(&c.b, 4 * TEMPLATE_CSV_FLUSH);
    template_csv_header(&c, SHEET_TEMPLATE_NEW_PARTICIPANTS);
    const char *v[SHEET_MAX_FIELDS];
    template_participant_values(example ? example : &EXAMPLE, v);
    template_csv_row(&c, v, SHEET_MAX_FIELDS, 1);
    return template_csv_finish(&c);
}
