package store

import (
	"context"
	"database/sql"

	"github.com/lotse-oss/lotse/internal/domain"
)

// privacy: what a deletion locks and frees. The deletion of an account
// locks the person's row first and holds it to its commit; whatever adds
// a place-holding row for a person (an event registration) takes the
// same row with a shared lock first and checks that the account still
// exists. So no registration slips in while an account is deleted, and
// the order of locks (person, then event) is the same everywhere.

// LockPersonForErasure locks the person's row for the deletion of the
// account; domain.ErrNotFound when there is no such person.
func (tx *Tx) LockPersonForErasure(ctx context.Context, id int64) error {
	var got int64
	err := tx.QueryRowContext(ctx, tx.forUpdate(`SELECT id FROM persons WHERE id = $1`), id).Scan(&got)
	if errNoRows(err) {
		return domain.ErrNotFound
	}
	return err
}

// PersonActive takes a shared lock on the person's row and reports
// whether the account exists and is not deleted. A deletion running at the
// same time is waited for (PostgreSQL; SQLite has one writer).
func (tx *Tx) PersonActive(ctx context.Context, id int64) (bool, error) {
	var deleted sql.NullTime
	err := tx.QueryRowContext(ctx, tx.forShare(`SELECT deleted_at FROM persons WHERE id = $1`), id).Scan(&deleted)
	if errNoRows(err) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return !deleted.Valid, nil
}

// PersonUpcomingEvents lists the events, not yet begun, for which the
// person holds a place or waits for one, by ID: the order in which a
// deletion locks them.
func (tx *Tx) PersonUpcomingEvents(ctx context.Context, personID int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT r.event_id FROM event_registrations r JOIN events e ON e.id = r.event_id
		WHERE r.person_id = $1 AND r.status IN ('confirmed', 'waitlisted') AND e.starts_at > $2 ORDER BY r.event_id`, personID, tx.now)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(rows *sql.Rows) (int64, error) {
		var id int64
		return id, rows.Scan(&id)
	})
}
