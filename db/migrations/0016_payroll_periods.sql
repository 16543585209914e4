-- 0016_payroll_periods: the payroll sync (DESIGN.md §4.7). Payroll software
-- sends, per scheme, the whole state of a pay period (monthly `2026-11` or
-- four-weekly `2026-P12`): one row per employment. The portal derives the
-- changes against the participants and answers per employment.
--
--  * payroll_periods: one row per scheme and period key, with the period's
--    first and last day, the SHA-256 of the canonical body last received
--    (an identical resend is a no-op), the revision (bumped by every resend
--    that differs), status processing | processed | failed, and the counts of
--    the feedback. A resend replaces the period: the rows of the new revision
--    are compared with the participants as valid in the period, and the
--    earlier revision's rows stay for the comparison (a row equal to its
--    earlier row that was accepted or unchanged is unchanged again).
--  * payroll_period_rows: the snapshot, one row per employment and revision,
--    every value as text exactly as received (so a rejected row is kept as
--    sent); the naverrekening reads the latest revision's rows that were not
--    rejected (their values then passed the rules, so the casts hold).
--  * payroll_feedback: the answer per employment and revision: accepted
--    (with the changes derived), unchanged or rejected (a stable code and a
--    message). Like the rows, the latest two revisions are kept.
--
-- The capability payroll_sync (PUT of a period) goes with the rights that
-- change participants and send collective changes (staff, user_management,
-- hr); mandated offices with read_write get it through hr. Reading the
-- periods needs participants.read.

UPDATE rights SET capabilities = array_append(capabilities, 'payroll_sync')
 WHERE (organisation_kind, id) IN (('insurer', 'staff'), ('employer', 'user_management'),
                                   ('employer', 'hr'))
   AND NOT 'payroll_sync' = ANY (capabilities);

CREATE TABLE payroll_periods (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    scheme_id     uuid NOT NULL REFERENCES schemes (id),
    period        text NOT NULL CHECK (period ~ '^[0-9]{4}-((0[1-9]|1[0-2])|P(0[1-9]|1[0-3]))$'),
    year          integer NOT NULL,
    period_start  date NOT NULL,
    period_end    date NOT NULL CHECK (period_end >= period_start),
    body_hash     text NOT NULL,
    revision      integer NOT NULL DEFAULT 1,
    status        text NOT NULL CHECK (status IN ('processing', 'processed', 'failed')),
    employments   integer NOT NULL DEFAULT 0,
    accepted      integer NOT NULL DEFAULT 0,
    unchanged     integer NOT NULL DEFAULT 0,
    rejected      integer NOT NULL DEFAULT 0,
    lang          text NOT NULL DEFAULT 'nl',
    received_at   timestamptz NOT NULL DEFAULT now(),
    received_by   uuid REFERENCES users (id),
    received_by_token uuid REFERENCES api_tokens (id),
    processed_at  timestamptz,
    UNIQUE (scheme_id, period)
);
CREATE INDEX payroll_periods_list ON payroll_periods (scheme_id, period DESC);
CREATE INDEX payroll_periods_year ON payroll_periods (scheme_id, year);

CREATE TABLE payroll_period_rows (
    period_id            uuid NOT NULL REFERENCES payroll_periods (id) ON DELETE CASCADE,
    revision             integer NOT NULL,
    seq                  integer NOT NULL,
    personnel_number     text,
    employment_number    text,
    bsn                  text,
    first_name           text,
    initials             text,
    surname_prefix       text,
    surname              text,
    birth_date           text,
    gender               text,
    street               text,
    house_number         text,
    postal_code          text,
    city                 text,
    country              text,
    start_date           text,
    end_date             text,
    salary               text,
    parttime_percentage  text,
    hours                text,
    insured_wage         text,
    PRIMARY KEY (period_id, revision, seq)
);
CREATE INDEX payroll_period_rows_bsn ON payroll_period_rows (period_id, revision, bsn);

