package matching

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/geo"
	"github.com/lotse-oss/lotse/internal/store"
)

// The ranking of the recommendations, without I/O: Profile is what is
// known of the person, Funding what the programmes say, and the
// candidates come from the catalog's index. The service (recommend.go)
// gathers them; the evaluation (internal/matcheval) calls the same code
// on its own set.

// Profile is what the ranking knows of a person.
type Profile struct {
	Assessment *domain.Assessment
	// AGS and Place of the person's municipality ("" when none).
	AGS, Place string
	// Vouchers the person holds: issued and still valid.
	Vouchers []domain.Voucher
	// FreeVouchers are the municipality's vouchers nobody holds.
	FreeVouchers []domain.Voucher
	// FreePlaces is the municipality's free contingent by "programme/track"
	// (tracks that count against it).
	FreePlaces map[string]int
	// BaseCertificate by programme: the person holds a certificate of the
	// programme's base track.
	BaseCertificate map[string]bool
	// BaseUntil by programme: the end of a booked base course that has no
	// certificate yet; later advanced sessions are fine.
	BaseUntil map[string]time.Time
	// Booked are offers booked (not cancelled) or attended: left out.
	Booked map[int64]bool
	// Paths are the next steps of the person's learning paths.
	Paths []PathNeed
	// Names of competences by code, for the reasons.
	Names map[string]string
	// AreaCodes are the competence codes of each area, for path needs
	// given by area.
	AreaCodes map[string][]string
	Now       time.Time
}

// Funding is what the programmes fund, by "programme/track".
type Funding struct {
	Tracks map[string]FundedTrack
}

// FundedTrack is a track of an open programme.
type FundedTrack struct {
	Programme string // the programme's ID
	Name      string // the programme's name
	Track     domain.Track
	Providers []int64
}

// NewFunding collects the tracks of the open programmes.
func NewFunding(ps []domain.Programme) *Funding {
	f := &Funding{Tracks: map[string]FundedTrack{}}
	for _, p := range ps {
		if !p.Open {
			continue
		}
		for _, t := range p.Tracks {
			f.Tracks[p.ID+"/"+t.Key] = FundedTrack{Programme: p.ID, Name: p.Name, Track: t, Providers: p.ProviderIDs}
		}
	}
	return f
}

// Ranking limits.
const (
	DefaultRecommendations = 10
	MaxRecommendations     = 50
	// nearbyKm is the journey "nearby" means when no distance is given.
	nearbyKm = 50
)

// ranked is a candidate that passed the filters, with what its reasons
// say.
type ranked struct {
	c       catalog.Candidate // a copy
	score   float64
	session int // index into c.Sessions
	sessPts float64
	km      float64
	kmKnown bool
	gaps    []gapFit
	path    *PathNeed
	fund    funding
	after   int64 // price after funding
	rating  *rating
}

type gapFit struct {
	item     domain.AssessmentItem
	offer    int // level the offer teaches
	reaches  int // min(offer, target)
	complete bool
}

// funding is how an offer can be funded for the person now.
type funding struct {
	kind    string // "voucher", "free_voucher", "contingent", "advanced", ""
	track   string
	value   int64
	n       int // free vouchers or places
	voucher *domain.Voucher
	after   time.Time // advanced: the base course ends
}

type rating struct {
	Count   int
	Average float64
}

// Geography tells where places lie and what they are called: a
// *geo.Atlas, or the service's locator that falls back to the locations
// recorded in the directory.
type Geography interface {
	Centroid(ags string) (lat, lon float64, ok bool)
	Lookup(ags string) (*geo.Region, bool)
}

// ranker ranks candidates for one profile.
type ranker struct {
	p     *Profile
	f     *Funding
	atlas Geography
	codes []string
	gaps  []domain.AssessmentItem // codes[:len(gaps)] are theirs
	// home is the person's centroid.
	homeLat, homeLon float64
	home             bool
	km               map[string]float64 // by AGS; <0 unknown
	limitKm          float64            // 0: none
	onlineOnly       bool
	keep             int
	top              []*ranked
	// left out, for the notes
	full, needsBase int
	// booked is the level a booked offer teaches each of codes at.
	booked  []int
	scratch ranked
}

