package funding_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/booking/bookingtest"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
	"github.com/lotse-oss/lotse/internal/voucher"
)

const (
	anna   = "anna@futurehausen.example"   // HR of Futurehausen
	niklas = "niklas@futurehausen.example" // participant of Futurehausen
	thomas = "thomas@futurehausen.example" // account admin of Futurehausen
)

// colleague makes another member of Futurehausen and returns their context.
func colleague(t *testing.T, db *store.DB, org int64, email string) context.Context {
	t.Helper()
	p := storetest.MustCreatePerson(t, db, email, "Lena Lindner")
	if err := db.SetRoles(context.Background(), org, p.ID, []domain.Role{domain.RoleParticipant}); err != nil {
		t.Fatal(err)
	}
	return fundingtest.As(t, db, email)
}

func handings(t *testing.T, db *store.DB, code string) []store.VoucherEvent {
	t.Helper()
	c, err := voucher.Parse(code)
	if err != nil {
		t.Fatal(err)
	}
	hs, err := db.VoucherHandings(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

func TestHandingAVoucherIsLedgeredAuditedAndMailedWithoutTheCode(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, s, vs := bookingtest.Fixture(t, db, 10, 2)
		hr := fundingtest.As(t, db, anna)
		v, err := fund(db).HandVoucher(hr, vs[0].Code, domain.HandingInput{Email: " Niklas@Futurehausen.example "})
		if err != nil {
			t.Fatal(err)
		}
		if v.HolderEmail != niklas || v.HolderName != "Niklas Neumann" || v.HandedAt == nil || v.State != domain.VoucherIssued {
			t.Fatalf("handed voucher = %+v", v)
		}
		if hs := handings(t, db, v.Code); len(hs) != 1 || hs[0].Holder != niklas || hs[0].To != domain.VoucherIssued {
			t.Fatalf("ledger handings = %+v", hs)
		}
		// The audit log names the holder by ID, not by address (privacy).
		holder, err := db.PersonByEmail(context.Background(), niklas)
		if err != nil {
			t.Fatal(err)
		}
		holderID := `"holder_id":` + strconv.FormatInt(holder.ID, 10)
		entries, _, err := db.Audit(context.Background(), domain.AuditFilter{Action: "voucher.hand"})
		if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Detail, holderID) || strings.Contains(entries[0].Detail, niklas) {
			t.Fatalf("audit = %+v, %v", entries, err)
		}
		m := storetest.LastMail(t, db, niklas)
		c, _ := voucher.Parse(v.Code)
		if !strings.Contains(m.Body, storetest.BaseURL+"/meine-gutscheine") || strings.Contains(m.Body, v.Code) || strings.Contains(m.Body, string(c)) {
			t.Fatalf("mail to the holder:\n%s", m.Body)
		}
		// Niklas sees the voucher with the sessions it books.
		mine, err := fund(db).MyVouchers(fundingtest.As(t, db, niklas))
		if err != nil || len(mine) != 1 || mine[0].Code != v.Code {
			t.Fatalf("MyVouchers = %+v, %v", mine, err)
		}
		if len(mine[0].Sessions) == 0 || mine[0].Sessions[0].SessionID != s.ID {
			t.Fatalf("sessions of the voucher = %+v", mine[0].Sessions)
		}
		for _, ses := range mine[0].Sessions {
			if !ses.StartsAt.Before(v.ExpiresAt) || !db.Now().Before(ses.RegistrationDeadline) {
				t.Errorf("session %d cannot be booked with the voucher: %+v", ses.SessionID, ses)
			}
		}
		// A change needs a reason.
		_, err = fund(db).HandVoucher(hr, vs[0].Code, domain.HandingInput{Email: "neu@extern.example"})
		storetest.WantCode(t, err, domain.EInvalid)
		if domain.ErrorFields(err)["reason"] == "" {
			t.Fatalf("no reason message: %v", err)
		}
		// To an address outside the municipality: it is invited as participant.
		v, err = fund(db).HandVoucher(hr, vs[0].Code, domain.HandingInput{Email: "neu@extern.example", Reason: "Niklas wechselt die Stelle"})
		if err != nil || v.HolderEmail != "neu@extern.example" || v.HolderName != "" {
			t.Fatalf("changed holder = %+v, %v", v, err)
		}
		var invited bool
		for _, m := range storetest.Mails(t, db) {
			if m.To == "neu@extern.example" && strings.Contains(m.Body, "/einladung/") && strings.Contains(m.Body, "Teilnehmende") {
				invited = true
			}
		}
		if !invited {
			t.Error("the new holder got no invitation as participant")
		}
		var told bool
		for _, m := range storetest.Mails(t, db) {
			if m.To == niklas && strings.Contains(m.Subject, "nicht mehr zugeteilt") {
				told = true
			}
		}
		if !told {
			t.Error("the previous holder was not told")
		}
		if hs := handings(t, db, v.Code); len(hs) != 2 || hs[1].Reason != "Niklas wechselt die Stelle" {
			t.Fatalf("ledger handings = %+v", hs)
		}
		if mine, _ := fund(db).MyVouchers(fundingtest.As(t, db, niklas)); len(mine) != 0 {
			t.Errorf("Niklas still sees %d vouchers", len(mine))
		}
		// Neither a participant nor an account admin hands vouchers; someone
		// of another municipality does not even learn the code exists.
		_, err = fund(db).HandVoucher(fundingtest.As(t, db, niklas), vs[1].Code, domain.HandingInput{Email: niklas})
		storetest.WantCode(t, err, domain.EForbidden)
		_, err = fund(db).HandVoucher(fundingtest.As(t, db, thomas), vs[1].Code, domain.HandingInput{Email: niklas})
		storetest.WantCode(t, err, domain.EForbidden)
		_, err = fund(db).HandVoucher(fundingtest.As(t, db, fundingtest.Reviewer), vs[1].Code, domain.HandingInput{Email: niklas})
		storetest.WantCode(t, err, domain.ENotFound)
		// The list of the municipality shows who holds which code.
		list, err := fund(db).MunicipalityVouchers(hr, vs[0].OrgID)
		if err != nil || len(list) != 2 || list[0].HolderEmail != "neu@extern.example" || list[1].HolderEmail != "" {
			t.Fatalf("MunicipalityVouchers = %+v, %v", list, err)
		}
		_, err = fund(db).MunicipalityVouchers(fundingtest.As(t, db, niklas), vs[0].OrgID)
		storetest.WantCode(t, err, domain.EForbidden)
	})
}

