// Package matcheval measures the recommendations on an evaluation set of
// their own: offers written for it (testdata/offers.txt) with competences,
// levels, funding tracks, prices and sessions in real municipalities of
// Baden-Württemberg, and person profiles (testdata/profiles.txt) with
// self-assessments, home municipalities, vouchers, base certificates,
// preferences and graded judgments of which offers fit, made by reading
// the offers. It ranks with matching.Rank on an in-memory index
// (catalog.NewMemorySearcher) and reports nDCG@5 per kind of profile and
// overall, and how often every reason of the top item is true, checked
// against the facts by code of its own. See
// docs/recommendation-evaluation.md.
package matcheval

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/competences"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/geo"
	"github.com/lotse-oss/lotse/internal/matching"
	"github.com/lotse-oss/lotse/internal/searcheval"
	"github.com/lotse-oss/lotse/internal/store"
)

// NDCGAt is the cut-off of the ranking metric.
const NDCGAt = 5

// PathTitle is the learning path the "path" profiles follow.
const PathTitle = "Kommunale/r Digitallotse/in"

// Kinds of profiles, in the order the report lists them.
var Kinds = []string{"voucher", "base_cert", "no_cert", "nearby", "online", "budget", "multi_gap", "expert", "booked", "path"}

// Programme is the evaluation's programme: the BW tracks, funding
// providers 1 and 2.
var Programme = domain.Programme{ID: "digitallotsen-bw", Name: "Kommunale Digitallotsen", State: "08", Open: true, ProviderIDs: []int64{1, 2},
	Tracks: []domain.Track{
		{Key: domain.TrackBasis, Name: "Basisqualifizierung", Rule: domain.RulePerPerson, AmountCents: 30000, MaxCents: 30000, Days: 3, CountsAgainstContingent: true},
		{Key: domain.TrackAdvanced, Name: "Aufbauprogramm", Rule: domain.RulePerDay, AmountCents: 5000, MaxDays: 3, MaxCents: 15000, RequiresBaseCertificate: true},
	}}

// Providers are the evaluation's providers by ID.
var Providers = map[int64]string{1: "Verwaltungsschule des Gemeindetags Baden-Württemberg", 2: "Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg",
	3: "Hochschule Kehl – Institut für Digitale Verwaltung", 4: "Digitalakademie Süd GmbH"}

// Offer is an evaluation offer with what the index does not hold: the
// bookings of its sessions and its ratings.
type Offer struct {
	Code   string
	Offer  *domain.Offer
	Booked map[int64]int // by session ID
	Rating store.OfferRating
}

// Profile is an evaluation person.
type Profile struct {
	ID, Kind  string
	Profile   *matching.Profile
	Judgments map[string]int
}

// Set is the evaluation set.
type Set struct {
	Now      time.Time
	Offers   []*Offer
	ByCode   map[string]*Offer
	ByID     map[int64]*Offer
	Profiles []*Profile
	Atlas    *geo.Atlas
}

// Load reads the set; now is the evaluation's clock.
func Load(offersPath, profilesPath string, now time.Time) (*Set, error) {
	atlas, err := geo.Load("08")
	if err != nil {
		return nil, err
	}
	s := &Set{Now: now, ByCode: map[string]*Offer{}, ByID: map[int64]*Offer{}, Atlas: atlas}
	if err := eachLine(offersPath, s.offer); err != nil {
		return nil, err
	}
	names := map[string]string{}
	areas := map[string][]string{}
	for _, c := range competences.Default() {
		names[c.Code] = c.Name
		if c.Code != c.Area {
			areas[c.Area] = append(areas[c.Area], c.Code)
		}
	}
	err = eachLine(profilesPath, func(f []string) error { return s.profile(f, names, areas) })
	return s, err
}

func eachLine(path string, fn func([]string) error) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "|")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if err := fn(f); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	return sc.Err()
}