func newRanker(p *Profile, f *Funding, atlas Geography, keep int) *ranker {
	r := &ranker{p: p, f: f, atlas: atlas, km: map[string]float64{}, keep: keep}
	r.gaps = p.Assessment.Gaps()
	for _, g := range r.gaps {
		r.codes = append(r.codes, g.Code)
	}
	for _, n := range p.Paths {
		if n.Code != "" && !slices.Contains(r.codes, n.Code) {
			r.codes = append(r.codes, n.Code)
		}
		for _, c := range p.AreaCodes[n.Area] {
			if n.Area != "" && !slices.Contains(r.codes, c) {
				r.codes = append(r.codes, c)
			}
		}
	}
	if atlas != nil && p.AGS != "" {
		r.homeLat, r.homeLon, r.home = atlas.Centroid(p.AGS)
	}
	pr := p.Assessment.Preferences
	switch pr.Region {
	case domain.RegionOnline:
		r.onlineOnly = true
	case domain.RegionNearby:
		r.limitKm = nearbyKm
		if pr.MaxDistanceKm > 0 {
			r.limitKm = float64(pr.MaxDistanceKm)
		}
	default:
		r.limitKm = float64(pr.MaxDistanceKm)
	}
	return r
}

// distance is the journey from the person's municipality to ags; ok false
// when it is unknown.
func (r *ranker) distance(ags string) (float64, bool) {
	if ags != "" && ags == r.p.AGS {
		return 0, true
	}
	if d, ok := r.km[ags]; ok {
		return d, d >= 0
	}
	d := -1.0
	if r.home && r.atlas != nil {
		if lat, lon, ok := r.atlas.Centroid(ags); ok {
			d = geo.DistanceKm(r.homeLat, r.homeLon, lat, lon)
		}
	}
	r.km[ags] = d
	return d, d >= 0
}

// consider scores a candidate and keeps it if it is among the best.
func (r *ranker) consider(c *catalog.Candidate) {
	if r.p.Booked[c.ID] {
		return
	}
	// x is scratch: kept candidates are copied (keepBest), so that the
	// many that are not cost no allocation.
	x := &r.scratch
	*x = ranked{gaps: x.gaps[:0]}
	gapPts := 0.0
	for i, g := range r.gaps {
		o := c.Levels[i]
		switch {
		case o == 0:
		case o > g.Level:
			reach := min(o, g.Target)
			fit := gapFit{item: g, offer: o, reaches: reach, complete: reach >= g.Target}
			x.gaps = append(x.gaps, fit)
			gapPts += float64(reach-g.Level) * (1 + 0.25*float64(g.Gap()-1))
			if fit.complete {
				gapPts += 0.3
			}
			if o > g.Target {
				gapPts -= 0.6 * float64(o-g.Target)
			}
		default:
			gapPts -= 0.4 // below where the person stands
		}
	}
	for i := range r.p.Paths {
		if r.pathFits(&r.p.Paths[i], c) {
			x.path = &r.p.Paths[i]
			break
		}
	}
	if len(x.gaps) == 0 && x.path == nil {
		return
	}
	fund, needsBase := r.funding(c)
	if needsBase {
		r.needsBase++
		return
	}
	si, km, known, datePts, distPts := r.session(c, nil, fund)
	if si < 0 {
		return
	}
	x.fund = fund
	x.session, x.km, x.kmKnown, x.sessPts = si, km, known, datePts+distPts
	x.after = max(0, c.PriceCents-fund.value)
	score := 10 * gapPts
	if x.path != nil {
		score += 4
		if x.path.trackOnly() && len(x.gaps) == 0 {
			// The step itself is the need (a base qualification the
			// later steps require): weigh it like a closed gap.
			score += 8
		}
	}
	switch fund.kind {
	case "voucher":
		score += 5
	case "free_voucher":
		score += 3
	case "contingent":
		score += 2.5
	case "advanced":
		score += 2
	}
	score += datePts + distPts
	pr := r.p.Assessment.Preferences
	if len(pr.Formats) > 0 {
		if slices.Contains(pr.Formats, c.Format) {
			score += 1
		} else {
			score -= 2
		}
	}
	if pr.BudgetCents > 0 {
		if x.after <= pr.BudgetCents {
			score += 1
		} else {
			score -= 4
		}
	} else {
		score -= math.Min(2, float64(x.after)/50000)
	}
	if c.Days > 3 {
		score -= math.Min(3, 0.15*float64(c.Days-3))
	}
	if pr.DaysPerMonth > 0 && c.Days > 2*pr.DaysPerMonth {
		score -= 1.5
	}
	if r.redundant(c) {
		score -= 15
	}
	x.score = math.Round(score*1000) / 1000
	r.keepBest(x, c)
}

