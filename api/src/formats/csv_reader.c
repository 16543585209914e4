/* formats/csv_reader.c: see csv_reader.h. */
#include "formats/csv_reader.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "formats/sniff.h"

#define CSV_DEFAULT_FIELD 4096u
#define CSV_DEFAULT_COLUMNS 64u
#define CSV_DEFAULT_ROWS 1048576ul

typedef enum { CSV_FIELD_START, CSV_UNQUOTED, CSV_QUOTED, CSV_QUOTE_IN_QUOTED } csv_state;

struct csv_reader {
    csv_limits lim;
    sheet_row_fn fn;
    void *ctx;
    char sep;           /* 0 until the header line is complete */
    buf pending;        /* the raw header line while sep is 0 */
    int head_in_quotes; /* quote state while scanning the header line */
    size_t head_scanned;
    size_t count_semicolon, count_comma;
    int started; /* the byte order mark has been looked at */
    csv_state state;
    int skip_lf;     /* the last record ended with CR */
    int record_open; /* bytes of the current record have been seen */
    char *arena;     /* the current record's fields, each NUL-terminated */
    size_t arena_len, arena_cap;
    size_t field_start; /* offset of the current field in arena */
    size_t *offsets;    /* offsets[i]: start of field i */
    size_t n_fields;
    sheet_cell *cells;
    unsigned long records;
    csv_reason reason;
    portal_result failed;
};

portal_result csv_reader_new(const csv_limits *limits, sheet_row_fn fn, void *ctx, csv_reader **out)
{
    *out = NULL;
    csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return PORTAL_ERR_MEMORY;
    if (limits)
        r->lim = *limits;
    if (!r->lim.max_field_bytes)
        r->lim.max_field_bytes = CSV_DEFAULT_FIELD;
    if (!r->lim.max_columns)
        r->lim.max_columns = CSV_DEFAULT_COLUMNS;
    if (!r->lim.max_rows)
        r->lim.max_rows = CSV_DEFAULT_ROWS;
    r->fn = fn;
    r->ctx = ctx;
    r->arena_cap = r->lim.max_columns * (r->lim.max_field_bytes + 1);
    r->arena = malloc(r->arena_cap);
    r->offsets = calloc(r->lim.max_columns, sizeof *r->offsets);
    r->cells = calloc(r->lim.max_columns, sizeof *r->cells);
    /* The header line in raw form: its fields, quotes and line end. */
    buf_init(&r->pending, r->lim.max_columns * (2 * r->lim.max_field_bytes + 3) + 2);
    if (!r->arena || !r->offsets || !r->cells) {
        csv_reader_free(r);
        return PORTAL_ERR_MEMORY;
    }
    *out = r;
    return PORTAL_OK;
}

void csv_reader_free(csv_reader *r)
{
    if (!r)
        return;
    buf_free(&r->pending);
    free(r->arena);
    free(r->offsets);
    free(r->cells);
    free(r);
}

/* Records a failure; returns it for the caller to pass on. */
static portal_result csv_fail(csv_reader *r, csv_reason reason, portal_result rc)
{
    r->reason = reason;
    r->failed = rc;
    return rc;
}

/* Appends one byte to the current field, within the field cap. */
static portal_result csv_put(csv_reader *r, char c)
{
    if (r->n_fields >= r->lim.max_columns)
        return csv_fail(r, CSV_REASON_TOO_MANY_COLUMNS, PORTAL_ERR_TOO_LARGE);
    if (r->arena_len - r->field_start >= r->lim.max_field_bytes)
        return csv_fail(r, CSV_REASON_FIELD_TOO_LONG, PORTAL_ERR_TOO_LARGE);
    r->arena[r->arena_len++] = c;
    return PORTAL_OK;
}

/* Closes the current field: checks its UTF-8 and starts the next. */
static portal_result csv_end_field(csv_reader *r)
{
    if (r->n_fields >= r->lim.max_columns)
        return csv_fail(r, CSV_REASON_TOO_MANY_COLUMNS, PORTAL_ERR_TOO_LARGE);
    const unsigned char *f = (const unsigned char *)r->arena + r->field_start;
    if (!sniff_is_utf8(f, r->arena_len - r->field_start, 0))
        return csv_fail(r, CSV_REASON_NOT_UTF8, PORTAL_ERR_INVALID);
    r->arena[r->arena_len++] = '\0'; /* the arena has room for one NUL per field */
    r->offsets[r->n_fields++] = r->field_start;
    r->field_start = r->arena_len;
    r->state = CSV_FIELD_START;
    return PORTAL_OK;
}

