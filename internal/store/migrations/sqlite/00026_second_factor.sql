-- +goose Up
-- A second factor (TOTP with recovery codes, passkeys), the requirement to
-- have one, and API tokens that expire and can be limited to scopes.

-- A session of a person who has (or must have) a second factor starts as
-- pending: it authenticates nobody except for the second-factor pages.
-- mfa_challenge holds the state of a running passkey ceremony (JSON).
ALTER TABLE sessions ADD COLUMN mfa_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN mfa_challenge TEXT NOT NULL DEFAULT '';

-- Tokens expire; those made before this migration get one year from now.
-- scopes: '' is full access (only tokens made before scopes existed, or
-- made with full access on purpose), else a comma-separated list of
-- read, bookings, vouchers.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%d %H:%M:%S', 'now', '+1 year') || '+00:00';

-- Who must have a second factor: an organisation for its own signatories,
-- reviewers, funders and admins; a programme for everyone in those roles
-- taking part in it.
ALTER TABLE organisations ADD COLUMN require_mfa INTEGER NOT NULL DEFAULT 0;
ALTER TABLE programmes ADD COLUMN require_mfa INTEGER NOT NULL DEFAULT 0;

-- TOTP: the secret sealed with the server's key (AES-GCM), confirmed once a
-- current code was given; last_step refuses a code used twice.
CREATE TABLE mfa_totp (
    person_id    INTEGER PRIMARY KEY REFERENCES persons(id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    confirmed_at TIMESTAMP,
    last_step    INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL
);

-- Recovery codes, hashed, each usable once.
CREATE TABLE mfa_recovery_codes (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX mfa_recovery_codes_person ON mfa_recovery_codes (person_id);

-- Passkeys (WebAuthn credentials) as a second factor. credential is the
-- library's credential record as JSON (public key, sign count, flags).
CREATE TABLE webauthn_credentials (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    credential_id TEXT NOT NULL UNIQUE,
    credential    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP
);
CREATE INDEX webauthn_credentials_person ON webauthn_credentials (person_id);

-- A key the server generates when no key is configured (LOTSE_SECRET_KEY):
-- it seals TOTP secrets so that all instances on one database read them.
CREATE TABLE server_keys (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE server_keys;
DROP TABLE webauthn_credentials;
DROP TABLE mfa_recovery_codes;
DROP TABLE mfa_totp;
ALTER TABLE programmes DROP COLUMN require_mfa;
ALTER TABLE organisations DROP COLUMN require_mfa;
ALTER TABLE api_tokens DROP COLUMN scopes;
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE sessions DROP COLUMN mfa_challenge;
ALTER TABLE sessions DROP COLUMN mfa_pending;
