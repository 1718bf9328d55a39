package settlement

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// maxComment bounds comments and notes on a claim.
const maxComment = 2000

// Review is the funder side's word on a claim: a comment the provider
// reads, and an internal note only the funder side reads.
type Review struct {
	Comment string `json:"comment"`
	Note    string `json:"note"`
}

func (r *Review) validate(commentNeeded bool) error {
	r.Comment, r.Note = strings.TrimSpace(r.Comment), strings.TrimSpace(r.Note)
	v := domain.Validation{}
	if commentNeeded && r.Comment == "" {
		v.Add("comment", "Bitte schreiben Sie dem Bildungsträger, was zu korrigieren ist.")
	}
	if utf8.RuneCountInString(r.Comment) > maxComment {
		v.Add("comment", fmt.Sprintf("Der Kommentar darf höchstens %d Zeichen lang sein.", maxComment))
	}
	if utf8.RuneCountInString(r.Note) > maxComment {
		v.Add("note", fmt.Sprintf("Die interne Notiz darf höchstens %d Zeichen lang sein.", maxComment))
	}
	return v.Err()
}

// CheckClaim is the first eye: someone of the programme's funder confirms
// that the claim is right in content (the vouchers were redeemed, the
// amounts follow the programme).
func (s *Service) CheckClaim(ctx context.Context, id int64, r Review) (c *domain.Claim, err error) {
	defer domain.Wrap(&err, "settlement.CheckClaim(%d)", id)
	err = s.review(ctx, id, func(tx *store.Tx, c *domain.Claim, p *domain.Programme) error {
		if err := r.validate(false); err != nil {
			return err
		}
		if c.Status != domain.ClaimSubmitted {
			return domain.Errorf(domain.EConflict, "Diese Abrechnung ist %s: Sachlich geprüft wird nur eine eingereichte Abrechnung.", strings.ToLower(c.Status.Label()))
		}
		if err := tx.StepClaim(ctx, c, store.ClaimStep{Action: "check", From: c.Status, To: domain.ClaimChecked, Comment: r.Comment}); err != nil {
			return err
		}
		if err := s.note(ctx, tx, c, r.Note); err != nil {
			return err
		}
		return s.notifyMembers(ctx, tx, p.FunderID, domain.RoleFunder, "claim-checked", claimMail(c, p))
	})
	if err != nil {
		return nil, err
	}
	return s.Claim(ctx, id)
}

// ApproveClaim is the second eye: another person of the funder releases
// the money. The claim's vouchers become settled (a credit note's revoked),
// and the payment is booked in the ledger.
func (s *Service) ApproveClaim(ctx context.Context, id int64, r Review) (c *domain.Claim, err error) {
	defer domain.Wrap(&err, "settlement.ApproveClaim(%d)", id)
	err = s.review(ctx, id, func(tx *store.Tx, c *domain.Claim, p *domain.Programme) error {
		if err := r.validate(false); err != nil {
			return err
		}
		if c.Status != domain.ClaimChecked {
			return domain.Errorf(domain.EConflict, "Diese Abrechnung ist %s: Freigegeben wird erst nach der sachlichen Prüfung.", strings.ToLower(c.Status.Label()))
		}
		if err := domain.SecondEye(c.CheckedByID, domain.ActorFrom(ctx).PersonID()); err != nil {
			return err
		}
		if err := s.pay(ctx, tx, c); err != nil {
			return err
		}
		if err := tx.StepClaim(ctx, c, store.ClaimStep{Action: "approve", From: c.Status, To: domain.ClaimApproved, Comment: r.Comment}); err != nil {
			return err
		}
		if err := s.note(ctx, tx, c, r.Note); err != nil {
			return err
		}
		return s.notifyMembers(ctx, tx, c.ProviderID, domain.RoleProviderStaff, "claim-approved", claimMail(c, p))
	})
	if err != nil {
		return nil, err
	}
	return s.Claim(ctx, id)
}

