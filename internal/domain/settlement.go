package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ClaimKind says whether a claim asks for money (an invoice) or gives some
// back (a credit note that corrects an approved claim).
type ClaimKind string

// Claim kinds.
const (
	ClaimInvoice    ClaimKind = "invoice"
	ClaimCreditNote ClaimKind = "credit_note"
)

// Label is the German name of the kind.
func (k ClaimKind) Label() string {
	if k == ClaimCreditNote {
		return "Gutschrift"
	}
	return "Rechnung"
}

// ClaimStatus is where a settlement claim (Abrechnung) is in its review.
type ClaimStatus string

// Claim states. The funder side reviews in two steps by two different
// people: a content check, then the financial release.
const (
	ClaimDraft     ClaimStatus = "draft"     // the provider collects vouchers
	ClaimSubmitted ClaimStatus = "submitted" // waits for the content check
	ClaimChecked   ClaimStatus = "checked"   // checked, waits for the release
	ClaimApproved  ClaimStatus = "approved"  // released: the vouchers are settled and paid
	ClaimReturned  ClaimStatus = "returned"  // back with the provider, to correct and submit again
	ClaimWithdrawn ClaimStatus = "withdrawn" // given up by the provider; its vouchers are free again
)

var claimTransitions = map[ClaimStatus][]ClaimStatus{
	ClaimDraft:     {ClaimSubmitted, ClaimWithdrawn},
	ClaimReturned:  {ClaimSubmitted, ClaimWithdrawn},
	ClaimSubmitted: {ClaimChecked, ClaimReturned},
	ClaimChecked:   {ClaimApproved, ClaimReturned},
}

// CanTransition reports whether a claim in state s may change to to.
func (s ClaimStatus) CanTransition(to ClaimStatus) bool {
	return slices.Contains(claimTransitions[s], to)
}

// Editable reports whether the provider may still change the claim's vouchers.
func (s ClaimStatus) Editable() bool { return s == ClaimDraft || s == ClaimReturned }

// Open reports whether the claim still holds its vouchers and is not decided.
func (s ClaimStatus) Open() bool {
	return s == ClaimDraft || s == ClaimReturned || s == ClaimSubmitted || s == ClaimChecked
}

// Valid reports whether s is a known state.
func (s ClaimStatus) Valid() bool {
	_, ok := claimStatusLabels[s]
	return ok
}

var claimStatusLabels = map[ClaimStatus]string{
	ClaimDraft:     "Entwurf",
	ClaimSubmitted: "Eingereicht",
	ClaimChecked:   "Sachlich geprüft",
	ClaimApproved:  "Freigegeben",
	ClaimReturned:  "Zurückgegeben",
	ClaimWithdrawn: "Zurückgezogen",
}

// Label is the German name of the state.
func (s ClaimStatus) Label() string {
	if l, ok := claimStatusLabels[s]; ok {
		return l
	}
	return string(s)
}

// ClaimableStates are the voucher states a provider may invoice: redeemed
// (the participant completed the session) and forfeited (cancelled late,
// under the offer's cancellation rule).
var ClaimableStates = []VoucherState{VoucherRedeemed, VoucherForfeited}

