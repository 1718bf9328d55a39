package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// BenchmarkDeepPage reads page 200 of 50 of the outbox (200,000 mails) and
// of the organisations (20,000, four to a name), and page 2,000 of the
// outbox, before (the old queries: a full count and OFFSET) and after (a
// cursor from the previous page; the page alone as the pages read it, and
// with the total counted up to 10,000 as the API reads it), side by side
// (issue 14):
//
//	go test ./internal/store -run XXX -bench DeepPage -benchtime 200x
//
// With LOTSE_TEST_POSTGRES set it runs on PostgreSQL too.
func BenchmarkDeepPage(b *testing.B) {
	const mails, orgs = 200_000, 20_000
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			ctx := context.Background()
			seq := func(n int) string {
				return fmt.Sprintf(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d) `, n)
			}
			for _, q := range []string{
				seq(mails) + `INSERT INTO outbox (to_addr, subject, body, created_at) SELECT 'p' || i || '@x.example', 'Betreff', 'Text', '2026-03-02 09:00:00+00:00' FROM s`,
				seq(orgs) + `INSERT INTO organisations (kind, name, created_at) SELECT 'provider', 'Träger ' || (i % 5000), '2026-03-02 09:00:00+00:00' FROM s`,
			} {
				if err := db.Transact(ctx, func(tx *store.Tx) error { _, err := tx.ExecContext(ctx, q); return err }); err != nil {
					b.Fatal(err)
				}
			}
			if err := db.Analyze(ctx); err != nil {
				b.Fatal(err)
			}
			for _, page := range []int{200, 2000} {
				offset := (page - 1) * 50
				// The cursor the previous page ends with.
				prev, err := db.Outbox(ctx, 0, 1, offset-1)
				if err != nil || len(prev) != 1 {
					b.Fatal(len(prev), err)
				}
				lastOrg, _, err := db.Organisations(ctx, domain.OrgFilter{Limit: 1, Offset: offset - 1, NoTotal: true})
				if err != nil {
					b.Fatal(err)
				}
				cases := []struct {
					name string
					run  func() (int, error)
				}{
					{fmt.Sprintf("outbox-page%d-offset", page), func() (int, error) {
						// The old Outbox: every mail counted, the page after
						// skipping the ones before it.
						var n, total int
						err := db.Read(ctx, func(tx *store.Tx) error {
							if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&total); err != nil {
								return err
							}
							rows, err := tx.QueryContext(ctx, `SELECT id, to_addr, subject, body, created_at, sent_at, attempts, last_error, attachment_name, attachment_type, attachment
								FROM outbox ORDER BY id DESC LIMIT $1 OFFSET $2`, 50, offset)
							if err != nil {
								return err
							}
							n, err = countRows(rows)
							return err
						})
						return n, err
					}},
					{fmt.Sprintf("outbox-page%d-cursor", page), func() (int, error) {
						ms, err := db.Outbox(ctx, prev[0].ID, 51, 0)
						return min(len(ms), 50), err
					}},
					{fmt.Sprintf("outbox-page%d-cursor+count", page), func() (int, error) {
						ms, err := db.Outbox(ctx, prev[0].ID, 51, 0)
						if err == nil {
							_, err = db.OutboxCount(ctx)
						}
						return min(len(ms), 50), err
					}},
					{fmt.Sprintf("organisations-page%d-offset", page), func() (int, error) {
						var n, total int
						err := db.Read(ctx, func(tx *store.Tx) error {
							if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM organisations WHERE 1=1`).Scan(&total); err != nil {
								return err
							}
							rows, err := tx.QueryContext(ctx, `SELECT id, kind, name FROM organisations WHERE 1=1 ORDER BY name, id LIMIT $1 OFFSET $2`, 50, offset)
							if err != nil {
								return err
							}
							n, err = countRows(rows)
							return err
						})
						return n, err
					}},
					{fmt.Sprintf("organisations-page%d-cursor", page), func() (int, error) {
						os, _, err := db.Organisations(ctx, domain.OrgFilter{After: domain.KeyCursor{Key: lastOrg[0].Name, ID: lastOrg[0].ID}, Limit: 51, NoTotal: true})
						return min(len(os), 50), err
					}},
					{fmt.Sprintf("organisations-page%d-cursor+count", page), func() (int, error) {
						os, _, err := db.Organisations(ctx, domain.OrgFilter{After: domain.KeyCursor{Key: lastOrg[0].Name, ID: lastOrg[0].ID}, Limit: 51})
						return min(len(os), 50), err
					}},
				}
				for _, c := range cases {
					if len(lastOrg) == 0 && strings.HasPrefix(c.name, "organisations") {
						continue // fewer organisations than pages
					}
					b.Run(c.name, func(b *testing.B) {
						for i := 0; i < b.N; i++ {
							n, err := c.run()
							if err != nil || n != 50 {
								b.Fatal(n, err)
							}
						}
						b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
					})
				}
			}
		})
	}
}

func countRows(rows *sql.Rows) (int, error) {
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}
