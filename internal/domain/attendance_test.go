package domain

import (
	"slices"
	"testing"
	"time"
)

func TestAttendanceDays(t *testing.T) {
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	s := &Session{StartsAt: start, Days: 3}
	cases := []struct {
		name string
		days []int
		now  time.Time
		want []int
		code string
	}{
		{"every day after the session", nil, start.Add(72 * time.Hour), []int{1, 2, 3}, ""},
		{"day two on day two", []int{2}, start.Add(25 * time.Hour), []int{2}, ""},
		{"day three on day two", []int{3}, start.Add(25 * time.Hour), nil, EConflict},
		{"every day on day one", nil, start.Add(time.Hour), nil, EConflict},
		{"day four of three", []int{4}, start.Add(100 * time.Hour), nil, EInvalid},
		{"day zero", []int{0}, start.Add(100 * time.Hour), nil, EInvalid},
	}
	for _, c := range cases {
		got, err := AttendanceDays(c.days, s, c.now)
		if c.code != "" {
			if ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: %v %v, want %v", c.name, got, err, c.want)
		}
	}
}

func TestParseAttendanceStatus(t *testing.T) {
	for in, want := range map[string]string{"anwesend": AttendPresent, " Abwesend ": AttendAbsent, "ENTSCHULDIGT": AttendExcused,
		"present": AttendPresent, "excused": AttendExcused} {
		if got, ok := ParseAttendanceStatus(in); !ok || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "vielleicht", "=1+1"} {
		if _, ok := ParseAttendanceStatus(in); ok {
			t.Errorf("%q accepted", in)
		}
	}
	for _, st := range []string{AttendPresent, AttendAbsent, AttendExcused} {
		if back, _ := ParseAttendanceStatus(AttendanceLabel(st)); back != st {
			t.Errorf("label of %s does not read back", st)
		}
	}
}

func TestAttendanceOnlyForConfirmedBookings(t *testing.T) {
	for st, ok := range map[BookingStatus]bool{BookingConfirmed: true, BookingCompleted: true, BookingWaitlisted: false,
		BookingAwaitingApproval: false, BookingCancelled: false} {
		if err := CanRecordAttendance(st); (err == nil) != ok {
			t.Errorf("%s: %v", st, err)
		}
	}
}

func TestValidateRating(t *testing.T) {
	if err := ValidateRating(5, "Gut."); err != nil {
		t.Error(err)
	}
	for _, c := range []struct {
		stars   int
		comment string
		field   string
	}{{0, "", "stars"}, {6, "", "stars"}, {3, string(make([]rune, 2001)), "comment"}} {
		if f := ErrorFields(ValidateRating(c.stars, c.comment)); f[c.field] == "" {
			t.Errorf("%d stars, %d characters: no message for %s", c.stars, len([]rune(c.comment)), c.field)
		}
	}
}
