/* Unit tests for the row checks of collective changes (workflows/
 * batch_check.h): salary rows against a participant index (unknown,
 * duplicate, dormant, no change, bad values, review), new-participant rows
 * (BSN, duplicates in the file, an existing participant, the example row),
 * header errors, and what reaches the sink. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "workflows/batch_check.h"

static const civil_date TODAY = {2026, 6, 15};
static const civil_date EFFECTIVE = {2026, 7, 1};

typedef struct {
    int n;
    char status[8][20];
    char payload[8][128];
    int rows[8];
} sink_log;

static portal_result sink(void *ctx, const batch_row_new *row)
{
    sink_log *s = ctx;
    if (s->n < 8) {
        snprintf(s->status[s->n], sizeof s->status[0], "%s", row->status);
        snprintf(s->payload[s->n], sizeof s->payload[0], "%s", row->payload);
        s->rows[s->n] = row->row_number;
    }
    s->n++;
    return PORTAL_OK;
}

/* Feeds one row of texts (row number n) to the checker. */
static void feed(batch_check *c, unsigned long n, const char *const *texts, size_t count)
{
    sheet_cell cells[20];
    for (size_t i = 0; i < count; i++)
        cells[i] = (sheet_cell){texts[i], strlen(texts[i]),
                                texts[i][0] ? SHEET_CELL_TEXT : SHEET_CELL_EMPTY};
    sheet_row row = {n, cells, count};
    assert_int_equal(batch_check_row(c, &row), PORTAL_OK);
}

static void add(batch_check *c, const char *id, const char *number, const char *bsn,
                const char *status, const char *end)
{
    batch_participant p;
    memset(&p, 0, sizeof p);
    snprintf(p.id, sizeof p.id, "%s", id);
    snprintf(p.number, sizeof p.number, "%s", number);
    snprintf(p.bsn, sizeof p.bsn, "%s", bsn);
    snprintf(p.status, sizeof p.status, "%s", status);
    snprintf(p.employment_start, sizeof p.employment_start, "2020-01-01");
    snprintf(p.employment_end, sizeof p.employment_end, "%s", end);
    snprintf(p.salary, sizeof p.salary, "40000.00");
    snprintf(p.parttime, sizeof p.parttime, "100.000");
    assert_int_equal(batch_check_add_participant(c, &p), PORTAL_OK);
}

/* The error (row, column, code) at index i. */
static void expect_error(const batch_check *c, size_t i, int row, const char *col, const char *code)
{
    size_t n;
    const batch_check_error *e = batch_check_errors(c, &n);
    assert_true(i < n);
    assert_int_equal(e[i].row, row);
    assert_string_equal(e[i].col, col);
    assert_string_equal(e[i].code, code);
}

static const char *const SALARY_HEADER[] = {"participant_number", "new_salary",
                                            "new_parttime_percentage"};

static void salary_rows_are_checked_like_individual_changes(void **state)
{
    (void)state;
    sink_log log = {0};
    batch_check *c = NULL;
    assert_int_equal(batch_check_new(BATCH_KIND_SALARY_CHANGE, RULE_SCHEME_PENSION, TODAY,
                                     EFFECTIVE, sink, &log, &c),
                     PORTAL_OK);
    add(c, "00000000-0000-0000-0000-000000000001", "1001", "111222333", "active", "");
    add(c, "00000000-0000-0000-0000-000000000002", "1002", "123456782", "dormant", "2026-01-31");
    add(c, "00000000-0000-0000-0000-000000000003", "1003", "100000009", "active", "");
    add(c, "00000000-0000-0000-0000-000000000004", "1004", "100000010", "active", "");
    feed(c, 1, SALARY_HEADER, 3);
    const char *r2[] = {"1001", "45000,50", ""};
    const char *r3[] = {"1001", "46000", ""};
    const char *r4[] = {"9999", "1", ""};
    const char *r5[] = {"1002", "1", ""};
    const char *r6[] = {"1003", "40000.00", "100"};
    const char *r7[] = {"", "", ""};
    const char *r8[] = {"1004", "-1", "0"};
    feed(c, 2, r2, 3);
    feed(c, 3, r3, 3);
    feed(c, 4, r4, 3);
    feed(c, 5, r5, 3);
    feed(c, 6, r6, 3);
    feed(c, 7, r7, 3);
    feed(c, 8, r8, 3);
    batch_check_finish(c);
    batch_check_counts counts;
    batch_check_get_counts(c, &counts);
    assert_int_equal(counts.rows, 6); /* row 7 changes nothing: skipped */
    assert_int_equal(counts.valid_rows, 1);
    assert_int_equal(log.n, 1);
    assert_int_equal(log.rows[0], 2);
    assert_string_equal(log.status[0], "processed");
    assert_string_equal(log.payload[0], "{\"salary\":\"45000.50\"}");
    expect_error(c, 0, 3, "A", "duplicate_in_file");
    expect_error(c, 1, 4, "A", "unknown_participant");
    expect_error(c, 2, 5, "A", "participant_dormant");
    expect_error(c, 3, 6, "B", "no_change");
    expect_error(c, 4, 8, "B", "salary_invalid");
    expect_error(c, 5, 8, "C", "parttime_percentage_invalid");
    assert_int_equal(counts.errors, 6);
    assert_non_null(batch_check_message("no_change", NULL, "en"));
    batch_check_free(c);
}