/* Closes the current record and reports it unless all its cells are empty. */
static portal_result csv_end_record(csv_reader *r)
{
    portal_result rc = csv_end_field(r);
    if (rc)
        return rc;
    if (r->records >= r->lim.max_rows)
        return csv_fail(r, CSV_REASON_TOO_MANY_ROWS, PORTAL_ERR_TOO_LARGE);
    r->records++;
    size_t last = 0;
    for (size_t i = 0; i < r->n_fields; i++) {
        const char *t = r->arena + r->offsets[i];
        size_t len = (i + 1 < r->n_fields ? r->offsets[i + 1] : r->arena_len) - r->offsets[i] - 1;
        r->cells[i].text = t;
        r->cells[i].len = len;
        r->cells[i].kind = len ? SHEET_CELL_TEXT : SHEET_CELL_EMPTY;
        if (len)
            last = i + 1;
    }
    r->arena_len = r->field_start = r->n_fields = 0;
    r->record_open = 0;
    if (last == 0)
        return PORTAL_OK;
    sheet_row row = {.number = r->records, .cells = r->cells, .n_cells = last};
    rc = r->fn(r->ctx, &row);
    if (rc)
        return csv_fail(r, CSV_REASON_CALLBACK, rc);
    return PORTAL_OK;
}

/* Runs the RFC 4180 state machine over len bytes (separator known). */
static portal_result csv_parse(csv_reader *r, const char *s, size_t len)
{
    portal_result rc = PORTAL_OK;
    const char sep = r->sep;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\0')
            return csv_fail(r, CSV_REASON_BINARY, PORTAL_ERR_INVALID);
        if (r->skip_lf) {
            r->skip_lf = 0;
            if (c == '\n')
                continue;
        }
        switch (r->state) {
        case CSV_FIELD_START:
            r->record_open = 1;
            if (c == '"')
                r->state = CSV_QUOTED;
            else if (c == sep)
                rc = csv_end_field(r);
            else if (c == '\r' || c == '\n') {
                r->skip_lf = c == '\r';
                rc = csv_end_record(r);
            } else {
                r->state = CSV_UNQUOTED;
                rc = csv_put(r, c);
            }
            break;
        case CSV_UNQUOTED:
            if (c == sep)
                rc = csv_end_field(r);
            else if (c == '\r' || c == '\n') {
                r->skip_lf = c == '\r';
                rc = csv_end_record(r);
            } else
                rc = csv_put(r, c);
            break;
        case CSV_QUOTED:
            if (c == '"')
                r->state = CSV_QUOTE_IN_QUOTED;
            else
                rc = csv_put(r, c);
            break;
        case CSV_QUOTE_IN_QUOTED:
            if (c == '"') {
                r->state = CSV_QUOTED;
                rc = csv_put(r, '"');
            } else if (c == sep)
                rc = csv_end_field(r);
            else if (c == '\r' || c == '\n') {
                r->skip_lf = c == '\r';
                rc = csv_end_record(r);
            } else
                return csv_fail(r, CSV_REASON_MALFORMED, PORTAL_ERR_INVALID);
            break;
        }
        if (rc)
            return rc;
    }
    return PORTAL_OK;
}

/* Decides the separator from the counts and replays the header line. */
static portal_result csv_start(csv_reader *r)
{
    r->sep = r->count_semicolon > r->count_comma ? ';' : ',';
    const char *s = r->pending.data ? r->pending.data : "";
    size_t len = r->pending.len;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        len -= 3;
    }
    portal_result rc = csv_parse(r, s, len);
    buf_free(&r->pending);
    return rc;
}

portal_result csv_reader_feed(csv_reader *r, const void *data, size_t len)
{
    if (r->failed)
        return r->failed;
    const char *s = data;
    if (len == 0)
        return PORTAL_OK;
    if (r->sep)
        return csv_parse(r, s, len);
    /* Header line: keep it raw until its end, counting separators outside
     * quotes; then decide and replay it, and parse the rest directly. */
    size_t i = 0;
    int done = 0;
    for (; i < len && !done; i++) {
        char c = s[i];
        if (c == '"')
            r->head_in_quotes = !r->head_in_quotes;
        else if (!r->head_in_quotes && c == ';')
            r->count_semicolon++;
        else if (!r->head_in_quotes && c == ',')
            r->count_comma++;
        else if (!r->head_in_quotes && (c == '\n' || c == '\r'))
            done = 1;
    }
    if (buf_append(&r->pending, s, i) != PORTAL_OK)
        return csv_fail(r, CSV_REASON_FIELD_TOO_LONG, PORTAL_ERR_TOO_LARGE);
    if (!done)
        return PORTAL_OK;
    portal_result rc = csv_start(r);
    if (rc)
        return rc;
    return csv_parse(r, s + i, len - i);
}