func TestHandingIsRefusedOnceTheVoucherIsBooked(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, s, vs := bookingtest.Fixture(t, db, 10, 1)
		hr := fundingtest.As(t, db, anna)
		if _, err := fund(db).HandVoucher(hr, vs[0].Code, domain.HandingInput{Email: niklas}); err != nil {
			t.Fatal(err)
		}
		if _, err := bookingtest.Service(db).Book(fundingtest.As(t, db, niklas), booking.Request{SessionID: s.ID, Payment: domain.PayVoucher,
			Voucher: vs[0].Code}); err != nil {
			t.Fatal(err)
		}
		_, err := fund(db).HandVoucher(hr, vs[0].Code, domain.HandingInput{Email: "lena@futurehausen.example", Reason: "Vertretung"})
		storetest.WantCode(t, err, domain.EConflict)
		if hs := handings(t, db, vs[0].Code); len(hs) != 1 {
			t.Errorf("ledger has %d handings, want 1", len(hs))
		}
	})
}

func TestOnlyTheHolderBooksWithAVoucher(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		lilly, s, vs := bookingtest.Fixture(t, db, 10, 3)
		hr := fundingtest.As(t, db, anna)
		lena := colleague(t, db, vs[0].OrgID, "lena@futurehausen.example")
		if _, err := fund(db).HandVoucher(hr, vs[0].Code, domain.HandingInput{Email: niklas}); err != nil {
			t.Fatal(err)
		}
		book := func(ctx context.Context, code string, p *booking.Participant) error {
			_, err := bookingtest.Service(db).Book(ctx, booking.Request{SessionID: s.ID, Payment: domain.PayVoucher, Voucher: code, Participant: p})
			return err
		}
		// A colleague with Niklas's code.
		err := book(lena, vs[0].Code, nil)
		storetest.WantCode(t, err, domain.EConflict)
		if domain.ErrorMessage(err) != domain.ErrVoucherHeldByOther.Message {
			t.Errorf("message = %q", domain.ErrorMessage(err))
		}
		// HR booking Lena with Niklas's code is refused too.
		err = book(hr, vs[0].Code, &booking.Participant{Name: "Lena Lindner", Email: "lena@futurehausen.example"})
		storetest.WantCode(t, err, domain.EConflict)
		// A participant with a code nobody holds.
		err = book(lena, vs[1].Code, nil)
		storetest.WantCode(t, err, domain.EConflict)
		if domain.ErrorMessage(err) != domain.ErrVoucherNotHanded.Message {
			t.Errorf("message = %q", domain.ErrorMessage(err))
		}
		// The holder books; the signatory books herself with a free code.
		if err := book(fundingtest.As(t, db, niklas), vs[0].Code, nil); err != nil {
			t.Fatal(err)
		}
		if err := book(lilly, vs[1].Code, nil); err != nil {
			t.Fatal(err)
		}
		// HR books the holder of the third code.
		if _, err := fund(db).HandVoucher(hr, vs[2].Code, domain.HandingInput{Email: "lena@futurehausen.example"}); err != nil {
			t.Fatal(err)
		}
		if err := book(hr, vs[2].Code, &booking.Participant{Name: "Lena Lindner", Email: "lena@futurehausen.example"}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestVoucherListsAreHiddenFromParticipants(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingFixture(t, db)
		a := draft(t, ctx, db, org, provider, 1)
		if _, err := fund(db).SubmitApplication(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := fund(db).ApproveApplication(reviewerCtx(t, db), a.ID); err != nil {
			t.Fatal(err)
		}
		read := func(email string) *domain.Message {
			t.Helper()
			c := fundingtest.As(t, db, email)
			box, _, _, _, err := fund(db).Mailbox(c, org.ID, false, 0, 10, 0)
			if err != nil || len(box) != 1 {
				t.Fatalf("mailbox of %s: %d, %v", email, len(box), err)
			}
			m, err := fund(db).ReadMessage(c, box[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		full := read(anna)
		var list *domain.Document
		for i, d := range full.Attachments {
			if d.Kind == domain.DocVoucherList {
				list = &full.Attachments[i]
			}
		}
		if len(full.Attachments) != 3 || list == nil {
			t.Fatalf("HR sees %+v", full.Attachments)
		}
		part := read(niklas)
		if len(part.Attachments) != 1 || part.Attachments[0].Kind != domain.DocContract {
			t.Fatalf("the participant sees %+v", part.Attachments)
		}
		nctx := fundingtest.As(t, db, niklas)
		_, _, err := fund(db).MessageAttachment(nctx, part.ID, list.ID)
		storetest.WantCode(t, err, domain.ENotFound)
		_, _, err = fund(db).OpenDocument(nctx, list.ID)
		storetest.WantCode(t, err, domain.ENotFound)
		_, rc, err := fund(db).MessageAttachment(fundingtest.As(t, db, fundingtest.Lilly), full.ID, list.ID)
		if err != nil {
			t.Fatal(err)
		}
		rc.Close()
	})
}

func TestConcurrentHandingsOfOneVoucherLeaveOneHolder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, _, vs := bookingtest.Fixture(t, db, 10, 1)
		hr := fundingtest.As(t, db, anna)
		const n = 6
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = fund(db).HandVoucher(hr, vs[0].Code, domain.HandingInput{Email: "person" + string(rune('a'+i)) + "@futurehausen.example"})
			}()
		}
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Fatalf("two first handings succeeded: %d and %d", winner, i)
			case err == nil:
				winner = i
			case domain.ErrorCode(err) != domain.EInvalid:
				t.Fatalf("handing %d: %v", i, err)
			}
		}
		if winner < 0 {
			t.Fatal("no handing succeeded")
		}
		c, _ := voucher.Parse(vs[0].Code)
		v, err := db.Voucher(context.Background(), c)
		if err != nil || v.HolderEmail != "person"+string(rune('a'+winner))+"@futurehausen.example" {
			t.Fatalf("holder = %q, want the winner %d (%v)", v.HolderEmail, winner, err)
		}
		if hs := handings(t, db, vs[0].Code); len(hs) != 1 {
			t.Fatalf("ledger has %d handings", len(hs))
		}
	})
}

