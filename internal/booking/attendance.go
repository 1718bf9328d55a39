package booking

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/csvx"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// lockAttendee locks the booking's session and reads the booking under the
// lock; for an actor who may not see the booking it does not exist.
func lockAttendee(ctx context.Context, tx *store.Tx, a *domain.Actor, id int64) (*domain.Booking, *domain.Session, *domain.Offer, error) {
	b, ses, o, err := tx.LockBooking(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	if !authz.Allowed(a, authz.BookingManage, authz.Resource{PersonID: b.PersonID, ProviderID: o.ProviderID, OrgID: b.EmployerID}) {
		return nil, nil, nil, domain.ErrBookingNotFound
	}
	return b, ses, o, nil
}

// RecordAttendance records a participant's attendance on days of the
// session (every day when days is empty); status is present, absent or
// excused. The staff of the offer's provider record it. When the
// participant was present on every day, the booking is completed, its
// voucher redeemed and its certificate issued, in the same transaction.
// The booking is read under the session's lock, so concurrent posts
// complete it once; a repeated post answers with the completed booking.
func (s *Service) RecordAttendance(ctx context.Context, id int64, days []int, status string) (b *domain.Booking, err error) {
	defer domain.Wrap(&err, "booking.RecordAttendance(%d)", id)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		var ses *domain.Session
		var o *domain.Offer
		var err error
		if b, ses, o, err = lockAttendee(ctx, tx, a, id); err != nil {
			return err
		}
		if !authz.Allowed(a, authz.AttendanceRecord, authz.Resource{ProviderID: o.ProviderID}) {
			return domain.ErrAttendanceForbidden
		}
		if status != domain.AttendPresent && status != domain.AttendAbsent && status != domain.AttendExcused {
			return domain.ErrAttendanceStatus
		}
		return s.record(ctx, tx, b, ses, o, days, status)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// record writes the attendance of one booking read under the session's
// lock and completes the booking when the participant was present on every
// day. It updates b.
func (s *Service) record(ctx context.Context, tx *store.Tx, b *domain.Booking, ses *domain.Session, o *domain.Offer, days []int, status string) error {
	if err := domain.CanRecordAttendance(b.Status); err != nil {
		return err
	}
	days, err := domain.AttendanceDays(days, ses, tx.Now())
	if err != nil {
		return err
	}
	for _, d := range days {
		if err := tx.SetAttendance(ctx, b.ID, d, status); err != nil {
			return err
		}
	}
	if err := tx.Audit(ctx, o.ProviderID, "attendance.record", "booking", b.ID, map[string]any{"days": days, "status": status}); err != nil {
		return err
	}
	present, err := tx.PresentDays(ctx, b.ID, ses.Days)
	if err != nil || present < ses.Days || b.Status == domain.BookingCompleted {
		return err
	}
	if ok, err := tx.CompleteBooking(ctx, b.ID); err != nil || !ok {
		return err
	}
	b.Status = domain.BookingCompleted
	if b.VoucherCode != "" {
		if _, err := tx.RedeemBookingVoucher(ctx, b.VoucherCode, o.ProviderID); err != nil {
			return err
		}
	}
	c, err := s.certify.Issue(ctx, tx, b, o, ses)
	if err != nil {
		return err
	}
	data := map[string]any{"Name": b.ParticipantName, "Title": o.Title, "Provider": o.ProviderName, "ID": c.ID}
	if err := s.notify.Enqueue(ctx, tx, b.ParticipantEmail, "certificate-issued", data); err != nil {
		return err
	}
	if s.completed != nil {
		if err := s.completed(ctx, tx, b); err != nil {
			return err
		}
	}
	return tx.Audit(ctx, o.ProviderID, "booking.complete", "booking", b.ID, nil)
}

// ImportAttendance records a session's attendance from CSV lines
// "email;day;status" or, as the export writes them, "email;name;day;status"
// (day a number, "alle" or empty for every day; status anwesend, abwesend,
// entschuldigt or present, absent, excused; lines with an empty status are
// skipped). Every line is checked before anything is recorded, and all of
// it is recorded in one transaction. It returns the number of lines
// recorded.
func (s *Service) ImportAttendance(ctx context.Context, sessionID int64, body io.Reader) (n int, err error) {
	defer domain.Wrap(&err, "booking.ImportAttendance(%d)", sessionID)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return 0, domain.ErrUnauthorized
	}
	data, err := io.ReadAll(io.LimitReader(body, 1<<20))
	if err != nil {
		return 0, domain.Errorf(domain.EBadRequest, "Die CSV-Datei ließ sich nicht lesen.")
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		ses, o, err := tx.LockSession(ctx, sessionID)
		if domain.ErrorCode(err) == domain.ENotFound {
			return domain.ErrSessionNotFound
		} else if err != nil {
			return err
		}
		if !authz.Allowed(a, authz.AttendanceRecord, authz.Resource{ProviderID: o.ProviderID}) {
			return domain.ErrAttendanceForbidden
		}
		rows, err := readAttendanceCSV(data)
		if err != nil {
			return err
		}
		// Only the bookings the upload names are read (issue 14).
		bookings, err := tx.AttendeesByEmail(ctx, sessionID, attendanceEmails(rows))
		if err != nil {
			return err
		}
		entries, err := parseAttendanceRows(rows, bookings)
		if err != nil {
			return err
		}
		for _, en := range entries {
			if err := s.record(ctx, tx, en.booking, ses, o, en.days, en.status); err != nil {
				return err
			}
		}
		n = len(entries)
		return nil
	})
	return n, err
}

