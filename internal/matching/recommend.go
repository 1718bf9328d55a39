package matching

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/geo"
	"github.com/lotse-oss/lotse/internal/store"
)

// Recommendations that say why: the offers that close the most of the
// person's gaps, with the next session that fits them, what funding they
// can have now and what it costs them after it. The offers come from the
// catalog's index (recommend_rank.go ranks them); the database answers
// only point questions about the person: their municipality, bookings,
// certificates, vouchers, the contingent, and the bookings and ratings of
// the few offers kept.

// RecommendOptions are the options of a recommendation list.
type RecommendOptions struct {
	// Limit is the number of offers (0: DefaultRecommendations).
	Limit int
}

// Recommendations ranks the catalog's offers for the actor from their
// self-assessment; domain.ErrAssessmentMissing when they have none yet.
func (s *Service) Recommendations(ctx context.Context, opt RecommendOptions) (out *domain.Recommendations, err error) {
	defer domain.Wrap(&err, "matching.Recommendations")
	act := domain.ActorFrom(ctx)
	if err := authz.Check(act, authz.AssessmentOwn, authz.Resource{PersonID: act.PersonID()}); err != nil {
		return nil, err
	}
	if opt.Limit < 0 || opt.Limit > MaxRecommendations {
		return nil, domain.ErrRecommendationsLimit
	}
	a, err := s.db.Assessment(ctx, act.PersonID())
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, domain.ErrAssessmentMissing
	} else if err != nil {
		return nil, err
	}
	if err := s.catalog.Ready(ctx); err != nil {
		return nil, err
	}
	p, f, err := s.profile(ctx, act.Person, a)
	if err != nil {
		return nil, err
	}
	var atlas *geo.Atlas
	if len(p.AGS) >= 2 {
		atlas, _ = geo.Load(p.AGS[:2]) // a state without shapes: recorded locations only
	}
	return Rank(p, f, &serviceGeography{s: s, ctx: ctx, atlas: atlas}, s.catalog, func(ids []int64) (map[int64]store.SessionPlaces, error) {
		return s.db.SessionPlaces(ctx, ids)
	}, func(ids []int64) (map[int64]store.OfferRating, error) {
		return s.db.OfferRatings(ctx, ids)
	}, opt.Limit)
}

// profile gathers what the ranking needs to know of the person.
func (s *Service) profile(ctx context.Context, person *domain.Person, a *domain.Assessment) (*Profile, *Funding, error) {
	progs, err := s.db.Programmes(ctx)
	if err != nil {
		return nil, nil, err
	}
	f := NewFunding(progs)
	var baseTracks []string
	for _, pg := range progs {
		if b := pg.BaseTrack(); pg.Open && b != "" {
			baseTracks = append(baseTracks, b)
		}
	}
	facts, err := s.db.RecommendationFacts(ctx, person.ID, person.Email, baseTracks)
	if err != nil {
		return nil, nil, err
	}
	framework, err := s.db.Competences(ctx)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	p := &Profile{Assessment: a, AGS: facts.AGS, Place: shortPlace(facts.Place), Vouchers: facts.Held, FreeVouchers: facts.Free,
		FreePlaces: map[string]int{}, BaseCertificate: map[string]bool{}, BaseUntil: map[string]time.Time{}, Booked: map[int64]bool{},
		Names: map[string]string{}, AreaCodes: map[string][]string{}, Now: now}
	for _, c := range framework {
		p.Names[c.Code] = c.Name
		if c.Code != c.Area {
			p.AreaCodes[c.Area] = append(p.AreaCodes[c.Area], c.Code)
		}
	}
	for _, o := range facts.Offers {
		p.Booked[o.OfferID] = true
	}
	for i := range progs {
		pg := &progs[i]
		if !pg.Open {
			continue
		}
		base := pg.BaseTrack()
		if domain.BaseQualified(pg, facts.BaseCertificates) {
			p.BaseCertificate[pg.ID] = true
		}
		// A base course booked and not yet certified: advanced sessions
		// after its end are fine.
		for _, o := range facts.Offers {
			if o.Status == domain.BookingConfirmed && slices.Contains(o.Tracks, base) && o.EndsAt.After(now) {
				if until, ok := p.BaseUntil[pg.ID]; !ok || o.EndsAt.Before(until) {
					p.BaseUntil[pg.ID] = o.EndsAt
				}
			}
		}
		if facts.AGS == "" || !strings.HasPrefix(facts.AGS, pg.State) {
			continue
		}
		counts := false
		for _, t := range pg.Tracks {
			counts = counts || t.CountsAgainstContingent
		}
		if !counts {
			continue
		}
		c, err := s.db.Contingent(ctx, pg, facts.AGS)
		if code := domain.ErrorCode(err); code == domain.ENotFound || code == domain.EInvalid {
			continue // not in the directory, or no applicant
		} else if err != nil {
			return nil, nil, err
		}
		for _, t := range pg.Tracks {
			if t.CountsAgainstContingent {
				p.FreePlaces[pg.ID+"/"+t.Key] = c.Remaining
			}
		}
	}
	if p.Paths, err = s.pathNeeds(ctx, person.ID); err != nil {
		return nil, nil, err
	}
	return p, f, nil
}
