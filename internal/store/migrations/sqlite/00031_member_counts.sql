-- +goose Up
-- Issue 14, the promised scale: an organisation's member count is kept
-- instead of counted. COUNT(*) over the 87,000 members of the largest
-- municipality took three quarters of the member list's time. Triggers
-- keep the count with every membership written or removed, whichever
-- code path does it.
CREATE TABLE member_counts (
    org_id  INTEGER PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    members INTEGER NOT NULL
);
INSERT INTO member_counts (org_id, members) SELECT org_id, COUNT(*) FROM memberships GROUP BY org_id;
-- +goose StatementBegin
CREATE TRIGGER member_counts_insert AFTER INSERT ON memberships BEGIN
    INSERT INTO member_counts (org_id, members) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET members = members + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER member_counts_delete AFTER DELETE ON memberships BEGIN
    UPDATE member_counts SET members = members - 1 WHERE org_id = OLD.org_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER member_counts_delete;
DROP TRIGGER member_counts_insert;
DROP TABLE member_counts;
