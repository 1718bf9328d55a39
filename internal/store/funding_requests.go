package store

import (
	"context"
	"database/sql"

	"github.com/lotse-oss/lotse/internal/domain"
)

const fundingRequestSelect = `SELECT r.id, r.org_id, o.name, r.person_id, p.name, p.email, r.programme_id, r.track,
	COALESCE(r.offer_id, 0), COALESCE(f.title, ''), r.reason, r.status, COALESCE(r.voucher_code, ''), r.answer,
	COALESCE(r.decided_by, 0), r.decided_at, r.created_at
	FROM funding_requests r JOIN organisations o ON o.id = r.org_id JOIN persons p ON p.id = r.person_id
	LEFT JOIN offers f ON f.id = r.offer_id `

func scanFundingRequest(row interface{ Scan(...any) error }) (*domain.FundingRequest, error) {
	var r domain.FundingRequest
	var decided sql.NullTime
	if err := row.Scan(&r.ID, &r.OrgID, &r.OrgName, &r.PersonID, &r.PersonName, &r.PersonEmail, &r.ProgrammeID, &r.Track,
		&r.OfferID, &r.OfferTitle, &r.Reason, &r.Status, &r.VoucherCode, &r.Answer, &r.DecidedBy, &decided, &r.CreatedAt); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrFundingRequestNotFound
		}
		return nil, err
	}
	r.DecidedAt, r.CreatedAt = nullTime(decided), r.CreatedAt.UTC()
	return &r, nil
}

// HasOpenFundingRequest reports whether the person has an open request
// to the organisation for the programme's track.
func (tx *Tx) HasOpenFundingRequest(ctx context.Context, orgID, personID int64, programme, track string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM funding_requests WHERE org_id = $1 AND person_id = $2 AND programme_id = $3
		AND track = $4 AND status = 'open'`, orgID, personID, programme, track).Scan(&n)
	return n > 0, mapErr(err)
}

// CreateFundingRequest stores an open request and its audit entry; it
// fills in the ID and time.
func (tx *Tx) CreateFundingRequest(ctx context.Context, r *domain.FundingRequest) error {
	r.Status, r.CreatedAt = domain.RequestOpen, tx.now
	if err := tx.QueryRowContext(ctx, `INSERT INTO funding_requests (org_id, person_id, programme_id, track, offer_id, reason, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) RETURNING id`, r.OrgID, r.PersonID, r.ProgrammeID, r.Track, nullID(r.OfferID),
		r.Reason, tx.now).Scan(&r.ID); err != nil {
		return mapErr(err)
	}
	return tx.audit(ctx, r.OrgID, "funding_request.create", "funding_request", r.ID,
		map[string]any{"programme": r.ProgrammeID, "track": r.Track, "offer": r.OfferID})
}

// LockFundingRequest reads a request and locks its row until the
// transaction ends.
func (tx *Tx) LockFundingRequest(ctx context.Context, id int64) (*domain.FundingRequest, error) {
	return scanFundingRequest(tx.QueryRowContext(ctx, tx.forUpdateOf(fundingRequestSelect+`WHERE r.id = $1`, "r"), id))
}

// FundingRequest reads a request.
func (db *DB) FundingRequest(ctx context.Context, id int64) (*domain.FundingRequest, error) {
	return scanFundingRequest(db.queryRow(ctx, fundingRequestSelect+`WHERE r.id = $1`, id))
}

// DecideFundingRequest records the answer to an open request and its audit
// entry. It returns domain.ErrConflict when the request is no longer open.
func (tx *Tx) DecideFundingRequest(ctx context.Context, r *domain.FundingRequest) error {
	var code any
	if r.VoucherCode != "" {
		code = r.VoucherCode
	}
	res, err := tx.ExecContext(ctx, `UPDATE funding_requests SET status = $1, voucher_code = $2, answer = $3, decided_by = $4, decided_at = $5
		WHERE id = $6 AND status = 'open'`, string(r.Status), code, r.Answer, nullID(domain.ActorFrom(ctx).PersonID()), tx.now, r.ID)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.ErrConflict
	}
	now := tx.now
	r.DecidedAt, r.DecidedBy = &now, domain.ActorFrom(ctx).PersonID()
	detail := map[string]string{"status": string(r.Status)}
	if r.Answer != "" {
		detail["answer"] = r.Answer
	}
	return tx.audit(ctx, r.OrgID, "funding_request."+string(r.Status), "funding_request", r.ID, detail)
}

// FundingRequests lists requests, newest first: the person's own and those
// of the organisations.
func (db *DB) FundingRequests(ctx context.Context, f domain.FundingRequestFilter) ([]domain.FundingRequest, error) {
	args := []any{}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa(len(args))
	}
	var who []string
	if f.PersonID != 0 {
		who = append(who, `r.person_id = `+arg(f.PersonID))
	}
	if len(f.OrgIDs) > 0 {
		who = append(who, `r.org_id IN (`+inList(f.OrgIDs, arg)+`)`)
	}
	if len(who) == 0 {
		return []domain.FundingRequest{}, nil
	}
	cond := `(` + who[0]
	for _, w := range who[1:] {
		cond += ` OR ` + w
	}
	cond += `)`
	if f.Status != "" {
		cond += ` AND r.status = ` + arg(string(f.Status))
	}
	rows, err := db.query(ctx, fundingRequestSelect+`WHERE `+cond+` ORDER BY r.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(rows, func(r *sql.Rows) (domain.FundingRequest, error) {
		fr, err := scanFundingRequest(r)
		if err != nil {
			return domain.FundingRequest{}, err
		}
		return *fr, nil
	})
	if out == nil {
		out = []domain.FundingRequest{}
	}
	return out, err
}
