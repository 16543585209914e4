-- Sign-in hardening.
--
-- A sign-in attempt is reserved in the statement that checks the counter
-- (store/throttle.c): a failure is counted before the password is hashed, and
-- a success gives the reservation back, restoring the time of the failure
-- before it.
ALTER TABLE login_throttle ADD COLUMN previous_failure_at timestamptz;

-- Clients (an IPv4 address, or an IPv6 /64) from which a user signed in
-- successfully. From such a client the user's failures are counted apart
-- (key 'known:...'), so failures elsewhere do not lock the user out of it.
-- Only the SHA-256 of the client is kept; at most 20 rows per user.
CREATE TABLE signin_known_clients (
    user_id          uuid NOT NULL REFERENCES users (id),
    client_hash      text NOT NULL,
    last_success_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, client_hash)
);

-- Links mailed when an account becomes throttled: the user lifts the wait
-- with one (POST /api/v1/auth/unlock). Only the SHA-256 of the token is kept.
CREATE TABLE signin_unlocks (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id),
    token_hash  text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX signin_unlocks_user ON signin_unlocks (user_id) WHERE used_at IS NULL;
