// Package reports is the home of a programme's report for the ministry and
// the associations: contingent use per municipality, district and state,
// coverage by size bracket, vouchers, budget over time, participants,
// completion, decision times, applications per month and a forecast of the
// year's budget. The store aggregates in SQL down to one row per applicant
// and key; this package sums those rows by the reader's scope (authz) and
// the filter, and computes the forecast. It holds no SQL and no HTTP, and
// it only reads: the settlement service writes the budget ledger.
package reports

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Service computes reports.
type Service struct {
	db *store.DB
}

// New returns the reports service.
func New(db *store.DB) *Service { return &Service{db: db} }

// recentMonths is how many complete months back the forecast measures the
// pace of commitments (the ledger is summed per month).
const recentMonths = 3

// recentSince is the first day of the window: recentMonths complete months
// before now's month (UTC).
func recentSince(now time.Time) time.Time {
	now = now.UTC()
	return time.Date(now.Year(), now.Month()-recentMonths, 1, 0, 0, 0, 0, time.UTC)
}

// Report returns programme programmeID's report for the actor of ctx,
// narrowed by f. The programme's funder and admins read all of it; the
// members of an association read the applicants the programme assigns to
// their association, whatever association f names.
func (s *Service) Report(ctx context.Context, programmeID string, f domain.ReportFilter) (r *domain.Report, err error) {
	defer domain.Wrap(&err, "reports.Report(%q)", programmeID)
	p, err := s.db.Programme(ctx, programmeID)
	if err != nil {
		return nil, err
	}
	assoc, fixed, err := authz.ReportScope(domain.ActorFrom(ctx), p, f.Association)
	if err != nil {
		return nil, err
	}
	f.Association = assoc
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if f.Association != 0 && !slices.ContainsFunc(p.Reviewers, func(r domain.ReviewerRule) bool { return r.AssociationID == f.Association }) {
		return nil, &domain.Error{Code: domain.EInvalid, Message: "Dieser Verband prüft im Förderprogramm keine Anträge.",
			Fields: map[string]string{"association": "Bitte wählen Sie einen Verband des Förderprogramms."}}
	}
	now := s.db.Now()
	q := store.ReportQuery{ProgrammeID: p.ID, State: p.State, Now: now, RecentSince: recentSince(now)}
	if f.From != nil {
		q.From = *f.From
	}
	if f.To != nil {
		q.To = f.To.AddDate(0, 0, 1)
	}
	d, err := s.db.ReportData(ctx, q)
	if err != nil {
		return nil, err
	}
	r = Compute(p, f, d, now)
	r.AssociationFixed = fixed
	if f.District != "" && r.DistrictName == "" {
		return nil, &domain.Error{Code: domain.EInvalid, Message: "Diesen Kreis gibt es im Land des Förderprogramms nicht.",
			Fields: map[string]string{"district": "Bitte wählen Sie einen Kreis aus der Liste."}}
	}
	if fixed {
		r.Associations = slices.DeleteFunc(r.Associations, func(o domain.ReportOption) bool { return o.Key != fmt.Sprint(assoc) })
	}
	return r, nil
}

// applicant is a directory entry that applies for places.
type applicant struct {
	row      domain.ContingentRow
	reviewer int64
}

