-- 0004_participants: participants of a scheme and their history, which is
-- never overwritten (DESIGN.md §3, §4.3; seed 001 §4; seed 002 §17).
--
-- Three layers, each append-only for facts:
--
--  * participants: who takes part in which scheme: the participation's
--    identity (scheme, participant number, BSN) and nothing that changes over
--    time. Numbers are unique per scheme; the server hands one out from a
--    per-scheme counter when the registration leaves it out. A BSN is unique
--    per scheme, so registering a dormant or ended participant again re-hires
--    them (a new employment on the same row, seed 002 §17). BSNs are stored
--    as given: hr needs them in full. Two flags only: rejected_at (the first
--    registration was rejected: number and BSN are free again) and version
--    (bumped by every change, cancellation and review decision; the ETag and
--    the row every change transaction locks FOR UPDATE, so concurrent
--    changes to one participant serialise).
--
--  * participant_changes: every fact as it was registered: the registration
--    itself (type registration, also a re-hire), salary and part-time
--    changes, terminations, partners, children and addresses, each with its
--    effective date (valid time), when it was registered (transaction time,
--    clock_timestamp() after the participant lock, plus seq for a total
--    order) and by whom (user, API token, staff or batch, with the name at
--    the time). Rows are never deleted and their facts (type, dates, payload)
--    never change; only the status moves on: pending_review -> processed |
--    rejected (decided_at, rejection_reason), processed | pending_review ->
--    cancelled (cancelled_at, cancel_reason, who). Cancellation and rejection
--    are thus new facts on the row that every view follows. The payload holds
--    the change's data as normalised JSON (decimal strings, dates); partner
--    and child BSNs are in it in full, for hr; they never reach the audit log.
--
--  * participant_periods: the participant's whole state (person, employment,
--    participation status, partner and children) over valid-time ranges
--    (daterange [from, to)), derived from the changes that apply (processed
--    ones, plus a pending or rejected registration, which sets the status)
--    by portal_participant_rebuild() in the same transaction as every change,
--    cancellation or decision. A rebuild never edits a period: it closes the
--    transaction time of the periods it replaces (superseded_at) and inserts
--    the new ones with registered_at. So the table is bitemporal: the rows
--    with superseded_at IS NULL are "as known now", and any earlier belief
--    ("what did we know on T about date D") is still there. An exclusion
--    constraint keeps the current periods of one participant from
--    overlapping.
--
-- "State as of date D, as known now" is one indexed lookup:
--     SELECT … FROM participant_periods
--      WHERE scheme_id = … AND superseded_at IS NULL AND valid @> D
-- (portal_participants_as_of() below wraps it for exports). The list pages
-- by keyset within a scheme on partial indexes over the current periods,
-- (scheme_id, key, participant_id) for each sort key (name, number, start
-- date, salary), and (scheme_id, status, key, participant_id) when filtered
-- by status; several schemes are merged with one LATERAL index scan per
-- scheme, so page 1,000 costs what page 1 costs. A search (q) goes through
-- a trigram index on the search text. A termination ends the
-- employment on its date and makes the participant dormant (pension) or
-- ended (income) from the day after. A participant not yet started (start
-- date ahead) is shown in lists with its first period (first_period).
--
-- scheme_locks: a row exists while a batch of the scheme is processing
-- (the batch issue writes it); individual changes then answer 409
-- scheme_locked_by_batch. A change transaction takes FOR KEY SHARE on the
-- scheme row before it reads scheme_locks, so a batch that inserts its lock
-- after SELECT … FROM schemes WHERE id = … FOR UPDATE cannot slip past a
-- change in flight, nor a change past the lock.

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE participants (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    scheme_id           uuid NOT NULL REFERENCES schemes (id),
    participant_number  text NOT NULL CHECK (participant_number ~ '^[0-9A-Za-z][0-9A-Za-z-]{0,19}$'),
    bsn                 text NOT NULL CHECK (bsn ~ '^[0-9]{9}$'),
    created_at          timestamptz NOT NULL DEFAULT now(),
    rejected_at         timestamptz,
    version             bigint NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX participants_scheme_number ON participants (scheme_id, participant_number)
    WHERE rejected_at IS NULL;
CREATE UNIQUE INDEX participants_scheme_bsn ON participants (scheme_id, bsn)
    WHERE rejected_at IS NULL;

-- The last number handed out per scheme (numbers start at 1000001).
CREATE TABLE participant_number_counters (
    scheme_id    uuid PRIMARY KEY REFERENCES schemes (id),
    last_number  bigint NOT NULL
);

CREATE TABLE participant_changes (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq                     bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    participant_id          uuid NOT NULL REFERENCES participants (id),
    scheme_id               uuid NOT NULL REFERENCES schemes (id),
    type                    text NOT NULL CHECK (type IN ('registration', 'salary_change',
                                'termination', 'partner_registration', 'child_registration',
                                'address_change')),
    effective_date          date NOT NULL,
    registered_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    registered_by_kind      text NOT NULL CHECK (registered_by_kind IN ('user', 'api_token', 'staff', 'batch')),
    registered_by_user_id   uuid REFERENCES users (id),
    registered_by_token_id  uuid REFERENCES api_tokens (id),
    registered_by_batch_id  uuid,
    registered_by_label     text NOT NULL,
    status                  text NOT NULL CHECK (status IN ('processed', 'pending_review', 'rejected', 'cancelled')),
    review_reasons          text[] NOT NULL DEFAULT '{}',
    decided_at              timestamptz,
    decided_by_user_id      uuid REFERENCES users (id),
    decided_by_label        text,
    rejection_reason        text,
    cancelled_at            timestamptz,
    cancelled_by_kind       text CHECK (cancelled_by_kind IN ('user', 'api_token', 'staff', 'batch')),
    cancelled_by_user_id    uuid REFERENCES users (id),
    cancelled_by_token_id   uuid REFERENCES api_tokens (id),
    cancelled_by_label      text,
    cancel_reason           text,
    payload                 jsonb NOT NULL DEFAULT '{}'::jsonb,
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    CHECK (status <> 'rejected' OR rejection_reason IS NOT NULL)
);
-- A participant's history, and "is there a later change" for submitted changes.
CREATE INDEX participant_changes_history
    ON participant_changes (participant_id, effective_date, registered_at, seq);
-- Submitted changes of a scheme, newest effective date first.
CREATE INDEX participant_changes_scheme
    ON participant_changes (scheme_id, effective_date, registered_at, seq);
-- The review queue, oldest first.
CREATE INDEX participant_changes_pending
    ON participant_changes (registered_at, seq) WHERE status = 'pending_review';

CREATE TABLE participant_periods (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id       uuid NOT NULL REFERENCES participants (id),
    scheme_id            uuid NOT NULL REFERENCES schemes (id),
    participant_number   text NOT NULL,
    valid                daterange NOT NULL CHECK (NOT isempty(valid) AND lower(valid) IS NOT NULL),
    first_period         boolean NOT NULL,
    registered_at        timestamptz NOT NULL,
    superseded_at        timestamptz,
    status               text NOT NULL CHECK (status IN ('pending_review', 'active', 'rejected', 'dormant', 'ended')),
    first_name           text,
    initials             text NOT NULL,
    surname_prefix       text,
    surname              text NOT NULL,
    display_name         text NOT NULL,
    birth_date           date NOT NULL,
    gender               text NOT NULL CHECK (gender IN ('male', 'female', 'unknown')),
    email                text,
    address              jsonb,
    employment_start     date NOT NULL,
    employment_end       date,
    salary               numeric(14,2) NOT NULL CHECK (salary >= 0),
    parttime_percentage  numeric(6,3) NOT NULL CHECK (parttime_percentage > 0 AND parttime_percentage <= 100),
    partner              jsonb,
    children             jsonb NOT NULL DEFAULT '[]'::jsonb,
    sort_name            text GENERATED ALWAYS AS (lower(display_name)) STORED,
    number_key           text GENERATED ALWAYS AS (lpad(participant_number, 20, '0')) STORED,
    search               text GENERATED ALWAYS AS (lower(display_name || ' ' || coalesce(first_name, '')
                              || ' ' || coalesce(surname_prefix || ' ', '') || surname || ' '
                              || participant_number)) STORED,
    EXCLUDE USING gist (participant_id WITH =, valid WITH &&) WHERE (superseded_at IS NULL)
);
-- One participant's current periods (state as of a date, rebuilds).
CREATE INDEX participant_periods_participant ON participant_periods (participant_id, valid)
    WHERE superseded_at IS NULL;
-- Keyset pagination of the list within a scheme, one index per sort key.
CREATE INDEX participant_periods_by_name ON participant_periods (scheme_id, sort_name, participant_id)
    WHERE superseded_at IS NULL;
CREATE INDEX participant_periods_by_number ON participant_periods (scheme_id, number_key, participant_id)
    WHERE superseded_at IS NULL;
CREATE INDEX participant_periods_by_start ON participant_periods (scheme_id, employment_start, participant_id)
    WHERE superseded_at IS NULL;
CREATE INDEX participant_periods_by_salary ON participant_periods (scheme_id, salary, participant_id)
    WHERE superseded_at IS NULL;
-- The same filtered by status (a rare status must not scan the scheme).
CREATE INDEX participant_periods_status_name
    ON participant_periods (scheme_id, status, sort_name, participant_id) WHERE superseded_at IS NULL;
CREATE INDEX participant_periods_status_number
    ON participant_periods (scheme_id, status, number_key, participant_id) WHERE superseded_at IS NULL;
CREATE INDEX participant_periods_status_start
    ON participant_periods (scheme_id, status, employment_start, participant_id) WHERE superseded_at IS NULL;
CREATE INDEX participant_periods_status_salary
    ON participant_periods (scheme_id, status, salary, participant_id) WHERE superseded_at IS NULL;
-- Search on name or number (q=): trigrams of the search text.
CREATE INDEX participant_periods_search ON participant_periods USING gin (search gin_trgm_ops)
    WHERE superseded_at IS NULL;
-- Earlier beliefs, for "as known at" questions.
CREATE INDEX participant_periods_history ON participant_periods (participant_id, registered_at);

CREATE TABLE scheme_locks (
    scheme_id  uuid NOT NULL REFERENCES schemes (id),
    batch_id   uuid NOT NULL,
    locked_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scheme_id, batch_id)
);

