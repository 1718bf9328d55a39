package pilots_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/geo"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// BenchmarkDirectorySearch measures the directory's search (the service
// call as Niklas: policy, framework, the query, the page of 20) over
// 100,000 entries spread over Baden-Württemberg's 44 districts, each with
// a competence, its area and for every tenth a tag; every twentieth is
// hidden. Seeding takes a while, so it is opt-in:
//
//	LOTSE_BENCH_PILOTS=sqlite go test ./internal/pilots -run XXX -bench DirectorySearch -benchtime 200x
//
// (LOTSE_BENCH_PILOTS=all with LOTSE_TEST_POSTGRES runs PostgreSQL too.)
func BenchmarkDirectorySearch(b *testing.B) {
	which := os.Getenv("LOTSE_BENCH_PILOTS")
	if which == "" {
		b.Skip("set LOTSE_BENCH_PILOTS=sqlite (or all) to seed 100,000 directory entries")
	}
	const entries = 100_000
	for _, d := range storetest.Dialects {
		if which != "all" && which != string(d) {
			continue
		}
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			ctx := context.Background()
			if _, err := demo.Load(ctx, db, demo.DefaultPassword); err != nil {
				b.Fatal(err)
			}
			a := app.New(db, "https://lotse.example", nil)
			start := time.Now()
			seedEntries(b, db, entries)
			b.Logf("%s: %d entries seeded in %v", d, entries, time.Since(start).Round(time.Millisecond))
			nk := as(b, db, niklas)
			first, err := a.Pilots.Search(nk, domain.PilotFilter{})
			if err != nil || len(first.Items) != domain.PilotPageSize {
				b.Fatalf("first page: %v", err)
			}
			for _, c := range []struct {
				name string
				f    domain.PilotFilter
			}{
				{"all", domain.PilotFilter{}},
				{"next_page", domain.PilotFilter{Cursor: first.Next}},
				{"area", domain.PilotFilter{Topic: "EGOV"}},
				{"competence", domain.PilotFilter{Topic: "KI.2"}},
				{"tag", domain.PilotFilter{Topic: "E-Akte"}},
				{"district", domain.PilotFilter{District: "08111"}},
				{"district_area", domain.PilotFilter{District: "08436", Topic: "PM"}},
				{"word", domain.PilotFilter{Q: "akte"}},
				{"two_words_district", domain.PilotFilter{Q: "hilfe 42", District: "08221"}},
				{"no_match", domain.PilotFilter{Q: "zeppelin"}},
			} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						if _, err := a.Pilots.Search(nk, c.f); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// seedEntries adds n people with an entry each, with one INSERT ... SELECT
// per table.
func seedEntries(b *testing.B, db *store.DB, n int) {
	b.Helper()
	ctx := context.Background()
	org, err := db.OrganisationByAGS(ctx, demo.FuturehausenAGS)
	if err != nil {
		b.Fatal(err)
	}
	atlas, err := geo.Load("08")
	if err != nil {
		b.Fatal(err)
	}
	var ds []string
	for i, r := range atlas.Districts {
		ds = append(ds, fmt.Sprintf("(%d, '%s')", i, r.AGS))
	}
	fw, err := db.Competences(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var cs []string
	for _, c := range fw {
		if c.Code != c.Area {
			cs = append(cs, fmt.Sprintf("(%d, '%s', '%s')", len(cs), c.Code, c.Area))
		}
	}
	gen := fmt.Sprintf(`WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < %d)`, n)
	bench := `p.email LIKE '%@bench.example'`
	stmts := []string{
		`INSERT INTO persons (email, name, created_at) ` + gen + ` SELECT 'p' || n || '@bench.example', 'Person ' || n,
			(SELECT created_at FROM persons WHERE email = 'niklas@futurehausen.example') FROM c`,
		fmt.Sprintf(`INSERT INTO pilot_entries (person_id, org_id, ags, district, name, help, topics, tags, contact, hidden, search, consent_at, created_at, updated_at)
			WITH d(i, code) AS (VALUES %s), k(i, code, area) AS (VALUES %s)
			SELECT p.id, %d, d.code || '001', d.code, p.name, 'Hilfe bei Thema ' || (p.id %% 97), k.code, CASE WHEN p.id %% 10 = 0 THEN 'E-Akte' ELSE '' END,
				'form', p.id %% 20 = 0, lower(p.name || ' hilfe bei thema ' || (p.id %% 97) || CASE WHEN p.id %% 10 = 0 THEN ' e-akte' ELSE '' END),
				p.created_at, p.created_at, p.created_at
			FROM persons p JOIN d ON d.i = p.id %% %d JOIN k ON k.i = p.id %% %d WHERE %s`,
			strings.Join(ds, ", "), strings.Join(cs, ", "), org.ID, len(ds), len(cs), bench),
		`INSERT INTO pilot_topic_keys (key, entry_id, name) SELECT e.topics, e.id, e.name FROM pilot_entries e WHERE NOT e.hidden`,
		`INSERT INTO pilot_topic_keys (key, entry_id, name) SELECT substr(e.topics, 1, instr(e.topics, '.') - 1), e.id, e.name FROM pilot_entries e
			WHERE NOT e.hidden AND instr(e.topics, '.') > 0`,
		`INSERT INTO pilot_topic_keys (key, entry_id, name) SELECT 'tag:e-akte', e.id, e.name FROM pilot_entries e WHERE NOT e.hidden AND e.tags = 'E-Akte'`,
	}
	for _, w := range []string{"'person'", "'hilfe'", "'bei'", "'thema'", "'' || (e.person_id % 97)", "substr(e.name, 8)"} {
		stmts = append(stmts, `INSERT INTO pilot_search_words (word, entry_id, name) SELECT DISTINCT `+w+`, e.id, e.name FROM pilot_entries e WHERE NOT e.hidden`)
	}
	for _, w := range []string{"'e-akte'", "'akte'"} {
		stmts = append(stmts, `INSERT INTO pilot_search_words (word, entry_id, name) SELECT `+w+`, e.id, e.name FROM pilot_entries e WHERE NOT e.hidden AND e.tags = 'E-Akte'`)
	}
	if db.Dialect == store.Postgres {
		stmts[3] = strings.NewReplacer("substr(e.topics, 1, instr(e.topics, '.') - 1)", "split_part(e.topics, '.', 1)", "instr(e.topics, '.')", "strpos(e.topics, '.')").Replace(stmts[3])
	}
	stmts = append(stmts, `ANALYZE`)
	for _, q := range stmts {
		err := db.Transact(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, q)
			return err
		})
		if err != nil {
			b.Fatalf("%.80s: %v", strings.TrimSpace(q), err)
		}
	}
	var count int
	if err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM pilot_entries`).Scan(&count)
	}); err != nil || count < n {
		b.Fatalf("%d entries (%v)", count, err)
	}
}

// BenchmarkDistrictCounts compares, side by side, what /lotsen read for its
// map on every view before migration 00037 (the district counts joined
// with the districts' names) with what it reads now while the counts keep
// their version (one key), and the whole service call. The counts stand
// for entries in 400 districts, as the scale generator spreads them.
//
//	LOTSE_TEST_POSTGRES=... go test ./internal/pilots -run XXX -bench DistrictCounts
func BenchmarkDistrictCounts(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) { benchDistrictCounts(b, storetest.Open(b, d)) })
	}
}

func benchDistrictCounts(b *testing.B, db *store.DB) {
	{
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, demo.DefaultPassword); err != nil {
			b.Fatal(err)
		}
		err := db.Transact(ctx, func(tx *store.Tx) error {
			for i := range 400 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO pilot_district_counts (district, entries) VALUES ($1, $2)`,
					fmt.Sprintf("%05d", 1000+i), 1+i%50); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		a := app.New(db, "https://lotse.example", nil)
		nk := as(b, db, niklas)
		b.Run("read_every_view", func(b *testing.B) {
			for b.Loop() {
				if l, err := db.PilotDistrictCounts(ctx); err != nil || len(l) < 400 {
					b.Fatal(len(l), err)
				}
			}
		})
		b.Run("version_check", func(b *testing.B) {
			for b.Loop() {
				if _, err := db.PilotDistrictCountsVersion(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("service_kept", func(b *testing.B) {
			for b.Loop() {
				if _, c, err := a.Pilots.DistrictCounts(nk); err != nil || len(c) < 400 {
					b.Fatal(len(c), err)
				}
			}
		})
	}
}
