package web

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/programmes"
)

var appIDRE = regexp.MustCompile(`/antraege/(\d+)/bearbeiten`)

func TestApplicationThroughTheForms(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		fh := e.orgByName("Stadt Futurehausen")
		lilly := e.sessionFor("lilly@futurehausen.example")
		p, err := e.db.Programme(t.Context(), programmes.BWID)
		if err != nil {
			t.Fatal(err)
		}

		// The municipality page shows the contingent with its chart.
		_, page := e.client().get("/kommunen/08999001")
		if !strings.Contains(page, "Förderfähige Personen") || !strings.Contains(page, "<svg") || !strings.Contains(page, "Ihre Kommune") {
			t.Fatal("municipality page lacks the contingent chart")
		}

		// Step 1 without a choice: German errors next to the fields.
		res, page := lilly.postFormBody("/antraege/neu?organisation="+itoa(fh.ID), url.Values{"provider": {"999999"}})
		if res.StatusCode != 422 || !strings.Contains(page, "gehört nicht zum Förderprogramm") {
			t.Fatalf("step 1 with a foreign provider: %d", res.StatusCode)
		}
		res = lilly.postForm("/antraege/neu?organisation="+itoa(fh.ID), url.Values{"track": {"basis"}, "provider": {itoa(p.ProviderIDs[0])}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("step 1: %d", res.StatusCode)
		}
		m := appIDRE.FindStringSubmatch(res.Header.Get("Location"))
		if m == nil {
			t.Fatalf("step 1 redirects to %q", res.Header.Get("Location"))
		}
		base := "/antraege/" + m[1]
		_, page = lilly.get(base + "/bearbeiten?schritt=2")
		if !strings.Contains(page, "Noch frei") || !strings.Contains(page, "1 bis 3") {
			t.Fatal("step 2 does not show the contingent")
		}
		res, page = lilly.postFormBody(base+"/bearbeiten?schritt=2", url.Values{"people": {"zwei"}})
		if res.StatusCode != 422 || !strings.Contains(page, "zwischen 1 und 100") {
			t.Fatalf("step 2 with words: %d", res.StatusCode)
		}
		if res := lilly.postForm(base+"/bearbeiten?schritt=2", url.Values{"people": {"2"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("step 2: %d", res.StatusCode)
		}
		// The draft is saved: submitting without the declarations says what is missing.
		res, page = lilly.postFormBody(base+"/einreichen", url.Values{})
		if res.StatusCode != 422 || !strings.Contains(page, "noch nicht vollständig") {
			t.Fatalf("incomplete submit: %d", res.StatusCode)
		}
		if res := lilly.postForm(base+"/bearbeiten?schritt=3", url.Values{"declarations": {"ja"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("step 3: %d", res.StatusCode)
		}
		_, page = lilly.get(base + "/bearbeiten?schritt=4")
		if !strings.Contains(page, "Zusammenfassung") || !strings.Contains(page, "300,00 €") || !strings.Contains(page, "verbindlich einreichen") {
			t.Fatal("summary incomplete")
		}
		if res := lilly.postForm(base+"/einreichen", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit: %d", res.StatusCode)
		}

		// The reviewer's queue and decision.
		rev := e.sessionFor("pruefung@staedtetag-bw.example")
		_, page = rev.get("/antraege?status=submitted")
		if !strings.Contains(page, `href="`+base+`"`) {
			t.Fatal("review queue lacks the application")
		}
		res, page = rev.postFormBody(base+"/zurueckgeben", url.Values{"comment": {""}})
		if res.StatusCode != 422 || !strings.Contains(page, "was sie ändern soll") {
			t.Fatalf("return without comment: %d", res.StatusCode)
		}
		if res := rev.postForm(base+"/zurueckgeben", url.Values{"comment": {"Bitte nur eine Person eintragen."}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("return: %d", res.StatusCode)
		}
		// Lilly sees the comment, changes and submits again.
		_, page = lilly.get(base)
		if !strings.Contains(page, "Bitte nur eine Person eintragen.") || !strings.Contains(page, "Zur Überarbeitung zurückgegeben") {
			t.Fatal("returned application does not show the comment")
		}
		lilly.postForm(base+"/bearbeiten?schritt=2", url.Values{"people": {"1"}})
		if res := lilly.postForm(base+"/einreichen", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("resubmit: %d", res.StatusCode)
		}
		if res := rev.postForm(base+"/genehmigen", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve: %d", res.StatusCode)
		}
		_, page = lilly.get(base)
		if !codeRE.MatchString(page) || !strings.Contains(page, "Genehmigt") {
			t.Fatal("approved application page lacks its voucher code")
		}
		// The mailbox lists the approval, newest first, after the return's
		// message; the approval's page links the attachments.
		_, page = lilly.get("/postfach")
		if !strings.Contains(page, "2 ungelesene Nachrichten") || !strings.Contains(page, "braucht Änderungen") {
			t.Fatal("mailbox does not count the unread messages or lacks the return")
		}
		msgLink := regexp.MustCompile(`href="(/postfach/\d+)"`).FindStringSubmatch(page)
		if msgLink == nil {
			t.Fatal("no message link")
		}
		_, page = lilly.get(msgLink[1])
		att := regexp.MustCompile(`href="(/postfach/\d+/anhang/\d+)"`).FindAllStringSubmatch(page, -1)
		if len(att) != 3 {
			t.Fatalf("%d attachments linked", len(att))
		}
		res, _ = lilly.get(att[0][1])
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("attachment: %d %v", res.StatusCode, res.Header)
		}
		// Archive it.
		if res := lilly.postForm(msgLink[1]+"/archiv", url.Values{"archiv": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("archive: %d", res.StatusCode)
		}
		if _, page = lilly.get("/postfach"); strings.Contains(page, msgLink[1]) {
			t.Fatal("archived message still in the inbox")
		}
		if _, page = lilly.get("/postfach?archiv=1"); !strings.Contains(page, msgLink[1]) {
			t.Fatal("archived message not in the archive")
		}

		// The provider checks a code on its page.
		code := codeRE.FindString(func() string { _, p := lilly.get(base); return p }())
		prov := e.sessionFor("kurse@verwaltungsschule-bw.example")
		_, page = prov.get("/gutscheine?code=" + url.QueryEscape(strings.ToLower(code)))
		if !strings.Contains(page, "Ausgegeben") || !strings.Contains(page, "Futurehausen") {
			t.Fatal("voucher lookup page lacks the voucher")
		}
		_, page = e.sessionFor("kurse@vwa-bw.example").get("/gutscheine?code=" + url.QueryEscape(code))
		if !strings.Contains(page, "gehört nicht zu Ihrem Bildungsträger") {
			t.Fatal("another provider sees the voucher")
		}
	})
}

func TestAdvancedApplicationNeedsCertificates(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	fh := e.orgByName("Stadt Futurehausen")
	lilly := e.sessionFor("lilly@futurehausen.example")
	p, _ := e.db.Programme(t.Context(), programmes.BWID)
	res := lilly.postForm("/antraege/neu?organisation="+itoa(fh.ID), url.Values{"track": {"advanced"}, "provider": {itoa(p.ProviderIDs[1])}})
	base := "/antraege/" + appIDRE.FindStringSubmatch(res.Header.Get("Location"))[1]

	upload := func(people string, files map[string][]byte, names map[string]string) (*http.Response, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		w.WriteField("csrf_token", lilly.csrf)
		w.WriteField("people", people)
		for k, v := range names {
			w.WriteField(k, v)
		}
		for k, v := range files {
			fw, _ := w.CreateFormFile(k, k+".pdf")
			fw.Write(v)
		}
		w.Close()
		res := lilly.do("POST", base+"/bearbeiten?schritt=2", w.FormDataContentType(), &b)
		defer res.Body.Close()
		var body bytes.Buffer
		body.ReadFrom(res.Body)
		return res, body.String()
	}
	// An HTML file named .pdf is refused by its content.
	res, page := upload("1", map[string][]byte{"file_0": []byte("<html><body>kein PDF</body></html>")}, map[string]string{"name_0": "Niklas Neumann"})
	if res.StatusCode != 422 || !strings.Contains(page, "kein PDF-Dokument") {
		t.Fatalf("html upload: %d", res.StatusCode)
	}
	res, page = upload("1", nil, map[string]string{"name_0": "Niklas Neumann"})
	if res.StatusCode != 422 || !strings.Contains(page, "als PDF hoch") {
		t.Fatalf("missing certificate: %d", res.StatusCode)
	}
	res, _ = upload("1", map[string][]byte{"file_0": minimalPDF}, map[string]string{"name_0": "Niklas Neumann"})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid upload: %d", res.StatusCode)
	}
	lilly.postForm(base+"/bearbeiten?schritt=3", url.Values{"declarations": {"ja"}})
	if res := lilly.postForm(base+"/einreichen", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit advanced: %d", res.StatusCode)
	}
	// The reviewer sees the certificate marked "to be checked" and can open it.
	rev := e.sessionFor("pruefung@staedtetag-bw.example")
	_, page = rev.get(base)
	if !strings.Contains(page, "Niklas Neumann") || !strings.Contains(page, "zu prüfen") {
		t.Fatal("reviewer does not see the certificate to check")
	}
	doc := regexp.MustCompile(`href="(/dokumente/\d+)"`).FindStringSubmatch(page)
	if res, body := rev.get(doc[1]); res.StatusCode != 200 || !bytes.Equal([]byte(body), minimalPDF) {
		t.Fatalf("reviewer opens the certificate: %d", res.StatusCode)
	}
	// Advanced places do not use the contingent.
	_, body := e.apiAs("lilly@futurehausen.example").json("GET", "/api/v1/municipalities/08999001/contingent?programme=digitallotsen-bw", "")
	if !strings.Contains(body, `"used":0`) {
		t.Fatalf("advanced application counted against the contingent: %s", body)
	}
	_ = fmt.Sprint
}

// TestNewApplicationFindsItsMunicipality: the start page's link to the
// advanced programme names the municipality and the track, and the form
// reached without a municipality opens the person's only one, keeping the
// track, instead of an error page.
func TestNewApplicationFindsItsMunicipality(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		e.story() // Lilly holds a certificate of the base qualification
		fh := e.orgByName("Stadt Futurehausen")
		lilly := e.sessionFor("lilly@futurehausen.example")
		want := "/antraege/neu?organisation=" + itoa(fh.ID) + "&amp;track=advanced"
		if _, page := lilly.get("/"); !strings.Contains(page, want) {
			t.Fatalf("start page lacks %q", want)
		}
		res, _ := lilly.get("/antraege/neu?track=advanced")
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/antraege/neu?organisation="+itoa(fh.ID)+"&track=advanced" {
			t.Fatalf("without a municipality: %d to %q", res.StatusCode, loc)
		}
		res, page := lilly.get("/antraege/neu?organisation=" + itoa(fh.ID) + "&track=advanced")
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `value="advanced" checked`) {
			t.Fatalf("the form does not open on the advanced track: %d", res.StatusCode)
		}
		// Someone who prepares no applications gets the message, not a form.
		res, page = e.sessionFor("niklas@futurehausen.example").get("/antraege/neu")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "Bitte wählen Sie die Kommune") {
			t.Fatalf("a person without the role: %d", res.StatusCode)
		}
	})
}
