package settlement_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/booking/bookingtest"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/settlement"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
	"github.com/lotse-oss/lotse/internal/voucher"
)

const (
	karl  = "kurse@verwaltungsschule-bw.example" // staff of the Verwaltungsschule
	vera  = "kurse@vwa-bw.example"               // staff of another provider
	franz = "foerderung@im-bw.example"           // funder
	helga = "haushalt@im-bw.example"             // second funder
	petra = "pruefung@staedtetag-bw.example"     // reviewer, not funder side
)

type env struct {
	db       *store.DB
	svc      *settlement.Service
	vouchers []domain.Voucher
	as       func(email string) context.Context
}

// newEnv books the vouchers of an approved application for people persons
// into a session of the Verwaltungsschule, records full attendance and
// moves the clock past the session: the vouchers are redeemed.
func newEnv(t *testing.T, db *store.DB, people int) *env {
	t.Helper()
	ctx, ses, vs := bookingtest.Fixture(t, db, 10, people)
	e := &env{db: db, svc: settlement.New(db, notify.MustNew(storetest.BaseURL)), vouchers: vs,
		as: func(email string) context.Context { return fundingtest.As(t, db, email) }}
	var ids []int64
	for i, v := range vs {
		b, err := bookingtest.Book(ctx, db, domain.BookingInput{SessionID: ses.ID, ParticipantName: "Person " + string(rune('A'+i)),
			ParticipantEmail: "person" + string(rune('a'+i)) + "@futurehausen.example", Payment: domain.PayVoucher, Voucher: v.Code})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, b.ID)
	}
	realNow := db.Now
	db.Now = func() time.Time { return ses.EndsAt.Add(time.Hour) }
	t.Cleanup(func() { db.Now = realNow })
	for _, id := range ids {
		if _, err := bookingtest.Service(db).RecordAttendance(e.as(karl), id, []int{1, 2, 3}, domain.AttendPresent); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func (e *env) voucherState(t *testing.T, display string) domain.VoucherState {
	t.Helper()
	v, err := e.db.Voucher(context.Background(), voucher.Code(strings.ReplaceAll(display, "-", "")))
	if err != nil {
		t.Fatal(err)
	}
	return v.State
}

// year is the budget year the vouchers were issued in (the clock may be
// past the session, in the next year).
func (e *env) year() int { return domain.BudgetYear(e.vouchers[0].IssuedAt) }

func (e *env) budget(t *testing.T) *domain.Budget {
	t.Helper()
	b, err := e.svc.Budget(e.as(franz), programmes.BWID, e.year())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestClaimGoesThroughFourEyesAndSettlesTheVouchers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, 2)
		year := e.year()
		if _, err := e.svc.SetBudget(e.as(franz), programmes.BWID, year, 1_000_000, "Haushaltsansatz"); err != nil {
			t.Fatal(err)
		}
		b := e.budget(t)
		if !b.Planned || b.PlannedCents != 1_000_000 || b.CommittedCents != 60_000 || b.FreeCents != 940_000 || b.PaidCents != 0 {
			t.Fatalf("budget before the claim: %+v", b)
		}

		if _, err := e.svc.CreateClaim(e.as("lilly@futurehausen.example"), settlement.ClaimInput{Programme: programmes.BWID}); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("a municipality's signatory claims: %v", err)
		}
		c, err := e.svc.CreateClaim(e.as(karl), settlement.ClaimInput{Programme: programmes.BWID})
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != domain.ClaimDraft || c.TotalCents != 60_000 || len(c.Items) != 2 || !strings.HasPrefix(c.Number, "AB-") {
			t.Fatalf("new claim: %+v", c)
		}
		if c.Items[0].Participant == "" || c.Items[0].OfferTitle == "" || c.Items[0].RedeemedAt == nil {
			t.Fatalf("claim line without its booking: %+v", c.Items[0])
		}
		if _, err := e.svc.Claim(e.as(franz), c.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("the funder sees a draft: %v", err)
		}
		if _, err := e.svc.CreateClaim(e.as(karl), settlement.ClaimInput{Programme: programmes.BWID}); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("a second claim of the same vouchers: %v", err)
		}
		if _, err := e.svc.SubmitClaim(e.as(karl), c.ID); err != nil {
			t.Fatal(err)
		}
		if b := e.budget(t); b.ClaimedCents != 60_000 {
			t.Fatalf("claimed after submission: %+v", b)
		}
		if _, err := e.svc.ApproveClaim(e.as(franz), c.ID, settlement.Review{}); domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("release before the check: %v", err)
		}
		if _, err := e.svc.CheckClaim(e.as(petra), c.ID, settlement.Review{}); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("a reviewer of applications checks a claim: %v", err)
		}
		if _, err := e.svc.CheckClaim(e.as(karl), c.ID, settlement.Review{}); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("the provider checks its own claim: %v", err)
		}
		if _, err := e.svc.CheckClaim(e.as(franz), c.ID, settlement.Review{Note: "Teilnahmelisten liegen vor."}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ApproveClaim(e.as(franz), c.ID, settlement.Review{}); domain.ErrorCode(err) != domain.EConflict ||
			!strings.Contains(err.Error(), "Vier-Augen") {
			t.Fatalf("the checker releases too: %v", err)
		}
		c, err = e.svc.ApproveClaim(e.as(helga), c.ID, settlement.Review{Comment: "Zur Zahlung angewiesen."})
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != domain.ClaimApproved || c.CheckedBy != "Franz Förderer" || c.ApprovedBy != "Helga Haushalt" {
			t.Fatalf("approved claim: %+v", c)
		}
		for _, v := range e.vouchers {
			if s := e.voucherState(t, v.Code); s != domain.VoucherSettled {
				t.Fatalf("voucher %s after approval: %s", v.Code, s)
			}
		}
		b = e.budget(t)
		if b.PaidCents != 60_000 || b.CommittedCents != 0 || b.ClaimedCents != 0 || b.FreeCents != 940_000 {
			t.Fatalf("budget after payment: %+v", b)
		}
		// The provider reads the history without the funder's internal note.
		own, err := e.svc.Claim(e.as(karl), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range own.Events {
			if ev.Internal || strings.Contains(ev.Comment, "Teilnahmelisten") {
				t.Fatalf("the provider reads an internal note: %+v", ev)
			}
		}
		full, _ := e.svc.Claim(e.as(helga), c.ID)
		if len(full.Events) != len(own.Events)+1 {
			t.Fatalf("events: funder %d, provider %d", len(full.Events), len(own.Events))
		}
		if _, err := e.svc.Claim(e.as(vera), c.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("another provider reads the claim: %v", err)
		}
		mail := storetest.LastMail(t, db, karl)
		if !strings.Contains(mail.Subject, c.Number) || !strings.Contains(mail.Subject, "freigegeben") {
			t.Fatalf("provider's mail: %q", mail.Subject)
		}

		// A credit note takes one voucher back.
		cn, err := e.svc.CreditNote(e.as(karl), c.ID, []string{e.vouchers[0].Code}, "Teilnahme nachträglich als unvollständig festgestellt")
		if err != nil {
			t.Fatal(err)
		}
		if cn.Kind != domain.ClaimCreditNote || cn.CorrectsID != c.ID || cn.TotalCents != 30_000 || !strings.HasPrefix(cn.Number, "GS-") {
			t.Fatalf("credit note: %+v", cn)
		}
		for _, step := range []func() error{
			func() error { _, err := e.svc.SubmitClaim(e.as(karl), cn.ID); return err },
			func() error { _, err := e.svc.CheckClaim(e.as(helga), cn.ID, settlement.Review{}); return err },
			func() error { _, err := e.svc.ApproveClaim(e.as(franz), cn.ID, settlement.Review{}); return err },
		} {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		if s := e.voucherState(t, e.vouchers[0].Code); s != domain.VoucherRevoked {
			t.Fatalf("credited voucher: %s", s)
		}
		b = e.budget(t)
		if b.PaidCents != 30_000 || b.CommittedCents != 0 || b.FreeCents != 970_000 {
			t.Fatalf("budget after the credit note: %+v", b)
		}
		// The report's roll-ups followed every change.
		if err := db.CheckReportRollups(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestReturnedClaimIsChangedAndSubmittedAgain(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, 2)
		c, err := e.svc.CreateClaim(e.as(karl), settlement.ClaimInput{Programme: programmes.BWID, Vouchers: []string{e.vouchers[0].Code}})
		if err != nil || len(c.Items) != 1 {
			t.Fatalf("claim of one voucher: %+v, %v", c, err)
		}
		if _, err := e.svc.SubmitClaim(e.as(karl), c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ReturnClaim(e.as(franz), c.ID, settlement.Review{}); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("return without a comment: %v", err)
		}
		if _, err := e.svc.ReturnClaim(e.as(franz), c.ID, settlement.Review{Comment: "Bitte nehmen Sie auch den zweiten Gutschein auf."}); err != nil {
			t.Fatal(err)
		}
		if b := e.budget(t); b.ClaimedCents != 0 {
			t.Fatalf("claimed after the return: %+v", b)
		}
		if m := storetest.LastMail(t, db, karl); !strings.Contains(m.Body, "zweiten Gutschein") {
			t.Fatalf("return mail: %s", m.Body)
		}
		c, err = e.svc.UpdateClaim(e.as(karl), c.ID, []string{e.vouchers[0].Code, e.vouchers[1].Code})
		if err != nil || len(c.Items) != 2 || c.TotalCents != 60_000 {
			t.Fatalf("changed claim: %+v, %v", c, err)
		}
		if _, err := e.svc.SubmitClaim(e.as(karl), c.ID); err != nil {
			t.Fatal(err)
		}
		if b := e.budget(t); b.ClaimedCents != 60_000 {
			t.Fatalf("claimed after the second submission: %+v", b)
		}
		if _, err := e.svc.UpdateClaim(e.as(karl), c.ID, []string{e.vouchers[0].Code}); domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("change of a submitted claim: %v", err)
		}
	})
}

