package funding

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// resource is what the policy needs to know of an application.
func resource(a *domain.Application) authz.Resource {
	return authz.Resource{OrgID: a.OrgID, ReviewerID: a.ReviewerID}
}

// refusal says in German why a role may not take a step.
func refusal(act authz.Action, err error) error {
	switch act {
	case authz.ApplicationSubmit:
		return domain.Errorf(domain.EForbidden, "Nur zeichnungsberechtigte Personen der Kommune können einen Weitergabevertrag einreichen oder zurückziehen.")
	case authz.ApplicationPrepare:
		return domain.Errorf(domain.EForbidden, "Nur zeichnungsberechtigte Personen und die Personalabteilung der Kommune können Anträge bearbeiten.")
	case authz.ApplicationReview:
		return domain.Errorf(domain.EForbidden, "Nur die prüfende Stelle des zuständigen Verbands kann über den Antrag entscheiden.")
	}
	return err
}

// allow checks act on a for the actor of ctx. Someone who may not even see
// the application is told it does not exist, so IDs reveal nothing.
func allow(ctx context.Context, a *domain.Application, act authz.Action) error {
	who := domain.ActorFrom(ctx)
	if !authz.Allowed(who, authz.ApplicationView, resource(a)) {
		if who.Anonymous() {
			return domain.ErrUnauthorized
		}
		return domain.ErrApplicationNotFound
	}
	if err := authz.Check(who, act, resource(a)); err != nil {
		return refusal(act, err)
	}
	return nil
}

