/* demo/participants.c: see participants.h. */
#include "demo/participants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/bsn.h"
#include "domain/civil_date.h"
#include "domain/decimal.h"
#include "store/participants_demo.h"
#include "workflows/changes.h"
#include "workflows/participants.h"

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

/* The earlier of two dates. */
static civil_date demo_min(civil_date a, civil_date b)
{
    return civil_date_compare(a, b) <= 0 ? a : b;
}

/* One participant's facts as the generator drew them. */
typedef struct {
    const char *scheme;
    int pension;
    civil_date today; /* in Europe/Amsterdam */
    civil_date birth;
    civil_date start;
    civil_date end; /* today when the participant did not leave */
    int left;
    int age;
    int64_t salary;
    const char *surname;
    const char *prefix;
    char id[PORTAL_ID_LEN];
} demo_person;

/* One change through the change workflow, as the system, registered as if
 * on its effective date (or today for a future one), so the history passes
 * the same rules as a request made then. */
static portal_result demo_change(db_conn *db, const demo_person *p, const char *type,
                                 civil_date effective, wf_change_input *in)
{
    char date_text[CIVIL_DATE_TEXT_SIZE], today_text[CIVIL_DATE_TEXT_SIZE];
    demo_date_text(effective, date_text);
    demo_date_text(demo_min(effective, p->today), today_text);
    wf_row_options opts = {.today = today_text, .label = "Demo-gegevens"};
    in->participant_id = p->id;
    in->type = type;
    in->effective_date = date_text;
    wf_change_result res;
    portal_outcome o;
    portal_result rc = wf_change_submit(db, NULL, &opts, in, &res, &o);
    wf_change_result_free(&res);
    return rc;
}

/* A partner or child with a fresh BSN, registered through the workflow. */
static portal_result demo_family(db_conn *db, demo_rng *r, const demo_person *p, uint32_t bsn_seed,
                                 civil_date birth, civil_date since, int partner)
{
    char bsn[BSN_SIZE], birth_text[CIVIL_DATE_TEXT_SIZE];
    bsn_from_seed(bsn_seed, bsn);
    demo_date_text(birth, birth_text);
    int female = demo_chance(r, 50);
    participant_family_input m = {
        .first_name = female ? demo_female[demo_below(r, (int)COUNT_OF(demo_female))]
                             : demo_male[demo_below(r, (int)COUNT_OF(demo_male))],
        .surname_prefix = p->prefix,
        .surname = p->surname,
        .birth_date = birth_text,
        .bsn = bsn,
        .relationship = partner ? demo_relationships[demo_below(r, 3)] : NULL};
    wf_change_input in = {.member = &m};
    return demo_change(db, p, partner ? "partner_registration" : "child_registration", since, &in);
}

/* A fresh BSN for the scheme. */
static portal_result demo_bsn(db_conn *db, const char *scheme, uint32_t *bsn_seed,
                              char bsn[BSN_SIZE])
{
    int taken = 1;
    for (int tries = 0; taken && tries < 1000; tries++) {
        bsn_from_seed((*bsn_seed)++, bsn);
        if (participants_demo_bsn_taken(db, scheme, bsn, &taken) != PORTAL_OK)
            return PORTAL_ERR_DATABASE;
    }
    return taken ? PORTAL_ERR_INTERNAL : PORTAL_OK;
}

/* Draws the person's dates: born 20 to 64 years ago, started between 18
 * and now (at most 20 years ago; the pending one five months ago, more
 * than three months back: review). */
static void demo_dates(demo_rng *r, demo_person *p, int pending)
{
    p->age = 20 + demo_below(r, 45);
    p->birth = (civil_date){p->today.year - p->age, 1 + demo_below(r, 12), 1 + demo_below(r, 28)};
    int64_t back = 45 + demo_below(r, 365 * 20);
    p->start = pending ? demo_first_of_month(p->today, -5) : demo_days(p->today, -back);
    civil_date adult = {p->birth.year + 18, p->birth.month, p->birth.day};
    if (civil_date_compare(p->start, adult) < 0)
        p->start = adult;
    if (civil_date_compare(p->start, p->today) > 0)
        p->start = demo_days(p->today, -30);
}

/* Registers the person through the registration workflow, as the system,
 * as if on the start date (the pending one today). */
