-- 0022_rebuild_keeps_unchanged_periods: a rebuild supersedes only the
-- periods it derives differently, and inserts only the ones it derives anew.
--
-- portal_participant_rebuild() (0004) superseded every current period of the
-- participant and inserted every derived one again, also those that came out
-- the same: a salary change dated in the last period of a participant with
-- three periods superseded three and inserted four, each insert a dozen index
-- entries (the eight list indexes, the trigram index, the exclusion
-- constraint, the key and the history index). At 1,000,000 participants
-- those index pages no longer stay in memory and the cost of a change grew
-- with the size of the data set (bench/README.md, "Scale").
--
-- What changes: the derivation is the same loop as in 0004; then
--   1. the current periods that no derived period equals in every column a
--      derivation decides (valid range, first_period, status, person,
--      employment, partner, children) are superseded, and
--   2. the derived periods that no remaining current period equals are
--      inserted.
-- A period kept keeps its registered_at. The bitemporal answers do not move:
-- "as known at T" takes the rows with registered_at <= T and superseded_at
-- NULL or after T, and a kept row answers for every T from its
-- registered_at on, as the superseded original and its copy did together.
-- The same salary change now supersedes one period and inserts two, what the
-- set-based split of collective changes and the payroll sync writes
-- (portal_period_split, 0021). A participant's version still moves with
-- every rebuild.
-- Whether two periods of one participant say the same: every column a
-- derivation decides (not the id, the participant, scheme and number, nor
-- the transaction times). A SQL function the planner inlines, so each use
-- is the row comparison itself.
CREATE FUNCTION portal_period_same(a participant_periods, b participant_periods) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT (a.valid, a.first_period, a.status, a.first_name, a.initials, a.surname_prefix,
            a.surname, a.display_name, a.birth_date, a.gender, a.email, a.address,
            a.employment_start, a.employment_end, a.salary, a.parttime_percentage, a.partner,
            a.children)
           IS NOT DISTINCT FROM
           (b.valid, b.first_period, b.status, b.first_name, b.initials, b.surname_prefix,
            b.surname, b.display_name, b.birth_date, b.gender, b.email, b.address,
            b.employment_start, b.employment_end, b.salary, b.parttime_percentage, b.partner,
            b.children)
$$;

