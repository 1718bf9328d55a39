package e2e

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestEventCapacityAcrossTwoServerProcesses: eight people register at once
// for an event of two places through two lotse server processes on one
// database: exactly two are confirmed. Then ten cancellations of one
// confirmed registration, half to each server, succeed once, and the
// first on the waiting list takes the place: still two confirmed.
func TestEventCapacityAcrossTwoServerProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	bin := build(t)
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			data := t.TempDir()
			lotse(t, bin, "demo", "--database", dsn, "--data", data)
			emails := []string{"lilly@futurehausen.example", "niklas@futurehausen.example", "anna@futurehausen.example",
				"thomas@futurehausen.example", "pilot@kleinbach.example", "kurse@vwa-bw.example", "kurse@verwaltungsschule-bw.example",
				"foerderung@im-bw.example"}
			tokens := map[string]string{}
			for _, e := range append(emails, "pruefung@staedtetag-bw.example") {
				tokens[e] = lastLine(lotse(t, bin, "token", "create", "--email", e, "--database", dsn, "--data", data))
			}
			petra := tokens["pruefung@staedtetag-bw.example"]
			servers := []string{serve(t, bin, dsn, data), serve(t, bin, dsn, data)}
			start := time.Now().AddDate(0, 1, 0).UTC()
			st, out := call(t, "POST", servers[0]+"/api/v1/events", petra, fmt.Sprintf(`{"title": "Zwei Prozesse, zwei Plätze",
				"description": "Ein Treffen nur für Tests gleichzeitiger Anmeldungen.", "starts_at": %q, "ends_at": %q, "online": true,
				"online_url": "https://meet.example/race", "capacity": 2, "registration_deadline": %q, "audience": "public"}`,
				start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339), start.Add(-time.Hour).Format(time.RFC3339)))
			if st != 201 {
				t.Fatalf("event: %d %s", st, out)
			}
			var ev struct{ ID int64 }
			json.Unmarshal(out, &ev)
			if st, out := call(t, "POST", servers[1]+fmt.Sprintf("/api/v1/events/%d/publish", ev.ID), petra, ""); st != 200 {
				t.Fatalf("publish: %d %s", st, out)
			}
			path := fmt.Sprintf("/api/v1/events/%d", ev.ID)
			var warm sync.WaitGroup
			for i := 0; i < 20; i++ {
				warm.Add(1)
				go func() {
					defer warm.Done()
					call(t, "GET", servers[i%2]+path, petra, "")
				}()
			}
			warm.Wait()

			type reg struct {
				ID     int64
				Status string
			}
			regs := make([]reg, len(emails))
			var wg sync.WaitGroup
			for i, e := range emails {
				wg.Add(1)
				go func() {
					defer wg.Done()
					st, out := call(t, "POST", servers[i%2]+path+"/registrations", tokens[e], `{}`)
					if st != 201 {
						t.Errorf("%s: %d %s", e, st, out)
						return
					}
					json.Unmarshal(out, &regs[i])
				}()
			}
			wg.Wait()
			confirmed := -1
			for i, r := range regs {
				if r.Status == "confirmed" {
					if confirmed < 0 {
						confirmed = i
					}
				}
			}
			count := func() (int, int) {
				st, out := call(t, "GET", servers[0]+path, petra, "")
				if st != 200 {
					t.Fatalf("event: %d %s", st, out)
				}
				var v struct{ Confirmed, Waitlisted int }
				json.Unmarshal(out, &v)
				return v.Confirmed, v.Waitlisted
			}
			if c, w := count(); c != 2 || w != len(emails)-2 || confirmed < 0 {
				t.Fatalf("after the registrations: %d confirmed, %d waiting; want 2 and %d", c, w, len(emails)-2)
			}
			sts := make([]int, 10)
			for i := range sts {
				wg.Add(1)
				go func() {
					defer wg.Done()
					sts[i], _ = call(t, "DELETE", servers[i%2]+fmt.Sprintf("/api/v1/registrations/%d", regs[confirmed].ID), petra, "")
				}()
			}
			wg.Wait()
			ok := 0
			for _, s := range sts {
				switch s {
				case 200:
					ok++
				case 409:
				default:
					t.Fatalf("cancellations: %v", sts)
				}
			}
			if ok != 1 {
				t.Fatalf("%d cancellations answered 200 (%v), want 1", ok, sts)
			}
			if c, w := count(); c != 2 || w != len(emails)-3 {
				t.Fatalf("after the cancellation: %d confirmed, %d waiting; want 2 and %d", c, w, len(emails)-3)
			}
		})
	}
}