// MayRecordAttendance tells whether the actor may record the attendance of
// a session, before an upload is read.
func (s *Service) MayRecordAttendance(ctx context.Context, sessionID int64) (err error) {
	defer domain.Wrap(&err, "booking.MayRecordAttendance(%d)", sessionID)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return domain.ErrUnauthorized
	}
	_, provider, _, err := s.db.SessionProvider(ctx, sessionID)
	if err != nil {
		return err
	}
	if !authz.Allowed(a, authz.AttendanceRecord, authz.Resource{ProviderID: provider}) {
		return domain.ErrAttendanceForbidden
	}
	return nil
}

type attendanceEntry struct {
	booking *domain.Booking
	days    []int
	status  string
}

// readAttendanceCSV reads the lines of an attendance CSV.
func readAttendanceCSV(data []byte) ([][]string, error) {
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff")))
	cr.Comma, cr.FieldsPerRecord, cr.TrimLeadingSpace = ';', -1, true
	rows, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, domain.Errorf(domain.EInvalid, "Die CSV-Datei ist fehlerhaft (Zeile %d).", pe.Line)
		}
		return nil, domain.Errorf(domain.EInvalid, "Die CSV-Datei ist fehlerhaft.")
	}
	return rows, nil
}

// attendanceEmails are the distinct addresses (normalised) of the lines
// of an attendance CSV, up to the first line parseAttendanceRows refuses
// for its columns (the lines after it are never looked at).
func attendanceEmails(rows [][]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, row := range rows {
		var email string
		switch len(row) {
		case 3, 4:
			email = domain.NormalizeEmail(unsafeCell(row[0]))
		default:
			return out
		}
		if !seen[email] {
			seen[email] = true
			out = append(out, email)
		}
	}
	return out
}

// parseAttendanceRows checks every line of an attendance CSV, in order,
// against the session's confirmed or completed bookings among bookings
// (those of the lines' addresses suffice); the first line in error is
// reported.
func parseAttendanceRows(rows [][]string, bookings []domain.Booking) ([]attendanceEntry, error) {
	byEmail := map[string]*domain.Booking{}
	for i := range bookings {
		if b := &bookings[i]; b.Status == domain.BookingConfirmed || b.Status == domain.BookingCompleted {
			byEmail[b.ParticipantEmail] = b
		}
	}
	var out []attendanceEntry
	for i, row := range rows {
		for j := range row {
			row[j] = unsafeCell(row[j])
		}
		var email, day, status string
		switch len(row) {
		case 3:
			email, day, status = row[0], row[1], row[2]
		case 4:
			email, day, status = row[0], row[2], row[3]
		default:
			return nil, domain.Errorf(domain.EInvalid, "Zeile %d: Erwartet sind die Spalten E-Mail-Adresse;Tag;Status.", i+1)
		}
		email = domain.NormalizeEmail(email)
		if i == 0 && (email == "email" || email == "e-mail" || email == "e-mail-adresse") {
			continue
		}
		if strings.TrimSpace(status) == "" && len(row) == 4 {
			continue
		}
		b, ok := byEmail[email]
		if !ok {
			return nil, domain.Errorf(domain.EInvalid, "Zeile %d: %s hat keine bestätigte Buchung für diesen Termin.", i+1, email)
		}
		st, ok := domain.ParseAttendanceStatus(status)
		if !ok {
			return nil, domain.Errorf(domain.EInvalid, "Zeile %d: Status „%s“ ist unbekannt (anwesend, abwesend, entschuldigt).", i+1, status)
		}
		var days []int
		if d := strings.ToLower(strings.TrimSpace(day)); d != "alle" && d != "" {
			n, err := strconv.Atoi(d)
			if err != nil || n < 1 {
				return nil, domain.Errorf(domain.EInvalid, "Zeile %d: Tag „%s“ ist keine Zahl.", i+1, day)
			}
			days = []int{n}
		}
		out = append(out, attendanceEntry{b, days, st})
	}
	return out, nil
}

