package booking_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestAttendanceUploadReadsOnlyTheNamedBookings: of a session with many
// bookings, an upload records exactly the lines it names (addresses in
// any case, the header skipped); a line in error is reported with the
// same message as before, the first one in the file's order, and nothing
// of the upload is recorded. The look-up by address finds exactly the
// named confirmed bookings, also beyond one batch of addresses.
func TestAttendanceUploadReadsOnlyTheNamedBookings(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newAttendanceEnv(t, db, 12, 0)
		var bs []*domain.Booking
		for i := range 13 { // the 13th waits
			bs = append(bs, e.book(t, fmt.Sprintf("Person %d", i), fmt.Sprintf("p%d@futurehausen.example", i), ""))
		}
		if bs[12].Status != domain.BookingWaitlisted {
			t.Fatalf("the 13th booking is %s", bs[12].Status)
		}
		e.afterTheSession(t)
		marks := func() map[int64]map[int]string {
			t.Helper()
			ids := make([]int64, len(bs))
			for i, b := range bs {
				ids[i] = b.ID
			}
			m, err := db.BookingsAttendance(context.Background(), ids)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		upload := func(lines ...string) (int, error) {
			return e.app.Booking.ImportAttendance(e.staff, e.session.ID, strings.NewReader(strings.Join(lines, "\r\n")))
		}
		for _, c := range []struct {
			name  string
			lines []string
			want  string
		}{
			{"a waiting participant after a good line",
				[]string{"p1@futurehausen.example;1;anwesend", "P12@futurehausen.example;1;anwesend"},
				"Zeile 2: p12@futurehausen.example hat keine bestätigte Buchung für diesen Termin."},
			{"somebody without a booking before a broken line",
				[]string{"p1@futurehausen.example;1;anwesend", "niemand@example.org;1;anwesend", "kaputt"},
				"Zeile 2: niemand@example.org hat keine bestätigte Buchung für diesen Termin."},
			{"an unknown status",
				[]string{"p1@futurehausen.example;1;anwesend", "p2@futurehausen.example;1;vielleicht"},
				"Zeile 2: Status „vielleicht“ ist unbekannt (anwesend, abwesend, entschuldigt)."},
			{"a broken line",
				[]string{"p1@futurehausen.example;1;anwesend", "kaputt"},
				"Zeile 2: Erwartet sind die Spalten E-Mail-Adresse;Tag;Status."},
		} {
			n, err := upload(c.lines...)
			if domain.ErrorCode(err) != domain.EInvalid || domain.ErrorMessage(err) != c.want || n != 0 {
				t.Errorf("%s: %d, %v; want %q", c.name, n, err, c.want)
			}
		}
		for id, m := range marks() {
			if len(m) > 0 {
				t.Fatalf("a refused upload recorded booking %d's attendance: %v", id, m)
			}
		}
		n, err := upload("E-Mail;Tag;Status", "P3@Futurehausen.example;alle;anwesend", "p7@futurehausen.example;2;abwesend")
		if err != nil || n != 2 {
			t.Fatalf("upload: %d, %v", n, err)
		}
		m := marks()
		for i, b := range bs {
			switch {
			case i == 3 && len(m[b.ID]) != e.session.Days:
				t.Errorf("p3: %v, want every day", m[b.ID])
			case i == 7 && (len(m[b.ID]) != 1 || m[b.ID][2] != domain.AttendAbsent):
				t.Errorf("p7: %v, want absent on day 2", m[b.ID])
			case i != 3 && i != 7 && len(m[b.ID]) != 0:
				t.Errorf("p%d, not named, has %v", i, m[b.ID])
			}
		}
		if got, _ := db.Booking(e.ctx, bs[3].ID); got.Status != domain.BookingCompleted {
			t.Errorf("p3 present on every day: %s", got.Status)
		}

		// The look-up by address: 3 of 1,200 addresses have a confirmed
		// or completed booking (the waiting one does not count).
		var emails []string
		for i := range 1200 {
			emails = append(emails, fmt.Sprintf("x%d@example.org", i))
		}
		emails[5], emails[600], emails[1199], emails[700] = "p3@futurehausen.example", "p0@futurehausen.example", "p11@futurehausen.example", "p12@futurehausen.example"
		var found []domain.Booking
		if err := db.Transact(context.Background(), func(tx *store.Tx) (err error) {
			found, err = tx.AttendeesByEmail(context.Background(), e.session.ID, emails)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		got := map[int64]bool{}
		for _, b := range found {
			got[b.ID] = true
		}
		if len(found) != 3 || !got[bs[0].ID] || !got[bs[3].ID] || !got[bs[11].ID] {
			t.Errorf("looked up %d bookings %v, want p0, p3 and p11", len(found), got)
		}
	})
}
