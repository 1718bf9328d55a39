package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestAttendanceAcrossTwoServerProcesses: twenty "all days present" posts
// for one booking, sent to two server processes on one database at once,
// all answer 200 and the booking gets exactly one certificate.
func TestAttendanceAcrossTwoServerProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	bin := build(t)
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			data := t.TempDir()
			lotse(t, bin, "demo", "--database", dsn, "--data", data)
			provider := lastLine(lotse(t, bin, "token", "create", "--email", "kurse@vwa-bw.example", "--database", dsn, "--data", data))
			admin := lastLine(lotse(t, bin, "token", "create", "--email", "admin@lotse.example", "--database", dsn, "--data", data))
			a, b := serve(t, bin, dsn, data), serve(t, bin, dsn, data)
			// The session begins in a few seconds: long enough to book,
			// soon enough to record attendance without a clock to move.
			start := time.Now().Add(6 * time.Second).UTC().Truncate(time.Second).Add(time.Second)
			ses := publishedSessionAt(t, a, b, provider, admin, "PROC-ANW", "Zwei Prozesse, eine Anwesenheit", 5, start)
			st, out := call(t, "POST", fmt.Sprintf("%s/api/v1/sessions/%d/bookings", a, ses), provider,
				`{"participant": {"name": "Paula Prozess", "email": "paula@futurehausen.example"}, "payment": "private"}`)
			if st != 201 {
				t.Fatalf("booking: %d %s", st, out)
			}
			var bk struct{ ID int64 }
			json.Unmarshal(out, &bk)
			time.Sleep(time.Until(start) + 500*time.Millisecond)

			const n = 20
			answers := make([]string, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					url := []string{a, b}[i%2] + fmt.Sprintf("/api/v1/bookings/%d/attendance", bk.ID)
					st, out := call(t, "POST", url, provider, `{"status": "present"}`)
					var got struct{ Status string }
					json.Unmarshal(out, &got)
					answers[i] = fmt.Sprintf("%d %s", st, got.Status)
					if st != 200 {
						answers[i] += " " + strings.TrimSpace(string(out))
					}
				}()
			}
			wg.Wait()
			for i, ans := range answers {
				if ans != "200 completed" {
					t.Errorf("post %d: %s", i, ans)
				}
			}
			st, out = call(t, "GET", fmt.Sprintf("%s/api/v1/bookings/%d", b, bk.ID), provider, "")
			var view struct {
				Certificates []struct{ ID string }
			}
			json.Unmarshal(out, &view)
			if st != 200 || len(view.Certificates) != 1 {
				t.Fatalf("booking after the posts: %d, %d certificates; want exactly one: %s", st, len(view.Certificates), out)
			}
		})
	}
}
