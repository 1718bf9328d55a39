package funding

import (
	"context"
	"fmt"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// ApproveApplication approves a submitted application; the reviewing
// association's reviewers may. Under four eyes (the programme's setting) the
// first reviewer prepares the approval and a second one confirms it (see
// review). In one transaction the approval mints one voucher per person
// (with their ledger entries), renders the contract and the voucher lists,
// stores them, delivers them to the municipality's mailbox and mails its
// signatories and HR. If any step fails, nothing of it remains: no
// vouchers, no documents, no message, no mail, and the stored blobs are
// removed again.
func (s *Service) ApproveApplication(ctx context.Context, id int64) (a *domain.Application, err error) {
	defer domain.Wrap(&err, "funding.ApproveApplication(%d)", id)
	return s.review(ctx, id, domain.DecisionApprove, "")
}

// approve approves a, locked in tx, for the actor of ctx. Blobs it stored
// are added to stored, so the caller can remove them if tx fails.
func (s *Service) approve(ctx context.Context, tx *store.Tx, a *domain.Application, p *domain.Programme, stored *[]string) error {
	track, ok := p.Track(a.Track)
	if !ok {
		return domain.Errorf(domain.EConflict, "Die Qualifizierung „%s“ gibt es im Förderprogramm nicht mehr.", a.Track)
	}
	now := tx.Now()
	d, err := approvalData(ctx, tx, a, p, track, now)
	if err != nil {
		return err
	}
	value := voucherValue(track)
	// The vouchers bind money of the year's budget: read the balance under
	// the budget's lock, so that concurrent approvals never overspend it.
	year := domain.BudgetYear(now)
	if err := tx.LockBudget(ctx, p.ID, year); err != nil {
		return err
	}
	budget, err := tx.Budget(ctx, p.ID, year)
	if err != nil {
		return err
	}
	if err := budget.Commit(value * int64(a.People)); err != nil {
		return err
	}
	for i := 0; i < a.People; i++ {
		code, err := voucher.New(a.AGS)
		if err != nil {
			return err
		}
		v := domain.Voucher{Code: code.String(), ApplicationID: a.ID, ProgrammeID: p.ID, OrgID: a.OrgID, AGS: a.AGS,
			Municipality: d.Applicant.Name, Track: a.Track, ProviderID: a.ProviderID, ProviderName: d.Provider.Name,
			ValueCents: value, State: domain.VoucherIssued, IssuedAt: now, ExpiresAt: d.ValidUntil}
		if err := tx.IssueVoucher(ctx, code, &v); err != nil {
			return err
		}
		d.Vouchers = append(d.Vouchers, v)
	}
	files, err := s.render(d)
	if err != nil {
		return fmt.Errorf("render approval documents: %w", err)
	}
	var attach []int64
	var contract int64
	for _, f := range files {
		doc, key, err := tx.StoreGeneratedDocument(ctx, d.Application.OrgID, f.Kind, f.Name, f.MediaType, f.Content)
		if key != "" {
			*stored = append(*stored, key)
		}
		if err != nil {
			return err
		}
		attach = append(attach, doc.ID)
		if f.Kind == "contract" {
			contract = doc.ID
		}
	}
	if err := tx.ApproveApplication(ctx, a.ID, d.Number, contract); err != nil {
		return err
	}
	if err := tx.ApplicationEvent(ctx, a, "approve", a.Status, domain.AppApproved, ""); err != nil {
		return err
	}
	subject, body, err := s.notify.Render("funding-approved-message", map[string]any{
		"Reviewer": d.Reviewer.Name, "Programme": p.Name, "Number": d.Number, "Track": track.Name, "Provider": d.Provider.Name,
		"People": a.People, "ValidUntil": d.ValidUntil, "Vouchers": len(d.Vouchers)})
	if err != nil {
		return err
	}
	if _, err := tx.CreateMessage(ctx, a.OrgID, subject, body, a.ID, attach); err != nil {
		return err
	}
	return s.notifyMembers(ctx, tx, a.OrgID, []domain.Role{domain.RoleSignatory, domain.RoleHR}, "funding-approved",
		map[string]any{"OrgName": a.OrgName, "Number": d.Number})
}

// approvalData gathers what the contract is made from, but the vouchers.
func approvalData(ctx context.Context, tx *store.Tx, a *domain.Application, p *domain.Programme, track domain.Track, now time.Time) (*domain.ApprovalData, error) {
	d := &domain.ApprovalData{Application: a, Programme: p, Track: track, At: now, Number: domain.ContractNumber(a.ID, now),
		ValidUntil: now.AddDate(0, 0, p.VoucherValidityDays)}
	if err := tx.ApprovalParties(ctx, d); err != nil {
		return nil, err
	}
	if actor := domain.ActorFrom(ctx); !actor.Anonymous() {
		d.ReviewerName = actor.Person.Name
	}
	return d, nil
}

// voucherValue is what a voucher of the track is worth when issued.
func voucherValue(track domain.Track) int64 {
	if track.Rule == domain.RulePerDay && track.MaxCents > 0 {
		// The value of an advanced voucher follows the booked training's
		// days; until then it is worth at most the programme's maximum.
		return track.MaxCents
	}
	return track.VoucherValue(track.Days)
}

// ContractPreview renders the contract an approval of the application would
// make now, for the reviewer to read before approving: the same document,
// with placeholders where the voucher codes will stand. Nothing is stored
// and no voucher is issued.
func (s *Service) ContractPreview(ctx context.Context, id int64) (f *domain.GeneratedFile, err error) {
	defer domain.Wrap(&err, "funding.ContractPreview(%d)", id)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		a, err := tx.Application(ctx, id)
		if err != nil {
			return err
		}
		if err := allow(ctx, a, authz.ApplicationReview); err != nil {
			return err
		}
		if !a.Status.CanTransition(domain.AppApproved) {
			return domain.ErrAppTransition(a.Status, "genehmigt")
		}
		p, err := tx.Programme(ctx, a.ProgrammeID)
		if err != nil {
			return err
		}
		track, ok := p.Track(a.Track)
		if !ok {
			return domain.Errorf(domain.EConflict, "Die Qualifizierung „%s“ gibt es im Förderprogramm nicht mehr.", a.Track)
		}
		d, err := approvalData(ctx, tx, a, p, track, tx.Now())
		if err != nil {
			return err
		}
		d.Number = "Entwurf"
		for i := 0; i < a.People; i++ {
			d.Vouchers = append(d.Vouchers, domain.Voucher{Code: "wird bei der Genehmigung erzeugt", AGS: a.AGS, Municipality: d.Applicant.Name,
				Track: a.Track, ProviderName: d.Provider.Name, ValueCents: voucherValue(track), State: domain.VoucherIssued, ExpiresAt: d.ValidUntil})
		}
		files, err := s.render(d)
		if err != nil {
			return fmt.Errorf("render the contract preview: %w", err)
		}
		for i := range files {
			if files[i].Kind == "contract" {
				f = &files[i]
				f.Name = fmt.Sprintf("weitergabevertrag-entwurf-%d.pdf", a.ID)
			}
		}
		if f == nil {
			return fmt.Errorf("render the contract preview: no contract among %d files", len(files))
		}
		return nil
	})
	return f, err
}
