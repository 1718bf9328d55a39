// Package catalog serves the search over published offers. It keeps a
// search.Index built from the database and rebuilds it when the catalog
// version in the database changes (after this instance's own writes, and
// from the catalog-index job for other instances' writes), so that every instance
// answers from the same data without a second store to keep in sync.
package catalog

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/search"
	"github.com/lotse-oss/lotse/internal/store"
)

// Searcher answers catalog searches from an in-memory index.
type Searcher struct {
	db  *store.DB
	log *slog.Logger
	ix  atomic.Pointer[search.Index]
	// labels are the names of providers and regions in the index, by
	// "provider/ID" and "region/AGS", so that a search needs no lookups.
	labels atomic.Pointer[map[string]string]
	// version is the catalog version the index was built from.
	version  atomic.Int64
	building sync.Mutex
	// terms is the thesaurus with the administrators' entries (thesaurus.go).
	terms thesaurusTerms
}

// NewSearcher returns a searcher; the index is built on the first search or by Refresh.
func NewSearcher(db *store.DB, log *slog.Logger) *Searcher {
	return &Searcher{db: db, log: log}
}

// Doc maps a published offer to what the index knows of it.
func Doc(o *domain.Offer) search.Doc {
	d := search.Doc{ID: o.ID, Title: o.Title, Summary: o.Summary, Description: o.Description, Provider: o.ProviderName,
		Outcomes: o.Outcomes, Format: o.Format, Level: o.Level, Certificate: o.Certificate, Language: o.Language,
		ProviderID: o.ProviderID, PriceCents: o.PriceCents, FundingTracks: o.FundingTracks}
	d.Keywords = o.Keywords
	areas := map[string]bool{}
	for _, c := range o.Competences {
		d.Competences = append(d.Competences, c.Name)
		area := c.Code
		for i := range area {
			if area[i] == '.' {
				area = area[:i]
				break
			}
		}
		if !areas[area] {
			areas[area] = true
			d.CompetenceAreas = append(d.CompetenceAreas, area)
		}
	}
	regions := map[string]bool{}
	for _, s := range o.Sessions {
		d.Sessions = append(d.Sessions, s.StartsAt)
		r := "online"
		if !s.Online && len(s.AGS) >= 5 {
			r = s.AGS[:5]
		}
		if !regions[r] {
			regions[r] = true
			d.Regions = append(d.Regions, r)
		}
	}
	return d
}

func (s *Searcher) rebuild(ctx context.Context) error {
	s.building.Lock()
	defer s.building.Unlock()
	v, err := s.db.CatalogVersion(ctx)
	if err != nil {
		return err
	}
	if s.ix.Load() != nil && v == s.version.Load() {
		return nil
	}
	start := time.Now()
	var docs []search.Doc
	labels := map[string]string{}
	regions := map[string]bool{}
	if err := s.db.PublishedOffers(ctx, func(o *domain.Offer) error {
		d := Doc(o)
		labels["provider/"+ProviderKey(o.ProviderID)] = o.ProviderName
		for _, r := range d.Regions {
			regions[r] = true
		}
		docs = append(docs, d)
		return nil
	}); err != nil {
		return err
	}
	for r := range regions {
		if r == "online" {
			continue
		}
		if m, err := s.db.Municipality(ctx, r); err == nil {
			labels["region/"+r] = m.Name
		} else if domain.ErrorCode(err) != domain.ENotFound {
			return err
		}
	}
	s.labels.Store(&labels)
	s.ix.Store(search.New(docs))
	s.version.Store(v)
	if s.log != nil {
		s.log.InfoContext(ctx, "catalog index built", "offers", len(docs), "version", v, "duration", time.Since(start))
	}
	return nil
}

// Refresh rebuilds the index now if the catalog changed. Writers call it
// after a change so that their own instance shows it at once.
func (s *Searcher) Refresh(ctx context.Context) error {
	return s.rebuild(ctx)
}

// Search runs a query on the current index, building it first if there is none.
func (s *Searcher) Search(ctx context.Context, q search.Query) (search.Result, error) {
	// Other instances' changes arrive through the catalog-index job, which
	// compares the catalog version every few seconds (package jobs holds
	// the only background goroutines); this instance's own changes are
	// refreshed by the service right after they commit.
	if s.ix.Load() == nil {
		if err := s.Refresh(ctx); err != nil {
			return search.Result{}, err
		}
	}
	if q.Thesaurus == nil {
		q.Thesaurus = s.thesaurus(ctx)
	}
	return s.ix.Load().Search(q), nil
}

// Len is the number of offers in the index.
func (s *Searcher) Len() int {
	if ix := s.ix.Load(); ix != nil {
		return ix.Len()
	}
	return 0
}

// ProviderKey is how provider facet values are written.
func ProviderKey(id int64) string { return strconv.FormatInt(id, 10) }

// Label returns the name of a provider or region facet value known to the
// index, or "".
func (s *Searcher) Label(facet, value string) string {
	if l := s.labels.Load(); l != nil {
		return (*l)[facet+"/"+value]
	}
	return ""
}