CREATE OR REPLACE FUNCTION portal_participant_rebuild(p_participant uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_scheme   uuid;
    v_number   text;
    v_kind     text;
    v_initial  uuid;
    v_now      timestamptz := clock_timestamp();
    v_have     boolean := false;
    v_from     date;
    v_rows     participant_periods[] := '{}';
    s          participant_periods%ROWTYPE;
    c          record;
BEGIN
    SELECT p.scheme_id, p.participant_number, sc.kind INTO v_scheme, v_number, v_kind
      FROM participants p JOIN schemes sc ON sc.id = p.scheme_id
     WHERE p.id = p_participant;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'participant % does not exist', p_participant USING ERRCODE = 'no_data_found';
    END IF;
    SELECT id INTO v_initial FROM participant_changes
     WHERE participant_id = p_participant AND type = 'registration'
     ORDER BY registered_at, seq LIMIT 1;

    FOR c IN
        SELECT ch.type, ch.status, ch.effective_date, ch.payload,
               CASE WHEN ch.type = 'termination' THEN ch.effective_date + 1
                    ELSE ch.effective_date END AS from_date
          FROM participant_changes ch
         WHERE ch.participant_id = p_participant
           AND (ch.status = 'processed'
                OR (ch.type = 'registration' AND ch.status = 'pending_review')
                OR (ch.id = v_initial AND ch.status = 'rejected'))
         ORDER BY from_date, ch.registered_at, ch.seq
    LOOP
        IF NOT v_have AND c.type <> 'registration' THEN
            CONTINUE; -- nothing to change before the participant exists
        END IF;
        v_from := c.from_date;
        IF NOT v_have THEN
            s.valid := daterange(v_from, NULL);
            s.first_period := true;
            s.children := '[]'::jsonb;
        ELSIF v_from > lower(s.valid) THEN
            s.valid := daterange(lower(s.valid), v_from);
            v_rows := v_rows || s;
            s.valid := daterange(v_from, NULL);
            s.first_period := false;
        END IF;
        v_have := true;
        CASE c.type
        WHEN 'registration' THEN
            s.first_name := c.payload #>> '{person,first_name}';
            s.initials := c.payload #>> '{person,initials}';
            s.surname_prefix := c.payload #>> '{person,surname_prefix}';
            s.surname := c.payload #>> '{person,surname}';
            s.display_name := c.payload ->> 'display_name';
            s.birth_date := (c.payload #>> '{person,birth_date}')::date;
            s.gender := c.payload #>> '{person,gender}';
            s.email := c.payload #>> '{person,email}';
            s.address := c.payload #> '{person,address}';
            s.employment_start := c.effective_date;
            s.employment_end := NULL;
            s.salary := (c.payload #>> '{employment,salary}')::numeric;
            s.parttime_percentage := (c.payload #>> '{employment,parttime_percentage}')::numeric;
            s.status := CASE c.status WHEN 'processed' THEN 'active'
                                      WHEN 'pending_review' THEN 'pending_review'
                                      ELSE 'rejected' END;
        WHEN 'salary_change' THEN
            s.salary := coalesce((c.payload ->> 'salary')::numeric, s.salary);
            s.parttime_percentage := coalesce((c.payload ->> 'parttime_percentage')::numeric,
                                              s.parttime_percentage);
        WHEN 'termination' THEN
            s.employment_end := c.effective_date;
            IF s.status <> 'rejected' THEN
                s.status := CASE v_kind WHEN 'pension' THEN 'dormant' ELSE 'ended' END;
            END IF;
        WHEN 'address_change' THEN
            s.address := c.payload -> 'address';
        WHEN 'partner_registration' THEN
            s.partner := (c.payload -> 'partner')
                         || jsonb_build_object('effective_date', c.effective_date);
        WHEN 'child_registration' THEN
            s.children := s.children || jsonb_build_array((c.payload -> 'child')
                         || jsonb_build_object('effective_date', c.effective_date));
        END CASE;
    END LOOP;

    IF v_have THEN
        v_rows := v_rows || s;
        -- Every period of an employment knows how it ends (a termination
        -- registered ahead of its date, too).
        FOR i IN 1 .. array_length(v_rows, 1) LOOP
            IF v_rows[i].employment_end IS NULL THEN
                s := v_rows[i];
                SELECT max(r2.employment_end) INTO s.employment_end FROM unnest(v_rows) r2
                 WHERE r2.employment_start = s.employment_start;
                v_rows[i] := s;
            END IF;
        END LOOP;
    END IF;

    -- 1. The current periods the derivation no longer gives (all of them
    --    when nothing derives).
    UPDATE participant_periods x SET superseded_at = v_now
     WHERE x.participant_id = p_participant AND x.superseded_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM unnest(v_rows) d WHERE portal_period_same(x, d));
    -- 2. The derived periods no current one equals (the kept ones are the
    --    only current periods left).
    INSERT INTO participant_periods (participant_id, scheme_id, participant_number, valid,
           first_period, registered_at, status, first_name, initials, surname_prefix, surname,
           display_name, birth_date, gender, email, address, employment_start, employment_end,
           salary, parttime_percentage, partner, children)
    SELECT p_participant, v_scheme, v_number, d.valid, d.first_period, v_now, d.status,
           d.first_name, d.initials, d.surname_prefix, d.surname, d.display_name, d.birth_date,
           d.gender, d.email, d.address, d.employment_start, d.employment_end, d.salary,
           d.parttime_percentage, d.partner, d.children
      FROM unnest(v_rows) d
     WHERE NOT EXISTS (SELECT 1 FROM participant_periods x
                        WHERE x.participant_id = p_participant AND x.superseded_at IS NULL
                          AND portal_period_same(x, d));
    UPDATE participants SET version = version + 1 WHERE id = p_participant;
END;
$$;