func (s *Set) offer(f []string) error {
	if len(f) != 11 {
		return fmt.Errorf("%d fields, want 11", len(f))
	}
	id := int64(len(s.Offers) + 1)
	prov, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || Providers[prov] == "" {
		return fmt.Errorf("provider %q", f[1])
	}
	days, _ := strconv.Atoi(f[6])
	euros, err := strconv.ParseInt(f[7], 10, 64)
	if err != nil {
		return fmt.Errorf("price %q", f[7])
	}
	o := &domain.Offer{ID: id, Code: f[0], ProviderID: prov, ProviderName: Providers[prov], Title: f[2], Level: f[4], Format: f[5], Days: days,
		PriceCents: euros * 100, Language: "de", Status: domain.OfferPublished, FundingTracks: []string{}}
	if !slices.Contains(domain.OfferLevels, o.Level) || !slices.Contains(domain.OfferFormats, o.Format) {
		return fmt.Errorf("level %q or format %q", o.Level, o.Format)
	}
	for _, c := range strings.Fields(f[3]) {
		code, lv, _ := strings.Cut(c, ":")
		l, err := strconv.Atoi(lv)
		if err != nil || l < 1 || l > 3 {
			return fmt.Errorf("competence %q", c)
		}
		o.Competences = append(o.Competences, domain.OfferCompetence{Code: code, Level: l})
	}
	if f[8] != "-" {
		o.FundingTracks = []string{Programme.ID + "/" + f[8]}
	}
	x := &Offer{Code: f[0], Offer: o, Booked: map[int64]int{}}
	for i, sp := range strings.Fields(f[9]) {
		place, rest, _ := strings.Cut(sp, "@")
		after, capa, _ := strings.Cut(rest, "+")
		d, err := strconv.Atoi(after)
		if err != nil {
			return fmt.Errorf("session %q", sp)
		}
		capacity, booked := 20, 0
		if capa != "" {
			c, b, _ := strings.Cut(capa, "/")
			capacity, _ = strconv.Atoi(c)
			booked, _ = strconv.Atoi(b)
		}
		start := time.Date(s.Now.Year(), s.Now.Month(), s.Now.Day()+d, 8, 0, 0, 0, time.UTC)
		ses := domain.Session{ID: id*10 + int64(i), OfferID: id, StartsAt: start, EndsAt: start.AddDate(0, 0, max(days, 1)-1).Add(7 * time.Hour),
			Days: days, Capacity: capacity, RegistrationDeadline: start.AddDate(0, 0, -7)}
		if place == "online" {
			ses.Online = true
		} else {
			r, ok := s.Atlas.Lookup(place)
			if !ok {
				return fmt.Errorf("session place %q not in the atlas", place)
			}
			ses.AGS, ses.Place = place, r.Name
		}
		o.Sessions = append(o.Sessions, ses)
		x.Booked[ses.ID] = booked
	}
	if f[10] != "-" {
		avg, n, _ := strings.Cut(f[10], "/")
		x.Rating.Average, _ = strconv.ParseFloat(avg, 64)
		x.Rating.Count, _ = strconv.Atoi(n)
	}
	if _, dup := s.ByCode[x.Code]; dup {
		return fmt.Errorf("offer %s twice", x.Code)
	}
	s.Offers = append(s.Offers, x)
	s.ByCode[x.Code], s.ByID[id] = x, x
	return nil
}

