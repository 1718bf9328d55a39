package funding

import (
	"context"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// HandVoucher hands an issued voucher of a municipality to a named person:
// a member of the municipality or an address, which gets an invitation to
// it as participant (the voucher is bound to the address and so to the
// person who accepts). The municipality's HR and signatories may, while the
// voucher is unused; changing the holder needs a reason. The handing is a
// ledger entry with its audit entry, and the holder is told by mail
// (without the code).
func (s *Service) HandVoucher(ctx context.Context, code string, in domain.HandingInput) (v *domain.Voucher, err error) {
	defer domain.Wrap(&err, "funding.HandVoucher")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	c, err := voucher.Parse(code)
	if err != nil {
		return nil, domain.ErrVoucherUnknown
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		v, err := tx.LockVoucher(ctx, c)
		if err != nil {
			return err
		}
		if err := mayManageVouchers(a, v.OrgID); err != nil {
			return err
		}
		_, err = s.hand(ctx, tx, c, v, in, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.db.Voucher(ctx, c)
}

// mayManageVouchers asks the policy whether a hands out the vouchers of the
// municipality org. Someone outside the municipality is told the voucher
// does not exist.
func mayManageVouchers(a *domain.Actor, org int64) error {
	if authz.Allowed(a, authz.VoucherManage, authz.Resource{OrgID: org}) {
		return nil
	}
	if authz.Allowed(a, authz.OrgView, authz.Resource{OrgID: org}) {
		return domain.ErrVoucherHandForbidden
	}
	return domain.ErrVoucherUnknown
}

// hand is the handing of v (locked in tx) after the policy was asked. It
// invites an address that is not a member of the municipality yet, and
// with mail tells the holder (and a previous holder that it is no longer
// theirs). It reports whether it invited.
func (s *Service) hand(ctx context.Context, tx *store.Tx, c voucher.Code, v *domain.Voucher, in domain.HandingInput, mail bool) (bool, error) {
	if err := in.Validate(v.HolderEmail != ""); err != nil {
		return false, err
	}
	if v.State != domain.VoucherIssued || !tx.Now().Before(v.ExpiresAt) {
		return false, domain.ErrVoucherNotHandable
	}
	if in.Email == v.HolderEmail {
		return false, nil // already theirs: nothing changes
	}
	org, err := tx.Organisation(ctx, v.OrgID)
	if err != nil {
		return false, err
	}
	// Lock the organisation like an invitation does, so that two handings
	// to one new address invite it once.
	if err := tx.LockOrg(ctx, v.OrgID); err != nil {
		return false, err
	}
	member, open, err := tx.InvitationConflicts(ctx, v.OrgID, in.Email)
	if err != nil {
		return false, err
	}
	a := domain.ActorFrom(ctx)
	from := a.Person.Name
	invited := false
	if !member && !open {
		inv := &domain.Invitation{OrgID: v.OrgID, Email: in.Email, InvitedBy: a.PersonID(), Roles: []domain.Role{domain.RoleParticipant}}
		token, err := tx.CreateInvitation(ctx, inv)
		if err != nil {
			return false, err
		}
		if err := s.notify.Enqueue(ctx, tx, inv.Email, "account-invitation", map[string]any{
			"Org": org.Name, "From": from, "Token": token, "Roles": []string{domain.RoleParticipant.Label()}}); err != nil {
			return false, err
		}
		if err := tx.Audit(ctx, v.OrgID, "invitation.create", "invitation", inv.ID, map[string]any{"roles": inv.Roles}); err != nil { // by ID, without the address (privacy)
			return false, err
		}
		invited = true
	}
	err = tx.HandVoucher(ctx, store.VoucherHanding{Code: c, OrgID: v.OrgID, Previous: v.HolderEmail, Email: in.Email, Reason: in.Reason})
	if domain.ErrorCode(err) == domain.EConflict {
		return false, domain.ErrVoucherNotHandable
	} else if err != nil {
		return false, err
	}
	if !mail {
		return invited, nil
	}
	track := v.Track
	if p, err := tx.VoucherProgramme(ctx, v.ProgrammeID); err == nil {
		if t, ok := p.Track(v.Track); ok {
			track = t.Name
		}
	} else if domain.ErrorCode(err) != domain.ENotFound {
		return false, err
	}
	if v.HolderEmail != "" {
		if err := s.notify.Enqueue(ctx, tx, v.HolderEmail, "voucher-withdrawn", map[string]any{
			"From": from, "Municipality": org.Name, "Track": track, "Provider": v.ProviderName}); err != nil {
			return false, err
		}
	}
	return invited, s.notify.Enqueue(ctx, tx, in.Email, "voucher-handed", map[string]any{
		"From": from, "Municipality": org.Name, "Track": track, "Provider": v.ProviderName,
		"ExpiresAt": formatDate(v.ExpiresAt), "Invited": invited})
}

// MunicipalityVouchers lists the vouchers of a municipality with their
// holders and states, for its HR and signatories.
func (s *Service) MunicipalityVouchers(ctx context.Context, orgID int64) (vs []domain.Voucher, err error) {
	defer domain.Wrap(&err, "funding.MunicipalityVouchers(%d)", orgID)
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.VoucherManage, authz.Resource{OrgID: orgID}); err != nil {
		if a.Anonymous() {
			return nil, err
		}
		return nil, domain.ErrVoucherHandForbidden
	}
	return s.db.Vouchers(ctx, store.VoucherFilter{OrgIDs: []int64{orgID}})
}

// FreeVouchers lists the vouchers of a municipality that nobody holds and
// that can still be booked, of one track if track is not "" (the answer to
// a funding request hands one of them).
func (s *Service) FreeVouchers(ctx context.Context, orgID int64, programme, track string) (vs []domain.Voucher, err error) {
	defer domain.Wrap(&err, "funding.FreeVouchers(%d)", orgID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.VoucherManage, authz.Resource{OrgID: orgID}); err != nil {
		return nil, err
	}
	return s.db.Vouchers(ctx, store.VoucherFilter{OrgIDs: []int64{orgID}, Free: true, ProgrammeID: programme, Track: track})
}

// MyVouchers lists the vouchers handed to the actor (by their address),
// each unused one with the upcoming sessions it can book: sessions of
// published offers of its provider funded by its track, before its expiry,
// with registration open.
func (s *Service) MyVouchers(ctx context.Context) (out []domain.HeldVoucher, err error) {
	defer domain.Wrap(&err, "funding.MyVouchers")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	vs, err := s.db.Vouchers(ctx, store.VoucherFilter{HolderEmail: a.Person.Email})
	if err != nil {
		return nil, err
	}
	out = []domain.HeldVoucher{}
	for _, v := range vs {
		h := domain.HeldVoucher{Voucher: v, Sessions: []domain.VoucherSession{}}
		if v.State == domain.VoucherIssued {
			if h.Sessions, err = s.db.VoucherSessions(ctx, v.ProviderID, v.ProgrammeID+"/"+v.Track, v.ExpiresAt, 10); err != nil {
				return nil, err
			}
		}
		out = append(out, h)
	}
	return out, nil
}

// formatDate is how mails show a date.
func formatDate(t time.Time) string { return t.Format("02.01.2006") }
