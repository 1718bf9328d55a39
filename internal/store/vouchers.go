package store

import (
	"context"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/voucher"
)

func itoa(n int) string { return strconv.Itoa(n) }

const voucherSelect = `SELECT v.code, v.application_id, v.programme_id, v.org_id, v.ags, COALESCE(m.name, ''), v.track, v.provider_id,
	p.name, v.value_cents, v.state, v.issued_at, v.expires_at
	FROM vouchers v JOIN organisations p ON p.id = v.provider_id LEFT JOIN municipalities m ON m.ags = v.ags `

func (tx *Tx) vouchers(ctx context.Context, cond string, args ...any) ([]domain.Voucher, error) {
	rows, err := tx.QueryContext(ctx, voucherSelect+`WHERE `+cond+` ORDER BY v.issued_at, v.code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Voucher{}
	for rows.Next() {
		var v domain.Voucher
		if err := rows.Scan(&v.Code, &v.ApplicationID, &v.ProgrammeID, &v.OrgID, &v.AGS, &v.Municipality, &v.Track, &v.ProviderID,
			&v.ProviderName, &v.ValueCents, &v.State, &v.IssuedAt, &v.ExpiresAt); err != nil {
			return nil, err
		}
		v.Code = voucher.Code(v.Code).String()
		v.IssuedAt, v.ExpiresAt = v.IssuedAt.UTC(), v.ExpiresAt.UTC()
		if v.State == domain.VoucherIssued && !tx.now.Before(v.ExpiresAt) {
			v.State = domain.VoucherExpired
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Voucher returns the voucher with the canonical code.
func (db *DB) Voucher(ctx context.Context, code voucher.Code) (*domain.Voucher, error) {
	var vs []domain.Voucher
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		vs, err = tx.vouchers(ctx, `v.code = $1`, string(code))
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, domain.Errorf(domain.ENotFound, "Diesen Gutscheincode gibt es nicht.")
	}
	return &vs[0], nil
}
