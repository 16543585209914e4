/* tests/unit/test_rights_rules.c: the intermediary rights rules of DESIGN.md
 * §4.2 / seed 000 §8 as test data: the bank bundle, the pension bundle,
 * klantbeeld's requirement, the never-granted right, licences, limited
 * administrators and the first administrator's maximal set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/rights_rules.h"

/* The thirteen product rights of seed 000 §8. */
static const char *const products[] = {
    "beleggingsobjecten",
    "betaalrekeningen",
    "consumptief_krediet",
    "elektronisch_geld",
    "hypothecair_krediet",
    "inkomensverzekering",
    "pensioenverzekering",
    "premiepensioenvorderingen",
    "schadeverzekeringen_particulier",
    "schadeverzekeringen_zakelijk",
    "spaarrekeningen",
    "vermogen",
    "zorgverzekeringen",
};
#define PRODUCT_COUNT (sizeof(products) / sizeof(products[0]))

static const char *const bank_bundle[] = {"beleggingsobjecten", "spaarrekeningen", "vermogen"};
static const char *const pension_bundle[] = {"premiepensioenvorderingen", "pensioenverzekering"};
static const rights_bundle bundles[] = {
    {bank_bundle, 3},
    {pension_bundle, 2},
};
static const rights_requirement requirements[] = {
    {"klantbeeld", products, PRODUCT_COUNT},
};
static const char *const never[] = {"schadeverzekeringen_zakelijk"};
static const rights_rules aip_rules = {bundles, 2, requirements, 1, never, 1};

static const char *const always_first_admin[] = {"advieskansen"};

/* An office licensed for every product except consumptief krediet and
 * zorgverzekeringen, plus the rights that need no licence. */
static rights_set office_licensed(void)
{
    rights_set set;
    rights_set_init(&set);
    for (size_t i = 0; i < PRODUCT_COUNT; i++) {
        if (strcmp(products[i], "consumptief_krediet") != 0 &&
            strcmp(products[i], "zorgverzekeringen") != 0) {
            assert_int_equal(rights_set_add(&set, products[i]), PORTAL_OK);
        }
    }
    static const char *const unlicensed[] = {"beheerder", "klantbeeld",
                                             "financieel_rekening_courant", "advieskansen"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(rights_set_add(&set, unlicensed[i]), PORTAL_OK);
    }
    return set;
}

static rights_set set_of(const char *const *ids, size_t count)
{
    rights_set set;
    assert_int_equal(rights_set_from_list(&set, ids, count), PORTAL_OK);
    return set;
}

#define SET(...)                                                                                   \
    set_of((const char *const[]){__VA_ARGS__},                                                     \
           sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

/* Judges `requested` by a full administrator of the office (granter = licensed). */
static rights_verdict judge(const rights_set *requested, const rights_set *current,
                            const rights_set *granter)
{
    rights_set licensed = office_licensed();
    rights_verdict verdict;
    memset(&verdict, 0xab, sizeof(verdict));
    assert_int_equal(rights_check_grant(&aip_rules, requested, current, &licensed,
                                        granter != NULL ? granter : &licensed, &verdict),
                     PORTAL_OK);
    return verdict;
}

static const rights_problem *find_problem(const rights_problem *list, size_t count,
                                          const char *right, rights_reason reason)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(list[i].right, right) == 0 && list[i].reason == reason) {
            return &list[i];
        }
    }
    return NULL;
}

static void assert_ok(const rights_verdict *v)
{
    assert_int_equal(v->kind, RIGHTS_VERDICT_OK);
    assert_int_equal(v->missing_count, 0);
    assert_int_equal(v->forbidden_count, 0);
}

static void test_bank_rights_only_all_three(void **state)
{
    (void)state;
    rights_set all = SET("beleggingsobjecten", "spaarrekeningen", "vermogen");
    rights_verdict v = judge(&all, NULL, NULL);
    assert_ok(&v);

    rights_set one = SET("beleggingsobjecten");
    v = judge(&one, NULL, NULL);
    assert_int_equal(v.kind, RIGHTS_VERDICT_INVALID);
    assert_int_equal(v.missing_count, 2);
    const rights_problem *p =
        find_problem(v.missing, v.missing_count, "spaarrekeningen", RIGHTS_BUNDLE_INCOMPLETE);
    assert_non_null(p);
    assert_string_equal(p->related, "beleggingsobjecten");
    assert_int_equal(p->rule_index, 0);
    assert_non_null(find_problem(v.missing, v.missing_count, "vermogen", RIGHTS_BUNDLE_INCOMPLETE));

    rights_set two = SET("vermogen", "spaarrekeningen");
    v = judge(&two, NULL, NULL);
    assert_int_equal(v.kind, RIGHTS_VERDICT_INVALID);
    assert_int_equal(v.missing_count, 1);
    assert_string_equal(v.missing[0].right, "beleggingsobjecten");
    assert_string_equal(v.missing[0].related, "spaarrekeningen");
}