// Application returns an application with its certificates, vouchers and
// history, after checking that the actor may take act on it (at least
// authz.ApplicationView).
func (s *Service) Application(ctx context.Context, id int64, act authz.Action) (a *domain.Application, err error) {
	defer domain.Wrap(&err, "funding.Application(%d)", id)
	a, err = s.db.Application(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := allow(ctx, a, act); err != nil {
		return nil, err
	}
	redact(ctx, a)
	return a, nil
}

// ApplicationRights says which steps the actor may take on an application,
// for the buttons a page shows.
type ApplicationRights struct {
	Edit, Submit, Review, Reviewing bool
	// Confirm: a decision another reviewer prepared waits for the actor.
	// Waiting: the actor's own prepared decision waits for a second person.
	Confirm, Waiting bool
	// Discuss: the actor may write in the application's thread.
	Discuss bool
}

// Rights returns what the actor may do with a.
func (s *Service) Rights(ctx context.Context, a *domain.Application) ApplicationRights {
	who, res := domain.ActorFrom(ctx), resource(a)
	r := ApplicationRights{
		Edit:      a.Editable() && authz.Allowed(who, authz.ApplicationPrepare, res),
		Submit:    authz.Allowed(who, authz.ApplicationSubmit, res),
		Review:    a.Status == domain.AppSubmitted && authz.Allowed(who, authz.ApplicationReview, res),
		Reviewing: authz.Allowed(who, authz.ApplicationReview, res),
		Discuss:   authz.Allowed(who, authz.ApplicationDiscuss, res) && a.ReviewerID != 0,
	}
	if r.Review && a.Pending != nil {
		r.Waiting = a.Pending.PreparedBy == who.PersonID()
		r.Confirm = !r.Waiting
	}
	return r
}

// ApplicantMemberships are the actor's memberships in municipalities it may
// prepare applications for, for the page's "new application" choice.
func (s *Service) ApplicantMemberships(ctx context.Context) []domain.Membership {
	a := domain.ActorFrom(ctx)
	var out []domain.Membership
	for _, m := range a.Memberships {
		if m.OrgKind == domain.OrgMunicipality && authz.Allowed(a, authz.ApplicationPrepare, authz.Resource{OrgID: m.OrgID}) {
			out = append(out, m)
		}
	}
	return out
}

// CanSubmitFor reports whether the actor may submit applications of the
// organisation, for the form's last step.
func (s *Service) CanSubmitFor(ctx context.Context, orgID int64) bool {
	return authz.Allowed(domain.ActorFrom(ctx), authz.ApplicationSubmit, authz.Resource{OrgID: orgID})
}

// Applications lists the applications the actor may see (authz's scope),
// narrowed by f's status, AGS and age.
func (s *Service) Applications(ctx context.Context, f domain.ApplicationFilter) (apps []domain.Application, total int, err error) {
	defer domain.Wrap(&err, "funding.Applications")
	who := domain.ActorFrom(ctx)
	if err := authz.Check(who, authz.ApplicationList, authz.Resource{}); err != nil {
		return nil, 0, err
	}
	scope := authz.ApplicationScope(who)
	f.OrgIDs, f.ReviewBy = scope.OrgIDs, scope.ReviewBy
	if f.Status != "" && !f.Status.Valid() {
		return nil, 0, domain.Errorf(domain.EBadRequest, "Unbekannter Status „%s“.", f.Status)
	}
	return s.db.Applications(ctx, f)
}

// Applicant returns the municipality's organisation a new application is
// prepared for, after checking that the actor may prepare one.
func (s *Service) Applicant(ctx context.Context, orgID int64) (o *domain.Organisation, err error) {
	defer domain.Wrap(&err, "funding.Applicant(%d)", orgID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.ApplicationPrepare, authz.Resource{OrgID: orgID}); err != nil {
		return nil, refusal(authz.ApplicationPrepare, err)
	}
	return s.db.Organisation(ctx, orgID)
}

// CreateApplicationFor starts a draft for the municipality with the AGS
// in.AGS (the API names the applicant by its AGS).
func (s *Service) CreateApplicationFor(ctx context.Context, in domain.ApplicationInput) (a *domain.Application, err error) {
	defer domain.Wrap(&err, "funding.CreateApplicationFor")
	if domain.ActorFrom(ctx).Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	if in.AGS == nil || *in.AGS == "" {
		return nil, &domain.Error{Code: domain.EInvalid, Message: "Bitte geben Sie den Gemeindeschlüssel der Kommune an.",
			Fields: map[string]string{"ags": "Bitte geben Sie den Gemeindeschlüssel der Kommune an."}}
	}
	org, err := s.db.OrganisationByAGS(ctx, *in.AGS)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, &domain.Error{Code: domain.EInvalid, Message: "Für diesen Gemeindeschlüssel gibt es kein Behördenkonto auf Lotse.",
			Fields: map[string]string{"ags": "Für diesen Gemeindeschlüssel gibt es kein Behördenkonto auf Lotse."}}
	} else if err != nil {
		return nil, err
	}
	return s.CreateApplication(ctx, org.ID, in)
}

// CreateApplication starts a draft for the municipality's organisation.
// Signatories and HR of the municipality may.
func (s *Service) CreateApplication(ctx context.Context, orgID int64, in domain.ApplicationInput) (a *domain.Application, err error) {
	defer domain.Wrap(&err, "funding.CreateApplication(%d)", orgID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.ApplicationPrepare, authz.Resource{OrgID: orgID}); err != nil {
		return nil, refusal(authz.ApplicationPrepare, err)
	}
	org, err := s.db.Organisation(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if org.Kind != domain.OrgMunicipality || org.AGS == "" {
		return nil, domain.Errorf(domain.EInvalid, "Nur Kommunen können einen Weitergabevertrag abschließen.")
	}
	if in.ProgrammeID == nil || *in.ProgrammeID == "" {
		return nil, &domain.Error{Code: domain.EInvalid, Message: "Bitte wählen Sie ein Förderprogramm.", Fields: map[string]string{"programme": "Bitte wählen Sie ein Förderprogramm."}}
	}
	if in.AGS != nil && *in.AGS != org.AGS {
		return nil, &domain.Error{Code: domain.EInvalid, Message: "Der Gemeindeschlüssel gehört nicht zu Ihrer Organisation.",
			Fields: map[string]string{"ags": fmt.Sprintf("Ihre Organisation hat den Gemeindeschlüssel %s.", org.AGS)}}
	}
	var id int64
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		a := &domain.Application{ProgrammeID: *in.ProgrammeID, OrgID: orgID, OrgName: org.Name, AGS: org.AGS, Status: domain.AppDraft,
			CreatedBy: domain.ActorFrom(ctx).PersonID()}
		p, err := tx.Programme(ctx, a.ProgrammeID)
		if err != nil {
			return &domain.Error{Code: domain.EInvalid, Message: domain.ErrorMessage(err), Fields: map[string]string{"programme": domain.ErrorMessage(err)}}
		}
		if err := checkOpen(p, a.AGS, tx.Now()); err != nil {
			return err
		}
		if err := applyInput(ctx, tx, p, a, in); err != nil {
			return err
		}
		if err := tx.CreateApplication(ctx, a); err != nil {
			return err
		}
		id = a.ID
		return tx.ApplicationEvent(ctx, a, "create", "", domain.AppDraft, "")
	})
	if err != nil {
		return nil, err
	}
	return s.view(ctx, id)
}

