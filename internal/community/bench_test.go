package community_test

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
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// Sizes of the generated space.
const (
	benchChannels = 20
	benchThreads  = 50_000
	benchPosts    = 1_000_000
	benchPeople   = 100_000
	// benchNew is how many of the posts are new since the last digest.
	benchNew = 20_000
)

// BenchmarkCommunity measures, on a space of 1,000,000 posts in 50,000
// threads of 20 channels (posts interleaved across the threads, as
// activity is), the service calls behind the pages: a channel's first page
// of threads and a page deep in its history (keyset), a thread's page of
// posts, and as the baseline in the same run the space's page (the same
// access check and scope, no paging); and the digest job for 100,000
// people who each follow a channel (every digest lists the 20 newest of
// the threads with news). Seeding takes minutes, so it is opt-in:
//
//	LOTSE_BENCH_COMMUNITY=sqlite go test ./internal/community -run XXX -bench Community -benchtime 200x -timeout 60m
//
// (postgres or all with LOTSE_TEST_POSTGRES for PostgreSQL.) The digest
// job runs once per database; its time is logged (-v shows it).
func BenchmarkCommunity(b *testing.B) {
	which := os.Getenv("LOTSE_BENCH_COMMUNITY")
	if which == "" {
		b.Skip("set LOTSE_BENCH_COMMUNITY=sqlite, postgres or all to seed 1,000,000 posts and 100,000 people")
	}
	for _, d := range storetest.Dialects {
		if which != "all" && which != string(d) {
			continue
		}
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			if _, err := demo.Load(context.Background(), db, demo.DefaultPassword); err != nil {
				b.Fatal(err)
			}
			a := app.New(db, storetest.BaseURL, nil)
			ctx := context.Background()
			petra, lilly := asTB(b, db, petra), asTB(b, db, lilly)
			st := spaceOfTB(b, a, petra)
			var first int64
			for i := 0; i < benchChannels; i++ {
				ch, err := a.Community.CreateChannel(petra, st, domain.Channel{Name: fmt.Sprintf("Kanal %d", i+1)})
				if err != nil {
					b.Fatal(err)
				}
				if i == 0 {
					first = ch.ID
				} else if ch.ID != first+int64(i) {
					b.Fatalf("channel IDs are not consecutive: %d after %d", ch.ID, first)
				}
			}
			start := time.Now()
			seedSpace(b, db, st, first)
			b.Logf("%s: %d posts in %d threads seeded in %v", d, benchPosts, benchThreads, time.Since(start).Round(time.Millisecond))
			start = time.Now()
			seedFollowers(b, db, st, first)
			b.Logf("%s: %d people following a channel seeded in %v", d, benchPeople, time.Since(start).Round(time.Millisecond))

			cv, err := a.Community.Channel(lilly, first, 0)
			if err != nil || len(cv.Threads) != 25 {
				b.Fatalf("channel page: %v", err)
			}
			deep := cv.Threads[0].LastPostID - benchThreads/2 // half way through the channel's threads
			thread := cv.Threads[3].ID
			b.Run("baseline-space-page", func(b *testing.B) {
				for b.Loop() {
					if _, err := a.Community.Space(lilly, st); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("channel-page", func(b *testing.B) {
				for b.Loop() {
					if v, err := a.Community.Channel(lilly, first, 0); err != nil || len(v.Threads) != 25 {
						b.Fatal(err)
					}
				}
			})
			b.Run("channel-page-deep", func(b *testing.B) {
				for b.Loop() {
					if v, err := a.Community.Channel(lilly, first+7, deep); err != nil || len(v.Threads) != 25 {
						b.Fatal(err)
					}
				}
			})
			b.Run("thread-page", func(b *testing.B) {
				for b.Loop() {
					if v, err := a.Community.Thread(lilly, thread, 0); err != nil || len(v.Posts) != benchPosts/benchThreads {
						b.Fatalf("%v", err)
					}
				}
			})
			// The digest job runs once, outside the loops: it is a whole
			// job, not a request.
			resetDigests(b, db, st)
			t0 := time.Now()
			n, err := a.Community.SendDigests(ctx)
			if err != nil || n != benchPeople {
				b.Fatalf("%d digests, %v", n, err)
			}
			b.Logf("%s: digest job: %d mails in %v", d, n, time.Since(t0).Round(time.Millisecond))
		})
	}
}

func asTB(tb testing.TB, db *store.DB, email string) context.Context {
	tb.Helper()
	ctx := context.Background()
	p, err := db.PersonByEmail(ctx, email)
	if err != nil {
		tb.Fatal(err)
	}
	ms, err := db.Memberships(ctx, p.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return domain.WithActor(ctx, &domain.Actor{Person: p, Memberships: ms})
}

func spaceOfTB(tb testing.TB, a *app.App, ctx context.Context) int64 {
	vs, err := a.Community.MySpaces(ctx)
	if err != nil || len(vs) != 1 {
		tb.Fatalf("spaces: %v", err)
	}
	return vs[0].Space.ID
}

func execAll(tb testing.TB, db *store.DB, stmts []string, args ...any) {
	tb.Helper()
	ctx := context.Background()
	for _, q := range stmts {
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		}); err != nil {
			tb.Fatalf("%.80s: %v", strings.TrimSpace(q), err)
		}
	}
}

