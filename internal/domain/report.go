package domain

import (
	"fmt"
	"time"
)

// ReportFilter narrows a programme's report. Zero fields do not filter.
type ReportFilter struct {
	// From and To bound the period (dates, both inclusive): they select
	// vouchers by their issue date, applications by their submission date
	// and the months of the budget series.
	From *time.Time `json:"from,omitempty"`
	To   *time.Time `json:"to,omitempty"`
	// District is the five-digit AGS of a district.
	District string `json:"district,omitempty"`
	// Association is the organisation ID of an association: the report
	// covers the applicants the programme assigns to it.
	Association int64 `json:"association,omitempty"`
}

// Validate checks the filter's values.
func (f *ReportFilter) Validate() error {
	v := Validation{}
	if f.District != "" && (len(f.District) != 5 || !ValidAGS(f.District)) {
		v.Add("district", "Ein Kreis wird mit seinem fünfstelligen Schlüssel angegeben, z. B. 08115.")
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		v.Add("to", "Das Ende des Zeitraums liegt vor seinem Anfang.")
	}
	if f.Association < 0 {
		v.Add("association", "Diesen Verband gibt es nicht.")
	}
	return v.Err()
}

// ReportOption is a choice of a report filter: a district or an association.
type ReportOption struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// ContingentRow is the contingent of one applicant, or the sum over a
// district or the state.
type ContingentRow struct {
	AGS         string `json:"ags"`
	Name        string `json:"name"`
	DistrictAGS string `json:"district_ags,omitempty"`
	District    string `json:"district,omitempty"`
	// ApplicantKind is ApplicantMunicipality or ApplicantDistrict (empty
	// for sums).
	ApplicantKind string `json:"applicant_kind,omitempty"`
	TypeCode      int    `json:"type_code,omitempty"`
	Population    int    `json:"population"`
	Total         int    `json:"total"`
	Used          int    `json:"used"`
	Free          int    `json:"free"`
	// Approved is the number of approved places (all tracks).
	Approved int `json:"approved"`
	// Applied: at least one application beyond a draft.
	Applied bool `json:"applied"`
	// Pilots is the number of redeemed or settled vouchers of the base
	// track: people who completed the base qualification.
	Pilots int `json:"pilots"`
	// Applicants counts the applicants of a sum row.
	Applicants int `json:"applicants,omitempty"`
}

// Coverage categories of a municipality, for the map.
const (
	CoverageNone      = "none"      // no place applied for
	CoverageApplied   = "applied"   // applied (places applied or approved)
	CoverageQualified = "qualified" // a pilot completed the base qualification
)

// Coverage is the municipality's category for the map.
func (c ContingentRow) Coverage() string {
	switch {
	case c.Pilots > 0:
		return CoverageQualified
	case c.Applied:
		return CoverageApplied
	}
	return CoverageNone
}

// CoverageRow counts the municipalities of one population bracket.
type CoverageRow struct {
	Label         string `json:"label"`
	MinPopulation int    `json:"min_population"`
	MaxPopulation int    `json:"max_population,omitempty"`
	// Municipalities in the bracket; Covered have at least one approved
	// place; AppliedOnly applied without an approved place yet.
	Municipalities int     `json:"municipalities"`
	Covered        int     `json:"covered"`
	AppliedOnly    int     `json:"applied_only"`
	Share          float64 `json:"share"` // Covered / Municipalities
}

// BracketLabel names a population bracket in German.
func BracketLabel(min, max int) string {
	switch {
	case max == 0:
		return fmt.Sprintf("ab %s Einwohnern", Thousands(min))
	case min <= 1:
		return fmt.Sprintf("bis %s Einwohner", Thousands(max))
	}
	return fmt.Sprintf("%s bis %s Einwohner", Thousands(min), Thousands(max))
}

// ReportTrack is a track of the report's programme.
type ReportTrack struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// VoucherStateRow counts the vouchers in one state, per track (in the
// order of Report.Tracks).
type VoucherStateRow struct {
	State      VoucherState `json:"state"`
	Label      string       `json:"label"`
	ByTrack    []int        `json:"by_track"`
	Total      int          `json:"total"`
	ValueCents int64        `json:"value_cents"`
}

// BudgetMonth is the programme's budget at the end of a month: cumulative
// sums of the ledger's entries up to then.
type BudgetMonth struct {
	Month          string `json:"month"` // YYYY-MM
	PlannedCents   int64  `json:"planned_cents"`
	CommittedCents int64  `json:"committed_cents"`
	ClaimedCents   int64  `json:"claimed_cents"`
	PaidCents      int64  `json:"paid_cents"`
	FreeCents      int64  `json:"free_cents"`
}

