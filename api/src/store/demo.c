/* store/demo.c: see demo.h. */
#include "store/demo.h"

#include <stdio.h>
#include <string.h>

static const demo_user DEMO_INSURER[] = {
    {"staff.demo", "Sanne", "de Vries", "sanne.devries@verzekeraar.example", "{staff}"},
    {NULL, NULL, NULL, NULL, NULL}};
static const demo_user DEMO_EMPLOYER[] = {
    {"werkgever.beheer", "Anna", "Bakker", "anna.bakker@korenbloem.example", "{user_management}"},
    {"werkgever.hr", "Henk", "Visser", "henk.visser@korenbloem.example", "{hr}"},
    {"werkgever.hrlezen", "Ilse", "Smit", "ilse.smit@korenbloem.example", "{hr_read}"},
    {"werkgever.finance", "Fatima", "El Amrani", "fatima.elamrani@korenbloem.example", "{finance}"},
    {NULL, NULL, NULL, NULL, NULL}};
static const demo_user DEMO_OFFICE[] = {
    {"adviseur.beheer", "Bram", "van Dijk", "bram.vandijk@adviesbureau-zuid.example",
     "{user_management,advieskansen,inkomensverzekering,pensioenverzekering,"
     "premiepensioenvorderingen,klantbeeld,financieel_rekening_courant}"},
    {NULL, NULL, NULL, NULL, NULL}};

static const demo_user ALL_USERS[] = {
    {"staff.demo", "Sanne", "de Vries", "sanne.devries@verzekeraar.example", "{staff}"},
    {"werkgever.beheer", "Anna", "Bakker", "anna.bakker@korenbloem.example", "{user_management}"},
    {"werkgever.hr", "Henk", "Visser", "henk.visser@korenbloem.example", "{hr}"},
    {"werkgever.hrlezen", "Ilse", "Smit", "ilse.smit@korenbloem.example", "{hr_read}"},
    {"werkgever.finance", "Fatima", "El Amrani", "fatima.elamrani@korenbloem.example", "{finance}"},
    {"adviseur.beheer", "Bram", "van Dijk", "bram.vandijk@adviesbureau-zuid.example",
     "{user_management,advieskansen,inkomensverzekering,pensioenverzekering,"
     "premiepensioenvorderingen,klantbeeld,financieel_rekening_courant}"},
    {NULL, NULL, NULL, NULL, NULL}};

const demo_user *demo_users(void)
{
    return ALL_USERS;
}