func (s *Set) profile(f []string, names map[string]string, areas map[string][]string) error {
	if len(f) != 9 {
		return fmt.Errorf("%d fields, want 9", len(f))
	}
	a := &domain.Assessment{Items: []domain.AssessmentItem{}, Preferences: domain.Preferences{Formats: []string{}}}
	for _, it := range strings.Fields(f[3]) {
		if it == "-" {
			continue // no gaps: only the path speaks
		}
		code, rest, _ := strings.Cut(it, ":")
		lv, tg, _ := strings.Cut(rest, ">")
		l, err1 := strconv.Atoi(lv)
		t, err2 := strconv.Atoi(tg)
		if err1 != nil || err2 != nil || names[code] == "" {
			return fmt.Errorf("assessment item %q", it)
		}
		a.Items = append(a.Items, domain.AssessmentItem{Code: code, Name: names[code], Level: l, Target: t})
	}
	for _, p := range strings.Fields(f[4]) {
		k, v, _ := strings.Cut(p, "=")
		switch k {
		case "-":
		case "region":
			if v != "any" {
				a.Preferences.Region = v
			}
		case "km":
			a.Preferences.MaxDistanceKm, _ = strconv.Atoi(v)
		case "formats":
			a.Preferences.Formats = strings.Split(v, ",")
		case "budget":
			b, _ := strconv.ParseInt(v, 10, 64)
			a.Preferences.BudgetCents = b * 100
		default:
			return fmt.Errorf("preference %q", p)
		}
	}
	if err := a.Validate(competences.Default()); err != nil {
		return fmt.Errorf("assessment: %v %v", err, domain.ErrorFields(err))
	}
	reg, ok := s.Atlas.Lookup(f[2])
	if !ok {
		return fmt.Errorf("home %q not in the atlas", f[2])
	}
	p := &matching.Profile{Assessment: a, AGS: f[2], Place: reg.Name, FreePlaces: map[string]int{}, BaseCertificate: map[string]bool{},
		BaseUntil: map[string]time.Time{}, Booked: map[int64]bool{}, Names: names, AreaCodes: areas, Now: s.Now}
	for _, v := range strings.Fields(f[5]) {
		if v == "-" {
			continue
		}
		prov, track, _ := strings.Cut(v, "/")
		pid, _ := strconv.ParseInt(prov, 10, 64)
		t, ok := Programme.Track(track)
		if Providers[pid] == "" || !ok {
			return fmt.Errorf("voucher %q", v)
		}
		p.Vouchers = append(p.Vouchers, domain.Voucher{Code: fmt.Sprintf("EVAL-%s-%d", f[0], len(p.Vouchers)), ProgrammeID: Programme.ID, Track: track,
			ProviderID: pid, ProviderName: Providers[pid], ValueCents: t.VoucherValue(t.Days), State: domain.VoucherIssued,
			ExpiresAt: s.Now.AddDate(1, 0, 0)})
	}
	for _, x := range strings.Fields(f[6]) {
		k, v, _ := strings.Cut(x, "=")
		switch k {
		case "-":
		case "cert":
			p.BaseCertificate[Programme.ID] = true
		case "places":
			n, _ := strconv.Atoi(v)
			p.FreePlaces[Programme.ID+"/"+domain.TrackBasis] = n
		case "path":
			// The person follows the programme's learning path and its
			// next step takes any offer of the track (basis or advanced).
			if _, ok := Programme.Track(v); !ok {
				return fmt.Errorf("path step track %q", v)
			}
			p.Paths = append(p.Paths, matching.PathNeed{PathID: 1, PathTitle: PathTitle, StepTitle: v, Track: Programme.ID + "/" + v})
		default:
			return fmt.Errorf("fact %q", x)
		}
	}
	for _, c := range strings.Fields(f[7]) {
		if c == "-" {
			continue
		}
		o, ok := s.ByCode[c]
		if !ok {
			return fmt.Errorf("booked offer %q", c)
		}
		p.Booked[o.Offer.ID] = true
	}
	j := map[string]int{}
	for _, x := range strings.Fields(f[8]) {
		code, g, _ := strings.Cut(x, ":")
		n, err := strconv.Atoi(g)
		if _, ok := s.ByCode[code]; !ok || err != nil || n < 1 || n > 3 {
			return fmt.Errorf("judgment %q", x)
		}
		if _, dup := j[code]; dup {
			return fmt.Errorf("judgment of %s twice", code)
		}
		j[code] = n
	}
	s.Profiles = append(s.Profiles, &Profile{ID: f[0], Kind: f[1], Profile: p, Judgments: j})
	return nil
}