// seedSpace adds the threads and posts with one INSERT ... SELECT each
// from a recursive CTE; post n goes to thread n mod 50,000, so every
// thread's posts are spread over the whole history.
func seedSpace(tb testing.TB, db *store.DB, space, firstChannel int64) {
	ctx := context.Background()
	var lilly, niklas int64
	for email, id := range map[string]*int64{"lilly@futurehausen.example": &lilly, "niklas@futurehausen.example": &niklas} {
		p, err := db.PersonByEmail(ctx, email)
		if err != nil {
			tb.Fatal(err)
		}
		*id = p.ID
	}
	var t0 int64
	execAll(tb, db, []string{fmt.Sprintf(`INSERT INTO community_threads (channel_id, space_id, title, author_id, created_at, last_post_id, last_post_at,
		last_author_id, post_count) WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < %d)
		SELECT %d + (n %% %d), %d, 'Thema ' || n || ': Erfahrungen mit der Digitalisierung', %d, $1, 0, $1, %d, %d FROM c`,
		benchThreads, firstChannel, benchChannels, space, lilly, lilly, benchPosts/benchThreads)}, db.Now())
	if err := db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT min(id) FROM community_threads WHERE space_id = $1`, space).Scan(&t0)
	}); err != nil {
		tb.Fatal(err)
	}
	execAll(tb, db, []string{
		fmt.Sprintf(`INSERT INTO community_posts (thread_id, space_id, author_id, body, created_at)
		WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < %d)
		SELECT %d + (n %% %d), %d, CASE WHEN n %% 2 = 0 THEN %d ELSE %d END,
			'Beitrag ' || n || ': Wir haben das Verfahren umgestellt. **Die Hälfte** der Anträge kommt schon digital; siehe https://lotse.example/' || n, $1 FROM c`,
			benchPosts-1, t0, benchThreads, space, lilly, niklas),
	}, db.Now())
	execAll(tb, db, []string{`UPDATE community_threads SET last_post_id = (SELECT max(p.id) FROM community_posts p WHERE p.thread_id = community_threads.id),
			last_author_id = ` + fmt.Sprint(niklas) + ` WHERE space_id = $1`}, space)
	execAll(tb, db, []string{`UPDATE community_channels SET thread_count = (SELECT count(*) FROM community_threads t
		WHERE t.channel_id = community_channels.id) WHERE space_id = $1`}, space)
	execAll(tb, db, []string{`ANALYZE`})
}

// seedFollowers adds 100,000 people of Futurehausen, each following one
// channel with a weekly digest due now, whose last digest was 20,000
// posts ago.
func seedFollowers(tb testing.TB, db *store.DB, space, firstChannel int64) {
	org, err := db.OrganisationByAGS(context.Background(), demo.FuturehausenAGS)
	if err != nil {
		tb.Fatal(err)
	}
	execAll(tb, db, []string{
		fmt.Sprintf(`INSERT INTO persons (email, name, created_at) WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < %d)
			SELECT 'd' || n || '@bench.example', 'Person ' || n, $1 FROM c`, benchPeople),
		fmt.Sprintf(`INSERT INTO memberships (org_id, person_id, created_at) SELECT %d, id, $1 FROM persons WHERE email LIKE 'd%%@bench.example'`, org.ID),
		fmt.Sprintf(`INSERT INTO community_follows (person_id, kind, target_id, space_id, created_at)
			SELECT id, 'channel', %d + (id %% %d), %d, $1 FROM persons WHERE email LIKE 'd%%@bench.example'`, firstChannel, benchChannels, space),
		fmt.Sprintf(`INSERT INTO community_prefs (person_id, space_id, digest, mention_mail, unsubscribe_token, digest_after, digest_due_at)
			SELECT id, %d, 'weekly', 1 = 1, 'bench-token-' || id, 0, $1 FROM persons WHERE email LIKE 'd%%@bench.example'`, space),
	}, db.Now())
}

// resetDigests makes every digest due again with the last 20,000 posts new.
func resetDigests(tb testing.TB, db *store.DB, space int64) {
	execAll(tb, db, []string{fmt.Sprintf(`UPDATE community_prefs SET digest_due_at = $1,
		digest_after = (SELECT max(id) FROM community_posts) - %d WHERE space_id = $2`, benchNew)}, db.Now().Add(-time.Minute), space)
	execAll(tb, db, []string{`DELETE FROM outbox`})
}
