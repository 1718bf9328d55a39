package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
)

// TestRecommendationsAPIAndPage: anonymous callers get 401 (API) or the
// login (page); without a self-assessment the API answers 404 with the
// German invitation and the page invites to the self-assessment; after it
// the API answers the documented shape and the page lists the offers
// with their reasons.
func TestRecommendationsAPIAndPage(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		if err := demo.LoadCatalog(context.Background(), e.db, e.db.Now()); err != nil {
			t.Fatal(err)
		}
		res, body := e.client().get("/api/v1/me/recommendations")
		expect(t, res, body, http.StatusUnauthorized)
		res, _ = e.client().get("/empfehlungen")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/anmelden") {
			t.Fatalf("anonymous page: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		api := e.apiAs("niklas@futurehausen.example")
		res, body = api.get("/api/v1/me/recommendations")
		expect(t, res, body, http.StatusNotFound)
		if !strings.Contains(body, "Selbsteinschätzung") {
			t.Errorf("404 without the German message: %s", body)
		}
		page := e.sessionFor("niklas@futurehausen.example")
		res, body = page.get("/empfehlungen")
		if res.StatusCode != 200 || !strings.Contains(body, `href="/selbsteinschaetzung"`) || !strings.Contains(body, "Selbsteinschätzung beginnen") {
			t.Fatalf("page without assessment: %d %.500s", res.StatusCode, body)
		}
		if _, err := e.srv.app.Matching.SaveAssessment(e.actorCtx("niklas@futurehausen.example"), &domain.Assessment{
			Items: []domain.AssessmentItem{{Code: "PM.1", Level: 1, Target: 2}, {Code: "KI.1", Level: 0, Target: 2}}}); err != nil {
			t.Fatal(err)
		}
		res, body = api.get("/api/v1/me/recommendations?limit=3")
		expect(t, res, body, http.StatusOK)
		got := decode[struct {
			Items []struct {
				Offer struct {
					ID, PriceCents, PriceAfterFundingCents *int64
					Title                                  string
				}
				Session *struct {
					ID       int64
					StartsAt string `json:"starts_at"`
				}
				Score   float64
				Reasons []struct{ Kind, Text string }
			}
			Notes []string
			Gaps  []struct{ Code string }
		}](t, body)
		if len(got.Items) != 3 || len(got.Gaps) != 2 || got.Notes == nil {
			t.Fatalf("shape: %s", body)
		}
		for _, it := range got.Items {
			if it.Offer.ID == nil || it.Offer.Title == "" || it.Session == nil || it.Session.StartsAt == "" || len(it.Reasons) == 0 ||
				it.Reasons[0].Kind != "gap" || it.Reasons[0].Text == "" {
				t.Errorf("item %+v", it)
			}
		}
		for _, key := range []string{`"price_cents"`, `"price_after_funding_cents"`, `"distance_km"`, `"provider"`, `"registration_deadline"`} {
			if !strings.Contains(body, key) {
				t.Errorf("no %s in %s", key, body)
			}
		}
		res, body = api.get("/api/v1/me/recommendations?limit=99")
		expect(t, res, body, http.StatusUnprocessableEntity)
		res, body = page.get("/empfehlungen")
		if res.StatusCode != 200 || !strings.Contains(body, "Warum dieses Angebot?") || !strings.Contains(body, got.Items[0].Offer.Title) ||
			!strings.Contains(body, "Schließt Ihre Lücke in") && !strings.Contains(body, "Bringt Sie in") {
			t.Fatalf("page: %d %.800s", res.StatusCode, body)
		}
		for _, bad := range badWording(body) {
			t.Errorf("page shows %q", bad)
		}
	})
}
