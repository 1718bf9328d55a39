package matching

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
)

// Demand signals for providers: for the provider's region (the districts
// of its in-person sessions, or one district picked) and the competence
// areas it teaches (all areas while it teaches none), anonymised counts
// of what people need. Counts below domain.MinGroupSize are never given
// out, only that they are below.

// Demand returns the signals for the provider; district "" is the
// provider's region, else a 5-digit district key of the state(s) it works
// in.
func (s *Service) Demand(ctx context.Context, providerID int64, district string) (d *domain.Demand, err error) {
	defer domain.Wrap(&err, "matching.Demand(%d)", providerID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.DemandView, authz.Resource{ProviderID: providerID}); err != nil {
		return nil, err
	}
	org, err := s.db.Organisation(ctx, providerID)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && org.Kind != domain.OrgProvider) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	region, taught, err := s.db.ProviderFootprint(ctx, providerID)
	if err != nil {
		return nil, err
	}
	var states []string
	for _, r := range region {
		if st := r[:2]; !slices.Contains(states, st) {
			states = append(states, st)
		}
	}
	choices, err := s.db.Districts(ctx, states)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	d = &domain.Demand{ProviderID: providerID, ProviderName: org.Name, From: now.AddDate(0, 0, -domain.DemandPeriodDays), To: now,
		District: strings.TrimSpace(district), Choices: choices, MinGroupSize: domain.MinGroupSize, Areas: []domain.DemandArea{}}
	names := map[string]string{}
	for _, c := range choices {
		names[c.AGS] = c.Name
	}
	districts := region
	if d.District != "" {
		if _, ok := names[d.District]; !ok {
			return nil, domain.ErrDemandDistrict
		}
		districts = []string{d.District}
	}
	d.Districts = make([]domain.District, 0, len(districts))
	for _, k := range districts {
		d.Districts = append(d.Districts, domain.District{AGS: k, Name: names[k]})
	}
	counts, err := s.db.DemandCounts(ctx, domain.DemandQuery{Districts: districts, From: d.From, To: d.To})
	if err != nil {
		return nil, err
	}
	framework, err := s.db.Competences(ctx)
	if err != nil {
		return nil, err
	}
	misses := missesByArea(counts.SearchMisses, framework)
	for _, c := range framework {
		if c.Code != c.Area || (len(taught) > 0 && !slices.Contains(taught, c.Code)) {
			continue
		}
		a := domain.DemandArea{Code: c.Code, Name: c.Name, Signals: make([]domain.DemandSignal, 0, len(domain.DemandKinds)), Queries: []string{}}
		for _, k := range domain.DemandKinds {
			n := counts.ByKind[k.Kind][c.Code]
			if k.Kind == domain.DemandEmptySearches {
				n = 0
				for _, m := range misses[c.Code] {
					n += m.Count
					if m.Count >= domain.MinGroupSize && len(a.Queries) < 5 {
						a.Queries = append(a.Queries, m.Query)
					}
				}
			}
			a.Signals = append(a.Signals, threshold(k.Kind, k.Label, k.Basis, n))
		}
		d.Areas = append(d.Areas, a)
	}
	return d, nil
}

// threshold hides counts below domain.MinGroupSize.
func threshold(kind, label, basis string, n int) domain.DemandSignal {
	sig := domain.DemandSignal{Kind: kind, Label: label, Basis: basis}
	if n < domain.MinGroupSize {
		sig.BelowThreshold = true
	} else {
		sig.Count = &n
	}
	return sig
}

// missesByArea assigns each empty search to the competence areas it
// filtered by, or else to those whose names share a word with the query
// (compared on the first five letters, case and umlauts folded), or to
// the area whose code is a word of the query ("KI").
func missesByArea(misses []domain.SearchMiss, framework []domain.Competence) map[string][]domain.SearchMiss {
	words := map[string]map[string]bool{} // area → stems of its names
	for _, c := range framework {
		if words[c.Area] == nil {
			words[c.Area] = map[string]bool{strings.ToLower(c.Area): true}
		}
		for _, w := range wordsOf(c.Name) {
			words[c.Area][w] = true
		}
	}
	out := map[string][]domain.SearchMiss{}
	for _, m := range misses {
		var areas []string
		if m.Areas != "" {
			areas = strings.Split(m.Areas, ",")
		} else {
			qw := wordsOf(m.Query)
			for _, f := range strings.Fields(m.Query) {
				qw = append(qw, strings.ToLower(f))
			}
			for area, ws := range words {
				if slices.ContainsFunc(qw, func(w string) bool { return ws[w] }) {
					areas = append(areas, area)
				}
			}
		}
		for _, a := range areas {
			out[a] = append(out[a], m)
		}
	}
	return out
}

var umlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss")

// wordsOf returns the folded five-letter beginnings of the words of s with
// at least four letters.
func wordsOf(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		f = umlauts.Replace(f)
		if utf8.RuneCountInString(f) < 4 {
			continue
		}
		if r := []rune(f); len(r) > 5 {
			f = string(r[:5])
		}
		out = append(out, f)
	}
	return out
}

// Maximum length of a logged query.
const maxMissRunes = 100

// NormalizeMissQuery is how an empty search is logged: lower case, single
// spaces, at most 100 characters.
func NormalizeMissQuery(q string) string {
	q = strings.Join(strings.Fields(strings.ToLower(q)), " ")
	if r := []rune(q); len(r) > maxMissRunes {
		q = strings.TrimSpace(string(r[:maxMissRunes]))
	}
	return q
}

// LogEmptySearch counts a catalog search that found nothing, by the
// district of the searching person's municipality (none when nobody is
// logged in), the normalised text and the competence areas filtered by.
// Who searched is not stored. Failures are the caller's to log: a search
// must not fail because of its statistics.
func (s *Service) LogEmptySearch(ctx context.Context, text string, areas []string) (err error) {
	defer domain.Wrap(&err, "matching.LogEmptySearch")
	q := NormalizeMissQuery(text)
	if q == "" {
		return nil
	}
	district := ""
	for _, m := range domain.ActorFrom(ctx).Memberships {
		if m.OrgKind != domain.OrgMunicipality {
			continue
		}
		ags, err := s.db.OrganisationAGS(ctx, m.OrgID)
		if err != nil {
			return err
		}
		if len(ags) >= 5 {
			district = ags[:5]
			break
		}
	}
	var as []string
	for _, a := range areas {
		if a = strings.TrimSpace(a); a != "" && len(a) <= 20 && len(as) < 5 && !slices.Contains(as, a) {
			as = append(as, a)
		}
	}
	slices.Sort(as)
	return s.db.LogSearchMiss(ctx, district, q, strings.Join(as, ","))
}
