package domain

import (
	"slices"
	"time"
)

// Four-eyes settings of a programme: which applications need a second
// reviewer to confirm a decision.
const (
	FourEyesOff            = "off"            // one reviewer decides
	FourEyesAll            = "all"            // every application
	FourEyesDistricts      = "districts"      // applications of districts (Landkreise, Stadtkreise)
	FourEyesMunicipalities = "municipalities" // applications of municipalities
)

// FourEyesModes are the settings, in the order a form offers them.
var FourEyesModes = []string{FourEyesOff, FourEyesAll, FourEyesDistricts, FourEyesMunicipalities}

// FourEyesLabel is the German name of a four-eyes setting.
func FourEyesLabel(mode string) string {
	switch mode {
	case FourEyesAll:
		return "für alle Anträge"
	case FourEyesDistricts:
		return "für Anträge von Kreisen"
	case FourEyesMunicipalities:
		return "für Anträge von Gemeinden und Städten"
	}
	return "aus: eine Person entscheidet"
}

// FourEyesLabel is the German name of the programme's four-eyes setting.
func (p *Programme) FourEyesLabel() string { return FourEyesLabel(p.FourEyes) }

// NeedsFourEyes reports whether a decision on an application of the
// applicant kind (ApplicantMunicipality, ApplicantDistrict) needs a second
// reviewer under the programme's setting.
func (p *Programme) NeedsFourEyes(applicantKind string) bool {
	switch p.FourEyes {
	case FourEyesAll:
		return true
	case FourEyesDistricts:
		return applicantKind == ApplicantDistrict
	case FourEyesMunicipalities:
		return applicantKind == ApplicantMunicipality
	}
	return false
}

// DecisionAction is what a reviewer decides on a submitted application.
type DecisionAction string

// Decisions a reviewer can take.
const (
	DecisionApprove DecisionAction = "approve"
	DecisionReject  DecisionAction = "reject"
	DecisionReturn  DecisionAction = "return"
)

// Status is the application status the decision leads to.
func (d DecisionAction) Status() AppStatus {
	switch d {
	case DecisionApprove:
		return AppApproved
	case DecisionReject:
		return AppRejected
	case DecisionReturn:
		return AppReturned
	}
	return ""
}

// Label is the German noun of the decision.
func (d DecisionAction) Label() string {
	switch d {
	case DecisionApprove:
		return "Genehmigung"
	case DecisionReject:
		return "Ablehnung"
	case DecisionReturn:
		return "Rückgabe zur Überarbeitung"
	}
	return string(d)
}

// States of a prepared decision.
const (
	DecisionPending    = "pending"
	DecisionConfirmed  = "confirmed"
	DecisionDiscarded  = "discarded"
	DecisionSuperseded = "superseded" // the application moved on without it
)

// Decision is a decision one reviewer prepared under four eyes; it waits
// for a second reviewer of the same association.
type Decision struct {
	ID     int64          `json:"id"`
	Action DecisionAction `json:"action"`
	// Comment is the reason of a rejection or the comment of a return, as
	// the municipality will read it once confirmed.
	Comment        string    `json:"comment,omitempty"`
	PreparedBy     int64     `json:"prepared_by"`
	PreparedByName string    `json:"prepared_by_name"`
	PreparedAt     time.Time `json:"prepared_at"`
	State          string    `json:"state"`
}

// ActionLabel is the German noun of the prepared decision.
func (d *Decision) ActionLabel() string { return d.Action.Label() }

// internalEvents are history steps only the reviewing association sees:
// the four-eyes work before a decision is made.
var internalEvents = []string{"prepare_approve", "prepare_reject", "prepare_return", "confirm", "discard"}

// Internal reports whether the step belongs to the reviewers' internal work.
func (e ApplicationEvent) Internal() bool { return slices.Contains(internalEvents, e.Action) }

// Comment visibilities.
const (
	CommentInternal  = "internal"  // the reviewing association only
	CommentApplicant = "applicant" // the reviewers and the applicant
)

// ApplicationComment is one entry in an application's conversation.
type ApplicationComment struct {
	ID            int64  `json:"id"`
	ApplicationID int64  `json:"application_id"`
	AuthorID      int64  `json:"author_id"`
	AuthorName    string `json:"author"`
	// OrgID is the organisation the author wrote for: the reviewing
	// association or the applicant.
	OrgID      int64     `json:"organisation_id"`
	OrgName    string    `json:"organisation_name"`
	Body       string    `json:"body"`
	Visibility string    `json:"visibility"`
	CreatedAt  time.Time `json:"created_at"`
}

// Internal reports whether only the reviewing association reads it.
func (c ApplicationComment) Internal() bool { return c.Visibility == CommentInternal }
