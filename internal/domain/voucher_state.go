package domain

import (
	"slices"
	"time"
)

// VoucherState is where a voucher is in its life. The ledger
// (voucher_events) records every change; settlement claims the redeemed and
// forfeited ones.
type VoucherState string

// Voucher states.
const (
	VoucherIssued    VoucherState = "issued"    // handed out, free to book with
	VoucherReserved  VoucherState = "reserved"  // backs an active booking
	VoucherRedeemed  VoucherState = "redeemed"  // the participant completed the session
	VoucherSettled   VoucherState = "settled"   // the provider was paid
	VoucherExpired   VoucherState = "expired"   // not used before its expiry
	VoucherRevoked   VoucherState = "revoked"   // withdrawn by the funder
	VoucherForfeited VoucherState = "forfeited" // cancelled late: the provider may claim it under the offer's cancellation rule
)

// voucherTransitions lists the allowed changes; the empty state is before
// the voucher exists.
var voucherTransitions = map[VoucherState][]VoucherState{
	"":               {VoucherIssued},
	VoucherIssued:    {VoucherReserved, VoucherExpired, VoucherRevoked},
	VoucherReserved:  {VoucherIssued, VoucherRedeemed, VoucherForfeited, VoucherRevoked},
	VoucherRedeemed:  {VoucherSettled},
	VoucherForfeited: {VoucherSettled},
	// A credit note takes back a settled voucher that was paid wrongly.
	VoucherSettled: {VoucherRevoked},
}

// CanTransition reports whether a voucher in state s may change to to.
func (s VoucherState) CanTransition(to VoucherState) bool {
	return slices.Contains(voucherTransitions[s], to)
}

// Valid reports whether s is a known state.
func (s VoucherState) Valid() bool {
	switch s {
	case VoucherIssued, VoucherReserved, VoucherRedeemed, VoucherSettled, VoucherExpired, VoucherRevoked, VoucherForfeited:
		return true
	}
	return false
}

// Label is the German name of the state.
func (s VoucherState) Label() string {
	switch s {
	case VoucherIssued:
		return "Ausgegeben"
	case VoucherReserved:
		return "Reserviert"
	case VoucherRedeemed:
		return "Eingelöst"
	case VoucherSettled:
		return "Abgerechnet"
	case VoucherExpired:
		return "Abgelaufen"
	case VoucherRevoked:
		return "Widerrufen"
	case VoucherForfeited:
		return "Verfallen (Stornierung)"
	}
	return string(s)
}

// VoucherStateLabel is the German name of a voucher state.
func VoucherStateLabel(s VoucherState) string { return s.Label() }

// Errors of the voucher rules, safe to show.
var (
	ErrVoucherNotFound = &Error{Code: EInvalid, Message: "Diesen Gutscheincode gibt es nicht.",
		Fields: map[string]string{"voucher": "Diesen Gutscheincode gibt es nicht."}}
	ErrVoucherUnknown = &Error{Code: ENotFound, Message: "Diesen Gutscheincode gibt es nicht."}
	ErrVoucherTaken   = voucherRefusal("Dieser Gutschein ist bereits für eine Buchung reserviert.")
	ErrVoucherUsed    = voucherRefusal("Dieser Gutschein ist bereits verwendet.")
	ErrVoucherNotLate = &Error{Code: EConflict,
		Message: "Diesen Gutschein hält keine späte Stornierung fest: Freigeben oder Verfallen-Lassen geht nur bei einem reservierten Gutschein, dessen Buchung storniert ist."}
	ErrVoucherReleaseForbidden = &Error{Code: EForbidden,
		Message: "Einen nach Anmeldeschluss stornierten Gutschein geben nur der Bildungsträger und der Fördergeber frei."}
	ErrReasonRequired = &Error{Code: EInvalid, Message: "Bitte geben Sie einen Grund an.", Fields: map[string]string{"reason": "Bitte geben Sie einen Grund an."}}
)

func voucherRefusal(msg string) *Error {
	return &Error{Code: EConflict, Message: msg, Fields: map[string]string{"voucher": msg}}
}

// ErrVoucherNotForParticipant says that the participant is not a member of
// the voucher's municipality.
func ErrVoucherNotForParticipant(municipality string) *Error {
	return voucherRefusal("Dieser Gutschein gilt nur für Beschäftigte von " + municipality + ".")
}

// VoucherUsable returns why v cannot back a booking of session s of offer
// o at now, or nil.
func VoucherUsable(v *Voucher, o *Offer, s *Session, now time.Time) error {
	switch {
	case v.ProviderID != o.ProviderID:
		return voucherRefusal("Dieser Gutschein gilt nur bei einem anderen Bildungsträger.")
	case !slices.Contains(o.FundingTracks, v.ProgrammeID+"/"+v.Track):
		return voucherRefusal("Dieser Gutschein gilt für eine andere Qualifizierung als dieses Angebot.")
	case !now.Before(v.ExpiresAt):
		return voucherRefusal("Dieser Gutschein ist abgelaufen.")
	case !now.Before(s.StartsAt):
		return voucherRefusal("Der Termin hat bereits begonnen; ein Gutschein kann nur vorher eingelöst werden.")
	case v.State != VoucherIssued:
		return voucherRefusal("Dieser Gutschein ist bereits verwendet (" + v.State.Label() + ").")
	}
	return nil
}
