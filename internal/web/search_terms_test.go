package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// searchTotal is the number of offers the public API finds for q.
func searchTotal(t *testing.T, c *client, q string) int {
	t.Helper()
	res, body := c.json("GET", "/api/v1/offers?q="+url.QueryEscape(q), "")
	expect(t, res, body, 200)
	return decode[searchResponse](t, body).Total
}

type apiErrorJSON struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// TestSearchThesaurusAPI: admins list, add and delete thesaurus entries;
// the catalog search uses an entry right after it is added and no longer
// after it is deleted; errors are JSON with the right status and a German
// message for the field.
func TestSearchThesaurusAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		admin := e.sessionFor("admin@lotse.example")
		staff := e.sessionFor("kurse@vwa-bw.example")
		anon := e.client()

		res, body := admin.json("GET", "/api/v1/search/thesaurus", "")
		expect(t, res, body, 200)
		type thesaurusJSON struct {
			Version        string   `json:"version"`
			ShippedVersion string   `json:"shipped_version"`
			Entries        []any    `json:"entries"`
			Shipped        []string `json:"shipped"`
		}
		th := decode[thesaurusJSON](t, body)
		if th.Entries == nil || len(th.Entries) != 0 || !slices.Contains(th.Shipped, "GemO, Gemeindeordnung") || th.ShippedVersion == "" {
			t.Errorf("thesaurus before: %s", body[:min(len(body), 300)])
		}
		for _, c := range []*client{staff, anon} {
			res, body := c.json("GET", "/api/v1/search/thesaurus", "")
			if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusUnauthorized {
				t.Errorf("thesaurus for a non-admin: %d %s", res.StatusCode, body)
			}
		}

		if n := searchTotal(t, anon, "Wombatamt"); n != 0 {
			t.Fatalf("Wombatamt finds %d offers before the entry", n)
		}
		if n := searchTotal(t, anon, "Basisqualifizierung"); n == 0 {
			t.Fatal("the demo has no offer about Basisqualifizierung")
		}

		// Bad input.
		res, body = admin.json("POST", "/api/v1/search/thesaurus", `{"line": "Wombatamt"}`)
		expect(t, res, body, http.StatusUnprocessableEntity)
		if e := decode[apiErrorJSON](t, body).Error; e.Code != "invalid" || !strings.Contains(e.Fields["line"], "mindestens zwei Begriffe") {
			t.Errorf("one term: %s", body)
		}
		res, body = admin.json("POST", "/api/v1/search/thesaurus", `{"line": 5}`)
		expect(t, res, body, http.StatusBadRequest)
		res, body = staff.json("POST", "/api/v1/search/thesaurus", `{"line": "Wombatamt => Basisqualifizierung"}`)
		expect(t, res, body, http.StatusForbidden)

		res, body = admin.json("POST", "/api/v1/search/thesaurus", `{"line": "Wombatamt=>Basisqualifizierung"}`)
		expect(t, res, body, http.StatusCreated)
		st := decode[searchTermItem](t, body)
		if st.ID == 0 || st.Line != "Wombatamt => Basisqualifizierung" || st.CreatedBy == nil || st.CreatedBy.Name != "Ada Admin" || st.CreatedAt.IsZero() {
			t.Errorf("created: %s", body)
		}
		if n := searchTotal(t, anon, "Wombatamt"); n == 0 {
			t.Error("Wombatamt finds nothing right after the entry was added")
		}
		res, body = admin.json("POST", "/api/v1/search/thesaurus", `{"line": "wombatamt => basisqualifizierung"}`)
		expect(t, res, body, http.StatusConflict)
		if e := decode[apiErrorJSON](t, body).Error; e.Fields["line"] != "Diesen Eintrag gibt es schon." {
			t.Errorf("duplicate: %s", body)
		}
		res, body = admin.json("GET", "/api/v1/search/thesaurus", "")
		expect(t, res, body, 200)
		list := decode[struct {
			Entries []searchTermItem `json:"entries"`
		}](t, body)
		if len(list.Entries) != 1 || list.Entries[0].Line != "Wombatamt => Basisqualifizierung" || list.Entries[0].CreatedBy.Name != "Ada Admin" {
			t.Errorf("list after adding: %s", body[:min(len(body), 400)])
		}

		path := fmt.Sprintf("/api/v1/search/thesaurus/%d", st.ID)
		res, body = staff.json("DELETE", path, "")
		expect(t, res, body, http.StatusForbidden)
		res, body = admin.json("DELETE", "/api/v1/search/thesaurus/999999", "")
		expect(t, res, body, http.StatusNotFound)
		if e := decode[apiErrorJSON](t, body).Error; e.Code != "not_found" || e.Message == "" {
			t.Errorf("unknown entry: %s", body)
		}
		res, body = admin.json("DELETE", path, "")
		expect(t, res, body, http.StatusNoContent)
		if n := searchTotal(t, anon, "Wombatamt"); n != 0 {
			t.Errorf("Wombatamt finds %d offers after the entry was deleted", n)
		}
		res, body = admin.json("DELETE", path, "")
		expect(t, res, body, http.StatusNotFound)
	})
}

