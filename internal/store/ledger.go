package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lotse-oss/lotse/internal/domain"
)

// LedgerEntry is a money movement to book in a programme's budget ledger.
type LedgerEntry struct {
	Programme string
	Year      int
	Kind      domain.BudgetEntryKind
	Amount    int64
	Voucher   string
	Claim     int64
	// Key makes the entry idempotent: an entry with a key already booked is
	// not booked again.
	Key  string
	Note string
}

// Book appends an entry to the ledger. It reports false (and books
// nothing) when an entry with the same idempotency key exists. Entries are
// immutable: the database refuses to change or delete them.
func (tx *Tx) Book(ctx context.Context, e LedgerEntry) (bool, error) {
	var actor any
	if id := domain.ActorFrom(ctx).PersonID(); id != 0 {
		actor = id
	}
	var voucher any
	if e.Voucher != "" {
		voucher = canon(e.Voucher)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO budget_entries (programme_id, year, kind, amount_cents, voucher_code, claim_id,
		idempotency_key, actor_id, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (idempotency_key) DO NOTHING`,
		e.Programme, e.Year, string(e.Kind), e.Amount, voucher, nullID(e.Claim), e.Key, actor, e.Note, tx.now)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// LockBudget takes the lock of a programme's budget year: transactions
// that commit money take it before they read the balance, so two of them
// never both spend the same free euro. SQLite's one writer serialises them
// already.
func (tx *Tx) LockBudget(ctx context.Context, programme string, year int) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO budget_years (programme_id, year) VALUES ($1, $2) ON CONFLICT (programme_id, year) DO NOTHING`,
		programme, year); err != nil {
		return mapErr(err)
	}
	var y int
	return tx.QueryRowContext(ctx, tx.forUpdate(`SELECT year FROM budget_years WHERE programme_id = $1 AND year = $2`), programme, year).Scan(&y)
}

// Budget computes a programme's balances for a year from its ledger.
func (tx *Tx) Budget(ctx context.Context, programme string, year int) (*domain.Budget, error) {
	rows, err := tx.QueryContext(ctx, `SELECT kind, COUNT(*), COALESCE(SUM(amount_cents), 0) FROM budget_entries
		WHERE programme_id = $1 AND year = $2 GROUP BY kind`, programme, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sums := map[domain.BudgetEntryKind]int64{}
	b := &domain.Budget{ProgrammeID: programme, Year: year}
	for rows.Next() {
		var k string
		var n, sum int64
		if err := rows.Scan(&k, &n, &sum); err != nil {
			return nil, err
		}
		sums[domain.BudgetEntryKind(k)] = sum
		if k == string(domain.EntryPlan) && n > 0 {
			b.Planned = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	b.PlannedCents = sums[domain.EntryPlan]
	bound := sums[domain.EntryCommit] + sums[domain.EntryAdjust] + sums[domain.EntryRelease]
	b.PaidCents = sums[domain.EntryPay]
	b.CommittedCents = bound - b.PaidCents
	b.ClaimedCents = sums[domain.EntryClaim]
	b.FreeCents = b.PlannedCents - bound
	return b, nil
}

// Budget computes a programme's balances for a year, outside a transaction.
func (db *DB) Budget(ctx context.Context, programme string, year int) (b *domain.Budget, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		b, err = tx.Budget(ctx, programme, year)
		return err
	})
	return b, err
}

// BudgetYears lists the years a programme's ledger has entries for, newest first.
func (db *DB) BudgetYears(ctx context.Context, programme string) ([]int, error) {
	rows, err := db.query(ctx, `SELECT DISTINCT year FROM budget_entries WHERE programme_id = $1 ORDER BY year DESC`, programme)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// BudgetEntries returns the newest entries of a programme's year, at most limit.
func (db *DB) BudgetEntries(ctx context.Context, programme string, year, limit int) ([]domain.BudgetEntry, error) {
	rows, err := db.query(ctx, `SELECT id, year, kind, amount_cents, COALESCE(voucher_code, ''), COALESCE(claim_id, 0),
		idempotency_key, note, at FROM budget_entries WHERE programme_id = $1 AND year = $2 ORDER BY id DESC LIMIT $3`,
		programme, year, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.BudgetEntry{}
	for rows.Next() {
		var e domain.BudgetEntry
		var kind string
		if err := rows.Scan(&e.ID, &e.Year, &kind, &e.AmountCents, &e.VoucherCode, &e.ClaimID, &e.Key, &e.Note, &e.At); err != nil {
			return nil, err
		}
		e.Kind = domain.BudgetEntryKind(kind)
		e.At = e.At.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// voucherMoney is what the budget needs to know of a voucher before it changes.
type voucherMoney struct {
	programme string
	value     int64
	year      int
}

func (tx *Tx) voucherMoney(ctx context.Context, code string) (voucherMoney, error) {
	var m voucherMoney
	var issued sql.NullTime
	err := tx.QueryRowContext(ctx, `SELECT programme_id, value_cents, issued_at FROM vouchers WHERE code = $1`, code).
		Scan(&m.programme, &m.value, &issued)
	m.year = domain.BudgetYear(issued.Time)
	return m, err
}

// bookVoucherMove books what a change of a voucher moves in the budget
// (see domain.VoucherMove); m is the voucher before the change. A release
// is booked once per voucher; an adjustment is keyed by the voucher's
// number of ledger events, so each change books at most one.
func (tx *Tx) bookVoucherMove(ctx context.Context, code string, m voucherMoney, from, to domain.VoucherState, newValue int64) error {
	kind, amount, ok := domain.VoucherMove(from, to, m.value, newValue)
	if !ok {
		return nil
	}
	key := fmt.Sprintf("release:%s", code)
	if kind == domain.EntryAdjust {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM voucher_events WHERE code = $1`, code).Scan(&n); err != nil {
			return err
		}
		key = fmt.Sprintf("adjust:%s:%d", code, n)
	}
	_, err := tx.Book(ctx, LedgerEntry{Programme: m.programme, Year: m.year, Kind: kind, Amount: amount, Voucher: code, Key: key})
	return err
}

// bookCommit books the value of a newly issued voucher.
func (tx *Tx) bookCommit(ctx context.Context, code string, v *domain.Voucher) error {
	_, err := tx.Book(ctx, LedgerEntry{Programme: v.ProgrammeID, Year: domain.BudgetYear(v.IssuedAt), Kind: domain.EntryCommit,
		Amount: v.ValueCents, Voucher: code, Key: "commit:" + code})
	return err
}

// CountBudgetEntries counts a year's entries of a kind.
func (tx *Tx) CountBudgetEntries(ctx context.Context, programme string, year int, kind domain.BudgetEntryKind) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM budget_entries WHERE programme_id = $1 AND year = $2 AND kind = $3`,
		programme, year, string(kind)).Scan(&n)
	return n, err
}

// ExpiredVoucher is an issued voucher past its expiry.
type ExpiredVoucher struct {
	Code  string
	OrgID int64
}

// LockExpiredVouchers locks up to limit vouchers that are still issued but
// past their expiry (PostgreSQL skips those another instance holds).
func (tx *Tx) LockExpiredVouchers(ctx context.Context, limit int) ([]ExpiredVoucher, error) {
	rows, err := tx.QueryContext(ctx, tx.forUpdateSkipLocked(`SELECT code, org_id FROM vouchers WHERE state = 'issued' AND expires_at <= $1
		ORDER BY expires_at, code LIMIT $2`), tx.now, limit)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (v ExpiredVoucher, err error) { return v, r.Scan(&v.Code, &v.OrgID) })
}
