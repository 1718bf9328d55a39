package catalog

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// What the recommendations need of the catalog, kept beside the index so
// that they read no offer from the database and decode no list entry: per
// competence code a posting list of the offers teaching it with the level,
// and per offer a compact record of what ranks it (provider, price, days,
// format, funding tracks, the sessions open for registration). The base's
// records are built with the index; changed offers live in the state's
// dFeats beside dItems, and the base's copies are hidden by removed, like
// the items.

// Candidate is an offer as the recommendations rank it. Teaching and
// Candidates reuse one Candidate for every call of their callback: copy
// what you keep. FundingTracks is shared with the index: do not change it.
type Candidate struct {
	ID, ProviderID int64
	PriceCents     int64
	Days           int
	Format, Level  string
	FundingTracks  []string
	// Levels[i] is the level the offer teaches codes[i] at (0: not).
	Levels []int
	// Sessions open for registration when the offer was indexed, by start.
	Sessions []CandidateSession
	// Competences are the offer's, for a Candidate from dFeats or
	// Candidates; nil from the base's posting lists.
	competences []domain.OfferCompetence
}

// CandidateSession is a session as the recommendations rank it.
type CandidateSession struct {
	ID               int64
	StartsAt, EndsAt time.Time
	Deadline         time.Time
	Online           bool
	AGS              string
	Capacity         int
}

// feature is an offer's compact record in the base.
type feature struct {
	id       int64
	provider int64
	price    int64
	days     int32
	format   uint32 // index into featureTable.strs
	level    uint32
	tracks   uint32 // index into featureTable.trackSets
	sessOff  uint32 // sessions are sess[sessOff:sessOff+sessN]
	sessN    uint16
	nComps   uint16
	compsOff uint32 // competences are comps[compsOff:compsOff+nComps]
}

type sessFeature struct {
	id                   int64
	start, end, deadline int64 // Unix seconds
	ags                  int32 // index into strs; -1 online
	capacity             int32
}

type compFeature struct {
	code  uint32 // index into strs
	level uint8
}

// posting is an offer (base position) teaching a code at a level.
type posting struct {
	pos   uint32
	level uint8
}

// featureTable is the base's records and posting lists.
type featureTable struct {
	feats     []feature
	sess      []sessFeature
	comps     []compFeature
	strs      []string
	trackSets [][]string
	postings  map[string][]posting
	// byTrack lists the offers (base positions, ascending) per funding
	// track, for learning path steps that name a track only.
	byTrack map[string][]uint32

	strIdx   map[string]uint32
	trackIdx map[string]uint32
}

func newFeatureTable() *featureTable {
	return &featureTable{postings: map[string][]posting{}, byTrack: map[string][]uint32{}, strIdx: map[string]uint32{}, trackIdx: map[string]uint32{}}
}

func (t *featureTable) str(s string) uint32 {
	i, ok := t.strIdx[s]
	if !ok {
		i = uint32(len(t.strs))
		t.strs = append(t.strs, s)
		t.strIdx[s] = i
	}
	return i
}

func (t *featureTable) trackSet(tracks []string) uint32 {
	key := ""
	for _, s := range tracks {
		key += s + "\x00"
	}
	i, ok := t.trackIdx[key]
	if !ok {
		i = uint32(len(t.trackSets))
		t.trackSets = append(t.trackSets, slices.Clone(tracks))
		t.trackIdx[key] = i
	}
	return i
}

// add appends an offer's record; offers come in ascending ID order, so
// that an offer's index is its position in the base index.
func (t *featureTable) add(it *Item) {
	pos := uint32(len(t.feats))
	f := feature{id: it.ID, provider: it.ProviderID, price: it.PriceCents, days: int32(it.Days), format: t.str(it.Format), level: t.str(it.Level),
		tracks: t.trackSet(it.FundingTracks), sessOff: uint32(len(t.sess)), sessN: uint16(min(len(it.Sessions), 1<<16-1)),
		compsOff: uint32(len(t.comps)), nComps: uint16(min(len(it.Competences), 1<<16-1))}
	for _, s := range it.Sessions[:f.sessN] {
		ags := int32(-1)
		if !s.Online {
			ags = int32(t.str(s.AGS))
		}
		t.sess = append(t.sess, sessFeature{id: s.ID, start: s.StartsAt.Unix(), end: s.EndsAt.Unix(), deadline: s.RegistrationDeadline.Unix(),
			ags: ags, capacity: int32(s.Capacity)})
	}
	for _, c := range it.Competences[:f.nComps] {
		t.comps = append(t.comps, compFeature{code: t.str(c.Code), level: uint8(max(0, min(c.Level, 255)))})
		t.postings[c.Code] = append(t.postings[c.Code], posting{pos: pos, level: uint8(max(0, min(c.Level, 255)))})
	}
	for _, tr := range it.FundingTracks {
		t.byTrack[tr] = append(t.byTrack[tr], pos)
	}
	t.feats = append(t.feats, f)
}