// Check returns the problems of the set itself.
func (s *Set) Check() []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range s.Profiles {
		if seen[p.ID] {
			out = append(out, "profile "+p.ID+" twice")
		}
		seen[p.ID] = true
		if !slices.Contains(Kinds, p.Kind) {
			out = append(out, p.ID+": unknown kind "+p.Kind)
		}
		best := 0
		for _, g := range p.Judgments {
			best = max(best, g)
		}
		if best < 2 {
			out = append(out, p.ID+": no offer of grade 2 or 3")
		}
		if len(p.Profile.Assessment.Gaps()) == 0 && len(p.Profile.Paths) == 0 {
			out = append(out, p.ID+": neither a gap nor a path")
		}
	}
	return out
}

// Searcher is the in-memory index of the set's offers.
func (s *Set) Searcher() *catalog.Searcher {
	offers := make([]*domain.Offer, len(s.Offers))
	for i, o := range s.Offers {
		c := *o.Offer
		c.Sessions = slices.Clone(o.Offer.Sessions)
		offers[i] = &c
	}
	return catalog.NewMemorySearcher(offers)
}

// Run is the outcome of one profile.
type Run struct {
	Profile *Profile
	Ranked  []string // offer codes
	Recs    []domain.Recommendation
	NDCG    float64
	// TopTrue: every reason of the top item is true; Problems says which
	// are not.
	TopTrue  bool
	Problems []string
}

// Row is the figures of a kind or of all profiles.
type Row struct {
	Kind     string
	Profiles int
	NDCG     float64
	TopTrue  int
}

// Report is the evaluation of the set.
type Report struct {
	Runs    []Run
	Kinds   []Row
	Overall Row
}

// Evaluate ranks the set's offers for every profile.
func Evaluate(s *Set) (Report, error) {
	src := s.Searcher()
	f := matching.NewFunding([]domain.Programme{Programme})
	places := func(ids []int64) (map[int64]store.SessionPlaces, error) {
		out := map[int64]store.SessionPlaces{}
		for _, id := range ids {
			if o, ok := s.ByID[id/10]; ok {
				out[id] = store.SessionPlaces{Confirmed: o.Booked[id]}
			}
		}
		return out, nil
	}
	ratings := func(ids []int64) (map[int64]store.OfferRating, error) {
		out := map[int64]store.OfferRating{}
		for _, id := range ids {
			if o, ok := s.ByID[id]; ok && o.Rating.Count > 0 {
				out[id] = o.Rating
			}
		}
		return out, nil
	}
	var rep Report
	rows := map[string]*Row{}
	rep.Overall.Kind = "overall"
	for _, p := range s.Profiles {
		rs, err := matching.Rank(p.Profile, f, s.Atlas, src, places, ratings, 10)
		if err != nil {
			return rep, err
		}
		run := Run{Profile: p, Recs: rs.Items}
		for _, r := range rs.Items {
			run.Ranked = append(run.Ranked, s.ByID[r.Offer.ID].Code)
		}
		run.NDCG = searcheval.NDCG(run.Ranked, p.Judgments, NDCGAt)
		if len(rs.Items) > 0 {
			run.Problems = s.CheckReasons(p.Profile, rs.Items[0])
			run.TopTrue = len(run.Problems) == 0
		}
		rep.Runs = append(rep.Runs, run)
		if rows[p.Kind] == nil {
			rows[p.Kind] = &Row{Kind: p.Kind}
		}
		for _, row := range []*Row{rows[p.Kind], &rep.Overall} {
			row.Profiles++
			row.NDCG += run.NDCG
			if run.TopTrue {
				row.TopTrue++
			}
		}
	}
	for _, k := range Kinds {
		if row := rows[k]; row != nil {
			row.NDCG /= float64(row.Profiles)
			rep.Kinds = append(rep.Kinds, *row)
		}
	}
	if rep.Overall.Profiles > 0 {
		rep.Overall.NDCG /= float64(rep.Overall.Profiles)
	}
	return rep, nil
}

