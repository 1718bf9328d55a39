package store

import (
	"context"
	"database/sql"

	"github.com/lotse-oss/lotse/internal/domain"
)

// The entries administrators add to the search thesaurus.

const searchTermColumns = `t.id, t.line, COALESCE(t.created_by, 0), COALESCE(p.name, ''), t.created_at
	FROM search_terms t LEFT JOIN persons p ON p.id = t.created_by`

func scanSearchTerm(rows *sql.Rows) (domain.SearchTerm, error) {
	var st domain.SearchTerm
	err := rows.Scan(&st.ID, &st.Line, &st.CreatedBy, &st.CreatedByName, &st.CreatedAt)
	st.CreatedAt = st.CreatedAt.UTC()
	return st, err
}

// SearchTerms lists the added entries, oldest first.
func (db *DB) SearchTerms(ctx context.Context) ([]domain.SearchTerm, error) {
	rows, err := db.query(ctx, `SELECT `+searchTermColumns+` ORDER BY t.id`)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, scanSearchTerm)
}

// SearchTerms lists the added entries inside tx, oldest first.
func (tx *Tx) SearchTerms(ctx context.Context) ([]domain.SearchTerm, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+searchTermColumns+` ORDER BY t.id`)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, scanSearchTerm)
}

// InsertSearchTerm adds an entry by the actor of ctx and sets its ID,
// creator and time; domain.ErrConflict if the line exists.
func (tx *Tx) InsertSearchTerm(ctx context.Context, st *domain.SearchTerm) error {
	var by sql.NullInt64
	if a := domain.ActorFrom(ctx); a.PersonID() != 0 {
		by = sql.NullInt64{Int64: a.PersonID(), Valid: true}
		st.CreatedBy, st.CreatedByName = a.PersonID(), a.Person.Name
	}
	st.CreatedAt = tx.now
	return tx.QueryRowContext(ctx, `INSERT INTO search_terms (line, created_by, created_at) VALUES ($1, $2, $3) RETURNING id`,
		st.Line, by, st.CreatedAt).Scan(&st.ID)
}

// DeleteSearchTerm removes an entry and returns it; domain.ErrNotFound
// if there is none with that ID.
func (tx *Tx) DeleteSearchTerm(ctx context.Context, id int64) (*domain.SearchTerm, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+searchTermColumns+` WHERE t.id = $1`, id)
	if err != nil {
		return nil, err
	}
	found, err := scanAll(rows, scanSearchTerm)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, domain.ErrNotFound
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_terms WHERE id = $1`, id); err != nil {
		return nil, err
	}
	return &found[0], nil
}