// Compute builds the report from the store's aggregates; it is pure, so
// the figures can be tested without a database.
func Compute(p *domain.Programme, f domain.ReportFilter, d *store.ReportData, now time.Time) *domain.Report {
	r := &domain.Report{ProgrammeID: p.ID, ProgrammeName: p.Name, State: p.State, GeneratedAt: now, Filter: f,
		Districts: []domain.ReportOption{}, Associations: []domain.ReportOption{}, Municipalities: []domain.ContingentRow{},
		DistrictRows: []domain.ContingentRow{}, Coverage: []domain.CoverageRow{}, Vouchers: []domain.VoucherStateRow{},
		Budget: []domain.BudgetMonth{}, Participants: []domain.ParticipantRow{}, Applications: []domain.MonthCount{}}
	for _, t := range p.Tracks {
		r.Tracks = append(r.Tracks, domain.ReportTrack{Key: t.Key, Name: t.Name})
	}
	for _, rv := range p.Reviewers {
		r.Associations = append(r.Associations, domain.ReportOption{Key: fmt.Sprint(rv.AssociationID), Name: d.OrgNames[rv.AssociationID]})
		if rv.AssociationID == f.Association {
			r.AssociationName = d.OrgNames[rv.AssociationID]
		}
	}

	// The directory: districts, their populations, the applicants.
	districtName := map[string]string{}
	districtPop := map[string]int{}
	for _, a := range d.Areas {
		if a.Kind == string(domain.AreaDistrict) {
			districtName[a.AGS] = a.Name
			r.Districts = append(r.Districts, domain.ReportOption{Key: a.AGS, Name: a.Name})
		} else {
			districtPop[a.DistrictAGS] += a.Population
		}
	}
	r.DistrictName = districtName[f.District]
	hasData := map[string]bool{}
	for _, a := range d.Applications {
		hasData[a.AGS] = true
	}
	counts := map[string]bool{}
	for _, t := range p.Tracks {
		counts[t.Key] = t.CountsAgainstContingent
	}
	apps := map[string]*applicant{}
	var order []string
	for _, a := range d.Areas {
		row := domain.ContingentRow{AGS: a.AGS, Name: a.Name, DistrictAGS: a.DistrictAGS, TypeCode: a.TypeCode,
			ApplicantKind: domain.ApplicantMunicipality, Population: a.Population}
		switch {
		case a.Kind == string(domain.AreaDistrict):
			// A city that is its own district applies with its
			// municipality entry; its district entry only when it did.
			if (a.TypeCode == 41 || a.TypeCode == 42) && !hasData[a.AGS] {
				continue
			}
			row.ApplicantKind, row.DistrictAGS, row.Population = domain.ApplicantDistrict, a.AGS, districtPop[a.AGS]
		case a.TypeCode == 61 || a.TypeCode == 62:
			row.ApplicantKind = domain.ApplicantDistrict
		}
		row.District = districtName[row.DistrictAGS]
		row.Total = p.Entitlement(row.ApplicantKind, row.Population)
		ap := &applicant{row: row, reviewer: p.Reviewer(a.TypeCode)}
		if f.District != "" && row.DistrictAGS != f.District {
			continue
		}
		if f.Association != 0 && ap.reviewer != f.Association {
			continue
		}
		apps[a.AGS] = ap
		order = append(order, a.AGS)
	}
	in := func(ags string) bool {
		if f.District == "" && f.Association == 0 {
			return true
		}
		return apps[ags] != nil
	}

	// Contingent and coverage from the applications.
	for _, a := range d.Applications {
		ap := apps[a.AGS]
		if ap == nil {
			continue
		}
		live := a.Status == string(domain.AppSubmitted) || a.Status == string(domain.AppReturned) || a.Status == string(domain.AppApproved)
		if live && counts[a.Track] {
			ap.row.Used += a.People
		}
		if live {
			ap.row.Applied = true
		}
		if a.Status == string(domain.AppApproved) {
			ap.row.Approved += a.People
		}
	}

	// Vouchers: by state and track, participants, completion, pilots.
	trackIdx := map[string]int{}
	for i, t := range r.Tracks {
		trackIdx[t.Key] = i
	}
	byState := map[domain.VoucherState]*domain.VoucherStateRow{}
	for _, st := range voucherStates {
		row := &domain.VoucherStateRow{State: st, Label: st.Label(), ByTrack: make([]int, len(r.Tracks))}
		byState[st] = row
	}
	type pk struct {
		provider int64
		track    string
	}
	parts := map[pk]*domain.ParticipantRow{}
	for _, v := range d.Vouchers {
		if !in(v.AGS) {
			continue
		}
		st := domain.VoucherState(v.State)
		row := byState[st]
		if row == nil {
			continue
		}
		if i, ok := trackIdx[v.Track]; ok {
			row.ByTrack[i] += v.Count
		}
		row.Total += v.Count
		row.ValueCents += v.ValueCents
		done := st == domain.VoucherRedeemed || st == domain.VoucherSettled
		booked := done || st == domain.VoucherReserved || st == domain.VoucherForfeited
		if done && v.Track == domain.TrackBasis {
			if ap := apps[v.AGS]; ap != nil {
				ap.row.Pilots += v.Count
			}
		}
		if booked {
			k := pk{v.ProviderID, v.Track}
			pr := parts[k]
			if pr == nil {
				t, _ := p.Track(v.Track)
				pr = &domain.ParticipantRow{ProviderID: v.ProviderID, Provider: d.OrgNames[v.ProviderID], Track: v.Track, TrackName: cmp.Or(t.Name, domain.TrackLabel(v.Track))}
				parts[k] = pr
			}
			pr.Booked += v.Count
			r.Completion.Booked += v.Count
			if done {
				pr.Completed += v.Count
				r.Completion.Completed += v.Count
			}
		}
	}
	for _, st := range voucherStates {
		r.Vouchers = append(r.Vouchers, *byState[st])
	}
	r.Completion.Rate = ratio(r.Completion.Completed, r.Completion.Booked)
	for _, pr := range parts {
		pr.Rate = ratio(pr.Completed, pr.Booked)
		r.Participants = append(r.Participants, *pr)
	}
	slices.SortFunc(r.Participants, func(a, b domain.ParticipantRow) int {
		return cmp.Or(strings.Compare(a.Provider, b.Provider), cmp.Compare(a.ProviderID, b.ProviderID), cmp.Compare(trackIdx[a.Track], trackIdx[b.Track]))
	})

	// Rows per applicant, district and state; coverage by bracket.
	districts := map[string]*domain.ContingentRow{}
	var dorder []string
	for _, ags := range order {
		row := apps[ags].row
		row.Free = max(row.Total-row.Used, 0)
		r.Municipalities = append(r.Municipalities, row)
		dr := districts[row.DistrictAGS]
		if dr == nil {
			dr = &domain.ContingentRow{AGS: row.DistrictAGS, Name: cmp.Or(districtName[row.DistrictAGS], row.DistrictAGS)}
			districts[row.DistrictAGS] = dr
			dorder = append(dorder, row.DistrictAGS)
		}
		for _, sum := range []*domain.ContingentRow{dr, &r.StateTotal} {
			sum.Applicants++
			sum.Total += row.Total
			sum.Used += row.Used
			sum.Free += row.Free
			sum.Approved += row.Approved
			sum.Pilots += row.Pilots
			sum.Applied = sum.Applied || row.Applied
			if row.ApplicantKind == domain.ApplicantMunicipality {
				sum.Population += row.Population
			}
		}
	}
	slices.Sort(dorder)
	for _, ags := range dorder {
		r.DistrictRows = append(r.DistrictRows, *districts[ags])
	}
	r.StateTotal.AGS, r.StateTotal.Name = p.State, "Land"
	for _, rule := range p.Contingent {
		if rule.ApplicantKind != domain.ApplicantMunicipality {
			continue
		}
		c := domain.CoverageRow{Label: domain.BracketLabel(rule.MinPopulation, rule.MaxPopulation), MinPopulation: rule.MinPopulation, MaxPopulation: rule.MaxPopulation}
		for _, row := range r.Municipalities {
			if row.ApplicantKind != domain.ApplicantMunicipality || row.Population < rule.MinPopulation || (rule.MaxPopulation != 0 && row.Population > rule.MaxPopulation) {
				continue
			}
			c.Municipalities++
			switch {
			case row.Approved > 0:
				c.Covered++
			case row.Applied:
				c.AppliedOnly++
			}
		}
		c.Share = ratio(c.Covered, c.Municipalities)
		r.Coverage = append(r.Coverage, c)
	}
	slices.SortFunc(r.Coverage, func(a, b domain.CoverageRow) int { return cmp.Compare(a.MinPopulation, b.MinPopulation) })

	// Applications per month and decision times.
	months := map[string]*domain.MonthCount{}
	var daysSum float64
	for _, s := range d.Submissions {
		if !in(s.AGS) {
			continue
		}
		m := months[s.Month]
		if m == nil {
			m = &domain.MonthCount{Month: s.Month}
			months[s.Month] = m
		}
		m.Applications += s.Count
		m.People += s.People
		r.Decided += s.Decided
		daysSum += s.DecisionDaysSum
	}
	if r.Decided > 0 {
		r.DecisionDays = math.Round(daysSum/float64(r.Decided)*10) / 10
	}
	for _, m := range fillMonths(keys(months), f, now) {
		if c := months[m]; c != nil {
			r.Applications = append(r.Applications, *c)
		} else {
			r.Applications = append(r.Applications, domain.MonthCount{Month: m})
		}
	}

	r.Budget = budgetSeries(d.Budget, f, now)
	r.Forecast = forecast(p, d, r, now, f)
	return r
}

