package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// claimItemSelect reads a voucher as a line of a claim, with the booking
// that used it (the latest one: a forfeited voucher's booking is cancelled).
const claimItemSelect = `SELECT v.code, v.track, v.ags, COALESCE(m.name, v.ags), COALESCE(b.participant_name, ''), COALESCE(o.title, ''),
	s.starts_at, s.ends_at, v.redeemed_at, v.state, %s
	FROM vouchers v
	LEFT JOIN municipalities m ON m.ags = v.ags
	LEFT JOIN bookings b ON b.id = (SELECT MAX(x.id) FROM bookings x WHERE x.voucher_code = v.code)
	LEFT JOIN offer_sessions s ON s.id = b.session_id
	LEFT JOIN offers o ON o.id = s.offer_id `

func scanClaimItems(rows *sql.Rows) ([]domain.ClaimItem, error) {
	out, err := scanAll(rows, func(r *sql.Rows) (domain.ClaimItem, error) {
		var it domain.ClaimItem
		var start, end, redeemed sql.NullTime
		var state string
		err := r.Scan(&it.Code, &it.Track, &it.AGS, &it.Municipality, &it.Participant, &it.OfferTitle, &start, &end, &redeemed, &state, &it.ValueCents)
		it.SessionStart, it.SessionEnd, it.RedeemedAt = nullTime(start), nullTime(end), nullTime(redeemed)
		it.Code = voucher.Code(it.Code).String()
		it.State = domain.VoucherState(state)
		return it, err
	})
	if out == nil {
		out = []domain.ClaimItem{}
	}
	return out, err
}

// LockClaimableVouchers locks and returns the vouchers of a provider in a
// programme that may be invoiced (redeemed or forfeited) and are in no open
// or approved invoice, oldest first; codes, when given, limits them. The
// row locks come first and the check after, in a statement of its own, so
// that it sees claims committed while this transaction waited for them.
func (tx *Tx) LockClaimableVouchers(ctx context.Context, programme string, providerID int64, codes []string) ([]domain.ClaimItem, error) {
	args := []any{programme, providerID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	cond := `v.programme_id = $1 AND v.provider_id = $2 AND v.state IN ('redeemed', 'forfeited')`
	if len(codes) > 0 {
		ph := make([]string, len(codes))
		for i, c := range codes {
			ph[i] = arg(c)
		}
		cond += " AND v.code IN (" + strings.Join(ph, ",") + ")"
	}
	lock, err := tx.QueryContext(ctx, tx.forUpdate(`SELECT v.code FROM vouchers v WHERE `+cond+` ORDER BY v.code`), args...)
	if err != nil {
		return nil, err
	}
	if _, err := scanAll(lock, func(r *sql.Rows) (c string, err error) { return c, r.Scan(&c) }); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(claimItemSelect, "v.value_cents")+`WHERE `+cond+`
		AND NOT EXISTS (SELECT 1 FROM claim_items ci WHERE ci.code = v.code AND ci.kind = 'invoice' AND ci.active)
		ORDER BY v.redeemed_at, v.code`, args...)
	if err != nil {
		return nil, err
	}
	return scanClaimItems(rows)
}

// ClaimableVouchers is LockClaimableVouchers without locks, to show.
func (db *DB) ClaimableVouchers(ctx context.Context, programme string, providerID int64) (items []domain.ClaimItem, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, fmt.Sprintf(claimItemSelect, "v.value_cents")+`WHERE v.programme_id = $1 AND v.provider_id = $2
			AND v.state IN ('redeemed', 'forfeited')
			AND NOT EXISTS (SELECT 1 FROM claim_items ci WHERE ci.code = v.code AND ci.kind = 'invoice' AND ci.active)
			ORDER BY v.redeemed_at, v.code`, programme, providerID)
		if err != nil {
			return err
		}
		items, err = scanClaimItems(rows)
		return err
	})
	return items, err
}

