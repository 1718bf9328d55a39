-- +goose Up
-- Bookings of sessions. Capacity is checked inside the booking transaction
-- against the confirmed rows; a voucher can back at most one active booking,
-- which the partial unique index enforces as well.
CREATE TABLE bookings (
    id                INTEGER PRIMARY KEY,
    session_id        INTEGER NOT NULL REFERENCES offer_sessions(id),
    person_id         INTEGER REFERENCES persons(id),
    participant_name  TEXT NOT NULL,
    participant_email TEXT NOT NULL,
    payment           TEXT NOT NULL CHECK (payment IN ('voucher','employer','private')),
    voucher_code      TEXT REFERENCES vouchers(code),
    employer_id       INTEGER REFERENCES organisations(id),
    status            TEXT NOT NULL CHECK (status IN ('confirmed','waitlisted','awaiting_approval','cancelled','completed')),
    created_by        INTEGER REFERENCES persons(id),
    idempotency_key   TEXT,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    cancelled_at      TIMESTAMP
);
CREATE INDEX bookings_session ON bookings(session_id, status, id);
CREATE INDEX bookings_person ON bookings(person_id);
CREATE UNIQUE INDEX bookings_voucher_active ON bookings(voucher_code) WHERE voucher_code IS NOT NULL AND status <> 'cancelled';
CREATE UNIQUE INDEX bookings_idempotency ON bookings(created_by, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- A person's secret calendar feed address (calendar apps cannot log in).
CREATE TABLE calendar_tokens (
    person_id  INTEGER PRIMARY KEY REFERENCES persons(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

-- Attendance per booking and session day.
CREATE TABLE attendance (
    booking_id  INTEGER NOT NULL REFERENCES bookings(id),
    day         INTEGER NOT NULL CHECK (day >= 1),
    status      TEXT NOT NULL CHECK (status IN ('present','absent','excused')),
    recorded_by INTEGER REFERENCES persons(id),
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (booking_id, day)
);

-- Ratings of an offer by participants who completed it, one per booking.
CREATE TABLE ratings (
    booking_id INTEGER PRIMARY KEY REFERENCES bookings(id),
    offer_id   INTEGER NOT NULL REFERENCES offers(id),
    stars      INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ratings_offer ON ratings(offer_id);

-- The platform's Ed25519 signing keys. Retired keys stay, so that
-- credentials signed with them remain verifiable.
CREATE TABLE signing_keys (
    kid         TEXT PRIMARY KEY,
    private_key TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    retired_at  TIMESTAMP
);

-- Certificates of completed bookings with their signed credential.
CREATE TABLE certificates (
    id                TEXT PRIMARY KEY,
    booking_id        INTEGER NOT NULL UNIQUE REFERENCES bookings(id),
    offer_id          INTEGER NOT NULL REFERENCES offers(id),
    provider_id       INTEGER NOT NULL REFERENCES organisations(id),
    person_id         INTEGER REFERENCES persons(id),
    participant_name  TEXT NOT NULL,
    participant_email TEXT NOT NULL,
    issued_at         TIMESTAMP NOT NULL,
    revoked_at        TIMESTAMP,
    revoke_reason     TEXT NOT NULL DEFAULT '',
    kid               TEXT NOT NULL REFERENCES signing_keys(kid),
    jwt               TEXT NOT NULL
);
CREATE INDEX certificates_person ON certificates(person_id);

-- +goose Down
DROP TABLE certificates;
DROP TABLE signing_keys;
DROP TABLE ratings;
DROP TABLE attendance;
DROP TABLE calendar_tokens;
DROP TABLE bookings;