// Claim is a provider's settlement claim for vouchers of one programme.
type Claim struct {
	ID          int64     `json:"id"`
	Number      string    `json:"number"`
	Kind        ClaimKind `json:"kind"`
	CorrectsID  int64     `json:"corrects,omitempty"`
	ProgrammeID string    `json:"programme"`
	// ProgrammeName is the programme's name, for documents and pages.
	ProgrammeName string      `json:"programme_name"`
	ProviderID    int64       `json:"provider_id"`
	ProviderName  string      `json:"provider_name"`
	Status        ClaimStatus `json:"status"`
	// Reason is why a credit note corrects its claim.
	Reason      string      `json:"reason,omitempty"`
	TotalCents  int64       `json:"total_cents"`
	Items       []ClaimItem `json:"items"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
	SubmittedAt *time.Time  `json:"submitted_at,omitempty"`
	CheckedAt   *time.Time  `json:"checked_at,omitempty"`
	CheckedBy   string      `json:"checked_by,omitempty"`
	CheckedByID int64       `json:"-"`
	ApprovedAt  *time.Time  `json:"approved_at,omitempty"`
	ApprovedBy  string      `json:"approved_by,omitempty"`
	// Events is the claim's history, oldest first (internal notes only for
	// the funder side).
	Events []ClaimEvent `json:"events,omitempty"`
}

// Codes returns the voucher codes of the claim.
func (c *Claim) Codes() []string {
	out := make([]string, len(c.Items))
	for i, it := range c.Items {
		out[i] = it.Code
	}
	return out
}

// ClaimItem is one voucher of a claim with what it is worth.
type ClaimItem struct {
	Code         string       `json:"code"`
	Track        string       `json:"track"`
	TrackName    string       `json:"track_name"`
	AGS          string       `json:"ags"`
	Municipality string       `json:"municipality"`
	Participant  string       `json:"participant,omitempty"`
	OfferTitle   string       `json:"offer_title,omitempty"`
	SessionStart *time.Time   `json:"session_start,omitempty"`
	SessionEnd   *time.Time   `json:"session_end,omitempty"`
	RedeemedAt   *time.Time   `json:"redeemed_at,omitempty"`
	State        VoucherState `json:"state"`
	ValueCents   int64        `json:"value_cents"`
}

// ClaimEvent is one step in a claim's history.
type ClaimEvent struct {
	At       time.Time   `json:"at"`
	Actor    string      `json:"actor,omitempty"`
	Action   string      `json:"action"`
	From     ClaimStatus `json:"from,omitempty"`
	To       ClaimStatus `json:"to"`
	Comment  string      `json:"comment,omitempty"`
	Internal bool        `json:"internal,omitempty"`
}

// Payer is the body that pays a programme's claims: the buyer of the
// e-invoices, with its Leitweg-ID (the routing ID of German public buyers).
type Payer struct {
	Name      string `json:"name"`
	Street    string `json:"street"`
	Postcode  string `json:"postcode"`
	City      string `json:"city"`
	LeitwegID string `json:"leitweg_id"`
	Email     string `json:"email"`
}

// BillingProfile is a provider's data for invoices.
type BillingProfile struct {
	OrgID        int64     `json:"org_id"`
	LegalName    string    `json:"legal_name"`
	Street       string    `json:"street"`
	Postcode     string    `json:"postcode"`
	City         string    `json:"city"`
	VATID        string    `json:"vat_id,omitempty"`
	TaxNumber    string    `json:"tax_number,omitempty"`
	IBAN         string    `json:"iban"`
	BIC          string    `json:"bic,omitempty"`
	ContactName  string    `json:"contact_name"`
	ContactPhone string    `json:"contact_phone"`
	ContactEmail string    `json:"contact_email"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Validate checks and normalises the profile: an invoice needs the
// address, a tax identifier, an IBAN with a valid check sum and a contact.
func (b *BillingProfile) Validate() error {
	v := Validation{}
	trim := func(s *string) { *s = strings.TrimSpace(*s) }
	for _, s := range []*string{&b.LegalName, &b.Street, &b.Postcode, &b.City, &b.VATID, &b.TaxNumber, &b.BIC,
		&b.ContactName, &b.ContactPhone, &b.ContactEmail} {
		trim(s)
	}
	b.IBAN = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(b.IBAN), " ", ""))
	b.VATID = strings.ToUpper(strings.ReplaceAll(b.VATID, " ", ""))
	b.BIC = strings.ToUpper(b.BIC)
	need := func(field, val, msg string) {
		if val == "" {
			v.Add(field, msg)
		} else if utf8.RuneCountInString(val) > 200 {
			v.Add(field, "Bitte höchstens 200 Zeichen.")
		}
	}
	need("legal_name", b.LegalName, "Bitte geben Sie den Namen an, unter dem Sie Rechnungen stellen.")
	need("street", b.Street, "Bitte geben Sie Straße und Hausnummer an.")
	need("city", b.City, "Bitte geben Sie den Ort an.")
	need("contact_name", b.ContactName, "Bitte geben Sie eine Ansprechperson für Rechnungen an.")
	need("contact_phone", b.ContactPhone, "Bitte geben Sie eine Telefonnummer für Rücklagen zur Rechnung an.")
	if len(b.Postcode) != 5 || strings.Trim(b.Postcode, "0123456789") != "" {
		v.Add("postcode", "Die Postleitzahl hat fünf Ziffern.")
	}
	if !ValidEmail(b.ContactEmail) {
		v.Add("contact_email", "Bitte geben Sie eine gültige E-Mail-Adresse an.")
	}
	if b.VATID == "" && b.TaxNumber == "" {
		v.Add("vat_id", "Bitte geben Sie Ihre Umsatzsteuer-Identifikationsnummer oder Ihre Steuernummer an.")
	} else if b.VATID != "" && !ValidVATID(b.VATID) {
		v.Add("vat_id", "Eine deutsche Umsatzsteuer-Identifikationsnummer hat die Form DE und neun Ziffern.")
	}
	if !ValidIBAN(b.IBAN) {
		v.Add("iban", "Diese IBAN ist nicht gültig: Bitte prüfen Sie sie.")
	}
	if b.BIC != "" && (len(b.BIC) != 8 && len(b.BIC) != 11) {
		v.Add("bic", "Eine BIC hat 8 oder 11 Zeichen.")
	}
	return v.Err()
}

// ValidVATID reports whether s looks like a VAT identification number: a
// German one is DE and nine digits; other EU numbers start with two letters.
func ValidVATID(s string) bool {
	if len(s) < 4 || len(s) > 14 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return false
	}
	if strings.HasPrefix(s, "DE") {
		return len(s) == 11 && strings.Trim(s[2:], "0123456789") == ""
	}
	return true
}

