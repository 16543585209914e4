-- 0015_reconciliations: the year-end reconciliation (naverrekening) of an
-- income scheme (DESIGN.md §4.6, seed 002 §6-§23).
--
-- Schemes already carry what applies (migration 0003): variant
-- (stop_loss | no_claim), start_date (the policy start) and
-- insured_wage_type (uniform_wage | uniform_wage_excl_car |
-- pensionable_salary). A reconciliation reads them from its scheme.
--
--  * reconciliations: one per scheme and year, made by staff with the
--    parameters (premium rate, provisional premium, wage cap, and for
--    stop-loss the own risk, continued pay and maximum reimbursement).
--    status moves open -> submitted (the employer hands it in) -> processed
--    (a 'reconciliation' job computed it); staff reopen a submitted or
--    processed one (reopen_reason), which clears the result. version counts
--    every edit: the ETag, and the submission a queued job belongs to.
--  * reconciliation_employees: the employees reported, pre-filled at
--    creation from the scheme's participants employed at any time in the
--    year (person fields copied, so later participant changes do not move
--    a reconciliation under way) or added by hand; insured_wage is NULL
--    until the employer gives it. left_service: the participant had left,
--    so the last employment needs an end date.
--  * reconciliation_employments: an employee's employments in order.
--  * reconciliation_sick_reports: stop-loss sick reports, with the cost the
--    computation found for each (sick_days, daily_wage, cost).
--  * reconciliation_evidence: the payroll summary and absence report files
--    (blobs, migration 0012) with the confirmed checklist.
--  * reconciliation_lines: the computed line per employee.
-- Money is numeric(14,2), percentages numeric(6,3), as everywhere.

CREATE TABLE reconciliations (
    id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    scheme_id                 uuid NOT NULL REFERENCES schemes (id),
    year                      integer NOT NULL CHECK (year BETWEEN 1950 AND 2199),
    status                    text NOT NULL DEFAULT 'open'
                                  CHECK (status IN ('open', 'submitted', 'processed')),
    deadline                  date NOT NULL,
    premium_rate              numeric(6,3) NOT NULL CHECK (premium_rate BETWEEN 0 AND 100),
    provisional_premium       numeric(14,2) NOT NULL CHECK (provisional_premium >= 0),
    wage_cap                  numeric(14,2) NOT NULL CHECK (wage_cap >= 0),
    own_risk_percentage       numeric(6,3) CHECK (own_risk_percentage BETWEEN 0 AND 100),
    own_risk_amount           numeric(14,2) CHECK (own_risk_amount >= 0),
    continued_pay_percentage  numeric(6,3) CHECK (continued_pay_percentage BETWEEN 0 AND 100),
    maximum_reimbursement     numeric(14,2) CHECK (maximum_reimbursement >= 0),
    reopen_reason             text,
    reopened_at               timestamptz,
    reopened_by               uuid REFERENCES users (id),
    submitted_at              timestamptz,
    submitted_by              uuid REFERENCES users (id),
    processed_at              timestamptz,
    capped_wage_total         numeric(14,2),
    definitive_premium        numeric(14,2),
    result_provisional        numeric(14,2),
    settlement                numeric(14,2),
    result_own_risk           numeric(14,2),
    sick_pay_cost             numeric(14,2),
    reimbursement             numeric(14,2),
    created_at                timestamptz NOT NULL DEFAULT now(),
    created_by                uuid REFERENCES users (id),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    version                   integer NOT NULL DEFAULT 1,
    UNIQUE (scheme_id, year),
    CHECK (status = 'processed' OR definitive_premium IS NULL)
);
CREATE INDEX reconciliations_open_deadline ON reconciliations (deadline, id) WHERE status = 'open';