func TestFundingRequestsAreAnsweredWithAVoucherAnApplicationOrARefusal(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, s, vs := bookingtest.Fixture(t, db, 10, 1)
		hr := fundingtest.As(t, db, anna)
		nctx := fundingtest.As(t, db, niklas)
		// Bad input: German messages per field.
		_, err := fund(db).RequestFunding(nctx, funding.FundingRequestInput{Track: "gibt-es-nicht", OfferID: 999999})
		storetest.WantCode(t, err, domain.EInvalid)
		if f := domain.ErrorFields(err); f["track"] == "" || f["reason"] == "" || f["offer_id"] == "" {
			t.Fatalf("fields = %v", f)
		}
		// A provider's staff member is no member of a municipality.
		_, err = fund(db).RequestFunding(fundingtest.As(t, db, "kurse@vwa-bw.example"), funding.FundingRequestInput{OrgID: vs[0].OrgID,
			Track: "basis", Reason: "Ich möchte auch."})
		storetest.WantCode(t, err, domain.EForbidden)
		mk := func() *domain.FundingRequest {
			r, err := fund(db).RequestFunding(nctx, funding.FundingRequestInput{Track: "basis", OfferID: s.OfferID,
				Reason: "Ich betreue die Digitalisierung im Bürgerbüro."})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		r := mk()
		if r.Status != domain.RequestOpen || r.OrgID != vs[0].OrgID || r.OfferTitle == "" || r.PersonEmail != niklas {
			t.Fatalf("request = %+v", r)
		}
		// A second request for the same track waits for the first one's answer.
		_, err = fund(db).RequestFunding(nctx, funding.FundingRequestInput{Track: "basis", Reason: "Noch einmal."})
		storetest.WantCode(t, err, domain.EConflict)
		if msg := domain.ErrorMessage(err); !strings.Contains(msg, "bereits eine offene Anfrage für die Basisqualifizierung") {
			t.Fatalf("message = %q", msg)
		}
		told := map[string]bool{}
		for _, m := range storetest.Mails(t, db) {
			if strings.Contains(m.Subject, "Förderanfrage von Niklas Neumann") && strings.Contains(m.Body, storetest.BaseURL+"/foerderanfragen") {
				told[m.To] = true
			}
		}
		if !told[anna] || !told[fundingtest.Lilly] || len(told) != 2 {
			t.Fatalf("told of the request: %v", told)
		}
		list, err := fund(db).FundingRequests(hr, domain.RequestOpen)
		if err != nil || len(list) != 1 || list[0].ID != r.ID {
			t.Fatalf("HR's open requests = %+v, %v", list, err)
		}
		if other, _ := fund(db).FundingRequests(fundingtest.As(t, db, fundingtest.Reviewer), ""); len(other) != 0 {
			t.Errorf("a reviewer sees %d requests", len(other))
		}
		// Niklas cannot answer his own request; a stranger does not see it.
		_, err = fund(db).AnswerFundingRequest(nctx, r.ID, funding.FundingAnswer{Application: true})
		storetest.WantCode(t, err, domain.EForbidden)
		_, err = fund(db).AnswerFundingRequest(fundingtest.As(t, db, fundingtest.Reviewer), r.ID, funding.FundingAnswer{Application: true})
		storetest.WantCode(t, err, domain.ENotFound)
		// Accepting with a voucher hands it to Niklas in the same step.
		r, err = fund(db).AnswerFundingRequest(hr, r.ID, funding.FundingAnswer{Voucher: vs[0].Code})
		if err != nil || r.Status != domain.RequestVoucher {
			t.Fatalf("accept with voucher = %+v, %v", r, err)
		}
		c, _ := voucher.Parse(vs[0].Code)
		if v, _ := db.Voucher(context.Background(), c); v.HolderEmail != niklas {
			t.Fatalf("holder after the answer = %q", v.HolderEmail)
		}
		if hs := handings(t, db, vs[0].Code); len(hs) != 1 || !strings.HasPrefix(hs[0].Reason, "Förderanfrage Nr.") {
			t.Fatalf("ledger of the handed voucher = %+v", hs)
		}
		if m := storetest.LastMail(t, db, niklas); !strings.Contains(m.Subject, "angenommen") || strings.Contains(m.Body, vs[0].Code) {
			t.Fatalf("mail to the requester: %s\n%s", m.Subject, m.Body)
		}
		_, err = fund(db).AnswerFundingRequest(hr, r.ID, funding.FundingAnswer{Decline: true, Reason: "zu spät"})
		storetest.WantCode(t, err, domain.EConflict)
		// The voucher is no longer free for the next request.
		r2 := mk()
		_, err = fund(db).AnswerFundingRequest(hr, r2.ID, funding.FundingAnswer{Voucher: vs[0].Code})
		storetest.WantCode(t, err, domain.EConflict)
		// Declining needs a reason.
		_, err = fund(db).AnswerFundingRequest(hr, r2.ID, funding.FundingAnswer{Decline: true})
		storetest.WantCode(t, err, domain.EInvalid)
		r2, err = fund(db).AnswerFundingRequest(hr, r2.ID, funding.FundingAnswer{Decline: true, Reason: "Das Kontingent ist ausgeschöpft."})
		if err != nil || r2.Status != domain.RequestDeclined || r2.Answer != "Das Kontingent ist ausgeschöpft." {
			t.Fatalf("decline = %+v, %v", r2, err)
		}
		if m := storetest.LastMail(t, db, niklas); !strings.Contains(m.Subject, "abgelehnt") {
			t.Fatalf("mail: %s", m.Subject)
		}
		// Accepting by an application.
		r3, err := fund(db).AnswerFundingRequest(hr, mk().ID, funding.FundingAnswer{Application: true})
		if err != nil || r3.Status != domain.RequestApplication {
			t.Fatalf("accept by application = %+v, %v", r3, err)
		}
		mine, err := fund(db).FundingRequests(nctx, "")
		if err != nil || len(mine) != 3 {
			t.Fatalf("Niklas's requests = %d, %v", len(mine), err)
		}
		entries, _, err := db.Audit(context.Background(), domain.AuditFilter{Action: "funding_request.declined"})
		if err != nil || len(entries) != 1 {
			t.Fatalf("audit of the decline: %d, %v", len(entries), err)
		}
	})
}