// keepBest inserts x (with a copy of c) into the top list, ordered by
// score and ID.
func (r *ranker) keepBest(x *ranked, c *catalog.Candidate) {
	if len(r.top) >= r.keep && !better(x.score, c.ID, r.top[len(r.top)-1]) {
		return
	}
	kept := *x
	x = &kept
	x.gaps = slices.Clone(x.gaps)
	x.c = *c
	x.c.Sessions = slices.Clone(c.Sessions)
	x.c.Levels = slices.Clone(c.Levels)
	x.c.FundingTracks = slices.Clone(c.FundingTracks)
	i := sort.Search(len(r.top), func(i int) bool { return better(x.score, x.c.ID, r.top[i]) })
	r.top = slices.Insert(r.top, i, x)
	if len(r.top) > r.keep {
		r.top = r.top[:r.keep]
	}
}

// better: score first, then the smaller ID.
func better(score float64, id int64, than *ranked) bool {
	if score != than.score {
		return score > than.score
	}
	return id < than.c.ID
}

// pathFits reports whether c completes the path step n.
func (r *ranker) pathFits(n *PathNeed, c *catalog.Candidate) bool {
	if n.Track != "" && !slices.Contains(c.FundingTracks, n.Track) {
		return false
	}
	if slices.Contains(n.OfferIDs, c.ID) || n.trackOnly() {
		return true
	}
	for i, code := range r.codes {
		if c.Levels[i] == 0 || c.Levels[i] < n.MinLevel {
			continue
		}
		if code == n.Code || (n.Area != "" && slices.Contains(r.p.AreaCodes[n.Area], code)) {
			return true
		}
	}
	return false
}

// funding finds the best way the offer is funded for the person now.
// needsBase: every track of the offer needs the base certificate the
// person has not got (nor booked): the offer is left out.
func (r *ranker) funding(c *catalog.Candidate) (best funding, needsBase bool) {
	advancedOnly := len(c.FundingTracks) > 0
	for _, key := range c.FundingTracks {
		t, ok := r.f.Tracks[key]
		if !ok || !t.Track.RequiresBaseCertificate {
			advancedOnly = false
		}
		if !ok || !slices.Contains(t.Providers, c.ProviderID) {
			continue
		}
		value := t.Track.VoucherValue(c.Days)
		for i := range r.p.Vouchers {
			v := &r.p.Vouchers[i]
			if v.ProviderID == c.ProviderID && v.ProgrammeID+"/"+v.Track == key {
				val := v.ValueCents
				if t.Track.Rule == domain.RulePerDay {
					val = value
				}
				if rank(best.kind) < rank("voucher") {
					best = funding{kind: "voucher", track: key, value: val, voucher: v}
				}
			}
		}
		switch {
		case t.Track.RequiresBaseCertificate:
			if r.p.BaseCertificate[t.Programme] {
				if rank(best.kind) < rank("advanced") {
					best = funding{kind: "advanced", track: key, value: value}
				}
			} else if until, ok := r.p.BaseUntil[t.Programme]; ok && rank(best.kind) < rank("advanced") {
				best = funding{kind: "advanced", track: key, value: value, after: until}
			}
		case t.Track.CountsAgainstContingent:
			n := 0
			for _, v := range r.p.FreeVouchers {
				if v.ProviderID == c.ProviderID && v.ProgrammeID+"/"+v.Track == key {
					n++
				}
			}
			if n > 0 && rank(best.kind) < rank("free_voucher") {
				best = funding{kind: "free_voucher", track: key, value: value, n: n}
			} else if free := r.p.FreePlaces[key]; free > 0 && rank(best.kind) < rank("contingent") {
				best = funding{kind: "contingent", track: key, value: value, n: free}
			}
		}
	}
	if advancedOnly && best.kind == "" {
		return best, true
	}
	return best, false
}

