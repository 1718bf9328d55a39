package privacy_test

import (
	"context"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/privacy"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// seedExpiring writes one row of each kind of data that expires, at the
// database's current time, and returns the person it made for them.
func seedExpiring(t *testing.T, db *store.DB, tag string) {
	t.Helper()
	ctx := context.Background()
	owner := storetest.MustCreatePerson(t, db, "halter-"+tag+"@example.org", "Hanna Halter")
	unconfirmed := &domain.Person{Email: "nie-" + tag + "@example.org", Name: "Nie Bestätigt"}
	if err := db.CreatePerson(ctx, unconfirmed, ""); err != nil {
		t.Fatal(err)
	}
	now := db.Now()
	err := db.Transact(ctx, func(tx *store.Tx) error {
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO outbox (to_addr, subject, body, created_at, sent_at) VALUES ($1, 'Betreff', 'Text', $2, $2)`, []any{"a-" + tag + "@example.org", now}},
			{`INSERT INTO outbox (to_addr, subject, body, created_at) VALUES ($1, 'Offen', 'Text', $2)`, []any{"b-" + tag + "@example.org", now}},
			{`INSERT INTO login_attempts (email, addr, at, success) VALUES ($1, '192.0.2.1', $2, $3)`, []any{"x-" + tag + "@example.org", now, false}},
			{`INSERT INTO sessions (token_hash, person_id, csrf_token, created_at, expires_at) VALUES ($1, $2, 'c', $3, $3)`, []any{"h-" + tag, owner.ID, now}},
			{`INSERT INTO search_misses (day, query, count) VALUES ($1, $2, 1)`, []any{now.Format("2006-01-02"), "wombat-" + tag}},
			// An invitation that expires now, never accepted.
			{`INSERT INTO organisations (kind, name, created_at) VALUES ('municipality', $1, $2)`, []any{"Gemeinde " + tag, now}},
			{`INSERT INTO invitations (org_id, email, roles, token_hash, invited_by, created_at, expires_at)
				SELECT id, $1, 'participant', $2, $3, $4, $4 FROM organisations WHERE name = $5`, []any{"e-" + tag + "@example.org", "t-" + tag, owner.ID, now, "Gemeinde " + tag}},
			// An application rejected now, with an uploaded certificate.
			{`INSERT INTO programmes (id, name, config, updated_at) VALUES ($1, 'P', '{}', $2)`, []any{"p-" + tag, now}},
			{`INSERT INTO documents (org_id, name, media_type, size, sha256, created_at)
				SELECT id, $1, 'application/pdf', 1, $2, $3 FROM organisations WHERE name = $4`, []any{"nachweis-" + tag + ".pdf", "sha-" + tag, now, "Gemeinde " + tag}},
			{`INSERT INTO applications (programme_id, org_id, ags, track, people, status, created_by, created_at, updated_at, decided_at)
				SELECT $1, id, '08999001', 'advanced', 1, 'rejected', $2, $3, $3, $3 FROM organisations WHERE name = $4`, []any{"p-" + tag, owner.ID, now, "Gemeinde " + tag}},
			{`INSERT INTO application_certificates (application_id, position, person_name, document_id)
				SELECT a.id, 1, 'Hanna Halter', d.id FROM applications a, documents d WHERE a.programme_id = $1 AND d.name = $2`, []any{"p-" + tag, "nachweis-" + tag + ".pdf"}},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRetentionPurgesEachKindAfterItsPeriodOnOneInstance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		travel := storetest.Freeze(db)
		a := app.New(db, storetest.BaseURL, nil)
		ctx := context.Background()
		seedExpiring(t, db, "alt")
		count := func(q string) int {
			var n int
			db.Read(ctx, func(tx *store.Tx) error { return tx.QueryRowContext(ctx, q).Scan(&n) })
			return n
		}
		counts := func(cs []domain.RetentionCount) map[string]int64 {
			m := map[string]int64{}
			for _, c := range cs {
				m[c.Kind] = c.Count
			}
			return m
		}

		// A day later only the expired session (7 days after expiry) is
		// not yet due; nothing is purged.
		travel(24 * time.Hour)
		cs, ran, err := a.Privacy.Purge(ctx)
		if err != nil || !ran {
			t.Fatalf("first run: ran %v, %v", ran, err)
		}
		for k, n := range counts(cs) {
			if n != 0 {
				t.Errorf("after one day %d of %s purged", n, k)
			}
		}
		// A second instance an hour later finds the run taken.
		travel(time.Hour)
		if _, ran, err := a.Privacy.Purge(ctx); err != nil || ran {
			t.Fatalf("second instance within the day: ran %v, %v", ran, err)
		}

		// Eight days on: sessions expired a week ago go.
		travel(7 * 24 * time.Hour)
		cs, ran, err = a.Privacy.Purge(ctx)
		if err != nil || !ran {
			t.Fatalf("after eight days: ran %v, %v", ran, err)
		}
		if m := counts(cs); m["expired_sessions"] != 1 || m["login_attempts"] != 0 || m["sent_mails"] != 0 {
			t.Errorf("after eight days: %v", m)
		}

		// A month on: login attempts and the never confirmed account;
		// the one with a password and a membership-less life stays.
		seedExpiring(t, db, "neu") // fresh rows of every kind
		travel(30 * 24 * time.Hour)
		cs, _, err = a.Privacy.Purge(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if m := counts(cs); m["login_attempts"] != 1 || m["unconfirmed_accounts"] != 1 || m["sent_mails"] != 0 || m["search_misses"] != 0 ||
			m["expired_invitations"] != 1 || m["rejected_uploads"] != 0 {
			t.Errorf("after a month: %v", m)
		}
		if n := count(`SELECT count(*) FROM persons WHERE email = 'halter-alt@example.org'`); n != 1 {
			t.Errorf("the account with a password was purged")
		}

		// Three months on: sent mails and searches without results; the
		// unsent mail stays.
		travel(53 * 24 * time.Hour)
		cs, _, err = a.Privacy.Purge(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if m := counts(cs); m["sent_mails"] != 1 || m["search_misses"] != 1 || m["login_attempts"] != 1 || m["unconfirmed_accounts"] != 1 {
			t.Errorf("after three months: %v", m)
		}
		if n := count(`SELECT count(*) FROM outbox WHERE sent_at IS NULL`); n != 2 {
			t.Errorf("%d unsent mails left, want 2", n)
		}
		// A year after the rejection its upload goes, with its document.
		travel(275 * 24 * time.Hour)
		cs, _, err = a.Privacy.Purge(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if m := counts(cs); m["rejected_uploads"] != 1 {
			t.Errorf("after a year: %v", m)
		}
		if n := count(`SELECT count(*) FROM documents WHERE name = 'nachweis-alt.pdf'`); n != 0 {
			t.Errorf("the rejected application's document stayed")
		}
		if n := count(`SELECT count(*) FROM application_certificates`); n != 1 {
			t.Errorf("%d uploads left, want the newer one", n)
		}
		// Each run is in the audit log with its counts.
		if n := count(`SELECT count(*) FROM audit_log WHERE action = 'retention.purge'`); n != 5 {
			t.Errorf("%d purge entries in the audit log, want 5", n)
		}
	})
}

func TestTheRetentionJobWaitsForTheNight(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		travel := storetest.Freeze(db) // 09:00 UTC, 10:00 in Germany
		a := app.New(db, storetest.BaseURL, nil)
		ctx := context.Background()
		runs := func() int {
			var n int
			db.Read(ctx, func(tx *store.Tx) error {
				return tx.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'retention.purge'`).Scan(&n)
			})
			return n
		}
		if err := a.Privacy.RunRetention(ctx); err != nil || runs() != 0 {
			t.Fatalf("by day: %d runs, %v", runs(), err)
		}
		travel(15 * time.Hour) // 01:00 in Germany
		if err := a.Privacy.RunRetention(ctx); err != nil || runs() != 1 {
			t.Fatalf("at night: %d runs, %v", runs(), err)
		}
		travel(time.Hour)
		if err := a.Privacy.RunRetention(ctx); err != nil || runs() != 1 {
			t.Fatalf("an hour later: %d runs, %v", runs(), err)
		}
		travel(23 * time.Hour) // the next night
		if err := a.Privacy.RunRetention(ctx); err != nil || runs() != 2 {
			t.Fatalf("the next night: %d runs, %v", runs(), err)
		}
	})
}

