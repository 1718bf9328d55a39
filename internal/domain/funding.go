package domain

import (
	"fmt"
	"strings"
	"time"
)

// Not-found answers of the funding area. IDs of things a person may not
// see are answered the same way, so they reveal nothing.
var (
	ErrApplicationNotFound = &Error{Code: ENotFound, Message: "Diesen Antrag gibt es nicht."}
	ErrProgrammeNotFound   = &Error{Code: ENotFound, Message: "Dieses Förderprogramm gibt es nicht."}
	ErrDocumentNotFound    = &Error{Code: ENotFound, Message: "Dieses Dokument gibt es nicht."}
	ErrMessageNotFound     = &Error{Code: ENotFound, Message: "Diese Nachricht gibt es nicht."}
	// ErrStateCannotApply: a Land is in the directory but is no applicant.
	ErrStateCannotApply = &Error{Code: EInvalid, Message: "Ein Land kann keine Förderung beantragen."}
)

// GeneratedFile is a document made on approval: the contract, the voucher
// lists.
type GeneratedFile struct {
	Kind      string // "contract", "voucher_list", "voucher_csv"
	Name      string
	MediaType string
	Content   []byte
}

// ApprovalData is what the contract and the voucher lists are made from.
type ApprovalData struct {
	Application  *Application
	Programme    *Programme
	Track        Track
	Applicant    *Municipality
	Municipality *Organisation
	Provider     *Organisation
	Reviewer     *Organisation
	Funder       *Organisation
	ReviewerName string
	Signatory    string
	Number       string
	Vouchers     []Voucher
	At           time.Time
	ValidUntil   time.Time
}

// ContractNumber is the number printed on an approved contract.
func ContractNumber(id int64, at time.Time) string {
	return fmt.Sprintf("WV-%d-%06d", at.Year(), id)
}

// MailboxFilter selects messages of organisations as seen by a person.
type MailboxFilter struct {
	OrgIDs   []int64
	PersonID int64
	Archived bool
	// Before: only messages older than this one (keyset paging).
	Before int64
	Limit  int
	Offset int // for the page numbers of older API clients
}

// BaseCertificateUse asks about a platform certificate named as proof of
// the base qualification in an application.
type BaseCertificateUse struct {
	CertificateID string // canonical: lower case
	OrgID         int64  // the applying municipality's organisation
	ApplicationID int64  // the application itself (0 for a new draft)
	ProgrammeID   string
	Track         string // the application's track
	BaseTrack     string // "programme/track" of the base qualification
}

// BaseCertificateFacts is what the store knows about such a certificate.
type BaseCertificateFacts struct {
	Found       bool
	Participant string
	ProviderID  int64
	Revoked     bool
	// FundedBase: the certificate's offer is funded by the base track.
	FundedBase bool
	// Member: the participant is a member of the applying organisation.
	Member bool
	// UsedElsewhere: another live application of the same programme and
	// track names it.
	UsedElsewhere bool
}

// BaseCertificateProblem returns the German reason a platform certificate
// does not count as the base proof of the person, or "". A certificate
// counts for a member of the applying municipality and once per track.
func BaseCertificateProblem(p *Programme, f *BaseCertificateFacts, person string) string {
	switch {
	case !f.Found:
		return "Dieses Zertifikat gibt es auf Lotse nicht."
	case f.Revoked:
		return "Dieses Zertifikat wurde widerrufen."
	case !p.FundsProvider(f.ProviderID) || !f.FundedBase:
		return "Dieses Zertifikat belegt keine Basisqualifizierung des Förderprogramms."
	case !strings.EqualFold(strings.TrimSpace(f.Participant), strings.TrimSpace(person)):
		return fmt.Sprintf("Das Zertifikat ist auf %s ausgestellt, nicht auf %s.", f.Participant, person)
	case !f.Member:
		return "Das Zertifikat gehört keiner Person Ihrer Kommune."
	case f.UsedElsewhere:
		return "Dieses Zertifikat ist bereits in einem anderen Antrag für diese Qualifizierung angegeben."
	}
	return ""
}

// BaseTrack is the programme's base qualification as "programme/track": the
// track that needs no certificate and counts against the contingent.
func (p *Programme) BaseTrack() string {
	base := ""
	for _, t := range p.Tracks {
		if !t.RequiresBaseCertificate && t.CountsAgainstContingent {
			base = p.ID + "/" + t.Key
		}
	}
	return base
}
