-- 0013_account_care_retention: who answers for an organisation's accounts,
-- and how long former participants stay fully visible (AVG).
--
--  * organisations.main_administrator_id: the main administrator (seed 003's
--    master user). NULL: the longest-serving active administrator is.
--  * users.responsible_user_id: for an external user (expires_at set), the
--    administrator who answers for them once responsibility was handed over;
--    NULL: whoever invited them (audit event user.invited), or else the main
--    administrator.
--  * schemes.former_participant_months: how long after the end of employment
--    a dormant or ended participant stays visible with every field to
--    employer and office users; after it they see only participant_number,
--    display_name, birth_date, employment_start, employment_end and status.
--  * schemes.pseudonymise_after_months: the legal period after which personal
--    data no rule requires to keep is pseudonymised (NULL: never, the
--    default).
--  * participants.retention_limited_at / pseudonymised_at: when the
--    housekeeping job recorded that a participant passed each limit.

ALTER TABLE organisations ADD COLUMN main_administrator_id uuid REFERENCES users (id);
ALTER TABLE users ADD COLUMN responsible_user_id uuid REFERENCES users (id);

ALTER TABLE schemes
    ADD COLUMN former_participant_months integer NOT NULL DEFAULT 12
        CHECK (former_participant_months BETWEEN 0 AND 1200),
    ADD COLUMN pseudonymise_after_months integer
        CHECK (pseudonymise_after_months BETWEEN 1 AND 2400);

ALTER TABLE participants
    ADD COLUMN retention_limited_at timestamptz,
    ADD COLUMN pseudonymised_at timestamptz;

-- 1 when a participant in this state is past the scheme's limit on p_day:
-- dormant (pension) or ended (income), with an end of employment more than
-- former_participant_months before p_day.
CREATE FUNCTION portal_participant_restricted(p_scheme uuid, p_status text, p_end date,
                                              p_day date DEFAULT current_date)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT p_status IN ('dormant', 'ended') AND p_end IS NOT NULL
       AND EXISTS (SELECT 1 FROM schemes s WHERE s.id = p_scheme
                     AND p_end + make_interval(months => s.former_participant_months) < p_day)
$$;

-- The organisation's main administrator: the one named while active, else
-- the longest-serving active (internal) administrator; NULL when none.
CREATE FUNCTION portal_main_administrator(p_org uuid) RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT m.id FROM organisations o JOIN users m ON m.id = o.main_administrator_id
          WHERE o.id = p_org AND m.deleted_at IS NULL AND m.status = 'active'),
        (SELECT a.id FROM users a JOIN user_rights r ON r.user_id = a.id
            AND r.right_id = 'user_management'
          WHERE a.organisation_id = p_org AND a.deleted_at IS NULL AND a.status = 'active'
            AND a.expires_at IS NULL
          ORDER BY a.created_at, a.id LIMIT 1))
$$;

-- {id, name} of a user, or NULL.
CREATE FUNCTION portal_user_ref(p_id uuid) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', u.id, 'name', u.first_name || ' ' || u.last_name)
      FROM users u WHERE u.id = p_id
$$;

-- Who invited a user (audit event user.invited), or NULL.
CREATE FUNCTION portal_user_inviter(p_id uuid) RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT e.actor_user_id FROM audit_events e
     WHERE e.action = 'user.invited' AND e.target_type = 'user' AND e.target_id = p_id::text
     ORDER BY e.id LIMIT 1
$$;

-- Who answers for an external user: the one named, else the inviter when
-- an active user of the same organisation, else the main administrator.
CREATE FUNCTION portal_user_responsible(p_id uuid) RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT coalesce(u.responsible_user_id,
                    (SELECT i.id FROM users i WHERE i.id = portal_user_inviter(u.id)
                        AND i.organisation_id = u.organisation_id AND i.deleted_at IS NULL
                        AND i.status = 'active'),
                    portal_main_administrator(u.organisation_id))
      FROM users u WHERE u.id = p_id AND u.expires_at IS NOT NULL
$$;

