-- 0017_reconciliation_duplicates: what the year-end reconciliation needs
-- beyond 0015 (seed 002 §16 and the reminders before the deadline).
--
--  * reconciliation_duplicate_dismissals: a pair of employees the portal
--    lists as likely duplicates (same BSN, or same name and birth date) that
--    the employer declared to be two people. A pair is kept once, with the
--    smaller id first; merging or removing either employee drops it.
--    Hand-in refuses while a listed pair is neither merged nor dismissed.
--  * reconciliation_reminders: the reminder mails sent before a deadline,
--    one row per reconciliation and days-before setting with the deadline it
--    was sent for, so each reminder goes out once; extending the deadline
--    past that one arms it again.

CREATE TABLE reconciliation_duplicate_dismissals (
    reconciliation_id   uuid NOT NULL REFERENCES reconciliations (id) ON DELETE CASCADE,
    first_employee_id   uuid NOT NULL REFERENCES reconciliation_employees (id) ON DELETE CASCADE,
    second_employee_id  uuid NOT NULL REFERENCES reconciliation_employees (id) ON DELETE CASCADE,
    created_at          timestamptz NOT NULL DEFAULT now(),
    created_by          uuid REFERENCES users (id),
    PRIMARY KEY (first_employee_id, second_employee_id),
    CHECK (first_employee_id < second_employee_id)
);
CREATE INDEX reconciliation_duplicate_dismissals_of
    ON reconciliation_duplicate_dismissals (reconciliation_id);
CREATE INDEX reconciliation_duplicate_dismissals_second
    ON reconciliation_duplicate_dismissals (second_employee_id);

-- Finding pairs by name and birth date inside one reconciliation.
CREATE INDEX reconciliation_employees_person
    ON reconciliation_employees (reconciliation_id, birth_date, lower(surname));

CREATE TABLE reconciliation_reminders (
    reconciliation_id  uuid NOT NULL REFERENCES reconciliations (id) ON DELETE CASCADE,
    days_before        integer NOT NULL CHECK (days_before BETWEEN 0 AND 366),
    deadline           date NOT NULL,
    sent_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (reconciliation_id, days_before)
);