func checkOpen(p *domain.Programme, ags string, now time.Time) error {
	if !p.Open {
		return domain.Errorf(domain.EConflict, "Das Förderprogramm „%s“ nimmt derzeit keine Anträge an.", p.Name)
	}
	if !p.AcceptsOn(now) {
		return domain.Errorf(domain.EConflict, "Das Förderprogramm „%s“ nimmt nur %s Anträge an.", p.Name, p.PeriodLabel())
	}
	if len(ags) < 2 || ags[:2] != p.State {
		return domain.Errorf(domain.EInvalid, "Das Förderprogramm „%s“ gilt nur für Kommunen eines anderen Landes.", p.Name)
	}
	return nil
}

// applyInput validates a draft's fields against the programme and sets
// them on a. Drafts may be incomplete; submission checks completeness.
func applyInput(ctx context.Context, tx *store.Tx, p *domain.Programme, a *domain.Application, in domain.ApplicationInput) error {
	v := domain.Validation{}
	if in.ProgrammeID != nil && *in.ProgrammeID != a.ProgrammeID {
		v.Add("programme", "Das Förderprogramm eines Antrags lässt sich nicht ändern. Bitte legen Sie einen neuen Antrag an.")
	}
	if in.Track != nil {
		if _, ok := p.Track(*in.Track); !ok && *in.Track != "" {
			v.Add("track", "Bitte wählen Sie eine Qualifizierung des Programms.")
		} else {
			a.Track = *in.Track
		}
	}
	if in.ProviderID != nil {
		if *in.ProviderID != 0 && !p.FundsProvider(*in.ProviderID) {
			v.Add("provider", "Dieser Bildungsträger gehört nicht zum Förderprogramm.")
		} else {
			a.ProviderID = *in.ProviderID
		}
	}
	if in.People != nil {
		if *in.People < 0 || *in.People > 100 {
			v.Add("people", "Die Zahl der Personen muss zwischen 1 und 100 liegen.")
		} else {
			a.People = *in.People
		}
	}
	if in.Declarations != nil {
		a.Declarations = *in.Declarations
	}
	if in.Certificates != nil {
		certs := *in.Certificates
		seen := map[string]bool{}
		for i := range certs {
			c := &certs[i]
			c.Position = i + 1
			c.PersonName = strings.TrimSpace(c.PersonName)
			if c.PersonName == "" || utf8.RuneCountInString(c.PersonName) > 200 {
				v.Add(fmt.Sprintf("certificates.%d.person_name", i), "Bitte geben Sie den Namen der Person an.")
			} else if domain.HasControlChars(c.PersonName) {
				v.Add(fmt.Sprintf("certificates.%d.person_name", i), "Der Name darf keine Steuerzeichen (etwa Tabulatoren oder Zeilenumbrüche) enthalten.")
			}
			if c.CertificateID != "" {
				c.CertificateID = strings.ToLower(strings.TrimSpace(c.CertificateID))
				c.DocumentID, c.Check = 0, "verified"
				if seen[c.CertificateID] {
					v.Add(fmt.Sprintf("certificates.%d.certificate", i), "Dieses Zertifikat ist in diesem Antrag bereits für eine andere Person angegeben.")
					continue
				}
				seen[c.CertificateID] = true
				msg, err := baseCertificateProblem(ctx, tx, p, a, c)
				if err != nil {
					return err
				}
				if msg != "" {
					v.Add(fmt.Sprintf("certificates.%d.certificate", i), msg)
				}
				continue
			}
			d, err := tx.Document(ctx, c.DocumentID)
			if domain.ErrorCode(err) == domain.ENotFound || (err == nil && (d.OrgID != a.OrgID || d.MediaType != "application/pdf")) {
				v.Add(fmt.Sprintf("certificates.%d.document", i), "Bitte laden Sie das Teilnahmezertifikat als PDF hoch oder wählen Sie ein Zertifikat von Lotse.")
			} else if err != nil {
				return err
			}
			c.Check = "to_check"
		}
		a.Certificates = certs
	}
	return v.Err()
}

