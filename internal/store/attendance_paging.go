package store

import (
	"context"
	"database/sql"
)

// BookingsAttendance returns the recorded status per booking and day of
// the given bookings (a page of a participant list), by key.
func (db *DB) BookingsAttendance(ctx context.Context, ids []int64) (map[int64]map[int]string, error) {
	out := map[int64]map[int]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var args []any
	list := inList(ids, func(v any) string { args = append(args, v); return "$" + itoa(len(args)) })
	rows, err := db.query(ctx, `SELECT booking_id, day, status FROM attendance WHERE booking_id IN (`+list+`)`, args...)
	if err != nil {
		return nil, err
	}
	type mark struct {
		booking int64
		day     int
		status  string
	}
	marks, err := scanAll(rows, func(r *sql.Rows) (m mark, err error) {
		return m, r.Scan(&m.booking, &m.day, &m.status)
	})
	for _, m := range marks {
		if out[m.booking] == nil {
			out[m.booking] = map[int]string{}
		}
		out[m.booking][m.day] = m.status
	}
	return out, err
}
