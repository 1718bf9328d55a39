package store

import "database/sql"

// scanAll reads every row with scan, closes rows and returns rows.Err, so
// that an error that ends the iteration early is never mistaken for the end
// of the result. Driver errors pass through mapErr.
func scanAll[T any](rows *sql.Rows, scan func(*sql.Rows) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, mapErr(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	return out, nil
}