func rank(kind string) int {
	switch kind {
	case "advanced":
		return 1
	case "contingent":
		return 2
	case "free_voucher":
		return 3
	case "voucher":
		return 4
	}
	return 0
}

// session picks the best fitting session of c (skipping index skip and
// those full): open for registration, after a base course the funding
// waits for, where the person wants to learn; -1 when none fits.
func (r *ranker) session(c *catalog.Candidate, skip map[int64]bool, f funding) (best int, km float64, known bool, datePts, distPts float64) {
	best = -1
	bestPts := math.Inf(-1)
	for i := range c.Sessions {
		s := &c.Sessions[i]
		if skip[s.ID] || !s.Deadline.After(r.p.Now) || !s.StartsAt.After(r.p.Now) || s.Capacity <= 0 {
			continue
		}
		if !f.after.IsZero() && s.StartsAt.Before(f.after) {
			continue
		}
		if f.voucher != nil && !s.StartsAt.Before(f.voucher.ExpiresAt) {
			continue
		}
		d, ok := 0.0, true
		if !s.Online {
			if r.onlineOnly {
				continue
			}
			d, ok = r.distance(s.AGS)
			if r.limitKm > 0 && (!ok || d > r.limitKm) {
				continue
			}
		}
		days := s.StartsAt.Sub(r.p.Now).Hours() / 24
		dp := 0.5
		switch {
		case days <= 30:
			dp = 2
		case days <= 90:
			dp = 1.5
		case days <= 180:
			dp = 1
		}
		kp := 0.5
		switch {
		case s.Online:
			kp = 1.5
		case !ok:
		case d <= 15:
			kp = 2
		case d <= 40:
			kp = 1.5
		case d <= 80:
			kp = 0.8
		default:
			kp = 0
		}
		if pts := dp + kp; pts > bestPts {
			best, bestPts, km, known, datePts, distPts = i, pts, d, ok, dp, kp
		}
	}
	return
}

// result orders the kept candidates.
func (r *ranker) result() []*ranked {
	slices.SortFunc(r.top, func(a, b *ranked) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return cmp.Compare(a.c.ID, b.c.ID)
	})
	return r.top
}

