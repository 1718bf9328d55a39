// Package catalog serves the search over published offers. The Searcher
// keeps a search index and, beside it, what a result list shows of each
// offer and the names of facet values, so that a search asks the database
// nothing. It follows the database's change log (store.CatalogChanges):
// changed offers go into a small delta index scored with the base index's
// statistics, the base's copies of them are hidden, and a search merges
// both; the base is rebuilt in the background once the delta grows. Every
// instance follows the same log, so instances need no second store to
// keep in sync.
package catalog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/search"
	"github.com/lotse-oss/lotse/internal/store"
)

// ErrIndexBuilding answers searches while a new instance builds its index.
var ErrIndexBuilding = domain.Errorf(domain.EUnavailable, "Das Suchverzeichnis wird aufgebaut … Bitte versuchen Sie es in wenigen Sekunden noch einmal.")

// Compaction: the base is rebuilt once the delta holds more than
// max(compactMin, base/compactShare) offers.
const (
	compactMin   = 2000
	compactShare = 50
	// changeLogKeep is how long change-log rows are kept; an instance
	// further behind rebuilds.
	changeLogKeep = 6 * time.Hour
)

// Searcher answers catalog searches from memory.
type Searcher struct {
	db  *store.DB
	log *slog.Logger
	st  atomic.Pointer[state]

	// background: the first index is built by the jobs (Maintain) and
	// searches meanwhile fail with ErrIndexBuilding, instead of waiting.
	background atomic.Bool
	// mu serialises changes of the state; building serialises rebuilds.
	mu       sync.Mutex
	building sync.Mutex
	pruned   time.Time
	// terms is the thesaurus with the administrators' entries (thesaurus.go).
	terms thesaurusTerms

	// snapshot is the file the index is saved to and started from
	// (see snapshot.go); "" for none.
	snapshot    string
	snapVersion int64
	snapAt      time.Time
}

// state is one consistent view of the catalog, swapped as a whole.
type state struct {
	version int64
	base    *search.Index
	items   *itemTable
	// removed marks the base documents (by position) that the delta
	// replaces or that left the catalog.
	removed  []uint64
	nRemoved int
	delta    *search.Index
	docs     map[int64]search.Doc // the delta's documents
	dItems   map[int64]*Item
	labels   map[string]string // "provider/ID", "region/AGS", "competence/AREA"
	built    time.Time
	// feats are the base's records for the recommendations, dFeats the
	// delta's (match.go).
	feats  *featureTable
	dFeats map[int64]*Candidate
}

func (st *state) item(id int64) (*Item, bool) {
	if it, ok := st.dItems[id]; ok {
		return it, true
	}
	if p, ok := st.base.Position(id); ok && st.removed[p>>6]&(1<<(uint(p)&63)) != 0 {
		return nil, false
	}
	return st.items.get(id)
}

// NewSearcher returns a searcher; the index is built on the first search or by Refresh.
func NewSearcher(db *store.DB, log *slog.Logger) *Searcher {
	return &Searcher{db: db, log: log}
}

// BuildInBackground makes searches before the first index is built answer
// ErrIndexBuilding at once rather than wait for the build; the server
// calls it and runs Maintain as a job, so that it answers from its first
// second.
func (s *Searcher) BuildInBackground() { s.background.Store(true) }

// UseSnapshot saves the index's offers to path after each rebuild and
// starts from there (plus the change log) instead of the database.
func (s *Searcher) UseSnapshot(path string) { s.snapshot = path }

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