var (
	gapRE      = regexp.MustCompile(`^(?:Schließt Ihre Lücke in (.+) \(Stufe (\d) → Ziel (\d)\)|Bringt Sie in (.+) von Stufe (\d) auf Stufe (\d) \(Ziel (\d)\))$`)
	dateRE     = regexp.MustCompile(`^Beginnt am (\d\d\.\d\d\.\d{4}), Anmeldung bis (\d\d\.\d\d\.\d{4})$`)
	kmRE       = regexp.MustCompile(`^Nächster Termin in (\d+) km \((.+)\)$`)
	homeRE     = regexp.MustCompile(`^Nächster Termin in Ihrer Kommune \((.+)\)$`)
	afterRE    = regexp.MustCompile(`^Kostet Sie nach Förderung ([\d.]+(?:,\d\d)?) € statt ([\d.]+(?:,\d\d)?) €$`)
	budgetRE   = regexp.MustCompile(`^Kostet ([\d.]+(?:,\d\d)?) € – im Rahmen Ihres Budgets von ([\d.]+(?:,\d\d)?) €$`)
	voucherRE  = regexp.MustCompile(`^Mit Ihrem Gutschein bezahlt \((.+), (.+)\)$`)
	partlyRE   = regexp.MustCompile(`^Ihr Gutschein übernimmt ([\d.]+(?:,\d\d)?) € \((.+)\)$`)
	freeRE     = regexp.MustCompile(`^Ihre Kommune hat noch (einen freien Gutschein|(\d+) freie Gutscheine) für dieses Angebot – fragen Sie Ihre Personalabteilung$`)
	placesRE   = regexp.MustCompile(`^Ihre Kommune hat noch (\d+) (freien Förderplatz|freie Förderplätze) im Programm „(.+)“$`)
	advancedRE = regexp.MustCompile(`^Förderfähig im (.+) – Ihre Basisqualifizierung liegt vor$`)
	ratingRE   = regexp.MustCompile(`^Bewertet mit (\d),(\d) von 5 \((\d+) (Bewertung|Bewertungen)\)$`)
)

func euros(s string) int64 {
	whole, cents, _ := strings.Cut(strings.ReplaceAll(s, ".", ""), ",")
	n, _ := strconv.ParseInt(whole, 10, 64)
	c, _ := strconv.ParseInt(cents, 10, 64)
	return n*100 + c
}

