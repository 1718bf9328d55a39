package booking_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/booking/bookingtest"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// attendanceEnv is a published three-day basis session of the first
// programme provider, the platform's services, a municipal actor (Lilly)
// and an actor of the provider's staff.
type attendanceEnv struct {
	db       *store.DB
	app      *app.App
	ctx      context.Context // Lilly, signatory of Futurehausen
	staff    context.Context // staff of the offer's provider
	session  *domain.Session
	vouchers []domain.Voucher
}

func newAttendanceEnv(t *testing.T, db *store.DB, capacity, vouchers int) *attendanceEnv {
	t.Helper()
	e := &attendanceEnv{db: db, app: app.New(db, storetest.BaseURL, slog.New(slog.NewTextHandler(io.Discard, nil)))}
	e.ctx, e.session, e.vouchers = bookingtest.Fixture(t, db, capacity, vouchers)
	o, err := db.Offer(e.ctx, e.session.OfferID)
	if err != nil {
		t.Fatal(err)
	}
	e.staff = asProviderStaff(e.ctx, o.ProviderID)
	return e
}

// asProviderStaff adds the staff role of provider to the actor of ctx.
func asProviderStaff(ctx context.Context, provider int64) context.Context {
	a := *domain.ActorFrom(ctx)
	a.Memberships = append(append([]domain.Membership{}, a.Memberships...),
		domain.Membership{OrgID: provider, OrgKind: domain.OrgProvider, PersonID: a.PersonID(), Roles: []domain.Role{domain.RoleProviderStaff}})
	return domain.WithActor(context.Background(), &a)
}

func (e *attendanceEnv) book(t *testing.T, name, email, code string) *domain.Booking {
	t.Helper()
	in := domain.BookingInput{SessionID: e.session.ID, ParticipantName: name, ParticipantEmail: email, Payment: domain.PayPrivate}
	if code != "" {
		in.Payment, in.Voucher = domain.PayVoucher, code
	}
	return e.place(t, e.ctx, in)
}

// place books a place; the one place these tests book, whichever room
// booking lives in.
func (e *attendanceEnv) place(t *testing.T, ctx context.Context, in domain.BookingInput) *domain.Booking {
	t.Helper()
	b, err := bookingtest.Book(ctx, e.db, in)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// afterTheSession moves the clock past the session's end.
func (e *attendanceEnv) afterTheSession(t *testing.T) {
	realNow := e.db.Now
	e.db.Now = func() time.Time { return e.session.EndsAt.Add(time.Hour) }
	t.Cleanup(func() { e.db.Now = realNow })
}

func TestAttendanceCompletesAndRedeems(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newAttendanceEnv(t, db, 10, 1)
		svc := e.app.Booking
		b := e.book(t, "Niklas Neumann", "niklas@futurehausen.example", e.vouchers[0].Code)
		if _, err := svc.RecordAttendance(e.staff, b.ID, []int{1}, domain.AttendPresent); domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("attendance before the start: %v", err)
		}
		e.afterTheSession(t)
		if _, err := svc.RecordAttendance(e.staff, b.ID, []int{4}, domain.AttendPresent); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("day 4 of a 3-day session: %v", err)
		}
		if _, err := svc.RecordAttendance(e.staff, b.ID, nil, "vielleicht"); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("unknown status: %v", err)
		}
		if _, err := svc.RecordAttendance(e.ctx, b.ID, nil, domain.AttendPresent); domain.ErrorCode(err) == "" || err == nil {
			t.Fatalf("attendance by someone not of the provider: %v", err)
		}
		if err := svc.Rate(e.ctx, b.ID, 5, ""); domain.ErrorCode(err) != domain.ENotFound && domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("rating by someone who did not take part: %v", err)
		}
		b, err := svc.RecordAttendance(e.staff, b.ID, []int{1, 2}, domain.AttendPresent)
		if err != nil || b.Status != domain.BookingConfirmed {
			t.Fatalf("two of three days: %+v, %v", b, err)
		}
		if v, _ := db.Voucher(e.ctx, voucher.Code(strings.ReplaceAll(e.vouchers[0].Code, "-", ""))); v.State != domain.VoucherReserved {
			t.Fatalf("voucher before completion: %s", v.State)
		}
		b, err = svc.RecordAttendance(e.staff, b.ID, []int{3}, domain.AttendPresent)
		if err != nil || b.Status != domain.BookingCompleted {
			t.Fatalf("all days: %+v, %v", b, err)
		}
		if v, _ := db.Voucher(e.ctx, voucher.Code(strings.ReplaceAll(e.vouchers[0].Code, "-", ""))); v.State != domain.VoucherRedeemed {
			t.Fatalf("voucher after completion: %s", v.State)
		}
		if got, _ := db.Booking(e.ctx, b.ID); got.Status != domain.BookingCompleted {
			t.Fatalf("stored booking: %s", got.Status)
		}
		certs, err := e.app.Certify.BookingCertificates(e.ctx, b.ID)
		if err != nil || len(certs) != 1 {
			t.Fatalf("certificates after completion: %v, %v", certs, err)
		}
	})
}

