package store

import (
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// TestPlannerKnowsHowManyTitlesContainAPart: PostgreSQL's planner has the
// statistics of the titles as containsSQL folds them (migrations 00040 and
// 00041), for a part with an umlaut and without. Without them it guessed
// half a percent of the offers, and the team overview began with the
// bookings of "all" of them (2 s instead of 10 ms).
func TestPlannerKnowsHowManyTitlesContainAPart(t *testing.T) {
	db := planDB(t, Postgres)
	ctx := context.Background()
	const n = 3000
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, q := range []string{
		`INSERT INTO organisations (kind, name, created_at) VALUES ('provider', 'Akademie', $1)`,
		`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ` + strconv.Itoa(n) + `)
		INSERT INTO offers (provider_id, code, title, summary, description, outcomes, level, format, language, hours, days,
			certificate, price_cents, status, created_at, updated_at)
		SELECT 1, 'K' || i, CASE WHEN i % 3 = 0 THEN 'Führung im Wandel ' || i ELSE 'Kurs ' || i END,
			'S', 'D', '', 'basic', 'online', 'de', 1, 1, '', 0, 'published', $1, $1 FROM s`,
	} {
		if _, err := db.exec(ctx, q, at); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	rowsRE := regexp.MustCompile(`rows=(\d+)`)
	for part, want := range map[string]int{"führung": n / 3, "FÜHRUNG": n / 3, "kurs": 2 * n / 3} {
		var args argList
		plan := explain(t, db, `SELECT id FROM offers WHERE `+containsSQL("title", part, args.add), args)
		m := rowsRE.FindStringSubmatch(plan)
		if m == nil {
			t.Fatalf("%q: no estimate in the plan:\n%s", part, plan)
		}
		if est, _ := strconv.Atoi(m[1]); est < want/2 || est > want*2 {
			t.Errorf("%q: the planner expects %d offers, %d have it:\n%s", part, est, want, plan)
		}
	}
}