// TestRetentionPurgesInBatches: each kind is purged a batch at a time,
// each in a transaction of its own, until none is left, and the counts
// add the batches up. An unconfirmed account that something refers to
// stays, and a batch that finds only such accounts ends their purge
// instead of finding them again and again.
func TestRetentionPurgesInBatches(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		defer privacy.SetPurgeBatch(2)()
		travel := storetest.Freeze(db)
		a := app.New(db, storetest.BaseURL, nil)
		ctx := context.Background()
		for _, tag := range []string{"a", "b", "c"} {
			seedExpiring(t, db, tag)
		}
		// The first never confirmed account sent an invitation that was
		// accepted: the account stays.
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO invitations (org_id, email, roles, token_hash, invited_by, created_at, expires_at, accepted_at)
				SELECT o.id, 'angenommen@example.org', 'participant', 'accepted', p.id, $1, $1, $1
				FROM organisations o, persons p WHERE o.name = 'Gemeinde a' AND p.email = 'nie-a@example.org'`, db.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		travel(400 * 24 * time.Hour)
		cs, ran, err := a.Privacy.Purge(ctx)
		if err != nil || !ran {
			t.Fatalf("ran %v, %v", ran, err)
		}
		want := map[string]int64{"sent_mails": 3, "login_attempts": 3, "expired_sessions": 3, "search_misses": 3,
			"expired_invitations": 3, "rejected_uploads": 3, "unconfirmed_accounts": 2}
		for _, c := range cs {
			if c.Count != want[c.Kind] {
				t.Errorf("%s: %d purged, want %d", c.Kind, c.Count, want[c.Kind])
			}
			delete(want, c.Kind)
		}
		if len(want) > 0 {
			t.Errorf("kinds not purged: %v", want)
		}
		count := func(q string) int {
			var n int
			if err := db.Read(ctx, func(tx *store.Tx) error { return tx.QueryRowContext(ctx, q).Scan(&n) }); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for q, want := range map[string]int{
			`SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL`:           0,
			`SELECT count(*) FROM outbox WHERE sent_at IS NULL`:               3,
			`SELECT count(*) FROM login_attempts`:                             0,
			`SELECT count(*) FROM sessions`:                                   0,
			`SELECT count(*) FROM search_misses`:                              0,
			`SELECT count(*) FROM invitations`:                                1,
			`SELECT count(*) FROM application_certificates`:                   0,
			`SELECT count(*) FROM persons WHERE email LIKE 'nie-%'`:           1,
			`SELECT count(*) FROM audit_log WHERE action = 'retention.purge'`: 1,
		} {
			if n := count(q); n != want {
				t.Errorf("%s: %d, want %d", q, n, want)
			}
		}
	})
}