func TestWithdrawnClaimFreesItsVouchers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, 1)
		c, err := e.svc.CreateClaim(e.as(karl), settlement.ClaimInput{Programme: programmes.BWID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.WithdrawClaim(e.as(karl), c.ID); err != nil {
			t.Fatal(err)
		}
		items, err := e.svc.Claimable(e.as(karl), programmes.BWID, 0)
		if err != nil || len(items) != 1 {
			t.Fatalf("claimable after withdrawal: %v, %v", items, err)
		}
		if _, err := e.svc.CreateClaim(e.as(karl), settlement.ClaimInput{Programme: programmes.BWID, Vouchers: []string{"XXXX"}}); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("a bad code: %v", err)
		}
		if _, err := e.svc.CreateClaim(e.as(vera), settlement.ClaimInput{Programme: programmes.BWID, Vouchers: []string{e.vouchers[0].Code}}); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("another provider claims the voucher: %v", err)
		}
	})
}

// TestConcurrentClaimsTakeAVoucherOnce: staff of the provider start claims
// of the same vouchers at once; the vouchers end up in exactly one.
func TestConcurrentClaimsTakeAVoucherOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, 2)
		const n = 6
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.svc.CreateClaim(e.as(karl), settlement.ClaimInput{Programme: programmes.BWID})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case domain.ErrorCode(err) != domain.EInvalid:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d claims took the vouchers", ok)
		}
		cs, err := e.svc.Claims(e.as(karl), domain.ClaimFilter{})
		if err != nil || len(cs) != 1 || cs[0].TotalCents != 60_000 {
			t.Fatalf("claims: %+v, %v", cs, err)
		}
	})
}