portal_result csv_reader_finish(csv_reader *r)
{
    if (r->failed)
        return r->failed;
    if (!r->sep) {
        portal_result rc = csv_start(r);
        if (rc)
            return rc;
    }
    if (r->state == CSV_QUOTED)
        return csv_fail(r, CSV_REASON_MALFORMED, PORTAL_ERR_INVALID);
    if (r->record_open)
        return csv_end_record(r);
    return PORTAL_OK;
}

csv_reason csv_reader_reason(const csv_reader *r)
{
    return r->reason;
}

unsigned long csv_reader_row(const csv_reader *r)
{
    return r->failed && r->reason != CSV_REASON_CALLBACK ? r->records + 1 : r->records;
}

char csv_reader_separator(const csv_reader *r)
{
    return r->sep;
}

const char *csv_reason_name(csv_reason reason)
{
    switch (reason) {
    case CSV_REASON_NONE:
        return "none";
    case CSV_REASON_NOT_UTF8:
        return "not_utf8";
    case CSV_REASON_BINARY:
        return "binary";
    case CSV_REASON_MALFORMED:
        return "malformed";
    case CSV_REASON_FIELD_TOO_LONG:
        return "field_too_long";
    case CSV_REASON_TOO_MANY_COLUMNS:
        return "too_many_columns";
    case CSV_REASON_TOO_MANY_ROWS:
        return "too_many_rows";
    case CSV_REASON_CALLBACK:
        return "callback";
    case CSV_REASON_MEMORY:
        return "memory";
    }
    return "none";
}

int csv_reason_problem(csv_reason reason, const char **code)
{
    int status =
        reason == CSV_REASON_NONE || reason == CSV_REASON_CALLBACK || reason == CSV_REASON_MEMORY
            ? 0
            : 422;
    if (code)
        *code = status ? "file_unreadable" : NULL;
    return status;
}

const char *csv_reason_detail(csv_reason reason, const char *lang)
{
    int en = lang && strcmp(lang, "en") == 0;
    switch (reason) {
    case CSV_REASON_NOT_UTF8:
        return en ? "The file is not UTF-8. In Excel choose Save as, type \"CSV UTF-8 (comma "
                    "delimited)\", and upload it again."
                  : "Het bestand is geen UTF-8. Kies in Excel Opslaan als, type \"CSV UTF-8 (door "
                    "komma's gescheiden)\", en upload het opnieuw.";
    case CSV_REASON_BINARY:
        return en ? "This is not a text file. Upload a CSV (UTF-8) or an Excel workbook (.xlsx)."
                  : "Dit is geen tekstbestand. Upload een CSV (UTF-8) of een Excel-werkmap "
                    "(.xlsx).";
    case CSV_REASON_MALFORMED:
        return en ? "A quote in the file is not closed or is followed by text. Save the file "
                    "again from the spreadsheet program."
                  : "Een aanhalingsteken in het bestand is niet gesloten of wordt gevolgd door "
                    "tekst. Sla het bestand opnieuw op vanuit het rekenbladprogramma.";
    case CSV_REASON_FIELD_TOO_LONG:
    case CSV_REASON_TOO_MANY_COLUMNS:
    case CSV_REASON_TOO_MANY_ROWS:
        return en ? "The file has too many rows or columns, or too long a value. Use the "
                    "template's columns only."
                  : "Het bestand heeft te veel rijen of kolommen, of een te lange waarde. Gebruik "
                    "alleen de kolommen van het sjabloon.";
    case CSV_REASON_NONE:
    case CSV_REASON_CALLBACK:
    case CSV_REASON_MEMORY:
    default:
        return en ? "The file could not be read. Try again later."
                  : "Het bestand kon niet worden gelezen. Probeer het later opnieuw.";
    }
}

portal_result csv_read_buffer(const void *data, size_t len, const csv_limits *limits,
                              sheet_row_fn fn, void *ctx, csv_reason *reason, unsigned long *row)
{
    csv_reader *r = NULL;
    portal_result rc = csv_reader_new(limits, fn, ctx, &r);
    if (rc) {
        if (reason)
            *reason = CSV_REASON_MEMORY;
        return rc;
    }
    rc = csv_reader_feed(r, data, len);
    if (!rc)
        rc = csv_reader_finish(r);
    if (reason)
        *reason = r->reason;
    if (row)
        *row = csv_reader_row(r);
    csv_reader_free(r);
    return rc;
}

