-- 0027_restricted_rule_by_months: the former-participant rule as a plain
-- expression over the scheme's months, so that a statement that already
-- knows the scheme can apply it without a function call per row.
--
-- Migration 0026 left one PL/pgSQL look-up per dormant or ended row: on a
-- list page it was still a tenth of what the page cost PostgreSQL, and
-- more on a page with more former participants (pgbench on the list's
-- statements at 8 connections served page 1,000 of the large scheme at
-- 0.91-0.94 of page 1 in benchmark runs 29 and 30).
--
-- portal_participant_restricted_by() holds the rule itself and is inlined
-- wherever it is called. portal_participant_restricted() keeps its
-- signature for the other callers: it passes the months that
-- portal_scheme_former_months() (PL/pgSQL, its plan kept per connection)
-- looks up, and since the inlined rule's AND stops at the status and the
-- end of employment, that look-up still runs only for a dormant or ended
-- participant with an end of employment. The list passes the months from
-- an index probe on schemes instead (store/participants.c). The rule is
-- unchanged: dormant or ended, with an end of employment more than the
-- scheme's months before the day.
CREATE FUNCTION portal_participant_restricted_by(p_status text, p_end date, p_months integer,
                                                 p_day date DEFAULT current_date)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT p_status IN ('dormant', 'ended') AND p_end IS NOT NULL
       AND p_end + make_interval(months => p_months) < p_day
$$;

CREATE FUNCTION portal_scheme_former_months(p_scheme uuid)
RETURNS integer LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT s.former_participant_months FROM schemes s WHERE s.id = p_scheme);
END
$$;

CREATE OR REPLACE FUNCTION portal_participant_restricted(p_scheme uuid, p_status text, p_end date,
                                                         p_day date DEFAULT current_date)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT portal_participant_restricted_by(p_status, p_end, portal_scheme_former_months(p_scheme),
                                            p_day)
$$;

DROP FUNCTION portal_scheme_limit_passed(uuid, date, date);
