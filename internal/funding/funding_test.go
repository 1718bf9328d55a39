package funding_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/booking/bookingtest"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
	"github.com/lotse-oss/lotse/internal/voucher"
)

var (
	fund           = fundingtest.Service
	fundingFixture = fundingtest.Fixture
	draft          = fundingtest.Draft
)

// reviewerCtx acts as Petra, reviewer of the Städtetag, which reviews
// Futurehausen's applications.
func reviewerCtx(t testing.TB, db *store.DB) context.Context {
	return fundingtest.As(t, db, fundingtest.Reviewer)
}

func TestConcurrentSubmissionsNeverExceedTheContingent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingFixture(t, db)
		// Futurehausen (45,210 inhabitants) may have 3 people funded.
		const n = 12
		var drafts []*domain.Application
		for i := 0; i < n; i++ {
			drafts = append(drafts, draft(t, ctx, db, org, provider, 1))
		}
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i, d := range drafts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = fund(db).SubmitApplication(ctx, d.ID)
			}()
		}
		wg.Wait()
		ok, over := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case domain.ErrorCode(err) == domain.EConflict:
				over++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 3 || over != n-3 {
			t.Fatalf("%d submitted, %d refused; want 3 and %d", ok, over, n-3)
		}
		c, err := fund(db).Contingent(ctx, programmes.BWID, demo.FuturehausenAGS)
		if err != nil || c.Used != 3 || c.Remaining != 0 {
			t.Fatalf("contingent %+v, %v", c, err)
		}
	})
}

func TestWithdrawnAndRejectedPlacesReturnToTheContingent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingFixture(t, db)
		a := draft(t, ctx, db, org, provider, 3)
		if _, err := fund(db).SubmitApplication(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		b := draft(t, ctx, db, org, provider, 1)
		if _, err := fund(db).SubmitApplication(ctx, b.ID); domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("over the contingent: %v", err)
		}
		if _, err := fund(db).RejectApplication(reviewerCtx(t, db), a.ID, "Bitte zuerst den Bildungsträger klären."); err != nil {
			t.Fatal(err)
		}
		if _, err := fund(db).SubmitApplication(ctx, b.ID); err != nil {
			t.Fatalf("after rejection: %v", err)
		}
		if _, err := fund(db).WithdrawApplication(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		c, _ := fund(db).Contingent(ctx, programmes.BWID, demo.FuturehausenAGS)
		if c.Used != 0 {
			t.Fatalf("used %d after rejection and withdrawal", c.Used)
		}
		// A returned application keeps its places and may be submitted again.
		d := draft(t, ctx, db, org, provider, 3)
		if _, err := fund(db).SubmitApplication(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := fund(db).ReturnApplication(reviewerCtx(t, db), d.ID, "Bitte die Personenzahl prüfen."); err != nil {
			t.Fatal(err)
		}
		if c, _ := fund(db).Contingent(ctx, programmes.BWID, demo.FuturehausenAGS); c.Used != 3 {
			t.Fatalf("returned application does not hold its places: %+v", c)
		}
		if _, err := fund(db).SubmitApplication(ctx, d.ID); err != nil {
			t.Fatalf("resubmitting a returned application: %v", err)
		}
	})
}

func TestFailedApprovalLeavesNothingBehind(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingFixture(t, db)
		a := draft(t, ctx, db, org, provider, 2)
		if _, err := fund(db).SubmitApplication(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("renderer failed")
		render := func(d *domain.ApprovalData) ([]domain.GeneratedFile, error) {
			if len(d.Vouchers) != 2 {
				t.Errorf("renderer got %d vouchers", len(d.Vouchers))
			}
			return []domain.GeneratedFile{{Kind: "contract", Name: "v.pdf", MediaType: "application/pdf", Content: []byte("%PDF-1.4 eins")}}, nil
		}
		failing := func(d *domain.ApprovalData) ([]domain.GeneratedFile, error) { return nil, boom }
		if _, err := fund(db).WithRenderer(failing).ApproveApplication(reviewerCtx(t, db), a.ID); !errors.Is(err, boom) {
			t.Fatalf("approve: %v", err)
		}
		got, err := db.Application(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != domain.AppSubmitted || len(got.Vouchers) != 0 || got.ContractID != 0 {
			t.Fatalf("after failed approval: %+v", got)
		}
		msgs, _, _, err := db.Messages(ctx, domain.MailboxFilter{OrgIDs: []int64{org.ID}, PersonID: 1})
		if err != nil || len(msgs) != 0 {
			t.Fatalf("messages after failed approval: %d, %v", len(msgs), err)
		}
		// A failure after the documents were stored: their rows go with the
		// transaction, and the blobs are removed from the file store.
		var vouchers []domain.Voucher
		lateFail := func(d *domain.ApprovalData) ([]domain.GeneratedFile, error) {
			vouchers = d.Vouchers
			// A document of an organisation that does not exist: its insert
			// fails after the blob was stored.
			d.Application.OrgID = -1
			return []domain.GeneratedFile{{Kind: "contract", Name: "v.pdf", MediaType: "application/pdf", Content: []byte("%PDF-1.4 zwei")}}, nil
		}
		if _, err := fund(db).WithRenderer(lateFail).ApproveApplication(reviewerCtx(t, db), a.ID); err == nil {
			t.Fatal("approval with a failing document insert succeeded")
		}
		if len(vouchers) != 2 {
			t.Fatalf("renderer saw %d vouchers", len(vouchers))
		}
		for _, v := range vouchers {
			if _, err := db.Voucher(ctx, voucher.Code(strings.ReplaceAll(v.Code, "-", ""))); domain.ErrorCode(err) != domain.ENotFound {
				t.Fatalf("voucher %s of the failed approval exists: %v", v.Code, err)
			}
		}
		if n := countFiles(t, db); n != 0 {
			t.Fatalf("%d blobs left in the file store", n)
		}
		// And the approval works afterwards.
		ok, err := fund(db).WithRenderer(render).ApproveApplication(reviewerCtx(t, db), a.ID)
		if err != nil || ok.Status != domain.AppApproved || len(ok.Vouchers) != 2 {
			t.Fatalf("approve after failure: %+v, %v", ok, err)
		}
		if n := countFiles(t, db); n != 1 {
			t.Fatalf("%d blobs after approval, want 1", n)
		}
	})
}

