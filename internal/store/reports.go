package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"time"
)

// The report's queries. They aggregate in SQL down to one row per
// applicant (AGS) and the few keys a report table shows, so that a report
// over millions of vouchers moves thousands of rows, not millions; the
// service sums the rows up by district, association and state. The
// queries of one report run side by side, each in its own read
// transaction.

// ReportQuery says what a report reads.
type ReportQuery struct {
	ProgrammeID string
	State       string // two-digit AGS of the programme's state
	// From and To bound the period: vouchers by issue, applications by
	// submission. Zero values do not bound.
	From, To time.Time
	// Now decides which issued vouchers are past their expiry, which
	// sessions lie ahead and which budget year is the current one.
	Now time.Time
	// RecentSince starts the window the forecast measures the rate of
	// commitments in.
	RecentSince time.Time
}

// ReportArea is an entry of the directory as the report needs it.
type ReportArea struct {
	AGS, Name, Kind, DistrictAGS string
	TypeCode, Population         int
}

// ReportApplications sums applications of one applicant, track and status.
type ReportApplications struct {
	AGS, Track, Status string
	Count, People      int
}

// ReportSubmissions sums the applications of one applicant submitted in one
// month, and the days their decisions took.
type ReportSubmissions struct {
	AGS, Month      string
	Count, People   int
	Decided         int
	DecisionDaysSum float64
}

// ReportVouchers counts the vouchers of one applicant, track, provider and
// state; an issued voucher past its expiry is counted as expired.
type ReportVouchers struct {
	AGS, Track string
	ProviderID int64
	State      string
	Count      int
	ValueCents int64
}

// ReportBudgetMonth sums the ledger entries of one kind in one month.
type ReportBudgetMonth struct {
	Month, Kind string
	Cents       int64
}

// reportKinds are the ledger's entry kinds.
var reportKinds = []string{"plan", "commit", "adjust", "release", "claim", "pay"}

// ReportBookings counts the places booked with the programme's vouchers of
// one applicant in sessions that lie ahead.
type ReportBookings struct {
	AGS    string
	Places int
	Cents  int64
}

// ReportData is everything a report is computed from.
type ReportData struct {
	Areas        []ReportArea
	Applications []ReportApplications
	Submissions  []ReportSubmissions
	Vouchers     []ReportVouchers
	Budget       []ReportBudgetMonth
	// Year is the budget year of Now; YearSums are its entries' sums by
	// kind, RecentNet the net commitments (commit, adjust, release) of the
	// year since RecentSince.
	Year      int
	YearSums  map[string]int64
	RecentNet int64
	// RecentIssuedCents is the value of the vouchers issued since
	// RecentSince, for when the ledger has no entries.
	RecentIssuedCents int64
	Bookings          []ReportBookings
	// FreePlaces are the free places in sessions ahead of offers the
	// programme funds.
	FreePlaces int
	OrgNames   map[int64]string
}

var farPast = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
var farFuture = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// monthOf is the dialect's expression for the month (YYYY-MM) of a
// timestamp column: SQLite stores timestamps as text that starts with it.
func (db *DB) monthOf(col string) string {
	if db.Dialect == Postgres {
		return "to_char(" + col + ", 'YYYY-MM')"
	}
	return "substr(" + col + ", 1, 7)"
}

// daysBetween is the dialect's expression for the days from a to b.
func (db *DB) daysBetween(a, b string) string {
	if db.Dialect == Postgres {
		return "EXTRACT(EPOCH FROM (" + b + " - " + a + ")) / 86400.0"
	}
	return "(julianday(substr(" + b + ", 1, 19)) - julianday(substr(" + a + ", 1, 19)))"
}

