package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/legal"
)

func TestLegalPagesRenderWithDefaultsAndAreLinkedInTheFooter(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	c := e.client()
	_, home := c.get("/")
	for _, p := range []struct{ path, title, text string }{
		{"/impressum", "Impressum", "Bitte eintragen: Name des Betreibers"},
		{"/datenschutz", "Datenschutzerklärung", "lotse_session"},
		{"/barrierefreiheit", "Erklärung zur Barrierefreiheit", "Barriere melden"},
		{"/leichte-sprache", "Leichte Sprache", "Lotse ist eine Internet-Seite."},
	} {
		res, body := c.get(p.path)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "<h1 class=\"kern-heading-large\">"+p.title+"</h1>") || !strings.Contains(body, p.text) {
			t.Errorf("%s: %d\n%.500s", p.path, res.StatusCode, body)
		}
		if !strings.Contains(home, `href="`+p.path+`"`) {
			t.Errorf("the footer does not link %s", p.path)
		}
	}
}

func TestLegalFolderReplacesDefaultPages(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "impressum.html"), []byte(`<p class="kern-body">Stadt Musterhausen, vertreten durch den Oberbürgermeister</p>`), 0o644)
	os.WriteFile(filepath.Join(dir, "leichte-sprache.md"), []byte("## Was ist Lotse?\n\nLotse ist eine Seite für Kurse.\n"), 0o644)
	if err := e.srv.app.SetLegal(legal.Settings{Dir: dir, Operator: legal.Operator{Name: "Stadt Musterhausen", Email: "barrieren@musterhausen.example"}}); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	if _, body := c.get("/impressum"); !strings.Contains(body, "vertreten durch den Oberbürgermeister") || strings.Contains(body, "Bitte eintragen") {
		t.Errorf("imprint from the folder:\n%.1500s", body)
	}
	if _, body := c.get("/leichte-sprache"); !strings.Contains(body, `<h2 class="kern-heading-medium">Was ist Lotse?</h2>`) {
		t.Errorf("Leichte Sprache from Markdown:\n%.1500s", body)
	}
	if _, body := c.get("/datenschutz"); !strings.Contains(body, "Stadt Musterhausen") {
		t.Error("the default privacy policy does not name the configured operator")
	}
}

func TestBarrierFormStoresMailsAndValidates(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		if err := e.srv.app.SetLegal(legal.Settings{Operator: legal.Operator{Email: "barrieren@betreiber.example"}}); err != nil {
			t.Fatal(err)
		}
		anon := e.client()
		res, body := anon.postFormBody("/barrierefreiheit", url.Values{"name": {"Maria Muster"}, "email": {"kaputt"}, "page_url": {"/angebote"}, "message": {" "}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Bitte beschreiben Sie die Barriere.") ||
			!strings.Contains(body, `value="Maria Muster"`) || !strings.Contains(body, `value="/angebote"`) || !strings.Contains(body, "gültige E-Mail-Adresse") {
			t.Fatalf("invalid report: %d\n%.3000s", res.StatusCode, body)
		}
		res = anon.postForm("/barrierefreiheit", url.Values{"page_url": {"/angebote"}, "message": {"Der Filter ist nicht mit der Tastatur erreichbar."}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/barrierefreiheit?hinweis=barriere") {
			t.Fatalf("report: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if _, body := anon.get("/barrierefreiheit?hinweis=barriere"); !strings.Contains(body, "Vielen Dank! Ihre Meldung ist eingegangen.") {
			t.Error("no German confirmation")
		}
		if m := lastMailTo(t, e, "barrieren@betreiber.example"); !strings.Contains(m.Body, "Der Filter ist nicht mit der Tastatur erreichbar.") {
			t.Fatalf("mail to the operator:\n%s", m.Body)
		}
		rs, err := e.db.BarrierReports(context.Background(), 10)
		if err != nil || len(rs) != 1 || rs[0].PageURL != "/angebote" {
			t.Fatalf("stored: %+v, %v", rs, err)
		}
		admin := e.sessionFor("admin@lotse.example")
		if res, body := admin.get("/admin/barrieremeldungen"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Der Filter ist nicht mit der Tastatur erreichbar.") {
			t.Fatalf("admin list: %d", res.StatusCode)
		}
		// A logged-in visitor's form needs the session's CSRF token.
		lilly := e.sessionFor("lilly@futurehausen.example")
		if res := lilly.postForm("/barrierefreiheit", url.Values{"message": {"x"}, "csrf_token": {"falsch"}}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("without CSRF token: %d", res.StatusCode)
		}
		if _, body := lilly.get("/barrierefreiheit"); !strings.Contains(body, `value="lilly@futurehausen.example"`) {
			t.Error("the form does not offer the logged-in person's address")
		}
	})
}

func TestAuditPagesReadInWords(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		lilly := e.sessionFor("lilly@futurehausen.example")
		if res := lilly.postForm("/konto/name", url.Values{"person_name": {"Lilly Lotse"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("name change: %d", res.StatusCode)
		}
		admin := e.sessionFor("admin@lotse.example")
		_, body := admin.get("/admin/protokoll")
		if !strings.Contains(body, "Name geändert") || !strings.Contains(body, "Lilly Lotse") || strings.Contains(body, "person.update_name") {
			t.Fatalf("admin log:\n%.4000s", body)
		}
		_, api := admin.json("GET", "/api/v1/audit?action=person.update_name", "")
		var list struct {
			Items []struct {
				Action, Label, Actor string
				ObjectLabel          string `json:"object_label"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(api), &list); err != nil || len(list.Items) != 1 || list.Items[0].Action != "person.update_name" ||
			list.Items[0].Label != "Name geändert" || list.Items[0].Actor != "Lilly Lotse" || list.Items[0].ObjectLabel != "Lilly Lotse" {
			t.Fatalf("audit API: %v\n%s", err, api)
		}
		// The organisation's log, for its account admin.
		org := e.orgByName("Futurehausen")
		thomas := e.sessionFor("thomas@futurehausen.example")
		res, body := thomas.get("/organisationen/" + itoa(org.ID) + "/protokoll")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Protokoll: "+org.Name) || !strings.Contains(body, "Organisation angelegt") {
			t.Fatalf("organisation log: %d\n%.2000s", res.StatusCode, body)
		}
		for _, raw := range []string{"organisation.create", "membership.set_roles", "invitation.create", "application.submit"} {
			if strings.Contains(body, ">"+raw+"<") {
				t.Errorf("organisation log shows the machine action %s", raw)
			}
		}
		if res, _ := lilly.get("/organisationen/" + itoa(org.ID) + "/protokoll"); res.StatusCode != http.StatusForbidden {
			t.Fatalf("a signatory sees the organisation log: %d", res.StatusCode)
		}
	})
}
