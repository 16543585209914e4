/*
 * Unit tests for the account workflows called directly, without HTTP: the
 * sign-in step, the throttle it keeps, the unlock link, activation and the
 * staff invitation. The cases that need PostgreSQL run against
 * PORTAL_TEST_DATABASE_URL (migrated here) and are skipped when it is unset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "store/db.h"
#include "store/migrate.h"
#include "workflows/activation.h"
#include "workflows/signin.h"
#include "workflows/signin_guard.h"
#include "workflows/users.h"

/* The test database's connection, or NULL: the case is skipped. */
static db_conn *test_db(void)
{
    static db_conn *db;
    static int tried;
    if (tried)
        return db;
    tried = 1;
    const char *url = getenv("PORTAL_TEST_DATABASE_URL");
    if (!url || !*url)
        return NULL;
    if (migrate_run(url, PORTAL_SOURCE_DIR "/db/migrations") != PORTAL_OK)
        return NULL;
    db = db_connect_dedicated(url);
    return db;
}

/* A name no earlier run used. */
static void fresh_name(const char *prefix, char *out, size_t size)
{
    static unsigned n;
    snprintf(out, size, "%s%ld%u", prefix, (long)time(NULL), ++n);
}

static portal_actor anonymous_from(const char *address, portal_caller *none)
{
    memset(none, 0, sizeof *none);
    portal_actor a = {
        .caller = none, .lang = "en", .client_address = address, .request_id = "unit"};
    return a;
}

static void usernames_are_three_to_sixty_four_plain_characters(void **state)
{
    (void)state;
    assert_true(activation_username_ok("anna.bakker"));
    assert_true(activation_username_ok("a_b-c@d"));
    assert_false(activation_username_ok("ab"));
    assert_false(activation_username_ok("anna bakker"));
    assert_false(activation_username_ok("anna|bakker"));
    char long_name[70];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    assert_false(activation_username_ok(long_name));
}

static void an_unknown_username_fails_then_waits_without_a_check(void **state)
{
    (void)state;
    db_conn *db = test_db();
    if (!db)
        skip();
    portal_caller none;
    portal_actor actor = anonymous_from("192.0.2.10", &none);
    char name[64];
    fresh_name("ghost", name, sizeof name);
    signin_password_input in = {
        .username = name, .password = "Wrong-password-1", .public_url = "http://x"};
    for (int i = 0; i < 5; i++) {
        portal_outcome o;
        outcome_init(&o);
        json_t *challenge = NULL;
        assert_int_equal(signin_password(&actor, db, &in, &challenge, &o),
                         PORTAL_ERR_UNAUTHENTICATED);
        assert_string_equal(o.code, "invalid_credentials");
        assert_null(challenge);
    }
    portal_outcome o;
    outcome_init(&o);
    json_t *challenge = NULL;
    assert_int_equal(signin_password(&actor, db, &in, &challenge, &o), PORTAL_ERR_THROTTLED);
    assert_true(o.retry_after >= 1);
}

static void a_reservation_given_back_leaves_no_failure(void **state)
{
    (void)state;
    db_conn *db = test_db();
    if (!db)
        skip();
    portal_caller none;
    portal_actor actor = anonymous_from("192.0.2.11", &none);
    char name[64];
    fresh_name("nobody", name, sizeof name);
    for (int i = 0; i < 20; i++) {
        portal_outcome o;
        outcome_init(&o);
        signin_attempt a;
        assert_int_equal(signin_attempt_begin(&actor, db, name, NULL, NULL, &a, &o), PORTAL_OK);
        assert_int_equal(a.failures, 1);
        signin_attempt_release(&actor, db, &a);
    }
}

static void an_unknown_unlock_or_invitation_token_is_invalid(void **state)
{
    (void)state;
    db_conn *db = test_db();
    if (!db)
        skip();
    portal_caller none;
    portal_actor actor = anonymous_from("192.0.2.12", &none);
    portal_outcome o;
    outcome_init(&o);
    assert_int_equal(signin_unlock(&actor, db, "ul_nothing", &o), PORTAL_ERR_INVALID);
    assert_string_equal(o.code, "token_invalid");
    assert_int_equal(o.n_errors, 1);
    assert_string_equal(o.errors[0].field, "/token");
    outcome_init(&o);
    activation_code_input in = {.token = "inv_nothing", .email = "a@b.example"};
    assert_int_equal(activation_send_code(&actor, db, &in, &o), PORTAL_ERR_INVALID);
    assert_string_equal(o.code, "token_invalid");
}

static void the_command_line_invites_staff_through_the_workflow(void **state)
{
    (void)state;
    db_conn *db = test_db();
    if (!db)
        skip();
    portal_actor system = {.caller = NULL, .lang = "nl", .client_address = "", .request_id = ""};
    char local[64], email[96];
    fresh_name("staff", local, sizeof local);
    snprintf(email, sizeof email, "%s@verzekeraar.example", local);
    staff_invite_input in = {.insurer_name = "Verzekeraar",
                             .first_name = "Sanne",
                             .last_name = "de Vries",
                             .email = email,
                             .public_url = "http://localhost:8080"};
    portal_outcome o;
    outcome_init(&o);
    char id[PORTAL_ID_LEN] = "";
    assert_int_equal(users_invite_staff(&system, db, &in, id, &o), PORTAL_OK);
    assert_int_equal((int)strlen(id), 36);
    /* The user waits for activation: resending works, nothing else is left open. */
    outcome_init(&o);
    assert_int_equal(users_resend_invitation(&system, db, id, "http://localhost:8080", &o),
                     PORTAL_OK);
    outcome_init(&o);
    assert_int_equal(users_resend_invitation(&system, db, "00000000-0000-4000-8000-000000000000",
                                             "http://localhost:8080", &o),
                     PORTAL_ERR_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(usernames_are_three_to_sixty_four_plain_characters),
        cmocka_unit_test(an_unknown_username_fails_then_waits_without_a_check),
        cmocka_unit_test(a_reservation_given_back_leaves_no_failure),
        cmocka_unit_test(an_unknown_unlock_or_invitation_token_is_invalid),
        cmocka_unit_test(the_command_line_invites_staff_through_the_workflow),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    db_conn *db = test_db();
    if (db)
        db_close_dedicated(db);
    return failed;
}