CREATE TABLE reconciliation_employees (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    reconciliation_id  uuid NOT NULL REFERENCES reconciliations (id) ON DELETE CASCADE,
    seq                bigint GENERATED ALWAYS AS IDENTITY,
    participant_id     uuid REFERENCES participants (id),
    first_name         text,
    initials           text NOT NULL,
    surname_prefix     text,
    surname            text NOT NULL,
    display_name       text NOT NULL,
    birth_date         date NOT NULL,
    gender             text NOT NULL CHECK (gender IN ('male', 'female', 'unknown')),
    bsn                text NOT NULL CHECK (bsn ~ '^[0-9]{9}$'),
    left_service       boolean NOT NULL DEFAULT false,
    insured_wage       numeric(14,2) CHECK (insured_wage >= 0),
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reconciliation_employees_order ON reconciliation_employees (reconciliation_id, seq);
CREATE UNIQUE INDEX reconciliation_employees_bsn ON reconciliation_employees (reconciliation_id, bsn);

CREATE TABLE reconciliation_employments (
    employee_id  uuid NOT NULL REFERENCES reconciliation_employees (id) ON DELETE CASCADE,
    position     smallint NOT NULL CHECK (position BETWEEN 0 AND 31),
    start_date   date NOT NULL,
    end_date     date,
    fixed_term   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (employee_id, position)
);

CREATE TABLE reconciliation_sick_reports (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    reconciliation_id  uuid NOT NULL REFERENCES reconciliations (id) ON DELETE CASCADE,
    seq                bigint GENERATED ALWAYS AS IDENTITY,
    employee_id        uuid NOT NULL REFERENCES reconciliation_employees (id) ON DELETE CASCADE,
    first_sick_day     date NOT NULL,
    report_date        date NOT NULL,
    recovery_date      date,
    ao_percentage      numeric(6,3) NOT NULL,
    atw_percentage     numeric(6,3) NOT NULL DEFAULT 0,
    sick_days          integer,
    daily_wage         numeric(14,2),
    cost               numeric(14,2),
    created_at         timestamptz NOT NULL DEFAULT now(),
    created_by         uuid REFERENCES users (id)
);
CREATE INDEX reconciliation_sick_reports_order ON reconciliation_sick_reports (reconciliation_id, seq);

CREATE TABLE reconciliation_evidence (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    reconciliation_id    uuid NOT NULL REFERENCES reconciliations (id) ON DELETE CASCADE,
    kind                 text NOT NULL CHECK (kind IN ('payroll_summary', 'absence_report')),
    blob_id              uuid NOT NULL,
    file_name            text NOT NULL,
    content_type         text NOT NULL,
    size                 bigint NOT NULL CHECK (size > 0),
    checklist_confirmed  boolean NOT NULL CHECK (checklist_confirmed),
    created_at           timestamptz NOT NULL DEFAULT now(),
    created_by           uuid REFERENCES users (id)
);
CREATE INDEX reconciliation_evidence_of ON reconciliation_evidence (reconciliation_id, created_at);

CREATE TABLE reconciliation_lines (
    reconciliation_id  uuid NOT NULL REFERENCES reconciliations (id) ON DELETE CASCADE,
    employee_id        uuid NOT NULL REFERENCES reconciliation_employees (id) ON DELETE CASCADE,
    days               integer NOT NULL,
    prorated_cap       numeric(14,2) NOT NULL,
    capped_wage        numeric(14,2) NOT NULL,
    premium            numeric(14,2) NOT NULL,
    PRIMARY KEY (employee_id)
);
CREATE INDEX reconciliation_lines_of ON reconciliation_lines (reconciliation_id);

-- Reading a reconciliation: hr_read consults it, finance reads it and its
-- result (financial figures), hr and user_management with their edit right
-- too, staff everything. Offices under a mandate get hr_read or hr.
UPDATE rights SET capabilities = array_append(capabilities, 'reconciliation.read')
 WHERE (organisation_kind, id) IN (('insurer', 'staff'), ('employer', 'user_management'),
                                   ('employer', 'hr'), ('employer', 'hr_read'),
                                   ('employer', 'finance'))
   AND NOT 'reconciliation.read' = ANY (capabilities);