static portal_result demo_register(db_conn *db, demo_rng *r, demo_person *p, const char *bsn,
                                   int pending)
{
    const int female = demo_chance(r, 48);
    const char *first = female ? demo_female[demo_below(r, (int)COUNT_OF(demo_female))]
                               : demo_male[demo_below(r, (int)COUNT_OF(demo_male))];
    if (demo_chance(r, 30)) {
        int k = demo_below(r, (int)COUNT_OF(demo_prefixed));
        p->prefix = demo_prefixes[k];
        p->surname = demo_prefixed[k];
    } else {
        p->surname = demo_surnames[demo_below(r, (int)COUNT_OF(demo_surnames))];
    }
    demo_dates(r, p, pending);
    p->salary = (int64_t)(2400000 + demo_below(r, 9600000));
    int64_t parttime = demo_parttimes[demo_below(r, (int)COUNT_OF(demo_parttimes))];
    char salary[DECIMAL_TEXT_SIZE], parttime_text[DECIMAL_TEXT_SIZE];
    char birth[CIVIL_DATE_TEXT_SIZE], start[CIVIL_DATE_TEXT_SIZE], today[CIVIL_DATE_TEXT_SIZE];
    (void)decimal_format(p->salary, DECIMAL_MONEY_SCALE, salary, sizeof salary);
    (void)decimal_format(parttime, DECIMAL_PERCENTAGE_SCALE, parttime_text, sizeof parttime_text);
    demo_date_text(p->birth, birth);
    demo_date_text(p->start, start);
    demo_date_text(pending ? p->today : p->start, today);

    const int city = demo_below(r, (int)COUNT_OF(demo_cities));
    char house[16], postal[16], mail_first[64], mail_last[64], email[256];
    snprintf(house, sizeof house, "%d", 1 + demo_below(r, 180));
    snprintf(postal, sizeof postal, "%04d %c%c", demo_cities[city].postal + demo_below(r, 80),
             'A' + demo_below(r, 17), 'A' + demo_below(r, 26));
    char mail_prefix[64] = "";
    demo_mail_part(first, mail_first, sizeof mail_first);
    demo_mail_part(p->surname, mail_last, sizeof mail_last);
    if (p->prefix)
        demo_mail_part(p->prefix, mail_prefix, sizeof mail_prefix);
    snprintf(email, sizeof email, "%s.%s%s@voorbeeld.nl", mail_first, mail_prefix, mail_last);
    participant_address_input address = {
        .street = demo_streets[demo_below(r, (int)COUNT_OF(demo_streets))],
        .house_number = house,
        .postal_code = postal,
        .city = demo_cities[city].city,
        .country = "NL"};
    wf_registration_input in = {.scheme_id = p->scheme,
                                .first_name = first,
                                .surname_prefix = p->prefix,
                                .surname = p->surname,
                                .birth_date = birth,
                                .gender = female ? "female" : "male",
                                .bsn = bsn,
                                .email = email,
                                .address = &address,
                                .start_date = start,
                                .salary = salary,
                                .parttime_percentage = parttime_text};
    wf_row_options opts = {.today = today, .label = "Demo-gegevens"};
    wf_registration_result res;
    portal_outcome o;
    portal_result rc = wf_participant_register(db, NULL, &opts, &in, &res, &o);
    if (rc == PORTAL_OK)
        snprintf(p->id, sizeof p->id, "%s", res.participant_id);
    wf_registration_result_free(&res);
    return rc;
}

/* About one in seven left service: dormant (pension) or ended (income);
 * nothing else is dated after that. */
static void demo_leaving(demo_rng *r, demo_person *p)
{
    p->end = p->today;
    p->left = 0;
    if (!demo_chance(r, 14))
        return;
    p->end = demo_days(p->start, 200 + demo_below(r, 2000));
    civil_date latest = demo_days(p->today, -20);
    if (civil_date_compare(p->end, latest) > 0)
        p->end = latest;
    p->left = civil_date_compare(p->end, p->start) > 0;
    if (!p->left)
        p->end = p->today;
}