func countFiles(t *testing.T, db *store.DB) int {
	t.Helper()
	n := 0
	root := db.Files.(interface{ Dir() string }).Dir()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func TestDistrictPopulationIsTheSumOfItsMunicipalities(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, _, _ := fundingFixture(t, db)
		// The district's own directory figure is ignored.
		d, err := db.Municipality(ctx, "08999")
		if err != nil {
			t.Fatal(err)
		}
		d.Population = 10
		if _, err := db.ImportMunicipalities(ctx, []domain.Municipality{*d}, "test"); err != nil {
			t.Fatal(err)
		}
		c, err := fund(db).Contingent(ctx, programmes.BWID, "08999")
		if err != nil {
			t.Fatal(err)
		}
		if c.ApplicantKind != domain.ApplicantDistrict || c.Population != 45210+4180+18530+118900+29580 || c.Total != 5 {
			t.Fatalf("district contingent %+v", c)
		}
		// A municipality below 10,000 inhabitants: one person.
		if c, _ := fund(db).Contingent(ctx, programmes.BWID, "08999002"); c.Total != 1 {
			t.Fatalf("Kleinbach %+v", c)
		}
		// Outside the programme's state.
		if _, err := fund(db).Contingent(ctx, programmes.BWID, "09162000"); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("Munich in the BW programme: %v", err)
		}
	})
}

// baseCertificate lets Niklas (Futurehausen) complete a funded base course
// and returns his certificate's id.
func baseCertificate(t *testing.T, db *store.DB) (context.Context, string) {
	t.Helper()
	ctx, s, vs := bookingtest.Fixture(t, db, 10, 1)
	niklas, err := db.PersonByEmail(ctx, "niklas@futurehausen.example")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := db.Memberships(ctx, niklas.ID)
	if err != nil || len(ms) == 0 {
		t.Fatalf("Niklas's memberships: %v, %v", ms, err)
	}
	b, err := booking.New(db, notify.MustNew("http://lotse.test"), nil).Place(ctx, domain.BookingInput{SessionID: s.ID, PersonID: niklas.ID,
		ParticipantName: "Niklas Neumann", ParticipantEmail: "niklas@futurehausen.example", Payment: domain.PayVoucher, Voucher: vs[0].Code,
		ParticipantOrgs: []int64{ms[0].OrgID}})
	if err != nil {
		t.Fatal(err)
	}
	realNow := db.Now
	db.Now = func() time.Time { return s.EndsAt.Add(time.Hour) }
	// The provider's staff record the attendance; completion issues the
	// certificate (booking and certify services).
	o, err := db.Offer(ctx, s.OfferID)
	if err != nil {
		t.Fatal(err)
	}
	staff := *domain.ActorFrom(ctx)
	staff.Memberships = append(append([]domain.Membership{}, staff.Memberships...),
		domain.Membership{OrgID: o.ProviderID, OrgKind: domain.OrgProvider, Roles: []domain.Role{domain.RoleProviderStaff}})
	if _, err := app.New(db, storetest.BaseURL, nil).Booking.RecordAttendance(domain.WithActor(ctx, &staff), b.ID, nil, domain.AttendPresent); err != nil {
		t.Fatal(err)
	}
	db.Now = realNow
	certs, err := db.BookingCertificates(ctx, b.ID)
	if err != nil || len(certs) != 1 {
		t.Fatalf("certificates: %v, %v", certs, err)
	}
	return ctx, certs[0].ID
}

