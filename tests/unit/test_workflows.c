/*
 * Unit tests of the participant workflows called directly, without HTTP,
 * against a real throwaway PostgreSQL (tests/unit/with_postgres.sh starts
 * it and sets PORTAL_TEST_DATABASE_URL). The database is migrated with the
 * server's own migrations and filled with the demo organisations; every
 * test runs in its own transaction and rolls it back, so the tests do not
 * depend on each other. Each asserts the outcome codes and the rows
 * written (changes, history, audit, exports, jobs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "demo/demo.h"
#include "demo/participants.h"
#include "store/db.h"
#include "store/migrate.h"
#include "workflows/changes.h"
#include "workflows/exports.h"
#include "workflows/participants.h"
#include "workflows/reviews.h"

typedef struct {
    db_conn *db;
    demo_result demo;
    portal_caller hr;    /* werkgever.hr: employer, right hr */
    portal_caller staff; /* staff.demo: insurer, right staff */
    portal_actor hr_actor;
    portal_actor staff_actor;
} fixture;

static fixture fx;

/* The first column of the first row of sql with one parameter, into out. */
static void one_value(const char *sql, const char *param, char *out, size_t size)
{
    const char *params[] = {param};
    PGresult *res = db_query(fx.db, sql, param ? 1 : 0, param ? params : NULL);
    assert_non_null(res);
    assert_int_equal(PQntuples(res), 1);
    snprintf(out, size, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
}

/* A count query with one parameter. */
static int count_of(const char *sql, const char *param)
{
    char text[32];
    one_value(sql, param, text, sizeof text);
    return atoi(text);
}

/* A caller as authentication fills it, for a demo user. */
static void caller_for(const char *username, const char *kind, const char *right, portal_caller *c)
{
    memset(c, 0, sizeof *c);
    c->kind = CALLER_SESSION;
    one_value("SELECT id FROM users WHERE username = $1", username, c->user_id, sizeof c->user_id);
    one_value("SELECT organisation_id FROM users WHERE username = $1", username, c->organisation_id,
              sizeof c->organisation_id);
    snprintf(c->organisation_kind, sizeof c->organisation_kind, "%s", kind);
    c->n_rights = 1;
    snprintf(c->rights[0], sizeof c->rights[0], "%s", right);
    c->all_schemes = 1;
}

static int group_setup(void **state)
{
    (void)state;
    const char *url = getenv("PORTAL_TEST_DATABASE_URL");
    if (!url || !*url) {
        fprintf(stderr, "PORTAL_TEST_DATABASE_URL is not set (run through with_postgres.sh)\n");
        return -1;
    }
    if (migrate_run(url, PORTAL_SOURCE_DIR "/db/migrations") != PORTAL_OK)
        return -1;
    fx.db = db_connect_dedicated(url);
    if (!fx.db || access_init(fx.db) != PORTAL_OK)
        return -1;
    if (db_begin(fx.db) != PORTAL_OK ||
        demo_seed(fx.db, "$argon2id$v=19$m=19456,t=2,p=1$unit$test", &fx.demo) != PORTAL_OK ||
        db_commit(fx.db) != PORTAL_OK)
        return -1;
    caller_for("werkgever.hr", "employer", "hr", &fx.hr);
    caller_for("staff.demo", "insurer", "staff", &fx.staff);
    fx.hr_actor = (portal_actor){&fx.hr, "en", "192.0.2.1", "unit-hr"};
    fx.staff_actor = (portal_actor){&fx.staff, "en", "192.0.2.2", "unit-staff"};
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    access_shutdown();
    db_close_dedicated(fx.db);
    return 0;
}

static int test_setup(void **state)
{
    (void)state;
    return db_begin(fx.db) == PORTAL_OK ? 0 : -1;
}

static int test_teardown(void **state)
{
    (void)state;
    db_rollback(fx.db);
    return 0;
}

static const wf_row_options today_2026 = {.today = "2026-06-15"};

/* A valid registration in the demo pension scheme. */
static wf_registration_input registration(const char *bsn, const char *birth, const char *start)
{
    return (wf_registration_input){.scheme_id = fx.demo.pension_scheme_id,
                                   .first_name = "Jan",
                                   .surname = "Jansen",
                                   .birth_date = birth,
                                   .gender = "male",
                                   .bsn = bsn,
                                   .start_date = start,
                                   .salary = "42000.00",
                                   .parttime_percentage = "100"};
}

/* Registers a participant that must succeed; its id into id. */
static void register_ok(const char *bsn, const char *birth, wf_registration_result *res)
{
    wf_registration_input in = registration(bsn, birth, "2026-05-01");
    portal_outcome o;
    assert_int_equal(wf_participant_register(fx.db, &fx.hr_actor, &today_2026, &in, res, &o),
                     PORTAL_OK);
    assert_int_equal(o.rc, PORTAL_OK);
}

static void registers_with_history_and_audit(void **state)
{
    (void)state;
    wf_registration_result res;
    register_ok("111222333", "1980-03-04", &res);
    assert_string_equal(res.status, "processed");
    assert_false(res.rehired);
    assert_non_null(res.change_json);
    assert_true(res.participant_number[0] != '\0');
    assert_int_equal(count_of("SELECT count(*) FROM participant_changes WHERE participant_id ="
                              " $1::uuid AND type = 'registration' AND status = 'processed'"
                              " AND registered_by_kind = 'user'",
                              res.participant_id),
                     1);
    assert_int_equal(count_of("SELECT count(*) FROM audit_events WHERE target_id = $1 AND"
                              " action = 'participant.registered' AND actor_label = 'user'"
                              " AND request_id = 'unit-hr'",
                              res.participant_id),
                     1);
    wf_registration_result_free(&res);
}

static void registration_reports_every_problem_at_once(void **state)
{
    (void)state;
    wf_registration_input in = registration("123456789", "1980-03-04", "1940-01-01");
    in.email = "not-an-address";
    wf_registration_result res;
    portal_outcome o;
    assert_int_equal(wf_participant_register(fx.db, &fx.hr_actor, &today_2026, &in, &res, &o),
                     PORTAL_ERR_INVALID);
    assert_string_equal(o.code, "validation_failed");
    int bsn = 0, date = 0, email = 0;
    for (int i = 0; i < o.n_errors; i++) {
        bsn |=
            !strcmp(o.errors[i].field, "/person/bsn") && !strcmp(o.errors[i].code, "invalid_bsn");
        date |= !strcmp(o.errors[i].field, "/employment/start_date") &&
                !strcmp(o.errors[i].code, "effective_date_out_of_range");
        email |= !strcmp(o.errors[i].field, "/person/email") &&
                 !strcmp(o.errors[i].code, "invalid_email");
    }
    assert_true(bsn && date && email);
    assert_int_equal(count_of("SELECT count(*) FROM participants WHERE bsn = $1", "123456789"), 0);
}

static void registration_refuses_a_locked_scheme_unless_the_batch_holds_it(void **state)
{
    (void)state;
    const char *batch = "7b0d7f0e-4c55-4b8e-9d7a-0a4f4c6f1a01";
    const char *params[] = {fx.demo.pension_scheme_id, batch};
    assert_int_equal(db_exec(fx.db,
                             "INSERT INTO scheme_locks (scheme_id, batch_id) VALUES"
                             " ($1::uuid, $2::uuid)",
                             2, params),
                     PORTAL_OK);
    wf_registration_input in = registration("111222333", "1980-03-04", "2026-05-01");
    wf_registration_result res;
    portal_outcome o;
    assert_int_equal(wf_participant_register(fx.db, &fx.hr_actor, &today_2026, &in, &res, &o),
                     PORTAL_ERR_CONFLICT);
    assert_string_equal(o.code, "scheme_locked_by_batch");
    wf_row_options batch_opts = {
        .today = "2026-06-15", .batch_id = batch, .holds_scheme_lock = 1, .label = "batch.csv"};
    assert_int_equal(wf_participant_register(fx.db, NULL, &batch_opts, &in, &res, &o), PORTAL_OK);
    assert_int_equal(count_of("SELECT count(*) FROM participant_changes WHERE participant_id ="
                              " $1::uuid AND registered_by_kind = 'batch' AND"
                              " registered_by_batch_id = '7b0d7f0e-4c55-4b8e-9d7a-0a4f4c6f1a01'",
                              res.participant_id),
                     1);
    assert_int_equal(count_of("SELECT count(*) FROM audit_events WHERE target_id = $1 AND"
                              " actor_label = 'batch'",
                              res.participant_id),
                     1);
    wf_registration_result_free(&res);
}

static void registration_of_an_employed_bsn_conflicts(void **state)
{
    (void)state;
    wf_registration_result res, again;
    register_ok("111222333", "1980-03-04", &res);
    wf_registration_input in = registration("111222333", "1980-03-04", "2026-06-01");
    portal_outcome o;
    assert_int_equal(wf_participant_register(fx.db, &fx.hr_actor, &today_2026, &in, &again, &o),
                     PORTAL_ERR_CONFLICT);
    assert_string_equal(o.code, "participant_exists");
    wf_registration_result_free(&res);
}

static void rehires_a_dormant_participant(void **state)
{
    (void)state;
    wf_registration_result first, again;
    wf_registration_input in = registration("111222333", "1980-03-04", "2026-03-01");
    portal_outcome o;
    assert_int_equal(wf_participant_register(fx.db, &fx.hr_actor, &today_2026, &in, &first, &o),
                     PORTAL_OK);
    wf_change_input end = {.participant_id = first.participant_id,
                           .type = "termination",
                           .effective_date = "2026-04-30"};
    wf_change_result ended;
    assert_int_equal(wf_change_submit(fx.db, &fx.hr_actor, &today_2026, &end, &ended, &o),
                     PORTAL_OK);
    wf_change_result_free(&ended);
    in.start_date = "2026-06-01";
    in.participant_number = "999";
    assert_int_equal(wf_participant_register(fx.db, &fx.hr_actor, &today_2026, &in, &again, &o),
                     PORTAL_ERR_INVALID);
    assert_string_equal(o.errors[0].field, "/participant_number");
    in.participant_number = NULL;
    assert_int_equal(wf_participant_register(fx.db, &fx.hr_actor, &today_2026, &in, &again, &o),
                     PORTAL_OK);
    assert_true(again.rehired);
    assert_string_equal(again.participant_id, first.participant_id);
    assert_int_equal(count_of("SELECT count(*) FROM audit_events WHERE target_id = $1 AND"
                              " action = 'participant.rehired'",
                              first.participant_id),
                     1);
    assert_int_equal(count_of("SELECT count(*) FROM participant_changes WHERE participant_id ="
                              " $1::uuid AND type = 'registration'",
                              first.participant_id),
                     2);
    wf_registration_result_free(&first);
    wf_registration_result_free(&again);
}

/* Submits a change that must succeed. */
static void submit_ok(const wf_change_input *in, wf_change_result *res)
{
    portal_outcome o;
    assert_int_equal(wf_change_submit(fx.db, &fx.hr_actor, &today_2026, in, res, &o), PORTAL_OK);
}

static void submits_a_salary_change(void **state)
{
    (void)state;
    wf_registration_result reg;
    register_ok("111222333", "1980-03-04", &reg);
    wf_change_input in = {.participant_id = reg.participant_id,
                          .type = "salary_change",
                          .effective_date = "2026-06-01",
                          .salary = "45000.00"};
    wf_change_result res;
    submit_ok(&in, &res);
    assert_string_equal(res.status, "processed");
    assert_int_equal(count_of("SELECT count(*) FROM participant_changes WHERE participant_id ="
                              " $1::uuid",
                              reg.participant_id),
                     2);
    assert_int_equal(count_of("SELECT count(*) FROM audit_events WHERE target_id = $1 AND"
                              " action = 'participant.change_registered'"
                              " AND changes->'salary'->>'to' = '45000.00'",
                              reg.participant_id),
                     1);
    wf_change_result_free(&res);
    wf_registration_result_free(&reg);
}

static void change_rules_and_state_refusals(void **state)
{
    (void)state;
    wf_registration_result reg;
    register_ok("111222333", "1980-03-04", &reg);
    wf_change_result res;
    portal_outcome o;
    wf_change_input bad = {.participant_id = reg.participant_id,
                           .type = "salary_change",
                           .effective_date = "1930-01-01",
                           .salary = "-5"};
    assert_int_equal(wf_change_submit(fx.db, &fx.hr_actor, &today_2026, &bad, &res, &o),
                     PORTAL_ERR_INVALID);
    assert_true(o.n_errors >= 1);
    wf_change_input end = {.participant_id = reg.participant_id,
                           .type = "termination",
                           .effective_date = "2026-06-01"};
    submit_ok(&end, &res);
    wf_change_result_free(&res);
    wf_change_input after = {.participant_id = reg.participant_id,
                             .type = "salary_change",
                             .effective_date = "2026-06-10",
                             .salary = "50000.00"};
    assert_int_equal(wf_change_submit(fx.db, &fx.hr_actor, &today_2026, &after, &res, &o),
                     PORTAL_ERR_CONFLICT);
    assert_string_equal(o.code, "participant_dormant");
    assert_int_equal(count_of("SELECT count(*) FROM participant_changes WHERE participant_id ="
                              " $1::uuid",
                              reg.participant_id),
                     2);
    wf_registration_result_free(&reg);
}

static int refuse_version(void *arg, const char *participant_id, long long version)
{
    (void)arg;
    (void)participant_id;
    (void)version;
    return 0;
}

static void change_precondition_and_access(void **state)
{
    (void)state;
    wf_registration_result reg;
    register_ok("111222333", "1980-03-04", &reg);
    wf_change_input in = {.participant_id = reg.participant_id,
                          .type = "termination",
                          .effective_date = "2026-06-01",
                          .precondition = refuse_version};
    wf_change_result res;
    portal_outcome o;
    assert_int_equal(wf_change_submit(fx.db, &fx.hr_actor, &today_2026, &in, &res, &o),
                     PORTAL_ERR_PRECONDITION);
    in.precondition = NULL;
    portal_caller reader = fx.hr;
    snprintf(reader.rights[0], sizeof reader.rights[0], "hr_read");
    portal_actor actor = {&reader, "nl", "", ""};
    assert_int_equal(wf_change_submit(fx.db, &actor, &today_2026, &in, &res, &o),
                     PORTAL_ERR_DENIED);
    wf_change_input missing = {.participant_id = "00000000-0000-0000-0000-000000000001",
                               .type = "termination",
                               .effective_date = "2026-06-01"};
    assert_int_equal(wf_change_submit(fx.db, &fx.hr_actor, &today_2026, &missing, &res, &o),
                     PORTAL_ERR_NOT_FOUND);
    wf_registration_result_free(&reg);
}

static void cancels_a_change_once(void **state)
{
    (void)state;
    wf_registration_result reg;
    register_ok("111222333", "1980-03-04", &reg);
    wf_change_input in = {.participant_id = reg.participant_id,
                          .type = "salary_change",
                          .effective_date = "2026-06-01",
                          .salary = "45000.00"};
    wf_change_result change, res;
    submit_ok(&in, &change);
    wf_cancel_input c = {.change_id = change.change_id, .reason = "Entered twice"};
    portal_outcome o;
    assert_int_equal(wf_change_cancel(fx.db, &fx.hr_actor, &today_2026, &c, &res, &o), PORTAL_OK);
    assert_string_equal(res.status, "cancelled");
    assert_int_equal(count_of("SELECT count(*) FROM participant_changes WHERE id = $1::uuid AND"
                              " status = 'cancelled' AND cancel_reason = 'Entered twice'",
                              change.change_id),
                     1);
    assert_int_equal(count_of("SELECT count(*) FROM audit_events WHERE target_id = $1 AND"
                              " action = 'participant.change_cancelled'",
                              reg.participant_id),
                     1);
    wf_change_result_free(&res);
    assert_int_equal(wf_change_cancel(fx.db, &fx.hr_actor, &today_2026, &c, &res, &o),
                     PORTAL_ERR_CONFLICT);
    assert_string_equal(o.code, "change_not_cancellable");
    wf_change_result_free(&change);
    wf_registration_result_free(&reg);
}

static void decides_reviews(void **state)
{
    (void)state;
    /* 67 or older on the start date: the registration waits for review. */
    wf_registration_result old, older;
    register_ok("111222333", "1955-01-01", &old);
    register_ok("123456782", "1954-01-01", &older);
    assert_string_equal(old.status, "pending_review");
    char change_id[PORTAL_ID_LEN];
    one_value("SELECT id FROM participant_changes WHERE participant_id = $1::uuid",
              old.participant_id, change_id, sizeof change_id);
    wf_review_input approve = {.change_id = change_id, .approve = 1};
    wf_change_result res;
    portal_outcome o;
    assert_int_equal(wf_review_decide(fx.db, &fx.hr_actor, NULL, &approve, &res, &o),
                     PORTAL_ERR_DENIED);
    assert_int_equal(wf_review_decide(fx.db, &fx.staff_actor, NULL, &approve, &res, &o), PORTAL_OK);
    assert_string_equal(res.status, "processed");
    wf_change_result_free(&res);
    assert_int_equal(wf_review_decide(fx.db, &fx.staff_actor, NULL, &approve, &res, &o),
                     PORTAL_ERR_CONFLICT);
    assert_string_equal(o.code, "review_not_pending");
    assert_int_equal(count_of("SELECT count(*) FROM audit_events WHERE target_id = $1 AND"
                              " action = 'review.approved' AND actor_label = 'staff'",
                              old.participant_id),
                     1);
    one_value("SELECT id FROM participant_changes WHERE participant_id = $1::uuid",
              older.participant_id, change_id, sizeof change_id);
    wf_review_input reject = {.change_id = change_id, .approve = 0, .reason = NULL};
    assert_int_equal(wf_review_decide(fx.db, &fx.staff_actor, NULL, &reject, &res, &o),
                     PORTAL_ERR_INVALID);
    reject.reason = "Wrong person";
    assert_int_equal(wf_review_decide(fx.db, &fx.staff_actor, NULL, &reject, &res, &o), PORTAL_OK);
    assert_string_equal(res.status, "rejected");
    assert_int_equal(count_of("SELECT count(*) FROM participant_changes WHERE id = $1::uuid AND"
                              " status = 'rejected' AND rejection_reason = 'Wrong person'",
                              change_id),
                     1);
    wf_change_result_free(&res);
    wf_registration_result_free(&old);
    wf_registration_result_free(&older);
}

static void requests_an_export(void **state)
{
    (void)state;
    const char *schemes[] = {fx.demo.pension_scheme_id};
    wf_export_input in = {.scheme_ids = schemes, .n_schemes = 1, .as_of = "2026-06-15"};
    wf_export_result res;
    portal_outcome o;
    assert_int_equal(wf_export_request(fx.db, &fx.hr_actor, &in, &res, &o), PORTAL_OK);
    assert_non_null(res.json);
    assert_int_equal(count_of("SELECT count(*) FROM exports WHERE id = $1::uuid AND format ="
                              " 'csv' AND status = 'pending' AND full_bsn",
                              res.id),
                     1);
    assert_int_equal(count_of("SELECT count(*) FROM jobs WHERE kind = 'export' AND"
                              " payload->>'export_id' = $1",
                              res.id),
                     1);
    assert_int_equal(count_of("SELECT count(*) FROM audit_events WHERE target_id = $1 AND"
                              " action = 'export.created'",
                              res.id),
                     1);
    wf_export_result_free(&res);
    wf_export_input bad = {
        .scheme_ids = schemes, .n_schemes = 0, .as_of = "2026-02-30", .format = "pdf"};
    assert_int_equal(wf_export_request(fx.db, &fx.hr_actor, &bad, &res, &o), PORTAL_ERR_INVALID);
    assert_int_equal(o.n_errors, 3);
    const char *unknown[] = {"00000000-0000-0000-0000-000000000009"};
    wf_export_input invisible = {.scheme_ids = unknown, .n_schemes = 1, .as_of = "2026-06-15"};
    assert_int_equal(wf_export_request(fx.db, &fx.hr_actor, &invisible, &res, &o),
                     PORTAL_ERR_NOT_FOUND);
}

static void demo_participants_go_through_the_workflows(void **state)
{
    (void)state;
    assert_int_equal(demo_participants_seed(fx.db, fx.demo.pension_scheme_id, 60, 2001), PORTAL_OK);
    assert_int_equal(demo_participants_seed(fx.db, fx.demo.income_scheme_id, 30, 3001), PORTAL_OK);
    const char *pension = fx.demo.pension_scheme_id;
    assert_int_equal(
        count_of("SELECT count(*) FROM participants WHERE scheme_id = $1::uuid", pension), 60);
    assert_int_equal(count_of("SELECT count(*) FROM participant_changes WHERE scheme_id ="
                              " $1::uuid AND status = 'pending_review'",
                              pension),
                     1);
    assert_int_equal(count_of("SELECT count(*) FROM participant_changes WHERE scheme_id ="
                              " $1::uuid AND (registered_by_kind <> 'batch' OR"
                              " registered_by_label <> 'Demo-gegevens')",
                              pension),
                     0);
    assert_int_equal(count_of("SELECT count(*) FROM audit_events WHERE action ="
                              " 'participant.registered' AND organisation_id = $1::uuid",
                              fx.demo.employer_id),
                     90);
    assert_true(count_of("SELECT count(*) FROM participant_changes WHERE scheme_id = $1::uuid"
                         " AND type <> 'registration'",
                         pension) > 0);
    /* A second run adds nothing. */
    assert_int_equal(demo_participants_seed(fx.db, pension, 60, 2001), PORTAL_OK);
    assert_int_equal(
        count_of("SELECT count(*) FROM participants WHERE scheme_id = $1::uuid", pension), 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(registers_with_history_and_audit, test_setup,
                                        test_teardown),
        cmocka_unit_test_setup_teardown(registration_reports_every_problem_at_once, test_setup,
                                        test_teardown),
        cmocka_unit_test_setup_teardown(
            registration_refuses_a_locked_scheme_unless_the_batch_holds_it, test_setup,
            test_teardown),
        cmocka_unit_test_setup_teardown(registration_of_an_employed_bsn_conflicts, test_setup,
                                        test_teardown),
        cmocka_unit_test_setup_teardown(rehires_a_dormant_participant, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(submits_a_salary_change, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(change_rules_and_state_refusals, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(change_precondition_and_access, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(cancels_a_change_once, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(decides_reviews, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(requests_an_export, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(demo_participants_go_through_the_workflows, test_setup,
                                        test_teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
