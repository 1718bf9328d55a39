package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// The lists that page with a cursor (issue 14) read a page along an index
// from the cursor on: no plan sorts the table or scans it from the start.
// The tables hold enough rows (with ties in the sort keys) and fresh
// statistics that the planners choose as they would at scale.

// planDB opens a migrated database of dialect d for a plan test (the
// storetest helpers import this package).
func planDB(t *testing.T, d Dialect) *DB {
	t.Helper()
	dsn := SQLiteDSN(t.TempDir())
	if d == Postgres {
		base := os.Getenv("LOTSE_TEST_POSTGRES")
		if base == "" {
			t.Skip("PostgreSQL variant skipped: set LOTSE_TEST_POSTGRES")
		}
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 6)
		rand.Read(b)
		name := "lotse_test_" + hex.EncodeToString(b)
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			admin.Close()
			t.Fatal(err)
		}
		t.Cleanup(func() {
			admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			admin.Close()
		})
		u, _ := url.Parse(base)
		u.Path = "/" + name
		dsn = u.String()
	}
	db, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// seedLists fills the tables of the lists with n rows each, by SQL that
// both databases run: organisations with 1,000 names (ties), mails,
// applications and offers (two thirds published) changed three at a time
// (ties), messages of 500 organisations, municipalities with 500
// populations (ties).
func seedLists(t *testing.T, db *DB, n int) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	seq := `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ` + itoa(n) + `) `
	// changed is a moment a second apart for every three rows.
	changed := `CAST($1 AS TIMESTAMPTZ) + (i / 3) * INTERVAL '1 second'`
	if db.Dialect == SQLite {
		changed = `strftime('%Y-%m-%d %H:%M:%S', '2026-03-02 09:00:00', '+' || (i / 3) || ' seconds') || '+00:00'`
	}
	for _, q := range []string{
		`INSERT INTO persons (email, name, created_at) VALUES ('p@x.example', 'P', $1)`,
		`INSERT INTO programmes (id, name, config, updated_at) VALUES ('bw', 'BW', '{}', $1)`,
		seq + `INSERT INTO organisations (kind, name, created_at) SELECT 'provider', 'Org ' || (i % 1000), $1 FROM s`,
		seq + `INSERT INTO outbox (to_addr, subject, body, created_at) SELECT 'a@x.example', 'S', 'B', $1 FROM s`,
		seq + `INSERT INTO applications (programme_id, org_id, ags, track, people, status, created_by, created_at, updated_at)
			SELECT 'bw', 1 + i % 500, '08111000', 'basis', 1, CASE WHEN i % 3 = 0 THEN 'approved' ELSE 'submitted' END, 1, $1, ` + changed + ` FROM s`,
		seq + `INSERT INTO messages (org_id, subject, body, created_at) SELECT 1 + i % 500, 'S', 'B', $1 FROM s`,
		seq + `INSERT INTO offers (provider_id, code, title, summary, description, outcomes, level, format, language, hours, days,
			certificate, price_cents, status, created_at, updated_at)
			SELECT 1, 'K' || i, 'Kurs', 'S', 'D', '', 'basic', 'online', 'de', 1, 1, '', 0,
				CASE WHEN i % 3 = 0 THEN 'draft' ELSE 'published' END, $1, ` + changed + ` FROM s`,
		seq + `INSERT INTO municipalities (ags, name, search_name, kind, type_code, state_ags, population, area_ha, ref_date)
			SELECT '08' || (100000 + i), 'Ort ' || i, 'ort ' || i, 'municipality', 60, '08', i % 500, 1, $1 FROM s`,
	} {
		if _, err := db.exec(ctx, q, at); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
}

