package matching

import (
	"context"
	"sync"

	"github.com/lotse-oss/lotse/internal/geo"
)

// Where places lie, for distances: the centroid of the official boundaries
// (internal/geo, BKG VG5000) first; for a place they lack, the location
// recorded in the directory (store.PlaceLocation); else the centroid of
// its district. Answers are cached: places do not move.

type location struct {
	lat, lon float64
	ok       bool
}

type locator struct {
	mu    sync.Mutex
	cache map[string]location
}

// locate returns where the municipality or district ags lies.
func (s *Service) locate(ctx context.Context, ags string) (lat, lon float64, ok bool) {
	s.places.mu.Lock()
	if l, hit := s.places.cache[ags]; hit {
		s.places.mu.Unlock()
		return l.lat, l.lon, l.ok
	}
	s.places.mu.Unlock()
	l := s.lookup(ctx, ags)
	s.places.mu.Lock()
	if s.places.cache == nil {
		s.places.cache = map[string]location{}
	}
	if len(s.places.cache) < 100_000 {
		s.places.cache[ags] = l
	}
	s.places.mu.Unlock()
	return l.lat, l.lon, l.ok
}

func (s *Service) lookup(ctx context.Context, ags string) location {
	if len(ags) < 2 {
		return location{}
	}
	atlas, err := geo.Load(ags[:2])
	if err == nil {
		if lat, lon, ok := atlas.Centroid(ags); ok {
			return location{lat, lon, true}
		}
	}
	if lat, lon, ok, err := s.db.PlaceLocation(ctx, ags); err == nil && ok {
		return location{lat, lon, true}
	}
	if len(ags) > 5 {
		return s.lookup(ctx, ags[:5])
	}
	return location{}
}

// distanceKm is the distance between two places, ok false when either is
// unknown.
func (s *Service) distanceKm(ctx context.Context, from, to string) (km float64, ok bool) {
	lat1, lon1, ok1 := s.locate(ctx, from)
	lat2, lon2, ok2 := s.locate(ctx, to)
	if !ok1 || !ok2 {
		return 0, false
	}
	return geo.DistanceKm(lat1, lon1, lat2, lon2), true
}

// serviceGeography is the ranking's Geography: places located by
// s.locate (official centroids, then recorded locations, then the
// district), named by the atlas of the person's state where it has them.
type serviceGeography struct {
	s     *Service
	ctx   context.Context
	atlas *geo.Atlas
}

func (g *serviceGeography) Centroid(ags string) (lat, lon float64, ok bool) {
	return g.s.locate(g.ctx, ags)
}

func (g *serviceGeography) Lookup(ags string) (*geo.Region, bool) {
	if g.atlas == nil {
		return nil, false
	}
	return g.atlas.Lookup(ags)
}