static void test_pension_rights_only_together(void **state)
{
    (void)state;
    rights_set both = SET("pensioenverzekering", "premiepensioenvorderingen");
    rights_verdict v = judge(&both, NULL, NULL);
    assert_ok(&v);

    rights_set only_pension = SET("pensioenverzekering");
    v = judge(&only_pension, NULL, NULL);
    assert_int_equal(v.kind, RIGHTS_VERDICT_INVALID);
    assert_int_equal(v.missing_count, 1);
    assert_string_equal(v.missing[0].right, "premiepensioenvorderingen");
    assert_int_equal(v.missing[0].reason, RIGHTS_BUNDLE_INCOMPLETE);
    assert_int_equal(v.missing[0].rule_index, 1);

    rights_set only_claims = SET("premiepensioenvorderingen");
    v = judge(&only_claims, NULL, NULL);
    assert_int_equal(v.missing_count, 1);
    assert_string_equal(v.missing[0].right, "pensioenverzekering");
}

static void test_klantbeeld_needs_a_product(void **state)
{
    (void)state;
    rights_set alone = SET("klantbeeld");
    rights_verdict v = judge(&alone, NULL, NULL);
    assert_int_equal(v.kind, RIGHTS_VERDICT_INVALID);
    assert_int_equal(v.missing_count, 1);
    assert_string_equal(v.missing[0].right, "klantbeeld");
    assert_int_equal(v.missing[0].reason, RIGHTS_REQUIREMENT_UNMET);
    assert_int_equal(v.missing[0].rule_index, 0);
    assert_string_equal(v.missing[0].related, "");

    /* Rights that are not products do not count. */
    rights_set with_admin = SET("klantbeeld", "beheerder", "financieel_rekening_courant");
    v = judge(&with_admin, NULL, NULL);
    assert_non_null(
        find_problem(v.missing, v.missing_count, "klantbeeld", RIGHTS_REQUIREMENT_UNMET));

    rights_set with_product = SET("klantbeeld", "hypothecair_krediet");
    v = judge(&with_product, NULL, NULL);
    assert_ok(&v);
}

static void test_schadeverzekeringen_zakelijk_never(void **state)
{
    (void)state;
    /* Never grantable, even though this office is "licensed" for it. */
    rights_set set = SET("schadeverzekeringen_zakelijk", "hypothecair_krediet");
    rights_verdict v = judge(&set, NULL, NULL);
    assert_int_equal(v.kind, RIGHTS_VERDICT_INVALID);
    assert_int_equal(v.forbidden_count, 1);
    assert_string_equal(v.forbidden[0].right, "schadeverzekeringen_zakelijk");
    assert_int_equal(v.forbidden[0].reason, RIGHTS_NEVER_GRANTABLE);
}

static void test_nothing_outside_the_licences(void **state)
{
    (void)state;
    rights_set set = SET("consumptief_krediet", "ruimtevaart", "inkomensverzekering");
    rights_verdict v = judge(&set, NULL, NULL);
    assert_int_equal(v.kind, RIGHTS_VERDICT_INVALID);
    assert_int_equal(v.forbidden_count, 2);
    assert_non_null(
        find_problem(v.forbidden, v.forbidden_count, "consumptief_krediet", RIGHTS_NOT_LICENSED));
    assert_non_null(
        find_problem(v.forbidden, v.forbidden_count, "ruimtevaart", RIGHTS_NOT_LICENSED));
}

static void test_limited_administrator(void **state)
{
    (void)state;
    rights_set granter = SET("beheerder", "hypothecair_krediet", "klantbeeld");
    rights_set ok = SET("hypothecair_krediet", "klantbeeld");
    rights_verdict v = judge(&ok, NULL, &granter);
    assert_ok(&v);

    /* Granting what the administrator lacks: 403, naming the right. */
    rights_set more = SET("hypothecair_krediet", "inkomensverzekering");
    v = judge(&more, NULL, &granter);
    assert_int_equal(v.kind, RIGHTS_VERDICT_DENIED);
    assert_int_equal(v.missing_count, 0);
    assert_int_equal(v.forbidden_count, 1);
    assert_string_equal(v.forbidden[0].right, "inkomensverzekering");
    assert_int_equal(v.forbidden[0].reason, RIGHTS_NOT_HELD_BY_GRANTER);

    /* A right the user already holds may stay, even if the administrator lacks it. */
    rights_set current = SET("inkomensverzekering");
    v = judge(&more, &current, &granter);
    assert_ok(&v);

    /* A rule breach makes it 422 even when the granter also lacks a right. */
    rights_set both = SET("inkomensverzekering", "consumptief_krediet");
    v = judge(&both, NULL, &granter);
    assert_int_equal(v.kind, RIGHTS_VERDICT_INVALID);
    assert_non_null(find_problem(v.forbidden, v.forbidden_count, "inkomensverzekering",
                                 RIGHTS_NOT_HELD_BY_GRANTER));
    assert_non_null(
        find_problem(v.forbidden, v.forbidden_count, "consumptief_krediet", RIGHTS_NOT_LICENSED));
}