func TestBudgetIsSetByTheFunderAndNeverBelowWhatIsBound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, 2)
		year := e.year()
		for _, who := range []string{karl, petra, "admin@lotse.example"} {
			if _, err := e.svc.SetBudget(e.as(who), programmes.BWID, year, 1_000_000, ""); domain.ErrorCode(err) != domain.EForbidden {
				t.Fatalf("%s sets the budget: %v", who, err)
			}
		}
		if _, err := e.svc.SetBudget(e.as(franz), programmes.BWID, year, 50_000, ""); domain.ErrorCode(err) != domain.EInvalid ||
			!strings.Contains(fieldMessage(err, "amount_cents"), "600,00 €") {
			t.Fatalf("a budget below the bound money: %v", err)
		}
		if _, err := e.svc.SetBudget(e.as(franz), programmes.BWID, year, 80_000, "erste Rate"); err != nil {
			t.Fatal(err)
		}
		b, err := e.svc.SetBudget(e.as(helga), programmes.BWID, year, 120_000, "Nachtrag")
		if err != nil || b.PlannedCents != 120_000 || b.FreeCents != 60_000 {
			t.Fatalf("second setting: %+v, %v", b, err)
		}
		es, err := e.svc.Ledger(e.as(franz), programmes.BWID, year, 0)
		if err != nil {
			t.Fatal(err)
		}
		var plans []int64
		for _, en := range es {
			if en.Kind == domain.EntryPlan {
				plans = append(plans, en.AmountCents)
			}
		}
		if len(plans) != 2 || plans[0] != 40_000 || plans[1] != 80_000 {
			t.Fatalf("plan entries (newest first): %v", plans)
		}
	})
}

