-- 0020_reconciliation_evidence_requested: the evidence files the insurer asks
-- for when opening a reconciliation (seed 002 §19-21): a subset of the
-- kinds of reconciliation_evidence. Empty (nothing asked) by default, so
-- reconciliations made before keep handing in as they did; submission
-- reports evidence_missing for each kind asked without an upload.
ALTER TABLE reconciliations
    ADD COLUMN evidence_requested text[] NOT NULL DEFAULT '{}'
        CHECK (evidence_requested <@ ARRAY['payroll_summary', 'absence_report']::text[]);