// ReportData reads the aggregates of a programme's report.
func (db *DB) ReportData(ctx context.Context, q ReportQuery) (*ReportData, error) {
	if q.From.IsZero() {
		q.From = farPast
	}
	if q.To.IsZero() {
		q.To = farFuture
	}
	d := &ReportData{Year: q.Now.Year(), YearSums: map[string]int64{}, OrgNames: map[int64]string{}}
	parts := []func(tx *Tx) error{
		func(tx *Tx) error { return tx.reportAreas(ctx, q, d) },
		func(tx *Tx) error { return tx.reportApplications(ctx, q, d) },
		func(tx *Tx) error { return tx.reportVouchers(ctx, q, d) },
		func(tx *Tx) error { return tx.reportBudget(ctx, q, d) },
		func(tx *Tx) error { return tx.reportBookings(ctx, q, d) },
	}
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, fn := range parts {
		wg.Go(func() { errs[i] = db.read(ctx, fn) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (tx *Tx) reportAreas(ctx context.Context, q ReportQuery, d *ReportData) error {
	rows, err := tx.QueryContext(ctx, `SELECT ags, name, kind, district_ags, type_code, population
		FROM municipalities WHERE state_ags = $1 AND kind <> 'state' ORDER BY ags`, q.State)
	if err != nil {
		return err
	}
	d.Areas, err = scanAll(rows, func(r *sql.Rows) (ReportArea, error) {
		var a ReportArea
		err := r.Scan(&a.AGS, &a.Name, &a.Kind, &a.DistrictAGS, &a.TypeCode, &a.Population)
		return a, err
	})
	if err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, name FROM organisations WHERE kind IN ('provider', 'association')`)
	if err != nil {
		return err
	}
	type org struct {
		id   int64
		name string
	}
	orgs, err := scanAll(rows, func(r *sql.Rows) (org, error) {
		var o org
		err := r.Scan(&o.id, &o.name)
		return o, err
	})
	for _, o := range orgs {
		d.OrgNames[o.id] = o.name
	}
	return err
}

func (tx *Tx) reportApplications(ctx context.Context, q ReportQuery, d *ReportData) error {
	rows, err := tx.QueryContext(ctx, `SELECT ags, track, status, COUNT(*), COALESCE(SUM(people), 0)
		FROM applications WHERE programme_id = $1 AND status <> 'draft' GROUP BY ags, track, status`, q.ProgrammeID)
	if err != nil {
		return err
	}
	d.Applications, err = scanAll(rows, func(r *sql.Rows) (ReportApplications, error) {
		var a ReportApplications
		err := r.Scan(&a.AGS, &a.Track, &a.Status, &a.Count, &a.People)
		return a, err
	})
	if err != nil {
		return err
	}
	month := tx.db.monthOf("submitted_at")
	days := tx.db.daysBetween("submitted_at", "decided_at")
	rows, err = tx.QueryContext(ctx, `SELECT ags, `+month+`, COUNT(*), COALESCE(SUM(people), 0),
			COALESCE(SUM(CASE WHEN status IN ('approved', 'rejected') AND decided_at IS NOT NULL THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN status IN ('approved', 'rejected') AND decided_at IS NOT NULL THEN `+days+` ELSE 0 END), 0)
		FROM applications
		WHERE programme_id = $1 AND submitted_at IS NOT NULL AND submitted_at >= $2 AND submitted_at < $3
		GROUP BY ags, `+month, q.ProgrammeID, q.From, q.To)
	if err != nil {
		return err
	}
	d.Submissions, err = scanAll(rows, func(r *sql.Rows) (ReportSubmissions, error) {
		var s ReportSubmissions
		err := r.Scan(&s.AGS, &s.Month, &s.Count, &s.People, &s.Decided, &s.DecisionDaysSum)
		return s, err
	})
	return err
}

// reportVouchers counts the vouchers per application, provider and state
// (streamed from the covering index vouchers_report in its order), and
// separately the issued ones past their expiry, which count as expired;
// the applications give each row its applicant and track.
func (tx *Tx) reportVouchers(ctx context.Context, q ReportQuery, d *ReportData) error {
	type app struct{ ags, track string }
	apps := map[int64]app{}
	rows, err := tx.QueryContext(ctx, `SELECT id, ags, track FROM applications WHERE programme_id = $1 AND status <> 'draft'`, q.ProgrammeID)
	if err != nil {
		return err
	}
	type appRow struct {
		id int64
		app
	}
	list, err := scanAll(rows, func(r *sql.Rows) (appRow, error) {
		var a appRow
		err := r.Scan(&a.id, &a.ags, &a.track)
		return a, err
	})
	if err != nil {
		return err
	}
	for _, a := range list {
		apps[a.id] = a.app
	}
	type group struct {
		state       string
		application int64
		provider    int64
		count       int
		cents       int64
	}
	scan := func(r *sql.Rows) (group, error) {
		var g group
		err := r.Scan(&g.state, &g.application, &g.provider, &g.count, &g.cents)
		return g, err
	}
	// The counts come from voucher_rollup (kept by triggers), not from the
	// vouchers themselves: a few rows per application instead of millions.
	rows, err = tx.QueryContext(ctx, `SELECT state, application_id, provider_id, SUM(n), SUM(value_cents) FROM voucher_rollup
		WHERE programme_id = $1 AND issued_at >= $2 AND issued_at < $3
		GROUP BY application_id, provider_id, state`, q.ProgrammeID, q.From, q.To)
	if err != nil {
		return err
	}
	all, err := scanAll(rows, scan)
	if err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT 'expired', application_id, provider_id, SUM(n), SUM(value_cents) FROM voucher_rollup
		WHERE programme_id = $1 AND state = 'issued' AND expires_at < $2 AND issued_at >= $3 AND issued_at < $4
		GROUP BY application_id, provider_id`, q.ProgrammeID, q.Now, q.From, q.To)
	if err != nil {
		return err
	}
	expired, err := scanAll(rows, scan)
	if err != nil {
		return err
	}
	type key struct {
		application, provider int64
	}
	past := map[key]group{}
	for _, g := range expired {
		past[key{g.application, g.provider}] = g
	}
	add := func(g group) {
		if g.count == 0 {
			return
		}
		a := apps[g.application]
		d.Vouchers = append(d.Vouchers, ReportVouchers{AGS: a.ags, Track: a.track, ProviderID: g.provider, State: g.state, Count: g.count, ValueCents: g.cents})
	}
	for _, g := range all {
		if g.state == "issued" {
			e := past[key{g.application, g.provider}]
			g.count -= e.count
			g.cents -= e.cents
		}
		add(g)
	}
	for _, g := range expired {
		add(g)
	}
	return nil
}

// reportBudget reads the ledger's sums per kind and month from
// budget_month (kept by a trigger on the immutable entries), the current
// budget year's sums per kind, and the net commitments of the recent
// complete months for the forecast.
func (tx *Tx) reportBudget(ctx context.Context, q ReportQuery, d *ReportData) error {
	rows, err := tx.QueryContext(ctx, `SELECT month, kind, SUM(amount_cents) FROM budget_month
		WHERE programme_id = $1 GROUP BY month, kind ORDER BY month, kind`, q.ProgrammeID)
	if err != nil {
		return err
	}
	months, err := scanAll(rows, func(r *sql.Rows) (ReportBudgetMonth, error) {
		var m ReportBudgetMonth
		err := r.Scan(&m.Month, &m.Kind, &m.Cents)
		return m, err
	})
	if err != nil {
		return err
	}
	for _, m := range months {
		if m.Cents != 0 && slices.Contains(reportKinds, m.Kind) {
			d.Budget = append(d.Budget, m)
		}
	}
	rows, err = tx.QueryContext(ctx, `SELECT kind, SUM(amount_cents) FROM budget_month
		WHERE programme_id = $1 AND year = $2 GROUP BY kind`, q.ProgrammeID, d.Year)
	if err != nil {
		return err
	}
	type sum struct {
		kind string
		all  int64
	}
	sums, err := scanAll(rows, func(r *sql.Rows) (sum, error) {
		var s sum
		err := r.Scan(&s.kind, &s.all)
		return s, err
	})
	if err != nil {
		return err
	}
	for _, s := range sums {
		d.YearSums[s.kind] = s.all
	}
	if len(sums) == 0 {
		// No ledger for the year: the forecast falls back to the value of
		// the vouchers issued lately.
		return tx.recentIssued(ctx, q, d)
	}
	// The net commitments (commit, adjust, release) of the year in the
	// complete months of the window.
	from, to := q.RecentSince.UTC().Format("2006-01"), q.Now.UTC().Format("2006-01")
	return tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount_cents), 0) FROM budget_month
		WHERE programme_id = $1 AND year = $2 AND kind IN ('commit', 'adjust', 'release') AND month >= $3 AND month < $4`,
		q.ProgrammeID, d.Year, from, to).Scan(&d.RecentNet)
}

// recentIssued sums the value of the vouchers issued since RecentSince.
func (tx *Tx) recentIssued(ctx context.Context, q ReportQuery, d *ReportData) error {
	return tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(value_cents), 0) FROM voucher_rollup
		WHERE programme_id = $1 AND issued_at >= $2`, q.ProgrammeID, q.RecentSince).Scan(&d.RecentIssuedCents)
}

