package store

import "context"

// ExplainPersonSearch returns the plans of the name search's two queries
// and of the search by address, as the database writes them: the tests
// check that each reads an index, not the table.
// small: the table has only a few rows (see below).
func (db *DB) ExplainPersonSearch(ctx context.Context, folded string, after *NameCursor, email string, small bool) ([]string, error) {
	prefix := "EXPLAIN QUERY PLAN "
	if db.Dialect == Postgres {
		prefix = "EXPLAIN "
	}
	qs := db.personsByNameQueries(folded, after, 50)
	qs = append(qs, searchQuery{`SELECT ` + personHitCols + ` FROM persons WHERE email = $1 AND deleted_at IS NULL`, []any{email}})
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if db.Dialect == Postgres && small {
		// A table of a few rows is read whole whatever its indexes; with
		// sequential scans priced out the plan shows whether an index
		// can serve the query at all.
		if _, err := tx.ExecContext(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
			return nil, err
		}
	}
	var plans []string
	for _, q := range qs {
		rows, err := tx.QueryContext(ctx, prefix+q.query, q.args...)
		if err != nil {
			return nil, err
		}
		cols, _ := rows.Columns()
		plan := ""
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
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
		rows.Close()
		plans = append(plans, plan)
	}
	return plans, nil
}