// baseCertificateProblem checks a platform certificate as the base proof of
// a person in application a, under the certificate's lock, and returns the
// German reason it does not count, or "".
func baseCertificateProblem(ctx context.Context, tx *store.Tx, p *domain.Programme, a *domain.Application, c *domain.ApplicationCertificate) (string, error) {
	f, err := tx.BaseCertificateFacts(ctx, domain.BaseCertificateUse{CertificateID: strings.ToLower(strings.TrimSpace(c.CertificateID)),
		OrgID: a.OrgID, ApplicationID: a.ID, ProgrammeID: a.ProgrammeID, Track: a.Track, BaseTrack: p.BaseTrack()})
	if err != nil {
		return "", err
	}
	return domain.BaseCertificateProblem(p, f, c.PersonName), nil
}

// UpdateApplication changes a draft, or an application returned for
// changes. Signatories and HR of the municipality may.
func (s *Service) UpdateApplication(ctx context.Context, id int64, in domain.ApplicationInput) (a *domain.Application, err error) {
	defer domain.Wrap(&err, "funding.UpdateApplication(%d)", id)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		a, err := tx.LockApplication(ctx, id)
		if err != nil {
			return err
		}
		if err := allow(ctx, a, authz.ApplicationPrepare); err != nil {
			return err
		}
		if !a.Editable() {
			return domain.Errorf(domain.EConflict, "Ein Antrag im Status „%s“ lässt sich nicht mehr ändern.", a.StatusLabel())
		}
		if in.AGS != nil && *in.AGS != a.AGS {
			return &domain.Error{Code: domain.EInvalid, Message: "Der Gemeindeschlüssel eines Antrags lässt sich nicht ändern.",
				Fields: map[string]string{"ags": "Der Gemeindeschlüssel eines Antrags lässt sich nicht ändern."}}
		}
		p, err := tx.Programme(ctx, a.ProgrammeID)
		if err != nil {
			return err
		}
		if err := applyInput(ctx, tx, p, a, in); err != nil {
			return err
		}
		if err := tx.UpdateApplication(ctx, a, in.Certificates != nil); err != nil {
			return err
		}
		return tx.ApplicationEvent(ctx, a, "update", a.Status, a.Status, "")
	})
	if err != nil {
		return nil, err
	}
	return s.view(ctx, id)
}

