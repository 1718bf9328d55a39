package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// privacy: the admin's person search, as a page and over the API.

func TestAdminFindsAPersonByAddressOrNameAndReachesTheirData(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		for i := range 53 {
			storetest.MustCreatePerson(t, e.db, fmt.Sprintf("suche%d@beispiel.example", i), fmt.Sprintf("Sabine Suchmann %02d", i))
		}
		lilly := e.person("lilly@futurehausen.example")
		admin := e.sessionFor("admin@lotse.example")

		// The form without a query; the admin's pages link to it.
		if res, body := admin.get("/admin/personen"); res.StatusCode != 200 || !strings.Contains(body, `name="q"`) || strings.Contains(body, "Gefundene Personen") {
			t.Fatalf("empty search page: %d", res.StatusCode)
		}
		if _, body := admin.get("/admin"); !strings.Contains(body, `href="/admin/personen"`) {
			t.Error("the admin page does not link the person search")
		}
		// By address, in any case: one hit linking to the data and the
		// deletion.
		res, body := admin.get("/admin/personen?q=" + url.QueryEscape(" Lilly@Futurehausen.example "))
		if res.StatusCode != 200 || !strings.Contains(body, "Lilly Lotse") || !strings.Contains(body, "Futurehausen") ||
			!strings.Contains(body, fmt.Sprintf(`href="/admin/personen/%d/daten"`, lilly.ID)) {
			t.Fatalf("search by address: %d\n%s", res.StatusCode, body)
		}
		// By surname: 53 people, 50 on the first page and a link on.
		res, body = admin.get("/admin/personen?q=suchm")
		if n := strings.Count(body, `data-label="Name"`); res.StatusCode != 200 || n != 50 {
			t.Fatalf("first page: %d, %d people", res.StatusCode, n)
		}
		next := regexpFind(`href="(/admin/personen\?[^"]*ab=[^"#]*)#treffer"`, body)
		if next == "" {
			t.Fatal("no link to the next page")
		}
		_, body = admin.get(strings.ReplaceAll(next, "&amp;", "&"))
		if n := strings.Count(body, `data-label="Name"`); n != 3 || !strings.Contains(body, "Sabine Suchmann 52") || strings.Contains(body, "Sabine Suchmann 49<") {
			t.Errorf("second page: %d people", n)
		}
		// Too short and nothing found: German messages, the query kept.
		res, body = admin.get("/admin/personen?q=s")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "mindestens zwei Zeichen") || !strings.Contains(body, `value="s"`) {
			t.Errorf("one letter: %d", res.StatusCode)
		}
		if _, body = admin.get("/admin/personen?q=Zyxw"); !strings.Contains(body, "Zu „Zyxw“ wurde keine Person gefunden.") {
			t.Error("no message for no hits")
		}
		// Others may not search.
		if res, _ := e.sessionFor("thomas@futurehausen.example").get("/admin/personen?q=Lilly"); res.StatusCode != http.StatusForbidden {
			t.Errorf("an account admin searching: %d", res.StatusCode)
		}

		// The API pages with cursor, limit and next.
		res, body = admin.json("GET", "/api/v1/persons?q=Sabine&limit=30", "")
		var page struct {
			Items []struct {
				ID    int64  `json:"id"`
				Name  string `json:"name"`
				Email string `json:"email"`
			} `json:"items"`
			Next string `json:"next"`
		}
		if err := json.Unmarshal([]byte(body), &page); err != nil || res.StatusCode != 200 || len(page.Items) != 30 || page.Next == "" {
			t.Fatalf("API first page: %d %v, %d items, next %q", res.StatusCode, err, len(page.Items), page.Next)
		}
		seen := map[int64]bool{}
		for _, it := range page.Items {
			seen[it.ID] = true
		}
		res, body = admin.json("GET", "/api/v1/persons?q=Sabine&limit=30&cursor="+url.QueryEscape(page.Next), "")
		page.Items, page.Next = nil, ""
		if err := json.Unmarshal([]byte(body), &page); err != nil || res.StatusCode != 200 || len(page.Items) != 23 || page.Next != "" {
			t.Fatalf("API second page: %d %v, %d items, next %q", res.StatusCode, err, len(page.Items), page.Next)
		}
		for _, it := range page.Items {
			if seen[it.ID] {
				t.Errorf("%s on both pages", it.Name)
			}
		}
		for path, want := range map[string]int{
			"/api/v1/persons?q=Sabine&limit=51":      http.StatusBadRequest,
			"/api/v1/persons?q=Sabine&cursor=kaputt": http.StatusBadRequest,
			"/api/v1/persons?q=":                     http.StatusUnprocessableEntity,
		} {
			if res, body := admin.json("GET", path, ""); res.StatusCode != want || !strings.Contains(body, `"message"`) {
				t.Errorf("%s: %d %s", path, res.StatusCode, body)
			}
		}
		if res, _ := e.sessionFor("lilly@futurehausen.example").json("GET", "/api/v1/persons?q=Sabine", ""); res.StatusCode != http.StatusForbidden {
			t.Errorf("a signatory searching over the API: %d", res.StatusCode)
		}
	})
}