// recommendation writes x as the API shows it; it and place names come
// from the catalog's list entry.
func (r *ranker) recommendation(x *ranked, it *catalog.Item) domain.Recommendation {
	s := x.c.Sessions[x.session]
	rec := domain.Recommendation{Score: x.score, Reasons: []domain.Reason{},
		Offer: domain.RecommendedOffer{ID: x.c.ID, Title: it.Title, ProviderID: x.c.ProviderID, Provider: it.ProviderName, Level: x.c.Level,
			Format: x.c.Format, Days: x.c.Days, PriceCents: x.c.PriceCents, PriceAfterFundingCents: x.after},
		Session: &domain.RecommendedSession{ID: s.ID, StartsAt: s.StartsAt, EndsAt: s.EndsAt, RegistrationDeadline: s.Deadline, Online: s.Online, AGS: s.AGS}}
	place := ""
	if !s.Online {
		for _, is := range it.Sessions {
			if is.ID == s.ID {
				place = is.Place
			}
		}
		if place == "" && r.atlas != nil {
			if reg, ok := r.atlas.Lookup(s.AGS); ok {
				place = reg.Name
			}
		}
		if s.AGS == r.p.AGS && r.p.Place != "" {
			place = r.p.Place
		}
		rec.Session.Place = shortPlace(place)
	}
	if s.Online {
		zero := 0.0
		rec.Session.DistanceKm = &zero
	} else if x.kmKnown {
		km := math.Round(x.km*10) / 10
		rec.Session.DistanceKm = &km
	}
	add := func(kind, text string) { rec.Reasons = append(rec.Reasons, domain.Reason{Kind: kind, Text: text}) }
	if x.path != nil {
		add(domain.ReasonPath, fmt.Sprintf("Nächster Schritt Ihres Lernpfads „%s“", x.path.PathTitle))
	}
	for _, g := range x.gaps {
		name := r.p.Names[g.item.Code]
		if name == "" {
			name = g.item.Name
		}
		if name == "" {
			name = g.item.Code
		}
		if g.complete {
			add(domain.ReasonGap, fmt.Sprintf("Schließt Ihre Lücke in %s (Stufe %d → Ziel %d)", name, g.item.Level, g.item.Target))
		} else {
			add(domain.ReasonGap, fmt.Sprintf("Bringt Sie in %s von Stufe %d auf Stufe %d (Ziel %d)", name, g.item.Level, g.reaches, g.item.Target))
		}
	}
	switch f := x.fund; f.kind {
	case "voucher":
		rec.Voucher = f.voucher.Code
		if x.after == 0 {
			add(domain.ReasonFunding, fmt.Sprintf("Mit Ihrem Gutschein bezahlt (%s, %s)", r.trackName(f.track), f.voucher.ProviderName))
		} else {
			add(domain.ReasonFunding, fmt.Sprintf("Ihr Gutschein übernimmt %s (%s)", domain.Euros(f.value), r.trackName(f.track)))
		}
	case "free_voucher":
		add(domain.ReasonFunding, fmt.Sprintf("Ihre Kommune hat noch %s für dieses Angebot – fragen Sie Ihre Personalabteilung",
			plural(f.n, "einen freien Gutschein", "freie Gutscheine")))
	case "contingent":
		add(domain.ReasonFunding, fmt.Sprintf("Ihre Kommune hat noch %s im Programm „%s“", domain.Plural(f.n, "freien Förderplatz", "freie Förderplätze"),
			r.f.Tracks[f.track].Name))
	case "advanced":
		if f.after.IsZero() {
			add(domain.ReasonFunding, fmt.Sprintf("Förderfähig im %s – Ihre Basisqualifizierung liegt vor", r.trackName(f.track)))
		} else {
			add(domain.ReasonFunding, fmt.Sprintf("Förderfähig im %s nach Ihrer Basisqualifizierung (bis %s)", r.trackName(f.track), germanDate(f.after)))
		}
	}
	if s.Online {
		add(domain.ReasonDistance, "Online – keine Anreise")
	} else if x.kmKnown {
		switch {
		case s.AGS == r.p.AGS:
			add(domain.ReasonDistance, fmt.Sprintf("Nächster Termin in Ihrer Kommune (%s)", rec.Session.Place))
		default:
			add(domain.ReasonDistance, fmt.Sprintf("Nächster Termin in %d km (%s)", int(math.Round(x.km)), rec.Session.Place))
		}
	}
	add(domain.ReasonDate, fmt.Sprintf("Beginnt am %s, Anmeldung bis %s", germanDate(s.StartsAt), germanDate(s.Deadline)))
	pr := r.p.Assessment.Preferences
	switch {
	case x.after < x.c.PriceCents:
		add(domain.ReasonPrice, fmt.Sprintf("Kostet Sie nach Förderung %s statt %s", domain.Euros(x.after), domain.Euros(x.c.PriceCents)))
	case x.c.PriceCents == 0:
		add(domain.ReasonPrice, "Kostenfrei")
	case pr.BudgetCents > 0 && x.after <= pr.BudgetCents:
		add(domain.ReasonPrice, fmt.Sprintf("Kostet %s – im Rahmen Ihres Budgets von %s", domain.Euros(x.after), domain.Euros(pr.BudgetCents)))
	}
	if x.rating != nil && x.rating.Count > 0 && x.rating.Average >= 3.5 {
		add(domain.ReasonRating, fmt.Sprintf("Bewertet mit %s von 5 (%s)", strings.Replace(fmt.Sprintf("%.1f", x.rating.Average), ".", ",", 1),
			domain.Plural(x.rating.Count, "Bewertung", "Bewertungen")))
	}
	return rec
}

