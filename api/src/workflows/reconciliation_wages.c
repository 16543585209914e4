/* workflows/reconciliation_wages.c: see reconciliation_wages.h. */
#include "workflows/reconciliation_wages.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/bsn.h"
#include "domain/decimal.h"
#include "formats/csv_reader.h"
#include "formats/sheet_columns.h"
#include "formats/xlsx_reader.h"
#include "store/pg_array.h"
#include "store/reconciliation_wages.h"
#include "workflows/reconciliations.h"
#include "workflows/reconciliations_internal.h"

#define RECON_WAGE_LITERAL_MAX (8u * 1024 * 1024) /* bytes of one array literal */

/* One data row as checked. */
typedef struct {
    unsigned long row;
    char bsn[BSN_SIZE];           /* "" when the cell was wrong */
    char wage[DECIMAL_TEXT_SIZE]; /* canonical; "" when the cell was wrong */
} recon_wage_row;

/* One error at a row (field and code static). */
typedef struct {
    unsigned long row;
    long col; /* -1: the row as a whole */
    const char *field;
    const char *code;
} recon_wage_error;

/* What the reader callback builds up (owned by recon_wages_upload). */
typedef struct {
    int header_done;
    long bsn_col, wage_col;
    recon_wage_row *rows;
    size_t n_rows, rows_alloc;
    recon_wage_error *errors;
    size_t n_errors, errors_alloc;
} recon_wage_reader;