-- The next free participant number of a scheme. The counter row stays
-- locked until the caller's transaction ends, so numbers are handed out one
-- transaction at a time per scheme; numbers given by hand are skipped.
CREATE FUNCTION portal_next_participant_number(p_scheme uuid) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    LOOP
        INSERT INTO participant_number_counters AS c (scheme_id, last_number)
             VALUES (p_scheme, 1000001)
        ON CONFLICT (scheme_id) DO UPDATE SET last_number = c.last_number + 1
        RETURNING last_number INTO n;
        EXIT WHEN NOT EXISTS (SELECT 1 FROM participants
                               WHERE scheme_id = p_scheme AND participant_number = n::text
                                 AND rejected_at IS NULL);
    END LOOP;
    RETURN n::text;
END;
$$;

-- Derives the participant's periods from its changes (see the top of this
-- file) and bumps its version. Runs in the caller's transaction, which
-- holds the participant row FOR UPDATE.
CREATE FUNCTION portal_participant_rebuild(p_participant uuid) RETURNS void
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

    UPDATE participant_periods SET superseded_at = v_now
     WHERE participant_id = p_participant AND superseded_at IS NULL;

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
        INSERT INTO participant_periods (participant_id, scheme_id, participant_number, valid,
               first_period, registered_at, status, first_name, initials, surname_prefix, surname,
               display_name, birth_date, gender, email, address, employment_start, employment_end,
               salary, parttime_percentage, partner, children)
        SELECT p_participant, v_scheme, v_number, r.valid, r.first_period, v_now, r.status,
               r.first_name, r.initials, r.surname_prefix, r.surname, r.display_name, r.birth_date,
               r.gender, r.email, r.address, r.employment_start,
               coalesce(r.employment_end, (SELECT max(r2.employment_end) FROM unnest(v_rows) r2
                                            WHERE r2.employment_start = r.employment_start)),
               r.salary, r.parttime_percentage, r.partner, r.children
          FROM unnest(v_rows) r;
    END IF;
    UPDATE participants SET version = version + 1 WHERE id = p_participant;
