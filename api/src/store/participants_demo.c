/* store/participants_demo.c: see participants_demo.h. */
#include "store/participants_demo.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/bsn.h"
#include "domain/civil_date.h"
#include "domain/decimal.h"
#include "domain/participant_format.h"
#include "store/participant_changes.h"
#include "store/participants.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const demo_male[] = {
    "Gerrit",  "Jan",  "Pieter", "Kees",   "Willem", "Hendrik", "Johannes", "Dirk",   "Bas",
    "Daan",    "Sem",  "Lucas",  "Thijs",  "Ruben",  "Joris",   "Maarten",  "Wouter", "Mohamed",
    "Youssef", "Erik", "Arjen",  "Sander", "Niels",  "Jeroen",  "Frank",    "Henk",   "Teun"};
static const char *const demo_female[] = {
    "Anna",   "Maria", "Johanna", "Sanne",   "Lotte",  "Emma",   "Julia",  "Fleur",  "Noor",
    "Sophie", "Eva",   "Femke",   "Marieke", "Ingrid", "Els",    "Anouk",  "Iris",   "Fatima",
    "Saskia", "Linda", "Petra",   "Hanneke", "Ilse",   "Mirjam", "Esther", "Yvonne", "Karin"};
static const char *const demo_surnames[] = {
    "Assob",  "Jansen",     "Bakker",    "Visser",   "Smit",     "Meijer",   "Mulder",
    "Bos",    "Vos",        "Peters",    "Hendriks", "Dekker",   "Brouwer",  "Dijkstra",
    "Kok",    "Jacobs",     "Vermeulen", "Schouten", "Willems",  "Hoekstra", "Koster",
    "Prins",  "Huisman",    "Kuipers",   "Postma",   "Veenstra", "Yilmaz",   "El Amrani",
    "Kramer", "Timmermans", "Groen",     "Verhoeven"};
static const char *const demo_prefixed[] = {"Berg",  "Vries", "Dijk",  "Heuvel", "Broek",
                                            "Leeuw", "Wal",   "Horst", "Graaf",  "Velde",
                                            "Jong",  "Haan",  "Beek",  "Bosch",  "Laan"};
static const char *const demo_prefixes[] = {"van den", "de",      "van",     "van den", "van den",
                                            "de",      "van der", "ter",     "de",      "van der",
                                            "de",      "de",      "van der", "ten",     "van der"};
static const struct {
    const char *city;
    int postal; /* first four digits */
} demo_cities[] = {{"Rotterdam", 3011},  {"Amsterdam", 1012},  {"Utrecht", 3511},
                   {"Den Haag", 2511},   {"Eindhoven", 5611},  {"Groningen", 9711},
                   {"Zwolle", 8011},     {"Arnhem", 6811},     {"Leeuwarden", 8911},
                   {"Middelburg", 4331}, {"Maastricht", 6211}, {"Haarlem", 2011}};
static const char *const demo_streets[] = {
    "Kerkstraat",  "Dorpsstraat",   "Molenweg",       "Stationsweg", "Schoolstraat", "Nieuwstraat",
    "Julianalaan", "Beatrixstraat", "Wilhelminapark", "Lindelaan",   "Eikenlaan",    "Havenkade"};
static const char *const demo_relationships[] = {"married", "registered_partnership", "cohabiting"};
static const int64_t demo_parttimes[] = {100000, 100000, 100000, 100000, 80000,
                                         90000,  60000,  50000,  88889,  72500};

/* A small deterministic generator (xorshift32). */
typedef struct {
    uint32_t state;
} demo_rng;

static uint32_t demo_next(demo_rng *r)
{
    uint32_t x = r->state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    r->state = x;
    return x;
}

static int demo_below(demo_rng *r, int n)
{
    return n > 0 ? (int)(demo_next(r) % (uint32_t)n) : 0;
}

static int demo_chance(demo_rng *r, int percent)
{
    return demo_below(r, 100) < percent;
}

static void demo_date_text(civil_date d, char out[CIVIL_DATE_TEXT_SIZE])
{
    if (civil_date_format(d, out, CIVIL_DATE_TEXT_SIZE) != PORTAL_OK)
        snprintf(out, CIVIL_DATE_TEXT_SIZE, "2000-01-01");
}

static civil_date demo_days(civil_date d, int64_t days)
{
    civil_date out = d;
    (void)civil_date_add_days(d, days, &out);
    return out;
}

