/* store/rights_catalogue.c: see rights_catalogue.h. */
#include "store/rights_catalogue.h"
#include "store/db_values.h"

#include <stdlib.h>
#include <string.h>

portal_result rights_catalogue_json(db_conn *db, const char *organisation_kind, char **json)
{
    const char *params[] = {organisation_kind};
    *json = NULL;
    return db_query_text(
        db,
        "SELECT json_build_object('items', coalesce((SELECT json_agg(json_build_object("
        " 'id', id, 'label', json_build_object('nl', label_nl, 'en', label_en),"
        " 'description', json_build_object('nl', description_nl, 'en', description_en),"
        " 'licensable', licensable) ORDER BY sort_order) FROM rights"
        " WHERE organisation_kind = $1), '[]'),"
        " 'rules', coalesce((SELECT json_agg(json_build_object('kind', kind, 'rights', rights,"
        " 'requires', requires, 'description', json_build_object('nl', description_nl,"
        " 'en', description_en)) ORDER BY id) FROM right_rules WHERE organisation_kind = $1),"
        " '[]'))::text",
        1, params, json);
}