// CreateClaim inserts a claim and sets its ID and number ("AB-2026-000042";
// credit notes "GS-…").
func (tx *Tx) CreateClaim(ctx context.Context, c *domain.Claim) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO claims (number, kind, corrects_id, programme_id, provider_id, status, reason,
		created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
		"pending-"+uuid.NewString(), string(c.Kind), nullID(c.CorrectsID), c.ProgrammeID, c.ProviderID, string(c.Status), c.Reason,
		domain.ActorFrom(ctx).PersonID(), tx.now).Scan(&c.ID)
	if err != nil {
		return mapErr(err)
	}
	prefix := "AB"
	if c.Kind == domain.ClaimCreditNote {
		prefix = "GS"
	}
	c.Number = fmt.Sprintf("%s-%d-%06d", prefix, tx.now.In(domain.Berlin).Year(), c.ID)
	c.CreatedAt, c.UpdatedAt = tx.now, tx.now
	_, err = tx.ExecContext(ctx, `UPDATE claims SET number = $1 WHERE id = $2`, c.Number, c.ID)
	return err
}

// AddClaimItems adds vouchers to a claim. A voucher already in another
// open or approved claim of the same kind makes it fail with
// domain.ErrConflict (the database's constraint).
func (tx *Tx) AddClaimItems(ctx context.Context, c *domain.Claim, items []domain.ClaimItem) error {
	for _, it := range items {
		if _, err := tx.ExecContext(ctx, `INSERT INTO claim_items (claim_id, code, kind, value_cents, active) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (claim_id, code) DO UPDATE SET active = excluded.active, value_cents = excluded.value_cents`,
			c.ID, canon(it.Code), string(c.Kind), it.ValueCents, true); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// ReleaseClaimItems takes vouchers out of a claim (all when codes is
// empty): they are free to be claimed again.
func (tx *Tx) ReleaseClaimItems(ctx context.Context, claimID int64, codes []string) error {
	if len(codes) == 0 {
		_, err := tx.ExecContext(ctx, `UPDATE claim_items SET active = $1 WHERE claim_id = $2`, false, claimID)
		return err
	}
	for _, code := range codes {
		if _, err := tx.ExecContext(ctx, `UPDATE claim_items SET active = $1 WHERE claim_id = $2 AND code = $3`, false, claimID, canon(code)); err != nil {
			return err
		}
	}
	return nil
}

const claimSelect = `SELECT c.id, c.number, c.kind, COALESCE(c.corrects_id, 0), c.programme_id, pr.name, c.provider_id, p.name, c.status, c.reason,
	c.created_at, c.updated_at, c.submitted_at, c.checked_at, COALESCE(c.checked_by, 0), COALESCE(ck.name, ''), c.approved_at, COALESCE(ap.name, ''),
	(SELECT COALESCE(SUM(ci.value_cents), 0) FROM claim_items ci WHERE ci.claim_id = c.id AND ci.active),
	(SELECT COUNT(*) FROM claim_items ci WHERE ci.claim_id = c.id AND ci.active)
	FROM claims c JOIN organisations p ON p.id = c.provider_id JOIN programmes pr ON pr.id = c.programme_id
	LEFT JOIN persons ck ON ck.id = c.checked_by LEFT JOIN persons ap ON ap.id = c.approved_by `

func scanClaim(row interface{ Scan(...any) error }) (*domain.Claim, error) {
	var c domain.Claim
	var kind, status string
	var submitted, checked, approved sql.NullTime
	err := row.Scan(&c.ID, &c.Number, &kind, &c.CorrectsID, &c.ProgrammeID, &c.ProgrammeName, &c.ProviderID, &c.ProviderName, &status, &c.Reason,
		&c.CreatedAt, &c.UpdatedAt, &submitted, &checked, &c.CheckedByID, &c.CheckedBy, &approved, &c.ApprovedBy, &c.TotalCents, &c.VoucherCount)
	if err != nil {
		return nil, err
	}
	c.Kind, c.Status = domain.ClaimKind(kind), domain.ClaimStatus(status)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	c.SubmittedAt, c.CheckedAt, c.ApprovedAt = nullTime(submitted), nullTime(checked), nullTime(approved)
	return &c, nil
}

// LockClaim reads a claim with its vouchers and history and locks its row
// until the transaction ends.
func (tx *Tx) LockClaim(ctx context.Context, id int64) (*domain.Claim, error) {
	c, err := scanClaim(tx.QueryRowContext(ctx, tx.forUpdateOf(claimSelect+`WHERE c.id = $1`, "c"), id))
	if errNoRows(err) {
		return nil, domain.ErrNotFound
	} else if err != nil {
		return nil, err
	}
	return c, tx.claimDetails(ctx, c)
}

// Claim reads a claim with its vouchers and history.
func (db *DB) Claim(ctx context.Context, id int64) (c *domain.Claim, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		c, err = scanClaim(tx.QueryRowContext(ctx, claimSelect+`WHERE c.id = $1`, id))
		if errNoRows(err) {
			return domain.ErrNotFound
		} else if err != nil {
			return err
		}
		return tx.claimDetails(ctx, c)
	})
	return c, err
}

