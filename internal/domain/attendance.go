package domain

import (
	"fmt"
	"strings"
	"time"
)

// attendanceWords maps what a provider may write for an attendance status,
// in German or English, to the status.
var attendanceWords = map[string]string{
	"anwesend": AttendPresent, "abwesend": AttendAbsent, "entschuldigt": AttendExcused,
	AttendPresent: AttendPresent, AttendAbsent: AttendAbsent, AttendExcused: AttendExcused,
}

// ParseAttendanceStatus reads an attendance status as a provider writes it
// (anwesend, abwesend, entschuldigt or present, absent, excused).
func ParseAttendanceStatus(s string) (string, bool) {
	st, ok := attendanceWords[strings.ToLower(strings.TrimSpace(s))]
	return st, ok
}

// AttendanceLabel is the German word for an attendance status.
func AttendanceLabel(status string) string {
	switch status {
	case AttendPresent:
		return "anwesend"
	case AttendAbsent:
		return "abwesend"
	case AttendExcused:
		return "entschuldigt"
	}
	return ""
}

// AttendanceDays returns the days to record: the given ones, or every day of
// a session of n days when none are given. Days outside the session and days
// that have not begun at now are refused.
func AttendanceDays(days []int, s *Session, now time.Time) ([]int, error) {
	if len(days) == 0 {
		for d := 1; d <= s.Days; d++ {
			days = append(days, d)
		}
	}
	for _, d := range days {
		if d < 1 || d > s.Days {
			return nil, &Error{Code: EInvalid, Message: "Diesen Schulungstag gibt es nicht.",
				Fields: map[string]string{"day": fmt.Sprintf("Der Termin hat die Tage 1 bis %d.", s.Days)}}
		}
		if now.Before(s.StartsAt.Add(time.Duration(d-1) * 24 * time.Hour)) {
			return nil, Errorf(EConflict, "Tag %d des Termins hat noch nicht begonnen; Anwesenheit lässt sich erst dann erfassen.", d)
		}
	}
	return days, nil
}

// CanRecordAttendance reports whether attendance may be recorded for a
// booking in status: only for confirmed (and completed) bookings.
func CanRecordAttendance(status BookingStatus) error {
	if status != BookingConfirmed && status != BookingCompleted {
		return Errorf(EConflict, "Anwesenheit lässt sich nur für bestätigte Buchungen erfassen (Status: %s).", status)
	}
	return nil
}

// Errors of attendance and ratings.
var (
	ErrAttendanceStatus = &Error{Code: EInvalid, Message: "Die Anwesenheit ist „present“, „absent“ oder „excused“.",
		Fields: map[string]string{"status": "Bitte wählen Sie anwesend, abwesend oder entschuldigt."}}
	ErrAttendanceForbidden = &Error{Code: EForbidden, Message: "Die Anwesenheit erfasst der Bildungsträger des Angebots."}
	ErrRatingForbidden     = &Error{Code: EForbidden, Message: "Bewerten kann nur die Person, die teilgenommen hat."}
	ErrRatingNotCompleted  = &Error{Code: EConflict, Message: "Bewerten können Sie ein Angebot, nachdem Sie es abgeschlossen haben."}
	ErrRatedAlready        = &Error{Code: EConflict, Message: "Sie haben dieses Angebot bereits bewertet."}
)

// ValidateRating checks a rating: 1 to 5 stars, a comment of at most 2,000
// characters.
func ValidateRating(stars int, comment string) error {
	v := Validation{}
	if stars < 1 || stars > 5 {
		v.Add("stars", "Bitte vergeben Sie 1 bis 5 Sterne.")
	}
	if len([]rune(comment)) > 2000 {
		v.Add("comment", "Der Kommentar darf höchstens 2.000 Zeichen lang sein.")
	}
	return v.Err()
}

// Participants is a session's participant list with attendance per day,
// as the provider sees it.
type Participants struct {
	Offer    *Offer
	Session  Session
	Bookings []Booking
	// Marks holds the recorded status per booking and day.
	Marks map[int64]map[int]string
}

// Days returns the session's days, 1 to n.
func (p *Participants) Days() []int {
	var out []int
	for d := 1; d <= p.Session.Days; d++ {
		out = append(out, d)
	}
	return out
}
