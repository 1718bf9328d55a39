package domain

import (
	"strings"
	"time"
)

// VoucherSession is an upcoming session a voucher can book, as the holder's
// list shows it.
type VoucherSession struct {
	SessionID            int64     `json:"session_id"`
	OfferID              int64     `json:"offer_id"`
	OfferTitle           string    `json:"offer_title"`
	StartsAt             time.Time `json:"starts_at"`
	EndsAt               time.Time `json:"ends_at"`
	Online               bool      `json:"online"`
	Place                string    `json:"place,omitempty"`
	RegistrationDeadline time.Time `json:"registration_deadline"`
}

// HeldVoucher is a voucher as its holder sees it, with the sessions it can
// book.
type HeldVoucher struct {
	Voucher
	Sessions []VoucherSession `json:"sessions"`
}

// Errors of handing vouchers to people, safe to show.
var (
	ErrVoucherHeldByOther = voucherRefusal("Dieser Gutschein ist einer anderen Person zugeteilt.")
	ErrVoucherNotHanded   = voucherRefusal("Dieser Gutschein ist noch keiner Person zugeteilt. Bitte wenden Sie sich an die Personalabteilung Ihrer Kommune.")
	ErrVoucherNotHandable = &Error{Code: EConflict,
		Message: "Diesen Gutschein kann niemand mehr zugeteilt bekommen: Er ist bereits gebucht, eingelöst, abgelaufen oder widerrufen."}
	ErrVoucherHandForbidden = &Error{Code: EForbidden,
		Message: "Gutscheine teilen nur die Personalabteilung und die Zeichnungsberechtigten der Kommune zu."}
)

// HandingInput is a handing of a voucher as a form or the API gives it.
type HandingInput struct {
	Email  string
	Reason string
}

// Validate normalises the input; held tells whether the voucher has a
// holder now, since a change needs a reason.
func (h *HandingInput) Validate(held bool) error {
	h.Email = NormalizeEmail(h.Email)
	h.Reason = strings.TrimSpace(h.Reason)
	v := Validation{}
	if !ValidEmail(h.Email) {
		v.Add("email", "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@kommune.de.")
	}
	if held && h.Reason == "" {
		v.Add("reason", "Bitte geben Sie einen Grund an, warum der Gutschein einer anderen Person zugeteilt wird.")
	}
	if len([]rune(h.Reason)) > 500 {
		v.Add("reason", "Bitte kürzen Sie den Grund auf 500 Zeichen.")
	}
	return v.Err()
}

// FundingRequestStatus is where a funding request is.
type FundingRequestStatus string

// Funding request states.
const (
	RequestOpen        FundingRequestStatus = "open"
	RequestVoucher     FundingRequestStatus = "voucher"     // accepted: a voucher was handed to the requester
	RequestApplication FundingRequestStatus = "application" // accepted: an application is being prepared
	RequestDeclined    FundingRequestStatus = "declined"
)

// Label is the German name of a request's state.
func (s FundingRequestStatus) Label() string {
	switch s {
	case RequestOpen:
		return "offen"
	case RequestVoucher:
		return "angenommen: Gutschein zugeteilt"
	case RequestApplication:
		return "angenommen: Antrag wird gestellt"
	case RequestDeclined:
		return "abgelehnt"
	}
	return string(s)
}

// FundingRequest is a member's request to their municipality for funding.
type FundingRequest struct {
	ID          int64                `json:"id"`
	OrgID       int64                `json:"organisation_id"`
	OrgName     string               `json:"organisation_name"`
	PersonID    int64                `json:"person_id"`
	PersonName  string               `json:"person_name"`
	PersonEmail string               `json:"person_email"`
	ProgrammeID string               `json:"programme"`
	Track       string               `json:"track"`
	OfferID     int64                `json:"offer_id,omitempty"`
	OfferTitle  string               `json:"offer_title,omitempty"`
	Reason      string               `json:"reason"`
	Status      FundingRequestStatus `json:"status"`
	VoucherCode string               `json:"voucher,omitempty"`
	Answer      string               `json:"answer,omitempty"`
	DecidedBy   int64                `json:"decided_by,omitempty"`
	DecidedAt   *time.Time           `json:"decided_at,omitempty"`
	CreatedAt   time.Time            `json:"created_at"`
}

// FundingRequestFilter selects funding requests: the person's own, and
// those of the organisations (OrgIDs) the person decides for.
type FundingRequestFilter struct {
	PersonID int64
	OrgIDs   []int64
	Status   FundingRequestStatus // "" for all
}

// ErrFundingRequestNotFound: the request does not exist or is not the
// actor's to see.
var ErrFundingRequestNotFound = &Error{Code: ENotFound, Message: "Diese Förderanfrage gibt es nicht."}

// ErrFundingRequestDecided: the request was already answered.
var ErrFundingRequestDecided = &Error{Code: EConflict, Message: "Diese Förderanfrage ist bereits beantwortet."}

// ErrFundingRequestOpen refuses a second open request for the same track:
// the first one is still waiting for an answer.
func ErrFundingRequestOpen(track string) error {
	return &Error{Code: EConflict, Message: "Sie haben bereits eine offene Anfrage für " + Track{Name: track}.Accusative() +
		". Bitte warten Sie auf die Antwort der Personalabteilung."}
}