portal_result csv_read_stream(FILE *f, const csv_limits *limits, sheet_row_fn fn, void *ctx,
                              csv_reason *reason, unsigned long *row)
{
    csv_reader *r = NULL;
    portal_result rc = csv_reader_new(limits, fn, ctx, &r);
    if (rc) {
        if (reason)
            *reason = CSV_REASON_MEMORY;
        return rc;
    }
    char block[CSV_STREAM_BLOCK];
    if (fseek(f, 0, SEEK_SET) != 0)
        rc = PORTAL_ERR_IO;
    while (rc == PORTAL_OK) {
        size_t n = fread(block, 1, sizeof block, f);
        if (n > 0)
            rc = csv_reader_feed(r, block, n);
        if (n < sizeof block) {
            if (ferror(f))
                rc = PORTAL_ERR_IO;
            break;
        }
    }
    if (rc == PORTAL_OK)
        rc = csv_reader_finish(r);
    if (reason)
        *reason = rc == PORTAL_ERR_IO ? CSV_REASON_NONE : r->reason;
    if (row)
        *row = csv_reader_row(r);
    csv_reader_free(r);
    return rc;
}

portal_result csv_decimal_comma_to_point(const char *text, size_t len, char *out, size_t size)
{
    if (size == 0)
        return PORTAL_ERR_TOO_LARGE;
    out[0] = '\0';
    const char *comma = memchr(text, ',', len);
    if (comma && memchr(comma + 1, ',', len - (size_t)(comma - text) - 1))
        return PORTAL_ERR_INVALID;
    size_t n = 0;
    if (comma) {
        /* Points before the comma must group the digits by three. */
        size_t last_point = 0;
        int seen_point = 0;
        for (size_t i = 0; i < (size_t)(comma - text); i++) {
            if (text[i] != '.')
                continue;
            if (seen_point && i - last_point != 4)
                return PORTAL_ERR_INVALID;
            if (!seen_point && (i == 0 || text[i - 1] < '0' || text[i - 1] > '9'))
                return PORTAL_ERR_INVALID;
            seen_point = 1;
            last_point = i;
        }
        if (seen_point && (size_t)(comma - text) - last_point != 4)
            return PORTAL_ERR_INVALID;
    }
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (comma && c == '.')
            continue;
        if (n + 1 >= size) {
            out[0] = '\0';
            return PORTAL_ERR_TOO_LARGE;
        }
        out[n++] = c == ',' ? '.' : c;
    }
    out[n] = '\0';
    return PORTAL_OK;
}

/* Reads 1..max digits at *p into *v; 0 when there are none or too many. */
static int csv_digits(const char *s, size_t len, size_t *p, int min, int max, int *v)
{
    int n = 0, value = 0;
    while (*p < len && s[*p] >= '0' && s[*p] <= '9' && n < max + 1) {
        value = value * 10 + (s[*p] - '0');
        (*p)++;
        n++;
    }
    if (n < min || n > max)
        return 0;
    *v = value;
    return 1;
}

portal_result csv_parse_date(const char *text, size_t len, civil_date *out)
{
    while (len && (*text == ' ' || *text == '\t')) {
        text++;
        len--;
    }
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len < 8 || len > 10)
        return PORTAL_ERR_INVALID;
    size_t p = 0;
    int a, b, c;
    civil_date d;
    if (len == 10 && text[4] == '-') {
        if (!csv_digits(text, len, &p, 4, 4, &a) || text[p++] != '-' ||
            !csv_digits(text, len, &p, 2, 2, &b) || p >= len || text[p++] != '-' ||
            !csv_digits(text, len, &p, 2, 2, &c) || p != len)
            return PORTAL_ERR_INVALID;
        d = (civil_date){a, b, c};
    } else {
        if (!csv_digits(text, len, &p, 1, 2, &a) || p >= len)
            return PORTAL_ERR_INVALID;
        char sep = text[p++];
        if ((sep != '-' && sep != '/') || !csv_digits(text, len, &p, 1, 2, &b) || p >= len ||
            text[p++] != sep || !csv_digits(text, len, &p, 4, 4, &c) || p != len)
            return PORTAL_ERR_INVALID;
        d = (civil_date){c, b, a};
    }
    if (!civil_date_is_valid(d))
        return PORTAL_ERR_INVALID;
    *out = d;
    return PORTAL_OK;
}
