package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

// programmes: a programme as data, through the API and the pages.

func TestProgrammeAPICloneChangeExportImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		franz := e.apiAs("foerderung@im-bw.example")
		res, body := franz.json("POST", "/api/v1/programmes/digitallotsen-bw/clone", `{"id": "digitallotsen-sl", "name": "Digitallotsen Saarland"}`)
		expect(t, res, body, http.StatusCreated)
		if res.Header.Get("Location") != "/api/v1/programmes/digitallotsen-sl" || !strings.Contains(body, `"name":"Digitallotsen Saarland"`) {
			t.Fatalf("clone: %s %s", res.Header.Get("Location"), body)
		}
		res, body = franz.json("POST", "/api/v1/programmes/digitallotsen-bw/clone", `{"id": "digitallotsen-sl", "name": "Noch einmal"}`)
		expect(t, res, body, http.StatusConflict)
		if !strings.Contains(body, "gibt es schon") {
			t.Errorf("conflict without German message: %s", body)
		}
		// PATCH changes the contingent and keeps the rest.
		res, body = franz.json("PATCH", "/api/v1/programmes/digitallotsen-sl", `{"state": "10", "contingent": [
			{"applicant_kind": "municipality", "min_population": 1, "max_population": 0, "people": 1, "per_inhabitants": 10000, "max_people": 3},
			{"applicant_kind": "district", "min_population": 0, "max_population": 0, "people": 2}]}`)
		expect(t, res, body, http.StatusOK)
		if !strings.Contains(body, `"per_inhabitants":10000`) || !strings.Contains(body, `"name":"Digitallotsen Saarland"`) {
			t.Fatalf("patch: %s", body)
		}
		// A list given replaces the old one whole: nothing of the old first
		// row (max_people 3) stays in the new one.
		res, body = franz.json("PATCH", "/api/v1/programmes/digitallotsen-sl", `{"contingent": [{"applicant_kind": "municipality", "min_population": 1, "people": 2, "per_inhabitants": 5000}]}`)
		expect(t, res, body, http.StatusOK)
		if sl, _ := e.db.Programme(t.Context(), "digitallotsen-sl"); len(sl.Contingent) != 1 || sl.Contingent[0].MaxPeople != 0 || sl.State != "10" {
			t.Fatalf("patched contingent: %+v", sl)
		}
		res, body = franz.json("PATCH", "/api/v1/programmes/digitallotsen-sl", `{"unbekannt": 1}`)
		expect(t, res, body, http.StatusBadRequest)
		res, body = franz.json("PATCH", "/api/v1/programmes/digitallotsen-sl", `{"contingent": [{"applicant_kind": "municipality", "min_population": 1, "people": 5, "max_people": 2, "per_inhabitants": 100}]}`)
		expect(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Höchstzahl") {
			t.Errorf("refused patch without the field's message: %s", body)
		}
		// Export: a versioned attachment naming organisations by key.
		res, body = franz.json("GET", "/api/v1/programmes/digitallotsen-sl/export", "")
		expect(t, res, body, http.StatusOK)
		if !strings.Contains(res.Header.Get("Content-Disposition"), "foerderprogramm-digitallotsen-sl.json") {
			t.Errorf("export disposition: %q", res.Header.Get("Content-Disposition"))
		}
		var x domain.ProgrammeExport
		if err := json.Unmarshal([]byte(body), &x); err != nil || x.Format != 1 || x.Programme.State != "10" || x.Programme.Funder != "im-bw" {
			t.Fatalf("export: %v %+v", err, x)
		}
		// Import under another ID on the same instance.
		res, body = franz.json("POST", "/api/v1/programmes/import?id=digitallotsen-sl2&name=Zweite+Kopie", body)
		expect(t, res, body, http.StatusCreated)
		if !strings.Contains(body, `"id":"digitallotsen-sl2"`) || !strings.Contains(body, `"per_inhabitants":5000`) {
			t.Fatalf("import: %s", body)
		}
		// Unknown versions and broken documents: 422 with German words.
		res, body = franz.json("POST", "/api/v1/programmes/import", `{"format": 7, "programme": {"neu": true}}`)
		expect(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Format 7") {
			t.Errorf("version refusal: %s", body)
		}
		res, body = franz.json("POST", "/api/v1/programmes/import", `kein json`)
		expect(t, res, body, http.StatusUnprocessableEntity)
		// Only the funder and admins export; nobody else creates.
		res, body = e.client().json("GET", "/api/v1/programmes/digitallotsen-sl/export", "")
		expect(t, res, body, http.StatusUnauthorized)
		lilly := e.apiAs("lilly@futurehausen.example")
		res, body = lilly.json("GET", "/api/v1/programmes/digitallotsen-sl/export", "")
		expect(t, res, body, http.StatusForbidden)
		res, body = lilly.json("POST", "/api/v1/programmes/digitallotsen-bw/clone", `{"id": "lilly", "name": "Lilly"}`)
		expect(t, res, body, http.StatusForbidden)
		hanna := e.apiAs("foerderung@digitales-hessen.example")
		res, body = hanna.json("PATCH", "/api/v1/programmes/digitallotsen-bw", `{"open": false}`)
		expect(t, res, body, http.StatusForbidden)
		// The list shows every programme.
		res, body = e.client().json("GET", "/api/v1/programmes", "")
		expect(t, res, body, http.StatusOK)
		for _, id := range []string{"digitallotsen-bw", "digitallotsen-he", "digitallotsen-sl", "digitallotsen-sl2"} {
			if !strings.Contains(body, `"id":"`+id+`"`) {
				t.Errorf("list lacks %s", id)
			}
		}
	})
}

func TestProgrammePagesCloneEditAndImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		franz := e.sessionFor("foerderung@im-bw.example")
		res, body := franz.get("/programme")
		expect(t, res, body, http.StatusOK)
		for _, want := range []string{"Kommunale Digitallotsen", "Digitallotsen Hessen", "Hessen", "/programme/neu", "/programme/import"} {
			if !strings.Contains(body, want) {
				t.Errorf("list lacks %q", want)
			}
		}
		if _, b := e.client().get("/programme"); strings.Contains(b, "/programme/neu") {
			t.Error("anonymous visitors are offered to create a programme")
		}
		res = franz.postForm("/programme/digitallotsen-bw/kopieren", url.Values{"id": {"digitallotsen-th"}, "name": {"Digitallotsen Thüringen"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/programme/digitallotsen-th/bearbeiten?hinweis=programm-kopiert" {
			t.Fatalf("clone: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		res, body = franz.get("/programme/digitallotsen-th/bearbeiten")
		expect(t, res, body, http.StatusOK)
		form := formValues(t, body)
		form.Set("state", "16")
		form.Set("contingent.0.people", "0")
		res, body = franz.postFormBody("/programme/digitallotsen-th/bearbeiten", form)
		expect(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="f-contingent.0.people-error"`) || !strings.Contains(body, `value="16"`) {
			t.Fatalf("the refused form lacks the field's message or the input: %s", body)
		}
		// A per-capita rule replaces the first band.
		form.Set("contingent.0.people", "1")
		form.Set("contingent.0.per_inhabitants", "20000")
		form.Set("contingent.0.max_people", "4")
		form.Set("contingent.0.max_population", "")
		for _, k := range []string{"contingent.1.applicant_kind", "contingent.2.applicant_kind"} {
			form.Set(k, "")
		}
		res, body = franz.postFormBody("/programme/digitallotsen-th/bearbeiten", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d %s", res.StatusCode, body)
		}
		_, body = franz.get("/programme/digitallotsen-th")
		if !strings.Contains(body, "1 je 20.000 Einwohner (aufgerundet), mindestens 1, höchstens 4") || !strings.Contains(body, "Thüringen") {
			t.Fatalf("programme page: %s", body)
		}
		bw, err := e.db.Programme(t.Context(), "digitallotsen-bw")
		if err != nil || bw.State != "08" || len(bw.Contingent) != 5 {
			t.Fatalf("the original changed: %+v %v", bw, err)
		}
		// Import page: an unknown version is refused next to the file.
		res, body = franz.postFormBody("/programme/import", url.Values{"json": {`{"format": 2}`}})
		expect(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="f-file-error"`) || !strings.Contains(body, "Format 2") {
			t.Fatalf("import page: %s", body)
		}
		_, doc := franz.get("/programme/digitallotsen-th/export")
		res = franz.postForm("/programme/import", url.Values{"json": {doc}, "id": {"digitallotsen-th2"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("import: %d", res.StatusCode)
		}
		th2, err := e.db.Programme(t.Context(), "digitallotsen-th2")
		if err != nil || th2.Entitlement(domain.ApplicantMunicipality, 45210) != 3 {
			t.Fatalf("imported: %+v %v", th2, err)
		}
	})
}

// formValues reads the named inputs, selected options, checked boxes and
// textareas of the programme form, as a browser would send them.
func formValues(t *testing.T, page string) url.Values {
	t.Helper()
	v := url.Values{}
	attr := func(tag, name string) (string, bool) {
		i := strings.Index(tag, " "+name+`="`)
		if i < 0 {
			return "", false
		}
		rest := tag[i+len(name)+3:]
		return html.UnescapeString(rest[:strings.IndexByte(rest, '"')]), true
	}
	selectName := ""
	for _, part := range strings.Split(page, "<")[1:] {
		tag := part[:strings.IndexByte(part, '>')+1]
		switch {
		case strings.HasPrefix(part, "input "):
			name, ok := attr(tag, "name")
			if !ok {
				continue
			}
			typ, _ := attr(tag, "type")
			val, _ := attr(tag, "value")
			if (typ == "checkbox" || typ == "radio") && !strings.Contains(tag, " checked") {
				continue
			}
			if typ != "file" {
				v.Set(name, val)
			}
		case strings.HasPrefix(part, "textarea "):
			name, _ := attr(tag, "name")
			v.Set(name, html.UnescapeString(part[strings.IndexByte(part, '>')+1:]))
		case strings.HasPrefix(part, "select "):
			name, _ := attr(tag, "name")
			v.Set(name, "")
			selectName = name
		case strings.HasPrefix(part, "option ") && strings.Contains(tag, " selected"):
			val, _ := attr(tag, "value")
			v.Set(selectName, val)
		}
	}
	return v
}

func TestFunderCreatesAProgrammeFromScratchInTheForm(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		hanna := e.sessionFor("foerderung@digitales-hessen.example")
		res, body := hanna.get("/programme/neu")
		expect(t, res, body, http.StatusOK)
		form := formValues(t, body)
		akademie := e.orgByName("Kommunale Akademie Hessen")
		verbund := e.orgByName("Kommunalverbund Hessen")
		// Nothing filled in: messages next to the fields, nothing stored.
		res, body = hanna.postFormBody("/programme/neu", form)
		expect(t, res, body, http.StatusUnprocessableEntity)
		for _, id := range []string{`id="f-id-error"`, `id="f-name-error"`} {
			if !strings.Contains(body, id) {
				t.Errorf("the refused form lacks %s", id)
			}
		}
		form.Set("id", "hessen-plus")
		form.Set("name", "Hessen Plus")
		form.Set("state", "06")
		form.Set("open", "true")
		form.Set("tracks.0.amount_cents", "250,00")
		form.Set("tracks.0.days", "2")
		form.Set("contingent.0.applicant_kind", "municipality")
		form.Set("contingent.0.min_population", "1")
		form.Set("contingent.0.people", "2")
		form.Set("provider_"+itoa(akademie.ID), "true")
		form.Set("reviewer_"+itoa(verbund.ID), "63, 64")
		res, body = hanna.postFormBody("/programme/neu", form)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/programme/hessen-plus?hinweis=programm-angelegt" {
			t.Fatalf("create: %d %s", res.StatusCode, body)
		}
		p, err := e.db.Programme(t.Context(), "hessen-plus")
		if err != nil {
			t.Fatal(err)
		}
		he, _ := e.db.Programme(t.Context(), "digitallotsen-he")
		if p.FunderID != he.FunderID || p.Tracks[0].AmountCents != 25000 || p.Entitlement(domain.ApplicantMunicipality, 5000) != 2 ||
			p.Reviewer(64) != verbund.ID || !p.FundsProvider(akademie.ID) {
			t.Fatalf("created: %+v", p)
		}
	})
}

func TestAHessenCityStartsItsApplicationInTheHessenProgramme(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		nora := e.sessionFor("nora@neuwiesen.example")
		org := e.orgByName("Stadt Neuwiesen")
		res, body := nora.get("/antraege/neu?organisation=" + itoa(org.ID))
		expect(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Förderprogramm „Digitallotsen Hessen“") || !strings.Contains(body, "Kommunale Akademie Hessen") ||
			strings.Contains(body, "Verwaltungsschule") {
			t.Fatalf("Neuwiesen's form is not the Hessen programme's: %s", body)
		}
		// Its contingent box counts by Hessen's formula (38,420 inhabitants: 3).
		res, body = e.client().json("GET", "/api/v1/municipalities/06999001/contingent?programme=digitallotsen-he", "")
		expect(t, res, body, http.StatusOK)
		if !strings.Contains(body, `"total":3`) {
			t.Fatalf("contingent: %s", body)
		}
	})
}
