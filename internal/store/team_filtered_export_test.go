package store

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
)

// The drivers of the team overview's members' part, for the tests.
const (
	TeamByMembers = teamByMembers
	TeamByStatus  = teamByStatus
	TeamByOffer   = teamByOffer
	TeamByRole    = teamByRole
	TeamByName    = teamByName
)

// SetTeamSmallOrg makes municipalities of more than n members read a
// rare filter's bookings (teamSmallOrg) and returns the undo.
func SetTeamSmallOrg(n int) func() {
	old := teamSmallOrg
	teamSmallOrg = n
	return func() { teamSmallOrg = old }
}

// TeamDriver is teamDriver, for the tests.
func (db *DB) TeamDriver(ctx context.Context, f domain.TeamFilter) (int, error) {
	by, _, err := db.teamDriver(ctx, f)
	return by, err
}

// ExplainTeamMembers returns the plan of the members' part of a team page
// after the cursor, read as by says, as the database writes it. On
// PostgreSQL sequential scans are priced out (the test tables are small,
// and read whole whatever their indexes): the plan shows whether an index
// can serve the query at all.
func (db *DB) ExplainTeamMembers(ctx context.Context, by int, f domain.TeamFilter, after domain.TeamCursor) (string, error) {
	q := db.teamQuery()
	return db.explain(ctx, q.membersFrom(by, f, teamCols, after, 51), q.args)
}

// ExplainTeamOthers is ExplainTeamMembers for the bookings billed to the
// municipality of people who are not members.
func (db *DB) ExplainTeamOthers(ctx context.Context, f domain.TeamFilter, after int64) (string, error) {
	q := db.teamQuery()
	return db.explain(ctx, q.invoiced(f, teamCols, after, 51), q.args)
}

func (db *DB) explain(ctx context.Context, query string, args []any) (string, error) {
	q := &teamQuery{args: args}
	prefix := "EXPLAIN QUERY PLAN "
	if db.Dialect == Postgres {
		prefix = "EXPLAIN "
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	if db.Dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
			return "", err
		}
	}
	rows, err := tx.QueryContext(ctx, prefix+query, q.args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	plan := ""
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		for _, v := range vals {
			switch v := v.(type) {
			case string:
				plan += v + " "
			case []byte:
				plan += string(v) + " "
			}
		}
		plan += "\n"
	}
	return plan, rows.Err()
}

// BookingOutsider reads a booking's outsider mark (migration 00038).
func (db *DB) BookingOutsider(ctx context.Context, id int64) (bool, error) {
	var v bool
	err := db.queryRow(ctx, `SELECT outsider FROM bookings WHERE id = $1`, id).Scan(&v)
	return v, err
}
