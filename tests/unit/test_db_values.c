/* Unit test for store/db_values: a one-value query copies its text, tells
 * "no row" from an SQL NULL, a counted statement counts the rows it
 * changed, and the one-row, one-change, yes/no and number shapes answer
 * what their header says. Needs the throwaway PostgreSQL of with_postgres.sh
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

    /* One row or `missing`; one changed row or `missing`. */
    PGresult *res = NULL;
    assert_int_equal(
        db_query_row(db, "SELECT x FROM dv WHERE x = 3", 0, NULL, PORTAL_ERR_EXPIRED, &res),
        PORTAL_OK);
    assert_non_null(res);
    assert_string_equal(PQgetvalue(res, 0, 0), "3");
    int ok = 1;
    char *copy = db_dup_value(res, 0, 0, &ok);
    assert_true(ok);
    assert_string_equal(copy, "3");
    free(copy);
    PQclear(res);
    assert_int_equal(db_query_row(db, "SELECT x FROM dv", 0, NULL, PORTAL_ERR_EXPIRED, &res),
                     PORTAL_ERR_EXPIRED); /* three rows */
    assert_null(res);
    assert_int_equal(
        db_query_row(db, "SELECT x FROM dv WHERE x > 99", 0, NULL, PORTAL_ERR_NOT_FOUND, &res),
        PORTAL_ERR_NOT_FOUND);
    assert_null(res);
    assert_int_equal(db_query_row(db, "SELECT nothing FROM dv", 0, NULL, PORTAL_OK, &res),
                     PORTAL_ERR_DATABASE);
    assert_null(res);
    res = db_query(db, "SELECT NULL::text", 0, NULL);
    assert_non_null(res);
    assert_null(db_dup_value(res, 0, 0, &ok));
    assert_true(ok);
    PQclear(res);

    assert_int_equal(
        db_exec_one(db, "UPDATE dv SET x = 10 WHERE x = 1", 0, NULL, PORTAL_ERR_CONFLICT),
        PORTAL_OK);
    assert_int_equal(
        db_exec_one(db, "UPDATE dv SET x = 10 WHERE x = 1", 0, NULL, PORTAL_ERR_CONFLICT),
        PORTAL_ERR_CONFLICT); /* none left */
    assert_int_equal(db_exec_one(db, "UPDATE dv SET x = x", 0, NULL, PORTAL_ERR_CONFLICT),
                     PORTAL_ERR_CONFLICT); /* more than one */
    int changed = -1;
    assert_int_equal(db_exec_changed(db, "UPDATE dv SET x = 11 WHERE x = 10", 0, NULL, &changed),
                     PORTAL_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(db_exec_changed(db, "UPDATE dv SET x = x", 0, NULL, &changed), PORTAL_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(db_exec_changed(db, "UPDATE nowhere SET x = 1", 0, NULL, &changed),
                     PORTAL_ERR_DATABASE);
    assert_int_equal(changed, 0);
    char id[] = "42";
    const char *idp[] = {id};
    assert_int_equal(db_exec_id(db, "INSERT INTO dv VALUES ($1::int)", 42), PORTAL_OK);
    int found = -1;
    assert_int_equal(db_query_found(db, "SELECT 1 FROM dv WHERE x = $1::int", 1, idp, &found),
                     PORTAL_OK);
    assert_int_equal(found, 1);
    assert_int_equal(db_query_found(db, "SELECT 1 FROM dv", 0, NULL, &found), PORTAL_OK);
    assert_int_equal(found, 0); /* not exactly one */
    assert_int_equal(db_query_found(db, "SELECT nothing", 0, NULL, &found), PORTAL_ERR_DATABASE);

    /* Values: a yes/no and whole numbers; no row and NULL read as 0. */
    int flag = -1;
    assert_int_equal(
        db_query_flag(db, "SELECT EXISTS (SELECT 1 FROM dv WHERE x = 42)", 0, NULL, &flag),
        PORTAL_OK);
    assert_int_equal(flag, 1);
    assert_int_equal(db_query_flag(db, "SELECT false", 0, NULL, &flag), PORTAL_OK);
    assert_int_equal(flag, 0);
    assert_int_equal(db_query_flag(db, "SELECT true WHERE false", 0, NULL, &flag), PORTAL_OK);
    assert_int_equal(flag, 0);
    assert_int_equal(db_query_flag(db, "SELECT nothing", 0, NULL, &flag), PORTAL_ERR_DATABASE);
    long long big = -1;
    assert_int_equal(db_query_long(db, "SELECT 5000000000::bigint", 0, NULL, &big), PORTAL_OK);
    assert_true(big == 5000000000LL);
    assert_int_equal(db_query_long(db, "SELECT NULL::bigint", 0, NULL, &big), PORTAL_OK);
    assert_true(big == 0);
    int count = -1;
    assert_int_equal(db_query_int(db, "SELECT count(*) FROM dv", 0, NULL, &count), PORTAL_OK);
    assert_int_equal(count, 4);
    assert_int_equal(db_query_int(db, "SELECT 1 WHERE false", 0, NULL, &count), PORTAL_OK);
    assert_int_equal(count, 0);
    assert_int_equal(db_query_int(db, "SELECT nothing", 0, NULL, &count), PORTAL_ERR_DATABASE);
    assert_int_equal(count, 0);

    /* Chunks of bytes, NUL bytes included, keyed by owner and number. */
    assert_int_equal(
        db_exec(db, "CREATE TEMPORARY TABLE dc (owner uuid, seq int, data bytea)", 0, NULL),
        PORTAL_OK);
    const char *owner = "0b7a3d52-3c1e-4c8e-9a57-6d0f1e2a3b4c";
    const char bytes[] = {'a', '\0', 'b'};
    assert_int_equal(db_chunk_write(db, "INSERT INTO dc VALUES ($1::uuid, $2::int, $3::bytea)",
                                    owner, 7, bytes, sizeof bytes),
                     PORTAL_OK);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(db_chunk_read(db,
                                   "SELECT data FROM dc WHERE owner = $1::uuid AND seq = $2::int",
                                   owner, 7, &data, &len),
                     PORTAL_OK);
    assert_int_equal(len, sizeof bytes);
    assert_memory_equal(data, bytes, sizeof bytes);
    free(data);
    assert_int_equal(db_chunk_read(db,
                                   "SELECT data FROM dc WHERE owner = $1::uuid AND seq = $2::int",
                                   owner, 8, &data, &len),
                     PORTAL_ERR_NOT_FOUND);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_int_equal(db_chunk_write(db, "INSERT INTO nowhere VALUES ($1::uuid, $2::int, $3)", owner,
                                    1, bytes, sizeof bytes),
                     PORTAL_ERR_DATABASE);

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
