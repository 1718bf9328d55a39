-- +goose Up
-- HR and signatories hand each voucher to a named person, bound by e-mail
-- address: the person with that address (now or once they join) holds it.
-- '' means nobody holds it yet. The ledger records every handing.
ALTER TABLE vouchers ADD COLUMN holder_email TEXT NOT NULL DEFAULT '';
ALTER TABLE vouchers ADD COLUMN handed_at TIMESTAMP;
CREATE INDEX vouchers_holder ON vouchers(holder_email, state);
ALTER TABLE voucher_events ADD COLUMN holder_email TEXT NOT NULL DEFAULT '';

-- What a generated document is, so that the voucher lists (which carry the
-- codes) are shown only to signatories and HR. Earlier approvals' lists are
-- recognised by their names.
ALTER TABLE documents ADD COLUMN kind TEXT NOT NULL DEFAULT ''
    CHECK (kind IN ('', 'contract', 'voucher_list', 'voucher_csv'));
UPDATE documents SET kind = 'contract' WHERE id IN (SELECT contract_id FROM applications WHERE contract_id IS NOT NULL);
UPDATE documents SET kind = 'voucher_list' WHERE kind = '' AND name LIKE 'gutscheincodes-%.pdf'
    AND id IN (SELECT document_id FROM message_attachments);
UPDATE documents SET kind = 'voucher_csv' WHERE kind = '' AND name LIKE 'gutscheincodes-%.csv'
    AND id IN (SELECT document_id FROM message_attachments);

-- A member of a municipality asks its HR and signatories for funding. They
-- answer with a voucher, by starting an application, or decline with a
-- reason.
CREATE TABLE funding_requests (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organisations(id),
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    track        TEXT NOT NULL,
    offer_id     INTEGER REFERENCES offers(id),
    reason       TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','voucher','application','declined')),
    voucher_code TEXT REFERENCES vouchers(code),
    answer       TEXT NOT NULL DEFAULT '',
    decided_by   INTEGER REFERENCES persons(id),
    decided_at   TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    CHECK ((status = 'open') = (decided_at IS NULL)),
    CHECK ((status = 'voucher') = (voucher_code IS NOT NULL)),
    CHECK (status <> 'declined' OR answer <> '')
);
CREATE INDEX funding_requests_org ON funding_requests(org_id, status);
CREATE INDEX funding_requests_person ON funding_requests(person_id);

-- +goose Down
DROP TABLE funding_requests;
ALTER TABLE documents DROP COLUMN kind;
ALTER TABLE voucher_events DROP COLUMN holder_email;
DROP INDEX vouchers_holder;
ALTER TABLE vouchers DROP COLUMN handed_at;
ALTER TABLE vouchers DROP COLUMN holder_email;