END;
$$;

-- The state of the participants of some schemes as valid on p_as_of, with
-- every change known now (retroactive ones included): for exports.
CREATE FUNCTION portal_participants_as_of(p_scheme_ids uuid[], p_as_of date)
RETURNS SETOF participant_periods LANGUAGE sql STABLE AS $$
    SELECT * FROM participant_periods
     WHERE scheme_id = ANY (p_scheme_ids) AND superseded_at IS NULL AND valid @> p_as_of
$$;

-- The same as it was known at p_known_at (before later registrations).
CREATE FUNCTION portal_participants_as_known_at(p_scheme_ids uuid[], p_as_of date,
                                                p_known_at timestamptz)
RETURNS SETOF participant_periods LANGUAGE sql STABLE AS $$
    SELECT * FROM participant_periods
     WHERE scheme_id = ANY (p_scheme_ids) AND registered_at <= p_known_at
       AND (superseded_at IS NULL OR superseded_at > p_known_at) AND valid @> p_as_of
$$;

-- "*****6782": what callers without participants.bsn see of a BSN.
CREATE FUNCTION portal_mask_bsn(p_bsn text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_bsn IS NULL THEN NULL ELSE '*****' || right(p_bsn, 4) END
$$;

-- A family member (partner or child) with the BSN masked unless p_full.
CREATE FUNCTION portal_family_member(p_member jsonb, p_full boolean) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_member IS NULL OR p_full OR NOT (p_member ? 'bsn') THEN p_member
                ELSE jsonb_set(p_member, '{bsn}', to_jsonb(portal_mask_bsn(p_member ->> 'bsn'))) END
$$;

-- What a change's history entry shows of its payload (BSNs always masked).
CREATE FUNCTION portal_change_data(p_type text, p_payload jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_type
        WHEN 'registration' THEN jsonb_build_object('display_name', p_payload -> 'display_name',
                                                    'employment', p_payload -> 'employment')
        WHEN 'salary_change' THEN jsonb_strip_nulls(jsonb_build_object(
                                      'salary', p_payload -> 'salary',
                                      'parttime_percentage', p_payload -> 'parttime_percentage'))
        WHEN 'address_change' THEN jsonb_build_object('address', p_payload -> 'address')
        WHEN 'partner_registration' THEN jsonb_build_object('partner',
                                      portal_family_member(p_payload -> 'partner', false))
        WHEN 'child_registration' THEN jsonb_build_object('child',
                                      portal_family_member(p_payload -> 'child', false))
        ELSE '{}'::jsonb END
$$;