// SubmitApplication submits a complete application; signatories of the
// municipality may. Inside one transaction that locks the applicant's
// contingent it checks that the places are still available, checks every
// platform certificate again, and assigns the reviewing association, whose
// reviewers get a mail.
func (s *Service) SubmitApplication(ctx context.Context, id int64) (a *domain.Application, err error) {
	defer domain.Wrap(&err, "funding.SubmitApplication(%d)", id)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		// The contingent's lock first, then the application's: every
		// submission takes them in this order.
		a, err := tx.Application(ctx, id)
		if err != nil {
			return err
		}
		if err := allow(ctx, a, authz.ApplicationSubmit); err != nil {
			return err
		}
		if err := tx.LockMunicipality(ctx, a.AGS); errors.Is(err, domain.ErrNotFound) {
			return domain.Errorf(domain.EInvalid, "Diese Kommune gibt es im Gemeindeverzeichnis nicht.")
		} else if err != nil {
			return err
		}
		if a, err = tx.LockApplication(ctx, id); err != nil {
			return err
		}
		if !a.Status.CanTransition(domain.AppSubmitted) {
			return domain.ErrAppTransition(a.Status, "eingereicht")
		}
		p, err := tx.Programme(ctx, a.ProgrammeID)
		if err != nil {
			return err
		}
		if err := checkOpen(p, a.AGS, tx.Now()); err != nil {
			return err
		}
		v := domain.Validation{}
		track, ok := p.Track(a.Track)
		if !ok {
			v.Add("track", "Bitte wählen Sie eine Qualifizierung.")
		}
		if a.ProviderID == 0 {
			v.Add("provider", "Bitte wählen Sie einen Bildungsträger.")
		}
		if a.People < 1 {
			v.Add("people", "Bitte geben Sie an, wie viele Personen qualifiziert werden sollen.")
		}
		if !a.Declarations {
			v.Add("declarations", "Bitte bestätigen Sie die Erklärungen.")
		}
		for i := range a.Certificates {
			if a.Certificates[i].CertificateID == "" {
				continue
			}
			msg, err := baseCertificateProblem(ctx, tx, p, a, &a.Certificates[i])
			if err != nil {
				return err
			}
			if msg != "" {
				v.Add(fmt.Sprintf("certificates.%d.certificate", i), msg)
			}
		}
		if ok && track.RequiresBaseCertificate && len(a.Certificates) != a.People {
			v.Add("certificates", fmt.Sprintf("Für %s braucht jede Person ein Teilnahmezertifikat der Basisqualifizierung: %d von %d liegen vor.",
				track.Accusative(), len(a.Certificates), a.People))
		}
		if len(v) > 0 {
			return &domain.Error{Code: domain.EInvalid, Message: "Der Antrag ist noch nicht vollständig.", Fields: v}
		}
		c, typeCode, err := tx.Contingent(ctx, p, a.AGS)
		if err != nil {
			return err
		}
		if track.CountsAgainstContingent {
			// This application's own places count as used while it is
			// returned for changes; they are available to itself.
			own := 0
			if a.Status == domain.AppReturned {
				own = a.People
			}
			if avail := c.Remaining + own; a.People > avail {
				return &domain.Error{Code: domain.EConflict,
					Message: fmt.Sprintf("Das Kontingent reicht nicht: %s stehen %s zu, %d sind vergeben, %d frei. Beantragt sind %d.",
						c.Name, domain.Plural(c.Total, "Platz", "Plätze"), c.Used-own, avail, a.People),
					Fields: domain.ErrorFields(domain.PeopleWithinContingent(track, c, own, a.People))}
			}
		}
		reviewer := p.Reviewer(typeCode)
		if reviewer == 0 {
			return domain.Errorf(domain.EConflict, "Für %s ist im Förderprogramm kein prüfender Verband festgelegt.", c.Name)
		}
		if err := tx.SubmitApplication(ctx, a.ID, reviewer); err != nil {
			return err
		}
		if err := tx.ApplicationEvent(ctx, a, "submit", a.Status, domain.AppSubmitted, ""); err != nil {
			return err
		}
		data := map[string]any{"ID": a.ID, "Applicant": c.Name, "OrgName": a.OrgName, "People": a.People, "Track": track.Name,
			"Resubmitted": a.Status == domain.AppReturned}
		subject, body, err := s.notify.Render("funding-submitted-message", data)
		if err != nil {
			return err
		}
		if _, err := tx.CreateMessage(ctx, reviewer, subject, body, a.ID, nil); err != nil {
			return err
		}
		return s.notifyMembers(ctx, tx, reviewer, []domain.Role{domain.RoleReviewer}, "funding-submitted", data)
	})
	if err != nil {
		return nil, err
	}
	return s.view(ctx, id)
}

