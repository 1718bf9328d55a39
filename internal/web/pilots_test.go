package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
)

// pilots: the directory's pages and API on the demo story (Lilly and
// Paula listed; Thomas holds a base certificate without an entry; Niklas
// holds none).

func pilotsStory(t *testing.T, e *testEnv) {
	t.Helper()
	if err := demo.Story(context.Background(), e.db, e.ts.URL, testPassword); err != nil {
		t.Fatal(err)
	}
}

func TestPilotsPagesAreForMembersOnly(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	pilotsStory(t, e)
	res, _ := e.client().get("/lotsen")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/anmelden") {
		t.Errorf("anonymous: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := e.sessionFor("kurse@vwa-bw.example").get("/lotsen")
	if res.StatusCode != http.StatusForbidden || strings.Contains(body, "Lilly Lotse") || strings.Contains(body, `href="/lotsen"`) {
		t.Errorf("provider staff: %d", res.StatusCode)
	}
	res, body = e.sessionFor("niklas@futurehausen.example").get("/lotsen?thema=PROZ.2")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Lilly Lotse") || strings.Contains(body, "Paula Pionier</a>") ||
		!strings.Contains(body, `href="/lotsen" aria-current="page">Digitallotsen`) || !strings.Contains(body, "GeoBasis-DE / BKG") ||
		!strings.Contains(body, "Einträge nach Kreisen") {
		t.Errorf("Niklas' search by topic: %d\n%.2000s", res.StatusCode, body)
	}
	// Niklas is told why he cannot enter, with a way to the base qualification.
	res, body = e.sessionFor("niklas@futurehausen.example").get("/lotsen/mein-eintrag")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Sie können sich noch nicht eintragen") || !strings.Contains(body, `href="/empfehlungen"`) ||
		strings.Contains(body, `name="consent"`) {
		t.Errorf("Niklas' own entry page: %d", res.StatusCode)
	}
	res, _ = e.client().json("GET", "/api/v1/pilots", "")
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous API: %d", res.StatusCode)
	}
}

