package domain

import (
	"slices"
	"time"
)

// AppStatus is where an application (the online Weitergabevertrag) stands.
// It moves draft → submitted → approved | rejected | returned;
// returned → submitted; draft, submitted or returned → withdrawn.
type AppStatus string

// Application statuses.
const (
	AppDraft     AppStatus = "draft"
	AppSubmitted AppStatus = "submitted"
	AppReturned  AppStatus = "returned"
	AppApproved  AppStatus = "approved"
	AppRejected  AppStatus = "rejected"
	AppWithdrawn AppStatus = "withdrawn"
)

// AppStatuses are all statuses, in the order of the workflow.
var AppStatuses = []AppStatus{AppDraft, AppSubmitted, AppReturned, AppApproved, AppRejected, AppWithdrawn}

var appTransitions = map[AppStatus][]AppStatus{
	AppDraft:     {AppSubmitted, AppWithdrawn},
	AppSubmitted: {AppApproved, AppRejected, AppReturned, AppWithdrawn},
	AppReturned:  {AppSubmitted, AppWithdrawn},
}

// CanTransition reports whether an application in status s may move to to.
func (s AppStatus) CanTransition(to AppStatus) bool {
	return slices.Contains(appTransitions[s], to)
}

// Valid reports whether s is a known status.
func (s AppStatus) Valid() bool { return slices.Contains(AppStatuses, s) }

// Open reports whether the application still needs someone: a draft, one
// in review, or one returned for changes.
func (s AppStatus) Open() bool { return s == AppDraft || s == AppSubmitted || s == AppReturned }

// Label is the German name of the status.
func (s AppStatus) Label() string {
	switch s {
	case AppDraft:
		return "Entwurf"
	case AppSubmitted:
		return "Eingereicht"
	case AppReturned:
		return "Zur Überarbeitung zurückgegeben"
	case AppApproved:
		return "Genehmigt"
	case AppRejected:
		return "Abgelehnt"
	case AppWithdrawn:
		return "Zurückgezogen"
	}
	return string(s)
}

// AppStatusLabel is the German name of an application status.
func AppStatusLabel(s string) string { return AppStatus(s).Label() }

// ErrAppTransition is the refusal of a step the status does not allow;
// step is the German verb ("eingereicht", "genehmigt", ...).
func ErrAppTransition(from AppStatus, step string) *Error {
	return Errorf(EConflict, "Ein Antrag im Status „%s“ kann nicht %s werden.", from.Label(), step)
}

// Application is a municipality's application for funded places.
type Application struct {
	ID           int64      `json:"id"`
	Number       string     `json:"number"` // contract number once approved
	ProgrammeID  string     `json:"programme"`
	OrgID        int64      `json:"organisation_id"`
	OrgName      string     `json:"organisation_name"`
	AGS          string     `json:"ags"`
	Track        string     `json:"track"`
	ProviderID   int64      `json:"provider"`
	ProviderName string     `json:"provider_name,omitempty"`
	ReviewerID   int64      `json:"reviewer,omitempty"`
	ReviewerName string     `json:"reviewer_name,omitempty"`
	People       int        `json:"people"`
	Declarations bool       `json:"declarations"`
	Status       AppStatus  `json:"status"`
	CreatedBy    int64      `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	SubmittedAt  *time.Time `json:"submitted_at,omitempty"`
	SubmittedBy  int64      `json:"submitted_by,omitempty"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	DecidedBy    int64      `json:"decided_by,omitempty"`
	// Reason of a rejection, or the comment when returned for changes.
	Reason       string                   `json:"reason,omitempty"`
	ContractID   int64                    `json:"contract_document,omitempty"`
	Certificates []ApplicationCertificate `json:"certificates"`
	Vouchers     []Voucher                `json:"vouchers,omitempty"`
	Events       []ApplicationEvent       `json:"history,omitempty"`
	// Pending is a decision prepared under four eyes, waiting for a second
	// reviewer; only the reviewing association sees it.
	Pending *Decision `json:"pending_decision,omitempty"`
}

// StatusLabel is the German status.
func (a *Application) StatusLabel() string { return a.Status.Label() }

// Editable reports whether the municipality may still change it.
func (a *Application) Editable() bool { return a.Status == AppDraft || a.Status == AppReturned }

// SubmittedOnce reports whether the application has reached its reviewer:
// reviewers see it from then on, never as a first draft.
func (a *Application) SubmittedOnce() bool { return a.Status != AppDraft && a.SubmittedAt != nil }

// ApplicationCertificate is the base certificate of one person in an
// advanced-track application: an uploaded PDF that the reviewer checks.
type ApplicationCertificate struct {
	Position   int    `json:"position"`
	PersonName string `json:"person_name"`
	DocumentID int64  `json:"document,omitempty"`
	FileName   string `json:"file_name,omitempty"`
	// CertificateID names a certificate already on the platform instead of
	// an upload; it is checked automatically.
	CertificateID string `json:"certificate,omitempty"`
	// Check is "to_check" for uploads the reviewer must look at, "verified"
	// for platform certificates that passed the automatic check.
	Check string `json:"check"`
}