// explain returns the plan of q, one line per step.
func explain(t *testing.T, db *DB, q string, args []any) string {
	t.Helper()
	prefix := "EXPLAIN "
	if db.Dialect == SQLite {
		prefix = "EXPLAIN QUERY PLAN "
	}
	rows, err := db.query(context.Background(), prefix+q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		switch v := vals[len(vals)-1].(type) {
		case string:
			lines = append(lines, v)
		case []byte:
			lines = append(lines, string(v))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

func TestListPagesReadAnIndexFromTheCursor(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 20,000 rows per table")
	}
	for _, d := range []Dialect{SQLite, Postgres} {
		t.Run(string(d), func(t *testing.T) {
			db := planDB(t, d)
			seedLists(t, db, 20_000)
			at := domain.TimeCursor(time.Date(2026, 3, 2, 9, 50, 0, 0, time.UTC), 9_000)
			org := domain.KeyCursor{Key: "Org 500", ID: 9_000}
			provider := domain.OrgProvider
			type query struct {
				q    string
				args []any
			}
			sq := func(q string, args []any) query { return query{q, args} }
			aq := func(q string, args []any, err error) query {
				if err != nil {
					t.Fatal(err)
				}
				return query{q, args}
			}
			cases := []struct {
				name, table string
				query       query
				// index is the index the page is read along (both
				// databases name it in their plans).
				index string
				// fewSorted: the databases may collect the few rows of
				// one organisation from its index and sort them.
				fewSorted bool
			}{
				{"outbox", "outbox", query{`SELECT id FROM outbox WHERE id < $3 ORDER BY id DESC LIMIT $1 OFFSET $2`, []any{51, 0, 9_000}}, "", false},
				{"organisations", "organisations", sq(orgsPage(domain.OrgFilter{After: org, Limit: 51})), "organisations_name", false},
				{"organisations of a kind", "organisations", sq(orgsPage(domain.OrgFilter{Kind: &provider, After: org, Limit: 51})), "organisations_kind_name", false},
				{"applications", "applications", aq(db.appsPage(domain.ApplicationFilter{After: at, Limit: 51})), "applications_updated", false},
				// Two thirds are submitted: PostgreSQL rightly filters
				// applications_updated instead.
				{"applications of a status", "applications", aq(db.appsPage(domain.ApplicationFilter{Status: domain.AppSubmitted, After: at, Limit: 51})),
					"applications_", false},
				// A municipality's few applications are collected from
				// applications_org and sorted.
				{"applications of a municipality", "applications", aq(db.appsPage(domain.ApplicationFilter{OrgIDs: []int64{7}, After: at, Limit: 51})),
					"applications_org", true},
				{"mailbox", "messages", sq(messagesPage(MailboxFilter{OrgIDs: []int64{3}, PersonID: 1, Before: 9_000, Limit: 51})), "messages_org", true},
				// The MOOChub feed's page (store.Offers with a cursor).
				{"feed", "offers", query{`SELECT o.id` + offerFrom + `WHERE 1=1 AND o.status = $1
					AND (o.updated_at, o.id) < ($2, $3) ORDER BY o.updated_at DESC, o.id DESC LIMIT 51 OFFSET 0`,
					[]any{"published", time.Date(2026, 3, 2, 9, 50, 0, 0, time.UTC), 9_000}}, "offers_status_updated", false},
				// A provider's own offers (catalog.ProviderOffers).
				{"provider's offers", "offers", query{`SELECT o.id` + offerFrom + `WHERE 1=1 AND o.provider_id IN ($1)
					AND (o.updated_at, o.id) < ($2, $3) ORDER BY o.updated_at DESC, o.id DESC LIMIT 51 OFFSET 0`,
					[]any{1, time.Date(2026, 3, 2, 9, 50, 0, 0, time.UTC), 9_000}}, "offers_provider_updated", false},
				{"directory", "municipalities", sq(municipalitiesPage(domain.MunicipalityFilter{Limit: 51}, &dirPlace{ags: "08109000", population: 250})),
					"municipalities_population", false},
			}
			for _, c := range cases {
				plan := explain(t, db, c.query.q, c.query.args)
				t.Logf("%s:\n%s", c.name, plan)
				if d == SQLite {
					if strings.Contains(plan, "TEMP B-TREE") && !c.fewSorted {
						t.Errorf("%s sorts:\n%s", c.name, plan)
					}
				} else if (strings.Contains(plan, "Sort") && !c.fewSorted) || strings.Contains(plan, "Seq Scan on "+c.table+" ") {
					t.Errorf("%s sorts or scans the table:\n%s", c.name, plan)
				}
				if c.index != "" && !strings.Contains(plan, c.index) {
					t.Errorf("%s is not read along %s:\n%s", c.name, c.index, plan)
				}
			}
		})
	}
}
