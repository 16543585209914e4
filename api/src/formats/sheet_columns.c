/* formats/sheet_columns.c: see sheet_columns.h. */
#include "formats/sheet_columns.h"

#include <string.h>

static const sheet_column_def SALARY_CHANGE[] = {
    {"participant_number", "Deelnemernummer", "Participant number", SHEET_VALUE_TEXT, 1, 0, 18},
    {"display_name", "Naam", "Name", SHEET_VALUE_TEXT, 0, 0, 30},
    {"birth_date", "Geboortedatum", "Date of birth", SHEET_VALUE_DATE, 0, 0, 14},
    {"salary", "Salaris", "Salary", SHEET_VALUE_MONEY, 0, 0, 14},
    {"parttime_percentage", "Parttimepercentage", "Part-time percentage", SHEET_VALUE_PERCENT, 0, 0,
     20},
    {"new_salary", "Nieuw salaris", "New salary", SHEET_VALUE_MONEY, 1, 1, 16},
    {"new_parttime_percentage", "Nieuw parttimepercentage", "New part-time percentage",
     SHEET_VALUE_PERCENT, 1, 1, 24},
};

static const sheet_column_def NEW_PARTICIPANTS[] = {
    {"participant_number", "Deelnemernummer", "Participant number", SHEET_VALUE_TEXT, 0, 1, 18},
    {"first_name", "Voornaam", "First name", SHEET_VALUE_TEXT, 1, 1, 16},
    {"initials", "Voorletters", "Initials", SHEET_VALUE_TEXT, 1, 1, 11},
    {"surname_prefix", "Tussenvoegsel", "Surname prefix", SHEET_VALUE_TEXT, 0, 1, 13},
    {"surname", "Achternaam", "Surname", SHEET_VALUE_TEXT, 1, 1, 20},
    {"birth_date", "Geboortedatum", "Date of birth", SHEET_VALUE_DATE, 1, 1, 14},
    {"gender", "Geslacht", "Gender", SHEET_VALUE_GENDER, 1, 1, 10},
    {"bsn", "BSN", "BSN", SHEET_VALUE_TEXT, 1, 1, 11},
    {"email", "E-mailadres", "Email address", SHEET_VALUE_TEXT, 0, 1, 26},
    {"street", "Straat", "Street", SHEET_VALUE_TEXT, 1, 1, 22},
    {"house_number", "Huisnummer", "House number", SHEET_VALUE_TEXT, 1, 1, 11},
    {"postal_code", "Postcode", "Postal code", SHEET_VALUE_TEXT, 1, 1, 10},
    {"city", "Woonplaats", "City", SHEET_VALUE_TEXT, 1, 1, 18},
    {"country", "Land", "Country", SHEET_VALUE_TEXT, 0, 1, 8},
    {"start_date", "Datum in dienst", "Employment start", SHEET_VALUE_DATE, 1, 1, 14},
    {"salary", "Salaris", "Salary", SHEET_VALUE_MONEY, 1, 1, 14},
    {"parttime_percentage", "Parttimepercentage", "Part-time percentage", SHEET_VALUE_PERCENT, 1, 1,
     20},
};

const sheet_column_def *sheet_template_columns(sheet_template t, size_t *n)
{
    if (t == SHEET_TEMPLATE_NEW_PARTICIPANTS) {
        *n = sizeof NEW_PARTICIPANTS / sizeof NEW_PARTICIPANTS[0];
        return NEW_PARTICIPANTS;
    }
    *n = sizeof SALARY_CHANGE / sizeof SALARY_CHANGE[0];
    return SALARY_CHANGE;
}

const char *sheet_template_name(sheet_template t)
{
    return t == SHEET_TEMPLATE_NEW_PARTICIPANTS ? "new_participants" : "salary_change";
}

/* Folds c for comparison: ASCII lower case; 0 for characters to skip. */
static char sheet_fold(char c)
{
    if (c == ' ' || c == '\t' || c == '_' || c == '-' || c == '\r' || c == '\n')
        return 0;
    if (c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    return c;
}

/* Bytes to skip at a[i]: a skipped ASCII character, or a no-break space
 * (U+00A0, C2 A0). */
static size_t sheet_skip(const char *a, size_t alen, size_t i)
{
    if (sheet_fold(a[i]) == 0)
        return 1;
    if ((unsigned char)a[i] == 0xC2 && i + 1 < alen && (unsigned char)a[i + 1] == 0xA0)
        return 2;
    return 0;
}

/* 1 when a[0..alen) and the NUL-terminated b are equal once folded. */
static int sheet_same(const char *a, size_t alen, const char *b)
{
    size_t i = 0;
    for (;;) {
        size_t k;
        while (i < alen && (k = sheet_skip(a, alen, i)) > 0)
            i += k;
        while (*b && sheet_fold(*b) == 0)
            b++;
        if (i == alen || !*b)
            return i == alen && !*b;
        if (sheet_fold(a[i]) != sheet_fold(*b))
            return 0;
        i++;
        b++;
    }
}

long sheet_columns_find(sheet_template t, const char *text, size_t len)
{
    size_t n;
    const sheet_column_def *cols = sheet_template_columns(t, &n);
    for (size_t i = 0; i < n; i++)
        if (sheet_same(text, len, cols[i].key) || sheet_same(text, len, cols[i].label_nl) ||
            sheet_same(text, len, cols[i].label_en))
            return (long)i;
    return -1;
}

portal_result sheet_columns_map(sheet_template t, const sheet_row *header, sheet_header_map *out)
{
    size_t n;
    const sheet_column_def *cols = sheet_template_columns(t, &n);
    memset(out, 0, sizeof *out);
    out->n_fields = n;
    for (size_t i = 0; i < n; i++)
        out->column_of[i] = -1;
    for (size_t c = 0; header && c < header->n_cells; c++) {
        const sheet_cell *cell = &header->cells[c];
        if (cell->kind == SHEET_CELL_EMPTY || sheet_same(cell->text, cell->len, ""))
            continue;
        if (sheet_same(cell->text, cell->len, "fout") || sheet_same(cell->text, cell->len, "error"))
            continue;
        long f = sheet_columns_find(t, cell->text, cell->len);
        if (f < 0) {
            if (out->n_unknown < SHEET_MAX_REPORTED)
                out->unknown[out->n_unknown] = c;
            out->n_unknown++;
        } else if (out->column_of[f] >= 0) {
            if (out->n_duplicate < SHEET_MAX_REPORTED)
                out->duplicate[out->n_duplicate] = c;
            out->n_duplicate++;
        } else {
            out->column_of[f] = (long)c;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (cols[i].required && out->column_of[i] < 0)
            out->missing[out->n_missing++] = i;
    return out->n_missing || out->n_unknown || out->n_duplicate ? PORTAL_ERR_INVALID : PORTAL_OK;
}

portal_result sheet_column_letter(size_t index, char *out, size_t size)
{
    char tmp[16];
    size_t n = 0;
    size_t v = index + 1;
    while (v > 0 && n < sizeof tmp) {
        v--;
        tmp[n++] = (char)('A' + v % 26);
        v /= 26;
    }
    if (size == 0)
        return PORTAL_ERR_TOO_LARGE;
    if (n + 1 > size) {
        out[0] = '\0';
        return PORTAL_ERR_TOO_LARGE;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return PORTAL_OK;
}
