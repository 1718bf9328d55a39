package web

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

func offerJSON(code, title string, extra string) string {
	return fmt.Sprintf(`{"code": %q, "title": %q,
		"summary": "Eine kompakte Einführung für Beschäftigte in Kommunalverwaltungen.",
		"description": "Der Kurs vermittelt Methoden, Werkzeuge und Praxisbeispiele aus Kommunen. Die Teilnehmenden arbeiten an eigenen Vorhaben und tauschen sich aus.",
		"outcomes": ["Die Teilnehmenden können Projekte planen und steuern."],
		"competences": [{"code": "PM.1", "level": 2}],
		"level": "basic", "format": "in_person", "language": "de", "hours": 16, "days": 2,
		"certificate": "participation", "price_cents": 49000, "target_groups": ["Sachbearbeitung"]%s}`, code, title, extra)
}

func TestOfferLifecycleThroughTheAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		prov := e.apiAs("kurse@vwa-bw.example")
		admin := e.apiAs("admin@lotse.example")
		anon := e.client()

		res, body := prov.json("POST", "/api/v1/offers", offerJSON("PM-2026-01", "Wildbienenschutz im kommunalen Bauhof", ""))
		expect(t, res, body, 201)
		o := decode[domain.Offer](t, body)
		if o.Status != "in_review" || o.Competences[0].Name == "" {
			t.Fatalf("created %+v", o)
		}
		path := fmt.Sprintf("/api/v1/offers/%d", o.ID)
		// Not visible to the public while in review, nor found by search.
		if res, _ := anon.json("GET", path, ""); res.StatusCode != 404 {
			t.Fatalf("offer in review visible: %d", res.StatusCode)
		}
		_, body = anon.json("GET", "/api/v1/offers?q=Wildbienenschutz", "")
		if decode[searchResponse](t, body).Total != 0 {
			t.Fatalf("unpublished offer found: %s", body)
		}
		// Invalid input: a price that makes no sense, hours that do not fit the days.
		res, body = prov.json("POST", "/api/v1/offers", strings.Replace(offerJSON("X-1", "Kurs mit negativem Preis", ""), `"price_cents": 49000`, `"price_cents": -5`, 1))
		expect(t, res, body, 422)
		if !strings.Contains(body, "Der Preis muss zwischen") {
			t.Fatalf("negative price: %s", body)
		}
		res, body = prov.json("POST", "/api/v1/offers", strings.Replace(offerJSON("X-1", "Zu viele Stunden am Tag", ""), `"hours": 16`, `"hours": 90`, 1))
		expect(t, res, body, 422)
		if !strings.Contains(body, "mehr als 12 Stunden am Tag") {
			t.Fatalf("hours per day: %s", body)
		}
		// A funding track the programme does not have.
		res, body = prov.json("POST", "/api/v1/offers", offerJSON("X-2", "Kurs mit fremder Förderung", `, "funding_tracks": ["digitallotsen-bw/gibtsnicht"]`))
		expect(t, res, body, 422)

		// Another provider may not change it.
		if res, _ := e.apiAs("kurse@verwaltungsschule-bw.example").json("PATCH", path, `{"title": "Übernommen"}`); res.StatusCode != 404 {
			t.Fatalf("other provider patches: %d", res.StatusCode)
		}
		// Publishing needs the whole checklist.
		res, body = admin.json("POST", path+"/publish", `{"checklist": ["content"]}`)
		expect(t, res, body, 422)
		res, body = admin.json("POST", path+"/publish", `{"checklist": ["content", "competences", "duration", "price", "certificate", "accessibility"]}`)
		expect(t, res, body, 200)
		res, body = prov.json("POST", path+"/sessions", fmt.Sprintf(`{"starts_at": %q, "ends_at": %q, "days": 2, "capacity": 20, "ags": "08999001", "address": "Rathausplatz 1"}`,
			time.Now().AddDate(0, 2, 0).Format(time.RFC3339), time.Now().AddDate(0, 2, 1).Format(time.RFC3339)))
		expect(t, res, body, 201)
		res, body = prov.json("POST", path+"/sessions", `{"starts_at": "2020-01-01T09:00:00Z", "ends_at": "2020-01-02T17:00:00Z", "days": 2, "capacity": 20, "online": true}`)
		expect(t, res, body, 422)

		// Found with stemming and with a typo, and by facets.
		for _, q := range []string{"Wildbienenschutz", "Wildbienenschuts", "wildbienenschutz bauhöfe"} {
			_, body = anon.json("GET", "/api/v1/offers?q="+url.QueryEscape(q), "")
			r := decode[searchResponse](t, body)
			if r.Total != 1 || r.Items[0].ID != o.ID || r.Items[0].NextSession == nil {
				t.Fatalf("search %q: %s", q, body)
			}
		}
		_, body = anon.json("GET", "/api/v1/offers?q=Bauhof&format=in_person&region=08999&competence=PM", "")
		r := decode[searchResponse](t, body)
		if r.Total != 1 || r.Items[0].ID != o.ID {
			t.Fatalf("facets: %s", body)
		}
		for _, f := range []string{"format", "region", "competence", "provider", "price"} {
			if len(r.Facets[f]) == 0 {
				t.Errorf("facet %s empty", f)
			}
		}
		// A material change sends it back to the review and out of the catalog.
		res, body = prov.json("PATCH", path, `{"price_cents": 59000}`)
		expect(t, res, body, 200)
		if decode[domain.Offer](t, body).Status != "in_review" {
			t.Fatalf("price change did not go to review: %s", body)
		}
		_, body = anon.json("GET", "/api/v1/offers?q=Wildbienenschutz", "")
		if decode[searchResponse](t, body).Total != 0 {
			t.Fatal("offer in review still found")
		}
		res, body = admin.json("POST", path+"/return", `{"comment": ""}`)
		expect(t, res, body, 422)
		res, body = admin.json("POST", path+"/return", `{"comment": "Bitte den Preis begründen."}`)
		expect(t, res, body, 200)
		_, body = prov.json("GET", path, "")
		if got := decode[domain.Offer](t, body); got.Status != "returned" || got.ReviewComment != "Bitte den Preis begründen." {
			t.Fatalf("returned offer: %+v", got)
		}
	})
}

