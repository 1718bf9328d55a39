package domain

import (
	"strconv"
	"strings"
)

// The team overview is read a page at a time (issue 14): first the
// municipality's members in the order they joined, each with their
// bookings in booking order (or one row without a booking), then the
// bookings of other people it pays for or gave a voucher to, in booking
// order. A TeamCursor is the key of the row a page ended with.

// TeamCursor is where a page of the team overview continues: after the
// booking BookingID (0: the row without a booking) of the member
// PersonID, or, with PersonID 0, after the booking BookingID of the
// others. The zero value is the start.
type TeamCursor struct {
	PersonID  int64
	BookingID int64
}

// IsZero reports whether c is the start of the list.
func (c TeamCursor) IsZero() bool { return c == TeamCursor{} }

// String is the cursor as the API's "next" and the page's parameter
// carry it: "person-booking"; "" for the start.
func (c TeamCursor) String() string {
	if c.IsZero() {
		return ""
	}
	return strconv.FormatInt(c.PersonID, 10) + "-" + strconv.FormatInt(c.BookingID, 10)
}

// ParseTeamCursor reads a cursor written by TeamCursor.String; "" is the
// start.
func ParseTeamCursor(s string) (TeamCursor, error) {
	if s == "" {
		return TeamCursor{}, nil
	}
	p, b, ok := strings.Cut(s, "-")
	person, err1 := strconv.ParseInt(p, 10, 64)
	booking, err2 := strconv.ParseInt(b, 10, 64)
	c := TeamCursor{PersonID: person, BookingID: booking}
	if !ok || err1 != nil || err2 != nil || person < 0 || booking < 0 || c.IsZero() {
		return TeamCursor{}, Errorf(EBadRequest, "„cursor“ muss der Wert „next“ einer vorigen Antwort sein.")
	}
	return c, nil
}

// Key is the cursor of the row: where a page that ends with it continues.
func (r *TeamRow) Key() TeamCursor {
	if r.Member {
		return TeamCursor{PersonID: r.PersonID, BookingID: r.BookingID}
	}
	return TeamCursor{BookingID: r.BookingID}
}

// TeamCountLimit is the most rows the team overview counts for its total:
// counting the rows of a municipality of 87,000 people would cost more
// than the page.
const TeamCountLimit = 10_000

// TeamFilteredCountLimit is the most rows the total counts when a name,
// a status, an offer, a part of a title or a certificate filters the
// overview. A status, offer, title or certificate filter is checked row by
// row along the members, and one that leaves one row in twenty read
// 200,000 rows of the largest municipality to count 10,000 (0.3-1 s). A
// name is read along its members' keys, but a common one ("m", "schmidt")
// has thousands of members with five bookings each in the largest
// municipality, and counting them to 10,000 was most of the request.
// Whoever filters wants few rows: beyond 1,000 they narrow the filter.
const TeamFilteredCountLimit = 1_000

// TeamCountLimitFor is the most rows the total of f counts.
func TeamCountLimitFor(f TeamFilter) int {
	if f.Name != "" || f.Status != "" || f.OfferID != 0 || f.OfferTitle != "" || f.Certificate != nil {
		return TeamFilteredCountLimit
	}
	return TeamCountLimit
}
