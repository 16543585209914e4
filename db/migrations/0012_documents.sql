-- 0012_documents: financial and legal documents for employers (DESIGN.md
-- §4.5), the files behind them, who read them, and the notifications that
-- tell an employer something new waits in the portal.
--
--  * blobs / blob_chunks: stored files, kept in PostgreSQL as numbered chunks
--    of a fixed size (every chunk but the last is full), so any instance
--    serves any file, a byte range is found without reading what precedes
--    it, and no file is ever held whole in memory. store/blob_storage.c is
--    the only reader and writer; an object store could replace it.
--  * documents: one published file of an organisation (optionally one
--    scheme). Withdrawing keeps the row (withdrawn_at) and drops the file.
--  * document_reads: the first download of a document per user.
--  * employer_notifications: what is new for an organisation, gathered into
--    one digest mail to its notification address by a 'notification_digest'
--    job (jobs/notification_job.c).

CREATE TABLE blobs (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    size_bytes  bigint NOT NULL DEFAULT 0,
    chunk_size  integer NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE blob_chunks (
    blob_id  uuid NOT NULL REFERENCES blobs (id) ON DELETE CASCADE,
    seq      integer NOT NULL,
    data     bytea NOT NULL,
    PRIMARY KEY (blob_id, seq)
);
-- PDF and XLSX are compressed already: store the bytes as they come.
ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

CREATE TABLE documents (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    scheme_id        uuid REFERENCES schemes (id),
    kind             text NOT NULL CHECK (kind IN ('invoice', 'booking_overview', 'reminder',
                                                   'reconciliation_specification', 'pension_rules',
                                                   'execution_agreement', 'addendum')),
    category         text NOT NULL GENERATED ALWAYS AS (
                         CASE WHEN kind IN ('pension_rules', 'execution_agreement', 'addendum')
                              THEN 'legal' ELSE 'financial' END) STORED,
    title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    document_date    date NOT NULL,
    amount           numeric(14,2),
    due_date         date,
    file_name        text NOT NULL,
    content_type     text NOT NULL,
    size_bytes       bigint NOT NULL,
    sha256           text NOT NULL,
    blob_id          uuid REFERENCES blobs (id) ON DELETE SET NULL,
    created_by       uuid REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    withdrawn_at     timestamptz,
    withdrawn_by     uuid REFERENCES users (id)
);
CREATE INDEX documents_org_created ON documents (organisation_id, created_at DESC, id DESC)
    WHERE withdrawn_at IS NULL;

CREATE TABLE document_reads (
    document_id  uuid NOT NULL REFERENCES documents (id),
    user_id      uuid NOT NULL REFERENCES users (id),
    read_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (document_id, user_id)
);
CREATE INDEX document_reads_first ON document_reads (document_id, read_at);

CREATE TABLE employer_notifications (
    id               bigserial PRIMARY KEY,
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    kind             text NOT NULL,
    title            text NOT NULL,
    link             text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    mail_id          bigint
);
CREATE INDEX employer_notifications_pending ON employer_notifications (organisation_id, id)
    WHERE sent_at IS NULL;