func (tx *Tx) reportBookings(ctx context.Context, q ReportQuery, d *ReportData) error {
	rows, err := tx.QueryContext(ctx, `SELECT v.ags, COUNT(*), COALESCE(SUM(v.value_cents), 0)
		FROM bookings b JOIN offer_sessions s ON s.id = b.session_id JOIN vouchers v ON v.code = b.voucher_code
		WHERE v.programme_id = $1 AND b.status = 'confirmed' AND s.starts_at > $2
		GROUP BY v.ags`, q.ProgrammeID, q.Now)
	if err != nil {
		return err
	}
	d.Bookings, err = scanAll(rows, func(r *sql.Rows) (ReportBookings, error) {
		var b ReportBookings
		err := r.Scan(&b.AGS, &b.Places, &b.Cents)
		return b, err
	})
	if err != nil {
		return err
	}
	return tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(s.capacity - (SELECT COUNT(*) FROM bookings b
			WHERE b.session_id = s.id AND b.status IN ('confirmed', 'completed'))), 0)
		FROM offer_sessions s JOIN offers o ON o.id = s.offer_id
		WHERE s.starts_at > $1 AND o.status = 'published'
			AND EXISTS (SELECT 1 FROM offer_funding f WHERE f.offer_id = o.id AND f.track LIKE $2)`,
		q.Now, q.ProgrammeID+"/%").Scan(&d.FreePlaces)
}

// CheckReportRollups compares the report's roll-ups with the data they
// summarise and returns an error naming the first difference: the tests
// run it after every kind of voucher and ledger change.
func (db *DB) CheckReportRollups(ctx context.Context) error {
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM (
		SELECT programme_id, application_id, provider_id, state, issued_at, expires_at, COUNT(*) AS n, SUM(value_cents) AS v
		FROM vouchers GROUP BY programme_id, application_id, provider_id, state, issued_at, expires_at) g
		FULL OUTER JOIN (SELECT * FROM voucher_rollup WHERE n <> 0) r
		ON r.programme_id = g.programme_id AND r.application_id = g.application_id AND r.provider_id = g.provider_id
		AND r.state = g.state AND r.issued_at = g.issued_at AND r.expires_at = g.expires_at
		WHERE g.n IS NULL OR r.n IS NULL OR g.n <> r.n OR g.v <> r.value_cents`).Scan(&n); err != nil {
		return err
	}
	if n != 0 {
		return fmt.Errorf("voucher_rollup differs from vouchers in %d groups", n)
	}
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM (
		SELECT programme_id, kind, year, SUM(amount_cents) AS a FROM budget_entries GROUP BY programme_id, kind, year) g
		FULL OUTER JOIN (SELECT programme_id, kind, year, SUM(amount_cents) AS a FROM budget_month GROUP BY programme_id, kind, year) m
		ON m.programme_id = g.programme_id AND m.kind = g.kind AND m.year = g.year
		WHERE g.a IS NULL OR m.a IS NULL OR g.a <> m.a`).Scan(&n); err != nil {
		return err
	}
	if n != 0 {
		return fmt.Errorf("budget_month differs from budget_entries in %d sums", n)
	}
	return nil
}
