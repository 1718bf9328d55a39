package store

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// IssueVoucher records a newly minted voucher, its first ledger entry and
// the money it commits in the programme's budget.
// code is the canonical code; v carries the rest.
func (tx *Tx) IssueVoucher(ctx context.Context, code voucher.Code, v *domain.Voucher) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO vouchers (code, application_id, programme_id, org_id, ags, track, provider_id,
		value_cents, state, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'issued', $9, $10)`,
		string(code), v.ApplicationID, v.ProgrammeID, v.OrgID, v.AGS, v.Track, v.ProviderID, v.ValueCents, v.IssuedAt, v.ExpiresAt); err != nil {
		return mapErr(err)
	}
	if err := tx.bookCommit(ctx, string(code), v); err != nil {
		return err
	}
	return tx.voucherEvent(ctx, string(code), v.OrgID, "", domain.VoucherIssued)
}
