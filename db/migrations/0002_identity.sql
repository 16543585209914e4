-- 0002_identity: organisations, users and everything needed to sign in.
--
-- Secrets are never stored in the clear: invitation, reset and refresh tokens,
-- verification codes and recovery codes are kept as SHA-256 hashes of
-- high-entropy values (or of the code bound to its user), passwords as argon2id
-- encoded hashes. The TOTP secret must be readable to check codes, so it is
-- the one exception; it never leaves the server after enrolment.
--
-- Users are never deleted: deleted_at ends them, so the audit log keeps its
-- references. Usernames are unique case-insensitively among users not deleted.

CREATE TABLE organisations (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind                text NOT NULL CHECK (kind IN ('insurer', 'employer', 'intermediary')),
    name                text NOT NULL,
    registration_number text,
    postal_address      jsonb,
    visiting_address    jsonb,
    contact_person      jsonb,
    notification_email  text,
    advisor_id          uuid REFERENCES organisations (id),
    licences            text[],
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    version             integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX organisations_one_insurer ON organisations ((kind)) WHERE kind = 'insurer';

CREATE TABLE users (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id    uuid NOT NULL REFERENCES organisations (id),
    first_name         text NOT NULL,
    last_name          text NOT NULL,
    email              text NOT NULL,
    mobile             text,
    username           text,
    password_hash      text,
    status             text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'locked')),
    language           text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
    theme              text NOT NULL DEFAULT 'light' CHECK (theme IN ('light', 'dark')),
    totp_secret        text,
    totp_last_counter  bigint,
    mfa_enrolled_at    timestamptz,
    scheme_ids         uuid[],              -- NULL: every scheme of the organisation
    expires_at         timestamptz,         -- external consultants
    pending_email      text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    deleted_at         timestamptz,
    version            integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_username_ci ON users (lower(username)) WHERE username IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX users_org ON users (organisation_id) WHERE deleted_at IS NULL;
CREATE INDEX users_email_ci ON users (lower(email)) WHERE deleted_at IS NULL;

-- The rights catalogue lives in 0003; user_rights only names right ids.
CREATE TABLE user_rights (
    user_id   uuid NOT NULL REFERENCES users (id),
    right_id  text NOT NULL,
    PRIMARY KEY (user_id, right_id)
);

CREATE TABLE invitations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id),
    token_hash  text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX invitations_user ON invitations (user_id);

CREATE TABLE verification_codes (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL REFERENCES users (id),
    purpose       text NOT NULL CHECK (purpose IN ('activation', 'email_change')),
    invitation_id uuid REFERENCES invitations (id),
    code_hash     text NOT NULL,
    new_email     text,
    attempts      integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX verification_codes_user ON verification_codes (user_id, purpose);

CREATE TABLE sessions (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    ended_at        timestamptz,
    end_reason      text,
    client_address  text,
    csrf_hash       text
);
CREATE INDEX sessions_user_open ON sessions (user_id) WHERE ended_at IS NULL;

-- One row per refresh token; a token is used once. Presenting a used token
-- again ends the whole session (the family), OAuth 2.0 Security BCP §4.14.
CREATE TABLE refresh_tokens (
    token_hash  text PRIMARY KEY,
    session_id  uuid NOT NULL REFERENCES sessions (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- The second step of a login: one row per mfa_token (its jti).
CREATE TABLE mfa_challenges (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id),
    pending_secret  text,                 -- set while enrolling a new authenticator
    attempts        integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz
);

CREATE TABLE recovery_codes (
    user_id    uuid NOT NULL REFERENCES users (id),
    code_hash  text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    used_at    timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE password_resets (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id),
    token_hash  text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

-- Failed passwords and codes, per username (existing or not) and per client
-- address. Only failures are counted; DESIGN.md §4 gives the rules, the
-- arithmetic is in api/src/domain/throttle_rules.c.
CREATE TABLE login_throttle (
    key              text PRIMARY KEY,    -- 'user:<lower-case username>' or 'addr:<address>'
    failures         integer NOT NULL DEFAULT 0,
    window_start     timestamptz NOT NULL DEFAULT now(),
    last_failure_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sms_outbox (
    id          bigserial PRIMARY KEY,
    to_number   text NOT NULL,
    body_text   text,                      -- cleared once delivered
    status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);

CREATE FUNCTION portal_enqueue_sms(p_to text, p_body text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    sms_id bigint;
BEGIN
    INSERT INTO sms_outbox (to_number, body_text) VALUES (p_to, p_body) RETURNING id INTO sms_id;
    INSERT INTO jobs (kind, payload) VALUES ('sms', jsonb_build_object('sms_id', sms_id));
    RETURN sms_id;
END;
$$;
