-- +goose Up
-- Where a municipality lies when the official boundaries (internal/geo,
-- from BKG VG5000) do not know it: a place added to the directory by hand,
-- or the demo's fictional district. Distances use the official centroid
-- first and this table only as a fallback.
CREATE TABLE place_locations (
    ags TEXT PRIMARY KEY,
    lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180)
);

-- +goose Down
DROP TABLE place_locations;