CREATE TABLE payroll_feedback (
    period_id          uuid NOT NULL REFERENCES payroll_periods (id) ON DELETE CASCADE,
    revision           integer NOT NULL,
    seq                integer NOT NULL,
    personnel_number   text,
    employment_number  text,
    name               text,
    participant_id     uuid REFERENCES participants (id),
    result             text NOT NULL CHECK (result IN ('accepted', 'unchanged', 'rejected')),
    changes            text[] NOT NULL DEFAULT '{}',
    code               text,
    message            text,
    PRIMARY KEY (period_id, revision, seq),
    CHECK ((result = 'rejected') = (code IS NOT NULL))
);

-- The payroll sync's set-based path for the usual month: salary and
-- part-time changes the sync already decided are processed at once (dated
-- within the window, on an active participant, nothing awaiting review,
-- values checked by the same rules as an individual change, the caller's
-- payroll_sync and participants.write checked once for the scheme). As
-- portal_batch_apply does for a collective change: the participants are
-- locked in id order, those no longer active on the date (a change came in
-- between) are left out for the caller to apply one by one, the changes are
-- inserted in one statement, a participant whose period on the date is its
-- last has that period replaced by its two parts (what
-- portal_participant_rebuild() would derive, without re-deriving the
-- periods that do not change), anyone else is rebuilt in full, and each
-- change is audited as participant.change_registered, as the individual use
-- case records it. p_rows: [{participant_id, effective_date, payload}], one
-- per participant. Returns the participants applied with their change ids.
-- Planner: per chunk row an index probe of participant_periods (by
-- participant, the current period on the date), the changes inserted and
-- joined back to the chunk by hash (the chunk is analysed first).
CREATE FUNCTION portal_payroll_salary_apply(p_scheme uuid, p_rows jsonb, p_kind text, p_user uuid,
                                            p_token uuid, p_label text, p_audit_label text,
                                            p_request_id text, p_client text)
RETURNS TABLE (participant_id uuid, change_id uuid)
LANGUAGE plpgsql
-- Right after a large period the statistics still describe the scheme
-- before it; without these the planner may read participant_periods whole
-- once per chunk row. Hash joins stay allowed (the chunk has no index).
SET enable_seqscan = off SET jit = off
AS $$
#variable_conflict use_column
DECLARE
    v_now   timestamptz := clock_timestamp();
    v_org   uuid;
    v_label text;