// voucherStates are the report's voucher states, in the order of a
// voucher's life.
var voucherStates = []domain.VoucherState{domain.VoucherIssued, domain.VoucherReserved, domain.VoucherRedeemed,
	domain.VoucherSettled, domain.VoucherExpired, domain.VoucherRevoked, domain.VoucherForfeited}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// fillMonths returns the months from the first of have (or the period's
// start) to the last (or the period's end, at most the current month),
// without gaps.
func fillMonths(have []string, f domain.ReportFilter, now time.Time) []string {
	slices.Sort(have)
	first, last := "", ""
	if len(have) > 0 {
		first, last = have[0], have[len(have)-1]
	}
	if f.From != nil {
		first = f.From.Format("2006-01")
	}
	if f.To != nil {
		last = min(f.To.Format("2006-01"), now.Format("2006-01"))
		if last < first {
			last = f.To.Format("2006-01")
		}
	} else if first != "" && now.Format("2006-01") > last {
		last = now.Format("2006-01")
	}
	if first == "" || last < first {
		return nil
	}
	t, err := time.Parse("2006-01", first)
	if err != nil {
		return have
	}
	var out []string
	for m := first; m <= last && len(out) < 600; m = t.Format("2006-01") {
		out = append(out, m)
		t = t.AddDate(0, 1, 0)
	}
	return out
}

