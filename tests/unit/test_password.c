/* Unit tests for auth/password: argon2id hashing, the concurrency bound and
 * the password policy. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth/password.h"

static int setup_module(void **state)
{
    (void)state;
    return password_init(2, NULL) == PORTAL_OK ? 0 : -1;
}

static int teardown_module(void **state)
{
    (void)state;
    password_shutdown();
    return 0;
}

/* ---- hashing ---- */

static void test_hash_round_trip(void **state)
{
    (void)state;
    char encoded[PASSWORD_ENCODED_SIZE];
    assert_int_equal(password_hash("Zomervakantie-in-2026!", encoded, sizeof encoded), PORTAL_OK);
    assert_true(strncmp(encoded, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0);
    assert_int_equal(password_verify(encoded, "Zomervakantie-in-2026!"), PORTAL_OK);
    assert_int_equal(password_verify(encoded, "zomervakantie-in-2026!"), PORTAL_ERR_DENIED);
    assert_int_equal(password_verify(encoded, ""), PORTAL_ERR_DENIED);
    assert_int_equal(password_needs_rehash(encoded), 0);
}

static void test_hash_salted(void **state)
{
    (void)state;
    char a[PASSWORD_ENCODED_SIZE];
    char b[PASSWORD_ENCODED_SIZE];
    assert_int_equal(password_hash("same password twice", a, sizeof a), PORTAL_OK);
    assert_int_equal(password_hash("same password twice", b, sizeof b), PORTAL_OK);
    assert_string_not_equal(a, b);
    assert_int_equal(password_verify(b, "same password twice"), PORTAL_OK);
}

static void test_hash_limits(void **state)
{
    (void)state;
    char small[40];
    assert_int_equal(password_hash("whatever", small, sizeof small), PORTAL_ERR_TOO_LARGE);
    assert_string_equal(small, "");

    char *huge = malloc(PASSWORD_MAX_BYTES + 2);
    assert_non_null(huge);
    memset(huge, 'x', PASSWORD_MAX_BYTES + 1);
    huge[PASSWORD_MAX_BYTES + 1] = '\0';
    char encoded[PASSWORD_ENCODED_SIZE];
    assert_int_equal(password_hash(huge, encoded, sizeof encoded), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(password_verify("$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$"
                                     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                     huge),
                     PORTAL_ERR_TOO_LARGE);
    assert_int_equal(password_verify_dummy(huge), PORTAL_ERR_TOO_LARGE);
    free(huge);
}

static void test_verify_malformed(void **state)
{
    (void)state;
    const char *bad[] = {
        "",
        "plaintext",
        "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "$argon2id$v=19$m=19456,t=2,p=1$",
        "$argon2id$v=19$m=19456,t=2,p=1$!!!$###",
        /* cost parameters far beyond the caps: refused without running */
        "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
        "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=19456,t=1000,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
        "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(password_verify(bad[i], "Zomervakantie-in-2026!"), PORTAL_ERR_INVALID);
    assert_int_equal(password_needs_rehash("$argon2id$v=19$m=65536,t=3,p=4$xx$yy"), 1);
    assert_int_equal(password_needs_rehash("garbage"), 1);
}

static double thread_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_dummy_costs_like_verify(void **state)
{
    (void)state;
    char encoded[PASSWORD_ENCODED_SIZE];
    assert_int_equal(password_hash("a real password here", encoded, sizeof encoded), PORTAL_OK);

    double real = 0;
    double dummy = 0;
    for (int i = 0; i < 3; i++) {
        double t0 = thread_seconds();
        assert_int_equal(password_verify(encoded, "a wrong password here"), PORTAL_ERR_DENIED);
        double t1 = thread_seconds();
        assert_int_equal(password_verify_dummy("a wrong password here"), PORTAL_ERR_DENIED);
        double t2 = thread_seconds();
        real += t1 - t0;
        dummy += t2 - t1;
    }
    /* Same parameters, so the same work: CPU time within a factor of two. */
    assert_true(dummy > real * 0.5);
    assert_true(dummy < real * 2.0);
}

static void *hash_worker(void *arg)
{
    char encoded[PASSWORD_ENCODED_SIZE];
    int *ok = arg;
    *ok = password_hash("concurrent password", encoded, sizeof encoded) == PORTAL_OK &&
          password_verify(encoded, "concurrent password") == PORTAL_OK;
    return NULL;
}

static void test_bounded_concurrency(void **state)
{
    (void)state;
    pthread_t threads[5];
    int ok[5] = {0};
    for (int i = 0; i < 5; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, hash_worker, &ok[i]), 0);
    for (int i = 0; i < 5; i++) {
        pthread_join(threads[i], NULL);
        assert_true(ok[i]);
    }
}

/* ---- policy ---- */

static const char *rejection_code(const char *pw, const char *username, const char *email)
{
    password_rejection r;
    portal_result rc = password_check_policy(pw, username, email, &r);
    if (rc == PORTAL_OK) {
        assert_null(r.code);
        return "ok";
    }
    assert_int_equal(rc, PORTAL_ERR_INVALID);
    assert_non_null(r.code);
    assert_non_null(r.message_nl);
    assert_non_null(r.message_en);
    return r.code;
}

static void test_policy_accepts_passphrases(void **state)
{
    (void)state;
    assert_string_equal(rejection_code("correct horse battery staple", "jdevries", NULL), "ok");
    assert_string_equal(rejection_code("Zomervakantie-in-2026!", "jdevries", NULL), "ok");
    assert_string_equal(rejection_code("mijn hond heet Bello en blaft", NULL, NULL), "ok");
    /* no composition rules: all lower-case letters is fine */
    assert_string_equal(rejection_code("paardenbloemfietszeilboot", NULL, NULL), "ok");
    /* non-ASCII letters count as one character each */
    assert_string_equal(rejection_code("Crème brûlée à la maison", NULL, NULL), "ok");
}

static void test_policy_length_in_code_points(void **state)
{
    (void)state;
    assert_string_equal(rejection_code("Kort-wachtw", NULL, NULL), "too_short");
    /* 11 code points but 22 bytes: still too short */
    assert_string_equal(rejection_code("ééééééééééé", NULL, NULL), "too_short");
    /* 12 code points, 5 of them two bytes */
    assert_string_equal(rejection_code("Zeeën-één-7x", NULL, NULL), "ok");

    char longest[PASSWORD_MAX_CHARS * 2 + 2];
    const char *words = "zeilboot paardenbloem fiets ";
    for (size_t i = 0; i < PASSWORD_MAX_CHARS; i++)
        longest[i] = words[i % strlen(words)];
    longest[PASSWORD_MAX_CHARS] = '\0';
    assert_string_equal(rejection_code(longest, NULL, NULL), "ok");
    longest[PASSWORD_MAX_CHARS] = 'x';
    longest[PASSWORD_MAX_CHARS + 1] = '\0';
    assert_string_equal(rejection_code(longest, NULL, NULL), "too_long");

    /* 128 two-byte characters are 128 code points: accepted by length */
    char wide[PASSWORD_MAX_CHARS * 2 + 3];
    for (size_t i = 0; i < PASSWORD_MAX_CHARS; i++) {
        wide[2 * i] = (char)0xC3;
        wide[2 * i + 1] = (char)(i % 2 ? 0xA9 : 0xB6); /* é ö */
    }
    wide[PASSWORD_MAX_CHARS * 2] = '\0';
    assert_string_not_equal(rejection_code(wide, NULL, NULL), "too_long");
    wide[PASSWORD_MAX_CHARS * 2] = 'x';
    wide[PASSWORD_MAX_CHARS * 2 + 1] = '\0';
    assert_string_equal(rejection_code(wide, NULL, NULL), "too_long");
}

static void test_policy_invalid_utf8(void **state)
{
    (void)state;
    assert_string_equal(rejection_code("Zomervakantie\xff-in-2026", NULL, NULL), "invalid");
    /* overlong encoding of '/' */
    assert_string_equal(rejection_code("Zomervakantie\xc0\xaf-in-2026", NULL, NULL), "invalid");
    /* UTF-16 surrogate */
    assert_string_equal(rejection_code("Zomervakantie\xed\xa0\x80-in-2026", NULL, NULL), "invalid");
    /* truncated sequence at the end */
    assert_string_equal(rejection_code("Zomervakantie-in-2026\xe2\x82", NULL, NULL), "invalid");
    /* control character */
    assert_string_equal(rejection_code("Zomervakantie\tin-2026", NULL, NULL), "invalid");
}

static void test_policy_username_and_email(void **state)
{
    (void)state;
    assert_string_equal(rejection_code("ikben-JDeVries-2026", "jdevries", NULL),
                        "contains_username");
    assert_string_equal(rejection_code("ikben-jdevries-2026", "JDEVRIES", "x@example.nl"),
                        "contains_username");
    assert_string_equal(
        rejection_code("Jan.de.Vries@Example.nl!", "jdv", "jan.de.vries@example.nl"),
        "contains_email");
    assert_string_equal(
        rejection_code("wachtwoord-jan.de.vries-7", NULL, "jan.de.vries@example.nl"),
        "contains_email");
    /* a short local part is not checked */
    assert_string_equal(rejection_code("Zomervakantie-jd-2026", NULL, "jd@example.nl"), "ok");
    assert_string_equal(rejection_code("Zomervakantie-in-2026!", "", ""), "ok");
}

static void test_policy_common_and_weak(void **state)
{
    (void)state;
    assert_string_equal(rejection_code("password1234", NULL, NULL), "common_password");
    assert_string_equal(rejection_code("PassWord1234", NULL, NULL), "common_password");
    assert_string_equal(rejection_code("qwertyuiopas", NULL, NULL), "weak");
    assert_string_equal(rejection_code("aaaaaaaaaaaaa", NULL, NULL), "weak");
    assert_string_equal(rejection_code("abcdefghijklmn", NULL, NULL), "weak");
    assert_string_equal(rejection_code("1234567890123", NULL, NULL), "weak");
    assert_string_equal(rejection_code("asdfghjkl;asdfghjkl", NULL, NULL), "weak");
    assert_string_equal(rejection_code("hunter2hunter2", NULL, NULL), "weak");
    assert_string_equal(rejection_code("ILoveYouiloveyou", NULL, NULL), "weak");
    /* libpwquality's palindrome check */
    assert_string_equal(rejection_code("zeilboot1toobliez", NULL, NULL), "weak");
}

static void test_policy_messages(void **state)
{
    (void)state;
    password_rejection r;
    assert_int_equal(password_check_policy("kort", NULL, NULL, &r), PORTAL_ERR_INVALID);
    assert_string_equal(r.code, "too_short");
    assert_string_equal(password_rejection_message(&r, NULL),
                        "Het wachtwoord moet minstens 12 tekens lang zijn.");
    assert_string_equal(password_rejection_message(&r, "nl-NL"),
                        "Het wachtwoord moet minstens 12 tekens lang zijn.");
    assert_string_equal(password_rejection_message(&r, "en-GB"),
                        "The password must be at least 12 characters long.");
    assert_int_equal(password_check_policy("Zomervakantie-in-2026!", NULL, NULL, &r), PORTAL_OK);
    assert_null(password_rejection_message(&r, "en"));
}

/* ---- init ---- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_init_list_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/portal-password-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/list.txt", dir);

    /* a missing list is an error: the server refuses to start */
    assert_int_equal(password_init(1, path), PORTAL_ERR_IO);
    password_rejection r;
    assert_int_equal(password_check_policy("Zomervakantie-in-2026!", NULL, NULL, &r),
                     PORTAL_ERR_INTERNAL);
    /* hashing still works without init */
    char encoded[PASSWORD_ENCODED_SIZE];
    assert_int_equal(password_hash("still hashing fine", encoded, sizeof encoded), PORTAL_OK);

    write_file(path, "# only a comment\n\n");
    assert_int_equal(password_init(1, path), PORTAL_ERR_INVALID);

    write_file(path, "# test list\r\nZomervakantie-in-2026!\r\nanother entry here\n");
    assert_int_equal(password_init(1, path), PORTAL_OK);
    assert_string_equal(rejection_code("zomervakantie-IN-2026!", NULL, NULL), "common_password");
    assert_string_equal(rejection_code("Zomervakantie-in-2027!", NULL, NULL), "ok");
    assert_string_equal(rejection_code("ANOTHER ENTRY HERE", NULL, NULL), "common_password");

    unlink(path);
    rmdir(dir);
    /* back to the shipped list for the other tests */
    assert_int_equal(password_init(2, NULL), PORTAL_OK);
}

static void test_shipped_list_size(void **state)
{
    (void)state;
    FILE *f = fopen(PORTAL_SOURCE_DIR "/api/data/common-passwords.txt", "r");
    assert_non_null(f);
    char line[1024];
    size_t entries = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] != '#' && line[0] != '\n')
            entries++;
    }
    fclose(f);
    assert_true(entries >= 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_round_trip),
        cmocka_unit_test(test_hash_salted),
        cmocka_unit_test(test_hash_limits),
        cmocka_unit_test(test_verify_malformed),
        cmocka_unit_test(test_dummy_costs_like_verify),
        cmocka_unit_test(test_bounded_concurrency),
        cmocka_unit_test(test_policy_accepts_passphrases),
        cmocka_unit_test(test_policy_length_in_code_points),
        cmocka_unit_test(test_policy_invalid_utf8),
        cmocka_unit_test(test_policy_username_and_email),
        cmocka_unit_test(test_policy_common_and_weak),
        cmocka_unit_test(test_policy_messages),
        cmocka_unit_test(test_init_list_file),
        cmocka_unit_test(test_shipped_list_size),
    };
    return cmocka_run_group_tests(tests, setup_module, teardown_module);
}