func TestPilotEntryFormKeepsInputAndEscapesText(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		pilotsStory(t, e)
		c := e.sessionFor("thomas@futurehausen.example")
		attack := `<script>alert("x")</script><img src=x onerror=alert(1)>`
		form := url.Values{"organisation": {itoa(e.orgByName("Stadt Futurehausen").ID)}, "topics": {"PM.1", "EGOV.1"}, "tags": {"Ratsinfo, " + attack[:30]},
			"help": {attack}, "contact": {"form"}}
		res, body := c.postFormBody("/lotsen/mein-eintrag", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-consent-error"`) || !strings.Contains(body, "Einwilligung") ||
			!strings.Contains(body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") || strings.Contains(body, attack) {
			t.Fatalf("without consent: %d\n%s", res.StatusCode, body)
		}
		form.Set("consent", "1")
		res = c.postForm("/lotsen/mein-eintrag", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d", res.StatusCode)
		}
		var pg struct {
			Items []struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"items"`
		}
		_, raw := e.sessionFor("niklas@futurehausen.example").json("GET", "/api/v1/pilots?q=ratsinfo", "")
		if err := json.Unmarshal([]byte(raw), &pg); err != nil || len(pg.Items) != 1 || pg.Items[0].Name != "Thomas Tüchtig" {
			t.Fatalf("search: %s", raw)
		}
		for _, path := range []string{"/lotsen/" + itoa(pg.Items[0].ID), "/lotsen?q=ratsinfo"} {
			_, body = e.sessionFor("niklas@futurehausen.example").get(path)
			if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || !strings.Contains(body, "&lt;script&gt;") {
				t.Errorf("%s does not escape the text", path)
			}
		}
		// Removal through the page.
		if res := c.postForm("/lotsen/mein-eintrag/loeschen", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d", res.StatusCode)
		}
		if res, _ := e.sessionFor("niklas@futurehausen.example").get("/lotsen/" + itoa(pg.Items[0].ID)); res.StatusCode != http.StatusNotFound {
			t.Errorf("deleted entry: %d", res.StatusCode)
		}
	})
}

func TestPilotsAPIValidationAndBriefs(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		pilotsStory(t, e)
		th := e.sessionFor("thomas@futurehausen.example")
		res, body := th.json("PUT", "/api/v1/me/pilot-entry", `{"organisation": 999999, "topics": ["XX.9"], "help": "", "contact": "fax", "consent": false}`)
		var apiErr struct {
			Error struct {
				Code   string            `json:"code"`
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}
		_ = json.Unmarshal([]byte(body), &apiErr)
		f := apiErr.Error.Fields
		if res.StatusCode != http.StatusUnprocessableEntity || f["consent"] == "" || f["organisation"] == "" || f["topics"] == "" || f["help"] == "" || f["contact"] == "" {
			t.Errorf("invalid entry: %d %s", res.StatusCode, body)
		}
		if res, body := th.json("PUT", "/api/v1/me/pilot-entry", `{"bogus": 1}`); res.StatusCode != http.StatusBadRequest {
			t.Errorf("unknown field: %d %s", res.StatusCode, body)
		}
		if res, _ := th.json("GET", "/api/v1/pilots?district=8", ""); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad district: %d", res.StatusCode)
		}
		nk := e.sessionFor("niklas@futurehausen.example")
		if res, body := nk.json("PUT", "/api/v1/me/pilot-entry", `{"organisation": `+itoa(e.orgByName("Stadt Futurehausen").ID)+
			`, "topics":["PM.1"], "help":"x", "contact":"form", "consent":true}`); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Basisqualifizierung") {
			t.Errorf("Niklas without base certificate: %d %s", res.StatusCode, body)
		}
		// Briefs: Lilly's published brief; only she changes it.
		var list struct {
			Items []struct {
				ID         int64  `json:"id"`
				AuthorName string `json:"author_name"`
			} `json:"items"`
		}
		_, raw := nk.json("GET", "/api/v1/project-briefs?topic=PROZ", "")
		if err := json.Unmarshal([]byte(raw), &list); err != nil || len(list.Items) != 1 || list.Items[0].AuthorName != "Lilly Lotse" {
			t.Fatalf("briefs by topic: %s", raw)
		}
		id := itoa(list.Items[0].ID)
		if res, _ := e.sessionFor("pilot@kleinbach.example").json("PATCH", "/api/v1/project-briefs/"+id, `{"title": "Meins"}`); res.StatusCode != http.StatusForbidden {
			t.Errorf("Paula patches Lilly's brief: %d", res.StatusCode)
		}
		li := e.sessionFor("lilly@futurehausen.example")
		if res, body := li.json("PATCH", "/api/v1/project-briefs/"+id, `{"title":""}`); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"title"`) {
			t.Errorf("empty title: %d %s", res.StatusCode, body)
		}
		if res, body := li.json("PATCH", "/api/v1/project-briefs/"+id, `{"title":"Bauakte <b>digital</b>"}`); res.StatusCode != http.StatusOK || !strings.Contains(body, `"discussion_url":""`) {
			t.Errorf("patch: %d %s", res.StatusCode, body)
		}
		_, page := nk.get("/lotsen/projekte/" + id)
		if !strings.Contains(page, "Bauakte &lt;b&gt;digital&lt;/b&gt;") {
			t.Errorf("brief page does not escape the title")
		}
		res, body = nk.json("POST", "/api/v1/project-briefs", `{"title": "Ratsinfo", "what": "Sitzungen", "how": "so", "effort": "wenig", "status": "published"}`)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, `"status"`) {
			t.Errorf("Niklas publishes without entry: %d %s", res.StatusCode, body)
		}
		if res, _ := li.json("DELETE", "/api/v1/project-briefs/"+id, ""); res.StatusCode != http.StatusNoContent {
			t.Errorf("delete: %d", res.StatusCode)
		}
		if res, _ := nk.json("GET", "/api/v1/project-briefs/"+id, ""); res.StatusCode != http.StatusNotFound {
			t.Errorf("deleted brief: %d", res.StatusCode)
		}
	})
}
