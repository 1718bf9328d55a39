package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/store"
)

// privacy: the data download and the deletion of an account over HTTP.

func TestAPersonDownloadsTheirDataAndDeletesTheirAccount(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		e.story()
		lilly := e.person("lilly@futurehausen.example")
		c := e.client()
		if res := c.login(lilly.Email, testPassword); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %d", res.StatusCode)
		}
		// The account page offers the downloads and the deletion.
		_, body := c.get("/konto")
		for _, want := range []string{"Meine Daten", `href="/konto/daten.json"`, `href="/konto/daten.pdf"`, `href="/konto/loeschen"`} {
			if !strings.Contains(body, want) {
				t.Errorf("account page lacks %q", want)
			}
		}
		// JSON: a download with her bookings.
		res, body := c.get("/konto/daten.json")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("JSON download: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		var doc struct {
			Sections map[string][]map[string]any `json:"sections"`
		}
		if err := json.Unmarshal([]byte(body), &doc); err != nil || len(doc.Sections["bookings"]) == 0 {
			t.Fatalf("JSON download: %v, %d bookings", err, len(doc.Sections["bookings"]))
		}
		var certID string
		for _, cert := range doc.Sections["certificates"] {
			certID, _ = cert["id"].(string)
		}
		if certID == "" {
			t.Fatal("no certificate in the download")
		}
		// The readable summary and the PDF.
		if res, body := c.get("/konto/daten"); res.StatusCode != 200 || !strings.Contains(body, "Buchungen") || !strings.Contains(body, "Lilly Lotse") {
			t.Errorf("summary page: %d", res.StatusCode)
		}
		if res, body := c.get("/konto/daten.pdf"); res.StatusCode != 200 || !bytes.HasPrefix([]byte(body), []byte("%PDF-")) {
			t.Errorf("PDF: %d %.20q", res.StatusCode, body)
		}
		// Someone else's data: only admins.
		if res, _ := c.get("/admin/personen/" + itoa(e.person("niklas@futurehausen.example").ID) + "/daten"); res.StatusCode != http.StatusForbidden {
			t.Errorf("Lilly opening Niklas's data: %d", res.StatusCode)
		}

		// Deletion: a wrong password keeps the account, with a message.
		res, body = c.postFormBody("/konto/loeschen", url.Values{"password": {"falsch-falsch"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Das Passwort stimmt nicht.") {
			t.Fatalf("wrong password: %d", res.StatusCode)
		}
		res = c.postForm("/konto/loeschen", url.Values{"password": {testPassword}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/?hinweis=konto-geloescht" {
			t.Fatalf("deletion: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		// The session is gone; the login fails.
		if res, _ := c.get("/konto"); res.StatusCode == http.StatusOK {
			t.Error("the session survived the deletion")
		}
		if res := e.client().login(lilly.Email, testPassword); res.StatusCode == http.StatusSeeOther {
			t.Error("login after deletion succeeded")
		}
		// Her certificate still verifies, without her name; its signed
		// credential is no longer served.
		res, body = e.client().get("/verify/" + certID)
		if res.StatusCode != 200 || !strings.Contains(body, "gültig") || strings.Contains(body, "Lilly") || !strings.Contains(body, "Konto gelöscht") {
			t.Errorf("verification after deletion: %d", res.StatusCode)
		}
		if res, _ := e.client().get("/api/v1/certificates/" + certID + "/credential"); res.StatusCode != http.StatusNotFound {
			t.Errorf("credential after deletion: %d", res.StatusCode)
		}
		// The audit log shows the deleted person, not her name.
		admin := e.sessionFor("admin@lotse.example")
		_, body = admin.get("/admin/protokoll")
		if !strings.Contains(body, "Gelöschte Person") || strings.Contains(body, "lilly@futurehausen.example") {
			t.Errorf("audit log after deletion does not show the deleted person")
		}
		// No audit entry of the story and these steps holds an address.
		n := 0
		err := e.db.Read(context.Background(), func(tx *store.Tx) error {
			rows, err := tx.QueryContext(context.Background(), `SELECT id, action, detail FROM audit_log`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				var action, detail string
				if err := rows.Scan(&id, &action, &detail); err != nil {
					return err
				}
				n++
				if m := emailRE.FindString(detail); m != "" && !strings.HasPrefix(action, "programme.") {
					t.Errorf("audit entry %d (%s) holds %q", id, action, m)
				}
			}
			return rows.Err()
		})
		if err != nil || n < 20 {
			t.Fatalf("audit: %d entries, %v", n, err)
		}
	})
}

// emailRE finds an e-mail address in a text.
var emailRE = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)

func TestAnAdminDownloadsAndDeletesOnRequestOverTheAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		e.story()
		admin := e.sessionFor("admin@lotse.example")
		niklas := e.person("niklas@futurehausen.example")
		res, body := admin.json("GET", "/api/v1/persons/"+itoa(niklas.ID)+"/export", "")
		if res.StatusCode != 200 || !strings.Contains(body, `"person_id":`+itoa(niklas.ID)) {
			t.Fatalf("export: %d %.200s", res.StatusCode, body)
		}
		// Niklas waits for places in sessions to come: cancel first.
		res, body = admin.json("DELETE", "/api/v1/persons/"+itoa(niklas.ID), "")
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "stornieren") {
			t.Fatalf("deleting Niklas with upcoming bookings: %d %s", res.StatusCode, body)
		}
		// Paula, without bookings to come, is deleted.
		paula := e.person("pilot@kleinbach.example")
		res, body = admin.json("DELETE", "/api/v1/persons/"+itoa(paula.ID), "")
		if res.StatusCode != 200 || !strings.Contains(body, `"persons":1`) {
			t.Fatalf("deleting Paula: %d %s", res.StatusCode, body)
		}
		// The own account over the API needs the password.
		me := e.sessionFor("anna@futurehausen.example")
		if res, _ := me.json("DELETE", "/api/v1/me", `{"password": "falsch"}`); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("DELETE /api/v1/me with a wrong password: %d", res.StatusCode)
		}
	})
}

func TestAnAdminDeletesOnRequestFromThePersonsDataPage(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		e.story()
		admin := e.sessionFor("admin@lotse.example")
		paula := e.person("pilot@kleinbach.example")
		res, body := admin.get("/admin/personen/" + itoa(paula.ID) + "/daten")
		if res.StatusCode != 200 || !strings.Contains(body, "Daten von Paula Pionier") || !strings.Contains(body, "Konto auf Anfrage löschen") {
			t.Fatalf("the admin's view of Paula's data: %d", res.StatusCode)
		}
		// Niklas holds places in sessions to come: refused on the page.
		niklas := e.person("niklas@futurehausen.example")
		res, body = admin.postFormBody("/admin/personen/"+itoa(niklas.ID)+"/loeschen", url.Values{})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Bitte stornieren Sie sie zuerst") {
			t.Fatalf("deleting Niklas: %d", res.StatusCode)
		}
		res = admin.postForm("/admin/personen/"+itoa(paula.ID)+"/loeschen", url.Values{})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin?hinweis=person-geloescht" {
			t.Fatalf("deleting Paula: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if p, err := e.db.PersonByID(context.Background(), paula.ID); err != nil || p.Name != "Gelöschte Person" {
			t.Errorf("Paula after deletion: %+v %v", p, err)
		}
	})
}
