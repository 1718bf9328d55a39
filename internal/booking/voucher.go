package booking

import (
	"context"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// ReleaseVoucher frees a voucher that a cancellation after the registration
// deadline left reserved, so the participant can book with it again. The
// provider's staff and the programme's funder decide; the ledger records
// who and why.
func (s *Service) ReleaseVoucher(ctx context.Context, code, reason string) (v *domain.Voucher, err error) {
	defer domain.Wrap(&err, "booking.ReleaseVoucher")
	return s.settleLate(ctx, code, domain.VoucherIssued, reason)
}

// ForfeitVoucher lets a voucher that a late cancellation left reserved
// lapse under the offer's cancellation rule: the provider may claim it in
// settlement, the participant cannot book with it again. A reason is
// required; the ledger records it.
func (s *Service) ForfeitVoucher(ctx context.Context, code, reason string) (v *domain.Voucher, err error) {
	defer domain.Wrap(&err, "booking.ForfeitVoucher")
	return s.settleLate(ctx, code, domain.VoucherForfeited, reason)
}

func (s *Service) settleLate(ctx context.Context, typed string, to domain.VoucherState, reason string) (*domain.Voucher, error) {
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	if !authz.DecidesLateVouchers(a) {
		return nil, domain.ErrVoucherReleaseForbidden
	}
	code, err := voucher.Parse(typed)
	if err != nil {
		return nil, domain.ErrVoucherUnknown
	}
	reason = strings.TrimSpace(reason)
	if reason == "" && to == domain.VoucherForfeited {
		return nil, domain.ErrReasonRequired
	}
	if len(reason) > 500 {
		return nil, &domain.Error{Code: domain.EInvalid, Message: "Der Grund darf höchstens 500 Zeichen lang sein.",
			Fields: map[string]string{"reason": "Bitte kürzen Sie den Grund auf 500 Zeichen."}}
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		v, err := tx.LockVoucher(ctx, code)
		if err != nil {
			return err
		}
		var funder int64
		if p, err := tx.VoucherProgramme(ctx, v.ProgrammeID); err == nil {
			funder = p.FunderID
		} else if domain.ErrorCode(err) != domain.ENotFound {
			return err
		}
		if !authz.ReleasesVoucherLate(a, v.ProviderID, funder) {
			return domain.ErrVoucherUnknown
		}
		b, err := tx.LastVoucherBooking(ctx, code)
		if err != nil {
			return err
		}
		if v.State != domain.VoucherReserved || b == nil || b.Status != domain.BookingCancelled || !v.State.CanTransition(to) {
			return domain.ErrVoucherNotLate
		}
		return tx.ChangeVoucher(ctx, store.VoucherChange{Code: code, OrgID: v.ProviderID, From: domain.VoucherReserved, To: to, Reason: reason})
	})
	if err != nil {
		return nil, err
	}
	return s.db.Voucher(ctx, code)
}
