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
	ID               int64  `json:"id"`
	SessionID        int64  `json:"session_id"`
	OfferID          int64  `json:"offer_id"`
	PersonID         int64  `json:"person_id,omitempty"`
	ParticipantName  string `json:"participant_name"`
	ParticipantEmail string `json:"participant_email"`
	Payment          string `json:"payment"`
	VoucherCode      string `json:"voucher,omitempty"`
	// VoucherState is the state of the voucher the booking was made with.
	VoucherState VoucherState `json:"voucher_state,omitempty"`
	EmployerID   int64        `json:"employer_id,omitempty"`
	Status       string       `json:"status"`
	CreatedAt    time.Time    `json:"created_at"`
	CancelledAt  *time.Time   `json:"cancelled_at,omitempty"`
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
	// ParticipantOrgs are the organisations the participant is a member
	// of (none without an account): a voucher is for members of its
	// municipality.
	ParticipantOrgs []int64
}

// Errors of the booking rules, safe to show.
var (
	ErrBookingNotFound = &Error{Code: ENotFound, Message: "Diese Buchung gibt es nicht."}
	ErrSessionNotFound = &Error{Code: ENotFound, Message: "Diesen Termin gibt es nicht."}
	ErrBookForOthers   = &Error{Code: EForbidden,
		Message: "Für andere buchen können nur die Personalabteilung einer Kommune für ihre eigenen Beschäftigten und der Bildungsträger für seine Termine."}
	ErrEmployerNotMember = &Error{Code: EInvalid, Message: "Eine Rechnung an den Arbeitgeber geht nur, wenn Sie Mitglied einer Kommune auf Lotse sind.",
		Fields: map[string]string{"payment": "Bitte wählen Sie Gutschein oder privat."}}
	ErrApproveOnlyHR       = &Error{Code: EForbidden, Message: "Buchungen auf Rechnung des Arbeitgebers gibt die Personalabteilung frei."}
	ErrParticipantsOnly    = &Error{Code: EForbidden, Message: "Die Teilnehmerliste sieht nur der Bildungsträger des Angebots."}
	ErrAlreadyCancelled    = &Error{Code: EConflict, Message: "Diese Buchung ist bereits storniert."}
	ErrCompletedNoCancel   = &Error{Code: EConflict, Message: "Eine abgeschlossene Teilnahme lässt sich nicht stornieren."}
	ErrNotAwaitingApproval = &Error{Code: EConflict, Message: "Diese Buchung wartet nicht auf eine Freigabe."}
	ErrAlreadyBooked       = &Error{Code: EConflict, Message: "Diese Person hat für diesen Termin bereits eine Buchung."}
	ErrCalendarNotFound    = &Error{Code: ENotFound, Message: "Diesen Kalender gibt es nicht."}
)

// ErrRegistrationClosed says that the registration deadline has passed.
func ErrRegistrationClosed(deadline time.Time) *Error {
	return Errorf(EConflict, "Die Anmeldung für diesen Termin ist geschlossen (Anmeldeschluss %s).", deadline.Format("02.01.2006"))
}

// BookingDetail is a booking with its offer and session, for lists.
type BookingDetail struct {
	Booking
	OfferTitle string  `json:"offer_title"`
	Provider   string  `json:"provider"`
	ProviderID int64   `json:"provider_id"`
	Session    Session `json:"session"`
	// CertificateID is set once the booking is completed.
	CertificateID string `json:"certificate_id,omitempty"`
}

// BookingFilter selects bookings: those of a person (by account or
// address), of providers' sessions, or billed to employers; a booking
// matching any of them is selected.
type BookingFilter struct {
	PersonID    int64
	Email       string
	ProviderIDs []int64
	EmployerIDs []int64
	None        bool // selects nothing (nobody logged in)
}

// BookingActive reports whether a booking with status holds or waits for a place;
// a person has at most one active booking per session.
func BookingActive(status string) bool { return status != BookingCancelled }

// PlaceStatus decides whether a new or approved booking gets a place or
// joins the waiting list, from the places counted under the session's lock:
// nobody overtakes the waiting list.
func PlaceStatus(capacity, confirmed, waiting int) string {
	if confirmed >= capacity || waiting > 0 {
		return BookingWaitlisted
	}
	return BookingConfirmed
}

// CanCancel returns why a booking with status cannot be cancelled, or nil.
func CanCancel(status string) error {
	switch status {
	case BookingCancelled:
		return ErrAlreadyCancelled
	case BookingCompleted:
		return ErrCompletedNoCancel
	}
	return nil
}

// CancellationReleasesVoucher decides who frees a reserved voucher on
// cancellation: anyone before the registration deadline; after it the
// offer's cancellation rule applies and only the provider's staff, before
// the start, release it by cancelling. Otherwise the voucher stays
// reserved until the provider or funder releases or forfeits it.
func CancellationReleasesVoucher(now time.Time, s *Session, byProvider bool) bool {
	return now.Before(s.RegistrationDeadline) || (byProvider && now.Before(s.StartsAt))
}