// WithdrawApplication withdraws an application that is not decided yet;
// signatories of the municipality may. Its places return to the contingent.
func (s *Service) WithdrawApplication(ctx context.Context, id int64) (a *domain.Application, err error) {
	defer domain.Wrap(&err, "funding.WithdrawApplication(%d)", id)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		a, err := tx.LockApplication(ctx, id)
		if err != nil {
			return err
		}
		if err := allow(ctx, a, authz.ApplicationSubmit); err != nil {
			return err
		}
		if !a.Status.CanTransition(domain.AppWithdrawn) {
			return domain.ErrAppTransition(a.Status, "zurückgezogen")
		}
		if err := tx.SupersedeDecisions(ctx, a.ID); err != nil {
			return err
		}
		if err := tx.WithdrawApplication(ctx, a.ID); err != nil {
			return err
		}
		return tx.ApplicationEvent(ctx, a, "withdraw", a.Status, domain.AppWithdrawn, "")
	})
	if err != nil {
		return nil, err
	}
	return s.view(ctx, id)
}

// RejectApplication rejects a submitted application with a reason; the
// reviewing association's reviewers may (under four eyes: prepare or
// confirm, see review).
func (s *Service) RejectApplication(ctx context.Context, id int64, reason string) (a *domain.Application, err error) {
	defer domain.Wrap(&err, "funding.RejectApplication(%d)", id)
	return s.review(ctx, id, domain.DecisionReject, reason)
}

// ReturnApplication sends a submitted application back for changes; the
// reviewing association's reviewers may (under four eyes: prepare or
// confirm, see review).
func (s *Service) ReturnApplication(ctx context.Context, id int64, comment string) (a *domain.Application, err error) {
	defer domain.Wrap(&err, "funding.ReturnApplication(%d)", id)
	return s.review(ctx, id, domain.DecisionReturn, comment)
}

// decide moves a, locked in tx, to rejected or returned with the reason or
// comment the municipality sees, puts a message with it into the
// municipality's mailbox and mails its signatories and HR.
func (s *Service) decide(ctx context.Context, tx *store.Tx, a *domain.Application, action domain.DecisionAction, text string) error {
	to := action.Status()
	if err := tx.DecideApplication(ctx, a.ID, to, text); err != nil {
		return err
	}
	if err := tx.ApplicationEvent(ctx, a, string(action), a.Status, to, text); err != nil {
		return err
	}
	reviewer := a.ReviewerName
	subject, body, err := s.notify.Render("funding-"+string(to)+"-message", map[string]any{"ID": a.ID, "Reviewer": reviewer, "Text": text})
	if err != nil {
		return err
	}
	if _, err := tx.CreateMessage(ctx, a.OrgID, subject, body, a.ID, nil); err != nil {
		return err
	}
	return s.notifyMembers(ctx, tx, a.OrgID, []domain.Role{domain.RoleSignatory, domain.RoleHR}, "funding-"+string(to), map[string]any{"ID": a.ID})
}

// CheckPeople checks the number of people asked for in step 2 of the form
// against what remains of the applicant's contingent, before the draft is
// saved, so the form says it at once. The submission checks it again under
// the contingent's lock; a draft saved through the API may exceed it.
func (s *Service) CheckPeople(ctx context.Context, id int64, n int) (err error) {
	defer domain.Wrap(&err, "funding.CheckPeople(%d)", id)
	a, err := s.db.Application(ctx, id)
	if err != nil {
		return err
	}
	if err := allow(ctx, a, authz.ApplicationPrepare); err != nil {
		return err
	}
	p, err := s.db.Programme(ctx, a.ProgrammeID)
	if err != nil {
		return err
	}
	t, ok := p.Track(a.Track)
	if !ok {
		return nil
	}
	c, err := s.db.Contingent(ctx, p, a.AGS)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil
	} else if err != nil {
		return err
	}
	own := 0
	if a.Status == domain.AppReturned {
		own = a.People
	}
	return domain.PeopleWithinContingent(t, c, own, n)
}
