package domain

import "time"

// Demand signals for providers: anonymised counts of what people in a
// region need, per competence area. A count below MinGroupSize is never
// shown (Count nil, BelowThreshold).

// Demand signal kinds, in display order.
const (
	DemandAssessmentGaps  = "assessment_gaps"
	DemandRoleGaps        = "role_gaps"
	DemandEmptySearches   = "empty_searches"
	DemandWaitingLists    = "waiting_lists"
	DemandFundingRequests = "funding_requests"
)

// DemandKinds are the signal kinds with their German labels.
var DemandKinds = []struct{ Kind, Label, Basis string }{
	{DemandAssessmentGaps, "Personen mit geteilter Selbsteinschätzung und Lücke", "Stand heute"},
	{DemandRoleGaps, "Personen mit Lücke in ihrer Rolle (Personalabteilung)", "Stand heute"},
	{DemandEmptySearches, "Suchen ohne Treffer", "im Zeitraum"},
	{DemandWaitingLists, "Personen auf Wartelisten voller Termine", "im Zeitraum"},
	{DemandFundingRequests, "Personen mit Förderanfrage", "im Zeitraum"},
}

// DemandPeriodDays is the length of the period event signals count.
const DemandPeriodDays = 90

// DemandSignal is one count of a competence area.
type DemandSignal struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	// Basis says whether the count is the current state or events in
	// the period.
	Basis          string `json:"basis"`
	Count          *int   `json:"count"`
	BelowThreshold bool   `json:"below_threshold"`
}

// DemandArea is a competence area with its signals.
type DemandArea struct {
	Code    string         `json:"code"`
	Name    string         `json:"name"`
	Signals []DemandSignal `json:"signals"`
	// Queries are searches without hits in the area asked at least
	// MinGroupSize times, most frequent first.
	Queries []string `json:"empty_search_queries"`
}

// District is a district (Landkreis, Stadtkreis) of the directory.
type District struct {
	AGS  string `json:"ags"`
	Name string `json:"name"`
}

// Demand is what a provider sees for a region.
type Demand struct {
	ProviderID   int64     `json:"provider"`
	ProviderName string    `json:"provider_name"`
	From         time.Time `json:"from"`
	To           time.Time `json:"to"`
	// District is the district chosen ("" the provider's region:
	// Districts).
	District  string       `json:"district"`
	Districts []District   `json:"districts"`
	Areas     []DemandArea `json:"areas"`
	// Choices are the districts one can pick: those of the states the
	// provider holds sessions in (all while it holds none).
	Choices []District `json:"district_choices"`
	// MinGroupSize is the smallest count shown.
	MinGroupSize int `json:"min_group_size"`
}

// DemandQuery asks the store for raw counts.
type DemandQuery struct {
	Districts []string
	From, To  time.Time
}

// DemandCounts are the raw counts per signal kind and area code, as the
// store finds them; SearchMisses are the empty searches of the region.
type DemandCounts struct {
	ByKind       map[string]map[string]int
	SearchMisses []SearchMiss
}

// SearchMiss is a normalised query that found nothing, with the competence
// areas filtered by and how often it was asked.
type SearchMiss struct {
	Query string
	Areas string
	Count int
}

// ErrDemandDistrict: the district chosen is not one of the choices.
var ErrDemandDistrict = &Error{Code: EInvalid, Message: "Diesen Kreis gibt es nicht.",
	Fields: map[string]string{"district": "Bitte wählen Sie einen Kreis aus der Liste."}}