func TestSearchAnswersOddInputNormally(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	c := e.client()
	for _, q := range []string{"", strings.Repeat("a", 500), `"a" OR b* NEAR(x`, "'; DROP TABLE offers; --", "\x00\x01", "der die das"} {
		res, body := c.json("GET", "/api/v1/offers?q="+url.QueryEscape(q), "")
		if res.StatusCode != 200 {
			t.Errorf("q=%q: %d %s", q, res.StatusCode, body)
		}
	}
	for _, p := range []string{"q=" + strings.Repeat("a", 5000), "format=rund", "region=123", "sort=zufall", "page=0", "provider=x", "date=morgen"} {
		res, body := c.json("GET", "/api/v1/offers?"+p, "")
		if res.StatusCode != 400 || !strings.Contains(body, `"code":"bad_request"`) {
			t.Errorf("%s: %d %s", p, res.StatusCode, body)
		}
	}
	// The page says the same in German.
	res, page := c.get("/angebote?format=rund")
	if res.StatusCode != 400 || !strings.Contains(page, "kennt den Wert") {
		t.Errorf("page with a bad filter: %d", res.StatusCode)
	}
}

// schema.org properties of Course and CourseInstance (with those they
// inherit from CreativeWork, Event and Thing) that the JSON-LD may use.
var schemaOrg = map[string][]string{
	"Course": {"@context", "@type", "name", "description", "url", "courseCode", "provider", "inLanguage", "timeRequired", "educationalLevel",
		"teaches", "educationalCredentialAwarded", "offers", "coursePrerequisites", "numberOfCredits", "hasCourseInstance", "abstract",
		"competencyRequired", "occupationalCredentialAwarded", "availableLanguage", "financialAidEligible", "syllabusSections", "totalHistoricalEnrollment"},
	"CourseInstance": {"@type", "courseMode", "courseWorkload", "courseSchedule", "instructor", "startDate", "endDate", "location", "eventAttendanceMode",
		"offers", "name", "url", "maximumAttendeeCapacity", "remainingAttendeeCapacity"},
	"Organization":    {"@type", "name", "url"},
	"Offer":           {"@type", "price", "priceCurrency", "category", "url", "availability"},
	"Place":           {"@type", "name", "address"},
	"VirtualLocation": {"@type", "url", "name"},
	"PostalAddress":   {"@type", "streetAddress", "addressLocality", "postalCode", "addressCountry"},
}

func checkSchemaOrg(t *testing.T, v any, where string) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		typ, _ := x["@type"].(string)
		allowed, ok := schemaOrg[typ]
		if !ok {
			t.Errorf("%s: type %q is not checked", where, typ)
			return
		}
		for k, val := range x {
			found := false
			for _, a := range allowed {
				found = found || a == k
			}
			if !found {
				t.Errorf("%s: %s has no property %q", where, typ, k)
			}
			checkSchemaOrg(t, val, where+"."+k)
		}
	case []any:
		for i, e := range x {
			checkSchemaOrg(t, e, fmt.Sprintf("%s[%d]", where, i))
		}
	}
}

var ldRE = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