/* Salary changes: a retroactive raise, a future full-time change. */
static portal_result demo_salary_changes(db_conn *db, demo_rng *r, const demo_person *p)
{
    portal_result rc = PORTAL_OK;
    civil_date retro = demo_first_of_month(p->today, -2);
    if (civil_date_compare(p->start, retro) < 0 && civil_date_compare(retro, p->end) <= 0 &&
        demo_chance(r, 20)) {
        char raised[DECIMAL_TEXT_SIZE];
        (void)decimal_format(p->salary + p->salary * 3 / 100, DECIMAL_MONEY_SCALE, raised,
                             sizeof raised);
        wf_change_input in = {.salary = raised};
        rc = demo_change(db, p, "salary_change", retro, &in);
    }
    if (rc == PORTAL_OK && !p->left && demo_chance(r, 10)) {
        wf_change_input in = {.parttime_percentage = "100.000"};
        rc = demo_change(db, p, "salary_change", demo_first_of_month(p->today, 1), &in);
    }
    return rc;
}

/* A partner and children, in pension schemes only. */
static portal_result demo_family_changes(db_conn *db, demo_rng *r, const demo_person *p,
                                         uint32_t *bsn_seed)
{
    portal_result rc = PORTAL_OK;
    if (demo_chance(r, 35)) {
        civil_date since = demo_days(p->start, demo_below(r, 300));
        if (civil_date_compare(since, p->end) > 0)
            since = p->start;
        civil_date pbirth = {p->birth.year - 3 + demo_below(r, 7), 1 + demo_below(r, 12),
                             1 + demo_below(r, 28)};
        rc = demo_family(db, r, p, (*bsn_seed)++, pbirth, since, 1);
    }
    if (rc == PORTAL_OK && p->age > 28 && demo_chance(r, 25)) {
        int children = 1 + demo_below(r, 3);
        for (int k = 0; k < children && rc == PORTAL_OK; k++) {
            civil_date cbirth = {p->today.year - 1 - demo_below(r, p->age - 24),
                                 1 + demo_below(r, 12), 1 + demo_below(r, 28)};
            civil_date since = civil_date_compare(cbirth, p->start) > 0 ? cbirth : p->start;
            if (civil_date_compare(since, p->end) > 0)
                continue;
            rc = demo_family(db, r, p, (*bsn_seed)++, cbirth, since, 0);
        }
    }
    return rc;
}

/* Registers one participant with its history. *bsn_seed advances past every
 * BSN used. */
static portal_result demo_participant(db_conn *db, const char *scheme, int pension, demo_rng *r,
                                      uint32_t *bsn_seed, civil_date today, int pending)
{
    char bsn[BSN_SIZE];
    demo_person p = {.scheme = scheme, .pension = pension, .today = today};
    portal_result rc = demo_bsn(db, scheme, bsn_seed, bsn);
    if (rc == PORTAL_OK)
        rc = demo_register(db, r, &p, bsn, pending);
    if (rc != PORTAL_OK || pending)
        return rc;
    demo_leaving(r, &p);
    rc = demo_salary_changes(db, r, &p);
    if (rc == PORTAL_OK && pension)
        rc = demo_family_changes(db, r, &p, bsn_seed);
    if (rc == PORTAL_OK && p.left) {
        wf_change_input in = {0};
        rc = demo_change(db, &p, "termination", p.end, &in);
    }
    return rc;
}

portal_result demo_participants_seed(db_conn *db, const char *scheme_id, int count, unsigned seed)
{
    if (count < 0 || count > DEMO_PARTICIPANTS_MAX)
        return PORTAL_ERR_INVALID;
    participants_demo_scheme scheme;
    portal_result rc = participants_demo_scheme_get(db, scheme_id, &scheme);
    if (rc != PORTAL_OK)
        return rc;
    if (scheme.existing >= count)
        return PORTAL_OK;
    civil_date today = {2026, 1, 1};
    (void)civil_date_amsterdam_today(time(NULL), &today);
    demo_rng rng = {seed * 2654435761u + 0x9E3779B9u + (uint32_t)scheme.existing};
    if (rng.state == 0)
        rng.state = 1;
    uint32_t bsn_seed = (seed % 9u) * 1000000u + (uint32_t)scheme.existing * 4u;
    int pending_done = scheme.pending_review;
    for (int i = scheme.existing; i < count && rc == PORTAL_OK; i++) {
        rc = demo_participant(db, scheme_id, scheme.pension, &rng, &bsn_seed, today, !pending_done);
        pending_done = 1;
    }
    return rc;
}