// done drops what only the build needs.
func (t *featureTable) done() *featureTable {
	t.strIdx, t.trackIdx = nil, nil
	t.feats, t.sess, t.comps = slices.Clip(t.feats), slices.Clip(t.sess), slices.Clip(t.comps)
	return t
}

// fill sets c from the base record at pos (Levels and competences aside).
func (t *featureTable) fill(c *Candidate, pos uint32) {
	f := &t.feats[pos]
	c.ID, c.ProviderID, c.PriceCents, c.Days = f.id, f.provider, f.price, int(f.days)
	c.Format, c.Level, c.FundingTracks = t.strs[f.format], t.strs[f.level], t.trackSets[f.tracks]
	c.Sessions = c.Sessions[:0]
	for _, s := range t.sess[f.sessOff : f.sessOff+uint32(f.sessN)] {
		cs := CandidateSession{ID: s.id, StartsAt: time.Unix(s.start, 0).UTC(), EndsAt: time.Unix(s.end, 0).UTC(),
			Deadline: time.Unix(s.deadline, 0).UTC(), Capacity: int(s.capacity), Online: s.ags < 0}
		if s.ags >= 0 {
			cs.AGS = t.strs[s.ags]
		}
		c.Sessions = append(c.Sessions, cs)
	}
	c.competences = nil
}

// levels sets c.Levels for codes from the base record at pos.
func (t *featureTable) levels(c *Candidate, pos uint32, codes []string) {
	f := &t.feats[pos]
	c.Levels = c.Levels[:0]
	for _, code := range codes {
		l := 0
		for _, k := range t.comps[f.compsOff : f.compsOff+uint32(f.nComps)] {
			if t.strs[k.code] == code {
				l = int(k.level)
				break
			}
		}
		c.Levels = append(c.Levels, l)
	}
}

// candidateOf is a changed offer's record (in dFeats).
func candidateOf(it *Item) *Candidate {
	c := &Candidate{ID: it.ID, ProviderID: it.ProviderID, PriceCents: it.PriceCents, Days: it.Days, Format: it.Format, Level: it.Level,
		FundingTracks: it.FundingTracks, competences: it.Competences}
	for _, s := range it.Sessions {
		c.Sessions = append(c.Sessions, CandidateSession{ID: s.ID, StartsAt: s.StartsAt, EndsAt: s.EndsAt, Deadline: s.RegistrationDeadline,
			Online: s.Online, AGS: s.AGS, Capacity: s.Capacity})
	}
	return c
}

func (st *state) removedAt(pos uint32) bool { return st.removed[pos>>6]&(1<<(pos&63)) != 0 }

// copyDelta copies a changed offer's record into the reused c, with its
// levels for codes.
func copyDelta(c *Candidate, d *Candidate, codes []string) {
	c.ID, c.ProviderID, c.PriceCents, c.Days, c.Format, c.Level, c.FundingTracks = d.ID, d.ProviderID, d.PriceCents, d.Days, d.Format, d.Level, d.FundingTracks
	c.Sessions = append(c.Sessions[:0], d.Sessions...)
	c.competences = d.competences
	c.Levels = c.Levels[:0]
	for _, code := range codes {
		l := 0
		for _, k := range d.competences {
			if k.Code == code {
				l = k.Level
				break
			}
		}
		c.Levels = append(c.Levels, l)
	}
}

