-- +goose Up
-- Networking events (Vernetzungstreffen) of an association. state_ags is
-- the state whose digital pilots the audience "pilots" means; questions is
-- the JSON list of the questions asked at registration.
CREATE TABLE events (
    id                    INTEGER PRIMARY KEY,
    organiser_id          INTEGER NOT NULL REFERENCES organisations(id),
    state_ags             TEXT NOT NULL DEFAULT '',
    title                 TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    agenda                TEXT NOT NULL DEFAULT '',
    starts_at             TIMESTAMP NOT NULL,
    ends_at               TIMESTAMP NOT NULL,
    online                INTEGER NOT NULL DEFAULT 0,
    online_url            TEXT NOT NULL DEFAULT '',
    ags                   TEXT NOT NULL DEFAULT '',
    address               TEXT NOT NULL DEFAULT '',
    capacity              INTEGER NOT NULL CHECK (capacity > 0),
    registration_deadline TIMESTAMP NOT NULL,
    audience              TEXT NOT NULL CHECK (audience IN ('pilots', 'members', 'public')),
    questions             TEXT NOT NULL DEFAULT '[]',
    status                TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'cancelled')),
    cancel_reason         TEXT NOT NULL DEFAULT '',
    created_by            INTEGER REFERENCES persons(id),
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL,
    published_at          TIMESTAMP,
    cancelled_at          TIMESTAMP,
    -- The active registrations, kept by the store in the transactions that
    -- change them (under the event's lock), for pages and lists; places are
    -- decided from the rows. The CHECK is the schema's guard on capacity.
    confirmed_count       INTEGER NOT NULL DEFAULT 0 CHECK (confirmed_count >= 0),
    waitlisted_count      INTEGER NOT NULL DEFAULT 0 CHECK (waitlisted_count >= 0),
    CHECK (confirmed_count <= capacity)
);

CREATE INDEX events_upcoming ON events (status, starts_at);
CREATE INDEX events_organiser ON events (organiser_id, starts_at);

-- A person's registration for an event: confirmed, on the waiting list or
-- cancelled. At most one active registration per person and event (partial
-- unique index); capacity is kept by the service under the event's lock.
-- show_name is the person's consent to appear on the participant list
-- other attendees see (default: no).
CREATE TABLE event_registrations (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events(id),
    person_id    INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    org_id       INTEGER REFERENCES organisations(id),
    status       TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    answers      TEXT NOT NULL DEFAULT '[]',
    show_name    INTEGER NOT NULL DEFAULT 0,
    attended_at  TIMESTAMP,
    attended_by  INTEGER REFERENCES persons(id),
    reminded_at  TIMESTAMP,
    created_by   INTEGER REFERENCES persons(id),
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP
);

CREATE UNIQUE INDEX event_registrations_active ON event_registrations (event_id, person_id) WHERE status <> 'cancelled';
CREATE INDEX event_registrations_event ON event_registrations (event_id, status, id);
CREATE INDEX event_registrations_person ON event_registrations (person_id, status);
-- The organiser's list in the order people came, and the participant list
-- of those who agreed to appear on it: both read from the index alone.
CREATE INDEX event_registrations_active_order ON event_registrations (event_id, id) WHERE status <> 'cancelled';
CREATE INDEX event_registrations_shown ON event_registrations (event_id, id) WHERE status = 'confirmed' AND show_name = true;

-- +goose Down
DROP TABLE event_registrations;
DROP TABLE events;