func TestOfferPageCarriesCourseJSONLD(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	prov := e.apiAs("kurse@vwa-bw.example")
	_, body := prov.json("POST", "/api/v1/offers", offerJSON("LD-1", "Informationssicherheit </script><b>kompakt</b>", ""))
	o := decode[domain.Offer](t, body)
	e.apiAs("admin@lotse.example").json("POST", fmt.Sprintf("/api/v1/offers/%d/publish", o.ID), `{"checklist": ["content", "competences", "duration", "price", "certificate", "accessibility"]}`)
	prov.json("POST", fmt.Sprintf("/api/v1/offers/%d/sessions", o.ID), fmt.Sprintf(`{"starts_at": %q, "ends_at": %q, "days": 1, "capacity": 10, "online": true}`,
		time.Now().AddDate(0, 1, 0).Format(time.RFC3339), time.Now().AddDate(0, 1, 0).Add(8*time.Hour).Format(time.RFC3339)))
	res, page := e.client().get(fmt.Sprintf("/angebote/%d", o.ID))
	if res.StatusCode != 200 {
		t.Fatalf("offer page: %d", res.StatusCode)
	}
	m := ldRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no JSON-LD on the offer page")
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
	}
	if ld["@type"] != "Course" || ld["name"] != "Informationssicherheit </script><b>kompakt</b>" || ld["courseCode"] != "LD-1" {
		t.Fatalf("JSON-LD %v", ld)
	}
	inst, _ := ld["hasCourseInstance"].([]any)
	if len(inst) != 1 {
		t.Fatalf("course instances: %v", ld["hasCourseInstance"])
	}
	checkSchemaOrg(t, ld, "Course")
	if strings.Count(page, "</script>") != strings.Count(page, "<script") {
		t.Fatal("the title ended the script element")
	}
}

func TestCompareListSurvivesPageLoads(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	prov := e.apiAs("kurse@vwa-bw.example")
	admin := e.apiAs("admin@lotse.example")
	var ids []int64
	for i, price := range []int{49000, 49000, 89000, 12000, 20000} {
		_, body := prov.json("POST", "/api/v1/offers", strings.Replace(offerJSON(fmt.Sprintf("CMP-%d", i), fmt.Sprintf("Vergleichskurs Nummer %d", i), ""),
			`"price_cents": 49000`, fmt.Sprintf(`"price_cents": %d`, price), 1))
		o := decode[domain.Offer](t, body)
		admin.json("POST", fmt.Sprintf("/api/v1/offers/%d/publish", o.ID), `{"checklist": ["content", "competences", "duration", "price", "certificate", "accessibility"]}`)
		ids = append(ids, o.ID)
	}
	c := e.client()
	for _, id := range ids[:4] {
		res := c.postForm("/vergleich", url.Values{"angebot": {itoa(id)}, "aktion": {"hinzufuegen"}, "zurueck": {"/angebote"}})
		if res.StatusCode != 303 {
			t.Fatalf("add %d: %d", id, res.StatusCode)
		}
	}
	res, page := c.postFormBody("/vergleich", url.Values{"angebot": {itoa(ids[4])}, "aktion": {"hinzufuegen"}, "zurueck": {"/angebote"}})
	if res.StatusCode != 409 || !strings.Contains(page, "höchstens vier") {
		t.Fatalf("fifth offer: %d", res.StatusCode)
	}
	_, page = c.get("/vergleich")
	for _, id := range ids[:4] {
		if !strings.Contains(page, fmt.Sprintf(`href="/angebote/%d"`, id)) {
			t.Errorf("compare page lacks offer %d", id)
		}
	}
	// The price differs and is highlighted; the format is the same and is not.
	if !regexp.MustCompile(`(?s)<tr class="kern-table__row differs"><th[^>]*>Preis`).MatchString(page) ||
		regexp.MustCompile(`(?s)<tr class="kern-table__row differs"><th[^>]*>Format`).MatchString(page) {
		t.Fatal("differences not highlighted correctly")
	}
}

func TestCompetenceFrameworkImport(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	admin := e.apiAs("admin@lotse.example")
	res := admin.do("POST", "/api/v1/competences/import", "text/csv", strings.NewReader("code;area;name;description\nGEO;GEO;Geodaten;\nGEO.1;GEO;Geodateninfrastruktur;Karten und Dienste\n"))
	if res.StatusCode != 200 {
		t.Fatalf("import: %d", res.StatusCode)
	}
	res = admin.do("POST", "/api/v1/competences/import", "text/csv", strings.NewReader("code;area;name;description\nX.1;X;Ohne Bereich;\n"))
	if res.StatusCode != 422 {
		t.Fatalf("broken framework: %d", res.StatusCode)
	}
	_, body := e.client().json("GET", "/api/v1/competences", "")
	if !strings.Contains(body, "Geodateninfrastruktur") || !strings.Contains(body, "Projektmanagement") {
		t.Fatalf("framework after import: %.300s", body)
	}
}