// budgetSeries turns the ledger's monthly sums into cumulative balances at
// the end of each month of the period.
func budgetSeries(entries []store.ReportBudgetMonth, f domain.ReportFilter, now time.Time) []domain.BudgetMonth {
	byMonth := map[string]map[string]int64{}
	for _, e := range entries {
		if byMonth[e.Month] == nil {
			byMonth[e.Month] = map[string]int64{}
		}
		byMonth[e.Month][e.Kind] += e.Cents
	}
	all := fillMonths(keys(byMonth), domain.ReportFilter{To: f.To}, now)
	var sums = map[string]int64{}
	out := []domain.BudgetMonth{}
	from := ""
	if f.From != nil {
		from = f.From.Format("2006-01")
	}
	for _, m := range all {
		for k, v := range byMonth[m] {
			sums[k] += v
		}
		if m < from {
			continue
		}
		out = append(out, balance(m, sums))
	}
	return out
}

// balance computes the balances from the sums of the entries by kind (see
// the settlement migration for their meaning), as store.Tx.Budget does for
// a year: an approved claim's claim entries are closed by a negative one.
func balance(month string, sums map[string]int64) domain.BudgetMonth {
	bound := sums[string(domain.EntryCommit)] + sums[string(domain.EntryAdjust)] + sums[string(domain.EntryRelease)]
	paid := sums[string(domain.EntryPay)]
	return domain.BudgetMonth{Month: month, PlannedCents: sums[string(domain.EntryPlan)], CommittedCents: bound - paid,
		ClaimedCents: sums[string(domain.EntryClaim)], PaidCents: paid, FreeCents: sums[string(domain.EntryPlan)] - bound}
}

// MayView reports whether the actor of ctx may read programme p's report
// (in full or an association's share), for links to it.
func (s *Service) MayView(ctx context.Context, p *domain.Programme) bool {
	_, _, err := authz.ReportScope(domain.ActorFrom(ctx), p, 0)
	return err == nil
}

// Readable lists the programmes whose report the actor of ctx reads (key:
// the programme's ID), for the start page.
func (s *Service) Readable(ctx context.Context) (out []domain.ReportOption, err error) {
	defer domain.Wrap(&err, "reports.Readable")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, nil
	}
	ps, err := s.db.Programmes(ctx)
	if err != nil {
		return nil, err
	}
	for i := range ps {
		if _, _, err := authz.ReportScope(a, &ps[i], 0); err == nil {
			out = append(out, domain.ReportOption{Key: ps[i].ID, Name: ps[i].Name})
		}
	}
	return out, nil
}
