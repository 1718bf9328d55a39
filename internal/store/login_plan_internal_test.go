package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Every login counts the failed attempts of its address and client address
// and asks which organisations require a second factor. A town hall's
// proxy has many successful logins in the window, and few of thousands of
// organisations require a second factor: both read partial indexes, not
// every attempt of the address or every organisation.
func TestLoginReadsOnlyFailedAttemptsAndRequiringOrganisations(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 20,000 rows per table")
	}
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(string(d), func(t *testing.T) {
			db := planDB(t, d)
			ctx := context.Background()
			at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			seq := `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 20000) `
			for _, q := range []string{
				// 20 client addresses with 1,000 logins each, one in 100
				// failed; one organisation in 1,000 requires a second factor.
				seq + `INSERT INTO login_attempts (email, addr, at, success)
					SELECT 'p' || (i % 50) || '@x.example', '10.0.0.' || (i % 20), $1, i % 100 <> 0 FROM s`,
				seq + `INSERT INTO organisations (kind, name, created_at, require_mfa)
					SELECT 'municipality', 'Org ' || i, $1, i % 1000 = 0 FROM s`,
			} {
				if _, err := db.exec(ctx, q, at); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.exec(ctx, "ANALYZE"); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name, q string
				args    []any
				indexes []string
			}{
				{"failed logins", failedLogins, []any{"p1@x.example", "10.0.0.0", at.Add(-time.Minute)},
					[]string{"login_attempts_failed_email", "login_attempts_failed_addr"}},
				{"organisations requiring a second factor", orgsRequiringMFA, nil, []string{"organisations_require_mfa"}},
			} {
				plan := explain(t, db, c.q, c.args)
				t.Logf("%s:\n%s", c.name, plan)
				for _, index := range c.indexes {
					if !strings.Contains(plan, index) {
						t.Errorf("%s: not read along %s:\n%s", c.name, index, plan)
					}
				}
			}
			// The counts themselves: the 200 failed attempts (every hundredth)
			// all have p0's address and the client address 10.0.0.0; 20
			// organisations.
			var byEmail, byAddr int
			if err := db.Transact(ctx, func(tx *Tx) (err error) {
				byEmail, byAddr, err = tx.FailedLogins(ctx, "p0@x.example", "10.0.0.0", at.Add(-time.Minute))
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if byEmail != 200 || byAddr != 200 {
				t.Errorf("failed logins = %d by address, %d by client address; want 200, 200", byEmail, byAddr)
			}
			req, err := db.MFARequirements(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(req.Orgs) != 20 {
				t.Errorf("%d organisations require a second factor, want 20", len(req.Orgs))
			}
		})
	}
}