BEGIN
    SELECT s.organisation_id INTO v_org FROM schemes s WHERE s.id = p_scheme;
    v_label := coalesce(p_label, (SELECT t.name FROM api_tokens t WHERE t.id = p_token),
                        (SELECT u.first_name || ' ' || u.last_name
                                || CASE WHEN o.kind = 'intermediary' THEN ' (' || o.name || ')' ELSE '' END
                           FROM users u JOIN organisations o ON o.id = u.organisation_id
                          WHERE u.id = p_user), '');
    PERFORM 1 FROM participants p
     WHERE p.id IN (SELECT (e ->> 'participant_id')::uuid FROM jsonb_array_elements(p_rows) e)
     ORDER BY p.id FOR UPDATE;
    CREATE TEMP TABLE IF NOT EXISTS payroll_chunk (pid uuid, cid uuid, eff date, payload jsonb,
                                                   fast boolean) ON COMMIT DROP;
    TRUNCATE payroll_chunk;
    INSERT INTO payroll_chunk (pid, eff, payload, fast)
    SELECT r.pid, r.eff, r.payload,
           EXISTS (SELECT 1 FROM participant_periods x
                    WHERE x.participant_id = r.pid AND x.superseded_at IS NULL
                      AND x.valid @> r.eff AND upper(x.valid) IS NULL)
      FROM (SELECT (e ->> 'participant_id')::uuid AS pid, (e ->> 'effective_date')::date AS eff,
                   e -> 'payload' AS payload FROM jsonb_array_elements(p_rows) e) r
      JOIN participants p ON p.id = r.pid AND p.scheme_id = p_scheme
     WHERE EXISTS (SELECT 1 FROM participant_periods x
                    WHERE x.participant_id = r.pid AND x.superseded_at IS NULL
                      AND x.valid @> r.eff AND x.status IN ('active', 'pending_review')
                      AND (x.employment_end IS NULL OR x.employment_end >= r.eff))
       AND NOT EXISTS (SELECT 1 FROM participant_changes c
                        WHERE c.participant_id = r.pid AND c.type = 'termination'
                          AND c.status = 'pending_review' AND c.effective_date < r.eff);
    -- A temporary table has no statistics until analysed: without them the
    -- joins below would be nested loops over 10,000 x 10,000 rows.
    ANALYZE payroll_chunk;
    WITH ins AS (
        INSERT INTO participant_changes (participant_id, scheme_id, type, effective_date,
               registered_at, registered_by_kind, registered_by_user_id, registered_by_token_id,
               registered_by_label, status, review_reasons, payload)
        SELECT c.pid, p_scheme, 'salary_change', c.eff, clock_timestamp(), p_kind, p_user, p_token,
               v_label, 'processed', '{}', c.payload
          FROM payroll_chunk c ORDER BY c.pid
        RETURNING id, participant_changes.participant_id AS pid)
    UPDATE payroll_chunk c SET cid = ins.id FROM ins WHERE ins.pid = c.pid;
    WITH old AS (
        UPDATE participant_periods x SET superseded_at = v_now
          FROM payroll_chunk c
         WHERE c.fast AND x.participant_id = c.pid AND x.superseded_at IS NULL
           AND x.valid @> c.eff AND upper(x.valid) IS NULL
        RETURNING x.*, c.eff AS eff, c.payload AS new_values)
    INSERT INTO participant_periods (participant_id, scheme_id, participant_number, valid,
           first_period, registered_at, status, first_name, initials, surname_prefix, surname,
           display_name, birth_date, gender, email, address, employment_start, employment_end,
           salary, parttime_percentage, partner, children)
    SELECT o.participant_id, o.scheme_id, o.participant_number, daterange(lower(o.valid), o.eff),
           o.first_period, v_now, o.status, o.first_name, o.initials, o.surname_prefix, o.surname,
           o.display_name, o.birth_date, o.gender, o.email, o.address, o.employment_start,
           o.employment_end, o.salary, o.parttime_percentage, o.partner, o.children
      FROM old o WHERE lower(o.valid) < o.eff
    UNION ALL
    SELECT o.participant_id, o.scheme_id, o.participant_number, daterange(o.eff, NULL),
           o.first_period AND lower(o.valid) = o.eff, v_now, o.status, o.first_name, o.initials,
           o.surname_prefix, o.surname, o.display_name, o.birth_date, o.gender, o.email,
           o.address, o.employment_start, o.employment_end,
           coalesce((o.new_values ->> 'salary')::numeric, o.salary),
           coalesce((o.new_values ->> 'parttime_percentage')::numeric, o.parttime_percentage),
           o.partner, o.children
      FROM old o;
    UPDATE participants p SET version = version + 1 FROM payroll_chunk c WHERE p.id = c.pid;
    PERFORM portal_participant_rebuild(c.pid) FROM payroll_chunk c WHERE NOT c.fast;
    INSERT INTO audit_events (actor_user_id, actor_token_id, actor_label, organisation_id, action,
           target_type, target_id, request_id, client_address, changes)
    SELECT p_user, p_token, p_audit_label, v_org, 'participant.change_registered', 'participant',
           c.pid::text, nullif(p_request_id, ''), nullif(p_client, ''),
           jsonb_build_object('change_id', jsonb_build_object('from', NULL, 'to', c.cid),
                              'type', jsonb_build_object('from', NULL, 'to', 'salary_change'),
                              'effective_date', jsonb_build_object('from', NULL, 'to', c.eff),
                              'status', jsonb_build_object('from', NULL, 'to', 'processed'))
           || CASE WHEN c.payload ? 'salary' THEN jsonb_build_object('salary',
                   jsonb_build_object('from', NULL, 'to', c.payload -> 'salary')) ELSE '{}' END
           || CASE WHEN c.payload ? 'parttime_percentage' THEN jsonb_build_object('parttime_percentage',
                   jsonb_build_object('from', NULL, 'to', c.payload -> 'parttime_percentage')) ELSE '{}' END
      FROM payroll_chunk c ORDER BY c.pid;
    RETURN QUERY SELECT c.pid, c.cid FROM payroll_chunk c;
END;
$$;