// CheckReasons checks every reason of rec against the set's facts, and
// that its session can be booked; it returns what is not true.
func (s *Set) CheckReasons(p *matching.Profile, rec domain.Recommendation) []string {
	var out []string
	x, ok := s.ByID[rec.Offer.ID]
	if !ok {
		return []string{"unknown offer"}
	}
	o := x.Offer
	var ses *domain.Session
	for i := range o.Sessions {
		if rec.Session != nil && o.Sessions[i].ID == rec.Session.ID {
			ses = &o.Sessions[i]
		}
	}
	if ses == nil {
		return []string{"no such session"}
	}
	if !ses.RegistrationDeadline.After(s.Now) || x.Booked[ses.ID] >= ses.Capacity || p.Booked[o.ID] {
		out = append(out, "session closed, full or offer booked")
	}
	teaches := func(code string) int {
		for _, c := range o.Competences {
			if c.Code == code {
				return c.Level
			}
		}
		return 0
	}
	byName := map[string]string{}
	for code, n := range p.Names {
		byName[n] = code
	}
	funded := int64(0) // the funding the reasons claim
	hasTrack := func(track string) bool { return slices.Contains(o.FundingTracks, Programme.ID+"/"+track) }
	trackValue := func(track string) int64 {
		t, _ := Programme.Track(track)
		if t.Rule == domain.RulePerDay {
			return t.VoucherValue(o.Days)
		}
		return t.AmountCents
	}
	date := func(t time.Time) string { return t.In(berlin).Format("02.01.2006") }
	for _, r := range rec.Reasons {
		bad := func(why string) { out = append(out, fmt.Sprintf("%s %q: %s", r.Kind, r.Text, why)) }
		switch r.Kind {
		case domain.ReasonGap:
			m := gapRE.FindStringSubmatch(r.Text)
			if m == nil {
				bad("form")
				continue
			}
			name, level, target, reach := m[1], m[2], m[3], m[3]
			if name == "" {
				name, level, reach, target = m[4], m[5], m[6], m[7]
			}
			code := byName[name]
			it, ok := p.Assessment.Item(code)
			l, _ := strconv.Atoi(level)
			tg, _ := strconv.Atoi(target)
			rc, _ := strconv.Atoi(reach)
			if !ok || it.Level != l || it.Target != tg || tg <= l {
				bad("not a gap of the assessment")
			} else if ol := teaches(code); ol <= l || min(ol, tg) != rc {
				bad(fmt.Sprintf("the offer teaches %s at level %d", code, ol))
			}
		case domain.ReasonFunding:
			switch {
			case voucherRE.MatchString(r.Text) || partlyRE.MatchString(r.Text):
				held := false
				for _, v := range p.Vouchers {
					if v.ProviderID == o.ProviderID && hasTrack(v.Track) && ses.StartsAt.Before(v.ExpiresAt) {
						held = true
						funded = trackValue(v.Track)
					}
				}
				if !held {
					bad("no voucher held for this provider and track")
				}
				if voucherRE.MatchString(r.Text) && o.PriceCents > funded {
					bad("the voucher does not pay it all")
				}
			case freeRE.MatchString(r.Text):
				m := freeRE.FindStringSubmatch(r.Text)
				n := 1
				if m[2] != "" {
					n, _ = strconv.Atoi(m[2])
				}
				have := 0
				for _, v := range p.FreeVouchers {
					if v.ProviderID == o.ProviderID && hasTrack(v.Track) {
						have++
					}
				}
				if have != n {
					bad(fmt.Sprintf("the municipality has %d such vouchers", have))
				}
				funded = trackValue(domain.TrackBasis)
			case placesRE.MatchString(r.Text):
				m := placesRE.FindStringSubmatch(r.Text)
				n, _ := strconv.Atoi(m[1])
				if n != p.FreePlaces[Programme.ID+"/"+domain.TrackBasis] || !hasTrack(domain.TrackBasis) || !Programme.FundsProvider(o.ProviderID) ||
					(n == 1) != (m[2] == "freien Förderplatz") || m[3] != Programme.Name {
					bad("not the free contingent")
				}
				funded = trackValue(domain.TrackBasis)
			case advancedRE.MatchString(r.Text):
				if !p.BaseCertificate[Programme.ID] || !hasTrack(domain.TrackAdvanced) || !Programme.FundsProvider(o.ProviderID) {
					bad("no base certificate or not an advanced module")
				}
				funded = trackValue(domain.TrackAdvanced)
			default:
				bad("form")
			}
		case domain.ReasonDistance:
			switch {
			case r.Text == "Online – keine Anreise":
				if !ses.Online {
					bad("the session is not online")
				}
			case homeRE.MatchString(r.Text):
				if ses.AGS != p.AGS {
					bad("not in the home municipality")
				}
			case kmRE.MatchString(r.Text):
				m := kmRE.FindStringSubmatch(r.Text)
				km, _ := strconv.Atoi(m[1])
				la, lo, ok1 := s.Atlas.Centroid(p.AGS)
				lb, lob, ok2 := s.Atlas.Centroid(ses.AGS)
				if !ok1 || !ok2 || ses.Online {
					bad("no distance to compute")
				} else if d := geo.DistanceKm(la, lo, lb, lob); math.Abs(d-float64(km)) > 2 {
					bad(fmt.Sprintf("the distance is %.1f km", d))
				}
				if reg, _ := s.Atlas.Lookup(ses.AGS); reg == nil || !strings.HasPrefix(reg.Name, m[2]) {
					bad("not the session's place")
				}
			default:
				bad("form")
			}
		case domain.ReasonDate:
			m := dateRE.FindStringSubmatch(r.Text)
			if m == nil || m[1] != date(ses.StartsAt) || m[2] != date(ses.RegistrationDeadline) {
				bad("not the session's dates")
			}
		case domain.ReasonPrice:
			switch {
			case afterRE.MatchString(r.Text):
				m := afterRE.FindStringSubmatch(r.Text)
				if euros(m[2]) != o.PriceCents || euros(m[1]) != max(0, o.PriceCents-funded) || funded == 0 {
					bad(fmt.Sprintf("price %d, funding %d", o.PriceCents, funded))
				}
			case budgetRE.MatchString(r.Text):
				m := budgetRE.FindStringSubmatch(r.Text)
				if euros(m[1]) != o.PriceCents || euros(m[2]) != p.Assessment.Preferences.BudgetCents || o.PriceCents > euros(m[2]) {
					bad("not the price or budget")
				}
			case r.Text == "Kostenfrei":
				if o.PriceCents != 0 {
					bad("not free")
				}
			default:
				bad("form")
			}
		case domain.ReasonPath:
			fits := false
			for _, n := range p.Paths {
				fits = fits || (r.Text == "Nächster Schritt Ihres Lernpfads „"+n.PathTitle+"“" && slices.Contains(o.FundingTracks, n.Track))
			}
			if !fits {
				bad("not the next step of a path the person follows")
			}
		case domain.ReasonRating:
			m := ratingRE.FindStringSubmatch(r.Text)
			if m == nil {
				bad("form")
				continue
			}
			n, _ := strconv.Atoi(m[3])
			if fmt.Sprintf("%s.%s", m[1], m[2]) != fmt.Sprintf("%.1f", x.Rating.Average) || n != x.Rating.Count || (n == 1) != (m[4] == "Bewertung") {
				bad("not the ratings")
			}
		default:
			bad("a kind the evaluation has no facts for")
		}
	}
	if rec.Offer.PriceAfterFundingCents != max(0, o.PriceCents-funded) {
		out = append(out, fmt.Sprintf("price after funding %d, want %d", rec.Offer.PriceAfterFundingCents, max(0, o.PriceCents-funded)))
	}
	return out
}

