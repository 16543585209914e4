-- 0021_shared_registration_apply: one set-based registration and one period
-- split, shared by collective changes and the payroll sync.
--
-- The payroll sync registered a first period's employees one by one through
-- the registration use case, each inside a savepoint (96 s for 10,000
-- employments against 0.47 s for COPY), while collective changes already
-- registered new participants set-based in portal_batch_apply (0019); and
-- portal_payroll_salary_apply (0016) repeated the period split of
-- portal_batch_apply. What changes:
--
--  * portal_registration_apply() is the set-based registration of
--    portal_batch_apply, taken out: numbers handed out in row order from the
--    scheme's counter, the participants, their registrations, their periods
--    and the audit events each one INSERT ... SELECT, a re-hire (a known
--    participant) rebuilt in full. Its rows come as jsonb (the payroll sync
--    builds them in the application; a collective change aggregates its
--    chunk) into a keyed temporary table every statement starts from. Who
--    records the changes and the audit events is a parameter: a collective
--    change records its batch (kind batch, the batch id, audit label batch,
--    the batch id in the audit changes), the payroll sync its caller as the
--    individual use case does (kind, label, request id, client address).
--    A row whose BSN or number is taken meanwhile is skipped with
--    participant_exists and handed back: a collective change records the
--    code, the payroll sync sends the row through the use case.
--    Which rows may come here is the callers' rule, unchanged: a collective
--    change sends every checked row (status and review reasons decided by
--    its check); the payroll sync sends only registrations of a BSN new to
--    the scheme that every rule lets through at once (no review, no
--    refusal: workflows/participants.c decides with the use case's own
--    checks), and takes the BSN's advisory lock as the use case does, since
--    it holds no scheme lock against a web registration of the same BSN.
--
--  * portal_period_split() closes each participant's last period at a date
--    and opens the part from it with new salary and part-time values: what
--    portal_participant_rebuild() derives for a salary change dated in the
--    last period, without re-deriving the periods that do not change. Used
--    by portal_batch_apply and portal_payroll_salary_apply, which are
--    re-created here unchanged otherwise.