// pay settles the claim's vouchers and books the payment: for each voucher
// the claimed amount leaves "claimed" and enters "paid". A credit note
// books the money back and releases it.
func (s *Service) pay(ctx context.Context, tx *store.Tx, c *domain.Claim) error {
	round := submissions(c)
	for _, it := range c.Items {
		year, err := tx.VoucherYear(ctx, it.Code)
		if err != nil {
			return err
		}
		to := domain.VoucherSettled
		if c.Kind == domain.ClaimCreditNote {
			to = domain.VoucherRevoked
		}
		if !it.State.CanTransition(to) {
			return domain.Errorf(domain.EConflict, "Der Gutschein %s ist %s und kann nicht mehr %s werden.", it.Code, strings.ToLower(it.State.Label()),
				map[bool]string{true: "gutgeschrieben", false: "abgerechnet"}[c.Kind == domain.ClaimCreditNote])
		}
		if err := tx.SettleVoucher(ctx, it.Code, c.ProviderID, it.State, to, c.Number); err != nil {
			return err
		}
		amount := sign(c) * it.ValueCents
		entries := []store.LedgerEntry{
			{Kind: domain.EntryClaim, Amount: -amount, Key: fmt.Sprintf("claim-close:%d:%s:%d", c.ID, it.Code, round)},
			{Kind: domain.EntryPay, Amount: amount, Key: fmt.Sprintf("pay:%d:%s", c.ID, it.Code)},
		}
		if c.Kind == domain.ClaimCreditNote {
			entries = append(entries, store.LedgerEntry{Kind: domain.EntryRelease, Amount: -it.ValueCents, Key: fmt.Sprintf("credit-release:%d:%s", c.ID, it.Code)})
		}
		for _, e := range entries {
			e.Programme, e.Year, e.Voucher, e.Claim, e.Note = c.ProgrammeID, year, it.Code, c.ID, c.Number
			if _, err := tx.Book(ctx, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReturnClaim sends a submitted or checked claim back to the provider with
// a comment it reads (and maybe an internal note); the claimed money leaves
// "claimed" until it is submitted again.
func (s *Service) ReturnClaim(ctx context.Context, id int64, r Review) (c *domain.Claim, err error) {
	defer domain.Wrap(&err, "settlement.ReturnClaim(%d)", id)
	err = s.review(ctx, id, func(tx *store.Tx, c *domain.Claim, p *domain.Programme) error {
		if err := r.validate(true); err != nil {
			return err
		}
		if !c.Status.CanTransition(domain.ClaimReturned) {
			return domain.Errorf(domain.EConflict, "Diese Abrechnung ist %s und kann nicht zurückgegeben werden.", strings.ToLower(c.Status.Label()))
		}
		round := submissions(c)
		for _, it := range c.Items {
			year, err := tx.VoucherYear(ctx, it.Code)
			if err != nil {
				return err
			}
			if _, err := tx.Book(ctx, store.LedgerEntry{Programme: c.ProgrammeID, Year: year, Kind: domain.EntryClaim, Amount: -sign(c) * it.ValueCents,
				Voucher: it.Code, Claim: c.ID, Key: fmt.Sprintf("claim-close:%d:%s:%d", c.ID, it.Code, round), Note: c.Number}); err != nil {
				return err
			}
		}
		if err := tx.StepClaim(ctx, c, store.ClaimStep{Action: "return", From: c.Status, To: domain.ClaimReturned, Comment: r.Comment}); err != nil {
			return err
		}
		if err := s.note(ctx, tx, c, r.Note); err != nil {
			return err
		}
		data := claimMail(c, p)
		data["Comment"] = r.Comment
		return s.notifyMembers(ctx, tx, c.ProviderID, domain.RoleProviderStaff, "claim-returned", data)
	})
	if err != nil {
		return nil, err
	}
	return s.Claim(ctx, id)
}

// NoteClaim adds an internal note of the funder side to a claim's history.
func (s *Service) NoteClaim(ctx context.Context, id int64, note string) (c *domain.Claim, err error) {
	defer domain.Wrap(&err, "settlement.NoteClaim(%d)", id)
	r := Review{Note: note}
	err = s.review(ctx, id, func(tx *store.Tx, c *domain.Claim, _ *domain.Programme) error {
		if err := r.validate(false); err != nil {
			return err
		}
		if r.Note == "" {
			return fieldError("note", "Bitte schreiben Sie eine Notiz.")
		}
		return s.note(ctx, tx, c, r.Note)
	})
	if err != nil {
		return nil, err
	}
	return s.Claim(ctx, id)
}

func (s *Service) note(ctx context.Context, tx *store.Tx, c *domain.Claim, note string) error {
	if note == "" {
		return nil
	}
	return tx.StepClaim(ctx, c, store.ClaimStep{Action: "note", From: c.Status, To: c.Status, Comment: note, Internal: true})
}

// review locks a submitted claim for the funder side and runs fn. Others
// learn nothing of it.
func (s *Service) review(ctx context.Context, id int64, fn func(*store.Tx, *domain.Claim, *domain.Programme) error) error {
	if domain.ActorFrom(ctx).Anonymous() {
		return domain.ErrUnauthorized
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		c, err := tx.LockClaim(ctx, id)
		if err != nil {
			return err
		}
		p, err := tx.Programme(ctx, c.ProgrammeID)
		if err != nil {
			return err
		}
		a := domain.ActorFrom(ctx)
		res := authz.Resource{OrgID: p.FunderID, ProviderID: c.ProviderID}
		if !authz.Allowed(a, authz.ClaimReview, res) || c.SubmittedAt == nil {
			if authz.Allowed(a, authz.ClaimView, res) {
				return domain.Errorf(domain.EForbidden, "Abrechnungen prüfen und freigeben darf nur der Fördergeber.")
			}
			return domain.ErrNotFound
		}
		return fn(tx, c, p)
	})
}