var berlin = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Berlin"); err == nil {
		return l
	}
	return time.UTC
}()

// Table writes the figures per kind and overall as a Markdown table.
func (rep Report) Table(w io.Writer) {
	fmt.Fprintf(w, "| kind | profiles | nDCG@%d | top item's reasons all true |\n", NDCGAt)
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: |")
	for _, r := range rep.Kinds {
		fmt.Fprintf(w, "| %s | %d | %.3f | %d/%d |\n", r.Kind, r.Profiles, r.NDCG, r.TopTrue, r.Profiles)
	}
	o := rep.Overall
	fmt.Fprintf(w, "| **overall** | %d | **%.3f** | **%d/%d (%.2f)** |\n", o.Profiles, o.NDCG, o.TopTrue, o.Profiles, float64(o.TopTrue)/float64(max(o.Profiles, 1)))
}

// Details writes one line per profile: nDCG and the first five, graded.
func (rep Report) Details(w io.Writer) {
	fmt.Fprintln(w, "| profile | kind | nDCG@5 | first five (grade) | top item's reasons |")
	fmt.Fprintln(w, "| --- | --- | ---: | --- | --- |")
	for _, r := range rep.Runs {
		var first []string
		for _, c := range r.Ranked[:min(5, len(r.Ranked))] {
			first = append(first, fmt.Sprintf("%s(%d)", c, r.Profile.Judgments[c]))
		}
		why := "true"
		if !r.TopTrue {
			why = strings.Join(r.Problems, "; ")
		}
		fmt.Fprintf(w, "| %s | %s | %.2f | %s | %s |\n", r.Profile.ID, r.Profile.Kind, r.NDCG, strings.Join(first, " "), why)
	}
}
