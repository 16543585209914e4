-- 0019_batch_apply_speed: processing a collective change set-based from
-- start to end, and one index fewer on participant_periods.
--
-- Measured at 16,500 rows (bench/README.md), one 2,000-row chunk of salary
-- changes spent its time as follows (auto_explain, nested statements):
-- locking the chunk's participants and the dormant check each read the
-- whole participants and participant_periods tables through a hash join
-- (the planner knows nothing about the 2,000 rows of a chunk and little
-- about batch_rows, which is filled by COPY and not analysed), so a chunk
-- cost grew with the size of the data set rather than with the chunk: 25 ms
-- and 180 ms there, the version bump another 90 ms; inserting the periods
-- (two per row: the part before the date and the part from it) about half
-- of the rest, of which about a third is the index upkeep of
-- participant_periods; the changes with their seven foreign keys most of
-- what remains. New participants were registered one by one: a number, a
-- participant, a change, portal_participant_rebuild() and an audit event
-- per row, each with its own statements.
--
-- What changes:
--
--  * Every statement of portal_batch_apply() starts from the chunk's rows (a
--    temporary table of at most one chunk) and reaches the big tables by
--    their keys. The function runs with hash and merge joins switched off
--    (SET below): each join here is "a few thousand rows against a big
--    indexed table", where a nested loop over the index is the right plan
--    whatever the statistics say, and the cost no longer depends on how many
--    participants the database holds.
--
--  * New participants are registered set-based: the rows whose BSN or number
--    is taken meanwhile are skipped (participant_exists), numbers are handed
--    out in row order from the scheme's counter (as one by one), the
--    participants, their registrations, their periods and the audit events
--    are each one INSERT ... SELECT. A new participant's only change is its
--    registration, so its periods are one period from the start date, with
--    the values of the registration: what portal_participant_rebuild()
--    derives for it (tests/api/test_batch_apply.py compares the two), and its
--    version is 2, as after the rebuild an individual registration runs. A
--    re-hire (a known participant) still goes through the full rebuild.
--
--  * The audit event of each applied row carries what the individual use
--    case records: salary and part-time percentage for a salary change, the
--    participant number for a registration.
--
-- The indexes of participant_periods, each with the query that needs it:
--
--  * the primary key (id) and the exclusion constraint (GiST on
--    participant_id, valid over the current periods) are constraints;
--    the exclusion index also answers every "periods of this participant"
--    question: participant_id = $1 AND valid @> $2 (participants_state,
--    PERIOD_AS_OF in store/participants.c, the batch checks, the fast path
--    below) and participant_id = $1 alone (portal_participant_latest,
--    reconciliations' RECON_PERIODS_IN_YEAR), a participant having a handful
--    of current periods.
--  * participant_periods_participant, a b-tree on (participant_id, valid)
--    over the same current periods, answers exactly those questions again:
--    no query orders by the range itself (they order by lower(valid), an
--    expression this index does not provide either), so the planner gains
--    nothing from it that the exclusion index does not give. Dropped: one
--    index entry fewer for every period a change writes.
--  * participant_periods_by_{name,number,start,salary} (scheme_id, key,
--    participant_id): the participant list without a status filter
--    (PLIST_PER_SCHEME with PLIST_PLAIN_STATUS in store/participants.c), one
--    keyset scan per scheme in the order of the sort; without them a page
--    would sort every current period of the scheme. Kept.
--  * participant_periods_status_{name,number,start,salary} (scheme_id,
--    status, key, participant_id): the same list filtered by status
--    (PLIST_BY_STATUS); with only the index above, a rare status
--    (pending_review, rejected) would walk the whole scheme in key order to
--    find a page. PostgreSQL 15 cannot skip-scan the status column, so one
--    index cannot serve both. Kept; together with the four above they are
--    about a quarter of the apply's time (measured by dropping them inside a
--    rolled-back transaction).
--  * participant_periods_search (GIN trigrams of the search text): q= in the
--    list (PLIST_SEARCH). Kept.
--  * participant_periods_history (participant_id, registered_at), over all
--    periods, superseded ones too: the pseudonymisation of retention
--    (store/retention.c) rewrites every period of a participant, current or
--    not. Kept.

DROP INDEX participant_periods_participant;

