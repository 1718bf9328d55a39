package domain

import (
	"testing"
	"time"
)

func TestBookingTransitions(t *testing.T) {
	all := []BookingStatus{BookingConfirmed, BookingWaitlisted, BookingAwaitingApproval, BookingCancelled, BookingCompleted}
	allowed := map[[2]BookingStatus]bool{
		{BookingAwaitingApproval, BookingConfirmed}:  true,
		{BookingAwaitingApproval, BookingWaitlisted}: true,
		{BookingAwaitingApproval, BookingCancelled}:  true,
		{BookingWaitlisted, BookingConfirmed}:        true,
		{BookingWaitlisted, BookingCancelled}:        true,
		{BookingConfirmed, BookingCompleted}:         true,
		{BookingConfirmed, BookingCancelled}:         true,
	}
	for _, from := range all {
		for _, to := range all {
			if got := from.CanTransition(to); got != allowed[[2]BookingStatus{from, to}] {
				t.Errorf("%s -> %s: %v", from, to, got)
			}
		}
	}
}

func TestBookingActiveAndCancel(t *testing.T) {
	tests := []struct {
		status    BookingStatus
		active    bool
		cancelErr *Error
	}{
		{BookingConfirmed, true, nil},
		{BookingWaitlisted, true, nil},
		{BookingAwaitingApproval, true, nil},
		{BookingCancelled, false, ErrAlreadyCancelled},
		{BookingCompleted, false, ErrCompletedNoCancel},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			if tt.status.Active() != tt.active {
				t.Errorf("Active() = %v", !tt.active)
			}
			err := CanCancel(tt.status)
			if (tt.cancelErr == nil) != (err == nil) || (tt.cancelErr != nil && err != tt.cancelErr) {
				t.Errorf("CanCancel = %v, want %v", err, tt.cancelErr)
			}
			if tt.status.Label() == string(tt.status) {
				t.Errorf("no German label for %s", tt.status)
			}
		})
	}
	if CanApprove(BookingAwaitingApproval) != nil || CanApprove(BookingConfirmed) != ErrNotAwaitingApproval {
		t.Error("CanApprove")
	}
}

func TestPlaceStatus(t *testing.T) {
	tests := []struct {
		name                         string
		capacity, confirmed, waiting int
		want                         BookingStatus
	}{
		{"free place", 2, 1, 0, BookingConfirmed},
		{"full", 2, 2, 0, BookingWaitlisted},
		{"over capacity stays full", 2, 3, 0, BookingWaitlisted},
		{"nobody overtakes the waiting list", 2, 1, 1, BookingWaitlisted},
		{"empty session", 1, 0, 0, BookingConfirmed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlaceStatus(tt.capacity, tt.confirmed, tt.waiting); got != tt.want {
				t.Errorf("PlaceStatus(%d, %d, %d) = %s, want %s", tt.capacity, tt.confirmed, tt.waiting, got, tt.want)
			}
		})
	}
}

func TestCancellationReleasesVoucher(t *testing.T) {
	start := time.Date(2027, 3, 10, 9, 0, 0, 0, time.UTC)
	s := &Session{StartsAt: start, RegistrationDeadline: start.Add(-7 * 24 * time.Hour)}
	tests := []struct {
		name       string
		now        time.Time
		byProvider bool
		want       bool
	}{
		{"before the deadline, participant", start.Add(-10 * 24 * time.Hour), false, true},
		{"before the deadline, provider", start.Add(-10 * 24 * time.Hour), true, true},
		{"after the deadline, participant", start.Add(-3 * 24 * time.Hour), false, false},
		{"after the deadline, provider", start.Add(-3 * 24 * time.Hour), true, true},
		{"after the start, provider", start.Add(time.Hour), true, false},
		{"after the start, participant", start.Add(time.Hour), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CancellationReleasesVoucher(tt.now, s, tt.byProvider); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