// Teaching calls fn once for every offer in the index that teaches at
// least one of codes, with its record and the level it teaches each code
// at (c.Levels, in the order of codes). Base offers come in ID order, then
// the changed ones in ID order. The Candidate is reused between calls.
// It reads nothing from the database; before the first index is built it
// calls fn for nothing.
func (s *Searcher) Teaching(codes []string, fn func(c *Candidate)) {
	st := s.st.Load()
	if st == nil || len(codes) == 0 {
		return
	}
	c := &Candidate{}
	if ft := st.feats; ft != nil {
		// Merge the posting lists (each ascending by position), so that
		// every offer comes once with its levels.
		lists := make([][]posting, len(codes))
		for i, code := range codes {
			lists[i] = ft.postings[code]
		}
		c.Levels = make([]int, len(codes))
		for {
			next := uint32(1<<32 - 1)
			for _, l := range lists {
				if len(l) > 0 && l[0].pos < next {
					next = l[0].pos
				}
			}
			if next == 1<<32-1 {
				break
			}
			any := false
			for i, l := range lists {
				c.Levels[i] = 0
				if len(l) > 0 && l[0].pos == next {
					c.Levels[i] = int(l[0].level)
					lists[i] = l[1:]
					any = true
				}
			}
			if !any || st.removedAt(next) {
				continue
			}
			lv := c.Levels
			ft.fill(c, next)
			c.Levels = lv
			fn(c)
		}
	}
	for _, id := range st.deltaIDs() {
		d := st.dFeats[id]
		teaches := false
		for _, k := range d.competences {
			if slices.Contains(codes, k.Code) {
				teaches = true
				break
			}
		}
		if teaches {
			copyDelta(c, d, codes)
			fn(c)
		}
	}
}

// InTrack calls fn once for every offer in the index that can be funded
// in track, with its levels for codes, in the order of Teaching. The
// Candidate is reused between calls.
func (s *Searcher) InTrack(track string, codes []string, fn func(c *Candidate)) {
	st := s.st.Load()
	if st == nil || track == "" {
		return
	}
	c := &Candidate{}
	if ft := st.feats; ft != nil {
		for _, pos := range ft.byTrack[track] {
			if st.removedAt(pos) {
				continue
			}
			ft.fill(c, pos)
			ft.levels(c, pos, codes)
			fn(c)
		}
	}
	for _, id := range st.deltaIDs() {
		if d := st.dFeats[id]; slices.Contains(d.FundingTracks, track) {
			copyDelta(c, d, codes)
			fn(c)
		}
	}
}

// Candidates calls fn for the offers ids still in the index, in the order
// of ids, with their levels for codes.
func (s *Searcher) Candidates(ids []int64, codes []string, fn func(c *Candidate)) {
	st := s.st.Load()
	if st == nil {
		return
	}
	c := &Candidate{}
	for _, id := range ids {
		if d, ok := st.dFeats[id]; ok {
			copyDelta(c, d, codes)
			fn(c)
			continue
		}
		p, ok := st.base.Position(id)
		if !ok || st.feats == nil || st.removedAt(uint32(p)) {
			continue
		}
		st.feats.fill(c, uint32(p))
		st.feats.levels(c, uint32(p), codes)
		fn(c)
	}
}

// deltaIDs are the changed offers' IDs, ascending.
func (st *state) deltaIDs() []int64 {
	ids := make([]int64, 0, len(st.dFeats))
	for id := range st.dFeats {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Ready builds the index if there is none yet (or answers
// ErrIndexBuilding while the jobs build it, see BuildInBackground).
func (s *Searcher) Ready(ctx context.Context) error {
	if s.st.Load() != nil {
		return nil
	}
	if s.background.Load() {
		return ErrIndexBuilding
	}
	return s.Refresh(ctx)
}

// NewMemorySearcher is a searcher over the offers given, without a
// database: for evaluations and benchmarks. It cannot refresh.
func NewMemorySearcher(offers []*domain.Offer) *Searcher {
	slices.SortFunc(offers, func(a, b *domain.Offer) int { return cmp.Compare(a.ID, b.ID) })
	b := newBuild()
	for _, o := range offers {
		b.add(o)
	}
	st := b.state(0)
	for id, name := range b.providers {
		st.labels["provider/"+ProviderKey(id)] = name
	}
	s := &Searcher{}
	s.st.Store(st)
	return s
}
