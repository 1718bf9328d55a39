package matching

import (
	"context"
	"math"
	"testing"

	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestPlacesAreLocatedByTheOfficialBoundariesThenTheDirectory: real
// municipalities lie at their official centroid (Stuttgart–Esslingen is
// about 13 km), a place the boundaries lack at its recorded location, an
// unknown municipality of a known district at the district's centroid,
// and an unknown district nowhere.
func TestPlacesAreLocatedByTheOfficialBoundariesThenTheDirectory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(db, nil, nil, nil)
		km, ok := s.distanceKm(ctx, "08111000", "08116019")
		if !ok || km < 9 || km > 17 {
			t.Fatalf("Stuttgart–Esslingen: %.1f km (%v)", km, ok)
		}
		if _, _, ok := s.locate(ctx, "08999001"); ok {
			t.Fatal("a fictional place is located before it is recorded")
		}
		if err := db.SetPlaceLocation(ctx, "08999001", 48.121, 7.849); err != nil {
			t.Fatal(err)
		}
		s = New(db, nil, nil, nil) // a fresh cache
		lat, lon, ok := s.locate(ctx, "08999001")
		if !ok || math.Abs(lat-48.121) > 1e-9 || math.Abs(lon-7.849) > 1e-9 {
			t.Fatalf("recorded place at %v, %v (%v)", lat, lon, ok)
		}
		d1, ok1 := s.distanceKm(ctx, "08111099", "08111000") // unknown municipality of Stuttgart
		if !ok1 || d1 > 0.001 {
			t.Fatalf("unknown municipality of a known district: %.3f km (%v)", d1, ok1)
		}
		if _, _, ok := s.locate(ctx, "08998123"); ok {
			t.Fatal("an unknown district is located")
		}
	})
}
