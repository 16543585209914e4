-- 0001_foundation: what every later resource builds on.
--
--  * audit_events: an append-only record of every change, written in the same
--    transaction as the change. A trigger refuses UPDATE, DELETE and TRUNCATE,
--    so not even the application can rewrite history.
--  * jobs: the work queue shared by every instance. Workers claim a row with
--    FOR UPDATE SKIP LOCKED and hold a lease (locked_until); a worker that
--    dies leaves its lease to expire and another instance picks the job up.
--    Inserting a job notifies the channel portal_jobs so idle workers wake.
--  * mail_outbox: mail written together with the business change that causes
--    it (transactional outbox) and delivered by a 'mail' job.
--  * idempotency_keys: the first answer to a POST with an Idempotency-Key,
--    per caller, replayed for retries of the same request.

CREATE TABLE audit_events (
    id              bigserial PRIMARY KEY,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    actor_user_id   uuid,
    actor_token_id  uuid,
    actor_label     text,
    organisation_id uuid,
    action          text NOT NULL,
    target_type     text,
    target_id       text,
    request_id      text,
    client_address  text,
    changes         jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_org_time ON audit_events (organisation_id, id DESC);
CREATE INDEX audit_events_actor ON audit_events (actor_user_id, id DESC);
CREATE INDEX audit_events_target ON audit_events (target_type, target_id, id DESC);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE TABLE jobs (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL,
    payload       jsonb NOT NULL DEFAULT '{}'::jsonb,
    status        text NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'running', 'done', 'failed')),
    attempts      integer NOT NULL DEFAULT 0,
    max_attempts  integer NOT NULL DEFAULT 8,
    run_at        timestamptz NOT NULL DEFAULT now(),
    locked_until  timestamptz,
    last_error    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE status IN ('pending', 'running');

CREATE FUNCTION jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('portal_jobs', NEW.kind);
    RETURN NULL;
END;
$$;
CREATE TRIGGER jobs_notify AFTER INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION jobs_notify();

CREATE TABLE mail_outbox (
    id          bigserial PRIMARY KEY,
    to_address  text NOT NULL,
    subject     text NOT NULL,
    body_text   text,              -- cleared once delivered: links in it may hold tokens
    status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);

-- Queues a mail and the job that delivers it; returns the mail's id.
CREATE FUNCTION portal_enqueue_mail(p_to text, p_subject text, p_body text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    mail_id bigint;
BEGIN
    INSERT INTO mail_outbox (to_address, subject, body_text)
        VALUES (p_to, p_subject, p_body) RETURNING id INTO mail_id;
    INSERT INTO jobs (kind, payload) VALUES ('mail', jsonb_build_object('mail_id', mail_id));
    RETURN mail_id;
END;
$$;

CREATE TABLE idempotency_keys (
    caller         text NOT NULL,
    key            text NOT NULL,
    request_hash   text NOT NULL,
    status_code    integer,
    response_body  text,
    location       text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);