// ApplicationEvent is one step in an application's history.
type ApplicationEvent struct {
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id,omitempty"`
	ActorName  string    `json:"actor,omitempty"`
	Action     string    `json:"action"`
	FromStatus string    `json:"from_status,omitempty"`
	ToStatus   string    `json:"to_status"`
	Comment    string    `json:"comment,omitempty"`
}

// ActionLabel is the German name of a history step.
func (e ApplicationEvent) ActionLabel() string {
	switch e.Action {
	case "create":
		return "Entwurf angelegt"
	case "update":
		return "Entwurf geändert"
	case "submit":
		return "Eingereicht"
	case "withdraw":
		return "Zurückgezogen"
	case "approve":
		return "Genehmigt"
	case "reject":
		return "Abgelehnt"
	case "return":
		return "Zur Überarbeitung zurückgegeben"
	case "prepare_approve":
		return "Genehmigung vorbereitet"
	case "prepare_reject":
		return "Ablehnung vorbereitet"
	case "prepare_return":
		return "Rückgabe zur Überarbeitung vorbereitet"
	case "confirm":
		return "Vorbereitete Entscheidung bestätigt"
	case "discard":
		return "Vorbereitete Entscheidung verworfen"
	}
	return e.Action
}

// ApplicationInput is a draft's content. Nil fields are left unchanged.
type ApplicationInput struct {
	ProgrammeID  *string                   `json:"programme"`
	AGS          *string                   `json:"ags"`
	Track        *string                   `json:"track"`
	ProviderID   *int64                    `json:"provider"`
	People       *int                      `json:"people"`
	Declarations *bool                     `json:"declarations"`
	Certificates *[]ApplicationCertificate `json:"certificates"`
}

// ApplicationFilter selects applications.
type ApplicationFilter struct {
	Status    AppStatus
	OrgIDs    []int64 // applicant organisations
	ReviewBy  []int64 // associations: applications of their member municipalities
	AGS       string
	OlderThan time.Duration // submitted longer ago than this
	// After is where the page continues: the last change (a TimeCursor)
	// and ID of the last application of the previous page.
	After   KeyCursor
	Limit   int
	Offset  int  // for the page numbers of older API clients
	NoTotal bool // count nothing (the total is -1)
}

// Voucher is a funded place, bound to a municipality, track and provider.
type Voucher struct {
	Code          string       `json:"code"` // display form
	ApplicationID int64        `json:"application_id"`
	ProgrammeID   string       `json:"programme"`
	OrgID         int64        `json:"organisation_id"`
	AGS           string       `json:"ags"`
	Municipality  string       `json:"municipality"`
	Track         string       `json:"track"`
	ProviderID    int64        `json:"provider"`
	ProviderName  string       `json:"provider_name,omitempty"`
	ValueCents    int64        `json:"value_cents"`
	State         VoucherState `json:"state"`
	IssuedAt      time.Time    `json:"issued_at"`
	ExpiresAt     time.Time    `json:"expires_at"`
	// HolderEmail is the address of the person the voucher was handed to,
	// "" while nobody holds it; HolderName is their name once they have an
	// account.
	HolderEmail string     `json:"holder_email,omitempty"`
	HolderName  string     `json:"holder_name,omitempty"`
	HandedAt    *time.Time `json:"handed_at,omitempty"`
}

// Document is a stored file: an upload or a generated PDF or CSV.
type Document struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"organisation_id"`
	Name      string    `json:"name"`
	MediaType string    `json:"media_type"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	CreatedAt time.Time `json:"created_at"`
	// Kind is what a generated document is (DocContract, DocVoucherList,
	// DocVoucherCSV); "" for uploads.
	Kind string `json:"kind,omitempty"`
}

// Kinds of generated documents.
const (
	DocContract    = "contract"
	DocVoucherList = "voucher_list"
	DocVoucherCSV  = "voucher_csv"
)

// CarriesCodes reports whether the document lists voucher codes.
func (d *Document) CarriesCodes() bool { return d.Kind == DocVoucherList || d.Kind == DocVoucherCSV }

// Message is an entry in an organisation's mailbox (Behördenpostfach).
type Message struct {
	ID            int64      `json:"id"`
	OrgID         int64      `json:"organisation_id"`
	Subject       string     `json:"subject"`
	Body          string     `json:"body"`
	CreatedAt     time.Time  `json:"created_at"`
	ArchivedAt    *time.Time `json:"archived_at,omitempty"`
	Read          bool       `json:"read"` // by the person asking
	Attachments   []Document `json:"attachments"`
	ApplicationID int64      `json:"application_id,omitempty"`
}