func advancedDraft(ctx context.Context, db *store.DB, orgID int64, names []string, cert string) (*domain.Application, error) {
	p, err := db.Programme(ctx, programmes.BWID)
	if err != nil {
		return nil, err
	}
	prog, track, people, yes := programmes.BWID, domain.TrackAdvanced, len(names), true
	var cs []domain.ApplicationCertificate
	for _, n := range names {
		cs = append(cs, domain.ApplicationCertificate{PersonName: n, CertificateID: cert})
	}
	return fund(db).CreateApplication(ctx, orgID, domain.ApplicationInput{ProgrammeID: &prog, Track: &track, ProviderID: &p.ProviderIDs[0],
		People: &people, Declarations: &yes, Certificates: &cs})
}

func TestBaseCertificateCountsOnlyForOwnMunicipalityAndOncePerTrack(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cert := baseCertificate(t, db)
		fieldsMention := func(err error, word string) bool {
			return domain.ErrorCode(err) == domain.EInvalid && strings.Contains(fmt.Sprint(domain.ErrorFields(err)), word)
		}
		// Other municipalities cannot use Niklas's certificate.
		for i, ags := range []string{"08999002", "08999003"} {
			other, err := db.OrganisationByAGS(ctx, ags)
			if err != nil {
				t.Fatal(err)
			}
			signatory := &domain.Person{Email: fmt.Sprintf("buergermeister%d@example.org", i), Name: "Bernd Bürgermeister"}
			if err := db.CreatePerson(ctx, signatory, ""); err != nil {
				t.Fatal(err)
			}
			if err := db.SetRoles(ctx, other.ID, signatory.ID, []domain.Role{domain.RoleSignatory}); err != nil {
				t.Fatal(err)
			}
			ms, _ := db.Memberships(ctx, signatory.ID)
			octx := domain.WithActor(context.Background(), &domain.Actor{Person: signatory, Memberships: ms})
			if _, err := advancedDraft(octx, db, other.ID, []string{"Niklas Neumann"}, cert); !fieldsMention(err, "Kommune") {
				t.Fatalf("certificate of Futurehausen's employee in %s: %v", ags, err)
			}
		}
		home, _ := db.OrganisationByAGS(ctx, demo.FuturehausenAGS)
		// Not twice in one application.
		if _, err := advancedDraft(ctx, db, home.ID, []string{"Niklas Neumann", "Niklas Neumann"}, cert); !fieldsMention(err, "bereits") {
			t.Fatalf("one certificate for two persons: %v", err)
		}
		a, err := advancedDraft(ctx, db, home.ID, []string{"Niklas Neumann"}, cert)
		if err != nil {
			t.Fatalf("own municipality: %v", err)
		}
		// Not in a second application of the same track.
		if _, err := advancedDraft(ctx, db, home.ID, []string{"Niklas Neumann"}, cert); !fieldsMention(err, "anderen Antrag") {
			t.Fatalf("second application with the same certificate: %v", err)
		}
		// A withdrawn application frees it.
		if _, err := fund(db).WithdrawApplication(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		b, err := advancedDraft(ctx, db, home.ID, []string{"Niklas Neumann"}, cert)
		if err != nil {
			t.Fatalf("after withdrawal: %v", err)
		}
		// Submission checks again: a person who left the municipality no
		// longer counts.
		niklas, _ := db.PersonByEmail(ctx, "niklas@futurehausen.example")
		if err := db.RemoveMember(ctx, home.ID, niklas.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := fund(db).SubmitApplication(ctx, b.ID); !fieldsMention(err, "Kommune") {
			t.Fatalf("submission after Niklas left: %v", err)
		}
	})
}

func TestConcurrentApplicationsUseABaseCertificateOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, cert := baseCertificate(t, db)
		home, _ := db.OrganisationByAGS(ctx, demo.FuturehausenAGS)
		const n = 6
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = advancedDraft(ctx, db, home.ID, []string{"Niklas Neumann"}, cert)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case domain.ErrorCode(err) != domain.EInvalid:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d applications accepted the certificate, want 1", ok)
		}
	})
}

// Approvals read the application under its lock: of several reviewers
// approving at once, one approves and the others are told it is decided;
// the vouchers are issued once.
func TestConcurrentApprovalsIssueVouchersOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingFixture(t, db)
		a := draft(t, ctx, db, org, provider, 2)
		if _, err := fund(db).SubmitApplication(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		rctx, svc := reviewerCtx(t, db), fund(db).WithRenderer(fundingtest.NoDocuments)
		const n = 6
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = svc.ApproveApplication(rctx, a.ID)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case domain.ErrorCode(err) != domain.EConflict:
				t.Errorf("unexpected error: %v", err)
			}
		}
		got, err := db.Application(ctx, a.ID)
		if ok != 1 || err != nil || got.Status != domain.AppApproved || len(got.Vouchers) != 2 {
			t.Fatalf("%d approvals succeeded; application %+v, %v", ok, got, err)
		}
	})
}