static void test_empty_grant_is_ok(void **state)
{
    (void)state;
    rights_set none;
    rights_set_init(&none);
    rights_verdict v = judge(&none, NULL, NULL);
    assert_ok(&v);
}

static void test_first_administrator(void **state)
{
    (void)state;
    rights_set licensed = office_licensed();
    rights_set first;
    assert_int_equal(
        rights_first_administrator(&aip_rules, &licensed, always_first_admin, 1, &first),
        PORTAL_OK);
    /* Every licensed right except the never-grantable one, plus advieskansen. */
    assert_int_equal(first.count, licensed.count - 1);
    assert_false(rights_set_contains(&first, "schadeverzekeringen_zakelijk"));
    assert_true(rights_set_contains(&first, "advieskansen"));
    assert_true(rights_set_contains(&first, "beheerder"));
    assert_true(rights_set_contains(&first, "klantbeeld"));
    assert_true(rights_set_contains(&first, "vermogen"));
    assert_false(rights_set_contains(&first, "consumptief_krediet"));
    /* The result passes the rules it was made under. */
    rights_verdict v;
    assert_int_equal(rights_check_grant(&aip_rules, &first, NULL, &licensed, &first, &v),
                     PORTAL_OK);
    assert_ok(&v);
}

static void test_first_administrator_prunes_partial_licences(void **state)
{
    (void)state;
    /* Licensed for two of the three bank rights and half the pension bundle:
     * none of them can be granted, and klantbeeld then lacks a product. */
    rights_set licensed = SET("beleggingsobjecten", "spaarrekeningen", "pensioenverzekering",
                              "klantbeeld", "beheerder");
    rights_set first;
    assert_int_equal(
        rights_first_administrator(&aip_rules, &licensed, always_first_admin, 1, &first),
        PORTAL_OK);
    assert_int_equal(first.count, 2);
    assert_true(rights_set_contains(&first, "beheerder"));
    assert_true(rights_set_contains(&first, "advieskansen"));

    rights_set with_product = SET("hypothecair_krediet", "klantbeeld");
    assert_int_equal(rights_first_administrator(&aip_rules, &with_product, NULL, 0, &first),
                     PORTAL_OK);
    assert_int_equal(first.count, 2);
    assert_true(rights_set_contains(&first, "klantbeeld"));
}

static void test_rights_set(void **state)
{
    (void)state;
    rights_set set;
    rights_set_init(&set);
    assert_int_equal(rights_set_add(&set, "hr"), PORTAL_OK);
    assert_int_equal(rights_set_add(&set, "hr"), PORTAL_OK);
    assert_int_equal(set.count, 1);
    assert_true(rights_set_contains(&set, "hr"));
    assert_false(rights_set_contains(&set, "hr_read"));
    assert_false(rights_set_contains(NULL, "hr"));

    char max_id[RIGHTS_ID_SIZE];
    memset(max_id, 'a', RIGHTS_ID_MAX_LEN);
    max_id[RIGHTS_ID_MAX_LEN] = '\0';
    assert_true(rights_id_is_valid(max_id));
    assert_int_equal(rights_set_add(&set, max_id), PORTAL_OK);
    char too_long[RIGHTS_ID_SIZE + 1];
    memset(too_long, 'a', RIGHTS_ID_SIZE);
    too_long[RIGHTS_ID_SIZE] = '\0';
    assert_false(rights_id_is_valid(too_long));
    assert_int_equal(rights_set_add(&set, too_long), PORTAL_ERR_INVALID);
    static const char *const bad_ids[] = {"", "HR", "hr read", "hr-read", "hr\n", "ré"};
    for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
        assert_int_equal(rights_set_add(&set, bad_ids[i]), PORTAL_ERR_INVALID);
    }
    assert_int_equal(rights_set_add(&set, NULL), PORTAL_ERR_INVALID);
    assert_int_equal(set.count, 2);

    /* At most 64 ids. */
    rights_set_init(&set);
    char id[16];
    for (int i = 0; i < RIGHTS_SET_MAX; i++) {
        snprintf(id, sizeof(id), "right_%d", i);
        assert_int_equal(rights_set_add(&set, id), PORTAL_OK);
    }
    assert_int_equal(rights_set_add(&set, "one_too_many"), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(rights_set_add(&set, "right_3"), PORTAL_OK); /* already present */
    assert_int_equal(set.count, RIGHTS_SET_MAX);

    /* from_list leaves the set untouched on failure. */
    rights_set kept = SET("hr", "finance");
    static const char *const with_bad[] = {"hr_read", "Bad"};
    assert_int_equal(rights_set_from_list(&kept, with_bad, 2), PORTAL_ERR_INVALID);
    assert_int_equal(kept.count, 2);
    assert_true(rights_set_contains(&kept, "finance"));
}

