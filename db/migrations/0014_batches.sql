-- 0014_batches: collective changes (DESIGN.md §4.4, seed 001 §4.4-4.5): an
-- uploaded file of salary changes or new participants, checked row by row
-- with the rules of an individual change, applied in the background once
-- the user confirms.
--
--  * batches: one upload: scheme, kind, the effective date of a salary
--    change, the file's SHA-256 (the same file again while the first is not
--    finished answers 409), counts, status and who did what when. Statuses:
--    validating -> invalid | valid -> queued -> processing -> processed |
--    failed; invalid and valid may become discarded. next_row is the
--    resumable cursor of processing: every row below it has been applied, in
--    the same transaction that moved it.
--
--  * batch_files: the uploaded file in 1 MiB chunks, kept for the errors
--    file (the uploaded rows with an error column).
--
--  * batch_rows: the rows that passed every check, in the normalised form
--    the change will take (the same payload an individual change stores),
--    with the status the change gets (processed or pending_review and why).
--    A row is applied exactly once: applied_at is set in the transaction
--    that inserts its change, and processing reads only rows without it.
--    Rows of an invalid row are not kept (skip_invalid_rows applies only the
--    kept ones).
--
--  * batch_errors: every rule a row broke: spreadsheet row (header = 1),
--    column letter, field key, the stable code and the rule whose text is
--    the message (rendered in the reader's language).
--
-- While a batch is queued or processing, its scheme has a row in
-- scheme_locks (0004); the row goes when the batch ends, also when it
-- fails, and housekeeping removes a lock whose batch is no longer queued or
-- processing or whose job is gone.

CREATE TABLE batches (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id    uuid NOT NULL REFERENCES organisations (id),
    scheme_id          uuid NOT NULL REFERENCES schemes (id),
    kind               text NOT NULL CHECK (kind IN ('salary_change', 'new_participants')),
    effective_date     date,
    status             text NOT NULL DEFAULT 'validating' CHECK (status IN ('validating',
                           'invalid', 'valid', 'queued', 'processing', 'processed', 'failed',
                           'discarded')),
    file_name          text,
    file_format        text NOT NULL CHECK (file_format IN ('csv', 'xlsx')),
    file_sha256        text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    file_bytes         bigint NOT NULL DEFAULT 0,
    language           text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
    row_count          integer NOT NULL DEFAULT 0,
    valid_row_count    integer NOT NULL DEFAULT 0,
    error_count        integer NOT NULL DEFAULT 0,
    review_row_count   integer NOT NULL DEFAULT 0,
    applied_row_count  integer NOT NULL DEFAULT 0,
    skipped_row_count  integer NOT NULL DEFAULT 0,
    skip_invalid_rows  boolean NOT NULL DEFAULT false,
    next_row           integer NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT now(),
    created_by         uuid REFERENCES users (id),
    created_by_token   uuid REFERENCES api_tokens (id),
    created_by_kind    text NOT NULL CHECK (created_by_kind IN ('user', 'api_token')),
    created_by_name    text NOT NULL,
    submitted_at       timestamptz,
    started_at         timestamptz,
    finished_at        timestamptz,
    discarded_at       timestamptz,
    failure_reason     text,
    CHECK ((kind = 'salary_change') = (effective_date IS NOT NULL))
);
-- The list, newest first, per scheme and per organisation.
CREATE INDEX batches_scheme_created ON batches (scheme_id, created_at DESC, id DESC);
CREATE INDEX batches_org_created ON batches (organisation_id, created_at DESC, id DESC);
-- The same file while an earlier upload of it is not finished.
CREATE INDEX batches_open_file ON batches (scheme_id, kind, file_sha256)
    WHERE status IN ('validating', 'invalid', 'valid', 'queued', 'processing');

CREATE TABLE batch_files (
    batch_id  uuid NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    seq       integer NOT NULL,
    data      bytea NOT NULL,
    PRIMARY KEY (batch_id, seq)
);

CREATE TABLE batch_rows (
    batch_id            uuid NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    row_number          integer NOT NULL,
    participant_id      uuid REFERENCES participants (id),
    participant_number  text,
    bsn                 text,
    effective_date      date NOT NULL,
    status              text NOT NULL CHECK (status IN ('processed', 'pending_review')),
    review_reasons      text[] NOT NULL DEFAULT '{}',
    payload             jsonb NOT NULL,
    applied_at          timestamptz,
    change_id           uuid,
    skipped_code        text,
    PRIMARY KEY (batch_id, row_number)
);

CREATE TABLE batch_errors (
    batch_id    uuid NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    seq         integer NOT NULL,
    row_number  integer NOT NULL,
    col         text NOT NULL,
    field       text NOT NULL,
    code        text NOT NULL,
    rule_id     text,
    PRIMARY KEY (batch_id, seq)
);
CREATE INDEX batch_errors_row ON batch_errors (batch_id, row_number, seq);

-- Applies the rows p_from .. p_to (row numbers) of a processing batch that
-- are not applied yet, in the caller's transaction (which has locked the
-- batch row): each becomes a change in the participant's history with
-- registered_by_batch_id, exactly as an individual change would be stored,
-- and the participant's periods follow. A row whose participant no longer
-- allows it (terminated or registered meanwhile) is skipped with a code
-- instead. Returns the number of rows applied.
--
-- Salary changes are applied set-based: the chunk's participants are locked
-- in id order, the changes inserted in one statement, and for a participant
-- whose current period on the effective date is its last (nothing dated
-- later, the usual case) that period is superseded and replaced by the part
-- before the date and the part from it with the new values -- what
-- portal_participant_rebuild() derives, without re-deriving the periods
-- that do not change. Anyone else (later-dated changes) is rebuilt in full.
-- New participants are registered one by one (number, participant row,
-- registration, rebuild). Every applied row is audited as the individual
-- use case audits it, with the batch's id (never a BSN).
CREATE FUNCTION portal_batch_apply(p_batch uuid, p_from integer, p_to integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    b        batches%ROWTYPE;
    r        record;
    v_pid    uuid;
    v_cid    uuid;
    v_count  integer := 0;
    v_now    timestamptz := clock_timestamp();
BEGIN
    SELECT * INTO b FROM batches WHERE id = p_batch;
    IF b.kind = 'salary_change' THEN
        PERFORM 1 FROM participants p
         WHERE p.id IN (SELECT participant_id FROM batch_rows
                         WHERE batch_id = p_batch AND row_number BETWEEN p_from AND p_to
                           AND applied_at IS NULL)
         ORDER BY p.id FOR UPDATE;
        -- The participant may have changed since the file was checked.
        UPDATE batch_rows br SET applied_at = v_now, skipped_code = 'participant_dormant'
         WHERE br.batch_id = p_batch AND br.row_number BETWEEN p_from AND p_to AND br.applied_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM participant_periods x
                            WHERE x.participant_id = br.participant_id AND x.superseded_at IS NULL
                              AND x.valid @> br.effective_date
                              AND x.status IN ('active', 'pending_review')
                              AND (x.employment_end IS NULL OR x.employment_end >= br.effective_date));
        CREATE TEMP TABLE IF NOT EXISTS batch_chunk (row_number integer, participant_id uuid,
            change_id uuid, status text, effective_date date, payload jsonb, fast boolean)
            ON COMMIT DROP;
        TRUNCATE batch_chunk;
        INSERT INTO batch_chunk (row_number, participant_id, status, effective_date, payload, fast)
        SELECT br.row_number, br.participant_id, br.status, br.effective_date, br.payload,
               EXISTS (SELECT 1 FROM participant_periods x
                        WHERE x.participant_id = br.participant_id AND x.superseded_at IS NULL
                          AND x.valid @> br.effective_date AND upper(x.valid) IS NULL)
          FROM batch_rows br
         WHERE br.batch_id = p_batch AND br.row_number BETWEEN p_from AND p_to AND br.applied_at IS NULL;
        WITH ins AS (
            INSERT INTO participant_changes (participant_id, scheme_id, type, effective_date,
                   registered_at, registered_by_kind, registered_by_user_id, registered_by_token_id,
                   registered_by_batch_id, registered_by_label, status, review_reasons, payload)
            SELECT c.participant_id, b.scheme_id, 'salary_change', c.effective_date,
                   clock_timestamp(), 'batch', b.created_by, b.created_by_token, b.id,
                   b.created_by_name, c.status, br.review_reasons, c.payload
              FROM batch_chunk c JOIN batch_rows br ON br.batch_id = p_batch AND br.row_number = c.row_number
             ORDER BY c.row_number
            RETURNING id, participant_id)
        UPDATE batch_chunk c SET change_id = ins.id FROM ins WHERE ins.participant_id = c.participant_id;
        -- The fast path: replace the last period by its two parts.
        WITH old AS (
            UPDATE participant_periods x SET superseded_at = v_now
              FROM batch_chunk c
             WHERE c.fast AND c.status = 'processed' AND x.participant_id = c.participant_id
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
        UPDATE participants p SET version = version + 1
          FROM batch_chunk c WHERE p.id = c.participant_id AND (c.fast OR c.status <> 'processed');
        -- Everyone else: the full derivation.
        PERFORM portal_participant_rebuild(c.participant_id)
           FROM batch_chunk c WHERE NOT c.fast AND c.status = 'processed';
        UPDATE batch_rows br SET applied_at = v_now, change_id = c.change_id
          FROM batch_chunk c WHERE br.batch_id = p_batch AND br.row_number = c.row_number;
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
          FROM batch_chunk c ORDER BY c.row_number;
        SELECT count(*) INTO v_count FROM batch_chunk;
    ELSE
        FOR r IN
            SELECT * FROM batch_rows
             WHERE batch_id = p_batch AND row_number BETWEEN p_from AND p_to AND applied_at IS NULL
             ORDER BY row_number
        LOOP
            v_pid := r.participant_id;
            IF v_pid IS NULL THEN
                INSERT INTO participants (scheme_id, participant_number, bsn)
                SELECT b.scheme_id, coalesce(r.participant_number,
                                             portal_next_participant_number(b.scheme_id)), r.bsn
                 WHERE NOT EXISTS (SELECT 1 FROM participants p WHERE p.scheme_id = b.scheme_id
                                     AND p.rejected_at IS NULL
                                     AND (p.bsn = r.bsn OR p.participant_number = r.participant_number))
                RETURNING id INTO v_pid;
                IF v_pid IS NULL THEN
                    UPDATE batch_rows SET applied_at = clock_timestamp(), skipped_code = 'participant_exists'
                     WHERE batch_id = p_batch AND row_number = r.row_number;
                    CONTINUE;
                END IF;
            END IF;
            PERFORM 1 FROM participants WHERE id = v_pid FOR UPDATE;
            INSERT INTO participant_changes (participant_id, scheme_id, type, effective_date,
                   registered_at, registered_by_kind, registered_by_user_id, registered_by_token_id,
                   registered_by_batch_id, registered_by_label, status, review_reasons, payload)
            VALUES (v_pid, b.scheme_id, 'registration', r.effective_date, clock_timestamp(), 'batch',
                    b.created_by, b.created_by_token, b.id, b.created_by_name, r.status,
                    r.review_reasons, r.payload)
            RETURNING id INTO v_cid;
            PERFORM portal_participant_rebuild(v_pid);
            UPDATE batch_rows SET applied_at = clock_timestamp(), change_id = v_cid, participant_id = v_pid
             WHERE batch_id = p_batch AND row_number = r.row_number;
            INSERT INTO audit_events (actor_user_id, actor_token_id, actor_label, organisation_id,
                   action, target_type, target_id, changes)
            VALUES (b.created_by, b.created_by_token, 'batch', b.organisation_id,
                    CASE WHEN r.participant_id IS NULL THEN 'participant.registered'
                         ELSE 'participant.rehired' END, 'participant', v_pid::text,
                    jsonb_build_object('change_id', jsonb_build_object('from', NULL, 'to', v_cid),
                                       'start_date', jsonb_build_object('from', NULL, 'to', r.effective_date),
                                       'status', jsonb_build_object('from', NULL, 'to', r.status),
                                       'batch_id', jsonb_build_object('from', NULL, 'to', b.id)));
            v_count := v_count + 1;
        END LOOP;
    END IF;
    UPDATE batches SET next_row = p_to + 1,
           applied_row_count = applied_row_count + v_count,
           skipped_row_count = (SELECT count(*) FROM batch_rows
                                 WHERE batch_id = p_batch AND skipped_code IS NOT NULL)
     WHERE id = p_batch;
    RETURN v_count;
END;
$$;