/* The message of an error code in the language asked for. */
static const char *recon_wage_message(const char *code, int en)
{
    static const struct {
        const char *code, *nl, *en;
    } texts[] = {
        {"column_missing", "Deze kolom ontbreekt in de kopregel.",
         "This column is missing from the header row."},
        {"required", "Vul deze cel in.", "Fill in this cell."},
        {"invalid_bsn", "Dit is geen geldig BSN (negen cijfers die de elfproef doorstaan).",
         "This is not a valid BSN (nine digits that pass the eleven test)."},
        {"invalid_format", "Schrijf het loon als bedrag zonder valutateken, bijvoorbeeld 41000,00.",
         "Write the wage as an amount without a currency sign, for example 41000.00."},
        {"duplicate_in_file", "Dit BSN staat al op een eerdere regel van het bestand.",
         "This BSN is on an earlier row of the file already."},
        {"employee_unknown",
         "Er is geen werknemer met dit BSN in de naverrekening. Voeg de werknemer eerst toe.",
         "There is no employee with this BSN in the reconciliation. Add the employee first."},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (strcmp(texts[i].code, code) == 0)
            return en ? texts[i].en : texts[i].nl;
    return en ? "This value is not valid." : "Deze waarde is niet geldig.";
}

/* Records an error; PORTAL_ERR_MEMORY when it cannot be kept. */
static portal_result recon_wage_add_error(recon_wage_reader *r, unsigned long row, long col,
                                          const char *field, const char *code)
{
    if (r->n_errors == r->errors_alloc) {
        size_t want = r->errors_alloc ? r->errors_alloc * 2 : 64;
        recon_wage_error *e = realloc(r->errors, want * sizeof *e);
        if (!e)
            return PORTAL_ERR_MEMORY;
        r->errors = e;
        r->errors_alloc = want;
    }
    r->errors[r->n_errors++] = (recon_wage_error){row, col, field, code};
    return PORTAL_OK;
}

/* Copies a cell without surrounding spaces into out (size bytes); 0 when
 * it does not fit. */
static int recon_wage_cell(const sheet_row *row, long col, char *out, size_t size)
{
    out[0] = 0;
    if (col < 0 || (size_t)col >= row->n_cells)
        return 1;
    const char *s = row->cells[col].text;
    size_t len = row->cells[col].len;
    while (len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len >= size)
        return 0;
    memcpy(out, s, len);
    out[len] = 0;
    return 1;
}

/* Which column a header cell names: 1 BSN, 2 wage, 0 neither. */
static int recon_wage_header_kind(const sheet_cell *c)
{
    char name[40];
    size_t at = 0;
    for (size_t i = 0; i < c->len && at + 1 < sizeof name; i++) {
        unsigned char ch = (unsigned char)c->text[i];
        if (ch != ' ' && ch != '_' && ch != '-')
            name[at++] = (char)tolower(ch);
    }
    name[at] = 0;
    if (strcmp(name, "bsn") == 0 || strcmp(name, "burgerservicenummer") == 0)
        return 1;
    if (strcmp(name, "verzekerdloon") == 0 || strcmp(name, "loon") == 0 ||
        strcmp(name, "insuredwage") == 0)
        return 2;
    return 0;
}

/* Reads the header row: finds both columns or records column_missing. */
static portal_result recon_wage_header(recon_wage_reader *r, const sheet_row *row)
{
    r->header_done = 1;
    for (size_t i = 0; i < row->n_cells; i++) {
        int kind = recon_wage_header_kind(&row->cells[i]);
        if (kind == 1 && r->bsn_col < 0)
            r->bsn_col = (long)i;
        else if (kind == 2 && r->wage_col < 0)
            r->wage_col = (long)i;
    }
    portal_result rc = PORTAL_OK;
    if (r->bsn_col < 0)
        rc = recon_wage_add_error(r, row->number, -1, "bsn", "column_missing");
    if (rc == PORTAL_OK && r->wage_col < 0)
        rc = recon_wage_add_error(r, row->number, -1, "insured_wage", "column_missing");
    return rc;
}

/* Checks a wage cell into out (canonical decimal); the error code or NULL. */
static const char *recon_wage_amount(const char *text, char *out, size_t size)
{
    char point[DECIMAL_TEXT_SIZE];
    int64_t cents = 0;
    if (!text[0])
        return "required";
    if (csv_decimal_comma_to_point(text, strlen(text), point, sizeof point) != PORTAL_OK ||
        decimal_parse(point, &decimal_spec_salary, &cents) != PORTAL_OK ||
        decimal_format(cents, DECIMAL_MONEY_SCALE, out, size) != PORTAL_OK)
        return "invalid_format";
    return NULL;
}

/* The row callback: the header first, then one wage row each. */
static portal_result recon_wage_row_fn(void *ctx, const sheet_row *row)
{
    recon_wage_reader *r = ctx;
    if (!r->header_done)
        return recon_wage_header(r, row);
    if (r->bsn_col < 0 || r->wage_col < 0)
        return PORTAL_OK;
    if (r->n_rows == r->rows_alloc) {
        size_t want = r->rows_alloc ? r->rows_alloc * 2 : 256;
        recon_wage_row *rows = realloc(r->rows, want * sizeof *rows);
        if (!rows)
            return PORTAL_ERR_MEMORY;
        r->rows = rows;
        r->rows_alloc = want;
    }
    recon_wage_row *w = &r->rows[r->n_rows++];
    memset(w, 0, sizeof *w);
    w->row = row->number;
    char bsn[32], wage[64], normal[BSN_SIZE];
    portal_result rc = PORTAL_OK;
    if (!recon_wage_cell(row, r->bsn_col, bsn, sizeof bsn) ||
        (bsn[0] && bsn_normalize(bsn, normal) != PORTAL_OK))
        rc = recon_wage_add_error(r, row->number, r->bsn_col, "bsn", "invalid_bsn");
    else if (!bsn[0])
        rc = recon_wage_add_error(r, row->number, r->bsn_col, "bsn", "required");
    else
        memcpy(w->bsn, normal, sizeof w->bsn);
    const char *code = recon_wage_cell(row, r->wage_col, wage, sizeof wage)
                           ? recon_wage_amount(wage, w->wage, sizeof w->wage)
                           : "invalid_format";
    if (rc == PORTAL_OK && code)
        rc = recon_wage_add_error(r, row->number, r->wage_col, "insured_wage", code);
    return rc;
}

/* Reads the whole file through its reader. PORTAL_ERR_INVALID with o
 * filled ("file_unreadable" and what to do) when the file cannot be read. */
static portal_result recon_wage_read(const recon_wage_file *in, recon_wage_reader *r, int en,
                                     portal_outcome *o)
{
    const char *lang = en ? "en" : "nl";
    const char *detail = NULL;
    portal_result rc;
    if (in->xlsx) {
        xlsx_limits limits = {.max_rows = RECON_WAGE_FILE_MAX_ROWS};
        xlsx_info info;
        memset(&info, 0, sizeof info);
        rc = xlsx_read_buffer(in->data, in->len, &limits, recon_wage_row_fn, r, &info);
        if (rc != PORTAL_OK && info.reason != XLSX_REASON_CALLBACK &&
            info.reason != XLSX_REASON_MEMORY)
            detail = xlsx_reason_detail(info.reason, lang);
    } else {
        csv_limits limits = {.max_rows = RECON_WAGE_FILE_MAX_ROWS};
        csv_reason reason = CSV_REASON_NONE;
        rc = csv_read_buffer(in->data, in->len, &limits, recon_wage_row_fn, r, &reason, NULL);
        if (rc != PORTAL_OK && reason != CSV_REASON_CALLBACK && reason != CSV_REASON_MEMORY)
            detail = csv_reason_detail(reason, lang);
    }
    if (rc == PORTAL_OK && !r->header_done)
        rc = recon_wage_header(r, &(sheet_row){.number = 1, .cells = NULL, .n_cells = 0});
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    if (!detail)
        return outcome_fail(o, rc == PORTAL_ERR_INVALID ? PORTAL_ERR_INTERNAL : rc, NULL);
    outcome_fail(o, PORTAL_ERR_INVALID, "file_unreadable");
    outcome_set_detail(o, detail);
    return o->rc;
}

/* Orders rows by BSN, then row. */
static int recon_wage_by_bsn(const void *a, const void *b)
{
    const recon_wage_row *x = a, *y = b;
    int c = strcmp(x->bsn, y->bsn);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* Orders errors by row, then column. */
static int recon_wage_by_row(const void *a, const void *b)
{
    const recon_wage_error *x = a, *y = b;
    if (x->row != y->row)
        return (x->row > y->row) - (x->row < y->row);
    return (x->col > y->col) - (x->col < y->col);
}

/* Orders BSN strings (for bsearch over the unknown ones). */
static int recon_wage_bsn_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Sorts the rows by BSN, records duplicate_in_file at every later row of a
 * BSN and builds the literals of the distinct valid BSNs and their wages. */
static portal_result recon_wage_literals(recon_wage_reader *r, buf *bsns, buf *wages)
{
    if (r->n_rows)
        qsort(r->rows, r->n_rows, sizeof *r->rows, recon_wage_by_bsn);
    portal_result rc = buf_append_str(bsns, "{");
    if (rc == PORTAL_OK)
        rc = buf_append_str(wages, "{");
    const char *last = "";
    for (size_t i = 0; rc == PORTAL_OK && i < r->n_rows; i++) {
        const recon_wage_row *w = &r->rows[i];
        if (!w->bsn[0])
            continue;
        if (strcmp(w->bsn, last) == 0) {
            rc = recon_wage_add_error(r, w->row, r->bsn_col, "bsn", "duplicate_in_file");
            continue;
        }
        int first = bsns->len == 1;
        rc = buf_printf(bsns, "%s%s", first ? "" : ",", w->bsn);
        if (rc == PORTAL_OK)
            rc = buf_printf(wages, "%s%s", first ? "" : ",", w->wage[0] ? w->wage : "NULL");
        last = w->bsn;
    }
    if (rc == PORTAL_OK)
        rc = buf_append_str(bsns, "}");
    if (rc == PORTAL_OK)
        rc = buf_append_str(wages, "}");
    return rc;
}

/* Records employee_unknown at every row whose BSN is in the array literal
 * unknown. */
static portal_result recon_wage_unknown(recon_wage_reader *r, const char *unknown)
{
    size_t max = r->n_rows ? r->n_rows : 1;
    char(*list)[BSN_SIZE] = calloc(max, BSN_SIZE);
    if (!list)
        return PORTAL_ERR_MEMORY;
    int n = pg_array_split(unknown, (char *)list, BSN_SIZE, (int)(max > 1000000 ? 1000000 : max));
    qsort(list, (size_t)n, BSN_SIZE, recon_wage_bsn_cmp);
    portal_result rc = PORTAL_OK;
    for (size_t i = 0; rc == PORTAL_OK && n > 0 && i < r->n_rows; i++)
        if (r->rows[i].bsn[0] &&
            bsearch(r->rows[i].bsn, list, (size_t)n, BSN_SIZE, recon_wage_bsn_cmp))
            rc = recon_wage_add_error(r, r->rows[i].row, r->bsn_col, "bsn", "employee_unknown");
    free(list);
    return rc;
}

/* The errors, by row, as the answer's array (the first
 * RECON_WAGE_ERRORS_LISTED) and the first of them in o. */
static portal_result recon_wage_errors_json(recon_wage_reader *r, int en, portal_outcome *o,
                                            json_t **out)
{
    if (r->n_errors)
        qsort(r->errors, r->n_errors, sizeof *r->errors, recon_wage_by_row);
    json_t *all = json_array();
    if (!all)
        return PORTAL_ERR_MEMORY;
    for (size_t i = 0; i < r->n_errors && i < RECON_WAGE_ERRORS_LISTED; i++) {
        const recon_wage_error *e = &r->errors[i];
        char letter[8] = "", pointer[64];
        if (e->col >= 0 && sheet_column_letter((size_t)e->col, letter, sizeof letter) != PORTAL_OK)
            letter[0] = 0;
        snprintf(pointer, sizeof pointer, "/rows/%lu/%s", e->row, e->field);
        const char *text = recon_wage_message(e->code, en);
        outcome_add_error(o, pointer, e->code, text);
        if (json_array_append_new(all, json_pack("{s:I, s:s, s:s, s:s, s:s}", "row",
                                                 (json_int_t)e->row, "column", letter, "field",
                                                 pointer, "code", e->code, "message", text)) != 0) {
            json_decref(all);
            return PORTAL_ERR_MEMORY;
        }
    }
    *out = all;
    return PORTAL_OK;
}

/* Checks the rows against the reconciliation and, when every row is
 * right, applies them: PORTAL_OK with *updated, PORTAL_ERR_INVALID when
 * rows are wrong (r->errors filled), or a failure. */
static portal_result recon_wage_check_apply(db_conn *db, const char *id, recon_wage_reader *r,
                                            long long *updated)
{
    buf bsns, wages;
    buf_init(&bsns, RECON_WAGE_LITERAL_MAX);
    buf_init(&wages, RECON_WAGE_LITERAL_MAX);
    char *unknown = NULL;
    portal_result rc = recon_wage_literals(r, &bsns, &wages);
    if (rc == PORTAL_OK)
        rc = recon_store_wages_unknown(db, id, bsns.data, &unknown);
    if (rc == PORTAL_OK)
        rc = recon_wage_unknown(r, unknown);
    free(unknown);
    if (rc == PORTAL_OK && r->n_errors)
        rc = PORTAL_ERR_INVALID;
    if (rc == PORTAL_OK)
        rc = recon_store_wages_apply(db, id, bsns.data, wages.data, updated);
    buf_free(&bsns);
    buf_free(&wages);
    return rc;
}

/* Frees what the reader built. */
static void recon_wage_reader_free(recon_wage_reader *r)
{
    free(r->rows);
    free(r->errors);
}

portal_result recon_wages_upload(db_conn *db, const portal_actor *actor, const char *id,
                                 const recon_wage_file *in, portal_outcome *o, char **json,
                                 json_t **errors, size_t *error_count)
{
    outcome_init(o);
    *json = NULL;
    *errors = NULL;
    *error_count = 0;
    int en = strcmp(workflow_lang(actor), "en") == 0;
    int own = 0;
    recon_head h;
    portal_result rc = recon_open_change(db, actor, id, &h, &own, o);
    if (rc != PORTAL_OK)
        return rc;
    recon_wage_reader r = {.bsn_col = -1, .wage_col = -1};
    if (rc == PORTAL_OK)
        rc = recon_wage_read(in, &r, en, o);
    long long updated = 0;
    if (rc == PORTAL_OK) {
        rc = recon_wage_check_apply(db, id, &r, &updated);
        if (rc == PORTAL_ERR_INVALID) {
            *error_count = r.n_errors;
            rc = recon_wage_errors_json(&r, en, o, errors);
            outcome_fail(o, rc == PORTAL_OK ? PORTAL_ERR_INVALID : rc,
                         rc == PORTAL_OK ? "wage_file_invalid" : NULL);
            rc = o->rc;
        } else if (rc != PORTAL_OK) {
            outcome_fail(o, rc, NULL);
        }
    }
    size_t rows = r.n_rows;
    recon_wage_reader_free(&r);
    if (rc == PORTAL_OK)
        rc = recon_store_touch(db, id);
    if (rc == PORTAL_OK) {
        json_t *counts =
            json_pack("{s:I, s:I}", "rows", (json_int_t)rows, "updated", (json_int_t)updated);
        rc = counts ? recon_audit(db, actor, "reconciliation.wages_uploaded", &h, counts)
                    : PORTAL_ERR_MEMORY;
        if (rc == PORTAL_OK)
            *json = json_dumps(counts, JSON_COMPACT);
        json_decref(counts);
    }
    if (rc == PORTAL_OK && !*json)
        rc = PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK)
        rc = recon_commit(db, own);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        free(*json);
        *json = NULL;
        return o->rc != PORTAL_OK ? o->rc : outcome_fail(o, rc, NULL);
    }
    return PORTAL_OK;
}
