package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/programmes"
)

// story loads the demo's story (past course with certificates, waiting
// bookings, an application in review) on top of the demo data.
func (e *testEnv) story() {
	e.t.Helper()
	if err := demo.Story(context.Background(), e.db, e.ts.URL, testPassword); err != nil {
		e.t.Fatal(err)
	}
}

func TestDeskShowsEachRoleWhatToDo(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		e.story()
		cases := []struct {
			who     string
			want    []string
			wantNot []string
		}{
			{"lilly@futurehausen.example", []string{"Guten Tag, Lilly Lotse", "Kontingent", "3 geförderte Personen, davon 3 beantragt, 0 Plätze frei",
				"Ihre Zertifikate", "Basisqualifizierung Kommunale Digitallotsen", "Aufbauprogramm vorbereiten"}, []string{"Anträge zur Prüfung", "Qualitätsprüfung"}},
			{"niklas@futurehausen.example", []string{"Ihre nächsten Termine", demo.KIOfferTitle, "wartet auf Freigabe", "Ihre Förderanfragen"}, []string{"Kontingent", "Ihre Zertifikate"}},
			{"pruefung@staedtetag-bw.example", []string{"Anträge zur Prüfung", "Ein Antrag wartet auf Ihre Prüfung", "Stadt Mittelfeld, Basisqualifizierung, 2 Personen"},
				[]string{"geförderte Personen", "Futurehausen"}},
			{"kurse@verwaltungsschule-bw.example", []string{"Ihre Termine als Bildungsträger", "Anwesenheit erfassen (1 Person noch offen)",
				"1 Buchung wartet auf die Freigabe des Arbeitgebers"}, []string{"Anträge zur Prüfung"}},
			{"kurse@vwa-bw.example", []string{"2 von 2 Plätzen belegt, 1 Person auf der Warteliste"}, []string{"Anwesenheit erfassen"}},
			{"pruefung2@landkreistag-bw.example", []string{"Landkreis Zukunftstal, Basisqualifizierung",
				"Lena Landwehr hat die Entscheidung „Genehmigung“ vorbereitet: bitte bestätigen oder verwerfen."}, []string{"Stadt Mittelfeld"}},
			{"pruefung@landkreistag-bw.example", []string{"Ihre Entscheidung (Genehmigung) wartet auf die Bestätigung durch eine zweite Person."}, nil},
			{"anna@futurehausen.example", []string{"Freigaben", "Eine Buchung auf Rechnung des Arbeitgebers wartet auf Ihre Entscheidung.",
				"Eine Anfrage wartet auf Ihre Antwort.", "Niklas Neumann bittet am", "Stadt Futurehausen: 1 Gutschein ist noch keiner Person zugeteilt",
				"Niklas Neumann: " + demo.KIOfferTitle}, []string{"Kontingent"}},
			{"admin@lotse.example", []string{"Guten Tag, Ada Admin"}, []string{"Anträge zur Prüfung", "Ihre Zertifikate"}},
		}
		for _, c := range cases {
			resp, body := e.sessionFor(c.who).get("/")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: status %d", c.who, resp.StatusCode)
			}
			text := strings.Join(strings.Fields(stripTags(body)), " ")
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("%s: desk lacks %q", c.who, w)
				}
			}
			for _, w := range c.wantNot {
				if strings.Contains(text, w) {
					t.Errorf("%s: desk shows %q", c.who, w)
				}
			}
		}
		// Visitors get the welcome, not a desk.
		_, body := e.client().get("/")
		if !strings.Contains(body, "Willkommen bei Lotse") || strings.Contains(body, "Guten Tag") {
			t.Error("the anonymous start page is not the welcome page")
		}
	})
}

func TestMyCertificatesAndDeskInTheAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		e.story()
		var got struct {
			Items []struct {
				ID        string `json:"id"`
				Offer     string `json:"offer"`
				VerifyURL string `json:"verify_url"`
				PDFURL    string `json:"pdf_url"`
			} `json:"items"`
			Total int `json:"total"`
		}
		resp, body := e.sessionFor("lilly@futurehausen.example").json("GET", "/api/v1/me/certificates", "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		if got.Total != 1 || len(got.Items) != 1 || got.Items[0].Offer != "Basisqualifizierung Kommunale Digitallotsen" {
			t.Fatalf("Lilly's certificates: %s", body)
		}
		if c := got.Items[0]; c.VerifyURL != e.ts.URL+"/verify/"+c.ID || c.PDFURL != e.ts.URL+"/zertifikate/"+c.ID+"/pdf" {
			t.Errorf("links: %s", body)
		}
		if strings.Contains(body, "lilly@") {
			t.Error("the certificate list shows an e-mail address")
		}
		_, body = e.sessionFor("niklas@futurehausen.example").json("GET", "/api/v1/me/certificates", "")
		if err := json.Unmarshal([]byte(body), &got); err != nil || got.Total != 0 || len(got.Items) != 0 {
			t.Errorf("Niklas has no certificate: %s", body)
		}
		if resp, _ := e.client().json("GET", "/api/v1/me/certificates", ""); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous: status %d", resp.StatusCode)
		}
		resp, body = e.sessionFor("pruefung@staedtetag-bw.example").json("GET", "/api/v1/me/desk", "")
		var d struct {
			Reviews []struct {
				OrgName string `json:"organisation_name"`
			} `json:"reviews"`
			Applications []any `json:"applications"`
		}
		if err := json.Unmarshal([]byte(body), &d); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("desk: %d %s", resp.StatusCode, body)
		}
		if len(d.Reviews) != 1 || d.Reviews[0].OrgName != "Stadt Mittelfeld" || len(d.Applications) != 0 {
			t.Errorf("Petra's desk: %s", body)
		}
	})
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// stripTags reduces a page to its text.
func stripTags(html string) string { return tagRE.ReplaceAllString(html, " ") }

// TestDeskOffersToEditOnlyWhoMayEdit: a draft shows on the desk of the
// municipality's account admin, who may read it, but only its signatory
// and HR are offered to go on with it.
func TestDeskOffersToEditOnlyWhoMayEdit(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		fh := e.orgByName("Stadt Futurehausen")
		p, err := e.db.Programme(t.Context(), programmes.BWID)
		if err != nil {
			t.Fatal(err)
		}
		res := e.sessionFor("lilly@futurehausen.example").postForm("/antraege/neu?organisation="+itoa(fh.ID),
			url.Values{"track": {"basis"}, "provider": {itoa(p.ProviderIDs[0])}})
		m := appIDRE.FindStringSubmatch(res.Header.Get("Location"))
		if res.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("draft: %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		edit := `href="/antraege/` + m[1] + `/bearbeiten"`
		for who, wantEdit := range map[string]bool{"lilly@futurehausen.example": true, "anna@futurehausen.example": true, "thomas@futurehausen.example": false} {
			_, body := e.sessionFor(who).get("/")
			if !strings.Contains(body, `href="/antraege/`+m[1]+`"`) {
				t.Errorf("%s: the desk lacks the draft", who)
			}
			if strings.Contains(body, edit) != wantEdit {
				t.Errorf("%s: edit link shown %v, want %v", who, !wantEdit, wantEdit)
			}
			res, body := e.apiAs(who).json("GET", "/api/v1/me/desk", "")
			var d struct {
				Applications []struct {
					ID      int64 `json:"id"`
					CanEdit bool  `json:"can_edit"`
				} `json:"applications"`
			}
			if err := json.Unmarshal([]byte(body), &d); err != nil || res.StatusCode != http.StatusOK || len(d.Applications) != 1 || d.Applications[0].CanEdit != wantEdit {
				t.Errorf("%s: API desk %d %s", who, res.StatusCode, body)
			}
		}
	})
}
