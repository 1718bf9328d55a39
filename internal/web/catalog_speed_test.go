package web

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/store"
)

// TestCatalogWhileTheIndexIsBuilt: a freshly started server answers
// searches at once with a German "being built" and Retry-After (503),
// the page as well as the API, and searches normally once the job built
// the index.
func TestCatalogWhileTheIndexIsBuilt(t *testing.T) {
	e := newTestEnv(t, store.SQLite)
	e.srv.app.Catalog.BuildInBackground()
	c := e.client()
	res, body := c.json("GET", "/api/v1/offers?q=Datenschutz", "")
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
		!strings.Contains(body, "Das Suchverzeichnis wird aufgebaut") {
		t.Fatalf("API before the build: %d %q %s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	res, body = c.get("/angebote?q=Datenschutz")
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
		!strings.Contains(body, "Das Suchverzeichnis wird aufgebaut") || !strings.Contains(body, "Gleich wieder da") {
		t.Fatalf("page before the build: %d %s", res.StatusCode, body)
	}
	if err := e.srv.app.Catalog.Maintain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if res, body := c.json("GET", "/api/v1/offers?q=Datenschutz", ""); res.StatusCode != http.StatusOK || decode[searchResponse](t, body).Total == 0 {
		t.Fatalf("API after the build: %d %s", res.StatusCode, body)
	}
}

var offerLinks = regexp.MustCompile(`href="/angebote/(\d+)"`)

// TestCatalogSameForAnonymousAndLoggedIn: the result list comes from the
// index for everyone; a logged-in person sees the same offers, with their
// own header, and the JSON list entries carry no seat counts.
func TestCatalogSameForAnonymousAndLoggedIn(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		anon := e.client()
		niklas := e.sessionFor("niklas@futurehausen.example")
		for _, path := range []string{"/angebote", "/angebote?q=Digitallotsen", "/angebote?format=self_paced&sort=price", "/angebote?page=2"} {
			res, a := anon.get(path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s anonymous: %d", path, res.StatusCode)
			}
			res, n := niklas.get(path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s logged in: %d", path, res.StatusCode)
			}
			la, ln := offerLinks.FindAllStringSubmatch(a, -1), offerLinks.FindAllStringSubmatch(n, -1)
			if len(la) == 0 || !slices.EqualFunc(la, ln, func(x, y []string) bool { return x[1] == y[1] }) {
				t.Fatalf("%s: anonymous sees %v, logged in %v", path, la, ln)
			}
			if !strings.Contains(n, "Niklas") || strings.Contains(a, "Niklas Neumann") {
				t.Errorf("%s: the header is not the person's own", path)
			}
		}
		_, body := anon.json("GET", "/api/v1/offers?q=Digitallotsen", "")
		if strings.Contains(body, `"booked"`) || strings.Contains(body, `"free"`) || !strings.Contains(body, `"next_session"`) {
			t.Errorf("list entries: %s", body)
		}
	})
}