// ParticipantRow counts the participants of one provider in one track:
// the vouchers with which a place was booked, and those completed.
type ParticipantRow struct {
	ProviderID int64   `json:"provider_id"`
	Provider   string  `json:"provider"`
	Track      string  `json:"track"`
	TrackName  string  `json:"track_name"`
	Booked     int     `json:"booked"`
	Completed  int     `json:"completed"`
	Rate       float64 `json:"completion_rate"`
}

// MonthCount is the applications submitted in one month.
type MonthCount struct {
	Month        string `json:"month"` // YYYY-MM
	Applications int    `json:"applications"`
	People       int    `json:"people"`
}

// Completion is the completion rate: of the vouchers with which a place
// was booked (now reserved, redeemed, settled or forfeited), the share
// redeemed or settled.
type Completion struct {
	Booked    int     `json:"booked"`
	Completed int     `json:"completed"`
	Rate      float64 `json:"rate"`
}

// Forecast is the report's look ahead for the current budget year.
type Forecast struct {
	Year         int   `json:"year"`
	Planned      bool  `json:"planned"`
	PlannedCents int64 `json:"planned_cents"`
	FreeCents    int64 `json:"free_cents"`
	// MonthlyCents is the net commitment per month the forecast assumes.
	MonthlyCents int64 `json:"monthly_cents"`
	// ExhaustedOn is the day the year's free budget is used up; nil when it
	// lasts to the end of the year (LastsYear) or no budget is planned.
	ExhaustedOn *time.Time `json:"exhausted_on,omitempty"`
	LastsYear   bool       `json:"lasts_year"`
	// OpenVouchers are issued, unused and still valid; ExpectedExpiring of
	// them are expected to expire unused.
	OpenVouchers     int `json:"open_vouchers"`
	ExpectedExpiring int `json:"expected_expiring"`
	// BookedPlaces are places booked with vouchers in future sessions;
	// ExpectedRedeemed of them are expected to be completed.
	BookedPlaces     int   `json:"booked_places"`
	BookedCents      int64 `json:"booked_cents"`
	ExpectedRedeemed int   `json:"expected_redeemed"`
	// FreePlaces are the free places in future sessions of funded offers.
	FreePlaces  int      `json:"free_places"`
	Assumptions []string `json:"assumptions"`
}

// Summary is the headline of the forecast as a German sentence.
func (f Forecast) Summary() string {
	switch {
	case !f.Planned:
		return fmt.Sprintf("Für %d ist kein Budget festgelegt.", f.Year)
	case f.ExhaustedOn != nil:
		return fmt.Sprintf("Das Budget %d ist voraussichtlich am %s aufgebraucht.", f.Year, f.ExhaustedOn.Format("02.01.2006"))
	}
	return fmt.Sprintf("Das Budget %d reicht voraussichtlich bis Jahresende.", f.Year)
}

// Report is a programme's figures for the ministry and the associations.
type Report struct {
	ProgrammeID   string       `json:"programme"`
	ProgrammeName string       `json:"programme_name"`
	State         string       `json:"state"`
	GeneratedAt   time.Time    `json:"generated_at"`
	Filter        ReportFilter `json:"filter"`
	// AssociationFixed: the reader sees only their association's share.
	AssociationFixed bool           `json:"association_fixed"`
	AssociationName  string         `json:"association_name,omitempty"`
	DistrictName     string         `json:"district_name,omitempty"`
	Districts        []ReportOption `json:"districts"`
	Associations     []ReportOption `json:"associations"`
	Tracks           []ReportTrack  `json:"tracks"`

	Municipalities []ContingentRow `json:"municipalities"`
	DistrictRows   []ContingentRow `json:"district_totals"`
	StateTotal     ContingentRow   `json:"state_total"`

	Coverage     []CoverageRow     `json:"coverage"`
	Vouchers     []VoucherStateRow `json:"vouchers"`
	Budget       []BudgetMonth     `json:"budget"`
	Participants []ParticipantRow  `json:"participants"`
	Completion   Completion        `json:"completion"`
	// DecisionDays is the average time from submission to decision over
	// Decided applications.
	DecisionDays float64      `json:"decision_days"`
	Decided      int          `json:"decided"`
	Applications []MonthCount `json:"applications_per_month"`
	Forecast     Forecast     `json:"forecast"`
}

// Thousands formats n with German thousands separators: 12.345.
func Thousands(n int) string {
	s := fmt.Sprint(n)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return neg + s
}