// trackName is the track's German name in the dative after "im"/"(…)".
func (r *ranker) trackName(key string) string {
	if t, ok := r.f.Tracks[key]; ok && t.Track.Name != "" {
		return t.Track.Name
	}
	_, k, _ := strings.Cut(key, "/")
	return domain.TrackLabel(k)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// berlin is where dates are said.
var berlin = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Berlin"); err == nil {
		return l
	}
	return time.UTC
}()

func germanDate(t time.Time) string { return t.In(berlin).Format("02.01.2006") }

// shortPlace drops the directory's addition: "Ulm" for "Ulm, Universitätsstadt".
func shortPlace(name string) string {
	n, _, _ := strings.Cut(name, ",")
	return strings.TrimSpace(n)
}

// Source is where the candidates come from: the catalog's searcher.
type Source interface {
	Teaching(codes []string, fn func(c *catalog.Candidate))
	Candidates(ids []int64, codes []string, fn func(c *catalog.Candidate))
	InTrack(track string, codes []string, fn func(c *catalog.Candidate))
	Items(ids []int64) []*catalog.Item
}

// Places counts the bookings of sessions (nil: every session has room).
type Places func(sessionIDs []int64) (map[int64]store.SessionPlaces, error)

// Ratings returns the ratings of offers (nil: none known).
type Ratings func(offerIDs []int64) (map[int64]store.OfferRating, error)

