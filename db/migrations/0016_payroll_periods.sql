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