func TestOfferThroughTheForms(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	prov := e.sessionFor("kurse@vwa-bw.example")
	form := url.Values{"title": {"Open Data für Ratsinformationssysteme"}, "code": {"OD-77"},
		"summary":     {"Wie Kommunen Ratsdaten als offene Daten bereitstellen."},
		"description": {"Der Kurs zeigt Schritt für Schritt, wie Daten aus dem Ratsinformationssystem als Open Data veröffentlicht werden."},
		"outcomes":    {"Datensätze beschreiben\r\nLizenzen wählen"}, "competence": {"EGOV.2"}, "level_EGOV.2": {"2"},
		"format": {"live_online"}, "level": {"basic"}, "language": {"de"}, "hours": {"6"}, "days": {"1"}, "certificate": {"participation"},
		"price": {"120,00"}, "funding": {"digitallotsen-bw/advanced"}}
	bad := cloneValues(form)
	bad.Set("price", "teuer")
	bad.Set("hours", "")
	res, page := prov.postFormBody("/anbieter/angebote/neu", bad)
	if res.StatusCode != 422 || !strings.Contains(page, "Preis in Euro") || !strings.Contains(page, "ganze Zahl") {
		t.Fatalf("bad form: %d", res.StatusCode)
	}
	res = prov.postForm("/anbieter/angebote/neu", form)
	if res.StatusCode != 303 {
		t.Fatalf("create: %d", res.StatusCode)
	}
	offerPath := strings.SplitN(res.Header.Get("Location"), "?", 2)[0]
	_, page = prov.get(offerPath)
	if !strings.Contains(page, "In Qualitätsprüfung") || !strings.Contains(page, "120,00 €") || !strings.Contains(page, "Aufbauprogramm") {
		t.Fatal("offer page after creation")
	}
	// The admin finds it in the queue; publishing needs the whole checklist.
	admin := e.sessionFor("admin@lotse.example")
	_, page = admin.get("/admin/angebote")
	if !strings.Contains(page, offerPath) {
		t.Fatal("review queue lacks the offer")
	}
	id := strings.TrimPrefix(offerPath, "/angebote/")
	res, page = admin.postFormBody("/admin/angebote/"+id+"/pruefen", url.Values{"entscheidung": {"veroeffentlichen"}, "check": {"content"}})
	if res.StatusCode != 422 || !strings.Contains(page, "alle Punkte der Prüfliste") {
		t.Fatalf("incomplete checklist: %d", res.StatusCode)
	}
	all := url.Values{"entscheidung": {"veroeffentlichen"}}
	for _, c := range reviewChecklist {
		all.Add("check", c.Key)
	}
	if res := admin.postForm("/admin/angebote/"+id+"/pruefen", all); res.StatusCode != 303 {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	_, page = e.client().get("/angebote?q=Ratsinformationssysteme")
	if !strings.Contains(page, offerPath) {
		t.Fatal("published offer not found on the search page")
	}
	// The provider adds a session through the form.
	start := time.Now().AddDate(0, 3, 0).Format("2006-01-02")
	res, page = prov.postFormBody(offerPath+"/termine", url.Values{"starts_at": {start}, "ends_at": {start}, "days": {"1"}, "capacity": {"0"}, "online": {"ja"}})
	if res.StatusCode != 422 || !strings.Contains(page, "Plätze") {
		t.Fatalf("session with no places: %d", res.StatusCode)
	}
	if res := prov.postForm(offerPath+"/termine", url.Values{"starts_at": {start}, "ends_at": {start}, "days": {"1"}, "capacity": {"25"}, "online": {"ja"}}); res.StatusCode != 303 {
		t.Fatalf("session: %d", res.StatusCode)
	}
	_, page = e.client().get(offerPath)
	if !strings.Contains(page, "25 von 25 Plätzen frei") {
		t.Fatal("session not shown with free places")
	}
}

// TestFundingFacetNamesTheProgramme: the catalog's funding filter names
// each track with its programme (two programmes may both have a
// "Basisqualifizierung").
func TestFundingFacetNamesTheProgramme(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		res, body := e.client().get("/angebote")
		expect(t, res, body, 200)
		if !strings.Contains(body, "Basisqualifizierung (Kommunale Digitallotsen)") {
			t.Errorf("the funding filter does not name the programme: %.3000s", pageText(body))
		}
		if strings.Contains(body, "(Förderprogramm)") {
			t.Error("a funding filter still reads „(Förderprogramm)“")
		}
	})
}