static portal_result one_id(db_conn *db, const char *sql, int n, const char *const *params,
                            char out[PORTAL_ID_LEN])
{
    PGresult *res = db_query(db, sql, n, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    portal_result rc = PQntuples(res) == 1 ? PORTAL_OK : PORTAL_ERR_NOT_FOUND;
    if (rc == PORTAL_OK)
        snprintf(out, PORTAL_ID_LEN, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

static portal_result demo_add_users(db_conn *db, const char *org_id, const demo_user *users,
                                    const char *hash)
{
    for (int i = 0; users[i].username; i++) {
        const char *params[] = {org_id,         users[i].first_name, users[i].last_name,
                                users[i].email, users[i].username,   hash,
                                users[i].rights};
        if (db_exec(db,
                    "WITH u AS (INSERT INTO users (organisation_id, first_name, last_name, email,"
                    " username, password_hash, status) VALUES ($1::uuid, $2, $3, $4, $5, $6,"
                    " 'active') RETURNING id)"
                    " INSERT INTO user_rights (user_id, right_id)"
                    " SELECT u.id, r FROM u, unnest($7::text[]) r",
                    7, params) != PORTAL_OK)
            return PORTAL_ERR_DATABASE;
    }
    return PORTAL_OK;
}

portal_result demo_seed(db_conn *db, const char *password_hash, demo_result *out)
{
    memset(out, 0, sizeof *out);
    const char *kvk[] = {DEMO_EMPLOYER_KVK};
    if (one_id(db,
               "SELECT id FROM organisations WHERE kind = 'employer' AND registration_number = $1",
               1, kvk, out->employer_id) == PORTAL_OK) {
        const char *p[] = {out->employer_id};
        one_id(db, "SELECT id FROM schemes WHERE organisation_id = $1::uuid AND kind = 'pension'",
               1, p, out->pension_scheme_id);
        one_id(db, "SELECT id FROM schemes WHERE organisation_id = $1::uuid AND kind = 'income'", 1,
               p, out->income_scheme_id);
        return PORTAL_OK;
    }
    out->created = 1;
    char insurer[PORTAL_ID_LEN], office[PORTAL_ID_LEN];
    const char *ins[] = {"Verzekeraar N.V."};
    portal_result rc = one_id(db,
                              "WITH i AS (INSERT INTO organisations (kind, name) VALUES"
                              " ('insurer', $1) ON CONFLICT ((kind)) WHERE kind = 'insurer' DO"
                              " NOTHING RETURNING id) SELECT id FROM i UNION ALL SELECT id FROM"
                              " organisations WHERE kind = 'insurer' LIMIT 1",
                              1, ins, insurer);
    if (rc == PORTAL_OK)
        rc = one_id(
            db,
            "INSERT INTO organisations (kind, name, registration_number, visiting_address,"
            " notification_email, licences) VALUES ('intermediary', 'Adviesbureau Zuid B.V.',"
            " '87654321', '{\"street\":\"Markt\",\"house_number\":\"12\",\"postal_code\":"
            "\"5611 EB\",\"city\":\"Eindhoven\",\"country\":\"NL\"}',"
            " 'info@adviesbureau-zuid.example', '{inkomensverzekering,pensioenverzekering,"
            "premiepensioenvorderingen,schadeverzekeringen_particulier}') RETURNING id",
            0, NULL, office);
    if (rc == PORTAL_OK) {
        const char *p[] = {DEMO_EMPLOYER_KVK, office};
        rc = one_id(
            db,
            "INSERT INTO organisations (kind, name, registration_number, postal_address,"
            " visiting_address, contact_person, notification_email, advisor_id)"
            " VALUES ('employer', 'Bakkerij De Korenbloem B.V.', $1,"
            " '{\"street\":\"Postbus\",\"house_number\":\"761\",\"postal_code\":\"3000 AT\","
            "\"city\":\"Rotterdam\",\"country\":\"NL\"}',"
            " '{\"street\":\"Coolsingel\",\"house_number\":\"120\",\"postal_code\":\"3011 AG\","
            "\"city\":\"Rotterdam\",\"country\":\"NL\"}',"
            " '{\"name\":\"Anna Bakker\",\"email\":\"anna.bakker@korenbloem.example\","
            "\"phone\":\"010-1234567\"}', 'hr@korenbloem.example', $2::uuid) RETURNING id",
            2, p, out->employer_id);
    }
    if (rc == PORTAL_OK) {
        const char *p[] = {out->employer_id};
        rc = one_id(
            db,
            "INSERT INTO schemes (organisation_id, name, number, kind, start_date, coverages,"
            " premium) VALUES ($1::uuid, 'Pensioenregeling Korenbloem', 'PR-2001', 'pension',"
            " '2019-01-01', '[{\"name\":\"Ouderdomspensioen\",\"description\":\"Middelloon,"
            " opbouw per jaar\",\"figures\":{\"accrual_rate\":\"1.875\","
            "\"franchise\":\"17545.00\"}},{\"name\":\"Partnerpensioen\",\"description\":"
            "\"70% van het ouderdomspensioen\",\"figures\":{\"percentage\":\"70.000\"}}]',"
            " '{\"employer_share\":\"66.667\",\"frequency\":\"monthly\"}') RETURNING id",
            1, p, out->pension_scheme_id);
    }
    if (rc == PORTAL_OK) {
        const char *p[] = {out->employer_id};
        rc = one_id(db,
                    "INSERT INTO schemes (organisation_id, name, number, kind, start_date,"
                    " coverages, premium, variant, insured_wage_type) VALUES ($1::uuid,"
                    " 'Verzuimverzekering Korenbloem', 'VZ-3001', 'income', '2021-01-01',"
                    " '[{\"name\":\"Loondoorbetaling bij ziekte\",\"description\":\"Eerste en"
                    " tweede ziektejaar\",\"figures\":{\"insured_percentage\":\"100.000\","
                    "\"waiting_days\":\"14\"}}]', '{\"rate\":\"2.350\"}', 'stop_loss',"
                    " 'uniform_wage') RETURNING id",
                    1, p, out->income_scheme_id);
    }
    if (rc == PORTAL_OK)
        rc = demo_add_users(db, insurer, DEMO_INSURER, password_hash);
    if (rc == PORTAL_OK)
        rc = demo_add_users(db, out->employer_id, DEMO_EMPLOYER, password_hash);
    if (rc == PORTAL_OK)
        rc = demo_add_users(db, office, DEMO_OFFICE, password_hash);
    if (rc == PORTAL_OK) {
        const char *p[] = {out->employer_id, office, out->pension_scheme_id, out->income_scheme_id};
        rc = db_exec(db,
                     "WITH m AS (INSERT INTO mandates (employer_id, intermediary_id, access)"
                     " VALUES ($1::uuid, $2::uuid, 'read_write') RETURNING id)"
                     " INSERT INTO mandate_schemes (mandate_id, scheme_id)"
                     " SELECT m.id, s FROM m, unnest(ARRAY[$3::uuid, $4::uuid]) s",
                     4, p);
    }
    return rc;
}