// ValidIBAN reports whether s (upper case, no spaces) is an IBAN with a
// correct ISO 13616 check sum (mod 97 = 1); a German one has 22 characters.
func ValidIBAN(s string) bool {
	if len(s) < 15 || len(s) > 34 || (strings.HasPrefix(s, "DE") && len(s) != 22) {
		return false
	}
	r := s[4:] + s[:4]
	rem := 0
	for _, c := range r {
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			n := int(c-'A') + 10
			rem = (rem*100 + n) % 97
		default:
			return false
		}
	}
	return rem == 1
}

// Budget is the money of a programme in one year, computed from its ledger.
type Budget struct {
	ProgrammeID string `json:"programme"`
	Year        int    `json:"year"`
	// Planned is false when the funder has set no budget for the year:
	// then commitments are not limited.
	Planned        bool  `json:"planned"`
	PlannedCents   int64 `json:"planned_cents"`
	CommittedCents int64 `json:"committed_cents"` // bound by issued vouchers, not yet paid
	ClaimedCents   int64 `json:"claimed_cents"`   // in claims under review
	PaidCents      int64 `json:"paid_cents"`
	FreeCents      int64 `json:"free_cents"` // planned - committed - paid
}

// BudgetEntryKind is the kind of a ledger entry (see the settlement migration).
type BudgetEntryKind string

// Ledger entry kinds.
const (
	EntryPlan    BudgetEntryKind = "plan"
	EntryCommit  BudgetEntryKind = "commit"
	EntryAdjust  BudgetEntryKind = "adjust"
	EntryRelease BudgetEntryKind = "release"
	EntryClaim   BudgetEntryKind = "claim"
	EntryPay     BudgetEntryKind = "pay"
)

// Label is the German name of the kind.
func (k BudgetEntryKind) Label() string {
	switch k {
	case EntryPlan:
		return "Budget festgelegt"
	case EntryCommit:
		return "Gutschein ausgegeben"
	case EntryAdjust:
		return "Wert angepasst"
	case EntryRelease:
		return "Gutschein freigegeben"
	case EntryClaim:
		return "Abgerechnet (in Prüfung)"
	case EntryPay:
		return "Ausgezahlt"
	}
	return string(k)
}

// BudgetEntry is one immutable movement of a programme's money.
type BudgetEntry struct {
	ID          int64           `json:"id"`
	Year        int             `json:"year"`
	Kind        BudgetEntryKind `json:"kind"`
	AmountCents int64           `json:"amount_cents"`
	VoucherCode string          `json:"voucher,omitempty"`
	ClaimID     int64           `json:"claim,omitempty"`
	Key         string          `json:"idempotency_key"`
	Note        string          `json:"note,omitempty"`
	At          time.Time       `json:"at"`
}

// ErrBudgetExceeded refuses a commitment the free budget cannot carry.
func ErrBudgetExceeded(need, free int64, year int) *Error {
	return Errorf(EConflict, "Das freie Budget %d des Förderprogramms reicht nicht: Die Bewilligung bindet %s, frei sind noch %s.",
		year, Money(need), Money(free))
}

// BudgetYear is the budget year a voucher issued at t is charged to.
func BudgetYear(t time.Time) int { return t.In(Berlin).Year() }

// VoucherMove is the ledger entry a change of a voucher books, if any: a
// release when it expires or is revoked (its open value), an adjustment
// when its value changes at booking (the difference). ok is false when the
// change moves no money.
func VoucherMove(from, to VoucherState, oldValue, newValue int64) (kind BudgetEntryKind, amount int64, ok bool) {
	switch {
	case (to == VoucherExpired || to == VoucherRevoked) && from != VoucherSettled:
		return EntryRelease, -oldValue, true
	case newValue > 0 && newValue != oldValue:
		return EntryAdjust, newValue - oldValue, true
	}
	return "", 0, false
}

// Commit checks that the year's free budget carries need more cents. A year
// without a planned budget is not limited.
func (b *Budget) Commit(need int64) error {
	if b.Planned && need > b.FreeCents {
		return ErrBudgetExceeded(need, b.FreeCents, b.Year)
	}
	return nil
}

// ClaimFilter selects claims: the scope authz grants and the caller's
// wishes.
type ClaimFilter struct {
	All          bool     // no scope limit (admins)
	ProviderIDs  []int64  // claims of these providers, drafts included
	ProgrammeIDs []string // submitted claims of these programmes (the funder side)
	Status       ClaimStatus
	Programme    string
}

// SecondEye checks the four-eyes rule of a claim: the person who releases
// the money is not the one who checked the claim.
func SecondEye(checkedBy, releasedBy int64) error {
	if checkedBy != 0 && checkedBy == releasedBy {
		return Errorf(EConflict, "Vier-Augen-Prinzip: Die Freigabe muss eine andere Person erteilen als die sachliche Prüfung.")
	}
	return nil
}