// rebuild builds a new base from every published offer, then applies the
// changes made while it was built. first: only if there is no index yet
// (another caller may have built it while this one waited); the first
// build starts from the snapshot if there is a usable one.
func (s *Searcher) rebuild(ctx context.Context, first bool) error {
	s.building.Lock()
	defer s.building.Unlock()
	if first && s.st.Load() != nil {
		return nil
	}
	if first && s.snapshot != "" {
		switch err := s.restore(ctx); {
		case err == nil:
			return nil
		case !errors.Is(err, os.ErrNotExist) && s.log != nil:
			s.log.WarnContext(ctx, "catalog snapshot not used", "err", err)
		}
	}
	start := time.Now()
	v, err := s.db.CatalogVersion(ctx)
	if err != nil {
		return err
	}
	var snap *snapshotFile
	if s.snapshot != "" {
		if snap, err = createSnapshot(s.snapshot, v); err != nil && s.log != nil {
			s.log.WarnContext(ctx, "catalog snapshot not written", "err", err)
		}
	}
	b := newBuild()
	err = s.db.PublishedOffers(ctx, func(o *domain.Offer) error {
		b.add(o)
		if snap != nil {
			snap.add(o)
		}
		return nil
	})
	if err != nil {
		if snap != nil {
			snap.abort()
		}
		return err
	}
	loaded := time.Since(start)
	st := b.state(v)
	if err := s.addLabels(ctx, st, b.providers, b.regions, true); err != nil {
		return err
	}
	if snap != nil {
		if err := snap.finish(st.labels); err != nil && s.log != nil {
			s.log.WarnContext(ctx, "catalog snapshot not written", "err", err)
		} else {
			s.snapVersion, s.snapAt = v, time.Now()
		}
	}
	if err := s.swapIn(ctx, st); err != nil {
		return err
	}
	if s.log != nil {
		s.log.InfoContext(ctx, "catalog index built", "offers", st.base.Len(), "version", st.version, "load", loaded.Round(time.Millisecond),
			"duration", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// restore builds the first index from the snapshot and the change log
// since; it fails if the log does not reach back to the snapshot.
func (s *Searcher) restore(ctx context.Context) error {
	start := time.Now()
	b := newBuild()
	v, labels, err := readSnapshot(s.snapshot, b.add)
	if err != nil {
		return err
	}
	cur, err := s.db.CatalogVersion(ctx)
	if err != nil {
		return err
	}
	if v > cur {
		return fmt.Errorf("snapshot of version %d, the database is at %d", v, cur)
	}
	if v < cur {
		d, err := s.db.CatalogChanges(ctx, v)
		if err != nil {
			return err
		}
		if d.Rebuild {
			return fmt.Errorf("snapshot of version %d: the change log no longer reaches it", v)
		}
	}
	loaded := time.Since(start)
	st := b.state(v)
	st.labels = labels
	if err := s.swapIn(ctx, st); err != nil {
		return err
	}
	s.snapVersion, s.snapAt = v, start
	if s.log != nil {
		s.log.InfoContext(ctx, "catalog index restored from snapshot", "offers", st.base.Len(), "version", v, "now", st.version,
			"read", loaded.Round(time.Millisecond), "duration", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// swapIn applies the changes since st's version to st and makes it the
// searcher's state.
func (s *Searcher) swapIn(ctx context.Context, st *state) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	// A change of everything meanwhile: swap in what was built (it is
	// right as of its version); the next refresh rebuilds.
	if err := s.catchUp(ctx, st); err != nil && err != errRebuild {
		return err
	}
	s.st.Store(st)
	return nil
}

// build collects a base index's documents and list entries.
type build struct {
	docs      []search.Doc
	items     *itemBuilder
	feats     *featureTable
	providers map[int64]string
	regions   map[string]bool
}

func newBuild() *build {
	return &build{items: newItemBuilder(), feats: newFeatureTable(), providers: map[int64]string{}, regions: map[string]bool{}}
}

func (b *build) add(o *domain.Offer) {
	d := Doc(o)
	b.providers[o.ProviderID] = o.ProviderName
	for _, r := range d.Regions {
		b.regions[r] = true
	}
	b.docs = append(b.docs, d)
	it := itemOf(o)
	b.items.add(it)
	b.feats.add(it)
}

func (b *build) state(v int64) *state {
	base := search.New(b.docs)
	n := len(b.docs)
	b.docs = nil
	return &state{version: v, base: base, items: b.items.table(), removed: make([]uint64, (n+63)/64), delta: search.NewDelta(nil, base),
		docs: map[int64]search.Doc{}, dItems: map[int64]*Item{}, labels: map[string]string{}, built: time.Now(),
		feats: b.feats.done(), dFeats: map[int64]*Candidate{}}
}

// addLabels adds the names of providers, regions and (with comps)
// competence areas to st's labels.
func (s *Searcher) addLabels(ctx context.Context, st *state, providers map[int64]string, regions map[string]bool, comps bool) error {
	for id, name := range providers {
		st.labels["provider/"+ProviderKey(id)] = name
	}
	for r := range regions {
		if _, ok := st.labels["region/"+r]; ok || r == "online" {
			continue
		}
		if m, err := s.db.Municipality(ctx, r); err == nil {
			st.labels["region/"+r] = m.Name
		} else if domain.ErrorCode(err) != domain.ENotFound {
			return err
		}
	}
	if comps {
		cs, err := s.db.Competences(ctx)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Code == c.Area {
				st.labels["competence/"+c.Code] = c.Name
			}
		}
		// Funding tracks by their names in their programmes: with two
		// programmes, "Basisqualifizierung" alone does not say whose.
		ps, err := s.db.Programmes(ctx)
		if err != nil {
			return err
		}
		for _, p := range ps {
			for _, t := range p.Tracks {
				st.labels["funding/"+p.ID+"/"+t.Key] = t.Name + " (" + p.Name + ")"
			}
		}
	}
	return nil
}

// catchUp applies the change log after st.version to st, in place (st is
// not yet visible to searches). It returns errRebuild when the log says
// to rebuild.
func (s *Searcher) catchUp(ctx context.Context, st *state) error {
	d, err := s.db.CatalogChanges(ctx, st.version)
	if err != nil {
		return err
	}
	if d.Version <= st.version {
		return nil
	}
	if d.Rebuild {
		return errRebuild
	}
	if len(d.Offers) > 0 {
		if err := s.apply(ctx, st, d.Offers); err != nil {
			return err
		}
	}
	// A programme or track renamed: its funding facet label (and the
	// competence areas', read with it) anew, without a rebuild.
	if d.Labels {
		if err := s.addLabels(ctx, st, nil, nil, true); err != nil {
			return err
		}
	}
	st.version = d.Version
	return nil
}

var errRebuild = domain.Errorf(domain.EInternal, "catalog: rebuild needed")

// apply reloads the offers ids into st's delta.
func (s *Searcher) apply(ctx context.Context, st *state, ids []int64) error {
	providers := map[int64]string{}
	regions := map[string]bool{}
	for _, id := range ids {
		if p, ok := st.base.Position(id); ok && st.removed[p>>6]&(1<<(uint(p)&63)) == 0 {
			st.removed[p>>6] |= 1 << (uint(p) & 63)
			st.nRemoved++
		}
		delete(st.docs, id)
		delete(st.dItems, id)
		delete(st.dFeats, id)
	}
	if err := s.db.PublishedOffersIn(ctx, ids, func(o *domain.Offer) error {
		d := Doc(o)
		st.docs[o.ID] = d
		it := itemOf(o)
		st.dItems[o.ID] = it
		st.dFeats[o.ID] = candidateOf(it)
		providers[o.ProviderID] = o.ProviderName
		for _, r := range d.Regions {
			regions[r] = true
		}
		return nil
	}); err != nil {
		return err
	}
	if err := s.addLabels(ctx, st, providers, regions, false); err != nil {
		return err
	}
	docs := slices.Collect(maps.Values(st.docs))
	st.delta = search.NewDelta(docs, st.base)
	return nil
}

// Refresh applies the catalog's changes since the index was built; it
// builds the index if there is none, or rebuilds it if the change log asks
// for that. Writers call it after a change so that their own instance
// shows it at once; the catalog-index job calls it for other instances'.
//
// A change the log cannot give offer by offer (a bulk import) needs a
// rebuild: Refresh does it at once, unless the index is kept by the
// jobs (BuildInBackground), whose Maintain does it, so that a request
// never waits for a rebuild.
func (s *Searcher) Refresh(ctx context.Context) error {
	return s.refresh(ctx, !s.background.Load())
}

func (s *Searcher) refresh(ctx context.Context, rebuild bool) error {
	cur := s.st.Load()
	if cur == nil {
		if !rebuild {
			return nil // the job builds it
		}
		return s.rebuild(ctx, true)
	}
	v, err := s.db.CatalogVersion(ctx)
	if err != nil || v == cur.version {
		return err
	}
	s.mu.Lock()
	cur = s.st.Load()
	// Copy on write: searches keep using cur meanwhile.
	next := &state{version: cur.version, base: cur.base, items: cur.items, removed: slices.Clone(cur.removed), nRemoved: cur.nRemoved,
		delta: cur.delta, docs: maps.Clone(cur.docs), dItems: maps.Clone(cur.dItems), labels: maps.Clone(cur.labels), built: cur.built,
		feats: cur.feats, dFeats: maps.Clone(cur.dFeats)}
	err = s.catchUp(ctx, next)
	if err == nil {
		s.st.Store(next)
	}
	s.mu.Unlock()
	if err == errRebuild {
		if !rebuild {
			return nil
		}
		return s.rebuild(ctx, false)
	}
	return err
}

// Maintain is the catalog-index job: it builds the first index, applies
// changes, rebuilds the base when the delta has grown (or the snapshot
// grows old) and prunes old change-log rows.
func (s *Searcher) Maintain(ctx context.Context) error {
	if err := s.refresh(ctx, true); err != nil {
		return err
	}
	st := s.st.Load()
	s.building.Lock()
	stale := s.snapshot != "" && st.version != s.snapVersion && time.Since(s.snapAt) > changeLogKeep/2
	s.building.Unlock()
	if len(st.docs) > max(compactMin, st.base.Len()/compactShare) || time.Since(st.built) > 24*time.Hour || stale {
		if err := s.rebuild(ctx, false); err != nil {
			return err
		}
	}
	if time.Since(s.pruned) > time.Minute {
		s.pruned = time.Now()
		if _, err := s.db.PruneCatalogChanges(ctx, s.db.Now().Add(-changeLogKeep)); err != nil {
			return err
		}
	}
	return nil
}

// Search runs a query on the current index, building it first if there
// is none (or answering ErrIndexBuilding, see BuildInBackground).
func (s *Searcher) Search(ctx context.Context, q search.Query) (search.Result, error) {
	st := s.st.Load()
	if st == nil {
		if s.background.Load() {
			return search.Result{}, ErrIndexBuilding
		}
		if err := s.Refresh(ctx); err != nil {
			return search.Result{}, err
		}
		st = s.st.Load()
	}
	if q.Thesaurus == nil {
		q.Thesaurus = s.thesaurus(ctx)
	}
	return st.search(q), nil
}

func (st *state) search(q search.Query) search.Result {
	if st.nRemoved == 0 && st.delta.Len() == 0 {
		return st.base.Search(q)
	}
	size := q.PageSize
	if size <= 0 {
		size = search.DefaultPageSize
	}
	size = min(size, search.MaxPageSize)
	top := max(q.Page, 1) * size
	bq, dq := q, q
	bq.TopN, dq.TopN = top, top
	if st.nRemoved > 0 {
		bq.Exclude = st.removed
	}
	return search.Merge(q, func(id int64) int64 {
		if it, ok := st.item(id); ok {
			return it.PriceCents
		}
		return 0
	}, st.base.Search(bq), st.delta.Search(dq))
}

// RefreshLabels reloads the names of competence areas (after the
// framework changed).
func (s *Searcher) RefreshLabels(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.st.Load()
	if cur == nil {
		return nil
	}
	next := *cur
	next.labels = maps.Clone(cur.labels)
	if err := s.addLabels(ctx, &next, nil, nil, true); err != nil {
		return err
	}
	s.st.Store(&next)
	return nil
}

// Items returns the list entries of the offers ids (those still in the
// index), in the order of ids.
func (s *Searcher) Items(ids []int64) []*Item {
	st := s.st.Load()
	if st == nil {
		return nil
	}
	out := make([]*Item, 0, len(ids))
	for _, id := range ids {
		if it, ok := st.item(id); ok {
			out = append(out, it)
		}
	}
	return out
}

// Len is the number of offers in the index.
func (s *Searcher) Len() int {
	if st := s.st.Load(); st != nil {
		return st.base.Len() - st.nRemoved + st.delta.Len()
	}
	return 0
}

// Version is the catalog version the searcher has applied.
func (s *Searcher) Version() int64 {
	if st := s.st.Load(); st != nil {
		return st.version
	}
	return 0
}

// ProviderKey is how provider facet values are written.
func ProviderKey(id int64) string { return strconv.FormatInt(id, 10) }

// Label returns the name of a provider, region or competence area facet
// value known to the index, or "".
func (s *Searcher) Label(facet, value string) string {
	if st := s.st.Load(); st != nil {
		return st.labels[facet+"/"+value]
	}
	return ""
}
