-- 0007_sealed_totp_secrets: TOTP secrets are kept sealed with the data key.
--
-- A stored secret is now "v1:<base64 nonce>:<base64 ciphertext and tag>"
-- (AES-256-GCM under PORTAL_DATA_KEY_FILE, see api/src/auth/secretbox.h).
-- users.totp_secret values still in the clear are sealed by portal-api serve
-- at start-up, since only the server holds the key; until then they keep
-- working as they are.
--
-- A challenge keeps its pending enrolment secret after use, so plaintext
-- ones are dropped here and their challenges ended: someone halfway through
-- enrolling signs in again and gets a new (sealed) secret.
COMMENT ON COLUMN users.totp_secret IS
    'sealed: v1:<nonce>:<ciphertext> (AES-256-GCM, data key); no prefix = legacy plaintext';
COMMENT ON COLUMN mfa_challenges.pending_secret IS
    'sealed like users.totp_secret; set while enrolling a new authenticator';

UPDATE mfa_challenges
   SET pending_secret = NULL, expires_at = least(expires_at, now())
 WHERE pending_secret IS NOT NULL AND pending_secret NOT LIKE 'v1:%';