var searchTermDeleteRE = regexp.MustCompile(`action="/admin/suchbegriffe/(\d+)/loeschen"`)

// TestSearchTermsPage: the admin page adds an entry (a refused one comes
// back with the German message next to the field and the input kept),
// lists it with who added it, probes a search text and deletes the entry.
func TestSearchTermsPage(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		admin := e.sessionFor("admin@lotse.example")
		res, body := admin.get("/admin/suchbegriffe")
		expect(t, res, body, 200)
		for _, want := range []string{"Suchbegriffe und Synonyme", "GemO, Gemeindeordnung", "Es gibt noch keine eigenen Einträge.",
			`href="/admin/suchbegriffe" aria-current="page"`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if _, body := admin.get("/admin"); !strings.Contains(body, `href="/admin/suchbegriffe"`) {
			t.Error("the administration does not link the page")
		}

		res, body = admin.postFormBody("/admin/suchbegriffe", url.Values{"line": {"Wombatamt"}})
		expect(t, res, body, http.StatusUnprocessableEntity)
		for _, want := range []string{`id="f-line-error"`, "Bitte geben Sie mindestens zwei Begriffe an", `value="Wombatamt"`, `aria-invalid="true"`} {
			if !strings.Contains(body, want) {
				t.Errorf("refused entry: page lacks %q", want)
			}
		}

		res = admin.postForm("/admin/suchbegriffe", url.Values{"line": {"Wombatamt => Basisqualifizierung"}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/suchbegriffe?hinweis=suchbegriff") {
			t.Fatalf("add: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		_, body = admin.get("/admin/suchbegriffe?hinweis=suchbegriff")
		for _, want := range []string{"Der Eintrag ist gespeichert.", "Wombatamt =&gt; Basisqualifizierung", "Ada Admin",
			"Der Eintrag „Wombatamt =&gt; Basisqualifizierung“ wird gelöscht."} {
			if !strings.Contains(body, want) {
				t.Errorf("after adding, page lacks %q", want)
			}
		}
		m := searchTermDeleteRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no delete form")
		}

		res, body = admin.postFormBody("/admin/suchbegriffe", url.Values{"line": {"WOMBATAMT => basisqualifizierung"}})
		expect(t, res, body, http.StatusConflict)
		if !strings.Contains(body, "Diesen Eintrag gibt es schon.") || !strings.Contains(body, `value="WOMBATAMT =&gt; basisqualifizierung"`) {
			t.Error("duplicate: no message next to the field or input lost")
		}

		_, body = admin.get("/admin/suchbegriffe?probe=" + url.QueryEscape("Wombatamt und GemO"))
		for _, want := range []string{"für „wombatamt“: Basisqualifizierung", "für „gemo“: Gemeindeordnung", `value="Wombatamt und GemO"`} {
			if !strings.Contains(body, want) {
				t.Errorf("probe: page lacks %q", want)
			}
		}
		_, body = admin.get("/admin/suchbegriffe?probe=Quokka")
		if !strings.Contains(body, "Für „Quokka“ kennt die Suche keine weiteren Begriffe.") {
			t.Error("probe without expansions says nothing")
		}

		res = admin.postForm("/admin/suchbegriffe/"+m[1]+"/loeschen", url.Values{})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d", res.StatusCode)
		}
		_, body = admin.get("/admin/suchbegriffe?hinweis=suchbegriff-geloescht")
		if !strings.Contains(body, "Der Eintrag ist gelöscht.") || !strings.Contains(body, "Es gibt noch keine eigenen Einträge.") {
			t.Error("after deleting, the entry is still listed or no notice")
		}
		res, _ = admin.postFormBody("/admin/suchbegriffe/"+m[1]+"/loeschen", url.Values{})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("deleting again: %d", res.StatusCode)
		}

		staff := e.sessionFor("kurse@vwa-bw.example")
		if res, _ := staff.get("/admin/suchbegriffe"); res.StatusCode != http.StatusForbidden {
			t.Errorf("page for provider staff: %d", res.StatusCode)
		}
	})
}