// TestExpiryReleasesTheMoney: an unused voucher past its expiry is marked
// expired by the job, once, and its value returns to the free budget.
func TestExpiryReleasesTheMoney(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		_, _, vs := bookingtest.Fixture(t, db, 10, 2)
		svc := settlement.New(db, notify.MustNew(storetest.BaseURL))
		franzCtx := fundingtest.As(t, db, franz)
		year := domain.BudgetYear(db.Now())
		if _, err := svc.SetBudget(franzCtx, programmes.BWID, year, 100_000, ""); err != nil {
			t.Fatal(err)
		}
		realNow := db.Now
		db.Now = func() time.Time { return vs[0].ExpiresAt.Add(time.Minute) }
		t.Cleanup(func() { db.Now = realNow })
		for i, want := range []int{2, 0} {
			n, err := svc.ExpireVouchers(context.Background())
			if err != nil || n != want {
				t.Fatalf("round %d: %d expired, %v", i, n, err)
			}
		}
		b, err := svc.Budget(franzCtx, programmes.BWID, year)
		if err != nil || b.CommittedCents != 0 || b.FreeCents != 100_000 {
			t.Fatalf("budget after expiry: %+v, %v", b, err)
		}
		v, _ := db.Voucher(context.Background(), voucher.Code(strings.ReplaceAll(vs[1].Code, "-", "")))
		if v.State != domain.VoucherExpired {
			t.Fatalf("stored state: %s", v.State)
		}
		if err := db.CheckReportRollups(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func fieldMessage(err error, field string) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Fields[field]
	}
	return ""
}

// TestConcurrentApprovalsNeverOverspend: two applications are approved at
// the same moment while the free budget carries only one of them; exactly
// one approval succeeds and the budget is never negative.
func TestConcurrentApprovalsNeverOverspend(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingtest.Fixture(t, db)
		svc := settlement.New(db, notify.MustNew(storetest.BaseURL))
		year := domain.BudgetYear(db.Now())
		if _, err := svc.SetBudget(fundingtest.As(t, db, franz), programmes.BWID, year, 30_000, ""); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for range 2 {
			a := fundingtest.Draft(t, ctx, db, org, provider, 1)
			if _, err := fundingtest.Service(db).SubmitApplication(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
		var wg sync.WaitGroup
		errs := make([]error, len(ids))
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = fundingtest.Approve(t, db, id)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case domain.ErrorCode(err) != domain.EConflict || !strings.Contains(err.Error(), "Budget"):
				t.Fatalf("unexpected refusal: %v", err)
			}
		}
		b, err := svc.Budget(fundingtest.As(t, db, franz), programmes.BWID, year)
		if err != nil {
			t.Fatal(err)
		}
		if ok != 1 || b.FreeCents != 0 || b.CommittedCents != 30_000 {
			t.Fatalf("%d approvals, budget %+v", ok, b)
		}
	})
}
