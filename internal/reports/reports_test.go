package reports_test

import (
	"context"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/reports"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// fixture is a small hand-built data set whose figures are worked out in
// the comments of seedSmall.
type fixture struct {
	ids                  map[string]int64
	provider1, provider2 int64
	municipalityOrg      int64
	now                  time.Time
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t.Add(9 * time.Hour)
}

func mustExec(tb testing.TB, db *store.DB, q string, args ...any) {
	tb.Helper()
	if err := db.Transact(context.Background(), func(tx *store.Tx) error {
		_, err := tx.ExecContext(context.Background(), q, args...)
		return err
	}); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
}

// seedSmall builds: districts 08101 (Astadt 20.000 Stadt, Adorf 5.000
// Gemeinde) and 08102 (Bstadt 50.000 Große Kreisstadt, Bdorf 8.000
// Gemeinde); applications, vouchers and ledger entries as commented.
func seedSmall(t *testing.T, db *store.DB) fixture {
	t.Helper()
	ctx := context.Background()
	ids, err := programmes.Install(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{ids: ids, provider1: ids[programmes.Verwaltungsschule], provider2: ids[programmes.VWA], now: day("2026-03-15")}
	db.Now = func() time.Time { return f.now }
	ref := day("2025-12-31")
	for _, m := range []struct {
		ags, name, kind, district string
		code, pop                 int
	}{
		{"08", "Baden-Württemberg", "state", "", 1, 0},
		{"08101", "Kreis A", "district", "", 44, 0},
		{"08102", "Kreis B", "district", "", 44, 0},
		{"08101001", "Astadt", "municipality", "08101", 63, 20000},
		{"08101002", "Adorf", "municipality", "08101", 64, 5000},
		{"08102001", "Bstadt", "municipality", "08102", 67, 50000},
		{"08102002", "Bdorf", "municipality", "08102", 64, 8000},
	} {
		mustExec(t, db, `INSERT INTO municipalities (ags, name, search_name, kind, type_code, district_ags, state_ags, population, area_ha, ref_date)
			VALUES ($1, $2, $3, $4, $5, $6, '08', $7, 100, $8)`, m.ags, m.name, m.name, m.kind, m.code, m.district, m.pop, ref)
	}
	org := &domain.Organisation{Name: "Gemeinde Astadt", Kind: domain.OrgMunicipality, AGS: "08101001"}
	if err := db.CreateOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	f.municipalityOrg = org.ID
	p := storetest.MustCreatePerson(t, db, "hr@astadt.example", "Hanna Rat")
	app := func(id int64, ags, track string, people int, status string, submitted, decided string) {
		var sub, dec any
		if submitted != "" {
			sub = day(submitted)
		}
		if decided != "" {
			dec = day(decided)
		}
		mustExec(t, db, `INSERT INTO applications (id, programme_id, org_id, ags, track, people, status, created_by, created_at, updated_at, submitted_at, decided_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11)`, id, programmes.BWID, org.ID, ags, track, people, status, p.ID, day("2026-01-01"), sub, dec)
	}
	app(1, "08101001", "basis", 2, "approved", "2026-01-10", "2026-01-20")    // 10 days
	app(2, "08101002", "basis", 1, "submitted", "2026-02-05", "")             // pending
	app(3, "08102001", "basis", 1, "approved", "2026-02-01", "2026-02-05")    // 4 days
	app(4, "08102001", "advanced", 2, "approved", "2026-02-01", "2026-02-07") // 6 days, not in the contingent
	app(5, "08102002", "basis", 1, "rejected", "2026-01-15", "2026-01-16")    // 1 day
	app(6, "08101", "basis", 1, "draft", "", "")                              // not counted
	voucher := func(code string, appID int64, ags, track string, provider, value int64, state, issued, expires string) {
		mustExec(t, db, `INSERT INTO vouchers (code, application_id, programme_id, org_id, ags, track, provider_id, value_cents, state, issued_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, code, appID, programmes.BWID, org.ID, ags, track, provider, value, state, day(issued), day(expires))
	}
	voucher("V1", 1, "08101001", "basis", f.provider1, 30000, "redeemed", "2026-01-20", "2027-01-20")
	voucher("V2", 1, "08101001", "basis", f.provider1, 30000, "issued", "2026-01-20", "2026-03-01") // past expiry: expired
	voucher("V3", 3, "08102001", "basis", f.provider2, 30000, "reserved", "2026-02-05", "2027-02-05")
	voucher("V4", 4, "08102001", "advanced", f.provider2, 15000, "settled", "2026-02-07", "2027-02-07")
	voucher("V5", 4, "08102001", "advanced", f.provider2, 15000, "issued", "2026-02-07", "2027-02-07")
	entry := func(key, kind string, cents int64, code any, at string) {
		mustExec(t, db, `INSERT INTO budget_entries (programme_id, year, kind, amount_cents, voucher_code, idempotency_key, at)
			VALUES ($1, 2026, $2, $3, $4, $5, $6)`, programmes.BWID, kind, cents, code, key, day(at))
	}
	entry("plan", "plan", 200000, nil, "2026-01-05")
	entry("c1", "commit", 30000, "V1", "2026-01-20")
	entry("c2", "commit", 30000, "V2", "2026-01-20")
	entry("c3", "commit", 30000, "V3", "2026-02-05")
	entry("c4", "commit", 15000, "V4", "2026-02-07")
	entry("c5", "commit", 15000, "V5", "2026-02-07")
	entry("r2", "release", -30000, "V2", "2026-03-01")
	entry("k4", "claim", 15000, "V4", "2026-03-02")
	entry("k4-close", "claim", -15000, "V4", "2026-03-10") // the approval closes the claim
	entry("p4", "pay", 15000, "V4", "2026-03-10")
	entry("k1", "claim", 30000, "V1", "2026-03-12")
	return f
}

func admin() *domain.Actor {
	return &domain.Actor{Person: &domain.Person{ID: 999}, Memberships: []domain.Membership{
		{OrgID: 9999, OrgKind: domain.OrgPlatform, PersonID: 999, Roles: []domain.Role{domain.RoleAdmin}}}}
}

func asMember(org int64, kind domain.OrgKind, roles ...domain.Role) context.Context {
	return domain.WithActor(context.Background(), &domain.Actor{Person: &domain.Person{ID: 998}, Memberships: []domain.Membership{
		{OrgID: org, OrgKind: kind, PersonID: 998, Roles: roles}}})
}

func row(t *testing.T, rows []domain.ContingentRow, ags string) domain.ContingentRow {
	t.Helper()
	for _, r := range rows {
		if r.AGS == ags {
			return r
		}
	}
	t.Fatalf("no row %s in %+v", ags, rows)
	return domain.ContingentRow{}
}

func TestReportFiguresOnAHandBuiltProgramme(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := seedSmall(t, db)
		ctx := domain.WithActor(context.Background(), admin())
		r, err := reports.New(db).Report(ctx, programmes.BWID, domain.ReportFilter{})
		if err != nil {
			t.Fatalf("%v %+v", err, err)
		}
		// Contingent: Astadt 2 of 2 used, Adorf 1 of 1 (pending counts),
		// Bstadt 1 of 3 (advanced does not count), Bdorf 0 of 1 (rejected),
		// the districts 4 each with nothing used (a draft does not count).
		for _, c := range []struct {
			ags                         string
			total, used, free, approved int
			coverage                    string
		}{
			{"08101001", 2, 2, 0, 2, domain.CoverageQualified},
			{"08101002", 1, 1, 0, 0, domain.CoverageApplied},
			{"08102001", 3, 1, 2, 3, domain.CoverageApplied},
			{"08102002", 1, 0, 1, 0, domain.CoverageNone},
			{"08101", 4, 0, 4, 0, domain.CoverageNone},
		} {
			got := row(t, r.Municipalities, c.ags)
			if got.Total != c.total || got.Used != c.used || got.Free != c.free || got.Approved != c.approved || got.Coverage() != c.coverage {
				t.Errorf("%s: %+v (coverage %s), want %+v", c.ags, got, got.Coverage(), c)
			}
		}
		if d := row(t, r.DistrictRows, "08101"); d.Total != 7 || d.Used != 3 || d.Free != 4 || d.Applicants != 3 || d.Population != 25000 {
			t.Errorf("district 08101: %+v", d)
		}
		if s := r.StateTotal; s.Total != 15 || s.Used != 4 || s.Free != 11 || s.Approved != 5 || s.Applicants != 6 {
			t.Errorf("state: %+v", s)
		}
		// Coverage: small ones 0 of 2 (Adorf applied), 10.000-30.000 1 of 1, 30.001-130.000 1 of 1.
		if len(r.Coverage) != 3 || r.Coverage[0].Municipalities != 2 || r.Coverage[0].Covered != 0 || r.Coverage[0].AppliedOnly != 1 ||
			r.Coverage[1].Covered != 1 || r.Coverage[2].Covered != 1 || r.Coverage[0].Label != "bis 9.999 Einwohner" {
			t.Errorf("coverage %+v", r.Coverage)
		}
		// Vouchers: one in each of issued, reserved, redeemed, settled,
		// expired (the issued one past its expiry).
		want := map[domain.VoucherState][2]int{"issued": {0, 1}, "reserved": {1, 0}, "redeemed": {1, 0}, "settled": {0, 1}, "expired": {1, 0}, "revoked": {0, 0}}
		for _, v := range r.Vouchers {
			if w, ok := want[v.State]; ok && (v.ByTrack[0] != w[0] || v.ByTrack[1] != w[1]) {
				t.Errorf("vouchers %s: %v, want %v", v.State, v.ByTrack, w)
			}
		}
		if r.Completion.Booked != 3 || r.Completion.Completed != 2 {
			t.Errorf("completion %+v", r.Completion)
		}
		if len(r.Participants) != 3 {
			t.Fatalf("participants %+v", r.Participants)
		}
		if r.DecisionDays != 5.3 || r.Decided != 4 {
			t.Errorf("decision days %v over %d, want 5.3 over 4", r.DecisionDays, r.Decided)
		}
		if len(r.Applications) != 3 || r.Applications[0] != (domain.MonthCount{Month: "2026-01", Applications: 2, People: 3}) ||
			r.Applications[1] != (domain.MonthCount{Month: "2026-02", Applications: 3, People: 4}) || r.Applications[2].Applications != 0 {
			t.Errorf("applications per month %+v", r.Applications)
		}
		// Budget: January 60.000 bound of 200.000; February 120.000; March
		// 90.000 bound after the release, 15.000 of it paid, 30.000 claimed.
		if len(r.Budget) != 3 {
			t.Fatalf("budget %+v", r.Budget)
		}
		if b := r.Budget[0]; b.PlannedCents != 200000 || b.CommittedCents != 60000 || b.FreeCents != 140000 {
			t.Errorf("January %+v", b)
		}
		if b := r.Budget[2]; b.CommittedCents != 75000 || b.PaidCents != 15000 || b.ClaimedCents != 30000 || b.FreeCents != 110000 {
			t.Errorf("March %+v", b)
		}
		// Forecast: the three complete months before March (December to
		// February) bound 120.000 net, 40.000 a month; 110.000 free last
		// 2.75 months: into June.
		fc := r.Forecast
		if !fc.Planned || fc.FreeCents != 110000 || fc.MonthlyCents != 40000 || fc.ExhaustedOn == nil || fc.ExhaustedOn.Format("2006-01") != "2026-06" {
			t.Errorf("forecast %+v", fc)
		}
		if fc.OpenVouchers != 1 || fc.ExpectedExpiring != 0 || len(fc.Assumptions) < 3 {
			t.Errorf("forecast vouchers %+v", fc)
		}
		_ = f
	})
}

func TestReportFiltersAndScopes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := seedSmall(t, db)
		svc := reports.New(db)
		ctx := domain.WithActor(context.Background(), admin())
		r, err := svc.Report(ctx, programmes.BWID, domain.ReportFilter{District: "08102"})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Municipalities) != 3 || r.StateTotal.Used != 1 || r.DistrictName != "Kreis B" {
			t.Errorf("district filter: %+v", r.Municipalities)
		}
		if r.Vouchers[0].Total != 1 || r.Completion.Booked != 2 {
			t.Errorf("district vouchers %+v, completion %+v", r.Vouchers, r.Completion)
		}
		from, to := day("2026-02-01"), day("2026-02-28")
		r, err = svc.Report(ctx, programmes.BWID, domain.ReportFilter{From: &from, To: &to})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Applications) != 1 || r.Applications[0].Applications != 3 || r.Completion.Booked != 2 {
			t.Errorf("period: %+v, %+v", r.Applications, r.Completion)
		}
		// The Gemeindetag's members see Adorf and Bdorf only, whatever they ask.
		gt := f.ids[programmes.Gemeindetag]
		r, err = svc.Report(asMember(gt, domain.OrgAssociation), programmes.BWID, domain.ReportFilter{Association: f.ids[programmes.Staedtetag]})
		if err != nil {
			t.Fatal(err)
		}
		if !r.AssociationFixed || r.Filter.Association != gt || len(r.Municipalities) != 2 || r.StateTotal.Used != 1 || len(r.Associations) != 1 {
			t.Errorf("association scope: %+v", r.Municipalities)
		}
		// The funder may narrow to the Städtetag: Astadt and Bstadt.
		r, err = svc.Report(asMember(f.ids[programmes.Ministry], domain.OrgFunder, domain.RoleFunder), programmes.BWID,
			domain.ReportFilter{Association: f.ids[programmes.Staedtetag]})
		if err != nil {
			t.Fatal(err)
		}
		if r.AssociationFixed || len(r.Municipalities) != 2 || r.StateTotal.Approved != 5 {
			t.Errorf("funder narrowed: %+v", r.Municipalities)
		}
		for name, c := range map[string]struct {
			ctx  context.Context
			code string
		}{
			"municipality staff": {asMember(f.municipalityOrg, domain.OrgMunicipality, domain.RoleHR), domain.EForbidden},
			"provider staff":     {asMember(f.provider1, domain.OrgProvider, domain.RoleProviderStaff), domain.EForbidden},
			"anonymous":          {context.Background(), domain.EUnauthorized},
		} {
			if _, err := svc.Report(c.ctx, programmes.BWID, domain.ReportFilter{}); err == nil || domain.ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %s", name, err, c.code)
			}
		}
		if _, err := svc.Report(ctx, "nope", domain.ReportFilter{}); err == nil || domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("unknown programme: %v", err)
		}
		if _, err := svc.Report(ctx, programmes.BWID, domain.ReportFilter{District: "09162"}); err == nil || domain.ErrorCode(err) != domain.EInvalid {
			t.Errorf("district of another state: %v", err)
		}
	})
}
