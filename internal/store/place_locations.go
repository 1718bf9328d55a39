package store

import (
	"context"
	"fmt"
)

// Locations of places the official boundaries lack (see migration 00021).

// PlaceLocation returns where the place ags lies; ok is false when the
// table does not know it.
func (db *DB) PlaceLocation(ctx context.Context, ags string) (lat, lon float64, ok bool, err error) {
	err = db.queryRow(ctx, `SELECT lat, lon FROM place_locations WHERE ags = $1`, ags).Scan(&lat, &lon)
	if errNoRows(err) {
		return 0, 0, false, nil
	}
	return lat, lon, err == nil, mapErr(err)
}

// SetPlaceLocation records where the place ags lies.
func (db *DB) SetPlaceLocation(ctx context.Context, ags string, lat, lon float64) error {
	if lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return fmt.Errorf("place location %s: %v, %v out of range", ags, lat, lon)
	}
	_, err := db.exec(ctx, `INSERT INTO place_locations (ags, lat, lon) VALUES ($1, $2, $3)
		ON CONFLICT (ags) DO UPDATE SET lat = excluded.lat, lon = excluded.lon`, ags, lat, lon)
	return err
}
