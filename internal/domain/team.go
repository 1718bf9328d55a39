package domain

import "time"

// TeamRow is one line of a municipality's team overview: a member or
// participant of the municipality, with one of their bookings (or none).
type TeamRow struct {
	PersonID int64 `json:"person_id,omitempty"`
	// Member says whether the person is a member of the municipality; the
	// others are participants it pays for or gave a voucher to.
	Member     bool   `json:"member"`
	Name       string `json:"name"`
	Email      string `json:"email"`
	BookingID  int64  `json:"booking_id,omitempty"`
	OfferID    int64  `json:"offer_id,omitempty"`
	OfferTitle string `json:"offer_title,omitempty"`
	// SessionStart is the start of the booked session.
	SessionStart *time.Time    `json:"session_start,omitempty"`
	Status       BookingStatus `json:"status,omitempty"`
	// DeclineReason is set when HR declined the booking.
	DeclineReason string `json:"decline_reason,omitempty"`
	// Voucher is the code of the voucher the booking was made with (in its
	// display form), VoucherTrack its track.
	Voucher      string       `json:"voucher,omitempty"`
	VoucherTrack string       `json:"voucher_track,omitempty"`
	VoucherState VoucherState `json:"voucher_state,omitempty"`
	// CertificateID is the certificate of a completed booking.
	CertificateID string `json:"certificate_id,omitempty"`
	// Held are the unused vouchers handed to the person (not yet booked
	// with), in display form with their track.
	Held []HeldCode `json:"held_vouchers,omitempty"`
}

// HeldCode is a voucher a person holds and has not used yet.
type HeldCode struct {
	Code      string    `json:"code"`
	Track     string    `json:"track"`
	ExpiresAt time.Time `json:"expires_at"`
}

// StatusLabel is the German name of the row's booking status; empty when
// the person has no booking.
func (r *TeamRow) StatusLabel() string {
	if r.BookingID == 0 {
		return "keine Buchung"
	}
	b := Booking{Status: r.Status, DeclineReason: r.DeclineReason}
	return b.StatusLabel()
}

// TeamStatusNone is the team filter's status for people without a booking.
const TeamStatusNone = "none"

// TeamFilter narrows the team overview. Empty fields select everything.
type TeamFilter struct {
	OrgID int64
	// Name is a part of the person's name or address.
	Name string
	// Status is a booking status, or TeamStatusNone.
	Status string
	// OfferID selects the bookings of one offer.
	OfferID int64
	// OfferTitle selects the bookings of offers whose title contains it.
	OfferTitle string
	// Certificate selects rows with (true) or without (false) a
	// certificate.
	Certificate *bool
	// RoleProfileID selects the members assigned to one of the
	// municipality's role profiles (a profile of another organisation
	// selects nobody).
	RoleProfileID int64
}

// ValidTeamStatus reports whether s is a status the team filter knows.
func ValidTeamStatus(s string) bool {
	switch BookingStatus(s) {
	case "", BookingConfirmed, BookingWaitlisted, BookingAwaitingApproval, BookingCancelled, BookingCompleted:
		return true
	}
	return s == TeamStatusNone
}

// ErrTeamNotFound hides a municipality's team from those who may not see
// it.
var ErrTeamNotFound = &Error{Code: ENotFound, Message: "Diese Teamübersicht gibt es nicht."}
