package e2e

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestCancelAndApproveOnceAcrossTwoServerProcesses sends ten cancellations
// of one booking and ten HR approvals of another to two lotse server
// processes on one database at once: each succeeds exactly once, and the
// session of two places never holds more than two.
func TestCancelAndApproveOnceAcrossTwoServerProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	bin := build(t)
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			data := t.TempDir()
			lotse(t, bin, "demo", "--database", dsn, "--data", data)
			token := func(email string) string {
				return lastLine(lotse(t, bin, "token", "create", "--email", email, "--database", dsn, "--data", data))
			}
			provider, admin, niklas, anna := token("kurse@vwa-bw.example"), token("admin@lotse.example"),
				token("niklas@futurehausen.example"), token("anna@futurehausen.example")
			servers := []string{serve(t, bin, dsn, data), serve(t, bin, dsn, data)}
			a, b := servers[0], servers[1]

			session := publishedSession(t, a, b, provider, admin, "PROC-2", "Zwei Prozesse, zwei Plätze", 2)
			bookings := fmt.Sprintf("/api/v1/sessions/%d/bookings", session)

			// Niklas waits for HR; eight others take the two places and the
			// waiting list.
			st, out := call(t, "POST", a+bookings, niklas, `{"payment": "employer"}`)
			if st != 201 {
				t.Fatalf("employer booking: %d %s", st, out)
			}
			var waiting struct{ ID int64 }
			json.Unmarshal(out, &waiting)
			var ids []int64
			for i := 0; i < 8; i++ {
				st, out := call(t, "POST", b+bookings, provider, fmt.Sprintf(`{"participant": {"name": "Person %d", "email": "q%d@futurehausen.example"}, "payment": "private"}`, i, i))
				if st != 201 {
					t.Fatalf("booking %d: %d %s", i, st, out)
				}
				var bk struct{ ID int64 }
				json.Unmarshal(out, &bk)
				ids = append(ids, bk.ID)
			}

			// Warm both servers' connection pools, so that the requests
			// below start their transactions together instead of one
			// after the other while connections are dialled.
			var warm sync.WaitGroup
			for i := 0; i < 40; i++ {
				warm.Add(1)
				go func() {
					defer warm.Done()
					call(t, "GET", servers[i%2]+bookings, provider, "")
				}()
			}
			warm.Wait()

			// At once: ten cancellations of the first confirmed booking and
			// ten approvals of Niklas's, half to each server.
			cancels, approvals := make([]int, 10), make([]int, 10)
			var wg sync.WaitGroup
			for i := 0; i < 10; i++ {
				wg.Add(2)
				go func() {
					defer wg.Done()
					cancels[i], _ = call(t, "DELETE", servers[i%2]+fmt.Sprintf("/api/v1/bookings/%d", ids[0]), provider, "")
				}()
				go func() {
					defer wg.Done()
					approvals[i], _ = call(t, "POST", servers[(i+1)%2]+fmt.Sprintf("/api/v1/bookings/%d/approve", waiting.ID), anna, "")
				}()
			}
			wg.Wait()
			for name, sts := range map[string][]int{"cancellations": cancels, "approvals": approvals} {
				ok := 0
				for _, s := range sts {
					switch s {
					case 200:
						ok++
					case 409:
					default:
						t.Fatalf("%s: %v", name, sts)
					}
				}
				if ok != 1 {
					t.Fatalf("%d %s answered 200 (%v), want 1", ok, name, sts)
				}
			}
			st, out = call(t, "GET", a+bookings, provider, "")
			if st != 200 {
				t.Fatalf("participant list: %d %s", st, out)
			}
			var list struct {
				Items []struct{ Status string }
			}
			json.Unmarshal(out, &list)
			count := map[string]int{}
			for _, it := range list.Items {
				count[it.Status]++
			}
			if count["confirmed"] != 2 || count["cancelled"] != 1 || count["awaiting_approval"] != 0 || count["waitlisted"] != 6 {
				t.Fatalf("after the races: %v; want 2 confirmed, 1 cancelled and 6 on the waiting list", count)
			}
		})
	}
}

// publishedSession creates an online offer of the provider through server a,
// publishes it as admin through server b and adds a one-day session a month
// ahead with capacity places; it returns the session's ID.
func publishedSession(t *testing.T, a, b, provider, admin, code, title string, capacity int) int64 {
	t.Helper()
	return publishedSessionAt(t, a, b, provider, admin, code, title, capacity, time.Now().AddDate(0, 1, 0).UTC())
}

// publishedSessionAt is publishedSession with a session that starts at start.
func publishedSessionAt(t *testing.T, a, b, provider, admin, code, title string, capacity int, start time.Time) int64 {
	t.Helper()
	st, out := call(t, "POST", a+"/api/v1/offers", provider, fmt.Sprintf(`{"code": %q, "title": %q,
		"summary": "Ein Termin, um den zwei Serverprozesse zugleich gebeten werden.",
		"description": "Ein Angebot nur für Tests gleichzeitiger Anfragen über zwei Serverprozesse hinweg.",
		"outcomes": ["Geduld"], "competences": [{"code": "NEWWORK.1", "level": 1}], "level": "basic", "format": "live_online",
		"language": "de", "hours": 2, "days": 1, "certificate": "participation", "price_cents": 0}`, code, title))
	if st != 201 {
		t.Fatalf("offer: %d %s", st, out)
	}
	var offer struct{ ID int64 }
	json.Unmarshal(out, &offer)
	if st, out := call(t, "POST", fmt.Sprintf("%s/api/v1/offers/%d/publish", b, offer.ID), admin,
		`{"checklist": ["content", "competences", "duration", "price", "certificate", "accessibility"]}`); st != 200 {
		t.Fatalf("publish: %d %s", st, out)
	}
	st, out = call(t, "POST", fmt.Sprintf("%s/api/v1/offers/%d/sessions", a, offer.ID), provider,
		fmt.Sprintf(`{"starts_at": %q, "ends_at": %q, "days": 1, "capacity": %d, "online": true}`,
			start.Format(time.RFC3339), start.Add(2*time.Hour).Format(time.RFC3339), capacity))
	if st != 201 {
		t.Fatalf("session: %d %s", st, out)
	}
	var ses struct{ ID int64 }
	json.Unmarshal(out, &ses)
	return ses.ID
}