// unsafeCell undoes csvx.Safe: the apostrophe it puts before a cell a
// spreadsheet would evaluate is not part of the value.
func unsafeCell(c string) string {
	if len(c) > 1 && c[0] == '\'' && csvx.Safe(c[1:]) == c {
		return c[1:]
	}
	return c
}

// ParticipantsPageSize is the number of bookings the provider's
// participant list shows at once.
const ParticipantsPageSize = 50

// ParticipantsPage is a page of the provider's list of a session's
// participants with their attendance per day: up to limit bookings
// (ParticipantsPageSize when 0, at most domain.MaxPage) after the booking
// after (0: from the first), in booking order, and where the next page
// starts (0: none).
func (s *Service) ParticipantsPage(ctx context.Context, sessionID, after int64, limit int) (p *domain.Participants, next int64, err error) {
	defer domain.Wrap(&err, "booking.ParticipantsPage(%d)", sessionID)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, 0, domain.ErrUnauthorized
	}
	offers, _, err := s.db.Offers(ctx, store.OfferFilter{SessionIDs: []int64{sessionID}})
	if err != nil {
		return nil, 0, err
	}
	if len(offers) == 0 {
		return nil, 0, domain.ErrSessionNotFound
	}
	p = &domain.Participants{Offer: &offers[0]}
	if !authz.Allowed(a, authz.AttendanceRecord, authz.Resource{ProviderID: p.Offer.ProviderID}) {
		return nil, 0, domain.ErrParticipantsOnly
	}
	for _, ses := range p.Offer.Sessions {
		if ses.ID == sessionID {
			p.Session = ses
		}
	}
	if limit <= 0 || limit > domain.MaxPage {
		limit = ParticipantsPageSize
	}
	if next, err = s.participants(ctx, p, sessionID, after, limit); err != nil {
		return nil, 0, err
	}
	return p, next, nil
}

// participants reads a page of the session's bookings with their
// attendance into p.
func (s *Service) participants(ctx context.Context, p *domain.Participants, sessionID, after int64, limit int) (next int64, err error) {
	// One more than a page tells whether more follow.
	if p.Bookings, err = s.db.SessionBookingsPage(ctx, sessionID, after, limit+1); err != nil {
		return 0, err
	}
	if len(p.Bookings) > limit {
		p.Bookings = p.Bookings[:limit]
		next = p.Bookings[limit-1].ID
	}
	ids := make([]int64, len(p.Bookings))
	for i, b := range p.Bookings {
		ids[i] = b.ID
	}
	if p.Marks, err = s.db.BookingsAttendance(ctx, ids); err != nil {
		return 0, err
	}
	for _, b := range p.Bookings {
		if p.Marks[b.ID] == nil {
			p.Marks[b.ID] = map[int]string{}
		}
	}
	return next, nil
}

// ExportAttendance writes a session's participant list with their
// attendance as CSV for German spreadsheets, one line per confirmed
// participant and day, in the form ImportAttendance reads back, reading
// the bookings a page at a time. Names and addresses are the
// participants' own input: csvx neutralises cells a spreadsheet would run
// as formulas. The permission is asked before the first byte.
func (s *Service) ExportAttendance(ctx context.Context, sessionID int64, w io.Writer) (err error) {
	defer domain.Wrap(&err, "booking.ExportAttendance(%d)", sessionID)
	p, next, err := s.ParticipantsPage(ctx, sessionID, 0, domain.MaxPage)
	if err != nil {
		return err
	}
	cw := csvx.NewWriter(w)
	if err := cw.Write("E-Mail", "Name", "Tag", "Status"); err != nil {
		return err
	}
	for {
		for _, b := range p.Bookings {
			if b.Status != domain.BookingConfirmed && b.Status != domain.BookingCompleted {
				continue
			}
			for _, d := range p.Days() {
				if err := cw.Write(b.ParticipantEmail, b.ParticipantName, strconv.Itoa(d), domain.AttendanceLabel(p.Marks[b.ID][d])); err != nil {
					return err
				}
			}
		}
		if err := cw.Flush(); err != nil {
			return err
		}
		if next == 0 {
			return nil
		}
		if next, err = s.participants(ctx, p, sessionID, next, domain.MaxPage); err != nil {
			return err
		}
	}
}

// ExportName is the file name of a session's attendance export.
func ExportName(sessionID int64) string { return fmt.Sprintf("anwesenheit-termin-%d.csv", sessionID) }
