/* Unit test for store/db_values: a one-value query copies its text, tells
 * "no row" from an SQL NULL, and a counted statement counts the rows it
 * changed. Needs the throwaway PostgreSQL of with_postgres.sh
 * (PORTAL_TEST_DATABASE_URL); skipped without it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "store/db_values.h"

static void test_text_and_count(void **state)
{
    (void)state;
    const char *url = getenv("PORTAL_TEST_DATABASE_URL");
    if (!url || !*url)
        skip();
    assert_int_equal(db_pool_init(url, 1), PORTAL_OK);
    db_conn *db = db_acquire(1000);
    assert_non_null(db);

    char *text = NULL;
    const char *one[] = {"abc"};
    assert_int_equal(db_query_text(db, "SELECT $1::text || 'd'", 1, one, &text), PORTAL_OK);
    assert_string_equal(text, "abcd");
    free(text);

    /* No row is "not found"; a row holding NULL is found, with no text. */
    assert_int_equal(db_query_text(db, "SELECT 1::text WHERE false", 0, NULL, &text),
                     PORTAL_ERR_NOT_FOUND);
    assert_null(text);
    assert_int_equal(db_query_text(db, "SELECT NULL::text", 0, NULL, &text), PORTAL_OK);
    assert_null(text);
    assert_int_equal(db_query_text(db, "SELECT no_such_column", 0, NULL, &text),
                     PORTAL_ERR_DATABASE);
    assert_null(text);

    char small[4];
    assert_int_equal(db_query_copy(db, "SELECT $1::text || 'def'", 1, one, small, sizeof small),
                     PORTAL_OK);
    assert_string_equal(small, "abc"); /* cut to fit */
    assert_int_equal(db_query_copy(db, "SELECT 'x' WHERE false", 0, NULL, small, sizeof small),
                     PORTAL_ERR_NOT_FOUND);
    assert_string_equal(small, "");

    long long n = -1;
    assert_int_equal(db_exec(db, "CREATE TEMPORARY TABLE dv (x int)", 0, NULL), PORTAL_OK);
    assert_int_equal(db_exec_count(db, "INSERT INTO dv SELECT generate_series(1, 3)", 0, NULL, &n),
                     PORTAL_OK);
    assert_int_equal(n, 3);
    assert_int_equal(db_exec_count(db, "UPDATE dv SET x = x + 1 WHERE x > 1", 0, NULL, &n),
                     PORTAL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(db_exec_count(db, "DELETE FROM dv WHERE x > 99", 0, NULL, &n), PORTAL_OK);
    assert_int_equal(n, 0);
    assert_int_equal(db_exec_count(db, "UPDATE no_such_table SET x = 1", 0, NULL, &n),
                     PORTAL_ERR_DATABASE);
    assert_int_equal(n, 0);

    db_release(db);
    db_pool_shutdown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_and_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