static void an_old_date_needs_review(void **state)
{
    (void)state;
    sink_log log = {0};
    batch_check *c = NULL;
    civil_date old = {2026, 2, 1};
    assert_int_equal(
        batch_check_new(BATCH_KIND_SALARY_CHANGE, RULE_SCHEME_PENSION, TODAY, old, sink, &log, &c),
        PORTAL_OK);
    add(c, "00000000-0000-0000-0000-000000000001", "1001", "111222333", "active", "");
    feed(c, 1, SALARY_HEADER, 3);
    const char *r2[] = {"1001", "41000", ""};
    feed(c, 2, r2, 3);
    assert_int_equal(log.n, 1);
    assert_string_equal(log.status[0], "pending_review");
    batch_check_free(c);
}

static void missing_columns_are_errors_on_row_one(void **state)
{
    (void)state;
    batch_check *c = NULL;
    assert_int_equal(batch_check_new(BATCH_KIND_SALARY_CHANGE, RULE_SCHEME_PENSION, TODAY,
                                     EFFECTIVE, NULL, NULL, &c),
                     PORTAL_OK);
    const char *header[] = {"Deelnemernummer", "Salaris"};
    feed(c, 1, header, 2);
    const char *r2[] = {"1001", "1"};
    feed(c, 2, r2, 2);
    batch_check_finish(c);
    batch_check_counts counts;
    batch_check_get_counts(c, &counts);
    assert_int_equal(counts.rows, 0);
    expect_error(c, 0, 1, "", "column_missing");
    expect_error(c, 1, 1, "", "column_missing");
    batch_check_free(c);
}

static void new_participant_rows(void **state)
{
    (void)state;
    sink_log log = {0};
    batch_check *c = NULL;
    assert_int_equal(batch_check_new(BATCH_KIND_NEW_PARTICIPANTS, RULE_SCHEME_PENSION, TODAY, TODAY,
                                     sink, &log, &c),
                     PORTAL_OK);
    add(c, "00000000-0000-0000-0000-000000000001", "1001", "123456782", "active", "");
    size_t n;
    const char *const *keys = batch_check_columns(BATCH_KIND_NEW_PARTICIPANTS, &n);
    assert_int_equal(n, 17);
    feed(c, 1, keys, n);
    /* participant_number .. parttime_percentage */
    const char *example[] = {"",     "Jan",       "J.",         "de",       "Vries", "1980-01-31",
                             "male", "111222333", "",           "",         "",      "",
                             "",     "",          "2026-06-01", "42000.00", "100"};
    const char *good[] = {"", "Piet", "P.", "", "Jansen", "31-01-1985", "man",   "100000009", "",
                          "", "",     "",   "", "",       "2026-06-01", "36000", "80"};
    const char *dup[] = {"", "Kees", "K.", "", "Jansen", "1985-01-31", "male",  "100000009", "",
                         "", "",     "",   "", "",       "2026-06-01", "36000", "80"};
    const char *exists[] = {"", "Els", "E.", "", "Smit", "1985-01-31", "female", "123456782", "",
                            "", "",    "",   "", "",     "2026-06-01", "36000",  "80"};
    const char *bad[] = {"", "", "", "", "", "1985-01-31", "alien", "123456789", "",
                         "", "", "", "", "", "2026-06-01", "36000", "80"};
    feed(c, 2, example, n);
    feed(c, 3, good, n);
    feed(c, 4, dup, n);
    feed(c, 5, exists, n);
    feed(c, 6, bad, n);
    batch_check_counts counts;
    batch_check_get_counts(c, &counts);
    assert_int_equal(counts.rows, 4); /* the example row is skipped */
    assert_int_equal(log.n, 1);
    assert_int_equal(log.rows[0], 3);
    expect_error(c, 0, 4, "H", "duplicate_in_file");
    expect_error(c, 1, 5, "H", "participant_exists");
    expect_error(c, 2, 6, "C", "required");
    expect_error(c, 3, 6, "E", "required");
    size_t n_errors;
    const batch_check_error *e = batch_check_errors(c, &n_errors);
    int saw_gender = 0, saw_bsn = 0;
    for (size_t i = 0; i < n_errors; i++) {
        saw_gender |= e[i].row == 6 && strcmp(e[i].code, "gender_invalid") == 0;
        saw_bsn |= e[i].row == 6 && strcmp(e[i].code, "invalid_bsn") == 0;
    }
    assert_true(saw_gender && saw_bsn);
    batch_check_free(c);
}

static void column_letters(void **state)
{
    (void)state;
    char out[4];
    batch_check_col_letter(0, out);
    assert_string_equal(out, "A");
    batch_check_col_letter(25, out);
    assert_string_equal(out, "Z");
    batch_check_col_letter(26, out);
    assert_string_equal(out, "AA");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(salary_rows_are_checked_like_individual_changes),
        cmocka_unit_test(an_old_date_needs_review),
        cmocka_unit_test(missing_columns_are_errors_on_row_one),
        cmocka_unit_test(new_participant_rows),
        cmocka_unit_test(column_letters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
