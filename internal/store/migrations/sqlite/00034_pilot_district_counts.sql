-- +goose Up
-- Issue 14, the promised scale: the visible entries of the pilots'
-- directory per district are kept instead of grouped on every view of
-- /lotsen (20,000 entries: most of the page's time).
CREATE TABLE pilot_district_counts (
    district TEXT PRIMARY KEY,
    entries  INTEGER NOT NULL
);
INSERT INTO pilot_district_counts (district, entries)
    SELECT district, COUNT(*) FROM pilot_entries WHERE hidden = 0 GROUP BY district;
-- +goose StatementBegin
CREATE TRIGGER pilot_district_counts_insert AFTER INSERT ON pilot_entries WHEN NEW.hidden = 0 BEGIN
    INSERT INTO pilot_district_counts (district, entries) VALUES (NEW.district, 1)
    ON CONFLICT (district) DO UPDATE SET entries = entries + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pilot_district_counts_delete AFTER DELETE ON pilot_entries WHEN OLD.hidden = 0 BEGIN
    UPDATE pilot_district_counts SET entries = entries - 1 WHERE district = OLD.district;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER pilot_district_counts_update AFTER UPDATE OF district, hidden ON pilot_entries BEGIN
    UPDATE pilot_district_counts SET entries = entries - 1 WHERE district = OLD.district AND OLD.hidden = 0;
    INSERT INTO pilot_district_counts (district, entries) SELECT NEW.district, 1 WHERE NEW.hidden = 0
    ON CONFLICT (district) DO UPDATE SET entries = entries + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER pilot_district_counts_update;
DROP TRIGGER pilot_district_counts_delete;
DROP TRIGGER pilot_district_counts_insert;
DROP TABLE pilot_district_counts;