static civil_date demo_first_of_month(civil_date d, int months)
{
    civil_date first = {d.year, d.month, 1};
    civil_date out = first;
    (void)civil_date_add_months(first, months, &out);
    return out;
}

/* Lower-case ASCII of s with spaces removed, for e-mail addresses. */
static void demo_mail_part(const char *s, char *out, size_t size)
{
    size_t at = 0;
    for (; *s && at + 1 < size; s++) {
        char c = *s;
        if (c == ' ')
            continue;
        out[at++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[at] = '\0';
}

/* One change through the store, registered as demo data. */
static portal_result demo_change(db_conn *db, const char *participant, const char *scheme,
                                 const char *type, civil_date date, const char *status,
                                 const char *reasons, json_t *payload)
{
    char date_text[CIVIL_DATE_TEXT_SIZE], id[PORTAL_ID_LEN];
    demo_date_text(date, date_text);
    char *text = json_dumps(payload, JSON_COMPACT);
    json_decref(payload);
    if (!text)
        return PORTAL_ERR_MEMORY;
    participant_change_new c = {.participant_id = participant,
                                .scheme_id = scheme,
                                .type = type,
                                .effective_date = date_text,
                                .status = status,
                                .review_reasons = reasons,
                                .payload = text,
                                .actor = {.kind = "batch", .label = "Demo-gegevens"}};
    char *answer = NULL;
    portal_result rc = participant_changes_insert(db, &c, id, &answer);
    free(answer);
    free(text);
    return rc;
}

/* A family member with a fresh BSN. */
static json_t *demo_family(demo_rng *r, uint32_t bsn_seed, const char *surname, const char *prefix,
                           civil_date birth, int partner)
{
    char bsn[BSN_SIZE], birth_text[CIVIL_DATE_TEXT_SIZE];
    bsn_from_seed(bsn_seed, bsn);
    demo_date_text(birth, birth_text);
    int female = demo_chance(r, 50);
    const char *first = female ? demo_female[demo_below(r, (int)COUNT_OF(demo_female))]
                               : demo_male[demo_below(r, (int)COUNT_OF(demo_male))];
    json_t *m = json_pack("{s:s, s:s, s:s, s:s}", "first_name", first, "surname", surname,
                          "birth_date", birth_text, "bsn", bsn);
    if (m && prefix)
        json_object_set_new(m, "surname_prefix", json_string(prefix));
    if (m && partner)
        json_object_set_new(m, "relationship", json_string(demo_relationships[demo_below(r, 3)]));
    return m;
}

/* Registers one participant with its history. *bsn_seed advances past every
 * BSN used. */
static portal_result demo_participant(db_conn *db, const char *scheme, int pension, demo_rng *r,
                                      uint32_t *bsn_seed, civil_date today, int pending)
{
    char bsn[BSN_SIZE];
    int taken = 1;
    for (int tries = 0; taken && tries < 1000; tries++) {
        bsn_from_seed((*bsn_seed)++, bsn);
        const char *params[] = {scheme, bsn};
        PGresult *res = db_query(db,
                                 "SELECT EXISTS (SELECT 1 FROM participants WHERE scheme_id ="
                                 " $1::uuid AND bsn = $2 AND rejected_at IS NULL)",
                                 2, params);
        if (!res)
            return PORTAL_ERR_DATABASE;
        taken = PQgetvalue(res, 0, 0)[0] == 't';
        PQclear(res);
    }
    if (taken)
        return PORTAL_ERR_INTERNAL;

    const int female = demo_chance(r, 48);
    const char *first = female ? demo_female[demo_below(r, (int)COUNT_OF(demo_female))]
                               : demo_male[demo_below(r, (int)COUNT_OF(demo_male))];
    const char *prefix = NULL, *surname;
    if (demo_chance(r, 30)) {
        int k = demo_below(r, (int)COUNT_OF(demo_prefixed));
        prefix = demo_prefixes[k];
        surname = demo_prefixed[k];
    } else {
        surname = demo_surnames[demo_below(r, (int)COUNT_OF(demo_surnames))];
    }
    char initials[PARTICIPANT_INITIALS_SIZE], display[PARTICIPANT_DISPLAY_NAME_SIZE];
    if (participant_format_initials(NULL, first, initials, sizeof initials) != PORTAL_OK ||
        participant_format_display_name(surname, initials, prefix, display, sizeof display) !=
            PORTAL_OK)
        return PORTAL_ERR_INTERNAL;

    const int age = 20 + demo_below(r, 45);
    civil_date birth = {today.year - age, 1 + demo_below(r, 12), 1 + demo_below(r, 28)};
    /* Started between 18 and now, at most 20 years ago; the pending one
     * started five months ago (more than three months back: review). */
    int64_t back = 45 + demo_below(r, 365 * 20);
    civil_date start = pending ? demo_first_of_month(today, -5) : demo_days(today, -back);
    civil_date adult = {birth.year + 18, birth.month, birth.day};
    if (civil_date_compare(start, adult) < 0)
        start = adult;
    if (civil_date_compare(start, today) > 0)
        start = demo_days(today, -30);

    int64_t salary = (int64_t)(2400000 + demo_below(r, 9600000));
    int64_t parttime = demo_parttimes[demo_below(r, (int)COUNT_OF(demo_parttimes))];
    char salary_text[DECIMAL_TEXT_SIZE], parttime_text[DECIMAL_TEXT_SIZE];
    char birth_text[CIVIL_DATE_TEXT_SIZE], start_text[CIVIL_DATE_TEXT_SIZE];
    (void)decimal_format(salary, DECIMAL_MONEY_SCALE, salary_text, sizeof salary_text);
    (void)decimal_format(parttime, DECIMAL_PERCENTAGE_SCALE, parttime_text, sizeof parttime_text);
    demo_date_text(birth, birth_text);
    demo_date_text(start, start_text);

    const int city = demo_below(r, (int)COUNT_OF(demo_cities));
    char house[16], postal[16], mail_first[64], mail_last[64], email[256];
    snprintf(house, sizeof house, "%d", 1 + demo_below(r, 180));
    snprintf(postal, sizeof postal, "%04d %c%c", demo_cities[city].postal + demo_below(r, 80),
             'A' + demo_below(r, 17), 'A' + demo_below(r, 26));
    char mail_prefix[64] = "";
    demo_mail_part(first, mail_first, sizeof mail_first);
    demo_mail_part(surname, mail_last, sizeof mail_last);
    if (prefix)
        demo_mail_part(prefix, mail_prefix, sizeof mail_prefix);
    snprintf(email, sizeof email, "%s.%s%s@voorbeeld.nl", mail_first, mail_prefix, mail_last);

    json_t *person =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s}}", "first_name",
                  first, "initials", initials, "surname", surname, "birth_date", birth_text,
                  "gender", female ? "female" : "male", "email", email, "address", "street",
                  demo_streets[demo_below(r, (int)COUNT_OF(demo_streets))], "house_number", house,
                  "postal_code", postal, "city", demo_cities[city].city, "country", "NL");
    if (person && prefix)
        json_object_set_new(person, "surname_prefix", json_string(prefix));
    json_t *registration = json_pack("{s:s, s:o, s:{s:s, s:s, s:s}}", "display_name", display,
                                     "person", person, "employment", "start_date", start_text,
                                     "salary", salary_text, "parttime_percentage", parttime_text);
    if (!registration)
        return PORTAL_ERR_MEMORY;

    char id[PORTAL_ID_LEN], number[PARTICIPANTS_NUMBER_SIZE];
    portal_result rc = participants_insert(db, scheme, NULL, bsn, id, number);
    if (rc == PORTAL_OK)
        rc = demo_change(
            db, id, scheme, "registration", start, pending ? "pending_review" : "processed",
            pending ? "{effective_date_more_than_three_months_back}" : "{}", registration);
    else
        json_decref(registration);

    /* About one in seven left service: dormant (pension) or ended (income);
     * nothing else is dated after that. */
    int left = 0;
    civil_date end = today;
    if (!pending && demo_chance(r, 14)) {
        end = demo_days(start, 200 + demo_below(r, 2000));
        civil_date latest = demo_days(today, -20);
        if (civil_date_compare(end, latest) > 0)
            end = latest;
        left = civil_date_compare(end, start) > 0;
        if (!left)
            end = today;
    }
    civil_date retro = demo_first_of_month(today, -2);
    if (rc == PORTAL_OK && !pending && civil_date_compare(start, retro) < 0 &&
        civil_date_compare(retro, end) <= 0 && demo_chance(r, 20)) {
        /* A retroactive raise, registered today. */
        char raised[DECIMAL_TEXT_SIZE];
        (void)decimal_format(salary + salary * 3 / 100, DECIMAL_MONEY_SCALE, raised, sizeof raised);
        rc = demo_change(db, id, scheme, "salary_change", retro, "processed", "{}",
                         json_pack("{s:s}", "salary", raised));
    }
    if (rc == PORTAL_OK && !pending && !left && demo_chance(r, 10)) {
        rc = demo_change(db, id, scheme, "salary_change", demo_first_of_month(today, 1),
                         "processed", "{}", json_pack("{s:s}", "parttime_percentage", "100.000"));
    }
    if (rc == PORTAL_OK && pension && !pending && demo_chance(r, 35)) {
        civil_date since = demo_days(start, demo_below(r, 300));
        if (civil_date_compare(since, end) > 0)
            since = start;
        civil_date pbirth = {birth.year - 3 + demo_below(r, 7), 1 + demo_below(r, 12),
                             1 + demo_below(r, 28)};
        rc = demo_change(db, id, scheme, "partner_registration", since, "processed", "{}",
                         json_pack("{s:o}", "partner",
                                   demo_family(r, (*bsn_seed)++, surname, prefix, pbirth, 1)));
    }
    if (rc == PORTAL_OK && pension && !pending && age > 28 && demo_chance(r, 25)) {
        int children = 1 + demo_below(r, 3);
        for (int k = 0; k < children && rc == PORTAL_OK; k++) {
            civil_date cbirth = {today.year - 1 - demo_below(r, age - 24), 1 + demo_below(r, 12),
                                 1 + demo_below(r, 28)};
            civil_date since = civil_date_compare(cbirth, start) > 0 ? cbirth : start;
            if (civil_date_compare(since, end) > 0)
                continue;
            rc = demo_change(db, id, scheme, "child_registration", since, "processed", "{}",
                             json_pack("{s:o}", "child",
                                       demo_family(r, (*bsn_seed)++, surname, prefix, cbirth, 0)));
        }
    }
    if (rc == PORTAL_OK && left)
        rc = demo_change(db, id, scheme, "termination", end, "processed", "{}", json_object());
    if (rc == PORTAL_OK)
        rc = participants_rebuild(db, id);
    return rc;
}