static void test_bad_rules_and_arguments(void **state)
{
    (void)state;
    rights_set licensed = office_licensed();
    rights_set requested = SET("vermogen");
    rights_verdict v;
    v.kind = RIGHTS_VERDICT_DENIED;
    static const char *const bad_members[] = {"vermogen", "Not Valid"};
    const rights_bundle bad_bundle = {bad_members, 2};
    const rights_rules bad_rules = {&bad_bundle, 1, NULL, 0, NULL, 0};
    assert_int_equal(rights_check_grant(&bad_rules, &requested, NULL, &licensed, &licensed, &v),
                     PORTAL_ERR_INVALID);
    const rights_rules missing_array = {NULL, 1, NULL, 0, NULL, 0};
    assert_int_equal(rights_check_grant(&missing_array, &requested, NULL, &licensed, &licensed, &v),
                     PORTAL_ERR_INVALID);
    assert_int_equal(rights_check_grant(&aip_rules, &requested, NULL, NULL, &licensed, &v),
                     PORTAL_ERR_INVALID);
    assert_int_equal(rights_check_grant(&aip_rules, &requested, NULL, &licensed, NULL, &v),
                     PORTAL_ERR_INVALID);
    assert_int_equal(rights_check_grant(NULL, &requested, NULL, &licensed, &licensed, &v),
                     PORTAL_ERR_INVALID);
    assert_int_equal(v.kind, RIGHTS_VERDICT_DENIED);

    /* More missing rights than a verdict can hold. */
    static char names[RIGHTS_SET_MAX + 2][16];
    static const char *members[RIGHTS_SET_MAX + 2];
    for (size_t i = 0; i < RIGHTS_SET_MAX + 2; i++) {
        snprintf(names[i], sizeof(names[i]), "member_%zu", i);
        members[i] = names[i];
    }
    const rights_bundle huge = {members, RIGHTS_SET_MAX + 2};
    const rights_rules huge_rules = {&huge, 1, NULL, 0, NULL, 0};
    rights_set one = SET("member_0");
    assert_int_equal(rights_check_grant(&huge_rules, &one, NULL, &one, &one, &v),
                     PORTAL_ERR_TOO_LARGE);
    assert_int_equal(v.kind, RIGHTS_VERDICT_DENIED);
}

static void test_reason_names(void **state)
{
    (void)state;
    assert_string_equal(rights_reason_name(RIGHTS_BUNDLE_INCOMPLETE), "bundle_incomplete");
    assert_string_equal(rights_reason_name(RIGHTS_REQUIREMENT_UNMET), "requirement_unmet");
    assert_string_equal(rights_reason_name(RIGHTS_NEVER_GRANTABLE), "never_grantable");
    assert_string_equal(rights_reason_name(RIGHTS_NOT_LICENSED), "not_licensed");
    assert_string_equal(rights_reason_name(RIGHTS_NOT_HELD_BY_GRANTER), "not_held_by_granter");
    assert_null(rights_reason_name((rights_reason)99));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bank_rights_only_all_three),
        cmocka_unit_test(test_pension_rights_only_together),
        cmocka_unit_test(test_klantbeeld_needs_a_product),
        cmocka_unit_test(test_schadeverzekeringen_zakelijk_never),
        cmocka_unit_test(test_nothing_outside_the_licences),
        cmocka_unit_test(test_limited_administrator),
        cmocka_unit_test(test_empty_grant_is_ok),
        cmocka_unit_test(test_first_administrator),
        cmocka_unit_test(test_first_administrator_prunes_partial_licences),
        cmocka_unit_test(test_rights_set),
        cmocka_unit_test(test_bad_rules_and_arguments),
        cmocka_unit_test(test_reason_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
