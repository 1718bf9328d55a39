package store

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/voucher"
)

func itoa(n int) string { return strconv.Itoa(n) }

const voucherSelect = `SELECT v.code, v.application_id, v.programme_id, v.org_id, v.ags, COALESCE(m.name, ''), v.track, v.provider_id,
	p.name, v.value_cents, v.state, v.issued_at, v.expires_at, v.holder_email, COALESCE(h.name, ''), v.handed_at
	FROM vouchers v JOIN organisations p ON p.id = v.provider_id LEFT JOIN municipalities m ON m.ags = v.ags
	LEFT JOIN persons h ON h.email = v.holder_email AND v.holder_email <> '' `

func (tx *Tx) vouchers(ctx context.Context, cond string, args ...any) ([]domain.Voucher, error) {
	rows, err := tx.QueryContext(ctx, voucherSelect+`WHERE `+cond+` ORDER BY v.issued_at, v.code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Voucher{}
	for rows.Next() {
		v, err := scanVoucher(rows)
		if err != nil {
			return nil, err
		}
		if v.State == domain.VoucherIssued && !tx.now.Before(v.ExpiresAt) {
			v.State = domain.VoucherExpired
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

func scanVoucher(row interface{ Scan(...any) error }) (*domain.Voucher, error) {
	var v domain.Voucher
	var handed sql.NullTime
	if err := row.Scan(&v.Code, &v.ApplicationID, &v.ProgrammeID, &v.OrgID, &v.AGS, &v.Municipality, &v.Track, &v.ProviderID,
		&v.ProviderName, &v.ValueCents, &v.State, &v.IssuedAt, &v.ExpiresAt, &v.HolderEmail, &v.HolderName, &handed); err != nil {
		return nil, err
	}
	v.Code = voucher.Code(v.Code).String()
	v.IssuedAt, v.ExpiresAt = v.IssuedAt.UTC(), v.ExpiresAt.UTC()
	v.HandedAt = nullTime(handed)
	return &v, nil
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
		return nil, domain.ErrVoucherUnknown
	}
	return &vs[0], nil
}

// LockVoucher reads a voucher with its stored state (an issued voucher past
// its expiry stays issued here) and locks its row until the transaction
// ends.
func (tx *Tx) LockVoucher(ctx context.Context, code voucher.Code) (*domain.Voucher, error) {
	q := tx.forUpdateOf(voucherSelect+`WHERE v.code = $1`, "v")
	v, err := scanVoucher(tx.QueryRowContext(ctx, q, string(code)))
	if errNoRows(err) {
		return nil, domain.ErrVoucherUnknown
	} else if err != nil {
		return nil, err
	}
	return v, nil
}

// VoucherChange is one change of a voucher's state, as the ledger records it.
type VoucherChange struct {
	Code     voucher.Code
	OrgID    int64 // the organisation whose audit log records it
	From, To domain.VoucherState
	// ValueCents replaces the voucher's value when positive (a per-day
	// voucher is worth the session's days).
	ValueCents int64
	Reason     string
}

// ChangeVoucher moves a voucher from one state to another and records the
// change in the ledger and the audit log, and books the money it moves in
// the programme's budget (a release, an adjusted value). It returns
// domain.ErrConflict when the voucher is no longer in the From state.
func (tx *Tx) ChangeVoucher(ctx context.Context, c VoucherChange) error {
	m, err := tx.voucherMoney(ctx, string(c.Code))
	if errNoRows(err) {
		return domain.ErrConflict
	} else if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE vouchers SET state = $1, value_cents = CASE WHEN $2 > 0 THEN $2 ELSE value_cents END
		WHERE code = $3 AND state = $4`, string(c.To), c.ValueCents, string(c.Code), string(c.From))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.ErrConflict
	}
	if err := tx.bookVoucherMove(ctx, string(c.Code), m, c.From, c.To, c.ValueCents); err != nil {
		return err
	}
	return tx.voucherEventReason(ctx, string(c.Code), c.OrgID, c.From, c.To, c.Reason)
}

func (tx *Tx) voucherEvent(ctx context.Context, code string, orgID int64, from, to domain.VoucherState) error {
	return tx.voucherEventReason(ctx, code, orgID, from, to, "")
}

func (tx *Tx) voucherEventReason(ctx context.Context, code string, orgID int64, from, to domain.VoucherState, reason string) error {
	var actor any
	if id := domain.ActorFrom(ctx).PersonID(); id != 0 {
		actor = id
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO voucher_events (code, at, actor_id, from_state, to_state, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
		code, tx.now, actor, string(from), string(to), reason); err != nil {
		return err
	}
	detail := map[string]string{"from": string(from), "to": string(to)}
	if reason != "" {
		detail["reason"] = reason
	}
	return tx.audit(ctx, orgID, "voucher."+string(to), "voucher", code, detail)
}

// VoucherEvent is an entry of a voucher's ledger.
type VoucherEvent struct {
	From, To domain.VoucherState
	Reason   string
	Holder   string // the address a handing gave the voucher to
}

// VoucherEvents returns a voucher's ledger, oldest first.
func (db *DB) VoucherEvents(ctx context.Context, code voucher.Code) ([]VoucherEvent, error) {
	rows, err := db.query(ctx, `SELECT from_state, to_state, reason FROM voucher_events WHERE code = $1 ORDER BY id`, string(code))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []VoucherEvent
	for rows.Next() {
		var e VoucherEvent
		if err := rows.Scan(&e.From, &e.To, &e.Reason); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// VoucherProgramme returns the programme a voucher belongs to, for its
// value rules and its funder.
func (tx *Tx) VoucherProgramme(ctx context.Context, id string) (*domain.Programme, error) {
	return tx.programme(ctx, id)
}