func (tx *Tx) claimDetails(ctx context.Context, c *domain.Claim) error {
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(claimItemSelect, "ci.value_cents")+`JOIN claim_items ci ON ci.code = v.code
		WHERE ci.claim_id = $1 AND ci.active ORDER BY v.redeemed_at, v.code`, c.ID)
	if err != nil {
		return err
	}
	if c.Items, err = scanClaimItems(rows); err != nil {
		return err
	}
	ev, err := tx.QueryContext(ctx, `SELECT e.at, COALESCE(p.name, ''), e.action, e.from_status, e.to_status, e.comment, e.internal
		FROM claim_events e LEFT JOIN persons p ON p.id = e.actor_id WHERE e.claim_id = $1 ORDER BY e.id`, c.ID)
	if err != nil {
		return err
	}
	c.Events, err = scanAll(ev, func(r *sql.Rows) (domain.ClaimEvent, error) {
		var e domain.ClaimEvent
		var from, to string
		err := r.Scan(&e.At, &e.Actor, &e.Action, &from, &to, &e.Comment, &e.Internal)
		e.From, e.To, e.At = domain.ClaimStatus(from), domain.ClaimStatus(to), e.At.UTC()
		return e, err
	})
	return err
}

// Claims lists claims, newest first, with their totals but without their
// vouchers. A filter that is not All is a scope: only those claims.
func (db *DB) Claims(ctx context.Context, f domain.ClaimFilter) ([]domain.Claim, error) {
	where, args := []string{"1=1"}, []any{}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if !f.All {
		var scope []string
		if len(f.ProviderIDs) > 0 {
			scope = append(scope, "c.provider_id IN ("+inList(f.ProviderIDs, arg)+")")
		}
		if len(f.ProgrammeIDs) > 0 {
			ph := make([]string, len(f.ProgrammeIDs))
			for i, p := range f.ProgrammeIDs {
				ph[i] = arg(p)
			}
			// The funder side sees what was submitted, never a first draft.
			scope = append(scope, "(c.programme_id IN ("+strings.Join(ph, ",")+") AND c.submitted_at IS NOT NULL)")
		}
		if len(scope) == 0 {
			return []domain.Claim{}, nil
		}
		where = append(where, "("+strings.Join(scope, " OR ")+")")
	}
	if f.Status != "" {
		where = append(where, "c.status = "+arg(string(f.Status)))
	}
	if f.Programme != "" {
		where = append(where, "c.programme_id = "+arg(f.Programme))
	}
	rows, err := db.query(ctx, claimSelect+`WHERE `+strings.Join(where, " AND ")+` ORDER BY c.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, func(r *sql.Rows) (domain.Claim, error) {
		c, err := scanClaim(r)
		if err != nil {
			return domain.Claim{}, err
		}
		return *c, nil
	})
	if out == nil {
		out = []domain.Claim{}
	}
	return out, err
}

// ClaimStep is a change of a claim's status with who did it.
type ClaimStep struct {
	Action   string
	From, To domain.ClaimStatus
	Comment  string
	Internal bool
}

// StepClaim moves a claim from one status to another (the row is locked
// by the caller), stamps who submitted, checked or approved it, and writes
// the step to its history and the audit log of the provider.
func (tx *Tx) StepClaim(ctx context.Context, c *domain.Claim, s ClaimStep) error {
	actor := domain.ActorFrom(ctx).PersonID()
	args := []any{string(s.To), tx.now, c.ID, string(s.From)}
	set := "status = $1, updated_at = $2"
	switch s.To {
	case domain.ClaimSubmitted:
		set += ", submitted_at = $2, checked_at = NULL, checked_by = NULL"
	case domain.ClaimChecked:
		set += ", checked_at = $2, checked_by = $5"
		args = append(args, actor)
	case domain.ClaimApproved:
		set += ", approved_at = $2, approved_by = $5"
		args = append(args, actor)
	}
	res, err := tx.ExecContext(ctx, `UPDATE claims SET `+set+` WHERE id = $3 AND status = $4`, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.ErrConflict
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO claim_events (claim_id, at, actor_id, action, from_status, to_status, comment, internal)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.ID, tx.now, nullID(actor), s.Action, string(s.From), string(s.To), s.Comment, s.Internal); err != nil {
		return err
	}
	detail := map[string]string{"from": string(s.From), "to": string(s.To), "number": c.Number}
	if s.Comment != "" && !s.Internal {
		detail["comment"] = s.Comment
	}
	c.Status = s.To
	return tx.audit(ctx, c.ProviderID, "claim."+s.Action, "claim", c.ID, detail)
}

// SettleVoucher marks a claimed voucher settled (or, for a credit note,
// revoked) with the time.
func (tx *Tx) SettleVoucher(ctx context.Context, code string, orgID int64, from, to domain.VoucherState, reason string) error {
	code = canon(code)
	res, err := tx.ExecContext(ctx, `UPDATE vouchers SET state = $1, settled_at = $2 WHERE code = $3 AND state = $4`,
		string(to), tx.now, code, string(from))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.ErrConflict
	}
	return tx.voucherEventReason(ctx, code, orgID, from, to, reason)
}

// VoucherYear is the budget year a voucher was charged to.
func (tx *Tx) VoucherYear(ctx context.Context, code string) (int, error) {
	m, err := tx.voucherMoney(ctx, canon(code))
	return m.year, err
}

// BillingProfile reads a provider's invoice data; domain.ErrNotFound when
// it has none yet.
func (db *DB) BillingProfile(ctx context.Context, orgID int64) (*domain.BillingProfile, error) {
	return scanBillingProfile(db.queryRow(ctx, billingProfileSelect, orgID))
}

// BillingProfile is db.BillingProfile inside tx.
func (tx *Tx) BillingProfile(ctx context.Context, orgID int64) (*domain.BillingProfile, error) {
	return scanBillingProfile(tx.QueryRowContext(ctx, billingProfileSelect, orgID))
}

const billingProfileSelect = `SELECT org_id, legal_name, street, postcode, city, vat_id, tax_number, iban, bic,
	contact_name, contact_phone, contact_email, updated_at FROM provider_billing WHERE org_id = $1`

func scanBillingProfile(row interface{ Scan(...any) error }) (*domain.BillingProfile, error) {
	var b domain.BillingProfile
	err := row.Scan(&b.OrgID, &b.LegalName, &b.Street, &b.Postcode, &b.City, &b.VATID, &b.TaxNumber, &b.IBAN, &b.BIC,
		&b.ContactName, &b.ContactPhone, &b.ContactEmail, &b.UpdatedAt)
	if errNoRows(err) {
		return nil, domain.ErrNotFound
	}
	b.UpdatedAt = b.UpdatedAt.UTC()
	return &b, err
}

// SaveBillingProfile writes a provider's invoice data.
func (tx *Tx) SaveBillingProfile(ctx context.Context, b *domain.BillingProfile) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO provider_billing (org_id, legal_name, street, postcode, city, vat_id, tax_number, iban, bic,
		contact_name, contact_phone, contact_email, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (org_id) DO UPDATE SET legal_name = excluded.legal_name, street = excluded.street, postcode = excluded.postcode,
		city = excluded.city, vat_id = excluded.vat_id, tax_number = excluded.tax_number, iban = excluded.iban, bic = excluded.bic,
		contact_name = excluded.contact_name, contact_phone = excluded.contact_phone, contact_email = excluded.contact_email,
		updated_at = excluded.updated_at`, b.OrgID, b.LegalName, b.Street, b.Postcode, b.City, b.VATID, b.TaxNumber, b.IBAN, b.BIC,
		b.ContactName, b.ContactPhone, b.ContactEmail, tx.now)
	if err != nil {
		return err
	}
	return tx.audit(ctx, b.OrgID, "billing.update", "organisation", b.OrgID, map[string]string{"legal_name": b.LegalName})
}

// canon is a voucher code as the database stores it: without hyphens.
func canon(code string) string { return strings.ReplaceAll(code, "-", "") }
