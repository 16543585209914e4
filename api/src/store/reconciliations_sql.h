/*
 * store/reconciliations_sql.h: SQL fragments shared by the reconciliation
 * store files (reconciliations.c, reconciliation_duplicates.c). Private to
 * store/: each fragment is a string literal that becomes part of a constant
 * statement.
 */
#ifndef PORTAL_STORE_RECONCILIATIONS_SQL_H
#define PORTAL_STORE_RECONCILIATIONS_SQL_H

/* The JSON of employee e (full or masked BSN by $2) with its line l. */
#define RECON_EMPLOYEE_JSON                                                                        \
    "json_build_object('id', e.id, 'participant_id', e.participant_id, 'first_name',"              \
    " e.first_name, 'initials', e.initials, 'surname_prefix', e.surname_prefix, 'surname',"        \
    " e.surname, 'display_name', e.display_name, 'birth_date', e.birth_date, 'gender', e.gender,"  \
    " 'bsn', CASE WHEN $2::boolean THEN e.bsn ELSE '*****' || right(e.bsn, 4) END,"                \
    " 'left_service', e.left_service, 'insured_wage', e.insured_wage::text,"                       \
    " 'employments', coalesce((SELECT json_agg(json_build_object('start_date', m.start_date,"      \
    " 'end_date', m.end_date, 'fixed_term', m.fixed_term) ORDER BY m.position)"                    \
    " FROM reconciliation_employments m WHERE m.employee_id = e.id), '[]'::json),"                 \
    " 'line', (SELECT json_build_object('days', l.days, 'prorated_cap', l.prorated_cap::text,"     \
    " 'capped_wage', l.capped_wage::text, 'premium', l.premium::text)"                             \
    " FROM reconciliation_lines l WHERE l.employee_id = e.id), 'seq', e.seq)"

#endif
