package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// ApplicantKind says whether the directory entry with the AGS applies as a
// municipality or as a district (domain.ApplicantMunicipality,
// domain.ApplicantDistrict).
func (tx *Tx) ApplicantKind(ctx context.Context, ags string) (string, error) {
	a, err := tx.applicantOf(ctx, ags)
	if err != nil {
		return "", err
	}
	return a.kind, nil
}

const decisionCols = `d.id, d.action, d.comment, d.prepared_by, COALESCE(p.name, ''), d.prepared_at, d.state`

func scanDecision(row interface{ Scan(...any) error }) (*domain.Decision, error) {
	var d domain.Decision
	if err := row.Scan(&d.ID, &d.Action, &d.Comment, &d.PreparedBy, &d.PreparedByName, &d.PreparedAt, &d.State); err != nil {
		return nil, err
	}
	d.PreparedAt = d.PreparedAt.UTC()
	return &d, nil
}

// pendingDecision returns the application's pending decision, or nil.
func (tx *Tx) pendingDecision(ctx context.Context, appID int64) (*domain.Decision, error) {
	d, err := scanDecision(tx.QueryRowContext(ctx, `SELECT `+decisionCols+` FROM application_decisions d
		LEFT JOIN persons p ON p.id = d.prepared_by WHERE d.application_id = $1 AND d.state = 'pending'`, appID))
	if errNoRows(err) {
		return nil, nil
	}
	return d, err
}

// PrepareDecision records a decision the actor of ctx prepared, pending
// until a second reviewer confirms or discards it. A second pending
// decision on the application is a conflict (a unique index).
func (tx *Tx) PrepareDecision(ctx context.Context, appID int64, action domain.DecisionAction, comment string) (*domain.Decision, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO application_decisions (application_id, action, comment, prepared_by, prepared_at, state)
		VALUES ($1, $2, $3, $4, $5, 'pending')`, appID, string(action), comment, domain.ActorFrom(ctx).PersonID(), tx.now); err != nil {
		return nil, mapErr(err)
	}
	return tx.pendingDecision(ctx, appID)
}

// ResolveDecision closes a pending decision as confirmed, discarded or
// superseded by the actor of ctx, with an optional comment.
func (tx *Tx) ResolveDecision(ctx context.Context, id int64, state, resolution string) error {
	res, err := tx.ExecContext(ctx, `UPDATE application_decisions SET state = $1, resolved_by = $2, resolved_at = $3, resolution = $4
		WHERE id = $5 AND state = 'pending'`, state, nullID(domain.ActorFrom(ctx).PersonID()), tx.now, resolution, id)
	if err != nil {
		return mapErr(err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return domain.ErrConflict
	}
	return nil
}

// SupersedeDecisions closes the application's pending decision, if any:
// the application moved on without it.
func (tx *Tx) SupersedeDecisions(ctx context.Context, appID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE application_decisions SET state = 'superseded', resolved_by = $1, resolved_at = $2
		WHERE application_id = $3 AND state = 'pending'`, nullID(domain.ActorFrom(ctx).PersonID()), tx.now, appID)
	return err
}

// ReviewEvent appends an internal step of the reviewers (preparing,
// confirming, discarding a decision) to the application's history; its
// audit entry belongs to the reviewing association, not to the applicant.
func (tx *Tx) ReviewEvent(ctx context.Context, a *domain.Application, action, comment string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO application_events (application_id, at, actor_id, action, from_status, to_status, comment)
		VALUES ($1, $2, $3, $4, $5, $5, $6)`, a.ID, tx.now, nullID(domain.ActorFrom(ctx).PersonID()), action, string(a.Status), comment); err != nil {
		return err
	}
	return tx.audit(ctx, a.ReviewerID, "application."+action, "application", a.ID, map[string]string{"status": string(a.Status), "comment": comment})
}

// CreateComment adds c to its application's conversation and sets its ID
// and time. The audit entry belongs to the author's organisation and names
// the visibility, not the text.
func (tx *Tx) CreateComment(ctx context.Context, c *domain.ApplicationComment) error {
	c.CreatedAt = tx.now
	if err := tx.QueryRowContext(ctx, `INSERT INTO application_comments (application_id, author_id, author_org_id, body, visibility, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, c.ApplicationID, c.AuthorID, c.OrgID, c.Body, c.Visibility, tx.now).Scan(&c.ID); err != nil {
		return mapErr(err)
	}
	return tx.audit(ctx, c.OrgID, "application.comment", "application", c.ApplicationID,
		map[string]string{"comment": strconv.FormatInt(c.ID, 10), "visibility": c.Visibility})
}

// Comments lists the application's conversation, oldest first, with the
// given visibilities only (none: an empty list).
func (db *DB) Comments(ctx context.Context, appID int64, visibilities []string) ([]domain.ApplicationComment, error) {
	out := []domain.ApplicationComment{}
	if len(visibilities) == 0 {
		return out, nil
	}
	args := []any{appID}
	ph := make([]string, len(visibilities))
	for i, v := range visibilities {
		args = append(args, v)
		ph[i] = "$" + strconv.Itoa(i+2)
	}
	rows, err := db.query(ctx, `SELECT c.id, c.application_id, c.author_id, p.name, c.author_org_id, o.name, c.body, c.visibility, c.created_at
		FROM application_comments c JOIN persons p ON p.id = c.author_id JOIN organisations o ON o.id = c.author_org_id
		WHERE c.application_id = $1 AND c.visibility IN (`+strings.Join(ph, ",")+`) ORDER BY c.id`, args...)
	if err != nil {
		return nil, err
	}
	list, err := scanAll(rows, func(r *sql.Rows) (c domain.ApplicationComment, err error) {
		err = r.Scan(&c.ID, &c.ApplicationID, &c.AuthorID, &c.AuthorName, &c.OrgID, &c.OrgName, &c.Body, &c.Visibility, &c.CreatedAt)
		c.CreatedAt = c.CreatedAt.UTC()
		return c, err
	})
	if err != nil {
		return nil, err
	}
	return append(out, list...), nil
}