// Rank ranks the offers of src for the profile: the limit best with their
// next fitting session that still has room, and reasons.
func Rank(p *Profile, f *Funding, atlas Geography, src Source, places Places, ratings Ratings, limit int) (*domain.Recommendations, error) {
	if limit <= 0 {
		limit = DefaultRecommendations
	}
	if a, ok := atlas.(*geo.Atlas); ok && a == nil {
		atlas = nil
	}
	r := newRanker(p, f, atlas, 3*limit+10)
	r.bookedLevels(src)
	out := &domain.Recommendations{Items: []domain.Recommendation{}, Notes: []string{}, Gaps: r.gaps, Municipality: p.Place}
	if out.Gaps == nil {
		out.Gaps = []domain.AssessmentItem{}
	}
	if len(r.codes) > 0 {
		src.Teaching(r.codes, r.consider)
	}
	var ids []int64
	for _, n := range p.Paths {
		ids = append(ids, n.OfferIDs...)
	}
	taught := func(c *catalog.Candidate) bool {
		return slices.ContainsFunc(c.Levels, func(l int) bool { return l > 0 })
	}
	seen := map[int64]bool{}
	if len(ids) > 0 {
		slices.Sort(ids)
		src.Candidates(slices.Compact(ids), r.codes, func(c *catalog.Candidate) {
			if taught(c) {
				return // Teaching saw it
			}
			seen[c.ID] = true
			r.consider(c)
		})
	}
	// Steps that name a funding track only ("a base qualification"): every
	// offer of the track completes them.
	var tracks []string
	for _, n := range p.Paths {
		if n.trackOnly() && !slices.Contains(tracks, n.Track) {
			tracks = append(tracks, n.Track)
		}
	}
	for _, tr := range tracks {
		src.InTrack(tr, r.codes, func(c *catalog.Candidate) {
			if taught(c) || seen[c.ID] {
				return
			}
			seen[c.ID] = true
			r.consider(c)
		})
	}
	top := r.result()
	// Full sessions: the index does not know the bookings; ask for the
	// kept candidates' sessions, and move to the next session twice.
	if places != nil {
		full := map[int64]bool{}
		for round := 0; round < 3 && len(top) > 0; round++ {
			var sids []int64
			for _, x := range top {
				if x.session >= 0 {
					sids = append(sids, x.c.Sessions[x.session].ID)
				}
			}
			counts, err := places(sids)
			if err != nil {
				return nil, err
			}
			changed := false
			for _, x := range top {
				if x.session < 0 {
					continue
				}
				s := x.c.Sessions[x.session]
				pc := counts[s.ID]
				if pc.Waiting == 0 && pc.Confirmed < s.Capacity {
					continue
				}
				full[s.ID] = true
				changed = true
				si, km, known, dp, kp := r.session(&x.c, full, x.fund)
				if si < 0 || round == 2 {
					x.session = -1
					continue
				}
				x.score += dp + kp - x.sessPts
				x.session, x.km, x.kmKnown, x.sessPts = si, km, known, dp+kp
			}
			if !changed {
				break
			}
		}
		kept := top[:0]
		for _, x := range top {
			if x.session >= 0 {
				kept = append(kept, x)
			} else {
				r.full++
			}
		}
		top = kept
	}
	if ratings != nil && len(top) > 0 {
		oids := make([]int64, len(top))
		for i, x := range top {
			oids[i] = x.c.ID
		}
		rs, err := ratings(oids)
		if err != nil {
			return nil, err
		}
		for _, x := range top {
			if rt, ok := rs[x.c.ID]; ok && rt.Count > 0 {
				x.rating = &rating{Count: rt.Count, Average: rt.Average}
				x.score += math.Round((rt.Average-3)*0.6*1000) / 1000
			}
		}
	}
	r.top = top
	top = r.result()
	top = top[:min(limit, len(top))]
	oids := make([]int64, len(top))
	for i, x := range top {
		oids[i] = x.c.ID
	}
	items := map[int64]*catalog.Item{}
	for _, it := range src.Items(oids) {
		items[it.ID] = it
	}
	for _, x := range top {
		if it, ok := items[x.c.ID]; ok {
			out.Items = append(out.Items, r.recommendation(x, it))
		}
	}
	if r.needsBase > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("%s Aufbauprogramm %s die abgeschlossene Basisqualifizierung voraus; %s, sobald Ihr Zertifikat vorliegt.",
			domain.Plural(r.needsBase, "Angebot aus dem", "Angebote aus dem"), verb(r.needsBase, "setzt", "setzen"), verb(r.needsBase, "es erscheint", "sie erscheinen")))
	}
	if r.full > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("%s %s derzeit ausgebucht.", domain.Plural(r.full, "passendes Angebot", "passende Angebote"), verb(r.full, "ist", "sind")))
	}
	if len(p.Booked) > 0 {
		out.Notes = append(out.Notes, "Angebote, die Sie schon gebucht oder besucht haben, sind nicht aufgeführt.")
	}
	if !r.home && r.limitKm > 0 {
		out.Notes = append(out.Notes, "Die Lage Ihrer Kommune ist uns nicht bekannt; in der Nähe zählen daher nur Termine online und in Ihrer Kommune.")
	}
	return out, nil
}

func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// bookedLevels notes the levels the person's booked offers teach the
// codes at.
func (r *ranker) bookedLevels(src Source) {
	if len(r.p.Booked) == 0 || len(r.codes) == 0 {
		return
	}
	ids := make([]int64, 0, len(r.p.Booked))
	for id := range r.p.Booked {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	r.booked = make([]int, len(r.codes))
	src.Candidates(ids, r.codes, func(c *catalog.Candidate) {
		for i, l := range c.Levels {
			r.booked[i] = max(r.booked[i], l)
		}
	})
}

// redundant: a booked offer already teaches every gap competence c
// teaches, at its level or above (the same course of another provider).
func (r *ranker) redundant(c *catalog.Candidate) bool {
	if r.booked == nil {
		return false
	}
	for i, l := range c.Levels {
		if l > 0 && r.booked[i] < l {
			return false
		}
	}
	return true
}