func TestOnlyTheParticipantRatesACompletedBooking(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newAttendanceEnv(t, db, 10, 0)
		svc := e.app.Booking
		niklas := fundingtest.As(t, db, "niklas@futurehausen.example")
		p, _ := db.PersonByEmail(e.ctx, "niklas@futurehausen.example")
		b := e.place(t, niklas, domain.BookingInput{SessionID: e.session.ID, PersonID: p.ID, ParticipantName: p.Name,
			ParticipantEmail: p.Email, Payment: domain.PayPrivate})
		if err := svc.Rate(niklas, b.ID, 5, ""); domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("rating before completion: %v", err)
		}
		e.afterTheSession(t)
		if _, err := svc.RecordAttendance(e.staff, b.ID, nil, domain.AttendPresent); err != nil {
			t.Fatal(err)
		}
		if err := svc.Rate(e.staff, b.ID, 5, ""); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("rating by the provider: %v", err)
		}
		if err := svc.Rate(niklas, b.ID, 9, ""); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("nine stars: %v", err)
		}
		if err := svc.Rate(niklas, b.ID, 4, "Sehr praxisnah."); err != nil {
			t.Fatal(err)
		}
		if err := svc.Rate(niklas, b.ID, 5, ""); domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("second rating: %v", err)
		}
		o, _ := db.Offer(e.ctx, e.session.OfferID)
		if o.RatingCount != 1 || o.RatingAverage != 4 {
			t.Fatalf("offer after rating: count %d avg %v", o.RatingCount, o.RatingAverage)
		}
	})
}

// TestConcurrentAttendancePostsCompleteOnce: ten providers' clicks on "all
// days present" at once complete the booking once, issue one certificate
// and all answer with the completed booking. The booking used to be read
// before the session's lock was taken, so on PostgreSQL the later posts
// completed it again and failed on the certificate's unique booking (500).
func TestConcurrentAttendancePostsCompleteOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newAttendanceEnv(t, db, 10, 1)
		b := e.book(t, "Niklas Neumann", "niklas@futurehausen.example", e.vouchers[0].Code)
		e.afterTheSession(t)
		const n = 10
		var wg sync.WaitGroup
		errs := make([]error, n)
		got := make([]*domain.Booking, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				got[i], errs[i] = e.app.Booking.RecordAttendance(e.staff, b.ID, nil, domain.AttendPresent)
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("post %d: %v (code %s)", i, err, domain.ErrorCode(err))
			} else if got[i].Status != domain.BookingCompleted {
				t.Errorf("post %d answered %s, want completed", i, got[i].Status)
			}
		}
		certs, err := e.app.Certify.BookingCertificates(e.ctx, b.ID)
		if err != nil || len(certs) != 1 {
			t.Fatalf("certificates: %d, %v; want exactly one", len(certs), err)
		}
		if v, _ := db.Voucher(e.ctx, voucher.Code(strings.ReplaceAll(e.vouchers[0].Code, "-", ""))); v.State != domain.VoucherRedeemed {
			t.Fatalf("voucher: %s", v.State)
		}
	})
}

// TestAttendanceExportNeutralisesFormulas: a participant may call herself
// "=cmd|' /C calc'!A0"; the provider's spreadsheet must show that, not run
// it. The export is read back by the import unchanged.
func TestAttendanceExportNeutralisesFormulas(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newAttendanceEnv(t, db, 10, 0)
		evil := "=cmd|' /C calc'!A0"
		b := e.book(t, evil, "eve@futurehausen.example", "")
		e.book(t, "+49 Anna", "anna@futurehausen.example", "")
		var out bytes.Buffer
		if err := e.app.Booking.ExportAttendance(e.ctx, e.session.ID, &out); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("export by someone not of the provider: %v", err)
		}
		if err := e.app.Booking.ExportAttendance(e.staff, e.session.ID, &out); err != nil {
			t.Fatal(err)
		}
		csv := out.String()
		if !strings.HasPrefix(csv, "\ufeffE-Mail;Name;Tag;Status\r\n") {
			t.Fatalf("export does not start with BOM and header: %q", csv)
		}
		for _, line := range strings.Split(csv, "\r\n") {
			for _, cell := range strings.Split(line, ";") {
				cell = strings.Trim(cell, `"`)
				if cell != "" && strings.ContainsRune("=+@", rune(cell[0])) {
					t.Errorf("live formula cell %q in %q", cell, line)
				}
			}
		}
		if !strings.Contains(csv, `"'=cmd|' /C calc'!A0"`) && !strings.Contains(csv, `'=cmd|' /C calc'!A0`) {
			t.Errorf("the name is not kept as text: %q", csv)
		}
		// Mark the evil participant present on every day in the exported
		// file and read it back.
		e.afterTheSession(t)
		var lines []string
		for _, l := range strings.Split(csv, "\r\n") {
			if strings.HasPrefix(l, "eve@") {
				l += "anwesend"
			}
			lines = append(lines, l)
		}
		n, err := e.app.Booking.ImportAttendance(e.staff, e.session.ID, strings.NewReader(strings.Join(lines, "\r\n")))
		if err != nil || n != 3 {
			t.Fatalf("import of the edited export: %d, %v", n, err)
		}
		if got, _ := db.Booking(e.ctx, b.ID); got.Status != domain.BookingCompleted {
			t.Fatalf("after the import the booking is %s", got.Status)
		}
	})
}
