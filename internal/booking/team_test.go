package booking_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

func TestTeamOverviewShowsTheMunicipalitysPeopleWithFilters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newAttendanceEnv(t, db, 10, 3)
		svc := e.app.Booking
		// The third voucher is handed to Anna and not used yet.
		if _, err := e.app.Funding.HandVoucher(fundingtest.As(t, db, anna), e.vouchers[2].Code, domain.HandingInput{Email: anna}); err != nil {
			t.Fatal(err)
		}
		fh, err := db.OrganisationByAGS(e.ctx, "08999001")
		if err != nil {
			t.Fatal(err)
		}
		niklasP := domain.ActorFrom(fundingtest.As(t, db, niklas)).Person
		done := e.place(t, e.ctx, domain.BookingInput{SessionID: e.session.ID, PersonID: niklasP.ID, ParticipantName: niklasP.Name,
			ParticipantEmail: niklasP.Email, Payment: domain.PayVoucher, Voucher: e.vouchers[0].Code})
		// A participant without an account, with the municipality's voucher.
		e.book(t, "=Extern Eva", "eva@example.org", e.vouchers[1].Code)
		// Someone unrelated to Futurehausen.
		e.book(t, "Otto Other", "otto@example.org", "")
		e.afterTheSession(t)
		if _, err := svc.RecordAttendance(e.staff, done.ID, nil, domain.AttendPresent); err != nil {
			t.Fatal(err)
		}
		certs, err := e.app.Certify.BookingCertificates(e.ctx, done.ID)
		if err != nil || len(certs) != 1 {
			t.Fatalf("certificate: %v %d", err, len(certs))
		}
		m := storetest.LastMail(t, db, niklas)
		if !strings.Contains(m.Body, "/verify/"+certs[0].ID) || !strings.Contains(m.Subject, "Zertifikat") {
			t.Fatalf("certificate mail: %s\n%s", m.Subject, m.Body)
		}

		hr := fundingtest.As(t, db, anna)
		page, err := svc.Team(hr, domain.TeamFilter{OrgID: fh.ID}, domain.TeamCursor{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		all := page.Rows
		if page.Total != len(all) || page.More || !page.Next.IsZero() {
			t.Fatalf("one page of %d rows: total %d, more %v, next %v", len(all), page.Total, page.More, page.Next)
		}
		byName := map[string][]domain.TeamRow{}
		for _, r := range all {
			byName[r.Name] = append(byName[r.Name], r)
		}
		if len(byName["Otto Other"]) != 0 {
			t.Fatalf("a stranger's booking is in Futurehausen's team: %+v", byName["Otto Other"])
		}
		n := byName[niklasP.Name]
		if len(n) != 1 || n[0].Status != domain.BookingCompleted || n[0].CertificateID != certs[0].ID || n[0].Voucher != e.vouchers[0].Code ||
			n[0].OfferID != e.session.OfferID || n[0].SessionStart == nil {
			t.Fatalf("Niklas's row: %+v", n)
		}
		if ev := byName["=Extern Eva"]; len(ev) != 1 || ev[0].PersonID != 0 || ev[0].Status != domain.BookingConfirmed {
			t.Fatalf("voucher participant without account: %+v", ev)
		}
		if an := byName["Anna Albrecht"]; len(an) != 1 || len(an[0].Held) != 1 || an[0].Held[0].Code != e.vouchers[2].Code {
			t.Fatalf("Anna holds the third voucher: %+v", an)
		}
		if len(n) != 1 || len(n[0].Held) != 0 {
			t.Fatalf("Niklas holds no unused voucher: %+v", n)
		}
		if an := byName["Anna Albrecht"]; len(an) != 1 || an[0].BookingID != 0 || an[0].StatusLabel() != "keine Buchung" {
			t.Fatalf("member without booking: %+v", an)
		}

		yes, no := true, false
		for _, c := range []struct {
			name string
			f    domain.TeamFilter
			want func(domain.TeamRow) bool
		}{
			{"name", domain.TeamFilter{Name: "NIKLAS"}, func(r domain.TeamRow) bool { return r.Name == niklasP.Name }},
			{"status", domain.TeamFilter{Status: string(domain.BookingConfirmed)}, func(r domain.TeamRow) bool { return r.Status == domain.BookingConfirmed }},
			{"no booking", domain.TeamFilter{Status: domain.TeamStatusNone}, func(r domain.TeamRow) bool { return r.BookingID == 0 }},
			{"offer", domain.TeamFilter{OfferID: e.session.OfferID}, func(r domain.TeamRow) bool { return r.OfferID == e.session.OfferID }},
			{"offer title", domain.TeamFilter{OfferTitle: " KOMMUNALE digitallotsen "},
				func(r domain.TeamRow) bool { return r.OfferID == e.session.OfferID }},
			{"certificate", domain.TeamFilter{Certificate: &yes}, func(r domain.TeamRow) bool { return r.CertificateID != "" }},
			{"no certificate", domain.TeamFilter{Certificate: &no}, func(r domain.TeamRow) bool { return r.CertificateID == "" }},
		} {
			c.f.OrgID = fh.ID
			gp, err := svc.Team(hr, c.f, domain.TeamCursor{}, 0)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			got := gp.Rows
			want := 0
			for _, r := range all {
				if c.want(r) {
					want++
				}
			}
			if len(got) != want || want == 0 {
				t.Fatalf("filter %s: %d rows, want %d (of %d)", c.name, len(got), want, len(all))
			}
			for _, r := range got {
				if !c.want(r) {
					t.Fatalf("filter %s let through %+v", c.name, r)
				}
			}
		}
		_, err = svc.Team(hr, domain.TeamFilter{OrgID: fh.ID, Status: "vielleicht"}, domain.TeamCursor{}, 0)
		storetest.WantCode(t, err, domain.EInvalid)

		// Who may see the team: HR, signatory, account admin of the
		// municipality and admins; for the others it does not exist.
		for email, code := range map[string]string{fundingtest.Lilly: "", "thomas@futurehausen.example": "", "admin@lotse.example": "",
			niklas: domain.ENotFound, "kurse@vwa-bw.example": domain.ENotFound} {
			_, err := svc.Team(fundingtest.As(t, db, email), domain.TeamFilter{OrgID: fh.ID}, domain.TeamCursor{}, 0)
			if domain.ErrorCode(err) != code && !(code == "" && err == nil) {
				t.Errorf("%s: %v, want code %q", email, err, code)
			}
		}
		_, err = svc.Team(context.Background(), domain.TeamFilter{OrgID: fh.ID}, domain.TeamCursor{}, 0)
		storetest.WantCode(t, err, domain.EUnauthorized)
		var none bytes.Buffer
		err = svc.ExportTeam(fundingtest.As(t, db, niklas), domain.TeamFilter{OrgID: fh.ID}, "https://lotse.example/verify/", &none)
		if domain.ErrorCode(err) != domain.ENotFound || none.Len() != 0 {
			t.Fatalf("export for a participant: %v, %d bytes", err, none.Len())
		}

		// The export: BOM, ";", the formula cell neutralised, the
		// certificate's verification address.
		var buf bytes.Buffer
		if err := svc.ExportTeam(hr, domain.TeamFilter{OrgID: fh.ID}, "https://lotse.example/verify/", &buf); err != nil {
			t.Fatal(err)
		}
		raw := buf.String()
		if !strings.HasPrefix(raw, "\ufeff") {
			t.Fatal("CSV without BOM")
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\ufeff")))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(all)+1 || recs[0][0] != "Name" || recs[0][7] != "Zertifikat" || recs[0][8] != "Zugeteilte Gutscheine" {
			t.Fatalf("CSV has %d records for %d rows; header %v", len(recs), len(all), recs[0])
		}
		var eva, nik []string
		for _, rec := range recs[1:] {
			switch rec[1] {
			case "eva@example.org":
				eva = rec
			case niklas:
				nik = rec
			}
		}
		if eva == nil || eva[0] != "'=Extern Eva" {
			t.Fatalf("formula cell not neutralised: %q", eva)
		}
		if nik == nil || nik[7] != "https://lotse.example/verify/"+certs[0].ID || nik[4] != "abgeschlossen" {
			t.Fatalf("Niklas's CSV row: %q", nik)
		}
	})
}