portal_result participants_seed_demo(db_conn *db, const char *scheme_id, int count, unsigned seed)
{
    if (count < 0 || count > PARTICIPANTS_DEMO_MAX)
        return PORTAL_ERR_INVALID;
    const char *params[] = {scheme_id};
    PGresult *res =
        db_query(db,
                 "SELECT s.kind, (SELECT count(*) FROM participants p WHERE p.scheme_id = s.id),"
                 " EXISTS (SELECT 1 FROM participant_changes c WHERE c.scheme_id = s.id"
                 "   AND c.status = 'pending_review')"
                 " FROM schemes s WHERE s.id = $1::uuid",
                 1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return PORTAL_ERR_NOT_FOUND;
    }
    const int pension = strcmp(PQgetvalue(res, 0, 0), "pension") == 0;
    const int existing = atoi(PQgetvalue(res, 0, 1));
    int pending_done = PQgetvalue(res, 0, 2)[0] == 't';
    PQclear(res);
    if (existing >= count)
        return PORTAL_OK;

    civil_date today = {2026, 1, 1};
    (void)civil_date_amsterdam_today(time(NULL), &today);
    demo_rng rng = {seed * 2654435761u + 0x9E3779B9u + (uint32_t)existing};
    if (rng.state == 0)
        rng.state = 1;
    uint32_t bsn_seed = (seed % 9u) * 1000000u + (uint32_t)existing * 4u;
    /* Inside the caller's transaction when one is open, else in our own. */
    const int own = PQtransactionStatus(db_pg(db)) == PQTRANS_IDLE;
    if (own && db_begin(db) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    portal_result rc = PORTAL_OK;
    for (int i = existing; i < count && rc == PORTAL_OK; i++) {
        rc = demo_participant(db, scheme_id, pension, &rng, &bsn_seed, today, !pending_done);
        pending_done = 1;
    }
    if (own && rc == PORTAL_OK)
        rc = db_commit(db);
    if (own && rc != PORTAL_OK)
        db_rollback(db);
    return rc;
}
