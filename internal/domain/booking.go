package domain

import (
	"slices"
	"time"
)

// BookingStatus is where a booking is: it holds a place, waits for one or
// for HR, or has ended.
type BookingStatus string

// Booking statuses.
const (
	BookingConfirmed        BookingStatus = "confirmed"
	BookingWaitlisted       BookingStatus = "waitlisted"
	BookingAwaitingApproval BookingStatus = "awaiting_approval"
	BookingCancelled        BookingStatus = "cancelled"
	BookingCompleted        BookingStatus = "completed" // present on every day of the session
)

// bookingTransitions lists the allowed changes of a booking's status.
var bookingTransitions = map[BookingStatus][]BookingStatus{
	// HR approves: a free place or the waiting list.
	BookingAwaitingApproval: {BookingConfirmed, BookingWaitlisted, BookingCancelled},
	// A freed place moves the first on the waiting list up.
	BookingWaitlisted: {BookingConfirmed, BookingCancelled},
	// Present on every day completes the booking.
	BookingConfirmed: {BookingCompleted, BookingCancelled},
}

// CanTransition reports whether a booking with status s may change to to.
func (s BookingStatus) CanTransition(to BookingStatus) bool {
	return slices.Contains(bookingTransitions[s], to)
}

// Active reports whether a booking with status s holds or waits for a
// place; a person has at most one active booking per session (a completed
// booking's session is over).
func (s BookingStatus) Active() bool {
	return s == BookingConfirmed || s == BookingWaitlisted || s == BookingAwaitingApproval
}

// Label is the German name of the status.
func (s BookingStatus) Label() string {
	switch s {
	case BookingConfirmed:
		return "bestätigt"
	case BookingWaitlisted:
		return "auf der Warteliste"
	case BookingAwaitingApproval:
		return "wartet auf Freigabe der Personalabteilung"
	case BookingCancelled:
		return "storniert"
	case BookingCompleted:
		return "abgeschlossen"
	}
	return string(s)
}

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
	VoucherState VoucherState  `json:"voucher_state,omitempty"`
	EmployerID   int64         `json:"employer_id,omitempty"`
	Status       BookingStatus `json:"status"`
	CreatedAt    time.Time     `json:"created_at"`
	CancelledAt  *time.Time    `json:"cancelled_at,omitempty"`
	// DeclineReason is HR's reason when it declined the booking (which is
	// then cancelled); ApprovalNote its optional note on approval.
	DeclineReason string `json:"decline_reason,omitempty"`
	ApprovalNote  string `json:"approval_note,omitempty"`
}

// Declined reports whether HR declined the booking.
func (b *Booking) Declined() bool { return b.Status == BookingCancelled && b.DeclineReason != "" }

// StatusLabel is the German name of the booking's status, telling a
// booking HR declined from one cancelled otherwise.
func (b *Booking) StatusLabel() string {
	if b.Declined() {
		return "von der Personalabteilung abgelehnt"
	}
	return b.Status.Label()
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
	ErrDeclineReason       = &Error{Code: EInvalid, Message: "Bitte geben Sie einen Grund für die Ablehnung an.",
		Fields: map[string]string{"reason": "Bitte geben Sie einen Grund für die Ablehnung an."}}
	ErrDeclineReasonLong = &Error{Code: EInvalid, Message: "Der Grund darf höchstens 1000 Zeichen lang sein.",
		Fields: map[string]string{"reason": "Der Grund darf höchstens 1000 Zeichen lang sein."}}
	ErrApprovalNoteLong = &Error{Code: EInvalid, Message: "Die Notiz darf höchstens 1000 Zeichen lang sein.",
		Fields: map[string]string{"note": "Die Notiz darf höchstens 1000 Zeichen lang sein."}}
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
	// PriceCents is the offer's price, what an employer invoice bills.
	PriceCents int64 `json:"price_cents"`
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
	// Status, when set, narrows the selection to bookings in that status.
	Status BookingStatus
	// Limit, when set, returns at most that many bookings (a page), and
	// After the ones following the booking with that ID in the list's
	// order (keyset paging).
	Limit int
	After int64
}

// PlaceStatus decides whether a new or approved booking gets a place or
// joins the waiting list, from the places counted under the session's lock:
// nobody overtakes the waiting list.
func PlaceStatus(capacity, confirmed, waiting int) BookingStatus {
	if confirmed >= capacity || waiting > 0 {
		return BookingWaitlisted
	}
	return BookingConfirmed
}

// CanCancel returns why a booking with status cannot be cancelled, or nil.
func CanCancel(status BookingStatus) error {
	switch {
	case status == BookingCancelled:
		return ErrAlreadyCancelled
	case status == BookingCompleted:
		return ErrCompletedNoCancel
	case !status.CanTransition(BookingCancelled):
		return Errorf(EConflict, "Eine Buchung mit dem Status „%s“ lässt sich nicht stornieren.", status.Label())
	}
	return nil
}

// CanApprove returns why a booking with status cannot be approved, or nil.
func CanApprove(status BookingStatus) error {
	if status != BookingAwaitingApproval {
		return ErrNotAwaitingApproval
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
