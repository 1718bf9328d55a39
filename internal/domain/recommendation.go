package domain

import (
	"strconv"
	"strings"
	"time"
)

// Kinds of the reasons a recommendation gives.
const (
	ReasonGap      = "gap"
	ReasonFunding  = "funding"
	ReasonDate     = "date"
	ReasonDistance = "distance"
	ReasonPrice    = "price"
	ReasonPath     = "path"
	ReasonRating   = "rating"
)

// Reason is one German sentence saying why an offer is recommended; every
// reason is true of the offer and the person.
type Reason struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// RecommendedOffer is the offer of a recommendation.
type RecommendedOffer struct {
	ID         int64  `json:"id"`
	Title      string `json:"title"`
	ProviderID int64  `json:"provider_id"`
	Provider   string `json:"provider"`
	Level      string `json:"level"`
	Format     string `json:"format"`
	Days       int    `json:"days"`
	PriceCents int64  `json:"price_cents"`
	// PriceAfterFundingCents is what the person (or their employer) pays
	// after the funding named in the reasons; the price when none.
	PriceAfterFundingCents int64 `json:"price_after_funding_cents"`
}

// RecommendedSession is the next session of a recommended offer that fits
// the person.
type RecommendedSession struct {
	ID                   int64     `json:"id"`
	StartsAt             time.Time `json:"starts_at"`
	EndsAt               time.Time `json:"ends_at"`
	RegistrationDeadline time.Time `json:"registration_deadline"`
	Online               bool      `json:"online"`
	AGS                  string    `json:"ags,omitempty"`
	Place                string    `json:"place,omitempty"`
	// DistanceKm from the person's municipality (centroids); 0 online,
	// nil when unknown.
	DistanceKm *float64 `json:"distance_km"`
}

// Recommendation is an offer recommended to a person, with why.
type Recommendation struct {
	Offer   RecommendedOffer    `json:"offer"`
	Session *RecommendedSession `json:"session"`
	Score   float64             `json:"score"`
	Reasons []Reason            `json:"reasons"`
	// Voucher is the code of the person's own voucher that pays for it
	// (none when another funding or none applies).
	Voucher string `json:"voucher,omitempty"`
}

// Recommendations answers "what should I learn next": the offers ranked
// for the person, and notes on what was left out and why.
type Recommendations struct {
	Items []Recommendation `json:"items"`
	Notes []string         `json:"notes"`
	// Gaps are the assessment's gaps the ranking used, largest first.
	Gaps []AssessmentItem `json:"gaps"`
	// Municipality is the person's, whose distances and contingent count.
	Municipality string `json:"municipality,omitempty"`
}

// Euros says an amount of cents the German way: "300 €", "1.450 €",
// "12,50 €".
func Euros(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	s := b.String()
	if c := cents % 100; c != 0 {
		s += "," + strconv.FormatInt(c/10, 10) + strconv.FormatInt(c%10, 10)
	}
	if neg {
		s = "−" + s
	}
	return s + " €"
}

// ErrRecommendationsLimit refuses a limit out of range.
var ErrRecommendationsLimit = &Error{Code: EInvalid, Message: "Es können höchstens 50 Empfehlungen abgefragt werden.",
	Fields: map[string]string{"limit": "Bitte geben Sie eine Zahl zwischen 1 und 50 an."}}
