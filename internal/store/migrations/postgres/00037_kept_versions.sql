-- +goose Up
-- Issue 14, the promised scale: a version per kept aggregate, raised by
-- triggers whenever the aggregate changes, so that an instance may keep
-- the aggregate in memory and check with one key lookup that it still
-- holds (/lotsen read and joined the 355 district counts on every view:
-- two fifths of the page's time). Every instance reads the same version:
-- no instance serves counts another one has changed.
CREATE TABLE kept_versions (
    name    TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO kept_versions (name, version) VALUES ('pilot_district_counts', 1);
-- Saving an entry sets its district and visibility again; the counts
-- change only when one of them does.
DROP TRIGGER pilot_district_counts_update ON pilot_entries;
CREATE TRIGGER pilot_district_counts_update AFTER UPDATE OF district, hidden ON pilot_entries FOR EACH ROW
    WHEN (OLD.district IS DISTINCT FROM NEW.district OR OLD.hidden IS DISTINCT FROM NEW.hidden)
    EXECUTE FUNCTION pilot_district_counts_keep();
-- +goose StatementBegin
CREATE FUNCTION pilot_district_counts_version() RETURNS trigger AS $$
BEGIN
    UPDATE kept_versions SET version = version + 1 WHERE name = 'pilot_district_counts';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER pilot_district_counts_version AFTER INSERT OR UPDATE OR DELETE ON pilot_district_counts
    FOR EACH STATEMENT EXECUTE FUNCTION pilot_district_counts_version();

-- +goose Down
DROP TRIGGER pilot_district_counts_version ON pilot_district_counts;
DROP FUNCTION pilot_district_counts_version();
DROP TABLE kept_versions;
DROP TRIGGER pilot_district_counts_update ON pilot_entries;
CREATE TRIGGER pilot_district_counts_update AFTER UPDATE OF district, hidden ON pilot_entries FOR EACH ROW EXECUTE FUNCTION pilot_district_counts_keep();