-- The participant's latest state as now believed: the period holding today,
-- else the last one.
CREATE FUNCTION portal_participant_latest(p_participant uuid)
RETURNS TABLE (scheme_id uuid, status text, employment_end date)
LANGUAGE sql STABLE AS $$
    SELECT pp.scheme_id, pp.status, pp.employment_end FROM participant_periods pp
     WHERE pp.participant_id = p_participant AND pp.superseded_at IS NULL
     ORDER BY pp.valid @> current_date DESC, lower(pp.valid) DESC LIMIT 1
$$;

-- 1 when the participant, as now believed, is a former participant past
-- the scheme's former_participant_months: employer and office users then
-- see only participant_number, display_name, birth_date, employment_start,
-- employment_end and status.
CREATE FUNCTION portal_participant_restricted_now(p_participant uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT portal_participant_restricted(l.scheme_id, l.status, l.employment_end)
                       FROM portal_participant_latest(p_participant) l), false)
$$;

-- The detail JSON of participants_detail_json reduced to what employer and
-- office users see of a former participant past the limit.
CREATE FUNCTION portal_participant_reduced(p_detail jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object(
        'id', p_detail -> 'id', 'scheme_id', p_detail -> 'scheme_id',
        'scheme', p_detail -> 'scheme', 'participant_number', p_detail -> 'participant_number',
        'status', p_detail -> 'status', 'as_of', p_detail -> 'as_of',
        'display_name', p_detail -> 'display_name',
        'person', jsonb_build_object('birth_date', p_detail #> '{person,birth_date}'),
        'employment', jsonb_build_object('start_date', p_detail #> '{employment,start_date}',
                                         'end_date', p_detail #> '{employment,end_date}'),
        'restricted', true,
        'valid_from', p_detail -> 'valid_from', 'valid_until', p_detail -> 'valid_until',
        'registered_at', p_detail -> 'registered_at')
$$;

-- Exports keep to the same rule: a former participant past the limit shows
-- only the allowed columns, unless p_full_view (insurer staff). The former
-- participants past the limit are found once, from the periods holding
-- today (a dormant or ended period runs on without end).
DROP FUNCTION portal_export_rows(uuid[], date, boolean);
CREATE FUNCTION portal_export_rows(p_scheme_ids uuid[], p_as_of date, p_full_bsn boolean,
                                   p_full_view boolean DEFAULT false)
RETURNS TABLE (participant_number text, display_name text, bsn text, birth_date date,
               gender text, employment_start date, employment_end date, salary numeric,
               parttime_percentage numeric, status text, scheme_number text, scheme_name text)
LANGUAGE sql STABLE AS $$
    WITH restricted AS MATERIALIZED (
        SELECT DISTINCT now_p.participant_id FROM participant_periods now_p
          JOIN schemes rs ON rs.id = now_p.scheme_id
         WHERE NOT p_full_view AND now_p.scheme_id = ANY (p_scheme_ids)
           AND now_p.superseded_at IS NULL AND now_p.valid @> current_date
           AND now_p.status IN ('dormant', 'ended') AND now_p.employment_end IS NOT NULL
           AND now_p.employment_end + make_interval(months => rs.former_participant_months)
               < current_date)
    SELECT portal_export_safe(p.participant_number), portal_export_safe(p.display_name),
           CASE WHEN r.participant_id IS NOT NULL THEN NULL
                WHEN p_full_bsn THEN pt.bsn ELSE '*****' || right(pt.bsn, 4) END,
           p.birth_date, CASE WHEN r.participant_id IS NOT NULL THEN NULL ELSE p.gender END,
           p.employment_start, p.employment_end,
           CASE WHEN r.participant_id IS NOT NULL THEN NULL ELSE p.salary END,
           CASE WHEN r.participant_id IS NOT NULL THEN NULL ELSE p.parttime_percentage END,
           p.status, portal_export_safe(s.number), portal_export_safe(s.name)
      FROM participant_periods p
      JOIN participants pt ON pt.id = p.participant_id
      JOIN schemes s ON s.id = p.scheme_id
      LEFT JOIN restricted r ON r.participant_id = p.participant_id
     WHERE p.scheme_id = ANY (p_scheme_ids) AND p.superseded_at IS NULL AND p.valid @> p_as_of
       AND p.status <> 'rejected'
     ORDER BY s.number, p.number_key, p.participant_id
$$;
