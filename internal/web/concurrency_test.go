package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/catalog"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// TestCapacityAcrossTwoServers sends 500 concurrent booking requests for a
// 20-place session to two servers, each with its own connection pool on the
// same database, as two instances behind a load balancer.
func TestCapacityAcrossTwoServers(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		second, err := store.Open(ctx, e.db.DSN())
		if err != nil {
			t.Fatal(err)
		}
		defer second.Close()
		second.Files = e.db.Files
		srv2, err := New(app.New(second, e.srv.cfg.BaseURL, nil), Config{BaseURL: e.srv.cfg.BaseURL}, discardLogger())
		if err != nil {
			t.Fatal(err)
		}
		ts2 := httptest.NewServer(srv2)
		defer ts2.Close()

		vwa := e.orgByName("Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg")
		staff := e.person("kurse@vwa-bw.example")
		ms, _ := e.db.Memberships(ctx, staff.ID)
		sctx := domain.WithActor(ctx, &domain.Actor{Person: staff, Memberships: ms})
		o := &domain.Offer{ProviderID: vwa.ID, Code: "LAST-1", Title: "Lasttest mit zwanzig Plätzen", Summary: "Ein Termin, um den viele gleichzeitig bitten.",
			Description: "Ein Angebot nur für den Test gleichzeitiger Buchungen über zwei Server hinweg, mit genau zwanzig Plätzen.",
			Outcomes:    []string{"Geduld"}, Competences: []domain.OfferCompetence{{Code: "NEWWORK.1", Level: 1}}, Level: domain.LevelBasic,
			Format: domain.FormatLiveOnline, Language: "de", Hours: 2, Days: 1, Certificate: domain.CertParticipation}
		if err := catalog.CreateOffer(sctx, e.db, o); err != nil {
			t.Fatal(err)
		}
		catalog.ReviewOffer(ctx, e.db, o.ID, true, "")
		start := e.db.Now().AddDate(0, 1, 0)
		ses := &domain.Session{OfferID: o.ID, StartsAt: start, EndsAt: start.Add(2 * time.Hour), Days: 1, Capacity: 20, Online: true}
		if err := catalog.AddSession(sctx, e.db, ses); err != nil {
			t.Fatal(err)
		}
		token := e.apiAs("kurse@vwa-bw.example").bearer
		urls := []string{e.ts.URL, ts2.URL}
		const n = 500
		status := make([]string, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := e.client()
				c.bearer = token
				body := fmt.Sprintf(`{"participant": {"name": "Person %d", "email": "p%d@futurehausen.example"}, "payment": "private"}`, i, i)
				res := c.doURL("POST", urls[i%2]+fmt.Sprintf("/api/v1/sessions/%d/bookings", ses.ID), body)
				if res.status != 201 {
					status[i] = fmt.Sprintf("http %d: %s", res.status, res.body)
					return
				}
				var b domain.Booking
				if err := json.Unmarshal([]byte(res.body), &b); err != nil {
					status[i] = "bad json"
					return
				}
				status[i] = string(b.Status)
			}()
		}
		wg.Wait()
		count := map[string]int{}
		for _, s := range status {
			count[s]++
		}
		if count["confirmed"] != 20 || count["waitlisted"] != 480 {
			t.Fatalf("%v; want 20 confirmed and 480 waitlisted", count)
		}
	})
}
