package domain

import "time"

// ProviderSession is a session as its provider's staff see it on their
// desk: the places taken, the waiting list, and whether attendance is due.
type ProviderSession struct {
	Session
	OfferTitle string `json:"offer_title"`
	ProviderID int64  `json:"provider_id"`
	Confirmed  int    `json:"confirmed"`
	Waiting    int    `json:"waitlisted"`
	Awaiting   int    `json:"awaiting_approval"`
}

// AttendanceDue reports whether the session has begun and still has
// confirmed participants whose attendance is not complete (a booking is
// completed once its attendance is recorded in full).
func (p ProviderSession) AttendanceDue(now time.Time) bool {
	return !now.Before(p.StartsAt) && p.Confirmed > 0
}
