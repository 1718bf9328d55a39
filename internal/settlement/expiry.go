package settlement

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// expiryBatch bounds the vouchers one round lets expire.
const expiryBatch = 500

// ExpireVouchers marks unused vouchers past their expiry as expired and
// releases their money in the budget (a release entry each). It is the
// body of a job and acts for nobody; a voucher changes only while it is
// still issued, so two instances running it at once release it once. It
// returns the number of vouchers that expired.
func (s *Service) ExpireVouchers(ctx context.Context) (n int, err error) {
	defer domain.Wrap(&err, "settlement.ExpireVouchers")
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		n = 0
		codes, err := tx.LockExpiredVouchers(ctx, expiryBatch)
		if err != nil {
			return err
		}
		for _, v := range codes {
			err := tx.ChangeVoucher(ctx, store.VoucherChange{Code: voucher.Code(v.Code), OrgID: v.OrgID, From: domain.VoucherIssued,
				To: domain.VoucherExpired, Reason: "Gültigkeit abgelaufen"})
			if err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// RunExpiry lets expire what is due, batch by batch.
func (s *Service) RunExpiry(ctx context.Context) error {
	return domain.Rounds(ctx, expiryBatch, s.ExpireVouchers)
}
