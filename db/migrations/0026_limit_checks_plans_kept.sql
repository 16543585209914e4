-- 0026_limit_checks_plans_kept: the former-participant checks that look
-- something up keep their plans for the life of the connection.
--
-- portal_scheme_limit_passed() (migration 0025) and
-- portal_participant_restricted_now() (migration 0013) each have a
-- sub-query, so PostgreSQL cannot inline them, and a SQL function that is
-- not inlined is parsed and planned again in every statement that calls it
-- (PostgreSQL 15 keeps that plan only until the statement ends).
-- - A list page with one dormant or ended participant on it paid that each
--   time: about a fifth of what the page cost PostgreSQL (pgbench on the
--   list's statements at 8 connections: 2,640 pages/s before, 3,250/s
--   after).
-- - The participant detail asks portal_participant_restricted_now() once,
--   and planning its body (with portal_participant_latest() inlined) was
--   a third of the detail's statements' cost (1,160 details/s before,
--   1,820/s after).
-- PL/pgSQL prepares each look-up once per connection and reuses its plan.
-- The rules are unchanged.
CREATE OR REPLACE FUNCTION portal_scheme_limit_passed(p_scheme uuid, p_end date, p_day date)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM schemes s WHERE s.id = p_scheme
                     AND p_end + make_interval(months => s.former_participant_months) < p_day);
END
$$;

CREATE OR REPLACE FUNCTION portal_participant_restricted_now(p_participant uuid)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN coalesce((SELECT portal_participant_restricted(l.scheme_id, l.status, l.employment_end)
                       FROM portal_participant_latest(p_participant) l), false);
END
$$;
