-- +goose Up
-- Issue 14, the promised scale: an organisation's member count is kept
-- instead of counted. COUNT(*) over the 87,000 members of the largest
-- municipality took three quarters of the member list's time. Triggers
-- keep the count with every membership written or removed, whichever
-- code path does it.
CREATE TABLE member_counts (
    org_id  BIGINT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
    members BIGINT NOT NULL
);
INSERT INTO member_counts (org_id, members) SELECT org_id, COUNT(*) FROM memberships GROUP BY org_id;
-- +goose StatementBegin
CREATE FUNCTION member_counts_keep() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO member_counts (org_id, members) VALUES (NEW.org_id, 1)
        ON CONFLICT (org_id) DO UPDATE SET members = member_counts.members + 1;
    ELSE
        UPDATE member_counts SET members = members - 1 WHERE org_id = OLD.org_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER member_counts_insert AFTER INSERT ON memberships FOR EACH ROW EXECUTE FUNCTION member_counts_keep();
CREATE TRIGGER member_counts_delete AFTER DELETE ON memberships FOR EACH ROW EXECUTE FUNCTION member_counts_keep();

-- +goose Down
DROP TRIGGER member_counts_delete ON memberships;
DROP TRIGGER member_counts_insert ON memberships;
DROP FUNCTION member_counts_keep();
DROP TABLE member_counts;
