-- +goose Up
-- Issue 14, the promised scale: a version per kept aggregate, raised by
-- triggers whenever the aggregate changes, so that an instance may keep
-- the aggregate in memory and check with one key lookup that it still
-- holds (/lotsen read and joined the 355 district counts on every view:
-- two fifths of the page's time). Every instance reads the same version:
-- no instance serves counts another one has changed.
CREATE TABLE kept_versions (
    name    TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO kept_versions (name, version) VALUES ('pilot_district_counts', 1);
-- Saving an entry sets its district and visibility again; the counts
-- change only when one of them does.
DROP TRIGGER pilot_district_counts_update;
-- +goose StatementBegin
CREATE TRIGGER pilot_district_counts_update AFTER UPDATE OF district, hidden ON pilot_entries
    WHEN OLD.district IS NOT NEW.district OR OLD.hidden IS NOT NEW.hidden BEGIN
    UPDATE pilot_district_counts SET entries = entries - 1 WHERE district = OLD.district AND OLD.hidden = 0;
    INSERT INTO pilot_district_counts (district, entries) SELECT NEW.district, 1 WHERE NEW.hidden = 0
    ON CONFLICT (district) DO UPDATE SET entries = entries + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pilot_district_counts_version_insert AFTER INSERT ON pilot_district_counts BEGIN
    UPDATE kept_versions SET version = version + 1 WHERE name = 'pilot_district_counts';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pilot_district_counts_version_update AFTER UPDATE ON pilot_district_counts BEGIN
    UPDATE kept_versions SET version = version + 1 WHERE name = 'pilot_district_counts';
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pilot_district_counts_version_delete AFTER DELETE ON pilot_district_counts BEGIN
    UPDATE kept_versions SET version = version + 1 WHERE name = 'pilot_district_counts';
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER pilot_district_counts_version_delete;
DROP TRIGGER pilot_district_counts_version_update;
DROP TRIGGER pilot_district_counts_version_insert;
DROP TABLE kept_versions;
DROP TRIGGER pilot_district_counts_update;
-- +goose StatementBegin
CREATE TRIGGER pilot_district_counts_update AFTER UPDATE OF district, hidden ON pilot_entries BEGIN
    UPDATE pilot_district_counts SET entries = entries - 1 WHERE district = OLD.district AND OLD.hidden = 0;
    INSERT INTO pilot_district_counts (district, entries) SELECT NEW.district, 1 WHERE NEW.hidden = 0
    ON CONFLICT (district) DO UPDATE SET entries = entries + 1;
END;
-- +goose StatementEnd