-- Applies the rows p_from .. p_to (row numbers) of a processing batch that
-- are not applied yet, in the caller's transaction (which has locked the
-- batch row): each becomes a change in the participant's history with
-- registered_by_batch_id, exactly as an individual change would be stored,
-- and the participant's periods follow. A row whose participant no longer
-- allows it (terminated, or registered meanwhile) is skipped with a code
-- instead. Returns the number of rows applied.
--
-- Salary changes: the chunk's participants are locked in id order, the
-- changes inserted in one statement, and for a participant whose current
-- period on the effective date is its last (nothing dated later, the usual
-- case) that period is superseded and replaced by the part before the date
-- and the part from it with the new values -- what
-- portal_participant_rebuild() derives, without re-deriving the periods
-- that do not change. Anyone else (later-dated changes, or a change waiting
-- for review) is rebuilt in full. New participants: see the top of this
-- file. Every applied row is audited as the individual use case audits it,
-- with the batch's id (never a BSN).
CREATE OR REPLACE FUNCTION portal_batch_apply(p_batch uuid, p_from integer, p_to integer)
RETURNS integer
LANGUAGE plpgsql
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $$
DECLARE
    b        batches%ROWTYPE;
    r        record;
    v_number text;
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
        -- A new participant whose BSN or number is taken meanwhile.
        UPDATE batch_apply_chunk c SET skip = 'participant_exists'
         WHERE NOT c.known
           AND (EXISTS (SELECT 1 FROM participants p WHERE p.scheme_id = b.scheme_id
                          AND p.rejected_at IS NULL AND p.bsn = c.bsn)
                OR EXISTS (SELECT 1 FROM participants p WHERE p.scheme_id = b.scheme_id
                             AND p.rejected_at IS NULL
                             AND p.participant_number = c.participant_number));
        -- Numbers from the scheme's counter, in row order, passing over a
        -- number an earlier row of the chunk brings itself (one by one, that
        -- row would be registered by then).
        FOR r IN SELECT c.row_number FROM batch_apply_chunk c
                  WHERE NOT c.known AND c.skip IS NULL AND c.participant_number IS NULL
                  ORDER BY c.row_number
        LOOP
            LOOP
                v_number := portal_next_participant_number(b.scheme_id);
                EXIT WHEN NOT EXISTS (SELECT 1 FROM batch_apply_chunk d
                                       WHERE d.participant_number = v_number
                                         AND d.row_number < r.row_number AND d.skip IS NULL);
            END LOOP;
            UPDATE batch_apply_chunk SET participant_number = v_number
             WHERE row_number = r.row_number;
        END LOOP;
        -- A number handed to an earlier row of the chunk is taken for a later
        -- one, as it would be one by one.
        UPDATE batch_apply_chunk c SET skip = 'participant_exists'
         WHERE NOT c.known AND c.skip IS NULL
           AND EXISTS (SELECT 1 FROM batch_apply_chunk d
                        WHERE d.participant_number = c.participant_number
                          AND d.row_number < c.row_number AND d.skip IS NULL AND NOT d.known);
        -- A re-hire keeps its number (for the audit event).
        UPDATE batch_apply_chunk c SET participant_number = p.participant_number
          FROM participants p WHERE c.known AND p.id = c.participant_id;
        -- Version 2: created (1) and rebuilt once, as an individual registration.
        WITH ins AS (
            INSERT INTO participants (scheme_id, participant_number, bsn, version)
            SELECT b.scheme_id, c.participant_number, c.bsn, 2
              FROM batch_apply_chunk c WHERE NOT c.known AND c.skip IS NULL
             ORDER BY c.row_number
            RETURNING id, bsn)
        UPDATE batch_apply_chunk c SET participant_id = ins.id
          FROM ins WHERE NOT c.known AND c.skip IS NULL AND c.bsn = ins.bsn;
    END IF;

    UPDATE batch_rows br SET applied_at = v_now, skipped_code = c.skip
      FROM batch_apply_chunk c
     WHERE c.skip IS NOT NULL AND br.batch_id = p_batch AND br.row_number BETWEEN p_from AND p_to
       AND br.row_number = c.row_number;
    DELETE FROM batch_apply_chunk WHERE skip IS NOT NULL;

    -- The changes, in row order (registered_at follows it).
    WITH ins AS (
        INSERT INTO participant_changes (participant_id, scheme_id, type, effective_date,
               registered_at, registered_by_kind, registered_by_user_id, registered_by_token_id,
               registered_by_batch_id, registered_by_label, status, review_reasons, payload)
        SELECT c.participant_id, b.scheme_id,
               CASE b.kind WHEN 'salary_change' THEN 'salary_change' ELSE 'registration' END,
               c.effective_date, clock_timestamp(), 'batch', b.created_by, b.created_by_token,
               b.id, b.created_by_name, c.status, c.review_reasons, c.payload
          FROM batch_apply_chunk c
         ORDER BY c.row_number
        RETURNING id, participant_id)
    UPDATE batch_apply_chunk c SET change_id = ins.id FROM ins WHERE ins.participant_id = c.participant_id;

    IF b.kind = 'salary_change' THEN
        -- The fast path: replace the last period by its two parts.
        WITH old AS (
            UPDATE participant_periods x SET superseded_at = v_now
              FROM batch_apply_chunk c
             WHERE c.fast AND x.participant_id = c.participant_id
               AND x.superseded_at IS NULL AND x.valid @> c.effective_date AND upper(x.valid) IS NULL
            RETURNING x.*, c.effective_date AS eff, c.payload AS new_values)
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
        -- A change waiting for review changes no period, but the version moves.
        UPDATE participants p SET version = version + 1
          FROM batch_apply_chunk c WHERE p.id = c.participant_id AND (c.fast OR c.status <> 'processed');
        -- Everyone else: the full derivation.
        PERFORM portal_participant_rebuild(c.participant_id)
           FROM batch_apply_chunk c WHERE NOT c.fast AND c.status = 'processed';
    ELSE
        -- A new participant: one period from the start date (see above).
        INSERT INTO participant_periods (participant_id, scheme_id, participant_number, valid,
               first_period, registered_at, status, first_name, initials, surname_prefix, surname,
               display_name, birth_date, gender, email, address, employment_start, employment_end,
               salary, parttime_percentage, partner, children)
        SELECT c.participant_id, b.scheme_id, c.participant_number, daterange(c.effective_date, NULL),
               true, v_now, CASE c.status WHEN 'processed' THEN 'active' ELSE 'pending_review' END,
               c.payload #>> '{person,first_name}', c.payload #>> '{person,initials}',
               c.payload #>> '{person,surname_prefix}', c.payload #>> '{person,surname}',
               c.payload ->> 'display_name', (c.payload #>> '{person,birth_date}')::date,
               c.payload #>> '{person,gender}', c.payload #>> '{person,email}',
               c.payload #> '{person,address}', c.effective_date, NULL,
               (c.payload #>> '{employment,salary}')::numeric,
               (c.payload #>> '{employment,parttime_percentage}')::numeric, NULL, '[]'::jsonb
          FROM batch_apply_chunk c WHERE NOT c.known
         ORDER BY c.row_number;
        -- A re-hire: the full derivation.
        PERFORM portal_participant_rebuild(c.participant_id) FROM batch_apply_chunk c WHERE c.known;
    END IF;

    UPDATE batch_rows br SET applied_at = v_now, change_id = c.change_id,
           participant_id = c.participant_id
      FROM batch_apply_chunk c
     WHERE br.batch_id = p_batch AND br.row_number BETWEEN p_from AND p_to
       AND br.row_number = c.row_number;

    -- Each applied change in the employer's audit log, as an individual one.
    INSERT INTO audit_events (actor_user_id, actor_token_id, actor_label, organisation_id,
           action, target_type, target_id, changes)
    SELECT b.created_by, b.created_by_token, 'batch', b.organisation_id,
           CASE WHEN b.kind = 'salary_change' THEN 'participant.change_registered'
                WHEN c.known THEN 'participant.rehired' ELSE 'participant.registered' END,
           'participant', c.participant_id::text,
           CASE WHEN b.kind = 'salary_change' THEN
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
           ELSE
               jsonb_build_object('change_id', jsonb_build_object('from', NULL, 'to', c.change_id),
                                  'participant_number', jsonb_build_object('from', NULL, 'to',
                                                                           c.participant_number),
                                  'start_date', jsonb_build_object('from', NULL, 'to', c.effective_date),
                                  'status', jsonb_build_object('from', NULL, 'to', c.status),
                                  'batch_id', jsonb_build_object('from', NULL, 'to', b.id))
           END
      FROM batch_apply_chunk c ORDER BY c.row_number;
    SELECT count(*) INTO v_count FROM batch_apply_chunk;

    UPDATE batches SET next_row = p_to + 1,
           applied_row_count = applied_row_count + v_count,
           skipped_row_count = (SELECT count(*) FROM batch_rows
                                 WHERE batch_id = p_batch AND skipped_code IS NOT NULL)
     WHERE id = p_batch;
    RETURN v_count;
END;
$$;
