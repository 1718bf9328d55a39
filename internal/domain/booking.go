package domain

import "time"

// Booking statuses.
const (
	BookingConfirmed        = "confirmed"
	BookingWaitlisted       = "waitlisted"
	BookingAwaitingApproval = "awaiting_approval"
	BookingCancelled        = "cancelled"
	BookingCompleted        = "completed" // present on every day of the session
)

// Attendance statuses of a session day.
const (
	AttendPresent = "present"
	AttendAbsent  = "absent"
	AttendExcused = "excused"
)

// Payment ways of a booking.
const (
	PayVoucher  = "voucher"
	PayEmployer = "employer"
	PayPrivate  = "private"
)

// Booking is a person's place (or waiting-list place) in a session.
type Booking struct {
	ID               int64      `json:"id"`
	SessionID        int64      `json:"session_id"`
	OfferID          int64      `json:"offer_id"`
	PersonID         int64      `json:"person_id,omitempty"`
	ParticipantName  string     `json:"participant_name"`
	ParticipantEmail string     `json:"participant_email"`
	Payment          string     `json:"payment"`
	VoucherCode      string     `json:"voucher,omitempty"`
	EmployerID       int64      `json:"employer_id,omitempty"`
	Status           string     `json:"status"`
	CreatedAt        time.Time  `json:"created_at"`
	CancelledAt      *time.Time `json:"cancelled_at,omitempty"`
}

// BookingInput is a request for a place.
type BookingInput struct {
	SessionID        int64
	PersonID         int64 // the participant's account, if any
	ParticipantName  string
	ParticipantEmail string
	Payment          string
	Voucher          string // the code as typed
	EmployerID       int64  // the municipality paying by invoice
	NeedsApproval    bool   // the employer requires HR approval
	IdempotencyKey   string
}

// Errors of the booking rules, safe to show.
var (
	ErrBookingNotFound = &Error{Code: ENotFound, Message: "Diese Buchung gibt es nicht."}
	ErrSessionNotFound = &Error{Code: ENotFound, Message: "Diesen Termin gibt es nicht."}
)