-- Registers the rows of p_rows set-based in the caller's transaction.
-- p_rows: [{row_key, participant_id (a re-hire; absent for a new
-- participant), participant_number (absent: the next from the counter),
-- bsn, status (processed | pending_review), review_reasons, effective_date
-- (the start date), payload (as the registration use case stores it)}],
-- row_key unique. Recorder: p_kind, p_user, p_token, p_batch and p_label
-- (NULL: the token's or user's name) as a change records them; p_org (NULL:
-- the scheme's organisation), p_audit_label, p_request_id and p_client as
-- the audit event does. p_lock_bsn takes the use case's advisory lock on
-- each new BSN first. Returns every row: its participant, number and change,
-- or skip = participant_exists (nothing written for it).
CREATE FUNCTION portal_registration_apply(p_scheme uuid, p_rows jsonb, p_kind text, p_user uuid,
                                          p_token uuid, p_batch uuid, p_label text, p_org uuid,
                                          p_audit_label text, p_request_id text, p_client text,
                                          p_lock_bsn boolean)
RETURNS TABLE (row_key integer, participant_id uuid, participant_number text, change_id uuid,
               skip text)
LANGUAGE plpgsql
-- Each join is "a chunk against a big indexed table": a nested loop over
-- the index whatever the statistics say (see 0019).
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
#variable_conflict use_column
DECLARE
    r        record;
    v_number text;
    v_now    timestamptz := clock_timestamp();
    v_org    uuid;
    v_label  text;
BEGIN
    v_org := coalesce(p_org, (SELECT s.organisation_id FROM schemes s WHERE s.id = p_scheme));
    v_label := coalesce(p_label, (SELECT t.name FROM api_tokens t WHERE t.id = p_token),
                        (SELECT u.first_name || ' ' || u.last_name
                                || CASE WHEN o.kind = 'intermediary' THEN ' (' || o.name || ')' ELSE '' END
                           FROM users u JOIN organisations o ON o.id = u.organisation_id
                          WHERE u.id = p_user), '');
    CREATE TEMP TABLE IF NOT EXISTS registration_chunk (
        row_key integer PRIMARY KEY, participant_id uuid, participant_number text, bsn text,
        change_id uuid, status text, review_reasons text[], effective_date date, payload jsonb,
        known boolean, skip text) ON COMMIT DROP;
    CREATE INDEX IF NOT EXISTS registration_chunk_participant ON registration_chunk (participant_id);
    CREATE INDEX IF NOT EXISTS registration_chunk_bsn ON registration_chunk (bsn);
    CREATE INDEX IF NOT EXISTS registration_chunk_number ON registration_chunk (participant_number);
    TRUNCATE registration_chunk;
    INSERT INTO registration_chunk (row_key, participant_id, participant_number, bsn, status,
           review_reasons, effective_date, payload, known)
    SELECT x.row_key, x.participant_id, x.participant_number, x.bsn, x.status,
           coalesce(x.review_reasons, '{}'), x.effective_date, x.payload, x.participant_id IS NOT NULL
      FROM jsonb_to_recordset(p_rows) AS x(row_key integer, participant_id uuid,
           participant_number text, bsn text, status text, review_reasons text[],
           effective_date date, payload jsonb);
    -- A temporary table has no statistics until analysed: without them
    -- the joins of the chunk with itself and with the rows just inserted
    -- read it whole once per row. Again below where numbers and
    -- participants are filled in.
    ANALYZE registration_chunk;

    -- The use case's lock on a new BSN, in BSN order.
    IF p_lock_bsn THEN
        PERFORM pg_advisory_xact_lock(hashtextextended(p_scheme::text || ':' || s.bsn, 0))
           FROM (SELECT c.bsn FROM registration_chunk c WHERE NOT c.known ORDER BY c.bsn) s;
    END IF;
    -- The known participants, locked in id order (as a change locks one).
    PERFORM 1 FROM participants p
     WHERE p.id IN (SELECT c.participant_id FROM registration_chunk c WHERE c.known)
     ORDER BY p.id FOR UPDATE;

    -- A new participant whose BSN or number is taken meanwhile.
    UPDATE registration_chunk c SET skip = 'participant_exists'
     WHERE NOT c.known
       AND (EXISTS (SELECT 1 FROM participants p WHERE p.scheme_id = p_scheme
                      AND p.rejected_at IS NULL AND p.bsn = c.bsn)
            OR EXISTS (SELECT 1 FROM participants p WHERE p.scheme_id = p_scheme
                         AND p.rejected_at IS NULL
                         AND p.participant_number = c.participant_number));
    -- Numbers from the scheme's counter, in row order, passing over a number
    -- an earlier row brings itself (one by one, that row would be registered
    -- by then).
    FOR r IN SELECT c.row_key FROM registration_chunk c
              WHERE NOT c.known AND c.skip IS NULL AND c.participant_number IS NULL
              ORDER BY c.row_key
    LOOP
        LOOP
            v_number := portal_next_participant_number(p_scheme);
            EXIT WHEN NOT EXISTS (SELECT 1 FROM registration_chunk d
                                   WHERE d.participant_number = v_number
                                     AND d.row_key < r.row_key AND d.skip IS NULL);
        END LOOP;
        UPDATE registration_chunk SET participant_number = v_number WHERE row_key = r.row_key;
    END LOOP;
    ANALYZE registration_chunk;
    -- A number handed to an earlier row is taken for a later one, as it
    -- would be one by one.
    UPDATE registration_chunk c SET skip = 'participant_exists'
     WHERE NOT c.known AND c.skip IS NULL
       AND EXISTS (SELECT 1 FROM registration_chunk d
                    WHERE d.participant_number = c.participant_number
                      AND d.row_key < c.row_key AND d.skip IS NULL AND NOT d.known);
    -- A re-hire keeps its number (for the audit event).
    UPDATE registration_chunk c SET participant_number = p.participant_number
      FROM participants p WHERE c.known AND p.id = c.participant_id;
    -- Version 2: created (1) and rebuilt once, as an individual registration.
    WITH ins AS (
        INSERT INTO participants (scheme_id, participant_number, bsn, version)
        SELECT p_scheme, c.participant_number, c.bsn, 2
          FROM registration_chunk c WHERE NOT c.known AND c.skip IS NULL
         ORDER BY c.row_key
        RETURNING id, bsn)
    UPDATE registration_chunk c SET participant_id = ins.id
      FROM ins WHERE NOT c.known AND c.skip IS NULL AND c.bsn = ins.bsn;
    ANALYZE registration_chunk;

    -- The registrations, in row order (registered_at follows it).
    WITH ins AS (
        INSERT INTO participant_changes (participant_id, scheme_id, type, effective_date,
               registered_at, registered_by_kind, registered_by_user_id, registered_by_token_id,
               registered_by_batch_id, registered_by_label, status, review_reasons, payload)
        SELECT c.participant_id, p_scheme, 'registration', c.effective_date, clock_timestamp(),
               p_kind, p_user, p_token, p_batch, v_label, c.status, c.review_reasons, c.payload
          FROM registration_chunk c WHERE c.skip IS NULL
         ORDER BY c.row_key
        RETURNING id, participant_changes.participant_id AS pid)
    UPDATE registration_chunk c SET change_id = ins.id
      FROM ins WHERE c.skip IS NULL AND ins.pid = c.participant_id;

    -- A new participant: one period from the start date, the values of its
    -- registration (what portal_participant_rebuild() derives for it).
    INSERT INTO participant_periods (participant_id, scheme_id, participant_number, valid,
           first_period, registered_at, status, first_name, initials, surname_prefix, surname,
           display_name, birth_date, gender, email, address, employment_start, employment_end,
           salary, parttime_percentage, partner, children)
    SELECT c.participant_id, p_scheme, c.participant_number, daterange(c.effective_date, NULL),
           true, v_now, CASE c.status WHEN 'processed' THEN 'active' ELSE 'pending_review' END,
           c.payload #>> '{person,first_name}', c.payload #>> '{person,initials}',
           c.payload #>> '{person,surname_prefix}', c.payload #>> '{person,surname}',
           c.payload ->> 'display_name', (c.payload #>> '{person,birth_date}')::date,
           c.payload #>> '{person,gender}', c.payload #>> '{person,email}',
           c.payload #> '{person,address}', c.effective_date, NULL,
           (c.payload #>> '{employment,salary}')::numeric,
           (c.payload #>> '{employment,parttime_percentage}')::numeric, NULL, '[]'::jsonb
      FROM registration_chunk c WHERE NOT c.known AND c.skip IS NULL
     ORDER BY c.row_key;
    -- A re-hire: the full derivation.
    PERFORM portal_participant_rebuild(c.participant_id)
       FROM registration_chunk c WHERE c.known AND c.skip IS NULL;

    -- Each registration in the employer's audit log, as the use case
    -- records it (with the batch's id for a collective change).
    INSERT INTO audit_events (actor_user_id, actor_token_id, actor_label, organisation_id,
           action, target_type, target_id, request_id, client_address, changes)
    SELECT p_user, p_token, p_audit_label, v_org,
           CASE WHEN c.known THEN 'participant.rehired' ELSE 'participant.registered' END,
           'participant', c.participant_id::text, nullif(p_request_id, ''), nullif(p_client, ''),
           jsonb_build_object('change_id', jsonb_build_object('from', NULL, 'to', c.change_id),
                              'participant_number', jsonb_build_object('from', NULL, 'to',
                                                                       c.participant_number),
                              'start_date', jsonb_build_object('from', NULL, 'to', c.effective_date),
                              'status', jsonb_build_object('from', NULL, 'to', c.status))
           || CASE WHEN p_batch IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('batch_id',
                   jsonb_build_object('from', NULL, 'to', p_batch)) END
      FROM registration_chunk c WHERE c.skip IS NULL ORDER BY c.row_key;

    RETURN QUERY SELECT c.row_key, c.participant_id, c.participant_number, c.change_id, c.skip
                   FROM registration_chunk c ORDER BY c.row_key;
END;
$$;

-- Replaces, for each participant of p_participants, its last current
-- period (open-ended, containing the date of p_dates at the same place) by
-- the part before that date with the old values and the part from it with
-- the salary and part-time percentage of p_values (either absent: kept);
-- both registered at p_now. A participant without such a period is left
-- alone (the caller has decided it has one, holding its row locked).
-- Planner: one index probe of participant_periods per participant, the
-- periods superseded by primary key, the rows joined back by hash.
CREATE FUNCTION portal_period_split(p_participants uuid[], p_dates date[], p_values jsonb[],
                                    p_now timestamptz)
RETURNS void
LANGUAGE plpgsql
SET enable_seqscan = off
SET enable_hashjoin = on
AS $$
BEGIN
    -- Each period found by its own probe and superseded by its key: right
    -- after a large period the statistics of participant_periods still
    -- describe a much smaller table, and a join of the rows to it would
    -- read it whole once per row.
    WITH c AS MATERIALIZED (
        SELECT u.pid, u.eff, u.new_values,
               (SELECT x.id FROM participant_periods x
                 WHERE x.participant_id = u.pid AND x.superseded_at IS NULL
                   AND x.valid @> u.eff AND upper(x.valid) IS NULL) AS period_id
          FROM unnest(p_participants, p_dates, p_values) AS u(pid, eff, new_values)),
    old AS (
        UPDATE participant_periods x SET superseded_at = p_now
         WHERE x.id = ANY (ARRAY(SELECT c.period_id FROM c WHERE c.period_id IS NOT NULL))
        RETURNING x.*),
    o AS (
        SELECT old.*, c.eff, c.new_values FROM old JOIN c ON c.period_id = old.id)
    INSERT INTO participant_periods (participant_id, scheme_id, participant_number, valid,
           first_period, registered_at, status, first_name, initials, surname_prefix, surname,
           display_name, birth_date, gender, email, address, employment_start, employment_end,
           salary, parttime_percentage, partner, children)
    SELECT o.participant_id, o.scheme_id, o.participant_number, daterange(lower(o.valid), o.eff),
           o.first_period, p_now, o.status, o.first_name, o.initials, o.surname_prefix, o.surname,
           o.display_name, o.birth_date, o.gender, o.email, o.address, o.employment_start,
           o.employment_end, o.salary, o.parttime_percentage, o.partner, o.children
      FROM o WHERE lower(o.valid) < o.eff
    UNION ALL
    SELECT o.participant_id, o.scheme_id, o.participant_number, daterange(o.eff, NULL),
           o.first_period AND lower(o.valid) = o.eff, p_now, o.status, o.first_name, o.initials,
           o.surname_prefix, o.surname, o.display_name, o.birth_date, o.gender, o.email,
           o.address, o.employment_start, o.employment_end,
           coalesce((o.new_values ->> 'salary')::numeric, o.salary),
           coalesce((o.new_values ->> 'parttime_percentage')::numeric, o.parttime_percentage),
           o.partner, o.children
      FROM o;
END;
$$;

-- portal_batch_apply (0019) with its registrations in
-- portal_registration_apply and its split in portal_period_split; the rules,
-- the rows written and the skip codes are those of 0019.
CREATE OR REPLACE FUNCTION portal_batch_apply(p_batch uuid, p_from integer, p_to integer)
RETURNS integer
LANGUAGE plpgsql
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
    b        batches%ROWTYPE;
    v_count  integer := 0;
    v_now    timestamptz := clock_timestamp();
BEGIN
    SELECT * INTO b FROM batches WHERE id = p_batch;
    -- Keyed the ways the statements below join it (no hash joins here).
    CREATE TEMP TABLE IF NOT EXISTS batch_apply_chunk (
        row_number integer PRIMARY KEY, participant_id uuid, participant_number text, bsn text,
        change_id uuid, status text, review_reasons text[], effective_date date, payload jsonb,
        fast boolean, known boolean, skip text) ON COMMIT DROP;
    CREATE INDEX IF NOT EXISTS batch_apply_chunk_participant ON batch_apply_chunk (participant_id);
    CREATE INDEX IF NOT EXISTS batch_apply_chunk_bsn ON batch_apply_chunk (bsn);
    CREATE INDEX IF NOT EXISTS batch_apply_chunk_number ON batch_apply_chunk (participant_number);
    TRUNCATE batch_apply_chunk;
    INSERT INTO batch_apply_chunk (row_number, participant_id, participant_number, bsn, status,
           review_reasons, effective_date, payload, fast, known)
    SELECT br.row_number, br.participant_id, br.participant_number, br.bsn, br.status,
           br.review_reasons, br.effective_date, br.payload, false, br.participant_id IS NOT NULL
      FROM batch_rows br
     WHERE br.batch_id = p_batch AND br.row_number BETWEEN p_from AND p_to
       AND br.applied_at IS NULL;

    -- The known participants, locked in id order (as a change locks one).
    PERFORM 1 FROM participants p
     WHERE p.id IN (SELECT c.participant_id FROM batch_apply_chunk c WHERE c.known)
     ORDER BY p.id FOR UPDATE;

    IF b.kind = 'salary_change' THEN
        -- The participant may have changed since the file was checked.
        UPDATE batch_apply_chunk c SET skip = 'participant_dormant'
         WHERE NOT EXISTS (SELECT 1 FROM participant_periods x
                            WHERE x.participant_id = c.participant_id AND x.superseded_at IS NULL
                              AND x.valid @> c.effective_date
                              AND x.status IN ('active', 'pending_review')
                              AND (x.employment_end IS NULL OR x.employment_end >= c.effective_date));
        UPDATE batch_apply_chunk c SET fast = c.status = 'processed' AND EXISTS (
                   SELECT 1 FROM participant_periods x
                    WHERE x.participant_id = c.participant_id AND x.superseded_at IS NULL
                      AND x.valid @> c.effective_date AND upper(x.valid) IS NULL)
         WHERE c.skip IS NULL;
    ELSE
        -- The registrations, set-based, as the batch records them.
        UPDATE batch_apply_chunk c
           SET participant_id = a.participant_id, participant_number = a.participant_number,
               change_id = a.change_id, skip = a.skip
          FROM portal_registration_apply(b.scheme_id,
                   (SELECT coalesce(jsonb_agg(jsonb_build_object(
                               'row_key', d.row_number, 'participant_id', d.participant_id,
                               'participant_number', d.participant_number, 'bsn', d.bsn,
                               'status', d.status, 'review_reasons', to_jsonb(d.review_reasons),
                               'effective_date', d.effective_date, 'payload', d.payload)
                               ORDER BY d.row_number), '[]'::jsonb)
                      FROM batch_apply_chunk d),
                   'batch', b.created_by, b.created_by_token, b.id, b.created_by_name,
                   b.organisation_id, 'batch', NULL, NULL, false) a
         WHERE a.row_key = c.row_number;
    END IF;

    UPDATE batch_rows br SET applied_at = v_now, skipped_code = c.skip
      FROM batch_apply_chunk c
     WHERE c.skip IS NOT NULL AND br.batch_id = p_batch AND br.row_number BETWEEN p_from AND p_to
       AND br.row_number = c.row_number;
    DELETE FROM batch_apply_chunk WHERE skip IS NOT NULL;

    IF b.kind = 'salary_change' THEN
        -- The changes, in row order (registered_at follows it).
        WITH ins AS (
            INSERT INTO participant_changes (participant_id, scheme_id, type, effective_date,
                   registered_at, registered_by_kind, registered_by_user_id, registered_by_token_id,
                   registered_by_batch_id, registered_by_label, status, review_reasons, payload)
            SELECT c.participant_id, b.scheme_id, 'salary_change', c.effective_date,
                   clock_timestamp(), 'batch', b.created_by, b.created_by_token, b.id,
                   b.created_by_name, c.status, c.review_reasons, c.payload
              FROM batch_apply_chunk c
             ORDER BY c.row_number
            RETURNING id, participant_id)
        UPDATE batch_apply_chunk c SET change_id = ins.id FROM ins
         WHERE ins.participant_id = c.participant_id;
        -- The fast path: replace the last period by its two parts.
        PERFORM portal_period_split(array_agg(c.participant_id ORDER BY c.row_number),
                                    array_agg(c.effective_date ORDER BY c.row_number),
                                    array_agg(c.payload ORDER BY c.row_number), v_now)
           FROM batch_apply_chunk c WHERE c.fast;
        -- A change waiting for review changes no period, but the version moves.
        UPDATE participants p SET version = version + 1
          FROM batch_apply_chunk c WHERE p.id = c.participant_id AND (c.fast OR c.status <> 'processed');
        -- Everyone else: the full derivation.
        PERFORM portal_participant_rebuild(c.participant_id)
           FROM batch_apply_chunk c WHERE NOT c.fast AND c.status = 'processed';
        -- Each applied change in the employer's audit log, as an individual one.
        INSERT INTO audit_events (actor_user_id, actor_token_id, actor_label, organisation_id,
               action, target_type, target_id, changes)
        SELECT b.created_by, b.created_by_token, 'batch', b.organisation_id,
               'participant.change_registered', 'participant', c.participant_id::text,
               jsonb_build_object('change_id', jsonb_build_object('from', NULL, 'to', c.change_id),
                                  'type', jsonb_build_object('from', NULL, 'to', 'salary_change'),
                                  'effective_date', jsonb_build_object('from', NULL, 'to', c.effective_date),
                                  'status', jsonb_build_object('from', NULL, 'to', c.status),
                                  'batch_id', jsonb_build_object('from', NULL, 'to', b.id))
               || CASE WHEN c.payload ? 'salary' THEN jsonb_build_object('salary',
                      jsonb_build_object('from', NULL, 'to', c.payload -> 'salary')) ELSE '{}' END
               || CASE WHEN c.payload ? 'parttime_percentage' THEN jsonb_build_object(
                      'parttime_percentage', jsonb_build_object('from', NULL, 'to',
                      c.payload -> 'parttime_percentage')) ELSE '{}' END
          FROM batch_apply_chunk c ORDER BY c.row_number;
    END IF;

    UPDATE batch_rows br SET applied_at = v_now, change_id = c.change_id,
           participant_id = c.participant_id
      FROM batch_apply_chunk c
     WHERE br.batch_id = p_batch AND br.row_number BETWEEN p_from AND p_to
       AND br.row_number = c.row_number;
    SELECT count(*) INTO v_count FROM batch_apply_chunk;

    UPDATE batches SET next_row = p_to + 1,
           applied_row_count = applied_row_count + v_count,
           skipped_row_count = (SELECT count(*) FROM batch_rows
                                 WHERE batch_id = p_batch AND skipped_code IS NOT NULL)
     WHERE id = p_batch;
    RETURN v_count;
END;
$$;

-- portal_payroll_salary_apply (0016) with its split in portal_period_split;
-- otherwise as in 0016.
CREATE OR REPLACE FUNCTION portal_payroll_salary_apply(p_scheme uuid, p_rows jsonb, p_kind text, p_user uuid,
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
    PERFORM portal_period_split(array_agg(c.pid), array_agg(c.eff), array_agg(c.payload), v_now)
       FROM payroll_chunk c WHERE c.fast;
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
