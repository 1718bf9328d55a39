-- +goose Up
-- Issue 14, the promised scale: the visible entries of the pilots'
-- directory per district are kept instead of grouped on every view of
-- /lotsen (20,000 entries: most of the page's time).
CREATE TABLE pilot_district_counts (
    district TEXT PRIMARY KEY,
    entries  BIGINT NOT NULL
);
INSERT INTO pilot_district_counts (district, entries)
    SELECT district, COUNT(*) FROM pilot_entries WHERE hidden = FALSE GROUP BY district;
-- +goose StatementBegin
CREATE FUNCTION pilot_district_counts_keep() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD.hidden THEN
        UPDATE pilot_district_counts SET entries = entries - 1 WHERE district = OLD.district;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NOT NEW.hidden THEN
        INSERT INTO pilot_district_counts (district, entries) VALUES (NEW.district, 1)
        ON CONFLICT (district) DO UPDATE SET entries = pilot_district_counts.entries + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER pilot_district_counts_insert AFTER INSERT ON pilot_entries FOR EACH ROW EXECUTE FUNCTION pilot_district_counts_keep();
CREATE TRIGGER pilot_district_counts_delete AFTER DELETE ON pilot_entries FOR EACH ROW EXECUTE FUNCTION pilot_district_counts_keep();
CREATE TRIGGER pilot_district_counts_update AFTER UPDATE OF district, hidden ON pilot_entries FOR EACH ROW EXECUTE FUNCTION pilot_district_counts_keep();

-- +goose Down
DROP TRIGGER pilot_district_counts_update ON pilot_entries;
DROP TRIGGER pilot_district_counts_delete ON pilot_entries;
DROP TRIGGER pilot_district_counts_insert ON pilot_entries;
DROP FUNCTION pilot_district_counts_keep();
DROP TABLE pilot_district_counts;
